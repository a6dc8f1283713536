//! What a changed parameter would mean, before it is published: every claim on file decided
//! again under the changed policy, claimants and money compared.

use chrono::NaiveDate;
use serde::Serialize;

use crate::eval::{Facts, Outcome, evaluate, evaluate_quiet};
use crate::load::Catalogue;
use crate::model::Policy;

/// A claim on file: its facts, the day it was decided for, the policy version that decided it.
pub struct OnFile {
    pub facts: Facts,
    pub date: NaiveDate,
    pub policy_version: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Side {
    pub claimants: usize,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Simulation {
    pub policy: String,
    pub changes: Vec<(String, i64)>,
    pub claims: usize,
    pub before: Side,
    pub after: Side,
    pub difference_fen: i64,
}

/// The versions with `changes` applied (parameter → value from each version's first day).
/// Refused when a parameter does not exist or a value is negative.
fn with_changes(versions: &[&Policy], changes: &[(String, i64)]) -> Result<Vec<Policy>, String> {
    let mut changed: Vec<Policy> = versions.iter().map(|p| (*p).clone()).collect();
    for (name, value) in changes {
        if *value < 0 {
            return Err(format!("{name}: amounts are never negative"));
        }
        for p in &mut changed {
            let key = p.key();
            let from = p.effective_from;
            let prm = p.parameters.get_mut(name).ok_or_else(|| format!("{key}: no parameter {name:?}"))?;
            prm.values = vec![(from, *value)];
        }
    }
    Ok(changed)
}

/// Decide `claims` under `policy_id` as published and with `changes` (parameter → value from
/// each version's first day). Refused when a parameter does not exist or a value is negative.
pub fn simulate(
    cat: &Catalogue,
    policy_id: &str,
    changes: &[(String, i64)],
    claims: &[OnFile],
) -> Result<Simulation, String> {
    let versions: Vec<&Policy> = cat.versions(policy_id);
    if versions.is_empty() {
        return Err(format!("no policy {policy_id:?}"));
    }
    let changed = with_changes(&versions, changes)?;
    let mut before = Side { claimants: 0, amount_fen: 0 };
    let mut after = Side { claimants: 0, amount_fen: 0 };
    let mut n = 0;
    for c in claims {
        let Some(i) = versions.iter().position(|p| p.key() == c.policy_version) else { continue };
        n += 1;
        for (side, policy) in [(&mut before, versions[i]), (&mut after, &changed[i])] {
            let d = evaluate(policy, &c.facts, c.date);
            if d.outcome == Outcome::Eligible {
                side.claimants += 1;
                side.amount_fen += d.amount_fen;
            }
        }
    }
    Ok(Simulation {
        policy: policy_id.to_string(),
        changes: changes.to_vec(),
        claims: n,
        difference_fen: after.amount_fen - before.amount_fen,
        before,
        after,
    })
}

/// One person (or record of theirs) the screening would see, with the facts the records give.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub facts: Facts,
    /// The day the claim would be decided for (today, or the record's date).
    pub date: NaiveDate,
    pub district: String,
    pub key_groups: Vec<String>,
}

/// Eligible persons and money, before and after, for one slice of the population.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Slice {
    pub candidates: usize,
    pub eligible_before: usize,
    pub eligible_after: usize,
    pub amount_before_fen: i64,
    pub amount_after_fen: i64,
}

impl Slice {
    fn add(&mut self, before: Option<i64>, after: Option<i64>) -> Result<(), String> {
        let overflow = || "the amounts overflow".to_string();
        self.candidates += 1;
        if let Some(a) = before {
            self.eligible_before += 1;
            self.amount_before_fen = self.amount_before_fen.checked_add(a).ok_or_else(overflow)?;
        }
        if let Some(a) = after {
            self.eligible_after += 1;
            self.amount_after_fen = self.amount_after_fen.checked_add(a).ok_or_else(overflow)?;
        }
        Ok(())
    }
}

/// A changed parameter run over everyone the screening would see.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PopulationSimulation {
    pub policy: String,
    pub changes: Vec<(String, i64)>,
    pub total: Slice,
    /// Became eligible / stopped being eligible under the change.
    pub newly_eligible: usize,
    pub no_longer_eligible: usize,
    pub by_district: std::collections::BTreeMap<String, Slice>,
    pub by_key_group: std::collections::BTreeMap<String, Slice>,
}

/// Decide every candidate under the version in force on its date, as published and with
/// `changes`; report who becomes eligible or ineligible and the cost, by district and key group.
pub fn simulate_population(
    cat: &Catalogue,
    policy_id: &str,
    changes: &[(String, i64)],
    candidates: &[Candidate],
) -> Result<PopulationSimulation, String> {
    let versions: Vec<&Policy> = cat.versions(policy_id);
    if versions.is_empty() {
        return Err(format!("no policy {policy_id:?}"));
    }
    let changed = with_changes(&versions, changes)?;
    let mut out = PopulationSimulation {
        policy: policy_id.to_string(),
        changes: changes.to_vec(),
        total: Slice::default(),
        newly_eligible: 0,
        no_longer_eligible: 0,
        by_district: Default::default(),
        by_key_group: Default::default(),
    };
    for c in candidates {
        // The version that decides a claim for this date (the latest begun by then).
        let Some(i) = versions.iter().rposition(|p| p.effective_from <= c.date) else { continue };
        // A record dated after the policy ended is not covered by it.
        if versions[i].effective_to.is_some_and(|to| c.date > to) {
            continue;
        }
        let decide = |p: &Policy| {
            let d = evaluate_quiet(p, &c.facts, c.date);
            (d.outcome == Outcome::Eligible).then_some(d.amount_fen)
        };
        let (before, after) = (decide(versions[i]), decide(&changed[i]));
        match (before.is_some(), after.is_some()) {
            (false, true) => out.newly_eligible += 1,
            (true, false) => out.no_longer_eligible += 1,
            _ => {}
        }
        out.total.add(before, after)?;
        out.by_district.entry(c.district.clone()).or_default().add(before, after)?;
        for g in &c.key_groups {
            out.by_key_group.entry(g.clone()).or_default().add(before, after)?;
        }
    }
    Ok(out)
}
