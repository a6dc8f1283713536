//! Claims through the API on both backends: explanation before filing, refusals with every
//! failed condition, paid once, district review, city approval, payment, budget and roles.

use serde_json::{Value, json};

use jiuye_domain::roles::Role;

use crate::support::{TestApp, spawn_with};

const POLICY: &str = r#"
id = "test_subsidy"
version = "1"
title = { zh = "测试补贴", en = "Test subsidy" }
claimant = "person"
effective_from = 2023-01-01
legal_source = "测试文件 第1条"
budget_line = "central"
period = "year"

[[criteria]]
fact = "age"
op = "between"
value = [16, 150]
reason = { zh = "须年满16岁", en = "Aged 16 or over" }

[[criteria]]
fact = "flexible_employment_insured"
op = "true"
reason = { zh = "须以个人身份参加社会保险", en = "Must be insured as an individual" }

[[criteria]]
fact = "social_insurance_paid_fen"
op = "ge"
value = 100
reason = { zh = "须已缴纳社会保险费", en = "Must have paid contributions" }

[amount]
kind = "fixed"
param = "per_person"

[caps]
per_period_fen = "cap_year"

[parameters.per_person]
unit = "fen"
values = [{ from = 2023-01-01, value = 100000 }]

[parameters.cap_year]
unit = "fen"
values = [{ from = 2023-01-01, value = 300000 }]
"#;

async fn apps() -> Vec<TestApp> {
    let stores = jiuye_store::testing::fresh_stores().await.unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for (backend, store) in stores {
        let cat = jiuye_policy::Catalogue::load(jiuye_policy::embedded::FACTS, &[("test_subsidy@1.toml", POLICY)])
            .unwrap_or_else(|e| panic!("{e:?}"));
        out.push(spawn_with(backend, store, Some(cat)).await);
    }
    out
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_from_explanation_to_payment() {
    for app in apps().await {
        let b = app.backend;
        let p = app.seed.person_own;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let other = app.token(Role::Caseworker, "cw.other").await;
        let dadmin = app.token(Role::DistrictAdmin, "dadmin.own").await;
        let city = app.token(Role::CityAdmin, "city").await;
        let claim =
            |facts: Value| json!({"policy": "test_subsidy", "facts": facts, "claimant_id": p, "date": "2026-11-26"});
        // Nothing decides until the city publishes the version.
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&cw),
                Some(claim(json!({"flexible_employment_insured": true, "social_insurance_paid_fen": 1000}))),
            )
            .await;
        assert_eq!((s, code(&e)), (409, "policy.unpublished"), "{b}: {e}");
        let (s, _) =
            app.call("POST", "/api/v1/policies/test_subsidy/publish", Some(&cw), Some(json!({"version": "1"}))).await;
        assert_eq!(s, 403, "{b}: only the city publishes");
        let (s, pubd) =
            app.call("POST", "/api/v1/policies/test_subsidy/publish", Some(&city), Some(json!({"version": "1"}))).await;
        assert_eq!((s, pubd["published"].as_bool()), (200, Some(true)), "{b}: {pubd}");
        let (_, versions) = app.call("GET", "/api/v1/policies/versions", Some(&city), None).await;
        assert_eq!(versions[0]["published"], true, "{b}: {versions}");
        // The explanation before filing: every failed condition, not only the first.
        let (s, d) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&cw),
                Some(claim(json!({"flexible_employment_insured": false, "social_insurance_paid_fen": 50}))),
            )
            .await;
        assert_eq!((s, d["outcome"].as_str()), (200, Some("ineligible")), "{b}: {d}");
        assert_eq!(d["reasons"].as_array().map(Vec::len), Some(2), "{b}: both conditions: {d}");
        assert_eq!(d["reasons"][0]["source"], "测试文件 第1条", "{b}");
        let (_, d) = app
            .call(
                "POST",
                "/api/v1/claims/precheck",
                Some(&cw),
                Some(claim(json!({"flexible_employment_insured": true}))),
            )
            .await;
        assert_eq!(
            (d["outcome"].as_str(), d["missing"][0].as_str()),
            (Some("undetermined"), Some("social_insurance_paid_fen")),
            "{b}"
        );
        // Filing refuses the ineligible and the undetermined, with nothing written.
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&cw),
                Some(claim(json!({"flexible_employment_insured": true, "social_insurance_paid_fen": 50}))),
            )
            .await;
        assert_eq!((s, code(&e)), (422, "claim.ineligible"), "{b}: {e}");
        assert!(e.to_string().contains("须已缴纳社会保险费"), "{b}: the failed condition is named: {e}");
        let (s, e) = app
            .call("POST", "/api/v1/claims", Some(&cw), Some(claim(json!({"flexible_employment_insured": "yes"}))))
            .await;
        assert_eq!(s, 422, "{b}: a fact of the wrong type: {e}");
        let (_, list) = app.call("GET", "/api/v1/claims", Some(&cw), None).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{b}: nothing written");
        // Filed; a second for the same year is refused by the database.
        let (s, c) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&cw),
                Some(claim(json!({"flexible_employment_insured": true, "social_insurance_paid_fen": 1000}))),
            )
            .await;
        assert_eq!(
            (s, c["amount_fen"].as_i64(), c["status"].as_str()),
            (201, Some(100000), Some("submitted")),
            "{b}: {c}"
        );
        let id = c["id"].as_str().unwrap_or_default().to_string();
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/claims",
                Some(&cw),
                Some(claim(json!({"flexible_employment_insured": true, "social_insurance_paid_fen": 1000}))),
            )
            .await;
        assert_eq!((s, code(&e)), (409, "conflict.claim_duplicate"), "{b}: {e}");
        // Publishing again re-screens the open claim under the version (noted, status unchanged).
        let (_, again) =
            app.call("POST", "/api/v1/policies/test_subsidy/publish", Some(&city), Some(json!({"version": "1"}))).await;
        assert_eq!(
            (again["published"].as_bool(), again["rescreened"].as_u64(), again["changed"].as_u64()),
            (Some(false), Some(1), Some(0)),
            "{b}: {again}"
        );
        // Another district cannot see or review it; a provider cannot act at all.
        let (s, _) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&other), Some(json!({"action": "approve"})))
            .await;
        assert_eq!(s, 404, "{b}");
        // Four eyes: the caseworker who filed it on the person's behalf may not approve it.
        let (s, e) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&cw), Some(json!({"action": "approve"})))
            .await;
        assert_eq!((s, code(&e)), (409, "claim.four_eyes"), "{b}: {e}");
        // Approval reserves money: without an allocation the budget refuses, and nothing moves.
        let (s, e) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&dadmin), Some(json!({"action": "approve"})))
            .await;
        assert_eq!((s, code(&e)), (409, "budget.exhausted"), "{b}: {e}");
        let (_, c) = app.call("GET", &format!("/api/v1/claims/{id}"), Some(&cw), None).await;
        assert_eq!(c["status"], "submitted", "{b}: the refused approval left it as it was");
        let (s, e) = app
            .call(
                "POST",
                "/api/v1/budget",
                Some(&dadmin),
                Some(json!({"budget_line": "central", "policy_id": "test_subsidy", "allocated_fen": 150000})),
            )
            .await;
        assert_eq!(s, 403, "{b}: only the city sets budgets: {e}");
        let (s, _) = app
            .call(
                "POST",
                "/api/v1/budget",
                Some(&city),
                Some(json!({"budget_line": "central", "policy_id": "test_subsidy", "allocated_fen": 150000})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, c) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&dadmin), Some(json!({"action": "approve"})))
            .await;
        assert_eq!((s, c["status"].as_str()), (200, Some("approved")), "{b}: {c}");
        let (s, e) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&dadmin), Some(json!({"action": "approve"})))
            .await;
        assert_eq!((s, code(&e)), (409, "conflict.claim_transition"), "{b}: a replayed approval");
        // Payment: not a caseworker's step.
        let (s, _) =
            app.call("POST", &format!("/api/v1/claims/{id}/action"), Some(&cw), Some(json!({"action": "pay"}))).await;
        assert_eq!(s, 403, "{b}");
        // Approval and payment by different people: the approver may not pay.
        let (s, e) = app
            .call("POST", &format!("/api/v1/claims/{id}/action"), Some(&dadmin), Some(json!({"action": "pay"})))
            .await;
        assert_eq!((s, code(&e)), (409, "claim.four_eyes"), "{b}: {e}");
        let (s, c) =
            app.call("POST", &format!("/api/v1/claims/{id}/action"), Some(&city), Some(json!({"action": "pay"}))).await;
        assert_eq!((s, c["status"].as_str()), (200, Some("paid")), "{b}: {c}");
        let none = Vec::new();
        let steps: Vec<&str> =
            c["events"].as_array().unwrap_or(&none).iter().filter_map(|e| e["to_status"].as_str()).collect::<Vec<_>>();
        assert_eq!(steps, ["submitted", "submitted", "approved", "paid"], "{b}: the re-screening note is kept too");
        assert!(
            c["events"].as_array().is_some_and(|e| e.iter().all(|x| x["policy_version"] == "test_subsidy@1")),
            "{b}"
        );
        let (_, budget) = app.call("GET", "/api/v1/budget", Some(&city), None).await;
        assert_eq!(
            (budget[0]["paid_fen"].as_i64(), budget[0]["execution_permille"].as_i64()),
            (Some(100000), Some(666)),
            "{b}: {budget}"
        );
        // The budget page and its export.
        let page =
            app.http.get(app.url("/staff/budget")).bearer_auth(&city).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status(), 200, "{b}");
        let html = page.text().await.unwrap_or_default();
        assert!(html.contains("测试补贴") && html.contains("66.6%"), "{b}: the policy and its execution rate");
        let x = app
            .http
            .get(app.url("/api/v1/budget.xlsx"))
            .bearer_auth(&city)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(x.status(), 200, "{b}");
        let bytes = x.bytes().await.unwrap_or_default();
        assert_eq!(&bytes[..2], b"PK", "{b}: an xlsx (zip) workbook");
        // The seeker sees their own claim.
        let me = app.token(Role::Seeker, "seeker").await;
        let (_, mine) = app.call("GET", "/api/v1/claims", Some(&me), None).await;
        assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{b}: {mine}");
        let page =
            app.http.get(app.url("/my/subsidies")).bearer_auth(&me).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status(), 200, "{b}");
        let html = page.text().await.unwrap_or_default();
        assert!(
            html.contains("测试补贴") && html.contains("已支付") && html.contains("须以个人身份参加社会保险"),
            "{b}: my claim, its status, the conditions"
        );
        // The claim page: check first (the explanation), then file; this year is taken already.
        let browser = reqwest::Client::builder().cookie_store(true).build().unwrap_or_else(|e| panic!("{e}"));
        let r = browser
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"kind": "seeker", "identifier": app.seed.seeker_id_number, "password": crate::support::PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "{b}");
        let form = browser.get(app.url("/my/subsidies/test_subsidy")).send().await.unwrap_or_else(|e| panic!("{e}"));
        let html = form.text().await.unwrap_or_default();
        assert!(
            html.contains("name=\"flexible_employment_insured\"")
                && html.contains("name=\"social_insurance_paid_fen\""),
            "{b}: a field per declared fact"
        );
        assert!(!html.contains("name=\"age\""), "{b}: a fact the records give is never asked for");
        let csrf = html
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_string();
        let post = |action: &'static str| {
            let browser = browser.clone();
            let url = app.url("/my/subsidies/test_subsidy");
            let csrf = csrf.clone();
            async move {
                let r = browser
                    .post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("flexible_employment_insured", "true"),
                        ("social_insurance_paid_fen", "10"),
                        ("action", action),
                    ])
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                r.text().await.unwrap_or_default()
            }
        };
        let checked = post("check").await;
        assert!(
            checked.contains("id=\"outcome\">符合条件") && checked.contains("id=\"amount\">1,000.00 元<"),
            "{b}: the explanation on the page"
        );
        let filed = post("submit").await;
        assert!(filed.contains("本期已经申领过"), "{b}: the page says why it cannot be filed twice");
        // Returning needs a reason; the returned claim frees the year for a corrected claim.
        let (s, c2) = app.call("POST", "/api/v1/claims", Some(&me), Some(json!({"policy": "test_subsidy", "facts": {"flexible_employment_insured": true, "social_insurance_paid_fen": 1000}, "date": "2025-06-01"}))).await;
        assert_eq!(s, 201, "{b}: {c2}");
        let id2 = c2["id"].as_str().unwrap_or_default().to_string();
        let (s, e) = app
            .call("POST", &format!("/api/v1/claims/{id2}/action"), Some(&cw), Some(json!({"action": "return"})))
            .await;
        assert_eq!((s, code(&e)), (422, "casework.reason_required"), "{b}");
        let (s, _) = app
            .call(
                "POST",
                &format!("/api/v1/claims/{id2}/action"),
                Some(&cw),
                Some(json!({"action": "return", "reason": "请补充培训合格证书"})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, _) = app.call("POST", "/api/v1/claims", Some(&me), Some(json!({"policy": "test_subsidy", "facts": {"flexible_employment_insured": true, "social_insurance_paid_fen": 1000}, "date": "2025-06-01"}))).await;
        assert_eq!(s, 201, "{b}: filed again after the return");
        // The review page: approving it now exceeds what is left of the budget, and says so.
        let staff = reqwest::Client::builder().cookie_store(true).build().unwrap_or_else(|e| panic!("{e}"));
        let r = staff
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"kind": "staff", "identifier": "cw.own", "password": crate::support::PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "{b}");
        let list = staff.get(app.url("/staff/claims")).send().await.unwrap_or_else(|e| panic!("{e}"));
        let html = list.text().await.unwrap_or_default();
        let (_, mine) = app.call("GET", "/api/v1/claims?status=submitted", Some(&cw), None).await;
        let open = mine["items"][0]["id"].as_str().unwrap_or_default().to_string();
        assert!(html.contains(&format!("claim-{open}")), "{b}: the open claim is listed for review");
        let csrf = html
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_string();
        let page = staff
            .post(app.url(&format!("/staff/claims/{open}/action")))
            .form(&[("csrf", csrf.as_str()), ("action", "approve")])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(page.contains("预算不足"), "{b}: the budget refusal on the page");
    }
}

/// A policy past its claim period, or not yet in force, takes no claim (nothing written), and
/// the claimant's pages say where it stands and offer no filing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_and_future_policies_take_no_claims() {
    let closed = POLICY
        .replace("id = \"test_subsidy\"", "id = \"closed_subsidy\"")
        .replace("effective_from = 2023-01-01", "effective_from = 2023-01-01\neffective_to = 2025-06-30");
    let future = POLICY
        .replace("id = \"test_subsidy\"", "id = \"future_subsidy\"")
        .replace("effective_from = 2023-01-01", "effective_from = 2027-01-01")
        .replace("from = 2023-01-01", "from = 2027-01-01");
    let stores = jiuye_store::testing::fresh_stores().await.unwrap_or_else(|e| panic!("{e}"));
    for (backend, store) in stores {
        let cat = jiuye_policy::Catalogue::load(
            jiuye_policy::embedded::FACTS,
            &[("closed_subsidy@1.toml", &closed), ("future_subsidy@1.toml", &future)],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let app = spawn_with(backend, store, Some(cat)).await;
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        for id in ["closed_subsidy", "future_subsidy"] {
            let (s, e) = app
                .call("POST", &format!("/api/v1/policies/{id}/publish"), Some(&city), Some(json!({"version": "1"})))
                .await;
            assert_eq!(s, 200, "{b}: {e}");
        }
        let facts = json!({"flexible_employment_insured": true, "social_insurance_paid_fen": 1000});
        for (id, date, want) in [
            ("closed_subsidy", "2025-03-01", "claim.policy_closed"),
            ("future_subsidy", "2027-03-01", "claim.policy_not_yet"),
        ] {
            let body = json!({"policy": id, "facts": facts, "claimant_id": app.seed.person_own, "date": date});
            for path in ["/api/v1/claims/precheck", "/api/v1/claims"] {
                let (s, e) = app.call("POST", path, Some(&cw), Some(body.clone())).await;
                assert_eq!((s, code(&e)), (409, want), "{b} {id} {path}: {e}");
            }
        }
        let (_, list) = app.call("GET", "/api/v1/claims", Some(&cw), None).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{b}: nothing written: {list}");
        // The seeker's pages: where each stands, and no way to file.
        let (page, _) = crate::support::browser(&app, Some((Role::Seeker, "seeker"))).await;
        let html = page.get(app.url("/my/subsidies")).send().await.expect("get").text().await.unwrap_or_default();
        assert!(html.contains("已于 2025-06-30 到期，不再受理申领"), "{b}: the closed one is marked");
        assert!(html.contains("尚未施行（2027-01-01 起）"), "{b}: the future one is marked");
        assert!(!html.contains("href=\"/my/subsidies/closed_subsidy\""), "{b}: no link to file a closed one");
        let html = page
            .get(app.url("/my/subsidies/closed_subsidy"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .unwrap_or_default();
        assert!(html.contains("id=\"not-fileable\"") && !html.contains("id=\"submit-claim\""), "{b}: no submit");
    }
}
