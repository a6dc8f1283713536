//! Unemployment registration (失业登记), employment registration (就业登记), tiers and contacts.
//! Each write keeps the registration's casework columns in step in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::casework::{
    CaseworkRules, ContactMethod, ContactOutcome, DeregReason, EmploymentForm, EmploymentSource, RegistrationBasis,
    RegistrationStatus, TierDecision, TierFacts, next_contact_due, whole_months,
};
use jiuye_domain::codes::{DistrictCode, KeyGroup};
use jiuye_domain::records::{EmploymentStatus, VacancyKind};

use super::{from_json, stored};
use crate::audit::{AuditEntry, Event};
use crate::entities::{
    contact, employer, employment, person, registration_category, registration_event, unemployment_registration as reg,
    vacancy,
};
use crate::error::conflict_or;
use crate::write::Write;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Registration {
    pub id: Uuid,
    pub person_id: Uuid,
    pub district: String,
    pub basis: RegistrationBasis,
    pub status: RegistrationStatus,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub caseworker_id: Option<Uuid>,
    /// The tier in force: the caseworker's override if any, else the computed one.
    pub tier: String,
    pub computed_tier: String,
    pub categories: Vec<String>,
    pub tier_override: Option<String>,
    pub tier_override_reason: Option<String>,
    /// Services counted toward "131": guidance, job recommendations, training or internship.
    pub one31_done: [u32; 3],
    pub next_131_due_on: Option<NaiveDate>,
    pub one31_completed_on: Option<NaiveDate>,
    pub last_reached_on: Option<NaiveDate>,
    pub failed_in_row: u32,
    pub unreachable: bool,
    pub next_contact_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegistrationEvent {
    pub at: DateTime<Utc>,
    pub actor_account: Option<Uuid>,
    pub change: String,
    pub from_value: Option<String>,
    pub to_value: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Employment {
    pub id: Uuid,
    pub person_id: Uuid,
    pub form: EmploymentForm,
    pub employer_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub started_on: NaiveDate,
    pub source: EmploymentSource,
    pub registration_id: Option<Uuid>,
    pub district: String,
    pub created_at: DateTime<Utc>,
}

/// A spell in a subsidised job: a public-welfare post, or an internship (a hire into an
/// internship vacancy), and the day it ended — the person's next unemployment registration.
#[derive(Debug, Clone)]
pub struct Spell {
    pub employment: Employment,
    pub internship: bool,
    pub ended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct NewEmployment {
    pub person_id: Uuid,
    pub form: EmploymentForm,
    pub employer_id: Option<Uuid>,
    pub vacancy_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub started_on: NaiveDate,
    pub source: EmploymentSource,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub id: Uuid,
    pub person_id: Uuid,
    pub registration_id: Option<Uuid>,
    pub contacted_on: NaiveDate,
    pub method: ContactMethod,
    pub outcome: ContactOutcome,
    pub note: Option<String>,
    pub actor_account: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewContact {
    pub person_id: Uuid,
    pub contacted_on: NaiveDate,
    pub method: ContactMethod,
    pub outcome: ContactOutcome,
    pub note: Option<String>,
    pub provider_id: Option<Uuid>,
}

/// The key that makes one person-employment count once: a hire by its application, otherwise
/// person + employer (or form, when there is none) + start day.
pub fn employment_key(
    person: Uuid,
    employer: Option<Uuid>,
    form: &str,
    started_on: NaiveDate,
    application: Option<Uuid>,
) -> String {
    match (application, employer) {
        (Some(a), _) => format!("app:{a}"),
        (None, Some(e)) => format!("emp:{person}:{e}:{started_on}"),
        (None, None) => format!("form:{person}:{form}:{started_on}"),
    }
}

pub(crate) fn categories_text(c: &[String]) -> String {
    format!(",{},", c.join(","))
}

/// A registration's category rows (see [`registration_category`]), one per category, for a
/// bulk insert.
pub(crate) fn category_rows(
    registration: Uuid,
    district: &str,
    categories: &[String],
) -> Vec<registration_category::ActiveModel> {
    let distinct: std::collections::BTreeSet<&String> = categories.iter().collect();
    distinct
        .into_iter()
        .map(|c| registration_category::ActiveModel {
            category: Set(c.clone()),
            district: Set(district.to_string()),
            registration_id: Set(registration),
        })
        .collect()
}

/// Remove an ending registration's category rows (only open registrations are listed).
pub(crate) async fn clear_category_rows<C: ConnectionTrait>(c: &C, registration: Uuid) -> Result<(), StoreError> {
    registration_category::Entity::delete_many()
        .filter(registration_category::Column::RegistrationId.eq(registration))
        .exec(c)
        .await?;
    Ok(())
}

/// Replace a registration's category rows in the caller's transaction.
pub(crate) async fn set_category_rows<C: ConnectionTrait>(
    c: &C,
    registration: Uuid,
    district: &str,
    categories: &[String],
) -> Result<(), StoreError> {
    clear_category_rows(c, registration).await?;
    let rows = category_rows(registration, district, categories);
    if !rows.is_empty() {
        registration_category::Entity::insert_many(rows).exec(c).await?;
    }
    Ok(())
}

pub(crate) fn to_registration(m: reg::Model) -> Result<Registration, StoreError> {
    let count = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(Registration {
        id: m.id,
        person_id: m.person_id,
        district: m.district,
        basis: stored("registration.basis", RegistrationBasis::parse(&m.basis))?,
        status: stored("registration.status", RegistrationStatus::parse(&m.status))?,
        registered_on: m.registered_on,
        ended_on: m.ended_on,
        end_reason: m.end_reason,
        caseworker_id: m.caseworker_id,
        tier: m.tier_override.clone().unwrap_or_else(|| m.tier.clone()),
        computed_tier: m.tier,
        categories: m.categories.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect(),
        tier_override: m.tier_override,
        tier_override_reason: m.tier_override_reason,
        one31_done: [count(m.guidance_done), count(m.referrals_done), count(m.training_done)],
        next_131_due_on: m.next_131_due_on,
        one31_completed_on: m.one31_completed_on,
        last_reached_on: m.last_reached_on,
        failed_in_row: count(m.failed_in_row),
        unreachable: m.unreachable,
        next_contact_on: m.next_contact_on,
        created_at: m.created_at,
    })
}

fn to_employment(m: employment::Model) -> Result<Employment, StoreError> {
    Ok(Employment {
        id: m.id,
        person_id: m.person_id,
        form: stored("employment.form", EmploymentForm::parse(&m.form))?,
        employer_id: m.employer_id,
        vacancy_id: m.vacancy_id,
        application_id: m.application_id,
        started_on: m.started_on,
        source: stored("employment.source", EmploymentSource::parse(&m.source))?,
        registration_id: m.registration_id,
        district: m.district,
        created_at: m.created_at,
    })
}

fn to_contact(m: contact::Model) -> Result<Contact, StoreError> {
    Ok(Contact {
        id: m.id,
        person_id: m.person_id,
        registration_id: m.registration_id,
        contacted_on: m.contacted_on,
        method: stored("contact.method", ContactMethod::parse(&m.method))?,
        outcome: stored("contact.outcome", ContactOutcome::parse(&m.outcome))?,
        note: m.note,
        actor_account: m.actor_account,
        provider_id: m.provider_id,
        created_at: m.created_at,
    })
}

use jiuye_domain::time::age_on;

/// The facts the tier rules read, from the person, their household and the registration date.
pub(crate) async fn tier_facts<C: ConnectionTrait>(
    conn: &C,
    p: &person::Model,
    registered_on: NaiveDate,
    today: NaiveDate,
) -> Result<TierFacts, StoreError> {
    let key_groups: Vec<KeyGroup> = from_json("person.key_groups", p.key_groups.clone())?;
    let household = super::households::flagged_household_of(conn, p.id).await?;
    Ok(TierFacts {
        key_groups,
        age: age_on(p.birth_date, today),
        months_unemployed: whole_months(registered_on, today),
        zero_employment_household: household,
    })
}

#[allow(clippy::too_many_arguments)]
async fn event(
    txn: &DatabaseTransaction,
    registration: Uuid,
    who: &AuditEntry,
    at: DateTime<Utc>,
    change: &str,
    from: Option<&str>,
    to: &str,
    reason: Option<String>,
) -> Result<(), StoreError> {
    registration_event::ActiveModel {
        id: Set(new_id(at)),
        registration_id: Set(registration),
        at: Set(at),
        actor_account: Set(who.actor_account),
        change: Set(change.into()),
        from_value: Set(from.map(str::to_string)),
        to_value: Set(to.into()),
        reason: Set(reason),
    }
    .insert(txn)
    .await?;
    Ok(())
}

async fn set_person_status(
    txn: &DatabaseTransaction,
    person_id: Uuid,
    status: EmploymentStatus,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let p = person::Entity::find_by_id(person_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    if p.employment_status != status.as_str() {
        let mut am = p.into_active_model();
        am.employment_status = Set(status.as_str().into());
        am.updated_at = Set(at);
        am.update(txn).await?;
    }
    Ok(())
}

pub(crate) async fn active_registration<C: ConnectionTrait>(
    conn: &C,
    person_id: Uuid,
) -> Result<Option<reg::Model>, StoreError> {
    Ok(reg::Entity::find().filter(reg::Column::ActivePerson.eq(person_id)).one(conn).await?)
}

fn refused_existing(existing: &reg::Model) -> StoreError {
    StoreError::Refused(already_registered(&existing.district, existing.registered_on))
}

/// The refusal of a second registration, naming the active one (district and date).
pub fn already_registered(district: &str, registered_on: NaiveDate) -> CodeError {
    let (zh, en) = DistrictCode::parse(district)
        .map(|d| (d.name().to_string(), format!("{} {}", d.name(), d.as_str())))
        .unwrap_or_else(|_| (district.to_string(), district.to_string()));
    CodeError::new("casework.already_registered")
        .field("person_id")
        .arg("district", zh)
        .arg("district_en", en)
        .arg("date", registered_on.to_string())
}

impl Store {
    /// Register a person as unemployed. A second active registration anywhere in the city is
    /// refused, naming the existing one (the database enforces it too).
    #[allow(clippy::too_many_arguments)]
    pub async fn register_unemployment(
        &self,
        person_id: Uuid,
        basis: RegistrationBasis,
        registered_on: NaiveDate,
        caseworker_id: Option<Uuid>,
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Registration, StoreError> {
        jiuye_domain::time::event_day("registered_on", registered_on, today).map_err(StoreError::Refused)?;
        let txn = self.write(who, at).await?;
        let p = person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let m = insert_registration(&txn, &p, basis, registered_on, caseworker_id, rules, today, who, at).await?;
        txn.finish().await?;
        to_registration(m)
    }

    /// End a registration without a job (注销), with its reason code.
    pub async fn deregister(
        &self,
        registration_id: Uuid,
        reason: DeregReason,
        note: Option<String>,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Registration, StoreError> {
        let txn = self.write(who, at).await?;
        let m = reg::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let from = stored("registration.status", RegistrationStatus::parse(&m.status))?;
        if !from.may_move(RegistrationStatus::Deregistered) {
            return Err(StoreError::Refused(CodeError::new("casework.registration_final").field("status")));
        }
        let (district, person_id) = (m.district.clone(), m.person_id);
        let mut am = m.into_active_model();
        am.status = Set(RegistrationStatus::Deregistered.as_str().into());
        am.active_person = Set(None);
        am.ended_on = Set(Some(today));
        am.end_reason = Set(Some(reason.as_str().into()));
        am.updated_at = Set(at);
        let m = am.update(&txn).await?;
        clear_category_rows(&txn, registration_id).await?;
        let why = Some(match &note {
            Some(n) => format!("{}: {n}", reason.as_str()),
            None => reason.as_str().to_string(),
        });
        event(&txn, registration_id, who, at, "status", Some(from.as_str()), "deregistered", why).await?;
        txn.commit(Event {
            action: "registration.deregister",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(&district),
            detail: serde_json::json!({ "registration_id": registration_id, "reason": reason.as_str() }),
        })
        .await?;
        to_registration(m)
    }

    /// A caseworker sets the tier by hand, with a reason (kept as an event and in the audit log).
    /// `None` returns the person to the computed tier.
    pub async fn override_tier(
        &self,
        registration_id: Uuid,
        tier: Option<String>,
        reason: String,
        rules: &CaseworkRules,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Registration, StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::Refused(CodeError::new("casework.reason_required").field("reason")));
        }
        if let Some(t) = &tier
            && rules.tier(t).is_none()
        {
            return Err(StoreError::Refused(CodeError::new("casework.tier_unknown").field("tier").arg("value", t)));
        }
        let txn = self.write(who, at).await?;
        let m = reg::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if m.status != RegistrationStatus::Registered.as_str() {
            return Err(StoreError::Refused(CodeError::new("casework.registration_final").field("status")));
        }
        let before = m.tier_override.clone().unwrap_or_else(|| m.tier.clone());
        let after = tier.clone().unwrap_or_else(|| m.tier.clone());
        let (district, person_id, registered_on, last) =
            (m.district.clone(), m.person_id, m.registered_on, m.last_reached_on);
        let mut am = m.into_active_model();
        am.tier_override = Set(tier.clone());
        am.tier_in_force = Set(after.clone());
        am.tier_override_reason = Set(tier.as_ref().map(|_| reason.clone()));
        am.next_contact_on = Set(next_contact_due(rules, &after, registered_on, last));
        am.updated_at = Set(at);
        let m = am.update(&txn).await?;
        event(&txn, registration_id, who, at, "tier", Some(&before), &after, Some(reason.clone())).await?;
        txn.commit(Event {
                action: "registration.tier",
                target_kind: Some("person"),
                target_id: Some(person_id),
                district: Some(&district),
                detail: serde_json::json!({ "registration_id": registration_id, "from": before, "to": after, "reason": reason }),
            })
        .await?;
        to_registration(m)
    }

    /// Assign a registration to a caseworker (or take it off anyone's caseload).
    pub async fn assign_caseworker(
        &self,
        registration_id: Uuid,
        caseworker: Option<Uuid>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Registration, StoreError> {
        let txn = self.write(who, at).await?;
        let m = reg::Entity::find_by_id(registration_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let (district, person_id) = (m.district.clone(), m.person_id);
        let mut am = m.into_active_model();
        am.caseworker_id = Set(caseworker);
        am.updated_at = Set(at);
        let m = am.update(&txn).await?;
        txn.commit(Event {
            action: "registration.assign",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(&district),
            detail: serde_json::json!({ "registration_id": registration_id, "caseworker": caseworker }),
        })
        .await?;
        to_registration(m)
    }

    /// Recompute every active registration's computed tier (time unemployed and age move on).
    /// Returns how many changed. Run by the daily sweep: reads in chunks; each registration
    /// whose tier or categories move is re-read and written in a transaction of its own, with
    /// its event and audit entry, so a change is never made from a stale read and writers are
    /// never held up for long.
    pub async fn refresh_tiers(
        &self,
        rules: &CaseworkRules,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        use sea_orm::QuerySelect;
        let flagged = super::households::flagged_persons(self.db()).await?;
        let mut changed = 0;
        let mut after: Option<Uuid> = None;
        loop {
            let mut q = reg::Entity::find().filter(reg::Column::Status.eq(RegistrationStatus::Registered.as_str()));
            if let Some(a) = after {
                q = q.filter(reg::Column::Id.gt(a));
            }
            let rows = q.order_by_asc(reg::Column::Id).limit(500).all(self.db()).await?;
            let Some(last) = rows.last() else { break };
            after = Some(last.id);
            let ids: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
            let persons = person::Entity::find().filter(person::Column::Id.is_in(ids)).all(self.db()).await?;
            for m in rows {
                let Some(p) = persons.iter().find(|p| p.id == m.person_id) else { continue };
                let facts = TierFacts {
                    key_groups: from_json("person.key_groups", p.key_groups.clone())?,
                    age: age_on(p.birth_date, today),
                    months_unemployed: whole_months(m.registered_on, today),
                    zero_employment_household: flagged.contains(&p.id),
                };
                let TierDecision { tier, categories, .. } = rules.decide(&facts);
                if tier != m.tier || categories_text(&categories) != m.categories {
                    changed += u64::from(self.refresh_tier(m.id, rules, today, at).await?);
                }
            }
        }
        Ok(changed)
    }

    /// Recompute one registration's tier from fresh reads, in one transaction with its event
    /// and audit entry. False when nothing changed (it ended, or moved back meanwhile).
    async fn refresh_tier(
        &self,
        id: Uuid,
        rules: &CaseworkRules,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let who = AuditEntry::system();
        let txn = self.write(&who, at).await?;
        let Some(m) = reg::Entity::find_by_id(id).one(&txn).await? else { return Ok(false) };
        if m.status != RegistrationStatus::Registered.as_str() {
            return Ok(false);
        }
        let p = person::Entity::find_by_id(m.person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let TierDecision { tier, categories, .. } = rules.decide(&tier_facts(&txn, &p, m.registered_on, today).await?);
        let cats = categories_text(&categories);
        if tier == m.tier && cats == m.categories {
            return Ok(false);
        }
        let (from, district, person_id) = (m.tier.clone(), m.district.clone(), m.person_id);
        let effective = m.tier_override.clone().unwrap_or_else(|| tier.clone());
        let next = next_contact_due(rules, &effective, m.registered_on, m.last_reached_on);
        let mut am = m.into_active_model();
        am.tier = Set(tier.clone());
        am.categories = Set(cats.clone());
        am.tier_in_force = Set(effective.clone());
        am.next_contact_on = Set(next);
        am.updated_at = Set(at);
        am.update(&txn).await?;
        set_category_rows(&txn, id, &district, &categories).await?;
        event(&txn, id, &who, at, "computed_tier", Some(&from), &tier, Some(format!("daily refresh {today}"))).await?;
        txn.commit(Event {
            action: "registration.tier_refresh",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(&district),
            detail: serde_json::json!({ "registration": id, "from": from, "to": tier, "categories": cats }),
        })
        .await?;
        Ok(true)
    }

    /// The tier decision for a registration today, with its reasons (for the person page).
    pub async fn tier_decision(
        &self,
        registration: &Registration,
        rules: &CaseworkRules,
        today: NaiveDate,
    ) -> Result<TierDecision, StoreError> {
        let p = person::Entity::find_by_id(registration.person_id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        Ok(rules.decide(&tier_facts(self.db(), &p, registration.registered_on, today).await?))
    }

    pub async fn registration_by_id(&self, id: Uuid) -> Result<Registration, StoreError> {
        to_registration(reg::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?)
    }

    pub async fn active_registration_of(&self, person_id: Uuid) -> Result<Option<Registration>, StoreError> {
        active_registration(self.db(), person_id).await?.map(to_registration).transpose()
    }

    pub async fn registrations_of_person(&self, person_id: Uuid) -> Result<Vec<Registration>, StoreError> {
        reg::Entity::find()
            .filter(reg::Column::PersonId.eq(person_id))
            .order_by_desc(reg::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_registration)
            .collect()
    }

    pub async fn registration_events(&self, registration_id: Uuid) -> Result<Vec<RegistrationEvent>, StoreError> {
        Ok(registration_event::Entity::find()
            .filter(registration_event::Column::RegistrationId.eq(registration_id))
            .order_by_asc(registration_event::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|e| RegistrationEvent {
                at: e.at,
                actor_account: e.actor_account,
                change: e.change,
                from_value: e.from_value,
                to_value: e.to_value,
                reason: e.reason,
            })
            .collect())
    }

    /// Record an employment (就业登记) at a desk or as declared by the person.
    pub async fn record_employment(
        &self,
        new: &NewEmployment,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Employment, StoreError> {
        let txn = self.write(who, at).await?;
        let e = insert_employment(&txn, new, today, who, at).await?;
        txn.finish().await?;
        to_employment(e)
    }

    pub async fn employments_of_person(&self, person_id: Uuid) -> Result<Vec<Employment>, StoreError> {
        employment::Entity::find()
            .filter(employment::Column::PersonId.eq(person_id))
            .order_by_desc(employment::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_employment)
            .collect()
    }

    /// Everyone an employer has employed (per-person subsidy claims name one of them), newest
    /// first; at most `limit`.
    pub async fn employments_at_employer(&self, employer_id: Uuid, limit: u64) -> Result<Vec<Employment>, StoreError> {
        employment::Entity::find()
            .filter(employment::Column::EmployerId.eq(employer_id))
            .order_by_desc(employment::Column::Id)
            .limit(limit)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_employment)
            .collect()
    }

    /// Employments an employer may claim a per-person subsidy for — public-welfare jobs and
    /// hires into internships — still held on `on`, for proactive screening.
    pub async fn subsidised_employments(&self, on: NaiveDate) -> Result<Vec<Spell>, StoreError> {
        let spells = self.spells(None, on).await?;
        Ok(spells.into_iter().filter(|s| s.ended_on.is_none_or(|e| e > on)).collect())
    }

    /// A person's subsidised spells with one employer started by `on` (held or since ended):
    /// the facts of a per-person claim come from these, never from the claimant.
    pub async fn subsidised_spells(
        &self,
        employer_id: Uuid,
        person_id: Uuid,
        on: NaiveDate,
    ) -> Result<Vec<Spell>, StoreError> {
        self.spells(Some((employer_id, person_id)), on).await
    }

    async fn spells(&self, of: Option<(Uuid, Uuid)>, on: NaiveDate) -> Result<Vec<Spell>, StoreError> {
        use sea_orm::sea_query::{Condition, Query};
        let internships = Query::select()
            .column(vacancy::Column::Id)
            .from(vacancy::Entity)
            .and_where(vacancy::Column::Kind.eq(VacancyKind::Internship.as_str()))
            .to_owned();
        let mut q = employment::Entity::find()
            .filter(employment::Column::EmployerId.is_not_null())
            .filter(employment::Column::StartedOn.lte(on))
            .filter(
                Condition::any()
                    .add(employment::Column::Form.eq(EmploymentForm::PublicWelfare.as_str()))
                    .add(employment::Column::VacancyId.in_subquery(internships)),
            );
        if let Some((employer, person)) = of {
            q = q.filter(employment::Column::EmployerId.eq(employer)).filter(employment::Column::PersonId.eq(person));
        }
        let rows = q.order_by_asc(employment::Column::StartedOn).all(self.db()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            // The person's first unemployment registration since the start — other than the
            // one this employment ended — is the day they left the job.
            let mut later = reg::Entity::find()
                .filter(reg::Column::PersonId.eq(m.person_id))
                .filter(reg::Column::RegisteredOn.gte(m.started_on));
            if let Some(ended) = m.registration_id {
                later = later.filter(reg::Column::Id.ne(ended));
            }
            let ended_on = later.order_by_asc(reg::Column::RegisteredOn).one(self.db()).await?.map(|r| r.registered_on);
            let internship = m.form != EmploymentForm::PublicWelfare.as_str();
            out.push(Spell { employment: to_employment(m)?, internship, ended_on });
        }
        Ok(out)
    }

    /// Log a contact attempt and move the registration's contact schedule.
    pub async fn record_contact(
        &self,
        new: &NewContact,
        rules: &CaseworkRules,
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Contact, StoreError> {
        jiuye_domain::time::event_day("contacted_on", new.contacted_on, today).map_err(StoreError::Refused)?;
        let txn = self.write(who, at).await?;
        let p = person::Entity::find_by_id(new.person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let active = active_registration(&txn, new.person_id).await?;
        let m = contact::ActiveModel {
            id: Set(new_id(at)),
            person_id: Set(new.person_id),
            registration_id: Set(active.as_ref().map(|r| r.id)),
            district: Set(p.district.clone()),
            contacted_on: Set(new.contacted_on),
            method: Set(new.method.as_str().into()),
            outcome: Set(new.outcome.as_str().into()),
            note: Set(new.note.clone()),
            actor_account: Set(who.actor_account),
            provider_id: Set(new.provider_id),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        if let Some(r) = active {
            let mut last = r.last_reached_on;
            let mut failed = r.failed_in_row;
            if new.outcome.reached() {
                last = Some(last.map_or(new.contacted_on, |d| d.max(new.contacted_on)));
                failed = 0;
            } else {
                failed += 1;
            }
            let tier = r.tier_override.clone().unwrap_or_else(|| r.tier.clone());
            let next = next_contact_due(rules, &tier, r.registered_on, last);
            let unreachable = u32::try_from(failed).unwrap_or(0) >= rules.contact.unreachable_after;
            let mut am = r.into_active_model();
            am.last_reached_on = Set(last);
            am.failed_in_row = Set(failed);
            am.unreachable = Set(unreachable);
            am.next_contact_on = Set(next);
            am.updated_at = Set(at);
            am.update(&txn).await?;
        }
        txn.commit(Event {
            action: "contact.create",
            target_kind: Some("person"),
            target_id: Some(new.person_id),
            district: Some(&p.district),
            detail: serde_json::json!({ "method": new.method.as_str(), "outcome": new.outcome.as_str() }),
        })
        .await?;
        to_contact(m)
    }

    pub async fn contacts_of_person(&self, person_id: Uuid) -> Result<Vec<Contact>, StoreError> {
        contact::Entity::find()
            .filter(contact::Column::PersonId.eq(person_id))
            .order_by_desc(contact::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_contact)
            .collect()
    }
}

/// Register `p` as unemployed inside the caller's transaction: refuse a second active
/// registration (naming the first), compute the tier and the first dates, keep the event, mark
/// the person unemployed, refresh their household, audit.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_registration(
    txn: &Write<'_>,
    p: &person::Model,
    basis: RegistrationBasis,
    registered_on: NaiveDate,
    caseworker_id: Option<Uuid>,
    rules: &CaseworkRules,
    today: NaiveDate,
    who: &AuditEntry,
    at: DateTime<Utc>,
) -> Result<reg::Model, StoreError> {
    let person_id = p.id;
    if let Some(existing) = active_registration(txn, person_id).await? {
        return Err(refused_existing(&existing));
    }
    let decision = rules.decide(&tier_facts(txn, p, registered_on, today).await?);
    let one31 = rules.one31(registered_on, [0, 0, 0], today);
    let id = new_id(at);
    let m = reg::ActiveModel {
        id: Set(id),
        person_id: Set(person_id),
        active_person: Set(Some(person_id)),
        district: Set(p.district.clone()),
        basis: Set(basis.as_str().into()),
        status: Set(RegistrationStatus::Registered.as_str().into()),
        registered_on: Set(registered_on),
        ended_on: Set(None),
        end_reason: Set(None),
        caseworker_id: Set(caseworker_id),
        tier: Set(decision.tier.clone()),
        categories: Set(categories_text(&decision.categories)),
        tier_override: Set(None),
        tier_override_reason: Set(None),
        tier_in_force: Set(decision.tier.clone()),
        guidance_done: Set(0),
        referrals_done: Set(0),
        training_done: Set(0),
        next_131_due_on: Set(one31.next_due_on),
        one31_completed_on: Set(None),
        last_reached_on: Set(None),
        failed_in_row: Set(0),
        unreachable: Set(false),
        next_contact_on: Set(next_contact_due(rules, &decision.tier, registered_on, None)),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(txn)
    .await
    .map_err(|e| conflict_or(e, "registration"))?;
    event(txn, id, who, at, "status", None, RegistrationStatus::Registered.as_str(), None).await?;
    set_category_rows(txn, id, &p.district, &decision.categories).await?;
    set_person_status(txn, person_id, EmploymentStatus::Unemployed, at).await?;
    super::households::refresh_household_of(txn, person_id, today, at).await?;
    txn.event(Event {
        action: "registration.create",
        target_kind: Some("person"),
        target_id: Some(person_id),
        district: Some(&p.district),
        detail: serde_json::json!({ "registration_id": id, "basis": basis.as_str(), "tier": decision.tier }),
    })
    .await?;
    Ok(m)
}

/// Insert an employment registration, end the person's active unemployment registration, mark
/// the person employed and refresh their household — inside the caller's transaction (a hire
/// calls this too).
pub(crate) async fn insert_employment(
    txn: &Write<'_>,
    new: &NewEmployment,
    today: NaiveDate,
    who: &AuditEntry,
    at: DateTime<Utc>,
) -> Result<employment::Model, StoreError> {
    let p = person::Entity::find_by_id(new.person_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    if new.form.needs_employer() && new.employer_id.is_none() {
        return Err(StoreError::Refused(CodeError::new("casework.employer_required").field("employer_id")));
    }
    if let Some(e) = new.employer_id
        && employer::Entity::find_by_id(e).one(txn).await?.is_none()
    {
        return Err(StoreError::NotFound);
    }
    jiuye_domain::time::event_day("started_on", new.started_on, today).map_err(StoreError::Refused)?;
    if new.form == EmploymentForm::PublicWelfare {
        let v = match new.vacancy_id {
            Some(v) => vacancy::Entity::find_by_id(v).one(txn).await?,
            None => None,
        };
        if v.is_none_or(|v| v.kind != VacancyKind::PublicWelfare.as_str() || Some(v.employer_id) != new.employer_id) {
            return Err(StoreError::Refused(CodeError::new("casework.public_welfare_vacancy").field("vacancy_id")));
        }
        let groups: Vec<KeyGroup> = from_json("person.key_groups", p.key_groups.clone())?;
        if !jiuye_domain::records::public_welfare_eligible(&groups) {
            return Err(StoreError::Refused(CodeError::new("casework.public_welfare_person").field("person_id")));
        }
    }
    let active = active_registration(txn, new.person_id).await?;
    let id = new_id(at);
    let m = employment::ActiveModel {
        id: Set(id),
        person_id: Set(new.person_id),
        form: Set(new.form.as_str().into()),
        employer_id: Set(new.employer_id),
        vacancy_id: Set(new.vacancy_id),
        application_id: Set(new.application_id),
        started_on: Set(new.started_on),
        source: Set(new.source.as_str().into()),
        dedupe_key: Set(employment_key(
            new.person_id,
            new.employer_id,
            new.form.as_str(),
            new.started_on,
            new.application_id,
        )),
        registration_id: Set(active.as_ref().map(|r| r.id)),
        district: Set(p.district.clone()),
        actor_account: Set(who.actor_account),
        created_at: Set(at),
    }
    .insert(txn)
    .await
    .map_err(|e| match conflict_or(e, "employment") {
        StoreError::Conflict { .. } => {
            StoreError::Refused(CodeError::new("casework.employment_duplicate").field("started_on"))
        }
        other => other,
    })?;
    if let Some(r) = active {
        let rid = r.id;
        let mut am = r.into_active_model();
        am.status = Set(RegistrationStatus::Employed.as_str().into());
        am.active_person = Set(None);
        am.ended_on = Set(Some(new.started_on));
        am.end_reason = Set(Some(format!("employment:{}", new.form.as_str())));
        am.updated_at = Set(at);
        am.update(txn).await?;
        clear_category_rows(txn, rid).await?;
        event(txn, rid, who, at, "status", Some("registered"), "employed", Some(new.form.as_str().to_string())).await?;
    }
    set_person_status(txn, new.person_id, EmploymentStatus::Employed, at).await?;
    super::households::refresh_household_of(txn, new.person_id, today, at).await?;
    txn.event(Event {
        action: "employment.create",
        target_kind: Some("person"),
        target_id: Some(new.person_id),
        district: Some(&p.district),
        detail: serde_json::json!({
            "employment_id": id,
            "form": new.form.as_str(),
            "source": new.source.as_str(),
            "employer_id": new.employer_id,
        }),
    })
    .await?;
    Ok(m)
}
