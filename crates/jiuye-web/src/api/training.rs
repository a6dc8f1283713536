//! Training and certificates: programmes, enrolment, assessment, certificates; the certificate
//! rate after training computed from the records; a programme's training-subsidy claim decided
//! from its records by the policy engine.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::training::{CertificateKind, CertificateLevel, TrainingKind};
use jiuye_policy::{Value, evaluate};
use jiuye_store::{Certificate, Enrolment, NewProgramme, Programme, ProgrammeFigures};

use super::casework::{field, note};
use super::claims::DecisionOut;
use super::parse_id;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeIn {
    /// employment_skills, entrepreneurship, enterprise_apprenticeship, student_apprenticeship,
    /// key_industry, enterprise_staff, brics.
    pub kind: String,
    pub name: String,
    pub occupation: Option<String>,
    pub district: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub cost_per_trainee_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOut {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub provider_id: Option<Uuid>,
    pub occupation: Option<String>,
    pub district: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub cost_per_trainee_fen: i64,
}

impl From<Programme> for ProgrammeOut {
    fn from(p: Programme) -> Self {
        ProgrammeOut {
            id: p.id,
            kind: p.kind,
            name: p.name,
            provider_id: p.provider_id,
            occupation: p.occupation,
            district: p.district,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            capacity: p.capacity,
            cost_per_trainee_fen: p.cost_per_trainee_fen,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/training/programmes", tag = "training", request_body = ProgrammeIn, responses(
    (status = 201, description = "Programme created (a provider's own, or by staff)", body = ProgrammeOut),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create_programme(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<ProgrammeIn>,
) -> ApiResult<(StatusCode, axum::Json<ProgrammeOut>)> {
    let p = create_programme_of(&state, &viewer, body).await?;
    Ok((StatusCode::CREATED, axum::Json(ProgrammeOut::from(p))))
}

/// Create a programme: a provider's own, or staff's in their district (the API and the page).
pub async fn create_programme_of(state: &AppState, viewer: &Viewer, body: ProgrammeIn) -> ApiResult<Programme> {
    let kind = field("kind", TrainingKind::parse(&body.kind))?;
    let name = field("name", jiuye_domain::records::text::required("name", &body.name, 100))?;
    let district = field("district", jiuye_domain::codes::DistrictCode::parse(&body.district))?;
    let occupation = match body.occupation.as_deref().filter(|o| !o.is_empty()) {
        Some(o) => Some(field("occupation", jiuye_domain::codes::OccupationCode::parse(o))?.as_str().to_string()),
        None => None,
    };
    let provider_id = state.core().programme_placement(&state.ctx(viewer), district.as_str())?;
    let p = state
        .store
        .create_programme(
            &NewProgramme {
                kind,
                name,
                provider_id,
                occupation,
                district: district.as_str().to_string(),
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                capacity: body.capacity,
                cost_per_trainee_fen: body.cost_per_trainee_fen,
            },
            &viewer.audit(),
            state.clock.now(),
        )
        .await?;
    Ok(p)
}

#[utoipa::path(get, path = "/api/v1/training/programmes", tag = "training", responses(
    (status = 200, description = "Training programmes, newest first", body = Vec<ProgrammeOut>)))]
pub async fn programmes(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<ProgrammeOut>>> {
    Ok(axum::Json(state.store.programmes(None).await?.into_iter().map(ProgrammeOut::from).collect()))
}

/// The programme, if the viewer manages it (the core decides: a provider its own, staff those
/// of their district). Anything else is not found, so nobody learns of others' classes.
pub async fn managed_programme(state: &AppState, viewer: &Viewer, id: Uuid) -> ApiResult<Programme> {
    Ok(state.core().programme_managed(&state.ctx(viewer), id).await?)
}

/// The enrolment, if the viewer manages its programme.
pub async fn managed_enrolment(state: &AppState, viewer: &Viewer, id: Uuid) -> ApiResult<(Enrolment, Programme)> {
    Ok(state.core().enrolment_managed(&state.ctx(viewer), id).await?)
}

/// Programmes the viewer manages, newest first.
pub async fn managed_programmes(state: &AppState, viewer: &Viewer) -> ApiResult<Vec<Programme>> {
    Ok(state.core().programmes_managed(&state.ctx(viewer)).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolIn {
    pub person_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/training/programmes/{id}/enrolments", tag = "training", params(("id" = String, Path)), request_body = EnrolIn, responses(
    (status = 201, description = "Enrolled", body = Object),
    (status = 409, description = "Full, or already enrolled", body = ErrorEnvelope)))]
pub async fn enrol(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<EnrolIn>,
) -> ApiResult<(StatusCode, axum::Json<Enrolment>)> {
    let e = enrol_of(&state, &viewer, parse_id(&id)?, body.person_id).await?;
    Ok((StatusCode::CREATED, axum::Json(e)))
}

/// Enrol a person in a class the viewer manages: a provider only someone its contract in
/// force covers, staff someone of their district (the API and the page).
pub async fn enrol_of(state: &AppState, viewer: &Viewer, programme: Uuid, person: Uuid) -> ApiResult<Enrolment> {
    let ctx = state.ctx(viewer);
    let p = state.core().programme_managed(&ctx, programme).await?;
    let person = state.core().enrolable(&ctx, person).await?;
    Ok(state.store.enrol(p.id, person.id, &viewer.audit(), ctx.at).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentIn {
    pub attendance_hours: i32,
    pub passed: bool,
    pub assessed_on: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/training/enrolments/{id}/assessment", tag = "training", params(("id" = String, Path)), request_body = AssessmentIn, responses(
    (status = 200, description = "Assessed: the enrolment is completed", body = Object)))]
pub async fn assess(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<AssessmentIn>,
) -> ApiResult<axum::Json<Enrolment>> {
    Ok(axum::Json(assess_of(&state, &viewer, &id, body).await?))
}

/// Record attendance and the result of a managed enrolment (the API and the page).
pub async fn assess_of(state: &AppState, viewer: &Viewer, id: &str, body: AssessmentIn) -> ApiResult<Enrolment> {
    if !(0..=2000).contains(&body.attendance_hours) {
        return Err(ApiError::invalid(
            CodeError::new("input.range").field("attendance_hours").arg("min", "0").arg("max", "2000"),
        ));
    }
    let on = body.assessed_on.unwrap_or_else(|| state.clock.today());
    let (e, _) = managed_enrolment(state, viewer, parse_id(id)?).await?;
    Ok(state.store.assess(e.id, body.attendance_hours, body.passed, on, &viewer.audit(), state.clock.now()).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCertificateIn {
    /// special_ability, vocational_qualification, skill_level, training_completion.
    pub kind: String,
    /// five, four, three, two, one, or none.
    pub level: String,
    pub number: String,
    pub occupation: Option<String>,
    pub issued_on: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/training/enrolments/{id}/certificate", tag = "training", params(("id" = String, Path)), request_body = IssueCertificateIn, responses(
    (status = 201, description = "Certificate issued for a passed training", body = Object),
    (status = 409, description = "Not passed, or the number exists", body = ErrorEnvelope)))]
pub async fn certify(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<IssueCertificateIn>,
) -> ApiResult<(StatusCode, axum::Json<Certificate>)> {
    Ok((StatusCode::CREATED, axum::Json(certify_of(&state, &viewer, &id, body).await?)))
}

/// Issue a certificate for a managed enrolment that passed (the API and the page).
pub async fn certify_of(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    body: IssueCertificateIn,
) -> ApiResult<Certificate> {
    let (e, _) = managed_enrolment(state, viewer, parse_id(id)?).await?;
    let kind = field("kind", CertificateKind::parse(&body.kind))?;
    let level = field("level", CertificateLevel::parse(&body.level))?;
    // A special-ability certificate given a level would pay as a graded one: refused.
    kind.check_level(level)?;
    let number = field("number", jiuye_domain::records::text::required("number", &body.number, 40))?;
    let occupation = note("occupation", body.occupation, 20)?;
    let c = state
        .store
        .issue_certificate(
            e.person_id,
            Some(e.id),
            kind,
            level,
            occupation,
            &number,
            body.issued_on.unwrap_or_else(|| state.clock.today()),
            &viewer.audit(),
            state.clock.now(),
        )
        .await?;
    Ok(c)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeClaimOut {
    pub figures: Figures,
    /// The facts the programme's records give its training-subsidy claim.
    pub facts: serde_json::Value,
    pub policy: Option<String>,
    pub decision: Option<DecisionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Figures {
    pub enrolled: u64,
    pub completed: u64,
    pub passed: u64,
    pub certified: u64,
    /// certified / completed in per mille (附件2 target: 900).
    pub certificate_rate_permille: u64,
}

impl From<ProgrammeFigures> for Figures {
    fn from(f: ProgrammeFigures) -> Self {
        Figures {
            certificate_rate_permille: (f.certified * 1000).checked_div(f.completed).unwrap_or(0),
            enrolled: f.enrolled,
            completed: f.completed,
            passed: f.passed,
            certified: f.certified,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/training/programmes/{id}/claim", tag = "training", params(("id" = String, Path)), responses(
    (status = 200, description = "The programme's training-subsidy claim, decided from its records (trainees who passed)", body = ProgrammeClaimOut)))]
pub async fn programme_claim(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ProgrammeClaimOut>> {
    let p = managed_programme(&state, &viewer, parse_id(&id)?).await?;
    Ok(axum::Json(programme_claim_of(&state, &p).await?))
}

/// A programme's figures and its training-subsidy decision, from its records.
pub async fn programme_claim_of(state: &AppState, p: &Programme) -> ApiResult<ProgrammeClaimOut> {
    let f = state.store.programme_figures(Some(&[p.id])).await?;
    let mut facts = jiuye_policy::Facts::new();
    facts.insert("training_kind".into(), Value::Text(p.kind.clone()));
    facts.insert("trainees_passed".into(), Value::Int(i64::try_from(f.passed).unwrap_or(i64::MAX)));
    facts.insert("org_kind".into(), Value::Text("training_provider".into()));
    facts.insert("training_passed".into(), Value::Bool(f.passed > 0));
    let policy_id = match p.kind.as_str() {
        "employment_skills" => Some("employment_skills_training"),
        "entrepreneurship" => Some("entrepreneurship_training"),
        _ => None,
    };
    let on = p.ends_on;
    let decision =
        policy_id.and_then(|id| state.policies.policy(id, on)).map(|pol| DecisionOut::from(&evaluate(pol, &facts, on)));
    Ok(ProgrammeClaimOut {
        figures: Figures::from(f),
        facts: serde_json::to_value(&facts).unwrap_or_default(),
        policy: policy_id.map(str::to_string),
        decision,
    })
}

#[utoipa::path(get, path = "/api/v1/training/certificate-rate", tag = "training", responses(
    (status = 200, description = "接受职业培训后取得证书人员比例: certified / completed trainees, from the records", body = Figures)))]
pub async fn certificate_rate(State(state): State<AppState>) -> ApiResult<axum::Json<Figures>> {
    Ok(axum::Json(Figures::from(state.store.programme_figures(None).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyTraining {
    pub enrolments: Vec<serde_json::Value>,
    pub certificates: Vec<serde_json::Value>,
}

#[utoipa::path(get, path = "/api/v1/me/training", tag = "training", responses(
    (status = 200, description = "My training record: enrolments and certificates", body = MyTraining)))]
pub async fn mine(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<MyTraining>> {
    let me = viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)?;
    let enrolments = state.store.enrolments_of_person(me).await?;
    let certificates = state.store.certificates_of_person(me).await?;
    Ok(axum::Json(MyTraining {
        enrolments: enrolments.iter().filter_map(|e| serde_json::to_value(e).ok()).collect(),
        certificates: certificates.iter().filter_map(|c| serde_json::to_value(c).ok()).collect(),
    }))
}
