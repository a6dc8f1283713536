//! `jiuye`: the one binary. `serve` the platform, `migrate` the database, fill it with `demo`
//! data, create accounts with `admin create`.

mod backup;
mod batch;
mod bench;
mod bench_casework;
mod bench_cluster;
mod bench_gig;
mod bench_http;
mod bench_oversight;
mod bench_policy;
mod bench_relevance;
mod bench_screen;
mod config;
mod demo;
mod demo_casework;
mod demo_gig;
mod policy_cli;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use jiuye_web::{AppState, Clock, SystemClock};

#[derive(Parser)]
#[command(name = "jiuye", version, about = "jiuye 就业 — a city's public employment service platform")]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// Folder for the embedded database and the secret key.
    #[arg(long, global = true, env = "JIUYE_DATA", default_value = "./data")]
    data: PathBuf,
    /// `postgres://…` for PostgreSQL; default: SQLite in the data folder.
    #[arg(long, global = true, env = "JIUYE_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web platform.
    Serve {
        #[arg(long, env = "JIUYE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Fill an empty database with demo data and print one login per role.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set when served behind TLS).
        #[arg(long, env = "JIUYE_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Budget lines exempt from four eyes on claims (comma-separated: central, local,
        /// other). Default none: whoever files a claim never approves or pays it, and approval
        /// and payment are by different people, on every line.
        #[arg(long, env = "JIUYE_FOUR_EYES_EXEMPT", value_delimiter = ',')]
        four_eyes_exempt: Vec<String>,
        /// A token that lets a metrics collector elsewhere read /metrics
        /// (`Authorization: Bearer …`); without it only the loopback interface may.
        #[arg(long, env = "JIUYE_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// Refuse /metrics on the loopback interface too (only the token opens it).
        #[arg(long, env = "JIUYE_METRICS_NO_LOOPBACK")]
        metrics_no_loopback: bool,
        /// Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For
        /// names the client: for the sign-in throttle and the audit log. Default none.
        #[arg(long, env = "JIUYE_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxy: Vec<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Fill an empty database with a generated Xiamen labour market.
    Demo(demo::DemoArgs),
    /// Administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Measurements on generated data (see BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// Scheduled work: `batch recommend` pushes jobs to everyone due.
    Batch {
        #[command(subcommand)]
        command: batch::BatchCommand,
    },
    /// The policy catalogue (subsidies as rules).
    Policy {
        #[command(subcommand)]
        command: policy_cli::PolicyCommand,
    },
    /// The casework rules every instance works by.
    Casework {
        #[command(subcommand)]
        command: CaseworkCommand,
    },
    /// The search index.
    Index {
        #[command(subcommand)]
        command: IndexCommand,
    },
    /// An online backup: the database (SQLite: a consistent copy while serving; PostgreSQL:
    /// `pg_dump`) and the secret key, into a new folder.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into an empty data folder (SQLite) or an empty database (PostgreSQL,
    /// `pg_restore`); the search index is rebuilt at the next start.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum CaseworkCommand {
    /// Check a rules file and publish it as the next version (in force on every instance
    /// within a second; the embedded rules are version 1).
    Publish {
        #[arg(long)]
        file: PathBuf,
        /// Why (kept with the version).
        #[arg(long)]
        note: String,
    },
    /// The version in force and every published one.
    Versions,
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Rebuild the search index from the store's open vacancies.
    Rebuild,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account (city admin, district admin, caseworker or provider).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "city_admin")]
        role: String,
        /// Xiamen district code, for caseworkers and district admins.
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        organisation: Option<String>,
        /// The password; or set JIUYE_ADMIN_PASSWORD.
        #[arg(long, env = "JIUYE_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // The catalogue needs no database (a simulation does).
    let cli = match cli.command {
        Command::Policy { command } if !matches!(command, policy_cli::PolicyCommand::Simulate(_)) => {
            return policy_cli::run(command, SystemClock.today());
        }
        command => Cli { db: cli.db, command },
    };
    let cfg = config::Config::load(&cli.db.data, cli.db.database_url.as_deref())?;
    // A restore comes before anything opens (and so creates) the database or the key.
    if let Command::Restore { from } = &cli.command {
        return backup::restore(&cfg, from).await;
    }
    let store = cfg.connect().await?;
    let applied = store.migrate().await.context("migrating the database")?;
    if !applied.is_empty() {
        tracing::info!(?applied, "migrations applied");
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Every instance on one database must hold the same secret key: ID numbers one encrypts
    // are unreadable to another. The first start keeps the key's fingerprint; a different key
    // refuses to start. (Benchmarks make databases of their own.)
    if !matches!(cli.command, Command::Migrate | Command::Bench { .. }) {
        let fingerprint = cfg.vault()?.hash_text("jiuye: secret key fingerprint")[..16].to_string();
        if let Some(kept) = store.agree_on_key(&fingerprint, clock.now()).await? {
            anyhow::bail!(
                "this database was written with another secret key (fingerprint {kept}; this instance's key has \
                 {fingerprint}): start every instance with the same key (JIUYE_SECRET_KEY or <data>/secret.key), \
                 or ID numbers written by one are unreadable to another"
            );
        }
    }
    match cli.command {
        Command::Backup { to } => backup::backup(&cfg, &store, &to, clock.now()).await,
        Command::Restore { .. } => Ok(()),
        Command::Migrate => {
            println!("database is at migration {} ({})", jiuye_store::Store::latest_migration(), store.backend_name());
            Ok(())
        }
        Command::Demo(args) => {
            let vault = cfg.vault()?;
            demo::fill(&store, &vault, clock.as_ref(), &args).await.map(|_| ())
        }
        Command::Bench { command } => match command {
            bench::BenchCommand::Search(args) => bench::search(args, clock).await,
            bench::BenchCommand::Match(args) => bench::matching(args, clock).await,
            bench::BenchCommand::Casework(args) => bench_casework::casework(args, cli.db.data.clone(), clock).await,
            bench::BenchCommand::Oversight(args) => bench_oversight::oversight(args, cli.db.data.clone(), clock).await,
            bench::BenchCommand::Policy(args) => bench_policy::policy(args, clock).await,
            bench::BenchCommand::Screen(args) => bench_screen::screen_bench(args, cli.db.data.clone(), clock).await,
            bench::BenchCommand::Relevance(args) => bench_relevance::relevance(args, clock).await,
            bench::BenchCommand::Gig(args) => bench_gig::gig(args, clock).await,
            bench::BenchCommand::Cluster(args) => bench_cluster::cluster(args, clock).await,
        },
        Command::Policy { command: policy_cli::PolicyCommand::Simulate(args) } => {
            let on_file = policy_cli::simulate(&args, &store).await?;
            let population = policy_cli::simulate_population(&args, &store, clock.now()).await?;
            let report = serde_json::json!({
                "claims_on_file": on_file,
                "population": population.as_ref().ok(),
                "population_not_simulated": population.as_ref().err(),
            });
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Policy { .. } => Ok(()),
        // Batch commands keep no index of their own (the server holds the on-disk index's
        // lock): they read the store, and their writes reach the server through the change log.
        Command::Batch { command: batch::BatchCommand::Recommend(args) } => {
            let index = Arc::new(jiuye_search::SearchIndex::in_memory()?);
            let state = AppState::new(store, cfg.vault()?, index, clock, false);
            cfg.refuse_local_casework_rules()?;
            state.core().load_casework_rules().await?;
            batch::recommend(&state, &args).await.map(|_| ())
        }
        Command::Batch { command: batch::BatchCommand::Screen(args) } => {
            let index = Arc::new(jiuye_search::SearchIndex::in_memory()?);
            let state = AppState::new(store, cfg.vault()?, index, clock, false);
            batch::screen(&state, &args).await.map(|_| ())
        }
        Command::Casework { command } => {
            let index = Arc::new(jiuye_search::SearchIndex::in_memory()?);
            let state = AppState::new(store, cfg.vault()?, index, clock, false);
            casework_cli(&state, command).await
        }
        Command::Index { command: IndexCommand::Rebuild } => {
            let state = AppState::new(store, cfg.vault()?, cfg.open_index()?.0, clock, false);
            let started = std::time::Instant::now();
            let n = jiuye_web::search_sync::rebuild(&state).await?;
            println!("search index rebuilt: {n} open vacancies in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { username, role, district, name, organisation, password } } => {
            let vault = cfg.vault()?;
            let index = Arc::new(jiuye_search::SearchIndex::in_memory()?);
            let state = AppState::new(store, vault, index, clock, false);
            // The command line acts as the platform itself: city-wide, and its audit rows name
            // no account.
            let actor = jiuye_core::Actor::system();
            let input = jiuye_web::api::accounts::AccountIn {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                role,
                district,
                organisation,
                password,
            };
            match jiuye_web::api::accounts::create_staff(&state, &actor, &input).await {
                Ok(a) => {
                    println!("created {} account {} ({})", a.role, a.username.unwrap_or_default(), a.id);
                    Ok(())
                }
                Err(e) => {
                    let b = e.body();
                    anyhow::bail!("{}: {} / {}", b.code, b.message, b.message_en)
                }
            }
        }
        Command::Serve {
            listen,
            demo: with_demo,
            secure_cookies,
            four_eyes_exempt,
            metrics_token,
            metrics_no_loopback,
            trusted_proxy,
        } => {
            let proxies = jiuye_web::proxy::TrustedProxies::parse(&trusted_proxy).map_err(anyhow::Error::msg)?;
            let exempt: Vec<String> =
                four_eyes_exempt.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
            if let Some(bad) = exempt.iter().find(|l| !jiuye_policy::BudgetLine::ALL.iter().any(|b| b.as_str() == *l)) {
                anyhow::bail!("--four-eyes-exempt: {bad:?} is not a budget line (central, local, other)");
            }
            // A broken policy catalogue stops the server before it serves anything.
            let catalogue = policy_cli::load(&policy_cli::Source::default())?;
            tracing::info!(policies = catalogue.policies.len(), "policy catalogue checked");
            let vault = cfg.vault()?;
            if with_demo {
                demo::fill_if_empty(&store, &vault, clock.as_ref()).await?;
            }
            let (index, _) = cfg.open_index()?;
            cfg.refuse_local_casework_rules()?;
            let mut state =
                AppState::new(store, vault, index, clock, secure_cookies).with_snapshot_dir(cfg.data.join("feed"));
            let version = state.core().load_casework_rules().await?;
            tracing::info!(version, "casework rules in force");
            if !exempt.is_empty() {
                tracing::warn!(?exempt, "four eyes off for these budget lines");
            }
            state.four_eyes = Arc::new(jiuye_core::FourEyes { exempt_lines: exempt });
            let token = metrics_token.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            if token.as_ref().is_some_and(|t| t.len() < 16) {
                anyhow::bail!("--metrics-token must have at least 16 characters");
            }
            state.metrics = Arc::new(jiuye_web::ops::MetricsAccess { loopback: !metrics_no_loopback, token });
            state.proxies = Arc::new(proxies);
            // The tail started by `serve` indexes this instance's writes too.
            state.defer_index = true;
            serve(state, listen).await
        }
    }
}

/// `jiuye casework …`: the command line acts as the platform itself (a city administrator whose
/// audit rows name no account).
async fn casework_cli(state: &AppState, command: CaseworkCommand) -> anyhow::Result<()> {
    let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), state.clock.now());
    match command {
        CaseworkCommand::Publish { file, note } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            match state.core().publish_casework_rules(&ctx, &text, &note).await {
                Ok(v) => {
                    println!("casework rules version {v} published from {}", file.display());
                    Ok(())
                }
                Err(jiuye_core::CoreError::Invalid(problems)) => {
                    let lines: Vec<String> = problems
                        .iter()
                        .map(|p| {
                            let detail = p.args.iter().find(|(k, _)| *k == "detail").map(|(_, v)| v.as_str());
                            format!("{}: {}", p.message_en(), detail.unwrap_or_default())
                        })
                        .collect();
                    anyhow::bail!("{} was not published:\n{}", file.display(), lines.join("\n"))
                }
                Err(e) => Err(e.into()),
            }
        }
        CaseworkCommand::Versions => {
            let (shown, versions) = state.core().casework_rules(&ctx).await?;
            println!("in force: version {}", shown.version);
            for v in versions {
                println!("version {}  {}  {}", v.version, v.published_at.format("%Y-%m-%d %H:%M"), v.note);
            }
            println!("version 1  (embedded)");
            Ok(())
        }
    }
}

async fn serve(state: AppState, listen: SocketAddr) -> anyhow::Result<()> {
    let store = state.store.clone();
    let clock = state.clock.clone();
    // The index lives beside the database and holds the change-log position it reflects:
    // catch up from there (a crash between a write and its index update is repaired here), or
    // rebuild when it has none (first start, another index version) or a bulk load happened.
    jiuye_web::search_sync::sweep(&state).await?;
    let started = std::time::Instant::now();
    match jiuye_web::search_sync::start(&state).await? {
        jiuye_web::search_sync::CaughtUp::Rebuilt(n) => {
            println!("search index rebuilt: {n} open vacancies in {:.1} s", started.elapsed().as_secs_f64());
        }
        jiuye_web::search_sync::CaughtUp::Applied(n) => {
            println!("search index caught up: {n} changes in {:.1} s", started.elapsed().as_secs_f64());
        }
        jiuye_web::search_sync::CaughtUp::Nothing => {}
    }
    // The feed's snapshot is made ahead of its first reader.
    {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = jiuye_web::api::feed::prepare_snapshot(&state).await {
                tracing::warn!(?e, "preparing the feed snapshot failed");
            }
        });
    }
    // Tail the change log: writes made by other processes (batch commands, other instances)
    // reach this instance's index and pool as soon as their commit wakes it (PostgreSQL) or
    // within a quarter of a second (polled). `/readyz` reports how far behind the index is.
    let tail = tokio::spawn(jiuye_web::search_sync::tail(state.clone()));
    // The dashboard's projection: recount the days changes have marked, every two seconds (one
    // instance at a time; the others wait for it, then find nothing waiting).
    tokio::spawn(keep_kpi(store.clone(), state.clock.clone()));
    // Expiry sweep: write down vacancies past their close date, and drop dead sessions.
    let sweeper = {
        let state = state.clone();
        let store = store.clone();
        let clock = clock.clone();
        tokio::spawn(async move {
            let mut tiers_refreshed_on = None;
            loop {
                // Tiers move with time (months unemployed, age): recompute them once a day.
                let today = clock.today();
                // Once a day for all instances: the first to claim the day does it.
                if tiers_refreshed_on != Some(today) {
                    match store.claim_run("tiers", &today.to_string(), clock.now()).await {
                        Ok(false) => tiers_refreshed_on = Some(today),
                        Ok(true) => match store.refresh_tiers(&state.casework(), today, clock.now()).await {
                            Ok(n) => {
                                tiers_refreshed_on = Some(today);
                                if n > 0 {
                                    tracing::info!(changed = n, "tiers refreshed");
                                }
                            }
                            Err(e) => tracing::warn!(%e, "tier refresh failed"),
                        },
                        Err(e) => tracing::warn!(%e, "tier refresh not claimed"),
                    }
                }
                match jiuye_web::search_sync::sweep(&state).await {
                    Ok(n) if n > 0 => tracing::info!(expired = n, "vacancies expired"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(%e, "expiry sweep failed"),
                }
                if let Err(e) = store.purge_expired_sessions(clock.now()).await {
                    tracing::warn!(%e, "session purge failed");
                }
                tokio::time::sleep(std::time::Duration::from_secs(jiuye_web::search_sync::SWEEP_MINUTES as u64 * 60))
                    .await;
            }
        })
    };
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    println!("jiuye is serving on http://{addr}/ ({} database)", store.backend_name());
    axum::serve(listener, jiuye_web::app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    sweeper.abort();
    tail.abort();
    Ok(())
}

/// The dashboard's refresher: a pass every two seconds, a new one at once while passes find work.
/// Reads answer from the projection as of the last pass's start (see `jiuye_store::kpi`).
pub(crate) async fn keep_kpi(store: jiuye_store::Store, clock: Arc<dyn jiuye_web::Clock>) {
    loop {
        match store.keep_kpi(clock.now()).await {
            Ok(0) => tokio::time::sleep(std::time::Duration::from_secs(2)).await,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(%e, "recounting the dashboard's days failed");
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
            }
        }
    }
}
