//! Identifiers: 居民身份证号码 (unique per run), 统一社会信用代码 (unique per run) and mobiles.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use jiuye_domain::codes::{CreditCode, Mobile, NationalId, Sex, credit_code};
use rand::Rng;

use crate::pick::{SimRng, one};

/// Issues ID numbers, never the same twice in a run. Keeps one `u64` per number issued
/// (8 bytes a person: 1,000,000 persons cost about 16 MB with the table's slack).
#[derive(Default)]
pub(crate) struct IdIssuer {
    issued: HashSet<u64>,
}

impl IdIssuer {
    /// A valid, unused ID number for `prefix` (6 digits), `birth` and `sex`, or `None` if
    /// a few random sequence numbers were all taken or the domain refuses the number.
    pub(crate) fn issue(
        &mut self,
        rng: &mut SimRng,
        prefix: &str,
        birth: NaiveDate,
        sex: Sex,
        today: NaiveDate,
    ) -> Option<NationalId> {
        for _ in 0..8 {
            // Sequence 000–999; its last digit is odd for men, even for women.
            let parity = u32::from(sex == Sex::Male);
            let seq = rng.random_range(0..500u32) * 2 + parity;
            let first17 = format!("{prefix}{:04}{:02}{:02}{seq:03}", birth.year(), birth.month(), birth.day());
            let key = first17.parse::<u64>().ok()?;
            if self.issued.contains(&key) {
                continue;
            }
            let check = NationalId::check_char(&first17)?;
            let mut number = first17;
            number.push(check);
            let id = NationalId::parse(&number, today).ok()?;
            self.issued.insert(key);
            return Some(id);
        }
        None
    }

    pub(crate) fn len(&self) -> usize {
        self.issued.len()
    }
}

/// GB 11714 check character of an 8-character organisation code body (digits and letters).
fn org_check_char(body: &str) -> Option<char> {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0;
    for (c, w) in body.chars().zip(W) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return None,
        };
        sum += v * w;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        d => char::from_digit(d, 10),
    }
}

/// Issues unified social credit codes `91` + district + organisation code + check character.
#[derive(Default)]
pub(crate) struct CreditIssuer {
    issued: HashSet<String>,
}

impl CreditIssuer {
    pub(crate) fn issue(&mut self, rng: &mut SimRng, admin_region: &str) -> Option<CreditCode> {
        let alphabet: Vec<char> = credit_code::ALPHABET.chars().collect();
        for _ in 0..64 {
            let mut body = String::with_capacity(8);
            if rng.random_bool(0.7) {
                // Codes issued since 2015: `MA` + 6 characters.
                body.push_str("MA");
                body.push(*one(rng, &['2', '3', '8']));
                for _ in 0..5 {
                    body.push(*one(rng, &alphabet));
                }
            } else {
                // Older organisation codes: 8 digits.
                body.push(*one(rng, &['1', '2', '3', '5', '6', '7']));
                for _ in 0..7 {
                    body.push(char::from(b'0' + rng.random_range(0..10u8)));
                }
            }
            let Some(org_check) = org_check_char(&body) else {
                continue;
            };
            let first17 = format!("91{admin_region}{body}{org_check}");
            if self.issued.contains(&first17) {
                continue;
            }
            let Some(check) = CreditCode::check_char(&first17) else {
                continue;
            };
            let Ok(code) = CreditCode::parse(&format!("{first17}{check}")) else {
                continue;
            };
            self.issued.insert(first17);
            return Some(code);
        }
        None
    }
}

/// Number segments of the three carriers (and 19x/16x/17x ones).
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187",
    "188", "189", "191", "195", "198", "199",
];

pub(crate) fn mobile(rng: &mut SimRng) -> Option<Mobile> {
    let n: u32 = rng.random_range(0..100_000_000);
    Mobile::parse(&format!("{}{n:08}", one(rng, MOBILE_PREFIXES))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb11714_check_char_of_a_published_code() {
        // python-stdnum's example 91110000600037341L: organisation code 60003734-1.
        assert_eq!(org_check_char("60003734"), Some('1'));
    }
}
