use sea_orm::entity::prelude::*;

/// Every step of a claim: who, when, from which status to which, why, by which policy version.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub claim_id: Uuid,
    pub at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    #[sea_orm(nullable)]
    pub actor_role: Option<String>,
    #[sea_orm(nullable)]
    pub from_status: Option<String>,
    pub to_status: String,
    #[sea_orm(nullable)]
    pub reason: Option<String>,
    pub policy_version: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
