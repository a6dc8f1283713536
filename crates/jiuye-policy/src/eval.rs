//! Deciding a claim: every criterion checked and explained (not just the first failure), the
//! amount from the parameters in force on the date, the caps against what was already paid.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use jiuye_domain::messages::{Lang, render};

use crate::model::*;

/// The facts of one claimant, by name.
pub type Facts = BTreeMap<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Eligible,
    Ineligible,
    Undetermined,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Eligible => "eligible",
            Outcome::Ineligible => "ineligible",
            Outcome::Undetermined => "undetermined",
        }
    }
}

/// Why, with where the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub zh: String,
    pub en: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub amount_fen: i64,
    /// Ineligible: every failed criterion. Eligible: what made it so.
    pub reasons: Vec<Reason>,
    pub missing: Vec<String>,
    /// Every step, in order, for the explanation page and the audit.
    pub trace: Vec<String>,
    pub policy_version: String,
}

fn engine_reason(p: &Policy, key: &'static str, args: &[(&'static str, String)]) -> Reason {
    Reason { zh: render(key, Lang::Zh, args), en: render(key, Lang::En, args), source: p.legal_source.clone() }
}

/// Does the criterion hold? `None` when the fact is missing or of another type.
fn holds(c: &Criterion, v: &Value) -> Option<bool> {
    Some(match (&c.op, &c.operand, v) {
        (Op::True, _, Value::Bool(b)) => *b,
        (Op::False, _, Value::Bool(b)) => !*b,
        (Op::Eq, Operand::Int(x), Value::Int(i)) => i == x,
        (Op::Ne, Operand::Int(x), Value::Int(i)) => i != x,
        (Op::Ge, Operand::Int(x), Value::Int(i)) => i >= x,
        (Op::Le, Operand::Int(x), Value::Int(i)) => i <= x,
        (Op::Between, Operand::Range(lo, hi), Value::Int(i)) => lo <= i && i <= hi,
        (Op::Eq, Operand::Text(x), Value::Text(s)) => s == x,
        (Op::Ne, Operand::Text(x), Value::Text(s)) => s != x,
        (Op::Eq, Operand::Text(x), Value::Date(d)) => d.to_string() == *x,
        (Op::Ne, Operand::Text(x), Value::Date(d)) => d.to_string() != *x,
        (Op::Ge, Operand::Text(x), Value::Date(d)) => d.to_string().as_str() >= x.as_str(),
        (Op::Le, Operand::Text(x), Value::Date(d)) => d.to_string().as_str() <= x.as_str(),
        (Op::In, Operand::Texts(xs), Value::Text(s)) => xs.contains(s),
        (Op::Contains, Operand::Text(x), Value::Set(items)) => items.contains(x),
        _ => return None,
    })
}

/// Each criterion of the policy with whether the facts meet it (`None`: the fact is unknown or
/// of another type) — the ✓/✗ list a reviewer reads.
pub fn criteria_status<'p>(p: &'p Policy, facts: &Facts) -> Vec<(&'p Criterion, Option<bool>)> {
    p.criteria.iter().map(|c| (c, facts.get(&c.fact).and_then(|v| holds(c, v)))).collect()
}

/// Trace lines, written only when explaining.
struct Trace {
    on: bool,
    lines: Vec<String>,
}

impl Trace {
    fn push_with(&mut self, line: impl FnOnce() -> String) {
        if self.on {
            self.lines.push(line());
        }
    }
}

fn param(p: &Policy, name: &str, date: NaiveDate, trace: &mut Trace) -> Option<i64> {
    let prm = p.parameters.get(name)?;
    let v = prm.at(date)?;
    trace.push_with(|| {
        format!(
            "parameter {name} = {v} {} on {date}{}",
            prm.unit,
            if prm.to_confirm { " (local decision, to confirm)" } else { "" }
        )
    });
    Some(v)
}

/// Decide `facts` against `policy` as of `date`, with every reason and the trace.
pub fn evaluate(p: &Policy, facts: &Facts, date: NaiveDate) -> Decision {
    decide(p, facts, date, true)
}

/// The outcome and amount only, with no texts: for screening millions (`missing` still names
/// the facts, `reasons` and `trace` stay empty). Same rules, same results as [`evaluate`].
pub fn evaluate_quiet(p: &Policy, facts: &Facts, date: NaiveDate) -> Decision {
    decide(p, facts, date, false)
}

fn decide(p: &Policy, facts: &Facts, date: NaiveDate, explain: bool) -> Decision {
    let mut trace = Trace { on: explain, lines: Vec::new() };
    let mut reasons = Vec::new();
    let mut missing = Vec::new();
    let done = |outcome, amount_fen, reasons, missing, trace: Trace| Decision {
        outcome,
        amount_fen,
        reasons,
        missing,
        trace: trace.lines,
        policy_version: p.key(),
    };
    if !p.in_force(date) {
        let to = p.effective_to.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
        let r = engine_reason(
            p,
            "policy.not_in_force",
            &[("date", date.to_string()), ("from", p.effective_from.to_string()), ("to", to)],
        );
        trace.push_with(|| format!("{date} is outside {} – {:?}", p.effective_from, p.effective_to));
        return done(Outcome::Ineligible, 0, vec![r], missing, trace);
    }
    let mut failed = Vec::new();
    let mut failed_n = 0usize;
    for c in &p.criteria {
        match facts.get(&c.fact) {
            None => {
                trace.push_with(|| format!("? {}: not known", c.fact));
                if !missing.contains(&c.fact) {
                    missing.push(c.fact.clone());
                }
            }
            Some(v) => match holds(c, v) {
                Some(true) => {
                    trace.push_with(|| format!("✓ {} = {v} ({:?} {:?})", c.fact, c.op, c.operand));
                    if explain {
                        reasons.push(Reason {
                            zh: c.reason.zh.clone(),
                            en: c.reason.en.clone(),
                            source: p.legal_source.clone(),
                        });
                    }
                }
                Some(false) => {
                    trace.push_with(|| format!("✗ {} = {v} ({:?} {:?})", c.fact, c.op, c.operand));
                    failed_n += 1;
                    if explain {
                        failed.push(Reason {
                            zh: c.reason.zh.clone(),
                            en: c.reason.en.clone(),
                            source: p.legal_source.clone(),
                        });
                    }
                }
                None => {
                    trace.push_with(|| format!("? {} = {v}: not of the type the rule compares", c.fact));
                    missing.push(c.fact.clone());
                }
            },
        }
    }
    if failed_n > 0 {
        return done(Outcome::Ineligible, 0, failed, missing, trace);
    }
    // The amount.
    let int_fact = |name: &str, trace: &mut Trace, missing: &mut Vec<String>| -> Option<i64> {
        match facts.get(name) {
            Some(Value::Int(i)) => {
                trace.push_with(|| format!("{name} = {i}"));
                Some(*i)
            }
            _ => {
                if !missing.iter().any(|m| m == name) {
                    missing.push(name.to_string());
                }
                None
            }
        }
    };
    let amount = match &p.amount {
        Amount::Fixed { param: n } => param(p, n, date, &mut trace),
        Amount::PerUnit { param: n, fact } => {
            let units = int_fact(fact, &mut trace, &mut missing);
            let per = param(p, n, date, &mut trace);
            match units.zip(per) {
                None => None,
                Some((u, per)) => match u.checked_mul(per).filter(|a| *a >= 0) {
                    Some(a) => {
                        trace.push_with(|| format!("{u} × {per} = {a} fen"));
                        Some(a)
                    }
                    None => return overflow(p, trace, missing),
                },
            }
        }
        Amount::Rate { fact, param: n, cap } => {
            let base = int_fact(fact, &mut trace, &mut missing);
            let rate = param(p, n, date, &mut trace);
            match base.zip(rate) {
                None => None,
                Some((b, r)) => {
                    let Some(mut a) = b.checked_mul(r).map(|x| x / 1000).filter(|a| *a >= 0) else {
                        return overflow(p, trace, missing);
                    };
                    trace.push_with(|| format!("{b} × {r}‰ = {a} fen"));
                    if let Some(cap) = cap.as_ref().and_then(|c| param(p, c, date, &mut trace))
                        && a > cap
                    {
                        trace.push_with(|| format!("capped at {cap} fen"));
                        a = cap;
                    }
                    Some(a)
                }
            }
        }
        Amount::Table { fact, rows } => match facts.get(fact) {
            None => {
                if !missing.contains(fact) {
                    missing.push(fact.clone());
                }
                None
            }
            Some(v) => {
                let row = rows.iter().find(|r| match (&r.when, v) {
                    (RowMatch::Value(x), Value::Text(s)) => x == s,
                    (RowMatch::Range { min, max }, Value::Int(i)) => min <= i && max.is_none_or(|m| *i <= m),
                    _ => false,
                });
                match row {
                    Some(r) => {
                        trace.push_with(|| format!("{fact} = {v}: row {:?}", r.when));
                        param(p, &r.param, date, &mut trace)
                    }
                    None => {
                        trace.push_with(|| format!("{fact} = {v}: no row of the table"));
                        let r = engine_reason(p, "policy.no_row", &[("fact", fact.clone()), ("value", v.to_string())]);
                        return done(Outcome::Ineligible, 0, vec![r], missing, trace);
                    }
                }
            }
        },
    };
    if !missing.is_empty() {
        return done(Outcome::Undetermined, 0, reasons, missing, trace);
    }
    let Some(mut amount) = amount else {
        trace.push_with(|| "no parameter value in force".into());
        return done(Outcome::Undetermined, 0, reasons, missing, trace);
    };
    // Caps against what the claims ledger says was paid.
    let paid = |name: &str| match facts.get(name) {
        Some(Value::Int(i)) => *i,
        _ => 0,
    };
    for (cap, paid_fact) in [(&p.cap_per_period, "paid_in_period_fen"), (&p.cap_lifetime, "paid_lifetime_fen")] {
        let Some(cap) = cap.as_ref().and_then(|c| param(p, c, date, &mut trace)) else { continue };
        let Some(left) = cap.checked_sub(paid(paid_fact)) else { return overflow(p, trace, missing) };
        trace.push_with(|| format!("cap {cap} fen, already paid {} fen, left {left} fen", paid(paid_fact)));
        if left <= 0 {
            let r = engine_reason(p, "policy.cap_reached", &[("cap", format!("{:.2}", cap as f64 / 100.0))]);
            return done(Outcome::Ineligible, 0, vec![r], missing, trace);
        }
        amount = amount.min(left);
    }
    if amount <= 0 {
        // Nothing to pay is not a claim: it is never filed, so it never holds the paid-once key.
        trace.push_with(|| format!("amount {amount} fen: nothing to pay"));
        let r = engine_reason(p, "policy.zero_amount", &[]);
        return done(Outcome::Ineligible, 0, vec![r], missing, trace);
    }
    trace.push_with(|| format!("amount {amount} fen"));
    done(Outcome::Eligible, amount, reasons, missing, trace)
}

/// An amount that does not fit in 64-bit fen: refused, never saturated.
fn overflow(p: &Policy, mut trace: Trace, missing: Vec<String>) -> Decision {
    trace.push_with(|| "amount overflows: refused".into());
    Decision {
        outcome: Outcome::Ineligible,
        amount_fen: 0,
        reasons: vec![engine_reason(p, "policy.amount_overflow", &[])],
        missing,
        trace: trace.lines,
        policy_version: p.key(),
    }
}

/// Facts from JSON by the catalogue's types; every problem named by its fact.
pub fn facts_from_json(defs: &BTreeMap<String, FactDef>, json: &serde_json::Value) -> Result<Facts, Vec<String>> {
    let Some(obj) = json.as_object() else { return Err(vec!["facts must be a JSON object".into()]) };
    let mut out = Facts::new();
    let mut errors = Vec::new();
    for (k, v) in obj {
        let Some(def) = defs.get(k) else {
            errors.push(format!("{k}: unknown fact"));
            continue;
        };
        let parsed = match (&def.ty, v) {
            (FactType::Int | FactType::Money, serde_json::Value::Number(n)) => match (n.as_i64(), def.range) {
                (Some(i), Some((lo, hi))) if i < lo || i > hi => {
                    errors.push(format!("{k}: must be between {lo} and {hi}"));
                    continue;
                }
                (i, _) => i.map(Value::Int),
            },
            (FactType::Bool, serde_json::Value::Bool(b)) => Some(Value::Bool(*b)),
            (FactType::Date, serde_json::Value::String(s)) => {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Value::Date)
            }
            (FactType::Enum(values), serde_json::Value::String(s)) if values.contains(s) => {
                Some(Value::Text(s.clone()))
            }
            (FactType::Set(values), serde_json::Value::Array(items)) => {
                let mut set = Vec::new();
                for it in items {
                    match it.as_str() {
                        Some(s) if values.iter().any(|x| x == s) => set.push(s.to_string()),
                        _ => {
                            set.clear();
                            break;
                        }
                    }
                }
                (set.len() == items.len()).then_some(Value::Set(set))
            }
            _ => None,
        };
        match parsed {
            Some(v) => {
                out.insert(k.clone(), v);
            }
            None => errors.push(format!(
                "{k}: expected {} {}",
                def.ty.name(),
                match &def.ty {
                    FactType::Enum(v) | FactType::Set(v) => format!("of {v:?}"),
                    _ => String::new(),
                }
            )),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Facts from a TOML table (the policy test files), by converting to JSON first.
pub fn facts_from_toml(defs: &BTreeMap<String, FactDef>, table: &toml::Table) -> Result<Facts, Vec<String>> {
    let json = serde_json::to_value(table).map_err(|e| vec![e.to_string()])?;
    facts_from_json(defs, &json)
}

/// Facts that cannot hold together (`(fact, values, other fact, the other's allowed values)`):
/// a certificate without levels given a level, a graded one given none.
const CONSISTENT: &[(&str, &[&str], &str, &[&str])] = &[
    ("certificate_kind", &["special_ability", "training_completion"], "certificate_level", &["none"]),
    (
        "certificate_kind",
        &["vocational_qualification", "skill_level"],
        "certificate_level",
        &["five", "four", "three", "two", "one"],
    ),
];

/// Every contradiction among the facts, as (the fact at fault, the one it contradicts).
pub fn contradictions(facts: &Facts) -> Vec<(String, String)> {
    let text = |name: &str| match facts.get(name) {
        Some(Value::Text(s)) => Some(s.as_str()),
        _ => None,
    };
    let mut out = Vec::new();
    for (fact, values, other, allowed) in CONSISTENT {
        if let (Some(v), Some(o)) = (text(fact), text(other))
            && values.contains(&v)
            && !allowed.contains(&o)
        {
            out.push(((*other).to_string(), (*fact).to_string()));
        }
    }
    out
}
