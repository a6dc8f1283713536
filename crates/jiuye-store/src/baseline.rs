//! The SQL baselines that the search benchmark compares the index with, on the same data:
//! PostgreSQL `ILIKE` served by a pg_trgm GIN index, and SQLite FTS5 with the trigram
//! tokenizer. Tables `bench_vacancies` / `bench_fts` exist only in benchmark databases.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use jiuye_domain::records::Vacancy;

use crate::{Store, StoreError};

/// One query of the benchmark's fixed set, in SQL terms.
#[derive(Debug, Clone, Default)]
pub struct BaselineQuery {
    pub keyword: Option<String>,
    pub district: Option<String>,
    pub kind: Option<String>,
    pub salary_min: Option<i32>,
    pub newest_first: bool,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone)]
pub struct BaselineResult {
    pub total: u64,
    pub ids: Vec<Uuid>,
    pub district_counts: Vec<(String, i64)>,
}

fn doc_of(v: &Vacancy) -> String {
    format!("{} {} {} {} {}", v.title, v.description, v.employer_name, v.occupation.name(), v.skills.join(" "))
}

impl Store {
    /// Create the baseline tables and load these vacancies (open on `today`).
    pub async fn baseline_load(&self, vacancies: &[Vacancy], today: NaiveDate) -> Result<(), StoreError> {
        let db = self.db();
        let pg = self.backend() == DbBackend::Postgres;
        if pg {
            db.execute_unprepared(
                "CREATE EXTENSION IF NOT EXISTS pg_trgm; DROP TABLE IF EXISTS bench_vacancies; \
                 CREATE TABLE bench_vacancies (id uuid PRIMARY KEY, doc text NOT NULL, district text NOT NULL, \
                 kind text NOT NULL, salary_min int NOT NULL, salary_max int NOT NULL, opens_on date NOT NULL, \
                 closes_on date NOT NULL)",
            )
            .await?;
        } else {
            db.execute_unprepared(
                "DROP TABLE IF EXISTS bench_fts; DROP TABLE IF EXISTS bench_vacancies; \
                 CREATE TABLE bench_vacancies (id blob PRIMARY KEY, doc text NOT NULL, district text NOT NULL, \
                 kind text NOT NULL, salary_min int NOT NULL, salary_max int NOT NULL, opens_on text NOT NULL, \
                 closes_on text NOT NULL); \
                 CREATE VIRTUAL TABLE bench_fts USING fts5(doc, tokenize = 'trigram');",
            )
            .await?;
        }
        for chunk in vacancies.chunks(400) {
            let mut sql = String::from(
                "INSERT INTO bench_vacancies (id, doc, district, kind, salary_min, salary_max, opens_on, closes_on) VALUES ",
            );
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 8);
            for (i, v) in
                chunk.iter().filter(|v| v.status_on(today) == jiuye_domain::records::VacancyStatus::Open).enumerate()
            {
                if i > 0 {
                    sql.push(',');
                }
                let b = values.len();
                if pg {
                    sql.push_str(&format!(
                        "(${},${},${},${},${},${},${},${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7,
                        b + 8
                    ));
                } else {
                    sql.push_str("(?,?,?,?,?,?,?,?)");
                }
                values.push(v.id.into());
                values.push(doc_of(v).into());
                values.push(v.district.as_str().to_string().into());
                values.push(v.kind.as_str().to_string().into());
                values.push(v.salary_min.into());
                values.push(v.salary_max.into());
                values.push(v.opens_on.into());
                values.push(v.closes_on.into());
            }
            if values.is_empty() {
                continue;
            }
            db.execute_raw(Statement::from_sql_and_values(self.backend(), sql, values)).await?;
        }
        if pg {
            db.execute_unprepared(
                "CREATE INDEX bench_doc_trgm ON bench_vacancies USING gin (doc gin_trgm_ops); \
                 CREATE INDEX bench_opens ON bench_vacancies (opens_on DESC, id DESC); ANALYZE bench_vacancies;",
            )
            .await?;
        } else {
            db.execute_unprepared(
                "INSERT INTO bench_fts (rowid, doc) SELECT rowid, doc FROM bench_vacancies; \
                 CREATE INDEX bench_opens ON bench_vacancies (opens_on DESC); ANALYZE;",
            )
            .await?;
        }
        Ok(())
    }

    /// Run one baseline query: the page, the total and the district counts, as the index does.
    pub async fn baseline_query(&self, q: &BaselineQuery, today: NaiveDate) -> Result<BaselineResult, StoreError> {
        let pg = self.backend() == DbBackend::Postgres;
        let mut values: Vec<Value> = Vec::new();
        let param = |v: Value, values: &mut Vec<Value>| -> String {
            values.push(v);
            if pg { format!("${}", values.len()) } else { "?".into() }
        };
        let (from, mut conds) = if pg {
            ("bench_vacancies v".to_string(), Vec::new())
        } else if q.keyword.is_some() {
            ("bench_vacancies v JOIN bench_fts f ON f.rowid = v.rowid".to_string(), Vec::new())
        } else {
            ("bench_vacancies v".to_string(), Vec::new())
        };
        let c = param(today.into(), &mut values);
        conds.push(format!("v.closes_on >= {c}"));
        if let Some(k) = &q.keyword {
            let pat = format!("%{}%", k.replace(['%', '_'], ""));
            let p = param(pat.into(), &mut values);
            conds.push(if pg { format!("v.doc ILIKE {p}") } else { format!("f.doc LIKE {p}") });
        }
        if let Some(d) = &q.district {
            let p = param(d.clone().into(), &mut values);
            conds.push(format!("v.district = {p}"));
        }
        if let Some(k) = &q.kind {
            let p = param(k.clone().into(), &mut values);
            conds.push(format!("v.kind = {p}"));
        }
        if let Some(s) = q.salary_min {
            let p = param(s.into(), &mut values);
            conds.push(format!("v.salary_max >= {p}"));
        }
        let filter = format!("FROM {from} WHERE {}", conds.join(" AND "));
        let order = if q.newest_first { "ORDER BY v.opens_on DESC, v.id DESC" } else { "ORDER BY v.id DESC" };
        let backend = self.backend();
        let page_sql = format!("SELECT v.id AS id {filter} {order} LIMIT {} OFFSET {}", q.limit, q.offset);
        let rows = self.db().query_all_raw(Statement::from_sql_and_values(backend, page_sql, values.clone())).await?;
        let ids = rows.iter().filter_map(|r| r.try_get::<Uuid>("", "id").ok()).collect();
        let count_sql = format!("SELECT count(*) AS n {filter}");
        let total = self
            .db()
            .query_one_raw(Statement::from_sql_and_values(backend, count_sql, values.clone()))
            .await?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        let facet_sql = format!("SELECT v.district AS d, count(*) AS n {filter} GROUP BY v.district");
        let district_counts = self
            .db()
            .query_all_raw(Statement::from_sql_and_values(backend, facet_sql, values))
            .await?
            .iter()
            .filter_map(|r| Some((r.try_get::<String>("", "d").ok()?, r.try_get::<i64>("", "n").ok()?)))
            .collect();
        Ok(BaselineResult { total: u64::try_from(total).unwrap_or(0), ids, district_counts })
    }
}
