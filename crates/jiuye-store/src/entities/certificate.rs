use sea_orm::entity::prelude::*;

/// A certificate (专项职业能力证书, 职业资格证书, 职业技能等级证书 五级–一级, 培训合格证书).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    #[sea_orm(nullable, indexed)]
    pub enrolment_id: Option<Uuid>,
    /// special_ability, vocational_qualification, skill_level, training_completion.
    pub kind: String,
    /// five … one, or none.
    pub level: String,
    #[sea_orm(nullable)]
    pub occupation: Option<String>,
    #[sea_orm(unique)]
    pub number: String,
    pub issued_on: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
