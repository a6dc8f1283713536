//! The indicator test cases (`indicators/tests/*.toml`) run against real databases: each
//! case's records are written through the store into a fresh database (SQLite, and PostgreSQL
//! when `JIUYE_TEST_DATABASE_URL` is set), then the figure the dashboard shows is asked for
//! through the service layer and compared with the case's expectation.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use jiuye_core::{Actor, Core, Ctx, FourEyes};
use jiuye_domain::casework::{
    CaseworkRules, ContactMethod, ContactOutcome, DeregReason, EmploymentForm, EmploymentSource, RegistrationBasis,
    ServiceKind,
};
use jiuye_domain::codes::{DistrictCode, DocumentKind, KeyGroup};
use jiuye_domain::records::PersonDraft;
use jiuye_domain::training::TrainingKind;
use jiuye_oversight::cases::{Case, load_cases};
use jiuye_oversight::{Indicators, Period};
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::NewService;
use jiuye_store::{AuditEntry, IdVault, NewContact, NewEmployment, NewProgramme, Store};

/// The day the runner stands on: after every case's records.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()
}

/// Noon in Xiamen on a day (ratings and surveys are counted by when they were given).
fn noon(day: NaiveDate) -> DateTime<Utc> {
    jiuye_domain::time::beijing_day_start(day).unwrap_or_default() + Duration::hours(12)
}

fn drafts(n: usize) -> Vec<PersonDraft> {
    let mut g = Generator::new(SimConfig { seed: 11, persons: n * 2 + 20, employers: 0, vacancies: 0, today: today() });
    let mut out = Vec::new();
    while let Some(chunk) = g.next_persons(n * 2 + 20) {
        out.extend(chunk.into_iter().filter(|p| p.identity.kind() == DocumentKind::ResidentId));
    }
    out.truncate(n);
    out
}

async fn write_records(store: &Store, case: &Case, rules: &CaseworkRules) -> HashMap<String, Uuid> {
    let who = AuditEntry::system();
    let vault = IdVault::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let mut ids = HashMap::new();
    for (p, mut d) in case.persons.iter().zip(drafts(case.persons.len())) {
        d.district = DistrictCode::parse(&p.district).unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        d.street = None;
        d.rural_household = p.rural;
        d.employment_status = if p.employed {
            jiuye_domain::records::EmploymentStatus::Employed
        } else {
            jiuye_domain::records::EmploymentStatus::Unemployed
        };
        d.key_groups = p.declared.iter().map(|g| KeyGroup::parse(g).unwrap_or_else(|e| panic!("{e:?}"))).collect();
        let (person, _) =
            store.create_person(&d, &vault, None, &who, noon(today())).await.unwrap_or_else(|e| panic!("{e}"));
        for g in &p.recognised {
            let group = KeyGroup::parse(g).unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
            let on = p.recognised_on.unwrap_or_else(|| panic!("{}: recognised_on", case.name));
            store
                .recognise(person.id, group, &p.district, "test evidence", on, &who, noon(on))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        ids.insert(p.alias.clone(), person.id);
    }
    let id = |alias: &str| *ids.get(alias).unwrap_or_else(|| panic!("{}: no person `{alias}`", case.name));
    for r in &case.registrations {
        let reg = store
            .register_unemployment(
                id(&r.person),
                RegistrationBasis::Residence,
                r.on,
                None,
                rules,
                today(),
                &who,
                noon(r.on),
            )
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        if let Some(end) = r.ended {
            store
                .deregister(reg.id, DeregReason::NoLongerSeeking, None, end, &who, noon(end))
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        }
    }
    for (i, g) in case.gig_sites.iter().enumerate() {
        let site = jiuye_store::NewGigSite {
            name: format!("零工市场 {i}"),
            layout: g.layout.clone(),
            mode: "bureau".into(),
            operator: "区人社局".into(),
            district: g.district.clone(),
            address: "测试地址".into(),
            lat_e6: 24_480_000,
            lon_e6: 118_090_000,
            hours: "08:00–18:00".into(),
            amenities: vec![],
            services: vec!["matching".into()],
            recognised_on: g.recognised,
            recognition_evidence: g.recognised.map(|_| "认定文件".into()),
            checkin_token: format!("case-{i}"),
        };
        store.create_gig_site(&site, &who, noon(today())).await.unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
    for h in &case.households {
        let members: Vec<(Uuid, String)> = h.members.iter().map(|m| (id(m), "member".to_string())).collect();
        store
            .create_household(&h.district, None, &members, h.on, &who, noon(h.on))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
    if let Some(fen) = case.allocated_fen {
        store
            .set_allocation("employment", "test_policy", fen, &who, noon(today()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for c in &case.claims {
        let new = jiuye_store::NewClaim {
            policy_id: "test_policy".into(),
            policy_version: "test_policy@2023.1".into(),
            budget_line: "employment".into(),
            group: "test".into(),
            claimant_kind: "person".into(),
            claimant_id: id(&c.person),
            subject_id: None,
            district: c.district.clone(),
            period_key: c.filed.to_string(),
            amount_fen: c.amount_fen,
            facts: serde_json::json!({}),
            decision: serde_json::json!({}),
        };
        let claim =
            store.create_claim(&new, &who, noon(c.filed)).await.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let day = c.decided.unwrap_or(c.filed);
        let moves: &[(&str, &str, jiuye_store::Money)] = match c.status.as_deref().unwrap_or("submitted") {
            "rejected" => &[("submitted", "rejected", jiuye_store::Money::None)],
            "paid" => &[
                ("submitted", "reviewed", jiuye_store::Money::None),
                ("reviewed", "approved", jiuye_store::Money::Reserve),
                ("approved", "paid", jiuye_store::Money::Pay),
            ],
            _ => &[],
        };
        for (from, to, money) in moves {
            store
                .move_claim(claim.id, from, to, *money, None, &who, noon(day))
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        }
        if let Some(score) = c.survey {
            store
                .answer_survey("claim", claim.id, id(&c.person), &c.district, score, None, &who, noon(day))
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        }
    }
    for e in &case.employments {
        let source = match e.source.as_deref().unwrap_or("desk") {
            "hire" => EmploymentSource::Hire,
            "person" => EmploymentSource::Person,
            _ => EmploymentSource::Desk,
        };
        let new = NewEmployment {
            person_id: id(&e.person),
            form: EmploymentForm::Flexible,
            employer_id: None,
            vacancy_id: None,
            application_id: None,
            started_on: e.on,
            source,
        };
        store.record_employment(&new, e.on, &who, noon(e.on)).await.unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
    for s in &case.services {
        let kind = ServiceKind::parse(&s.kind).unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        let new = NewService {
            person_id: id(&s.person),
            kind: Some(kind),
            delivered_on: Some(s.on),
            provider_id: None,
            vacancy_id: None,
            course: None,
            note: None,
            evidence: None,
            reasons: Vec::new(),
            corrects_id: None,
            void: false,
            batch_key: None,
        };
        let recorded = store
            .record_service(&new, rules, today(), &who, noon(s.on))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let service = match recorded {
            jiuye_store::Recorded::New(s) => s,
            other => panic!("{}: {other:?}", case.name),
        };
        assert_eq!(service.registration_id.is_some(), s.registered, "{}: service under a registration", case.name);
        if let Some(score) = s.rating {
            store
                .rate_service(service.id, id(&s.person), score, None, &who, noon(s.on))
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        }
    }
    for c in &case.contacts {
        let outcome = ContactOutcome::parse(&c.outcome).unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        let new = NewContact {
            person_id: id(&c.person),
            contacted_on: c.on,
            method: ContactMethod::Phone,
            outcome,
            note: None,
            provider_id: None,
        };
        store
            .record_contact(&new, rules, today(), &who, noon(c.on))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
    for en in &case.enrolments {
        let p = store
            .create_programme(
                &NewProgramme {
                    kind: TrainingKind::EmploymentSkills,
                    name: format!("class of {}", en.person),
                    provider_id: None,
                    occupation: None,
                    district: en.district.clone(),
                    starts_on: en.class_starts,
                    ends_on: en.class_starts + Duration::days(30),
                    capacity: 10,
                    cost_per_trainee_fen: 100_000,
                },
                &who,
                noon(en.class_starts),
            )
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let enrolment = store
            .enrol(p.id, id(&en.person), &who, noon(en.class_starts))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        if let Some(on) = en.assessed_on {
            store
                .assess(enrolment.id, 40, en.passed.unwrap_or(false), on, &who, noon(on))
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            if let Some(score) = en.survey {
                store
                    .answer_survey("class", enrolment.id, id(&en.person), &en.district, score, None, &who, noon(on))
                    .await
                    .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            }
        }
    }
    ids
}

async fn run_on(backend: &str, store: Store, case: &Case, indicators: &Indicators) {
    let rules = CaseworkRules::default_rules().unwrap_or_else(|e| panic!("{e}"));
    write_records(&store, case, &rules).await;
    let policies = jiuye_policy::Catalogue::default();
    let gig_pool = jiuye_core::gig::GigPool::default();
    let in_force = jiuye_core::casework_rules::RulesInForce::new(1, rules.clone());
    let core = Core {
        store: &store,
        policies: &policies,
        casework: &in_force,
        four_eyes: &FourEyes::default(),
        gig_pool: &gig_pool,
    };
    let ctx = Ctx::new(Actor::system(), noon(today()));
    let ind = indicators.get(&case.indicator).unwrap_or_else(|| panic!("{}", case.indicator));
    let period = Period::parse(&case.period).unwrap_or_else(|_| panic!("{}", case.period));
    let figure = core
        .figure(&ctx, ind, period, case.district.as_deref())
        .await
        .unwrap_or_else(|e| panic!("{backend} {}: {e}", case.name));
    let count = figure.count.unwrap_or_else(|| panic!("{backend} {}: no count", case.name));
    assert_eq!(count.numerator, case.expect, "{backend} {}: counted", case.name);
    assert_eq!(count.denominator, case.out_of, "{backend} {}: out of", case.name);
    // The drill-down lists exactly the records counted.
    let (_, rows) = core
        .drill(&ctx, ind, period, case.district.as_deref(), 0, 1000)
        .await
        .unwrap_or_else(|e| panic!("{backend} {}: {e}", case.name));
    match case.out_of {
        // Money over an allocation: the records behind it are the payments made in the period.
        Some(_) if ind.aggregation() == Some(jiuye_oversight::Aggregation::BudgetExecution) => {
            let paid = case.claims.iter().filter(|c| c.status.as_deref() == Some("paid")).count();
            assert_eq!(rows.len(), paid, "{backend} {}: payments behind the rate", case.name);
        }
        Some(d) => {
            assert_eq!(rows.len() as u64, d, "{backend} {}: rows behind a rate", case.name);
            assert_eq!(rows.iter().filter(|r| r.hit).count() as u64, case.expect, "{backend} {}: hits", case.name);
        }
        None if ind.unit == jiuye_oversight::Unit::WanPersons => {
            let mut persons: Vec<Uuid> = rows.iter().map(|r| r.subject_id).collect();
            persons.sort();
            persons.dedup();
            assert_eq!(persons.len() as u64, case.expect, "{backend} {}: persons behind", case.name);
        }
        None => assert_eq!(rows.len() as u64, case.expect, "{backend} {}: rows behind", case.name),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_indicator_case_holds_on_every_backend() {
    let indicators = Indicators::embedded().unwrap_or_else(|e| panic!("{e:?}"));
    let cases = load_cases(jiuye_oversight::embedded::TESTS, &indicators).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(cases.len() >= 21, "{} cases", cases.len());
    for (file, case) in &cases {
        let stores = jiuye_store::testing::fresh_stores().await.unwrap_or_else(|e| panic!("{e}"));
        for (backend, store) in stores {
            eprintln!("{file}: {} on {backend}", case.name);
            run_on(backend, store, case, &indicators).await;
        }
    }
}
