//! Sign in, sign out, self-registration of seekers and employers, and "who am I".

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use jiuye_domain::CodeError;
use jiuye_domain::codes::{CreditCode, DocumentKind, Identity};
use jiuye_domain::roles::Role;
use jiuye_store::NewAccount;

use super::wire::{AccountOut, EmployerIn, EmployerOut, LoginIn, LoginOut, PersonIn, PersonOut};
use crate::AppState;
use crate::auth::{self, LoginOutcome, Viewer};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

/// The document a seeker signs in with: of the kind they name, or recognised from the number.
pub fn seeker_identity(
    state: &AppState,
    identifier: &str,
    kind: Option<&str>,
    nationality: Option<&str>,
) -> Result<Identity, ApiError> {
    let today = state.clock.today();
    let parsed = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => DocumentKind::parse(k)
            .map_err(|e| e.field("document_kind"))
            .and_then(|k| Identity::parse(k, identifier, nationality, today).map_err(|e| e.field("identifier"))),
        None => Identity::detect(identifier, today).map_err(|e| e.field("identifier")),
    };
    parsed.map_err(ApiError::invalid)
}

/// Turn what a person types into the account's login key. Seekers are found by the keyed
/// hash of their ID number, so the raw number is never a database key.
pub fn login_key(state: &AppState, kind: &str, identifier: &str) -> Result<String, ApiError> {
    match kind {
        "seeker" => {
            let id = seeker_identity(state, identifier, None, None)?;
            Ok(format!("id:{}", state.vault.lookup_hash(&id)))
        }
        "employer" => {
            let cc = CreditCode::parse(identifier).map_err(|e| ApiError::invalid(e.field("identifier")))?;
            Ok(format!("cc:{}", cc.as_str()))
        }
        "staff" => {
            let name = identifier.trim().to_lowercase();
            if name.is_empty() || name.len() > 64 {
                return Err(ApiError::invalid(CodeError::new("input.required").field("identifier")));
            }
            Ok(format!("u:{name}"))
        }
        other => Err(ApiError::invalid(CodeError::new("input.enum").field("kind").arg("value", other))),
    }
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginIn, responses(
    (status = 200, description = "Signed in; also sets the session cookie", body = LoginOut),
    (status = 422, description = "Wrong identifier or password", body = ErrorEnvelope),
    (status = 423, description = "Locked after repeated failures", body = ErrorEnvelope),
    (status = 429, description = "Too many attempts from this address", body = ErrorEnvelope)))]
pub async fn login(State(state): State<AppState>, viewer: Viewer, Json(body): Json<LoginIn>) -> ApiResult<Response> {
    let key = match body.kind.as_str() {
        "seeker" => {
            let id =
                seeker_identity(&state, &body.identifier, body.document_kind.as_deref(), body.nationality.as_deref())?;
            format!("id:{}", state.vault.lookup_hash(&id))
        }
        kind => login_key(&state, kind, &body.identifier)?,
    };
    let ip = viewer.ip.as_deref().and_then(|i| i.parse().ok());
    match auth::login(&state, &key, &body.password, ip).await? {
        LoginOutcome::Refused(e) => Err(e),
        LoginOutcome::Ok { token, account } => {
            let mut headers = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(&token, state.secure_cookies)) {
                headers.insert(SET_COOKIE, v);
            }
            Ok((headers, axum::Json(LoginOut { token, account: AccountOut::from(&account) })).into_response())
        }
    }
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204, description = "Signed out")))]
pub async fn logout(State(state): State<AppState>, viewer: Viewer) -> ApiResult<Response> {
    if let Some(hash) = &viewer.token_hash {
        state.store.delete_session(hash).await?;
    }
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(state.secure_cookies)) {
        headers.insert(SET_COOKIE, v);
    }
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterSeekerIn {
    pub person: PersonIn,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterSeekerOut {
    pub account: AccountOut,
    pub person: PersonOut,
}

/// Register a job seeker: a person record and their account, together or not at all.
pub async fn create_seeker(
    state: &AppState,
    viewer: &Viewer,
    person: &PersonIn,
    password: &str,
) -> ApiResult<RegisterSeekerOut> {
    let today = state.clock.today();
    let draft = person.parse(today);
    let pw = auth::check_password_rules(password);
    let draft = match (draft, pw) {
        (Ok(d), Ok(())) => d,
        (Err(ApiError::Invalid(mut errs)), Err(e)) => {
            errs.push(e);
            return Err(ApiError::Invalid(errs));
        }
        (Err(e), _) => return Err(e),
        (_, Err(e)) => return Err(ApiError::invalid(e)),
    };
    let account = NewAccount {
        role: Role::Seeker,
        login_key: format!("id:{}", state.vault.lookup_hash(&draft.identity)),
        display_name: draft.name.clone(),
        password_hash: auth::hash_password(password)?,
        district: Some(draft.district.as_str().to_string()),
        person_id: None,
        employer_id: None,
        organisation: None,
    };
    let (person, account) =
        state.store.create_person(&draft, &state.vault, Some(account), &viewer.audit(), state.clock.now()).await?;
    let account = account.ok_or(ApiError::Internal)?;
    Ok(RegisterSeekerOut { account: AccountOut::from(&account), person: PersonOut::from(&person) })
}

#[utoipa::path(post, path = "/api/v1/auth/register/seeker", tag = "auth", request_body = RegisterSeekerIn, responses(
    (status = 201, description = "Registered", body = RegisterSeekerOut),
    (status = 409, description = "This ID number is already registered", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn register_seeker(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<RegisterSeekerIn>,
) -> ApiResult<(StatusCode, axum::Json<RegisterSeekerOut>)> {
    let out = create_seeker(&state, &viewer, &body.person, &body.password).await?;
    Ok((StatusCode::CREATED, axum::Json(out)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterEmployerIn {
    pub employer: EmployerIn,
    /// The name of the person who will manage the account.
    pub contact_name: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterEmployerOut {
    pub account: AccountOut,
    pub employer: EmployerOut,
}

pub async fn create_employer_account(
    state: &AppState,
    viewer: &Viewer,
    employer: &EmployerIn,
    contact_name: &str,
    password: &str,
) -> ApiResult<RegisterEmployerOut> {
    let mut draft = employer.parse()?;
    auth::check_password_rules(password)?;
    // Self-registered employers are not key enterprises until a caseworker says so.
    draft.key_enterprise = false;
    draft.liaison_account = None;
    let display = jiuye_domain::records::text::required("contact_name", contact_name, 50)?;
    let account = NewAccount {
        role: Role::Employer,
        login_key: format!("cc:{}", draft.credit_code.as_str()),
        display_name: display,
        password_hash: auth::hash_password(password)?,
        district: Some(draft.district.as_str().to_string()),
        person_id: None,
        employer_id: None,
        organisation: Some(draft.name.clone()),
    };
    let (employer, account) =
        state.store.create_employer(&draft, Some(account), &viewer.audit(), state.clock.now()).await?;
    let account = account.ok_or(ApiError::Internal)?;
    Ok(RegisterEmployerOut { account: AccountOut::from(&account), employer: EmployerOut::from(&employer) })
}

#[utoipa::path(post, path = "/api/v1/auth/register/employer", tag = "auth", request_body = RegisterEmployerIn, responses(
    (status = 201, description = "Registered", body = RegisterEmployerOut),
    (status = 409, description = "This credit code is already registered", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn register_employer(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<RegisterEmployerIn>,
) -> ApiResult<(StatusCode, axum::Json<RegisterEmployerOut>)> {
    let out = create_employer_account(&state, &viewer, &body.employer, &body.contact_name, &body.password).await?;
    Ok((StatusCode::CREATED, axum::Json(out)))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses(
    (status = 200, description = "The signed-in account", body = AccountOut),
    (status = 401, description = "Not signed in", body = ErrorEnvelope)))]
pub async fn me(viewer: Viewer) -> ApiResult<axum::Json<AccountOut>> {
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    Ok(axum::Json(AccountOut::from(account)))
}
