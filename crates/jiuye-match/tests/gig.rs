//! Instant gig matching as tables: who is eligible, how the rank is made, the priority rule,
//! and the grid answering exactly what a scan of every worker answers.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_match::gig::{AvailableWorker, DEFAULT_RADIUS_KM, GigQuery, Priority, Records, WorkerIndex};

fn occ(code: &str) -> OccupationCode {
    OccupationCode::parse(code).unwrap_or_else(|e| panic!("{e}"))
}

fn district(code: &str) -> DistrictCode {
    DistrictCode::parse(code).unwrap_or_else(|e| panic!("{e}"))
}

/// 思明, near 中山路.
const GIG_AT: (f64, f64) = (24.4560, 118.0830);

/// The question's time: 2026-12-04 09:00 in Xiamen.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 1, 0, 0).single().unwrap_or_else(|| panic!("a valid time"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_else(|| panic!("a valid day"))
}

/// A worker available all of today, who last worked today.
fn worker(n: u128, at: (f64, f64), d: &str, trade: &str) -> AvailableWorker {
    let midnight = now() - Duration::hours(9);
    AvailableWorker {
        person: Uuid::from_u128(n),
        at,
        district: district(d),
        trades: vec![occ(trade)],
        rate_day_fen: 0,
        windows: vec![(midnight, midnight + Duration::days(1))],
        waiting_since: today(),
        ever_booked: true,
        records: Records::default(),
    }
}

fn query() -> GigQuery {
    GigQuery {
        at: GIG_AT,
        district: district("350203"),
        trade: occ("4-02-05-01"), // 装卸搬运工
        day_pay_fen: 20_000,
        radius_km: DEFAULT_RADIUS_KM,
        exclude: HashSet::new(),
        now: now(),
        today: today(),
    }
}

#[test]
fn eligibility_is_trade_window_pay_and_radius() {
    // (worker, offered?)
    type Change = fn(&mut AvailableWorker);
    let cases: [(&str, Change, bool); 10] = [
        ("the very trade, next door", |_| {}, true),
        ("checked in until a minute ago", |w| w.windows = vec![(now() - Duration::hours(12), now())], false),
        (
            "available from the next instant",
            |w| w.windows = vec![(now() + Duration::seconds(1), now() + Duration::days(1))],
            false,
        ),
        ("available from this instant", |w| w.windows = vec![(now(), now() + Duration::days(1))], true),
        ("a trade of the same unit group", |w| w.trades = vec![occ("4-02-05-02")], true),
        ("another trade", |w| w.trades = vec![occ("4-03-02-01")], false),
        ("wants more than the gig pays", |w| w.rate_day_fen = 25_000, false),
        ("asks exactly the pay", |w| w.rate_day_fen = 20_000, true),
        ("4 km away as people travel", |w| w.at = (24.4560, 118.1136), false),
        (
            "across the water, 2 km as the crow flies",
            |w| (w.at, w.district) = ((24.4690, 118.0640), district("350205")),
            false,
        ),
    ];
    for (what, change, offered) in cases {
        let mut w = worker(1, (24.4570, 118.0840), "350203", "4-02-05-01");
        change(&mut w);
        let got = WorkerIndex::new(vec![w]).nearest(&query(), 10);
        assert_eq!(!got.is_empty(), offered, "{what}: {got:?}");
    }
    let mut q = query();
    q.exclude.insert(Uuid::from_u128(1));
    let w = worker(1, (24.4570, 118.0840), "350203", "4-02-05-01");
    assert!(WorkerIndex::new(vec![w]).nearest(&q, 10).is_empty(), "a booked worker is not offered again");
}

#[test]
fn nearer_fitter_and_longer_waiting_rank_first_and_priority_is_one_stated_rule() {
    let near = worker(1, (24.4565, 118.0835), "350203", "4-02-05-01");
    let far = worker(2, (24.4620, 118.0870), "350203", "4-02-05-01"); // about 1 km as people travel
    let near_group = worker(3, (24.4565, 118.0836), "350203", "4-02-05-02");
    let ranked: Vec<u128> = WorkerIndex::new(vec![far.clone(), near_group.clone(), near.clone()])
        .nearest(&query(), 10)
        .iter()
        .map(|o| o.person.as_u128())
        .collect();
    assert_eq!(ranked, vec![1, 3, 2], "the very trade before a near one; nearer before farther");

    // The far worker is disabled: the priority's points put them ahead of the nearer worker.
    let mut far_priority = far.clone();
    far_priority.records.disabled = true;
    let offers = WorkerIndex::new(vec![near.clone(), far_priority]).nearest(&query(), 10);
    assert_eq!(offers[0].person.as_u128(), 2, "{offers:?}");
    assert!(offers[0].reasons.iter().any(|r| r.code == "gig.match.priority" && r.zh.contains("38号")));

    // Waiting counts a point a day, up to 14, from the last gig to the question's day.
    let mut waiting = near.clone();
    waiting.waiting_since = today() - Duration::days(40);
    let o = WorkerIndex::new(vec![waiting]).nearest(&query(), 1);
    assert!(o[0].reasons.iter().any(|r| r.code == "gig.match.waiting" && (r.points - 14.0).abs() < 1e-6));
}

#[test]
fn priority_is_worked_out_on_the_questions_day() {
    // (what, change, today's priority)
    type Change = fn(&mut AvailableWorker);
    let cases: [(&str, Change, Vec<Priority>); 6] = [
        ("worked today", |_| {}, vec![]),
        ("29 days without a gig", |w| w.waiting_since = today() - Duration::days(29), vec![]),
        ("30 days without a gig", |w| w.waiting_since = today() - Duration::days(30), vec![Priority::LongWaiting]),
        (
            "registered unemployed, never booked",
            |w| {
                (w.records.registered_unemployed, w.ever_booked) = (true, false);
            },
            vec![Priority::LongWaiting],
        ),
        ("registered unemployed, booked today", |w| w.records.registered_unemployed = true, vec![]),
        (
            "low income and disabled",
            |w| {
                (w.records.low_income, w.records.disabled) = (true, true);
            },
            vec![Priority::LowIncome, Priority::Disabled],
        ),
    ];
    for (what, change, want) in cases {
        let mut w = worker(1, (24.4570, 118.0840), "350203", "4-02-05-01");
        change(&mut w);
        assert_eq!(w.priority(today()), want, "{what}");
        let offer = WorkerIndex::new(vec![w]).nearest(&query(), 1);
        let stated = offer[0].reasons.iter().any(|r| r.code == "gig.match.priority");
        assert_eq!(stated, !want.is_empty(), "{what}: {offer:?}");
    }
    // The same worker a day later: the 30th day comes without any write.
    let mut w = worker(1, (24.4570, 118.0840), "350203", "4-02-05-01");
    w.waiting_since = today() - Duration::days(29);
    assert_eq!(w.priority(today() + Duration::days(1)), vec![Priority::LongWaiting]);
}

#[test]
fn upserts_and_removals_answer_what_a_fresh_index_answers() {
    let trades = ["4-02-05-01", "4-02-05-02", "4-03-02-01"];
    let make = |i: u128, shift: f64| {
        worker(
            i,
            (24.4500 + (i % 20) as f64 * 0.001 + shift, 118.0800 + (i / 20) as f64 * 0.001),
            "350203",
            trades[(i % 3) as usize],
        )
    };
    let mut live: Vec<AvailableWorker> = (0..400).map(|i| make(i, 0.0)).collect();
    let mut index = WorkerIndex::new(live.clone());
    // Move a third of them (a check-in elsewhere), change another's trade, take some out.
    for i in (0..400).step_by(3) {
        let moved = make(i, 0.004);
        index.upsert(moved.clone());
        live[i as usize] = moved;
    }
    let mut w = make(1, 0.0);
    w.trades = vec![occ("4-03-02-01")];
    index.upsert(w.clone());
    live[1] = w;
    for i in (0..400).step_by(7) {
        index.remove(&Uuid::from_u128(i));
    }
    index.remove(&Uuid::from_u128(9_999)); // not in the index: nothing happens
    let kept: Vec<AvailableWorker> = live.into_iter().filter(|w| w.person.as_u128() % 7 != 0).collect();
    assert_eq!(index.len(), kept.len());
    let fresh = WorkerIndex::new(kept);
    for trade in ["4-02-05-01", "4-03-02-01"] {
        let mut q = query();
        q.trade = occ(trade);
        let got = index.nearest(&q, 1_000);
        assert!(!got.is_empty(), "{trade}");
        assert_eq!(got, fresh.nearest(&q, 1_000), "{trade}");
        assert_eq!(got, index.nearest_brute_force(&q, 1_000), "{trade}");
        assert!(got.iter().all(|o| o.person.as_u128() % 7 != 0), "a removed worker is never offered");
    }
    // Most of a large index taken out: it compacts itself and still answers as a fresh one.
    let many: Vec<AvailableWorker> = (0..3_000u128)
        .map(|i| {
            let at = (24.4450 + (i % 50) as f64 * 0.0005, 118.0700 + (i / 50) as f64 * 0.0005);
            worker(i, at, "350203", trades[(i % 3) as usize])
        })
        .collect();
    let mut index = WorkerIndex::new(many.clone());
    for i in 0..2_000u128 {
        index.remove(&Uuid::from_u128(i));
    }
    let fresh = WorkerIndex::new(many.into_iter().skip(2_000).collect());
    assert_eq!(index.len(), 1_000);
    let q = query();
    let got = index.nearest(&q, 1_000);
    assert!(!got.is_empty());
    assert_eq!(got, fresh.nearest(&q, 1_000));
    assert!(index.get(&Uuid::from_u128(2_500)).is_some() && index.get(&Uuid::from_u128(5)).is_none());
}

#[test]
fn the_grid_answers_what_a_scan_of_every_worker_answers() {
    // A deterministic spread of 5,000 workers over the city, of four trades.
    let trades = ["4-02-05-01", "4-02-05-02", "4-03-02-01", "6-31-01-03"];
    let districts = ["350203", "350205", "350206", "350211", "350212", "350213"];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let workers: Vec<AvailableWorker> = (0..5_000u128)
        .map(|i| {
            let d = districts[(next() % 6) as usize];
            let seat = jiuye_domain::geo::district_seat(&district(d));
            let jitter = |r: u64| ((r % 4_000) as f64 - 2_000.0) / 100_000.0;
            let mut w = worker(i, (seat.0 + jitter(next()), seat.1 + jitter(next())), d, trades[(next() % 4) as usize]);
            w.waiting_since = today() - Duration::days((next() % 30) as i64);
            w.rate_day_fen = [0, 15_000, 25_000][(next() % 3) as usize];
            w
        })
        .collect();
    let index = WorkerIndex::new(workers);
    for (at, d) in [((24.4798, 118.0894), "350203"), ((24.4846, 118.0326), "350205"), ((24.5121, 118.1460), "350206")] {
        for radius in [1.0, 3.0, 10.0] {
            let mut q = query();
            (q.at, q.district, q.radius_km) = (at, district(d), radius);
            let grid = index.nearest(&q, 50);
            let scan = index.nearest_brute_force(&q, 50);
            assert_eq!(grid, scan, "{d} within {radius} km");
            // Every worker within the radius, not only the best 50: the grid's box misses no one
            // at its edge, across the water neither.
            let all = index.nearest(&q, 5_000);
            assert_eq!(all, index.nearest_brute_force(&q, 5_000), "{d}: all within {radius} km");
            assert!(all.iter().all(|o| o.km <= radius), "{d} within {radius} km");
            assert!(radius < 3.0 || !grid.is_empty(), "{d} within {radius} km finds someone");
        }
    }
}
