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
use jiuye_domain::roles::{Permission, Role, Scope};
use jiuye_policy::{Decision, Outcome, Policy, Value, evaluate, facts_from_json};
use jiuye_store::{Claim, ClaimEvent, Money, NewClaim};

use super::wire::PageOut;
use super::{Paging, Query, empty_as_none, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

/// Claims above this amount need the city's approval after the district's review (5万元).
pub const CITY_APPROVAL_ABOVE_FEN: i64 = 5_000_000;

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
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonOut {
    pub message: String,
    pub message_en: String,
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    /// `eligible`, `ineligible` or `undetermined`.
    pub outcome: String,
    pub amount_fen: i64,
    pub reasons: Vec<ReasonOut>,
    pub missing: Vec<String>,
    pub trace: Vec<String>,
    pub policy_version: String,
}

impl From<&Decision> for DecisionOut {
    fn from(d: &Decision) -> Self {
        DecisionOut {
            outcome: d.outcome.as_str().into(),
            amount_fen: d.amount_fen,
            reasons: d
                .reasons
                .iter()
                .map(|r| ReasonOut { message: r.zh.clone(), message_en: r.en.clone(), source: r.source.clone() })
                .collect(),
            missing: d.missing.clone(),
            trace: d.trace.clone(),
            policy_version: d.policy_version.clone(),
        }
    }
}

/// Who the claim is for, and in which district.
async fn claimant(state: &AppState, viewer: &Viewer, p: &Policy, body: &ClaimIn) -> ApiResult<(Uuid, String)> {
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    use jiuye_policy::Claimant as C;
    match (p.claimant, account.role) {
        (C::Person, Role::Seeker) => {
            let id = account.person_id.ok_or(ApiError::NotFound)?;
            let person = state.store.person_by_id(id).await?;
            Ok((id, person.district.as_str().to_string()))
        }
        (C::Employer, Role::Employer) => {
            let id = account.employer_id.ok_or(ApiError::NotFound)?;
            let e = state.store.employer_by_id(id).await?;
            Ok((id, e.district.as_str().to_string()))
        }
        (C::Organisation, Role::Provider) => {
            let id = crate::casework::provider_of(viewer)?;
            Ok((id, organisation_district(body, account)?))
        }
        (kind, role) if role.is_staff() => {
            let id = body.claimant_id.ok_or_else(|| {
                ApiError::invalid(CodeError::new("input.required").field("claimant_id").arg("field", "claimant_id"))
            })?;
            let district = match kind {
                C::Person => state.store.person_by_id(id).await?.district.as_str().to_string(),
                C::Employer => state.store.employer_by_id(id).await?.district.as_str().to_string(),
                C::Organisation => organisation_district(body, account)?,
            };
            viewer.require_district(&district)?;
            Ok((id, district))
        }
        _ => Err(ApiError::Forbidden),
    }
}

/// The district an organisation's claim is filed in: the one given, else the account's.
fn organisation_district(body: &ClaimIn, account: &jiuye_store::Account) -> ApiResult<String> {
    let d = body.district.clone().or_else(|| account.district.clone()).ok_or_else(|| {
        ApiError::invalid(CodeError::new("input.required").field("district").arg("field", "district"))
    })?;
    Ok(crate::api::casework::field("district", jiuye_domain::codes::DistrictCode::parse(&d))?.as_str().to_string())
}

/// The person a per-person claim is about: required by such policies (and refused by others),
/// and someone the employer has employed.
async fn subject(state: &AppState, p: &Policy, claimant: Uuid, body: &ClaimIn) -> ApiResult<Option<Uuid>> {
    match (p.per_person, body.subject_id) {
        (false, None) => Ok(None),
        (false, Some(_)) => Err(ApiError::invalid(
            CodeError::new("claim.subject_not_needed").field("subject_id").arg("policy", p.key()),
        )),
        (true, None) => {
            Err(ApiError::invalid(CodeError::new("input.required").field("subject_id").arg("field", "subject_id")))
        }
        (true, Some(s)) => {
            let employed = match p.claimant {
                jiuye_policy::Claimant::Employer => {
                    state.store.employments_of_person(s).await?.iter().any(|e| e.employer_id == Some(claimant))
                }
                // Organisations name a person they served: their facts are checked by staff.
                _ => state.store.person_by_id(s).await.is_ok(),
            };
            if employed {
                Ok(Some(s))
            } else {
                Err(ApiError::invalid(CodeError::new("claim.subject_unrelated").field("subject_id")))
            }
        }
    }
}

/// What the claims ledger says was already approved or paid under the policy's group — to the
/// claimant, or for a per-person policy about its subject — in the period and ever: the facts
/// the caps read, never taken from the claimant (claims and screening).
pub async fn add_paid_facts(
    state: &AppState,
    p: &Policy,
    claimant: Uuid,
    subject: Option<Uuid>,
    period_key: &str,
    facts: &mut jiuye_policy::Facts,
) -> ApiResult<()> {
    let group: Vec<String> =
        state.policies.policies.iter().filter(|x| x.group == p.group).map(|x| x.id.clone()).collect();
    let (period, life) = state.store.paid_so_far(claimant, subject, &group, period_key).await?;
    facts.insert("paid_in_period_fen".into(), Value::Int(period));
    facts.insert("paid_lifetime_fen".into(), Value::Int(life));
    Ok(())
}

/// A decision and who it is for.
struct Decided {
    decision: Decision,
    claimant: Uuid,
    subject: Option<Uuid>,
    district: String,
    date: NaiveDate,
}

/// The engine's decision on these facts, with the caps read from the claims ledger.
async fn decide(state: &AppState, viewer: &Viewer, body: &ClaimIn) -> ApiResult<Decided> {
    let date = body.date.unwrap_or_else(|| state.clock.today());
    let p = state
        .policies
        .policy(&body.policy, date)
        .or_else(|| state.policies.latest().into_iter().find(|p| p.id == body.policy))
        .ok_or_else(|| {
            ApiError::invalid(CodeError::new("claim.unknown_policy").field("policy").arg("policy", body.policy.clone()))
        })?;
    if !state.store.published_policies().await?.contains(&p.key()) {
        return Err(ApiError::Refused(CodeError::new("policy.unpublished").field("policy").arg("policy", p.key())));
    }
    let mut facts = facts_from_json(&state.policies.facts, &body.facts).map_err(|errs| {
        ApiError::Invalid(
            errs.into_iter().map(|e| CodeError::new("input.invalid").field(format!("facts.{e}"))).collect(),
        )
    })?;
    let (who, district) = claimant(state, viewer, p, body).await?;
    let subject = subject(state, p, who, body).await?;
    add_paid_facts(state, p, who, subject, &p.period.key(date), &mut facts).await?;
    Ok(Decided { decision: evaluate(p, &facts, date), claimant: who, subject, district, date })
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
    Ok(DecisionOut::from(&decide(state, viewer, body).await?.decision))
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
    let Decided { decision: d, claimant: who, subject, district, date } = decide(state, viewer, &body).await?;
    match d.outcome {
        Outcome::Eligible => {}
        Outcome::Ineligible => {
            let mut errs = vec![CodeError::new("claim.ineligible").field("facts")];
            // Each failed condition, in the catalogue's own words.
            errs.extend(
                d.reasons.iter().map(|r| CodeError::new("claim.ineligible").field(format!("facts ({})", r.zh))),
            );
            return Err(ApiError::Invalid(errs));
        }
        Outcome::Undetermined => {
            return Err(ApiError::invalid(
                CodeError::new("claim.undetermined").field("facts").arg("missing", d.missing.join(", ")),
            ));
        }
    }
    let p = state.policies.policy(&body.policy, date).ok_or(ApiError::NotFound)?;
    let c = state
        .store
        .create_claim(
            &NewClaim {
                policy_id: p.id.clone(),
                policy_version: p.key(),
                budget_line: p.budget_line.as_str().into(),
                group: p.group.clone(),
                claimant_kind: p.claimant.as_str().into(),
                claimant_id: who,
                subject_id: subject,
                district,
                period_key: p.period.key(date),
                amount_fen: d.amount_fen,
                facts: body.facts.clone(),
                decision: {
                    let mut v = serde_json::to_value(DecisionOut::from(&d)).unwrap_or_default();
                    v["date"] = serde_json::json!(date);
                    v
                },
            },
            &viewer.audit(),
            state.clock.now(),
        )
        .await?;
    Ok(c)
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
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    let (district, claimant) = match (viewer.scope(), account.role) {
        (Scope::City, _) => (q.district.clone(), None),
        (Scope::District(d), _) => (Some(d), None),
        (_, Role::Seeker) => (None, Some(account.person_id.ok_or(ApiError::NotFound)?)),
        (_, Role::Employer) => (None, Some(account.employer_id.ok_or(ApiError::NotFound)?)),
        (_, Role::Provider) => (None, Some(crate::casework::provider_of(&viewer)?)),
        _ => return Err(ApiError::Forbidden),
    };
    let page = state.store.list_claims(district.as_deref(), q.status.as_deref(), claimant, page).await?;
    Ok(axum::Json(PageOut {
        items: page.items.iter().map(|c| claim_out(c, &[])).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The claim, if the viewer may see it (their district, the city, or their own).
async fn visible(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<Claim> {
    let c = state.store.claim_by_id(parse_id(id)?).await?;
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    let own = account.person_id == Some(c.claimant_id)
        || account.employer_id == Some(c.claimant_id)
        || crate::casework::provider_of(viewer).ok() == Some(c.claimant_id);
    if own || viewer.scope().covers_district(&c.district) { Ok(c) } else { Err(ApiError::NotFound) }
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
/// approval above the district's limit, payment — each only for the role whose step it is.
pub async fn act_on(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    action: &str,
    reason: Option<String>,
) -> ApiResult<Claim> {
    let c = visible(state, viewer, id).await?;
    let reason = crate::api::casework::note("reason", reason, 500)?;
    let role = viewer.role().ok_or(ApiError::Unauthenticated)?;
    // (from, to, money, permission)
    let (from, to, money, perm) = match (action, c.status.as_str()) {
        ("approve", "submitted") if c.amount_fen > CITY_APPROVAL_ABOVE_FEN => {
            ("submitted", "reviewed", Money::None, Permission::ReviewClaims)
        }
        ("approve", "submitted") => ("submitted", "approved", Money::Reserve, Permission::ReviewClaims),
        ("approve", "reviewed") => ("reviewed", "approved", Money::Reserve, Permission::ApproveClaims),
        ("return", s @ ("submitted" | "reviewed")) => (s, "returned", Money::None, Permission::ReviewClaims),
        ("reject", s @ ("submitted" | "reviewed")) => (s, "rejected", Money::None, Permission::ReviewClaims),
        ("pay", "approved") => ("approved", "paid", Money::Pay, Permission::PayClaims),
        ("approve" | "return" | "reject" | "pay", _) => return Err(ApiError::Conflict("claim_transition")),
        (other, _) => return Err(ApiError::invalid(CodeError::new("input.enum").field("action").arg("value", other))),
    };
    if !jiuye_domain::roles::allows(role, perm) {
        return Err(ApiError::Forbidden);
    }
    if matches!(to, "returned" | "rejected") && reason.is_none() {
        return Err(ApiError::invalid(CodeError::new("casework.reason_required").field("reason")));
    }
    Ok(state.store.move_claim(c.id, from, to, money, reason, &viewer.audit(), state.clock.now()).await?)
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
    let from = q.from.unwrap_or(NaiveDate::MIN);
    let to = q.to.unwrap_or(NaiveDate::MAX);
    if to < from {
        return Err(ApiError::invalid(CodeError::new("input.period").field("to")));
    }
    // Days in Beijing time (UTC+8): a payment at 07:00 on 1 January local time is in that year.
    let start =
        |d: NaiveDate| d.and_hms_opt(0, 0, 0).and_then(|t| t.and_utc().checked_sub_signed(chrono::Duration::hours(8)));
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
