//! Employers: staff registry and desk registration; an employer's view of itself.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use jiuye_store::EmployerFilter;

use super::wire::{EmployerIn, EmployerOut, PageOut};
use super::{Paging, Query, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmployerQuery {
    /// Name contains, or exact credit code.
    pub q: Option<String>,
    pub district: Option<String>,
    pub key_enterprise: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", params(EmployerQuery), responses(
    (status = 200, description = "Employers, newest first", body = PageOut<EmployerOut>)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<EmployerQuery>,
) -> ApiResult<axum::Json<PageOut<EmployerOut>>> {
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let filter = EmployerFilter {
        district: q.district.clone().filter(|d| !d.is_empty()),
        q: q.q.clone(),
        key_enterprise: q.key_enterprise,
    };
    let page = state.store.list_employers(&filter, page).await?;
    Ok(axum::Json(PageOut { items: page.items.iter().map(EmployerOut::from).collect(), next_cursor: page.next_cursor }))
}

async fn check_liaison(state: &AppState, body: &EmployerIn) -> Result<(), ApiError> {
    if let Some(id) = body.liaison_account {
        let a = state.store.account_by_id(id).await.map_err(|_| {
            ApiError::invalid(jiuye_domain::CodeError::new("employer.liaison_unknown").field("liaison_account"))
        })?;
        if !a.role.is_staff() {
            return Err(ApiError::invalid(
                jiuye_domain::CodeError::new("employer.liaison_unknown").field("liaison_account"),
            ));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", request_body = EmployerIn, responses(
    (status = 201, description = "Registered", body = EmployerOut),
    (status = 409, description = "This credit code is already registered", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<EmployerIn>,
) -> ApiResult<(StatusCode, axum::Json<EmployerOut>)> {
    let draft = body.parse()?;
    check_liaison(&state, &body).await?;
    let (e, _) = state.store.create_employer(&draft, None, &viewer.audit(), state.clock.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(EmployerOut::from(&e))))
}

#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers", params(("id" = String, Path)), responses(
    (status = 200, description = "The employer", body = EmployerOut),
    (status = 404, description = "Unknown", body = ErrorEnvelope)))]
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<axum::Json<EmployerOut>> {
    let e = state.store.employer_by_id(parse_id(&id)?).await?;
    Ok(axum::Json(EmployerOut::from(&e)))
}

#[utoipa::path(put, path = "/api/v1/employers/{id}", tag = "employers", params(("id" = String, Path)), request_body = EmployerIn, responses(
    (status = 200, description = "Updated", body = EmployerOut),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<EmployerIn>,
) -> ApiResult<axum::Json<EmployerOut>> {
    let id = parse_id(&id)?;
    let draft = body.parse()?;
    check_liaison(&state, &body).await?;
    let e = state.store.update_employer(id, &draft, &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(EmployerOut::from(&e)))
}

#[utoipa::path(get, path = "/api/v1/me/employer", tag = "employers", responses(
    (status = 200, description = "The employer behind the signed-in account", body = EmployerOut)))]
pub async fn my_employer(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<EmployerOut>> {
    let id = viewer.account.as_ref().and_then(|a| a.employer_id).ok_or(ApiError::NotFound)?;
    let e = state.store.employer_by_id(id).await?;
    Ok(axum::Json(EmployerOut::from(&e)))
}
