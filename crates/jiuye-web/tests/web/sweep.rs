//! Every page of every role, in a real Chromium: at 390 px (a phone) and 1280 px, in Chinese and
//! English, with large text on and off. A page fails on a sideways scroll, on English text left
//! in Chinese (text that is not data — data is marked `translate="no"` or `lang="zh"`), on an
//! error page or JSON where a page was expected, and on any axe-core violation of impact serious
//! or critical (axe-core from npm, installed by `scripts/test` into `.tools`).

use serde_json::{Value, json};

use crate::e2e::driver::Browser;
use crate::support::{OWN, PASSWORD, TestApp, contract_for, provider_account, publish, sqlite_app};
use jiuye_domain::roles::{Role, allows};
use jiuye_web::access::{Kind, ROUTES};

fn axe_source() -> String {
    let path = std::env::var("JIUYE_AXE_JS")
        .unwrap_or_else(|_| format!("{}/../../.tools/node_modules/axe-core/axe.min.js", env!("CARGO_MANIFEST_DIR")));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core is missing at {path} ({e}): run scripts/test, or `npm install --prefix .tools axe-core@4`")
    })
}

/// The objects the pages are about: made once, through the API, as their users would.
struct Objects {
    claim: String,
    programme: String,
    /// A class the provider runs (it sees only its own).
    provider_programme: String,
    /// A gig station, and the code of its QR sign.
    site: String,
    checkin_token: String,
    /// A wage-arrears complaint in the own district.
    arrears: String,
}

async fn objects(app: &TestApp) -> Objects {
    let city = app.token(Role::CityAdmin, "city").await;
    let cw = app.token(Role::Caseworker, "cw.own").await;
    let seeker = app.token(Role::Seeker, "seeker").await;
    publish(app, &city, "yilubao_premium_subsidy").await;
    let pid = app.seed.person_own;
    let (s, e) = app
        .call(
            "POST",
            &format!("/api/v1/persons/{pid}/employments"),
            Some(&cw),
            Some(json!({"form": "flexible", "started_on": "2025-03-01"})),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let (s, c) = app
        .call(
            "POST",
            "/api/v1/claims",
            Some(&seeker),
            Some(json!({"policy": "yilubao_premium_subsidy", "date": "2025-06-01", "facts": {"yilubao_premium_fen": 19_900}})),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let (s, p) = app
        .call(
            "POST",
            "/api/v1/training/programmes",
            Some(&cw),
            Some(json!({"kind": "employment_skills", "name": "电工培训班", "district": OWN, "starts_on": "2026-12-07",
                        "ends_on": "2027-01-29", "capacity": 30, "cost_per_trainee_fen": 180_000})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let provider = provider_account(app, "org.sweep", "鹭岛职业培训学校").await;
    contract_for(app, provider, &[pid]).await;
    let org = app.token(Role::Provider, "org.sweep").await;
    let (s, q) = app
        .call(
            "POST",
            "/api/v1/training/programmes",
            Some(&org),
            Some(json!({"kind": "employment_skills", "name": "叉车司机培训班", "district": OWN, "starts_on": "2026-12-07",
                        "ends_on": "2027-01-29", "capacity": 20, "cost_per_trainee_fen": 150_000})),
        )
        .await;
    assert_eq!(s, 201, "{q}");
    let (s, site) = app
        .call(
            "POST",
            "/api/v1/gig/sites",
            Some(&city),
            Some(json!({"name": "思明区零工驿站（中山路）", "layout": "station", "mode": "operator", "operator": "鹭岛人力",
                        "district": OWN, "address": "中山路 1 号", "lat": 24.456, "lon": 118.083, "hours": "07:00–19:00",
                        "services": ["matching", "guidance"]})),
        )
        .await;
    assert_eq!(s, 201, "{site}");
    let site_id = site["id"].as_str().unwrap_or_default().to_string();
    let employer = app.token(Role::Employer, "employer").await;
    let tomorrow = app.state.clock.now() + chrono::Duration::hours(8) + chrono::Duration::days(1);
    let (s, g) = app
        .call(
            "POST",
            "/api/v1/gig/demands",
            Some(&employer),
            Some(json!({"trade": "4-02-05-01", "title": "仓库搬运工", "district": OWN, "address": "中山路 1 号",
                        "site_id": site_id, "starts_at": format!("{}T08:00:00", tomorrow.date_naive()), "days": 1,
                        "hours_per_day": 8, "headcount": 3, "pay_unit": "day", "pay_fen": 20_000})),
        )
        .await;
    assert_eq!(s, 201, "{g}");
    let (s, k) = app
        .call(
            "POST",
            "/api/v1/arrears",
            Some(&seeker),
            Some(json!({"employer_name": "鹭岛装修队", "amount_fen": 360_000, "period_from": "2026-10-01",
                        "period_to": "2026-10-31", "evidence": "考勤记录"})),
        )
        .await;
    assert_eq!(s, 201, "{k}");
    let token = app
        .state
        .store
        .gig_site_by_id(uuid::Uuid::parse_str(&site_id).unwrap_or_default())
        .await
        .map(|s| s.checkin_token)
        .unwrap_or_default();
    Objects {
        claim: c["id"].as_str().unwrap_or_default().to_string(),
        programme: p["id"].as_str().unwrap_or_default().to_string(),
        provider_programme: q["id"].as_str().unwrap_or_default().to_string(),
        site: site_id,
        checkin_token: token,
        arrears: k["id"].as_str().unwrap_or_default().to_string(),
    }
}

fn concrete(path: &str, role: Option<Role>, app: &TestApp, o: &Objects) -> String {
    let policy = match role {
        Some(Role::Employer) => "internship_subsidy",
        Some(Role::Provider) => "third_party_service_per_served",
        _ => "yilubao_premium_subsidy",
    };
    let id = if path.starts_with("/vacancies/") || path.starts_with("/employer/vacancies/") {
        app.seed.vacancy_id.to_string()
    } else if path.starts_with("/staff/persons/") {
        app.seed.person_own.to_string()
    } else if path.starts_with("/staff/claims/") {
        o.claim.clone()
    } else if path.starts_with("/training/") && role == Some(Role::Provider) {
        o.provider_programme.clone()
    } else if path.starts_with("/training/") {
        o.programme.clone()
    } else if path.starts_with("/staff/arrears/") {
        o.arrears.clone()
    } else if path.starts_with("/gig/sites/") {
        o.site.clone()
    } else if path.starts_with("/admin/dashboard/") {
        // A computed indicator (its records) — the entry form is swept on the entered ones'
        // pages by the oversight tests.
        "new_employment".to_string()
    } else {
        policy.to_string()
    };
    path.replace("{id}", &id).replace("{token}", &o.checkin_token)
}

async fn sign_in(b: &Browser, app: &TestApp, role: Role, username: &str) {
    let (kind, identifier) = match role {
        Role::Seeker => ("seeker", app.seed.seeker_id_number.clone()),
        Role::Employer => ("employer", app.seed.employer_credit_code.clone()),
        _ => ("staff", username.to_string()),
    };
    b.goto(&app.url("/login")).await;
    b.click(&format!("#kind-{kind}")).await;
    b.fill("#identifier", &identifier).await;
    b.fill("#password", PASSWORD).await;
    b.click("#login-button").await;
    b.find("#logout").await;
}

/// What one look at a page found, as a JSON object (see the script).
const LOOK: &str = r#"
// The device's width, not the window's: a phone zooms out to fit what is too wide.
const w = __WIDTH__;
const out = {ct: document.contentType, over: document.documentElement.scrollWidth > w + 1, wide: [], untranslated: [],
             shown: (document.getElementById('error-message') || {}).textContent || null,
             header: Math.round((document.querySelector('header.top') || {getBoundingClientRect: () => ({height: 0})}).getBoundingClientRect().height)};
if (out.over) {
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && !el.closest('.table-wrap')) {
      out.wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
        ' (' + Math.round(r.right) + 'px)');
      if (out.wide.length >= 4) break;
    }
  }
}
if (document.documentElement.lang === 'en') {
  const cjk = /[\u3400-\u9fff]/;
  const data = (el) => el && el.closest('[lang^=zh],[translate=no],script,style');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode()) && out.untranslated.length < 6) {
    const t = n.textContent.trim();
    if (cjk.test(t) && !data(n.parentElement)) out.untranslated.push(t.slice(0, 40));
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],input[type=submit][value]')) {
    for (const a of ['placeholder', 'aria-label', 'title', 'value']) {
      const v = el.getAttribute(a);
      if (v && cjk.test(v) && !data(el) && (a !== 'value' || el.type === 'submit')) out.untranslated.push(a + '=' + v.slice(0, 30));
    }
  }
}
return out;
"#;

const AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
  .catch(e => done(['axe failed: ' + e]));
"#;

#[tokio::test(flavor = "multi_thread")]
async fn every_page_of_every_role_on_a_phone_and_a_desk_in_both_languages() {
    let app = sqlite_app().await;
    let o = objects(&app).await;
    let axe = axe_source();
    let actors: [(&str, Option<Role>, &str); 7] = [
        ("visitor", None, ""),
        ("seeker", Some(Role::Seeker), "seeker"),
        ("employer", Some(Role::Employer), "employer"),
        ("caseworker", Some(Role::Caseworker), "cw.own"),
        ("district admin", Some(Role::DistrictAdmin), "dadmin.own"),
        ("city admin", Some(Role::CityAdmin), "city"),
        ("provider", Some(Role::Provider), "org.sweep"),
    ];
    let pages: Vec<&str> = ROUTES
        .iter()
        .filter(|r| {
            r.kind == Kind::Page && r.method == "GET" && !r.path.starts_with("/static") && r.path != "/settings"
                // A board's event stream and the list it fetches are parts of its page, not pages.
                && !r.path.ends_with("/events")
                && !r.path.ends_with("/list")
        })
        .map(|r| r.path)
        .collect();
    let mut failures: Vec<String> = Vec::new();
    let mut looked = 0;
    for (label, role, username) in actors {
        let b = Browser::start().await;
        if let Some(r) = role {
            sign_in(&b, &app, r, username).await;
        }
        for (lang, large) in [("zh", "0"), ("en", "1"), ("en", "0"), ("zh", "1")] {
            b.goto(&app.url(&format!("/settings?lang={lang}&large={large}&back=/"))).await;
            for width in [1280, 390] {
                b.phone_viewport(width, if width == 390 { 844 } else { 900 }).await;
                for path in &pages {
                    let spec = ROUTES.iter().find(|r| r.path == *path && r.method == "GET").expect("route");
                    let allowed = match role {
                        Some(r) => allows(r, spec.permission),
                        None => spec.permission == jiuye_domain::roles::Permission::Public,
                    };
                    if !allowed
                        || (role.is_some()
                            && matches!(*path, "/login" | "/register" | "/register/employer" | "/activate"))
                    {
                        continue;
                    }
                    let url = concrete(path, role, &app, &o);
                    b.goto(&app.url(&url)).await;
                    let v: Value = b.execute(&LOOK.replace("__WIDTH__", &width.to_string())).await;
                    looked += 1;
                    let at = format!("{label} {url} [{lang} {width}px{}]", if large == "1" { " large" } else { "" });
                    if v["ct"] != "text/html" {
                        failures.push(format!("{at}: not a page ({})", v["ct"]));
                        continue;
                    }
                    if let Some(e) = v["shown"].as_str() {
                        failures.push(format!("{at}: an error page: {e}"));
                    }
                    // On a phone the header folds its menu behind a button: at most a sixth of the screen.
                    if width == 390 && v["header"].as_u64().unwrap_or(0) > 844 / 6 {
                        failures.push(format!("{at}: the header takes {} of 844 px", v["header"]));
                    }
                    if v["over"] == true {
                        failures.push(format!("{at}: scrolls sideways: {}", v["wide"]));
                    }
                    if v["untranslated"].as_array().is_some_and(|a| !a.is_empty()) {
                        failures.push(format!("{at}: untranslated: {}", v["untranslated"]));
                    }
                    // axe on two of the four variants: the desk in Chinese, the phone in English with
                    // large text.
                    if (lang, large, width) == ("zh", "0", 1280) || (lang, large, width) == ("en", "1", 390) {
                        if b.execute("return typeof axe").await != "object" {
                            b.execute(&axe).await;
                        }
                        let violations = b.execute_async(AXE).await;
                        if let Some(list) = violations.as_array().filter(|a| !a.is_empty()) {
                            failures.push(format!("{at}: axe: {}", Value::Array(list.clone())));
                        }
                    }
                }
            }
        }
        b.quit().await;
    }
    assert!(looked > 200, "looked at {looked} pages");
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{} problems in {looked} page views:\n{}", failures.len(), failures.join("\n"));
}
