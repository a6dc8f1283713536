//! The dashboard's projection: for the aggregations over the big tables (the service ledger,
//! applications, unemployment registrations), what each counts per district and day, so a
//! period's figure is a sum over an index range of `kpi_days` instead of a count over millions
//! of records. Each day is counted by the same SQL the drill-down lists (`rows_sql`), so the
//! projection and the records cannot disagree about what counts.
//!
//! Database triggers name the days a change touches in `kpi_dirty` (see `kpi_triggers`). The
//! refresher takes the earliest waiting day and the marked days of the week from it, forgets
//! their marks, recounts those days and replaces their rows — in one write transaction, one
//! refresher at a time across instances — so a change committed during a recount leaves a mark
//! of its own and is counted next time.
//!
//! The server keeps it (`keep_kpi`, every two seconds): from its first pass on, a read answers
//! from the projection at once, as of the start of the last pass that found nothing waiting
//! (a day's recount takes seconds at 20M ledger rows; a dashboard read must not wait for it).
//! Where nothing keeps it (a command, a test), a read first recounts what waits up to its span's
//! last day, so a figure read after a write includes it.
//!
//! Derived state, like the search index: it records nothing of its own, so its writes carry no
//! audit line and no change row (and live outside `repo/`, whose writes all do).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Set, Statement, TransactionTrait};

use jiuye_oversight::{Aggregation, Count};

use crate::entities::{kpi_day, kpi_pair};
use crate::repo::oversight::{COUNTED, Span, bind, count_u64, rows_sql};
use crate::{Store, StoreError};

/// The advisory lock key refreshers take ("jiuye kp" in ASCII).
const KPI_LOCK: i64 = 0x6a69_7579_6520_6b70;
/// Days recounted in one transaction, at most.
const WINDOW_DAYS: i64 = 7;

/// Whether the projection holds an aggregation (the others are counted from the records per
/// request: their tables are small, or their figure is not a sum over days).
pub fn is_projected(agg: Aggregation) -> bool {
    use Aggregation::*;
    matches!(
        agg,
        ServicesToGraduates
            | ServicesToRuralLabour
            | ServicesToPovertyAlleviated
            | ServicesToRegisteredUnemployed
            | ServicesToDifficultyGroup
            | JobSystemService
            | RegisteredUnemployedStock
            | ServedFoundWork
    )
}

/// When this process's refresher last found nothing waiting: the instant its pass began.
#[derive(Debug, Default)]
pub(crate) struct Kept(std::sync::Mutex<Option<DateTime<Utc>>>);

impl Kept {
    fn since(&self) -> Option<DateTime<Utc>> {
        // A poisoned lock still holds a valid instant (it is only ever assigned whole).
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
    }
}

/// What one recount did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recounted {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Rows of `kpi_days` written.
    pub rows: usize,
}

fn projected() -> impl Iterator<Item = Aggregation> {
    Aggregation::ALL.into_iter().filter(|a| is_projected(*a))
}

/// The stock's daily change: registrations begun that day less those ended (each counted on the
/// days from its beginning up to the day before its end, as the stock's own SQL counts it).
const STOCK_DAYS: &str = "SELECT t.district AS district, t.day AS day, CAST(SUM(t.delta) AS BIGINT) AS n, \
     CAST(0 AS BIGINT) AS h FROM (\
     SELECT r.district AS district, CAST(r.registered_on AS TEXT) AS day, 1 AS delta FROM unemployment_registrations r \
     WHERE r.registered_on >= :from AND r.registered_on <= :to AND (r.ended_on IS NULL OR r.ended_on > r.registered_on) \
     AND (r.end_reason IS NULL OR r.end_reason <> 'entered_in_error') \
     UNION ALL SELECT r.district AS district, CAST(r.ended_on AS TEXT) AS day, -1 AS delta \
     FROM unemployment_registrations r WHERE r.ended_on >= :from AND r.ended_on <= :to \
     AND r.ended_on > r.registered_on AND (r.end_reason IS NULL OR r.end_reason <> 'entered_in_error')) t \
     GROUP BY t.district, t.day";

/// The served who found work, as person-days: each day a person was served (within a district,
/// or anywhere for the city), the person's previous such day, and whether they found work on
/// or after it (an employment, not one they declared, starting then or later). A span's persons
/// served are its person-days less those whose previous day is in the span; those who found
/// work after their first service in it, the same over the person-days that found work (a
/// person's are the first of their days, so a previous day of one is one too).
fn served_days_sql(by_district: bool) -> String {
    let counted_s2 = COUNTED.replace("s.", "s2.").replace("c.", "c2.").replace("services c ", "services c2 ");
    let (district, same, group) =
        if by_district { ("s.district", " AND s2.district = s.district", ", s.district") } else { ("''", "", "") };
    format!(
        "SELECT x.district AS district, CAST(x.day AS TEXT) AS day, CAST(x.prev AS TEXT) AS prev, \
         COUNT(*) AS d, CAST(COALESCE(SUM(CASE WHEN x.last_start >= x.day THEN 1 ELSE 0 END), 0) AS BIGINT) AS n \
         FROM (SELECT {district} AS district, s.delivered_on AS day, \
         (SELECT MAX(s2.delivered_on) FROM services s2 WHERE s2.person_id = s.person_id \
           AND s2.delivered_on < s.delivered_on AND {counted_s2}{same}) AS prev, \
         (SELECT MAX(e.started_on) FROM employment_registrations e WHERE e.person_id = s.person_id \
           AND e.source <> 'person') AS last_start \
         FROM services s WHERE s.delivered_on >= :from AND s.delivered_on <= :to AND {COUNTED} \
         GROUP BY s.person_id, s.delivered_on{group}) x GROUP BY x.district, x.day, x.prev"
    )
}

fn parse_day(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text.get(..10).unwrap_or_default(), "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("a counted day {text:?}: {e}")))
}

fn add(a: i64, b: i64) -> Result<i64, StoreError> {
    a.checked_add(b).ok_or_else(|| StoreError::Corrupt("a day's count overflows".into()))
}

impl Store {
    /// Whether some day waits to be recounted.
    pub async fn kpi_waiting(&self) -> Result<Option<NaiveDate>, StoreError> {
        let row = self
            .db()
            .query_one_raw(Statement::from_string(self.backend(), "SELECT MIN(day) AS day FROM kpi_dirty"))
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<Option<NaiveDate>>("", "day")?,
            None => None,
        })
    }

    /// Recount from the earliest waiting day to the last one waiting within a week of it (after
    /// a refresher at work on another instance has finished). `None` when nothing waits.
    pub async fn refresh_kpi(&self) -> Result<Option<Recounted>, StoreError> {
        if self.kpi_waiting().await?.is_none() {
            return Ok(None);
        }
        let backend = self.backend();
        let txn = if backend == DbBackend::Postgres {
            let txn = self.db().begin().await?;
            let lock = format!("SELECT pg_advisory_xact_lock({KPI_LOCK})");
            txn.execute_raw(Statement::from_string(backend, lock)).await?;
            txn
        } else {
            self.begin_write().await?
        };
        // Read again under the lock: another refresher may have taken it meanwhile.
        let first = txn
            .query_one_raw(Statement::from_string(backend, "SELECT MIN(day) AS day FROM kpi_dirty"))
            .await?
            .map(|r| r.try_get::<Option<NaiveDate>>("", "day"))
            .transpose()?
            .flatten();
        let Some(from) = first else { return Ok(None) };
        // Up to the week's last marked day, not the whole week: a service recorded today is
        // counted by recounting today alone (a week's recount is seconds at 20M ledger rows).
        let week = Span { from, to: from + Duration::days(WINDOW_DAYS - 1) };
        let last = bind("SELECT MAX(day) AS day FROM kpi_dirty WHERE day >= :from AND day <= :to", week, None, backend);
        let to = txn
            .query_one_raw(Statement::from_sql_and_values(backend, last.text, last.values))
            .await?
            .map(|r| r.try_get::<Option<NaiveDate>>("", "day"))
            .transpose()?
            .flatten()
            .unwrap_or(from);
        let span = Span { from, to };
        // Forget the marks first: a change committed after this statement leaves its own.
        let forget = bind("DELETE FROM kpi_dirty WHERE day >= :from AND day <= :to", span, None, backend);
        txn.execute_raw(Statement::from_sql_and_values(backend, forget.text, forget.values)).await?;
        let mut rows: Vec<kpi_day::ActiveModel> = Vec::new();
        let mut pairs: Vec<kpi_pair::ActiveModel> = Vec::new();
        for agg in projected() {
            if agg == Aggregation::ServedFoundWork {
                let mut days: std::collections::BTreeMap<(String, NaiveDate), (i64, i64)> = Default::default();
                let mut prevs: std::collections::BTreeMap<(String, NaiveDate, NaiveDate), (i64, i64)> =
                    Default::default();
                for by_district in [false, true] {
                    let sql = bind(&served_days_sql(by_district), span, None, backend);
                    for r in txn.query_all_raw(Statement::from_sql_and_values(backend, sql.text, sql.values)).await? {
                        let district: String = r.try_get("", "district")?;
                        let day = parse_day(&r.try_get::<String>("", "day")?)?;
                        let prev: Option<String> = r.try_get("", "prev")?;
                        let (n, d): (i64, i64) = (r.try_get("", "n")?, r.try_get("", "d")?);
                        let e = days.entry((district.clone(), day)).or_default();
                        *e = (add(e.0, n)?, add(e.1, d)?);
                        if let Some(prev) = prev {
                            let e = prevs.entry((district, day, parse_day(&prev)?)).or_default();
                            *e = (add(e.0, n)?, add(e.1, d)?);
                        }
                    }
                }
                rows.extend(days.into_iter().map(|((district, day), (n, d))| kpi_day::ActiveModel {
                    aggregation: Set(agg.id().to_string()),
                    district: Set(district),
                    day: Set(day),
                    n: Set(n),
                    d: Set(d),
                }));
                pairs.extend(prevs.into_iter().map(|((district, day, prev), (n, d))| kpi_pair::ActiveModel {
                    aggregation: Set(agg.id().to_string()),
                    district: Set(district),
                    day: Set(day),
                    prev: Set(prev),
                    n: Set(n),
                    d: Set(d),
                }));
                continue;
            }
            let sql = if agg == Aggregation::RegisteredUnemployedStock {
                STOCK_DAYS.to_string()
            } else {
                let Some(inner) = rows_sql(agg, None, backend) else { continue };
                format!(
                    "SELECT t.district AS district, t.day AS day, COUNT(*) AS n, \
                     CAST(COALESCE(SUM(t.hit), 0) AS BIGINT) AS h FROM ({inner}) t GROUP BY t.district, t.day"
                )
            };
            let sql = bind(&sql, span, None, backend);
            let mut city: std::collections::BTreeMap<NaiveDate, i64> = std::collections::BTreeMap::new();
            for r in txn.query_all_raw(Statement::from_sql_and_values(backend, sql.text, sql.values)).await? {
                let day = parse_day(&r.try_get::<String>("", "day")?)?;
                let n: i64 = r.try_get("", "n")?;
                if n == 0 {
                    continue;
                }
                let district: String = r.try_get("", "district")?;
                let total = city.entry(day).or_default();
                *total = add(*total, n)?;
                rows.push(kpi_day::ActiveModel {
                    aggregation: Set(agg.id().to_string()),
                    district: Set(district),
                    day: Set(day),
                    n: Set(n),
                    d: Set(0),
                });
            }
            rows.extend(city.into_iter().filter(|(_, n)| *n != 0).map(|(day, n)| kpi_day::ActiveModel {
                aggregation: Set(agg.id().to_string()),
                district: Set(String::new()),
                day: Set(day),
                n: Set(n),
                d: Set(0),
            }));
        }
        for table in ["kpi_days", "kpi_pairs"] {
            let clear = bind(&format!("DELETE FROM {table} WHERE day >= :from AND day <= :to"), span, None, backend);
            txn.execute_raw(Statement::from_sql_and_values(backend, clear.text, clear.values)).await?;
        }
        let written = rows.len() + pairs.len();
        for chunk in rows.chunks(500) {
            kpi_day::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in pairs.chunks(400) {
            kpi_pair::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        txn.commit().await?;
        Ok(Some(Recounted { from, to, rows: written }))
    }

    /// Recount until nothing waits (after a bulk load, before measuring); returns the windows.
    pub async fn refresh_kpi_all(&self) -> Result<usize, StoreError> {
        let mut windows = 0;
        while self.refresh_kpi().await?.is_some() {
            windows += 1;
        }
        Ok(windows)
    }

    /// The refresher's pass (the server runs one every two seconds): recount until nothing
    /// waits, then let reads answer from the projection as of `started`, the instant the pass
    /// began (every mark committed before it has been found and recounted). Returns the windows.
    pub async fn keep_kpi(&self, started: DateTime<Utc>) -> Result<usize, StoreError> {
        let windows = self.refresh_kpi_all().await?;
        self.kpi.set(started);
        Ok(windows)
    }

    /// The instant a dashboard read now reflects every record committed before, for figures
    /// over days up to `to` (`now` is when the read began; call it before reading them): `now`
    /// when nothing waits there or nothing keeps the projection (reads then recount first),
    /// else the start of the refresher's last pass.
    pub async fn kpi_as_of(&self, now: DateTime<Utc>, to: NaiveDate) -> Result<DateTime<Utc>, StoreError> {
        let Some(since) = self.kpi.since() else { return Ok(now) };
        Ok(match self.kpi_waiting().await? {
            Some(first) if first <= to => since,
            _ => now,
        })
    }

    /// A projected aggregation's figure for a span: a sum over the days (for the stock, over
    /// every day up to the span's last).
    pub(crate) async fn projected_count(
        &self,
        agg: Aggregation,
        span: Span,
        district: Option<&str>,
    ) -> Result<Count, StoreError> {
        // A figure depends on no day after its span: recount what waits up to there first —
        // unless a refresher keeps the projection (then the read answers as of its last pass).
        while self.kpi.since().is_none()
            && let Some(first) = self.kpi_waiting().await?
        {
            if first > span.to {
                break;
            }
            self.refresh_kpi().await?;
        }
        if agg == Aggregation::ServedFoundWork {
            let (n, d) = self.sum_days(agg, "kpi_days", "AND day >= :from AND day <= :to", span, district).await?;
            let (pn, pd) = self
                .sum_days(agg, "kpi_pairs", "AND day >= :from AND day <= :to AND prev >= :from", span, district)
                .await?;
            let (n, d) = (n - pn, d - pd);
            if n < 0 || d < n {
                return Err(StoreError::Corrupt(format!("{} counts {n} of {d}", agg.id())));
            }
            return Ok(Count::share(count_u64(n), count_u64(d)));
        }
        let range = if agg == Aggregation::RegisteredUnemployedStock {
            "AND day <= :to"
        } else {
            "AND day >= :from AND day <= :to"
        };
        let (n, _) = self.sum_days(agg, "kpi_days", range, span, district).await?;
        if n < 0 {
            return Err(StoreError::Corrupt(format!("{} counts {n} below zero", agg.id())));
        }
        Ok(Count::of(count_u64(n)))
    }

    /// Sums over one aggregation's rows in a district (`''`: the city) and a range of days.
    /// The aggregation's id is one of ours, written into the text; the rest is bound.
    async fn sum_days(
        &self,
        agg: Aggregation,
        table: &str,
        range: &str,
        span: Span,
        district: Option<&str>,
    ) -> Result<(i64, i64), StoreError> {
        let text = format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n, CAST(COALESCE(SUM(d), 0) AS BIGINT) AS d FROM {table} \
             WHERE aggregation = '{}' AND district = :district {range}",
            agg.id()
        );
        let sql = bind(&text, span, Some(district.unwrap_or_default()), self.backend());
        let row = self
            .db()
            .query_one_raw(Statement::from_sql_and_values(self.backend(), sql.text, sql.values))
            .await?
            .ok_or_else(|| StoreError::Corrupt("no count row".into()))?;
        Ok((row.try_get("", "n")?, row.try_get("", "d")?))
    }
}
