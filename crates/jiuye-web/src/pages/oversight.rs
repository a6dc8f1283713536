//! The oversight pages: the 附件2 table (the city administrator's landing page; a district
//! administrator sees their district), one indicator with its trend, method and the records it
//! counts, and the form to enter a figure the records cannot yield.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};

use jiuye_oversight::{Obtained, Period};

use super::form::FormErrors;
use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, render};
use crate::AppState;
use crate::api::Query;
use crate::api::oversight::{DashboardOut, DashboardQuery, EntryIn, FigureOut, RECORDS_PER_PAGE};
use crate::auth::Viewer;
use crate::csrf;

/// A trend line as inline SVG (no script, no third-party code): one point per period, the
/// last one marked; its text alternative lists the values.
pub fn sparkline(points: &[Option<f64>], label: &str) -> String {
    let known: Vec<f64> = points.iter().flatten().copied().collect();
    let (lo, hi) = known.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (w, h) = (96.0, 24.0);
    let step = if points.len() > 1 { w / (points.len() - 1) as f64 } else { 0.0 };
    let y = |v: f64| if hi > lo { h - 2.0 - (v - lo) / (hi - lo) * (h - 4.0) } else { h / 2.0 };
    let mut path = String::new();
    let mut last = None;
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p {
            let (px, py) = (i as f64 * step, y(*v));
            path.push_str(&format!("{}{px:.1},{py:.1} ", if path.is_empty() { "M" } else { "L" }));
            last = Some((px, py));
        }
    }
    let dot = last
        .map(|(x, y)| format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"currentColor\"/>"))
        .unwrap_or_default();
    let label = label.replace(['<', '>', '&', '"'], " ");
    format!(
        "<svg class=\"spark\" viewBox=\"-3 -3 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{label}\"><path d=\"{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>{dot}</svg>",
        w + 6.0,
        h + 6.0,
        w + 6.0,
        h + 6.0,
        path.trim()
    )
}

pub struct KpiRow {
    pub id: String,
    pub order: u32,
    pub name: String,
    pub group: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub figure: String,
    pub counted: String,
    pub status_id: String,
    pub status: String,
    pub trend: String,
    pub spark: String,
    pub method: String,
    pub computed: bool,
    pub entered_source: String,
}

fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn row_of(f: &FigureOut, t: Tr) -> KpiRow {
    let zh = t.zh();
    let values: Vec<Option<f64>> = f.trail.iter().map(|p| p.value).collect();
    let name = if zh { f.name.clone() } else { f.name_en.clone() };
    let spark_label = format!(
        "{}: {}",
        t.t("ui.kpi.trend"),
        f.trail
            .iter()
            .map(|p| format!("{} {}", p.period, p.value.map(num).unwrap_or_else(|| "—".into())))
            .collect::<Vec<_>>()
            .join(", ")
    );
    KpiRow {
        id: f.id.clone(),
        order: f.order,
        group: if zh { f.group.clone() } else { f.group_en.clone() },
        unit: t.t(&format!("oversight.unit.{}", f.unit)),
        baseline: f.baseline_2021.map(num).unwrap_or_else(|| "—".into()),
        target: format!("{}{}", if f.direction == "lower" { "≤" } else { "≥" }, num(f.target_2023)),
        figure: f.shown.clone().unwrap_or_else(|| "—".into()),
        counted: match (f.numerator, f.denominator) {
            (Some(n), Some(d)) => format!("{n} / {d}"),
            (Some(n), None) => n.to_string(),
            _ => String::new(),
        },
        status_id: f.status.clone(),
        status: t.t(&format!("oversight.status.{}", f.status)),
        trend: t.t(&format!("oversight.trend.{}", f.trend)),
        spark: sparkline(&values, &spark_label),
        method: if zh { f.method.clone() } else { f.method_en.clone() },
        computed: f.obtained == "computed",
        entered_source: f.entered.as_ref().map(|e| e.source.clone()).unwrap_or_default(),
        name,
    }
}

/// Quick period choices around today: this and last month, quarter and year.
fn period_choices(t: Tr, today: chrono::NaiveDate, current: &str) -> Vec<Opt> {
    let m = Period::month_of(today);
    let q = Period::quarter_of(today);
    let y = Period::year_of(today);
    [q, q.previous(), m, m.previous(), y, y.previous()]
        .into_iter()
        .map(|p| Opt { value: p.key(), label: p.label(t.zh()), selected: p.key() == current })
        .collect()
}

fn query_of(d: &DashboardOut) -> String {
    match &d.district {
        Some(x) => format!("period={}&district={x}", d.period),
        None => format!("period={}", d.period),
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    c: Chrome,
    period: String,
    period_label: String,
    periods: Vec<Opt>,
    city: bool,
    districts: Vec<Opt>,
    place: String,
    as_of: String,
    rows: Vec<KpiRow>,
    query: String,
    /// Progress reports due and not filed (for those who see progress).
    late: Option<usize>,
}

/// 绩效目标表: every indicator of 附件2 for a period and place.
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<DashboardQuery>,
) -> PageResult {
    let d = crate::api::oversight::dashboard_of(&state, &viewer, &q).await.or_page(t)?;
    let period = Period::parse(&d.period).unwrap_or(Period::quarter_of(state.clock.today()));
    let city = viewer.role() == Some(jiuye_domain::roles::Role::CityAdmin);
    let selected: Vec<String> = d.district.iter().cloned().collect();
    let late = if viewer.may(jiuye_domain::roles::Permission::ViewProgress) {
        Some(crate::api::progress::progress_of(&state, &viewer).await.or_page(t)?.late_total)
    } else {
        None
    };
    Ok(render(&Dashboard {
        c: Chrome::new(t, &viewer, "/admin/dashboard"),
        period_label: period.label(t.zh()),
        periods: period_choices(t, state.clock.today(), &d.period),
        city,
        districts: super::district_options(t, &selected),
        place: d.district.as_deref().map(|x| t.region(x)).unwrap_or_else(|| t.t("ui.kpi.city")),
        as_of: jiuye_domain::time::beijing_day(d.as_of).to_string()
            + &(d.as_of + chrono::Duration::hours(8)).format(" %H:%M:%S").to_string(),
        rows: d.indicators.iter().map(|f| row_of(f, t)).collect(),
        query: query_of(&d),
        period: d.period,
        late,
    }))
}

pub struct RecordRow {
    pub href: Option<String>,
    pub name: String,
    pub day: String,
    pub district: String,
    pub detail: String,
    pub counted: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    c: Chrome,
    row: KpiRow,
    period: String,
    period_label: String,
    place: String,
    query: String,
    trail: Vec<(String, String)>,
    source: String,
    because: String,
    rate: bool,
    records: Vec<RecordRow>,
    page: u32,
    more: bool,
    may_enter: bool,
    errors: FormErrors,
    done: Option<String>,
    value: String,
    entry_source: String,
    evidence: String,
    entered_evidence: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct IndicatorQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    pub period: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    pub district: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    pub page: Option<u32>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    pub done: Option<String>,
}

async fn indicator_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    id: &str,
    q: IndicatorQuery,
    errors: FormErrors,
    form: Option<&FormData>,
) -> PageResult {
    let ind = crate::api::oversight::indicator_of(state, id).or_page(t)?;
    let dq = DashboardQuery { period: q.period.clone(), district: q.district.clone(), page: q.page };
    let ctx = state.ctx(viewer);
    let period = dq.period(ctx.today).or_page(t)?;
    let district = state
        .core()
        .oversight_district(&ctx, dq.district.as_deref())
        .map_err(crate::error::ApiError::from)
        .or_page(t)?;
    let figure = state
        .core()
        .figure(&ctx, ind, period, district.as_deref())
        .await
        .map_err(crate::error::ApiError::from)
        .or_page(t)?;
    let f = FigureOut::of(&figure);
    let computed = ind.obtained != Obtained::Entered;
    let mut records = Vec::new();
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    if computed {
        let r = crate::api::oversight::records_of(state, viewer, id, &dq).await.or_page(t)?;
        let persons = !matches!(ind.aggregation(), Some(jiuye_oversight::Aggregation::ZeroEmploymentHelpRate));
        for rec in r.records {
            let person = if persons { state.store.person_by_id(rec.subject_id).await.ok() } else { None };
            records.push(RecordRow {
                href: person.as_ref().map(|p| format!("/staff/persons/{}", p.id)),
                name: person.map(|p| p.name).unwrap_or_else(|| "—".into()),
                day: rec.day,
                district: t.region(&rec.district),
                detail: detail_label(t, &rec.detail),
                counted: if rec.counted { t.t("ui.kpi.yes") } else { t.t("ui.kpi.no") },
            });
        }
    }
    let d = DashboardOut {
        period: period.key(),
        from: period.bounds().0,
        to: period.bounds().1,
        district: district.clone(),
        as_of: ctx.at,
        indicators: Vec::new(),
    };
    let field = |k: &str| form.and_then(|f| f.opt(k)).unwrap_or_default();
    Ok(render(&IndicatorPage {
        c: Chrome::new(t, viewer, "/admin/dashboard"),
        row: row_of(&f, t),
        period_label: period.label(t.zh()),
        place: district.as_deref().map(|x| t.region(x)).unwrap_or_else(|| t.t("ui.kpi.city")),
        query: query_of(&d),
        trail: f
            .trail
            .iter()
            .map(|p| {
                (
                    p.period.clone(),
                    p.value.map(|v| jiuye_oversight::assess::shown(ind, v)).unwrap_or_else(|| "—".into()),
                )
            })
            .collect(),
        source: if t.zh() {
            f.source.clone()
        } else {
            jiuye_domain::messages::render("ui.kpi.annex_row", t.lang, &[("row", f.order.to_string())])
        },
        because: if t.zh() { ind.entered_because_zh.clone() } else { ind.entered_because_en.clone() }
            .unwrap_or_default(),
        rate: f.denominator.is_some() || ind.unit == jiuye_oversight::Unit::Percent,
        more: records.len() as u64 == RECORDS_PER_PAGE,
        records,
        page,
        may_enter: !computed && viewer.may(jiuye_domain::roles::Permission::EnterIndicators),
        errors,
        done: super::done_notice(t, q.done.as_deref()),
        value: field("value"),
        entry_source: field("source"),
        evidence: field("evidence"),
        entered_evidence: f.entered.as_ref().map(|e| e.evidence.clone()).unwrap_or_default(),
        period: period.key(),
    }))
}

/// A record's detail in words: a service kind, an employment form, a class kind, a score.
fn detail_label(t: Tr, detail: &str) -> String {
    for prefix in ["casework.service", "casework.form", "training.kind", "casework.basis"] {
        let key = format!("{prefix}.{detail}");
        if jiuye_domain::messages::has(&key) {
            return t.t(&key);
        }
    }
    match detail {
        "application" => t.t("ui.kpi.application"),
        other => other.to_string(),
    }
}

/// One indicator: figure, trend by period, method, and the records it counts.
pub async fn indicator(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    Query(q): Query<IndicatorQuery>,
) -> PageResult {
    indicator_page(&state, &viewer, t, &id, q, FormErrors::default(), None).await
}

/// Enter a figure (post/redirect/get; problems shown beside the fields, values kept).
pub async fn enter(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let value = form.get("value").trim().replace(',', "");
    let parsed = value.parse::<f64>();
    let body = EntryIn {
        period: form.get("period"),
        district: form.opt("district").filter(|d| !d.is_empty()),
        value: parsed.clone().unwrap_or(f64::NAN),
        source: form.get("source"),
        evidence: form.get("evidence"),
    };
    let result = crate::api::oversight::enter(&state, &viewer, &id, &body).await;
    match result {
        Ok(_) => {
            let district = body.district.map(|d| format!("&district={d}")).unwrap_or_default();
            Ok(Redirect::to(&format!("/admin/dashboard/{id}?period={}{district}&done=entered", body.period))
                .into_response())
        }
        Err(e) => {
            let status = e.status_and_code().0;
            let q = IndicatorQuery {
                period: Some(body.period.clone()),
                district: body.district.clone(),
                ..Default::default()
            };
            let mut resp = indicator_page(&state, &viewer, t, &id, q, super::messages_of(&e, t), Some(&form)).await?;
            *resp.status_mut() = status;
            Ok(resp)
        }
    }
}
