//! Labour-market analysis over HTTP: 求人倍率 by occupation (大类/中类/小类) × district for any
//! period by the MOHRSS method, with the carried-over and new split, and the shortage list.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use jiuye_oversight::market::{Cell, shortage};

use super::{Query, empty_as_none};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};

#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MarketQuery {
    /// `2026`, `2026-Q3`, `2026-10` or a span; this quarter when absent.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub period: Option<String>,
    /// 1 大类, 2 中类 (default), 3 小类.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub level: Option<u8>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub district: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CellOut {
    pub occupation: String,
    pub occupation_name: String,
    /// A district code, or `city` for the whole city.
    pub district: String,
    pub demand_carried: u64,
    pub demand_new: u64,
    pub seekers_carried: u64,
    pub seekers_new: u64,
    /// Demand ÷ seekers; none when nobody seeks.
    pub ratio: Option<f64>,
    /// Demand − seekers.
    pub gap: i64,
}

impl CellOut {
    fn of(c: &Cell) -> Self {
        let (occupation, district) = c.key.split_once('|').unwrap_or((c.key.as_str(), ""));
        CellOut {
            occupation: occupation.to_string(),
            occupation_name: jiuye_domain::codes::occupation::lookup(occupation)
                .map(|o| o.name.to_string())
                .unwrap_or_default(),
            district: district.to_string(),
            demand_carried: c.demand_carried,
            demand_new: c.demand_new,
            seekers_carried: c.seekers_carried,
            seekers_new: c.seekers_new,
            ratio: c.ratio().map(|r| (r * 100.0).round() / 100.0),
            gap: c.gap(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarketOut {
    pub period: String,
    pub level: u8,
    pub district: Option<String>,
    pub cells: Vec<CellOut>,
    /// The largest gaps (demand − seekers > 0), at most 20, for the district shown or the city.
    pub shortage: Vec<CellOut>,
}

/// How many occupations the shortage list names.
pub const SHORTAGE_LIST: usize = 20;

pub async fn market_of(state: &AppState, viewer: &Viewer, q: &MarketQuery) -> ApiResult<MarketOut> {
    let ctx = state.ctx(viewer);
    let dq = super::oversight::DashboardQuery { period: q.period.clone(), ..Default::default() };
    let period = dq.period(ctx.today)?;
    let level = q.level.unwrap_or(2);
    if !(1..=3).contains(&level) {
        return Err(ApiError::invalid(jiuye_domain::CodeError::new("oversight.level").field("level")));
    }
    let (district, cells) = state.core().market(&ctx, period, q.district.as_deref(), level).await?;
    let place = district.clone().unwrap_or_else(|| "city".into());
    let here: Vec<Cell> =
        cells.iter().filter(|c| c.key.ends_with(&format!("|{place}")) && !c.key.starts_with('|')).cloned().collect();
    Ok(MarketOut {
        period: period.key(),
        level,
        shortage: shortage(&here, SHORTAGE_LIST).into_iter().map(CellOut::of).collect(),
        cells: cells.iter().map(CellOut::of).collect(),
        district,
    })
}

#[utoipa::path(get, path = "/api/v1/oversight/market", tag = "oversight", params(MarketQuery), responses(
    (status = 200, description = "求人倍率 by occupation and district (carried over and new), and the shortage list", body = MarketOut),
    (status = 422, description = "An unreadable period, a level other than 1–3, an unknown district", body = ErrorEnvelope)))]
pub async fn market(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MarketQuery>,
) -> ApiResult<axum::Json<MarketOut>> {
    Ok(axum::Json(market_of(&state, &viewer, &q).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferedOut {
    /// `sex:male`, `age:25-34`, `household:rural`, `key_group:yes` …
    pub group: String,
    pub recommendations: u64,
    /// Mean salary midpoint of the jobs recommended (yuan a month).
    pub mean_salary: f64,
    /// Share of recommendations per occupation major group (大类).
    pub major_groups: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FairnessOut {
    pub period: String,
    pub district: Option<String>,
    pub recommendations: u64,
    pub employers: u64,
    /// Gini of recommendations across employers with an open vacancy (0 even … 1 all to one).
    pub exposure_gini: Option<f64>,
    /// Share of those employers never shown.
    pub never_shown: Option<f64>,
    pub by_group: Vec<OfferedOut>,
}

pub async fn fairness_of(state: &AppState, viewer: &Viewer, q: &MarketQuery) -> ApiResult<FairnessOut> {
    let ctx = state.ctx(viewer);
    let dq = super::oversight::DashboardQuery { period: q.period.clone(), ..Default::default() };
    let period = dq.period(ctx.today)?;
    let (district, f) = state.core().fairness(&ctx, period, q.district.as_deref()).await?;
    Ok(FairnessOut {
        period: period.key(),
        district,
        recommendations: f.recommendations,
        employers: f.employers,
        exposure_gini: f.exposure_gini,
        never_shown: f.never_shown,
        by_group: f
            .by_group
            .into_iter()
            .map(|(group, o)| OfferedOut {
                group,
                recommendations: o.recommendations,
                mean_salary: o.mean_salary,
                major_groups: o.major_groups,
            })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/oversight/fairness", tag = "oversight", params(MarketQuery), responses(
    (status = 200, description = "How evenly the period's recommendations were spread across employers, and what each group of people was offered", body = FairnessOut)))]
pub async fn fairness(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MarketQuery>,
) -> ApiResult<axum::Json<FairnessOut>> {
    Ok(axum::Json(fairness_of(&state, &viewer, &q).await?))
}
