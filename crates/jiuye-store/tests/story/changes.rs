//! The change log: pruned by age, and a reader left behind the pruning is told to rebuild.

use chrono::Duration;
use jiuye_domain::roles::Role;

use crate::common::*;

#[tokio::test]
async fn a_reader_behind_the_pruned_log_is_told_to_rebuild() {
    for (b, store) in backends().await {
        let who = staff(Role::CityAdmin);
        let (employers, vacancies) = market(91, 1, 4);
        let start = store.change_position().await.expect("position");
        let t = t0();
        let (emp, _) = store.create_employer(&employers[0], None, &who, t).await.expect("employer");
        let old = store.create_vacancy(emp.id, &vacancies[0].1, &who, t).await.expect("old vacancy");
        jiuye_store::testing::changes_settled(&store).await;
        let middle = store.changes_after(start).await.expect("read");
        assert_eq!(middle.changes.len(), 2, "{b}: employer and vacancy logged");
        assert!(!middle.behind, "{b}: nothing pruned yet");

        let later = t + Duration::days(20);
        let new = store.create_vacancy(emp.id, &vacancies[1].1, &who, later).await.expect("new vacancy");
        let gone = store.prune_changes(t + Duration::days(14), later).await.expect("prune");
        assert_eq!(gone, 2, "{b}: the two old rows went");

        jiuye_store::testing::changes_settled(&store).await;
        let from_start = store.changes_after(start).await.expect("read");
        assert!(from_start.behind, "{b}: a reader from before the pruned rows must rebuild");
        let from_middle = store.changes_after(middle.next).await.expect("read");
        assert!(!from_middle.behind, "{b}: a reader past the pruned rows is not behind");
        let ids: Vec<_> = from_middle.changes.iter().map(|c| c.entity_id).collect();
        assert_eq!(ids, vec![new.id], "{b}: and reads on");
        assert!(!ids.contains(&old.id), "{b}: the old row is gone");
        assert_eq!(store.prune_changes(t + Duration::days(14), later).await.expect("again"), 0, "{b}: idempotent");
        let audit = audit_rows(
            &store,
            &jiuye_store::AuditFilter { action: Some("changes.prune".into()), ..Default::default() },
        )
        .await;
        assert_eq!(audit.len(), 1, "{b}: a prune that removed rows is audited once");
    }
}

/// PostgreSQL wakes a listening reader when a write that logged a change commits, and not for a
/// write that logged none; SQLite offers no wake-up (its readers poll).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_change_wakes_a_listener_on_postgres() {
    for (b, store) in backends().await {
        let Some(wake) = store.listen_for_changes() else {
            assert_eq!(b, "sqlite", "only SQLite has no wake-up");
            continue;
        };
        assert_eq!(b, "postgres");
        let within = |ms| tokio::time::timeout(std::time::Duration::from_millis(ms), wake.notified());
        // The listener fires once when it connects (what was sent before is read then).
        within(5_000).await.expect("the first connection wakes the reader");
        let who = staff(Role::CityAdmin);
        let t = t0();
        let account = store
            .create_account(
                &jiuye_store::NewAccount {
                    role: Role::CityAdmin,
                    login_key: "u:listener".into(),
                    display_name: "listener".into(),
                    password_hash: String::new(),
                    district: None,
                    person_id: None,
                    employer_id: None,
                    organisation: None,
                },
                &who,
                t,
            )
            .await
            .expect("account");
        let _ = within(300).await; // an account may be logged; drain it either way
        store
            .create_session("listener-token-hash", account.id, "csrf", t, t + Duration::hours(1), None)
            .await
            .expect("session");
        assert!(within(300).await.is_err(), "{b}: a session is no logged change and wakes nobody");
        let (employers, _) = market(92, 1, 0);
        store.create_employer(&employers[0], None, &who, t).await.expect("employer");
        within(2_000).await.expect("a committed employer wakes the reader");
    }
}
