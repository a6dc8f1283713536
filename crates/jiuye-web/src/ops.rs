//! Operations: liveness, readiness, Prometheus metrics, request counting.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::AppState;
use crate::error::ApiError;

static METRICS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

fn handle() -> Option<&'static PrometheusHandle> {
    // One global recorder per process; several apps in one test process share it.
    METRICS.get_or_init(|| PrometheusBuilder::new().install_recorder().ok()).as_ref()
}

#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "The process is alive")))]
pub async fn healthz() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/readyz", tag = "ops", responses(
    (status = 200, description = "The database is reachable and this instance's index is at most a few hundred changes behind the log: `ready lag_changes=N`"),
    (status = 503, description = "The database is not reachable, or the index is being built or catching up", body = crate::error::ErrorEnvelope)))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await.is_err() {
        return ApiError::Unavailable.into_response();
    }
    // The instance's index and job pool against the change log: an instance far behind (just
    // started, or cut off) is not ready to answer searches for what others wrote.
    let lag = match state.search.position() {
        Some(p) => state.store.changes_unapplied(p).await.ok(),
        None => None,
    };
    if let Some(lag) = lag {
        metrics::gauge!("jiuye_index_lag_changes").set(lag as f64);
    }
    match lag {
        Some(lag) if lag <= READY_LAG => format!("ready lag_changes={lag}").into_response(),
        _ => {
            let mut r = ApiError::Unavailable.into_response();
            if let Some(lag) = lag
                && let Ok(v) = lag.to_string().parse()
            {
                r.headers_mut().insert("x-jiuye-lag-changes", v);
            }
            r
        }
    }
}

/// Changes an instance may have still to apply and answer as ready (about a second of writes
/// at a busy hour).
pub const READY_LAG: u64 = 1_000;

/// Who may read the metrics: they say how busy the service is and where it fails, which is
/// nobody else's business.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccess {
    /// Requests from the loopback interface (a collector on the same host).
    pub loopback: bool,
    /// Requests carrying `Authorization: Bearer <token>` (a collector elsewhere).
    pub token: Option<String>,
}

impl MetricsAccess {
    fn allows(&self, peer: Option<std::net::IpAddr>, headers: &axum::http::HeaderMap) -> bool {
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let by_token = match (&self.token, bearer) {
            (Some(want), Some(got)) => want.len() == got.len() && want.bytes().zip(got.bytes()).all(|(a, b)| a == b),
            _ => false,
        };
        by_token || (self.loopback && peer.is_some_and(|p| p.is_loopback()))
    }
}

#[utoipa::path(get, path = "/metrics", tag = "ops", responses(
    (status = 200, description = "Prometheus text format"),
    (status = 403, description = "Neither from the loopback interface nor with the operations token", body = crate::error::ErrorEnvelope)))]
pub async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    // Through a trusted proxy on the loopback interface, the client is whoever it forwards for.
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let client = state.proxies.client(peer, req.headers());
    if !state.metrics.allows(client, req.headers()) {
        return ApiError::Forbidden.into_response();
    }
    let body = handle().map(|h| h.render()).unwrap_or_default();
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Count requests and their latency by route and status (the route pattern, never the raw
/// path, so no identifier ends up in a metric label).
pub async fn track(req: Request, next: Next) -> Response {
    let _ = handle();
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("jiuye_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("jiuye_http_request_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}
