//! 居民身份证号码 — citizen identity number, GB 11643-1999.
//!
//! 18 characters: a 6-digit address code (GB/T 2260 code of the place of first registration,
//! which may since have been abolished), the birth date `YYYYMMDD`, a 3-digit sequence whose
//! last digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check character.
//!
//! The number is personal data: it has no `Display`, its `Debug` shows only the masked form,
//! and it is not `Serialize` — the edge decides whether to show or mask it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::region;
use crate::CodeError;

pub const ERR_LENGTH: &str = "national_id.length";
pub const ERR_FORMAT: &str = "national_id.format";
pub const ERR_CHECKSUM: &str = "national_id.checksum";
pub const ERR_BIRTH_DATE: &str = "national_id.birth_date";
pub const ERR_FUTURE_BIRTH_DATE: &str = "national_id.future_birth_date";
pub const ERR_REGION: &str = "national_id.region";

/// The earliest birth year accepted.
pub const MIN_BIRTH_YEAR: i32 = 1900;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A validated 居民身份证号码 (upper-case `X` as check character).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NationalId {
    number: String,
    birth_date: NaiveDate,
}

/// ISO 7064 MOD 11-2 weights of the first 17 digits: 2^(17-i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits, or `None` unless `first17` is exactly
/// 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

impl NationalId {
    /// Parse and validate. Surrounding whitespace is trimmed, full-width digits are accepted
    /// and a lower-case `x` is read as `X`. Checks, in order: length, digits, check character,
    /// a real birth date from 1900 up to `today`, and an address code in use at some time from
    /// the birth year to this year (see [`region::is_known_id_prefix`]).
    pub fn parse(s: &str, today: NaiveDate) -> Result<NationalId, CodeError> {
        let number = super::normalise(s).to_uppercase();
        let len = number.chars().count();
        if len != 18 {
            return Err(CodeError::new(ERR_LENGTH).arg("length", len.to_string()));
        }
        let bytes = number.as_bytes();
        // 18 chars in 18 bytes means all are ASCII.
        if number.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
            return Err(CodeError::new(ERR_FORMAT));
        }
        let expected = check_char(&number[..17]).ok_or_else(|| CodeError::new(ERR_FORMAT))?;
        let last = char::from(bytes[17]);
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(CodeError::new(ERR_FORMAT));
        }
        if last != expected {
            return Err(CodeError::new(ERR_CHECKSUM));
        }
        let (y, m, d) = (num(&number[6..10]), num(&number[10..12]), num(&number[12..14]));
        let birth_date = NaiveDate::from_ymd_opt(y as i32, m, d)
            .filter(|date| date.year() >= MIN_BIRTH_YEAR)
            .ok_or_else(|| CodeError::new(ERR_BIRTH_DATE).arg("date", number[6..14].to_string()))?;
        if birth_date > today {
            return Err(CodeError::new(ERR_FUTURE_BIRTH_DATE).arg("date", birth_date.format("%Y-%m-%d").to_string()));
        }
        if !region::is_known_id_prefix(&number[..6], birth_date.year(), today.year()) {
            return Err(CodeError::new(ERR_REGION).arg("code", number[..6].to_string()));
        }
        Ok(NationalId { number, birth_date })
    }

    /// The full number. Handle with care: never log it.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The 17th character (last digit of the sequence): odd for men, even for women.
    pub fn sex(&self) -> Sex {
        if num(&self.number[16..17]) % 2 == 1 { Sex::Male } else { Sex::Female }
    }

    /// The 6-digit address code (GB/T 2260 code valid at registration).
    pub fn region_prefix(&self) -> &str {
        &self.number[..6]
    }

    /// First 6 characters, 8 `*`, last 4: `350203********123X`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.number[..6], &self.number[14..])
    }

    /// Age in whole years on `date` (0 if `date` is before the birth date).
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        date.years_since(self.birth_date).unwrap_or(0)
    }

    /// The check character for the first 17 digits (see [`check_char`]).
    pub fn check_char(first17: &str) -> Option<char> {
        check_char(first17)
    }
}

impl std::fmt::Debug for NationalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("NationalId").field(&self.masked()).finish()
    }
}

/// A run of ASCII digits as a number (callers have checked the digits).
fn num(s: &str) -> u32 {
    s.bytes().fold(0, |acc, b| acc * 10 + u32::from(b.wrapping_sub(b'0') % 10))
}
