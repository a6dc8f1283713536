//! `jiuye bench …`: measurements on generated data, printed as a report and one last line that
//! BENCHMARKS.md quotes. Nothing here is a test: numbers are measured, not asserted.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_domain::records::VacancyKind;
use jiuye_match::{Job, JobPool, Seeker, diversify};
use jiuye_search::{SearchIndex, SearchQuery, Sort};
use jiuye_sim::{Generator, HiddenFit, SimConfig};
use jiuye_store::baseline::BaselineQuery;
use jiuye_store::{AuditEntry, Store};
use jiuye_web::{AppState, Clock};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Search: in-process latency, HTTP throughput, index build, RSS; PostgreSQL and FTS5 baselines.
    Search(SearchArgs),
    /// Matching: top-10 latency, batch time, recall@10, nDCG@10, exposure Gini.
    Match(MatchArgs),
    /// Casework: caseload and 131 lists and the person page, on SQLite and PostgreSQL.
    Casework(crate::bench_casework::CaseworkArgs),
    /// Policy: one person × every policy explained, screening, and OpenFisca for comparison.
    Policy(crate::bench_policy::PolicyArgs),
    /// `batch screen` over a province's persons read from the store: first run, the same day
    /// again, the next day; beside reading them the old way.
    Screen(crate::bench_screen::ScreenBenchArgs),
    /// Oversight: the 附件2 table over HTTP, the 求人倍率 matrix, the feed's snapshot and latency.
    Oversight(crate::bench_oversight::OversightArgs),
    /// Relevance: the judged query set on the demo data, precision@10, nDCG@10, zero results,
    /// against the ranking before issue #11.
    Relevance(crate::bench_relevance::RelevanceArgs),
    /// The gig market: nearest available workers for a gig against a scan of every worker,
    /// and how fast a posted gig reaches boards connected over HTTP.
    Gig(crate::bench_gig::GigArgs),
    /// Many instances on one PostgreSQL: a write's visibility on the others, catch-up after a
    /// restart, a chaos round (kill -9, late commits) and a mixed load across them.
    Cluster(crate::bench_cluster::ClusterArgs),
}

#[derive(Args)]
pub struct SearchArgs {
    #[arg(long, default_value_t = 100_000)]
    vacancies: usize,
    /// Repetitions of the query set on the index (and over HTTP).
    #[arg(long, default_value_t = 20)]
    reps: usize,
    /// Repetitions of the query set on each SQL baseline (default: `--reps`); at a million
    /// vacancies a PostgreSQL query takes seconds.
    #[arg(long)]
    baseline_reps: Option<usize>,
    /// PostgreSQL server for the baseline (a fresh database is created on it).
    #[arg(long, env = "JIUYE_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
    /// Seconds of HTTP load from the bench's own client (16 connections, closed loop).
    #[arg(long, default_value_t = 10)]
    http_seconds: u32,
    /// Skip the SQLite FTS5 and PostgreSQL baselines (for profiling the index alone; a run
    /// recorded in BENCHMARKS.md keeps them).
    #[arg(long)]
    no_baselines: bool,
}

#[derive(Args)]
pub struct MatchArgs {
    #[arg(long, default_value_t = 200_000)]
    vacancies: usize,
    #[arg(long, default_value_t = 100_000)]
    seekers: usize,
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// CPU time this process has used (user + system), in seconds.
fn cpu_seconds() -> f64 {
    // utime and stime are fields 14 and 15 of /proc/self/stat, in clock ticks (100 a second
    // on Linux); the command name before them is in parentheses and may hold spaces.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// The fixed, mixed query set: keywords, keyword + filter, filters only, facets, deep pages.
fn query_set() -> Vec<(String, SearchQuery, BaselineQuery)> {
    let d = |c: &str| DistrictCode::parse(c).ok();
    let mut out = Vec::new();
    for kw in ["电工", "普工", "司机", "服务员", "仓库管理员", "焊工", "保安", "销售", "会计", "厨师"]
    {
        out.push((
            format!("kw:{kw}"),
            SearchQuery { text: Some(kw.into()), limit: 20, ..Default::default() },
            BaselineQuery { keyword: Some(kw.into()), limit: 20, ..Default::default() },
        ));
    }
    for (kw, dist) in [("电工", "350206"), ("普工", "350213"), ("服务员", "350203")] {
        out.push((
            format!("kw+district:{kw}"),
            SearchQuery { text: Some(kw.into()), district: d(dist), limit: 20, ..Default::default() },
            BaselineQuery { keyword: Some(kw.into()), district: Some(dist.into()), limit: 20, ..Default::default() },
        ));
    }
    out.push((
        "filters:district+kind".into(),
        SearchQuery { district: d("350211"), kind: Some(VacancyKind::FullTime), limit: 20, ..Default::default() },
        BaselineQuery {
            district: Some("350211".into()),
            kind: Some("full_time".into()),
            limit: 20,
            ..Default::default()
        },
    ));
    out.push((
        "filters:salary>=8000,newest".into(),
        SearchQuery { salary_min: Some(8000), sort: Sort::Newest, limit: 20, ..Default::default() },
        BaselineQuery { salary_min: Some(8000), newest_first: true, limit: 20, ..Default::default() },
    ));
    out.push((
        "occupation:6-31".into(),
        SearchQuery { occupation: OccupationCode::parse("6-31").ok(), limit: 20, ..Default::default() },
        BaselineQuery { keyword: Some("电工".into()), limit: 20, ..Default::default() },
    ));
    out
}

/// Connections of the bench's HTTP load client.
const HTTP_CONNECTIONS: usize = 16;

/// Deep paging: page 10 of a broad query (cursor for the index, OFFSET for SQL).
const DEEP_PAGE: u64 = 10;

/// Employers and vacancies of a generated market, stored the way the platform stores them.
pub async fn generate(cfg: SimConfig, store: &Store) -> anyhow::Result<()> {
    let today = cfg.today;
    let mut g = Generator::new(cfg);
    let employers = g.employers();
    let vacancies = g.vacancies(&employers);
    let now = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(
        today.and_hms_opt(2, 0, 0).unwrap_or_default(),
        chrono::Utc,
    );
    let ids = store.bulk_insert_employers(&employers, &AuditEntry::system(), now).await?;
    for chunk in vacancies.chunks(20_000) {
        let with_ids: Vec<_> = chunk.iter().filter_map(|(i, v)| ids.get(*i).map(|id| (*id, v.clone()))).collect();
        store.bulk_insert_vacancies(&with_ids, &AuditEntry::system(), now).await?;
    }
    Ok(())
}

pub async fn search(args: SearchArgs, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let today = clock.today();
    let dir = std::env::temp_dir().join(format!("jiuye-bench-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("bench.db").display())).await?;
    store.migrate().await?;
    let t = Instant::now();
    let n = args.vacancies;
    generate(SimConfig { seed: 42, persons: 0, employers: (n / 8).max(50), vacancies: n, today }, &store).await?;
    println!("generated and stored {} vacancies in {:.1} s", args.vacancies, t.elapsed().as_secs_f64());

    let (index, _) = SearchIndex::open_or_create(&dir.join("index"))?;
    let vault = jiuye_store::IdVault::new(&[1u8; 32]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let state = AppState::new(store.clone(), vault, Arc::new(index), clock.clone(), false);
    let t = Instant::now();
    let indexed = jiuye_web::search_sync::rebuild(&state).await?;
    let build_s = t.elapsed().as_secs_f64();
    println!(
        "index build: {indexed} documents in {build_s:.1} s, segments of {:?} documents",
        state.search.segment_sizes()
    );
    // Searches are measured as a serving instance runs once its start-up is behind it: tantivy's
    // background merges of the new segments done (they take a core meanwhile) and seen by the
    // searches, as the next commit of the tail would make them.
    let t = Instant::now();
    let mut quiet = 0;
    let mut before = cpu_seconds();
    while quiet < 3 && t.elapsed() < std::time::Duration::from_secs(300) {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let now = cpu_seconds();
        // Under a tenth of a core over the last second: nothing is merging.
        quiet = if now - before < 0.1 { quiet + 1 } else { 0 };
        before = now;
    }
    state.search.reload()?;
    println!(
        "background merges settled in {:.1} s: segments of {:?} documents",
        t.elapsed().as_secs_f64(),
        state.search.segment_sizes()
    );

    let queries = query_set();
    // In-process: the index alone (ids, scores, facets, snippets).
    let mut ours = Vec::new();
    let mut per_query_ours = Vec::new();
    for (name, q, _) in &queries {
        let mut times = Vec::new();
        for _ in 0..args.reps {
            let t = Instant::now();
            let r = state.search.search(q, today)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(r);
        }
        times.sort_by(f64::total_cmp);
        per_query_ours.push((name.clone(), percentile(&times, 0.5)));
        ours.extend(times);
    }
    // Deep page: walk the cursor to page 10 of "普工" by newest.
    let mut deep = Vec::new();
    for _ in 0..args.reps {
        let t = Instant::now();
        let mut cursor = None;
        for _ in 0..DEEP_PAGE {
            let q =
                SearchQuery {
                    text: Some("普工".into()), sort: Sort::Newest, limit: 20, cursor, ..Default::default()
                };
            cursor = state.search.search(&q, today)?.next_cursor;
        }
        deep.push(t.elapsed().as_secs_f64() * 1000.0 / DEEP_PAGE as f64);
    }
    ours.extend(deep.iter().copied());
    ours.sort_by(f64::total_cmp);
    let (p50, p99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
    println!("segments after the queries: {:?} documents", state.search.segment_sizes());

    // Baselines on the same data.
    let mut fts = ("sqlite-fts5", Vec::<f64>::new());
    let mut pg = ("postgres", Vec::<f64>::new());
    let baseline_reps = args.baseline_reps.unwrap_or(args.reps);
    if !args.no_baselines {
        let all: Vec<_> = {
            let mut v = Vec::new();
            let mut after = None;
            loop {
                let batch = store.open_vacancies_batch(today, after, 10_000).await?;
                let Some(last) = batch.last() else { break };
                after = Some(last.id);
                v.extend(batch);
            }
            v
        };
        let t = Instant::now();
        store.baseline_load(&all, today).await?;
        println!("sqlite fts5 (trigram) load: {:.1} s", t.elapsed().as_secs_f64());
        let pg_store = jiuye_store::testing::fresh_postgres_at(&args.pg_url)
            .await
            .context("the PostgreSQL baseline needs a server")?;
        let t = Instant::now();
        pg_store.baseline_load(&all, today).await?;
        println!("postgresql (ILIKE + pg_trgm GIN) load: {:.1} s", t.elapsed().as_secs_f64());
        for (target, s) in [(&mut fts, &store), (&mut pg, &pg_store)] {
            for (_, _, bq) in &queries {
                for _ in 0..baseline_reps {
                    let t = Instant::now();
                    std::hint::black_box(s.baseline_query(bq, today).await?);
                    target.1.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
            for _ in 0..baseline_reps {
                let bq = BaselineQuery {
                    keyword: Some("普工".into()),
                    newest_first: true,
                    offset: (DEEP_PAGE - 1) * 20,
                    limit: 20,
                    ..Default::default()
                };
                let t = Instant::now();
                std::hint::black_box(s.baseline_query(&bq, today).await?);
                target.1.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            target.1.sort_by(f64::total_cmp);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let pg_ratio = mean(&pg.1) / mean(&ours).max(1e-9);
    let fts_ratio = mean(&fts.1) / mean(&ours).max(1e-9);

    // HTTP: the served endpoint timed request by request over the same query set (latency,
    // beside the in-process figure), then the whole app under the bench's own closed-loop
    // client (throughput).
    let served = crate::bench_http::serve(&state).await?;
    let paths: Vec<String> =
        (0..args.reps.max(1)).flat_map(|_| queries.iter().map(|(_, q, _)| search_path(q))).collect();
    let http_times = crate::bench_http::latencies(&served, &paths).await?;
    let (http_p50, http_p99) = (percentile(&http_times, 0.5), percentile(&http_times, 0.99));
    let load = if args.http_seconds > 0 {
        Some(crate::bench_http::closed_loop(&served, &paths, HTTP_CONNECTIONS, args.http_seconds).await?)
    } else {
        None
    };
    drop(served);

    println!(
        "\nquery set: {} queries + deep page {DEEP_PAGE}, {} repetitions (baselines: {baseline_reps})",
        queries.len(),
        args.reps
    );
    for (name, ms) in &per_query_ours {
        println!("  {name:<28} p50 {ms:7.3} ms");
    }
    println!("jiuye-search in-process: p50 {p50:.3} ms, p99 {p99:.3} ms, mean {:.3} ms", mean(&ours));
    if args.no_baselines {
        println!("baselines: skipped (--no-baselines)");
    } else {
        println!(
            "sqlite fts5 trigram:     p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms",
            percentile(&fts.1, 0.5),
            percentile(&fts.1, 0.99),
            mean(&fts.1)
        );
        println!(
            "postgresql ilike+trgm:   p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms",
            percentile(&pg.1, 0.5),
            percentile(&pg.1, 0.99),
            mean(&pg.1)
        );
    }
    // A figure never measured is said to be skipped, never printed as a number.
    let (pg_ratio, fts_ratio) = if args.no_baselines {
        ("skipped".to_string(), "skipped".to_string())
    } else {
        (format!("{pg_ratio:.1}"), format!("{fts_ratio:.1}"))
    };
    let http_rps = match &load {
        Some(l) => {
            println!(
                "http load ({HTTP_CONNECTIONS} connections, closed loop, {} s, the query set in turn): {} requests, {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} errors",
                args.http_seconds, l.requests, l.rps, l.p50_ms, l.p99_ms, l.errors
            );
            anyhow::ensure!(l.errors == 0, "{} requests of the HTTP load failed", l.errors);
            format!("{:.0}", l.rps)
        }
        None => {
            println!("http load: skipped (--http-seconds 0)");
            "skipped".to_string()
        }
    };
    println!(
        "http GET /api/v1/vacancies/search, one client, {} requests: p50 {http_p50:.3} ms, p99 {http_p99:.3} ms",
        http_times.len()
    );
    let rss = peak_rss_mb();
    println!(
        "bench=search vacancies={} p50_ms={p50:.3} p99_ms={p99:.3} http_rps={http_rps} pg_ratio={pg_ratio} fts5_ratio={fts_ratio} rss_mb={rss:.0} http_p99_ms={http_p99:.3}",
        args.vacancies
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The served search URL for a query of the set (text and the filters the set uses).
fn search_path(q: &SearchQuery) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    if let Some(t) = &q.text {
        url.append_pair("q", t);
    }
    if let Some(d) = &q.district {
        url.append_pair("district", d.as_str());
    }
    if let Some(o) = &q.occupation {
        url.append_pair("occupation", o.as_str());
    }
    if let Some(m) = q.salary_min {
        url.append_pair("salary_min", &m.to_string());
    }
    if let Some(k) = q.kind {
        url.append_pair("kind", k.as_str());
    }
    if q.sort != Sort::default() {
        url.append_pair("sort", q.sort.as_str());
    }
    url.append_pair("limit", &q.limit.to_string());
    format!("/api/v1/vacancies/search?{}", url.finish())
}

/// Relevance of a job against the fit `jiuye-sim` planted and the matcher never sees: 2 = the
/// occupation that truly fits, 1 = another of its 小类; either only when the pay reaches what
/// the person would truly accept and the commute is within what they would truly travel.
fn relevance(fit: &HiddenFit, home: &DistrictCode, j: &Job) -> u8 {
    // The trip as people travel (across the water by a crossing), as the seeker would weigh it.
    let km = jiuye_domain::geo::From::new(jiuye_domain::geo::district_seat(home), home)
        .km(j.at.unwrap_or_else(|| jiuye_domain::geo::district_seat(&j.district)), &j.district);
    if j.salary_max < fit.reservation_wage || km > fit.max_km {
        return 0;
    }
    if j.occupation == fit.true_occupation {
        2
    } else if minor(&j.occupation) == minor(&fit.true_occupation) {
        1
    } else {
        0
    }
}

fn minor(c: &OccupationCode) -> String {
    c.as_str().split('-').take(3).collect::<Vec<_>>().join("-")
}

fn gini(mut xs: Vec<f64>) -> f64 {
    let n = xs.len() as f64;
    let sum: f64 = xs.iter().sum();
    if xs.is_empty() || sum == 0.0 {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let weighted: f64 = xs.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * x).sum();
    2.0 * weighted / (n * sum) - (n + 1.0) / n
}

pub async fn matching(args: MatchArgs, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let today = clock.today();
    let t = Instant::now();
    let mut g = Generator::new(SimConfig {
        seed: 7,
        persons: args.seekers,
        employers: (args.vacancies / 8).max(50),
        vacancies: args.vacancies,
        today,
    });
    let employers = g.employers();
    let jobs: Vec<Job> = g
        .vacancies(&employers)
        .into_iter()
        .enumerate()
        .map(|(i, (e, v))| {
            Job::of_draft(
                Uuid::from_u128((1u128 << 64) + i as u128),
                Uuid::from_u128((2u128 << 64) + e as u128),
                &v,
                today,
            )
        })
        .collect();
    let mut seekers = Vec::with_capacity(args.seekers);
    let mut fits: Vec<HiddenFit> = Vec::with_capacity(args.seekers);
    while let Some(batch) = g.next_persons_with_fit(10_000) {
        for (d, fit) in batch {
            fits.push(fit);
            seekers.push(Seeker::of_draft(Uuid::from_u128(seekers.len() as u128), &d, today));
        }
    }
    println!("generated {} jobs and {} seekers in {:.1} s", jobs.len(), seekers.len(), t.elapsed().as_secs_f64());
    let employer_of: std::collections::HashMap<Uuid, Uuid> = jobs.iter().map(|j| (j.id, j.employer_id)).collect();
    let employer_count = employers.len();
    let pool = JobPool::new(jobs);
    let none = std::collections::HashSet::new();
    // Rank 30 without reasons, spread across employers, keep 10 and explain only those.
    let finish = |s: &Seeker, ranked: Vec<(Uuid, f32)>| -> Vec<(Uuid, jiuye_match::Match)> {
        let mut r = diversify(ranked, |id| employer_of.get(id).copied(), 2);
        r.truncate(10);
        r.into_iter()
            .filter_map(|(id, _)| pool.job(&id).and_then(|j| jiuye_match::score(s, j, today)).map(|m| (id, m)))
            .collect()
    };
    let recommend = |s: &Seeker| finish(s, pool.top_job_ids(s, 30, today, &none));
    // Latency of one seeker's top 10, over a sample.
    let mut times = Vec::new();
    for s in seekers.iter().step_by((seekers.len() / 2000).max(1)) {
        let t = Instant::now();
        std::hint::black_box(recommend(s));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    // Baseline in the same run: scoring every open job (no candidate generation).
    let mut scan = Vec::new();
    for s in seekers.iter().step_by((seekers.len() / 200).max(1)) {
        let t = Instant::now();
        std::hint::black_box(jiuye_match::top_jobs(s, pool.jobs(), 10, today, &none));
        scan.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    scan.sort_by(f64::total_cmp);
    // The batch for everyone, on every core: seekers ranked together, group by group
    // (`JobPool::top_job_ids_many`); the baseline, in the same run, ranks them one by one.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let chunk = seekers.len().div_ceil(threads).max(1);
    type Recs = Vec<(Uuid, jiuye_match::Match)>;
    let t = Instant::now();
    let one_by_one: Vec<Vec<(Uuid, Recs)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = seekers
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(|s| (s.id, recommend(s))).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let one_by_one_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let results: Vec<Vec<(Uuid, Recs)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = seekers
            .chunks(chunk)
            .map(|part| {
                scope.spawn(|| {
                    let ranked = pool.top_job_ids_many(part, 30, today, &none);
                    part.iter().zip(ranked).map(|(s, r)| (s.id, finish(s, r))).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let batch_s = t.elapsed().as_secs_f64();
    // Both ways give everyone the same list.
    let same = one_by_one
        .iter()
        .flatten()
        .zip(results.iter().flatten())
        .all(|(a, b)| a.0 == b.0 && a.1.len() == b.1.len() && a.1.iter().zip(&b.1).all(|(x, y)| x.0 == y.0));
    anyhow::ensure!(same, "the batch ranked someone differently from ranking them alone");
    drop(one_by_one);
    // Quality against the relevance rule, and exposure across employers.
    let by_id: std::collections::HashMap<Uuid, &Job> = pool.jobs().iter().map(|j| (j.id, j)).collect();
    let mut relevant_by_group: std::collections::HashMap<String, Vec<&Job>> = std::collections::HashMap::new();
    for j in pool.jobs() {
        relevant_by_group.entry(minor(&j.occupation)).or_default().push(j);
    }
    let (mut recall_sum, mut ndcg_sum, mut judged) = (0.0, 0.0, 0usize);
    let mut exposure: std::collections::HashMap<Uuid, f64> = std::collections::HashMap::new();
    for (sid, recs) in results.iter().flatten() {
        for (jid, _) in recs {
            if let Some(e) = employer_of.get(jid) {
                *exposure.entry(*e).or_default() += 1.0;
            }
        }
        let i = sid.as_u128() as usize;
        let (Some(s), Some(fit)) = (seekers.get(i), fits.get(i)) else { continue };
        let mut grades: Vec<u8> = relevant_by_group
            .get(&minor(&fit.true_occupation))
            .into_iter()
            .flatten()
            .filter(|j| j.open)
            .map(|j| relevance(fit, &s.home, j))
            .filter(|g| *g > 0)
            .collect();
        if grades.is_empty() {
            continue;
        }
        judged += 1;
        grades.sort_unstable_by(|a, b| b.cmp(a));
        let got: Vec<u8> =
            recs.iter().map(|(id, _)| by_id.get(id).map(|j| relevance(fit, &s.home, j)).unwrap_or(0)).collect();
        let hits = got.iter().filter(|g| **g > 0).count();
        recall_sum += hits as f64 / grades.len().min(10) as f64;
        let dcg = |gs: &[u8]| -> f64 {
            gs.iter()
                .take(10)
                .enumerate()
                .map(|(i, g)| (2f64.powi(i32::from(*g)) - 1.0) / (i as f64 + 2.0).log2())
                .sum()
        };
        let ideal = dcg(&grades);
        if ideal > 0.0 {
            ndcg_sum += dcg(&got) / ideal;
        }
    }
    let mut exposures: Vec<f64> = exposure.values().copied().collect();
    exposures.resize(employer_count.max(exposures.len()), 0.0);
    let g = gini(exposures);
    let recall = recall_sum / judged.max(1) as f64;
    let ndcg = ndcg_sum / judged.max(1) as f64;
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!("top-10 for one seeker: p50 {p50:.3} ms, p99 {p99:.3} ms ({} samples)", times.len());
    println!(
        "baseline, full scan of every job: p50 {:.3} ms, p99 {:.3} ms ({} samples)",
        percentile(&scan, 0.5),
        percentile(&scan, 0.99),
        scan.len()
    );
    println!(
        "batch for {} seekers on {threads} threads: {batch_s:.1} s together by group (baseline, one by one: {one_by_one_s:.1} s)",
        seekers.len()
    );
    println!(
        "quality against the planted fit, over {judged} seekers with a truly fitting open job: recall@10 {recall:.3}, nDCG@10 {ndcg:.3}"
    );
    println!("exposure Gini across {employer_count} employers: {g:.3}");
    drop(results);
    // The served path: the same market in a store, the pool loaded as `serve` loads it, and
    // GET /api/v1/persons/{id}/recommendations timed over HTTP for a sample of seekers.
    let http = served_recommendations(&args, today, clock).await?;
    let (http_p50, http_p99) = (percentile(&http, 0.5), percentile(&http, 0.99));
    println!(
        "http GET /api/v1/persons/{{id}}/recommendations, one client, {} seekers: p50 {http_p50:.3} ms, p99 {http_p99:.3} ms",
        http.len()
    );
    println!(
        "bench=match vacancies={} seekers={} top10_p99_ms={p99:.3} batch_s={batch_s:.1} batch_baseline_s={one_by_one_s:.1} recall_at_10={recall:.3} ndcg_at_10={ndcg:.3} exposure_gini={g:.3} http_p99_ms={http_p99:.3}",
        args.vacancies, args.seekers
    );
    Ok(())
}

/// Seekers whose recommendations are fetched over HTTP.
const HTTP_SAMPLE: usize = 500;

async fn served_recommendations(args: &MatchArgs, today: NaiveDate, clock: Arc<dyn Clock>) -> anyhow::Result<Vec<f64>> {
    let dir = std::env::temp_dir().join(format!("jiuye-bench-match-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("bench.db").display())).await?;
    store.migrate().await?;
    let t = Instant::now();
    // The same seed and sizes: the same employers and vacancies as above.
    let mut g = Generator::new(SimConfig {
        seed: 7,
        persons: HTTP_SAMPLE.min(args.seekers),
        employers: (args.vacancies / 8).max(50),
        vacancies: args.vacancies,
        today,
    });
    let employers = g.employers();
    let vacancies = g.vacancies(&employers);
    let now = clock.now();
    let who = AuditEntry::system();
    let ids = store.bulk_insert_employers(&employers, &who, now).await?;
    for chunk in vacancies.chunks(20_000) {
        let with_ids: Vec<_> = chunk.iter().filter_map(|(i, v)| ids.get(*i).map(|id| (*id, v.clone()))).collect();
        store.bulk_insert_vacancies(&with_ids, &who, now).await?;
    }
    let persons = g.next_persons(HTTP_SAMPLE.min(args.seekers)).unwrap_or_default();
    let vault = jiuye_store::IdVault::new(&[1u8; 32]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pids = store.bulk_insert_persons(&persons, &vault, &who, now).await?;
    let state = AppState::new(store, vault, Arc::new(SearchIndex::in_memory()?), clock, false);
    let pool = jiuye_web::search_sync::load_jobs(&state).await?;
    println!("served store: {pool} open vacancies, {} persons in {:.1} s", pids.len(), t.elapsed().as_secs_f64());
    let served = crate::bench_http::serve(&state).await?;
    let paths: Vec<String> = pids.iter().map(|id| format!("/api/v1/persons/{id}/recommendations")).collect();
    let times = crate::bench_http::latencies(&served, &paths).await?;
    drop(served);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(times)
}
