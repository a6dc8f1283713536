//! Live gig boards (大屏): one poller per instance reads the change log four times a second
//! and tells every connected board that gigs changed; each board then fetches its list. The
//! change log is the record, so a gig posted on any instance reaches every instance's boards.
//! The poller runs only while boards are connected.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::broadcast;

use jiuye_store::Store;

/// How often the poller reads the change log.
pub const POLL_MS: u64 = 250;

/// The broadcast every board listens to: the number of the change seen.
pub struct GigHub {
    tx: broadcast::Sender<u64>,
    running: Arc<AtomicBool>,
}

impl Default for GigHub {
    fn default() -> Self {
        GigHub { tx: broadcast::channel(64).0, running: Arc::new(AtomicBool::new(false)) }
    }
}

impl GigHub {
    /// Listen for gig changes, starting the poller when it is not running.
    pub fn subscribe(&self, store: &Store) -> broadcast::Receiver<u64> {
        let rx = self.tx.subscribe();
        if !self.running.swap(true, Ordering::SeqCst) {
            let (store, tx, running) = (store.clone(), self.tx.clone(), self.running.clone());
            tokio::spawn(async move { poll(store, tx, running).await });
        }
        rx
    }
}

async fn poll(store: Store, tx: broadcast::Sender<u64>, running: Arc<AtomicBool>) {
    let mut position = store.change_position().await.unwrap_or(0);
    let mut seen = 0u64;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(POLL_MS)).await;
        if tx.receiver_count() == 0 {
            running.store(false, Ordering::SeqCst);
            return;
        }
        match store.changes_after(position).await {
            Ok(batch) => {
                if batch.behind || batch.changes.iter().any(|c| c.entity.starts_with("gig_")) {
                    seen += 1;
                    let _ = tx.send(seen);
                }
                position = batch.next;
            }
            Err(e) => tracing::warn!(%e, "gig boards: reading the change log failed"),
        }
    }
}
