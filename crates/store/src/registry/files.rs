//! Reading a register file (CSV or Excel) into a [`Registry`]: all or nothing, every bad row named.

use crate::Result;
use crate::kit::files::{blank, read_table};
use gongzhi_core::Registry;
use gongzhi_core::kit::Refused;
use gongzhi_core::registry::{ColumnMap, RawRow, RegistryRefusal, RowError, RowProblem};
use std::path::Path;

/// A register file into a [`Registry`], or every bad row.
pub fn read_registry(path: &Path) -> Result<Registry> {
    let (header, body) = split_table(path, read_table(path)?)?;
    let map = ColumnMap::from_header(&header).map_err(bad_rows)?;
    let rows: Vec<RawRow> =
        body.iter().enumerate().filter(|(_, r)| !blank(r)).map(|(i, r)| map.row(i + 2, r)).collect();
    Ok(Registry::from_rows(&rows).map_err(bad_rows)?)
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

/// The header and body of a table file, refusing an empty file by name.
pub fn split_table(path: &Path, table: Vec<Vec<String>>) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut it = table.into_iter();
    match it.next() {
        Some(header) => Ok((header, it.collect())),
        None => RegistryRefusal::EmptyFile { file: path.display().to_string() }.err(),
    }
}

/// A file's bad rows as the refusal that names them all.
pub fn bad_rows(rows: Vec<RowError>) -> Refused {
    RegistryRefusal::rows(rows).refused()
}
