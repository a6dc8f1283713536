//! The gig market (零工市场): markets and stations, gig posts and their review, and the
//! statutory clocks of wage-arrears complaints and labour-dispute mediation on the working-day
//! calendar.

pub mod calendar;
pub mod clocks;
pub mod demand;
pub mod place;
pub mod review;
pub mod site;

pub use calendar::{Calendar, Counted};
pub use clocks::{Clock, Rule, Standing, Suspension};
pub use demand::{GigDraft, GigPayUnit};
pub use review::{MinimumWage, ReviewRules};
pub use site::{Layout, Mode, Service};
