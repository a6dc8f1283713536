use sea_orm::entity::prelude::*;

/// Append-only: nothing in the code base updates or deletes these rows.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub at: DateTimeUtc,
    #[sea_orm(nullable, indexed)]
    pub actor_account: Option<Uuid>,
    #[sea_orm(nullable)]
    pub actor_role: Option<String>,
    #[sea_orm(indexed)]
    pub action: String,
    #[sea_orm(nullable)]
    pub target_kind: Option<String>,
    #[sea_orm(nullable)]
    pub target_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub district: Option<String>,
    #[sea_orm(nullable)]
    pub ip: Option<String>,
    pub detail: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
