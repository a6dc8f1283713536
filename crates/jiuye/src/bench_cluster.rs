//! `jiuye bench cluster`: N instances of `jiuye serve` — this binary, as separate processes —
//! on loopback, on one fresh PostgreSQL database filled with the demo data, each with its own
//! data folder (its own search index) and the same secret key. Measured:
//!
//! - Visibility: vacancies posted over HTTP at a steady rate, round-robin through the
//!   instances; for a sample of them, the time from the post's response (its commit) to the
//!   vacancy being found by a search on each other instance (polled every 10 ms, so up to 10 ms
//!   late): p50, p95, p99.
//! - Catch-up: one instance killed (SIGKILL), 100,000 changes logged while it is down, then
//!   started again: the time from its start to answering ready with nothing left to apply. And
//!   a new instance with an empty data folder: the time until it has built its index and is ready.
//! - Chaos: a burst of posts during which one instance is killed (SIGKILL) and started again
//!   (posts to it while it is down go to the next instance, as a load balancer retries), and a
//!   change whose transaction commits seconds after later ones; afterwards every instance must
//!   find every vacancy written, the late change by its new title, and count as many open
//!   vacancies as the store. What one does not is counted as missed.
//! - Load: searches (70 %), pages (20 %) and posts (10 %) at a target rate for a while, spread
//!   round-robin across the instances by the client: requests per second achieved, p99, errors.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

use jiuye_store::Store;
use jiuye_web::Clock;

#[derive(Args)]
pub struct ClusterArgs {
    /// Instances started.
    #[arg(long, default_value_t = 3)]
    instances: usize,
    /// PostgreSQL server (a fresh database is created on it).
    #[arg(long, env = "JIUYE_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
    /// Posts per second while visibility is measured.
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// Posts while visibility is measured.
    #[arg(long, default_value_t = 1_000)]
    writes: usize,
    /// Every how many posts the others are searched for it (each search polls every 10 ms:
    /// probing every post would load the instances more than the posts do).
    #[arg(long, default_value_t = 10)]
    probe_every: usize,
    /// Changes logged while an instance is down.
    #[arg(long, default_value_t = 100_000)]
    catchup_changes: usize,
    /// Posts in the chaos round.
    #[arg(long, default_value_t = 300)]
    chaos_writes: usize,
    /// Seconds of mixed load.
    #[arg(long, default_value_t = 120)]
    load_seconds: u64,
    /// Requests per second asked of the cluster during the load run.
    #[arg(long, default_value_t = 200)]
    load_rps: u32,
}

/// One running `jiuye serve`.
struct Instance {
    data: PathBuf,
    base: String,
    child: Child,
}

/// What every instance is started with.
struct Launch {
    exe: PathBuf,
    url: String,
    key_hex: String,
}

impl Launch {
    /// Start `jiuye serve` on a free loopback port with `data` as its folder, and wait until it
    /// says it is serving (it catches up with the log before it listens).
    async fn start(&self, data: PathBuf) -> anyhow::Result<Instance> {
        std::fs::create_dir_all(&data)?;
        let mut child = Command::new(&self.exe)
            .arg("--data")
            .arg(&data)
            .arg("--database-url")
            .arg(&self.url)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("JIUYE_SECRET_KEY", &self.key_hex)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting jiuye serve")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = tokio::time::timeout(Duration::from_secs(600), lines.next_line())
                .await
                .context("no serving line within 10 minutes")??
                .context("the instance exited before serving")?;
            if let Some(rest) = line.strip_prefix("jiuye is serving on ") {
                break rest.split_whitespace().next().unwrap_or_default().trim_end_matches('/').to_string();
            }
        };
        // Keep reading its output so a full pipe never blocks it.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Instance { data, base, child })
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A word no demo vacancy holds, unique to post `i` (letters only, so it is one search term).
fn tag(prefix: &str, i: usize) -> String {
    let mut s = String::from(prefix);
    let mut n = i;
    for _ in 0..5 {
        s.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    s
}

/// The search API on `base` for `q`, percent-encoded.
fn search_url(base: &str, q: &str) -> anyhow::Result<reqwest::Url> {
    Ok(reqwest::Url::parse_with_params(&format!("{base}/api/v1/vacancies/search"), &[("q", q)])?)
}

struct Client {
    http: reqwest::Client,
    token: String,
    employer: Uuid,
    today: chrono::NaiveDate,
}

impl Client {
    /// Post a vacancy titled with `tag` through `base`: its id.
    async fn post(&self, base: &str, tag: &str) -> anyhow::Result<Uuid> {
        let body = serde_json::json!({
            "title": format!("电工 {tag}"), "description": "集群测试", "occupation": "6-31-01-03",
            "district": "350206", "address": "厦门市湖里区", "salary_min": 6000, "salary_max": 9000,
            "headcount": 1, "kind": "full_time", "opens_on": self.today,
            "closes_on": self.today + chrono::Duration::days(30), "skills": [], "employer_id": self.employer
        });
        let r = self.http.post(format!("{base}/api/v1/vacancies")).bearer_auth(&self.token).json(&body).send().await?;
        let status = r.status();
        let v: serde_json::Value = r.json().await?;
        if !status.is_success() {
            anyhow::bail!("posting a vacancy: HTTP {status}: {v}");
        }
        v["id"].as_str().and_then(|s| Uuid::parse_str(s).ok()).context("no id in the posted vacancy")
    }

    /// Does a search for `word` on `base` find vacancy `id`?
    async fn finds(&self, base: &str, word: &str, id: Uuid) -> anyhow::Result<bool> {
        let v: serde_json::Value =
            self.http.get(search_url(base, word)?).send().await?.error_for_status()?.json().await?;
        let want = id.to_string();
        Ok(v["items"].as_array().is_some_and(|items| items.iter().any(|h| h["vacancy"]["id"] == want.as_str())))
    }

    /// Open vacancies in `base`'s index.
    async fn open_count(&self, base: &str) -> anyhow::Result<u64> {
        let v: serde_json::Value =
            self.http.get(format!("{base}/api/v1/vacancies/search")).send().await?.error_for_status()?.json().await?;
        v["total"].as_u64().context("no total")
    }

    /// GET `url` in full: true when it answered 2xx with its whole body.
    async fn fetch(&self, url: &str) -> bool {
        match self.http.get(url).send().await {
            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
            _ => false,
        }
    }

    /// `/readyz` answers ready with nothing left to apply.
    async fn caught_up(&self, base: &str) -> bool {
        match self.http.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status().is_success() => r.text().await.is_ok_and(|t| t.trim() == "ready lag_changes=0"),
            _ => false,
        }
    }

    /// Wait until every instance is ready with nothing left to apply.
    async fn settle(&self, instances: &[Instance], limit: Duration) -> anyhow::Result<()> {
        let until = Instant::now() + limit;
        for i in instances {
            while !self.caught_up(&i.base).await {
                if Instant::now() > until {
                    anyhow::bail!("{} did not catch up within {limit:?}", i.base);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        Ok(())
    }
}

pub async fn cluster(args: ClusterArgs, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    anyhow::ensure!(args.instances >= 2, "--instances: at least 2 (visibility is measured on the others)");
    let url = jiuye_store::testing::empty_postgres_at(&args.pg_url)
        .await
        .map_err(|e| anyhow::anyhow!("PostgreSQL at the bench URL: {e}"))?;
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let key: [u8; 32] = rand::random();
    let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let vault = jiuye_store::IdVault::new(&key).map_err(|e| anyhow::anyhow!("{e}"))?;
    let filling = Instant::now();
    crate::demo::fill_if_empty(&store, &vault, clock.as_ref()).await?;
    println!("demo data in PostgreSQL in {:.1} s", filling.elapsed().as_secs_f64());
    let today = clock.today();
    let employer = store
        .list_employers(&Default::default(), jiuye_store::PageRequest::new(None, Some(1)))
        .await?
        .items
        .first()
        .map(|e| e.id)
        .context("no employer in the demo")?;
    let client = Arc::new(Client {
        http: reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?,
        token: crate::bench_http::city_admin_token(&store, clock.now()).await?,
        employer,
        today,
    });
    let launch = Launch { exe: std::env::current_exe()?, url: url.clone(), key_hex };
    let root = std::env::temp_dir().join(format!("jiuye-bench-cluster-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let mut instances = Vec::new();
    for n in 0..args.instances {
        let t = Instant::now();
        let i = launch.start(root.join(format!("i{n}"))).await?;
        println!("instance {n} at {} up in {:.1} s", i.base, t.elapsed().as_secs_f64());
        instances.push(i);
    }
    client.settle(&instances, Duration::from_secs(120)).await?;

    let (_, vis_p95, vis_p99) = visibility(&args, &client, &instances).await?;
    let catchup_s = catch_up(&args, &client, &store, &launch, &mut instances, clock.now()).await?;
    let newcomer_s = {
        let t = Instant::now();
        let fresh = launch.start(root.join("newcomer")).await?;
        client.settle(std::slice::from_ref(&fresh), Duration::from_secs(600)).await?;
        let s = t.elapsed().as_secs_f64();
        drop(fresh);
        s
    };
    println!("a new instance (empty data folder) built its index and was ready in {newcomer_s:.1} s");
    let missed = chaos(&args, &client, &store, &launch, &mut instances, clock.now()).await?;
    let (load_rps, load_p99, errors) = load(&args, &client, &instances).await?;
    println!(
        "bench=cluster instances={} visible_p95_ms={vis_p95:.1} visible_p99_ms={vis_p99:.1} catchup_s={catchup_s:.1} chaos_missed={missed} load_rps={load_rps:.0} load_p99_ms={load_p99:.1} errors={errors}",
        instances.len()
    );
    for mut i in instances {
        let _ = i.child.kill().await;
    }
    let _ = std::fs::remove_dir_all(&root);
    Ok(())
}

/// Posts at `rate` through each instance in turn; a sample searched for on the others.
async fn visibility(
    args: &ClusterArgs,
    client: &Arc<Client>,
    instances: &[Instance],
) -> anyhow::Result<(f64, f64, f64)> {
    let bases: Arc<Vec<String>> = Arc::new(instances.iter().map(|i| i.base.clone()).collect());
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1))));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for n in 0..args.writes {
        tick.tick().await;
        let (client, bases) = (client.clone(), bases.clone());
        let probe = n % args.probe_every.max(1) == 0;
        tasks.spawn(async move {
            let word = tag("zv", n);
            let at = n % bases.len();
            let id = client.post(&bases[at], &word).await?;
            let committed = Instant::now();
            let mut seen = Vec::new();
            if probe {
                let mut polls = tokio::task::JoinSet::new();
                for base in bases.iter().enumerate().filter(|(j, _)| *j != at).map(|(_, b)| b) {
                    let (client, base, word) = (client.clone(), base.clone(), word.clone());
                    polls.spawn(async move {
                        while committed.elapsed() < Duration::from_secs(30) {
                            if client.finds(&base, &word, id).await? {
                                return Ok::<_, anyhow::Error>(Some(committed.elapsed().as_secs_f64() * 1e3));
                            }
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                        Ok(None)
                    });
                }
                while let Some(r) = polls.join_next().await {
                    seen.push(r??);
                }
            }
            Ok::<_, anyhow::Error>(seen)
        });
    }
    let posting_s = started.elapsed().as_secs_f64();
    let mut lat = Vec::new();
    let mut never = 0usize;
    while let Some(r) = tasks.join_next().await {
        for s in r?? {
            match s {
                Some(ms) => lat.push(ms),
                None => never += 1,
            }
        }
    }
    anyhow::ensure!(never == 0, "{never} probes never found their vacancy within 30 s");
    lat.sort_by(f64::total_cmp);
    let (p50, p95, p99) = (percentile(&lat, 0.5), percentile(&lat, 0.95), percentile(&lat, 0.99));
    println!(
        "visibility: {} posts in {posting_s:.1} s ({:.0}/s) through {} instances; {} searches on the others: p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms, max {:.1} ms",
        args.writes,
        args.writes as f64 / posting_s.max(1e-9),
        instances.len(),
        lat.len(),
        lat.last().copied().unwrap_or(0.0)
    );
    Ok((p50, p95, p99))
}

/// The last instance killed, changes logged while it is down, started again: seconds from its
/// start to ready with nothing left to apply.
async fn catch_up(
    args: &ClusterArgs,
    client: &Client,
    store: &Store,
    launch: &Launch,
    instances: &mut [Instance],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<f64> {
    let victim = instances.len() - 1;
    instances[victim].child.kill().await?;
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let batch = store.open_vacancies_batch(client.today, after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        ids.extend(batch.iter().map(|v| v.id));
    }
    anyhow::ensure!(!ids.is_empty(), "no open vacancies to change");
    let touched: Vec<Uuid> = ids.iter().copied().cycle().take(args.catchup_changes).collect();
    let t = Instant::now();
    let logged = store.bench_touch_vacancies(&touched, now).await?;
    println!(
        "catch-up: instance {victim} killed; {logged} changes to {} open vacancies logged in {:.1} s",
        ids.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let data = instances[victim].data.clone();
    instances[victim] = launch.start(data).await?;
    let serving_s = t.elapsed().as_secs_f64();
    client.settle(&instances[victim..], Duration::from_secs(600)).await?;
    let s = t.elapsed().as_secs_f64();
    println!("catch-up: started again, serving after {serving_s:.1} s, nothing left to apply after {s:.1} s");
    Ok(s)
}

/// Posts during which an instance is killed and started again and a transaction commits
/// late; then what each instance fails to find.
async fn chaos(
    args: &ClusterArgs,
    client: &Arc<Client>,
    store: &Store,
    launch: &Launch,
    instances: &mut [Instance],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<usize> {
    let n = instances.len();
    let bases: Vec<String> = instances.iter().map(|i| i.base.clone()).collect();
    let late_target =
        store.open_vacancies_batch(client.today, None, 1).await?.first().map(|v| v.id).context("no open vacancy")?;
    let late_word = tag("zl", 0);
    let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let rerouted = Arc::new(AtomicUsize::new(0));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate.max(1))));
    let mut tasks = tokio::task::JoinSet::new();
    let mut late = None;
    let victim = 1 % n;
    let mut restarted = None;
    for k in 0..args.chaos_writes {
        tick.tick().await;
        if k == args.chaos_writes / 4 {
            let store = store.clone();
            let title = format!("电工 {late_word}");
            late = Some(tokio::spawn(async move {
                store.bench_late_retitle(late_target, &title, Duration::from_secs(3), now).await
            }));
        }
        if k == args.chaos_writes / 3 {
            instances[victim].child.kill().await?;
            down.store(true, Ordering::SeqCst);
            let data = instances[victim].data.clone();
            restarted = Some(tokio::spawn({
                let down = down.clone();
                let launch =
                    Launch { exe: launch.exe.clone(), url: launch.url.clone(), key_hex: launch.key_hex.clone() };
                async move {
                    let i = launch.start(data).await;
                    down.store(false, Ordering::SeqCst);
                    i
                }
            }));
        }
        let (client, bases, down, rerouted) = (client.clone(), bases.clone(), down.clone(), rerouted.clone());
        tasks.spawn(async move {
            let word = tag("zc", k);
            let mut at = k % n;
            if at == victim && down.load(Ordering::SeqCst) {
                at = (at + 1) % n;
                rerouted.fetch_add(1, Ordering::Relaxed);
            }
            match client.post(&bases[at], &word).await {
                Ok(id) => Ok((word, id)),
                // Killed under the request: the balancer's retry goes to the next instance.
                Err(_) => {
                    rerouted.fetch_add(1, Ordering::Relaxed);
                    client.post(&bases[(at + 1) % n], &word).await.map(|id| (word, id))
                }
            }
        });
    }
    let mut written = Vec::new();
    while let Some(r) = tasks.join_next().await {
        written.push(r??);
    }
    if let Some(l) = late {
        l.await??;
    }
    if let Some(r) = restarted {
        let i = r.await??;
        instances[victim] = i;
    }
    client.settle(instances, Duration::from_secs(120)).await?;
    let mut missed = 0usize;
    let want_open = store.count_open_vacancies(client.today).await?;
    for i in instances.iter() {
        for (word, id) in &written {
            if !client.finds(&i.base, word, *id).await? {
                missed += 1;
            }
        }
        if !client.finds(&i.base, &late_word, late_target).await? {
            missed += 1;
        }
        let open = client.open_count(&i.base).await?;
        if open != want_open {
            println!("chaos: {} counts {open} open vacancies, the store {want_open}", i.base);
            missed += 1;
        }
    }
    println!(
        "chaos: {} posts, instance {victim} killed and started again ({} posts sent elsewhere), one change committed 3 s late; {} checks on {} instances, {missed} missed",
        written.len(),
        rerouted.load(Ordering::Relaxed),
        (written.len() + 2) * instances.len(),
        instances.len()
    );
    Ok(missed)
}

/// Mixed load spread round-robin: (requests per second achieved, p99 ms, errors).
async fn load(args: &ClusterArgs, client: &Arc<Client>, instances: &[Instance]) -> anyhow::Result<(f64, f64, u64)> {
    const WORDS: [&str; 12] = [
        "电工",
        "普工 湖里",
        "包住",
        "收银员",
        "厨师",
        "叉车司机",
        "会计 思明",
        "兼职",
        "保洁",
        "焊工 集美",
        "司机",
        "文员",
    ];
    let bases: Arc<Vec<String>> = Arc::new(instances.iter().map(|i| i.base.clone()).collect());
    let ids: Arc<Vec<String>> = Arc::new({
        let v: serde_json::Value =
            client.http.get(format!("{}/api/v1/vacancies/search?q=电工", bases[0])).send().await?.json().await?;
        v["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|h| h["vacancy"]["id"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    });
    anyhow::ensure!(!ids.is_empty(), "no vacancy pages to load");
    let workers = 32usize;
    let per_worker = Duration::from_secs_f64(workers as f64 / f64::from(args.load_rps.max(1)));
    let deadline = Instant::now() + Duration::from_secs(args.load_seconds);
    let counter = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..workers {
        let (client, bases, ids, counter, errors) =
            (client.clone(), bases.clone(), ids.clone(), counter.clone(), errors.clone());
        tasks.spawn(async move {
            let mut lat = Vec::new();
            let mut next = Instant::now() + per_worker.mul_f64(w as f64 / workers as f64);
            while next < deadline {
                tokio::time::sleep_until(next.into()).await;
                next += per_worker;
                let k = counter.fetch_add(1, Ordering::Relaxed);
                let base = &bases[k % bases.len()];
                let t = Instant::now();
                let ok = match k % 10 {
                    0 => client.post(base, &tag("zw", k)).await.is_ok(),
                    1 | 2 if k % 20 < 10 => client.fetch(&format!("{base}/vacancies/{}", ids[k % ids.len()])).await,
                    1 | 2 => client.fetch(&format!("{base}/vacancies?q={}", WORDS[k % WORDS.len()])).await,
                    _ => match search_url(base, WORDS[k % WORDS.len()]) {
                        Ok(url) => client.fetch(url.as_str()).await,
                        Err(_) => false,
                    },
                };
                lat.push(t.elapsed().as_secs_f64() * 1e3);
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        });
    }
    let mut lat = Vec::new();
    while let Some(r) = tasks.join_next().await {
        lat.extend(r?);
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let rps = lat.len() as f64 / secs.max(1e-9);
    let (p50, p99) = (percentile(&lat, 0.5), percentile(&lat, 0.99));
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "load: {} requests in {secs:.0} s ({rps:.0}/s asked {}/s; searches 70 %, pages 20 %, posts 10 %) across {} instances: p50 {p50:.1} ms, p99 {p99:.1} ms, {errors} errors",
        lat.len(),
        args.load_rps,
        bases.len()
    );
    Ok((rps, p99, errors))
}
