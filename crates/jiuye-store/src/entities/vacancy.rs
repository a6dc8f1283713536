use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "vacancies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub employer_id: Uuid,
    pub title: String,
    pub description: String,
    #[sea_orm(indexed)]
    pub occupation: String,
    pub industry: String,
    #[sea_orm(indexed)]
    pub district: String,
    pub address: String,
    #[sea_orm(nullable)]
    pub latitude: Option<f64>,
    #[sea_orm(nullable)]
    pub longitude: Option<f64>,
    /// Monthly equivalent in yuan (0–0 for 面议): what filters and sorting compare.
    pub salary_min: i32,
    pub salary_max: i32,
    /// `month`, `day`, `hour`, `piece` or `negotiable` (migration 15).
    pub pay_unit: String,
    /// The day, hour or piece rate in fen.
    #[sea_orm(nullable)]
    pub pay_rate_min_fen: Option<i64>,
    #[sea_orm(nullable)]
    pub pay_rate_max_fen: Option<i64>,
    pub headcount: i32,
    #[sea_orm(nullable)]
    pub education_required: Option<String>,
    pub kind: String,
    pub opens_on: Date,
    #[sea_orm(indexed)]
    pub closes_on: Date,
    pub skills: Json,
    #[sea_orm(indexed)]
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
