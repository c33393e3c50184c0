//! Reading a register file (CSV or Excel) into a [`Registry`]: all or nothing, every bad row named.

use crate::Result;
use crate::kit::files::{bad_rows, blank, read_table, split_table};
use gongzhi_core::Registry;
use gongzhi_core::registry::{ColumnMap, RawRow};
use std::path::Path;

/// A register file into a [`Registry`], or every bad row.
pub fn read_registry(path: &Path) -> Result<Registry> {
    let (header, body) = split_table(path, read_table(path)?)?;
    let map = ColumnMap::from_header(&header).map_err(bad_rows)?;
    let rows: Vec<RawRow> =
        body.iter().enumerate().filter(|(_, r)| !blank(r)).map(|(i, r)| map.row(i + 2, r)).collect();
    Ok(Registry::from_rows(&rows).map_err(bad_rows)?)
}
