//! The one way a record changes. A [`Write`] is a write transaction that knows who acts and
//! when. Each event it records writes the audit row and, for the record the event names, a row
//! of the change log — so a write, its audit entry and its change record are one call — and what it
//! did not say does not commit. `begin_write` and `audit::write` are called
//! from here and nowhere else in the repositories (a test in `tests/story` reads the sources).

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::audit::{self, AuditEntry, Event};
use crate::repo::changes;
use crate::{Store, StoreError};

pub(crate) struct Write<'w> {
    txn: DatabaseTransaction,
    pub who: &'w AuditEntry,
    pub at: DateTime<Utc>,
    /// Has an event been recorded? A write that said nothing does not commit.
    said: AtomicBool,
    /// Has a change-log row been written? Then readers are woken at commit.
    logged: AtomicBool,
}

impl std::ops::Deref for Write<'_> {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl Store {
    /// Start a write on behalf of `who` at `at`.
    pub(crate) async fn write<'w>(&self, who: &'w AuditEntry, at: DateTime<Utc>) -> Result<Write<'w>, StoreError> {
        Ok(Write {
            txn: self.begin_write().await?,
            who,
            at,
            said: AtomicBool::new(false),
            logged: AtomicBool::new(false),
        })
    }
}

impl Write<'_> {
    /// Say what happened: the audit row, and a change-log row for the record the event names.
    pub async fn event(&self, e: Event<'_>) -> Result<(), StoreError> {
        audit::write(&self.txn, self.who, self.at, &e).await?;
        if let (Some(kind), Some(id)) = (e.target_kind, e.target_id) {
            changes::record(&self.txn, kind, id, changes::UPSERT, self.at).await?;
            self.logged.store(true, Ordering::Relaxed);
        }
        self.said.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Another record this write changed, beside the one its event names (the vacancy a hire
    /// fills, the household a registration refreshes).
    pub async fn changed(&self, entity: &str, id: Uuid) -> Result<(), StoreError> {
        changes::record(&self.txn, entity, id, changes::UPSERT, self.at).await?;
        self.logged.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Every record of a kind changed at once (a bulk load): readers rebuild.
    pub async fn reset(&self, entity: &str) -> Result<(), StoreError> {
        changes::record(&self.txn, entity, Uuid::nil(), changes::RESET, self.at).await?;
        self.logged.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Record the event and commit.
    pub async fn commit(self, e: Event<'_>) -> Result<(), StoreError> {
        self.event(e).await?;
        self.finish().await
    }

    /// Commit a write whose events were recorded along the way. A write that recorded none is
    /// rolled back instead: no record changes without its audit entry (a batch that found
    /// everything already done leaves nothing).
    pub async fn finish(self) -> Result<(), StoreError> {
        if self.said.load(Ordering::Relaxed) {
            use sea_orm::ConnectionTrait;
            if self.logged.load(Ordering::Relaxed) && self.txn.get_database_backend() == sea_orm::DbBackend::Postgres {
                // Delivered at commit, never for a rollback: other instances read the log now.
                self.txn.execute_unprepared(crate::repo::change_wakeup::NOTIFY_SQL).await?;
            }
            self.txn.commit().await?;
        } else {
            self.txn.rollback().await?;
        }
        Ok(())
    }
}

/// Queries run inside the write, so repositories pass `&txn` as they would a transaction.
#[async_trait::async_trait]
impl sea_orm::ConnectionTrait for Write<'_> {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: sea_orm::Statement) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: sea_orm::Statement) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}
