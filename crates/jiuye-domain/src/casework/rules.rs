//! The casework configuration: tiers, tier rules, contact intervals and "131" windows,
//! read from TOML and checked before use.

use serde::Deserialize;

use crate::codes::KeyGroup;
use crate::messages;

/// The embedded default (`data/casework/rules.toml`).
pub const DEFAULT_RULES: &str = include_str!("../../data/casework/rules.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseworkRules {
    pub default_tier: String,
    pub default_category: String,
    #[serde(rename = "tier")]
    pub tiers: Vec<TierSpec>,
    #[serde(rename = "rule", default)]
    pub rules: Vec<TierRule>,
    pub contact: ContactRules,
    pub one31: One31Rules,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    pub code: String,
    pub contact_every_days: u32,
}

/// One rule: all its conditions must hold.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    pub category: String,
    pub tier: String,
    #[serde(default)]
    pub key_groups_any: Vec<String>,
    pub months_unemployed_at_least: Option<u32>,
    pub age_at_least: Option<u32>,
    pub age_at_most: Option<u32>,
    pub zero_employment_household: Option<bool>,
}

/// A condition of a rule, in the order they are checked and explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    KeyGroupsAny(Vec<KeyGroup>),
    MonthsUnemployedAtLeast(u32),
    AgeAtLeast(u32),
    AgeAtMost(u32),
    ZeroEmploymentHousehold(bool),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRules {
    pub first_within_days: u32,
    pub unreachable_after: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct One31Rules {
    pub guidance_within_days: u32,
    pub referrals_needed: u32,
    pub referrals_within_days: u32,
    pub training_within_days: u32,
    pub due_soon_days: u32,
}

impl TierRule {
    /// The rule's conditions (key group codes are checked at load, so unknown ones cannot occur).
    pub fn conditions(&self) -> Vec<Condition> {
        let mut out = Vec::new();
        if !self.key_groups_any.is_empty() {
            out.push(Condition::KeyGroupsAny(
                self.key_groups_any.iter().filter_map(|g| KeyGroup::parse(g).ok()).collect(),
            ));
        }
        if let Some(m) = self.months_unemployed_at_least {
            out.push(Condition::MonthsUnemployedAtLeast(m));
        }
        if let Some(a) = self.age_at_least {
            out.push(Condition::AgeAtLeast(a));
        }
        if let Some(a) = self.age_at_most {
            out.push(Condition::AgeAtMost(a));
        }
        if let Some(z) = self.zero_employment_household {
            out.push(Condition::ZeroEmploymentHousehold(z));
        }
        out
    }
}

impl CaseworkRules {
    pub fn default_rules() -> Result<Self, String> {
        Self::from_toml(DEFAULT_RULES)
    }

    /// The embedded rules. They are checked by the tests of this crate, so a failure here is a
    /// build defect, reported loudly at start rather than hidden.
    pub fn builtin() -> Self {
        match Self::default_rules() {
            Ok(r) => r,
            Err(e) => panic!("the embedded casework rules do not check: {e}"),
        }
    }

    /// Parse and check. Every problem is reported, each naming where it is.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let rules: CaseworkRules = toml::from_str(text).map_err(|e| e.to_string())?;
        let problems = rules.problems();
        if problems.is_empty() { Ok(rules) } else { Err(problems.join("\n")) }
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.tiers.is_empty() {
            out.push("at least one [[tier]] is required".to_string());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, t) in self.tiers.iter().enumerate() {
            if !seen.insert(t.code.as_str()) {
                out.push(format!("tier {}: code \"{}\" appears twice", i + 1, t.code));
            }
            if t.contact_every_days == 0 {
                out.push(format!("tier {}: contact_every_days must be at least 1", i + 1));
            }
            if !messages::has(&format!("casework.tier.{}", t.code)) {
                out.push(format!("tier {}: no catalogue label casework.tier.{}", i + 1, t.code));
            }
        }
        if self.tier(&self.default_tier).is_none() {
            out.push(format!("default_tier \"{}\" is not a declared tier", self.default_tier));
        }
        let mut categories = vec![self.default_category.as_str()];
        for (i, r) in self.rules.iter().enumerate() {
            let at = format!("rule {} ({})", i + 1, r.category);
            if self.tier(&r.tier).is_none() {
                out.push(format!("{at}: tier \"{}\" is not a declared tier", r.tier));
            }
            for g in &r.key_groups_any {
                if KeyGroup::parse(g).is_err() {
                    out.push(format!("{at}: unknown key group \"{g}\""));
                }
            }
            if let (Some(lo), Some(hi)) = (r.age_at_least, r.age_at_most)
                && lo > hi
            {
                out.push(format!("{at}: age_at_least {lo} is above age_at_most {hi}"));
            }
            if r.conditions().is_empty() {
                out.push(format!("{at}: a rule needs at least one condition"));
            }
            categories.push(r.category.as_str());
        }
        for c in categories {
            if !messages::has(&format!("casework.category.{c}")) {
                out.push(format!("category \"{c}\": no catalogue label casework.category.{c}"));
            }
        }
        let o = &self.one31;
        if o.referrals_needed == 0 {
            out.push("one31.referrals_needed must be at least 1".to_string());
        }
        if self.contact.unreachable_after == 0 {
            out.push("contact.unreachable_after must be at least 1".to_string());
        }
        out
    }

    pub fn tier(&self, code: &str) -> Option<&TierSpec> {
        self.tiers.iter().find(|t| t.code == code)
    }

    /// Position of a tier in priority order (0 is the highest); unknown tiers rank last.
    pub fn rank(&self, code: &str) -> usize {
        self.tiers.iter().position(|t| t.code == code).unwrap_or(usize::MAX)
    }

    pub fn tier_codes(&self) -> Vec<&str> {
        self.tiers.iter().map(|t| t.code.as_str()).collect()
    }

    /// Every category a registration can be in: the default, then each rule's, once each.
    pub fn category_codes(&self) -> Vec<&str> {
        let mut out = vec![self.default_category.as_str()];
        for r in &self.rules {
            if !out.contains(&r.category.as_str()) {
                out.push(r.category.as_str());
            }
        }
        out
    }
}
