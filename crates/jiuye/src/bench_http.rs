//! The served path in the benchmarks: the whole app on a loopback port, a signed-in staff
//! session, and requests timed one after another from a real HTTP client.

use std::sync::Arc;
use std::time::Instant;

use jiuye_domain::roles::Role;
use jiuye_store::{AuditEntry, NewAccount};
use jiuye_web::AppState;

pub struct Served {
    pub base: String,
    /// A bearer token of a city administrator.
    pub token: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Serve `state` on 127.0.0.1:0 with a city-admin session.
pub async fn serve(state: &AppState) -> anyhow::Result<Served> {
    let token = city_admin_token(&state.store, state.clock.now()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = jiuye_web::app(state.clone());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    Ok(Served { base: format!("http://{addr}"), token, server })
}

/// A new city administrator with a session a day long, stored in `store` (every instance on
/// that database accepts it): the bearer token.
pub async fn city_admin_token(
    store: &jiuye_store::Store,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<String> {
    let account = store
        .create_account(
            &NewAccount {
                role: Role::CityAdmin,
                login_key: format!("u:bench.{}", uuid::Uuid::new_v4().simple()),
                display_name: "bench".into(),
                password_hash: String::new(),
                district: None,
                person_id: None,
                employer_id: None,
                organisation: None,
            },
            &AuditEntry::system(),
            now,
        )
        .await?;
    let token = jiuye_web::auth::random_token();
    let csrf = jiuye_web::auth::random_token();
    store
        .create_session(
            &jiuye_web::auth::token_hash(&token),
            account.id,
            &csrf,
            now,
            now + chrono::Duration::days(1),
            None,
        )
        .await?;
    Ok(token)
}

/// Milliseconds per request, sorted, for each path in turn (one connection, kept alive).
/// A response other than 200 is an error: a benchmark of refusals measures nothing.
pub async fn latencies(served: &Served, paths: &[String]) -> anyhow::Result<Vec<f64>> {
    let client = Arc::new(reqwest::Client::builder().pool_max_idle_per_host(1).build()?);
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let t = Instant::now();
        let resp = client.get(format!("{}{path}", served.base)).bearer_auth(&served.token).send().await?;
        let status = resp.status();
        let body = resp.bytes().await?;
        out.push(t.elapsed().as_secs_f64() * 1000.0);
        if !status.is_success() {
            anyhow::bail!("GET {path}: HTTP {status}: {}", String::from_utf8_lossy(&body));
        }
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

/// What a closed-loop load measured: every request's time, sorted, and the refusals.
pub struct Load {
    pub requests: usize,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// Throughput of the served app under `connections` clients that each send the next request
/// as soon as the last is answered, for `seconds`, cycling through `paths`. The benchmark
/// brings this client with it, so the figure never depends on a tool being installed.
pub async fn closed_loop(served: &Served, paths: &[String], connections: usize, seconds: u32) -> anyhow::Result<Load> {
    anyhow::ensure!(!paths.is_empty(), "no paths to load");
    let client = reqwest::Client::builder().pool_max_idle_per_host(connections).build()?;
    let urls: Arc<Vec<String>> = Arc::new(paths.iter().map(|p| format!("{}{p}", served.base)).collect());
    let deadline = Instant::now() + std::time::Duration::from_secs(u64::from(seconds));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..connections.max(1) {
        let (client, urls, token) = (client.clone(), urls.clone(), served.token.clone());
        tasks.spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0u64);
            let mut k = c;
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = match client.get(&urls[k % urls.len()]).bearer_auth(&token).send().await {
                    Ok(resp) => resp.status().is_success() && resp.bytes().await.is_ok(),
                    Err(_) => false,
                };
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                if !ok {
                    errors += 1;
                }
                k += connections;
            }
            (lat, errors)
        });
    }
    let (mut lat, mut errors) = (Vec::new(), 0u64);
    while let Some(r) = tasks.join_next().await {
        let (l, e) = r?;
        lat.extend(l);
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    Ok(Load {
        requests: lat.len(),
        rps: lat.len() as f64 / secs.max(1e-9),
        p50_ms: crate::bench::percentile(&lat, 0.5),
        p99_ms: crate::bench::percentile(&lat, 0.99),
        errors,
    })
}
