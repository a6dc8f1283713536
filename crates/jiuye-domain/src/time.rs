//! Days and ages as the city counts them. Written once: the web clock, the store's tier facts,
//! the claims' record facts and screening all call these.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// Xiamen is at UTC+8 all year (no daylight saving).
pub const BEIJING_OFFSET_HOURS: i64 = 8;

/// Xiamen's offset as a zone, for instants written with it (`2026-12-04T08:00:00+08:00`).
pub const BEIJING: FixedOffset = match FixedOffset::east_opt(BEIJING_OFFSET_HOURS as i32 * 3600) {
    Some(zone) => zone,
    None => panic!("UTC+8 is a valid offset"),
};

/// The calendar day in Xiamen at this instant.
pub fn beijing_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(BEIJING_OFFSET_HOURS)).date_naive()
}

/// The instant a Xiamen calendar day starts, in UTC (`None` at the ends of the calendar).
pub fn beijing_day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0).and_then(|t| t.and_utc().checked_sub_signed(Duration::hours(BEIJING_OFFSET_HOURS)))
}

/// The first day the platform records events on (registrations, services, contacts,
/// employments, recognitions): nothing the service did happened before it.
pub const PLATFORM_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The last day any date on the platform may be.
pub const PLATFORM_TO: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// A day something happened: not in the future (`casework.future_date`) and not before the
/// platform's years (`input.date_range`), with the field named.
pub fn event_day(field: &str, day: NaiveDate, today: NaiveDate) -> Result<(), crate::CodeError> {
    if day > today {
        return Err(crate::CodeError::new("casework.future_date").field(field));
    }
    if day < PLATFORM_FROM {
        return Err(crate::CodeError::new("input.date_range")
            .field(field)
            .arg("from", PLATFORM_FROM.to_string())
            .arg("to", today.to_string()));
    }
    Ok(())
}

/// Age in whole years on `day` (0 before the birth date).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth).unwrap_or(0)
}

/// The statutory retirement date of someone born on `birth`, under the 2024 decision on the
/// gradual raising of the retirement age (《关于实施渐进式延迟法定退休年龄的决定》, in force
/// 2025-01-01): men from 60, one month later for every four months of birth from January 1965,
/// up to 63; women (workers) from 50, one month later for every two months of birth from January
/// 1975, up to 55. Whether a woman is a cadre (55 → 58) is not on record, so the workers' rule
/// applies.
pub fn retirement_date(birth: NaiveDate, female: bool) -> NaiveDate {
    use chrono::{Datelike, Months};
    let (base_years, reform_from, every, most) = if female { (50u32, 1975, 2u32, 60u32) } else { (60, 1965, 4, 36) };
    // Months of birth since the first month the reform covers (negative: before it).
    let since = (birth.year() - reform_from) * 12 + i32::try_from(birth.month0()).unwrap_or(0);
    let delay = u32::try_from(since).map_or(0, |m| (m / every + 1).min(most));
    birth.checked_add_months(Months::new(base_years * 12 + delay)).unwrap_or(NaiveDate::MAX)
}

/// Of working age on `day`: 16 or older and not yet at the statutory retirement date.
pub fn working_age_on(birth: NaiveDate, female: bool, day: NaiveDate) -> bool {
    age_on(birth, day) >= 16 && day < retirement_date(birth, female)
}

#[cfg(test)]
mod retirement_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    /// Cases from the decision's tables (附件1, 附件2): birth month → retirement month.
    #[test]
    fn retirement_dates_follow_the_2024_decision() {
        let cases = [
            // Men: before the reform 60; 1965-01..04 → +1 month; +1 every 4 months; 63 from 1976-09.
            (d(1964, 12, 15), false, d(2024, 12, 15)),
            (d(1965, 1, 10), false, d(2025, 2, 10)),
            (d(1965, 4, 30), false, d(2025, 5, 30)),
            (d(1965, 5, 1), false, d(2025, 7, 1)),
            (d(1970, 6, 1), false, d(2031, 11, 1)),
            (d(1976, 8, 1), false, d(2039, 7, 1)),
            (d(1976, 9, 1), false, d(2039, 9, 1)),
            (d(1990, 1, 1), false, d(2053, 1, 1)),
            // Women workers: 50; 1975-01..02 → +1; +1 every 2 months; 55 from 1984-11.
            (d(1974, 12, 31), true, d(2024, 12, 31)),
            (d(1975, 1, 1), true, d(2025, 2, 1)),
            (d(1975, 3, 1), true, d(2025, 5, 1)),
            (d(1980, 1, 1), true, d(2032, 8, 1)),
            (d(1984, 10, 1), true, d(2039, 9, 1)),
            (d(1984, 11, 1), true, d(2039, 11, 1)),
            (d(1995, 5, 5), true, d(2050, 5, 5)),
        ];
        for (birth, female, want) in cases {
            assert_eq!(retirement_date(birth, female), want, "born {birth}, female {female}");
        }
    }

    #[test]
    fn working_age_is_sixteen_until_retirement() {
        assert!(!working_age_on(d(2010, 12, 3), false, d(2026, 12, 2)), "15 the day before 16");
        assert!(working_age_on(d(2010, 12, 2), false, d(2026, 12, 2)), "16 today");
        assert!(working_age_on(d(1965, 1, 10), false, d(2025, 2, 9)), "the day before retiring");
        assert!(!working_age_on(d(1965, 1, 10), false, d(2025, 2, 10)), "retired");
        assert!(working_age_on(d(1978, 6, 1), true, d(2028, 12, 1)), "a woman of 50 born 1978-06 works on");
        assert!(!working_age_on(d(1975, 6, 1), true, d(2025, 12, 1)), "born 1975-06: retired 2025-09");
    }
}
