//! The statutory clocks of wage-arrears complaints (欠薪), labour-dispute mediation and the
//! referral to arbitration, counted on the working-day calendar. Each rule names its source;
//! a suspension shifts a clock by the days it lasted, in the clock's own unit; a deadline is
//! flagged [`WARN_WORKING_DAYS`] working days before it is breached.

use chrono::{Months, NaiveDate};

use super::calendar::{Calendar, Counted};
use crate::CodeError;

/// A deadline is flagged this many working days (or fewer) before it falls.
pub const WARN_WORKING_DAYS: u32 = 3;

/// How a period is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Working days on the calendar, the start day not counted.
    WorkingDays,
    /// Calendar days, the start day not counted; a period ending on a rest day ends on the next
    /// working day.
    CalendarDays,
}

/// A statutory clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A labour inspection office accepts or refuses a complaint.
    ComplaintAcceptance,
    /// An accepted complaint is investigated.
    Investigation,
    /// A mediation organisation reaches an agreement (or the parties may go to arbitration).
    Mediation,
    /// An arbitration commission accepts or refuses an application.
    ArbitrationAcceptance,
    /// An accepted arbitration case is awarded.
    ArbitrationAward,
}

impl Rule {
    pub const ALL: [Rule; 5] = [
        Rule::ComplaintAcceptance,
        Rule::Investigation,
        Rule::Mediation,
        Rule::ArbitrationAcceptance,
        Rule::ArbitrationAward,
    ];

    /// The period, its unit, and the longest extension the law allows.
    pub fn period(self) -> (u32, Unit, u32) {
        match self {
            Rule::ComplaintAcceptance => (5, Unit::WorkingDays, 0),
            Rule::Investigation => (60, Unit::WorkingDays, 30),
            Rule::Mediation => (15, Unit::CalendarDays, 0),
            Rule::ArbitrationAcceptance => (5, Unit::CalendarDays, 0),
            Rule::ArbitrationAward => (45, Unit::CalendarDays, 15),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Rule::ComplaintAcceptance => "acceptance",
            Rule::Investigation => "investigation",
            Rule::Mediation => "mediation",
            Rule::ArbitrationAcceptance => "arbitration_acceptance",
            Rule::ArbitrationAward => "arbitration_award",
        }
    }

    /// Where the period is laid down.
    pub fn source(self) -> &'static str {
        match self {
            Rule::ComplaintAcceptance => {
                "《关于实施〈劳动保障监察条例〉若干规定》（劳动和社会保障部令第25号）：接到投诉之日起5个工作日内受理"
            }
            Rule::Investigation => "《劳动保障监察条例》第十七条：自立案之日起60个工作日内完成，经批准可延长30个工作日",
            Rule::Mediation => "《劳动争议调解仲裁法》第十四条：自收到调解申请之日起十五日内",
            Rule::ArbitrationAcceptance => "《劳动争议调解仲裁法》第二十九条：收到仲裁申请之日起五日内",
            Rule::ArbitrationAward => {
                "《劳动争议调解仲裁法》第四十三条：自受理之日起四十五日内，经批准可延期不超过十五日"
            }
        }
    }
}

/// Days a case stood still (evidence awaited, a party unreachable): from the first day
/// suspended to the day the clock resumed (not counted); `resumed: None` while it stands still.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension {
    pub from: NaiveDate,
    pub resumed: Option<NaiveDate>,
}

/// One clock of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub rule: Rule,
    /// The day the period runs from (received, accepted): not counted itself.
    pub started: NaiveDate,
    /// Whether the extension was approved.
    pub extended: bool,
    pub suspensions: Vec<Suspension>,
}

/// Where a clock stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Running, with working days left before the deadline (inclusive of it).
    Running { due: NaiveDate, working_days_left: u32, provisional: bool },
    /// Running and within [`WARN_WORKING_DAYS`] working days of its deadline.
    DueSoon { due: NaiveDate, working_days_left: u32, provisional: bool },
    /// The deadline has passed.
    Breached { due: NaiveDate, working_days_over: u32, provisional: bool },
    /// Suspended now: no deadline runs.
    Suspended { since: NaiveDate },
}

impl Clock {
    pub fn new(rule: Rule, started: NaiveDate) -> Clock {
        Clock { rule, started, extended: false, suspensions: Vec::new() }
    }

    /// The deadline, `None` while suspended.
    pub fn due(&self, calendar: &Calendar) -> Option<Counted> {
        if self.suspensions.iter().any(|s| s.resumed.is_none()) {
            return None;
        }
        let (days, unit, extension) = self.rule.period();
        let total = days + if self.extended { extension } else { 0 };
        let mut provisional = false;
        let mut shift = 0u32;
        for s in &self.suspensions {
            let resumed = s.resumed.unwrap_or(s.from);
            shift += match unit {
                Unit::WorkingDays => {
                    // Working days in [from, resumed): those after the day before `from`.
                    let before = s.from.pred_opt().unwrap_or(s.from);
                    let last = resumed.pred_opt().unwrap_or(resumed);
                    let (n, p) = calendar.working_days_between(before, last);
                    provisional |= p;
                    n
                }
                Unit::CalendarDays => u32::try_from((resumed - s.from).num_days().max(0)).unwrap_or(u32::MAX),
            };
        }
        let counted = match unit {
            Unit::WorkingDays => calendar.add_working_days(self.started, total.saturating_add(shift)),
            Unit::CalendarDays => calendar.add_calendar_days(self.started, total.saturating_add(shift)),
        };
        Some(Counted { day: counted.day, provisional: provisional || counted.provisional })
    }

    /// Where the clock stands on `today`.
    pub fn standing(&self, calendar: &Calendar, today: NaiveDate) -> Standing {
        if let Some(s) = self.suspensions.iter().find(|s| s.resumed.is_none()) {
            return Standing::Suspended { since: s.from };
        }
        let Some(Counted { day: due, provisional }) = self.due(calendar) else {
            return Standing::Suspended { since: today };
        };
        if today > due {
            let (over, p) = calendar.working_days_between(due, today);
            return Standing::Breached { due, working_days_over: over, provisional: provisional || p };
        }
        // Working days still to use, today included when people work today.
        let (works_today, _) = calendar.is_working_day(today);
        let (after, p) = calendar.working_days_between(today, due);
        let left = after + u32::from(works_today);
        let provisional = provisional || p;
        if left <= WARN_WORKING_DAYS {
            Standing::DueSoon { due, working_days_left: left, provisional }
        } else {
            Standing::Running { due, working_days_left: left, provisional }
        }
    }
}

/// The latest deadline within the warning on `today`: a running clock due on or before this day
/// stands [`Standing::DueSoon`] or [`Standing::Breached`] (the day the sweep reads by index).
pub fn warned_until(calendar: &Calendar, today: NaiveDate) -> NaiveDate {
    let (works_today, _) = calendar.is_working_day(today);
    let after = WARN_WORKING_DAYS - u32::from(works_today);
    // The day before the first deadline that would leave one working day more.
    let beyond = calendar.add_working_days(today, after + 1).day;
    beyond.pred_opt().unwrap_or(beyond)
}

/// How long after a violation a complaint can still be investigated: 劳动保障监察条例 第二十条
/// (a violation neither found nor reported within two years is not pursued; a continuing one is
/// counted from the day it ended).
pub const INSPECTION_LIMIT_MONTHS: u32 = 24;

/// A complaint received on `received` about a violation that ended on `violation_ended`: refused
/// with the reason when it is too old, or when the violation is said to end after receipt.
pub fn complaint_in_time(violation_ended: NaiveDate, received: NaiveDate) -> Result<(), CodeError> {
    if violation_ended > received {
        return Err(CodeError::new("arrears.violation_after_receipt").field("violation_ended"));
    }
    let limit = violation_ended.checked_add_months(Months::new(INSPECTION_LIMIT_MONTHS)).unwrap_or(NaiveDate::MAX);
    if received > limit {
        return Err(CodeError::new("arrears.too_old")
            .field("violation_ended")
            .arg("ended", violation_ended.to_string())
            .arg("limit", limit.to_string()));
    }
    Ok(())
}

/// The limitation of an arbitration application (劳动争议调解仲裁法 第二十七条): one year from the
/// day the party knew or should have known of the infringement; for unpaid labour remuneration
/// no limit runs while the employment lasts, and one year from its end once it ended.
pub fn arbitration_in_time(
    knew: NaiveDate,
    pay_claim: bool,
    employment_ended: Option<NaiveDate>,
    applied: NaiveDate,
) -> Result<(), CodeError> {
    let from = match (pay_claim, employment_ended) {
        (true, None) => return Ok(()),
        (true, Some(ended)) => ended,
        (false, _) => knew,
    };
    let limit = from.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
    if applied > limit {
        return Err(CodeError::new("arrears.arbitration_time_barred")
            .field(if pay_claim { "employment_ended" } else { "knew_on" })
            .arg("from", from.to_string())
            .arg("limit", limit.to_string()));
    }
    Ok(())
}
