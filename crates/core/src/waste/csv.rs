//! `gongzhi roster --volunteers V.csv --shifts S.csv`: the two files read and checked (every bad
//! row named as a spreadsheet numbers it, header = row 1), the roster solved, and the output as
//! the JSON the CLI prints or a text report.

use super::model::{Availability, Hm, Problem, Shift, ShiftId, StationId, Volunteer, VolunteerId};
use super::refusal::{At, Table, WasteRefusal, one_or_many};
use super::roster::{Roster, roster};
use crate::kit::Refused;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

const SHIFT_COLUMNS: [&str; 6] = ["shift", "station", "date", "start", "end", "need"];
const VOLUNTEER_COLUMNS: [&str; 3] = ["volunteer", "max", "available"];

/// `2026-03-01`; also `2026/3/1`, `2026-3-1` and an Excel serial day number (`46082`), the forms
/// a spreadsheet writes a date in.
pub fn parse_date(s: &str) -> Option<Date> {
    let t = s.trim();
    if !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        // Excel counts days from 1899-12-30 (its 1900 leap-year bug included)
        let n: i64 = t.parse().ok()?;
        let base = Date::new(1899, 12, 30).ok()?;
        return (61..=2_958_465).contains(&n).then(|| base.checked_add(jiff::Span::new().days(n)).ok())?;
    }
    let mut parts = t.split(['-', '/']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let num = |x: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse::<i16>().ok())?
    };
    if parts.next().is_some() {
        return None;
    }
    let (y, m, d) = (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?);
    Date::new(y, m as i8, d as i8).ok().filter(|d| d.year() >= 1900)
}

/// A file's rows with the row number a spreadsheet shows for each (blank rows counted, a cell
/// spanning lines counted once), after its header; or the reason it cannot be read.
struct Sheet {
    /// Column name → position.
    columns: HashMap<&'static str, usize>,
    width: usize,
    rows: Vec<(usize, Vec<String>)>,
}

fn read(table: Table, text: &str, names: &'static [&'static str], problems: &mut Vec<WasteRefusal>) -> Option<Sheet> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = Vec::new();
    // the reader's own line count skips blank lines and miscounts CRLF: count from byte offsets
    let (mut embedded, mut counted, mut lines) = (0usize, 0usize, 0usize);
    let mut row_at = |mut byte: usize, embedded: usize| {
        // a record's position is taken before the blank lines the reader skipped
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        lines += breaks(&text.as_bytes()[counted.min(byte)..byte]);
        counted = counted.max(byte);
        lines + 1 - embedded
    };
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let row = row_at(r.position().map_or(0, |p| p.byte() as usize), embedded);
                embedded += r.iter().map(|c| breaks(c.as_bytes())).sum::<usize>();
                records.push((row, r.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>()));
            }
            Err(e) => {
                let at = match e.position() {
                    Some(p) => At::row(table, row_at(p.byte() as usize, embedded)),
                    None => At::api(table),
                };
                problems.push(WasteRefusal::BadRow { at, reason: e.kind_description() });
                return None;
            }
        }
    }
    let Some((header_row, header)) = records.first().cloned() else {
        problems.push(WasteRefusal::EmptyFile { at: At::api(table) });
        return None;
    };
    let at = At::row(table, header_row);
    let before = problems.len();
    let mut columns = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let key = h.to_lowercase();
        match names.iter().find(|n| **n == key) {
            Some(n) => {
                if columns.insert(*n, i).is_some() {
                    problems.push(WasteRefusal::DuplicateColumn { at, column: h.clone() });
                }
            }
            None => problems.push(WasteRefusal::UnknownColumn { at, column: h.clone(), expected: names.join(",") }),
        }
    }
    for n in names {
        if !columns.contains_key(n) {
            problems.push(WasteRefusal::MissingColumn { at, column: n.to_string() });
        }
    }
    if problems.len() > before {
        return None;
    }
    let rows = records.into_iter().skip(1).filter(|(_, cells)| cells.iter().any(|c| !c.is_empty())).collect();
    Some(Sheet { columns, width: header.len(), rows })
}

/// Line breaks in a piece of text: `\n`, `\r\n` and a lone `\r` each count once.
fn breaks(b: &[u8]) -> usize {
    (0..b.len()).filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))).count()
}

trait CsvKind {
    fn kind_description(&self) -> String;
}

impl CsvKind for csv::Error {
    fn kind_description(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8 text (save it as CSV UTF-8)".into(),
            _ => self.to_string(),
        }
    }
}

impl Sheet {
    fn cell<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        cells.get(self.columns[column]).map_or("", |s| s.as_str())
    }
}

/// Checks a row's width and its required cells; returns whether it may be read further.
fn complete(sheet: &Sheet, at: At, cells: &[String], required: &[&str], problems: &mut Vec<WasteRefusal>) -> bool {
    if cells.len() > sheet.width && cells[sheet.width..].iter().any(|c| !c.is_empty()) {
        let reason = format!("{} cells, but the header has {}", cells.len(), sheet.width);
        problems.push(WasteRefusal::BadRow { at, reason });
        return false;
    }
    let before = problems.len();
    for c in required {
        if sheet.cell(cells, c).is_empty() {
            problems.push(WasteRefusal::MissingValue { at, column: c.to_string() });
        }
    }
    problems.len() == before
}

fn shifts(text: &str, problems: &mut Vec<WasteRefusal>) -> Option<(Vec<Shift>, BTreeSet<String>)> {
    let sheet = read(Table::Shifts, text, &SHIFT_COLUMNS, problems)?;
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (row, cells) in &sheet.rows {
        let at = At::row(Table::Shifts, *row);
        let id = sheet.cell(cells, "shift").to_string();
        if !id.is_empty() {
            ids.insert(id.clone());
            if let Some(&f) = first.get(&id) {
                problems.push(WasteRefusal::DuplicateShift { at, shift: id.clone(), first_row: f });
                continue;
            }
            first.insert(id.clone(), *row);
        }
        if !complete(&sheet, at, cells, &SHIFT_COLUMNS, problems) {
            continue;
        }
        let before = problems.len();
        let date_s = sheet.cell(cells, "date");
        let date = parse_date(date_s);
        if date.is_none() {
            problems.push(WasteRefusal::BadDate { at, value: date_s.into() });
        }
        let time = |column: &str, problems: &mut Vec<WasteRefusal>| {
            let v = sheet.cell(cells, column);
            let t = Hm::parse(v);
            if t.is_none() {
                problems.push(WasteRefusal::BadTime { at, column: column.into(), value: v.into() });
            }
            t
        };
        let (start, end) = (time("start", problems), time("end", problems));
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            problems.push(WasteRefusal::EndNotAfterStart {
                at,
                shift: id.clone(),
                start: s.to_string(),
                end: e.to_string(),
            });
        }
        let need_s = sheet.cell(cells, "need");
        let need = match need_s.parse::<i64>() {
            Ok(n) if n >= 1 && n <= u32::MAX as i64 => Some(n as u32),
            Ok(_) => {
                problems.push(WasteRefusal::NeedBelowOne { at, shift: id.clone(), need: need_s.into() });
                None
            }
            Err(_) => {
                problems.push(WasteRefusal::BadNumber { at, column: "need".into(), value: need_s.into() });
                None
            }
        };
        if problems.len() > before {
            continue;
        }
        out.push(Shift {
            id: ShiftId(id),
            station: StationId(sheet.cell(cells, "station").into()),
            date: date?,
            start: start?,
            end: end?,
            need: need?,
        });
    }
    Some((out, ids))
}

fn volunteers(text: &str, known: Option<&BTreeSet<String>>, problems: &mut Vec<WasteRefusal>) -> Vec<Volunteer> {
    let Some(sheet) = read(Table::Volunteers, text, &VOLUNTEER_COLUMNS, problems) else { return Vec::new() };
    let mut out = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (row, cells) in &sheet.rows {
        let at = At::row(Table::Volunteers, *row);
        let id = sheet.cell(cells, "volunteer").to_string();
        if !id.is_empty() {
            if let Some(&f) = first.get(&id) {
                problems.push(WasteRefusal::DuplicateVolunteer { at, volunteer: id.clone(), first_row: f });
                continue;
            }
            first.insert(id.clone(), *row);
        }
        if !complete(&sheet, at, cells, &["volunteer", "max"], problems) {
            continue;
        }
        let before = problems.len();
        let max_s = sheet.cell(cells, "max");
        let max = max_s.parse::<u32>().ok();
        if max.is_none() {
            problems.push(WasteRefusal::BadNumber { at, column: "max".into(), value: max_s.into() });
        }
        let avail_s = sheet.cell(cells, "available");
        let available = if avail_s == "*" || avail_s == "＊" {
            Availability::All
        } else {
            let mut ids = BTreeSet::new();
            for s in avail_s.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()) {
                if known.is_some_and(|k| !k.contains(s)) {
                    problems.push(WasteRefusal::UnknownShift { at, volunteer: id.clone(), shift: s.into() });
                }
                ids.insert(ShiftId::new(s));
            }
            Availability::Only(ids)
        };
        if problems.len() > before {
            continue;
        }
        let mut v = Volunteer::new(id, max.unwrap_or(0));
        v.available = available;
        out.push(v);
    }
    out
}

/// Reads both files into a [`Problem`], or every bad row of both.
pub fn problem_from_csv(volunteers_csv: &str, shifts_csv: &str) -> Result<Problem, WasteRefusal> {
    let mut problems = Vec::new();
    let parsed = shifts(shifts_csv, &mut problems);
    let vols = volunteers(volunteers_csv, parsed.as_ref().map(|(_, ids)| ids), &mut problems);
    if let Some(p) = one_or_many(problems) {
        return Err(p);
    }
    let (shifts, _) = parsed.unwrap_or_default();
    Problem::new(shifts, vols)
}

/// What `gongzhi roster` prints: the JSON below exactly, and [`RosterOutput::text`].
///
/// `{"assignments":{"S1":["v3","v9"]},"uncovered":{"S7":1},"load":{"v3":2},"max_load":2,
/// "covered":3,"places":4}`
#[derive(Clone, Debug, Serialize)]
pub struct RosterOutput {
    /// Every shift, with its volunteers' ids sorted.
    pub assignments: BTreeMap<String, Vec<String>>,
    /// Shifts with open places, and how many.
    pub uncovered: BTreeMap<String, u32>,
    /// Every volunteer's number of shifts, 0 included.
    pub load: BTreeMap<String, u32>,
    pub max_load: u32,
    pub covered: u32,
    pub places: u32,
    /// The full result, for the text report and other callers.
    #[serde(skip)]
    pub roster: Roster,
    #[serde(skip)]
    pub shifts: Vec<Shift>,
}

/// `gongzhi roster`'s core: both files' contents in, the optimal roster out, or the refusal
/// naming every bad row (BadInput: exit 2).
pub fn roster_cli(volunteers_csv: &str, shifts_csv: &str) -> Result<RosterOutput, Refused> {
    let pb = problem_from_csv(volunteers_csv, shifts_csv)?;
    let r = roster(&pb);
    let text = |v: &VolunteerId| v.to_string();
    Ok(RosterOutput {
        assignments: r.assignment.on.iter().map(|(s, vs)| (s.to_string(), vs.iter().map(text).collect())).collect(),
        uncovered: r.gaps.iter().map(|g| (g.shift.to_string(), g.missing)).collect(),
        load: r.load.iter().map(|(v, n)| (v.to_string(), *n)).collect(),
        max_load: r.max_load,
        covered: r.covered,
        places: r.places,
        shifts: pb.shifts().to_vec(),
        roster: r,
    })
}

impl RosterOutput {
    /// A readable English report: the totals, the fairness, each shift, the gaps, the loads.
    pub fn text(&self) -> String {
        let r = &self.roster;
        let mut o = String::new();
        let open = r.places - r.covered;
        let _ = writeln!(
            o,
            "Roster: {} of {} places filled, the most any roster can fill; {open} open.",
            r.covered, r.places
        );
        if r.covered > 0 {
            let _ = writeln!(
                o,
                "Fairest load: at most {} shifts per volunteer, {} volunteer(s) at {}.",
                r.max_load, r.at_max, r.max_load
            );
        }
        let _ = writeln!(
            o,
            "{}",
            if r.stats.chains == 0 {
                "Exact by max flow and min-cost flow (no chained overlaps).".to_string()
            } else {
                format!(
                    "Exact by branch and bound over {} chained overlap group(s): {} flow solves, {} extra nodes.",
                    r.stats.chains, r.stats.flows, r.stats.nodes
                )
            }
        );
        let _ = writeln!(o, "\nShifts:");
        let width = self.shifts.iter().map(|s| s.id.as_str().chars().count()).max().unwrap_or(0);
        for s in &self.shifts {
            let on = &self.assignments[s.id.as_str()];
            let who = if on.is_empty() { "-".to_string() } else { on.join(", ") };
            let short = self.uncovered.get(s.id.as_str()).map(|n| format!("  ({n} open)")).unwrap_or_default();
            let _ = writeln!(
                o,
                "  {:width$}  {} {}–{}  {}  {who}{short}",
                s.id.as_str(),
                s.date,
                s.start,
                s.end,
                s.station
            );
        }
        if !r.gaps.is_empty() {
            let _ = writeln!(o, "\nOpen places (no roster fills more; these are where this one leaves them):");
            for g in &r.gaps {
                let who = if g.could_fill.is_empty() {
                    "nobody else is free then".to_string()
                } else {
                    let ids: Vec<&str> = g.could_fill.iter().map(|v| v.as_str()).collect();
                    format!("could be filled by {} if available", ids.join(", "))
                };
                let _ = writeln!(o, "  {}: {} open; {who}", g.shift, g.missing);
            }
        }
        let _ = writeln!(o, "\nLoad:");
        for (v, n) in &self.load {
            let _ = writeln!(o, "  {v}: {n}");
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Kind;

    const SHIFTS: &str = "shift,station,date,start,end,need\n\
        S1,north,2026-03-02,07:00,09:00,2\n\
        S2,south,2026-03-02,07:00,09:00,1\n\
        S3,north,2026-03-02,18:00,20:00,1\n";

    fn err(v: &str, s: &str) -> String {
        let e = roster_cli(v, s).unwrap_err();
        assert_eq!(e.kind(), Kind::BadInput, "{e:?}");
        e.en()
    }

    #[test]
    fn json_is_exactly_the_issue_shape() {
        // v9 must take S1 and S3 for S3 to be filled; S4 has no one free; the optimum is unique
        let shifts = format!("{SHIFTS}S4,south,2026-03-02,18:00,20:00,1\n");
        let vols = "\u{feff}volunteer,max,available\nv9,2,S1;S3\nv3,1,S2;S3\nv1,1,S1\nv5,0,*\n";
        let out = roster_cli(vols, &shifts).unwrap();
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"assignments":{"S1":["v1","v9"],"S2":["v3"],"S3":["v9"],"S4":[]},"uncovered":{"S4":1},"load":{"v1":1,"v3":1,"v5":0,"v9":2},"max_load":2,"covered":4,"places":5}"#
        );
        let text = out.text();
        assert!(text.contains("Roster: 4 of 5 places filled, the most any roster can fill; 1 open."), "{text}");
        assert!(text.contains("at most 2 shifts per volunteer, 1 volunteer(s) at 2"), "{text}");
        assert!(text.contains("  S4  2026-03-02 18:00–20:00  south  -  (1 open)"), "{text}");
        assert!(
            text.contains("fills more; these are where this one leaves them):\n  S4: 1 open; nobody else is free then"),
            "{text}"
        );
    }

    #[test]
    fn full_width_separators_and_spreadsheet_dates_are_read() {
        let shifts = "shift,station,date,start,end,need\nS1,north,2026/3/2,7:00,9:00,1\nS2,north,46084,7:00,9:00,1\n";
        let out = roster_cli("volunteer,max,available\nv1,5,S1；S2\n", shifts).unwrap();
        assert_eq!(out.shifts[0].date.to_string(), "2026-03-02");
        assert_eq!(out.shifts[1].date.to_string(), "2026-03-03");
        assert_eq!(out.covered, 2);
        assert!(out.text().contains("Roster: 2 of 2 places filled"), "{}", out.text());
    }

    #[test]
    fn bad_rows_are_named_as_a_spreadsheet_numbers_them() {
        let v = "volunteer,max,available\nv1,2,*\n";
        assert_eq!(
            err("volunteer,max,available\nv1,2,S1\n\nv2,1,S1;S9\n", SHIFTS),
            "volunteers file, row 4: volunteer v2 is available for shift S9, which is not in the shifts file"
        );
        assert_eq!(
            err("volunteer,max,available\nv1,2,*\nv1,1,*\n", SHIFTS),
            "volunteers file, row 3: volunteer v1 appears twice (already on row 2)"
        );
        let dup = format!("{SHIFTS}S2,east,2026-03-03,07:00,09:00,1\n");
        assert_eq!(err(v, &dup), "shifts file, row 5: shift S2 appears twice (already on row 3)");
        let late = "shift,station,date,start,end,need\nS1,north,2026-03-02,09:00,09:00,1\n";
        assert_eq!(err(v, late), "shifts file, row 2: shift S1 ends at 09:00, not after its start 09:00");
        let none = "shift,station,date,start,end,need\nS1,north,2026-03-02,07:00,09:00,0\n";
        assert_eq!(err(v, none), "shifts file, row 2: shift S1 needs 0 volunteers; at least 1 is required");
        let time = "shift,station,date,start,end,need\nS1,north,2026-03-02,7am,09:00,1\n";
        assert_eq!(err(v, time), "shifts file, row 2: start '7am' is not a time like 07:00");
        let date = "shift,station,date,start,end,need\nS1,north,2026-02-30,07:00,09:00,1\n";
        assert_eq!(err(v, date), "shifts file, row 2: date '2026-02-30' is not a date like 2026-03-01");
        assert_eq!(
            err("volunteer,max,available\nv1,two,*\n", SHIFTS),
            "volunteers file, row 2: max 'two' is not a whole number"
        );
        let need = "shift,station,date,start,end,need\nS1,north,2026-03-02,07:00,09:00,1.5\n";
        assert_eq!(err(v, need), "shifts file, row 2: need '1.5' is not a whole number");
    }

    #[test]
    fn a_quoted_cell_over_two_lines_counts_as_one_row() {
        let s = "shift,station,date,start,end,need\nS1,\"north\ngate\",2026-03-02,07:00,09:00,1\nS2,north,2026-03-02,07:00,09:00,x\n";
        assert_eq!(err("volunteer,max,available\nv1,2,*\n", s), "shifts file, row 3: need 'x' is not a whole number");
        let crlf = "volunteer,max,available\r\nv1,2,*\r\n\r\nv2,x,*\r\n";
        assert_eq!(err(crlf, SHIFTS), "volunteers file, row 4: max 'x' is not a whole number");
    }

    #[test]
    fn headers_must_name_exactly_the_columns() {
        let v = "volunteer,max,available\nv1,2,*\n";
        assert_eq!(
            err(v, "shift,station,date,begin,end,need\n"),
            "2 problems in the files:\nshifts file, row 1: unknown column 'begin' (expected shift,station,date,start,end,need)\nshifts file, row 1: missing column 'start'"
        );
        assert_eq!(err("volunteer,max,max,available\n", SHIFTS), "volunteers file, row 1: column 'max' appears twice");
        assert_eq!(err(v, ""), "shifts file: the file is empty (no header row)");
    }

    #[test]
    fn every_bad_row_of_both_files_is_listed_with_its_code() {
        let s = "shift,station,date,start,end,need\nS1,north,2026-03-02,07:00,06:00,1\nS2,north,2026-03-02,07:00,09:00,-1\n";
        let e = roster_cli("volunteer,max,available\nv1,-3,S1;S7\n", s).unwrap_err();
        assert_eq!(e.code(), "waste.bad-rows");
        let codes: Vec<String> = e.values()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            codes,
            ["waste.end-not-after-start", "waste.need-below-one", "waste.bad-number", "waste.unknown-shift"]
        );
        assert!(
            e.en().starts_with("4 problems in the files:\nshifts file, row 2: shift S1 ends at 06:00"),
            "{}",
            e.en()
        );
    }
}
