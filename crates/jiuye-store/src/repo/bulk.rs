//! Bulk loading for demo data and imports: many rows per statement, one transaction per
//! batch, one audit line per batch. A failed batch leaves nothing of itself behind.

use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, Set};
use uuid::Uuid;

use jiuye_domain::records::{EmployerDraft, PersonDraft, VacancyDraft, VacancyStatus};

use crate::audit::{AuditEntry, Event};
use crate::entities::{employer, person, vacancy};
use crate::error::conflict_or;
use crate::{IdVault, Store, StoreError, new_id};

/// Rows per INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const CHUNK: usize = 500;

impl Store {
    pub async fn bulk_insert_persons(
        &self,
        drafts: &[PersonDraft],
        vault: &IdVault,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, StoreError> {
        let txn = self.write(who, at).await?;
        let mut ids = Vec::with_capacity(drafts.len());
        for chunk in drafts.chunks(CHUNK) {
            let models: Vec<person::ActiveModel> = chunk
                .iter()
                .map(|d| {
                    let id = new_id(at);
                    ids.push(id);
                    super::persons::new_person_model(id, d, vault, at)
                })
                .collect();
            person::Entity::insert_many(models).exec(&txn).await.map_err(|e| conflict_or(e, "national_id"))?;
        }
        txn.commit(Event {
            action: "person.bulk_create",
            target_kind: Some("person"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "count": drafts.len() }),
        })
        .await?;
        Ok(ids)
    }

    pub async fn bulk_insert_employers(
        &self,
        drafts: &[EmployerDraft],
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, StoreError> {
        let txn = self.write(who, at).await?;
        let mut ids = Vec::with_capacity(drafts.len());
        for chunk in drafts.chunks(CHUNK) {
            let models: Vec<employer::ActiveModel> = chunk
                .iter()
                .map(|d| {
                    let id = new_id(at);
                    ids.push(id);
                    let mut am = employer::ActiveModel {
                        id: Set(id),
                        credit_code: Set(d.credit_code.as_str().to_string()),
                        created_at: Set(at),
                        ..Default::default()
                    };
                    super::employers::apply(&mut am, d, at);
                    am
                })
                .collect();
            employer::Entity::insert_many(models).exec(&txn).await.map_err(|e| conflict_or(e, "credit_code"))?;
        }
        txn.commit(Event {
            action: "employer.bulk_create",
            target_kind: Some("employer"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "count": drafts.len() }),
        })
        .await?;
        Ok(ids)
    }

    /// Vacancies with the id of their employer.
    pub async fn bulk_insert_vacancies(
        &self,
        drafts: &[(Uuid, VacancyDraft)],
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, StoreError> {
        let txn = self.write(who, at).await?;
        let mut ids = Vec::with_capacity(drafts.len());
        for chunk in drafts.chunks(CHUNK) {
            let models: Vec<vacancy::ActiveModel> = chunk
                .iter()
                .map(|(employer_id, d)| {
                    let id = new_id(at);
                    ids.push(id);
                    let mut am = vacancy::ActiveModel {
                        id: Set(id),
                        employer_id: Set(*employer_id),
                        status: Set(VacancyStatus::Open.as_str().to_string()),
                        created_at: Set(at),
                        ..Default::default()
                    };
                    super::vacancies::apply(&mut am, d, at);
                    am
                })
                .collect();
            vacancy::Entity::insert_many(models).exec(&txn).await?;
        }
        // A bulk load is one change: whoever keeps derived state rebuilds it from the store.
        txn.reset("vacancy").await?;
        txn.commit(Event {
            action: "vacancy.bulk_create",
            target_kind: Some("vacancy"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "count": drafts.len() }),
        })
        .await?;
        Ok(ids)
    }
}
