//! `jiuye bench screen`: `batch screen` itself over a province's persons, read from the store —
//! the first run (everyone told what they may claim), the same day again and the next day
//! (only changes written) — beside the old way of reading persons (whole records, pages of
//! 100), timed in the same run.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use clap::Args;

use jiuye_sim::{Generator, SimConfig};
use jiuye_store::{AuditEntry, PageRequest, PersonFilter, Store};
use jiuye_web::{AppState, Clock};

use crate::batch::{ScreenArgs, screen};

#[derive(Args)]
pub struct ScreenBenchArgs {
    /// Persons in the store.
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Persons the baseline reads the old way (whole records, pages of 100).
    #[arg(long, default_value_t = 200_000)]
    baseline_persons: usize,
    /// SQLite's page cache in MiB: a load keeps every index's pages in it (about 6 GiB at
    /// 10,000,000 persons), or slows as random keys miss it.
    #[arg(long, default_value_t = 6144)]
    sqlite_cache_mib: u32,
    /// PostgreSQL server (a fresh database is created on it) instead of a SQLite file.
    #[arg(long, default_value = "")]
    pg_url: String,
}

pub async fn screen_bench(args: ScreenBenchArgs, data: PathBuf, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    // The plan runs 2023–2025: screen as of a day every policy is in force.
    let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_else(|| clock.today());
    let mut served_url = None;
    let (backend, store) = if args.pg_url.trim().is_empty() {
        std::fs::create_dir_all(&data)?;
        let file = data.join("bench-screen.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(PathBuf::from(format!("{}{suffix}", file.display())));
        }
        // Loaded through one connection, so its page cache survives from one batch to the next;
        // screened through the pool every instance has.
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let options = jiuye_store::StoreOptions { sqlite_cache_mib: args.sqlite_cache_mib, max_connections: Some(1) };
        let loader = Store::connect_with(&url, &options).await?;
        served_url = Some(url);
        ("sqlite", loader)
    } else {
        let pg = jiuye_store::testing::fresh_postgres_at(&args.pg_url)
            .await
            .map_err(|e| anyhow::anyhow!("PostgreSQL at the bench URL: {e}"))?;
        ("postgres", pg)
    };
    store.migrate().await?;
    println!("bench screen: {} persons on {backend}, as of {day}", args.persons);
    let vault = jiuye_store::IdVault::new(&[5u8; 32])?;
    let (who, now) = (AuditEntry::system(), clock.now());
    let t = Instant::now();
    let mut g = Generator::new(SimConfig { seed: 11, persons: args.persons, employers: 0, vacancies: 0, today: day });
    while let Some(batch) = g.next_persons(10_000) {
        store.bulk_insert_persons(&batch, &vault, &who, now).await?;
    }
    let state =
        AppState::new(store, vault.clone(), Arc::new(jiuye_search::SearchIndex::in_memory()?), clock.clone(), false);
    for p in &state.policies.policies {
        state.store.publish_policy(&p.key(), &who, now).await?;
    }
    state.store.settle_after_bulk_load().await?;
    let state = match &served_url {
        Some(url) => {
            drop(state);
            AppState::new(
                Store::connect(url).await?,
                vault,
                Arc::new(jiuye_search::SearchIndex::in_memory()?),
                clock.clone(),
                false,
            )
        }
        None => state,
    };
    println!(
        "loaded {} persons and published {} policies in {:.1} s",
        args.persons,
        state.policies.policies.len(),
        t.elapsed().as_secs_f64()
    );

    // The baseline: persons read as screening read them before (whole records, pages of 100).
    let t = Instant::now();
    let (mut read, mut after) = (0usize, None);
    while read < args.baseline_persons {
        let page = state.store.list_persons(&PersonFilter::default(), PageRequest::new(after, Some(100))).await?;
        read += page.items.len();
        match page.next_cursor.as_deref().and_then(jiuye_store::Cursor::parse) {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    let per_us = t.elapsed().as_secs_f64() * 1e6 / read.max(1) as f64;
    let baseline_s = per_us * args.persons as f64 / 1e6;
    println!(
        "baseline: reading {read} persons the old way took {per_us:.2} µs a person — {baseline_s:.1} s for {} (reading alone)",
        args.persons
    );

    let mut runs = Vec::new();
    for (label, on) in [("first", day), ("again", day), ("next_day", day + Duration::days(1))] {
        let t = Instant::now();
        let found = screen(&state, &ScreenArgs { day: Some(on) }).await?;
        let s = t.elapsed().as_secs_f64();
        anyhow::ensure!(found.persons == args.persons, "screened {} of {}", found.persons, args.persons);
        println!(
            "batch screen ({label}, {on}): {s:.2} s — {} persons, {} left out unchanged by the database, {} eligible and {} possibly eligible among the rest, {} messages written",
            found.persons, found.unchanged, found.eligible, found.undetermined, found.notified
        );
        runs.push((label, s, found.notified));
    }
    let (first, again, next) = (runs[0], runs[1], runs[2]);
    anyhow::ensure!(again.2 == 0, "the same day again wrote {} messages", again.2);
    println!(
        "bench=screen backend={backend} persons={} first_s={:.2} first_messages={} again_s={:.2} next_day_s={:.2} next_day_messages={} baseline_read_s={baseline_s:.1}",
        args.persons, first.1, first.2, again.1, next.1, next.2
    );
    Ok(())
}
