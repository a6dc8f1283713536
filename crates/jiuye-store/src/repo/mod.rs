//! Queries and writes, one file per record kind. Each write is one transaction with its audit entry.

pub mod accounts;
pub mod activation;
pub mod applications;
pub mod bulk;
pub mod caseload;
pub mod casework_bulk;
pub mod casework_import;
pub mod casework_rules;
pub mod change_wakeup;
pub mod changes;
pub mod claims;
pub mod employers;
pub mod gig;
pub mod households;
pub mod inbox;
pub mod jobs;
pub mod labour_cases;
pub mod ledger;
pub mod login_attempts;
pub mod mediation_orgs;
pub mod oversight;
pub mod persons;
pub mod providers;
pub mod recognitions;
pub mod registrations;
pub mod saved;
pub mod screening;
pub mod sessions;
pub mod settings;
pub mod training;
pub mod vacancies;

use crate::StoreError;
use crate::error::corrupt;

/// Parse a stored code back into its newtype; failure means the row is corrupt, not bad input.
pub(crate) fn stored<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> Result<T, StoreError> {
    r.map_err(|e| corrupt(what, e))
}

pub(crate) fn json_of<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(what: &str, v: serde_json::Value) -> Result<T, StoreError> {
    serde_json::from_value(v).map_err(|e| corrupt(what, e))
}

/// Escape LIKE wildcards in user text so `%` and `_` match themselves.
pub(crate) fn like_contains(q: &str) -> sea_orm::sea_query::LikeExpr {
    like_prefixed("", q)
}

/// `prefix` (taken literally, no wildcards in it) then anything containing `q`.
pub(crate) fn like_prefixed(prefix: &str, q: &str) -> sea_orm::sea_query::LikeExpr {
    let mut pattern = String::with_capacity(prefix.len() + q.len() + 2);
    pattern.push_str(prefix);
    pattern.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')
}
