//! Writes only the cluster benchmark makes, to put the change log under the loads it is built
//! for: a flood of logged changes while an instance is down, and a change whose transaction
//! commits long after later ones. Each goes through [`crate::write::Write`] like any other
//! write, so it is audited and logged the same way.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::vacancy;
use crate::{Store, StoreError};

impl Store {
    /// Mark each of these vacancies changed at `at` (their `updated_at`), a logged change per
    /// vacancy and a thousand per transaction. Returns the changes logged.
    pub async fn bench_touch_vacancies(&self, ids: &[Uuid], at: DateTime<Utc>) -> Result<u64, StoreError> {
        let who = AuditEntry::system();
        let mut logged = 0u64;
        for chunk in ids.chunks(1_000) {
            let txn = self.write(&who, at).await?;
            vacancy::Entity::update_many()
                .col_expr(vacancy::Column::UpdatedAt, Expr::value(at))
                .filter(vacancy::Column::Id.is_in(chunk.iter().copied()))
                .exec(&*txn)
                .await?;
            for id in chunk {
                txn.changed("vacancy", *id).await?;
            }
            logged += chunk.len() as u64;
            txn.commit(Event {
                action: "bench.touch",
                target_kind: None,
                target_id: None,
                district: None,
                detail: serde_json::json!({ "vacancies": chunk.len() }),
            })
            .await?;
        }
        Ok(logged)
    }

    /// Retitle a vacancy in a transaction that takes its place in the log at once and commits
    /// only after `hold`: writes begun later commit first.
    pub async fn bench_late_retitle(
        &self,
        id: Uuid,
        title: &str,
        hold: Duration,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let who = AuditEntry::system();
        let txn = self.write(&who, at).await?;
        vacancy::Entity::update_many()
            .col_expr(vacancy::Column::Title, Expr::value(title))
            .col_expr(vacancy::Column::UpdatedAt, Expr::value(at))
            .filter(vacancy::Column::Id.eq(id))
            .exec(&*txn)
            .await?;
        txn.event(Event {
            action: "bench.late_retitle",
            target_kind: Some("vacancy"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({ "title": title }),
        })
        .await?;
        tokio::time::sleep(hold).await;
        txn.finish().await
    }
}
