//! What a changed parameter would mean, before it is published: every claim on file decided
//! again under the changed policy, claimants and money compared.

use chrono::NaiveDate;
use serde::Serialize;

use crate::eval::{Facts, Outcome, evaluate};
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
