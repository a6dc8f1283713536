//! Facts about people taken from the platform's records — never from what they declare.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::casework::{EmploymentForm, EmploymentSource};
use jiuye_domain::codes::KeyGroup;

use crate::Core;
use crate::error::CoreResult;

impl Core<'_> {
    /// The key groups the records give a person on `day`: recognitions made by staff with
    /// evidence, an active unemployment registration (登记失业人员), a household flagged
    /// 零就业, and a flexible employment registered at a desk or by a hire (灵活就业人员).
    /// What the person ticked on their own profile is a declaration and does not count.
    pub async fn record_key_groups(&self, person_id: Uuid, day: NaiveDate) -> CoreResult<Vec<String>> {
        let mut groups: BTreeSet<&'static str> = BTreeSet::new();
        for r in self.store.recognitions_of_person(person_id).await? {
            if r.recognised_on <= day {
                groups.insert(r.key_group.id());
            }
        }
        if let Some(r) = self.store.active_registration_of(person_id).await?
            && r.registered_on <= day
        {
            groups.insert(KeyGroup::RegisteredUnemployed.id());
        }
        if self.store.household_of_person(person_id, day).await?.is_some_and(|h| h.flagged_on.is_some()) {
            groups.insert(KeyGroup::ZeroEmploymentHousehold.id());
        }
        let latest = self
            .store
            .employments_of_person(person_id)
            .await?
            .into_iter()
            .filter(|e| e.started_on <= day && e.source != EmploymentSource::Person)
            .max_by_key(|e| e.started_on);
        if latest.is_some_and(|e| e.form == EmploymentForm::Flexible) {
            groups.insert(KeyGroup::FlexibleWorker.id());
        }
        Ok(groups.into_iter().map(str::to_string).collect())
    }
}
