//! Free-text rules shared by every record: trimmed, non-empty where required, bounded length.

use crate::CodeError;

/// A required text field: trimmed, 1..=max characters (not bytes: Chinese text counts by character).
pub fn required(field: &str, value: &str, max: usize) -> Result<String, CodeError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(CodeError::new("input.required").field(field));
    }
    bounded(field, v, max).map(str::to_string)
}

/// An optional text field: empty means absent.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, CodeError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded(field, v, max).map(|v| Some(v.to_string())),
    }
}

fn bounded<'a>(field: &str, v: &'a str, max: usize) -> Result<&'a str, CodeError> {
    if v.chars().count() > max {
        return Err(CodeError::new("input.too_long").field(field).arg("max", max.to_string()));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(CodeError::new("input.control_chars").field(field));
    }
    Ok(v)
}

/// A list of short labels (skills, tags): each trimmed and bounded, empties dropped, at most `max_items`.
pub fn labels(field: &str, values: &[String], max_items: usize, max_len: usize) -> Result<Vec<String>, CodeError> {
    if values.len() > max_items {
        return Err(CodeError::new("input.too_many").field(field).arg("max", max_items.to_string()));
    }
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        if let Some(v) = optional(field, Some(v), max_len)?
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    Ok(out)
}
