//! Vacancies: round trip, update, filters (occupation prefix, kind, open on a date, …), paging,
//! the status rules and the expiry sweep.

use chrono::{Days, Duration, NaiveDate};
use jiuye_domain::codes::{DistrictCode, EducationLevel, OccupationCode};
use jiuye_domain::records::{Pay, PayUnit, Vacancy, VacancyDraft, VacancyKind, VacancyStatus};
use jiuye_domain::roles::Role;
use jiuye_store::{AuditEntry, AuditFilter, PageRequest, Store, VacancyFilter};
use uuid::Uuid;

use crate::common::*;

fn occ(code: &str) -> OccupationCode {
    OccupationCode::parse(code).expect("a known occupation")
}

fn days_from_today(n: i64) -> NaiveDate {
    if n >= 0 {
        today().checked_add_days(Days::new(n.unsigned_abs())).expect("a date")
    } else {
        today().checked_sub_days(Days::new(n.unsigned_abs())).expect("a date")
    }
}

fn assert_vacancy_is(b: &str, d: &VacancyDraft, v: &Vacancy) {
    assert_eq!(v.title, d.title, "{b}: title");
    assert_eq!(v.description, d.description, "{b}: description");
    assert_eq!(v.occupation, d.occupation, "{b}: occupation");
    assert_eq!(v.industry, d.industry, "{b}: industry");
    assert_eq!(v.district, d.district, "{b}: district");
    assert_eq!(v.address, d.address, "{b}: address");
    assert_eq!(v.latitude, d.latitude, "{b}: latitude");
    assert_eq!(v.longitude, d.longitude, "{b}: longitude");
    assert_eq!((v.salary_min, v.salary_max), d.pay.salary(), "{b}: salary");
    assert_eq!(v.pay, d.pay, "{b}: pay as stated");
    assert_eq!(v.headcount, d.headcount, "{b}: headcount");
    assert_eq!(v.education_required, d.education_required, "{b}: education required");
    assert_eq!(v.kind, d.kind, "{b}: kind");
    assert_eq!((v.opens_on, v.closes_on), (d.opens_on, d.closes_on), "{b}: dates");
    assert_eq!(v.skills, d.skills, "{b}: skills");
}

/// Employers stored, vacancies not: (employer ids, employer names, vacancy drafts with employer ids).
async fn employers_and_drafts(
    store: &Store,
    clock: &mut Clock,
    seed: u64,
    employers: usize,
    vacancies: usize,
) -> (Vec<Uuid>, Vec<String>, Vec<(Uuid, VacancyDraft)>) {
    let (e, v) = market(seed, employers, vacancies);
    let mut ids = Vec::new();
    for d in &e {
        let (stored, _) =
            store.create_employer(d, None, &AuditEntry::system(), clock.tick()).await.expect("create employer");
        ids.push(stored.id);
    }
    let names = e.iter().map(|d| d.name.clone()).collect();
    let drafts = v.into_iter().map(|(i, d)| (ids[i], d)).collect();
    (ids, names, drafts)
}

#[tokio::test]
async fn vacancy_round_trip_and_update() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let (employer_ids, names, drafts) = employers_and_drafts(&store, &mut clock, 61, 2, 2).await;
        let desk = staff(Role::Caseworker);

        let (eid, mut rich) = drafts[0].clone();
        rich.title = "电工（持低压电工证）".to_string();
        rich.description =
            "负责厂区低压配电设备的日常巡检与维护。\n要求：持证上岗，能适应倒班；\"五险一金\"，包住宿。".to_string();
        rich.occupation = occ("6-31-01-03");
        rich.latitude = Some(24.479_833_123_456);
        rich.longitude = Some(118.089_425_987_654);
        rich.education_required = Some(EducationLevel::TechnicalSchool);
        rich.kind = VacancyKind::FullTime;
        rich.skills = vec!["低压电工作业".to_string(), "PLC 编程".to_string(), "吃苦耐劳".to_string()];
        assert!(rich.check(today()).is_empty(), "the rich draft is valid: {:?}", rich.check(today()));
        let (eid2, mut plain) = drafts[1].clone();
        plain.latitude = None;
        plain.longitude = None;
        plain.education_required = None;
        plain.skills = Vec::new();

        let t1 = clock.tick();
        let v1 = store.create_vacancy(eid, &rich, &desk, t1).await.expect("create vacancy");
        assert_vacancy_is(b, &rich, &v1);
        assert_eq!(v1.employer_id, eid, "{b}: employer id");
        let name_of = |id: Uuid| names[employer_ids.iter().position(|e| *e == id).expect("known employer")].clone();
        assert_eq!(v1.employer_name, name_of(eid), "{b}: employer name");
        assert_eq!(v1.status, VacancyStatus::Open, "{b}: a new vacancy is open");
        assert_eq!((v1.created_at, v1.updated_at), (t1, t1), "{b}: timestamps");
        let t2 = clock.tick();
        let v2 = store.create_vacancy(eid2, &plain, &desk, t2).await.expect("create plain vacancy");
        assert_vacancy_is(b, &plain, &v2);
        for v in [&v1, &v2] {
            assert_eq!(json(&store.vacancy_by_id(v.id).await.expect("read")), json(v), "{b}: reads back equal");
        }
        assert_eq!(actions_for(&store, v1.id).await, ["vacancy.create"], "{b}: creation audited");
        let row = &audit_rows(&store, &AuditFilter { target_id: Some(v1.id), ..Default::default() }).await[0];
        assert_eq!(row.detail["employer_id"], eid.to_string(), "{b}: audit names the employer");
        assert_eq!(row.detail["title"], rich.title.as_str(), "{b}: and the title");
        assert_eq!(row.district.as_deref(), Some(rich.district.as_str()), "{b}: and the district");

        // An unknown employer: refused, nothing written.
        let audit_before = audit_ids(&all_audit(&store).await);
        assert_not_found(b, store.create_vacancy(Uuid::new_v4(), &plain, &desk, clock.tick()).await, "no employer");
        assert_eq!(store.count_vacancies().await.expect("count"), 2, "{b}: no orphan vacancy");
        assert_eq!(audit_ids(&all_audit(&store).await), audit_before, "{b}: no audit for the orphan");
        assert_not_found(b, store.vacancy_by_id(Uuid::new_v4()).await, "unknown vacancy");

        // Update.
        let mut changed = rich.clone();
        changed.title = "高级电工（夜班）".to_string();
        changed.description = "夜班为主。".to_string();
        changed.occupation = occ("6-31-01-02");
        changed.district = DistrictCode::parse(if rich.district.as_str() == "350203" { "350206" } else { "350203" })
            .expect("a district");
        changed.address = "厦门市集美区杏林湾路 88 号".to_string();
        changed.latitude = None;
        changed.longitude = None;
        // Paid by the day now: the rate is kept, the monthly figure is 21.75 days of it.
        changed.pay = Pay::state(PayUnit::Day, (Some(32_000), Some(43_750)), (None, None)).expect("a day rate");
        changed.headcount = 3;
        changed.education_required = None;
        changed.kind = VacancyKind::PartTime;
        changed.opens_on = days_from_today(1);
        changed.closes_on = days_from_today(90);
        changed.skills = vec!["高压电工作业".to_string()];
        assert!(changed.check(today()).is_empty(), "the changed draft is valid");
        let t3 = clock.advance(Duration::days(1));
        let u = store.update_vacancy(v1.id, &changed, &desk, t3).await.expect("update");
        assert_vacancy_is(b, &changed, &u);
        assert_eq!((u.created_at, u.updated_at), (t1, t3), "{b}: updated_at moves");
        assert_eq!((u.employer_id, u.status), (eid, VacancyStatus::Open), "{b}: employer and status stay");
        let read = store.vacancy_by_id(v1.id).await.expect("read");
        assert_eq!(json(&read), json(&u), "{b}: the update reads back");
        assert_ne!(read.title, v1.title, "{b}: the title really changed");
        assert_eq!(actions_for(&store, v1.id).await, ["vacancy.update", "vacancy.create"], "{b}: update audited");
        assert_not_found(b, store.update_vacancy(Uuid::new_v4(), &changed, &desk, t3).await, "update unknown");
        assert_eq!(json(&store.vacancy_by_id(v2.id).await.expect("v2")), json(&v2), "{b}: v2 untouched");
    }
}

#[tokio::test]
async fn vacancy_lists_filter_and_page() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let (employer_ids, names, mut drafts) = employers_and_drafts(&store, &mut clock, 62, 3, 45).await;
        drafts[0].1.occupation = occ("6-31-01-03");
        drafts[1].1.occupation = occ("6-31-01-02");
        drafts[2].1.occupation = occ("6-30-01-00");
        // Not yet open; past its close date but not yet swept; closed by hand (below).
        drafts[3].1.opens_on = days_from_today(5);
        drafts[3].1.closes_on = days_from_today(60);
        drafts[4].1.opens_on = days_from_today(-40);
        drafts[4].1.closes_on = days_from_today(-1);
        drafts[5].1.kind = VacancyKind::Gig;
        drafts[5].1.occupation = occ("6-31-01-03");
        drafts[6].1.kind = VacancyKind::PublicWelfare;
        drafts[8].1.title = "仓库管理员（100%包吃住）".to_string();
        let who = AuditEntry::system();
        let mut created = Vec::new();
        for (eid, d) in &drafts {
            let v = store.create_vacancy(*eid, d, &who, clock.tick()).await.expect("create vacancy");
            created.push((v.id, (*eid, d.clone())));
        }
        let closed = created[7].0;
        store.set_vacancy_status(closed, VacancyStatus::Closed, &who, clock.tick()).await.expect("close");

        let list = |f: VacancyFilter| {
            let store = &store;
            async move { store.list_vacancies(&f, PageRequest::first(100)).await.expect("list").items }
        };
        let ids = |v: &[Vacancy]| v.iter().map(|x| x.id).collect::<Vec<_>>();

        let everything = list(VacancyFilter::default()).await;
        assert_eq!(ids(&everything), newest_first(&created, |_| true), "{b}: all");
        for v in &everything {
            let i = employer_ids.iter().position(|e| *e == v.employer_id).expect("a known employer");
            assert_eq!(v.employer_name, names[i], "{b}: listed vacancies carry their employer's name");
        }

        // Occupation at any level; the dash keeps `6-3` from matching `6-31`.
        let under = |prefix: &str| {
            let prefix = prefix.to_string();
            newest_first(&created, move |(_, d)| {
                let c = d.occupation.as_str();
                c == prefix || c.starts_with(&format!("{prefix}-"))
            })
        };
        let f = |o: &str| VacancyFilter { occupation: Some(o.to_string()), ..Default::default() };
        let want = under("6-31");
        assert!(want.contains(&created[0].0) && want.contains(&created[1].0), "{b}: 6-31 holds v0, v1");
        assert!(!want.contains(&created[2].0), "{b}: 6-30-01-00 is not under 6-31");
        assert_eq!(ids(&list(f("6-31")).await), want, "{b}: occupation 6-31");
        assert!(list(f("6-3")).await.is_empty(), "{b}: 6-3 is a prefix of text, not of the code");
        assert_eq!(ids(&list(f("6-31-01-03")).await), [created[5].0, created[0].0], "{b}: a detailed code");
        assert_eq!(ids(&list(f("6-30")).await), under("6-30"), "{b}: occupation 6-30");
        let six = under("6");
        assert!(six.len() >= 3 && six.len() < 45, "{b}: major group 6 is selective ({})", six.len());
        assert_eq!(ids(&list(f("6")).await), six, "{b}: major group 6");

        // Kind.
        let mut total = 0;
        for k in VacancyKind::ALL {
            let want = newest_first(&created, |(_, d)| d.kind == k);
            total += want.len();
            let got = list(VacancyFilter { kind: Some(k), ..Default::default() }).await;
            assert_eq!(ids(&got), want, "{b}: kind {}", k.as_str());
        }
        assert_eq!(total, 45, "{b}: every vacancy has one kind");

        // Open on a date: status open, opened, not closed.
        let open_today = list(VacancyFilter { open_on: Some(today()), ..Default::default() }).await;
        let want: Vec<Uuid> = newest_first(&created, |(_, d)| d.opens_on <= today() && today() <= d.closes_on)
            .into_iter()
            .filter(|id| *id != closed)
            .collect();
        assert_eq!(ids(&open_today), want, "{b}: open today");
        for (i, why) in [(3, "not yet open"), (4, "past its close date"), (7, "closed by hand")] {
            assert!(!ids(&open_today).contains(&created[i].0), "{b}: v{i} is {why}");
        }
        assert!(ids(&open_today).contains(&created[0].0), "{b}: v0 is open today");
        let later = list(VacancyFilter { open_on: Some(days_from_today(10)), ..Default::default() }).await;
        assert!(ids(&later).contains(&created[3].0), "{b}: v3 is open in ten days");

        // Status.
        let got = list(VacancyFilter { status: Some(VacancyStatus::Closed), ..Default::default() }).await;
        assert_eq!(ids(&got), [closed], "{b}: closed");
        let got = list(VacancyFilter { status: Some(VacancyStatus::Open), ..Default::default() }).await;
        assert_eq!(got.len(), 44, "{b}: the rest are open (v4 not yet swept)");

        // District, employer, title text.
        let mut seen = 0;
        for d in DistrictCode::all() {
            let want = newest_first(&created, |(_, v)| v.district == d);
            seen += usize::from(!want.is_empty());
            let got = list(VacancyFilter { district: Some(d.as_str().into()), ..Default::default() }).await;
            assert_eq!(ids(&got), want, "{b}: district {}", d.as_str());
        }
        assert!(seen >= 2, "{b}: vacancies in several districts");
        for e in &employer_ids {
            let want = newest_first(&created, |(owner, _)| owner == e);
            let got = list(VacancyFilter { employer_id: Some(*e), ..Default::default() }).await;
            assert_eq!(ids(&got), want, "{b}: employer {e}");
        }
        let got = list(VacancyFilter { q: Some("100%包吃住".into()), ..Default::default() }).await;
        assert_eq!(ids(&got), [created[8].0], "{b}: title contains, with a percent sign");
        let word: String = drafts[9].1.title.chars().take(2).collect();
        let want = newest_first(&created, |(_, d)| d.title.contains(&word) || d.description.contains(&word));
        let got = list(VacancyFilter { q: Some(word.clone()), ..Default::default() }).await;
        assert_eq!(ids(&got), want, "{b}: title or description contains {word}");

        // Combined: open today in one district.
        let d = drafts[0].1.district;
        let want: Vec<Uuid> =
            newest_first(&created, |(_, v)| v.district == d && v.opens_on <= today() && today() <= v.closes_on)
                .into_iter()
                .filter(|id| *id != closed)
                .collect();
        let got =
            list(VacancyFilter { district: Some(d.as_str().into()), open_on: Some(today()), ..Default::default() })
                .await;
        assert_eq!(ids(&got), want, "{b}: open today in {}", d.as_str());

        // Paging.
        let all = newest_first(&created, |_| true);
        let f = VacancyFilter::default();
        let pages = walk(20, |v: &Vacancy| v.id, |r| store.list_vacancies(&f, r)).await;
        assert_pages(b, "vacancies by 20", &pages, &[20, 20, 5], &all);
        let e = employer_ids[0];
        let want = newest_first(&created, |(owner, _)| *owner == e);
        let f = VacancyFilter { employer_id: Some(e), ..Default::default() };
        let pages = walk(4, |v: &Vacancy| v.id, |r| store.list_vacancies(&f, r)).await;
        assert_pages(b, "one employer by 4", &pages, &page_sizes(want.len(), 4), &want);
    }
}

#[tokio::test]
async fn vacancy_status_rules_and_expiry() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let (_, _, drafts) = employers_and_drafts(&store, &mut clock, 63, 1, 5).await;
        let desk = staff(Role::Caseworker);
        // (label, closes_on relative to today)
        let plan = [("due", -1), ("closes_today", 0), ("closed_by_hand", -10), ("later", 1), ("filled", -3)];
        let mut ids = Vec::new();
        for ((_, close), (eid, d)) in plan.iter().zip(&drafts) {
            let mut d = d.clone();
            d.opens_on = days_from_today(-30);
            d.closes_on = days_from_today(*close);
            ids.push(store.create_vacancy(*eid, &d, &desk, clock.tick()).await.expect("create").id);
        }
        let [due, closes_today, by_hand, later, filled] = ids[..] else { panic!("five vacancies") };

        // Hand-made transitions.
        let status_rows = |store: &Store| {
            let store = store.clone();
            async move {
                audit_rows(&store, &AuditFilter { action: Some("vacancy.status".into()), ..Default::default() }).await
            }
        };
        let t = clock.tick();
        let v = store.set_vacancy_status(later, VacancyStatus::Closed, &desk, t).await.expect("open → closed");
        assert_eq!((v.status, v.updated_at), (VacancyStatus::Closed, t), "{b}: closed");
        let rows = status_rows(&store).await;
        assert_eq!(rows.len(), 1, "{b}: one status row");
        assert_eq!(rows[0].target_id, Some(later), "{b}: status row target");
        assert_eq!(rows[0].detail, serde_json::json!({ "from": "open", "to": "closed" }), "{b}: status row detail");
        assert_eq!(rows[0].actor_account, desk.actor_account, "{b}: status row actor");

        assert_conflict(
            b,
            store.set_vacancy_status(later, VacancyStatus::Filled, &desk, clock.tick()).await,
            "vacancy_status",
        );
        let v = store.vacancy_by_id(later).await.expect("read");
        assert_eq!((v.status, v.updated_at), (VacancyStatus::Closed, t), "{b}: a refused change changes nothing");
        assert_eq!(status_rows(&store).await.len(), 1, "{b}: and is not audited");
        assert_conflict(
            b,
            store.set_vacancy_status(later, VacancyStatus::Expired, &desk, clock.tick()).await,
            "vacancy_status",
        );
        let v = store.set_vacancy_status(later, VacancyStatus::Open, &desk, clock.tick()).await.expect("reopen");
        assert_eq!(v.status, VacancyStatus::Open, "{b}: closed → open");
        assert_conflict(
            b,
            store.set_vacancy_status(later, VacancyStatus::Open, &desk, clock.tick()).await,
            "vacancy_status",
        );
        store.set_vacancy_status(by_hand, VacancyStatus::Closed, &desk, clock.tick()).await.expect("close");
        store.set_vacancy_status(filled, VacancyStatus::Filled, &desk, clock.tick()).await.expect("fill");
        assert_conflict(
            b,
            store.set_vacancy_status(filled, VacancyStatus::Open, &desk, clock.tick()).await,
            "vacancy_status",
        );
        assert_not_found(
            b,
            store.set_vacancy_status(Uuid::new_v4(), VacancyStatus::Closed, &desk, clock.tick()).await,
            "unknown vacancy",
        );
        assert_eq!(status_rows(&store).await.len(), 4, "{b}: four accepted changes, four rows");

        // The sweep: only open vacancies whose close date has passed.
        let expire_rows = |store: &Store| {
            let store = store.clone();
            async move {
                audit_rows(&store, &AuditFilter { action: Some("vacancy.expire".into()), ..Default::default() }).await
            }
        };
        let swept_at = clock.advance(Duration::hours(1));
        let n = store.expire_due_vacancies(today(), swept_at).await.expect("sweep");
        assert_eq!(n, 1, "{b}: one vacancy was due");
        let status = |id: Uuid| {
            let store = store.clone();
            async move { store.vacancy_by_id(id).await.expect("read") }
        };
        let v = status(due).await;
        assert_eq!((v.status, v.updated_at), (VacancyStatus::Expired, swept_at), "{b}: the due one expired");
        assert_eq!(status(closes_today).await.status, VacancyStatus::Open, "{b}: closing today is still open");
        assert_eq!(status(by_hand).await.status, VacancyStatus::Closed, "{b}: closed stays closed");
        assert_eq!(status(later).await.status, VacancyStatus::Open, "{b}: later stays open");
        assert_eq!(status(filled).await.status, VacancyStatus::Filled, "{b}: filled stays filled");
        let rows = expire_rows(&store).await;
        assert_eq!(rows.len(), 1, "{b}: one audit row per sweep");
        assert_eq!(rows[0].detail["count"], 1, "{b}: the row counts the expired");
        assert_eq!((rows[0].at, rows[0].actor_account), (swept_at, None), "{b}: the system swept");

        // Sweeping again the same day finds nothing and writes nothing.
        assert_eq!(store.expire_due_vacancies(today(), clock.tick()).await.expect("sweep"), 0, "{b}: nothing due");
        assert_eq!(expire_rows(&store).await.len(), 1, "{b}: an empty sweep is not audited");

        // Tomorrow the one closing today is due; an expired vacancy may be reopened (renewed).
        let v = store.set_vacancy_status(due, VacancyStatus::Open, &desk, clock.tick()).await.expect("renew");
        assert_eq!(v.status, VacancyStatus::Open, "{b}: expired → open");
        let n = store.expire_due_vacancies(days_from_today(1), clock.advance(Duration::days(1))).await.expect("sweep");
        assert_eq!(n, 2, "{b}: tomorrow: closes_today and the renewed (still past its date) expire");
        assert_eq!(status(closes_today).await.status, VacancyStatus::Expired, "{b}: closes_today expired");
        assert_eq!(status(later).await.status, VacancyStatus::Open, "{b}: later closes tomorrow: still open");
        assert_eq!(expire_rows(&store).await.len(), 2, "{b}: two sweeps, two rows");
    }
}
