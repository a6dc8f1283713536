//! Days and ages as the city counts them. Written once: the web clock, the store's tier facts,
//! the claims' record facts and screening all call these.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Xiamen is at UTC+8 all year (no daylight saving).
pub const BEIJING_OFFSET_HOURS: i64 = 8;

/// The calendar day in Xiamen at this instant.
pub fn beijing_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(BEIJING_OFFSET_HOURS)).date_naive()
}

/// The instant a Xiamen calendar day starts, in UTC (`None` at the ends of the calendar).
pub fn beijing_day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0).and_then(|t| t.and_utc().checked_sub_signed(Duration::hours(BEIJING_OFFSET_HOURS)))
}

/// Age in whole years on `day` (0 before the birth date).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth).unwrap_or(0)
}
