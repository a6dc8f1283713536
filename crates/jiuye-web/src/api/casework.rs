//! Casework on one person: unemployment and employment registration, tier override, services,
//! contacts, job pushes, and the whole picture. District scope is checked by the guard before
//! any body is read (person routes are `scoped` in `access::ROUTES`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_domain::casework::{
    ContactMethod, ContactOutcome, DeregReason, EmploymentForm, EmploymentSource, One31, RegistrationBasis,
    ServiceKind, TierDecision,
};
use jiuye_domain::messages::{Lang, text};
use jiuye_domain::{CodeError, roles::Role};
use jiuye_store::{
    Contact, Employment, NewContact, NewEmployment, NewService, Recorded, Registration, RegistrationEvent, Service,
};

use super::parse_id;
use super::wire::PersonOut;
use crate::AppState;
use crate::auth::Viewer;
use crate::casework::{picture, push_jobs};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

pub(crate) fn field<T>(name: &str, r: Result<T, CodeError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::invalid(if e.field.is_none() { e.field(name) } else { e }))
}

/// Optional free text: trimmed, empty is absent, at most `max` characters.
pub(crate) fn note(name: &str, v: Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    field(name, jiuye_domain::records::text::optional(name, v.as_deref(), max))
}

fn label(key: String) -> (String, String) {
    (text(&key, Lang::Zh), text(&key, Lang::En))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Labelled {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

fn labelled(code: &str, key: String) -> Labelled {
    let (name, name_en) = label(key);
    Labelled { code: code.to_string(), name, name_en }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationOut {
    pub id: Uuid,
    pub person_id: Uuid,
    pub district: String,
    pub basis: Labelled,
    pub status: Labelled,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub caseworker_id: Option<Uuid>,
    /// The tier in force (a caseworker's override wins over the computed one).
    pub tier: Labelled,
    pub computed_tier: String,
    pub tier_override_reason: Option<String>,
    pub categories: Vec<Labelled>,
    /// Done so far: guidance, job recommendations, training or internship.
    pub one31_done: [u32; 3],
    pub one31_status: Labelled,
    pub next_131_due_on: Option<NaiveDate>,
    pub last_reached_on: Option<NaiveDate>,
    pub unreachable: bool,
    pub next_contact_on: NaiveDate,
}

impl RegistrationOut {
    pub fn of(r: &Registration, state: &AppState) -> Self {
        let status = state.casework().one31_status_of(r.next_131_due_on, state.clock.today());
        RegistrationOut {
            id: r.id,
            person_id: r.person_id,
            district: r.district.clone(),
            basis: labelled(r.basis.as_str(), r.basis.label_key()),
            status: labelled(r.status.as_str(), r.status.label_key()),
            registered_on: r.registered_on,
            ended_on: r.ended_on,
            end_reason: r.end_reason.clone(),
            caseworker_id: r.caseworker_id,
            tier: labelled(&r.tier, format!("casework.tier.{}", r.tier)),
            computed_tier: r.computed_tier.clone(),
            tier_override_reason: r.tier_override_reason.clone(),
            categories: r.categories.iter().map(|c| labelled(c, format!("casework.category.{c}"))).collect(),
            one31_done: r.one31_done,
            one31_status: labelled(status.as_str(), status.label_key()),
            next_131_due_on: r.next_131_due_on,
            last_reached_on: r.last_reached_on,
            unreachable: r.unreachable,
            next_contact_on: r.next_contact_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonText {
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierOut {
    pub tier: Labelled,
    pub categories: Vec<Labelled>,
    /// Why, one line per condition that held.
    pub reasons: Vec<ReasonText>,
}

impl From<&TierDecision> for TierOut {
    fn from(d: &TierDecision) -> Self {
        TierOut {
            tier: labelled(&d.tier, format!("casework.tier.{}", d.tier)),
            categories: d.categories.iter().map(|c| labelled(c, format!("casework.category.{c}"))).collect(),
            reasons: d
                .reasons
                .iter()
                .map(|r| ReasonText { message: r.text(Lang::Zh), message_en: r.text(Lang::En) })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct One31ItemOut {
    pub item: Labelled,
    pub done: u32,
    pub needed: u32,
    pub due_on: NaiveDate,
    pub status: Labelled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct One31Out {
    pub status: Labelled,
    pub items: Vec<One31ItemOut>,
}

impl From<&One31> for One31Out {
    fn from(o: &One31) -> Self {
        One31Out {
            status: labelled(o.status.as_str(), o.status.label_key()),
            items: o
                .items
                .iter()
                .map(|i| One31ItemOut {
                    item: labelled(i.item.as_str(), i.item.label_key()),
                    done: i.done,
                    needed: i.needed,
                    due_on: i.due_on,
                    status: labelled(i.status.as_str(), i.status.label_key()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceOut {
    pub id: Uuid,
    pub kind: Labelled,
    pub delivered_on: NaiveDate,
    pub actor_account: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    pub course: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    pub reasons: Vec<ReasonText>,
    pub corrects_id: Option<Uuid>,
    pub void: bool,
    /// Replaced or cancelled by a later correction: it no longer counts.
    pub superseded: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&Service> for ServiceOut {
    fn from(s: &Service) -> Self {
        ServiceOut {
            id: s.id,
            kind: labelled(s.kind.as_str(), s.kind.label_key()),
            delivered_on: s.delivered_on,
            actor_account: s.actor_account,
            provider_id: s.provider_id,
            vacancy_id: s.vacancy_id,
            course: s.course.clone(),
            note: s.note.clone(),
            evidence: s.evidence.clone(),
            reasons: s
                .reasons
                .iter()
                .map(|(zh, en)| ReasonText { message: zh.clone(), message_en: en.clone() })
                .collect(),
            corrects_id: s.corrects_id,
            void: s.void,
            superseded: s.superseded,
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactOut {
    pub id: Uuid,
    pub contacted_on: NaiveDate,
    pub method: Labelled,
    pub outcome: Labelled,
    pub note: Option<String>,
    pub actor_account: Option<Uuid>,
    pub provider_id: Option<Uuid>,
}

impl From<&Contact> for ContactOut {
    fn from(c: &Contact) -> Self {
        ContactOut {
            id: c.id,
            contacted_on: c.contacted_on,
            method: labelled(c.method.as_str(), c.method.label_key()),
            outcome: labelled(c.outcome.as_str(), c.outcome.label_key()),
            note: c.note.clone(),
            actor_account: c.actor_account,
            provider_id: c.provider_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentOut {
    pub id: Uuid,
    pub form: Labelled,
    pub employer_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub started_on: NaiveDate,
    pub source: Labelled,
    /// The unemployment registration this employment ended.
    pub registration_id: Option<Uuid>,
}

impl From<&Employment> for EmploymentOut {
    fn from(e: &Employment) -> Self {
        EmploymentOut {
            id: e.id,
            form: labelled(e.form.as_str(), e.form.label_key()),
            employer_id: e.employer_id,
            vacancy_id: e.vacancy_id,
            application_id: e.application_id,
            started_on: e.started_on,
            source: labelled(e.source.as_str(), e.source.label_key()),
            registration_id: e.registration_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationEventOut {
    pub at: DateTime<Utc>,
    pub actor_account: Option<Uuid>,
    pub change: String,
    pub from_value: Option<String>,
    pub to_value: String,
    pub reason: Option<String>,
}

impl From<&RegistrationEvent> for RegistrationEventOut {
    fn from(e: &RegistrationEvent) -> Self {
        RegistrationEventOut {
            at: e.at,
            actor_account: e.actor_account,
            change: e.change.clone(),
            from_value: e.from_value.clone(),
            to_value: e.to_value.clone(),
            reason: e.reason.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationWithEvents {
    pub registration: RegistrationOut,
    pub events: Vec<RegistrationEventOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOut {
    pub person: PersonOut,
    pub active_registration: Option<RegistrationOut>,
    pub tier: Option<TierOut>,
    pub one31: Option<One31Out>,
    pub registrations: Vec<RegistrationWithEvents>,
    pub services: Vec<ServiceOut>,
    pub contacts: Vec<ContactOut>,
    pub employments: Vec<EmploymentOut>,
    /// Applications: (vacancy, status).
    pub applications: Vec<(Uuid, String)>,
    pub household_id: Option<Uuid>,
    pub zero_employment_household: bool,
    /// Training: (programme, status, passed).
    pub training: Vec<TrainingLine>,
    /// Certificates: (kind, level, number).
    pub certificates: Vec<CertificateLine>,
    /// Subsidy claims: (policy, period, amount, status).
    pub claims: Vec<ClaimLine>,
    /// Key-group recognitions made by staff with evidence (what claims read as key groups).
    pub recognitions: Vec<RecognitionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionOut {
    pub id: Uuid,
    pub key_group: Labelled,
    pub district: String,
    pub evidence: String,
    pub recognised_on: NaiveDate,
    pub actor_account: Option<Uuid>,
}

impl From<&jiuye_store::Recognition> for RecognitionOut {
    fn from(r: &jiuye_store::Recognition) -> Self {
        RecognitionOut {
            id: r.id,
            key_group: Labelled {
                code: r.key_group.id().to_string(),
                name: r.key_group.label_zh().to_string(),
                name_en: r.key_group.label_en().to_string(),
            },
            district: r.district.clone(),
            evidence: r.evidence.clone(),
            recognised_on: r.recognised_on,
            actor_account: r.actor_account,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingLine {
    pub programme_id: Uuid,
    pub status: String,
    pub passed: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateLine {
    pub kind: Labelled,
    pub level: Labelled,
    pub number: String,
    pub issued_on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimLine {
    pub id: Uuid,
    pub policy_id: String,
    /// The policy's title, in each language.
    pub title: String,
    pub title_en: String,
    pub period: String,
    pub amount_fen: i64,
    pub status: String,
}

pub async fn case_out(state: &AppState, person_id: Uuid) -> ApiResult<CaseOut> {
    let p = picture(state, person_id).await?;
    let training = state
        .store
        .enrolments_of_person(person_id)
        .await?
        .into_iter()
        .map(|e| TrainingLine { programme_id: e.programme_id, status: e.status, passed: e.passed })
        .collect();
    let certificates = state
        .store
        .certificates_of_person(person_id)
        .await?
        .into_iter()
        .map(|c| CertificateLine {
            kind: labelled(&c.kind, format!("training.certificate.{}", c.kind)),
            level: labelled(&c.level, format!("training.level.{}", c.level)),
            number: c.number,
            issued_on: c.issued_on,
        })
        .collect();
    let claims = state
        .store
        .list_claims(None, None, Some(person_id), jiuye_store::PageRequest::new(None, Some(100)))
        .await?
        .items
        .into_iter()
        .map(|c| {
            let (title, title_en) = state
                .policies
                .policies
                .iter()
                .find(|p| p.id == c.policy_id)
                .map(|p| (p.title.zh.clone(), p.title.en.clone()))
                .unwrap_or_default();
            ClaimLine {
                id: c.id,
                title,
                title_en,
                policy_id: c.policy_id,
                period: c.period_key,
                amount_fen: c.amount_fen,
                status: c.status,
            }
        })
        .collect();
    let recognitions = state.store.recognitions_of_person(person_id).await?.iter().map(RecognitionOut::from).collect();
    Ok(CaseOut {
        recognitions,
        person: PersonOut::from(&p.person),
        active_registration: p.active.as_ref().map(|r| RegistrationOut::of(r, state)),
        tier: p.tier.as_ref().map(TierOut::from),
        one31: p.one31.as_ref().map(One31Out::from),
        registrations: p
            .registrations
            .iter()
            .map(|(r, ev)| RegistrationWithEvents {
                registration: RegistrationOut::of(r, state),
                events: ev.iter().map(RegistrationEventOut::from).collect(),
            })
            .collect(),
        services: p.services.iter().map(ServiceOut::from).collect(),
        contacts: p.contacts.iter().map(ContactOut::from).collect(),
        employments: p.employments.iter().map(EmploymentOut::from).collect(),
        applications: p.applications.iter().map(|a| (a.vacancy_id, a.status.as_str().to_string())).collect(),
        household_id: p.household.as_ref().map(|h| h.id),
        zero_employment_household: p.household.as_ref().is_some_and(|h| h.flagged_on.is_some()),
        training,
        certificates,
        claims,
    })
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/casework", tag = "casework", params(("id" = String, Path)), responses(
    (status = 200, description = "The person's whole picture: registrations, tier and why, 131, services, contacts, employments", body = CaseOut),
    (status = 404, description = "Unknown, or outside the viewer's district", body = ErrorEnvelope)))]
pub async fn get_case(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<axum::Json<CaseOut>> {
    Ok(axum::Json(case_out(&state, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterIn {
    /// `residence` 常住地, `workplace` 就业地, `insured` 参保地 or `hukou` 户籍地.
    pub basis: String,
    /// Default today; never later than today.
    pub registered_on: Option<NaiveDate>,
}

pub async fn register(state: &AppState, viewer: &Viewer, person_id: Uuid, body: RegisterIn) -> ApiResult<Registration> {
    let basis = field("basis", RegistrationBasis::parse(&body.basis))?;
    let today = state.clock.today();
    let caseworker = viewer.account.as_ref().filter(|a| a.role == Role::Caseworker).map(|a| a.id);
    Ok(state
        .store
        .register_unemployment(
            person_id,
            basis,
            body.registered_on.unwrap_or(today),
            caseworker,
            &state.casework(),
            today,
            &viewer.audit(),
            state.clock.now(),
        )
        .await?)
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/registrations", tag = "casework", params(("id" = String, Path)), request_body = RegisterIn, responses(
    (status = 201, description = "Registered as unemployed (失业登记)", body = RegistrationOut),
    (status = 409, description = "An active registration exists (named in the message)", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create_registration(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<RegisterIn>,
) -> ApiResult<(StatusCode, axum::Json<RegistrationOut>)> {
    let case = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?;
    let r = register(&state, &viewer, case.person.id, body).await?;
    Ok((StatusCode::CREATED, axum::Json(RegistrationOut::of(&r, &state))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndIn {
    /// A deregistration reason code (e.g. `no_longer_seeking`, `moved_away`).
    pub reason: String,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/registration/end", tag = "casework", params(("id" = String, Path)), request_body = EndIn, responses(
    (status = 200, description = "Deregistered with its reason", body = RegistrationOut),
    (status = 409, description = "No active registration", body = ErrorEnvelope)))]
pub async fn end_registration(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<EndIn>,
) -> ApiResult<axum::Json<RegistrationOut>> {
    let reason = field("reason", DeregReason::parse(&body.reason))?;
    let note = note("note", body.note, 500)?;
    let r = active_case(&state, &viewer, &id).await?;
    let r = state.store.deregister(r.id, reason, note, state.clock.today(), &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(RegistrationOut::of(&r, &state)))
}

/// The active registration of a person whose case the viewer's district holds (else not
/// found), or a refusal saying there is none.
pub async fn active_case(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<Registration> {
    let case = state.core().case(&state.ctx(viewer), parse_id(id)?).await?;
    case.active.ok_or_else(|| ApiError::Refused(CodeError::new("casework.not_registered").field("person_id")))
}

/// The person's active registration, or a refusal saying there is none.
pub async fn active_of(state: &AppState, person_id: Uuid) -> ApiResult<Registration> {
    state
        .store
        .active_registration_of(person_id)
        .await?
        .ok_or_else(|| ApiError::Refused(CodeError::new("casework.not_registered").field("person_id")))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierIn {
    /// A configured tier code, or null to return to the computed tier.
    pub tier: Option<String>,
    /// Required: why the caseworker decides otherwise (kept and audited).
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/registration/tier", tag = "casework", params(("id" = String, Path)), request_body = TierIn, responses(
    (status = 200, description = "Tier overridden with a reason", body = RegistrationOut),
    (status = 409, description = "Unknown tier, no reason, or no active registration", body = ErrorEnvelope)))]
pub async fn override_tier(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<TierIn>,
) -> ApiResult<axum::Json<RegistrationOut>> {
    let reason = note("reason", Some(body.reason), 500)?.unwrap_or_default();
    let r = active_case(&state, &viewer, &id).await?;
    let tier = body.tier.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let r =
        state.store.override_tier(r.id, tier, reason, &state.casework(), &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(RegistrationOut::of(&r, &state)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignIn {
    /// A caseworker of the person's district, or null to unassign.
    pub caseworker_id: Option<Uuid>,
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/registration/assign", tag = "casework", params(("id" = String, Path)), request_body = AssignIn, responses(
    (status = 200, description = "Assigned to a caseworker", body = RegistrationOut),
    (status = 422, description = "Not a caseworker of this district", body = ErrorEnvelope)))]
pub async fn assign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<AssignIn>,
) -> ApiResult<axum::Json<RegistrationOut>> {
    let r = active_case(&state, &viewer, &id).await?;
    if let Some(cw) = body.caseworker_id {
        let ok = state.store.account_by_id(cw).await.ok().is_some_and(|a| {
            a.role == Role::Caseworker && a.active && a.district.as_deref() == Some(r.district.as_str())
        });
        if !ok {
            return Err(ApiError::invalid(
                CodeError::new("input.enum").field("caseworker_id").arg("value", cw.to_string()),
            ));
        }
    }
    let r = state.store.assign_caseworker(r.id, body.caseworker_id, &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(RegistrationOut::of(&r, &state)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentIn {
    /// `unit` 单位就业, `flexible` 灵活就业, `self_employed` 自主创业, `public_welfare` 公益性岗位.
    pub form: String,
    /// Required for `unit` and `public_welfare`.
    pub employer_id: Option<Uuid>,
    /// For `public_welfare`: the 公益性岗位 vacancy.
    pub vacancy_id: Option<Uuid>,
    /// Default today.
    pub started_on: Option<NaiveDate>,
}

pub async fn employ(
    state: &AppState,
    viewer: &Viewer,
    person_id: Uuid,
    body: EmploymentIn,
    source: EmploymentSource,
) -> ApiResult<Employment> {
    let form = field("form", EmploymentForm::parse(&body.form))?;
    let today = state.clock.today();
    let e = state
        .store
        .record_employment(
            &NewEmployment {
                person_id,
                form,
                employer_id: body.employer_id,
                vacancy_id: body.vacancy_id,
                application_id: None,
                started_on: body.started_on.unwrap_or(today),
                source,
            },
            today,
            &viewer.audit(),
            state.clock.now(),
        )
        .await?;
    if form == EmploymentForm::PublicWelfare {
        // The placement is a service too (公益性岗位安置), for the ledger and later subsidy claims.
        let s = NewService {
            person_id,
            kind: Some(ServiceKind::PublicWelfarePlacement),
            vacancy_id: body.vacancy_id,
            note: Some(format!("employment:{}", e.id)),
            ..NewService::default()
        };
        state.store.record_service(&s, &state.casework(), today, &viewer.audit(), state.clock.now()).await?;
    }
    Ok(e)
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/employments", tag = "casework", params(("id" = String, Path)), request_body = EmploymentIn, responses(
    (status = 201, description = "Employment registered (就业登记); ends an active unemployment registration", body = EmploymentOut),
    (status = 409, description = "Duplicate, or a rule refused it (e.g. 公益性岗位 eligibility)", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create_employment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<EmploymentIn>,
) -> ApiResult<(StatusCode, axum::Json<EmploymentOut>)> {
    let case = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?;
    let e = employ(&state, &viewer, case.person.id, body, EmploymentSource::Desk).await?;
    Ok((StatusCode::CREATED, axum::Json(EmploymentOut::from(&e))))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ServiceIn {
    /// A service kind code (e.g. `career_guidance`, `job_referral`, `skills_training`, `internship`).
    /// May be omitted in a correction (the corrected entry's kind is kept).
    pub kind: Option<String>,
    /// Default today.
    pub delivered_on: Option<NaiveDate>,
    pub vacancy_id: Option<Uuid>,
    /// The course or internship offered.
    pub course: Option<String>,
    pub note: Option<String>,
    /// Evidence: a reference to a document or attachment.
    pub evidence: Option<String>,
    /// Correct an earlier entry: this one replaces it (the old one stays, marked superseded).
    pub corrects_id: Option<Uuid>,
    /// With `corrects_id`: cancel the earlier entry instead of replacing it.
    #[serde(default)]
    pub void: bool,
}

pub fn parse_service(person_id: Uuid, body: ServiceIn, provider_id: Option<Uuid>) -> ApiResult<NewService> {
    let kind = body.kind.as_deref().map(|k| field("kind", ServiceKind::parse(k))).transpose()?;
    if body.void && body.corrects_id.is_none() {
        return Err(ApiError::invalid(
            CodeError::new("input.required").field("corrects_id").arg("field", "corrects_id"),
        ));
    }
    Ok(NewService {
        person_id,
        kind,
        delivered_on: body.delivered_on,
        provider_id,
        vacancy_id: body.vacancy_id,
        course: note("course", body.course, 200)?,
        note: note("note", body.note, 2000)?,
        evidence: note("evidence", body.evidence, 500)?,
        reasons: Vec::new(),
        corrects_id: body.corrects_id,
        void: body.void,
        batch_key: None,
    })
}

pub async fn add_service(state: &AppState, viewer: &Viewer, new: NewService) -> ApiResult<Service> {
    match state
        .store
        .record_service(&new, &state.casework(), state.clock.today(), &viewer.audit(), state.clock.now())
        .await?
    {
        Recorded::New(s) => Ok(*s),
        Recorded::AlreadyDone => Err(ApiError::Conflict("batch_key")),
    }
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/services", tag = "casework", params(("id" = String, Path)), request_body = ServiceIn, responses(
    (status = 201, description = "Appended to the service ledger (or a correction of an entry)", body = ServiceOut),
    (status = 409, description = "A rule refused it (e.g. correcting another person's entry)", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create_service(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ServiceIn>,
) -> ApiResult<(StatusCode, axum::Json<ServiceOut>)> {
    let case = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?;
    let new = parse_service(case.person.id, body, None)?;
    let s = add_service(&state, &viewer, new).await?;
    Ok((StatusCode::CREATED, axum::Json(ServiceOut::from(&s))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    /// `phone`, `visit`, `online` or `message`.
    pub method: String,
    /// `reached`, `no_answer`, `wrong_number` or `declined`.
    pub outcome: String,
    /// Default today.
    pub contacted_on: Option<NaiveDate>,
    pub note: Option<String>,
}

pub fn parse_contact(
    person_id: Uuid,
    body: ContactIn,
    provider_id: Option<Uuid>,
    today: NaiveDate,
) -> ApiResult<NewContact> {
    Ok(NewContact {
        person_id,
        method: field("method", ContactMethod::parse(&body.method))?,
        outcome: field("outcome", ContactOutcome::parse(&body.outcome))?,
        contacted_on: body.contacted_on.unwrap_or(today),
        note: note("note", body.note, 2000)?,
        provider_id,
    })
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/contacts", tag = "casework", params(("id" = String, Path)), request_body = ContactIn, responses(
    (status = 201, description = "Contact logged; the next contact date moves", body = ContactOut),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create_contact(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ContactIn>,
) -> ApiResult<(StatusCode, axum::Json<ContactOut>)> {
    let today = state.clock.today();
    let case = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?;
    let new = parse_contact(case.person.id, body, None, today)?;
    let c = state.store.record_contact(&new, &state.casework(), today, &viewer.audit(), state.clock.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(ContactOut::from(&c))))
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/push-jobs", tag = "casework", params(("id" = String, Path)), responses(
    (status = 201, description = "Up to 3 recommended jobs recorded as 岗位推介, with reasons", body = Vec<ServiceOut>)))]
pub async fn push(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, axum::Json<Vec<ServiceOut>>)> {
    let person = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?.person;
    let done = push_jobs(&state, &person, &viewer.audit(), None, None).await?;
    Ok((StatusCode::CREATED, axum::Json(done.iter().map(ServiceOut::from).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecognitionIn {
    /// A key-group code, e.g. `employment_difficulty` (就业困难人员).
    pub key_group: String,
    /// Required: the document seen or its reference (kept, audited, shown to claim reviewers).
    pub evidence: String,
    /// Default today; never later than today.
    pub recognised_on: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/recognitions", tag = "casework", params(("id" = String, Path)), request_body = RecognitionIn, responses(
    (status = 201, description = "Recognised as belonging to a key group (重点群体认定), with its evidence; claims read key groups from these", body = RecognitionOut),
    (status = 404, description = "Unknown, or not a case of the viewer's district", body = ErrorEnvelope),
    (status = 422, description = "Unknown key group, no evidence, or a future date", body = ErrorEnvelope)))]
pub async fn recognise(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<RecognitionIn>,
) -> ApiResult<(StatusCode, axum::Json<RecognitionOut>)> {
    let ctx = state.ctx(&viewer);
    let case = state.core().case(&ctx, parse_id(&id)?).await?;
    let group = field("key_group", jiuye_domain::codes::KeyGroup::parse(&body.key_group))?;
    let evidence = note("evidence", Some(body.evidence), 500)?
        .ok_or_else(|| ApiError::invalid(CodeError::new("casework.recognition_evidence").field("evidence")))?;
    let on = body.recognised_on.unwrap_or(ctx.today);
    jiuye_domain::time::event_day("recognised_on", on, ctx.today).map_err(ApiError::invalid)?;
    // Recognised by the district that holds the case (the city: the person's own district).
    let district = ctx.actor.district.clone().unwrap_or_else(|| case.district().to_string());
    let r = state.store.recognise(case.person.id, group, &district, &evidence, on, &viewer.audit(), ctx.at).await?;
    Ok((StatusCode::CREATED, axum::Json(RecognitionOut::from(&r))))
}
