use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// SHA-256 of the cookie token: a stolen database does not yield live cookies.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    #[sea_orm(indexed)]
    pub account_id: Uuid,
    pub csrf_token: String,
    pub created_at: DateTimeUtc,
    #[sea_orm(indexed)]
    pub expires_at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
