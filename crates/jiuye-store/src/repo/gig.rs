//! The gig market's records: markets and stations, workers' gig profiles and check-ins, gig
//! demands with their review, and bookings. A gig never takes more workers than its headcount:
//! a booking raises `booked` by one conditional UPDATE (`booked < headcount`), so racing
//! acceptances get exactly the places there are, on either backend.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use jiuye_domain::CodeError;

use super::{from_json, json_of};
use crate::audit::{AuditEntry, Event};
use crate::entities::{activation_code, gig_booking, gig_demand, gig_site, gig_worker};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

/// A checked-in worker counts as available for this long.
pub const CHECKIN_HOURS: i64 = 12;

#[derive(Debug, Clone, Serialize)]
pub struct GigSite {
    pub id: Uuid,
    pub name: String,
    pub layout: String,
    pub mode: String,
    pub operator: String,
    pub district: String,
    pub address: String,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub hours: String,
    pub amenities: Vec<String>,
    pub services: Vec<String>,
    pub recognised_on: Option<NaiveDate>,
    pub recognition_evidence: Option<String>,
    #[serde(skip)]
    pub checkin_token: String,
    /// When it was registered (the quarterly directory lists what was registered by then).
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewGigSite {
    pub name: String,
    pub layout: String,
    pub mode: String,
    pub operator: String,
    pub district: String,
    pub address: String,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub hours: String,
    pub amenities: Vec<String>,
    pub services: Vec<String>,
    pub recognised_on: Option<NaiveDate>,
    pub recognition_evidence: Option<String>,
    pub checkin_token: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GigWorker {
    pub person_id: Uuid,
    pub trades: Vec<String>,
    pub availability: String,
    pub available_from: NaiveDate,
    pub rate_day_fen: i64,
    pub home_site: Option<Uuid>,
    pub district: String,
    pub cell: i64,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checkin_site: Option<Uuid>,
    /// The day the profile was first made.
    pub since: NaiveDate,
}

impl GigWorker {
    /// When the worker is available, each window from its first instant up to (not including)
    /// its last: [`CHECKIN_HOURS`] from a check-in, and the day (`today`) or the seven days
    /// (`week`) from `available_from`, Xiamen's days.
    pub fn windows(&self) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out = Vec::with_capacity(2);
        if let Some(c) = self.checked_in_at {
            out.push((c, c + Duration::hours(CHECKIN_HOURS)));
        }
        let days = match self.availability.as_str() {
            "today" => 1,
            "week" => 7,
            _ => 0,
        };
        if days > 0
            && let Some(start) = jiuye_domain::time::beijing_day_start(self.available_from)
        {
            out.push((start, start + Duration::days(days)));
        }
        out
    }

    /// Available at `at`: within one of its [`GigWorker::windows`].
    pub fn available(&self, at: DateTime<Utc>) -> bool {
        self.windows().iter().any(|&(from, until)| from <= at && at < until)
    }
}

/// One reason the review held a post, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub code: String,
    pub field: Option<String>,
    pub args: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GigDemand {
    pub id: Uuid,
    pub poster_account: Uuid,
    pub employer_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub trade: String,
    pub title: String,
    pub details: String,
    pub district: String,
    pub address: String,
    pub site_id: Option<Uuid>,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub starts_at: DateTime<Utc>,
    pub days: i32,
    pub hours_per_day: i32,
    pub headcount: i32,
    pub booked: i32,
    pub pay_unit: String,
    pub pay_fen: i64,
    pub status: String,
    pub holds: Vec<Hold>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewGigDemand {
    pub poster_account: Uuid,
    pub employer_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub trade: String,
    pub title: String,
    pub details: String,
    pub district: String,
    pub address: String,
    pub site_id: Option<Uuid>,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub starts_at: DateTime<Utc>,
    pub days: i32,
    pub hours_per_day: i32,
    pub headcount: i32,
    pub pay_unit: String,
    pub pay_fen: i64,
    pub holds: Vec<Hold>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GigBooking {
    pub id: Uuid,
    pub demand_id: Uuid,
    pub person_id: Uuid,
    pub status: String,
    pub accepted_at: DateTime<Utc>,
    pub worker_started_at: Option<DateTime<Utc>>,
    pub employer_started_at: Option<DateTime<Utc>>,
    pub worker_done_at: Option<DateTime<Utc>>,
    pub employer_done_at: Option<DateTime<Utc>>,
    pub paid_fen: Option<i64>,
    pub worker_paid: Option<bool>,
    pub rating_of_employer: Option<i32>,
    pub rating_of_worker: Option<i32>,
}

/// Which side of a booking acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Worker,
    Employer,
}

/// A step of a booking either side confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Start,
    Done,
}

fn to_site(m: gig_site::Model) -> Result<GigSite, StoreError> {
    Ok(GigSite {
        id: m.id,
        name: m.name,
        layout: m.layout,
        mode: m.mode,
        operator: m.operator,
        district: m.district,
        address: m.address,
        lat_e6: m.lat_e6,
        lon_e6: m.lon_e6,
        hours: m.hours,
        amenities: from_json("gig_site.amenities", m.amenities)?,
        services: from_json("gig_site.services", m.services)?,
        recognised_on: m.recognised_on,
        recognition_evidence: m.recognition_evidence,
        checkin_token: m.checkin_token,
        created_at: m.created_at,
    })
}

fn to_worker(m: gig_worker::Model) -> Result<GigWorker, StoreError> {
    Ok(GigWorker {
        person_id: m.person_id,
        trades: from_json("gig_worker.trades", m.trades)?,
        availability: m.availability,
        available_from: m.available_from,
        rate_day_fen: m.rate_day_fen,
        home_site: m.home_site,
        district: m.district,
        cell: m.cell,
        checked_in_at: m.checked_in_at,
        checkin_site: m.checkin_site,
        since: m.since,
    })
}

fn to_demand(m: gig_demand::Model) -> Result<GigDemand, StoreError> {
    Ok(GigDemand {
        id: m.id,
        poster_account: m.poster_account,
        employer_id: m.employer_id,
        person_id: m.person_id,
        trade: m.trade,
        title: m.title,
        details: m.details,
        district: m.district,
        address: m.address,
        site_id: m.site_id,
        lat_e6: m.lat_e6,
        lon_e6: m.lon_e6,
        starts_at: m.starts_at,
        days: m.days,
        hours_per_day: m.hours_per_day,
        headcount: m.headcount,
        booked: m.booked,
        pay_unit: m.pay_unit,
        pay_fen: m.pay_fen,
        status: m.status,
        holds: from_json("gig_demand.holds", m.holds)?,
        created_at: m.created_at,
    })
}

fn to_booking(m: gig_booking::Model) -> GigBooking {
    GigBooking {
        id: m.id,
        demand_id: m.demand_id,
        person_id: m.person_id,
        status: m.status,
        accepted_at: m.accepted_at,
        worker_started_at: m.worker_started_at,
        employer_started_at: m.employer_started_at,
        worker_done_at: m.worker_done_at,
        employer_done_at: m.employer_done_at,
        paid_fen: m.paid_fen,
        worker_paid: m.worker_paid,
        rating_of_employer: m.rating_of_employer,
        rating_of_worker: m.rating_of_worker,
    }
}

fn refused(code: &'static str) -> StoreError {
    StoreError::Refused(CodeError::new(code))
}

/// A profile as its row, first made on `since`.
fn worker_model(w: &GigWorker, since: NaiveDate, at: DateTime<Utc>) -> gig_worker::ActiveModel {
    gig_worker::ActiveModel {
        person_id: Set(w.person_id),
        trades: Set(json_of(&w.trades)),
        availability: Set(w.availability.clone()),
        available_from: Set(w.available_from),
        rate_day_fen: Set(w.rate_day_fen),
        home_site: Set(w.home_site),
        district: Set(w.district.clone()),
        cell: Set(w.cell),
        checked_in_at: Set(w.checked_in_at),
        checkin_site: Set(w.checkin_site),
        since: Set(since),
        updated_at: Set(at),
    }
}

impl Store {
    pub async fn create_gig_site(
        &self,
        new: &NewGigSite,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigSite, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let m = gig_site::ActiveModel {
            id: Set(id),
            name: Set(new.name.clone()),
            layout: Set(new.layout.clone()),
            mode: Set(new.mode.clone()),
            operator: Set(new.operator.clone()),
            district: Set(new.district.clone()),
            address: Set(new.address.clone()),
            lat_e6: Set(new.lat_e6),
            lon_e6: Set(new.lon_e6),
            hours: Set(new.hours.clone()),
            amenities: Set(json_of(&new.amenities)),
            services: Set(json_of(&new.services)),
            recognised_on: Set(new.recognised_on),
            recognition_evidence: Set(new.recognition_evidence.clone()),
            checkin_token: Set(new.checkin_token.clone()),
            created_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "checkin_token"))?;
        txn.commit(Event {
            action: "gig.site_create",
            target_kind: Some("gig_site"),
            target_id: Some(id),
            district: Some(&new.district),
            detail: serde_json::json!({ "layout": new.layout, "name": new.name }),
        })
        .await?;
        to_site(m)
    }

    /// Markets and stations, in a district or all, markets first.
    pub async fn gig_sites(&self, district: Option<&str>) -> Result<Vec<GigSite>, StoreError> {
        let mut q = gig_site::Entity::find();
        if let Some(d) = district {
            q = q.filter(gig_site::Column::District.eq(d));
        }
        let mut out: Vec<GigSite> = q
            .order_by_asc(gig_site::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_site)
            .collect::<Result<_, _>>()?;
        out.sort_by_key(|s| (s.layout == "station", s.district.clone()));
        Ok(out)
    }

    pub async fn gig_site_by_id(&self, id: Uuid) -> Result<GigSite, StoreError> {
        to_site(gig_site::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?)
    }

    pub async fn gig_site_by_token(&self, token: &str) -> Result<GigSite, StoreError> {
        to_site(
            gig_site::Entity::find()
                .filter(gig_site::Column::CheckinToken.eq(token))
                .one(self.db())
                .await?
                .ok_or(StoreError::NotFound)?,
        )
    }

    /// Keep a worker's gig profile (insert or replace; the last check-in is kept).
    pub async fn set_gig_worker(&self, w: &GigWorker, who: &AuditEntry, at: DateTime<Utc>) -> Result<(), StoreError> {
        let txn = self.write(who, at).await?;
        let old = gig_worker::Entity::find_by_id(w.person_id).one(&txn).await?;
        let mut m = worker_model(w, jiuye_domain::time::beijing_day(at), at);
        match old {
            Some(old) => {
                m.checked_in_at = Set(old.checked_in_at);
                m.checkin_site = Set(old.checkin_site);
                m.since = Set(old.since);
                m.update(&txn).await?;
            }
            None => {
                m.insert(&txn).await?;
            }
        }
        txn.commit(Event {
            action: "gig.worker_set",
            target_kind: Some("gig_worker"),
            target_id: Some(w.person_id),
            district: Some(&w.district),
            detail: serde_json::json!({ "availability": w.availability, "trades": w.trades.len() }),
        })
        .await
    }

    pub async fn gig_worker(&self, person_id: Uuid) -> Result<Option<GigWorker>, StoreError> {
        gig_worker::Entity::find_by_id(person_id).one(self.db()).await?.map(to_worker).transpose()
    }

    /// Check a worker in at a station: available now, placed in the station's cell.
    pub async fn gig_check_in(
        &self,
        person_id: Uuid,
        site: &GigSite,
        cell: i64,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write(who, at).await?;
        let m = gig_worker::Entity::find_by_id(person_id).one(&txn).await?.ok_or_else(|| refused("gig.no_profile"))?;
        let mut a = m.into_active_model();
        a.checked_in_at = Set(Some(at));
        a.checkin_site = Set(Some(site.id));
        a.cell = Set(cell);
        a.district = Set(site.district.clone());
        a.updated_at = Set(at);
        a.update(&txn).await?;
        txn.commit(Event {
            action: "gig.check_in",
            target_kind: Some("gig_worker"),
            target_id: Some(person_id),
            district: Some(&site.district),
            detail: serde_json::json!({ "site_id": site.id }),
        })
        .await
    }

    /// Every gig profile (the matcher keeps those available in memory).
    pub async fn gig_workers(&self) -> Result<Vec<GigWorker>, StoreError> {
        gig_worker::Entity::find().all(self.db()).await?.into_iter().map(to_worker).collect()
    }

    /// When each worker last took a gig (a booking of any status), read in one query: the
    /// matcher's waiting time for every available worker at once.
    pub async fn last_gig_bookings(&self) -> Result<HashMap<Uuid, DateTime<Utc>>, StoreError> {
        let rows: Vec<(Uuid, DateTime<Utc>)> = gig_booking::Entity::find()
            .select_only()
            .column(gig_booking::Column::PersonId)
            .column(gig_booking::Column::AcceptedAt)
            .into_tuple()
            .all(self.db())
            .await?;
        let mut last: HashMap<Uuid, DateTime<Utc>> = HashMap::with_capacity(rows.len());
        for (person, at) in rows {
            let slot = last.entry(person).or_insert(at);
            *slot = Ord::max(*slot, at);
        }
        Ok(last)
    }

    /// When a worker last took a gig (a booking of any status).
    pub async fn last_gig_booking_of(&self, person_id: Uuid) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(gig_booking::Entity::find()
            .select_only()
            .column(gig_booking::Column::AcceptedAt)
            .filter(gig_booking::Column::PersonId.eq(person_id))
            .order_by_desc(gig_booking::Column::AcceptedAt)
            .into_tuple::<DateTime<Utc>>()
            .one(self.db())
            .await?)
    }

    /// Load generated gig profiles in one transaction (`jiuye bench gig`'s served path), one
    /// change-log entry for the batch: every instance reloads its workers.
    pub async fn bulk_load_gig_workers(
        &self,
        workers: &[GigWorker],
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let txn = self.write(who, at).await?;
        for chunk in workers.chunks(500) {
            let rows = chunk.iter().map(|w| worker_model(w, w.since, at));
            gig_worker::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.reset("gig_worker").await?;
        txn.commit(Event {
            action: "gig.workers_loaded",
            target_kind: None,
            target_id: None,
            district: None,
            detail: serde_json::json!({ "workers": workers.len() }),
        })
        .await?;
        Ok(workers.len())
    }

    /// Post a gig: open at once, or held for staff when the review found something.
    pub async fn post_gig(
        &self,
        new: &NewGigDemand,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigDemand, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let status = if new.holds.is_empty() { "open" } else { "held" };
        let m = gig_demand::ActiveModel {
            id: Set(id),
            poster_account: Set(new.poster_account),
            employer_id: Set(new.employer_id),
            person_id: Set(new.person_id),
            trade: Set(new.trade.clone()),
            title: Set(new.title.clone()),
            details: Set(new.details.clone()),
            district: Set(new.district.clone()),
            address: Set(new.address.clone()),
            site_id: Set(new.site_id),
            lat_e6: Set(new.lat_e6),
            lon_e6: Set(new.lon_e6),
            starts_at: Set(new.starts_at),
            days: Set(new.days),
            hours_per_day: Set(new.hours_per_day),
            headcount: Set(new.headcount),
            booked: Set(0),
            pay_unit: Set(new.pay_unit.clone()),
            pay_fen: Set(new.pay_fen),
            status: Set(status.into()),
            holds: Set(json_of(&new.holds)),
            reviewed_by: Set(None),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "gig.post",
            target_kind: Some("gig_demand"),
            target_id: Some(id),
            district: Some(&new.district),
            detail: serde_json::json!({ "status": status, "holds": new.holds.iter().map(|h| &h.code).collect::<Vec<_>>() }),
        })
        .await?;
        to_demand(m)
    }

    /// Staff decide a held post: publish it or refuse it.
    pub async fn review_gig(
        &self,
        id: Uuid,
        publish: bool,
        reviewer: Uuid,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigDemand, StoreError> {
        let txn = self.write(who, at).await?;
        let next = if publish { "open" } else { "refused" };
        let moved = gig_demand::Entity::update_many()
            .col_expr(gig_demand::Column::Status, Expr::value(next))
            .col_expr(gig_demand::Column::ReviewedBy, Expr::value(reviewer))
            .filter(gig_demand::Column::Id.eq(id))
            .filter(gig_demand::Column::Status.eq("held"))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved == 0 {
            return Err(refused("gig.not_held"));
        }
        let m = gig_demand::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        txn.commit(Event {
            action: if publish { "gig.publish" } else { "gig.refuse" },
            target_kind: Some("gig_demand"),
            target_id: Some(id),
            district: Some(&m.district),
            detail: serde_json::json!({}),
        })
        .await?;
        to_demand(m)
    }

    /// The poster closes a gig: no more bookings.
    pub async fn close_gig(&self, id: Uuid, who: &AuditEntry, at: DateTime<Utc>) -> Result<(), StoreError> {
        let txn = self.write(who, at).await?;
        let moved = gig_demand::Entity::update_many()
            .col_expr(gig_demand::Column::Status, Expr::value("closed"))
            .filter(gig_demand::Column::Id.eq(id))
            .filter(gig_demand::Column::Status.is_in(["open", "held", "filled"]))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved == 0 {
            return Err(refused("gig.not_open"));
        }
        txn.commit(Event {
            action: "gig.close",
            target_kind: Some("gig_demand"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({}),
        })
        .await
    }

    pub async fn gig_by_id(&self, id: Uuid) -> Result<GigDemand, StoreError> {
        to_demand(gig_demand::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Gigs in a status (a district or all), soonest first.
    pub async fn gigs_with_status(&self, status: &str, district: Option<&str>) -> Result<Vec<GigDemand>, StoreError> {
        let mut q = gig_demand::Entity::find().filter(gig_demand::Column::Status.eq(status));
        if let Some(d) = district {
            q = q.filter(gig_demand::Column::District.eq(d));
        }
        q.order_by_asc(gig_demand::Column::StartsAt).all(self.db()).await?.into_iter().map(to_demand).collect()
    }

    /// The gigs one account posted, newest first.
    pub async fn gigs_posted_by(&self, account: Uuid) -> Result<Vec<GigDemand>, StoreError> {
        gig_demand::Entity::find()
            .filter(gig_demand::Column::PosterAccount.eq(account))
            .order_by_desc(gig_demand::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_demand)
            .collect()
    }

    /// A worker takes a place on an open gig. The place is taken by one conditional UPDATE
    /// (`booked < headcount`), so N workers accepting at once get exactly the places there are;
    /// the last place turns the gig `filled`. One booking per worker and gig.
    pub async fn accept_gig(
        &self,
        demand_id: Uuid,
        person_id: Uuid,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigBooking, StoreError> {
        let txn = self.write(who, at).await?;
        let taken = gig_demand::Entity::update_many()
            .col_expr(gig_demand::Column::Booked, Expr::col(gig_demand::Column::Booked).add(1))
            .col_expr(
                gig_demand::Column::Status,
                Expr::case(
                    Expr::col(gig_demand::Column::Booked).add(1).gte(Expr::col(gig_demand::Column::Headcount)),
                    "filled",
                )
                .finally("open")
                .into(),
            )
            .filter(gig_demand::Column::Id.eq(demand_id))
            .filter(gig_demand::Column::Status.eq("open"))
            .filter(Expr::col(gig_demand::Column::Booked).lt(Expr::col(gig_demand::Column::Headcount)))
            .exec(&txn)
            .await?
            .rows_affected;
        if taken == 0 {
            let exists = gig_demand::Entity::find_by_id(demand_id).one(&txn).await?;
            return Err(match exists {
                None => StoreError::NotFound,
                Some(d) if d.status == "filled" => refused("gig.full"),
                Some(_) => refused("gig.not_open"),
            });
        }
        let id = new_id(at);
        let m = gig_booking::ActiveModel {
            id: Set(id),
            demand_id: Set(demand_id),
            person_id: Set(person_id),
            demand_person: Set(format!("{demand_id}:{person_id}")),
            status: Set("booked".into()),
            accepted_at: Set(at),
            worker_started_at: Set(None),
            employer_started_at: Set(None),
            worker_done_at: Set(None),
            employer_done_at: Set(None),
            paid_fen: Set(None),
            worker_paid: Set(None),
            rating_of_employer: Set(None),
            rating_of_worker: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(|e| match conflict_or(e, "gig_booking") {
            StoreError::Conflict { .. } => refused("gig.already_booked"),
            other => other,
        })?;
        txn.event(Event {
            action: "gig.accept",
            target_kind: Some("gig_demand"),
            target_id: Some(demand_id),
            district: None,
            detail: serde_json::json!({ "booking_id": id }),
        })
        .await?;
        txn.changed("gig_booking", id).await?;
        txn.finish().await?;
        Ok(to_booking(m))
    }

    pub async fn gig_booking_by_id(&self, id: Uuid) -> Result<GigBooking, StoreError> {
        Ok(to_booking(gig_booking::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?))
    }

    pub async fn bookings_of_gig(&self, demand_id: Uuid) -> Result<Vec<GigBooking>, StoreError> {
        Ok(gig_booking::Entity::find()
            .filter(gig_booking::Column::DemandId.eq(demand_id))
            .order_by_asc(gig_booking::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_booking)
            .collect())
    }

    pub async fn bookings_of_worker(&self, person_id: Uuid) -> Result<Vec<GigBooking>, StoreError> {
        Ok(gig_booking::Entity::find()
            .filter(gig_booking::Column::PersonId.eq(person_id))
            .order_by_desc(gig_booking::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_booking)
            .collect())
    }

    /// One side confirms a step; the booking moves to `started` or `done` once both have.
    pub async fn confirm_gig(
        &self,
        booking_id: Uuid,
        side: Side,
        step: Step,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigBooking, StoreError> {
        let txn = self.write(who, at).await?;
        let m = gig_booking::Entity::find_by_id(booking_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if m.status == "cancelled" || (step == Step::Start && m.status == "done") {
            return Err(refused("gig.booking_closed"));
        }
        let mut b = to_booking(m.clone());
        let slot = match (side, step) {
            (Side::Worker, Step::Start) => &mut b.worker_started_at,
            (Side::Employer, Step::Start) => &mut b.employer_started_at,
            (Side::Worker, Step::Done) => &mut b.worker_done_at,
            (Side::Employer, Step::Done) => &mut b.employer_done_at,
        };
        if slot.is_some() {
            return Err(refused("gig.already_confirmed"));
        }
        *slot = Some(at);
        if step == Step::Done {
            // Completion implies the start, as the side confirming completion saw it.
            match side {
                Side::Worker => b.worker_started_at = b.worker_started_at.or(Some(at)),
                Side::Employer => b.employer_started_at = b.employer_started_at.or(Some(at)),
            }
        }
        let started = b.worker_started_at.is_some() && b.employer_started_at.is_some();
        let done = b.worker_done_at.is_some() && b.employer_done_at.is_some();
        b.status = if done {
            "done"
        } else if started {
            "started"
        } else {
            "booked"
        }
        .into();
        let mut a = m.into_active_model();
        a.worker_started_at = Set(b.worker_started_at);
        a.employer_started_at = Set(b.employer_started_at);
        a.worker_done_at = Set(b.worker_done_at);
        a.employer_done_at = Set(b.employer_done_at);
        a.status = Set(b.status.clone());
        a.update(&txn).await?;
        txn.commit(Event {
            action: "gig.confirm",
            target_kind: Some("gig_booking"),
            target_id: Some(booking_id),
            district: None,
            detail: serde_json::json!({ "side": format!("{side:?}"), "step": format!("{step:?}"), "status": b.status }),
        })
        .await?;
        Ok(b)
    }

    /// Pay as each side says it: the employer what it paid, the worker whether it arrived.
    pub async fn record_gig_pay(
        &self,
        booking_id: Uuid,
        paid_fen: Option<i64>,
        worker_paid: Option<bool>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigBooking, StoreError> {
        let txn = self.write(who, at).await?;
        let m = gig_booking::Entity::find_by_id(booking_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut a = m.into_active_model();
        if let Some(p) = paid_fen {
            a.paid_fen = Set(Some(p));
        }
        if let Some(p) = worker_paid {
            a.worker_paid = Set(Some(p));
        }
        let m = a.update(&txn).await?;
        txn.commit(Event {
            action: "gig.pay",
            target_kind: Some("gig_booking"),
            target_id: Some(booking_id),
            district: None,
            detail: serde_json::json!({ "paid_fen": paid_fen, "worker_paid": worker_paid }),
        })
        .await?;
        Ok(to_booking(m))
    }

    /// A rating each way, once, after the gig is done.
    pub async fn rate_gig(
        &self,
        booking_id: Uuid,
        side: Side,
        stars: i32,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<GigBooking, StoreError> {
        let txn = self.write(who, at).await?;
        let m = gig_booking::Entity::find_by_id(booking_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if m.status != "done" {
            return Err(refused("gig.rate_after_done"));
        }
        let already = match side {
            Side::Worker => m.rating_of_employer.is_some(),
            Side::Employer => m.rating_of_worker.is_some(),
        };
        if already {
            return Err(refused("gig.already_rated"));
        }
        let mut a = m.into_active_model();
        match side {
            Side::Worker => a.rating_of_employer = Set(Some(stars)),
            Side::Employer => a.rating_of_worker = Set(Some(stars)),
        }
        let m = a.update(&txn).await?;
        txn.commit(Event {
            action: "gig.rate",
            target_kind: Some("gig_booking"),
            target_id: Some(booking_id),
            district: None,
            detail: serde_json::json!({ "side": format!("{side:?}"), "stars": stars }),
        })
        .await?;
        Ok(to_booking(m))
    }

    /// Whether a person's identity was seen at a desk: their online account was activated with
    /// a code a caseworker handed out after checking the document.
    pub async fn identity_seen_at_desk(&self, person_id: Uuid) -> Result<bool, StoreError> {
        Ok(activation_code::Entity::find()
            .filter(activation_code::Column::PersonId.eq(person_id))
            .filter(activation_code::Column::UsedAt.is_not_null())
            .one(self.db())
            .await?
            .is_some())
    }
}
