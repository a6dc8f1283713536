//! Migrations: a second run applies nothing and keeps the data.

use jiuye_store::{AuditEntry, Store};

use crate::common::*;

#[tokio::test]
async fn migrations_are_idempotent() {
    for (b, store) in backends().await {
        assert!(Store::latest_migration() >= 2, "{b}: core records and applications are known");
        let mut clock = Clock::new();
        let drafts = person_drafts(81, 1);
        store.create_person(&drafts[0], &vault(), None, &AuditEntry::system(), clock.tick()).await.expect("person");

        let again = store.migrate().await.expect("second migrate");
        assert!(again.is_empty(), "{b}: a migrated store applies nothing, got {again:?}");
        let third = store.migrate().await.expect("third migrate");
        assert!(third.is_empty(), "{b}: nor the third time, got {third:?}");
        assert_eq!(store.count_persons().await.expect("count"), 1, "{b}: data survives re-migration");
        assert_eq!(all_audit(&store).await.len(), 1, "{b}: and the audit log too");
        store.ping().await.expect("ping");
    }
}

/// A brand-new database gets every migration, in order, exactly once.
#[tokio::test]
async fn a_new_sqlite_database_gets_every_migration_once() {
    let store = Store::connect("sqlite::memory:").await.expect("connect");
    let applied = store.migrate().await.expect("migrate");
    assert_eq!(applied, (1..=Store::latest_migration()).collect::<Vec<_>>(), "sqlite: all migrations applied");
    assert!(store.migrate().await.expect("again").is_empty(), "sqlite: then none");
}

/// Instances started at once on one PostgreSQL database migrate exactly once between them:
/// every migration is applied by one, none fails, and the others apply nothing.
#[tokio::test]
async fn instances_starting_at_once_migrate_once() {
    let Ok(url) = std::env::var(jiuye_store::testing::TEST_DATABASE_URL) else { return };
    if url.trim().is_empty() {
        return;
    }
    let empty = jiuye_store::testing::empty_postgres_at(&url).await.expect("an empty database");
    let mut starts = Vec::new();
    for _ in 0..4 {
        let url = empty.clone();
        starts.push(tokio::spawn(async move {
            let store = Store::connect(&url).await.expect("connect");
            store.migrate().await.expect("every instance starts")
        }));
    }
    let mut applied: Vec<i32> = Vec::new();
    for s in starts {
        applied.extend(s.await.expect("joined"));
    }
    applied.sort_unstable();
    assert_eq!(applied, (1..=Store::latest_migration()).collect::<Vec<_>>(), "each migration applied once");
}
