//! Instant gig matching as tables: who is eligible, how the rank is made, the priority rule,
//! and the grid answering exactly what a scan of every worker answers.

use std::collections::HashSet;

use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_match::gig::{AvailableWorker, DEFAULT_RADIUS_KM, GigQuery, Priority, WorkerIndex};

fn occ(code: &str) -> OccupationCode {
    OccupationCode::parse(code).unwrap_or_else(|e| panic!("{e}"))
}

fn district(code: &str) -> DistrictCode {
    DistrictCode::parse(code).unwrap_or_else(|e| panic!("{e}"))
}

/// 思明, near 中山路.
const GIG_AT: (f64, f64) = (24.4560, 118.0830);

fn worker(n: u128, at: (f64, f64), d: &str, trade: &str) -> AvailableWorker {
    AvailableWorker {
        person: Uuid::from_u128(n),
        at,
        district: district(d),
        trades: vec![occ(trade)],
        rate_day_fen: 0,
        waiting_days: 0,
        priority: vec![],
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
    }
}

#[test]
fn eligibility_is_trade_window_pay_and_radius() {
    // (worker, offered?)
    type Change = fn(&mut AvailableWorker);
    let cases: [(&str, Change, bool); 7] = [
        ("the very trade, next door", |_| {}, true),
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
    let near_group = {
        let mut w = worker(3, (24.4565, 118.0836), "350203", "4-02-05-02");
        w.waiting_days = 0;
        w
    };
    let ranked: Vec<u128> = WorkerIndex::new(vec![far.clone(), near_group.clone(), near.clone()])
        .nearest(&query(), 10)
        .iter()
        .map(|o| o.person.as_u128())
        .collect();
    assert_eq!(ranked, vec![1, 3, 2], "the very trade before a near one; nearer before farther");

    // The far worker is disabled: the priority's points put them ahead of the nearer worker.
    let mut far_priority = far.clone();
    far_priority.priority = vec![Priority::Disabled];
    let offers = WorkerIndex::new(vec![near.clone(), far_priority]).nearest(&query(), 10);
    assert_eq!(offers[0].person.as_u128(), 2, "{offers:?}");
    assert!(offers[0].reasons.iter().any(|r| r.code == "gig.match.priority" && r.zh.contains("38号")));

    // Waiting counts a point a day, up to 14.
    let mut waiting = near.clone();
    waiting.waiting_days = 40;
    let o = WorkerIndex::new(vec![waiting]).nearest(&query(), 1);
    assert!(o[0].reasons.iter().any(|r| r.code == "gig.match.waiting" && (r.points - 14.0).abs() < 1e-6));
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
            w.waiting_days = (next() % 30) as u32;
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
