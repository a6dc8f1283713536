//! The service ledger: append-only services, corrections as new entries, ratings, and the
//! "131" counts of the person's active registration kept in step in the same transaction.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::casework::{CaseworkRules, One31Item, ServiceKind};

use super::registrations::active_registration;
use super::stored;
use crate::audit::{AuditEntry, Event};
use crate::entities::{person, rating, service, unemployment_registration as reg};
use crate::error::conflict_or;
use crate::write::Write;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub id: Uuid,
    pub person_id: Uuid,
    pub registration_id: Option<Uuid>,
    pub district: String,
    pub kind: ServiceKind,
    pub delivered_on: NaiveDate,
    pub actor_account: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    pub course: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// Reason texts (zh, en) — for job recommendations, why this job.
    pub reasons: Vec<(String, String)>,
    pub corrects_id: Option<Uuid>,
    pub void: bool,
    /// Replaced or cancelled by a later correction.
    pub superseded: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct NewService {
    pub person_id: Uuid,
    pub kind: Option<ServiceKind>,
    pub delivered_on: Option<NaiveDate>,
    pub provider_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    pub course: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    pub reasons: Vec<(String, String)>,
    pub corrects_id: Option<Uuid>,
    pub void: bool,
    /// Idempotency key of batch pushes; a second write with the same key is skipped.
    pub batch_key: Option<String>,
}

/// What `record_service` did.
#[derive(Debug, Clone)]
pub enum Recorded {
    New(Box<Service>),
    /// The batch key was already used: nothing was written.
    AlreadyDone,
}

#[derive(Debug, Clone, Serialize)]
pub struct SatisfactionRow {
    pub kind: String,
    pub district: String,
    pub provider_id: Option<Uuid>,
    pub ratings: u64,
    pub score_sum: i64,
}

fn to_service(m: service::Model, superseded: bool) -> Result<Service, StoreError> {
    let reasons: Vec<(String, String)> = serde_json::from_value(m.reasons).unwrap_or_default();
    Ok(Service {
        id: m.id,
        person_id: m.person_id,
        registration_id: m.registration_id,
        district: m.district,
        kind: stored("service.kind", ServiceKind::parse(&m.kind))?,
        delivered_on: m.delivered_on,
        actor_account: m.actor_account,
        provider_id: m.provider_id,
        vacancy_id: m.vacancy_id,
        course: m.course,
        note: m.note,
        evidence: m.evidence,
        reasons,
        corrects_id: m.corrects_id,
        void: m.void,
        superseded,
        created_at: m.created_at,
    })
}

/// The entries that count: not superseded by a correction, and not themselves a cancellation.
fn effective(rows: &[service::Model]) -> Vec<&service::Model> {
    let superseded: HashSet<Uuid> = rows.iter().filter_map(|r| r.corrects_id).collect();
    rows.iter().filter(|r| !r.void && !superseded.contains(&r.id)).collect()
}

/// Recount the "131" items of a registration from its ledger and store the result.
pub(crate) async fn recount_131(
    txn: &DatabaseTransaction,
    r: reg::Model,
    rules: &CaseworkRules,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let rows = service::Entity::find().filter(service::Column::RegistrationId.eq(r.id)).all(txn).await?;
    let mut done = [0u32; 3];
    for s in effective(&rows) {
        let Ok(kind) = ServiceKind::parse(&s.kind) else { continue };
        if let Some(item) = kind.one31_item() {
            let i = One31Item::ALL.iter().position(|x| *x == item).unwrap_or(0);
            done[i] += 1;
        }
    }
    let one31 = rules.one31(r.registered_on, done, today);
    let completed_on = match (one31.next_due_on, r.one31_completed_on) {
        (None, Some(d)) => Some(d),
        (None, None) => Some(today),
        (Some(_), _) => None,
    };
    let as_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let mut am = r.into_active_model();
    am.guidance_done = Set(as_i32(done[0]));
    am.referrals_done = Set(as_i32(done[1]));
    am.training_done = Set(as_i32(done[2]));
    am.next_131_due_on = Set(one31.next_due_on);
    am.one31_completed_on = Set(completed_on);
    am.updated_at = Set(at);
    am.update(txn).await?;
    Ok(())
}

impl Store {
    /// Append a service to the ledger (or a correction of an earlier one) and recount the
    /// person's "131" in the same transaction.
    pub async fn record_service(
        &self,
        new: &NewService,
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let txn = self.write(who, at).await?;
        let r = self.record_service_in(&txn, new, rules, today, who, at).await;
        match r {
            Ok(Recorded::New(s)) => {
                txn.finish().await?;
                Ok(Recorded::New(s))
            }
            other => other,
        }
    }

    pub(crate) async fn record_service_in(
        &self,
        txn: &Write<'_>,
        new: &NewService,
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let p = person::Entity::find_by_id(new.person_id).one(txn).await?.ok_or(StoreError::NotFound)?;
        let delivered_on = new.delivered_on.unwrap_or(today);
        jiuye_domain::time::event_day("delivered_on", delivered_on, today).map_err(StoreError::Refused)?;
        let (kind, registration_id) = match new.corrects_id {
            Some(old) => {
                let o = service::Entity::find_by_id(old).one(txn).await?;
                let Some(o) = o.filter(|o| o.person_id == new.person_id) else {
                    return Err(StoreError::Refused(CodeError::new("casework.correction_target").field("corrects_id")));
                };
                let kind = match new.kind {
                    Some(k) => k,
                    None => stored("service.kind", ServiceKind::parse(&o.kind))?,
                };
                (kind, o.registration_id)
            }
            None => {
                let Some(kind) = new.kind else {
                    return Err(StoreError::Refused(
                        CodeError::new("input.required").field("kind").arg("field", "kind"),
                    ));
                };
                (kind, active_registration(txn, new.person_id).await?.map(|r| r.id))
            }
        };
        if let Some(key) = &new.batch_key
            && service::Entity::find().filter(service::Column::BatchKey.eq(key.as_str())).one(txn).await?.is_some()
        {
            return Ok(Recorded::AlreadyDone);
        }
        let m = service::ActiveModel {
            id: Set(new_id(at)),
            person_id: Set(new.person_id),
            registration_id: Set(registration_id),
            district: Set(p.district.clone()),
            kind: Set(kind.as_str().into()),
            delivered_on: Set(delivered_on),
            actor_account: Set(who.actor_account),
            provider_id: Set(new.provider_id),
            vacancy_id: Set(new.vacancy_id),
            course: Set(new.course.clone()),
            note: Set(new.note.clone()),
            evidence: Set(new.evidence.clone()),
            reasons: Set(serde_json::to_value(&new.reasons).unwrap_or(serde_json::Value::Null)),
            corrects_id: Set(new.corrects_id),
            void: Set(new.void),
            batch_key: Set(new.batch_key.clone()),
            created_at: Set(at),
        }
        .insert(txn)
        .await
        .map_err(|e| conflict_or(e, "batch_key"))?;
        if let Some(rid) = registration_id
            && let Some(r) = reg::Entity::find_by_id(rid).one(txn).await?
            && r.status == "registered"
        {
            recount_131(txn, r, rules, today, at).await?;
        }
        txn.event(Event {
            action: if new.corrects_id.is_some() { "service.correct" } else { "service.create" },
            target_kind: Some("person"),
            target_id: Some(new.person_id),
            district: Some(&p.district),
            detail: serde_json::json!({
                "service_id": m.id,
                "kind": kind.as_str(),
                "corrects": new.corrects_id,
                "void": new.void,
            }),
        })
        .await?;
        Ok(Recorded::New(Box::new(to_service(m, false)?)))
    }

    /// Several services in one transaction: all are written or none (job pushes: three at once).
    pub async fn record_services(
        &self,
        all: &[NewService],
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vec<Recorded>, StoreError> {
        let txn = self.write(who, at).await?;
        let mut out = Vec::with_capacity(all.len());
        for s in all {
            out.push(self.record_service_in(&txn, s, rules, today, who, at).await?);
        }
        txn.finish().await?;
        Ok(out)
    }

    /// The person's ledger, newest first, with superseded entries marked.
    pub async fn services_of_person(&self, person_id: Uuid) -> Result<Vec<Service>, StoreError> {
        let rows = service::Entity::find()
            .filter(service::Column::PersonId.eq(person_id))
            .order_by_desc(service::Column::Id)
            .all(self.db())
            .await?;
        let superseded: HashSet<Uuid> = rows.iter().filter_map(|r| r.corrects_id).collect();
        rows.into_iter()
            .map(|m| {
                let s = superseded.contains(&m.id);
                to_service(m, s)
            })
            .collect()
    }

    pub async fn service_by_id(&self, id: Uuid) -> Result<Service, StoreError> {
        let m = service::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let superseded =
            service::Entity::find().filter(service::Column::CorrectsId.eq(id)).one(self.db()).await?.is_some();
        to_service(m, superseded)
    }

    /// The person rates a service delivered to them, once.
    pub async fn rate_service(
        &self,
        service_id: Uuid,
        person_id: Uuid,
        score: i32,
        comment: Option<String>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !(1..=5).contains(&score) {
            return Err(StoreError::Refused(CodeError::new("casework.rating_range").field("score")));
        }
        let txn = self.write(who, at).await?;
        let s = service::Entity::find_by_id(service_id).one(&txn).await?;
        let Some(s) = s.filter(|s| s.person_id == person_id) else { return Err(StoreError::NotFound) };
        rating::ActiveModel {
            id: Set(new_id(at)),
            service_id: Set(service_id),
            person_id: Set(person_id),
            score: Set(score),
            comment: Set(comment),
            created_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| match conflict_or(e, "rating") {
            StoreError::Conflict { .. } => StoreError::Refused(CodeError::new("casework.rating_twice").field("score")),
            other => other,
        })?;
        txn.commit(Event {
            action: "service.rate",
            target_kind: Some("service"),
            target_id: Some(service_id),
            district: Some(&s.district),
            detail: serde_json::json!({ "score": score }),
        })
        .await?;
        Ok(())
    }

    /// The ratings of services a person received (service id → score).
    pub async fn ratings_of_person(&self, person_id: Uuid) -> Result<Vec<(Uuid, i32)>, StoreError> {
        Ok(rating::Entity::find()
            .filter(rating::Column::PersonId.eq(person_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|r| (r.service_id, r.score))
            .collect())
    }

    /// Satisfaction grouped by service kind × district × provider (callers fold further).
    pub async fn satisfaction(&self, district: Option<&str>) -> Result<Vec<SatisfactionRow>, StoreError> {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
        let s = Alias::new("s");
        let r = Alias::new("r");
        let mut q = Query::select();
        q.column((s.clone(), service::Column::Kind))
            .column((s.clone(), service::Column::District))
            .column((s.clone(), service::Column::ProviderId))
            .expr_as(Func::count(Expr::col((r.clone(), rating::Column::Id))), Alias::new("n"))
            .expr_as(
                Expr::expr(Func::sum(Expr::col((r.clone(), rating::Column::Score)))).cast_as(Alias::new("bigint")),
                Alias::new("total"),
            )
            .from_as(rating::Entity, r.clone())
            .join_as(
                sea_orm::sea_query::JoinType::InnerJoin,
                service::Entity,
                s.clone(),
                Expr::col((s.clone(), service::Column::Id)).equals((r.clone(), rating::Column::ServiceId)),
            )
            .group_by_col((s.clone(), service::Column::Kind))
            .group_by_col((s.clone(), service::Column::District))
            .group_by_col((s.clone(), service::Column::ProviderId));
        if let Some(d) = district {
            q.and_where(Expr::col((s.clone(), service::Column::District)).eq(d));
        }
        let rows = self.db().query_all(&q).await?;
        let mut out = Vec::new();
        for row in rows {
            out.push(SatisfactionRow {
                kind: row.try_get("", "kind")?,
                district: row.try_get("", "district")?,
                provider_id: row.try_get("", "provider_id")?,
                ratings: u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0),
                score_sum: row.try_get::<i64>("", "total")?,
            });
        }
        Ok(out)
    }

    /// How many ledger rows there are (benchmarks and statistics).
    pub async fn count_services(&self) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(service::Entity::find().select_only().column(service::Column::Id).count(self.db()).await?)
    }
}
