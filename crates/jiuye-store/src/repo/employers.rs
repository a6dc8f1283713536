use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use jiuye_domain::codes::{CreditCode, DistrictCode, IndustryCode, Mobile};
use jiuye_domain::records::{Employer, EmployerDraft, EmployerSize};

use super::accounts::{Account, NewAccount, insert_account};
use super::{like_contains, stored};
use crate::audit::{AuditEntry, Event};
use crate::entities::employer;
use crate::error::conflict_or;
use crate::{Page, PageRequest, Store, StoreError, new_id};

#[derive(Debug, Clone, Default)]
pub struct EmployerFilter {
    pub district: Option<String>,
    /// Name contains, or exact credit code.
    pub q: Option<String>,
    pub key_enterprise: Option<bool>,
}

fn to_employer(m: employer::Model) -> Result<Employer, StoreError> {
    Ok(Employer {
        id: m.id,
        credit_code: stored("employer.credit_code", CreditCode::parse(&m.credit_code))?,
        name: m.name,
        industry: stored("employer.industry", IndustryCode::parse(&m.industry))?,
        district: stored("employer.district", DistrictCode::parse(&m.district))?,
        address: m.address,
        size: stored("employer.size", EmployerSize::parse(&m.size))?,
        key_enterprise: m.key_enterprise,
        liaison_account: m.liaison_account,
        contact_name: m.contact_name,
        contact_mobile: m
            .contact_mobile
            .as_deref()
            .map(Mobile::parse)
            .transpose()
            .map_err(|e| crate::error::corrupt("employer.contact_mobile", e))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn apply(am: &mut employer::ActiveModel, d: &EmployerDraft, at: DateTime<Utc>) {
    am.name = Set(d.name.clone());
    am.industry = Set(d.industry.as_str().to_string());
    am.district = Set(d.district.as_str().to_string());
    am.address = Set(d.address.clone());
    am.size = Set(d.size.as_str().to_string());
    am.key_enterprise = Set(d.key_enterprise);
    am.liaison_account = Set(d.liaison_account);
    am.contact_name = Set(d.contact_name.clone());
    am.contact_mobile = Set(d.contact_mobile.as_ref().map(|m| m.as_str().to_string()));
    am.updated_at = Set(at);
}

impl Store {
    /// Create an employer, and optionally its first account, in one transaction.
    pub async fn create_employer(
        &self,
        draft: &EmployerDraft,
        account: Option<NewAccount>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(Employer, Option<Account>), StoreError> {
        let id = new_id(at);
        let mut am = employer::ActiveModel {
            id: Set(id),
            credit_code: Set(draft.credit_code.as_str().to_string()),
            created_at: Set(at),
            ..Default::default()
        };
        apply(&mut am, draft, at);
        let txn = self.write(who, at).await?;
        let m = am.insert(&txn).await.map_err(|e| conflict_or(e, "credit_code"))?;
        let created_account = match account {
            Some(mut new) => {
                new.employer_id = Some(id);
                Some(insert_account(&txn, &new).await?)
            }
            None => None,
        };
        txn.commit(Event {
            action: "employer.create",
            target_kind: Some("employer"),
            target_id: Some(id),
            district: Some(draft.district.as_str()),
            detail: serde_json::json!({ "credit_code": draft.credit_code.as_str() }),
        })
        .await?;
        Ok((to_employer(m)?, created_account))
    }

    pub async fn employer_by_id(&self, id: Uuid) -> Result<Employer, StoreError> {
        let m = employer::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        to_employer(m)
    }

    pub async fn update_employer(
        &self,
        id: Uuid,
        draft: &EmployerDraft,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Employer, StoreError> {
        let txn = self.write(who, at).await?;
        let m = employer::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if m.credit_code != draft.credit_code.as_str() {
            return Err(StoreError::Conflict { what: "credit_code_immutable" });
        }
        let mut am = m.into_active_model();
        apply(&mut am, draft, at);
        let m = am.update(&txn).await?;
        txn.commit(Event {
            action: "employer.update",
            target_kind: Some("employer"),
            target_id: Some(id),
            district: Some(draft.district.as_str()),
            detail: serde_json::json!({}),
        })
        .await?;
        to_employer(m)
    }

    pub async fn list_employers(
        &self,
        filter: &EmployerFilter,
        page: PageRequest,
    ) -> Result<Page<Employer>, StoreError> {
        let mut q = employer::Entity::find();
        if let Some(d) = &filter.district {
            q = q.filter(employer::Column::District.eq(d.as_str()));
        }
        if let Some(k) = filter.key_enterprise {
            q = q.filter(employer::Column::KeyEnterprise.eq(k));
        }
        if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            q = q.filter(
                Condition::any()
                    .add(employer::Column::Name.like(like_contains(text)))
                    .add(employer::Column::CreditCode.eq(text.to_uppercase())),
            );
        }
        if let Some(after) = page.after {
            q = q.filter(employer::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(employer::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        let rows = rows.into_iter().map(to_employer).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(rows, page.limit, |e| e.id))
    }

    pub async fn count_employers(&self) -> Result<u64, StoreError> {
        Ok(employer::Entity::find().count(self.db()).await?)
    }
}
