//! Activation of a desk-registered person's online account with a one-time code a caseworker
//! hands out: the code is stored as a keyed hash, expires, and is used once; issuing and using
//! it are audited.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use jiuye_domain::CodeError;

use super::accounts::{Account, NewAccount, insert_account};
use crate::audit::{AuditEntry, Event};
use crate::entities::{account, activation_code, person};
use crate::{Store, StoreError, new_id};

fn invalid() -> StoreError {
    StoreError::Refused(CodeError::new("auth.activation_invalid").field("code"))
}

impl Store {
    /// Does this person have an online account?
    pub async fn person_has_account(&self, person_id: Uuid) -> Result<bool, StoreError> {
        Ok(account::Entity::find().filter(account::Column::PersonId.eq(person_id)).one(self.db()).await?.is_some())
    }

    /// Issue a code for a person without an online account; earlier unused codes stop working.
    pub async fn issue_activation_code(
        &self,
        person_id: Uuid,
        code_hash: &str,
        expires_at: DateTime<Utc>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write(who, at).await?;
        let p = person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if account::Entity::find().filter(account::Column::PersonId.eq(person_id)).one(&txn).await?.is_some() {
            return Err(StoreError::Refused(CodeError::new("account.exists")));
        }
        activation_code::Entity::update_many()
            .col_expr(activation_code::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(at)))
            .filter(activation_code::Column::PersonId.eq(person_id))
            .filter(activation_code::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        activation_code::ActiveModel {
            id: Set(new_id(at)),
            person_id: Set(person_id),
            code_hash: Set(code_hash.to_string()),
            expires_at: Set(expires_at),
            used_at: Set(None),
            created_by: Set(who.actor_account),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "person.activation_code",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(&p.district),
            detail: serde_json::json!({ "expires_at": expires_at }),
        })
        .await
    }

    /// Open the online account of the person holding the document with `document_hash`, with
    /// a code issued to that person, unused and unexpired. Every failure is the same refusal.
    pub async fn activate_account(
        &self,
        document_hash: &str,
        code_hash: &str,
        mut new: NewAccount,
        at: DateTime<Utc>,
    ) -> Result<Account, StoreError> {
        let who = AuditEntry::system();
        let txn = self.write(&who, at).await?;
        let code = activation_code::Entity::find()
            .filter(activation_code::Column::CodeHash.eq(code_hash))
            .one(&txn)
            .await?
            .filter(|c| c.used_at.is_none() && c.expires_at > at)
            .ok_or_else(invalid)?;
        let p = super::persons::row_by_hash(&txn, document_hash)
            .await?
            .filter(|p| p.id == code.person_id)
            .ok_or_else(invalid)?;
        if account::Entity::find().filter(account::Column::PersonId.eq(p.id)).one(&txn).await?.is_some() {
            return Err(invalid());
        }
        let mut used = code.into_active_model();
        used.used_at = Set(Some(at));
        used.update(&txn).await?;
        new.person_id = Some(p.id);
        new.display_name = p.name.clone();
        new.district = Some(p.district.clone());
        let account = insert_account(&txn, &new).await?;
        txn.commit(Event {
            action: "person.activate",
            target_kind: Some("person"),
            target_id: Some(p.id),
            district: Some(&p.district),
            detail: serde_json::json!({ "account_id": account.id }),
        })
        .await?;
        Ok(account)
    }
}
