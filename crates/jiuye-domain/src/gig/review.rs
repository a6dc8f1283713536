//! The automatic review of a gig post (即时快招): what holds a post for staff instead of
//! publishing it at once. The minimum wage is a dated parameter with its source
//! (`data/gig/minimum_wage.toml`); the wording rules are data with the law each word would break
//! (`data/gig/review_words.toml`).

use chrono::NaiveDate;
use serde::Deserialize;

use crate::CodeError;

const MINIMUM_WAGE: &str = include_str!("../../data/gig/minimum_wage.toml");
const REVIEW_WORDS: &str = include_str!("../../data/gig/review_words.toml");

/// One minimum-wage standard, in force from a day until the next one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinimumWage {
    pub from: NaiveDate,
    pub monthly_fen: i64,
    pub hourly_fen: i64,
    pub source: String,
}

/// A kind of wording that holds a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordKind {
    Discriminatory,
    Fee,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordRule {
    pub kind: WordKind,
    pub source: String,
    pub words: Vec<String>,
}

/// The review's parameters.
#[derive(Debug, Clone)]
pub struct ReviewRules {
    standards: Vec<MinimumWage>,
    words: Vec<WordRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WageFile {
    standard: Vec<MinimumWage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordFile {
    rule: Vec<WordRule>,
}

fn refused(file: &str, reason: impl Into<String>) -> CodeError {
    CodeError::new("gig.rules_invalid").arg("file", file).arg("reason", reason.into())
}

impl ReviewRules {
    /// The embedded rules (a test checks that they load).
    pub fn embedded() -> ReviewRules {
        ReviewRules::parse(MINIMUM_WAGE, REVIEW_WORDS)
            .unwrap_or_else(|_| ReviewRules { standards: Vec::new(), words: Vec::new() })
    }

    pub fn parse(wages: &str, words: &str) -> Result<ReviewRules, CodeError> {
        let w: WageFile = toml::from_str(wages).map_err(|e| refused("minimum_wage.toml", e.to_string()))?;
        let mut standards = w.standard;
        standards.sort_by_key(|s| s.from);
        if standards.is_empty() {
            return Err(refused("minimum_wage.toml", "no standard"));
        }
        for s in &standards {
            if s.monthly_fen <= 0 || s.hourly_fen <= 0 || s.source.trim().is_empty() {
                return Err(refused(
                    "minimum_wage.toml",
                    format!("{}: amounts must be positive, with a source", s.from),
                ));
            }
        }
        if standards.windows(2).any(|p| p[0].from == p[1].from) {
            return Err(refused("minimum_wage.toml", "two standards from one day"));
        }
        let r: WordFile = toml::from_str(words).map_err(|e| refused("review_words.toml", e.to_string()))?;
        for rule in &r.rule {
            if rule.source.trim().is_empty() || rule.words.iter().any(|w| w.trim().is_empty()) {
                return Err(refused("review_words.toml", "every rule needs a source and non-empty words"));
            }
        }
        Ok(ReviewRules { standards, words: r.rule })
    }

    /// The standard in force on a day (`None` before the first one known).
    pub fn minimum_wage_on(&self, day: NaiveDate) -> Option<&MinimumWage> {
        self.standards.iter().rev().find(|s| s.from <= day)
    }

    /// The wording rules a text trips, with the word found.
    pub fn wording(&self, text: &str) -> Vec<(&WordRule, &str)> {
        let mut out = Vec::new();
        for rule in &self.words {
            if let Some(w) = rule.words.iter().find(|w| text.contains(w.as_str())) {
                out.push((rule, w.as_str()));
            }
        }
        out
    }
}
