//! Contracted third parties (第三方机构): providers, contracts with the persons they cover and
//! their prices, and the monthly statement computed from the ledger.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::{contract, contract_person, employment, person, provider, service};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Provider {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub price_served_fen: i64,
    pub price_employed_fen: i64,
    pub persons: Vec<Uuid>,
}

#[derive(Debug, Clone)]
pub struct NewContract {
    pub provider_id: Uuid,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub price_served_fen: i64,
    pub price_employed_fen: i64,
    pub persons: Vec<Uuid>,
}

/// One contract's line of a monthly statement.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatementLine {
    pub contract_id: Uuid,
    pub contract_name: String,
    /// Covered persons who received at least one (uncancelled) service from the provider this month.
    pub persons_served: u64,
    /// Covered persons served by the provider whose employment started this month.
    pub persons_employed: u64,
    pub served_fen: i64,
    pub employed_fen: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Statement {
    pub provider_id: Uuid,
    pub month: String,
    pub lines: Vec<StatementLine>,
    pub total_fen: i64,
}

fn month_bounds(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next - Duration::days(1)))
}

impl Store {
    pub async fn create_provider(
        &self,
        name: &str,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Provider, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        provider::ActiveModel { id: Set(id), name: Set(name.to_string()), created_at: Set(at) }
            .insert(&txn)
            .await
            .map_err(|e| conflict_or(e, "provider"))?;
        txn.commit(Event {
            action: "provider.create",
            target_kind: Some("provider"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({ "name": name }),
        })
        .await?;
        Ok(Provider { id, name: name.to_string() })
    }

    pub async fn providers(&self) -> Result<Vec<Provider>, StoreError> {
        Ok(provider::Entity::find()
            .order_by_asc(provider::Column::Name)
            .all(self.db())
            .await?
            .into_iter()
            .map(|p| Provider { id: p.id, name: p.name })
            .collect())
    }

    pub async fn create_contract(
        &self,
        new: &NewContract,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Contract, StoreError> {
        let txn = self.write(who, at).await?;
        provider::Entity::find_by_id(new.provider_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let id = new_id(at);
        contract::ActiveModel {
            id: Set(id),
            provider_id: Set(new.provider_id),
            name: Set(new.name.clone()),
            starts_on: Set(new.starts_on),
            ends_on: Set(new.ends_on),
            price_served_fen: Set(new.price_served_fen),
            price_employed_fen: Set(new.price_employed_fen),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        let mut seen = HashSet::new();
        for p in &new.persons {
            if !seen.insert(*p) {
                continue;
            }
            person::Entity::find_by_id(*p).one(&txn).await?.ok_or(StoreError::NotFound)?;
            contract_person::ActiveModel {
                id: Set(new_id(at)),
                contract_id: Set(id),
                person_id: Set(*p),
                contract_person: Set(format!("{id}:{p}")),
            }
            .insert(&txn)
            .await?;
        }
        txn.commit(Event {
            action: "contract.create",
            target_kind: Some("contract"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({ "provider_id": new.provider_id, "persons": seen.len() }),
        })
        .await?;
        self.contract_by_id(id).await
    }

    pub async fn contract_by_id(&self, id: Uuid) -> Result<Contract, StoreError> {
        let c = contract::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let persons = contract_person::Entity::find()
            .filter(contract_person::Column::ContractId.eq(id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|cp| cp.person_id)
            .collect();
        Ok(Contract {
            id: c.id,
            provider_id: c.provider_id,
            name: c.name,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            price_served_fen: c.price_served_fen,
            price_employed_fen: c.price_employed_fen,
            persons,
        })
    }

    pub async fn contracts_of_provider(&self, provider_id: Uuid) -> Result<Vec<Contract>, StoreError> {
        let ids: Vec<Uuid> = contract::Entity::find()
            .filter(contract::Column::ProviderId.eq(provider_id))
            .order_by_asc(contract::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut out = Vec::new();
        for id in ids {
            out.push(self.contract_by_id(id).await?);
        }
        Ok(out)
    }

    /// Does one of the provider's contracts in force on `on` cover this person?
    pub async fn provider_covers(&self, provider_id: Uuid, person_id: Uuid, on: NaiveDate) -> Result<bool, StoreError> {
        let contracts = contract::Entity::find()
            .filter(contract::Column::ProviderId.eq(provider_id))
            .filter(contract::Column::StartsOn.lte(on))
            .filter(contract::Column::EndsOn.gte(on))
            .all(self.db())
            .await?;
        for c in contracts {
            if contract_person::Entity::find()
                .filter(contract_person::Column::ContractPerson.eq(format!("{}:{person_id}", c.id)))
                .one(self.db())
                .await?
                .is_some()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// What the provider earned in a month, from the ledger: per contract, covered persons
    /// served × price, and covered persons served who started work that month × price.
    pub async fn provider_statement(&self, provider_id: Uuid, year: i32, month: u32) -> Result<Statement, StoreError> {
        let (first, last) = month_bounds(year, month).ok_or(StoreError::NotFound)?;
        let services = service::Entity::find()
            .filter(service::Column::ProviderId.eq(provider_id))
            .filter(service::Column::DeliveredOn.lte(last))
            .all(self.db())
            .await?;
        let superseded: HashSet<Uuid> = services.iter().filter_map(|s| s.corrects_id).collect();
        let effective: Vec<&service::Model> =
            services.iter().filter(|s| !s.void && !superseded.contains(&s.id)).collect();
        let mut lines = Vec::new();
        for c in self.contracts_of_provider(provider_id).await? {
            if c.ends_on < first || c.starts_on > last {
                continue;
            }
            let covered: HashSet<Uuid> = c.persons.iter().copied().collect();
            let served_this_month: HashSet<Uuid> = effective
                .iter()
                .filter(|s| s.delivered_on >= first && covered.contains(&s.person_id))
                .map(|s| s.person_id)
                .collect();
            let mut employed = 0u64;
            for p in &covered {
                let first_service = effective.iter().filter(|s| s.person_id == *p).map(|s| s.delivered_on).min();
                let Some(first_service) = first_service else { continue };
                let started = employment::Entity::find()
                    .filter(employment::Column::PersonId.eq(*p))
                    .filter(employment::Column::StartedOn.gte(first.max(first_service)))
                    .filter(employment::Column::StartedOn.lte(last))
                    .one(self.db())
                    .await?;
                if started.is_some() {
                    employed += 1;
                }
            }
            let served = served_this_month.len() as u64;
            let served_fen = c.price_served_fen.saturating_mul(i64::try_from(served).unwrap_or(i64::MAX));
            let employed_fen = c.price_employed_fen.saturating_mul(i64::try_from(employed).unwrap_or(i64::MAX));
            lines.push(StatementLine {
                contract_id: c.id,
                contract_name: c.name.clone(),
                persons_served: served,
                persons_employed: employed,
                served_fen,
                employed_fen,
            });
        }
        let total_fen = lines.iter().map(|l| l.served_fen.saturating_add(l.employed_fen)).sum();
        Ok(Statement { provider_id, month: format!("{year:04}-{month:02}", year = first.year()), lines, total_fen })
    }
}
