//! JSON bodies: our own extractor so every malformed body gets the error envelope with the
//! offending field named, instead of axum's plain-text rejection.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub const MAX_BODY: usize = 64 * 1024;

/// How much of an oversized body we still read (and throw away) before answering 413. A server
/// that answers before the client has finished sending closes a socket with unread bytes in it,
/// and the reset can reach the client before the answer does: it then sees "connection reset"
/// instead of "too large". Past this much we stop listening and let that happen.
const DRAIN_AT_MOST: usize = 4 * 1024 * 1024;

/// Reads a body of at most `max` bytes. A longer one is read to its end (up to
/// `DRAIN_AT_MOST`) and refused with `PayloadTooLarge`, so the client gets the answer.
pub async fn read_capped(body: axum::body::Body, max: usize) -> Result<Bytes, ApiError> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ApiError::PayloadTooLarge)?;
        seen += chunk.len();
        if seen > DRAIN_AT_MOST {
            break;
        }
        if seen <= max {
            kept.extend_from_slice(&chunk);
        }
    }
    if seen > max {
        return Err(ApiError::PayloadTooLarge);
    }
    Ok(Bytes::from(kept))
}

pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
                ct.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = read_capped(req.into_body(), MAX_BODY).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadBody { code: "input.empty_body", field: None, detail: String::new() });
        }
        // Read as JSON first, so that every string is checked before any field is: control
        // characters and impossible dates never reach a handler.
        let value: serde_json::Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                let detail = e.to_string().split(" at line").next().unwrap_or_default().to_string();
                return Err(ApiError::BadBody { code: "input.malformed_json", field: None, detail });
            }
        };
        crate::input::check_json(&value).map_err(ApiError::invalid)?;
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Ok(Json(v)),
            Err(err) => {
                let path = err.path().to_string();
                let inner = err.into_inner();
                let msg = inner.to_string();
                let (code, field) = if inner.is_syntax() || inner.is_eof() {
                    ("input.malformed_json", None)
                } else if let Some(name) = msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
                    // The path already ends at the unknown key.
                    let field = if path == "." || path.is_empty() { name.to_string() } else { path };
                    ("input.unknown_field", Some(field))
                } else if let Some(name) = msg.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
                    let field =
                        if path == "." || path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
                    ("input.required", Some(field))
                } else {
                    ("input.wrong_type", if path == "." { None } else { Some(path) })
                };
                // serde's message names types and positions only, never the submitted value.
                let detail = msg.split(" at line").next().unwrap_or_default().to_string();
                Err(ApiError::BadBody { code, field, detail })
            }
        }
    }
}
