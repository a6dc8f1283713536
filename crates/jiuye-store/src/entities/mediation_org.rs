use sea_orm::entity::prelude::*;

/// A registered labour-dispute mediation organisation (劳动争议调解仲裁法 art. 10): an
/// enterprise's mediation committee, a community people's mediation organisation, or a township
/// or street organisation with the function — where, and the registration's day and evidence.
/// A mediation case names the one mediating it. Added by migration 20.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mediation_orgs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// enterprise, community, township.
    pub kind: String,
    #[sea_orm(indexed)]
    pub district: String,
    pub address: String,
    pub registered_on: Date,
    pub evidence: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
