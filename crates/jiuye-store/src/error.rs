use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key is already taken; `what` names the key (e.g. `national_id`, `credit_code`).
    #[error("already exists: {what}")]
    Conflict { what: &'static str },
    /// A stored value no longer parses: a defect or tampering, never user input.
    /// A domain rule refused the write; the code and arguments say why (e.g. an active
    /// registration exists, naming it).
    #[error("refused: {0}")]
    Refused(jiuye_domain::CodeError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Db(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        StoreError::Db(e)
    }
}

/// Map a unique violation to `Conflict`, anything else to `Db`.
pub(crate) fn conflict_or(e: DbErr, what: &'static str) -> StoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict { what },
        _ => StoreError::Db(e),
    }
}

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}
