//! "131": at least 1 career guidance, 3 job recommendations and 1 training or internship offer
//! for every registered unemployed person, each due within a window from registration.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::rules::CaseworkRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum One31Item {
    Guidance,
    Referrals,
    TrainingOrInternship,
}

impl One31Item {
    pub const ALL: [Self; 3] = [Self::Guidance, Self::Referrals, Self::TrainingOrInternship];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guidance => "guidance",
            Self::Referrals => "referrals",
            Self::TrainingOrInternship => "training_or_internship",
        }
    }

    pub fn label_key(self) -> String {
        format!("casework.one31.{}", self.as_str())
    }
}

/// Worst first, so `max` of the items' statuses is the person's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum One31Status {
    Complete,
    OnTrack,
    DueSoon,
    Overdue,
}

impl One31Status {
    pub const ALL: [Self; 4] = [Self::Complete, Self::OnTrack, Self::DueSoon, Self::Overdue];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::OnTrack => "on_track",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Result<Self, crate::CodeError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| crate::CodeError::new("input.enum").arg("value", s))
    }

    pub fn label_key(self) -> String {
        format!("casework.one31.status.{}", self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct One31Progress {
    pub item: One31Item,
    pub done: u32,
    pub needed: u32,
    pub due_on: NaiveDate,
    pub status: One31Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct One31 {
    pub items: Vec<One31Progress>,
    pub status: One31Status,
    /// The earliest due date among unfinished items; `None` once all are done. Stored with the
    /// registration so lists filter by status in SQL: overdue ⇔ `next_due_on < today`.
    pub next_due_on: Option<NaiveDate>,
}

impl CaseworkRules {
    pub fn one31_due_on(&self, item: One31Item, registered_on: NaiveDate) -> NaiveDate {
        let o = &self.one31;
        let days = match item {
            One31Item::Guidance => o.guidance_within_days,
            One31Item::Referrals => o.referrals_within_days,
            One31Item::TrainingOrInternship => o.training_within_days,
        };
        registered_on + Duration::days(i64::from(days))
    }

    pub fn one31_needed(&self, item: One31Item) -> u32 {
        match item {
            One31Item::Referrals => self.one31.referrals_needed,
            One31Item::Guidance | One31Item::TrainingOrInternship => 1,
        }
    }

    /// Progress from the counts of services delivered (`[guidance, referrals, training]`).
    pub fn one31(&self, registered_on: NaiveDate, done: [u32; 3], today: NaiveDate) -> One31 {
        let soon = Duration::days(i64::from(self.one31.due_soon_days));
        let items: Vec<One31Progress> = One31Item::ALL
            .into_iter()
            .zip(done)
            .map(|(item, done)| {
                let needed = self.one31_needed(item);
                let due_on = self.one31_due_on(item, registered_on);
                let status = if done >= needed {
                    One31Status::Complete
                } else if due_on < today {
                    One31Status::Overdue
                } else if due_on <= today + soon {
                    One31Status::DueSoon
                } else {
                    One31Status::OnTrack
                };
                One31Progress { item, done, needed, due_on, status }
            })
            .collect();
        let status = items.iter().map(|i| i.status).max().unwrap_or(One31Status::Complete);
        let next_due_on = items.iter().filter(|i| i.status != One31Status::Complete).map(|i| i.due_on).min();
        One31 { items, status, next_due_on }
    }

    /// The status a stored `next_due_on` means today (the same answer as [`Self::one31`]).
    pub fn one31_status_of(&self, next_due_on: Option<NaiveDate>, today: NaiveDate) -> One31Status {
        match next_due_on {
            None => One31Status::Complete,
            Some(d) if d < today => One31Status::Overdue,
            Some(d) if d <= today + Duration::days(i64::from(self.one31.due_soon_days)) => One31Status::DueSoon,
            Some(_) => One31Status::OnTrack,
        }
    }
}
