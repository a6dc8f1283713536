use sea_orm::entity::prelude::*;

/// One contact attempt (定期联系): method, outcome, note.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    #[sea_orm(nullable, indexed)]
    pub registration_id: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    pub contacted_on: Date,
    pub method: String,
    pub outcome: String,
    #[sea_orm(nullable)]
    pub note: Option<String>,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    #[sea_orm(nullable)]
    pub provider_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
