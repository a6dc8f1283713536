//! National code lists and identifiers: parsing, validation and look-up.
//!
//! Every list is our own tab-separated file in `data/codes/` (codes and official names only;
//! each file's `#` header names the standard, edition, source and errata), embedded with
//! `include_str!` and parsed once. Every parser returns [`CodeError`](crate::CodeError) with a
//! stable code listed in [`ERROR_CODES`]; the texts live in `data/messages/codes.toml`.

pub mod credit_code;
pub mod education;
pub mod identity;
pub mod industry;
pub mod key_group;
pub mod mobile;
pub mod national_id;
pub mod occupation;
pub mod region;

pub use credit_code::CreditCode;
pub use education::EducationLevel;
pub use identity::{DocumentKind, Identity, Nationality};
pub use industry::{Industry, IndustryCode};
pub use key_group::KeyGroup;
pub use mobile::Mobile;
pub use national_id::{NationalId, Sex};
pub use occupation::{Occupation, OccupationCode};
pub use region::{DistrictCode, ProvinceCode, Region, RegionLevel, StreetCode};

/// Every error code the parsers of this module can return (each has a catalogue entry).
pub const ERROR_CODES: &[&str] = &[
    national_id::ERR_LENGTH,
    national_id::ERR_FORMAT,
    national_id::ERR_CHECKSUM,
    national_id::ERR_BIRTH_DATE,
    national_id::ERR_FUTURE_BIRTH_DATE,
    national_id::ERR_REGION,
    identity::ERR_KIND,
    identity::ERR_FORMAT,
    identity::ERR_NATIONALITY,
    identity::ERR_NATIONALITY_REQUIRED,
    identity::ERR_NATIONALITY_MISMATCH,
    identity::ERR_PERMIT_REGION,
    credit_code::ERR_LENGTH,
    credit_code::ERR_FORMAT,
    credit_code::ERR_ALPHABET,
    credit_code::ERR_CHECKSUM,
    mobile::ERR_FORMAT,
    region::ERR_DISTRICT_UNKNOWN,
    region::ERR_STREET_UNKNOWN,
    region::ERR_PROVINCE_UNKNOWN,
    occupation::ERR_UNKNOWN,
    occupation::ERR_FORMAT,
    industry::ERR_UNKNOWN,
    industry::ERR_FORMAT,
    education::ERR_UNKNOWN,
    key_group::ERR_UNKNOWN,
];

/// The data rows of an embedded tab-separated file: `#` comment and blank lines skipped,
/// cells split on tabs.
pub(crate) fn tsv_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()).map(|line| line.split('\t').collect())
}

/// Normalise typed input the way python-stdnum's `clean` does for the characters people
/// really type: full-width digits become ASCII digits, Unicode spaces (including the
/// ideographic space U+3000) become ' ' and Unicode dashes become '-'. The result is trimmed.
pub(crate) fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => ' ',
            '\u{058a}'
            | '\u{05be}'
            | '\u{2010}'..='\u{2015}'
            | '\u{fe63}'
            | '\u{ff0d}'
            | '\u{2212}'
            | '\u{207b}'
            | '\u{208b}' => '-',
            other => other,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Serialize a newtype as its string form.
macro_rules! serialize_as_str {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use serialize_as_str;

/// `TryFrom<String>`/`TryFrom<&str>` and `FromStr` via a context-free `parse`.
macro_rules! try_from_via_parse {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = crate::CodeError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$t>::parse(&s)
            }
        }
        impl TryFrom<&str> for $t {
            type Error = crate::CodeError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                <$t>::parse(s)
            }
        }
        impl std::str::FromStr for $t {
            type Err = crate::CodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::parse(s)
            }
        }
    };
}
pub(crate) use try_from_via_parse;
