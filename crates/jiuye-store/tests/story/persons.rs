//! Persons: round trip, update, the ID number at rest, lists and paging, all-or-nothing writes.

use chrono::Duration;
use jiuye_domain::codes::{
    DistrictCode, EducationLevel, KeyGroup, Mobile, NationalId, OccupationCode, ProvinceCode, StreetCode,
};
use jiuye_domain::records::{Certificate, EmploymentStatus, Person, PersonChanges, PersonDraft};
use jiuye_domain::roles::Role;
use jiuye_store::{AuditEntry, AuditFilter, NewAccount, PageRequest, PersonFilter, StoreError};

use crate::common::*;

fn district(code: &str) -> DistrictCode {
    DistrictCode::parse(code).expect("a Xiamen district")
}

fn occupation(code: &str) -> OccupationCode {
    OccupationCode::parse(code).expect("a known occupation")
}

/// Every optional field set, lists with several entries, Chinese text with quotes and `%`.
fn rich(mut d: PersonDraft) -> PersonDraft {
    d.name = "欧阳娜娜".to_string();
    d.mobile = Mobile::parse("+86 139-5921-2345").expect("a mobile");
    d.district = district("350203");
    d.street = Some(StreetCode::parse("350203001").expect("厦港街道"));
    d.address = Some("厦门市思明区厦港街道大学路182号之3 \"南普陀\"旁 100%".to_string());
    d.household_origin = ProvinceCode::parse("36").expect("江西省");
    d.rural_household = true;
    d.education = EducationLevel::TechnicalSchool;
    d.key_groups = vec![KeyGroup::MigrantWorker, KeyGroup::Youth];
    d.skills = vec!["低压电工作业".to_string(), "叉车驾驶".to_string(), "Excel".to_string()];
    d.certificates = vec![
        Certificate {
            name: "电工 职业技能等级证书 四级".to_string(),
            level: Some("厦门市人力资源和社会保障局".to_string()),
        },
        Certificate { name: "特种作业操作证（叉车）".to_string(), level: None },
    ];
    d.wanted_occupations = vec![occupation("6-31-01-03"), occupation("2-02-10-01")];
    d.wanted_districts = vec![district("350206"), district("350211")];
    d.wanted_salary_min = Some(5500);
    d.wanted_salary_max = Some(8000);
    d.max_commute_km = Some(15);
    d.employment_status = EmploymentStatus::Unemployed;
    assert!(d.check().is_empty(), "the rich draft is valid: {:?}", d.check());
    d
}

/// Every optional field empty.
fn bare(mut d: PersonDraft) -> PersonDraft {
    d.name = "林一".to_string();
    d.district = district("350212");
    d.street = None;
    d.address = None;
    d.key_groups = Vec::new();
    d.skills = Vec::new();
    d.certificates = Vec::new();
    d.wanted_occupations = Vec::new();
    d.wanted_districts = Vec::new();
    d.wanted_salary_min = None;
    d.wanted_salary_max = None;
    d.max_commute_km = None;
    d.employment_status = EmploymentStatus::Employed;
    assert!(d.check().is_empty(), "the bare draft is valid: {:?}", d.check());
    d
}

/// `350203********123X` worked out by hand, not by `NationalId::masked`.
fn mask_of(id: &NationalId) -> String {
    let s = id.as_str();
    format!("{}{}{}", &s[..6], "*".repeat(8), &s[14..])
}

fn assert_person_is(b: &str, d: &PersonChanges, id: &NationalId, p: &Person) {
    assert_eq!(p.national_id_masked, mask_of(id), "{b}: masked ID number");
    assert_eq!(p.national_id_masked.chars().filter(|c| *c == '*').count(), 8, "{b}: eight stars");
    assert!(!p.national_id_masked.contains(&id.as_str()[6..14]), "{b}: the birth date is masked");
    assert_eq!(p.sex, id.sex(), "{b}: sex from the ID number");
    assert_eq!(p.birth_date, id.birth_date(), "{b}: birth date from the ID number");
    assert_eq!(p.name, d.name, "{b}: name");
    assert_eq!(p.mobile, d.mobile, "{b}: mobile");
    assert_eq!(p.district, d.district, "{b}: district");
    assert_eq!(p.street, d.street, "{b}: street");
    assert_eq!(p.address, d.address, "{b}: address");
    assert_eq!(p.household_origin, d.household_origin, "{b}: household origin");
    assert_eq!(p.rural_household, d.rural_household, "{b}: rural household");
    assert_eq!(p.education, d.education, "{b}: education");
    assert_eq!(p.key_groups, d.key_groups, "{b}: key groups");
    assert_eq!(p.skills, d.skills, "{b}: skills");
    assert_eq!(p.certificates, d.certificates, "{b}: certificates");
    assert_eq!(p.wanted_occupations, d.wanted_occupations, "{b}: wanted occupations");
    assert_eq!(p.wanted_districts, d.wanted_districts, "{b}: wanted districts");
    assert_eq!(p.wanted_salary_min, d.wanted_salary_min, "{b}: wanted salary min");
    assert_eq!(p.wanted_salary_max, d.wanted_salary_max, "{b}: wanted salary max");
    assert_eq!(p.max_commute_km, d.max_commute_km, "{b}: longest commute");
    assert_eq!(p.employment_status, d.employment_status, "{b}: employment status");
}

fn seeker_account(vault: &jiuye_store::IdVault, d: &PersonDraft) -> NewAccount {
    NewAccount {
        role: Role::Seeker,
        login_key: format!("id:{}", vault.lookup_hash(&d.identity)),
        display_name: d.name.clone(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        district: Some(d.district.as_str().to_string()),
        person_id: None,
        employer_id: None,
        organisation: None,
    }
}

#[tokio::test]
async fn person_round_trip_update_and_full_id() {
    for (b, store) in backends().await {
        let vault = vault();
        let mut clock = Clock::new();
        let drafts = person_drafts(11, 3);
        let full = rich(drafts[0].clone());
        let plain = bare(drafts[1].clone());
        let desk = staff(Role::Caseworker);

        // Create with every field set, and with every optional field empty.
        let t1 = clock.tick();
        let (p1, acct) = store.create_person(&full, &vault, None, &desk, t1).await.expect("create rich person");
        assert!(acct.is_none(), "{b}: no account asked for, none made");
        assert_person_is(b, &full.changes(), &full.rid(), &p1);
        assert_eq!((p1.created_at, p1.updated_at), (t1, t1), "{b}: timestamps of a new person");
        let t2 = clock.tick();
        let (p2, acct2) = store
            .create_person(&plain, &vault, Some(seeker_account(&vault, &plain)), &desk, t2)
            .await
            .expect("create bare person with account");
        assert_person_is(b, &plain.changes(), &plain.rid(), &p2);
        let acct2 = acct2.expect("the seeker account was made");
        assert_eq!(acct2.person_id, Some(p2.id), "{b}: the account points at its person");
        assert_eq!(acct2.role, Role::Seeker, "{b}: seeker role");
        assert_eq!(acct2.username(), None, "{b}: a seeker's login key shows no username");
        assert_ne!(p1.id, p2.id, "{b}: distinct ids");

        // Read back: what was returned is what is stored.
        for p in [&p1, &p2] {
            let read = store.person_by_id(p.id).await.expect("person_by_id");
            assert_eq!(json(&read), json(p), "{b}: person {} reads back equal", p.id);
        }
        assert_eq!(store.count_persons().await.expect("count"), 2, "{b}: two persons");
        assert_eq!(actions_for(&store, p1.id).await, ["person.create"], "{b}: audit of p1");
        assert_eq!(actions_for(&store, p2.id).await, ["person.create"], "{b}: audit of p2");
        assert_eq!(actions_for(&store, acct2.id).await, ["account.create"], "{b}: audit of p2's account");
        let create_row = audit_rows(&store, &AuditFilter { target_id: Some(p1.id), ..Default::default() }).await;
        assert_eq!(create_row[0].detail["national_id"], mask_of(&full.rid()), "{b}: audit holds the mask");
        assert_eq!(create_row[0].district.as_deref(), Some("350203"), "{b}: audit district");
        assert_eq!(create_row[0].actor_account, desk.actor_account, "{b}: audit actor");
        assert_eq!(create_row[0].actor_role.as_deref(), Some("caseworker"), "{b}: audit role");
        assert_eq!(create_row[0].ip.as_deref(), Some("10.35.2.17"), "{b}: audit ip");
        assert_eq!(create_row[0].at, t1, "{b}: audit time");

        // Lookup by the keyed hash of the ID number.
        let found = store.person_by_national_id(&full.rid(), &vault).await.expect("by national id");
        assert_eq!(found.id, p1.id, "{b}: found by ID number");
        assert_not_found(b, store.person_by_national_id(&drafts[2].rid(), &vault).await, "unknown ID");
        assert_not_found(
            b,
            store.person_by_national_id(&full.rid(), &other_vault()).await,
            "the lookup hash is keyed: another key finds nothing",
        );
        assert_not_found(b, store.person_by_id(uuid::Uuid::new_v4()).await, "unknown person id");

        // Update: every editable field changes; the ID number and creation time stay.
        let mut changes = plain.changes();
        changes.name = "陈小明".to_string();
        changes.mobile = Mobile::parse("13600001111").expect("a mobile");
        changes.district = district("350206");
        changes.street = Some(StreetCode::parse("350206002").expect("殿前街道"));
        changes.address = Some("厦门市湖里区殿前街道高殿路1号".to_string());
        changes.household_origin = ProvinceCode::parse("35").expect("福建省");
        changes.rural_household = !plain.rural_household;
        changes.education = EducationLevel::Bachelor;
        changes.key_groups = vec![KeyGroup::RegisteredUnemployed];
        changes.skills = vec!["Python".to_string(), "数据分析".to_string()];
        changes.certificates =
            vec![Certificate { name: "计算机技术与软件专业技术资格".to_string(), level: None }];
        changes.wanted_occupations = vec![occupation("2-02-10-01")];
        changes.wanted_districts = vec![district("350203")];
        changes.wanted_salary_min = Some(9000);
        changes.wanted_salary_max = None;
        changes.employment_status = EmploymentStatus::Unemployed;
        let t3 = clock.advance(Duration::hours(1));
        let u = store.update_person(p2.id, &changes, &desk, t3).await.expect("update_person");
        assert_person_is(b, &changes, &plain.rid(), &u);
        assert_eq!((u.created_at, u.updated_at), (t2, t3), "{b}: updated_at moves, created_at stays");
        let read = store.person_by_id(p2.id).await.expect("read updated");
        assert_eq!(json(&read), json(&u), "{b}: the update reads back");
        assert_ne!(read.name, p2.name, "{b}: the name really changed");
        let by_id = store.person_by_national_id(&plain.rid(), &vault).await.expect("still found by ID");
        assert_eq!(by_id.id, p2.id, "{b}: the ID number is kept by update_person");
        assert_eq!(actions_for(&store, p2.id).await, ["person.update", "person.create"], "{b}: update audited");
        let upd = audit_rows(&store, &AuditFilter { action: Some("person.update".into()), ..Default::default() }).await;
        assert_eq!(upd.len(), 1, "{b}: one update row");
        assert_eq!(upd[0].district.as_deref(), Some("350206"), "{b}: update row carries the new district");
        assert_eq!(upd[0].detail["district_before"], "350212", "{b}: and the old one");
        assert_not_found(b, store.update_person(uuid::Uuid::new_v4(), &changes, &desk, t3).await, "update unknown");
        // p1 is untouched by p2's update.
        assert_eq!(json(&store.person_by_id(p1.id).await.expect("p1")), json(&p1), "{b}: p1 unchanged");

        // Full ID number: revealed, and the reveal is audited without the number.
        let admin = AuditEntry {
            actor_account: Some(uuid::Uuid::new_v4()),
            actor_role: Some(Role::CityAdmin),
            ip: Some("10.35.0.1".to_string()),
        };
        let t4 = clock.tick();
        let revealed = store.reveal_national_id(p1.id, &vault, &admin, t4).await.expect("reveal");
        assert_eq!(revealed, full.rid().as_str(), "{b}: the full number comes back");
        let views =
            audit_rows(&store, &AuditFilter { action: Some("person.view_full_id".into()), ..Default::default() }).await;
        assert_eq!(views.len(), 1, "{b}: one view row");
        assert_eq!(views[0].target_id, Some(p1.id), "{b}: view row target");
        assert_eq!(views[0].target_kind.as_deref(), Some("person"), "{b}: view row kind");
        assert_eq!(views[0].actor_account, admin.actor_account, "{b}: view row actor");
        assert_eq!(views[0].actor_role.as_deref(), Some("city_admin"), "{b}: view row role");
        assert_eq!(views[0].at, t4, "{b}: view row time");
        assert_eq!(views[0].district.as_deref(), Some("350203"), "{b}: view row district");
        assert!(!views[0].detail.to_string().contains(full.rid().as_str()), "{b}: no full number in detail");
        assert_eq!(
            store.reveal_national_id(p2.id, &vault, &admin, clock.tick()).await.expect("reveal p2"),
            plain.rid().as_str(),
            "{b}: p2's number survives the update"
        );
        // A wrong key cannot decrypt, and a failed reveal leaves no audit row.
        let before = all_audit(&store).await.len();
        match store.reveal_national_id(p1.id, &other_vault(), &admin, clock.tick()).await {
            Err(StoreError::Corrupt(_)) => {}
            other => panic!("{b}: reveal with another key must fail as Corrupt, got {other:?}"),
        }
        assert_not_found(
            b,
            store.reveal_national_id(uuid::Uuid::new_v4(), &vault, &admin, clock.tick()).await,
            "reveal",
        );
        assert_eq!(all_audit(&store).await.len(), before, "{b}: failed reveals are not audited as views");

        // Nothing readable through the API holds a full number.
        let everything = serde_json::json!({
            "audit": all_audit(&store).await,
            "persons": store.list_persons(&PersonFilter::default(), PageRequest::first(100)).await.expect("list").items,
        })
        .to_string();
        for id in [&full.rid(), &plain.rid()] {
            assert!(!everything.contains(id.as_str()), "{b}: a full ID number leaked into a record or the audit");
        }
    }
}

#[tokio::test]
async fn person_lists_filter_and_page() {
    for (b, store) in backends().await {
        let vault = vault();
        let mut clock = Clock::new();
        let mut drafts = person_drafts(21, 46);
        let outsider = drafts.pop().expect("one draft kept out of the store");
        // Two persons share a mobile number (family phone): the mobile search finds both.
        drafts[12].mobile = drafts[5].mobile.clone();
        let who = AuditEntry::system();
        let mut created = Vec::new();
        for d in &drafts {
            let (p, _) = store.create_person(d, &vault, None, &who, clock.tick()).await.expect("create");
            created.push((p.id, d.clone()));
        }

        let list = |f: PersonFilter| {
            let store = &store;
            async move { store.list_persons(&f, PageRequest::first(100)).await.expect("list").items }
        };
        let ids = |v: Vec<Person>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();

        // Everything, newest first.
        assert_eq!(ids(list(PersonFilter::default()).await), newest_first(&created, |_| true), "{b}: all");

        // District.
        let mut seen_districts = 0;
        for d in DistrictCode::all() {
            let want = newest_first(&created, |p| p.district == d);
            seen_districts += usize::from(!want.is_empty());
            let f = PersonFilter { district: Some(d.as_str().to_string()), ..Default::default() };
            assert_eq!(ids(list(f).await), want, "{b}: district {}", d.as_str());
        }
        assert!(seen_districts >= 2, "{b}: the data spans several districts ({seen_districts})");

        // Name contains: a surname, a full name, a name nobody has.
        let surname: String = drafts[0].name.chars().take(1).collect();
        let want = newest_first(&created, |p| p.name.contains(&surname));
        assert!(want.len() < created.len(), "{b}: the surname filter is selective");
        let f = PersonFilter { q: Some(surname.clone()), ..Default::default() };
        assert_eq!(ids(list(f).await), want, "{b}: name contains {surname}");
        let name = drafts[9].name.clone();
        let want = newest_first(&created, |p| p.name.contains(&name));
        assert!(want.contains(&created[9].0), "{b}: the full name finds its owner");
        let f = PersonFilter { q: Some(format!("  {name} ")), ..Default::default() };
        assert_eq!(ids(list(f).await), want, "{b}: name contains {name} (trimmed)");
        let f = PersonFilter { q: Some("查无此人".into()), ..Default::default() };
        assert!(list(f).await.is_empty(), "{b}: an unknown name finds nobody");
        for wild in ["%", "_", "%_%", "\\"] {
            let f = PersonFilter { q: Some(wild.into()), ..Default::default() };
            assert!(list(f).await.is_empty(), "{b}: {wild:?} is text, not a wildcard: no name contains it");
        }

        // Mobile: exact.
        let mobile = drafts[5].mobile.as_str().to_string();
        let want = newest_first(&created, |p| p.mobile.as_str() == mobile);
        assert_eq!(want, [created[12].0, created[5].0], "{b}: two persons share the mobile");
        let f = PersonFilter { q: Some(mobile.clone()), ..Default::default() };
        assert_eq!(ids(list(f).await), want, "{b}: exact mobile");
        let f = PersonFilter { q: Some(mobile[..7].to_string()), ..Default::default() };
        assert!(list(f).await.is_empty(), "{b}: a mobile prefix is not a match");

        // The keyed hash of an ID number.
        let f = PersonFilter { national_id_hash: Some(vault.lookup_hash(&drafts[7].identity)), ..Default::default() };
        assert_eq!(ids(list(f).await), [created[7].0], "{b}: by ID hash");
        let f = PersonFilter { national_id_hash: Some(vault.lookup_hash(&outsider.identity)), ..Default::default() };
        assert!(list(f).await.is_empty(), "{b}: an ID number not stored");

        // Filters combine.
        let d = drafts[0].district;
        let want = newest_first(&created, |p| p.district == d && p.name.contains(&surname));
        let f = PersonFilter { district: Some(d.as_str().into()), q: Some(surname.clone()), ..Default::default() };
        assert_eq!(ids(list(f).await), want, "{b}: district and name");

        // Paging: 45 rows by 20 and by 15.
        let all = newest_first(&created, |_| true);
        let f = PersonFilter::default();
        let pages = walk(20, |p: &Person| p.id, |r| store.list_persons(&f, r)).await;
        assert_pages(b, "persons by 20", &pages, &[20, 20, 5], &all);
        let pages = walk(15, |p: &Person| p.id, |r| store.list_persons(&f, r)).await;
        assert_pages(b, "persons by 15", &pages, &[15, 15, 15], &all);
        let f = PersonFilter { district: Some(d.as_str().into()), ..Default::default() };
        let want = newest_first(&created, |p| p.district == d);
        let pages = walk(2, |p: &Person| p.id, |r| store.list_persons(&f, r)).await;
        assert_pages(b, "one district by 2", &pages, &page_sizes(want.len(), 2), &want);
        assert_eq!(PageRequest::new(None, Some(1000)).limit, 100, "limits are capped");
        assert_eq!(PageRequest::new(None, Some(0)).limit, 1, "limits are at least one");
    }
}

#[tokio::test]
async fn failed_person_writes_leave_nothing_behind() {
    for (b, store) in backends().await {
        let vault = vault();
        let mut clock = Clock::new();
        let drafts = person_drafts(31, 3);
        let desk = staff(Role::Caseworker);
        let (p0, a0) = store
            .create_person(&drafts[0], &vault, Some(seeker_account(&vault, &drafts[0])), &desk, clock.tick())
            .await
            .expect("first person");
        let a0 = a0.expect("first account");
        let audit_before = audit_ids(&all_audit(&store).await);
        assert_eq!(audit_before.len(), 2, "{b}: person.create and account.create");

        // Same ID number again, under another name and with its own seeker account.
        let mut twin = drafts[0].clone();
        twin.name = "冒名顶替".to_string();
        let mut twin_account = seeker_account(&vault, &drafts[1]);
        twin_account.login_key = "id:twin-login".to_string();
        assert_conflict(
            b,
            store.create_person(&twin, &vault, Some(twin_account), &desk, clock.tick()).await,
            "national_id",
        );
        assert_eq!(store.count_persons().await.expect("count"), 1, "{b}: no second person");
        assert_eq!(store.count_accounts().await.expect("count"), 1, "{b}: no second account");
        assert_not_found(b, store.account_by_login_key("id:twin-login").await, "the twin's account");
        let f = PersonFilter { q: Some("冒名顶替".into()), ..Default::default() };
        assert!(store.list_persons(&f, PageRequest::default()).await.expect("list").items.is_empty(), "{b}: no twin");
        assert_eq!(audit_ids(&all_audit(&store).await), audit_before, "{b}: no audit row for the refused twin");
        assert_eq!(json(&store.person_by_id(p0.id).await.expect("p0")), json(&p0), "{b}: the original is intact");

        // A new person whose account collides with an existing login: the person must not stay.
        let mut clash = seeker_account(&vault, &drafts[1]);
        clash.login_key = a0.login_key.clone();
        assert_conflict(b, store.create_person(&drafts[1], &vault, Some(clash), &desk, clock.tick()).await, "login");
        assert_not_found(
            b,
            store.person_by_national_id(&drafts[1].rid(), &vault).await,
            "the person of a refused account (transaction rolled back)",
        );
        assert_eq!(store.count_persons().await.expect("count"), 1, "{b}: still one person");
        assert_eq!(store.count_accounts().await.expect("count"), 1, "{b}: still one account");
        assert_eq!(audit_ids(&all_audit(&store).await), audit_before, "{b}: no audit row for the rolled-back write");
        let still = store.account_by_login_key(&a0.login_key).await.expect("a0");
        assert_eq!(still.person_id, Some(p0.id), "{b}: the existing account still points at p0");

        // The rollback freed the ID number: the same person with a fresh login goes in.
        let (p1, a1) = store
            .create_person(&drafts[1], &vault, Some(seeker_account(&vault, &drafts[1])), &desk, clock.tick())
            .await
            .expect("the retried person");
        assert_eq!(a1.expect("account").person_id, Some(p1.id), "{b}: retried account");
        assert_eq!(store.count_persons().await.expect("count"), 2, "{b}: two persons after the retry");
        assert_eq!(all_audit(&store).await.len(), 4, "{b}: the retry is audited (person + account)");
    }
}

#[tokio::test]
async fn bulk_insert_persons_is_all_or_nothing() {
    for (b, store) in backends().await {
        let vault = vault();
        let clock = Clock::new();
        let who = AuditEntry::system();
        let mut drafts = person_drafts(41, 600);
        let original_550 = drafts[550].clone();
        // The duplicate sits in the second chunk of 500; the first chunk is already inserted when it fails.
        drafts[550] = drafts[3].clone();
        assert_conflict(b, store.bulk_insert_persons(&drafts, &vault, &who, clock.current()).await, "national_id");
        assert_eq!(store.count_persons().await.expect("count"), 0, "{b}: nothing of the failed batch stays");
        assert!(all_audit(&store).await.is_empty(), "{b}: no audit row for the failed batch");
        assert_not_found(b, store.person_by_national_id(&drafts[0].rid(), &vault).await, "first-chunk person");

        drafts[550] = original_550;
        let ids = store.bulk_insert_persons(&drafts, &vault, &who, clock.current()).await.expect("bulk insert");
        assert_eq!(ids.len(), 600, "{b}: one id per draft");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 600, "{b}: distinct ids");
        assert_eq!(store.count_persons().await.expect("count"), 600, "{b}: all 600 stored");
        for i in [0, 499, 500, 550, 599] {
            let p = store.person_by_id(ids[i]).await.expect("bulk person");
            assert_person_is(b, &drafts[i].changes(), &drafts[i].rid(), &p);
            let found = store.person_by_national_id(&drafts[i].rid(), &vault).await.expect("by ID");
            assert_eq!(found.id, ids[i], "{b}: ids are returned in draft order ({i})");
        }
        let rows = all_audit(&store).await;
        assert_eq!(rows.len(), 1, "{b}: one audit row per batch");
        assert_eq!(rows[0].action, "person.bulk_create", "{b}: bulk audit action");
        assert_eq!(rows[0].detail["count"], 600, "{b}: bulk audit count");

        // A batch colliding with stored persons is refused whole.
        let more = person_drafts(42, 3);
        let batch = vec![more[0].clone(), drafts[10].clone(), more[1].clone()];
        assert_conflict(b, store.bulk_insert_persons(&batch, &vault, &who, clock.current()).await, "national_id");
        assert_eq!(store.count_persons().await.expect("count"), 600, "{b}: the refused batch added nobody");
        assert_eq!(all_audit(&store).await.len(), 1, "{b}: and no audit row");
    }
}

/// Screening reads everyone in id order, a page at a time, with the digest of what each was
/// last told; recording a page delivers each message once and keeps the new digests, and a
/// person not in the page is untouched.
#[tokio::test]
async fn screening_reads_in_pages_and_records_only_what_changed() {
    for (b, store) in backends().await {
        let vault = vault();
        let mut clock = Clock::new();
        let who = AuditEntry::system();
        let mut ids = Vec::new();
        for d in person_drafts(31, 5) {
            ids.push(store.create_person(&d, &vault, None, &who, clock.tick()).await.expect("create").0.id);
        }
        ids.sort();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = store.screening_rows(after, 2).await.expect("page");
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            assert!(page.iter().all(|r| r.screened.is_none()), "{b}: never screened yet");
            seen.extend(page.iter().map(|r| r.id));
        }
        assert_eq!(seen, ids, "{b}: everyone once, in id order");
        let item = |who: uuid::Uuid, policy: &str| jiuye_store::NewInboxItem {
            recipient_id: who,
            recipient_kind: "person".into(),
            topic: "screening".into(),
            policy_id: Some(policy.into()),
            outcome: "undetermined".into(),
            amount_fen: 0,
            detail: serde_json::json!({}),
            dedupe_key: format!("screen:{who}:{policy}:v1:undetermined"),
        };
        let items = vec![item(ids[0], "a"), item(ids[0], "b"), item(ids[1], "a")];
        let digests = vec![(ids[0], -7_i64), (ids[1], i64::MAX)];
        let n = store.record_screening(&items, &digests, clock.tick()).await.expect("record");
        assert_eq!(n, 3, "{b}");
        // The same messages again (a digest recomputed the same way): nothing new delivered.
        let n = store.record_screening(&items, &[(ids[0], 42)], clock.tick()).await.expect("again");
        assert_eq!(n, 0, "{b}: each message once");
        let rows = store.screening_rows(None, 10).await.expect("rows");
        let digest = |id| rows.iter().find(|r| r.id == id).and_then(|r| r.screened);
        assert_eq!((digest(ids[0]), digest(ids[1]), digest(ids[2])), (Some(42), Some(i64::MAX), None), "{b}");
        assert_eq!(store.inbox_of(ids[0], 10).await.expect("inbox").len(), 2, "{b}");
    }
}
