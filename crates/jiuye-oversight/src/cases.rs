//! Indicator test cases as data (`indicators/tests/*.toml`): records in, the expected count
//! out. The runner (in `jiuye-core`'s tests) writes the records into a fresh database and asks
//! for the figure the dashboard shows, so an indicator cannot break silently.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::load::{Indicators, LoadError};
use crate::model::Obtained;
use crate::period::Period;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub indicator: String,
    pub period: String,
    /// A district's figure (GB/T 2260); the city's when absent.
    pub district: Option<String>,
    /// The expected numerator (a count, or a share's numerator).
    pub expect: u64,
    /// A share's expected denominator.
    pub out_of: Option<u64>,
    #[serde(default, rename = "person")]
    pub persons: Vec<PersonRec>,
    #[serde(default, rename = "registration")]
    pub registrations: Vec<RegistrationRec>,
    #[serde(default, rename = "employment")]
    pub employments: Vec<EmploymentRec>,
    #[serde(default, rename = "service")]
    pub services: Vec<ServiceRec>,
    #[serde(default, rename = "contact")]
    pub contacts: Vec<ContactRec>,
    #[serde(default, rename = "enrolment")]
    pub enrolments: Vec<EnrolmentRec>,
    #[serde(default, rename = "claim")]
    pub claims: Vec<ClaimRec>,
    /// Budget allocations (fen) for the claims' test policy.
    pub allocated_fen: Option<i64>,
    #[serde(default, rename = "household")]
    pub households: Vec<HouseholdRec>,
    #[serde(default, rename = "gig_site")]
    pub gig_sites: Vec<GigSiteRec>,
}

/// A gig market or station in the registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GigSiteRec {
    pub district: String,
    /// comprehensive, sector, station.
    pub layout: String,
    /// The day it was recognised as 规范化, if it was.
    pub recognised: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRec {
    /// The claimant (a person).
    pub person: String,
    pub district: String,
    pub filed: NaiveDate,
    pub amount_fen: i64,
    /// `submitted` (default), `rejected` or `paid`.
    pub status: Option<String>,
    /// The day it was decided (and paid).
    pub decided: Option<NaiveDate>,
    /// The claimant's answer about the decision (1–5), given the day it was decided.
    pub survey: Option<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdRec {
    pub district: String,
    /// Members (persons' aliases); a household of working-age members none of whom is
    /// employed is flagged 零就业 the day it is recorded.
    pub members: Vec<String>,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRec {
    pub alias: String,
    pub district: String,
    #[serde(default)]
    pub rural: bool,
    /// Key groups recognised by staff, each on `recognised_on`.
    #[serde(default)]
    pub recognised: Vec<String>,
    pub recognised_on: Option<NaiveDate>,
    /// Key groups the person ticked on their own profile: a declaration, never counted.
    #[serde(default)]
    pub declared: Vec<String>,
    /// Employed when recorded (default: unemployed).
    #[serde(default)]
    pub employed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRec {
    pub person: String,
    pub on: NaiveDate,
    /// Ended (re-employed) on this day.
    pub ended: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmploymentRec {
    pub person: String,
    pub on: NaiveDate,
    /// `desk` (default), `hire` or `person` (reported by the person: a declaration).
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRec {
    pub person: String,
    pub kind: String,
    pub on: NaiveDate,
    /// Delivered under the person's unemployment registration.
    #[serde(default)]
    pub registered: bool,
    /// The person's rating of it (1–5).
    pub rating: Option<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRec {
    pub person: String,
    pub on: NaiveDate,
    pub outcome: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRec {
    pub person: String,
    /// The class's district.
    pub district: String,
    pub class_starts: NaiveDate,
    pub assessed_on: Option<NaiveDate>,
    pub passed: Option<bool>,
    /// The trainee's answer about the class (1–5), given the day of the assessment.
    pub survey: Option<i32>,
}

impl Case {
    pub fn period(&self) -> Option<Period> {
        Period::parse(&self.period).ok()
    }
}

/// Parse every case file and check each case names a computed indicator and a period.
pub fn load_cases(files: &[(&str, &str)], indicators: &Indicators) -> Result<Vec<(String, Case)>, Vec<LoadError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        let file: CaseFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                errors.push(LoadError { file: (*name).to_string(), line, reason: e.message().to_string() });
                continue;
            }
        };
        for case in file.cases {
            let line = text.lines().position(|l| l.contains(&case.name)).map_or(1, |i| i + 1);
            let mut err = |reason: String| errors.push(LoadError { file: (*name).to_string(), line, reason });
            match indicators.get(&case.indicator).map(|i| i.obtained) {
                None => err(format!("unknown indicator `{}`", case.indicator)),
                Some(Obtained::Entered) => err(format!("`{}` is entered, not computed", case.indicator)),
                Some(Obtained::Computed(_)) => {}
            }
            if case.period().is_none() {
                err(format!("unreadable period `{}`", case.period));
            }
            out.push(((*name).to_string(), case));
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}
