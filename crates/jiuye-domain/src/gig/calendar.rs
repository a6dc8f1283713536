//! The working-day calendar: weekends, public holidays and the weekend days worked in their
//! place (调休), per year as published (`data/gig/workdays.toml`). Statutory clocks count on it.
//!
//! A year without a published notice is counted by weekends alone; an answer that needed such a
//! year says so (`provisional`), so a deadline is never shown as certain when it is not.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

use crate::CodeError;

const EMBEDDED: &str = include_str!("../../data/gig/workdays.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    year: Vec<YearIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearIn {
    year: i32,
    source: String,
    holidays: Vec<NaiveDate>,
    workdays: Vec<NaiveDate>,
}

/// One published year: its holidays, its adjusted working days, and the notice.
#[derive(Debug, Clone)]
pub struct Year {
    pub source: String,
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

/// The calendar of every published year.
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

/// A day counted on the calendar, and whether a year without a notice was needed to find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub day: NaiveDate,
    pub provisional: bool,
}

/// Why a calendar file was refused.
fn refused(reason: impl Into<String>) -> CodeError {
    CodeError::new("gig.calendar_invalid").arg("reason", reason.into())
}

impl Calendar {
    /// The embedded calendar (checked by a test, so it always loads).
    pub fn embedded() -> Calendar {
        Calendar::parse(EMBEDDED).unwrap_or_else(|_| Calendar { years: BTreeMap::new() })
    }

    /// Read and check a calendar file.
    pub fn parse(text: &str) -> Result<Calendar, CodeError> {
        let file: File = toml::from_str(text).map_err(|e| refused(e.to_string()))?;
        let mut years = BTreeMap::new();
        for y in file.year {
            if y.source.trim().is_empty() {
                return Err(refused(format!("{}: no source", y.year)));
            }
            let holidays: BTreeSet<NaiveDate> = y.holidays.iter().copied().collect();
            let workdays: BTreeSet<NaiveDate> = y.workdays.iter().copied().collect();
            for d in holidays.iter().chain(workdays.iter()) {
                if d.year() != y.year {
                    return Err(refused(format!("{}: {d} is outside the year", y.year)));
                }
            }
            if let Some(d) = holidays.intersection(&workdays).next() {
                return Err(refused(format!("{}: {d} is both a holiday and a working day", y.year)));
            }
            if let Some(d) = workdays.iter().find(|d| !is_weekend(**d)) {
                return Err(refused(format!("{}: {d} is a weekday, so it cannot be an adjusted working day", y.year)));
            }
            if years.insert(y.year, Year { source: y.source, holidays, workdays }).is_some() {
                return Err(refused(format!("{}: listed twice", y.year)));
            }
        }
        Ok(Calendar { years })
    }

    /// The years with a published notice.
    pub fn years(&self) -> impl Iterator<Item = (i32, &Year)> {
        self.years.iter().map(|(y, v)| (*y, v))
    }

    /// Whether people work on this day, and whether the answer rests on a published notice.
    pub fn is_working_day(&self, day: NaiveDate) -> (bool, bool) {
        match self.years.get(&day.year()) {
            Some(y) if y.workdays.contains(&day) => (true, true),
            Some(y) if y.holidays.contains(&day) => (false, true),
            Some(_) => (!is_weekend(day), true),
            None => (!is_weekend(day), false),
        }
    }

    /// The `n`th working day after `from` (`from` itself is not counted, as a period starts the
    /// day after the event); `n = 0` is `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Counted {
        let mut day = from;
        let mut left = n;
        let mut provisional = false;
        while left > 0 && day < NaiveDate::MAX {
            day = next(day);
            let (works, known) = self.is_working_day(day);
            provisional |= !known;
            if works {
                left -= 1;
            }
        }
        Counted { day, provisional }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> (u32, bool) {
        let (mut day, mut count, mut provisional) = (from, 0u32, false);
        while day < to {
            day = next(day);
            let (works, known) = self.is_working_day(day);
            provisional |= !known;
            count += u32::from(works);
        }
        (count, provisional)
    }

    /// The last day of a period of `n` calendar days after `from`; when it falls on a rest day
    /// the period ends on the next working day (劳动人事争议仲裁办案规则 第十六条; 民法典 第二百零三条).
    pub fn add_calendar_days(&self, from: NaiveDate, n: u32) -> Counted {
        let mut day = from.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX);
        let mut provisional = false;
        loop {
            let (works, known) = self.is_working_day(day);
            provisional |= !known;
            if works || day == NaiveDate::MAX {
                return Counted { day, provisional };
            }
            day = next(day);
        }
    }
}

fn next(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(NaiveDate::MAX)
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}
