use sea_orm::entity::prelude::*;

/// Money for one policy from one budget line (中央/地方/其他): allocated, reserved by approved
/// claims, paid. Reservation is one conditional UPDATE, so concurrent approvals never overspend.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_allocations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `<line>:<policy id>`.
    #[sea_orm(unique)]
    pub line_policy: String,
    #[sea_orm(indexed)]
    pub budget_line: String,
    pub policy_id: String,
    pub allocated_fen: i64,
    pub reserved_fen: i64,
    pub paid_fen: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
