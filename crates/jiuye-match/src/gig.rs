//! Instant gig matching: for a gig, the nearest eligible available workers, ranked by
//! distance, fit and waiting time, with the priority 人社部发〔2022〕38号 asks for stated as one
//! rule ([`PRIORITY_POINTS`]).
//!
//! Workers are kept in memory in a grid of [`GRID_DEGREES`] squares (like a ride-hailing
//! nearest-driver store): a query reads only the squares its radius touches, then measures
//! each candidate as people travel (`geo::From`, across the water by a bridge or tunnel).
//! [`WorkerIndex::nearest_brute_force`] scans every worker: the baseline the bench compares.
//!
//! The index holds every gig profile, available or not, and is kept in step one worker at a
//! time ([`WorkerIndex::upsert`], [`WorkerIndex::remove`]); when a worker is available, how long
//! they have waited and whether they go ahead are worked out at the query's time, so the index
//! need not be rebuilt as the clock moves.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_domain::geo::{From, LatLon, ROAD_FACTOR};

use crate::reason::Reason;

/// Grid square side in degrees (about 1.1 km north–south, 1.0 km east–west in Xiamen).
pub const GRID_DEGREES: f64 = 0.01;
/// The radius a gig reaches when the poster says nothing else, km as people travel.
pub const DEFAULT_RADIUS_KM: f64 = 3.0;
/// Points of the priority rule: a worker waiting long, with a low income or disabled goes ahead
/// of an otherwise equal worker up to about 1.1 km nearer (of [`DISTANCE_POINTS`] over 3 km).
pub const PRIORITY_POINTS: f32 = 15.0;
/// Points for being at the gig's door, falling linearly to 0 at the radius.
pub const DISTANCE_POINTS: f32 = 40.0;
/// Points for the very trade asked; a trade of the same 小类 gets [`NEAR_TRADE_POINTS`].
pub const TRADE_POINTS: f32 = 20.0;
pub const NEAR_TRADE_POINTS: f32 = 12.0;
/// Points for waiting: one a day since the last gig, up to this many.
pub const WAITING_POINTS_MAX: f32 = 14.0;
/// Without a gig this many days (or registered unemployed and never booked) counts as waiting long.
pub const LONG_WAITING_DAYS: u32 = 30;

/// Why a worker goes ahead (from the records: recognitions, registrations, households).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Priority {
    /// Registered unemployed for six months or more, or no gig for 30 days.
    LongWaiting,
    /// 就业困难人员, 零就业家庭, 脱贫劳动力.
    LowIncome,
    Disabled,
}

impl Priority {
    pub fn code(self) -> &'static str {
        match self {
            Priority::LongWaiting => "gig.priority.long_waiting",
            Priority::LowIncome => "gig.priority.low_income",
            Priority::Disabled => "gig.priority.disabled",
        }
    }
}

/// What the records say of a worker that the priority rule reads (never what they ticked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Records {
    /// An active unemployment registration (登记失业人员).
    pub registered_unemployed: bool,
    /// 就业困难人员, 零就业家庭, 脱贫劳动力.
    pub low_income: bool,
    pub disabled: bool,
}

/// A worker with a gig profile as the matcher keeps it, and when they are available.
#[derive(Debug, Clone)]
pub struct AvailableWorker {
    pub person: Uuid,
    /// The centre of the worker's cell.
    pub at: LatLon,
    pub district: DistrictCode,
    pub trades: Vec<OccupationCode>,
    /// The lowest day rate the worker takes, fen (0: any).
    pub rate_day_fen: i64,
    /// When the worker is available, each from its first instant up to (not including) its
    /// last: a check-in's hours, the day or the week they said.
    pub windows: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// The day waiting counts from: the last gig taken, or the day the profile was made.
    pub waiting_since: NaiveDate,
    /// Has the worker ever taken a gig?
    pub ever_booked: bool,
    pub records: Records,
}

impl AvailableWorker {
    /// Available at `at`: within one of the windows.
    pub fn available(&self, at: DateTime<Utc>) -> bool {
        self.windows.iter().any(|&(from, until)| from <= at && at < until)
    }

    /// Days waited by `today` (Xiamen's day).
    pub fn waiting_days(&self, today: NaiveDate) -> u32 {
        u32::try_from((today - self.waiting_since).num_days().max(0)).unwrap_or(u32::MAX)
    }

    /// Why the worker goes ahead on `today`, if at all.
    pub fn priority(&self, today: NaiveDate) -> Vec<Priority> {
        self.priorities(self.waiting_days(today)).into_iter().flatten().collect()
    }

    /// The priority rule, once: waiting long (or registered unemployed and never booked), a
    /// low income, a disability.
    fn priorities(&self, waiting_days: u32) -> [Option<Priority>; 3] {
        let r = self.records;
        [
            (waiting_days >= LONG_WAITING_DAYS || r.registered_unemployed && !self.ever_booked)
                .then_some(Priority::LongWaiting),
            r.low_income.then_some(Priority::LowIncome),
            r.disabled.then_some(Priority::Disabled),
        ]
    }
}

/// What a gig asks of the matcher.
#[derive(Debug, Clone)]
pub struct GigQuery {
    pub at: LatLon,
    pub district: DistrictCode,
    pub trade: OccupationCode,
    /// What a day of the gig pays one worker, fen.
    pub day_pay_fen: i64,
    pub radius_km: f64,
    /// Workers booked already (on this gig or one at the same time).
    pub exclude: HashSet<Uuid>,
    /// When the question is asked: who is available then, and Xiamen's day for waiting.
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

/// A worker offered a gig, with the distance and the reasons of the rank.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub person: Uuid,
    pub km: f64,
    pub score: f32,
    pub reasons: Vec<Reason>,
}

/// Workers with a gig profile, in a grid.
#[derive(Debug, Default)]
pub struct WorkerIndex {
    /// Slots of workers; a slot taken out is empty until the index compacts itself.
    workers: Vec<Option<AvailableWorker>>,
    /// Workers by the 小类 (or broader group) of each of their trades and by square: a gig reads
    /// only its own trade's group and the groups containing it.
    grid: HashMap<GridKey, Vec<u32>>,
    slots: HashMap<Uuid, u32>,
    /// Empty slots.
    dead: usize,
}

type GridKey = (&'static str, i32, i32);

/// The grid keys a worker is listed under: each group of their trades, in their square.
fn keys_of(w: &AvailableWorker) -> Vec<GridKey> {
    let (la, lo) = square(w.at);
    let mut groups: Vec<&'static str> = w.trades.iter().filter_map(group_of).map(|g| g.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    groups.into_iter().map(|g| (g, la, lo)).collect()
}

fn square(at: LatLon) -> (i32, i32) {
    // Latitudes and longitudes are small; the floor of a hundredth fits an i32.
    #[allow(clippy::cast_possible_truncation)]
    ((at.0 / GRID_DEGREES).floor() as i32, (at.1 / GRID_DEGREES).floor() as i32)
}

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.195;

impl WorkerIndex {
    pub fn new(workers: Vec<AvailableWorker>) -> WorkerIndex {
        let mut index = WorkerIndex::default();
        index.workers.reserve(workers.len());
        index.slots.reserve(workers.len());
        for w in workers {
            index.upsert(w);
        }
        index
    }

    /// Put a worker in, replacing the one of the same person.
    pub fn upsert(&mut self, w: AvailableWorker) {
        self.remove(&w.person);
        let i = u32::try_from(self.workers.len()).unwrap_or(u32::MAX);
        for key in keys_of(&w) {
            self.grid.entry(key).or_default().push(i);
        }
        self.slots.insert(w.person, i);
        self.workers.push(Some(w));
    }

    /// Take a worker out (nothing if they are not in). The index compacts itself when half of
    /// it is empty slots.
    pub fn remove(&mut self, person: &Uuid) {
        let Some(i) = self.slots.remove(person) else { return };
        let Some(w) = self.workers.get_mut(i as usize).and_then(Option::take) else { return };
        for key in keys_of(&w) {
            if let Some(list) = self.grid.get_mut(&key) {
                list.retain(|&j| j != i);
                if list.is_empty() {
                    self.grid.remove(&key);
                }
            }
        }
        self.dead += 1;
        if self.dead > 1024 && self.dead * 2 > self.workers.len() {
            let live: Vec<AvailableWorker> = std::mem::take(&mut self.workers).into_iter().flatten().collect();
            *self = WorkerIndex::new(live);
        }
    }

    /// A worker as the index holds them.
    pub fn get(&self, person: &Uuid) -> Option<&AvailableWorker> {
        self.slots.get(person).and_then(|&i| self.workers.get(i as usize)).and_then(Option::as_ref)
    }

    /// The persons in the index.
    pub fn persons(&self) -> impl Iterator<Item = &Uuid> {
        self.slots.keys()
    }

    /// Workers in the index, available or not.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The best `k` eligible workers within the radius, best first.
    pub fn nearest(&self, q: &GigQuery, k: usize) -> Vec<Offer> {
        // A trip is never shorter than the straight line × the road factor (across the water the
        // two legs are longer still), so the squares within radius / road factor as the crow
        // flies hold every worker within the radius as people travel — half the area of a box
        // of the whole radius, so half the workers scored.
        let crow_km = q.radius_km / ROAD_FACTOR + 0.01; // ten metres for rounding at the edge
        let lat_span = crow_km / KM_PER_DEGREE;
        let lon_span = crow_km / (KM_PER_DEGREE * q.at.0.to_radians().cos().max(0.1));
        let (lo, hi) = (square((q.at.0 - lat_span, q.at.1 - lon_span)), square((q.at.0 + lat_span, q.at.1 + lon_span)));
        let from = From::new(q.at, &q.district);
        let Some(group) = group_of(&q.trade) else { return self.nearest_brute_force(q, k) };
        // The gig's group and every group containing it: a worker of a broader trade is near.
        let keys: Vec<&'static str> = std::iter::once(group).chain(group.ancestors()).map(|g| g.as_str()).collect();
        let mut scored = Vec::new();
        for key in keys {
            for la in lo.0..=hi.0 {
                for lo_ in lo.1..=hi.1 {
                    for &i in self.grid.get(&(key, la, lo_)).map(Vec::as_slice).unwrap_or(&[]) {
                        let w = self.workers.get(i as usize).and_then(Option::as_ref);
                        if let Some(s) = w.and_then(|w| score(q, Some(&group), &from, w, i)) {
                            scored.push(s);
                        }
                    }
                }
            }
        }
        // A worker with two trades of one group is listed once per group, never twice.
        scored.sort_unstable_by_key(|s| s.index);
        scored.dedup_by_key(|s| s.index);
        self.best(q, scored, k)
    }

    /// The same answer by scanning every worker: the bench's baseline and the test's oracle.
    pub fn nearest_brute_force(&self, q: &GigQuery, k: usize) -> Vec<Offer> {
        let from = From::new(q.at, &q.district);
        let group = group_of(&q.trade);
        let scored = self
            .workers
            .iter()
            .enumerate()
            .filter_map(|(i, w)| score(q, group.as_ref(), &from, w.as_ref()?, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        self.best(q, scored, k)
    }

    /// The first `k` by score (then nearer, then by id), explained; only those `k` get their
    /// reasons written.
    fn best(&self, q: &GigQuery, mut scored: Vec<Scored>, k: usize) -> Vec<Offer> {
        let order = |a: &Scored, b: &Scored| {
            b.score.total_cmp(&a.score).then(a.km.total_cmp(&b.km)).then(a.person.cmp(&b.person))
        };
        if scored.len() > k && k > 0 {
            scored.select_nth_unstable_by(k - 1, order);
        }
        scored.truncate(k);
        scored.sort_by(order);
        scored
            .iter()
            .filter_map(|s| self.workers.get(s.index as usize).and_then(Option::as_ref).map(|w| explain(q, w, s)))
            .collect()
    }
}

/// A worker's rank for a gig, before it is explained.
#[derive(Debug, Clone, Copy)]
struct Scored {
    index: u32,
    person: Uuid,
    km: f64,
    score: f32,
    distance: f32,
    trade: (f32, &'static str),
    waiting: f32,
    waiting_days: u32,
}

/// The trade points of a worker for a gig: the very trade, one of its 小类 (`group`, worked out
/// once per gig), or none (not eligible).
fn trade_fit(
    trades: &[OccupationCode],
    wanted: &OccupationCode,
    group: Option<&OccupationCode>,
) -> Option<(f32, &'static str)> {
    let (code, near) = (wanted.as_str(), group.map(OccupationCode::as_str));
    if trades.iter().any(|t| within(t.as_str(), code)) {
        return Some((TRADE_POINTS, "gig.match.trade"));
    }
    let near = near?;
    trades
        .iter()
        .any(|t| within(t.as_str(), near) || within(near, t.as_str()))
        .then_some((NEAR_TRADE_POINTS, "gig.match.near_trade"))
}

/// Whether code `a` is `b` or lies inside the group `b` (`4-02-05-01` inside `4-02-05`).
fn within(a: &str, b: &str) -> bool {
    a.len() >= b.len() && a.starts_with(b) && (a.len() == b.len() || a.as_bytes()[b.len()] == b'-')
}

/// The 小类 a gig's trade belongs to (itself when it is one).
fn group_of(wanted: &OccupationCode) -> Option<OccupationCode> {
    if wanted.level() >= 4 { wanted.parent() } else { Some(*wanted) }
}

fn score(q: &GigQuery, group: Option<&OccupationCode>, from: &From, w: &AvailableWorker, index: u32) -> Option<Scored> {
    if !w.available(q.now) || q.exclude.contains(&w.person) || (w.rate_day_fen > 0 && w.rate_day_fen > q.day_pay_fen) {
        return None;
    }
    let trade = trade_fit(&w.trades, &q.trade, group)?;
    let km = from.trip(w.at, &w.district).km;
    if km > q.radius_km {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let distance = DISTANCE_POINTS * (1.0 - (km / q.radius_km) as f32);
    let waiting_days = w.waiting_days(q.today);
    #[allow(clippy::cast_precision_loss)]
    let waiting = (waiting_days as f32).min(WAITING_POINTS_MAX);
    let priority = if w.priorities(waiting_days).iter().any(Option::is_some) { PRIORITY_POINTS } else { 0.0 };
    Some(Scored {
        index,
        person: w.person,
        km,
        score: distance + trade.0 + waiting + priority,
        distance,
        trade,
        waiting,
        waiting_days,
    })
}

fn explain(q: &GigQuery, w: &AvailableWorker, s: &Scored) -> Offer {
    let km_text = format!("{:.1}", s.km);
    let mut reasons = vec![
        Reason::new("gig.match.distance", s.distance, &[("km", &km_text)]),
        Reason::new(s.trade.1, s.trade.0, &[("trade", q.trade.name())]),
    ];
    if s.waiting > 0.0 {
        reasons.push(Reason::new("gig.match.waiting", s.waiting, &[("days", &s.waiting_days.to_string())]));
    }
    if let Some(p) = w.priority(q.today).first() {
        let why = |lang| jiuye_domain::messages::render(p.code(), lang, &[]);
        reasons.push(Reason::bilingual(
            "gig.match.priority",
            PRIORITY_POINTS,
            &[("why", &why(jiuye_domain::Lang::Zh))],
            &[("why", &why(jiuye_domain::Lang::En))],
        ));
    }
    Offer { person: w.person, km: s.km, score: s.score, reasons }
}
