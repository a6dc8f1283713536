//! Saved vacancies (收藏): a person's list of jobs kept for later.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::{saved_vacancy, vacancy};
use crate::{Store, StoreError, new_id};

/// How many vacancies one person may keep.
pub const SAVED_MAX: usize = 200;

impl Store {
    /// Keep a vacancy on the person's list; `false` when it was already there.
    pub async fn save_vacancy(
        &self,
        person_id: Uuid,
        vacancy_id: Uuid,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write(who, at).await?;
        let v = vacancy::Entity::find_by_id(vacancy_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mine =
            saved_vacancy::Entity::find().filter(saved_vacancy::Column::PersonId.eq(person_id)).all(&txn).await?;
        if mine.iter().any(|s| s.vacancy_id == vacancy_id) {
            return Ok(false);
        }
        if mine.len() >= SAVED_MAX {
            return Err(StoreError::Refused(
                jiuye_domain::CodeError::new("vacancy.saved_full").arg("max", SAVED_MAX.to_string()),
            ));
        }
        saved_vacancy::ActiveModel {
            id: Set(new_id(at)),
            person_id: Set(person_id),
            vacancy_id: Set(vacancy_id),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "vacancy.save",
            target_kind: Some("vacancy"),
            target_id: Some(vacancy_id),
            district: Some(&v.district),
            detail: serde_json::json!({}),
        })
        .await?;
        Ok(true)
    }

    /// Take a vacancy off the person's list; `false` when it was not there.
    pub async fn unsave_vacancy(
        &self,
        person_id: Uuid,
        vacancy_id: Uuid,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write(who, at).await?;
        let gone = saved_vacancy::Entity::delete_many()
            .filter(saved_vacancy::Column::PersonId.eq(person_id))
            .filter(saved_vacancy::Column::VacancyId.eq(vacancy_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if gone == 0 {
            return Ok(false);
        }
        txn.commit(Event {
            action: "vacancy.unsave",
            target_kind: Some("vacancy"),
            target_id: Some(vacancy_id),
            district: None,
            detail: serde_json::json!({}),
        })
        .await?;
        Ok(true)
    }

    /// The vacancies a person saved, newest first.
    pub async fn saved_vacancies(&self, person_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        Ok(saved_vacancy::Entity::find()
            .filter(saved_vacancy::Column::PersonId.eq(person_id))
            .order_by_desc(saved_vacancy::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| s.vacancy_id)
            .collect())
    }
}
