//! Wage-arrears pages: a worker's complaints and the form (prefilled from an unpaid gig), the
//! district's workbench with every clock flagged before it is breached, and one case with the
//! staff's decisions.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};

use super::form::FormErrors;
use super::{Chrome, DoneQuery, FormData, OrPage, PageError, PageResult, Tr, done_notice, render};
use crate::AppState;
use crate::api::labour::{ComplaintIn, LabourCaseOut, act_of, cases_of};
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;
use jiuye_store::CaseOrder;

#[derive(serde::Deserialize)]
pub struct MineQuery {
    pub booking: Option<String>,
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "my_arrears.html")]
struct Mine {
    c: Chrome,
    cases: Vec<LabourCaseOut>,
    f: FormData,
    booking: String,
    notice: Option<String>,
    errors: FormErrors,
}

async fn mine_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    f: FormData,
    notice: Option<String>,
    errors: FormErrors,
) -> PageResult {
    let cases = cases_of(state, viewer, CaseOrder::Newest { before: None }, 200).await.or_page(t)?;
    let booking = f.get("gig_booking_id");
    Ok(render(&Mine { c: Chrome::new(t, viewer, "/my/arrears"), cases, f, booking, notice, errors }))
}

pub async fn mine(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<MineQuery>,
) -> PageResult {
    let f = FormData(q.booking.into_iter().map(|b| ("gig_booking_id".to_string(), b)).collect());
    mine_page(&state, &viewer, t, f, done_notice(t, q.done.as_deref()), FormErrors::default()).await
}

fn date(form: &FormData, name: &str, problems: &mut Vec<jiuye_domain::CodeError>) -> Option<chrono::NaiveDate> {
    let v = form.opt(name)?;
    chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
        .map_err(|_| problems.push(jiuye_domain::CodeError::new("input.date").field(name)))
        .ok()
}

pub async fn file(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let mut problems = Vec::new();
    let amount = match jiuye_domain::records::pay::parse_yuan("amount_fen", &form.get("amount")) {
        Ok(a) => a.unwrap_or(0),
        Err(e) => {
            problems.push(e);
            0
        }
    };
    let body = ComplaintIn {
        gig_booking_id: form.opt("gig_booking_id").and_then(|b| uuid::Uuid::parse_str(&b).ok()),
        employer_name: form.get("employer_name"),
        workers: match form.get("workers").trim() {
            "" => 1,
            w => w.parse().unwrap_or_else(|_| {
                problems.push(jiuye_domain::CodeError::new("input.number").field("workers"));
                1
            }),
        },
        amount_fen: amount,
        period_from: date(&form, "period_from", &mut problems),
        period_to: date(&form, "period_to", &mut problems),
        evidence: form.get("evidence"),
        ..ComplaintIn::default()
    };
    let result = if problems.is_empty() {
        state.core().file_complaint(&state.ctx(&viewer), &body.input()).await.map_err(ApiError::from)
    } else {
        Err(ApiError::Invalid(problems))
    };
    match result {
        Ok(_) => Ok(Redirect::to("/my/arrears?done=arrears_filed").into_response()),
        Err(e) => mine_page(&state, &viewer, t, form, None, FormErrors::of(&e, t)).await,
    }
}

#[derive(Template)]
#[template(path = "staff_arrears.html")]
struct Workbench {
    c: Chrome,
    /// Running clocks, nearest deadline first, and how many run in all.
    cases: Vec<LabourCaseOut>,
    running: u64,
    /// Every case, newest first, a page at a time.
    recent: Vec<LabourCaseOut>,
    older: Option<String>,
    s: crate::api::labour::LabourStatsOut,
    f: FormData,
    errors: FormErrors,
}

/// Cases on the workbench's first list, and on a page of its second.
const DUE_SHOWN: u64 = 100;
const RECENT_PAGE: u64 = 20;

#[derive(serde::Deserialize)]
pub struct WorkbenchQuery {
    pub before: Option<String>,
}

async fn workbench_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    before: Option<uuid::Uuid>,
    f: FormData,
    errors: FormErrors,
) -> PageResult {
    let cases = cases_of(state, viewer, CaseOrder::Due { offset: 0 }, DUE_SHOWN).await.or_page(t)?;
    let running = state.core().running_cases(&state.ctx(viewer)).await.map_err(ApiError::from).or_page(t)?;
    let recent = cases_of(state, viewer, CaseOrder::Newest { before }, RECENT_PAGE).await.or_page(t)?;
    let older = (recent.len() as u64 == RECENT_PAGE).then(|| recent.last().map(|c| c.id.to_string())).flatten();
    let s = crate::api::labour::stats_of(state, viewer, None, None).await.or_page(t)?;
    Ok(render(&Workbench { c: Chrome::new(t, viewer, "/staff/arrears"), cases, running, recent, older, s, f, errors }))
}

pub async fn workbench(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<WorkbenchQuery>,
) -> PageResult {
    let before = match q.before.as_deref() {
        Some(b) => Some(crate::api::parse_id(b).or_page(t)?),
        None => None,
    };
    workbench_page(&state, &viewer, t, before, FormData(Vec::new()), FormErrors::default()).await
}

/// A complaint received at the desk: the complainant found by their document (when they are
/// on our records), the day it was received.
pub async fn desk_file(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let mut problems = Vec::new();
    let amount = match jiuye_domain::records::pay::parse_yuan("amount_fen", &form.get("amount")) {
        Ok(a) => a.unwrap_or(0),
        Err(e) => {
            problems.push(e);
            0
        }
    };
    let mut body = ComplaintIn {
        employer_name: form.get("employer_name"),
        workers: match form.get("workers").trim() {
            "" => 1,
            w => w.parse().unwrap_or_else(|_| {
                problems.push(jiuye_domain::CodeError::new("input.number").field("workers"));
                1
            }),
        },
        amount_fen: amount,
        period_from: date(&form, "period_from", &mut problems),
        period_to: date(&form, "period_to", &mut problems),
        received_on: date(&form, "received_on", &mut problems),
        evidence: form.get("evidence"),
        ..ComplaintIn::default()
    };
    let result = async {
        if !problems.is_empty() {
            return Err(ApiError::Invalid(problems));
        }
        if let Some(number) = form.opt("national_id") {
            body.person_id =
                Some(crate::api::persons::find_by_national_id(&state, &viewer, &number, None, None).await?.id);
        }
        state.core().file_complaint(&state.ctx(&viewer), &body.input()).await.map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(v) => Ok(Redirect::to(&format!("/staff/arrears/{}?done=arrears_filed", v.case.id)).into_response()),
        Err(e) => workbench_page(&state, &viewer, t, None, form, FormErrors::of(&e, t)).await,
    }
}

#[derive(Template)]
#[template(path = "arrears_case.html")]
struct CasePage {
    c: Chrome,
    case: LabourCaseOut,
    /// The registered mediation organisations of the case's district (a referral names one).
    orgs: Vec<crate::api::labour::MediationOrgOut>,
    /// A mediation case: the organisation mediating it.
    mediator: Option<crate::api::labour::MediationOrgOut>,
    notice: Option<String>,
    errors: FormErrors,
}

async fn case_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    id: uuid::Uuid,
    notice: Option<String>,
    errors: FormErrors,
) -> PageResult {
    let v = state.core().labour_case(&state.ctx(viewer), id).await.map_err(ApiError::from).or_page(t)?;
    let orgs: Vec<crate::api::labour::MediationOrgOut> = state
        .core()
        .mediation_orgs(Some(&v.case.district))
        .await
        .map_err(ApiError::from)
        .or_page(t)?
        .iter()
        .map(crate::api::labour::MediationOrgOut::of)
        .collect();
    let mediator = v.case.mediation_org_id.and_then(|m| orgs.iter().find(|o| o.id == m).cloned());
    Ok(render(&CasePage {
        c: Chrome::new(t, viewer, &format!("/staff/arrears/{id}")),
        case: LabourCaseOut::of(&v),
        orgs,
        mediator,
        notice,
        errors,
    }))
}

pub async fn case_view(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    crate::api::Query(q): crate::api::Query<DoneQuery>,
) -> PageResult {
    let id = crate::api::parse_id(&id).or_page(t)?;
    case_page(&state, &viewer, t, id, done_notice(t, q.done.as_deref()), FormErrors::default()).await
}

pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = crate::api::parse_id(&id).or_page(t)?;
    let amount = jiuye_domain::records::pay::parse_yuan("amount_fen", &form.get("amount"));
    let result = match amount {
        Err(e) => Err(ApiError::invalid(e)),
        Ok(a) => {
            // An unreadable organisation id is no organisation: the core names the field.
            let org = form.opt("mediation_org_id").and_then(|o| uuid::Uuid::parse_str(o.trim()).ok());
            act_of(&state, &viewer, id, &form.get("action"), a, org).await
        }
    };
    match result {
        Ok(k) => {
            Ok(Redirect::to(&format!("/staff/arrears/{}?done=arrears_{}", k.id, form.get("action"))).into_response())
        }
        Err(ApiError::NotFound) => Err(PageError(ApiError::NotFound, t)),
        Err(e) => case_page(&state, &viewer, t, id, None, FormErrors::of(&e, t)).await,
    }
}
