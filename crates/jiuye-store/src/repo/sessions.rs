use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::accounts::{Account, to_account};
use crate::entities::{account, session};
use crate::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub account_id: Uuid,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: Uuid,
        csrf_token: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        ip: Option<String>,
    ) -> Result<(), StoreError> {
        session::ActiveModel {
            token_hash: Set(token_hash.to_string()),
            account_id: Set(account_id),
            csrf_token: Set(csrf_token.to_string()),
            created_at: Set(at),
            expires_at: Set(expires_at),
            ip: Set(ip),
        }
        .insert(self.db())
        .await?;
        Ok(())
    }

    /// The live session and its active account, if the token is known and not expired.
    pub async fn session_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Session, Account)>, StoreError> {
        let Some(s) = session::Entity::find_by_id(token_hash.to_string()).one(self.db()).await? else {
            return Ok(None);
        };
        if s.expires_at <= now {
            return Ok(None);
        }
        let Some(a) = account::Entity::find_by_id(s.account_id).one(self.db()).await? else {
            return Ok(None);
        };
        if !a.active {
            return Ok(None);
        }
        let session = Session {
            token_hash: s.token_hash,
            account_id: s.account_id,
            csrf_token: s.csrf_token,
            expires_at: s.expires_at,
        };
        Ok(Some((session, to_account(a)?)))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(token_hash.to_string()).exec(self.db()).await?;
        Ok(())
    }

    /// Sign an account out everywhere: every session of it ends, but `keep` (the one asking,
    /// after a password change). Returns how many ended.
    pub async fn delete_sessions_of(&self, account_id: Uuid, keep: Option<&str>) -> Result<u64, StoreError> {
        let mut q = session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id));
        if let Some(k) = keep {
            q = q.filter(session::Column::TokenHash.ne(k));
        }
        Ok(q.exec(self.db()).await?.rows_affected)
    }

    pub async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let r = session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(self.db()).await?;
        Ok(r.rows_affected)
    }
}
