use sea_orm::entity::prelude::*;

/// A worker's place on a gig: accepted, started and completed as both sides confirm, pay
/// recorded, a rating each way. One per worker and gig (`demand_person` is unique). Added by
/// migration 19.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gig_bookings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub demand_id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    #[sea_orm(unique)]
    pub demand_person: String,
    /// booked, started, done, cancelled.
    pub status: String,
    pub accepted_at: DateTimeUtc,
    #[sea_orm(nullable)]
    pub worker_started_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub employer_started_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub worker_done_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub employer_done_at: Option<DateTimeUtc>,
    /// What the employer says it paid, in fen.
    #[sea_orm(nullable)]
    pub paid_fen: Option<i64>,
    /// Whether the worker says the pay arrived.
    #[sea_orm(nullable)]
    pub worker_paid: Option<bool>,
    /// The worker's rating of the employer (1–5), and the employer's of the worker.
    #[sea_orm(nullable)]
    pub rating_of_employer: Option<i32>,
    #[sea_orm(nullable)]
    pub rating_of_worker: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
