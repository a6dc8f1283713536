//! Property tests of the parsers: no input makes them panic, generated valid numbers
//! round-trip, and every single-character corruption of a valid number is rejected.
//!
//! Why every single substitution is caught:
//! - 居民身份证号码: ISO 7064 MOD 11-2 gives the 17 digits the weights 2^(17-i) mod 11, none of
//!   them 0 mod 11. Replacing digit a by digit b at position i changes the weighted sum by
//!   (b - a)·w_i, and since 11 is prime and 0 < |b - a| < 11, that change is never 0 mod 11,
//!   so the computed check character changes while the written one stays. Replacing the check
//!   character itself by anything else cannot match either. A non-digit in the first 17 is a
//!   format error and a space or a multi-byte character changes the length or the format.
//!   The only "substitution" that is accepted is x for X, which is the same character.
//! - 统一社会信用代码: MOD 31 with weights 3^i mod 31 (none 0), character values 0..30 in a
//!   31-character alphabet, 31 prime: the same argument; a character outside the alphabet is
//!   refused; a space or hyphen is removed and the length becomes 17. Lower case is upper-cased,
//!   so replacing a letter by its own lower case is not a corruption.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use chrono::{Datelike, Duration, NaiveDate};
use jiuye_domain::codes::{
    CreditCode, DistrictCode, EducationLevel, IndustryCode, KeyGroup, Mobile, NationalId, OccupationCode, ProvinceCode,
    StreetCode, credit_code, industry, occupation, region,
};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A valid ID number from a prefix index, a range choice, a day fraction and a sequence.
fn make_id(prefix_ix: usize, range_ix: usize, year_frac: u32, day: u32, seq: u32) -> Option<String> {
    let prefixes = region::id_prefixes();
    let prefix = prefixes[prefix_ix % prefixes.len()];
    let ranges = region::id_prefix_years(prefix);
    let (from, to) = ranges[range_ix % ranges.len()];
    let lo = from.unwrap_or(1900).max(1900);
    let hi = to.unwrap_or(2026).min(2026);
    if lo > hi {
        return None;
    }
    let year = lo + (year_frac % (hi - lo + 1) as u32) as i32;
    let date = (NaiveDate::from_ymd_opt(year, 1, 1)? + Duration::days(i64::from(day % 365))).min(today());
    let date = if date.year() != year { NaiveDate::from_ymd_opt(year, 12, 31)?.min(today()) } else { date };
    let first17 = format!("{prefix}{}{:03}", date.format("%Y%m%d"), seq % 1000);
    let check = NationalId::check_char(&first17)?;
    Some(format!("{first17}{check}"))
}

fn id_strategy() -> impl Strategy<Value = String> {
    (any::<usize>(), any::<usize>(), any::<u32>(), any::<u32>(), any::<u32>())
        .prop_filter_map("no year in range", |(p, r, y, d, s)| make_id(p, r, y, d, s))
}

const ALPHABET: &[u8] = credit_code::ALPHABET.as_bytes();

fn credit_strategy() -> impl Strategy<Value = String> {
    ("[1-9][1-9][0-9]{6}", proptest::collection::vec(0..ALPHABET.len(), 9)).prop_map(|(head, tail)| {
        let body: String = tail.iter().map(|i| ALPHABET[*i] as char).collect();
        let first17 = format!("{head}{body}");
        let check = CreditCode::check_char(&first17).unwrap();
        format!("{first17}{check}")
    })
}

/// What a typed character stands for after normalisation (full-width digits, lower case).
fn typed_as(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
        c => c.to_ascii_uppercase(),
    }
}

fn replace_at(s: &str, pos: usize, c: char) -> String {
    s.chars().enumerate().map(|(i, o)| if i == pos { c } else { o }).collect()
}

const REPLACEMENTS: &[char] = &[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', 'x', 'A', 'a', 'I', 'O', 'Z', 'Y', 'y', ' ', '-', '*', 'é',
    '中', '０', '５', 'Ｘ',
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(s in any::<String>()) {
        let _ = NationalId::parse(&s, today());
        let _ = CreditCode::parse(&s);
        let _ = Mobile::parse(&s);
        let _ = DistrictCode::parse(&s);
        let _ = StreetCode::parse(&s);
        let _ = ProvinceCode::parse(&s);
        let _ = OccupationCode::parse(&s);
        let _ = IndustryCode::parse(&s);
        let _ = EducationLevel::parse(&s);
        let _ = KeyGroup::parse(&s);
        let _ = occupation::search_by_name(&s);
    }

    #[test]
    fn parsers_never_panic_on_code_like_input(s in "[0-9xXA-Za-z +\\-]{0,22}") {
        let _ = NationalId::parse(&s, today());
        let _ = CreditCode::parse(&s);
        let _ = Mobile::parse(&s);
        let _ = ProvinceCode::parse(&s);
        let _ = OccupationCode::parse(&s);
        let _ = IndustryCode::parse(&s);
    }

    #[test]
    fn national_id_round_trips(id in id_strategy(), pad in "[ \t]{0,2}") {
        let parsed = NationalId::parse(&format!("{pad}{}{pad}", id.to_lowercase()), today()).unwrap();
        prop_assert_eq!(parsed.as_str(), id.as_str());
        prop_assert_eq!(parsed.region_prefix(), &id[..6]);
        prop_assert_eq!(parsed.birth_date().format("%Y%m%d").to_string(), &id[6..14]);
        prop_assert!(parsed.birth_date() <= today());
        let again = NationalId::parse(parsed.as_str(), today()).unwrap();
        prop_assert_eq!(again, parsed.clone());
        let debug = format!("{:?}", parsed);
        prop_assert!(!debug.contains(&id[6..14]));
    }

    #[test]
    fn national_id_single_corruption_rejected(id in id_strategy(), pos in 0usize..18, r in 0..REPLACEMENTS.len()) {
        let c = REPLACEMENTS[r];
        let original = id.chars().nth(pos).unwrap();
        prop_assume!(typed_as(c) != original);
        let corrupted = replace_at(&id, pos, c);
        prop_assert!(NationalId::parse(&corrupted, today()).is_err(), "{corrupted} accepted");
    }

    #[test]
    fn credit_code_round_trips(code in credit_strategy()) {
        let parsed = CreditCode::parse(&code.to_lowercase()).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
        prop_assert_eq!(parsed.admin_region(), &code[2..8]);
        let dashed = format!("{}-{} {}", &code[..2], &code[2..8], &code[8..]);
        prop_assert_eq!(CreditCode::parse(&dashed).unwrap(), parsed.clone());
        let json = serde_json::to_string(&parsed).unwrap();
        prop_assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), parsed);
    }

    #[test]
    fn credit_code_single_corruption_rejected(code in credit_strategy(), pos in 0usize..18, r in 0..REPLACEMENTS.len()) {
        let c = REPLACEMENTS[r];
        let original = code.chars().nth(pos).unwrap();
        prop_assume!(typed_as(c) != original);
        let corrupted = replace_at(&code, pos, c);
        prop_assert!(CreditCode::parse(&corrupted).is_err(), "{corrupted} accepted");
    }

    #[test]
    fn mobile_round_trips(m in "1[3-9][0-9]{9}", prefix in prop::sample::select(vec!["", "+86", "86", "+86 ", "0086"])) {
        let spaced = format!("{prefix}{} {}-{}", &m[..3], &m[3..7], &m[7..]);
        let parsed = Mobile::parse(&spaced).unwrap();
        prop_assert_eq!(parsed.as_str(), m.as_str());
        prop_assert_eq!(parsed.masked(), format!("{}****{}", &m[..3], &m[7..]));
    }

    #[test]
    fn mobile_rejects_other_lengths(m in "1[3-9][0-9]{0,8}|1[3-9][0-9]{10,12}") {
        prop_assume!(m.len() != 13 || !m.starts_with("86"));
        prop_assert!(Mobile::parse(&m).is_err());
    }

    #[test]
    fn every_listed_code_parses(i in any::<usize>()) {
        let o = &occupation::all()[i % occupation::all().len()];
        let c = OccupationCode::parse(o.code).unwrap();
        prop_assert_eq!(c.as_str(), o.code);
        prop_assert_eq!(c.ancestors().len() + 1, usize::from(o.level));
        let ind = &industry::all()[i % industry::all().len()];
        let ic = IndustryCode::parse(ind.code).unwrap();
        prop_assert_eq!(ic.as_str(), ind.code);
        prop_assert_eq!(ic.section().level(), 1);
    }
}

/// Filling placeholders one replace per argument, as the catalogue once did: the oracle.
fn replaced(template: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(template.to_string(), |acc, (k, v)| acc.replace(&format!("{{{k}}}"), v))
}

proptest! {
    /// The one-pass renderer fills what one replace per argument fills (a key not in the
    /// catalogue is its own template), for any text of braces and values without them.
    #[test]
    fn placeholders_fill_as_one_replace_per_argument_would(
        template in "[ab {}厦]{0,40}",
        a in "[a-z0-9 厦]{0,8}",
        b in "[a-z0-9]{0,8}",
    ) {
        let args = [("a", a), ("b", b)];
        let got = jiuye_domain::messages::render_args(&template, jiuye_domain::Lang::Zh, &args);
        prop_assert_eq!(got, replaced(&template, &args));
    }
}
