use sea_orm::entity::prelude::*;

/// A person's gig profile: trades, when available, the rate wanted, where (an H3 cell of
/// resolution 9, never a precise position), and the last check-in at a station. Added by
/// migration 19.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gig_workers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    /// 职业分类大典 codes as a JSON list.
    pub trades: Json,
    /// off, today, week.
    pub availability: String,
    /// The day `availability` was set (today means that day; week the seven days from it).
    pub available_from: Date,
    /// The daily rate wanted, in fen (0: any).
    pub rate_day_fen: i64,
    #[sea_orm(nullable)]
    pub home_site: Option<Uuid>,
    #[sea_orm(indexed)]
    pub district: String,
    /// The H3 cell (resolution 9) the worker is placed in.
    pub cell: i64,
    #[sea_orm(nullable)]
    pub checked_in_at: Option<DateTimeUtc>,
    #[sea_orm(nullable)]
    pub checkin_site: Option<Uuid>,
    /// The day the profile was first made (waiting time counts from it until a first gig).
    pub since: Date,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
