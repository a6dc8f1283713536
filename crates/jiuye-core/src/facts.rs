//! Facts about people taken from the platform's records — never from what they declare.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::casework::{EmploymentForm, EmploymentSource};
use jiuye_domain::codes::KeyGroup;

use jiuye_store::{KeyGroupRecords, Spell};

use crate::Core;
use crate::error::CoreResult;

/// The key groups the records give: recognitions, plus what registrations, households and
/// employments say. The one rule, for a claim (one person) and for screening (everyone).
fn compose(
    recognised: impl IntoIterator<Item = KeyGroup>,
    registered: bool,
    zero_employment: bool,
    flexible: bool,
) -> Vec<String> {
    let mut groups: BTreeSet<&'static str> = recognised.into_iter().map(KeyGroup::id).collect();
    if registered {
        groups.insert(KeyGroup::RegisteredUnemployed.id());
    }
    if zero_employment {
        groups.insert(KeyGroup::ZeroEmploymentHousehold.id());
    }
    if flexible {
        groups.insert(KeyGroup::FlexibleWorker.id());
    }
    groups.into_iter().map(str::to_string).collect()
}

/// A person's key groups from records read for everyone at once (screening).
pub fn key_groups_in(records: &KeyGroupRecords, person_id: Uuid) -> Vec<String> {
    compose(
        records
            .recognised
            .get(&person_id)
            .into_iter()
            .flatten()
            .chain(records.documented.get(&person_id).into_iter().flatten())
            .copied(),
        records.registered.contains(&person_id),
        records.zero_employment.contains(&person_id),
        records.flexible.contains(&person_id),
    )
}

impl Core<'_> {
    /// The key groups the records give a person on `day`: recognitions made by staff with
    /// evidence, an active unemployment registration (登记失业人员), a household flagged
    /// 零就业, a flexible employment registered at a desk or by a hire (灵活就业人员), and the
    /// identity document held (台胞, 港澳居民, 外籍人员). What the person ticked on their own
    /// profile is a declaration and does not count.
    pub async fn record_key_groups(&self, person_id: Uuid, day: NaiveDate) -> CoreResult<Vec<String>> {
        let recognised: Vec<KeyGroup> = self
            .store
            .recognitions_of_person(person_id)
            .await?
            .into_iter()
            .filter(|r| r.recognised_on <= day)
            .map(|r| r.key_group)
            .collect();
        let person = self.store.person_by_id(person_id).await?;
        let recognised: Vec<KeyGroup> =
            recognised.into_iter().chain(KeyGroup::from_document(person.id_kind, person.nationality)).collect();
        let registered = self.store.active_registration_of(person_id).await?.is_some_and(|r| r.registered_on <= day);
        let zero = self.store.household_of_person(person_id, day).await?.is_some_and(|h| h.flagged_on.is_some());
        let latest = self
            .store
            .employments_of_person(person_id)
            .await?
            .into_iter()
            .filter(|e| e.started_on <= day && e.source != EmploymentSource::Person)
            .max_by_key(|e| e.started_on);
        let flexible = latest.is_some_and(|e| e.form == EmploymentForm::Flexible);
        Ok(compose(recognised, registered, zero, flexible))
    }
}

/// The facts of a per-person employer claim that count months in a subsidised post, by the
/// kind of post they count.
pub const MONTH_FACTS: [(&str, bool); 2] = [("internship_months", true), ("public_welfare_months", false)];

/// Whole months in subsidised posts of one kind (internships, or public-welfare posts) between
/// `from` and `to`, each spell cut at the day it ended. The one rule, for a claim and for
/// screening.
pub fn months_in_post(spells: &[Spell], internship: bool, from: NaiveDate, to: NaiveDate) -> i64 {
    spells
        .iter()
        .filter(|s| s.internship == internship)
        .map(|s| {
            let start = s.employment.started_on.max(from);
            let end = s.ended_on.map_or(to, |e| e.min(to));
            i64::from(jiuye_domain::casework::whole_months(start, end))
        })
        .sum()
}
