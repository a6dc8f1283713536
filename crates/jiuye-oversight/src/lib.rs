//! jiuye-oversight: how the plan is doing, as data.
//!
//! A pure library. The indicators of 附件2 are files (`indicators/*.toml`), checked when loaded
//! (unknown aggregation, unit mismatch, missing target → refused with file, line and reason);
//! each is computed by a named [`Aggregation`] the store provides, or entered with its source.
//! [`assess`] puts a figure against its target; [`market`] holds the 求人倍率 method and the
//! spread of exposure; [`cases`] the indicator test cases run against a real database.

pub mod assess;
pub mod cases;
pub mod fairness;
pub mod load;
pub mod market;
pub mod measures;
pub mod model;
pub mod period;

/// The catalogue embedded at build time (see `build.rs`).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/indicators.rs"));
}

pub use assess::{Count, Status, Trend};
pub use load::{Indicators, LoadError, load};
pub use model::{Aggregation, Direction, Indicator, Obtained, Unit, Yield};
pub use period::Period;
