//! Mainland China mobile numbers: 11 digits `1[3-9]xxxxxxxxx`, optionally written with a
//! `+86`/`86`/`0086` country prefix, spaces and hyphens.

use crate::CodeError;

pub const ERR_FORMAT: &str = "mobile.format";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(s: &str) -> Result<Mobile, CodeError> {
        let compact: String = super::normalise(s).chars().filter(|c| *c != ' ' && *c != '-').collect();
        let digits = if let Some(rest) = compact.strip_prefix("+86") {
            rest
        } else if let Some(rest) = compact.strip_prefix("0086") {
            rest
        } else if compact.len() == 13 {
            compact.strip_prefix("86").unwrap_or(&compact)
        } else {
            &compact
        };
        let b = digits.as_bytes();
        let ok = b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
        if !ok {
            return Err(CodeError::new(ERR_FORMAT));
        }
        Ok(Mobile(digits.to_string()))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****1234`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl std::fmt::Display for Mobile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

super::serialize_as_str!(Mobile);
super::try_from_via_parse!(Mobile);
