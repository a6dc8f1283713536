//! The one path that keeps the search index in step with the store: every vacancy write goes
//! through [`vacancy_written`]; the expiry sweep through [`sweep`]; a start or `jiuye index
//! rebuild` through [`rebuild`].

use jiuye_domain::records::Vacancy;

use crate::AppState;

/// After a vacancy was created, changed or changed status: put it in the index or take it out.
/// An index failure is logged and does not undo the write: the store is the truth and the
/// next rebuild repairs the index.
pub fn vacancy_written(state: &AppState, v: &Vacancy) {
    if let Err(e) = state.search.upsert(v, state.clock.today()) {
        tracing::error!(%e, vacancy = %v.id, "search index update failed");
    }
}

/// Write down expiries in the store and drop them from the index.
pub async fn sweep(state: &AppState) -> Result<u64, jiuye_store::StoreError> {
    let today = state.clock.today();
    let n = state.store.expire_due_vacancies(today, state.clock.now()).await?;
    if let Err(e) = state.search.purge_expired(today) {
        tracing::error!(%e, "search index purge failed");
    }
    Ok(n)
}

/// Rebuild the index from the store's open vacancies, in batches. Returns how many.
pub async fn rebuild(state: &AppState) -> anyhow::Result<u64> {
    let today = state.clock.today();
    state.search.rebuild(std::iter::empty(), today)?;
    let mut after = None;
    let mut n = 0u64;
    loop {
        let batch = state.store.open_vacancies_batch(today, after, 5_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        state.search.add_batch(&batch, today)?;
        n += batch.len() as u64;
    }
    Ok(n)
}
