//! Oversight over HTTP: the 附件2 table for a period and place (JSON, CSV, xlsx), the records
//! behind a figure, figures entered with their source, and satisfaction answers. The service
//! layer decides who sees which district; this file translates.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use jiuye_core::oversight::Figure;
use jiuye_domain::{CodeError, Lang};
use jiuye_oversight::assess::shown;
use jiuye_oversight::{Indicator, Obtained, Period};

use super::{Query, empty_as_none, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    /// `2026`, `2026-Q3`, `2026-10` or `2026-01-01..2026-03-31`; this quarter when absent.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub period: Option<String>,
    /// A district (GB/T 2260); the whole city when absent (district staff: always their own).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub district: Option<String>,
    /// Records: the page (from 1).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub page: Option<u32>,
}

impl DashboardQuery {
    pub fn period(&self, today: NaiveDate) -> ApiResult<Period> {
        match self.period.as_deref() {
            None => Ok(Period::quarter_of(today)),
            Some(p) => {
                Period::parse(p).map_err(|_| ApiError::invalid(CodeError::new("oversight.period").field("period")))
            }
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrailPoint {
    pub period: String,
    pub value: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnteredOut {
    pub value: f64,
    pub source: String,
    pub evidence: String,
    pub at: DateTime<Utc>,
}

/// One row of the table.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureOut {
    pub id: String,
    /// Row of 附件2.
    pub order: u32,
    pub name: String,
    pub name_en: String,
    pub group: String,
    pub group_en: String,
    /// `wan_persons`, `wan_person_times`, `count`, `cases`, `percent`.
    pub unit: String,
    /// `higher` or `lower` is better.
    pub direction: String,
    pub baseline_2021: Option<f64>,
    pub target_2023: f64,
    /// The target this period is held to (a flow's yearly target pro rata for the days elapsed).
    pub target_for_period: f64,
    /// `computed` from the records, or `entered`.
    pub obtained: String,
    pub value: Option<f64>,
    /// The value as the table shows it.
    pub shown: Option<String>,
    /// What was counted: persons, person-times, or a rate's numerator.
    pub numerator: Option<u64>,
    /// A rate's denominator (the responses, for satisfaction).
    pub denominator: Option<u64>,
    /// `met`, `behind`, `city_target_only`, `no_figure`.
    pub status: String,
    /// `better`, `worse`, `flat`, `unknown`.
    pub trend: String,
    pub trail: Vec<TrailPoint>,
    pub method: String,
    pub method_en: String,
    pub source: String,
    /// Why an entered indicator is entered.
    pub entered_because: Option<String>,
    pub entered: Option<EnteredOut>,
}

impl FigureOut {
    pub fn of(f: &Figure) -> Self {
        let i = &f.indicator;
        FigureOut {
            id: i.id.clone(),
            order: i.order,
            name: i.zh.clone(),
            name_en: i.en.clone(),
            group: i.group_zh.clone(),
            group_en: i.group_en.clone(),
            unit: i.unit.id().to_string(),
            direction: format!("{:?}", i.direction).to_lowercase(),
            baseline_2021: i.baseline_2021,
            target_2023: i.target,
            target_for_period: (f.target * 10_000.0).round() / 10_000.0,
            obtained: match i.obtained {
                Obtained::Computed(_) => "computed".into(),
                Obtained::Entered => "entered".into(),
            },
            value: f.value,
            shown: f.value.map(|v| shown(i, v)),
            numerator: f.count.map(|c| c.numerator),
            denominator: f.count.and_then(|c| c.denominator),
            status: f.status.id().to_string(),
            trend: format!("{:?}", f.trend).to_lowercase(),
            trail: f.trail.iter().map(|(p, v)| TrailPoint { period: p.key(), value: *v }).collect(),
            method: i.method_zh.clone(),
            method_en: i.method_en.clone(),
            source: i.source.clone(),
            entered_because: i.entered_because_zh.clone(),
            entered: f.entered.as_ref().map(|e| EnteredOut {
                value: e.value,
                source: e.source.clone(),
                evidence: e.evidence.clone(),
                at: e.at,
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardOut {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The district shown; none for the whole city.
    pub district: Option<String>,
    /// Each figure reflects every record committed before this instant: when the figures were
    /// read, or, while a refresher is recounting days changes have marked, the start of its
    /// last pass (a few seconds earlier).
    pub as_of: DateTime<Utc>,
    pub indicators: Vec<FigureOut>,
}

/// The table for the viewer, a period and a district.
pub async fn dashboard_of(state: &AppState, viewer: &Viewer, q: &DashboardQuery) -> ApiResult<DashboardOut> {
    let ctx = state.ctx(viewer);
    let period = q.period(ctx.today)?;
    let (district, as_of, figures) =
        state.core().dashboard(&ctx, &state.indicators, period, q.district.as_deref()).await?;
    let (from, to) = period.bounds();
    Ok(DashboardOut {
        period: period.key(),
        from,
        to,
        district,
        as_of,
        indicators: figures.iter().map(FigureOut::of).collect(),
    })
}

pub fn indicator_of<'a>(state: &'a AppState, id: &str) -> ApiResult<&'a Indicator> {
    state.indicators.get(id).ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/oversight/indicators", tag = "oversight", params(DashboardQuery), responses(
    (status = 200, description = "Every indicator of 附件2 for the period and district: figure, target, status, trend, method", body = DashboardOut),
    (status = 422, description = "An unreadable period or an unknown district", body = ErrorEnvelope)))]
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> ApiResult<axum::Json<DashboardOut>> {
    Ok(axum::Json(dashboard_of(&state, &viewer, &q).await?))
}

const EXPORT_HEADER: [&str; 10] = [
    "ui.kpi.order",
    "ui.kpi.indicator",
    "ui.kpi.unit",
    "ui.kpi.baseline",
    "ui.kpi.target",
    "ui.kpi.figure",
    "ui.kpi.counted",
    "ui.kpi.status",
    "ui.kpi.method",
    "ui.kpi.source",
];

fn export_rows(d: &DashboardOut, lang: Lang) -> Vec<Vec<String>> {
    let t = |k: &str| jiuye_domain::messages::text(k, lang);
    d.indicators
        .iter()
        .map(|f| {
            let zh = lang == Lang::Zh;
            vec![
                f.order.to_string(),
                if zh { f.name.clone() } else { f.name_en.clone() },
                t(&format!("oversight.unit.{}", f.unit)),
                f.baseline_2021.map(|b| b.to_string()).unwrap_or_else(|| "—".into()),
                f.target_2023.to_string(),
                f.shown.clone().unwrap_or_else(|| "—".into()),
                match (f.numerator, f.denominator) {
                    (Some(n), Some(d)) => format!("{n}/{d}"),
                    (Some(n), None) => n.to_string(),
                    _ => f.entered.as_ref().map(|e| e.source.clone()).unwrap_or_default(),
                },
                t(&format!("oversight.status.{}", f.status)),
                if zh { f.method.clone() } else { f.method_en.clone() },
                f.source.clone(),
            ]
        })
        .collect()
}

fn file_name(d: &DashboardOut, ext: &str) -> String {
    let place = d.district.clone().unwrap_or_else(|| "350200".into());
    format!("attachment; filename=\"kpi-{}-{place}.{ext}\"", d.period.replace("..", "_"))
}

#[utoipa::path(get, path = "/api/v1/oversight/indicators.xlsx", tag = "oversight", params(DashboardQuery), responses(
    (status = 200, description = "The table as a spreadsheet (zh-CN headers)")))]
pub async fn dashboard_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> ApiResult<axum::response::Response> {
    let d = dashboard_of(&state, &viewer, &q).await?;
    let bytes = crate::xlsx::write_sheet("kpi", &EXPORT_HEADER, &export_rows(&d, Lang::Zh), Lang::Zh)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, crate::xlsx::XLSX_MIME.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, file_name(&d, "xlsx")),
        ],
        bytes,
    )
        .into_response())
}

/// A CSV field, quoted when it must be; a leading formula character is neutralised so a
/// spreadsheet never runs a figure's text.
pub(crate) fn csv_field(s: &str) -> String {
    let s =
        if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

#[utoipa::path(get, path = "/api/v1/oversight/indicators.csv", tag = "oversight", params(DashboardQuery), responses(
    (status = 200, description = "The table as CSV (UTF-8 with a byte-order mark, zh-CN headers)")))]
pub async fn dashboard_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> ApiResult<axum::response::Response> {
    let d = dashboard_of(&state, &viewer, &q).await?;
    let mut out = String::from("\u{feff}");
    let header: Vec<String> =
        EXPORT_HEADER.iter().map(|k| csv_field(&jiuye_domain::messages::text(k, Lang::Zh))).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in export_rows(&d, Lang::Zh) {
        out.push_str(&row.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, file_name(&d, "csv")),
        ],
        out,
    )
        .into_response())
}

/// One record behind a figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordOut {
    /// The person (a household for the zero-employment rate; the claimant for claims).
    pub subject_id: Uuid,
    pub day: String,
    pub district: String,
    pub detail: String,
    /// For a rate: counted in the numerator.
    pub counted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecordsOut {
    pub indicator: String,
    pub period: String,
    pub district: Option<String>,
    pub page: u32,
    pub records: Vec<RecordOut>,
}

/// Records per page of a drill-down.
pub const RECORDS_PER_PAGE: u64 = 50;

pub async fn records_of(state: &AppState, viewer: &Viewer, id: &str, q: &DashboardQuery) -> ApiResult<RecordsOut> {
    let ind = indicator_of(state, id)?;
    let ctx = state.ctx(viewer);
    let period = q.period(ctx.today)?;
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let offset = u64::from(page - 1) * RECORDS_PER_PAGE;
    let (district, rows) =
        state.core().drill(&ctx, ind, period, q.district.as_deref(), offset, RECORDS_PER_PAGE).await?;
    Ok(RecordsOut {
        indicator: ind.id.clone(),
        period: period.key(),
        district,
        page,
        records: rows
            .into_iter()
            .map(|r| RecordOut {
                subject_id: r.subject_id,
                day: r.day.chars().take(10).collect(),
                district: r.district,
                detail: r.detail,
                counted: r.hit,
            })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/oversight/indicators/{id}/records", tag = "oversight", params(("id" = String, Path), DashboardQuery), responses(
    (status = 200, description = "The records a computed figure counts, newest first, 50 a page, within the viewer's district", body = RecordsOut),
    (status = 404, description = "No such indicator", body = ErrorEnvelope)))]
pub async fn records(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> ApiResult<axum::Json<RecordsOut>> {
    Ok(axum::Json(records_of(&state, &viewer, &id, &q).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryIn {
    pub period: String,
    pub district: Option<String>,
    pub value: f64,
    /// Where the figure comes from (a report, a statistics table).
    pub source: String,
    /// The evidence kept: a document number or reference.
    pub evidence: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    pub id: Uuid,
}

/// Enter a figure (the API and the page's form both come here).
pub async fn enter(state: &AppState, viewer: &Viewer, id: &str, body: &EntryIn) -> ApiResult<Uuid> {
    let ind = indicator_of(state, id)?;
    let ctx = state.ctx(viewer);
    let period = Period::parse(&body.period)
        .map_err(|_| ApiError::invalid(CodeError::new("oversight.period").field("period")))?;
    Ok(state
        .core()
        .enter_figure(&ctx, ind, period, body.district.as_deref(), body.value, &body.source, &body.evidence)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/oversight/indicators/{id}/entries", tag = "oversight", params(("id" = String, Path)), request_body = EntryIn, responses(
    (status = 201, description = "Entered; the newest entry for the period and place is the figure", body = EntryOut),
    (status = 422, description = "A computed indicator, a future period, no source or evidence, a value out of range", body = ErrorEnvelope)))]
pub async fn create_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<EntryIn>,
) -> ApiResult<(StatusCode, axum::Json<EntryOut>)> {
    let id = enter(&state, &viewer, &id, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(EntryOut { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyIn {
    /// `class` (an enrolment of mine) or `claim` (a claim of mine).
    pub kind: String,
    pub subject_id: String,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: i32,
    pub comment: Option<String>,
}

pub async fn answer(state: &AppState, viewer: &Viewer, body: SurveyIn) -> ApiResult<()> {
    let subject = parse_id(&body.subject_id)?;
    state.core().answer_survey(&state.ctx(viewer), &body.kind, subject, body.score, body.comment).await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/me/surveys", tag = "oversight", request_body = SurveyIn, responses(
    (status = 201, description = "Answer kept (once per class or claim)"),
    (status = 404, description = "No such class or claim of mine", body = ErrorEnvelope),
    (status = 409, description = "Not finished or decided yet, or already answered", body = ErrorEnvelope)))]
pub async fn create_survey(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<SurveyIn>,
) -> ApiResult<StatusCode> {
    answer(&state, &viewer, body).await?;
    Ok(StatusCode::CREATED)
}
