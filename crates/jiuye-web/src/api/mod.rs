//! The JSON API under `/api/v1`.

pub mod accounts;
pub mod applications;
pub mod caseload;
pub mod casework;
pub mod claims;
pub mod codes;
pub mod employers;
pub mod my_casework;
pub mod openapi;
pub mod persons;
pub mod providers;
pub mod recommend;
pub mod search;
pub mod session;
pub mod spreadsheets;
pub mod training;
pub mod vacancies;
pub mod wire;

use axum::Router;
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::IntoParams;

use jiuye_store::{Cursor, PageRequest};

use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(session::login))
        .route("/api/v1/auth/logout", post(session::logout))
        .route("/api/v1/auth/register/seeker", post(session::register_seeker))
        .route("/api/v1/auth/register/employer", post(session::register_employer))
        .route("/api/v1/me", get(session::me))
        .route("/api/v1/me/profile", get(persons::my_profile).put(persons::update_my_profile))
        .route("/api/v1/me/employer", get(employers::my_employer))
        .route("/api/v1/me/vacancies", get(vacancies::my_vacancies))
        .route("/api/v1/me/recommendations", get(recommend::mine))
        .route("/api/v1/me/applications", get(applications::mine))
        .route("/api/v1/vacancies/{id}/apply", post(applications::apply))
        .route("/api/v1/vacancies/{id}/applications", get(applications::for_vacancy))
        .route("/api/v1/applications/{id}/status", post(applications::set_status))
        .route("/api/v1/persons/{id}/recommendations", get(recommend::for_person))
        .route("/api/v1/vacancies/{id}/candidates", get(recommend::candidates))
        .route("/api/v1/persons", get(persons::list).post(persons::create))
        .route("/api/v1/persons/lookup", post(persons::lookup))
        .route("/api/v1/persons/{id}", get(persons::get_one).put(persons::update))
        .route("/api/v1/persons/{id}/national-id", get(persons::reveal))
        .route("/api/v1/employers", get(employers::list).post(employers::create))
        .route("/api/v1/employers/{id}", get(employers::get_one).put(employers::update))
        .route("/api/v1/vacancies", get(vacancies::list).post(vacancies::create))
        .route("/api/v1/vacancies/search", get(search::search))
        .route("/api/v1/vacancies/suggest", get(search::suggest))
        .route("/api/v1/vacancies/{id}", get(vacancies::get_one).put(vacancies::update))
        .route("/api/v1/vacancies/{id}/status", post(vacancies::set_status))
        .route("/api/v1/accounts", get(accounts::list).post(accounts::create))
        .route("/api/v1/accounts/{id}/active", post(accounts::set_active))
        .route("/api/v1/audit", get(accounts::audit))
        .route("/api/v1/codes/{list}", get(codes::list))
        .route("/api/v1/me/casework", get(my_casework::mine))
        .route("/api/v1/me/inbox", get(my_casework::inbox))
        .route("/api/v1/me/registration", post(my_casework::register_me))
        .route("/api/v1/me/employments", post(my_casework::declare_employment))
        .route("/api/v1/me/services/{id}/rating", post(my_casework::rate))
        .route("/api/v1/persons/{id}/casework", get(casework::get_case))
        .route("/api/v1/persons/{id}/registrations", post(casework::create_registration))
        .route("/api/v1/persons/{id}/registration/end", post(casework::end_registration))
        .route("/api/v1/persons/{id}/registration/tier", post(casework::override_tier))
        .route("/api/v1/persons/{id}/registration/assign", post(casework::assign))
        .route("/api/v1/persons/{id}/employments", post(casework::create_employment))
        .route("/api/v1/persons/{id}/services", post(casework::create_service))
        .route("/api/v1/persons/{id}/contacts", post(casework::create_contact))
        .route("/api/v1/persons/{id}/push-jobs", post(casework::push))
        .route("/api/v1/persons/{id}/recognitions", post(casework::recognise))
        .route("/api/v1/casework/caseload", get(caseload::caseload))
        .route("/api/v1/casework/caseload.xlsx", get(spreadsheets::export_caseload))
        .route("/api/v1/casework/import-template.xlsx", get(spreadsheets::import_template))
        .route(
            "/api/v1/casework/import",
            post(spreadsheets::import_xlsx).layer(axum::extract::DefaultBodyLimit::max(crate::xlsx::MAX_UPLOAD)),
        )
        .route("/api/v1/casework/league", get(caseload::league))
        .route("/api/v1/casework/graduate-contact-rate", get(caseload::graduate_contact_rate))
        .route("/api/v1/casework/satisfaction", get(caseload::satisfaction))
        .route("/api/v1/casework/households", get(caseload::zero_households).post(caseload::create_household))
        .route("/api/v1/policies", get(claims::policies))
        .route("/api/v1/policies/versions", get(claims::versions))
        .route("/api/v1/policies/{id}", get(claims::policy))
        .route("/api/v1/policies/{id}/publish", post(claims::publish))
        .route("/api/v1/claims/precheck", post(claims::precheck))
        .route("/api/v1/claims", get(claims::list).post(claims::submit))
        .route("/api/v1/claims/{id}", get(claims::get_one))
        .route("/api/v1/claims/{id}/action", post(claims::act))
        .route("/api/v1/budget", get(claims::budget).post(claims::allocate))
        .route("/api/v1/budget.xlsx", get(claims::budget_xlsx))
        .route("/api/v1/training/programmes", get(training::programmes).post(training::create_programme))
        .route("/api/v1/training/programmes/{id}/enrolments", post(training::enrol))
        .route("/api/v1/training/programmes/{id}/claim", get(training::programme_claim))
        .route("/api/v1/training/enrolments/{id}/assessment", post(training::assess))
        .route("/api/v1/training/enrolments/{id}/certificate", post(training::certify))
        .route("/api/v1/training/certificate-rate", get(training::certificate_rate))
        .route("/api/v1/me/training", get(training::mine))
        .route("/api/v1/providers", get(providers::list).post(providers::create))
        .route("/api/v1/providers/{id}/contracts", post(providers::create_contract))
        .route("/api/v1/providers/{id}/statement", get(providers::statement))
        .route("/api/v1/provider/contracts", get(providers::my_contracts))
        .route("/api/v1/provider/statement", get(providers::my_statement))
        .route("/api/v1/provider/persons/{id}/services", post(providers::provider_service))
        .route("/api/v1/provider/persons/{id}/contacts", post(providers::provider_contact))
}

/// Cursor paging shared by every list endpoint.
#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u64>,
}

impl Paging {
    pub fn request(&self) -> Result<PageRequest, ApiError> {
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(
                Cursor::parse(c)
                    .ok_or_else(|| ApiError::invalid(jiuye_domain::CodeError::new("input.cursor").field("cursor")))?,
            ),
            None => None,
        };
        if let Some(l) = self.limit
            && !(1..=100).contains(&l)
        {
            return Err(ApiError::invalid(jiuye_domain::CodeError::new("input.limit").field("limit")));
        }
        Ok(PageRequest::new(after, self.limit))
    }
}

/// Path ids that are not UUIDs are simply not found.
pub fn parse_id(s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| ApiError::NotFound)
}

/// Query strings that fail to parse get the envelope too.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q));
        serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let field = e.path().to_string();
            ApiError::BadBody {
                code: "input.query",
                field: if field == "." { None } else { Some(field) },
                detail: e.into_inner().to_string(),
            }
        })
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

/// Query strings from HTML forms send empty fields as `name=`: read those as absent.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}
