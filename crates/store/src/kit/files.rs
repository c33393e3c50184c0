//! Reading the tables a committee keeps (CSV or Excel): every process's reader starts here.
//!
//! A table file comes from anyone with a spreadsheet, so it is read as a hostile file would be:
//! the file's size, the workbook's unpacked parts, the rows, the columns and each cell's length
//! are bounded before anything large is held; an Excel sheet is streamed cell by cell (never
//! allocated by its claimed dimensions) and its header handed to the caller's check as soon as
//! the first row is complete, so a file with the wrong header costs one row. What is wrong with
//! one cell (too long, a line break from an unbalanced quote, an Excel date where text was
//! meant) is kept beside the table for the caller to name as a bad row, with the cell blanked.

use crate::Result;
use gongzhi_core::kit::{CellProblem, KitRefusal, cell_name};
use std::collections::BTreeMap;
use std::path::Path;

/// How large a table file may be. The defaults are generous for a district's file and far below
/// what would strain the machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The file as uploaded.
    pub max_file_bytes: u64,
    /// Any one part of a workbook once unpacked (a sheet, the shared strings).
    pub max_part_bytes: u64,
    /// All parts of a workbook once unpacked.
    pub max_unpacked_bytes: u64,
    /// Body rows, the header aside.
    pub max_rows: usize,
    pub max_columns: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 32 << 20,
            max_part_bytes: 256 << 20,
            max_unpacked_bytes: 512 << 20,
            max_rows: 200_000,
            max_columns: 64,
            max_cell_chars: 1_000,
        }
    }
}

/// One cell that cannot be taken as it is.
#[derive(Clone, Debug, PartialEq)]
pub struct BadCell {
    /// Index into [`Table::body`].
    pub index: usize,
    /// Column, from 0.
    pub col: usize,
    pub problem: CellProblem,
}

/// A table file's header, its body rows and the cells that could not be taken.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub body: Vec<Vec<String>>,
    pub bad: Vec<BadCell>,
    /// The file's row number of `body[0]` (the header's row plus one).
    first_row: usize,
}

impl Table {
    /// The row number a person sees in the file for `body[i]`.
    pub fn row_no(&self, i: usize) -> usize {
        self.first_row + i
    }

    /// True when the file had no rows at all.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
    }
}

/// A header check run before the body is read.
pub type HeaderCheck<'a> = &'a dyn Fn(&[String]) -> Result<()>;

/// The table of a file with the default limits: `.xlsx` streamed through calamine, anything else
/// as CSV (UTF-8, with or without the BOM Excel writes).
pub fn read_table(path: &Path, check_header: HeaderCheck) -> Result<Table> {
    read_table_within(path, &Limits::default(), check_header)
}

pub fn read_table_within(path: &Path, limits: &Limits, check_header: HeaderCheck) -> Result<Table> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| unreadable(&file, &e))?;
    if meta.len() > limits.max_file_bytes {
        return Err(KitRefusal::TableTooLarge { file, what: "MB".into(), limit: (limits.max_file_bytes >> 20) as i64 }
            .refused()
            .into());
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if ext == "xlsx" || ext == "xlsm" {
        // calamine 0.38 panics on some damaged sheets (a reversed dimension such as `F3:A1`
        // subtracts past zero); a damaged file is a refusal, never a crash
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx(path, &file, limits, check_header))) {
            Ok(r) => r,
            Err(_) => Err(unreadable(&file, &"the workbook is damaged (its sheet cannot be read)")),
        }
    } else {
        read_csv(path, &file, limits, check_header)
    }
}

fn unreadable(file: &str, e: &dyn std::fmt::Display) -> crate::StoreError {
    KitRefusal::FileUnreadable { file: file.to_string(), reason: e.to_string() }.refused().into()
}

fn too_large(file: &str, what: &str, limit: usize) -> crate::StoreError {
    KitRefusal::TableTooLarge { file: file.to_string(), what: what.into(), limit: limit as i64 }.refused().into()
}

/// Builds the table row by row, checking each cell and the header as soon as it is complete.
struct Builder<'a> {
    file: &'a str,
    limits: &'a Limits,
    check_header: HeaderCheck<'a>,
    table: Table,
    header_done: bool,
}

impl Builder<'_> {
    /// Adds a row in file order; `no` is the file's row number.
    fn row(&mut self, no: usize, cells: Vec<String>) -> Result<()> {
        if !self.header_done {
            self.table.header = cells;
            self.table.first_row = no + 1;
            self.header_done = true;
            for (c, h) in self.table.header.iter_mut().enumerate() {
                if h.chars().count() > self.limits.max_cell_chars || h.contains(['\n', '\r']) {
                    let cell = cell_name(no as u64, c as u64 + 1);
                    return Err(KitRefusal::FileUnreadable {
                        file: self.file.to_string(),
                        reason: format!("header cell {cell} is not a column name"),
                    }
                    .refused()
                    .into());
                }
            }
            return (self.check_header)(&self.table.header);
        }
        let index = no - self.table.first_row;
        if index >= self.limits.max_rows {
            return Err(too_large(self.file, "rows", self.limits.max_rows));
        }
        while self.table.body.len() < index {
            self.table.body.push(Vec::new());
        }
        let mut cells = cells;
        for (col, s) in cells.iter_mut().enumerate() {
            let chars = s.chars().count();
            let problem = if chars > self.limits.max_cell_chars {
                Some(CellProblem::TooLong { chars: chars as i64, max: self.limits.max_cell_chars as i64 })
            } else if s.contains(['\n', '\r']) {
                Some(CellProblem::LineBreak)
            } else {
                None
            };
            if let Some(problem) = problem {
                s.clear();
                s.shrink_to_fit();
                self.table.bad.push(BadCell { index, col, problem });
            }
        }
        self.table.body.push(cells);
        Ok(())
    }
}

fn read_csv(path: &Path, file: &str, limits: &Limits, check_header: HeaderCheck) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(file, &e))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| unreadable(file, &"the file is not UTF-8 text (save it as CSV UTF-8)"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut b = Builder { file, limits, check_header, table: Table::default(), header_done: false };
    let mut rec = csv::StringRecord::new();
    let mut no = 0;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(unreadable(file, &format!("row {}: {e}", no + 1))),
        }
        no += 1;
        if rec.len() > limits.max_columns {
            return Err(KitRefusal::CellOutsideTable {
                file: file.to_string(),
                cell: cell_name(no as u64, rec.len() as u64),
                max_columns: limits.max_columns as i64,
            }
            .refused()
            .into());
        }
        b.row(no, rec.iter().map(str::to_string).collect())?;
    }
    Ok(b.table)
}

/// Refuses a workbook whose parts unpack to more than the limits, before calamine reads any.
fn check_workbook_size(path: &Path, file: &str, limits: &Limits) -> Result<()> {
    let f = std::fs::File::open(path).map_err(|e| unreadable(file, &e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|e| unreadable(file, &e))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| unreadable(file, &e))?;
        let size = part.size();
        if size > limits.max_part_bytes {
            return Err(too_large(
                file,
                "MB unpacked in one part of the workbook",
                (limits.max_part_bytes >> 20) as usize,
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_unpacked_bytes {
            return Err(too_large(file, "MB unpacked", (limits.max_unpacked_bytes >> 20) as usize));
        }
    }
    Ok(())
}

fn read_xlsx(path: &Path, file: &str, limits: &Limits, check_header: HeaderCheck) -> Result<Table> {
    use calamine::{DataRef, Reader, Xlsx, open_workbook};
    check_workbook_size(path, file, limits)?;
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| unreadable(file, &e))?;
    let sheet = wb.sheet_names().into_iter().next().ok_or_else(|| unreadable(file, &"the workbook has no sheet"))?;
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(|e| unreadable(file, &e))?;
    let mut b = Builder { file, limits, check_header, table: Table::default(), header_done: false };
    // cells arrive in the sheet's order, row after row; a crafted sheet may list them out of
    // order, so a row is gathered until a later row starts, and an earlier row is refused
    let mut current: Option<(u32, BTreeMap<u32, String>)> = None;
    let mut dates: Vec<(u32, u32, String)> = Vec::new();
    let flush = |b: &mut Builder, row: u32, cols: BTreeMap<u32, String>| -> Result<()> {
        let width = cols.keys().next_back().map(|c| *c as usize + 1).unwrap_or(0);
        let mut v = vec![String::new(); width];
        for (c, s) in cols {
            v[c as usize] = s;
        }
        b.row(row as usize + 1, v)
    };
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(file, &e))? {
        let (r, c) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            // Excel keeps numbers as doubles; the shortest form that reads back is the decimal
            // the clerk typed (85.52, not 85.5200000000003).
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => format!("{f}"),
            DataRef::Int(i) => i.to_string(),
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            DataRef::Bool(x) => x.to_string(),
            DataRef::Error(e) => e.to_string(),
            DataRef::DateTime(d) => {
                dates.push((r, c, excel_date(d.as_f64())));
                "date".into()
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                dates.push((r, c, s.clone()));
                "date".into()
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let name = || cell_name(r as u64 + 1, c as u64 + 1);
        if c as usize >= limits.max_columns {
            return Err(KitRefusal::CellOutsideTable {
                file: file.to_string(),
                cell: name(),
                max_columns: limits.max_columns as i64,
            }
            .refused()
            .into());
        }
        if b.header_done && r as usize + 1 >= b.table.first_row + limits.max_rows {
            return Err(too_large(file, "rows", limits.max_rows));
        }
        match &mut current {
            Some((row, cols)) if *row == r => {
                cols.insert(c, text);
            }
            Some((row, _)) if *row > r => {
                return Err(unreadable(file, &format!("cell {} comes after row {} in the sheet", name(), *row + 1)));
            }
            _ => {
                if let Some((row, cols)) = current.take() {
                    flush(&mut b, row, cols)?;
                }
                current = Some((r, BTreeMap::from([(c, text)])));
            }
        }
    }
    if let Some((row, cols)) = current.take() {
        flush(&mut b, row, cols)?;
    }
    for (r, c, value) in dates {
        let no = r as usize + 1;
        if no < b.table.first_row {
            continue; // a date in the header row is only a strange column name
        }
        let index = no - b.table.first_row;
        if let Some(s) = b.table.body.get_mut(index).and_then(|row| row.get_mut(c as usize)) {
            s.clear();
        }
        let cell = cell_name(no as u64, c as u64 + 1);
        b.table.bad.push(BadCell { index, col: c as usize, problem: CellProblem::ExcelDate { cell, value } });
    }
    b.table.bad.sort_by_key(|x| (x.index, x.col));
    Ok(b.table)
}

/// An Excel date serial as the date it shows (`46093` is 2026-03-12), or the serial when it is
/// out of any calendar's range.
fn excel_date(serial: f64) -> String {
    let days = serial.floor();
    if !(1.0..=2_958_465.0).contains(&days) {
        return format!("{serial}");
    }
    // serial 25569 is 1970-01-01 (times in ms); midnight UTC is the same day in Shanghai
    gongzhi_core::time::date((days as i64 - 25_569) * 86_400_000)
}

pub fn blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}
