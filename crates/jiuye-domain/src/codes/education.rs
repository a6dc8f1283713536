//! Highest education attained, by GB/T 4658-2006 学历代码.
//!
//! One value per main level. The codes are those of the standard: the 研究生 levels use the
//! 毕业 codes (11 博士研究生毕业, 14 硕士研究生毕业) since 10 covers both; 大学本科 and 大学专科
//! use the level codes 20 and 30; 中等职业教育 (40) is split into its three kinds by their
//! 毕业 codes (41 中等专科, 44 职业高中, 47 技工学校); then 60 普通高级中学教育,
//! 70 初级中学教育, 80 小学教育 and 90 其他.

use serde::{Deserialize, Serialize};

use crate::CodeError;

pub const ERR_UNKNOWN: &str = "education.unknown";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    Doctorate,
    Master,
    Bachelor,
    College,
    SecondarySpecialised,
    VocationalHigh,
    TechnicalSchool,
    HighSchool,
    JuniorHigh,
    Primary,
    Other,
}

use EducationLevel::*;

const ALL: [EducationLevel; 11] = [
    Doctorate,
    Master,
    Bachelor,
    College,
    SecondarySpecialised,
    VocationalHigh,
    TechnicalSchool,
    HighSchool,
    JuniorHigh,
    Primary,
    Other,
];

impl EducationLevel {
    /// All levels, most education first.
    pub fn all() -> &'static [EducationLevel] {
        &ALL
    }

    /// The GB/T 4658-2006 code.
    pub fn code(self) -> &'static str {
        match self {
            Doctorate => "11",
            Master => "14",
            Bachelor => "20",
            College => "30",
            SecondarySpecialised => "41",
            VocationalHigh => "44",
            TechnicalSchool => "47",
            HighSchool => "60",
            JuniorHigh => "70",
            Primary => "80",
            Other => "90",
        }
    }

    /// The snake-case id used in JSON and URLs (`secondary_specialised`).
    pub fn id(self) -> &'static str {
        match self {
            Doctorate => "doctorate",
            Master => "master",
            Bachelor => "bachelor",
            College => "college",
            SecondarySpecialised => "secondary_specialised",
            VocationalHigh => "vocational_high",
            TechnicalSchool => "technical_school",
            HighSchool => "high_school",
            JuniorHigh => "junior_high",
            Primary => "primary",
            Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Doctorate => "博士研究生",
            Master => "硕士研究生",
            Bachelor => "大学本科",
            College => "大学专科",
            SecondarySpecialised => "中等专科",
            VocationalHigh => "职业高中",
            TechnicalSchool => "技工学校",
            HighSchool => "普通高中",
            JuniorHigh => "初中",
            Primary => "小学",
            Other => "其他",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Doctorate => "Doctorate",
            Master => "Master's degree",
            Bachelor => "Bachelor's degree",
            College => "Junior college (dazhuan)",
            SecondarySpecialised => "Secondary specialised school",
            VocationalHigh => "Vocational high school",
            TechnicalSchool => "Technical school",
            HighSchool => "General senior high school",
            JuniorHigh => "Junior high school",
            Primary => "Primary school",
            Other => "Other",
        }
    }

    /// Higher means more education; the four upper-secondary kinds rank equal; `Other` is 0.
    pub fn rank(self) -> u8 {
        match self {
            Doctorate => 8,
            Master => 7,
            Bachelor => 6,
            College => 5,
            SecondarySpecialised | VocationalHigh | TechnicalSchool | HighSchool => 4,
            JuniorHigh => 3,
            Primary => 2,
            Other => 0,
        }
    }

    /// Whether the level is at least `min` (by rank).
    pub fn at_least(self, min: EducationLevel) -> bool {
        self.rank() >= min.rank()
    }

    /// Parse a code (`20`) or a snake-case id (`bachelor`).
    pub fn parse(s: &str) -> Result<EducationLevel, CodeError> {
        let s = s.trim();
        ALL.iter()
            .copied()
            .find(|l| l.code() == s || l.id() == s)
            .ok_or_else(|| CodeError::new(ERR_UNKNOWN).arg("value", s))
    }
}

impl std::fmt::Display for EducationLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for EducationLevel {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EducationLevel::parse(s)
    }
}
