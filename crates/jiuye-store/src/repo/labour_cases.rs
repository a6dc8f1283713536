//! Wage-arrears complaints and labour-dispute mediation cases. A case moves only from the
//! status its mover expected (a conditional UPDATE), so two staff acting at once cannot both
//! decide it. The statutory clocks are computed by the core from its dates; only the nearest
//! running deadline is kept (`due_on`), so the workbench and the deadline sweep read an index
//! rather than every case.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use jiuye_domain::CodeError;

use super::{from_json, json_of};
use crate::audit::{AuditEntry, Event};
use crate::entities::labour_case;
use crate::{Store, StoreError, new_id};

/// Days a case stood still.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: NaiveDate,
    pub resumed: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabourCase {
    pub id: Uuid,
    pub kind: String,
    pub origin_id: Option<Uuid>,
    pub gig_booking_id: Option<Uuid>,
    pub district: String,
    pub person_id: Option<Uuid>,
    pub employer_id: Option<Uuid>,
    pub employer_name: String,
    pub workers: i32,
    pub amount_fen: i64,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub evidence: String,
    pub received_on: NaiveDate,
    pub status: String,
    pub accepted_on: Option<NaiveDate>,
    pub extended: bool,
    pub suspensions: Vec<Pause>,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub recovered_fen: Option<i64>,
    pub knew_on: Option<NaiveDate>,
    pub employment_ended: Option<NaiveDate>,
    pub referred_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub decided_in_time: Option<bool>,
    pub warned_for: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// A mediation case: the registered organisation mediating it.
    pub mediation_org_id: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct NewLabourCase {
    pub kind: String,
    pub origin_id: Option<Uuid>,
    pub gig_booking_id: Option<Uuid>,
    pub district: String,
    pub person_id: Option<Uuid>,
    pub employer_id: Option<Uuid>,
    pub employer_name: String,
    pub workers: i32,
    pub amount_fen: i64,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub evidence: String,
    pub received_on: NaiveDate,
    /// received, or refused at intake (too old), with the reason in `outcome`.
    pub status: String,
    pub outcome: Option<String>,
    pub knew_on: Option<NaiveDate>,
    pub employment_ended: Option<NaiveDate>,
    /// The deadline of the clock that starts with it (none when refused at intake).
    pub due_on: Option<NaiveDate>,
    /// A mediation case: the registered organisation mediating it.
    pub mediation_org_id: Option<Uuid>,
}

/// A move of a case: the fields it sets (None: unchanged).
#[derive(Debug, Clone, Default)]
pub struct CaseMove {
    pub status: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub extended: Option<bool>,
    pub suspensions: Option<Vec<Pause>>,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub recovered_fen: Option<i64>,
    pub referred_on: Option<NaiveDate>,
    /// The nearest running deadline after the move (`Some(None)`: no clock runs).
    pub due_on: Option<Option<NaiveDate>>,
    pub decided_in_time: Option<bool>,
}

/// Which cases a list holds, in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseOrder {
    /// Cases with a running clock, nearest deadline first (skipping `offset`).
    Due { offset: u64 },
    /// Every case, newest first, those older than `before`.
    Newest { before: Option<Uuid> },
}

/// Figures of a district's (or the city's) cases received in a span, for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseCounts {
    pub complaints: i64,
    pub accepted: i64,
    pub refused_too_old: i64,
    pub refused_by_staff: i64,
    pub closed: i64,
    pub to_mediation: i64,
    pub mediations: i64,
    pub agreed: i64,
    pub failed: i64,
    pub awarded: i64,
    /// Complaints decided (accepted, or refused by staff), and those decided on or before
    /// their acceptance deadline (suspensions counted).
    pub decided: i64,
    pub decided_in_time: i64,
    /// Cases whose running clock is past its deadline today.
    pub breached_now: i64,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
    pub workers: i64,
}

/// What the deadline sweep found in one district.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueDigest {
    pub district: String,
    /// Newly within the warning (warned now).
    pub warned: u64,
    /// Open cases past their deadline.
    pub breached: u64,
    /// Open cases within the warning, before their deadline.
    pub due_soon: u64,
}

fn to_case(m: labour_case::Model) -> Result<LabourCase, StoreError> {
    Ok(LabourCase {
        id: m.id,
        kind: m.kind,
        origin_id: m.origin_id,
        gig_booking_id: m.gig_booking_id,
        district: m.district,
        person_id: m.person_id,
        employer_id: m.employer_id,
        employer_name: m.employer_name,
        workers: m.workers,
        amount_fen: m.amount_fen,
        period_from: m.period_from,
        period_to: m.period_to,
        evidence: m.evidence,
        received_on: m.received_on,
        status: m.status,
        accepted_on: m.accepted_on,
        extended: m.extended,
        suspensions: from_json("labour_case.suspensions", m.suspensions)?,
        decided_on: m.decided_on,
        outcome: m.outcome,
        recovered_fen: m.recovered_fen,
        knew_on: m.knew_on,
        employment_ended: m.employment_ended,
        referred_on: m.referred_on,
        due_on: m.due_on,
        decided_in_time: m.decided_in_time,
        warned_for: m.warned_for,
        created_at: m.created_at,
        mediation_org_id: m.mediation_org_id,
    })
}

impl Store {
    pub async fn file_labour_case(
        &self,
        new: &NewLabourCase,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<LabourCase, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let m = labour_case::ActiveModel {
            id: Set(id),
            kind: Set(new.kind.clone()),
            origin_id: Set(new.origin_id),
            gig_booking_id: Set(new.gig_booking_id),
            district: Set(new.district.clone()),
            person_id: Set(new.person_id),
            employer_id: Set(new.employer_id),
            employer_name: Set(new.employer_name.clone()),
            workers: Set(new.workers),
            amount_fen: Set(new.amount_fen),
            period_from: Set(new.period_from),
            period_to: Set(new.period_to),
            evidence: Set(new.evidence.clone()),
            received_on: Set(new.received_on),
            status: Set(new.status.clone()),
            accepted_on: Set(None),
            extended: Set(false),
            suspensions: Set(json_of(&Vec::<Pause>::new())),
            decided_on: Set(if new.status == "refused" { Some(new.received_on) } else { None }),
            outcome: Set(new.outcome.clone()),
            recovered_fen: Set(None),
            knew_on: Set(new.knew_on),
            employment_ended: Set(new.employment_ended),
            referred_on: Set(None),
            due_on: Set(new.due_on),
            decided_in_time: Set(None),
            warned_for: Set(None),
            created_at: Set(at),
            mediation_org_id: Set(new.mediation_org_id),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: if new.kind == "mediation" { "labour.mediation_file" } else { "labour.complaint_file" },
            target_kind: Some("labour_case"),
            target_id: Some(id),
            district: Some(&new.district),
            detail: serde_json::json!({ "status": new.status, "amount_fen": new.amount_fen, "origin_id": new.origin_id }),
        })
        .await?;
        to_case(m)
    }

    pub async fn labour_case_by_id(&self, id: Uuid) -> Result<LabourCase, StoreError> {
        to_case(labour_case::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?)
    }

    /// A page of cases of a district (or all) or of one person, in the order asked.
    pub async fn labour_cases(
        &self,
        district: Option<&str>,
        person: Option<Uuid>,
        order: CaseOrder,
        limit: u64,
    ) -> Result<Vec<LabourCase>, StoreError> {
        let mut q = labour_case::Entity::find();
        if let Some(d) = district {
            q = q.filter(labour_case::Column::District.eq(d));
        }
        if let Some(p) = person {
            q = q.filter(labour_case::Column::PersonId.eq(p));
        }
        q = match order {
            CaseOrder::Due { offset } => {
                // The page's ids first, from the (district,) due_on, id index alone — a page deep
                // in the list skips index entries, never rows —, then those rows.
                let ids: Vec<Uuid> = q
                    .filter(labour_case::Column::DueOn.is_not_null())
                    .select_only()
                    .column(labour_case::Column::Id)
                    .order_by_asc(labour_case::Column::DueOn)
                    .order_by_asc(labour_case::Column::Id)
                    .offset(offset)
                    .limit(limit)
                    .into_tuple()
                    .all(self.db())
                    .await?;
                let mut rows = labour_case::Entity::find()
                    .filter(labour_case::Column::Id.is_in(ids.iter().copied()))
                    .all(self.db())
                    .await?;
                rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
                return rows.into_iter().map(to_case).collect();
            }
            CaseOrder::Newest { before } => {
                if let Some(b) = before {
                    q = q.filter(labour_case::Column::Id.lt(b));
                }
                q.order_by_desc(labour_case::Column::Id)
            }
        };
        q.limit(limit).all(self.db()).await?.into_iter().map(to_case).collect()
    }

    /// How many cases of a district (or all) have a running clock.
    pub async fn count_running_cases(&self, district: Option<&str>) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        let mut q = labour_case::Entity::find().filter(labour_case::Column::DueOn.is_not_null());
        if let Some(d) = district {
            q = q.filter(labour_case::Column::District.eq(d));
        }
        Ok(q.count(self.db()).await?)
    }

    /// The figures of the cases received from `from` to `to`, counted by the database.
    pub async fn labour_case_counts(
        &self,
        district: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<CaseCounts, StoreError> {
        let pg = self.backend() == DbBackend::Postgres;
        let mut n = 0;
        let mut ph = || {
            n += 1;
            // Numbered on both, so a value's place does not depend on where it is used.
            if pg { format!("${n}") } else { format!("?{n}") }
        };
        let sum = |cond: &str| format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)");
        let total =
            |cond: &str, col: &str| format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN {col} ELSE 0 END), 0) AS BIGINT)");
        let (p_today, p_true, p_from, p_to) = (ph(), ph(), ph(), ph());
        let mut sql = format!(
            "SELECT {} AS complaints, {} AS accepted, {} AS refused_too_old, {} AS refused_by_staff, \
             {} AS closed, {} AS to_mediation, {} AS mediations, {} AS agreed, {} AS failed, {} AS awarded, \
             {} AS decided, {} AS decided_in_time, {} AS breached_now, {} AS claimed_fen, \
             CAST(COALESCE(SUM(COALESCE(recovered_fen, 0)), 0) AS BIGINT) AS recovered_fen, {} AS workers \
             FROM labour_cases WHERE received_on >= {p_from} AND received_on <= {p_to}",
            sum("kind = 'complaint'"),
            sum("kind = 'complaint' AND accepted_on IS NOT NULL"),
            sum("outcome = 'arrears.too_old'"),
            sum("outcome = 'labour.refused_by_staff'"),
            sum("kind = 'complaint' AND status = 'closed'"),
            sum("outcome = 'labour.to_mediation'"),
            sum("kind = 'mediation'"),
            sum("kind = 'mediation' AND status = 'agreed'"),
            sum("kind = 'mediation' AND status IN ('failed', 'arbitration', 'awarded')"),
            sum("kind = 'mediation' AND status = 'awarded'"),
            sum("decided_in_time IS NOT NULL"),
            sum(&format!("decided_in_time = {p_true}")),
            sum(&format!("due_on < {p_today}")),
            total("kind = 'complaint'", "amount_fen"),
            total("kind = 'complaint'", "workers"),
        );
        let mut values: Vec<Value> = vec![today.into(), true.into(), from.into(), to.into()];
        if let Some(d) = district {
            sql.push_str(&format!(" AND district = {}", ph()));
            values.push(d.into());
        }
        let row = self
            .db()
            .query_one_raw(Statement::from_sql_and_values(self.backend(), sql, values))
            .await?
            .ok_or_else(|| StoreError::Corrupt("no count row".into()))?;
        let g = |c: &str| row.try_get::<i64>("", c);
        Ok(CaseCounts {
            complaints: g("complaints")?,
            accepted: g("accepted")?,
            refused_too_old: g("refused_too_old")?,
            refused_by_staff: g("refused_by_staff")?,
            closed: g("closed")?,
            to_mediation: g("to_mediation")?,
            mediations: g("mediations")?,
            agreed: g("agreed")?,
            failed: g("failed")?,
            awarded: g("awarded")?,
            decided: g("decided")?,
            decided_in_time: g("decided_in_time")?,
            breached_now: g("breached_now")?,
            claimed_fen: g("claimed_fen")?,
            recovered_fen: g("recovered_fen")?,
            workers: g("workers")?,
        })
    }

    /// The deadline sweep: every open case whose deadline falls on or before `until` (the day
    /// warning's working days ahead) is counted per district, and those not yet warned of this
    /// deadline are marked warned, in one write whose audit entry per district says the counts.
    pub async fn sweep_labour_deadlines(
        &self,
        today: NaiveDate,
        until: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vec<DueDigest>, StoreError> {
        let txn = self.write(who, at).await?;
        let rows: Vec<(Uuid, String, Option<NaiveDate>, Option<NaiveDate>)> = labour_case::Entity::find()
            .select_only()
            .column(labour_case::Column::Id)
            .column(labour_case::Column::District)
            .column(labour_case::Column::DueOn)
            .column(labour_case::Column::WarnedFor)
            .filter(labour_case::Column::DueOn.lte(until))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut by: std::collections::BTreeMap<String, DueDigest> = std::collections::BTreeMap::new();
        let mut fresh = false;
        for (_, district, due, warned) in rows {
            let Some(due) = due else { continue };
            let d = by.entry(district.clone()).or_insert_with(|| DueDigest { district, ..DueDigest::default() });
            if due < today {
                d.breached += 1;
            } else {
                d.due_soon += 1;
            }
            if warned != Some(due) {
                d.warned += 1;
                fresh = true;
            }
        }
        // Mark each newly warned case with its own deadline: one statement over the same rows
        // (read by the due_on index, in this transaction), never a lookup per id.
        if fresh {
            labour_case::Entity::update_many()
                .col_expr(labour_case::Column::WarnedFor, sea_orm::sea_query::Expr::col(labour_case::Column::DueOn))
                .filter(labour_case::Column::DueOn.lte(until))
                .filter(
                    sea_orm::Condition::any().add(labour_case::Column::WarnedFor.is_null()).add(
                        sea_orm::sea_query::Expr::col(labour_case::Column::WarnedFor)
                            .ne(sea_orm::sea_query::Expr::col(labour_case::Column::DueOn)),
                    ),
                )
                .exec(&txn)
                .await?;
        }
        let digests: Vec<DueDigest> = by.into_values().collect();
        for d in digests.iter().filter(|d| d.warned > 0) {
            txn.event(Event {
                action: "labour.deadlines_warned",
                target_kind: None,
                target_id: None,
                district: Some(&d.district),
                detail: serde_json::json!({ "warned": d.warned, "due_soon": d.due_soon, "breached": d.breached, "until": until }),
            })
            .await?;
        }
        txn.finish().await?;
        Ok(digests)
    }

    /// Move a case from the status the mover saw; refused (`labour.moved`) when it moved since.
    pub async fn move_labour_case(
        &self,
        id: Uuid,
        expected: &str,
        m: &CaseMove,
        action: &'static str,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<LabourCase, StoreError> {
        let txn = self.write(who, at).await?;
        let row = labour_case::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound)?;
        if row.status != expected {
            return Err(StoreError::Refused(CodeError::new("labour.moved").arg("status", row.status)));
        }
        let district = row.district.clone();
        let mut a = row.into_active_model();
        if let Some(v) = &m.status {
            a.status = Set(v.clone());
        }
        if let Some(v) = m.accepted_on {
            a.accepted_on = Set(Some(v));
        }
        if let Some(v) = m.extended {
            a.extended = Set(v);
        }
        if let Some(v) = &m.suspensions {
            a.suspensions = Set(json_of(v));
        }
        if let Some(v) = m.decided_on {
            a.decided_on = Set(Some(v));
        }
        if let Some(v) = &m.outcome {
            a.outcome = Set(Some(v.clone()));
        }
        if let Some(v) = m.recovered_fen {
            a.recovered_fen = Set(Some(v));
        }
        if let Some(v) = m.referred_on {
            a.referred_on = Set(Some(v));
        }
        if let Some(v) = m.due_on {
            a.due_on = Set(v);
        }
        if let Some(v) = m.decided_in_time {
            a.decided_in_time = Set(Some(v));
        }
        let row = a.update(&txn).await?;
        txn.commit(Event {
            action,
            target_kind: Some("labour_case"),
            target_id: Some(id),
            district: Some(&district),
            detail: serde_json::json!({ "status": row.status, "outcome": row.outcome }),
        })
        .await?;
        to_case(row)
    }
}

impl Store {
    /// Load cases as they stand (benchmarks, imports of past records), their kept deadline
    /// computed by the caller; one transaction, one audit entry.
    pub async fn bulk_load_labour_cases(
        &self,
        cases: &[LabourCase],
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let txn = self.write(who, at).await?;
        for chunk in cases.chunks(500) {
            let rows = chunk.iter().map(|c| labour_case::ActiveModel {
                id: Set(c.id),
                kind: Set(c.kind.clone()),
                origin_id: Set(c.origin_id),
                gig_booking_id: Set(c.gig_booking_id),
                district: Set(c.district.clone()),
                person_id: Set(c.person_id),
                employer_id: Set(c.employer_id),
                employer_name: Set(c.employer_name.clone()),
                workers: Set(c.workers),
                amount_fen: Set(c.amount_fen),
                period_from: Set(c.period_from),
                period_to: Set(c.period_to),
                evidence: Set(c.evidence.clone()),
                received_on: Set(c.received_on),
                status: Set(c.status.clone()),
                accepted_on: Set(c.accepted_on),
                extended: Set(c.extended),
                suspensions: Set(json_of(&c.suspensions)),
                decided_on: Set(c.decided_on),
                outcome: Set(c.outcome.clone()),
                recovered_fen: Set(c.recovered_fen),
                knew_on: Set(c.knew_on),
                employment_ended: Set(c.employment_ended),
                referred_on: Set(c.referred_on),
                due_on: Set(c.due_on),
                decided_in_time: Set(c.decided_in_time),
                warned_for: Set(c.warned_for),
                created_at: Set(c.created_at),
                mediation_org_id: Set(c.mediation_org_id),
            });
            labour_case::Entity::insert_many(rows).exec(&txn).await?;
        }
        txn.commit(Event {
            action: "labour.bulk_load",
            target_kind: None,
            target_id: None,
            district: None,
            detail: serde_json::json!({ "cases": cases.len() }),
        })
        .await?;
        Ok(cases.len())
    }
}
