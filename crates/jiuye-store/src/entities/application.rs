use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub vacancy_id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    #[sea_orm(indexed)]
    pub employer_id: Uuid,
    /// `vacancy_id:person_id`, unique: one application per person and vacancy, by the database.
    #[sea_orm(unique)]
    pub vacancy_person: String,
    #[sea_orm(indexed)]
    pub status: String,
    #[sea_orm(nullable)]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The employer's last move (or the submission): inaction is counted from here.
    #[sea_orm(indexed)]
    pub last_employer_action_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
