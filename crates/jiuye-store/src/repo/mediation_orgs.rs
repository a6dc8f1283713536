//! Registered labour-dispute mediation organisations: the directory a worker is sent to, and
//! the organisation a mediation case names.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{AuditEntry, Event};
use crate::entities::mediation_org;
use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct MediationOrg {
    pub id: Uuid,
    pub name: String,
    /// enterprise, community, township.
    pub kind: String,
    pub district: String,
    pub address: String,
    pub registered_on: NaiveDate,
    pub evidence: String,
}

#[derive(Debug, Clone)]
pub struct NewMediationOrg {
    pub name: String,
    pub kind: String,
    pub district: String,
    pub address: String,
    pub registered_on: NaiveDate,
    pub evidence: String,
}

fn to_org(m: mediation_org::Model) -> MediationOrg {
    MediationOrg {
        id: m.id,
        name: m.name,
        kind: m.kind,
        district: m.district,
        address: m.address,
        registered_on: m.registered_on,
        evidence: m.evidence,
    }
}

impl Store {
    pub async fn create_mediation_org(
        &self,
        new: &NewMediationOrg,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<MediationOrg, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let m = mediation_org::ActiveModel {
            id: Set(id),
            name: Set(new.name.clone()),
            kind: Set(new.kind.clone()),
            district: Set(new.district.clone()),
            address: Set(new.address.clone()),
            registered_on: Set(new.registered_on),
            evidence: Set(new.evidence.clone()),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "labour.mediation_org_create",
            target_kind: Some("mediation_org"),
            target_id: Some(id),
            district: Some(&new.district),
            detail: serde_json::json!({ "kind": new.kind, "name": new.name }),
        })
        .await?;
        Ok(to_org(m))
    }

    /// The organisations of a district (all with none), by name.
    pub async fn mediation_orgs(&self, district: Option<&str>) -> Result<Vec<MediationOrg>, StoreError> {
        let mut q = mediation_org::Entity::find();
        if let Some(d) = district {
            q = q.filter(mediation_org::Column::District.eq(d));
        }
        let rows = q
            .order_by_asc(mediation_org::Column::District)
            .order_by_asc(mediation_org::Column::Name)
            .order_by_asc(mediation_org::Column::Id)
            .all(self.db())
            .await?;
        Ok(rows.into_iter().map(to_org).collect())
    }

    pub async fn mediation_org_by_id(&self, id: Uuid) -> Result<MediationOrg, StoreError> {
        mediation_org::Entity::find_by_id(id).one(self.db()).await?.map(to_org).ok_or(StoreError::NotFound)
    }
}
