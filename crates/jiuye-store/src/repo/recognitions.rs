//! Key-group recognitions (重点群体认定): made by staff with evidence, read by claims as record
//! facts. A person's own profile ticks are declarations, never recognitions.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::codes::KeyGroup;

use super::stored;
use crate::audit::{self, AuditEntry, Event};
use crate::entities::{person, recognition};
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Recognition {
    pub id: Uuid,
    pub person_id: Uuid,
    pub key_group: KeyGroup,
    pub district: String,
    pub evidence: String,
    pub recognised_on: NaiveDate,
    pub actor_account: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn to_recognition(m: recognition::Model) -> Result<Recognition, StoreError> {
    Ok(Recognition {
        id: m.id,
        person_id: m.person_id,
        key_group: stored("recognition.key_group", KeyGroup::parse(&m.key_group))?,
        district: m.district,
        evidence: m.evidence,
        recognised_on: m.recognised_on,
        actor_account: m.actor_account,
        created_at: m.created_at,
    })
}

impl Store {
    /// Record that staff of `district` recognised the person as belonging to a key group, on
    /// the evidence given. One transaction with its audit entry.
    #[allow(clippy::too_many_arguments)]
    pub async fn recognise(
        &self,
        person_id: Uuid,
        key_group: KeyGroup,
        district: &str,
        evidence: &str,
        recognised_on: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Recognition, StoreError> {
        let txn = self.begin_write().await?;
        person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let id = new_id(at);
        let m = recognition::ActiveModel {
            id: Set(id),
            person_id: Set(person_id),
            key_group: Set(key_group.id().to_string()),
            district: Set(district.to_string()),
            evidence: Set(evidence.to_string()),
            recognised_on: Set(recognised_on),
            actor_account: Set(who.actor_account),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        audit::write(
            &txn,
            who,
            at,
            Event {
                action: "person.recognise",
                target_kind: Some("person"),
                target_id: Some(person_id),
                district: Some(district),
                detail: serde_json::json!({ "key_group": key_group.id(), "recognition": id }),
            },
        )
        .await?;
        txn.commit().await?;
        to_recognition(m)
    }

    /// A person's recognitions, oldest first.
    pub async fn recognitions_of_person(&self, person_id: Uuid) -> Result<Vec<Recognition>, StoreError> {
        recognition::Entity::find()
            .filter(recognition::Column::PersonId.eq(person_id))
            .order_by_asc(recognition::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_recognition)
            .collect()
    }
}
