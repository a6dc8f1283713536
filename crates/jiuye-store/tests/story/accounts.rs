//! Accounts, login bookkeeping and sessions.

use chrono::Duration;
use jiuye_domain::roles::Role;
use jiuye_store::{Account, AccountFilter, AuditFilter, NewAccount, PageRequest};
use uuid::Uuid;

use crate::common::*;

fn new_staff(username: &str, role: Role, district: Option<&str>) -> NewAccount {
    NewAccount {
        role,
        login_key: format!("u:{username}"),
        display_name: format!("职员{username}"),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${username}"),
        district: district.map(str::to_string),
        person_id: None,
        employer_id: None,
        organisation: district.map(|d| format!("{d} 人力资源和社会保障局")),
    }
}

fn assert_account_is(b: &str, n: &NewAccount, a: &Account) {
    assert_eq!(a.role, n.role, "{b}: role");
    assert_eq!(a.login_key, n.login_key, "{b}: login key");
    assert_eq!(a.display_name, n.display_name, "{b}: display name");
    assert_eq!(a.password_hash, n.password_hash, "{b}: password hash");
    assert_eq!(a.district, n.district, "{b}: district");
    assert_eq!(a.person_id, n.person_id, "{b}: person");
    assert_eq!(a.employer_id, n.employer_id, "{b}: employer");
    assert_eq!(a.organisation, n.organisation, "{b}: organisation");
}

/// Every field, including those `Account` does not serialize.
fn full(a: &Account) -> String {
    format!("{a:?}")
}

#[tokio::test]
async fn account_round_trip_update_and_list() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let admin = staff(Role::CityAdmin);
        let mut n = new_staff("zhang.san", Role::Caseworker, Some("350203"));
        n.display_name = "张三".to_string();
        let t1 = clock.tick();
        let a = store.create_account(&n, &admin, t1).await.expect("create account");
        assert_account_is(b, &n, &a);
        assert!(a.active, "{b}: a new account is active");
        assert_eq!((a.failed_logins, a.locked_until, a.created_at), (0, None, t1), "{b}: fresh bookkeeping");
        assert_eq!(a.username(), Some("zhang.san"), "{b}: staff username");
        assert_eq!(full(&store.account_by_id(a.id).await.expect("by id")), full(&a), "{b}: reads back by id");
        assert_eq!(full(&store.account_by_login_key("u:zhang.san").await.expect("by key")), full(&a), "{b}: by key");
        assert_not_found(b, store.account_by_login_key("u:zhang.si").await, "unknown login");
        assert_not_found(b, store.account_by_id(Uuid::new_v4()).await, "unknown account");
        let rows = audit_rows(&store, &AuditFilter { target_id: Some(a.id), ..Default::default() }).await;
        assert_eq!(rows.len(), 1, "{b}: creation audited");
        assert_eq!(rows[0].action, "account.create", "{b}: action");
        assert_eq!(rows[0].detail["role"], "caseworker", "{b}: audit names the role");
        assert_eq!(rows[0].district.as_deref(), Some("350203"), "{b}: audit district");
        assert_eq!(rows[0].actor_account, admin.actor_account, "{b}: audit actor");

        // The login key is unique.
        let before = audit_ids(&all_audit(&store).await);
        let mut again = new_staff("zhang.san", Role::DistrictAdmin, Some("350206"));
        again.display_name = "另一个张三".to_string();
        assert_conflict(b, store.create_account(&again, &admin, clock.tick()).await, "login");
        assert_eq!(store.count_accounts().await.expect("count"), 1, "{b}: no second account");
        assert_eq!(audit_ids(&all_audit(&store).await), before, "{b}: no audit for the refused account");
        assert_eq!(full(&store.account_by_id(a.id).await.expect("a")), full(&a), "{b}: the first is intact");

        // Deactivate, reactivate, new password: each read back and audited.
        let off = store.set_account_active(a.id, false, &admin, clock.tick()).await.expect("deactivate");
        assert!(!off.active, "{b}: deactivated");
        assert!(!store.account_by_id(a.id).await.expect("read").active, "{b}: deactivation stored");
        let on = store.set_account_active(a.id, true, &admin, clock.tick()).await.expect("activate");
        assert!(on.active && store.account_by_id(a.id).await.expect("read").active, "{b}: reactivated");
        store.set_password(a.id, "$argon2id$new", &admin, clock.tick()).await.expect("set password");
        let read = store.account_by_id(a.id).await.expect("read");
        assert_eq!(read.password_hash, "$argon2id$new", "{b}: the new password hash is stored");
        assert_ne!(read.password_hash, a.password_hash, "{b}: and differs from the old one");
        assert_eq!(
            actions_for(&store, a.id).await,
            ["account.password", "account.activate", "account.deactivate", "account.create"],
            "{b}: every account change audited"
        );
        assert_not_found(b, store.set_account_active(Uuid::new_v4(), false, &admin, clock.tick()).await, "deactivate");
        assert_not_found(b, store.set_password(Uuid::new_v4(), "x", &admin, clock.tick()).await, "set password");

        // 44 more accounts: list by role and district, page through all 45.
        let roles = [Role::Caseworker, Role::DistrictAdmin, Role::Provider, Role::Seeker];
        let districts = [Some("350203"), Some("350206"), Some("350211"), None];
        let mut created = vec![(a.id, (a.role, a.district.clone()))];
        for i in 0..44 {
            let n = new_staff(&format!("user{i:02}"), roles[i % 4], districts[i % 3]);
            let acc = store.create_account(&n, &admin, clock.tick()).await.expect("create");
            created.push((acc.id, (acc.role, acc.district.clone())));
        }
        let list = |f: AccountFilter| {
            let store = &store;
            async move {
                let items = store.list_accounts(&f, PageRequest::first(100)).await.expect("list").items;
                items.into_iter().map(|a| a.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(list(AccountFilter::default()).await, newest_first(&created, |_| true), "{b}: all accounts");
        for r in roles {
            let want = newest_first(&created, |(role, _)| *role == r);
            assert!(!want.is_empty(), "{b}: some {}", r.as_str());
            let got = list(AccountFilter { role: Some(r), ..Default::default() }).await;
            assert_eq!(got, want, "{b}: role {}", r.as_str());
        }
        for d in ["350203", "350206", "350211"] {
            let want = newest_first(&created, |(_, dist)| dist.as_deref() == Some(d));
            let got = list(AccountFilter { district: Some(d.into()), ..Default::default() }).await;
            assert_eq!(got, want, "{b}: district {d}");
        }
        let want =
            newest_first(&created, |(role, dist)| *role == Role::Caseworker && dist.as_deref() == Some("350203"));
        let got = list(AccountFilter { role: Some(Role::Caseworker), district: Some("350203".into()) }).await;
        assert_eq!(got, want, "{b}: role and district");
        let f = AccountFilter::default();
        let pages = walk(20, |a: &Account| a.id, |r| store.list_accounts(&f, r)).await;
        assert_pages(b, "accounts by 20", &pages, &[20, 20, 5], &newest_first(&created, |_| true));
    }
}

#[tokio::test]
async fn login_failures_lock_by_key_whether_or_not_an_account_holds_it() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let a = store
            .create_account(
                &new_staff("li.si", Role::Caseworker, Some("350205")),
                &staff(Role::CityAdmin),
                clock.tick(),
            )
            .await
            .expect("create");
        let lock_for = Duration::minutes(15);
        let (key, nobody) = ("hash-of-u:li.si", "hash-of-u:nobody");
        for (label, k, account) in [("account", key, Some(a.id)), ("nobody", nobody, None)] {
            for n in 1..=2 {
                let locked = store.record_login_failure(k, account, clock.tick(), 3, lock_for).await.expect("failure");
                assert!(!locked, "{b}: {label}: failure {n} does not lock yet");
                assert_eq!(store.login_locked_until(k, clock.current()).await.expect("read"), None, "{b}: {label}");
            }
            let t = clock.tick();
            assert!(
                store.record_login_failure(k, account, t, 3, lock_for).await.expect("third"),
                "{b}: {label}: locks"
            );
            assert_eq!(
                store.login_locked_until(k, t).await.expect("read"),
                Some(t + lock_for),
                "{b}: {label}: 15 minutes"
            );
            assert_eq!(store.login_locked_until(k, t + lock_for).await.expect("read"), None, "{b}: {label}: then open");
        }
        // The account's own record shows the lock, and the lock was audited with it; the key
        // nobody holds locked the same way, audited without an account.
        assert!(store.account_by_id(a.id).await.expect("read").locked_until.is_some(), "{b}: lock on the account");
        let locks =
            audit_rows(&store, &AuditFilter { action: Some("account.lock".into()), ..Default::default() }).await;
        assert_eq!(
            locks.iter().map(|r| r.target_id).collect::<Vec<_>>(),
            vec![Some(a.id)],
            "{b}: account.lock audited"
        );
        let unknown =
            audit_rows(&store, &AuditFilter { action: Some("login.lock".into()), ..Default::default() }).await;
        assert_eq!(unknown.len(), 1, "{b}: login.lock audited for the key nobody holds");
        // Success clears the key's failures and the account's lock.
        store.clear_login_failures(key, a.id, clock.tick()).await.expect("clear");
        assert_eq!(store.login_locked_until(key, clock.current()).await.expect("read"), None, "{b}: cleared");
        assert!(store.account_by_id(a.id).await.expect("read").locked_until.is_none(), "{b}: account unlocked");
        assert!(
            !store.record_login_failure(key, Some(a.id), clock.tick(), 3, lock_for).await.expect("f"),
            "{b}: counts from 1"
        );
        // lock_after = 1 locks at once.
        assert!(
            store.record_login_failure("other", None, clock.tick(), 1, lock_for).await.expect("f"),
            "{b}: one strike"
        );
    }
}

#[tokio::test]
async fn sessions_live_until_expiry() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let admin = staff(Role::CityAdmin);
        let a = store
            .create_account(&new_staff("wang.wu", Role::DistrictAdmin, Some("350211")), &admin, clock.tick())
            .await
            .expect("create");
        let other = store
            .create_account(&new_staff("zhao.liu", Role::Caseworker, Some("350211")), &admin, clock.tick())
            .await
            .expect("create");
        let start = clock.tick();
        let expires = start + Duration::hours(8);
        store
            .create_session("hash-1", a.id, "csrf-1", start, expires, Some("192.0.2.7".into()))
            .await
            .expect("create session");
        store.create_session("hash-2", other.id, "csrf-2", start, expires, None).await.expect("create session");
        assert!(
            store.create_session("hash-1", other.id, "csrf-x", start, expires, None).await.is_err(),
            "{b}: a token hash is a primary key"
        );

        let (s, acc) =
            store.session_account("hash-1", start + Duration::hours(1)).await.expect("lookup").expect("live");
        assert_eq!((s.token_hash.as_str(), s.account_id, s.csrf_token.as_str()), ("hash-1", a.id, "csrf-1"), "{b}");
        assert_eq!(s.expires_at, expires, "{b}: expiry round-trips");
        assert_eq!(acc.id, a.id, "{b}: the session's account");
        assert_eq!(acc.role, Role::DistrictAdmin, "{b}: with its role");
        let (s2, acc2) = store.session_account("hash-2", start).await.expect("lookup").expect("live");
        assert_eq!((s2.account_id, acc2.id), (other.id, other.id), "{b}: the second session is the other account's");

        let at = |t| {
            let store = store.clone();
            async move { store.session_account("hash-1", t).await.expect("lookup").is_some() }
        };
        assert!(at(expires - Duration::seconds(1)).await, "{b}: live one second before expiry");
        assert!(!at(expires).await, "{b}: dead at expiry");
        assert!(!at(expires + Duration::days(1)).await, "{b}: dead after expiry");
        assert!(store.session_account("no-such-hash", start).await.expect("lookup").is_none(), "{b}: unknown token");

        // An inactive account has no live session; reactivated, it has again.
        store.set_account_active(a.id, false, &admin, clock.tick()).await.expect("deactivate");
        assert!(!at(start + Duration::hours(1)).await, "{b}: no session for an inactive account");
        store.set_account_active(a.id, true, &admin, clock.tick()).await.expect("activate");
        assert!(at(start + Duration::hours(1)).await, "{b}: live again once reactivated");

        // Logout.
        store.delete_session("hash-1").await.expect("delete");
        assert!(!at(start + Duration::hours(1)).await, "{b}: deleted");
        store.delete_session("hash-1").await.expect("deleting twice is fine");
        assert!(store.session_account("hash-2", start).await.expect("lookup").is_some(), "{b}: others stay");

        // Purge: expires_at <= now goes.
        for (i, h) in [1, 2, 3].into_iter().enumerate() {
            let exp = start + Duration::hours(h);
            store.create_session(&format!("p-{i}"), a.id, "c", start, exp, None).await.expect("create");
        }
        // Live now: hash-2 (8 h), p-0 (1 h), p-1 (2 h), p-2 (3 h).
        let n = store.purge_expired_sessions(start + Duration::hours(2)).await.expect("purge");
        assert_eq!(n, 2, "{b}: p-0 and p-1 (expiring exactly now) are purged");
        let live = |h: &'static str| {
            let store = store.clone();
            async move { store.session_account(h, start).await.expect("lookup").is_some() }
        };
        assert!(!live("p-0").await && !live("p-1").await, "{b}: purged sessions are gone");
        assert!(live("p-2").await && live("hash-2").await, "{b}: later sessions stay");
        assert_eq!(store.purge_expired_sessions(start + Duration::hours(2)).await.expect("purge"), 0, "{b}: again: 0");
        assert_eq!(store.purge_expired_sessions(expires).await.expect("purge"), 2, "{b}: at 8 h the rest go");
        assert!(!live("hash-2").await, "{b}: hash-2 purged");
    }
}

/// Sign-in attempts per address are counted in the database: this minute and the last, by
/// every instance alike, racing attempts each counted; old counts are pruned.
#[tokio::test]
async fn attempts_per_address_are_counted_in_the_database() {
    for (b, store) in backends().await {
        let clock = Clock::new();
        let t0 = clock.current();
        for i in 1..=3 {
            assert_eq!(store.count_address_attempt("addr-a", t0).await.expect("count"), i, "{b}");
        }
        assert_eq!(store.count_address_attempt("addr-b", t0).await.expect("count"), 1, "{b}: per address");
        // Racing attempts (as from several instances) each count.
        let mut racing = Vec::new();
        for _ in 0..8 {
            let s = store.clone();
            racing.push(tokio::spawn(async move { s.count_address_attempt("addr-c", t0).await }));
        }
        for r in racing {
            r.await.expect("joined").expect("count");
        }
        assert_eq!(store.count_address_attempt("addr-c", t0).await.expect("count"), 9, "{b}: none lost");
        // The next minute still sees the last; two minutes on, the count starts again.
        let next = t0 + Duration::seconds(61);
        assert_eq!(store.count_address_attempt("addr-a", next).await.expect("count"), 4, "{b}");
        assert_eq!(store.count_address_attempt("addr-a", t0 + Duration::minutes(3)).await.expect("count"), 1, "{b}");
        let gone = store.prune_address_attempts(t0 + Duration::minutes(3)).await.expect("prune");
        assert!(gone >= 3, "{b}: old minutes pruned ({gone})");
    }
}
