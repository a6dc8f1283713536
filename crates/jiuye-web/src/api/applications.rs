//! Applications: a seeker applies and may withdraw; the employer moves it on (viewed →
//! interview → hired | rejected); inaction for 60 days closes it; a hire records an employment.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_domain::records::{ApplicationActor, ApplicationStatus};
use jiuye_domain::roles::Role;
use jiuye_store::Application;

use super::parse_id;
use super::wire::{CodeName, VacancyOut};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplyIn {
    /// A short message to the employer.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveIn {
    /// `viewed`, `interview`, `hired` or `rejected` (employers); `withdrawn` (the seeker).
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationEventOut {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
}

/// The applicant as the employer sees them once they applied: name and contact, never the ID number.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantOut {
    pub person_id: Uuid,
    pub name: String,
    pub mobile: String,
    pub education: CodeName,
    pub district: CodeName,
    pub skills: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationOut {
    pub id: Uuid,
    pub status: String,
    pub status_label: String,
    pub note: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub vacancy: Option<VacancyOut>,
    pub applicant: Option<ApplicantOut>,
    pub events: Vec<ApplicationEventOut>,
}

pub async fn out(
    state: &AppState,
    a: &Application,
    with_vacancy: bool,
    with_applicant: bool,
) -> ApiResult<ApplicationOut> {
    let today = state.clock.today();
    let vacancy =
        if with_vacancy { Some(VacancyOut::of(&state.store.vacancy_by_id(a.vacancy_id).await?, today)) } else { None };
    let applicant = if with_applicant {
        let p = state.store.person_by_id(a.person_id).await?;
        Some(ApplicantOut {
            person_id: p.id,
            name: p.name.clone(),
            mobile: p.mobile.as_str().into(),
            education: CodeName { code: p.education.code().into(), name: p.education.label_zh().into() },
            district: CodeName { code: p.district.as_str().into(), name: p.district.name().into() },
            skills: p.skills.clone(),
        })
    } else {
        None
    };
    let events = state
        .store
        .application_events(a.id)
        .await?
        .into_iter()
        .map(|e| ApplicationEventOut {
            at: e.at,
            actor: e.actor,
            from_status: e.from_status,
            to_status: e.to_status,
            reason: e.reason,
        })
        .collect();
    Ok(ApplicationOut {
        id: a.id,
        status: a.status.as_str().into(),
        status_label: jiuye_domain::messages::text(&a.status.label_key(), jiuye_domain::Lang::Zh),
        note: a.note.clone(),
        created_at: a.created_at,
        updated_at: a.updated_at,
        vacancy,
        applicant,
        events,
    })
}

fn own_person(viewer: &Viewer) -> Result<Uuid, ApiError> {
    viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)
}

/// Apply as the signed-in seeker.
pub async fn apply_as(
    state: &AppState,
    viewer: &Viewer,
    vacancy_id: Uuid,
    note: Option<String>,
) -> ApiResult<Application> {
    let person = own_person(viewer)?;
    let note = jiuye_domain::records::text::optional("note", note.as_deref(), 500)?;
    let a = state
        .store
        .create_application(person, vacancy_id, note, state.clock.today(), &viewer.audit(), state.clock.now())
        .await?;
    Ok(a)
}

#[utoipa::path(post, path = "/api/v1/vacancies/{id}/apply", tag = "applications", params(("id" = String, Path)), request_body = ApplyIn, responses(
    (status = 201, description = "Applied", body = ApplicationOut),
    (status = 409, description = "Already applied, or the vacancy is not open", body = ErrorEnvelope)))]
pub async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ApplyIn>,
) -> ApiResult<(StatusCode, axum::Json<ApplicationOut>)> {
    let a = apply_as(&state, &viewer, parse_id(&id)?, body.note).await?;
    Ok((StatusCode::CREATED, axum::Json(out(&state, &a, true, false).await?)))
}

#[utoipa::path(get, path = "/api/v1/me/applications", tag = "applications", responses(
    (status = 200, description = "The seeker's applications, newest first, with their history", body = Vec<ApplicationOut>)))]
pub async fn mine(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<ApplicationOut>>> {
    let person = own_person(&viewer)?;
    let mut list = Vec::new();
    for a in state.store.applications_of_person(person).await? {
        list.push(out(&state, &a, true, false).await?);
    }
    Ok(axum::Json(list))
}

#[utoipa::path(get, path = "/api/v1/vacancies/{id}/applications", tag = "applications", params(("id" = String, Path)), responses(
    (status = 200, description = "Applications to this vacancy, with applicants", body = Vec<ApplicationOut>),
    (status = 404, description = "Unknown, or not yours", body = ErrorEnvelope)))]
pub async fn for_vacancy(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<ApplicationOut>>> {
    // The employer its own vacancies; staff those of their district (the core decides).
    let v = state.core().vacancy_managed(&state.ctx(&viewer), parse_id(&id)?).await?;
    let mut list = Vec::new();
    for a in state.store.applications_for_vacancy(v.id).await? {
        list.push(out(&state, &a, false, true).await?);
    }
    Ok(axum::Json(list))
}

/// Move an application as the viewer: the seeker may withdraw their own; the employer (or
/// staff) may move applications to their vacancies. A hire may fill the vacancy, which then
/// leaves search and recommendations through the one sync path.
pub async fn move_as(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    status: &str,
    reason: Option<String>,
) -> ApiResult<Application> {
    let to = ApplicationStatus::parse(status).map_err(|e| ApiError::invalid(e.field("status")))?;
    let (_, side) = state.core().application(&state.ctx(viewer), id).await?;
    let actor = match side {
        jiuye_core::scope::Side::Applicant => ApplicationActor::Seeker,
        jiuye_core::scope::Side::Employer => ApplicationActor::Employer,
    };
    let reason = jiuye_domain::records::text::optional("reason", reason.as_deref(), 300)?;
    let (a, effects) = state.store.move_application(id, to, actor, reason, &viewer.audit(), state.clock.now()).await?;
    if let Some(vid) = effects.vacancy_filled {
        let v = state.store.vacancy_by_id(vid).await?;
        crate::search_sync::vacancy_written(state, &v);
    }
    Ok(a)
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/status", tag = "applications", params(("id" = String, Path)), request_body = MoveIn, responses(
    (status = 200, description = "Moved", body = ApplicationOut),
    (status = 404, description = "Unknown, or not yours", body = ErrorEnvelope),
    (status = 409, description = "The state machine does not allow this move", body = ErrorEnvelope)))]
pub async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<MoveIn>,
) -> ApiResult<axum::Json<ApplicationOut>> {
    let a = move_as(&state, &viewer, parse_id(&id)?, &body.status, body.reason).await?;
    let employer_view = viewer.role() != Some(Role::Seeker);
    Ok(axum::Json(out(&state, &a, true, employer_view).await?))
}
