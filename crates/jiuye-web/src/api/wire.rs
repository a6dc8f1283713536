//! Wire types of the JSON API: what goes over HTTP, documented in OpenAPI. Inputs refuse
//! unknown fields; outputs never carry a full ID number.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::codes::{
    CreditCode, DistrictCode, DocumentKind, EducationLevel, Identity, IndustryCode, KeyGroup, Mobile, OccupationCode,
    ProvinceCode, Sex, StreetCode,
};
use jiuye_domain::records::{
    Certificate, Employer, EmployerDraft, EmployerSize, EmploymentStatus, Pay, PayUnit, Person, PersonChanges,
    PersonDraft, Vacancy, VacancyDraft, VacancyKind, text,
};
use jiuye_store::Account;

use crate::error::ApiError;

/// Collects every field problem, so one response lists them all.
#[derive(Default)]
pub struct Problems(pub Vec<CodeError>);

impl Problems {
    pub fn take<T>(&mut self, field: &str, r: Result<T, CodeError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                let e = if e.field.is_none() { e.field(field) } else { e };
                self.0.push(e);
                None
            }
        }
    }

    pub fn finish<T>(self, v: Option<T>) -> Result<T, ApiError> {
        match v {
            Some(v) if self.0.is_empty() => Ok(v),
            _ if self.0.is_empty() => Err(ApiError::Internal),
            _ => Err(ApiError::Invalid(self.0)),
        }
    }
}

fn list<T>(p: &mut Problems, field: &str, values: &[String], parse: impl Fn(&str) -> Result<T, CodeError>) -> Vec<T> {
    values.iter().filter_map(|v| p.take(field, parse(v))).collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// `seeker` (an identity document's number), `employer` (credit code) or `staff` (username).
    pub kind: String,
    pub identifier: String,
    pub password: String,
    /// Seekers: the kind of document (see `IdentityIn`); recognised from the number when
    /// omitted, except for passports.
    #[serde(default)]
    pub document_kind: Option<String>,
    /// Seekers signing in with a passport: its ISO 3166 alpha-3 nationality.
    #[serde(default)]
    pub nationality: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginOut {
    /// Bearer token for API clients; browsers get the same as an HttpOnly cookie.
    pub token: String,
    pub account: AccountOut,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountOut {
    pub id: Uuid,
    pub role: String,
    pub display_name: String,
    pub username: Option<String>,
    pub district: Option<String>,
    pub person_id: Option<Uuid>,
    pub employer_id: Option<Uuid>,
    pub organisation: Option<String>,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&Account> for AccountOut {
    fn from(a: &Account) -> Self {
        AccountOut {
            id: a.id,
            role: a.role.as_str().to_string(),
            display_name: a.display_name.clone(),
            username: a.username().map(str::to_string),
            district: a.district.clone(),
            person_id: a.person_id,
            employer_id: a.employer_id,
            organisation: a.organisation.clone(),
            active: a.active,
            locked_until: a.locked_until,
            created_at: a.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct CertificateIn {
    pub name: String,
    #[serde(default)]
    pub level: Option<String>,
}

/// An identity document.
#[derive(Debug, Deserialize, Serialize, ToSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct IdentityIn {
    /// `resident_id` 居民身份证, `hkmo_residence_permit` 港澳居民居住证, `taiwan_residence_permit`
    /// 台湾居民居住证, `foreign_permanent_residence` 外国人永久居留身份证, `taiwan_travel_permit`
    /// 台湾居民来往大陆通行证, `hkmo_travel_permit` 港澳居民来往内地通行证, `passport` 护照.
    pub kind: String,
    pub number: String,
    /// ISO 3166 alpha-3; required for passports.
    #[serde(default)]
    pub nationality: Option<String>,
}

impl IdentityIn {
    pub fn parse(&self, today: NaiveDate) -> Result<Identity, CodeError> {
        let kind = DocumentKind::parse(&self.kind).map_err(|e| e.field("identity.kind"))?;
        Identity::parse(kind, &self.number, self.nationality.as_deref(), today).map_err(|e| {
            let field =
                if e.code.starts_with("identity.nationality") { "identity.nationality" } else { "identity.number" };
            e.field(field)
        })
    }
}

/// The document a person registers with: `identity`, or (older clients) a resident ID in
/// `national_id` — which also recognises residence permits and 2023 permanent residence cards.
pub fn identity_of(identity: Option<&IdentityIn>, national_id: &str, today: NaiveDate) -> Result<Identity, CodeError> {
    match identity {
        Some(i) => i.parse(today),
        None if national_id.trim().is_empty() => {
            Err(CodeError::new("input.required").field("identity").arg("field", "identity"))
        }
        None => Identity::parse(DocumentKind::ResidentId, national_id, None, today).map_err(|e| e.field("national_id")),
    }
}

/// A person's record as entered by the person or at a desk.
#[derive(Debug, Deserialize, ToSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    /// The identity document. Required to register (or `national_id`); on update it may be
    /// omitted, and if given must be the stored one.
    #[serde(default)]
    pub identity: Option<IdentityIn>,
    /// 居民身份证号码 (GB 11643), 18 characters — for clients that predate `identity`.
    #[serde(default)]
    pub national_id: String,
    /// For documents whose number carries no birth date (travel permits, passports).
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// `male` or `female`, for documents whose number does not say.
    #[serde(default)]
    pub sex: Option<String>,
    pub name: String,
    /// Mainland mobile number.
    pub mobile: String,
    /// Xiamen district code (GB/T 2260), e.g. `350203`.
    pub district: String,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// Province of household registration, e.g. `350000`.
    pub household_origin: String,
    #[serde(default)]
    pub rural_household: bool,
    /// GB/T 4658 code (`20`) or name (`bachelor`).
    pub education: String,
    #[serde(default)]
    pub key_groups: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub certificates: Vec<CertificateIn>,
    /// 职业分类大典 2022 codes, e.g. `6-31-01-03`.
    #[serde(default)]
    pub wanted_occupations: Vec<String>,
    #[serde(default)]
    pub wanted_districts: Vec<String>,
    #[serde(default)]
    pub wanted_salary_min: Option<i32>,
    #[serde(default)]
    pub wanted_salary_max: Option<i32>,
    /// The longest trip to work, km by road (1–100); recommendations beyond it rank last.
    #[serde(default)]
    pub max_commute_km: Option<i32>,
    #[serde(default = "default_status")]
    pub employment_status: String,
}

fn default_status() -> String {
    "unemployed".to_string()
}

impl PersonIn {
    /// The whole draft for a new person: the document and everything else, all problems at once.
    pub fn parse(&self, today: NaiveDate) -> Result<PersonDraft, ApiError> {
        let mut errs = Vec::new();
        let id = identity_of(self.identity.as_ref(), &self.national_id, today).map_err(|e| errs.push(e)).ok();
        let birth = match self.birth_date {
            Some(d) if chrono::Datelike::year(&d) < jiuye_domain::codes::national_id::MIN_BIRTH_YEAR || d > today => {
                errs.push(
                    CodeError::new("input.date_range")
                        .field("birth_date")
                        .arg("from", "1900-01-01")
                        .arg("to", today.to_string()),
                );
                None
            }
            d => d,
        };
        let sex = match self.sex.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some("male") => Some(Sex::Male),
            Some("female") => Some(Sex::Female),
            Some(other) => {
                errs.push(CodeError::new("input.enum").field("sex").arg("value", other));
                None
            }
            None => None,
        };
        let changes = match self.parse_changes() {
            Ok(c) => Some(c),
            Err(ApiError::Invalid(e)) => {
                errs.extend(e);
                None
            }
            Err(e) => return Err(e),
        };
        match (id, changes) {
            (Some(id), Some(changes)) if errs.is_empty() => {
                PersonDraft::new(id, (birth, sex), changes).map_err(ApiError::Invalid)
            }
            (Some(id), _) => {
                // Say what the document still needs, beside the other problems.
                if id.birth_date().is_none()
                    && birth.is_none()
                    && !errs.iter().any(|e| e.field.as_deref() == Some("birth_date"))
                {
                    errs.push(CodeError::new("input.required").field("birth_date").arg("field", "birth_date"));
                }
                if id.sex().is_none() && sex.is_none() && !errs.iter().any(|e| e.field.as_deref() == Some("sex")) {
                    errs.push(CodeError::new("input.required").field("sex").arg("field", "sex"));
                }
                Err(ApiError::Invalid(errs))
            }
            (None, _) => Err(ApiError::Invalid(errs)),
        }
    }

    /// The changeable fields, for an update (the ID number is not changeable and not read here).
    pub fn parse_changes(&self) -> Result<PersonChanges, ApiError> {
        let mut p = Problems::default();
        let name = p.take("name", text::required("name", &self.name, 50));
        let mobile = p.take("mobile", Mobile::parse(&self.mobile));
        let district = p.take("district", DistrictCode::parse(&self.district));
        let street = p
            .take("street", self.street.as_deref().filter(|s| !s.trim().is_empty()).map(StreetCode::parse).transpose())
            .flatten();
        let address = p.take("address", text::optional("address", self.address.as_deref(), 200)).flatten();
        let household_origin = p.take("household_origin", ProvinceCode::parse(&self.household_origin));
        let education = p.take("education", EducationLevel::parse(&self.education));
        let key_groups = list(&mut p, "key_groups", &self.key_groups, KeyGroup::parse);
        let skills = p.take("skills", text::labels("skills", &self.skills, 30, 30)).unwrap_or_default();
        let mut certificates = Vec::new();
        if self.certificates.len() > 30 {
            p.0.push(CodeError::new("input.too_many").field("certificates").arg("max", "30"));
        }
        for c in self.certificates.iter().take(30) {
            if let (Some(name), Some(level)) = (
                p.take("certificates.name", text::required("certificates.name", &c.name, 60)),
                p.take("certificates.level", text::optional("certificates.level", c.level.as_deref(), 60)),
            ) {
                certificates.push(Certificate { name, level });
            }
        }
        let wanted_occupations =
            list(&mut p, "wanted_occupations", &self.wanted_occupations, OccupationCode::parse_code_or_name);
        let wanted_districts = list(&mut p, "wanted_districts", &self.wanted_districts, DistrictCode::parse);
        let employment_status = p.take("employment_status", EmploymentStatus::parse(&self.employment_status));
        let changes = match (name, mobile, district, household_origin, education, employment_status) {
            (
                Some(name),
                Some(mobile),
                Some(district),
                Some(household_origin),
                Some(education),
                Some(employment_status),
            ) => {
                let c = PersonChanges {
                    name,
                    mobile,
                    district,
                    street,
                    address,
                    household_origin,
                    rural_household: self.rural_household,
                    education,
                    key_groups,
                    skills,
                    certificates,
                    wanted_occupations,
                    wanted_districts,
                    wanted_salary_min: self.wanted_salary_min,
                    wanted_salary_max: self.wanted_salary_max,
                    max_commute_km: self.max_commute_km,
                    employment_status,
                };
                p.0.extend(c.check());
                Some(c)
            }
            _ => None,
        };
        p.finish(changes)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateOut {
    pub name: String,
    pub level: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeName {
    pub code: String,
    pub name: String,
}

/// An identity document as shown: the number always masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdentityOut {
    pub kind: String,
    /// Masked, e.g. `830000********0015`.
    pub number: String,
    pub nationality: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub id: Uuid,
    /// The document number, always masked, e.g. `350203********123X` (kept for older clients;
    /// see `identity`).
    pub national_id: String,
    pub identity: IdentityOut,
    pub name: String,
    pub sex: String,
    /// The year of birth only: with the masked number, a full birth date would give back the
    /// eight hidden digits.
    pub birth_year: i32,
    /// Masked for everyone but the person and staff.
    pub mobile: String,
    pub district: CodeName,
    pub street: Option<CodeName>,
    pub address: Option<String>,
    pub household_origin: CodeName,
    pub rural_household: bool,
    pub education: CodeName,
    pub key_groups: Vec<CodeName>,
    pub skills: Vec<String>,
    pub certificates: Vec<CertificateOut>,
    pub wanted_occupations: Vec<CodeName>,
    pub wanted_districts: Vec<CodeName>,
    pub wanted_salary_min: Option<i32>,
    pub wanted_salary_max: Option<i32>,
    pub max_commute_km: Option<i32>,
    pub employment_status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn cn(code: &str, name: &str) -> CodeName {
    CodeName { code: code.to_string(), name: name.to_string() }
}

impl From<&Person> for PersonOut {
    fn from(p: &Person) -> Self {
        PersonOut {
            id: p.id,
            national_id: p.national_id_masked.clone(),
            identity: IdentityOut {
                kind: p.id_kind.as_str().to_string(),
                number: p.national_id_masked.clone(),
                nationality: p.nationality.map(|n| n.as_str().to_string()),
            },
            name: p.name.clone(),
            sex: p.sex.label_zh().to_string(),
            birth_year: chrono::Datelike::year(&p.birth_date),
            mobile: p.mobile.as_str().to_string(),
            district: cn(p.district.as_str(), p.district.name()),
            street: p.street.as_ref().map(|s| cn(s.as_str(), s.name())),
            address: p.address.clone(),
            household_origin: cn(p.household_origin.as_str(), p.household_origin.name()),
            rural_household: p.rural_household,
            education: cn(p.education.code(), p.education.label_zh()),
            key_groups: p.key_groups.iter().map(|k| cn(k.id(), k.label_zh())).collect(),
            skills: p.skills.clone(),
            certificates: p
                .certificates
                .iter()
                .map(|c| CertificateOut { name: c.name.clone(), level: c.level.clone() })
                .collect(),
            wanted_occupations: p.wanted_occupations.iter().map(|o| cn(o.as_str(), o.name())).collect(),
            wanted_districts: p.wanted_districts.iter().map(|d| cn(d.as_str(), d.name())).collect(),
            wanted_salary_min: p.wanted_salary_min,
            wanted_salary_max: p.wanted_salary_max,
            max_commute_km: p.max_commute_km,
            employment_status: p.employment_status.as_str().to_string(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct EmployerIn {
    /// 统一社会信用代码 (GB 32100), 18 characters.
    pub credit_code: String,
    pub name: String,
    /// GB/T 4754-2017 section letter or division code, e.g. `39`.
    pub industry: String,
    pub district: String,
    #[serde(default)]
    pub address: Option<String>,
    /// `micro`, `small`, `medium` or `large`.
    pub size: String,
    #[serde(default)]
    pub key_enterprise: bool,
    #[serde(default)]
    pub liaison_account: Option<Uuid>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_mobile: Option<String>,
}

impl EmployerIn {
    pub fn parse(&self) -> Result<EmployerDraft, ApiError> {
        let mut p = Problems::default();
        let credit_code = p.take("credit_code", CreditCode::parse(&self.credit_code));
        let name = p.take("name", text::required("name", &self.name, 100));
        let industry = p.take("industry", IndustryCode::parse(&self.industry));
        let district = p.take("district", DistrictCode::parse(&self.district));
        let address = p.take("address", text::optional("address", self.address.as_deref(), 200)).flatten();
        let size = p.take("size", EmployerSize::parse(&self.size));
        let contact_name =
            p.take("contact_name", text::optional("contact_name", self.contact_name.as_deref(), 50)).flatten();
        let contact_mobile = p
            .take(
                "contact_mobile",
                self.contact_mobile.as_deref().filter(|s| !s.trim().is_empty()).map(Mobile::parse).transpose(),
            )
            .flatten();
        let draft = match (credit_code, name, industry, district, size) {
            (Some(credit_code), Some(name), Some(industry), Some(district), Some(size)) => {
                let d = EmployerDraft {
                    credit_code,
                    name,
                    industry,
                    district,
                    address,
                    size,
                    key_enterprise: self.key_enterprise,
                    liaison_account: self.liaison_account,
                    contact_name,
                    contact_mobile,
                };
                p.0.extend(d.check());
                Some(d)
            }
            _ => None,
        };
        p.finish(draft)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerOut {
    pub id: Uuid,
    pub credit_code: String,
    pub name: String,
    pub industry: CodeName,
    pub district: CodeName,
    pub address: Option<String>,
    pub size: String,
    pub key_enterprise: bool,
    pub liaison_account: Option<Uuid>,
    pub contact_name: Option<String>,
    pub contact_mobile: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<&Employer> for EmployerOut {
    fn from(e: &Employer) -> Self {
        EmployerOut {
            id: e.id,
            credit_code: e.credit_code.as_str().to_string(),
            name: e.name.clone(),
            industry: cn(e.industry.as_str(), e.industry.name()),
            district: cn(e.district.as_str(), e.district.name()),
            address: e.address.clone(),
            size: e.size.as_str().to_string(),
            key_enterprise: e.key_enterprise,
            liaison_account: e.liaison_account,
            contact_name: e.contact_name.clone(),
            contact_mobile: e.contact_mobile.as_ref().map(|m| m.as_str().to_string()),
            created_at: e.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct VacancyIn {
    /// Required when staff post for an employer; employers post for themselves.
    #[serde(default)]
    pub employer_id: Option<Uuid>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// 职业分类大典 2022 code, any level; 零工 needs a detailed (4-level) code.
    pub occupation: String,
    /// GB/T 4754-2017 section or division; defaults to the employer's industry.
    #[serde(default)]
    pub industry: Option<String>,
    pub district: String,
    pub address: String,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    /// How the pay is stated: `month` (default), `day`, `hour`, `piece` or `negotiable` (面议).
    #[serde(default)]
    pub pay_unit: Option<String>,
    /// Yuan per month: the range for `month`; for `piece` the expected monthly earnings.
    /// Leave out for `day` and `hour` (computed: 21.75 days, 174 hours a month) and `negotiable`.
    #[serde(default)]
    pub salary_min: Option<i32>,
    #[serde(default)]
    pub salary_max: Option<i32>,
    /// The rate for `day`, `hour` and `piece`, in fen (分) per unit; the highest defaults to the lowest.
    #[serde(default)]
    pub pay_min_fen: Option<i64>,
    #[serde(default)]
    pub pay_max_fen: Option<i64>,
    pub headcount: i32,
    #[serde(default)]
    pub education_required: Option<String>,
    /// `full_time`, `part_time`, `internship`, `public_welfare` or `gig`.
    pub kind: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    #[serde(default)]
    pub skills: Vec<String>,
}

impl VacancyIn {
    pub fn parse(&self, default_industry: &IndustryCode, today: NaiveDate) -> Result<VacancyDraft, ApiError> {
        let mut p = Problems::default();
        let title = p.take("title", text::required("title", &self.title, 60));
        let description = p
            .take("description", text::optional("description", Some(&self.description), 5000))
            .map(Option::unwrap_or_default);
        let occupation = p.take("occupation", OccupationCode::parse_code_or_name(&self.occupation));
        let industry = match self.industry.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(i) => p.take("industry", IndustryCode::parse(i)),
            None => Some(*default_industry),
        };
        let district = p.take("district", DistrictCode::parse(&self.district));
        let address = p.take("address", text::required("address", &self.address, 200));
        let education_required = p
            .take(
                "education_required",
                self.education_required
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(EducationLevel::parse)
                    .transpose(),
            )
            .flatten();
        let kind = p.take("kind", VacancyKind::parse(&self.kind));
        let skills = p.take("skills", text::labels("skills", &self.skills, 20, 30)).unwrap_or_default();
        let unit = p.take("pay_unit", self.pay_unit.as_deref().map_or(Ok(PayUnit::Month), PayUnit::parse));
        let pay = unit.and_then(|unit| {
            Pay::state(unit, (self.pay_min_fen, self.pay_max_fen), (self.salary_min, self.salary_max))
                .map_err(|errors| p.0.extend(errors))
                .ok()
        });
        let draft = match (title, description, occupation, industry, district, address, kind, pay) {
            (
                Some(title),
                Some(description),
                Some(occupation),
                Some(industry),
                Some(district),
                Some(address),
                Some(kind),
                Some(pay),
            ) => {
                let d = VacancyDraft {
                    title,
                    description,
                    occupation,
                    industry,
                    district,
                    address,
                    latitude: self.latitude,
                    longitude: self.longitude,
                    pay,
                    headcount: self.headcount,
                    education_required,
                    kind,
                    opens_on: self.opens_on,
                    closes_on: self.closes_on,
                    skills,
                };
                p.0.extend(d.check(today));
                Some(d)
            }
            _ => None,
        };
        p.finish(draft)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayOut {
    /// `month`, `day`, `hour`, `piece` or `negotiable`.
    pub unit: String,
    /// The day, hour or piece rate in fen (分).
    pub rate_min_fen: Option<i64>,
    pub rate_max_fen: Option<i64>,
    /// Monthly equivalent in yuan; none for `negotiable`.
    pub monthly_min: Option<i32>,
    pub monthly_max: Option<i32>,
    /// As people read it: "200–300 元/天（约 4,350–6,525 元/月）", "面议".
    pub text_zh: String,
    pub text_en: String,
}

impl PayOut {
    pub fn of(p: &Pay) -> Self {
        PayOut {
            unit: p.unit.as_str().to_string(),
            rate_min_fen: p.rate_fen.map(|r| r.0),
            rate_max_fen: p.rate_fen.map(|r| r.1),
            monthly_min: p.monthly.map(|m| m.0),
            monthly_max: p.monthly.map(|m| m.1),
            text_zh: p.text(true),
            text_en: p.text(false),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VacancyOut {
    pub id: Uuid,
    pub employer_id: Uuid,
    pub employer_name: String,
    pub title: String,
    pub description: String,
    pub occupation: CodeName,
    pub industry: CodeName,
    pub district: CodeName,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Monthly equivalent in yuan, what filters and sorting compare (0 and 0 for `negotiable`).
    pub salary_min: i32,
    pub salary_max: i32,
    /// The pay as the employer stated it.
    pub pay: PayOut,
    pub headcount: i32,
    pub education_required: Option<CodeName>,
    pub kind: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub skills: Vec<String>,
    /// Status as of today: an open vacancy past its close date reads `expired`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

impl VacancyOut {
    pub fn of(v: &Vacancy, today: NaiveDate) -> Self {
        VacancyOut {
            id: v.id,
            employer_id: v.employer_id,
            employer_name: v.employer_name.clone(),
            title: v.title.clone(),
            description: v.description.clone(),
            occupation: cn(v.occupation.as_str(), v.occupation.name()),
            industry: cn(v.industry.as_str(), v.industry.name()),
            district: cn(v.district.as_str(), v.district.name()),
            address: v.address.clone(),
            latitude: v.latitude,
            longitude: v.longitude,
            salary_min: v.salary_min,
            salary_max: v.salary_max,
            pay: PayOut::of(&v.pay),
            headcount: v.headcount,
            education_required: v.education_required.map(|e| cn(e.code(), e.label_zh())),
            kind: v.kind.as_str().to_string(),
            opens_on: v.opens_on,
            closes_on: v.closes_on,
            skills: v.skills.clone(),
            status: v.status_on(today).as_str().to_string(),
            created_at: v.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PageOut<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
