//! Every route and page, declared once: method, path, permission, kind and handler. The router
//! is built from this table ([`router`]), the guard checks each request against it, and the
//! OpenAPI test and the route × role × district tests read it — a route cannot exist without
//! its permission.
//!
//! A request whose route is not in this table is refused (deny by default).

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};

use jiuye_domain::roles::Permission;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::{AppState, api, ops, pages};

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
    /// The handler (`None`: served by another router, e.g. the OpenAPI document).
    pub handler: Option<fn() -> MethodRouter<AppState>>,
}

type Handler = fn() -> MethodRouter<AppState>;

const fn r(method: &'static str, path: &'static str, permission: Permission, kind: Kind, h: Handler) -> RouteSpec {
    RouteSpec { method, path, permission, kind, person_scoped: false, handler: Some(h) }
}

const fn scoped(method: &'static str, path: &'static str, permission: Permission, kind: Kind, h: Handler) -> RouteSpec {
    RouteSpec { method, path, permission, kind, person_scoped: true, handler: Some(h) }
}

/// A route listed for completeness whose handler lives in another router.
const fn elsewhere(method: &'static str, path: &'static str, permission: Permission, kind: Kind) -> RouteSpec {
    RouteSpec { method, path, permission, kind, person_scoped: false, handler: None }
}

/// Every route of the table with its handler (one path's methods merged).
pub fn router() -> Router<AppState> {
    ROUTES.iter().fold(Router::new(), |router, spec| match spec.handler {
        Some(h) => router.route(spec.path, h()),
        None => router,
    })
}

use Kind::*;
use Permission::*;

pub const ROUTES: &[RouteSpec] = &[
    // Operations
    r("GET", "/healthz", Public, Ops, || get(ops::healthz)),
    r("GET", "/readyz", Public, Ops, || get(ops::readyz)),
    r("GET", "/metrics", Public, Ops, || get(ops::metrics)),
    // Served by the docs router outside the guard; listed so the table is complete.
    elsewhere("GET", "/api/openapi.json", Public, Ops),
    elsewhere("GET", "/api/docs/", Public, Ops),
    // JSON API
    r("POST", "/api/v1/auth/login", Public, Api, || post(api::session::login)),
    r("POST", "/api/v1/auth/logout", Authenticated, Api, || post(api::session::logout)),
    r("POST", "/api/v1/auth/register/seeker", Public, Api, || post(api::session::register_seeker)),
    r("POST", "/api/v1/auth/register/employer", Public, Api, || post(api::session::register_employer)),
    r("POST", "/api/v1/auth/activate", Public, Api, || post(api::session::activate)),
    r("PUT", "/api/v1/me/password", Authenticated, Api, || put(api::session::change_password)),
    r("POST", "/api/v1/me/sessions/end", Authenticated, Api, || post(api::session::sign_out_everywhere)),
    r("GET", "/api/v1/me", Authenticated, Api, || get(api::session::me)),
    r("GET", "/api/v1/me/profile", OwnProfile, Api, || get(api::persons::my_profile)),
    r("PUT", "/api/v1/me/profile", OwnProfile, Api, || put(api::persons::update_my_profile)),
    r("GET", "/api/v1/me/origin", OwnProfile, Api, || get(api::persons::my_origin)),
    r("PUT", "/api/v1/me/origin", OwnProfile, Api, || put(api::persons::set_my_origin)),
    r("DELETE", "/api/v1/me/origin", OwnProfile, Api, || delete(api::persons::clear_my_origin)),
    r("GET", "/api/v1/me/employer", OwnEmployer, Api, || get(api::employers::my_employer)),
    r("GET", "/api/v1/me/vacancies", OwnEmployer, Api, || get(api::vacancies::my_vacancies)),
    r("GET", "/api/v1/me/recommendations", OwnProfile, Api, || get(api::recommend::mine)),
    r("GET", "/api/v1/me/applications", OwnProfile, Api, || get(api::applications::mine)),
    r("POST", "/api/v1/vacancies/{id}/apply", OwnProfile, Api, || post(api::applications::apply)),
    r("GET", "/api/v1/vacancies/{id}/applications", ManageVacancies, Api, || get(api::applications::for_vacancy)),
    r("POST", "/api/v1/applications/{id}/status", Authenticated, Api, || post(api::applications::set_status)),
    r("GET", "/api/v1/persons", ViewPersons, Api, || get(api::persons::list)),
    r("POST", "/api/v1/persons", EditPersons, Api, || post(api::persons::create)),
    scoped("POST", "/api/v1/persons/lookup", ViewPersons, Api, || post(api::persons::lookup)),
    scoped("GET", "/api/v1/persons/{id}", ViewPersons, Api, || get(api::persons::get_one)),
    scoped("PUT", "/api/v1/persons/{id}", EditPersons, Api, || put(api::persons::update)),
    scoped("GET", "/api/v1/persons/{id}/national-id", ViewFullNationalId, Api, || get(api::persons::reveal)),
    scoped("GET", "/api/v1/persons/{id}/recommendations", ViewPersons, Api, || get(api::recommend::for_person)),
    r("GET", "/api/v1/employers", ViewEmployers, Api, || get(api::employers::list)),
    r("POST", "/api/v1/employers", EditEmployers, Api, || post(api::employers::create)),
    r("GET", "/api/v1/employers/{id}", ViewEmployers, Api, || get(api::employers::get_one)),
    r("PUT", "/api/v1/employers/{id}", EditEmployers, Api, || put(api::employers::update)),
    r("GET", "/api/v1/vacancies", Public, Api, || get(api::vacancies::list)),
    r("POST", "/api/v1/vacancies", ManageVacancies, Api, || post(api::vacancies::create)),
    r("GET", "/api/v1/vacancies/search", Public, Api, || get(api::search::search)),
    r("GET", "/api/v1/vacancies/suggest", Public, Api, || get(api::search::suggest)),
    r("GET", "/api/v1/vacancies/{id}", Public, Api, || get(api::vacancies::get_one)),
    r("PUT", "/api/v1/vacancies/{id}", ManageVacancies, Api, || put(api::vacancies::update)),
    r("POST", "/api/v1/vacancies/{id}/status", ManageVacancies, Api, || post(api::vacancies::set_status)),
    r("GET", "/api/v1/vacancies/{id}/candidates", ManageVacancies, Api, || get(api::recommend::candidates)),
    r("GET", "/api/v1/accounts", ManageUsers, Api, || get(api::accounts::list)),
    r("POST", "/api/v1/accounts", ManageUsers, Api, || post(api::accounts::create)),
    r("POST", "/api/v1/accounts/{id}/active", ManageUsers, Api, || post(api::accounts::set_active)),
    r("GET", "/api/v1/audit", ViewAudit, Api, || get(api::accounts::audit)),
    r("GET", "/api/v1/codes/{list}", Public, Api, || get(api::codes::list)),
    r("GET", "/api/v1/me/casework", OwnProfile, Api, || get(api::my_casework::mine)),
    r("GET", "/api/v1/me/inbox", Authenticated, Api, || get(api::my_casework::inbox)),
    r("GET", "/api/v1/me/notices", OwnProfile, Api, || get(api::notices::notices)),
    r("GET", "/my/notices", OwnProfile, Page, || get(pages::seeker::notices)),
    r("GET", "/api/v1/me/saved", OwnProfile, Api, || get(api::saved::list)),
    r("PUT", "/api/v1/me/saved/{id}", OwnProfile, Api, || put(api::saved::save)),
    r("DELETE", "/api/v1/me/saved/{id}", OwnProfile, Api, || delete(api::saved::unsave)),
    r("GET", "/my/saved", OwnProfile, Page, || get(pages::seeker::saved)),
    r("GET", "/gig", Public, Page, || get(pages::gig::index)),
    r("GET", "/gig/sites/{id}", Public, Page, || get(pages::gig::board)),
    r("GET", "/gig/sites/{id}/list", Public, Page, || get(pages::gig::board_list)),
    r("GET", "/gig/sites/{id}/kiosk", Public, Page, || get(pages::gig::kiosk)),
    r("GET", "/gig/sites/{id}/events", Public, Page, || get(pages::gig::board_events)),
    r("GET", "/gig/checkin/{token}", GigWork, Page, || get(pages::gig::checkin_page)),
    r("POST", "/gig/checkin/{token}", GigWork, Page, || post(pages::gig::checkin)),
    r("GET", "/my/gig", GigWork, Page, || get(pages::gig::my_gig)),
    r("POST", "/my/gig", GigWork, Page, || post(pages::gig::save_profile)),
    r("POST", "/gig/{id}/accept", GigWork, Page, || post(pages::gig::accept)),
    r("POST", "/gig/bookings/{id}/{action}", Authenticated, Page, || post(pages::gig::booking_action)),
    r("GET", "/gig/post", PostGigs, Page, || get(pages::gig::post_form)),
    r("POST", "/gig/post", PostGigs, Page, || post(pages::gig::post)),
    r("GET", "/gig/posted", PostGigs, Page, || get(pages::gig::posted)),
    r("GET", "/staff/gig", ReviewGigs, Page, || get(pages::gig::review_queue)),
    r("POST", "/staff/gig/{id}/review", ReviewGigs, Page, || post(pages::gig::review)),
    r("GET", "/my/arrears", GigWork, Page, || get(pages::labour::mine)),
    r("POST", "/my/arrears", GigWork, Page, || post(pages::labour::file)),
    r("GET", "/staff/arrears", LabourCases, Page, || get(pages::labour::workbench)),
    r("POST", "/staff/arrears", LabourCases, Page, || post(pages::labour::desk_file)),
    r("GET", "/staff/arrears/{id}", LabourCases, Page, || get(pages::labour::case_view)),
    r("POST", "/staff/arrears/{id}/action", LabourCases, Page, || post(pages::labour::act)),
    r("POST", "/vacancies/{id}/save", OwnProfile, Page, || post(pages::seeker::save_vacancy)),
    r("POST", "/api/v1/me/registration", OwnProfile, Api, || post(api::my_casework::register_me)),
    r("POST", "/api/v1/me/employments", OwnProfile, Api, || post(api::my_casework::declare_employment)),
    r("POST", "/api/v1/me/services/{id}/rating", OwnProfile, Api, || post(api::my_casework::rate)),
    scoped("GET", "/api/v1/persons/{id}/casework", Casework, Api, || get(api::casework::get_case)),
    scoped("POST", "/api/v1/persons/{id}/registrations", Casework, Api, || post(api::casework::create_registration)),
    scoped("POST", "/api/v1/persons/{id}/activation-code", Casework, Api, || post(api::session::issue_activation_code)),
    scoped("POST", "/api/v1/persons/{id}/identities", Casework, Api, || post(api::persons::link_identity)),
    scoped("POST", "/api/v1/persons/{id}/registration/end", Casework, Api, || post(api::casework::end_registration)),
    scoped("POST", "/api/v1/persons/{id}/registration/tier", Casework, Api, || post(api::casework::override_tier)),
    scoped("POST", "/api/v1/persons/{id}/registration/assign", Casework, Api, || post(api::casework::assign)),
    scoped("POST", "/api/v1/persons/{id}/employments", Casework, Api, || post(api::casework::create_employment)),
    scoped("POST", "/api/v1/persons/{id}/services", Casework, Api, || post(api::casework::create_service)),
    scoped("POST", "/api/v1/persons/{id}/contacts", Casework, Api, || post(api::casework::create_contact)),
    scoped("POST", "/api/v1/persons/{id}/push-jobs", Casework, Api, || post(api::casework::push)),
    scoped("POST", "/api/v1/persons/{id}/recognitions", Casework, Api, || post(api::casework::recognise)),
    r("GET", "/api/v1/casework/caseload", Casework, Api, || get(api::caseload::caseload)),
    r("GET", "/api/v1/casework/rules", Casework, Api, || get(api::casework_rules::get_rules)),
    r("POST", "/api/v1/casework/rules", PublishCaseworkRules, Api, || post(api::casework_rules::publish_rules)),
    r("GET", "/api/v1/casework/caseload.xlsx", Casework, Api, || get(api::spreadsheets::export_caseload)),
    r("GET", "/api/v1/casework/import-template.xlsx", Casework, Api, || get(api::spreadsheets::import_template)),
    r("POST", "/api/v1/casework/import", Casework, Api, || {
        post(api::spreadsheets::import_xlsx).layer(axum::extract::DefaultBodyLimit::max(crate::xlsx::MAX_UPLOAD))
    }),
    r("GET", "/api/v1/casework/league", Casework, Api, || get(api::caseload::league)),
    r("GET", "/api/v1/casework/graduate-contact-rate", Casework, Api, || get(api::caseload::graduate_contact_rate)),
    r("GET", "/api/v1/casework/satisfaction", Casework, Api, || get(api::caseload::satisfaction)),
    r("GET", "/api/v1/casework/households", Casework, Api, || get(api::caseload::zero_households)),
    r("POST", "/api/v1/casework/households", Casework, Api, || post(api::caseload::create_household)),
    r("GET", "/api/v1/policies", Public, Api, || get(api::claims::policies)),
    r("GET", "/api/v1/policies/versions", PublishPolicies, Api, || get(api::claims::versions)),
    r("GET", "/api/v1/policies/{id}", Public, Api, || get(api::claims::policy)),
    r("POST", "/api/v1/policies/{id}/publish", PublishPolicies, Api, || post(api::claims::publish)),
    r("POST", "/api/v1/claims/precheck", FileClaims, Api, || post(api::claims::precheck)),
    r("GET", "/api/v1/claims", FileClaims, Api, || get(api::claims::list)),
    r("POST", "/api/v1/claims", FileClaims, Api, || post(api::claims::submit)),
    r("GET", "/api/v1/claims/{id}", FileClaims, Api, || get(api::claims::get_one)),
    r("POST", "/api/v1/claims/{id}/action", ReviewClaims, Api, || post(api::claims::act)),
    r("GET", "/api/v1/budget", PayClaims, Api, || get(api::claims::budget)),
    r("POST", "/api/v1/budget", ManageBudget, Api, || post(api::claims::allocate)),
    r("GET", "/api/v1/budget.xlsx", PayClaims, Api, || get(api::claims::budget_xlsx)),
    r("GET", "/api/v1/oversight/indicators", ViewOversight, Api, || get(api::oversight::dashboard)),
    r("GET", "/api/v1/oversight/indicators.xlsx", ViewOversight, Api, || get(api::oversight::dashboard_xlsx)),
    r("GET", "/api/v1/oversight/indicators.csv", ViewOversight, Api, || get(api::oversight::dashboard_csv)),
    r("GET", "/api/v1/oversight/indicators/{id}/records", ViewOversight, Api, || get(api::oversight::records)),
    r("POST", "/api/v1/oversight/indicators/{id}/entries", EnterIndicators, Api, || post(api::oversight::create_entry)),
    r("POST", "/api/v1/me/surveys", AnswerSurveys, Api, || post(api::oversight::create_survey)),
    r("GET", "/api/v1/oversight/market", ViewOversight, Api, || get(api::market::market)),
    r("GET", "/api/v1/oversight/fairness", ViewOversight, Api, || get(api::market::fairness)),
    r("GET", "/api/v1/progress", ViewProgress, Api, || get(api::progress::overview)),
    r("POST", "/api/v1/progress/reports", FileProgress, Api, || post(api::progress::create)),
    r("GET", "/api/v1/progress/monthly", ViewOversight, Api, || get(api::progress::monthly)),
    r("GET", "/api/v1/progress/monthly.xlsx", ViewOversight, Api, || get(api::progress::monthly_xlsx)),
    r("GET", "/api/v1/feed/changes", Public, Api, || get(api::feed::changes)),
    r("GET", "/api/v1/feed/snapshot", Public, Api, || get(api::feed::snapshot)),
    r("GET", "/api/v1/training/programmes", Public, Api, || get(api::training::programmes)),
    r("POST", "/api/v1/training/programmes", ManageTraining, Api, || post(api::training::create_programme)),
    r("POST", "/api/v1/training/programmes/{id}/enrolments", ManageTraining, Api, || post(api::training::enrol)),
    r("GET", "/api/v1/training/programmes/{id}/claim", ManageTraining, Api, || get(api::training::programme_claim)),
    r("POST", "/api/v1/training/enrolments/{id}/assessment", ManageTraining, Api, || post(api::training::assess)),
    r("POST", "/api/v1/training/enrolments/{id}/certificate", ManageTraining, Api, || post(api::training::certify)),
    r("GET", "/api/v1/gig/sites", Public, Api, || get(api::gig::sites)),
    r("GET", "/api/v1/gig/sites.csv", Public, Api, || get(api::gig::directory_csv)),
    r("GET", "/api/v1/gig/sites.xlsx", Public, Api, || get(api::gig::directory_xlsx)),
    r("POST", "/api/v1/gig/sites", ManageGigSites, Api, || post(api::gig::create_site)),
    r("POST", "/api/v1/gig/sites/{id}/checkins", ReviewGigs, Api, || post(api::gig::staff_check_in)),
    r("GET", "/api/v1/gig/demands", Public, Api, || get(api::gig::open_gigs)),
    r("POST", "/api/v1/gig/demands", PostGigs, Api, || post(api::gig::post_gig)),
    r("GET", "/api/v1/gig/demands/{id}", Public, Api, || get(api::gig::gig)),
    r("GET", "/api/v1/gig/demands/{id}/candidates", Authenticated, Api, || get(api::gig::candidates)),
    r("GET", "/api/v1/gig/demands/{id}/bookings", PostGigs, Api, || get(api::gig::bookings)),
    r("POST", "/api/v1/gig/demands/{id}/review", ReviewGigs, Api, || post(api::gig::review)),
    r("POST", "/api/v1/gig/demands/{id}/accept", GigWork, Api, || post(api::gig::accept)),
    r("POST", "/api/v1/gig/demands/{id}/close", PostGigs, Api, || post(api::gig::close)),
    r("GET", "/api/v1/gig/held", ReviewGigs, Api, || get(api::gig::held)),
    r("GET", "/api/v1/me/gig", GigWork, Api, || get(api::gig::my_gig)),
    r("PUT", "/api/v1/me/gig", GigWork, Api, || put(api::gig::set_profile)),
    r("POST", "/api/v1/gig/checkin", GigWork, Api, || post(api::gig::check_in)),
    r("POST", "/api/v1/gig/bookings/{id}/confirm", Authenticated, Api, || post(api::gig::confirm)),
    r("POST", "/api/v1/gig/bookings/{id}/pay", Authenticated, Api, || post(api::gig::pay)),
    r("POST", "/api/v1/gig/bookings/{id}/rating", Authenticated, Api, || post(api::gig::rate)),
    r("POST", "/api/v1/arrears", ArrearsComplaints, Api, || post(api::labour::file)),
    r("GET", "/api/v1/arrears", ArrearsComplaints, Api, || get(api::labour::list)),
    r("GET", "/api/v1/arrears/stats", LabourCases, Api, || get(api::labour::stats)),
    r("GET", "/api/v1/arrears/{id}", ArrearsComplaints, Api, || get(api::labour::get_one)),
    r("POST", "/api/v1/arrears/{id}/action", LabourCases, Api, || post(api::labour::act)),
    r("GET", "/api/v1/mediation-orgs", Public, Api, || get(api::labour::mediation_orgs)),
    r("POST", "/api/v1/mediation-orgs", ManageMediationOrgs, Api, || post(api::labour::register_mediation_org)),
    r("GET", "/api/v1/training/certificate-rate", ManageTraining, Api, || get(api::training::certificate_rate)),
    r("GET", "/api/v1/me/training", OwnProfile, Api, || get(api::training::mine)),
    r("GET", "/api/v1/providers", ManageProviders, Api, || get(api::providers::list)),
    r("POST", "/api/v1/providers", ManageProviders, Api, || post(api::providers::create)),
    r("POST", "/api/v1/providers/{id}/contracts", ManageProviders, Api, || post(api::providers::create_contract)),
    r("GET", "/api/v1/providers/{id}/statement", ManageProviders, Api, || get(api::providers::statement)),
    r("GET", "/api/v1/provider/contracts", ProviderWork, Api, || get(api::providers::my_contracts)),
    r("GET", "/api/v1/provider/statement", ProviderWork, Api, || get(api::providers::my_statement)),
    r("POST", "/api/v1/provider/persons/{id}/services", ProviderWork, Api, || post(api::providers::provider_service)),
    r("POST", "/api/v1/provider/persons/{id}/contacts", ProviderWork, Api, || post(api::providers::provider_contact)),
    // Pages
    r("GET", "/", Public, Page, || get(pages::public::home)),
    r("GET", "/settings", Public, Page, || get(pages::public::settings)),
    r("GET", "/login", Public, Page, || get(pages::account::login_form)),
    r("POST", "/login", Public, Page, || post(pages::account::login)),
    r("POST", "/logout", Authenticated, Page, || post(pages::account::logout)),
    r("GET", "/register", Public, Page, || get(pages::account::register_form)),
    r("POST", "/register", Public, Page, || post(pages::account::register)),
    r("GET", "/register/employer", Public, Page, || get(pages::account::register_employer_form)),
    r("POST", "/register/employer", Public, Page, || post(pages::account::register_employer)),
    r("GET", "/vacancies", Public, Page, || get(pages::public::vacancies)),
    r("GET", "/vacancies/{id}", Public, Page, || get(pages::public::vacancy)),
    r("POST", "/vacancies/{id}/apply", OwnProfile, Page, || post(pages::applications::apply)),
    r("POST", "/applications/{id}/withdraw", OwnProfile, Page, || post(pages::applications::withdraw)),
    r("GET", "/employer/vacancies/{id}/applications", OwnEmployer, Page, || get(pages::applications::applicants)),
    r("GET", "/employer/vacancies/{id}/candidates", OwnEmployer, Page, || get(pages::applications::candidates)),
    r("POST", "/employer/applications/{id}/status", OwnEmployer, Page, || post(pages::applications::employer_move)),
    r("GET", "/me", Authenticated, Page, || get(pages::account::me)),
    r("GET", "/profile", OwnProfile, Page, || get(pages::seeker::profile)),
    r("POST", "/profile", OwnProfile, Page, || post(pages::seeker::save_profile)),
    r("POST", "/profile/origin", OwnProfile, Page, || post(pages::seeker::save_origin)),
    r("GET", "/employer/vacancies", OwnEmployer, Page, || get(pages::employer::list)),
    r("GET", "/employer/vacancies/new", OwnEmployer, Page, || get(pages::employer::new_form)),
    r("POST", "/employer/vacancies", OwnEmployer, Page, || post(pages::employer::create)),
    r("POST", "/employer/vacancies/{id}/status", OwnEmployer, Page, || post(pages::employer::set_status)),
    r("GET", "/staff/persons", ViewPersons, Page, || get(pages::staff::persons)),
    r("POST", "/staff/persons/lookup", ViewPersons, Page, || post(pages::staff::lookup)),
    scoped("GET", "/staff/persons/{id}", ViewPersons, Page, || get(pages::staff::person)),
    scoped("POST", "/staff/persons/{id}/reveal", ViewFullNationalId, Page, || post(pages::staff::reveal)),
    scoped("POST", "/staff/persons/{id}/register", Casework, Page, || post(pages::casework::register_person)),
    scoped("POST", "/staff/persons/{id}/services", Casework, Page, || post(pages::casework::add_service_page)),
    scoped("POST", "/staff/persons/{id}/push", Casework, Page, || post(pages::casework::push_page)),
    scoped("POST", "/staff/persons/{id}/contacts", Casework, Page, || post(pages::casework::contact_page)),
    scoped("POST", "/staff/persons/{id}/employment", Casework, Page, || post(pages::casework::employment_page)),
    scoped("POST", "/staff/persons/{id}/deregister", Casework, Page, || post(pages::casework::deregister_page)),
    scoped("POST", "/staff/persons/{id}/tier", Casework, Page, || post(pages::casework::tier_page)),
    r("GET", "/admin/dashboard", ViewOversight, Page, || get(pages::oversight::dashboard)),
    r("GET", "/admin/dashboard/{id}", ViewOversight, Page, || get(pages::oversight::indicator)),
    r("POST", "/admin/dashboard/{id}/entries", EnterIndicators, Page, || post(pages::oversight::enter)),
    r("GET", "/admin/market", ViewOversight, Page, || get(pages::market::market)),
    r("GET", "/admin/policies/simulate", PublishPolicies, Page, || get(pages::simulate::simulate)),
    r("GET", "/progress", ViewProgress, Page, || get(pages::progress::overview)),
    r("POST", "/progress", FileProgress, Page, || post(pages::progress::file)),
    r("GET", "/progress/monthly", ViewOversight, Page, || get(pages::progress::monthly)),
    r("GET", "/staff/today", Casework, Page, || get(pages::casework::today)),
    r("GET", "/staff/caseload", Casework, Page, || get(pages::casework::caseload)),
    r("GET", "/staff/league", Casework, Page, || get(pages::casework::league)),
    r("GET", "/staff/budget", PayClaims, Page, || get(pages::subsidies::budget)),
    r("GET", "/staff/claims", ReviewClaims, Page, || get(pages::subsidies::claims)),
    r("GET", "/staff/claims/{id}", ReviewClaims, Page, || get(pages::subsidies::review)),
    r("POST", "/staff/claims/{id}/action", ReviewClaims, Page, || post(pages::subsidies::claim_action)),
    r("GET", "/staff/import", Casework, Page, || {
        get(pages::casework::import_form)
            .layer(axum::extract::DefaultBodyLimit::max(crate::xlsx::MAX_UPLOAD + 64 * 1024))
    }),
    r("POST", "/staff/import", Casework, Page, || {
        post(pages::casework::import_upload)
            .layer(axum::extract::DefaultBodyLimit::max(crate::xlsx::MAX_UPLOAD + 64 * 1024))
    }),
    r("GET", "/my/services", OwnProfile, Page, || get(pages::casework::my_services)),
    r("GET", "/my/subsidies", OwnProfile, Page, || get(pages::subsidies::my_subsidies)),
    r("GET", "/my/subsidies/{id}", OwnProfile, Page, || get(pages::subsidies::claim_form)),
    r("POST", "/my/subsidies/{id}", OwnProfile, Page, || post(pages::subsidies::claim_post)),
    r("GET", "/employer/subsidies", OwnEmployer, Page, || get(pages::subsidies::my_subsidies)),
    r("GET", "/employer/subsidies/{id}", OwnEmployer, Page, || get(pages::subsidies::claim_form)),
    r("POST", "/employer/subsidies/{id}", OwnEmployer, Page, || post(pages::subsidies::claim_post)),
    r("GET", "/provider/subsidies", ProviderWork, Page, || get(pages::subsidies::my_subsidies)),
    r("GET", "/provider/subsidies/{id}", ProviderWork, Page, || get(pages::subsidies::claim_form)),
    r("POST", "/provider/subsidies/{id}", ProviderWork, Page, || post(pages::subsidies::claim_post)),
    r("GET", "/my/training", OwnProfile, Page, || get(pages::training::mine)),
    r("POST", "/my/surveys", AnswerSurveys, Page, || post(pages::surveys::answer)),
    r("GET", "/training", ManageTraining, Page, || get(pages::training::programmes)),
    r("POST", "/training", ManageTraining, Page, || post(pages::training::create)),
    r("GET", "/training/{id}", ManageTraining, Page, || get(pages::training::programme)),
    r("POST", "/training/{id}/enrol", ManageTraining, Page, || post(pages::training::enrol)),
    r("POST", "/training/enrolments/{id}/assess", ManageTraining, Page, || post(pages::training::assess)),
    r("POST", "/training/enrolments/{id}/certify", ManageTraining, Page, || post(pages::training::certify)),
    r("GET", "/provider", ProviderWork, Page, || get(pages::casework::provider_home)),
    r("POST", "/provider/persons/{id}", ProviderWork, Page, || post(pages::casework::provider_record)),
    r("POST", "/my/register", OwnProfile, Page, || post(pages::casework::register_me)),
    r("POST", "/my/services/{id}/rate", OwnProfile, Page, || post(pages::casework::rate_page)),
    r("GET", "/activate", Public, Page, || get(pages::security::activate_form)),
    r("POST", "/activate", Public, Page, || post(pages::security::activate)),
    r("GET", "/account", Authenticated, Page, || get(pages::security::account)),
    r("POST", "/account/password", Authenticated, Page, || post(pages::security::change_password)),
    r("POST", "/account/sessions/end", Authenticated, Page, || post(pages::security::end_sessions)),
    scoped("POST", "/staff/persons/{id}/activation-code", Casework, Page, || post(pages::security::issue_code)),
    r("GET", "/admin/users", ManageUsers, Page, || get(pages::admin::users)),
    r("POST", "/admin/users", ManageUsers, Page, || post(pages::admin::create_user)),
    r("POST", "/admin/users/{id}/active", ManageUsers, Page, || post(pages::admin::set_active)),
    r("GET", "/admin/audit", ViewAudit, Page, || get(pages::admin::audit)),
    r("GET", "/static/{file}", Public, Page, || get(pages::static_file)),
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
        // The path exists, the method does not: 405 with the methods it has.
        let allowed: Vec<&str> = ROUTES.iter().filter(|s| s.path == path).map(|s| s.method).collect();
        let mut resp = refuse(&path, ApiError::MethodNotAllowed, t, None);
        let allow = if allowed.contains(&"GET") { [allowed, vec!["HEAD"]].concat() } else { allowed };
        if let Ok(v) = axum::http::HeaderValue::from_str(&allow.join(", ")) {
            resp.headers_mut().insert(axum::http::header::ALLOW, v);
        }
        return resp;
    };
    // Hostile input in the address never reaches a handler: control characters or bytes that
    // are not UTF-8 in the path, control characters or impossible dates in the query.
    let address = crate::input::check_path(parts.uri.path())
        .and_then(|()| crate::input::check_query(parts.uri.query().unwrap_or_default()));
    if let Err(e) = address {
        return refuse(&path, ApiError::invalid(e), t, None);
    }
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
            let bytes = match crate::json::read_capped(body, crate::json::MAX_BODY).await {
                Ok(b) => b,
                Err(_) => return refuse(&path, ApiError::PayloadTooLarge, t, Some(&viewer)),
            };
            let token = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
            if let Err(e) = crate::csrf::verify(&viewer, token.as_deref()) {
                return refuse(&path, e, t, Some(&viewer));
            }
            if let Err(e) = crate::input::check_pairs(form_urlencoded::parse(&bytes)) {
                return refuse(&path, ApiError::invalid(e), t, Some(&viewer));
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
    let resp = next.run(Request::from_parts(parts, body)).await;
    if spec.kind == Kind::Page { crate::pages::json_error_as_page(resp, t, &viewer).await } else { envelope(resp) }
}

/// An API never answers plain text: a rejection made below our handlers (a body over its
/// limit, an extractor of the framework) is answered with the envelope of its status.
fn envelope(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let e = match status.as_u16() {
        401 => ApiError::Unauthenticated,
        403 => ApiError::Forbidden,
        404 => ApiError::NotFound,
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge,
        415 => ApiError::UnsupportedMediaType,
        429 => ApiError::Throttled,
        400..=499 => ApiError::BadBody { code: "input.malformed", field: None, detail: String::new() },
        503 => ApiError::Unavailable,
        _ => ApiError::Internal,
    };
    let mut out = e.into_response();
    *out.status_mut() = status;
    out
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
