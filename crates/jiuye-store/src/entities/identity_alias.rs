use sea_orm::entity::prelude::*;

/// Another identity document of a person, linked by staff: the 2017 and the 2023 permanent
/// residence card of one holder, a 台胞证 beside a 台湾居民居住证. Looked up like the person's
/// own number; a number is never both. Added by migration 12.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_aliases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub person_id: Uuid,
    pub kind: String,
    /// AES-256-GCM of the document key, like `persons.national_id_enc`.
    pub number_enc: Vec<u8>,
    #[sea_orm(unique)]
    pub number_hash: String,
    pub number_masked: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
