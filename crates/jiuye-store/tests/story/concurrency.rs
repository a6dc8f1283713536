//! Concurrent writers: on a SQLite file every write transaction starts as a writer (`BEGIN
//! IMMEDIATE`), so writers queue instead of failing with "database is locked"; PostgreSQL
//! takes them as they come. A vacancy post reads its employer and then writes — the shape that
//! failed when transactions began deferred.

use std::sync::Arc;

use jiuye_store::Store;

use crate::common::{Clock, backends, market, staff, t0};

const WRITERS: usize = 8;
const WRITES: usize = 100;

async fn hammer(backend: &str, store: Store) {
    let (employers, vacancies) = market(41, 1, 1);
    let who = staff(jiuye_domain::roles::Role::CityAdmin);
    let (employer, _) = store.create_employer(&employers[0], None, &who, t0()).await.expect("employer");
    let draft = Arc::new(vacancies[0].1.clone());
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (store, draft, who) = (store.clone(), draft.clone(), who.clone());
        tasks.push(tokio::spawn(async move {
            let mut failed = Vec::new();
            for i in 0..WRITES {
                let at = t0() + chrono::Duration::milliseconds((w * WRITES + i) as i64);
                if let Err(e) = store.create_vacancy(employer.id, &draft, &who, at).await {
                    failed.push(e.to_string());
                }
            }
            failed
        }));
    }
    let mut failures = Vec::new();
    for t in tasks {
        failures.extend(t.await.expect("writer task"));
    }
    assert!(
        failures.is_empty(),
        "{backend}: {} of {} writes failed: {:?}",
        failures.len(),
        WRITERS * WRITES,
        &failures[..failures.len().min(3)]
    );
    let n = store.count_open_vacancies(crate::common::today()).await.expect("count");
    assert_eq!(n, (WRITERS * WRITES) as u64, "{backend}: every write is there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_writers_all_succeed() {
    let path = std::env::temp_dir().join(format!("jiuye-writers-{}.db", uuid::Uuid::new_v4().simple()));
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.expect("sqlite file");
    store.migrate().await.expect("migrate");
    hammer("sqlite-file", store).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    if let Some(pg) = jiuye_store::testing::fresh_postgres().await.expect("postgres") {
        hammer("postgres", pg).await;
    }
}

/// Scheduled work is claimed once per period, however many instances race for it, and none
/// of them fails.
#[tokio::test]
async fn a_job_is_claimed_once_per_period() {
    for (b, store) in backends().await {
        let at = Clock::new().current();
        let mut racing = Vec::new();
        for _ in 0..8 {
            let s = store.clone();
            racing.push(tokio::spawn(async move { s.claim_run("sweep", "slot-1", at).await }));
        }
        let mut won = 0;
        for r in racing {
            won += usize::from(r.await.expect("joined").expect("a claim never fails"));
        }
        assert_eq!(won, 1, "{b}: exactly one instance sweeps the slot");
        assert!(store.claim_run("sweep", "slot-2", at).await.expect("claim"), "{b}: the next slot is free");
        assert!(store.claim_run("tiers", "slot-1", at).await.expect("claim"), "{b}: another job is free");
        let gone = store.prune_job_runs(at + chrono::Duration::seconds(1)).await.expect("prune");
        assert_eq!(gone, 3, "{b}: old claims pruned");
    }
}

/// A backup taken while writers keep writing holds every write acknowledged before it began.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_during_a_write_burst_holds_every_acknowledged_write() {
    let dir = std::env::temp_dir().join(format!("jiuye-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("live.db").display())).await.expect("sqlite");
    store.migrate().await.expect("migrate");
    let (employers, vacancies) = market(43, 1, 1);
    let who = staff(jiuye_domain::roles::Role::CityAdmin);
    let (employer, _) = store.create_employer(&employers[0], None, &who, t0()).await.expect("employer");
    let draft = Arc::new(vacancies[0].1.clone());
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4i64 {
        let (store, draft, who, acknowledged, stop) =
            (store.clone(), draft.clone(), who.clone(), acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0i64;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let at = t0() + chrono::Duration::milliseconds(w * 100_000 + i);
                let v = store.create_vacancy(employer.id, &draft, &who, at).await.expect("a write");
                acknowledged.lock().expect("lock").push(v.id);
                i += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before: Vec<uuid::Uuid> = acknowledged.lock().expect("lock").clone();
    store.backup_sqlite_into(&dir.join("copy.db")).await.expect("backup while writing");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in writers {
        w.await.expect("writer");
    }
    assert!(!before.is_empty(), "the writers wrote before the backup");
    let copy = Store::connect(&format!("sqlite://{}?mode=rw", dir.join("copy.db").display())).await.expect("copy");
    let found = copy.vacancies_by_ids(&before).await.expect("read the copy");
    assert_eq!(found.len(), before.len(), "every write acknowledged before the backup is in it");
    assert!(copy.migrate().await.expect("migrations").is_empty(), "the copy is at the same migration");
    let _ = std::fs::remove_dir_all(&dir);
}
