//! What proactive screening reads and writes for persons, in bulk: the few columns deciding
//! needs, streamed by id; and, for the persons whose findings changed, their new messages and
//! the digest of what they were last told — so a run where nothing changed writes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TryInsertResult};
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::{inbox, person};
use crate::repo::inbox::NewInboxItem;
use crate::{Store, StoreError};

/// A person as screening reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreeningRow {
    pub id: Uuid,
    pub birth_date: NaiveDate,
    /// The digest of the findings the person was last told of (`None`: never screened).
    pub screened: Option<i64>,
}

/// Rows a statement carries at most (SQLite allows 32,766 parameters; an inbox row has 11).
const CHUNK: usize = 1_000;

impl Store {
    /// Persons after `after` in id order, `limit` at a time: three columns, no JSON, nothing
    /// decrypted — what screening needs of everyone.
    pub async fn screening_rows(&self, after: Option<Uuid>, limit: u64) -> Result<Vec<ScreeningRow>, StoreError> {
        self.screening_rows_except(&[], after, limit).await
    }

    /// As [`Self::screening_rows`], leaving out in the database the persons surely unchanged:
    /// born strictly between `lo` and `hi` of an `unchanged` span and last told its digest. The
    /// spans come from the engine (findings by age); the database only compares, reading the
    /// narrow index `idx_persons_screening`, so persons nothing changed for never leave it.
    pub async fn screening_rows_except(
        &self,
        unchanged: &[(NaiveDate, NaiveDate, i64)],
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<ScreeningRow>, StoreError> {
        use sea_orm::Condition;
        let mut q = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::BirthDate)
            .column(person::Column::ScreenedDigest);
        if let Some(a) = after {
            q = q.filter(person::Column::Id.gt(a));
        }
        for (lo, hi, digest) in unchanged {
            q = q.filter(
                Condition::any()
                    .add(person::Column::BirthDate.lte(*lo))
                    .add(person::Column::BirthDate.gte(*hi))
                    .add(person::Column::ScreenedDigest.is_null())
                    .add(person::Column::ScreenedDigest.ne(*digest)),
            );
        }
        let rows: Vec<(Uuid, NaiveDate, Option<i64>)> =
            q.order_by_asc(person::Column::Id).limit(limit).into_tuple().all(self.db()).await?;
        Ok(rows.into_iter().map(|(id, birth_date, screened)| ScreeningRow { id, birth_date, screened }).collect())
    }

    /// These persons' screening rows (those whose findings depend on more than their age).
    pub async fn screening_rows_of(&self, ids: &[Uuid]) -> Result<Vec<ScreeningRow>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let rows: Vec<(Uuid, NaiveDate, Option<i64>)> = person::Entity::find()
                .select_only()
                .column(person::Column::Id)
                .column(person::Column::BirthDate)
                .column(person::Column::ScreenedDigest)
                .filter(person::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(self.db())
                .await?;
            out.extend(rows.into_iter().map(|(id, birth_date, screened)| ScreeningRow { id, birth_date, screened }));
        }
        Ok(out)
    }

    /// For persons whose findings changed: deliver their messages (each once: a message whose
    /// key was delivered before is skipped) and keep the digest of what they were told, in one
    /// transaction. Returns the messages delivered.
    pub async fn record_screening(
        &self,
        items: &[NewInboxItem],
        digests: &[(Uuid, i64)],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let who = AuditEntry::system();
        let txn = self.write(&who, at).await?;
        let mut delivered = 0u64;
        for chunk in items.chunks(CHUNK) {
            let models = chunk.iter().map(|i| super::inbox::model_of(i, at));
            let done = inbox::Entity::insert_many(models)
                .on_conflict_do_nothing_on([inbox::Column::DedupeKey])
                .exec_without_returning(&txn)
                .await?;
            if let TryInsertResult::Inserted(n) = done {
                delivered += n;
            }
        }
        for chunk in digests.chunks(CHUNK) {
            let mut case = Expr::case(Expr::col(person::Column::Id).eq(chunk[0].0), chunk[0].1);
            for (id, digest) in &chunk[1..] {
                case = case.case(Expr::col(person::Column::Id).eq(*id), *digest);
            }
            let update = Query::update()
                .table(person::Entity)
                .value(person::Column::ScreenedDigest, case.finally(Expr::col(person::Column::ScreenedDigest)))
                .and_where(Expr::col(person::Column::Id).is_in(chunk.iter().map(|(id, _)| *id)))
                .to_owned();
            txn.execute(&update).await?;
        }
        txn.commit(Event {
            action: "screening.record",
            target_kind: Some("person"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "persons": digests.len(), "delivered": delivered }),
        })
        .await?;
        Ok(delivered)
    }
}
