use sea_orm::entity::prelude::*;

/// For an aggregation counting distinct persons over days (the served who found work): how
/// many of one day's person-days had the same person's previous one on `prev` (within the
/// district, or anywhere for the city, `''`). A span's distinct persons are its person-days
/// less those whose previous one falls in the span too — a sum over `kpi_days` less a sum
/// over these rows. Added by migration 26.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "kpi_pairs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub aggregation: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub district: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub prev: Date,
    /// Person-days in the numerator (the person found work on or after that day).
    pub n: i64,
    /// Person-days.
    pub d: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
