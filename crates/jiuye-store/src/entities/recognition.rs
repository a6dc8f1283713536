use sea_orm::entity::prelude::*;

/// A key-group recognition (重点群体认定) made by staff with its evidence — e.g. 就业困难人员
/// 认定. Claims read a person's key groups from these rows (and from registrations and
/// households), never from what the person ticked on their profile. Added by migration 9.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "recognitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    /// A key-group code (`employment_difficulty`, …).
    pub key_group: String,
    /// The district whose staff made it.
    pub district: String,
    /// A reference to the document or a description of the evidence seen.
    pub evidence: String,
    pub recognised_on: Date,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
