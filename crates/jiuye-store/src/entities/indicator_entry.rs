use sea_orm::entity::prelude::*;

/// A figure of an indicator the records cannot yield, entered for a period and place by an
/// authorised user with its source and evidence (migration 14). Entries are kept: the newest
/// for a period and place is the figure, the older ones its history.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub indicator: String,
    /// The period's key (`2026`, `2026-Q3`, `2026-10`, `from..to`).
    pub period: String,
    /// GB/T 2260 district; empty for the whole city.
    pub district: String,
    /// The figure in the indicator's unit, times 1,000 (three decimals kept exactly).
    pub value_milli: i64,
    pub source: String,
    pub evidence: String,
    pub actor_account: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
