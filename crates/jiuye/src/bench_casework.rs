//! `jiuye bench casework`: the caseworker's lists and a person's page at city scale, on SQLite
//! and PostgreSQL, on generated registrations and ledger rows.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use clap::Args;
use uuid::Uuid;

use jiuye_domain::casework::{
    CaseworkRules, ContactMethod, ContactOutcome, One31Status, RegistrationBasis, ServiceKind, TierFacts, whole_months,
};
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::{AuditEntry, BulkCase, CaseloadFilter, Cursor, PageRequest, Store};
use jiuye_web::{AppState, Clock};

use crate::bench::percentile;

#[derive(Args)]
pub struct CaseworkArgs {
    /// Registered unemployed persons.
    #[arg(long, default_value_t = 100_000)]
    registered: usize,
    /// Rows in the service ledger (spread over the registered).
    #[arg(long, default_value_t = 2_000_000)]
    ledger: usize,
    /// Repetitions of the caseload query set.
    #[arg(long, default_value_t = 30)]
    reps: usize,
    /// Person pages opened.
    #[arg(long, default_value_t = 300)]
    persons: usize,
    /// PostgreSQL server (a fresh database is created on it); empty to measure SQLite only.
    #[arg(long, env = "JIUYE_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432/test")]
    pg_url: String,
    /// Measure PostgreSQL only (a province's sizes take long to load twice).
    #[arg(long)]
    no_sqlite: bool,
    /// Repetitions of the baseline's queries (each aggregates a district's ledger).
    #[arg(long, default_value_t = 3)]
    baseline_reps: usize,
}

impl CaseworkArgs {
    /// Sizes for another harness that loads the same casework data.
    pub(crate) fn sized(registered: usize, ledger: usize) -> Self {
        CaseworkArgs {
            registered,
            ledger,
            reps: 0,
            persons: 0,
            pg_url: String::new(),
            no_sqlite: false,
            baseline_reps: 0,
        }
    }
}

const KINDS: [ServiceKind; 8] = [
    ServiceKind::JobReferral,
    ServiceKind::CareerGuidance,
    ServiceKind::JobReferral,
    ServiceKind::PolicyAdvice,
    ServiceKind::JobReferral,
    ServiceKind::FollowUp,
    ServiceKind::SkillsTraining,
    ServiceKind::JobFair,
];

/// Load `registered` persons, each registered with a share of `ledger` services and two contacts.
pub(crate) async fn load(
    store: &Store,
    args: &CaseworkArgs,
    today: NaiveDate,
    rules: &CaseworkRules,
) -> anyhow::Result<Vec<Uuid>> {
    let vault = jiuye_store::IdVault::new(&[9u8; 32])?;
    let now = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(
        today.and_hms_opt(2, 0, 0).unwrap_or_default(),
        chrono::Utc,
    );
    let who = AuditEntry::system();
    let mut g = Generator::new(SimConfig { seed: 4, persons: args.registered, employers: 0, vacancies: 0, today });
    let per = args.ledger / args.registered.max(1);
    let extra = args.ledger % args.registered.max(1);
    let mut all = Vec::with_capacity(args.registered);
    let mut seen = 0usize;
    while let Some(batch) = g.next_persons(5_000) {
        let ids = store.bulk_insert_persons(&batch, &vault, &who, now).await?;
        let cases: Vec<BulkCase> = batch
            .iter()
            .zip(&ids)
            .enumerate()
            .map(|(k, (d, id))| {
                let i = seen + k;
                let registered_on = today - Duration::days((i * 7 % 300) as i64);
                let span = (today - registered_on).num_days().max(1);
                let n = per + usize::from(i < extra);
                let services = (0..n)
                    .map(|s| (KINDS[(i + s) % KINDS.len()], registered_on + Duration::days((s as i64 * 3) % span)))
                    .collect();
                BulkCase {
                    person_id: *id,
                    district: d.district.as_str().to_string(),
                    basis: RegistrationBasis::Residence,
                    registered_on,
                    caseworker_id: None,
                    facts: TierFacts {
                        key_groups: d.key_groups.clone(),
                        age: 30,
                        months_unemployed: whole_months(registered_on, today),
                        zero_employment_household: false,
                    },
                    services,
                    contacts: vec![
                        (registered_on, ContactMethod::Phone, ContactOutcome::NoAnswer),
                        (registered_on + Duration::days(span / 2), ContactMethod::Phone, ContactOutcome::Reached),
                    ],
                }
            })
            .collect();
        seen += batch.len();
        store.bulk_load_casework(&cases, rules, today, &who, now).await?;
        all.extend(ids);
    }
    Ok(all)
}

/// The same filters as the caseload page's query string.
fn page_filters() -> Vec<(&'static str, &'static str)> {
    vec![
        ("", "all"),
        ("&one31=overdue", "overdue"),
        ("&one31=due_soon", "due_soon"),
        ("&one31=complete", "complete"),
        ("&contact_overdue=true", "contact_overdue"),
        ("&tier=1", "tier1"),
        ("&category=graduate", "graduates"),
    ]
}

/// The caseload queries a district's staff run all day: first pages under each filter, and
/// five pages deep.
fn filters() -> Vec<(&'static str, CaseloadFilter)> {
    let d = Some("350203".to_string());
    let f = |one31, contact_overdue, tier: Option<&str>, category: Option<&str>| CaseloadFilter {
        district: d.clone(),
        caseworker: None,
        tier: tier.map(str::to_string),
        category: category.map(str::to_string),
        one31,
        contact_overdue,
        unreachable: false,
        name: None,
        contact_due_on: None,
    };
    vec![
        ("all", f(None, false, None, None)),
        ("overdue", f(Some(One31Status::Overdue), false, None, None)),
        ("due_soon", f(Some(One31Status::DueSoon), false, None, None)),
        ("complete", f(Some(One31Status::Complete), false, None, None)),
        ("contact_overdue", f(None, true, None, None)),
        ("tier1", f(None, false, Some("1"), None)),
        ("graduates", f(None, false, None, Some("graduate"))),
    ]
}

async fn measure(
    name: &str,
    state: &AppState,
    persons: &[Uuid],
    args: &CaseworkArgs,
    today: NaiveDate,
) -> anyhow::Result<Measured> {
    let rules = state.casework();
    let mut caseload = Vec::new();
    for _ in 0..args.reps {
        for (_, f) in filters() {
            let t = Instant::now();
            let mut page = state.store.caseload(&f, &rules, today, PageRequest::new(None, Some(20))).await?;
            caseload.push(t.elapsed().as_secs_f64() * 1e3);
            // Deep paging on the unfiltered list.
            if f.one31.is_none() && f.tier.is_none() && f.category.is_none() && !f.contact_overdue {
                for _ in 0..4 {
                    let Some(c) = page.next_cursor.as_deref().and_then(Cursor::parse) else { break };
                    let t = Instant::now();
                    page = state.store.caseload(&f, &rules, today, PageRequest::new(Some(c), Some(20))).await?;
                    caseload.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
        }
    }
    // The caseload page's path: each order, with the total, first and fifth page.
    let mut sorted = Vec::new();
    for _ in 0..args.reps {
        for (_, f) in filters() {
            for sort in jiuye_store::CaseloadSort::ALL {
                for offset in [0, 80] {
                    let t = Instant::now();
                    let (rows, total) = state.store.caseload_sorted(&f, &rules, today, sort, offset, 20).await?;
                    sorted.push(t.elapsed().as_secs_f64() * 1e3);
                    anyhow::ensure!(rows.len() as u64 <= total.total, "more rows than the total");
                }
            }
        }
    }
    sorted.sort_by(f64::total_cmp);
    println!(
        "  {name:<8} caseload page (sorted, with total) p50 {:>7.2} ms p99 {:>7.2} ms ({} queries)",
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.99),
        sorted.len()
    );
    // The baseline: the same pages with the "131" state aggregated from the ledger per request;
    // each page must hold the very registrations the stored columns give.
    use jiuye_store::baseline_casework::LedgerFilter;
    let mut baseline = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..args.baseline_reps {
        for (filter, one31) in [
            (LedgerFilter::All, None),
            (LedgerFilter::Overdue, Some(One31Status::Overdue)),
            (LedgerFilter::Complete, Some(One31Status::Complete)),
        ] {
            let f = CaseloadFilter { one31, ..filters()[0].1.clone() };
            for offset in [0, 80] {
                let t = Instant::now();
                let (ids, total) = state.store.caseload_by_ledger("350203", filter, &rules, today, offset, 20).await?;
                baseline.push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                let (rows, counted) = state
                    .store
                    .caseload_sorted(&f, &rules, today, jiuye_store::CaseloadSort::Newest, offset, 20)
                    .await?;
                ours.push(t.elapsed().as_secs_f64() * 1e3);
                let same: Vec<Uuid> = rows.iter().map(|r| r.registration.id).collect();
                anyhow::ensure!(same == ids, "{filter:?} at {offset}: the ledger and the stored columns disagree");
                anyhow::ensure!(
                    counted.total == total.min(jiuye_store::COUNT_CAP)
                        && counted.more == (total > jiuye_store::COUNT_CAP),
                    "{filter:?}: total {total} against {counted:?}"
                );
            }
        }
    }
    let sorted_p99 = percentile(&sorted, 0.99);
    // Against the same pages served from the stored columns.
    let baseline_p99 = if baseline.is_empty() {
        None
    } else {
        Some((percentile_of(&mut baseline, 0.99), percentile_of(&mut ours, 0.99)))
    };
    if !baseline.is_empty() {
        baseline.sort_by(f64::total_cmp);
        ours.sort_by(f64::total_cmp);
        println!(
            "  {name:<8} baseline (ledger aggregated per request) p50 {:>8.2} ms p99 {:>8.2} ms | the same pages from the stored columns p50 {:>6.2} ms p99 {:>6.2} ms ({} queries each, equal pages)",
            percentile(&baseline, 0.5),
            percentile(&baseline, 0.99),
            percentile(&ours, 0.5),
            percentile(&ours, 0.99),
            baseline.len()
        );
    }
    let mut person = Vec::new();
    let step = (persons.len() / args.persons.max(1)).max(1);
    for id in persons.iter().step_by(step).take(args.persons) {
        let t = Instant::now();
        let p =
            jiuye_web::casework::picture(state, *id).await.map_err(|e| anyhow::anyhow!("{}", e.body().message_en))?;
        person.push(t.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(p.active.is_some(), "a generated person has no active registration");
    }
    // The path users get: the staff caseload page and the person page, served over HTTP to a
    // signed-in city administrator (rendering and all), each filter in each order, pages 1 and 5.
    let served = crate::bench_http::serve(state).await?;
    let mut paths = Vec::new();
    for _ in 0..args.reps {
        for (query, _) in page_filters() {
            for sort in jiuye_store::CaseloadSort::ALL {
                for page in [1, 5] {
                    paths.push(format!("/staff/caseload?district=350203&sort={}&page={page}{query}", sort.as_str()));
                }
            }
        }
    }
    let http_pages = crate::bench_http::latencies(&served, &paths).await?;
    let person_paths: Vec<String> =
        persons.iter().step_by(step).take(args.persons).map(|id| format!("/staff/persons/{id}")).collect();
    let http_persons = crate::bench_http::latencies(&served, &person_paths).await?;
    println!(
        "  {name:<8} served over HTTP: caseload page p50 {:>7.2} ms p99 {:>7.2} ms ({} pages) | person page p50 {:>7.2} ms p99 {:>7.2} ms ({} pages)",
        percentile(&http_pages, 0.5),
        percentile(&http_pages, 0.99),
        http_pages.len(),
        percentile(&http_persons, 0.5),
        percentile(&http_persons, 0.99),
        http_persons.len()
    );
    caseload.sort_by(f64::total_cmp);
    person.sort_by(f64::total_cmp);
    let (c50, c99, p50, p99) =
        (percentile(&caseload, 0.5), percentile(&caseload, 0.99), percentile(&person, 0.5), percentile(&person, 0.99));
    println!(
        "  {name:<8} caseload p50 {c50:>7.2} ms p99 {c99:>7.2} ms ({} queries) | person page p50 {p50:>7.2} ms p99 {p99:>7.2} ms ({} pages)",
        caseload.len(),
        person.len()
    );
    Ok(Measured {
        caseload_p99: c99,
        person_p99: p99,
        sorted_p99,
        baseline_p99,
        http_p99: (percentile(&http_pages, 0.99), percentile(&http_persons, 0.99)),
    })
}

/// One backend's figures.
struct Measured {
    caseload_p99: f64,
    person_p99: f64,
    /// The caseload page's own path: sorted, with its (capped) total.
    sorted_p99: f64,
    /// The ledger aggregated per request, and the same pages from the stored columns, p99.
    baseline_p99: Option<(f64, f64)>,
    /// The caseload page and the person page served over HTTP, p99.
    http_p99: (f64, f64),
}

fn percentile_of(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(v, q)
}

pub async fn casework(args: CaseworkArgs, data: PathBuf, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let today = clock.today();
    let rules = CaseworkRules::default_rules().map_err(|e| anyhow::anyhow!(e))?;
    println!(
        "bench casework: {} registered, {} ledger rows, district 350203, {} reps × {} caseload queries, {} person pages",
        args.registered,
        args.ledger,
        args.reps,
        filters().len(),
        args.persons
    );
    std::fs::create_dir_all(&data)?;
    let file = data.join("bench-casework.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(PathBuf::from(format!("{}{suffix}", file.display())));
    }
    let mut backends = Vec::new();
    if !args.no_sqlite {
        backends.push(("sqlite", Store::connect(&format!("sqlite://{}?mode=rwc", file.display())).await?));
    }
    if !args.pg_url.trim().is_empty() {
        let pg = jiuye_store::testing::fresh_postgres_at(&args.pg_url)
            .await
            .map_err(|e| anyhow::anyhow!("PostgreSQL at the bench URL: {e}"))?;
        backends.push(("postgres", pg));
    }
    let mut worst = (0.0f64, 0.0f64);
    let mut parts = Vec::new();
    for (name, store) in backends {
        store.migrate().await?;
        let t = Instant::now();
        let persons = load(&store, &args, today, &rules).await?;
        store.settle_after_bulk_load().await?;
        let services = store.count_services().await?;
        println!(
            "  {name:<8} loaded {} registrations and {services} ledger rows in {:.1} s",
            persons.len(),
            t.elapsed().as_secs_f64()
        );
        let index = Arc::new(jiuye_search::SearchIndex::in_memory()?);
        let state = AppState::new(store, jiuye_store::IdVault::new(&[9u8; 32])?, index, clock.clone(), false)
            .with_casework(1, rules.clone());
        let m = measure(name, &state, &persons, &args, today).await?;
        let (c99, p99) = (m.caseload_p99.max(m.sorted_p99).max(m.http_p99.0), m.person_p99.max(m.http_p99.1));
        parts.push(format!(
            "{name}_caseload_p99_ms={c99:.2} {name}_person_p99_ms={p99:.2} {name}_http_caseload_page_p99_ms={:.2} {name}_http_person_page_p99_ms={:.2}",
            m.http_p99.0, m.http_p99.1
        ));
        if let Some((b, same)) = m.baseline_p99 {
            parts.push(format!(
                "{name}_baseline_caseload_p99_ms={b:.2} {name}_baseline_ratio={:.0}",
                b / same.max(1e-3)
            ));
        }
        worst = (worst.0.max(c99), worst.1.max(p99));
    }
    println!(
        "bench=casework registered={} ledger={} caseload_p99_ms={:.2} person_p99_ms={:.2} {}",
        args.registered,
        args.ledger,
        worst.0,
        worst.1,
        parts.join(" ")
    );
    Ok(())
}
