//! Which identity document a generated person holds. Most hold a 居民身份证; Xiamen also has the
//! mainland's largest community of Taiwan compatriots, Hong Kong and Macao residents, foreign
//! permanent residents and foreigners working on a passport. The shares below are our own
//! estimates (the city publishes none): Taiwan compatriots 1.5 % (four in five with a 居住证,
//! the others on a 台胞证), Hong Kong and Macao residents 0.3 %, foreign permanent residents
//! 0.05 %, foreigners on a passport 0.2 %.
//!
//! The choice is a hash of the person's generated ID number, so it draws nothing from the
//! random stream: every other field of every person stays what it was without documents.

use chrono::Datelike;
use jiuye_domain::codes::{DocumentKind, Identity, NationalId};

use crate::employers::fnv1a;

/// ISO 3166 numeric and alpha-3 codes of the nationalities drawn for foreigners: BRICS+
/// partners of the plan's action 17 and the countries most present in Xiamen.
const NATIONS: [(u32, &str); 10] = [
    (643, "RUS"),
    (76, "BRA"),
    (356, "IND"),
    (710, "ZAF"),
    (840, "USA"),
    (410, "KOR"),
    (392, "JPN"),
    (702, "SGP"),
    (458, "MYS"),
    (818, "EGY"),
];

/// The document of a person whose resident number would be `id`, and the province of
/// household origin it implies (Taiwan, Hong Kong, Macao), if any.
pub fn document_for(id: &NationalId) -> (Identity, Option<&'static str>) {
    let h = fnv1a(id.as_str());
    let r = h % 10_000;
    let birth = id.birth_date();
    let seq = &id.as_str()[14..17];
    let born = format!("{:04}{:02}{:02}", birth.year(), birth.month(), birth.day());
    let gb = |prefix: &str| -> Option<String> {
        let first17 = format!("{prefix}{born}{seq}");
        NationalId::check_char(&first17).map(|c| format!("{first17}{c}"))
    };
    let nation = NATIONS[usize::try_from((h >> 20) % NATIONS.len() as u64).unwrap_or(0)];
    // Only "not born in the future" depends on the day for these kinds: any later day will do.
    let today = chrono::NaiveDate::MAX;
    let parsed = match r {
        0..120 => gb("830000").map(|n| (DocumentKind::TaiwanResidencePermit, n, None, Some("710000"))),
        120..150 => {
            Some((DocumentKind::TaiwanTravelPermit, format!("{:08}", (h >> 8) % 100_000_000), None, Some("710000")))
        }
        150..175 => gb("810000").map(|n| (DocumentKind::HkmoResidencePermit, n, None, Some("810000"))),
        175..180 => gb("820000").map(|n| (DocumentKind::HkmoResidencePermit, n, None, Some("820000"))),
        180..185 => {
            gb(&format!("935{:03}", nation.0)).map(|n| (DocumentKind::ForeignPermanentResidence, n, None, None))
        }
        185..205 => Some((DocumentKind::Passport, format!("E{:08}", (h >> 8) % 100_000_000), Some(nation.1), None)),
        _ => None,
    };
    match parsed
        .and_then(|(kind, number, nat, origin)| Identity::parse(kind, &number, nat, today).ok().map(|i| (i, origin)))
    {
        Some((identity, origin)) => (identity, origin),
        None => (Identity::resident(id), None),
    }
}
