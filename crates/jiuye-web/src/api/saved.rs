//! Saved vacancies (收藏): a seeker keeps jobs for later; only vacancies they may see.

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::parse_id;
use super::wire::VacancyOut;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};

fn person_of(viewer: &Viewer) -> ApiResult<uuid::Uuid> {
    viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)
}

/// Save (or, with `keep = false`, unsave) a vacancy the viewer may see; `true` when it changed.
pub async fn set_saved(state: &AppState, viewer: &Viewer, vacancy: uuid::Uuid, keep: bool) -> ApiResult<bool> {
    let me = person_of(viewer)?;
    let (now, who) = (state.clock.now(), viewer.audit());
    if keep {
        state.core().vacancy_visible(&state.ctx(viewer), vacancy).await?;
        Ok(state.store.save_vacancy(me, vacancy, &who, now).await?)
    } else {
        Ok(state.store.unsave_vacancy(me, vacancy, &who, now).await?)
    }
}

/// The viewer's saved vacancies, newest first (those since deleted are left out).
pub async fn saved_of(state: &AppState, viewer: &Viewer) -> ApiResult<Vec<VacancyOut>> {
    let me = person_of(viewer)?;
    let today = state.clock.today();
    let mut out = Vec::new();
    for id in state.store.saved_vacancies(me).await? {
        if let Ok(v) = state.store.vacancy_by_id(id).await {
            out.push(VacancyOut::of(&v, today));
        }
    }
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/me/saved", tag = "vacancies", responses(
    (status = 200, description = "My saved vacancies, newest first, each with its status today", body = Vec<VacancyOut>)))]
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<VacancyOut>>> {
    Ok(axum::Json(saved_of(&state, &viewer).await?))
}

#[utoipa::path(put, path = "/api/v1/me/saved/{id}", tag = "vacancies", params(("id" = String, Path)), responses(
    (status = 201, description = "Saved"),
    (status = 204, description = "Already saved"),
    (status = 404, description = "No such vacancy, or not one the viewer may see", body = ErrorEnvelope),
    (status = 409, description = "The saved list is full", body = ErrorEnvelope)))]
pub async fn save(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let changed = set_saved(&state, &viewer, parse_id(&id)?, true).await?;
    Ok(if changed { StatusCode::CREATED } else { StatusCode::NO_CONTENT })
}

#[utoipa::path(delete, path = "/api/v1/me/saved/{id}", tag = "vacancies", params(("id" = String, Path)), responses(
    (status = 204, description = "Not saved (any more)")))]
pub async fn unsave(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> ApiResult<StatusCode> {
    set_saved(&state, &viewer, parse_id(&id)?, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
