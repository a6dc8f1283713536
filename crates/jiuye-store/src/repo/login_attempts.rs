//! Failed sign-ins, counted by login key — whether an account has that key or not, so the
//! lockout tells a stranger nothing about who exists — in the database, so every instance
//! counts the same attempts. The key is kept only as a keyed hash.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::{account, address_attempt, login_attempt};
use crate::{Store, StoreError};

impl Store {
    /// Until when sign-ins with this key are refused, if they are.
    pub async fn login_locked_until(
        &self,
        key_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row = login_attempt::Entity::find_by_id(key_hash.to_string()).one(self.db()).await?;
        Ok(row.and_then(|r| r.locked_until).filter(|u| *u > now))
    }

    /// Count a failed sign-in with this key (one atomic upsert, so racing attempts each
    /// count); after `lock_after` failures the key locks for `lock_for` — audited, with the
    /// account it belongs to when there is one. True when this failure locked it.
    pub async fn record_login_failure(
        &self,
        key_hash: &str,
        account_id: Option<Uuid>,
        at: DateTime<Utc>,
        lock_after: i32,
        lock_for: Duration,
    ) -> Result<bool, StoreError> {
        let row = login_attempt::ActiveModel {
            key_hash: Set(key_hash.to_string()),
            failures: Set(1),
            locked_until: Set(None),
            updated_at: Set(at),
        };
        login_attempt::Entity::insert(row)
            .on_conflict(
                OnConflict::column(login_attempt::Column::KeyHash)
                    .value(
                        login_attempt::Column::Failures,
                        Expr::col((login_attempt::Entity, login_attempt::Column::Failures)).add(1),
                    )
                    .value(login_attempt::Column::UpdatedAt, Expr::value(at))
                    .to_owned(),
            )
            .exec(self.db())
            .await?;
        let m = login_attempt::Entity::find_by_id(key_hash.to_string())
            .one(self.db())
            .await?
            .ok_or(StoreError::NotFound)?;
        if m.failures < lock_after {
            return Ok(false);
        }
        let account = match account_id {
            Some(id) => account::Entity::find_by_id(id).one(self.db()).await?,
            None => None,
        };
        let who = AuditEntry {
            actor_account: account.as_ref().map(|a| a.id),
            actor_role: account.as_ref().and_then(|a| jiuye_domain::roles::Role::parse(&a.role).ok()),
            ip: None,
        };
        let txn = self.write(&who, at).await?;
        let failures = m.failures;
        let mut am = m.into_active_model();
        am.failures = Set(0);
        am.locked_until = Set(Some(at + lock_for));
        am.updated_at = Set(at);
        am.update(&txn).await?;
        let detail = serde_json::json!({ "failures": failures, "until": at + lock_for });
        match account {
            Some(a) => {
                let district = a.district.clone();
                let id = a.id;
                let mut am = a.into_active_model();
                am.locked_until = Set(Some(at + lock_for));
                am.updated_at = Set(at);
                am.update(&txn).await?;
                txn.commit(Event {
                    action: "account.lock",
                    target_kind: Some("account"),
                    target_id: Some(id),
                    district: district.as_deref(),
                    detail,
                })
                .await?;
            }
            // A key nobody holds locks the same way; the audit names no account.
            None => {
                txn.commit(Event { action: "login.lock", target_kind: None, target_id: None, district: None, detail })
                    .await?;
            }
        }
        Ok(true)
    }

    /// A successful sign-in forgets the failures of its key.
    pub async fn clear_login_failures(
        &self,
        key_hash: &str,
        account_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        login_attempt::Entity::delete_many()
            .filter(login_attempt::Column::KeyHash.eq(key_hash))
            .exec(self.db())
            .await?;
        account::Entity::update_many()
            .col_expr(account::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(account::Column::FailedLogins, Expr::value(0))
            .col_expr(account::Column::UpdatedAt, Expr::value(at))
            .filter(account::Column::Id.eq(account_id))
            .filter(account::Column::LockedUntil.is_not_null())
            .exec(self.db())
            .await?;
        Ok(())
    }
}

impl Store {
    /// Count a sign-in attempt from an address (its keyed hash) in the minute of `at`, one
    /// atomic upsert; how many that address has made in this minute and the one before, so
    /// every instance throttles it alike.
    pub async fn count_address_attempt(&self, address_hash: &str, at: DateTime<Utc>) -> Result<i32, StoreError> {
        let minute = at.timestamp().div_euclid(60);
        let row = address_attempt::ActiveModel {
            address_hash: Set(address_hash.to_string()),
            minute: Set(minute),
            attempts: Set(1),
        };
        address_attempt::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([address_attempt::Column::AddressHash, address_attempt::Column::Minute])
                    .value(
                        address_attempt::Column::Attempts,
                        Expr::col((address_attempt::Entity, address_attempt::Column::Attempts)).add(1),
                    )
                    .to_owned(),
            )
            .exec(self.db())
            .await?;
        let rows = address_attempt::Entity::find()
            .filter(address_attempt::Column::AddressHash.eq(address_hash))
            .filter(address_attempt::Column::Minute.gte(minute - 1))
            .all(self.db())
            .await?;
        Ok(rows.iter().map(|r| r.attempts).sum())
    }

    /// Drop the counts older than `before` (the sweep's housekeeping).
    pub async fn prune_address_attempts(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let gone = address_attempt::Entity::delete_many()
            .filter(address_attempt::Column::Minute.lt(before.timestamp().div_euclid(60)))
            .exec(self.db())
            .await?;
        Ok(gone.rows_affected)
    }
}
