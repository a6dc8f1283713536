//! Staff accounts (city admin: all; district admin: their district's caseworkers) and the audit log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use jiuye_domain::CodeError;
use jiuye_domain::codes::DistrictCode;
use jiuye_domain::roles::Role;
use jiuye_store::{AccountFilter, AuditFilter, NewAccount};

use super::wire::{AccountOut, PageOut};
use super::{Paging, Query, parse_id};
use crate::AppState;
use crate::auth::{self, Viewer};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AccountQuery {
    pub role: Option<String>,
    pub district: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "admin", params(AccountQuery), responses(
    (status = 200, description = "Accounts in the viewer's scope", body = PageOut<AccountOut>)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AccountQuery>,
) -> ApiResult<axum::Json<PageOut<AccountOut>>> {
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let role = match q.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(Role::parse(r).map_err(|e| ApiError::invalid(e.field("role")))?),
        None => None,
    };
    let district = jiuye_core::lists::accounts_district(&state.ctx(&viewer), q.district.as_deref())?;
    let page = state.store.list_accounts(&AccountFilter { role, district }, page).await?;
    Ok(axum::Json(PageOut { items: page.items.iter().map(AccountOut::from).collect(), next_cursor: page.next_cursor }))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AccountIn {
    /// Letters, digits, `.`, `_`, `-`; 3–32 characters.
    pub username: String,
    pub display_name: String,
    /// `caseworker`, `district_admin`, `city_admin` or `provider`.
    pub role: String,
    /// Required for caseworkers and district admins.
    #[serde(default)]
    pub district: Option<String>,
    /// The provider's organisation.
    #[serde(default)]
    pub organisation: Option<String>,
    pub password: String,
}

/// Create a staff or provider account. District admins may create caseworkers of their own district only.
/// The actor is a signed-in administrator, or the platform itself (the command line).
pub async fn create_staff(state: &AppState, actor: &jiuye_core::Actor, body: &AccountIn) -> ApiResult<AccountOut> {
    actor.require(jiuye_domain::roles::Permission::ManageUsers)?;
    let mut problems = Vec::new();
    let username = body.username.trim().to_lowercase();
    if !(3..=32).contains(&username.len())
        || !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        problems.push(CodeError::new("account.username").field("username"));
    }
    let role = Role::parse(&body.role).map_err(|e| e.field("role"));
    let role = match role {
        Ok(Role::Seeker | Role::Employer) => {
            problems.push(CodeError::new("account.role_not_staff").field("role"));
            None
        }
        Ok(r) => Some(r),
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let district = match body.district.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => match DistrictCode::parse(d) {
            Ok(d) => Some(d.as_str().to_string()),
            Err(e) => {
                problems.push(e.field("district"));
                None
            }
        },
        None => None,
    };
    if role.is_some_and(|r| r.is_district_scoped())
        && district.is_none()
        && body.district.as_deref().is_none_or(|d| d.trim().is_empty())
    {
        problems.push(CodeError::new("account.district_required").field("district"));
    }
    let display_name = match jiuye_domain::records::text::required("display_name", &body.display_name, 50) {
        Ok(n) => n,
        Err(e) => {
            problems.push(e);
            String::new()
        }
    };
    let organisation = match jiuye_domain::records::text::optional("organisation", body.organisation.as_deref(), 100) {
        Ok(o) => o,
        Err(e) => {
            problems.push(e);
            None
        }
    };
    if let Err(e) = auth::check_password_rules(&body.password) {
        problems.push(e);
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let role = role.ok_or(ApiError::Internal)?;
    let ctx = jiuye_core::Ctx::new(actor.clone(), state.clock.now());
    jiuye_core::lists::may_open_account(&ctx, role, district.as_deref())?;
    let new = NewAccount {
        role,
        login_key: format!("u:{username}"),
        display_name,
        password_hash: auth::hash_password(&body.password)?,
        district: if role.is_district_scoped() { district } else { None },
        person_id: None,
        employer_id: None,
        organisation,
    };
    let a = state.store.create_account(&new, &actor.audit(), state.clock.now()).await?;
    Ok(AccountOut::from(&a))
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "admin", request_body = AccountIn, responses(
    (status = 201, description = "Created", body = AccountOut),
    (status = 409, description = "Username taken", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<AccountIn>,
) -> ApiResult<(StatusCode, axum::Json<AccountOut>)> {
    Ok((StatusCode::CREATED, axum::Json(create_staff(&state, &viewer.actor(), &body).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveIn {
    pub active: bool,
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/active", tag = "admin", params(("id" = String, Path)), request_body = ActiveIn, responses(
    (status = 200, description = "Changed", body = AccountOut),
    (status = 404, description = "Unknown or outside the viewer's district", body = ErrorEnvelope)))]
pub async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<ActiveIn>,
) -> ApiResult<axum::Json<AccountOut>> {
    Ok(axum::Json(set_active_of(&state, &viewer, parse_id(&id)?, body.active).await?))
}

/// Deactivate or reactivate an account the viewer manages (never their own): the API and the
/// users page both come here.
pub async fn set_active_of(state: &AppState, viewer: &Viewer, id: uuid::Uuid, active: bool) -> ApiResult<AccountOut> {
    let target = state.core().account_managed(&state.ctx(viewer), id).await?;
    if Some(target.id) == viewer.account.as_ref().map(|a| a.id) {
        return Err(ApiError::invalid(CodeError::new("account.not_self").field("active")));
    }
    let a = state.store.set_account_active(id, active, &viewer.audit(), state.clock.now()).await?;
    Ok(AccountOut::from(&a))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Exact action (`person.create`) or a prefix ending in a dot (`login.`).
    pub action: Option<String>,
    pub actor: Option<uuid::Uuid>,
    pub target: Option<uuid::Uuid>,
    pub district: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

impl AuditQuery {
    pub fn filter(&self) -> AuditFilter {
        AuditFilter {
            action: self.action.clone().filter(|a| !a.is_empty()),
            actor_account: self.actor,
            target_id: self.target,
            district: self.district.clone().filter(|d| !d.is_empty()),
            from: self.from,
            to: self.to,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub actor_account: Option<uuid::Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<uuid::Uuid>,
    pub district: Option<String>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

impl From<jiuye_store::AuditRecord> for AuditOut {
    fn from(r: jiuye_store::AuditRecord) -> Self {
        AuditOut {
            id: r.id,
            at: r.at,
            actor_account: r.actor_account,
            actor_role: r.actor_role,
            action: r.action,
            target_kind: r.target_kind,
            target_id: r.target_id,
            district: r.district,
            ip: r.ip,
            detail: r.detail,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditQuery), responses(
    (status = 200, description = "Audit entries, newest first", body = PageOut<AuditOut>)))]
pub async fn audit(
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<axum::Json<PageOut<AuditOut>>> {
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let page = state.store.list_audit(&q.filter(), page).await?;
    Ok(axum::Json(PageOut {
        items: page.items.into_iter().map(AuditOut::from).collect(),
        next_cursor: page.next_cursor,
    }))
}
