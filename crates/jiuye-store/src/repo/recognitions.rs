//! Key-group recognitions (重点群体认定): made by staff with evidence, read by claims as record
//! facts. A person's own profile ticks are declarations, never recognitions.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::codes::KeyGroup;

use super::stored;
use crate::audit::{AuditEntry, Event};
use crate::entities::{person, recognition};
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Recognition {
    pub id: Uuid,
    pub person_id: Uuid,
    pub key_group: KeyGroup,
    pub district: String,
    pub evidence: String,
    pub recognised_on: NaiveDate,
    pub actor_account: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn to_recognition(m: recognition::Model) -> Result<Recognition, StoreError> {
    Ok(Recognition {
        id: m.id,
        person_id: m.person_id,
        key_group: stored("recognition.key_group", KeyGroup::parse(&m.key_group))?,
        district: m.district,
        evidence: m.evidence,
        recognised_on: m.recognised_on,
        actor_account: m.actor_account,
        created_at: m.created_at,
    })
}

impl Store {
    /// Record that staff of `district` recognised the person as belonging to a key group, on
    /// the evidence given. One transaction with its audit entry.
    #[allow(clippy::too_many_arguments)]
    pub async fn recognise(
        &self,
        person_id: Uuid,
        key_group: KeyGroup,
        district: &str,
        evidence: &str,
        recognised_on: NaiveDate,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Recognition, StoreError> {
        let txn = self.write(who, at).await?;
        person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let id = new_id(at);
        let m = recognition::ActiveModel {
            id: Set(id),
            person_id: Set(person_id),
            key_group: Set(key_group.id().to_string()),
            district: Set(district.to_string()),
            evidence: Set(evidence.to_string()),
            recognised_on: Set(recognised_on),
            actor_account: Set(who.actor_account),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "person.recognise",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(district),
            detail: serde_json::json!({ "key_group": key_group.id(), "recognition": id }),
        })
        .await?;
        to_recognition(m)
    }

    /// A person's recognitions, oldest first.
    pub async fn recognitions_of_person(&self, person_id: Uuid) -> Result<Vec<Recognition>, StoreError> {
        recognition::Entity::find()
            .filter(recognition::Column::PersonId.eq(person_id))
            .order_by_asc(recognition::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_recognition)
            .collect()
    }
}

/// Everything the records say about key groups on a day, for everyone at once (screening).
#[derive(Debug, Clone, Default)]
pub struct KeyGroupRecords {
    /// Staff recognitions made on or before the day, per person.
    pub recognised: std::collections::HashMap<Uuid, Vec<KeyGroup>>,
    /// Persons with an active unemployment registration made on or before the day.
    pub registered: std::collections::HashSet<Uuid>,
    /// Persons in a household flagged 零就业 now.
    pub zero_employment: std::collections::HashSet<Uuid>,
    /// Persons whose latest employment on record (desk or hire) is flexible.
    pub flexible: std::collections::HashSet<Uuid>,
    /// Groups the identity documents give (Taiwan compatriots, Hong Kong and Macao residents,
    /// foreigners), for everyone not holding a resident ID.
    pub documented: std::collections::HashMap<Uuid, Vec<KeyGroup>>,
}

impl Store {
    /// The key-group records of every person, read once (screening reads millions of persons).
    pub async fn key_group_records(&self, day: NaiveDate) -> Result<KeyGroupRecords, StoreError> {
        use crate::entities::{employment, unemployment_registration as reg};
        use jiuye_domain::casework::{EmploymentForm, EmploymentSource, RegistrationStatus};
        let mut out = KeyGroupRecords::default();
        for r in recognition::Entity::find().filter(recognition::Column::RecognisedOn.lte(day)).all(self.db()).await? {
            let g = stored("recognition.key_group", KeyGroup::parse(&r.key_group))?;
            out.recognised.entry(r.person_id).or_default().push(g);
        }
        out.registered = reg::Entity::find()
            .filter(reg::Column::Status.eq(RegistrationStatus::Registered.as_str()))
            .filter(reg::Column::RegisteredOn.lte(day))
            .all(self.db())
            .await?
            .into_iter()
            .map(|r| r.person_id)
            .collect();
        out.zero_employment = super::households::flagged_persons(self.db()).await?;
        let mut latest: std::collections::HashMap<Uuid, (NaiveDate, bool)> = std::collections::HashMap::new();
        for e in employment::Entity::find()
            .filter(employment::Column::StartedOn.lte(day))
            .filter(employment::Column::Source.ne(EmploymentSource::Person.as_str()))
            .all(self.db())
            .await?
        {
            let flexible = e.form == EmploymentForm::Flexible.as_str();
            let slot = latest.entry(e.person_id).or_insert((e.started_on, flexible));
            if e.started_on >= slot.0 {
                *slot = (e.started_on, flexible);
            }
        }
        out.flexible = latest.into_iter().filter(|(_, (_, f))| *f).map(|(p, _)| p).collect();
        use crate::entities::person;
        use sea_orm::QuerySelect;
        let holders: Vec<(Uuid, String, Option<String>)> = person::Entity::find()
            .select_only()
            .columns([person::Column::Id, person::Column::IdKind, person::Column::Nationality])
            // The other kinds by name, so the index on the kind serves it (a `<>` would read
            // every person).
            .filter(
                person::Column::IdKind.is_in(
                    jiuye_domain::codes::DocumentKind::ALL
                        .into_iter()
                        .filter(|k| *k != jiuye_domain::codes::DocumentKind::ResidentId)
                        .map(|k| k.as_str()),
                ),
            )
            .into_tuple()
            .all(self.db())
            .await?;
        for (id, kind, nationality) in holders {
            let kind = stored("person.id_kind", jiuye_domain::codes::DocumentKind::parse(&kind))?;
            let nationality = nationality.as_deref().and_then(|n| jiuye_domain::codes::Nationality::parse(n).ok());
            let groups = KeyGroup::from_document(kind, nationality);
            if !groups.is_empty() {
                out.documented.insert(id, groups);
            }
        }
        Ok(out)
    }
}
