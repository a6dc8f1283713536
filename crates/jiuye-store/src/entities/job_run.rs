use sea_orm::entity::prelude::*;

/// Scheduled work claimed by one instance: a job (`sweep`, `tiers`) for a period (a ten-minute
/// slot, a day) runs where the claim was inserted, nowhere else. Added by migration 18.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "job_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    pub claimed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
