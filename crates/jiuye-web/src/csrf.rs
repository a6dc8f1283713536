//! CSRF protection for HTML forms.
//!
//! Signed-in visitors: the form carries the session's CSRF token (synchronizer token).
//! Anonymous visitors (login, register): a random `jiuye_csrf` cookie that the form must echo
//! (double submit). JSON API writes need `Content-Type: application/json`, which a cross-site
//! form cannot send without a CORS preflight, and we answer no CORS preflight.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::{Viewer, random_token};
use crate::error::ApiError;

pub const CSRF_COOKIE: &str = "jiuye_csrf";

/// Give every visitor a CSRF cookie the first time they come, so the first form works.
pub async fn ensure_cookie(State(state): State<crate::AppState>, mut req: Request, next: Next) -> Response {
    let has = req
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(';').any(|kv| kv.trim().starts_with(&format!("{CSRF_COOKIE}="))));
    if has {
        return next.run(req).await;
    }
    let token = random_token();
    if let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}")) {
        req.headers_mut().append(axum::http::header::COOKIE, v);
    }
    let mut resp = next.run(req).await;
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    if let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")) {
        resp.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    resp
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Check a submitted form token against the visitor's.
pub fn verify(viewer: &Viewer, submitted: Option<&str>) -> Result<(), ApiError> {
    match (viewer.csrf.as_deref(), submitted) {
        (Some(expected), Some(got)) if !expected.is_empty() && same(expected, got) => Ok(()),
        _ => Err(ApiError::Csrf),
    }
}
