//! Subsidies on pages (一网通办 政策经办): each claimant's subsidies — persons on
//! `/my/subsidies`, employers on `/employer/subsidies`, service organisations on
//! `/provider/subsidies` — with the conditions in plain language, what screening found, their
//! claims, and one form per policy (check the explanation first, then file); the staff's review
//! list and the budget. Pages call the same functions as the API.

use askama::Template;
use axum::extract::{Path, State};

use jiuye_domain::roles::Role;
use jiuye_policy::Claimant;

use super::{Chrome, FormData, Opt, OrPage, PageResult, Tr, district_options, options, render};
use crate::AppState;
use crate::auth::Viewer;
use crate::csrf;
use crate::error::ApiError;
use jiuye_store::ListOrder;

/// One budget line's totals.
/// A budget line or a policy's share of it, amounts as budgets are written.
pub struct BudgetRow {
    pub line: String,
    pub policy: String,
    pub allocated: String,
    pub reserved: String,
    pub paid: String,
    pub execution: String,
    /// Execution in permille, 0–1000, for the bar.
    pub permille: i64,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct Budget {
    c: Chrome,
    rows: Vec<BudgetRow>,
    lines: Vec<BudgetRow>,
    from: String,
    to: String,
    /// The export link with the same period.
    xlsx: String,
}

/// The budget page: per line and per policy, allocation, reserved, paid, execution (附件2: ≥ 90%).
pub async fn budget(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<crate::api::claims::PeriodQuery>,
) -> PageResult {
    use crate::api::claims::budget_rows;
    let all = budget_rows(&state, &q).await.or_page(t)?;
    let title = |id: &str| policy_title(&state, t, id);
    let mut lines = Vec::new();
    for line in jiuye_policy::BudgetLine::ALL {
        let of: Vec<_> = all.iter().filter(|b| b.budget_line == line.as_str()).collect();
        let mut alloc: i64 = 0;
        let mut paid: i64 = 0;
        for b in &of {
            alloc = alloc.checked_add(b.allocated_fen).ok_or(ApiError::Internal).or_page(t)?;
            paid = paid.checked_add(b.paid_fen).ok_or(ApiError::Internal).or_page(t)?;
        }
        let permille = paid.checked_mul(1000).and_then(|x| x.checked_div(alloc)).unwrap_or(0);
        lines.push(BudgetRow {
            line: t.t(&format!("ui.budget.line.{}", line.as_str())),
            policy: String::new(),
            allocated: t.money_large(alloc),
            reserved: String::new(),
            paid: t.money_large(paid),
            execution: t.percent(permille),
            permille: permille.clamp(0, 1000),
        });
    }
    let rows = all
        .iter()
        .map(|b| BudgetRow {
            line: t.t(&format!("ui.budget.line.{}", b.budget_line)),
            policy: title(&b.policy_id),
            allocated: t.money_large(b.allocated_fen),
            reserved: t.money_large(b.reserved_fen),
            paid: t.money_large(b.paid_fen),
            execution: t.percent(b.execution_permille),
            permille: b.execution_permille.clamp(0, 1000),
        })
        .collect();
    let (from, to) =
        (q.from.map(|d| d.to_string()).unwrap_or_default(), q.to.map(|d| d.to_string()).unwrap_or_default());
    let xlsx = if from.is_empty() && to.is_empty() {
        "/api/v1/budget.xlsx".to_string()
    } else {
        format!("/api/v1/budget.xlsx?from={from}&to={to}")
    };
    Ok(render(&Budget { c: Chrome::new(t, &viewer, "/staff/budget"), rows, lines, from, to, xlsx }))
}

/// A policy's title in the viewer's language (its id when the catalogue no longer has it).
pub fn policy_title(state: &AppState, t: Tr, id: &str) -> String {
    state
        .policies
        .latest()
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| if t.zh() { p.title.zh.clone() } else { p.title.en.clone() })
        .unwrap_or_else(|| id.to_string())
}

/// Where a policy stands, as a sentence.
pub fn standing_label(t: Tr, s: jiuye_policy::Standing) -> String {
    use jiuye_domain::messages::render;
    use jiuye_policy::Standing;
    let key = format!("ui.policy.standing.{}", s.as_str());
    let args = match s {
        Standing::NotYet { from } => vec![("from", from.to_string())],
        Standing::InForce => vec![],
        Standing::Ended { to, claims_until } => vec![("to", to.to_string()), ("until", claims_until.to_string())],
        Standing::Closed { to } => vec![("to", to.to_string())],
    };
    render(&key, t.lang, &args)
}

/// A policy as a person reads it.
pub struct PolicyCard {
    /// Where it stands today, its code and whether claims are taken.
    pub standing: String,
    pub standing_code: &'static str,
    pub fileable: bool,
    pub id: String,
    pub title: String,
    pub source: String,
    pub conditions: Vec<String>,
    pub evidence: Vec<String>,
}

/// A message from screening, or a claim, as one line.
pub struct Line {
    pub title: String,
    pub status: String,
    pub amount: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "my_subsidies.html")]
struct MySubsidies {
    c: Chrome,
    base: &'static str,
    heading: String,
    policies: Vec<PolicyCard>,
    messages: Vec<Line>,
    claims: Vec<Line>,
    /// A seeker's decided claims to rate.
    asks: Vec<super::surveys::Ask>,
}

/// Who claims on these pages: the claimant kind the viewer's role files as, the pages' path,
/// and the claimant's id.
fn claimer(viewer: &Viewer) -> Result<(Claimant, &'static str, uuid::Uuid), ApiError> {
    let account = viewer.account.as_ref().ok_or(ApiError::Unauthenticated)?;
    match account.role {
        Role::Seeker => Ok((Claimant::Person, "/my/subsidies", account.person_id.ok_or(ApiError::NotFound)?)),
        Role::Employer => {
            Ok((Claimant::Employer, "/employer/subsidies", account.employer_id.ok_or(ApiError::NotFound)?))
        }
        Role::Provider => Ok((Claimant::Organisation, "/provider/subsidies", crate::casework::provider_of(viewer)?)),
        _ => Err(ApiError::Forbidden),
    }
}

/// 我的补贴 (and the employer's and the organisation's): the subsidies this claimant may claim,
/// with their conditions in plain language, what screening found (and what it still needs),
/// and the claims filed with their status.
pub async fn my_subsidies(State(state): State<AppState>, viewer: Viewer, t: Tr) -> PageResult {
    let (kind, base, me) = claimer(&viewer).or_page(t)?;
    let zh = t.zh();
    let title_of = |id: &str| policy_title(&state, t, id);
    let policies = state
        .policies
        .latest()
        .into_iter()
        .filter(|p| p.claimant == kind)
        .map(|p| PolicyCard {
            standing: standing_label(t, p.standing(state.clock.today())),
            standing_code: p.standing(state.clock.today()).as_str(),
            fileable: p.standing(state.clock.today()).fileable(),
            id: p.id.clone(),
            title: if zh { p.title.zh.clone() } else { p.title.en.clone() },
            source: p.legal_source.clone(),
            conditions: p.criteria.iter().map(|c| if zh { c.reason.zh.clone() } else { c.reason.en.clone() }).collect(),
            evidence: p.evidence.clone(),
        })
        .collect();
    let messages = state
        .store
        .inbox_of(me, 50)
        .await
        .or_page(t)?
        .into_iter()
        .map(|m| {
            let missing: Vec<String> = m.detail["missing"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .map(|f| {
                            state
                                .policies
                                .facts
                                .get(f)
                                .map(|d| if zh { d.zh.clone() } else { d.en.clone() })
                                .unwrap_or_else(|| f.to_string())
                        })
                        .collect()
                })
                .unwrap_or_default();
            Line {
                title: m.policy_id.as_deref().map(title_of).unwrap_or_default(),
                status: t.t(&format!("ui.subsidy.outcome.{}", m.outcome)),
                amount: if m.amount_fen > 0 { t.money(m.amount_fen) } else { String::new() },
                detail: {
                    let mut parts = Vec::new();
                    if let Some(name) = m.detail["subject_name"].as_str().filter(|n| !n.is_empty()) {
                        parts.push(format!("{}{name}", t.t("ui.subsidy.for_person")));
                    }
                    if !missing.is_empty() {
                        parts.push(format!("{}{}", t.t("ui.subsidy.needs"), missing.join("、")));
                    }
                    parts.join(" · ")
                },
            }
        })
        .collect();
    let filed = state
        .store
        .list_claims(None, None, Some(me), jiuye_store::PageRequest::new(None, Some(50)))
        .await
        .or_page(t)?
        .items;
    // Per-person claims show whom they are for.
    let subjects: Vec<uuid::Uuid> = filed.iter().filter_map(|c| c.subject_id).collect();
    let names: std::collections::HashMap<uuid::Uuid, String> =
        state.store.person_names(&subjects).await.or_page(t)?.into_iter().collect();
    let claims = filed
        .into_iter()
        .map(|c| Line {
            title: title_of(&c.policy_id),
            status: t.t(&format!("ui.subsidy.claim.{}", c.status)),
            amount: t.money(c.amount_fen),
            detail: match c.subject_id.and_then(|s| names.get(&s)) {
                Some(name) => format!("{} · {name}", c.period_key),
                None => c.period_key,
            },
        })
        .collect();
    let asks = if kind == Claimant::Person { super::surveys::asks(&state, me, "claim", t).await? } else { Vec::new() };
    Ok(render(&MySubsidies {
        c: Chrome::new(t, &viewer, base),
        base,
        heading: t.t(&format!("ui.subsidy.heading.{}", kind.as_str())),
        policies,
        messages,
        claims,
        asks,
    }))
}

/// One input of a claim form, from the fact's type.
/// A fact decided on, as a person reads it: its name, its value, where it came from.
pub struct FactShown {
    pub label: String,
    pub value: String,
    pub source: String,
    pub from_record: bool,
}

/// Fact lines by their labels and readable values: never a fact's code or raw JSON.
fn facts_shown(state: &AppState, t: Tr, facts: &[crate::api::claims::FactOut]) -> Vec<FactShown> {
    use serde_json::Value as J;
    facts
        .iter()
        .filter(|f| !f.name.starts_with("paid_"))
        .map(|f| {
            let def = state.policies.facts.get(&f.name);
            let label = def.map_or_else(|| f.name.clone(), |d| if t.zh() { d.zh.clone() } else { d.en.clone() });
            let money = def.is_some_and(|d| matches!(d.ty, jiuye_policy::FactType::Money));
            let one = |v: &J| match v {
                J::Bool(true) => t.t("ui.yes"),
                J::Bool(false) => t.t("ui.no"),
                J::Number(n) if money => n.as_i64().map_or_else(|| n.to_string(), |fen| t.money(fen)),
                J::Number(n) => n.to_string(),
                J::String(x) => fact_value_label(t, &f.name, x),
                J::Null => "—".into(),
                other => other.to_string(),
            };
            let value = match &f.value {
                J::Array(items) if items.is_empty() => "—".into(),
                J::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(if t.zh() { "、" } else { ", " }),
                v => one(v),
            };
            FactShown {
                label,
                value,
                source: t.t(&format!("ui.subsidy.source.{}", f.source)),
                from_record: f.source == "record",
            }
        })
        .collect()
}

pub struct FactInput {
    pub name: String,
    pub label: String,
    /// number, money, bool, date, enum, set.
    pub kind: String,
    pub options: Vec<Opt>,
    pub value: String,
}

#[derive(Template)]
#[template(path = "claim_form.html")]
struct ClaimForm {
    c: Chrome,
    base: &'static str,
    standing: String,
    standing_code: &'static str,
    fileable: bool,
    /// Per-person policies: the people the employer may claim for.
    subjects: Vec<Opt>,
    /// Organisations: the district the claim is filed in.
    districts: Vec<Opt>,
    /// The day the claim is for (picks the policy version and the period).
    date: String,
    policy_id: String,
    title: String,
    source: String,
    conditions: Vec<String>,
    inputs: Vec<FactInput>,
    /// Policies about a record: the claimant's certificates or trainings to choose from.
    records: Vec<Opt>,
    record_label: String,
    evidence: String,
    decision: Option<crate::api::claims::DecisionOut>,
    /// The decision's facts, readable.
    decided: Vec<FactShown>,
    /// Before anything is entered: what the records already say (never asked on the form).
    known: Vec<FactShown>,
    filed: Option<String>,
    errors: super::form::FormErrors,
}

/// The facts a claimant states on the form: those the records give are never asked for.
fn declared_facts(state: &AppState, p: &jiuye_policy::Policy) -> Vec<String> {
    p.facts_needed()
        .into_iter()
        .filter(|f| state.policies.facts.get(f).is_some_and(|d| !d.from_records(p.claimant)))
        .collect()
}

fn claim_inputs(state: &AppState, t: Tr, p: &jiuye_policy::Policy, form: Option<&FormData>) -> Vec<FactInput> {
    declared_facts(state, p)
        .into_iter()
        .filter_map(|f| state.policies.facts.get(&f).map(|d| (f, d)))
        .map(|(name, d)| {
            let label = if t.zh() { d.zh.clone() } else { d.en.clone() };
            let chosen = form.map(|x| x.all(&name)).unwrap_or_default();
            let (kind, options) = match &d.ty {
                jiuye_policy::FactType::Int => ("number", Vec::new()),
                jiuye_policy::FactType::Money => ("money", Vec::new()),
                jiuye_policy::FactType::Bool => ("bool", Vec::new()),
                jiuye_policy::FactType::Date => ("date", Vec::new()),
                jiuye_policy::FactType::Enum(v) => {
                    ("enum", options(v.iter().map(|x| (x.as_str(), fact_value_label(t, &name, x))), &chosen))
                }
                jiuye_policy::FactType::Set(v) => {
                    ("set", options(v.iter().map(|x| (x.as_str(), fact_value_label(t, &name, x))), &chosen))
                }
            };
            FactInput { value: form.map(|x| x.get(&name)).unwrap_or_default(), name, label, kind: kind.into(), options }
        })
        .collect()
}

/// A readable label for a fact's code value: never the code itself.
pub fn fact_value_label(t: Tr, fact: &str, value: &str) -> String {
    let key = match fact {
        "key_groups" => {
            return jiuye_domain::codes::KeyGroup::parse(value)
                .map(|g| if t.zh() { g.label_zh().to_string() } else { g.label_en().to_string() })
                .unwrap_or_else(|_| value.to_string());
        }
        "training_kind" => format!("training.kind.{value}"),
        "certificate_kind" => format!("training.certificate.{value}"),
        "certificate_level" => format!("training.level.{value}"),
        _ => format!("fact.{fact}.{value}"),
    };
    t.t(&key)
}

/// The facts as JSON from the form: numbers, money in 元 (to fen), checkboxes, selects.
fn facts_of_form(state: &AppState, p: &jiuye_policy::Policy, form: &FormData) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for name in declared_facts(state, p) {
        let Some(d) = state.policies.facts.get(&name) else { continue };
        let raw = form.get(&name);
        let v = match &d.ty {
            jiuye_policy::FactType::Bool => Some(serde_json::json!(raw == "true")),
            jiuye_policy::FactType::Set(_) => Some(serde_json::json!(form.all(&name))),
            _ if raw.trim().is_empty() => None,
            jiuye_policy::FactType::Int => raw.trim().parse::<i64>().ok().map(|n| serde_json::json!(n)),
            jiuye_policy::FactType::Money => {
                raw.trim().parse::<f64>().ok().map(|y| serde_json::json!((y * 100.0).round() as i64))
            }
            _ => Some(serde_json::json!(raw.trim())),
        };
        if let Some(v) = v {
            out.insert(name, v);
        }
    }
    serde_json::Value::Object(out)
}

/// The claimant's own records a claim may be about: certificates, or trainings assessed.
async fn record_options(
    state: &AppState,
    t: Tr,
    kind: jiuye_policy::RecordKind,
    person: uuid::Uuid,
    chosen: &[String],
) -> Result<Vec<Opt>, ApiError> {
    let pairs: Vec<(String, String)> = match kind {
        jiuye_policy::RecordKind::Certificate => state
            .store
            .certificates_of_person(person)
            .await?
            .into_iter()
            .map(|c| {
                let label = format!(
                    "{} · {} · {} ({})",
                    t.t(&format!("training.certificate.{}", c.kind)),
                    t.t(&format!("training.level.{}", c.level)),
                    c.number,
                    c.issued_on
                );
                (c.id.to_string(), label)
            })
            .collect(),
        jiuye_policy::RecordKind::Enrolment => {
            let mut out = Vec::new();
            for e in state.store.enrolments_of_person(person).await? {
                let Some(on) = e.assessed_on else { continue };
                let name = state.store.programme_by_id(e.programme_id).await.map(|p| p.name).unwrap_or_default();
                out.push((e.id.to_string(), format!("{name} ({on})")));
            }
            out
        }
    };
    Ok(options(pairs.iter().map(|(id, l)| (id.as_str(), l.clone())), chosen))
}

/// The people a per-person claim may name: everyone the employer has employed.
async fn subject_options(state: &AppState, employer: uuid::Uuid, chosen: &[String]) -> Result<Vec<Opt>, ApiError> {
    let mut ids: Vec<uuid::Uuid> = Vec::new();
    for e in state.store.employments_at_employer(employer, 500).await? {
        if !ids.contains(&e.person_id) {
            ids.push(e.person_id);
        }
    }
    let pairs: Vec<(String, String)> =
        state.store.person_names(&ids).await?.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    Ok(options(pairs.iter().map(|(id, name)| (id.as_str(), name.clone())), chosen))
}

async fn claim_page(state: &AppState, viewer: &Viewer, t: Tr, id: &str, form: Option<&FormData>) -> PageResult {
    let (kind, base, me) = claimer(viewer).or_page(t)?;
    let p = state
        .policies
        .latest()
        .into_iter()
        .find(|p| p.id == id && p.claimant == kind)
        .ok_or(ApiError::NotFound)
        .or_page(t)?;
    let chosen_subject = form.map(|f| f.all("subject_id")).unwrap_or_default();
    let subjects = if p.per_person && kind == Claimant::Employer {
        subject_options(state, me, &chosen_subject).await.or_page(t)?
    } else {
        Vec::new()
    };
    let districts = if kind == Claimant::Organisation {
        let chosen = form.map(|f| f.all("district")).unwrap_or_default();
        district_options(t, &chosen)
    } else {
        Vec::new()
    };
    let chosen_record = form.map(|f| f.all("record_id")).unwrap_or_default();
    let records = match p.record {
        Some(kind) if viewer.role() == Some(Role::Seeker) => {
            record_options(state, t, kind, me, &chosen_record).await.or_page(t)?
        }
        _ => Vec::new(),
    };
    let (mut decision, mut filed, mut errors) = (None, None, super::form::FormErrors::default());
    if let Some(f) = form {
        let body = crate::api::claims::ClaimIn {
            policy: p.id.clone(),
            facts: facts_of_form(state, p, f),
            date: match f.opt("date") {
                Some(d) => Some(
                    chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                        .map_err(|_| ApiError::invalid(jiuye_domain::CodeError::new("input.date").field("date")))
                        .or_page(t)?,
                ),
                None => None,
            },
            claimant_id: None,
            district: f.opt("district"),
            subject_id: match f.opt("subject_id") {
                Some(s) => Some(crate::api::parse_id(&s).or_page(t)?),
                None => None,
            },
            record_id: match f.opt("record_id") {
                Some(s) => Some(crate::api::parse_id(&s).or_page(t)?),
                None => None,
            },
            evidence: f.opt("evidence"),
        };
        if f.get("action") == "submit" {
            match crate::api::claims::submit_claim(state, viewer, body).await {
                Ok(c) => filed = Some(t.money(c.amount_fen)),
                Err(e) => errors = super::messages_of(&e, t),
            }
        } else {
            match crate::api::claims::precheck_of(state, viewer, &body).await {
                Ok(mut d) => {
                    // What is still needed, by the facts' names, never their codes.
                    d.missing = d
                        .missing
                        .iter()
                        .map(|f| {
                            state
                                .policies
                                .facts
                                .get(f)
                                .map_or_else(|| f.clone(), |x| if t.zh() { x.zh.clone() } else { x.en.clone() })
                        })
                        .collect();
                    decision = Some(d);
                }
                Err(e) => errors = super::messages_of(&e, t),
            }
        }
    }
    let decided = decision.as_ref().map(|d| facts_shown(state, t, &d.facts)).unwrap_or_default();
    // On the first look, what the records already know: a check with nothing declared (for a
    // seeker or an organisation; an employer's per-person claim first needs the person).
    let mut known = Vec::new();
    if form.is_none() && !(p.per_person && kind == Claimant::Employer) && p.record.is_none() {
        let body = crate::api::claims::ClaimIn {
            policy: p.id.clone(),
            facts: serde_json::Value::Object(serde_json::Map::new()),
            // An ended policy is checked on its last day (as the form starts).
            date: p.effective_to.filter(|to| *to < state.clock.today()),
            claimant_id: None,
            district: None,
            subject_id: None,
            record_id: None,
            evidence: None,
        };
        if let Ok(d) = crate::api::claims::precheck_of(state, viewer, &body).await {
            known = facts_shown(state, t, &d.facts).into_iter().filter(|f| f.from_record).collect();
        }
    }
    let standing = p.standing(state.clock.today());
    // An ended policy's claims are for the days it covered: start from its last day.
    let default_date = match standing {
        jiuye_policy::Standing::Ended { to, .. } => to,
        _ => state.clock.today(),
    };
    Ok(render(&ClaimForm {
        c: Chrome::new(t, viewer, base),
        base,
        standing: standing_label(t, standing),
        standing_code: standing.as_str(),
        fileable: standing.fileable(),
        subjects,
        districts,
        policy_id: p.id.clone(),
        title: if t.zh() { p.title.zh.clone() } else { p.title.en.clone() },
        source: p.legal_source.clone(),
        conditions: p.criteria.iter().map(|c| if t.zh() { c.reason.zh.clone() } else { c.reason.en.clone() }).collect(),
        inputs: claim_inputs(state, t, p, form),
        records,
        record_label: p.record.map(|k| t.t(&format!("claim.record.{}", k.as_str()))).unwrap_or_default(),
        evidence: form.and_then(|f| f.opt("evidence")).unwrap_or_default(),
        date: form.and_then(|f| f.opt("date")).unwrap_or_else(|| default_date.to_string()),
        decision,
        decided,
        known,
        filed,
        errors,
    }))
}

pub async fn claim_form(State(state): State<AppState>, viewer: Viewer, t: Tr, Path(id): Path<String>) -> PageResult {
    claim_page(&state, &viewer, t, &id, None).await
}

/// Check (the explanation) or file the claim, from the same form.
pub async fn claim_post(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    claim_page(&state, &viewer, t, &id, Some(&form)).await
}

/// A claim as the review list shows it.
pub struct ClaimRow {
    pub id: String,
    pub title: String,
    pub claimant_kind: String,
    pub period: String,
    pub amount: String,
    pub status: String,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "claims.html")]
struct Claims {
    c: Chrome,
    rows: Vec<ClaimRow>,
    statuses: Vec<Opt>,
    sorts: Vec<Opt>,
    sizes: Vec<Opt>,
    pager: super::list::Pager,
    notice: Option<String>,
    errors: super::form::FormErrors,
}

/// The claims list's query: a status, a page size, the page after a cursor.
#[derive(serde::Deserialize, Default)]
pub struct ClaimsListQuery {
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    status: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    sort: Option<String>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    size: Option<u64>,
    #[serde(default, deserialize_with = "crate::api::empty_as_none")]
    page: Option<u64>,
}

const CLAIM_STATUSES: [&str; 6] = ["submitted", "reviewed", "approved", "paid", "returned", "rejected"];

async fn claims_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    q: &ClaimsListQuery,
    notice: Option<String>,
    errors: super::form::FormErrors,
) -> PageResult {
    let district = jiuye_core::lists::list_district(&state.ctx(viewer), None).map_err(ApiError::from).or_page(t)?;
    let status = q.status.as_deref().filter(|s| CLAIM_STATUSES.contains(s));
    let size = super::list::page_size(q.size);
    let page_no = q.page.unwrap_or(1).max(1);
    const ORDERS: [ListOrder; 3] = [ListOrder::Newest, ListOrder::Oldest, ListOrder::Amount];
    let order = ListOrder::pick(q.sort.as_deref(), &ORDERS);
    let (items, total) = state
        .store
        .list_claims_sorted(district.as_deref(), status, order, super::list::offset_of(page_no, size), size)
        .await
        .or_page(t)?;
    let mut base = form_urlencoded::Serializer::new(String::new());
    if let Some(st) = status {
        base.append_pair("status", st);
    }
    base.append_pair("sort", order.as_str());
    base.append_pair("size", &size.to_string());
    let pager = super::list::Pager::new(t, "/staff/claims", &base.finish(), page_no, size, total);
    let sorts = options(
        ORDERS.iter().map(|o| (o.as_str(), t.t(&format!("ui.list.order.{}", o.as_str())))),
        &[order.as_str().to_string()],
    );
    let mut statuses = options(
        CLAIM_STATUSES.iter().map(|s| (*s, t.t(&format!("ui.subsidy.claim.{s}")))),
        &status.map(str::to_string).into_iter().collect::<Vec<_>>(),
    );
    statuses.insert(0, Opt { value: String::new(), label: t.t("ui.cw.any"), selected: status.is_none() });
    let title_of = |id: &str| policy_title(state, t, id);
    let rows = items
        .into_iter()
        .map(|c| ClaimRow {
            id: c.id.to_string(),
            title: title_of(&c.policy_id),
            claimant_kind: c.claimant_kind,
            period: c.period_key,
            amount: t.money(c.amount_fen),
            status_label: t.t(&format!("ui.subsidy.claim.{}", c.status)),
            status: c.status,
        })
        .collect();
    Ok(render(&Claims {
        c: Chrome::new(t, viewer, "/staff/claims"),
        rows,
        statuses,
        sorts,
        sizes: super::list::size_options(size),
        pager,
        notice,
        errors,
    }))
}

/// Claims to review in the viewer's district (the city: all), newest first.
pub async fn claims(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    crate::api::Query(q): crate::api::Query<ClaimsListQuery>,
) -> PageResult {
    claims_page(&state, &viewer, t, &q, None, Default::default()).await
}

/// Approve, return, reject or pay — from the list or the review page. Paying needs the
/// reviewer to confirm the amount and the payee on the review page.
pub async fn claim_action(
    State(state): State<AppState>,
    viewer: Viewer,
    t: Tr,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    csrf::verify(&viewer, form.opt("csrf").as_deref()).or_page(t)?;
    let on_review = form.get("back") == "review";
    let action = form.get("action");
    let claim_id = crate::api::parse_id(&id).or_page(t)?;
    state.core().claim(&state.ctx(&viewer), claim_id).await.map_err(ApiError::from).or_page(t)?;
    if action == "reject" && super::confirm_first(&form) {
        let target = format!("/staff/claims/{id}/action");
        let cancel = format!("/staff/claims/{id}");
        return Ok(super::confirm_page(
            t,
            &viewer,
            &form,
            super::Ask {
                action: &target,
                cancel: &cancel,
                question: "ui.confirm.reject_claim",
                yes: "ui.subsidy.reject",
            },
        ));
    }
    let done = if action == "pay" && form.get("confirm") != "yes" {
        Err(ApiError::invalid(jiuye_domain::CodeError::new("ui.review.confirm_needed").field("confirm")))
    } else {
        crate::api::claims::act_on(&state, &viewer, &id, &action, form.opt("reason")).await
    };
    let (notice, errors) = match done {
        Ok(c) => (Some(t.t(&format!("ui.subsidy.claim.{}", c.status))), Default::default()),
        Err(e) => (None, super::messages_of(&e, t)),
    };
    if on_review || action == "pay" {
        return review_page(&state, &viewer, t, &id, notice, errors).await;
    }
    claims_page(&state, &viewer, t, &ClaimsListQuery::default(), notice, errors).await
}

/// One fact on the review page.
pub struct FactRow {
    pub label: String,
    pub value: String,
    pub source: String,
    pub source_label: String,
}

#[derive(Template)]
#[template(path = "claim_review.html")]
struct Review {
    c: Chrome,
    id: String,
    title: String,
    policy_version: String,
    legal_source: String,
    claimant: String,
    filed_on: String,
    channel: String,
    period: String,
    amount: String,
    status: String,
    status_label: String,
    evidence: Option<String>,
    facts: Vec<FactRow>,
    conditions: Vec<(&'static str, String)>,
    history: Vec<String>,
    notice: Option<String>,
    errors: super::form::FormErrors,
}

/// Everything a reviewer needs on one page: who claims (name and masked ID), when and how it
/// was filed, each fact with where it came from, every condition ✓/✗ with its source, the
/// amount, the policy version and the history.
pub async fn review(State(state): State<AppState>, viewer: Viewer, t: Tr, Path(id): Path<String>) -> PageResult {
    review_page(&state, &viewer, t, &id, None, Default::default()).await
}

async fn review_page(
    state: &AppState,
    viewer: &Viewer,
    t: Tr,
    id: &str,
    notice: Option<String>,
    errors: super::form::FormErrors,
) -> PageResult {
    let c = state.core().claim(&state.ctx(viewer), crate::api::parse_id(id).or_page(t)?).await.or_page(t)?;
    let events = state.store.claim_events(c.id).await.or_page(t)?;
    let claimant = match c.claimant_kind.as_str() {
        "person" => match state.store.person_by_id(c.claimant_id).await {
            Ok(p) => format!("{} ({})", p.name, p.national_id_masked),
            Err(_) => c.claimant_id.to_string(),
        },
        "employer" => state.store.employer_by_id(c.claimant_id).await.map(|e| e.name).unwrap_or_default(),
        _ => state
            .store
            .providers()
            .await
            .or_page(t)?
            .into_iter()
            .find(|p| p.id == c.claimant_id)
            .map(|p| p.name)
            .unwrap_or_default(),
    };
    let policy = state.policies.policies.iter().find(|p| p.key() == c.policy_version);
    let lines: Vec<crate::api::claims::FactOut> = c.decision["facts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| crate::api::claims::FactOut {
            name: f["name"].as_str().unwrap_or_default().to_string(),
            value: f["value"].clone(),
            source: f["source"].as_str().unwrap_or("declared").to_string(),
        })
        .collect();
    let facts: Vec<FactRow> = facts_shown(state, t, &lines)
        .into_iter()
        .map(|f| FactRow {
            label: f.label,
            value: f.value,
            source_label: f.source,
            source: if f.from_record { "record".into() } else { "declared".into() },
        })
        .collect();
    let conditions = match (policy, jiuye_policy::facts_from_json(&state.policies.facts, &c.facts)) {
        (Some(p), Ok(facts)) => jiuye_policy::criteria_status(p, &facts)
            .into_iter()
            .map(|(cr, ok)| {
                let mark = match ok {
                    Some(true) => "✓",
                    Some(false) => "✗",
                    None => "?",
                };
                (mark, if t.zh() { cr.reason.zh.clone() } else { cr.reason.en.clone() })
            })
            .collect(),
        _ => Vec::new(),
    };
    let when = |at: chrono::DateTime<chrono::Utc>| {
        (at + chrono::Duration::hours(jiuye_domain::time::BEIJING_OFFSET_HOURS)).format("%Y-%m-%d %H:%M").to_string()
    };
    let history = events
        .iter()
        .map(|e| {
            let role =
                e.actor_role.as_deref().map(|r| t.t(&format!("role.{r}"))).unwrap_or_else(|| t.t("ui.review.system"));
            let to = t.t(&format!("ui.subsidy.claim.{}", e.to_status));
            let reason = e.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
            format!("{} · {role} · {to}{reason}", when(e.at))
        })
        .collect();
    let channel = match c.decision["channel"].as_str() {
        Some("desk") => t.t("ui.review.channel.desk"),
        _ => t.t("ui.review.channel.online"),
    };
    Ok(render(&Review {
        c: Chrome::new(t, viewer, "/staff/claims"),
        id: c.id.to_string(),
        title: policy_title(state, t, &c.policy_id),
        legal_source: policy.map(|p| p.legal_source.clone()).unwrap_or_default(),
        // The version people read: "2023.1 版" / "version 2023.1", never the policy's id.
        policy_version: format!(
            "{} {}",
            t.t("ui.review.version"),
            c.policy_version.rsplit('@').next().unwrap_or(&c.policy_version)
        ),
        claimant,
        filed_on: when(c.created_at),
        channel,
        period: c.period_key.clone(),
        amount: t.money(c.amount_fen),
        status_label: t.t(&format!("ui.subsidy.claim.{}", c.status)),
        status: c.status.clone(),
        evidence: c.decision["evidence"].as_str().map(str::to_string),
        facts,
        conditions,
        history,
        notice,
        errors,
    }))
}
