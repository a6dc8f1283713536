//! Loading the catalogue: every file parsed and type-checked against `facts.toml`; every
//! problem reported with its file, line and reason. Nothing here reads the file system — the
//! caller hands in `(file name, text)` pairs.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::*;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// The checked catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub facts: BTreeMap<String, FactDef>,
    pub policies: Vec<Policy>,
}

/// The first line (1-based) at or after `from_line` holding `needle`; `from_line` if none.
fn line_of(text: &str, needle: &str, from_line: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .unwrap_or(from_line.max(1))
}

/// The line of the `n`-th (0-based) occurrence of a `[[table]]` header.
fn nth_header(text: &str, header: &str, n: usize) -> usize {
    text.lines().enumerate().filter(|(_, l)| l.trim() == header).nth(n).map(|(i, _)| i + 1).unwrap_or(1)
}

fn date_of(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = d.date?;
    NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FactFile {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    values: Vec<String>,
    zh: String,
    en: String,
    #[serde(default)]
    source: FactSource,
    #[serde(default)]
    record_for: Vec<Claimant>,
    min: Option<i64>,
    max: Option<i64>,
}

pub fn parse_facts(text: &str) -> Result<BTreeMap<String, FactDef>, Vec<LoadError>> {
    let file = "facts.toml";
    let raw: BTreeMap<String, FactFile> = toml::from_str(text).map_err(|e| {
        vec![LoadError {
            file: file.into(),
            line: e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1)).unwrap_or(1),
            reason: e.message().to_string(),
        }]
    })?;
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, f) in raw {
        let ty = match (f.ty.as_str(), f.values.is_empty()) {
            ("int", true) => FactType::Int,
            ("money", true) => FactType::Money,
            ("bool", true) => FactType::Bool,
            ("date", true) => FactType::Date,
            ("enum", false) => FactType::Enum(f.values),
            ("set", false) => FactType::Set(f.values),
            (t, _) => {
                errors.push(LoadError {
                    file: file.into(),
                    line: line_of(text, &format!("[{name}]"), 1),
                    reason: format!("fact {name}: type {t:?} with values {:?} is not one of int, money, bool, date, enum (with values), set (with values)", f.values),
                });
                continue;
            }
        };
        let line = line_of(text, &format!("[{name}]"), 1);
        let numeric = matches!(ty, FactType::Int | FactType::Money);
        let range = match (numeric, f.min, f.max) {
            (true, Some(lo), Some(hi)) if lo <= hi => Some((lo, hi)),
            (true, Some(lo), Some(hi)) => {
                errors.push(LoadError {
                    file: file.into(),
                    line,
                    reason: format!("fact {name}: min {lo} is above max {hi}"),
                });
                continue;
            }
            (true, _, _) => {
                errors.push(LoadError {
                    file: file.into(),
                    line,
                    reason: format!("fact {name}: an {} fact needs a range (min and max)", ty.name()),
                });
                continue;
            }
            (false, None, None) => None,
            (false, _, _) => {
                errors.push(LoadError {
                    file: file.into(),
                    line,
                    reason: format!("fact {name}: min and max are for int and money facts"),
                });
                continue;
            }
        };
        if !f.record_for.is_empty() && f.source != FactSource::Record {
            errors.push(LoadError {
                file: file.into(),
                line,
                reason: format!("fact {name}: record_for needs source = \"record\""),
            });
            continue;
        }
        out.insert(
            name.clone(),
            FactDef { name, ty, zh: f.zh, en: f.en, source: f.source, record_for: f.record_for, range },
        );
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    facts: &'a BTreeMap<String, FactDef>,
    errors: Vec<LoadError>,
}

impl Checker<'_> {
    fn err(&mut self, line: usize, reason: impl Into<String>) {
        self.errors.push(LoadError { file: self.file.to_string(), line, reason: reason.into() });
    }

    fn fact(&mut self, name: &str, line: usize) -> Option<FactType> {
        match self.facts.get(name) {
            Some(f) => Some(f.ty.clone()),
            None => {
                self.err(line, format!("unknown fact {name:?} (not in facts.toml)"));
                None
            }
        }
    }

    fn operand(&mut self, c: &CriterionFile, ty: &FactType, line: usize) -> Option<Operand> {
        use toml::Value as T;
        let wrong = |this: &mut Self, what: &str| {
            this.err(
                line,
                format!("fact {:?} is {}: op {:?} needs {what}, got {:?}", c.fact, ty.name(), c.op, c.value),
            );
            None
        };
        let known = |this: &mut Self, v: &str, values: &[String]| -> bool {
            if values.iter().any(|x| x == v) {
                true
            } else {
                this.err(line, format!("value {v:?} is not one of the values of fact {:?}: {values:?}", c.fact));
                false
            }
        };
        match (c.op, ty, &c.value) {
            (Op::True | Op::False, FactType::Bool, None) => Some(Operand::None),
            (Op::True | Op::False, _, _) => wrong(self, "a bool fact and no value"),
            (Op::Eq | Op::Ne | Op::Ge | Op::Le, FactType::Int | FactType::Money, Some(T::Integer(i))) => {
                Some(Operand::Int(*i))
            }
            (Op::Eq | Op::Ne, FactType::Enum(values), Some(T::String(s))) => {
                known(self, s, values).then(|| Operand::Text(s.clone()))
            }
            (Op::Ge | Op::Le, FactType::Date, Some(T::Datetime(d)))
            | (Op::Eq | Op::Ne, FactType::Date, Some(T::Datetime(d))) => match date_of(d) {
                Some(d) => Some(Operand::Text(d.to_string())),
                None => wrong(self, "a date"),
            },
            (Op::In, FactType::Enum(values), Some(T::Array(items))) => {
                let mut out = Vec::new();
                for it in items {
                    match it {
                        T::String(s) if known(self, s, values) => out.push(s.clone()),
                        T::String(_) => return None,
                        _ => return wrong(self, "a list of strings"),
                    }
                }
                Some(Operand::Texts(out))
            }
            (Op::Between, FactType::Int | FactType::Money, Some(T::Array(items))) => match items.as_slice() {
                [T::Integer(a), T::Integer(b)] if a <= b => Some(Operand::Range(*a, *b)),
                [T::Integer(a), T::Integer(b)] => {
                    self.err(line, format!("between [{a}, {b}]: the lower end is above the upper"));
                    None
                }
                _ => wrong(self, "[low, high] integers"),
            },
            (Op::Contains, FactType::Set(values), Some(T::String(s))) => {
                known(self, s, values).then(|| Operand::Text(s.clone()))
            }
            (Op::Eq | Op::Ne, FactType::Bool, _) => wrong(self, "op true or false for a bool fact"),
            _ => wrong(self, "a value this op accepts for this type"),
        }
    }

    fn param_exists(&mut self, p: &PolicyFile, name: &str, want_unit: &[&str]) {
        match p.parameters.get(name) {
            None => {
                let line = line_of(self.text, &format!("\"{name}\""), 1);
                self.err(line, format!("parameter {name:?} is used but not defined under [parameters.{name}]"));
            }
            Some(param) if !want_unit.contains(&param.unit.as_str()) => {
                let line = line_of(self.text, &format!("[parameters.{name}]"), 1);
                self.err(
                    line,
                    format!("parameter {name:?} has unit {:?}, here it must be one of {want_unit:?}", param.unit),
                );
            }
            Some(_) => {}
        }
    }
}

/// Parse and check one policy file.
pub fn check_policy(file: &str, text: &str, facts: &BTreeMap<String, FactDef>) -> Result<Policy, Vec<LoadError>> {
    let p: PolicyFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1)).unwrap_or(1);
        vec![LoadError { file: file.to_string(), line, reason: e.message().to_string() }]
    })?;
    let mut c = Checker { file, text, facts, errors: Vec::new() };
    let from = date_of(&p.effective_from);
    let to = p.effective_to.as_ref().and_then(date_of);
    if from.is_none() {
        c.err(line_of(text, "effective_from", 1), "effective_from must be a date");
    }
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        c.err(line_of(text, "effective_to", 1), format!("effective_to {t} is before effective_from {f}"));
    }
    if p.id.is_empty() || !p.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') {
        c.err(line_of(text, "id", 1), format!("id {:?} must be snake_case letters and digits", p.id));
    }
    if p.per_person && p.claimant == Claimant::Person {
        c.err(
            line_of(text, "per_person", 1),
            "per_person is for employer or organisation claims: a person's claim is per person already",
        );
    }
    if p.record.is_some() && p.claimant != Claimant::Person {
        c.err(line_of(text, "record", 1), "record is for a person's claim about their own certificate or training");
    }
    if p.claim_window_months.is_some() && p.record.is_none() {
        c.err(
            line_of(text, "claim_window_months", 1),
            "claim_window_months counts from the record's date: name the record the claim is about",
        );
    }
    let mut criteria = Vec::new();
    for (i, cf) in p.criteria.iter().enumerate() {
        let line = line_of(text, &format!("\"{}\"", cf.fact), nth_header(text, "[[criteria]]", i));
        let Some(ty) = c.fact(&cf.fact, line) else { continue };
        if let Some(operand) = c.operand(cf, &ty, line) {
            criteria.push(Criterion { fact: cf.fact.clone(), op: cf.op, operand, reason: cf.reason.clone() });
        }
    }
    let amount_line = line_of(text, "[amount]", 1);
    let a = &p.amount;
    let need = |c: &mut Checker, v: &Option<String>, what: &str| -> Option<String> {
        if v.is_none() {
            c.err(amount_line, format!("amount kind {:?} needs `{what}`", a.kind));
        }
        v.clone()
    };
    let amount = match a.kind {
        AmountKind::Fixed => need(&mut c, &a.param, "param").map(|param| {
            c.param_exists(&p, &param, &["fen"]);
            Amount::Fixed { param }
        }),
        AmountKind::PerUnit => match (need(&mut c, &a.param, "param"), need(&mut c, &a.fact, "fact")) {
            (Some(param), Some(fact)) => {
                c.param_exists(&p, &param, &["fen"]);
                match c.fact(&fact, amount_line) {
                    Some(FactType::Int) => Some(Amount::PerUnit { param, fact }),
                    Some(t) => {
                        c.err(amount_line, format!("per_unit needs an int fact; {fact:?} is {}", t.name()));
                        None
                    }
                    None => None,
                }
            }
            _ => None,
        },
        AmountKind::Rate => match (need(&mut c, &a.param, "param"), need(&mut c, &a.fact, "fact")) {
            (Some(param), Some(fact)) => {
                c.param_exists(&p, &param, &["permille"]);
                if let Some(cap) = &a.cap {
                    c.param_exists(&p, cap, &["fen"]);
                }
                match c.fact(&fact, amount_line) {
                    Some(FactType::Money) => Some(Amount::Rate { fact, param, cap: a.cap.clone() }),
                    Some(t) => {
                        c.err(amount_line, format!("rate needs a money fact; {fact:?} is {}", t.name()));
                        None
                    }
                    None => None,
                }
            }
            _ => None,
        },
        AmountKind::Table => match need(&mut c, &a.fact, "fact") {
            Some(fact) => {
                let ty = c.fact(&fact, amount_line);
                let rows_file = a.rows.clone().unwrap_or_default();
                if rows_file.is_empty() {
                    c.err(amount_line, "a table needs rows");
                }
                let mut rows = Vec::new();
                for r in &rows_file {
                    c.param_exists(&p, &r.param, &["fen"]);
                    let line = line_of(text, &format!("\"{}\"", r.param), amount_line);
                    match (&ty, &r.when, r.min) {
                        (Some(FactType::Enum(values)), Some(toml::Value::String(s)), None) => {
                            if !values.contains(s) {
                                c.err(
                                    line,
                                    format!("row value {s:?} is not one of the values of {fact:?}: {values:?}"),
                                );
                            } else if rows.iter().any(|x: &Row| matches!(&x.when, RowMatch::Value(v) if v == s)) {
                                c.err(line, format!("two rows for {s:?}"));
                            } else {
                                rows.push(Row { when: RowMatch::Value(s.clone()), param: r.param.clone() });
                            }
                        }
                        (Some(FactType::Int | FactType::Money), None, Some(min)) => {
                            if r.max.is_some_and(|max| max < min) {
                                c.err(line, format!("row {min}–{:?}: max below min", r.max));
                            }
                            let overlaps = rows.iter().any(|x: &Row| match x.when {
                                RowMatch::Range { min: m2, max: x2 } => {
                                    min <= x2.unwrap_or(i64::MAX) && m2 <= r.max.unwrap_or(i64::MAX)
                                }
                                RowMatch::Value(_) => false,
                            });
                            if overlaps {
                                c.err(line, format!("row from {min} overlaps another row"));
                            }
                            rows.push(Row { when: RowMatch::Range { min, max: r.max }, param: r.param.clone() });
                        }
                        (Some(t), _, _) => c.err(
                            line,
                            format!(
                                "table on {fact:?} ({}): rows need `when` for enums, `min` (and `max`) for numbers",
                                t.name()
                            ),
                        ),
                        (None, _, _) => {}
                    }
                }
                Some(Amount::Table { fact, rows })
            }
            None => None,
        },
    };
    // Parameters: dated values in order, covering the policy from its first day.
    let mut parameters = BTreeMap::new();
    for (name, pf) in &p.parameters {
        let line = line_of(text, &format!("[parameters.{name}]"), 1);
        if !["fen", "permille", "count"].contains(&pf.unit.as_str()) {
            c.err(line, format!("parameter {name:?}: unit {:?} is not fen, permille or count", pf.unit));
        }
        let mut values = Vec::new();
        for v in &pf.values {
            match date_of(&v.from) {
                Some(d) => values.push((d, v.value)),
                None => c.err(line, format!("parameter {name:?}: `from` must be a date")),
            }
        }
        if values.is_empty() {
            c.err(line, format!("parameter {name:?} has no values"));
        }
        if values.windows(2).any(|w| w[1].0 <= w[0].0) {
            c.err(line, format!("parameter {name:?}: dates must strictly increase (overlapping or repeated `from`)"));
        }
        if let (Some(first), Some(f)) = (values.first(), from)
            && first.0 > f
        {
            c.err(line, format!("parameter {name:?} starts {} but the policy is in force from {f}: a gap", first.0));
        }
        if values.iter().any(|(_, v)| *v < 0) {
            c.err(line, format!("parameter {name:?}: amounts are never negative"));
        }
        parameters.insert(
            name.clone(),
            Parameter { name: name.clone(), unit: pf.unit.clone(), to_confirm: pf.to_confirm, values },
        );
    }
    let (cap_per_period, cap_lifetime) = match &p.caps {
        Some(caps) => {
            for n in caps.per_period_fen.iter().chain(caps.lifetime_fen.iter()) {
                c.param_exists(&p, n, &["fen"]);
            }
            (caps.per_period_fen.clone(), caps.lifetime_fen.clone())
        }
        None => (None, None),
    };
    let used = |n: &String| {
        let in_amount = match &amount {
            Some(Amount::Fixed { param }) | Some(Amount::PerUnit { param, .. }) => param == n,
            Some(Amount::Rate { param, cap, .. }) => param == n || cap.as_ref() == Some(n),
            Some(Amount::Table { rows, .. }) => rows.iter().any(|r| &r.param == n),
            None => true,
        };
        in_amount || cap_per_period.as_ref() == Some(n) || cap_lifetime.as_ref() == Some(n)
    };
    for name in p.parameters.keys() {
        if !used(name) {
            c.err(line_of(text, &format!("[parameters.{name}]"), 1), format!("parameter {name:?} is never used"));
        }
    }
    match (c.errors.is_empty(), amount, from) {
        (true, Some(amount), Some(from)) => Ok(Policy {
            file: file.to_string(),
            group: p.group.clone().unwrap_or_else(|| p.id.clone()),
            id: p.id,
            version: p.version,
            title: p.title,
            claimant: p.claimant,
            per_person: p.per_person,
            effective_from: from,
            effective_to: to,
            legal_source: p.legal_source,
            budget_line: p.budget_line,
            period: p.period,
            evidence: p.evidence,
            note: p.note,
            criteria,
            amount,
            cap_per_period,
            cap_lifetime,
            parameters,
            record: p.record,
            claim_window_months: p.claim_window_months,
        }),
        _ => Err(c.errors),
    }
}

impl Catalogue {
    /// Check `facts.toml` and every policy file; also that versions of one id do not overlap
    /// in time. Every problem is returned, not just the first.
    pub fn load(facts_text: &str, files: &[(&str, &str)]) -> Result<Catalogue, Vec<LoadError>> {
        let facts = parse_facts(facts_text)?;
        let mut errors = Vec::new();
        let mut policies: Vec<Policy> = Vec::new();
        for (file, text) in files {
            match check_policy(file, text, &facts) {
                Ok(p) => policies.push(p),
                Err(e) => errors.extend(e),
            }
        }
        policies.sort_by(|a, b| a.id.cmp(&b.id).then(a.effective_from.cmp(&b.effective_from)));
        for w in policies.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.id == b.id && a.effective_to.is_none_or(|to| to >= b.effective_from) {
                errors.push(LoadError {
                    file: b.file.clone(),
                    line: line_of(files.iter().find(|f| f.0 == b.file).map_or("", |f| f.1), "effective_from", 1),
                    reason: format!(
                        "{} overlaps {} ({}): versions of one policy must not overlap in time",
                        b.key(),
                        a.key(),
                        a.file
                    ),
                });
            }
            if a.id == b.id && a.version == b.version {
                errors.push(LoadError {
                    file: b.file.clone(),
                    line: 1,
                    reason: format!("version {} of {} appears twice", b.version, b.id),
                });
            }
        }
        if errors.is_empty() { Ok(Catalogue { facts, policies }) } else { Err(errors) }
    }

    /// The embedded catalogue (the `policies/` folder the binary was built with).
    pub fn builtin() -> Result<Catalogue, Vec<LoadError>> {
        Catalogue::load(crate::embedded::FACTS, crate::embedded::POLICIES)
    }

    /// The version of `id` in force on `date`.
    pub fn policy(&self, id: &str, date: NaiveDate) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id == id && p.in_force(date))
    }

    /// Every version of `id`, oldest first.
    pub fn versions(&self, id: &str) -> Vec<&Policy> {
        self.policies.iter().filter(|p| p.id == id).collect()
    }

    /// The latest version of each policy.
    pub fn latest(&self) -> Vec<&Policy> {
        let mut out: Vec<&Policy> = Vec::new();
        for p in &self.policies {
            match out.iter_mut().find(|x| x.id == p.id) {
                Some(x) if x.effective_from < p.effective_from => *x = p,
                Some(_) => {}
                None => out.push(p),
            }
        }
        out
    }
}
