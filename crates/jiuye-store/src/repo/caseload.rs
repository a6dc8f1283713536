//! Caseload lists, the "131" league table and the graduate contact rate — read from the
//! registrations' casework columns, so each is one indexed query.

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::casework::{CaseworkRules, One31Status, RegistrationStatus};

use super::like_contains;
use super::registrations::{Registration, to_registration};
use crate::entities::{person, unemployment_registration as reg};
use crate::{Page, PageRequest, Store, StoreError};

#[derive(Debug, Clone, Default)]
pub struct CaseloadFilter {
    pub district: Option<String>,
    pub caseworker: Option<Uuid>,
    pub tier: Option<String>,
    pub category: Option<String>,
    pub one31: Option<One31Status>,
    pub contact_overdue: bool,
    pub unreachable: bool,
    /// The person's name contains this.
    pub name: Option<String>,
    /// Only those whose next contact falls on this day.
    pub contact_due_on: Option<NaiveDate>,
}

/// The orders a caseload page offers; newest registration first by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseloadSort {
    #[default]
    Newest,
    Oldest,
    /// Next contact date, soonest (and overdue) first.
    NextContact,
    /// Next "131" service due, soonest first; complete ones last.
    One31Due,
}

impl CaseloadSort {
    pub const ALL: [CaseloadSort; 4] =
        [CaseloadSort::Newest, CaseloadSort::Oldest, CaseloadSort::NextContact, CaseloadSort::One31Due];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseloadSort::Newest => "newest",
            CaseloadSort::Oldest => "oldest",
            CaseloadSort::NextContact => "next_contact",
            CaseloadSort::One31Due => "one31_due",
        }
    }

    pub fn parse(s: &str) -> Option<CaseloadSort> {
        CaseloadSort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Lists count at most this many; past it they say "more than".
pub const COUNT_CAP: u64 = 10_000;

/// A list's total, counted up to [`COUNT_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub total: u64,
    /// There are more than `total` (which is then the cap).
    pub more: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    pub registration: Registration,
    pub name: String,
    pub national_id_masked: String,
    pub mobile: String,
    pub key_groups: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeagueRow {
    pub district: String,
    pub registered: i64,
    pub complete: i64,
    pub overdue: i64,
    pub contact_overdue: i64,
    pub unreachable: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ContactRate {
    pub total: u64,
    pub contacted: u64,
}

fn one31_condition(status: One31Status, today: NaiveDate, rules: &CaseworkRules) -> Condition {
    let soon = today + Duration::days(i64::from(rules.one31.due_soon_days));
    let col = reg::Column::Next131DueOn;
    match status {
        One31Status::Complete => Condition::all().add(col.is_null()),
        One31Status::Overdue => Condition::all().add(col.lt(today)),
        One31Status::DueSoon => Condition::all().add(col.gte(today)).add(col.lte(soon)),
        One31Status::OnTrack => Condition::all().add(col.gt(soon)),
    }
}

/// The category (and district) when that is all a filter asks: its count is then the category
/// rows', with no registration read.
fn category_only(filter: &CaseloadFilter) -> Option<(&str, Option<&str>)> {
    let CaseloadFilter {
        district,
        caseworker,
        tier,
        category,
        one31,
        contact_overdue,
        unreachable,
        name,
        contact_due_on,
    } = filter;
    let plain = caseworker.is_none()
        && tier.is_none()
        && one31.is_none()
        && !contact_overdue
        && !unreachable
        && name.as_deref().is_none_or(|n| n.trim().is_empty())
        && contact_due_on.is_none();
    category.as_deref().filter(|_| plain).map(|c| (c, district.as_deref()))
}

/// Registrations in `category` (and `district`): a range of the category rows' key.
fn in_category(category: &str, district: Option<&str>) -> sea_orm::sea_query::SimpleExpr {
    use crate::entities::registration_category as rc;
    let mut sub = Query::select();
    sub.column(rc::Column::RegistrationId).from(rc::Entity).and_where(Expr::col(rc::Column::Category).eq(category));
    if let Some(d) = district {
        sub.and_where(Expr::col(rc::Column::District).eq(d));
    }
    reg::Column::Id.in_subquery(sub.to_owned())
}

/// Active registrations matching the filter, unordered.
fn caseload_query(filter: &CaseloadFilter, rules: &CaseworkRules, today: NaiveDate) -> sea_orm::Select<reg::Entity> {
    let mut q = reg::Entity::find().filter(reg::Column::Status.eq(RegistrationStatus::Registered.as_str()));
    if let Some(d) = &filter.district {
        q = q.filter(reg::Column::District.eq(d.as_str()));
    }
    if let Some(c) = filter.caseworker {
        q = q.filter(reg::Column::CaseworkerId.eq(c));
    }
    if let Some(t) = &filter.tier {
        q = q.filter(reg::Column::TierInForce.eq(t.as_str()));
    }
    if let Some(c) = &filter.category {
        q = q.filter(in_category(c, filter.district.as_deref()));
    }
    if let Some(s) = filter.one31 {
        q = q.filter(one31_condition(s, today, rules));
    }
    if filter.contact_overdue {
        q = q.filter(reg::Column::NextContactOn.lt(today));
    }
    if let Some(day) = filter.contact_due_on {
        q = q.filter(reg::Column::NextContactOn.eq(day));
    }
    if filter.unreachable {
        q = q.filter(reg::Column::Unreachable.eq(true));
    }
    if let Some(name) = filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        q = q.filter(
            reg::Column::PersonId.in_subquery(
                Query::select()
                    .column(person::Column::Id)
                    .from(person::Entity)
                    .and_where(Expr::col(person::Column::Name).like(like_contains(name)))
                    .to_owned(),
            ),
        );
    }
    q
}

impl Store {
    /// Active registrations matching the filter, newest first, with the person's name.
    pub async fn caseload(
        &self,
        filter: &CaseloadFilter,
        rules: &CaseworkRules,
        today: NaiveDate,
        page: PageRequest,
    ) -> Result<Page<CaseRow>, StoreError> {
        let mut q = caseload_query(filter, rules, today);
        if let Some(after) = page.after {
            q = q.filter(reg::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(reg::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        let out = self.case_rows(rows).await?;
        Ok(Page::from_rows(out, page.limit, |c| c.registration.id))
    }

    /// A caseload page in any order, with the total the filter matches (for page numbers).
    pub async fn caseload_sorted(
        &self,
        filter: &CaseloadFilter,
        rules: &CaseworkRules,
        today: NaiveDate,
        sort: CaseloadSort,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<CaseRow>, Counted), StoreError> {
        self.caseload_sorted_counting_to(filter, rules, today, sort, offset, limit, COUNT_CAP).await
    }

    /// [`Self::caseload_sorted`] counting up to `cap` (tests use a small one).
    #[allow(clippy::too_many_arguments)]
    pub async fn caseload_sorted_counting_to(
        &self,
        filter: &CaseloadFilter,
        rules: &CaseworkRules,
        today: NaiveDate,
        sort: CaseloadSort,
        offset: u64,
        limit: u64,
        cap: u64,
    ) -> Result<(Vec<CaseRow>, Counted), StoreError> {
        use sea_orm::sea_query::{NullOrdering, Order};
        let q = caseload_query(filter, rules, today);
        let total = match category_only(filter) {
            Some((category, district)) => self.count_category_capped(category, district, cap).await?,
            None => self.count_capped(q.clone(), cap).await?,
        };
        let q = match sort {
            CaseloadSort::Newest => q.order_by_desc(reg::Column::Id),
            CaseloadSort::Oldest => q.order_by_asc(reg::Column::Id),
            CaseloadSort::NextContact => q
                .order_by_with_nulls(reg::Column::NextContactOn, Order::Asc, NullOrdering::Last)
                .order_by_asc(reg::Column::Id),
            CaseloadSort::One31Due => q
                .order_by_with_nulls(reg::Column::Next131DueOn, Order::Asc, NullOrdering::Last)
                .order_by_asc(reg::Column::Id),
        };
        let rows = q.offset(offset).limit(limit.clamp(1, crate::page::MAX_LIMIT)).all(self.db()).await?;
        Ok((self.case_rows(rows).await?, total))
    }

    /// How many open registrations a category holds (in a district), counted up to `cap` from
    /// the category rows alone: only open registrations have them.
    async fn count_category_capped(
        &self,
        category: &str,
        district: Option<&str>,
        cap: u64,
    ) -> Result<Counted, StoreError> {
        use crate::entities::registration_category as rc;
        use sea_orm::QueryTrait;
        let mut inner = rc::Entity::find()
            .select_only()
            .column(rc::Column::RegistrationId)
            .filter(rc::Column::Category.eq(category));
        if let Some(d) = district {
            inner = inner.filter(rc::Column::District.eq(d));
        }
        self.count_rows_capped(inner.limit(cap + 1).into_query(), cap).await
    }

    /// How many registrations a caseload query matches, counted up to [`COUNT_CAP`]: a district
    /// of a province holds hundreds of thousands, and an exact count walks all of them on every
    /// view, where nobody pages past the first few hundred (they filter).
    async fn count_capped(&self, q: sea_orm::Select<reg::Entity>, cap: u64) -> Result<Counted, StoreError> {
        use sea_orm::QueryTrait;
        self.count_rows_capped(q.select_only().column(reg::Column::Id).limit(cap + 1).into_query(), cap).await
    }

    /// The rows of `inner` (which reads at most `cap + 1`), as a capped count.
    async fn count_rows_capped(
        &self,
        inner: sea_orm::sea_query::SelectStatement,
        cap: u64,
    ) -> Result<Counted, StoreError> {
        let mut outer = Query::select();
        outer.expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).from_subquery(inner, Alias::new("capped"));
        let row = self.db().query_one(&outer).await?.ok_or_else(|| StoreError::Corrupt("no count row".into()))?;
        let n = u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
        Ok(if n > cap { Counted { total: cap, more: true } } else { Counted { total: n, more: false } })
    }

    /// Rows with their persons' names, in the registrations' order.
    async fn case_rows(&self, rows: Vec<reg::Model>) -> Result<Vec<CaseRow>, StoreError> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
        let persons = person::Entity::find().filter(person::Column::Id.is_in(ids)).all(self.db()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(p) = persons.iter().find(|p| p.id == r.person_id) else { continue };
            out.push(CaseRow {
                name: p.name.clone(),
                national_id_masked: p.national_id_masked.clone(),
                mobile: p.mobile.clone(),
                key_groups: p.key_groups.clone(),
                registration: to_registration(r)?,
            });
        }
        Ok(out)
    }

    /// Per district: active registrations, "131" complete, "131" overdue, contacts overdue,
    /// unreachable.
    pub async fn one31_league(&self, today: NaiveDate) -> Result<Vec<LeagueRow>, StoreError> {
        let count_if = |cond: sea_orm::sea_query::SimpleExpr, name: &str| {
            (Expr::expr(Func::sum(Expr::case(cond, 1).finally(0))).cast_as(Alias::new("bigint")), Alias::new(name))
        };
        let mut q = Query::select();
        q.column(reg::Column::District).expr_as(
            Expr::expr(Func::count(Expr::col(reg::Column::Id))).cast_as(Alias::new("bigint")),
            Alias::new("registered"),
        );
        for (e, a) in [
            count_if(Expr::col(reg::Column::Next131DueOn).is_null(), "complete"),
            count_if(Expr::col(reg::Column::Next131DueOn).lt(today), "overdue"),
            count_if(Expr::col(reg::Column::NextContactOn).lt(today), "contact_overdue"),
            count_if(Expr::col(reg::Column::Unreachable).eq(true), "unreachable"),
        ] {
            q.expr_as(e, a);
        }
        q.from(reg::Entity)
            .and_where(Expr::col(reg::Column::Status).eq(RegistrationStatus::Registered.as_str()))
            .group_by_col(reg::Column::District)
            .order_by(reg::Column::District, sea_orm::sea_query::Order::Asc);
        let rows = self.db().query_all(&q).await?;
        let mut out = Vec::new();
        for row in rows {
            out.push(LeagueRow {
                district: row.try_get("", "district")?,
                registered: row.try_get("", "registered")?,
                complete: row.try_get("", "complete")?,
                overdue: row.try_get("", "overdue")?,
                contact_overdue: row.try_get("", "contact_overdue")?,
                unreachable: row.try_get("", "unreachable")?,
            });
        }
        Ok(out)
    }

    /// 离校未就业毕业生和困难失业青年"一对一"帮扶联系率: of the active registrations in the
    /// graduate category, how many have been reached at least once.
    pub async fn graduate_contact_rate(&self, district: Option<&str>) -> Result<ContactRate, StoreError> {
        use sea_orm::PaginatorTrait;
        let mut q = reg::Entity::find()
            .filter(reg::Column::Status.eq(RegistrationStatus::Registered.as_str()))
            .filter(in_category("graduate", district));
        if let Some(d) = district {
            q = q.filter(reg::Column::District.eq(d));
        }
        let total = q.clone().count(self.db()).await?;
        let contacted = q.filter(reg::Column::LastReachedOn.is_not_null()).count(self.db()).await?;
        Ok(ContactRate { total, contacted })
    }

    /// Who is due for job recommendations on `day`: an active registration, reachable, and no
    /// job recommended in the `every_days` before `day`.
    pub async fn persons_due_for_push(&self, day: NaiveDate, every_days: i64) -> Result<Vec<Uuid>, StoreError> {
        use crate::entities::service;
        use std::collections::HashSet;
        let recent: HashSet<Uuid> = service::Entity::find()
            .select_only()
            .column(service::Column::PersonId)
            .filter(service::Column::Kind.eq(jiuye_domain::casework::ServiceKind::JobReferral.as_str()))
            .filter(service::Column::DeliveredOn.gt(day - Duration::days(every_days)))
            .into_tuple::<Uuid>()
            .all(self.db())
            .await?
            .into_iter()
            .collect();
        let active: Vec<Uuid> = reg::Entity::find()
            .select_only()
            .column(reg::Column::PersonId)
            .filter(reg::Column::Status.eq(RegistrationStatus::Registered.as_str()))
            .filter(reg::Column::Unreachable.eq(false))
            .order_by_asc(reg::Column::Id)
            .into_tuple::<Uuid>()
            .all(self.db())
            .await?;
        Ok(active.into_iter().filter(|p| !recent.contains(p)).collect())
    }

    /// Names of persons by id (for lists that show who).
    pub async fn person_names(&self, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, StoreError> {
        Ok(person::Entity::find()
            .filter(person::Column::Id.is_in(ids.to_vec()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect())
    }
}
