//! 统一社会信用代码 — unified social credit code, GB 32100-2015.
//!
//! 18 characters from the alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, S, V, Z):
//! registration authority (1), organisation category (1), administrative region code (6
//! digits, GB/T 2260), organisation code (9, GB 11714) and a MOD 31 check character.
//!
//! The checks are exactly those of python-stdnum's `stdnum.cn.uscc`: spaces and hyphens are
//! removed, letters upper-cased; length 18; the first 8 characters are digits; the rest are
//! in the alphabet; the check character matches. (Like stdnum, the GB 11714 check character
//! inside the organisation code is not checked: codes issued to individual businesses do not
//! always carry one.)

use crate::CodeError;

pub const ERR_LENGTH: &str = "credit_code.length";
pub const ERR_FORMAT: &str = "credit_code.format";
pub const ERR_ALPHABET: &str = "credit_code.alphabet";
pub const ERR_CHECKSUM: &str = "credit_code.checksum";

pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A validated 统一社会信用代码 (upper case, no separators).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct CreditCode(String);

fn value_of(c: char) -> Option<usize> {
    ALPHABET.find(c)
}

/// The check character for the first 17 characters, or `None` unless `first17` is exactly 17
/// characters of the alphabet (upper case).
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut total = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        total += value_of(c)? * w;
    }
    ALPHABET.chars().nth((31 - total % 31) % 31)
}

impl CreditCode {
    pub fn parse(s: &str) -> Result<CreditCode, CodeError> {
        let compact: String = super::normalise(s).chars().filter(|c| *c != ' ' && *c != '-').collect();
        let code = compact.trim().to_uppercase();
        let len = code.chars().count();
        if len != 18 {
            return Err(CodeError::new(ERR_LENGTH).arg("length", len.to_string()));
        }
        if !code.chars().take(8).all(|c| c.is_ascii_digit()) {
            return Err(CodeError::new(ERR_FORMAT));
        }
        if let Some(bad) = code.chars().find(|c| value_of(*c).is_none()) {
            return Err(CodeError::new(ERR_ALPHABET).arg("char", bad.to_string()));
        }
        // All 18 characters are ASCII now.
        if check_char(&code[..17]) != code[17..].chars().next() {
            return Err(CodeError::new(ERR_CHECKSUM));
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The check character for the first 17 characters (see [`check_char`]).
    pub fn check_char(first17: &str) -> Option<char> {
        check_char(first17)
    }

    /// 登记管理部门代码, e.g. `9` 工商.
    pub fn registration_authority(&self) -> char {
        self.0.chars().next().unwrap_or('0')
    }

    /// 机构类别代码, e.g. `1` 企业 under 工商.
    pub fn org_category(&self) -> char {
        self.0.chars().nth(1).unwrap_or('0')
    }

    /// The 6-digit administrative region code (characters 3–8).
    pub fn admin_region(&self) -> &str {
        &self.0[2..8]
    }

    /// The 9-character organisation code (characters 9–17).
    pub fn org_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl std::fmt::Display for CreditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

super::serialize_as_str!(CreditCode);
super::try_from_via_parse!(CreditCode);
