use sea_orm::entity::prelude::*;

/// An employment registration (就业登记): from a hire, at a desk, or declared by the person.
/// Each row counts once toward new employment; `dedupe_key` stops the same person, employer (or
/// form) and start day being recorded twice.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employment_registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    pub form: String,
    #[sea_orm(nullable, indexed)]
    pub employer_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub vacancy_id: Option<Uuid>,
    /// One employment per application at most.
    #[sea_orm(nullable, unique)]
    pub application_id: Option<Uuid>,
    #[sea_orm(indexed)]
    pub started_on: Date,
    /// `hire`, `desk` or `person`.
    pub source: String,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// The unemployment registration this employment ended, if one was active.
    #[sea_orm(nullable)]
    pub registration_id: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
