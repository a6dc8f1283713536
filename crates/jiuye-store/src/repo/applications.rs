//! Applications: submit, move through the state machine with history, close when stale, and
//! record the employment a hire makes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::casework::{EmploymentForm, EmploymentSource};
use jiuye_domain::records::{ApplicationActor, ApplicationStatus, VacancyStatus};

use super::stored;
use crate::audit::{AuditEntry, Event};
use crate::entities::{application, application_event, employment, vacancy};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub id: Uuid,
    pub vacancy_id: Uuid,
    pub person_id: Uuid,
    pub employer_id: Uuid,
    pub status: ApplicationStatus,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplicationEvent {
    pub at: DateTime<Utc>,
    pub actor_account: Option<Uuid>,
    pub actor: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
}

/// What a move did besides the move: a hire records an employment and may fill the vacancy.
#[derive(Debug, Clone, Default)]
pub struct MoveEffects {
    pub employment_id: Option<Uuid>,
    /// The vacancy turned `filled` (its headcount is reached).
    pub vacancy_filled: Option<Uuid>,
}

fn to_application(m: application::Model) -> Result<Application, StoreError> {
    Ok(Application {
        id: m.id,
        vacancy_id: m.vacancy_id,
        person_id: m.person_id,
        employer_id: m.employer_id,
        status: stored("application.status", ApplicationStatus::parse(&m.status))?,
        note: m.note,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn actor_str(a: ApplicationActor) -> &'static str {
    match a {
        ApplicationActor::Seeker => "seeker",
        ApplicationActor::Employer => "employer",
        ApplicationActor::System => "system",
    }
}

impl Store {
    /// Apply to an open vacancy. A second application by the same person is `Conflict("application")`.
    pub async fn create_application(
        &self,
        person_id: Uuid,
        vacancy_id: Uuid,
        note: Option<String>,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Application, StoreError> {
        let txn = self.write(who, at).await?;
        let v = vacancy::Entity::find_by_id(vacancy_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if v.status != VacancyStatus::Open.as_str() || v.closes_on < today || v.opens_on > today {
            return Err(StoreError::Conflict { what: "vacancy_not_open" });
        }
        let id = new_id(at);
        let m = application::ActiveModel {
            id: Set(id),
            vacancy_id: Set(vacancy_id),
            person_id: Set(person_id),
            employer_id: Set(v.employer_id),
            vacancy_person: Set(format!("{vacancy_id}:{person_id}")),
            status: Set(ApplicationStatus::Submitted.as_str().into()),
            note: Set(note),
            created_at: Set(at),
            updated_at: Set(at),
            last_employer_action_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "application"))?;
        application_event::ActiveModel {
            id: Set(new_id(at)),
            application_id: Set(id),
            at: Set(at),
            actor_account: Set(who.actor_account),
            actor: Set("seeker".into()),
            from_status: Set(None),
            to_status: Set(ApplicationStatus::Submitted.as_str().into()),
            reason: Set(None),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "application.create",
            target_kind: Some("application"),
            target_id: Some(id),
            district: Some(&v.district),
            detail: serde_json::json!({ "vacancy_id": vacancy_id }),
        })
        .await?;
        to_application(m)
    }

    pub async fn application_by_id(&self, id: Uuid) -> Result<Application, StoreError> {
        let m = application::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        to_application(m)
    }

    pub async fn application_events(&self, id: Uuid) -> Result<Vec<ApplicationEvent>, StoreError> {
        let rows = application_event::Entity::find()
            .filter(application_event::Column::ApplicationId.eq(id))
            .order_by_asc(application_event::Column::Id)
            .all(self.db())
            .await?;
        Ok(rows
            .into_iter()
            .map(|e| ApplicationEvent {
                at: e.at,
                actor_account: e.actor_account,
                actor: e.actor,
                from_status: e.from_status,
                to_status: e.to_status,
                reason: e.reason,
            })
            .collect())
    }

    /// Move an application. Refused (`Conflict("application_transition")`) when the state
    /// machine does not allow this actor this move. A hire records an employment and marks
    /// the vacancy filled once its headcount is hired — all in one transaction.
    pub async fn move_application(
        &self,
        id: Uuid,
        to: ApplicationStatus,
        actor: ApplicationActor,
        reason: Option<String>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(Application, MoveEffects), StoreError> {
        let txn = self.write(who, at).await?;
        let m = application::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let from = stored("application.status", ApplicationStatus::parse(&m.status))?;
        if !from.may_move(to, actor) {
            return Err(StoreError::Conflict { what: "application_transition" });
        }
        let (vacancy_id, person_id, employer_id) = (m.vacancy_id, m.person_id, m.employer_id);
        let mut am = m.into_active_model();
        am.status = Set(to.as_str().into());
        am.updated_at = Set(at);
        if actor == ApplicationActor::Employer {
            am.last_employer_action_at = Set(at);
        }
        let m = am.update(&txn).await?;
        application_event::ActiveModel {
            id: Set(new_id(at)),
            application_id: Set(id),
            at: Set(at),
            actor_account: Set(who.actor_account),
            actor: Set(actor_str(actor).into()),
            from_status: Set(Some(from.as_str().into())),
            to_status: Set(to.as_str().into()),
            reason: Set(reason.clone()),
        }
        .insert(&txn)
        .await?;
        let mut effects = MoveEffects::default();
        if to == ApplicationStatus::Hired {
            let local_day = (at + Duration::hours(8)).date_naive();
            let e = super::registrations::insert_employment(
                &txn,
                &super::registrations::NewEmployment {
                    person_id,
                    form: EmploymentForm::Unit,
                    employer_id: Some(employer_id),
                    vacancy_id: Some(vacancy_id),
                    application_id: Some(id),
                    started_on: local_day,
                    source: EmploymentSource::Hire,
                },
                local_day,
                who,
                at,
            )
            .await?;
            let eid = e.id;
            effects.employment_id = Some(eid);
            let hired = application::Entity::find()
                .filter(application::Column::VacancyId.eq(vacancy_id))
                .filter(application::Column::Status.eq(ApplicationStatus::Hired.as_str()))
                .count(&txn)
                .await?;
            if let Some(v) = vacancy::Entity::find_by_id(vacancy_id).one(&txn).await?
                && v.status == VacancyStatus::Open.as_str()
                && hired >= u64::try_from(v.headcount).unwrap_or(u64::MAX)
            {
                let mut va = v.into_active_model();
                va.status = Set(VacancyStatus::Filled.as_str().into());
                va.updated_at = Set(at);
                va.update(&txn).await?;
                txn.changed("vacancy", vacancy_id).await?;
                effects.vacancy_filled = Some(vacancy_id);
            }
        }
        txn.commit(Event {
            action: "application.move",
            target_kind: Some("application"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason }),
        })
        .await?;
        Ok((to_application(m)?, effects))
    }

    pub async fn applications_of_person(&self, person_id: Uuid) -> Result<Vec<Application>, StoreError> {
        self.applications_where(application::Column::PersonId, person_id).await
    }

    pub async fn applications_for_vacancy(&self, vacancy_id: Uuid) -> Result<Vec<Application>, StoreError> {
        self.applications_where(application::Column::VacancyId, vacancy_id).await
    }

    /// Applications whose `column` equals `id`, newest first.
    async fn applications_where(&self, column: application::Column, id: Uuid) -> Result<Vec<Application>, StoreError> {
        application::Entity::find()
            .filter(column.eq(id))
            .order_by_desc(application::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_application)
            .collect()
    }

    /// Close every open application the employer has not acted on since `cutoff`, with a reason.
    pub async fn close_stale_applications(&self, cutoff: DateTime<Utc>, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let stale = application::Entity::find()
            .filter(application::Column::Status.is_in([
                ApplicationStatus::Submitted.as_str(),
                ApplicationStatus::Viewed.as_str(),
                ApplicationStatus::Interview.as_str(),
            ]))
            .filter(application::Column::LastEmployerActionAt.lt(cutoff))
            .all(self.db())
            .await?;
        let mut n = 0;
        for a in stale {
            let moved = self
                .move_application(
                    a.id,
                    ApplicationStatus::Closed,
                    ApplicationActor::System,
                    Some("no_employer_action".into()),
                    &AuditEntry::system(),
                    at,
                )
                .await;
            match moved {
                Ok(_) => n += 1,
                // Moved meanwhile (the employer answered, or another instance's sweep closed
                // it): nothing to do, and the rest of the sweep goes on.
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }

    /// How many employments (new jobs) have been recorded for a person.
    pub async fn count_employments(&self, person_id: Uuid) -> Result<u64, StoreError> {
        Ok(employment::Entity::find().filter(employment::Column::PersonId.eq(person_id)).count(self.db()).await?)
    }
}
