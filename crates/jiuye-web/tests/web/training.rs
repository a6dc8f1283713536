//! Training through the API on both backends: capacity, assessment, certificates only after a
//! pass, the certificate rate from the records, and a programme's subsidy decided from them.

use serde_json::json;

use jiuye_domain::roles::Role;

use crate::support::{OWN, apps, fresh_national_id, person_body, provider_account};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_from_enrolment_to_certificate_and_its_subsidy() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let (s, prog) = app
            .call(
                "POST",
                "/api/v1/training/programmes",
                Some(&cw),
                Some(json!({"kind": "employment_skills", "name": "电工（五级）培训班", "occupation": "6-31-01-03",
                            "district": OWN, "starts_on": "2025-03-01", "ends_on": "2025-04-30", "capacity": 2,
                            "cost_per_trainee_fen": 180000})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {prog}");
        let pid = prog["id"].as_str().unwrap_or_default().to_string();
        let (s, second) =
            app.call("POST", "/api/v1/persons", Some(&cw), Some(person_body(&fresh_national_id(41), OWN))).await;
        assert_eq!(s, 201, "{b}: {second}");
        let (_, third) =
            app.call("POST", "/api/v1/persons", Some(&cw), Some(person_body(&fresh_national_id(42), OWN))).await;
        let enrol = |person: serde_json::Value| json!({ "person_id": person });
        let (s, e1) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{pid}/enrolments"),
                Some(&cw),
                Some(enrol(json!(app.seed.person_own))),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e1}");
        let (s, e2) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{pid}/enrolments"),
                Some(&cw),
                Some(enrol(second["id"].clone())),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e2}");
        let (s, full) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{pid}/enrolments"),
                Some(&cw),
                Some(enrol(third["id"].clone())),
            )
            .await;
        assert_eq!((s, full["error"]["code"].as_str()), (409, Some("training.full")), "{b}: {full}");
        let (s, again) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{pid}/enrolments"),
                Some(&cw),
                Some(enrol(json!(app.seed.person_own))),
            )
            .await;
        assert_eq!(s, 409, "{b}: {again}");
        // Assessment: one passes, one does not.
        let (e1, e2) =
            (e1["id"].as_str().unwrap_or_default().to_string(), e2["id"].as_str().unwrap_or_default().to_string());
        for (e, passed) in [(&e1, true), (&e2, false)] {
            let (s, a) = app
                .call(
                    "POST",
                    &format!("/api/v1/training/enrolments/{e}/assessment"),
                    Some(&cw),
                    Some(json!({"attendance_hours": 80, "passed": passed, "assessed_on": "2025-04-30"})),
                )
                .await;
            assert_eq!((s, a["status"].as_str()), (200, Some("completed")), "{b}: {a}");
        }
        let cert =
            json!({"kind": "skill_level", "level": "five", "number": "S350203-2025-0001", "occupation": "6-31-01-03"});
        let (s, c) = app
            .call("POST", &format!("/api/v1/training/enrolments/{e2}/certificate"), Some(&cw), Some(cert.clone()))
            .await;
        assert_eq!((s, c["error"]["code"].as_str()), (409, Some("training.not_completed")), "{b}: {c}");
        let (s, c) =
            app.call("POST", &format!("/api/v1/training/enrolments/{e1}/certificate"), Some(&cw), Some(cert)).await;
        assert_eq!(s, 201, "{b}: {c}");
        // The certificate rate after training, and the programme's subsidy: 1 passed × 1000 元
        // (once the city has published the policy).
        let city = app.token(Role::CityAdmin, "city").await;
        let (s, _) = app
            .call(
                "POST",
                "/api/v1/policies/employment_skills_training/publish",
                Some(&city),
                Some(json!({"version": "2023.1"})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (_, rate) = app.call("GET", "/api/v1/training/certificate-rate", Some(&cw), None).await;
        assert_eq!(
            (rate["completed"].as_u64(), rate["certified"].as_u64(), rate["certificate_rate_permille"].as_u64()),
            (Some(2), Some(1), Some(500)),
            "{b}: {rate}"
        );
        let (s, claim) = app.call("GET", &format!("/api/v1/training/programmes/{pid}/claim"), Some(&cw), None).await;
        assert_eq!(s, 200, "{b}: {claim}");
        assert_eq!(claim["policy"], "employment_skills_training", "{b}");
        assert_eq!(
            (claim["decision"]["outcome"].as_str(), claim["decision"]["amount_fen"].as_i64()),
            (Some("eligible"), Some(100000)),
            "{b}: {claim}"
        );
        // The trainee sees their record.
        let me = app.token(Role::Seeker, "seeker").await;
        let (_, mine) = app.call("GET", "/api/v1/me/training", Some(&me), None).await;
        assert_eq!(
            (mine["enrolments"].as_array().map(Vec::len), mine["certificates"].as_array().map(Vec::len)),
            (Some(1), Some(1)),
            "{b}: {mine}"
        );
        // The caseworker's picture of the person holds the training and the certificate too.
        let (_, case) =
            app.call("GET", &format!("/api/v1/persons/{}/casework", app.seed.person_own), Some(&cw), None).await;
        assert_eq!(
            (case["training"].as_array().map(Vec::len), case["certificates"][0]["level"]["name"].as_str()),
            (Some(1), Some("五级（初级工）")),
            "{b}: {case}"
        );
        // A seeker cannot run training.
        let (s, _) = app.call("POST", "/api/v1/training/programmes", Some(&me), Some(json!({}))).await;
        assert_eq!(s, 403, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_manages_only_its_own_classes() {
    for app in apps().await {
        let b = app.backend;
        let school_a = provider_account(&app, "school.a", "甲职业培训学校").await;
        provider_account(&app, "school.b", "乙职业培训学校").await;
        crate::support::contract_for(&app, school_a, &[app.seed.person_own]).await;
        let a = app.token(Role::Provider, "school.a").await;
        let other = app.token(Role::Provider, "school.b").await;
        let cw_other = app.token(Role::Caseworker, "cw.other").await;
        let (s, prog) = app
            .call(
                "POST",
                "/api/v1/training/programmes",
                Some(&a),
                Some(json!({"kind": "entrepreneurship", "name": "创业培训（SYB）", "district": OWN,
                            "starts_on": "2026-09-01", "ends_on": "2026-09-30", "capacity": 30,
                            "cost_per_trainee_fen": 150000})),
            )
            .await;
        assert_eq!((s, prog["provider_id"].is_string()), (201, true), "{b}: {prog}");
        let pid = prog["id"].as_str().unwrap_or_default().to_string();
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/training/programmes/{pid}/enrolments"),
                Some(&a),
                Some(json!({"person_id": app.seed.person_own})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e}");
        let eid = e["id"].as_str().unwrap_or_default().to_string();
        // Another school, and another district's caseworker, find nothing to act on.
        for token in [&other, &cw_other] {
            let (s, _) = app
                .call(
                    "POST",
                    &format!("/api/v1/training/programmes/{pid}/enrolments"),
                    Some(token),
                    Some(json!({"person_id": app.seed.person_other})),
                )
                .await;
            assert_eq!(s, 404, "{b}: enrol in another's class");
            let (s, _) = app
                .call(
                    "POST",
                    &format!("/api/v1/training/enrolments/{eid}/assessment"),
                    Some(token),
                    Some(json!({"attendance_hours": 40, "passed": true})),
                )
                .await;
            assert_eq!(s, 404, "{b}: assess another's trainee");
            let (s, _) = app.call("GET", &format!("/api/v1/training/programmes/{pid}/claim"), Some(token), None).await;
            assert_eq!(s, 404, "{b}: another's subsidy figures");
        }
        // Nothing was written by the refused calls.
        let (s, a2) = app
            .call(
                "POST",
                &format!("/api/v1/training/enrolments/{eid}/assessment"),
                Some(&a),
                Some(json!({"attendance_hours": 40, "passed": true})),
            )
            .await;
        assert_eq!((s, a2["attendance_hours"].as_i64()), (200, Some(40)), "{b}: {a2}");
        let (_, claim) = app.call("GET", &format!("/api/v1/training/programmes/{pid}/claim"), Some(&a), None).await;
        assert_eq!(claim["figures"]["enrolled"].as_u64(), Some(1), "{b}: {claim}");
    }
}
