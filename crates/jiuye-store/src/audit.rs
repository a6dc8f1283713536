//! The audit log: who did what, when, from where. Written in the same transaction as the
//! change it describes; read by the city admin. Never holds a full ID number.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::roles::Role;

use crate::entities::audit;
use crate::{Page, PageRequest, Store, StoreError, new_id};

/// Who is acting, from where. Carried into every write.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub actor_account: Option<Uuid>,
    pub actor_role: Option<Role>,
    pub ip: Option<String>,
}

impl AuditEntry {
    pub fn system() -> Self {
        AuditEntry::default()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_account: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<Uuid>,
    pub district: Option<String>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Exact action or a prefix ending in `.` (e.g. `person.`).
    pub action: Option<String>,
    pub actor_account: Option<Uuid>,
    pub target_id: Option<Uuid>,
    pub district: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub(crate) struct Event<'a> {
    pub action: &'a str,
    pub target_kind: Option<&'a str>,
    pub target_id: Option<Uuid>,
    pub district: Option<&'a str>,
    pub detail: serde_json::Value,
}

pub(crate) async fn write<C: ConnectionTrait>(
    conn: &C,
    who: &AuditEntry,
    at: DateTime<Utc>,
    event: &Event<'_>,
) -> Result<(), StoreError> {
    audit::ActiveModel {
        id: Set(new_id(at)),
        at: Set(at),
        actor_account: Set(who.actor_account),
        actor_role: Set(who.actor_role.map(|r| r.as_str().to_string())),
        action: Set(event.action.to_string()),
        target_kind: Set(event.target_kind.map(str::to_string)),
        target_id: Set(event.target_id),
        district: Set(event.district.map(str::to_string)),
        ip: Set(who.ip.clone()),
        detail: Set(event.detail.clone()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

fn to_record(m: audit::Model) -> AuditRecord {
    AuditRecord {
        id: m.id,
        at: m.at,
        actor_account: m.actor_account,
        actor_role: m.actor_role,
        action: m.action,
        target_kind: m.target_kind,
        target_id: m.target_id,
        district: m.district,
        ip: m.ip,
        detail: m.detail,
    }
}

/// Entries matching a filter, unordered.
fn audit_query(filter: &AuditFilter) -> sea_orm::Select<audit::Entity> {
    let mut q = audit::Entity::find();
    if let Some(action) = &filter.action {
        q = if action.ends_with('.') {
            q.filter(audit::Column::Action.starts_with(action.as_str()))
        } else {
            q.filter(audit::Column::Action.eq(action.as_str()))
        };
    }
    if let Some(a) = filter.actor_account {
        q = q.filter(audit::Column::ActorAccount.eq(a));
    }
    if let Some(t) = filter.target_id {
        q = q.filter(audit::Column::TargetId.eq(t));
    }
    if let Some(d) = &filter.district {
        q = q.filter(audit::Column::District.eq(d.as_str()));
    }
    if let Some(from) = filter.from {
        q = q.filter(audit::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(audit::Column::At.lt(to));
    }
    q
}

impl Store {
    /// Record an event that is not a write of a record: a login, a full-ID view, a denial.
    pub async fn audit(
        &self,
        who: &AuditEntry,
        at: DateTime<Utc>,
        action: &str,
        target: Option<(&str, Uuid)>,
        district: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<(), StoreError> {
        write(
            self.db(),
            who,
            at,
            &Event { action, target_kind: target.map(|t| t.0), target_id: target.map(|t| t.1), district, detail },
        )
        .await
    }

    /// A page of the log at an offset, oldest first (reading a day or an incident in order).
    pub async fn list_audit_oldest(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = audit_query(filter)
            .order_by_asc(audit::Column::Id)
            .offset(offset)
            .limit(limit.clamp(1, crate::page::MAX_LIMIT))
            .all(self.db())
            .await?;
        Ok(rows.into_iter().map(to_record).collect())
    }

    /// How many entries a filter matches (the log page's total).
    pub async fn count_audit(&self, filter: &AuditFilter) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(audit_query(filter).count(self.db()).await?)
    }

    pub async fn list_audit(&self, filter: &AuditFilter, page: PageRequest) -> Result<Page<AuditRecord>, StoreError> {
        let mut q = audit_query(filter);
        if let Some(after) = page.after {
            q = q.filter(audit::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(audit::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        let rows = rows.into_iter().map(to_record).collect();
        Ok(Page::from_rows(rows, page.limit, |r| r.id))
    }
}
