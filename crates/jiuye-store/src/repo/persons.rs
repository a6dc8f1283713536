use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use jiuye_domain::codes::{
    DistrictCode, DocumentKind, EducationLevel, Identity, KeyGroup, Mobile, Nationality, ProvinceCode, Sex, StreetCode,
};
use jiuye_domain::records::{EmploymentStatus, Person, PersonChanges, PersonDraft};

use super::accounts::{Account, NewAccount, insert_account};
use super::{from_json, json_of, like_contains, stored};
use crate::audit::{AuditEntry, Event};
use crate::entities::{identity_alias, person};
use crate::error::conflict_or;
use crate::{IdVault, Page, PageRequest, Store, StoreError, new_id};

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Limit to one district (district-scoped staff always set this).
    pub district: Option<String>,
    /// Name contains, or exact mobile.
    pub q: Option<String>,
    /// Exact lookup by the keyed hash of an ID number.
    pub national_id_hash: Option<String>,
}

pub(crate) fn sex_str(s: Sex) -> &'static str {
    match s {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

/// The row of a new person: the document number encrypted, hashed and masked; the rest from
/// the draft.
pub(crate) fn new_person_model(
    id: Uuid,
    draft: &PersonDraft,
    vault: &IdVault,
    at: DateTime<Utc>,
) -> person::ActiveModel {
    let mut am = person::ActiveModel {
        id: Set(id),
        national_id_enc: Set(vault.encrypt(&draft.identity)),
        national_id_hash: Set(vault.lookup_hash(&draft.identity)),
        national_id_masked: Set(draft.identity.masked()),
        id_kind: Set(draft.identity.kind().as_str().to_string()),
        nationality: Set(draft.identity.nationality().map(|n| n.as_str().to_string())),
        sex: Set(sex_str(draft.sex).to_string()),
        birth_date: Set(draft.birth_date),
        created_at: Set(at),
        ..Default::default()
    };
    apply(&mut am, &draft.changes(), at);
    am
}

fn document_of(m: &person::Model) -> Result<(DocumentKind, Option<Nationality>), StoreError> {
    let kind = stored("person.id_kind", DocumentKind::parse(&m.id_kind))?;
    let nationality = m
        .nationality
        .as_deref()
        .map(Nationality::parse)
        .transpose()
        .map_err(|e| crate::error::corrupt("person.nationality", e))?;
    Ok((kind, nationality))
}

pub(crate) fn to_person(m: person::Model) -> Result<Person, StoreError> {
    let (id_kind, nationality) = document_of(&m)?;
    Ok(Person {
        id: m.id,
        national_id_masked: m.national_id_masked,
        id_kind,
        nationality,
        name: m.name,
        sex: match m.sex.as_str() {
            "male" => Sex::Male,
            "female" => Sex::Female,
            other => return Err(crate::error::corrupt("person.sex", other)),
        },
        birth_date: m.birth_date,
        mobile: stored("person.mobile", Mobile::parse(&m.mobile))?,
        district: stored("person.district", DistrictCode::parse(&m.district))?,
        street: m
            .street
            .as_deref()
            .map(StreetCode::parse)
            .transpose()
            .map_err(|e| crate::error::corrupt("person.street", e))?,
        address: m.address,
        household_origin: stored("person.household_origin", ProvinceCode::parse(&m.household_origin))?,
        rural_household: m.rural_household,
        education: stored("person.education", EducationLevel::parse(&m.education))?,
        key_groups: from_json("person.key_groups", m.key_groups)?,
        skills: from_json("person.skills", m.skills)?,
        certificates: from_json("person.certificates", m.certificates)?,
        wanted_occupations: from_json("person.wanted_occupations", m.wanted_occupations)?,
        wanted_districts: from_json("person.wanted_districts", m.wanted_districts)?,
        wanted_salary_min: m.wanted_salary_min,
        wanted_salary_max: m.wanted_salary_max,
        max_commute_km: m.max_commute_km,
        home_cell: m.home_cell,
        employment_status: stored("person.employment_status", EmploymentStatus::parse(&m.employment_status))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Copy the editable fields of a draft onto an active model.
pub(crate) fn apply(am: &mut person::ActiveModel, d: &PersonChanges, at: DateTime<Utc>) {
    am.name = Set(d.name.clone());
    am.mobile = Set(d.mobile.as_str().to_string());
    am.district = Set(d.district.as_str().to_string());
    am.street = Set(d.street.as_ref().map(|s| s.as_str().to_string()));
    am.address = Set(d.address.clone());
    am.household_origin = Set(d.household_origin.as_str().to_string());
    am.rural_household = Set(d.rural_household);
    am.education = Set(d.education.code().to_string());
    am.key_groups = Set(json_of(&d.key_groups));
    am.skills = Set(json_of(&d.skills));
    am.certificates = Set(json_of(&d.certificates));
    am.wanted_occupations = Set(json_of(&d.wanted_occupations));
    am.wanted_districts = Set(json_of(&d.wanted_districts));
    am.wanted_salary_min = Set(d.wanted_salary_min);
    am.wanted_salary_max = Set(d.wanted_salary_max);
    am.max_commute_km = Set(d.max_commute_km);
    am.employment_status = Set(d.employment_status.as_str().to_string());
    am.updated_at = Set(at);
}

/// The person row holding this document hash, as their own number or a linked one.
pub(crate) async fn row_by_hash<C: sea_orm::ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<person::Model>, StoreError> {
    if let Some(m) = person::Entity::find().filter(person::Column::NationalIdHash.eq(hash)).one(conn).await? {
        return Ok(Some(m));
    }
    match identity_alias::Entity::find().filter(identity_alias::Column::NumberHash.eq(hash)).one(conn).await? {
        Some(a) => Ok(person::Entity::find_by_id(a.person_id).one(conn).await?),
        None => Ok(None),
    }
}

/// Is this document hash held by a person, as their own number or a linked one?
pub(crate) async fn hash_taken<C: sea_orm::ConnectionTrait>(conn: &C, hash: &str) -> Result<bool, StoreError> {
    Ok(row_by_hash(conn, hash).await?.is_some())
}

/// Persons matching a list filter, unordered.
fn persons_query(filter: &PersonFilter) -> sea_orm::Select<person::Entity> {
    let mut q = person::Entity::find();
    if let Some(d) = &filter.district {
        q = q.filter(person::Column::District.eq(d.as_str()));
    }
    if let Some(h) = &filter.national_id_hash {
        q = q.filter(person::Column::NationalIdHash.eq(h.as_str()));
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            Condition::any().add(person::Column::Name.like(like_contains(text))).add(person::Column::Mobile.eq(text)),
        );
    }
    q
}

impl Store {
    /// Create a person, and optionally their seeker account, in one transaction.
    /// A second person with the same ID number is refused as `Conflict { what: "national_id" }`.
    pub async fn create_person(
        &self,
        draft: &PersonDraft,
        vault: &IdVault,
        account: Option<NewAccount>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(Person, Option<Account>), StoreError> {
        let id = new_id(at);
        let am = new_person_model(id, draft, vault, at);
        let txn = self.write(who, at).await?;
        if hash_taken(&txn, &vault.lookup_hash(&draft.identity)).await? {
            return Err(StoreError::Conflict { what: "national_id" });
        }
        let m = am.insert(&txn).await.map_err(|e| conflict_or(e, "national_id"))?;
        let created_account = match account {
            Some(mut new) => {
                new.person_id = Some(id);
                Some(insert_account(&txn, &new).await?)
            }
            None => None,
        };
        txn.commit(Event {
            action: "person.create",
            target_kind: Some("person"),
            target_id: Some(id),
            district: Some(draft.district.as_str()),
            detail: serde_json::json!({ "national_id": draft.identity.masked(), "kind": draft.identity.kind().as_str() }),
        })
        .await?;
        Ok((to_person(m)?, created_account))
    }

    pub async fn person_by_id(&self, id: Uuid) -> Result<Person, StoreError> {
        let m = person::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        to_person(m)
    }

    /// The person holding this document — by their own number, or one linked to them.
    pub async fn person_by_identity(&self, id: &Identity, vault: &IdVault) -> Result<Person, StoreError> {
        self.person_by_hash(&vault.lookup_hash(id)).await?.ok_or(StoreError::NotFound)
    }

    /// The person holding this resident ID (shorthand for tests and the command line).
    pub async fn person_by_national_id(
        &self,
        id: &jiuye_domain::codes::NationalId,
        vault: &IdVault,
    ) -> Result<Person, StoreError> {
        self.person_by_identity(&Identity::resident(id), vault).await
    }

    /// Link another document of the same person (the old and the new permanent residence card,
    /// a 台胞证 beside a 居住证); refused when another person holds it.
    pub async fn link_identity(
        &self,
        person_id: Uuid,
        other: &Identity,
        vault: &IdVault,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write(who, at).await?;
        let p = person::Entity::find_by_id(person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let hash = vault.lookup_hash(other);
        if hash_taken(&txn, &hash).await? {
            return Err(StoreError::Conflict { what: "national_id" });
        }
        identity_alias::ActiveModel {
            id: Set(new_id(at)),
            person_id: Set(person_id),
            kind: Set(other.kind().as_str().to_string()),
            number_enc: Set(vault.encrypt(other)),
            number_hash: Set(hash),
            number_masked: Set(other.masked()),
            created_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "national_id"))?;
        txn.commit(Event {
            action: "person.link_identity",
            target_kind: Some("person"),
            target_id: Some(person_id),
            district: Some(&p.district),
            detail: serde_json::json!({ "kind": other.kind().as_str(), "number": other.masked() }),
        })
        .await
    }

    /// The documents linked to a person besides their own: (kind, masked number).
    pub async fn linked_identities(&self, person_id: Uuid) -> Result<Vec<(String, String)>, StoreError> {
        Ok(identity_alias::Entity::find()
            .filter(identity_alias::Column::PersonId.eq(person_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|a| (a.kind, a.number_masked))
            .collect())
    }

    /// Decrypt a person's full ID number; the read is audited in the same call, so no caller
    /// can see a full number without leaving a trace.
    pub async fn reveal_national_id(
        &self,
        person_id: Uuid,
        vault: &IdVault,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let m = person::Entity::find_by_id(person_id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let key = vault.decrypt(&m.national_id_enc).map_err(|e| crate::error::corrupt("person.national_id", e))?;
        let full = Identity::number_of_key(&key).to_string();
        self.audit(
            who,
            at,
            "person.view_full_id",
            Some(("person", person_id)),
            Some(&m.district),
            serde_json::json!({ "national_id": m.national_id_masked }),
        )
        .await?;
        Ok(full)
    }

    /// Replace a person's editable fields. The ID number itself never changes.
    pub async fn update_person(
        &self,
        id: Uuid,
        draft: &PersonChanges,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Person, StoreError> {
        let txn = self.write(who, at).await?;
        let m = person::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let before_district = m.district.clone();
        let (kind, nationality) = document_of(&m)?;
        let mut am = m.into_active_model();
        apply(&mut am, draft, at);
        if before_district != draft.district.as_str() {
            // The home cell was checked against the old district's side of the water.
            am.home_cell = Set(None);
        }
        // Groups only a document can say stay as the document says, whatever was ticked.
        am.key_groups = Set(json_of(&KeyGroup::with_document(&draft.key_groups, kind, nationality)));
        let m = am.update(&txn).await?;
        txn.commit(Event {
            action: "person.update",
            target_kind: Some("person"),
            target_id: Some(id),
            district: Some(draft.district.as_str()),
            detail: serde_json::json!({ "district_before": before_district }),
        })
        .await?;
        to_person(m)
    }

    /// Set or clear where the person's trips start (a cell from `geo::home_cell_in`).
    pub async fn set_home_cell(
        &self,
        id: Uuid,
        cell: Option<i64>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Person, StoreError> {
        let txn = self.write(who, at).await?;
        let m = person::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let district = m.district.clone();
        let mut am = m.into_active_model();
        am.home_cell = Set(cell);
        am.updated_at = Set(at);
        let m = am.update(&txn).await?;
        txn.commit(Event {
            action: if cell.is_some() { "person.origin_set" } else { "person.origin_cleared" },
            target_kind: Some("person"),
            target_id: Some(id),
            district: Some(&district),
            // The cell is personal: the audit says that it changed, not where.
            detail: serde_json::json!({}),
        })
        .await?;
        to_person(m)
    }

    pub async fn list_persons(&self, filter: &PersonFilter, page: PageRequest) -> Result<Page<Person>, StoreError> {
        let mut q = persons_query(filter);
        if let Some(after) = page.after {
            q = q.filter(person::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(person::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        let rows = rows.into_iter().map(to_person).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(rows, page.limit, |p| p.id))
    }

    /// A page of persons at an offset, newest first or by name, with the total.
    pub async fn list_persons_sorted(
        &self,
        filter: &PersonFilter,
        order: crate::ListOrder,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Person>, u64), StoreError> {
        let q = persons_query(filter);
        let total = q.clone().count(self.db()).await?;
        let q = match order {
            crate::ListOrder::Name => q.order_by_asc(person::Column::Name).order_by_asc(person::Column::Id),
            crate::ListOrder::Oldest => q.order_by_asc(person::Column::Id),
            _ => q.order_by_desc(person::Column::Id),
        };
        let rows = q.offset(offset).limit(limit.clamp(1, crate::page::MAX_LIMIT)).all(self.db()).await?;
        Ok((rows.into_iter().map(to_person).collect::<Result<Vec<_>, _>>()?, total))
    }

    /// How many persons a list filter matches (the list's total).
    pub async fn count_persons_matching(&self, filter: &PersonFilter) -> Result<u64, StoreError> {
        Ok(persons_query(filter).count(self.db()).await?)
    }

    pub async fn count_persons(&self) -> Result<u64, StoreError> {
        Ok(person::Entity::find().count(self.db()).await?)
    }
}
