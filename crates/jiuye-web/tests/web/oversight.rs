//! Oversight over the served app: the 附件2 table counts the records for each role and
//! district, figures are entered with source and evidence, the records behind a figure are
//! listed within scope, exports; the open job feed gives every change once (tombstones for
//! removals) even with eight writers at once, the snapshot resumes by range, and vacancy pages
//! carry schema.org JobPosting.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;

use jiuye_domain::roles::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{OTHER, OWN, apps, browser, code, sqlite_app, vacancy_body};

fn figure<'a>(table: &'a Value, id: &str) -> &'a Value {
    table["indicators"].as_array().and_then(|a| a.iter().find(|f| f["id"] == id)).unwrap_or(&Value::Null)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_counts_the_records_within_each_roles_district() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let p = app.seed.person_own;
        let (s, body) = app
            .call("POST", &format!("/api/v1/persons/{p}/employments"), Some(&cw), Some(json!({"form": "flexible"})))
            .await;
        assert_eq!(s, 201, "{b}: {body}");
        let city = app.token(Role::CityAdmin, "city").await;
        let (s, t) = app.call("GET", "/api/v1/oversight/indicators?period=2026-Q4", Some(&city), None).await;
        assert_eq!(s, 200, "{b}: {t}");
        let all = t["indicators"].as_array().cloned().unwrap_or_default();
        assert_eq!(all.len(), 27, "{b}: every indicator of 附件2");
        assert!(all.iter().all(|f| !f["method"].as_str().unwrap_or_default().is_empty()), "{b}: a method for each");
        let ne = figure(&t, "new_employment");
        assert_eq!(ne["numerator"], 1, "{b}: {ne}");
        assert_eq!(ne["obtained"], "computed");
        assert_eq!(ne["trail"].as_array().map(Vec::len), Some(6), "{b}: a trend of six quarters");
        assert_eq!(figure(&t, "mass_incidents")["status"], "no_figure", "{b}: nothing entered yet");

        // Another district: not counted there.
        let (_, t) = app
            .call("GET", &format!("/api/v1/oversight/indicators?period=2026-Q4&district={OTHER}"), Some(&city), None)
            .await;
        assert_eq!(figure(&t, "new_employment")["numerator"], 0, "{b}");
        // A district administrator sees their own district whatever they ask for.
        let da = app.token(Role::DistrictAdmin, "dadmin.own").await;
        let (s, t) = app
            .call("GET", &format!("/api/v1/oversight/indicators?period=2026-Q4&district={OTHER}"), Some(&da), None)
            .await;
        assert_eq!((s, t["district"].as_str()), (200, Some(OWN)), "{b}: {t}");
        assert_eq!(figure(&t, "new_employment")["numerator"], 1, "{b}");
        assert_eq!(figure(&t, "new_employment")["status"], "city_target_only", "{b}");
        // The records behind the figure, within scope.
        let (s, r) = app
            .call("GET", "/api/v1/oversight/indicators/new_employment/records?period=2026-Q4", Some(&city), None)
            .await;
        assert_eq!(s, 200, "{b}: {r}");
        assert_eq!(r["records"].as_array().map(Vec::len), Some(1), "{b}: {r}");
        assert_eq!(r["records"][0]["subject_id"], json!(p), "{b}");
        let other = app.token(Role::DistrictAdmin, "dadmin.other").await;
        let (_, r) = app
            .call("GET", "/api/v1/oversight/indicators/new_employment/records?period=2026-Q4", Some(&other), None)
            .await;
        assert_eq!(r["records"].as_array().map(Vec::len), Some(0), "{b}: another district's records are not listed");
        // Who may not look.
        for who in [Some(cw.as_str()), Some(app.token(Role::Seeker, "seeker").await.as_str()), None] {
            let (s, _) = app.call("GET", "/api/v1/oversight/indicators", who, None).await;
            assert!(s == 401 || s == 403, "{b}: {s}");
        }
        // Hostile or wrong input: a clear 4xx naming the field.
        for (q, want) in [
            ("period=2026-Q5", "oversight.period"),
            ("period=1999", "oversight.period"),
            ("period=2026-13", "oversight.period"),
            ("district=999999", "region.unknown_district"),
        ] {
            let (s, e) = app.call("GET", &format!("/api/v1/oversight/indicators?{q}"), Some(&city), None).await;
            assert_eq!(s, 422, "{b} {q}: {e}");
            assert!(code(&e).starts_with(want.split('.').next().unwrap_or_default()), "{b} {q}: {e}");
        }
        let (s, _) = app.call("GET", "/api/v1/oversight/indicators/nope/records", Some(&city), None).await;
        assert_eq!(s, 404, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn entered_figures_need_a_source_and_evidence_and_only_where_records_cannot_yield_them() {
    let app = sqlite_app().await;
    let city = app.token(Role::CityAdmin, "city").await;
    let entry = json!({"period": "2026-Q3", "value": 0, "source": "市信访局通报", "evidence": "厦信〔2026〕12号"});
    let (s, body) =
        app.call("POST", "/api/v1/oversight/indicators/mass_incidents/entries", Some(&city), Some(entry)).await;
    assert_eq!(s, 201, "{body}");
    let (_, t) = app.call("GET", "/api/v1/oversight/indicators?period=2026-Q3", Some(&city), None).await;
    let mi = figure(&t, "mass_incidents");
    assert_eq!((mi["value"].as_f64(), mi["status"].as_str()), (Some(0.0), Some("met")), "{mi}");
    assert_eq!(mi["entered"]["source"], "市信访局通报");
    let bad = [
        (
            "new_employment",
            json!({"period": "2026-Q3", "value": 1, "source": "x", "evidence": "y"}),
            "oversight.computed",
        ),
        ("labour_brands", json!({"period": "2026-Q3", "value": 3, "source": " ", "evidence": "y"}), "input.required"),
        (
            "labour_brands",
            json!({"period": "2027", "value": 3, "source": "x", "evidence": "y"}),
            "oversight.future_period",
        ),
        ("labour_brands", json!({"period": "2026-Q3", "value": -1, "source": "x", "evidence": "y"}), "oversight.value"),
        ("labour_brands", json!({"period": "someday", "value": 1, "source": "x", "evidence": "y"}), "oversight.period"),
    ];
    for (id, body, want) in bad {
        let (s, e) =
            app.call("POST", &format!("/api/v1/oversight/indicators/{id}/entries"), Some(&city), Some(body)).await;
        assert_eq!((s, code(&e)), (422, want), "{id}: {e}");
    }
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let (s, _) = app
        .call(
            "POST",
            "/api/v1/oversight/indicators/labour_brands/entries",
            Some(&cw),
            Some(json!({"period": "2026-Q3", "value": 3, "source": "x", "evidence": "y"})),
        )
        .await;
    assert_eq!(s, 403);
    // The page's form: problems beside the fields, then post/redirect/get.
    let (client, csrf) = browser(&app, Some((Role::CityAdmin, "city"))).await;
    let form = [("csrf", csrf.as_str()), ("period", "2026-Q3"), ("value", "4"), ("source", ""), ("evidence", "文号")];
    let r = client
        .post(app.url("/admin/dashboard/labour_brands/entries"))
        .form(&form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("aria-invalid") && html.contains("value=\"4\""), "problems beside fields, values kept");
    let form = [
        ("csrf", csrf.as_str()),
        ("period", "2026-Q3"),
        ("value", "4"),
        ("source", "市人社局认定文件"),
        ("evidence", "文号"),
    ];
    let r = client
        .post(app.url("/admin/dashboard/labour_brands/entries"))
        .form(&form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 303);
    let to = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    assert!(to.contains("done=entered"), "{to}");
    let html = client.get(app.url(&to)).send().await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    assert!(html.contains("市人社局认定文件") && html.contains(">4<"), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_page_and_its_exports() {
    let app = sqlite_app().await;
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let p = app.seed.person_own;
    let (s, _) = app
        .call("POST", &format!("/api/v1/persons/{p}/employments"), Some(&cw), Some(json!({"form": "flexible"})))
        .await;
    assert_eq!(s, 201);
    let (client, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
    let get = |path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap_or_else(|e| panic!("{e}")) }
    };
    let html = get("/admin/dashboard?period=2026-Q4".into()).await.text().await.unwrap_or_default();
    assert_eq!(html.matches("<tr id=\"kpi-").count(), 27, "every indicator is a row");
    assert!(html.contains("新增就业人员规模") && html.contains("<svg class=\"spark\""), "names and trend lines");
    let html = get(format!("/admin/dashboard/new_employment?period=2026-Q4&district={OWN}"))
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains(&format!("/staff/persons/{p}")), "the record links to the person");
    let r = get(format!("/api/v1/oversight/indicators.xlsx?period=2026-Q4&district={OWN}")).await;
    assert_eq!(r.status(), 200);
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let bytes = r.bytes().await.unwrap_or_default();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let csv = get("/api/v1/oversight/indicators.csv?period=2026-Q4".into()).await.text().await.unwrap_or_default();
    assert_eq!(csv.lines().count(), 28, "a header and 27 rows");
    assert!(csv.contains("新增就业人员规模"));
}

async fn feed(app: &crate::support::TestApp, after: &str, wait: u32) -> (Vec<Value>, String) {
    let (s, body) = app.call("GET", &format!("/api/v1/feed/changes?after={after}&wait={wait}"), None, None).await;
    assert_eq!(s, 200, "{body}");
    (body["changes"].as_array().cloned().unwrap_or_default(), body["cursor"].as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_feed_gives_each_change_once_with_tombstones() {
    for app in apps().await {
        let b = app.backend;
        let (s, start) = app.call("GET", "/api/v1/feed/changes", None, None).await;
        assert_eq!(s, 200, "{b}");
        let c0 = start["cursor"].as_str().unwrap_or_default().to_string();
        let emp = app.token(Role::Employer, "employer").await;
        let (s, v) = app.call("POST", "/api/v1/vacancies", Some(&emp), Some(vacancy_body(None))).await;
        assert_eq!(s, 201, "{b}: {v}");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let (changes, c1) = feed(&app, &c0, 2).await;
        assert_eq!(changes.len(), 1, "{b}: {changes:?}");
        assert_eq!((changes[0]["op"].as_str(), changes[0]["id"].as_str()), (Some("upsert"), Some(id.as_str())), "{b}");
        assert_eq!(changes[0]["vacancy"]["title"], "电工");
        let text = serde_json::to_string(&changes).unwrap_or_default();
        assert!(!text.contains("mobile") && !text.contains("national_id"), "{b}: no personal data");
        let (s, _) = app
            .call("POST", &format!("/api/v1/vacancies/{id}/status"), Some(&emp), Some(json!({"status": "closed"})))
            .await;
        assert_eq!(s, 200, "{b}");
        let (changes, c2) = feed(&app, &c1, 2).await;
        assert_eq!(changes.len(), 1, "{b}: {changes:?}");
        assert_eq!((changes[0]["op"].as_str(), &changes[0]["vacancy"]), (Some("remove"), &Value::Null), "{b}");
        let (changes, _) = feed(&app, &c2, 1).await;
        assert!(changes.is_empty(), "{b}: read once: {changes:?}");
        let (s, e) = app.call("GET", "/api/v1/feed/changes?after=42", None, None).await;
        assert_eq!((s, code(&e)), (422, "feed.cursor"), "{b}");
    }
}

/// Eight writers post vacancies at once while a reader follows the feed: every vacancy comes
/// through, and no change comes twice.
#[tokio::test(flavor = "multi_thread")]
async fn eight_writers_the_feed_loses_and_duplicates_nothing() {
    for app in apps().await {
        let b = app.backend;
        let (_, start) = app.call("GET", "/api/v1/feed/changes", None, None).await;
        let mut cursor = start["cursor"].as_str().unwrap_or_default().to_string();
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let employer = app.seed.employer_id;
        let mut writers = Vec::new();
        for w in 0..8 {
            let (http, url, token) = (app.http.clone(), app.url("/api/v1/vacancies"), cw.clone());
            writers.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for k in 0..5 {
                    let mut body = vacancy_body(Some(employer));
                    body["title"] = json!(format!("电工 {w}-{k}"));
                    let r = http.post(&url).bearer_auth(&token).json(&body).send().await;
                    let v: Value = match r {
                        Ok(r) if r.status() == 201 => r.json().await.unwrap_or_default(),
                        other => panic!("write {w}-{k}: {other:?}"),
                    };
                    ids.push(v["id"].as_str().unwrap_or_default().to_string());
                }
                ids
            }));
        }
        let mut seen_changes = HashSet::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut written = HashSet::new();
        let mut writers_done = false;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let (changes, next) = feed(&app, &cursor, 1).await;
            cursor = next;
            for c in changes {
                let change = c["change"].as_i64().unwrap_or_default();
                assert!(seen_changes.insert(change), "{b}: change {change} came twice");
                *seen.entry(c["id"].as_str().unwrap_or_default().to_string()).or_default() += 1;
            }
            if !writers_done && writers.iter().all(|w| w.is_finished()) {
                for w in writers.drain(..) {
                    written.extend(w.await.unwrap_or_else(|e| panic!("{e}")));
                }
                writers_done = true;
            }
            if writers_done && written.iter().all(|id| seen.contains_key(id)) {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{b}: missing {:?}",
                written.iter().filter(|i| !seen.contains_key(*i)).collect::<Vec<_>>()
            );
        }
        assert_eq!(written.len(), 40, "{b}");
        assert!(seen.values().all(|n| *n == 1), "{b}: a vacancy written once comes once: {seen:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_snapshot_is_gzip_ndjson_with_a_cursor_and_resumes_by_range() {
    let app = sqlite_app().await;
    let r = app.http.get(app.url("/api/v1/feed/snapshot")).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let etag = r.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let cursor = r.headers().get("x-feed-cursor").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let whole = r.bytes().await.unwrap_or_default();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&whole[..]).read_to_string(&mut text).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap_or_default()).collect();
    assert_eq!(lines[0]["cursor"].as_str(), Some(cursor.as_str()), "the first line says where to continue");
    let ids: Vec<String> = lines[1..].iter().filter_map(|l| l["id"].as_str().map(str::to_string)).collect();
    assert!(ids.contains(&app.seed.vacancy_id.to_string()), "open vacancies are in it");
    assert!(!text.contains("national_id") && !text.contains("mobile"), "no personal data");
    // Resume from byte 10 of the same snapshot.
    let r = app
        .http
        .get(app.url("/api/v1/feed/snapshot"))
        .header("range", "bytes=10-")
        .header("if-range", &etag)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 206);
    assert_eq!(r.bytes().await.unwrap_or_default(), whole.slice(10..));
    let r = app
        .http
        .get(app.url("/api/v1/feed/snapshot"))
        .header("range", "bytes=5-20")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.headers().get("content-range").and_then(|v| v.to_str().ok()),
        Some(&*format!("bytes 5-20/{}", whole.len()))
    );
    assert_eq!(r.bytes().await.unwrap_or_default(), whole.slice(5..=20));
    // Served from a file in the snapshot folder, not held in memory.
    let on_disk: Vec<Vec<u8>> = std::fs::read_dir(app.state.snapshot.dir())
        .map(|d| d.flatten().filter_map(|e| std::fs::read(e.path()).ok()).collect())
        .unwrap_or_default();
    assert!(on_disk.iter().any(|f| f[..] == whole[..]), "the snapshot is a file");
    let r = app
        .http
        .get(app.url("/api/v1/feed/snapshot"))
        .header("range", format!("bytes={}-", whole.len() + 5))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 416);
    // Continuing from the snapshot's cursor: nothing lost, nothing before it.
    let (changes, _) = feed(&app, &cursor, 0).await;
    assert!(changes.is_empty(), "{changes:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_vacancy_page_carries_a_job_posting() {
    let app = sqlite_app().await;
    let id: Uuid = app.seed.vacancy_id;
    let html = app
        .http
        .get(app.url(&format!("/vacancies/{id}")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    let start =
        html.find("<script type=\"application/ld+json\" id=\"job-posting\">").unwrap_or_else(|| panic!("no JSON-LD"));
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap_or(0) + 1..rest.find("</script>").unwrap_or(0)];
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!((v["@type"].as_str(), v["baseSalary"]["currency"].as_str()), (Some("JobPosting"), Some("CNY")));
    assert_eq!(v["identifier"]["value"], json!(id));
}

#[tokio::test(flavor = "multi_thread")]
async fn surveys_are_only_about_ones_own_finished_things() {
    let app = sqlite_app().await;
    let me = app.token(Role::Seeker, "seeker").await;
    let random = Uuid::new_v4();
    let (s, e) = app
        .call("POST", "/api/v1/me/surveys", Some(&me), Some(json!({"kind": "claim", "subject_id": random, "score": 5})))
        .await;
    assert_eq!(s, 404, "{e}");
    let (s, e) = app
        .call("POST", "/api/v1/me/surveys", Some(&me), Some(json!({"kind": "vibes", "subject_id": random, "score": 5})))
        .await;
    assert_eq!((s, code(&e)), (422, "survey.kind"), "{e}");
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let (s, _) = app
        .call("POST", "/api/v1/me/surveys", Some(&cw), Some(json!({"kind": "claim", "subject_id": random, "score": 5})))
        .await;
    assert_eq!(s, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn lead_units_file_progress_on_their_own_measures_and_late_reports_show() {
    let app = sqlite_app().await;
    let lead = app.token(Role::LeadUnit, "lead.skills").await;
    let (s, p) = app.call("GET", "/api/v1/progress", Some(&lead), None).await;
    assert_eq!(s, 200, "{p}");
    let numbers: Vec<u64> =
        p["measures"].as_array().map(|a| a.iter().filter_map(|m| m["number"].as_u64()).collect()).unwrap_or_default();
    assert_eq!(numbers, [3, 4, 7, 8, 16], "the measures the unit leads");
    let late = p["late_total"].as_u64().unwrap_or_default();
    assert_eq!(late, 5 * 6, "six reports due from late September to 25 November for each measure");
    let (s, r) = app
        .call(
            "POST",
            "/api/v1/progress/reports",
            Some(&lead),
            Some(json!({"measure": 3, "period": "2026-11-H1", "text": "完成两期电工培训", "attachments": ["厦人社〔2026〕88号"]})),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let ids: Vec<&str> =
        r["figures"].as_array().map(|a| a.iter().filter_map(|f| f["indicator"].as_str()).collect()).unwrap_or_default();
    assert_eq!(ids, ["subsidised_training", "certificate_rate"], "the measure's figures filled from the records");
    let (_, p) = app.call("GET", "/api/v1/progress", Some(&lead), None).await;
    assert_eq!(p["late_total"].as_u64(), Some(late - 1), "filed: no longer late");
    for (body, status, want) in [
        (json!({"measure": 5, "period": "2026-11-H1", "text": "x"}), 404, "not_found"),
        (json!({"measure": 3, "period": "2027-01", "text": "x"}), 422, "progress.future_period"),
        (json!({"measure": 3, "period": "2026-11-H3", "text": "x"}), 422, "progress.period"),
        (json!({"measure": 3, "period": "2026-11", "text": "  "}), 422, "input.required"),
        (
            json!({"measure": 3, "period": "2026-11", "text": "x", "attachments": vec!["a"; 11]}),
            422,
            "progress.attachments",
        ),
    ] {
        let (s, e) = app.call("POST", "/api/v1/progress/reports", Some(&lead), Some(body.clone())).await;
        assert_eq!((s, code(&e)), (status, want), "{body}: {e}");
    }
    let city = app.token(Role::CityAdmin, "city").await;
    let (_, all) = app.call("GET", "/api/v1/progress", Some(&city), None).await;
    assert_eq!(all["measures"].as_array().map(Vec::len), Some(26));
    let (s, _) = app
        .call(
            "POST",
            "/api/v1/progress/reports",
            Some(&city),
            Some(json!({"measure": 3, "period": "2026-11", "text": "x"})),
        )
        .await;
    assert_eq!(s, 403, "the city does not file for a unit");
    let (s, m) = app.call("GET", "/api/v1/progress/monthly?month=2026-11", Some(&city), None).await;
    assert_eq!((s, m["lines"].as_array().map(Vec::len)), (200, Some(26)), "{m}");
    let (s, _) = app.call("GET", "/api/v1/progress/monthly", Some(&lead), None).await;
    assert_eq!(s, 403);
    let da = app.token(Role::DistrictAdmin, "dadmin.own").await;
    let (s, _) = app.call("GET", "/api/v1/progress", Some(&da), None).await;
    assert_eq!(s, 403);
    // The page: the city's dashboard flags late reports.
    let (client, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
    let html = client
        .get(app.url("/admin/dashboard"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("id=\"progress-late\""), "late reports flagged on the dashboard");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ratio_of_jobs_to_seekers_by_occupation_and_district() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        // A registered seeker in the own district wanting the seeded vacancy's occupation group.
        let p = app.seed.person_own;
        let (s, body) = app
            .call("POST", &format!("/api/v1/persons/{p}/registrations"), Some(&cw), Some(json!({"basis": "residence"})))
            .await;
        assert_eq!(s, 201, "{b}: {body}");
        let city = app.token(Role::CityAdmin, "city").await;
        let (s, m) = app.call("GET", "/api/v1/oversight/market?period=2026-Q4&level=1", Some(&city), None).await;
        assert_eq!(s, 200, "{b}: {m}");
        let cells = m["cells"].as_array().cloned().unwrap_or_default();
        let demand: u64 = cells
            .iter()
            .filter(|c| c["district"] == "city")
            .map(|c| c["demand_new"].as_u64().unwrap_or(0) + c["demand_carried"].as_u64().unwrap_or(0))
            .sum();
        let seekers: u64 = cells
            .iter()
            .filter(|c| c["district"] == "city")
            .map(|c| c["seekers_new"].as_u64().unwrap_or(0) + c["seekers_carried"].as_u64().unwrap_or(0))
            .sum();
        assert!(demand >= 2, "{b}: the seeded vacancies' headcounts: {m}");
        assert_eq!(seekers, 1, "{b}: one active registration: {m}");
        // Counted under the occupation group the person wants first (the seeded vacancy's).
        let seeker_cell = cells
            .iter()
            .find(|c| c["district"] == "city" && c["seekers_new"].as_u64().unwrap_or(0) == 1)
            .unwrap_or_else(|| panic!("{b}: no cell holds the new seeker: {m}"));
        assert!(
            seeker_cell["demand_new"].as_u64().unwrap_or(0) + seeker_cell["demand_carried"].as_u64().unwrap_or(0) >= 1,
            "{b}: the seeker is not under the wanted occupation group: {seeker_cell}"
        );
        // A district administrator sees their district only.
        let da = app.token(Role::DistrictAdmin, "dadmin.other").await;
        let (_, m) =
            app.call("GET", &format!("/api/v1/oversight/market?period=2026-Q4&district={OWN}"), Some(&da), None).await;
        assert_eq!(m["district"].as_str(), Some(OTHER), "{b}");
        assert!(
            m["cells"].as_array().is_some_and(|c| c.iter().all(|c| c["district"] == OTHER || c["district"] == "city")),
            "{b}: {m}"
        );
        let (s, e) = app.call("GET", "/api/v1/oversight/market?level=7", Some(&city), None).await;
        assert_eq!((s, code(&e)), (422, "oversight.level"), "{b}");
        let (client, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
        let html = client
            .get(app.url("/admin/market?period=2026-Q4&level=1"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(html.contains("id=\"heat\"") && html.contains("id=\"shortage\""), "{b}");
    }
}

/// A changed parameter runs over everyone who holds a certificate within the claim window, not
/// only the claims on file.
#[tokio::test(flavor = "multi_thread")]
async fn a_policy_change_is_simulated_over_the_population() {
    use jiuye_domain::training::{CertificateKind, CertificateLevel};
    let app = sqlite_app().await;
    let on = chrono::NaiveDate::from_ymd_opt(2025, 12, 15).unwrap_or_default();
    app.state
        .store
        .issue_certificate(
            app.seed.person_own,
            None,
            CertificateKind::SkillLevel,
            CertificateLevel::Four,
            None,
            "S2025-0001",
            on,
            &jiuye_store::AuditEntry::system(),
            app.state.clock.now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), app.state.clock.now());
    let s = app
        .state
        .core()
        .simulate_population(&ctx, "skills_certificate", &[("level_4".into(), 150_000)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.total.candidates, 1, "{s:?}");
    assert_eq!((s.total.eligible_before, s.total.eligible_after), (1, 1), "{s:?}");
    assert_eq!(s.total.amount_after_fen, 150_000, "{s:?}");
    assert_ne!(s.total.amount_before_fen, s.total.amount_after_fen, "the change moves the cost");
    assert_eq!(s.by_district.get(OWN).map(|x| x.candidates), Some(1));
    let (client, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
    let html = client
        .get(app.url("/admin/policies/simulate?policy=skills_certificate&set=level_4%3D150000"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("id=\"sim-result\"") && html.contains("思明区"), "{html}");
    let (client, _) = browser(&app, Some((Role::DistrictAdmin, "dadmin.own"))).await;
    let r = client.get(app.url("/admin/policies/simulate")).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 403, "only the city publishes policies");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fairness_of_recommendations_shows_who_was_shown_and_offered_what() {
    let app = sqlite_app().await;
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let p = app.seed.person_own;
    let (s, body) = app
        .call(
            "POST",
            &format!("/api/v1/persons/{p}/services"),
            Some(&cw),
            Some(json!({"kind": "job_referral", "vacancy_id": app.seed.vacancy_id})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let city = app.token(Role::CityAdmin, "city").await;
    let (s, f) = app.call("GET", "/api/v1/oversight/fairness?period=2026-Q4", Some(&city), None).await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["recommendations"], 1, "{f}");
    assert_eq!(f["employers"], 2, "both seeded employers have an open vacancy: {f}");
    assert_eq!(f["never_shown"].as_f64(), Some(0.5), "{f}");
    let groups: Vec<&str> =
        f["by_group"].as_array().map(|a| a.iter().filter_map(|g| g["group"].as_str()).collect()).unwrap_or_default();
    assert!(groups.iter().any(|g| g.starts_with("sex:")) && groups.iter().any(|g| g.starts_with("age:")), "{groups:?}");
    let seeker = app.token(Role::Seeker, "seeker").await;
    let (s, _) = app.call("GET", "/api/v1/oversight/fairness", Some(&seeker), None).await;
    assert_eq!(s, 403);
}
