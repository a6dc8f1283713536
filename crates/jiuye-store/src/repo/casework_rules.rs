//! Published casework rules: one row per version after the embedded one (version 1), the
//! newest in force on every instance. Publishing logs a change, so instances tailing the log
//! take the new version up without a restart.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::casework_rule_version;
use crate::error::conflict_or;
use crate::{Store, StoreError};

/// The version number of the embedded rules.
pub const EMBEDDED_VERSION: i32 = 1;

/// The entity name publications carry in the change log.
pub const CHANGE_ENTITY: &str = "casework_rules";

#[derive(Debug, Clone, Serialize)]
pub struct PublishedRules {
    pub version: i32,
    /// The rules as published (TOML).
    pub rules: String,
    pub note: String,
    pub published_by: Option<Uuid>,
    pub published_at: DateTime<Utc>,
}

fn to_published(m: casework_rule_version::Model) -> PublishedRules {
    PublishedRules {
        version: m.version,
        rules: m.rules,
        note: m.note,
        published_by: m.published_by,
        published_at: m.published_at,
    }
}

impl Store {
    /// Publish checked rules as the next version: its number. Two publishing at once: one
    /// gets the number, the other a conflict (nothing written).
    pub async fn publish_casework_rules(
        &self,
        rules: &str,
        note: &str,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<i32, StoreError> {
        let txn = self.write(who, at).await?;
        let newest = casework_rule_version::Entity::find()
            .order_by_desc(casework_rule_version::Column::Version)
            .one(&txn)
            .await?
            .map_or(EMBEDDED_VERSION, |m| m.version);
        let version = newest.checked_add(1).ok_or_else(|| StoreError::Corrupt("casework rule versions".into()))?;
        casework_rule_version::ActiveModel {
            version: Set(version),
            rules: Set(rules.to_string()),
            note: Set(note.to_string()),
            published_by: Set(who.actor_account),
            published_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "casework rule version"))?;
        txn.commit(Event {
            action: "casework.rules_publish",
            target_kind: Some(CHANGE_ENTITY),
            target_id: Some(Uuid::from_u128(u128::from(version.unsigned_abs()))),
            district: None,
            detail: serde_json::json!({ "version": version, "note": note }),
        })
        .await?;
        Ok(version)
    }

    /// The rules in force: the newest published version (`None`: the embedded rules).
    pub async fn casework_rules_in_force(&self) -> Result<Option<PublishedRules>, StoreError> {
        Ok(casework_rule_version::Entity::find()
            .order_by_desc(casework_rule_version::Column::Version)
            .one(self.db())
            .await?
            .map(to_published))
    }

    /// Every published version, newest first.
    pub async fn casework_rule_versions(&self) -> Result<Vec<PublishedRules>, StoreError> {
        Ok(casework_rule_version::Entity::find()
            .order_by_desc(casework_rule_version::Column::Version)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_published)
            .collect())
    }
}
