//! The one path that keeps derived state — the search index, the matcher's job pool and its
//! gig workers — in step with the store. The store's change log is the record: every vacancy write leaves a row
//! in the same transaction, and [`catch_up`] applies the rows after the position the index has
//! committed with its documents, so a crash between a write and its index update is repaired at
//! the next start (or by the [`tail`] while serving). Outside a served instance a write is also
//! applied at once in its own request ([`vacancy_written`]); a served instance leaves its own
//! writes to its tail too. The log may bring a change already applied, and applying a change
//! twice is harmless (the record is read again).

use std::collections::HashSet;

use uuid::Uuid;

use jiuye_domain::records::Vacancy;

use crate::AppState;

/// After a vacancy was created, changed or changed status: put it in the index or take it out.
/// An index failure is logged and does not undo the write: the store is the truth and the
/// change log repairs the index.
///
/// A served instance ([`AppState::defer_index`]) leaves the index to its tail, woken at once: the
/// write is searchable here within [`MIN_GAP`], and a burst of writes costs one index commit per
/// gap instead of one per write (each commit builds a segment — see BENCHMARKS.md).
pub fn vacancy_written(state: &AppState, v: &Vacancy) {
    let today = state.clock.today();
    if state.defer_index {
        state.index_wake.notify_one();
    } else if let Err(e) = state.search.upsert(v, today) {
        tracing::error!(%e, vacancy = %v.id, "search index update failed");
    }
    if let Ok(mut pool) = state.jobs.write() {
        pool.upsert(jiuye_match::Job::of(v, today));
    }
}

/// How long the change log keeps its rows. A reader (an instance's index) stopped for longer
/// rebuilds from the store when it starts.
pub const CHANGES_KEPT_DAYS: i64 = 14;

/// How often the sweep runs; the store's part runs once per slot of this length, on whichever
/// instance claims it first.
pub const SWEEP_MINUTES: i64 = 10;

/// Housekeeping by the clock: write down expired vacancies, close applications the employer
/// has left unanswered for 60 days, warn of wage-arrears deadlines, prune the change log and old counters — once per slot for
/// all instances — and drop expired vacancies from this instance's index and pool.
pub async fn sweep(state: &AppState) -> Result<u64, jiuye_store::StoreError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let slot = now.timestamp().div_euclid(SWEEP_MINUTES * 60).to_string();
    let mut n = 0;
    if state.store.claim_run("sweep", &slot, now).await? {
        let cutoff = now - chrono::Duration::days(jiuye_domain::records::application::STALE_AFTER_DAYS);
        let closed = state.store.close_stale_applications(cutoff, now).await?;
        if closed > 0 {
            tracing::info!(closed, "stale applications closed");
        }
        n = state.store.expire_due_vacancies(today, now).await?;
        let pruned = state.store.prune_changes(now - chrono::Duration::days(CHANGES_KEPT_DAYS), now).await?;
        if pruned > 0 {
            tracing::info!(pruned, "change log pruned");
        }
        state.store.prune_address_attempts(now - chrono::Duration::minutes(10)).await?;
        // Wage-arrears deadlines within the warning: each warned of once, counted per district.
        let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), now);
        match state.core().sweep_labour_deadlines(&ctx).await {
            Ok(digests) => {
                let warned: u64 = digests.iter().map(|d| d.warned).sum();
                if warned > 0 {
                    tracing::info!(warned, "arrears deadlines warned of");
                }
            }
            Err(e) => tracing::error!(%e, "arrears deadline sweep failed"),
        }
        state.store.prune_job_runs(now - chrono::Duration::days(CHANGES_KEPT_DAYS)).await?;
    }
    if let Err(e) = state.search.purge_expired(today) {
        tracing::error!(%e, "search index purge failed");
    }
    if let Ok(mut pool) = state.jobs.write() {
        pool.retain_open_on(today);
    }
    // The records a worker's priority reads are dated: read them again on a new day.
    let loaded = state.gig_pool_day.lock().map(|d| *d).unwrap_or_default();
    if loaded.is_some_and(|d| d != today)
        && let Err(e) = load_gig_workers(state).await
    {
        tracing::error!(%e, "gig pool reload failed");
    }
    Ok(n)
}

/// Rebuild the index and the pool from the store's open vacancies, in batches, and record the
/// change-log position taken before reading (changes during the rebuild are applied after it).
pub async fn rebuild(state: &AppState) -> anyhow::Result<u64> {
    let today = state.clock.today();
    let position = state.store.change_position().await?;
    state.search.start_load()?;
    state.search.rebuild(std::iter::empty(), today)?;
    let mut after = None;
    let mut n = 0u64;
    let mut jobs = Vec::new();
    loop {
        let batch = state.store.open_vacancies_batch(today, after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        state.search.stage_batch(&batch, today)?;
        jobs.extend(batch.iter().map(|v| jiuye_match::Job::of(v, today)).filter(|j| j.open));
        n += batch.len() as u64;
    }
    state.search.apply_changes(&[], &[], today, position)?;
    let search = state.search.clone();
    tokio::task::spawn_blocking(move || search.finish_load()).await??;
    if let Ok(mut pool) = state.jobs.write() {
        *pool = jiuye_match::JobPool::new(jobs);
    }
    load_gig_workers(state).await?;
    Ok(n)
}

/// Fill the gig matcher's pool from the store: every profile, with the records of today.
pub async fn load_gig_workers(state: &AppState) -> anyhow::Result<usize> {
    let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), state.clock.now());
    let n = state.core().load_gig_workers(&ctx).await?;
    if let Ok(mut day) = state.gig_pool_day.lock() {
        *day = Some(ctx.today);
    }
    Ok(n)
}

/// Apply the gig workers' share of a batch of changes: profiles and check-ins, bookings (the
/// worker's waiting starts again) and persons' and households' records (their priority) re-read
/// one worker at a time; a bulk load of profiles reloads the pool.
async fn apply_gig_changes(state: &AppState, changes: &[jiuye_store::Change]) -> anyhow::Result<()> {
    if changes.iter().any(|c| c.entity == "gig_worker" && c.reset) {
        load_gig_workers(state).await?;
        return Ok(());
    }
    let today = state.clock.today();
    let mut members = Vec::new();
    for c in changes.iter().filter(|c| c.entity == "household") {
        if let Ok(h) = state.store.household_by_id(c.entity_id, today).await {
            members.extend(h.members.into_iter().map(|m| m.person_id));
        }
    }
    let mut persons: Vec<Uuid> = Vec::new();
    {
        let pool = state.gig_pool.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        for c in changes {
            match c.entity.as_str() {
                "gig_worker" => persons.push(c.entity_id),
                // Only persons with a profile: the casework of everyone else is no concern here.
                "person" if pool.get(&c.entity_id).is_some() => persons.push(c.entity_id),
                _ => {}
            }
        }
        persons.extend(members.into_iter().filter(|p| pool.get(p).is_some()));
    }
    for c in changes.iter().filter(|c| c.entity == "gig_booking") {
        if let Ok(b) = state.store.gig_booking_by_id(c.entity_id).await {
            persons.push(b.person_id);
        }
    }
    if persons.is_empty() {
        return Ok(());
    }
    persons.sort_unstable();
    persons.dedup();
    let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), state.clock.now());
    state.core().refresh_gig_workers(&ctx, &persons).await?;
    Ok(())
}

/// Fill the matcher's pool from the store, leaving the index as it is.
pub async fn load_jobs(state: &AppState) -> anyhow::Result<u64> {
    let today = state.clock.today();
    let mut after = None;
    let mut jobs = Vec::new();
    loop {
        let batch = state.store.open_vacancies_batch(today, after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        jobs.extend(batch.iter().map(|v| jiuye_match::Job::of(v, today)).filter(|j| j.open));
    }
    let n = jobs.len() as u64;
    if let Ok(mut pool) = state.jobs.write() {
        *pool = jiuye_match::JobPool::new(jobs);
    }
    Ok(n)
}

/// What a catch-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaughtUp {
    /// Applied this many changes (0: nothing new).
    #[default]
    Nothing,
    Applied(usize),
    /// The index had no position, or the log asked for it (a bulk load): rebuilt.
    Rebuilt(u64),
}

/// The kinds of record the index and the pool show: vacancies, and employers (whose names
/// show on their vacancies).
fn indexed(entity: &str) -> bool {
    matches!(entity, "vacancy" | "employer")
}

/// Apply the change log after the index's position: re-read every changed vacancy (and every
/// vacancy of a changed employer), put the open ones in the index and the pool and take the
/// others out, and commit the new position with the documents. An index that never recorded a
/// position, a bulk load, or a position older than what the log still holds: rebuilt.
pub async fn catch_up(state: &AppState) -> anyhow::Result<CaughtUp> {
    let Some(position) = state.search.position() else {
        return Ok(CaughtUp::Rebuilt(rebuild(state).await?));
    };
    let batch = state.store.changes_after(position).await?;
    if batch.behind || batch.changes.iter().any(|c| c.entity == jiuye_store::repo::casework_rules::CHANGE_ENTITY) {
        state.core().load_casework_rules().await?;
    }
    if batch.behind || batch.changes.iter().any(|c| c.reset && indexed(&c.entity)) {
        return Ok(CaughtUp::Rebuilt(rebuild(state).await?));
    }
    apply_gig_changes(state, &batch.changes).await?;
    let mut ids: Vec<Uuid> = batch.changes.iter().filter(|c| c.entity == "vacancy").map(|c| c.entity_id).collect();
    let employers: Vec<Uuid> = batch.changes.iter().filter(|c| c.entity == "employer").map(|c| c.entity_id).collect();
    if !employers.is_empty() {
        ids.extend(state.store.vacancy_ids_of_employers(&employers).await?);
    }
    if ids.is_empty() {
        if batch.next != position {
            state.search.apply_changes(&[], &[], state.clock.today(), batch.next)?;
        }
        return Ok(CaughtUp::Nothing);
    }
    let today = state.clock.today();
    ids.sort_unstable();
    ids.dedup();
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1_000) {
        found.extend(state.store.vacancies_by_ids(chunk).await?);
    }
    let present: HashSet<Uuid> = found.iter().map(|v| v.id).collect();
    let gone: Vec<Uuid> = ids.iter().filter(|id| !present.contains(id)).copied().collect();
    state.search.apply_changes(&found, &gone, today, batch.next)?;
    if let Ok(mut pool) = state.jobs.write() {
        for v in &found {
            pool.upsert(jiuye_match::Job::of(v, today));
        }
        for id in &gone {
            pool.remove(id);
        }
    }
    Ok(CaughtUp::Applied(ids.len()))
}

/// Bring derived state in step at start: the pool from the store, the index from its own
/// position in the change log (or rebuilt when it has none).
pub async fn start(state: &AppState) -> anyhow::Result<CaughtUp> {
    if state.search.position().is_some() {
        load_jobs(state).await?;
        load_gig_workers(state).await?;
    }
    catch_up(state).await
}

/// How often the log is read when nothing wakes the reader earlier (SQLite; and PostgreSQL
/// after a missed notification).
pub const POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// The least time between two reads of the log that commit to the index: each commit costs a
/// segment and a reader reload, so under a burst of writes the changes of this gap are applied
/// together (at most ten commits a second) instead of one commit per write.
pub const MIN_GAP: std::time::Duration = std::time::Duration::from_millis(100);

/// Tail the change log for as long as the instance serves: read it when another writer's commit
/// wakes this instance (PostgreSQL's `NOTIFY`) or a write of its own does, and every [`POLL`]
/// otherwise, at most once per
/// [`MIN_GAP`]. A woken read that finds changes waiting behind an older transaction still
/// running reads again shortly rather than at the next poll.
pub async fn tail(state: AppState) {
    let wake = state.store.listen_for_changes();
    let mut last = std::time::Instant::now();
    loop {
        let local = state.index_wake.notified();
        match &wake {
            Some(w) => {
                let _ = tokio::time::timeout(POLL, async {
                    tokio::select! {
                        () = w.notified() => {}
                        () = local => {}
                    }
                })
                .await;
            }
            None => {
                let _ = tokio::time::timeout(POLL, local).await;
            }
        }
        if let Some(rest) = MIN_GAP.checked_sub(last.elapsed()) {
            tokio::time::sleep(rest).await;
        }
        let started = std::time::Instant::now();
        loop {
            last = std::time::Instant::now();
            if let Err(e) = catch_up(&state).await {
                tracing::warn!(%e, "change-log catch-up failed");
                break;
            }
            if wake.is_none() || started.elapsed() >= POLL || !state.store.changes_pending().await.unwrap_or(false) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}
