//! What the dashboard counts: each named aggregation of `jiuye-oversight` as one set of rows,
//! counted for a figure and listed for its drill-down — the same SQL both ways, so a figure
//! and the records behind it always agree. Entered figures and satisfaction surveys too.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Set};
use sea_orm::{Statement, Value};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_oversight::{Aggregation, Count};

use crate::audit::{AuditEntry, Event};
use crate::entities::{indicator_entry, survey};
use crate::error::conflict_or;
use crate::{Store, StoreError, new_id};

/// Key groups that make a person a graduate for the service counts.
const GRADUATES: &str = "'college_graduate', 'unemployed_graduate', 'needy_graduate'";
/// A service that counts: not voided, not replaced by a correction. (The corrected ids are read
/// once as a set: a correlated `NOT EXISTS` per row cost seconds on a year of the ledger.)
pub(crate) const COUNTED: &str =
    "s.void = :false AND s.id NOT IN (SELECT c.corrects_id FROM services c WHERE c.corrects_id IS NOT NULL)";

/// A period's days and the instants bounding them in Beijing time.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    fn lo(self) -> DateTime<Utc> {
        jiuye_domain::time::beijing_day_start(self.from).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    fn hi(self) -> DateTime<Utc> {
        self.to.succ_opt().and_then(jiuye_domain::time::beijing_day_start).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// One record behind a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillRow {
    /// The person (a household for the zero-employment rate).
    pub subject_id: Uuid,
    /// The day (or instant) the record counts on, as stored.
    pub day: String,
    pub district: String,
    /// What the record is (an employment form, a service kind, a class kind …).
    pub detail: String,
    /// For a rate: whether it is in the numerator.
    pub hit: bool,
}

/// SQL written with named markers (`:from`, `:to`, `:lo`, `:hi`, `:false`, `:true`, `:district`),
/// bound positionally for either backend.
pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) values: Vec<Value>,
}

pub(crate) fn bind(template: &str, span: Span, district: Option<&str>, backend: DbBackend) -> Sql {
    let mut text = String::with_capacity(template.len());
    let mut values = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(':') {
        text.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let value = match name.as_str() {
            "from" => Some(Value::from(span.from)),
            "to" => Some(Value::from(span.to)),
            "lo" => Some(Value::from(span.lo())),
            "hi" => Some(Value::from(span.hi())),
            "false" => Some(Value::from(false)),
            "true" => Some(Value::from(true)),
            "district" => Some(Value::from(district.unwrap_or_default().to_string())),
            _ => None,
        };
        match value {
            Some(v) => {
                values.push(v);
                if backend == DbBackend::Postgres {
                    text.push_str(&format!("${}", values.len()));
                } else {
                    text.push('?');
                }
                rest = &after[name.len()..];
            }
            None => {
                text.push(':');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    Sql { text, values }
}

/// `AND <column> = :district` when a district is asked for.
fn in_district(column: &str, district: Option<&str>) -> String {
    if district.is_some() { format!(" AND {column} = :district") } else { String::new() }
}

/// Recognised in one of `groups` by the day `by`. The persons recognised by the period's end are
/// read once as a set first, so the exact per-row check runs only for them.
fn recognised(groups: &str, person: &str, by: &str) -> String {
    format!(
        "{person} IN (SELECT g.person_id FROM recognitions g WHERE g.key_group IN ({groups}) \
         AND g.recognised_on <= :to) AND EXISTS (SELECT 1 FROM recognitions g WHERE g.person_id = {person} \
         AND g.key_group IN ({groups}) AND g.recognised_on <= {by})"
    )
}

fn services_where(condition: &str, district: Option<&str>) -> String {
    format!(
        "SELECT s.person_id AS subject_id, CAST(s.delivered_on AS TEXT) AS day, s.district AS district, \
         s.kind AS detail, 1 AS hit FROM services s WHERE s.delivered_on >= :from AND s.delivered_on <= :to \
         AND {COUNTED} AND {condition}{}",
        in_district("s.district", district)
    )
}

fn survey_rows(kind: &str, district: Option<&str>) -> String {
    format!(
        "SELECT q.person_id AS subject_id, CAST(q.created_at AS TEXT) AS day, q.district AS district, \
         CAST(q.score AS TEXT) AS detail, CASE WHEN q.score >= 4 THEN 1 ELSE 0 END AS hit FROM surveys q \
         WHERE q.subject_kind = '{kind}' AND q.created_at >= :lo AND q.created_at < :hi{}",
        in_district("q.district", district)
    )
}

/// The rows an aggregation counts (`subject_id, day, district, detail, hit`); for budget
/// execution, counted in money, the payments behind it.
pub(crate) fn rows_sql(agg: Aggregation, district: Option<&str>, backend: DbBackend) -> Option<String> {
    use Aggregation::*;
    let d = district;
    Some(match agg {
        NewEmployment | DifficultyGroupEmployed => format!(
            "SELECT e.person_id AS subject_id, CAST(e.started_on AS TEXT) AS day, e.district AS district, \
             e.form AS detail, 1 AS hit FROM employment_registrations e WHERE e.started_on >= :from \
             AND e.started_on <= :to AND e.source <> 'person'{}{}",
            if agg == DifficultyGroupEmployed {
                format!(" AND {}", recognised("'employment_difficulty'", "e.person_id", "e.started_on"))
            } else {
                String::new()
            },
            in_district("e.district", d)
        ),
        RegisteredUnemployedStock => format!(
            "SELECT r.person_id AS subject_id, CAST(r.registered_on AS TEXT) AS day, r.district AS district, \
             r.basis AS detail, 1 AS hit FROM unemployment_registrations r WHERE r.registered_on <= :to \
             AND (r.ended_on IS NULL OR r.ended_on > :to) \
             AND (r.end_reason IS NULL OR r.end_reason <> 'entered_in_error'){}",
            in_district("r.district", d)
        ),
        ServicesToGraduates => services_where(&recognised(GRADUATES, "s.person_id", "s.delivered_on"), d),
        ServicesToRuralLabour => services_where(
            &format!(
                "(s.person_id IN (SELECT p.id FROM persons p WHERE p.rural_household = :true) OR ({}))",
                recognised("'migrant_worker'", "s.person_id", "s.delivered_on")
            ),
            d,
        ),
        ServicesToPovertyAlleviated => {
            services_where(&recognised("'poverty_alleviated'", "s.person_id", "s.delivered_on"), d)
        }
        ServicesToRegisteredUnemployed => services_where("s.registration_id IS NOT NULL", d),
        ServicesToDifficultyGroup => {
            services_where(&recognised("'employment_difficulty'", "s.person_id", "s.delivered_on"), d)
        }
        SubsidisedTraining => format!(
            "SELECT en.person_id AS subject_id, CAST(p.starts_on AS TEXT) AS day, p.district AS district, \
             p.kind AS detail, 1 AS hit FROM enrolments en JOIN training_programmes p ON p.id = en.programme_id \
             WHERE p.starts_on >= :from AND p.starts_on <= :to AND en.status <> 'dropped'{}",
            in_district("p.district", d)
        ),
        PolicySystemService => format!(
            "SELECT c.claimant_id AS subject_id, CAST(c.created_at AS TEXT) AS day, c.district AS district, \
             c.policy_id AS detail, 1 AS hit FROM claims c WHERE c.created_at >= :lo AND c.created_at < :hi{}",
            in_district("c.district", d)
        ),
        JobSystemService => format!(
            "SELECT a.person_id AS subject_id, {} AS day, v.district AS district, \
             'application' AS detail, 1 AS hit FROM applications a JOIN vacancies v ON v.id = a.vacancy_id \
             WHERE a.created_at >= :lo AND a.created_at < :hi{} UNION ALL {}",
            // Counted (and projected) by its day in Beijing, like the ledger rows beside it.
            if backend == DbBackend::Postgres {
                crate::kpi_triggers::beijing_day_postgres("a.created_at")
            } else {
                crate::kpi_triggers::beijing_day_sqlite("a.created_at")
            },
            in_district("v.district", d),
            services_where("s.kind = 'job_referral'", d)
        ),
        // The drill-down lists the payments; the figure itself is money over the allocation.
        BudgetExecution => format!(
            "SELECT c.claimant_id AS subject_id, CAST(e.at AS TEXT) AS day, c.district AS district, \
             c.policy_id AS detail, 1 AS hit FROM claim_events e JOIN claims c ON c.id = e.claim_id \
             WHERE e.to_status = 'paid' AND e.at >= :lo AND e.at < :hi{}",
            in_district("c.district", d)
        ),
        OneToOneContactRate => format!(
            "SELECT p.id AS subject_id, CAST(p.created_at AS TEXT) AS day, p.district AS district, '' AS detail, \
             CASE WHEN EXISTS (SELECT 1 FROM contacts k WHERE k.person_id = p.id AND k.contacted_on >= :from \
             AND k.contacted_on <= :to AND k.outcome IN ('reached', 'declined')) THEN 1 ELSE 0 END AS hit \
             FROM persons p WHERE EXISTS (SELECT 1 FROM unemployment_registrations r WHERE r.person_id = p.id \
             AND r.registered_on <= :to AND (r.ended_on IS NULL OR r.ended_on >= :from) \
             AND (r.end_reason IS NULL OR r.end_reason <> 'entered_in_error'){}) AND {}",
            in_district("r.district", d),
            recognised("'unemployed_graduate', 'needy_unemployed_youth'", "p.id", ":to")
        ),
        CertificateRate => format!(
            "SELECT en.person_id AS subject_id, CAST(en.assessed_on AS TEXT) AS day, p.district AS district, \
             p.kind AS detail, CASE WHEN en.passed = :true THEN 1 ELSE 0 END AS hit FROM enrolments en \
             JOIN training_programmes p ON p.id = en.programme_id WHERE en.assessed_on >= :from \
             AND en.assessed_on <= :to{}",
            in_district("p.district", d)
        ),
        ServedFoundWork => format!(
            "SELECT t.person_id AS subject_id, CAST(t.first_day AS TEXT) AS day, t.district AS district, \
             '' AS detail, CASE WHEN EXISTS (SELECT 1 FROM employment_registrations e \
             WHERE e.person_id = t.person_id AND e.source <> 'person' AND e.started_on >= t.first_day) \
             THEN 1 ELSE 0 END AS hit FROM (SELECT s.person_id AS person_id, MIN(s.delivered_on) AS first_day, \
             MIN(s.district) AS district FROM services s WHERE s.delivered_on >= :from AND s.delivered_on <= :to \
             AND {COUNTED}{} GROUP BY s.person_id) t",
            in_district("s.district", d)
        ),
        ZeroEmploymentHelpRate => format!(
            "SELECT h.id AS subject_id, CAST(f.flagged_on AS TEXT) AS day, h.district AS district, '' AS detail, \
             CASE WHEN (f.cleared_on IS NOT NULL AND f.cleared_on <= :to) OR EXISTS (SELECT 1 FROM \
             household_members m JOIN services s ON s.person_id = m.person_id WHERE m.household_id = h.id \
             AND s.delivered_on >= :from AND s.delivered_on <= :to AND {COUNTED}) THEN 1 ELSE 0 END AS hit \
             FROM household_flags f JOIN households h ON h.id = f.household_id WHERE f.flagged_on <= :to \
             AND (f.cleared_on IS NULL OR f.cleared_on >= :from){}",
            in_district("h.district", d)
        ),
        NeedyGraduateHelpRate => format!(
            "SELECT g.person_id AS subject_id, CAST(MIN(g.recognised_on) AS TEXT) AS day, MIN(g.district) AS district, \
             '' AS detail, CASE WHEN EXISTS (SELECT 1 FROM services s WHERE s.person_id = g.person_id \
             AND s.delivered_on >= :from AND s.delivered_on <= :to AND {COUNTED}) THEN 1 ELSE 0 END AS hit \
             FROM recognitions g WHERE g.key_group = 'needy_graduate' AND g.recognised_on <= :to{} \
             GROUP BY g.person_id",
            in_district("g.district", d)
        ),
        // The period's ratings first, then their services (CROSS JOIN keeps SQLite from walking a
        // district's whole ledger for the few rated services; PostgreSQL plans it as a join).
        SatisfactionPublicService => format!(
            "SELECT q.person_id AS subject_id, CAST(q.created_at AS TEXT) AS day, s.district AS district, \
             CAST(q.score AS TEXT) AS detail, CASE WHEN q.score >= 4 THEN 1 ELSE 0 END AS hit \
             FROM service_ratings q CROSS JOIN services s WHERE s.id = q.service_id \
             AND q.created_at >= :lo AND q.created_at < :hi{}",
            in_district("s.district", d)
        ),
        SatisfactionTraining => survey_rows("class", d),
        SatisfactionPolicy => survey_rows("claim", d),
        GigMarketsRecognised => format!(
            "SELECT g.id AS subject_id, CAST(g.recognised_on AS TEXT) AS day, g.district AS district, \
             g.name AS detail, 1 AS hit FROM gig_sites g WHERE g.layout <> 'station' \
             AND g.recognised_on IS NOT NULL AND g.recognised_on <= :to{}",
            in_district("g.district", d)
        ),
    })
}

pub(crate) fn count_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    async fn raw_one(&self, sql: Sql) -> Result<sea_orm::QueryResult, StoreError> {
        let stmt = Statement::from_sql_and_values(self.backend(), sql.text, sql.values);
        self.db().query_one_raw(stmt).await?.ok_or_else(|| StoreError::Corrupt("no count row".into()))
    }

    /// What an aggregation counts for a span of days, in a district or the whole city. `None`
    /// when it has no figure there (budget execution is the city's: allocations are not split
    /// by district). Aggregations over the big tables are read from the projection
    /// (`kpi.rs`), the others counted from the records.
    pub async fn aggregate(
        &self,
        agg: Aggregation,
        span: Span,
        district: Option<&str>,
    ) -> Result<Option<Count>, StoreError> {
        if crate::kpi::is_projected(agg) {
            return Ok(Some(self.projected_count(agg, span, district).await?));
        }
        self.aggregate_direct(agg, span, district).await
    }

    /// The same figure counted from the records by one SQL aggregation (the projection's
    /// oracle in tests, and the benchmark's baseline).
    pub async fn aggregate_direct(
        &self,
        agg: Aggregation,
        span: Span,
        district: Option<&str>,
    ) -> Result<Option<Count>, StoreError> {
        use jiuye_oversight::Yield;
        if agg == Aggregation::BudgetExecution {
            return self.budget_execution(span, district).await;
        }
        let Some(rows) = rows_sql(agg, district, self.backend()) else { return Ok(None) };
        let outer = match agg.yields() {
            Yield::Persons => "SELECT COUNT(DISTINCT t.subject_id) AS n, CAST(0 AS BIGINT) AS d FROM ({rows}) t",
            Yield::Share => "SELECT CAST(COALESCE(SUM(t.hit), 0) AS BIGINT) AS n, COUNT(*) AS d FROM ({rows}) t",
            Yield::PersonTimes | Yield::Things => "SELECT COUNT(*) AS n, CAST(0 AS BIGINT) AS d FROM ({rows}) t",
        };
        let sql = bind(&outer.replace("{rows}", &rows), span, district, self.backend());
        let row = self.raw_one(sql).await?;
        let n: i64 = row.try_get("", "n")?;
        let d: i64 = row.try_get("", "d")?;
        Ok(Some(match agg.yields() {
            Yield::Share => Count::share(count_u64(n), count_u64(d)),
            _ => Count::of(count_u64(n)),
        }))
    }

    async fn budget_execution(&self, span: Span, district: Option<&str>) -> Result<Option<Count>, StoreError> {
        if district.is_some() {
            return Ok(None);
        }
        let allocated: i64 = self.allocations().await?.iter().map(|a| a.allocated_fen).sum();
        let moved = self.money_in_period(span.lo(), span.hi()).await?;
        let paid: i64 = moved.values().map(|(_, paid)| *paid).sum();
        Ok(Some(Count::share(count_u64(paid), count_u64(allocated))))
    }

    /// The records behind a figure, newest first, a page at a time.
    pub async fn aggregate_rows(
        &self,
        agg: Aggregation,
        span: Span,
        district: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<DrillRow>, StoreError> {
        let Some(rows) = rows_sql(agg, district, self.backend()) else { return Ok(Vec::new()) };
        let mut sql = bind(
            &format!(
                "SELECT t.subject_id, t.day, t.district, t.detail, CAST(t.hit AS BIGINT) AS hit FROM ({rows}) t ORDER BY t.day DESC, t.subject_id"
            ),
            span,
            district,
            self.backend(),
        );
        sql.text.push_str(&format!(" LIMIT {} OFFSET {}", limit.min(1_000), offset.min(10_000_000)));
        let stmt = Statement::from_sql_and_values(self.backend(), sql.text, sql.values);
        let mut out = Vec::new();
        for r in self.db().query_all_raw(stmt).await? {
            let hit: i64 = r.try_get("", "hit")?;
            out.push(DrillRow {
                subject_id: r.try_get("", "subject_id")?,
                day: r.try_get("", "day")?,
                district: r.try_get("", "district")?,
                detail: r.try_get("", "detail")?,
                hit: hit != 0,
            });
        }
        Ok(out)
    }

    /// Enter a figure the records cannot yield (value in the indicator's unit × 1,000).
    #[allow(clippy::too_many_arguments)]
    pub async fn enter_indicator(
        &self,
        indicator: &str,
        period: &str,
        district: Option<&str>,
        value_milli: i64,
        source: &str,
        evidence: &str,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Uuid, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        indicator_entry::ActiveModel {
            id: Set(id),
            indicator: Set(indicator.to_string()),
            period: Set(period.to_string()),
            district: Set(district.unwrap_or_default().to_string()),
            value_milli: Set(value_milli),
            source: Set(source.to_string()),
            evidence: Set(evidence.to_string()),
            actor_account: Set(who.actor_account),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "indicator.enter",
            target_kind: Some("indicator_entry"),
            target_id: Some(id),
            district,
            detail: serde_json::json!({ "indicator": indicator, "period": period, "value_milli": value_milli }),
        })
        .await?;
        Ok(id)
    }

    /// Every entry for an indicator, period and place, newest first.
    pub async fn indicator_entries(
        &self,
        indicator: &str,
        period: &str,
        district: Option<&str>,
    ) -> Result<Vec<indicator_entry::Model>, StoreError> {
        Ok(indicator_entry::Entity::find()
            .filter(indicator_entry::Column::Indicator.eq(indicator))
            .filter(indicator_entry::Column::Period.eq(period))
            .filter(indicator_entry::Column::District.eq(district.unwrap_or_default()))
            .order_by_desc(indicator_entry::Column::CreatedAt)
            .order_by_desc(indicator_entry::Column::Id)
            .all(self.db())
            .await?)
    }

    /// A person answers about a class they attended or a decision on their claim, once.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_survey(
        &self,
        subject_kind: &str,
        subject_id: Uuid,
        person_id: Uuid,
        district: &str,
        score: i32,
        comment: Option<String>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !(1..=5).contains(&score) {
            return Err(StoreError::Refused(CodeError::new("casework.rating_range").field("score")));
        }
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        survey::ActiveModel {
            id: Set(id),
            subject_kind: Set(subject_kind.to_string()),
            subject_id: Set(subject_id),
            person_id: Set(person_id),
            district: Set(district.to_string()),
            score: Set(score),
            comment: Set(comment),
            created_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| match conflict_or(e, "survey") {
            StoreError::Conflict { .. } => StoreError::Refused(CodeError::new("casework.rating_twice").field("score")),
            other => other,
        })?;
        txn.commit(Event {
            action: "survey.answer",
            target_kind: Some(if subject_kind == "claim" { "claim" } else { "enrolment" }),
            target_id: Some(subject_id),
            district: Some(district),
            detail: serde_json::json!({ "score": score }),
        })
        .await?;
        Ok(())
    }

    /// The person's answers (subject kind, subject id → score).
    pub async fn surveys_of_person(&self, person_id: Uuid) -> Result<Vec<(String, Uuid, i32)>, StoreError> {
        Ok(survey::Entity::find()
            .filter(survey::Column::PersonId.eq(person_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| (s.subject_kind, s.subject_id, s.score))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_bind_in_order_for_each_backend() {
        let span = Span {
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap_or_default(),
        };
        let pg =
            bind("a >= :from AND b <= :to AND c = :district AND d::text", span, Some("350206"), DbBackend::Postgres);
        assert_eq!(pg.text, "a >= $1 AND b <= $2 AND c = $3 AND d::text");
        assert_eq!(pg.values.len(), 3);
        let lite = bind("x = :true OR y = :false", span, None, DbBackend::Sqlite);
        assert_eq!(lite.text, "x = ? OR y = ?");
    }
}

/// A progress report as filed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    pub id: Uuid,
    pub measure: u32,
    pub period: String,
    pub kind: String,
    pub unit: String,
    pub text: String,
    pub figures: serde_json::Value,
    pub attachments: Vec<String>,
    pub actor_account: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn to_report(m: crate::entities::progress_report::Model) -> ProgressReport {
    ProgressReport {
        id: m.id,
        measure: u32::try_from(m.measure).unwrap_or_default(),
        period: m.period,
        kind: m.kind,
        unit: m.unit,
        text: m.text,
        figures: m.figures,
        attachments: serde_json::from_value(m.attachments).unwrap_or_default(),
        actor_account: m.actor_account,
        created_at: m.created_at,
    }
}

/// What a new progress report holds.
#[derive(Debug, Clone)]
pub struct NewProgressReport {
    pub measure: u32,
    pub period: String,
    pub kind: String,
    pub unit: String,
    pub text: String,
    pub figures: serde_json::Value,
    pub attachments: Vec<String>,
}

impl Store {
    /// File a progress report (one transaction with its audit entry).
    pub async fn file_progress(
        &self,
        new: &NewProgressReport,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<ProgressReport, StoreError> {
        use crate::entities::progress_report;
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let m = progress_report::ActiveModel {
            id: Set(id),
            measure: Set(i32::try_from(new.measure).unwrap_or_default()),
            period: Set(new.period.clone()),
            kind: Set(new.kind.clone()),
            unit: Set(new.unit.clone()),
            text: Set(new.text.clone()),
            figures: Set(new.figures.clone()),
            attachments: Set(serde_json::json!(new.attachments)),
            actor_account: Set(who.actor_account),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        txn.commit(Event {
            action: "progress.file",
            target_kind: Some("progress_report"),
            target_id: Some(id),
            district: None,
            detail: serde_json::json!({ "measure": new.measure, "period": new.period }),
        })
        .await?;
        Ok(to_report(m))
    }

    /// Reports filed, newest first: for some measures (all when empty), since a day.
    pub async fn progress_reports(
        &self,
        measures: &[u32],
        since: Option<DateTime<Utc>>,
        limit: u64,
    ) -> Result<Vec<ProgressReport>, StoreError> {
        use crate::entities::progress_report;
        use sea_orm::QuerySelect;
        let mut q = progress_report::Entity::find();
        if !measures.is_empty() {
            q = q.filter(
                progress_report::Column::Measure.is_in(measures.iter().map(|m| i32::try_from(*m).unwrap_or_default())),
            );
        }
        if let Some(s) = since {
            q = q.filter(progress_report::Column::CreatedAt.gte(s));
        }
        Ok(q.order_by_desc(progress_report::Column::CreatedAt)
            .order_by_desc(progress_report::Column::Id)
            .limit(limit.min(5_000))
            .all(self.db())
            .await?
            .into_iter()
            .map(to_report)
            .collect())
    }

    /// Every report for one period key (the monthly report to the leading group).
    pub async fn progress_reports_for(&self, period: &str) -> Result<Vec<ProgressReport>, StoreError> {
        use crate::entities::progress_report;
        Ok(progress_report::Entity::find()
            .filter(progress_report::Column::Period.eq(period))
            .order_by_desc(progress_report::Column::CreatedAt)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_report)
            .collect())
    }
}

impl Store {
    /// 求人倍率 inputs for a span: demand as vacancy headcounts open at some time in it (a
    /// closed or filled vacancy counts until the day it was last changed), seekers as active
    /// unemployment registrations in it by the first occupation the person wants; each marked
    /// carried over (begun before the span) or new.
    pub async fn market_tallies(
        &self,
        span: Span,
        district: Option<&str>,
    ) -> Result<(Vec<jiuye_oversight::market::Tally>, Vec<jiuye_oversight::market::Tally>), StoreError> {
        use jiuye_oversight::market::Tally;
        // Most vacancies and registrations are open in a quarter: for the city SQLite read them
        // through an index, one table lookup each (at 1M each: vacancies 2.8 s, registrations
        // 3.4 s); one pass over each table takes 1.1 s and 2.0 s. (A district's: by its index.)
        let whole_table =
            if self.backend() == sea_orm::DbBackend::Sqlite && district.is_none() { " NOT INDEXED" } else { "" };
        let demand_sql = format!(
            "SELECT v.occupation AS occupation, v.district AS district, CAST(SUM(v.headcount) AS BIGINT) AS n, \
             CAST(CASE WHEN v.opens_on < :from THEN 1 ELSE 0 END AS BIGINT) AS carried FROM vacancies v{whole_table} \
             WHERE v.opens_on <= :to AND v.closes_on >= :from \
             AND (v.status IN ('open', 'expired') OR v.updated_at >= :lo){} \
             GROUP BY 1, 2, 4",
            in_district("v.district", district)
        );
        let sql = bind(&demand_sql, span, district, self.backend());
        let rows =
            self.db().query_all_raw(Statement::from_sql_and_values(self.backend(), sql.text, sql.values)).await?;
        let mut demand = Vec::with_capacity(rows.len());
        for r in rows {
            demand.push(Tally {
                occupation: r.try_get("", "occupation")?,
                district: r.try_get("", "district")?,
                n: count_u64(r.try_get("", "n")?),
                carried: r.try_get::<i64>("", "carried")? != 0,
            });
        }
        // Grouped in the database: at a million registrations, shipping each one (and its
        // person's wanted occupations as JSON) to be grouped here took most of the time.
        let first_wanted = match self.backend() {
            sea_orm::DbBackend::Postgres => "(p.wanted_occupations->>0)",
            _ => "CAST(json_extract(p.wanted_occupations, '$[0]') AS TEXT)",
        };
        let seeker_sql = format!(
            "SELECT t.occupation AS occupation, t.district AS district, t.carried AS carried, \
             CAST(COUNT(*) AS BIGINT) AS n FROM (SELECT r.district AS district, \
             COALESCE({first_wanted}, '') AS occupation, \
             CAST(CASE WHEN r.registered_on < :from THEN 1 ELSE 0 END AS BIGINT) AS carried \
             FROM unemployment_registrations r{whole_table} JOIN persons p ON p.id = r.person_id \
             WHERE r.registered_on <= :to AND (r.ended_on IS NULL OR r.ended_on >= :from) \
             AND (r.end_reason IS NULL OR r.end_reason <> 'entered_in_error'){}) t \
             GROUP BY t.occupation, t.district, t.carried",
            in_district("r.district", district)
        );
        let sql = bind(&seeker_sql, span, district, self.backend());
        let rows =
            self.db().query_all_raw(Statement::from_sql_and_values(self.backend(), sql.text, sql.values)).await?;
        let mut seekers = Vec::with_capacity(rows.len());
        for r in rows {
            seekers.push(Tally {
                occupation: r.try_get("", "occupation")?,
                district: r.try_get("", "district")?,
                n: count_u64(r.try_get("", "n")?),
                carried: r.try_get::<i64>("", "carried")? != 0,
            });
        }
        Ok((demand, seekers))
    }
}

impl Store {
    /// Certificates issued on or after a day (for simulating a certificate policy over everyone
    /// who holds one): (person, kind, level, issued on).
    pub async fn certificates_since(
        &self,
        day: NaiveDate,
    ) -> Result<Vec<(Uuid, String, String, NaiveDate)>, StoreError> {
        use crate::entities::certificate;
        Ok(certificate::Entity::find()
            .filter(certificate::Column::IssuedOn.gte(day))
            .all(self.db())
            .await?
            .into_iter()
            .map(|c| (c.person_id, c.kind, c.level, c.issued_on))
            .collect())
    }

    /// Enrolments assessed on or after a day, with their class: (person, class kind, passed,
    /// cost per trainee, assessed on).
    pub async fn assessed_since(
        &self,
        day: NaiveDate,
    ) -> Result<Vec<(Uuid, String, bool, i64, NaiveDate)>, StoreError> {
        use crate::entities::{enrolment, programme};
        let rows = enrolment::Entity::find().filter(enrolment::Column::AssessedOn.gte(day)).all(self.db()).await?;
        let classes: std::collections::HashMap<Uuid, programme::Model> =
            programme::Entity::find().all(self.db()).await?.into_iter().map(|p| (p.id, p)).collect();
        Ok(rows
            .into_iter()
            .filter_map(|e| {
                let p = classes.get(&e.programme_id)?;
                Some((e.person_id, p.kind.clone(), e.passed == Some(true), p.cost_per_trainee_fen, e.assessed_on?))
            })
            .collect())
    }
}

/// One job referral for the fairness report: (person, sex, birth date, rural household, day,
/// employer, salary min, salary max, occupation).
pub type ReferralRow = (Uuid, String, NaiveDate, bool, NaiveDate, Uuid, i64, i64, String);

impl Store {
    /// Job referrals delivered in a span (counted ones), with the person and the job; and the
    /// employers with a vacancy open at some time in the span.
    pub async fn referrals_in(
        &self,
        span: Span,
        district: Option<&str>,
    ) -> Result<(Vec<ReferralRow>, Vec<Uuid>), StoreError> {
        let sql = format!(
            "SELECT s.person_id AS person_id, p.sex AS sex, p.birth_date AS birth_date, p.rural_household AS rural, \
             s.delivered_on AS day, v.employer_id AS employer_id, CAST(v.salary_min AS BIGINT) AS salary_min, \
             CAST(v.salary_max AS BIGINT) AS salary_max, v.occupation AS occupation FROM services s \
             JOIN vacancies v ON v.id = s.vacancy_id JOIN persons p ON p.id = s.person_id \
             WHERE s.kind = 'job_referral' AND s.delivered_on >= :from AND s.delivered_on <= :to AND {COUNTED}{}",
            in_district("s.district", district)
        );
        let sql = bind(&sql, span, district, self.backend());
        let mut rows = Vec::new();
        for r in self.db().query_all_raw(Statement::from_sql_and_values(self.backend(), sql.text, sql.values)).await? {
            rows.push((
                r.try_get("", "person_id")?,
                r.try_get("", "sex")?,
                r.try_get("", "birth_date")?,
                r.try_get("", "rural")?,
                r.try_get("", "day")?,
                r.try_get("", "employer_id")?,
                r.try_get("", "salary_min")?,
                r.try_get("", "salary_max")?,
                r.try_get("", "occupation")?,
            ));
        }
        let sql = format!(
            "SELECT DISTINCT v.employer_id AS employer_id FROM vacancies v WHERE v.opens_on <= :to \
             AND v.closes_on >= :from{}",
            in_district("v.district", district)
        );
        let sql = bind(&sql, span, district, self.backend());
        let mut employers = Vec::new();
        for r in self.db().query_all_raw(Statement::from_sql_and_values(self.backend(), sql.text, sql.values)).await? {
            employers.push(r.try_get("", "employer_id")?);
        }
        Ok((rows, employers))
    }
}
