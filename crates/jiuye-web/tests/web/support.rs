//! Test support: start the app, seed one account per role in two districts, sign in.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use jiuye_domain::codes::NationalId;
use jiuye_domain::roles::Role;
use jiuye_sim::{Generator, SimConfig};
use jiuye_store::{AuditEntry, IdVault, NewAccount, Store};
use jiuye_web::{AppState, ManualClock};

pub const PASSWORD: &str = "test-password-1";
/// The district of the seeded staff ("own") and another one ("other").
pub const OWN: &str = "350203";
pub const OTHER: &str = "350206";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

pub struct TestApp {
    pub backend: &'static str,
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    pub seed: Seed,
}

/// Records seeded into every test app.
#[derive(Default, Clone)]
pub struct Seed {
    /// username (staff) → account id
    pub accounts: Vec<(Role, String, Uuid)>,
    pub person_own: Uuid,
    pub person_other: Uuid,
    /// The seeker account's ID number (login identifier).
    pub seeker_id_number: String,
    pub employer_id: Uuid,
    pub employer_credit_code: String,
    pub other_employer_id: Uuid,
    pub vacancy_id: Uuid,
    pub other_vacancy_id: Uuid,
}

/// Every backend's app, each on a fresh database.
pub async fn apps() -> Vec<TestApp> {
    let stores = jiuye_store::testing::fresh_stores().await.unwrap_or_else(|e| panic!("test database: {e}"));
    let mut out = Vec::new();
    for (backend, store) in stores {
        out.push(spawn(backend, store).await);
    }
    out
}

/// Only the SQLite app, for tests whose subject is not storage.
pub async fn sqlite_app() -> TestApp {
    let store = jiuye_store::testing::fresh_sqlite().await.unwrap_or_else(|e| panic!("test database: {e}"));
    spawn("sqlite", store).await
}

pub async fn spawn(backend: &'static str, store: Store) -> TestApp {
    spawn_with(backend, store, None).await
}

/// An app whose policy catalogue is `policies` instead of the built-in one.
pub async fn spawn_with(backend: &'static str, store: Store, policies: Option<jiuye_policy::Catalogue>) -> TestApp {
    spawn_custom(backend, store, |state| {
        if let Some(p) = policies {
            state.policies = Arc::new(p);
        }
    })
    .await
}

/// An app whose state is adjusted before it serves (cookies, metrics access, catalogue).
pub async fn spawn_custom(backend: &'static str, store: Store, configure: impl FnOnce(&mut AppState)) -> TestApp {
    let vault = IdVault::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).single().unwrap_or_default()));
    let index = Arc::new(jiuye_search::SearchIndex::in_memory().unwrap_or_else(|e| panic!("index: {e}")));
    let mut state = AppState::new(store, vault, index, clock.clone(), false);
    configure(&mut state);
    let seed = seed(&state).await;
    // Seeded straight into the store: bring the index in step, as a start-up would.
    jiuye_web::search_sync::rebuild(&state).await.unwrap_or_else(|e| panic!("index rebuild: {e}"));
    let addr = serve(&state).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));
    TestApp { backend, addr, state, clock, http, seed }
}

/// Serve the app of this state on a free port of the loopback.
async fn serve(state: &AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let app = jiuye_web::app(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    addr
}

async fn seed(state: &AppState) -> Seed {
    let store = &state.store;
    let now = state.clock.now();
    let who = AuditEntry::system();
    let hash = jiuye_web::auth::hash_password(PASSWORD).unwrap_or_else(|_| panic!("hash"));
    let mut s = Seed::default();
    let staff = [
        (Role::CityAdmin, "city", None),
        (Role::DistrictAdmin, "dadmin.own", Some(OWN)),
        (Role::DistrictAdmin, "dadmin.other", Some(OTHER)),
        (Role::Caseworker, "cw.own", Some(OWN)),
        (Role::Caseworker, "cw.other", Some(OTHER)),
        (Role::Provider, "provider", None),
        (Role::LeadUnit, "lead.skills", None),
    ];
    for (role, username, district) in staff {
        let a = store
            .create_account(
                &NewAccount {
                    role,
                    login_key: format!("u:{username}"),
                    display_name: username.to_string(),
                    password_hash: hash.clone(),
                    district: district.map(str::to_string),
                    person_id: None,
                    employer_id: None,
                    // A lead unit's account names the unit it reports for.
                    organisation: (role == Role::LeadUnit).then(|| "hrss_skills".to_string()),
                },
                &who,
                now,
            )
            .await
            .unwrap_or_else(|e| panic!("seed staff: {e}"));
        s.accounts.push((role, username.to_string(), a.id));
    }
    let mut generator =
        Generator::new(SimConfig { seed: 7, persons: 50, employers: 10, vacancies: 20, today: today() });
    let employers = generator.employers();
    let vacancies = generator.vacancies(&employers);
    let persons = generator.next_persons(50).unwrap_or_default();
    let resident =
        |p: &&jiuye_domain::records::PersonDraft| p.identity.kind() == jiuye_domain::codes::DocumentKind::ResidentId;
    let own = persons
        .iter()
        .filter(resident)
        .find(|p| p.district.as_str() == OWN)
        .cloned()
        .unwrap_or_else(|| panic!("no own person"));
    let other = persons
        .iter()
        .filter(resident)
        .find(|p| p.district.as_str() == OTHER)
        .cloned()
        .unwrap_or_else(|| panic!("no other person"));
    let (p_own, seeker) = store
        .create_person(
            &own,
            &state.vault,
            Some(NewAccount {
                role: Role::Seeker,
                login_key: format!("id:{}", state.vault.lookup_hash(&own.identity)),
                display_name: own.name.clone(),
                password_hash: hash.clone(),
                district: Some(OWN.into()),
                person_id: None,
                employer_id: None,
                organisation: None,
            }),
            &who,
            now,
        )
        .await
        .unwrap_or_else(|e| panic!("seed person: {e}"));
    let seeker = seeker.unwrap_or_else(|| panic!("seeker account"));
    s.accounts.push((Role::Seeker, "seeker".into(), seeker.id));
    s.person_own = p_own.id;
    s.seeker_id_number = own.identity.number().to_string();
    let (p_other, _) =
        store.create_person(&other, &state.vault, None, &who, now).await.unwrap_or_else(|e| panic!("seed person: {e}"));
    s.person_other = p_other.id;
    let (e1, emp_account) = store
        .create_employer(
            &employers[0],
            Some(NewAccount {
                role: Role::Employer,
                login_key: format!("cc:{}", employers[0].credit_code.as_str()),
                display_name: "hr".into(),
                password_hash: hash.clone(),
                district: Some(employers[0].district.as_str().to_string()),
                person_id: None,
                employer_id: None,
                organisation: None,
            }),
            &who,
            now,
        )
        .await
        .unwrap_or_else(|e| panic!("seed employer: {e}"));
    s.accounts.push((Role::Employer, "employer".into(), emp_account.map(|a| a.id).unwrap_or_default()));
    s.employer_id = e1.id;
    s.employer_credit_code = employers[0].credit_code.as_str().to_string();
    let (e2, _) = store.create_employer(&employers[1], None, &who, now).await.unwrap_or_else(|e| panic!("{e}"));
    s.other_employer_id = e2.id;
    let v_own =
        vacancies.iter().find(|(i, _)| *i == 0).map(|(_, v)| v.clone()).unwrap_or_else(|| vacancies[0].1.clone());
    let v_other =
        vacancies.iter().find(|(i, _)| *i == 1).map(|(_, v)| v.clone()).unwrap_or_else(|| vacancies[1].1.clone());
    s.vacancy_id = store.create_vacancy(e1.id, &v_own, &who, now).await.unwrap_or_else(|e| panic!("{e}")).id;
    s.other_vacancy_id = store.create_vacancy(e2.id, &v_other, &who, now).await.unwrap_or_else(|e| panic!("{e}")).id;
    s
}

impl TestApp {
    /// Another instance on the same database and clock, with its own index and pools, started
    /// as a process starts (and not tailing the change log until the test says so).
    pub async fn second_instance(&self) -> TestApp {
        let vault = IdVault::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let index = Arc::new(jiuye_search::SearchIndex::in_memory().unwrap_or_else(|e| panic!("index: {e}")));
        let state = AppState::new(self.state.store.clone(), vault, index, self.clock.clone(), false);
        jiuye_store::testing::changes_settled(&state.store).await;
        jiuye_web::search_sync::start(&state).await.unwrap_or_else(|e| panic!("start: {e}"));
        let addr = serve(&state).await;
        TestApp {
            backend: self.backend,
            addr,
            state,
            clock: self.clock.clone(),
            http: self.http.clone(),
            seed: self.seed.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Sign in through the API and return the bearer token.
    pub async fn token(&self, role: Role, username: &str) -> String {
        let (kind, identifier) = match role {
            Role::Seeker => ("seeker", self.seed.seeker_id_number.clone()),
            Role::Employer => ("employer", self.seed.employer_credit_code.clone()),
            _ => ("staff", username.to_string()),
        };
        let resp = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "kind": kind, "identifier": identifier, "password": PASSWORD }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("login: {e}"));
        assert_eq!(resp.status(), 200, "login of {username} on {}", self.backend);
        let body: Value = resp.json().await.unwrap_or_default();
        body["token"].as_str().unwrap_or_default().to_string()
    }

    pub fn staff(&self, username: &str) -> (Role, String) {
        self.seed
            .accounts
            .iter()
            .find(|(_, u, _)| u == username)
            .map(|(r, u, _)| (*r, u.clone()))
            .unwrap_or_else(|| panic!("no seeded account {username}"))
    }

    /// Send a request with an optional bearer token and JSON body; returns status and JSON.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("request {path}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
}

/// A valid ID number not used by the seed (for registrations).
pub fn fresh_national_id(n: u32) -> String {
    let first17 = format!("35020319900101{:03}", 100 + n % 800);
    let check = NationalId::check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A person body the API accepts.
pub fn person_body(national_id: &str, district: &str) -> Value {
    json!({
        "national_id": national_id,
        "name": "测试人员",
        "mobile": "13800138000",
        "district": district,
        "household_origin": "350000",
        "education": "20",
        "key_groups": ["college_graduate"],
        "wanted_occupations": ["6-31-01-03"],
        "wanted_salary_min": 5000,
        "wanted_salary_max": 8000
    })
}

/// A vacancy body the API accepts.
pub fn vacancy_body(employer_id: Option<Uuid>) -> Value {
    let mut v = json!({
        "title": "电工",
        "description": "负责厂区配电维护",
        "occupation": "6-31-01-03",
        "district": OWN,
        "address": "厦门市思明区湖滨南路1号",
        "latitude": 24.48,
        "longitude": 118.11,
        "salary_min": 6000,
        "salary_max": 9000,
        "headcount": 2,
        "kind": "full_time",
        "opens_on": "2026-11-20",
        "closes_on": "2027-01-31",
        "skills": ["低压电工证"]
    });
    if let Some(id) = employer_id {
        v["employer_id"] = json!(id);
    }
    v
}

/// An internship vacancy (就业见习岗位) of this employer, posted by staff of the own district;
/// its id. A hire into it is an internship by the records.
pub async fn internship_vacancy(app: &TestApp, staff_token: &str, employer_id: Uuid) -> String {
    let mut body = vacancy_body(Some(employer_id));
    body["kind"] = json!("internship");
    body["title"] = json!("就业见习岗位");
    body["headcount"] = json!(10);
    let (s, v) = app.call("POST", "/api/v1/vacancies", Some(staff_token), Some(body)).await;
    assert_eq!(s, 201, "{}: internship vacancy: {v}", app.backend);
    v["id"].as_str().unwrap_or_default().to_string()
}

/// A provider organisation with a staff account carrying its id; returns the provider's id.
pub async fn provider_account(app: &TestApp, username: &str, name: &str) -> uuid::Uuid {
    let store = &app.state.store;
    let now = app.state.clock.now();
    let p = store.create_provider(name, &jiuye_store::AuditEntry::system(), now).await.expect("provider");
    let hash = jiuye_web::auth::hash_password(PASSWORD).expect("hash");
    store
        .create_account(
            &jiuye_store::NewAccount {
                role: Role::Provider,
                login_key: format!("u:{username}"),
                display_name: username.into(),
                password_hash: hash,
                district: None,
                person_id: None,
                employer_id: None,
                organisation: Some(p.id.to_string()),
            },
            &jiuye_store::AuditEntry::system(),
            now,
        )
        .await
        .expect("account");
    p.id
}

/// A contract in force (2026) by which the provider covers these persons.
pub async fn contract_for(app: &TestApp, provider: uuid::Uuid, persons: &[uuid::Uuid]) {
    app.state
        .store
        .create_contract(
            &jiuye_store::NewContract {
                provider_id: provider,
                name: "2026 服务合同".into(),
                starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
                ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
                price_served_fen: 0,
                price_employed_fen: 0,
                persons: persons.to_vec(),
            },
            &jiuye_store::AuditEntry::system(),
            app.state.clock.now(),
        )
        .await
        .expect("contract");
}

/// One more staff account (e.g. a second city admin for a four-eyes step); returns its token.
pub async fn extra_staff(app: &TestApp, role: Role, username: &str, district: Option<&str>) -> String {
    let hash = jiuye_web::auth::hash_password(PASSWORD).expect("hash");
    app.state
        .store
        .create_account(
            &NewAccount {
                role,
                login_key: format!("u:{username}"),
                display_name: username.into(),
                password_hash: hash,
                district: district.map(str::to_string),
                person_id: None,
                employer_id: None,
                organisation: None,
            },
            &AuditEntry::system(),
            app.state.clock.now(),
        )
        .await
        .expect("account");
    app.token(role, username).await
}

/// The stable error code of an API error envelope.
pub fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or_default()
}

/// Publish a catalogue version (2023.1) as the city admin.
pub async fn publish(app: &TestApp, city: &str, policy: &str) {
    let (s, v) = app
        .call("POST", &format!("/api/v1/policies/{policy}/publish"), Some(city), Some(json!({"version": "2023.1"})))
        .await;
    assert_eq!(s, 200, "{}: publish {policy}: {v}", app.backend);
}

/// The CSRF token a page's forms carry.
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string()
}

/// A browser-like client signed in by the session cookie (none: a visitor), and the CSRF token
/// its pages carry.
pub async fn browser(app: &TestApp, who: Option<(Role, &str)>) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some((role, username)) = who {
        let (kind, identifier) = match role {
            Role::Seeker => ("seeker", app.seed.seeker_id_number.clone()),
            Role::Employer => ("employer", app.seed.employer_credit_code.clone()),
            _ => ("staff", username.to_string()),
        };
        let r = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"kind": kind, "identifier": identifier, "password": PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "login {username}");
    }
    let html =
        client.get(app.url("/login")).send().await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    (client, csrf_of(&html))
}

/// A page as an anonymous visitor reads it in a language (`zh` or `en`).
pub async fn page_in(url: impl reqwest::IntoUrl, lang: &str) -> String {
    let got = reqwest::Client::new().get(url).header("cookie", format!("jiuye_lang={lang}")).send().await;
    got.expect("get").text().await.unwrap_or_default()
}
