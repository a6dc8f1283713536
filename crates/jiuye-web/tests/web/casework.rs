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
        // The provider's page shows the covered person and this month's 200 元.
        let page = app.http.get(app.url("/provider")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(page.status(), 200, "{b}");
        let html = page.text().await.unwrap();
        let name = app.state.store.person_by_id(app.seed.person_own).await.unwrap().name;
        assert!(html.contains(&name), "{b}: the covered person is listed");
        assert!(html.contains("id=\"statement-total\">200.00 元<"), "{b}: statement total on the page");
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

fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = ["身份证号", "姓名", "手机号码", "所在区", "学历", "登记地", "登记日期"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_registers_valid_rows_and_reports_the_rest_then_export_lists_them() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        // The seeded person is registered already: their row must be refused, naming it.
        let p = app.seed.person_own;
        let (s, _) = app
            .call("POST", &format!("/api/v1/persons/{p}/registrations"), Some(&cw), Some(json!({"basis": "residence"})))
            .await;
        assert_eq!(s, 201, "{b}");
        let (a, c, d) = (
            crate::support::fresh_national_id(31),
            crate::support::fresh_national_id(32),
            crate::support::fresh_national_id(33),
        );
        let seeded = app.seed.seeker_id_number.clone();
        let rows = [
            [a.as_str(), "林一", "13800138001", OWN, "30", "常住地", "2026-11-20"], // 2: ok
            ["350203199001011234", "林二", "13800138002", OWN, "30", "常住地", ""], // 3: bad checksum
            [c.as_str(), "", "13800138003", OWN, "30", "residence", ""],            // 4: no name
            [d.as_str(), "林四", "13800138004", "350206", "30", "常住地", ""],      // 5: other district
            [seeded.as_str(), "已登记", "13800138005", OWN, "30", "常住地", ""],    // 6: already registered
            [a.as_str(), "林一", "13800138001", OWN, "30", "常住地", ""],           // 7: duplicate of row 2
            [d.as_str(), "林四", "13800138004", OWN, "30", "月球", ""],             // 8: bad basis
            [d.as_str(), "林四", "13800138004", OWN, "30", "hukou", "2030-01-01"],  // 9: future date
            [d.as_str(), "林四", "13800138004", OWN, "30", "hukou", "2026-11-02"],  // 10: ok
        ];
        let bytes = workbook(&rows);
        let resp = app
            .http
            .post(app.url("/api/v1/casework/import"))
            .bearer_auth(&cw)
            .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{b}");
        let report: Value = resp.json().await.unwrap();
        assert_eq!((report["rows"].as_u64(), report["registered"].as_u64()), (Some(9), Some(2)), "{b}: {report}");
        assert_eq!(report["persons_created"].as_u64(), Some(2), "{b}");
        let errs: Vec<(u64, String)> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["row"].as_u64().unwrap(), e["code"].as_str().unwrap().to_string()))
            .collect();
        let want = [
            (3, "national_id.checksum"),
            (4, "input.required"),
            (5, "import.other_district"),
            (6, "casework.already_registered"),
            (7, "import.duplicate_row"),
            (8, "input.enum"),
            (9, "casework.future_date"),
        ];
        for (row, code) in want {
            assert!(
                errs.iter().any(|(r, c)| *r == row && c == code),
                "{b}: row {row} should fail with {code}: {errs:?}"
            );
        }
        assert!(errs.iter().all(|(r, _)| ![2, 10].contains(r)), "{b}: valid rows reported: {errs:?}");
        // Not an xlsx file.
        let resp = app
            .http
            .post(app.url("/api/v1/casework/import"))
            .bearer_auth(&cw)
            .body("name,id\n1,2")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 422, "{b}");
        // The export lists the three registered persons, ID numbers masked.
        let resp = app.http.get(app.url("/api/v1/casework/caseload.xlsx")).bearer_auth(&cw).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{b}");
        let bytes = resp.bytes().await.unwrap().to_vec();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let range = wb.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows.len(), 4, "{b}: header + 3 persons: {rows:?}");
        assert_eq!(rows[0][0], "姓名", "{b}");
        assert!(rows[1..].iter().all(|r| r[1].contains("********")), "{b}: masked: {rows:?}");
        assert!(!rows.iter().flatten().any(|c| c == &a), "{b}: a full ID number in the export");
    }
}

/// Casework rules are published as versions in the store, the same for every instance: a city
/// administrator publishes (checked first; rules that do not check, no note, or another role are
/// refused and nothing is written), the publishing instance works by them at once, another one
/// after it reads the change log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn casework_rules_are_published_for_every_instance() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let (s, v1) = app.call("GET", "/api/v1/casework/rules", Some(&cw), None).await;
        assert_eq!((s, v1["version"].as_i64()), (200, Some(1)), "{b}: the embedded rules are version 1: {v1}");
        let embedded = v1["rules"].as_str().unwrap_or_default().to_string();
        assert!(embedded.contains("[[tier]]"), "{b}: the rules in force are shown: {v1}");
        let other = app.second_instance().await;
        jiuye_web::search_sync::catch_up(&other.state).await.unwrap_or_else(|e| panic!("{b}: {e}"));

        // Refused, nothing written: a caseworker; no note; rules that do not check; too long.
        let changed = embedded.replacen("[[tier]]", "[[tier]]\n# 2026-12 revision", 1);
        let (s, e) =
            app.call("POST", "/api/v1/casework/rules", Some(&cw), Some(json!({"rules": changed, "note": "x"}))).await;
        assert_eq!(s, 403, "{b}: only a city administrator publishes: {e}");
        let (s, e) = app
            .call("POST", "/api/v1/casework/rules", Some(&city), Some(json!({"rules": changed, "note": "  "})))
            .await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("note")), "{b}: {e}");
        for bad in ["[[tier]]\ncode = 1", "not toml at all ===", "", &"#".repeat(40_000)] {
            let (s, e) = app
                .call("POST", "/api/v1/casework/rules", Some(&city), Some(json!({"rules": bad, "note": "试"})))
                .await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some("rules")), "{b}: {e}");
        }
        let (_, still) = app.call("GET", "/api/v1/casework/rules", Some(&cw), None).await;
        assert_eq!(still["version"].as_i64(), Some(1), "{b}: nothing published: {still}");
        let (_, e) = app
            .call("POST", "/api/v1/casework/rules", Some(&city), Some(json!({"rules": "x = [", "note": "试"})))
            .await;
        assert_eq!(e["error"]["code"].as_str(), Some("casework.rules_invalid"), "{b}: {e}");
        assert!(e["error"]["message"].as_str().is_some_and(|m| m.contains("未通过检查")), "{b}: zh first: {e}");

        // Published: version 2, here at once.
        let (s, p) = app
            .call(
                "POST",
                "/api/v1/casework/rules",
                Some(&city),
                Some(json!({"rules": changed, "note": "按2026年12月市局通知调整"})),
            )
            .await;
        assert_eq!((s, p["version"].as_i64()), (201, Some(2)), "{b}: {p}");
        assert_eq!(app.state.casework_rules.version(), 2, "{b}: in force on the publishing instance");
        let (_, now) = app.call("GET", "/api/v1/casework/rules", Some(&cw), None).await;
        assert_eq!(now["version"].as_i64(), Some(2), "{b}: {now}");
        assert_eq!(now["rules"].as_str(), Some(changed.as_str()), "{b}: the text as published");
        assert_eq!(now["versions"].as_array().map(Vec::len), Some(1), "{b}: one published version: {now}");
        // The other instance: the old rules until it reads the log, the new ones after.
        assert_eq!(other.state.casework_rules.version(), 1, "{b}: not yet read");
        jiuye_store::testing::changes_settled(&other.state.store).await;
        jiuye_web::search_sync::catch_up(&other.state).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(other.state.casework_rules.version(), 2, "{b}: taken up from the change log");
    }
}
