//! `jiuye bench gig`: instant gig matching and the live boards, measured on generated data.
//!
//! - Matching: N available workers (default 100,000) in the matcher's grid, spread around the
//!   city's stations and district seats; for gigs at random stations, the nearest 50 eligible
//!   within 3 km — latency per gig (p50, p99) and gigs matched per second on one core, against
//!   a scan of every worker (the baseline, measured in the same run).
//! - Served matching: the same workers in a served instance's store, its pool filled as a start
//!   fills it (the fill is the baseline: what every request cost when the grid was built per
//!   request), and gigs' candidates asked over HTTP (p50, p95).
//! - The database's baseline: the same profiles in SQLite (and PostgreSQL when its URL is
//!   given) and one SQL distance query per gig over the cells' centres (p50, p99).
//! - Boards: B boards (default 200) connected over HTTP to a served instance's event stream;
//!   gigs posted through the store (as any instance's write lands in the change log); for each
//!   board, the time from the post's commit to the board hearing of it (p50, p95).
//!
//! - Cases: C wage-arrears cases (default 1,000,000) over two years, most decided, the open ones
//!   with their clocks (received, investigated, in mediation, a few suspended or overdue), loaded
//!   into SQLite; the deadline sweep as the scheduler runs it (the first, which warns of every
//!   case within the warning, and the next), against a scan computing every case's clocks (the
//!   baseline, and the check that both find the same cases); the case list as a city
//!   administrator gets it over HTTP (nearest deadlines, a page deep in them, newest first, a
//!   page deep in those): p50, p95.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_domain::geo::district_seat;
use jiuye_domain::gig::clocks::Standing;
use jiuye_match::gig::{AvailableWorker, DEFAULT_RADIUS_KM, GigQuery, Records, WorkerIndex};
use jiuye_store::{AuditEntry, CaseOrder, GigWorker, LabourCase, NewGigDemand, NewGigSite, Pause, Store};
use jiuye_web::{AppState, Clock};

#[derive(Args)]
pub struct GigArgs {
    /// Available workers in the matcher.
    #[arg(long, default_value_t = 100_000)]
    workers: usize,
    /// Gigs matched.
    #[arg(long, default_value_t = 5_000)]
    gigs: usize,
    /// Workers offered per gig.
    #[arg(long, default_value_t = 50)]
    k: usize,
    /// Boards connected to the event stream.
    #[arg(long, default_value_t = 200)]
    boards: usize,
    /// Gigs posted while the boards listen.
    #[arg(long, default_value_t = 20)]
    posts: usize,
    /// Gigs whose candidates are asked of a served instance over HTTP (the path users get).
    #[arg(long, default_value_t = 30)]
    served: usize,
    /// Gigs asked of the SQL distance query (the database's baseline) on each backend.
    #[arg(long, default_value_t = 200)]
    sql: usize,
    /// PostgreSQL for the SQL baseline's second backend (empty: SQLite only).
    #[arg(long, env = "JIUYE_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
    /// Wage-arrears cases for the sweep and the case list.
    #[arg(long, default_value_t = 1_000_000)]
    cases: usize,
}

/// The trades generated workers and gigs have (the demo's common gig trades).
const TRADES: [&str; 10] = [
    "4-02-05-01",
    "4-09-08-01",
    "4-03-02-05",
    "4-10-01-06",
    "4-10-08-01",
    "4-02-07-09",
    "4-09-10-01",
    "6-29-01-01",
    "6-31-01-03",
    "4-07-05-01",
];
const DISTRICTS: [&str; 6] = ["350203", "350205", "350206", "350211", "350212", "350213"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A spread of about ±`km` around a point.
    fn near(&mut self, at: (f64, f64), km: f64) -> (f64, f64) {
        let d = |r: u64| ((r % 20_001) as f64 / 10_000.0 - 1.0) * km / 111.0;
        (at.0 + d(self.next()), at.1 + d(self.next()))
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn parse<T, E: std::fmt::Display>(r: Result<T, E>) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::anyhow!("{e}"))
}

pub async fn gig(args: GigArgs, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let trades: Vec<OccupationCode> =
        TRADES.iter().map(|t| parse(OccupationCode::parse(t))).collect::<Result<_, _>>()?;
    let districts: Vec<DistrictCode> =
        DISTRICTS.iter().map(|d| parse(DistrictCode::parse(d))).collect::<Result<_, _>>()?;
    let mut rng = Rng(0x2023_1203_9e37_79b9);

    // Workers: around each district's seat, denser on the island, as the city lives; each
    // available all of today.
    let today = clock.today();
    let day_start =
        jiuye_domain::time::beijing_day_start(today).ok_or_else(|| anyhow::anyhow!("{today} has no start"))?;
    let started = Instant::now();
    let workers: Vec<AvailableWorker> = (0..args.workers)
        .map(|i| {
            let d = districts[[0, 0, 2, 2, 1, 3, 3, 4, 5][rng.below(9)]];
            let at = rng.near(district_seat(&d), 6.0);
            let t = trades[rng.below(trades.len())];
            AvailableWorker {
                person: Uuid::from_u128(i as u128 + 1),
                at,
                district: d,
                trades: vec![t],
                rate_day_fen: [0, 0, 15_000, 20_000, 25_000][rng.below(5)],
                windows: vec![(day_start, day_start + chrono::Duration::days(1))],
                waiting_since: today - chrono::Duration::days(rng.below(30) as i64),
                ever_booked: true,
                records: Records { low_income: rng.below(10) == 0, ..Records::default() },
            }
        })
        .collect();
    let profiles: Vec<GigWorker> = workers.iter().map(|w| profile_of(w, today)).collect();
    let index = WorkerIndex::new(workers);
    let build_ms = started.elapsed().as_secs_f64() * 1e3;
    let queries: Vec<GigQuery> = (0..args.gigs)
        .map(|_| {
            let d = districts[rng.below(districts.len())];
            GigQuery {
                at: rng.near(district_seat(&d), 4.0),
                district: d,
                trade: trades[rng.below(trades.len())],
                day_pay_fen: [18_000, 22_000, 30_000][rng.below(3)],
                radius_km: DEFAULT_RADIUS_KM,
                exclude: HashSet::new(),
                now: clock.now(),
                today,
            }
        })
        .collect();
    let mut lat = Vec::with_capacity(queries.len());
    let mut offered = 0usize;
    let all = Instant::now();
    for q in &queries {
        let t = Instant::now();
        offered += index.nearest(q, args.k).len();
        lat.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let per_s = queries.len() as f64 / all.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    // The baseline: a scan of every worker, on a tenth of the gigs.
    let mut base = Vec::new();
    for q in queries.iter().take((queries.len() / 10).max(1)) {
        let t = Instant::now();
        let _ = index.nearest_brute_force(q, args.k);
        base.push(t.elapsed().as_secs_f64() * 1e3);
    }
    base.sort_by(f64::total_cmp);
    let (p50, p99, b99) = (percentile(&lat, 0.5), percentile(&lat, 0.99), percentile(&base, 0.99));
    println!(
        "matching: {} workers (grid built in {build_ms:.0} ms), {} gigs, {:.1} offered per gig; p50 {p50:.3} ms, p99 {p99:.3} ms, {per_s:.0} gigs/s; scan p99 {b99:.3} ms",
        index.len(),
        queries.len(),
        offered as f64 / queries.len() as f64
    );

    let served = served_matching(&args, clock.clone(), &profiles, &queries).await?;
    let sql_p99 = sql_baselines(&args, &clock, &profiles, &queries).await?;
    drop(profiles);
    let board_p95 = boards(&args, clock.clone()).await?;
    let (sweep_s, caselist_p95) = cases(&args, clock).await?;
    println!(
        "bench=gig workers={} match_p99_ms={p99:.3} matches_per_s={per_s:.0} baseline_ratio={:.1} served_match_p95_ms={served:.1} board_p95_ms={board_p95:.1} sweep_s={sweep_s:.3} caselist_p95_ms={caselist_p95:.1} sql_p99_ms={sql_p99:.1} sql_ratio={:.0}",
        index.len(),
        if p99 > 0.0 { b99 / p99 } else { 0.0 },
        if p99 > 0.0 { sql_p99 / p99 } else { 0.0 }
    );
    Ok(())
}

/// A generated worker's gig profile as the store keeps it: available today, in its H3 cell.
fn profile_of(w: &AvailableWorker, today: chrono::NaiveDate) -> GigWorker {
    GigWorker {
        person_id: w.person,
        trades: w.trades.iter().map(|t| t.as_str().to_string()).collect(),
        availability: "today".into(),
        available_from: today,
        rate_day_fen: w.rate_day_fen,
        home_site: None,
        district: w.district.as_str().to_string(),
        cell: jiuye_domain::gig::place::cell_of(w.at).unwrap_or(0),
        checked_in_at: None,
        checkin_site: None,
        since: w.waiting_since,
    }
}

/// The served path: the same workers in a served instance's store, gigs posted, and their
/// candidates asked over HTTP by a city administrator (`/api/v1/gig/demands/{id}/candidates`,
/// the call the poster's and the reviewer's pages make): p95 ms.
async fn served_matching(
    args: &GigArgs,
    clock: Arc<dyn Clock>,
    profiles: &[GigWorker],
    queries: &[GigQuery],
) -> anyhow::Result<f64> {
    if args.served == 0 {
        return Ok(0.0);
    }
    let (dir, store, state) = fresh_instance("served", &clock).await?;
    let (who, now) = (AuditEntry::system(), clock.now());
    let loading = Instant::now();
    store.bulk_load_gig_workers(profiles, &who, now).await?;
    let load_s = loading.elapsed().as_secs_f64();
    // The instance fills its pool as it does at start (and on the bulk load's change).
    let filling = Instant::now();
    let pooled = jiuye_web::search_sync::load_gig_workers(&state).await?;
    let fill_s = filling.elapsed().as_secs_f64();
    let mut paths = Vec::new();
    for (i, q) in queries.iter().take(args.served).enumerate() {
        let (lat_e6, lon_e6) = jiuye_domain::gig::place::to_e6(q.at);
        let g = store
            .post_gig(
                &NewGigDemand {
                    poster_account: Uuid::nil(),
                    employer_id: None,
                    person_id: None,
                    trade: q.trade.as_str().to_string(),
                    title: format!("零工 {i}"),
                    details: String::new(),
                    district: q.district.as_str().to_string(),
                    address: "bench".into(),
                    site_id: None,
                    lat_e6,
                    lon_e6,
                    starts_at: now + chrono::Duration::hours(2),
                    days: 1,
                    hours_per_day: 8,
                    headcount: 3,
                    pay_unit: "day".into(),
                    pay_fen: q.day_pay_fen,
                    holds: vec![],
                },
                &who,
                now,
            )
            .await?;
        paths.push(format!("/api/v1/gig/demands/{}/candidates", g.id));
    }
    let served = crate::bench_http::serve(&state).await?;
    let lat = crate::bench_http::latencies(&served, &paths).await?;
    let (p50, p95) = (percentile(&lat, 0.5), percentile(&lat, 0.95));
    println!(
        "served matching: {} workers loaded in {load_s:.1} s, the pool filled with {pooled} in {fill_s:.2} s; {} gigs' candidates over HTTP p50 {p50:.1} ms, p95 {p95:.1} ms",
        profiles.len(),
        lat.len()
    );
    drop(served);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(p95)
}

/// The database's baseline: the same profiles in a store, each cell given its centre, and the
/// nearest available workers of the gig's 小类 asked by one SQL distance query (straight line
/// between centres within radius ÷ road factor, nearest first) — on SQLite and, when a URL is
/// given, PostgreSQL. The query ranks by distance alone and knows no crossing of the water, so
/// it does less than the matcher. Returns the worse backend's p99 (ms).
async fn sql_baselines(
    args: &GigArgs,
    clock: &Arc<dyn Clock>,
    profiles: &[GigWorker],
    queries: &[GigQuery],
) -> anyhow::Result<f64> {
    if args.sql == 0 {
        return Ok(0.0);
    }
    let mut cells: Vec<i64> = profiles.iter().map(|p| p.cell).collect();
    cells.sort_unstable();
    cells.dedup();
    let centres: Vec<(i64, f64, f64)> =
        cells.iter().filter_map(|&c| jiuye_domain::gig::place::centre_of(c).map(|(lat, lon)| (c, lat, lon))).collect();
    let (dir, sqlite, _) = fresh_instance("sql", clock).await?;
    let mut backends = vec![("sqlite", sqlite)];
    if !args.pg_url.trim().is_empty() {
        let pg = jiuye_store::testing::fresh_postgres_at(&args.pg_url)
            .await
            .map_err(|e| anyhow::anyhow!("PostgreSQL at the bench URL: {e}"))?;
        backends.push(("postgres", pg));
    }
    let (who, now) = (AuditEntry::system(), clock.now());
    let mut worst = 0.0f64;
    for (name, store) in backends {
        let loading = Instant::now();
        store.bulk_load_gig_workers(profiles, &who, now).await?;
        store.baseline_gig_cells(&centres).await?;
        let load_s = loading.elapsed().as_secs_f64();
        let mut lat = Vec::new();
        let mut found = 0usize;
        for q in queries.iter().take(args.sql) {
            let group = if q.trade.level() >= 4 { q.trade.parent().unwrap_or(q.trade) } else { q.trade };
            let sql = jiuye_store::baseline_gig::GigSqlQuery {
                at: q.at,
                crow_km: q.radius_km / jiuye_domain::geo::ROAD_FACTOR,
                trade_group: group.as_str().to_string(),
                day_pay_fen: q.day_pay_fen,
                now: q.now,
                today: q.today,
                limit: args.k as u64,
            };
            let t = Instant::now();
            found += store.baseline_gig_nearest(&sql).await?.len();
            lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
        lat.sort_by(f64::total_cmp);
        let (p50, p99) = (percentile(&lat, 0.5), percentile(&lat, 0.99));
        println!(
            "SQL distance query ({name}): {} profiles and {} cell centres loaded in {load_s:.1} s; {} gigs, {:.1} found per gig; p50 {p50:.1} ms, p99 {p99:.1} ms",
            profiles.len(),
            centres.len(),
            lat.len(),
            found as f64 / lat.len().max(1) as f64
        );
        worst = worst.max(p99);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(worst)
}

/// A fresh SQLite instance in a temporary directory: (the directory, its store, the app state).
async fn fresh_instance(name: &str, clock: &Arc<dyn Clock>) -> anyhow::Result<(std::path::PathBuf, Store, AppState)> {
    let dir = std::env::temp_dir().join(format!("jiuye-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("bench.db").display())).await?;
    store.migrate().await?;
    let (index, _) = jiuye_search::SearchIndex::open_or_create(&dir.join("index"))?;
    let vault = parse(jiuye_store::IdVault::new(&[1u8; 32]))?;
    let state = AppState::new(store.clone(), vault, Arc::new(index), clock.clone(), false);
    Ok((dir, store, state))
}

/// Boards listening over HTTP while gigs are posted: the p95 from commit to a board hearing.
async fn boards(args: &GigArgs, clock: Arc<dyn Clock>) -> anyhow::Result<f64> {
    let (dir, store, state) = fresh_instance("gig", &clock).await?;
    let who = AuditEntry::system();
    let now = clock.now();
    let site = store
        .create_gig_site(
            &NewGigSite {
                name: "中山路零工驿站".into(),
                layout: "station".into(),
                mode: "operator".into(),
                operator: "bench".into(),
                district: "350203".into(),
                address: "中山路".into(),
                lat_e6: 24_456_000,
                lon_e6: 118_083_000,
                hours: "07:00–19:00".into(),
                amenities: vec![],
                services: vec!["matching".into()],
                recognised_on: None,
                recognition_evidence: None,
                checkin_token: "bench".into(),
            },
            &who,
            now,
        )
        .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = jiuye_web::app(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    let http = reqwest::Client::builder().pool_max_idle_per_host(args.boards + 8).build()?;
    let url = format!("http://{addr}/gig/sites/{}/events", site.id);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    for b in 0..args.boards {
        let mut resp = http.get(&url).send().await?;
        let tx = tx.clone();
        tokio::spawn(async move {
            let mut carry = String::new();
            while let Ok(Some(chunk)) = resp.chunk().await {
                carry.push_str(&String::from_utf8_lossy(&chunk));
                let heard = carry.matches("event: gigs").count();
                for _ in 0..heard {
                    let _ = tx.send((b, Instant::now()));
                }
                if heard > 0 {
                    carry.clear();
                }
            }
        });
    }
    drop(tx);
    // Let the poller take its place before the first post.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let mut lat = Vec::new();
    for i in 0..args.posts {
        let committed = {
            store
                .post_gig(
                    &NewGigDemand {
                        poster_account: Uuid::nil(),
                        employer_id: None,
                        person_id: None,
                        trade: "4-02-05-01".into(),
                        title: format!("装卸工 {i}"),
                        details: String::new(),
                        district: "350203".into(),
                        address: "中山路".into(),
                        site_id: Some(site.id),
                        lat_e6: site.lat_e6,
                        lon_e6: site.lon_e6,
                        starts_at: now + chrono::Duration::hours(2),
                        days: 1,
                        hours_per_day: 8,
                        headcount: 2,
                        pay_unit: "day".into(),
                        pay_fen: 22_000,
                        holds: vec![],
                    },
                    &who,
                    now,
                )
                .await?;
            Instant::now()
        };
        let mut heard = HashSet::new();
        let deadline = committed + Duration::from_secs(5);
        while heard.len() < args.boards {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, rx.recv()).await {
                Ok(Some((b, at))) => {
                    if heard.insert(b) {
                        lat.push(at.saturating_duration_since(committed).as_secs_f64() * 1e3);
                    }
                }
                _ => break,
            }
        }
        if heard.len() < args.boards {
            anyhow::bail!("post {i}: only {} of {} boards heard within 5 s", heard.len(), args.boards);
        }
        // Posts a second apart, so each is heard on its own.
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    lat.sort_by(f64::total_cmp);
    let (p50, p95) = (percentile(&lat, 0.5), percentile(&lat, 0.95));
    println!(
        "boards: {} connected, {} posts; from commit to heard p50 {p50:.1} ms, p95 {p95:.1} ms",
        args.boards, args.posts
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(p95)
}

/// One generated case as it would stand today: its status, dates and kept deadline.
fn generated_case(rng: &mut Rng, i: usize, today: chrono::NaiveDate, at: chrono::DateTime<chrono::Utc>) -> LabourCase {
    let age = rng.below(730) as i64;
    let received = today - chrono::Duration::days(age);
    let mediation = rng.below(100) < 15;
    let (status, accepted, decided, outcome, referred) = if mediation {
        match (age, rng.below(100)) {
            (0..=20, 0..70) => ("received", None, None, None, None),
            (_, 0..60) => ("agreed", None, Some(received + chrono::Duration::days(10)), Some("labour.agreed"), None),
            _ => {
                // Failed: referred to arbitration, then accepted by the commission and awarded.
                let d = received + chrono::Duration::days(14);
                let acc = received + chrono::Duration::days(18);
                match age {
                    0..=18 => ("failed", None, Some(d), Some("labour.to_arbitration"), Some(d)),
                    19..=70 => ("arbitration", Some(acc), Some(d), Some("labour.to_arbitration"), Some(d)),
                    _ => {
                        ("awarded", Some(acc), Some(acc + chrono::Duration::days(40)), Some("labour.awarded"), Some(d))
                    }
                }
            }
        }
    } else {
        let acc = received + chrono::Duration::days(3);
        match (age, rng.below(100)) {
            (0..=7, 0..60) => ("received", None, None, None, None),
            (0..=7, _) | (8..=90, 0..50) => ("accepted", Some(acc.min(today)), None, None, None),
            (91.., 0..2) => ("accepted", Some(acc), None, None, None),
            (_, 0..5) => ("refused", None, Some(acc), Some("labour.refused_by_staff"), None),
            (_, 5..8) => ("refused", None, Some(received), Some("arrears.too_old"), None),
            _ => ("closed", Some(acc), Some(acc + chrono::Duration::days(40)), Some("labour.recovered"), None),
        }
    };
    let open = matches!(status, "received" | "accepted");
    let suspensions = if open && rng.below(100) < 3 {
        vec![Pause { from: received.max(today - chrono::Duration::days(5)), resumed: None }]
    } else {
        Vec::new()
    };
    let amount = 100_000 + (rng.below(5_000) as i64) * 1_000;
    let mut c = LabourCase {
        id: Uuid::from_u128(
            (0x1abc_u128 << 100)
                | ((received.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() as u128) << 32)
                | i as u128,
        ),
        kind: if mediation { "mediation" } else { "complaint" }.into(),
        origin_id: None,
        gig_booking_id: None,
        district: DISTRICTS[[0, 0, 2, 2, 1, 3, 3, 4, 5][rng.below(9)]].into(),
        person_id: None,
        employer_id: None,
        employer_name: format!("某劳务公司{}", rng.below(20_000)),
        workers: 1 + rng.below(8) as i32,
        amount_fen: amount,
        period_from: received - chrono::Duration::days(60),
        period_to: received - chrono::Duration::days(1),
        evidence: "工资条、考勤记录".into(),
        received_on: received,
        status: status.into(),
        accepted_on: accepted,
        extended: status == "accepted" && rng.below(10) == 0,
        suspensions,
        decided_on: decided,
        outcome: outcome.map(str::to_string),
        recovered_fen: matches!(status, "closed" | "agreed" | "awarded").then_some(amount),
        knew_on: mediation.then_some(received - chrono::Duration::days(1)),
        employment_ended: None,
        referred_on: referred,
        due_on: None,
        decided_in_time: (!mediation && (accepted.is_some() || status == "refused")).then(|| rng.below(100) < 97),
        warned_for: None,
        created_at: at,
        mediation_org_id: None,
    };
    c.due_on = jiuye_core::labour::due_of(&c);
    c
}

/// The deadline sweep and the case list over `args.cases` cases: (first sweep's seconds, the
/// case list's p95 ms over HTTP).
async fn cases(args: &GigArgs, clock: Arc<dyn Clock>) -> anyhow::Result<(f64, f64)> {
    let (dir, store, state) = fresh_instance("cases", &clock).await?;
    let who = AuditEntry::system();
    let (now, today) = (clock.now(), clock.today());
    let mut rng = Rng(0x0bad_cafe_1234_5678);
    let loading = Instant::now();
    let mut ids = Vec::with_capacity(args.cases);
    let mut i = 0;
    while i < args.cases {
        let n = (args.cases - i).min(50_000);
        let batch: Vec<LabourCase> = (i..i + n).map(|k| generated_case(&mut rng, k, today, now)).collect();
        ids.extend(batch.iter().map(|c| c.id));
        store.bulk_load_labour_cases(&batch, &who, now).await?;
        i += n;
    }
    println!("cases: {} loaded in {:.1} s", args.cases, loading.elapsed().as_secs_f64());

    // The baseline: every case read and its clocks computed, as a sweep without the kept deadline.
    let scan = Instant::now();
    let (mut flagged, mut before) = (0u64, None);
    let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), now);
    loop {
        let page = store.labour_cases(None, None, CaseOrder::Newest { before }, 10_000).await?;
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        for c in &page {
            let clocks = jiuye_core::labour::clocks_of(c, today);
            flagged += u64::from(
                clocks.iter().any(|(_, s)| matches!(s, Standing::DueSoon { .. } | Standing::Breached { .. })),
            );
        }
    }
    let scan_s = scan.elapsed().as_secs_f64();
    let t = Instant::now();
    let first = state.core().sweep_labour_deadlines(&ctx).await?;
    let sweep_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let again = state.core().sweep_labour_deadlines(&ctx).await?;
    let again_s = t.elapsed().as_secs_f64();
    let found: u64 = first.iter().map(|d| d.due_soon + d.breached).sum();
    let warned: u64 = first.iter().map(|d| d.warned).sum();
    let rewarned: u64 = again.iter().map(|d| d.warned).sum();
    anyhow::ensure!(found == flagged, "the sweep found {found} cases within the warning, the scan {flagged}");
    anyhow::ensure!(warned == found && rewarned == 0, "warned {warned} of {found}, then {rewarned} again");
    println!(
        "sweep: {found} cases within the warning ({} breached); first sweep {sweep_s:.3} s (warned {warned}), next {again_s:.3} s; scan of every case's clocks {scan_s:.2} s",
        first.iter().map(|d| d.breached).sum::<u64>()
    );

    let served = crate::bench_http::serve(&state).await?;
    let running = store.count_running_cases(None).await?;
    let mut paths = Vec::new();
    for k in 0..50 {
        paths.push("/api/v1/arrears?view=due&limit=50".to_string());
        paths.push(format!("/api/v1/arrears?view=due&limit=50&offset={}", (k * 997) as u64 % running.max(1)));
        paths.push("/api/v1/arrears?view=all&limit=50".to_string());
        paths.push(format!("/api/v1/arrears?view=all&limit=50&before={}", ids[rng.below(ids.len())]));
    }
    let lat = crate::bench_http::latencies(&served, &paths).await?;
    let (p50, p95) = (percentile(&lat, 0.5), percentile(&lat, 0.95));
    let page = crate::bench_http::latencies(&served, &vec!["/staff/arrears".to_string(); 20]).await?;
    println!(
        "case list over HTTP (city administrator, {running} running of {}): {} requests p50 {p50:.1} ms, p95 {p95:.1} ms; the workbench page with the year's figures p50 {:.1} ms",
        args.cases,
        lat.len(),
        percentile(&page, 0.5)
    );
    drop(served);
    let _ = std::fs::remove_dir_all(&dir);
    Ok((sweep_s, p95))
}
