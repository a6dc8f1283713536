//! Periods a figure is asked for: a month, a quarter, a year, or any span of days.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
    Custom { from: NaiveDate, to: NaiveDate },
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError;

const EARLIEST: i32 = 2000;
const LATEST: i32 = 2100;

impl Period {
    /// `2026-10`, `2026-Q3`, `2026`, or `2026-01-05..2026-02-03` (both days included).
    pub fn parse(s: &str) -> Result<Self, PeriodError> {
        let s = s.trim();
        let year_of = |y: &str| y.parse::<i32>().ok().filter(|y| (EARLIEST..=LATEST).contains(y)).ok_or(PeriodError);
        if let Some((a, b)) = s.split_once("..") {
            let from = NaiveDate::parse_from_str(a, "%Y-%m-%d").map_err(|_| PeriodError)?;
            let to = NaiveDate::parse_from_str(b, "%Y-%m-%d").map_err(|_| PeriodError)?;
            if from > to || from.year() < EARLIEST || to.year() > LATEST {
                return Err(PeriodError);
            }
            return Ok(Self::Custom { from, to });
        }
        if let Some((y, q)) = s.split_once("-Q").or_else(|| s.split_once("-q")) {
            let quarter = q.parse::<u32>().ok().filter(|q| (1..=4).contains(q)).ok_or(PeriodError)?;
            return Ok(Self::Quarter { year: year_of(y)?, quarter });
        }
        if let Some((y, m)) = s.split_once('-') {
            let month = m.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).ok_or(PeriodError)?;
            return Ok(Self::Month { year: year_of(y)?, month });
        }
        Ok(Self::Year { year: year_of(s)? })
    }

    /// The month, quarter and year holding `day`.
    pub fn month_of(day: NaiveDate) -> Self {
        Self::Month { year: day.year(), month: day.month() }
    }

    pub fn quarter_of(day: NaiveDate) -> Self {
        Self::Quarter { year: day.year(), quarter: day.month0() / 3 + 1 }
    }

    pub fn year_of(day: NaiveDate) -> Self {
        Self::Year { year: day.year() }
    }

    /// First and last day, both included.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let ymd = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
        let span = |from: NaiveDate, months: u32| {
            let to = from.checked_add_months(Months::new(months)).map_or(from, |d| d - Duration::days(1));
            (from, to)
        };
        match self {
            Self::Month { year, month } => span(ymd(year, month), 1),
            Self::Quarter { year, quarter } => span(ymd(year, (quarter - 1) * 3 + 1), 3),
            Self::Year { year } => span(ymd(year, 1), 12),
            Self::Custom { from, to } => (from, to),
        }
    }

    /// How many days the period holds.
    pub fn days(self) -> i64 {
        let (from, to) = self.bounds();
        (to - from).num_days() + 1
    }

    /// The period of the same kind just before this one (a custom span: the same number of
    /// days before it).
    pub fn previous(self) -> Self {
        match self {
            Self::Month { year, month: 1 } => Self::Month { year: year - 1, month: 12 },
            Self::Month { year, month } => Self::Month { year, month: month - 1 },
            Self::Quarter { year, quarter: 1 } => Self::Quarter { year: year - 1, quarter: 4 },
            Self::Quarter { year, quarter } => Self::Quarter { year, quarter: quarter - 1 },
            Self::Year { year } => Self::Year { year: year - 1 },
            Self::Custom { from, to } => {
                let len = (to - from).num_days() + 1;
                Self::Custom { from: from - Duration::days(len), to: to - Duration::days(len) }
            }
        }
    }

    /// This period and the `n - 1` before it, oldest first (for a trend line).
    pub fn trail(self, n: usize) -> Vec<Self> {
        let mut out = vec![self];
        for _ in 1..n {
            if let Some(last) = out.last().copied() {
                if last.bounds().0.year() <= EARLIEST {
                    break;
                }
                out.push(last.previous());
            }
        }
        out.reverse();
        out
    }

    /// The canonical text `parse` reads back.
    pub fn key(self) -> String {
        match self {
            Self::Month { year, month } => format!("{year}-{month:02}"),
            Self::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Self::Year { year } => format!("{year}"),
            Self::Custom { from, to } => format!("{from}..{to}"),
        }
    }

    /// How the period reads to people.
    pub fn label(self, zh: bool) -> String {
        match (self, zh) {
            (Self::Month { year, month }, true) => format!("{year}年{month}月"),
            (Self::Quarter { year, quarter }, true) => format!("{year}年第{quarter}季度"),
            (Self::Year { year }, true) => format!("{year}年"),
            (Self::Month { year, month }, false) => format!("{year}-{month:02}"),
            (Self::Quarter { year, quarter }, false) => format!("Q{quarter} {year}"),
            (Self::Year { year }, false) => format!("{year}"),
            (Self::Custom { from, to }, true) => format!("{from} 至 {to}"),
            (Self::Custom { from, to }, false) => format!("{from} to {to}"),
        }
    }

    /// The days of the period that have happened by `today` (none for a future period).
    pub fn elapsed_days(self, today: NaiveDate) -> i64 {
        let (from, to) = self.bounds();
        if today < from { 0 } else { (today.min(to) - from).num_days() + 1 }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_read_and_bound() {
        let cases = [
            ("2026-02", "2026-02-01", "2026-02-28", "2026-01"),
            ("2024-02", "2024-02-01", "2024-02-29", "2024-01"),
            ("2026-01", "2026-01-01", "2026-01-31", "2025-12"),
            ("2026-Q3", "2026-07-01", "2026-09-30", "2026-Q2"),
            ("2026-Q1", "2026-01-01", "2026-03-31", "2025-Q4"),
            ("2026", "2026-01-01", "2026-12-31", "2025"),
            ("2026-01-10..2026-01-19", "2026-01-10", "2026-01-19", "2025-12-31..2026-01-09"),
        ];
        for (text, from, to, before) in cases {
            let p = Period::parse(text).unwrap();
            assert_eq!(p.bounds(), (d(from), d(to)), "{text}");
            assert_eq!(p.key(), text);
            assert_eq!(p.previous().key(), before, "{text}");
        }
        for bad in ["", "2026-13", "2026-Q5", "1999", "2026-02-01..2026-01-01", "x", "2026-00", "20260"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_trail_ends_with_the_period() {
        let t = Period::parse("2026-Q1").unwrap().trail(3);
        assert_eq!(t.iter().map(|p| p.key()).collect::<Vec<_>>(), ["2025-Q3", "2025-Q4", "2026-Q1"]);
        assert_eq!(Period::parse("2026-Q4").unwrap().elapsed_days(d("2026-11-15")), 46);
        assert_eq!(Period::parse("2027").unwrap().elapsed_days(d("2026-11-15")), 0);
    }
}
