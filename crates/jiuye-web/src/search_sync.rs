//! The one path that keeps the search index in step with the store: every vacancy write goes
//! through [`vacancy_written`]; the expiry sweep through [`sweep`]; a start or `jiuye index
//! rebuild` through [`rebuild`]. The matcher's pool of open jobs follows the same path.

use jiuye_domain::records::Vacancy;

use crate::AppState;

/// After a vacancy was created, changed or changed status: put it in the index or take it out.
/// An index failure is logged and does not undo the write: the store is the truth and the
/// next rebuild repairs the index.
pub fn vacancy_written(state: &AppState, v: &Vacancy) {
    let today = state.clock.today();
    if let Err(e) = state.search.upsert(v, today) {
        tracing::error!(%e, vacancy = %v.id, "search index update failed");
    }
    if let Ok(mut jobs) = state.jobs.write() {
        jobs.retain(|j| j.id != v.id);
        let job = jiuye_match::Job::of(v, today);
        if job.open {
            jobs.push(job);
        }
    }
}

/// Housekeeping by the clock: write down expired vacancies and drop them from the index, and
/// close applications the employer has left unanswered for 60 days.
pub async fn sweep(state: &AppState) -> Result<u64, jiuye_store::StoreError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let cutoff = now - chrono::Duration::days(jiuye_domain::records::application::STALE_AFTER_DAYS);
    let closed = state.store.close_stale_applications(cutoff, now).await?;
    if closed > 0 {
        tracing::info!(closed, "stale applications closed");
    }
    let n = state.store.expire_due_vacancies(today, now).await?;
    if let Err(e) = state.search.purge_expired(today) {
        tracing::error!(%e, "search index purge failed");
    }
    if let Ok(mut jobs) = state.jobs.write() {
        jobs.retain(|j| j.closes_on >= today);
    }
    Ok(n)
}

/// Rebuild the index from the store's open vacancies, in batches. Returns how many.
pub async fn rebuild(state: &AppState) -> anyhow::Result<u64> {
    let today = state.clock.today();
    state.search.rebuild(std::iter::empty(), today)?;
    let mut after = None;
    let mut n = 0u64;
    let mut jobs = Vec::new();
    loop {
        let batch = state.store.open_vacancies_batch(today, after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        state.search.add_batch(&batch, today)?;
        jobs.extend(batch.iter().map(|v| jiuye_match::Job::of(v, today)).filter(|j| j.open));
        n += batch.len() as u64;
    }
    if let Ok(mut pool) = state.jobs.write() {
        *pool = jobs;
    }
    Ok(n)
}

/// Fill the matcher's pool from the store, leaving the index as it is (a start with an index
/// that is already in step).
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
        *pool = jobs;
    }
    Ok(n)
}
