//! Satisfaction: after a class is assessed or a claim decided, the person served is asked once
//! how satisfied they are (1–5, a comment). The answers make the plan's training and policy
//! processing satisfaction indicators.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use super::{FormData, OrPage, PageResult, Tr};
use crate::AppState;
use crate::api::oversight::SurveyIn;
use crate::auth::Viewer;
use crate::csrf;

/// One thing the person may rate, or has rated.
pub struct Ask {
    pub kind: &'static str,
    pub subject_id: uuid::Uuid,
    pub title: String,
    pub answered: Option<i32>,
}

/// The person's finished classes (`kind = class`) or decided claims (`kind = claim`) with their
/// answers so far.
pub async fn asks(
    state: &AppState,
    person: uuid::Uuid,
    kind: &'static str,
    t: Tr,
) -> Result<Vec<Ask>, super::PageError> {
    let answered = state.store.surveys_of_person(person).await.or_page(t)?;
    let score = |id: uuid::Uuid| answered.iter().find(|(k, s, _)| k == kind && *s == id).map(|(_, _, n)| *n);
    let mut out = Vec::new();
    if kind == "class" {
        for e in state.store.enrolments_of_person(person).await.or_page(t)? {
            if e.assessed_on.is_none() && e.status != "completed" {
                continue;
            }
            let p = state.store.programme_by_id(e.programme_id).await.or_page(t)?;
            out.push(Ask { kind, subject_id: e.id, title: p.name, answered: score(e.id) });
        }
    } else {
        let claims = state
            .store
            .list_claims(None, None, Some(person), jiuye_store::PageRequest::new(None, Some(50)))
            .await
            .or_page(t)?
            .items;
        for c in claims.into_iter().filter(|c| matches!(c.status.as_str(), "approved" | "rejected" | "paid")) {
            out.push(Ask {
                kind,
                subject_id: c.id,
                title: super::subsidies::policy_title(state, t, &c.policy_id),
                answered: score(c.id),
            });
        }
    }
    Ok(out)
}

/// Keep an answer, then back to the page it was given on.
pub async fn answer(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let back = if form.get("kind") == "claim" { "/my/subsidies" } else { "/my/training" };
    let body = SurveyIn {
        kind: form.get("kind"),
        subject_id: form.get("subject_id"),
        score: form.get("score").trim().parse().unwrap_or(0),
        comment: form.opt("comment"),
    };
    crate::api::oversight::answer(&state, &viewer, body).await.or_page(t)?;
    Ok(Redirect::to(&format!("{back}?done=rated")).into_response())
}
