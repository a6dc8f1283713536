//! The JSON API under `/api/v1`.

pub mod accounts;
pub mod applications;
pub mod caseload;
pub mod casework;
pub mod casework_rules;
pub mod claims;
pub mod codes;
pub mod employers;
pub mod feed;
pub mod gig;
pub mod labour;
pub mod market;
pub mod my_casework;
pub mod notices;
pub mod openapi;
pub mod oversight;
pub mod persons;
pub mod progress;
pub mod providers;
pub mod recommend;
pub mod saved;
pub mod search;
pub mod session;
pub mod spreadsheets;
pub mod training;
pub mod vacancies;
pub mod wire;

use serde::Deserialize;
use utoipa::IntoParams;

use jiuye_store::{Cursor, PageRequest};

use crate::error::ApiError;

/// Cursor paging shared by every list endpoint.
#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<u64>,
}

impl Paging {
    pub fn request(&self) -> Result<PageRequest, ApiError> {
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(
                Cursor::parse(c)
                    .ok_or_else(|| ApiError::invalid(jiuye_domain::CodeError::new("input.cursor").field("cursor")))?,
            ),
            None => None,
        };
        if let Some(l) = self.limit
            && !(1..=100).contains(&l)
        {
            return Err(ApiError::invalid(jiuye_domain::CodeError::new("input.limit").field("limit")));
        }
        Ok(PageRequest::new(after, self.limit))
    }
}

/// Path ids that are not UUIDs are simply not found.
pub fn parse_id(s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| ApiError::NotFound)
}

/// Query strings that fail to parse get the envelope too.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q));
        serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let field = e.path().to_string();
            ApiError::BadBody {
                code: "input.query",
                field: if field == "." { None } else { Some(field) },
                detail: e.into_inner().to_string(),
            }
        })
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

/// Query strings from HTML forms send empty fields as `name=`: read those as absent.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}
