//! GB/T 4754-2017 国民经济行业分类 (with amendment No. 1, 2019): 20 门类 `A`–`T`,
//! 97 大类 `01`–`97`, 473 中类 (3 digits) and 1381 小类 (4 digits).
//!
//! Data: `data/codes/industries.tsv` (source and errata in its header).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::CodeError;

pub const ERR_UNKNOWN: &str = "industry.unknown";
pub const ERR_FORMAT: &str = "industry.format";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Industry {
    pub code: &'static str,
    pub name: &'static str,
    /// 1 门类 (letter), 2 大类, 3 中类, 4 小类 (number of digits).
    pub level: u8,
    pub parent: Option<&'static str>,
}

static ALL: LazyLock<Vec<Industry>> = LazyLock::new(|| {
    super::tsv_rows(include_str!("../../data/codes/industries.tsv"))
        .filter_map(|row| match row.as_slice() {
            [code, name, level, parent] => Some(Industry {
                code,
                name,
                level: level.parse().ok()?,
                parent: (!parent.is_empty()).then_some(*parent),
            }),
            _ => None,
        })
        .collect()
});

static BY_CODE: LazyLock<HashMap<&'static str, &'static Industry>> =
    LazyLock::new(|| ALL.iter().map(|i| (i.code, i)).collect());

pub fn lookup(code: &str) -> Option<&'static Industry> {
    BY_CODE.get(code).copied()
}

/// All 1971 entries, each group before its members.
pub fn all() -> &'static [Industry] {
    &ALL
}

/// The 20 门类 A–T.
pub fn sections() -> Vec<&'static Industry> {
    ALL.iter().filter(|i| i.level == 1).collect()
}

/// The 大类 of a 门类 (e.g. `C` → 13…43).
pub fn divisions_of(section: &str) -> Vec<&'static Industry> {
    ALL.iter().filter(|i| i.level == 2 && i.parent == Some(section)).collect()
}

/// The 97 大类.
pub fn divisions() -> Vec<&'static Industry> {
    ALL.iter().filter(|i| i.level == 2).collect()
}

/// The direct members of a group.
pub fn children(code: &str) -> Vec<&'static Industry> {
    ALL.iter().filter(|i| i.parent == Some(code)).collect()
}

/// A known industry code: a 门类 letter (`C`), or a 2-, 3- or 4-digit code (`39`, `397`,
/// `3976`). A digit code may also be written after its 门类 letter (`C39`, `C3976`); the
/// letter must be the right one and is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct IndustryCode(&'static Industry);

impl IndustryCode {
    pub fn parse(s: &str) -> Result<IndustryCode, CodeError> {
        let code = s.trim().to_ascii_uppercase();
        let b = code.as_bytes();
        let (letter, digits) = match b.first() {
            Some(c) if c.is_ascii_uppercase() && b.len() > 1 => (Some(&code[..1]), &code[1..]),
            _ => (None, code.as_str()),
        };
        let shape_ok = if b.len() == 1 && b[0].is_ascii_uppercase() {
            true
        } else {
            (2..=4).contains(&digits.len()) && digits.bytes().all(|d| d.is_ascii_digit())
        };
        if !shape_ok {
            return Err(CodeError::new(ERR_FORMAT).arg("code", s.trim()));
        }
        let found = lookup(digits).map(IndustryCode).filter(|c| match letter {
            Some(letter) => c.section().as_str() == letter,
            None => true,
        });
        found.ok_or_else(|| CodeError::new(ERR_UNKNOWN).arg("code", s.trim()))
    }

    pub fn as_str(&self) -> &'static str {
        self.0.code
    }

    pub fn name(&self) -> &'static str {
        self.0.name
    }

    pub fn level(&self) -> u8 {
        self.0.level
    }

    pub fn industry(&self) -> &'static Industry {
        self.0
    }

    pub fn parent(&self) -> Option<IndustryCode> {
        self.0.parent.and_then(lookup).map(IndustryCode)
    }

    /// The 门类 containing this code (itself for a 门类).
    pub fn section(&self) -> IndustryCode {
        let mut code = *self;
        while let Some(parent) = code.parent() {
            code = parent;
        }
        code
    }

    /// The 大类 containing this code (`None` for a 门类).
    pub fn division(&self) -> Option<IndustryCode> {
        let mut code = *self;
        while code.level() > 2 {
            code = code.parent()?;
        }
        (code.level() == 2).then_some(code)
    }

    /// True if `ancestor` is this code or one of the groups containing it.
    pub fn is_within(&self, ancestor: &IndustryCode) -> bool {
        std::iter::successors(Some(*self), IndustryCode::parent).any(|c| c == *ancestor)
    }
}

impl std::fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.code)
    }
}

impl From<IndustryCode> for String {
    fn from(c: IndustryCode) -> String {
        c.0.code.to_string()
    }
}

super::serialize_as_str!(IndustryCode);
super::try_from_via_parse!(IndustryCode);
