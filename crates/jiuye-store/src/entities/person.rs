use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// AES-256-GCM: 12-byte nonce followed by ciphertext and tag.
    pub national_id_enc: Vec<u8>,
    /// Keyed hash (HMAC-SHA-256) for lookup and duplicate detection.
    #[sea_orm(unique)]
    pub national_id_hash: String,
    pub national_id_masked: String,
    /// The kind of identity document (`resident_id`, `passport`, …; migration 12). The three
    /// `national_id_*` columns hold that document's number, whatever its kind.
    pub id_kind: String,
    /// ISO 3166 alpha-3, for documents that name one (passports, permanent residence cards).
    #[sea_orm(nullable)]
    pub nationality: Option<String>,
    #[sea_orm(indexed)]
    pub name: String,
    pub sex: String,
    pub birth_date: Date,
    #[sea_orm(indexed)]
    pub mobile: String,
    #[sea_orm(indexed)]
    pub district: String,
    #[sea_orm(nullable)]
    pub street: Option<String>,
    #[sea_orm(nullable)]
    pub address: Option<String>,
    pub household_origin: String,
    pub rural_household: bool,
    pub education: String,
    pub key_groups: Json,
    pub skills: Json,
    pub certificates: Json,
    pub wanted_occupations: Json,
    pub wanted_districts: Json,
    #[sea_orm(nullable)]
    pub wanted_salary_min: Option<i32>,
    #[sea_orm(nullable)]
    pub wanted_salary_max: Option<i32>,
    /// Migration 16.
    #[sea_orm(nullable)]
    pub max_commute_km: Option<i32>,
    /// Where the person's trips start: an H3 cell of resolution 9, set by the person from
    /// their device (migration 22). Never a precise position.
    #[sea_orm(nullable)]
    pub home_cell: Option<i64>,
    /// A digest of the screening findings the person was last told of (migration 24): a
    /// screening run writes only for the persons whose findings changed.
    #[sea_orm(nullable)]
    pub screened_digest: Option<i64>,
    pub employment_status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
