use sea_orm::entity::prelude::*;

/// A person's employment, recorded from a hire (and, with casework, at a desk). Each row
/// counts once toward new employment.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    #[sea_orm(indexed)]
    pub employer_id: Uuid,
    #[sea_orm(nullable)]
    pub vacancy_id: Option<Uuid>,
    /// One employment per application at most.
    #[sea_orm(nullable, unique)]
    pub application_id: Option<Uuid>,
    pub started_on: Date,
    /// `hire` (from an application); casework adds desk forms.
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
