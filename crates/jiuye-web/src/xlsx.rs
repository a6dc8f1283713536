//! Spreadsheets at the edge: the caseload export and the bulk-registration import (xlsx).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

use jiuye_domain::CodeError;
use jiuye_domain::messages::{Lang, text};

use crate::error::ApiError;

/// The largest upload accepted (a city district's yearly registrations fit many times over).
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;
/// Rows read from one import.
pub const MAX_ROWS: usize = 5_000;

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One sheet: a header row of catalogue labels, then the rows as text.
pub fn write_sheet(
    sheet_name: &str,
    header_keys: &[&str],
    rows: &[Vec<String>],
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(%e, "writing a spreadsheet");
        ApiError::Internal
    };
    ws.set_name(sheet_name).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, key) in header_keys.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, col, text(key, lang), &bold).map_err(fail)?;
        ws.set_column_width(col, 16).map_err(fail)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let at = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, v) in row.iter().enumerate() {
            ws.write_string(at, u16::try_from(c).unwrap_or(u16::MAX), v).map_err(fail)?;
        }
    }
    wb.save_to_buffer().map_err(fail)
}

/// The first sheet's rows as text (dates as YYYY-MM-DD, whole numbers without ".0").
pub fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, ApiError> {
    if bytes.len() > MAX_UPLOAD {
        return Err(ApiError::PayloadTooLarge);
    }
    let bad = || ApiError::invalid(CodeError::new("import.not_xlsx").field("file"));
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|_| bad())?;
    let range = wb.worksheet_range_at(0).ok_or_else(bad)?.map_err(|_| bad())?;
    let mut out = Vec::new();
    for row in range.rows() {
        if out.len() > MAX_ROWS {
            return Err(ApiError::invalid(
                CodeError::new("import.too_many_rows").field("file").arg("max", MAX_ROWS.to_string()),
            ));
        }
        out.push(row.iter().map(cell_text).collect());
    }
    Ok(out)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        // Excel counts days from 1899-12-30 (the 1900 leap-year quirk folded in).
        Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(d.as_f64().floor() as i64)))
            .map(|d| d.to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(_) => String::new(),
    }
}
