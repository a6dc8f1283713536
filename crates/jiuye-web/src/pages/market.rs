//! The labour-market page: a heat map of 求人倍率 (occupations × districts) and the quarter's
//! shortage list, server-rendered (no script).

use askama::Template;
use axum::extract::State;

use super::{Chrome, Opt, OrPage, PageResult, Tr, render};
use crate::AppState;
use crate::api::Query;
use crate::api::market::{CellOut, MarketQuery};
use crate::auth::Viewer;

pub struct HeatCell {
    pub text: String,
    /// `r0` (far fewer jobs than seekers) … `r4` (far more), `none` without seekers.
    pub class: &'static str,
    pub title: String,
}

pub struct HeatRow {
    pub occupation: String,
    pub cells: Vec<HeatCell>,
}

#[derive(Template)]
#[template(path = "market.html")]
struct MarketPage {
    c: Chrome,
    period: String,
    levels: Vec<Opt>,
    columns: Vec<String>,
    rows: Vec<HeatRow>,
    shortage: Vec<CellOut>,
    place: String,
    fairness: crate::api::market::FairnessOut,
    offered: Vec<OfferedRow>,
}

pub struct OfferedRow {
    pub group: String,
    pub recommendations: u64,
    pub mean_salary: String,
    pub top: String,
}

/// A group key (`sex:female`) in words.
fn group_label(t: Tr, key: &str) -> String {
    let (dim, value) = key.split_once(':').unwrap_or((key, ""));
    let k = format!("ui.fair.{dim}.{value}");
    if jiuye_domain::messages::has(&k) { t.t(&k) } else { format!("{} {value}", t.t(&format!("ui.fair.{dim}"))) }
}

fn bucket(ratio: Option<f64>) -> &'static str {
    match ratio {
        None => "none",
        Some(r) if r < 0.5 => "r0",
        Some(r) if r < 0.8 => "r1",
        Some(r) if r < 1.25 => "r2",
        Some(r) if r < 2.0 => "r3",
        Some(_) => "r4",
    }
}

/// Rows shown in the heat map: the occupations with the most demand and seekers.
const HEAT_ROWS: usize = 25;

pub async fn market(State(state): State<AppState>, viewer: Viewer, t: Tr, Query(q): Query<MarketQuery>) -> PageResult {
    let m = crate::api::market::market_of(&state, &viewer, &q).await.or_page(t)?;
    let mut columns: Vec<String> = match &m.district {
        Some(d) => vec![d.clone()],
        None => jiuye_domain::codes::region::xiamen_districts().into_iter().map(|r| r.code.to_string()).collect(),
    };
    if m.district.is_none() {
        columns.push("city".into());
    }
    let mut occupations: Vec<(String, String, u64)> = Vec::new();
    for c in m.cells.iter().filter(|c| c.district == "city" || Some(&c.district) == m.district.as_ref()) {
        occupations.push((
            c.occupation.clone(),
            c.occupation_name.clone(),
            c.demand_carried + c.demand_new + c.seekers_carried + c.seekers_new,
        ));
    }
    occupations.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    occupations.truncate(HEAT_ROWS);
    let rows = occupations
        .iter()
        .map(|(code, name, _)| HeatRow {
            occupation: if code.is_empty() { t.t("ui.market.unnamed") } else { format!("{code} {name}") },
            cells: columns
                .iter()
                .map(|d| {
                    let c = m.cells.iter().find(|c| &c.occupation == code && &c.district == d);
                    let ratio = c.and_then(|c| c.ratio);
                    HeatCell {
                        text: ratio.map(|r| format!("{r:.2}")).unwrap_or_else(|| "—".into()),
                        class: bucket(ratio),
                        title: c
                            .map(|c| {
                                format!(
                                    "{} {} / {} {}",
                                    t.t("ui.market.demand"),
                                    c.demand_carried + c.demand_new,
                                    t.t("ui.market.seekers"),
                                    c.seekers_carried + c.seekers_new
                                )
                            })
                            .unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect();
    let fairness = crate::api::market::fairness_of(&state, &viewer, &q).await.or_page(t)?;
    let offered = fairness
        .by_group
        .iter()
        .map(|o| {
            let mut majors: Vec<(&String, &f64)> = o.major_groups.iter().collect();
            majors.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
            OfferedRow {
                group: group_label(t, &o.group),
                recommendations: o.recommendations,
                mean_salary: format!("{:.0}", o.mean_salary),
                top: majors
                    .iter()
                    .take(3)
                    .map(|(m, share)| {
                        let name = jiuye_domain::codes::occupation::lookup(m).map(|x| x.name).unwrap_or("—");
                        format!("{name} {:.0}%", *share * 100.0)
                    })
                    .collect::<Vec<_>>()
                    .join("、"),
            }
        })
        .collect();
    let levels = (1..=3u8)
        .map(|l| Opt { value: l.to_string(), label: t.t(&format!("ui.market.level{l}")), selected: l == m.level })
        .collect();
    Ok(render(&MarketPage {
        c: Chrome::new(t, &viewer, "/admin/market"),
        period: m.period.clone(),
        levels,
        columns: columns.iter().map(|c| if c == "city" { t.t("ui.kpi.city") } else { t.region(c) }).collect(),
        rows,
        place: m.district.as_deref().map(|d| t.region(d)).unwrap_or_else(|| t.t("ui.kpi.city")),
        shortage: m.shortage,
        fairness,
        offered,
    }))
}
