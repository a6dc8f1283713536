//! Pay as people are paid: by the month, the day, the hour or the piece, or 面议.
//!
//! Search filters, sorting and matching compare every vacancy by one figure, its monthly
//! equivalent in yuan. For day and hour rates that figure is computed by the statutory
//! conversion of 《关于职工全年月平均工作时间和工资折算问题的通知》(劳社部发〔2008〕3号):
//! 21.75 paid days and 174 paid hours a month. A piece rate converts to nothing by itself, so
//! the employer states the monthly earnings it expects beside it. 面议 has no figure: filters on
//! pay leave it out, sorting by pay puts it last, matching treats it as unknown.

use serde::{Deserialize, Serialize};

use crate::CodeError;
use crate::records::person::check_salary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PayUnit {
    /// 元/月
    #[default]
    Month,
    /// 元/天（日薪）
    Day,
    /// 元/小时（时薪）
    Hour,
    /// 元/件（计件）
    Piece,
    /// 面议
    Negotiable,
}

/// Paid days in a month, in hundredths (劳社部发〔2008〕3号: 21.75).
const DAYS_PER_MONTH_HUNDREDTHS: i64 = 2175;
/// Paid hours in a month (劳社部发〔2008〕3号: 21.75 × 8 = 174).
const HOURS_PER_MONTH: i64 = 174;

impl PayUnit {
    pub const ALL: [Self; 5] = [Self::Month, Self::Day, Self::Hour, Self::Piece, Self::Negotiable];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Day => "day",
            Self::Hour => "hour",
            Self::Piece => "piece",
            Self::Negotiable => "negotiable",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }

    pub fn label_key(self) -> String {
        format!("pay.unit.{}", self.as_str())
    }

    /// Whether the unit has a rate of its own beside the monthly figures.
    pub fn has_rate(self) -> bool {
        matches!(self, Self::Day | Self::Hour | Self::Piece)
    }

    /// Allowed rates in fen: from one fen (a piece) to what no honest post exceeds.
    fn rate_range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            Self::Day => 100..=1_000_000,
            Self::Hour => 100..=200_000,
            Self::Piece => 1..=10_000_000,
            Self::Month | Self::Negotiable => 0..=0,
        }
    }
}

/// A vacancy's pay, checked: the unit, the rate in that unit (day, hour, piece) and the
/// monthly equivalent (none for 面议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pay {
    pub unit: PayUnit,
    /// Lowest and highest rate in fen per unit.
    pub rate_fen: Option<(i64, i64)>,
    /// Lowest and highest monthly equivalent in yuan.
    pub monthly: Option<(i32, i32)>,
}

impl Pay {
    /// Pay as stated on a form: the unit, the rate for day, hour and piece, the monthly figures
    /// for month and piece (for day and hour they are computed and must not be given). Every
    /// problem is reported with its field.
    pub fn state(
        unit: PayUnit,
        rate_fen: (Option<i64>, Option<i64>),
        monthly: (Option<i32>, Option<i32>),
    ) -> Result<Pay, Vec<CodeError>> {
        let mut errors = Vec::new();
        let rate = match (unit.has_rate(), rate_fen) {
            (false, (None, None)) => None,
            (false, _) => {
                errors.push(CodeError::new("pay.rate_not_for_unit").field("pay_min_fen"));
                None
            }
            (true, (Some(lo), hi)) => {
                let hi = hi.unwrap_or(lo);
                let range = unit.rate_range();
                if !range.contains(&lo) || !range.contains(&hi) {
                    errors.push(
                        CodeError::new("pay.rate_out_of_range")
                            .field("pay_min_fen")
                            .arg("min", yuan_text(*range.start()))
                            .arg("max", yuan_text(*range.end())),
                    );
                } else if lo > hi {
                    errors.push(CodeError::new("salary.min_above_max").field("pay_max_fen"));
                }
                Some((lo, hi))
            }
            (true, (None, _)) => {
                errors.push(CodeError::new("pay.rate_required").field("pay_min_fen"));
                None
            }
        };
        let given = monthly.0.is_some_and(|v| v != 0) || monthly.1.is_some_and(|v| v != 0);
        let monthly = match unit {
            PayUnit::Month | PayUnit::Piece => match monthly {
                (Some(lo), Some(hi)) if lo > 0 => match check_salary(Some(lo), Some(hi), "salary_min") {
                    Ok(()) => Some((lo, hi)),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                },
                _ => {
                    let key = if unit == PayUnit::Piece { "pay.piece_needs_month" } else { "pay.month_required" };
                    errors.push(CodeError::new(key).field("salary_min"));
                    None
                }
            },
            PayUnit::Day | PayUnit::Hour => {
                if given {
                    errors.push(CodeError::new("pay.month_computed").field("salary_min"));
                }
                rate.and_then(|(lo, hi)| Some((monthly_of(unit, lo)?, monthly_of(unit, hi)?)))
            }
            PayUnit::Negotiable => {
                if given {
                    errors.push(CodeError::new("pay.negotiable_has_no_amount").field("salary_min"));
                }
                None
            }
        };
        if errors.is_empty() { Ok(Pay { unit, rate_fen: rate, monthly }) } else { Err(errors) }
    }

    /// Rebuild from stored columns (already checked when written).
    pub fn stored(unit: PayUnit, rate_fen: Option<(i64, i64)>, salary_min: i32, salary_max: i32) -> Pay {
        let monthly = (unit != PayUnit::Negotiable).then_some((salary_min, salary_max));
        Pay { unit, rate_fen, monthly }
    }

    /// The monthly figures as the store and the engines keep them: 0–0 for 面议.
    pub fn salary(&self) -> (i32, i32) {
        self.monthly.unwrap_or((0, 0))
    }

    /// As people read it: "200–300 元/天（约 4,350–6,525 元/月）", "面议".
    pub fn text(&self, zh: bool) -> String {
        let range = |lo: String, hi: String| if lo == hi { lo } else { format!("{lo}–{hi}") };
        let month = self.monthly.map(|(lo, hi)| range(thousands(i64::from(lo)), thousands(i64::from(hi))));
        let rate = self.rate_fen.map(|(lo, hi)| range(yuan_text(lo), yuan_text(hi)));
        match (self.unit, zh) {
            (PayUnit::Negotiable, true) => "面议".into(),
            (PayUnit::Negotiable, false) => "Negotiable".into(),
            (PayUnit::Month, true) => format!("{} 元/月", month.unwrap_or_default()),
            (PayUnit::Month, false) => format!("CNY {} a month", month.unwrap_or_default()),
            (unit, true) => {
                let per = match unit {
                    PayUnit::Day => "天",
                    PayUnit::Hour => "小时",
                    _ => "件",
                };
                let about = if unit == PayUnit::Piece { "预计" } else { "约" };
                format!("{} 元/{per}（{about} {} 元/月）", rate.unwrap_or_default(), month.unwrap_or_default())
            }
            (unit, false) => {
                let per = match unit {
                    PayUnit::Day => "a day",
                    PayUnit::Hour => "an hour",
                    _ => "a piece",
                };
                let about = if unit == PayUnit::Piece { "expected" } else { "about" };
                format!("CNY {} {per} ({about} {} a month)", rate.unwrap_or_default(), month.unwrap_or_default())
            }
        }
    }
}

/// The monthly equivalent in yuan of a day or hour rate in fen, rounded half up; `None` on
/// overflow (never saturated).
pub fn monthly_of(unit: PayUnit, rate_fen: i64) -> Option<i32> {
    let (times, per) = match unit {
        PayUnit::Day => (DAYS_PER_MONTH_HUNDREDTHS, 100 * 100),
        PayUnit::Hour => (HOURS_PER_MONTH, 100),
        _ => return None,
    };
    let fen_hundredths = rate_fen.checked_mul(times)?;
    let yuan = fen_hundredths.checked_add(per / 2)? / per;
    i32::try_from(yuan).ok()
}

/// Yuan with up to two decimals from fen: 2250 → "22.5", 20000 → "200".
pub fn yuan_text(fen: i64) -> String {
    let (whole, cents) = (fen / 100, fen % 100);
    match cents {
        0 => thousands(whole),
        c if c % 10 == 0 => format!("{}.{}", thousands(whole), c / 10),
        c => format!("{}.{c:02}", thousands(whole)),
    }
}

/// Fen from yuan as typed on a form ("22.5", "200", "0.85"); at most two decimals.
pub fn parse_yuan(field: &str, s: &str) -> Result<Option<i64>, CodeError> {
    let s = s.trim().replace([',', '，'], "");
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || CodeError::new("pay.amount").field(field);
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 9
    {
        return Err(bad());
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    whole.checked_mul(100).and_then(|f| f.checked_add(frac)).map(Some).ok_or_else(bad)
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
