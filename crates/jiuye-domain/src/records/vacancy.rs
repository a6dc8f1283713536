//! A vacancy (岗位): what an employer offers, where, for how much, until when.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::CodeError;
use crate::codes::{DistrictCode, EducationLevel, IndustryCode, OccupationCode};
use crate::records::pay::Pay;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VacancyKind {
    /// 全职
    FullTime,
    /// 兼职
    PartTime,
    /// 就业见习
    Internship,
    /// 公益性岗位
    PublicWelfare,
    /// 零工
    Gig,
}

impl VacancyKind {
    pub const ALL: [Self; 5] = [Self::FullTime, Self::PartTime, Self::Internship, Self::PublicWelfare, Self::Gig];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FullTime => "full_time",
            Self::PartTime => "part_time",
            Self::Internship => "internship",
            Self::PublicWelfare => "public_welfare",
            Self::Gig => "gig",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }

    pub fn label_key(self) -> String {
        format!("vacancy.kind.{}", self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VacancyStatus {
    Open,
    Closed,
    Filled,
    Expired,
}

impl VacancyStatus {
    pub const ALL: [Self; 4] = [Self::Open, Self::Closed, Self::Filled, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Filled => "filled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }

    pub fn label_key(self) -> String {
        format!("vacancy.status.{}", self.as_str())
    }

    /// Which status changes an employer or caseworker may make by hand. Expiry is the clock's.
    pub fn can_become(self, next: VacancyStatus) -> bool {
        use VacancyStatus::*;
        matches!((self, next), (Open, Closed) | (Open, Filled) | (Closed, Open) | (Expired, Open))
    }
}

/// The longest a vacancy may stay open without being renewed.
pub const MAX_OPEN_DAYS: i64 = 365;

#[derive(Debug, Clone)]
pub struct VacancyDraft {
    pub title: String,
    pub description: String,
    pub occupation: OccupationCode,
    pub industry: IndustryCode,
    pub district: DistrictCode,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Checked when stated ([`Pay::state`]).
    pub pay: Pay,
    pub headcount: i32,
    pub education_required: Option<EducationLevel>,
    pub kind: VacancyKind,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub skills: Vec<String>,
}

impl VacancyDraft {
    /// Cross-field rules, every problem reported. `today` decides whether a close date is in the past.
    pub fn check(&self, today: NaiveDate) -> Vec<CodeError> {
        let mut errors = Vec::new();
        if !(1..=10_000).contains(&self.headcount) {
            errors.push(CodeError::new("vacancy.headcount").field("headcount"));
        }
        if self.closes_on < self.opens_on {
            errors.push(CodeError::new("vacancy.closes_before_opens").field("closes_on"));
        } else if (self.closes_on - self.opens_on).num_days() > MAX_OPEN_DAYS {
            errors
                .push(CodeError::new("vacancy.open_too_long").field("closes_on").arg("max", MAX_OPEN_DAYS.to_string()));
        }
        if self.closes_on < today {
            errors.push(CodeError::new("vacancy.closes_in_past").field("closes_on"));
        }
        match (self.latitude, self.longitude) {
            (None, None) => {}
            (Some(lat), Some(lon)) => {
                if !crate::geo::in_xiamen((lat, lon)) {
                    errors.push(CodeError::new("vacancy.coordinates_outside_xiamen").field("latitude"));
                }
            }
            _ => errors.push(CodeError::new("vacancy.coordinates_pair").field("longitude")),
        }
        if self.kind == VacancyKind::Gig && self.occupation.level() < 4 {
            // Gig matching needs a concrete trade to dispatch on.
            errors.push(CodeError::new("vacancy.gig_needs_detailed_occupation").field("occupation"));
        }
        errors
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Vacancy {
    pub id: Uuid,
    pub employer_id: Uuid,
    pub employer_name: String,
    pub title: String,
    pub description: String,
    pub occupation: OccupationCode,
    pub industry: IndustryCode,
    pub district: DistrictCode,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Monthly equivalent of the pay in yuan (0–0 for 面议): what filters, sorting and
    /// matching compare. `pay` says how the employer stated it.
    pub salary_min: i32,
    pub salary_max: i32,
    pub pay: Pay,
    pub headcount: i32,
    pub education_required: Option<EducationLevel>,
    pub kind: VacancyKind,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub skills: Vec<String>,
    pub status: VacancyStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Vacancy {
    /// The status as of `today`: an open vacancy past its close date is expired even before
    /// the sweep writes it down, so no reader ever shows a stale open vacancy.
    pub fn status_on(&self, today: NaiveDate) -> VacancyStatus {
        if self.status == VacancyStatus::Open && self.closes_on < today { VacancyStatus::Expired } else { self.status }
    }
}

/// 公益性岗位 take only people with employment difficulty (就业困难人员): the one rule the
/// matcher, placements and subsidy claims all read.
pub fn public_welfare_eligible(groups: &[crate::codes::KeyGroup]) -> bool {
    groups.contains(&crate::codes::KeyGroup::EmploymentDifficulty)
}
