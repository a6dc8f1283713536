//! Contracted third parties: providers and contracts (district and city admins), the monthly
//! statement computed from the ledger, and the provider staff's own work on covered persons.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_store::{Contract, NewContract, Statement};

use super::casework::{ContactIn, ContactOut, ServiceIn, ServiceOut, add_service, field, parse_contact, parse_service};
use super::{Query, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::casework::provider_of;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderOut {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderIn {
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/providers", tag = "providers", responses(
    (status = 200, description = "Contracted organisations", body = Vec<ProviderOut>)))]
pub async fn list(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<ProviderOut>>> {
    let all = state.store.providers().await?;
    Ok(axum::Json(all.into_iter().map(|p| ProviderOut { id: p.id, name: p.name }).collect()))
}

#[utoipa::path(post, path = "/api/v1/providers", tag = "providers", request_body = ProviderIn, responses(
    (status = 201, description = "Provider created; give its staff accounts this id as their organisation", body = ProviderOut),
    (status = 409, description = "The name is taken", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<ProviderIn>,
) -> ApiResult<(StatusCode, axum::Json<ProviderOut>)> {
    let name = field("name", jiuye_domain::records::text::required("name", &body.name, 100))?;
    let p = state.store.create_provider(&name, &viewer.audit(), state.clock.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(ProviderOut { id: p.id, name: p.name })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractIn {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Price per person served in a month, in fen (元 × 100).
    pub price_served_fen: i64,
    /// Price per covered person who starts work, in fen.
    pub price_employed_fen: i64,
    /// The persons the contract covers (within the admin's district).
    pub persons: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub price_served_fen: i64,
    pub price_employed_fen: i64,
    pub persons: Vec<Uuid>,
}

impl From<Contract> for ContractOut {
    fn from(c: Contract) -> Self {
        ContractOut {
            id: c.id,
            provider_id: c.provider_id,
            name: c.name,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            price_served_fen: c.price_served_fen,
            price_employed_fen: c.price_employed_fen,
            persons: c.persons,
        }
    }
}

/// Contract prices are bounded: 0 to 100,000 元 per person.
const MAX_PRICE_FEN: i64 = 10_000_000;

#[utoipa::path(post, path = "/api/v1/providers/{id}/contracts", tag = "providers", params(("id" = String, Path)), request_body = ContractIn, responses(
    (status = 201, description = "Contract with its covered persons and prices", body = ContractOut),
    (status = 404, description = "Unknown provider, or a person outside the admin's district", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create_contract(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ContractIn>,
) -> ApiResult<(StatusCode, axum::Json<ContractOut>)> {
    let provider_id = parse_id(&id)?;
    let name = field("name", jiuye_domain::records::text::required("name", &body.name, 100))?;
    if body.ends_on < body.starts_on {
        return Err(ApiError::invalid(CodeError::new("input.date_order").field("ends_on")));
    }
    for (f, v) in [("price_served_fen", body.price_served_fen), ("price_employed_fen", body.price_employed_fen)] {
        if !(0..=MAX_PRICE_FEN).contains(&v) {
            return Err(ApiError::invalid(
                CodeError::new("input.range").field(f).arg("min", "0").arg("max", MAX_PRICE_FEN.to_string()),
            ));
        }
    }
    if body.persons.len() > 10_000 {
        return Err(ApiError::invalid(CodeError::new("input.too_many").field("persons").arg("max", "10000")));
    }
    let ctx = state.ctx(&viewer);
    for p in &body.persons {
        state.core().person_record(&ctx, *p).await?;
    }
    let c = state
        .store
        .create_contract(
            &NewContract {
                provider_id,
                name,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                price_served_fen: body.price_served_fen,
                price_employed_fen: body.price_employed_fen,
                persons: body.persons,
            },
            &viewer.audit(),
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(ContractOut::from(c))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    pub month: String,
}

fn parse_month(s: &str) -> ApiResult<(i32, u32)> {
    let bad = || ApiError::invalid(CodeError::new("input.month").field("month"));
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok((y, m))
}

#[utoipa::path(get, path = "/api/v1/providers/{id}/statement", tag = "providers", params(("id" = String, Path), MonthQuery), responses(
    (status = 200, description = "What the provider earned in the month, computed from the ledger", body = Object),
    (status = 422, description = "Bad month", body = ErrorEnvelope)))]
pub async fn statement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<axum::Json<Statement>> {
    let (y, m) = parse_month(&q.month)?;
    Ok(axum::Json(state.store.provider_statement(parse_id(&id)?, y, m).await?))
}

#[utoipa::path(get, path = "/api/v1/provider/statement", tag = "providers", params(MonthQuery), responses(
    (status = 200, description = "The signed-in provider's own monthly statement", body = Object)))]
pub async fn my_statement(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MonthQuery>,
) -> ApiResult<axum::Json<Statement>> {
    let (y, m) = parse_month(&q.month)?;
    Ok(axum::Json(state.store.provider_statement(provider_of(&viewer)?, y, m).await?))
}

#[utoipa::path(get, path = "/api/v1/provider/contracts", tag = "providers", responses(
    (status = 200, description = "The signed-in provider's contracts and the persons they cover", body = Vec<ContractOut>)))]
pub async fn my_contracts(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<ContractOut>>> {
    let list = state.store.contracts_of_provider(provider_of(&viewer)?).await?;
    Ok(axum::Json(list.into_iter().map(ContractOut::from).collect()))
}

/// A provider acts only on persons a contract in force covers; others are not found.
async fn covered(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<(Uuid, Uuid)> {
    let person = parse_id(id)?;
    let provider = state.core().covered(&state.ctx(viewer), person).await?;
    Ok((provider, person))
}

#[utoipa::path(post, path = "/api/v1/provider/persons/{id}/services", tag = "providers", params(("id" = String, Path)), request_body = ServiceIn, responses(
    (status = 201, description = "Service recorded in the ledger by the provider's staff", body = ServiceOut),
    (status = 404, description = "Not covered by the provider's contracts", body = ErrorEnvelope)))]
pub async fn provider_service(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ServiceIn>,
) -> ApiResult<(StatusCode, axum::Json<ServiceOut>)> {
    let (provider, person) = covered(&state, &viewer, &id).await?;
    let s = add_service(&state, &viewer, parse_service(person, body, Some(provider))?).await?;
    Ok((StatusCode::CREATED, axum::Json(ServiceOut::from(&s))))
}

#[utoipa::path(post, path = "/api/v1/provider/persons/{id}/contacts", tag = "providers", params(("id" = String, Path)), request_body = ContactIn, responses(
    (status = 201, description = "Contact logged by the provider's staff", body = ContactOut),
    (status = 404, description = "Not covered by the provider's contracts", body = ErrorEnvelope)))]
pub async fn provider_contact(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ContactIn>,
) -> ApiResult<(StatusCode, axum::Json<ContactOut>)> {
    let (provider, person) = covered(&state, &viewer, &id).await?;
    let today = state.clock.today();
    let new = parse_contact(person, body, Some(provider), today)?;
    let c = state.store.record_contact(&new, &state.casework(), today, &viewer.audit(), state.clock.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(ContactOut::from(&c))))
}
