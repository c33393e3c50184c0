//! The plans file, `building,cost,score` (楼号,费用,评分): one row per building, cost in yuan ≥ 0
//! with at most two decimals, score ≥ 0 with at most two decimals. UTF-8 with or without the
//! BOM Excel writes. Row numbers are as a spreadsheet shows them: the header is row 1 and the
//! first plan row 2 (the line a row starts on, so a blank line counts as a row, as it does when
//! the file is opened in a spreadsheet). Every bad row is reported, not only the first.

use crate::corridors::model::{MAX_FEN, Plan, Score};
use crate::corridors::refusal::{CorridorRefusal, Problem, RowProblem};
use crate::kit::{Lines, Money, Refused};
use crate::registry::BuildingNo;
use std::collections::HashMap;

/// The columns, each with the names its header may use (compared ignoring case and spaces).
const COLUMNS: [(&str, &[&str]); 3] = [
    ("building", &["building", "楼号", "楼栋"]),
    ("cost", &["cost", "费用", "方案费用"]),
    ("score", &["score", "评分", "得分"]),
];

/// Reads the plans file's text into plans, in file order.
pub fn read_plans(text: &str) -> Result<Vec<Plan>, Refused> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let row = r.position().map_or(records.len() + 1, |p| line_at(text, p.byte() as usize));
                records.push((row, r));
            }
            Err(e) => {
                let row = e.position().map_or(records.len() + 1, |p| line_at(text, p.byte() as usize));
                return CorridorRefusal::UnreadableRow { row, reason: e.to_string() }.err();
            }
        }
    }
    let Some(((_, header), body)) = records.split_first() else {
        return CorridorRefusal::EmptyFile.err();
    };
    let idx = columns(header, body)?;
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    let mut first_row: HashMap<BuildingNo, usize> = HashMap::new();
    for (row, rec) in body {
        let cell = |c: usize| rec.get(idx[c]).unwrap_or("").trim();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let before = problems.len();
        let mut bad = |problem: Problem| problems.push(RowProblem { row: *row, problem });
        let used: Vec<usize> = idx.to_vec();
        if let Some(v) = rec.iter().enumerate().find(|(i, v)| !used.contains(i) && !v.trim().is_empty()).map(|x| x.1) {
            bad(Problem::ExtraCell { value: v.trim().to_string() });
        }
        let building = match cell(0) {
            "" => {
                bad(Problem::MissingBuilding);
                None
            }
            b => BuildingNo::parse(b).or_else(|| {
                bad(Problem::BadBuilding { value: b.to_string() });
                None
            }),
        };
        let cost = parse_cost(cell(1)).map_err(&mut bad).ok();
        let score = parse_score(cell(2)).map_err(&mut bad).ok();
        if let Some(b) = &building
            && let Some(&first) = first_row.get(b)
        {
            bad(Problem::DuplicateBuilding { building: b.to_string(), first_row: first });
        }
        if let Some(b) = &building {
            first_row.entry(b.clone()).or_insert(*row);
        }
        if let (Some(building), Some(cost), Some(score), true) = (building, cost, score, problems.len() == before) {
            plans.push(Plan { building, cost, score });
        }
    }
    if problems.is_empty() { Ok(plans) } else { CorridorRefusal::BadRows { rows: Lines(problems) }.err() }
}

/// The line a record starting at `byte` is on: the reader reports the start of any blank lines
/// it skipped before the record, so those are stepped over.
fn line_at(text: &str, byte: usize) -> usize {
    let b = text.as_bytes();
    let mut at = byte.min(b.len());
    while at < b.len() && (b[at] == b'\n' || b[at] == b'\r') {
        at += 1;
    }
    1 + b[..at].iter().filter(|&&c| c == b'\n').count()
}

/// Where each column is: exactly the three, each once, in any order.
fn columns(header: &csv::StringRecord, body: &[(usize, csv::StringRecord)]) -> Result<[usize; 3], Refused> {
    let mut idx = [None; 3];
    for (i, h) in header.iter().enumerate() {
        let name = h.trim().trim_start_matches('\u{feff}').trim().to_lowercase();
        if name.is_empty() {
            // a nameless column is tolerated only when it is empty throughout (spreadsheet residue)
            if body.iter().any(|(_, r)| r.get(i).is_some_and(|c| !c.trim().is_empty())) {
                return CorridorRefusal::UnknownColumn { column: format!("(column {}, no name)", i + 1) }.err();
            }
            continue;
        }
        let Some(c) = COLUMNS.iter().position(|(_, names)| names.contains(&name.as_str())) else {
            return CorridorRefusal::UnknownColumn { column: h.trim().to_string() }.err();
        };
        if idx[c].is_some() {
            return CorridorRefusal::DuplicateColumn { column: h.trim().to_string() }.err();
        }
        idx[c] = Some(i);
    }
    let mut out = [0; 3];
    for (c, (name, _)) in COLUMNS.iter().enumerate() {
        out[c] = idx[c].ok_or_else(|| CorridorRefusal::MissingColumn { column: name.to_string() }.refused())?;
    }
    Ok(out)
}

/// Yuan ≥ 0 with at most two decimals (`60000`, `60000.5`, `¥60,000.00`, `60000元`).
fn parse_cost(s: &str) -> Result<Money, Problem> {
    if s.is_empty() {
        return Err(Problem::MissingCost);
    }
    match Money::parse(s) {
        Ok(m) if m.fen() < 0 => Err(Problem::NegativeCost { value: s.to_string() }),
        Ok(m) if m.fen() <= MAX_FEN => Ok(m),
        _ => Err(Problem::MalformedCost { value: s.to_string() }),
    }
}

/// A number ≥ 0 with at most two decimals.
fn parse_score(s: &str) -> Result<Score, Problem> {
    if s.is_empty() {
        return Err(Problem::MissingScore);
    }
    if let Some(rest) = s.strip_prefix('-')
        && Score::parse(rest).is_some_and(|v| v.hundredths() > 0)
    {
        return Err(Problem::NegativeScore { value: s.to_string() });
    }
    Score::parse(s).ok_or_else(|| Problem::MalformedScore { value: s.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corridors::refusal::CorridorRefusal as R;

    fn problems(text: &str) -> Vec<RowProblem> {
        match read_plans(text).unwrap_err().downcast::<R>() {
            Some(R::BadRows { rows }) => rows.0.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_plans_with_a_bom_and_chinese_header() {
        let plans = read_plans("\u{feff}楼号,费用,评分\r\n7号楼,\"60,000.00\",92.5\r\n21,45000,88\r\n").unwrap();
        assert_eq!(plans.len(), 2);
        assert_eq!(
            (plans[0].building.as_str(), plans[0].cost.fen(), plans[0].score.hundredths()),
            ("7", 6_000_000, 9250)
        );
        assert_eq!(plans[1].cost.to_string(), "45000.00");
        let plans = read_plans("score, Building ,COST\n70,3,100\n").unwrap();
        assert_eq!((plans[0].building.as_str(), plans[0].cost.fen(), plans[0].score.hundredths()), ("3", 10_000, 7000));
    }

    #[test]
    fn every_bad_row_is_named_as_a_spreadsheet_numbers_it() {
        let text = "building,cost,score\n7,60000,90\n7,50000,80\n\n9,-5,70\n10,abc,70\n11,100,-3\n12,100,7.123\n,100,5\n13,,\n";
        let p = problems(text);
        let rows: Vec<(usize, &Problem)> = p.iter().map(|r| (r.row, &r.problem)).collect();
        assert_eq!(
            rows,
            vec![
                (3, &Problem::DuplicateBuilding { building: "7".into(), first_row: 2 }),
                (5, &Problem::NegativeCost { value: "-5".into() }),
                (6, &Problem::MalformedCost { value: "abc".into() }),
                (7, &Problem::NegativeScore { value: "-3".into() }),
                (8, &Problem::MalformedScore { value: "7.123".into() }),
                (9, &Problem::MissingBuilding),
                (10, &Problem::MissingCost),
                (10, &Problem::MissingScore),
            ]
        );
        let e = read_plans(text).unwrap_err();
        assert_eq!(e.code(), "corridors.bad-rows");
        assert!(e.en().contains("row 3: building 7 appears twice (first on row 2)"), "{}", e.en());
        assert!(e.en().contains("row 5: cost '-5' is negative"), "{}", e.en());
        assert!(e.zh().contains("第 3 行：7号楼重复（第 2 行已有其方案）"), "{}", e.zh());
        assert_eq!(e.values()["rows"][0]["problem"], "duplicate-building");
        assert_eq!(e.values()["rows"][0]["row"], 3);
    }

    #[test]
    fn the_header_is_exactly_the_three_columns() {
        let code = |t: &str| read_plans(t).unwrap_err().code();
        assert_eq!(code(""), "corridors.empty-file");
        assert_eq!(code("building,cost\n7,1\n"), "corridors.missing-column");
        assert_eq!(code("building,cost,score,notes\n7,1,2,x\n"), "corridors.unknown-column");
        assert_eq!(code("building,cost,score,费用\n7,1,2,3\n"), "corridors.duplicate-column");
        let e = read_plans("building,cost,score,notes\n").unwrap_err();
        assert_eq!(e.en(), "row 1 of the plans file has an unknown column 'notes' (the header is building,cost,score)");
        // a trailing empty column that a spreadsheet left behind is not an error
        assert_eq!(read_plans("building,cost,score,\n7,1,2,\n").unwrap().len(), 1);
        assert_eq!(code("building,cost,score,\n7,1,2,x\n"), "corridors.unknown-column");
    }
}
