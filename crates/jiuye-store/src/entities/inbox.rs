use sea_orm::entity::prelude::*;

/// A message to a person, employer or organisation in the app: e.g. "you may be entitled to …"
/// from proactive screening (免申即享), with what is still needed. One per recipient, policy and
/// day (`dedupe_key`), so a screening run can be repeated.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(indexed)]
    pub recipient_id: Uuid,
    pub recipient_kind: String,
    pub topic: String,
    #[sea_orm(nullable)]
    pub policy_id: Option<String>,
    /// `eligible` or `undetermined`.
    pub outcome: String,
    pub amount_fen: i64,
    /// Facts still needed (undetermined), and the reasons (zh, en).
    pub detail: Json,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub read: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
