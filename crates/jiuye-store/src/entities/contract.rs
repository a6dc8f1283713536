use sea_orm::entity::prelude::*;

/// A service contract: which persons a provider serves, and the prices (integer fen) per person
/// served and per person employed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub provider_id: Uuid,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub price_served_fen: i64,
    pub price_employed_fen: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
