use sea_orm::entity::prelude::*;

/// A gig demand (即时快招): what, where, when, how many, for how much; `booked` counts the
/// bookings, raised only by a conditional update below `headcount`. Added by migration 19.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gig_demands")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub poster_account: Uuid,
    #[sea_orm(nullable, indexed)]
    pub employer_id: Option<Uuid>,
    #[sea_orm(nullable)]
    pub person_id: Option<Uuid>,
    pub trade: String,
    pub title: String,
    pub details: String,
    #[sea_orm(indexed)]
    pub district: String,
    pub address: String,
    #[sea_orm(nullable)]
    pub site_id: Option<Uuid>,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub starts_at: DateTimeUtc,
    pub days: i32,
    pub hours_per_day: i32,
    pub headcount: i32,
    pub booked: i32,
    /// day, hour.
    pub pay_unit: String,
    pub pay_fen: i64,
    /// held, open, filled, closed, refused.
    #[sea_orm(indexed)]
    pub status: String,
    /// Why the review held it: a JSON list of {code, field, args}.
    pub holds: Json,
    #[sea_orm(nullable)]
    pub reviewed_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
