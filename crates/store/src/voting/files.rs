//! Reading ballot and delivery files for `gongzhi tally`: all or nothing, every bad row named.

use crate::Result;
use crate::kit::files::{blank, read_table};
use crate::registry::files::{bad_rows, column, split_table};
use gongzhi_core::registry::{RowError, RowProblem};
use gongzhi_core::voting::tally::Delivery;
use gongzhi_core::{Ballot, Choice, UnitNo};
use std::path::Path;

/// `unit,choice` (房号,表决意见) with approve|oppose|abstain or 同意|反对|弃权.
pub fn read_ballots(path: &Path) -> Result<Vec<Ballot>> {
    let (header, body) = split_table(path, read_table(path)?)?;
    let header = &header[..];
    let uc = column(header, &["unit", "房号", "室号"]);
    let cc = column(header, &["choice", "表决意见", "意见", "选择"]);
    let (uc, cc) = match (uc, cc) {
        (Ok(u), Ok(c)) => (u, c),
        (u, c) => {
            return Err(bad_rows([u.err(), c.err()].into_iter().flatten().collect()).into());
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
    if errors.is_empty() { Ok(out) } else { Err(bad_rows(errors).into()) }
}

/// `unit` (房号): units whose ballot was delivered.
pub fn read_delivered(path: &Path) -> Result<Vec<Delivery>> {
    let (header, body) = split_table(path, read_table(path)?)?;
    let header = &header[..];
    let uc = column(header, &["unit", "房号", "室号"]).map_err(|e| bad_rows(vec![e]))?;
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
                problem: RowProblem::NotAUnitNumber { value: s.into() },
            }),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(bad_rows(errors).into()) }
}
