//! The in-app inbox: messages from proactive screening and other notices.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::entities::inbox;
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    pub id: Uuid,
    pub topic: String,
    pub policy_id: Option<String>,
    pub outcome: String,
    pub amount_fen: i64,
    pub detail: serde_json::Value,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewInboxItem {
    pub recipient_id: Uuid,
    pub recipient_kind: String,
    pub topic: String,
    pub policy_id: Option<String>,
    pub outcome: String,
    pub amount_fen: i64,
    pub detail: serde_json::Value,
    pub dedupe_key: String,
}

/// The row of a message delivered at `at`.
pub(crate) fn model_of(item: &NewInboxItem, at: DateTime<Utc>) -> inbox::ActiveModel {
    inbox::ActiveModel {
        id: Set(new_id(at)),
        recipient_id: Set(item.recipient_id),
        recipient_kind: Set(item.recipient_kind.clone()),
        topic: Set(item.topic.clone()),
        policy_id: Set(item.policy_id.clone()),
        outcome: Set(item.outcome.clone()),
        amount_fen: Set(item.amount_fen),
        detail: Set(item.detail.clone()),
        dedupe_key: Set(item.dedupe_key.clone()),
        read: Set(false),
        created_at: Set(at),
    }
}

impl Store {
    /// Deliver a message; `false` when one with the same key was already delivered.
    pub async fn deliver(&self, item: &NewInboxItem, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let r = model_of(item, at).insert(self.db()).await;
        match r {
            Ok(_) => Ok(true),
            Err(e) => match conflict_or(e, "inbox") {
                StoreError::Conflict { .. } => Ok(false),
                other => Err(other),
            },
        }
    }

    pub async fn inbox_of(&self, recipient: Uuid, limit: u64) -> Result<Vec<InboxItem>, StoreError> {
        Ok(inbox::Entity::find()
            .filter(inbox::Column::RecipientId.eq(recipient))
            .order_by_desc(inbox::Column::Id)
            .limit(limit)
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| InboxItem {
                id: m.id,
                topic: m.topic,
                policy_id: m.policy_id,
                outcome: m.outcome,
                amount_fen: m.amount_fen,
                detail: m.detail,
                read: m.read,
                created_at: m.created_at,
            })
            .collect())
    }
}
