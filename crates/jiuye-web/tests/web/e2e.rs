//! End-to-end journeys in a real (headless) Chromium, driven over WebDriver from Rust.
//!
//! Each journey starts its own app (fresh SQLite database) and its own browser session.
//! Needs Debian's `chromium` and `chromium-driver`; without them the tests fail (never skip).

pub mod driver;

use driver::Browser;
use jiuye_domain::roles::Role;

use crate::support::{OWN, PASSWORD, TestApp, fresh_national_id, sqlite_app};

/// `350203********123X`: first 6, 8 stars, last 4.
fn masked(id: &str) -> String {
    format!("{}********{}", &id[..6], &id[14..])
}

fn looks_masked(shown: &str) -> bool {
    let b = shown.as_bytes();
    b.len() == 18
        && b[..6].iter().all(u8::is_ascii_digit)
        && &shown[6..14] == "********"
        && b[14..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X')
}

/// Percent-encode a query value (UTF-8 bytes), for URLs typed into the address bar.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Sign in through `/login` with the given kind and land on `home`.
async fn sign_in(b: &Browser, app: &TestApp, kind: &str, identifier: &str, password: &str, home: &str) {
    b.goto(&app.url("/login")).await;
    b.find("#login-form").await;
    b.click(&format!("#kind-{kind}")).await;
    b.fill("#identifier", identifier).await;
    b.fill("#password", password).await;
    b.submit("#login-button").await;
    b.wait_path(home).await;
}

/// Sign out with the header's button and check the visitor is anonymous again.
async fn sign_out(b: &Browser) {
    b.submit("#logout").await;
    b.wait_path("/").await;
    b.find("#nav-login").await;
    assert!(b.try_find("#logout").await.is_none(), "still signed in after signing out");
}

#[tokio::test(flavor = "multi_thread")]
async fn seeker_registers_signs_in_and_opens_a_vacancy() {
    let started = std::time::Instant::now();
    let app = sqlite_app().await;
    let b = Browser::start().await;

    // Register.
    let id = fresh_national_id(11);
    let password = "xiamen-seeker-2026";
    b.goto(&app.url("/register")).await;
    b.find("#register-form").await;
    b.fill("#national_id", &id).await;
    b.fill("#name", "王小明").await;
    b.fill("#mobile", "13912345678").await;
    b.select("#district", "350211").await;
    b.select("#education", "30").await;
    b.fill("#password", password).await;
    b.fill("#password2", password).await;
    b.click("#register-button").await;

    // Received — the same words whether the number was new or on file — then sign in.
    b.wait_path("/login").await;
    assert!(b.text("#notice").await.contains("注册申请已收到"), "the next step is said");
    sign_in(&b, &app, "seeker", &id, password, "/profile").await;

    // Signed in on the profile, which shows the masked ID number and never the full one.
    assert_eq!(b.text("#profile-name").await, "王小明");
    let shown = b.text("#profile-id").await;
    assert_eq!(shown, masked(&id));
    assert!(looks_masked(&shown), "{shown}");
    assert!(!b.source().await.contains(&id), "the full ID number is in the profile page");

    // Sign out and in again with the ID number.
    sign_out(&b).await;
    sign_in(&b, &app, "seeker", &id, password, "/profile").await;
    assert_eq!(b.text("#profile-name").await, "王小明");
    assert!(!b.source().await.contains(&id), "the full ID number is in the profile page");

    // Search for a seeded vacancy by its title and open it.
    let (status, body) = app.call("GET", "/api/v1/vacancies?limit=1", None, None).await;
    assert_eq!(status, 200, "{body}");
    let title = body["items"][0]["title"].as_str().unwrap_or_else(|| panic!("no open vacancy in {body}")).to_string();
    b.goto(&app.url("/vacancies")).await;
    b.fill("#q", &title).await;
    b.submit("#search-button").await;
    b.wait_path("/vacancies").await;
    b.find(&format!("#q[value=\"{title}\"]")).await;
    let links = b.find_all("#results .vacancy-link").await;
    assert!(!links.is_empty(), "no results for {title}");
    links[0].click().await;
    let title_shown = b.text("#vacancy-title").await;
    assert!(b.path().await.starts_with("/vacancies/"), "{}", b.path().await);
    assert_eq!(title_shown, title);

    b.quit().await;
    eprintln!("e2e seeker journey: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn employer_posts_a_vacancy_that_a_seeker_finds() {
    let started = std::time::Instant::now();
    let app = sqlite_app().await;
    let occupations = include_str!("../../../jiuye-domain/data/codes/occupations.tsv");
    let occupation = "6-18-02-04";
    assert!(
        occupations.lines().any(|l| l.split('\t').next() == Some(occupation) && l.split('\t').nth(2) == Some("4")),
        "{occupation} is not a level-4 occupation code"
    );
    let b = Browser::start().await;

    sign_in(&b, &app, "employer", &app.seed.employer_credit_code, PASSWORD, "/employer/vacancies").await;
    b.submit("#new-vacancy").await;
    b.wait_path("/employer/vacancies/new").await;
    b.find("#vacancy-form").await;
    let title = "焊工E2E岗位";
    b.fill("#title", title).await;
    b.fill("#occupation", occupation).await;
    let address = b.find("#address").await.property("value").await;
    if address.as_str().unwrap_or_default().trim().is_empty() {
        b.fill("#address", "厦门市湖里区枋湖北二路1号").await;
    }
    b.fill("#salary_min", "6000").await;
    b.fill("#salary_max", "9000").await;
    b.fill("#headcount", "3").await;
    b.submit("#post-button").await;

    b.wait_path("/employer/vacancies").await;
    assert!(!b.text("#notice").await.is_empty());
    let listed = b.find_all("main table tbody td a").await;
    let mut titles = Vec::new();
    for a in &listed {
        titles.push(a.text().await);
    }
    assert!(titles.iter().any(|t| t == title), "{title} not in the employer's list {titles:?}");
    sign_out(&b).await;

    // Anonymous: search and open it.
    b.goto(&app.url(&format!("/vacancies?q={}", encode("焊工E2E")))).await;
    let links = b.find_all("#results .vacancy-link").await;
    assert_eq!(links.len(), 1, "exactly the new vacancy matches");
    assert_eq!(links[0].text().await, title);
    links[0].click().await;
    assert_eq!(b.text("#vacancy-title").await, title);
    assert!(b.source().await.contains(occupation));

    b.quit().await;
    eprintln!("e2e employer journey: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn caseworker_sees_only_persons_of_their_district() {
    let started = std::time::Instant::now();
    let app = sqlite_app().await;
    let person =
        app.state.store.person_by_id(app.seed.person_own).await.unwrap_or_else(|e| panic!("seeded person: {e}"));
    assert_eq!(app.staff("cw.other").0, Role::Caseworker);
    let page = app.url(&format!("/staff/persons/{}", person.id));
    let b = Browser::start().await;

    // Another district's caseworker: not found, exactly as if the person did not exist.
    sign_in(&b, &app, "staff", "cw.other", PASSWORD, "/staff/today").await;
    b.goto(&page).await;
    assert!(!b.text("#error-message").await.is_empty());
    assert_eq!(b.text("main h1").await, "404");
    assert!(b.try_find("#person-name").await.is_none());
    let source = b.source().await;
    assert!(!source.contains(&person.name), "the other district's caseworker sees the name {}", person.name);
    assert!(!source.contains(&person.national_id_masked));
    // The error page still shows who is signed in, with the sign-out button.
    assert!(b.try_find("#logout").await.is_some(), "the error page lost the signed-in header");
    sign_out(&b).await;

    // The own district's caseworker finds the person by ID number (sent in the form body,
    // never in the URL) and sees them, with the ID number masked.
    sign_in(&b, &app, "staff", "cw.own", PASSWORD, "/staff/today").await;
    b.fill("#national_id", &app.seed.seeker_id_number).await;
    b.submit("#lookup-button").await;
    b.wait_path(&format!("/staff/persons/{}", person.id)).await;
    assert!(!b.url().await.contains(&app.seed.seeker_id_number), "the ID number is in the URL");
    assert_eq!(b.text("#person-name").await, person.name);
    b.goto(&page).await;
    assert_eq!(b.text("#person-name").await, person.name);
    let shown = b.text("#person-id").await;
    assert!(looks_masked(&shown), "{shown}");
    assert_eq!(shown, masked(&app.seed.seeker_id_number));
    assert!(!b.source().await.contains(&app.seed.seeker_id_number), "the full ID number is in the page");

    b.quit().await;
    eprintln!("e2e caseworker journey: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn home_page_on_a_phone() {
    let app = sqlite_app().await;
    let b = Browser::start().await;
    b.phone_viewport(375, 800).await;
    b.goto(&app.url("/")).await;
    b.find("#search-button").await;
    let width = b.execute("return window.innerWidth").await;
    assert_eq!(width.as_u64(), Some(375));
    let overflow = b.execute("return document.documentElement.scrollWidth").await;
    assert!(overflow.as_u64().is_some_and(|w| w <= 375), "the home page scrolls sideways on a phone: {overflow}");
    // The menu folds behind its button on a phone, and the button opens it.
    let shown = "return document.getElementById('nav-login').getBoundingClientRect().height > 0";
    assert_eq!(b.execute(shown).await, serde_json::json!(false), "the menu starts folded");
    assert_eq!(b.find("#menu-toggle").await.property("ariaExpanded").await, serde_json::json!("false"));
    b.click("#menu-toggle").await;
    assert_eq!(b.execute(shown).await, serde_json::json!(true), "the button opens the menu");
    assert_eq!(b.find("#menu-toggle").await.property("ariaExpanded").await, serde_json::json!("true"));
    let png = b.screenshot().await;
    assert!(png.len() > 1000, "screenshot of {} bytes", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("home-phone.png");
    std::fs::write(&path, &png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let back = std::fs::read(&path).unwrap_or_default();
    assert_eq!(back.len(), png.len());
    eprintln!("phone screenshot: {} ({} bytes)", path.display(), png.len());
    b.quit().await;
}

/// A seeker searches with a filter, opens a vacancy and applies; the employer sees the
/// application and hires; the vacancy (headcount 1) is then filled and leaves the search.
#[tokio::test(flavor = "multi_thread")]
async fn seeker_applies_and_the_employer_hires() {
    let app = sqlite_app().await;
    let employer_token = app.token(Role::Employer, "employer").await;
    let mut body = crate::support::vacancy_body(None);
    body["title"] = serde_json::json!("夜班保安员E2E");
    body["headcount"] = serde_json::json!(1);
    let (status, v) = app.call("POST", "/api/v1/vacancies", Some(&employer_token), Some(body)).await;
    assert_eq!(status, 201, "{v}");
    let vid = v["id"].as_str().unwrap_or_default().to_string();
    let b = Browser::start().await;

    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.goto(&app.url("/vacancies")).await;
    b.fill("#q", "保安员E2E").await;
    b.select("#district", crate::support::OWN).await;
    b.click("#search-button").await;
    // The results page has the words in its form (the page before listed vacancies too).
    b.find("#q[value=\"保安员E2E\"]").await;
    b.submit(".vacancy-link").await;
    b.wait_path(&format!("/vacancies/{vid}")).await;
    b.fill("#note", "有保安证，可上夜班").await;
    b.submit("#apply-button").await;
    b.wait_path(&format!("/vacancies/{vid}")).await;
    assert!(!b.text("#applied-status").await.is_empty(), "no sign of the application");
    assert!(b.try_find("#apply-button").await.is_none(), "could apply twice");
    sign_out(&b).await;

    sign_in(&b, &app, "employer", &app.seed.employer_credit_code, PASSWORD, "/employer/vacancies").await;
    b.goto(&app.url(&format!("/employer/vacancies/{vid}/applications"))).await;
    assert!(!b.text(".applicant-name").await.is_empty());
    b.click(".move-hired").await;
    // The form posts and comes back to the same page: wait for the new status to show.
    let mut hired = false;
    for _ in 0..50 {
        if b.try_find(".move-hired").await.is_none() && b.text("td.status").await == "已录用" {
            hired = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(hired, "the hire did not show");
    assert!(!b.source().await.contains(&app.seed.seeker_id_number), "the applicant's ID number is shown");
    sign_out(&b).await;

    // Filled: gone from the public search.
    b.goto(&app.url(&format!("/vacancies?q={}", encode("保安员E2E")))).await;
    b.find("#no-results").await;
    assert_eq!(app.state.store.count_employments(app.seed.person_own).await.unwrap_or(0), 1);
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn caseworker_completes_a_persons_131_in_a_few_clicks() {
    let started = std::time::Instant::now();
    let app = sqlite_app().await;
    // A person registered at the desk (API), and enough open jobs for three recommendations.
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let id_number = fresh_national_id(21);
    let (s, person) =
        app.call("POST", "/api/v1/persons", Some(&cw), Some(crate::support::person_body(&id_number, OWN))).await;
    assert_eq!(s, 201, "{person}");
    let person_id = person["id"].as_str().unwrap_or_default().to_string();
    for _ in 0..4 {
        let (s, v) = app
            .call(
                "POST",
                "/api/v1/vacancies",
                Some(&cw),
                Some(crate::support::vacancy_body(Some(app.seed.employer_id))),
            )
            .await;
        assert_eq!(s, 201, "{v}");
    }
    let page = format!("/staff/persons/{person_id}");
    let b = Browser::start().await;
    sign_in(&b, &app, "staff", "cw.own", PASSWORD, "/staff/today").await;
    b.fill("#national_id", &id_number).await;
    b.submit("#lookup-button").await;
    b.wait_path(&page).await;

    // Register as unemployed: pick the basis, one click.
    b.find("#not-registered").await;
    b.select("#basis", "residence").await;
    b.click("#register-unemployed").await;
    b.find("#tier").await;
    assert!(!b.text("#tier").await.is_empty(), "the tier is shown with its reasons");
    assert_ne!(b.text("#one31-status").await, "已完成");

    // One click each: a guidance, three pushed jobs; then an internship or training offer. Each
    // form posts back to the same page, so wait for what the post changes, not for the path.
    b.click("#record-guidance").await;
    b.find("#ledger li").await;
    b.click("#push-jobs").await;
    let mut pushed = 0;
    for _ in 0..50 {
        pushed = b.find_all("#ledger li a").await.len();
        if pushed == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(pushed, 3, "three jobs pushed into the ledger");
    b.select("#offer-kind", "skills_training").await;
    b.fill("#offer-course", "电工（五级）培训班").await;
    b.click("#offer-training").await;
    b.find("#one31-status.one31-complete").await;
    assert_eq!(b.text("#one31-status").await, "已完成", "1 guidance, 3 jobs, 1 training: the 131 is complete");
    let items = b.find_all("#one31 li").await;
    assert_eq!(items.len(), 3);

    // The caseload lists the person as complete.
    b.goto(&app.url("/staff/caseload?one31=complete")).await;
    let rows = b.find_all("#caseload tbody tr").await;
    assert_eq!(rows.len(), 1, "one complete case in the caseload");
    assert_eq!(b.text("#list-summary").await, "共 1 条 · 第 1 / 1 页", "the caseload says its total");
    // Filtered by the person's category with the form, then by one they are not in.
    let pid = person_id.parse().unwrap_or_default();
    let reg = app.state.store.active_registration_of(pid).await.ok().flatten().unwrap_or_else(|| panic!("registered"));
    let category = reg.categories.first().cloned().unwrap_or_default();
    b.goto(&app.url("/staff/caseload")).await;
    b.select("#f-category", &category).await;
    b.submit("#filter-button").await;
    assert_eq!(b.find_all("#caseload tbody tr").await.len(), 1, "in {category}");
    assert!(b.path().await.contains(&format!("category={category}")), "the filter is in the address");
    let other =
        ["veteran", "graduate"].into_iter().find(|c| !reg.categories.iter().any(|x| x == c)).unwrap_or("veteran");
    b.select("#f-category", other).await;
    b.submit("#filter-button").await;
    b.find("#no-results").await;
    b.goto(&app.url("/staff/caseload?name=%E6%97%A0%E6%AD%A4%E4%BA%BA")).await;
    b.find("#no-results").await;
    assert_eq!(b.text("#list-summary").await, "共 0 条 · 第 1 / 1 页", "a name nobody has finds nobody");
    sign_out(&b).await;

    // Another district's caseworker cannot see the person at all.
    sign_in(&b, &app, "staff", "cw.other", PASSWORD, "/staff/today").await;
    b.goto(&app.url(&page)).await;
    assert_eq!(b.text("main h1").await, "404");
    assert!(!b.source().await.contains("测试人员"), "the other district sees the name");
    b.goto(&app.url("/staff/caseload")).await;
    b.find("#no-results").await;
    assert!(b.try_find("#caseload tbody tr").await.is_none(), "the other district's caseload is empty");
    b.quit().await;
    eprintln!("e2e 131 journey: {:?}", started.elapsed());
}

/// An employer claims the internship subsidy for one of its interns: the form names the
/// intern, the check explains the amount, filing lands it in the employer's list; the city's
/// review list holds it.
#[tokio::test(flavor = "multi_thread")]
async fn employer_claims_a_subsidy_for_an_intern() {
    let app = sqlite_app().await;
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let city = app.token(Role::CityAdmin, "city").await;
    let (s, _) = app
        .call(
            "POST",
            "/api/v1/policies/internship_subsidy/publish",
            Some(&city),
            Some(serde_json::json!({"version": "2023.1"})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, person) = app
        .call("POST", "/api/v1/persons", Some(&cw), Some(crate::support::person_body(&fresh_national_id(31), OWN)))
        .await;
    assert_eq!(s, 201, "{person}");
    let intern = person["id"].as_str().unwrap_or_default().to_string();
    let internship = crate::support::internship_vacancy(&app, &cw, app.seed.employer_id).await;
    let name = person["name"].as_str().unwrap_or_default().to_string();
    let (s, e) = app
        .call(
            "POST",
            &format!("/api/v1/persons/{intern}/employments"),
            Some(&cw),
            Some(serde_json::json!({"form": "unit", "employer_id": app.seed.employer_id, "vacancy_id": internship,
                                    "started_on": "2025-01-01"})),
        )
        .await;
    assert_eq!(s, 201, "{e}");

    let b = Browser::start().await;
    sign_in(&b, &app, "employer", &app.seed.employer_credit_code, PASSWORD, "/employer/vacancies").await;
    b.goto(&app.url("/employer/subsidies")).await;
    b.submit("#policy-internship_subsidy h3 a").await;
    b.wait_path("/employer/subsidies/internship_subsidy").await;
    b.select("#f-subject_id", &intern).await;
    // The months are not asked: the employment records give them (January to July: six).
    assert!(b.try_find("#f-internship_months").await.is_none(), "no field for a fact the records give");
    b.execute("document.getElementById('f-date').value = '2025-07-01';").await;
    b.click("#check-claim").await;
    b.find("#decision").await;
    assert_eq!(b.text("#outcome").await, "符合条件");
    assert_eq!(b.text("#amount").await, "13,398.00 元", "6 months × 2233 元");
    b.click("#submit-claim").await;
    b.find("#filed").await;
    b.goto(&app.url("/employer/subsidies")).await;
    let claims = b.text("#claims").await;
    assert!(claims.contains("就业见习补贴") && claims.contains(&name), "the claim names the intern: {claims}");
    sign_out(&b).await;

    sign_in(&b, &app, "staff", "city", PASSWORD, "/admin/dashboard").await;
    b.goto(&app.url("/staff/claims")).await;
    assert!(b.text("main").await.contains("就业见习补贴"), "the city's review list holds the claim");
    b.quit().await;
}

/// A training provider runs a class on its pages: create it, enrol a trainee by ID number,
/// record the pass, issue the certificate; the class shows its certificate rate and the
/// trainee sees the certificate on their own page.
#[tokio::test(flavor = "multi_thread")]
async fn a_provider_runs_a_class_and_the_trainee_sees_the_certificate() {
    let app = sqlite_app().await;
    let store = &app.state.store;
    let now = app.state.clock.now();
    let who = jiuye_store::AuditEntry::system();
    let provider = store.create_provider("鹭岛职业培训学校", &who, now).await.expect("provider");
    store
        .create_account(
            &jiuye_store::NewAccount {
                role: Role::Provider,
                login_key: "u:school".into(),
                display_name: "school".into(),
                password_hash: jiuye_web::auth::hash_password(PASSWORD).expect("hash"),
                district: None,
                person_id: None,
                employer_id: None,
                organisation: Some(provider.id.to_string()),
            },
            &who,
            now,
        )
        .await
        .expect("account");
    // The school serves the trainee under a contract in force.
    crate::support::contract_for(&app, provider.id, &[app.seed.person_own]).await;

    let b = Browser::start().await;
    sign_in(&b, &app, "staff", "school", PASSWORD, "/provider").await;
    b.goto(&app.url("/training")).await;
    b.select("#f-kind", "employment_skills").await;
    b.fill("#f-name", "电工（五级）培训班E2E").await;
    b.select("#f-district", OWN).await;
    b.execute(
        "document.getElementById('f-starts_on').value = '2026-09-01';\
         document.getElementById('f-ends_on').value = '2026-10-31';",
    )
    .await;
    b.fill("#f-capacity", "20").await;
    b.fill("#f-cost_yuan", "1800").await;
    b.click("#create-programme").await;
    b.find("#programme-name").await;
    assert_eq!(b.text("#programme-name").await, "电工（五级）培训班E2E");

    b.fill("#f-national_id", &app.seed.seeker_id_number).await;
    b.click("#enrol").await;
    b.find("#trainees tbody tr").await;
    assert_eq!(b.text("#enrolled").await, "1");
    b.fill("#trainees input[name=attendance_hours]", "80").await;
    b.click("#trainees input[name=passed]").await;
    b.click("#trainees form[action$=assess] button").await;
    b.find("#trainees form[action$=certify]").await;
    b.select("#trainees select[name=kind]", "skill_level").await;
    b.select("#trainees select[name=level]", "five").await;
    b.fill("#trainees input[name=number]", "S350203-2026-E2E1").await;
    b.click("#trainees form[action$=certify] button").await;
    b.find("#notice").await;
    assert_eq!(b.text("#certified").await, "1");
    assert_eq!(b.text("#rate").await, "100.0%");
    assert!(b.text("#trainees").await.contains("S350203-2026-E2E1"));
    sign_out(&b).await;

    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.goto(&app.url("/my/training")).await;
    let certs = b.text("#my-certificates").await;
    assert!(certs.contains("S350203-2026-E2E1") && certs.contains("职业技能等级证书"), "{certs}");
    assert!(b.text("#my-enrolments").await.contains("电工（五级）培训班E2E"));
    b.quit().await;
}

/// A Taiwan compatriot registers with a 台湾居民居住证 on the page, signs in, searches, applies,
/// and — once a desk has recorded their flexible work — claims a subsidy on the page, just as a
/// mainland resident does.
#[tokio::test(flavor = "multi_thread")]
async fn a_taiwan_compatriot_registers_applies_and_claims() {
    let app = sqlite_app().await;
    let city = app.token(Role::CityAdmin, "city").await;
    crate::support::publish(&app, &city, "yilubao_premium_subsidy").await;
    let number = crate::identities::gb("83000019910218004");
    let password = "taiwan-seeker-2026";
    let b = Browser::start().await;
    b.goto(&app.url("/register")).await;
    b.find("#register-form").await;
    b.select("#id_kind", "taiwan_residence_permit").await;
    b.fill("#national_id", &number).await;
    b.fill("#name", "林志明").await;
    b.fill("#mobile", "+886 912 345 678").await;
    b.select("#district", OWN).await;
    b.select("#education", "30").await;
    b.fill("#password", password).await;
    b.fill("#password2", password).await;
    b.submit("#register-button").await;
    b.wait_path("/login").await;
    sign_in(&b, &app, "seeker", &number, password, "/profile").await;
    let shown = b.text("#profile-id").await;
    assert!(shown.starts_with("830000") && shown.contains('*'), "the permit, masked: {shown}");
    assert!(!b.source().await.contains(&number), "the full number is on the profile page");
    assert!(b.text("main").await.contains("台胞"), "the group the document gives");

    // Search and apply.
    let vid = app.seed.vacancy_id;
    let (_, v) = app.call("GET", &format!("/api/v1/vacancies/{vid}"), None, None).await;
    let title = v["title"].as_str().unwrap_or_default().to_string();
    b.goto(&app.url("/vacancies")).await;
    b.fill("#q", &title).await;
    b.click("#search-button").await;
    // Wait for the results page itself: going on while its request is still out let it land
    // after the next page and replace it.
    b.find(&format!("#q[value=\"{title}\"]")).await;
    b.find(".vacancy-link").await;
    b.goto(&app.url(&format!("/vacancies/{vid}"))).await;
    b.submit("#apply-button").await;
    b.wait_path(&format!("/vacancies/{vid}")).await;
    assert!(!b.text("#applied-status").await.is_empty(), "applied");

    // The desk records their flexible work (found by the permit number), then they claim.
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let (s, p) =
        app.call("POST", "/api/v1/persons/lookup", Some(&cw), Some(serde_json::json!({"national_id": number}))).await;
    assert_eq!(s, 200, "{p}");
    let pid = p["id"].as_str().unwrap_or_default();
    let (s, e) = app
        .call(
            "POST",
            &format!("/api/v1/persons/{pid}/employments"),
            Some(&cw),
            Some(serde_json::json!({"form": "flexible", "started_on": "2025-03-01"})),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    b.goto(&app.url("/my/subsidies")).await;
    b.submit("#policy-yilubao_premium_subsidy h3 a").await;
    b.wait_path("/my/subsidies/yilubao_premium_subsidy").await;
    b.execute("document.getElementById('f-date').value = '2025-06-01';").await;
    b.fill("#f-yilubao_premium_fen", "199").await;
    b.click("#check-claim").await;
    b.find("#decision").await;
    assert_eq!(b.text("#outcome").await, "符合条件");
    b.click("#submit-claim").await;
    b.find("#filed").await;
    b.quit().await;
}

/// The profile page edits everything matching uses, and saving it unchanged loses nothing:
/// wanted districts, certificates, the street — none of them are emptied.
#[tokio::test(flavor = "multi_thread")]
async fn saving_the_profile_unchanged_keeps_everything() {
    let app = sqlite_app().await;
    let token = app.token(Role::Seeker, "seeker").await;
    let (_, before) = app.call("GET", "/api/v1/me/profile", Some(&token), None).await;
    let body = serde_json::json!({
        "name": before["name"], "mobile": before["mobile"], "district": OWN, "street": "350203001",
        "address": "厦门市思明区厦港街道大学路1号", "household_origin": before["household_origin"]["code"],
        "education": before["education"]["code"], "key_groups": ["college_graduate"],
        "skills": ["电工", "叉车"], "certificates": [{"name": "电工证", "level": "四级"}, {"name": "叉车证"}],
        "wanted_occupations": ["6-31-01-03"], "wanted_districts": ["350206", "350211"],
        "wanted_salary_min": 5000, "wanted_salary_max": 8000, "employment_status": "unemployed"
    });
    let (s, set) = app.call("PUT", "/api/v1/me/profile", Some(&token), Some(body)).await;
    assert_eq!(s, 200, "{set}");
    let b = Browser::start().await;
    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.find("#profile-form").await;
    assert!(b.text("#wanted-names").await.contains("电工"), "wanted occupations by name");
    b.click("#save-button").await;
    b.find("#saved").await;
    let (_, after) = app.call("GET", "/api/v1/me/profile", Some(&token), None).await;
    for field in ["street", "address", "certificates", "wanted_districts", "skills", "wanted_occupations", "key_groups"]
    {
        assert_eq!(after[field], set[field], "{field} kept by an unchanged save");
    }
    // And the page changes what it shows: a district fewer, a certificate more.
    b.goto(&app.url("/profile")).await;
    b.find("#profile-form").await;
    b.click("#profile-form input[name=wanted_districts][value=\"350211\"]").await;
    b.execute("document.getElementById('certificates').value += '\\n焊工证 / 三级';").await;
    b.click("#save-button").await;
    b.find("#saved").await;
    let (_, changed) = app.call("GET", "/api/v1/me/profile", Some(&token), None).await;
    let districts: Vec<&str> =
        changed["wanted_districts"].as_array().into_iter().flatten().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(districts, vec!["350206"], "{changed}");
    assert_eq!(changed["certificates"].as_array().map(Vec::len), Some(3), "{changed}");
    b.quit().await;
}

/// The seeker sets where their trips start from the device's location (the browser asks first;
/// here the answer is "allow"), then types a place across the water and is told why it is
/// refused, then clears it.
#[tokio::test(flavor = "multi_thread")]
async fn a_seeker_starts_trips_from_where_their_phone_is() {
    let app = sqlite_app().await;
    let token = app.token(Role::Seeker, "seeker").await;
    let b = Browser::start().await;
    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.find("#origin-form").await;
    assert!(b.text("#origin-now").await.contains("所在区"), "from the district at first");
    b.share_location(app.url("/").trim_end_matches('/'), 24.456, 118.083).await;
    b.click("#origin-locate").await;
    b.wait_text("#origin-now", "不保存精确位置").await;
    b.find("#origin-saved").await;
    let (_, o) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
    assert_eq!(o["source"], "set", "{o}");
    let km = jiuye_domain::geo::straight_km(
        (o["latitude"].as_f64().unwrap_or(0.0), o["longitude"].as_f64().unwrap_or(0.0)),
        (24.456, 118.083),
    );
    assert!(km < 0.3, "the device's place, as a cell: {km} km off ({o})");
    // Typed in by hand: a place in 集美, across the water from 思明.
    b.click("#origin-manual summary").await;
    b.fill("#latitude", "24.575").await;
    b.fill("#longitude", "118.105").await;
    b.click("#origin-save").await;
    b.wait_text("#latitude-error", "岛内外").await;
    assert_eq!(b.find("#latitude").await.property("ariaInvalid").await, serde_json::json!("true"));
    let (_, kept) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
    assert_eq!(kept, o, "a refused place changes nothing");
    b.click("#origin-clear").await;
    b.wait_text("#origin-now", "所在区政府所在地").await;
    let (_, o) = app.call("GET", "/api/v1/me/origin", Some(&token), None).await;
    assert_eq!(o["source"], "district", "{o}");
    b.quit().await;
}

/// One form pattern: every problem at once in a summary linking to its field, each field marked
/// and described by its message, messages naming the field by its label, typed values kept
/// (never the passwords).
#[tokio::test(flavor = "multi_thread")]
async fn a_form_with_problems_says_all_of_them_beside_their_fields() {
    let app = sqlite_app().await;
    let b = Browser::start().await;
    b.goto(&app.url("/register")).await;
    b.find("#register-form").await;
    let id = fresh_national_id(77);
    b.fill("#national_id", &id).await;
    b.fill("#name", "   ").await;
    b.fill("#mobile", "12345").await;
    b.fill("#wanted_salary_min", "三千").await;
    b.fill("#password", "long-enough-1").await;
    b.fill("#password2", "long-enough-2").await;
    b.click("#register-button").await;
    let summary = b.find("#form-errors").await;
    let links = b.find_all("#form-errors a").await;
    let mut targets = Vec::new();
    for l in &links {
        targets.push(l.property("hash").await.as_str().unwrap_or_default().to_string());
    }
    for want in ["#name", "#mobile", "#wanted_salary_min", "#password2"] {
        assert!(targets.iter().any(|t| t == want), "the summary links to {want}: {targets:?}");
    }
    let text = summary.text().await;
    assert!(text.contains("姓名"), "the field by its label: {text}");
    assert!(!text.contains("{field}") && !text.contains("“name”"), "no placeholder or internal name: {text}");
    for field in ["name", "mobile", "wanted_salary_min", "password2"] {
        let invalid = b.find(&format!("#{field}")).await.property("ariaInvalid").await;
        assert_eq!(invalid.as_str(), Some("true"), "#{field} marked invalid");
        let described =
            b.execute(&format!("return document.getElementById('{field}').getAttribute('aria-describedby')")).await;
        let beside = b.text(&format!("#{}", described.as_str().unwrap_or_default())).await;
        assert!(!beside.is_empty(), "#{field} has its message beside it");
    }
    assert_eq!(b.find("#national_id").await.property("value").await.as_str(), Some(id.as_str()), "the ID number kept");
    assert_eq!(b.find("#password").await.property("value").await.as_str(), Some(""), "the password not kept");
    assert_eq!(app.state.store.count_persons().await.unwrap_or_default(), 2, "nothing registered");
    b.quit().await;
}

/// The city administrator lands on the 附件2 table, drills into new employment for 湖里 last
/// quarter, sees the record counted, and exports the table for that district and quarter.
#[tokio::test(flavor = "multi_thread")]
async fn city_admin_drills_into_new_employment_and_exports() {
    use crate::support::OTHER;
    let app = sqlite_app().await;
    let cw = app.token(Role::Caseworker, "cw.other").await;
    let p = app.seed.person_other;
    let (s, body) = app
        .call(
            "POST",
            &format!("/api/v1/persons/{p}/employments"),
            Some(&cw),
            Some(serde_json::json!({"form": "flexible", "started_on": "2026-08-10"})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let name = app.state.store.person_by_id(p).await.map(|p| p.name).unwrap_or_default();
    let b = Browser::start().await;
    sign_in(&b, &app, "staff", "city", PASSWORD, "/admin/dashboard").await;
    assert_eq!(b.find_all("#kpi tbody tr").await.len(), 27, "every indicator of 附件2");
    b.select("#k-district", OTHER).await;
    b.fill("#k-period", "2026-Q3").await;
    b.submit("#kpi-period button[type=submit]").await;
    b.wait_path("/admin/dashboard").await;
    let scope = b.text("#kpi-scope").await;
    assert!(scope.contains("湖里区") && scope.contains("2026年第3季度"), "{scope}");
    b.submit("#kpi-new_employment th a").await;
    b.wait_path("/admin/dashboard/new_employment").await;
    assert_eq!(b.text("#figure-counted").await, "1");
    let records = b.text("#record-list").await;
    assert!(records.contains(&name) && records.contains("2026-08-10"), "{records}");
    b.submit("a[href^='/admin/dashboard?']").await;
    b.wait_path("/admin/dashboard").await;
    let href = b.find("#kpi-xlsx").await.property("href").await.as_str().unwrap_or_default().to_string();
    assert!(href.contains("period=2026-Q3") && href.contains(&format!("district={OTHER}")), "{href}");
    let city = app.token(Role::CityAdmin, "city").await;
    let r = app.http.get(&href).bearer_auth(city).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap_or_default().starts_with(b"PK"), "an xlsx");
    b.quit().await;
}

/// A lead unit signs in, lands on its measures and files a half-monthly report.
#[tokio::test(flavor = "multi_thread")]
async fn a_lead_unit_files_a_half_monthly_report() {
    let app = sqlite_app().await;
    let b = Browser::start().await;
    sign_in(&b, &app, "staff", "lead.skills", PASSWORD, "/progress").await;
    b.select("#measure", "3").await;
    b.select("#period", "2026-11-H1").await;
    b.fill("#text", "上半月完成电工、焊工两期培训，82人结业").await;
    b.fill("#attachments", "厦人社〔2026〕88号").await;
    b.submit("#file-button").await;
    b.wait_path("/progress").await;
    assert!(b.text(".done").await.contains("已报送"));
    let row = b.text("#measure-3").await;
    assert!(row.contains("2026-11-H1") && row.contains("82人结业"), "{row}");
    b.quit().await;
}

/// The gig market's journey: an employer posts a gig on the form; it appears on a station's
/// board (kept live by its event stream) without a reload; a worker who checked in at the
/// station by its QR code's page takes it; both sides confirm the start and completion; the
/// worker rates the employer.
#[tokio::test(flavor = "multi_thread")]
async fn an_employer_posts_a_gig_a_checked_in_worker_takes_it_and_rates_the_employer() {
    let app = sqlite_app().await;
    let city = app.token(Role::CityAdmin, "city").await;
    let (status, site) = app
        .call(
            "POST",
            "/api/v1/gig/sites",
            Some(&city),
            Some(serde_json::json!({"name": "中山路零工驿站", "layout": "station", "mode": "operator", "operator": "鹭岛人力",
                "district": OWN, "address": "思明区中山路 1 号", "lat": 24.456, "lon": 118.083, "hours": "07:00–19:00",
                "services": ["matching", "rights"]})),
        )
        .await;
    assert_eq!(status, 201, "{site}");
    let site_id = site["id"].as_str().unwrap_or_default().to_string();
    let token = app
        .state
        .store
        .gig_site_by_id(uuid::Uuid::parse_str(&site_id).unwrap_or_default())
        .await
        .map(|s| s.checkin_token)
        .unwrap_or_default();

    // The station's TV: open before the gig exists, listening.
    let board = Browser::start().await;
    board.goto(&app.url(&format!("/gig/sites/{site_id}"))).await;
    board.find("body[data-live='1']").await;
    assert!(!board.text("#gigs").await.contains("码头装卸E2E"));

    // The employer posts on the form, to start within the hour.
    let b = Browser::start().await;
    sign_in(&b, &app, "employer", &app.seed.employer_credit_code, PASSWORD, "/employer/vacancies").await;
    b.goto(&app.url("/gig/post")).await;
    b.fill("#title", "码头装卸E2E").await;
    b.fill("#trade", "装卸搬运工").await;
    b.select("#district", OWN).await;
    b.fill("#address", "思明区中山路 1 号").await;
    b.select("#site_id", &site_id).await;
    let soon = app.state.clock.now() + chrono::Duration::hours(9);
    b.execute(&format!("document.getElementById('starts_at').value = '{}'", soon.format("%Y-%m-%dT%H:%M"))).await;
    b.fill("#headcount", "2").await;
    b.fill("#pay_fen", "220").await;
    b.submit("#post-gig").await;
    b.wait_path("/gig/posted").await;
    assert!(b.text("#notice").await.contains("已发布"), "the gig was not published at once");

    // The board shows it without being reloaded.
    let mut shown = false;
    for _ in 0..50 {
        if board.text("#gigs").await.contains("码头装卸E2E") {
            shown = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(shown, "the board did not show the new gig");
    assert!(board.text("#gigs").await.contains("220 元/天"));
    board.quit().await;
    sign_out(&b).await;

    // The worker fills the gig profile, checks in at the station and takes the gig.
    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.goto(&app.url("/my/gig")).await;
    b.fill("#trades", "装卸搬运工").await;
    b.select("#district", OWN).await;
    b.submit("#save-gig-profile").await;
    b.wait_path("/my/gig").await;
    b.goto(&app.url(&format!("/gig/checkin/{token}"))).await;
    b.submit("#checkin-button").await;
    b.wait_path("/my/gig").await;
    assert!(b.text("#availability-now").await.contains("签到"), "not checked in");
    b.submit("#offers .accept").await;
    b.wait_path("/my/gig").await;
    assert!(b.text("#notice").await.contains("接单成功"));
    b.submit("#bookings .confirm-start").await;
    b.wait_path("/my/gig").await;
    sign_out(&b).await;

    // The employer sees who is coming and confirms the start and the completion.
    sign_in(&b, &app, "employer", &app.seed.employer_credit_code, PASSWORD, "/employer/vacancies").await;
    b.goto(&app.url("/gig/posted")).await;
    assert!(!b.text(".worker").await.is_empty(), "the poster does not see who took the gig");
    b.submit(".worker .confirm-start").await;
    b.wait_path("/gig/posted").await;
    b.submit(".worker .confirm-done").await;
    b.wait_path("/gig/posted").await;
    sign_out(&b).await;

    // The worker confirms completion and rates the employer.
    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.goto(&app.url("/my/gig")).await;
    b.submit("#bookings .confirm-done").await;
    b.wait_path("/my/gig").await;
    b.select("#bookings .stars", "4").await;
    b.submit("#bookings .rate-button").await;
    b.wait_path("/my/gig").await;
    assert!(b.text("#bookings").await.contains("4 ★"), "the rating does not show");
    let bookings = app.state.store.bookings_of_worker(app.seed.person_own).await.unwrap_or_default();
    assert_eq!(
        bookings.first().map(|x| (x.status.as_str(), x.rating_of_employer)),
        Some(("done", Some(4))),
        "the booking is done and rated"
    );
    b.quit().await;
}

/// The trail of an unpaid gig in a browser: the worker says the pay never came, complains in
/// one click with the form filled from the gig, and the district's caseworker accepts the
/// complaint inside its clock, refers it to mediation and records the agreement.
#[tokio::test(flavor = "multi_thread")]
async fn an_unpaid_gig_becomes_a_complaint_that_is_mediated_to_an_agreement() {
    let app = sqlite_app().await;
    let city = app.token(Role::CityAdmin, "city").await;
    let employer = app.token(Role::Employer, "employer").await;
    let seeker = app.token(Role::Seeker, "seeker").await;
    let (_, site) = app
        .call(
            "POST",
            "/api/v1/gig/sites",
            Some(&city),
            Some(serde_json::json!({"name": "中山路零工驿站", "layout": "station", "mode": "operator", "operator": "鹭岛人力",
                "district": OWN, "address": "思明区中山路 1 号", "lat": 24.456, "lon": 118.083, "hours": "07:00–19:00"})),
        )
        .await;
    let site_id = site["id"].as_str().unwrap_or_default().to_string();
    app.call(
        "PUT",
        "/api/v1/me/gig",
        Some(&seeker),
        Some(serde_json::json!({"trades": ["4-02-05-01"], "availability": "today", "home_site": site_id, "district": OWN})),
    )
    .await;
    let soon = app.state.clock.now() + chrono::Duration::hours(9);
    let (s, g) = app
        .call(
            "POST",
            "/api/v1/gig/demands",
            Some(&employer),
            Some(serde_json::json!({"trade": "4-02-05-01", "title": "货柜装卸E2E", "district": OWN, "address": "思明区中山路 1 号",
                "site_id": site_id, "starts_at": soon.format("%Y-%m-%dT%H:%M:00").to_string(), "days": 1, "hours_per_day": 8,
                "headcount": 1, "pay_unit": "day", "pay_fen": 22_000})),
        )
        .await;
    assert_eq!(s, 201, "{g}");
    let (_, booking) = app
        .call("POST", &format!("/api/v1/gig/demands/{}/accept", g["id"].as_str().unwrap_or("-")), Some(&seeker), None)
        .await;
    let bid = booking["id"].as_str().unwrap_or_default().to_string();
    for (who, step) in [(&seeker, "start"), (&employer, "start"), (&seeker, "done"), (&employer, "done")] {
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/gig/bookings/{bid}/confirm"),
                Some(who),
                Some(serde_json::json!({"step": step})),
            )
            .await;
        assert_eq!(s, 200, "{e}");
    }

    let b = Browser::start().await;
    sign_in(&b, &app, "seeker", &app.seed.seeker_id_number, PASSWORD, "/profile").await;
    b.goto(&app.url("/my/gig")).await;
    b.submit("#bookings .pay-missing").await;
    b.wait_path("/my/gig").await;
    b.submit(&format!("#complain-{bid}")).await;
    b.wait_path("/my/arrears").await;
    b.find("#from-gig").await;
    b.fill("#evidence", "完工后老板不接电话，有微信聊天记录").await;
    b.submit("#file-arrears").await;
    b.wait_path("/my/arrears").await;
    assert!(b.text("#notice").await.contains("投诉已提交"));
    assert!(b.text("#my-cases").await.contains("待受理"), "the complaint is not shown as received");
    assert!(b.text("#my-cases").await.contains("受理期限"), "the acceptance clock is not shown");
    sign_out(&b).await;

    // The district's registered mediation organisation: the referral names it.
    let dadmin = app.token(Role::DistrictAdmin, "dadmin.own").await;
    let (s, org) = app
        .call(
            "POST",
            "/api/v1/mediation-orgs",
            Some(&dadmin),
            Some(serde_json::json!({"name": "中华街道劳动争议调解委员会", "kind": "township", "district": OWN,
                "address": "思明区中华街道", "registered_on": "2025-06-01", "evidence": "思人社〔2025〕18号"})),
        )
        .await;
    assert_eq!(s, 201, "{org}");
    sign_in(&b, &app, "staff", "cw.own", PASSWORD, "/staff/today").await;
    b.goto(&app.url("/staff/arrears")).await;
    b.click("#cases a").await;
    b.click("#action-accept").await;
    // Each action posts and comes back to a case page: wait for the new page's words, not for
    // an element the page before it also had.
    b.wait_text("#case-status", "已受理").await;
    assert!(b.text("#mediation-org").await.contains("中华街道劳动争议调解委员会"), "the organisation is offered");
    b.click("#action-mediate").await;
    b.wait_text("main h1", "调解").await;
    assert!(b.text("#mediation-org-name").await.contains("中华街道"), "the mediation case names its organisation");
    b.fill("#amount-agree", "220").await;
    b.click("#action-agree").await;
    b.wait_text("#case-status", "已达成协议").await;
    b.find("#notice").await;
    assert!(b.text("#outcome").await.contains("220"), "the agreed amount is not shown");
    b.quit().await;
}
