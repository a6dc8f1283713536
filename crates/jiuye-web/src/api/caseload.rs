//! Casework lists: the caseload with filters, the "131" league table, the graduate contact
//! rate, zero-employment households, satisfaction — each limited to the viewer's district.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::casework::One31Status;
use jiuye_domain::codes::DistrictCode;
use jiuye_domain::roles::Role;
use jiuye_store::{CaseRow, CaseloadFilter, Household};

use super::casework::{RegistrationOut, field, note};
use super::wire::PageOut;
use super::{Paging, Query, empty_as_none};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

/// The district a list is limited to: the viewer's own for district staff; any (or all) for
/// the city.
pub fn list_district(state: &AppState, viewer: &Viewer, asked: Option<&str>) -> ApiResult<Option<String>> {
    Ok(jiuye_core::lists::list_district(&state.ctx(viewer), asked)?)
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseloadQuery {
    /// Only my caseload (caseworkers: the default is their whole district).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub mine: Option<bool>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub tier: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub category: Option<String>,
    /// `complete`, `on_track`, `due_soon` or `overdue`.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub one31: Option<String>,
    /// Only those whose next contact is overdue.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub contact_overdue: Option<bool>,
    /// Only those marked 失联.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub unreachable: Option<bool>,
    /// City admins only; district staff always see their own.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub district: Option<String>,
    /// The person's name contains this.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub cursor: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub limit: Option<u64>,
}

impl CaseloadQuery {
    pub fn filter(&self, state: &AppState, viewer: &Viewer) -> ApiResult<CaseloadFilter> {
        let district = list_district(state, viewer, self.district.as_deref())?;
        let tier = match self.tier.as_deref() {
            Some(t) if state.casework().tier(t).is_none() => {
                return Err(ApiError::invalid(CodeError::new("casework.tier_unknown").field("tier").arg("value", t)));
            }
            t => t.map(str::to_string),
        };
        let category = match self.category.as_deref() {
            Some(c) if !jiuye_domain::messages::has(&format!("casework.category.{c}")) => {
                return Err(ApiError::invalid(CodeError::new("input.enum").field("category").arg("value", c)));
            }
            c => c.map(str::to_string),
        };
        let mine = self.mine.unwrap_or(false) && viewer.role() == Some(Role::Caseworker);
        Ok(CaseloadFilter {
            district,
            caseworker: if mine { viewer.account.as_ref().map(|a| a.id) } else { None },
            tier,
            category,
            one31: self.one31.as_deref().map(|s| field("one31", One31Status::parse(s))).transpose()?,
            contact_overdue: self.contact_overdue.unwrap_or(false),
            unreachable: self.unreachable.unwrap_or(false),
            name: self.name.clone(),
            contact_due_on: None,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseRowOut {
    pub person_id: Uuid,
    pub name: String,
    /// Masked.
    pub national_id: String,
    pub mobile: String,
    pub registration: RegistrationOut,
}

impl CaseRowOut {
    pub fn of(c: &CaseRow, state: &AppState) -> Self {
        CaseRowOut {
            person_id: c.registration.person_id,
            name: c.name.clone(),
            national_id: c.national_id_masked.clone(),
            mobile: c.mobile.clone(),
            registration: RegistrationOut::of(&c.registration, state),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/casework/caseload", tag = "casework", params(CaseloadQuery), responses(
    (status = 200, description = "Registered unemployed in scope, newest first, with tier, 131 and contact state", body = PageOut<CaseRowOut>),
    (status = 422, description = "Unknown filter value", body = ErrorEnvelope)))]
pub async fn caseload(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CaseloadQuery>,
) -> ApiResult<axum::Json<PageOut<CaseRowOut>>> {
    let filter = q.filter(&state, &viewer)?;
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let page = state.store.caseload(&filter, &state.casework(), state.clock.today(), page).await?;
    Ok(axum::Json(PageOut {
        items: page.items.iter().map(|c| CaseRowOut::of(c, &state)).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeagueOut {
    pub district: String,
    pub district_name: String,
    pub registered: i64,
    pub complete: i64,
    pub overdue: i64,
    pub contact_overdue: i64,
    pub unreachable: i64,
    /// Share of registered persons whose 131 is complete, in per mille (0–1000).
    pub complete_permille: i64,
}

#[utoipa::path(get, path = "/api/v1/casework/league", tag = "casework", responses(
    (status = 200, description = "Per district: registered, 131 complete and overdue, contacts overdue, unreachable — best completion first", body = Vec<LeagueOut>)))]
pub async fn league(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<LeagueOut>>> {
    Ok(axum::Json(league_rows(&state).await?))
}

pub async fn league_rows(state: &AppState) -> ApiResult<Vec<LeagueOut>> {
    let mut out: Vec<LeagueOut> = state
        .store
        .one31_league(state.clock.today())
        .await?
        .into_iter()
        .map(|r| LeagueOut {
            district_name: DistrictCode::parse(&r.district).map(|d| d.name().to_string()).unwrap_or_default(),
            complete_permille: (r.complete * 1000).checked_div(r.registered).unwrap_or(0),
            district: r.district,
            registered: r.registered,
            complete: r.complete,
            overdue: r.overdue,
            contact_overdue: r.contact_overdue,
            unreachable: r.unreachable,
        })
        .collect();
    out.sort_by(|a, b| b.complete_permille.cmp(&a.complete_permille).then(a.overdue.cmp(&b.overdue)));
    Ok(out)
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DistrictQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    pub district: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RateOut {
    pub total: u64,
    pub contacted: u64,
    /// contacted / total in per mille; 1000 when nobody is due (nothing left undone).
    pub rate_permille: u64,
}

#[utoipa::path(get, path = "/api/v1/casework/graduate-contact-rate", tag = "casework", params(DistrictQuery), responses(
    (status = 200, description = "离校未就业毕业生和困难失业青年一对一帮扶联系率, computed from the contact log", body = RateOut)))]
pub async fn graduate_contact_rate(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DistrictQuery>,
) -> ApiResult<axum::Json<RateOut>> {
    let district = list_district(&state, &viewer, q.district.as_deref())?;
    let r = state.store.graduate_contact_rate(district.as_deref()).await?;
    let rate_permille = (r.contacted * 1000).checked_div(r.total).unwrap_or(1000);
    Ok(axum::Json(RateOut { total: r.total, contacted: r.contacted, rate_permille }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SatisfactionOut {
    /// `kind`, `district` or `provider`.
    pub by: String,
    pub key: String,
    pub ratings: u64,
    /// Mean score × 100 (e.g. 467 = 4.67 of 5).
    pub mean_x100: u64,
}

#[utoipa::path(get, path = "/api/v1/casework/satisfaction", tag = "casework", params(DistrictQuery), responses(
    (status = 200, description = "Satisfaction with services by kind, district and provider", body = Vec<SatisfactionOut>)))]
pub async fn satisfaction(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DistrictQuery>,
) -> ApiResult<axum::Json<Vec<SatisfactionOut>>> {
    let district = list_district(&state, &viewer, q.district.as_deref())?;
    let rows = state.store.satisfaction(district.as_deref()).await?;
    let mut groups: BTreeMap<(String, String), (u64, i64)> = BTreeMap::new();
    for r in &rows {
        let provider = r.provider_id.map(|p| p.to_string()).unwrap_or_else(|| "public".into());
        for key in [("kind", r.kind.clone()), ("district", r.district.clone()), ("provider", provider)] {
            let e = groups.entry((key.0.to_string(), key.1)).or_default();
            e.0 += r.ratings;
            e.1 += r.score_sum;
        }
    }
    Ok(axum::Json(
        groups
            .into_iter()
            .map(|((by, key), (n, sum))| SatisfactionOut {
                by,
                key,
                ratings: n,
                mean_x100: (u64::try_from(sum.max(0)).unwrap_or(0) * 100).checked_div(n).unwrap_or(0),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    pub person_id: Uuid,
    pub name: String,
    pub relation: String,
    pub working_age: bool,
    pub employed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdOut {
    pub id: Uuid,
    pub district: String,
    pub address: Option<String>,
    /// Set while the household is 零就业.
    pub flagged_on: Option<chrono::NaiveDate>,
    pub members: Vec<MemberOut>,
    /// Earlier flag periods and the days each took to clear.
    pub cleared: Vec<ClearedOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClearedOut {
    pub flagged_on: chrono::NaiveDate,
    pub cleared_on: chrono::NaiveDate,
    pub days_to_clear: i64,
}

impl From<&Household> for HouseholdOut {
    fn from(h: &Household) -> Self {
        HouseholdOut {
            id: h.id,
            district: h.district.clone(),
            address: h.address.clone(),
            flagged_on: h.flagged_on,
            members: h
                .members
                .iter()
                .map(|m| MemberOut {
                    person_id: m.person_id,
                    name: m.name.clone(),
                    relation: m.relation.clone(),
                    working_age: m.working_age,
                    employed: m.employed,
                })
                .collect(),
            cleared: h
                .cleared
                .iter()
                .map(|(f, c)| ClearedOut { flagged_on: *f, cleared_on: *c, days_to_clear: (*c - *f).num_days() })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/casework/households", tag = "casework", params(DistrictQuery), responses(
    (status = 200, description = "Households flagged 零就业 now, oldest flag first", body = Vec<HouseholdOut>)))]
pub async fn zero_households(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DistrictQuery>,
) -> ApiResult<axum::Json<Vec<HouseholdOut>>> {
    let district = list_district(&state, &viewer, q.district.as_deref())?;
    let list = state.store.zero_employment_households(district.as_deref(), state.clock.today()).await?;
    Ok(axum::Json(list.iter().map(HouseholdOut::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdIn {
    pub address: Option<String>,
    pub members: Vec<MemberIn>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberIn {
    pub person_id: Uuid,
    /// e.g. 户主, 配偶, 子女.
    pub relation: String,
}

#[utoipa::path(post, path = "/api/v1/casework/households", tag = "casework", request_body = HouseholdIn, responses(
    (status = 201, description = "Household recorded; flagged at once if its working-age members are all without work", body = HouseholdOut),
    (status = 404, description = "A member is unknown or outside the viewer's district", body = ErrorEnvelope),
    (status = 409, description = "A member belongs to another household", body = ErrorEnvelope)))]
pub async fn create_household(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<HouseholdIn>,
) -> ApiResult<(StatusCode, axum::Json<HouseholdOut>)> {
    if body.members.is_empty() || body.members.len() > 20 {
        return Err(ApiError::invalid(CodeError::new("input.too_many").field("members").arg("max", "20")));
    }
    let mut members = Vec::new();
    let mut district = None;
    for (i, m) in body.members.iter().enumerate() {
        let p = state.core().person_record(&state.ctx(&viewer), m.person_id).await?;
        district.get_or_insert_with(|| p.district.as_str().to_string());
        let relation = field(
            &format!("members[{i}].relation"),
            jiuye_domain::records::text::required("relation", &m.relation, 20),
        )?;
        members.push((m.person_id, relation));
    }
    let address = note("address", body.address, 200)?;
    let h = state
        .store
        .create_household(
            district.as_deref().unwrap_or_default(),
            address,
            &members,
            state.clock.today(),
            &viewer.audit(),
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(HouseholdOut::from(&h))))
}
