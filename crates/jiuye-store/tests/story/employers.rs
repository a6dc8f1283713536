//! Employers: round trip with and without their first account, update, the immutable credit
//! code, lists and paging, all-or-nothing creation.

use chrono::Duration;
use jiuye_domain::codes::{DistrictCode, Mobile};
use jiuye_domain::records::{Employer, EmployerDraft, EmployerSize};
use jiuye_domain::roles::Role;
use jiuye_store::{EmployerFilter, NewAccount, PageRequest};

use crate::common::*;

fn employer_account(d: &EmployerDraft) -> NewAccount {
    NewAccount {
        role: Role::Employer,
        login_key: format!("cc:{}", d.credit_code.as_str()),
        display_name: d.name.clone(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        district: Some(d.district.as_str().to_string()),
        person_id: None,
        employer_id: None,
        organisation: Some(d.name.clone()),
    }
}

fn assert_employer_is(b: &str, d: &EmployerDraft, e: &Employer) {
    assert_eq!(e.credit_code, d.credit_code, "{b}: credit code");
    assert_eq!(e.name, d.name, "{b}: name");
    assert_eq!(e.industry, d.industry, "{b}: industry");
    assert_eq!(e.district, d.district, "{b}: district");
    assert_eq!(e.address, d.address, "{b}: address");
    assert_eq!(e.size, d.size, "{b}: size");
    assert_eq!(e.key_enterprise, d.key_enterprise, "{b}: key enterprise");
    assert_eq!(e.liaison_account, d.liaison_account, "{b}: liaison");
    assert_eq!(e.contact_name, d.contact_name, "{b}: contact name");
    assert_eq!(e.contact_mobile, d.contact_mobile, "{b}: contact mobile");
}

#[tokio::test]
async fn employer_round_trip_update_and_conflicts() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let drafts = employer_drafts(51, 4);
        let desk = staff(Role::Caseworker);

        let mut rich = drafts[0].clone();
        rich.name = "厦门鹭江“星辰”电子科技有限公司".to_string();
        rich.address = Some("厦门市湖里区殿前街道枋湖北二路1509号 5F-A".to_string());
        rich.contact_name = Some("林晓燕".to_string());
        rich.contact_mobile = Some(Mobile::parse("15980001234").expect("a mobile"));
        let mut plain = drafts[1].clone();
        plain.address = None;
        plain.contact_name = None;
        plain.contact_mobile = None;

        let t1 = clock.tick();
        let (e1, a1) = store.create_employer(&rich, Some(employer_account(&rich)), &desk, t1).await.expect("create");
        assert_employer_is(b, &rich, &e1);
        assert_eq!((e1.created_at, e1.updated_at), (t1, t1), "{b}: timestamps of a new employer");
        let a1 = a1.expect("the employer's account");
        assert_eq!(a1.employer_id, Some(e1.id), "{b}: the account points at its employer");
        assert_eq!((a1.role, a1.person_id), (Role::Employer, None), "{b}: employer account");
        assert_eq!(a1.username(), Some(rich.credit_code.as_str()), "{b}: employers log in with the credit code");
        let t2 = clock.tick();
        let (e2, none) = store.create_employer(&plain, None, &desk, t2).await.expect("create plain");
        assert!(none.is_none(), "{b}: no account asked for");
        assert_employer_is(b, &plain, &e2);
        for e in [&e1, &e2] {
            assert_eq!(json(&store.employer_by_id(e.id).await.expect("read")), json(e), "{b}: reads back equal");
        }
        assert_eq!(actions_for(&store, e1.id).await, ["employer.create"], "{b}: employer audited");
        assert_eq!(actions_for(&store, a1.id).await, ["account.create"], "{b}: its account audited");
        let rows = audit_rows(&store, &jiuye_store::AuditFilter { target_id: Some(e1.id), ..Default::default() }).await;
        assert_eq!(rows[0].detail["credit_code"], rich.credit_code.as_str(), "{b}: audit names the credit code");
        assert_eq!(rows[0].district.as_deref(), Some(rich.district.as_str()), "{b}: audit district");
        assert_not_found(b, store.employer_by_id(uuid::Uuid::new_v4()).await, "unknown employer");

        // Update: everything but the credit code may change.
        let mut changed = rich.clone();
        changed.name = "厦门鹭江星辰科技集团有限公司".to_string();
        changed.industry = plain.industry;
        changed.district = DistrictCode::parse(if rich.district.as_str() == "350213" { "350211" } else { "350213" })
            .expect("a district");
        changed.address = None;
        changed.size = if rich.size == EmployerSize::Large { EmployerSize::Small } else { EmployerSize::Large };
        changed.key_enterprise = true;
        changed.liaison_account = Some(uuid::Uuid::new_v4());
        changed.contact_name = None;
        changed.contact_mobile = None;
        assert!(changed.check().is_empty(), "the changed draft is valid");
        let t3 = clock.advance(Duration::minutes(30));
        let u = store.update_employer(e1.id, &changed, &desk, t3).await.expect("update");
        assert_employer_is(b, &changed, &u);
        assert_eq!((u.created_at, u.updated_at), (t1, t3), "{b}: updated_at moves");
        let read = store.employer_by_id(e1.id).await.expect("read");
        assert_eq!(json(&read), json(&u), "{b}: the update reads back");
        assert_ne!(read.name, e1.name, "{b}: the name really changed");
        assert_eq!(actions_for(&store, e1.id).await, ["employer.update", "employer.create"], "{b}: update audited");

        // Another credit code is refused, and changes nothing.
        let audit_before = audit_ids(&all_audit(&store).await);
        let mut recoded = changed.clone();
        recoded.credit_code = drafts[2].credit_code.clone();
        recoded.name = "换了代码的公司".to_string();
        assert_conflict(b, store.update_employer(e1.id, &recoded, &desk, clock.tick()).await, "credit_code_immutable");
        assert_eq!(json(&store.employer_by_id(e1.id).await.expect("read")), json(&u), "{b}: nothing changed");
        assert_eq!(audit_ids(&all_audit(&store).await), audit_before, "{b}: no audit for a refused update");
        assert_not_found(b, store.update_employer(uuid::Uuid::new_v4(), &changed, &desk, clock.tick()).await, "update");

        // A second employer with a taken credit code, with its account: nothing of it stays.
        let mut copycat = drafts[2].clone();
        copycat.credit_code = rich.credit_code.clone();
        let mut copycat_account = employer_account(&drafts[2]);
        copycat_account.login_key = "cc:COPYCAT".to_string();
        assert_conflict(
            b,
            store.create_employer(&copycat, Some(copycat_account), &desk, clock.tick()).await,
            "credit_code",
        );
        assert_eq!(store.count_employers().await.expect("count"), 2, "{b}: no third employer");
        assert_eq!(store.count_accounts().await.expect("count"), 1, "{b}: no second account");
        assert_not_found(b, store.account_by_login_key("cc:COPYCAT").await, "the copycat's account");
        assert_eq!(audit_ids(&all_audit(&store).await), audit_before, "{b}: no audit for the copycat");

        // A new employer whose account login is taken: the employer must not stay either.
        let mut clash = employer_account(&drafts[2]);
        clash.login_key = a1.login_key.clone();
        assert_conflict(b, store.create_employer(&drafts[2], Some(clash), &desk, clock.tick()).await, "login");
        assert_eq!(store.count_employers().await.expect("count"), 2, "{b}: the employer was rolled back");
        let f = EmployerFilter { q: Some(drafts[2].credit_code.as_str().to_string()), ..Default::default() };
        assert!(store.list_employers(&f, PageRequest::default()).await.expect("list").items.is_empty(), "{b}: gone");
        assert_eq!(audit_ids(&all_audit(&store).await), audit_before, "{b}: no audit for the rolled-back employer");
        // And with a free login it goes in (the credit code was not left taken).
        let (e3, a3) = store
            .create_employer(&drafts[2], Some(employer_account(&drafts[2])), &desk, clock.tick())
            .await
            .expect("retry");
        assert_eq!(a3.expect("account").employer_id, Some(e3.id), "{b}: retried account");
        assert_eq!(store.count_employers().await.expect("count"), 3, "{b}: three employers");
    }
}

#[tokio::test]
async fn employer_lists_filter_and_page() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let mut drafts = employer_drafts(52, 45);
        for i in [0, 5, 10] {
            drafts[i].key_enterprise = true;
            drafts[i].liaison_account = Some(uuid::Uuid::new_v4());
        }
        drafts[7].name = "厦门百分之百_食品有限公司".to_string();
        let who = staff(Role::CityAdmin);
        let mut created = Vec::new();
        for d in &drafts {
            let (e, _) = store.create_employer(d, None, &who, clock.tick()).await.expect("create");
            created.push((e.id, d.clone()));
        }
        let list = |f: EmployerFilter| {
            let store = &store;
            async move { store.list_employers(&f, PageRequest::first(100)).await.expect("list").items }
        };
        let ids = |v: Vec<Employer>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();

        assert_eq!(ids(list(EmployerFilter::default()).await), newest_first(&created, |_| true), "{b}: all");
        let mut seen = 0;
        for d in DistrictCode::all() {
            let want = newest_first(&created, |e| e.district == d);
            seen += usize::from(!want.is_empty());
            let f = EmployerFilter { district: Some(d.as_str().into()), ..Default::default() };
            assert_eq!(ids(list(f).await), want, "{b}: district {}", d.as_str());
        }
        assert!(seen >= 2, "{b}: employers in several districts");

        let f = EmployerFilter { key_enterprise: Some(true), ..Default::default() };
        assert_eq!(ids(list(f).await), [created[10].0, created[5].0, created[0].0], "{b}: key enterprises");
        let f = EmployerFilter { key_enterprise: Some(false), ..Default::default() };
        assert_eq!(ids(list(f).await).len(), 42, "{b}: the others");

        // Name contains; credit code exact (typed in lower case).
        let part: String = drafts[3].name.chars().skip(2).take(2).collect();
        let want = newest_first(&created, |e| e.name.contains(&part));
        assert!(want.contains(&created[3].0) && want.len() < 45, "{b}: a selective name part {part}");
        let f = EmployerFilter { q: Some(part.clone()), ..Default::default() };
        assert_eq!(ids(list(f).await), want, "{b}: name contains {part}");
        let f = EmployerFilter { q: Some("百分之百_食品".into()), ..Default::default() };
        assert_eq!(ids(list(f).await), [created[7].0], "{b}: a name with an underscore");
        let code = drafts[20].credit_code.as_str().to_lowercase();
        let f = EmployerFilter { q: Some(code), ..Default::default() };
        assert_eq!(ids(list(f).await), [created[20].0], "{b}: credit code, any case");
        let f = EmployerFilter { q: Some(drafts[20].credit_code.as_str()[..10].to_string()), ..Default::default() };
        assert!(list(f).await.is_empty(), "{b}: part of a credit code is no match");

        let all = newest_first(&created, |_| true);
        let f = EmployerFilter::default();
        let pages = walk(20, |e: &Employer| e.id, |r| store.list_employers(&f, r)).await;
        assert_pages(b, "employers by 20", &pages, &[20, 20, 5], &all);
        let d = drafts[0].district;
        let f = EmployerFilter { district: Some(d.as_str().into()), ..Default::default() };
        let want = newest_first(&created, |e| e.district == d);
        let pages = walk(3, |e: &Employer| e.id, |r| store.list_employers(&f, r)).await;
        assert_pages(b, "one district by 3", &pages, &page_sizes(want.len(), 3), &want);
    }
}
