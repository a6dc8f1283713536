use sea_orm::entity::prelude::*;

/// An unemployment registration (失业登记) and, kept in step in the same transaction as every
/// service and contact, its casework state: tier, "131" counts and next dates, contact state.
/// Those columns let caseload lists filter and page in SQL; the ledger stays the truth.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "unemployment_registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    /// The person's id while the registration is active, NULL after: one active registration per
    /// person city-wide, enforced by the database.
    #[sea_orm(nullable, unique)]
    pub active_person: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    pub basis: String,
    #[sea_orm(indexed)]
    pub status: String,
    pub registered_on: Date,
    #[sea_orm(nullable)]
    pub ended_on: Option<Date>,
    #[sea_orm(nullable)]
    pub end_reason: Option<String>,
    #[sea_orm(nullable, indexed)]
    pub caseworker_id: Option<Uuid>,
    /// The computed tier (refreshed by the daily sweep) and the caseworker's override.
    pub tier: String,
    /// Tier categories as `,a,b,`, as decided; lists filter through `registration_categories`,
    /// which the same writes keep.
    pub categories: String,
    #[sea_orm(nullable)]
    pub tier_override: Option<String>,
    #[sea_orm(nullable)]
    pub tier_override_reason: Option<String>,
    /// The tier in force (the override, else the computed tier), kept by the writes that set
    /// either, so a list filtered by tier reads one index range. Added by migration 25.
    pub tier_in_force: String,
    pub guidance_done: i32,
    pub referrals_done: i32,
    pub training_done: i32,
    #[sea_orm(nullable, indexed)]
    pub next_131_due_on: Option<Date>,
    #[sea_orm(nullable)]
    pub one31_completed_on: Option<Date>,
    #[sea_orm(nullable)]
    pub last_reached_on: Option<Date>,
    pub failed_in_row: i32,
    #[sea_orm(indexed)]
    pub unreachable: bool,
    #[sea_orm(indexed)]
    pub next_contact_on: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
