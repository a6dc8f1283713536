//! Application pages: apply from a vacancy, withdraw from the profile, and the employer's
//! list of applicants with the moves they may make.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};

use jiuye_domain::records::{ApplicationActor, ApplicationStatus};

use super::{Chrome, FormData, OrPage, PageError, PageResult, Tr, render};
use crate::AppState;
use crate::api::applications::{ApplicationOut, apply_as, move_as, out};
use crate::api::parse_id;
use crate::api::wire::VacancyOut;
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;

pub async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = parse_id(&id).or_page(t)?;
    apply_as(&state, &viewer, id, form.opt("note")).await.or_page(t)?;
    Ok(Redirect::to(&format!("/vacancies/{id}?applied=1")).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    // Only someone who may act on it is asked: anyone else finds nothing.
    state
        .core()
        .application(&state.ctx(&viewer), parse_id(&id).or_page(t)?)
        .await
        .map_err(ApiError::from)
        .or_page(t)?;
    if super::confirm_first(&form) {
        let action = format!("/applications/{id}/withdraw");
        return Ok(super::confirm_page(
            t,
            &viewer,
            &form,
            super::Ask {
                action: &action,
                cancel: "/profile",
                question: "ui.confirm.withdraw",
                yes: "ui.application.withdraw",
            },
        ));
    }
    move_as(&state, &viewer, parse_id(&id).or_page(t)?, ApplicationStatus::Withdrawn.as_str(), None)
        .await
        .or_page(t)?;
    Ok(Redirect::to("/profile?saved=1").into_response())
}

pub struct ApplicantRow {
    pub a: ApplicationOut,
    pub label: String,
    pub actions: Vec<(String, String)>,
    /// When they applied, Beijing day.
    pub applied_on: String,
}

#[derive(Template)]
#[template(path = "applicants.html")]
struct Applicants {
    c: Chrome,
    v: VacancyOut,
    rows: Vec<ApplicantRow>,
}

pub async fn applicants(State(state): State<AppState>, viewer: Viewer, t: Tr, Path(id): Path<String>) -> PageResult {
    let v = state.store.vacancy_by_id(parse_id(&id).or_page(t)?).await.or_page(t)?;
    if viewer.account.as_ref().and_then(|a| a.employer_id) != Some(v.employer_id) {
        return Err(PageError(ApiError::NotFound, t));
    }
    let mut rows = Vec::new();
    for a in state.store.applications_for_vacancy(v.id).await.or_page(t)? {
        let actions = [
            ApplicationStatus::Viewed,
            ApplicationStatus::Interview,
            ApplicationStatus::Hired,
            ApplicationStatus::Rejected,
        ]
        .into_iter()
        .filter(|to| a.status.may_move(*to, ApplicationActor::Employer))
        .map(|to| (to.as_str().to_string(), t.t(&format!("ui.application.action.{}", to.as_str()))))
        .collect();
        let label = t.t(&a.status.label_key());
        let applied_on = jiuye_domain::time::beijing_day(a.created_at).to_string();
        rows.push(ApplicantRow { a: out(&state, &a, false, true).await.or_page(t)?, label, actions, applied_on });
    }
    Ok(render(&Applicants {
        c: Chrome::new(t, &viewer, "/employer/vacancies"),
        v: VacancyOut::of(&v, state.clock.today()),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct Candidates {
    c: Chrome,
    v: VacancyOut,
    rows: Vec<crate::api::recommend::CandidateOut>,
}

/// The people who fit a vacancy best, with the reasons, masked until they apply.
pub async fn candidates(State(state): State<AppState>, viewer: Viewer, t: Tr, Path(id): Path<String>) -> PageResult {
    let id = parse_id(&id).or_page(t)?;
    let rows = crate::api::recommend::candidates_of(&state, &viewer, id).await.or_page(t)?;
    let v = state.store.vacancy_by_id(id).await.or_page(t)?;
    Ok(render(&Candidates {
        c: Chrome::new(t, &viewer, "/employer/vacancies"),
        v: VacancyOut::of(&v, state.clock.today()),
        rows,
    }))
}

pub async fn employer_move(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    state
        .core()
        .application(&state.ctx(&viewer), parse_id(&id).or_page(t)?)
        .await
        .map_err(ApiError::from)
        .or_page(t)?;
    if form.get("status") == ApplicationStatus::Rejected.as_str() && super::confirm_first(&form) {
        let action = format!("/employer/applications/{id}/status");
        return Ok(super::confirm_page(
            t,
            &viewer,
            &form,
            super::Ask {
                action: &action,
                cancel: "/employer/vacancies",
                question: "ui.confirm.reject",
                yes: "ui.application.action.rejected",
            },
        ));
    }
    let a = move_as(&state, &viewer, parse_id(&id).or_page(t)?, &form.get("status"), form.opt("reason"))
        .await
        .or_page(t)?;
    Ok(Redirect::to(&format!("/employer/vacancies/{}/applications", a.vacancy_id)).into_response())
}
