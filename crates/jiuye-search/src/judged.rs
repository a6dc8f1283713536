//! The judged query set (`data/judged_queries.toml`): realistic queries over the demo's
//! vacancies, each with graded judgements written as rules over a vacancy's fields, and the
//! measures computed from them — precision@10, nDCG@10 and the zero-result rate. Read by
//! `jiuye bench relevance` and by the search tests (which hold the zero-result target).

use std::collections::BTreeMap;

use serde::Deserialize;

use jiuye_domain::records::Vacancy;

/// The set shipped with the repository.
pub const BUNDLED: &str = include_str!("../data/judged_queries.toml");

/// What kinds of query the set is made of, so a report can say how each kind fares.
pub const KINDS: &[&str] = &[
    "exact_title",
    "title_word",
    "synonym",
    "pinyin_full",
    "pinyin_initials",
    "pinyin_partial",
    "english",
    "typo_homophone",
    "typo_latin",
    "condition",
    "district_word",
    "kind_word",
    "multiword",
    "natural_phrase",
    "employer",
    "skill",
    "filter",
    "nonsense",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    query: Vec<Judged>,
}

/// One judged query: what was typed, the filters set beside it, and its grades.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judged {
    pub q: String,
    pub kind_of: String,
    pub district: Option<String>,
    pub kind: Option<String>,
    pub salary_min: Option<i32>,
    #[serde(default)]
    pub grade3: Vec<Rule>,
    #[serde(default)]
    pub grade2: Vec<Rule>,
    #[serde(default)]
    pub grade1: Vec<Rule>,
}

/// A rule: every key given must hold; each key's list is any-of.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    pub title: Vec<String>,
    #[serde(default)]
    pub title_not: Vec<String>,
    #[serde(default)]
    pub text: Vec<String>,
    #[serde(default)]
    pub occupation: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub employer: Vec<String>,
    #[serde(default)]
    pub district: Vec<String>,
    #[serde(default)]
    pub kind: Vec<String>,
    pub salary_at_least: Option<i32>,
}

fn contains_any(hay: &str, needles: &[String]) -> bool {
    let hay = hay.to_lowercase();
    needles.iter().any(|n| hay.contains(&n.to_lowercase()))
}

impl Rule {
    fn holds(&self, v: &Vacancy) -> bool {
        (self.title.is_empty() || contains_any(&v.title, &self.title))
            && (self.title_not.is_empty() || !contains_any(&v.title, &self.title_not))
            && (self.text.is_empty() || contains_any(&v.title, &self.text) || contains_any(&v.description, &self.text))
            && (self.occupation.is_empty() || self.occupation.iter().any(|o| v.occupation.as_str().starts_with(o)))
            && (self.skills.is_empty() || v.skills.iter().any(|s| contains_any(s, &self.skills)))
            && (self.employer.is_empty() || contains_any(&v.employer_name, &self.employer))
            && (self.district.is_empty() || self.district.iter().any(|d| d == v.district.as_str()))
            && (self.kind.is_empty() || self.kind.iter().any(|k| k == v.kind.as_str()))
            && self.salary_at_least.is_none_or(|s| v.pay.monthly.is_some() && v.salary_max >= s)
    }

    fn is_empty(&self) -> bool {
        self.title.is_empty()
            && self.title_not.is_empty()
            && self.text.is_empty()
            && self.occupation.is_empty()
            && self.skills.is_empty()
            && self.employer.is_empty()
            && self.district.is_empty()
            && self.kind.is_empty()
            && self.salary_at_least.is_none()
    }
}

impl Judged {
    /// 3 what was asked, 2 clearly relevant, 1 related, 0 not relevant.
    pub fn grade(&self, v: &Vacancy) -> u8 {
        for (g, rules) in [(3, &self.grade3), (2, &self.grade2), (1, &self.grade1)] {
            if rules.iter().any(|r| r.holds(v)) {
                return g;
            }
        }
        0
    }

    /// A query nothing in the data should answer.
    pub fn is_nonsense(&self) -> bool {
        self.kind_of == "nonsense"
    }
}

/// Parse and check a judged set: every kind known, every rule saying something, nonsense
/// without grades and every other query with some; problems name the query.
pub fn parse(text: &str) -> Result<Vec<Judged>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    for j in &file.query {
        let rules = j.grade3.len() + j.grade2.len() + j.grade1.len();
        if !KINDS.contains(&j.kind_of.as_str()) {
            problems.push(format!("{:?}: unknown kind_of {:?}", j.q, j.kind_of));
        }
        if j.is_nonsense() != (rules == 0) {
            problems.push(format!("{:?}: a nonsense query has no grades, any other has some", j.q));
        }
        if j.grade3.iter().chain(&j.grade2).chain(&j.grade1).any(Rule::is_empty) {
            problems.push(format!("{:?}: an empty rule would take every vacancy", j.q));
        }
    }
    if problems.is_empty() { Ok(file.query) } else { Err(problems.join("\n")) }
}

/// How one query fared: the grades of the results in rank order, and the ideal grades.
#[derive(Debug, Clone)]
pub struct Fared {
    pub shown: Vec<u8>,
    /// The best ten grades over all vacancies, best first.
    pub ideal: Vec<u8>,
    /// How many vacancies have a grade of 1 or more.
    pub relevant: usize,
    /// How many results the search found in all.
    pub total: usize,
}

impl Fared {
    pub fn new(j: &Judged, results: &[&Vacancy], total: usize, all: &[Vacancy]) -> Fared {
        let shown: Vec<u8> = results.iter().take(10).map(|v| j.grade(v)).collect();
        let mut grades: Vec<u8> = all.iter().map(|v| j.grade(v)).filter(|g| *g > 0).collect();
        let relevant = grades.len();
        grades.sort_unstable_by(|a, b| b.cmp(a));
        grades.truncate(10);
        Fared { shown, ideal: grades, relevant, total }
    }

    /// Share of the first ten (or of all, when fewer) that are relevant; 0 when nothing was found.
    pub fn precision(&self) -> f64 {
        if self.shown.is_empty() {
            return 0.0;
        }
        self.shown.iter().filter(|g| **g > 0).count() as f64 / self.shown.len() as f64
    }

    pub fn ndcg(&self) -> f64 {
        let dcg = |g: &[u8]| -> f64 {
            g.iter().enumerate().map(|(i, g)| (2f64.powi(i32::from(*g)) - 1.0) / (i as f64 + 2.0).log2()).sum()
        };
        let ideal = dcg(&self.ideal);
        if ideal == 0.0 { 0.0 } else { dcg(&self.shown) / ideal }
    }

    /// Found nothing though a matching job exists.
    pub fn zero_result(&self) -> bool {
        self.total == 0 && self.relevant > 0
    }
}

/// Means over the judged queries that have relevant jobs (nonsense aside), overall and by kind.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub queries: usize,
    pub precision: f64,
    pub ndcg: f64,
    pub zero_results: usize,
    /// kind → (queries, mean precision, mean nDCG)
    pub by_kind: BTreeMap<String, (usize, f64, f64)>,
    /// Nonsense queries that found something.
    pub nonsense_answered: usize,
}

pub fn summarise(judged: &[Judged], fared: &[Fared]) -> Summary {
    let mut s = Summary::default();
    let mut sums: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
    for (j, f) in judged.iter().zip(fared) {
        if j.is_nonsense() {
            s.nonsense_answered += usize::from(f.total > 0);
            continue;
        }
        if f.relevant == 0 {
            continue;
        }
        s.queries += 1;
        s.precision += f.precision();
        s.ndcg += f.ndcg();
        s.zero_results += usize::from(f.zero_result());
        let e = sums.entry(j.kind_of.clone()).or_default();
        e.0 += 1;
        e.1 += f.precision();
        e.2 += f.ndcg();
    }
    if s.queries > 0 {
        s.precision /= s.queries as f64;
        s.ndcg /= s.queries as f64;
    }
    s.by_kind = sums.into_iter().map(|(k, (n, p, g))| (k, (n, p / n as f64, g / n as f64))).collect();
    s
}
