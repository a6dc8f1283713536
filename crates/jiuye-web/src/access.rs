//! Every route and page, with the permission it requires: the one table the router, the
//! guard middleware, the OpenAPI test and the route × role × district test all read.
//!
//! A request whose route is not in this table is refused (deny by default).

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use jiuye_domain::roles::Permission;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Api,
    Page,
    Ops,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub permission: Permission,
    pub kind: Kind,
    /// The route reads or writes one person's record, so district scope applies.
    pub person_scoped: bool,
}

const fn r(method: &'static str, path: &'static str, permission: Permission, kind: Kind) -> RouteSpec {
    RouteSpec { method, path, permission, kind, person_scoped: false }
}

const fn scoped(method: &'static str, path: &'static str, permission: Permission, kind: Kind) -> RouteSpec {
    RouteSpec { method, path, permission, kind, person_scoped: true }
}

use Kind::*;
use Permission::*;

pub const ROUTES: &[RouteSpec] = &[
    // Operations
    r("GET", "/healthz", Public, Ops),
    r("GET", "/readyz", Public, Ops),
    r("GET", "/metrics", Public, Ops),
    // Served by the docs router outside the guard; listed so the table is complete.
    r("GET", "/api/openapi.json", Public, Ops),
    r("GET", "/api/docs/", Public, Ops),
    // JSON API
    r("POST", "/api/v1/auth/login", Public, Api),
    r("POST", "/api/v1/auth/logout", Authenticated, Api),
    r("POST", "/api/v1/auth/register/seeker", Public, Api),
    r("POST", "/api/v1/auth/register/employer", Public, Api),
    r("GET", "/api/v1/me", Authenticated, Api),
    r("GET", "/api/v1/me/profile", OwnProfile, Api),
    r("PUT", "/api/v1/me/profile", OwnProfile, Api),
    r("GET", "/api/v1/me/employer", OwnEmployer, Api),
    r("GET", "/api/v1/me/vacancies", OwnEmployer, Api),
    r("GET", "/api/v1/me/recommendations", OwnProfile, Api),
    r("GET", "/api/v1/me/applications", OwnProfile, Api),
    r("POST", "/api/v1/vacancies/{id}/apply", OwnProfile, Api),
    r("GET", "/api/v1/vacancies/{id}/applications", ManageVacancies, Api),
    r("POST", "/api/v1/applications/{id}/status", Authenticated, Api),
    r("GET", "/api/v1/persons", ViewPersons, Api),
    r("POST", "/api/v1/persons", EditPersons, Api),
    scoped("POST", "/api/v1/persons/lookup", ViewPersons, Api),
    scoped("GET", "/api/v1/persons/{id}", ViewPersons, Api),
    scoped("PUT", "/api/v1/persons/{id}", EditPersons, Api),
    scoped("GET", "/api/v1/persons/{id}/national-id", ViewFullNationalId, Api),
    scoped("GET", "/api/v1/persons/{id}/recommendations", ViewPersons, Api),
    r("GET", "/api/v1/employers", ViewEmployers, Api),
    r("POST", "/api/v1/employers", EditEmployers, Api),
    r("GET", "/api/v1/employers/{id}", ViewEmployers, Api),
    r("PUT", "/api/v1/employers/{id}", EditEmployers, Api),
    r("GET", "/api/v1/vacancies", Public, Api),
    r("POST", "/api/v1/vacancies", ManageVacancies, Api),
    r("GET", "/api/v1/vacancies/search", Public, Api),
    r("GET", "/api/v1/vacancies/suggest", Public, Api),
    r("GET", "/api/v1/vacancies/{id}", Public, Api),
    r("PUT", "/api/v1/vacancies/{id}", ManageVacancies, Api),
    r("POST", "/api/v1/vacancies/{id}/status", ManageVacancies, Api),
    r("GET", "/api/v1/vacancies/{id}/candidates", ManageVacancies, Api),
    r("GET", "/api/v1/accounts", ManageUsers, Api),
    r("POST", "/api/v1/accounts", ManageUsers, Api),
    r("POST", "/api/v1/accounts/{id}/active", ManageUsers, Api),
    r("GET", "/api/v1/audit", ViewAudit, Api),
    r("GET", "/api/v1/codes/{list}", Public, Api),
    r("GET", "/api/v1/me/casework", OwnProfile, Api),
    r("GET", "/api/v1/me/inbox", Authenticated, Api),
    r("POST", "/api/v1/me/registration", OwnProfile, Api),
    r("POST", "/api/v1/me/employments", OwnProfile, Api),
    r("POST", "/api/v1/me/services/{id}/rating", OwnProfile, Api),
    scoped("GET", "/api/v1/persons/{id}/casework", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/registrations", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/registration/end", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/registration/tier", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/registration/assign", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/employments", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/services", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/contacts", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/push-jobs", Casework, Api),
    scoped("POST", "/api/v1/persons/{id}/recognitions", Casework, Api),
    r("GET", "/api/v1/casework/caseload", Casework, Api),
    r("GET", "/api/v1/casework/caseload.xlsx", Casework, Api),
    r("GET", "/api/v1/casework/import-template.xlsx", Casework, Api),
    r("POST", "/api/v1/casework/import", Casework, Api),
    r("GET", "/api/v1/casework/league", Casework, Api),
    r("GET", "/api/v1/casework/graduate-contact-rate", Casework, Api),
    r("GET", "/api/v1/casework/satisfaction", Casework, Api),
    r("GET", "/api/v1/casework/households", Casework, Api),
    r("POST", "/api/v1/casework/households", Casework, Api),
    r("GET", "/api/v1/policies", Public, Api),
    r("GET", "/api/v1/policies/versions", PublishPolicies, Api),
    r("GET", "/api/v1/policies/{id}", Public, Api),
    r("POST", "/api/v1/policies/{id}/publish", PublishPolicies, Api),
    r("POST", "/api/v1/claims/precheck", FileClaims, Api),
    r("GET", "/api/v1/claims", FileClaims, Api),
    r("POST", "/api/v1/claims", FileClaims, Api),
    r("GET", "/api/v1/claims/{id}", FileClaims, Api),
    r("POST", "/api/v1/claims/{id}/action", ReviewClaims, Api),
    r("GET", "/api/v1/budget", PayClaims, Api),
    r("POST", "/api/v1/budget", ManageBudget, Api),
    r("GET", "/api/v1/budget.xlsx", PayClaims, Api),
    r("GET", "/api/v1/training/programmes", Public, Api),
    r("POST", "/api/v1/training/programmes", ManageTraining, Api),
    r("POST", "/api/v1/training/programmes/{id}/enrolments", ManageTraining, Api),
    r("GET", "/api/v1/training/programmes/{id}/claim", ManageTraining, Api),
    r("POST", "/api/v1/training/enrolments/{id}/assessment", ManageTraining, Api),
    r("POST", "/api/v1/training/enrolments/{id}/certificate", ManageTraining, Api),
    r("GET", "/api/v1/training/certificate-rate", ManageTraining, Api),
    r("GET", "/api/v1/me/training", OwnProfile, Api),
    r("GET", "/api/v1/providers", ManageProviders, Api),
    r("POST", "/api/v1/providers", ManageProviders, Api),
    r("POST", "/api/v1/providers/{id}/contracts", ManageProviders, Api),
    r("GET", "/api/v1/providers/{id}/statement", ManageProviders, Api),
    r("GET", "/api/v1/provider/contracts", ProviderWork, Api),
    r("GET", "/api/v1/provider/statement", ProviderWork, Api),
    r("POST", "/api/v1/provider/persons/{id}/services", ProviderWork, Api),
    r("POST", "/api/v1/provider/persons/{id}/contacts", ProviderWork, Api),
    // Pages
    r("GET", "/", Public, Page),
    r("GET", "/settings", Public, Page),
    r("GET", "/login", Public, Page),
    r("POST", "/login", Public, Page),
    r("POST", "/logout", Authenticated, Page),
    r("GET", "/register", Public, Page),
    r("POST", "/register", Public, Page),
    r("GET", "/register/employer", Public, Page),
    r("POST", "/register/employer", Public, Page),
    r("GET", "/vacancies", Public, Page),
    r("GET", "/vacancies/{id}", Public, Page),
    r("POST", "/vacancies/{id}/apply", OwnProfile, Page),
    r("POST", "/applications/{id}/withdraw", OwnProfile, Page),
    r("GET", "/employer/vacancies/{id}/applications", OwnEmployer, Page),
    r("POST", "/employer/applications/{id}/status", OwnEmployer, Page),
    r("GET", "/me", Authenticated, Page),
    r("GET", "/profile", OwnProfile, Page),
    r("POST", "/profile", OwnProfile, Page),
    r("GET", "/employer/vacancies", OwnEmployer, Page),
    r("GET", "/employer/vacancies/new", OwnEmployer, Page),
    r("POST", "/employer/vacancies", OwnEmployer, Page),
    r("POST", "/employer/vacancies/{id}/status", OwnEmployer, Page),
    r("GET", "/staff/persons", ViewPersons, Page),
    r("POST", "/staff/persons/lookup", ViewPersons, Page),
    scoped("GET", "/staff/persons/{id}", ViewPersons, Page),
    scoped("POST", "/staff/persons/{id}/reveal", ViewFullNationalId, Page),
    scoped("POST", "/staff/persons/{id}/register", Casework, Page),
    scoped("POST", "/staff/persons/{id}/services", Casework, Page),
    scoped("POST", "/staff/persons/{id}/push", Casework, Page),
    scoped("POST", "/staff/persons/{id}/contacts", Casework, Page),
    scoped("POST", "/staff/persons/{id}/employment", Casework, Page),
    scoped("POST", "/staff/persons/{id}/deregister", Casework, Page),
    scoped("POST", "/staff/persons/{id}/tier", Casework, Page),
    r("GET", "/staff/caseload", Casework, Page),
    r("GET", "/staff/league", Casework, Page),
    r("GET", "/staff/budget", PayClaims, Page),
    r("GET", "/staff/claims", ReviewClaims, Page),
    r("GET", "/staff/claims/{id}", ReviewClaims, Page),
    r("POST", "/staff/claims/{id}/action", ReviewClaims, Page),
    r("GET", "/staff/import", Casework, Page),
    r("POST", "/staff/import", Casework, Page),
    r("GET", "/my/services", OwnProfile, Page),
    r("GET", "/my/subsidies", OwnProfile, Page),
    r("GET", "/my/subsidies/{id}", OwnProfile, Page),
    r("POST", "/my/subsidies/{id}", OwnProfile, Page),
    r("GET", "/employer/subsidies", OwnEmployer, Page),
    r("GET", "/employer/subsidies/{id}", OwnEmployer, Page),
    r("POST", "/employer/subsidies/{id}", OwnEmployer, Page),
    r("GET", "/provider/subsidies", ProviderWork, Page),
    r("GET", "/provider/subsidies/{id}", ProviderWork, Page),
    r("POST", "/provider/subsidies/{id}", ProviderWork, Page),
    r("GET", "/my/training", OwnProfile, Page),
    r("GET", "/training", ManageTraining, Page),
    r("POST", "/training", ManageTraining, Page),
    r("GET", "/training/{id}", ManageTraining, Page),
    r("POST", "/training/{id}/enrol", ManageTraining, Page),
    r("POST", "/training/enrolments/{id}/assess", ManageTraining, Page),
    r("POST", "/training/enrolments/{id}/certify", ManageTraining, Page),
    r("GET", "/provider", ProviderWork, Page),
    r("POST", "/provider/persons/{id}", ProviderWork, Page),
    r("POST", "/my/register", OwnProfile, Page),
    r("POST", "/my/services/{id}/rate", OwnProfile, Page),
    r("GET", "/admin/users", ManageUsers, Page),
    r("POST", "/admin/users", ManageUsers, Page),
    r("GET", "/admin/audit", ViewAudit, Page),
    r("GET", "/static/{file}", Public, Page),
];

pub fn lookup(method: &Method, path: &str) -> Option<&'static RouteSpec> {
    ROUTES.iter().find(|s| s.path == path && s.method == method.as_str())
}

/// The guard: find the route in the table and check the permission before any handler runs.
pub async fn guard(State(state): State<AppState>, matched: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Some(path) = matched.as_ref().map(|m| m.as_str().to_string()) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    // HEAD is answered like GET.
    let method = if parts.method == Method::HEAD { Method::GET } else { parts.method.clone() };
    let t = match crate::pages::Tr::from_request_parts(&mut parts, &state).await {
        Ok(t) => t,
        Err(never) => match never {},
    };
    let Some(spec) = lookup(&method, &path) else {
        return refuse(&path, ApiError::Forbidden, t, None);
    };
    let viewer = match Viewer::from_request_parts(&mut parts, &state).await {
        Ok(v) => v,
        Err(e) => return refuse(&path, e, t, None),
    };
    if let Err(e) = viewer.check(spec.permission) {
        if spec.kind == Kind::Page && matches!(e, ApiError::Unauthenticated) {
            return axum::response::Redirect::to("/login").into_response();
        }
        return refuse(&path, e, t, Some(&viewer));
    }
    // CSRF, for every write a browser can make, before any handler runs: a page form must
    // carry the visitor's token; an API write signed in by the session cookie must carry it in
    // `X-CSRF-Token` (a cross-site page can send neither). Bearer-token clients need neither.
    let writes = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    if writes && spec.kind == Kind::Api && viewer.via_cookie && viewer.account.is_some() {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if let Err(e) = crate::csrf::verify(&viewer, sent) {
            return refuse(&path, e, t, Some(&viewer));
        }
    }
    if writes && spec.kind == Kind::Page {
        let form = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        // A multipart upload (the import page) carries its token as a form field too; its
        // handler reads it while it streams the file.
        if form {
            let bytes = match axum::body::to_bytes(body, crate::json::MAX_BODY).await {
                Ok(b) => b,
                Err(_) => return refuse(&path, ApiError::PayloadTooLarge, t, Some(&viewer)),
            };
            let token = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
            if let Err(e) = crate::csrf::verify(&viewer, token.as_deref()) {
                return refuse(&path, e, t, Some(&viewer));
            }
            body = axum::body::Body::from(bytes);
        } else if !is_multipart(&parts) {
            return refuse(&path, ApiError::UnsupportedMediaType, t, Some(&viewer));
        }
    }
    // District scope of person routes, before any body is read: a person outside the viewer's
    // scope is not found, whatever the request carries.
    if spec.person_scoped && spec.path.contains("{id}") {
        let params = axum::extract::RawPathParams::from_request_parts(&mut parts, &state).await.ok();
        let id = params.as_ref().and_then(|p| p.iter().find(|(k, _)| *k == "id").map(|(_, v)| v.to_string()));
        let seen = match id.as_deref().map(uuid::Uuid::parse_str) {
            Some(Ok(id)) => state.core().person(&state.ctx(&viewer), id).await.map(|_| ()).map_err(ApiError::from),
            _ => Err(ApiError::NotFound),
        };
        if let Err(e) = seen {
            return refuse(&path, e, t, Some(&viewer));
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The header a browser's API write carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

fn is_multipart(parts: &axum::http::request::Parts) -> bool {
    parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"))
}

fn refuse(path: &str, e: ApiError, t: crate::pages::Tr, viewer: Option<&Viewer>) -> Response {
    if path.starts_with("/api") || path == "/metrics" {
        e.into_response()
    } else {
        crate::pages::error_page(&e, t, viewer)
    }
}
