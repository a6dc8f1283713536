//! 重点群体: the groups of people the 2023 Xiamen public employment service quality plan
//! (厦门市公共就业服务质量提升工程实施方案) singles out for targeted services, plus the groups
//! national policy always names (残疾人, 退役军人, 灵活就业人员).

use serde::{Deserialize, Serialize};

use crate::CodeError;

pub const ERR_UNKNOWN: &str = "key_group.unknown";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyGroup {
    /// 高校毕业生.
    CollegeGraduate,
    /// 离校未就业高校毕业生 (the plan: 离校两年内未就业高校毕业生).
    UnemployedGraduate,
    /// 困难高校毕业生 (the plan: 困难毕业生).
    NeedyGraduate,
    /// 青年 (the plan: 高校毕业生等青年群体).
    Youth,
    /// 困难失业青年.
    NeedyUnemployedYouth,
    /// 农民工/农村转移劳动力.
    MigrantWorker,
    /// 脱贫劳动力.
    PovertyAlleviated,
    /// 登记失业人员.
    RegisteredUnemployed,
    /// 就业困难人员.
    EmploymentDifficulty,
    /// 零就业家庭成员.
    ZeroEmploymentHousehold,
    /// 退役军人.
    Veteran,
    /// 残疾人.
    Disabled,
    /// 台胞.
    TaiwanCompatriot,
    /// 台湾青年 (台青).
    TaiwanYouth,
    /// 台胞配偶 (the plan: 台胞及其配偶).
    TaiwanCompatriotSpouse,
    /// 港澳居民 (from the document held).
    #[serde(rename = "hkmo_resident")]
    HongKongMacaoResident,
    /// 外籍人员 (from the document held).
    Foreigner,
    /// 灵活就业人员.
    FlexibleWorker,
    /// 农村自主创业人员.
    RuralEntrepreneur,
}

use KeyGroup::*;

const ALL: [KeyGroup; 19] = [
    CollegeGraduate,
    UnemployedGraduate,
    NeedyGraduate,
    Youth,
    NeedyUnemployedYouth,
    MigrantWorker,
    PovertyAlleviated,
    RegisteredUnemployed,
    EmploymentDifficulty,
    ZeroEmploymentHousehold,
    Veteran,
    Disabled,
    TaiwanCompatriot,
    TaiwanYouth,
    TaiwanCompatriotSpouse,
    HongKongMacaoResident,
    Foreigner,
    FlexibleWorker,
    RuralEntrepreneur,
];

impl KeyGroup {
    pub fn all() -> &'static [KeyGroup] {
        &ALL
    }

    /// The snake-case id used in JSON and URLs.
    pub fn id(self) -> &'static str {
        match self {
            CollegeGraduate => "college_graduate",
            UnemployedGraduate => "unemployed_graduate",
            NeedyGraduate => "needy_graduate",
            Youth => "youth",
            NeedyUnemployedYouth => "needy_unemployed_youth",
            MigrantWorker => "migrant_worker",
            PovertyAlleviated => "poverty_alleviated",
            RegisteredUnemployed => "registered_unemployed",
            EmploymentDifficulty => "employment_difficulty",
            ZeroEmploymentHousehold => "zero_employment_household",
            Veteran => "veteran",
            Disabled => "disabled",
            TaiwanCompatriot => "taiwan_compatriot",
            TaiwanYouth => "taiwan_youth",
            TaiwanCompatriotSpouse => "taiwan_compatriot_spouse",
            HongKongMacaoResident => "hkmo_resident",
            Foreigner => "foreigner",
            FlexibleWorker => "flexible_worker",
            RuralEntrepreneur => "rural_entrepreneur",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            CollegeGraduate => "高校毕业生",
            UnemployedGraduate => "离校未就业高校毕业生",
            NeedyGraduate => "困难高校毕业生",
            Youth => "青年",
            NeedyUnemployedYouth => "困难失业青年",
            MigrantWorker => "农民工（农村转移劳动力）",
            PovertyAlleviated => "脱贫劳动力",
            RegisteredUnemployed => "登记失业人员",
            EmploymentDifficulty => "就业困难人员",
            ZeroEmploymentHousehold => "零就业家庭成员",
            Veteran => "退役军人",
            Disabled => "残疾人",
            TaiwanCompatriot => "台胞",
            TaiwanYouth => "台湾青年",
            TaiwanCompatriotSpouse => "台胞配偶",
            HongKongMacaoResident => "港澳居民",
            Foreigner => "外籍人员",
            FlexibleWorker => "灵活就业人员",
            RuralEntrepreneur => "农村自主创业人员",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            CollegeGraduate => "College graduate",
            UnemployedGraduate => "Graduate not yet employed after leaving school",
            NeedyGraduate => "Graduate from a family in hardship",
            Youth => "Young person",
            NeedyUnemployedYouth => "Unemployed young person in hardship",
            MigrantWorker => "Migrant worker (rural labour moving to work)",
            PovertyAlleviated => "Worker from a household lifted out of poverty",
            RegisteredUnemployed => "Registered unemployed person",
            EmploymentDifficulty => "Person with employment difficulties",
            ZeroEmploymentHousehold => "Member of a zero-employment household",
            Veteran => "Veteran",
            Disabled => "Person with a disability",
            TaiwanCompatriot => "Taiwan compatriot",
            TaiwanYouth => "Young Taiwan compatriot",
            TaiwanCompatriotSpouse => "Spouse of a Taiwan compatriot",
            HongKongMacaoResident => "Hong Kong or Macao resident",
            Foreigner => "Foreign national",
            FlexibleWorker => "Flexible (gig) worker",
            RuralEntrepreneur => "Rural self-employed entrepreneur",
        }
    }

    /// Groups a person belongs to by the identity document they hold — never ticked by hand.
    pub fn from_document(kind: super::DocumentKind, nationality: Option<super::Nationality>) -> Vec<KeyGroup> {
        let mut out = Vec::new();
        if kind.taiwan() {
            out.push(TaiwanCompatriot);
        }
        if kind.hong_kong_macao() {
            out.push(HongKongMacaoResident);
        }
        if nationality.is_some_and(|n| !n.is_chinese()) {
            out.push(Foreigner);
        }
        out
    }

    /// Is this group known only from the identity document?
    pub fn by_document(self) -> bool {
        matches!(self, TaiwanCompatriot | HongKongMacaoResident | Foreigner)
    }

    /// The groups a person has: what was ticked (less what only a document can say) and what
    /// their document says.
    pub fn with_document(
        ticked: &[KeyGroup],
        kind: super::DocumentKind,
        nationality: Option<super::Nationality>,
    ) -> Vec<KeyGroup> {
        let mut out: Vec<KeyGroup> = ticked.iter().copied().filter(|g| !g.by_document()).collect();
        out.extend(KeyGroup::from_document(kind, nationality));
        out.sort();
        out.dedup();
        out
    }

    /// Parse a snake-case id (`college_graduate`).
    pub fn parse(s: &str) -> Result<KeyGroup, CodeError> {
        let s = s.trim();
        ALL.iter().copied().find(|g| g.id() == s).ok_or_else(|| CodeError::new(ERR_UNKNOWN).arg("value", s))
    }
}

impl std::fmt::Display for KeyGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for KeyGroup {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyGroup::parse(s)
    }
}
