//! Values every instance on one database must agree on.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use crate::entities::setting;
use crate::{Store, StoreError};

const KEY_FINGERPRINT: &str = "secret_key_fingerprint";

impl Store {
    /// Keep the secret key's fingerprint at the first start; later, say whether this
    /// instance's key is the one the database was written with. `Ok(None)`: it is;
    /// `Ok(Some(kept))`: another key wrote this database, and ID numbers it encrypted would
    /// be unreadable here.
    pub async fn agree_on_key(&self, fingerprint: &str, at: DateTime<Utc>) -> Result<Option<String>, StoreError> {
        if let Some(kept) = setting::Entity::find_by_id(KEY_FINGERPRINT.to_string()).one(self.db()).await? {
            return Ok((kept.value != fingerprint).then_some(kept.value));
        }
        let row = setting::ActiveModel {
            key: Set(KEY_FINGERPRINT.to_string()),
            value: Set(fingerprint.to_string()),
            updated_at: Set(at),
        };
        // Two first starts at once: one insert wins, the other fails on the key and reads it.
        if row.insert(self.db()).await.is_err() {
            let kept = setting::Entity::find_by_id(KEY_FINGERPRINT.to_string()).one(self.db()).await?;
            return Ok(kept.filter(|k| k.value != fingerprint).map(|k| k.value));
        }
        Ok(None)
    }
}
