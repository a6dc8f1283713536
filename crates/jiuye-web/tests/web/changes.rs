//! The change log keeps derived state in step: a write committed to the store but never
//! applied to the index (the process died in between) is repaired when the index catches up
//! from the position it committed with its documents — on SQLite and PostgreSQL.

use std::sync::Arc;

use jiuye_search::{SearchIndex, SearchQuery};
use jiuye_store::AuditEntry;
use jiuye_web::search_sync::{CaughtUp, catch_up, start};
use jiuye_web::{AppState, Clock, ManualClock};

fn state_on(store: &jiuye_store::Store, dir: &std::path::Path, clock: Arc<ManualClock>) -> AppState {
    let (index, _) = SearchIndex::open_or_create(dir).unwrap_or_else(|e| panic!("index: {e}"));
    let vault = jiuye_store::IdVault::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    AppState::new(store.clone(), vault, Arc::new(index), clock, false)
}

fn titled(state: &AppState, title: &str) -> Vec<uuid::Uuid> {
    let q = SearchQuery { text: Some(title.to_string()), limit: 50, ..SearchQuery::default() };
    state.search.search(&q, state.clock.today()).unwrap_or_default().hits.into_iter().map(|h| h.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_catches_up_after_a_crash() {
    let stores = jiuye_store::testing::fresh_stores().await.unwrap_or_else(|e| panic!("{e}"));
    for (b, store) in stores {
        let dir = std::env::temp_dir().join(format!("jiuye-index-{}", uuid::Uuid::new_v4().simple()));
        let clock = Arc::new(ManualClock::new(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 26, 2, 0, 0).single().unwrap_or_default(),
        ));
        let who = AuditEntry::system();
        let mut generator = jiuye_sim::Generator::new(jiuye_sim::SimConfig {
            seed: 11,
            persons: 0,
            employers: 3,
            vacancies: 40,
            today: crate::support::today(),
        });
        let employers = generator.employers();
        let vacancies = generator.vacancies(&employers);
        let mut employer_ids = Vec::new();
        for e in &employers {
            employer_ids
                .push(store.create_employer(e, None, &who, clock.now()).await.unwrap_or_else(|e| panic!("{e}")).0.id);
        }
        let mut ids = Vec::new();
        for (i, v) in &vacancies {
            let created =
                store.create_vacancy(employer_ids[*i], v, &who, clock.now()).await.unwrap_or_else(|e| panic!("{e}"));
            ids.push((created.id, v.clone()));
        }
        let state = state_on(&store, &dir, clock.clone());
        let first = catch_up(&state).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        assert!(matches!(first, CaughtUp::Rebuilt(_)), "{b}: a new index is built from the store: {first:?}");
        let open = store.count_open_vacancies(clock.today()).await.unwrap_or_default();
        assert_eq!(state.search.len(), open, "{b}");
        // 17 titles change in the store; the process dies before the index hears of it.
        let mut changed = Vec::new();
        for (n, (id, draft)) in ids.iter().take(17).enumerate() {
            let mut d = draft.clone();
            d.title = format!("崩溃测试岗位{n}号");
            store.update_vacancy(*id, &d, &who, clock.now()).await.unwrap_or_else(|e| panic!("{b}: {e}"));
            changed.push(*id);
        }
        assert!(titled(&state, "崩溃测试岗位").is_empty(), "{b}: the index is stale, as after a kill");
        drop(state);
        // Restart: the index reopens from disk and catches up from its own position.
        let state = state_on(&store, &dir, clock.clone());
        let again = start(&state).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(again, CaughtUp::Applied(17), "{b}");
        let mut found = titled(&state, "崩溃测试岗位");
        found.sort();
        changed.sort();
        let open_changed: Vec<uuid::Uuid> = {
            let vs = store.vacancies_by_ids(&changed).await.unwrap_or_default();
            let mut v: Vec<uuid::Uuid> = vs
                .iter()
                .filter(|v| v.closes_on >= clock.today() && v.opens_on <= clock.today())
                .map(|v| v.id)
                .collect();
            v.sort();
            v
        };
        assert_eq!(found, open_changed, "{b}: the index holds what the store holds");
        assert_eq!(state.search.len(), store.count_open_vacancies(clock.today()).await.unwrap_or_default(), "{b}");
        // Nothing new: nothing applied; the pool holds the same open vacancies.
        assert_eq!(catch_up(&state).await.unwrap_or_else(|e| panic!("{e}")), CaughtUp::Nothing, "{b}");
        let pool_len = state.jobs.read().map(|p| p.len()).unwrap_or_default();
        assert_eq!(pool_len as u64, state.search.len(), "{b}: the job pool follows the same log");
        drop(state);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
