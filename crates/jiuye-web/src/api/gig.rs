//! The gig market over HTTP: the public directory of markets and stations and the open gigs;
//! posting (即时快招) with its review; workers' profiles, check-ins, offers and acceptance;
//! both sides confirming, paying and rating. Every decision is the core's (`jiuye_core::gig`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use jiuye_core::gig::{SiteInput, WorkerProfile, pay_unit_of};
use jiuye_domain::codes::{DistrictCode, OccupationCode};
use jiuye_domain::gig::demand::{GigDraft, GigPayUnit, pay_text};
use jiuye_domain::gig::place::from_e6;
use jiuye_domain::gig::site::{Layout, distance_band};
use jiuye_domain::messages::{Lang, render};
use jiuye_domain::roles::Permission;
use jiuye_match::gig::Offer;
use jiuye_store::repo::gig::Step;
use jiuye_store::{GigBooking, GigDemand, GigSite};

use super::parse_id;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

fn zh(key: &str) -> String {
    render(key, Lang::Zh, &[])
}

fn en(key: &str) -> String {
    render(key, Lang::En, &[])
}

/// An instant written with Beijing's offset (`2026-12-04T08:00:00+08:00`): an RFC 3339
/// date-time a client can read without knowing the platform's zone.
fn beijing(at: chrono::DateTime<chrono::Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&jiuye_domain::time::BEIJING)
}

/// A start time as clients write it: an RFC 3339 date-time with any offset, or a local
/// Beijing time without one (`2026-12-04T08:00`, `2026-12-04T08:00:00`).
fn beijing_local<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let s = String::deserialize(d)?;
    let s = s.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        return Ok(at.with_timezone(&jiuye_domain::time::BEIJING).naive_local());
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| serde::de::Error::custom("expected a date-time such as 2026-12-04T08:00:00+08:00"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GigSiteOut {
    pub id: Uuid,
    pub name: String,
    /// comprehensive, sector, station.
    pub layout: String,
    pub layout_zh: String,
    pub layout_en: String,
    /// bureau, window, operator.
    pub mode: String,
    pub operator: String,
    pub district: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub hours: String,
    pub amenities: Vec<String>,
    /// The services beside 即时快招: matching, guidance, training_info, training_needs, rights.
    pub services: Vec<String>,
    /// Recognised as a 规范化零工市场 on this day, with its evidence.
    pub recognised_on: Option<NaiveDate>,
    pub recognition_evidence: Option<String>,
}

impl GigSiteOut {
    pub fn of(s: &GigSite) -> GigSiteOut {
        let layout = Layout::parse(&s.layout).unwrap_or(Layout::Station);
        let (lat, lon) = from_e6(s.lat_e6, s.lon_e6);
        GigSiteOut {
            id: s.id,
            name: s.name.clone(),
            layout: s.layout.clone(),
            layout_zh: zh(&layout.label_key()),
            layout_en: en(&layout.label_key()),
            mode: s.mode.clone(),
            operator: s.operator.clone(),
            district: s.district.clone(),
            address: s.address.clone(),
            lat,
            lon,
            hours: s.hours.clone(),
            amenities: s.amenities.clone(),
            services: s.services.clone(),
            recognised_on: s.recognised_on,
            recognition_evidence: s.recognition_evidence.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GigHoldOut {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GigOut {
    pub id: Uuid,
    pub trade: String,
    pub trade_name: String,
    pub title: String,
    pub details: String,
    pub district: String,
    pub address: String,
    pub site_id: Option<Uuid>,
    /// When it starts, with Beijing's offset (+08:00).
    pub starts_at: DateTime<FixedOffset>,
    pub days: i32,
    pub hours_per_day: i32,
    pub headcount: i32,
    pub booked: i32,
    /// day, hour.
    pub pay_unit: String,
    pub pay_fen: i64,
    pub pay_text_zh: String,
    pub pay_text_en: String,
    /// held, open, filled, closed, refused.
    pub status: String,
    /// Why the review held it (shown to its poster and the reviewing staff only).
    pub holds: Vec<GigHoldOut>,
}

impl GigOut {
    pub fn of(g: &GigDemand, with_holds: bool) -> GigOut {
        let unit = pay_unit_of(g);
        GigOut {
            id: g.id,
            trade: g.trade.clone(),
            trade_name: OccupationCode::parse(&g.trade).map(|t| t.name().to_string()).unwrap_or_default(),
            title: g.title.clone(),
            details: g.details.clone(),
            district: g.district.clone(),
            address: g.address.clone(),
            site_id: g.site_id,
            starts_at: beijing(g.starts_at),
            days: g.days,
            hours_per_day: g.hours_per_day,
            headcount: g.headcount,
            booked: g.booked,
            pay_unit: g.pay_unit.clone(),
            pay_fen: g.pay_fen,
            pay_text_zh: pay_text(unit, g.pay_fen, true),
            pay_text_en: pay_text(unit, g.pay_fen, false),
            status: g.status.clone(),
            holds: if with_holds {
                g.holds
                    .iter()
                    .map(|h| {
                        let args: Vec<(&'static str, String)> = h
                            .args
                            .iter()
                            .filter_map(|(k, v)| {
                                ["hourly", "minimum", "source", "word"]
                                    .into_iter()
                                    .find(|n| n == k)
                                    .map(|n| (n, v.clone()))
                            })
                            .collect();
                        GigHoldOut {
                            code: h.code.clone(),
                            field: h.field.clone(),
                            message: render(&h.code, Lang::Zh, &args),
                            message_en: render(&h.code, Lang::En, &args),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigIn {
    /// A 职业分类大典 小类 or 细类 code, or its exact name.
    pub trade: String,
    pub title: String,
    pub details: Option<String>,
    pub district: String,
    pub address: String,
    /// The market or station the gig is near (its place is then the site's).
    pub site_id: Option<Uuid>,
    /// An RFC 3339 date-time (`2026-12-04T08:00:00+08:00`), or Beijing local time without an
    /// offset (`2026-12-04T08:00:00`).
    #[serde(deserialize_with = "beijing_local")]
    #[schema(value_type = String, example = "2026-12-04T08:00:00+08:00")]
    pub starts_at: NaiveDateTime,
    pub days: u32,
    pub hours_per_day: u32,
    pub headcount: u32,
    /// day, hour.
    pub pay_unit: String,
    pub pay_fen: i64,
}

impl GigIn {
    pub fn draft(&self) -> Result<GigDraft, ApiError> {
        let mut problems = Vec::new();
        let trade = OccupationCode::parse_code_or_name(&self.trade).map_err(|e| problems.push(e.field("trade"))).ok();
        let district = DistrictCode::parse(&self.district).map_err(|e| problems.push(e.field("district"))).ok();
        let unit = GigPayUnit::parse(&self.pay_unit).map_err(|e| problems.push(e.field("pay_unit"))).ok();
        match (trade, district, unit) {
            (Some(trade), Some(district), Some(pay_unit)) if problems.is_empty() => Ok(GigDraft {
                trade,
                title: self.title.clone(),
                details: self.details.clone().unwrap_or_default(),
                district,
                address: self.address.clone(),
                starts_at: self.starts_at,
                days: self.days,
                hours_per_day: self.hours_per_day,
                headcount: self.headcount,
                pay_unit,
                pay_fen: self.pay_fen,
            }),
            _ => Err(ApiError::from(jiuye_core::CoreError::Invalid(problems))),
        }
    }
}

/// A worker a gig is offered to, as its poster sees it: a distance band, never a position or
/// a name; why the worker ranks there, without the priority's reason (that is staff's).
#[derive(Debug, Serialize, ToSchema)]
pub struct GigCandidateOut {
    pub band: String,
    pub band_zh: String,
    pub band_en: String,
    pub score: f32,
    pub reasons_zh: Vec<String>,
    pub reasons_en: Vec<String>,
    /// Staff only: who it is.
    pub person_id: Option<Uuid>,
}

impl GigCandidateOut {
    fn of(o: &Offer, staff: bool) -> GigCandidateOut {
        let band = distance_band(o.km);
        let shown = |code: &str| staff || code != "gig.match.priority";
        GigCandidateOut {
            band: band.to_string(),
            band_zh: zh(band),
            band_en: en(band),
            score: o.score,
            reasons_zh: o.reasons.iter().filter(|r| shown(r.code)).map(|r| r.zh.clone()).collect(),
            reasons_en: o.reasons.iter().filter(|r| shown(r.code)).map(|r| r.en.clone()).collect(),
            person_id: staff.then_some(o.person),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GigBookingOut {
    pub id: Uuid,
    pub gig_id: Uuid,
    /// booked, started, done, cancelled.
    pub status: String,
    pub accepted_at: chrono::DateTime<chrono::Utc>,
    pub worker_started: bool,
    pub employer_started: bool,
    pub worker_done: bool,
    pub employer_done: bool,
    pub paid_fen: Option<i64>,
    pub worker_paid: Option<bool>,
    pub rating_of_employer: Option<i32>,
    pub rating_of_worker: Option<i32>,
    /// For the gig's poster: who is coming and how to reach them.
    pub worker_name: Option<String>,
    pub worker_mobile: Option<String>,
}

impl GigBookingOut {
    pub fn of(b: &GigBooking) -> GigBookingOut {
        GigBookingOut {
            id: b.id,
            gig_id: b.demand_id,
            status: b.status.clone(),
            accepted_at: b.accepted_at,
            worker_started: b.worker_started_at.is_some(),
            employer_started: b.employer_started_at.is_some(),
            worker_done: b.worker_done_at.is_some(),
            employer_done: b.employer_done_at.is_some(),
            paid_fen: b.paid_fen,
            worker_paid: b.worker_paid,
            rating_of_employer: b.rating_of_employer,
            rating_of_worker: b.rating_of_worker,
            worker_name: None,
            worker_mobile: None,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/gig/sites", tag = "gig", responses(
    (status = 200, description = "Gig markets and stations, markets first", body = Vec<GigSiteOut>)))]
pub async fn sites(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<GigSiteOut>>> {
    Ok(axum::Json(state.store.gig_sites(None).await?.iter().map(GigSiteOut::of).collect()))
}

/// The quarter a directory export is of.
#[derive(Debug, Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DirectoryQuery {
    /// `2026-Q4`; this quarter when absent.
    #[serde(default, deserialize_with = "super::empty_as_none")]
    pub quarter: Option<String>,
}

/// The header of the quarterly directory (catalogue keys; zh-CN in the files).
const DIRECTORY_HEADER: [&str; 11] = [
    "ui.gig.export.district",
    "ui.gig.export.name",
    "ui.gig.export.layout",
    "ui.gig.export.mode",
    "ui.gig.export.operator",
    "ui.gig.export.address",
    "ui.gig.export.hours",
    "ui.gig.export.services",
    "ui.gig.export.recognised_on",
    "ui.gig.export.lat",
    "ui.gig.export.lon",
];

/// The directory as it stood at the end of a quarter: the markets and stations registered by
/// then, by district, markets first; a recognition counts from its day.
async fn directory(state: &AppState, q: &DirectoryQuery) -> ApiResult<(String, Vec<Vec<String>>)> {
    use jiuye_oversight::period::Period;
    let bad = || ApiError::invalid(jiuye_domain::CodeError::new("gig.quarter").field("quarter"));
    let period = match q.quarter.as_deref() {
        None => Period::quarter_of(state.clock.today()),
        Some(text) => match Period::parse(text) {
            Ok(p @ Period::Quarter { .. }) => p,
            _ => return Err(bad()),
        },
    };
    let end = period.bounds().1;
    let mut sites: Vec<GigSite> = state
        .store
        .gig_sites(None)
        .await?
        .into_iter()
        .filter(|s| jiuye_domain::time::beijing_day(s.created_at) <= end)
        .collect();
    sites.sort_by(|a, b| a.district.cmp(&b.district).then(a.layout.cmp(&b.layout)).then(a.name.cmp(&b.name)));
    let rows = sites
        .iter()
        .map(|s| {
            let (lat, lon) = from_e6(s.lat_e6, s.lon_e6);
            let services: Vec<String> = s.services.iter().map(|v| zh(&format!("gig.service.{v}"))).collect();
            vec![
                DistrictCode::parse(&s.district).map_or_else(|_| s.district.clone(), |d| d.name().to_string()),
                s.name.clone(),
                zh(&format!("gig.layout.{}", s.layout)),
                zh(&format!("gig.mode.{}", s.mode)),
                s.operator.clone(),
                s.address.clone(),
                s.hours.clone(),
                services.join("、"),
                s.recognised_on.filter(|d| *d <= end).map(|d| d.to_string()).unwrap_or_default(),
                format!("{lat:.6}"),
                format!("{lon:.6}"),
            ]
        })
        .collect();
    Ok((period.key(), rows))
}

#[utoipa::path(get, path = "/api/v1/gig/sites.csv", tag = "gig", params(DirectoryQuery), responses(
    (status = 200, description = "The directory of markets and stations at a quarter's end, as CSV (UTF-8 with a byte-order mark, zh-CN headers)"),
    (status = 422, description = "Not a quarter", body = ErrorEnvelope)))]
pub async fn directory_csv(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<DirectoryQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let (quarter, rows) = directory(&state, &q).await?;
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = DIRECTORY_HEADER.iter().map(|k| super::oversight::csv_field(&zh(k))).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|v| super::oversight::csv_field(v)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"gig-markets-{quarter}.csv\"")),
        ],
        out,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/gig/sites.xlsx", tag = "gig", params(DirectoryQuery), responses(
    (status = 200, description = "The directory of markets and stations at a quarter's end, as a spreadsheet (zh-CN headers)"),
    (status = 422, description = "Not a quarter", body = ErrorEnvelope)))]
pub async fn directory_xlsx(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<DirectoryQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let (quarter, rows) = directory(&state, &q).await?;
    let bytes = crate::xlsx::write_sheet(&quarter, &DIRECTORY_HEADER, &rows, Lang::Zh)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, crate::xlsx::XLSX_MIME.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"gig-markets-{quarter}.xlsx\"")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigSiteIn {
    pub name: String,
    /// comprehensive, sector, station.
    pub layout: String,
    /// bureau, window, operator.
    pub mode: String,
    pub operator: String,
    pub district: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub hours: String,
    #[serde(default)]
    pub amenities: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
    pub recognised_on: Option<NaiveDate>,
    pub recognition_evidence: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/gig/sites", tag = "gig", request_body = GigSiteIn, responses(
    (status = 201, description = "Registered", body = GigSiteOut),
    (status = 422, description = "Invalid", body = ErrorEnvelope)))]
pub async fn create_site(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(b): Json<GigSiteIn>,
) -> ApiResult<(StatusCode, axum::Json<GigSiteOut>)> {
    let input = SiteInput {
        name: b.name,
        layout: b.layout,
        mode: b.mode,
        operator: b.operator,
        district: b.district,
        address: b.address,
        lat: b.lat,
        lon: b.lon,
        hours: b.hours,
        amenities: b.amenities,
        services: b.services,
        recognised_on: b.recognised_on,
        recognition_evidence: b.recognition_evidence,
    };
    let token = Uuid::new_v4().simple().to_string();
    let s = state.core().create_gig_site(&state.ctx(&viewer), &input, token).await?;
    Ok((StatusCode::CREATED, axum::Json(GigSiteOut::of(&s))))
}

#[utoipa::path(get, path = "/api/v1/gig/demands", tag = "gig", responses(
    (status = 200, description = "Open gigs, soonest first", body = Vec<GigOut>)))]
pub async fn open_gigs(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<GigOut>>> {
    Ok(axum::Json(state.store.gigs_with_status("open", None).await?.iter().map(|g| GigOut::of(g, false)).collect()))
}

/// Post a gig for the viewer (the API and the page).
pub async fn post_of(state: &AppState, viewer: &Viewer, body: &GigIn) -> ApiResult<GigDemand> {
    let draft = body.draft()?;
    Ok(state.core().post_gig(&state.ctx(viewer), &draft, body.site_id, &state.gig_rules).await?)
}

#[utoipa::path(post, path = "/api/v1/gig/demands", tag = "gig", request_body = GigIn, responses(
    (status = 201, description = "Posted: open at once, or held for staff with the reasons", body = GigOut),
    (status = 422, description = "Invalid", body = ErrorEnvelope)))]
pub async fn post_gig(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<GigIn>,
) -> ApiResult<(StatusCode, axum::Json<GigOut>)> {
    let g = post_of(&state, &viewer, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(GigOut::of(&g, true))))
}

fn sees_holds(viewer: &Viewer, g: &GigDemand) -> bool {
    viewer.account.as_ref().is_some_and(|a| a.id == g.poster_account) || viewer.may(Permission::ReviewGigs)
}

#[utoipa::path(get, path = "/api/v1/gig/demands/{id}", tag = "gig", params(("id" = String, Path)), responses(
    (status = 200, description = "A gig", body = GigOut),
    (status = 404, description = "No such gig, or a held one the viewer may not see", body = ErrorEnvelope)))]
pub async fn gig(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<GigOut>> {
    let g = state.core().gig(&state.ctx(&viewer), parse_id(&id)?).await?;
    Ok(axum::Json(GigOut::of(&g, sees_holds(&viewer, &g))))
}

/// The workers a gig is offered to, as the viewer may see them.
pub async fn candidates_of(state: &AppState, viewer: &Viewer, id: Uuid) -> ApiResult<Vec<GigCandidateOut>> {
    let offers = state.core().gig_candidates(&state.ctx(viewer), id, 50).await?;
    let staff = viewer.may(Permission::ReviewGigs);
    Ok(offers.iter().map(|o| GigCandidateOut::of(o, staff)).collect())
}

#[utoipa::path(get, path = "/api/v1/gig/demands/{id}/candidates", tag = "gig", params(("id" = String, Path)), responses(
    (status = 200, description = "The nearest eligible available workers, best first, as distance bands", body = Vec<GigCandidateOut>),
    (status = 404, description = "Not the viewer's gig", body = ErrorEnvelope)))]
pub async fn candidates(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<GigCandidateOut>>> {
    Ok(axum::Json(candidates_of(&state, &viewer, parse_id(&id)?).await?))
}

/// The bookings of a gig, for its poster: who is coming.
pub async fn bookings_of(state: &AppState, viewer: &Viewer, id: Uuid) -> ApiResult<Vec<GigBookingOut>> {
    let g = state.core().gig(&state.ctx(viewer), id).await?;
    if viewer.account.as_ref().map(|a| a.id) != Some(g.poster_account) {
        return Err(ApiError::NotFound);
    }
    let mut out = Vec::new();
    for b in state.store.bookings_of_gig(id).await? {
        let mut o = GigBookingOut::of(&b);
        if let Ok(p) = state.store.person_by_id(b.person_id).await {
            o.worker_name = Some(p.name.clone());
            o.worker_mobile = Some(p.mobile.as_str().to_string());
        }
        out.push(o);
    }
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/gig/demands/{id}/bookings", tag = "gig", params(("id" = String, Path)), responses(
    (status = 200, description = "Who took the gig", body = Vec<GigBookingOut>),
    (status = 404, description = "Not the viewer's gig", body = ErrorEnvelope)))]
pub async fn bookings(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<GigBookingOut>>> {
    Ok(axum::Json(bookings_of(&state, &viewer, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigReviewIn {
    pub publish: bool,
}

#[utoipa::path(post, path = "/api/v1/gig/demands/{id}/review", tag = "gig", params(("id" = String, Path)), request_body = GigReviewIn, responses(
    (status = 200, description = "Published or refused", body = GigOut),
    (status = 409, description = "Not held", body = ErrorEnvelope)))]
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(b): Json<GigReviewIn>,
) -> ApiResult<axum::Json<GigOut>> {
    let g = state.core().review_gig(&state.ctx(&viewer), parse_id(&id)?, b.publish).await?;
    Ok(axum::Json(GigOut::of(&g, true)))
}

#[utoipa::path(get, path = "/api/v1/gig/held", tag = "gig", responses(
    (status = 200, description = "Posts held for review in the viewer's district", body = Vec<GigOut>)))]
pub async fn held(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<Vec<GigOut>>> {
    let gigs = state.core().held_gigs(&state.ctx(&viewer)).await?;
    Ok(axum::Json(gigs.iter().map(|g| GigOut::of(g, true)).collect()))
}

#[utoipa::path(post, path = "/api/v1/gig/demands/{id}/accept", tag = "gig", params(("id" = String, Path)), responses(
    (status = 201, description = "Booked", body = GigBookingOut),
    (status = 409, description = "Full, not open, already taken, or the trades do not fit", body = ErrorEnvelope)))]
pub async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, axum::Json<GigBookingOut>)> {
    let b = state.core().accept_gig(&state.ctx(&viewer), parse_id(&id)?).await?;
    Ok((StatusCode::CREATED, axum::Json(GigBookingOut::of(&b))))
}

#[utoipa::path(post, path = "/api/v1/gig/demands/{id}/close", tag = "gig", params(("id" = String, Path)), responses(
    (status = 204, description = "Closed"),
    (status = 404, description = "Not the viewer's gig", body = ErrorEnvelope)))]
pub async fn close(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.core().close_gig(&state.ctx(&viewer), parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigWorkerIn {
    /// 职业分类大典 codes or exact names, one to five.
    pub trades: Vec<String>,
    /// off, today, week.
    pub availability: String,
    /// The lowest day rate taken, fen (0: any).
    #[serde(default)]
    pub rate_day_fen: i64,
    pub home_site: Option<Uuid>,
    pub district: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GigWorkerOut {
    pub trades: Vec<String>,
    pub availability: String,
    pub rate_day_fen: i64,
    pub home_site: Option<Uuid>,
    pub district: String,
    pub checked_in_at: Option<chrono::DateTime<chrono::Utc>>,
    pub checkin_site: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GigOfferOut {
    pub gig: GigOut,
    pub km: f64,
    pub reasons_zh: Vec<String>,
    pub reasons_en: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyGigOut {
    pub profile: Option<GigWorkerOut>,
    pub offers: Vec<GigOfferOut>,
    pub bookings: Vec<GigBookingOut>,
}

/// The viewer's gig profile, the gigs offered to them and their bookings (the API and page).
pub async fn my_gig_of(state: &AppState, viewer: &Viewer) -> ApiResult<MyGigOut> {
    let ctx = state.ctx(viewer);
    ctx.actor.require(Permission::GigWork).map_err(ApiError::from)?;
    let me = ctx.actor.person_id.ok_or(ApiError::NotFound)?;
    let profile = state.store.gig_worker(me).await?.map(|w| GigWorkerOut {
        trades: w.trades,
        availability: w.availability,
        rate_day_fen: w.rate_day_fen,
        home_site: w.home_site,
        district: w.district,
        checked_in_at: w.checked_in_at,
        checkin_site: w.checkin_site,
    });
    let offers = state
        .core()
        .gigs_offered(&ctx)
        .await?
        .into_iter()
        .map(|o| GigOfferOut {
            gig: GigOut::of(&o.gig, false),
            km: (o.offer.km * 10.0).round() / 10.0,
            reasons_zh: o.offer.reasons.iter().map(|r| r.zh.clone()).collect(),
            reasons_en: o.offer.reasons.iter().map(|r| r.en.clone()).collect(),
        })
        .collect();
    let bookings = state.store.bookings_of_worker(me).await?.iter().map(GigBookingOut::of).collect();
    Ok(MyGigOut { profile, offers, bookings })
}

#[utoipa::path(get, path = "/api/v1/me/gig", tag = "gig", responses(
    (status = 200, description = "My gig profile, the gigs offered to me, my bookings", body = MyGigOut)))]
pub async fn my_gig(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<MyGigOut>> {
    Ok(axum::Json(my_gig_of(&state, &viewer).await?))
}

/// Keep the viewer's gig profile (the API and the page).
pub async fn set_profile_of(state: &AppState, viewer: &Viewer, b: &GigWorkerIn) -> ApiResult<()> {
    let mut problems = Vec::new();
    let trades: Vec<OccupationCode> = b
        .trades
        .iter()
        .filter_map(|t| OccupationCode::parse_code_or_name(t).map_err(|e| problems.push(e.field("trades"))).ok())
        .collect();
    let district = DistrictCode::parse(&b.district).map_err(|e| problems.push(e.field("district"))).ok();
    let Some(district) = district.filter(|_| problems.is_empty()) else {
        return Err(jiuye_core::CoreError::Invalid(problems).into());
    };
    let p = WorkerProfile {
        trades,
        availability: b.availability.clone(),
        rate_day_fen: b.rate_day_fen,
        home_site: b.home_site,
        district,
    };
    state.core().set_gig_profile(&state.ctx(viewer), &p).await?;
    Ok(())
}

#[utoipa::path(put, path = "/api/v1/me/gig", tag = "gig", request_body = GigWorkerIn, responses(
    (status = 204, description = "Kept"),
    (status = 422, description = "Invalid", body = ErrorEnvelope)))]
pub async fn set_profile(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(b): Json<GigWorkerIn>,
) -> ApiResult<StatusCode> {
    set_profile_of(&state, &viewer, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigCheckinIn {
    /// The code of the station's QR sign.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/gig/checkin", tag = "gig", request_body = GigCheckinIn, responses(
    (status = 204, description = "Checked in: available now"),
    (status = 404, description = "No station with this code", body = ErrorEnvelope)))]
pub async fn check_in(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(b): Json<GigCheckinIn>,
) -> ApiResult<StatusCode> {
    let site = state.store.gig_site_by_token(b.token.trim()).await?;
    state.core().gig_check_in(&state.ctx(&viewer), &site, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigStaffCheckinIn {
    pub person_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/gig/sites/{id}/checkins", tag = "gig", params(("id" = String, Path)), request_body = GigStaffCheckinIn, responses(
    (status = 204, description = "The worker is checked in"),
    (status = 404, description = "No such site or person in the viewer's district", body = ErrorEnvelope)))]
pub async fn staff_check_in(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(b): Json<GigStaffCheckinIn>,
) -> ApiResult<StatusCode> {
    let site = state.store.gig_site_by_id(parse_id(&id)?).await?;
    state.core().gig_check_in(&state.ctx(&viewer), &site, Some(b.person_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigConfirmIn {
    /// start, done.
    pub step: String,
}

pub fn step_of(s: &str) -> Result<Step, ApiError> {
    match s {
        "start" => Ok(Step::Start),
        "done" => Ok(Step::Done),
        other => Err(jiuye_core::CoreError::invalid(
            jiuye_domain::CodeError::new("input.enum").field("step").arg("value", other),
        )
        .into()),
    }
}

#[utoipa::path(post, path = "/api/v1/gig/bookings/{id}/confirm", tag = "gig", params(("id" = String, Path)), request_body = GigConfirmIn, responses(
    (status = 200, description = "Confirmed by the viewer's side", body = GigBookingOut),
    (status = 404, description = "Not a booking of the viewer's", body = ErrorEnvelope)))]
pub async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(b): Json<GigConfirmIn>,
) -> ApiResult<axum::Json<GigBookingOut>> {
    let step = step_of(&b.step)?;
    let booking = state.core().confirm_gig(&state.ctx(&viewer), parse_id(&id)?, step).await?;
    Ok(axum::Json(GigBookingOut::of(&booking)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigPayIn {
    /// The poster: what it paid this worker, fen.
    pub paid_fen: Option<i64>,
    /// The worker: whether the pay arrived.
    pub arrived: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/gig/bookings/{id}/pay", tag = "gig", params(("id" = String, Path)), request_body = GigPayIn, responses(
    (status = 200, description = "Recorded", body = GigBookingOut)))]
pub async fn pay(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(b): Json<GigPayIn>,
) -> ApiResult<axum::Json<GigBookingOut>> {
    let booking = state.core().gig_pay(&state.ctx(&viewer), parse_id(&id)?, b.paid_fen, b.arrived).await?;
    Ok(axum::Json(GigBookingOut::of(&booking)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GigRatingIn {
    /// 1 to 5.
    pub stars: i32,
}

#[utoipa::path(post, path = "/api/v1/gig/bookings/{id}/rating", tag = "gig", params(("id" = String, Path)), request_body = GigRatingIn, responses(
    (status = 200, description = "Rated", body = GigBookingOut),
    (status = 409, description = "Not done yet, or rated already", body = ErrorEnvelope)))]
pub async fn rate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(b): Json<GigRatingIn>,
) -> ApiResult<axum::Json<GigBookingOut>> {
    let booking = state.core().rate_gig(&state.ctx(&viewer), parse_id(&id)?, b.stars).await?;
    Ok(axum::Json(GigBookingOut::of(&booking)))
}
