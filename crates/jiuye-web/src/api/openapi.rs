//! The OpenAPI 3.1 document (`/api/openapi.json`) and its docs page (`/api/docs`).

use axum::Router;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use super::{
    accounts, applications, caseload, casework, casework_rules, claims, codes, employers, feed, gig, labour, market,
    my_casework, notices, oversight, persons, progress, providers, recommend, saved, search, session, spreadsheets,
    training, vacancies, wire,
};
use crate::{error, ops};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "jiuye 就业 — public employment service API",
        description = "Persons, employers and vacancies of a city's public employment service. \
            Every error has the envelope {\"error\":{\"code\",\"message\",\"message_en\",\"field\"}}. \
            Lists page with `cursor`/`next_cursor`. Sign in with POST /api/v1/auth/login, then send the \
            token as `Authorization: Bearer …` (or use the session cookie it sets).",
        license(name = "Apache-2.0")
    ),
    paths(
        ops::healthz, ops::readyz, ops::metrics,
        session::login, session::logout, session::register_seeker, session::register_employer, session::me,
        session::activate, session::change_password, session::sign_out_everywhere, session::issue_activation_code,
        persons::my_profile, persons::update_my_profile, persons::my_origin, persons::set_my_origin,
        persons::clear_my_origin, persons::list, persons::create, persons::get_one,
        persons::update, persons::reveal, persons::lookup, persons::link_identity,
        employers::my_employer, employers::list, employers::create, employers::get_one, employers::update,
        vacancies::my_vacancies, vacancies::list, vacancies::create, vacancies::get_one, vacancies::update,
        vacancies::set_status, search::search, search::suggest,
        accounts::list, accounts::create, accounts::set_active, accounts::audit,
        codes::list, recommend::mine, recommend::for_person, recommend::candidates,
        applications::apply, applications::mine, applications::for_vacancy, applications::set_status,
        my_casework::mine, my_casework::inbox, notices::notices, saved::list, saved::save, saved::unsave, my_casework::register_me, my_casework::declare_employment, my_casework::rate,
        casework_rules::get_rules, casework_rules::publish_rules,
        casework::get_case, casework::create_registration, casework::end_registration, casework::override_tier,
        casework::assign, casework::create_employment, casework::create_service, casework::create_contact, casework::push, casework::recognise,
        caseload::caseload, caseload::league, caseload::graduate_contact_rate, caseload::satisfaction,
        caseload::zero_households, caseload::create_household,
        spreadsheets::export_caseload, spreadsheets::import_template, spreadsheets::import_xlsx,
        claims::policies, claims::policy, claims::versions, claims::publish, claims::precheck, claims::submit, claims::list, claims::get_one,
        claims::act, claims::budget, claims::budget_xlsx, claims::allocate,
        training::create_programme, training::programmes, training::enrol, training::assess, training::certify,
        training::programme_claim, training::certificate_rate, training::mine,
        providers::list, providers::create, providers::create_contract, providers::statement, providers::my_statement,
        providers::my_contracts, providers::provider_service, providers::provider_contact,
        oversight::dashboard, oversight::dashboard_xlsx, oversight::dashboard_csv, oversight::records,
        oversight::create_entry, oversight::create_survey, feed::changes, feed::snapshot,
        progress::overview, progress::create, progress::monthly, progress::monthly_xlsx, market::market, market::fairness,
        gig::sites, gig::directory_csv, gig::directory_xlsx, gig::create_site, gig::open_gigs, gig::post_gig, gig::gig, gig::candidates, gig::bookings, gig::review,
        gig::held, gig::accept, gig::close, gig::my_gig, gig::set_profile, gig::check_in, gig::staff_check_in,
        gig::confirm, gig::pay, gig::rate, labour::file, labour::list, labour::get_one, labour::act, labour::stats,
        labour::mediation_orgs, labour::register_mediation_org,
    ),
    components(schemas(
        error::ErrorEnvelope, error::ErrorBody, error::ErrorDetail,
        wire::LoginIn, wire::LoginOut, wire::AccountOut, wire::PersonIn, wire::PersonOut, wire::CertificateIn,
        wire::CertificateOut, wire::CodeName, wire::EmployerIn, wire::EmployerOut, wire::VacancyIn, wire::VacancyOut, wire::PayOut,
        session::RegisterSeekerIn, session::RegisterSeekerOut, session::RegisterEmployerIn, session::RegisterEmployerOut,
        session::RegistrationReceived, session::ActivateIn, session::PasswordIn, session::ActivationCodeOut, wire::IdentityIn, wire::IdentityOut,
        persons::FullNationalId, persons::LookupIn, persons::LinkIdentityIn, persons::OriginIn, persons::OriginOut, vacancies::StatusIn, accounts::AccountIn, accounts::ActiveIn, accounts::AuditOut,
        codes::CodeItem, search::SearchOut, search::SearchHit, search::FacetsOut, search::FacetCount,
        recommend::MatchReasonOut, recommend::RecommendationOut, recommend::CandidateOut,
        applications::ApplyIn, applications::MoveIn, applications::ApplicationOut, applications::ApplicantOut, applications::ApplicationEventOut,
        casework_rules::CaseworkRulesOut, casework_rules::RuleVersionOut, casework_rules::CaseworkRulesIn, casework_rules::PublishedOut,
        casework::Labelled, casework::RegistrationOut, casework::ReasonText, casework::TierOut, casework::One31ItemOut,
        casework::One31Out, casework::ServiceOut, casework::ContactOut, casework::EmploymentOut, casework::RegistrationEventOut,
        casework::RegistrationWithEvents, casework::CaseOut, casework::TrainingLine, casework::CertificateLine, casework::ClaimLine, casework::RegisterIn, casework::EndIn, casework::TierIn,
        casework::AssignIn, casework::EmploymentIn, casework::ServiceIn, casework::ContactIn, my_casework::RatingIn,
        my_casework::InboxOut,
        caseload::CaseRowOut, caseload::LeagueOut, caseload::RateOut, caseload::SatisfactionOut, caseload::MemberOut,
        caseload::HouseholdOut, caseload::ClearedOut, caseload::HouseholdIn, caseload::MemberIn,
        providers::ProviderOut, providers::ProviderIn, providers::ContractIn, providers::ContractOut,
        spreadsheets::RowError, spreadsheets::ImportReport,
        claims::PolicyOut, claims::ClaimIn, claims::ClaimReasonOut, claims::DecisionOut, claims::ClaimOut,
        claims::ClaimEventOut, claims::VersionOut, claims::PublishIn, claims::PublishOut, claims::ActionIn, claims::BudgetOut, claims::AllocationIn,
        training::ProgrammeIn, training::ProgrammeOut, training::EnrolIn, training::AssessmentIn,
        training::IssueCertificateIn, training::ProgrammeClaimOut, training::Figures, training::MyTraining,
        oversight::TrailPoint, oversight::EnteredOut, oversight::FigureOut, oversight::DashboardOut,
        oversight::RecordOut, oversight::RecordsOut, oversight::EntryIn, oversight::EntryOut, oversight::SurveyIn,
        feed::FeedItem, feed::FeedOut, market::CellOut, market::MarketOut, market::OfferedOut, market::FairnessOut, progress::ReportOut, progress::FigureLine, progress::MeasureOut, progress::ProgressOut,
        progress::ReportIn, progress::MonthlyLine, progress::MeasureLine, progress::MonthlyOut,
        gig::GigSiteOut, gig::GigSiteIn, gig::GigHoldOut, gig::GigOut, gig::GigIn, gig::GigCandidateOut, gig::GigBookingOut,
        gig::GigReviewIn, gig::GigWorkerIn, gig::GigWorkerOut, gig::GigOfferOut, gig::MyGigOut, gig::GigCheckinIn,
        gig::GigStaffCheckinIn, gig::GigConfirmIn, gig::GigPayIn, gig::GigRatingIn,
        labour::ClockOut, labour::LabourCaseOut, labour::ComplaintIn, labour::CaseActionIn, labour::LabourStatsOut,
        labour::CaseListQuery, labour::MediationOrgOut, labour::MediationOrgIn,
    )),
    tags(
        (name = "auth", description = "Sign-in, registration, the current account"),
        (name = "oversight", description = "The plan's indicator table (附件2), entered figures, satisfaction"),
        (name = "feed", description = "The open job feed: changes after a cursor, and a snapshot"),
        (name = "persons", description = "Job seekers and registered persons (district-scoped for staff)"),
        (name = "employers", description = "Employers (用人单位)"),
        (name = "vacancies", description = "Vacancies (岗位)"),
        (name = "admin", description = "Accounts and the audit log"),
        (name = "codes", description = "National code lists"),
        (name = "match", description = "Recommendations with reasons, both ways"),
        (name = "applications", description = "Applications and their state machine"),
        (name = "casework", description = "失业登记, 就业登记, tiers, contacts, the service ledger, \"131\", households"),
        (name = "providers", description = "Contracted third parties: contracts, their work and statements"),
        (name = "subsidies", description = "The policy catalogue, explained decisions, claims paid once within budget"),
        (name = "training", description = "Programmes, enrolment, assessment, certificates"),
        (name = "gig", description = "The gig market (零工市场): markets and stations, gigs posted and reviewed, workers offered, bookings"),
        (name = "ops", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

/// The document as served: the derived one, told the truth about security and about every
/// status the edge can answer (see [`complete`]).
pub fn document() -> serde_json::Value {
    let mut v = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    complete(&mut v);
    v
}

fn error_response(description: &str) -> serde_json::Value {
    serde_json::json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    })
}

/// Complete every operation from the route table, so the document says what the edge does:
/// - the bearer scheme (and the session cookie) on every route that needs an account;
/// - the answers any route can give outside its handler: 400 for a malformed query or body,
///   401/403 from the guard, 404 for unknown or out-of-scope objects, 413/415/422 for bodies,
///   422 for hostile input in the address, 503 when the database is unreachable.
pub fn complete(doc: &mut serde_json::Value) {
    doc["components"]["securitySchemes"] = serde_json::json!({
        "bearer": {"type": "http", "scheme": "bearer", "description": "The token from POST /api/v1/auth/login"},
        "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE,
                    "description": "The browser session; writes must carry X-CSRF-Token"}
    });
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut() {
            let Some(spec) =
                crate::access::ROUTES.iter().find(|r| r.path == path && r.method.eq_ignore_ascii_case(method))
            else {
                continue;
            };
            let public = spec.permission == jiuye_domain::roles::Permission::Public;
            op["security"] =
                if public { serde_json::json!([{}]) } else { serde_json::json!([{"bearer": []}, {"session": []}]) };
            let has_body = op.get("requestBody").is_some();
            let mut add = |code: &str, description: &str| {
                if op["responses"].get(code).is_none() {
                    op["responses"][code] = error_response(description);
                }
            };
            add("400", "A malformed query string or body");
            add("422", "Invalid input, or control characters or impossible dates in the address");
            add("503", "The database is unreachable; try again");
            if !public {
                add("401", "Not signed in");
                add("403", "The role may not do this (or a browser write without its CSRF token)");
            }
            if path.contains('{') {
                add("404", "Unknown, or outside the viewer's scope");
            }
            if has_body {
                add("413", "The body is too large");
                add("415", "The body is not of the documented media type");
            }
        }
    }
}

/// The docs page and the JSON document; public, outside the guard (they hold no data).
pub fn docs_routes() -> Router {
    SwaggerUi::new("/api/docs").external_url_unchecked("/api/openapi.json", document()).into()
}
