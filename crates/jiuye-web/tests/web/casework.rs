//! Casework through the API on both backends: registration and its refusal naming the existing
//! one, the ledger and "131", pushes with reasons, contacts, employment ending a registration,
//! district scope, providers limited to their contracts, the seeker's own view and ratings.

use serde_json::{Value, json};

use jiuye_domain::roles::Role;

use crate::support::{OWN, apps, person_body};

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_registers_serves_and_completes_131() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let other = app.token(Role::Caseworker, "cw.other").await;
        let p = app.seed.person_own;
        // Bad input: unknown basis, a date in the future.
        let (s, body) = app
            .call("POST", &format!("/api/v1/persons/{p}/registrations"), Some(&cw), Some(json!({"basis": "moon"})))
            .await;
        assert_eq!(
            (s, code(&body), body["error"]["field"].as_str()),
            (422, "input.enum", Some("basis")),
            "{b}: {body}"
        );
        let (s, body) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{p}/registrations"),
                Some(&cw),
                Some(json!({"basis": "residence", "registered_on": "2027-01-01"})),
            )
            .await;
        assert_eq!((s, code(&body)), (409, "casework.future_date"), "{b}: {body}");
        // Another district's caseworker cannot see or register the person.
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{p}/registrations"),
                Some(&other),
                Some(json!({"basis": "residence"})),
            )
            .await;
        assert_eq!(s, 404, "{b}: outside the district is not found");
        let (s, reg) = app
            .call("POST", &format!("/api/v1/persons/{p}/registrations"), Some(&cw), Some(json!({"basis": "hukou"})))
            .await;
        assert_eq!(s, 201, "{b}: {reg}");
        assert_eq!(reg["basis"]["name"], "户籍地", "{b}");
        assert_eq!(reg["one31_status"]["code"], "on_track", "{b}");
        // A second registration is refused with the existing one named, in both languages.
        let (s, body) = app
            .call("POST", &format!("/api/v1/persons/{p}/registrations"), Some(&cw), Some(json!({"basis": "residence"})))
            .await;
        assert_eq!((s, code(&body)), (409, "casework.already_registered"), "{b}: {body}");
        assert!(body["error"]["message"].as_str().unwrap_or_default().contains("思明区"), "{b}: {body}");
        assert!(body["error"]["message_en"].as_str().unwrap_or_default().contains("2026-11-26"), "{b}: {body}");
        // 1 guidance, 3 pushed jobs, 1 training offer.
        let (s, g) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{p}/services"),
                Some(&cw),
                Some(json!({"kind": "career_guidance", "note": "职业兴趣测评与求职计划"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {g}");
        let (s, pushed) = app.call("POST", &format!("/api/v1/persons/{p}/push-jobs"), Some(&cw), None).await;
        assert_eq!(s, 201, "{b}: {pushed}");
        let pushed = pushed.as_array().cloned().unwrap_or_default();
        assert!(!pushed.is_empty(), "{b}: the seeded vacancies give at least one job");
        for s in &pushed {
            assert_eq!(s["kind"]["code"], "job_referral", "{b}");
            assert!(s["vacancy_id"].is_string(), "{b}: names the vacancy");
            assert!(!s["reasons"].as_array().cloned().unwrap_or_default().is_empty(), "{b}: with reasons: {s}");
        }
        // Top up to three referrals by hand when the seed had fewer open jobs.
        for _ in pushed.len()..3 {
            let (s, _) = app
                .call(
                    "POST",
                    &format!("/api/v1/persons/{p}/services"),
                    Some(&cw),
                    Some(json!({"kind": "job_referral"})),
                )
                .await;
            assert_eq!(s, 201, "{b}");
        }
        let (_, case) = app.call("GET", &format!("/api/v1/persons/{p}/casework"), Some(&cw), None).await;
        assert_eq!(case["one31"]["status"]["code"], "on_track", "{b}: training still missing: {}", case["one31"]);
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{p}/services"),
                Some(&cw),
                Some(json!({"kind": "skills_training", "course": "电工（五级）培训班"})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let (_, case) = app.call("GET", &format!("/api/v1/persons/{p}/casework"), Some(&cw), None).await;
        assert_eq!(case["one31"]["status"]["code"], "complete", "{b}: {}", case["one31"]);
        assert!(case["tier"]["reasons"].as_array().is_some_and(|r| !r.is_empty()), "{b}: the tier says why");
        // A second push the same day offers other jobs (never the same vacancy twice).
        let (_, again) = app.call("POST", &format!("/api/v1/persons/{p}/push-jobs"), Some(&cw), None).await;
        let first: Vec<&Value> = pushed.iter().map(|s| &s["vacancy_id"]).collect();
        for s in again.as_array().cloned().unwrap_or_default() {
            assert!(!first.contains(&&s["vacancy_id"]), "{b}: vacancy pushed twice");
        }
        // The caseload lists them as complete; the other district's list does not.
        let (s, list) = app.call("GET", "/api/v1/casework/caseload?one31=complete", Some(&cw), None).await;
        assert_eq!(s, 200, "{b}: {list}");
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{b}: {list}");
        let (_, list) = app.call("GET", "/api/v1/casework/caseload", Some(&other), None).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{b}: other district sees nobody");
        let (s, body) = app.call("GET", "/api/v1/casework/caseload?one31=late", Some(&cw), None).await;
        assert_eq!((s, code(&body)), (422, "input.enum"), "{b}: {body}");
        let (s, body) = app.call("GET", "/api/v1/casework/caseload?tier=9", Some(&cw), None).await;
        assert_eq!((s, code(&body)), (422, "casework.tier_unknown"), "{b}: {body}");
        let (s, league) = app.call("GET", "/api/v1/casework/league", Some(&cw), None).await;
        assert_eq!(s, 200, "{b}");
        let row = league.as_array().and_then(|l| l.iter().find(|r| r["district"] == OWN).cloned()).unwrap_or_default();
        assert_eq!((row["registered"].as_i64(), row["complete"].as_i64()), (Some(1), Some(1)), "{b}: {league}");
        // A contact, then employment ends the registration.
        let (s, c) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{p}/contacts"),
                Some(&cw),
                Some(json!({"method": "phone", "outcome": "reached"})),
            )
            .await;
        assert_eq!((s, c["outcome"]["name"].as_str()), (201, Some("已联系上")), "{b}: {c}");
        let (s, body) = app
            .call("POST", &format!("/api/v1/persons/{p}/employments"), Some(&cw), Some(json!({"form": "unit"})))
            .await;
        assert_eq!((s, code(&body)), (409, "casework.employer_required"), "{b}: {body}");
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{p}/employments"),
                Some(&cw),
                Some(json!({"form": "unit", "employer_id": app.seed.employer_id})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {e}");
        let (_, case) = app.call("GET", &format!("/api/v1/persons/{p}/casework"), Some(&cw), None).await;
        assert!(case["active_registration"].is_null(), "{b}: ended by the employment");
        assert_eq!(case["registrations"][0]["registration"]["status"]["code"], "employed", "{b}");
        assert_eq!(case["person"]["employment_status"], "employed", "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeker_registers_online_sees_pushed_jobs_and_rates() {
    for app in apps().await {
        let b = app.backend;
        let me = app.token(Role::Seeker, "seeker").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let (s, reg) =
            app.call("POST", "/api/v1/me/registration", Some(&me), Some(json!({"basis": "workplace"}))).await;
        assert_eq!(s, 201, "{b}: {reg}");
        let (s, body) =
            app.call("POST", "/api/v1/me/registration", Some(&me), Some(json!({"basis": "residence"}))).await;
        assert_eq!((s, code(&body)), (409, "casework.already_registered"), "{b}");
        let p = app.seed.person_own;
        let (s, _) = app.call("POST", &format!("/api/v1/persons/{p}/push-jobs"), Some(&cw), None).await;
        assert_eq!(s, 201, "{b}");
        let (_, mine) = app.call("GET", "/api/v1/me/casework", Some(&me), None).await;
        let services = mine["services"].as_array().cloned().unwrap_or_default();
        assert!(!services.is_empty(), "{b}: the person sees the pushes: {mine}");
        let sid = services[0]["id"].as_str().unwrap_or_default().to_string();
        let (s, body) =
            app.call("POST", &format!("/api/v1/me/services/{sid}/rating"), Some(&me), Some(json!({"score": 0}))).await;
        assert_eq!((s, code(&body)), (409, "casework.rating_range"), "{b}");
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/me/services/{sid}/rating"),
                Some(&me),
                Some(json!({"score": 5, "comment": "推荐的岗位很合适"})),
            )
            .await;
        assert_eq!(s, 204, "{b}");
        let (s, body) =
            app.call("POST", &format!("/api/v1/me/services/{sid}/rating"), Some(&me), Some(json!({"score": 4}))).await;
        assert_eq!((s, code(&body)), (409, "casework.rating_twice"), "{b}");
        let (_, sat) = app.call("GET", "/api/v1/casework/satisfaction", Some(&cw), None).await;
        let kind = sat.as_array().and_then(|l| l.iter().find(|r| r["by"] == "kind").cloned()).unwrap_or_default();
        assert_eq!((kind["key"].as_str(), kind["mean_x100"].as_u64()), (Some("job_referral"), Some(500)), "{b}: {sat}");
        // The person declares a job; the registration ends.
        let (s, _) = app.call("POST", "/api/v1/me/employments", Some(&me), Some(json!({"form": "flexible"}))).await;
        assert_eq!(s, 201, "{b}");
        let (_, mine) = app.call("GET", "/api/v1/me/casework", Some(&me), None).await;
        assert!(mine["active_registration"].is_null(), "{b}");
        assert_eq!(mine["employments"][0]["source"]["code"], "person", "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_serve_only_the_persons_their_contracts_cover() {
    for app in apps().await {
        let b = app.backend;
        let admin = app.token(Role::DistrictAdmin, "dadmin.own").await;
        let (s, provider) =
            app.call("POST", "/api/v1/providers", Some(&admin), Some(json!({"name": "鹭岛人力"}))).await;
        assert_eq!(s, 201, "{b}: {provider}");
        let pid = provider["id"].as_str().unwrap_or_default().to_string();
        // The admin's contract may cover only persons of their district.
        let contract = |persons: Vec<uuid::Uuid>| {
            json!({"name": "“131”服务包", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                   "price_served_fen": 20000, "price_employed_fen": 100000, "persons": persons})
        };
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/providers/{pid}/contracts"),
                Some(&admin),
                Some(contract(vec![app.seed.person_other])),
            )
            .await;
        assert_eq!(s, 404, "{b}: another district's person");
        let (s, body) = app
            .call(
                "POST",
                &format!("/api/v1/providers/{pid}/contracts"),
                Some(&admin),
                Some(json!({"name": "x", "starts_on": "2026-12-31", "ends_on": "2026-01-01", "price_served_fen": 1, "price_employed_fen": 1, "persons": []})),
            )
            .await;
        assert_eq!((s, code(&body)), (422, "input.date_order"), "{b}");
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/providers/{pid}/contracts"),
                Some(&admin),
                Some(contract(vec![app.seed.person_own])),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        // A provider staff account of this organisation.
        let (s, acct) = app
            .call(
                "POST",
                "/api/v1/accounts",
                Some(&app.token(Role::CityAdmin, "city").await),
                Some(json!({"username": "ludao.1", "display_name": "鹭岛顾问", "role": "provider", "organisation": pid, "password": "provider-pass-1"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {acct}");
        let (s, login) = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"kind": "staff", "identifier": "ludao.1", "password": "provider-pass-1"})),
            )
            .await;
        assert_eq!(s, 200, "{b}: {login}");
        let token = login["token"].as_str().unwrap_or_default().to_string();
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/provider/persons/{}/services", app.seed.person_other),
                Some(&token),
                Some(json!({"kind": "career_guidance"})),
            )
            .await;
        assert_eq!(s, 404, "{b}: not covered");
        let (s, svc) = app
            .call(
                "POST",
                &format!("/api/v1/provider/persons/{}/services", app.seed.person_own),
                Some(&token),
                Some(json!({"kind": "career_guidance"})),
            )
            .await;
        assert_eq!((s, svc["provider_id"].as_str()), (201, Some(pid.as_str())), "{b}: {svc}");
        // Providers never reach the caseworkers' person routes.
        let (s, _) =
            app.call("GET", &format!("/api/v1/persons/{}/casework", app.seed.person_own), Some(&token), None).await;
        assert_eq!(s, 403, "{b}");
        let (s, st) = app.call("GET", "/api/v1/provider/statement?month=2026-11", Some(&token), None).await;
        assert_eq!(s, 200, "{b}: {st}");
        assert_eq!(
            (st["lines"][0]["persons_served"].as_u64(), st["total_fen"].as_i64()),
            (Some(1), Some(20000)),
            "{b}: {st}"
        );
        let (s, body) = app.call("GET", "/api/v1/provider/statement?month=2026-13", Some(&token), None).await;
        assert_eq!((s, code(&body)), (422, "input.month"), "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn households_are_flagged_and_listed_within_the_district() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let (s, second) = app
            .call("POST", "/api/v1/persons", Some(&cw), Some(person_body(&crate::support::fresh_national_id(3), OWN)))
            .await;
        assert_eq!(s, 201, "{b}: {second}");
        let members = json!({"address": "思明区某社区", "members": [
            {"person_id": app.seed.person_own, "relation": "户主"},
            {"person_id": second["id"], "relation": "配偶"}]});
        let (s, h) = app.call("POST", "/api/v1/casework/households", Some(&cw), Some(members.clone())).await;
        assert_eq!(s, 201, "{b}: {h}");
        let (s, body) = app.call("POST", "/api/v1/casework/households", Some(&cw), Some(members)).await;
        assert_eq!((s, code(&body)), (409, "casework.household_member"), "{b}: {body}");
        let other = app.token(Role::Caseworker, "cw.other").await;
        let (s, _) = app
            .call(
                "POST",
                "/api/v1/casework/households",
                Some(&other),
                Some(json!({"members": [{"person_id": app.seed.person_own, "relation": "户主"}]})),
            )
            .await;
        assert_eq!(s, 404, "{b}: outside the district");
        let (_, list) = app.call("GET", "/api/v1/casework/households", Some(&other), None).await;
        let flagged = h["flagged_on"].is_string();
        let (_, own_list) = app.call("GET", "/api/v1/casework/households", Some(&cw), None).await;
        assert_eq!(own_list.as_array().map(Vec::len), Some(usize::from(flagged)), "{b}: {own_list}");
        assert_eq!(list.as_array().map(Vec::len), Some(0), "{b}");
    }
}
