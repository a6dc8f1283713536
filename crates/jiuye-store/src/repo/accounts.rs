use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::roles::Role;

use super::stored;
use crate::audit::{AuditEntry, Event};
use crate::entities::account;
use crate::error::conflict_or;
use crate::write::Write;
use crate::{Page, PageRequest, Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: Uuid,
    pub role: Role,
    #[serde(skip)]
    pub login_key: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub district: Option<String>,
    pub person_id: Option<Uuid>,
    pub employer_id: Option<Uuid>,
    pub organisation: Option<String>,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Account {
    /// The username shown to staff; seekers' keys are hashes and show nothing.
    pub fn username(&self) -> Option<&str> {
        self.login_key.strip_prefix("u:").or_else(|| self.login_key.strip_prefix("cc:"))
    }
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub role: Role,
    pub login_key: String,
    pub display_name: String,
    pub password_hash: String,
    pub district: Option<String>,
    pub person_id: Option<Uuid>,
    pub employer_id: Option<Uuid>,
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub role: Option<Role>,
    pub district: Option<String>,
}

/// What the users page asks: a kind of account (any of these roles), a district, and a
/// display name or username containing some text.
#[derive(Debug, Clone, Default)]
pub struct AccountSearch {
    pub roles: Vec<Role>,
    pub district: Option<String>,
    pub text: Option<String>,
}

pub(crate) fn to_account(m: account::Model) -> Result<Account, StoreError> {
    Ok(Account {
        id: m.id,
        role: stored("account.role", Role::parse(&m.role))?,
        login_key: m.login_key,
        display_name: m.display_name,
        password_hash: m.password_hash,
        district: m.district,
        person_id: m.person_id,
        employer_id: m.employer_id,
        organisation: m.organisation,
        active: m.active,
        failed_logins: m.failed_logins,
        locked_until: m.locked_until,
        created_at: m.created_at,
    })
}

pub(crate) async fn insert_account(conn: &Write<'_>, new: &NewAccount) -> Result<Account, StoreError> {
    let at = conn.at;
    let id = new_id(at);
    let model = account::ActiveModel {
        id: Set(id),
        role: Set(new.role.as_str().to_string()),
        login_key: Set(new.login_key.clone()),
        display_name: Set(new.display_name.clone()),
        password_hash: Set(new.password_hash.clone()),
        district: Set(new.district.clone()),
        person_id: Set(new.person_id),
        employer_id: Set(new.employer_id),
        organisation: Set(new.organisation.clone()),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(conn)
    .await
    .map_err(|e| conflict_or(e, "login"))?;
    conn.event(Event {
        action: "account.create",
        target_kind: Some("account"),
        target_id: Some(id),
        district: new.district.as_deref(),
        detail: serde_json::json!({ "role": new.role.as_str() }),
    })
    .await?;
    to_account(model)
}

impl Store {
    pub async fn create_account(
        &self,
        new: &NewAccount,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Account, StoreError> {
        let txn = self.write(who, at).await?;
        let account = insert_account(&txn, new).await?;
        txn.finish().await?;
        Ok(account)
    }

    pub async fn account_by_id(&self, id: Uuid) -> Result<Account, StoreError> {
        let m = account::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        to_account(m)
    }

    pub async fn account_by_login_key(&self, key: &str) -> Result<Account, StoreError> {
        let m = account::Entity::find()
            .filter(account::Column::LoginKey.eq(key))
            .one(self.db())
            .await?
            .ok_or(StoreError::NotFound)?;
        to_account(m)
    }

    pub async fn set_account_active(
        &self,
        id: Uuid,
        active: bool,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Account, StoreError> {
        let txn = self.write(who, at).await?;
        let m = account::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let district = m.district.clone();
        let mut am = m.into_active_model();
        am.active = Set(active);
        am.updated_at = Set(at);
        let m = am.update(&txn).await?;
        txn.commit(Event {
            action: if active { "account.activate" } else { "account.deactivate" },
            target_kind: Some("account"),
            target_id: Some(id),
            district: district.as_deref(),
            detail: serde_json::json!({}),
        })
        .await?;
        to_account(m)
    }

    pub async fn set_password(
        &self,
        id: Uuid,
        hash: &str,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write(who, at).await?;
        let m = account::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut am = m.into_active_model();
        am.password_hash = Set(hash.to_string());
        am.updated_at = Set(at);
        am.update(&txn).await?;
        txn.commit(Event {
            action: "account.password",
            target_kind: Some("account"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({}),
        })
        .await?;
        Ok(())
    }

    pub async fn list_accounts(&self, filter: &AccountFilter, page: PageRequest) -> Result<Page<Account>, StoreError> {
        let mut q = account::Entity::find();
        if let Some(role) = filter.role {
            q = q.filter(account::Column::Role.eq(role.as_str()));
        }
        if let Some(d) = &filter.district {
            q = q.filter(account::Column::District.eq(d.as_str()));
        }
        if let Some(after) = page.after {
            q = q.filter(account::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(account::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        let rows = rows.into_iter().map(to_account).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(rows, page.limit, |a| a.id))
    }

    /// Accounts matching a search, newest first, a page at an offset, with the total.
    pub async fn search_accounts(
        &self,
        search: &AccountSearch,
        order: crate::ListOrder,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Account>, u64), StoreError> {
        use sea_orm::PaginatorTrait;
        let mut q = account::Entity::find();
        if !search.roles.is_empty() {
            q = q.filter(account::Column::Role.is_in(search.roles.iter().map(|r| r.as_str())));
        }
        if let Some(d) = &search.district {
            q = q.filter(account::Column::District.eq(d.as_str()));
        }
        if let Some(text) = search.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            q = q.filter(
                sea_orm::Condition::any()
                    .add(account::Column::DisplayName.like(super::like_contains(text)))
                    // Usernames and credit codes; never a seeker's keyed hash.
                    .add(account::Column::LoginKey.like(super::like_prefixed("u:", text)))
                    .add(account::Column::LoginKey.like(super::like_prefixed("cc:", text))),
            );
        }
        let total = q.clone().count(self.db()).await?;
        let q = match order {
            crate::ListOrder::Name => q.order_by_asc(account::Column::DisplayName).order_by_asc(account::Column::Id),
            crate::ListOrder::Oldest => q.order_by_asc(account::Column::Id),
            _ => q.order_by_desc(account::Column::Id),
        };
        let rows = q.offset(offset).limit(limit.clamp(1, crate::page::MAX_LIMIT)).all(self.db()).await?;
        Ok((rows.into_iter().map(to_account).collect::<Result<Vec<_>, _>>()?, total))
    }

    pub async fn count_accounts(&self) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(account::Entity::find().count(self.db()).await?)
    }
}
