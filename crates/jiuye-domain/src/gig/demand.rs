//! A gig demand (即时快招): what, where, when, how many, for how much. Its check reports every
//! problem with its field; its review says what holds it for staff.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::review::{ReviewRules, WordKind};
use crate::CodeError;
use crate::codes::{DistrictCode, OccupationCode};
use crate::records::pay::yuan_text;

/// A gig is paid by the day or by the hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GigPayUnit {
    Day,
    Hour,
}

impl GigPayUnit {
    pub const ALL: [Self; 2] = [Self::Day, Self::Hour];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Hour => "hour",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }
}

/// Limits of a post.
pub const TITLE_MAX: usize = 40;
pub const DETAILS_MAX: usize = 500;
pub const ADDRESS_MAX: usize = 100;
pub const HEADCOUNT_MAX: u32 = 100;
pub const DAYS_MAX: u32 = 30;
pub const HOURS_PER_DAY_MAX: u32 = 12;
/// The highest rate a post may state (1,000 元 an hour or a day): above it is a typing slip.
pub const PAY_MAX_FEN: i64 = 100_000;
/// How far ahead a gig may be posted.
pub const AHEAD_MAX_DAYS: i64 = 30;

/// A gig as posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GigDraft {
    /// The trade wanted: a 小类 or 细类 of the 职业分类大典.
    pub trade: OccupationCode,
    pub title: String,
    pub details: String,
    pub district: DistrictCode,
    pub address: String,
    /// When it starts, Beijing time.
    pub starts_at: NaiveDateTime,
    pub days: u32,
    pub hours_per_day: u32,
    pub headcount: u32,
    pub pay_unit: GigPayUnit,
    pub pay_fen: i64,
}

impl GigDraft {
    /// Every problem of the post, each with its field. `now` is Beijing time.
    pub fn check(&self, now: NaiveDateTime) -> Vec<CodeError> {
        let mut out = Vec::new();
        if self.trade.level() < 3 {
            out.push(CodeError::new("gig.trade_too_broad").field("trade").arg("code", self.trade.as_str()));
        }
        for (field, value, max) in [
            ("title", &self.title, TITLE_MAX),
            ("details", &self.details, DETAILS_MAX),
            ("address", &self.address, ADDRESS_MAX),
        ] {
            if field != "details" && value.trim().is_empty() {
                out.push(CodeError::new("input.required").field(field));
            } else if value.chars().count() > max {
                out.push(CodeError::new("input.too_long").field(field).arg("max", max.to_string()));
            }
        }
        if self.starts_at < now - Duration::hours(1) {
            out.push(CodeError::new("gig.starts_in_past").field("starts_at"));
        } else if self.starts_at > now + Duration::days(AHEAD_MAX_DAYS) {
            out.push(CodeError::new("gig.starts_too_far").field("starts_at").arg("days", AHEAD_MAX_DAYS.to_string()));
        }
        for (field, value, max) in [
            ("days", self.days, DAYS_MAX),
            ("hours_per_day", self.hours_per_day, HOURS_PER_DAY_MAX),
            ("headcount", self.headcount, HEADCOUNT_MAX),
        ] {
            if value == 0 || value > max {
                out.push(CodeError::new("gig.out_of_range").field(field).arg("min", "1").arg("max", max.to_string()));
            }
        }
        if self.pay_fen <= 0 || self.pay_fen > PAY_MAX_FEN {
            out.push(CodeError::new("gig.pay_out_of_range").field("pay").arg("max", yuan_text(PAY_MAX_FEN)));
        }
        out
    }

    /// What one worker earns per hour worked, in fen (rounded down).
    pub fn hourly_fen(&self) -> i64 {
        match self.pay_unit {
            GigPayUnit::Hour => self.pay_fen,
            GigPayUnit::Day => self.pay_fen / i64::from(self.hours_per_day.max(1)),
        }
    }

    /// What the whole gig pays all its workers, in fen; `None` on overflow.
    pub fn total_fen(&self) -> Option<i64> {
        let per_day = match self.pay_unit {
            GigPayUnit::Day => self.pay_fen,
            GigPayUnit::Hour => self.pay_fen.checked_mul(i64::from(self.hours_per_day))?,
        };
        per_day.checked_mul(i64::from(self.days))?.checked_mul(i64::from(self.headcount))
    }

    /// What holds the post for staff: pay below the minimum wage, wording that discriminates or
    /// charges workers, a poster whose identity is not verified. Empty: publish at once.
    pub fn review(&self, rules: &ReviewRules, poster_verified: bool) -> Vec<CodeError> {
        let mut holds = Vec::new();
        match rules.minimum_wage_on(self.starts_at.date()) {
            Some(standard) if self.hourly_fen() < standard.hourly_fen => holds.push(
                CodeError::new("gig.hold.below_minimum_wage")
                    .field("pay")
                    .arg("hourly", yuan_text(self.hourly_fen()))
                    .arg("minimum", yuan_text(standard.hourly_fen))
                    .arg("source", standard.source.clone()),
            ),
            Some(_) => {}
            None => holds.push(CodeError::new("gig.hold.no_minimum_wage").field("starts_at")),
        }
        let text = format!("{}\n{}", self.title, self.details);
        for (rule, word) in rules.wording(&text) {
            let code = match rule.kind {
                WordKind::Discriminatory => "gig.hold.discriminatory",
                WordKind::Fee => "gig.hold.fee",
            };
            holds.push(
                CodeError::new(code)
                    .field(if self.title.contains(word) { "title" } else { "details" })
                    .arg("word", word)
                    .arg("source", rule.source.clone()),
            );
        }
        if !poster_verified {
            holds.push(CodeError::new("gig.hold.unverified"));
        }
        holds
    }
}

/// A gig's pay as people say it: "200 元/天", "CNY 25 an hour".
pub fn pay_text(unit: GigPayUnit, fen: i64, zh: bool) -> String {
    let amount = yuan_text(fen);
    match (unit, zh) {
        (GigPayUnit::Day, true) => format!("{amount} 元/天"),
        (GigPayUnit::Hour, true) => format!("{amount} 元/小时"),
        (GigPayUnit::Day, false) => format!("CNY {amount} a day"),
        (GigPayUnit::Hour, false) => format!("CNY {amount} an hour"),
    }
}
