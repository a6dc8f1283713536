//! An employer (用人单位), identified by its unified social credit code.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::CodeError;
use crate::codes::{CreditCode, DistrictCode, IndustryCode, Mobile};

/// Enterprise size per the statistical classification of enterprise sizes (大中小微型企业划分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerSize {
    Micro,
    Small,
    Medium,
    Large,
}

impl EmployerSize {
    pub const ALL: [Self; 4] = [Self::Micro, Self::Small, Self::Medium, Self::Large];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Micro => "micro",
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }
}

#[derive(Debug, Clone)]
pub struct EmployerDraft {
    pub credit_code: CreditCode,
    pub name: String,
    pub industry: IndustryCode,
    pub district: DistrictCode,
    pub address: Option<String>,
    pub size: EmployerSize,
    pub key_enterprise: bool,
    pub liaison_account: Option<Uuid>,
    pub contact_name: Option<String>,
    pub contact_mobile: Option<Mobile>,
}

impl EmployerDraft {
    pub fn check(&self) -> Vec<CodeError> {
        let mut errors = Vec::new();
        if self.key_enterprise && self.liaison_account.is_none() {
            errors.push(CodeError::new("employer.key_needs_liaison").field("liaison_account"));
        }
        errors
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Employer {
    pub id: Uuid,
    pub credit_code: CreditCode,
    pub name: String,
    pub industry: IndustryCode,
    pub district: DistrictCode,
    pub address: Option<String>,
    pub size: EmployerSize,
    pub key_enterprise: bool,
    pub liaison_account: Option<Uuid>,
    pub contact_name: Option<String>,
    pub contact_mobile: Option<Mobile>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
