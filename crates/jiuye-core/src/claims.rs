//! Subsidy claims as use cases: deciding (the explanation before filing), filing, and the
//! steps of review, approval and payment.
//!
//! Facts come from the records wherever the catalogue says so (`facts.toml`: `source =
//! "record"`): the claimant cannot state them, and what they do declare is bounded, checked
//! for contradictions and kept marked *declared* for the reviewer. A claim about a record (a
//! certificate, a training) takes its date — and so its period — from the record, inside the
//! policy's claim window. Four eyes: whoever filed a claim never reviews, approves or pays it,
//! and approval and payment are by different people.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::CodeError;
use jiuye_domain::codes::DistrictCode;
use jiuye_domain::roles::{Permission, Role};
use jiuye_policy::{
    Claimant, Decision, FactSource, FactType, Facts, Outcome, Policy, RecordKind, Value, contradictions, evaluate,
    facts_from_json,
};
use jiuye_store::{Claim, ClaimEvent, Money, NewClaim};

use crate::error::{CoreError, CoreResult};
use crate::{Core, Ctx};

/// Claims above this amount need the city's approval after the district's review (5万元).
pub const CITY_APPROVAL_ABOVE_FEN: i64 = 5_000_000;

/// Four eyes, on by default for every budget line; a line listed here is exempt.
#[derive(Debug, Clone, Default)]
pub struct FourEyes {
    pub exempt_lines: Vec<String>,
}

impl FourEyes {
    pub fn applies(&self, line: &str) -> bool {
        !self.exempt_lines.iter().any(|l| l == line)
    }
}

/// A claim to decide or file, as the edge received it.
#[derive(Debug, Clone, Default)]
pub struct FileClaim {
    pub policy: String,
    /// What the claimant states (facts the records give are refused).
    pub declared: serde_json::Value,
    /// The day the claim is for; ignored when the policy is about a record (its date counts).
    pub date: Option<NaiveDate>,
    /// Staff filing on someone's behalf.
    pub claimant_id: Option<Uuid>,
    /// Organisations: the district the claim is filed in.
    pub district: Option<String>,
    /// Per-person policies: the person the claim is about.
    pub subject_id: Option<Uuid>,
    /// The certificate or enrolment the claim is about, for policies that name one.
    pub record_id: Option<Uuid>,
    /// The evidence offered for the declared facts (a reference or description).
    pub evidence: Option<String>,
}

/// A decision, who it is for, and where each fact came from.
#[derive(Debug, Clone)]
pub struct Decided {
    pub decision: Decision,
    pub claimant: Uuid,
    pub subject: Option<Uuid>,
    pub district: String,
    pub date: NaiveDate,
    pub facts: Facts,
    pub sources: BTreeMap<String, FactSource>,
    pub about: Option<(RecordKind, Uuid)>,
}

/// One fact as the reviewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FactLine {
    pub name: String,
    pub value: serde_json::Value,
    /// `record` or `declared` (to verify).
    pub source: String,
}

impl Decided {
    /// The facts with their sources, for the claim's record and the review page.
    pub fn fact_lines(&self) -> Vec<FactLine> {
        self.facts
            .iter()
            .map(|(k, v)| FactLine {
                name: k.clone(),
                value: serde_json::to_value(v).unwrap_or_default(),
                source: match self.sources.get(k).copied().unwrap_or_default() {
                    FactSource::Record => "record".into(),
                    FactSource::Declared => "declared".into(),
                },
            })
            .collect()
    }
}

/// A step on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimAction {
    Approve,
    Return,
    Reject,
    Pay,
}

impl ClaimAction {
    pub fn parse(s: &str) -> CoreResult<ClaimAction> {
        match s {
            "approve" => Ok(ClaimAction::Approve),
            "return" => Ok(ClaimAction::Return),
            "reject" => Ok(ClaimAction::Reject),
            "pay" => Ok(ClaimAction::Pay),
            other => Err(CoreError::invalid(CodeError::new("input.enum").field("action").arg("value", other))),
        }
    }
}

fn required(field: &str) -> CoreError {
    CoreError::invalid(CodeError::new("input.required").field(field).arg("field", field))
}

impl Core<'_> {
    /// Who the claim is for, and in which district: the actor's own person, employer or
    /// organisation — or, for staff filing on someone's behalf, the one named (in their scope).
    async fn claimant(&self, ctx: &Ctx, p: &Policy, cmd: &FileClaim) -> CoreResult<(Uuid, String)> {
        let role = ctx.actor.role.ok_or(CoreError::Unauthenticated)?;
        match (p.claimant, role) {
            (Claimant::Person, Role::Seeker) => {
                let id = ctx.actor.person_id.ok_or(CoreError::NotFound)?;
                Ok((id, self.store.person_by_id(id).await?.district.as_str().to_string()))
            }
            (Claimant::Employer, Role::Employer) => {
                let id = ctx.actor.employer_id.ok_or(CoreError::NotFound)?;
                Ok((id, self.store.employer_by_id(id).await?.district.as_str().to_string()))
            }
            (Claimant::Organisation, Role::Provider) => {
                let id = ctx.actor.provider_id.ok_or(CoreError::NotFound)?;
                Ok((id, organisation_district(ctx, cmd)?))
            }
            (kind, role) if role.is_staff() => {
                let id = cmd.claimant_id.ok_or_else(|| required("claimant_id"))?;
                let district = match kind {
                    Claimant::Person => self.person(ctx, id).await?.district().to_string(),
                    Claimant::Employer => self.store.employer_by_id(id).await?.district.as_str().to_string(),
                    Claimant::Organisation => organisation_district(ctx, cmd)?,
                };
                if !ctx.actor.scope().covers_district(&district) {
                    return Err(CoreError::NotFound);
                }
                Ok((id, district))
            }
            _ => Err(CoreError::Forbidden),
        }
    }

    /// The person a per-person claim is about: required by such policies (and refused by
    /// others), and someone the employer has employed.
    async fn subject(&self, p: &Policy, claimant: Uuid, cmd: &FileClaim) -> CoreResult<Option<Uuid>> {
        match (p.per_person, cmd.subject_id) {
            (false, None) => Ok(None),
            (false, Some(_)) => Err(CoreError::invalid(
                CodeError::new("claim.subject_not_needed").field("subject_id").arg("policy", p.key()),
            )),
            (true, None) => Err(required("subject_id")),
            (true, Some(s)) => {
                let related = match p.claimant {
                    Claimant::Employer => {
                        self.store.employments_of_person(s).await?.iter().any(|e| e.employer_id == Some(claimant))
                    }
                    // Organisations name a person they served: their facts are checked by staff.
                    _ => self.store.person_by_id(s).await.is_ok(),
                };
                if related {
                    Ok(Some(s))
                } else {
                    Err(CoreError::invalid(CodeError::new("claim.subject_unrelated").field("subject_id")))
                }
            }
        }
    }

    /// Months the employee spent in the employer's subsidised posts in the claim's period, up
    /// to the claim's date — from the employment records, never from the employer.
    async fn employment_facts(
        &self,
        p: &Policy,
        employer: Uuid,
        person: Uuid,
        date: NaiveDate,
        facts: &mut Facts,
    ) -> CoreResult<()> {
        let needed = p.facts_needed();
        let wanted: Vec<(&str, bool)> =
            crate::facts::MONTH_FACTS.into_iter().filter(|(f, _)| needed.iter().any(|n| n == f)).collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let spells = self.store.subsidised_spells(employer, person, date).await?;
        for (fact, internship) in wanted {
            let months = crate::facts::months_in_post(&spells, internship, p.period.start(date), date);
            facts.insert(fact.into(), Value::Int(months));
        }
        Ok(())
    }

    /// What the claims ledger says was already approved or paid under the policy's group — to
    /// the claimant, or for a per-person policy about its subject — in the period and ever.
    pub async fn add_paid_facts(
        &self,
        p: &Policy,
        claimant: Uuid,
        subject: Option<Uuid>,
        period_key: &str,
        facts: &mut Facts,
    ) -> CoreResult<()> {
        let group: Vec<String> =
            self.policies.policies.iter().filter(|x| x.group == p.group).map(|x| x.id.clone()).collect();
        let (period, life) = self.store.paid_so_far(claimant, subject, &group, period_key).await?;
        facts.insert("paid_in_period_fen".into(), Value::Int(period));
        facts.insert("paid_lifetime_fen".into(), Value::Int(life));
        Ok(())
    }

    /// The facts a claimant declares: known, of the right type, inside their range, and never
    /// one the records give.
    fn declared_facts(&self, p: &Policy, json: &serde_json::Value) -> CoreResult<Facts> {
        let defs = &self.policies.facts;
        let mut errs = Vec::new();
        if let Some(obj) = json.as_object() {
            for (k, v) in obj {
                let Some(def) = defs.get(k) else { continue };
                if def.from_records(p.claimant) {
                    errs.push(
                        CodeError::new("claim.record_fact").field(format!("facts.{k}")).arg("fact", def.zh.clone()),
                    );
                    continue;
                }
                if let (Some((lo, hi)), FactType::Int | FactType::Money) = (def.range, &def.ty)
                    && let Some(n) = v.as_i64()
                    && !(lo..=hi).contains(&n)
                {
                    errs.push(
                        CodeError::new("claim.out_of_range")
                            .field(format!("facts.{k}"))
                            .arg("fact", def.zh.clone())
                            .arg("min", lo.to_string())
                            .arg("max", hi.to_string()),
                    );
                }
            }
        }
        if !errs.is_empty() {
            return Err(CoreError::Invalid(errs));
        }
        facts_from_json(defs, json).map_err(|errs| {
            CoreError::Invalid(
                errs.into_iter()
                    .map(|e| {
                        let name = e.split(':').next().unwrap_or_default().to_string();
                        CodeError::new("input.invalid").field(format!("facts.{name}"))
                    })
                    .collect(),
            )
        })
    }

    /// The record a claim is about, its facts and its date; the filing must fall in the window.
    async fn record_facts(
        &self,
        ctx: &Ctx,
        p: &Policy,
        kind: RecordKind,
        claimant: Uuid,
        cmd: &FileClaim,
        facts: &mut Facts,
    ) -> CoreResult<NaiveDate> {
        let record_label =
            jiuye_domain::messages::text(&format!("claim.record.{}", kind.as_str()), jiuye_domain::Lang::Zh);
        let id = cmd.record_id.ok_or_else(|| {
            CoreError::invalid(
                CodeError::new("claim.record_required").field("record_id").arg("record", record_label.clone()),
            )
        })?;
        let not_yours = || CoreError::invalid(CodeError::new("claim.record_not_yours").field("record_id"));
        let date = match kind {
            RecordKind::Certificate => {
                let c = self.store.certificate_by_id(id).await.map_err(|_| not_yours())?;
                if c.person_id != claimant {
                    return Err(not_yours());
                }
                facts.insert("certificate_kind".into(), Value::Text(c.kind));
                facts.insert("certificate_level".into(), Value::Text(c.level));
                c.issued_on
            }
            RecordKind::Enrolment => {
                let e = self.store.enrolment_by_id(id).await.map_err(|_| not_yours())?;
                let on = e.assessed_on.filter(|_| e.person_id == claimant).ok_or_else(not_yours)?;
                let prog = self.store.programme_by_id(e.programme_id).await?;
                facts.insert("training_kind".into(), Value::Text(prog.kind));
                facts.insert("training_passed".into(), Value::Bool(e.passed == Some(true)));
                facts.insert("training_cost_fen".into(), Value::Int(prog.cost_per_trainee_fen));
                on
            }
        };
        if let Some(months) = p.claim_window_months {
            let closes = date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
            if ctx.today > closes {
                return Err(CoreError::Refused(
                    CodeError::new("claim.window_closed")
                        .field("record_id")
                        .arg("record", record_label)
                        .arg("date", date.to_string())
                        .arg("months", months.to_string()),
                ));
            }
        }
        Ok(date)
    }

    /// The engine's decision on a claim not yet filed: facts from the records, declared facts
    /// bounded and consistent, caps from the claims ledger.
    pub async fn decide_claim(&self, ctx: &Ctx, cmd: &FileClaim) -> CoreResult<Decided> {
        let unknown = || {
            CoreError::invalid(CodeError::new("claim.unknown_policy").field("policy").arg("policy", cmd.policy.clone()))
        };
        let latest = self.policies.latest().into_iter().find(|p| p.id == cmd.policy).ok_or_else(unknown)?;
        // A policy not yet in force, or past its claim period, takes no claims at all.
        match latest.standing(ctx.today) {
            jiuye_policy::Standing::NotYet { from } => {
                return Err(CoreError::Refused(
                    CodeError::new("claim.policy_not_yet").field("policy").arg("from", from.to_string()),
                ));
            }
            jiuye_policy::Standing::Closed { to } => {
                return Err(CoreError::Refused(
                    CodeError::new("claim.policy_closed")
                        .field("policy")
                        .arg("to", to.to_string())
                        .arg("months", jiuye_policy::CLAIMS_AFTER_END_MONTHS.to_string()),
                ));
            }
            jiuye_policy::Standing::InForce | jiuye_policy::Standing::Ended { .. } => {}
        }
        let (claimant, district) = self.claimant(ctx, latest, cmd).await?;
        let declared = self.declared_facts(latest, &cmd.declared)?;
        let mut facts = declared.clone();
        let mut record = Facts::new();
        let (date, about) = match latest.record {
            Some(kind) => (
                self.record_facts(ctx, latest, kind, claimant, cmd, &mut record).await?,
                cmd.record_id.map(|id| (kind, id)),
            ),
            None if cmd.record_id.is_some() => {
                return Err(CoreError::invalid(
                    CodeError::new("claim.subject_not_needed").field("record_id").arg("policy", latest.key()),
                ));
            }
            None => (cmd.date.unwrap_or(ctx.today), None),
        };
        let p = self.policies.policy(&cmd.policy, date).unwrap_or(latest);
        if !self.store.published_policies().await?.contains(&p.key()) {
            return Err(CoreError::Refused(
                CodeError::new("policy.unpublished").field("policy").arg("policy", p.key()),
            ));
        }
        if p.claimant == Claimant::Person {
            let person = self.store.person_by_id(claimant).await?;
            record.insert("age".into(), Value::Int(i64::from(jiuye_domain::time::age_on(person.birth_date, date))));
            record.insert("key_groups".into(), Value::Set(self.record_key_groups(claimant, date).await?));
        }
        let subject = self.subject(p, claimant, cmd).await?;
        if let (Claimant::Employer, Some(person)) = (p.claimant, subject) {
            self.employment_facts(p, claimant, person, date, &mut record).await?;
        }
        self.add_paid_facts(p, claimant, subject, &p.period.key(date), &mut record).await?;
        let mut sources: BTreeMap<String, FactSource> =
            declared.keys().map(|k| (k.clone(), FactSource::Declared)).collect();
        for (k, v) in record {
            sources.insert(k.clone(), FactSource::Record);
            facts.insert(k, v);
        }
        let contra = contradictions(&facts);
        if !contra.is_empty() {
            let name = |f: &str| self.policies.facts.get(f).map_or_else(|| f.to_string(), |d| d.zh.clone());
            return Err(CoreError::Invalid(
                contra
                    .iter()
                    .map(|(f, other)| {
                        CodeError::new("claim.contradiction")
                            .field(format!("facts.{f}"))
                            .arg("fact", name(f))
                            .arg("other", name(other))
                    })
                    .collect(),
            ));
        }
        Ok(Decided { decision: evaluate(p, &facts, date), claimant, subject, district, date, facts, sources, about })
    }

    /// File a claim the engine finds eligible, with a positive amount.
    pub async fn file_claim(&self, ctx: &Ctx, cmd: &FileClaim) -> CoreResult<(Claim, Decided)> {
        let decided = self.decide_claim(ctx, cmd).await?;
        let d = &decided.decision;
        match d.outcome {
            Outcome::Eligible if d.amount_fen > 0 => {}
            Outcome::Eligible => return Err(CoreError::invalid(CodeError::new("claim.zero_amount").field("facts"))),
            Outcome::Ineligible => {
                let mut errs = vec![CodeError::new("claim.ineligible").field("facts")];
                // Each failed condition, in the catalogue's own words.
                errs.extend(
                    d.reasons.iter().map(|r| CodeError::new("claim.ineligible").field(format!("facts ({})", r.zh))),
                );
                return Err(CoreError::Invalid(errs));
            }
            Outcome::Undetermined => {
                return Err(CoreError::invalid(
                    CodeError::new("claim.undetermined").field("facts").arg("missing", d.missing.join(", ")),
                ));
            }
        }
        let p = self.policies.policy(&cmd.policy, decided.date).ok_or(CoreError::NotFound)?;
        let evidence = match cmd.evidence.as_deref() {
            Some(e) => jiuye_domain::records::text::optional("evidence", Some(e), 500)?,
            None => None,
        };
        let facts: serde_json::Map<String, serde_json::Value> = decided
            .facts
            .iter()
            .filter(|(k, _)| !k.starts_with("paid_"))
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect();
        let decision = serde_json::json!({
            "outcome": d.outcome.as_str(),
            "amount_fen": d.amount_fen,
            "reasons": d.reasons,
            "missing": d.missing,
            "trace": d.trace,
            "policy_version": d.policy_version,
            "date": decided.date,
            "facts": decided.fact_lines(),
            "about": decided.about.map(|(k, id)| serde_json::json!({ "kind": k.as_str(), "id": id })),
            "evidence": evidence,
            "channel": if ctx.actor.is_staff() { "desk" } else { "online" },
            "filed_by": ctx.actor.account,
        });
        let c = self
            .store
            .create_claim(
                &NewClaim {
                    policy_id: p.id.clone(),
                    policy_version: p.key(),
                    budget_line: p.budget_line.as_str().into(),
                    group: p.group.clone(),
                    claimant_kind: p.claimant.as_str().into(),
                    claimant_id: decided.claimant,
                    subject_id: decided.subject,
                    district: decided.district.clone(),
                    period_key: p.period.key(decided.date),
                    amount_fen: d.amount_fen,
                    facts: serde_json::Value::Object(facts),
                    decision,
                },
                &ctx.actor.audit(),
                ctx.at,
            )
            .await?;
        Ok((c, decided))
    }

    /// One step of a claim: district review (approve / return / reject), city approval above
    /// the district's limit, payment — each only for the role whose step it is, and never by
    /// the person who filed the claim or took the step before.
    pub async fn act_on_claim(
        &self,
        ctx: &Ctx,
        id: Uuid,
        action: ClaimAction,
        reason: Option<String>,
    ) -> CoreResult<Claim> {
        let c = self.claim(ctx, id).await?;
        if !ctx.actor.is_staff() {
            return Err(CoreError::Forbidden);
        }
        use ClaimAction::*;
        let (from, to, money, perm) = match (action, c.status.as_str()) {
            (Approve, "submitted") if c.amount_fen > CITY_APPROVAL_ABOVE_FEN => {
                ("submitted", "reviewed", Money::None, Permission::ReviewClaims)
            }
            (Approve, "submitted") => ("submitted", "approved", Money::Reserve, Permission::ReviewClaims),
            (Approve, "reviewed") => ("reviewed", "approved", Money::Reserve, Permission::ApproveClaims),
            (Return, s @ ("submitted" | "reviewed")) => (s, "returned", Money::None, Permission::ReviewClaims),
            (Reject, s @ ("submitted" | "reviewed")) => (s, "rejected", Money::None, Permission::ReviewClaims),
            (Pay, "approved") => ("approved", "paid", Money::Pay, Permission::PayClaims),
            _ => return Err(CoreError::Conflict("claim_transition")),
        };
        ctx.actor.require(perm)?;
        if matches!(to, "returned" | "rejected") && reason.is_none() {
            return Err(CoreError::invalid(CodeError::new("casework.reason_required").field("reason")));
        }
        if self.four_eyes.applies(&c.budget_line) {
            let events = self.store.claim_events(c.id).await?;
            let done_by = |step: fn(&ClaimEvent) -> bool| -> Vec<Uuid> {
                events.iter().filter(|e| step(e)).filter_map(|e| e.actor_account).collect()
            };
            let filed = done_by(|e| e.from_status.is_none());
            let reviewed = done_by(|e| e.from_status.as_deref() == Some("submitted") && e.to_status != "submitted");
            let approved = done_by(|e| e.to_status == "approved");
            let barred: Vec<Uuid> = match to {
                "paid" => [filed, approved].concat(),
                "approved" if from == "reviewed" => [filed, reviewed].concat(),
                _ => filed,
            };
            if ctx.actor.account.is_some_and(|me| barred.contains(&me)) {
                return Err(CoreError::Refused(CodeError::new("claim.four_eyes").field("action")));
            }
        }
        Ok(self.store.move_claim(c.id, from, to, money, reason, &ctx.actor.audit(), ctx.at).await?)
    }
}

/// The district an organisation's claim is filed in: the one given, else the account's.
fn organisation_district(ctx: &Ctx, cmd: &FileClaim) -> CoreResult<String> {
    let d = cmd.district.clone().or_else(|| ctx.actor.district.clone()).ok_or_else(|| required("district"))?;
    DistrictCode::parse(&d)
        .map(|d| d.as_str().to_string())
        .map_err(|e| CoreError::invalid(if e.field.is_none() { e.field("district") } else { e }))
}

#[cfg(test)]
mod tests {
    use super::FourEyes;

    #[test]
    fn four_eyes_hold_on_every_line_unless_exempted() {
        let on = FourEyes::default();
        assert!(["central", "local", "other"].iter().all(|l| on.applies(l)));
        let some = FourEyes { exempt_lines: vec!["other".into()] };
        assert!(some.applies("central") && some.applies("local") && !some.applies("other"));
    }
}
