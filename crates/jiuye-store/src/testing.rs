//! Fresh databases for tests, on every backend the machine offers.
//!
//! SQLite (in memory) always; PostgreSQL when `JIUYE_TEST_DATABASE_URL` is set, in a new
//! database created for the test. A set but unreachable URL is an error, never a skip: a
//! test run that silently drops PostgreSQL would prove nothing about it.

use sea_orm::{ConnectionTrait, Database};

use crate::{Store, StoreError};

pub const TEST_DATABASE_URL: &str = "JIUYE_TEST_DATABASE_URL";

#[derive(Debug, thiserror::Error)]
pub enum TestDbError {
    #[error("{TEST_DATABASE_URL} is set but the server cannot be used: {0}")]
    Unreachable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The backends to run a test on: `("sqlite", store)` and, when configured, `("postgres", store)`.
/// Each store is empty and migrated.
pub async fn fresh_stores() -> Result<Vec<(&'static str, Store)>, TestDbError> {
    let mut out = vec![("sqlite", fresh_sqlite().await?)];
    if let Some(pg) = fresh_postgres().await? {
        out.push(("postgres", pg));
    }
    Ok(out)
}

pub async fn fresh_sqlite() -> Result<Store, TestDbError> {
    let store = Store::connect("sqlite::memory:").await?;
    store.migrate().await?;
    Ok(store)
}

/// A new, migrated PostgreSQL database, or `None` when no server is configured.
pub async fn fresh_postgres() -> Result<Option<Store>, TestDbError> {
    let Ok(url) = std::env::var(TEST_DATABASE_URL) else {
        return Ok(None);
    };
    if url.trim().is_empty() {
        return Ok(None);
    }
    fresh_postgres_at(&url).await.map(Some)
}

/// A new, migrated database on the PostgreSQL server at `url` (benchmarks, tests).
pub async fn fresh_postgres_at(url: &str) -> Result<Store, TestDbError> {
    let store = Store::connect(&empty_postgres_at(url).await?).await?;
    store.migrate().await?;
    Ok(store)
}

/// A new database on the PostgreSQL server at `url`, not migrated: its URL.
pub async fn empty_postgres_at(url: &str) -> Result<String, TestDbError> {
    let admin = Database::connect(url).await.map_err(|e| TestDbError::Unreachable(e.to_string()))?;
    let name = format!("jiuye_t_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(|e| TestDbError::Unreachable(e.to_string()))?;
    let _ = admin.close().await;
    Ok(with_database(url, &name))
}

/// Replace the database name in a `postgres://…/name?query` URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end);
    let host = match path_start {
        Some(i) => &base[..i],
        None => base,
    };
    match query {
        Some(q) => format!("{host}/{name}?{q}"),
        None => format!("{host}/{name}"),
    }
}

/// Wait until every change committed so far is readable from the log. On PostgreSQL readers
/// stop below the oldest transaction still running in the whole cluster, and tests on other
/// databases run beside this one, so a change committed a moment ago may not be readable yet;
/// SQLite reads it at once. Panics after 30 s: something holds a transaction open.
pub async fn changes_settled(store: &Store) {
    if store.backend() != sea_orm::DbBackend::Postgres {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match store.changes_pending().await {
            Ok(false) => return,
            Ok(true) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            other => panic!("changes did not settle: {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        let cases = [
            ("postgres://postgres@127.0.0.1:5432/test", "postgres://postgres@127.0.0.1:5432/x"),
            ("postgres://u:p@h/test?sslmode=disable", "postgres://u:p@h/x?sslmode=disable"),
            ("postgres://h:5432", "postgres://h:5432/x"),
        ];
        for (input, want) in cases {
            assert_eq!(with_database(input, "x"), want, "{input}");
        }
    }
}
