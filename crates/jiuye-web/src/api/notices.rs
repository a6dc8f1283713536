//! A person's notices: what happened on their side of the platform, read from the records
//! themselves (jobs pushed to them, their applications moving, their claims decided and paid,
//! their class results, subsidies screening found, open gigs the matcher offers them now) —
//! nothing is written to be shown here, so a notice can never disagree with the record it
//! speaks of.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use jiuye_domain::Lang;
use jiuye_domain::casework::ServiceKind;
use jiuye_domain::messages::{render, text};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// How many notices a list shows.
const SHOWN: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeOut {
    pub at: DateTime<Utc>,
    /// `job_pushed`, `application`, `claim`, `class_result`, `screening` or `gig_offered`.
    pub kind: String,
    pub message: String,
    pub message_en: String,
    /// The page it is about, where there is one.
    pub href: Option<String>,
}

fn notice(
    at: DateTime<Utc>,
    kind: &str,
    key: &str,
    args: &[(&'static str, (String, String))],
    href: Option<String>,
) -> NoticeOut {
    let of = |lang: Lang| {
        let args: Vec<(&'static str, String)> =
            args.iter().map(|(k, (zh, en))| (*k, if lang == Lang::Zh { zh.clone() } else { en.clone() })).collect();
        render(key, lang, &args)
    };
    NoticeOut { at, kind: kind.into(), message: of(Lang::Zh), message_en: of(Lang::En), href }
}

/// A catalogue text in both languages.
fn both(key: &str) -> (String, String) {
    (text(key, Lang::Zh), text(key, Lang::En))
}

/// The same text in both languages (names that have no translation).
fn same(s: &str) -> (String, String) {
    (s.to_string(), s.to_string())
}

fn day_start(d: chrono::NaiveDate) -> DateTime<Utc> {
    jiuye_domain::time::beijing_day_start(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The person's notices, newest first; `viewer` is the person themselves.
pub async fn notices_of(state: &AppState, viewer: &Viewer, person_id: uuid::Uuid) -> ApiResult<Vec<NoticeOut>> {
    let mut out = Vec::new();
    // Gigs offered now, as the matcher ranks the worker for each (a worker with a profile who
    // is available; nothing for anyone else).
    if let Ok(offered) = state.core().gigs_offered(&state.ctx(viewer)).await {
        for o in offered {
            let starts = jiuye_domain::time::beijing_day(o.gig.starts_at).to_string();
            out.push(notice(
                o.gig.created_at,
                "gig_offered",
                "notice.gig_offered",
                &[("title", same(&o.gig.title)), ("day", same(&starts))],
                Some("/my/gig".into()),
            ));
        }
    }
    let title_of = |id: uuid::Uuid| async move { state.store.vacancy_by_id(id).await.ok().map(|v| v.title) };
    for s in state.store.services_of_person(person_id).await? {
        if s.kind != ServiceKind::JobReferral || s.void {
            continue;
        }
        let Some(vid) = s.vacancy_id else { continue };
        let title = title_of(vid).await.unwrap_or_default();
        out.push(notice(
            day_start(s.delivered_on),
            "job_pushed",
            "notice.job_pushed",
            &[("title", same(&title))],
            Some(format!("/vacancies/{vid}")),
        ));
    }
    for a in state.store.applications_of_person(person_id).await? {
        let title = title_of(a.vacancy_id).await.unwrap_or_default();
        for e in state.store.application_events(a.id).await? {
            // Their own steps (applying, withdrawing) are not news to them.
            if e.actor == "seeker" {
                continue;
            }
            let Ok(status) = jiuye_domain::records::ApplicationStatus::parse(&e.to_status) else { continue };
            out.push(notice(
                e.at,
                "application",
                "notice.application",
                &[("title", same(&title)), ("status", both(&status.label_key()))],
                Some(format!("/vacancies/{}", a.vacancy_id)),
            ));
        }
    }
    let claims =
        state.store.list_claims(None, None, Some(person_id), jiuye_store::PageRequest::new(None, Some(50))).await?;
    for c in claims.items {
        let policy = state
            .policies
            .policies
            .iter()
            .find(|p| p.id == c.policy_id)
            .map(|p| (p.title.zh.clone(), p.title.en.clone()))
            .unwrap_or_else(|| same(&c.policy_id));
        for e in state.store.claim_events(c.id).await? {
            if e.from_status.is_none() {
                continue;
            }
            out.push(notice(
                e.at,
                "claim",
                "notice.claim",
                &[("policy", policy.clone()), ("status", both(&format!("ui.subsidy.claim.{}", e.to_status)))],
                Some("/my/subsidies".into()),
            ));
        }
    }
    for e in state.store.enrolments_of_person(person_id).await? {
        let (Some(on), Some(passed)) = (e.assessed_on, e.passed) else { continue };
        let name = state.store.programme_by_id(e.programme_id).await.map(|p| p.name).unwrap_or_default();
        let key = if passed { "notice.class_passed" } else { "notice.class_failed" };
        out.push(notice(day_start(on), "class_result", key, &[("class", same(&name))], Some("/my/training".into())));
    }
    for i in state.store.inbox_of(person_id, 50).await? {
        if i.outcome != "eligible" {
            continue;
        }
        let policy = i
            .policy_id
            .as_deref()
            .and_then(|id| state.policies.policies.iter().find(|p| p.id == id))
            .map(|p| (p.title.zh.clone(), p.title.en.clone()))
            .unwrap_or_default();
        out.push(notice(
            i.created_at,
            "screening",
            "notice.screening",
            &[("policy", policy)],
            Some("/my/subsidies".into()),
        ));
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.at));
    out.truncate(SHOWN);
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/me/notices", tag = "casework", responses(
    (status = 200, description = "My notices, newest first: jobs pushed to me, my applications moving, my claims decided and paid, my class results, subsidies I may be entitled to, gigs offered to me now", body = Vec<NoticeOut>),
    (status = 404, description = "The account is not a person's", body = crate::error::ErrorEnvelope)))]
pub async fn notices(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<NoticeOut>>> {
    let person = viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)?;
    Ok(axum::Json(notices_of(&state, &viewer, person).await?))
}
