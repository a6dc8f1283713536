//! The gig market on both backends: a gig never takes more workers than its headcount, also
//! when 50 workers accept a 3-person gig at once; a refused booking leaves nothing.

use jiuye_domain::roles::Role;
use jiuye_store::repo::gig::{Side, Step};
use jiuye_store::{NewGigDemand, NewGigSite, StoreError};

use crate::common::*;

fn site(token: &str) -> NewGigSite {
    NewGigSite {
        name: "湖里区零工市场".into(),
        layout: "comprehensive".into(),
        mode: "bureau".into(),
        operator: "湖里区人力资源服务中心".into(),
        district: "350206".into(),
        address: "湖里区金山街道".into(),
        lat_e6: 24_512_100,
        lon_e6: 118_146_000,
        hours: "07:00–19:00".into(),
        amenities: vec!["饮水".into()],
        services: vec!["matching".into(), "rights".into()],
        recognised_on: None,
        recognition_evidence: None,
        checkin_token: token.into(),
    }
}

fn gig(poster: uuid::Uuid, headcount: i32) -> NewGigDemand {
    NewGigDemand {
        poster_account: poster,
        employer_id: None,
        person_id: None,
        trade: "4-02-05-01".into(),
        title: "仓库搬运工".into(),
        details: "装卸货物".into(),
        district: "350206".into(),
        address: "湖里区金山街道".into(),
        site_id: None,
        lat_e6: 24_512_100,
        lon_e6: 118_146_000,
        starts_at: t0() + chrono::Duration::days(1),
        days: 1,
        hours_per_day: 8,
        headcount,
        pay_unit: "day".into(),
        pay_fen: 20_000,
        holds: vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_workers_accepting_a_three_person_gig_get_three_bookings() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let who = staff(Role::Caseworker);
        let ids =
            store.bulk_insert_persons(&person_drafts(41, 50), &vault(), &who, clock.tick()).await.expect("persons");
        store.create_gig_site(&site("t-1"), &who, clock.tick()).await.expect("site");
        let dup = store.create_gig_site(&site("t-1"), &who, clock.tick()).await;
        assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{b}: a check-in token is one site's");
        let g = store.post_gig(&gig(uuid::Uuid::nil(), 3), &who, clock.tick()).await.expect("gig");
        assert_eq!(g.status, "open", "{b}: a post without holds is open at once");
        let at = clock.tick();
        let mut tasks = Vec::new();
        for person in ids.clone() {
            let store = store.clone();
            let who = who.clone();
            tasks.push(tokio::spawn(async move { store.accept_gig(g.id, person, &who, at).await }));
        }
        let (mut ok, mut full) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::Refused(e)) if e.code == "gig.full" => full += 1,
                Err(e) => panic!("{b}: unexpected: {e:?}"),
            }
        }
        assert_eq!((ok, full), (3, 47), "{b}: 50 acceptances racing for 3 places");
        let after = store.gig_by_id(g.id).await.expect("gig");
        assert_eq!((after.booked, after.status.as_str()), (3, "filled"), "{b}");
        assert_eq!(store.bookings_of_gig(g.id).await.expect("bookings").len(), 3, "{b}: exactly three bookings");

        // The same worker twice: refused, and the count is not raised by the refused attempt.
        let g2 = store.post_gig(&gig(uuid::Uuid::nil(), 2), &who, clock.tick()).await.expect("gig");
        store.accept_gig(g2.id, ids[0], &who, clock.tick()).await.expect("first");
        let twice = store.accept_gig(g2.id, ids[0], &who, clock.tick()).await;
        assert!(matches!(twice, Err(StoreError::Refused(ref e)) if e.code == "gig.already_booked"), "{b}: {twice:?}");
        assert_eq!(store.gig_by_id(g2.id).await.expect("gig").booked, 1, "{b}: a refused booking leaves nothing");

        // Held posts take nobody until staff publish them.
        let mut held = gig(uuid::Uuid::nil(), 1);
        held.holds = vec![jiuye_store::Hold { code: "gig.hold.unverified".into(), field: None, args: vec![] }];
        let h = store.post_gig(&held, &who, clock.tick()).await.expect("held");
        assert_eq!(h.status, "held");
        let early = store.accept_gig(h.id, ids[1], &who, clock.tick()).await;
        assert!(matches!(early, Err(StoreError::Refused(ref e)) if e.code == "gig.not_open"), "{b}: {early:?}");
        store.review_gig(h.id, true, uuid::Uuid::nil(), &who, clock.tick()).await.expect("publish");
        let booking = store.accept_gig(h.id, ids[1], &who, clock.tick()).await.expect("accept");

        // Both sides confirm; then ratings, once each.
        let early_rating = store.rate_gig(booking.id, Side::Worker, 5, &who, clock.tick()).await;
        assert!(matches!(early_rating, Err(StoreError::Refused(ref e)) if e.code == "gig.rate_after_done"), "{b}");
        let s = store.confirm_gig(booking.id, Side::Worker, Step::Start, &who, clock.tick()).await.expect("w start");
        assert_eq!(s.status, "booked");
        let s = store.confirm_gig(booking.id, Side::Employer, Step::Start, &who, clock.tick()).await.expect("e start");
        assert_eq!(s.status, "started");
        store.confirm_gig(booking.id, Side::Worker, Step::Done, &who, clock.tick()).await.expect("w done");
        let s = store.confirm_gig(booking.id, Side::Employer, Step::Done, &who, clock.tick()).await.expect("e done");
        assert_eq!(s.status, "done", "{b}");
        store.rate_gig(booking.id, Side::Worker, 5, &who, clock.tick()).await.expect("rate");
        let again = store.rate_gig(booking.id, Side::Worker, 1, &who, clock.tick()).await;
        assert!(matches!(again, Err(StoreError::Refused(ref e)) if e.code == "gig.already_rated"), "{b}");
    }
}

/// A case for the workbench tests: received in `district`, its nearest deadline `due` days from
/// 2026-12-01 (none: no clock runs).
fn case(n: u128, district: &str, due: Option<i64>) -> jiuye_store::LabourCase {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    jiuye_store::LabourCase {
        id: uuid::Uuid::from_u128(0x1abc_0000 + n),
        kind: "complaint".into(),
        origin_id: None,
        gig_booking_id: None,
        district: district.into(),
        person_id: None,
        employer_id: None,
        employer_name: format!("某劳务公司{n}"),
        workers: 1,
        amount_fen: 300_000,
        period_from: day - chrono::Duration::days(60),
        period_to: day - chrono::Duration::days(1),
        evidence: "工资条".into(),
        received_on: day,
        status: if due.is_some() { "accepted" } else { "closed" }.into(),
        accepted_on: Some(day),
        extended: false,
        suspensions: vec![],
        decided_on: None,
        outcome: None,
        recovered_fen: None,
        knew_on: None,
        employment_ended: None,
        referred_on: None,
        due_on: due.map(|d| day + chrono::Duration::days(d)),
        decided_in_time: None,
        warned_for: None,
        created_at: t0(),
        mediation_org_id: None,
    }
}

#[tokio::test]
async fn the_running_cases_page_by_deadline_and_the_sweep_warns_of_each_once() {
    for (b, store) in backends().await {
        let mut clock = Clock::new();
        let who = staff(Role::CityAdmin);
        // Deadlines with ties, two districts, closed cases in between; loaded out of order.
        let dues =
            [Some(9), Some(2), None, Some(2), Some(30), Some(5), None, Some(2), Some(9), Some(1), Some(40), Some(5)];
        let cases: Vec<_> = dues
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| case(i as u128, if i % 3 == 0 { "350206" } else { "350203" }, *d))
            .collect();
        store.bulk_load_labour_cases(&cases, &who, clock.tick()).await.expect("cases");
        for district in [None, Some("350203"), Some("350206")] {
            let mut want: Vec<_> = cases
                .iter()
                .filter(|c| c.due_on.is_some() && district.is_none_or(|d| c.district == d))
                .map(|c| (c.due_on, c.id))
                .collect();
            want.sort();
            let mut got = Vec::new();
            for offset in (0..want.len() as u64 + 3).step_by(3) {
                let page =
                    store.labour_cases(district, None, jiuye_store::CaseOrder::Due { offset }, 3).await.expect("page");
                assert!(page.len() <= 3, "{b}");
                got.extend(page.iter().map(|c| (c.due_on, c.id)));
            }
            assert_eq!(got, want, "{b}: {district:?}");
        }
        // Within the warning up to 12-06: the cases due 12-02, 12-03 (three) and 12-06 (two).
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let until = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        let first = store.sweep_labour_deadlines(today, until, &who, clock.tick()).await.expect("sweep");
        let sum = |f: fn(&jiuye_store::DueDigest) -> u64, ds: &[jiuye_store::DueDigest]| ds.iter().map(f).sum::<u64>();
        assert_eq!((sum(|d| d.warned, &first), sum(|d| d.breached, &first)), (6, 1), "{b}: {first:?}");
        let again = store.sweep_labour_deadlines(today, until, &who, clock.tick()).await.expect("sweep");
        assert_eq!((sum(|d| d.warned, &again), sum(|d| d.due_soon + d.breached, &again)), (0, 6), "{b}: {again:?}");
        let warned = store
            .labour_cases(None, None, jiuye_store::CaseOrder::Due { offset: 0 }, 20)
            .await
            .expect("list")
            .into_iter()
            .filter(|c| c.warned_for.is_some())
            .map(|c| (c.warned_for, c.due_on))
            .collect::<Vec<_>>();
        assert_eq!(warned.len(), 6, "{b}");
        assert!(warned.iter().all(|(w, d)| w == d), "{b}: each marked with its own deadline: {warned:?}");
    }
}

/// A generated profile for the SQL baseline: `trade`, available `availability` today, at `at`.
fn profile(n: u128, trade: &str, availability: &str, at: (f64, f64), rate: i64) -> jiuye_store::GigWorker {
    jiuye_store::GigWorker {
        person_id: uuid::Uuid::from_u128(n),
        trades: vec![trade.into()],
        availability: availability.into(),
        available_from: today(),
        rate_day_fen: rate,
        home_site: None,
        district: "350206".into(),
        cell: jiuye_domain::gig::place::cell_of(at).expect("a cell"),
        checked_in_at: None,
        checkin_site: None,
        since: today(),
    }
}

#[tokio::test]
async fn the_sql_distance_baseline_finds_the_near_available_workers_of_the_trade() {
    for (b, store) in backends().await {
        let clock = Clock::new();
        let now = clock.current();
        let hub = (24.5121, 118.146);
        let north = |km: f64| (hub.0 + km / 111.32, hub.1);
        let mut checked_in = profile(7, "4-02-05-01", "off", north(0.5), 0);
        checked_in.checked_in_at = Some(now - chrono::Duration::hours(2));
        let mut lapsed = profile(8, "4-02-05-02", "off", north(0.5), 0);
        lapsed.checked_in_at = Some(now - chrono::Duration::hours(13));
        let workers = vec![
            profile(1, "4-02-05-01", "today", hub, 0),
            profile(2, "4-02-05-03", "today", north(1.0), 15_000),
            profile(3, "4-02-05-01", "today", north(5.0), 0),
            profile(4, "4-09-08-01", "today", hub, 0),
            profile(5, "4-02-05-01", "off", hub, 0),
            profile(6, "4-02-05-01", "week", north(1.5), 30_000),
            checked_in,
            lapsed,
        ];
        store.bulk_load_gig_workers(&workers, &staff(Role::CityAdmin), now).await.expect("profiles");
        let centres: Vec<_> = workers
            .iter()
            .map(|w| {
                let centre = jiuye_domain::gig::place::centre_of(w.cell).expect("a centre");
                (w.cell, centre)
            })
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .map(|(c, (lat, lon))| (c, lat, lon))
            .collect();
        store.baseline_gig_cells(&centres).await.expect("cells");
        let q = jiuye_store::baseline_gig::GigSqlQuery {
            at: hub,
            crow_km: 3.0 / 1.3,
            trade_group: "4-02-05".into(),
            day_pay_fen: 20_000,
            now,
            today: today(),
            limit: 50,
        };
        let found = store.baseline_gig_nearest(&q).await.expect("query");
        let ids: Vec<u128> = found.iter().map(|(p, _)| p.as_u128()).collect();
        // Near, of the trade, available, asking no more than the pay; nearest first. Not the one
        // 5 km away, of another trade, off, asking 300 元, or whose check-in lapsed.
        assert_eq!(ids, vec![1, 7, 2], "{b}: {found:?}");
        assert!(found[0].1 < 0.2 && (found[2].1 - 1.0).abs() < 0.3, "{b}: distances {found:?}");
        let one = store.baseline_gig_nearest(&jiuye_store::baseline_gig::GigSqlQuery { limit: 1, ..q }).await;
        assert_eq!(one.expect("query").len(), 1, "{b}");
    }
}
