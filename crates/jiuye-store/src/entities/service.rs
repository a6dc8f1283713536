use sea_orm::entity::prelude::*;

/// The service ledger: append-only. A correction is a new row with `corrects_id` naming the
/// row it replaces (`void` when it only cancels it); nothing is ever updated or deleted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    #[sea_orm(nullable, indexed)]
    pub registration_id: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    #[sea_orm(indexed)]
    pub kind: String,
    #[sea_orm(indexed)]
    pub delivered_on: Date,
    #[sea_orm(nullable)]
    pub actor_account: Option<Uuid>,
    /// Set when a contracted organisation's staff delivered it.
    #[sea_orm(nullable, indexed)]
    pub provider_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub vacancy_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub course: Option<String>,
    #[sea_orm(nullable)]
    pub note: Option<String>,
    #[sea_orm(nullable)]
    pub evidence: Option<String>,
    /// Why (for job recommendations: the matcher's reasons).
    pub reasons: Json,
    #[sea_orm(nullable, indexed)]
    pub corrects_id: Option<Uuid>,
    pub void: bool,
    /// Idempotency of batch pushes: `push:<person>:<day>:<vacancy>`.
    #[sea_orm(nullable, unique)]
    pub batch_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
