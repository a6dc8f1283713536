//! The gig market's use cases: who may post a gig and whether it is published at once or held,
//! who reviews it, who may take it, who confirms which side of a booking, and which workers a
//! gig is offered to — with their priority from the records, never from what they ticked.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::codes::{DistrictCode, KeyGroup, OccupationCode};
use jiuye_domain::geo::district_seat;
use jiuye_domain::gig::demand::{GigDraft, GigPayUnit};
use jiuye_domain::gig::place::{cell_of, centre_of, from_e6, to_e6};
use jiuye_domain::gig::review::ReviewRules;
use jiuye_domain::roles::{Permission, Role, Scope};
use jiuye_match::gig::{AvailableWorker, DEFAULT_RADIUS_KM, GigQuery, Offer, Records, WorkerIndex};
use jiuye_store::repo::gig::{Side, Step};
use jiuye_store::{GigBooking, GigDemand, GigSite, GigWorker, Hold, NewGigDemand};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// A start or completion is confirmed from this many hours before the gig starts.
pub const CONFIRM_AHEAD_HOURS: i64 = 2;

/// The workers with a gig profile as this instance's matcher keeps them, in step with the
/// store by the writes of this instance and the change log of every other.
pub type GigPool = std::sync::RwLock<WorkerIndex>;

/// A gig profile as a worker states it.
#[derive(Debug, Clone)]
pub struct WorkerProfile {
    pub trades: Vec<OccupationCode>,
    /// off, today, week.
    pub availability: String,
    pub rate_day_fen: i64,
    pub home_site: Option<Uuid>,
    pub district: DistrictCode,
}

/// A gig offered to a worker, or a worker offered for a gig.
#[derive(Debug, Clone)]
pub struct Offered {
    pub gig: GigDemand,
    pub offer: Offer,
}

fn found(ok: bool) -> CoreResult<()> {
    if ok { Ok(()) } else { Err(CoreError::NotFound) }
}

fn beijing(at: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    (at + Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS)).naive_utc()
}

fn staff_covers(ctx: &Ctx, district: &str) -> bool {
    match ctx.actor.scope() {
        Scope::City => true,
        Scope::District(d) => d == district,
        _ => false,
    }
}

/// The query a gig puts to the matcher at `ctx`'s time.
pub fn query_of(ctx: &Ctx, g: &GigDemand, exclude: HashSet<Uuid>) -> Option<GigQuery> {
    let per_day = match g.pay_unit.as_str() {
        "hour" => g.pay_fen.checked_mul(i64::from(g.hours_per_day))?,
        _ => g.pay_fen,
    };
    Some(GigQuery {
        at: from_e6(g.lat_e6, g.lon_e6),
        district: DistrictCode::parse(&g.district).ok()?,
        trade: OccupationCode::parse(&g.trade).ok()?,
        day_pay_fen: per_day,
        radius_km: DEFAULT_RADIUS_KM,
        exclude,
        now: ctx.at,
        today: ctx.today,
    })
}

/// A profile as the matcher keeps it: its place, when it is available, the day waiting counts
/// from (`last`: when the worker last took a gig) and the key groups the records give (`groups`,
/// as [`crate::facts`] composes them). `None` for a profile whose stored place no longer parses.
pub fn matcher_worker(w: &GigWorker, last: Option<DateTime<Utc>>, groups: &[String]) -> Option<AvailableWorker> {
    let has = |g: KeyGroup| groups.iter().any(|x| x == g.id());
    Some(AvailableWorker {
        person: w.person_id,
        at: centre_of(w.cell)?,
        district: DistrictCode::parse(&w.district).ok()?,
        trades: w.trades.iter().filter_map(|t| OccupationCode::parse(t).ok()).collect(),
        rate_day_fen: w.rate_day_fen,
        windows: w.windows(),
        waiting_since: last.map_or(w.since, jiuye_domain::time::beijing_day),
        ever_booked: last.is_some(),
        records: Records {
            registered_unemployed: has(KeyGroup::RegisteredUnemployed),
            low_income: has(KeyGroup::EmploymentDifficulty)
                || has(KeyGroup::ZeroEmploymentHousehold)
                || has(KeyGroup::PovertyAlleviated),
            disabled: has(KeyGroup::Disabled),
        },
    })
}

impl Core<'_> {
    /// Post a gig. An employer's post, or an individual's whose identity was seen at a desk,
    /// goes on the boards at once unless the review holds it; any other individual's is held.
    pub async fn post_gig(
        &self,
        ctx: &Ctx,
        draft: &GigDraft,
        site: Option<Uuid>,
        rules: &ReviewRules,
    ) -> CoreResult<GigDemand> {
        ctx.actor.require(Permission::PostGigs)?;
        let problems = draft.check(beijing(ctx.at));
        if !problems.is_empty() {
            return Err(CoreError::Invalid(problems));
        }
        let (employer_id, person_id, verified) = match ctx.actor.role {
            Some(Role::Employer) => (ctx.actor.employer_id, None, ctx.actor.employer_id.is_some()),
            Some(Role::Seeker) => {
                let p = ctx.actor.person_id.ok_or(CoreError::Forbidden)?;
                (None, Some(p), self.store.identity_seen_at_desk(p).await?)
            }
            _ => return Err(CoreError::Refused(CodeError::new("gig.not_a_poster"))),
        };
        let place = match site {
            Some(id) => {
                let s = self.store.gig_site_by_id(id).await.map_err(|_| {
                    CoreError::invalid(CodeError::new("input.unknown_id").field("site_id").arg("id", id.to_string()))
                })?;
                (s.lat_e6, s.lon_e6)
            }
            None => to_e6(district_seat(&draft.district)),
        };
        let holds = draft
            .review(rules, verified)
            .into_iter()
            .map(|h| Hold {
                code: h.code.to_string(),
                field: h.field,
                args: h.args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            })
            .collect();
        let starts_at = draft.starts_at.and_utc() - Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS);
        let new = NewGigDemand {
            poster_account: ctx.actor.account.ok_or(CoreError::Unauthenticated)?,
            employer_id,
            person_id,
            trade: draft.trade.as_str().to_string(),
            title: draft.title.trim().to_string(),
            details: draft.details.trim().to_string(),
            district: draft.district.as_str().to_string(),
            address: draft.address.trim().to_string(),
            site_id: site,
            lat_e6: place.0,
            lon_e6: place.1,
            starts_at,
            days: i32::try_from(draft.days).unwrap_or(i32::MAX),
            hours_per_day: i32::try_from(draft.hours_per_day).unwrap_or(i32::MAX),
            headcount: i32::try_from(draft.headcount).unwrap_or(i32::MAX),
            pay_unit: draft.pay_unit.as_str().to_string(),
            pay_fen: draft.pay_fen,
            holds,
        };
        Ok(self.store.post_gig(&new, &ctx.actor.audit(), ctx.at).await?)
    }

    /// A gig as the actor may see it: open, filled or closed ones by anyone; held or refused
    /// ones by their poster and the staff of their district.
    pub async fn gig(&self, ctx: &Ctx, id: Uuid) -> CoreResult<GigDemand> {
        let g = self.store.gig_by_id(id).await?;
        let public = matches!(g.status.as_str(), "open" | "filled" | "closed");
        let own = ctx.actor.account == Some(g.poster_account);
        let staff = ctx.actor.may(Permission::ReviewGigs) && staff_covers(ctx, &g.district);
        found(public || own || staff)?;
        Ok(g)
    }

    /// Held posts staff of the actor's district (or the city) review.
    pub async fn held_gigs(&self, ctx: &Ctx) -> CoreResult<Vec<GigDemand>> {
        ctx.actor.require(Permission::ReviewGigs)?;
        let district = match ctx.actor.scope() {
            Scope::City => None,
            Scope::District(d) => Some(d),
            _ => return Err(CoreError::Forbidden),
        };
        Ok(self.store.gigs_with_status("held", district.as_deref()).await?)
    }

    pub async fn review_gig(&self, ctx: &Ctx, id: Uuid, publish: bool) -> CoreResult<GigDemand> {
        ctx.actor.require(Permission::ReviewGigs)?;
        let g = self.store.gig_by_id(id).await?;
        found(staff_covers(ctx, &g.district))?;
        let reviewer = ctx.actor.account.ok_or(CoreError::Unauthenticated)?;
        Ok(self.store.review_gig(id, publish, reviewer, &ctx.actor.audit(), ctx.at).await?)
    }

    /// The poster closes its gig.
    pub async fn close_gig(&self, ctx: &Ctx, id: Uuid) -> CoreResult<()> {
        let g = self.gig(ctx, id).await?;
        found(ctx.actor.account == Some(g.poster_account))?;
        Ok(self.store.close_gig(id, &ctx.actor.audit(), ctx.at).await?)
    }

    /// Keep the actor's own gig profile; the worker's place is the home station's cell or, with
    /// none, the district seat's.
    pub async fn set_gig_profile(&self, ctx: &Ctx, p: &WorkerProfile) -> CoreResult<GigWorker> {
        ctx.actor.require(Permission::GigWork)?;
        let person = ctx.actor.person_id.ok_or(CoreError::Forbidden)?;
        let mut problems = Vec::new();
        if p.trades.is_empty() || p.trades.len() > 5 {
            problems.push(CodeError::new("input.too_many").field("trades").arg("max", "5"));
        }
        if !matches!(p.availability.as_str(), "off" | "today" | "week") {
            problems.push(CodeError::new("input.enum").field("availability").arg("value", p.availability.clone()));
        }
        if !(0..=100_000).contains(&p.rate_day_fen) {
            problems.push(CodeError::new("gig.pay_out_of_range").field("rate_day").arg("max", "1000"));
        }
        let (district, at) = match p.home_site {
            Some(id) => match self.store.gig_site_by_id(id).await {
                Ok(s) => (s.district.clone(), from_e6(s.lat_e6, s.lon_e6)),
                Err(_) => {
                    problems.push(CodeError::new("input.unknown_id").field("home_site").arg("id", id.to_string()));
                    (p.district.as_str().to_string(), district_seat(&p.district))
                }
            },
            None => (p.district.as_str().to_string(), district_seat(&p.district)),
        };
        if !problems.is_empty() {
            return Err(CoreError::Invalid(problems));
        }
        let w = GigWorker {
            person_id: person,
            trades: p.trades.iter().map(|t| t.as_str().to_string()).collect(),
            availability: p.availability.clone(),
            available_from: ctx.today,
            rate_day_fen: p.rate_day_fen,
            home_site: p.home_site,
            district,
            cell: cell_of(at).unwrap_or(0),
            checked_in_at: None,
            checkin_site: None,
            since: ctx.today,
        };
        self.store.set_gig_worker(&w, &ctx.actor.audit(), ctx.at).await?;
        self.in_pool(ctx, person).await;
        Ok(self.store.gig_worker(person).await?.unwrap_or(w))
    }

    /// Check in at a station: the worker scanning its code, or station staff for a worker
    /// without a smartphone (a person in the staff's scope).
    pub async fn gig_check_in(&self, ctx: &Ctx, site: &GigSite, person: Option<Uuid>) -> CoreResult<()> {
        let person = match person {
            None => {
                ctx.actor.require(Permission::GigWork)?;
                ctx.actor.person_id.ok_or(CoreError::Forbidden)?
            }
            Some(p) => {
                ctx.actor.require(Permission::ReviewGigs)?;
                found(staff_covers(ctx, &site.district))?;
                self.person(ctx, p).await?;
                p
            }
        };
        let cell = cell_of(from_e6(site.lat_e6, site.lon_e6)).unwrap_or(0);
        self.store.gig_check_in(person, site, cell, &ctx.actor.audit(), ctx.at).await?;
        self.in_pool(ctx, person).await;
        Ok(())
    }

    /// Fill the pool from the store: every profile, its last gig and the key groups the records
    /// give on `ctx.today`, each read once for everyone.
    pub async fn load_gig_workers(&self, ctx: &Ctx) -> CoreResult<usize> {
        let workers = self.store.gig_workers().await?;
        let last = self.store.last_gig_bookings().await?;
        let records = self.store.key_group_records(ctx.today).await?;
        let index = WorkerIndex::new(
            workers
                .iter()
                .filter_map(|w| {
                    let groups = crate::facts::key_groups_in(&records, w.person_id);
                    matcher_worker(w, last.get(&w.person_id).copied(), &groups)
                })
                .collect(),
        );
        let n = index.len();
        *self.gig_pool.write().unwrap_or_else(std::sync::PoisonError::into_inner) = index;
        Ok(n)
    }

    /// Read these persons' profiles, last gigs and key groups again and put them in the pool (or
    /// take out those without a profile): after a write here, or a change another instance wrote.
    pub async fn refresh_gig_workers(&self, ctx: &Ctx, persons: &[Uuid]) -> CoreResult<()> {
        let mut fresh = Vec::with_capacity(persons.len());
        for &p in persons {
            let entry = match self.store.gig_worker(p).await? {
                None => None,
                Some(w) => {
                    let last = self.store.last_gig_booking_of(p).await?;
                    let groups = self.record_key_groups(p, ctx.today).await?;
                    matcher_worker(&w, last, &groups)
                }
            };
            fresh.push((p, entry));
        }
        let mut pool = self.gig_pool.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (p, entry) in fresh {
            match entry {
                Some(w) => pool.upsert(w),
                None => pool.remove(&p),
            }
        }
        Ok(())
    }

    /// After a write of this person's profile or bookings: this instance's pool at once. A
    /// failure leaves the write standing; the change log brings the person again.
    async fn in_pool(&self, ctx: &Ctx, person: Uuid) {
        if let Err(e) = self.refresh_gig_workers(ctx, &[person]).await {
            tracing::warn!(%e, "gig pool refresh failed; the change log repairs it");
        }
    }

    /// The workers a gig is offered to, best first (its poster and the district's staff): from
    /// the pool, those available now.
    pub async fn gig_candidates(&self, ctx: &Ctx, id: Uuid, k: usize) -> CoreResult<Vec<Offer>> {
        let g = self.gig(ctx, id).await?;
        let staff = ctx.actor.may(Permission::ReviewGigs) && staff_covers(ctx, &g.district);
        found(ctx.actor.account == Some(g.poster_account) || staff)?;
        let booked: HashSet<Uuid> = self.store.bookings_of_gig(id).await?.into_iter().map(|b| b.person_id).collect();
        let Some(q) = query_of(ctx, &g, booked) else { return Ok(Vec::new()) };
        let pool = self.gig_pool.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(pool.nearest(&q, k))
    }

    /// Open gigs offered to the actor (a worker with a profile): those the matcher would offer
    /// them, nearest and best first — the actor's own records read afresh.
    pub async fn gigs_offered(&self, ctx: &Ctx) -> CoreResult<Vec<Offered>> {
        ctx.actor.require(Permission::GigWork)?;
        let me = ctx.actor.person_id.ok_or(CoreError::Forbidden)?;
        let Some(profile) = self.store.gig_worker(me).await? else { return Ok(Vec::new()) };
        if !profile.available(ctx.at) {
            return Ok(Vec::new());
        }
        let bookings = self.store.bookings_of_worker(me).await?;
        let last = bookings.iter().map(|b| b.accepted_at).max();
        let groups = self.record_key_groups(me, ctx.today).await?;
        let Some(mine) = matcher_worker(&profile, last, &groups) else { return Ok(Vec::new()) };
        let index = WorkerIndex::new(vec![mine]);
        let booked: HashSet<Uuid> = bookings.into_iter().map(|b| b.demand_id).collect();
        let mut out = Vec::new();
        for g in self.store.gigs_with_status("open", None).await? {
            if booked.contains(&g.id) || g.starts_at + Duration::hours(1) < ctx.at {
                continue;
            }
            if let Some(q) = query_of(ctx, &g, HashSet::new())
                && let Some(offer) = index.nearest(&q, 1).into_iter().next()
            {
                out.push(Offered { gig: g, offer });
            }
        }
        out.sort_by(|a, b| b.offer.score.total_cmp(&a.offer.score));
        Ok(out)
    }

    /// Take a place on an open gig: the actor's own, with a profile whose trades fit.
    pub async fn accept_gig(&self, ctx: &Ctx, id: Uuid) -> CoreResult<GigBooking> {
        ctx.actor.require(Permission::GigWork)?;
        let me = ctx.actor.person_id.ok_or(CoreError::Forbidden)?;
        let g = self.gig(ctx, id).await?;
        let profile =
            self.store.gig_worker(me).await?.ok_or_else(|| CoreError::Refused(CodeError::new("gig.no_profile")))?;
        let trade = OccupationCode::parse(&g.trade).map_err(CoreError::Refused)?;
        let group = if trade.level() >= 4 { trade.parent().unwrap_or(trade) } else { trade };
        let fits = profile
            .trades
            .iter()
            .filter_map(|t| OccupationCode::parse(t).ok())
            .any(|t| t.is_within(&group) || group.is_within(&t));
        if !fits {
            return Err(CoreError::Refused(CodeError::new("gig.not_eligible")));
        }
        let booking = self.store.accept_gig(id, me, &ctx.actor.audit(), ctx.at).await?;
        self.in_pool(ctx, me).await;
        Ok(booking)
    }

    /// A booking and the side the actor is on: its worker, or the gig's poster.
    pub async fn gig_booking(&self, ctx: &Ctx, id: Uuid) -> CoreResult<(GigBooking, GigDemand, Side)> {
        let b = self.store.gig_booking_by_id(id).await?;
        let g = self.store.gig_by_id(b.demand_id).await?;
        let side = if ctx.actor.person_id == Some(b.person_id) && ctx.actor.role == Some(Role::Seeker) {
            Side::Worker
        } else if ctx.actor.account.is_some() && ctx.actor.account == Some(g.poster_account) {
            Side::Employer
        } else {
            return Err(CoreError::NotFound);
        };
        Ok((b, g, side))
    }

    pub async fn confirm_gig(&self, ctx: &Ctx, booking: Uuid, step: Step) -> CoreResult<GigBooking> {
        let (_, g, side) = self.gig_booking(ctx, booking).await?;
        // Work is confirmed when it happens: from two hours before the start.
        if ctx.at < g.starts_at - Duration::hours(CONFIRM_AHEAD_HOURS) {
            return Err(CoreError::Refused(
                CodeError::new("gig.too_early").arg("hours", CONFIRM_AHEAD_HOURS.to_string()),
            ));
        }
        Ok(self.store.confirm_gig(booking, side, step, &ctx.actor.audit(), ctx.at).await?)
    }

    /// Pay as each side says it: the poster the amount paid, the worker whether it arrived.
    pub async fn gig_pay(
        &self,
        ctx: &Ctx,
        booking: Uuid,
        paid_fen: Option<i64>,
        arrived: Option<bool>,
    ) -> CoreResult<GigBooking> {
        let (_, _, side) = self.gig_booking(ctx, booking).await?;
        let (paid, arrived) = match side {
            Side::Employer => (paid_fen, None),
            Side::Worker => (None, arrived),
        };
        if paid.is_some_and(|p| !(0..=10_000_000).contains(&p)) {
            return Err(CoreError::invalid(CodeError::new("gig.pay_out_of_range").field("paid").arg("max", "100000")));
        }
        if paid.is_none() && arrived.is_none() {
            return Err(CoreError::invalid(CodeError::new("input.required").field(match side {
                Side::Employer => "paid",
                Side::Worker => "arrived",
            })));
        }
        Ok(self.store.record_gig_pay(booking, paid, arrived, &ctx.actor.audit(), ctx.at).await?)
    }

    pub async fn rate_gig(&self, ctx: &Ctx, booking: Uuid, stars: i32) -> CoreResult<GigBooking> {
        let (_, _, side) = self.gig_booking(ctx, booking).await?;
        if !(1..=5).contains(&stars) {
            return Err(CoreError::invalid(CodeError::new("gig.rating_range").field("stars")));
        }
        Ok(self.store.rate_gig(booking, side, stars, &ctx.actor.audit(), ctx.at).await?)
    }
}

/// A gig's pay unit as stored.
pub fn pay_unit_of(g: &GigDemand) -> GigPayUnit {
    GigPayUnit::parse(&g.pay_unit).unwrap_or(GigPayUnit::Day)
}

/// A market or station as an administrator registers it.
#[derive(Debug, Clone)]
pub struct SiteInput {
    pub name: String,
    pub layout: String,
    pub mode: String,
    pub operator: String,
    pub district: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub hours: String,
    pub amenities: Vec<String>,
    pub services: Vec<String>,
    pub recognised_on: Option<chrono::NaiveDate>,
    pub recognition_evidence: Option<String>,
}

/// Xiamen's extent (with its sea), in degrees: a site outside it is a typing slip.
const XIAMEN_LAT: (f64, f64) = (24.35, 24.95);
const XIAMEN_LON: (f64, f64) = (117.85, 118.45);

impl Core<'_> {
    /// Register a market or station: a district administrator in their district, the city
    /// anywhere. Recognition as 规范化 needs its evidence.
    pub async fn create_gig_site(&self, ctx: &Ctx, s: &SiteInput, checkin_token: String) -> CoreResult<GigSite> {
        use jiuye_domain::gig::site::{Layout, Mode, Service};
        use jiuye_domain::records::text;
        ctx.actor.require(Permission::ManageGigSites)?;
        let mut problems = crate::error::Problems::default();
        let name = problems.keep(text::required("name", &s.name, 60));
        let operator = problems.keep(text::required("operator", &s.operator, 60));
        let address = problems.keep(text::required("address", &s.address, 100));
        let hours = problems.keep(text::required("hours", &s.hours, 60));
        if let Err(e) = Layout::parse(&s.layout) {
            problems.push(e.field("layout"));
        }
        if let Err(e) = Mode::parse(&s.mode) {
            problems.push(e.field("mode"));
        }
        for v in &s.services {
            if let Err(e) = Service::parse(v) {
                problems.push(e.field("services"));
            }
        }
        let amenities = problems.keep(text::labels("amenities", &s.amenities, 12, 20));
        let district = problems
            .keep(DistrictCode::parse(&s.district).map(|d| d.as_str().to_string()).map_err(|e| e.field("district")));
        if !(XIAMEN_LAT.0..=XIAMEN_LAT.1).contains(&s.lat) || !(XIAMEN_LON.0..=XIAMEN_LON.1).contains(&s.lon) {
            problems.push(CodeError::new("gig.site_outside_city").field("lat"));
        }
        let evidence = s.recognition_evidence.as_deref().map(str::trim).filter(|e| !e.is_empty());
        if s.recognised_on.is_some() && evidence.is_none() {
            problems.push(CodeError::new("gig.recognition_needs_evidence").field("recognition_evidence"));
        }
        if let Some(d) = s.recognised_on
            && d > ctx.today
        {
            problems.push(CodeError::new("casework.future_date").field("recognised_on"));
        }
        problems.finish()?;
        found(staff_covers(ctx, &district)).map_err(|_| CoreError::Forbidden)?;
        let (lat_e6, lon_e6) = to_e6((s.lat, s.lon));
        let mut services = s.services.clone();
        services.sort();
        services.dedup();
        let new = jiuye_store::NewGigSite {
            name,
            layout: s.layout.clone(),
            mode: s.mode.clone(),
            operator,
            district,
            address,
            lat_e6,
            lon_e6,
            hours,
            amenities,
            services,
            recognised_on: s.recognised_on,
            recognition_evidence: if s.recognised_on.is_some() { evidence.map(str::to_string) } else { None },
            checkin_token,
        };
        Ok(self.store.create_gig_site(&new, &ctx.actor.audit(), ctx.at).await?)
    }
}
