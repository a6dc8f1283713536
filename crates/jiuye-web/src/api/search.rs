//! Full-text search of open vacancies, and typeahead.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use jiuye_domain::CodeError;
use jiuye_domain::codes::{DistrictCode, EducationLevel, IndustryCode, OccupationCode, industry, occupation};
use jiuye_domain::messages::Lang;
use jiuye_domain::records::VacancyKind;
use jiuye_search::{Cursor, SearchQuery, Sort};

use super::Query;
use super::wire::{Problems, VacancyOut};
use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};

#[derive(Debug, Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words, job titles (synonyms count), or pinyin (`diangong`, `dg`).
    pub q: Option<String>,
    /// Xiamen district code.
    pub district: Option<String>,
    /// Occupation code at any level (`6`, `6-31`, `6-31-01-03`) or an exact name (`电工`).
    pub occupation: Option<String>,
    /// GB/T 4754 section (`C`) or division (`39`).
    pub industry: Option<String>,
    /// Wanted pay, yuan/month: vacancies whose range overlaps [salary_min, salary_max].
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<i32>)]
    pub salary_min: Option<i32>,
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<i32>)]
    pub salary_max: Option<i32>,
    /// The seeker's education (GB/T 4658 code): vacancies requiring at most this.
    pub education: Option<String>,
    /// `full_time`, `part_time`, `internship`, `public_welfare`, `gig`.
    pub kind: Option<String>,
    /// Opened within this many days.
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<u32>)]
    pub posted_within_days: Option<u32>,
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<String>)]
    pub employer_id: Option<uuid::Uuid>,
    /// Distance filter: all three together.
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<f64>)]
    pub lat: Option<f64>,
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<f64>)]
    pub lon: Option<f64>,
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<f64>)]
    pub radius_km: Option<f64>,
    /// `relevance` (default), `newest`, `salary`, `distance` (nearest first as people travel,
    /// from `from_district`).
    pub sort: Option<String>,
    /// The district a `distance` sort measures from (the seeker's home; pages fill it in).
    #[serde(default)]
    pub from_district: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–100, default 20.
    #[serde(default, deserialize_with = "super::empty_as_none")]
    #[param(value_type = Option<usize>)]
    pub limit: Option<usize>,
}

fn nonempty(o: &Option<String>) -> Option<&str> {
    o.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl SearchParams {
    /// Every problem at once, each naming its parameter.
    pub fn to_query(&self) -> Result<SearchQuery, ApiError> {
        let mut p = Problems::default();
        let district = nonempty(&self.district).and_then(|d| p.take("district", DistrictCode::parse(d)));
        let occupation =
            nonempty(&self.occupation).and_then(|o| p.take("occupation", OccupationCode::parse_code_or_name(o)));
        let industry = nonempty(&self.industry).and_then(|i| p.take("industry", IndustryCode::parse(i)));
        let education = nonempty(&self.education).and_then(|e| p.take("education", EducationLevel::parse(e)));
        let kind = nonempty(&self.kind).and_then(|k| p.take("kind", VacancyKind::parse(k)));
        let sort = match nonempty(&self.sort) {
            None => Sort::Relevance,
            Some(s) => Sort::parse(s).unwrap_or_else(|| {
                p.0.push(CodeError::new("input.enum").field("sort").arg("value", s));
                Sort::Relevance
            }),
        };
        let cursor = match nonempty(&self.cursor) {
            None => None,
            Some(c) => match Cursor::decode(c) {
                Some(c) if c.sort() == sort => Some(c),
                _ => {
                    p.0.push(CodeError::new("input.cursor").field("cursor"));
                    None
                }
            },
        };
        let text = nonempty(&self.q).map(str::to_string);
        if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
            p.0.push(CodeError::new("input.too_long").field("q").arg("max", "100"));
        }
        if let Some(l) = self.limit
            && !(1..=100).contains(&l)
        {
            p.0.push(CodeError::new("input.limit").field("limit"));
        }
        for (name, v) in [("salary_min", self.salary_min), ("salary_max", self.salary_max)] {
            if v.is_some_and(|v| !(0..=1_000_000).contains(&v)) {
                p.0.push(CodeError::new("salary.out_of_range").field(name));
            }
        }
        let from = nonempty(&self.from_district)
            .and_then(|d| p.take("from_district", DistrictCode::parse(d)))
            .map(|d| (jiuye_domain::geo::district_seat(&d), d));
        if sort == Sort::Distance && from.is_none() && nonempty(&self.from_district).is_none() {
            p.0.push(CodeError::new("search.distance_needs_origin").field("from_district"));
        }
        let near = match (self.lat, self.lon, self.radius_km) {
            (None, None, None) => None,
            (Some(lat), Some(lon), Some(km))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && km > 0.0 && km <= 200.0 =>
            {
                Some((lat, lon, km))
            }
            _ => {
                p.0.push(CodeError::new("search.near").field("radius_km"));
                None
            }
        };
        let q = SearchQuery {
            text,
            district,
            occupation,
            industry,
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            education,
            kind,
            posted_within_days: self.posted_within_days.map(|d| d.min(3650)),
            employer: self.employer_id,
            near,
            from,
            sort,
            limit: self.limit.unwrap_or(20),
            cursor,
        };
        p.finish(Some(q))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema, Default)]
pub struct FacetsOut {
    pub district: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    pub occupation: Vec<FacetCount>,
    pub industry: Vec<FacetCount>,
    pub education: Vec<FacetCount>,
    /// The counts are estimated from a sample (a broad query over very many vacancies).
    pub estimated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub vacancy: VacancyOut,
    pub score: f32,
    /// HTML-escaped text with `<b>` around the matched words.
    pub snippet_html: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    pub total: usize,
    pub items: Vec<SearchHit>,
    pub facets: FacetsOut,
    pub next_cursor: Option<String>,
    pub understood: UnderstoodOut,
}

/// How the text was read: words taken as filters or conditions, partial matching, words read
/// as others.
#[derive(Debug, Serialize, ToSchema, Default)]
pub struct UnderstoodOut {
    /// A district named in the text and used as the district filter.
    pub district: Option<String>,
    /// A kind of job named in the text and used as the kind filter.
    pub kind: Option<String>,
    /// Conditions named in the text (包住, 夜班 …): vacancies stating them come first.
    pub conditions: Vec<String>,
    /// Set when no vacancy holds every word (or only a few do): the results hold at least
    /// `at_least` of `words`, most words first.
    pub relaxed: Option<RelaxedOut>,
    /// Words read as others (a homophone, a typo).
    pub did_you_mean: Vec<DidYouMean>,
    /// Words no vacancy holds, however read, left out because the rest of the query said
    /// something (a district, a kind, a condition or other words).
    pub ignored: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelaxedOut {
    pub words: Vec<String>,
    /// How many vacancies hold all the words.
    pub all_words: usize,
    pub at_least: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DidYouMean {
    pub typed: String,
    pub meant: String,
}

impl UnderstoodOut {
    fn of(u: &jiuye_search::Understood) -> Self {
        UnderstoodOut {
            district: u.district.map(|d| d.as_str().to_string()),
            kind: u.kind.map(|k| k.as_str().to_string()),
            conditions: u.conditions.clone(),
            relaxed: u.relaxed.as_ref().map(|r| RelaxedOut {
                words: r.words.clone(),
                all_words: r.all_words,
                at_least: r.at_least,
            }),
            did_you_mean: u
                .did_you_mean
                .iter()
                .map(|(typed, meant)| DidYouMean { typed: typed.clone(), meant: meant.clone() })
                .collect(),
            ignored: u.ignored.clone(),
        }
    }
}

fn label(kind: &str, value: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match kind {
        "district" => DistrictCode::parse(value).map(|d| d.name().to_string()).unwrap_or_else(|_| value.into()),
        "kind" => jiuye_domain::messages::text(&format!("vacancy.kind.{value}"), lang),
        "occupation" => occupation::lookup(value).map(|o| o.name.to_string()).unwrap_or_else(|| value.into()),
        "industry" => industry::lookup(value).map(|i| i.name.to_string()).unwrap_or_else(|| value.into()),
        "education" => match EducationLevel::parse(value) {
            Ok(e) if zh => e.label_zh().to_string(),
            Ok(e) => e.label_en().to_string(),
            Err(_) => jiuye_domain::messages::text("ui.none", lang),
        },
        _ => value.into(),
    }
}

/// Run a search and load the hits from the store, in rank order.
pub async fn run(state: &AppState, q: &SearchQuery, lang: Lang) -> ApiResult<SearchOut> {
    let today = state.clock.today();
    let r = state.search.search(q, today).map_err(|e| {
        tracing::error!(%e, "search failed");
        ApiError::Unavailable
    })?;
    let ids: Vec<uuid::Uuid> = r.hits.iter().map(|h| h.id).collect();
    let vacancies = state.store.vacancies_by_ids(&ids).await?;
    let items = r
        .hits
        .iter()
        .filter_map(|h| {
            vacancies.iter().find(|v| v.id == h.id).map(|v| SearchHit {
                vacancy: VacancyOut::of(v, today),
                score: h.score,
                snippet_html: h.snippet_html.clone(),
            })
        })
        .collect();
    let counts = |kind: &str, v: &[(String, u64)]| -> Vec<FacetCount> {
        v.iter()
            .map(|(value, count)| FacetCount { value: value.clone(), label: label(kind, value, lang), count: *count })
            .collect()
    };
    Ok(SearchOut {
        total: r.total,
        items,
        facets: FacetsOut {
            district: counts("district", &r.facets.district),
            kind: counts("kind", &r.facets.kind),
            occupation: counts("occupation", &r.facets.occupation),
            industry: counts("industry", &r.facets.industry),
            education: counts("education", &r.facets.education),
            estimated: r.facets.estimated,
        },
        next_cursor: r.next_cursor.map(|c| c.encode()),
        understood: UnderstoodOut::of(&r.understood),
    })
}

#[utoipa::path(get, path = "/api/v1/vacancies/search", tag = "vacancies", params(SearchParams), responses(
    (status = 200, description = "Open vacancies matching the query, with facet counts and snippets", body = SearchOut),
    (status = 422, description = "A parameter is not valid", body = ErrorEnvelope)))]
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> ApiResult<axum::Json<SearchOut>> {
    let q = params.to_query()?;
    Ok(axum::Json(run(&state, &q, Lang::Zh).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SuggestParams {
    /// The start of a title or occupation, in Chinese or pinyin.
    pub q: String,
}

#[utoipa::path(get, path = "/api/v1/vacancies/suggest", tag = "vacancies", params(SuggestParams), responses(
    (status = 200, description = "Suggested titles and occupations, most common first", body = Vec<String>)))]
pub async fn suggest(
    State(state): State<AppState>,
    Query(p): Query<SuggestParams>,
) -> ApiResult<axum::Json<Vec<String>>> {
    let s = state.search.suggest(&p.q, 10).map_err(|_| ApiError::Unavailable)?;
    Ok(axum::Json(s))
}
