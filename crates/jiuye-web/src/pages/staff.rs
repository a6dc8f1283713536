//! The caseworker's person lookup and a person's page. District staff see only their district;
//! a person of another district is "not found", exactly as if they did not exist.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::IntoResponse;

use jiuye_domain::roles::Permission;
use jiuye_store::ListOrder;

use super::{Chrome, FormData, OrPage, PageResult, Tr, messages_of, render};
use crate::AppState;
use crate::api::persons::{PersonQuery, find_by_national_id, scoped_filter};
use crate::api::wire::PersonOut;
use crate::api::{Query, parse_id};
use crate::auth::Viewer;
use crate::csrf;

#[derive(Template)]
#[template(path = "persons.html")]
struct Persons {
    c: Chrome,
    q: String,
    scope_label: String,
    items: Vec<PersonOut>,
    /// Absent when the viewer has no list (providers).
    pager: Option<super::list::Pager>,
    sizes: Vec<super::Opt>,
    sorts: Vec<super::Opt>,
    errors: super::form::FormErrors,
}

pub async fn persons(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<PersonsPageQuery>,
) -> PageResult {
    list_page(&state, &viewer, t, &q, Default::default()).await
}

/// Find a person by the full ID number, sent in a form body so it never sits in a URL.
pub async fn lookup(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    match find_by_national_id(
        &state,
        &viewer,
        &form.get("national_id"),
        form.opt("kind").as_deref(),
        form.opt("nationality").as_deref(),
    )
    .await
    {
        Ok(p) => Ok(axum::response::Redirect::to(&format!("/staff/persons/{}", p.id)).into_response()),
        Err(e) => {
            let mut resp = list_page(&state, &viewer, t, &PersonsPageQuery::default(), messages_of(&e, t)).await?;
            *resp.status_mut() = e.status_and_code().0;
            Ok(resp)
        }
    }
}

/// The persons page's query: a name or mobile, an order, a page and its size.
#[derive(serde::Deserialize, Default)]
pub struct PersonsPageQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    q: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    sort: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    page: Option<u64>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    limit: Option<u64>,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    q: &PersonsPageQuery,
    mut errors: super::form::FormErrors,
) -> PageResult {
    const ORDERS: [ListOrder; 2] = [ListOrder::Newest, ListOrder::Name];
    let order = ListOrder::pick(q.sort.as_deref(), &ORDERS);
    let size = super::list::page_size(q.limit);
    let page_no = q.page.unwrap_or(1).max(1);
    let mut items = Vec::new();
    let mut total = None;
    match scoped_filter(state, viewer, &PersonQuery { q: q.q.clone(), ..Default::default() }) {
        Ok(Some(filter)) => {
            let (rows, n) = state
                .store
                .list_persons_sorted(&filter, order, super::list::offset_of(page_no, size), size)
                .await
                .or_page(t)?;
            items = rows.iter().map(PersonOut::from).collect();
            total = Some(n);
        }
        Ok(None) => {}
        Err(e) => errors = messages_of(&e, t),
    }
    let mut base = form_urlencoded::Serializer::new(String::new());
    if let Some(v) = q.q.as_deref() {
        base.append_pair("q", v);
    }
    base.append_pair("sort", order.as_str());
    base.append_pair("limit", &size.to_string());
    let pager = super::list::Pager::new(t, "/staff/persons", &base.finish(), page_no, size, total.unwrap_or(0));
    let sorts = super::options(
        ORDERS.iter().map(|o| (o.as_str(), t.t(&format!("ui.list.order.{}", o.as_str())))),
        &[order.as_str().to_string()],
    );
    let scope_label = match viewer.account.as_ref().and_then(|a| a.district.as_deref()) {
        Some(d) if viewer.role().is_some_and(|r| r.is_district_scoped()) => t.region(d),
        _ => t.t("ui.staff.whole_city"),
    };
    Ok(render(&Persons {
        c: Chrome::new(t, viewer, "/staff/persons"),
        q: q.q.clone().unwrap_or_default(),
        scope_label,
        items,
        pager: total.map(|_| pager),
        sizes: super::list::size_options(size),
        sorts,
        errors,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: PersonOut,
    recs: Vec<crate::api::recommend::RecommendationOut>,
    full_id: Option<String>,
    may_reveal: bool,
    notice: Option<String>,
    errors: super::form::FormErrors,
    /// No online account yet, and the viewer's district holds the case: a code may be issued.
    may_issue_code: bool,
    status_label: String,
    cw: Option<(crate::api::casework::CaseOut, super::casework::CaseForms)>,
}

/// What the person page says above its casework: a done action's confirmation, or the problems
/// of a form that came back.
#[derive(Default)]
pub struct Outcome {
    pub notice: Option<String>,
    pub errors: super::form::FormErrors,
}

pub async fn show(state: &AppState, viewer: &Viewer, t: Tr, id: &str, reveal: bool) -> PageResult {
    show_with(state, viewer, t, id, reveal, Outcome::default()).await
}

pub async fn show_with(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    id: &str,
    reveal: bool,
    outcome: Outcome,
) -> PageResult {
    let id = parse_id(id).or_page(t)?;
    let person = state.core().person(&state.ctx(viewer), id).await.or_page(t)?.person;
    let full_id = if reveal {
        Some(state.store.reveal_national_id(id, &state.vault, &viewer.audit(), state.clock.now()).await.or_page(t)?)
    } else {
        None
    };
    let recs = crate::api::recommend::jobs_for(state, &person, 5, &Default::default()).await.or_page(t)?;
    let cw = super::casework::section(state, viewer, t, id).await?;
    let may_issue_code = viewer.may(Permission::Casework)
        && state.core().case(&state.ctx(viewer), id).await.is_ok()
        && !state.store.person_has_account(id).await.or_page(t)?;
    let failed = !outcome.errors.is_empty();
    let mut resp = render(&PersonPage {
        notice: outcome.notice,
        errors: outcome.errors,
        may_issue_code,
        cw,
        c: Chrome::new(t, viewer, "/staff/persons"),
        recs,
        status_label: t.t(&format!("person.status.{}", person.employment_status.as_str())),
        p: PersonOut::from(&person),
        full_id,
        may_reveal: viewer.may(Permission::ViewFullNationalId),
    });
    if failed {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    pub fn done(&self) -> Option<&str> {
        self.done.as_deref().filter(|d| !d.is_empty())
    }
}

pub async fn person(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    crate::api::Query(q): crate::api::Query<Done>,
) -> PageResult {
    // A confirmation after a done action (post, then redirect here): the key names it.
    let notice = super::done_notice(t, q.done.as_deref());
    show_with(&state, &viewer, t, &id, false, Outcome { notice, ..Outcome::default() }).await
}

pub async fn reveal(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    show(&state, &viewer, t, &id, true).await
}
