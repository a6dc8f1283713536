//! The gig market's pages: the public directory and open gigs (`/gig`), a station's live board
//! for a TV (`/gig/sites/{id}`, kept current over an event stream), checking in by a station's
//! QR code, the worker's page (`/my/gig`), posting a gig and the poster's gigs, and the staff's
//! review queue. Every decision is the core's; these pages translate forms and show results.

use std::convert::Infallible;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect};
use chrono::Duration;

use jiuye_domain::geo::From;
use jiuye_domain::gig::place::from_e6;
use jiuye_domain::roles::Permission;
use jiuye_store::GigSite;

use super::form::FormErrors;
use super::{
    Chrome, DoneQuery, FormData, Opt, OrPage, PageError, PageResult, Tr, district_options, done_notice, options, render,
};
use crate::AppState;
use crate::api::gig::{
    GigBookingOut, GigCandidateOut, GigIn, GigOut, GigSiteOut, GigWorkerIn, MyGigOut, bookings_of, candidates_of,
    my_gig_of, post_of, set_profile_of, step_of,
};
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;

/// A board shows open gigs within this trip of its station.
pub const BOARD_RADIUS_KM: f64 = 10.0;

fn site_id(id: &str, t: Tr) -> Result<uuid::Uuid, PageError> {
    crate::api::parse_id(id).or_page(t)
}

#[derive(Template)]
#[template(path = "gig_index.html")]
struct Index {
    c: Chrome,
    markets: Vec<GigSiteOut>,
    stations: Vec<GigSiteOut>,
    gigs: Vec<GigOut>,
    works: bool,
    posts: bool,
}

pub async fn index(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let sites = state.store.gig_sites(None).await.or_page(t)?;
    let (markets, stations): (Vec<_>, Vec<_>) = sites.iter().map(GigSiteOut::of).partition(|s| s.layout != "station");
    let gigs =
        state.store.gigs_with_status("open", None).await.or_page(t)?.iter().map(|g| GigOut::of(g, false)).collect();
    Ok(render(&Index {
        c: Chrome::new(t, &viewer, "/gig"),
        markets,
        stations,
        gigs,
        works: viewer.may(Permission::GigWork),
        posts: viewer.may(Permission::PostGigs),
    }))
}

/// A gig on a board: with its trip from the station.
pub struct BoardGig {
    pub g: GigOut,
    pub km: String,
}

/// The open gigs within [`BOARD_RADIUS_KM`] of a site, soonest first.
async fn board_gigs(state: &AppState, site: &GigSite) -> Result<Vec<BoardGig>, ApiError> {
    let district = jiuye_domain::codes::DistrictCode::parse(&site.district).map_err(|_| ApiError::NotFound)?;
    let from = From::new(from_e6(site.lat_e6, site.lon_e6), &district);
    let mut out = Vec::new();
    for g in state.store.gigs_with_status("open", None).await? {
        let Ok(d) = jiuye_domain::codes::DistrictCode::parse(&g.district) else { continue };
        let km = from.trip(from_e6(g.lat_e6, g.lon_e6), &d).km;
        if km <= BOARD_RADIUS_KM {
            out.push(BoardGig { g: GigOut::of(&g, false), km: format!("{km:.1}") });
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "gig_board.html")]
struct Board {
    c: Chrome,
    site: GigSiteOut,
    gigs: Vec<BoardGig>,
    qr: String,
    checkin_url: String,
    as_of: String,
}

#[derive(Template)]
#[template(path = "gig_board_list.html")]
struct BoardList {
    c: Chrome,
    gigs: Vec<BoardGig>,
}

fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(220, 220).quiet_zone(true).build())
        .unwrap_or_default()
}

/// A station's board for a TV: large type, no sign-in, no third-party script.
pub async fn board(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let site = state.store.gig_site_by_id(site_id(&id, t)?).await.or_page(t)?;
    let gigs = board_gigs(&state, &site).await.or_page(t)?;
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let checkin_url = format!("http://{host}/gig/checkin/{}", site.checkin_token);
    let now = state.clock.now() + Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS);
    Ok(render(&Board {
        c: Chrome::new(t, &viewer, &format!("/gig/sites/{id}")),
        site: GigSiteOut::of(&site),
        gigs,
        qr: qr_svg(&checkin_url),
        checkin_url,
        as_of: now.format("%H:%M:%S").to_string(),
    }))
}

/// A class a kiosk tells workers about: what, where, when.
pub struct KioskClass {
    pub name: String,
    pub district: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

#[derive(Template)]
#[template(path = "gig_kiosk.html")]
struct Kiosk {
    c: Chrome,
    site: GigSiteOut,
    gigs: Vec<BoardGig>,
    checkin_qr: String,
    gigs_qr: String,
    arrears_qr: String,
    classes: Vec<KioskClass>,
    /// The five services with whether this site offers each.
    services: Vec<(String, bool)>,
}

/// Classes a kiosk shows: those starting from today, in the site's district first.
const KIOSK_CLASSES: usize = 6;

/// A station's kiosk (a touch screen workers use at the station, no sign-in): the gigs nearby
/// with a code to take one on their phone, checking in with or without a phone, the classes
/// starting soon, and where to turn when wages go unpaid — the services a 规范化 market offers.
pub async fn kiosk(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let site = state.store.gig_site_by_id(site_id(&id, t)?).await.or_page(t)?;
    let gigs = board_gigs(&state, &site).await.or_page(t)?;
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let today = state.clock.today();
    let mut classes: Vec<KioskClass> = state
        .store
        .programmes(None)
        .await
        .map_err(ApiError::from)
        .or_page(t)?
        .into_iter()
        .filter(|p| p.starts_on >= today)
        .map(|p| KioskClass { name: p.name, district: p.district, starts_on: p.starts_on, ends_on: p.ends_on })
        .collect();
    classes.sort_by_key(|k| (k.district != site.district, k.starts_on));
    classes.truncate(KIOSK_CLASSES);
    let out = GigSiteOut::of(&site);
    let services = ["matching", "guidance", "training_info", "training_needs", "rights"]
        .iter()
        .map(|s| (format!("gig.service.{s}"), out.services.iter().any(|o| o == s)))
        .collect();
    Ok(render(&Kiosk {
        c: Chrome::new(t, &viewer, &format!("/gig/sites/{id}/kiosk")),
        site: out,
        gigs,
        checkin_qr: qr_svg(&format!("http://{host}/gig/checkin/{}", site.checkin_token)),
        gigs_qr: qr_svg(&format!("http://{host}/my/gig")),
        arrears_qr: qr_svg(&format!("http://{host}/my/arrears")),
        classes,
        services,
    }))
}

/// The board's list alone, fetched by the board when gigs changed.
pub async fn board_list(State(state): State<AppState>, viewer: Viewer, t: Tr, Path(id): Path<String>) -> PageResult {
    let site = state.store.gig_site_by_id(site_id(&id, t)?).await.or_page(t)?;
    let gigs = board_gigs(&state, &site).await.or_page(t)?;
    let html = BoardList { c: Chrome::new(t, &viewer, ""), gigs }.render().unwrap_or_default();
    Ok(Html(html).into_response())
}

/// The board's event stream: an event named `gigs` whenever the change log shows a gig changed.
pub async fn board_events(State(state): State<AppState>, t: Tr, Path(id): Path<String>) -> PageResult {
    state.store.gig_site_by_id(site_id(&id, t)?).await.or_page(t)?;
    let rx = state.gig_hub.subscribe(&state.store);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(n) => return Some((Ok::<_, Infallible>(Event::default().event("gigs").data(n.to_string())), rx)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()).into_response())
}

#[derive(Template)]
#[template(path = "gig_checkin.html")]
struct Checkin {
    c: Chrome,
    site: GigSiteOut,
    token: String,
}

/// The page a station's QR code opens: the site, and a button to check in.
pub async fn checkin_page(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(token): Path<String>,
) -> PageResult {
    let site = state.store.gig_site_by_token(&token).await.or_page(t)?;
    Ok(render(&Checkin { c: Chrome::new(t, &viewer, "/my/gig"), site: GigSiteOut::of(&site), token }))
}

pub async fn checkin(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(token): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let site = state.store.gig_site_by_token(&token).await.or_page(t)?;
    match state.core().gig_check_in(&state.ctx(&viewer), &site, None).await {
        Ok(()) => Ok(Redirect::to("/my/gig?done=gig_checked_in").into_response()),
        Err(e) => my_page(&state, &viewer, t, None, FormErrors::of(&e.into(), t), None).await,
    }
}

#[derive(Template)]
#[template(path = "my_gig.html")]
struct MyGig {
    c: Chrome,
    me: MyGigOut,
    gigs: Vec<(GigBookingOut, Option<GigOut>)>,
    trades: String,
    availability: Vec<Opt>,
    rate_day: String,
    districts: Vec<Opt>,
    sites: Vec<Opt>,
    notice: Option<String>,
    errors: FormErrors,
}

async fn my_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    notice: Option<String>,
    errors: FormErrors,
    typed: Option<&FormData>,
) -> PageResult {
    let me = my_gig_of(state, viewer).await.or_page(t)?;
    let mut gigs = Vec::new();
    for b in &me.bookings {
        let g = state.store.gig_by_id(b.gig_id).await.ok().map(|g| GigOut::of(&g, false));
        gigs.push((b.clone(), g));
    }
    let p = me.profile.as_ref();
    let field = |name: &str, stored: String| typed.map(|f| f.get(name)).unwrap_or(stored);
    let trades = field("trades", p.map(|p| p.trades.join(", ")).unwrap_or_default());
    let availability = field("availability", p.map(|p| p.availability.clone()).unwrap_or_else(|| "today".into()));
    let rate_day = field(
        "rate_day",
        p.filter(|p| p.rate_day_fen > 0)
            .map(|p| jiuye_domain::records::pay::yuan_text(p.rate_day_fen))
            .unwrap_or_default(),
    );
    let home = field("home_site", p.and_then(|p| p.home_site).map(|s| s.to_string()).unwrap_or_default());
    let district = field("district", p.map(|p| p.district.clone()).unwrap_or_default());
    let sites = state.store.gig_sites(None).await.or_page(t)?;
    let mut site_opts =
        vec![Opt { value: String::new(), label: t.t("ui.gig.no_home_site"), selected: home.is_empty() }];
    site_opts.extend(options(
        sites
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(v, l)| (v.as_str(), l.clone())),
        &[home],
    ));
    Ok(render(&MyGig {
        c: Chrome::new(t, viewer, "/my/gig"),
        me,
        gigs,
        trades,
        availability: options(
            ["today", "week", "off"].into_iter().map(|v| (v, t.t(&format!("ui.gig.availability.{v}")))),
            &[availability],
        ),
        rate_day,
        districts: district_options(t, &[district]),
        sites: site_opts,
        notice,
        errors,
    }))
}

pub async fn my_gig(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<DoneQuery>,
) -> PageResult {
    my_page(&state, &viewer, t, done_notice(t, q.done.as_deref()), FormErrors::default(), None).await
}

/// Save the worker's profile from the form.
pub async fn save_profile(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let rate = jiuye_domain::records::pay::parse_yuan("rate_day", &form.get("rate_day"));
    let result = match rate {
        Err(e) => Err(ApiError::invalid(e)),
        Ok(rate) => {
            let body = GigWorkerIn {
                trades: form.split("trades"),
                availability: form.get("availability"),
                rate_day_fen: rate.unwrap_or(0),
                home_site: form.opt("home_site").and_then(|s| uuid::Uuid::parse_str(&s).ok()),
                district: form.get("district"),
            };
            set_profile_of(&state, &viewer, &body).await
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to("/my/gig?done=gig_profile").into_response()),
        Err(e) => my_page(&state, &viewer, t, None, FormErrors::of(&e, t), Some(&form)).await,
    }
}

/// Take a gig from the worker's page or the directory.
pub async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = crate::api::parse_id(&id).or_page(t)?;
    match state.core().accept_gig(&state.ctx(&viewer), id).await {
        Ok(_) => Ok(Redirect::to("/my/gig?done=gig_accepted").into_response()),
        Err(e) => my_page(&state, &viewer, t, None, FormErrors::of(&e.into(), t), None).await,
    }
}

/// Where a booking's form returns: the worker's page or the poster's.
fn back_of(form: &FormData) -> &'static str {
    if form.get("back") == "posted" { "/gig/posted" } else { "/my/gig" }
}

/// Confirm a step, record pay or rate, from either side's page.
pub async fn booking_action(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path((id, action)): Path<(String, String)>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = crate::api::parse_id(&id).or_page(t)?;
    let ctx = state.ctx(&viewer);
    let core = state.core();
    let result: Result<(), ApiError> = match action.as_str() {
        "confirm" => match step_of(&form.get("step")) {
            Ok(step) => core.confirm_gig(&ctx, id, step).await.map(|_| ()).map_err(ApiError::from),
            Err(e) => Err(e),
        },
        "pay" => {
            let paid = jiuye_domain::records::pay::parse_yuan("paid", &form.get("paid"));
            match paid {
                Err(e) => Err(ApiError::invalid(e)),
                Ok(paid) => {
                    let arrived = form.opt("arrived").map(|v| v == "yes");
                    core.gig_pay(&ctx, id, paid, arrived).await.map(|_| ()).map_err(ApiError::from)
                }
            }
        }
        "rate" => {
            let stars = form.get("stars").trim().parse::<i32>().unwrap_or(0);
            core.rate_gig(&ctx, id, stars).await.map(|_| ()).map_err(ApiError::from)
        }
        _ => Err(ApiError::NotFound),
    };
    let back = back_of(&form);
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{back}?done=gig_{action}")).into_response()),
        Err(e) if back == "/gig/posted" && viewer.may(Permission::PostGigs) => {
            posted_page(&state, &viewer, t, None, FormErrors::of(&e, t)).await
        }
        Err(e) if back == "/my/gig" && viewer.may(Permission::GigWork) => {
            my_page(&state, &viewer, t, None, FormErrors::of(&e, t), None).await
        }
        Err(e) => Err(PageError(e, t)),
    }
}

#[derive(Template)]
#[template(path = "gig_post.html")]
struct Post {
    c: Chrome,
    f: FormData,
    districts: Vec<Opt>,
    sites: Vec<Opt>,
    units: Vec<Opt>,
    errors: FormErrors,
}

async fn post_page(state: &AppState, viewer: &Viewer, t: Tr, f: FormData, errors: FormErrors) -> PageResult {
    let sites = state.store.gig_sites(None).await.or_page(t)?;
    let chosen = [f.get("site_id")];
    let mut site_opts =
        vec![Opt { value: String::new(), label: t.t("ui.gig.no_site"), selected: chosen[0].is_empty() }];
    site_opts.extend(sites.iter().map(|s| Opt {
        value: s.id.to_string(),
        label: format!("{} · {}", t.region(&s.district), s.name),
        selected: chosen[0] == s.id.to_string(),
    }));
    let unit = if f.get("pay_unit").is_empty() { "day".to_string() } else { f.get("pay_unit") };
    Ok(render(&Post {
        c: Chrome::new(t, viewer, "/gig/post"),
        districts: district_options(t, &[f.get("district")]),
        sites: site_opts,
        units: options([("day", t.t("ui.gig.per_day")), ("hour", t.t("ui.gig.per_hour"))], &[unit]),
        f,
        errors,
    }))
}

pub async fn post_form(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let start = state.clock.now() + Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS) + Duration::days(1);
    let f = FormData(vec![
        ("starts_at".into(), format!("{}T08:00", start.date_naive())),
        ("days".into(), "1".into()),
        ("hours_per_day".into(), "8".into()),
        ("headcount".into(), "1".into()),
    ]);
    post_page(&state, &viewer, t, f, FormErrors::default()).await
}

fn number(form: &FormData, name: &str, problems: &mut Vec<jiuye_domain::CodeError>) -> u32 {
    form.get(name).trim().parse().unwrap_or_else(|_| {
        problems.push(jiuye_domain::CodeError::new("input.number").field(name));
        0
    })
}

pub async fn post(State(state): State<AppState>, viewer: Viewer, t: Tr, form: FormData) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let mut problems = Vec::new();
    let starts_at = chrono::NaiveDateTime::parse_from_str(&form.get("starts_at"), "%Y-%m-%dT%H:%M")
        .map_err(|_| problems.push(jiuye_domain::CodeError::new("input.date").field("starts_at")))
        .ok();
    let (days, hours, headcount) = (
        number(&form, "days", &mut problems),
        number(&form, "hours_per_day", &mut problems),
        number(&form, "headcount", &mut problems),
    );
    let pay = match jiuye_domain::records::pay::parse_yuan("pay_fen", &form.get("pay")) {
        Ok(Some(p)) => p,
        Ok(None) => {
            problems.push(jiuye_domain::CodeError::new("input.required").field("pay_fen"));
            0
        }
        Err(e) => {
            problems.push(e);
            0
        }
    };
    let result = match starts_at {
        Some(starts_at) if problems.is_empty() => {
            let body = GigIn {
                trade: form.get("trade"),
                title: form.get("title"),
                details: form.opt("details"),
                district: form.get("district"),
                address: form.get("address"),
                site_id: form.opt("site_id").and_then(|s| uuid::Uuid::parse_str(&s).ok()),
                starts_at,
                days,
                hours_per_day: hours,
                headcount,
                pay_unit: form.get("pay_unit"),
                pay_fen: pay,
            };
            post_of(&state, &viewer, &body).await
        }
        _ => Err(jiuye_core::CoreError::Invalid(problems).into()),
    };
    match result {
        Ok(g) if g.status == "held" => Ok(Redirect::to("/gig/posted?done=gig_held").into_response()),
        Ok(_) => Ok(Redirect::to("/gig/posted?done=gig_posted").into_response()),
        Err(e) => post_page(&state, &viewer, t, form, FormErrors::of(&e, t)).await,
    }
}

/// One of the poster's gigs, with who took it and how many workers it is offered to.
pub struct PostedGig {
    pub g: GigOut,
    pub bookings: Vec<GigBookingOut>,
    pub candidates: Vec<GigCandidateOut>,
}

#[derive(Template)]
#[template(path = "gig_posted.html")]
struct Posted {
    c: Chrome,
    gigs: Vec<PostedGig>,
    notice: Option<String>,
    errors: FormErrors,
}

async fn posted_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    notice: Option<String>,
    errors: FormErrors,
) -> PageResult {
    let me = viewer.account.as_ref().map(|a| a.id).ok_or(PageError(ApiError::Unauthenticated, t))?;
    let mut gigs = Vec::new();
    for g in state.store.gigs_posted_by(me).await.or_page(t)? {
        let bookings = bookings_of(state, viewer, g.id).await.unwrap_or_default();
        let candidates =
            if g.status == "open" { candidates_of(state, viewer, g.id).await.unwrap_or_default() } else { Vec::new() };
        gigs.push(PostedGig { g: GigOut::of(&g, true), bookings, candidates });
    }
    Ok(render(&Posted { c: Chrome::new(t, viewer, "/gig/posted"), gigs, notice, errors }))
}

pub async fn posted(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<DoneQuery>,
) -> PageResult {
    posted_page(&state, &viewer, t, done_notice(t, q.done.as_deref()), FormErrors::default()).await
}

#[derive(Template)]
#[template(path = "gig_review.html")]
struct Review {
    c: Chrome,
    gigs: Vec<GigOut>,
    notice: Option<String>,
}

pub async fn review_queue(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<DoneQuery>,
) -> PageResult {
    let gigs = state.core().held_gigs(&state.ctx(&viewer)).await.map_err(ApiError::from).or_page(t)?;
    Ok(render(&Review {
        c: Chrome::new(t, &viewer, "/staff/gig"),
        gigs: gigs.iter().map(|g| GigOut::of(g, true)).collect(),
        notice: done_notice(t, q.done.as_deref()),
    }))
}

pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let id = crate::api::parse_id(&id).or_page(t)?;
    let publish = form.get("publish") == "true";
    state.core().review_gig(&state.ctx(&viewer), id, publish).await.map_err(ApiError::from).or_page(t)?;
    let done = if publish { "gig_published" } else { "gig_refused" };
    Ok(Redirect::to(&format!("/staff/gig?done={done}")).into_response())
}
