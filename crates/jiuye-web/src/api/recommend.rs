//! Recommendations both ways: jobs for a seeker, candidates for a vacancy — each with its
//! reasons in zh-CN and English.

use std::collections::HashSet;

use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_domain::records::Person;
use jiuye_domain::roles::Role;
use jiuye_match::{Job, Reason, Seeker, diversify, top_candidates};
use jiuye_store::{PageRequest, PersonFilter};

use super::parse_id;
use super::wire::{CodeName, VacancyOut};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};

/// How many recommendations one employer may hold among the first places.
const PER_EMPLOYER: usize = 2;

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchReasonOut {
    pub code: String,
    pub points: f32,
    pub message: String,
    pub message_en: String,
}

impl From<&Reason> for MatchReasonOut {
    fn from(r: &Reason) -> Self {
        MatchReasonOut { code: r.code.to_string(), points: r.points, message: r.zh.clone(), message_en: r.en.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationOut {
    pub vacancy: VacancyOut,
    pub score: f32,
    pub reasons: Vec<MatchReasonOut>,
}

/// The best open vacancies for this person, spread across employers.
/// `exclude`: vacancies not to offer (e.g. recommended before).
pub async fn jobs_for(
    state: &AppState,
    person: &Person,
    k: usize,
    exclude: &HashSet<Uuid>,
) -> ApiResult<Vec<RecommendationOut>> {
    let today = state.clock.today();
    let seeker = Seeker::of(person, today);
    // Vacancies already applied to are not offered again.
    let mut applied: HashSet<Uuid> =
        state.store.applications_of_person(person.id).await?.into_iter().map(|a| a.vacancy_id).collect();
    applied.extend(exclude.iter().copied());
    let ranked = {
        // The pool the benchmarks measure: candidates by occupation group, pruned ranking.
        let pool = state.jobs.read().map_err(|_| ApiError::Internal)?;
        let ranked = pool.top_job_ids(&seeker, k * 3, today, &applied);
        let mut spread = diversify(ranked, |id| pool.job(id).map(|j| j.employer_id), PER_EMPLOYER);
        spread.truncate(k);
        // Explain only what is shown.
        spread
            .into_iter()
            .filter_map(|(id, _)| pool.job(&id).and_then(|j| jiuye_match::score(&seeker, j, today)).map(|m| (id, m)))
            .collect::<Vec<_>>()
    };
    let ids: Vec<Uuid> = ranked.iter().map(|r| r.0).collect();
    let vacancies = state.store.vacancies_by_ids(&ids).await?;
    Ok(ranked
        .iter()
        .filter_map(|(id, m)| {
            vacancies.iter().find(|v| v.id == *id).map(|v| RecommendationOut {
                vacancy: VacancyOut::of(v, today),
                score: m.score,
                reasons: m.reasons.iter().map(MatchReasonOut::from).collect(),
            })
        })
        .collect())
}

#[utoipa::path(get, path = "/api/v1/me/recommendations", tag = "match", responses(
    (status = 200, description = "The best open vacancies for the signed-in seeker, with reasons", body = Vec<RecommendationOut>)))]
pub async fn mine(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<RecommendationOut>>> {
    let id = viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)?;
    let person = state.store.person_by_id(id).await?;
    Ok(axum::Json(jobs_for(&state, &person, 10, &HashSet::new()).await?))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/recommendations", tag = "match", params(("id" = String, Path)), responses(
    (status = 200, description = "The best open vacancies for this person, with reasons", body = Vec<RecommendationOut>),
    (status = 404, description = "Unknown, or outside the viewer's district", body = ErrorEnvelope)))]
pub async fn for_person(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<RecommendationOut>>> {
    let person = state.core().person(&state.ctx(&viewer), parse_id(&id)?).await?.person;
    Ok(axum::Json(jobs_for(&state, &person, 10, &HashSet::new()).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateOut {
    /// Absent for employers: they see a masked profile until the person applies or agrees.
    pub person_id: Option<Uuid>,
    /// Masked for employers (`王**`).
    pub name: String,
    pub district: CodeName,
    pub education: CodeName,
    pub skills: Vec<String>,
    pub score: f32,
    pub reasons: Vec<MatchReasonOut>,
}

fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// How many people of the vacancy's district are scored for candidates.
const CANDIDATE_POOL: u64 = 2_000;

#[utoipa::path(get, path = "/api/v1/vacancies/{id}/candidates", tag = "match", params(("id" = String, Path)), responses(
    (status = 200, description = "The people who fit this vacancy best, with reasons (masked for employers)", body = Vec<CandidateOut>),
    (status = 404, description = "Unknown, or not yours", body = ErrorEnvelope)))]
pub async fn candidates(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<CandidateOut>>> {
    Ok(axum::Json(candidates_of(&state, &viewer, parse_id(&id)?).await?))
}

/// The ten people who fit a vacancy best, masked for its employer; the API and the
/// candidates page both come here.
pub async fn candidates_of(state: &AppState, viewer: &Viewer, id: Uuid) -> ApiResult<Vec<CandidateOut>> {
    let v = state.store.vacancy_by_id(id).await?;
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    let employer_view = account.role == Role::Employer;
    if employer_view && account.employer_id != Some(v.employer_id) {
        return Err(ApiError::NotFound);
    }
    // Staff of a district see only their district's people (for any vacancy: a caseworker
    // may point their own people to work elsewhere); the employer and the city, the vacancy's.
    let district = match jiuye_core::lists::list_district(&state.ctx(viewer), None) {
        Ok(Some(d)) => d,
        _ => v.district.as_str().to_string(),
    };
    let today = state.clock.today();
    let mut people: Vec<Person> = Vec::new();
    let mut page = PageRequest::first(100);
    let filter = PersonFilter { district: Some(district), ..Default::default() };
    while (people.len() as u64) < CANDIDATE_POOL {
        let p = state.store.list_persons(&filter, page).await?;
        people.extend(p.items);
        match p.next_cursor.and_then(|c| jiuye_store::Cursor::parse(&c)) {
            Some(c) => page = PageRequest::new(Some(c), Some(100)),
            None => break,
        }
    }
    let seekers: Vec<Seeker> = people
        .iter()
        .filter(|p| p.employment_status == jiuye_domain::records::EmploymentStatus::Unemployed)
        // An employer ranks and reads candidates by their district only: distances from the
        // place a person set, one per vacancy, would let an employer with a few vacancies
        // find where that person lives.
        .map(|p| Seeker {
            origin: if employer_view { None } else { p.home_cell.map(|_| p.origin()) },
            ..Seeker::of(p, today)
        })
        .collect();
    let job = Job::of(&v, today);
    let top = top_candidates(&job, &seekers, 10, today);
    Ok(top
        .iter()
        .filter_map(|(pid, m)| {
            people.iter().find(|p| p.id == *pid).map(|p| CandidateOut {
                person_id: if employer_view { None } else { Some(p.id) },
                name: if employer_view { masked_name(&p.name) } else { p.name.clone() },
                district: CodeName { code: p.district.as_str().into(), name: p.district.name().into() },
                education: CodeName { code: p.education.code().into(), name: p.education.label_zh().into() },
                skills: p.skills.clone(),
                score: m.score,
                reasons: m.reasons.iter().map(MatchReasonOut::from).collect(),
            })
        })
        .collect())
}
