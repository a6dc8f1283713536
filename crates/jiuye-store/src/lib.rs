//! jiuye-store: persistence behind one `Store`, on SQLite (embedded default) or PostgreSQL.
//!
//! One set of entities (`entities`) and one migration list (`migrate`) serve both backends;
//! the backend is picked from the URL. Every write runs in one transaction together with its
//! audit entry, so a failed write leaves nothing behind — not even the audit line.

pub mod audit;
pub mod backup;
pub mod baseline;
pub mod baseline_casework;
pub mod baseline_gig;
pub mod bench_writes;
pub mod entities;
pub mod error;
pub mod kpi;
mod kpi_triggers;
pub mod migrate;
pub mod page;
pub mod repo;
pub mod testing;
pub mod vault;
mod write;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

pub use audit::{AuditEntry, AuditFilter, AuditRecord};
pub use error::StoreError;
pub use page::{Cursor, ListOrder, Page, PageRequest};
pub use repo::accounts::{Account, AccountFilter, AccountSearch, NewAccount};
pub use repo::applications::{Application, ApplicationEvent, MoveEffects};
pub use repo::caseload::{COUNT_CAP, CaseRow, CaseloadFilter, CaseloadSort, ContactRate, Counted, LeagueRow};
pub use repo::casework_bulk::BulkCase;
pub use repo::casework_import::ImportRow;
pub use repo::changes::{Change, ChangeBatch};
pub use repo::claims::{Allocation, Claim, ClaimEvent, Money, NewClaim};
pub use repo::employers::EmployerFilter;
pub use repo::gig::{GigBooking, GigDemand, GigSite, GigWorker, Hold, NewGigDemand, NewGigSite};
pub use repo::households::{Household, HouseholdMember};
pub use repo::inbox::{InboxItem, NewInboxItem};
pub use repo::labour_cases::{CaseCounts, CaseMove, CaseOrder, DueDigest, LabourCase, NewLabourCase, Pause};
pub use repo::ledger::{NewService, Recorded, SatisfactionRow, Service};
pub use repo::mediation_orgs::{MediationOrg, NewMediationOrg};
pub use repo::oversight::{DrillRow, NewProgressReport, ProgressReport, Span};
pub use repo::persons::PersonFilter;
pub use repo::providers::{Contract, NewContract, Provider, Statement, StatementLine};
pub use repo::recognitions::{KeyGroupRecords, Recognition};
pub use repo::registrations::{Contact, Employment, NewContact, NewEmployment, Registration, RegistrationEvent, Spell};
pub use repo::screening::ScreeningRow;
pub use repo::training::{Certificate, Enrolment, NewProgramme, Programme, ProgrammeFigures};
pub use repo::vacancies::VacancyFilter;
pub use vault::IdVault;

/// How to connect, beyond the URL.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// SQLite's page cache per connection, in MiB.
    pub sqlite_cache_mib: u32,
    /// The pool's size (default: 4 for a SQLite file, 16 for PostgreSQL). A bulk load into
    /// SQLite wants one: a connection drops its whole page cache when it finds that another
    /// wrote since its last transaction, so loads spread over a pool reread every index page.
    pub max_connections: Option<u32>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { sqlite_cache_mib: 32, max_connections: None }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// Whether a refresher keeps the dashboard's projection in this process (see `kpi.rs`).
    kpi: std::sync::Arc<kpi::Kept>,
}

impl Store {
    /// Connect to `sqlite://path?mode=rwc`, `sqlite::memory:` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, &StoreOptions::default()).await
    }

    /// [`Store::connect`] with options beyond the URL.
    pub async fn connect_with(url: &str, options: &StoreOptions) -> Result<Store, StoreError> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.sqlx_logging(false);
        // Fail fast on an unreachable server instead of retrying for half a minute.
        opts.connect_timeout(std::time::Duration::from_secs(5)).acquire_timeout(std::time::Duration::from_secs(10));
        if url.starts_with("sqlite:") {
            // One writer at a time is SQLite's nature; a small pool avoids lock contention.
            opts.max_connections(if url.contains(":memory:") { 1 } else { options.max_connections.unwrap_or(4) });
        } else {
            opts.max_connections(options.max_connections.unwrap_or(16));
        }
        if url.starts_with("sqlite:") {
            // Per connection, so every pooled connection gets them. WAL with synchronous=NORMAL
            // survives application crashes and loses at most the last commits on power loss;
            // the page cache holds the indexes' pages that random keys (ID hashes, mobiles)
            // insert into: 32 MiB is a city's; a province's load needs gigabytes.
            let cache = format!("-{}", u64::from(options.sqlite_cache_mib) * 1024);
            opts.map_sqlx_sqlite_opts(move |o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.foreign_keys(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(std::time::Duration::from_secs(30))
                    .pragma("cache_size", cache.clone())
            });
        }
        let db = Database::connect(opts).await?;
        Ok(Store { db, kpi: Default::default() })
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend() {
            DbBackend::Postgres => "postgres",
            DbBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    /// Is the database reachable? For `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A write transaction. On SQLite it starts as a writer (`BEGIN IMMEDIATE`), so concurrent
    /// writers queue on the busy timeout instead of failing: a deferred transaction that read
    /// first cannot take the write lock once another writer has committed ("database is
    /// locked"). PostgreSQL ignores the mode.
    pub(crate) async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        self.db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
    }
}

/// A new time-ordered id for a row created at `at` (UUIDv7: sortable, safe across instances).
///
/// Ids made in this process never go backwards, even for rows stamped with the same instant:
/// a shared v7 context adds a counter. Appending keys in order keeps B-tree inserts cheap on
/// bulk loads and makes "newest first" the order of creation.
pub fn new_id(at: chrono::DateTime<chrono::Utc>) -> uuid::Uuid {
    static CONTEXT: std::sync::LazyLock<std::sync::Mutex<uuid::ContextV7>> =
        std::sync::LazyLock::new(|| std::sync::Mutex::new(uuid::ContextV7::new()));
    let secs = u64::try_from(at.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(&*CONTEXT, secs, at.timestamp_subsec_nanos());
    uuid::Uuid::new_v7(ts)
}
