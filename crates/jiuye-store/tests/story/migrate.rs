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
