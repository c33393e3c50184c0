//! Reading the files a committee keeps: registers (CSV or Excel), ballots and delivery lists.
//! Every reader is all-or-nothing and names each bad row.

use crate::{Result, StoreError};
use gongzhi_core::registry::{ColumnMap, RawRow};
use gongzhi_core::tally::Delivery;
use gongzhi_core::{Ballot, Choice, Registry, RowError, UnitNo};
use std::path::Path;

/// The rows of a table file, header first: `.xlsx` through calamine, anything else as CSV
/// (UTF-8, with or without the BOM Excel writes).
pub fn read_table(path: &Path) -> Result<Vec<Vec<String>>> {
    let io = |e: &dyn std::fmt::Display| StoreError::BadInput(format!("{}: {e}", path.display()));
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "xlsx" || ext == "xlsm" {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| io(&e))?;
        let range = wb.worksheet_range_at(0).ok_or_else(|| io(&"the workbook has no sheet"))?.map_err(|e| io(&e))?;
        return Ok(range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|c| match c {
                        // Excel keeps numbers as doubles; the shortest form that reads back is the
                        // decimal the clerk typed (85.52, not 85.5200000000003).
                        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                            format!("{}", *f as i64)
                        }
                        Data::Float(f) => format!("{f}"),
                        Data::Int(i) => i.to_string(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect());
    }
    let bytes = std::fs::read(path).map_err(|e| io(&e))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| io(&"the file is not UTF-8 text (save it as CSV UTF-8)"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| io(&format!("row {}: {e}", i + 1)))?;
        rows.push(rec.iter().map(|s| s.to_string()).collect());
    }
    Ok(rows)
}

fn blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// A register file into a [`Registry`], or every bad row.
pub fn read_registry(path: &Path) -> Result<Registry> {
    let table = read_table(path)?;
    let Some((header, body)) = table.split_first() else {
        return Err(StoreError::BadInput(format!("{}: the file is empty", path.display())));
    };
    let map = ColumnMap::from_header(header).map_err(StoreError::Rows)?;
    let rows: Vec<RawRow> =
        body.iter().enumerate().filter(|(_, r)| !blank(r)).map(|(i, r)| map.row(i + 2, r)).collect();
    Registry::from_rows(&rows).map_err(StoreError::Rows)
}

/// Finds a column by its accepted names, or says which is missing.
fn column(header: &[String], names: &[&str]) -> std::result::Result<usize, RowError> {
    header
        .iter()
        .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}').to_lowercase().as_str()))
        .ok_or_else(|| RowError {
            row: 0,
            unit: None,
            field: "header",
            message: format!("missing column '{}' ({})", names[0], names[1]),
        })
}

/// `unit,choice` (房号,表决意见) with approve|oppose|abstain or 同意|反对|弃权.
pub fn read_ballots(path: &Path) -> Result<Vec<Ballot>> {
    let table = read_table(path)?;
    let Some((header, body)) = table.split_first() else {
        return Err(StoreError::BadInput(format!("{}: the file is empty", path.display())));
    };
    let uc = column(header, &["unit", "房号", "室号"]);
    let cc = column(header, &["choice", "表决意见", "意见", "选择"]);
    let (uc, cc) = match (uc, cc) {
        (Ok(u), Ok(c)) => (u, c),
        (u, c) => {
            return Err(StoreError::Rows([u.err(), c.err()].into_iter().flatten().collect()));
        }
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in body.iter().enumerate() {
        if blank(r) {
            continue;
        }
        let row = i + 2;
        let unit_s = r.get(uc).map(|s| s.trim()).unwrap_or("");
        let choice_s = r.get(cc).map(|s| s.trim()).unwrap_or("");
        let unit = UnitNo::parse(unit_s);
        let choice = Choice::parse(choice_s);
        if unit.is_none() {
            errors.push(RowError {
                row,
                unit: Some(unit_s.into()),
                field: "unit",
                message: format!("'{unit_s}' is not a unit number like 13-701"),
            });
        }
        if choice.is_none() {
            errors.push(RowError {
                row,
                unit: Some(unit_s.into()),
                field: "choice",
                message: format!("unknown choice '{choice_s}' (approve, oppose, abstain / 同意, 反对, 弃权)"),
            });
        }
        if let (Some(unit), Some(choice)) = (unit, choice) {
            out.push(Ballot { unit, choice, row });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(StoreError::Rows(errors)) }
}

/// `unit` (房号): units whose ballot was delivered.
pub fn read_delivered(path: &Path) -> Result<Vec<Delivery>> {
    let table = read_table(path)?;
    let Some((header, body)) = table.split_first() else {
        return Err(StoreError::BadInput(format!("{}: the file is empty", path.display())));
    };
    let uc = column(header, &["unit", "房号", "室号"]).map_err(|e| StoreError::Rows(vec![e]))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in body.iter().enumerate() {
        if blank(r) {
            continue;
        }
        let s = r.get(uc).map(|s| s.trim()).unwrap_or("");
        match UnitNo::parse(s) {
            Some(unit) => out.push(Delivery { unit, row: i + 2 }),
            None => errors.push(RowError {
                row: i + 2,
                unit: Some(s.into()),
                field: "unit",
                message: format!("'{s}' is not a unit number like 13-701"),
            }),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(StoreError::Rows(errors)) }
}
