//! The service layer's refusals. The web crate maps each to a status and code in its one
//! error table; the CLI prints the catalogue texts.

use jiuye_domain::CodeError;
use jiuye_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Unknown, or outside the actor's scope: the two are never told apart.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("not signed in")]
    Unauthenticated,
    /// Input that failed a rule, every problem with its field.
    #[error("invalid input")]
    Invalid(Vec<CodeError>),
    /// A rule refused the action; the code says why.
    #[error("refused: {0}")]
    Refused(CodeError),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Store(StoreError),
}

pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    pub fn invalid(e: CodeError) -> Self {
        CoreError::Invalid(vec![e])
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CoreError::NotFound,
            StoreError::Conflict { what } => CoreError::Conflict(what),
            StoreError::Refused(e) => CoreError::Refused(e),
            other => CoreError::Store(other),
        }
    }
}

impl From<CodeError> for CoreError {
    fn from(e: CodeError) -> Self {
        CoreError::Invalid(vec![e])
    }
}
