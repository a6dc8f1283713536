//! Subsidies (一网通办 政策经办): the policy catalogue, the engine's explanation before a claim
//! is filed, claims from submission to payment, and the budget. The engine decides; the store
//! guarantees paid-once and never-overspent; every step is kept with actor, time and the policy
//! version that decided it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_policy::{Decision, Outcome, Policy, evaluate, facts_from_json};
use jiuye_store::{Claim, ClaimEvent};

use super::wire::PageOut;
use super::{Paging, Query, empty_as_none, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

/// Claims above this amount need the city's approval after the district's review (5万元).
pub const CITY_APPROVAL_ABOVE_FEN: i64 = jiuye_core::claims::CITY_APPROVAL_ABOVE_FEN;

#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyOut {
    pub id: String,
    pub version: String,
    pub title: String,
    pub title_en: String,
    pub claimant: String,
    pub legal_source: String,
    pub budget_line: String,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub evidence: Vec<String>,
    /// The conditions, in plain language.
    pub criteria: Vec<String>,
    pub criteria_en: Vec<String>,
    /// Facts a claim must state.
    pub facts: Vec<String>,
    /// Parameters that are a local decision still to be confirmed.
    pub to_confirm: Vec<String>,
}

impl From<&Policy> for PolicyOut {
    fn from(p: &Policy) -> Self {
        PolicyOut {
            id: p.id.clone(),
            version: p.version.clone(),
            title: p.title.zh.clone(),
            title_en: p.title.en.clone(),
            claimant: p.claimant.as_str().into(),
            legal_source: p.legal_source.clone(),
            budget_line: p.budget_line.as_str().into(),
            effective_from: p.effective_from,
            effective_to: p.effective_to,
            evidence: p.evidence.clone(),
            criteria: p.criteria.iter().map(|c| c.reason.zh.clone()).collect(),
            criteria_en: p.criteria.iter().map(|c| c.reason.en.clone()).collect(),
            facts: p.facts_needed(),
            to_confirm: p.parameters.values().filter(|x| x.to_confirm).map(|x| x.name.clone()).collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/policies", tag = "subsidies", responses(
    (status = 200, description = "Every policy in force (latest version), with conditions in plain language", body = Vec<PolicyOut>)))]
pub async fn policies(State(state): State<AppState>) -> axum::Json<Vec<PolicyOut>> {
    axum::Json(state.policies.latest().into_iter().map(PolicyOut::from).collect())
}

#[utoipa::path(get, path = "/api/v1/policies/{id}", tag = "subsidies", params(("id" = String, Path)), responses(
    (status = 200, description = "One policy", body = PolicyOut),
    (status = 404, description = "No such policy", body = ErrorEnvelope)))]
pub async fn policy(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<axum::Json<PolicyOut>> {
    let p = state.policies.latest().into_iter().find(|p| p.id == id).ok_or(ApiError::NotFound)?;
    Ok(axum::Json(PolicyOut::from(p)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimIn {
    pub policy: String,
    /// The facts the policy needs (see `GET /api/v1/policies/{id}`), e.g. `{"certificate_kind": "skill_level"}`.
    pub facts: serde_json::Value,
    /// The day the claim is for (default today): picks the policy version and the period.
    pub date: Option<NaiveDate>,
    /// Staff filing on someone's behalf: the person, employer or organisation.
    pub claimant_id: Option<Uuid>,
    /// Organisations only: the district the claim is filed in (default: the account's).
    pub district: Option<String>,
    /// Per-person policies (an employer's intern, a public-welfare employee): the person the
    /// claim is about — someone the employer has an employment record for.
    pub subject_id: Option<Uuid>,
    /// Policies about a record (a certificate, a training): the claimant's certificate or
    /// enrolment. Its facts and its date decide; `date` is then ignored.
    pub record_id: Option<Uuid>,
    /// Evidence for the declared facts: a document reference or a description.
    pub evidence: Option<String>,
}

impl ClaimIn {
    pub fn command(&self) -> jiuye_core::FileClaim {
        jiuye_core::FileClaim {
            policy: self.policy.clone(),
            declared: self.facts.clone(),
            date: self.date,
            claimant_id: self.claimant_id,
            district: self.district.clone(),
            subject_id: self.subject_id,
            record_id: self.record_id,
            evidence: self.evidence.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimReasonOut {
    pub message: String,
    pub message_en: String,
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    /// `eligible`, `ineligible` or `undetermined`.
    pub outcome: String,
    pub amount_fen: i64,
    pub reasons: Vec<ClaimReasonOut>,
    pub missing: Vec<String>,
    pub trace: Vec<String>,
    pub policy_version: String,
    /// Every fact decided on, with where it came from: `record` (the platform's records, not
    /// the claimant's word) or `declared` (to be verified against the evidence).
    pub facts: Vec<FactOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FactOut {
    pub name: String,
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    pub source: String,
}

impl DecisionOut {
    pub fn of(d: &jiuye_core::Decided) -> Self {
        let mut out = DecisionOut::from(&d.decision);
        out.facts =
            d.fact_lines().into_iter().map(|f| FactOut { name: f.name, value: f.value, source: f.source }).collect();
        out
    }
}

impl From<&Decision> for DecisionOut {
    fn from(d: &Decision) -> Self {
        DecisionOut {
            outcome: d.outcome.as_str().into(),
            amount_fen: d.amount_fen,
            reasons: d
                .reasons
                .iter()
                .map(|r| ClaimReasonOut { message: r.zh.clone(), message_en: r.en.clone(), source: r.source.clone() })
                .collect(),
            missing: d.missing.clone(),
            trace: d.trace.clone(),
            policy_version: d.policy_version.clone(),
            facts: Vec::new(),
        }
    }
}

/// What the claims ledger says was already approved or paid under the policy's group: the
/// facts the caps read, never taken from the claimant (claims and screening).
pub async fn add_paid_facts(
    state: &AppState,
    p: &Policy,
    claimant: Uuid,
    subject: Option<Uuid>,
    period_key: &str,
    facts: &mut jiuye_policy::Facts,
) -> ApiResult<()> {
    Ok(state.core().add_paid_facts(p, claimant, subject, period_key, facts).await?)
}

#[utoipa::path(post, path = "/api/v1/claims/precheck", tag = "subsidies", request_body = ClaimIn, responses(
    (status = 200, description = "What the rules decide and why — before anything is filed", body = DecisionOut)))]
pub async fn precheck(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<ClaimIn>,
) -> ApiResult<axum::Json<DecisionOut>> {
    Ok(axum::Json(precheck_of(&state, &viewer, &body).await?))
}

/// The engine's explanation for a claim not yet filed.
pub async fn precheck_of(state: &AppState, viewer: &Viewer, body: &ClaimIn) -> ApiResult<DecisionOut> {
    Ok(DecisionOut::of(&state.core().decide_claim(&state.ctx(viewer), &body.command()).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimOut {
    pub id: Uuid,
    pub policy_id: String,
    pub policy_version: String,
    pub budget_line: String,
    pub claimant_kind: String,
    pub claimant_id: Uuid,
    /// Per-person policies: the person the claim is about.
    pub subject_id: Option<Uuid>,
    pub district: String,
    pub period: String,
    pub amount_fen: i64,
    /// submitted, reviewed (awaiting the city), approved (money reserved), paid, returned, rejected.
    pub status: String,
    pub decision: serde_json::Value,
    pub events: Vec<ClaimEventOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimEventOut {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_account: Option<Uuid>,
    pub actor_role: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub policy_version: String,
}

impl From<&ClaimEvent> for ClaimEventOut {
    fn from(e: &ClaimEvent) -> Self {
        ClaimEventOut {
            at: e.at,
            actor_account: e.actor_account,
            actor_role: e.actor_role.clone(),
            from_status: e.from_status.clone(),
            to_status: e.to_status.clone(),
            reason: e.reason.clone(),
            policy_version: e.policy_version.clone(),
        }
    }
}

fn claim_out(c: &Claim, events: &[ClaimEvent]) -> ClaimOut {
    ClaimOut {
        id: c.id,
        policy_id: c.policy_id.clone(),
        policy_version: c.policy_version.clone(),
        budget_line: c.budget_line.clone(),
        claimant_kind: c.claimant_kind.clone(),
        claimant_id: c.claimant_id,
        subject_id: c.subject_id,
        district: c.district.clone(),
        period: c.period_key.clone(),
        amount_fen: c.amount_fen,
        status: c.status.clone(),
        decision: c.decision.clone(),
        events: events.iter().map(ClaimEventOut::from).collect(),
    }
}

#[utoipa::path(post, path = "/api/v1/claims", tag = "subsidies", request_body = ClaimIn, responses(
    (status = 201, description = "Filed: the engine found it eligible", body = ClaimOut),
    (status = 409, description = "Already claimed for this period, or not in force", body = ErrorEnvelope),
    (status = 422, description = "Ineligible (every failed condition listed) or facts missing", body = ErrorEnvelope)))]
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<ClaimIn>,
) -> ApiResult<(StatusCode, axum::Json<ClaimOut>)> {
    let c = submit_claim(&state, &viewer, body).await?;
    let events = state.store.claim_events(c.id).await?;
    Ok((StatusCode::CREATED, axum::Json(claim_out(&c, &events))))
}

/// File a claim the engine finds eligible (the API and the claim page).
pub async fn submit_claim(state: &AppState, viewer: &Viewer, body: ClaimIn) -> ApiResult<Claim> {
    Ok(state.core().file_claim(&state.ctx(viewer), &body.command()).await?.0)
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ClaimQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub district: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub cursor: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub limit: Option<u64>,
}

const STATUSES: [&str; 6] = ["submitted", "reviewed", "approved", "paid", "returned", "rejected"];

#[utoipa::path(get, path = "/api/v1/claims", tag = "subsidies", params(ClaimQuery), responses(
    (status = 200, description = "Claims in the viewer's district (the city: all); claimants see their own", body = PageOut<ClaimOut>)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ClaimQuery>,
) -> ApiResult<axum::Json<PageOut<ClaimOut>>> {
    if let Some(s) = q.status.as_deref()
        && !STATUSES.contains(&s)
    {
        return Err(ApiError::invalid(CodeError::new("input.enum").field("status").arg("value", s)));
    }
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let (district, claimant) = match jiuye_core::lists::claims_list(&state.ctx(&viewer), q.district.as_deref())? {
        jiuye_core::lists::ClaimsOf::District(d) => (d, None),
        jiuye_core::lists::ClaimsOf::Claimant(c) => (None, Some(c)),
    };
    let page = state.store.list_claims(district.as_deref(), q.status.as_deref(), claimant, page).await?;
    Ok(axum::Json(PageOut {
        items: page.items.iter().map(|c| claim_out(c, &[])).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The claim, if the viewer may see it (their district, the city, or their own).
async fn visible(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<Claim> {
    Ok(state.core().claim(&state.ctx(viewer), parse_id(id)?).await?)
}

#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "subsidies", params(("id" = String, Path)), responses(
    (status = 200, description = "The claim with every step", body = ClaimOut),
    (status = 404, description = "Unknown or not visible", body = ErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ClaimOut>> {
    let c = visible(&state, &viewer, &id).await?;
    let events = state.store.claim_events(c.id).await?;
    Ok(axum::Json(claim_out(&c, &events)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    /// `approve`, `return` (for correction) or `reject` at review; `approve` for the city;
    /// `pay` once approved.
    pub action: String,
    /// Required to return or reject.
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/claims/{id}/action", tag = "subsidies", params(("id" = String, Path)), request_body = ActionIn, responses(
    (status = 200, description = "Moved: district review (approve / return / reject), city approval above 5万元, payment", body = ClaimOut),
    (status = 403, description = "Not this role's step", body = ErrorEnvelope),
    (status = 409, description = "Replayed or out of order, or the budget cannot cover it", body = ErrorEnvelope)))]
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ActionIn>,
) -> ApiResult<axum::Json<ClaimOut>> {
    let moved = act_on(&state, &viewer, &id, &body.action, body.reason).await?;
    let events = state.store.claim_events(moved.id).await?;
    Ok(axum::Json(claim_out(&moved, &events)))
}

/// One step of a claim by the viewer: district review (approve / return / reject), city
/// approval above the district's limit, payment — each only for the role whose step it is,
/// never by the one who filed it (four eyes; the core decides).
pub async fn act_on(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    action: &str,
    reason: Option<String>,
) -> ApiResult<Claim> {
    let id = parse_id(id)?;
    let reason = crate::api::casework::note("reason", reason, 500)?;
    let action = jiuye_core::ClaimAction::parse(action)?;
    Ok(state.core().act_on_claim(&state.ctx(viewer), id, action, reason).await?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetOut {
    pub budget_line: String,
    pub policy_id: String,
    pub allocated_fen: i64,
    pub reserved_fen: i64,
    pub paid_fen: i64,
    /// paid / allocated in per mille (附件2 target: ≥ 900).
    pub execution_permille: i64,
}

impl From<jiuye_store::Allocation> for BudgetOut {
    fn from(a: jiuye_store::Allocation) -> Self {
        BudgetOut {
            execution_permille: (a.paid_fen * 1000).checked_div(a.allocated_fen).unwrap_or(0),
            budget_line: a.budget_line,
            policy_id: a.policy_id,
            allocated_fen: a.allocated_fen,
            reserved_fen: a.reserved_fen,
            paid_fen: a.paid_fen,
        }
    }
}

/// A reporting period: both ends inclusive dates; none for the running totals.
#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/budget", tag = "subsidies", params(PeriodQuery), responses(
    (status = 200, description = "Allocation, reserved, paid and execution rate per line and policy: running totals, or with `from`/`to` the approvals (reserved) and payments made in that period", body = Vec<BudgetOut>),
    (status = 422, description = "`to` before `from`", body = ErrorEnvelope)))]
pub async fn budget(
    State(state): State<AppState>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<axum::Json<Vec<BudgetOut>>> {
    Ok(axum::Json(budget_rows(&state, &q).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationIn {
    /// `central`, `local` or `other`.
    pub budget_line: String,
    pub policy_id: String,
    pub allocated_fen: i64,
}

#[utoipa::path(post, path = "/api/v1/budget", tag = "subsidies", request_body = AllocationIn, responses(
    (status = 200, description = "Allocation set", body = BudgetOut),
    (status = 409, description = "Below what is already committed", body = ErrorEnvelope)))]
pub async fn allocate(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<AllocationIn>,
) -> ApiResult<axum::Json<BudgetOut>> {
    if !jiuye_policy::BudgetLine::ALL.iter().any(|l| l.as_str() == body.budget_line) {
        return Err(ApiError::invalid(
            CodeError::new("input.enum").field("budget_line").arg("value", body.budget_line),
        ));
    }
    if !state.policies.policies.iter().any(|p| p.id == body.policy_id) {
        return Err(ApiError::invalid(
            CodeError::new("claim.unknown_policy").field("policy_id").arg("policy", body.policy_id),
        ));
    }
    if !(0..=100_000_000_000).contains(&body.allocated_fen) {
        return Err(ApiError::invalid(
            CodeError::new("input.range").field("allocated_fen").arg("min", "0").arg("max", "100000000000"),
        ));
    }
    let a = state
        .store
        .set_allocation(&body.budget_line, &body.policy_id, body.allocated_fen, &viewer.audit(), state.clock.now())
        .await?;
    Ok(axum::Json(BudgetOut::from(a)))
}

#[utoipa::path(get, path = "/api/v1/budget.xlsx", tag = "subsidies", responses(
    (status = 200, description = "The budget as an xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn budget_xlsx(
    State(state): State<AppState>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let rows: Vec<Vec<String>> = budget_rows(&state, &q)
        .await?
        .iter()
        .map(|b| {
            vec![
                b.budget_line.clone(),
                b.policy_id.clone(),
                yuan(b.allocated_fen),
                yuan(b.reserved_fen),
                yuan(b.paid_fen),
                format!("{}.{}%", b.execution_permille / 10, b.execution_permille % 10),
            ]
        })
        .collect();
    let header = [
        "ui.budget.line",
        "ui.budget.policy",
        "ui.budget.allocated",
        "ui.budget.reserved",
        "ui.budget.paid",
        "ui.budget.execution",
    ];
    let bytes = crate::xlsx::write_sheet("budget", &header, &rows, jiuye_domain::Lang::Zh)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, crate::xlsx::XLSX_MIME.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"budget.xlsx\"".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// 元 with two decimals, from fen.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// The budget rows: running totals, or for a period the approvals and payments made in it
/// (execution then is the period's payments over the allocation).
pub async fn budget_rows(state: &AppState, q: &PeriodQuery) -> ApiResult<Vec<BudgetOut>> {
    let all = state.store.allocations().await?;
    if q.from.is_none() && q.to.is_none() {
        return Ok(all.into_iter().map(BudgetOut::from).collect());
    }
    // An open end is the platform's first or last day: never a date the databases cannot hold.
    let from = q.from.unwrap_or(jiuye_domain::time::PLATFORM_FROM);
    let to = q.to.unwrap_or(jiuye_domain::time::PLATFORM_TO);
    if to < from {
        return Err(ApiError::invalid(CodeError::new("input.period").field("to")));
    }
    // Days in Beijing time (UTC+8): a payment at 07:00 on 1 January local time is in that year.
    let start = jiuye_domain::time::beijing_day_start;
    let lo = start(from).unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
    let hi = to.succ_opt().and_then(start).unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    let moved = state.store.money_in_period(lo, hi).await?;
    Ok(all
        .into_iter()
        .map(|mut a| {
            let (reserved, paid) = moved.get(&(a.budget_line.clone(), a.policy_id.clone())).copied().unwrap_or((0, 0));
            a.reserved_fen = reserved;
            a.paid_fen = paid;
            BudgetOut::from(a)
        })
        .collect())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    pub key: String,
    pub title: String,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub published: bool,
    /// Parameters that are a local decision still to be confirmed.
    pub to_confirm: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/policies/versions", tag = "subsidies", responses(
    (status = 200, description = "Every version in the catalogue and whether it is published", body = Vec<VersionOut>)))]
pub async fn versions(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<VersionOut>>> {
    let published = state.store.published_policies().await?;
    Ok(axum::Json(
        state
            .policies
            .policies
            .iter()
            .map(|p| VersionOut {
                key: p.key(),
                title: p.title.zh.clone(),
                effective_from: p.effective_from,
                effective_to: p.effective_to,
                published: published.contains(&p.key()),
                to_confirm: p.parameters.values().filter(|x| x.to_confirm).map(|x| x.name.clone()).collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishIn {
    pub version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishOut {
    pub key: String,
    /// False when it was already published.
    pub published: bool,
    /// Open claims under the policy decided again by this version.
    pub rescreened: usize,
    /// Of those, how many this version decides differently (outcome or amount).
    pub changed: usize,
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/publish", tag = "subsidies", params(("id" = String, Path)), request_body = PublishIn, responses(
    (status = 200, description = "Published; open claims under the policy decided again, each noted on the claim", body = PublishOut),
    (status = 404, description = "No such version in the catalogue", body = ErrorEnvelope)))]
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<PublishIn>,
) -> ApiResult<axum::Json<PublishOut>> {
    let p =
        state.policies.policies.iter().find(|p| p.id == id && p.version == body.version).ok_or(ApiError::NotFound)?;
    let key = p.key();
    let now = state.clock.now();
    let published = state.store.publish_policy(&key, &viewer.audit(), now).await?;
    // Re-screen the open claims under this policy with the version just published.
    let (mut rescreened, mut changed) = (0, 0);
    for c in state.store.claims_of_policy(&p.id).await? {
        if !matches!(c.status.as_str(), "submitted" | "reviewed") {
            continue;
        }
        let date = c.decided_for();
        if !p.in_force(date) {
            continue;
        }
        let Ok(mut facts) = facts_from_json(&state.policies.facts, &c.facts) else { continue };
        add_paid_facts(&state, p, c.claimant_id, c.subject_id, &c.period_key, &mut facts).await?;
        let d = evaluate(p, &facts, date);
        rescreened += 1;
        let differs = d.outcome != Outcome::Eligible || d.amount_fen != c.amount_fen;
        if differs {
            changed += 1;
        }
        let note = format!(
            "rescreened under {key}: {} {} fen{}",
            d.outcome.as_str(),
            d.amount_fen,
            if differs { " (differs: review needed)" } else { "" }
        );
        state.store.note_rescreen(c.id, &c.status, &note, &key, &viewer.audit(), now).await?;
    }
    Ok(axum::Json(PublishOut { key, published, rescreened, changed }))
}
