//! A person known to the service: a job seeker, a registered unemployed person, a graduate.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::CodeError;
use crate::codes::{
    DistrictCode, DocumentKind, EducationLevel, Identity, KeyGroup, Mobile, NationalId, Nationality, OccupationCode,
    ProvinceCode, Sex, StreetCode,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    Unemployed,
    Employed,
    Student,
    Retired,
}

impl EmploymentStatus {
    pub const ALL: [Self; 4] = [Self::Unemployed, Self::Employed, Self::Student, Self::Retired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unemployed => "unemployed",
            Self::Employed => "employed",
            Self::Student => "student",
            Self::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Result<Self, CodeError> {
        Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| CodeError::new("input.enum").arg("value", s))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// e.g. 电工 职业技能等级证书 四级
    pub name: String,
    /// Issuing body or level, free text.
    #[serde(default)]
    pub level: Option<String>,
}

/// What a desk or the person enters; the identity document is parsed (and so valid) but not yet
/// stored. The birth date and sex come from the document where its number carries them, else
/// as stated at registration.
#[derive(Debug, Clone)]
pub struct PersonDraft {
    pub identity: Identity,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub name: String,
    pub mobile: Mobile,
    pub district: DistrictCode,
    pub street: Option<StreetCode>,
    pub address: Option<String>,
    pub household_origin: ProvinceCode,
    pub rural_household: bool,
    pub education: EducationLevel,
    pub key_groups: Vec<KeyGroup>,
    pub skills: Vec<String>,
    pub certificates: Vec<Certificate>,
    pub wanted_occupations: Vec<OccupationCode>,
    pub wanted_districts: Vec<DistrictCode>,
    pub wanted_salary_min: Option<i32>,
    pub wanted_salary_max: Option<i32>,
    /// The longest trip to work the person will make, in km as people travel (`geo`).
    pub max_commute_km: Option<i32>,
    pub employment_status: EmploymentStatus,
}

/// Everything about a person that may change after registration (the ID number may not).
#[derive(Debug, Clone)]
pub struct PersonChanges {
    pub name: String,
    pub mobile: Mobile,
    pub district: DistrictCode,
    pub street: Option<StreetCode>,
    pub address: Option<String>,
    pub household_origin: ProvinceCode,
    pub rural_household: bool,
    pub education: EducationLevel,
    pub key_groups: Vec<KeyGroup>,
    pub skills: Vec<String>,
    pub certificates: Vec<Certificate>,
    pub wanted_occupations: Vec<OccupationCode>,
    pub wanted_districts: Vec<DistrictCode>,
    pub wanted_salary_min: Option<i32>,
    pub wanted_salary_max: Option<i32>,
    /// The longest trip to work the person will make, in km as people travel (`geo`).
    pub max_commute_km: Option<i32>,
    pub employment_status: EmploymentStatus,
}

impl PersonChanges {
    /// Cross-field rules. Returns every problem, not just the first.
    pub fn check(&self) -> Vec<CodeError> {
        let mut errors = Vec::new();
        if let Some(street) = &self.street
            && street.district() != self.district
        {
            errors.push(CodeError::new("person.street_not_in_district").field("street"));
        }
        if let Err(e) = check_salary(self.wanted_salary_min, self.wanted_salary_max, "wanted_salary") {
            errors.push(e);
        }
        if self.max_commute_km.is_some_and(|km| !(1..=100).contains(&km)) {
            errors.push(CodeError::new("person.max_commute_km").field("max_commute_km"));
        }
        if self.wanted_occupations.len() > 5 {
            errors.push(CodeError::new("input.too_many").field("wanted_occupations").arg("max", "5"));
        }
        if self.certificates.len() > 30 {
            errors.push(CodeError::new("input.too_many").field("certificates").arg("max", "30"));
        }
        errors
    }
}

impl PersonDraft {
    /// A draft for someone holding `identity`; `stated` birth date and sex are used only where
    /// the document does not carry them (and required there).
    pub fn new(
        identity: Identity,
        stated: (Option<NaiveDate>, Option<Sex>),
        c: PersonChanges,
    ) -> Result<Self, Vec<CodeError>> {
        let mut problems = Vec::new();
        let birth_date = identity.birth_date().or(stated.0);
        let sex = identity.sex().or(stated.1);
        if birth_date.is_none() {
            problems.push(CodeError::new("input.required").field("birth_date").arg("field", "birth_date"));
        }
        if sex.is_none() {
            problems.push(CodeError::new("input.required").field("sex").arg("field", "sex"));
        }
        match (birth_date, sex) {
            (Some(birth_date), Some(sex)) if problems.is_empty() => {
                Ok(PersonDraft::build(identity, birth_date, sex, c))
            }
            _ => Err(problems),
        }
    }

    /// A draft for a resident ID holder (the number carries birth date and sex).
    pub fn of_resident(id: &NationalId, c: PersonChanges) -> Self {
        PersonDraft::build(Identity::resident(id), id.birth_date(), id.sex(), c)
    }

    fn build(identity: Identity, birth_date: NaiveDate, sex: Sex, c: PersonChanges) -> Self {
        let key_groups = KeyGroup::with_document(&c.key_groups, identity.kind(), identity.nationality());
        PersonDraft {
            identity,
            birth_date,
            sex,
            name: c.name,
            mobile: c.mobile,
            district: c.district,
            street: c.street,
            address: c.address,
            household_origin: c.household_origin,
            rural_household: c.rural_household,
            education: c.education,
            key_groups,
            skills: c.skills,
            certificates: c.certificates,
            wanted_occupations: c.wanted_occupations,
            wanted_districts: c.wanted_districts,
            wanted_salary_min: c.wanted_salary_min,
            wanted_salary_max: c.wanted_salary_max,
            max_commute_km: c.max_commute_km,
            employment_status: c.employment_status,
        }
    }

    /// The changeable part of the draft.
    pub fn changes(&self) -> PersonChanges {
        PersonChanges {
            name: self.name.clone(),
            mobile: self.mobile.clone(),
            district: self.district,
            street: self.street,
            address: self.address.clone(),
            household_origin: self.household_origin,
            rural_household: self.rural_household,
            education: self.education,
            key_groups: self.key_groups.clone(),
            skills: self.skills.clone(),
            certificates: self.certificates.clone(),
            wanted_occupations: self.wanted_occupations.clone(),
            wanted_districts: self.wanted_districts.clone(),
            wanted_salary_min: self.wanted_salary_min,
            wanted_salary_max: self.wanted_salary_max,
            max_commute_km: self.max_commute_km,
            employment_status: self.employment_status,
        }
    }

    /// Cross-field rules. Returns every problem, not just the first.
    pub fn check(&self) -> Vec<CodeError> {
        self.changes().check()
    }
}

/// Salary range in yuan per month: both within 0..=1,000,000, min ≤ max.
pub fn check_salary(min: Option<i32>, max: Option<i32>, field: &str) -> Result<(), CodeError> {
    for v in [min, max].into_iter().flatten() {
        if !(0..=1_000_000).contains(&v) {
            return Err(CodeError::new("salary.out_of_range").field(field));
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(CodeError::new("salary.min_above_max").field(field));
    }
    Ok(())
}

/// A stored person. The full ID number is never part of this value: only its mask.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: Uuid,
    /// The identity document's number, masked (whatever its kind).
    pub national_id_masked: String,
    pub id_kind: DocumentKind,
    pub nationality: Option<Nationality>,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub mobile: Mobile,
    pub district: DistrictCode,
    pub street: Option<StreetCode>,
    pub address: Option<String>,
    pub household_origin: ProvinceCode,
    pub rural_household: bool,
    pub education: EducationLevel,
    pub key_groups: Vec<KeyGroup>,
    pub skills: Vec<String>,
    pub certificates: Vec<Certificate>,
    pub wanted_occupations: Vec<OccupationCode>,
    pub wanted_districts: Vec<DistrictCode>,
    pub wanted_salary_min: Option<i32>,
    pub wanted_salary_max: Option<i32>,
    /// The longest trip to work the person will make, in km as people travel (`geo`).
    pub max_commute_km: Option<i32>,
    /// Where the person's trips start, when they set it from their device (`geo::home_cell`):
    /// an H3 cell, never a precise position. Personal: never serialised with the record.
    #[serde(skip)]
    pub home_cell: Option<i64>,
    pub employment_status: EmploymentStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    /// Where the person's trips start: their home cell's centre, else their district's seat.
    pub fn origin(&self) -> crate::geo::LatLon {
        crate::geo::origin(self.home_cell, &self.district)
    }
}
