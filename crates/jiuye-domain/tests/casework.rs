//! Casework rules as tables: tiers with their reasons, "131" status, the contact schedule, and
//! refusal of broken configurations.

use chrono::NaiveDate;
use jiuye_domain::Lang;
use jiuye_domain::casework::{
    CaseworkRules, ContactState, One31Status, RegistrationStatus, TierFacts, next_contact_due, whole_months,
};
use jiuye_domain::codes::KeyGroup;

fn rules() -> CaseworkRules {
    CaseworkRules::default_rules().unwrap_or_else(|e| panic!("default rules do not check: {e}"))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn groups(list: &[&str]) -> Vec<KeyGroup> {
    list.iter().map(|g| KeyGroup::parse(g).unwrap_or_else(|e| panic!("{g}: {e}"))).collect()
}

/// (key groups, age, months unemployed, zero-employment household) → tier, categories, a reason text (zh).
type TierCase = (&'static [&'static str], u32, u32, bool, &'static str, &'static [&'static str], &'static str);

#[test]
fn tiers_and_categories_with_reasons() {
    let cases: &[TierCase] = &[
        (&[], 30, 1, false, "3", &["general"], "不属于重点类别"),
        (&["employment_difficulty"], 30, 1, false, "1", &["difficulty"], "属于就业困难人员"),
        (&["disabled"], 50, 8, false, "1", &["difficulty", "long_term", "older"], "已失业 8 个月（不少于 6 个月）"),
        (&[], 30, 0, true, "1", &["zero_household"], "所在家庭为零就业家庭"),
        (&["unemployed_graduate"], 22, 2, false, "1", &["graduate"], "属于离校未就业高校毕业生"),
        (&[], 30, 6, false, "2", &["long_term"], "已失业 6 个月"),
        (&[], 30, 5, false, "3", &["general"], "常规服务"),
        (&[], 45, 0, false, "2", &["older"], "年龄 45 岁（不小于 45 岁）"),
        (&[], 44, 0, false, "3", &["general"], "常规服务"),
        (&["veteran"], 30, 0, false, "2", &["veteran"], "属于退役军人"),
        (&["veteran", "employment_difficulty"], 30, 0, false, "1", &["difficulty", "veteran"], "退役军人"),
        (&["migrant_worker"], 30, 0, false, "3", &["general"], "常规服务"),
    ];
    let r = rules();
    for (i, (g, age, months, household, tier, cats, reason)) in cases.iter().enumerate() {
        let facts = TierFacts {
            key_groups: groups(g),
            age: *age,
            months_unemployed: *months,
            zero_employment_household: *household,
        };
        let got = r.decide(&facts);
        assert_eq!(got.tier, *tier, "case {i}: tier");
        assert_eq!(got.categories, cats.iter().map(|c| c.to_string()).collect::<Vec<_>>(), "case {i}: categories");
        let texts: Vec<String> = got.reasons.iter().map(|x| x.text(Lang::Zh)).collect();
        assert!(texts.iter().any(|t| t.contains(reason)), "case {i}: no reason containing {reason:?} in {texts:?}");
        for x in &got.reasons {
            let en = x.text(Lang::En);
            assert!(!en.contains('{'), "case {i}: unfilled placeholder in {en}");
        }
    }
}

#[test]
fn one31_status_by_counts_and_date() {
    // Registered 2026-01-01: guidance due 01-31, referrals (3) due 03-02, training due 04-01.
    let reg = d("2026-01-01");
    let cases: &[([u32; 3], &str, One31Status, Option<&str>)] = &[
        ([0, 0, 0], "2026-01-02", One31Status::OnTrack, Some("2026-01-31")),
        ([0, 0, 0], "2026-01-24", One31Status::DueSoon, Some("2026-01-31")),
        ([0, 0, 0], "2026-01-31", One31Status::DueSoon, Some("2026-01-31")),
        ([0, 0, 0], "2026-02-01", One31Status::Overdue, Some("2026-01-31")),
        ([1, 0, 0], "2026-02-01", One31Status::OnTrack, Some("2026-03-02")),
        ([1, 2, 0], "2026-02-24", One31Status::DueSoon, Some("2026-03-02")),
        ([1, 2, 1], "2026-03-03", One31Status::Overdue, Some("2026-03-02")),
        ([1, 3, 0], "2026-03-03", One31Status::OnTrack, Some("2026-04-01")),
        ([1, 3, 1], "2026-12-31", One31Status::Complete, None),
        ([2, 5, 3], "2026-01-02", One31Status::Complete, None),
    ];
    let r = rules();
    for (i, (done, today, status, next)) in cases.iter().enumerate() {
        let got = r.one31(reg, *done, d(today));
        assert_eq!(got.status, *status, "case {i}");
        assert_eq!(got.next_due_on, next.map(d), "case {i}");
        // The stored shortcut agrees with the full computation.
        assert_eq!(r.one31_status_of(got.next_due_on, d(today)), *status, "case {i}: stored status");
    }
}

#[test]
fn contact_schedule_by_tier() {
    let r = rules();
    let reg = d("2026-03-01");
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("1", None, "2026-03-08"),
        ("3", None, "2026-03-08"),
        ("1", Some("2026-03-05"), "2026-03-19"),
        ("2", Some("2026-03-05"), "2026-04-04"),
        ("3", Some("2026-03-05"), "2026-05-04"),
        ("no-such-tier", Some("2026-03-05"), "2026-05-04"),
    ];
    for (i, (tier, last, due)) in cases.iter().enumerate() {
        assert_eq!(next_contact_due(&r, tier, reg, last.map(d)), d(due), "case {i}");
    }
    let state = |failed| ContactState { last_reached_on: None, failed_in_row: failed };
    assert!(!state(2).unreachable(&r));
    assert!(state(3).unreachable(&r));
}

#[test]
fn months_between_dates() {
    let cases = [
        ("2026-01-31", "2026-02-28", 0),
        ("2026-01-15", "2026-07-15", 6),
        ("2026-01-15", "2026-07-14", 5),
        ("2026-05-01", "2026-01-01", 0),
        ("2024-02-29", "2025-02-28", 11),
    ];
    for (from, to, m) in cases {
        assert_eq!(whole_months(d(from), d(to)), m, "{from} → {to}");
    }
}

#[test]
fn registration_lifecycle_is_one_way() {
    use RegistrationStatus::*;
    assert!(Registered.may_move(Employed));
    assert!(Registered.may_move(Deregistered));
    for from in [Employed, Deregistered] {
        for to in [Registered, Employed, Deregistered] {
            assert!(!from.may_move(to), "{from:?} → {to:?}");
        }
    }
    assert!(!Registered.may_move(Registered));
}

#[test]
fn broken_configurations_are_refused_with_the_place() {
    let base = jiuye_domain::casework::DEFAULT_RULES;
    let cases: &[(&str, &str, &str)] = &[
        (
            "tier = \"1\"\nkey_groups_any = [\"employment_difficulty\", \"disabled\", \"poverty_alleviated\"]",
            "tier = \"9\"\nkey_groups_any = [\"disabled\"]",
            "tier \"9\" is not a declared tier",
        ),
        ("key_groups_any = [\"veteran\"]", "key_groups_any = [\"astronaut\"]", "unknown key group \"astronaut\""),
        ("age_at_least = 45", "age_at_least = 45\nage_at_most = 30", "age_at_least 45 is above age_at_most 30"),
        ("category = \"older\"", "category = \"martian\"", "casework.category.martian"),
        ("default_tier = \"3\"", "default_tier = \"7\"", "default_tier \"7\""),
        ("contact_every_days = 14", "contact_every_days = 0", "contact_every_days must be at least 1"),
        ("unreachable_after = 3", "unreachable_after = 3\nsurprise = 1", "unknown field"),
    ];
    for (from, to, expect) in cases {
        assert!(base.contains(from), "fixture {from:?} not in the default rules");
        let text = base.replacen(from, to, 1);
        match CaseworkRules::from_toml(&text) {
            Ok(_) => panic!("accepted a broken file ({to})"),
            Err(e) => assert!(e.contains(expect), "{to}: error {e:?} does not mention {expect:?}"),
        }
    }
}
