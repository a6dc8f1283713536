use sea_orm::entity::prelude::*;

/// The change log (outbox): one row per record change, written in the transaction of the
/// change itself. Derived state — the search index, the job pool, later the job feed and other
/// instances — applies it from a durable position. Added by migration 10.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// The kind of record: `vacancy`.
    pub entity: String,
    #[sea_orm(indexed)]
    pub entity_id: Uuid,
    /// `upsert` (read the record again), or `reset` (a bulk load: rebuild from the store).
    pub kind: String,
    /// PostgreSQL: the id of the writing transaction (`pg_current_xact_id`). Readers take only
    /// rows of transactions older than the oldest one still running, since sequence values
    /// commit out of order. SQLite (one writer at a time): null, and `seq` orders.
    #[sea_orm(nullable, indexed)]
    pub txid: Option<i64>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
