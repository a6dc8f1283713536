//! Cursor pagination: newest first, the cursor is the last id seen (UUIDv7 sorts by time).

use serde::Serialize;
use uuid::Uuid;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(pub Uuid);

impl Cursor {
    pub fn parse(s: &str) -> Option<Cursor> {
        Uuid::parse_str(s).ok().map(Cursor)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub after: Option<Cursor>,
    pub limit: u64,
}

impl PageRequest {
    pub fn new(after: Option<Cursor>, limit: Option<u64>) -> Self {
        PageRequest { after, limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) }
    }

    pub fn first(limit: u64) -> Self {
        Self::new(None, Some(limit))
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Build a page from `limit + 1` fetched rows: the extra row only proves there is more.
    pub fn from_rows(mut rows: Vec<T>, limit: u64, id: impl Fn(&T) -> Uuid) -> Page<T> {
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(|r| id(r).to_string()) } else { None };
        Page { items: rows, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

/// The orders staff lists offer beyond newest first (each list takes those that apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    #[default]
    Newest,
    Oldest,
    /// By name (persons, accounts).
    Name,
    /// Largest amount first (claims).
    Amount,
}

impl ListOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            ListOrder::Newest => "newest",
            ListOrder::Oldest => "oldest",
            ListOrder::Name => "name",
            ListOrder::Amount => "amount",
        }
    }

    /// The order asked for among `offered`, or newest first.
    pub fn pick(asked: Option<&str>, offered: &[ListOrder]) -> ListOrder {
        offered.iter().copied().find(|o| Some(o.as_str()) == asked).unwrap_or_default()
    }
}
