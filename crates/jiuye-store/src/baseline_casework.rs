//! The casework benchmark's baseline: a caseload page as it would be served without the
//! "131" columns kept on each registration — the district's service ledger aggregated per
//! registration on every request, then filtered, ordered and counted. Read-only; any database.

use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use jiuye_domain::casework::CaseworkRules;

use crate::{Store, StoreError};

/// The filters the baseline knows (the benchmark's first three).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerFilter {
    All,
    /// An unfinished "131" item past its due day.
    Overdue,
    /// Every item done.
    Complete,
}

impl Store {
    /// One page of a district's active registrations, newest first, with the exact total — the
    /// "131" state of each worked out from the ledger in this query.
    pub async fn caseload_by_ledger(
        &self,
        district: &str,
        filter: LedgerFilter,
        rules: &CaseworkRules,
        today: NaiveDate,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Uuid>, u64), StoreError> {
        let pg = self.backend() == DbBackend::Postgres;
        let o = &rules.one31;
        // Registered before this day: the item's days have run out.
        let cut = |days: u32| today - Duration::days(i64::from(days));
        let (g, j, t) = ("COALESCE(a.g, 0)", "COALESCE(a.j, 0)", "COALESCE(a.t, 0)");
        let condition = match filter {
            LedgerFilter::All => String::new(),
            LedgerFilter::Overdue => format!(
                " AND (({g} < 1 AND r.registered_on < {{p2}}) OR ({j} < {n} AND r.registered_on < {{p3}}) \
                 OR ({t} < 1 AND r.registered_on < {{p4}}))",
                n = o.referrals_needed
            ),
            LedgerFilter::Complete => format!(" AND {g} >= 1 AND {j} >= {n} AND {t} >= 1", n = o.referrals_needed),
        };
        // The district's ledger aggregated once per statement (MATERIALIZED: left to itself the
        // PostgreSQL planner may run the aggregate once per registration for a LIMIT).
        let body = format!(
            "FROM unemployment_registrations r LEFT JOIN a ON a.rid = r.id \
             WHERE r.district = {{p1}} AND r.status = 'registered'{condition}"
        );
        let with = format!(
            "WITH a AS MATERIALIZED (\
               SELECT s.registration_id AS rid, \
                 SUM(CASE WHEN s.kind = 'career_guidance' THEN 1 ELSE 0 END) AS g, \
                 SUM(CASE WHEN s.kind = 'job_referral' THEN 1 ELSE 0 END) AS j, \
                 SUM(CASE WHEN s.kind IN ('skills_training', 'internship') THEN 1 ELSE 0 END) AS t \
               FROM services s WHERE s.district = {{p1}} AND s.void = {f} GROUP BY s.registration_id) ",
            f = if pg { "false" } else { "0" },
        );
        // The same parameters by position on both backends.
        let placeholders = |sql: &str| {
            (1..=4).fold(sql.to_string(), |s, i| {
                s.replace(&format!("{{p{i}}}"), &if pg { format!("${i}") } else { "?".into() })
            })
        };
        let mut values: Vec<Value> = vec![district.into()];
        if filter == LedgerFilter::Overdue {
            values.push(cut(o.guidance_within_days).into());
            values.push(cut(o.referrals_within_days).into());
            values.push(cut(o.training_within_days).into());
        }
        // SQLite numbers `?` in order of appearance: the district comes twice before the days.
        let sqlite_values = |vals: &[Value]| {
            let mut v = vec![vals[0].clone(), vals[0].clone()];
            v.extend(vals[1..].iter().cloned());
            v
        };
        let bind = |vals: &[Value]| if pg { vals.to_vec() } else { sqlite_values(vals) };
        let count_sql = placeholders(&format!("{with}SELECT COUNT(*) AS n {body}"));
        let row = self
            .db()
            .query_one_raw(Statement::from_sql_and_values(self.backend(), count_sql, bind(&values)))
            .await?
            .ok_or_else(|| StoreError::Corrupt("no count row".into()))?;
        let total = u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
        let page_sql = placeholders(&format!(
            "{with}SELECT r.id AS id {body} ORDER BY r.id DESC LIMIT {} OFFSET {offset}",
            limit.clamp(1, crate::page::MAX_LIMIT)
        ));
        let rows =
            self.db().query_all_raw(Statement::from_sql_and_values(self.backend(), page_sql, bind(&values))).await?;
        let ids = rows.iter().map(|r| r.try_get::<Uuid>("", "id")).collect::<Result<Vec<_>, _>>()?;
        Ok((ids, total))
    }
}
