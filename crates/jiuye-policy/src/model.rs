//! The policy files as written (`*File`, deserialized from TOML) and as checked (`Policy`):
//! the loader turns the first into the second or says, with file and line, why it cannot.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Claimant {
    Person,
    Employer,
    Organisation,
}

impl Claimant {
    pub fn as_str(self) -> &'static str {
        match self {
            Claimant::Person => "person",
            Claimant::Employer => "employer",
            Claimant::Organisation => "organisation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetLine {
    Central,
    Local,
    Other,
}

impl BudgetLine {
    pub const ALL: [BudgetLine; 3] = [BudgetLine::Central, BudgetLine::Local, BudgetLine::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            BudgetLine::Central => "central",
            BudgetLine::Local => "local",
            BudgetLine::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Once,
    Year,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Once => "once",
            Period::Year => "year",
            Period::Month => "month",
        }
    }

    /// The first day of the period a date falls in (`once`: the earliest date there is).
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        match self {
            Period::Once => NaiveDate::MIN,
            Period::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
            Period::Month => d.with_day(1).unwrap_or(d),
        }
    }

    /// The period a date falls in: `once`, `2024`, `2024-05`.
    pub fn key(self, d: NaiveDate) -> String {
        match self {
            Period::Once => "once".to_string(),
            Period::Year => d.format("%Y").to_string(),
            Period::Month => d.format("%Y-%m").to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    In,
    Ge,
    Le,
    Between,
    True,
    False,
    Contains,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub claimant: Claimant,
    pub effective_from: toml::value::Datetime,
    pub effective_to: Option<toml::value::Datetime>,
    pub legal_source: String,
    pub budget_line: BudgetLine,
    pub group: Option<String>,
    /// Employer or organisation claims made per named person (an intern, a public-welfare
    /// employee): paid once and capped per that person, whoever claims.
    #[serde(default)]
    pub per_person: bool,
    pub period: Period,
    #[serde(default)]
    pub evidence: Vec<String>,
    pub note: Option<Text>,
    #[serde(default)]
    pub criteria: Vec<CriterionFile>,
    pub amount: AmountFile,
    pub caps: Option<CapsFile>,
    #[serde(default)]
    pub parameters: BTreeMap<String, ParamFile>,
    /// The platform record a claim under this policy is about (a certificate, a training
    /// enrolment): the claim names it, its facts and its date come from it, and so the subsidy
    /// is paid once per record whatever date the claimant gives.
    pub record: Option<RecordKind>,
    /// With `record`: the claim must be filed within this many months of the record's date.
    pub claim_window_months: Option<u32>,
}

/// The kind of record a claim may be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Certificate,
    Enrolment,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Certificate => "certificate",
            RecordKind::Enrolment => "enrolment",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionFile {
    pub fact: String,
    pub op: Op,
    pub value: Option<toml::Value>,
    pub reason: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountKind {
    Fixed,
    PerUnit,
    Table,
    Rate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountFile {
    pub kind: AmountKind,
    pub param: Option<String>,
    pub fact: Option<String>,
    pub rows: Option<Vec<RowFile>>,
    pub cap: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowFile {
    pub when: Option<toml::Value>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub param: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapsFile {
    pub per_period_fen: Option<String>,
    pub lifetime_fen: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamFile {
    /// `fen`, `permille` or `count`.
    pub unit: String,
    #[serde(default)]
    pub to_confirm: bool,
    pub values: Vec<DatedFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedFile {
    pub from: toml::value::Datetime,
    pub value: i64,
}

/// The type of a fact (`facts.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "values", rename_all = "snake_case")]
pub enum FactType {
    Int,
    Money,
    Bool,
    Date,
    Enum(Vec<String>),
    Set(Vec<String>),
}

impl FactType {
    pub fn name(&self) -> &'static str {
        match self {
            FactType::Int => "int",
            FactType::Money => "money",
            FactType::Bool => "bool",
            FactType::Date => "date",
            FactType::Enum(_) => "enum",
            FactType::Set(_) => "set",
        }
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    /// Stated by the claimant, with the evidence the policy asks for; shown to the reviewer
    /// as *to verify*.
    #[default]
    Declared,
    /// Derived by the platform from its records (age, recognitions, certificates, training,
    /// what was paid); a claimant can never supply or override it.
    Record,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactDef {
    pub name: String,
    #[serde(flatten)]
    pub ty: FactType,
    pub zh: String,
    pub en: String,
    pub source: FactSource,
    /// With `source = record`: the claimant kinds for whom the records give it (empty: all);
    /// the others declare it.
    pub record_for: Vec<Claimant>,
    /// Int and money facts: the smallest and largest value a claim may state (inclusive).
    pub range: Option<(i64, i64)>,
}

impl FactDef {
    /// Does this fact come from the records for this kind of claimant?
    pub fn from_records(&self, claimant: Claimant) -> bool {
        self.source == FactSource::Record && (self.record_for.is_empty() || self.record_for.contains(&claimant))
    }
}

/// A fact's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    Text(String),
    Set(Vec<String>),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Text(s) => f.write_str(s),
            Value::Set(v) => write!(f, "[{}]", v.join(", ")),
        }
    }
}

/// What a criterion compares with, checked against the fact's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Operand {
    None,
    Int(i64),
    Text(String),
    Texts(Vec<String>),
    Range(i64, i64),
}

#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub fact: String,
    pub op: Op,
    pub operand: Operand,
    pub reason: Text,
}

#[derive(Debug, Clone, Serialize)]
pub enum RowMatch {
    Value(String),
    Range { min: i64, max: Option<i64> },
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub when: RowMatch,
    pub param: String,
}

#[derive(Debug, Clone, Serialize)]
pub enum Amount {
    Fixed { param: String },
    PerUnit { param: String, fact: String },
    Table { fact: String, rows: Vec<Row> },
    Rate { fact: String, param: String, cap: Option<String> },
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    pub name: String,
    pub unit: String,
    pub to_confirm: bool,
    /// (from, value), `from` strictly increasing.
    pub values: Vec<(NaiveDate, i64)>,
}

impl Parameter {
    /// The value in force on `date`.
    pub fn at(&self, date: NaiveDate) -> Option<i64> {
        self.values.iter().rev().find(|(from, _)| *from <= date).map(|(_, v)| *v)
    }
}

/// A checked policy version.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub file: String,
    pub id: String,
    pub version: String,
    pub title: Text,
    pub claimant: Claimant,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub legal_source: String,
    pub budget_line: BudgetLine,
    /// The non-combinable group (the id itself when the file names none).
    pub group: String,
    /// The claim names one person; paid-once and caps count per that person.
    pub per_person: bool,
    pub period: Period,
    pub evidence: Vec<String>,
    pub note: Option<Text>,
    pub criteria: Vec<Criterion>,
    pub amount: Amount,
    pub cap_per_period: Option<String>,
    pub cap_lifetime: Option<String>,
    pub parameters: BTreeMap<String, Parameter>,
    /// The record a claim is about (see [`PolicyFile::record`]).
    pub record: Option<RecordKind>,
    pub claim_window_months: Option<u32>,
}

/// How long after a policy ends claims for the periods it covered are still taken: the platform's
/// default 申领期 (a city that sets another per policy would add it to the file).
pub const CLAIMS_AFTER_END_MONTHS: u32 = 12;

/// Where a policy stands on a day, as a claimant sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum Standing {
    /// Not yet in force: nothing may be filed.
    NotYet {
        from: NaiveDate,
    },
    InForce,
    /// Ended, but claims for the periods it covered are still taken until `claims_until`.
    Ended {
        to: NaiveDate,
        claims_until: NaiveDate,
    },
    /// Ended and its claim period over: nothing may be filed.
    Closed {
        to: NaiveDate,
    },
}

impl Standing {
    pub fn fileable(self) -> bool {
        matches!(self, Standing::InForce | Standing::Ended { .. })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::NotYet { .. } => "not_yet",
            Standing::InForce => "in_force",
            Standing::Ended { .. } => "ended",
            Standing::Closed { .. } => "closed",
        }
    }
}

impl Policy {
    /// Where the policy stands on `today`.
    pub fn standing(&self, today: NaiveDate) -> Standing {
        if today < self.effective_from {
            return Standing::NotYet { from: self.effective_from };
        }
        match self.effective_to {
            Some(to) if today > to => {
                let claims_until =
                    to.checked_add_months(chrono::Months::new(CLAIMS_AFTER_END_MONTHS)).unwrap_or(NaiveDate::MAX);
                if today > claims_until { Standing::Closed { to } } else { Standing::Ended { to, claims_until } }
            }
            _ => Standing::InForce,
        }
    }

    pub fn in_force(&self, date: NaiveDate) -> bool {
        date >= self.effective_from && self.effective_to.is_none_or(|to| date <= to)
    }

    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The facts this policy reads (criteria and amount), in order, without repeats.
    pub fn facts_needed(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |f: &str| {
            if !out.iter().any(|x| x == f) {
                out.push(f.to_string());
            }
        };
        for c in &self.criteria {
            push(&c.fact);
        }
        match &self.amount {
            Amount::Fixed { .. } => {}
            Amount::PerUnit { fact, .. } | Amount::Table { fact, .. } | Amount::Rate { fact, .. } => push(fact),
        }
        out
    }
}
