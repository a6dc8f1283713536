//! Loading the indicator catalogue: every file parsed and checked; every problem reported with
//! its file, line and reason. Nothing here reads the file system — the caller hands in
//! `(file name, text)` pairs.

use std::collections::BTreeSet;

use serde::Deserialize;

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

/// The checked catalogue, in 附件2's row order.
#[derive(Debug, Clone, Default)]
pub struct Indicators {
    pub list: Vec<Indicator>,
}

impl Indicators {
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.list.iter().find(|i| i.id == id)
    }

    /// The catalogue built into the binary.
    pub fn embedded() -> Result<Self, Vec<LoadError>> {
        load(crate::embedded::INDICATORS)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: String,
    order: u32,
    zh: String,
    en: String,
    group_zh: String,
    group_en: String,
    unit: String,
    direction: String,
    baseline_2021: Option<f64>,
    target_2023: Option<f64>,
    source: String,
    obtained: ObtainedFile,
    method_zh: String,
    method_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObtainedFile {
    aggregation: Option<String>,
    #[serde(default)]
    entered: bool,
    because_zh: Option<String>,
    because_en: Option<String>,
}

/// The first line (1-based) holding `needle`; 1 if none.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.trim_start().starts_with(needle)).map_or(1, |i| i + 1)
}

/// Parse and check every file; all problems at once.
pub fn load(files: &[(&str, &str)]) -> Result<Indicators, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut list = Vec::new();
    let mut ids = BTreeSet::new();
    let mut orders = BTreeSet::new();
    for (name, text) in files {
        let mut err = |needle: &str, reason: String| {
            errors.push(LoadError { file: (*name).to_string(), line: line_of(text, needle), reason })
        };
        let f: File = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                errors.push(LoadError { file: (*name).to_string(), line, reason: e.message().to_string() });
                continue;
            }
        };
        let stem = name.strip_suffix(".toml").unwrap_or(name);
        if f.id != stem {
            err("id", format!("id `{}` differs from the file name `{stem}`", f.id));
        }
        if !ids.insert(f.id.clone()) {
            err("id", format!("indicator `{}` is defined twice", f.id));
        }
        if !orders.insert(f.order) {
            err("order", format!("row {} of 附件2 is taken by another indicator", f.order));
        }
        let unit = Unit::parse(&f.unit);
        if unit.is_none() {
            err("unit", format!("unknown unit `{}` (wan_persons, wan_person_times, count, cases, percent)", f.unit));
        }
        let direction = match f.direction.as_str() {
            "higher" => Some(Direction::Higher),
            "lower" => Some(Direction::Lower),
            other => {
                err("direction", format!("unknown direction `{other}` (higher, lower)"));
                None
            }
        };
        let Some(target) = f.target_2023 else {
            err("id", "no `target_2023`: every indicator of 附件2 has a 2023 target".to_string());
            continue;
        };
        if !target.is_finite() || target < 0.0 || f.baseline_2021.is_some_and(|b| !b.is_finite() || b < 0.0) {
            err("target_2023", "figures are finite and not negative".to_string());
        }
        if f.method_zh.trim().is_empty() || f.method_en.trim().is_empty() {
            err("method_zh", "the method is stated in both languages".to_string());
        }
        let obtained = match (&f.obtained.aggregation, f.obtained.entered) {
            (Some(a), false) => match Aggregation::parse(a) {
                Some(agg) => {
                    if let Some(u) = unit
                        && u.takes() != agg.yields()
                    {
                        err(
                            "aggregation",
                            format!(
                                "unit mismatch: `{}` yields {:?} but the indicator is stated in {}",
                                agg.id(),
                                agg.yields(),
                                u.id()
                            ),
                        );
                    }
                    Some(Obtained::Computed(agg))
                }
                None => {
                    err("aggregation", format!("unknown aggregation `{a}`"));
                    None
                }
            },
            (None, true) => {
                if f.obtained.because_zh.is_none() || f.obtained.because_en.is_none() {
                    err("entered", "an entered indicator says why the records cannot yield it".to_string());
                }
                Some(Obtained::Entered)
            }
            _ => {
                err("[obtained]", "say either `aggregation = \"…\"` or `entered = true`".to_string());
                None
            }
        };
        let (Some(unit), Some(direction), Some(obtained)) = (unit, direction, obtained) else { continue };
        list.push(Indicator {
            id: f.id,
            order: f.order,
            zh: f.zh,
            en: f.en,
            group_zh: f.group_zh,
            group_en: f.group_en,
            unit,
            direction,
            baseline_2021: f.baseline_2021,
            target,
            source: f.source,
            obtained,
            method_zh: f.method_zh,
            method_en: f.method_en,
            entered_because_zh: f.obtained.because_zh,
            entered_because_en: f.obtained.because_en,
        });
    }
    if errors.is_empty() {
        list.sort_by_key(|i| i.order);
        Ok(Indicators { list })
    } else {
        Err(errors)
    }
}
