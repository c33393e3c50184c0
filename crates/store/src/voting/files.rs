//! Reading ballot and delivery files for `gongzhi tally`: all or nothing, every bad row named.

use crate::Result;
use crate::kit::files::{Table, blank, read_table};
use crate::registry::files::{bad_rows, cell_errors, column, nonempty, once};
use gongzhi_core::registry::{RowError, RowProblem};
use gongzhi_core::voting::tally::Delivery;
use gongzhi_core::{Ballot, Choice, UnitNo};
use std::path::Path;

const UNIT: &[&str] = &["unit", "房号", "室号"];
const CHOICE: &[&str] = &["choice", "表决意见", "意见", "选择"];

/// The columns `wanted` (field, accepted names) of a header, each once, or every header problem.
// a bad header is rare and named in full; its size does not matter
#[allow(clippy::result_large_err)]
fn columns(header: &[String], wanted: &[(&'static str, &[&str])]) -> std::result::Result<Vec<usize>, Vec<RowError>> {
    let mut at = Vec::new();
    let mut errors = Vec::new();
    for (field, names) in wanted {
        match column(header, names).and_then(|c| once(header, field, names).map(|_| c)) {
            Ok(c) => at.push(c),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(at) } else { Err(errors) }
}

fn read(path: &Path, wanted: &[(&'static str, &[&str])]) -> Result<(Table, Vec<usize>)> {
    let check = |h: &[String]| -> Result<()> { columns(h, wanted).map(|_| ()).map_err(|e| bad_rows(e).into()) };
    let table = nonempty(path, read_table(path, &check)?)?;
    let at = columns(&table.header, wanted).map_err(bad_rows)?;
    Ok((table, at))
}

/// `unit,choice` (房号,表决意见) with approve|oppose|abstain or 同意|反对|弃权.
pub fn read_ballots(path: &Path) -> Result<Vec<Ballot>> {
    let (table, at) = read(path, &[("unit", UNIT), ("choice", CHOICE)])?;
    let (uc, cc) = (at[0], at[1]);
    let mut errors = cell_errors(&table, &[(uc, "unit"), (cc, "choice")], uc);
    let bad_rows_at: Vec<usize> = table.bad.iter().filter(|b| b.col == uc || b.col == cc).map(|b| b.index).collect();
    let mut out = Vec::new();
    for (i, r) in table.body.iter().enumerate() {
        if blank(r) || bad_rows_at.contains(&i) {
            continue;
        }
        let row = table.row_no(i);
        let unit_s = r.get(uc).map(|s| s.trim()).unwrap_or("");
        let choice_s = r.get(cc).map(|s| s.trim()).unwrap_or("");
        let unit = UnitNo::parse(unit_s);
        let choice = Choice::parse(choice_s);
        if unit.is_none() {
            errors.push(RowError {
                row,
                unit: Some(unit_s.into()),
                field: "unit",
                problem: RowProblem::NotAUnitNumber { value: unit_s.into() },
            });
        }
        if choice.is_none() {
            errors.push(RowError {
                row,
                unit: Some(unit_s.into()),
                field: "choice",
                problem: RowProblem::UnknownChoice { value: choice_s.into() },
            });
        }
        if let (Some(unit), Some(choice)) = (unit, choice) {
            out.push(Ballot { unit, choice, row });
        }
    }
    errors.sort_by_key(|e| e.row);
    if errors.is_empty() { Ok(out) } else { Err(bad_rows(errors).into()) }
}

/// `unit` (房号): units whose ballot was delivered.
pub fn read_delivered(path: &Path) -> Result<Vec<Delivery>> {
    let (table, at) = read(path, &[("unit", UNIT)])?;
    let uc = at[0];
    let mut errors = cell_errors(&table, &[(uc, "unit")], uc);
    let bad_rows_at: Vec<usize> = table.bad.iter().filter(|b| b.col == uc).map(|b| b.index).collect();
    let mut out = Vec::new();
    for (i, r) in table.body.iter().enumerate() {
        if blank(r) || bad_rows_at.contains(&i) {
            continue;
        }
        let s = r.get(uc).map(|s| s.trim()).unwrap_or("");
        match UnitNo::parse(s) {
            Some(unit) => out.push(Delivery { unit, row: table.row_no(i) }),
            None => errors.push(RowError {
                row: table.row_no(i),
                unit: Some(s.into()),
                field: "unit",
                problem: RowProblem::NotAUnitNumber { value: s.into() },
            }),
        }
    }
    errors.sort_by_key(|e| e.row);
    if errors.is_empty() { Ok(out) } else { Err(bad_rows(errors).into()) }
}
