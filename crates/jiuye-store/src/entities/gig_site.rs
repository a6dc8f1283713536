use sea_orm::entity::prelude::*;

/// A gig market (零工市场) or station (零工驿站): layout, operating mode, where, when open, which
/// services, and its recognition as 规范化 (date and evidence). Added by migration 19.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gig_sites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// comprehensive, sector, station.
    pub layout: String,
    /// bureau, window, operator.
    pub mode: String,
    pub operator: String,
    #[sea_orm(indexed)]
    pub district: String,
    pub address: String,
    /// Position in millionths of a degree (a site's place is public).
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub hours: String,
    /// Amenities (饮水, 休息区, 充电 …) as a JSON list of strings.
    pub amenities: Json,
    /// The services it provides (`gig::Service` codes) as a JSON list.
    pub services: Json,
    #[sea_orm(nullable)]
    pub recognised_on: Option<Date>,
    #[sea_orm(nullable)]
    pub recognition_evidence: Option<String>,
    /// The secret in the station's QR code that a worker scans to check in.
    #[sea_orm(unique)]
    pub checkin_token: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
