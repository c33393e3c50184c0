//! The result of a vote as an Excel workbook: the tally and its explanation, then every ballot.

use crate::kit::AppError;
use crate::kit::i18n::{Lang, Tr};
use gongzhi_core::{Ballot, Channel, Tally};
use gongzhi_store::Matter;
use rust_xlsxwriter::Workbook;

pub fn result_workbook(
    t: Tr,
    m: &Matter,
    tally: &Tally,
    ballots: &[(Ballot, Channel, String)],
    shown: &dyn Fn(&gongzhi_core::UnitNo) -> bool,
) -> Result<Vec<u8>, AppError> {
    let x = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    s.set_name(if t.0 == Lang::Zh { "结果" } else { "Result" }).map_err(x)?;
    s.set_column_width(0, 22).map_err(x)?;
    s.set_column_width(1, 16).map_err(x)?;
    s.set_column_width(2, 16).map_err(x)?;
    s.write_string(0, 0, &m.title).map_err(x)?;
    s.write_string(1, 0, t.result()).map_err(x)?;
    s.write_string(1, 1, if tally.passed { t.passed() } else { t.not_passed() }).map_err(x)?;
    s.write_string(3, 1, t.by_headcount()).map_err(x)?;
    s.write_string(3, 2, t.by_area()).map_err(x)?;
    let rows = [
        ("eligible", &tally.eligible),
        ("participating", &tally.participating),
        (t.approve(), &tally.approve),
        (t.oppose(), &tally.oppose),
        (t.abstain(), &tally.abstain),
    ];
    for (i, (label, c)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        s.write_string(r, 0, *label).map_err(x)?;
        s.write_number(r, 1, c.owners as f64).map_err(x)?;
        // areas as text: exact, never a float
        s.write_string(r, 2, c.area.to_string()).map_err(x)?;
    }
    let expl = if t.0 == Lang::Zh { &tally.explanation.zh } else { &tally.explanation.en };
    for (i, line) in expl.lines().enumerate() {
        s.write_string(10 + i as u32, 0, line).map_err(x)?;
    }
    let b = wb.add_worksheet();
    b.set_name(t.ballot_list()).map_err(x)?;
    for (c, h) in [t.unit(), t.choice(), t.channel(), t.receipt()].iter().enumerate() {
        b.write_string(0, c as u16, *h).map_err(x)?;
    }
    for (i, (ballot, ch, receipt)) in ballots.iter().enumerate() {
        let r = 1 + i as u32;
        b.write_string(r, 0, ballot.unit.as_str()).map_err(x)?;
        let choice = if shown(&ballot.unit) { ballot.choice.as_str() } else { t.choice_not_shown() };
        b.write_string(r, 1, choice).map_err(x)?;
        b.write_string(r, 2, ch.as_str()).map_err(x)?;
        b.write_string(r, 3, receipt).map_err(x)?;
    }
    wb.save_to_buffer().map_err(x)
}
