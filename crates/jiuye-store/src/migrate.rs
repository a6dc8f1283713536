//! The one migration list for both backends.
//!
//! Migration 1 builds every table from the entity definitions (SeaORM renders the right DDL per
//! backend). Later schema changes must be new, explicit migrations appended here — never an edit
//! of an applied one. Applied versions are kept in `jiuye_migrations`.

use sea_orm::sea_query::{Alias, ColumnDef, Expr, Query, Table};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, Schema};

use std::future::Future;
use std::pin::Pin;

use crate::entities::{
    account, activation_code, address_attempt, application, application_event, audit, budget_allocation,
    casework_rule_version, certificate, change, claim, claim_event, contact, contract, contract_person, employer,
    employment, enrolment, gig_booking, gig_demand, gig_site, gig_worker, household, household_flag, household_member,
    identity_alias, inbox, indicator_entry, job_run, kpi_day, kpi_dirty, kpi_pair, labour_case, login_attempt,
    mediation_org, person, programme, progress_report, provider, publication, rating, recognition,
    registration_category, registration_event, saved_vacancy, service, session, setting, survey,
    unemployment_registration, vacancy,
};
use crate::{Store, StoreError};

/// The advisory lock key instances take to migrate one at a time ("jiuye mi" in ASCII).
const MIGRATION_LOCK: i64 = 0x6a69_7579_6520_6d69;

type Step = fn(&Schema) -> Vec<Ddl>;
/// Moves rows after a step's DDL, in the same transaction.
type DataStep = for<'a> fn(&'a DatabaseTransaction) -> Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send + 'a>>;

pub enum Ddl {
    Table(Box<sea_orm::sea_query::TableCreateStatement>),
    Index(Box<sea_orm::sea_query::IndexCreateStatement>),
    Alter(Box<sea_orm::sea_query::TableAlterStatement>),
    DropIndex(Box<sea_orm::sea_query::IndexDropStatement>),
    /// Statements SeaQuery cannot build (triggers), written for each backend.
    Raw {
        sqlite: Vec<String>,
        postgres: Vec<String>,
    },
}

const MIGRATIONS: &[(i32, &str, Step, Option<DataStep>)] = &[
    (1, "core records, identity, audit", initial, None),
    (2, "applications and employments", applications, None),
    (
        3,
        "casework: registrations, ledger, contacts, households, providers",
        casework,
        Some(employments_to_registrations),
    ),
    (4, "claims and budgets", claims, None),
    (5, "inbox", inbox_table, None),
    (6, "training and certificates", training, None),
    (7, "policy publication", publications, None),
    (8, "claims about one person (per-person policies)", claim_subjects, None),
    (9, "key-group recognitions by staff", recognitions, None),
    (10, "the change log", change_log, None),
    (11, "settings; the change log pruned by age", settings, None),
    (12, "identity documents beyond the resident ID; sign-in attempts by key; activation codes", identities, None),
    (13, "saved vacancies", saved_vacancies, None),
    (
        14,
        "oversight: entered indicator figures, satisfaction surveys, progress reports; dates the dashboard counts by",
        oversight,
        None,
    ),
    (15, "pay units: day, hour and piece rates, 面议 (existing vacancies are monthly)", pay_units, None),
    (16, "the longest commute a person will make", commute_limit, None),
    (17, "sign-in attempts per address, shared by every instance", address_attempts, None),
    (18, "scheduled work claimed by one instance", job_runs, None),
    (
        19,
        "the gig market: markets and stations, workers, gig demands, bookings; wage-arrears complaints and mediation",
        gig_market,
        None,
    ),
    (20, "registered mediation organisations; the organisation mediating a case", mediation_orgs, None),
    (21, "casework rules published as versions", casework_rule_versions, None),
    (22, "where a person's trips start (a cell they set from their device)", home_cell, None),
    (23, "caseload orders and counts indexed: next contact, next \"131\" due, tier, categories", caseload_orders, None),
    (24, "what screening last told each person, as a digest", screened_digest, None),
    (
        25,
        "caseload filters as index ranges: each open registration's categories as rows, the tier in force as a column",
        registration_categories,
        Some(categories_to_rows),
    ),
    (
        26,
        "the dashboard's projection: counts per aggregation, district and day, and the days triggers mark for recounting",
        kpi_projection,
        None,
    ),
];

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
    for_entity(schema, v1_person::Entity, &mut out);
    for_entity(schema, employer::Entity, &mut out);
    for_entity(schema, v1_vacancy::Entity, &mut out);
    for_entity(schema, audit::Entity, &mut out);
    out
}

fn applications(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, application::Entity, &mut out);
    for_entity(schema, application_event::Entity, &mut out);
    // Frozen: the table as migration 2 made it; migration 3 moves its rows.
    for_entity(schema, v2::Entity, &mut out);
    out
}

fn casework(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, v3_registration::Entity, &mut out);
    for_entity(schema, registration_event::Entity, &mut out);
    for_entity(schema, employment::Entity, &mut out);
    for_entity(schema, contact::Entity, &mut out);
    for_entity(schema, service::Entity, &mut out);
    for_entity(schema, rating::Entity, &mut out);
    for_entity(schema, household::Entity, &mut out);
    for_entity(schema, household_member::Entity, &mut out);
    for_entity(schema, household_flag::Entity, &mut out);
    for_entity(schema, provider::Entity, &mut out);
    for_entity(schema, contract::Entity, &mut out);
    for_entity(schema, contract_person::Entity, &mut out);
    // Caseload lists: one district's active registrations, newest first.
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_registrations_district_status_id")
            .table(unemployment_registration::Entity)
            .col(unemployment_registration::Column::District)
            .col(unemployment_registration::Column::Status)
            .col(unemployment_registration::Column::Id)
            .to_owned(),
    )));
    out
}

fn claims(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    // Frozen: the claims table as migration 4 made it; migration 8 adds `subject_id`.
    for_entity(schema, v4::Entity, &mut out);
    for_entity(schema, claim_event::Entity, &mut out);
    for_entity(schema, budget_allocation::Entity, &mut out);
    out
}

fn training(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, programme::Entity, &mut out);
    for_entity(schema, enrolment::Entity, &mut out);
    for_entity(schema, certificate::Entity, &mut out);
    out
}

fn publications(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, publication::Entity, &mut out);
    out
}

fn claim_subjects(_: &Schema) -> Vec<Ddl> {
    vec![
        Ddl::Alter(Box::new(
            Table::alter()
                .table(claim::Entity)
                .add_column(ColumnDef::new(claim::Column::SubjectId).uuid().null())
                .to_owned(),
        )),
        Ddl::Index(Box::new(
            sea_orm::sea_query::Index::create()
                .name("idx_claims_subject_id")
                .table(claim::Entity)
                .col(claim::Column::SubjectId)
                .to_owned(),
        )),
        // An employer's claim form lists the people it employed.
        Ddl::Index(Box::new(
            sea_orm::sea_query::Index::create()
                .name("idx_employments_employer_id")
                .table(employment::Entity)
                .col(employment::Column::EmployerId)
                .to_owned(),
        )),
    ]
}

fn recognitions(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, recognition::Entity, &mut out);
    out
}

fn change_log(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, change::Entity, &mut out);
    out
}

fn settings(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, setting::Entity, &mut out);
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_changes_at")
            .table(change::Entity)
            .col(change::Column::At)
            .to_owned(),
    )));
    out
}

fn identities(schema: &Schema) -> Vec<Ddl> {
    let mut out = vec![
        Ddl::Alter(Box::new(
            Table::alter()
                .table(person::Entity)
                .add_column(ColumnDef::new(person::Column::IdKind).string().not_null().default("resident_id"))
                .to_owned(),
        )),
        Ddl::Alter(Box::new(
            Table::alter()
                .table(person::Entity)
                .add_column(ColumnDef::new(person::Column::Nationality).string().null())
                .to_owned(),
        )),
    ];
    for_entity(schema, identity_alias::Entity, &mut out);
    for_entity(schema, login_attempt::Entity, &mut out);
    for_entity(schema, activation_code::Entity, &mut out);
    out
}

fn saved_vacancies(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, saved_vacancy::Entity, &mut out);
    // A vacancy is saved once per person.
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_saved_vacancies_person_vacancy")
            .table(saved_vacancy::Entity)
            .col(saved_vacancy::Column::PersonId)
            .col(saved_vacancy::Column::VacancyId)
            .unique()
            .to_owned(),
    )));
    out
}

fn oversight(schema: &Schema) -> Vec<Ddl> {
    use sea_orm::sea_query::Index;
    let mut out = Vec::new();
    for_entity(schema, indicator_entry::Entity, &mut out);
    for_entity(schema, survey::Entity, &mut out);
    for_entity(schema, progress_report::Entity, &mut out);
    // One answer per person and item.
    out.push(Ddl::Index(Box::new(
        Index::create()
            .name("idx_surveys_subject_person")
            .table(survey::Entity)
            .col(survey::Column::SubjectKind)
            .col(survey::Column::SubjectId)
            .col(survey::Column::PersonId)
            .unique()
            .to_owned(),
    )));
    // The dashboard counts records by day within a district.
    let by_day = |name: &str, table: Alias, cols: &[&str]| {
        let mut i = Index::create();
        i.name(name).table(table);
        for c in cols {
            i.col(Alias::new(*c));
        }
        Ddl::Index(Box::new(i.to_owned()))
    };
    out.push(by_day("idx_employment_started", Alias::new("employment_registrations"), &["started_on", "district"]));
    out.push(by_day("idx_services_delivered", Alias::new("services"), &["delivered_on", "district"]));
    out.push(by_day("idx_contacts_person_day", Alias::new("contacts"), &["person_id", "contacted_on"]));
    out.push(by_day("idx_recognitions_person", Alias::new("recognitions"), &["person_id", "key_group"]));
    out
}

fn pay_units(_: &Schema) -> Vec<Ddl> {
    let add = |col: &mut ColumnDef| {
        Ddl::Alter(Box::new(Table::alter().table(vacancy::Entity).add_column(col.to_owned()).to_owned()))
    };
    vec![
        add(ColumnDef::new(vacancy::Column::PayUnit).string().not_null().default("month")),
        add(ColumnDef::new(vacancy::Column::PayRateMinFen).big_integer().null()),
        add(ColumnDef::new(vacancy::Column::PayRateMaxFen).big_integer().null()),
    ]
}

fn commute_limit(_: &Schema) -> Vec<Ddl> {
    vec![Ddl::Alter(Box::new(
        Table::alter()
            .table(person::Entity)
            .add_column(ColumnDef::new(person::Column::MaxCommuteKm).integer().null())
            .to_owned(),
    ))]
}

fn home_cell(_: &Schema) -> Vec<Ddl> {
    vec![Ddl::Alter(Box::new(
        Table::alter()
            .table(person::Entity)
            .add_column(ColumnDef::new(person::Column::HomeCell).big_integer().null())
            .to_owned(),
    ))]
}

/// A district's active registrations in the order of their next contact or next "131" item, so
/// a sorted caseload page reads its 20 rows from the index instead of sorting the district; by
/// tier (as set, or as overridden: two ranges the planner ORs); and with their key-group
/// categories beside the id, so counting a category reads the index alone. Measured on a
/// district of 219,086 registrations (PostgreSQL): counting graduates 128 → 27 ms, tier 1
/// 75 → 12–24 ms.
fn caseload_orders(_: &Schema) -> Vec<Ddl> {
    use unemployment_registration::Column as C;
    [
        ("idx_registrations_next_contact", [C::NextContactOn, C::Id]),
        ("idx_registrations_next131", [C::Next131DueOn, C::Id]),
        ("idx_registrations_tier", [C::Tier, C::Id]),
        ("idx_registrations_tier_override", [C::TierOverride, C::Id]),
        ("idx_registrations_categories", [C::Categories, C::Id]),
    ]
    .into_iter()
    .map(|(name, [col, last])| {
        Ddl::Index(Box::new(
            sea_orm::sea_query::Index::create()
                .name(name)
                .table(unemployment_registration::Entity)
                .col(C::District)
                .col(C::Status)
                .col(col)
                .col(last)
                .to_owned(),
        ))
    })
    .collect()
}

/// What screening last told each person, and a narrow index of what deciding needs (id, birth
/// date, that digest), so a run compares everyone inside the index and reads out only those
/// whose findings changed; and the document holders other than resident IDs, by kind.
fn screened_digest(_: &Schema) -> Vec<Ddl> {
    vec![
        Ddl::Alter(Box::new(
            Table::alter()
                .table(person::Entity)
                .add_column(ColumnDef::new(person::Column::ScreenedDigest).big_integer().null())
                .to_owned(),
        )),
        // Screening reads the holders of documents other than a resident ID (their key groups
        // come from the document): a few among millions.
        Ddl::Index(Box::new(
            sea_orm::sea_query::Index::create()
                .name("idx_persons_id_kind")
                .table(person::Entity)
                .col(person::Column::IdKind)
                .col(person::Column::Id)
                .col(person::Column::Nationality)
                .to_owned(),
        )),
        Ddl::Index(Box::new(
            sea_orm::sea_query::Index::create()
                .name("idx_persons_screening")
                .table(person::Entity)
                .col(person::Column::Id)
                .col(person::Column::BirthDate)
                .col(person::Column::ScreenedDigest)
                .to_owned(),
        )),
    ]
}

fn address_attempts(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, address_attempt::Entity, &mut out);
    out
}

fn job_runs(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, job_run::Entity, &mut out);
    out
}

fn gig_market(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, gig_site::Entity, &mut out);
    for_entity(schema, gig_worker::Entity, &mut out);
    for_entity(schema, gig_demand::Entity, &mut out);
    for_entity(schema, gig_booking::Entity, &mut out);
    // Frozen: the table as migration 19 made it; migration 20 adds `mediation_org_id`.
    for_entity(schema, v19_labour_case::Entity, &mut out);
    // The workbench: running clocks (the city's, a district's), nearest deadline first — with
    // the id, so a page deep in them is read from the index alone —; a district's cases newest
    // first; its figures by the day received.
    use labour_case::Column as C;
    let indexes: [(&str, &[C]); 4] = [
        ("idx_labour_cases_due_id", &[C::DueOn, C::Id]),
        ("idx_labour_cases_district_due", &[C::District, C::DueOn, C::Id]),
        ("idx_labour_cases_district_id", &[C::District, C::Id]),
        ("idx_labour_cases_district_received", &[C::District, C::ReceivedOn]),
    ];
    for (name, cols) in indexes {
        let mut idx = sea_orm::sea_query::Index::create();
        idx.name(name).table(labour_case::Entity);
        for c in cols {
            idx.col(*c);
        }
        out.push(Ddl::Index(Box::new(idx.to_owned())));
    }
    out
}

fn mediation_orgs(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, mediation_org::Entity, &mut out);
    out.push(Ddl::Alter(Box::new(
        Table::alter()
            .table(labour_case::Entity)
            .add_column(ColumnDef::new(labour_case::Column::MediationOrgId).uuid().null())
            .to_owned(),
    )));
    out
}

fn casework_rule_versions(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, casework_rule_version::Entity, &mut out);
    out
}

fn inbox_table(schema: &Schema) -> Vec<Ddl> {
    let mut out = Vec::new();
    for_entity(schema, inbox::Entity, &mut out);
    out
}

/// Hires recorded in the old `employments` table become employment registrations (form 单位就业,
/// source hire); then the old table goes.
fn employments_to_registrations<'a>(
    txn: &'a DatabaseTransaction,
) -> Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send + 'a>> {
    Box::pin(async move {
        use sea_orm::{ActiveModelTrait, Set};
        for old in v2::Entity::find().all(txn).await? {
            let district = person::Entity::find_by_id(old.person_id).one(txn).await?.map(|p| p.district);
            employment::ActiveModel {
                id: Set(old.id),
                person_id: Set(old.person_id),
                form: Set("unit".into()),
                employer_id: Set(Some(old.employer_id)),
                vacancy_id: Set(old.vacancy_id),
                application_id: Set(old.application_id),
                started_on: Set(old.started_on),
                source: Set(old.source),
                dedupe_key: Set(crate::repo::registrations::employment_key(
                    old.person_id,
                    Some(old.employer_id),
                    "unit",
                    old.started_on,
                    old.application_id,
                )),
                registration_id: Set(None),
                district: Set(district.unwrap_or_default()),
                actor_account: Set(None),
                created_at: Set(old.created_at),
            }
            .insert(txn)
            .await?;
        }
        txn.execute(Table::drop().table(Alias::new("employments"))).await?;
        Ok(())
    })
}

/// One row per open registration and category, and the tier in force as a column; the indexes
/// migration 23 built on the comma list (which a LIKE '%,x,%' cannot range over) and on the
/// computed tier and the override (an OR of the two that read the rows to decide) go.
fn registration_categories(schema: &Schema) -> Vec<Ddl> {
    use unemployment_registration::Column as C;
    let mut out = vec![Ddl::Alter(Box::new(
        Table::alter()
            .table(unemployment_registration::Entity)
            .add_column(ColumnDef::new(C::TierInForce).string().not_null().default(""))
            .to_owned(),
    ))];
    for_entity(schema, registration_category::Entity, &mut out);
    // Ending or recomputing a registration replaces its rows.
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_registration_categories_registration")
            .table(registration_category::Entity)
            .col(registration_category::Column::RegistrationId)
            .to_owned(),
    )));
    for name in ["idx_registrations_categories", "idx_registrations_tier", "idx_registrations_tier_override"] {
        out.push(Ddl::DropIndex(Box::new(
            sea_orm::sea_query::Index::drop().name(name).table(unemployment_registration::Entity).to_owned(),
        )));
    }
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_registrations_tier_in_force")
            .table(unemployment_registration::Entity)
            .col(C::District)
            .col(C::Status)
            .col(C::TierInForce)
            .col(C::Id)
            .to_owned(),
    )));
    out
}

fn kpi_projection(schema: &Schema) -> Vec<Ddl> {
    use crate::kpi_triggers;
    let mut out = Vec::new();
    for_entity(schema, kpi_day::Entity, &mut out);
    for_entity(schema, kpi_pair::Entity, &mut out);
    for_entity(schema, kpi_dirty::Entity, &mut out);
    // The stock's daily changes are counted by the day a registration began and ended.
    for (name, col) in
        [("idx_registrations_registered_on", "registered_on"), ("idx_registrations_ended_on", "ended_on")]
    {
        out.push(Ddl::Index(Box::new(
            sea_orm::sea_query::Index::create()
                .name(name)
                .table(unemployment_registration::Entity)
                .col(Alias::new(col))
                .to_owned(),
        )));
    }
    // A person's previous service day (the served who found work) is one probe of this index;
    // without it SQLite walked the district's whole ledger for each person-day.
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_services_person_day")
            .table(service::Entity)
            .col(service::Column::PersonId)
            .col(service::Column::DeliveredOn)
            .to_owned(),
    )));
    // Satisfaction with services is counted by when the rating was given (without it, SQLite
    // walked a district's ledger to find the few rated services).
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_service_ratings_created_at")
            .table(rating::Entity)
            .col(rating::Column::CreatedAt)
            .to_owned(),
    )));
    out.push(Ddl::Index(Box::new(
        sea_orm::sea_query::Index::create()
            .name("idx_applications_created_at")
            .table(application::Entity)
            .col(application::Column::CreatedAt)
            .to_owned(),
    )));
    out.push(Ddl::Raw {
        sqlite: kpi_triggers::sqlite().into_iter().chain([kpi_triggers::backfill(false)]).collect(),
        postgres: kpi_triggers::postgres().into_iter().chain([kpi_triggers::backfill(true)]).collect(),
    });
    out
}

/// The open registrations' comma lists, as rows.
fn categories_to_rows<'a>(
    txn: &'a DatabaseTransaction,
) -> Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send + 'a>> {
    Box::pin(async move {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect, Set};
        use unemployment_registration::Column as C;
        txn.execute(
            Query::update()
                .table(unemployment_registration::Entity)
                .value(C::TierInForce, Expr::cust("COALESCE(tier_override, tier)")),
        )
        .await?;
        let mut after: Option<uuid::Uuid> = None;
        loop {
            let mut q = unemployment_registration::Entity::find()
                .select_only()
                .columns([C::Id, C::District, C::Categories])
                .filter(C::Status.eq("registered"));
            if let Some(a) = after {
                q = q.filter(C::Id.gt(a));
            }
            let rows: Vec<(uuid::Uuid, String, String)> =
                q.order_by_asc(C::Id).limit(2_000).into_tuple().all(txn).await?;
            let Some(last) = rows.last() else { break };
            after = Some(last.0);
            let new: Vec<_> = rows
                .iter()
                .flat_map(|(id, district, cats)| {
                    cats.split(',').filter(|c| !c.is_empty()).map(move |c| registration_category::ActiveModel {
                        category: Set(c.to_string()),
                        district: Set(district.clone()),
                        registration_id: Set(*id),
                    })
                })
                .collect();
            for chunk in new.chunks(500) {
                registration_category::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
            }
        }
        Ok(())
    })
}

/// The `employments` table of migration 2, frozen here so that migration replays the same DDL.
mod v2 {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "employments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(indexed)]
        pub person_id: Uuid,
        #[sea_orm(indexed)]
        pub employer_id: Uuid,
        #[sea_orm(nullable)]
        pub vacancy_id: Option<Uuid>,
        #[sea_orm(nullable, unique)]
        pub application_id: Option<Uuid>,
        pub started_on: Date,
        pub source: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The vacancies table as migration 1 made it (migration 15 adds the pay unit and rates).
mod v1_vacancy {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "vacancies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(indexed)]
        pub employer_id: Uuid,
        pub title: String,
        pub description: String,
        #[sea_orm(indexed)]
        pub occupation: String,
        pub industry: String,
        #[sea_orm(indexed)]
        pub district: String,
        pub address: String,
        #[sea_orm(nullable)]
        pub latitude: Option<f64>,
        #[sea_orm(nullable)]
        pub longitude: Option<f64>,
        pub salary_min: i32,
        pub salary_max: i32,
        pub headcount: i32,
        #[sea_orm(nullable)]
        pub education_required: Option<String>,
        pub kind: String,
        pub opens_on: Date,
        #[sea_orm(indexed)]
        pub closes_on: Date,
        pub skills: Json,
        #[sea_orm(indexed)]
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The `persons` table of migration 1, frozen here so that migration replays the same DDL
/// (migration 12 adds the document kind and nationality).
mod v1_person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "persons")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// AES-256-GCM: 12-byte nonce followed by ciphertext and tag.
        pub national_id_enc: Vec<u8>,
        /// Keyed hash (HMAC-SHA-256) for lookup and duplicate detection.
        #[sea_orm(unique)]
        pub national_id_hash: String,
        pub national_id_masked: String,
        #[sea_orm(indexed)]
        pub name: String,
        pub sex: String,
        pub birth_date: Date,
        #[sea_orm(indexed)]
        pub mobile: String,
        #[sea_orm(indexed)]
        pub district: String,
        #[sea_orm(nullable)]
        pub street: Option<String>,
        #[sea_orm(nullable)]
        pub address: Option<String>,
        pub household_origin: String,
        pub rural_household: bool,
        pub education: String,
        pub key_groups: Json,
        pub skills: Json,
        pub certificates: Json,
        pub wanted_occupations: Json,
        pub wanted_districts: Json,
        #[sea_orm(nullable)]
        pub wanted_salary_min: Option<i32>,
        #[sea_orm(nullable)]
        pub wanted_salary_max: Option<i32>,
        pub employment_status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The `unemployment_registrations` table of migration 3, frozen here so that migration replays
/// the same DDL (migration 25 adds `tier_in_force`).
mod v3_registration {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "unemployment_registrations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(indexed)]
        pub person_id: Uuid,
        #[sea_orm(nullable, unique)]
        pub active_person: Option<Uuid>,
        #[sea_orm(indexed)]
        pub district: String,
        pub basis: String,
        #[sea_orm(indexed)]
        pub status: String,
        pub registered_on: Date,
        #[sea_orm(nullable)]
        pub ended_on: Option<Date>,
        #[sea_orm(nullable)]
        pub end_reason: Option<String>,
        #[sea_orm(nullable, indexed)]
        pub caseworker_id: Option<Uuid>,
        pub tier: String,
        pub categories: String,
        #[sea_orm(nullable)]
        pub tier_override: Option<String>,
        #[sea_orm(nullable)]
        pub tier_override_reason: Option<String>,
        pub guidance_done: i32,
        pub referrals_done: i32,
        pub training_done: i32,
        #[sea_orm(nullable, indexed)]
        pub next_131_due_on: Option<Date>,
        #[sea_orm(nullable)]
        pub one31_completed_on: Option<Date>,
        #[sea_orm(nullable)]
        pub last_reached_on: Option<Date>,
        pub failed_in_row: i32,
        #[sea_orm(indexed)]
        pub unreachable: bool,
        #[sea_orm(indexed)]
        pub next_contact_on: Date,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The `labour_cases` table of migration 19, frozen here so that migration replays the same DDL.
mod v19_labour_case {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "labour_cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        #[sea_orm(nullable)]
        pub origin_id: Option<Uuid>,
        #[sea_orm(nullable)]
        pub gig_booking_id: Option<Uuid>,
        #[sea_orm(indexed)]
        pub district: String,
        #[sea_orm(nullable, indexed)]
        pub person_id: Option<Uuid>,
        #[sea_orm(nullable)]
        pub employer_id: Option<Uuid>,
        pub employer_name: String,
        pub workers: i32,
        pub amount_fen: i64,
        pub period_from: Date,
        pub period_to: Date,
        pub evidence: String,
        pub received_on: Date,
        #[sea_orm(indexed)]
        pub status: String,
        #[sea_orm(nullable)]
        pub accepted_on: Option<Date>,
        pub extended: bool,
        pub suspensions: Json,
        #[sea_orm(nullable)]
        pub decided_on: Option<Date>,
        #[sea_orm(nullable)]
        pub outcome: Option<String>,
        #[sea_orm(nullable)]
        pub recovered_fen: Option<i64>,
        #[sea_orm(nullable)]
        pub knew_on: Option<Date>,
        #[sea_orm(nullable)]
        pub employment_ended: Option<Date>,
        #[sea_orm(nullable)]
        pub referred_on: Option<Date>,
        #[sea_orm(nullable, indexed)]
        pub due_on: Option<Date>,
        #[sea_orm(nullable)]
        pub decided_in_time: Option<bool>,
        #[sea_orm(nullable)]
        pub warned_for: Option<Date>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The `claims` table of migration 4, frozen here so that migration replays the same DDL.
mod v4 {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "claims")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(indexed)]
        pub policy_id: String,
        pub policy_version: String,
        pub budget_line: String,
        pub claimant_kind: String,
        #[sea_orm(indexed)]
        pub claimant_id: Uuid,
        #[sea_orm(indexed)]
        pub district: String,
        pub period_key: String,
        #[sea_orm(nullable, unique)]
        pub paid_once_key: Option<String>,
        pub amount_fen: i64,
        #[sea_orm(indexed)]
        pub status: String,
        pub facts: Json,
        pub decision: Json,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

async fn exec(txn: &DatabaseTransaction, ddl: &Ddl) -> Result<(), DbErr> {
    match ddl {
        Ddl::Table(t) => txn.execute(t.as_ref()).await.map(|_| ()),
        Ddl::Index(i) => txn.execute(i.as_ref()).await.map(|_| ()),
        Ddl::Alter(a) => txn.execute(a.as_ref()).await.map(|_| ()),
        Ddl::DropIndex(d) => txn.execute(d.as_ref()).await.map(|_| ()),
        Ddl::Raw { sqlite, postgres } => {
            let list = if txn.get_database_backend() == sea_orm::DbBackend::Postgres { postgres } else { sqlite };
            for stmt in list {
                txn.execute_unprepared(stmt).await?;
            }
            Ok(())
        }
    }
}

impl Store {
    /// Apply every pending migration, each in its own transaction (DDL is transactional on
    /// both backends). Returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i32>, StoreError> {
        let db = self.db();
        // Instances started at once on one PostgreSQL database migrate one after another: the
        // first applies what is pending, the others then find it applied. The lock belongs to
        // the guard's transaction and goes with it, whatever happens below. (One SQLite file
        // is one instance's.)
        let guard = match self.backend() {
            sea_orm::DbBackend::Postgres => {
                use sea_orm::TransactionTrait;
                let txn = db.begin().await?;
                txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")).await?;
                Some(txn)
            }
            _ => None,
        };
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
        for (version, name, step, data) in MIGRATIONS {
            if applied.contains(version) {
                continue;
            }
            let txn = self.begin_write().await?;
            for ddl in step(&schema) {
                exec(&txn, &ddl).await?;
            }
            if let Some(data) = data {
                data(&txn).await?;
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
        if let Some(guard) = guard {
            guard.commit().await?;
        }
        Ok(done)
    }

    /// Versions known to the binary but not yet applied (for `/readyz` and `jiuye migrate --check`).
    pub fn latest_migration() -> i32 {
        MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

    use super::{registration_category, unemployment_registration as reg};
    use crate::Store;

    fn registration(status: &str, categories: &str, district: &str) -> reg::ActiveModel {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("date");
        let at = chrono::DateTime::from_timestamp(1_793_000_000, 0).expect("time");
        reg::ActiveModel {
            id: Set(crate::new_id(at)),
            person_id: Set(crate::new_id(at)),
            active_person: Set(None),
            district: Set(district.into()),
            basis: Set("residence".into()),
            status: Set(status.into()),
            registered_on: Set(day),
            ended_on: Set(None),
            end_reason: Set(None),
            caseworker_id: Set(None),
            tier: Set("2".into()),
            categories: Set(categories.into()),
            tier_override: Set(None),
            tier_override_reason: Set(None),
            tier_in_force: Set("2".into()),
            guidance_done: Set(0),
            referrals_done: Set(0),
            training_done: Set(0),
            next_131_due_on: Set(Some(day)),
            one31_completed_on: Set(None),
            last_reached_on: Set(None),
            failed_in_row: Set(0),
            unreachable: Set(false),
            next_contact_on: Set(day),
            created_at: Set(at),
            updated_at: Set(at),
        }
    }

    /// A database that stopped at migration 24 holds categories only as comma lists: 25 lists
    /// the open registrations' categories as rows, and none of the ended ones.
    #[tokio::test]
    async fn migration_25_lists_the_open_registrations_categories() {
        let store = Store::connect("sqlite::memory:").await.expect("connect");
        store.migrate().await.expect("migrate");
        let db = store.db();
        let mut overridden = registration("registered", ",graduate,zero_household,", "350203");
        overridden.tier_override = Set(Some("1".into()));
        let open = overridden.insert(db).await.expect("open");
        let none = registration("registered", ",,", "350203").insert(db).await.expect("none");
        registration("deregistered", ",graduate,", "350206").insert(db).await.expect("ended");
        // Back to migration 24's shape.
        for stmt in [
            "DROP TABLE registration_categories",
            "DROP INDEX idx_registrations_tier_in_force",
            "ALTER TABLE unemployment_registrations DROP COLUMN tier_in_force",
            "DELETE FROM jiuye_migrations WHERE version = 25",
            "CREATE INDEX idx_registrations_categories ON unemployment_registrations (district, status, categories, id)",
            "CREATE INDEX idx_registrations_tier ON unemployment_registrations (district, status, tier, id)",
            "CREATE INDEX idx_registrations_tier_override ON unemployment_registrations (district, status, tier_override, id)",
        ] {
            db.execute_unprepared(stmt).await.expect(stmt);
        }
        assert_eq!(store.migrate().await.expect("migrate"), vec![25]);
        let mut tiers: Vec<(uuid::Uuid, String)> =
            reg::Entity::find().all(db).await.expect("rows").into_iter().map(|r| (r.id, r.tier_in_force)).collect();
        tiers.sort();
        let mut want = vec![(open.id, "1".to_string()), (none.id, "2".to_string())];
        want.extend(tiers.iter().filter(|t| t.0 != open.id && t.0 != none.id).map(|t| (t.0, "2".to_string())));
        want.sort();
        assert_eq!(tiers, want, "the tier in force: the override, else the computed tier");
        let rows = registration_category::Entity::find().all(db).await.expect("rows");
        let mut got: Vec<_> =
            rows.iter().map(|r| (r.registration_id, r.category.as_str(), r.district.as_str())).collect();
        got.sort();
        assert_eq!(got, vec![(open.id, "graduate", "350203"), (open.id, "zero_household", "350203")]);
        let of_none = registration_category::Entity::find()
            .filter(registration_category::Column::RegistrationId.eq(none.id))
            .all(db)
            .await
            .expect("rows");
        assert!(of_none.is_empty());
    }
}
