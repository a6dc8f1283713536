//! Page behaviour: post, redirect, get with a confirmation; a confirmation step before what
//! cannot be undone; a refused form comes back as its page with the problems, never a bare
//! status page.

use serde_json::json;

use crate::support::{apps, browser};
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
        let html = cw.get(app.url(&to)).send().await.expect("get").text().await.unwrap_or_default();
        assert!(html.contains("已记录联系"), "{b}: the confirmation is said");
    }
}
