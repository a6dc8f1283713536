//! Gig markets (零工市场) and stations (零工驿站) as 人社部发〔2023〕65号 describes them: three
//! layouts, three operating modes, and the five services beside 即时快招 that a 规范化 market
//! provides.

use serde::{Deserialize, Serialize};

use crate::CodeError;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Result<Self, CodeError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
                    .ok_or_else(|| CodeError::new("input.enum").arg("value", s))
            }

            /// The catalogue key of its label.
            pub fn label_key(self) -> String {
                format!("gig.{}.{}", stringify!($name).to_lowercase(), self.as_str())
            }
        }
    };
}

code_enum!(
    /// The three layouts.
    Layout { Comprehensive => "comprehensive", Sector => "sector", Station => "station" }
);

code_enum!(
    /// Who runs it.
    Mode { Bureau => "bureau", Window => "window", Operator => "operator" }
);

code_enum!(
    /// The services of a 规范化零工市场 beside 即时快招 (which every site offers through the platform).
    Service {
        Matching => "matching",
        Guidance => "guidance",
        TrainingInfo => "training_info",
        TrainingNeeds => "training_needs",
        Rights => "rights",
    }
);

impl Layout {
    /// A market is any layout but a station.
    pub fn is_market(self) -> bool {
        self != Layout::Station
    }
}

/// How far a worker is, as an employer may see it: a band, never a position.
pub fn distance_band(km: f64) -> &'static str {
    if km < 1.0 {
        "gig.band.within_1"
    } else if km < 3.0 {
        "gig.band.within_3"
    } else if km < 10.0 {
        "gig.band.within_10"
    } else {
        "gig.band.beyond_10"
    }
}
