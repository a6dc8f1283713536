//! Training on pages: providers (and district staff) manage their classes — create a
//! programme, enrol trainees by ID number, record attendance and the assessment, issue
//! certificates — and see each class's certificate rate and the training subsidy its records
//! give; trainees see their own record. Pages call the same functions as the API.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};

use jiuye_domain::training::{CertificateKind, CertificateLevel, TrainingKind};

use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, district_options, options, render};
use crate::AppState;
use crate::api::claims::DecisionOut;
use crate::api::parse_id;
use crate::api::training::{
    AssessmentIn, Figures, IssueCertificateIn, ProgrammeIn, assess_of, certify_of, create_programme_of,
    managed_programme, managed_programmes, programme_claim_of,
};
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;

fn kind_label(t: Tr, kind: &str) -> String {
    t.t(&format!("training.kind.{kind}"))
}

fn rate(f: &Figures) -> String {
    format!("{}.{}%", f.certificate_rate_permille / 10, f.certificate_rate_permille % 10)
}

/// A class as the list shows it.
pub struct ProgrammeRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub district: String,
    pub dates: String,
    pub capacity: i32,
    pub enrolled: u64,
    pub certified: u64,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingList {
    c: Chrome,
    rows: Vec<ProgrammeRow>,
    total_rate: String,
    kinds: Vec<Opt>,
    filter_kinds: Vec<Opt>,
    sorts: Vec<Opt>,
    sizes: Vec<Opt>,
    text: String,
    pager: super::list::Pager,
    districts: Vec<Opt>,
    errors: super::form::FormErrors,
}

/// The class list's query: name contains, kind, order, page and size.
#[derive(serde::Deserialize, Default)]
pub struct ProgrammesQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    q: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    sort: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    page: Option<u64>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    size: Option<u64>,
}

/// The orders the class list offers: newest first, by start day, by name.
const PROGRAMME_SORTS: [&str; 3] = ["newest", "starts", "name"];

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    q: &ProgrammesQuery,
    errors: super::form::FormErrors,
) -> PageResult {
    let managed = managed_programmes(state, viewer).await.or_page(t)?;
    let ids: Vec<uuid::Uuid> = managed.iter().map(|p| p.id).collect();
    let total = Figures::from(state.store.programme_figures(Some(&ids)).await.or_page(t)?);
    let text = q.q.as_deref().map(str::trim).filter(|x| !x.is_empty());
    let mut shown: Vec<_> = managed
        .iter()
        .filter(|p| text.is_none_or(|x| p.name.contains(x)))
        .filter(|p| q.kind.as_deref().is_none_or(|k| p.kind == k))
        .collect();
    let sort = q.sort.as_deref().filter(|s| PROGRAMME_SORTS.contains(s)).unwrap_or("newest");
    match sort {
        "starts" => shown.sort_by_key(|p| (p.starts_on, p.id)),
        "name" => shown.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id))),
        _ => {} // the store's order: newest first
    }
    let size = super::list::page_size(q.size);
    let page = q.page.unwrap_or(1).max(1);
    let count = shown.len() as u64;
    let from = usize::try_from(super::list::offset_of(page, size)).unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    for p in shown.into_iter().skip(from).take(usize::try_from(size).unwrap_or(20)) {
        let f = Figures::from(state.store.programme_figures(Some(&[p.id])).await.or_page(t)?);
        rows.push(ProgrammeRow {
            id: p.id.to_string(),
            name: p.name.clone(),
            kind: kind_label(t, &p.kind),
            district: t.region(&p.district),
            dates: format!("{} – {}", p.starts_on, p.ends_on),
            capacity: p.capacity,
            enrolled: f.enrolled,
            certified: f.certified,
            rate: rate(&f),
        });
    }
    let mut base = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [("q", text), ("kind", q.kind.as_deref()), ("sort", Some(sort))] {
        if let Some(v) = v {
            base.append_pair(k, v);
        }
    }
    base.append_pair("size", &size.to_string());
    let pager = super::list::Pager::new(t, "/training", &base.finish(), page, size, count);
    let kinds = options(TrainingKind::ALL.iter().map(|k| (k.as_str(), kind_label(t, k.as_str()))), &[]);
    let mut filter_kinds = options(
        TrainingKind::ALL.iter().map(|k| (k.as_str(), kind_label(t, k.as_str()))),
        &q.kind.iter().cloned().collect::<Vec<_>>(),
    );
    filter_kinds.insert(0, Opt { value: String::new(), label: t.t("ui.cw.any"), selected: q.kind.is_none() });
    let sorts =
        options(PROGRAMME_SORTS.iter().map(|s| (*s, t.t(&format!("ui.training.sort.{s}")))), &[sort.to_string()]);
    Ok(render(&TrainingList {
        c: Chrome::new(t, viewer, "/training"),
        rows,
        total_rate: rate(&total),
        kinds,
        filter_kinds,
        sorts,
        sizes: super::list::size_options(size),
        text: text.unwrap_or_default().to_string(),
        pager,
        districts: district_options(
            t,
            &viewer.account.as_ref().and_then(|a| a.district.clone()).into_iter().collect::<Vec<_>>(),
        ),
        errors,
    }))
}

/// The classes the viewer manages, with their certificate rates, and a form for a new one.
pub async fn programmes(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<ProgrammesQuery>,
) -> PageResult {
    list_page(&state, &viewer, t, &q, Default::default()).await
}

/// Create a class; costs are entered in 元.
pub async fn create(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let parsed = (|| -> Result<ProgrammeIn, ApiError> {
        let date = |name: &str| {
            chrono::NaiveDate::parse_from_str(form.get(name).trim(), "%Y-%m-%d")
                .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("input.date").field(name.to_string())))
        };
        let int = |name: &str| {
            form.get(name)
                .trim()
                .parse::<i64>()
                .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("input.number").field(name.to_string())))
        };
        Ok(ProgrammeIn {
            kind: form.get("kind"),
            name: form.get("name"),
            occupation: form.opt("occupation"),
            district: form.get("district"),
            starts_on: date("starts_on")?,
            ends_on: date("ends_on")?,
            capacity: i32::try_from(int("capacity")?).unwrap_or(-1),
            cost_per_trainee_fen: int("cost_yuan")?.saturating_mul(100),
        })
    })();
    let result = match parsed {
        Ok(body) => create_programme_of(&state, &viewer, body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/training/{}", p.id)).into_response()),
        Err(e) => list_page(&state, &viewer, t, &ProgrammesQuery::default(), super::messages_of(&e, t)).await,
    }
}

/// A trainee on the class page.
pub struct TraineeRow {
    pub enrolment: String,
    pub name: String,
    pub status: String,
    pub hours: i32,
    /// "", "passed" or "failed".
    pub result: String,
    pub certificate: Option<String>,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    c: Chrome,
    id: String,
    name: String,
    kind: String,
    dates: String,
    capacity: i32,
    cost: String,
    trainees: Vec<TraineeRow>,
    figures: Figures,
    rate: String,
    decision: Option<DecisionOut>,
    cert_kinds: Vec<Opt>,
    cert_levels: Vec<Opt>,
    notice: Option<String>,
    errors: super::form::FormErrors,
}

async fn programme_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    id: uuid::Uuid,
    notice: Option<String>,
    errors: super::form::FormErrors,
) -> PageResult {
    let p = managed_programme(state, viewer, id).await.or_page(t)?;
    let enrolments = state.store.enrolments_of_programme(p.id).await.or_page(t)?;
    let ids: Vec<uuid::Uuid> = enrolments.iter().map(|e| e.id).collect();
    let certs = state.store.certificates_of_enrolments(&ids).await.or_page(t)?;
    let persons: Vec<uuid::Uuid> = enrolments.iter().map(|e| e.person_id).collect();
    let names: std::collections::HashMap<uuid::Uuid, String> =
        state.store.person_names(&persons).await.or_page(t)?.into_iter().collect();
    let trainees = enrolments
        .iter()
        .map(|e| TraineeRow {
            enrolment: e.id.to_string(),
            name: names.get(&e.person_id).cloned().unwrap_or_default(),
            status: t.t(&format!("ui.training.status.{}", e.status)),
            hours: e.attendance_hours,
            result: match e.passed {
                Some(true) => "passed".into(),
                Some(false) => "failed".into(),
                None => String::new(),
            },
            certificate: certs.iter().find(|c| c.enrolment_id == Some(e.id)).map(|c| {
                format!(
                    "{} · {} · {}",
                    t.t(&format!("training.certificate.{}", c.kind)),
                    t.t(&format!("training.level.{}", c.level)),
                    c.number
                )
            }),
        })
        .collect();
    let claim = programme_claim_of(state, &p).await.or_page(t)?;
    Ok(render(&ProgrammePage {
        c: Chrome::new(t, viewer, "/training"),
        id: p.id.to_string(),
        name: p.name.clone(),
        kind: kind_label(t, &p.kind),
        dates: format!("{} – {}", p.starts_on, p.ends_on),
        capacity: p.capacity,
        cost: t.money(p.cost_per_trainee_fen),
        trainees,
        rate: rate(&claim.figures),
        figures: claim.figures,
        decision: claim.decision,
        cert_kinds: options(CertificateKind::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), &[]),
        cert_levels: options(CertificateLevel::ALL.iter().map(|k| (k.as_str(), t.t(&k.label_key()))), &[]),
        notice,
        errors,
    }))
}

pub async fn programme(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    crate::api::Query(q): crate::api::Query<super::staff::Done>,
) -> PageResult {
    let id = parse_id(&id).or_page(t)?;
    let notice = q.done().map(|_| t.t("ui.cw.saved"));
    programme_page(&state, &viewer, t, id, notice, Default::default()).await
}

/// The page again after a step: its notice, or the refusal in words.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    programme: uuid::Uuid,
    done: Result<(), ApiError>,
) -> PageResult {
    match done {
        // Post, redirect, get: a reload never enrols or assesses twice.
        Ok(()) => Ok(axum::response::Redirect::to(&format!("/training/{programme}?done=saved")).into_response()),
        Err(e) => programme_page(state, viewer, t, programme, None, super::messages_of(&e, t)).await,
    }
}

/// Enrol a trainee by their ID number (looked up, never shown or kept in the URL).
pub async fn enrol(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let p = managed_programme(&state, &viewer, parse_id(&id).or_page(t)?).await.or_page(t)?;
    let done = async {
        let nid = crate::api::session::seeker_identity(
            &state,
            &form.get("national_id"),
            form.opt("kind").as_deref(),
            form.opt("nationality").as_deref(),
        )
        .map_err(|e| match e {
            ApiError::Invalid(errs) => ApiError::Invalid(errs.into_iter().map(|e| e.field("national_id")).collect()),
            other => other,
        })?;
        let person = state.store.person_by_identity(&nid, &state.vault).await?;
        // An ID number outside the viewer's reach is "not found", like one never registered:
        // the class page is no look-up of the city's people.
        crate::api::training::enrol_of(&state, &viewer, p.id, person.id).await?;
        Ok(())
    }
    .await;
    after(&state, &viewer, t, p.id, done).await
}

pub async fn assess(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let e = state.store.enrolment_by_id(parse_id(&id).or_page(t)?).await.or_page(t)?;
    let done = async {
        let hours =
            form.get("attendance_hours").trim().parse::<i32>().map_err(|_| {
                ApiError::invalid(jiuye_domain::CodeError::new("input.number").field("attendance_hours"))
            })?;
        let body = AssessmentIn { attendance_hours: hours, passed: form.get("passed") == "true", assessed_on: None };
        assess_of(&state, &viewer, &id, body).await.map(|_| ())
    }
    .await;
    after(&state, &viewer, t, e.programme_id, done).await
}

pub async fn certify(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let e = state.store.enrolment_by_id(parse_id(&id).or_page(t)?).await.or_page(t)?;
    let body = IssueCertificateIn {
        kind: form.get("kind"),
        level: form.get("level"),
        number: form.get("number"),
        occupation: form.opt("occupation"),
        issued_on: None,
    };
    let done = certify_of(&state, &viewer, &id, body).await.map(|_| ());
    after(&state, &viewer, t, e.programme_id, done).await
}

/// One line of a trainee's own record.
pub struct MyLine {
    pub title: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "my_training.html")]
struct MyTraining {
    c: Chrome,
    enrolments: Vec<MyLine>,
    certificates: Vec<MyLine>,
    asks: Vec<super::surveys::Ask>,
    done: Option<String>,
}

/// 我的培训: my classes with attendance and result, and my certificates.
pub async fn mine(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<super::DoneQuery>,
) -> PageResult {
    let me = viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound).or_page(t)?;
    let asks = super::surveys::asks(&state, me, "class", t).await?;
    let mut enrolments = Vec::new();
    for e in state.store.enrolments_of_person(me).await.or_page(t)? {
        let p = state.store.programme_by_id(e.programme_id).await.or_page(t)?;
        let result = match e.passed {
            Some(true) => t.t("ui.training.passed"),
            Some(false) => t.t("ui.training.failed"),
            None => t.t(&format!("ui.training.status.{}", e.status)),
        };
        enrolments.push(MyLine {
            title: format!("{} · {}", p.name, kind_label(t, &p.kind)),
            detail: format!(
                "{} – {} · {} {} · {result}",
                p.starts_on,
                p.ends_on,
                e.attendance_hours,
                t.t("ui.training.hours")
            ),
        });
    }
    let certificates = state
        .store
        .certificates_of_person(me)
        .await
        .or_page(t)?
        .into_iter()
        .map(|c| MyLine {
            title: format!(
                "{} · {}",
                t.t(&format!("training.certificate.{}", c.kind)),
                t.t(&format!("training.level.{}", c.level))
            ),
            detail: format!("{} · {}", c.number, c.issued_on),
        })
        .collect();
    Ok(render(&MyTraining {
        c: Chrome::new(t, &viewer, "/my/training"),
        enrolments,
        certificates,
        asks,
        done: super::done_notice(t, q.done.as_deref()),
    }))
}
