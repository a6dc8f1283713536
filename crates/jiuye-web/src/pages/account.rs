//! Sign in and out, registration of seekers and employers, and the landing after sign-in.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};

use jiuye_domain::codes::{DocumentKind, EducationLevel, KeyGroup, region};
use jiuye_domain::records::EmployerSize;

use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, district_options, home_of, messages_of, options, render};
use crate::AppState;
use crate::api::session::{create_employer_account, create_seeker, login_key, seeker_identity};
use crate::api::wire::{EmployerIn, IdentityIn, PersonIn};
use crate::auth::{self, LoginOutcome, Viewer};
use crate::csrf;
use crate::error::ApiError;

#[derive(Template)]
#[template(path = "login.html")]
struct Login {
    c: Chrome,
    kind: String,
    identifier: String,
    errors: super::form::FormErrors,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    /// `registered` or `activated`: what the visitor just did, said above the form.
    done: Option<String>,
}

pub async fn login_form(viewer: Viewer, t: Tr, crate::api::Query(q): crate::api::Query<LoginQuery>) -> Response {
    let notice = match q.done.as_deref() {
        Some("registered") => Some(t.t("auth.registration_received")),
        Some("activated") => Some(t.t("ui.activate.done")),
        Some("password") => Some(t.t("ui.account.password_changed")),
        Some("signed_out") => Some(t.t("ui.account.signed_out")),
        _ => None,
    };
    render(&Login {
        c: Chrome::new(t, &viewer, "/login"),
        kind: "seeker".into(),
        identifier: String::new(),
        errors: Default::default(),
        notice,
    })
}

fn with_session(to: &str, token: &str, secure: bool) -> Response {
    let mut resp = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(token, secure)) {
        resp.headers_mut().insert(SET_COOKIE, v);
    }
    resp
}

async fn sign_in(state: &AppState, viewer: &Viewer, key: &str, password: &str) -> Result<Response, ApiError> {
    let ip = viewer.ip.as_deref().and_then(|i| i.parse().ok());
    match auth::login(state, key, password, ip).await? {
        LoginOutcome::Ok { token, account } => Ok(with_session(home_of(account.role), &token, state.secure_cookies)),
        LoginOutcome::Refused(e) => Err(e),
    }
}

pub async fn login(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let kind = form.get("kind");
    let identifier = form.get("identifier");
    let key = match kind.as_str() {
        "seeker" => seeker_identity(
            &state,
            &identifier,
            form.opt("document_kind").as_deref(),
            form.opt("nationality").as_deref(),
        )
        .map(|id| format!("id:{}", state.vault.lookup_hash(&id))),
        other => login_key(&state, other, &identifier),
    };
    let signed = match key {
        Ok(key) => sign_in(&state, &viewer, &key, &form.get("password")).await,
        Err(e) => Err(e),
    };
    match signed {
        Ok(resp) => Ok(resp),
        Err(e) => {
            let mut resp = render(&Login {
                c: Chrome::new(t, &viewer, "/login"),
                kind,
                // Never echo an ID number back into the page.
                identifier: if form.get("kind") == "seeker" { String::new() } else { identifier },
                errors: messages_of(&e, t),
                notice: None,
            });
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

pub async fn logout(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    if let Some(hash) = &viewer.token_hash {
        state.store.delete_session(hash).await.or_page(t)?;
    }
    let mut resp = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_session_cookie(state.secure_cookies)) {
        resp.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(resp)
}

pub async fn me(viewer: Viewer) -> Response {
    match viewer.role() {
        Some(role) => Redirect::to(home_of(role)).into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

#[derive(Template)]
#[template(path = "register.html")]
struct Register {
    c: Chrome,
    f: PersonForm,
    errors: super::form::FormErrors,
}

/// The seeker form's values and choices, shared by registration and the profile page.
pub struct PersonForm {
    pub name: String,
    pub mobile: String,
    pub address: String,
    pub rural: bool,
    pub occupations: String,
    pub skills: String,
    pub salary_min: String,
    pub salary_max: String,
    pub max_commute_km: String,
    pub districts: Vec<Opt>,
    pub provinces: Vec<Opt>,
    pub education: Vec<Opt>,
    pub key_groups: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub id_kinds: Vec<Opt>,
    pub sexes: Vec<Opt>,
    pub nationality: String,
    pub birth_date: String,
    /// Every street of Xiamen, labelled with its district.
    pub streets: Vec<Opt>,
    pub wanted_districts: Vec<Opt>,
    /// One certificate a line: `name / level`.
    pub certificates: String,
    /// The names of the wanted occupations, beside their codes.
    pub occupation_names: Vec<String>,
    /// The document number as typed (kept when the form comes back with problems).
    pub national_id: String,
}

impl PersonForm {
    pub fn from_values(t: Tr, form: Option<&FormData>) -> PersonForm {
        let get = |k: &str| form.map(|f| f.get(k)).unwrap_or_default();
        let sel = |k: &str| form.map(|f| f.all(k)).unwrap_or_default();
        let origin = match form {
            Some(f) => f.all("household_origin"),
            None => vec!["350000".to_string()],
        };
        PersonForm {
            name: get("name"),
            mobile: get("mobile"),
            address: get("address"),
            rural: get("rural_household") == "1",
            occupations: get("wanted_occupations"),
            skills: get("skills"),
            salary_min: get("wanted_salary_min"),
            salary_max: get("wanted_salary_max"),
            max_commute_km: get("max_commute_km"),
            districts: district_options(t, &sel("district")),
            provinces: options(region::provinces().iter().map(|r| (r.code, t.region(r.code))), &origin),
            education: options(
                EducationLevel::all()
                    .iter()
                    .map(|e| (e.code(), if t.zh() { e.label_zh() } else { e.label_en() }.to_string())),
                &sel("education"),
            ),
            // Groups only a document can say are not offered: the document says them.
            key_groups: options(
                KeyGroup::all()
                    .iter()
                    .filter(|k| !k.by_document())
                    .map(|k| (k.id(), if t.zh() { k.label_zh() } else { k.label_en() }.to_string())),
                &sel("key_groups"),
            ),
            id_kinds: options(DocumentKind::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), &sel("id_kind")),
            sexes: options([("male", t.t("person.sex.male")), ("female", t.t("person.sex.female"))], &sel("sex")),
            nationality: get("nationality"),
            birth_date: get("birth_date"),
            streets: options(
                jiuye_domain::codes::StreetCode::all().into_iter().map(|s| {
                    let label = format!("{} · {}", t.region(s.district().as_str()), s.name());
                    (s.as_str(), label)
                }),
                &sel("street"),
            ),
            wanted_districts: district_options(t, &sel("wanted_districts")),
            certificates: get("certificates"),
            national_id: get("national_id"),
            occupation_names: get("wanted_occupations")
                .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
                .filter_map(|o| jiuye_domain::codes::OccupationCode::parse_code_or_name(o).ok())
                .map(|o| format!("{} {}", o.as_str(), o.name()))
                .collect(),
            statuses: options(
                jiuye_domain::records::EmploymentStatus::ALL
                    .iter()
                    .map(|s| (s.as_str(), t.t(&format!("person.status.{}", s.as_str())))),
                &sel("employment_status"),
            ),
        }
    }
}

/// Certificates typed one a line as `name / level` (the level may be left out).
pub fn certificates_in(text: &str) -> Vec<crate::api::wire::CertificateIn> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, level) = match l.split_once(['/', '／']) {
                Some((n, lv)) => (n.trim(), Some(lv.trim().to_string()).filter(|lv| !lv.is_empty())),
                None => (l, None),
            };
            crate::api::wire::CertificateIn { name: name.to_string(), level }
        })
        .collect()
}

/// Read the seeker form into the API's input type, so pages and API share every rule; what
/// cannot even be read (a number that is no number, a date that is no date) comes back as
/// problems beside it, so the page can show every problem at once.
pub fn person_in(form: &FormData) -> (PersonIn, Vec<jiuye_domain::CodeError>) {
    let mut problems = Vec::new();
    let mut salary = |k: &str| {
        form.int(k).unwrap_or_else(|e| {
            problems.push(e);
            None
        })
    };
    let (wanted_salary_min, wanted_salary_max) = (salary("wanted_salary_min"), salary("wanted_salary_max"));
    let max_commute_km = salary("max_commute_km");
    let kind = form.opt("id_kind").filter(|k| k != "resident_id");
    let identity =
        kind.map(|kind| IdentityIn { kind, number: form.get("national_id"), nationality: form.opt("nationality") });
    let birth_date = match form.opt("birth_date") {
        Some(d) => match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(jiuye_domain::CodeError::new("input.date").field("birth_date"));
                None
            }
        },
        None => None,
    };
    let input = PersonIn {
        identity,
        birth_date,
        sex: form.opt("sex"),
        national_id: form.get("national_id"),
        name: form.get("name"),
        mobile: form.get("mobile"),
        district: form.get("district"),
        street: form.opt("street"),
        address: form.opt("address"),
        household_origin: form.get("household_origin"),
        rural_household: form.get("rural_household") == "1",
        education: form.get("education"),
        key_groups: form.all("key_groups"),
        skills: form.split("skills"),
        certificates: certificates_in(&form.get("certificates")),
        wanted_occupations: form.split("wanted_occupations"),
        wanted_districts: form.all("wanted_districts"),
        wanted_salary_min,
        wanted_salary_max,
        max_commute_km,
        employment_status: form.opt("employment_status").unwrap_or_else(|| "unemployed".into()),
    };
    (input, problems)
}

pub async fn register_form(viewer: Viewer, t: Tr) -> Response {
    render(&Register {
        c: Chrome::new(t, &viewer, "/register"),
        f: PersonForm::from_values(t, None),
        errors: Default::default(),
    })
}

pub async fn register(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let result = async {
        let (input, mut problems) = person_in(&form);
        let password = form.get("password");
        if password != form.get("password2") {
            problems.push(jiuye_domain::CodeError::new("password.mismatch").field("password2"));
        }
        if !problems.is_empty() {
            // Every problem at once: the rest of the form is checked too, and nothing is written.
            if let Err(ApiError::Invalid(more)) = input.parse(state.clock.today()) {
                problems.extend(more);
            }
            if let Err(e) = auth::check_password_rules(&password) {
                problems.push(e);
            }
            return Err(ApiError::Invalid(problems));
        }
        // New or already on file, the visitor is told the same and signs in next.
        create_seeker(&state, &viewer, &input, &password).await?;
        Ok(Redirect::to("/login?done=registered").into_response())
    }
    .await;
    match result {
        Ok(resp) => Ok(resp),
        Err(e) => {
            let mut resp = render(&Register {
                c: Chrome::new(t, &viewer, "/register"),
                f: PersonForm::from_values(t, Some(&form)),
                errors: messages_of(&e, t),
            });
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

#[derive(Template)]
#[template(path = "register_employer.html")]
struct RegisterEmployer {
    c: Chrome,
    credit_code: String,
    name: String,
    address: String,
    contact_name: String,
    contact_mobile: String,
    industries: Vec<Opt>,
    districts: Vec<Opt>,
    sizes: Vec<Opt>,
    errors: super::form::FormErrors,
}

fn employer_page(t: Tr, viewer: &Viewer, form: Option<&FormData>, errors: super::form::FormErrors) -> RegisterEmployer {
    let get = |k: &str| form.map(|f| f.get(k)).unwrap_or_default();
    let sel = |k: &str| form.map(|f| f.all(k)).unwrap_or_default();
    RegisterEmployer {
        c: Chrome::new(t, viewer, "/register/employer"),
        credit_code: get("credit_code"),
        name: get("name"),
        address: get("address"),
        contact_name: get("contact_name"),
        contact_mobile: get("contact_mobile"),
        industries: options(
            jiuye_domain::codes::industry::divisions().into_iter().map(|i| (i.code, format!("{} {}", i.code, i.name))),
            &sel("industry"),
        ),
        districts: district_options(t, &sel("district")),
        sizes: options(
            EmployerSize::ALL.iter().map(|s| (s.as_str(), t.t(&format!("employer.size.{}", s.as_str())))),
            &sel("size"),
        ),
        errors,
    }
}

pub async fn register_employer_form(viewer: Viewer, t: Tr) -> Response {
    render(&employer_page(t, &viewer, None, Default::default()))
}

pub async fn register_employer(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let result = async {
        let input = EmployerIn {
            credit_code: form.get("credit_code"),
            name: form.get("name"),
            industry: form.get("industry"),
            district: form.get("district"),
            address: form.opt("address"),
            size: form.get("size"),
            key_enterprise: false,
            liaison_account: None,
            contact_name: form.opt("contact_name"),
            contact_mobile: form.opt("contact_mobile"),
        };
        let password = form.get("password");
        if password != form.get("password2") {
            return Err(ApiError::invalid(jiuye_domain::CodeError::new("password.mismatch").field("password2")));
        }
        create_employer_account(&state, &viewer, &input, &form.get("contact_name"), &password).await?;
        let key = login_key(&state, "employer", &input.credit_code)?;
        sign_in(&state, &viewer, &key, &password).await
    }
    .await;
    match result {
        Ok(resp) => Ok(resp),
        Err(e) => {
            let mut resp = render(&employer_page(t, &viewer, Some(&form), messages_of(&e, t)));
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}
