//! Scope through every object that belongs to a person, reached by its own id: applications,
//! claims, classes and enrolments of the OWN district, tried by every staff actor. Staff of
//! another district (and a provider without a contract) find nothing — not found, never a
//! hint — while the holding district and the city reach them. A new object route must be
//! listed here, or `every_object_route_is_listed` fails.

use serde_json::{Value, json};

use jiuye_domain::roles::{Permission, Role, allows};
use jiuye_store::AuditEntry;
use jiuye_web::access::{Kind, ROUTES};

use crate::support::{OTHER, OWN, PASSWORD, TestApp, sqlite_app};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Obj {
    Vacancy,
    Application,
    Claim,
    Programme,
    Enrolment,
}

/// Routes whose `{id}` is an object that belongs to a person (or a vacancy whose applicants do),
/// with a body that passes extraction so the scope decision is what answers.
fn object_routes() -> Vec<(&'static str, &'static str, Obj, Value)> {
    vec![
        ("GET", "/api/v1/vacancies/{id}/applications", Obj::Vacancy, Value::Null),
        ("POST", "/api/v1/applications/{id}/status", Obj::Application, json!({"status": "viewed"})),
        ("GET", "/api/v1/claims/{id}", Obj::Claim, Value::Null),
        ("POST", "/api/v1/claims/{id}/action", Obj::Claim, json!({"action": "reject", "reason": "x"})),
        ("POST", "/api/v1/training/programmes/{id}/enrolments", Obj::Programme, json!({"person_id": "PERSON"})),
        ("GET", "/api/v1/training/programmes/{id}/claim", Obj::Programme, Value::Null),
        (
            "POST",
            "/api/v1/training/enrolments/{id}/assessment",
            Obj::Enrolment,
            json!({"attendance_hours": 1, "passed": true}),
        ),
        (
            "POST",
            "/api/v1/training/enrolments/{id}/certificate",
            Obj::Enrolment,
            json!({"kind": "training_completion", "level": "none", "number": "OBJ-1"}),
        ),
        ("GET", "/staff/claims/{id}", Obj::Claim, Value::Null),
        ("POST", "/staff/claims/{id}/action", Obj::Claim, json!({"action": "reject", "reason": "x", "back": "review"})),
        ("GET", "/training/{id}", Obj::Programme, Value::Null),
        ("POST", "/training/{id}/enrol", Obj::Programme, json!({"national_id": "SEEKER_ID"})),
        (
            "POST",
            "/training/enrolments/{id}/assess",
            Obj::Enrolment,
            json!({"attendance_hours": "1", "passed": "true"}),
        ),
        (
            "POST",
            "/training/enrolments/{id}/certify",
            Obj::Enrolment,
            json!({"kind": "training_completion", "level": "none", "number": "OBJ-2"}),
        ),
    ]
}

struct Objects {
    vacancy: uuid::Uuid,
    application: uuid::Uuid,
    claim: uuid::Uuid,
    programme: uuid::Uuid,
    enrolment: uuid::Uuid,
}

async fn objects(app: &TestApp) -> Objects {
    let store = &app.state.store;
    let who = AuditEntry::system();
    let now = app.state.clock.now();
    let mut g = jiuye_sim::Generator::new(jiuye_sim::SimConfig {
        seed: 3,
        persons: 0,
        employers: 1,
        vacancies: 1,
        today: crate::support::today(),
    });
    let employers = g.employers();
    let mut draft = g.vacancies(&employers)[0].1.clone();
    draft.district = jiuye_domain::codes::DistrictCode::parse(OWN).unwrap();
    draft.opens_on = crate::support::today();
    draft.closes_on = crate::support::today() + chrono::Duration::days(30);
    let vacancy = store.create_vacancy(app.seed.employer_id, &draft, &who, now).await.unwrap().id;
    let application = store
        .create_application(app.seed.person_own, vacancy, None, crate::support::today(), &who, now)
        .await
        .unwrap()
        .id;
    let claim = store
        .create_claim(
            &jiuye_store::NewClaim {
                policy_id: "yilubao_premium_subsidy".into(),
                policy_version: "yilubao_premium_subsidy@2023.1".into(),
                budget_line: "other".into(),
                group: "yilubao_premium_subsidy".into(),
                claimant_kind: "person".into(),
                claimant_id: app.seed.person_own,
                subject_id: None,
                district: OWN.into(),
                period_key: "2025".into(),
                amount_fen: 9950,
                facts: json!({"yilubao_premium_fen": 19900}),
                decision: json!({}),
            },
            &who,
            now,
        )
        .await
        .unwrap()
        .id;
    let programme = store
        .create_programme(
            &jiuye_store::NewProgramme {
                kind: jiuye_domain::training::TrainingKind::EmploymentSkills,
                name: "对象测试班".into(),
                provider_id: None,
                occupation: None,
                district: OWN.into(),
                starts_on: crate::support::today(),
                ends_on: crate::support::today(),
                capacity: 10,
                cost_per_trainee_fen: 1000,
            },
            &who,
            now,
        )
        .await
        .unwrap()
        .id;
    let enrolment = store.enrol(programme, app.seed.person_own, &who, now).await.unwrap().id;
    Objects { vacancy, application, claim, programme, enrolment }
}

/// (label, role, username, district)
const STAFF: &[(&str, Role, &str, Option<&str>)] = &[
    ("caseworker/own", Role::Caseworker, "cw.own", Some(OWN)),
    ("caseworker/other", Role::Caseworker, "cw.other", Some(OTHER)),
    ("district_admin/own", Role::DistrictAdmin, "dadmin.own", Some(OWN)),
    ("district_admin/other", Role::DistrictAdmin, "dadmin.other", Some(OTHER)),
    ("city_admin", Role::CityAdmin, "city", None),
    ("provider (no contract)", Role::Provider, "provider", None),
];

async fn browser(app: &TestApp, username: &str) -> (reqwest::Client, String) {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"kind": "staff", "identifier": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "login {username}");
    let html = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap_or_default();
    let csrf =
        html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    (client, csrf)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_of_a_district_are_not_found_from_another() {
    let app = sqlite_app().await;
    let o = objects(&app).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for &(label, role, username, district) in STAFF {
        app.clock.advance(chrono::Duration::minutes(1));
        let (client, csrf) = browser(&app, username).await;
        for (method, path, obj, body) in object_routes() {
            let spec = ROUTES.iter().find(|r| r.method == method && r.path == path).unwrap();
            let id = match obj {
                Obj::Vacancy => o.vacancy,
                Obj::Application => o.application,
                Obj::Claim => o.claim,
                Obj::Programme => o.programme,
                Obj::Enrolment => o.enrolment,
            };
            let url = app.url(&path.replace("{id}", &id.to_string()));
            let body = body
                .to_string()
                .replace("PERSON", &app.seed.person_own.to_string())
                .replace("SEEKER_ID", &app.seed.seeker_id_number);
            let body: Value = serde_json::from_str(&body).unwrap();
            let req = match (method, spec.kind) {
                ("GET", _) => client.get(&url),
                (_, Kind::Page) => {
                    let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
                    if let Some(map) = body.as_object() {
                        fields.extend(
                            map.iter()
                                .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string))),
                        );
                    }
                    client.post(&url).form(&fields)
                }
                _ => client.post(&url).json(&body).header(jiuye_web::access::CSRF_HEADER, csrf.as_str()),
            };
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            let to_login =
                resp.headers().get("location").and_then(|v| v.to_str().ok()).is_some_and(|l| l.starts_with("/login"));
            checked += 1;
            let permitted = spec.permission == Permission::Public || allows(role, spec.permission);
            let in_scope = match role {
                Role::CityAdmin => true,
                Role::Caseworker | Role::DistrictAdmin => district == Some(OWN),
                _ => false,
            };
            let got = match status {
                401 | 403 => "denied",
                303 if to_login => "denied",
                404 => "not found",
                _ => "reached",
            };
            let want = match (permitted, in_scope) {
                (false, _) => "denied",
                (true, false) => "not found",
                (true, true) => "reached",
            };
            if got != want {
                failures.push(format!("{method} {path} as {label}: expected {want}, got HTTP {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n"));
}

/// Every route whose `{id}` is not a person (nor a public vacancy page, an account, an
/// employer, a policy, a provider or a service rating) is an object route and is walked above.
#[test]
fn every_object_route_is_listed() {
    let listed: Vec<(&str, &str)> = object_routes().iter().map(|(m, p, _, _)| (*m, *p)).collect();
    let exempt = |p: &str| {
        p.contains("/persons/{id}")
            || p.starts_with("/api/v1/accounts/")
            // Accounts by their manager's scope (pages::users_page_splits_searches_and_deactivates).
            || p.starts_with("/admin/users/")
            || p.starts_with("/api/v1/employers/")
            || p.starts_with("/api/v1/policies/")
            || p.starts_with("/api/v1/providers/")
            || p.starts_with("/api/v1/me/services/")
            || p.starts_with("/my/services/")
            || p.starts_with("/my/subsidies/")
            || p.starts_with("/employer/subsidies/")
            || p.starts_with("/provider/subsidies/")
            || p.starts_with("/static/")
            // Vacancies are public records; applicants are reached by the two routes above
            // (and the employer's own pages, which check ownership and hold no staff).
            || p == "/api/v1/vacancies/{id}"
            || p == "/vacancies/{id}"
            || p == "/api/v1/vacancies/{id}/apply"
            || p == "/vacancies/{id}/apply"
            // Saving a public vacancy to one's own list (pages::a_seeker_saves_jobs_for_later).
            || p == "/vacancies/{id}/save"
            // `{id}` names an indicator of 附件2, not a record; the records behind a figure are
            // listed within the viewer's district by the core (oversight::the_table_counts_…).
            || p.starts_with("/api/v1/oversight/indicators/{id}")
            || p.starts_with("/admin/dashboard/{id}")
            || p == "/api/v1/me/saved/{id}"
            || p == "/api/v1/vacancies/{id}/status"
            || p == "/api/v1/vacancies/{id}/candidates"
            || p.starts_with("/employer/")
            || p == "/applications/{id}/withdraw"
            || p == "/api/v1/codes/{list}"
            // Gigs and their bookings: the poster, the worker and the district's staff, walked
            // by gig::a_gig_goes_from_post_to_rating_and_only_its_parties_reach_it.
            || p.starts_with("/api/v1/gig/")
            || p.starts_with("/gig/")
            || p.starts_with("/staff/gig/")
            // Arrears cases: the complainant and the district's staff, walked by
            // gig::an_unpaid_gig_becomes_a_complaint_accepted_and_mediated_to_agreement.
            || p.starts_with("/api/v1/arrears/")
            || p.starts_with("/staff/arrears/")
    };
    let missing: Vec<String> = ROUTES
        .iter()
        .filter(|r| r.path.contains('{') && !exempt(r.path) && !listed.contains(&(r.method, r.path)))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(missing.is_empty(), "object routes not walked by the scope test: {missing:?}");
}
