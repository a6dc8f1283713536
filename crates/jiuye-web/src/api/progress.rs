//! Progress of the 26 measures over HTTP: what the actor's measures show (recent reports, late
//! ones), filing a report, and the monthly report to the leading group (JSON and xlsx).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use jiuye_domain::{CodeError, Lang};
use jiuye_oversight::measures::ReportPeriod;
use jiuye_store::ProgressReport;

use super::{Query, empty_as_none};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    pub id: Uuid,
    pub measure: u32,
    pub period: String,
    /// `half_month` or `month`.
    pub kind: String,
    pub unit: String,
    pub text: String,
    /// Indicator figures filled from the records when filed.
    pub figures: Vec<FigureLine>,
    pub attachments: Vec<String>,
    pub filed_at: DateTime<Utc>,
}

/// One indicator's figure over the reporting period, as filled when the report was filed.
#[derive(Debug, Serialize, Deserialize, ToSchema, Default)]
pub struct FigureLine {
    pub indicator: String,
    /// The days counted (`from..to`, up to the day of filing).
    pub period: String,
    pub value: Option<f64>,
    pub shown: Option<String>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
}

impl ReportOut {
    pub fn of(r: &ProgressReport) -> Self {
        ReportOut {
            id: r.id,
            measure: r.measure,
            period: r.period.clone(),
            kind: r.kind.clone(),
            unit: r.unit.clone(),
            text: r.text.clone(),
            figures: serde_json::from_value(r.figures.clone()).unwrap_or_default(),
            attachments: r.attachments.clone(),
            filed_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOut {
    pub number: u32,
    pub project: String,
    pub action: String,
    pub content: String,
    pub action_en: String,
    pub content_en: String,
    pub lead_unit: String,
    pub lead_unit_name: String,
    pub lead_unit_name_en: String,
    pub indicators: Vec<String>,
    /// Reporting periods due and not filed.
    pub late: Vec<String>,
    pub latest: Option<ReportOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressOut {
    pub measures: Vec<MeasureOut>,
    pub late_total: usize,
}

pub async fn progress_of(state: &AppState, viewer: &Viewer) -> ApiResult<ProgressOut> {
    let ctx = state.ctx(viewer);
    let o = state.core().progress(&ctx, &state.measures).await?;
    let measures: Vec<MeasureOut> = o
        .measures
        .iter()
        .map(|m| MeasureOut {
            number: m.number,
            project: m.project.clone(),
            action: m.action.clone(),
            content: m.content.clone(),
            action_en: m.action_en.clone(),
            content_en: m.content_en.clone(),
            lead_unit: m.lead_unit.clone(),
            lead_unit_name: state.measures.unit(&m.lead_unit).map(|u| u.zh.clone()).unwrap_or_default(),
            lead_unit_name_en: state.measures.unit(&m.lead_unit).map(|u| u.en.clone()).unwrap_or_default(),
            indicators: m.indicators.clone(),
            late: o.late.iter().filter(|(n, _)| *n == m.number).map(|(_, p)| p.key()).collect(),
            latest: o.recent.iter().find(|r| r.measure == m.number).map(ReportOut::of),
        })
        .collect();
    Ok(ProgressOut { late_total: o.late.len(), measures })
}

#[utoipa::path(get, path = "/api/v1/progress", tag = "oversight", responses(
    (status = 200, description = "The measures the viewer sees (a lead unit: those it leads), each with its newest report and the reports due and not filed", body = ProgressOut)))]
pub async fn overview(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<ProgressOut>> {
    Ok(axum::Json(progress_of(&state, &viewer).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportIn {
    pub measure: u32,
    /// `2026-11-H1`, `2026-11-H2` (half-monthly) or `2026-11` (monthly).
    pub period: String,
    pub text: String,
    /// References to attachments (document numbers, links), at most 10.
    #[serde(default)]
    pub attachments: Vec<String>,
}

pub async fn file(state: &AppState, viewer: &Viewer, body: ReportIn) -> ApiResult<ProgressReport> {
    let ctx = state.ctx(viewer);
    Ok(state
        .core()
        .file_progress(
            &ctx,
            &state.measures,
            &state.indicators,
            body.measure,
            &body.period,
            &body.text,
            body.attachments,
        )
        .await?)
}

#[utoipa::path(post, path = "/api/v1/progress/reports", tag = "oversight", request_body = ReportIn, responses(
    (status = 201, description = "Filed, with the measure's figures filled from the records", body = ReportOut),
    (status = 404, description = "No such measure, or not one the unit leads", body = ErrorEnvelope),
    (status = 422, description = "An unreadable or future period, no text, too many attachments", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<ReportIn>,
) -> ApiResult<(StatusCode, axum::Json<ReportOut>)> {
    let r = file(&state, &viewer, body).await?;
    Ok((StatusCode::CREATED, axum::Json(ReportOut::of(&r))))
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `2026-11`; last month when absent.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub month: Option<String>,
}

impl MonthQuery {
    pub fn month(&self, today: chrono::NaiveDate) -> ApiResult<ReportPeriod> {
        match self.month.as_deref() {
            Some(m) => ReportPeriod::parse(m)
                .filter(|p| p.kind() == "month")
                .ok_or_else(|| ApiError::invalid(CodeError::new("progress.period").field("month"))),
            None => {
                let last = today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today);
                Ok(ReportPeriod::Month { year: chrono::Datelike::year(&last), month: chrono::Datelike::month(&last) })
            }
        }
    }
}

use chrono::Datelike as _;

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyLine {
    pub measure: MeasureLine,
    pub report: Option<ReportOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureLine {
    pub number: u32,
    pub project: String,
    pub action: String,
    pub action_en: String,
    pub lead_unit_name: String,
    pub lead_unit_name_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyOut {
    pub month: String,
    pub lines: Vec<MonthlyLine>,
}

pub async fn monthly_of(state: &AppState, viewer: &Viewer, q: &MonthQuery) -> ApiResult<MonthlyOut> {
    let ctx = state.ctx(viewer);
    let month = q.month(ctx.today)?;
    let lines = state.core().monthly_report(&ctx, &state.measures, month).await?;
    Ok(MonthlyOut {
        month: month.key(),
        lines: lines
            .into_iter()
            .map(|(m, r)| MonthlyLine {
                measure: MeasureLine {
                    number: m.number,
                    project: m.project.clone(),
                    action: m.action.clone(),
                    action_en: m.action_en.clone(),
                    lead_unit_name: state.measures.unit(&m.lead_unit).map(|u| u.zh.clone()).unwrap_or_default(),
                    lead_unit_name_en: state.measures.unit(&m.lead_unit).map(|u| u.en.clone()).unwrap_or_default(),
                },
                report: r.as_ref().map(ReportOut::of),
            })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/progress/monthly", tag = "oversight", params(MonthQuery), responses(
    (status = 200, description = "The monthly report to the leading group: every measure with its monthly report (none when not filed)", body = MonthlyOut)))]
pub async fn monthly(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MonthQuery>,
) -> ApiResult<axum::Json<MonthlyOut>> {
    Ok(axum::Json(monthly_of(&state, &viewer, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/progress/monthly.xlsx", tag = "oversight", params(MonthQuery), responses(
    (status = 200, description = "The monthly report as a spreadsheet")))]
pub async fn monthly_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MonthQuery>,
) -> ApiResult<axum::response::Response> {
    let m = monthly_of(&state, &viewer, &q).await?;
    let not_filed = jiuye_domain::messages::text("ui.progress.not_filed", Lang::Zh);
    let rows: Vec<Vec<String>> = m
        .lines
        .iter()
        .map(|l| {
            vec![
                l.measure.number.to_string(),
                l.measure.project.clone(),
                l.measure.action.clone(),
                l.measure.lead_unit_name.clone(),
                l.report.as_ref().map(|r| r.text.clone()).unwrap_or_else(|| not_filed.clone()),
                l.report.as_ref().map(|r| r.attachments.join("; ")).unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "ui.kpi.order",
        "ui.progress.project",
        "ui.progress.action",
        "ui.progress.lead_unit",
        "ui.progress.text",
        "ui.progress.attachments",
    ];
    let bytes = crate::xlsx::write_sheet("monthly", &header, &rows, Lang::Zh)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, crate::xlsx::XLSX_MIME.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"progress-{}.xlsx\"", m.month)),
        ],
        bytes,
    )
        .into_response())
}
