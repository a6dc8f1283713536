//! A changed policy parameter over the population, not only the claims on file: everyone the
//! screening would see — each person for a plain person policy, each certificate or assessed
//! enrolment within its claim window for a policy about a record — with the facts the records
//! give and what was already paid, decided as published and as changed.

use chrono::Months;

use jiuye_domain::roles::Permission;
use jiuye_policy::{Candidate, Claimant, PopulationSimulation, RecordKind, Value};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// A candidate before its facts are completed: the person, the day, the record's own facts.
type Base = (uuid::Uuid, chrono::NaiveDate, Vec<(&'static str, Value)>);

/// How many persons are read at once.
const PAGE: u64 = 500;

impl Core<'_> {
    /// The candidates a person policy would be decided for today, with their facts.
    async fn candidates(&self, ctx: &Ctx, policy_id: &str) -> CoreResult<Vec<Candidate>> {
        let p = self.policies.versions(policy_id).last().copied().ok_or(CoreError::NotFound)?;
        if p.claimant != Claimant::Person {
            return Err(CoreError::Refused(
                jiuye_domain::CodeError::new("policy.simulate_persons_only").field("policy"),
            ));
        }
        let today = ctx.today;
        let records = self.store.key_group_records(today).await?;
        let claimed = self.store.live_claim_keys().await?;
        // Persons: district, age.
        let mut persons = std::collections::HashMap::new();
        let mut after = None;
        loop {
            let page = self
                .store
                .list_persons(&jiuye_store::PersonFilter::default(), jiuye_store::PageRequest::new(after, Some(PAGE)))
                .await?;
            for x in &page.items {
                persons.insert(x.id, (x.district.as_str().to_string(), x.birth_date));
            }
            match page.next_cursor.as_deref().and_then(jiuye_store::Cursor::parse) {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        let window_start = p
            .claim_window_months
            .and_then(|m| today.checked_sub_months(Months::new(m)))
            .unwrap_or(jiuye_domain::time::PLATFORM_FROM);
        // (person, date, extra facts)
        let mut base: Vec<Base> = Vec::new();
        match p.record {
            // An ended policy still takes claims for the days it covered: decide for its last day.
            None => {
                let day = p.effective_to.map_or(today, |to| to.min(today));
                base.extend(persons.keys().map(|id| (*id, day, Vec::new())));
            }
            Some(RecordKind::Certificate) => {
                for (person, kind, level, on) in self.store.certificates_since(window_start).await? {
                    base.push((
                        person,
                        on,
                        vec![("certificate_kind", Value::Text(kind)), ("certificate_level", Value::Text(level))],
                    ));
                }
            }
            Some(RecordKind::Enrolment) => {
                for (person, kind, passed, cost, on) in self.store.assessed_since(window_start).await? {
                    base.push((
                        person,
                        on,
                        vec![
                            ("training_kind", Value::Text(kind)),
                            ("training_passed", Value::Bool(passed)),
                            ("training_cost_fen", Value::Int(cost)),
                        ],
                    ));
                }
            }
        }
        let mut out = Vec::with_capacity(base.len());
        for (person, date, extra) in base {
            let Some((district, birth)) = persons.get(&person) else { continue };
            let period = p.period.key(date);
            if claimed.iter().any(|(c, s, pol, k)| *c == person && s.is_none() && pol == policy_id && *k == period) {
                continue;
            }
            let groups = crate::facts::key_groups_in(&records, person);
            let mut facts = jiuye_policy::Facts::new();
            facts.insert("age".into(), Value::Int(i64::from(date.years_since(*birth).unwrap_or(0))));
            facts.insert("key_groups".into(), Value::Set(groups.clone()));
            for (k, v) in extra {
                facts.insert(k.into(), v);
            }
            self.add_paid_facts(p, person, None, &period, &mut facts).await?;
            out.push(Candidate { facts, date, district: district.clone(), key_groups: groups });
        }
        Ok(out)
    }

    /// Run a changed parameter over the population (city administrators, before publishing).
    pub async fn simulate_population(
        &self,
        ctx: &Ctx,
        policy_id: &str,
        changes: &[(String, i64)],
    ) -> CoreResult<PopulationSimulation> {
        ctx.actor.require(Permission::PublishPolicies)?;
        let candidates = self.candidates(ctx, policy_id).await?;
        jiuye_policy::simulate_population(self.policies, policy_id, changes, &candidates)
            .map_err(|e| CoreError::Refused(jiuye_domain::CodeError::new("policy.simulate").arg("reason", e)))
    }
}
