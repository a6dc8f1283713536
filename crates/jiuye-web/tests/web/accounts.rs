//! Accounts that tell strangers nothing, on both backends: sign-in answers and lockouts the
//! same for numbers on file and not; password change and signing out everywhere; opening a
//! desk-registered person's online account with a one-time code.

use serde_json::{Value, json};

use crate::support::{OWN, PASSWORD, apps, code, fresh_national_id, person_body};
use jiuye_domain::roles::Role;

fn login(kind: &str, identifier: &str, password: &str) -> Value {
    json!({"kind": kind, "identifier": identifier, "password": password})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_tells_nobody_who_exists() {
    for app in apps().await {
        let b = app.backend;
        let known = app.seed.seeker_id_number.clone();
        let unknown = fresh_national_id(501);
        // A wrong password and an unknown number: the same answer.
        let (s1, e1) =
            app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &known, "wrong-pass-1"))).await;
        let (s2, e2) =
            app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &unknown, "wrong-pass-1"))).await;
        assert_eq!((s1, &e1), (s2, &e2), "{b}: the same answer for a number on file and one that is not");
        assert_eq!((s1, code(&e1)), (422, "auth.bad_credentials"), "{b}");
        // Both lock after the same number of failures, with the same answer.
        for id in [&known, &unknown] {
            let mut last = (0, Value::Null);
            for _ in 0..jiuye_web::auth::LOCK_AFTER - 1 {
                last = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", id, "wrong-pass-2"))).await;
            }
            assert_eq!((last.0, code(&last.1)), (423, "auth.locked"), "{b}: the fifth failure locks");
            let (s, e) = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", id, PASSWORD))).await;
            assert_eq!((s, code(&e)), (423, "auth.locked"), "{b}: locked, even with the right password");
        }
        // After the lock, the right password works again.
        app.clock.advance(chrono::Duration::minutes(jiuye_web::auth::LOCK_MINUTES + 1));
        let (s, _) = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &known, PASSWORD))).await;
        assert_eq!(s, 200, "{b}: unlocked after 15 minutes");

        // A closed account: strangers get the wrong-password answer; only its holder learns more.
        let city = app.token(Role::CityAdmin, "city").await;
        let account =
            app.seed.accounts.iter().find(|(_, u, _)| u == "cw.other").map(|(_, _, id)| *id).expect("account");
        let (s, e) = app
            .call("POST", &format!("/api/v1/accounts/{account}/active"), Some(&city), Some(json!({"active": false})))
            .await;
        assert_eq!(s, 200, "{b}: {e}");
        let (s, e) =
            app.call("POST", "/api/v1/auth/login", None, Some(login("staff", "cw.other", "wrong-pass-3"))).await;
        assert_eq!((s, code(&e)), (422, "auth.bad_credentials"), "{b}: a closed account looks like any wrong password");
        let (s, e) = app.call("POST", "/api/v1/auth/login", None, Some(login("staff", "cw.other", PASSWORD))).await;
        assert_eq!((s, code(&e)), (409, "auth.inactive"), "{b}: the holder learns it is closed");
        // Every attempt was audited, the unknown ones without an account.
        let (_, audit) = app.call("GET", "/api/v1/audit?action=login.", Some(&city), None).await;
        let actions: Vec<&str> =
            audit["items"].as_array().into_iter().flatten().filter_map(|r| r["action"].as_str()).collect();
        for a in ["login.unknown", "login.failure", "login.locked", "login.inactive"] {
            assert!(actions.contains(&a), "{b}: {a} audited: {actions:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_and_signing_out_everywhere() {
    for app in apps().await {
        let b = app.backend;
        let id = app.seed.seeker_id_number.clone();
        let first = app.token(Role::Seeker, "seeker").await;
        let second = app.token(Role::Seeker, "seeker").await;
        let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
        let (s, e) =
            app.call("PUT", "/api/v1/me/password", Some(&first), Some(change("not-my-pass", "new-pass-2026"))).await;
        assert_eq!(
            (s, code(&e), e["error"]["field"].as_str()),
            (422, "auth.current_password", Some("current_password")),
            "{b}"
        );
        let (s, e) = app.call("PUT", "/api/v1/me/password", Some(&first), Some(change(PASSWORD, "12345678"))).await;
        assert_eq!((s, code(&e)), (422, "password.all_digits"), "{b}: the rules hold");
        let (s, _) =
            app.call("PUT", "/api/v1/me/password", Some(&first), Some(change(PASSWORD, "new-pass-2026"))).await;
        assert_eq!(s, 204, "{b}");
        let (s, _) = app.call("GET", "/api/v1/me", Some(&first), None).await;
        assert_eq!(s, 200, "{b}: the session that changed it stays");
        let (s, _) = app.call("GET", "/api/v1/me", Some(&second), None).await;
        assert_eq!(s, 401, "{b}: every other session ended");
        let (s, _) = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &id, PASSWORD))).await;
        assert_eq!(s, 422, "{b}: the old password no longer works");
        let (s, l) = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &id, "new-pass-2026"))).await;
        assert_eq!(s, 200, "{b}: the new one does");
        let third = l["token"].as_str().unwrap_or_default().to_string();
        // Signing out everywhere ends this session and every other.
        let (s, _) = app.call("POST", "/api/v1/me/sessions/end", Some(&first), None).await;
        assert_eq!(s, 204, "{b}");
        for t in [&first, &third] {
            let (s, _) = app.call("GET", "/api/v1/me", Some(t), None).await;
            assert_eq!(s, 401, "{b}: signed out everywhere");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_registered_person_opens_their_account_with_a_code() {
    for app in apps().await {
        let b = app.backend;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        let other = app.token(Role::Caseworker, "cw.other").await;
        let id = fresh_national_id(511);
        let (s, p) = app.call("POST", "/api/v1/persons", Some(&cw), Some(person_body(&id, OWN))).await;
        assert_eq!(s, 201, "{b}: {p}");
        let pid = p["id"].as_str().unwrap_or_default().to_string();
        // Registering online now: the same answer as anyone gets, and no account is made.
        let (s, r) = app
            .call(
                "POST",
                "/api/v1/auth/register/seeker",
                None,
                Some(json!({"person": person_body(&id, OWN), "password": "self-chosen-1"})),
            )
            .await;
        assert_eq!((s, r["next"].as_str()), (202, Some("sign_in")), "{b}: {r}");
        let (s, _) = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &id, "self-chosen-1"))).await;
        assert_eq!(s, 422, "{b}: a stranger's registration opened nothing");
        // Another district cannot issue a code; the person's own district can.
        let path = format!("/api/v1/persons/{pid}/activation-code");
        let (s, _) = app.call("POST", &path, Some(&other), None).await;
        assert_eq!(s, 404, "{b}: another district");
        let (s, c) = app.call("POST", &path, Some(&cw), None).await;
        assert_eq!(s, 201, "{b}: {c}");
        let first_code = c["code"].as_str().unwrap_or_default().to_string();
        let (s, c) = app.call("POST", &path, Some(&cw), None).await;
        assert_eq!(s, 201, "{b}: a new code");
        let code_text = c["code"].as_str().unwrap_or_default().to_string();
        assert_eq!(code_text.len(), 11, "{b}: {code_text}");
        let activate =
            |number: &str, code: &str| json!({"national_id": number, "code": code, "password": "my-own-pass-1"});
        // Every failure is the same refusal: an old code, a wrong one, another person's number.
        for (what, number, code_given) in [
            ("the replaced code", id.as_str(), first_code.as_str()),
            ("a wrong code", id.as_str(), "ABCDE-FGHJK"),
            ("another number", app.seed.seeker_id_number.as_str(), code_text.as_str()),
        ] {
            let (s, e) = app.call("POST", "/api/v1/auth/activate", None, Some(activate(number, code_given))).await;
            assert_eq!((s, code(&e)), (409, "auth.activation_invalid"), "{b}: {what}: {e}");
        }
        // Typed in lower case and without the dash, the right code works — once.
        let typed = code_text.replace('-', "").to_lowercase();
        let (s, a) = app.call("POST", "/api/v1/auth/activate", None, Some(activate(&id, &typed))).await;
        assert_eq!((s, a["role"].as_str()), (201, Some("seeker")), "{b}: {a}");
        let (s, e) = app.call("POST", "/api/v1/auth/activate", None, Some(activate(&id, &code_text))).await;
        assert_eq!((s, code(&e)), (409, "auth.activation_invalid"), "{b}: used once");
        let (s, _) = app.call("POST", "/api/v1/auth/login", None, Some(login("seeker", &id, "my-own-pass-1"))).await;
        assert_eq!(s, 200, "{b}: the person signs in");
        let (s, e) = app.call("POST", &path, Some(&cw), None).await;
        assert_eq!((s, code(&e)), (409, "account.exists"), "{b}: no code for someone with an account");

        // Codes expire.
        let id2 = fresh_national_id(512);
        let (_, p2) = app.call("POST", "/api/v1/persons", Some(&cw), Some(person_body(&id2, OWN))).await;
        let pid2 = p2["id"].as_str().unwrap_or_default();
        let (_, c2) = app.call("POST", &format!("/api/v1/persons/{pid2}/activation-code"), Some(&cw), None).await;
        app.clock.advance(chrono::Duration::days(jiuye_web::api::session::ACTIVATION_DAYS + 1));
        let code2 = c2["code"].as_str().unwrap_or_default();
        let (s, e) = app.call("POST", "/api/v1/auth/activate", None, Some(activate(&id2, code2))).await;
        assert_eq!((s, code(&e)), (409, "auth.activation_invalid"), "{b}: expired");

        // Issuing and using codes are audited; the code itself is in no audit row.
        let city = app.token(Role::CityAdmin, "city").await;
        let (_, audit) = app.call("GET", &format!("/api/v1/audit?target={pid}"), Some(&city), None).await;
        let text = audit.to_string();
        assert!(text.contains("person.activation_code") && text.contains("person.activate"), "{b}: {text}");
        assert!(!text.contains(&code_text), "{b}: no code in the audit log");
    }
}
