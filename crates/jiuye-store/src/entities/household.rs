use sea_orm::entity::prelude::*;

/// A household (家庭) for zero-employment tracking.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "households")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub district: String,
    #[sea_orm(nullable)]
    pub address: Option<String>,
    /// The day the current 零就业 flag was raised; NULL when not flagged.
    #[sea_orm(nullable, indexed)]
    pub flagged_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
