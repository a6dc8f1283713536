//! Every route × every role × own/other district: the permission table and district scope,
//! asserted from the outside against the running app.

use jiuye_domain::roles::{Permission, Role, allows};
use jiuye_web::access::{Kind, ROUTES, RouteSpec};
use serde_json::{Value, json};

use crate::support::{OTHER, OWN, PASSWORD, TestApp, apps, person_body};

#[derive(Debug, Clone)]
struct Actor {
    label: &'static str,
    role: Option<Role>,
    username: &'static str,
    district: Option<&'static str>,
}

const ACTORS: &[(&str, Option<Role>, &str, Option<&str>)] = &[
    ("anonymous", None, "", None),
    ("seeker", Some(Role::Seeker), "seeker", Some(OWN)),
    ("employer", Some(Role::Employer), "employer", None),
    ("provider", Some(Role::Provider), "provider", None),
    ("caseworker/own", Some(Role::Caseworker), "cw.own", Some(OWN)),
    ("caseworker/other", Some(Role::Caseworker), "cw.other", Some(OTHER)),
    ("district_admin/own", Some(Role::DistrictAdmin), "dadmin.own", Some(OWN)),
    ("district_admin/other", Some(Role::DistrictAdmin), "dadmin.other", Some(OTHER)),
    ("city_admin", Some(Role::CityAdmin), "city", None),
];

/// What the table says: may this actor use this route on a person of district OWN?
fn expected(spec: &RouteSpec, actor: &Actor) -> bool {
    let permitted = match actor.role {
        None => spec.permission == Permission::Public,
        Some(r) => spec.permission == Permission::Public || allows(r, spec.permission),
    };
    if !permitted || !spec.person_scoped {
        return permitted;
    }
    match actor.role {
        Some(Role::CityAdmin) => true,
        Some(Role::Caseworker | Role::DistrictAdmin) => actor.district == Some(OWN),
        _ => false,
    }
}

fn concrete_path(app: &TestApp, spec: &RouteSpec) -> String {
    let id = if spec.path.contains("/persons") {
        app.seed.person_own.to_string()
    } else if spec.path.starts_with("/api/v1/employers") {
        app.seed.employer_id.to_string()
    } else if spec.path.starts_with("/api/v1/accounts") {
        app.seed.accounts.iter().find(|(_, u, _)| u == "provider").map(|a| a.2.to_string()).unwrap_or_default()
    } else {
        app.seed.vacancy_id.to_string()
    };
    spec.path.replace("{id}", &id).replace("{list}", "districts").replace("{file}", "app.css")
}

/// A signed-in (or anonymous) browser-like client with its CSRF token.
struct Session {
    client: reqwest::Client,
    csrf: String,
}

async fn session(app: &TestApp, actor: &Actor) -> Session {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(role) = actor.role {
        let (kind, identifier) = match role {
            Role::Seeker => ("seeker", app.seed.seeker_id_number.clone()),
            Role::Employer => ("employer", app.seed.employer_credit_code.clone()),
            _ => ("staff", actor.username.to_string()),
        };
        let r = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"kind": kind, "identifier": identifier, "password": PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "login {}", actor.label);
    }
    // Any page carries the visitor's CSRF token in its forms (the login form, or the logout button).
    let html =
        client.get(app.url("/login")).send().await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string();
    assert!(!csrf.is_empty(), "no CSRF token for {}", actor.label);
    Session { client, csrf }
}

/// A body that passes extraction where a scope check happens after it (so the check is reached).
fn body_for(app: &TestApp, spec: &RouteSpec) -> Option<Value> {
    if spec.kind != Kind::Api || spec.method == "GET" {
        return None;
    }
    if spec.path == "/api/v1/persons/{id}" {
        return Some(person_body("", OWN));
    }
    if spec.path == "/api/v1/persons/lookup" {
        return Some(json!({ "national_id": app.seed.seeker_id_number }));
    }
    Some(json!({}))
}

async fn attempt(app: &TestApp, s: &Session, spec: &RouteSpec) -> (u16, String) {
    let url = app.url(&concrete_path(app, spec));
    let method = reqwest::Method::from_bytes(spec.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut req = s.client.request(method, url);
    if spec.kind == Kind::Page && spec.method == "POST" {
        req = req.form(&[("csrf", s.csrf.as_str())]);
    } else if let Some(b) = body_for(app, spec) {
        // A browser session's API write carries its CSRF token in the header.
        req = req.json(&b).header(jiuye_web::access::CSRF_HEADER, s.csrf.as_str());
    } else if spec.method != "GET" {
        req = req.header(jiuye_web::access::CSRF_HEADER, s.csrf.as_str());
    }
    let resp = req.send().await.unwrap_or_else(|e| panic!("{} {}: {e}", spec.method, spec.path));
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, location)
}

fn observed_allowed(spec: &RouteSpec, status: u16, location: &str) -> bool {
    let login_redirect = status == 303 && location == "/login";
    !(status == 401 || status == 403 || login_redirect || (spec.person_scoped && status == 404))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_every_role_own_and_other_district() {
    for app in apps().await {
        let mut checked = 0;
        let mut failures = Vec::new();
        for &(label, role, username, district) in ACTORS {
            let actor = Actor { label, role, username, district };
            // Each actor signs in a few times; keep under the per-address sign-in throttle.
            app.clock.advance(chrono::Duration::minutes(1));
            let mut s = session(&app, &actor).await;
            for spec in ROUTES {
                // Signing out ends the session: each sign-out route gets a session of its own,
                // and after signing out everywhere (every session of the account) a new one.
                let (status, location) = if spec.path.ends_with("logout") {
                    attempt(&app, &session(&app, &actor).await, spec).await
                } else {
                    attempt(&app, &s, spec).await
                };
                if spec.path.ends_with("/sessions/end") {
                    s = session(&app, &actor).await;
                }
                let want = expected(spec, &actor);
                let got = observed_allowed(spec, status, &location);
                if want != got {
                    failures.push(format!(
                        "{} {} as {label}: expected {}, got HTTP {status} {location}",
                        spec.method,
                        spec.path,
                        if want { "allow" } else { "deny" }
                    ));
                }
                checked += 1;
            }
        }
        assert!(
            failures.is_empty(),
            "[{}] {} of {checked} checks failed:\n{}",
            app.backend,
            failures.len(),
            failures.join("\n")
        );
        assert_eq!(checked, ROUTES.len() * ACTORS.len());
    }
}

#[test]
fn every_route_is_in_the_table_once() {
    let mut seen = std::collections::HashSet::new();
    for r in ROUTES {
        assert!(seen.insert((r.method, r.path)), "duplicate route {} {}", r.method, r.path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn employers_manage_only_their_own_vacancies() {
    let app = crate::support::sqlite_app().await;
    let token = app.token(Role::Employer, "employer").await;
    let other = app.seed.other_vacancy_id;
    let (status, body) = app
        .call("POST", &format!("/api/v1/vacancies/{other}/status"), Some(&token), Some(json!({"status": "closed"})))
        .await;
    assert_eq!(status, 404, "{body}");
    let own = app.seed.vacancy_id;
    let (status, body) = app
        .call("POST", &format!("/api/v1/vacancies/{own}/status"), Some(&token), Some(json!({"status": "closed"})))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "closed");
    // Posting for another employer is refused.
    let (status, _) = app
        .call(
            "POST",
            "/api/v1/vacancies",
            Some(&token),
            Some(crate::support::vacancy_body(Some(app.seed.other_employer_id))),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn district_staff_lists_hold_only_their_district() {
    let app = crate::support::sqlite_app().await;
    for (username, district) in [("cw.own", OWN), ("cw.other", OTHER), ("dadmin.other", OTHER)] {
        let (role, _) = app.staff(username);
        let token = app.token(role, username).await;
        // Asking for another district is ignored: scope wins.
        let (status, body) =
            app.call("GET", &format!("/api/v1/persons?district={OWN}&limit=100"), Some(&token), None).await;
        assert_eq!(status, 200, "{body}");
        let items = body["items"].as_array().cloned().unwrap_or_default();
        assert!(!items.is_empty(), "{username} sees nobody");
        assert!(items.iter().all(|p| p["district"]["code"] == district), "{username} saw another district: {body}");
    }
    let token = app.token(Role::Provider, "provider").await;
    let (status, body) = app.call("GET", "/api/v1/persons", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"].as_array().map(Vec::len), Some(0), "providers see only assigned people");
}

/// No response lets a role rebuild a full ID number it may not see: the masked number hides
/// the eight birth-date digits, so no GET route — API or page — may carry the birth date
/// beside it, and the full number leaves only through the audited reveal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_response_rebuilds_a_masked_id_number() {
    let app = crate::support::sqlite_app().await;
    // Give the seeded person a case, a registration and a ledger, so every page has them.
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let pid = app.seed.person_own;
    let (s, r) = app
        .call("POST", &format!("/api/v1/persons/{pid}/registrations"), Some(&cw), Some(json!({"basis": "residence"})))
        .await;
    assert_eq!(s, 201, "{r}");
    let full = app.seed.seeker_id_number.clone();
    let birth = &full[6..14];
    let dashed = format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..]);
    let mut checked = 0;
    let mut leaks = Vec::new();
    for &(label, role, username, district) in ACTORS {
        let actor = Actor { label, role, username, district };
        app.clock.advance(chrono::Duration::minutes(1));
        let s = session(&app, &actor).await;
        for spec in ROUTES.iter().filter(|r| r.method == "GET" && r.kind != Kind::Ops) {
            let path = concrete_path(&app, spec);
            let resp = s.client.get(app.url(&path)).send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
            if !resp.status().is_success() {
                continue;
            }
            let text = resp.text().await.unwrap_or_default();
            checked += 1;
            let reveal = spec.path.ends_with("/national-id");
            if text.contains(&full) && !reveal {
                leaks.push(format!("{label} GET {path}: the full number"));
            }
            if !reveal && (text.contains(birth) || text.contains(&dashed)) {
                leaks.push(format!("{label} GET {path}: the birth date beside a masked number"));
            }
        }
    }
    assert!(checked > 100, "only {checked} responses read");
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
}

/// A cookie-signed-in browser's API writes need the CSRF header (a cross-site page cannot set
/// it), whatever the body; page forms need the token, checked by the guard before the handler.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_is_checked_by_the_guard_for_every_browser_write() {
    let app = crate::support::sqlite_app().await;
    let actor =
        Actor { label: "caseworker/own", role: Some(Role::Caseworker), username: "cw.own", district: Some(OWN) };
    let s = session(&app, &actor).await;
    let pid = app.seed.person_own;
    // push-jobs takes no body: cookie alone is refused, the header makes it pass.
    let url = app.url(&format!("/api/v1/persons/{pid}/push-jobs"));
    let r = s.client.post(&url).send().await.unwrap();
    assert_eq!(r.status(), 403, "cookie-only push-jobs");
    let r = s.client.post(&url).header(jiuye_web::access::CSRF_HEADER, "wrong").send().await.unwrap();
    assert_eq!(r.status(), 403, "a wrong token");
    let r = s.client.post(&url).header(jiuye_web::access::CSRF_HEADER, s.csrf.as_str()).send().await.unwrap();
    assert_eq!(r.status(), 201, "with the session's token");
    // The import takes a file, not JSON: still refused without the header.
    let r = s.client.post(app.url("/api/v1/casework/import")).body("PK").send().await.unwrap();
    assert_eq!(r.status(), 403, "cookie-only import");
    // A page form without the token, or with another, is refused before the handler runs.
    let page = app.url(&format!("/staff/persons/{pid}/services"));
    let r = s.client.post(&page).form(&[("kind", "career_guidance")]).send().await.unwrap();
    assert_eq!(r.status(), 403, "a form without its token");
    let r = s.client.post(&page).form(&[("csrf", "forged"), ("kind", "career_guidance")]).send().await.unwrap();
    assert_eq!(r.status(), 403, "a forged token");
    let r =
        s.client.post(&page).body("kind=career_guidance").header("content-type", "text/plain").send().await.unwrap();
    assert_eq!(r.status(), 415, "a page write that is no form");
    // Bearer clients (no cookie) are not browsers: no token needed.
    let token = app.token(Role::Caseworker, "cw.own").await;
    let (status, body) = app.call("POST", &format!("/api/v1/persons/{pid}/push-jobs"), Some(&token), None).await;
    assert_eq!(status, 201, "{body}");
}
