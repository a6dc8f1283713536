//! A figure against its target: the value in the indicator's unit, where it stands, and which
//! way it moves.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Direction, Indicator, Unit};
use crate::period::Period;

/// What an aggregation counted: a number, or a numerator over a denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Count {
    pub numerator: u64,
    pub denominator: Option<u64>,
}

impl Count {
    pub fn of(n: u64) -> Self {
        Self { numerator: n, denominator: None }
    }

    pub fn share(numerator: u64, denominator: u64) -> Self {
        Self { numerator, denominator: Some(denominator) }
    }
}

/// The value in the indicator's unit: a count scaled (万), a share as a percentage. A share of
/// nothing has no value (not 0 % and not 100 %).
pub fn value(indicator: &Indicator, count: Count) -> Option<f64> {
    match (indicator.unit, count.denominator) {
        (Unit::Percent, Some(0)) => None,
        (Unit::Percent, Some(d)) => Some(count.numerator as f64 * 100.0 / d as f64),
        (Unit::Percent, None) => Some(count.numerator as f64),
        (unit, _) => Some(count.numerator as f64 / unit.scale()),
    }
}

/// Where a figure stands against the 2023 target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Meets the target (a flow: the target pro rata for the days elapsed).
    Met,
    /// Short of it.
    Behind,
    /// The target is the city's total; a district's share is not set (shown, not judged).
    CityTargetOnly,
    /// No figure for the period (not entered, a share of nothing, or a period not begun).
    NoFigure,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Behind => "behind",
            Self::CityTargetOnly => "city_target_only",
            Self::NoFigure => "no_figure",
        }
    }
}

/// The target a figure for `period` is held to, in the indicator's unit: a flow's yearly
/// target pro rata for the days of the period elapsed by `today`; any other, the target.
pub fn target_for(indicator: &Indicator, period: Period, today: NaiveDate) -> f64 {
    if indicator.is_flow() {
        indicator.target * period.elapsed_days(today).min(365) as f64 / 365.0
    } else {
        indicator.target
    }
}

pub fn status(indicator: &Indicator, value: Option<f64>, period: Period, today: NaiveDate, city: bool) -> Status {
    let Some(v) = value else { return Status::NoFigure };
    if period.elapsed_days(today) == 0 {
        return Status::NoFigure;
    }
    if !city && indicator.unit != Unit::Percent {
        return Status::CityTargetOnly;
    }
    let target = target_for(indicator, period, today);
    let met = match indicator.direction {
        Direction::Higher => v >= target,
        Direction::Lower => v <= target,
    };
    if met { Status::Met } else { Status::Behind }
}

/// Which way a trail of values moved from its first known value to its last, and whether that
/// is the better way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Worse,
    Flat,
    Unknown,
}

pub fn trend(indicator: &Indicator, values: &[Option<f64>]) -> Trend {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (Some(first), Some(last)) = (known.first(), known.last()) else { return Trend::Unknown };
    if known.len() < 2 || (last - first).abs() < 1e-9 {
        return Trend::Flat;
    }
    let up = last > first;
    match (up, indicator.direction) {
        (true, Direction::Higher) | (false, Direction::Lower) => Trend::Better,
        _ => Trend::Worse,
    }
}

/// A value as the table shows it: 万 to two decimals (four when small), percentages to one.
pub fn shown(indicator: &Indicator, value: f64) -> String {
    match indicator.unit {
        Unit::Percent => format!("{value:.1}"),
        Unit::WanPersons | Unit::WanPersonTimes if value != 0.0 && value.abs() < 0.01 => format!("{value:.4}"),
        Unit::WanPersons | Unit::WanPersonTimes => format!("{value:.2}"),
        Unit::Count | Unit::Cases => format!("{value:.0}"),
    }
}
