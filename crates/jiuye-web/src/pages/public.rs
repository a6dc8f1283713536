//! Public pages: home with the search box, the vacancy list with filters, a vacancy, settings.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use jiuye_domain::records::{VacancyKind, VacancyStatus};
use jiuye_store::PageRequest;

use super::{Chrome, Opt, OrPage, PageResult, Tr, district_options, options, render};
use crate::AppState;
use crate::api::search::{SearchHit, SearchParams};
use crate::api::wire::VacancyOut;
use crate::api::{Query, parse_id};
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
    salary_min: String,
    districts: Vec<Opt>,
    kinds: Vec<Opt>,
    sorts: Vec<Opt>,
    total: usize,
    items: Vec<SearchHit>,
    /// Per result: the day it was posted and, for a seeker, how far it is (same order).
    extras: Vec<HitExtra>,
    facets: Vec<FacetGroup>,
    /// "约" before an estimated count.
    about: String,
    next: Option<String>,
    /// How the text was read (filters taken from it, partial matching), one line each.
    notes: Vec<String>,
    /// Words read as others: (the word meant, a search for it).
    meant: Vec<(String, String)>,
    errors: super::form::FormErrors,
}

/// The lines that say how a search's text was read.
fn search_notes(t: Tr, u: &crate::api::search::UnderstoodOut) -> Vec<String> {
    use jiuye_domain::messages::render;
    let list = |v: &[String]| v.join(if t.zh() { "、" } else { ", " });
    let mut out = Vec::new();
    if let Some(d) = &u.district {
        out.push(render("ui.search.read_district", t.lang, &[("name", t.region(d))]));
    }
    if let Some(k) = &u.kind {
        out.push(render("ui.search.read_kind", t.lang, &[("name", t.t(&format!("vacancy.kind.{k}")))]));
    }
    if !u.conditions.is_empty() {
        out.push(render("ui.search.read_conditions", t.lang, &[("words", list(&u.conditions))]));
    }
    if let Some(r) = &u.relaxed {
        let key = if r.all_words == 0 { "ui.search.relaxed_none" } else { "ui.search.relaxed_few" };
        out.push(render(key, t.lang, &[("words", list(&r.words)), ("n", r.all_words.to_string())]));
    }
    if !u.ignored.is_empty() {
        out.push(render("ui.search.ignored", t.lang, &[("words", list(&u.ignored))]));
    }
    out
}

pub struct FacetLink {
    pub label: String,
    /// An official Chinese name without an English one (occupations, industries): data.
    pub data: bool,
    pub count: u64,
    /// The count is estimated ("约").
    pub about: bool,
    pub href: String,
    pub active: bool,
}

pub struct FacetGroup {
    pub title: String,
    pub links: Vec<FacetLink>,
}

impl Vacancies {
    fn kind_label(&self, kind: &str) -> String {
        self.c.t.t(&format!("vacancy.kind.{kind}"))
    }
}

/// The current search as query pairs, with `key` set to `value` (or removed when None).
fn with_param(p: &SearchParams, key: &str, value: Option<&str>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let fields: [(&str, Option<String>); 7] = [
        ("q", p.q.clone()),
        ("district", p.district.clone()),
        ("occupation", p.occupation.clone()),
        ("industry", p.industry.clone()),
        ("kind", p.kind.clone()),
        ("salary_min", p.salary_min.map(|v| v.to_string())),
        ("sort", p.sort.clone()),
    ];
    for (k, v) in fields {
        if k == key {
            continue;
        }
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            pairs.push((k, v));
        }
    }
    if let Some(v) = value {
        pairs.push((key, v.to_string()));
    }
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, &v);
    }
    format!("/vacancies?{}", s.finish())
}

pub async fn vacancies(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(mut p): Query<SearchParams>,
) -> PageResult {
    // A signed-in seeker's home district, and the place they set: where distances are measured
    // from. The place never goes into the URL (it is personal); it is read here each time.
    let home = match viewer.account.as_ref().and_then(|a| a.person_id) {
        Some(pid) => {
            let person = state.store.person_by_id(pid).await.or_page(t)?;
            Some(SeekerHome { district: person.district, set: person.home_cell.map(|_| person.origin()) })
        }
        None => None,
    };
    if p.from_district.is_none() {
        p.from_district = home.as_ref().map(|h| h.district.as_str().to_string());
    }
    let mut errors = super::form::FormErrors::default();
    let mut out = None;
    match p.to_query() {
        Ok(mut q) => {
            // A distance sort from the seeker's own district starts where they set.
            if let (Some(SeekerHome { district, set: Some(at) }), Some((_, from))) = (&home, &q.from)
                && from == district
            {
                q.from = Some((*at, *district));
            }
            out = Some(crate::api::search::run(&state, &q, t.lang).await.or_page(t)?)
        }
        Err(e) => errors = super::messages_of(&e, t),
    }
    let (notes, meant) = match &out {
        Some(o) => (
            search_notes(t, &o.understood),
            o.understood
                .did_you_mean
                .iter()
                .map(|d| {
                    (
                        d.meant.clone(),
                        with_param(&p, "q", Some(&p.q.as_deref().unwrap_or_default().replace(&d.typed, &d.meant))),
                    )
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let (total, items, facets, next) = match out {
        Some(o) => {
            let estimated = o.facets.estimated;
            let group = |title: &str,
                         key: &str,
                         current: &Option<String>,
                         counts: &[crate::api::search::FacetCount]| FacetGroup {
                title: t.t(title),
                links: counts
                    .iter()
                    .map(|f| {
                        let active = current.as_deref() == Some(f.value.as_str());
                        FacetLink {
                            label: if key == "district" { t.region(&f.value) } else { f.label.clone() },
                            data: matches!(key, "occupation" | "industry"),
                            count: f.count,
                            about: estimated,
                            href: with_param(&p, key, if active { None } else { Some(&f.value) }),
                            active,
                        }
                    })
                    .collect(),
            };
            let facets = vec![
                group("ui.field.district", "district", &p.district, &o.facets.district),
                group("ui.field.kind", "kind", &p.kind, &o.facets.kind),
                group("ui.field.occupation", "occupation", &p.occupation, &o.facets.occupation),
                group("ui.field.industry", "industry", &p.industry, &o.facets.industry),
            ];
            let next = o.next_cursor.as_deref().map(|c| with_param(&p, "cursor", Some(c)));
            (o.total, o.items, facets, next)
        }
        None => (0, Vec::new(), Vec::new(), None),
    };
    let extras = hit_extras(home.as_ref(), t, &items);
    let district_sel: Vec<String> = p.district.iter().cloned().collect();
    let kind_sel: Vec<String> = p.kind.iter().cloned().collect();
    let sort_sel: Vec<String> = p.sort.iter().cloned().collect();
    let page = Vacancies {
        about: t.t("ui.search.about"),
        c: Chrome::new(t, &viewer, "/vacancies"),
        q: p.q.clone().unwrap_or_default(),
        occupation: p.occupation.clone().unwrap_or_default(),
        salary_min: p.salary_min.map(|v| v.to_string()).unwrap_or_default(),
        districts: district_options(t, &district_sel),
        kinds: options(VacancyKind::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), &kind_sel),
        sorts: options(
            [
                ("relevance", t.t("ui.search.sort_relevance")),
                ("newest", t.t("ui.search.sort_newest")),
                ("salary", t.t("ui.search.sort_salary")),
            ]
            .into_iter()
            .chain(home.is_some().then(|| ("distance", t.t("ui.search.sort_distance")))),
            &sort_sel,
        ),
        total,
        items,
        extras,
        facets,
        next,
        notes,
        meant,
        errors,
    };
    Ok(render(&page))
}

/// What a result says beside its title: posted on, and distance from a seeker's home.
pub struct HitExtra {
    pub posted: String,
    pub distance: Option<String>,
}

/// A signed-in seeker's district, and where they set their trips to start.
struct SeekerHome {
    district: jiuye_domain::codes::DistrictCode,
    set: Option<jiuye_domain::geo::LatLon>,
}

/// Posting days, and for a signed-in seeker the trip from where they set it to start (else
/// their home district's seat) to the workplace (its coordinates, or its district's seat) as
/// people travel — across the water by a bridge or tunnel (`jiuye_domain::geo`): an estimate,
/// and said to be one.
fn hit_extras(home: Option<&SeekerHome>, t: Tr, items: &[SearchHit]) -> Vec<HitExtra> {
    items
        .iter()
        .map(|h| {
            let v = &h.vacancy;
            let distance = home.map(|SeekerHome { district: home, set }| {
                let start = set.unwrap_or_else(|| jiuye_domain::geo::district_seat(home));
                let here = jiuye_domain::geo::From::new(start, home);
                let district = jiuye_domain::codes::DistrictCode::parse(&v.district.code).ok();
                let there = match (v.latitude.zip(v.longitude), district) {
                    (Some(at), Some(d)) => Some((at, d)),
                    (None, Some(d)) if d != *home => Some((jiuye_domain::geo::district_seat(&d), d)),
                    _ => None,
                };
                match there {
                    Some((at, d)) => {
                        let trip = here.trip(at, &d);
                        let km = format!("{:.0}", trip.km.max(1.0));
                        let (across, plain) = if set.is_some() {
                            ("ui.search.distance_across_set", "ui.search.distance_set")
                        } else {
                            ("ui.search.distance_across", "ui.search.distance")
                        };
                        match trip.via {
                            Some(c) => jiuye_domain::messages::render(
                                across,
                                t.lang,
                                &[("km", km), ("via", if t.zh() { c.name_zh } else { c.name_en }.to_string())],
                            ),
                            None => jiuye_domain::messages::render(plain, t.lang, &[("km", km)]),
                        }
                    }
                    None => t.t("ui.search.same_district"),
                }
            });
            HitExtra {
                posted: jiuye_domain::messages::render("ui.search.posted", t.lang, &[("date", v.opens_on.to_string())]),
                distance,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "vacancy.html")]
struct VacancyPage {
    c: Chrome,
    v: VacancyOut,
    /// The seeker may apply (signed in as a seeker, open, not yet applied).
    can_apply: bool,
    /// The seeker's application status, when they applied.
    applied: Option<String>,
    kind: String,
    status: String,
    open: bool,
    is_seeker: bool,
    /// On the seeker's saved list.
    saved: bool,
    notice: Option<String>,
    /// schema.org `JobPosting` as JSON-LD (open vacancies only), escaped for a script element.
    jsonld: Option<String>,
}

/// schema.org `JobPosting` for an open vacancy: what search engines and aggregators read.
/// `<`, `>` and `&` are escaped so the text can never close the script element.
pub fn job_posting(v: &VacancyOut) -> String {
    let employment_type = match v.kind.as_str() {
        "internship" => "INTERN",
        "part_time" => "PART_TIME",
        "temporary" | "gig" => "TEMPORARY",
        _ => "FULL_TIME",
    };
    let mut json = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "identifier": { "@type": "PropertyValue", "name": "jiuye", "value": v.id },
        "title": v.title,
        "description": v.description,
        "datePosted": v.opens_on,
        "validThrough": v.closes_on,
        "employmentType": employment_type,
        "totalJobOpenings": v.headcount,
        "occupationalCategory": format!("{} {}", v.occupation.code, v.occupation.name),
        "industry": v.industry.name,
        "hiringOrganization": { "@type": "Organization", "name": v.employer_name },
        "jobLocation": { "@type": "Place", "address": {
            "@type": "PostalAddress",
            "streetAddress": v.address,
            "addressLocality": v.district.name,
            "addressRegion": "福建省厦门市",
            "addressCountry": "CN"
        }},
    });
    // schema.org knows hour, day and month; a piece rate is given as its expected month, 面议 not at all.
    let salary = match (v.pay.unit.as_str(), v.pay.rate_min_fen.zip(v.pay.rate_max_fen)) {
        ("day", Some((lo, hi))) => Some((lo as f64 / 100.0, hi as f64 / 100.0, "DAY")),
        ("hour", Some((lo, hi))) => Some((lo as f64 / 100.0, hi as f64 / 100.0, "HOUR")),
        _ => v.pay.monthly_min.zip(v.pay.monthly_max).map(|(lo, hi)| (f64::from(lo), f64::from(hi), "MONTH")),
    };
    if let (Some((lo, hi, unit)), Some(obj)) = (salary, json.as_object_mut()) {
        obj.insert(
            "baseSalary".into(),
            serde_json::json!({ "@type": "MonetaryAmount", "currency": "CNY", "value": {
                "@type": "QuantitativeValue", "minValue": lo, "maxValue": hi, "unitText": unit
            }}),
        );
    }
    json.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

pub async fn vacancy(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    crate::api::Query(q): crate::api::Query<super::DoneQuery>,
) -> PageResult {
    let id = parse_id(&id).or_page(t)?;
    let (v, _manages) =
        state.core().vacancy_visible(&state.ctx(&viewer), id).await.map_err(ApiError::from).or_page(t)?;
    let today = state.clock.today();
    let status = v.status_on(today);
    let mut applied = None;
    let mut saved = false;
    let is_seeker = viewer.role() == Some(jiuye_domain::roles::Role::Seeker);
    if let Some(pid) = viewer.account.as_ref().and_then(|a| a.person_id) {
        let mine = state.store.applications_of_person(pid).await.or_page(t)?;
        applied = mine.iter().find(|a| a.vacancy_id == v.id).map(|a| t.t(&a.status.label_key()));
        saved = state.store.saved_vacancies(pid).await.or_page(t)?.contains(&v.id);
    }
    let notice = super::done_notice(t, q.done.as_deref());
    let page = VacancyPage {
        c: Chrome::new(t, &viewer, "/vacancies"),
        can_apply: is_seeker && applied.is_none() && status == VacancyStatus::Open,
        applied,
        kind: t.t(&v.kind.label_key()),
        status: t.t(&status.label_key()),
        open: status == VacancyStatus::Open,
        is_seeker,
        saved,
        notice,
        jsonld: None,
        v: VacancyOut::of(&v, today),
    };
    let page = VacancyPage { jsonld: (status == VacancyStatus::Open).then(|| job_posting(&page.v)), ..page };
    Ok(render(&page))
}
