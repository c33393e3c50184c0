//! Sheets in, journal out: the rows a committee keeps in Excel or CSV become transactions, all
//! or nothing, every bad row named (the header is row 1, the first data row 2, as the store's
//! table reader and the register count; blank rows are skipped but keep their numbers).
//!
//! Two sheets:
//! - [`Sheet::Quarter`], the CLI's `date,account,amount,building,memo`: exactly those columns,
//!   accounts `income:*` and `cost:*`, dates `YYYY-MM-DD`;
//! - [`Sheet::Committee`], what committees keep: the same columns in English or Chinese (日期,
//!   科目, 金额, 楼号, 摘要), optional `link` (关联) and `counterpart` (对方科目, default the
//!   supervised account `bank`), any account by its name or its Chinese name, and dates as Excel
//!   writes them (`2026/4/1`, `2026年4月1日`, a date serial such as `46113`).
//!
//! Amounts are positive; the account says the direction. An income or contribution row credits
//! its account and debits the counterpart; any other row debits its account and credits the
//! counterpart.

use super::account::{Account, Class, CostKind, FundPart, Source};
use super::ledger::{Draft, Ledger, Link, MAX_POSTING, MatterStatus, Posted};
use super::refusal::{FundsRefusal as R, RowProblem, bad_rows};
use crate::kit::period::parse_day;
use crate::kit::{Money, Refused};
use crate::registry::BuildingNo;
use jiff::civil::Date;

/// Which sheet the rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    Quarter,
    Committee,
}

/// One imported row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub row: usize,
    pub date: Date,
    pub account: Account,
    pub amount: Money,
    pub counterpart: Account,
    pub building: Option<BuildingNo>,
    pub memo: String,
    pub link: Option<Link>,
}

impl Entry {
    pub fn draft(&self) -> Draft {
        let d = Draft::on(self.date).memo(self.memo.clone());
        let d = if self.account.class() == Class::Source {
            d.debit(self.counterpart.clone(), self.amount).credit(self.account.clone(), self.amount)
        } else {
            d.debit(self.account.clone(), self.amount).credit(self.counterpart.clone(), self.amount)
        };
        let d = match &self.building {
            Some(b) => d.building(b.clone()),
            None => d,
        };
        match &self.link {
            Some(l) => d.link(l.clone()),
            None => d,
        }
    }
}

const QUARTER_COLUMNS: [&str; 5] = ["date", "account", "amount", "building", "memo"];

/// Each column with its accepted names; the first three are required.
const COMMITTEE_COLUMNS: [(&str, &[&str]); 7] = [
    ("date", &["date", "日期"]),
    ("account", &["account", "科目", "项目"]),
    ("amount", &["amount", "金额", "金额（元）", "金额(元)"]),
    ("building", &["building", "楼号", "幢号", "楼栋"]),
    ("memo", &["memo", "摘要", "备注", "说明"]),
    ("link", &["link", "关联", "依据"]),
    ("counterpart", &["counterpart", "对方科目"]),
];

/// Chinese names committees give accounts in their sheets.
const ACCOUNT_NAMES: [(&str, &str); 24] = [
    ("停车收入", "income:parking"),
    ("停车费", "income:parking"),
    ("广告收入", "income:advert"),
    ("广告费", "income:advert"),
    ("场地收入", "income:venue"),
    ("场地费", "income:venue"),
    ("场地租金", "income:venue"),
    ("其他收入", "income:other"),
    ("税费", "cost:tax"),
    ("税金", "cost:tax"),
    ("人工成本", "cost:labour"),
    ("人工费", "cost:labour"),
    ("能耗成本", "cost:energy"),
    ("能耗费", "cost:energy"),
    ("水电费", "cost:energy"),
    ("其他成本", "cost:other"),
    ("支出", "spending"),
    ("监管账户", "bank"),
    ("银行", "bank"),
    ("现金", "cash"),
    ("公共收益", "revenue"),
    ("公共收益子账户", "revenue"),
    ("维修资金", "fund"),
    ("业主交存", "contributions"),
];

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// A CSV file's rows (UTF-8, with or without the BOM Excel writes), header first.
pub fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, Refused> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec =
            rec.map_err(|e| bad_rows(vec![RowProblem::new(i + 1, R::UnreadableRow { reason: e.to_string() })]))?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// Which cell holds each column (indexes into [`COMMITTEE_COLUMNS`]).
type Columns = [Option<usize>; 7];

fn columns(header: &[String], sheet: Sheet, problems: &mut Vec<RowProblem>) -> Columns {
    let mut at: Columns = [None; 7];
    for (i, h) in header.iter().enumerate() {
        let name = h.trim().trim_start_matches('\u{feff}').trim();
        if name.is_empty() && sheet == Sheet::Committee {
            continue;
        }
        let lower = name.to_lowercase();
        let found = match sheet {
            Sheet::Quarter => QUARTER_COLUMNS.iter().position(|c| *c == lower),
            Sheet::Committee => COMMITTEE_COLUMNS.iter().position(|(_, names)| names.contains(&lower.as_str())),
        };
        match found {
            Some(c) if at[c].is_some() => {
                problems.push(RowProblem::new(1, R::DuplicateColumn { column: name.into() }));
            }
            Some(c) => at[c] = Some(i),
            None => {
                let expected = match sheet {
                    Sheet::Quarter => QUARTER_COLUMNS.join(","),
                    Sheet::Committee => {
                        COMMITTEE_COLUMNS.iter().map(|(n, a)| format!("{n} ({})", a[1])).collect::<Vec<_>>().join(", ")
                    }
                };
                problems.push(RowProblem::new(1, R::UnknownColumn { column: name.into(), expected }));
            }
        }
    }
    let required = if sheet == Sheet::Quarter { 5 } else { 3 };
    for (c, (name, _)) in COMMITTEE_COLUMNS.iter().enumerate().take(required) {
        if at[c].is_none() {
            problems.push(RowProblem::new(1, R::MissingColumn { column: (*name).into() }));
        }
    }
    at
}

fn account(s: &str, sheet: Sheet) -> Result<Account, R> {
    let t = s.trim();
    let named = ACCOUNT_NAMES.iter().find(|(zh, _)| *zh == t).map(|(_, a)| *a);
    let a = match sheet {
        Sheet::Quarter => Account::parse(t),
        Sheet::Committee => Account::parse(named.unwrap_or(t)),
    };
    match (a, sheet) {
        (None, _) => Err(R::UnknownAccount { account: t.into() }),
        (Some(a @ (Account::Income(_) | Account::Cost(_))), Sheet::Quarter) => Ok(a),
        (Some(a), Sheet::Quarter) => Err(R::AccountNotInSheet {
            account: a.to_string(),
            allowed: "income:parking|advert|venue|other, cost:tax|labour|energy|other".into(),
        }),
        (Some(a), Sheet::Committee) => Ok(a),
    }
}

/// 1900-system Excel date serials (1 = 1900-01-01; 60, Excel's 1900-02-29, is no day).
fn excel_serial(t: &str) -> Option<Date> {
    let whole = t.split_once('.').map_or(t, |(w, f)| if f.bytes().all(|b| b.is_ascii_digit()) { w } else { "" });
    let n: i64 = whole.parse().ok().filter(|n| (1..=2_958_465).contains(n) && *n != 60)?;
    let base = jiff::civil::date(1899, 12, if n < 60 { 31 } else { 30 });
    base.checked_add(jiff::Span::new().days(n)).ok()
}

/// The dates of a committee's sheet: ISO, with slashes, dots or 年月日, an Excel serial, or any
/// of these followed by a midnight time.
fn sheet_date(s: &str) -> Option<Date> {
    let t = s.trim();
    if let Some(d) = parse_day(t) {
        return Some(d);
    }
    if let Some(d) = excel_serial(t) {
        return Some(d);
    }
    let day = t.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = day.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// Reads a sheet's rows (header first) into entries, or every problem it has.
pub fn read_entries(rows: &[Vec<String>], sheet: Sheet) -> Result<Vec<Entry>, Refused> {
    let Some((header, body)) = rows.split_first() else { return R::EmptySheet.err() };
    let mut problems = Vec::new();
    let at = columns(header, sheet, &mut problems);
    if !problems.is_empty() {
        return Err(bad_rows(problems));
    }
    let width = header.len();
    let mut entries = Vec::new();
    for (i, cells) in body.iter().enumerate() {
        let row = i + 2;
        if is_blank(cells) {
            continue;
        }
        let before = problems.len();
        let mut bad = |r: R| problems.push(RowProblem::new(row, r));
        if cells.len() > width && !is_blank(&cells[width..]) {
            bad(R::TooManyCells { cells: cells.len(), columns: width });
        }
        let cell = |c: usize| at[c].and_then(|i| cells.get(i)).map(|s| s.trim()).unwrap_or("");
        let date = match sheet {
            Sheet::Quarter => parse_day(cell(0)),
            Sheet::Committee => sheet_date(cell(0)),
        };
        if date.is_none() {
            bad(R::BadDate { value: cell(0).into() });
        }
        let acct = account(cell(1), sheet).map_err(&mut bad).ok();
        let name = acct.as_ref().map_or_else(|| cell(1).to_string(), |a| a.to_string());
        let amount = match Money::parse(cell(2)) {
            Ok(m) if m > MAX_POSTING => {
                bad(R::AmountTooLarge { account: name.clone(), amount: m, max: MAX_POSTING });
                None
            }
            Ok(m) if m.fen() > 0 => Some(m),
            Ok(m) => {
                bad(R::AmountNotPositive { account: name.clone(), amount: m });
                None
            }
            Err(_) => {
                bad(R::BadAmount { account: name.clone(), value: cell(2).into() });
                None
            }
        };
        let building = match cell(3) {
            "" => None,
            b => BuildingNo::parse(b).or_else(|| {
                bad(R::BadBuilding { value: b.into() });
                None
            }),
        };
        let link = match cell(5) {
            "" => None,
            l => Link::parse(l).or_else(|| {
                bad(R::BadLink { value: l.into() });
                None
            }),
        };
        let counterpart = match cell(6) {
            "" => Some(Account::Bank),
            c => account(c, sheet).map_err(&mut bad).ok(),
        };
        if let (Some(a), Some(c)) = (&acct, &counterpart)
            && a == c
        {
            bad(R::SameAccount { account: a.to_string() });
        }
        if problems.len() > before {
            continue;
        }
        if let (Some(date), Some(account), Some(amount), Some(counterpart)) = (date, acct, amount, counterpart) {
            entries.push(Entry { row, date, account, amount, counterpart, building, memo: cell(4).into(), link });
        }
    }
    if problems.is_empty() { Ok(entries) } else { Err(bad_rows(problems)) }
}

/// Books entries into the ledger, all or nothing: any refused row leaves the ledger as it was
/// and names every row refused. `status` answers for a matter the rows cite.
pub fn import(
    ledger: &mut Ledger,
    entries: &[Entry],
    status: impl Fn(&str) -> Option<MatterStatus>,
) -> Result<Vec<Posted>, Refused> {
    let mut trial = ledger.clone();
    let mut posted = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for e in entries {
        let matter = match &e.link {
            Some(Link::Matter { matter } | Link::Project { matter, .. }) => status(matter),
            _ => None,
        };
        match trial.post(e.draft(), matter) {
            Ok(p) => posted.push(p),
            Err(r) => problems.push(RowProblem::new(e.row, r)),
        }
    }
    if !problems.is_empty() {
        return Err(bad_rows(problems));
    }
    *ledger = trial;
    Ok(posted)
}

/// The ledger as a journal for a spreadsheet: one row per posting, debits positive, header first.
pub fn journal_rows(ledger: &Ledger) -> Vec<Vec<String>> {
    let mut rows =
        vec![["id", "date", "account", "amount", "building", "memo", "link", "reverses"].map(String::from).to_vec()];
    for t in ledger.transactions() {
        for p in &t.postings {
            rows.push(vec![
                t.id.to_string(),
                t.date.to_string(),
                p.account.to_string(),
                p.amount.to_string(),
                t.building.as_ref().map(|b| b.to_string()).unwrap_or_default(),
                t.memo.clone(),
                t.link.as_ref().map(|l| l.to_string()).unwrap_or_default(),
                t.reverses.map(|r| r.to_string()).unwrap_or_default(),
            ]);
        }
    }
    rows
}

/// Every account a sheet of `sheet` may name, for its help text.
pub fn accounts_for(sheet: Sheet) -> Vec<Account> {
    let mut v: Vec<Account> = Source::ALL.into_iter().map(Account::Income).collect();
    v.extend(CostKind::ALL.into_iter().map(Account::Cost));
    if sheet == Sheet::Committee {
        v.extend([
            Account::Bank,
            Account::Cash,
            Account::Revenue,
            Account::Fund(FundPart::Pool),
            Account::Contributions,
            Account::Spending,
        ]);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funds::ledger::Chart;
    use jiff::civil::date;

    fn rows(t: &[&[&str]]) -> Vec<Vec<String>> {
        t.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn a_committees_chinese_sheet_with_excel_dates_reads_into_entries() {
        let sheet = rows(&[
            &["日期", "科目", "金额（元）", "楼号", "摘要", "关联", ""],
            &["46023", "停车费", "1,200.50", "", "一月停车费", "", ""],
            &["2026/2/3", "广告收入", "800", "13号楼", "电梯广告", "", ""],
            &["2026年3月4日", "水电费", "¥66", "", "", "", ""],
            &["2026-03-05 00:00:00", "支出", "300", "", "修剪树木", "authorisation:A1", ""],
            &["", "", "", "", "", "", ""],
        ]);
        let e = read_entries(&sheet, Sheet::Committee).unwrap();
        assert_eq!(e.len(), 4);
        assert_eq!((e[0].row, e[0].date, e[0].account.to_string()), (2, date(2026, 1, 1), "income:parking".into()));
        assert_eq!(e[0].amount.fen(), 120_050);
        assert_eq!((e[1].date, e[1].building.as_ref().map(|b| b.as_str())), (date(2026, 2, 3), Some("13")));
        assert_eq!((e[2].date, e[2].account.to_string()), (date(2026, 3, 4), "cost:energy".into()));
        assert_eq!(e[3].link, Some(Link::Authorisation { authorisation: "A1".into() }));
        // income credits its account, the rest debit theirs, against the supervised account
        let d = e[0].draft();
        assert_eq!((d.postings[0].account.to_string(), d.postings[0].amount.fen()), ("bank".into(), 120_050));
        assert_eq!(
            (d.postings[1].account.to_string(), d.postings[1].amount.fen()),
            ("income:parking".into(), -120_050)
        );
        assert_eq!(e[2].draft().postings[0].account.to_string(), "cost:energy");
    }

    #[test]
    fn excel_serials_count_from_1900_with_its_phantom_leap_day() {
        assert_eq!(excel_serial("1"), Some(date(1900, 1, 1)));
        assert_eq!(excel_serial("59"), Some(date(1900, 2, 28)));
        assert_eq!(excel_serial("60"), None);
        assert_eq!(excel_serial("61"), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial("46113"), Some(date(2026, 4, 1)));
        assert_eq!(excel_serial("46113.75"), Some(date(2026, 4, 1)));
        assert_eq!(sheet_date("2026.4.1"), Some(date(2026, 4, 1)));
        assert_eq!(sheet_date("26/4/1"), None);
        assert_eq!(sheet_date("2026-02-30"), None);
    }

    #[test]
    fn an_import_with_one_refused_row_books_nothing_and_names_it() {
        let sheet = rows(&[
            &["date", "account", "amount", "memo", "link"],
            &["2026-01-05", "income:parking", "500", "", ""],
            &["2026-01-06", "spending", "200", "no authority", ""],
            &["2026-01-07", "spending", "100", "voted", "matter:M1"],
            &["2026-01-08", "spending", "100", "not voted", "matter:M2"],
        ]);
        let entries = read_entries(&sheet, Sheet::Committee).unwrap();
        let mut l = Ledger::new(Chart::any());
        let status = |m: &str| Some(if m == "M1" { MatterStatus::Passed } else { MatterStatus::Undecided });
        let e = import(&mut l, &entries, status).unwrap_err();
        assert_eq!(
            e.en(),
            "2 problem(s), nothing imported:\n\
             row 3: spending of 200.00 yuan cites no authority: link it to a passed vote or a standing authorisation\n\
             row 5: matter M2 is not yet decided: only a passed vote authorises spending"
        );
        assert!(l.transactions().is_empty());
        let ok: Vec<Entry> = entries.into_iter().filter(|e| e.row != 3 && e.row != 5).collect();
        let posted = import(&mut l, &ok, status).unwrap();
        assert_eq!(posted.len(), 2);
        assert_eq!(l.balance(&Account::Bank, date(2026, 1, 31)).fen(), 40_000);
    }

    #[test]
    fn committee_sheet_problems_are_all_named() {
        let sheet = rows(&[
            &["日期", "科目", "金额", "对方科目", "关联", "关联"],
            &["2026-01-05", "income:parking", "500", "", "", ""],
        ]);
        assert!(
            read_entries(&sheet, Sheet::Committee).unwrap_err().en().contains("row 1: column '关联' appears twice")
        );
        let sheet = rows(&[
            &["日期", "科目", "金额", "对方科目", "关联"],
            &["2026-01-05", "银行", "500", "bank", ""],
            &["2026-01-05", "income:parking", "500", "fund:13", "vote 3"],
            &["2026-01-05", "income:parking", "500", "", "", "surplus"],
        ]);
        let e = read_entries(&sheet, Sheet::Committee).unwrap_err().en();
        assert!(e.contains("row 2: the account and its counterpart are both bank"), "{e}");
        assert!(e.contains("row 3: link 'vote 3' is not matter:ID"), "{e}");
        assert!(e.contains("row 4: the row has 6 cells but the header 5 columns"), "{e}");
        let sheet = rows(&[&["date", "amount"]]);
        assert_eq!(
            read_entries(&sheet, Sheet::Committee).unwrap_err().en(),
            "1 problem(s), nothing imported:\nrow 1: missing column 'account'"
        );
    }

    #[test]
    fn the_journal_has_a_row_per_posting() {
        let mut l = Ledger::new(Chart::any());
        let d = Draft::on(date(2026, 1, 5))
            .debit(Account::Bank, Money::from_fen(100))
            .credit(Account::Income(Source::Parking), Money::from_fen(100));
        l.post(d, None).unwrap();
        l.reverse(1, date(2026, 1, 6), "typo").unwrap();
        let j = journal_rows(&l);
        assert_eq!(j.len(), 5);
        assert_eq!(j[2], ["1", "2026-01-05", "income:parking", "-1.00", "", "", "", ""]);
        assert_eq!(j[4][7], "1");
        assert_eq!(accounts_for(Sheet::Quarter).len(), 8);
    }
}
