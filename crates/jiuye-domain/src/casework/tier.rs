//! 分级分类: a registered person's tier and categories from their facts, with the reasons.

use serde::Serialize;

use super::rules::{CaseworkRules, Condition};
use crate::codes::KeyGroup;
use crate::messages::{Lang, render};

/// What the tier rules look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierFacts {
    pub key_groups: Vec<KeyGroup>,
    pub age: u32,
    /// Whole months since the unemployment registration.
    pub months_unemployed: u32,
    /// A member of a household flagged 零就业家庭.
    pub zero_employment_household: bool,
}

/// One reason: the category it supports and a catalogue text with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierReason {
    pub category: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl TierReason {
    pub fn text(&self, lang: Lang) -> String {
        render(self.key, lang, &self.args)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierDecision {
    pub tier: String,
    /// Every category whose rule holds (the default one when none does), in rule order.
    pub categories: Vec<String>,
    pub reasons: Vec<TierReason>,
}

impl CaseworkRules {
    /// Decide the tier: the highest tier among the rules that hold, every such category, and a
    /// reason for each condition that made a rule hold.
    pub fn decide(&self, facts: &TierFacts) -> TierDecision {
        let mut tier: Option<&str> = None;
        let mut categories: Vec<String> = Vec::new();
        let mut reasons = Vec::new();
        for rule in &self.rules {
            let Some(why) = holds(&rule.conditions(), facts, &rule.category) else { continue };
            if tier.is_none_or(|t| self.rank(&rule.tier) < self.rank(t)) {
                tier = Some(&rule.tier);
            }
            if !categories.contains(&rule.category) {
                categories.push(rule.category.clone());
            }
            reasons.extend(why);
        }
        if categories.is_empty() {
            categories.push(self.default_category.clone());
            reasons.push(TierReason {
                category: self.default_category.clone(),
                key: "casework.why.default",
                args: Vec::new(),
            });
        }
        TierDecision { tier: tier.unwrap_or(&self.default_tier).to_string(), categories, reasons }
    }
}

/// The reasons if every condition holds, `None` otherwise.
fn holds(conditions: &[Condition], f: &TierFacts, category: &str) -> Option<Vec<TierReason>> {
    let mut why = Vec::new();
    let reason =
        |key: &'static str, args: Vec<(&'static str, String)>| TierReason { category: category.to_string(), key, args };
    for c in conditions {
        match c {
            Condition::KeyGroupsAny(groups) => {
                let hit: Vec<&KeyGroup> = groups.iter().filter(|g| f.key_groups.contains(g)).collect();
                if hit.is_empty() {
                    return None;
                }
                for g in hit {
                    why.push(reason(
                        "casework.why.key_group",
                        vec![("group", g.label_zh().to_string()), ("group_en", g.label_en().to_string())],
                    ));
                }
            }
            Condition::MonthsUnemployedAtLeast(min) => {
                if f.months_unemployed < *min {
                    return None;
                }
                why.push(reason(
                    "casework.why.months",
                    vec![("months", f.months_unemployed.to_string()), ("min", min.to_string())],
                ));
            }
            Condition::AgeAtLeast(min) => {
                if f.age < *min {
                    return None;
                }
                why.push(reason("casework.why.age_min", vec![("age", f.age.to_string()), ("min", min.to_string())]));
            }
            Condition::AgeAtMost(max) => {
                if f.age > *max {
                    return None;
                }
                why.push(reason("casework.why.age_max", vec![("age", f.age.to_string()), ("max", max.to_string())]));
            }
            Condition::ZeroEmploymentHousehold(want) => {
                if f.zero_employment_household != *want {
                    return None;
                }
                if *want {
                    why.push(reason("casework.why.household", Vec::new()));
                }
            }
        }
    }
    Some(why)
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
pub fn whole_months(from: chrono::NaiveDate, to: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    if to <= from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    u32::try_from(months.max(0)).unwrap_or(0)
}
