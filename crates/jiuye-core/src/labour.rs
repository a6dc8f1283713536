//! Wage-arrears complaints (欠薪) and labour-dispute mediation: who may file, who decides, and
//! where every statutory clock stands on the working-day calendar. One trail: an unpaid gig →
//! a complaint → mediation → a referral to arbitration.

use std::sync::LazyLock;

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::codes::DistrictCode;
use jiuye_domain::gig::calendar::Calendar;
use jiuye_domain::gig::clocks::{
    Clock, Rule, Standing, Suspension, arbitration_in_time, complaint_in_time, warned_until,
};
use jiuye_domain::roles::{Permission, Role, Scope};
use jiuye_store::{
    CaseCounts, CaseMove, CaseOrder, DueDigest, LabourCase, MediationOrg, NewLabourCase, NewMediationOrg, Pause,
};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// The working-day calendar, read once.
pub static CALENDAR: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

/// A complaint as filed online or at a desk.
#[derive(Debug, Clone, Default)]
pub struct ComplaintInput {
    pub employer_name: String,
    pub employer_id: Option<Uuid>,
    pub workers: i32,
    pub amount_fen: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub evidence: String,
    /// The day a desk received it (staff may enter a paper complaint's day); online: today.
    pub received_on: Option<NaiveDate>,
    /// Staff: the district handling it (their own by default).
    pub district: Option<String>,
    /// Staff: the complainant, when on our records.
    pub person_id: Option<Uuid>,
    /// The unpaid gig it is about (the worker's own booking).
    pub gig_booking_id: Option<Uuid>,
}

/// What staff do to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Accept,
    Refuse,
    Suspend,
    Resume,
    Extend,
    Close {
        recovered_fen: i64,
    },
    /// Refer to mediation by a registered organisation of the case's district.
    Mediate {
        org: Option<Uuid>,
    },
    Agree {
        recovered_fen: i64,
    },
    Fail,
    /// The arbitration commission accepted the failed mediation's dispute: its award clock runs.
    Arbitrate,
    /// The commission's award, with what it awards the worker.
    Award {
        recovered_fen: i64,
    },
}

impl CaseAction {
    /// An action by name, with the amount it records and the organisation a referral to
    /// mediation names.
    pub fn parse(s: &str, amount: Option<i64>, org: Option<Uuid>) -> Result<CaseAction, CodeError> {
        Ok(match s {
            "accept" => CaseAction::Accept,
            "refuse" => CaseAction::Refuse,
            "suspend" => CaseAction::Suspend,
            "resume" => CaseAction::Resume,
            "extend" => CaseAction::Extend,
            "close" => CaseAction::Close { recovered_fen: amount.unwrap_or(0) },
            "mediate" => CaseAction::Mediate { org },
            "agree" => CaseAction::Agree { recovered_fen: amount.unwrap_or(0) },
            "fail" => CaseAction::Fail,
            "arbitrate" => CaseAction::Arbitrate,
            "award" => CaseAction::Award { recovered_fen: amount.unwrap_or(0) },
            other => return Err(CodeError::new("input.enum").field("action").arg("value", other)),
        })
    }
}

/// A case and where its clocks stand today.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: LabourCase,
    pub clocks: Vec<(Rule, Standing)>,
}

fn suspensions(c: &LabourCase) -> Vec<Suspension> {
    c.suspensions.iter().map(|p| Suspension { from: p.from, resumed: p.resumed }).collect()
}

/// The clocks running on a case.
fn running(c: &LabourCase) -> Vec<Clock> {
    let clock =
        |rule: Rule, started: NaiveDate, extended: bool| Clock { rule, started, extended, suspensions: suspensions(c) };
    match (c.kind.as_str(), c.status.as_str()) {
        ("complaint", "received") => vec![clock(Rule::ComplaintAcceptance, c.received_on, false)],
        ("complaint", "accepted") => {
            c.accepted_on.map(|d| clock(Rule::Investigation, d, c.extended)).into_iter().collect()
        }
        ("mediation", "received") => vec![clock(Rule::Mediation, c.received_on, false)],
        ("mediation", "failed") => {
            c.referred_on.map(|d| clock(Rule::ArbitrationAcceptance, d, false)).into_iter().collect()
        }
        ("mediation", "arbitration") => {
            c.accepted_on.map(|d| clock(Rule::ArbitrationAward, d, c.extended)).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// Where each clock running on a case stands today.
pub fn clocks_of(c: &LabourCase, today: NaiveDate) -> Vec<(Rule, Standing)> {
    running(c).into_iter().map(|k| (k.rule, k.standing(&CALENDAR, today))).collect()
}

/// The nearest deadline of a running clock (none while suspended): kept on the case so the
/// workbench and the sweep find the urgent ones by index.
pub fn due_of(c: &LabourCase) -> Option<NaiveDate> {
    running(c).iter().filter_map(|k| k.due(&CALENDAR)).map(|d| d.day).min()
}

/// The case as a move leaves it (to compute what is kept about its clocks).
fn moved(c: &LabourCase, m: &CaseMove) -> LabourCase {
    let mut n = c.clone();
    if let Some(v) = &m.status {
        n.status = v.clone();
    }
    n.accepted_on = m.accepted_on.or(n.accepted_on);
    n.extended = m.extended.unwrap_or(n.extended);
    if let Some(v) = &m.suspensions {
        n.suspensions = v.clone();
    }
    n.referred_on = m.referred_on.or(n.referred_on);
    n
}

/// Whether any clock of the case is within its warning or past it.
pub fn flagged(v: &CaseView) -> bool {
    v.clocks.iter().any(|(_, s)| matches!(s, Standing::DueSoon { .. } | Standing::Breached { .. }))
}

/// The district a staff member's lists cover (`None`: the city).
fn staff_district(ctx: &Ctx) -> CoreResult<Option<String>> {
    match ctx.actor.scope() {
        Scope::City => Ok(None),
        Scope::District(d) => Ok(Some(d)),
        _ => Err(CoreError::Forbidden),
    }
}

fn staff_covers(ctx: &Ctx, district: &str) -> bool {
    match ctx.actor.scope() {
        Scope::City => true,
        Scope::District(d) => d == district,
        _ => false,
    }
}

impl Core<'_> {
    /// File a complaint: a worker for themself (from their unpaid gig, or about any employer),
    /// staff at a desk in their district. A violation older than two years is recorded refused,
    /// with the reason, so the complainant has it in writing.
    pub async fn file_complaint(&self, ctx: &Ctx, input: &ComplaintInput) -> CoreResult<CaseView> {
        let mut c = input.clone();
        let staff = ctx.actor.may(Permission::LabourCases);
        let person = if staff {
            if let Some(p) = c.person_id {
                self.person(ctx, p).await?;
            }
            c.person_id
        } else {
            ctx.actor.require(Permission::GigWork)?;
            c.received_on = None;
            ctx.actor.person_id
        };
        let mut district = c.district.clone();
        if let Some(b) = c.gig_booking_id {
            let booking = self.store.gig_booking_by_id(b).await?;
            if !staff && Some(booking.person_id) != person {
                return Err(CoreError::NotFound);
            }
            let gig = self.store.gig_by_id(booking.demand_id).await?;
            district = Some(gig.district.clone());
            if c.employer_id.is_none() {
                c.employer_id = gig.employer_id;
            }
            if c.employer_name.trim().is_empty() {
                c.employer_name = match gig.employer_id {
                    Some(e) => self.store.employer_by_id(e).await.map(|e| e.name).unwrap_or_default(),
                    None => String::new(),
                };
            }
            let day = jiuye_domain::time::beijing_day(gig.starts_at);
            c.period_from = c.period_from.or(Some(day));
            c.period_to = c.period_to.or(Some(day + chrono::Duration::days(i64::from(gig.days.max(1)) - 1)));
            if c.amount_fen == 0 {
                let per_day = if gig.pay_unit == "hour" {
                    gig.pay_fen.checked_mul(i64::from(gig.hours_per_day))
                } else {
                    Some(gig.pay_fen)
                };
                c.amount_fen = per_day.and_then(|d| d.checked_mul(i64::from(gig.days))).unwrap_or(0);
            }
            c.workers = c.workers.max(1);
        }
        let district = match (staff, district) {
            (_, Some(d)) => d,
            (true, None) => ctx.actor.district.clone().unwrap_or_default(),
            (false, None) => match person {
                Some(p) => self.store.person_by_id(p).await?.district.as_str().to_string(),
                None => return Err(CoreError::Forbidden),
            },
        };
        let mut problems = Vec::new();
        if DistrictCode::parse(&district).is_err() {
            problems.push(CodeError::new("region.district_unknown").field("district").arg("code", district.clone()));
        } else if staff && !staff_covers(ctx, &district) {
            return Err(CoreError::Forbidden);
        }
        let name = c.employer_name.trim().to_string();
        if name.is_empty() {
            problems.push(CodeError::new("input.required").field("employer_name"));
        } else if name.chars().count() > 100 {
            problems.push(CodeError::new("input.too_long").field("employer_name").arg("max", "100"));
        }
        if !(1..=10_000).contains(&c.workers) {
            problems.push(CodeError::new("gig.out_of_range").field("workers").arg("min", "1").arg("max", "10000"));
        }
        if !(1..=100_000_000_000).contains(&c.amount_fen) {
            problems.push(CodeError::new("arrears.amount").field("amount_fen"));
        }
        if c.evidence.chars().count() > 2_000 {
            problems.push(CodeError::new("input.too_long").field("evidence").arg("max", "2000"));
        }
        let received = c.received_on.unwrap_or(ctx.today);
        if let Err(e) = jiuye_domain::time::event_day("received_on", received, ctx.today) {
            problems.push(e);
        }
        let (Some(from), Some(to)) = (c.period_from, c.period_to) else {
            problems.push(CodeError::new("input.required").field(if c.period_from.is_none() {
                "period_from"
            } else {
                "period_to"
            }));
            return Err(CoreError::Invalid(problems));
        };
        if from > to {
            problems.push(CodeError::new("arrears.period_order").field("period_from"));
        }
        let (status, outcome) = match complaint_in_time(to, received) {
            Ok(()) => ("received", None),
            Err(e) if e.code == "arrears.too_old" => ("refused", Some(e.code.to_string())),
            Err(e) => {
                problems.push(e);
                ("received", None)
            }
        };
        if !problems.is_empty() {
            return Err(CoreError::Invalid(problems));
        }
        let new = NewLabourCase {
            kind: "complaint".into(),
            origin_id: None,
            gig_booking_id: c.gig_booking_id,
            district,
            person_id: person,
            employer_id: c.employer_id,
            employer_name: name,
            workers: c.workers,
            amount_fen: c.amount_fen,
            period_from: from,
            period_to: to,
            evidence: c.evidence.trim().to_string(),
            received_on: received,
            status: status.into(),
            outcome,
            knew_on: None,
            employment_ended: None,
            mediation_org_id: None,
            due_on: (status == "received")
                .then(|| Clock::new(Rule::ComplaintAcceptance, received).due(&CALENDAR).map(|d| d.day))
                .flatten(),
        };
        let case = self.store.file_labour_case(&new, &ctx.actor.audit(), ctx.at).await?;
        Ok(CaseView { clocks: clocks_of(&case, ctx.today), case })
    }

    /// A case as the actor may see it: its complainant, and staff of its district.
    pub async fn labour_case(&self, ctx: &Ctx, id: Uuid) -> CoreResult<CaseView> {
        let case = self.store.labour_case_by_id(id).await?;
        let own = ctx.actor.role == Some(Role::Seeker)
            && ctx.actor.person_id.is_some()
            && ctx.actor.person_id == case.person_id;
        let staff = ctx.actor.may(Permission::LabourCases) && staff_covers(ctx, &case.district);
        if !(own || staff) {
            return Err(CoreError::NotFound);
        }
        Ok(CaseView { clocks: clocks_of(&case, ctx.today), case })
    }

    /// A page of the workbench (staff: their district's cases, by nearest deadline or newest
    /// first) or of a worker's own cases (newest first, whatever order is asked).
    pub async fn labour_cases(&self, ctx: &Ctx, order: CaseOrder, limit: u64) -> CoreResult<Vec<CaseView>> {
        let limit = limit.clamp(1, 500);
        let cases = if ctx.actor.may(Permission::LabourCases) {
            let district = staff_district(ctx)?;
            self.store.labour_cases(district.as_deref(), None, order, limit).await?
        } else {
            ctx.actor.require(Permission::GigWork)?;
            let me = ctx.actor.person_id.ok_or(CoreError::Forbidden)?;
            let order = match order {
                CaseOrder::Newest { before } => CaseOrder::Newest { before },
                CaseOrder::Due { .. } => CaseOrder::Newest { before: None },
            };
            self.store.labour_cases(None, Some(me), order, limit).await?
        };
        Ok(cases.into_iter().map(|case| CaseView { clocks: clocks_of(&case, ctx.today), case }).collect())
    }

    /// How many of the staff's district's cases have a clock running.
    pub async fn running_cases(&self, ctx: &Ctx) -> CoreResult<u64> {
        ctx.actor.require(Permission::LabourCases)?;
        Ok(self.store.count_running_cases(staff_district(ctx)?.as_deref()).await?)
    }

    /// Act on a case: staff of its district, from the status the action starts from.
    pub async fn act_on_case(&self, ctx: &Ctx, id: Uuid, action: CaseAction) -> CoreResult<CaseView> {
        ctx.actor.require(Permission::LabourCases)?;
        let view = self.labour_case(ctx, id).await?;
        let c = &view.case;
        let today = ctx.today;
        let who = ctx.actor.audit();
        let wrong = || CoreError::Refused(CodeError::new("labour.not_now").arg("status", c.status.clone()));
        let open_pause = c.suspensions.iter().any(|p| p.resumed.is_none());
        let (expected, m, name): (&str, CaseMove, &'static str) = match (c.kind.as_str(), c.status.as_str(), action) {
            ("complaint", "received", CaseAction::Accept) => (
                "received",
                CaseMove {
                    status: Some("accepted".into()),
                    accepted_on: Some(today),
                    suspensions: Some(Vec::new()),
                    ..CaseMove::default()
                },
                "labour.accept",
            ),
            ("complaint", "received", CaseAction::Refuse) => (
                "received",
                CaseMove {
                    status: Some("refused".into()),
                    decided_on: Some(today),
                    outcome: Some("labour.refused_by_staff".into()),
                    ..CaseMove::default()
                },
                "labour.refuse",
            ),
            (_, "received" | "accepted", CaseAction::Suspend) if !open_pause => {
                let mut s = c.suspensions.clone();
                s.push(Pause { from: today, resumed: None });
                (c.status.as_str(), CaseMove { suspensions: Some(s), ..CaseMove::default() }, "labour.suspend")
            }
            (_, "received" | "accepted", CaseAction::Resume) if open_pause => {
                let s = c
                    .suspensions
                    .iter()
                    .map(|p| if p.resumed.is_none() { Pause { from: p.from, resumed: Some(today) } } else { *p })
                    .collect();
                (c.status.as_str(), CaseMove { suspensions: Some(s), ..CaseMove::default() }, "labour.resume")
            }
            ("complaint", "accepted", CaseAction::Extend) if !c.extended => {
                ("accepted", CaseMove { extended: Some(true), ..CaseMove::default() }, "labour.extend")
            }
            ("mediation", "arbitration", CaseAction::Extend) if !c.extended => {
                ("arbitration", CaseMove { extended: Some(true), ..CaseMove::default() }, "labour.extend")
            }
            ("mediation", "failed", CaseAction::Arbitrate) => (
                "failed",
                CaseMove { status: Some("arbitration".into()), accepted_on: Some(today), ..CaseMove::default() },
                "labour.arbitrate",
            ),
            ("mediation", "arbitration", CaseAction::Award { recovered_fen }) => {
                check_amount(recovered_fen, c.amount_fen)?;
                (
                    "arbitration",
                    CaseMove {
                        status: Some("awarded".into()),
                        decided_on: Some(today),
                        recovered_fen: Some(recovered_fen),
                        outcome: Some("labour.awarded".into()),
                        ..CaseMove::default()
                    },
                    "labour.award",
                )
            }
            ("complaint", "accepted", CaseAction::Close { recovered_fen }) => {
                check_amount(recovered_fen, c.amount_fen)?;
                (
                    "accepted",
                    CaseMove {
                        status: Some("closed".into()),
                        decided_on: Some(today),
                        recovered_fen: Some(recovered_fen),
                        outcome: Some(
                            if recovered_fen > 0 { "labour.recovered" } else { "labour.not_recovered" }.into(),
                        ),
                        ..CaseMove::default()
                    },
                    "labour.close",
                )
            }
            ("complaint", "received" | "accepted", CaseAction::Mediate { org }) => {
                // Arbitration must still be open to the worker, or mediation cannot lead anywhere.
                arbitration_in_time(c.period_to, true, Some(c.period_to), today).map_err(CoreError::Refused)?;
                let org = self.mediator_for(c, org).await?;
                let new = NewLabourCase {
                    kind: "mediation".into(),
                    origin_id: Some(c.id),
                    gig_booking_id: c.gig_booking_id,
                    district: c.district.clone(),
                    person_id: c.person_id,
                    employer_id: c.employer_id,
                    employer_name: c.employer_name.clone(),
                    workers: c.workers,
                    amount_fen: c.amount_fen,
                    period_from: c.period_from,
                    period_to: c.period_to,
                    evidence: c.evidence.clone(),
                    received_on: today,
                    status: "received".into(),
                    outcome: None,
                    knew_on: Some(c.period_to),
                    employment_ended: Some(c.period_to),
                    due_on: Clock::new(Rule::Mediation, today).due(&CALENDAR).map(|d| d.day),
                    mediation_org_id: Some(org.id),
                };
                let m = self.store.file_labour_case(&new, &who, ctx.at).await?;
                self.store
                    .move_labour_case(
                        c.id,
                        &c.status,
                        &CaseMove {
                            status: Some("closed".into()),
                            decided_on: Some(today),
                            outcome: Some("labour.to_mediation".into()),
                            due_on: Some(None),
                            ..CaseMove::default()
                        },
                        "labour.to_mediation",
                        &who,
                        ctx.at,
                    )
                    .await?;
                return Ok(CaseView { clocks: clocks_of(&m, today), case: m });
            }
            ("mediation", "received", CaseAction::Agree { recovered_fen }) => {
                check_amount(recovered_fen, c.amount_fen)?;
                (
                    "received",
                    CaseMove {
                        status: Some("agreed".into()),
                        decided_on: Some(today),
                        recovered_fen: Some(recovered_fen),
                        outcome: Some("labour.agreed".into()),
                        ..CaseMove::default()
                    },
                    "labour.agree",
                )
            }
            ("mediation", "received", CaseAction::Fail) => (
                "received",
                CaseMove {
                    status: Some("failed".into()),
                    decided_on: Some(today),
                    referred_on: Some(today),
                    outcome: Some("labour.to_arbitration".into()),
                    ..CaseMove::default()
                },
                "labour.to_arbitration",
            ),
            _ => return Err(wrong()),
        };
        let mut m = m;
        m.due_on = Some(due_of(&moved(c, &m)));
        if matches!(action, CaseAction::Accept | CaseAction::Refuse) {
            // Decided in time: on or before the acceptance deadline (suspensions counted).
            let clock = Clock {
                rule: Rule::ComplaintAcceptance,
                started: c.received_on,
                extended: false,
                suspensions: suspensions(c),
            };
            m.decided_in_time = Some(clock.due(&CALENDAR).is_none_or(|due| today <= due.day));
        }
        let case = self.store.move_labour_case(id, expected, &m, name, &who, ctx.at).await?;
        Ok(CaseView { clocks: clocks_of(&case, today), case })
    }
}

fn check_amount(recovered: i64, claimed: i64) -> CoreResult<()> {
    if recovered < 0 || recovered > claimed {
        return Err(CoreError::invalid(
            CodeError::new("arrears.recovered_range")
                .field("amount_fen")
                .arg("max", jiuye_domain::records::pay::yuan_text(claimed)),
        ));
    }
    Ok(())
}

impl Core<'_> {
    /// The figures of the cases received from `from` to `to` (inclusive) in the actor's scope,
    /// counted by the database.
    pub async fn labour_stats(&self, ctx: &Ctx, from: NaiveDate, to: NaiveDate) -> CoreResult<CaseCounts> {
        ctx.actor.require(Permission::LabourCases)?;
        let district = staff_district(ctx)?;
        Ok(self.store.labour_case_counts(district.as_deref(), from, to, ctx.today).await?)
    }

    /// The deadline sweep (the scheduler's, once per slot for all instances): open cases whose
    /// deadline is within the warning are counted per district and each newly warned of once,
    /// with an audit entry per district.
    pub async fn sweep_labour_deadlines(&self, ctx: &Ctx) -> CoreResult<Vec<DueDigest>> {
        let until = warned_until(&CALENDAR, ctx.today);
        Ok(self.store.sweep_labour_deadlines(ctx.today, until, &ctx.actor.audit(), ctx.at).await?)
    }
}

/// Kinds of labour-dispute mediation organisation (劳动争议调解仲裁法 art. 10): an enterprise's
/// mediation committee, a community's people's mediation organisation, a township's or street's
/// organisation with the function.
pub const MEDIATION_ORG_KINDS: [&str; 3] = ["enterprise", "community", "township"];

impl Core<'_> {
    /// Register a mediation organisation: a district administrator in their district, the city
    /// anywhere; the registration's day and evidence are required. `input` is as typed; what is
    /// stored is trimmed and checked.
    pub async fn register_mediation_org(&self, ctx: &Ctx, input: &NewMediationOrg) -> CoreResult<MediationOrg> {
        use jiuye_domain::records::text;
        ctx.actor.require(Permission::ManageMediationOrgs)?;
        let mut problems = crate::error::Problems::default();
        let name = problems.keep(text::required("name", &input.name, 60));
        let address = problems.keep(text::required("address", &input.address, 100));
        let evidence = problems.keep(text::required("evidence", &input.evidence, 200));
        if !MEDIATION_ORG_KINDS.contains(&input.kind.as_str()) {
            problems.push(CodeError::new("input.enum").field("kind").arg("value", input.kind.clone()));
        }
        let district = problems.keep(
            DistrictCode::parse(&input.district).map(|d| d.as_str().to_string()).map_err(|e| e.field("district")),
        );
        if let Err(e) = jiuye_domain::time::event_day("registered_on", input.registered_on, ctx.today) {
            problems.push(e);
        }
        problems.finish()?;
        if !staff_covers(ctx, &district) {
            return Err(CoreError::Forbidden);
        }
        let new = NewMediationOrg {
            name,
            kind: input.kind.clone(),
            district,
            address,
            registered_on: input.registered_on,
            evidence,
        };
        Ok(self.store.create_mediation_org(&new, &ctx.actor.audit(), ctx.at).await?)
    }

    /// The registered organisations, of a district or all (a public directory: where a worker
    /// may seek mediation).
    pub async fn mediation_orgs(&self, district: Option<&str>) -> CoreResult<Vec<MediationOrg>> {
        Ok(self.store.mediation_orgs(district).await?)
    }

    /// The organisation a referral names: registered, and in the case's district.
    async fn mediator_for(&self, c: &LabourCase, org: Option<Uuid>) -> CoreResult<MediationOrg> {
        let id = org.ok_or_else(|| CoreError::invalid(CodeError::new("input.required").field("mediation_org_id")))?;
        let o = self.store.mediation_org_by_id(id).await.map_err(|_| {
            CoreError::invalid(CodeError::new("input.unknown_id").field("mediation_org_id").arg("id", id.to_string()))
        })?;
        if o.district != c.district {
            return Err(CoreError::invalid(CodeError::new("labour.mediation_org_elsewhere").field("mediation_org_id")));
        }
        Ok(o)
    }
}
