//! `jiuye policy …`: the catalogue from the command line — check, list, show, eval.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde_json::json;

use jiuye_policy::{Catalogue, Policy, evaluate, facts_from_json};

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Check the catalogue; every problem with file, line and reason.
    Check(Source),
    /// The policies in force (latest version of each).
    List {
        #[command(flatten)]
        source: Source,
        #[arg(long)]
        json: bool,
    },
    /// One policy: criteria, parameters, the facts it needs with their types.
    Show {
        id: String,
        #[command(flatten)]
        source: Source,
        #[arg(long)]
        json: bool,
    },
    /// Decide a claim: `--facts FILE.json` (an object of fact → value), as of `--date`.
    Eval(EvalArgs),
    /// What a changed parameter would mean: every claim on file under the policy decided again
    /// with `--set NAME=VALUE` (fen or ‰), before the change is published.
    Simulate(SimulateArgs),
}

#[derive(Args)]
pub struct SimulateArgs {
    #[arg(long)]
    pub policy: String,
    /// NAME=VALUE, repeatable; the new value applies from the policy's first day.
    #[arg(long = "set", value_parser = parse_set)]
    pub set: Vec<(String, i64)>,
    #[command(flatten)]
    pub source: Source,
}

fn parse_set(s: &str) -> Result<(String, i64), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("{s:?}: expected NAME=VALUE"))?;
    let v: i64 = v.trim().parse().map_err(|_| format!("{s:?}: the value must be a whole number (fen or ‰)"))?;
    Ok((k.trim().to_string(), v))
}

#[derive(Args, Clone, Default)]
pub struct Source {
    /// A policies folder to use instead of the catalogue built into the binary.
    #[arg(long)]
    policies: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalArgs {
    #[arg(long)]
    policy: String,
    #[arg(long)]
    facts: PathBuf,
    #[arg(long)]
    date: Option<NaiveDate>,
    #[command(flatten)]
    source: Source,
}

/// The catalogue from a folder, or the embedded one; a broken one is an error listing every problem.
pub fn load(source: &Source) -> anyhow::Result<Catalogue> {
    let result = match &source.policies {
        None => Catalogue::builtin(),
        Some(dir) => {
            let facts = std::fs::read_to_string(dir.join("facts.toml"))?;
            let mut files = Vec::new();
            for e in std::fs::read_dir(dir)? {
                let p = e?.path();
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                if p.extension().is_some_and(|x| x == "toml") && name != "facts.toml" {
                    files.push((name, std::fs::read_to_string(&p)?));
                }
            }
            files.sort();
            let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
            Catalogue::load(&facts, &refs)
        }
    };
    result.map_err(|errors| {
        anyhow::anyhow!(
            "the policy catalogue does not check ({} problems):\n{}",
            errors.len(),
            errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
        )
    })
}

fn describe(p: &Policy, cat: &Catalogue) -> serde_json::Value {
    let facts: Vec<serde_json::Value> = p
        .facts_needed()
        .iter()
        .map(|f| match cat.facts.get(f) {
            Some(d) => json!({ "name": f, "type": d.ty, "zh": d.zh, "en": d.en }),
            None => json!({ "name": f }),
        })
        .collect();
    json!({
        "id": p.id,
        "version": p.version,
        "title": p.title,
        "claimant": p.claimant,
        "effective_from": p.effective_from,
        "effective_to": p.effective_to,
        "legal_source": p.legal_source,
        "budget_line": p.budget_line,
        "group": p.group,
        "period": p.period,
        "evidence": p.evidence,
        "note": p.note,
        "criteria": p.criteria,
        "amount": p.amount,
        "caps": { "per_period": p.cap_per_period, "lifetime": p.cap_lifetime },
        "parameters": p.parameters,
        "facts": facts,
    })
}

/// Run a changed parameter over the population the screening would see (person policies),
/// from the records, with what was already paid.
pub async fn simulate_population(
    args: &SimulateArgs,
    store: &jiuye_store::Store,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Result<jiuye_policy::PopulationSimulation, String>> {
    let cat = load(&args.source)?;
    let rules = jiuye_core::casework_rules::RulesInForce::default();
    let four_eyes = jiuye_core::FourEyes::default();
    let gig_pool = jiuye_core::gig::GigPool::default();
    let core = jiuye_core::Core { store, policies: &cat, casework: &rules, four_eyes: &four_eyes, gig_pool: &gig_pool };
    let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), now);
    Ok(match core.simulate_population(&ctx, &args.policy, &args.set).await {
        Ok(s) => Ok(s),
        Err(jiuye_core::CoreError::Refused(e)) => Err(e.message_en()),
        Err(e) => anyhow::bail!("simulating over the population: {e}"),
    })
}

/// Decide every claim on file under the policy with the published parameters and with the
/// changed ones; report claimants and money before and after.
pub async fn simulate(args: &SimulateArgs, store: &jiuye_store::Store) -> anyhow::Result<jiuye_policy::Simulation> {
    let cat = load(&args.source)?;
    let mut on_file = Vec::new();
    for c in store.claims_of_policy(&args.policy).await? {
        let date = c.decided_for();
        if let Ok(facts) = facts_from_json(&cat.facts, &c.facts) {
            on_file.push(jiuye_policy::OnFile { facts, date, policy_version: c.policy_version.clone() });
        }
    }
    jiuye_policy::simulate(&cat, &args.policy, &args.set, &on_file).map_err(|e| anyhow::anyhow!(e))
}

pub fn run(cmd: PolicyCommand, today: NaiveDate) -> anyhow::Result<()> {
    match cmd {
        PolicyCommand::Check(source) => {
            let cat = load(&source)?;
            let confirm: usize =
                cat.policies.iter().map(|p| p.parameters.values().filter(|x| x.to_confirm).count()).sum();
            println!(
                "policy catalogue checks: {} policy versions, {} facts, {confirm} parameters marked to_confirm",
                cat.policies.len(),
                cat.facts.len()
            );
            Ok(())
        }
        PolicyCommand::List { source, json } => {
            let cat = load(&source)?;
            let latest = cat.latest();
            if json {
                let items: Vec<_> = latest
                    .iter()
                    .map(|p| {
                        json!({ "id": p.id, "version": p.version, "title": p.title, "claimant": p.claimant,
                                "budget_line": p.budget_line, "effective_from": p.effective_from,
                                "effective_to": p.effective_to, "legal_source": p.legal_source })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                for p in latest {
                    println!("{:<36} {:<8} {:<12} {}", p.id, p.version, p.claimant.as_str(), p.title.zh);
                }
            }
            Ok(())
        }
        PolicyCommand::Show { id, source, json } => {
            let cat = load(&source)?;
            let p = cat
                .policy(&id, today)
                .or_else(|| cat.latest().into_iter().find(|p| p.id == id))
                .ok_or_else(|| anyhow::anyhow!("no policy {id:?}"))?;
            let d = describe(p, &cat);
            if json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                println!("{} {} — {} / {}", p.id, p.version, p.title.zh, p.title.en);
                println!("{}", p.legal_source);
                for c in &p.criteria {
                    println!("  · {} ({} {:?} {:?})", c.reason.zh, c.fact, c.op, c.operand);
                }
                println!("facts: {}", p.facts_needed().join(", "));
            }
            Ok(())
        }
        PolicyCommand::Simulate(_) => {
            anyhow::bail!("simulate needs the database: run it through `jiuye policy simulate`")
        }
        PolicyCommand::Eval(a) => {
            let cat = load(&a.source)?;
            let date = a.date.unwrap_or(today);
            let p = cat
                .policy(&a.policy, date)
                .or_else(|| cat.latest().into_iter().find(|p| p.id == a.policy))
                .ok_or_else(|| anyhow::anyhow!("no policy {:?}", a.policy))?;
            let text = std::fs::read_to_string(Path::new(&a.facts))?;
            let json: serde_json::Value = serde_json::from_str(&text)?;
            let facts = facts_from_json(&cat.facts, &json)
                .map_err(|e| anyhow::anyhow!("the facts do not fit the catalogue:\n  {}", e.join("\n  ")))?;
            let d = evaluate(p, &facts, date);
            let out = json!({
                "outcome": d.outcome.as_str(),
                "amount_fen": d.amount_fen,
                "reasons": d.reasons,
                "missing": d.missing,
                "trace": d.trace,
                "policy_version": d.policy_version,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
    }
}
