//! Persons: desk lookup and registration (district-scoped), the seeker's own profile, and the
//! audited reveal of a full ID number.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use jiuye_store::PersonFilter;

use super::wire::{PageOut, PersonIn, PersonOut, identity_of};
use super::{Paging, Query, parse_id};
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::json::Json;

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// Name contains, or exact mobile number.
    pub q: Option<String>,
    /// City admins may pick a district; district staff always see their own.
    pub district: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u64>,
}

/// The district filter a viewer may use: their own for district staff, any for the city.
/// Providers have no list of persons: they see the people their contracts cover, one by one.
pub fn scoped_filter(state: &AppState, viewer: &Viewer, q: &PersonQuery) -> ApiResult<Option<PersonFilter>> {
    match jiuye_core::lists::list_district(&state.ctx(viewer), q.district.as_deref()) {
        Ok(district) => Ok(Some(PersonFilter { district, q: q.q.clone(), national_id_hash: None })),
        Err(jiuye_core::CoreError::Forbidden) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", params(PersonQuery), responses(
    (status = 200, description = "Persons in the viewer's scope, newest first", body = PageOut<PersonOut>),
    (status = 403, description = "Not permitted", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PersonQuery>,
) -> ApiResult<axum::Json<PageOut<PersonOut>>> {
    let page = Paging { cursor: q.cursor.clone(), limit: q.limit }.request()?;
    let Some(filter) = scoped_filter(&state, &viewer, &q)? else {
        return Ok(axum::Json(PageOut { items: Vec::new(), next_cursor: None }));
    };
    let page = state.store.list_persons(&filter, page).await?;
    Ok(axum::Json(PageOut { items: page.items.iter().map(PersonOut::from).collect(), next_cursor: page.next_cursor }))
}

#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", request_body = PersonIn, responses(
    (status = 201, description = "Registered at a desk", body = PersonOut),
    (status = 409, description = "This ID number is already registered", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<PersonIn>,
) -> ApiResult<(StatusCode, axum::Json<PersonOut>)> {
    let draft = body.parse(state.clock.today())?;
    jiuye_core::lists::may_place(&state.ctx(&viewer), draft.district.as_str())?;
    let (person, _) = state.store.create_person(&draft, &state.vault, None, &viewer.audit(), state.clock.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(PersonOut::from(&person))))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = String, Path)), responses(
    (status = 200, description = "The person", body = PersonOut),
    (status = 404, description = "Unknown, or outside the viewer's district", body = ErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PersonOut>> {
    let person = state.core().person(&state.ctx(&viewer), parse_id(&id)?).await?.person;
    Ok(axum::Json(PersonOut::from(&person)))
}

#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = String, Path)), request_body = PersonIn, responses(
    (status = 200, description = "Updated", body = PersonOut),
    (status = 404, description = "Unknown, or outside the viewer's district", body = ErrorEnvelope),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<PersonIn>,
) -> ApiResult<axum::Json<PersonOut>> {
    let id = parse_id(&id)?;
    // The record itself belongs to the district the person lives in.
    let current = state.core().person_record(&state.ctx(&viewer), id).await?;
    let changes = parse_update(&state, &body, &current).await?;
    // Moving someone to another district hands their record over: only the city may.
    jiuye_core::lists::may_place(&state.ctx(&viewer), changes.district.as_str())?;
    let person = state.store.update_person(id, &changes, &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(PersonOut::from(&person)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FullNationalId {
    pub person_id: uuid::Uuid,
    /// The full number. This read is recorded in the audit log.
    pub national_id: String,
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/national-id", tag = "persons", params(("id" = String, Path)), responses(
    (status = 200, description = "The full ID number (audited)", body = FullNationalId),
    (status = 403, description = "Role may not see full numbers", body = ErrorEnvelope),
    (status = 404, description = "Unknown, or outside the viewer's district", body = ErrorEnvelope)))]
pub async fn reveal(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<FullNationalId>> {
    let id = parse_id(&id)?;
    state.core().person(&state.ctx(&viewer), id).await?;
    let full = state.store.reveal_national_id(id, &state.vault, &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(FullNationalId { person_id: id, national_id: full }))
}

fn own_person_id(viewer: &Viewer) -> Result<uuid::Uuid, ApiError> {
    viewer.account.as_ref().and_then(|a| a.person_id).ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/me/profile", tag = "persons", responses(
    (status = 200, description = "The seeker's own profile", body = PersonOut)))]
pub async fn my_profile(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<PersonOut>> {
    let person = state.store.person_by_id(own_person_id(&viewer)?).await?;
    Ok(axum::Json(PersonOut::from(&person)))
}

#[utoipa::path(put, path = "/api/v1/me/profile", tag = "persons", request_body = PersonIn, responses(
    (status = 200, description = "Updated", body = PersonOut),
    (status = 422, description = "Invalid input", body = ErrorEnvelope)))]
pub async fn update_my_profile(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<PersonIn>,
) -> ApiResult<axum::Json<PersonOut>> {
    let id = own_person_id(&viewer)?;
    let current = state.store.person_by_id(id).await?;
    let changes = parse_update(&state, &body, &current).await?;
    let person = state.store.update_person(id, &changes, &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(PersonOut::from(&person)))
}

/// Where the person's trips start, as they set it: a point from their device, kept as a cell.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginIn {
    pub latitude: f64,
    pub longitude: f64,
}

/// Where distances are measured from for this person.
#[derive(Debug, Serialize, ToSchema)]
pub struct OriginOut {
    /// `set`: from the cell the person set; `district`: from their district's seat.
    pub source: &'static str,
    /// The H3 cell (resolution 9, about 0.1 km²) when set.
    pub cell: Option<String>,
    /// The point distances are measured from (the cell's centre, or the seat), 4 decimals.
    pub latitude: f64,
    pub longitude: f64,
}

impl OriginOut {
    pub fn of(p: &jiuye_domain::records::Person) -> Self {
        let (lat, lon) = p.origin();
        let round = |x: f64| (x * 1e4).round() / 1e4;
        OriginOut {
            source: if p.home_cell.is_some() { "set" } else { "district" },
            cell: p.home_cell.map(|c| format!("{c:x}")),
            latitude: round(lat),
            longitude: round(lon),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me/origin", tag = "persons", responses(
    (status = 200, description = "Where the seeker's distances are measured from", body = OriginOut)))]
pub async fn my_origin(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<OriginOut>> {
    let person = state.store.person_by_id(own_person_id(&viewer)?).await?;
    Ok(axum::Json(OriginOut::of(&person)))
}

#[utoipa::path(put, path = "/api/v1/me/origin", tag = "persons", request_body = OriginIn, responses(
    (status = 200, description = "Set: kept as the cell holding the point", body = OriginOut),
    (status = 422, description = "Outside Xiamen, or across the water from the person's district", body = ErrorEnvelope)))]
pub async fn set_my_origin(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<OriginIn>,
) -> ApiResult<axum::Json<OriginOut>> {
    let id = own_person_id(&viewer)?;
    let person = state.store.person_by_id(id).await?;
    let cell = jiuye_domain::geo::home_cell_in((body.latitude, body.longitude), &person.district)
        .map_err(ApiError::invalid)?;
    let person = state.store.set_home_cell(id, Some(cell), &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(OriginOut::of(&person)))
}

#[utoipa::path(delete, path = "/api/v1/me/origin", tag = "persons", responses(
    (status = 200, description = "Cleared: distances are measured from the district's seat again", body = OriginOut)))]
pub async fn clear_my_origin(State(state): State<AppState>, viewer: Viewer) -> ApiResult<axum::Json<OriginOut>> {
    let id = own_person_id(&viewer)?;
    let person = state.store.set_home_cell(id, None, &viewer.audit(), state.clock.now()).await?;
    Ok(axum::Json(OriginOut::of(&person)))
}

/// Parse an update; a supplied ID number must be the person's own (it cannot be changed).
async fn parse_update(
    state: &AppState,
    body: &PersonIn,
    current: &jiuye_domain::records::Person,
) -> Result<jiuye_domain::records::PersonChanges, ApiError> {
    if !body.national_id.trim().is_empty() || body.identity.is_some() {
        let id =
            identity_of(body.identity.as_ref(), &body.national_id, state.clock.today()).map_err(ApiError::invalid)?;
        let same = state.store.person_by_identity(&id, &state.vault).await.map(|p| p.id == current.id).unwrap_or(false);
        if !same {
            return Err(ApiError::Conflict("national_id_immutable"));
        }
    }
    body.parse_changes()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupIn {
    /// The full document number. Sent in the body, never in a URL, so it stays out of logs and
    /// history. Any kind of document; a passport needs `kind` and `nationality`.
    pub national_id: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub nationality: Option<String>,
}

/// Find the person holding this document, within the viewer's scope: of the kind named, or
/// recognised from the number.
pub async fn find_by_national_id(
    state: &AppState,
    viewer: &Viewer,
    raw: &str,
    kind: Option<&str>,
    nationality: Option<&str>,
) -> Result<jiuye_domain::records::Person, ApiError> {
    let id = crate::api::session::seeker_identity(state, raw, kind, nationality).map_err(|e| match e {
        ApiError::Invalid(errs) => ApiError::Invalid(
            errs.into_iter()
                .map(|e| if e.field.as_deref() == Some("identifier") { e.field("national_id") } else { e })
                .collect(),
        ),
        other => other,
    })?;
    let person = state.store.person_by_identity(&id, &state.vault).await?;
    Ok(state.core().person(&state.ctx(viewer), person.id).await?.person)
}

#[utoipa::path(post, path = "/api/v1/persons/lookup", tag = "persons", request_body = LookupIn, responses(
    (status = 200, description = "The person with this ID number", body = PersonOut),
    (status = 404, description = "Unknown, or outside the viewer's district", body = ErrorEnvelope),
    (status = 422, description = "Not a valid ID number", body = ErrorEnvelope)))]
pub async fn lookup(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<LookupIn>,
) -> ApiResult<axum::Json<PersonOut>> {
    let person =
        find_by_national_id(&state, &viewer, &body.national_id, body.kind.as_deref(), body.nationality.as_deref())
            .await?;
    Ok(axum::Json(PersonOut::from(&person)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIdentityIn {
    /// Another document of the same person: the old and the new permanent residence card, a
    /// 台胞证 beside a 台湾居民居住证.
    pub identity: super::wire::IdentityIn,
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/identities", tag = "persons", params(("id" = String, Path)), request_body = LinkIdentityIn, responses(
    (status = 204, description = "Linked: the person is found by either number"),
    (status = 404, description = "Unknown, or not a case of the viewer's district", body = ErrorEnvelope),
    (status = 409, description = "Another person holds that number", body = ErrorEnvelope),
    (status = 422, description = "Not a valid document, or one whose birth date or nationality is not this person's", body = ErrorEnvelope)))]
pub async fn link_identity(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Json(body): Json<LinkIdentityIn>,
) -> ApiResult<StatusCode> {
    let case = state.core().case(&state.ctx(&viewer), parse_id(&id)?).await?;
    let other = body.identity.parse(state.clock.today()).map_err(ApiError::invalid)?;
    // What the document itself says must be this person's.
    let p = &case.person;
    if other.birth_date().is_some_and(|d| d != p.birth_date) {
        return Err(ApiError::invalid(jiuye_domain::CodeError::new("identity.other_holder").field("identity.number")));
    }
    if other.nationality().is_some_and(|n| p.nationality.is_some_and(|mine| mine != n)) {
        return Err(ApiError::invalid(
            jiuye_domain::CodeError::new("identity.other_holder").field("identity.nationality"),
        ));
    }
    state.store.link_identity(p.id, &other, &state.vault, &viewer.audit(), state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
