use sea_orm::entity::prelude::*;

/// One category (key group) of one open registration, kept by the writes that set the
/// registration's `categories` list and removed when it ends: a caseload filtered by category
/// is then an index range (category, district), where the list can only be scanned with LIKE.
/// Added by migration 25.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "registration_categories")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub district: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub registration_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
