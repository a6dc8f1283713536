//! From a [`SearchQuery`] to a tantivy query; the sort key and cursor of deep paging; typeahead.

use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, EducationLevel, IndustryCode, OccupationCode};
use jiuye_domain::records::VacancyKind;

use crate::SearchError;
use crate::schema::{Fields, day_number, occupation_facet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Salary,
    /// Nearest first, as people travel from [`SearchQuery::from`].
    Distance,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "relevance" | "" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            "salary" => Some(Sort::Salary),
            "distance" => Some(Sort::Distance),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Salary => "salary",
            Sort::Distance => "distance",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Free text: words, synonyms, or pinyin.
    pub text: Option<String>,
    pub district: Option<DistrictCode>,
    /// Any level of the classification.
    pub occupation: Option<OccupationCode>,
    pub industry: Option<IndustryCode>,
    /// Overlap with the vacancy's salary range, yuan per month.
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    /// The seeker's education: vacancies requiring at most this.
    pub education: Option<EducationLevel>,
    pub kind: Option<VacancyKind>,
    pub posted_within_days: Option<u32>,
    pub employer: Option<Uuid>,
    /// (latitude, longitude, radius km)
    pub near: Option<(f64, f64, f64)>,
    /// Where the seeker starts from (a point and its district), for the distance sort.
    pub from: Option<((f64, f64), DistrictCode)>,
    pub sort: Sort,
    pub limit: usize,
    pub cursor: Option<Cursor>,
}

/// Ordering of hits: the sort value, then the id as a tie-break (so paging is total).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey(pub i64, pub u64, pub u64);

impl SortKey {
    /// Below every real key: documents before the cursor or outside the radius.
    pub const EXCLUDED: SortKey = SortKey(i64::MIN, 0, 0);
}

/// Where the previous page ended. Opaque text to clients: `sort.value.hi.lo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    sort: Sort,
    key: SortKey,
}

impl Cursor {
    pub(crate) fn from_key(sort: Sort, key: SortKey) -> Cursor {
        Cursor { sort, key }
    }

    pub(crate) fn key(&self) -> SortKey {
        self.key
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn encode(&self) -> String {
        format!("{}.{}.{:x}.{:x}", self.sort.as_str(), self.key.0, self.key.1, self.key.2)
    }

    /// None for anything that is not a cursor this index made.
    pub fn decode(s: &str) -> Option<Cursor> {
        let mut parts = s.split('.');
        let sort = Sort::parse(parts.next()?)?;
        let primary = parts.next()?.parse().ok()?;
        let hi = u64::from_str_radix(parts.next()?, 16).ok()?;
        let lo = u64::from_str_radix(parts.next()?, 16).ok()?;
        if parts.next().is_some() || primary == i64::MIN {
            return None;
        }
        Some(Cursor { sort, key: SortKey(primary, hi, lo) })
    }
}

pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

fn term_query(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
}

fn i64_range(field: Field, lo: Bound<i64>, hi: Bound<i64>) -> Box<dyn Query> {
    let map = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
        Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(map(lo), map(hi)))
}

/// What the text asks, already made into a query by `text.rs`.
pub enum TextPart {
    /// No text: everything.
    All,
    /// Text that reads as nothing to match (only punctuation): nothing.
    Nothing,
    /// Only what this matches.
    Query(Box<dyn Query>),
}

pub fn closed_before(f: &Fields, today: NaiveDate) -> Box<dyn Query> {
    i64_range(f.closes_on, Bound::Unbounded, Bound::Excluded(day_number(today)))
}

pub fn build(f: &Fields, q: &SearchQuery, today: NaiveDate, text: TextPart) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match text {
        TextPart::Query(tq) => clauses.push((Occur::Must, tq)),
        TextPart::Nothing => clauses.push((Occur::Must, term_query(Term::from_field_text(f.id, "\u{0}")))),
        // Every document: the date clauses below are always there, and an AllQuery beside them
        // would only add a docset to intersect.
        TextPart::All => {}
    }
    let today_n = day_number(today);
    clauses.push((Occur::Must, i64_range(f.closes_on, Bound::Included(today_n), Bound::Unbounded)));
    // No clause on the opening day: only vacancies open on the day they were indexed are in the
    // index (`is_open`), so every document opened on or before any later day.
    if let Some(d) = &q.district {
        clauses.push((
            Occur::Must,
            term_query(Term::from_facet(f.district, &tantivy::schema::Facet::from_path([d.as_str()]))),
        ));
    }
    if let Some(o) = &q.occupation {
        clauses.push((Occur::Must, term_query(Term::from_facet(f.occupation, &occupation_facet(o.as_str())))));
    }
    if let Some(i) = &q.industry {
        let path: Vec<&str> = if i.level() <= 1 {
            vec![i.as_str()]
        } else {
            vec![i.section().as_str(), i.division().unwrap_or(*i).as_str()]
        };
        clauses.push((Occur::Must, term_query(Term::from_facet(f.industry, &tantivy::schema::Facet::from_path(path)))));
    }
    if let Some(k) = q.kind {
        clauses.push((
            Occur::Must,
            term_query(Term::from_facet(f.kind, &tantivy::schema::Facet::from_path([k.as_str()]))),
        ));
    }
    if let Some(lo) = q.salary_min {
        clauses.push((Occur::Must, i64_range(f.salary_max, Bound::Included(i64::from(lo)), Bound::Unbounded)));
    }
    if let Some(hi) = q.salary_max {
        clauses.push((Occur::Must, i64_range(f.salary_min, Bound::Unbounded, Bound::Included(i64::from(hi)))));
    }
    if let Some(e) = q.education {
        let rank = u64::from(e.rank());
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(Term::from_field_u64(f.edu_rank, rank)))),
        ));
    }
    if let Some(days) = q.posted_within_days {
        clauses
            .push((Occur::Must, i64_range(f.opens_on, Bound::Included(today_n - i64::from(days)), Bound::Unbounded)));
    }
    if let Some(e) = q.employer {
        clauses.push((Occur::Must, term_query(Term::from_field_text(f.employer, &e.to_string()))));
    }
    if let Some((lat, lon, km)) = q.near {
        // A box around the circle narrows the candidates; the exact distance is checked per hit.
        let dlat = km / 111.0;
        let dlon = km / (111.0 * lat.to_radians().cos().abs().max(0.01));
        let f64_range = |field: Field, a: f64, b: f64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_f64(field, a)),
                Bound::Included(Term::from_field_f64(field, b)),
            ))
        };
        clauses.push((Occur::Must, f64_range(f.lat, lat - dlat, lat + dlat)));
        clauses.push((Occur::Must, f64_range(f.lon, lon - dlon, lon + dlon)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Terms of the suggest field starting with `prefix`, by how many vacancies carry them.
pub fn suggest(searcher: &Searcher, f: &Fields, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
    let prefix = prefix.trim().to_lowercase();
    if prefix.is_empty() || prefix.chars().count() > 20 {
        return Ok(Vec::new());
    }
    names_with_prefix(searcher, f, &prefix, limit)
}

/// Names in the suggest field whose entry starts with `prefix` (as given), most common first.
pub fn names_with_prefix(
    searcher: &Searcher,
    f: &Fields,
    prefix: &str,
    limit: usize,
) -> Result<Vec<String>, SearchError> {
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let upper = format!("{prefix}\u{10FFFF}");
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(f.suggest)?;
        let mut stream = inverted.terms().range().ge(prefix.as_bytes()).lt(upper.as_bytes()).into_stream()?;
        while stream.advance() {
            let term = String::from_utf8_lossy(stream.key()).to_string();
            let shown = term.split_once('|').map(|(_, name)| name.to_string()).unwrap_or(term);
            *counts.entry(shown).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.chars().count().cmp(&b.0.chars().count())).then(a.0.cmp(&b.0)));
    Ok(v.into_iter().take(limit).map(|(s, _)| s).collect())
}
