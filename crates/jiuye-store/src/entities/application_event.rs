use sea_orm::entity::prelude::*;

/// Append-only history of an application's status.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub application_id: Uuid,
    pub at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    pub actor: String,
    #[sea_orm(nullable)]
    pub from_status: Option<String>,
    pub to_status: String,
    #[sea_orm(nullable)]
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
