//! A person's own casework: register as unemployed online, declare a job, see their services
//! (job pushes with reasons) and "131", and rate a service.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use jiuye_domain::casework::EmploymentSource;

use super::casework::{
    CaseOut, EmploymentIn, EmploymentOut, RegisterIn, RegistrationOut, case_out, employ, note, register,
};
use super::parse_id;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

fn me(viewer: &Viewer) -> ApiResult<uuid::Uuid> {
    viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/me/casework", tag = "casework", responses(
    (status = 200, description = "My registration, 131 progress, services (job pushes with reasons), contacts", body = CaseOut)))]
pub async fn mine(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<CaseOut>> {
    Ok(axum::Json(case_out(&state, me(&viewer)?).await?))
}

#[utoipa::path(post, path = "/api/v1/me/registration", tag = "casework", request_body = RegisterIn, responses(
    (status = 201, description = "Registered as unemployed online", body = RegistrationOut),
    (status = 409, description = "An active registration exists (named in the message)", body = ErrorEnvelope)))]
pub async fn register_me(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<RegisterIn>,
) -> ApiResult<(StatusCode, axum::Json<RegistrationOut>)> {
    let r = register(&state, &viewer, me(&viewer)?, body).await?;
    Ok((StatusCode::CREATED, axum::Json(RegistrationOut::of(&r, &state))))
}

#[utoipa::path(post, path = "/api/v1/me/employments", tag = "casework", request_body = EmploymentIn, responses(
    (status = 201, description = "Employment declared by the person", body = EmploymentOut),
    (status = 409, description = "Duplicate, or refused by a rule", body = ErrorEnvelope)))]
pub async fn declare_employment(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<EmploymentIn>,
) -> ApiResult<(StatusCode, axum::Json<EmploymentOut>)> {
    let e = employ(&state, &viewer, me(&viewer)?, body, EmploymentSource::Person).await?;
    Ok((StatusCode::CREATED, axum::Json(EmploymentOut::from(&e))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingIn {
    /// 1 (poor) to 5 (excellent).
    pub score: i32,
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/me/services/{id}/rating", tag = "casework", params(("id" = String, Path)), request_body = RatingIn, responses(
    (status = 204, description = "Rated"),
    (status = 404, description = "Not a service delivered to me", body = ErrorEnvelope),
    (status = 409, description = "Already rated, or score out of 1–5", body = ErrorEnvelope)))]
pub async fn rate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<RatingIn>,
) -> ApiResult<StatusCode> {
    let comment = note("comment", body.comment, 500)?;
    state
        .store
        .rate_service(parse_id(&id)?, me(&viewer)?, body.score, comment, &viewer.audit(), state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct InboxOut {
    pub id: uuid::Uuid,
    pub topic: String,
    pub policy_id: Option<String>,
    /// `eligible`, or `undetermined` (possibly eligible: tell us what is missing).
    pub outcome: String,
    pub amount_fen: i64,
    pub detail: serde_json::Value,
    pub read: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(get, path = "/api/v1/me/inbox", tag = "subsidies", responses(
    (status = 200, description = "My messages: subsidies I may be entitled to (proactive screening), newest first", body = Vec<InboxOut>)))]
pub async fn inbox(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<InboxOut>>> {
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    let me = account
        .person_id
        .or(account.employer_id)
        .or_else(|| account.organisation.as_deref().and_then(|o| uuid::Uuid::parse_str(o).ok()))
        .ok_or(ApiError::NotFound)?;
    let items = state.store.inbox_of(me, 100).await?;
    Ok(axum::Json(
        items
            .into_iter()
            .map(|i| InboxOut {
                id: i.id,
                topic: i.topic,
                policy_id: i.policy_id,
                outcome: i.outcome,
                amount_fen: i.amount_fen,
                detail: i.detail,
                read: i.read,
                created_at: i.created_at,
            })
            .collect(),
    ))
}
