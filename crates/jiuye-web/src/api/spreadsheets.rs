//! Caseload export to xlsx, and bulk unemployment registration from xlsx with a row-by-row
//! report: valid rows go in (all in one transaction), invalid rows come back with the reason.

use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use jiuye_domain::CodeError;
use jiuye_domain::casework::RegistrationBasis;
use jiuye_domain::messages::{Lang, text};
use jiuye_domain::roles::Role;
use jiuye_store::{ImportRow, PageRequest};

use super::Query;
use super::caseload::CaseloadQuery;
use super::wire::PersonIn;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::xlsx::{XLSX_MIME, read_first_sheet, write_sheet};

/// Rows one export holds at most.
const MAX_EXPORT: usize = 50_000;

fn xlsx_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, XLSX_MIME.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

pub async fn caseload_rows(
    state: &AppState,
    viewer: &Viewer,
    q: &CaseloadQuery,
    lang: Lang,
) -> ApiResult<Vec<Vec<String>>> {
    let filter = q.filter(state, viewer)?;
    let today = state.clock.today();
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = state.store.caseload(&filter, &state.casework(), today, PageRequest::new(after, Some(100))).await?;
        for c in &page.items {
            let r = &c.registration;
            let status = state.casework().one31_status_of(r.next_131_due_on, today);
            rows.push(vec![
                c.name.clone(),
                c.national_id_masked.clone(),
                c.mobile.clone(),
                jiuye_domain::codes::DistrictCode::parse(&r.district).map(|d| d.name().to_string()).unwrap_or_default(),
                text(&format!("casework.tier.{}", r.tier), lang),
                r.registered_on.to_string(),
                text(&status.label_key(), lang),
                format!("{}/{}/{}", r.one31_done[0], r.one31_done[1], r.one31_done[2]),
                r.next_contact_on.to_string(),
                if r.unreachable { text("ui.cw.unreachable", lang) } else { String::new() },
            ]);
        }
        match page.next_cursor.as_deref().and_then(jiuye_store::Cursor::parse) {
            Some(c) if rows.len() < MAX_EXPORT => after = Some(c),
            _ => break,
        }
    }
    Ok(rows)
}

pub const EXPORT_HEADER: [&str; 10] = [
    "ui.field.name",
    "ui.field.national_id",
    "ui.field.mobile",
    "ui.field.residence_district",
    "ui.cw.tier",
    "ui.cw.registered_on",
    "ui.cw.one31",
    "ui.cw.done_131",
    "ui.cw.next_contact",
    "ui.cw.unreachable",
];

#[utoipa::path(get, path = "/api/v1/casework/caseload.xlsx", tag = "casework", params(CaseloadQuery), responses(
    (status = 200, description = "The filtered caseload as an xlsx workbook (ID numbers masked)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 422, description = "Unknown filter value", body = ErrorEnvelope)))]
pub async fn export_caseload(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CaseloadQuery>,
) -> ApiResult<Response> {
    let rows = caseload_rows(&state, &viewer, &q, Lang::Zh).await?;
    let bytes = write_sheet("caseload", &EXPORT_HEADER, &rows, Lang::Zh)?;
    Ok(xlsx_response(bytes, "caseload.xlsx"))
}

pub const IMPORT_HEADER: [&str; 11] = [
    "ui.field.id_number",
    "ui.field.name",
    "ui.field.mobile",
    "ui.field.residence_district",
    "ui.field.education",
    "ui.cw.basis",
    "ui.cw.registered_on",
    "ui.field.id_kind",
    "ui.field.nationality",
    "ui.field.birth_date",
    "ui.field.sex",
];

#[utoipa::path(get, path = "/api/v1/casework/import-template.xlsx", tag = "casework", responses(
    (status = 200, description = "The import template: one header row and an example row", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn import_template() -> ApiResult<Response> {
    let example = vec![vec![
        "(18位身份证号)".to_string(),
        "张三".into(),
        "13800138000".into(),
        "350203".into(),
        "30".into(),
        "常住地".into(),
        "2026-11-01".into(),
        "(居民身份证可留空；其他证件填 passport 等)".into(),
        "(护照填国籍，如 USA)".into(),
        "(通行证、护照填出生日期)".into(),
        "(通行证、护照填 male 或 female)".into(),
    ]];
    Ok(xlsx_response(write_sheet("import", &IMPORT_HEADER, &example, Lang::Zh)?, "registration-import.xlsx"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RowError {
    /// The spreadsheet row (1 is the header).
    pub row: usize,
    pub field: Option<String>,
    pub code: String,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub registered: usize,
    pub persons_created: usize,
    /// Rows not imported, each with why.
    pub errors: Vec<RowError>,
}

fn row_errors(row: usize, e: &ApiError) -> Vec<RowError> {
    let body = e.body();
    if body.details.is_empty() {
        vec![RowError { row, field: body.field, code: body.code, message: body.message, message_en: body.message_en }]
    } else {
        body.details
            .into_iter()
            .map(|d| RowError { row, field: d.field, code: d.code, message: d.message, message_en: d.message_en })
            .collect()
    }
}

fn parse_basis(s: &str) -> Result<RegistrationBasis, CodeError> {
    RegistrationBasis::ALL
        .iter()
        .copied()
        .find(|b| b.as_str() == s || text(&b.label_key(), Lang::Zh) == s)
        .ok_or_else(|| CodeError::new("input.enum").field("basis").arg("value", s))
}

/// Check every row, then register all the valid ones in one transaction.
pub async fn import(state: &AppState, viewer: &Viewer, bytes: &[u8]) -> ApiResult<ImportReport> {
    let sheet = read_first_sheet(bytes)?;
    let ctx = state.ctx(viewer);
    let today = state.clock.today();
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    let mut seen = HashSet::new();
    let data_rows: Vec<(usize, &Vec<String>)> = sheet
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, r)| (i + 1, r))
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .collect();
    for (row, cells) in &data_rows {
        let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
        let id = cell(0).to_uppercase();
        // Any kind of document: the kind in column 8 (a resident ID when empty), with the
        // nationality, birth date and sex that travel permits and passports do not carry.
        let kind = Some(cell(7).trim().to_string()).filter(|k| !k.is_empty() && k != "resident_id");
        let identity = kind.map(|kind| super::wire::IdentityIn {
            kind,
            number: id.clone(),
            nationality: Some(cell(8)).filter(|n| !n.trim().is_empty()),
        });
        let birth_date = match cell(9).trim() {
            "" => None,
            d => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors
                        .extend(row_errors(*row, &ApiError::invalid(CodeError::new("input.date").field("birth_date"))));
                    continue;
                }
            },
        };
        // Household origin: the province the number says (Hong Kong, Macao, Taiwan by their
        // permits); Fujian for documents that say none.
        let household_origin = match id.get(..2) {
            Some("81") => "810000".to_string(),
            Some("82") => "820000".to_string(),
            Some("83") => "710000".to_string(),
            Some(p) if identity.is_none() && p.bytes().all(|b| b.is_ascii_digit()) && !p.starts_with('9') => {
                format!("{p}0000")
            }
            _ => "350000".to_string(),
        };
        let body = PersonIn {
            identity,
            national_id: id.clone(),
            birth_date,
            sex: Some(cell(10)).filter(|s| !s.trim().is_empty()),
            name: cell(1),
            mobile: cell(2),
            district: cell(3),
            household_origin,
            education: cell(4),
            employment_status: "unemployed".into(),
            ..PersonIn::default()
        };
        let draft = match body.parse(today) {
            Ok(d) => d,
            Err(e) => {
                errors.extend(row_errors(*row, &e));
                continue;
            }
        };
        let basis = match parse_basis(&cell(5)) {
            Ok(b) => b,
            Err(e) => {
                errors.extend(row_errors(*row, &ApiError::invalid(e)));
                continue;
            }
        };
        let registered_on = match cell(6).as_str() {
            "" => today,
            s => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => match jiuye_domain::time::event_day("registered_on", d, today) {
                    Ok(()) => d,
                    Err(e) => {
                        errors.extend(row_errors(*row, &ApiError::Refused(e)));
                        continue;
                    }
                },
                Err(_) => {
                    errors.extend(row_errors(
                        *row,
                        &ApiError::invalid(CodeError::new("input.date").field("registered_on")),
                    ));
                    continue;
                }
            },
        };
        if jiuye_core::lists::may_place(&ctx, draft.district.as_str()).is_err() {
            errors.extend(row_errors(
                *row,
                &ApiError::invalid(CodeError::new("import.other_district").field("district")),
            ));
            continue;
        }
        let hash = state.vault.lookup_hash(&draft.identity);
        if !seen.insert(hash.clone()) {
            errors.extend(row_errors(
                *row,
                &ApiError::invalid(CodeError::new("import.duplicate_row").field("national_id")),
            ));
            continue;
        }
        if let Some(p) = state.store.person_by_hash(&hash).await? {
            if jiuye_core::lists::may_place(&ctx, p.district.as_str()).is_err() {
                errors.extend(row_errors(
                    *row,
                    &ApiError::invalid(CodeError::new("import.other_district").field("district")),
                ));
                continue;
            }
            if let Some(r) = state.store.active_registration_of(p.id).await? {
                // The same refusal a desk registration gets, naming the existing one.
                let e = jiuye_store::repo::registrations::already_registered(&r.district, r.registered_on);
                errors.extend(row_errors(*row, &ApiError::Refused(e)));
                continue;
            }
        }
        valid.push(ImportRow { draft, basis, registered_on });
    }
    let caseworker = viewer.account.as_ref().filter(|a| a.role == Role::Caseworker).map(|a| a.id);
    let (created, registered) = if valid.is_empty() {
        (0, 0)
    } else {
        state
            .store
            .import_registrations(
                &valid,
                &state.vault,
                caseworker,
                &state.casework(),
                today,
                &viewer.audit(),
                state.clock.now(),
            )
            .await?
    };
    errors.sort_by_key(|e| e.row);
    Ok(ImportReport { rows: data_rows.len(), registered, persons_created: created, errors })
}

#[utoipa::path(post, path = "/api/v1/casework/import", tag = "casework",
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        description = "Columns: 证件号码, 姓名, 手机号码, 所在区代码, 学历代码, 登记地 (常住地/就业地/参保地/户籍地), 登记日期 (optional), 证件类型 (optional: resident_id, hkmo_residence_permit, taiwan_residence_permit, foreign_permanent_residence, taiwan_travel_permit, hkmo_travel_permit, passport), 国籍 (passports), 出生日期 and 性别 (travel permits and passports); row 1 is the header"),
    responses(
        (status = 200, description = "What was registered, and every row that was not with its reason", body = ImportReport),
        (status = 413, description = "File too large", body = ErrorEnvelope),
        (status = 422, description = "Not an xlsx file", body = ErrorEnvelope)))]
pub async fn import_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> ApiResult<axum::Json<ImportReport>> {
    Ok(axum::Json(import(&state, &viewer, &body).await?))
}
