//! Wage-arrears complaints and mediation over HTTP: filing (a worker online, from an unpaid
//! gig or not; staff at a desk), the district's workbench with every statutory clock, and the
//! staff's decisions. The core decides who may do what (`jiuye_core::labour`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_core::labour::{CaseAction, CaseView, ComplaintInput, flagged};
use jiuye_domain::gig::clocks::Standing;
use jiuye_domain::messages::{Lang, render};
use jiuye_store::CaseOrder;

use super::parse_id;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClockOut {
    /// acceptance, investigation, mediation, arbitration_acceptance, arbitration_award.
    pub rule: String,
    pub label_zh: String,
    pub label_en: String,
    /// The law that sets it.
    pub source: String,
    /// running, due_soon, breached, suspended.
    pub state: String,
    pub due: Option<NaiveDate>,
    pub working_days_left: Option<u32>,
    pub working_days_over: Option<u32>,
    /// The deadline reaches a year whose holidays are not yet published: weekends only.
    pub provisional: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabourCaseOut {
    pub id: Uuid,
    /// complaint, mediation.
    pub kind: String,
    pub origin_id: Option<Uuid>,
    pub gig_booking_id: Option<Uuid>,
    pub district: String,
    pub employer_name: String,
    pub workers: i32,
    pub amount_fen: i64,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub evidence: String,
    pub received_on: NaiveDate,
    /// complaint: received, accepted, refused, closed; mediation: received, agreed, failed,
    /// arbitration (accepted by the commission), awarded.
    pub status: String,
    pub status_zh: String,
    pub status_en: String,
    pub accepted_on: Option<NaiveDate>,
    pub extended: bool,
    pub suspended: bool,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub outcome_zh: Option<String>,
    pub outcome_en: Option<String>,
    pub recovered_fen: Option<i64>,
    pub referred_on: Option<NaiveDate>,
    /// A mediation case: the registered organisation mediating it.
    pub mediation_org_id: Option<Uuid>,
    pub clocks: Vec<ClockOut>,
    /// A clock is within three working days of its deadline, or past it.
    pub flagged: bool,
}

impl LabourCaseOut {
    pub fn of(v: &CaseView) -> LabourCaseOut {
        let c = &v.case;
        let zh = |k: &str| render(k, Lang::Zh, &[]);
        let en = |k: &str| render(k, Lang::En, &[]);
        // A refusal at intake keeps its reason's arguments: say them.
        let outcome_text = |lang: Lang| {
            c.outcome.as_deref().map(|o| {
                let args = if o == "arrears.too_old" {
                    let limit = c.period_to.checked_add_months(chrono::Months::new(24)).unwrap_or(c.period_to);
                    vec![("ended", c.period_to.to_string()), ("limit", limit.to_string())]
                } else {
                    Vec::new()
                };
                render(o, lang, &args)
            })
        };
        LabourCaseOut {
            id: c.id,
            kind: c.kind.clone(),
            origin_id: c.origin_id,
            gig_booking_id: c.gig_booking_id,
            district: c.district.clone(),
            employer_name: c.employer_name.clone(),
            workers: c.workers,
            amount_fen: c.amount_fen,
            period_from: c.period_from,
            period_to: c.period_to,
            evidence: c.evidence.clone(),
            received_on: c.received_on,
            status: c.status.clone(),
            status_zh: zh(&format!("labour.status.{}", c.status)),
            status_en: en(&format!("labour.status.{}", c.status)),
            accepted_on: c.accepted_on,
            extended: c.extended,
            suspended: c.suspensions.iter().any(|p| p.resumed.is_none()),
            decided_on: c.decided_on,
            outcome: c.outcome.clone(),
            outcome_zh: outcome_text(Lang::Zh),
            outcome_en: outcome_text(Lang::En),
            recovered_fen: c.recovered_fen,
            referred_on: c.referred_on,
            mediation_org_id: c.mediation_org_id,
            clocks: v
                .clocks
                .iter()
                .map(|(rule, s)| {
                    let key = format!("labour.clock.{}", rule.code());
                    let (state, due, left, over, provisional) = match *s {
                        Standing::Running { due, working_days_left, provisional } => {
                            ("running", Some(due), Some(working_days_left), None, provisional)
                        }
                        Standing::DueSoon { due, working_days_left, provisional } => {
                            ("due_soon", Some(due), Some(working_days_left), None, provisional)
                        }
                        Standing::Breached { due, working_days_over, provisional } => {
                            ("breached", Some(due), None, Some(working_days_over), provisional)
                        }
                        Standing::Suspended { .. } => ("suspended", None, None, None, false),
                    };
                    ClockOut {
                        rule: rule.code().to_string(),
                        label_zh: zh(&key),
                        label_en: en(&key),
                        source: rule.source().to_string(),
                        state: state.to_string(),
                        due,
                        working_days_left: left,
                        working_days_over: over,
                        provisional,
                    }
                })
                .collect(),
            flagged: flagged(v),
        }
    }
}

impl LabourCaseOut {
    /// The catalogue key of its kind's name.
    pub fn kind_key(&self) -> String {
        format!("labour.kind.{}", self.kind)
    }

    /// What staff may do to the case now (the core decides again when they do it).
    pub fn actions(&self) -> Vec<&'static str> {
        let pause = if self.suspended { "resume" } else { "suspend" };
        match (self.kind.as_str(), self.status.as_str()) {
            ("complaint", "received") => vec!["accept", "refuse", "mediate", pause],
            ("complaint", "accepted") if self.extended => vec!["close", "mediate", pause],
            ("complaint", "accepted") => vec!["close", "extend", "mediate", pause],
            ("mediation", "received") => vec!["agree", "fail", pause],
            ("mediation", "failed") => vec!["arbitrate"],
            ("mediation", "arbitration") if self.extended => vec!["award"],
            ("mediation", "arbitration") => vec!["award", "extend"],
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintIn {
    /// The unpaid gig it is about (the worker's own booking): employer, amount and period are
    /// filled from it when left out.
    pub gig_booking_id: Option<Uuid>,
    #[serde(default)]
    pub employer_name: String,
    pub employer_id: Option<Uuid>,
    #[serde(default)]
    pub workers: i32,
    #[serde(default)]
    pub amount_fen: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    #[serde(default)]
    pub evidence: String,
    /// Staff at a desk: the day the complaint was received (default today).
    pub received_on: Option<NaiveDate>,
    /// Staff: the district handling it (default their own).
    pub district: Option<String>,
    /// Staff: the complainant, when on record.
    pub person_id: Option<Uuid>,
}

impl ComplaintIn {
    pub fn input(&self) -> ComplaintInput {
        ComplaintInput {
            employer_name: self.employer_name.clone(),
            employer_id: self.employer_id,
            workers: if self.workers == 0 { 1 } else { self.workers },
            amount_fen: self.amount_fen,
            period_from: self.period_from,
            period_to: self.period_to,
            evidence: self.evidence.clone(),
            received_on: self.received_on,
            district: self.district.clone(),
            person_id: self.person_id,
            gig_booking_id: self.gig_booking_id,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/arrears", tag = "gig", request_body = ComplaintIn, responses(
    (status = 201, description = "Filed: received with its acceptance clock, or refused at once when over two years old (with the reason)", body = LabourCaseOut),
    (status = 422, description = "Invalid", body = ErrorEnvelope)))]
pub async fn file(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(b): Json<ComplaintIn>,
) -> ApiResult<(StatusCode, axum::Json<LabourCaseOut>)> {
    let v = state.core().file_complaint(&state.ctx(&viewer), &b.input()).await?;
    Ok((StatusCode::CREATED, axum::Json(LabourCaseOut::of(&v))))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    /// Staff: `due` (default: cases with a running clock, nearest deadline first) or `all`
    /// (every case, newest first). A worker's own cases are always newest first.
    pub view: Option<String>,
    /// `due`: cases to skip.
    pub offset: Option<u64>,
    /// `all`: cases older than this one (the last id of the previous page).
    pub before: Option<Uuid>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<u64>,
}

impl CaseListQuery {
    pub fn order(&self) -> Result<CaseOrder, ApiError> {
        match self.view.as_deref() {
            None | Some("due") => Ok(CaseOrder::Due { offset: self.offset.unwrap_or(0).min(1_000_000) }),
            Some("all") => Ok(CaseOrder::Newest { before: self.before }),
            Some(other) => {
                Err(ApiError::invalid(jiuye_domain::CodeError::new("input.enum").field("view").arg("value", other)))
            }
        }
    }
}

/// A page of the viewer's cases: a worker's own, or the staff's district in the order asked.
pub async fn cases_of(
    state: &AppState,
    viewer: &Viewer,
    order: CaseOrder,
    limit: u64,
) -> ApiResult<Vec<LabourCaseOut>> {
    Ok(state.core().labour_cases(&state.ctx(viewer), order, limit).await?.iter().map(LabourCaseOut::of).collect())
}

#[utoipa::path(get, path = "/api/v1/arrears", tag = "gig", params(
    ("view" = Option<String>, Query, description = "Staff: due (running clocks, nearest deadline first; default) or all (newest first)"),
    ("offset" = Option<u64>, Query, description = "due: cases to skip"),
    ("before" = Option<String>, Query, description = "all: the last id of the previous page"),
    ("limit" = Option<u64>, Query, description = "At most this many (default 50, at most 500)")), responses(
    (status = 200, description = "My complaints (newest first), or a page of the district's workbench", body = Vec<LabourCaseOut>),
    (status = 422, description = "An unknown view", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    super::Query(q): super::Query<CaseListQuery>,
) -> ApiResult<axum::Json<Vec<LabourCaseOut>>> {
    Ok(axum::Json(cases_of(&state, &viewer, q.order()?, q.limit.unwrap_or(50)).await?))
}

#[utoipa::path(get, path = "/api/v1/arrears/{id}", tag = "gig", params(("id" = String, Path)), responses(
    (status = 200, description = "A case with its clocks", body = LabourCaseOut),
    (status = 404, description = "Not the viewer's case or district", body = ErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<LabourCaseOut>> {
    let v = state.core().labour_case(&state.ctx(&viewer), parse_id(&id)?).await?;
    Ok(axum::Json(LabourCaseOut::of(&v)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseActionIn {
    /// accept, refuse, suspend, resume, extend, close, mediate, agree, fail, arbitrate, award.
    pub action: String,
    /// close: recovered; agree: agreed; award: awarded (fen).
    pub amount_fen: Option<i64>,
    /// mediate: the registered organisation of the case's district that mediates it.
    pub mediation_org_id: Option<Uuid>,
}

/// Act on a case (the API and the page).
pub async fn act_of(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    action: &str,
    amount: Option<i64>,
    org: Option<Uuid>,
) -> ApiResult<LabourCaseOut> {
    let action = CaseAction::parse(action, amount, org).map_err(ApiError::invalid)?;
    let v = state.core().act_on_case(&state.ctx(viewer), id, action).await?;
    Ok(LabourCaseOut::of(&v))
}

#[utoipa::path(post, path = "/api/v1/arrears/{id}/action", tag = "gig", params(("id" = String, Path)), request_body = CaseActionIn, responses(
    (status = 200, description = "Done: the case (a referral to mediation answers the new mediation case)", body = LabourCaseOut),
    (status = 409, description = "Not possible in the case's status, or moved by someone else", body = ErrorEnvelope)))]
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(b): Json<CaseActionIn>,
) -> ApiResult<axum::Json<LabourCaseOut>> {
    Ok(axum::Json(act_of(&state, &viewer, parse_id(&id)?, &b.action, b.amount_fen, b.mediation_org_id).await?))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabourStatsOut {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub complaints: i64,
    pub accepted: i64,
    pub refused_too_old: i64,
    pub refused_by_staff: i64,
    pub closed: i64,
    pub to_mediation: i64,
    pub mediations: i64,
    pub agreed: i64,
    /// Failed mediations referred to arbitration, and those awarded.
    pub failed: i64,
    pub awarded: i64,
    /// Complaints accepted or refused within their 5 working days, of those decided.
    pub decided_in_time: i64,
    pub decided: i64,
    pub breached_now: i64,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
    pub workers: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// The first day received (default: 1 January of this year).
    pub from: Option<NaiveDate>,
    /// The last day received (default: today).
    pub to: Option<NaiveDate>,
}

/// The figures of the viewer's district (the city: all) for a span.
pub async fn stats_of(
    state: &AppState,
    viewer: &Viewer,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ApiResult<LabourStatsOut> {
    let ctx = state.ctx(viewer);
    let to = to.unwrap_or(ctx.today);
    let from = from.or_else(|| NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1)).unwrap_or(to);
    if from > to {
        return Err(ApiError::invalid(jiuye_domain::CodeError::new("arrears.period_order").field("from")));
    }
    let s = state.core().labour_stats(&ctx, from, to).await?;
    Ok(LabourStatsOut {
        from,
        to,
        complaints: s.complaints,
        accepted: s.accepted,
        refused_too_old: s.refused_too_old,
        refused_by_staff: s.refused_by_staff,
        closed: s.closed,
        to_mediation: s.to_mediation,
        mediations: s.mediations,
        agreed: s.agreed,
        failed: s.failed,
        awarded: s.awarded,
        decided_in_time: s.decided_in_time,
        decided: s.decided,
        breached_now: s.breached_now,
        claimed_fen: s.claimed_fen,
        recovered_fen: s.recovered_fen,
        workers: s.workers,
    })
}

#[utoipa::path(get, path = "/api/v1/arrears/stats", tag = "gig", params(
    ("from" = Option<String>, Query, description = "First day received"),
    ("to" = Option<String>, Query, description = "Last day received")), responses(
    (status = 200, description = "Complaints and mediation in the viewer's district for the span: counts, decided in time, money claimed and recovered", body = LabourStatsOut),
    (status = 422, description = "The span ends before it starts", body = ErrorEnvelope)))]
pub async fn stats(
    State(state): State<AppState>,
    viewer: Viewer,
    super::Query(q): super::Query<StatsQuery>,
) -> ApiResult<axum::Json<LabourStatsOut>> {
    Ok(axum::Json(stats_of(&state, &viewer, q.from, q.to).await?))
}

/// A registered mediation organisation, in the public directory.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MediationOrgOut {
    pub id: Uuid,
    pub name: String,
    /// enterprise, community, township.
    pub kind: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub district: String,
    pub address: String,
    pub registered_on: NaiveDate,
}

impl MediationOrgOut {
    pub fn of(o: &jiuye_store::MediationOrg) -> MediationOrgOut {
        let key = format!("labour.mediation_org.{}", o.kind);
        MediationOrgOut {
            id: o.id,
            name: o.name.clone(),
            kind: o.kind.clone(),
            kind_zh: render(&key, Lang::Zh, &[]),
            kind_en: render(&key, Lang::En, &[]),
            district: o.district.clone(),
            address: o.address.clone(),
            registered_on: o.registered_on,
        }
    }
}

/// Which district's organisations.
#[derive(Debug, Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MediationOrgQuery {
    /// A district (GB/T 2260); every district when absent.
    #[serde(default, deserialize_with = "super::empty_as_none")]
    pub district: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/mediation-orgs", tag = "gig", params(MediationOrgQuery), responses(
    (status = 200, description = "Registered labour-dispute mediation organisations, by district and name", body = Vec<MediationOrgOut>),
    (status = 422, description = "Not a district of the city", body = ErrorEnvelope)))]
pub async fn mediation_orgs(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<MediationOrgQuery>,
) -> ApiResult<axum::Json<Vec<MediationOrgOut>>> {
    let district = match q.district.as_deref() {
        None => None,
        Some(d) => Some(
            jiuye_domain::codes::DistrictCode::parse(d)
                .map_err(|e| ApiError::invalid(e.field("district")))?
                .as_str()
                .to_string(),
        ),
    };
    let orgs = state.core().mediation_orgs(district.as_deref()).await?;
    Ok(axum::Json(orgs.iter().map(MediationOrgOut::of).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediationOrgIn {
    pub name: String,
    /// enterprise, community, township.
    pub kind: String,
    pub district: String,
    pub address: String,
    /// The day it was registered, with the registration's evidence (a document number).
    pub registered_on: NaiveDate,
    pub evidence: String,
}

#[utoipa::path(post, path = "/api/v1/mediation-orgs", tag = "gig", request_body = MediationOrgIn, responses(
    (status = 201, description = "Registered", body = MediationOrgOut),
    (status = 403, description = "Not an administrator of the district", body = ErrorEnvelope),
    (status = 422, description = "Invalid input, every problem with its field", body = ErrorEnvelope)))]
pub async fn register_mediation_org(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(b): Json<MediationOrgIn>,
) -> ApiResult<(StatusCode, axum::Json<MediationOrgOut>)> {
    let input = jiuye_store::NewMediationOrg {
        name: b.name,
        kind: b.kind,
        district: b.district,
        address: b.address,
        registered_on: b.registered_on,
        evidence: b.evidence,
    };
    let o = state.core().register_mediation_org(&state.ctx(&viewer), &input).await?;
    Ok((StatusCode::CREATED, axum::Json(MediationOrgOut::of(&o))))
}
