use sea_orm::entity::prelude::*;

/// A published version of the casework rules (tiers, contact intervals, "131" windows) as the
/// TOML a city administrator published, in force from its publication on every instance. The
/// embedded rules are version 1 and never stored. Added by migration 21.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "casework_rule_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub rules: String,
    /// Why it was published.
    pub note: String,
    #[sea_orm(nullable)]
    pub published_by: Option<Uuid>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
