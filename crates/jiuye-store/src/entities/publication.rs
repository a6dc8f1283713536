use sea_orm::entity::prelude::*;

/// A policy version made live by a city administrator. Versions in the catalogue but not here
/// decide nothing: claims and screening use only published versions.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_publications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `<policy id>@<version>`.
    #[sea_orm(unique)]
    pub policy_key: String,
    #[sea_orm(nullable)]
    pub published_by: Option<Uuid>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
