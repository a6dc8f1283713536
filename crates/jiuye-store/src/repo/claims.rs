//! Subsidy claims and budgets. Two guarantees live in the database, not in application code:
//! a claimant has at most one live claim per non-combinable group and period (`paid_once_key`
//! is unique), and a budget allocation is never overspent (reservation is one conditional
//! UPDATE: `allocated - reserved - paid >= amount`). Status moves are conditional updates too,
//! so a replayed approval finds the claim no longer in the state it expects and changes nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use uuid::Uuid;

use jiuye_domain::CodeError;

use crate::audit::{AuditEntry, Event};
use crate::entities::{budget_allocation, claim, claim_event};
use crate::error::conflict_or;
use crate::{Page, PageRequest, Store, StoreError, new_id};

#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub id: Uuid,
    pub policy_id: String,
    pub policy_version: String,
    pub budget_line: String,
    pub claimant_kind: String,
    pub claimant_id: Uuid,
    /// The person a per-person employer or organisation claim is about.
    pub subject_id: Option<Uuid>,
    pub district: String,
    pub period_key: String,
    pub amount_fen: i64,
    pub status: String,
    pub facts: serde_json::Value,
    pub decision: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimEvent {
    pub at: DateTime<Utc>,
    pub actor_account: Option<Uuid>,
    pub actor_role: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub policy_version: String,
}

#[derive(Debug, Clone)]
pub struct NewClaim {
    pub policy_id: String,
    pub policy_version: String,
    pub budget_line: String,
    pub group: String,
    pub claimant_kind: String,
    pub claimant_id: Uuid,
    pub subject_id: Option<Uuid>,
    pub district: String,
    pub period_key: String,
    pub amount_fen: i64,
    pub facts: serde_json::Value,
    pub decision: serde_json::Value,
}

/// What a status move does to the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    None,
    /// Reserve the claim's amount (approval).
    Reserve,
    /// Move the reserved amount to paid (payment).
    Pay,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Allocation {
    pub budget_line: String,
    pub policy_id: String,
    pub allocated_fen: i64,
    pub reserved_fen: i64,
    pub paid_fen: i64,
}

/// Statuses in which a claim holds its paid-once key (it is live or paid).
pub const LIVE: [&str; 4] = ["submitted", "reviewed", "approved", "paid"];

fn to_claim(m: claim::Model) -> Claim {
    Claim {
        id: m.id,
        policy_id: m.policy_id,
        policy_version: m.policy_version,
        budget_line: m.budget_line,
        claimant_kind: m.claimant_kind,
        claimant_id: m.claimant_id,
        subject_id: m.subject_id,
        district: m.district,
        period_key: m.period_key,
        amount_fen: m.amount_fen,
        status: m.status,
        facts: m.facts,
        decision: m.decision,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// One step of a claim's history.
#[allow(clippy::too_many_arguments)]
async fn insert_event<C: sea_orm::ConnectionTrait>(
    conn: &C,
    claim_id: Uuid,
    who: &AuditEntry,
    at: DateTime<Utc>,
    from: Option<&str>,
    to: &str,
    reason: Option<String>,
    policy_version: &str,
) -> Result<(), StoreError> {
    claim_event::ActiveModel {
        id: Set(new_id(at)),
        claim_id: Set(claim_id),
        at: Set(at),
        actor_account: Set(who.actor_account),
        actor_role: Set(who.actor_role.map(|r| r.as_str().to_string())),
        from_status: Set(from.map(str::to_string)),
        to_status: Set(to.to_string()),
        reason: Set(reason),
        policy_version: Set(policy_version.to_string()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

fn to_allocation(a: budget_allocation::Model) -> Allocation {
    Allocation {
        budget_line: a.budget_line,
        policy_id: a.policy_id,
        allocated_fen: a.allocated_fen,
        reserved_fen: a.reserved_fen,
        paid_fen: a.paid_fen,
    }
}

impl Claim {
    /// The day the claim was decided for (stored with its decision; else the day it was filed).
    pub fn decided_for(&self) -> chrono::NaiveDate {
        self.decision["date"]
            .as_str()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or_else(|| self.created_at.date_naive())
    }
}

fn line_policy(line: &str, policy: &str) -> String {
    format!("{line}:{policy}")
}

/// Claims matching a list's filters, unordered.
fn claims_query(
    district: Option<&str>,
    status: Option<&str>,
    claimant: Option<Uuid>,
) -> sea_orm::Select<claim::Entity> {
    let mut q = claim::Entity::find();
    if let Some(d) = district {
        q = q.filter(claim::Column::District.eq(d));
    }
    if let Some(s) = status {
        q = q.filter(claim::Column::Status.eq(s));
    }
    if let Some(c) = claimant {
        q = q.filter(claim::Column::ClaimantId.eq(c));
    }
    q
}

impl Store {
    /// File a claim the engine found eligible. A second live claim for the same claimant,
    /// group and period is refused by the database (`Conflict("claim_duplicate")`).
    pub async fn create_claim(&self, new: &NewClaim, who: &AuditEntry, at: DateTime<Utc>) -> Result<Claim, StoreError> {
        let txn = self.write(who, at).await?;
        let id = new_id(at);
        let m = claim::ActiveModel {
            id: Set(id),
            policy_id: Set(new.policy_id.clone()),
            policy_version: Set(new.policy_version.clone()),
            budget_line: Set(new.budget_line.clone()),
            claimant_kind: Set(new.claimant_kind.clone()),
            claimant_id: Set(new.claimant_id),
            subject_id: Set(new.subject_id),
            district: Set(new.district.clone()),
            period_key: Set(new.period_key.clone()),
            paid_once_key: Set(Some(match new.subject_id {
                Some(s) => format!("{}:{s}:{}:{}", new.claimant_id, new.group, new.period_key),
                None => format!("{}:{}:{}", new.claimant_id, new.group, new.period_key),
            })),
            amount_fen: Set(new.amount_fen),
            status: Set("submitted".into()),
            facts: Set(new.facts.clone()),
            decision: Set(new.decision.clone()),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_or(e, "claim_duplicate"))?;
        insert_event(&txn, id, who, at, None, "submitted", None, &new.policy_version).await?;
        txn.commit(Event {
            action: "claim.create",
            target_kind: Some("claim"),
            target_id: Some(id),
            district: Some(&new.district),
            detail: serde_json::json!({ "policy": new.policy_version, "amount_fen": new.amount_fen }),
        })
        .await?;
        Ok(to_claim(m))
    }

    /// Move a claim from `from` to `to`, with its money effect, all in one transaction. Refused
    /// when the claim is no longer in `from` (a replay: `Conflict("claim_transition")`) or the
    /// budget cannot cover the amount (`budget.exhausted`).
    #[allow(clippy::too_many_arguments)]
    pub async fn move_claim(
        &self,
        id: Uuid,
        from: &str,
        to: &str,
        money: Money,
        reason: Option<String>,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        let txn = self.write(who, at).await?;
        let m = claim::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut update = claim::Entity::update_many()
            .col_expr(claim::Column::Status, Expr::value(to))
            .col_expr(claim::Column::UpdatedAt, Expr::value(at))
            .filter(claim::Column::Id.eq(id))
            .filter(claim::Column::Status.eq(from));
        if !LIVE.contains(&to) {
            // Rejected, returned or withdrawn: the claimant may claim again.
            update = update.col_expr(claim::Column::PaidOnceKey, Expr::value(Option::<String>::None));
        }
        let moved = update.exec(&txn).await?;
        if moved.rows_affected != 1 {
            return Err(StoreError::Conflict { what: "claim_transition" });
        }
        let key = line_policy(&m.budget_line, &m.policy_id);
        match money {
            Money::None => {}
            Money::Reserve => {
                let col = |c: budget_allocation::Column| Expr::col(c);
                let r = budget_allocation::Entity::update_many()
                    .col_expr(
                        budget_allocation::Column::ReservedFen,
                        col(budget_allocation::Column::ReservedFen).add(m.amount_fen),
                    )
                    .col_expr(budget_allocation::Column::UpdatedAt, Expr::value(at))
                    .filter(budget_allocation::Column::LinePolicy.eq(key.as_str()))
                    .filter(
                        col(budget_allocation::Column::AllocatedFen)
                            .sub(col(budget_allocation::Column::ReservedFen))
                            .sub(col(budget_allocation::Column::PaidFen))
                            .gte(m.amount_fen),
                    )
                    .exec(&txn)
                    .await?;
                if r.rows_affected != 1 {
                    return Err(StoreError::Refused(
                        CodeError::new("budget.exhausted")
                            .field("amount_fen")
                            .arg("line", m.budget_line.clone())
                            .arg("policy", m.policy_id.clone()),
                    ));
                }
            }
            Money::Pay => {
                let col = |c: budget_allocation::Column| Expr::col(c);
                let r = budget_allocation::Entity::update_many()
                    .col_expr(
                        budget_allocation::Column::ReservedFen,
                        col(budget_allocation::Column::ReservedFen).sub(m.amount_fen),
                    )
                    .col_expr(
                        budget_allocation::Column::PaidFen,
                        col(budget_allocation::Column::PaidFen).add(m.amount_fen),
                    )
                    .col_expr(budget_allocation::Column::UpdatedAt, Expr::value(at))
                    .filter(budget_allocation::Column::LinePolicy.eq(key.as_str()))
                    .filter(col(budget_allocation::Column::ReservedFen).gte(m.amount_fen))
                    .exec(&txn)
                    .await?;
                if r.rows_affected != 1 {
                    return Err(StoreError::Corrupt(format!("claim {id}: paid without a reservation")));
                }
            }
        }
        insert_event(&txn, id, who, at, Some(from), to, reason.clone(), &m.policy_version).await?;
        txn.commit(Event {
            action: "claim.move",
            target_kind: Some("claim"),
            target_id: Some(id),
            district: Some(&m.district),
            detail: serde_json::json!({ "from": from, "to": to, "amount_fen": m.amount_fen, "reason": reason }),
        })
        .await?;
        let m = claim::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        Ok(to_claim(m))
    }

    pub async fn claim_by_id(&self, id: Uuid) -> Result<Claim, StoreError> {
        Ok(to_claim(claim::Entity::find_by_id(id).one(self.db()).await?.ok_or(StoreError::NotFound)?))
    }

    pub async fn claim_events(&self, id: Uuid) -> Result<Vec<ClaimEvent>, StoreError> {
        Ok(claim_event::Entity::find()
            .filter(claim_event::Column::ClaimId.eq(id))
            .order_by_asc(claim_event::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(|e| ClaimEvent {
                at: e.at,
                actor_account: e.actor_account,
                actor_role: e.actor_role,
                from_status: e.from_status,
                to_status: e.to_status,
                reason: e.reason,
                policy_version: e.policy_version,
            })
            .collect())
    }

    /// Claims, newest first, by district, status and claimant.
    pub async fn list_claims(
        &self,
        district: Option<&str>,
        status: Option<&str>,
        claimant: Option<Uuid>,
        page: PageRequest,
    ) -> Result<Page<Claim>, StoreError> {
        let mut q = claims_query(district, status, claimant);
        if let Some(after) = page.after {
            q = q.filter(claim::Column::Id.lt(after.0));
        }
        let rows = q.order_by_desc(claim::Column::Id).limit(page.limit + 1).all(self.db()).await?;
        Ok(Page::from_rows(rows.into_iter().map(to_claim).collect(), page.limit, |c| c.id))
    }

    /// A page of claims at an offset in an order (newest, oldest, largest amount), with the total.
    pub async fn list_claims_sorted(
        &self,
        district: Option<&str>,
        status: Option<&str>,
        order: crate::ListOrder,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Claim>, u64), StoreError> {
        use sea_orm::PaginatorTrait;
        let q = claims_query(district, status, None);
        let total = q.clone().count(self.db()).await?;
        let q = match order {
            crate::ListOrder::Oldest => q.order_by_asc(claim::Column::Id),
            crate::ListOrder::Amount => q.order_by_desc(claim::Column::AmountFen).order_by_desc(claim::Column::Id),
            _ => q.order_by_desc(claim::Column::Id),
        };
        let rows = q.offset(offset).limit(limit.clamp(1, crate::page::MAX_LIMIT)).all(self.db()).await?;
        Ok((rows.into_iter().map(to_claim).collect(), total))
    }

    /// How many claims a list's filters match (the list's total).
    pub async fn count_claims(
        &self,
        district: Option<&str>,
        status: Option<&str>,
        claimant: Option<Uuid>,
    ) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(claims_query(district, status, claimant).count(self.db()).await?)
    }

    /// What was approved or paid under a group: (in this period, ever) — to the claimant, or
    /// for a per-person policy about the subject, whoever claimed. These are the facts the
    /// engine's caps read.
    pub async fn paid_so_far(
        &self,
        claimant: Uuid,
        subject: Option<Uuid>,
        group_policies: &[String],
        period_key: &str,
    ) -> Result<(i64, i64), StoreError> {
        let who = match subject {
            Some(s) => claim::Column::SubjectId.eq(s),
            None => claim::Column::ClaimantId.eq(claimant),
        };
        let rows = claim::Entity::find()
            .filter(who)
            .filter(claim::Column::PolicyId.is_in(group_policies.to_vec()))
            .filter(claim::Column::Status.is_in(["approved", "paid"]))
            .all(self.db())
            .await?;
        let period = rows.iter().filter(|c| c.period_key == period_key).map(|c| c.amount_fen).sum();
        let life = rows.iter().map(|c| c.amount_fen).sum();
        Ok((period, life))
    }

    /// Set (or change) a policy's allocation on a budget line.
    pub async fn set_allocation(
        &self,
        line: &str,
        policy: &str,
        allocated_fen: i64,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<Allocation, StoreError> {
        let txn = self.write(who, at).await?;
        let key = line_policy(line, policy);
        let existing = budget_allocation::Entity::find()
            .filter(budget_allocation::Column::LinePolicy.eq(key.as_str()))
            .one(&txn)
            .await?;
        match existing {
            Some(e) => {
                if allocated_fen < e.reserved_fen + e.paid_fen {
                    return Err(StoreError::Refused(CodeError::new("budget.below_committed").field("allocated_fen")));
                }
                let mut am: budget_allocation::ActiveModel = e.into();
                am.allocated_fen = Set(allocated_fen);
                am.updated_at = Set(at);
                am.update(&txn).await?;
            }
            None => {
                budget_allocation::ActiveModel {
                    id: Set(new_id(at)),
                    line_policy: Set(key.clone()),
                    budget_line: Set(line.to_string()),
                    policy_id: Set(policy.to_string()),
                    allocated_fen: Set(allocated_fen),
                    reserved_fen: Set(0),
                    paid_fen: Set(0),
                    updated_at: Set(at),
                }
                .insert(&txn)
                .await?;
            }
        }
        txn.commit(Event {
            action: "budget.allocate",
            target_kind: Some("budget"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "line": line, "policy": policy, "allocated_fen": allocated_fen }),
        })
        .await?;
        self.allocation(line, policy).await?.ok_or(StoreError::NotFound)
    }

    pub async fn allocation(&self, line: &str, policy: &str) -> Result<Option<Allocation>, StoreError> {
        Ok(budget_allocation::Entity::find()
            .filter(budget_allocation::Column::LinePolicy.eq(line_policy(line, policy)))
            .one(self.db())
            .await?
            .map(to_allocation))
    }

    pub async fn allocations(&self) -> Result<Vec<Allocation>, StoreError> {
        Ok(budget_allocation::Entity::find()
            .order_by_asc(budget_allocation::Column::LinePolicy)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_allocation)
            .collect())
    }

    /// Every live claim as (claimant, subject, policy, period): what screening must not offer
    /// again.
    pub async fn live_claim_keys(
        &self,
    ) -> Result<std::collections::HashSet<(Uuid, Option<Uuid>, String, String)>, StoreError> {
        Ok(claim::Entity::find()
            .filter(claim::Column::Status.is_in(LIVE))
            .all(self.db())
            .await?
            .into_iter()
            .map(|c| (c.claimant_id, c.subject_id, c.policy_id, c.period_key))
            .collect())
    }

    /// Money moved in a period, per budget line and policy: approvals (reserved) and payments
    /// made in `[from, to)`, read from the claims' history — so any period can be reported,
    /// not only the running totals.
    pub async fn money_in_period(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<std::collections::BTreeMap<(String, String), (i64, i64)>, StoreError> {
        let events = claim_event::Entity::find()
            .filter(claim_event::Column::ToStatus.is_in(["approved", "paid"]))
            .filter(claim_event::Column::At.gte(from))
            .filter(claim_event::Column::At.lt(to))
            .all(self.db())
            .await?;
        let mut ids: Vec<Uuid> = events.iter().map(|e| e.claim_id).collect();
        ids.sort();
        ids.dedup();
        let mut claims = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            for c in claim::Entity::find().filter(claim::Column::Id.is_in(chunk.to_vec())).all(self.db()).await? {
                claims.insert(c.id, c);
            }
        }
        let mut out: std::collections::BTreeMap<(String, String), (i64, i64)> = std::collections::BTreeMap::new();
        for e in &events {
            let Some(c) = claims.get(&e.claim_id) else { continue };
            let slot = out.entry((c.budget_line.clone(), c.policy_id.clone())).or_default();
            if e.to_status == "approved" {
                slot.0 += c.amount_fen;
            } else {
                slot.1 += c.amount_fen;
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Every claim under a policy (all versions), oldest first — for simulations.
    pub async fn claims_of_policy(&self, policy_id: &str) -> Result<Vec<Claim>, StoreError> {
        Ok(claim::Entity::find()
            .filter(claim::Column::PolicyId.eq(policy_id))
            .order_by_asc(claim::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_claim)
            .collect())
    }
}

impl Store {
    /// Make a policy version live; `false` if it already was.
    pub async fn publish_policy(&self, key: &str, who: &AuditEntry, at: DateTime<Utc>) -> Result<bool, StoreError> {
        use crate::entities::publication;
        let txn = self.write(who, at).await?;
        let r = publication::ActiveModel {
            id: Set(new_id(at)),
            policy_key: Set(key.to_string()),
            published_by: Set(who.actor_account),
            published_at: Set(at),
        }
        .insert(&txn)
        .await;
        match r {
            Ok(_) => {}
            Err(e) => {
                return match conflict_or(e, "publication") {
                    StoreError::Conflict { .. } => Ok(false),
                    other => Err(other),
                };
            }
        }
        txn.commit(Event {
            action: "policy.publish",
            target_kind: Some("policy"),
            target_id: None,
            district: None,
            detail: serde_json::json!({ "policy": key }),
        })
        .await?;
        Ok(true)
    }

    /// The published policy versions (`id@version`).
    pub async fn published_policies(&self) -> Result<Vec<String>, StoreError> {
        use crate::entities::publication;
        Ok(publication::Entity::find().all(self.db()).await?.into_iter().map(|p| p.policy_key).collect())
    }

    /// Note on a claim that a newly published version decided it again (its status stays).
    pub async fn note_rescreen(
        &self,
        claim_id: Uuid,
        status: &str,
        note: &str,
        version: &str,
        who: &AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        insert_event(self.db(), claim_id, who, at, Some(status), status, Some(note.to_string()), version).await?;
        Ok(())
    }
}
