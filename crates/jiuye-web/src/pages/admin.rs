//! Administration: accounts (city admin: all; district admin: their caseworkers) and the audit log.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use jiuye_domain::roles::Role;
use jiuye_store::{AccountSearch, ListOrder};

use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, district_options, messages_of, options, render};
use crate::AppState;
use crate::api::accounts::{AccountIn, create_staff, set_active_of};
use crate::api::wire::AccountOut;
use crate::api::{Paging, Query};
use crate::auth::Viewer;
use crate::csrf;

pub struct UserRow {
    pub a: AccountOut,
    pub role_label: String,
    /// The viewer may deactivate or reactivate it (not their own).
    pub may_toggle: bool,
}

/// The kinds of account the users page shows apart.
const KINDS: [(&str, &[Role]); 3] = [
    ("staff", &[Role::Provider, Role::Caseworker, Role::DistrictAdmin, Role::CityAdmin]),
    ("seeker", &[Role::Seeker]),
    ("employer", &[Role::Employer]),
];

#[derive(Template)]
#[template(path = "users.html")]
struct Users {
    c: Chrome,
    rows: Vec<UserRow>,
    kinds: Vec<Opt>,
    text: String,
    sizes: Vec<Opt>,
    sorts: Vec<Opt>,
    pager: super::list::Pager,
    roles: Vec<Opt>,
    districts: Vec<Opt>,
    notice: Option<String>,
    errors: super::form::FormErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct UsersQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    q: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    sort: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    page: Option<u64>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    size: Option<u64>,
    /// A done action's key, said once on the page.
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    done: Option<String>,
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    q: &UsersQuery,
    errors: super::form::FormErrors,
) -> PageResult {
    let me = viewer.account.as_ref();
    let ctx = state.ctx(viewer);
    let district = jiuye_core::lists::accounts_district(&ctx, None).map_err(crate::error::ApiError::from).or_page(t)?;
    let kind = KINDS.iter().find(|(k, _)| Some(*k) == q.kind.as_deref()).unwrap_or(&KINDS[0]);
    let size = super::list::page_size(q.size);
    let page = q.page.unwrap_or(1).max(1);
    let search = AccountSearch { roles: kind.1.to_vec(), district: district.clone(), text: q.q.clone() };
    let offset = super::list::offset_of(page, size);
    const ORDERS: [ListOrder; 2] = [ListOrder::Newest, ListOrder::Name];
    let order = ListOrder::pick(q.sort.as_deref(), &ORDERS);
    let (accounts, total) = state.store.search_accounts(&search, order, offset, size).await.or_page(t)?;
    let mut base = form_urlencoded::Serializer::new(String::new());
    base.append_pair("kind", kind.0);
    if let Some(text) = q.q.as_deref() {
        base.append_pair("q", text);
    }
    base.append_pair("sort", order.as_str());
    base.append_pair("size", &size.to_string());
    let sorts = options(
        ORDERS.iter().map(|o| (o.as_str(), t.t(&format!("ui.list.order.{}", o.as_str())))),
        &[order.as_str().to_string()],
    );
    let pager = super::list::Pager::new(t, "/admin/users", &base.finish(), page, size, total);
    let creatable = jiuye_core::lists::roles_openable(&ctx);
    // A district administrator opens accounts in their own district only: offer only that.
    let districts = match &district {
        Some(d) => vec![Opt { value: d.clone(), label: t.region(d), selected: true }],
        None => district_options(t, &me.and_then(|a| a.district.clone()).into_iter().collect::<Vec<_>>()),
    };
    let notice = super::done_notice(t, q.done.as_deref());
    Ok(render(&Users {
        c: Chrome::new(t, viewer, "/admin/users"),
        rows: accounts
            .iter()
            .map(|a| UserRow {
                a: AccountOut::from(a),
                role_label: t.t(&a.role.label_key()),
                may_toggle: Some(a.id) != me.map(|m| m.id),
            })
            .collect(),
        kinds: KINDS
            .iter()
            .map(|(k, _)| Opt {
                value: k.to_string(),
                label: t.t(&format!("ui.users.kind.{k}")),
                selected: *k == kind.0,
            })
            .collect(),
        text: q.q.clone().unwrap_or_default(),
        sizes: super::list::size_options(size),
        sorts,
        pager,
        roles: options(creatable.iter().map(|r| (r.as_str(), t.t(&r.label_key()))), &[]),
        districts,
        notice,
        errors,
    }))
}

pub async fn users(State(state): State<AppState>, viewer: Viewer, t: Tr, Query(q): Query<UsersQuery>) -> PageResult {
    users_page(&state, &viewer, t, &q, Default::default()).await
}

pub async fn create_user(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let input = AccountIn {
        username: form.get("username"),
        display_name: form.get("display_name"),
        role: form.get("role"),
        district: form.opt("district"),
        organisation: form.opt("organisation"),
        password: form.get("password"),
    };
    match create_staff(&state, &viewer.actor(), &input).await {
        Ok(_) => Ok(Redirect::to("/admin/users?done=account_created").into_response()),
        Err(e) => {
            let mut resp = users_page(&state, &viewer, t, &UsersQuery::default(), messages_of(&e, t)).await?;
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

/// Deactivate (after a confirmation) or reactivate an account.
pub async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    axum::extract::Path(id): axum::extract::Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = crate::api::parse_id(&id).or_page(t)?;
    let active = form.get("active") == "true";
    // Scope first: a confirmation is asked only of who may act.
    state.core().account_managed(&state.ctx(&viewer), id).await.map_err(crate::error::ApiError::from).or_page(t)?;
    if !active && super::confirm_first(&form) {
        return Ok(super::confirm_page(
            t,
            &viewer,
            &form,
            super::Ask {
                action: &format!("/admin/users/{id}/active"),
                cancel: "/admin/users",
                question: "ui.users.deactivate_q",
                yes: "ui.users.deactivate",
            },
        ));
    }
    match set_active_of(&state, &viewer, id, active).await {
        Ok(a) => {
            let kind =
                KINDS.iter().find(|(_, roles)| roles.iter().any(|r| r.as_str() == a.role)).map_or("staff", |k| k.0);
            let done = if active { "reactivated" } else { "deactivated" };
            Ok(Redirect::to(&format!("/admin/users?kind={kind}&done={done}")).into_response())
        }
        Err(e) => {
            let mut resp = users_page(&state, &viewer, t, &UsersQuery::default(), messages_of(&e, t)).await?;
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

/// One line of the audit log as people read it.
pub struct AuditRow {
    pub when: String,
    /// Who, by name (or the platform, or a visitor).
    pub who: String,
    pub role: String,
    /// What, as a phrase after the name.
    pub what: String,
    pub action: String,
    /// The record it is about: a link where a page shows it.
    pub target: Option<(String, String)>,
    pub district: String,
    pub ip: String,
    /// The details as labelled values.
    pub details: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct Audit {
    c: Chrome,
    actions: Vec<Opt>,
    districts: Vec<Opt>,
    actor: String,
    from: String,
    to: String,
    rows: Vec<AuditRow>,
    next: Option<String>,
    sizes: Vec<Opt>,
    sorts: Vec<Opt>,
    total_label: String,
    errors: super::form::FormErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct AuditPageQuery {
    action: Option<String>,
    district: Option<String>,
    /// A username, or an account's id (links from the log itself).
    actor: Option<String>,
    /// Beijing days, inclusive.
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
    size: Option<u64>,
    /// `newest` (default) or `oldest`; oldest first pages by number.
    sort: Option<String>,
    page: Option<u64>,
}

/// Every action the log may hold, in the catalogue's order.
fn audit_actions() -> Vec<&'static str> {
    const PREFIX: &str = "audit.action.";
    let mut all: Vec<&'static str> =
        jiuye_domain::messages::keys().into_iter().filter_map(|k| k.strip_prefix(PREFIX)).collect();
    all.sort_unstable();
    all
}

fn detail_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// The page of a record the log names, where there is one.
fn target_href(kind: &str, id: uuid::Uuid) -> Option<String> {
    match kind {
        "person" => Some(format!("/staff/persons/{id}")),
        "vacancy" => Some(format!("/vacancies/{id}")),
        "claim" => Some(format!("/staff/claims/{id}")),
        "programme" => Some(format!("/training/{id}")),
        _ => None,
    }
}

fn day_bound(
    t: Tr,
    field: &str,
    raw: Option<&str>,
    end: bool,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else { return Ok(None) };
    let day = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("{}: {}", t.t(&format!("ui.audit.{field}")), t.t("input.date")))?;
    let day = if end { day.succ_opt().unwrap_or(day) } else { day };
    Ok(jiuye_domain::time::beijing_day_start(day))
}

pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<AuditPageQuery>,
) -> PageResult {
    let mut errors = super::form::FormErrors::default();
    let mut rows = Vec::new();
    let mut next = None;
    // Who: a username, or an account id from a link in the log.
    let actor = match q.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => match uuid::Uuid::parse_str(a) {
            Ok(id) => Some(id),
            Err(_) => match state.store.account_by_login_key(&format!("u:{}", a.to_lowercase())).await {
                Ok(acc) => Some(acc.id),
                Err(_) => {
                    errors.push(format!("{}: {}", t.t("ui.audit.actor"), t.t("not_found")));
                    None
                }
            },
        },
        None => None,
    };
    let from = day_bound(t, "from", q.from.as_deref(), false).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let to = day_bound(t, "to", q.to.as_deref(), true).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let filter = jiuye_store::AuditFilter {
        action: q.action.clone().filter(|a| !a.is_empty()),
        actor_account: actor,
        target_id: None,
        district: q.district.clone().filter(|d| !d.is_empty()),
        from,
        to,
    };
    let size = super::list::page_size(q.size);
    let oldest = q.sort.as_deref() == Some("oldest");
    let mut total_label = String::new();
    if errors.is_empty() {
        match (Paging { cursor: q.cursor.clone(), limit: Some(size) }).request() {
            Ok(page) => {
                let total = state.store.count_audit(&filter).await.or_page(t)?;
                total_label = jiuye_domain::messages::render("ui.list.total", t.lang, &[("total", total.to_string())]);
                let query = |extra: &[(&str, String)]| {
                    let mut s = form_urlencoded::Serializer::new(String::new());
                    for (k, v) in [
                        ("action", &q.action),
                        ("district", &q.district),
                        ("actor", &q.actor),
                        ("from", &q.from),
                        ("to", &q.to),
                    ] {
                        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                            s.append_pair(k, v);
                        }
                    }
                    s.append_pair("size", &size.to_string());
                    for (k, v) in extra {
                        s.append_pair(k, v);
                    }
                    format!("/admin/audit?{}", s.finish())
                };
                let items = if oldest {
                    let page_no = q.page.unwrap_or(1).max(1);
                    let offset = super::list::offset_of(page_no, size);
                    let items = state.store.list_audit_oldest(&filter, offset, size).await.or_page(t)?;
                    if offset + (items.len() as u64) < total {
                        next = Some(query(&[("sort", "oldest".into()), ("page", (page_no + 1).to_string())]));
                    }
                    items
                } else {
                    let page = state.store.list_audit(&filter, page).await.or_page(t)?;
                    next = page.next_cursor.map(|c| query(&[("cursor", c)]));
                    page.items
                };
                let page = jiuye_store::Page { items, next_cursor: None };
                // Names of the accounts on this page, read once.
                let mut names = std::collections::HashMap::new();
                for id in page.items.iter().filter_map(|e| e.actor_account) {
                    if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
                        slot.insert(state.store.account_by_id(id).await.map(|a| a.display_name).unwrap_or_default());
                    }
                }
                for e in page.items {
                    let who = match (e.actor_account, e.actor_role.as_deref()) {
                        (Some(id), _) => names.get(&id).cloned().unwrap_or_default(),
                        (None, None) if e.action.starts_with("login.") || e.action == "register.on_file" => {
                            t.t("audit.nobody")
                        }
                        _ => t.t("audit.system"),
                    };
                    let role = e
                        .actor_role
                        .as_deref()
                        .and_then(|r| jiuye_domain::roles::Role::parse(r).ok())
                        .map(|r| t.t(&r.label_key()))
                        .unwrap_or_default();
                    let key = format!("audit.action.{}", e.action);
                    let what = if jiuye_domain::messages::has(&key) { t.t(&key) } else { e.action.clone() };
                    let target = match (e.target_kind.as_deref(), e.target_id) {
                        (Some(kind), Some(id)) => {
                            target_href(kind, id).map(|href| (href, t.t(&format!("ui.audit.target.{kind}"))))
                        }
                        _ => None,
                    };
                    let details = e
                        .detail
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| {
                            let key = format!("audit.detail.{k}");
                            (if jiuye_domain::messages::has(&key) { t.t(&key) } else { k.clone() }, detail_value(v))
                        })
                        .collect();
                    rows.push(AuditRow {
                        when: (e.at + chrono::Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS))
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                        who,
                        role,
                        what,
                        action: e.action.clone(),
                        target,
                        district: e.district.as_deref().map(|d| t.region(d)).unwrap_or_default(),
                        ip: e.ip.unwrap_or_default(),
                        details,
                    });
                }
            }
            Err(e) => errors = messages_of(&e, t),
        }
    }
    let mut actions: Vec<Opt> = vec![Opt { value: String::new(), label: t.t("ui.audit.all_actions"), selected: false }];
    let chosen = q.action.clone().unwrap_or_default();
    actions.extend(audit_actions().into_iter().map(|a| Opt {
        value: a.to_string(),
        label: t.t(&format!("audit.action.{a}")),
        selected: a == chosen,
    }));
    let mut districts = vec![Opt { value: String::new(), label: t.t("ui.audit.all_districts"), selected: false }];
    districts.extend(district_options(t, &q.district.clone().into_iter().collect::<Vec<_>>()));
    Ok(render(&Audit {
        c: Chrome::new(t, &viewer, "/admin/audit"),
        actions,
        districts,
        actor: q.actor.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        rows,
        next,
        sizes: super::list::size_options(size),
        sorts: options(
            [ListOrder::Newest, ListOrder::Oldest]
                .iter()
                .map(|o| (o.as_str(), t.t(&format!("ui.list.order.{}", o.as_str())))),
            &[if oldest { "oldest" } else { "newest" }.to_string()],
        ),
        total_label,
        errors,
    }))
}
