use sea_orm::entity::prelude::*;

/// A person's answer about something done for them — a class they attended or a decision on
/// their claim — 1 to 5 with a comment, once per item (a unique index; migration 14). Services
/// are rated in `service_ratings`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `class` (an enrolment) or `claim`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    /// The district of the class or the claim.
    pub district: String,
    pub score: i32,
    pub comment: Option<String>,
    #[sea_orm(indexed)]
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
