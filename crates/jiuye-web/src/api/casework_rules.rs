//! The casework rules in force and their published versions; publishing a new version.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleVersionOut {
    pub version: i32,
    pub note: String,
    /// The account that published it (none: the command line).
    pub published_by: Option<Uuid>,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseworkRulesOut {
    /// The version in force (1: the embedded rules).
    pub version: i32,
    /// The rules in force, as TOML.
    pub rules: String,
    pub note: String,
    /// When it was published (none for the embedded rules).
    pub published_at: Option<DateTime<Utc>>,
    /// Every published version, newest first (the embedded version 1 is not listed).
    pub versions: Vec<RuleVersionOut>,
}

#[utoipa::path(get, path = "/api/v1/casework/rules", tag = "casework", responses(
    (status = 200, description = "The rules in force and every published version", body = CaseworkRulesOut),
    (status = 403, description = "Not casework staff", body = ErrorEnvelope)))]
pub async fn get_rules(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<CaseworkRulesOut>> {
    let (shown, versions) = state.core().casework_rules(&state.ctx(&viewer)).await?;
    Ok(axum::Json(CaseworkRulesOut {
        version: shown.version,
        rules: shown.rules,
        note: shown.note,
        published_at: shown.published.map(|p| p.published_at),
        versions: versions
            .into_iter()
            .map(|v| RuleVersionOut {
                version: v.version,
                note: v.note,
                published_by: v.published_by,
                published_at: v.published_at,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseworkRulesIn {
    /// The whole rules as TOML, in the form of the embedded rules (`GET` shows them).
    pub rules: String,
    /// Why they change.
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedOut {
    pub version: i32,
}

#[utoipa::path(post, path = "/api/v1/casework/rules", tag = "casework", request_body = CaseworkRulesIn, responses(
    (status = 201, description = "Published: in force here at once, on every other instance within a second", body = PublishedOut),
    (status = 403, description = "Not a city administrator", body = ErrorEnvelope),
    (status = 409, description = "Another version was published at the same moment", body = ErrorEnvelope),
    (status = 422, description = "The rules do not check (every problem in the detail) or no note", body = ErrorEnvelope)))]
pub async fn publish_rules(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(b): Json<CaseworkRulesIn>,
) -> ApiResult<(StatusCode, axum::Json<PublishedOut>)> {
    let version = state.core().publish_casework_rules(&state.ctx(&viewer), &b.rules, &b.note).await?;
    Ok((StatusCode::CREATED, axum::Json(PublishedOut { version })))
}
