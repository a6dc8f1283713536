//! 职业分类大典（2022年版）: 8 大类, 79 中类, 450 小类, 1639 细类 (职业).
//!
//! Codes are written `6`, `6-31`, `6-31-01`, `6-31-01-03` (levels 1–4). Data:
//! `data/codes/occupations.tsv` (source and errata in its header) and the curated list of
//! occupations common in Xiamen, `data/codes/common_xiamen.txt`.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::CodeError;

pub const ERR_UNKNOWN: &str = "occupation.unknown";
pub const ERR_FORMAT: &str = "occupation.format";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Occupation {
    pub code: &'static str,
    pub name: &'static str,
    /// 1 大类, 2 中类, 3 小类, 4 细类 (职业).
    pub level: u8,
    pub parent: Option<&'static str>,
}

static ALL: LazyLock<Vec<Occupation>> = LazyLock::new(|| {
    super::tsv_rows(include_str!("../../data/codes/occupations.tsv"))
        .filter_map(|row| match row.as_slice() {
            [code, name, level, parent] => Some(Occupation {
                code,
                name,
                level: level.parse().ok()?,
                parent: (!parent.is_empty()).then_some(*parent),
            }),
            _ => None,
        })
        .collect()
});

static BY_CODE: LazyLock<HashMap<&'static str, &'static Occupation>> =
    LazyLock::new(|| ALL.iter().map(|o| (o.code, o)).collect());

static COMMON_XIAMEN: LazyLock<Vec<OccupationCode>> = LazyLock::new(|| {
    include_str!("../../data/codes/common_xiamen.txt")
        .lines()
        .filter_map(|line| line.split('#').next())
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .filter_map(|code| OccupationCode::parse(code).ok())
        .collect()
});

/// Whether `s` has the shape of an occupation code: `d`, `d-dd`, `d-dd-dd` or `d-dd-dd-dd`.
fn well_formed(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts.next().is_some_and(|p| p.len() == 1 && p.bytes().all(|b| b.is_ascii_digit()));
    let rest: Vec<&str> = parts.collect();
    first_ok && rest.len() <= 3 && rest.iter().all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

pub fn lookup(code: &str) -> Option<&'static Occupation> {
    BY_CODE.get(code).copied()
}

/// All 2176 entries in code order (each group before its members).
pub fn all() -> &'static [Occupation] {
    &ALL
}

/// The direct members of a group, in code order (the 大类 when `code` is empty).
pub fn children(code: &str) -> Vec<&'static Occupation> {
    let parent = (!code.is_empty()).then_some(code);
    ALL.iter().filter(|o| o.parent == parent).collect()
}

/// The 8 大类.
pub fn major_groups() -> Vec<&'static Occupation> {
    children("")
}

/// Entries whose name contains `q` (after trimming), best first: the exact name, then names
/// starting with it, then the rest; within each, detailed occupations (level 4) before their
/// groups, shorter names first, then code order. Empty for an empty query.
pub fn search_by_name(q: &str) -> Vec<&'static Occupation> {
    let q = q.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<&'static Occupation> = ALL.iter().filter(|o| o.name.contains(q)).collect();
    hits.sort_by_key(|o| {
        let how = if o.name == q {
            0
        } else if o.name.starts_with(q) {
            1
        } else {
            2
        };
        (how, std::cmp::Reverse(o.level), o.name.chars().count(), o.code)
    });
    hits
}

/// A curated list of detailed occupations (level 4) common in Xiamen's economy, in the order
/// of `data/codes/common_xiamen.txt`; used by the demo-data generator.
pub fn common_in_xiamen() -> Vec<OccupationCode> {
    COMMON_XIAMEN.clone()
}

/// A known occupation code of any level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct OccupationCode(&'static Occupation);

impl OccupationCode {
    pub fn parse(s: &str) -> Result<OccupationCode, CodeError> {
        let code = s.trim();
        if !well_formed(code) {
            return Err(CodeError::new(ERR_FORMAT).arg("code", code));
        }
        lookup(code).map(OccupationCode).ok_or_else(|| CodeError::new(ERR_UNKNOWN).arg("code", code))
    }

    /// What a person types in a form: a code, or an occupation's exact official name
    /// (`电工` → `6-31-01-03`). A name shared by several codes picks the most detailed one.
    pub fn parse_code_or_name(s: &str) -> Result<OccupationCode, CodeError> {
        let text = s.trim();
        if text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Self::parse(text);
        }
        all()
            .iter()
            .filter(|o| o.name == text)
            .max_by_key(|o| o.level)
            .map(OccupationCode)
            .ok_or_else(|| CodeError::new(ERR_UNKNOWN).arg("code", text))
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

    pub fn occupation(&self) -> &'static Occupation {
        self.0
    }

    pub fn parent(&self) -> Option<OccupationCode> {
        self.0.parent.and_then(lookup).map(OccupationCode)
    }

    /// The groups containing this code, nearest first (parent, …, 大类); excludes itself.
    pub fn ancestors(&self) -> Vec<OccupationCode> {
        std::iter::successors(self.parent(), OccupationCode::parent).collect()
    }

    /// True if `ancestor` is this code or one of the groups containing it.
    pub fn is_within(&self, ancestor: &OccupationCode) -> bool {
        let (me, other) = (self.as_str(), ancestor.as_str());
        me == other || (me.starts_with(other) && me.as_bytes().get(other.len()) == Some(&b'-'))
    }

    /// The direct members of this group.
    pub fn children(&self) -> Vec<OccupationCode> {
        children(self.as_str()).into_iter().map(OccupationCode).collect()
    }
}

impl std::fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.code)
    }
}

impl From<OccupationCode> for String {
    fn from(c: OccupationCode) -> String {
        c.0.code.to_string()
    }
}

super::serialize_as_str!(OccupationCode);
super::try_from_via_parse!(OccupationCode);
