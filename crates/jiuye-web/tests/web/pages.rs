//! Page behaviour: post, redirect, get with a confirmation; a confirmation step before what
//! cannot be undone; a refused form comes back as its page with the problems, never a bare
//! status page.

use serde_json::json;

use crate::support::{apps, browser};

/// A page's HTML as a client gets it.
async fn text_of(client: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    client.get(url).send().await.expect("get").text().await.unwrap_or_default()
}
use jiuye_domain::roles::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_actions_ask_first_and_done_actions_redirect() {
    for app in apps().await {
        let b = app.backend;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let vid = app.seed.vacancy_id;
        let (s, a) = app.call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&seeker), Some(json!({}))).await;
        assert_eq!(s, 201, "{b}: {a}");
        let aid = a["id"].as_str().unwrap_or_default().to_string();
        let (page, csrf) = browser(&app, Some((Role::Seeker, "seeker"))).await;
        // Withdraw: first a question, and nothing happens.
        let r = page
            .post(app.url(&format!("/applications/{aid}/withdraw")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200, "{b}");
        assert!(r.text().await.unwrap_or_default().contains("id=\"confirm-form\""), "{b}: a confirmation step");
        let (_, mine) = app.call("GET", "/api/v1/me/applications", Some(&seeker), None).await;
        assert_eq!(mine[0]["status"], "submitted", "{b}: not withdrawn yet");
        // Confirmed: done, and the browser is sent to a page it may reload.
        let r = page
            .post(app.url(&format!("/applications/{aid}/withdraw")))
            .form(&[("csrf", csrf.as_str()), ("confirmed", "1")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "{b}");
        let (_, mine) = app.call("GET", "/api/v1/me/applications", Some(&seeker), None).await;
        assert_eq!(mine[0]["status"], "withdrawn", "{b}");

        // A casework form refused comes back as the person's page with the problem beside its
        // field; a done one redirects with its confirmation.
        let (cw, csrf) = browser(&app, Some((Role::Caseworker, "cw.own"))).await;
        let pid = app.seed.person_own;
        let r = cw
            .post(app.url(&format!("/staff/persons/{pid}/employment")))
            .form(&[("csrf", csrf.as_str()), ("form", "unit"), ("employer_credit_code", "91350200MA00000000")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 422, "{b}");
        let html = r.text().await.unwrap_or_default();
        assert!(
            html.contains("id=\"person-name\"") && html.contains("id=\"form-errors\""),
            "{b}: the person's page with the problem"
        );
        let r = cw
            .post(app.url(&format!("/staff/persons/{pid}/contacts")))
            .form(&[("csrf", csrf.as_str()), ("method", "phone"), ("outcome", "reached")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "{b}");
        let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(to.contains("done=contact"), "{b}: {to}");
        let html = text_of(&cw, app.url(&to)).await;
        assert!(html.contains("已记录联系"), "{b}: the confirmation is said");
    }
}

/// The users page: kinds apart, a search, a total; a district administrator offered only their
/// district and only their district's accounts; deactivation asks first, ends the account's
/// sessions, and reactivation brings it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_page_splits_searches_and_deactivates() {
    use crate::support::{OTHER, OWN};
    for app in apps().await {
        let b = app.backend;
        let (admin, csrf) = browser(&app, Some((Role::DistrictAdmin, "dadmin.own"))).await;
        let get = |path: String| {
            let admin = admin.clone();
            async move { text_of(&admin, path).await }
        };
        let html = get(app.url("/admin/users?kind=staff")).await;
        assert!(html.contains(">cw.own<"), "{b}: own district's caseworker listed");
        assert!(!html.contains(">cw.other<"), "{b}: another district's caseworker is not");
        assert!(!html.contains(">hr<"), "{b}: employers are not among staff");
        assert!(html.contains("共 2 条"), "{b}: the total (dadmin.own and cw.own)");
        // The account form offers the own district only.
        let form = &html[html.find("id=\"district\"").unwrap_or(0)..];
        let form = &form[..form.find("</select>").unwrap_or(form.len())];
        assert!(form.contains(&format!("value=\"{OWN}\"")), "{b}: own district offered");
        assert!(!form.contains(&format!("value=\"{OTHER}\"")), "{b}: other district not offered: {form}");
        let html = get(app.url("/admin/users?kind=staff&q=cw.o")).await;
        assert!(html.contains(">cw.own<") && html.contains("共 1 条"), "{b}: search by username");

        // Deactivating the caseworker: first a question, then done; their token stops working.
        let cw = app.seed.accounts.iter().find(|a| a.1 == "cw.own").map(|a| a.2).expect("cw.own");
        let cw_token = app.token(Role::Caseworker, "cw.own").await;
        let r = admin
            .post(app.url(&format!("/admin/users/{cw}/active")))
            .form(&[("csrf", csrf.as_str()), ("active", "false")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200, "{b}");
        assert!(r.text().await.unwrap_or_default().contains("id=\"confirm-form\""), "{b}: asked first");
        let (s, _) = app.call("GET", "/api/v1/casework/caseload", Some(&cw_token), None).await;
        assert_eq!(s, 200, "{b}: still active before confirming");
        let r = admin
            .post(app.url(&format!("/admin/users/{cw}/active")))
            .form(&[("csrf", csrf.as_str()), ("active", "false"), ("confirmed", "1")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "{b}");
        let (s, _) = app.call("GET", "/api/v1/casework/caseload", Some(&cw_token), None).await;
        assert_eq!(s, 401, "{b}: a deactivated account's session ends");
        let html = get(app.url("/admin/users?kind=staff&done=deactivated")).await;
        assert!(html.contains("已停用该账号") && html.contains("恢复启用"), "{b}: said, and reactivation offered");
        let r = admin
            .post(app.url(&format!("/admin/users/{cw}/active")))
            .form(&[("csrf", csrf.as_str()), ("active", "true")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "{b}: reactivation needs no question");

        // Another district's account: refused before any question.
        let other = app.seed.accounts.iter().find(|a| a.1 == "cw.other").map(|a| a.2).expect("cw.other");
        let r = admin
            .post(app.url(&format!("/admin/users/{other}/active")))
            .form(&[("csrf", csrf.as_str()), ("active", "false")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 404, "{b}: another district's account is not there");
        let (s, a) = app
            .call("GET", "/api/v1/accounts?role=caseworker", Some(&app.token(Role::CityAdmin, "city").await), None)
            .await;
        assert_eq!(s, 200, "{b}");
        let still = a["items"].as_array().into_iter().flatten().find(|x| x["id"] == other.to_string());
        assert_eq!(still.map(|x| x["active"].clone()), Some(json!(true)), "{b}: untouched");
    }
}

/// The employer's pages for a vacancy: the applicants with their note, district and the day
/// they applied; the candidates with reasons and masked names; another employer's vacancy is
/// not there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn employer_sees_notes_and_candidates() {
    for app in apps().await {
        let b = app.backend;
        let seeker = app.token(Role::Seeker, "seeker").await;
        let vid = app.seed.vacancy_id;
        let note = "周末也可以上班";
        let (s, a) = app
            .call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&seeker), Some(json!({"note": note})))
            .await;
        assert_eq!(s, 201, "{b}: {a}");
        let (emp, _) = browser(&app, Some((Role::Employer, "employer"))).await;
        let html = text_of(&emp, app.url(&format!("/employer/vacancies/{vid}/applications"))).await;
        assert!(html.contains(note), "{b}: the applicant's note is shown");
        assert!(html.contains(&crate::support::today().to_string()), "{b}: the day they applied");
        let r = emp.get(app.url(&format!("/employer/vacancies/{vid}/candidates"))).send().await.expect("get");
        assert_eq!(r.status(), 200, "{b}");
        let html = r.text().await.unwrap_or_default();
        assert!(html.contains("id=\"candidates\""), "{b}: the candidates list");
        let (_, api) = app
            .call(
                "GET",
                &format!("/api/v1/vacancies/{vid}/candidates"),
                Some(&app.token(Role::Employer, "employer").await),
                None,
            )
            .await;
        for c in api.as_array().into_iter().flatten() {
            let masked = c["name"].as_str().unwrap_or_default();
            assert!(masked.contains('*'), "{b}: masked for the employer: {masked}");
            assert!(html.contains(masked), "{b}: the page shows the same masked name");
        }
        let other = app.seed.other_vacancy_id;
        let r = emp.get(app.url(&format!("/employer/vacancies/{other}/candidates"))).send().await.expect("get");
        assert_eq!(r.status(), 404, "{b}: another employer's vacancy");
    }
}

/// The seeker's notices come from the records: a job pushed to them and their application
/// moved by the employer appear, each linked, newest first; their own steps do not; another
/// role has no notices page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_tell_the_seeker_what_happened() {
    for app in apps().await {
        let b = app.backend;
        let me = app.token(Role::Seeker, "seeker").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let emp = app.token(Role::Employer, "employer").await;
        let (s, _) = app.call("POST", "/api/v1/me/registration", Some(&me), Some(json!({"basis": "residence"}))).await;
        assert_eq!(s, 201, "{b}");
        let p = app.seed.person_own;
        let (_, none) = app.call("GET", "/api/v1/me/notices", Some(&me), None).await;
        assert_eq!(none.as_array().map(Vec::len), Some(0), "{b}: nothing yet: {none}");
        let (s, pushed) = app.call("POST", &format!("/api/v1/persons/{p}/push-jobs"), Some(&cw), None).await;
        assert_eq!(s, 201, "{b}: {pushed}");
        let pushed_n = pushed.as_array().map(Vec::len).unwrap_or(0);
        let vid = app.seed.vacancy_id;
        let (s, a) = app.call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&me), Some(json!({}))).await;
        assert_eq!(s, 201, "{b}: {a}");
        app.clock.advance(chrono::Duration::minutes(5));
        let aid = a["id"].as_str().unwrap_or_default();
        let (s, m) = app
            .call(
                "POST",
                &format!("/api/v1/applications/{aid}/status"),
                Some(&emp),
                Some(json!({"status": "interview"})),
            )
            .await;
        assert_eq!(s, 200, "{b}: {m}");
        let (s, notes) = app.call("GET", "/api/v1/me/notices", Some(&me), None).await;
        assert_eq!(s, 200, "{b}");
        let notes = notes.as_array().cloned().unwrap_or_default();
        let kinds: Vec<&str> = notes.iter().filter_map(|n| n["kind"].as_str()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "job_pushed").count(), pushed_n, "{b}: each pushed job: {kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == "application").count(), 1, "{b}: the employer's move, not the apply");
        assert_eq!(kinds.first(), Some(&"application"), "{b}: newest first: {kinds:?}");
        assert!(notes[0]["message"].as_str().unwrap_or_default().contains("面试"), "{b}: {}", notes[0]);
        assert_eq!(notes[0]["href"], format!("/vacancies/{vid}"), "{b}");
        let (page, _) = browser(&app, Some((Role::Seeker, "seeker"))).await;
        let html = text_of(&page, app.url("/my/notices")).await;
        assert!(html.contains("id=\"notices\"") && html.contains("notice-application"), "{b}: the page lists them");
        let (s, _) = app.call("GET", "/api/v1/me/notices", Some(&emp), None).await;
        assert_eq!(s, 403, "{b}: an employer has no person's notices");
    }
}

/// Search results say when each job was posted; a signed-in seeker also sees how far it is
/// from home (said to be an estimate); a visitor sees no distance. Results come before the
/// facets, with a skip link to them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_say_posted_and_distance() {
    for app in apps().await {
        let b = app.backend;
        let anon = reqwest::Client::new();
        let html = text_of(&anon, app.url("/vacancies")).await;
        assert!(html.contains("class=\"posted\""), "{b}: posting days");
        assert!(!html.contains("class=\"distance\""), "{b}: no home, no distance");
        let (r, f) = (html.find("id=\"results\"").unwrap_or(usize::MAX), html.find("class=\"facets\"").unwrap_or(0));
        assert!(r < f, "{b}: results before the facets in reading order");
        assert!(html.contains("href=\"#results-start\""), "{b}: a skip link to the results");
        let (page, _) = browser(&app, Some((Role::Seeker, "seeker"))).await;
        let html = text_of(&page, app.url("/vacancies")).await;
        let distances = html.matches("class=\"distance\"").count();
        let posted = html.matches("class=\"posted\"").count();
        assert!(
            posted > 0 && distances == posted,
            "{b}: each result has a distance for a seeker ({distances}/{posted})"
        );
        assert!(html.contains("按所在区估算") || html.contains("在您居住的区"), "{b}: said to be an estimate");
        // A seeker may sort by distance from home; a visitor, who has none, is not offered it.
        assert!(html.contains("value=\"distance\""), "{b}: the distance sort offered to a seeker");
        let near = text_of(&page, app.url("/vacancies?sort=distance")).await;
        assert!(near.matches("class=\"distance\"").count() > 0, "{b}: sorted by distance");
        let anon_html = text_of(&anon, app.url("/vacancies")).await;
        assert!(!anon_html.contains("value=\"distance\""), "{b}: no distance sort without a home");
    }
}

/// The caseworker's start page: what is due today and what is overdue, with totals and a way
/// to the full list; a district administrator sees the district's, another district nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_page_lists_what_is_due_and_overdue() {
    for app in apps().await {
        let b = app.backend;
        let me = app.token(Role::Seeker, "seeker").await;
        let (s, reg) =
            app.call("POST", "/api/v1/me/registration", Some(&me), Some(json!({"basis": "residence"}))).await;
        assert_eq!(s, 201, "{b}: {reg}");
        let name = {
            let cw = app.token(Role::Caseworker, "cw.own").await;
            let (_, p) = app.call("GET", &format!("/api/v1/persons/{}", app.seed.person_own), Some(&cw), None).await;
            p["name"].as_str().unwrap_or_default().to_string()
        };
        let section = |html: &str, id: &str| -> String {
            let from = html.find(&format!("id=\"{id}\"")).unwrap_or(0);
            let rest = &html[from..];
            rest[..rest.find("</section>").unwrap_or(rest.len())].to_string()
        };
        let (own, _) = browser(&app, Some((Role::DistrictAdmin, "dadmin.own"))).await;
        let html = text_of(&own, app.url("/staff/today")).await;
        assert!(!section(&html, "contacts-overdue").contains(&name), "{b}: nothing overdue on the first day");
        // Two months on, nobody has called: the contact and the "131" are both overdue.
        app.clock.advance(chrono::Duration::days(60));
        // (Sessions do not last two months: sign in again.)
        let (own, _) = browser(&app, Some((Role::DistrictAdmin, "dadmin.own"))).await;
        let html = text_of(&own, app.url("/staff/today")).await;
        for id in ["contacts-overdue", "one31-overdue"] {
            assert!(section(&html, id).contains(&name), "{b}: {id} lists the person {name}: {}", section(&html, id));
        }
        assert!(html.contains("id=\"lookup-form\""), "{b}: a person can be found from here");
        let (other, _) = browser(&app, Some((Role::DistrictAdmin, "dadmin.other"))).await;
        let html = text_of(&other, app.url("/staff/today")).await;
        assert!(!html.contains(&name), "{b}: another district sees nothing of them");
    }
}

/// A claim form says first what the records already know (by the facts' names, values in
/// words), and after a check lists every fact decided on the same way: never a fact's code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_form_shows_what_the_records_know_in_words() {
    for app in apps().await {
        let b = app.backend;
        let city = app.token(Role::CityAdmin, "city").await;
        crate::support::publish(&app, &city, "flexible_insurance_subsidy").await;
        let (page, csrf) = browser(&app, Some((Role::Seeker, "seeker"))).await;
        let url = app.url("/my/subsidies/flexible_insurance_subsidy");
        let html = text_of(&page, &url).await;
        let known = &html[html.find("id=\"known\"").expect("the records' facts shown")..];
        let known = &known[..known.find("</section>").unwrap_or(known.len())];
        assert!(known.contains("重点群体"), "{b}: by the fact's name: {known}");
        for code in ["key_groups", "age", "true", "false"] {
            assert!(
                !known.contains(&format!(">{code}")) && !known.contains(&format!("{code}:")),
                "{b}: no code {code}"
            );
        }
        let r = page
            .post(&url)
            .form(&[("csrf", csrf.as_str()), ("flexible_employment_insured", "true"), ("action", "check")])
            .send()
            .await
            .expect("post");
        let html = r.text().await.unwrap_or_default();
        let facts = &html[html.find("id=\"decision-facts\"").expect("the decision's facts")..];
        let facts = &facts[..facts.find("</ul>").unwrap_or(facts.len())];
        assert!(facts.contains("是") && !facts.contains("flexible_employment_insured"), "{b}: {facts}");
    }
}

/// Saved jobs: a seeker saves from the vacancy's page (once, however often asked), finds it on
/// 我的收藏, removes it there; the API says the same; an employer has no saved list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeker_saves_jobs_for_later() {
    for app in apps().await {
        let b = app.backend;
        let vid = app.seed.vacancy_id;
        let (page, csrf) = browser(&app, Some((Role::Seeker, "seeker"))).await;
        let html = text_of(&page, app.url(&format!("/vacancies/{vid}"))).await;
        assert!(html.contains("id=\"save-button\"") && !html.contains("id=\"saved-badge\""), "{b}: offered");
        for _ in 0..2 {
            let r = page
                .post(app.url(&format!("/vacancies/{vid}/save")))
                .form(&[("csrf", csrf.as_str()), ("keep", "true")])
                .send()
                .await
                .expect("post");
            assert_eq!(r.status(), 303, "{b}");
        }
        let me = app.token(Role::Seeker, "seeker").await;
        let (s, list) = app.call("GET", "/api/v1/me/saved", Some(&me), None).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{b}: saved once: {list}");
        assert_eq!(list[0]["id"], vid.to_string(), "{b}");
        let html = text_of(&page, app.url(&format!("/vacancies/{vid}"))).await;
        assert!(html.contains("id=\"saved-badge\""), "{b}: marked saved");
        let html = text_of(&page, app.url("/my/saved")).await;
        assert!(html.contains(&format!("/vacancies/{vid}\"")), "{b}: on the list");
        let r = page
            .post(app.url(&format!("/vacancies/{vid}/save")))
            .form(&[("csrf", csrf.as_str()), ("keep", "false"), ("back", "saved")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "{b}");
        let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let html = text_of(&page, app.url(&to)).await;
        assert!(html.contains("id=\"no-saved\"") && html.contains("已取消收藏"), "{b}: gone, and said so");
        let (s, _) = app.call("PUT", &format!("/api/v1/me/saved/{}", uuid::Uuid::nil()), Some(&me), None).await;
        assert_eq!(s, 404, "{b}: no such vacancy");
        let (s, _) = app.call("PUT", &format!("/api/v1/me/saved/{vid}"), Some(&me), None).await;
        assert_eq!(s, 201, "{b}");
        let (s, _) = app.call("PUT", &format!("/api/v1/me/saved/{vid}"), Some(&me), None).await;
        assert_eq!(s, 204, "{b}: already saved");
        let (s, _) = app.call("DELETE", &format!("/api/v1/me/saved/{vid}"), Some(&me), None).await;
        assert_eq!(s, 204, "{b}");
        let emp = app.token(Role::Employer, "employer").await;
        let (s, _) = app.call("GET", "/api/v1/me/saved", Some(&emp), None).await;
        assert_eq!(s, 403, "{b}: employers keep no saved list");
    }
}

/// The class list and the audit log: a total, a search, a filter, an order, a page size.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn class_list_and_audit_log_say_their_totals() {
    use crate::support::OWN;
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        for (kind, name, starts) in [
            ("employment_skills", "电工（五级）培训班", "2025-03-01"),
            ("employment_skills", "育婴员培训班", "2025-01-01"),
            ("entrepreneurship", "创业培训班", "2025-02-01"),
        ] {
            let (s, p) = app
                .call(
                    "POST",
                    "/api/v1/training/programmes",
                    Some(&cw),
                    Some(json!({"kind": kind, "name": name, "district": OWN, "starts_on": starts, "ends_on": "2025-06-30",
                                "capacity": 10, "cost_per_trainee_fen": 100000})),
                )
                .await;
            assert_eq!(s, 201, "{b}: {p}");
        }
        let (page, _) = browser(&app, Some((Role::Caseworker, "cw.own"))).await;
        let get = |path: &str| {
            let (page, url) = (page.clone(), app.url(path));
            async move { text_of(&page, url).await }
        };
        let html = get("/training").await;
        assert!(html.contains("共 3 条"), "{b}: the total");
        let html = get("/training?q=%E7%94%B5%E5%B7%A5").await;
        assert!(html.contains("共 1 条") && html.contains("电工（五级）培训班"), "{b}: by name");
        let html = get("/training?kind=entrepreneurship").await;
        assert!(html.contains("共 1 条") && html.contains("创业培训班"), "{b}: by kind");
        let html = get("/training?sort=starts").await;
        let (a, c) = (html.find("育婴员培训班").unwrap_or(usize::MAX), html.find("电工（五级）培训班").unwrap_or(0));
        assert!(a < c, "{b}: by start day, January before March");
        let (admin, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
        let html = text_of(&admin, app.url("/admin/audit?size=50")).await;
        assert!(html.contains("id=\"list-summary\""), "{b}: the log says its total");
        let html = text_of(&admin, app.url("/admin/audit?action=training.programme")).await;
        assert!(html.contains("共 3 条"), "{b}: three classes opened");
        let html = text_of(&admin, app.url("/admin/audit?action=training.programme&sort=oldest&size=20")).await;
        assert!(html.contains("共 3 条") && html.contains("<option value=\"oldest\" selected"), "{b}: oldest first");
        // Every staff list takes an order and says its total.
        for (who, path) in [
            ((Role::Caseworker, "cw.own"), "/staff/persons?sort=name&limit=50"),
            ((Role::CityAdmin, "city"), "/staff/claims?sort=amount&size=50"),
            ((Role::CityAdmin, "city"), "/admin/users?sort=name"),
        ] {
            let (client, _) = browser(&app, Some(who)).await;
            let r = client.get(app.url(path)).send().await.expect("get");
            assert_eq!(r.status(), 200, "{b} {path}");
            let html = r.text().await.unwrap_or_default();
            assert!(html.contains("id=\"list-summary\"") && html.contains(" selected>"), "{b} {path}: total and order");
        }
        // Hostile list parameters: a page past every row is an empty page, a number too big
        // for any integer or a NUL byte is refused with a 4xx page, never a 500.
        let (client, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
        for (path, want) in [
            ("/staff/caseload?page=18446744073709551615&size=100", 200),
            ("/staff/caseload?category=%00", 422),
            ("/staff/caseload?category=nobody&tier=9", 422),
            ("/staff/claims?page=18446744073709551615&sort=amount", 200),
            ("/admin/users?page=99999999999999999999999", 400),
            ("/training?size=1000000&sort=%00", 422),
            ("/admin/audit?sort=oldest&page=4000000000", 200),
        ] {
            let r = client.get(app.url(path)).send().await.expect("get");
            assert_eq!(r.status().as_u16(), want, "{b} {path}");
            assert!(r.headers().get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html")));
        }
    }
}

/// The search page says how it read the words, in both languages: a homophone read as the
/// title it sounds like (with a link to search for it), a district typed as a word used as the
/// filter, conditions that rank first, and partial matches when no job holds every word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_says_how_it_read_the_words() {
    use crate::support::OWN;
    for app in apps().await {
        let b = app.backend;
        let token = app.token(Role::Employer, "employer").await;
        for (title, description) in [("电工", "负责配电维护。"), ("普工", "流水线操作，包吃住，两班倒。")]
        {
            let mut body = crate::support::vacancy_body(None);
            body["title"] = json!(title);
            body["description"] = json!(description);
            let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&token), Some(body)).await;
            assert_eq!(status, 201, "{b}: {v}");
        }
        let anon = reqwest::Client::new();
        let html = text_of(&anon, app.url("/vacancies?q=店工")).await;
        assert!(html.contains("您是不是要找"), "{b}: no did-you-mean line");
        assert!(html.contains("translate=\"no\">电工</a>"), "{b}: the word meant is a link");
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=店工", None, None).await;
        assert_eq!(r["understood"]["did_you_mean"][0]["meant"], "电工", "{b}: {r}");
        assert!(r["total"].as_u64().unwrap_or(0) >= 1, "{b}: {r}");

        let html = text_of(&anon, app.url("/vacancies?q=夜班 普工 思明")).await;
        assert!(html.contains("已按区筛选：思明区"), "{b}: the district word is the filter");
        assert!(html.contains("写明夜班的职位排在前面"), "{b}: the condition ranks first");
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=夜班%20普工%20思明", None, None).await;
        assert_eq!(r["understood"]["district"], OWN, "{b}: {r}");
        assert_eq!(r["items"][0]["vacancy"]["title"], "普工", "{b}: {r}");

        // A word no job holds is left out, and said to be; two words found apart are partial matches.
        let english = crate::support::page_in(app.url("/vacancies?q=电工 焊接机器人"), "en").await;
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=电工%20焊接机器人", None, None).await;
        assert!(english.contains("No job mentions “焊接, 机器人”"), "{b}: the word left out said in English: {r}");
        assert_eq!(r["understood"]["ignored"], json!(["焊接", "机器人"]), "{b}: {r}");
        assert!(r["total"].as_u64().unwrap_or(0) >= 1, "{b}: the 电工 jobs are shown: {r}");
        let (_, r) = app.call("GET", "/api/v1/vacancies/search?q=电工%20配电", None, None).await;
        assert!(r["total"].as_u64().unwrap_or(0) >= 1, "{b}: {r}");
    }
}
