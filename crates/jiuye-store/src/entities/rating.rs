use sea_orm::entity::prelude::*;

/// A person's rating of a service (1–5), once per service.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_ratings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub service_id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    pub score: i32,
    #[sea_orm(nullable)]
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
