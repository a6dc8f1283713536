//! The catalogue as data: it loads; every policy has test cases and they pass; broken files are
//! refused with file, line and reason; no amount exceeds its caps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jiuye_policy::{Catalogue, Outcome, Value, evaluate, facts_from_toml};
use serde::Deserialize;

fn catalogue() -> Catalogue {
    match Catalogue::builtin() {
        Ok(c) => c,
        Err(errors) => panic!(
            "the catalogue does not load:\n{}",
            errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    policy: String,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    date: toml::value::Datetime,
    #[serde(default)]
    facts: toml::Table,
    outcome: String,
    amount_fen: Option<i64>,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
}

fn date(d: &toml::value::Datetime) -> NaiveDate {
    let d = d.date.expect("a date");
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)).expect("a valid date")
}

#[test]
fn every_policy_has_cases_and_they_pass() {
    let cat = catalogue();
    assert!(cat.policies.len() >= 18, "the plan's measures are in the catalogue: {}", cat.policies.len());
    let mut covered = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, text) in jiuye_policy::embedded::TESTS {
        let t: TestFile = toml::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        covered.insert(t.policy.clone());
        for c in &t.case {
            count += 1;
            let on = date(&c.date);
            // Outside every version's dates the latest version decides (and says "not in force").
            let policy = cat
                .policy(&t.policy, on)
                .or_else(|| cat.latest().into_iter().find(|p| p.id == t.policy))
                .unwrap_or_else(|| panic!("{file}: no policy {}", t.policy));
            let facts = facts_from_toml(&cat.facts, &c.facts).unwrap_or_else(|e| panic!("{file} / {}: {e:?}", c.name));
            let d = evaluate(policy, &facts, on);
            let at = format!("{file} / {}", c.name);
            // Screening's quiet path decides exactly as the explained one.
            let q = jiuye_policy::evaluate_quiet(policy, &facts, on);
            assert_eq!(
                (q.outcome, q.amount_fen, &q.missing),
                (d.outcome, d.amount_fen, &d.missing),
                "{at}: quiet path"
            );
            assert!(q.trace.is_empty() && q.reasons.iter().all(|r| r.source == policy.legal_source), "{at}");
            if d.outcome.as_str() != c.outcome {
                failures.push(format!(
                    "{at}: outcome {} (want {}); reasons {:?}; missing {:?}; trace {:?}",
                    d.outcome.as_str(),
                    c.outcome,
                    d.reasons.iter().map(|r| &r.zh).collect::<Vec<_>>(),
                    d.missing,
                    d.trace
                ));
                continue;
            }
            if let Some(want) = c.amount_fen
                && d.amount_fen != want
            {
                failures.push(format!("{at}: amount {} fen (want {want}); trace {:?}", d.amount_fen, d.trace));
            }
            for r in &c.reasons {
                if !d.reasons.iter().any(|x| x.zh.contains(r.as_str())) {
                    failures.push(format!(
                        "{at}: no reason containing {r:?} in {:?}",
                        d.reasons.iter().map(|r| &r.zh).collect::<Vec<_>>()
                    ));
                }
            }
            for m in &c.missing {
                if !d.missing.contains(m) {
                    failures.push(format!("{at}: {m} not listed missing ({:?})", d.missing));
                }
            }
            if d.outcome == Outcome::Ineligible {
                assert!(d.reasons.iter().all(|r| !r.source.is_empty()), "{at}: a reason without its source");
            }
        }
    }
    for p in cat.latest() {
        if !covered.contains(&p.id) {
            failures.push(format!("{}: no test file", p.id));
        }
    }
    assert!(failures.is_empty(), "{} of {count} cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// A valid policy to break in one place at a time.
const GOOD: &str = r#"
id = "sample"
version = "1"
title = { zh = "示例", en = "Sample" }
claimant = "person"
effective_from = 2023-01-01
effective_to = 2025-12-31
legal_source = "厦人社〔2023〕188号"
budget_line = "central"
period = "year"

[[criteria]]
fact = "age"
op = "between"
value = [16, 60]
reason = { zh = "年龄须在16至60岁之间", en = "Aged 16 to 60" }

[amount]
kind = "table"
fact = "service_volume"
rows = [{ min = 0, max = 99, param = "low" }, { min = 100, param = "high" }]

[parameters.low]
unit = "fen"
values = [{ from = 2023-01-01, value = 10000 }]

[parameters.high]
unit = "fen"
values = [{ from = 2023-01-01, value = 20000 }, { from = 2024-01-01, value = 25000 }]
"#;

#[test]
fn broken_files_are_refused_with_file_line_and_reason() {
    let facts = jiuye_policy::embedded::FACTS;
    assert!(Catalogue::load(facts, &[("sample@1.toml", GOOD)]).is_ok(), "the sample itself loads");
    // (replace this, with that, expect this in the reason, on this line)
    let cases: &[(&str, &str, &str, usize)] = &[
        ("fact = \"age\"", "fact = \"shoe_size\"", "unknown fact \"shoe_size\"", 13),
        ("value = [16, 60]", "value = [\"16\", 60]", "needs [low, high] integers", 13),
        ("value = [16, 60]", "value = [60, 16]", "lower end is above the upper", 13),
        ("{ min = 100, param = \"high\" }", "{ min = 90, param = \"high\" }", "overlaps another row", 21),
        (
            "values = [{ from = 2023-01-01, value = 10000 }]",
            "values = [{ from = 2023-06-01, value = 10000 }]",
            "a gap",
            23,
        ),
        ("{ from = 2024-01-01, value = 25000 }", "{ from = 2023-01-01, value = 25000 }", "strictly increase", 27),
        ("param = \"low\" }", "param = \"lo\" }", "\"lo\" is used but not defined", 21),
        ("op = \"between\"", "op = \"contains\"", "op Contains needs", 13),
        ("kind = \"table\"", "kind = \"sideways\"", "unknown variant `sideways`", 19),
        ("effective_to = 2025-12-31", "effective_to = 2022-12-31", "before effective_from", 7),
        ("period = \"year\"", "per_person = true\nperiod = \"year\"", "per_person is for employer", 10),
    ];
    for (from, to, want, line) in cases {
        assert!(GOOD.contains(from), "fixture {from:?}");
        let text = GOOD.replacen(from, to, 1);
        match Catalogue::load(facts, &[("sample@1.toml", &text)]) {
            Ok(_) => panic!("accepted: {to}"),
            Err(errors) => {
                let hit = errors.iter().find(|e| e.reason.contains(want));
                let Some(e) = hit else { panic!("{to}: no error mentioning {want:?} in {errors:?}") };
                assert_eq!(e.file, "sample@1.toml");
                assert_eq!(e.line, *line, "{to}: line of {e}");
            }
        }
    }
    // Two versions of one policy overlapping in time.
    let v2 = GOOD
        .replacen("version = \"1\"", "version = \"2\"", 1)
        .replacen("effective_from = 2023-01-01", "effective_from = 2025-01-01", 1)
        .replacen("effective_to = 2025-12-31", "effective_to = 2026-12-31", 1);
    let errors =
        Catalogue::load(facts, &[("sample@1.toml", GOOD), ("sample@2.toml", &v2)]).expect_err("overlap refused");
    assert!(errors.iter().any(|e| e.reason.contains("must not overlap")), "{errors:?}");
}

#[test]
fn parameters_follow_the_date() {
    let cat = Catalogue::load(jiuye_policy::embedded::FACTS, &[("sample@1.toml", GOOD)]).unwrap();
    let p = &cat.policies[0];
    let facts: BTreeMap<String, Value> =
        [("age".to_string(), Value::Int(30)), ("service_volume".to_string(), Value::Int(100))].into_iter().collect();
    let on = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let cases = [("2023-12-31", 20000), ("2024-01-01", 25000), ("2025-12-31", 25000)];
    for (d, want) in cases {
        assert_eq!(evaluate(p, &facts, on(d)).amount_fen, want, "{d}");
    }
    let out = evaluate(p, &facts, on("2026-01-01"));
    assert_eq!(out.outcome, Outcome::Ineligible);
    assert!(out.reasons[0].zh.contains("不在有效期"), "{:?}", out.reasons);
    // Every failed criterion is reported, not just the first.
    let mut bad = facts.clone();
    bad.insert("age".into(), Value::Int(70));
    let out = evaluate(p, &bad, on("2024-05-01"));
    assert_eq!((out.outcome, out.reasons.len()), (Outcome::Ineligible, 1));
}

mod caps {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the facts and what was paid before, no decision pays more than what is left
        /// under its caps, and never a negative amount.
        #[test]
        fn no_amount_exceeds_its_caps(paid in 0i64..20_000_000, units in 0i64..500, money in 0i64..50_000_000, pick in 0usize..64) {
            let cat = catalogue();
            prop_assume!(!cat.policies.is_empty());
            let p = &cat.policies[pick % cat.policies.len()];
            let on = p.effective_from;
            let mut facts = BTreeMap::new();
            for (name, def) in &cat.facts {
                let v = match &def.ty {
                    jiuye_policy::FactType::Int => Value::Int(units),
                    jiuye_policy::FactType::Money => Value::Int(money),
                    jiuye_policy::FactType::Bool => Value::Bool(true),
                    jiuye_policy::FactType::Date => Value::Date(on),
                    jiuye_policy::FactType::Enum(vals) => Value::Text(vals[pick % vals.len()].clone()),
                    jiuye_policy::FactType::Set(vals) => Value::Set(vals.clone()),
                };
                facts.insert(name.clone(), v);
            }
            facts.insert("paid_in_period_fen".into(), Value::Int(paid));
            facts.insert("paid_lifetime_fen".into(), Value::Int(paid));
            let d = evaluate(p, &facts, on);
            prop_assert!(d.amount_fen >= 0);
            for cap in [&p.cap_per_period, &p.cap_lifetime].into_iter().flatten() {
                let c = p.parameters[cap].at(on).unwrap();
                prop_assert!(d.amount_fen <= (c - paid).max(0), "{}: {} > cap {} - paid {}", p.key(), d.amount_fen, c, paid);
            }
        }
    }
}

mod ranges {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Any facts inside the ranges of `facts.toml` — up to their largest values — give an
        /// amount that is computed (never an overflow), never negative, and within the caps.
        #[test]
        fn in_range_facts_never_overflow_or_pass_a_cap(r in any::<u64>(), paid_r in any::<u64>(), pick in 0usize..64) {
            let cat = catalogue();
            let p = &cat.policies[pick % cat.policies.len()];
            let on = p.effective_from;
            let within = |lo: i64, hi: i64, r: u64| {
                let span = (hi as i128 - lo as i128 + 1) as u128;
                (lo as i128 + (r as u128 % span) as i128) as i64
            };
            let mut facts = BTreeMap::new();
            for (i, (name, def)) in cat.facts.iter().enumerate() {
                let r = r.rotate_left(i as u32);
                let v = match (&def.ty, def.range) {
                    (jiuye_policy::FactType::Int | jiuye_policy::FactType::Money, Some((lo, hi))) => {
                        // Half the time the extreme: the largest value a claim may state.
                        Value::Int(if r % 2 == 0 { hi } else { within(lo, hi, r) })
                    }
                    (jiuye_policy::FactType::Bool, _) => Value::Bool(r % 3 != 0),
                    (jiuye_policy::FactType::Date, _) => Value::Date(on),
                    (jiuye_policy::FactType::Enum(vals), _) => Value::Text(vals[(r as usize) % vals.len()].clone()),
                    (jiuye_policy::FactType::Set(vals), _) => Value::Set(vals.clone()),
                    (ty, None) => panic!("{name}: a {ty:?} fact without a range"),
                };
                facts.insert(name.clone(), v);
            }
            let paid = within(0, 5_000_000, paid_r);
            facts.insert("paid_in_period_fen".into(), Value::Int(paid));
            facts.insert("paid_lifetime_fen".into(), Value::Int(paid));
            let d = evaluate(p, &facts, on);
            prop_assert!(!d.reasons.iter().any(|r| r.zh.contains("过大")), "{}: in-range facts overflowed: {:?}", p.key(), d.trace);
            prop_assert!(d.amount_fen >= 0);
            for cap in [&p.cap_per_period, &p.cap_lifetime].into_iter().flatten() {
                let c = p.parameters[cap].at(on).unwrap();
                prop_assert!(d.amount_fen <= (c - paid).max(0), "{}: {} > cap {} - paid {}", p.key(), d.amount_fen, c, paid);
            }
        }
    }

    /// Out of range is refused when read, with the fact named — never computed.
    #[test]
    fn out_of_range_facts_are_refused_by_name() {
        let cat = catalogue();
        let json = serde_json::json!({ "apprentices": 4_000_000_000_000_000_000i64, "yilubao_premium_fen": -1 });
        let errs = jiuye_policy::facts_from_json(&cat.facts, &json).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs.iter().any(|e| e.starts_with("apprentices:"))
                && errs.iter().any(|e| e.starts_with("yilubao_premium_fen:"))
        );
    }

    /// A per-unit amount that does not fit in 64 bits is refused, never saturated.
    #[test]
    fn overflow_is_refused_not_saturated() {
        let cat = catalogue();
        let p = cat.policies.iter().find(|p| p.id == "enterprise_apprenticeship").unwrap();
        let facts: BTreeMap<String, Value> = [
            ("apprentice_kind".to_string(), Value::Text("enterprise_new".into())),
            ("apprentices".to_string(), Value::Int(4_000_000_000_000_000_000)),
        ]
        .into_iter()
        .collect();
        let d = evaluate(p, &facts, p.effective_from);
        assert_eq!((d.outcome, d.amount_fen), (Outcome::Ineligible, 0), "{:?}", d.trace);
    }

    #[test]
    fn contradictory_certificate_facts_are_named() {
        let facts: BTreeMap<String, Value> = [
            ("certificate_kind".to_string(), Value::Text("special_ability".into())),
            ("certificate_level".to_string(), Value::Text("one".into())),
        ]
        .into_iter()
        .collect();
        assert_eq!(jiuye_policy::contradictions(&facts), vec![("certificate_level".into(), "certificate_kind".into())]);
        let mut ok = facts.clone();
        ok.insert("certificate_level".into(), Value::Text("none".into()));
        assert!(jiuye_policy::contradictions(&ok).is_empty());
    }
}

#[test]
fn simulation_counts_claimants_and_money_before_and_after() {
    let cat = Catalogue::load(jiuye_policy::embedded::FACTS, &[("sample@1.toml", GOOD)]).unwrap();
    let on = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let claim = |age: i64, volume: i64| jiuye_policy::OnFile {
        facts: [("age".to_string(), Value::Int(age)), ("service_volume".to_string(), Value::Int(volume))]
            .into_iter()
            .collect(),
        date: on,
        policy_version: "sample@1".into(),
    };
    let claims = [claim(30, 50), claim(30, 150), claim(70, 150), claim(40, 100)];
    let s = jiuye_policy::simulate(&cat, "sample", &[("high".into(), 30000)], &claims).unwrap();
    assert_eq!(s.claims, 4);
    // Eligible: three (age 70 is not); low 10,000 + high 25,000 × 2 before; high 30,000 after.
    assert_eq!((s.before.claimants, s.before.amount_fen), (3, 60000));
    assert_eq!((s.after.claimants, s.after.amount_fen), (3, 70000));
    assert_eq!(s.difference_fen, 10000);
    assert!(jiuye_policy::simulate(&cat, "sample", &[("nope".into(), 1)], &claims).is_err());
    assert!(jiuye_policy::simulate(&cat, "sample", &[("high".into(), -1)], &claims).is_err());
    assert!(jiuye_policy::simulate(&cat, "absent", &[], &claims).is_err());
}

/// Training records become claim facts without translation: the code lists agree.
#[test]
fn training_codes_are_the_catalogue_values() {
    use jiuye_domain::training::{CertificateKind, CertificateLevel, TrainingKind};
    let cat = catalogue();
    let values = |fact: &str| match &cat.facts[fact].ty {
        jiuye_policy::FactType::Enum(v) => v.clone(),
        other => panic!("{fact} is {other:?}"),
    };
    let codes = |all: Vec<&str>| all.into_iter().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(values("training_kind"), codes(TrainingKind::ALL.iter().map(|k| k.as_str()).collect()));
    assert_eq!(values("certificate_kind"), codes(CertificateKind::ALL.iter().map(|k| k.as_str()).collect()));
    assert_eq!(values("certificate_level"), codes(CertificateLevel::ALL.iter().map(|k| k.as_str()).collect()));
}

/// Where a policy stands: not yet, in force, ended with claims still taken, closed.
#[test]
fn standing_follows_the_dates() {
    use jiuye_policy::Standing;
    let cat = catalogue();
    let p = cat.latest().into_iter().find(|p| p.effective_to.is_some()).expect("a policy with an end");
    let (from, to) = (p.effective_from, p.effective_to.expect("end"));
    let until = to.checked_add_months(chrono::Months::new(jiuye_policy::CLAIMS_AFTER_END_MONTHS)).expect("date");
    let day = |d: NaiveDate, n: i64| d + chrono::Duration::days(n);
    let cases = [
        (day(from, -1), Standing::NotYet { from }, false),
        (from, Standing::InForce, true),
        (to, Standing::InForce, true),
        (day(to, 1), Standing::Ended { to, claims_until: until }, true),
        (until, Standing::Ended { to, claims_until: until }, true),
        (day(until, 1), Standing::Closed { to }, false),
    ];
    for (today, want, fileable) in cases {
        let got = p.standing(today);
        assert_eq!(got, want, "{today}");
        assert_eq!(got.fileable(), fileable, "{today}");
    }
}
