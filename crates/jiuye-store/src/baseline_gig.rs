//! The SQL distance query that the gig benchmark compares the in-memory matcher with, on the
//! same profiles: what a database alone would do for "the nearest available workers of this
//! trade". Workers are stored as H3 cells only (never a position), so the benchmark gives each
//! cell its centre in `bench_gig_cells`, a table that exists only in benchmark databases.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::{Store, StoreError};

/// Kilometres per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = 111.32;

/// One gig, in SQL terms.
#[derive(Debug, Clone)]
pub struct GigSqlQuery {
    /// Where the gig is (latitude, longitude).
    pub at: (f64, f64),
    /// Straight-line distance within which workers are wanted.
    pub crow_km: f64,
    /// A worker's trade must start with this code (the gig's 小类, `4-02-05`).
    pub trade_group: String,
    pub day_pay_fen: i64,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub limit: u64,
}

impl Store {
    /// Create `bench_gig_cells` with these cells' centres, and the indexes a database
    /// administrator would add for the query (cell of a profile; latitude of a centre).
    pub async fn baseline_gig_cells(&self, centres: &[(i64, f64, f64)]) -> Result<(), StoreError> {
        let db = self.db();
        let pg = self.backend() == DbBackend::Postgres;
        let real = if pg { "double precision" } else { "real" };
        db.execute_unprepared(&format!(
            "DROP TABLE IF EXISTS bench_gig_cells; \
             CREATE TABLE bench_gig_cells (cell bigint PRIMARY KEY, lat {real} NOT NULL, lon {real} NOT NULL)"
        ))
        .await?;
        for chunk in centres.chunks(300) {
            let mut sql = String::from("INSERT INTO bench_gig_cells (cell, lat, lon) VALUES ");
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 3);
            for (i, &(cell, lat, lon)) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                let b = values.len();
                if pg {
                    sql.push_str(&format!("(${},${},${})", b + 1, b + 2, b + 3));
                } else {
                    sql.push_str("(?,?,?)");
                }
                values.extend([cell.into(), lat.into(), lon.into()]);
            }
            db.execute_raw(Statement::from_sql_and_values(self.backend(), sql, values)).await?;
        }
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS bench_gig_workers_cell ON gig_workers (cell); \
             CREATE INDEX IF NOT EXISTS bench_gig_cells_lat ON bench_gig_cells (lat, lon)",
        )
        .await?;
        db.execute_unprepared(if pg { "ANALYZE gig_workers; ANALYZE bench_gig_cells" } else { "ANALYZE" }).await?;
        Ok(())
    }

    /// The nearest available workers of the trade whose wanted rate the pay meets, by the
    /// straight line between cell centres, nearest first: (person, km).
    pub async fn baseline_gig_nearest(&self, q: &GigSqlQuery) -> Result<Vec<(Uuid, f64)>, StoreError> {
        let pg = self.backend() == DbBackend::Postgres;
        let p = |n: usize| if pg { format!("${n}") } else { format!("?{n}") };
        let lat_km = KM_PER_DEGREE;
        let lon_km = KM_PER_DEGREE * q.at.0.to_radians().cos().max(0.1);
        let (lat_span, lon_span) = (q.crow_km / lat_km, q.crow_km / lon_km);
        let values: Vec<Value> = vec![
            q.at.0.into(),                                                     // 1
            q.at.1.into(),                                                     // 2
            lat_km.into(),                                                     // 3
            lon_km.into(),                                                     // 4
            (q.at.0 - lat_span).into(),                                        // 5
            (q.at.0 + lat_span).into(),                                        // 6
            (q.at.1 - lon_span).into(),                                        // 7
            (q.at.1 + lon_span).into(),                                        // 8
            q.day_pay_fen.into(),                                              // 9
            format!("%\"{}%", q.trade_group.replace(['%', '_'], "")).into(),   // 10
            q.today.into(),                                                    // 11
            (q.today - Duration::days(6)).into(),                              // 12
            (q.now - Duration::hours(crate::repo::gig::CHECKIN_HOURS)).into(), // 13
            q.now.into(),                                                      // 14
            (q.crow_km * q.crow_km).into(),                                    // 15
        ];
        let (lat, lon, kl, kn) = (p(1), p(2), p(3), p(4));
        let d2 = format!(
            "(c.lat - {lat}) * {kl} * (c.lat - {lat}) * {kl} + (c.lon - {lon}) * {kn} * (c.lon - {lon}) * {kn}"
        );
        let sql = format!(
            "SELECT w.person_id AS person_id, {d2} AS d2 \
             FROM bench_gig_cells c JOIN gig_workers w ON w.cell = c.cell \
             WHERE c.lat BETWEEN {p5} AND {p6} AND c.lon BETWEEN {p7} AND {p8} \
               AND (w.rate_day_fen = 0 OR w.rate_day_fen <= {p9}) \
               AND CAST(w.trades AS TEXT) LIKE {p10} \
               AND ((w.availability = 'today' AND w.available_from = {p11}) \
                 OR (w.availability = 'week' AND w.available_from BETWEEN {p12} AND {p11}) \
                 OR (w.checked_in_at > {p13} AND w.checked_in_at <= {p14})) \
               AND {d2} <= {p15} \
             ORDER BY d2, w.person_id LIMIT {limit}",
            p5 = p(5),
            p6 = p(6),
            p7 = p(7),
            p8 = p(8),
            p9 = p(9),
            p10 = p(10),
            p11 = p(11),
            p12 = p(12),
            p13 = p(13),
            p14 = p(14),
            p15 = p(15),
            limit = q.limit,
        );
        let rows = self.db().query_all_raw(Statement::from_sql_and_values(self.backend(), sql, values)).await?;
        Ok(rows
            .iter()
            .filter_map(|r| Some((r.try_get::<Uuid>("", "person_id").ok()?, r.try_get::<f64>("", "d2").ok()?.sqrt())))
            .collect())
    }
}
