//! The quarter's public-revenue statement (沪房规范〔2025〕8号 Arts. 2, 9–11, 14): income,
//! management costs, the net, and the top-up to the maintenance fund at the covenant's rate,
//! which must be more than 50% (Provisions Art. 51, the measures' Art. 11; the issue reads it
//! strictly, so 0.5 itself is refused) and at most 100%. Rates are exact decimals, never floats.
//!
//! top-up = net × rate, rounded half up to the fen. A quarter whose costs exceed its income
//! (a negative net) tops up nothing: there is no revenue to add, and the fund is never drawn
//! to cover a loss.

use super::account::{Account, CostKind, Source};
use super::deadlines::{statement_by, transfer_by};
use super::import::{Sheet, csv_rows, read_entries};
use super::ledger::{Chart, Draft, Ledger};
use super::refusal::FundsRefusal as R;
use super::{ser_date, ser_natural};
use crate::kit::{Money, Refused};
use crate::registry::BuildingNo;
use jiff::civil::{Date, date};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A calendar quarter, `2026Q1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i16,
    q: i8,
}

impl Quarter {
    pub fn new(year: i16, q: i8) -> Option<Quarter> {
        ((1..=4).contains(&q) && (1900..=9998).contains(&year)).then_some(Quarter { year, q })
    }

    /// `2026Q1` (also `2026q1`, `2026-Q1`).
    pub fn parse(s: &str) -> Result<Quarter, Refused> {
        let bad = || R::BadQuarter { value: s.trim().into() }.refused();
        let t = s.trim().to_ascii_uppercase();
        let (y, q) = t.split_once('Q').ok_or_else(bad)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        if y.len() != 4 || q.len() != 1 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Quarter::new(y.parse().map_err(|_| bad())?, q.parse().map_err(|_| bad())?).ok_or_else(bad)
    }

    pub fn of(day: Date) -> Quarter {
        Quarter { year: day.year(), q: (day.month() - 1) / 3 + 1 }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn number(self) -> i8 {
        self.q
    }

    pub fn first_month(self) -> i8 {
        (self.q - 1) * 3 + 1
    }

    pub fn first_day(self) -> Date {
        date(self.year, self.first_month(), 1)
    }

    pub fn last_day(self) -> Date {
        date(self.year, self.first_month() + 2, 1).last_of_month()
    }

    pub fn contains(self, day: Date) -> bool {
        Quarter::of(day) == self
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 { Quarter { year: self.year + 1, q: 1 } } else { Quarter { year: self.year, q: self.q + 1 } }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The covenant's top-up rate, exactly: `num / 10^scale`, above 1/2 and at most 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    num: i64,
    scale: u32,
}

const MAX_DECIMALS: u32 = 18;

impl Rate {
    /// `0.6`, `0.500001`, `1`, `60%`; at most 18 decimals (trailing zeros do not count).
    pub fn parse(s: &str) -> Result<Rate, Refused> {
        let raw = s.trim();
        let bad = || R::BadRate { value: raw.into() }.refused();
        let (t, pct) = match raw.strip_suffix(['%', '％']) {
            Some(n) => (n.trim(), true),
            None => (raw, false),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let frac = frac.trim_end_matches('0');
        let scale = frac.len() as u32 + if pct { 2 } else { 0 };
        if scale > MAX_DECIMALS {
            return Err(bad());
        }
        let digits = format!("{int}{frac}");
        let one = 10u128.pow(scale);
        // a number too long for u128 is far above 1
        let num = match digits.trim_start_matches('0') {
            "" => 0,
            d => d.parse::<u128>().unwrap_or(u128::MAX),
        };
        if 2 * num.min(u128::MAX / 2) <= one {
            return R::RateNotAboveHalf { rate: raw.into() }.err();
        }
        if num > one {
            return R::RateAboveOne { rate: raw.into() }.err();
        }
        let (mut num, mut scale) = (num as i64, scale);
        // one rate, one value: 60% and 0.6 are the same
        while scale > 0 && num % 10 == 0 {
            num /= 10;
            scale -= 1;
        }
        Ok(Rate { num, scale })
    }

    /// net × rate, half up to the fen; nothing for a net of zero or below.
    pub fn top_up(self, net: Money) -> Money {
        if net.fen() <= 0 {
            return Money::ZERO;
        }
        let one = 10i128.pow(self.scale);
        let x = i128::from(net.fen()) * i128::from(self.num);
        Money::from_fen(((2 * x + one) / (2 * one)) as i64)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = 10i64.pow(self.scale);
        let (i, r) = (self.num / one, self.num % one);
        if r == 0 {
            return write!(f, "{i}");
        }
        let frac = format!("{r:0w$}", w = self.scale as usize);
        write!(f, "{i}.{}", frac.trim_end_matches('0'))
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One building's figures in a quarter (income booked to it: a lift's adverts, Art. 10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BuildingFigures {
    pub building: BuildingNo,
    pub income: Money,
    pub costs: Money,
}

/// The quarter's public-revenue statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub quarter: Quarter,
    pub income: Money,
    pub income_by_source: Vec<(Source, Money)>,
    pub costs: Money,
    pub costs_by_kind: Vec<(CostKind, Money)>,
    /// income − costs; may be negative.
    pub net: Money,
    pub rate: Rate,
    pub top_up: Money,
    /// Buildings with income or costs booked to them in the quarter, in natural order.
    pub per_building: Vec<BuildingFigures>,
    #[serde(serialize_with = "ser_date")]
    pub statement_by: Date,
    #[serde(serialize_with = "ser_date")]
    pub transfer_by: Date,
}

impl Statement {
    /// The statement from the ledger's transactions dated within the quarter (a reversal counts
    /// in the quarter of its own date).
    pub fn of(ledger: &Ledger, quarter: Quarter, rate: Rate) -> Statement {
        let mut by_source: BTreeMap<Source, i64> = BTreeMap::new();
        let mut by_kind: BTreeMap<CostKind, i64> = BTreeMap::new();
        let mut by_building: BTreeMap<(usize, BuildingNo), (i64, i64)> = BTreeMap::new();
        for t in ledger.transactions().iter().filter(|t| quarter.contains(t.date)) {
            for p in &t.postings {
                let (inc, cost) = match p.account {
                    Account::Income(s) => {
                        *by_source.entry(s).or_default() -= p.amount.fen();
                        (-p.amount.fen(), 0)
                    }
                    Account::Cost(k) => {
                        *by_kind.entry(k).or_default() += p.amount.fen();
                        (0, p.amount.fen())
                    }
                    _ => continue,
                };
                if let Some(b) = &t.building {
                    let e = by_building.entry((b.as_str().len(), b.clone())).or_default();
                    e.0 += inc;
                    e.1 += cost;
                }
            }
        }
        let income: i64 = by_source.values().sum();
        let costs: i64 = by_kind.values().sum();
        let net = Money::from_fen(income - costs);
        Statement {
            quarter,
            income: Money::from_fen(income),
            income_by_source: by_source.into_iter().map(|(s, m)| (s, Money::from_fen(m))).collect(),
            costs: Money::from_fen(costs),
            costs_by_kind: by_kind.into_iter().map(|(k, m)| (k, Money::from_fen(m))).collect(),
            net,
            rate,
            top_up: rate.top_up(net),
            per_building: by_building
                .into_iter()
                .filter(|(_, (i, c))| *i != 0 || *c != 0)
                .map(|((_, building), (i, c))| BuildingFigures {
                    building,
                    income: Money::from_fen(i),
                    costs: Money::from_fen(c),
                })
                .collect(),
            statement_by: statement_by(quarter),
            transfer_by: transfer_by(quarter),
        }
    }

    /// The transfer of the net from the supervised account to the public-revenue sub-account
    /// (Art. 9); None when there is no net to transfer.
    pub fn transfer_draft(&self, on: Date) -> Option<Draft> {
        (self.net.fen() > 0).then(|| {
            Draft::on(on)
                .debit(Account::Revenue, self.net)
                .credit(Account::Bank, self.net)
                .memo(format!("{} net public revenue to the sub-account", self.quarter))
        })
    }

    /// The top-up from the public-revenue sub-account to the fund's unallocated pool (Art. 11);
    /// None when it is nothing.
    pub fn top_up_draft(&self, on: Date) -> Option<Draft> {
        (self.top_up.fen() > 0).then(|| {
            Draft::on(on)
                .debit(Account::Fund(super::account::FundPart::Pool), self.top_up)
                .credit(Account::Revenue, self.top_up)
                .memo(format!("{} top-up to the maintenance fund at {}", self.quarter, self.rate))
        })
    }
}

/// `gongzhi ledger quarter`'s answer. Serialises exactly as
/// `{"quarter","income","costs","net","top_up","statement_by","transfer_by","per_building"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuarterOutput {
    pub quarter: String,
    pub income: Money,
    pub costs: Money,
    pub net: Money,
    pub top_up: Money,
    pub statement_by: String,
    pub transfer_by: String,
    /// The quarter's income booked to each building with some, in natural order.
    #[serde(serialize_with = "ser_natural")]
    pub per_building: Vec<(BuildingNo, Money)>,
    #[serde(skip)]
    pub statement: Statement,
}

impl QuarterOutput {
    pub fn from_statement(s: Statement) -> QuarterOutput {
        QuarterOutput {
            quarter: s.quarter.to_string(),
            income: s.income,
            costs: s.costs,
            net: s.net,
            top_up: s.top_up,
            statement_by: s.statement_by.to_string(),
            transfer_by: s.transfer_by.to_string(),
            per_building: s
                .per_building
                .iter()
                .filter(|b| b.income.fen() != 0)
                .map(|b| (b.building.clone(), b.income))
                .collect(),
            statement: s,
        }
    }

    pub fn text(&self) -> String {
        let s = &self.statement;
        let line = |label: &str, m: Money, zh: &str| format!("  {label:<24}{:>14}  {zh}\n", m.to_string());
        let mut out = format!("Public revenue statement {} (公共收益季度公示)\n", self.quarter);
        out += &line("income", self.income, "收入");
        for (src, m) in &s.income_by_source {
            out += &line(&format!("  {}", src.as_str()), *m, src.name_zh());
        }
        out += &line("management costs", self.costs, "管理成本");
        for (k, m) in &s.costs_by_kind {
            out += &line(&format!("  {}", k.as_str()), *m, k.name_zh());
        }
        out += &line("net public revenue", self.net, "净收益");
        out += &line(&format!("top-up at {}", s.rate), self.top_up, "补充维修资金");
        if s.net.fen() < 0 {
            out += "Costs exceed income this quarter: nothing is added to the fund.\n";
        }
        if !self.per_building.is_empty() {
            out += "Income booked to buildings (分幢收入):\n";
            for (b, m) in &self.per_building {
                out += &line(&format!("building {b}"), *m, &format!("{b}号楼"));
            }
        }
        out += &format!(
            "Post the statement by {} (公示截止); transfer the net to the sub-account by {} (划转截止).\n",
            self.statement_by, self.transfer_by
        );
        out
    }
}

/// The core of `gongzhi ledger quarter --entries E.csv --quarter 2026Q1 --rate R`: the file's
/// contents, the quarter and the rate as given. Every row is checked, those outside the quarter
/// too; all bad rows are reported together (header row 1, first data row 2).
pub fn quarter_cli(entries_csv: &str, quarter: &str, rate: &str) -> Result<QuarterOutput, Refused> {
    let quarter = Quarter::parse(quarter)?;
    let rate = Rate::parse(rate)?;
    let rows = csv_rows(entries_csv)?;
    let entries = read_entries(&rows, Sheet::Quarter)?;
    let mut ledger = Ledger::new(Chart::any());
    for e in entries {
        // income and costs need no authority; a row that could not post was refused above
        ledger.post(e.draft(), None)?;
    }
    Ok(QuarterOutput::from_statement(Statement::of(&ledger, quarter, rate)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKED: &str = "date,account,amount,building,memo
2026-01-10,income:parking,80000,,car park January-March
2026-02-01,income:advert,40000,13,lift adverts in Building 13
2026-03-31,cost:tax,6000,,
2026-03-31,cost:labour,24000,,
2025-12-31,income:parking,99999.99,,previous quarter
2026-04-01,income:advert,5000,12,next quarter
";

    fn json(o: &QuarterOutput) -> String {
        serde_json::to_string(o).unwrap()
    }

    #[test]
    fn the_worked_example_tops_up_54000_from_a_net_of_90000_at_60_percent() {
        let o = quarter_cli(WORKED, "2026Q1", "0.6").unwrap();
        assert_eq!(
            json(&o),
            r#"{"quarter":"2026Q1","income":"120000.00","costs":"30000.00","net":"90000.00","top_up":"54000.00","statement_by":"2026-04-15","transfer_by":"2026-04-30","per_building":{"13":"40000.00"}}"#
        );
        let t = o.text();
        assert!(t.contains("54000.00") && t.contains("2026-04-15") && t.contains("building 13"), "{t}");
    }

    #[test]
    fn the_fourth_quarters_statement_and_transfer_fall_in_january() {
        let o = quarter_cli(WORKED, "2025q4", "1").unwrap();
        assert_eq!((o.income.to_string(), o.top_up.to_string()), ("99999.99".into(), "99999.99".into()));
        assert_eq!((o.statement_by.as_str(), o.transfer_by.as_str()), ("2026-01-15", "2026-01-31"));
        assert!(o.per_building.is_empty());
        assert_eq!(json(&o).matches("\"per_building\":{}").count(), 1);
    }

    #[test]
    fn a_rate_of_half_is_refused_and_a_millionth_more_is_accepted() {
        for (r, code) in [
            ("0.5", "funds.rate-not-above-half"),
            ("0.50", "funds.rate-not-above-half"),
            ("50%", "funds.rate-not-above-half"),
            ("0.3", "funds.rate-not-above-half"),
            ("0", "funds.rate-not-above-half"),
            ("1.000001", "funds.rate-above-one"),
            ("2", "funds.rate-above-one"),
            ("99999999999999999999999999999999999999999", "funds.rate-above-one"),
            ("-0.6", "funds.bad-rate"),
            ("0,6", "funds.bad-rate"),
            (".", "funds.bad-rate"),
            ("", "funds.bad-rate"),
            ("0.6000000000000000001", "funds.bad-rate"),
        ] {
            assert_eq!(Rate::parse(r).unwrap_err().code(), code, "{r}");
        }
        assert_eq!(quarter_cli(WORKED, "2026Q1", "0.5").unwrap_err().code(), "funds.rate-not-above-half");
        let r = Rate::parse("0.500001").unwrap();
        assert_eq!(r.to_string(), "0.500001");
        assert_eq!(r.top_up(Money::from_fen(9_000_000)).fen(), 4_500_009);
        assert_eq!(Rate::parse("60%").unwrap(), Rate::parse("0.600").unwrap());
        assert_eq!(Rate::parse("1").unwrap().to_string(), "1");
        assert_eq!(Rate::parse("1.000").unwrap().top_up(Money::from_fen(12_345)).fen(), 12_345);
    }

    #[test]
    fn the_top_up_rounds_half_up_to_the_fen_and_a_loss_tops_up_nothing() {
        let r = Rate::parse("0.55").unwrap();
        // 0.11 × 0.55 = 0.0605 → 0.06; 0.10 × 0.55 = 0.055 → 0.06 (half up); 0.09 × 0.55 = 0.0495 → 0.05
        assert_eq!(r.top_up(Money::from_fen(11)).fen(), 6);
        assert_eq!(r.top_up(Money::from_fen(10)).fen(), 6);
        assert_eq!(r.top_up(Money::from_fen(9)).fen(), 5);
        assert_eq!(r.top_up(Money::from_fen(-100_000)), Money::ZERO);
        let o = quarter_cli(
            "date,account,amount,building,memo\n2026-05-01,income:venue,100,,\n2026-05-02,cost:energy,250.5,,\n",
            "2026Q2",
            "0.6",
        )
        .unwrap();
        assert_eq!((o.net.to_string(), o.top_up.to_string()), ("-150.50".into(), "0.00".into()));
        assert!(o.text().contains("nothing is added"));
    }

    #[test]
    fn a_malformed_quarter_is_refused() {
        for q in ["2026Q5", "2026Q0", "26Q1", "2026", "Q1", "2026Q12", "2026 Q1x"] {
            assert_eq!(quarter_cli(WORKED, q, "0.6").unwrap_err().code(), "funds.bad-quarter", "{q}");
        }
        let q = Quarter::parse("2026-Q3").unwrap();
        assert_eq!((q.first_day(), q.last_day()), (date(2026, 7, 1), date(2026, 9, 30)));
        assert_eq!(Quarter::of(date(2026, 12, 31)).to_string(), "2026Q4");
    }

    #[test]
    fn every_bad_row_is_named_with_its_account_and_amount_even_outside_the_quarter() {
        let csv = "date,account,amount,building,memo
2026-01-10,income:parking,80000,,
2025-06-31,income:parking,10,,
2026-02-01,income:rent,10,,
2026-02-01,cost:tax,-5,,
2026-02-01,cost:tax,0,,
2026-02-01,income:advert,12.345,13,
2026-02-01,bank,10,,
2026-02-01,income:advert,10,十三,
2026-02-01,income:advert,10000000000.01,,
";
        let e = quarter_cli(csv, "2026Q1", "0.6").unwrap_err();
        assert_eq!(e.code(), "funds.bad-rows");
        let en = e.en();
        let lines: Vec<&str> = en.lines().collect();
        assert_eq!(lines[0], "8 problem(s), nothing imported:");
        assert_eq!(lines[1], "row 3: date '2025-06-31' is not a date YYYY-MM-DD");
        assert!(lines[2].starts_with("row 4: unknown account 'income:rent'"), "{en}");
        assert_eq!(lines[3], "row 5: amount -5.00 for cost:tax must be above 0");
        assert_eq!(lines[4], "row 6: amount 0.00 for cost:tax must be above 0");
        assert_eq!(
            lines[5],
            "row 7: amount '12.345' for income:advert is not an amount in yuan with at most 2 decimals"
        );
        assert!(lines[6].starts_with("row 8: account 'bank' is not allowed in this sheet"), "{en}");
        assert_eq!(lines[7], "row 9: building '十三' is not a building number like 13 or 13号楼");
        assert_eq!(
            lines[8],
            "row 10: amount 10000000000.01 for income:advert is over the largest amount the books take, 10000000000.00"
        );
        assert!(e.zh().contains("第 3 行：日期 '2025-06-31' 格式不对"));
        assert_eq!(e.values()["rows"][0]["row"], 3);
        assert_eq!(e.values()["rows"][0]["code"], "funds.bad-date");
    }

    #[test]
    fn the_header_must_be_exactly_the_five_columns() {
        let code = |csv: &str| quarter_cli(csv, "2026Q1", "0.6").unwrap_err();
        let e = code("date,account,amount,memo\n");
        assert_eq!(e.en(), "1 problem(s), nothing imported:\nrow 1: missing column 'building'");
        let e = code("date,account,amount,building,memo,note\n");
        assert!(e.en().contains("row 1: unknown column 'note' (expected: date,account,amount,building,memo)"));
        let e = code("date,account,amount,building,memo,amount\n");
        assert!(e.en().contains("row 1: column 'amount' appears twice"));
        assert_eq!(code("").code(), "funds.empty-sheet");
        // Excel's BOM, a header alone, and blank lines are fine
        let o = quarter_cli("\u{feff}date,account,amount,building,memo\n", "2026Q1", "0.6").unwrap();
        assert_eq!(o.income, Money::ZERO);
        let o = quarter_cli(
            "date,account,amount,building,memo\n\n,,,,\n2026-03-01,income:other,1,13号楼,\n",
            "2026Q1",
            "0.6",
        )
        .unwrap();
        assert_eq!(json(&o).split("per_building").nth(1), Some(r#"":{"13":"1.00"}}"#));
    }

    #[test]
    fn per_building_lists_buildings_in_natural_order_with_their_income_only() {
        let csv = "date,account,amount,building,memo
2026-01-02,income:advert,100,13,
2026-01-02,income:advert,50,4,
2026-01-03,cost:energy,30,2,
2026-01-04,income:parking,20,13,
";
        let o = quarter_cli(csv, "2026Q1", "0.6").unwrap();
        assert_eq!(json(&o).split("per_building").nth(1), Some(r#"":{"4":"50.00","13":"120.00"}}"#));
        assert_eq!(o.statement.per_building.len(), 3);
    }

    #[test]
    fn the_statement_books_the_transfer_and_the_top_up() {
        let mut l = Ledger::new(Chart::any());
        let rows = csv_rows(WORKED).unwrap();
        for e in read_entries(&rows, Sheet::Quarter).unwrap() {
            l.post(e.draft(), None).unwrap();
        }
        let s = Statement::of(&l, Quarter::parse("2026Q1").unwrap(), Rate::parse("0.6").unwrap());
        l.post(s.transfer_draft(date(2026, 4, 20)).unwrap(), None).unwrap();
        l.post(s.top_up_draft(date(2026, 4, 30)).unwrap(), None).unwrap();
        let on = date(2026, 4, 30);
        assert_eq!(l.balance(&Account::Revenue, on).to_string(), "36000.00");
        assert_eq!(l.balance(&Account::Fund(super::super::account::FundPart::Pool), on).to_string(), "54000.00");
        assert_eq!(l.trial_balance(on).total, Money::ZERO);
    }
}
