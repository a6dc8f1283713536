//! The one migration list for both backends.
//!
//! Migration 1 builds every table from the entity definitions (SeaORM renders the right DDL per
//! backend). Later schema changes must be new, explicit migrations appended here — never an edit
//! of an applied one. Applied versions are kept in `jiuye_migrations`.

use sea_orm::sea_query::{Alias, ColumnDef, Expr, Query, Table};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, Schema, TransactionTrait};

use crate::entities::{account, application, application_event, audit, employer, employment, person, session, vacancy};
use crate::{Store, StoreError};

type Step = fn(&Schema) -> Vec<Ddl>;

pub enum Ddl {
    Table(Box<sea_orm::sea_query::TableCreateStatement>),
    Index(Box<sea_orm::sea_query::IndexCreateStatement>),
}

const MIGRATIONS: &[(i32, &str, Step)] =
    &[(1, "core records, identity, audit", initial), (2, "applications and employments", applications)];

fn for_entity<E: EntityTrait>(schema: &Schema, entity: E, out: &mut Vec<Ddl>) {
    out.push(Ddl::Table(Box::new(schema.create_table_from_entity(entity))));
    for idx in schema.create_index_from_entity(entity) {
        out.push(Ddl::Index(Box::new(idx)));
    }
}

fn initial(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, account::Entity, &mut out);
    for_entity(schema, session::Entity, &mut out);
    for_entity(schema, person::Entity, &mut out);
    for_entity(schema, employer::Entity, &mut out);
    for_entity(schema, vacancy::Entity, &mut out);
    for_entity(schema, audit::Entity, &mut out);
    out
}

fn applications(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, application::Entity, &mut out);
    for_entity(schema, application_event::Entity, &mut out);
    for_entity(schema, employment::Entity, &mut out);
    out
}

async fn exec(txn: &DatabaseTransaction, ddl: &Ddl) -> Result<(), DbErr> {
    match ddl {
        Ddl::Table(t) => txn.execute(t.as_ref()).await.map(|_| ()),
        Ddl::Index(i) => txn.execute(i.as_ref()).await.map(|_| ()),
    }
}

impl Store {
    /// Apply every pending migration, each in its own transaction (DDL is transactional on
    /// both backends). Returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i32>, StoreError> {
        let db = self.db();
        let table = Alias::new("jiuye_migrations");
        db.execute(
            Table::create()
                .table(table.clone())
                .if_not_exists()
                .col(ColumnDef::new(Alias::new("version")).integer().not_null().primary_key())
                .col(ColumnDef::new(Alias::new("name")).string().not_null()),
        )
        .await?;
        let rows = db.query_all(Query::select().column(Alias::new("version")).from(table.clone())).await?;
        let mut applied = Vec::new();
        for row in rows {
            applied.push(row.try_get::<i32>("", "version")?);
        }
        let schema = Schema::new(self.backend());
        let mut done = Vec::new();
        for (version, name, step) in MIGRATIONS {
            if applied.contains(version) {
                continue;
            }
            let txn = db.begin().await?;
            for ddl in step(&schema) {
                exec(&txn, &ddl).await?;
            }
            txn.execute(
                Query::insert()
                    .into_table(table.clone())
                    .columns([Alias::new("version"), Alias::new("name")])
                    .values_panic([Expr::val(*version), Expr::val(*name)]),
            )
            .await?;
            txn.commit().await?;
            tracing::info!(version, name, "migration applied");
            done.push(*version);
        }
        Ok(done)
    }

    /// Versions known to the binary but not yet applied (for `/readyz` and `jiuye migrate --check`).
    pub fn latest_migration() -> i32 {
        MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
    }
}
