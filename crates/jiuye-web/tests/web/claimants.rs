//! Claims by employers and organisations on both backends: per-person subsidies (one claim per
//! employee named, the employee someone the employer employs, caps counted per person), an
//! organisation filing for itself and seeing only its own, and the budget for a period.

use serde_json::{Value, json};

use crate::support::{OWN, apps, code, fresh_national_id, internship_vacancy, person_body, provider_account, publish};
use jiuye_domain::roles::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_claims_per_employee_and_the_budget_reports_the_period() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let employer = app.token(Role::Employer, "employer").await;
        publish(&app, &city, "internship_subsidy").await;
        let internship = internship_vacancy(&app, &cw, app.seed.employer_id).await;
        // Two interns employed by the seeded employer, one person it never employed.
        let mut interns = Vec::new();
        // The first started in January, the second in April: by 2025-07-01 the records give six
        // and three months.
        for (n, start) in [(61, "2025-01-01"), (62, "2025-04-01")] {
            let (s, p) =
                app.call("POST", "/api/v1/persons", Some(&cw), Some(person_body(&fresh_national_id(n), OWN))).await;
            assert_eq!(s, 201, "{b}: {p}");
            let id = p["id"].as_str().unwrap_or_default().to_string();
            let (s, e) = app
                .call(
                    "POST",
                    &format!("/api/v1/persons/{id}/employments"),
                    Some(&cw),
                    Some(json!({"form": "unit", "employer_id": app.seed.employer_id, "vacancy_id": internship,
                                "started_on": start})),
                )
                .await;
            assert_eq!(s, 201, "{b}: {e}");
            interns.push(id);
        }
        let claim = |subject: Option<&str>| {
            let mut v = json!({"policy": "internship_subsidy", "facts": {}, "date": "2025-07-01"});
            if let Some(s) = subject {
                v["subject_id"] = json!(s);
            }
            v
        };
        // The months come from the employment records: an employer stating them is refused.
        let mut stated = claim(Some(&interns[0]));
        stated["facts"] = json!({"internship_months": 12});
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&employer), Some(stated)).await;
        assert_eq!((s, code(&e)), (422, "claim.record_fact"), "{b}: {e}");
        // Per-person policies need the person, and only someone the employer employed.
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&employer), Some(claim(None))).await;
        assert_eq!(
            (s, code(&e), e["error"]["field"].as_str()),
            (422, "input.required", Some("subject_id")),
            "{b}: {e}"
        );
        let stranger = app.seed.person_other.to_string();
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&employer), Some(claim(Some(&stranger)))).await;
        assert_eq!((s, code(&e)), (422, "claim.subject_unrelated"), "{b}: {e}");
        // One claim per intern: both interns may be claimed for in the same year.
        let (s, first) = app.call("POST", "/api/v1/claims", Some(&employer), Some(claim(Some(&interns[0])))).await;
        assert_eq!((s, first["amount_fen"].as_i64()), (201, Some(6 * 223_300)), "{b}: {first}");
        assert_eq!(first["subject_id"].as_str(), Some(interns[0].as_str()), "{b}");
        let (s, second) = app.call("POST", "/api/v1/claims", Some(&employer), Some(claim(Some(&interns[1])))).await;
        assert_eq!((s, second["amount_fen"].as_i64()), (201, Some(3 * 223_300)), "{b}: {second}");
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&employer), Some(claim(Some(&interns[0])))).await;
        assert_eq!((s, code(&e)), (409, "conflict.claim_duplicate"), "{b}: the same intern twice: {e}");
        let (_, mine) = app.call("GET", "/api/v1/claims", Some(&employer), None).await;
        assert_eq!(mine["items"].as_array().map(Vec::len), Some(2), "{b}: {mine}");
        // A subject on a policy that is not per person is refused.
        publish(&app, &city, "yilubao_premium_subsidy").await;
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&cw),
                Some(json!({"policy": "yilubao_premium_subsidy", "date": "2025-06-01", "claimant_id": app.seed.person_own,
                            "subject_id": interns[0], "facts": {"yilubao_premium_fen": 19900}})),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "claim.subject_not_needed"), "{b}: {e}");

        // Approve and pay the first; the budget for November 2026 (when that happened) shows it,
        // October does not; running totals agree.
        let (s, _) = app
            .call(
                "POST",
                "/api/v1/budget",
                Some(&city),
                Some(json!({"budget_line": "central", "policy_id": "internship_subsidy", "allocated_fen": 10_000_000})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let id = first["id"].as_str().unwrap_or_default();
        // Four eyes: one city admin approves, another pays.
        let payer = crate::support::extra_staff(&app, Role::CityAdmin, "city.payer", None).await;
        for (action, who) in [("approve", &city), ("pay", &payer)] {
            let (s, c) = app
                .call("POST", &format!("/api/v1/claims/{id}/action"), Some(who), Some(json!({"action": action})))
                .await;
            assert_eq!(s, 200, "{b}: {action}: {c}");
        }
        let row = |v: &Value| -> (i64, i64, i64) {
            let r = v.as_array().and_then(|a| a.iter().find(|r| r["policy_id"] == "internship_subsidy")).cloned();
            let r = r.unwrap_or_else(|| panic!("{b}: no internship row in {v}"));
            (
                r["reserved_fen"].as_i64().unwrap_or(-1),
                r["paid_fen"].as_i64().unwrap_or(-1),
                r["execution_permille"].as_i64().unwrap_or(-1),
            )
        };
        let (_, running) = app.call("GET", "/api/v1/budget", Some(&city), None).await;
        assert_eq!(row(&running), (0, 1_339_800, 133), "{b}: {running}");
        let (s, nov) = app.call("GET", "/api/v1/budget?from=2026-11-01&to=2026-11-30", Some(&city), None).await;
        assert_eq!(s, 200, "{b}: {nov}");
        assert_eq!(row(&nov), (1_339_800, 1_339_800, 133), "{b}: approved and paid in November: {nov}");
        let (_, oct) = app.call("GET", "/api/v1/budget?from=2026-10-01&to=2026-10-31", Some(&city), None).await;
        assert_eq!(row(&oct), (0, 0, 0), "{b}: nothing in October: {oct}");
        let (s, e) = app.call("GET", "/api/v1/budget?from=2026-11-30&to=2026-11-01", Some(&city), None).await;
        assert_eq!((s, code(&e)), (422, "input.period"), "{b}: {e}");
        let resp = app
            .http
            .get(app.url("/api/v1/budget.xlsx?from=2026-11-01&to=2026-11-30"))
            .bearer_auth(&city)
            .send()
            .await
            .expect("xlsx");
        assert_eq!(resp.status(), 200, "{b}");

        // The caps count per intern, whoever claims: another employer with the first intern in
        // its own internship from February has ten months on record by the end of 2025, but
        // gets only what is left of 12 months (6 were paid).
        let other_internship = internship_vacancy(&app, &city, app.seed.other_employer_id).await;
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{}/employments", interns[0]),
                Some(&cw),
                Some(json!({"form": "unit", "employer_id": app.seed.other_employer_id, "vacancy_id": other_internship,
                            "started_on": "2025-02-01"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e}");
        let (_, d) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&city),
                Some(json!({"policy": "internship_subsidy", "date": "2025-12-31", "claimant_id": app.seed.other_employer_id,
                            "subject_id": interns[0], "facts": {}})),
            )
            .await;
        assert_eq!(
            (d["outcome"].as_str(), d["amount_fen"].as_i64()),
            (Some("eligible"), Some(6 * 223_300)),
            "{b}: only the six months left: {d}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_files_for_itself_and_sees_only_its_own() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        publish(&app, &city, "third_party_service_per_served").await;
        provider_account(&app, "org.a", "甲人力资源服务公司").await;
        provider_account(&app, "org.b", "乙人力资源服务公司").await;
        let a = app.token(Role::Provider, "org.a").await;
        let other = app.token(Role::Provider, "org.b").await;
        let body = |district: Option<&str>| {
            let mut v = json!({"policy": "third_party_service_per_served", "date": "2025-06-01",
                               "facts": {"org_kind": "hr_provider", "persons_served": 12}});
            if let Some(d) = district {
                v["district"] = json!(d);
            }
            v
        };
        // An organisation names the district it files in.
        let (s, e) = app.call("POST", "/api/v1/claims", Some(&a), Some(body(None))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("district")), "{b}: {e}");
        let (s, c) = app.call("POST", "/api/v1/claims", Some(&a), Some(body(Some(OWN)))).await;
        assert_eq!(
            (s, c["amount_fen"].as_i64(), c["claimant_kind"].as_str()),
            (201, Some(240_000), Some("organisation")),
            "{b}: {c}"
        );
        let id = c["id"].as_str().unwrap_or_default();
        let (s, _) = app.call("GET", &format!("/api/v1/claims/{id}"), Some(&a), None).await;
        assert_eq!(s, 200, "{b}: its own claim");
        let (s, _) = app.call("GET", &format!("/api/v1/claims/{id}"), Some(&other), None).await;
        assert_eq!(s, 404, "{b}: another organisation's claim is not visible");
        let (_, theirs) = app.call("GET", "/api/v1/claims", Some(&other), None).await;
        assert_eq!(theirs["items"].as_array().map(Vec::len), Some(0), "{b}: {theirs}");
        // A person's policy is not the organisation's to claim.
        let (s, _) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&a),
                Some(json!({"policy": "yilubao_premium_subsidy", "facts": {}, "date": "2025-06-01"})),
            )
            .await;
        assert!(s == 403 || s == 409, "{b}: {s}");
        // An organisation cannot act on claims.
        let (s, _) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&a), Some(json!({"action": "approve"})))
            .await;
        assert_eq!(s, 403, "{b}");
    }
}
