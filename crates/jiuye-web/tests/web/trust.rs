//! The trust core from the outside, on both backends: scope through objects that belong to a
//! person, a registration held by its district, providers limited to their contracts, claim
//! facts from the records, one subsidy per record, bounded facts, and four eyes.

use chrono::Duration;
use serde_json::{Value, json};

use jiuye_domain::roles::Role;
use jiuye_domain::training::{CertificateKind, CertificateLevel};
use jiuye_web::Clock;

/// A certificate on record for `person`, issued on `(y, m, d)`.
async fn certificate(
    app: &TestApp,
    person: uuid::Uuid,
    kind: CertificateKind,
    level: CertificateLevel,
    number: &str,
    (y, m, d): (i32, u32, u32),
) -> jiuye_store::Certificate {
    let on = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    app.state
        .store
        .issue_certificate(
            person,
            None,
            kind,
            level,
            None,
            number,
            on,
            &jiuye_store::AuditEntry::system(),
            app.clock.now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", app.backend))
}

use crate::support::{OTHER, OWN, TestApp, apps, code, person_body, provider_account, publish, vacancy_body};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applications_are_reached_only_by_the_vacancy_district() {
    for app in apps().await {
        let b = app.backend;
        let own = app.token(Role::Caseworker, "cw.own").await;
        let other = app.token(Role::Caseworker, "cw.other").await;
        let other_admin = app.token(Role::DistrictAdmin, "dadmin.other").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        // A vacancy of the OWN district, posted by its staff for the seeded employer.
        let (s, v) =
            app.call("POST", "/api/v1/vacancies", Some(&own), Some(vacancy_body(Some(app.seed.employer_id)))).await;
        assert_eq!(s, 201, "{b}: {v}");
        let vid = v["id"].as_str().unwrap_or_default().to_string();
        let (s, a) = app.call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&seeker), Some(json!({}))).await;
        assert_eq!(s, 201, "{b}: {a}");
        let aid = a["id"].as_str().unwrap_or_default().to_string();
        for (who, token) in [("cw.other", &other), ("dadmin.other", &other_admin)] {
            let (s, body) = app.call("GET", &format!("/api/v1/vacancies/{vid}/applications"), Some(token), None).await;
            assert_eq!(s, 404, "{b}: {who} reads another district's applicants: {body}");
            assert!(!body.to_string().contains("13800"), "{b}: no mobile leaks: {body}");
            let (s, body) = app
                .call(
                    "POST",
                    &format!("/api/v1/applications/{aid}/status"),
                    Some(token),
                    Some(json!({"status": "hired"})),
                )
                .await;
            assert_eq!(s, 404, "{b}: {who} hires into another district: {body}");
        }
        let (_, mine) = app.call("GET", "/api/v1/me/applications", Some(&seeker), None).await;
        assert_eq!(mine[0]["status"], "submitted", "{b}: nothing moved: {mine}");
        let (s, list) = app.call("GET", &format!("/api/v1/vacancies/{vid}/applications"), Some(&own), None).await;
        assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(1)), "{b}: own district sees it: {list}");
        let (s, moved) = app
            .call("POST", &format!("/api/v1/applications/{aid}/status"), Some(&own), Some(json!({"status": "viewed"})))
            .await;
        assert_eq!((s, moved["status"].as_str()), (200, Some("viewed")), "{b}: {moved}");
        // The vacancy itself: only its district's staff (and its employer) change it.
        let (s, e) = app
            .call("POST", &format!("/api/v1/vacancies/{vid}/status"), Some(&other), Some(json!({"status": "closed"})))
            .await;
        assert_eq!(s, 404, "{b}: another district closes the vacancy: {e}");
        let (s, e) = app
            .call("POST", &format!("/api/v1/vacancies/{vid}/status"), Some(&own), Some(json!({"status": "closed"})))
            .await;
        assert_eq!((s, e["status"].as_str()), (200, Some("closed")), "{b}: {e}");
        let (s, _) = app.call("GET", &format!("/api/v1/vacancies/{vid}"), Some(&other), None).await;
        assert_eq!(s, 404, "{b}: a closed vacancy is seen by who manages it only");
        let (s, _) = app.call("GET", &format!("/api/v1/vacancies/{vid}"), Some(&own), None).await;
        assert_eq!(s, 200, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_stays_with_the_district_that_holds_it() {
    for app in apps().await {
        let b = app.backend;
        let own = app.token(Role::Caseworker, "cw.own").await;
        let other = app.token(Role::Caseworker, "cw.other").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let pid = app.seed.person_own;
        let (s, r) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{pid}/registrations"),
                Some(&own),
                Some(json!({"basis": "residence"})),
            )
            .await;
        assert_eq!((s, r["district"].as_str()), (201, Some(OWN)), "{b}: {r}");
        // The seeker moves to the OTHER district.
        let mut body = person_body("", OTHER);
        body["name"] = json!("搬家的人");
        let (s, p) = app.call("PUT", "/api/v1/me/profile", Some(&seeker), Some(body)).await;
        assert_eq!((s, p["district"]["code"].as_str()), (200, Some(OTHER)), "{b}: {p}");
        // The holding district keeps the case: its page and its registration.
        let (s, case) = app.call("GET", &format!("/api/v1/persons/{pid}/casework"), Some(&own), None).await;
        assert_eq!(s, 200, "{b}: the holding district sees its case: {case}");
        let (s, page) = app.call("GET", &format!("/api/v1/persons/{pid}"), Some(&own), None).await;
        assert_eq!(s, 200, "{b}: {page}");
        // The new home district sees the person, but the registration is not theirs to end.
        let (s, _) = app.call("GET", &format!("/api/v1/persons/{pid}"), Some(&other), None).await;
        assert_eq!(s, 200, "{b}: the person lives there now");
        let end = json!({"reason": "no_longer_seeking"});
        let (s, e) =
            app.call("POST", &format!("/api/v1/persons/{pid}/registration/end"), Some(&other), Some(end.clone())).await;
        assert_eq!(s, 404, "{b}: another district ends the registration: {e}");
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{pid}/services"),
                Some(&other),
                Some(json!({"kind": "career_guidance"})),
            )
            .await;
        assert_eq!(s, 404, "{b}: another district writes into the case: {e}");
        let (s, e) = app.call("POST", &format!("/api/v1/persons/{pid}/registration/end"), Some(&own), Some(end)).await;
        assert_eq!((s, e["status"]["code"].as_str()), (200, Some("deregistered")), "{b}: {e}");
        // Case closed: now only the home district reaches the person.
        let (s, _) = app.call("GET", &format!("/api/v1/persons/{pid}"), Some(&own), None).await;
        assert_eq!(s, 404, "{b}: with the case closed the old district no longer sees them");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_enrols_only_people_its_contract_covers() {
    for app in apps().await {
        let b = app.backend;
        let provider = provider_account(&app, "trainer", "培训机构甲").await;
        let token = app.token(Role::Provider, "trainer").await;
        let dadmin = app.token(Role::DistrictAdmin, "dadmin.own").await;
        let (s, prog) = app
            .call(
                "POST",
                "/api/v1/training/programmes",
                Some(&token),
                Some(json!({"kind": "employment_skills", "name": "电工班", "district": OWN, "starts_on": "2026-12-01",
                            "ends_on": "2026-12-20", "capacity": 10, "cost_per_trainee_fen": 100000})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {prog}");
        let prog = prog["id"].as_str().unwrap_or_default().to_string();
        let enrol = json!({"person_id": app.seed.person_own});
        let (s, e) = app
            .call("POST", &format!("/api/v1/training/programmes/{prog}/enrolments"), Some(&token), Some(enrol.clone()))
            .await;
        assert_eq!(s, 404, "{b}: nobody's contract covers the person: {e}");
        let (s, c) = app
            .call(
                "POST",
                &format!("/api/v1/providers/{provider}/contracts"),
                Some(&dadmin),
                Some(json!({"name": "2026 培训", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "price_served_fen": 0,
                            "price_employed_fen": 0, "persons": [app.seed.person_own]})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {c}");
        let (s, e) = app
            .call("POST", &format!("/api/v1/training/programmes/{prog}/enrolments"), Some(&token), Some(enrol))
            .await;
        assert_eq!(s, 201, "{b}: covered now: {e}");
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{prog}/enrolments"),
                Some(&token),
                Some(json!({"person_id": app.seed.person_other})),
            )
            .await;
        assert_eq!(s, 404, "{b}: still not someone else: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_facts_come_from_the_records() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let pid = app.seed.person_own;
        publish(&app, &city, "flexible_insurance_subsidy").await;
        let claim =
            |facts: Value| json!({"policy": "flexible_insurance_subsidy", "facts": facts, "date": "2025-06-01"});
        // Ticking 就业困难人员 is refused: key groups come from the records.
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&seeker),
                Some(claim(json!({"key_groups": ["employment_difficulty"], "flexible_employment_insured": true,
                                   "social_insurance_paid_fen": 300000}))),
            )
            .await;
        assert_eq!(
            (s, code(&e), e["error"]["field"].as_str()),
            (422, "claim.record_fact", Some("facts.key_groups")),
            "{b}: {e}"
        );
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&seeker),
                Some(claim(json!({"age": 30, "flexible_employment_insured": true}))),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "claim.record_fact"), "{b}: age is the record's: {e}");
        let declared = json!({"flexible_employment_insured": true, "social_insurance_paid_fen": 300000});
        let (s, d) = app.call("POST", "/api/v1/claims/precheck", Some(&seeker), Some(claim(declared.clone()))).await;
        assert_eq!((s, d["outcome"].as_str()), (200, Some("ineligible")), "{b}: not recognised yet: {d}");
        let source = |d: &Value, f: &str| {
            d["facts"].as_array().and_then(|a| a.iter().find(|x| x["name"] == f)).map(|x| x["source"].clone())
        };
        assert_eq!(source(&d, "key_groups"), Some(json!("record")), "{b}: {d}");
        assert_eq!(source(&d, "social_insurance_paid_fen"), Some(json!("declared")), "{b}: {d}");
        // Staff recognise the person with evidence; now the records say so.
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{pid}/recognitions"),
                Some(&cw),
                Some(json!({"key_group": "employment_difficulty", "evidence": " "})),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "casework.recognition_evidence"), "{b}: evidence is required: {e}");
        let (s, r) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{pid}/recognitions"),
                Some(&cw),
                Some(json!({"key_group": "employment_difficulty", "evidence": "厦就困认〔2025〕12号", "recognised_on": "2025-03-01"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {r}");
        let (s, c) = app.call("POST", "/api/v1/claims", Some(&seeker), Some(claim(declared))).await;
        assert_eq!((s, c["amount_fen"].as_i64()), (201, Some(200100)), "{b}: 2/3 of 3000 yuan: {c}");
        // Screening reads the same records for everyone at once, and finds the same groups.
        let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
        let one = app.state.core().record_key_groups(pid, day).await.unwrap_or_else(|e| panic!("{e}"));
        let all = app.state.store.key_group_records(day).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jiuye_core::facts::key_groups_in(&all, pid), one, "{b}");
        assert!(one.contains(&"employment_difficulty".to_string()), "{b}: {one:?}");
        let facts = c["decision"]["facts"].as_array().cloned().unwrap_or_default();
        assert!(
            facts.iter().any(|f| f["name"] == "social_insurance_paid_fen" && f["source"] == "declared"),
            "{b}: the reviewer sees what is declared: {c}"
        );
        // Out of range, and overflow, are refused with the fact named.
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&seeker),
                Some(json!({"policy": "flexible_insurance_subsidy", "date": "2024-06-01",
                            "facts": {"flexible_employment_insured": true, "social_insurance_paid_fen": 4_000_000_000_000_000_000i64}})),
            )
            .await;
        assert_eq!(
            (s, code(&e), e["error"]["field"].as_str()),
            (422, "claim.out_of_range", Some("facts.social_insurance_paid_fen")),
            "{b}: {e}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_is_paid_once_whatever_date_is_given() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        publish(&app, &city, "skills_certificate").await;
        // A skill-level certificate issued in 2025; it is now three months later.
        let cert = certificate(
            &app,
            app.seed.person_own,
            CertificateKind::SkillLevel,
            CertificateLevel::Three,
            "S-2025-0001",
            (2025, 6, 1),
        )
        .await;
        app.clock.advance(-Duration::days(451)); // 2025-09-01
        let claim = |date: &str, facts: Value| json!({"policy": "skills_certificate", "record_id": cert.id, "date": date, "facts": facts});
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&seeker),
                Some(claim("2025-07-01", json!({"certificate_level": "one"}))),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "claim.record_fact"), "{b}: the level is the certificate's: {e}");
        let (s, e) = app
            .call("POST", "/api/v1/claims", Some(&seeker), Some(json!({"policy": "skills_certificate", "facts": {}})))
            .await;
        assert_eq!(
            (s, code(&e), e["error"]["field"].as_str()),
            (422, "claim.record_required", Some("record_id")),
            "{b}: {e}"
        );
        let (s, c) = app.call("POST", "/api/v1/claims", Some(&seeker), Some(claim("2023-05-01", json!({})))).await;
        assert_eq!(
            (s, c["amount_fen"].as_i64(), c["period"].as_str()),
            (201, Some(150000), Some("2025")),
            "{b}: level three, the year of the certificate: {c}"
        );
        for date in ["2024-05-01", "2025-08-01"] {
            let (s, e) = app.call("POST", "/api/v1/claims", Some(&seeker), Some(claim(date, json!({})))).await;
            assert_eq!((s, code(&e)), (409, "conflict.claim_duplicate"), "{b}: {date}: {e}");
        }
        let (_, list) = app.call("GET", "/api/v1/claims", Some(&seeker), None).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{b}: one claim for one certificate: {list}");
        // After the claim window (12 months from the certificate) nothing more can be filed.
        app.clock.advance(Duration::days(400));
        let (s, e) =
            app.call("POST", "/api/v1/claims/precheck", Some(&seeker), Some(claim("2025-07-01", json!({})))).await;
        assert_eq!((s, code(&e)), (409, "claim.window_closed"), "{b}: {e}");
        // Another person's certificate cannot be claimed.
        let other = certificate(
            &app,
            app.seed.person_other,
            CertificateKind::SpecialAbility,
            CertificateLevel::None,
            "S-2025-0002",
            (2026, 8, 1),
        )
        .await;
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&seeker),
                Some(json!({"policy": "skills_certificate", "record_id": other.id, "facts": {}})),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "claim.record_not_yours"), "{b}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_and_zero_amounts_are_checked() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let employer = app.token(Role::Employer, "employer").await;
        publish(&app, &city, "yilubao_premium_subsidy").await;
        publish(&app, &city, "enterprise_apprenticeship").await;
        // A flexible employment on record makes the person a flexible worker.
        let pid = app.seed.person_own;
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{pid}/employments"),
                Some(&cw),
                Some(json!({"form": "flexible", "started_on": "2025-01-02"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e}");
        let premium = |fen: i64| json!({"policy": "yilubao_premium_subsidy", "date": "2025-06-01", "facts": {"yilubao_premium_fen": fen}});
        let (s, d) = app.call("POST", "/api/v1/claims/precheck", Some(&seeker), Some(premium(0))).await;
        assert_eq!(
            (s, d["outcome"].as_str(), d["amount_fen"].as_i64()),
            (200, Some("ineligible"), Some(0)),
            "{b}: {d}"
        );
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&seeker), Some(premium(0))).await;
        assert_eq!((s, code(&e)), (422, "claim.ineligible"), "{b}: nothing to pay is never filed: {e}");
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&seeker), Some(premium(-100))).await;
        assert_eq!((s, code(&e)), (422, "claim.out_of_range"), "{b}: {e}");
        let (s, c) = app.call("POST", "/api/v1/claims", Some(&seeker), Some(premium(19900))).await;
        assert_eq!((s, c["amount_fen"].as_i64()), (201, Some(9950)), "{b}: the real claim is not blocked: {c}");
        // Apprentices beyond any real number are refused, not saturated.
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&employer),
                Some(json!({"policy": "enterprise_apprenticeship", "date": "2025-06-01",
                            "facts": {"apprentice_kind": "enterprise_new", "apprentices": 4_000_000_000_000_000_000i64}})),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "claim.out_of_range"), "{b}: {e}");
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&employer),
                Some(json!({"policy": "enterprise_apprenticeship", "date": "2025-06-01",
                            "facts": {"apprentice_kind": "enterprise_new", "apprentices": 1e15}})),
            )
            .await;
        assert_eq!(s, 422, "{b}: {e}");
        // A special-ability certificate has no level.
        let cert_of = |level: &str| json!({"kind": "special_ability", "level": level, "number": format!("C-{level}")});
        let prog = app
            .state
            .store
            .create_programme(
                &jiuye_store::NewProgramme {
                    kind: jiuye_domain::training::TrainingKind::EmploymentSkills,
                    name: "叉车班".into(),
                    provider_id: None,
                    occupation: None,
                    district: OWN.into(),
                    starts_on: crate::support::today(),
                    ends_on: crate::support::today(),
                    capacity: 5,
                    cost_per_trainee_fen: 100000,
                },
                &jiuye_store::AuditEntry::system(),
                app.clock.now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{}/enrolments", prog.id),
                Some(&cw),
                Some(json!({"person_id": pid})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e}");
        let eid = e["id"].as_str().unwrap_or_default().to_string();
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/training/enrolments/{eid}/assessment"),
                Some(&cw),
                Some(json!({"attendance_hours": 40, "passed": true})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, e) = app
            .call("POST", &format!("/api/v1/training/enrolments/{eid}/certificate"), Some(&cw), Some(cert_of("five")))
            .await;
        assert_eq!(
            (s, code(&e), e["error"]["field"].as_str()),
            (422, "training.level_kind", Some("level")),
            "{b}: {e}"
        );
        let (s, e) = app
            .call("POST", &format!("/api/v1/training/enrolments/{eid}/certificate"), Some(&cw), Some(cert_of("none")))
            .await;
        assert_eq!(s, 201, "{b}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_on_every_claim() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let dadmin = app.token(Role::DistrictAdmin, "dadmin.own").await;
        let pid = app.seed.person_own;
        publish(&app, &city, "yilubao_premium_subsidy").await;
        let (s, a) = app
            .call("POST", "/api/v1/budget", Some(&city), Some(json!({"budget_line": "other", "policy_id": "yilubao_premium_subsidy", "allocated_fen": 10_000_000})))
            .await;
        assert_eq!(s, 200, "{b}: {a}");
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{pid}/employments"),
                Some(&cw),
                Some(json!({"form": "flexible", "started_on": "2025-01-02"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e}");
        // The caseworker files on the person's behalf …
        let (s, c) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&cw),
                Some(json!({"policy": "yilubao_premium_subsidy", "claimant_id": pid, "date": "2025-06-01", "facts": {"yilubao_premium_fen": 19900}})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {c}");
        assert_eq!(c["decision"]["channel"], "desk", "{b}: {c}");
        let id = c["id"].as_str().unwrap_or_default().to_string();
        let act = |action: &str| json!({ "action": action });
        let path = format!("/api/v1/claims/{id}/action");
        // … and may not approve it himself.
        let (s, e) = app.call("POST", &path, Some(&cw), Some(act("approve"))).await;
        assert_eq!((s, code(&e)), (409, "claim.four_eyes"), "{b}: {e}");
        let (s, c) = app.call("POST", &path, Some(&dadmin), Some(act("approve"))).await;
        assert_eq!((s, c["status"].as_str()), (200, Some("approved")), "{b}: {c}");
        // Approval and payment by different people.
        let (s, e) = app.call("POST", &path, Some(&dadmin), Some(act("pay"))).await;
        assert_eq!((s, code(&e)), (409, "claim.four_eyes"), "{b}: {e}");
        // The review page: the claimant, each fact with its source, every condition, and a
        // payment that must be confirmed.
        let page = |path: String| {
            let (http, token) = (app.http.clone(), city.clone());
            async move {
                http.get(path)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
                    .text()
                    .await
                    .unwrap_or_default()
            }
        };
        let html = page(app.url(&format!("/staff/claims/{id}"))).await;
        assert!(html.contains("平台记录") && html.contains("申报，待核验"), "{b}: facts with their sources");
        assert!(html.contains("✓ 须为灵活就业人员"), "{b}: each condition checked");
        assert!(html.contains("窗口代为申报") && html.contains("99.50"), "{b}: channel and amount");
        let csrf = crate::support::csrf_of(&html);
        let post = |fields: Vec<(&'static str, String)>| {
            let (http, token, url) = (app.http.clone(), city.clone(), app.url(&format!("/staff/claims/{id}/action")));
            async move {
                http.post(url)
                    .bearer_auth(token)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
                    .text()
                    .await
                    .unwrap_or_default()
            }
        };
        let refused = post(vec![("csrf", csrf.clone()), ("action", "pay".into()), ("back", "review".into())]).await;
        assert!(refused.contains("支付前请勾选确认"), "{b}: payment needs the confirmation");
        let (_, still) = app.call("GET", &format!("/api/v1/claims/{id}"), Some(&city), None).await;
        assert_eq!(still["status"], "approved", "{b}");
        let paid =
            post(vec![("csrf", csrf), ("action", "pay".into()), ("back", "review".into()), ("confirm", "yes".into())])
                .await;
        assert!(paid.contains("id=\"status\">已支付"), "{b}: paid from the review page");
        let (_, c) = app.call("GET", &format!("/api/v1/claims/{id}"), Some(&city), None).await;
        assert_eq!(c["status"], "paid", "{b}: {c}");
    }
}
