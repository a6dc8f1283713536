//! The employer's vacancy management: list in every status, post, close, mark filled, reopen.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;

use jiuye_domain::codes::EducationLevel;
use jiuye_domain::records::pay::parse_yuan;
use jiuye_domain::records::{PayUnit, VacancyKind, VacancyStatus};
use jiuye_store::{PageRequest, VacancyFilter};

use super::{Chrome, FormData, Opt, OrPage, PageError, PageResult, Tr, district_options, messages_of, options, render};
use crate::AppState;
use crate::api::parse_id;
use crate::api::vacancies::{change_status, post_vacancy};
use crate::api::wire::{EmployerOut, VacancyIn, VacancyOut};
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;

pub struct Row {
    pub v: VacancyOut,
    pub status_label: String,
    pub kind_label: String,
    pub actions: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "employer_vacancies.html")]
struct List {
    c: Chrome,
    employer: EmployerOut,
    rows: Vec<Row>,
    notice: Option<String>,
}

async fn own_employer(state: &AppState, viewer: &Viewer, t: Tr) -> Result<EmployerOut, PageError> {
    let id = viewer.account.as_ref().and_then(|a| a.employer_id).ok_or(PageError(ApiError::NotFound, t))?;
    let e = state.store.employer_by_id(id).await.or_page(t)?;
    Ok(EmployerOut::from(&e))
}

#[derive(serde::Deserialize)]
pub struct Notice {
    posted: Option<String>,
    changed: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(n): crate::api::Query<Notice>,
) -> PageResult {
    let employer = own_employer(&state, &viewer, t).await?;
    let today = state.clock.today();
    let filter = VacancyFilter { employer_id: Some(employer.id), ..Default::default() };
    let page = state.store.list_vacancies(&filter, PageRequest::first(100)).await.or_page(t)?;
    let rows = page
        .items
        .iter()
        .map(|v| {
            let status = v.status_on(today);
            let actions = [VacancyStatus::Closed, VacancyStatus::Filled, VacancyStatus::Open]
                .into_iter()
                .filter(|next| status.can_become(*next) && !(*next == VacancyStatus::Open && v.closes_on < today))
                .map(|next| (next.as_str().to_string(), t.t(&format!("ui.vacancy.action.{}", next.as_str()))))
                .collect();
            Row {
                v: VacancyOut::of(v, today),
                status_label: t.t(&status.label_key()),
                kind_label: t.t(&v.kind.label_key()),
                actions,
            }
        })
        .collect();
    let notice = if n.posted.is_some() {
        Some(t.t("ui.vacancy.posted"))
    } else if n.changed.is_some() {
        Some(t.t("ui.saved"))
    } else {
        None
    };
    Ok(render(&List { c: Chrome::new(t, &viewer, "/employer/vacancies"), employer, rows, notice }))
}

#[derive(Template)]
#[template(path = "vacancy_form.html")]
struct NewVacancy {
    c: Chrome,
    title: String,
    description: String,
    occupation: String,
    address: String,
    salary_min: String,
    salary_max: String,
    pay_min: String,
    pay_max: String,
    pay_units: Vec<Opt>,
    headcount: String,
    opens_on: String,
    closes_on: String,
    skills: String,
    districts: Vec<Opt>,
    kinds: Vec<Opt>,
    education: Vec<Opt>,
    errors: super::form::FormErrors,
}

fn form_page(
    state: &AppState,
    t: Tr,
    viewer: &Viewer,
    employer: &EmployerOut,
    form: Option<&FormData>,
    errors: super::form::FormErrors,
) -> NewVacancy {
    let today = state.clock.today();
    let get = |k: &str, default: String| form.map(|f| f.get(k)).unwrap_or(default);
    let sel = |k: &str, default: &str| form.map(|f| f.all(k)).unwrap_or_else(|| vec![default.to_string()]);
    NewVacancy {
        c: Chrome::new(t, viewer, "/employer/vacancies"),
        title: get("title", String::new()),
        description: get("description", String::new()),
        occupation: get("occupation", String::new()),
        address: get("address", employer.address.clone().unwrap_or_default()),
        salary_min: get("salary_min", String::new()),
        salary_max: get("salary_max", String::new()),
        pay_min: get("pay_min", String::new()),
        pay_max: get("pay_max", String::new()),
        pay_units: options(PayUnit::ALL.iter().map(|u| (u.as_str(), t.t(&u.label_key()))), &sel("pay_unit", "month")),
        headcount: get("headcount", "1".into()),
        opens_on: get("opens_on", today.to_string()),
        closes_on: get("closes_on", (today + Duration::days(60)).to_string()),
        skills: get("skills", String::new()),
        districts: district_options(t, &sel("district", &employer.district.code)),
        kinds: options(VacancyKind::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), &sel("kind", "full_time")),
        education: options(
            std::iter::once(("", t.t("ui.none"))).chain(
                EducationLevel::all()
                    .iter()
                    .map(|e| (e.code(), if t.zh() { e.label_zh() } else { e.label_en() }.to_string())),
            ),
            &sel("education_required", ""),
        ),
        errors,
    }
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let employer = own_employer(&state, &viewer, t).await?;
    Ok(render(&form_page(&state, t, &viewer, &employer, None, Default::default())))
}

fn vacancy_in(form: &FormData) -> Result<VacancyIn, ApiError> {
    let int = |k: &str| -> Result<i32, ApiError> {
        form.int(k)
            .map_err(ApiError::invalid)?
            .ok_or_else(|| ApiError::invalid(jiuye_domain::CodeError::new("input.required").field(k)))
    };
    let optional_int = |k: &str| -> Result<Option<i32>, ApiError> { form.int(k).map_err(ApiError::invalid) };
    let yuan = |k: &str, field: &str| -> Result<Option<i64>, ApiError> {
        parse_yuan(field, &form.get(k)).map_err(ApiError::invalid)
    };
    let date = |k: &str| -> Result<chrono::NaiveDate, ApiError> {
        chrono::NaiveDate::parse_from_str(form.get(k).trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("input.date").field(k)))
    };
    Ok(VacancyIn {
        employer_id: None,
        title: form.get("title"),
        description: form.get("description"),
        occupation: form.get("occupation"),
        industry: None,
        district: form.get("district"),
        address: form.get("address"),
        latitude: None,
        longitude: None,
        pay_unit: form.opt("pay_unit"),
        salary_min: optional_int("salary_min")?,
        salary_max: optional_int("salary_max")?,
        pay_min_fen: yuan("pay_min", "pay_min_fen")?,
        pay_max_fen: yuan("pay_max", "pay_max_fen")?,
        headcount: int("headcount")?,
        education_required: form.opt("education_required"),
        kind: form.get("kind"),
        opens_on: date("opens_on")?,
        closes_on: date("closes_on")?,
        skills: form.split("skills"),
    })
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let employer = own_employer(&state, &viewer, t).await?;
    let result = async {
        let input = vacancy_in(&form)?;
        post_vacancy(&state, &viewer, &input).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/employer/vacancies?posted=1").into_response()),
        Err(e) => {
            let mut resp: Response = render(&form_page(&state, t, &viewer, &employer, Some(&form), messages_of(&e, t)));
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

pub async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let status = form.get("status");
    let vid = parse_id(&id).or_page(t)?;
    state.core().vacancy_managed(&state.ctx(&viewer), vid).await.map_err(ApiError::from).or_page(t)?;
    if matches!(status.as_str(), "closed" | "filled") && super::confirm_first(&form) {
        let action = format!("/employer/vacancies/{id}/status");
        let question = format!("ui.confirm.vacancy_{status}");
        let yes = format!("ui.vacancy.action.{status}");
        return Ok(super::confirm_page(
            t,
            &viewer,
            &form,
            super::Ask { action: &action, cancel: "/employer/vacancies", question: &question, yes: &yes },
        ));
    }
    let id = parse_id(&id).or_page(t)?;
    change_status(&state, &viewer, id, &status).await.or_page(t)?;
    Ok(Redirect::to("/employer/vacancies?changed=1").into_response())
}
