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

/// Every problem of an input, so a refusal names them all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<CodeError>);

impl Problems {
    pub fn push(&mut self, e: CodeError) {
        self.0.push(e);
    }

    /// The value, or its default with the problem kept.
    pub fn keep<T: Default>(&mut self, r: Result<T, CodeError>) -> T {
        r.unwrap_or_else(|e| {
            self.0.push(e);
            T::default()
        })
    }

    /// Refused with every problem kept, or fine.
    pub fn finish(self) -> CoreResult<()> {
        if self.0.is_empty() { Ok(()) } else { Err(CoreError::Invalid(self.0)) }
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
