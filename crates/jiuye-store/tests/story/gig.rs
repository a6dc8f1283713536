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
