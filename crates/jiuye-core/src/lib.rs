//! jiuye-core: the service layer. Use cases take a context first — who acts, when, which day
//! it is in Xiamen — and decide, in one place, who may act on whom and where a claim's facts
//! come from. The API, the pages, the batch commands and the CLI translate their input into
//! these calls; none of them decides permission, scope or facts itself.
//!
//! No HTTP and no SQL here: the store speaks SQL, the web crate HTTP.

pub mod actor;
pub mod casework_rules;
pub mod claims;
pub mod error;
pub mod facts;
pub mod gig;
pub mod labour;
pub mod lists;
pub mod oversight;
pub mod progress;
pub mod scope;
pub mod simulate;

use chrono::{DateTime, NaiveDate, Utc};

use jiuye_policy::Catalogue;
use jiuye_store::Store;

pub use actor::Actor;
pub use claims::{ClaimAction, Decided, FileClaim, FourEyes};
pub use error::{CoreError, CoreResult};

/// Who acts, at which instant, on which Xiamen day. Passed first to every use case; library
/// code never reads a clock.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub at: DateTime<Utc>,
    pub today: NaiveDate,
}

impl Ctx {
    pub fn new(actor: Actor, at: DateTime<Utc>) -> Ctx {
        Ctx { actor, at, today: jiuye_domain::time::beijing_day(at) }
    }
}

/// The service layer over one store, with the rules in force (casework configuration, the
/// policy catalogue, the four-eyes setting). Cheap: it borrows.
#[derive(Clone, Copy)]
pub struct Core<'a> {
    pub store: &'a Store,
    pub policies: &'a Catalogue,
    /// The casework rules in force on this instance (published versions swap them).
    pub casework: &'a casework_rules::RulesInForce,
    pub four_eyes: &'a FourEyes,
    /// This instance's gig workers as the matcher keeps them.
    pub gig_pool: &'a gig::GigPool,
}
