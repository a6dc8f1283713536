use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub role: String,
    /// `u:<username>` for staff, `cc:<credit code>` for employers, `id:<keyed hash>` for seekers:
    /// one unique namespace, and a seeker's ID number never appears in it.
    #[sea_orm(unique)]
    pub login_key: String,
    pub display_name: String,
    pub password_hash: String,
    #[sea_orm(nullable, indexed)]
    pub district: Option<String>,
    #[sea_orm(nullable)]
    pub person_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub employer_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub organisation: Option<String>,
    pub active: bool,
    pub failed_logins: i32,
    #[sea_orm(nullable)]
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
