//! `jiuye bench oversight`: the 附件2 table served over HTTP for random periods and districts,
//! the 求人倍率 matrix, the feed's snapshot throughput and a committed change's time to a
//! long-polling reader — on generated registrations, ledger rows and vacancies, on SQLite and
//! PostgreSQL. Baseline: the same period's figures by one plain SQL aggregation per indicator
//! straight from the store (no trail, no HTTP), measured in the same run.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use rand::{Rng, SeedableRng};

use jiuye_domain::casework::CaseworkRules;
use jiuye_oversight::Period;
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::{AuditEntry, Span, Store};
use jiuye_web::{AppState, Clock};

use crate::bench::percentile;

#[derive(Args)]
pub struct OversightArgs {
    /// Persons, each registered unemployed (the issue names 5,000,000).
    #[arg(long, default_value_t = 50_000)]
    persons: usize,
    /// Ledger rows spread over them (the issue names 20,000,000).
    #[arg(long, default_value_t = 200_000)]
    ledger: usize,
    /// Vacancies (the issue names 1,000,000).
    #[arg(long, default_value_t = 20_000)]
    vacancies: usize,
    /// Dashboard requests measured.
    #[arg(long, default_value_t = 40)]
    requests: usize,
    /// SQLite's page cache in MiB while loading (every index's pages stay in it).
    #[arg(long, default_value_t = 4096)]
    sqlite_cache_mib: u32,
    /// Of the dashboard requests, how many the baseline counts again from the records (at the
    /// named sizes one takes tens of seconds); all of them when absent.
    #[arg(long)]
    baseline_requests: Option<usize>,
    /// Measure again on the SQLite file a previous run loaded (same sizes) instead of loading it.
    #[arg(long)]
    reuse: bool,
    /// PostgreSQL server (a fresh database is created on it); empty to measure SQLite only.
    #[arg(long, env = "JIUYE_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
}

async fn load_vacancies(
    store: &Store,
    n: usize,
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let who = AuditEntry::system();
    let employers = (n / 20).max(10);
    let mut g = Generator::new(SimConfig { seed: 8, persons: 0, employers, vacancies: n, today });
    let drafts = g.employers();
    let ids = store.bulk_insert_employers(&drafts, &who, now).await?;
    let vacancies = g.vacancies(&drafts);
    for chunk in vacancies.chunks(5_000) {
        let rows: Vec<_> = chunk.iter().map(|(i, v)| (ids[*i], v.clone())).collect();
        store.bulk_insert_vacancies(&rows, &who, now).await?;
    }
    Ok(())
}

/// How far the served table is behind the records: a service recorded for a registered person,
/// then the month's table asked for until it counts it (the refresher's next pass recounts it).
async fn freshness(
    state: &AppState,
    served: &crate::bench_http::Served,
    today: chrono::NaiveDate,
    person: uuid::Uuid,
) -> anyhow::Result<f64> {
    let client = reqwest::Client::new();
    let path = format!("{}/api/v1/oversight/indicators?period={}", served.base, Period::month_of(today).key());
    let counted = |v: serde_json::Value| {
        v["indicators"]
            .as_array()
            .and_then(|l| l.iter().find(|f| f["id"] == "registered_unemployed_services"))
            .and_then(|f| f["numerator"].as_u64())
            .unwrap_or(0)
    };
    let before = counted(client.get(&path).bearer_auth(&served.token).send().await?.json().await?);
    let new = jiuye_store::NewService {
        person_id: person,
        kind: Some(jiuye_domain::casework::ServiceKind::CareerGuidance),
        delivered_on: Some(today),
        ..Default::default()
    };
    state.store.record_service(&new, &state.casework(), today, &AuditEntry::system(), state.clock.now()).await?;
    let t = Instant::now();
    loop {
        let now = counted(client.get(&path).bearer_auth(&served.token).send().await?.json().await?);
        if now > before {
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!("    a service recorded was in the served table {ms:.1} ms after its commit ({before} → {now})");
            return Ok(ms);
        }
        if t.elapsed().as_secs() > 120 {
            anyhow::bail!("a recorded service did not reach the table in 120 s");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

struct Measured {
    fresh_ms: f64,
    dashboard_p99: f64,
    baseline_p99: f64,
    matrix_s: f64,
    snapshot_mb_s: f64,
    feed_p95: f64,
}

async fn measure(
    state: &AppState,
    args: &OversightArgs,
    today: chrono::NaiveDate,
    registered: uuid::Uuid,
) -> anyhow::Result<Measured> {
    let served = crate::bench_http::serve(state).await?;
    // The refresher as `serve` runs it: reads answer from the projection as of its last pass.
    state.store.keep_kpi(state.clock.now()).await?;
    let keeper = tokio::spawn(crate::keep_kpi(state.store.clone(), state.clock.clone()));
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let districts = ["", "350203", "350205", "350206", "350211", "350212", "350213"];
    let mut paths = Vec::new();
    let mut periods = Vec::new();
    for _ in 0..args.requests {
        let p = match rng.random_range(0..3) {
            0 => Period::month_of(today - chrono::Duration::days(rng.random_range(0..360))),
            1 => Period::quarter_of(today - chrono::Duration::days(rng.random_range(0..360))),
            _ => Period::year_of(today),
        };
        let d = districts[rng.random_range(0..districts.len())];
        periods.push((p, d));
        paths.push(if d.is_empty() {
            format!("/api/v1/oversight/indicators?period={}", p.key())
        } else {
            format!("/api/v1/oversight/indicators?period={}&district={d}", p.key())
        });
    }
    let dashboard = crate::bench_http::latencies(&served, &paths).await?;
    println!(
        "    dashboard over HTTP: p50 {:.1} ms p99 {:.1} ms max {:.1} ms ({} requests)",
        percentile(&dashboard, 0.5),
        percentile(&dashboard, 0.99),
        dashboard.last().copied().unwrap_or_default(),
        dashboard.len()
    );
    let fresh_ms = freshness(state, &served, today, registered).await?;
    // Baseline: every computed indicator once, straight from the store, for the same requests.
    let indicators = jiuye_oversight::Indicators::embedded().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut baseline = Vec::new();
    // Where the time goes: each aggregation's total, from the records and as the dashboard reads it.
    let mut by_agg: std::collections::BTreeMap<&'static str, (f64, f64)> = std::collections::BTreeMap::new();
    for (p, d) in periods.iter().take(args.baseline_requests.unwrap_or(periods.len())) {
        let (from, to) = p.bounds();
        let district = (!d.is_empty()).then_some(*d);
        let t = Instant::now();
        for i in &indicators.list {
            if let Some(a) = i.aggregation() {
                let one = Instant::now();
                state.store.aggregate_direct(a, Span { from, to }, district).await?;
                by_agg.entry(a.id()).or_default().0 += one.elapsed().as_secs_f64() * 1000.0;
            }
        }
        baseline.push(t.elapsed().as_secs_f64() * 1000.0);
        for i in &indicators.list {
            if let Some(a) = i.aggregation() {
                let one = Instant::now();
                state.store.aggregate(a, Span { from, to }, district).await?;
                by_agg.entry(a.id()).or_default().1 += one.elapsed().as_secs_f64() * 1000.0;
            }
        }
    }
    baseline.sort_by(f64::total_cmp);
    let mut slowest: Vec<_> = by_agg.into_iter().collect();
    slowest.sort_by(|a, b| b.1.1.total_cmp(&a.1.1));
    let n = baseline.len().max(1) as f64;
    for (id, (direct, read)) in slowest.iter().take(8) {
        println!("    {id:<36} per request: from the records {:>9.2} ms, as read {:>8.2} ms", direct / n, read / n);
    }
    let t = Instant::now();
    let (from, to) = Period::quarter_of(today).bounds();
    let (demand, seekers) = state.store.market_tallies(Span { from, to }, None).await?;
    let cells = jiuye_oversight::market::matrix(&demand, &seekers, 3);
    let matrix_s = t.elapsed().as_secs_f64();
    println!("    matrix: {} cells at 小类", cells.len());
    let client = reqwest::Client::new();
    // The first reader after a start waits for the snapshot to be made; every reader after it
    // downloads the prepared one (a stale one is rebuilt in the background, never in the way).
    let t = Instant::now();
    let first = client.get(format!("{}/api/v1/feed/snapshot", served.base)).send().await?.bytes().await?;
    let build_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let bytes = client.get(format!("{}/api/v1/feed/snapshot", served.base)).send().await?.bytes().await?;
    let snapshot_mb_s = bytes.len() as f64 / 1e6 / t.elapsed().as_secs_f64();
    println!(
        "    snapshot: {:.1} MB (gzip); made for the first reader in {build_s:.2} s ({:.1} MB/s), downloaded by the next at {snapshot_mb_s:.1} MB/s",
        bytes.len() as f64 / 1e6,
        first.len() as f64 / 1e6 / build_s.max(1e-9)
    );
    // A committed change's time to a long-polling reader.
    let mut feed = Vec::new();
    let start: serde_json::Value =
        client.get(format!("{}/api/v1/feed/changes", served.base)).send().await?.json().await?;
    let mut cursor = start["cursor"].as_str().unwrap_or_default().to_string();
    let employer =
        state.store.list_employers(&Default::default(), jiuye_store::PageRequest::new(None, Some(1))).await?;
    let employer_id = employer.items.first().map(|e| e.id).ok_or_else(|| anyhow::anyhow!("no employer"))?;
    for k in 0..20 {
        let base = served.base.clone();
        let c = cursor.clone();
        let reader = tokio::spawn(async move {
            let client = reqwest::Client::new();
            let v: serde_json::Value =
                client.get(format!("{base}/api/v1/feed/changes?after={c}&wait=10")).send().await?.json().await?;
            Ok::<_, reqwest::Error>((v, Instant::now()))
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let body = serde_json::json!({
            "title": format!("电工 {k}"), "description": "bench", "occupation": "6-31-01-03", "district": "350203",
            "address": "厦门市思明区", "salary_min": 6000, "salary_max": 9000, "headcount": 1, "kind": "full_time",
            "opens_on": today, "closes_on": today + chrono::Duration::days(30), "skills": [], "employer_id": employer_id
        });
        let t = Instant::now();
        let r = client
            .post(format!("{}/api/v1/vacancies", served.base))
            .bearer_auth(&served.token)
            .json(&body)
            .send()
            .await?;
        if !r.status().is_success() {
            anyhow::bail!("posting a vacancy: {} {}", r.status(), r.text().await?);
        }
        let (v, seen) = reader.await??;
        if v["changes"].as_array().is_none_or(Vec::is_empty) {
            anyhow::bail!("the change did not reach the reader: {v}");
        }
        cursor = v["cursor"].as_str().unwrap_or_default().to_string();
        feed.push(seen.saturating_duration_since(t).as_secs_f64() * 1000.0);
    }
    feed.sort_by(f64::total_cmp);
    keeper.abort();
    Ok(Measured {
        fresh_ms,
        dashboard_p99: percentile(&dashboard, 0.99),
        baseline_p99: percentile(&baseline, 0.99),
        matrix_s,
        snapshot_mb_s,
        feed_p95: percentile(&feed, 0.95),
    })
}

pub async fn oversight(args: OversightArgs, data: PathBuf, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let today = clock.today();
    let rules = CaseworkRules::default_rules().map_err(|e| anyhow::anyhow!(e))?;
    println!(
        "bench oversight: {} persons registered, {} ledger rows, {} vacancies, {} dashboard requests",
        args.persons, args.ledger, args.vacancies, args.requests
    );
    std::fs::create_dir_all(&data)?;
    let file = data.join("bench-oversight.db");
    if args.reuse {
        anyhow::ensure!(file.exists(), "--reuse: no {} to measure again", file.display());
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(PathBuf::from(format!("{}{suffix}", file.display())));
        }
    }
    // SQLite loads through one connection with a large cache (a connection drops its cache when
    // another has written), then serves through the pool every instance has.
    let sqlite_url = format!("sqlite://{}?mode=rwc", file.display());
    let options = jiuye_store::StoreOptions { sqlite_cache_mib: args.sqlite_cache_mib, max_connections: Some(1) };
    let mut backends = vec![("sqlite", Store::connect_with(&sqlite_url, &options).await?)];
    if !args.pg_url.trim().is_empty() {
        let pg = jiuye_store::testing::fresh_postgres_at(&args.pg_url)
            .await
            .map_err(|e| anyhow::anyhow!("PostgreSQL at the bench URL: {e}"))?;
        backends.push(("postgres", pg));
    }
    let mut parts = Vec::new();
    let mut worst: Option<Measured> = None;
    for (name, store) in backends {
        store.migrate().await?;
        let t = Instant::now();
        let registered = if args.reuse && name == "sqlite" {
            // Every person the load made is registered.
            let one = store.list_persons(&Default::default(), jiuye_store::PageRequest::new(None, Some(1))).await?;
            one.items.first().map(|p| p.id).ok_or_else(|| anyhow::anyhow!("--reuse: the file holds no person"))?
        } else {
            let cw = crate::bench_casework::CaseworkArgs::sized(args.persons, args.ledger);
            let persons = crate::bench_casework::load(&store, &cw, today, &rules).await?;
            load_vacancies(&store, args.vacancies, today, clock.now()).await?;
            println!("  {name:<8} loaded in {:.1} s", t.elapsed().as_secs_f64());
            *persons.first().ok_or_else(|| anyhow::anyhow!("no person loaded"))?
        };
        // Planner statistics as the autovacuum daemon would leave them: the recount's plans
        // (a person's previous service day, their last employment) depend on them.
        let t = Instant::now();
        store.settle_after_bulk_load().await?;
        println!("  {name:<8} analysed in {:.1} s", t.elapsed().as_secs_f64());
        // The projection counts what the load marked, a week at a time (as the server's
        // refresher would, in the background, after a bulk load).
        let t = Instant::now();
        let weeks = store.refresh_kpi_all().await?;
        println!("  {name:<8} projection: {weeks} weeks recounted in {:.1} s", t.elapsed().as_secs_f64());
        store.settle_after_bulk_load().await?;
        let store = if name == "sqlite" {
            drop(store);
            Store::connect(&sqlite_url).await?
        } else {
            store
        };
        let index = Arc::new(jiuye_search::SearchIndex::in_memory()?);
        let state = AppState::new(store, jiuye_store::IdVault::new(&[9u8; 32])?, index, clock.clone(), false)
            .with_casework(1, rules.clone());
        let m = measure(&state, &args, today, registered).await?;
        // Each backend's figures as soon as they are in (a long run may be stopped later).
        println!(
            "  {name:<8} dashboard p99 {:.1} ms (baseline p99 {:.1} ms) fresh {:.1} ms matrix {:.2} s snapshot {:.1} MB/s feed p95 {:.1} ms",
            m.dashboard_p99, m.baseline_p99, m.fresh_ms, m.matrix_s, m.snapshot_mb_s, m.feed_p95
        );
        parts.push(format!(
            "{name}_dashboard_p99_ms={:.1} {name}_baseline_p99_ms={:.1} {name}_fresh_ms={:.1} {name}_matrix_s={:.2} {name}_snapshot_mb_s={:.1} {name}_feed_p95_ms={:.1}",
            m.dashboard_p99,
            m.baseline_p99,
            m.fresh_ms,
            m.matrix_s,
            m.snapshot_mb_s,
            m.feed_p95
        ));
        worst = Some(match worst {
            None => m,
            Some(w) => Measured {
                fresh_ms: w.fresh_ms.max(m.fresh_ms),
                dashboard_p99: w.dashboard_p99.max(m.dashboard_p99),
                baseline_p99: w.baseline_p99.max(m.baseline_p99),
                matrix_s: w.matrix_s.max(m.matrix_s),
                snapshot_mb_s: w.snapshot_mb_s.min(m.snapshot_mb_s),
                feed_p95: w.feed_p95.max(m.feed_p95),
            },
        });
    }
    let w = worst.ok_or_else(|| anyhow::anyhow!("no backend measured"))?;
    println!("  {}", parts.join(" "));
    println!(
        "bench=oversight persons={} ledger={} vacancies={} dashboard_p99_ms={:.1} baseline_ratio={:.4} fresh_ms={:.1} matrix_s={:.2} snapshot_mb_s={:.1} feed_p95_ms={:.1}",
        args.persons,
        args.ledger,
        args.vacancies,
        w.dashboard_p99,
        w.dashboard_p99 / w.baseline_p99.max(1e-9),
        w.fresh_ms,
        w.matrix_s,
        w.snapshot_mb_s,
        w.feed_p95
    );
    Ok(())
}
