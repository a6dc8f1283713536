//! The one error type of the domain: a stable code plus arguments. Texts come from the
//! message catalogue, so every caller (web, CLI) shows the same zh-CN and English words.

use crate::messages;

/// A value that failed to parse or a rule that refused an action.
///
/// `code` is stable and machine-readable (e.g. `national_id.checksum`); `field` names the
/// input field when the edge knows it; `args` fill `{name}` placeholders in the catalogue text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeError {
    pub code: &'static str,
    pub field: Option<String>,
    pub args: Vec<(&'static str, String)>,
}

impl CodeError {
    pub fn new(code: &'static str) -> Self {
        Self { code, field: None, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// Attach the input field this error is about (the edge knows field names, parsers do not).
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn message_zh(&self) -> String {
        messages::render(self.code, messages::Lang::Zh, &self.args)
    }

    pub fn message_en(&self) -> String {
        messages::render(self.code, messages::Lang::En, &self.args)
    }
}

impl std::fmt::Display for CodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field}): {}", self.code, self.message_en()),
            None => write!(f, "{}: {}", self.code, self.message_en()),
        }
    }
}

impl std::error::Error for CodeError {}
