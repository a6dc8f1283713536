use sea_orm::entity::prelude::*;

/// Failed sign-ins by login key — for accounts that exist and for those that do not, so a
/// stranger cannot tell them apart by the lockout — shared by every instance. Added by
/// migration 12.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    /// A keyed hash of the login key (never the identifier itself).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_hash: String,
    pub failures: i32,
    #[sea_orm(nullable)]
    pub locked_until: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
