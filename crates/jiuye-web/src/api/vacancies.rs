//! Vacancies: public listing and detail; employers manage their own, staff any.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use jiuye_domain::CodeError;
use jiuye_domain::records::{VacancyKind, VacancyStatus};
use jiuye_domain::roles::Role;
use jiuye_store::VacancyFilter;

use super::wire::{PageOut, VacancyIn, VacancyOut};
use super::{Paging, Query, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VacancyQuery {
    /// Title or description contains.
    pub q: Option<String>,
    pub district: Option<String>,
    /// Occupation code at any level (`6-31` covers `6-31-01-03`).
    pub occupation: Option<String>,
    /// `full_time`, `part_time`, `internship`, `public_welfare`, `gig`.
    pub kind: Option<String>,
    pub employer_id: Option<uuid::Uuid>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

impl VacancyQuery {
    pub fn filter(&self) -> Result<VacancyFilter, ApiError> {
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        let district = match nonempty(&self.district) {
            Some(d) => Some(
                jiuye_domain::codes::DistrictCode::parse(&d)
                    .map_err(|e| ApiError::invalid(e.field("district")))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let occupation = match nonempty(&self.occupation) {
            Some(o) => Some(
                jiuye_domain::codes::OccupationCode::parse_code_or_name(&o)
                    .map_err(|e| ApiError::invalid(e.field("occupation")))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let kind = match nonempty(&self.kind) {
            Some(k) => Some(VacancyKind::parse(&k).map_err(|e| ApiError::invalid(e.field("kind")))?),
            None => None,
        };
        if self.q.as_ref().is_some_and(|q| q.chars().count() > 100) {
            return Err(ApiError::invalid(CodeError::new("input.too_long").field("q").arg("max", "100")));
        }
        Ok(VacancyFilter {
            employer_id: self.employer_id,
            district,
            occupation,
            kind,
            open_on: None,
            status: None,
            q: self.q.clone(),
        })
    }
}

#[utoipa::path(get, path = "/api/v1/vacancies", tag = "vacancies", params(VacancyQuery), responses(
    (status = 200, description = "Open vacancies, newest first", body = PageOut<VacancyOut>),
    (status = 422, description = "Invalid filter", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<VacancyQuery>,
) -> ApiResult<axum::Json<PageOut<VacancyOut>>> {
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let today = state.clock.today();
    let mut filter = q.filter()?;
    filter.open_on = Some(today);
    let page = state.store.list_vacancies(&filter, page).await?;
    Ok(axum::Json(PageOut {
        items: page.items.iter().map(|v| VacancyOut::of(v, today)).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/vacancies/{id}", tag = "vacancies", params(("id" = String, Path)), responses(
    (status = 200, description = "The vacancy", body = VacancyOut),
    (status = 404, description = "Unknown, or no longer open", body = ErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<VacancyOut>> {
    let id = parse_id(&id)?;
    let v = state.store.vacancy_by_id(id).await?;
    let today = state.clock.today();
    // A vacancy no longer open is seen only by those who manage it (the core decides).
    if v.status_on(today) != VacancyStatus::Open {
        state.core().vacancy_managed(&state.ctx(&viewer), id).await?;
    }
    Ok(axum::Json(VacancyOut::of(&v, today)))
}

/// Which employer a write is for: an employer's own; staff name one.
fn target_employer(viewer: &Viewer, requested: Option<uuid::Uuid>) -> Result<uuid::Uuid, ApiError> {
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    if account.role == Role::Employer {
        let own = account.employer_id.ok_or(ApiError::Forbidden)?;
        if requested.is_some_and(|r| r != own) {
            return Err(ApiError::Forbidden);
        }
        return Ok(own);
    }
    requested.ok_or_else(|| ApiError::invalid(CodeError::new("input.required").field("employer_id")))
}

pub async fn post_vacancy(state: &AppState, viewer: &Viewer, body: &VacancyIn) -> ApiResult<VacancyOut> {
    let employer_id = target_employer(viewer, body.employer_id)?;
    let employer = state.store.employer_by_id(employer_id).await.map_err(|e| match e {
        jiuye_store::StoreError::NotFound => {
            ApiError::invalid(CodeError::new("vacancy.employer_unknown").field("employer_id"))
        }
        e => e.into(),
    })?;
    let today = state.clock.today();
    let draft = body.parse(&employer.industry, today)?;
    let v = state.store.create_vacancy(employer_id, &draft, &viewer.audit(), state.clock.now()).await?;
    crate::search_sync::vacancy_written(state, &v);
    Ok(VacancyOut::of(&v, today))
}

#[utoipa::path(post, path = "/api/v1/vacancies", tag = "vacancies", request_body = VacancyIn, responses(
    (status = 201, description = "Posted", body = VacancyOut),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<VacancyIn>,
) -> ApiResult<(StatusCode, axum::Json<VacancyOut>)> {
    Ok((StatusCode::CREATED, axum::Json(post_vacancy(&state, &viewer, &body).await?)))
}

#[utoipa::path(put, path = "/api/v1/vacancies/{id}", tag = "vacancies", params(("id" = String, Path)), request_body = VacancyIn, responses(
    (status = 200, description = "Updated", body = VacancyOut),
    (status = 404, description = "Unknown, or not yours", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<VacancyIn>,
) -> ApiResult<axum::Json<VacancyOut>> {
    let id = parse_id(&id)?;
    // The employer its own; staff the vacancies of their district.
    let current = state.core().vacancy_managed(&state.ctx(&viewer), id).await?;
    let today = state.clock.today();
    let draft = body.parse(&current.industry, today)?;
    let v = state.store.update_vacancy(id, &draft, &viewer.audit(), state.clock.now()).await?;
    crate::search_sync::vacancy_written(&state, &v);
    Ok(axum::Json(VacancyOut::of(&v, today)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    /// `open`, `closed` or `filled`.
    pub status: String,
}

pub async fn change_status(state: &AppState, viewer: &Viewer, id: uuid::Uuid, status: &str) -> ApiResult<VacancyOut> {
    let next = VacancyStatus::parse(status).map_err(|e| ApiError::invalid(e.field("status")))?;
    let current = state.core().vacancy_managed(&state.ctx(viewer), id).await?;
    let today = state.clock.today();
    if next == VacancyStatus::Open && current.closes_on < today {
        return Err(ApiError::invalid(CodeError::new("vacancy.closes_in_past").field("closes_on")));
    }
    let v = state.store.set_vacancy_status(id, next, &viewer.audit(), state.clock.now()).await?;
    crate::search_sync::vacancy_written(state, &v);
    Ok(VacancyOut::of(&v, today))
}

#[utoipa::path(post, path = "/api/v1/vacancies/{id}/status", tag = "vacancies", params(("id" = String, Path)), request_body = StatusIn, responses(
    (status = 200, description = "Status changed", body = VacancyOut),
    (status = 409, description = "Transition not allowed", body = ErrorEnvelope)))]
pub async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<StatusIn>,
) -> ApiResult<axum::Json<VacancyOut>> {
    Ok(axum::Json(change_status(&state, &viewer, parse_id(&id)?, &body.status).await?))
}

#[utoipa::path(get, path = "/api/v1/me/vacancies", tag = "vacancies", params(Paging), responses(
    (status = 200, description = "The employer's own vacancies in every status", body = PageOut<VacancyOut>)))]
pub async fn my_vacancies(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(p): Query<Paging>,
) -> ApiResult<axum::Json<PageOut<VacancyOut>>> {
    let employer_id = viewer.account.as_ref().and_then(|a| a.employer_id).ok_or(ApiError::NotFound)?;
    let today = state.clock.today();
    let filter = VacancyFilter { employer_id: Some(employer_id), ..Default::default() };
    let page = state.store.list_vacancies(&filter, p.request()?).await?;
    Ok(axum::Json(PageOut {
        items: page.items.iter().map(|v| VacancyOut::of(v, today)).collect(),
        next_cursor: page.next_cursor,
    }))
}
