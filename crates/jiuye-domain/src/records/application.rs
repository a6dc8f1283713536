//! An application (求职申请): a seeker applies to a vacancy; the employer moves it on; the
//! seeker may withdraw; inaction closes it. Every change is an event, never an overwrite.

use serde::{Deserialize, Serialize};

use crate::CodeError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    Viewed,
    Interview,
    Hired,
    Rejected,
    Withdrawn,
    /// Closed by the platform after a long silence from the employer.
    Closed,
}

/// Who moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationActor {
    Seeker,
    Employer,
    System,
}

/// Days without any employer action after which an open application closes.
pub const STALE_AFTER_DAYS: i64 = 60;

impl ApplicationStatus {
    pub const ALL: [Self; 7] =
        [Self::Submitted, Self::Viewed, Self::Interview, Self::Hired, Self::Rejected, Self::Withdrawn, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Viewed => "viewed",
            Self::Interview => "interview",
            Self::Hired => "hired",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }

    pub fn label_key(self) -> String {
        format!("application.status.{}", self.as_str())
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::Viewed | Self::Interview)
    }

    /// The state machine: which actor may move an application from here to there.
    pub fn may_move(self, to: ApplicationStatus, actor: ApplicationActor) -> bool {
        use ApplicationActor as A;
        use ApplicationStatus::*;
        if !self.is_open() {
            return false;
        }
        match (actor, to) {
            (A::Employer, Viewed) => self == Submitted,
            (A::Employer, Interview) => matches!(self, Submitted | Viewed),
            (A::Employer, Hired | Rejected) => true,
            (A::Seeker, Withdrawn) => true,
            (A::System, Closed) => true,
            _ => false,
        }
    }
}
