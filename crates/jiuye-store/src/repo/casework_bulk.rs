//! Bulk loading of casework (demo data, benchmarks, imports of past records): registrations
//! with their services and contacts, the derived columns computed by the same rules as the
//! one-by-one writes. One transaction per call; a failure leaves nothing.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{EntityTrait, Set};
use uuid::Uuid;

use jiuye_domain::casework::{
    CaseworkRules, ContactMethod, ContactOutcome, One31Item, RegistrationBasis, RegistrationStatus, ServiceKind,
    TierFacts, next_contact_due,
};

use super::registrations::{categories_text, category_rows};
use crate::audit::{AuditEntry, Event};
use crate::entities::{contact, registration_category, service, unemployment_registration as reg};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

const CHUNK: usize = 400;

/// One registered person's history to load.
#[derive(Debug, Clone)]
pub struct BulkCase {
    pub person_id: Uuid,
    pub district: String,
    pub basis: RegistrationBasis,
    pub registered_on: NaiveDate,
    pub caseworker_id: Option<Uuid>,
    pub facts: TierFacts,
    pub services: Vec<(ServiceKind, NaiveDate)>,
    pub contacts: Vec<(NaiveDate, ContactMethod, ContactOutcome)>,
}

impl Store {
    /// Load registrations with their services and contacts. Returns (registrations, services,
    /// contacts) written.
    pub async fn bulk_load_casework(
        &self,
        cases: &[BulkCase],
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(usize, usize, usize), StoreError> {
        let txn = self.write(who, at).await?;
        let mut regs = Vec::with_capacity(cases.len());
        let mut services = Vec::new();
        let mut contacts = Vec::new();
        let mut categories = Vec::new();
        for c in cases {
            let id = new_id(at);
            let decision = rules.decide(&c.facts);
            let mut done = [0u32; 3];
            for (kind, on) in &c.services {
                if let Some(item) = kind.one31_item() {
                    let i = One31Item::ALL.iter().position(|x| *x == item).unwrap_or(0);
                    done[i] += 1;
                }
                services.push(service::ActiveModel {
                    id: Set(new_id(at)),
                    person_id: Set(c.person_id),
                    registration_id: Set(Some(id)),
                    district: Set(c.district.clone()),
                    kind: Set(kind.as_str().into()),
                    delivered_on: Set(*on),
                    actor_account: Set(c.caseworker_id),
                    provider_id: Set(None),
                    vacancy_id: Set(None),
                    course: Set(None),
                    note: Set(None),
                    evidence: Set(None),
                    reasons: Set(serde_json::json!([])),
                    corrects_id: Set(None),
                    void: Set(false),
                    batch_key: Set(None),
                    created_at: Set(at),
                });
            }
            let one31 = rules.one31(c.registered_on, done, today);
            let completed_on = if one31.next_due_on.is_none() { c.services.iter().map(|s| s.1).max() } else { None };
            let mut last_reached = None;
            let mut failed = 0i32;
            let mut ordered = c.contacts.clone();
            ordered.sort_by_key(|x| x.0);
            for (on, method, outcome) in &ordered {
                if outcome.reached() {
                    last_reached = Some(*on);
                    failed = 0;
                } else {
                    failed += 1;
                }
                contacts.push(contact::ActiveModel {
                    id: Set(new_id(at)),
                    person_id: Set(c.person_id),
                    registration_id: Set(Some(id)),
                    district: Set(c.district.clone()),
                    contacted_on: Set(*on),
                    method: Set(method.as_str().into()),
                    outcome: Set(outcome.as_str().into()),
                    note: Set(None),
                    actor_account: Set(c.caseworker_id),
                    provider_id: Set(None),
                    created_at: Set(at),
                });
            }
            categories.extend(category_rows(id, &c.district, &decision.categories));
            let as_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
            regs.push(reg::ActiveModel {
                id: Set(id),
                person_id: Set(c.person_id),
                active_person: Set(Some(c.person_id)),
                district: Set(c.district.clone()),
                basis: Set(c.basis.as_str().into()),
                status: Set(RegistrationStatus::Registered.as_str().into()),
                registered_on: Set(c.registered_on),
                ended_on: Set(None),
                end_reason: Set(None),
                caseworker_id: Set(c.caseworker_id),
                tier: Set(decision.tier.clone()),
                categories: Set(categories_text(&decision.categories)),
                tier_override: Set(None),
                tier_override_reason: Set(None),
                tier_in_force: Set(decision.tier.clone()),
                guidance_done: Set(as_i32(done[0])),
                referrals_done: Set(as_i32(done[1])),
                training_done: Set(as_i32(done[2])),
                next_131_due_on: Set(one31.next_due_on),
                one31_completed_on: Set(completed_on),
                last_reached_on: Set(last_reached),
                failed_in_row: Set(failed),
                unreachable: Set(u32::try_from(failed).unwrap_or(0) >= rules.contact.unreachable_after),
                next_contact_on: Set(next_contact_due(rules, &decision.tier, c.registered_on, last_reached)),
                created_at: Set(at),
                updated_at: Set(at),
            });
        }
        let (n_regs, n_services, n_contacts) = (regs.len(), services.len(), contacts.len());
        let mut regs = regs.into_iter().peekable();
        while regs.peek().is_some() {
            let chunk: Vec<_> = regs.by_ref().take(CHUNK).collect();
            reg::Entity::insert_many(chunk).exec(&txn).await.map_err(|e| conflict_or(e, "registration"))?;
        }
        let mut categories = categories.into_iter().peekable();
        while categories.peek().is_some() {
            let chunk: Vec<_> = categories.by_ref().take(CHUNK).collect();
            registration_category::Entity::insert_many(chunk).exec(&txn).await?;
        }
        let mut services = services.into_iter().peekable();
        while services.peek().is_some() {
            let chunk: Vec<_> = services.by_ref().take(CHUNK).collect();
            service::Entity::insert_many(chunk).exec(&txn).await?;
        }
        let mut contacts = contacts.into_iter().peekable();
        while contacts.peek().is_some() {
            let chunk: Vec<_> = contacts.by_ref().take(CHUNK).collect();
            contact::Entity::insert_many(chunk).exec(&txn).await?;
        }
        txn.commit(Event {
            action: "registration.bulk_create",
            target_kind: Some("registration"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "registrations": n_regs, "services": n_services, "contacts": n_contacts }),
        })
        .await?;
        Ok((n_regs, n_services, n_contacts))
    }
}

impl Store {
    /// After a bulk load: fresh planner statistics (and, on PostgreSQL, the visibility map that
    /// lets a count read only the index), as the autovacuum daemon would leave them in service.
    pub async fn settle_after_bulk_load(&self) -> Result<(), StoreError> {
        use sea_orm::ConnectionTrait;
        let pg = self.backend() == sea_orm::DbBackend::Postgres;
        // Every table: the bulk loads fill the dashboard's projection and its marks too.
        let sql = if pg { "VACUUM ANALYZE" } else { "ANALYZE" };
        self.db().execute_unprepared(sql).await?;
        Ok(())
    }
}
