//! The JSON API from the outside: flows, bad input, personal data, sign-in defences, OpenAPI.

use chrono::Duration;
use serde_json::{Value, json};

use jiuye_domain::roles::Role;
use jiuye_web::access::{Kind, ROUTES};

use crate::support::{OWN, PASSWORD, apps, fresh_national_id, person_body, sqlite_app, vacancy_body};

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

fn field(body: &Value) -> &str {
    body["error"]["field"].as_str().unwrap_or("")
}

/// The envelope has all four parts, in both languages.
fn assert_envelope(body: &Value) {
    let e = &body["error"];
    assert!(e["code"].as_str().is_some_and(|c| !c.is_empty()), "no code: {body}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "no zh message: {body}");
    assert!(e["message_en"].as_str().is_some_and(|m| !m.is_empty()), "no en message: {body}");
    assert!(e.get("field").is_some(), "no field key: {body}");
    assert_ne!(e["message"], e["code"], "message is the bare code (missing from the catalogue): {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeker_registers_signs_in_and_edits_profile_on_every_backend() {
    for app in apps().await {
        let id = fresh_national_id(1);
        let (status, body) = app
            .call(
                "POST",
                "/api/v1/auth/register/seeker",
                None,
                Some(json!({"person": person_body(&id, OWN), "password": "a-good-pass"})),
            )
            .await;
        assert_eq!(status, 202, "[{}] {body}", app.backend);
        assert_eq!(body["next"], "sign_in", "[{}] {body}", app.backend);
        assert!(!body.to_string().contains(&id), "full ID leaked in the response");
        // The same number again gets the very same answer: nobody learns that it is on file.
        let (status2, body2) = app
            .call(
                "POST",
                "/api/v1/auth/register/seeker",
                None,
                Some(json!({"person": person_body(&id, OWN), "password": "another-pass"})),
            )
            .await;
        assert_eq!((status2, &body2), (status, &body), "[{}] the same answer", app.backend);
        let nid = jiuye_domain::codes::NationalId::parse(&id, crate::support::today()).expect("id");
        let person = app.state.store.person_by_national_id(&nid, &app.state.vault).await.expect("one person");
        assert_eq!(person.national_id_masked, format!("{}********{}", &id[..6], &id[14..]), "[{}]", app.backend);
        // Sign in with the ID number, read and change the profile.
        let (status, login) = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"kind": "seeker", "identifier": id, "password": "a-good-pass"})),
            )
            .await;
        assert_eq!(status, 200, "{login}");
        let token = login["token"].as_str().unwrap_or_default().to_string();
        let (status, me) = app.call("GET", "/api/v1/me", Some(&token), None).await;
        assert_eq!((status, me["role"].as_str()), (200, Some("seeker")));
        let mut changed = person_body("", "350211");
        changed["name"] = json!("李四");
        changed["skills"] = json!(["叉车", "电焊"]);
        changed["max_commute_km"] = json!(15);
        let (status, p) = app.call("PUT", "/api/v1/me/profile", Some(&token), Some(changed)).await;
        assert_eq!(status, 200, "{p}");
        assert_eq!(p["name"], "李四");
        assert_eq!(p["max_commute_km"], 15, "the longest commute is kept");
        assert_eq!(p["district"]["code"], "350211");
        assert_eq!(p["skills"], json!(["叉车", "电焊"]));
        // The ID number cannot be changed.
        let (status, body) =
            app.call("PUT", "/api/v1/me/profile", Some(&token), Some(person_body(&fresh_national_id(2), OWN))).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(code(&body), "conflict.national_id_immutable");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn employer_posts_and_manages_a_vacancy_that_the_public_then_finds() {
    for app in apps().await {
        let token = app.token(Role::Employer, "employer").await;
        let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(vacancy_body(None))).await;
        assert_eq!(status, 201, "[{}] {v}", app.backend);
        let id = v["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(v["status"], "open");
        assert_eq!(v["occupation"]["name"], "电工");
        // Public list with filters: district, occupation at a higher level, kind, keyword.
        for query in
            ["q=电工", "occupation=6-31", "occupation=6", "occupation=电工", "kind=full_time&district=350203", "q=配电"]
        {
            let (status, page) = app.call("GET", &format!("/api/v1/vacancies?{query}&limit=100"), None, None).await;
            assert_eq!(status, 200, "{query}: {page}");
            let ids: Vec<&str> =
                page["items"].as_array().into_iter().flatten().filter_map(|i| i["id"].as_str()).collect();
            assert!(ids.contains(&id.as_str()), "[{}] {query} does not find the vacancy", app.backend);
        }
        let (_, page) = app.call("GET", "/api/v1/vacancies?occupation=6-30&limit=100", None, None).await;
        assert!(!page.to_string().contains(&id), "6-30 must not match 6-31-01-03");
        // Close it: it disappears from the public list and its page.
        let (status, v) = app
            .call("POST", &format!("/api/v1/vacancies/{id}/status"), Some(&token), Some(json!({"status": "closed"})))
            .await;
        assert_eq!((status, v["status"].as_str()), (200, Some("closed")), "{v}");
        let (_, page) = app.call("GET", "/api/v1/vacancies?q=电工&limit=100", None, None).await;
        assert!(!page.to_string().contains(&id), "closed vacancy still listed");
        let (status, _) = app.call("GET", &format!("/api/v1/vacancies/{id}"), None, None).await;
        assert_eq!(status, 404);
        let (status, _) = app.call("GET", &format!("/api/v1/vacancies/{id}"), Some(&token), None).await;
        assert_eq!(status, 200, "the owner still sees a closed vacancy");
        // closed → filled is not a transition.
        let (status, body) = app
            .call("POST", &format!("/api/v1/vacancies/{id}/status"), Some(&token), Some(json!({"status": "filled"})))
            .await;
        assert_eq!((status, code(&body)), (409, "conflict.vacancy_status"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pay_is_stated_in_its_unit_and_compared_by_the_month() {
    for app in apps().await {
        let token = app.token(Role::Employer, "employer").await;
        let post = |title: &str, pay: Value| {
            let mut body = vacancy_body(None);
            body["title"] = json!(title);
            for k in ["salary_min", "salary_max"] {
                body.as_object_mut().map(|o| o.remove(k));
            }
            for (k, v) in pay.as_object().into_iter().flatten() {
                body[k] = v.clone();
            }
            body
        };
        // (title, pay as posted, unit, monthly min, monthly max, zh text)
        let cases = [
            (
                "日薪电工",
                json!({"pay_unit": "day", "pay_min_fen": 20000, "pay_max_fen": 30000}),
                "day",
                Some(4350),
                Some(6525),
                "200–300 元/天（约 4,350–6,525 元/月）",
            ),
            (
                "时薪电工",
                json!({"pay_unit": "hour", "pay_min_fen": 2250}),
                "hour",
                Some(3915),
                Some(3915),
                "22.5 元/小时（约 3,915 元/月）",
            ),
            (
                "计件电工",
                json!({"pay_unit": "piece", "pay_min_fen": 85, "pay_max_fen": 120, "salary_min": 5000, "salary_max": 8000}),
                "piece",
                Some(5000),
                Some(8000),
                "0.85–1.2 元/件（预计 5,000–8,000 元/月）",
            ),
            ("面议电工", json!({"pay_unit": "negotiable"}), "negotiable", None, None, "面议"),
            (
                "月薪电工",
                json!({"salary_min": 6000, "salary_max": 9000}),
                "month",
                Some(6000),
                Some(9000),
                "6,000–9,000 元/月",
            ),
        ];
        for (title, pay, unit, lo, hi, text) in &cases {
            let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(post(title, pay.clone()))).await;
            assert_eq!(status, 201, "[{}] {title}: {v}", app.backend);
            assert_eq!(v["pay"]["unit"], *unit, "{title}");
            assert_eq!((v["pay"]["monthly_min"].as_i64(), v["pay"]["monthly_max"].as_i64()), (*lo, *hi), "{title}");
            assert_eq!(v["pay"]["text_zh"], *text, "{title}");
            let (_, again) = app
                .call("GET", &format!("/api/v1/vacancies/{}", v["id"].as_str().unwrap_or_default()), None, None)
                .await;
            assert_eq!(again["pay"], v["pay"], "[{}] {title}: pay as stored", app.backend);
            // The page says it as posted, in both languages.
            let page = format!("/vacancies/{}", v["id"].as_str().unwrap_or_default());
            for (lang, want) in [("zh", v["pay"]["text_zh"].clone()), ("en", v["pay"]["text_en"].clone())] {
                let html = crate::support::page_in(app.url(&page), lang).await;
                let want = want.as_str().unwrap_or("?");
                assert!(html.contains(want), "[{}] {title} {lang}: {want} not on {page}", app.backend);
            }
        }
        // Search compares by the monthly equivalent; 面议 has no figure and no pay filter takes it.
        let titles = |page: &Value| -> Vec<String> {
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| i["vacancy"]["title"].as_str().map(String::from))
                .collect()
        };
        let (_, page) = app.call("GET", "/api/v1/vacancies/search?q=电工&salary_min=6000&limit=50", None, None).await;
        let found = titles(&page);
        for t in ["日薪电工", "计件电工", "月薪电工"] {
            assert!(found.iter().any(|f| f == t), "[{}] {t} pays 6,000 a month or more: {found:?}", app.backend);
        }
        for t in ["时薪电工", "面议电工"] {
            assert!(!found.iter().any(|f| f == t), "[{}] {t} must not pass salary_min=6000: {found:?}", app.backend);
        }
        let (_, page) = app.call("GET", "/api/v1/vacancies/search?q=电工&sort=salary&limit=50", None, None).await;
        let found = titles(&page);
        let last = found.iter().rposition(|f| f.ends_with("电工") && f.len() > 6);
        assert_eq!(last.map(|i| found[i].as_str()), Some("面议电工"), "sorting by pay puts 面议 last: {found:?}");
        // 日结 typed as a word finds what is paid by the day, though its text never says 日结.
        let (_, page) = app.call("GET", "/api/v1/vacancies/search?q=日结 电工&limit=5", None, None).await;
        assert_eq!(titles(&page).first().map(String::as_str), Some("日薪电工"), "{page}");
        // Bad pay: a clear 422 naming the field.
        let bad = [
            (json!({"pay_unit": "day"}), "pay.rate_required", "pay_min_fen"),
            (
                json!({"pay_unit": "day", "pay_min_fen": 20000, "salary_min": 4000, "salary_max": 5000}),
                "pay.month_computed",
                "salary_min",
            ),
            (json!({"pay_unit": "hour", "pay_min_fen": 10}), "pay.rate_out_of_range", "pay_min_fen"),
            (json!({"pay_unit": "piece", "pay_min_fen": 85}), "pay.piece_needs_month", "salary_min"),
            (
                json!({"pay_unit": "negotiable", "salary_min": 5000, "salary_max": 6000}),
                "pay.negotiable_has_no_amount",
                "salary_min",
            ),
            (json!({"pay_unit": "weekly", "salary_min": 5000, "salary_max": 6000}), "input.enum", "pay_unit"),
            (
                json!({"pay_unit": "day", "pay_min_fen": 9223372036854775807_i64}),
                "pay.rate_out_of_range",
                "pay_min_fen",
            ),
        ];
        for (pay, want_code, want_field) in bad {
            let (status, body) =
                app.call("POST", "/api/v1/vacancies", Some(&token), Some(post("坏薪资", pay.clone()))).await;
            assert_eq!(status, 422, "[{}] {pay}: {body}", app.backend);
            assert_envelope(&body);
            let mut problems = body["error"]["details"].as_array().cloned().unwrap_or_default();
            problems.push(body["error"].clone());
            assert!(
                problems.iter().any(|d| d["code"] == want_code && d["field"] == want_field),
                "[{}] {pay}: want {want_code} on {want_field}, got {body}",
                app.backend
            );
        }
    }
}

/// Nearest first, as people travel: from 海沧 the neighbour 集美 comes before 思明 across the
/// water, though 思明's seat is nearer by the straight line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sorting_by_distance_crosses_the_water_as_people_do() {
    for app in apps().await {
        let b = app.backend;
        let staff = app.token(Role::Employer, "employer").await;
        for (title, district) in [("测距思明焊工", "350203"), ("测距集美焊工", "350211"), ("测距海沧焊工", "350205")]
        {
            let mut body = vacancy_body(None);
            body["title"] = json!(title);
            body["district"] = json!(district);
            body["occupation"] = json!("6-18-02-04");
            body.as_object_mut().map(|o| {
                o.remove("latitude");
                o.remove("longitude")
            });
            let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&staff), Some(body)).await;
            assert_eq!(status, 201, "{b}: {v}");
        }
        let (status, r) = app
            .call("GET", "/api/v1/vacancies/search?q=测距&sort=distance&from_district=350205&limit=10", None, None)
            .await;
        assert_eq!(status, 200, "{b}: {r}");
        let titles: Vec<&str> =
            r["items"].as_array().into_iter().flatten().filter_map(|i| i["vacancy"]["title"].as_str()).collect();
        assert_eq!(titles, ["测距海沧焊工", "测距集美焊工", "测距思明焊工"], "{b}: {r}");
        // Paging by cursor keeps the order.
        let (_, first) = app
            .call("GET", "/api/v1/vacancies/search?q=测距&sort=distance&from_district=350205&limit=1", None, None)
            .await;
        let cursor = first["next_cursor"].as_str().unwrap_or_default().to_string();
        let (_, second) = app
            .call(
                "GET",
                &format!("/api/v1/vacancies/search?q=测距&sort=distance&from_district=350205&limit=1&cursor={cursor}"),
                None,
                None,
            )
            .await;
        assert_eq!(second["items"][0]["vacancy"]["title"], "测距集美焊工", "{b}: {second}");
        // No starting point: a clear 422 naming the parameter.
        let (status, body) = app.call("GET", "/api/v1/vacancies/search?q=测距&sort=distance", None, None).await;
        assert_eq!((status, field(&body)), (422, "from_district"), "{b}: {body}");
        assert_envelope(&body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vacancies_expire_by_the_clock() {
    let app = sqlite_app().await;
    let token = app.token(Role::Employer, "employer").await;
    let mut body = vacancy_body(None);
    body["closes_on"] = json!("2026-11-30");
    let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(body)).await;
    assert_eq!(status, 201, "{v}");
    let id = v["id"].as_str().unwrap_or_default().to_string();
    app.clock.advance(Duration::days(5));
    // Sessions last hours, not days: sign in again.
    let token = app.token(Role::Employer, "employer").await;
    let (_, page) = app.call("GET", "/api/v1/vacancies?limit=100", None, None).await;
    assert!(!page.to_string().contains(&id), "expired vacancy still listed");
    let (status, v) = app.call("GET", &format!("/api/v1/vacancies/{id}"), Some(&token), None).await;
    assert_eq!((status, v["status"].as_str()), (200, Some("expired")));
    let n = app.state.store.expire_due_vacancies(app.state.clock.today(), app.state.clock.now()).await.unwrap_or(0);
    assert!(n >= 1, "the sweep wrote nothing down");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_4xx_envelope_naming_the_field() {
    let app = sqlite_app().await;
    let token = app.token(Role::Caseworker, "cw.own").await;
    let long = "长".repeat(51);
    let cases: Vec<(&str, Value, u16, &str, &str)> = vec![
        ("bad check char", json!({"national_id": wrong_check_char()}), 422, "national_id.checksum", "national_id"),
        ("letters", json!({"national_id": "11010519491231002A"}), 422, "national_id.format", "national_id"),
        ("short", json!({"national_id": "35020319900101"}), 422, "national_id.length", "national_id"),
        (
            "future birth",
            json!({"national_id": fresh_future_id()}),
            422,
            "national_id.future_birth_date",
            "national_id",
        ),
        ("bad mobile", json!({"mobile": "12345"}), 422, "mobile.format", "mobile"),
        ("unknown district", json!({"district": "350299"}), 422, "region.district_unknown", "district"),
        ("bad education", json!({"education": "phd-ish"}), 422, "education.unknown", "education"),
        ("bad key group", json!({"key_groups": ["aliens"]}), 422, "key_group.unknown", "key_groups"),
        (
            "bad occupation",
            json!({"wanted_occupations": ["9-99-99-99"]}),
            422,
            "occupation.unknown",
            "wanted_occupations",
        ),
        ("name too long", json!({"name": long}), 422, "input.too_long", "name"),
        (
            "salary inverted",
            json!({"wanted_salary_min": 9000, "wanted_salary_max": 5000}),
            422,
            "salary.min_above_max",
            "wanted_salary",
        ),
        ("wrong type", json!({"wanted_salary_min": "lots"}), 400, "input.wrong_type", "wanted_salary_min"),
        ("commute too far", json!({"max_commute_km": 500}), 422, "person.max_commute_km", "max_commute_km"),
        ("unknown field", json!({"favourite_colour": "red"}), 400, "input.unknown_field", "favourite_colour"),
        ("bad enum", json!({"employment_status": "sleeping"}), 422, "input.enum", "employment_status"),
    ];
    let before = app.state.store.count_persons().await.unwrap_or(0);
    for (label, patch, want_status, want_code, want_field) in cases {
        let mut body = person_body(&fresh_national_id(3), OWN);
        if let (Some(b), Some(p)) = (body.as_object_mut(), patch.as_object()) {
            for (k, v) in p {
                b.insert(k.clone(), v.clone());
            }
        }
        let (status, resp) = app.call("POST", "/api/v1/persons", Some(&token), Some(body)).await;
        assert_eq!(status, want_status, "{label}: {resp}");
        assert_envelope(&resp);
        assert_eq!(code(&resp), want_code, "{label}: {resp}");
        assert_eq!(field(&resp), want_field, "{label}: {resp}");
    }
    assert_eq!(app.state.store.count_persons().await.unwrap_or(0), before, "a refused write left a record");
    // Several problems at once are all reported.
    let mut body = person_body("123", OWN);
    body["mobile"] = json!("1");
    let (status, resp) = app.call("POST", "/api/v1/persons", Some(&token), Some(body)).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        resp["error"]["details"].as_array().into_iter().flatten().filter_map(|d| d["field"].as_str()).collect();
    assert!(fields.contains(&"national_id") && fields.contains(&"mobile"), "{resp}");
}

fn wrong_check_char() -> String {
    let good = fresh_national_id(9);
    let last = good.chars().last().unwrap_or('0');
    let wrong = if last == '1' { '2' } else { '1' };
    format!("{}{wrong}", &good[..17])
}

fn fresh_future_id() -> String {
    let first17 = "35020320991231001";
    format!("{first17}{}", jiuye_domain::codes::NationalId::check_char(first17).unwrap_or('0'))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_never_500() {
    let app = sqlite_app().await;
    let token = app.token(Role::CityAdmin, "city").await;
    let url = app.url("/api/v1/employers");
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(200_000));
    let cases: Vec<(&str, Option<&str>, String, u16, &str)> = vec![
        ("not json", Some("application/json"), "{oops".into(), 400, "input.malformed_json"),
        ("empty", Some("application/json"), String::new(), 400, "input.empty_body"),
        ("array", Some("application/json"), "[1,2]".into(), 400, "input.wrong_type"),
        ("no content type", None, "{}".into(), 415, "input.content_type"),
        ("form instead of json", Some("application/x-www-form-urlencoded"), "a=b".into(), 415, "input.content_type"),
        ("oversized", Some("application/json"), huge, 413, "input.too_large"),
        ("truncated", Some("application/json"), "{\"credit_code\": \"9135".into(), 400, "input.malformed_json"),
        ("null", Some("application/json"), "null".into(), 400, "input.wrong_type"),
    ];
    for (label, ct, body, want, want_code) in cases {
        let mut req = app.http.post(&url).bearer_auth(&token).body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("{e}"));
        let status = resp.status().as_u16();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(status, want, "{label}: {v}");
        assert_envelope(&v);
        assert_eq!(code(&v), want_code, "{label}");
    }
    // An oversized body is answered, not cut off: the server reads it out before saying 413,
    // so the client never sees a reset connection instead of the answer.
    let big = "x".repeat(1_000_000);
    for round in 0..25 {
        let resp = app
            .http
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(format!("{{\"name\":\"{big}\"}}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(resp.status().as_u16(), 413, "round {round}");
    }
    // Bad query strings and path ids.
    let (status, v) = app.call("GET", "/api/v1/vacancies?limit=0", None, None).await;
    assert_eq!((status, code(&v)), (422, "input.limit"));
    let (status, v) = app.call("GET", "/api/v1/vacancies?cursor=zzz", None, None).await;
    assert_eq!((status, code(&v)), (422, "input.cursor"));
    let (status, v) = app.call("GET", "/api/v1/vacancies?limit=abc", None, None).await;
    assert_eq!((status, code(&v)), (400, "input.query"), "{v}");
    let (status, v) = app.call("GET", "/api/v1/vacancies?district=999999", None, None).await;
    assert_eq!((status, field(&v)), (422, "district"));
    let (status, _) = app.call("GET", "/api/v1/vacancies/not-a-uuid", None, None).await;
    assert_eq!(status, 404);
    let (status, v) = app.call("GET", "/api/v1/codes/nonsense", None, None).await;
    assert_eq!(status, 404);
    assert_envelope(&v);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn employer_credit_code_is_checked() {
    let app = sqlite_app().await;
    let token = app.token(Role::CityAdmin, "city").await;
    let body = json!({"credit_code": "91350200MA2XXXXXX1", "name": "厦门测试有限公司", "industry": "39", "district": OWN, "size": "small"});
    let (status, v) = app.call("POST", "/api/v1/employers", Some(&token), Some(body)).await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(field(&v), "credit_code");
    assert!(code(&v).starts_with("credit_code."), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_id_numbers_are_masked_and_every_reveal_is_audited() {
    for app in apps().await {
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let person = app.seed.person_own;
        let (status, p) = app.call("GET", &format!("/api/v1/persons/{person}"), Some(&cw), None).await;
        assert_eq!(status, 200, "{p}");
        let masked = p["national_id"].as_str().unwrap_or_default();
        assert_eq!(masked.chars().filter(|c| *c == '*').count(), 8, "{masked}");
        assert!(!p.to_string().contains(&app.seed.seeker_id_number));
        // Caseworkers may not see the full number; district admins may, and it is audited.
        let (status, _) = app.call("GET", &format!("/api/v1/persons/{person}/national-id"), Some(&cw), None).await;
        assert_eq!(status, 403);
        let admin = app.token(Role::DistrictAdmin, "dadmin.own").await;
        let (status, full) =
            app.call("GET", &format!("/api/v1/persons/{person}/national-id"), Some(&admin), None).await;
        assert_eq!(status, 200, "{full}");
        assert_eq!(full["national_id"], app.seed.seeker_id_number);
        let city = app.token(Role::CityAdmin, "city").await;
        let (status, log) = app
            .call("GET", &format!("/api/v1/audit?action=person.view_full_id&target={person}"), Some(&city), None)
            .await;
        assert_eq!(status, 200, "{log}");
        let items = log["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 1, "[{}] {log}", app.backend);
        assert_eq!(items[0]["actor_role"], "district_admin");
        assert_eq!(items[0]["ip"], "127.0.0.1");
        // No audit row, anywhere, holds a full ID number.
        let (_, all) = app.call("GET", "/api/v1/audit?limit=100", Some(&city), None).await;
        assert!(!all.to_string().contains(&app.seed.seeker_id_number), "a full ID number is in the audit log");
        assert!(all["items"].as_array().is_some_and(|i| i.iter().any(|e| e["action"] == "login.success")));
        // Person lookup by full ID number works through the keyed hash.
        let lookup = json!({"national_id": app.seed.seeker_id_number});
        let (status, found) = app.call("POST", "/api/v1/persons/lookup", Some(&cw), Some(lookup.clone())).await;
        assert_eq!((status, found["id"].as_str()), (200, Some(person.to_string().as_str())), "{found}");
        let other = app.token(Role::Caseworker, "cw.other").await;
        let (status, _) = app.call("POST", "/api/v1/persons/lookup", Some(&other), Some(lookup)).await;
        assert_eq!(status, 404, "another district's caseworker found the person by ID number");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_lock_the_account() {
    let app = sqlite_app().await;
    let attempt = |pw: &'static str| {
        let app = &app;
        async move {
            app.call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"kind": "staff", "identifier": "cw.own", "password": pw})),
            )
            .await
        }
    };
    for i in 0..4 {
        let (status, v) = attempt("wrong-password").await;
        assert_eq!((status, code(&v)), (422, "auth.bad_credentials"), "attempt {i}");
    }
    let (status, v) = attempt("wrong-password").await;
    assert_eq!((status, code(&v)), (423, "auth.locked"));
    // Locked: even the right password is refused until the lock ends.
    let (status, _) = attempt(PASSWORD).await;
    assert_eq!(status, 423);
    app.clock.advance(Duration::minutes(16));
    let (status, _) = attempt(PASSWORD).await;
    assert_eq!(status, 200);
    // Unknown accounts get the same answer as wrong passwords.
    let (status, v) = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"kind": "staff", "identifier": "nobody", "password": "whatever1"})),
        )
        .await;
    assert_eq!((status, code(&v)), (422, "auth.bad_credentials"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_attempts_from_one_address_are_throttled() {
    let app = sqlite_app().await;
    let mut last = 0;
    for _ in 0..25 {
        let (status, _) = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"kind": "staff", "identifier": "nobody", "password": "whatever1"})),
            )
            .await;
        last = status;
    }
    assert_eq!(last, 429);
    app.clock.advance(Duration::minutes(2));
    let (status, _) = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"kind": "staff", "identifier": "city", "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_the_csrf_token_are_refused() {
    let app = sqlite_app().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let form = [("kind", "staff"), ("identifier", "city"), ("password", PASSWORD)];
    let resp = client.post(app.url("/login")).form(&form).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status(), 403);
    // With the token from the page, the same form signs in and sets an HttpOnly session cookie.
    let html =
        client.get(app.url("/login")).send().await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    let csrf =
        html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    let mut with = form.to_vec();
    with.push(("csrf", csrf.as_str()));
    let resp = client.post(app.url("/login")).form(&with).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status(), 303);
    let cookie = resp.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(
        cookie.starts_with("jiuye_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "Secure only behind TLS");
    // A signed-in form with a wrong token is refused too.
    let resp =
        client.post(app.url("/logout")).form(&[("csrf", "forged")]).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_api_route() {
    let app = sqlite_app().await;
    let (status, doc) = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    for r in ROUTES.iter().filter(|r| r.kind == Kind::Api || (r.kind == Kind::Ops && !r.path.starts_with("/api/"))) {
        let op = &doc["paths"][r.path][r.method.to_lowercase()];
        assert!(op.is_object(), "{} {} is not documented", r.method, r.path);
        assert!(op["responses"].as_object().is_some_and(|m| !m.is_empty()), "{} {} has no responses", r.method, r.path);
        // Every answer the edge can give is documented, and who may call it.
        for status in ["400", "422", "503"] {
            assert!(op["responses"][status].is_object(), "{} {}: {status} undocumented", r.method, r.path);
        }
        let public = r.permission == jiuye_domain::roles::Permission::Public;
        if !public {
            for status in ["401", "403"] {
                assert!(op["responses"][status].is_object(), "{} {}: {status} undocumented", r.method, r.path);
            }
            assert_eq!(op["security"][0]["bearer"], json!([]), "{} {}: the bearer scheme", r.method, r.path);
        }
        if r.path.contains('{') {
            assert!(op["responses"]["404"].is_object(), "{} {}: 404 undocumented", r.method, r.path);
        }
        if op.get("requestBody").is_some() {
            for status in ["413", "415"] {
                assert!(op["responses"][status].is_object(), "{} {}: {status} undocumented", r.method, r.path);
            }
        }
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer", "a bearer security scheme");
    // Every schema name is one type's: two types under one name break the documented schema of
    // every operation that uses the name (serde names are the source's struct names).
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut after_derive = false;
            for line in text.lines() {
                if line.contains("derive(") && line.contains("ToSchema") {
                    after_derive = true;
                }
                if after_derive
                    && let Some(rest) =
                        line.trim().strip_prefix("pub struct ").or(line.trim().strip_prefix("pub enum "))
                {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if let Some(other) = names.insert(name.clone(), path.display().to_string()) {
                        panic!("schema {name} is defined in {other} and {}", path.display());
                    }
                    after_derive = false;
                }
            }
        }
    }
    assert!(names.len() > 100, "read the schemas ({})", names.len());
    let resp = app.http.get(app.url("/api/docs/")).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap_or_default().to_lowercase().contains("swagger"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics() {
    let app = sqlite_app().await;
    assert_eq!(app.call("GET", "/healthz", None, None).await.0, 200);
    assert_eq!(app.call("GET", "/readyz", None, None).await.0, 200);
    let _ = app.call("GET", "/api/v1/vacancies", None, None).await;
    let (status, text) = app.call("GET", "/metrics", None, None).await;
    assert_eq!(status, 200);
    let text = text.as_str().unwrap_or_default().to_string();
    assert!(text.contains("jiuye_http_requests_total") && text.contains("route=\"/api/v1/vacancies\""), "{text}");

    // Readiness says how far this instance's index is behind the change log: writes another
    // process made show as lag until the tail applies them.
    let (_, body) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(body.as_str(), Some("ready lag_changes=0"), "{body}");
    let (employers, drafts) = {
        let mut g = jiuye_sim::Generator::new(jiuye_sim::SimConfig {
            seed: 5,
            persons: 0,
            employers: 1,
            vacancies: 2,
            today: app.state.clock.today(),
        });
        let e = g.employers();
        let v = g.vacancies(&e);
        (e, v)
    };
    let who = jiuye_store::AuditEntry::system();
    let (employer, _) =
        app.state.store.create_employer(&employers[0], None, &who, app.state.clock.now()).await.expect("employer");
    for (_, d) in &drafts {
        app.state.store.create_vacancy(employer.id, d, &who, app.state.clock.now()).await.expect("vacancy");
    }
    let (status, body) = app.call("GET", "/readyz", None, None).await;
    assert_eq!((status, body.as_str()), (200, Some("ready lag_changes=3")), "another process's three writes");
    jiuye_web::search_sync::catch_up(&app.state).await.expect("catch up");
    let (_, body) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(body.as_str(), Some("ready lag_changes=0"), "{body}");
    let (_, text) = app.call("GET", "/metrics", None, None).await;
    assert!(text.as_str().unwrap_or_default().contains("jiuye_index_lag_changes"), "the lag is a metric");
    // An index still being built is not ready.
    let mut fresh = app.state.clone();
    fresh.search = std::sync::Arc::new(jiuye_search::SearchIndex::in_memory().expect("index"));
    let r = axum::response::IntoResponse::into_response(jiuye_web::ops::readyz(axum::extract::State(fresh)).await);
    assert_eq!(r.status(), 503, "no index position yet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_walks_every_vacancy_once() {
    let app = sqlite_app().await;
    let token = app.token(Role::Employer, "employer").await;
    for _ in 0..7 {
        let (status, _) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(vacancy_body(None))).await;
        assert_eq!(status, 201);
    }
    let (_, all) = app.call("GET", "/api/v1/vacancies?limit=100", None, None).await;
    let total = all["items"].as_array().map(Vec::len).unwrap_or(0);
    assert!(total >= 9, "{total}");
    let mut seen = std::collections::HashSet::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = app.call("GET", &format!("/api/v1/vacancies?limit=2&cursor={cursor}"), None, None).await;
        assert_eq!(status, 200, "{page}");
        for item in page["items"].as_array().into_iter().flatten() {
            assert!(seen.insert(item["id"].as_str().unwrap_or_default().to_string()), "duplicate across pages");
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_staff_within_their_scope() {
    let app = sqlite_app().await;
    let dadmin = app.token(Role::DistrictAdmin, "dadmin.own").await;
    let body = |role: &str, district: &str| json!({"username": format!("new.{role}.{district}"), "display_name": "新同事", "role": role, "district": district, "password": "a-good-pass"});
    let (status, v) = app.call("POST", "/api/v1/accounts", Some(&dadmin), Some(body("caseworker", OWN))).await;
    assert_eq!(status, 201, "{v}");
    let (status, _) = app.call("POST", "/api/v1/accounts", Some(&dadmin), Some(body("caseworker", "350211"))).await;
    assert_eq!(status, 403, "a district admin created staff in another district");
    let (status, _) = app.call("POST", "/api/v1/accounts", Some(&dadmin), Some(body("city_admin", OWN))).await;
    assert_eq!(status, 403);
    let city = app.token(Role::CityAdmin, "city").await;
    let (status, v) = app.call("POST", "/api/v1/accounts", Some(&city), Some(body("caseworker", OWN))).await;
    assert_eq!((status, code(&v)), (409, "conflict.login"));
    let (status, v) = app
        .call(
            "POST",
            "/api/v1/accounts",
            Some(&city),
            Some(json!({"username": "x", "display_name": "", "role": "seeker", "password": "1"})),
        )
        .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        v["error"]["details"].as_array().into_iter().flatten().filter_map(|d| d["field"].as_str()).collect();
    for f in ["username", "role", "display_name", "password"] {
        assert!(fields.contains(&f), "{f} not reported: {v}");
    }
}

fn hit_ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["vacancy"]["id"].as_str().map(String::from))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_follows_every_vacancy_change_at_once() {
    for app in apps().await {
        let token = app.token(Role::Employer, "employer").await;
        let mut body = vacancy_body(None);
        body["title"] = json!("锅炉检修电工（夜班）");
        body["description"] = json!("负责锅炉房配电检修，包住宿。");
        let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(body)).await;
        assert_eq!(status, 201, "{v}");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        // Found at once, by words, synonyms, pinyin, with the filters that fit it.
        for query in [
            "q=锅炉",
            "q=电气工",
            "q=guolu",
            "q=锅炉&district=350203&kind=full_time",
            "q=包住宿&occupation=6-31",
            "q=锅炉&salary_min=8000",
        ] {
            let (status, r) = app.call("GET", &format!("/api/v1/vacancies/search?{query}"), None, None).await;
            assert_eq!(status, 200, "{query}: {r}");
            assert!(hit_ids(&r).contains(&id), "[{}] {query} does not find it: {r}", app.backend);
        }
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=锅炉&district=350211", None, None).await;
        assert!(!hit_ids(&r).contains(&id), "the district filter let it through");
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=包住宿", None, None).await;
        let snippet = r["items"][0]["snippet_html"].as_str().unwrap_or_default();
        assert!(snippet.contains("<b>"), "no highlight: {r}");
        assert!(
            r["facets"]["district"]
                .as_array()
                .is_some_and(|d| d.iter().any(|f| f["value"] == OWN && f["label"] == "思明区"))
        );
        // Closed: gone from search on the next request.
        let (status, _) = app
            .call("POST", &format!("/api/v1/vacancies/{id}/status"), Some(&token), Some(json!({"status": "closed"})))
            .await;
        assert_eq!(status, 200);
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=锅炉", None, None).await;
        assert!(!hit_ids(&r).contains(&id), "[{}] closed vacancy still found", app.backend);
        // Reopened: back.
        let (status, _) = app
            .call("POST", &format!("/api/v1/vacancies/{id}/status"), Some(&token), Some(json!({"status": "open"})))
            .await;
        assert_eq!(status, 200);
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=锅炉", None, None).await;
        assert!(hit_ids(&r).contains(&id));
        // Typeahead knows the new title.
        let (status, s) = app.call("GET", "/api/v1/vacancies/suggest?q=锅炉", None, None).await;
        assert_eq!(status, 200);
        assert!(s.as_array().is_some_and(|a| !a.is_empty()), "{s}");
        // After its close date it is gone, and the sweep writes it down.
        app.clock.advance(Duration::days(90));
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=锅炉", None, None).await;
        assert!(!hit_ids(&r).contains(&id), "expired vacancy still found");
        let n = jiuye_web::search_sync::sweep(&app.state).await.unwrap_or(0);
        assert!(n >= 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_pages_by_cursor_without_gaps() {
    let app = sqlite_app().await;
    let token = app.token(Role::Employer, "employer").await;
    for i in 0..7 {
        let mut body = vacancy_body(None);
        body["title"] = json!(format!("叉车司机{i}号"));
        body["salary_max"] = json!(9000 + i * 100);
        let (status, _) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(body)).await;
        assert_eq!(status, 201);
    }
    for sort in ["relevance", "newest", "salary"] {
        let mut seen = std::collections::HashSet::new();
        let mut cursor = String::new();
        let mut last_salary = i64::MAX;
        loop {
            let (status, r) = app
                .call(
                    "GET",
                    &format!("/api/v1/vacancies/search?q=叉车&sort={sort}&limit=2&cursor={cursor}"),
                    None,
                    None,
                )
                .await;
            assert_eq!(status, 200, "{r}");
            assert_eq!(r["total"], 7);
            for h in r["items"].as_array().into_iter().flatten() {
                assert!(seen.insert(h["vacancy"]["id"].as_str().unwrap_or_default().to_string()), "{sort}: repeated");
                if sort == "salary" {
                    let s = h["vacancy"]["salary_max"].as_i64().unwrap_or(0);
                    assert!(s <= last_salary, "salary sort out of order");
                    last_salary = s;
                }
            }
            match r["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 7, "{sort}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_refuses_bad_parameters_with_the_envelope() {
    let app = sqlite_app().await;
    let long = "电".repeat(101);
    let cases: Vec<(String, u16, &str)> = vec![
        ("limit=0".into(), 422, "limit"),
        ("limit=100000".into(), 422, "limit"),
        ("cursor=garbage".into(), 422, "cursor"),
        ("cursor=salary.1.2.3&sort=newest".into(), 422, "cursor"),
        ("sort=random".into(), 422, "sort"),
        ("district=999999".into(), 422, "district"),
        ("occupation=不存在".into(), 422, "occupation"),
        ("industry=ZZ".into(), 422, "industry"),
        ("kind=slave".into(), 422, "kind"),
        ("education=phd".into(), 422, "education"),
        (format!("q={long}"), 422, "q"),
        ("lat=24.5".into(), 422, "radius_km"),
        ("salary_min=-5".into(), 422, "salary_min"),
        ("salary_min=lots".into(), 400, "salary_min"),
        ("unknown=1".into(), 400, "unknown"),
    ];
    for (query, want, want_field) in cases {
        let (status, body) = app.call("GET", &format!("/api/v1/vacancies/search?{query}"), None, None).await;
        assert_eq!(status, want, "{query}: {body}");
        assert_envelope(&body);
        assert_eq!(field(&body), want_field, "{query}: {body}");
    }
    // Query syntax and punctuation are just text: an answer, never an error.
    for q in ["\"AND OR (", "*", "电工~2", "：；，。", "<script>alert(1)</script>", "%", "_"] {
        let (status, body) = app.call("GET", &format!("/api/v1/vacancies/search?q={}", urlencode(q)), None, None).await;
        assert_eq!(status, 200, "{q}: {body}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recommendations_both_ways_with_reasons() {
    for app in apps().await {
        let seeker = app.token(Role::Seeker, "seeker").await;
        let (_, me) = app.call("GET", "/api/v1/me/profile", Some(&seeker), None).await;
        let wanted = me["wanted_occupations"][0]["code"].as_str().unwrap_or("6-31-01-03").to_string();
        let district = me["district"]["code"].as_str().unwrap_or(OWN).to_string();
        // An employer posts exactly what the seeker wants, where they live, paying well.
        let employer = app.token(Role::Employer, "employer").await;
        let mut body = vacancy_body(None);
        body["occupation"] = json!(wanted);
        body["district"] = json!(district);
        body["salary_max"] = json!(50_000);
        body["opens_on"] = json!("2026-11-26");
        body["latitude"] = Value::Null;
        body["longitude"] = Value::Null;
        let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&employer), Some(body)).await;
        assert_eq!(status, 201, "{v}");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let (status, recs) = app.call("GET", "/api/v1/me/recommendations", Some(&seeker), None).await;
        assert_eq!(status, 200, "{recs}");
        let first = &recs[0];
        assert_eq!(first["vacancy"]["id"], id, "[{}] the perfect fit is not first: {recs}", app.backend);
        let codes: Vec<&str> =
            first["reasons"].as_array().into_iter().flatten().filter_map(|r| r["code"].as_str()).collect();
        assert!(codes.contains(&"match.occupation_exact") && codes.contains(&"match.same_district"), "{codes:?}");
        assert!(first["reasons"][0]["message"].as_str().is_some_and(|m| m.starts_with("职业匹配：")), "{first}");
        assert!(first["reasons"][0]["message_en"].as_str().is_some_and(|m| m.starts_with("Occupation match: ")));
        let scores: Vec<f64> = recs.as_array().into_iter().flatten().filter_map(|r| r["score"].as_f64()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        // The caseworker of the person's district sees the same; another district's does not.
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let person = app.seed.person_own;
        let (status, r) = app.call("GET", &format!("/api/v1/persons/{person}/recommendations"), Some(&cw), None).await;
        assert_eq!((status, r[0]["vacancy"]["id"].as_str()), (200, Some(id.as_str())));
        let other = app.token(Role::Caseworker, "cw.other").await;
        let (status, _) =
            app.call("GET", &format!("/api/v1/persons/{person}/recommendations"), Some(&other), None).await;
        assert_eq!(status, 404);
        // Closed: no longer recommended.
        let (status, _) = app
            .call("POST", &format!("/api/v1/vacancies/{id}/status"), Some(&employer), Some(json!({"status": "filled"})))
            .await;
        assert_eq!(status, 200);
        let (_, recs) = app.call("GET", "/api/v1/me/recommendations", Some(&seeker), None).await;
        assert!(!recs.to_string().contains(&id), "a filled vacancy is still recommended");
        // Candidates: the employer sees masked people; staff see who they are.
        let own_vacancy = app.seed.vacancy_id;
        let (status, c) =
            app.call("GET", &format!("/api/v1/vacancies/{own_vacancy}/candidates"), Some(&employer), None).await;
        assert_eq!(status, 200, "{c}");
        for cand in c.as_array().into_iter().flatten() {
            assert!(cand["person_id"].is_null(), "an employer saw a person id: {cand}");
            assert!(cand["name"].as_str().is_some_and(|n| n.contains('*')), "unmasked name: {cand}");
            assert!(!cand["reasons"].as_array().is_some_and(|r| r.is_empty()));
        }
        let city = app.token(Role::CityAdmin, "city").await;
        let (status, c) =
            app.call("GET", &format!("/api/v1/vacancies/{own_vacancy}/candidates"), Some(&city), None).await;
        assert_eq!(status, 200);
        assert!(c.as_array().into_iter().flatten().all(|cand| cand["person_id"].is_string()));
        let (status, _) = app
            .call("GET", &format!("/api/v1/vacancies/{}/candidates", app.seed.other_vacancy_id), Some(&employer), None)
            .await;
        assert_eq!(status, 404, "an employer saw candidates for another employer's vacancy");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applications_from_apply_to_hire() {
    for app in apps().await {
        let employer = app.token(Role::Employer, "employer").await;
        let mut body = vacancy_body(None);
        body["headcount"] = json!(1);
        body["title"] = json!("仓库管理员");
        let (_, v) = app.call("POST", "/api/v1/vacancies", Some(&employer), Some(body)).await;
        let vid = v["id"].as_str().unwrap_or_default().to_string();
        let seeker = app.token(Role::Seeker, "seeker").await;
        let (status, a) = app
            .call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&seeker), Some(json!({"note": "有仓管经验"})))
            .await;
        assert_eq!(status, 201, "[{}] {a}", app.backend);
        let aid = a["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(a["status"], "submitted");
        // Once only.
        let (status, dup) =
            app.call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&seeker), Some(json!({}))).await;
        assert_eq!((status, code(&dup)), (409, "conflict.application"));
        // Applied vacancies are not recommended again.
        let (_, recs) = app.call("GET", "/api/v1/me/recommendations", Some(&seeker), None).await;
        assert!(!recs.to_string().contains(&vid), "an applied vacancy is still recommended");
        // The employer sees the applicant (name, no ID number) and moves the application on.
        let (status, list) =
            app.call("GET", &format!("/api/v1/vacancies/{vid}/applications"), Some(&employer), None).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list[0]["applicant"]["person_id"], app.seed.person_own.to_string());
        assert!(!list.to_string().contains(&app.seed.seeker_id_number));
        let mv = |to: &'static str, token: String| {
            let app = &app;
            let aid = aid.clone();
            async move {
                app.call(
                    "POST",
                    &format!("/api/v1/applications/{aid}/status"),
                    Some(&token),
                    Some(json!({"status": to})),
                )
                .await
            }
        };
        assert_eq!(mv("viewed", employer.clone()).await.0, 200);
        // The seeker cannot hire themselves; the employer cannot go back.
        assert_eq!(code(&mv("hired", seeker.clone()).await.1), "conflict.application_transition");
        assert_eq!(code(&mv("viewed", employer.clone()).await.1), "conflict.application_transition");
        assert_eq!(mv("interview", employer.clone()).await.0, 200);
        let (status, hired) = mv("hired", employer.clone()).await;
        assert_eq!(status, 200, "{hired}");
        let steps: Vec<&str> =
            hired["events"].as_array().into_iter().flatten().filter_map(|e| e["to_status"].as_str()).collect();
        assert_eq!(steps, ["submitted", "viewed", "interview", "hired"]);
        // The hire is an employment, and the one-person vacancy is filled: gone from search.
        assert_eq!(app.state.store.count_employments(app.seed.person_own).await.unwrap_or(0), 1);
        let (_, v) = app.call("GET", &format!("/api/v1/vacancies/{vid}"), Some(&employer), None).await;
        assert_eq!(v["status"], "filled");
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=仓库管理员", None, None).await;
        assert!(!r.to_string().contains(&vid), "a filled vacancy is still searchable");
        // Terminal: nothing moves a hired application.
        assert_eq!(mv("withdrawn", seeker.clone()).await.0, 409);
        // Staff acting for employers meet the same state machine — staff of the vacancy's
        // district only; another district does not find the application at all.
        let own = app.token(Role::Caseworker, "cw.own").await;
        let (status, body) = mv("rejected", own).await;
        assert_eq!((status, code(&body)), (409, "conflict.application_transition"));
        let other = app.token(Role::Caseworker, "cw.other").await;
        assert_eq!(mv("rejected", other).await.0, 404);
        // A provider's staff have no say over applications.
        let provider = app.token(Role::Provider, "provider").await;
        assert_eq!(mv("rejected", provider).await.0, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_employers_see_applications_close_after_60_days() {
    let app = sqlite_app().await;
    let seeker = app.token(Role::Seeker, "seeker").await;
    let vid = app.seed.vacancy_id;
    let (status, a) = app.call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&seeker), Some(json!({}))).await;
    assert_eq!(status, 201, "{a}");
    app.clock.advance(Duration::days(59));
    assert_eq!(jiuye_web::search_sync::sweep(&app.state).await.map(|_| ()).ok(), Some(()));
    let seeker = app.token(Role::Seeker, "seeker").await;
    let (_, mine) = app.call("GET", "/api/v1/me/applications", Some(&seeker), None).await;
    assert_eq!(mine[0]["status"], "submitted", "closed too early");
    app.clock.advance(Duration::days(2));
    let _ = jiuye_web::search_sync::sweep(&app.state).await;
    let seeker = app.token(Role::Seeker, "seeker").await;
    let (_, mine) = app.call("GET", "/api/v1/me/applications", Some(&seeker), None).await;
    assert_eq!(mine[0]["status"], "closed", "{mine}");
    let last = mine[0]["events"].as_array().and_then(|e| e.last().cloned()).unwrap_or_default();
    assert_eq!((last["actor"].as_str(), last["reason"].as_str()), (Some("system"), Some("no_employer_action")));
}

/// A seeker sets where their trips start from a point (kept as a ~0.1 km² cell), sees distances
/// measured from it on the search page, and clears it; points outside Xiamen or across the water
/// from their district are refused with a named field, a hostile body never gets a 500, and
/// the audit says that the place changed, never where it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeker_sets_where_their_trips_start() {
    for app in apps().await {
        let b = app.backend;
        let token = app.token(Role::Seeker, "seeker").await;
        let (s, o) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
        assert_eq!((s, o["source"].as_str()), (200, Some("district")), "[{b}] {o}");
        let seat = jiuye_domain::geo::district_seat(&jiuye_domain::codes::DistrictCode::parse(OWN).expect("district"));
        assert!((o["latitude"].as_f64().unwrap_or(0.0) - seat.0).abs() < 1e-3, "[{b}] the seat: {o}");
        // Refused: across the water from 思明 (集美), outside Xiamen, a swapped pair, not numbers.
        for (body, want) in [
            (json!({"latitude": 24.575, "longitude": 118.105}), "person.origin_across_water"),
            (json!({"latitude": 31.23, "longitude": 121.47}), "person.origin_outside_xiamen"),
            (json!({"latitude": 118.083, "longitude": 24.456}), "person.origin_outside_xiamen"),
            (json!({"latitude": 1e308, "longitude": -1e308}), "person.origin_outside_xiamen"),
        ] {
            let (s, e) = app.call("PUT", "/api/v1/me/origin", Some(&token), Some(body.clone())).await;
            assert_eq!((s, code(&e), field(&e)), (422, want, "latitude"), "[{b}] {body}: {e}");
            assert_envelope(&e);
        }
        for body in [json!({"latitude": "24.4", "longitude": 118.1}), json!({"latitude": 24.4}), json!([1, 2])] {
            let (s, e) = app.call("PUT", "/api/v1/me/origin", Some(&token), Some(body.clone())).await;
            assert!((400..500).contains(&s), "[{b}] {body} → {s} {e}");
        }
        let (_, still) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
        assert_eq!(still["source"], "district", "[{b}] nothing refused was kept");
        // 中山路, 思明: kept as the cell, whose centre is within its size of the point.
        let (s, o) = app
            .call("PUT", "/api/v1/me/origin", Some(&token), Some(json!({"latitude": 24.456, "longitude": 118.083})))
            .await;
        assert_eq!((s, o["source"].as_str()), (200, Some("set")), "[{b}] {o}");
        assert!(o["cell"].as_str().is_some_and(|c| c.len() == 15), "[{b}] an H3 cell: {o}");
        let km = jiuye_domain::geo::straight_km(
            (o["latitude"].as_f64().unwrap_or(0.0), o["longitude"].as_f64().unwrap_or(0.0)),
            (24.456, 118.083),
        );
        assert!(km < 0.3, "[{b}] {km} km from the point: {o}");
        // Only the seeker has a place to start from.
        let employer = app.token(Role::Employer, "employer").await;
        let (s, _) = app.call("GET", "/api/v1/me/origin", Some(&employer), None).await;
        assert!(s == 403 || s == 404, "[{b}] an employer: {s}");
        // The search page measures from it: a vacancy at 湖滨南路 is ~5 km from 中山路.
        let mut v = vacancy_body(None);
        v["title"] = json!("起点测距电工");
        let (s, posted) = app.call("POST", "/api/v1/vacancies", Some(&employer), Some(v)).await;
        assert_eq!(s, 201, "[{b}] {posted}");
        let (client, csrf) = crate::support::browser(&app, Some((Role::Seeker, "seeker"))).await;
        // The page's form: a word where a number belongs, or nothing, is named beside its field;
        // a NUL byte is refused with the form as a whole (as on every form).
        for (lat, beside) in [("北纬24度", true), ("", true), ("24.4\u{0}", false)] {
            let r = client
                .post(app.url("/profile/origin"))
                .form(&[("csrf", csrf.as_str()), ("action", "set"), ("latitude", lat), ("longitude", "118.1")])
                .send()
                .await
                .expect("post");
            assert_eq!(r.status(), 422, "[{b}] latitude {lat:?}");
            let html = r.text().await.unwrap_or_default();
            assert_eq!(html.contains("id=\"latitude-error\""), beside, "[{b}] {lat:?}");
        }
        let (_, still) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
        assert_eq!(still, o, "[{b}] a refused form changes nothing");
        let page = |client: reqwest::Client| {
            let url = app.url("/vacancies?q=起点测距电工");
            async move { client.get(url).send().await.expect("page").text().await.unwrap_or_default() }
        };
        let html = page(client.clone()).await;
        let shown = html.split("距您设定的起点约 ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or_default();
        assert!(
            shown.parse::<u32>().is_ok_and(|k| (4..=6).contains(&k)),
            "[{b}] distance from the set place: {shown:?}"
        );
        // The seeker travels 1 km at most: from the set place the vacancy is beyond that. Staff
        // are told so; its employer ranks and reads candidates by district only, or a few
        // vacancies' distances would give away where the person lives.
        let mut me = person_body("", OWN);
        me["max_commute_km"] = json!(1);
        me["employment_status"] = json!("unemployed");
        let (s, p) = app.call("PUT", "/api/v1/me/profile", Some(&token), Some(me)).await;
        assert_eq!(s, 200, "[{b}] {p}");
        let vid = posted["id"].as_str().unwrap_or_default();
        let beyond = |list: &Value| {
            list.as_array()
                .into_iter()
                .flatten()
                .any(|c| c["reasons"].as_array().into_iter().flatten().any(|r| r["code"] == "match.beyond_commute"))
        };
        let city = app.token(Role::CityAdmin, "city").await;
        let path = format!("/api/v1/vacancies/{vid}/candidates");
        let (s, staff) = app.call("GET", &path, Some(&city), None).await;
        assert_eq!(s, 200, "[{b}] {staff}");
        assert!(beyond(&staff), "[{b}] staff see the commute from the set place: {staff}");
        let (s, theirs) = app.call("GET", &path, Some(&employer), None).await;
        assert_eq!(s, 200, "[{b}] {theirs}");
        assert_eq!(theirs.as_array().map(Vec::len), staff.as_array().map(Vec::len), "[{b}] the same people");
        assert!(!beyond(&theirs), "[{b}] the employer learns nothing of the place: {theirs}");
        // The audit names the change, never the place.
        let filter = jiuye_store::AuditFilter { action: Some("person.origin_set".into()), ..Default::default() };
        let rows = app.state.store.list_audit_oldest(&filter, 0, 10).await.expect("audit");
        let set = rows.first().unwrap_or_else(|| panic!("[{b}] audited"));
        let detail = set.detail.to_string();
        assert!(!detail.contains("24.4") && !detail.contains("118.0"), "[{b}] the place in the audit: {detail}");
        let (s, cleared) = app.call("DELETE", "/api/v1/me/origin", Some(&token), None).await;
        assert_eq!((s, cleared["source"].as_str()), (200, Some("district")), "[{b}] {cleared}");
        let html = page(client).await;
        assert!(!html.contains("距您设定的起点") && html.contains("按所在区估算"), "[{b}] from the district again");
        // A place checked against one district is dropped when the person moves to another.
        let (s, _) = app
            .call("PUT", "/api/v1/me/origin", Some(&token), Some(json!({"latitude": 24.456, "longitude": 118.083})))
            .await;
        assert_eq!(s, 200, "[{b}]");
        let (s, p) = app.call("PUT", "/api/v1/me/profile", Some(&token), Some(person_body("", "350211"))).await;
        assert_eq!(s, 200, "[{b}] {p}");
        let (_, o) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
        assert_eq!(o["source"], "district", "[{b}] moved to 集美: {o}");
    }
}
