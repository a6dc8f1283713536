//! Sign in, sign out, self-registration of seekers and employers, and "who am I".

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use jiuye_domain::CodeError;
use jiuye_domain::codes::{CreditCode, DocumentKind, Identity};
use jiuye_domain::roles::Role;
use jiuye_store::{Account, NewAccount};

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

/// What a self-registration did. The visitor is told the same in both cases, so that nobody
/// learns from it whether a document number is on file.
pub enum Registered {
    New(Box<RegisterSeekerOut>),
    /// The document is on file already (registered at a desk, or before online).
    AlreadyOnFile,
}

/// Register a job seeker: a person record and their account, together or not at all.
pub async fn create_seeker(
    state: &AppState,
    viewer: &Viewer,
    person: &PersonIn,
    password: &str,
) -> ApiResult<Registered> {
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
    let created =
        state.store.create_person(&draft, &state.vault, Some(account), &viewer.audit(), state.clock.now()).await;
    match created {
        Ok((person, Some(account))) => Ok(Registered::New(Box::new(RegisterSeekerOut {
            account: AccountOut::from(&account),
            person: PersonOut::from(&person),
        }))),
        Ok((_, None)) => Err(ApiError::Internal),
        Err(jiuye_store::StoreError::Conflict { what: "national_id" | "login" }) => {
            let now = state.clock.now();
            state.store.audit(&viewer.audit(), now, "register.on_file", None, None, serde_json::json!({})).await?;
            Ok(Registered::AlreadyOnFile)
        }
        Err(e) => Err(e.into()),
    }
}

/// The answer to a self-registration, the same whether the number was new or on file.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationReceived {
    /// `sign_in`: sign in with the document number and the password just chosen.
    pub next: String,
    pub message: String,
    pub message_en: String,
}

pub fn registration_received() -> RegistrationReceived {
    RegistrationReceived {
        next: "sign_in".into(),
        message: jiuye_domain::messages::text("auth.registration_received", jiuye_domain::Lang::Zh),
        message_en: jiuye_domain::messages::text("auth.registration_received", jiuye_domain::Lang::En),
    }
}

#[utoipa::path(post, path = "/api/v1/auth/register/seeker", tag = "auth", request_body = RegisterSeekerIn, responses(
    (status = 202, description = "Received: sign in next. The same answer whether the document was new or already on file (registered at a desk: ask the desk for an activation code)", body = RegistrationReceived),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn register_seeker(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<RegisterSeekerIn>,
) -> ApiResult<(StatusCode, axum::Json<RegistrationReceived>)> {
    create_seeker(&state, &viewer, &body.person, &body.password).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(registration_received())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateIn {
    /// The identity document registered at the desk (or `national_id`).
    #[serde(default)]
    pub identity: Option<super::wire::IdentityIn>,
    #[serde(default)]
    pub national_id: String,
    /// The one-time code the service desk handed out.
    pub code: String,
    pub password: String,
}

/// Normalise a typed activation code: letters and digits, upper case, no separators.
pub fn activation_code_text(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// Open the online account of a person registered at a desk.
pub async fn activate_account(state: &AppState, body: &ActivateIn) -> ApiResult<Account> {
    let today = state.clock.today();
    let id = super::wire::identity_of(body.identity.as_ref(), &body.national_id, today).map_err(ApiError::invalid)?;
    auth::check_password_rules(&body.password)?;
    let account = NewAccount {
        role: Role::Seeker,
        login_key: format!("id:{}", state.vault.lookup_hash(&id)),
        display_name: String::new(),
        password_hash: auth::hash_password(&body.password)?,
        district: None,
        person_id: None,
        employer_id: None,
        organisation: None,
    };
    let code_hash = state.vault.hash_text(&format!("activation:{}", activation_code_text(&body.code)));
    Ok(state.store.activate_account(&state.vault.lookup_hash(&id), &code_hash, account, state.clock.now()).await?)
}

#[utoipa::path(post, path = "/api/v1/auth/activate", tag = "auth", request_body = ActivateIn, responses(
    (status = 201, description = "The online account is open: sign in with the document number and this password", body = AccountOut),
    (status = 409, description = "The code is not valid for this document (unknown, used, expired)", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn activate(
    State(state): State<AppState>,
    Json(body): Json<ActivateIn>,
) -> ApiResult<(StatusCode, axum::Json<AccountOut>)> {
    let a = activate_account(&state, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(AccountOut::from(&a))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    pub current_password: String,
    pub new_password: String,
}

/// Change one's own password; every other session of the account ends.
pub async fn change_password_of(state: &AppState, viewer: &Viewer, body: &PasswordIn) -> ApiResult<()> {
    let me = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    auth::check_password_rules(&body.new_password).map_err(|e| ApiError::invalid(e.field("new_password")))?;
    let current = state.store.account_by_id(me.id).await?;
    if !auth::verify_password(&body.current_password, &current.password_hash) {
        return Err(ApiError::invalid(jiuye_domain::CodeError::new("auth.current_password").field("current_password")));
    }
    let hash = auth::hash_password(&body.new_password)?;
    state.store.set_password(me.id, &hash, &viewer.audit(), state.clock.now()).await?;
    state.store.delete_sessions_of(me.id, viewer.token_hash.as_deref()).await?;
    Ok(())
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "auth", request_body = PasswordIn, responses(
    (status = 204, description = "Changed; the account's other sessions are ended"),
    (status = 422, description = "The current password is wrong, or the new one breaks the rules", body = ErrorEnvelope)))]
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<PasswordIn>,
) -> ApiResult<StatusCode> {
    change_password_of(&state, &viewer, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End every session of the viewer's account, this one included.
pub async fn sign_out_everywhere_of(state: &AppState, viewer: &Viewer) -> ApiResult<u64> {
    let me = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    let n = state.store.delete_sessions_of(me.id, None).await?;
    let now = state.clock.now();
    state
        .store
        .audit(
            &viewer.audit(),
            now,
            "account.sign_out_everywhere",
            Some(("account", me.id)),
            me.district.as_deref(),
            serde_json::json!({ "sessions": n }),
        )
        .await?;
    Ok(n)
}

#[utoipa::path(post, path = "/api/v1/me/sessions/end", tag = "auth", responses(
    (status = 204, description = "Every session of the account has ended, this one too")))]
pub async fn sign_out_everywhere(State(state): State<AppState>, viewer: Viewer) -> ApiResult<Response> {
    sign_out_everywhere_of(&state, &viewer).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(state.secure_cookies)) {
        headers.insert(SET_COOKIE, v);
    }
    Ok((StatusCode::NO_CONTENT, headers).into_response())
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

/// A new activation code: ten letters and digits without look-alikes (no 0/O, 1/I/L), shown
/// as `ABCDE-FGH23`, for a caseworker to hand over on paper or by SMS.
fn new_activation_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 10] = rand::random();
    let code: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    format!("{}-{}", &code[..5], &code[5..])
}

/// How long an activation code stays usable.
pub const ACTIVATION_DAYS: i64 = 14;

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationCodeOut {
    /// Shown once: only its keyed hash is kept.
    pub code: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Issue an activation code for a person the viewer's district serves who has no online
/// account yet (registered at a desk or imported).
pub async fn issue_activation_code_of(
    state: &AppState,
    viewer: &Viewer,
    person_id: uuid::Uuid,
) -> ApiResult<ActivationCodeOut> {
    state.core().case(&state.ctx(viewer), person_id).await?;
    let code = new_activation_code();
    let now = state.clock.now();
    let expires_at = now + chrono::Duration::days(ACTIVATION_DAYS);
    let hash = state.vault.hash_text(&format!("activation:{}", activation_code_text(&code)));
    state.store.issue_activation_code(person_id, &hash, expires_at, &viewer.audit(), now).await?;
    Ok(ActivationCodeOut { code, expires_at })
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/activation-code", tag = "persons", params(("id" = String, Path)), responses(
    (status = 201, description = "A one-time code for the person to open their online account", body = ActivationCodeOut),
    (status = 404, description = "Unknown, or not a case of the viewer's district", body = ErrorEnvelope),
    (status = 409, description = "The person already has an online account", body = ErrorEnvelope)))]
pub async fn issue_activation_code(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<(StatusCode, axum::Json<ActivationCodeOut>)> {
    let out = issue_activation_code_of(&state, &viewer, super::parse_id(&id)?).await?;
    Ok((StatusCode::CREATED, axum::Json(out)))
}
