use sea_orm::entity::prelude::*;

/// A subsidy claim (补贴申领), decided by the policy engine and moved through review, approval
/// and payment. `paid_once_key` (claimant, non-combinable group, period) is set while the
/// claim is live and unique, so the same subsidy can be claimed — and paid — once.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub policy_id: String,
    pub policy_version: String,
    pub budget_line: String,
    /// `person`, `employer` or `organisation`.
    pub claimant_kind: String,
    #[sea_orm(indexed)]
    pub claimant_id: Uuid,
    /// The person an employer's or organisation's claim is about (per-person policies, e.g. an
    /// intern): paid-once and caps count per this person. Added (with its index) by migration 8.
    #[sea_orm(nullable)]
    pub subject_id: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    pub period_key: String,
    #[sea_orm(nullable, unique)]
    pub paid_once_key: Option<String>,
    pub amount_fen: i64,
    #[sea_orm(indexed)]
    pub status: String,
    /// The facts decided on, and the engine's decision (reasons, trace).
    pub facts: Json,
    pub decision: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
