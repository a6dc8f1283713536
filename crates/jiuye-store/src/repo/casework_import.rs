//! Bulk registration from a spreadsheet: every valid row (the person, found by ID number or
//! created, and their registration) in one transaction, so an import either lands whole or
//! leaves nothing. Rows are checked by the caller first; a row that turns out invalid here
//! (e.g. registered meanwhile) aborts the whole import with its reason.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveModelTrait;
use uuid::Uuid;

use jiuye_domain::casework::{CaseworkRules, RegistrationBasis};
use jiuye_domain::records::PersonDraft;

use super::persons::new_person_model;
use super::registrations::insert_registration;
use crate::audit::AuditEntry;
use crate::error::conflict_or;
use crate::{IdVault, Store, StoreError, new_id};

#[derive(Debug, Clone)]
pub struct ImportRow {
    pub draft: PersonDraft,
    pub basis: RegistrationBasis,
    pub registered_on: NaiveDate,
}

impl Store {
    /// Returns (persons created, registrations made).
    #[allow(clippy::too_many_arguments)]
    pub async fn import_registrations(
        &self,
        rows: &[ImportRow],
        vault: &IdVault,
        caseworker: Option<Uuid>,
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(usize, usize), StoreError> {
        let txn = self.write(who, at).await?;
        let mut created = 0;
        for r in rows {
            let hash = vault.lookup_hash(&r.draft.identity);
            let p = match super::persons::row_by_hash(&txn, &hash).await? {
                Some(p) => p,
                None => {
                    created += 1;
                    let m = new_person_model(new_id(at), &r.draft, vault, at)
                        .insert(&txn)
                        .await
                        .map_err(|e| conflict_or(e, "national_id"))?;
                    // An imported person is a new record like any other: audited with its row.
                    txn.event(crate::audit::Event {
                        action: "person.import",
                        target_kind: Some("person"),
                        target_id: Some(m.id),
                        district: Some(&m.district),
                        detail: serde_json::json!({ "national_id": m.national_id_masked }),
                    })
                    .await?;
                    m
                }
            };
            insert_registration(&txn, &p, r.basis, r.registered_on, caseworker, rules, today, who, at).await?;
        }
        txn.finish().await?;
        Ok((created, rows.len()))
    }

    /// The person holding the document with this hash — their own number or a linked one.
    pub async fn person_by_hash(&self, hash: &str) -> Result<Option<jiuye_domain::records::Person>, StoreError> {
        super::persons::row_by_hash(self.db(), hash).await?.map(super::persons::to_person).transpose()
    }
}
