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

/// The vacancies holding every word of `title` (a search relaxed to partial matches says how
/// many hold them all, and ranks those first).
fn titled(state: &AppState, title: &str) -> Vec<uuid::Uuid> {
    let q = SearchQuery { text: Some(title.to_string()), limit: 50, ..SearchQuery::default() };
    let r = state.search.search(&q, state.clock.today()).unwrap_or_default();
    // Only what holds every word: not partial matches, nor results with unknown words left out.
    let all_words = if r.understood.ignored.is_empty() {
        r.understood.relaxed.as_ref().map_or(r.hits.len(), |x| x.all_words)
    } else {
        0
    };
    r.hits.into_iter().take(all_words).map(|h| h.id).collect()
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
        jiuye_store::testing::changes_settled(&store).await;
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
        jiuye_store::testing::changes_settled(&store).await;
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
        jiuye_store::testing::changes_settled(&store).await;
        assert_eq!(catch_up(&state).await.unwrap_or_else(|e| panic!("{e}")), CaughtUp::Nothing, "{b}");
        let pool_len = state.jobs.read().map(|p| p.len()).unwrap_or_default();
        assert_eq!(pool_len as u64, state.search.len(), "{b}: the job pool follows the same log");

        // An employer renamed: its name shows on its vacancies, so they follow the change.
        let mut renamed = employers[0].clone();
        renamed.name = "鹭岛改名测试有限公司".into();
        store.update_employer(employer_ids[0], &renamed, &who, clock.now()).await.unwrap_or_else(|e| panic!("{e}"));
        let of_employer: Vec<uuid::Uuid> = {
            let vs =
                store.vacancies_by_ids(&ids.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await.unwrap_or_default();
            let mut v: Vec<uuid::Uuid> = vs
                .iter()
                .filter(|v| {
                    v.employer_id == employer_ids[0] && v.closes_on >= clock.today() && v.opens_on <= clock.today()
                })
                .map(|v| v.id)
                .collect();
            v.sort();
            v
        };
        assert!(!of_employer.is_empty(), "{b}: the renamed employer has open vacancies");
        assert!(titled(&state, "鹭岛改名测试").is_empty(), "{b}: not before the catch-up");
        jiuye_store::testing::changes_settled(&store).await;
        assert!(matches!(catch_up(&state).await.unwrap_or_else(|e| panic!("{e}")), CaughtUp::Applied(_)), "{b}");
        let mut by_name = titled(&state, "鹭岛改名测试");
        by_name.sort();
        assert_eq!(by_name, of_employer, "{b}: every open vacancy of the employer carries its new name");

        // The instance stops; a title changes; the log is pruned past the index's position.
        drop(state);
        let (id, draft) = &ids[20];
        let mut d = draft.clone();
        d.title = "修剪之后的岗位".into();
        store.update_vacancy(*id, &d, &who, clock.now()).await.unwrap_or_else(|e| panic!("{e}"));
        let now = clock.now();
        let pruned =
            store.prune_changes(now + chrono::Duration::seconds(1), now).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(pruned > 0, "{b}: rows pruned");
        let state = state_on(&store, &dir, clock.clone());
        jiuye_store::testing::changes_settled(&store).await;
        let restarted = start(&state).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        assert!(matches!(restarted, CaughtUp::Rebuilt(_)), "{b}: too far behind the log: rebuilt, got {restarted:?}");
        let open = store.vacancies_by_ids(&[*id]).await.unwrap_or_default();
        let want: Vec<uuid::Uuid> =
            open.iter().filter(|v| v.closes_on >= clock.today() && v.opens_on <= clock.today()).map(|v| v.id).collect();
        assert_eq!(titled(&state, "修剪之后的岗位"), want, "{b}: the rebuilt index holds the change");
        assert_eq!(state.search.len(), store.count_open_vacancies(clock.today()).await.unwrap_or_default(), "{b}");
        drop(state);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A served instance leaves its own vacancy writes to its tail (one index commit per gap
/// instead of one per write): a posted vacancy is searchable on it shortly after, with the tail
/// running as `serve` runs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_instance_indexes_its_own_writes_through_its_tail() {
    let stores = jiuye_store::testing::fresh_stores().await.unwrap_or_else(|e| panic!("{e}"));
    for (b, store) in stores {
        let app = crate::support::spawn_custom(b, store, |s| s.defer_index = true).await;
        let tail = tokio::spawn(jiuye_web::search_sync::tail(app.state.clone()));
        let staff = app.token(jiuye_domain::roles::Role::CityAdmin, "city").await;
        let mut body = crate::support::vacancy_body(Some(app.seed.employer_id));
        body["title"] = serde_json::json!("延迟索引测试岗位");
        let (s, v) = app.call("POST", "/api/v1/vacancies", Some(&staff), Some(body)).await;
        assert_eq!(s, 201, "{b}: {v}");
        let id: uuid::Uuid = v["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{b}: {v}"));
        let mut found = false;
        for _ in 0..100 {
            if titled(&app.state, "延迟索引测试岗位").contains(&id) {
                found = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        tail.abort();
        assert!(found, "{b}: the tail indexed the instance's own write within 5 s");
    }
}
