//! The caseworker's workbench: caseload with filters, the "131" league table, and the casework
//! actions on a person's page (each one form, three clicks or fewer); the person's own
//! services page. Pages call the same functions as the API.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};

use jiuye_domain::casework::{
    ContactMethod, ContactOutcome, DeregReason, EmploymentForm, EmploymentSource, One31Status, RegistrationBasis,
    ServiceKind,
};
use jiuye_domain::roles::{Permission, Scope};
use jiuye_store::{CaseloadFilter, CaseloadSort};

use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, district_options, options, render};
use crate::AppState;
use crate::api::caseload::{CaseRowOut, CaseloadQuery, LeagueOut, RateOut, league_rows, list_district};
use crate::api::casework::{
    CaseOut, ContactIn, EmploymentIn, RegisterIn, ServiceIn, TierIn, add_service, case_out, employ, parse_contact,
    parse_service, register,
};
use crate::api::{Query, parse_id};
use crate::auth::Viewer;
use crate::casework::push_jobs;
use crate::csrf;
use crate::error::ApiError;

fn coded<T: Copy>(t: Tr, all: &[T], code: impl Fn(T) -> &'static str, key: impl Fn(T) -> String) -> Vec<Opt> {
    options(all.iter().map(|v| (code(*v), t.t(&key(*v)))), &[])
}

/// The choices the casework forms offer.
pub struct CaseForms {
    pub bases: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub training_kinds: Vec<Opt>,
    pub methods: Vec<Opt>,
    pub outcomes: Vec<Opt>,
    pub forms: Vec<Opt>,
    pub reasons: Vec<Opt>,
    pub tiers: Vec<Opt>,
}

impl CaseForms {
    pub fn new(t: Tr, state: &AppState) -> Self {
        CaseForms {
            bases: coded(t, RegistrationBasis::ALL, |v| v.as_str(), |v| v.label_key()),
            kinds: coded(t, ServiceKind::ALL, |v| v.as_str(), |v| v.label_key()),
            training_kinds: coded(
                t,
                &[ServiceKind::SkillsTraining, ServiceKind::Internship],
                |v| v.as_str(),
                |v| v.label_key(),
            ),
            methods: coded(t, ContactMethod::ALL, |v| v.as_str(), |v| v.label_key()),
            outcomes: coded(t, ContactOutcome::ALL, |v| v.as_str(), |v| v.label_key()),
            forms: coded(t, EmploymentForm::ALL, |v| v.as_str(), |v| v.label_key()),
            reasons: coded(t, DeregReason::ALL, |v| v.as_str(), |v| v.label_key()),
            tiers: options(
                state.casework().tier_codes().into_iter().map(|c| (c, t.t(&format!("casework.tier.{c}")))),
                &[],
            ),
        }
    }
}

/// The casework section of a person's page, when the viewer does casework.
pub async fn section(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    person_id: uuid::Uuid,
) -> Result<Option<(CaseOut, CaseForms)>, super::PageError> {
    if !viewer.may(Permission::Casework) {
        return Ok(None);
    }
    let case = case_out(state, person_id).await.or_page(t)?;
    Ok(Some((case, CaseForms::new(t, state))))
}

/// After a casework form: done → back to the person's page saying so (post, redirect, get: a
/// reload never submits twice); refused → the person's page again with every problem.
async fn after(state: &AppState, viewer: &Viewer, t: Tr, id: &str, done: Result<&'static str, ApiError>) -> PageResult {
    match done {
        Ok(key) => Ok(Redirect::to(&format!("/staff/persons/{id}?done={key}#casework")).into_response()),
        Err(e @ (ApiError::NotFound | ApiError::Forbidden | ApiError::Unauthenticated)) => Err(super::PageError(e, t)),
        Err(e) => {
            let outcome = super::staff::Outcome { notice: None, errors: super::messages_of(&e, t) };
            super::staff::show_with(state, viewer, t, id, false, outcome).await
        }
    }
}

fn opt_date(form: &FormData, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match form.opt(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("input.date").field(name))),
    }
}

/// The employer of an employment form: by its unified social credit code (what a desk has at
/// hand), never an internal id.
async fn employer_of(state: &AppState, form: &FormData) -> Result<Option<uuid::Uuid>, ApiError> {
    let Some(raw) = form.opt("employer_credit_code") else { return opt_uuid(form, "employer_id") };
    let code =
        jiuye_domain::codes::CreditCode::parse(&raw).map_err(|e| ApiError::invalid(e.field("employer_credit_code")))?;
    let filter = jiuye_store::EmployerFilter { q: Some(code.as_str().to_string()), ..Default::default() };
    let page = state.store.list_employers(&filter, jiuye_store::PageRequest::first(1)).await?;
    match page.items.into_iter().find(|e| e.credit_code.as_str() == code.as_str()) {
        Some(e) => Ok(Some(e.id)),
        None => Err(ApiError::invalid(
            jiuye_domain::CodeError::new("casework.employer_unknown").field("employer_credit_code"),
        )),
    }
}

fn opt_uuid(form: &FormData, name: &str) -> Result<Option<uuid::Uuid>, ApiError> {
    match form.opt(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => uuid::Uuid::parse_str(v.trim())
            .map(Some)
            .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("input.enum").field(name).arg("value", v))),
    }
}

/// The person of a casework form, if the viewer's district holds their case (else not found).
async fn case_of(state: &AppState, viewer: &Viewer, id: &str) -> Result<uuid::Uuid, crate::error::ApiError> {
    Ok(state.core().case(&state.ctx(viewer), parse_id(id)?).await?.person.id)
}

pub async fn register_person(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let body = RegisterIn { basis: form.get("basis"), registered_on: opt_date(&form, "registered_on")? };
        register(&state, &viewer, case_of(&state, &viewer, &id).await?, body).await?;
        Ok("registered")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

pub async fn add_service_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let body = ServiceIn {
            kind: form.opt("kind"),
            delivered_on: opt_date(&form, "delivered_on")?,
            vacancy_id: opt_uuid(&form, "vacancy_id")?,
            course: form.opt("course"),
            note: form.opt("note"),
            evidence: form.opt("evidence"),
            corrects_id: opt_uuid(&form, "corrects_id")?,
            void: form.opt("void").is_some_and(|v| v == "1" || v == "on"),
        };
        let new = parse_service(case_of(&state, &viewer, &id).await?, body, None)?;
        add_service(&state, &viewer, new).await?;
        Ok("service")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

pub async fn push_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let person = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?.person;
        push_jobs(&state, &person, &viewer.audit(), None, None).await?;
        Ok("pushed")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

pub async fn contact_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let today = state.clock.today();
        let body = ContactIn {
            method: form.get("method"),
            outcome: form.get("outcome"),
            contacted_on: opt_date(&form, "contacted_on")?,
            note: form.opt("note"),
        };
        let new = parse_contact(case_of(&state, &viewer, &id).await?, body, None, today)?;
        state.store.record_contact(&new, &state.casework(), today, &viewer.audit(), state.clock.now()).await?;
        Ok("contact")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

pub async fn employment_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let employer_id = employer_of(&state, &form).await?;
        let body = EmploymentIn {
            form: form.get("form"),
            employer_id,
            vacancy_id: opt_uuid(&form, "vacancy_id")?,
            started_on: opt_date(&form, "started_on")?,
        };
        employ(&state, &viewer, case_of(&state, &viewer, &id).await?, body, EmploymentSource::Desk).await?;
        Ok("employment")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

pub async fn deregister_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let reason = crate::api::casework::field("reason", DeregReason::parse(&form.get("reason")))?;
        let r = crate::api::casework::active_case(&state, &viewer, &id).await?;
        let note = crate::api::casework::note("note", form.opt("note"), 500)?;
        state.store.deregister(r.id, reason, note, state.clock.today(), &viewer.audit(), state.clock.now()).await?;
        Ok("deregistered")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

pub async fn tier_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let done = async {
        let body = TierIn { tier: form.opt("tier"), reason: form.get("reason") };
        let r = crate::api::casework::active_case(&state, &viewer, &id).await?;
        let tier = body.tier.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        state
            .store
            .override_tier(
                r.id,
                tier,
                body.reason.trim().to_string(),
                &state.casework(),
                &viewer.audit(),
                state.clock.now(),
            )
            .await?;
        Ok("tier")
    }
    .await;
    after(&state, &viewer, t, &id, done).await
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct Caseload {
    c: Chrome,
    items: Vec<CaseRowOut>,
    pager: super::list::Pager,
    tiers: Vec<Opt>,
    categories: Vec<Opt>,
    statuses: Vec<Opt>,
    districts: Vec<Opt>,
    sorts: Vec<Opt>,
    sizes: Vec<Opt>,
    name: String,
    city: bool,
    mine: bool,
    contact_overdue: bool,
    unreachable: bool,
    errors: super::form::FormErrors,
    export_href: String,
}

/// The caseload page's query: the API's filters, plus an order, a page number and a page size.
#[derive(Debug, serde::Deserialize, Default, Clone)]
pub struct CaseloadPageQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    mine: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    tier: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    category: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    one31: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    contact_overdue: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    unreachable: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    district: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    name: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    sort: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    page: Option<u64>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    size: Option<u64>,
}

impl CaseloadPageQuery {
    fn api(&self) -> CaseloadQuery {
        CaseloadQuery {
            mine: self.mine,
            tier: self.tier.clone(),
            category: self.category.clone(),
            one31: self.one31.clone(),
            contact_overdue: self.contact_overdue,
            unreachable: self.unreachable,
            district: self.district.clone(),
            name: self.name.clone(),
            ..Default::default()
        }
    }

    /// The filters (and order and size) as a query string, for page links and the export.
    fn query(&self, with_view: bool) -> form_urlencoded::Serializer<'static, String> {
        let mut s = form_urlencoded::Serializer::new(String::new());
        let mut pairs = vec![
            ("tier", self.tier.clone()),
            ("category", self.category.clone()),
            ("one31", self.one31.clone()),
            ("district", self.district.clone()),
            ("name", self.name.clone()),
            ("mine", self.mine.map(|b| b.to_string())),
            ("contact_overdue", self.contact_overdue.map(|b| b.to_string())),
            ("unreachable", self.unreachable.map(|b| b.to_string())),
        ];
        if with_view {
            pairs.push(("sort", self.sort.clone()));
            pairs.push(("size", self.size.map(|n| n.to_string())));
        }
        for (k, v) in pairs {
            if let Some(v) = v {
                s.append_pair(k, &v);
            }
        }
        s
    }
}

pub async fn caseload(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<CaseloadPageQuery>,
) -> PageResult {
    let mut errors = super::form::FormErrors::default();
    let mut items = Vec::new();
    let sort = q.sort.as_deref().and_then(CaseloadSort::parse).unwrap_or_default();
    let size = super::list::page_size(q.size);
    let page = q.page.unwrap_or(1).max(1);
    let mut total = jiuye_store::Counted { total: 0, more: false };
    let result = async {
        let filter = q.api().filter(&state, &viewer)?;
        let offset = super::list::offset_of(page, size);
        state
            .store
            .caseload_sorted(&filter, &state.casework(), state.clock.today(), sort, offset, size)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok((rows, n)) => {
            items = rows.iter().map(|c| CaseRowOut::of(c, &state)).collect();
            total = n;
        }
        Err(e) => errors = super::messages_of(&e, t),
    }
    let base = q.query(true).finish();
    let pager = super::list::Pager::counted(t, "/staff/caseload", &base, page, size, total);
    let export_href = format!("/api/v1/casework/caseload.xlsx?{}", q.query(false).finish());
    let sel = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
    let mut tiers = options(
        state.casework().tier_codes().into_iter().map(|c| (c, t.t(&format!("casework.tier.{c}")))),
        &sel(&q.tier),
    );
    tiers.insert(0, Opt { value: String::new(), label: t.t("ui.cw.any"), selected: q.tier.is_none() });
    let mut categories = options(
        state.casework().category_codes().into_iter().map(|c| (c, t.t(&format!("casework.category.{c}")))),
        &sel(&q.category),
    );
    categories.insert(0, Opt { value: String::new(), label: t.t("ui.cw.any"), selected: q.category.is_none() });
    let mut statuses = options(One31Status::ALL.iter().map(|s| (s.as_str(), t.t(&s.label_key()))), &sel(&q.one31));
    statuses.insert(0, Opt { value: String::new(), label: t.t("ui.cw.any"), selected: q.one31.is_none() });
    let mut districts = district_options(t, &sel(&q.district));
    districts
        .insert(0, Opt { value: String::new(), label: t.t("ui.staff.whole_city"), selected: q.district.is_none() });
    let sorts = options(
        CaseloadSort::ALL.iter().map(|s| (s.as_str(), t.t(&format!("ui.cw.sort.{}", s.as_str())))),
        &[sort.as_str().to_string()],
    );
    // A filter the page refuses (an unknown tier or category) is said beside the form, as a 422.
    let refused = !errors.is_empty();
    let mut resp = render(&Caseload {
        c: Chrome::new(t, &viewer, "/staff/caseload"),
        items,
        pager,
        tiers,
        categories,
        statuses,
        districts,
        sorts,
        sizes: super::list::size_options(size),
        name: q.name.clone().unwrap_or_default(),
        city: viewer.actor().scope() == Scope::City,
        mine: q.mine.unwrap_or(false),
        contact_overdue: q.contact_overdue.unwrap_or(false),
        unreachable: q.unreachable.unwrap_or(false),
        errors,
        export_href,
    });
    if refused {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(Template)]
#[template(path = "league.html")]
struct League {
    c: Chrome,
    rows: Vec<LeagueOut>,
    rate: RateOut,
    zero_households: usize,
}

pub async fn league(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let rows = league_rows(&state).await.or_page(t)?;
    let district = list_district(&state, &viewer, None).or_page(t)?;
    let r = state.store.graduate_contact_rate(district.as_deref()).await.or_page(t)?;
    let rate = RateOut {
        total: r.total,
        contacted: r.contacted,
        rate_permille: (r.contacted * 1000).checked_div(r.total).unwrap_or(1000),
    };
    let zero_households =
        state.store.zero_employment_households(district.as_deref(), state.clock.today()).await.or_page(t)?.len();
    Ok(render(&League { c: Chrome::new(t, &viewer, "/staff/league"), rows, rate, zero_households }))
}

#[derive(Template)]
#[template(path = "my_services.html")]
struct MyServices {
    c: Chrome,
    case: CaseOut,
    bases: Vec<Opt>,
    rated: Vec<uuid::Uuid>,
}

impl MyServices {
    fn is_rated(&self, id: &uuid::Uuid) -> bool {
        self.rated.contains(id)
    }
}

fn own(viewer: &Viewer) -> Result<uuid::Uuid, ApiError> {
    viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)
}

pub async fn my_services(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let me = own(&viewer).or_page(t)?;
    let case = case_out(&state, me).await.or_page(t)?;
    let rated = state.store.ratings_of_person(me).await.or_page(t)?.into_iter().map(|r| r.0).collect();
    Ok(render(&MyServices {
        c: Chrome::new(t, &viewer, "/my/services"),
        case,
        bases: coded(t, RegistrationBasis::ALL, |v| v.as_str(), |v| v.label_key()),
        rated,
    }))
}

pub async fn register_me(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let me = own(&viewer).or_page(t)?;
    let body = RegisterIn { basis: form.get("basis"), registered_on: None };
    register(&state, &viewer, me, body).await.or_page(t)?;
    Ok(Redirect::to("/my/services").into_response())
}

pub async fn rate_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let me = own(&viewer).or_page(t)?;
    let score = form.int("score").map_err(|e| ApiError::invalid(e.field("score"))).or_page(t)?.unwrap_or(0);
    let comment = crate::api::casework::note("comment", form.opt("comment"), 500).or_page(t)?;
    state
        .store
        .rate_service(parse_id(&id).or_page(t)?, me, score, comment, &viewer.audit(), state.clock.now())
        .await
        .or_page(t)?;
    Ok(Redirect::to("/my/services").into_response())
}

#[derive(Template)]
#[template(path = "import.html")]
struct Import {
    c: Chrome,
    report: Option<crate::api::spreadsheets::ImportReport>,
    errors: super::form::FormErrors,
}

pub async fn import_form(viewer: Viewer, t: Tr) -> PageResult {
    Ok(render(&Import { c: Chrome::new(t, &viewer, "/staff/import"), report: None, errors: Default::default() }))
}

/// The upload form posts `multipart/form-data` with the CSRF token and the file.
pub async fn import_upload(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    mut multipart: axum::extract::Multipart,
) -> PageResult {
    let mut csrf_token = None;
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf_token = field.text().await.ok(),
            Some("file") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    csrf::verify(&viewer, csrf_token.as_deref()).or_page(t)?;
    let c = Chrome::new(t, &viewer, "/staff/import");
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let e = ApiError::invalid(jiuye_domain::CodeError::new("import.not_xlsx").field("file"));
        return Ok(render(&Import { c, report: None, errors: super::messages_of(&e, t) }));
    };
    match crate::api::spreadsheets::import(&state, &viewer, &bytes).await {
        Ok(report) => Ok(render(&Import { c, report: Some(report), errors: Default::default() })),
        Err(e) => Ok(render(&Import { c, report: None, errors: super::messages_of(&e, t) })),
    }
}

/// A covered person on the provider's page.
pub struct CoveredPerson {
    pub id: uuid::Uuid,
    pub name: String,
    pub contract: String,
}

#[derive(Template)]
#[template(path = "provider.html")]
struct ProviderPage {
    c: Chrome,
    persons: Vec<CoveredPerson>,
    statement: jiuye_store::Statement,
    kinds: Vec<Opt>,
    methods: Vec<Opt>,
    outcomes: Vec<Opt>,
    notice: Option<String>,
}

/// The provider's workbench: the persons its contracts cover, one form to record a service or
/// a contact for each, and this month's statement.
pub async fn provider_home(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<super::staff::Done>,
) -> PageResult {
    let notice = q.done().map(|_| t.t("ui.cw.saved"));
    provider_page(&state, &viewer, t, notice).await
}

async fn provider_page(state: &AppState, viewer: &Viewer, t: Tr, notice: Option<String>) -> PageResult {
    use chrono::Datelike;
    let provider = crate::casework::provider_of(viewer).or_page(t)?;
    let today = state.clock.today();
    let mut persons = Vec::new();
    for c in state.store.contracts_of_provider(provider).await.or_page(t)? {
        if c.ends_on < today || c.starts_on > today {
            continue;
        }
        for (id, name) in state.store.person_names(&c.persons).await.or_page(t)? {
            persons.push(CoveredPerson { id, name, contract: c.name.clone() });
        }
    }
    let statement = state.store.provider_statement(provider, today.year(), today.month()).await.or_page(t)?;
    Ok(render(&ProviderPage {
        c: Chrome::new(t, viewer, "/provider"),
        persons,
        statement,
        kinds: coded(t, ServiceKind::ALL, |v| v.as_str(), |v| v.label_key()),
        methods: coded(t, ContactMethod::ALL, |v| v.as_str(), |v| v.label_key()),
        outcomes: coded(t, ContactOutcome::ALL, |v| v.as_str(), |v| v.label_key()),
        notice,
    }))
}

/// Record a service (or, with `method`, a contact) for a covered person.
pub async fn provider_record(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let person = parse_id(&id).or_page(t)?;
    let provider = state.core().covered(&state.ctx(&viewer), person).await.or_page(t)?;
    if form.opt("method").is_some_and(|m| !m.is_empty()) {
        let today = state.clock.today();
        let body = ContactIn {
            method: form.get("method"),
            outcome: form.get("outcome"),
            contacted_on: None,
            note: form.opt("note"),
        };
        let new = parse_contact(person, body, Some(provider), today).or_page(t)?;
        state
            .store
            .record_contact(&new, &state.casework(), today, &viewer.audit(), state.clock.now())
            .await
            .or_page(t)?;
    } else {
        let body = ServiceIn { kind: form.opt("kind"), note: form.opt("note"), ..ServiceIn::default() };
        let new = parse_service(person, body, Some(provider)).or_page(t)?;
        add_service(&state, &viewer, new).await.or_page(t)?;
    }
    // Post, redirect, get: a reload never records twice.
    Ok(Redirect::to("/provider?done=saved").into_response())
}

/// One list on the start page: its heading, the first rows, the total and the full list's link.
pub struct DueList {
    pub id: &'static str,
    pub heading: String,
    pub rows: Vec<CaseRowOut>,
    /// The count, "10000+" past the cap.
    pub total: String,
    /// More than the rows shown.
    pub more: bool,
    pub href: String,
}

#[derive(Template)]
#[template(path = "today.html")]
struct Today {
    c: Chrome,
    lists: Vec<DueList>,
    mine: bool,
}

/// 今日待办: a caseworker's start page — contacts due today, contacts overdue, "131" services
/// overdue; their own cases (a district administrator: the district's).
pub async fn today(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let mine = viewer.role() == Some(jiuye_domain::roles::Role::Caseworker);
    let base = CaseloadQuery { mine: Some(mine), ..Default::default() }.filter(&state, &viewer).or_page(t)?;
    let day = state.clock.today();
    let suffix = if mine { "&mine=true" } else { "" };
    let wanted = [
        (
            "due-today",
            "ui.today.contacts_due",
            CaseloadFilter { contact_due_on: Some(day), ..base.clone() },
            CaseloadSort::Newest,
            format!("/staff/caseload?sort=next_contact{suffix}"),
        ),
        (
            "contacts-overdue",
            "ui.today.contacts_overdue",
            CaseloadFilter { contact_overdue: true, ..base.clone() },
            CaseloadSort::NextContact,
            format!("/staff/caseload?contact_overdue=true&sort=next_contact{suffix}"),
        ),
        (
            "one31-overdue",
            "ui.today.one31_overdue",
            CaseloadFilter { one31: Some(One31Status::Overdue), ..base.clone() },
            CaseloadSort::One31Due,
            format!("/staff/caseload?one31=overdue&sort=one31_due{suffix}"),
        ),
    ];
    let mut lists = Vec::new();
    for (id, key, filter, sort, href) in wanted {
        let (rows, total) =
            state.store.caseload_sorted(&filter, &state.casework(), day, sort, 0, 10).await.or_page(t)?;
        lists.push(DueList {
            id,
            heading: t.t(key),
            rows: rows.iter().map(|c| CaseRowOut::of(c, &state)).collect(),
            total: if total.more { format!("{}+", total.total) } else { total.total.to_string() },
            more: total.more || total.total > rows.len() as u64,
            href,
        });
    }
    Ok(render(&Today { c: Chrome::new(t, &viewer, "/staff/today"), lists, mine }))
}
