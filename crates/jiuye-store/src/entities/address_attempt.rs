use sea_orm::entity::prelude::*;

/// Sign-in attempts per client address and minute, shared by every instance (the throttle of
/// one address). The address is kept only as a keyed hash. Added by migration 17.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "address_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub address_hash: String,
    /// Minutes since 1970-01-01 UTC.
    #[sea_orm(primary_key, auto_increment = false)]
    pub minute: i64,
    pub attempts: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
