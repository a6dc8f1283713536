//! Generated data: deterministic, valid by the domain's own rules, unique where the store
//! requires it, and distributed like Xiamen.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use jiuye_domain::codes::{CreditCode, DistrictCode, DocumentKind, EducationLevel, Identity, KeyGroup};
use jiuye_domain::records::{EmployerDraft, EmploymentStatus, PayUnit, PersonDraft, VacancyDraft, VacancyKind};
use jiuye_sim::{Generator, SimConfig};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 6, 1).unwrap()
}

struct Run {
    employers: Vec<EmployerDraft>,
    vacancies: Vec<(usize, VacancyDraft)>,
    persons: Vec<PersonDraft>,
    key: Vec<usize>,
}

fn run(cfg: SimConfig, chunk: usize) -> Run {
    let mut g = Generator::new(cfg);
    let employers = g.employers();
    let vacancies = g.vacancies(&employers);
    let key = g.key_enterprise_indices(&employers);
    let mut persons = Vec::new();
    while let Some(c) = g.next_persons(chunk) {
        assert!(!c.is_empty() && c.len() <= chunk);
        persons.extend(c);
    }
    Run { employers, vacancies, persons, key }
}

fn demo() -> &'static Run {
    static RUN: std::sync::OnceLock<Run> = std::sync::OnceLock::new();
    RUN.get_or_init(|| run(SimConfig::demo(today()), 5_000))
}

/// Everything observable of a person, as text (the ID number is not Debug-printable in full).
fn person_fingerprint(p: &PersonDraft) -> String {
    format!("{} {} {:?}", p.identity.key(), p.mobile.as_str(), p)
}

#[test]
fn demo_sizes() {
    let r = demo();
    assert_eq!(r.employers.len(), 2_000);
    assert_eq!(r.vacancies.len(), 8_000);
    assert_eq!(r.persons.len(), 20_000);
}

#[test]
fn same_seed_same_output_different_seed_different_output() {
    let cfg = SimConfig { persons: 3_000, employers: 300, vacancies: 1_000, ..SimConfig::demo(today()) };
    let a = run(cfg.clone(), 700);
    // Chunk size does not matter either.
    let b = run(cfg.clone(), 1_000);
    assert_eq!(format!("{:?}", a.employers), format!("{:?}", b.employers));
    assert_eq!(format!("{:?}", a.vacancies), format!("{:?}", b.vacancies));
    assert_eq!(a.key, b.key);
    let fa: Vec<String> = a.persons.iter().map(person_fingerprint).collect();
    let fb: Vec<String> = b.persons.iter().map(person_fingerprint).collect();
    assert_eq!(fa, fb);

    let c = run(SimConfig { seed: 7, ..cfg }, 1_000);
    assert_ne!(format!("{:?}", a.employers), format!("{:?}", c.employers));
    let fc: Vec<String> = c.persons.iter().map(person_fingerprint).collect();
    assert_ne!(fa, fc);
}

#[test]
fn persons_do_not_depend_on_whether_employers_were_generated() {
    let cfg = SimConfig { persons: 500, employers: 100, vacancies: 100, ..SimConfig::demo(today()) };
    let mut g = Generator::new(cfg.clone());
    let only_persons: Vec<String> = g.next_persons(1_000).unwrap().iter().map(person_fingerprint).collect();
    let full: Vec<String> = run(cfg, 1_000).persons.iter().map(person_fingerprint).collect();
    assert_eq!(only_persons, full);
}

#[test]
fn every_draft_passes_its_checks_and_every_code_parses() {
    let r = demo();
    let t = today();
    for e in &r.employers {
        assert!(e.check().is_empty(), "{e:?}: {:?}", e.check());
        assert_eq!(CreditCode::parse(e.credit_code.as_str()).as_ref(), Ok(&e.credit_code));
        assert!(e.credit_code.as_str().starts_with("91"));
        assert_eq!(e.credit_code.admin_region(), e.district.as_str());
        assert!(e.name.starts_with("厦门") || e.name.contains("（厦门）"), "{}", e.name);
        assert!(e.name.ends_with("有限公司"), "{}", e.name);
        assert!(!e.key_enterprise && e.liaison_account.is_none());
        assert!(e.address.as_deref().is_some_and(|a| a.starts_with("厦门市")));
    }
    let mut units = HashMap::new();
    for (i, v) in &r.vacancies {
        assert!(*i < r.employers.len());
        assert!(v.check(t).is_empty(), "{v:?}: {:?}", v.check(t));
        if let Some((lo, hi)) = v.pay.monthly {
            assert!(lo <= hi && lo >= 1_000 && hi <= 60_000, "{v:?}");
        }
        *units.entry(v.pay.unit).or_insert(0usize) += 1;
        match v.kind {
            VacancyKind::Gig => assert_eq!(v.pay.unit, PayUnit::Day, "gigs are paid by the day: {v:?}"),
            VacancyKind::PartTime => assert_eq!(v.pay.unit, PayUnit::Hour, "part-time by the hour: {v:?}"),
            _ => {}
        }
        assert!((1..=50).contains(&v.headcount));
        assert!(v.opens_on <= t && (t - v.opens_on).num_days() < 60);
        let span = (v.closes_on - v.opens_on).num_days();
        assert!((30..=180).contains(&span) && v.closes_on >= t, "{v:?}");
        assert_eq!(v.latitude.is_some(), v.longitude.is_some());
        if let (Some(lat), Some(lon)) = (v.latitude, v.longitude) {
            assert!((24.2..=24.95).contains(&lat) && (117.8..=118.6).contains(&lon));
        }
        assert!(!v.title.is_empty() && v.title.chars().count() <= 50, "{}", v.title);
        assert!(v.description.chars().count() >= 40, "{}", v.description);
        assert!(!v.skills.is_empty());
        assert!(v.occupation.level() == 4);
    }
    // Pay comes in every unit people are paid in.
    for unit in PayUnit::ALL {
        assert!(units.get(&unit).is_some_and(|n| *n > 0), "no vacancy paid by {unit:?}: {units:?}");
    }
    for p in &r.persons {
        assert!(p.check().is_empty(), "{p:?}: {:?}", p.check());
        let id = Identity::from_key(&p.identity.key(), t).unwrap();
        assert_eq!(id.birth_date().unwrap_or(p.birth_date), p.birth_date);
        let age = jiuye_domain::time::age_on(p.birth_date, t);
        assert!((16..=64).contains(&age), "age {age}");
        assert!(!p.name.is_empty() && p.name.chars().count() <= 4, "{}", p.name);
        assert!(!p.wanted_occupations.is_empty() && p.wanted_occupations.len() <= 3);
        if let Some(s) = p.street {
            assert_eq!(s.district(), p.district);
        }
        if p.address.is_some() {
            assert!(p.street.is_some());
        }
    }
}

#[test]
fn id_numbers_and_credit_codes_are_unique() {
    let r = demo();
    let ids: HashSet<String> = r.persons.iter().map(|p| p.identity.key()).collect();
    assert_eq!(ids.len(), r.persons.len());
    let codes: HashSet<&str> = r.employers.iter().map(|e| e.credit_code.as_str()).collect();
    assert_eq!(codes.len(), r.employers.len());
    let names: HashSet<&str> = r.employers.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), r.employers.len());
}

#[test]
fn id_numbers_carry_origin_and_sex() {
    let r = demo();
    let xiamen =
        ["350203", "350205", "350206", "350211", "350212", "350213", "350200", "350202", "350204", "350220", "350221"];
    let prefix = |p: &PersonDraft| p.identity.number()[..6].to_string();
    let native = r.persons.iter().filter(|p| xiamen.contains(&prefix(p).as_str())).count();
    let share = native as f64 / r.persons.len() as f64;
    assert!((0.5..0.65).contains(&share), "Xiamen ID share {share}");
    let fujian = r.persons.iter().filter(|p| p.household_origin.two_digit() == "35").count() as f64;
    assert!((0.55..0.7).contains(&(fujian / r.persons.len() as f64)));
    for p in r.persons.iter().filter(|p| p.identity.kind() == DocumentKind::ResidentId) {
        let prefix = prefix(p);
        if xiamen.contains(&prefix.as_str()) {
            assert_eq!(p.household_origin.as_str(), "350000");
        } else {
            assert!(!prefix.starts_with("71"), "no Taiwan codes");
        }
    }
    // Other documents in about the estimated shares, each with its groups from the document.
    let share =
        |k: DocumentKind| r.persons.iter().filter(|p| p.identity.kind() == k).count() as f64 / r.persons.len() as f64;
    let taiwan = share(DocumentKind::TaiwanResidencePermit) + share(DocumentKind::TaiwanTravelPermit);
    assert!((0.008..0.025).contains(&taiwan), "Taiwan compatriots {taiwan}");
    assert!((0.001..0.006).contains(&share(DocumentKind::HkmoResidencePermit)));
    assert!(share(DocumentKind::ForeignPermanentResidence) + share(DocumentKind::Passport) > 0.0);
    for p in &r.persons {
        let k = p.identity.kind();
        assert_eq!(p.key_groups.contains(&KeyGroup::TaiwanCompatriot), k.taiwan(), "{:?}", p.identity);
        assert_eq!(p.key_groups.contains(&KeyGroup::Foreigner), p.identity.foreigner(), "{:?}", p.identity);
        if k.taiwan() {
            assert_eq!(p.household_origin.as_str(), "710000");
        }
    }
    let provinces: HashSet<&str> = r.persons.iter().map(|p| p.household_origin.as_str()).collect();
    assert!(provinces.len() >= 12, "{provinces:?}");
    let men = r.persons.iter().filter(|p| p.sex == jiuye_domain::codes::Sex::Male).count() as f64;
    assert!((0.45..0.6).contains(&(men / r.persons.len() as f64)));
}

#[test]
fn distributions_look_like_xiamen() {
    let r = demo();
    let all: HashSet<DistrictCode> = DistrictCode::all().into_iter().collect();
    let emp: HashSet<DistrictCode> = r.employers.iter().map(|e| e.district).collect();
    let vac: HashSet<DistrictCode> = r.vacancies.iter().map(|(_, v)| v.district).collect();
    let per: HashSet<DistrictCode> = r.persons.iter().map(|p| p.district).collect();
    assert_eq!(emp, all);
    assert_eq!(vac, all);
    assert_eq!(per, all);

    let occupations: HashSet<&str> = r.vacancies.iter().map(|(_, v)| v.occupation.as_str()).collect();
    assert!(occupations.len() >= 100, "{} distinct occupations", occupations.len());

    let mut kinds: HashMap<VacancyKind, usize> = HashMap::new();
    for (_, v) in &r.vacancies {
        *kinds.entry(v.kind).or_default() += 1;
        if v.kind == VacancyKind::Gig {
            assert_eq!(v.occupation.level(), 4);
        }
    }
    for k in VacancyKind::ALL {
        assert!(kinds.get(&k).copied().unwrap_or(0) > 0, "{k:?} missing");
    }
    let full = kinds[&VacancyKind::FullTime] as f64 / r.vacancies.len() as f64;
    assert!((0.75..0.85).contains(&full), "full-time share {full}");

    // Vacancies follow their employer mostly.
    let same_district = r.vacancies.iter().filter(|(i, v)| r.employers[*i].district == v.district).count();
    let same_industry = r.vacancies.iter().filter(|(i, v)| r.employers[*i].industry == v.industry).count();
    assert!(same_district * 100 > r.vacancies.len() * 75);
    assert!(same_industry * 100 > r.vacancies.len() * 80);

    // Manufacturing is the biggest section by firms after trade; software is there.
    let sections: HashSet<&str> = r.employers.iter().map(|e| e.industry.section().as_str()).collect();
    for s in ["C", "E", "F", "G", "H", "I", "J", "L", "O", "P", "Q"] {
        assert!(sections.contains(s), "section {s} missing");
    }

    // Sizes: micro most, large few.
    use jiuye_domain::records::EmployerSize::*;
    let count = |s| r.employers.iter().filter(|e| e.size == s).count();
    assert!(count(Micro) > count(Small) && count(Small) > count(Medium) && count(Medium) > count(Large));
    assert!(count(Large) > 0);

    // Key enterprises: about 5 %, the larger firms.
    assert_eq!(r.key.len(), 100);
    assert!(r.key.windows(2).all(|w| w[0] < w[1]));
    assert!(r.key.iter().all(|&i| matches!(r.employers[i].size, Large | Medium)));
}

#[test]
fn key_groups_are_consistent() {
    let r = demo();
    let t = today();
    let n = r.persons.len() as f64;
    let has = |p: &PersonDraft, g| p.key_groups.contains(&g);
    let mut counts: HashMap<KeyGroup, usize> = HashMap::new();
    for p in &r.persons {
        let age = jiuye_domain::time::age_on(p.birth_date, t);
        for g in &p.key_groups {
            *counts.entry(*g).or_default() += 1;
        }
        let mut sorted = p.key_groups.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), p.key_groups.len());
        if has(p, KeyGroup::CollegeGraduate) {
            assert!(matches!(p.education, EducationLevel::Bachelor | EducationLevel::College));
            assert!(age <= 30);
        }
        if has(p, KeyGroup::UnemployedGraduate) || has(p, KeyGroup::NeedyGraduate) {
            assert!(has(p, KeyGroup::CollegeGraduate));
        }
        assert_eq!(has(p, KeyGroup::Youth), age <= 24);
        if has(p, KeyGroup::RegisteredUnemployed) {
            assert_eq!(p.employment_status, EmploymentStatus::Unemployed);
        }
        if has(p, KeyGroup::EmploymentDifficulty) || has(p, KeyGroup::ZeroEmploymentHousehold) {
            assert!(has(p, KeyGroup::RegisteredUnemployed));
        }
        if has(p, KeyGroup::MigrantWorker) {
            assert!(p.rural_household);
        }
        if has(p, KeyGroup::NeedyUnemployedYouth) {
            assert!(has(p, KeyGroup::Youth) && p.employment_status == EmploymentStatus::Unemployed);
        }
        assert_eq!(has(p, KeyGroup::TaiwanCompatriot), p.identity.taiwan_compatriot(), "from the document only");
        assert!(!has(p, KeyGroup::TaiwanYouth));
        if p.employment_status == EmploymentStatus::Student {
            assert!(age <= 23);
        }
    }
    let share = |g| counts.get(&g).copied().unwrap_or(0) as f64 / n;
    let registered = share(KeyGroup::RegisteredUnemployed);
    assert!((0.12..0.19).contains(&registered), "registered unemployed {registered}");
    let disabled = share(KeyGroup::Disabled);
    assert!((0.01..0.03).contains(&disabled), "disabled {disabled}");
    for g in [
        KeyGroup::CollegeGraduate,
        KeyGroup::UnemployedGraduate,
        KeyGroup::MigrantWorker,
        KeyGroup::EmploymentDifficulty,
        KeyGroup::Veteran,
        KeyGroup::FlexibleWorker,
    ] {
        assert!(share(g) > 0.005, "{g:?} {}", share(g));
    }
    let educations: HashSet<EducationLevel> = r.persons.iter().map(|p| p.education).collect();
    assert!(educations.len() >= 10, "{educations:?}");
}

#[test]
fn small_and_empty_configurations() {
    let cfg = SimConfig { persons: 0, employers: 0, vacancies: 10, ..SimConfig::demo(today()) };
    let mut g = Generator::new(cfg);
    let e = g.employers();
    assert!(e.is_empty());
    assert!(g.vacancies(&e).is_empty());
    assert!(g.next_persons(10).is_none());
    assert!(g.key_enterprise_indices(&e).is_empty());

    let cfg = SimConfig { persons: 3, employers: 1, vacancies: 3, ..SimConfig::demo(today()) };
    let mut g = Generator::new(cfg);
    let e = g.employers();
    assert_eq!(g.vacancies(&e).len(), 3);
    assert_eq!(g.next_persons(2).map(|v| v.len()), Some(2));
    assert_eq!(g.next_persons(2).map(|v| v.len()), Some(1));
    assert!(g.next_persons(2).is_none());
    assert_eq!(g.persons_generated(), 3);
}

#[test]
fn other_dates_work_too() {
    // A leap day and a date far from the demo one: ages, ID prefixes valid in those years.
    for today in [NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), NaiveDate::from_ymd_opt(2040, 12, 31).unwrap()] {
        let r = run(SimConfig { persons: 2_000, employers: 50, vacancies: 200, seed: 1, today }, 500);
        assert_eq!(r.persons.len(), 2_000);
        for p in &r.persons {
            assert!(Identity::from_key(&p.identity.key(), today).is_ok());
            assert!((16..=64).contains(&jiuye_domain::time::age_on(p.birth_date, today)));
        }
        for (_, v) in &r.vacancies {
            assert!(v.check(today).is_empty());
        }
    }
}
