//! The national code lists, for forms and API clients.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use jiuye_domain::codes::{EducationLevel, KeyGroup, industry, occupation, region};

use super::Query;
use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeItem {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub parent: Option<String>,
    pub level: u8,
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CodeQuery {
    /// Name contains (occupations, industries).
    pub q: Option<String>,
    /// Children of this code.
    pub parent: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/codes/{list}", tag = "codes",
    params(("list" = String, Path, description = "`districts`, `streets`, `provinces`, `occupations`, `industries`, `education`, `key_groups`"), CodeQuery),
    responses((status = 200, description = "Codes and names", body = Vec<CodeItem>), (status = 404, description = "Unknown list", body = ErrorEnvelope)))]
pub async fn list(
    State(_): State<AppState>,
    Path(list): Path<String>,
    Query(q): Query<CodeQuery>,
) -> ApiResult<axum::Json<Vec<CodeItem>>> {
    let needle = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let item = |code: &str, name: &str, parent: Option<&str>, level: u8| CodeItem {
        code: code.to_string(),
        name: name.to_string(),
        name_en: None,
        parent: parent.map(str::to_string),
        level,
    };
    let out: Vec<CodeItem> = match list.as_str() {
        "districts" => region::xiamen_districts().into_iter().map(|r| item(r.code, r.name, r.parent, 3)).collect(),
        "streets" => {
            let d = q.parent.as_deref().unwrap_or_default();
            let d = jiuye_domain::codes::DistrictCode::parse(d).map_err(|e| ApiError::invalid(e.field("parent")))?;
            region::streets_of(&d).into_iter().map(|r| item(r.code, r.name, r.parent, 4)).collect()
        }
        "provinces" => region::provinces().iter().map(|r| item(r.code, r.name, None, 1)).collect(),
        "occupations" => {
            let base: Vec<&occupation::Occupation> = match (&q.parent, needle) {
                (Some(p), _) => occupation::children(p),
                (None, Some(n)) => occupation::search_by_name(n),
                (None, None) => occupation::major_groups(),
            };
            base.into_iter().take(200).map(|o| item(o.code, o.name, o.parent, o.level)).collect()
        }
        "industries" => {
            let base: Vec<&industry::Industry> = match &q.parent {
                Some(p) => industry::divisions_of(p),
                None => industry::sections(),
            };
            base.into_iter()
                .filter(|i| needle.is_none_or(|n| i.name.contains(n)))
                .map(|i| item(i.code, i.name, i.parent, i.level))
                .collect()
        }
        "education" => EducationLevel::all()
            .iter()
            .map(|e| CodeItem { name_en: Some(e.label_en().to_string()), ..item(e.code(), e.label_zh(), None, 1) })
            .collect(),
        "key_groups" => KeyGroup::all()
            .iter()
            .map(|k| CodeItem { name_en: Some(k.label_en().to_string()), ..item(k.id(), k.label_zh(), None, 1) })
            .collect(),
        _ => return Err(ApiError::NotFound),
    };
    Ok(axum::Json(out))
}
