//! The change log: written with every vacancy change in the same transaction; read by the
//! derived state (search index, job pool) from a position it keeps durably.
//!
//! A position is opaque to callers. On SQLite, writers are serialised (`BEGIN IMMEDIATE`), so
//! sequence order is commit order and the position is the last sequence read. On PostgreSQL
//! sequence values are taken before commit and may commit out of order, so the position is a
//! transaction-id watermark: a read takes the rows of transactions in `[position, xmin)`, where
//! `xmin` is the oldest transaction still running — every one of those has ended — and the new
//! position is that `xmin`. A row is read exactly once, however late its transaction commits.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Set, Statement,
};
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::{change, setting};
use crate::{Store, StoreError};

/// One change: which record, and whether the whole kind must be rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub reset: bool,
}

/// Changes read, and the position after them.
#[derive(Debug, Clone, Default)]
pub struct ChangeBatch {
    pub changes: Vec<Change>,
    pub next: i64,
    /// Rows after the position asked for were pruned: the reader is too far behind to catch
    /// up from the log and must rebuild from the store (then read from `next`).
    pub behind: bool,
}

/// The settings key holding the highest position pruned (a `seq` on SQLite, a `txid` on
/// PostgreSQL).
const PRUNED: &str = "changes.pruned_through";

pub(crate) const UPSERT: &str = "upsert";
pub(crate) const RESET: &str = "reset";

/// Record that `entity_id` changed, inside the writing transaction.
pub(crate) async fn record<C: ConnectionTrait>(
    conn: &C,
    entity: &str,
    entity_id: Uuid,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txid = match conn.get_database_backend() {
        DbBackend::Postgres => Expr::cust("pg_current_xact_id()::text::bigint"),
        _ => Expr::value(Option::<i64>::None),
    };
    let insert = Query::insert()
        .into_table(Alias::new("changes"))
        .columns([
            Alias::new("entity"),
            Alias::new("entity_id"),
            Alias::new("kind"),
            Alias::new("txid"),
            Alias::new("at"),
        ])
        .values_panic([Expr::value(entity), Expr::value(entity_id), Expr::value(kind), txid, Expr::value(at)])
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}

fn to_change(m: change::Model) -> Change {
    Change { seq: m.seq, entity: m.entity, entity_id: m.entity_id, reset: m.kind == RESET }
}

impl Store {
    /// The position now: reading from it gives every change committed after this call.
    pub async fn change_position(&self) -> Result<i64, StoreError> {
        match self.backend() {
            DbBackend::Postgres => self.xmin().await,
            _ => {
                let last = change::Entity::find().order_by_desc(change::Column::Seq).one(self.db()).await?;
                Ok(last.map_or(0, |c| c.seq))
            }
        }
    }

    async fn xmin(&self) -> Result<i64, StoreError> {
        let row = self
            .db()
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin",
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("no snapshot".into()))?;
        Ok(row.try_get::<i64>("", "xmin")?)
    }

    /// Every change after `position`, oldest first, and the position to read from next.
    pub async fn changes_after(&self, position: i64) -> Result<ChangeBatch, StoreError> {
        let pruned = self.pruned_through().await?;
        let (rows, next) = match self.backend() {
            DbBackend::Postgres => {
                let xmin = self.xmin().await?;
                let rows = change::Entity::find()
                    .filter(change::Column::Txid.gte(position))
                    .filter(change::Column::Txid.lt(xmin))
                    .order_by_asc(change::Column::Seq)
                    .all(self.db())
                    .await?;
                (rows, xmin.max(position))
            }
            _ => {
                let rows = change::Entity::find()
                    .filter(change::Column::Seq.gt(position))
                    .order_by_asc(change::Column::Seq)
                    .all(self.db())
                    .await?;
                let next = rows.last().map_or(position, |r| r.seq);
                (rows, next)
            }
        };
        // A reader at `position` has read SQLite rows up to it and PostgreSQL rows below it.
        let behind = pruned.is_some_and(|p| match self.backend() {
            DbBackend::Postgres => p >= position,
            _ => p > position,
        });
        Ok(ChangeBatch { changes: rows.into_iter().map(to_change).collect(), next, behind })
    }

    /// How many committed changes a reader at `position` has not applied yet (its lag).
    pub async fn changes_unapplied(&self, position: i64) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        let q = match self.backend() {
            DbBackend::Postgres => change::Entity::find().filter(change::Column::Txid.gte(position)),
            _ => change::Entity::find().filter(change::Column::Seq.gt(position)),
        };
        Ok(q.count(self.db()).await?)
    }

    /// Are committed changes waiting for an older transaction to end before they can be read?
    /// (PostgreSQL: a row at or above the oldest running transaction.) For tests and `/readyz`.
    pub async fn changes_pending(&self) -> Result<bool, StoreError> {
        if self.backend() != DbBackend::Postgres {
            return Ok(false);
        }
        let xmin = self.xmin().await?;
        let newest = change::Entity::find().order_by_desc(change::Column::Seq).one(self.db()).await?;
        Ok(newest.and_then(|c| c.txid).is_some_and(|t| t >= xmin))
    }

    async fn pruned_through(&self) -> Result<Option<i64>, StoreError> {
        let row = setting::Entity::find_by_id(PRUNED.to_string()).one(self.db()).await?;
        Ok(row.and_then(|r| r.value.parse().ok()))
    }

    /// Drop the rows written before `before` (a reader that far behind rebuilds from the
    /// store). Returns how many went. One transaction: the rows and the mark of how far the
    /// log was pruned go together.
    pub async fn prune_changes(&self, before: DateTime<Utc>, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let who = AuditEntry::system();
        let txn = self.write(&who, at).await?;
        let last = change::Entity::find()
            .filter(change::Column::At.lt(before))
            .order_by_desc(change::Column::Seq)
            .one(&txn)
            .await?;
        let Some(last) = last else { return Ok(0) };
        // Rows are removed up to a sequence, so the mark is exact on SQLite; on PostgreSQL the
        // highest transaction id among the removed rows.
        let through = match self.backend() {
            DbBackend::Postgres => change::Entity::find()
                .filter(change::Column::Seq.lte(last.seq))
                .order_by_desc(change::Column::Txid)
                .one(&txn)
                .await?
                .and_then(|r| r.txid)
                .unwrap_or(0),
            _ => last.seq,
        };
        let gone = change::Entity::delete_many().filter(change::Column::Seq.lte(last.seq)).exec(&txn).await?;
        let previous = setting::Entity::find_by_id(PRUNED.to_string()).one(&txn).await?;
        let through = previous.as_ref().and_then(|r| r.value.parse::<i64>().ok()).map_or(through, |p| p.max(through));
        let row =
            setting::ActiveModel { key: Set(PRUNED.to_string()), value: Set(through.to_string()), updated_at: Set(at) };
        if previous.is_some() {
            row.update(&txn).await?;
        } else {
            row.insert(&txn).await?;
        }
        txn.commit(Event {
            action: "changes.prune",
            target_kind: None,
            target_id: None,
            district: None,
            detail: serde_json::json!({ "rows": gone.rows_affected, "before": before, "through": through }),
        })
        .await?;
        Ok(gone.rows_affected)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::record;

    fn at() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).single().expect("time")
    }

    /// A transaction that took its sequence value first but commits last is still read, once:
    /// the reader waits below the oldest running transaction instead of trusting `seq`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_late_commit_is_read_once_on_postgres() {
        let Some(store) = crate::testing::fresh_postgres().await.expect("postgres") else { return };
        let start = store.change_position().await.expect("position");
        let (early, late) = (Uuid::new_v4(), Uuid::new_v4());
        let slow = store.begin_write().await.expect("begin");
        record(&slow, "vacancy", early, "upsert", at()).await.expect("early row");
        // Another transaction records after it and commits first.
        record(store.db(), "vacancy", late, "upsert", at()).await.expect("late row");
        let first = store.changes_after(start).await.expect("read");
        assert!(first.changes.is_empty(), "nothing is read past a running transaction: {:?}", first.changes);
        slow.commit().await.expect("commit");
        crate::testing::changes_settled(&store).await;
        let second = store.changes_after(first.next).await.expect("read");
        let ids: Vec<Uuid> = second.changes.iter().map(|c| c.entity_id).collect();
        assert_eq!(ids, vec![early, late], "both, in sequence order");
        let third = store.changes_after(second.next).await.expect("read");
        assert!(third.changes.is_empty(), "read once: {:?}", third.changes);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_reads_in_commit_order_from_the_last_sequence() {
        let store = crate::testing::fresh_sqlite().await.expect("sqlite");
        let start = store.change_position().await.expect("position");
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        for id in &ids {
            record(store.db(), "vacancy", *id, "upsert", at()).await.expect("row");
        }
        let batch = store.changes_after(start).await.expect("read");
        assert_eq!(batch.changes.iter().map(|c| c.entity_id).collect::<Vec<_>>(), ids);
        assert!(store.changes_after(batch.next).await.expect("read").changes.is_empty());
        assert_eq!(store.change_position().await.expect("position"), batch.next);
    }
}
