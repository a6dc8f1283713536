//! Zero-employment households (零就业家庭): a household whose working-age members are all
//! without work is flagged the day it appears and listed until a member finds work; each
//! flag period is kept, so the time to clear is recorded.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::records::EmploymentStatus;

use crate::audit::{AuditEntry, Event};
use crate::entities::{household, household_flag, household_member, person};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

/// Working age for the zero-employment test: the one rule (16 up to the statutory retirement
/// date, after the 2025 reform).
fn working_age(p: &person::Model, today: NaiveDate) -> bool {
    jiuye_domain::time::working_age_on(p.birth_date, p.sex == "female", today)
}

#[derive(Debug, Clone, Serialize)]
pub struct Household {
    pub id: Uuid,
    pub district: String,
    pub address: Option<String>,
    pub flagged_on: Option<NaiveDate>,
    pub members: Vec<HouseholdMember>,
    /// Past flag periods: (flagged on, cleared on).
    pub cleared: Vec<(NaiveDate, NaiveDate)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HouseholdMember {
    pub person_id: Uuid,
    pub name: String,
    pub relation: String,
    pub working_age: bool,
    pub employed: bool,
}

/// Is the person in a currently flagged household?
pub(crate) async fn flagged_household_of<C: ConnectionTrait>(conn: &C, person_id: Uuid) -> Result<bool, StoreError> {
    let Some(m) =
        household_member::Entity::find().filter(household_member::Column::PersonId.eq(person_id)).one(conn).await?
    else {
        return Ok(false);
    };
    Ok(household::Entity::find_by_id(m.household_id).one(conn).await?.is_some_and(|h| h.flagged_on.is_some()))
}

/// Every person in a currently flagged household.
pub(crate) async fn flagged_persons<C: ConnectionTrait>(
    conn: &C,
) -> Result<std::collections::HashSet<Uuid>, StoreError> {
    let flagged: Vec<Uuid> = household::Entity::find()
        .filter(household::Column::FlaggedOn.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    Ok(household_member::Entity::find()
        .filter(household_member::Column::HouseholdId.is_in(flagged))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect())
}

pub(crate) async fn refresh_household_of(
    txn: &DatabaseTransaction,
    person_id: Uuid,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(m) =
        household_member::Entity::find().filter(household_member::Column::PersonId.eq(person_id)).one(txn).await?
    {
        refresh_household(txn, m.household_id, today, at).await?;
    }
    Ok(())
}

/// Raise or clear the flag from the members' current facts.
pub(crate) async fn refresh_household(
    txn: &DatabaseTransaction,
    household_id: Uuid,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let h = household::Entity::find_by_id(household_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let members = household_member::Entity::find()
        .filter(household_member::Column::HouseholdId.eq(household_id))
        .all(txn)
        .await?;
    let mut working = 0;
    let mut employed = 0;
    for m in &members {
        if let Some(p) = person::Entity::find_by_id(m.person_id).one(txn).await?
            && working_age(&p, today)
        {
            working += 1;
            if p.employment_status == EmploymentStatus::Employed.as_str() {
                employed += 1;
            }
        }
    }
    let zero = working > 0 && employed == 0;
    match (zero, h.flagged_on) {
        (true, None) => {
            household_flag::ActiveModel {
                id: Set(new_id(at)),
                household_id: Set(household_id),
                flagged_on: Set(today),
                cleared_on: Set(None),
            }
            .insert(txn)
            .await?;
            let mut am = h.into_active_model();
            am.flagged_on = Set(Some(today));
            am.updated_at = Set(at);
            am.update(txn).await?;
        }
        (false, Some(_)) => {
            if let Some(f) = household_flag::Entity::find()
                .filter(household_flag::Column::HouseholdId.eq(household_id))
                .filter(household_flag::Column::ClearedOn.is_null())
                .one(txn)
                .await?
            {
                let mut fa = f.into_active_model();
                fa.cleared_on = Set(Some(today));
                fa.update(txn).await?;
            }
            let mut am = h.into_active_model();
            am.flagged_on = Set(None);
            am.updated_at = Set(at);
            am.update(txn).await?;
        }
        _ => {}
    }
    Ok(())
}

impl Store {
    /// Create a household with its members (each person belongs to one household).
    pub async fn create_household(
        &self,
        district: &str,
        address: Option<String>,
        members: &[(Uuid, String)],
        today: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Household, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        household::ActiveModel {
            id: Set(id),
            district: Set(district.to_string()),
            address: Set(address),
            flagged_on: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&txn)
        .await?;
        for (person_id, relation) in members {
            add_member(&txn, id, *person_id, relation, at).await?;
        }
        refresh_household(&txn, id, today, at).await?;
        txn.commit(Event {
            action: "household.create",
            target_kind: Some("household"),
            target_id: Some(id),
            district: Some(district),
            detail: serde_json::json!({ "members": members.len() }),
        })
        .await?;
        self.household_by_id(id, today).await
    }

    pub async fn household_by_id(&self, id: Uuid, today: NaiveDate) -> Result<Household, StoreError> {
        let h = household::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let mut members = Vec::new();
        for m in household_member::Entity::find()
            .filter(household_member::Column::HouseholdId.eq(id))
            .order_by_asc(household_member::Column::Id)
            .all(self.db())
            .await?
        {
            if let Some(p) = person::Entity::find_by_id(m.person_id).one(self.db()).await? {
                members.push(HouseholdMember {
                    person_id: p.id,
                    name: p.name.clone(),
                    relation: m.relation,
                    working_age: working_age(&p, today),
                    employed: p.employment_status == EmploymentStatus::Employed.as_str(),
                });
            }
        }
        let cleared = household_flag::Entity::find()
            .filter(household_flag::Column::HouseholdId.eq(id))
            .filter(household_flag::Column::ClearedOn.is_not_null())
            .order_by_asc(household_flag::Column::FlaggedOn)
            .all(self.db())
            .await?
            .into_iter()
            .filter_map(|f| f.cleared_on.map(|c| (f.flagged_on, c)))
            .collect();
        Ok(Household { id, district: h.district, address: h.address, flagged_on: h.flagged_on, members, cleared })
    }

    pub async fn household_of_person(
        &self,
        person_id: Uuid,
        today: NaiveDate,
    ) -> Result<Option<Household>, StoreError> {
        match household_member::Entity::find()
            .filter(household_member::Column::PersonId.eq(person_id))
            .one(self.db())
            .await?
        {
            Some(m) => Ok(Some(self.household_by_id(m.household_id, today).await?)),
            None => Ok(None),
        }
    }

    /// Households flagged 零就业 now, oldest flag first (district-scoped when given).
    pub async fn zero_employment_households(
        &self,
        district: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<Household>, StoreError> {
        let mut q = household::Entity::find().filter(household::Column::FlaggedOn.is_not_null());
        if let Some(d) = district {
            q = q.filter(household::Column::District.eq(d));
        }
        let mut out = Vec::new();
        for h in q.order_by_asc(household::Column::FlaggedOn).all(self.db()).await? {
            out.push(self.household_by_id(h.id, today).await?);
        }
        Ok(out)
    }
}

async fn add_member(
    txn: &DatabaseTransaction,
    household_id: Uuid,
    person_id: Uuid,
    relation: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if person::Entity::find_by_id(person_id).one(txn).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    household_member::ActiveModel {
        id: Set(new_id(at)),
        household_id: Set(household_id),
        person_id: Set(person_id),
        relation: Set(relation.to_string()),
    }
    .insert(txn)
    .await
    .map_err(|e| match conflict_or(e, "household_member") {
        StoreError::Conflict { .. } => {
            StoreError::Refused(CodeError::new("casework.household_member").field("members"))
        }
        other => other,
    })?;
    Ok(())
}
