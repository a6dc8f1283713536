use sea_orm::entity::prelude::*;

/// The dashboard's projection: what one aggregation counts on one day in one district (`''`
/// for the whole city), so a period's figure is a sum over an index range instead of a count
/// over the ledger. Rebuilt from the records for the days `kpi_dirty` names. Added by
/// migration 26.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "kpi_days")]
pub struct Model {
    /// The aggregation's id (`services_to_graduates`, …).
    #[sea_orm(primary_key, auto_increment = false)]
    pub aggregation: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub district: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// Records counted that day (for a stock: those begun less those ended).
    pub n: i64,
    /// For a rate: the records in the denominator.
    pub d: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
