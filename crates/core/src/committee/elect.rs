//! The core of `gongzhi elect --units UNITS.csv --ballots BALLOTS.csv --candidates "A;B;C"
//! --seats N [--alternates K]`: the options and the ballots file as text in, the counted result
//! out. The glue reads UNITS.csv into a [`Registry`] as `gongzhi tally` does.

use crate::committee::election::{ElectionBallot, ElectionResult, check, check_slate, combine, count_checked};
use crate::committee::refusal::CommitteeRefusal as R;
use crate::kit::Refused;
use crate::registry::{Registry, UnitNo};

/// What `gongzhi elect` prints: `serde_json` gives its JSON, [`ElectionResult::text`] its text.
pub type ElectOutput = ElectionResult;

/// Names separated by `;` or `；`, trimmed; empty pieces dropped.
fn names(s: &str) -> Vec<String> {
    s.split([';', '；']).map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect()
}

/// The slate from `--candidates`: not empty, no name twice.
pub fn parse_slate(s: &str) -> Result<Vec<String>, Refused> {
    let slate = names(s);
    check_slate(&slate)?;
    Ok(slate)
}

/// `--seats`: a whole number of at least 1.
pub fn parse_seats(s: &str) -> Result<u32, Refused> {
    match s.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(R::BadSeats { value: s.trim().into() }.refused()),
    }
}

/// `--alternates`: a whole number, 0 when absent.
pub fn parse_alternates(s: Option<&str>) -> Result<u32, Refused> {
    match s {
        None => Ok(0),
        Some(s) => s.trim().parse::<u32>().map_err(|_| R::BadAlternates { value: s.trim().into() }.refused()),
    }
}

/// The ballots file `unit,approve` (a UTF-8 BOM allowed): every row, or every bad row. Rows are
/// numbered as a spreadsheet shows them, the header being row 1.
pub fn parse_ballots(text: &str) -> Result<Vec<ElectionBallot>, Vec<R>> {
    match read(text) {
        (b, e) if e.is_empty() => Ok(b),
        (_, e) => Err(e),
    }
}

/// The readable rows and the errors of the others; no rows when the header is bad.
fn read(text: &str) -> (Vec<ElectionBallot>, Vec<R>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        None => return (vec![], vec![R::BallotsEmpty]),
        Some(Err(e)) => return (vec![], vec![R::BallotsUnreadable { row: 1, reason: e.to_string() }]),
        Some(Ok(h)) => h,
    };
    let (mut unit_col, mut approve_col, mut errors) = (None, None, Vec::new());
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}').trim();
        let slot = match h.to_lowercase().as_str() {
            // a spreadsheet's empty trailing column; a value under it is refused as an extra cell
            "" => continue,
            "unit" => &mut unit_col,
            "approve" => &mut approve_col,
            _ => {
                errors.push(R::UnknownColumn { column: h.into() });
                continue;
            }
        };
        if slot.replace(i).is_some() {
            errors.push(R::DuplicateColumn { column: h.into() });
        }
    }
    for (col, name) in [(unit_col, "unit"), (approve_col, "approve")] {
        if col.is_none() {
            errors.push(R::MissingColumn { column: name.into() });
        }
    }
    let (Some(uc), Some(ac)) = (unit_col, approve_col) else { return (vec![], errors) };
    if !errors.is_empty() {
        return (vec![], errors);
    }
    let mut out = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, |p| line_at(text, p.byte()));
                errors.push(R::BallotsUnreadable { row, reason: e.to_string() });
                continue;
            }
        };
        let row = rec.position().map_or(0, |p| line_at(text, p.byte()));
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.iter().enumerate().any(|(i, c)| i != uc && i != ac && !c.trim().is_empty()) {
            errors.push(R::ExtraCells { row, cells: rec.len() });
            continue;
        }
        let unit_s = rec.get(uc).unwrap_or("").trim();
        let Some(unit) = UnitNo::parse(unit_s) else {
            errors.push(R::BadUnitNumber { row, value: unit_s.into() });
            continue;
        };
        out.push(ElectionBallot { unit, approve: names(rec.get(ac).unwrap_or("")), row });
    }
    (out, errors)
}

/// The 1-based line of a byte offset (the csv crate's own line count skips blank lines).
fn line_at(text: &str, byte: u64) -> usize {
    let b = text.as_bytes();
    let mut end = (byte as usize).min(b.len());
    // a record read after blank lines starts where they start
    while end < b.len() && (b[end] == b'\n' || b[end] == b'\r') {
        end += 1;
    }
    b[..end].iter().filter(|&&c| c == b'\n').count() + 1
}

/// `gongzhi elect`: checks every option and every ballot, then counts. A refusal names the row,
/// unit or owner; several bad rows come as one `committee.bad-ballots` listing each.
pub fn elect_cli(
    registry: &Registry,
    ballots_csv: &str,
    candidates: &str,
    seats: &str,
    alternates: Option<&str>,
) -> Result<ElectOutput, Refused> {
    let slate = parse_slate(candidates)?;
    let seats = parse_seats(seats)?;
    let alternates = parse_alternates(alternates)?;
    let (ballots, mut errors) = read(ballots_csv);
    if !errors.is_empty() && ballots.is_empty() && errors.iter().all(|e| row_of(e) == usize::MAX) {
        return Err(combine(errors));
    }
    // the rows that could be read are still checked, so one run names every bad row
    match check(&registry.units, &slate, &ballots) {
        Ok(checked) if errors.is_empty() => Ok(count_checked(&checked, &slate, seats, alternates)),
        Ok(_) => Err(combine(errors)),
        Err(more) => {
            errors.extend(more);
            errors.sort_by_key(row_of);
            Err(combine(errors))
        }
    }
}

/// The row an error names, for listing them in file order; file-wide errors last.
fn row_of(e: &R) -> usize {
    match e {
        R::BallotsUnreadable { row, .. }
        | R::ExtraCells { row, .. }
        | R::BadUnitNumber { row, .. }
        | R::NameNotOnSlate { row, .. }
        | R::NameTwiceOnBallot { row, .. }
        | R::UnknownUnit { row, .. }
        | R::UnitTwice { row, .. } => *row,
        _ => usize::MAX,
    }
}
