//! Hostile input stopped at the edge, before any handler and so before any database: control
//! characters in any string — JSON keys and values, query parameters, form fields, path
//! segments — and dates outside 1900–2100, each refused with the field named. Free text keeps
//! its tabs and line breaks; nothing else below U+0020 (NUL above all: PostgreSQL refuses it in
//! text) and no U+007F–U+009F ever reaches a record.

use jiuye_domain::CodeError;
use serde_json::Value;

/// The years any date the platform accepts may fall in. Fields narrow this further (a birth
/// from 1900 up to today; an event from the platform's first year up to today).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

fn control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// A date written as `YYYY-MM-DD` (with an optional sign, or more year digits; alone or as the
/// start of a date-time) whose year is outside [`YEARS`]: `0000-01-01`, `-0001-01-01`,
/// `+275760-09-13`, `99999-12-31T23:59:59Z`.
fn date_out_of_range(s: &str) -> bool {
    let s = s.split(['T', 't', ' ']).next().unwrap_or(s);
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let signed = body.len() != s.len();
    let mut parts = body.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !(y.len() >= 4 && digits(y) && m.len() == 2 && digits(m) && d.len() == 2 && digits(d)) {
        return false;
    }
    signed || y.parse::<i32>().map_or(true, |y| !YEARS.contains(&y))
}

/// One string value of `field`: no control characters, and no date outside [`YEARS`].
pub fn check(field: &str, s: &str) -> Result<(), CodeError> {
    if s.chars().any(control) {
        return Err(CodeError::new("input.control_chars").field(field));
    }
    if date_out_of_range(s.trim()) {
        return Err(CodeError::new("input.date_range")
            .field(field)
            .arg("from", format!("{}-01-01", YEARS.start()))
            .arg("to", format!("{}-12-31", YEARS.end())));
    }
    Ok(())
}

/// Every key and string of a JSON body; the field is the path (`person.identity.number`).
pub fn check_json(v: &Value) -> Result<(), CodeError> {
    fn walk(v: &Value, path: &mut String) -> Result<(), CodeError> {
        match v {
            Value::String(s) => check(if path.is_empty() { "." } else { path }, s),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    if k.chars().any(control) {
                        return Err(CodeError::new("input.control_chars").field(path.clone()));
                    }
                    walk(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(v, &mut String::new())
}

/// Decoded `name=value` pairs of a query string or form body.
pub fn check_pairs<'a>(
    pairs: impl IntoIterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Result<(), CodeError> {
    for (k, v) in pairs {
        if k.chars().any(control) {
            return Err(CodeError::new("input.control_chars").field("query"));
        }
        check(&k, &v)?;
    }
    Ok(())
}

/// The raw query string (bytes that are not UTF-8 after decoding are replaced, and so refused
/// as a control-free but wrong value by the field's own parser).
pub fn check_query(query: &str) -> Result<(), CodeError> {
    check_pairs(form_urlencoded::parse(query.as_bytes()))
}

/// The path: every segment must decode to UTF-8 text without control characters.
pub fn check_path(path: &str) -> Result<(), CodeError> {
    for segment in path.split('/') {
        let decoded: Vec<u8> = percent_decode(segment);
        match std::str::from_utf8(&decoded) {
            Ok(s) if !s.chars().any(control) => {}
            Ok(_) => return Err(CodeError::new("input.control_chars").field("path")),
            Err(_) => return Err(CodeError::new("input.path").field("path")),
        }
    }
    Ok(())
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(0));
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn what_is_refused_and_what_is_kept() {
        let refused = [
            "a\u{0}b",
            "\u{1b}[31m",
            "x\u{7f}",
            "\u{85}",
            "line\u{2028}sep",
            "0000-01-01",
            "-0001-01-01",
            "+275760-09-13",
            "1899-12-31",
            "2101-01-01",
            "99999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
        ];
        for s in refused {
            assert!(check("f", s).is_err(), "{s:?}");
        }
        let kept = [
            "2026-12-02T08:00:00Z",
            "电工\t夜班\n包住",
            "1900-01-01",
            "2026-12-02",
            "2100-12-31",
            "12-31",
            "2026-1-1x",
            "-",
            "普工 湖里",
        ];
        for s in kept {
            assert!(check("f", s).is_ok(), "{s:?}");
        }
        assert_eq!(
            check_json(&serde_json::json!({"a": {"b": ["ok", "x\u{0}"]}})).unwrap_err().field.as_deref(),
            Some("a.b[1]")
        );
        assert_eq!(check_query("q=%00&x=1").unwrap_err().field.as_deref(), Some("q"));
        assert!(check_query("q=%E7%94%B5%E5%B7%A5&salary_min=5000").is_ok());
        assert_eq!(check_path("/api/v1/codes/%C0%AF").unwrap_err().code, "input.path");
        assert_eq!(check_path("/api/v1/persons/%00").unwrap_err().code, "input.control_chars");
        assert!(check_path("/api/v1/codes/%E8%81%8C%E4%B8%9A").is_ok());
    }
}
