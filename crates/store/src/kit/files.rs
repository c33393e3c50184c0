//! Reading the tables a committee keeps (CSV or Excel): every process's reader starts here.

use crate::Result;
use gongzhi_core::kit::KitRefusal;
use std::path::Path;

/// The rows of a table file, header first: `.xlsx` through calamine, anything else as CSV
/// (UTF-8, with or without the BOM Excel writes).
pub fn read_table(path: &Path) -> Result<Vec<Vec<String>>> {
    let io = |e: &dyn std::fmt::Display| -> crate::StoreError {
        KitRefusal::FileUnreadable { file: path.display().to_string(), reason: e.to_string() }.refused().into()
    };
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

pub fn blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}
