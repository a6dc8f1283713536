use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub credit_code: String,
    #[sea_orm(indexed)]
    pub name: String,
    pub industry: String,
    #[sea_orm(indexed)]
    pub district: String,
    #[sea_orm(nullable)]
    pub address: Option<String>,
    pub size: String,
    pub key_enterprise: bool,
    #[sea_orm(nullable)]
    pub liaison_account: Option<Uuid>,
    #[sea_orm(nullable)]
    pub contact_name: Option<String>,
    #[sea_orm(nullable)]
    pub contact_mobile: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
