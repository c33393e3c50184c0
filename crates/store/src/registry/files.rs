//! Reading a register file (CSV or Excel) into a [`Registry`]: all or nothing, every bad row named.

use crate::Result;
use crate::kit::files::{Table, blank, read_table};
use gongzhi_core::Registry;
use gongzhi_core::kit::Refused;
use gongzhi_core::registry::{Bounds, ColumnMap, RawRow, RegistryRefusal, RowError, RowProblem};
use std::collections::BTreeSet;
use std::path::Path;

/// A register file into a [`Registry`] within the default bounds, or every bad row.
pub fn read_registry(path: &Path) -> Result<Registry> {
    read_registry_within(path, &Bounds::default())
}

/// A register file into a [`Registry`], each unit's area within `bounds`, or every bad row.
pub fn read_registry_within(path: &Path, bounds: &Bounds) -> Result<Registry> {
    let check = |h: &[String]| -> Result<()> { ColumnMap::from_header(h).map(|_| ()).map_err(|e| bad_rows(e).into()) };
    let table = nonempty(path, read_table(path, &check)?)?;
    let map = ColumnMap::from_header(&table.header).map_err(bad_rows)?;
    // a row with a bad cell is named for that cell alone
    let mut errors = Vec::new();
    let mut bad_rows_at = BTreeSet::new();
    for b in &table.bad {
        let Some(field) = map.column_at(b.col) else { continue };
        bad_rows_at.insert(b.index);
        let unit = map.row(0, &table.body[b.index]).unit;
        errors.push(RowError {
            row: table.row_no(b.index),
            unit: (!unit.is_empty()).then_some(unit),
            field,
            problem: RowProblem::Cell { problem: b.problem.clone() },
        });
    }
    let rows: Vec<RawRow> = table
        .body
        .iter()
        .enumerate()
        .filter(|(i, r)| !blank(r) && !bad_rows_at.contains(i))
        .map(|(i, r)| map.row(table.row_no(i), r))
        .collect();
    match Registry::from_rows_within(&rows, bounds) {
        Ok(reg) if errors.is_empty() => Ok(reg),
        Ok(_) => Err(bad_rows(errors).into()),
        Err(more) => {
            // "no units" says nothing new when every row had a bad cell
            if errors.is_empty() || !rows.is_empty() {
                errors.extend(more);
            }
            errors.sort_by_key(|e| e.row);
            Err(bad_rows(errors).into())
        }
    }
}

/// Finds a column by its accepted names, or says which is missing.
// a bad header is rare and named in full; its size does not matter
#[allow(clippy::result_large_err)]
pub fn column(header: &[String], names: &[&str]) -> std::result::Result<usize, RowError> {
    header
        .iter()
        .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}').to_lowercase().as_str()))
        .ok_or_else(|| RowError {
            row: 0,
            unit: None,
            field: "header",
            problem: RowProblem::MissingColumn { column: names[0].to_string(), zh_name: names[1].to_string() },
        })
}

/// A table file with at least a header, refusing an empty file by name.
pub fn nonempty(path: &Path, table: Table) -> Result<Table> {
    if table.is_empty() {
        return RegistryRefusal::EmptyFile { file: path.display().to_string() }.err();
    }
    Ok(table)
}

/// The bad cells of a table in the given columns, as bad rows; `unit` names the unit column.
pub fn cell_errors(table: &Table, columns: &[(usize, &'static str)], unit: usize) -> Vec<RowError> {
    table
        .bad
        .iter()
        .filter_map(|b| {
            let (_, field) = columns.iter().find(|(c, _)| *c == b.col)?;
            let u = table.body[b.index].get(unit).map(|s| s.trim().to_string()).unwrap_or_default();
            Some(RowError {
                row: table.row_no(b.index),
                unit: (!u.is_empty()).then_some(u),
                field,
                problem: RowProblem::Cell { problem: b.problem.clone() },
            })
        })
        .collect()
}

/// Refuses a column named twice among `names` (the accepted names of one column).
// a bad header is rare and named in full; its size does not matter
#[allow(clippy::result_large_err)]
pub fn once(header: &[String], field: &'static str, names: &[&str]) -> std::result::Result<(), RowError> {
    let at: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| names.contains(&h.trim().trim_start_matches('\u{feff}').to_lowercase().as_str()))
        .map(|(i, _)| i)
        .collect();
    match at.as_slice() {
        [first, again, ..] => Err(RowError {
            row: 0,
            unit: None,
            field,
            problem: RowProblem::DuplicateColumn {
                column: header[*again].trim().to_string(),
                first: *first as i64 + 1,
                again: *again as i64 + 1,
            },
        }),
        _ => Ok(()),
    }
}

/// A file's bad rows as the refusal that names them all.
pub fn bad_rows(rows: Vec<RowError>) -> Refused {
    RegistryRefusal::rows(rows).refused()
}
