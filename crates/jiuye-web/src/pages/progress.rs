//! Progress of the 26 measures: a lead unit's page (its measures, what is due, the form to
//! file), the city's view of every measure with late reports flagged, and the monthly report to
//! the leading group.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use jiuye_oversight::measures::ReportPeriod;

use super::form::FormErrors;
use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, render};
use crate::AppState;
use crate::api::Query;
use crate::api::progress::{MonthQuery, MonthlyOut, ProgressOut, ReportIn};
use crate::auth::Viewer;
use crate::csrf;

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    c: Chrome,
    p: ProgressOut,
    may_file: bool,
    measures: Vec<Opt>,
    periods: Vec<Opt>,
    errors: FormErrors,
    done: Option<String>,
    text: String,
    attachments: String,
}

/// Reporting periods a unit may file for now: the current and the previous half months and
/// months (those that have begun).
fn period_options(t: Tr, today: chrono::NaiveDate, selected: &str) -> Vec<Opt> {
    let mut out: Vec<ReportPeriod> =
        ReportPeriod::due_between(today - chrono::Duration::days(40), today + chrono::Duration::days(31))
            .into_iter()
            .filter(|p| p.bounds().0 <= today)
            .collect();
    out.reverse();
    out.into_iter().map(|p| Opt { value: p.key(), label: p.label(t.zh()), selected: p.key() == selected }).collect()
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    errors: FormErrors,
    form: Option<&FormData>,
    done: Option<&str>,
) -> PageResult {
    let p = crate::api::progress::progress_of(state, viewer).await.or_page(t)?;
    let field = |k: &str| form.map(|f| f.get(k)).unwrap_or_default();
    let chosen = field("measure");
    let measures = p
        .measures
        .iter()
        .map(|m| Opt {
            value: m.number.to_string(),
            label: format!("{}. {} — {}", m.number, m.action, m.content),
            selected: m.number.to_string() == chosen,
        })
        .collect();
    Ok(render(&ProgressPage {
        c: Chrome::new(t, viewer, "/progress"),
        may_file: viewer.may(jiuye_domain::roles::Permission::FileProgress),
        measures,
        periods: period_options(t, state.clock.today(), &field("period")),
        errors,
        done: super::done_notice(t, done),
        text: field("text"),
        attachments: field("attachments"),
        p,
    }))
}

/// The measures, their reports and what is late; the form for a lead unit.
pub async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<super::DoneQuery>,
) -> PageResult {
    page(&state, &viewer, t, FormErrors::default(), None, q.done.as_deref()).await
}

/// File a report (post/redirect/get; problems beside the fields, values kept).
pub async fn file(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let body = ReportIn {
        measure: form.get("measure").trim().parse().unwrap_or(0),
        period: form.get("period"),
        text: form.get("text"),
        attachments: form.get("attachments").lines().map(str::to_string).collect(),
    };
    match crate::api::progress::file(&state, &viewer, body).await {
        Ok(_) => Ok(Redirect::to("/progress?done=progress_filed").into_response()),
        Err(e) => {
            let status = e.status_and_code().0;
            let mut resp = page(&state, &viewer, t, super::messages_of(&e, t), Some(&form), None).await?;
            *resp.status_mut() = status;
            Ok(resp)
        }
    }
}

#[derive(Template)]
#[template(path = "progress_monthly.html")]
struct MonthlyPage {
    c: Chrome,
    m: MonthlyOut,
    label: String,
}

/// The monthly report to the leading group, as a page (and an xlsx from the API).
pub async fn monthly(State(state): State<AppState>, viewer: Viewer, t: Tr, Query(q): Query<MonthQuery>) -> PageResult {
    let m = crate::api::progress::monthly_of(&state, &viewer, &q).await.or_page(t)?;
    let label = ReportPeriod::parse(&m.month).map(|p| p.label(t.zh())).unwrap_or_default();
    Ok(render(&MonthlyPage { c: Chrome::new(t, &viewer, "/progress"), m, label }))
}
