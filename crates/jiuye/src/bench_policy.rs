//! `jiuye bench policy`: one person against every policy with full explanation, screening many
//! persons (compute, and reading them from the store, reported apart), and the same per-person
//! calculation for a comparable rule in OpenFisca (country template) in the same run.

use std::sync::Arc;
use std::time::Instant;

use clap::Args;

use jiuye_policy::{Catalogue, Claimant, Facts, Outcome, Value, evaluate, evaluate_quiet};
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::{AuditEntry, PageRequest, PersonFilter, Store};
use jiuye_web::Clock;

use crate::bench::percentile;

#[derive(Args)]
pub struct PolicyArgs {
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Persons stored in SQLite and read back, to time the load apart from the compute.
    #[arg(long, default_value_t = 100_000)]
    stored: usize,
}

const CERTS: [&str; 4] = ["special_ability", "vocational_qualification", "skill_level", "training_completion"];
const LEVELS: [&str; 6] = ["five", "four", "three", "two", "one", "none"];

/// The facts a person's claims would state, from a generated person and their index.
fn facts(age: i64, key_groups: Vec<String>, i: usize) -> Facts {
    let mut f = Facts::new();
    f.insert("age".into(), Value::Int(age));
    f.insert("key_groups".into(), Value::Set(key_groups));
    f.insert("certificate_kind".into(), Value::Text(CERTS[i % 4].into()));
    f.insert("certificate_level".into(), Value::Text(LEVELS[i % 6].into()));
    f.insert("training_passed".into(), Value::Bool(!i.is_multiple_of(3)));
    f.insert("flexible_employment_insured".into(), Value::Bool(i.is_multiple_of(2)));
    f.insert("social_insurance_paid_fen".into(), Value::Int(((i % 50) as i64) * 10_000));
    f.insert("yilubao_premium_fen".into(), Value::Int(((i % 7) as i64) * 5_000));
    f.insert("training_cost_fen".into(), Value::Int(((i % 30) as i64) * 10_000));
    f.insert("paid_in_period_fen".into(), Value::Int(0));
    f.insert("paid_lifetime_fen".into(), Value::Int(0));
    f
}

pub async fn policy(args: PolicyArgs, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let cat = Catalogue::builtin().map_err(|e| anyhow::anyhow!("catalogue: {} problems", e.len()))?;
    // The plan runs 2023–2025: decide as of a day every policy is in force.
    let on = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or(clock.today());
    let all: Vec<&jiuye_policy::Policy> = cat.policies.iter().filter(|p| p.in_force(on)).collect();
    let person_policies: Vec<&jiuye_policy::Policy> =
        all.iter().copied().filter(|p| p.claimant == Claimant::Person).collect();
    println!(
        "bench policy: {} persons, {} policies in force ({} for persons), as of {on}",
        args.persons,
        all.len(),
        person_policies.len()
    );
    let t = Instant::now();
    let mut g =
        Generator::new(SimConfig { seed: 11, persons: args.persons, employers: 0, vacancies: 0, today: clock.today() });
    let mut people: Vec<Facts> = Vec::with_capacity(args.persons);
    while let Some(batch) = g.next_persons(10_000) {
        for d in batch {
            let i = people.len();
            let age = i64::from(jiuye_domain::time::age_on(d.birth_date, on));
            people.push(facts(age, d.key_groups.iter().map(|k| k.id().to_string()).collect(), i));
        }
    }
    println!("generated the facts of {} persons in {:.1} s", people.len(), t.elapsed().as_secs_f64());

    // 1. One person × every policy in force, with every reason and the trace.
    let mut per_person = Vec::new();
    for f in people.iter().step_by((people.len() / 2000).max(1)) {
        let t = Instant::now();
        for p in &all {
            std::hint::black_box(evaluate(p, f, on));
        }
        per_person.push(t.elapsed().as_secs_f64() * 1e6);
    }
    per_person.sort_by(f64::total_cmp);
    let (p50, p99) = (percentile(&per_person, 0.5), percentile(&per_person, 0.99));
    println!("one person × {} policies, explained: p50 {p50:.1} µs, p99 {p99:.1} µs", all.len());

    // 2. Screening: every person against every person policy, outcome and amount only, on all cores.
    let t = Instant::now();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let chunk = people.len().div_ceil(threads).max(1);
    let counts: Vec<(usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = people
            .chunks(chunk)
            .map(|part| {
                let pols = &person_policies;
                s.spawn(move || {
                    let (mut eligible, mut undetermined) = (0, 0);
                    for f in part {
                        for p in pols {
                            match evaluate_quiet(p, f, on).outcome {
                                Outcome::Eligible => eligible += 1,
                                Outcome::Undetermined => undetermined += 1,
                                Outcome::Ineligible => {}
                            }
                        }
                    }
                    (eligible, undetermined)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let screen_s = t.elapsed().as_secs_f64();
    let (eligible, undetermined) = counts.iter().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "screening {} persons × {} policies on {threads} threads: {screen_s:.2} s compute ({eligible} eligible, {undetermined} undetermined)",
        people.len(),
        person_policies.len()
    );

    // 3. Reading persons from the store, apart from the compute.
    let stored = args.stored.min(args.persons);
    let dir = std::env::temp_dir().join(format!("jiuye-bench-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("p.db").display())).await?;
    store.migrate().await?;
    let vault = jiuye_store::IdVault::new(&[5u8; 32])?;
    let mut g =
        Generator::new(SimConfig { seed: 11, persons: stored, employers: 0, vacancies: 0, today: clock.today() });
    while let Some(batch) = g.next_persons(10_000) {
        store.bulk_insert_persons(&batch, &vault, &AuditEntry::system(), clock.now()).await?;
    }
    let t = Instant::now();
    let mut read = 0usize;
    let mut after = None;
    loop {
        let page = store.list_persons(&PersonFilter::default(), PageRequest::new(after, Some(100))).await?;
        read += page.items.len();
        match page.next_cursor.as_deref().and_then(jiuye_store::Cursor::parse) {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    let load_s = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "reading {read} persons from SQLite in pages of 100: {load_s:.1} s ({:.1} µs a person)",
        load_s * 1e6 / read.max(1) as f64
    );

    // 4. A comparable rule, one person at a time with the explanation, here and in OpenFisca.
    let rule = cat.policy("skills_certificate", on).ok_or_else(|| anyhow::anyhow!("no skills_certificate"))?;
    let mut ours = Vec::new();
    for f in people.iter().take(2000) {
        let t = Instant::now();
        std::hint::black_box(evaluate(rule, f, on));
        ours.push(t.elapsed().as_secs_f64() * 1e6);
    }
    ours.sort_by(f64::total_cmp);
    let ours_one = ours.iter().sum::<f64>() / ours.len().max(1) as f64;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/openfisca_compare.py");
    let of = std::process::Command::new("python3").arg(&script).args(["30000", "200"]).output();
    let openfisca = of.ok().filter(|o| o.status.success()).and_then(|o| {
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        print!("openfisca (country template, basic_income): {text}");
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix("single_traced_per_person_us="))
            .and_then(|v| v.parse::<f64>().ok())
    });
    let ratio = match openfisca {
        Some(us) => {
            println!("one comparable rule, one person, explained: ours {ours_one:.2} µs, OpenFisca {us:.1} µs");
            format!("{:.0}", us / ours_one.max(1e-9))
        }
        None => {
            println!("OpenFisca not available (pip install openfisca-core openfisca-country-template): no ratio");
            "n/a".into()
        }
    };
    println!(
        "bench=policy persons={} per_person_us={p99:.1} screen_s={screen_s:.2} openfisca_ratio={ratio}",
        args.persons
    );
    Ok(())
}
