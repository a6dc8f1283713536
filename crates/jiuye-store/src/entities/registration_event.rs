use sea_orm::entity::prelude::*;

/// Every change of an unemployment registration: status moves and tier overrides.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "registration_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub registration_id: Uuid,
    pub at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    /// `status` or `tier`.
    pub change: String,
    #[sea_orm(nullable)]
    pub from_value: Option<String>,
    pub to_value: String,
    #[sea_orm(nullable)]
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
