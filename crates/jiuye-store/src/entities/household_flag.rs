use sea_orm::entity::prelude::*;

/// One period a household was 零就业: raised when it appears, cleared when a member finds work.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "household_flags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub household_id: Uuid,
    pub flagged_on: Date,
    #[sea_orm(nullable)]
    pub cleared_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
