//! Identity: argon2id passwords, server-side sessions in our database, login throttling and
//! lockout, and the `Viewer` every handler receives.
//!
//! The session cookie carries a random token; the database keeps only its SHA-256, so a copy
//! of the database does not hold live sessions. Cookies are HttpOnly and SameSite=Lax, and
//! Secure when the platform is served over TLS.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use chrono::Duration;
use sha2::{Digest, Sha256};

use jiuye_domain::roles::{Permission, Role, allows};
use jiuye_store::{Account, AuditEntry};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "jiuye_session";
pub const SESSION_HOURS: i64 = 12;
/// Failed passwords before an account locks, and for how long.
pub const LOCK_AFTER: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Login attempts per client address per minute, whatever the account.
pub const ATTEMPTS_PER_MINUTE: i32 = 20;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|_| ApiError::Internal)
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A password must be 8..=128 characters and not all digits (ID and phone numbers are not passwords).
pub fn check_password_rules(password: &str) -> Result<(), jiuye_domain::CodeError> {
    let n = password.chars().count();
    if !(8..=128).contains(&n) {
        return Err(jiuye_domain::CodeError::new("password.length").field("password"));
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err(jiuye_domain::CodeError::new("password.all_digits").field("password"));
    }
    Ok(())
}

pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Who is asking: an account with its session, or nobody.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub account: Option<Account>,
    /// The session's CSRF token (signed-in visitors) or the anonymous double-submit token.
    pub csrf: Option<String>,
    pub token_hash: Option<String>,
    pub ip: Option<String>,
    /// Signed in by the session cookie (a browser), not a bearer token: its writes need the
    /// CSRF token, since a browser sends the cookie with any site's request.
    pub via_cookie: bool,
}

impl Viewer {
    pub fn role(&self) -> Option<Role> {
        self.account.as_ref().map(|a| a.role)
    }

    pub fn may(&self, permission: Permission) -> bool {
        match (permission, &self.account) {
            (Permission::Public, _) => true,
            (_, None) => false,
            (p, Some(a)) => allows(a.role, p),
        }
    }

    /// Refuse unless the permission is held: 401 when nobody is signed in, 403 otherwise.
    pub fn check(&self, permission: Permission) -> Result<(), ApiError> {
        if permission == Permission::Public { Ok(()) } else { self.require(permission).map(|_| ()) }
    }

    /// The signed-in account holding `permission`, or 401/403.
    pub fn require(&self, permission: Permission) -> Result<&Account, ApiError> {
        match &self.account {
            Some(a) if allows(a.role, permission) => Ok(a),
            Some(_) => Err(ApiError::Forbidden),
            None => Err(ApiError::Unauthenticated),
        }
    }

    pub fn audit(&self) -> AuditEntry {
        AuditEntry { actor_account: self.account.as_ref().map(|a| a.id), actor_role: self.role(), ip: self.ip.clone() }
    }

    /// The actor the service layer decides for.
    pub fn actor(&self) -> jiuye_core::Actor {
        match &self.account {
            Some(a) => jiuye_core::Actor::of_account(a, self.ip.clone()),
            None => jiuye_core::Actor::anonymous(self.ip.clone()),
        }
    }
}

pub fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// The client's address: the peer, or what a trusted proxy says it forwarded for.
pub fn client_ip(parts: &Parts, proxies: &crate::proxy::TrustedProxies) -> Option<IpAddr> {
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    proxies.client(peer, &parts.headers)
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(v.clone());
        }
        let ip = client_ip(parts, &state.proxies).map(|i| i.to_string());
        let by_bearer = bearer(parts).map(str::to_string);
        let via_cookie = by_bearer.is_none();
        let token = by_bearer.or_else(|| cookie_value(parts, SESSION_COOKIE).map(str::to_string));
        let mut viewer = Viewer {
            account: None,
            csrf: cookie_value(parts, crate::csrf::CSRF_COOKIE).map(str::to_string),
            token_hash: None,
            ip,
            via_cookie,
        };
        if let Some(token) = token {
            let hash = token_hash(&token);
            if let Some((session, account)) = state.store.session_account(&hash, state.clock.now()).await? {
                viewer.csrf = Some(session.csrf_token);
                viewer.account = Some(account);
                viewer.token_hash = Some(hash);
            }
        }
        parts.extensions.insert(viewer.clone());
        Ok(viewer)
    }
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

pub enum LoginOutcome {
    Ok { token: String, account: Account },
    Refused(ApiError),
}

/// Check a password against the account behind `login_key`, with throttling and lockout,
/// and open a session. Every attempt is audited; the identifier is never logged raw.
pub async fn login(
    state: &AppState,
    login_key: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<LoginOutcome, ApiError> {
    let now = state.clock.now();
    let who = AuditEntry { actor_account: None, actor_role: None, ip: ip.map(|i| i.to_string()) };
    // Counted in the database, so every instance throttles an address alike.
    if let Some(ip) = ip
        && state.store.count_address_attempt(&state.vault.hash_text(&format!("address:{ip}")), now).await?
            > ATTEMPTS_PER_MINUTE
    {
        state.store.audit(&who, now, "login.throttled", None, None, serde_json::json!({})).await?;
        return Ok(LoginOutcome::Refused(ApiError::Throttled));
    }
    // Failures are counted by login key, for keys nobody holds too: the answer and the
    // lockout are the same whether an account exists or not, and so is the time taken.
    let key_hash = state.vault.hash_text(login_key);
    let bad = || {
        LoginOutcome::Refused(ApiError::Invalid(vec![
            jiuye_domain::CodeError::new("auth.bad_credentials").field("password"),
        ]))
    };
    let account = match state.store.account_by_login_key(login_key).await {
        Ok(a) => Some(a),
        Err(jiuye_store::StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let who = AuditEntry {
        actor_account: account.as_ref().map(|a| a.id),
        actor_role: account.as_ref().map(|a| a.role),
        ..who
    };
    let target = account.as_ref().map(|a| ("account", a.id));
    if state.store.login_locked_until(&key_hash, now).await?.is_some() {
        // Still spend a password check's time.
        let _ = verify_password(password, &state.dummy_hash);
        state.store.audit(&who, now, "login.locked", target, None, serde_json::json!({})).await?;
        return Ok(LoginOutcome::Refused(ApiError::Locked));
    }
    let hash = account.as_ref().map_or(state.dummy_hash.as_str(), |a| a.password_hash.as_str());
    let verified = verify_password(password, hash) && account.is_some();
    let Some(account) = account.filter(|_| verified) else {
        let locked = state
            .store
            .record_login_failure(&key_hash, target.map(|t| t.1), now, LOCK_AFTER, Duration::minutes(LOCK_MINUTES))
            .await?;
        let action = if target.is_some() { "login.failure" } else { "login.unknown" };
        state.store.audit(&who, now, action, target, None, serde_json::json!({})).await?;
        return Ok(if locked { LoginOutcome::Refused(ApiError::Locked) } else { bad() });
    };
    // Only whoever knows the password learns that the account was closed.
    if !account.active {
        state.store.audit(&who, now, "login.inactive", target, None, serde_json::json!({})).await?;
        return Ok(LoginOutcome::Refused(ApiError::Refused(jiuye_domain::CodeError::new("auth.inactive"))));
    }
    state.store.clear_login_failures(&key_hash, account.id, now).await?;
    let token = random_token();
    let csrf = random_token();
    state
        .store
        .create_session(
            &token_hash(&token),
            account.id,
            &csrf,
            now,
            now + Duration::hours(SESSION_HOURS),
            ip.map(|i| i.to_string()),
        )
        .await?;
    state.store.audit(&who, now, "login.success", Some(("account", account.id)), None, serde_json::json!({})).await?;
    Ok(LoginOutcome::Ok { token, account })
}
