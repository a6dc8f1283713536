//! Casework operations shared by the API, the pages and the batch command: pushing jobs into
//! the ledger, and a person's whole picture.

use std::collections::HashSet;

use chrono::NaiveDate;
use uuid::Uuid;

use jiuye_domain::casework::{One31, ServiceKind, TierDecision};
use jiuye_domain::records::Person;
use jiuye_store::{
    Application, AuditEntry, Contact, Employment, Household, NewService, Recorded, Registration, RegistrationEvent,
    Service,
};

use crate::AppState;
use crate::api::recommend::jobs_for;
use crate::error::{ApiError, ApiResult};

/// How many jobs one push gives ("3" of "131").
pub const PUSH_SIZE: usize = 3;

/// Push the person's best jobs into the ledger as 岗位推介, each with its reasons — skipping
/// vacancies already applied to or recommended before. With `batch_day`, the push is idempotent
/// per person per day (a second run that day writes nothing). All-or-nothing.
pub async fn push_jobs(
    state: &AppState,
    person: &Person,
    who: &AuditEntry,
    provider_id: Option<Uuid>,
    batch_day: Option<NaiveDate>,
) -> ApiResult<Vec<Service>> {
    let already: HashSet<Uuid> = state
        .store
        .services_of_person(person.id)
        .await?
        .into_iter()
        .filter(|s| s.kind == ServiceKind::JobReferral)
        .filter_map(|s| s.vacancy_id)
        .collect();
    let recs = jobs_for(state, person, PUSH_SIZE, &already).await?;
    let today = state.clock.today();
    let news: Vec<NewService> = recs
        .iter()
        .enumerate()
        .map(|(rank, r)| NewService {
            person_id: person.id,
            kind: Some(ServiceKind::JobReferral),
            delivered_on: Some(batch_day.unwrap_or(today)),
            provider_id,
            vacancy_id: Some(r.vacancy.id),
            note: Some(r.vacancy.title.clone()),
            reasons: r.reasons.iter().map(|x| (x.message.clone(), x.message_en.clone())).collect(),
            batch_key: batch_day.map(|d| format!("push:{}:{d}:{}", person.id, rank + 1)),
            ..NewService::default()
        })
        .collect();
    if news.is_empty() {
        return Ok(Vec::new());
    }
    let done = state.store.record_services(&news, &state.casework(), today, who, state.clock.now()).await?;
    Ok(done
        .into_iter()
        .filter_map(|r| match r {
            Recorded::New(s) => Some(*s),
            Recorded::AlreadyDone => None,
        })
        .collect())
}

/// Everything a caseworker needs on one page.
pub struct Picture {
    pub person: Person,
    pub active: Option<Registration>,
    pub registrations: Vec<(Registration, Vec<RegistrationEvent>)>,
    pub tier: Option<TierDecision>,
    pub one31: Option<One31>,
    pub services: Vec<Service>,
    pub contacts: Vec<Contact>,
    pub employments: Vec<Employment>,
    pub applications: Vec<Application>,
    pub household: Option<Household>,
    pub ratings: Vec<(Uuid, i32)>,
}

pub async fn picture(state: &AppState, person_id: Uuid) -> ApiResult<Picture> {
    let person = state.store.person_by_id(person_id).await?;
    let today = state.clock.today();
    let rules = &state.casework();
    let mut registrations = Vec::new();
    for r in state.store.registrations_of_person(person_id).await? {
        let events = state.store.registration_events(r.id).await?;
        registrations.push((r, events));
    }
    let active = registrations.iter().map(|(r, _)| r).find(|r| r.status.is_active()).cloned();
    let (tier, one31) = match &active {
        Some(r) => (
            Some(state.store.tier_decision(r, rules, today).await?),
            Some(rules.one31(r.registered_on, r.one31_done, today)),
        ),
        None => (None, None),
    };
    Ok(Picture {
        active,
        registrations,
        tier,
        one31,
        services: state.store.services_of_person(person_id).await?,
        contacts: state.store.contacts_of_person(person_id).await?,
        employments: state.store.employments_of_person(person_id).await?,
        applications: state.store.applications_of_person(person_id).await?,
        household: state.store.household_of_person(person_id, today).await?,
        ratings: state.store.ratings_of_person(person_id).await?,
        person,
    })
}

/// The provider organisation of a provider account (`accounts.organisation` holds its id).
pub fn provider_of(viewer: &crate::auth::Viewer) -> Result<Uuid, ApiError> {
    viewer
        .account
        .as_ref()
        .and_then(|a| a.organisation.as_deref())
        .and_then(|o| Uuid::parse_str(o).ok())
        .ok_or(ApiError::NotFound)
}
