//! The gig market over the API on both backends: a station registered, a worker's profile, an
//! employer's gig open at once, a low-paid one and an unverified individual's held for staff of
//! their district, the worker offered the gig and taking it, both sides confirming, paying and
//! rating — and nobody else reaching a gig's candidates, bookings or a booking's steps.

use chrono::Duration;
use serde_json::{Value, json};

use jiuye_domain::roles::Role;

use crate::support::{OTHER, OWN, TestApp, apps, code};

fn site_body() -> Value {
    json!({
        "name": "思明区零工驿站（中山路）", "layout": "station", "mode": "operator",
        "operator": "厦门人力资源服务有限公司", "district": OWN, "address": "思明区中山路 1 号",
        "lat": 24.4560, "lon": 118.0830, "hours": "07:00–19:00",
        "amenities": ["饮水", "休息区"], "services": ["matching", "rights"]
    })
}

/// A mediation organisation registered in the own district by its administrator: its id.
async fn own_mediation_org(app: &TestApp) -> String {
    let dadmin = app.token(Role::DistrictAdmin, "dadmin.own").await;
    let body = json!({"name": "中华街道劳动争议调解委员会", "kind": "township", "district": OWN,
        "address": "思明区中华街道", "registered_on": "2025-06-01", "evidence": "思人社〔2025〕18号"});
    let (s, o) = app.call("POST", "/api/v1/mediation-orgs", Some(&dadmin), Some(body)).await;
    assert_eq!(s, 201, "{}: {o}", app.backend);
    o["id"].as_str().unwrap_or_default().to_string()
}

fn starts_at(app: &TestApp) -> String {
    let tomorrow = app.state.clock.now() + Duration::hours(8) + Duration::days(1);
    format!("{}T08:00:00", tomorrow.date_naive())
}

fn gig_body(app: &TestApp, site: &str, pay_fen: i64) -> Value {
    json!({
        "trade": "4-02-05-01", "title": "仓库搬运工", "details": "装卸货物，中午管饭", "district": OWN,
        "address": "思明区中山路 1 号", "site_id": site, "starts_at": starts_at(app), "days": 1,
        "hours_per_day": 8, "headcount": 2, "pay_unit": "day", "pay_fen": pay_fen
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gig_goes_from_post_to_rating_and_only_its_parties_reach_it() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let dadmin_other = app.token(Role::DistrictAdmin, "dadmin.other").await;
        let cw_own = app.token(Role::Caseworker, "cw.own").await;
        let cw_other = app.token(Role::Caseworker, "cw.other").await;
        let employer = app.token(Role::Employer, "employer").await;
        let seeker = app.token(Role::Seeker, "seeker").await;

        // A station: by the city; not by another district's administrator; bad values named.
        let (s, site) = app.call("POST", "/api/v1/gig/sites", Some(&city), Some(site_body())).await;
        assert_eq!(s, 201, "{b}: {site}");
        let site_id = site["id"].as_str().unwrap_or_default().to_string();
        let (s, _) = app.call("POST", "/api/v1/gig/sites", Some(&dadmin_other), Some(site_body())).await;
        assert_eq!(s, 403, "{b}: another district's administrator registers nothing here");
        for (change, field) in [
            (json!({"layout": "kiosk"}), "layout"),
            (json!({"lat": 31.23}), "lat"),
            (json!({"recognised_on": "2026-01-05"}), "recognition_evidence"),
            (json!({"name": " "}), "name"),
        ] {
            let mut body = site_body();
            for (k, v) in change.as_object().into_iter().flatten() {
                body[k] = v.clone();
            }
            let (s, e) = app.call("POST", "/api/v1/gig/sites", Some(&city), Some(body)).await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{b}: {e}");
        }
        let (s, list) = app.call("GET", "/api/v1/gig/sites", None, None).await;
        assert_eq!(s, 200);
        assert!(list.as_array().is_some_and(|l| l.iter().any(|x| x["id"] == site["id"])), "{b}: listed");
        assert!(!list.to_string().contains("checkin_token"), "{b}: the check-in code is not in the directory");
        // The directory as it stood at a quarter's end, for the quarterly report: this quarter
        // holds the station, the one before does not; a month is not a quarter.
        let (s, csv) = app.call("GET", "/api/v1/gig/sites.csv?quarter=2026-Q4", None, None).await;
        let csv = csv.as_str().unwrap_or_default().to_string();
        assert_eq!(s, 200, "{b}: {csv}");
        assert!(csv.starts_with("\u{feff}区,名称,类型,运营模式"), "{b}: {csv}");
        assert!(csv.contains("思明区,思明区零工驿站（中山路）,零工服务站点"), "{b}: {csv}");
        let (_, before) = app.call("GET", "/api/v1/gig/sites.csv?quarter=2026-Q3", None, None).await;
        assert!(!before.as_str().unwrap_or_default().contains("中山路"), "{b}: registered after Q3: {before}");
        for bad in ["2026-10", "2026-Q5", "下季度"] {
            let (s, e) = app.call("GET", &format!("/api/v1/gig/sites.csv?quarter={bad}"), None, None).await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some("quarter")), "{b} {bad}: {e}");
        }
        let xlsx = app.http.get(app.url("/api/v1/gig/sites.xlsx")).send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(xlsx.status(), 200, "{b}");
        let bytes = xlsx.bytes().await.unwrap_or_default();
        let rows = jiuye_web::xlsx::read_first_sheet(&bytes).unwrap_or_else(|e| panic!("{b}: {e:?}"));
        assert!(rows.iter().any(|r| r.get(1).is_some_and(|n| n.contains("中山路"))), "{b}: {rows:?}");

        // The worker's profile, at the station.
        let profile = json!({"trades": ["装卸搬运工"], "availability": "today", "home_site": site_id, "district": OWN});
        let (s, e) = app.call("PUT", "/api/v1/me/gig", Some(&seeker), Some(profile)).await;
        assert_eq!(s, 204, "{b}: {e}");
        let (s, e) = app
            .call(
                "PUT",
                "/api/v1/me/gig",
                Some(&seeker),
                Some(json!({"trades": ["泥瓦匠X"], "availability": "today", "district": OWN})),
            )
            .await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("trades")), "{b}: {e}");

        // The employer's gig is open at once; a low-paid one is held with the reason.
        let (s, open) =
            app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(gig_body(&app, &site_id, 20_000))).await;
        assert_eq!((s, open["status"].as_str()), (201, Some("open")), "{b}: {open}");
        assert_eq!(open["pay_text_zh"], "200 元/天");
        // Its start comes back as an RFC 3339 date-time with Beijing's offset (the same instant
        // written in UTC is read as the same start: at the end); a garbled start is refused.
        assert_eq!(open["starts_at"].as_str(), Some(format!("{}+08:00", starts_at(&app)).as_str()), "{b}: {open}");
        let mut garbled = gig_body(&app, &site_id, 20_000);
        garbled["starts_at"] = json!("明天早上");
        let (s, e) = app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(garbled)).await;
        assert!((400..500).contains(&s), "{b}: {s} {e}");
        let gig_id = open["id"].as_str().unwrap_or_default().to_string();
        let (s, low) =
            app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(gig_body(&app, &site_id, 10_000))).await;
        assert_eq!((s, low["status"].as_str()), (201, Some("held")), "{b}: {low}");
        assert_eq!(low["holds"][0]["code"], "gig.hold.below_minimum_wage");
        assert!(
            low["holds"][0]["message"].as_str().is_some_and(|m| m.contains("12.5") && m.contains("21")),
            "{b}: {low}"
        );
        let mut bad = gig_body(&app, &site_id, 20_000);
        bad["headcount"] = json!(0);
        let (s, e) = app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(bad)).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("headcount")), "{b}: {e}");
        // An individual whose identity no desk has seen: held.
        let (s, mine) =
            app.call("POST", "/api/v1/gig/demands", Some(&seeker), Some(gig_body(&app, &site_id, 20_000))).await;
        assert_eq!((s, mine["status"].as_str()), (201, Some("held")), "{b}: {mine}");
        assert_eq!(mine["holds"][0]["code"], "gig.hold.unverified");

        // The public sees the open gig, not the held ones; a held one is its poster's and staff's.
        let (_, public) = app.call("GET", "/api/v1/gig/demands", None, None).await;
        let ids: Vec<&str> = public.as_array().into_iter().flatten().filter_map(|g| g["id"].as_str()).collect();
        assert!(ids.contains(&gig_id.as_str()) && !ids.contains(&low["id"].as_str().unwrap_or("-")), "{b}: {ids:?}");
        let held = format!("/api/v1/gig/demands/{}", low["id"].as_str().unwrap_or_default());
        assert_eq!(app.call("GET", &held, None, None).await.0, 404, "{b}: a held post is not public");
        assert_eq!(app.call("GET", &held, Some(&cw_other), None).await.0, 404, "{b}: nor another district's");
        let (s, seen) = app.call("GET", &held, Some(&cw_own), None).await;
        assert_eq!((s, seen["holds"][0]["code"].as_str()), (200, Some("gig.hold.below_minimum_wage")), "{b}");
        let (_, queue) = app.call("GET", "/api/v1/gig/held", Some(&cw_other), None).await;
        assert_eq!(queue.as_array().map(Vec::len), Some(0), "{b}: another district's queue is empty");
        let review = format!("{held}/review");
        assert_eq!(app.call("POST", &review, Some(&cw_other), Some(json!({"publish": true}))).await.0, 404, "{b}");
        let (s, r) = app.call("POST", &review, Some(&cw_own), Some(json!({"publish": false}))).await;
        assert_eq!((s, r["status"].as_str()), (200, Some("refused")), "{b}: {r}");
        let (s, e) = app.call("POST", &review, Some(&cw_own), Some(json!({"publish": true}))).await;
        assert_eq!((s, code(&e)), (409, "gig.not_held"), "{b}");

        // Candidates: the poster sees a band and no name; the district's staff see who.
        let cands = format!("/api/v1/gig/demands/{gig_id}/candidates");
        let (s, c) = app.call("GET", &cands, Some(&employer), None).await;
        assert_eq!(s, 200, "{b}: {c}");
        assert_eq!(c[0]["band"], "gig.band.within_1", "{b}: {c}");
        assert!(c[0]["person_id"].is_null(), "{b}: the poster does not learn who");
        let (_, c) = app.call("GET", &cands, Some(&cw_own), None).await;
        assert_eq!(c[0]["person_id"].as_str(), Some(app.seed.person_own.to_string().as_str()), "{b}");
        assert_eq!(app.call("GET", &cands, Some(&seeker), None).await.0, 404, "{b}: not the seeker's gig");
        assert_eq!(app.call("GET", &cands, Some(&cw_other), None).await.0, 404, "{b}");

        // The worker is offered it and takes it, once.
        let (_, me) = app.call("GET", "/api/v1/me/gig", Some(&seeker), None).await;
        assert!(me["offers"].as_array().is_some_and(|o| o.iter().any(|x| x["gig"]["id"] == open["id"])), "{b}: {me}");
        let (_, notices) = app.call("GET", "/api/v1/me/notices", Some(&seeker), None).await;
        let told = notices.as_array().into_iter().flatten().find(|n| n["kind"] == "gig_offered");
        assert!(
            told.is_some_and(
                |n| n["message"].as_str().is_some_and(|m| m.contains("仓库搬运工")) && n["href"] == "/my/gig"
            ),
            "{b}: the offer is in the worker's notices: {notices}"
        );
        let accept = format!("/api/v1/gig/demands/{gig_id}/accept");
        let (s, booking) = app.call("POST", &accept, Some(&seeker), None).await;
        assert_eq!(s, 201, "{b}: {booking}");
        let (s, e) = app.call("POST", &accept, Some(&seeker), None).await;
        assert_eq!((s, code(&e)), (409, "gig.already_booked"), "{b}");
        assert_eq!(app.call("POST", &accept, Some(&employer), None).await.0, 403, "{b}");

        // The poster sees who is coming; nobody else does.
        let bookings = format!("/api/v1/gig/demands/{gig_id}/bookings");
        let (s, list) = app.call("GET", &bookings, Some(&employer), None).await;
        assert_eq!(s, 200, "{b}: {list}");
        assert!(list[0]["worker_name"].as_str().is_some_and(|n| !n.is_empty()), "{b}: {list}");
        assert_eq!(app.call("GET", &bookings, Some(&seeker), None).await.0, 404, "{b}");

        // Both sides confirm, not before the day; ratings after completion, once, 1–5.
        let bid = booking["id"].as_str().unwrap_or_default();
        let (s, e) = app
            .call("POST", &format!("/api/v1/gig/bookings/{bid}/confirm"), Some(&seeker), Some(json!({"step": "start"})))
            .await;
        assert_eq!((s, code(&e)), (409, "gig.too_early"), "{b}: a gig tomorrow is not started today");
        app.clock.advance(Duration::days(2));
        // Sessions end while idle: sign in again on the day of the gig.
        let (seeker, employer, cw_own, cw_other) = (
            app.token(Role::Seeker, "seeker").await,
            app.token(Role::Employer, "employer").await,
            app.token(Role::Caseworker, "cw.own").await,
            app.token(Role::Caseworker, "cw.other").await,
        );
        let step = |s: &str| Some(json!({"step": s}));
        let confirm = format!("/api/v1/gig/bookings/{bid}/confirm");
        assert_eq!(app.call("POST", &confirm, Some(&cw_own), step("start")).await.0, 404, "{b}: staff are no party");
        let (_, x) = app.call("POST", &confirm, Some(&seeker), step("start")).await;
        assert_eq!(x["status"], "booked", "{b}: {x}");
        let (_, x) = app.call("POST", &confirm, Some(&employer), step("start")).await;
        assert_eq!(x["status"], "started", "{b}: {x}");
        let (s, e) = app.call("POST", &confirm, Some(&employer), step("later")).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("step")), "{b}");
        app.call("POST", &confirm, Some(&seeker), step("done")).await;
        let rating = format!("/api/v1/gig/bookings/{bid}/rating");
        let (s, e) = app.call("POST", &rating, Some(&seeker), Some(json!({"stars": 5}))).await;
        assert_eq!((s, code(&e)), (409, "gig.rate_after_done"), "{b}");
        let (_, x) = app.call("POST", &confirm, Some(&employer), step("done")).await;
        assert_eq!(x["status"], "done", "{b}: {x}");
        let pay = format!("/api/v1/gig/bookings/{bid}/pay");
        let (_, x) = app.call("POST", &pay, Some(&employer), Some(json!({"paid_fen": 20_000}))).await;
        assert_eq!(x["paid_fen"], 20_000, "{b}: {x}");
        let (_, x) = app.call("POST", &pay, Some(&seeker), Some(json!({"arrived": true}))).await;
        assert_eq!((x["worker_paid"].as_bool(), x["paid_fen"].as_i64()), (Some(true), Some(20_000)), "{b}: {x}");
        let (s, x) = app.call("POST", &rating, Some(&seeker), Some(json!({"stars": 5}))).await;
        assert_eq!((s, x["rating_of_employer"].as_i64()), (200, Some(5)), "{b}: {x}");
        let (s, e) = app.call("POST", &rating, Some(&seeker), Some(json!({"stars": 4}))).await;
        assert_eq!((s, code(&e)), (409, "gig.already_rated"), "{b}");
        let (s, e) = app.call("POST", &rating, Some(&employer), Some(json!({"stars": 6}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("stars")), "{b}");

        // Station staff check in a worker without a smartphone; another district's cannot.
        let checkins = format!("/api/v1/gig/sites/{site_id}/checkins");
        let person = json!({"person_id": app.seed.person_own});
        assert_eq!(app.call("POST", &checkins, Some(&cw_other), Some(person.clone())).await.0, 404, "{b}");
        let (s, e) = app.call("POST", &checkins, Some(&cw_own), Some(person)).await;
        assert_eq!(s, 204, "{b}: {e}");
        let (_, me) = app.call("GET", "/api/v1/me/gig", Some(&seeker), None).await;
        assert_eq!(me["profile"]["checkin_site"].as_str(), Some(site_id.as_str()), "{b}: {me}");
        let mut utc = gig_body(&app, &site_id, 20_000);
        let day = starts_at(&app)[..10].to_string();
        utc["starts_at"] = json!(format!("{day}T00:00:00Z"));
        let (s, same) = app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(utc)).await;
        // Midnight UTC is eight in the morning in Beijing, the same day.
        assert_eq!(
            (s, same["starts_at"].as_str()),
            (201, Some(format!("{day}T08:00:00+08:00").as_str())),
            "{b}: {same}"
        );
        let _ = OTHER;
    }
}

/// The matcher keeps its workers in memory on every instance: a check-in on one instance makes
/// the worker a candidate there at once and on another once it has read the change log, and a
/// recognition recorded on one gives the worker priority on the other — on both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_on_one_instance_makes_a_candidate_on_another() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let cw_own = app.token(Role::Caseworker, "cw.own").await;
        let employer = app.token(Role::Employer, "employer").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let (_, site) = app.call("POST", "/api/v1/gig/sites", Some(&city), Some(site_body())).await;
        let site_id = site["id"].as_str().unwrap_or_default().to_string();
        // Not available: a profile switched off.
        let profile = json!({"trades": ["装卸搬运工"], "availability": "off", "home_site": site_id, "district": OWN});
        let (s, e) = app.call("PUT", "/api/v1/me/gig", Some(&seeker), Some(profile)).await;
        assert_eq!(s, 204, "{b}: {e}");
        let (s, gig) =
            app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(gig_body(&app, &site_id, 20_000))).await;
        assert_eq!(s, 201, "{b}: {gig}");
        let cands = format!("/api/v1/gig/demands/{}/candidates", gig["id"].as_str().unwrap_or_default());
        let other = app.second_instance().await;
        let person = app.seed.person_own.to_string();
        let offered = |c: &Value| {
            c.as_array().into_iter().flatten().find(|x| x["person_id"].as_str() == Some(person.as_str())).cloned()
        };
        for (at, inst) in [("here", &app), ("there", &other)] {
            let (s, c) = inst.call("GET", &cands, Some(&cw_own), None).await;
            assert_eq!((s, offered(&c)), (200, None), "{b} {at}: a worker switched off is offered nothing: {c}");
        }

        // Station staff check the worker in here: a candidate here at once, there not yet.
        let checkins = format!("/api/v1/gig/sites/{site_id}/checkins");
        let (s, e) = app.call("POST", &checkins, Some(&cw_own), Some(json!({"person_id": person}))).await;
        assert_eq!(s, 204, "{b}: {e}");
        let (_, c) = app.call("GET", &cands, Some(&cw_own), None).await;
        assert!(offered(&c).is_some(), "{b}: a candidate on the instance that checked them in: {c}");
        let (_, c) = other.call("GET", &cands, Some(&cw_own), None).await;
        assert_eq!(offered(&c), None, "{b}: the other instance has not read the log yet");
        // The other instance reads the change log (its tail does this four times a second).
        jiuye_store::testing::changes_settled(&other.state.store).await;
        jiuye_web::search_sync::catch_up(&other.state).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        let (_, c) = other.call("GET", &cands, Some(&cw_own), None).await;
        let there = offered(&c).unwrap_or_else(|| panic!("{b}: a candidate there after the tail: {c}"));
        let priority = |x: &Value| {
            x["reasons_zh"].as_array().into_iter().flatten().any(|r| r.as_str().is_some_and(|r| r.contains("38号")))
        };
        assert!(!priority(&there), "{b}: no priority the records give: {there}");

        // A recognition recorded here (a disability, with its evidence): priority there too.
        let (s, r) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{person}/recognitions"),
                Some(&cw_own),
                Some(
                    json!({"key_group": "disabled", "evidence": "残联证明〔2026〕8号", "recognised_on": "2026-11-01"}),
                ),
            )
            .await;
        assert_eq!(s, 201, "{b}: {r}");
        jiuye_store::testing::changes_settled(&other.state.store).await;
        jiuye_web::search_sync::catch_up(&other.state).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        let (_, c) = other.call("GET", &cands, Some(&cw_own), None).await;
        let there = offered(&c).unwrap_or_else(|| panic!("{b}: still a candidate: {c}"));
        assert!(priority(&there), "{b}: the recognition gives priority on the other instance: {there}");

        // Twelve hours on, the check-in has lapsed: nobody is offered, with no write at all.
        app.clock.advance(Duration::hours(12));
        let (cw_own, other_cw) =
            (app.token(Role::Caseworker, "cw.own").await, other.token(Role::Caseworker, "cw.own").await);
        for (at, inst, token) in [("here", &app, &cw_own), ("there", &other, &other_cw)] {
            let (_, c) = inst.call("GET", &cands, Some(token), None).await;
            assert_eq!(offered(&c), None, "{b} {at}: a lapsed check-in is offered nothing: {c}");
        }
    }
}

/// A board connected to its event stream hears of a gig posted through the API, and its list
/// then shows it — on both backends, read from the change log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_posted_gig_reaches_an_open_board() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let employer = app.token(Role::Employer, "employer").await;
        let (_, site) = app.call("POST", "/api/v1/gig/sites", Some(&city), Some(site_body())).await;
        let site_id = site["id"].as_str().unwrap_or_default().to_string();
        let mut events = app
            .http
            .get(app.url(&format!("/gig/sites/{site_id}/events")))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{b}: events: {e}"));
        assert_eq!(events.status(), 200, "{b}");
        assert!(
            events
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("text/event-stream")),
            "{b}: an event stream"
        );
        let list = |app: &TestApp| app.http.get(app.url(&format!("/gig/sites/{site_id}/list"))).send();
        let before = list(&app).await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
        assert!(!before.contains("夜间理货员"), "{b}");
        // Let the poller take its position before the post.
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        let mut body = gig_body(&app, &site_id, 22_000);
        body["title"] = json!("夜间理货员");
        let (s, g) = app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(body)).await;
        assert_eq!(s, 201, "{b}: {g}");
        let heard = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            let mut seen = String::new();
            while let Ok(Some(chunk)) = events.chunk().await {
                seen.push_str(&String::from_utf8_lossy(&chunk));
                if seen.contains("event: gigs") {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(heard, Ok(true), "{b}: the board heard of the new gig");
        let after = list(&app).await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
        assert!(after.contains("夜间理货员") && after.contains("220 元/天"), "{b}: {after}");
        // The station's kiosk, for workers with no sign-in: the gig, a code to take it, checking
        // in without a phone, where to complain; the services this station offers ticked.
        let kiosk = app.http.get(app.url(&format!("/gig/sites/{site_id}/kiosk"))).send().await;
        let kiosk = kiosk.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kiosk.status(), 200, "{b}");
        let html = kiosk.text().await.unwrap_or_default();
        for part in ["夜间理货员", "id=\"no-phone\"", "12333", "<svg", "✓ 权益维护指引", "– 职业指导", "data-events="]
        {
            assert!(html.contains(part), "{b}: the kiosk lacks {part}");
        }
        let missing = app.http.get(app.url("/gig/sites/not-a-site/events")).send().await;
        assert_eq!(missing.map(|r| r.status().as_u16()).unwrap_or(0), 404, "{b}");
    }
}

/// The trail of an unpaid gig: the worker complains from the booking (employer, amount and
/// dates from the gig), the district accepts inside the acceptance clock, refers it to
/// mediation, and the mediation ends in an agreement; another district sees none of it; a
/// violation over two years old is refused with the reason in writing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_gig_becomes_a_complaint_accepted_and_mediated_to_agreement() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        let employer = app.token(Role::Employer, "employer").await;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let (_, site) = app.call("POST", "/api/v1/gig/sites", Some(&city), Some(site_body())).await;
        let site_id = site["id"].as_str().unwrap_or_default().to_string();
        let profile = json!({"trades": ["4-02-05-01"], "availability": "today", "home_site": site_id, "district": OWN});
        app.call("PUT", "/api/v1/me/gig", Some(&seeker), Some(profile)).await;
        let (_, g) =
            app.call("POST", "/api/v1/gig/demands", Some(&employer), Some(gig_body(&app, &site_id, 20_000))).await;
        let (_, booking) = app
            .call(
                "POST",
                &format!("/api/v1/gig/demands/{}/accept", g["id"].as_str().unwrap_or("-")),
                Some(&seeker),
                None,
            )
            .await;
        let bid = booking["id"].as_str().unwrap_or_default().to_string();
        app.clock.advance(Duration::days(2));
        let (seeker, employer, cw_own, cw_other) = (
            app.token(Role::Seeker, "seeker").await,
            app.token(Role::Employer, "employer").await,
            app.token(Role::Caseworker, "cw.own").await,
            app.token(Role::Caseworker, "cw.other").await,
        );
        for (who, step) in [(&seeker, "start"), (&employer, "start"), (&seeker, "done"), (&employer, "done")] {
            app.call("POST", &format!("/api/v1/gig/bookings/{bid}/confirm"), Some(who), Some(json!({"step": step})))
                .await;
        }
        let (_, x) = app
            .call("POST", &format!("/api/v1/gig/bookings/{bid}/pay"), Some(&seeker), Some(json!({"arrived": false})))
            .await;
        assert_eq!(x["worker_paid"], false, "{b}: {x}");

        // The complaint, filled from the gig.
        let (s, k) = app
            .call(
                "POST",
                "/api/v1/arrears",
                Some(&seeker),
                Some(json!({"gig_booking_id": bid, "evidence": "微信聊天记录"})),
            )
            .await;
        assert_eq!(s, 201, "{b}: {k}");
        assert_eq!(
            (k["status"].as_str(), k["amount_fen"].as_i64(), k["district"].as_str()),
            (Some("received"), Some(20_000), Some(OWN)),
            "{b}: {k}"
        );
        assert!(k["employer_name"].as_str().is_some_and(|n| !n.is_empty()), "{b}: the employer is named from the gig");
        let today = app.state.clock.today();
        let due = jiuye_domain::gig::calendar::Calendar::embedded().add_working_days(today, 5).day;
        assert_eq!(
            (k["clocks"][0]["rule"].as_str(), k["clocks"][0]["due"].as_str()),
            (Some("acceptance"), Some(due.to_string().as_str())),
            "{b}: {k}"
        );
        let id = k["id"].as_str().unwrap_or_default().to_string();
        let case = format!("/api/v1/arrears/{id}");
        assert_eq!(app.call("GET", &case, Some(&cw_other), None).await.0, 404, "{b}: another district sees nothing");
        assert_eq!(app.call("GET", &case, Some(&employer), None).await.0, 403, "{b}: nor the employer");
        assert_eq!(
            app.call("GET", "/api/v1/arrears", Some(&employer), None).await.0,
            403,
            "{b}: employers file no complaints"
        );
        let (_, mine) = app.call("GET", "/api/v1/arrears", Some(&seeker), None).await;
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "{b}: {mine}");
        let act = format!("{case}/action");
        assert_eq!(app.call("POST", &act, Some(&seeker), Some(json!({"action": "accept"}))).await.0, 403, "{b}");
        assert_eq!(app.call("POST", &act, Some(&cw_other), Some(json!({"action": "accept"}))).await.0, 404, "{b}");

        // Accepted in time, the investigation clock runs; extended once; then to mediation.
        let (s, k) = app.call("POST", &act, Some(&cw_own), Some(json!({"action": "accept"}))).await;
        assert_eq!(
            (s, k["status"].as_str(), k["clocks"][0]["rule"].as_str()),
            (200, Some("accepted"), Some("investigation")),
            "{b}: {k}"
        );
        let (_, k) = app.call("POST", &act, Some(&cw_own), Some(json!({"action": "extend"}))).await;
        assert_eq!(k["extended"], true, "{b}");
        let (s, e) = app.call("POST", &act, Some(&cw_own), Some(json!({"action": "extend"}))).await;
        assert_eq!((s, code(&e)), (409, "labour.not_now"), "{b}: extended once");
        let (s, e) =
            app.call("POST", &act, Some(&cw_own), Some(json!({"action": "close", "amount_fen": 30_000}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("amount_fen")), "{b}: no more than owed");
        // Mediation by a registered organisation of the case's district: registered by the
        // district's administrator (not a caseworker, not another district's), in the public
        // directory; a referral naming none, or another district's, is refused with the field.
        let org = own_mediation_org(&app).await;
        let body = |kind: &str| {
            json!({"name": "湖里区禾山街道调解委员会", "kind": kind, "district": OTHER, "address": "湖里区禾山街道",
                "registered_on": "2025-03-01", "evidence": "湖人社〔2025〕3号"})
        };
        let dadmin_other = app.token(Role::DistrictAdmin, "dadmin.other").await;
        let dadmin_own = app.token(Role::DistrictAdmin, "dadmin.own").await;
        assert_eq!(
            app.call("POST", "/api/v1/mediation-orgs", Some(&cw_own), Some(body("township"))).await.0,
            403,
            "{b}"
        );
        assert_eq!(
            app.call("POST", "/api/v1/mediation-orgs", Some(&dadmin_own), Some(body("township"))).await.0,
            403,
            "{b}"
        );
        let (s, e) = app.call("POST", "/api/v1/mediation-orgs", Some(&dadmin_other), Some(body("court"))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("kind")), "{b}: {e}");
        let (s, elsewhere) =
            app.call("POST", "/api/v1/mediation-orgs", Some(&dadmin_other), Some(body("community"))).await;
        assert_eq!(s, 201, "{b}: {elsewhere}");
        let (_, listed) = app.call("GET", &format!("/api/v1/mediation-orgs?district={OWN}"), None, None).await;
        let ids: Vec<&str> = listed.as_array().into_iter().flatten().filter_map(|o| o["id"].as_str()).collect();
        assert_eq!(ids, vec![org.as_str()], "{b}: the district's directory: {listed}");
        let (s, e) = app.call("GET", "/api/v1/mediation-orgs?district=999999", None, None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("district")), "{b}: {e}");
        let (s, e) = app.call("POST", &act, Some(&cw_own), Some(json!({"action": "mediate"}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("mediation_org_id")), "{b}: {e}");
        let (s, e) = app
            .call("POST", &act, Some(&cw_own), Some(json!({"action": "mediate", "mediation_org_id": elsewhere["id"]})))
            .await;
        assert_eq!((s, code(&e)), (422, "labour.mediation_org_elsewhere"), "{b}: {e}");
        let (s, m) =
            app.call("POST", &act, Some(&cw_own), Some(json!({"action": "mediate", "mediation_org_id": org}))).await;
        assert_eq!(
            (s, m["kind"].as_str(), m["status"].as_str(), m["mediation_org_id"].as_str()),
            (200, Some("mediation"), Some("received"), Some(org.as_str())),
            "{b}: {m}"
        );
        assert_eq!(m["origin_id"].as_str(), Some(id.as_str()));
        assert_eq!(m["clocks"][0]["rule"], "mediation");
        let (_, origin) = app.call("GET", &case, Some(&cw_own), None).await;
        assert_eq!(
            (origin["status"].as_str(), origin["outcome"].as_str()),
            (Some("closed"), Some("labour.to_mediation")),
            "{b}"
        );
        let mact = format!("/api/v1/arrears/{}/action", m["id"].as_str().unwrap_or_default());
        let (s, done) =
            app.call("POST", &mact, Some(&cw_own), Some(json!({"action": "agree", "amount_fen": 20_000}))).await;
        assert_eq!(
            (s, done["status"].as_str(), done["recovered_fen"].as_i64()),
            (200, Some("agreed"), Some(20_000)),
            "{b}: {done}"
        );
        let (s, e) = app.call("POST", &mact, Some(&cw_own), Some(json!({"action": "fail"}))).await;
        assert_eq!((s, code(&e)), (409, "labour.not_now"), "{b}: an agreed mediation is over");

        // Too old: recorded, refused with the reason; bad input named.
        let old = json!({"employer_name": "某装修队", "amount_fen": 500_000, "period_from": "2020-01-01", "period_to": "2020-02-01"});
        let (s, k) = app.call("POST", "/api/v1/arrears", Some(&seeker), Some(old)).await;
        assert_eq!(
            (s, k["status"].as_str(), k["outcome"].as_str()),
            (201, Some("refused"), Some("arrears.too_old")),
            "{b}: {k}"
        );
        assert!(
            k["outcome_zh"].as_str().is_some_and(|t| t.contains("第二十条") && t.contains("2020-02-01")),
            "{b}: {k}"
        );
        assert!(k["clocks"].as_array().is_some_and(Vec::is_empty), "{b}: no clock runs on a refused complaint");
        for (body, field) in [
            (
                json!({"employer_name": "甲", "amount_fen": 0, "period_from": "2026-11-01", "period_to": "2026-11-02"}),
                "amount_fen",
            ),
            (
                json!({"employer_name": "甲", "amount_fen": 100, "period_from": "2026-11-03", "period_to": "2026-11-02"}),
                "period_from",
            ),
            (
                json!({"employer_name": " ", "amount_fen": 100, "period_from": "2026-11-01", "period_to": "2026-11-02"}),
                "employer_name",
            ),
        ] {
            let (s, e) = app.call("POST", "/api/v1/arrears", Some(&seeker), Some(body)).await;
            assert_eq!((s, e["error"]["field"].as_str()), (422, Some(field)), "{b}: {e}");
        }

        // The district's figures for the year: both complaints, the decision in time, the money.
        let (s, st) = app.call("GET", "/api/v1/arrears/stats", Some(&cw_own), None).await;
        assert_eq!(s, 200, "{b}: {st}");
        let got: Vec<i64> = [
            "complaints",
            "accepted",
            "refused_too_old",
            "to_mediation",
            "mediations",
            "agreed",
            "decided",
            "decided_in_time",
        ]
        .iter()
        .map(|k| st[*k].as_i64().unwrap_or(-1))
        .collect();
        assert_eq!(got, vec![2, 1, 1, 1, 1, 1, 1, 1], "{b}: {st}");
        assert_eq!(
            (st["claimed_fen"].as_i64(), st["recovered_fen"].as_i64()),
            (Some(520_000), Some(20_000)),
            "{b}: {st}"
        );
        let (_, other) = app.call("GET", "/api/v1/arrears/stats", Some(&cw_other), None).await;
        assert_eq!(other["complaints"], 0, "{b}: another district counts none of them");
        assert_eq!(app.call("GET", "/api/v1/arrears/stats", Some(&seeker), None).await.0, 403, "{b}");
        let (s, e) = app.call("GET", "/api/v1/arrears/stats?from=2026-12-01&to=2026-11-01", Some(&cw_own), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("from")), "{b}");
    }
}

/// A complaint received at the desk: the caseworker finds the complainant by their document,
/// enters the day it came in; it is the complainant's case too. A bad amount is named beside
/// its field; another district's caseworker does not find the person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caseworker_records_a_complaint_received_at_the_desk() {
    for app in apps().await {
        let b = app.backend;
        let (client, csrf) = crate::support::browser(&app, Some((Role::Caseworker, "cw.own"))).await;
        let form = |amount: &'static str, id: String| {
            vec![
                ("csrf", csrf.clone()),
                ("national_id", id),
                ("employer_name", "某建筑劳务公司".to_string()),
                ("amount", amount.to_string()),
                ("workers", "3".to_string()),
                ("period_from", "2026-10-01".to_string()),
                ("period_to", "2026-10-31".to_string()),
                ("received_on", "2026-11-20".to_string()),
                ("evidence", "考勤表".to_string()),
            ]
        };
        let bad =
            client.post(app.url("/staff/arrears")).form(&form("三千", app.seed.seeker_id_number.clone())).send().await;
        let html = bad.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
        assert!(html.contains("amount_fen-error"), "{b}: the amount's problem is beside it");
        let ok = client
            .post(app.url("/staff/arrears"))
            .form(&form("3600", app.seed.seeker_id_number.clone()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.status(), 303, "{b}");
        let to = ok.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(to.starts_with("/staff/arrears/") && to.ends_with("?done=arrears_filed"), "{b}: {to}");
        let seeker = app.token(Role::Seeker, "seeker").await;
        let (_, mine) = app.call("GET", "/api/v1/arrears", Some(&seeker), None).await;
        assert_eq!(
            (mine[0]["received_on"].as_str(), mine[0]["amount_fen"].as_i64(), mine[0]["workers"].as_i64()),
            (Some("2026-11-20"), Some(360_000), Some(3)),
            "{b}: the complainant sees the desk's record: {mine}"
        );
        let (other, csrf_other) = crate::support::browser(&app, Some((Role::Caseworker, "cw.other"))).await;
        let mut f = form("3600", app.seed.seeker_id_number.clone());
        f[0].1 = csrf_other;
        let html = other.post(app.url("/staff/arrears")).form(&f).send().await.unwrap_or_else(|e| panic!("{e}"));
        let html = html.text().await.unwrap_or_default();
        assert!(
            html.contains("national_id") && html.contains("form-errors"),
            "{b}: another district does not find the person"
        );
        let _ = OTHER;
    }
}

/// A failed mediation is followed through arbitration: the commission's acceptance starts the
/// award's clock (45 days, extendable once by 15), the award records what the worker gets. A
/// complaint received at a desk a week and a half ago is past its acceptance deadline: the
/// workbench lists it first, the sweep warns of it once, the figures count it breached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_mediation_is_followed_to_its_award_and_the_sweep_warns_of_a_late_case_once() {
    for app in apps().await {
        let b = app.backend;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let today = app.state.clock.today();
        let cal = jiuye_domain::gig::calendar::Calendar::embedded();
        let body = json!({"employer_name": "某装修队", "amount_fen": 800_000, "period_from": "2026-10-01", "period_to": "2026-10-31"});
        let (s, k) = app.call("POST", "/api/v1/arrears", Some(&seeker), Some(body)).await;
        assert_eq!(s, 201, "{b}: {k}");
        let act = format!("/api/v1/arrears/{}/action", k["id"].as_str().unwrap_or_default());
        let org = own_mediation_org(&app).await;
        let (_, m) =
            app.call("POST", &act, Some(&cw), Some(json!({"action": "mediate", "mediation_org_id": org}))).await;
        let mact = format!("/api/v1/arrears/{}/action", m["id"].as_str().unwrap_or_default());
        let (s, f) = app.call("POST", &mact, Some(&cw), Some(json!({"action": "fail"}))).await;
        assert_eq!(
            (s, f["status"].as_str(), f["clocks"][0]["rule"].as_str()),
            (200, Some("failed"), Some("arbitration_acceptance")),
            "{b}: {f}"
        );
        let (s, e) = app.call("POST", &mact, Some(&cw), Some(json!({"action": "award", "amount_fen": 1}))).await;
        assert_eq!((s, code(&e)), (409, "labour.not_now"), "{b}: no award before the commission accepts it");
        let (s, a) = app.call("POST", &mact, Some(&cw), Some(json!({"action": "arbitrate"}))).await;
        let due = cal.add_calendar_days(today, 45).day.to_string();
        assert_eq!(
            (s, a["status"].as_str(), a["clocks"][0]["rule"].as_str(), a["clocks"][0]["due"].as_str()),
            (200, Some("arbitration"), Some("arbitration_award"), Some(due.as_str())),
            "{b}: {a}"
        );
        let (_, x) = app.call("POST", &mact, Some(&cw), Some(json!({"action": "extend"}))).await;
        let due = cal.add_calendar_days(today, 60).day.to_string();
        assert_eq!(
            (x["extended"].as_bool(), x["clocks"][0]["due"].as_str()),
            (Some(true), Some(due.as_str())),
            "{b}: {x}"
        );
        let (s, e) = app.call("POST", &mact, Some(&cw), Some(json!({"action": "award", "amount_fen": 800_001}))).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("amount_fen")), "{b}: no more than claimed");
        let (s, w) = app.call("POST", &mact, Some(&cw), Some(json!({"action": "award", "amount_fen": 600_000}))).await;
        assert_eq!(
            (s, w["status"].as_str(), w["recovered_fen"].as_i64(), w["clocks"].as_array().map(Vec::len)),
            (200, Some("awarded"), Some(600_000), Some(0)),
            "{b}: {w}"
        );

        // A complaint received ten days ago at a desk, never decided: past its deadline.
        let late = json!({"employer_name": "某物流公司", "amount_fen": 300_000, "period_from": "2026-09-01",
            "period_to": "2026-09-30", "received_on": (today - Duration::days(10)).to_string()});
        let (s, l) = app.call("POST", "/api/v1/arrears", Some(&cw), Some(late)).await;
        assert_eq!((s, l["clocks"][0]["state"].as_str()), (201, Some("breached")), "{b}: {l}");
        let (_, list) = app.call("GET", "/api/v1/arrears", Some(&cw), None).await;
        assert_eq!(list[0]["id"], l["id"], "{b}: the most overdue first: {list}");
        assert!(
            list.as_array().is_some_and(|v| v.iter().all(|c| c["status"] != "awarded")),
            "{b}: an awarded case runs no clock: {list}"
        );
        let (_, all) = app.call("GET", "/api/v1/arrears?view=all&limit=2", Some(&cw), None).await;
        assert_eq!(all.as_array().map(Vec::len), Some(2), "{b}: {all}");
        assert_eq!(all[0]["id"], l["id"], "{b}: newest first");
        let next = format!("/api/v1/arrears?view=all&limit=50&before={}", all[1]["id"].as_str().unwrap_or_default());
        let (_, older) = app.call("GET", &next, Some(&cw), None).await;
        assert!(
            older.as_array().is_some_and(|v| v.iter().all(|c| c["id"] != all[0]["id"] && c["id"] != all[1]["id"])),
            "{b}: the next page holds none of the first: {older}"
        );
        let (s, e) = app.call("GET", "/api/v1/arrears?view=oldest", Some(&cw), None).await;
        assert_eq!((s, e["error"]["field"].as_str()), (422, Some("view")), "{b}: {e}");

        let ctx = jiuye_core::Ctx::new(jiuye_core::Actor::system(), app.state.clock.now());
        let first = app.state.core().sweep_labour_deadlines(&ctx).await.unwrap_or_default();
        let own = first.iter().find(|d| d.district == OWN).cloned().unwrap_or_default();
        assert_eq!((own.breached, own.warned), (1, 1), "{b}: {first:?}");
        let again = app.state.core().sweep_labour_deadlines(&ctx).await.unwrap_or_default();
        assert_eq!(again.iter().map(|d| d.warned).sum::<u64>(), 0, "{b}: warned once: {again:?}");
        let (_, st) = app.call("GET", "/api/v1/arrears/stats", Some(&cw), None).await;
        assert_eq!(
            (st["breached_now"].as_i64(), st["failed"].as_i64(), st["awarded"].as_i64(), st["recovered_fen"].as_i64()),
            (Some(1), Some(1), Some(1), Some(600_000)),
            "{b}: {st}"
        );
    }
}
