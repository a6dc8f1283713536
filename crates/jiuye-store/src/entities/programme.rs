use sea_orm::entity::prelude::*;

/// A training programme (培训项目): its kind, who runs it, when, how many it takes, its cost.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "training_programmes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// employment_skills, entrepreneurship, enterprise_apprenticeship, student_apprenticeship,
    /// key_industry, enterprise_staff, brics.
    pub kind: String,
    pub name: String,
    /// The provider (a contracted organisation) running it, if not a public institution.
    #[sea_orm(nullable, indexed)]
    pub provider_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub occupation: Option<String>,
    #[sea_orm(indexed)]
    pub district: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub capacity: i32,
    pub cost_per_trainee_fen: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
