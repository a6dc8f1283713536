//! Online backups of the embedded database. SQLite writes a consistent copy while the platform
//! keeps serving (`VACUUM INTO`: one read transaction, so every write committed before it began
//! is in the copy). PostgreSQL is backed up with its own tools (`pg_dump`), which the binary
//! calls; see the README.

use sea_orm::{ConnectionTrait, DbBackend};

use crate::{Store, StoreError};

impl Store {
    /// Write a consistent copy of a SQLite database to `path` (which must not exist).
    pub async fn backup_sqlite_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend() != DbBackend::Sqlite {
            return Err(StoreError::Db(sea_orm::DbErr::Custom("an online copy is for SQLite; use pg_dump".into())));
        }
        let target = path.to_string_lossy().replace('\'', "''");
        self.db().execute_unprepared(&format!("VACUUM INTO '{target}'")).await?;
        Ok(())
    }
}
