//! 定期联系: when the next contact is due, and who is unreachable (失联).

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::rules::CaseworkRules;

/// What the contact log says so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContactState {
    pub last_reached_on: Option<NaiveDate>,
    /// Failed attempts since the last time the person was reached.
    pub failed_in_row: u32,
}

impl ContactState {
    pub fn unreachable(&self, rules: &CaseworkRules) -> bool {
        self.failed_in_row >= rules.contact.unreachable_after
    }
}

/// The next contact: the first within `first_within_days` of registration, then every
/// `contact_every_days` of the person's tier after the last time they were reached.
pub fn next_contact_due(
    rules: &CaseworkRules,
    tier: &str,
    registered_on: NaiveDate,
    last_reached_on: Option<NaiveDate>,
) -> NaiveDate {
    match last_reached_on {
        None => registered_on + Duration::days(i64::from(rules.contact.first_within_days)),
        Some(d) => {
            let every = rules
                .tier(tier)
                .or_else(|| rules.tier(&rules.default_tier))
                .map(|t| t.contact_every_days)
                .unwrap_or(30);
            d + Duration::days(i64::from(every))
        }
    }
}
