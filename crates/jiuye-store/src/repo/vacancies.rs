use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, sea_query::Expr,
};
use uuid::Uuid;

use jiuye_domain::codes::{DistrictCode, EducationLevel, IndustryCode, OccupationCode};
use jiuye_domain::records::{Pay, PayUnit, Vacancy, VacancyDraft, VacancyKind, VacancyStatus};

use super::{from_json, json_of, like_contains, stored};
use crate::audit::{AuditEntry, Event};
use crate::entities::{employer, vacancy};
use crate::{Page, PageRequest, Store, StoreError, new_id};

#[derive(Debug, Clone, Default)]
pub struct VacancyFilter {
    pub employer_id: Option<Uuid>,
    pub district: Option<String>,
    /// Occupation code at any level: `6-31` matches every vacancy under it.
    pub occupation: Option<String>,
    pub kind: Option<VacancyKind>,
    /// Only vacancies open on this date (status open and not past their close date).
    pub open_on: Option<NaiveDate>,
    pub status: Option<VacancyStatus>,
    /// Title or description contains.
    pub q: Option<String>,
}

fn to_vacancy(m: vacancy::Model, employer_name: String) -> Result<Vacancy, StoreError> {
    let unit = stored("vacancy.pay_unit", PayUnit::parse(&m.pay_unit))?;
    let rate = match (m.pay_rate_min_fen, m.pay_rate_max_fen) {
        (Some(lo), Some(hi)) => Some((lo, hi)),
        _ => None,
    };
    Ok(Vacancy {
        pay: Pay::stored(unit, rate, m.salary_min, m.salary_max),
        id: m.id,
        employer_id: m.employer_id,
        employer_name,
        title: m.title,
        description: m.description,
        occupation: stored("vacancy.occupation", OccupationCode::parse(&m.occupation))?,
        industry: stored("vacancy.industry", IndustryCode::parse(&m.industry))?,
        district: stored("vacancy.district", DistrictCode::parse(&m.district))?,
        address: m.address,
        latitude: m.latitude,
        longitude: m.longitude,
        salary_min: m.salary_min,
        salary_max: m.salary_max,
        headcount: m.headcount,
        education_required: m
            .education_required
            .as_deref()
            .map(EducationLevel::parse)
            .transpose()
            .map_err(|e| crate::error::corrupt("vacancy.education_required", e))?,
        kind: stored("vacancy.kind", VacancyKind::parse(&m.kind))?,
        opens_on: m.opens_on,
        closes_on: m.closes_on,
        skills: from_json("vacancy.skills", m.skills)?,
        status: stored("vacancy.status", VacancyStatus::parse(&m.status))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn apply(am: &mut vacancy::ActiveModel, d: &VacancyDraft, at: DateTime<Utc>) {
    am.title = Set(d.title.clone());
    am.description = Set(d.description.clone());
    am.occupation = Set(d.occupation.as_str().to_string());
    am.industry = Set(d.industry.as_str().to_string());
    am.district = Set(d.district.as_str().to_string());
    am.address = Set(d.address.clone());
    am.latitude = Set(d.latitude);
    am.longitude = Set(d.longitude);
    let (salary_min, salary_max) = d.pay.salary();
    am.salary_min = Set(salary_min);
    am.salary_max = Set(salary_max);
    am.pay_unit = Set(d.pay.unit.as_str().to_string());
    am.pay_rate_min_fen = Set(d.pay.rate_fen.map(|r| r.0));
    am.pay_rate_max_fen = Set(d.pay.rate_fen.map(|r| r.1));
    am.headcount = Set(d.headcount);
    am.education_required = Set(d.education_required.map(|e| e.code().to_string()));
    am.kind = Set(d.kind.as_str().to_string());
    am.opens_on = Set(d.opens_on);
    am.closes_on = Set(d.closes_on);
    am.skills = Set(json_of(&d.skills));
    am.updated_at = Set(at);
}

impl Store {
    async fn with_employer_names(&self, rows: Vec<vacancy::Model>) -> Result<Vec<Vacancy>, StoreError> {
        let mut ids: Vec<Uuid> = rows.iter().map(|r| r.employer_id).collect();
        ids.sort();
        ids.dedup();
        let names: std::collections::HashMap<Uuid, String> = if ids.is_empty() {
            Default::default()
        } else {
            employer::Entity::find()
                .filter(employer::Column::Id.is_in(ids))
                .all(self.db())
                .await?
                .into_iter()
                .map(|e| (e.id, e.name))
                .collect()
        };
        rows.into_iter()
            .map(|m| {
                let name = names.get(&m.employer_id).cloned().unwrap_or_default();
                to_vacancy(m, name)
            })
            .collect()
    }

    pub async fn create_vacancy(
        &self,
        employer_id: Uuid,
        draft: &VacancyDraft,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vacancy, StoreError> {
        let id = new_id(at);
        let mut am = vacancy::ActiveModel {
            id: Set(id),
            employer_id: Set(employer_id),
            status: Set(VacancyStatus::Open.as_str().to_string()),
            created_at: Set(at),
            ..Default::default()
        };
        apply(&mut am, draft, at);
        let txn = self.write(who, at).await?;
        let employer = employer::Entity::find_by_id(employer_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let m = am.insert(&txn).await?;
        txn.commit(Event {
            action: "vacancy.create",
            target_kind: Some("vacancy"),
            target_id: Some(id),
            district: Some(draft.district.as_str()),
            detail: serde_json::json!({ "employer_id": employer_id, "title": draft.title }),
        })
        .await?;
        to_vacancy(m, employer.name)
    }

    pub async fn vacancy_by_id(&self, id: Uuid) -> Result<Vacancy, StoreError> {
        let m = vacancy::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        self.with_employer_names(vec![m]).await?.pop().ok_or(StoreError::NotFound)
    }

    pub async fn update_vacancy(
        &self,
        id: Uuid,
        draft: &VacancyDraft,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vacancy, StoreError> {
        let txn = self.write(who, at).await?;
        let m = vacancy::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut am = m.into_active_model();
        apply(&mut am, draft, at);
        am.update(&txn).await?;
        txn.commit(Event {
            action: "vacancy.update",
            target_kind: Some("vacancy"),
            target_id: Some(id),
            district: Some(draft.district.as_str()),
            detail: serde_json::json!({}),
        })
        .await?;
        self.vacancy_by_id(id).await
    }

    /// Change a vacancy's status by hand; transitions outside `VacancyStatus::can_become` are refused.
    pub async fn set_vacancy_status(
        &self,
        id: Uuid,
        next: VacancyStatus,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Vacancy, StoreError> {
        let txn = self.write(who, at).await?;
        let m = vacancy::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let current = stored("vacancy.status", VacancyStatus::parse(&m.status))?;
        if !current.can_become(next) {
            return Err(StoreError::Conflict { what: "vacancy_status" });
        }
        let district = m.district.clone();
        let mut am = m.into_active_model();
        am.status = Set(next.as_str().to_string());
        am.updated_at = Set(at);
        am.update(&txn).await?;
        txn.commit(Event {
            action: "vacancy.status",
            target_kind: Some("vacancy"),
            target_id: Some(id),
            district: Some(&district),
            detail: serde_json::json!({ "from": current.as_str(), "to": next.as_str() }),
        })
        .await?;
        self.vacancy_by_id(id).await
    }

    /// Write down the expiry of every open vacancy whose close date has passed. Returns how many.
    pub async fn expire_due_vacancies(&self, today: NaiveDate, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let who = AuditEntry::system();
        let txn = self.write(&who, at).await?;
        let due: Vec<Uuid> = vacancy::Entity::find()
            .filter(vacancy::Column::Status.eq(VacancyStatus::Open.as_str()))
            .filter(vacancy::Column::ClosesOn.lt(today))
            .all(&txn)
            .await?
            .into_iter()
            .map(|v| v.id)
            .collect();
        let r = vacancy::Entity::update_many()
            .col_expr(vacancy::Column::Status, Expr::value(VacancyStatus::Expired.as_str()))
            .col_expr(vacancy::Column::UpdatedAt, Expr::value(at))
            .filter(vacancy::Column::Status.eq(VacancyStatus::Open.as_str()))
            .filter(vacancy::Column::ClosesOn.lt(today))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Ok(0);
        }
        for id in due {
            txn.changed("vacancy", id).await?;
        }
        txn.commit(Event {
            action: "vacancy.expire",
            target_kind: None,
            target_id: None,
            district: None,
            detail: serde_json::json!({ "count": r.rows_affected, "before": today }),
        })
        .await?;
        Ok(r.rows_affected)
    }

    pub async fn list_vacancies(&self, filter: &VacancyFilter, page: PageRequest) -> Result<Page<Vacancy>, StoreError> {
        let mut q = vacancy::Entity::find();
        if let Some(e) = filter.employer_id {
            q = q.filter(vacancy::Column::EmployerId.eq(e));
        }
        if let Some(d) = &filter.district {
            q = q.filter(vacancy::Column::District.eq(d.as_str()));
        }
        if let Some(o) = &filter.occupation {
            // Codes are hierarchical strings: `6-31` covers `6-31-01-03`. The dash keeps
            // `6-3` from matching `6-31`.
            q = q.filter(
                sea_orm::Condition::any()
                    .add(vacancy::Column::Occupation.eq(o.as_str()))
                    .add(vacancy::Column::Occupation.starts_with(format!("{o}-"))),
            );
        }
        if let Some(k) = filter.kind {
            q = q.filter(vacancy::Column::Kind.eq(k.as_str()));
        }
        if let Some(s) = filter.status {
            q = q.filter(vacancy::Column::Status.eq(s.as_str()));
        }
        if let Some(today) = filter.open_on {
            q = q
                .filter(vacancy::Column::Status.eq(VacancyStatus::Open.as_str()))
                .filter(vacancy::Column::ClosesOn.gte(today))
                .filter(vacancy::Column::OpensOn.lte(today));
        }
        if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pat = like_contains(text);
            q = q.filter(
                sea_orm::Condition::any()
                    .add(vacancy::Column::Title.like(pat.clone()))
                    .add(vacancy::Column::Description.like(pat)),
            );
        }
        if let Some(after) = page.after {
            q = q.filter(vacancy::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(vacancy::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        let rows = self.with_employer_names(rows).await?;
        Ok(Page::from_rows(rows, page.limit, |v| v.id))
    }

    /// Open vacancies in id order, a batch at a time (for rebuilding the search index).
    pub async fn open_vacancies_batch(
        &self,
        today: NaiveDate,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<Vacancy>, StoreError> {
        let mut q = vacancy::Entity::find()
            .filter(vacancy::Column::Status.eq(VacancyStatus::Open.as_str()))
            .filter(vacancy::Column::ClosesOn.gte(today));
        if let Some(a) = after {
            q = q.filter(vacancy::Column::Id.gt(a));
        }
        let rows = q.order_by_asc(vacancy::Column::Id).limit(limit).all(self.db()).await?;
        self.with_employer_names(rows).await
    }

    /// These vacancies, in the order of `ids`; unknown ids are skipped.
    pub async fn vacancies_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Vacancy>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = vacancy::Entity::find().filter(vacancy::Column::Id.is_in(ids.to_vec())).all(self.db()).await?;
        let mut found = self.with_employer_names(rows).await?;
        found.sort_by_key(|v| ids.iter().position(|i| *i == v.id).unwrap_or(usize::MAX));
        Ok(found)
    }

    /// The ids of every vacancy of these employers (their names show on them).
    pub async fn vacancy_ids_of_employers(&self, employers: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
        let mut out = Vec::new();
        for chunk in employers.chunks(500) {
            let rows: Vec<Uuid> = vacancy::Entity::find()
                .select_only()
                .column(vacancy::Column::Id)
                .filter(vacancy::Column::EmployerId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(self.db())
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Vacancies open on `today`: what the search index should hold.
    pub async fn count_open_vacancies(&self, today: NaiveDate) -> Result<u64, StoreError> {
        Ok(vacancy::Entity::find()
            .filter(vacancy::Column::Status.eq(VacancyStatus::Open.as_str()))
            .filter(vacancy::Column::ClosesOn.gte(today))
            .filter(vacancy::Column::OpensOn.lte(today))
            .count(self.db())
            .await?)
    }

    pub async fn count_vacancies(&self) -> Result<u64, StoreError> {
        Ok(vacancy::Entity::find().count(self.db()).await?)
    }
}
