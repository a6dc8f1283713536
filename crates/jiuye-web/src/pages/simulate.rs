//! Before publishing a changed parameter: what it would mean over everyone the screening sees —
//! who becomes eligible or ineligible, the cost, by district and key group, against the budget
//! line's allocation.

use askama::Template;
use axum::extract::State;

use jiuye_policy::{Claimant, Slice};

use super::{Chrome, Opt, OrPage, PageResult, Tr, render};
use crate::AppState;
use crate::api::Query;
use crate::auth::Viewer;
use crate::error::ApiError;

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SimulateQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    pub policy: Option<String>,
    /// `name=value` pairs separated by commas (values in fen).
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    pub set: Option<String>,
}

pub struct SliceRow {
    pub label: String,
    pub candidates: usize,
    pub before: usize,
    pub after: usize,
    pub cost_before: String,
    pub cost_after: String,
}

fn row(label: String, s: &Slice, t: Tr) -> SliceRow {
    SliceRow {
        label,
        candidates: s.candidates,
        before: s.eligible_before,
        after: s.eligible_after,
        cost_before: t.money_large(s.amount_before_fen),
        cost_after: t.money_large(s.amount_after_fen),
    }
}

pub struct Outcome {
    pub total: SliceRow,
    pub newly: usize,
    pub no_longer: usize,
    pub difference: String,
    pub allocated: String,
    pub remaining_after: String,
    pub over_budget: bool,
    pub districts: Vec<SliceRow>,
    pub groups: Vec<SliceRow>,
}

#[derive(Template)]
#[template(path = "simulate.html")]
struct SimulatePage {
    c: Chrome,
    policies: Vec<Opt>,
    set: String,
    parameters: Vec<String>,
    outcome: Option<Outcome>,
    problem: Option<String>,
}

fn parse_set(s: &str) -> Result<Vec<(String, i64)>, ApiError> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| ApiError::invalid(jiuye_domain::CodeError::new("policy.set").field("set")))?;
            let v: i64 = v
                .trim()
                .parse()
                .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("policy.set").field("set")))?;
            Ok((k.trim().to_string(), v))
        })
        .collect()
}

pub async fn simulate(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Query(q): Query<SimulateQuery>,
) -> PageResult {
    let chosen = q.policy.clone().unwrap_or_else(|| "skills_certificate".into());
    let persons: Vec<&jiuye_policy::Policy> =
        state.policies.latest().into_iter().filter(|p| p.claimant == Claimant::Person).collect();
    let policies = persons
        .iter()
        .map(|p| Opt {
            value: p.id.clone(),
            label: if t.zh() { p.title.zh.clone() } else { p.title.en.clone() },
            selected: p.id == chosen,
        })
        .collect();
    let policy = persons.iter().find(|p| p.id == chosen).copied();
    let parameters = policy.map(|p| p.parameters.keys().cloned().collect()).unwrap_or_default();
    let mut outcome = None;
    let mut problem = None;
    if let (Some(p), Some(set)) = (policy, q.set.as_deref()) {
        let changes = parse_set(set).or_page(t)?;
        let ctx = state.ctx(&viewer);
        match state.core().simulate_population(&ctx, &p.id, &changes).await {
            Ok(s) => {
                let allocation = state.store.allocation(p.budget_line.as_str(), &p.id).await.or_page(t)?;
                let (allocated, paid) =
                    allocation.map(|a| (a.allocated_fen, a.paid_fen + a.reserved_fen)).unwrap_or((0, 0));
                let remaining = allocated.checked_sub(paid).and_then(|r| r.checked_sub(s.total.amount_after_fen));
                let difference = s
                    .total
                    .amount_after_fen
                    .checked_sub(s.total.amount_before_fen)
                    .ok_or(ApiError::Internal)
                    .or_page(t)?;
                outcome = Some(Outcome {
                    total: row(t.t("ui.kpi.city"), &s.total, t),
                    newly: s.newly_eligible,
                    no_longer: s.no_longer_eligible,
                    difference: t.money_large(difference),
                    allocated: t.money_large(allocated),
                    remaining_after: remaining.map(|r| t.money_large(r)).unwrap_or_else(|| "—".into()),
                    over_budget: remaining.is_some_and(|r| r < 0),
                    districts: s.by_district.iter().map(|(d, x)| row(t.region(d), x, t)).collect(),
                    groups: s.by_key_group.iter().map(|(g, x)| row(t.group(g), x, t)).collect(),
                });
            }
            Err(jiuye_core::CoreError::Refused(e)) => {
                problem = Some(if t.zh() { e.message_zh() } else { e.message_en() })
            }
            Err(e) => return Err(ApiError::from(e)).or_page(t),
        }
    }
    Ok(render(&SimulatePage {
        c: Chrome::new(t, &viewer, "/admin/policies/simulate"),
        policies,
        set: q.set.unwrap_or_default(),
        parameters,
        outcome,
        problem,
    }))
}
