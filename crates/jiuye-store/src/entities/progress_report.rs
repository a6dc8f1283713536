use sea_orm::entity::prelude::*;

/// A lead unit's progress report on one measure of 附件1 for a half month or a month
/// (migration 14). Kept as filed: a later report for the same period is a newer version, the
/// older one stays.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub measure: i32,
    /// `2026-11-H1`, `2026-11-H2` or `2026-11`.
    #[sea_orm(indexed)]
    pub period: String,
    /// `half_month` or `month`.
    pub kind: String,
    /// The lead unit's id (measures.toml).
    pub unit: String,
    pub text: String,
    /// Indicator figures filled from the records when filed: `[{indicator, value, shown}]`.
    pub figures: Json,
    /// References to attachments (document numbers, links), not the files.
    pub attachments: Json,
    pub actor_account: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
