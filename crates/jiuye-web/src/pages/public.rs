//! Public pages: home with the search box, the vacancy list with filters, a vacancy, settings.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use jiuye_domain::records::{VacancyKind, VacancyStatus};
use jiuye_store::PageRequest;

use super::{Chrome, Opt, OrPage, PageError, PageResult, Tr, district_options, options, render};
use crate::AppState;
use crate::api::vacancies::VacancyQuery;
use crate::api::wire::VacancyOut;
use crate::api::{Paging, Query, parse_id};
use crate::auth::Viewer;
use crate::error::ApiError;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    open_count: usize,
    latest: Vec<VacancyOut>,
    districts: Vec<Opt>,
}

pub async fn home(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let today = state.clock.today();
    let filter = jiuye_store::VacancyFilter { open_on: Some(today), ..Default::default() };
    let page = state.store.list_vacancies(&filter, PageRequest::first(6)).await.or_page(t)?;
    let latest: Vec<VacancyOut> = page.items.iter().map(|v| VacancyOut::of(v, today)).collect();
    Ok(render(&Home {
        c: Chrome::new(t, &viewer, "/"),
        open_count: latest.len(),
        latest,
        districts: district_options(t, &[]),
    }))
}

#[derive(Debug, Deserialize)]
pub struct SettingsQuery {
    lang: Option<String>,
    large: Option<String>,
    back: Option<String>,
}

/// Remember language and text size in cookies and go back where the visitor was.
pub async fn settings(Query(q): Query<SettingsQuery>) -> Response {
    // Only local paths: never redirect to another site.
    let back = q.back.filter(|b| b.starts_with('/') && !b.starts_with("//")).unwrap_or_else(|| "/".into());
    let mut resp = Redirect::to(&back).into_response();
    let year = 365 * 24 * 3600;
    if let Some(lang) = q.lang.as_deref().and_then(jiuye_domain::Lang::parse)
        && let Ok(v) = HeaderValue::from_str(&format!(
            "jiuye_lang={}; Path=/; Max-Age={year}; SameSite=Lax",
            match lang {
                jiuye_domain::Lang::Zh => "zh",
                jiuye_domain::Lang::En => "en",
            }
        ))
    {
        resp.headers_mut().append(SET_COOKIE, v);
    }
    if let Some(large) = q.large.as_deref()
        && let Ok(v) = HeaderValue::from_str(&format!(
            "jiuye_large={}; Path=/; Max-Age={year}; SameSite=Lax",
            if large == "1" { 1 } else { 0 }
        ))
    {
        resp.headers_mut().append(SET_COOKIE, v);
    }
    resp
}

#[derive(Template)]
#[template(path = "vacancies.html")]
struct Vacancies {
    c: Chrome,
    q: String,
    occupation: String,
    districts: Vec<Opt>,
    kinds: Vec<Opt>,
    items: Vec<VacancyOut>,
    next: Option<String>,
    errors: Vec<String>,
}

impl Vacancies {
    fn kind_label(&self, kind: &str) -> String {
        self.c.t.t(&format!("vacancy.kind.{kind}"))
    }
}

pub async fn vacancies(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<VacancyQuery>,
) -> PageResult {
    let today = state.clock.today();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut next = None;
    match q.filter().and_then(|f| Ok((f, Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?))) {
        Ok((mut filter, page)) => {
            filter.open_on = Some(today);
            let page = state.store.list_vacancies(&filter, page).await.or_page(t)?;
            items = page.items.iter().map(|v| VacancyOut::of(v, today)).collect();
            next = page.next_cursor.map(|cur| {
                let mut pairs = form_urlencoded::Serializer::new(String::new());
                for (k, v) in [("q", &q.q), ("district", &q.district), ("occupation", &q.occupation), ("kind", &q.kind)]
                {
                    if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                        pairs.append_pair(k, v);
                    }
                }
                pairs.append_pair("cursor", &cur);
                format!("/vacancies?{}", pairs.finish())
            });
        }
        Err(e) => errors = super::messages_of(&e, t),
    }
    let district_sel: Vec<String> = q.district.iter().cloned().collect();
    let kind_sel: Vec<String> = q.kind.iter().cloned().collect();
    let page = Vacancies {
        c: Chrome::new(t, &viewer, "/vacancies"),
        q: q.q.clone().unwrap_or_default(),
        occupation: q.occupation.clone().unwrap_or_default(),
        districts: district_options(t, &district_sel),
        kinds: options(VacancyKind::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), &kind_sel),
        items,
        next,
        errors,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "vacancy.html")]
struct VacancyPage {
    c: Chrome,
    v: VacancyOut,
    kind: String,
    status: String,
    open: bool,
}

pub async fn vacancy(State(state): State<AppState>, viewer: Viewer, t: Tr, Path(id): Path<String>) -> PageResult {
    let id = parse_id(&id).or_page(t)?;
    let v = state.store.vacancy_by_id(id).await.or_page(t)?;
    let today = state.clock.today();
    let status = v.status_on(today);
    let manages = match viewer.account.as_ref() {
        Some(a) => a.employer_id == Some(v.employer_id) || a.role.is_staff(),
        None => false,
    };
    if status != VacancyStatus::Open && !manages {
        return Err(PageError(ApiError::NotFound, t));
    }
    let page = VacancyPage {
        c: Chrome::new(t, &viewer, "/vacancies"),
        kind: t.t(&v.kind.label_key()),
        status: t.t(&status.label_key()),
        open: status == VacancyStatus::Open,
        v: VacancyOut::of(&v, today),
    };
    Ok(render(&page))
}
