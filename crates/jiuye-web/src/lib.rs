//! jiuye-web: the edge. The JSON API under `/api/v1` with OpenAPI 3.1, server-rendered pages
//! in zh-CN and English, sessions, CSRF, the permission guard and the one error table.
//! Only this crate speaks HTTP.

pub mod access;
pub mod api;
pub mod auth;
pub mod casework;
pub mod clock;
pub mod csrf;
pub mod error;
pub mod gig_boards;
pub mod headers;
pub mod input;
pub mod json;
pub mod ops;
pub mod pages;
pub mod proxy;
pub mod search_sync;
pub mod xlsx;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;

use jiuye_store::{IdVault, Store};

pub use clock::{Clock, ManualClock, SystemClock};

/// Everything a request handler may use. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub vault: IdVault,
    /// The full-text index of open vacancies, kept in step by [`search_sync`].
    pub search: Arc<jiuye_search::SearchIndex>,
    /// Open vacancies as the matcher sees them (grouped by occupation for candidate generation:
    /// the pool the benchmarks measure), kept in step by [`search_sync`] too.
    pub jobs: Arc<std::sync::RwLock<jiuye_match::JobPool>>,
    /// Workers with a gig profile as the matcher keeps them, kept in step by the core's writes
    /// and by [`search_sync`]'s tail of the change log.
    pub gig_pool: Arc<jiuye_core::gig::GigPool>,
    /// The day whose records the gig pool was loaded with (`None`: filled only by writes).
    pub gig_pool_day: Arc<std::sync::Mutex<Option<chrono::NaiveDate>>>,
    pub clock: Arc<dyn Clock>,
    /// Set `Secure` on cookies (the platform is behind TLS).
    pub secure_cookies: bool,
    /// A valid hash to verify against when a login name is unknown, so timing reveals nothing.
    pub dummy_hash: Arc<String>,
    /// Tiers, contact intervals and "131" windows in force (configuration, not code): the
    /// newest version published in the store, swapped when another is published.
    pub casework_rules: Arc<jiuye_core::casework_rules::RulesInForce>,
    /// The policy catalogue (checked; the binary refuses to start on a broken one).
    pub policies: Arc<jiuye_policy::Catalogue>,
    /// Four eyes on claims (on for every budget line unless exempted).
    pub four_eyes: Arc<jiuye_core::FourEyes>,
    /// Who may read `/metrics`: the loopback interface, and clients sending this token.
    pub metrics: Arc<ops::MetricsAccess>,
    /// The plan's indicators (附件2), checked at start.
    pub indicators: Arc<jiuye_oversight::Indicators>,
    /// The plan's 26 measures (附件1) and their lead units.
    pub measures: Arc<jiuye_oversight::measures::Measures>,
    /// The open job feed's snapshot (a file), made once a minute at most.
    pub snapshot: Arc<api::feed::SnapshotCache>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none unless configured).
    pub proxies: Arc<proxy::TrustedProxies>,
    /// The gig posts' automatic review: the minimum wage by date, the wording rules.
    pub gig_rules: Arc<jiuye_domain::gig::review::ReviewRules>,
    /// Tells the live gig boards of this instance that gigs changed.
    pub gig_hub: Arc<gig_boards::GigHub>,
    /// Leave this instance's own vacancy writes to the change-log tail (a served instance runs
    /// one) instead of committing each to the index in its request.
    pub defer_index: bool,
    /// Wakes the tail after a write of this instance.
    pub index_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(
        store: Store,
        vault: IdVault,
        search: Arc<jiuye_search::SearchIndex>,
        clock: Arc<dyn Clock>,
        secure_cookies: bool,
    ) -> Self {
        let dummy_hash = auth::hash_password("jiuye-dummy-password").unwrap_or_default();
        AppState {
            store,
            vault,
            search,
            jobs: Arc::default(),
            gig_pool: Arc::default(),
            gig_pool_day: Arc::default(),
            clock,
            secure_cookies,
            dummy_hash: Arc::new(dummy_hash),
            casework_rules: Arc::default(),
            policies: Arc::new(jiuye_policy::Catalogue::builtin().unwrap_or_default()),
            four_eyes: Arc::default(),
            metrics: Arc::new(ops::MetricsAccess { loopback: true, token: None }),
            indicators: Arc::new(jiuye_oversight::Indicators::embedded().unwrap_or_default()),
            measures: Arc::new(
                jiuye_oversight::Indicators::embedded()
                    .ok()
                    .and_then(|i| jiuye_oversight::measures::Measures::embedded(&i).ok())
                    .unwrap_or_default(),
            ),
            snapshot: Arc::default(),
            proxies: Arc::default(),
            gig_rules: Arc::new(jiuye_domain::gig::review::ReviewRules::embedded()),
            gig_hub: Arc::default(),
            defer_index: false,
            index_wake: Arc::default(),
        }
    }

    /// The service layer over this state's store and rules.
    pub fn core(&self) -> jiuye_core::Core<'_> {
        jiuye_core::Core {
            store: &self.store,
            policies: &self.policies,
            casework: &self.casework_rules,
            four_eyes: &self.four_eyes,
            gig_pool: &self.gig_pool,
        }
    }

    /// The context of a use case run by this viewer, now.
    pub fn ctx(&self, viewer: &auth::Viewer) -> jiuye_core::Ctx {
        jiuye_core::Ctx::new(viewer.actor(), self.clock.now())
    }

    /// The casework rules in force now (a request keeps the version it started with).
    pub fn casework(&self) -> Arc<jiuye_domain::casework::CaseworkRules> {
        self.casework_rules.current()
    }

    /// Write the feed's snapshots into `dir` (in the instance's own data folder) instead of the
    /// system's temporary folder.
    pub fn with_snapshot_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.snapshot = Arc::new(api::feed::SnapshotCache::in_dir(dir));
        self
    }

    /// Use these casework rules (as version `version`) until a published version is loaded.
    pub fn with_casework(mut self, version: i32, rules: jiuye_domain::casework::CaseworkRules) -> Self {
        self.casework_rules = Arc::new(jiuye_core::casework_rules::RulesInForce::new(version, rules));
        self
    }
}

/// The whole application: API, docs, pages, operations — every route behind the guard.
pub fn app(state: AppState) -> Router {
    let routes = access::router()
        .route_layer(axum::middleware::from_fn(pages::with_viewer))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), access::guard))
        .route_layer(axum::middleware::from_fn(ops::track))
        .with_state(state.clone());
    routes
        .merge(api::openapi::docs_routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::ensure_cookie))
        .layer(axum::middleware::from_fn_with_state(state.clone(), headers::security))
        .layer(DefaultBodyLimit::max(json::MAX_BODY))
}
