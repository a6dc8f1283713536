use sea_orm::entity::prelude::*;

/// A trainee on a programme: attendance, assessment, the outcome.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub programme_id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    /// `<programme>:<person>`: enrolled once.
    #[sea_orm(unique)]
    pub programme_person: String,
    /// enrolled, completed, dropped.
    pub status: String,
    pub attendance_hours: i32,
    #[sea_orm(nullable)]
    pub assessed_on: Option<Date>,
    #[sea_orm(nullable)]
    pub passed: Option<bool>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
