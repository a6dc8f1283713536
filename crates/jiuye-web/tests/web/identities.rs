//! Everyone can register: a Taiwan compatriot, a Hong Kong resident born 1985, a foreign
//! permanent resident (2023 card), a passport holder and a 思明 resident born 1966 each register,
//! sign in, search, apply and claim a subsidy as a mainland resident does — on both backends.

use serde_json::{Value, json};

use crate::support::{OWN, TestApp, apps, code, publish};
use jiuye_domain::codes::NationalId;
use jiuye_domain::roles::Role;

/// 17 digits and their MOD 11-2 check character.
pub fn gb(first17: &str) -> String {
    format!("{first17}{}", NationalId::check_char(first17).unwrap_or('0'))
}

/// Who registers: how they are identified, how they sign in, what the records must say.
struct Newcomer {
    label: &'static str,
    person: Value,
    /// What they type to sign in: the number, and for a passport its kind and nationality.
    login: Value,
    kind: &'static str,
    groups: &'static [&'static str],
    birth_year: i64,
}

fn body(identity: Option<Value>, national_id: Option<&str>, mobile: &str, origin: &str, extra: Value) -> Value {
    let mut p = json!({
        "name": "测试新人",
        "mobile": mobile,
        "district": OWN,
        "household_origin": origin,
        "education": "20",
        "key_groups": ["taiwan_compatriot", "foreigner"],
        "wanted_occupations": ["6-31-01-03"],
        "wanted_salary_min": 5000
    });
    if let Some(i) = identity {
        p["identity"] = i;
    }
    if let Some(n) = national_id {
        p["national_id"] = json!(n);
    }
    if let Some(obj) = extra.as_object() {
        for (k, v) in obj {
            p[k] = v.clone();
        }
    }
    p
}

fn newcomers() -> Vec<Newcomer> {
    let taiwan = gb("83000019900101002");
    let hong_kong = gb("81000019850101124");
    let permanent = gb("93564319880315001");
    let old_siming = gb("35020319660505123");
    vec![
        Newcomer {
            label: "a Taiwan compatriot (居住证)",
            person: body(
                Some(json!({"kind": "taiwan_residence_permit", "number": taiwan})),
                None,
                "+886 912 345 678",
                "710000",
                json!({}),
            ),
            login: json!({"identifier": taiwan}),
            kind: "taiwan_residence_permit",
            groups: &["taiwan_compatriot"],
            birth_year: 1990,
        },
        Newcomer {
            label: "a Hong Kong resident born 1985",
            person: body(
                Some(json!({"kind": "hkmo_residence_permit", "number": hong_kong})),
                None,
                "+852 9123 4567",
                "810000",
                json!({}),
            ),
            login: json!({"identifier": hong_kong}),
            kind: "hkmo_residence_permit",
            groups: &["hkmo_resident"],
            birth_year: 1985,
        },
        Newcomer {
            label: "a foreign permanent resident (2023 card)",
            // An older client sends the number as `national_id`: recognised as what it is.
            person: body(None, Some(&permanent), "+7 912 345 67 89", "350000", json!({})),
            login: json!({"identifier": permanent}),
            kind: "foreign_permanent_residence",
            groups: &["foreigner"],
            birth_year: 1988,
        },
        Newcomer {
            label: "a foreign worker on a passport",
            person: body(
                Some(json!({"kind": "passport", "number": "E12345678", "nationality": "BRA"})),
                None,
                "+55 11 91234-5678",
                "350000",
                json!({"birth_date": "1992-07-09", "sex": "female"}),
            ),
            login: json!({"identifier": "E12345678", "document_kind": "passport", "nationality": "BRA"}),
            kind: "passport",
            groups: &["foreigner"],
            birth_year: 1992,
        },
        Newcomer {
            label: "a 思明 resident born 1966 (350203 exists since 1983)",
            person: body(None, Some(&old_siming), "13912345678", "350000", json!({"key_groups": []})),
            login: json!({"identifier": old_siming}),
            kind: "resident_id",
            groups: &[],
            birth_year: 1966,
        },
    ]
}

async fn journey(app: &TestApp, n: &Newcomer, cw: &str) {
    let b = app.backend;
    let who = n.label;
    let password = "newcomer-pass-2026";
    let (s, r) = app
        .call("POST", "/api/v1/auth/register/seeker", None, Some(json!({"person": n.person, "password": password})))
        .await;
    assert_eq!(s, 202, "{b}: {who}: {r}");
    let mut login = n.login.clone();
    login["kind"] = json!("seeker");
    login["password"] = json!(password);
    let (s, l) = app.call("POST", "/api/v1/auth/login", None, Some(login)).await;
    assert_eq!(s, 200, "{b}: {who}: sign in: {l}");
    let token = l["token"].as_str().unwrap_or_default().to_string();
    // The record: the document's kind, the number masked, the groups the document gives (and
    // none ticked by hand that only a document can give).
    let (s, me) = app.call("GET", "/api/v1/me/profile", Some(&token), None).await;
    assert_eq!(s, 200, "{b}: {who}: {me}");
    assert_eq!(me["identity"]["kind"], n.kind, "{b}: {who}: {me}");
    assert!(me["identity"]["number"].as_str().is_some_and(|m| m.contains('*')), "{b}: {who}: masked");
    assert_eq!(me["birth_year"], n.birth_year, "{b}: {who}");
    let groups: Vec<&str> =
        me["key_groups"].as_array().into_iter().flatten().filter_map(|g| g["code"].as_str()).collect();
    for g in ["taiwan_compatriot", "hkmo_resident", "foreigner"] {
        assert_eq!(groups.contains(&g), n.groups.contains(&g), "{b}: {who}: {g} from the document only: {groups:?}");
    }
    // Search and apply.
    let (s, found) = app.call("GET", "/api/v1/vacancies?q=电工&limit=5", None, None).await;
    assert_eq!(s, 200, "{b}: {who}: {found}");
    let vid = app.seed.vacancy_id;
    let (s, a) = app.call("POST", &format!("/api/v1/vacancies/{vid}/apply"), Some(&token), Some(json!({}))).await;
    assert_eq!(s, 201, "{b}: {who}: apply: {a}");
    // A caseworker finds them by their document and records their flexible work at the desk.
    let mut lookup = json!({"national_id": n.login["identifier"]});
    if let Some(k) = n.login.get("document_kind") {
        lookup["kind"] = k.clone();
        lookup["nationality"] = n.login["nationality"].clone();
    }
    let (s, p) = app.call("POST", "/api/v1/persons/lookup", Some(cw), Some(lookup)).await;
    assert_eq!(s, 200, "{b}: {who}: lookup: {p}");
    let pid = p["id"].as_str().unwrap_or_default();
    let (s, e) = app
        .call(
            "POST",
            &format!("/api/v1/persons/{pid}/employments"),
            Some(cw),
            Some(json!({"form": "flexible", "started_on": "2025-03-01"})),
        )
        .await;
    assert_eq!(s, 201, "{b}: {who}: employment: {e}");
    // And they claim the Yilubao premium subsidy as anyone does.
    let (s, c) = app
        .call(
            "POST",
            "/api/v1/claims",
            Some(&token),
            Some(json!({"policy": "yilubao_premium_subsidy", "date": "2025-06-01",
                        "facts": {"yilubao_premium_fen": 19_900}})),
        )
        .await;
    assert_eq!((s, c["amount_fen"].as_i64()), (201, Some(9_950)), "{b}: {who}: claim: {c}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyone_registers_signs_in_applies_and_claims() {
    for app in apps().await {
        let city = app.token(Role::CityAdmin, "city").await;
        publish(&app, &city, "yilubao_premium_subsidy").await;
        let cw = app.token(Role::Caseworker, "cw.own").await;
        for n in newcomers() {
            journey(&app, &n, &cw).await;
        }
        // The 2017 card of the permanent resident links to the same person: either number finds
        // them, and signs them in; a card of someone born on another day is refused.
        let b = app.backend;
        let (_, p) = app
            .call("POST", "/api/v1/persons/lookup", Some(&cw), Some(json!({"national_id": gb("93564319880315001")})))
            .await;
        let pid = p["id"].as_str().unwrap_or_default().to_string();
        let link = |number: &str| json!({"identity": {"kind": "foreign_permanent_residence", "number": number}});
        let (s, e) = app
            .call("POST", &format!("/api/v1/persons/{pid}/identities"), Some(&cw), Some(link("RUS358801150012")))
            .await;
        assert_eq!((s, code(&e)), (422, "identity.other_holder"), "{b}: born 1988-01-15, not 03-15: {e}");
        let (s, e) = app
            .call("POST", &format!("/api/v1/persons/{pid}/identities"), Some(&cw), Some(link("RUS358803150012")))
            .await;
        assert_eq!(s, 204, "{b}: {e}");
        let (s, q) = app
            .call("POST", "/api/v1/persons/lookup", Some(&cw), Some(json!({"national_id": "RUS358803150012"})))
            .await;
        assert_eq!((s, q["id"].as_str()), (200, Some(pid.as_str())), "{b}: found by the old card: {q}");
        let (s, _) = app
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"kind": "seeker", "identifier": "RUS358803150012", "password": "newcomer-pass-2026"})),
            )
            .await;
        assert_eq!(s, 422, "{b}: the account's sign-in key is the number it was opened with");
        let (s, e) = app
            .call(
                "POST",
                &format!("/api/v1/persons/{}/identities", app.seed.person_own),
                Some(&cw),
                Some(link("RUS358803150012")),
            )
            .await;
        assert!(s == 409 || s == 422, "{b}: another person cannot hold it: {s} {e}");
        // Refused documents say why, with the field named.
        for (identity, field, want) in [
            (
                json!({"kind": "passport", "number": "E12345678"}),
                "identity.nationality",
                "identity.nationality_required",
            ),
            (json!({"kind": "passport", "number": "E1", "nationality": "USA"}), "identity.number", "identity.format"),
            (json!({"kind": "residence_card", "number": "1"}), "identity.kind", "identity.kind"),
            (
                json!({"kind": "hkmo_residence_permit", "number": gb("83000019900101002")}),
                "identity.number",
                "identity.permit_region",
            ),
        ] {
            let person = body(Some(identity), None, "13912345678", "350000", json!({}));
            let (s, e) = app.call("POST", "/api/v1/persons", Some(&cw), Some(person)).await;
            assert_eq!((s, code(&e), e["error"]["field"].as_str()), (422, want, Some(field)), "{b}: {e}");
        }
        // A passport without a stated birth date and sex: both asked for, at once.
        let person = body(
            Some(json!({"kind": "passport", "number": "X7654321", "nationality": "IND"})),
            None,
            "13912345678",
            "350000",
            json!({}),
        );
        let (s, e) = app.call("POST", "/api/v1/persons", Some(&cw), Some(person)).await;
        let fields: Vec<&str> =
            e["error"]["details"].as_array().into_iter().flatten().filter_map(|d| d["field"].as_str()).collect();
        assert_eq!(s, 422, "{b}: {e}");
        assert!(fields.contains(&"birth_date") && fields.contains(&"sex"), "{b}: {fields:?}");
    }
}
