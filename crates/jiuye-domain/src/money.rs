//! Money as integer fen (1 yuan = 100 fen). Never floats.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub fn from_yuan(yuan: i64) -> Self {
        Fen(yuan * 100)
    }

    pub fn yuan(self) -> i64 {
        self.0 / 100
    }
}

impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}
