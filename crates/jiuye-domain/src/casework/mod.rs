//! Casework (失业登记, 就业登记, 分级分类, 定期联系, the service ledger, "131").
//!
//! Pure rules over values: the store keeps the records, these functions say what they mean —
//! which tier a person is in and why, when the next contact is due, how far their "131" is.
//! Tiers, intervals and windows come from [`CaseworkRules`] (a TOML file), never from code.

mod codes;
mod one31;
mod rules;
mod schedule;
mod tier;

pub use codes::{
    ContactMethod, ContactOutcome, DeregReason, EmploymentForm, EmploymentSource, RegistrationBasis,
    RegistrationStatus, ServiceKind,
};
pub use one31::{One31, One31Item, One31Progress, One31Status};
pub use rules::{CaseworkRules, Condition, ContactRules, DEFAULT_RULES, One31Rules, TierRule, TierSpec};
pub use schedule::{ContactState, next_contact_due};
pub use tier::{TierDecision, TierFacts, TierReason, whole_months};

/// A closed list of codes stored as strings, with a catalogue label per code.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal, { $($(#[$vm:meta])* $v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::CodeError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::CodeError::new("input.enum").arg("value", s))
            }

            /// Catalogue key of this code's name.
            pub fn label_key(self) -> String {
                format!(concat!($prefix, ".{}"), self.as_str())
            }
        }
    };
}
pub(crate) use code_enum;
