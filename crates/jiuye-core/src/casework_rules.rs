//! The casework rules in force (tiers, contact intervals, "131" windows): published by a city
//! administrator as numbered versions in the store, the embedded rules being version 1, and taken
//! up by every instance — the publishing one at once, the others when they read the change log.

use std::sync::{Arc, PoisonError, RwLock};

use jiuye_domain::CodeError;
use jiuye_domain::casework::CaseworkRules;
use jiuye_domain::roles::Permission;
use jiuye_store::repo::casework_rules::{EMBEDDED_VERSION, PublishedRules};

use crate::{Core, CoreError, CoreResult, Ctx};

/// Rules longer than this are refused before they are read.
pub const MAX_RULES_BYTES: usize = 32 * 1024;

/// This instance's rules and their version, swapped whole when a version is published.
#[derive(Debug)]
pub struct RulesInForce(RwLock<(i32, Arc<CaseworkRules>)>);

impl Default for RulesInForce {
    fn default() -> Self {
        RulesInForce::new(EMBEDDED_VERSION, CaseworkRules::builtin())
    }
}

impl RulesInForce {
    pub fn new(version: i32, rules: CaseworkRules) -> Self {
        RulesInForce(RwLock::new((version, Arc::new(rules))))
    }

    /// The rules now (a request keeps the version it started with).
    pub fn current(&self) -> Arc<CaseworkRules> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).1.clone()
    }

    pub fn version(&self) -> i32 {
        self.0.read().unwrap_or_else(PoisonError::into_inner).0
    }

    fn set(&self, version: i32, rules: CaseworkRules) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = (version, Arc::new(rules));
    }
}

/// The rules in force as shown to staff: version, text, and who published them when.
#[derive(Debug, Clone)]
pub struct RulesShown {
    pub version: i32,
    pub rules: String,
    pub note: String,
    /// `None` for the embedded rules.
    pub published: Option<PublishedRules>,
}

/// Check rules as published text: the rules, or every problem under the field `rules`.
pub fn check(text: &str) -> CoreResult<CaseworkRules> {
    if text.len() > MAX_RULES_BYTES {
        return Err(CoreError::invalid(
            CodeError::new("input.too_long").field("rules").arg("max", MAX_RULES_BYTES.to_string()),
        ));
    }
    CaseworkRules::from_toml(text).map_err(|detail| {
        CoreError::invalid(CodeError::new("casework.rules_invalid").field("rules").arg("detail", detail))
    })
}

impl Core<'_> {
    /// Publish rules as the next version and put them in force here (other instances follow
    /// from the change log). City administrators only; rules that do not check are refused
    /// with every problem, and nothing is written.
    pub async fn publish_casework_rules(&self, ctx: &Ctx, text: &str, note: &str) -> CoreResult<i32> {
        ctx.actor.require(Permission::PublishCaseworkRules)?;
        let note = note.trim();
        if note.is_empty() {
            return Err(CoreError::invalid(CodeError::new("input.required").field("note")));
        }
        if note.chars().count() > 500 {
            return Err(CoreError::invalid(CodeError::new("input.too_long").field("note").arg("max", "500")));
        }
        let rules = check(text)?;
        let version = self.store.publish_casework_rules(text, note, &ctx.actor.audit(), ctx.at).await?;
        self.casework.set(version, rules);
        Ok(version)
    }

    /// Put the newest published rules in force on this instance (at start, and when the change
    /// log says a version was published). Returns the version in force.
    pub async fn load_casework_rules(&self) -> CoreResult<i32> {
        match self.store.casework_rules_in_force().await? {
            Some(p) if p.version != self.casework.version() => {
                // Published rules were checked when published; a row that no longer checks
                // (edited by hand) keeps the rules in force and says so.
                match CaseworkRules::from_toml(&p.rules) {
                    Ok(rules) => self.casework.set(p.version, rules),
                    Err(e) => tracing::error!(version = p.version, %e, "published casework rules do not check"),
                }
            }
            _ => {}
        }
        Ok(self.casework.version())
    }

    /// The rules in force and every published version (staff who work cases may read them).
    pub async fn casework_rules(&self, ctx: &Ctx) -> CoreResult<(RulesShown, Vec<PublishedRules>)> {
        ctx.actor.require(Permission::Casework)?;
        let versions = self.store.casework_rule_versions().await?;
        let shown = match versions.first() {
            Some(p) => RulesShown {
                version: p.version,
                rules: p.rules.clone(),
                note: p.note.clone(),
                published: Some(p.clone()),
            },
            None => RulesShown {
                version: EMBEDDED_VERSION,
                rules: jiuye_domain::casework::DEFAULT_RULES.to_string(),
                note: String::new(),
                published: None,
            },
        };
        Ok((shown, versions))
    }
}
