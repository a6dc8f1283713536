//! Web security headers on every kind of response, `no-store` wherever personal data may be,
//! the CSRF cookie `Secure` behind TLS, and `/metrics` only for the loopback or the token.

use jiuye_domain::roles::Role;

use crate::support::{browser, spawn_custom, sqlite_app};

const TOKEN: &str = "metrics-token-0123456789";

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = sqlite_app().await;
    let (city, _) = browser(&app, Some((Role::CityAdmin, "city"))).await;
    let pid = app.seed.person_own;
    let vid = app.seed.vacancy_id;
    // (what, path, signed in, may be cached)
    let probes = [
        ("home page", "/".to_string(), false, false),
        ("search page", "/vacancies?q=电工".to_string(), false, false),
        ("a vacancy", format!("/vacancies/{vid}"), false, false),
        ("login page", "/login".to_string(), false, false),
        ("API search", "/api/v1/vacancies?q=电工".to_string(), false, false),
        ("a person's page", format!("/staff/persons/{pid}"), true, false),
        ("a person by API", format!("/api/v1/persons/{pid}"), true, false),
        ("the full ID number", format!("/api/v1/persons/{pid}/national-id"), true, false),
        ("an error page", "/no/such/page".to_string(), false, false),
        ("an API error", "/api/v1/persons/00000000-0000-0000-0000-000000000000".to_string(), true, false),
        ("the OpenAPI document", "/api/openapi.json".to_string(), false, false),
        ("a static file", "/static/app.css".to_string(), false, true),
    ];
    for (what, path, signed_in, cacheable) in probes {
        let client = if signed_in { &city } else { &app.http };
        let r = client.get(app.url(&path)).send().await.expect("request");
        assert!(r.status().as_u16() < 500, "{what}: {}", r.status());
        let csp = header(&r, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP {csp:?}");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{what}: no inline script: {csp}");
        assert_eq!(header(&r, "x-frame-options"), "DENY", "{what}");
        assert_eq!(header(&r, "x-content-type-options"), "nosniff", "{what}");
        assert_eq!(header(&r, "referrer-policy"), "no-referrer", "{what}");
        if cacheable {
            assert_ne!(header(&r, "cache-control"), "no-store", "{what}: static files may be cached");
        } else {
            assert_eq!(header(&r, "cache-control"), "no-store", "{what}");
        }
        assert!(header(&r, "strict-transport-security").is_empty(), "{what}: no HSTS without TLS");
    }
    // Our pages need no inline script: none is served.
    let html = app.http.get(app.url("/")).send().await.expect("home").text().await.unwrap_or_default();
    assert!(!html.contains("<script>") && !html.contains(" onclick="), "inline script on the home page");
    // Metrics from the loopback interface (the test client) are served.
    let r = app.http.get(app.url("/metrics")).send().await.expect("metrics");
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_tls_cookies_are_secure_and_metrics_need_the_token() {
    let store = jiuye_store::testing::fresh_sqlite().await.expect("sqlite");
    let app = spawn_custom("sqlite", store, |s| {
        s.secure_cookies = true;
        s.metrics =
            std::sync::Arc::new(jiuye_web::ops::MetricsAccess { loopback: false, token: Some(TOKEN.to_string()) });
    })
    .await;
    let r = app.http.get(app.url("/login")).send().await.expect("login page");
    let cookies: Vec<String> =
        r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
    let csrf = cookies.iter().find(|c| c.starts_with("jiuye_csrf=")).cloned().unwrap_or_default();
    assert!(csrf.contains("; Secure") && csrf.contains("HttpOnly"), "the CSRF cookie: {csrf:?}");
    assert!(header(&r, "strict-transport-security").starts_with("max-age="), "HSTS behind TLS");
    let r = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"kind": "staff", "identifier": "city", "password": crate::support::PASSWORD}))
        .send()
        .await
        .expect("login");
    let session =
        r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).any(|c| c.contains("; Secure"));
    assert!(session, "the session cookie is Secure");
    let r = app.http.get(app.url("/metrics")).send().await.expect("metrics");
    assert_eq!(r.status(), 403, "no token, loopback refused by configuration");
    let r = app.http.get(app.url("/metrics")).bearer_auth("metrics-token-wrong-0000000").send().await.expect("metrics");
    assert_eq!(r.status(), 403, "a wrong token");
    let r = app.http.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.expect("metrics");
    assert_eq!(r.status(), 200, "the operations token");
    assert!(r.text().await.unwrap_or_default().contains("jiuye_http_requests_total"), "the metrics");
}

/// Behind a reverse proxy: `X-Forwarded-For` names the client only when a trusted proxy sent
/// it, read from the right; otherwise a client cannot claim another address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_client_is_who_it_forwards_for() {
    use jiuye_web::proxy::TrustedProxies;
    let ip = |s: &str| s.parse::<std::net::IpAddr>().ok();
    // (trusted, peer, X-Forwarded-For, the client)
    let cases: &[(&[&str], &str, Option<&str>, &str)] = &[
        (&[], "203.0.113.7", Some("198.51.100.1"), "203.0.113.7"),
        (&["10.0.0.0/8"], "10.1.2.3", Some("198.51.100.1"), "198.51.100.1"),
        (&["10.0.0.0/8"], "10.1.2.3", Some("6.6.6.6, 198.51.100.1"), "198.51.100.1"),
        (&["10.0.0.0/8"], "10.1.2.3", Some("198.51.100.1, 10.9.9.9"), "198.51.100.1"),
        (&["10.0.0.0/8"], "10.1.2.3", None, "10.1.2.3"),
        (&["10.0.0.0/8"], "10.1.2.3", Some("not-an-address"), "10.1.2.3"),
        (&["10.0.0.0/8"], "192.0.2.1", Some("198.51.100.1"), "192.0.2.1"),
        (&["127.0.0.1", "::1"], "::1", Some("2001:db8::5"), "2001:db8::5"),
    ];
    for (trusted, peer, forwarded, client) in cases {
        let proxies = TrustedProxies::parse(&trusted.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut headers = axum::http::HeaderMap::new();
        if let Some(f) = forwarded {
            headers.insert("x-forwarded-for", f.parse().unwrap_or_else(|e| panic!("{e}")));
        }
        assert_eq!(proxies.client(ip(peer), &headers), ip(client), "{trusted:?} {peer} {forwarded:?}");
    }
    assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err(), "a bad network is refused");

    // Served behind a proxy on the loopback interface: the throttle counts each forwarded client.
    let store = jiuye_store::testing::fresh_sqlite().await.expect("sqlite");
    let app = spawn_custom("sqlite", store, |s| {
        s.proxies = std::sync::Arc::new(TrustedProxies::parse(&["127.0.0.1".into(), "::1".into()]).unwrap_or_default());
    })
    .await;
    let login = |who: &'static str, forwarded: &'static str| {
        let body = serde_json::json!({"kind": "staff", "identifier": who, "password": "wrong-password-1"});
        app.http.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", forwarded).json(&body).send()
    };
    let mut last = 0;
    for _ in 0..25 {
        last = login("nobody", "203.0.113.1").await.expect("login").status().as_u16();
    }
    assert_eq!(last, 429, "one client's many attempts are throttled");
    let body = serde_json::json!({"kind": "staff", "identifier": "city", "password": crate::support::PASSWORD});
    let other = app.http.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", "203.0.113.2").json(&body);
    assert_eq!(other.send().await.expect("login").status(), 200, "another client behind the same proxy is not");
    // /metrics: the proxy itself may read it; a client it forwards for may not.
    let r = app.http.get(app.url("/metrics")).send().await.expect("metrics");
    assert_eq!(r.status(), 200, "from the loopback interface");
    let r = app.http.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.2").send().await.expect("metrics");
    assert_eq!(r.status(), 403, "forwarded for a client elsewhere");

    // Without a trusted proxy the header is ignored: a client cannot escape the throttle by it.
    let app = crate::support::sqlite_app().await;
    let mut last = 0;
    for i in 0..25 {
        let body = serde_json::json!({"kind": "staff", "identifier": "nobody", "password": "wrong-password-1"});
        let forwarded = format!("198.51.100.{i}");
        let r = app.http.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", forwarded).json(&body).send();
        last = r.await.expect("login").status().as_u16();
    }
    assert_eq!(last, 429, "X-Forwarded-For from an untrusted peer changes nothing");
}
