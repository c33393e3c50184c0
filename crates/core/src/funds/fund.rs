//! The special maintenance fund (专项维修资金): balances by building and household, the draw
//! rules for approved works, and replenishing a low fund (law-and-practice §6.2).
//!
//! Draws (沪房规范〔2024〕7号 §6(4)); "不超过" includes the boundary:
//! - `first-draw-30`: the first draw is at most 30% of the contract price;
//! - `before-review-90`: before the cost review, all draws together at most 90% of it;
//! - `reviewed-amount`: after the review, all draws together at most the reviewed amount (the
//!   90% cap no longer applies; the review may settle above the contract when works were added).
//!
//! The **limit** of a draw is the largest amount it may be: the smallest of the applicable
//! rules' room, each room floored to the fen and never negative. A draw is **allowed** when its
//! amount is at most the limit; when it is not, the **rule** named is the binding one, the rule
//! giving that smallest limit (ties go to the rule listed first above).

use super::account::{Account, FundPart};
use super::ledger::{Draft, Ledger, Link, Posting};
use super::refusal::FundsRefusal as R;
use crate::kit::period::{Length, Period, PeriodRule, RestDays, period_from_day};
use crate::kit::{Money, Refused};
use crate::registry::{BuildingNo, UnitNo};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// A rule of §6(4) that can cap a draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DrawRule {
    #[serde(rename = "first-draw-30")]
    FirstDraw30,
    #[serde(rename = "before-review-90")]
    BeforeReview90,
    #[serde(rename = "reviewed-amount")]
    ReviewedAmount,
}

impl DrawRule {
    pub fn as_str(self) -> &'static str {
        match self {
            DrawRule::FirstDraw30 => "first-draw-30",
            DrawRule::BeforeReview90 => "before-review-90",
            DrawRule::ReviewedAmount => "reviewed-amount",
        }
    }

    pub fn explain_zh(self) -> &'static str {
        match self {
            DrawRule::FirstDraw30 => "首次支取不超过合同价的 30%",
            DrawRule::BeforeReview90 => "审价前累计支取不超过合同价的 90%",
            DrawRule::ReviewedAmount => "审价后累计支取不超过审定金额",
        }
    }

    pub fn explain_en(self) -> &'static str {
        match self {
            DrawRule::FirstDraw30 => "the first draw is at most 30% of the contract price",
            DrawRule::BeforeReview90 => "before the cost review, draws total at most 90% of the contract price",
            DrawRule::ReviewedAmount => "after the cost review, draws total at most the reviewed amount",
        }
    }
}

/// Where a project's payments stand when a draw is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DrawTerms {
    pub contract: Money,
    /// What earlier draws paid in total.
    pub paid: Money,
    /// Whether this is the project's first draw.
    pub first: bool,
    /// The cost review's amount, once it is in.
    pub reviewed: Option<Money>,
}

/// The answer for one draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DrawCheck {
    pub allowed: bool,
    /// The largest amount this draw may be.
    pub limit: Money,
    /// The rule giving the limit (always one: either 90% or the reviewed amount applies).
    pub binding: DrawRule,
    /// The rule that refuses the draw; None when it is allowed.
    pub rule: Option<DrawRule>,
}

/// Each applicable rule with the room it leaves, in fen, in the order of [`DrawRule`].
pub fn draw_limits(t: &DrawTerms) -> Vec<(DrawRule, i64)> {
    let c = i128::from(t.contract.fen());
    let paid = i128::from(t.paid.fen());
    let room = |cap: i128| (cap - paid).clamp(0, i128::from(i64::MAX)) as i64;
    let mut out = Vec::with_capacity(2);
    if t.first {
        out.push((DrawRule::FirstDraw30, room(c * 3 / 10)));
    }
    match t.reviewed {
        None => out.push((DrawRule::BeforeReview90, room(c * 9 / 10))),
        Some(v) => out.push((DrawRule::ReviewedAmount, room(i128::from(v.fen())))),
    }
    out
}

pub fn check_draw(t: &DrawTerms, amount: Money) -> DrawCheck {
    let limits = draw_limits(t);
    // min_by_key keeps the first of equal limits
    let (binding, limit) = limits.iter().copied().min_by_key(|(_, l)| *l).unwrap_or((DrawRule::BeforeReview90, 0));
    let allowed = amount.fen() <= limit;
    DrawCheck { allowed, limit: Money::from_fen(limit), binding, rule: (!allowed).then_some(binding) }
}

/// `gongzhi ledger draw`'s answer. Serialises exactly as `{"allowed","limit","rule"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DrawOutput {
    pub allowed: bool,
    pub limit: Money,
    pub rule: Option<DrawRule>,
    #[serde(skip)]
    pub amount: Money,
    #[serde(skip)]
    pub terms: DrawTerms,
    #[serde(skip)]
    pub binding: DrawRule,
}

impl DrawOutput {
    pub fn text(&self) -> String {
        let t = &self.terms;
        let mut s = format!(
            "Contract {}; paid so far {}; {}; {}.\n",
            t.contract,
            t.paid,
            if t.first { "this is the first draw" } else { "not the first draw" },
            match t.reviewed {
                Some(v) => format!("cost review: {v}"),
                None => "cost review not yet in".into(),
            }
        );
        let b = self.binding;
        if self.allowed {
            s += &format!("Allowed: {} is within this draw's limit of {}.\n", self.amount, self.limit);
        } else {
            s += &format!("Refused by {}: {} is over this draw's limit of {}.\n", b.as_str(), self.amount, self.limit);
        }
        s += &format!("Limit set by {}: {} ({}).\n", b.as_str(), b.explain_en(), b.explain_zh());
        s
    }
}

fn money(field: &str, v: &str) -> Result<Money, Refused> {
    Money::parse(v).map_err(|_| R::BadMoney { field: field.into(), value: v.trim().into() }.refused())
}

fn positive(field: &str, v: &str) -> Result<Money, Refused> {
    let m = money(field, v)?;
    if m.fen() <= 0 { R::NotPositive { field: field.into(), amount: m }.err() } else { Ok(m) }
}

/// The core of `gongzhi ledger draw --contract C --paid P [--draws N] [--reviewed V] --amount A`.
///
/// Contract, reviewed amount and draw amount must be above 0, paid 0 or more and at most the
/// contract. `--draws` matters only as "first or not": 0 means this is the first draw (then
/// nothing can have been paid); N ≥ 1 means it is not (then something was). Omitted, it is
/// read from what was paid: nothing paid, the first draw; something paid, not the first.
pub fn draw_cli(
    contract: &str,
    paid: &str,
    draws: Option<&str>,
    reviewed: Option<&str>,
    amount: &str,
) -> Result<DrawOutput, Refused> {
    let contract = positive("--contract", contract)?;
    let paid_m = money("--paid", paid)?;
    if paid_m.fen() < 0 {
        return R::Negative { field: "--paid".into(), amount: paid_m }.err();
    }
    let reviewed = reviewed.map(|v| positive("--reviewed", v)).transpose()?;
    let amount = positive("--amount", amount)?;
    if paid_m > contract {
        return R::PaidOverContract { paid: paid_m, contract }.err();
    }
    let first = match draws {
        None => paid_m.fen() == 0,
        Some(n) => {
            let n: u64 = n.trim().parse().map_err(|_| R::BadDrawCount { value: n.trim().into() }.refused())?;
            if n == 0 && paid_m.fen() > 0 {
                return R::NoDrawsButPaid { paid: paid_m }.err();
            }
            if n > 0 && paid_m.fen() == 0 {
                return R::DrawsButNothingPaid { draws: n }.err();
            }
            n == 0
        }
    };
    let terms = DrawTerms { contract, paid: paid_m, first, reviewed };
    let c = check_draw(&terms, amount);
    Ok(DrawOutput { allowed: c.allowed, limit: c.limit, rule: c.rule, amount, terms, binding: c.binding })
}

/// A draw for a project, taken from the given parts of the fund (a building's households, by
/// the shares the sharing rules gave them), paid out as spending. Parts of 0.00 are left out.
pub fn draw_draft(date: Date, project: &str, matter: &str, from: &[(FundPart, Money)]) -> Draft {
    let total: i64 = from.iter().map(|(_, m)| m.fen()).sum();
    let mut d = Draft::on(date).link(Link::Project { project: project.into(), matter: matter.into() });
    d.postings.push(Posting { account: Account::Spending, amount: Money::from_fen(total) });
    for (part, m) in from.iter().filter(|(_, m)| m.fen() != 0) {
        d = d.credit(Account::Fund(part.clone()), *m);
    }
    d
}

/// The fund at a date: the unallocated pool, each building (with its households), each household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FundBalances {
    pub pool: Money,
    pub buildings: Vec<(BuildingNo, Money)>,
    pub households: Vec<(UnitNo, Money)>,
    pub total: Money,
}

/// Buildings in natural order (`2` before `10`).
fn natural(b: &BuildingNo) -> (usize, BuildingNo) {
    (b.as_str().len(), b.clone())
}

pub fn fund_balances(ledger: &Ledger, on: Date) -> FundBalances {
    let mut pool = 0;
    let mut buildings: BTreeMap<(usize, BuildingNo), i64> = BTreeMap::new();
    let mut households: BTreeMap<UnitNo, i64> = BTreeMap::new();
    for (a, m) in ledger.balances(on) {
        match (&a, a.building()) {
            (Account::Fund(FundPart::Pool), _) => pool += m.fen(),
            (Account::Fund(part), Some(b)) => {
                *buildings.entry(natural(&b)).or_default() += m.fen();
                if let FundPart::Household(u) = part {
                    *households.entry(u.clone()).or_default() += m.fen();
                }
            }
            _ => {}
        }
    }
    let total = pool + buildings.values().sum::<i64>();
    FundBalances {
        pool: Money::from_fen(pool),
        buildings: buildings.into_iter().map(|((_, b), m)| (b, Money::from_fen(m))).collect(),
        households: households.into_iter().map(|(u, m)| (u, Money::from_fen(m))).collect(),
        total: Money::from_fen(total),
    }
}

/// When a household's fund must be replenished, and to what (Provisions Art. 65). The shares
/// and days are the law's defaults; a covenant may set others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ReplenishRule {
    /// Flag a balance below this share of the first contribution (ppm; 30%).
    pub below_ppm: i64,
    /// The demand brings the balance back to this share (ppm; 50%).
    pub target_ppm: i64,
    /// Days the general meeting has to decide before the bank's notices go out.
    pub decide_days: u32,
    /// Days owners have to pay once noticed.
    pub pay_days: u32,
}

impl Default for ReplenishRule {
    fn default() -> Self {
        ReplenishRule { below_ppm: 300_000, target_ppm: 500_000, decide_days: 90, pay_days: 90 }
    }
}

impl ReplenishRule {
    pub fn validate(&self) -> Result<(), Refused> {
        let bad = |setting: &str, value: String| R::BadSetting { setting: setting.into(), value }.err();
        if !(1..=1_000_000).contains(&self.below_ppm) {
            return bad("below_ppm", self.below_ppm.to_string());
        }
        if !(self.below_ppm..=1_000_000).contains(&self.target_ppm) {
            return bad("target_ppm", self.target_ppm.to_string());
        }
        if self.decide_days == 0 || self.pay_days == 0 {
            return bad("days", format!("{}/{}", self.decide_days, self.pay_days));
        }
        Ok(())
    }
}

/// A household whose fund is low, and what it must pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replenishment {
    pub household: UnitNo,
    pub first: Money,
    pub balance: Money,
    /// Below this the balance is low (the share of the first contribution, rounded up to the fen).
    pub floor: Money,
    /// What the balance must come back to (rounded up, so it is reached).
    pub target: Money,
    pub demand: Money,
}

fn share_up(m: Money, ppm: i64) -> i64 {
    let x = i128::from(m.fen()) * i128::from(ppm);
    (x.div_euclid(1_000_000) + i128::from(x.rem_euclid(1_000_000) != 0)) as i64
}

/// The demand on a household whose balance is below the rule's share of its first contribution.
pub fn replenishment(household: &UnitNo, first: Money, balance: Money, rule: &ReplenishRule) -> Option<Replenishment> {
    // balance < first × 30% ⇔ balance < ⌈first × 30%⌉ for a whole number of fen
    let floor = share_up(first, rule.below_ppm);
    if first.fen() <= 0 || balance.fen() >= floor {
        return None;
    }
    let target = share_up(first, rule.target_ppm);
    Some(Replenishment {
        household: household.clone(),
        first,
        balance,
        floor: Money::from_fen(floor),
        target: Money::from_fen(target),
        demand: Money::from_fen(target - balance.fen()),
    })
}

/// The general meeting's time to decide how to replenish, from the day the balance was flagged.
pub fn decide_by(flagged: Date, rule: &ReplenishRule, counting: PeriodRule, rest: &RestDays) -> Period {
    period_from_day(flagged, Length::Days(rule.decide_days), counting, rest)
}

/// The owners' time to pay, from the day the bank's payment notice was issued.
pub fn pay_by(noticed: Date, rule: &ReplenishRule, counting: PeriodRule, rest: &RestDays) -> Period {
    period_from_day(noticed, Length::Days(rule.pay_days), counting, rest)
}

/// Each household's first contribution: its earliest contribution not reversed.
pub fn first_contributions(ledger: &Ledger) -> BTreeMap<UnitNo, Money> {
    let mut txs: Vec<_> = ledger
        .transactions()
        .iter()
        .filter(|t| t.reverses.is_none() && ledger.reversed_by(t.id).is_none())
        .filter(|t| t.postings.iter().any(|p| p.account == Account::Contributions && p.amount.fen() < 0))
        .collect();
    txs.sort_by_key(|t| (t.date, t.id));
    let mut out = BTreeMap::new();
    for t in txs {
        for p in &t.postings {
            if let (Account::Fund(FundPart::Household(u)), true) = (&p.account, p.amount.fen() > 0) {
                out.entry(u.clone()).or_insert(p.amount);
            }
        }
    }
    out
}

/// Every household to replenish at the close of `on`.
pub fn to_replenish(ledger: &Ledger, on: Date, rule: &ReplenishRule) -> Vec<Replenishment> {
    first_contributions(ledger)
        .into_iter()
        .filter_map(|(u, first)| {
            let balance = ledger.fund_balance(&FundPart::Household(u.clone()), on);
            replenishment(&u, first, balance, rule)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn draw(c: &str, p: &str, n: Option<&str>, v: Option<&str>, a: &str) -> DrawOutput {
        draw_cli(c, p, n, v, a).unwrap()
    }

    fn json(o: &DrawOutput) -> String {
        serde_json::to_string(o).unwrap()
    }

    #[test]
    fn a_200000_contracts_first_draw_is_at_most_60000() {
        let ok = draw("200000", "0", None, None, "60000");
        assert_eq!(json(&ok), r#"{"allowed":true,"limit":"60000.00","rule":null}"#);
        let over = draw("200000", "0", Some("0"), None, "60000.01");
        assert_eq!(json(&over), r#"{"allowed":false,"limit":"60000.00","rule":"first-draw-30"}"#);
        assert!(over.text().contains("Refused by first-draw-30"), "{}", over.text());
    }

    #[test]
    fn before_the_review_draws_total_at_most_90_percent() {
        // 60,000 then 60,000 paid: a third draw of 60,000 reaches 180,000, exactly 90%
        let ok = draw("200000", "120000", Some("2"), None, "60000");
        assert_eq!(json(&ok), r#"{"allowed":true,"limit":"60000.00","rule":null}"#);
        let over = draw("200000", "120000", None, None, "60000.01");
        assert_eq!(json(&over), r#"{"allowed":false,"limit":"60000.00","rule":"before-review-90"}"#);
        let full = draw("200000", "180000", Some("3"), None, "0.01");
        assert_eq!(json(&full), r#"{"allowed":false,"limit":"0.00","rule":"before-review-90"}"#);
    }

    #[test]
    fn after_a_review_of_190000_no_more_than_190000_is_paid_in_total() {
        let ok = draw("200000", "180000", Some("3"), Some("190000"), "10000");
        assert_eq!(json(&ok), r#"{"allowed":true,"limit":"10000.00","rule":null}"#);
        let over = draw("200000", "180000", Some("3"), Some("190000"), "10000.01");
        assert_eq!(json(&over), r#"{"allowed":false,"limit":"10000.00","rule":"reviewed-amount"}"#);
        // a review below what was paid leaves nothing to draw, never a negative limit
        let below = draw("200000", "180000", Some("3"), Some("150000"), "1");
        assert_eq!(json(&below), r#"{"allowed":false,"limit":"0.00","rule":"reviewed-amount"}"#);
        // a first draw after a small review: the reviewed amount binds below 30%
        let small = draw("200000", "0", None, Some("50000"), "50000.01");
        assert_eq!(json(&small), r#"{"allowed":false,"limit":"50000.00","rule":"reviewed-amount"}"#);
    }

    #[test]
    fn limits_are_floored_to_the_fen() {
        // 30% of 0.05 is 0.015 → 0.01; 90% of 0.05 is 0.045 → 0.04
        assert_eq!(draw("0.05", "0", None, None, "0.01").limit.fen(), 1);
        assert_eq!(draw("0.05", "0.01", None, None, "0.01").limit.fen(), 3);
    }

    #[test]
    fn bad_draw_input_is_refused_naming_the_field() {
        let code = |c: &str, p: &str, n: Option<&str>, v: Option<&str>, a: &str| draw_cli(c, p, n, v, a).unwrap_err();
        assert_eq!(
            code("abc", "0", None, None, "1").en(),
            "--contract 'abc' is not an amount in yuan with at most 2 decimals"
        );
        assert_eq!(code("0", "0", None, None, "1").code(), "funds.not-positive");
        assert_eq!(code("100", "-1", None, None, "1").en(), "--paid cannot be negative; it is -1.00");
        assert_eq!(code("100", "0", None, None, "-1").code(), "funds.not-positive");
        assert_eq!(code("100", "0", None, None, "0").code(), "funds.not-positive");
        assert_eq!(code("100", "0", None, Some("x"), "1").code(), "funds.bad-money");
        assert_eq!(code("100", "0", None, None, "1.001").code(), "funds.bad-money");
        assert_eq!(code("100", "100.01", None, None, "1").code(), "funds.paid-over-contract");
        assert_eq!(code("100", "10", Some("0"), None, "1").code(), "funds.no-draws-but-paid");
        assert_eq!(code("100", "0", Some("2"), None, "1").code(), "funds.draws-but-nothing-paid");
        assert_eq!(code("100", "10", Some("-1"), None, "1").code(), "funds.bad-draw-count");
        assert_eq!(code("100", "10", Some("one"), None, "1").en(), "--draws 'one' is not a whole number 0 or more");
    }

    #[test]
    fn a_household_below_30_percent_must_come_back_to_50_within_90_days() {
        let u = UnitNo::parse("13-701").unwrap();
        let rule = ReplenishRule::default();
        let first = Money::from_fen(1_000_000);
        assert_eq!(replenishment(&u, first, Money::from_fen(300_000), &rule), None);
        let r = replenishment(&u, first, Money::from_fen(299_999), &rule).unwrap();
        assert_eq!((r.floor.fen(), r.target.fen(), r.demand.fen()), (300_000, 500_000, 200_001));
        // a covenant that asks for 60% when the balance is below 40%
        let own = ReplenishRule { below_ppm: 400_000, target_ppm: 600_000, ..rule };
        assert_eq!(replenishment(&u, first, Money::from_fen(350_000), &own).unwrap().demand.fen(), 250_000);
        // rounded up: 50% of 0.03 is 0.015, so the balance must reach 0.02
        assert_eq!(replenishment(&u, Money::from_fen(3), Money::ZERO, &rule).unwrap().target.fen(), 2);
        let off = PeriodRule { move_off_rest_days: false };
        let rest = RestDays::shipped();
        assert_eq!(pay_by(date(2026, 3, 2), &rule, off, &rest).last_day, date(2026, 5, 31));
        assert_eq!(pay_by(date(2026, 3, 2), &rule, PeriodRule::default(), &rest).last_day, date(2026, 6, 1));
        assert_eq!(decide_by(date(2026, 3, 2), &rule, off, &rest).last_day, date(2026, 5, 31));
        assert!(ReplenishRule { target_ppm: 200_000, ..rule }.validate().is_err());
    }
}
