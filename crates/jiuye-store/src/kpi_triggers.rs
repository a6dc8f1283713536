//! The triggers that name the days whose projected dashboard counts a change may have moved
//! (migration 26). They live in the database so that every path that writes a counted record —
//! a desk form, a bulk load, a correction, a late recognition, a console edit — marks the days
//! it touches in its own transaction; the refresher (`kpi.rs`) recounts them.
//!
//! What a change touches:
//! - a service: its day and every later day the person was served (the served-who-found-work
//!   count pairs each person-day with the person's previous one), and the same for the service
//!   it corrects (that one stops counting);
//! - an employment registration: every day the person was served (whether they found work
//!   after being served moves with it);
//! - a recognition: every day on or after it on which the person was served (a service counts
//!   for a key group when the person was recognised by its day);
//! - a person's rural household: every day they were served;
//! - an application: its day in Beijing; a vacancy moved to another district: its applications' days;
//! - an unemployment registration: the days it began and ended (the stock moves on both).

/// A day in Beijing (UTC+8, no daylight saving) of a stored instant.
pub(crate) fn beijing_day_sqlite(column: &str) -> String {
    format!("date({column}, '+8 hours')")
}

pub(crate) fn beijing_day_postgres(column: &str) -> String {
    format!("CAST(CAST(({column} AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE) AS TEXT)")
}

/// SQLite: row triggers (one writer at a time; a day already waiting is not added again).
pub(crate) fn sqlite() -> Vec<String> {
    let app_day_new = beijing_day_sqlite("NEW.created_at");
    let app_day_old = beijing_day_sqlite("OLD.created_at");
    let app_day_a = beijing_day_sqlite("a.created_at");
    // The days from one of a person's on which they were served (a day already waiting is not
    // added again).
    let later = |person: &str, from: &str| {
        format!(
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s WHERE s.person_id = {person} \
             AND s.delivered_on >= {from} AND NOT EXISTS (SELECT 1 FROM kpi_dirty k WHERE k.day = s.delivered_on);"
        )
    };
    let later_corrected = |corrected: &str| {
        format!(
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s JOIN services o \
             ON s.person_id = o.person_id AND s.delivered_on >= o.delivered_on WHERE o.id = {corrected};"
        )
    };
    let served = |person: &str| {
        format!(
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s WHERE s.person_id = {person} \
             AND NOT EXISTS (SELECT 1 FROM kpi_dirty k WHERE k.day = s.delivered_on);"
        )
    };
    let later_new = later("NEW.person_id", "NEW.delivered_on");
    let later_old = later("OLD.person_id", "OLD.delivered_on");
    let later_corrected_new = later_corrected("NEW.corrects_id");
    let later_corrected_old = later_corrected("OLD.corrects_id");
    let served_new = served("NEW.person_id");
    let served_old = served("OLD.person_id");
    vec![
        format!(
            "CREATE TRIGGER kpi_services_insert AFTER INSERT ON services BEGIN \
               {later_new} \
               {later_corrected_new} \
             END"
        ),
        format!(
            "CREATE TRIGGER kpi_services_update AFTER UPDATE ON services \
             WHEN OLD.delivered_on IS NOT NEW.delivered_on OR OLD.void IS NOT NEW.void \
               OR OLD.person_id IS NOT NEW.person_id OR OLD.district IS NOT NEW.district OR OLD.kind IS NOT NEW.kind \
               OR OLD.registration_id IS NOT NEW.registration_id OR OLD.corrects_id IS NOT NEW.corrects_id BEGIN \
               INSERT INTO kpi_dirty (day) VALUES (OLD.delivered_on); \
               {later_old} {later_new} {later_corrected_old} {later_corrected_new} \
             END"
        ),
        format!(
            "CREATE TRIGGER kpi_services_delete AFTER DELETE ON services BEGIN \
               INSERT INTO kpi_dirty (day) VALUES (OLD.delivered_on); \
               {later_old} {later_corrected_old} \
             END"
        ),
        format!(
            "CREATE TRIGGER kpi_employments_insert AFTER INSERT ON employment_registrations BEGIN {served_new} END"
        ),
        format!(
            "CREATE TRIGGER kpi_employments_update AFTER UPDATE ON employment_registrations \
             WHEN OLD.person_id IS NOT NEW.person_id OR OLD.started_on IS NOT NEW.started_on \
               OR OLD.source IS NOT NEW.source BEGIN {served_old} {served_new} END"
        ),
        format!(
            "CREATE TRIGGER kpi_employments_delete AFTER DELETE ON employment_registrations BEGIN {served_old} END"
        ),
        "CREATE TRIGGER kpi_recognitions_insert AFTER INSERT ON recognitions BEGIN \
           INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
             WHERE s.person_id = NEW.person_id AND s.delivered_on >= NEW.recognised_on; \
         END"
        .into(),
        "CREATE TRIGGER kpi_recognitions_change AFTER UPDATE ON recognitions BEGIN \
           INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
             WHERE (s.person_id = OLD.person_id AND s.delivered_on >= OLD.recognised_on) \
                OR (s.person_id = NEW.person_id AND s.delivered_on >= NEW.recognised_on); \
         END"
        .into(),
        "CREATE TRIGGER kpi_recognitions_delete AFTER DELETE ON recognitions BEGIN \
           INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
             WHERE s.person_id = OLD.person_id AND s.delivered_on >= OLD.recognised_on; \
         END"
        .into(),
        "CREATE TRIGGER kpi_persons_rural AFTER UPDATE OF rural_household ON persons \
         WHEN OLD.rural_household IS NOT NEW.rural_household BEGIN \
           INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s WHERE s.person_id = NEW.id; \
         END"
        .into(),
        format!(
            "CREATE TRIGGER kpi_applications_insert AFTER INSERT ON applications BEGIN \
               INSERT INTO kpi_dirty (day) SELECT {app_day_new} \
                 WHERE NOT EXISTS (SELECT 1 FROM kpi_dirty k WHERE k.day = {app_day_new}); \
             END"
        ),
        format!(
            "CREATE TRIGGER kpi_applications_update AFTER UPDATE ON applications \
             WHEN OLD.created_at IS NOT NEW.created_at OR OLD.vacancy_id IS NOT NEW.vacancy_id \
               OR OLD.person_id IS NOT NEW.person_id BEGIN \
               INSERT INTO kpi_dirty (day) VALUES ({app_day_old}), ({app_day_new}); \
             END"
        ),
        format!(
            "CREATE TRIGGER kpi_applications_delete AFTER DELETE ON applications BEGIN \
               INSERT INTO kpi_dirty (day) VALUES ({app_day_old}); \
             END"
        ),
        format!(
            "CREATE TRIGGER kpi_vacancies_district AFTER UPDATE OF district ON vacancies \
             WHEN OLD.district IS NOT NEW.district BEGIN \
               INSERT INTO kpi_dirty (day) SELECT DISTINCT {app_day_a} FROM applications a WHERE a.vacancy_id = NEW.id; \
             END"
        ),
        "CREATE TRIGGER kpi_registrations_insert AFTER INSERT ON unemployment_registrations BEGIN \
           INSERT INTO kpi_dirty (day) SELECT NEW.registered_on \
             WHERE NOT EXISTS (SELECT 1 FROM kpi_dirty k WHERE k.day = NEW.registered_on); \
           INSERT INTO kpi_dirty (day) SELECT NEW.ended_on WHERE NEW.ended_on IS NOT NULL; \
         END"
        .into(),
        "CREATE TRIGGER kpi_registrations_update AFTER UPDATE ON unemployment_registrations \
         WHEN OLD.registered_on IS NOT NEW.registered_on OR OLD.ended_on IS NOT NEW.ended_on \
           OR OLD.end_reason IS NOT NEW.end_reason OR OLD.district IS NOT NEW.district BEGIN \
           INSERT INTO kpi_dirty (day) SELECT x FROM (SELECT OLD.registered_on AS x UNION SELECT NEW.registered_on \
             UNION SELECT OLD.ended_on UNION SELECT NEW.ended_on) WHERE x IS NOT NULL; \
         END"
        .into(),
        "CREATE TRIGGER kpi_registrations_delete AFTER DELETE ON unemployment_registrations BEGIN \
           INSERT INTO kpi_dirty (day) SELECT x FROM (SELECT OLD.registered_on AS x UNION SELECT OLD.ended_on) \
             WHERE x IS NOT NULL; \
         END"
        .into(),
    ]
}

/// PostgreSQL: inserts as statement triggers over the new rows (a bulk load of millions adds
/// a row per day and statement, not per record); updates and deletes, rare, as row triggers.
/// The new rows lead, each probing the ledger by person and day (`LATERAL`): a join the planner
/// may turn into a scan of the whole ledger per statement made a bulk load quadratic.
/// A mark is always added, even for a day already waiting: a refresher may be recounting that
/// day under a snapshot this transaction's rows are not in, and then forget the older mark.
pub(crate) fn postgres() -> Vec<String> {
    let app_new = beijing_day_postgres("n.created_at");
    let app_one_new = beijing_day_postgres("NEW.created_at");
    let app_one_old = beijing_day_postgres("OLD.created_at");
    let app_a = beijing_day_postgres("a.created_at");
    let function = |name: &str, body: &str| {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN {body} RETURN NULL; END $body$"
        )
    };
    vec![
        function(
            "kpi_services_inserted",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT x.delivered_on \
               FROM (SELECT n.person_id AS person_id, MIN(n.delivered_on) AS d0 FROM kpi_new n GROUP BY n.person_id) f \
               CROSS JOIN LATERAL (SELECT s.delivered_on FROM services s WHERE s.person_id = f.person_id \
               AND s.delivered_on >= f.d0) x; \
             INSERT INTO kpi_dirty (day) SELECT DISTINCT x.delivered_on FROM kpi_new n \
               CROSS JOIN LATERAL (SELECT o.person_id, o.delivered_on FROM services o WHERE o.id = n.corrects_id) c \
               CROSS JOIN LATERAL (SELECT s.delivered_on FROM services s WHERE s.person_id = c.person_id \
               AND s.delivered_on >= c.delivered_on) x WHERE n.corrects_id IS NOT NULL;",
        ),
        "CREATE TRIGGER kpi_services_insert AFTER INSERT ON services REFERENCING NEW TABLE AS kpi_new \
         FOR EACH STATEMENT EXECUTE FUNCTION kpi_services_inserted()"
            .into(),
        function(
            "kpi_services_changed",
            "INSERT INTO kpi_dirty (day) VALUES (OLD.delivered_on); \
             INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
               WHERE s.person_id = OLD.person_id AND s.delivered_on >= OLD.delivered_on; \
             INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s JOIN services o \
               ON s.person_id = o.person_id AND s.delivered_on >= o.delivered_on WHERE o.id = OLD.corrects_id; \
             IF TG_OP = 'UPDATE' THEN \
               INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
                 WHERE s.person_id = NEW.person_id AND s.delivered_on >= NEW.delivered_on; \
               INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s JOIN services o \
                 ON s.person_id = o.person_id AND s.delivered_on >= o.delivered_on WHERE o.id = NEW.corrects_id; \
             END IF;",
        ),
        "CREATE TRIGGER kpi_services_update AFTER UPDATE ON services FOR EACH ROW \
         WHEN (OLD.delivered_on IS DISTINCT FROM NEW.delivered_on OR OLD.void IS DISTINCT FROM NEW.void \
           OR OLD.person_id IS DISTINCT FROM NEW.person_id OR OLD.district IS DISTINCT FROM NEW.district \
           OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.registration_id IS DISTINCT FROM NEW.registration_id \
           OR OLD.corrects_id IS DISTINCT FROM NEW.corrects_id) EXECUTE FUNCTION kpi_services_changed()"
            .into(),
        "CREATE TRIGGER kpi_services_delete AFTER DELETE ON services FOR EACH ROW EXECUTE FUNCTION kpi_services_changed()"
            .into(),
        function(
            "kpi_employments_inserted",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT x.delivered_on \
               FROM (SELECT DISTINCT n.person_id AS person_id FROM kpi_new n) f \
               CROSS JOIN LATERAL (SELECT s.delivered_on FROM services s WHERE s.person_id = f.person_id) x;",
        ),
        "CREATE TRIGGER kpi_employments_insert AFTER INSERT ON employment_registrations \
         REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_employments_inserted()"
            .into(),
        function(
            "kpi_employments_changed",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s WHERE s.person_id = OLD.person_id; \
             IF TG_OP = 'UPDATE' THEN INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
               WHERE s.person_id = NEW.person_id; END IF;",
        ),
        "CREATE TRIGGER kpi_employments_update AFTER UPDATE ON employment_registrations FOR EACH ROW \
         WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id OR OLD.started_on IS DISTINCT FROM NEW.started_on \
           OR OLD.source IS DISTINCT FROM NEW.source) EXECUTE FUNCTION kpi_employments_changed()"
            .into(),
        "CREATE TRIGGER kpi_employments_delete AFTER DELETE ON employment_registrations FOR EACH ROW \
         EXECUTE FUNCTION kpi_employments_changed()"
            .into(),
        function(
            "kpi_recognitions_inserted",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT x.delivered_on FROM kpi_new n \
               CROSS JOIN LATERAL (SELECT s.delivered_on FROM services s WHERE s.person_id = n.person_id \
               AND s.delivered_on >= n.recognised_on) x;",
        ),
        "CREATE TRIGGER kpi_recognitions_insert AFTER INSERT ON recognitions REFERENCING NEW TABLE AS kpi_new \
         FOR EACH STATEMENT EXECUTE FUNCTION kpi_recognitions_inserted()"
            .into(),
        function(
            "kpi_recognitions_changed",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
               WHERE s.person_id = OLD.person_id AND s.delivered_on >= OLD.recognised_on; \
             IF TG_OP = 'UPDATE' THEN INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s \
               WHERE s.person_id = NEW.person_id AND s.delivered_on >= NEW.recognised_on; END IF;",
        ),
        "CREATE TRIGGER kpi_recognitions_change AFTER UPDATE OR DELETE ON recognitions FOR EACH ROW \
         EXECUTE FUNCTION kpi_recognitions_changed()"
            .into(),
        function(
            "kpi_persons_rural",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT s.delivered_on FROM services s WHERE s.person_id = NEW.id;",
        ),
        "CREATE TRIGGER kpi_persons_rural AFTER UPDATE OF rural_household ON persons FOR EACH ROW \
         WHEN (OLD.rural_household IS DISTINCT FROM NEW.rural_household) EXECUTE FUNCTION kpi_persons_rural()"
            .into(),
        function(
            "kpi_applications_inserted",
            &format!(
                "INSERT INTO kpi_dirty (day) SELECT DISTINCT CAST({app_new} AS DATE) FROM kpi_new n;"
            ),
        ),
        "CREATE TRIGGER kpi_applications_insert AFTER INSERT ON applications REFERENCING NEW TABLE AS kpi_new \
         FOR EACH STATEMENT EXECUTE FUNCTION kpi_applications_inserted()"
            .into(),
        function(
            "kpi_applications_changed",
            &format!(
                "INSERT INTO kpi_dirty (day) VALUES (CAST({app_one_old} AS DATE)); \
                 IF TG_OP = 'UPDATE' THEN INSERT INTO kpi_dirty (day) VALUES (CAST({app_one_new} AS DATE)); END IF;"
            ),
        ),
        "CREATE TRIGGER kpi_applications_update AFTER UPDATE ON applications FOR EACH ROW \
         WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.vacancy_id IS DISTINCT FROM NEW.vacancy_id \
           OR OLD.person_id IS DISTINCT FROM NEW.person_id) EXECUTE FUNCTION kpi_applications_changed()"
            .into(),
        "CREATE TRIGGER kpi_applications_delete AFTER DELETE ON applications FOR EACH ROW \
         EXECUTE FUNCTION kpi_applications_changed()"
            .into(),
        function(
            "kpi_vacancies_district",
            &format!(
                "INSERT INTO kpi_dirty (day) SELECT DISTINCT CAST({app_a} AS DATE) FROM applications a \
                   WHERE a.vacancy_id = NEW.id;"
            ),
        ),
        "CREATE TRIGGER kpi_vacancies_district AFTER UPDATE OF district ON vacancies FOR EACH ROW \
         WHEN (OLD.district IS DISTINCT FROM NEW.district) EXECUTE FUNCTION kpi_vacancies_district()"
            .into(),
        function(
            "kpi_registrations_inserted",
            "INSERT INTO kpi_dirty (day) SELECT DISTINCT x FROM (SELECT n.registered_on AS x FROM kpi_new n \
               UNION SELECT n.ended_on FROM kpi_new n) t \
               WHERE x IS NOT NULL;",
        ),
        "CREATE TRIGGER kpi_registrations_insert AFTER INSERT ON unemployment_registrations \
         REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_registrations_inserted()"
            .into(),
        function(
            "kpi_registrations_changed",
            "INSERT INTO kpi_dirty (day) SELECT x FROM (SELECT OLD.registered_on AS x UNION SELECT OLD.ended_on) t \
               WHERE x IS NOT NULL; \
             IF TG_OP = 'UPDATE' THEN INSERT INTO kpi_dirty (day) SELECT x FROM (SELECT NEW.registered_on AS x \
               UNION SELECT NEW.ended_on) t WHERE x IS NOT NULL; END IF;",
        ),
        "CREATE TRIGGER kpi_registrations_update AFTER UPDATE ON unemployment_registrations FOR EACH ROW \
         WHEN (OLD.registered_on IS DISTINCT FROM NEW.registered_on OR OLD.ended_on IS DISTINCT FROM NEW.ended_on \
           OR OLD.end_reason IS DISTINCT FROM NEW.end_reason OR OLD.district IS DISTINCT FROM NEW.district) \
         EXECUTE FUNCTION kpi_registrations_changed()"
            .into(),
        "CREATE TRIGGER kpi_registrations_delete AFTER DELETE ON unemployment_registrations FOR EACH ROW \
         EXECUTE FUNCTION kpi_registrations_changed()"
            .into(),
    ]
}

/// Every day the records hold that the projection counts (a database made before migration 26
/// is counted once, by the refresher, from these).
pub(crate) fn backfill(postgres: bool) -> String {
    let app = if postgres {
        format!("CAST({} AS DATE)", beijing_day_postgres("a.created_at"))
    } else {
        beijing_day_sqlite("a.created_at")
    };
    format!(
        "INSERT INTO kpi_dirty (day) SELECT x FROM (SELECT s.delivered_on AS x FROM services s \
         UNION SELECT r.registered_on FROM unemployment_registrations r \
         UNION SELECT r.ended_on FROM unemployment_registrations r \
         UNION SELECT {app} FROM applications a) t WHERE x IS NOT NULL"
    )
}
