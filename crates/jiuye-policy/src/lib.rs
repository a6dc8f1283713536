//! jiuye-policy: subsidies as rules (政策经办).
//!
//! A pure library. The catalogue (`policies/*.toml`, one file per policy version) is checked
//! when loaded — unknown facts, wrong types, overlapping versions, gaps in a parameter's dates,
//! overlapping table rows are refused with file, line and reason. [`evaluate`] decides a claim
//! as of a date: `eligible` with the amount and its trace, `ineligible` with every criterion
//! that failed (each with its legal source), or `undetermined` with the facts missing. Money is
//! integer fen; amounts are parameters keyed by date, never literals in code.

pub mod eval;
pub mod load;
pub mod model;
pub mod simulate;

/// The catalogue embedded at build time (see `build.rs`).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

pub use eval::{
    Decision, Facts, Outcome, Reason, contradictions, criteria_status, evaluate, evaluate_quiet, facts_from_json,
    facts_from_toml,
};
pub use load::{Catalogue, LoadError};
pub use model::{
    Amount, BudgetLine, CLAIMS_AFTER_END_MONTHS, Claimant, FactDef, FactSource, FactType, Period, Policy, RecordKind,
    Standing, Value,
};
pub use simulate::{Candidate, OnFile, PopulationSimulation, Simulation, Slice, simulate, simulate_population};
