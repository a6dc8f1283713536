//! Administration: accounts (city admin: all; district admin: their caseworkers) and the audit log.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use jiuye_store::AccountFilter;

use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, district_options, messages_of, options, render};
use crate::AppState;
use crate::api::accounts::{AccountIn, AuditOut, AuditQuery, create_staff};
use crate::api::wire::AccountOut;
use crate::api::{Paging, Query};
use crate::auth::Viewer;
use crate::csrf;

pub struct UserRow {
    pub a: AccountOut,
    pub role_label: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct Users {
    c: Chrome,
    rows: Vec<UserRow>,
    roles: Vec<Opt>,
    districts: Vec<Opt>,
    created: bool,
    errors: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct Created {
    created: Option<String>,
}

async fn users_page(state: &AppState, viewer: &Viewer, t: Tr, created: bool, errors: Vec<String>) -> PageResult {
    let me = viewer.account.as_ref();
    let ctx = state.ctx(viewer);
    let district = jiuye_core::lists::accounts_district(&ctx, None).map_err(crate::error::ApiError::from).or_page(t)?;
    let page = state
        .store
        .list_accounts(&AccountFilter { role: None, district }, jiuye_store::PageRequest::first(100))
        .await
        .or_page(t)?;
    let creatable = jiuye_core::lists::roles_openable(&ctx);
    Ok(render(&Users {
        c: Chrome::new(t, viewer, "/admin/users"),
        rows: page
            .items
            .iter()
            .map(|a| UserRow { a: AccountOut::from(a), role_label: t.t(&a.role.label_key()) })
            .collect(),
        roles: options(creatable.iter().map(|r| (r.as_str(), t.t(&r.label_key()))), &[]),
        districts: district_options(t, &me.and_then(|a| a.district.clone()).into_iter().collect::<Vec<_>>()),
        created,
        errors,
    }))
}

pub async fn users(State(state): State<AppState>, viewer: Viewer, t: Tr, Query(q): Query<Created>) -> PageResult {
    users_page(&state, &viewer, t, q.created.is_some(), Vec::new()).await
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
        Ok(_) => Ok(Redirect::to("/admin/users?created=1").into_response()),
        Err(e) => {
            let mut resp = users_page(&state, &viewer, t, false, messages_of(&e, t)).await?;
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct Audit {
    c: Chrome,
    action: String,
    district: String,
    items: Vec<AuditOut>,
    next: Option<String>,
    errors: Vec<String>,
}

pub async fn audit(State(state): State<AppState>, viewer: Viewer, t: Tr, Query(q): Query<AuditQuery>) -> PageResult {
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut next = None;
    match (Paging { cursor: q.cursor.clone(), limit: q.limit }).request() {
        Ok(page) => {
            let page = state.store.list_audit(&q.filter(), page).await.or_page(t)?;
            next = page.next_cursor.map(|c| {
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in [("action", &q.action), ("district", &q.district)] {
                    if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                        s.append_pair(k, v);
                    }
                }
                s.append_pair("cursor", &c);
                format!("/admin/audit?{}", s.finish())
            });
            items = page.items.into_iter().map(AuditOut::from).collect();
        }
        Err(e) => errors = messages_of(&e, t),
    }
    Ok(render(&Audit {
        c: Chrome::new(t, &viewer, "/admin/audit"),
        action: q.action.clone().unwrap_or_default(),
        district: q.district.clone().unwrap_or_default(),
        items,
        next,
        errors,
    }))
}
