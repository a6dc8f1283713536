//! Waking change-log readers early. On PostgreSQL every write that recorded a change sends a
//! `NOTIFY` on one channel inside its transaction (delivered only if it commits), and a reader
//! listens on it. A notification carries nothing: it only says "read the log now". What is sent
//! while a listener is away is lost, so readers keep polling as well; the log is the record.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DbBackend;
use sea_orm::sqlx::postgres::PgListener;
use tokio::sync::Notify;

use crate::Store;

/// The channel writes notify and readers listen on.
pub(crate) const CHANNEL: &str = "jiuye_changes";

/// Sent inside a write that recorded a change; PostgreSQL folds repeats within a transaction.
pub(crate) const NOTIFY_SQL: &str = "SELECT pg_notify('jiuye_changes', '')";

impl Store {
    /// A wake-up that fires after another writer commits a change (PostgreSQL), or `None` where
    /// the backend has no such signal (SQLite: poll). The listener runs as a background task for
    /// as long as the runtime does, reconnecting after a lost connection — and firing then, since
    /// what was sent while it was away is lost.
    pub fn listen_for_changes(&self) -> Option<Arc<Notify>> {
        if self.backend() != DbBackend::Postgres {
            return None;
        }
        let pool = self.db().get_postgres_connection_pool().clone();
        let wake = Arc::new(Notify::new());
        let fire = wake.clone();
        tokio::spawn(async move {
            loop {
                match PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(CHANNEL).await {
                        Ok(()) => {
                            fire.notify_one();
                            loop {
                                match listener.try_recv().await {
                                    Ok(Some(_)) => fire.notify_one(),
                                    // The connection was lost (the next call reconnects): read the log.
                                    Ok(None) => fire.notify_one(),
                                    Err(e) => {
                                        tracing::warn!(%e, "change listener stopped; reconnecting");
                                        break;
                                    }
                                }
                            }
                        }
                        Err(e) => tracing::warn!(%e, "LISTEN failed"),
                    },
                    Err(e) => tracing::warn!(%e, "change listener could not connect"),
                }
                if pool.is_closed() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        Some(wake)
    }
}
