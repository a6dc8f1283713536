//! The binary from the outside: the commands a newcomer runs, and the architecture rules
//! that keep the engines pure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn jiuye(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jiuye"))
        .args(args)
        .env("JIUYE_DATA", data)
        .env_remove("JIUYE_DATABASE_URL")
        .env_remove("JIUYE_SECRET_KEY")
        .output()
        .expect("run jiuye")
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn migrate_demo_and_admin_create_on_sqlite() {
    let data = temp_dir("cli");
    let out = jiuye(&data, &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sqlite"));
    assert!(data.join("jiuye.db").exists(), "no database in the data folder");

    let out = jiuye(&data, &["demo", "--persons", "300", "--employers", "30", "--vacancies", "90"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The key is generated on first use, private to its owner.
    let key = data.join("secret.key");
    let meta = std::fs::metadata(&key).expect("secret.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let first_key = std::fs::read_to_string(&key).unwrap();
    assert_eq!(first_key.trim().len(), 64);
    for role in ["city_admin", "district_admin", "caseworker", "provider", "employer", "seeker"] {
        assert!(stdout.contains(role), "no {role} login printed:\n{stdout}");
    }
    assert!(stdout.contains("300 persons"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&key).unwrap(), first_key, "the key changed");
    // Demo data goes only into an empty database.
    let out = jiuye(&data, &["demo", "--persons", "10"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));

    let out = jiuye(
        &data,
        &["admin", "create", "--username", "ops.lead", "--role", "city_admin", "--password", "a-strong-pass"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = jiuye(
        &data,
        &["admin", "create", "--username", "ops.lead", "--role", "city_admin", "--password", "a-strong-pass"],
    );
    assert!(!out.status.success(), "a duplicate username was accepted");
    assert!(String::from_utf8_lossy(&out.stderr).contains("conflict.login"));
    let out = jiuye(&data, &["admin", "create", "--username", "cw", "--role", "caseworker", "--password", "12345678"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("account."), "{err}");
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let data = temp_dir("badurl");
    let out = Command::new(env!("CARGO_BIN_EXE_jiuye"))
        .args(["migrate", "--database-url", "postgres://nobody:secret-pw@127.0.0.1:1/none"])
        .env("JIUYE_DATA", &data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("connecting to the postgres database"), "{err}");
    assert!(!err.contains("secret-pw"), "the password leaked: {err}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Engines never import the web, SQL or runtime crates (ARCHITECTURE.md, invariant 1).
#[test]
fn engines_stay_pure() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let banned = ["axum", "askama", "sqlx", "sea-orm", "tokio", "tower", "reqwest", "utoipa"];
    let mut checked = 0;
    for engine in ["jiuye-domain", "jiuye-policy", "jiuye-match", "jiuye-search", "jiuye-sim", "jiuye-oversight"] {
        let Ok(manifest) = std::fs::read_to_string(crates.join(engine).join("Cargo.toml")) else { continue };
        checked += 1;
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
        for line in deps.lines() {
            let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
            assert!(!banned.contains(&name), "{engine} depends on {name}");
        }
    }
    assert!(checked >= 2, "no engine manifests found");
    // The service layer speaks neither HTTP nor SQL.
    let manifest = std::fs::read_to_string(crates.join("jiuye-core").join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
    for line in deps.lines() {
        let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
        assert!(!banned.contains(&name), "jiuye-core depends on {name}");
    }
    // Only the store speaks SQL.
    for krate in ["jiuye-web", "jiuye", "jiuye-domain", "jiuye-sim"] {
        let manifest = std::fs::read_to_string(crates.join(krate).join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
        assert!(!deps.lines().any(|l| l.starts_with("sea-orm") || l.starts_with("sqlx")), "{krate} speaks SQL");
    }
}

/// The benchmark harnesses run end to end on small data and print their last line.
#[test]
fn bench_harnesses_print_their_summary_line() {
    let data = temp_dir("bench");
    let out = jiuye(&data, &["bench", "match", "--vacancies", "600", "--seekers", "300"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("bench=match vacancies=600 seekers=300 top10_p99_ms="), "{last}");
    for key in ["batch_s=", "recall_at_10=", "ndcg_at_10=", "exposure_gini="] {
        assert!(last.contains(key), "{key} missing: {last}");
    }
    let out = jiuye(
        &data,
        &[
            "bench",
            "casework",
            "--registered",
            "300",
            "--ledger",
            "3000",
            "--reps",
            "2",
            "--persons",
            "10",
            "--pg-url",
            "",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("bench=casework registered=300 ledger=3000 caseload_p99_ms="), "{last}");
    assert!(
        last.contains("sqlite_http_caseload_page_p99_ms=") && last.contains("sqlite_http_person_page_p99_ms="),
        "{last}"
    );
    assert!(last.contains("person_p99_ms=") && last.contains("sqlite_caseload_p99_ms="), "{last}");
    let out = jiuye(&data, &["bench", "policy", "--persons", "2000", "--stored", "300"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("bench=policy persons=2000 per_person_us="), "{last}");
    assert!(last.contains("screen_s=") && last.contains("openfisca_ratio="), "{last}");
    let out = jiuye(
        &data,
        &[
            "bench",
            "oversight",
            "--persons",
            "300",
            "--ledger",
            "1500",
            "--vacancies",
            "200",
            "--requests",
            "3",
            "--pg-url",
            "",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("bench=oversight persons=300 ledger=1500 vacancies=200 dashboard_p99_ms="), "{last}");
    for key in ["baseline_ratio=", "matrix_s=", "snapshot_mb_s=", "feed_p95_ms="] {
        assert!(last.contains(key), "{key} missing: {last}");
    }
    let out = jiuye(&data, &["bench", "relevance"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("bench=relevance queries="), "{last}");
    for key in ["p_at_10=", "ndcg_at_10=", "zero_results=", "baseline_p_at_10="] {
        assert!(last.contains(key), "{key} missing: {last}");
    }
    let pg = std::env::var("JIUYE_TEST_DATABASE_URL").unwrap_or_default();
    let out = jiuye(
        &data,
        &[
            "bench",
            "gig",
            "--workers",
            "2000",
            "--gigs",
            "50",
            "--boards",
            "5",
            "--posts",
            "2",
            "--cases",
            "3000",
            "--sql",
            "20",
            "--pg-url",
            &pg,
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("bench=gig workers=2000 match_p99_ms="), "{last}");
    for key in ["matches_per_s=", "baseline_ratio=", "board_p95_ms=", "sweep_s=0.", "caselist_p95_ms=", "sql_p99_ms="] {
        assert!(last.contains(key), "{key} missing: {last}");
    }
    // The search harness needs PostgreSQL for its baseline: run it where the tests have one.
    if let Ok(url) = std::env::var("JIUYE_TEST_DATABASE_URL")
        && !url.is_empty()
    {
        let out = Command::new(env!("CARGO_BIN_EXE_jiuye"))
            .args(["bench", "search", "--vacancies", "400", "--reps", "2", "--http-seconds", "1", "--pg-url", &url])
            .env("JIUYE_DATA", &data)
            .output()
            .expect("run bench search");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&out.stderr));
        let last = stdout.lines().last().unwrap_or_default();
        assert!(last.starts_with("bench=search vacancies=400 p50_ms="), "{last}");
        for key in ["p99_ms=", "http_rps=", "pg_ratio=", "fts5_ratio=", "rss_mb="] {
            assert!(last.contains(key), "{key} missing: {last}");
        }
        // The bench brings its own HTTP client: the throughput is measured, never skipped.
        let rps: f64 = last
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("http_rps="))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("http_rps is not a number: {last}"));
        assert!(rps > 0.0, "{last}");
        // Three instances of this binary on one PostgreSQL database: nothing written is missed.
        let out = Command::new(env!("CARGO_BIN_EXE_jiuye"))
            .args([
                "bench",
                "cluster",
                "--writes",
                "20",
                "--rate",
                "20",
                "--probe-every",
                "2",
                "--catchup-changes",
                "300",
                "--chaos-writes",
                "15",
                "--load-seconds",
                "2",
                "--load-rps",
                "30",
                "--pg-url",
                &url,
            ])
            .env("JIUYE_DATA", &data)
            .output()
            .expect("run bench cluster");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&out.stderr));
        let last = stdout.lines().last().unwrap_or_default();
        assert!(last.starts_with("bench=cluster instances=3 visible_p95_ms="), "{last}");
        assert!(last.contains(" chaos_missed=0 ") && last.ends_with(" errors=0"), "{last}");
    }
    let _ = std::fs::remove_dir_all(&data);
}

/// `batch recommend` pushes three jobs to each person due, into the ledger, once per day.
#[test]
fn batch_recommend_pushes_once_per_day() {
    let data = temp_dir("batch");
    let out = jiuye(&data, &["demo", "--persons", "400", "--employers", "40", "--vacancies", "200"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("registered unemployed"), "{stdout}");
    // Today (the demo's history runs up to today, and nothing is recorded in the future).
    let run = || {
        let out = jiuye(&data, &["batch", "recommend"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
        let field = |k: &str| -> usize {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no {k} in {line}"))
        };
        (field("due"), field("given"), field("services"))
    };
    let (due, given, services) = run();
    assert!(due > 0 && given > 0, "nobody was due: due={due} given={given}");
    assert!(services <= 3 * given && services >= given, "{services} services for {given} persons");
    // The same day again writes nothing, and only those who got no job are still due.
    let (due_again, _, services_again) = run();
    assert_eq!(services_again, 0, "a second run on the same day wrote services");
    assert_eq!(due_again, due - given, "those given jobs today are not due again");
    let _ = std::fs::remove_dir_all(&data);
}

/// The policy commands: check, eval's JSON, a broken catalogue folder refused with file and line.
#[test]
fn policy_commands() {
    let data = temp_dir("policy");
    std::fs::create_dir_all(&data).unwrap();
    let out = jiuye(&data, &["policy", "check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("policy catalogue checks"));
    let facts = data.join("facts.json");
    std::fs::write(&facts, r#"{"certificate_kind": "skill_level", "certificate_level": "two"}"#).unwrap();
    let out = jiuye(
        &data,
        &[
            "policy",
            "eval",
            "--policy",
            "skills_certificate",
            "--facts",
            facts.to_str().unwrap(),
            "--date",
            "2024-05-01",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["outcome"], "eligible");
    assert_eq!(v["amount_fen"], 200000);
    for key in ["reasons", "missing", "trace", "policy_version"] {
        assert!(v.get(key).is_some(), "{key} missing in {v}");
    }
    std::fs::write(&facts, r#"{"certificate_kind": "diploma"}"#).unwrap();
    let out = jiuye(&data, &["policy", "eval", "--policy", "skills_certificate", "--facts", facts.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("certificate_kind"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A folder with one broken file: refused, naming file and line.
    let dir = data.join("policies");
    std::fs::create_dir_all(&dir).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    std::fs::copy(root.join("facts.toml"), dir.join("facts.toml")).unwrap();
    let good = std::fs::read_to_string(root.join("skills_certificate@2023.1.toml")).unwrap();
    std::fs::write(
        dir.join("skills_certificate@2023.1.toml"),
        good.replacen("fact = \"certificate_kind\"", "fact = \"shoe_size\"", 1),
    )
    .unwrap();
    let out = jiuye(&data, &["policy", "check", "--policies", dir.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("skills_certificate@2023.1.toml:") && err.contains("unknown fact \"shoe_size\""), "{err}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Screening finds the possibly eligible from the records and tells them once a day.
#[test]
fn batch_screen_notifies_once_per_day() {
    let data = temp_dir("screen");
    let out = jiuye(&data, &["demo", "--persons", "600", "--employers", "20", "--vacancies", "60"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The server holds the on-disk index (and its writer lock) while it serves; screening
    // runs beside it.
    let (_serving, _) = jiuye_search::SearchIndex::open_or_create(&data.join("index")).expect("index held by a server");
    let run = || {
        let out = jiuye(&data, &["batch", "screen", "--day", "2025-06-01"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
        let field = |k: &str| -> usize {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no {k} in {line}"))
        };
        (
            (
                field("persons"),
                field("undetermined"),
                field("notified"),
                field("employers"),
                field("employer_eligible"),
            ),
            field("unchanged"),
        )
    };
    let ((persons, undetermined, notified, employers, employer_eligible), unchanged) = run();
    assert_eq!(unchanged, 0, "the first run reads everyone");
    assert_eq!(persons, 600);
    // The demo employer's public-welfare employees (placed March 2025): each gives a post
    // subsidy and a social-insurance subsidy finding.
    assert_eq!(employers, 1, "the demo employer with public-welfare placements");
    assert!(employer_eligible >= 2 && employer_eligible % 2 == 0, "two subsidies per employee: {employer_eligible}");
    assert!(undetermined > 0, "no one possibly eligible among 600 generated persons");
    assert!(notified >= undetermined, "every finding is notified: {notified} < {undetermined}");
    let ((_, again, notified_again, _, _), unchanged) = run();
    assert_eq!(notified_again, 0, "the same day again sends nothing new");
    // The persons whose findings depend on age alone are compared inside the database and not
    // read again; those with key groups that matter or claims are decided again.
    assert!(unchanged > persons / 2 && again < undetermined, "unchanged {unchanged}, decided again {again}");
    // The next day, only what changed (a birthday across an age limit) is sent: a person is
    // told of a finding once, not every day.
    let out = jiuye(&data, &["batch", "screen", "--day", "2025-06-02"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let line = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    let next: usize = line
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("notified="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no notified in {line}"));
    // Employers' findings are still per day; persons' only when changed.
    assert!(next <= employer_eligible + notified / 50, "the next day repeated persons' findings: {next} of {notified}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Instances on one database must share the secret key: one started with another key refuses,
/// naming the problem, before it writes anything.
#[test]
fn an_instance_with_another_secret_key_refuses_to_start() {
    let data = temp_dir("key");
    let out = jiuye(&data, &["admin", "create", "--username", "first", "--password", "a-long-enough-password-1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let other = Command::new(env!("CARGO_BIN_EXE_jiuye"))
        .args(["admin", "create", "--username", "second", "--password", "a-long-enough-password-2"])
        .env("JIUYE_DATA", &data)
        .env_remove("JIUYE_DATABASE_URL")
        .env("JIUYE_SECRET_KEY", "11".repeat(32))
        .output()
        .expect("run jiuye");
    assert!(!other.status.success(), "another key must not start");
    let err = String::from_utf8_lossy(&other.stderr);
    assert!(err.contains("another secret key"), "{err}");
    // The same key as before still starts.
    let out = jiuye(&data, &["admin", "create", "--username", "third", "--password", "a-long-enough-password-3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&data);
}

/// The last line of a command's output without its timing ("… in 0.1 s").
fn what_it_did(out: &std::process::Output) -> String {
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    last.split(" in ").next().unwrap_or_default().to_string()
}

/// A backup restores into a fresh data folder: the same records, the same key (the restored
/// instance starts), and the search index rebuilt from the store.
#[test]
fn a_backup_restores_into_a_fresh_data_folder() {
    let data = temp_dir("backup-live");
    let out = jiuye(&data, &["demo", "--persons", "200", "--employers", "20", "--vacancies", "60"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let to = temp_dir("backup-copy");
    let out = jiuye(&data, &["backup", "--to", to.to_str().unwrap_or_default()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(to.join("jiuye.db").exists() && to.join("secret.key").exists(), "the database and its key");
    // Not over an existing data folder.
    let out = jiuye(&data, &["restore", "--from", to.to_str().unwrap_or_default()]);
    assert!(!out.status.success(), "a restore over live data is refused");
    let fresh = temp_dir("backup-restored");
    let out = jiuye(&fresh, &["restore", "--from", to.to_str().unwrap_or_default()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let indexed = |dir: &Path| -> String {
        let out = jiuye(dir, &["index", "rebuild"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        what_it_did(&out)
    };
    assert_eq!(indexed(&fresh), indexed(&data), "the restored store indexes the same open vacancies");
    for d in [data, to, fresh] {
        let _ = std::fs::remove_dir_all(&d);
    }
    // PostgreSQL: pg_dump and pg_restore, between two databases.
    let Ok(url) = std::env::var("JIUYE_TEST_DATABASE_URL") else { return };
    if url.trim().is_empty() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (live, empty) = rt.block_on(async {
        let live = jiuye_store::testing::empty_postgres_at(&url).await.expect("a database");
        let empty = jiuye_store::testing::empty_postgres_at(&url).await.expect("another");
        (live, empty)
    });
    let on = |db: &str, dir: &Path, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_jiuye"))
            .args(args)
            .env("JIUYE_DATA", dir)
            .env("JIUYE_DATABASE_URL", db)
            .env_remove("JIUYE_SECRET_KEY")
            .output()
            .expect("run jiuye");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        what_it_did(&out)
    };
    let (data, to, fresh) = (temp_dir("pg-live"), temp_dir("pg-copy"), temp_dir("pg-restored"));
    on(&live, &data, &["demo", "--persons", "200", "--employers", "20", "--vacancies", "60"]);
    on(&live, &data, &["backup", "--to", to.to_str().unwrap_or_default()]);
    on(&empty, &fresh, &["restore", "--from", to.to_str().unwrap_or_default()]);
    assert_eq!(on(&empty, &fresh, &["index", "rebuild"]), on(&live, &data, &["index", "rebuild"]), "postgresql");
    for d in [data, to, fresh] {
        let _ = std::fs::remove_dir_all(&d);
    }
}

#[test]
fn casework_rules_are_published_from_the_command_line() {
    let data = temp_dir("casework-rules");
    std::fs::create_dir_all(&data).unwrap();
    let rules =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../jiuye-domain/data/casework/rules.toml"))
            .unwrap();
    let file = data.join("revised.toml");
    std::fs::write(&file, rules.replacen("[[tier]]", "# revised\n[[tier]]", 1)).unwrap();
    let out = jiuye(&data, &["casework", "publish", "--file", file.to_str().unwrap(), "--note", "市局通知"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("version 2"), "{}", String::from_utf8_lossy(&out.stdout));
    // Rules that do not check are refused with the reason; nothing is published.
    std::fs::write(&file, "[[tier]]\ncode = 1\n").unwrap();
    let out = jiuye(&data, &["casework", "publish", "--file", file.to_str().unwrap(), "--note", "坏的"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not published"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = jiuye(&data, &["casework", "versions"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("in force: version 2") && !stdout.contains("version 3"), "{stdout}");
    // A rules file left in the data folder is no longer read: the server says how to publish it.
    std::fs::write(data.join("casework.toml"), &rules).unwrap();
    let out = jiuye(&data, &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("jiuye casework publish"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
