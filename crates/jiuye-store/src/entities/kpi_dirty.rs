use sea_orm::entity::prelude::*;

/// A day whose projected counts may be out of date: written by database triggers in the
/// transaction of every change to a record the projection counts (a service, a recognition,
/// a registration, an application …), whichever code path made it. The refresher recounts the
/// days named here and removes them in one transaction. Added by migration 26.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "kpi_dirty")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub day: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
