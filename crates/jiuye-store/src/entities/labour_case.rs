use sea_orm::entity::prelude::*;

/// A wage-arrears complaint (欠薪投诉) or a labour-dispute mediation case (劳动争议调解), one trail:
/// a mediation names the complaint it came from (`origin_id`), a complaint the gig booking it
/// came from. Dates are Xiamen days; the statutory clocks are computed from them on the
/// working-day calendar; only the nearest running deadline is kept (`due_on`, written by the core
/// with every move) so the sweep and the workbench read it by index. Added by migration 19.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "labour_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// complaint, mediation.
    pub kind: String,
    #[sea_orm(nullable)]
    pub origin_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub gig_booking_id: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    #[sea_orm(nullable, indexed)]
    pub person_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub employer_id: Option<Uuid>,
    pub employer_name: String,
    pub workers: i32,
    pub amount_fen: i64,
    pub period_from: Date,
    /// The last day of the violation (a continuing one: the day it ended or the day filed).
    pub period_to: Date,
    pub evidence: String,
    pub received_on: Date,
    /// complaint: received, accepted, refused, closed; mediation: received, agreed, failed,
    /// arbitration (the commission accepted it: `accepted_on`), awarded.
    #[sea_orm(indexed)]
    pub status: String,
    #[sea_orm(nullable)]
    pub accepted_on: Option<Date>,
    pub extended: bool,
    /// Suspensions as a JSON list of {from, resumed}.
    pub suspensions: Json,
    #[sea_orm(nullable)]
    pub decided_on: Option<Date>,
    /// Why it was refused or how it ended (a catalogue code), and what was recovered or agreed.
    #[sea_orm(nullable)]
    pub outcome: Option<String>,
    #[sea_orm(nullable)]
    pub recovered_fen: Option<i64>,
    /// Mediation: when the party knew of the infringement, and whether the employment ended.
    #[sea_orm(nullable)]
    pub knew_on: Option<Date>,
    #[sea_orm(nullable)]
    pub employment_ended: Option<Date>,
    #[sea_orm(nullable)]
    pub referred_on: Option<Date>,
    /// The nearest deadline of a running clock; none while suspended or when no clock runs.
    #[sea_orm(nullable, indexed)]
    pub due_on: Option<Date>,
    /// A complaint decided (accepted, or refused by staff) on or before its acceptance deadline.
    #[sea_orm(nullable)]
    pub decided_in_time: Option<bool>,
    /// The deadline the sweep last warned of (so each deadline is warned of once).
    #[sea_orm(nullable)]
    pub warned_for: Option<Date>,
    pub created_at: DateTimeUtc,
    /// A mediation case: the registered organisation mediating it. Added by migration 20.
    #[sea_orm(nullable)]
    pub mediation_org_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
