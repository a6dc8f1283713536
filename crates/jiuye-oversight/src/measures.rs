//! The plan's 26 measures (附件1) with their lead units, and the progress reports the plan asks
//! of lead units: 每半月汇总报送工作进度 (a half-monthly report) and 每月月底向工作领导小组专题
//! 汇报 (a monthly report at the end of each month). Which reports are due, and which are late.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::load::{Indicators, LoadError};

/// The measures file embedded at build time.
pub const MEASURES: &str = include_str!("../../../measures/measures.toml");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub number: u32,
    /// 全民, 全程, 全域, 高效, 创新, 融通.
    pub project: String,
    pub action: String,
    pub content: String,
    pub action_en: String,
    pub content_en: String,
    pub lead_unit: String,
    /// 附件2 indicators that show its progress (auto-filled into reports).
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    #[serde(rename = "unit")]
    pub units: Vec<Unit>,
    #[serde(rename = "measure")]
    pub measures: Vec<Measure>,
}

impl Measures {
    /// Parse and check: 26 measures numbered once each, every lead unit and indicator known.
    pub fn load(text: &str, indicators: &Indicators) -> Result<Self, Vec<LoadError>> {
        let file = "measures.toml";
        let err = |line: usize, reason: String| LoadError { file: file.into(), line, reason };
        let m: Measures = toml::from_str(text).map_err(|e| {
            vec![err(
                e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1),
                e.message().into(),
            )]
        })?;
        let mut errors = Vec::new();
        let line_of = |n: u32| text.lines().position(|l| l.trim() == format!("number = {n}")).map_or(1, |i| i + 1);
        let mut numbers: Vec<u32> = m.measures.iter().map(|x| x.number).collect();
        numbers.sort_unstable();
        if numbers != (1..=26).collect::<Vec<_>>() {
            errors.push(err(1, format!("附件1 has measures 1 to 26, each once; found {numbers:?}")));
        }
        for x in &m.measures {
            if !m.units.iter().any(|u| u.id == x.lead_unit) {
                errors
                    .push(err(line_of(x.number), format!("measure {}: unknown lead unit `{}`", x.number, x.lead_unit)));
            }
            for i in &x.indicators {
                if indicators.get(i).is_none() {
                    errors.push(err(line_of(x.number), format!("measure {}: unknown indicator `{i}`", x.number)));
                }
            }
        }
        if errors.is_empty() { Ok(m) } else { Err(errors) }
    }

    pub fn embedded(indicators: &Indicators) -> Result<Self, Vec<LoadError>> {
        Self::load(MEASURES, indicators)
    }

    pub fn get(&self, number: u32) -> Option<&Measure> {
        self.measures.iter().find(|m| m.number == number)
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// The measures a unit leads.
    pub fn led_by<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Measure> + 'a {
        self.measures.iter().filter(move |m| m.lead_unit == unit)
    }
}

/// One reporting period: the first or second half of a month, or the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ReportPeriod {
    /// Days 1–15 (`half` 1) or 16–end (`half` 2).
    HalfMonth {
        year: i32,
        month: u32,
        half: u32,
    },
    Month {
        year: i32,
        month: u32,
    },
}

impl ReportPeriod {
    /// `2026-11-H1`, `2026-11-H2`, `2026-11`.
    pub fn parse(s: &str) -> Option<Self> {
        let (ym, half) = match s.split_once("-H") {
            Some((ym, h)) => (ym, Some(h.parse::<u32>().ok().filter(|h| *h == 1 || *h == 2)?)),
            None => (s, None),
        };
        let (y, m) = ym.split_once('-')?;
        let year = y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))?;
        let month = m.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Some(match half {
            Some(half) => Self::HalfMonth { year, month, half },
            None => Self::Month { year, month },
        })
    }

    pub fn key(self) -> String {
        match self {
            Self::HalfMonth { year, month, half } => format!("{year}-{month:02}-H{half}"),
            Self::Month { year, month } => format!("{year}-{month:02}"),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::HalfMonth { .. } => "half_month",
            Self::Month { .. } => "month",
        }
    }

    /// First and last day, both included.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
        let last = |y: i32, m: u32| {
            first(y, m).checked_add_months(Months::new(1)).map_or(NaiveDate::MIN, |d| d - Duration::days(1))
        };
        match self {
            Self::HalfMonth { year, month, half: 1 } => (first(year, month), first(year, month) + Duration::days(14)),
            Self::HalfMonth { year, month, .. } => (first(year, month) + Duration::days(15), last(year, month)),
            Self::Month { year, month } => (first(year, month), last(year, month)),
        }
    }

    /// A report is due on the period's last day.
    pub fn due(self) -> NaiveDate {
        self.bounds().1
    }

    pub fn label(self, zh: bool) -> String {
        match (self, zh) {
            (Self::HalfMonth { year, month, half }, true) => {
                format!("{year}年{month}月{}", if half == 1 { "上半月" } else { "下半月" })
            }
            (Self::Month { year, month }, true) => format!("{year}年{month}月（月度）"),
            (Self::HalfMonth { year, month, half }, false) => {
                format!("{} half of {year}-{month:02}", if half == 1 { "First" } else { "Second" })
            }
            (Self::Month { year, month }, false) => format!("{year}-{month:02} (monthly)"),
        }
    }

    /// The reporting periods whose due day falls in `[from, to]`, oldest first.
    pub fn due_between(from: NaiveDate, to: NaiveDate) -> Vec<Self> {
        let mut out = Vec::new();
        let mut y = from.year();
        let mut m = from.month();
        loop {
            for p in [
                Self::HalfMonth { year: y, month: m, half: 1 },
                Self::HalfMonth { year: y, month: m, half: 2 },
                Self::Month { year: y, month: m },
            ] {
                if (from..=to).contains(&p.due()) {
                    out.push(p);
                }
            }
            if (y, m) >= (to.year(), to.month()) {
                break;
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }
}

/// Reports that should have been filed by `today` (due in the last `look_back_days`) and were
/// not: (measure, period).
pub fn overdue(
    measures: &[&Measure],
    filed: &[(u32, String)],
    today: NaiveDate,
    look_back_days: i64,
) -> Vec<(u32, ReportPeriod)> {
    let periods = ReportPeriod::due_between(today - Duration::days(look_back_days), today - Duration::days(1));
    let mut out = Vec::new();
    for m in measures {
        for p in &periods {
            if !filed.iter().any(|(n, k)| *n == m.number && *k == p.key()) {
                out.push((m.number, *p));
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reporting_periods_read_bound_and_fall_due() {
        let cases = [
            ("2026-11-H1", "2026-11-01", "2026-11-15"),
            ("2026-11-H2", "2026-11-16", "2026-11-30"),
            ("2026-02-H2", "2026-02-16", "2026-02-28"),
            ("2026-11", "2026-11-01", "2026-11-30"),
        ];
        for (k, from, to) in cases {
            let p = ReportPeriod::parse(k).unwrap();
            assert_eq!(p.bounds(), (d(from), d(to)), "{k}");
            assert_eq!(p.key(), k);
            assert_eq!(p.due(), d(to));
        }
        for bad in ["2026-11-H3", "2026-13", "26-11", "2026-1", "2026-11-H", "x"] {
            assert!(ReportPeriod::parse(bad).is_none(), "{bad}");
        }
        let due: Vec<String> =
            ReportPeriod::due_between(d("2026-11-10"), d("2026-12-01")).iter().map(|p| p.key()).collect();
        assert_eq!(due, ["2026-11-H1", "2026-11-H2", "2026-11"]);
    }

    #[test]
    fn a_report_not_filed_after_its_due_day_is_overdue() {
        let m = Measure {
            number: 3,
            project: "全民".into(),
            action: "a".into(),
            content: "c".into(),
            action_en: "a".into(),
            content_en: "c".into(),
            lead_unit: "u".into(),
            indicators: vec![],
        };
        let filed = vec![(3, "2026-11-H1".to_string())];
        let late = overdue(&[&m], &filed, d("2026-12-02"), 31);
        let keys: Vec<String> = late.iter().map(|(_, p)| p.key()).collect();
        assert_eq!(keys, ["2026-11-H2", "2026-11"], "the due day itself is not late");
        assert!(overdue(&[&m], &[], d("2026-11-15"), 14).is_empty(), "due today is not late yet");
        assert!(overdue(&[&m], &filed, d("2026-11-16"), 14).is_empty(), "H1 was filed");
    }
}
