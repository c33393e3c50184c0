//! A compound's double-entry ledger, after hledger and Beancount: every transaction's postings
//! sum to zero in fen, entries are never edited (a mistake is undone by a reversing entry), and
//! a trial balance therefore always sums to zero.
//!
//! The law's guards sit at the one door, [`Ledger::post`]:
//! - money spent (a debit to `spending`) cites a vote that passed or a standing authorisation
//!   within its limits (沪房规范〔2025〕8号 Art. 13);
//! - money leaving the maintenance fund cites the project it pays, within the draw rules of
//!   沪房规范〔2024〕7号 §6(4) (see [`super::fund`]), or a fund authorisation (§6(1));
//! - public-revenue works of 50,000 yuan or more are flagged for a price review (审价, Art. 12).

use super::account::{Account, FundPart};
pub use super::authority::{Link, MatterStatus, Pays, StandingAuthorisation, WorksContract};
use super::fund::{DrawTerms, check_draw};
use super::refusal::FundsRefusal as R;
use super::ser_date;
use crate::kit::{Money, Refused};
use crate::registry::{BuildingNo, Registry, UnitNo};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A transaction's number in its compound's ledger, from 1 in the order entered.
pub type TxId = u64;

/// No posting is larger than ten billion yuan, so no sum of a ledger's postings overflows.
pub const MAX_POSTING: Money = Money::from_fen(1_000_000_000_000);

/// One line of a transaction: a debit (positive) or a credit (negative) to one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Posting {
    pub account: Account,
    pub amount: Money,
}

/// A transaction as entered, before the ledger accepts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub date: Date,
    pub postings: Vec<Posting>,
    /// The building the transaction belongs to (a lift's adverts), or None for the compound.
    pub building: Option<BuildingNo>,
    pub memo: String,
    pub link: Option<Link>,
}

impl Draft {
    pub fn on(date: Date) -> Draft {
        Draft { date, postings: Vec::new(), building: None, memo: String::new(), link: None }
    }

    pub fn debit(mut self, account: Account, amount: Money) -> Draft {
        self.postings.push(Posting { account, amount });
        self
    }

    pub fn credit(mut self, account: Account, amount: Money) -> Draft {
        self.postings.push(Posting { account, amount: Money::from_fen(-amount.fen()) });
        self
    }

    pub fn memo(mut self, memo: impl Into<String>) -> Draft {
        self.memo = memo.into();
        self
    }

    pub fn building(mut self, building: BuildingNo) -> Draft {
        self.building = Some(building);
        self
    }

    pub fn link(mut self, link: Link) -> Draft {
        self.link = Some(link);
        self
    }
}

/// A transaction the ledger holds. Never edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transaction {
    pub id: TxId,
    #[serde(serialize_with = "ser_date")]
    pub date: Date,
    pub postings: Vec<Posting>,
    pub building: Option<BuildingNo>,
    pub memo: String,
    pub link: Option<Link>,
    /// The transaction this one reverses.
    pub reverses: Option<TxId>,
    /// Public-revenue works of the price-review size (审价, Art. 12).
    pub price_review: bool,
}

/// What [`Ledger::post`] answers: the new transaction's number and whether it needs a price review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Posted {
    pub id: TxId,
    pub price_review: bool,
}

/// Which buildings and households the books may name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chart {
    /// None: any building (a ledger read from a file, without the register).
    buildings: Option<BTreeSet<BuildingNo>>,
    households: BTreeSet<UnitNo>,
}

impl Chart {
    /// Any building or household may be named.
    pub fn any() -> Chart {
        Chart::default()
    }

    /// The buildings and units of the compound's register.
    pub fn of(registry: &Registry) -> Chart {
        Chart {
            buildings: Some(registry.units.iter().map(|u| u.building.clone()).collect()),
            households: registry.units.iter().map(|u| u.no.clone()).collect(),
        }
    }

    pub fn knows_building(&self, b: &BuildingNo) -> bool {
        self.buildings.as_ref().is_none_or(|s| s.contains(b))
    }

    pub fn knows(&self, a: &Account) -> bool {
        match a {
            Account::Fund(FundPart::Building(b)) => self.knows_building(b),
            Account::Fund(FundPart::Household(u)) => self.buildings.is_none() || self.households.contains(u),
            _ => true,
        }
    }
}

/// The compound's settings for its books.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerSettings {
    /// Public-revenue works from this amount on are flagged for a price review (Art. 12: 5万元以上).
    pub price_review_at: Money,
}

impl Default for LedgerSettings {
    fn default() -> Self {
        LedgerSettings { price_review_at: Money::from_fen(5_000_000) }
    }
}

/// Every account's balance at a date; the balances always sum to zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrialBalance {
    #[serde(serialize_with = "ser_date")]
    pub on: Date,
    pub rows: Vec<(Account, Money)>,
    /// The sum of the debit balances.
    pub debits: Money,
    /// The sum of the credit balances, as a positive amount.
    pub credits: Money,
    /// debits − credits: zero in every ledger this module builds.
    pub total: Money,
}

/// What a project's draws have paid so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DrawHistory {
    pub paid: Money,
    /// Draws made and not reversed.
    pub draws: u64,
}

/// One compound's books.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    chart: Chart,
    settings: LedgerSettings,
    txs: Vec<Transaction>,
    reversed_by: BTreeMap<TxId, TxId>,
    authorisations: BTreeMap<String, StandingAuthorisation>,
    works: BTreeMap<String, WorksContract>,
}

/// (debit to spending, money out of the fund) of a transaction's postings, in fen.
fn flows(postings: &[Posting]) -> (i64, i64) {
    let spent = postings.iter().filter(|p| p.account == Account::Spending).map(|p| p.amount.fen()).sum();
    let fund_out = -postings.iter().filter(|p| p.account.is_fund()).map(|p| p.amount.fen()).sum::<i64>();
    (spent, fund_out)
}

impl Ledger {
    pub fn new(chart: Chart) -> Ledger {
        Ledger { chart, ..Ledger::default() }
    }

    pub fn with_settings(chart: Chart, settings: LedgerSettings) -> Ledger {
        Ledger { chart, settings, ..Ledger::default() }
    }

    pub fn transactions(&self) -> &[Transaction] {
        &self.txs
    }

    pub fn get(&self, id: TxId) -> Option<&Transaction> {
        id.checked_sub(1).and_then(|i| self.txs.get(i as usize))
    }

    /// The transaction that reversed `id`, if any.
    pub fn reversed_by(&self, id: TxId) -> Option<TxId> {
        self.reversed_by.get(&id).copied()
    }

    /// Records a standing authorisation of the covenant.
    pub fn authorise(&mut self, a: StandingAuthorisation) -> Result<(), Refused> {
        if self.authorisations.contains_key(&a.id) {
            return R::DuplicateAuthorisation { authorisation: a.id }.err();
        }
        if a.from > a.until || a.per_item.fen() <= 0 || a.total.is_some_and(|t| t.fen() <= 0) {
            return R::BadAuthorisation { authorisation: a.id }.err();
        }
        self.authorisations.insert(a.id.clone(), a);
        Ok(())
    }

    pub fn authorisation(&self, id: &str) -> Option<&StandingAuthorisation> {
        self.authorisations.get(id)
    }

    /// Records the works contract of a project the fund pays.
    pub fn record_contract(&mut self, w: WorksContract) -> Result<(), Refused> {
        if self.works.contains_key(&w.project) {
            return R::DuplicateProject { project: w.project }.err();
        }
        if w.contract.fen() <= 0 {
            return R::NotPositive { field: "contract".into(), amount: w.contract }.err();
        }
        if let Some(v) = w.reviewed.filter(|v| v.fen() <= 0) {
            return R::NotPositive { field: "reviewed".into(), amount: v }.err();
        }
        self.works.insert(w.project.clone(), w);
        Ok(())
    }

    /// Records the cost review's amount; from now on the fund pays no more than it in total.
    pub fn record_review(&mut self, project: &str, reviewed: Money) -> Result<(), Refused> {
        if reviewed.fen() <= 0 {
            return R::NotPositive { field: "reviewed".into(), amount: reviewed }.err();
        }
        match self.works.get_mut(project) {
            Some(w) => {
                w.reviewed = Some(reviewed);
                Ok(())
            }
            None => R::UnknownProject { project: project.into() }.err(),
        }
    }

    pub fn contract(&self, project: &str) -> Option<&WorksContract> {
        self.works.get(project)
    }

    /// Checks a draft as [`Ledger::post`] would, without booking it.
    pub fn check(&self, d: &Draft, matter: Option<MatterStatus>) -> Result<bool, Refused> {
        if d.postings.len() < 2 {
            return R::TooFewPostings { count: d.postings.len() }.err();
        }
        for p in &d.postings {
            if !self.chart.knows(&p.account) {
                return R::UnknownAccount { account: p.account.to_string() }.err();
            }
            if p.amount.fen() == 0 {
                return R::ZeroPosting { account: p.account.to_string() }.err();
            }
            if p.amount.fen().unsigned_abs() > MAX_POSTING.fen() as u64 {
                return R::AmountTooLarge { account: p.account.to_string(), amount: p.amount, max: MAX_POSTING }.err();
            }
        }
        let sum: i128 = d.postings.iter().map(|p| i128::from(p.amount.fen())).sum();
        if sum != 0 {
            return R::Unbalanced { off_by: Money::from_fen(sum.clamp(i64::MIN.into(), i64::MAX.into()) as i64) }.err();
        }
        if let Some(b) = d.building.as_ref().filter(|b| !self.chart.knows_building(b)) {
            return R::UnknownBuilding { building: b.to_string() }.err();
        }
        let (spent, fund_out) = flows(&d.postings);
        let status = matter.unwrap_or(MatterStatus::Unknown);
        if fund_out > 0 {
            if spent > fund_out {
                // what public revenue pays beside the draw needs its own transaction and authority
                return R::SpendingWithoutAuthority { amount: Money::from_fen(spent - fund_out) }.err();
            }
            let amount = Money::from_fen(fund_out);
            match &d.link {
                Some(Link::Project { project, matter }) => self.check_draw(project, matter, status, amount)?,
                Some(Link::Authorisation { authorisation }) => {
                    self.check_authorisation(authorisation, Pays::MaintenanceFund, amount, d.date)?
                }
                _ => return R::DrawWithoutProject { amount }.err(),
            }
            return Ok(false);
        }
        if spent <= 0 {
            return Ok(false);
        }
        let amount = Money::from_fen(spent);
        let works_total = match &d.link {
            Some(link @ Link::Matter { matter }) => {
                if status != MatterStatus::Passed {
                    return R::MatterNotPassed { matter: matter.clone(), status }.err();
                }
                // the works' whole cost counts, however many payments it takes
                spent + self.spent_under(link)
            }
            Some(Link::Authorisation { authorisation }) => {
                self.check_authorisation(authorisation, Pays::PublicRevenue, amount, d.date)?;
                spent
            }
            Some(Link::Project { project, .. }) => return R::ProjectLinkNotADraw { project: project.clone() }.err(),
            None => return R::SpendingWithoutAuthority { amount }.err(),
        };
        Ok(works_total >= self.settings.price_review_at.fen())
    }

    /// Books a draft, or says why not. `matter` is the status of the matter its link cites (the
    /// voting process knows it); None where it cites none.
    pub fn post(&mut self, d: Draft, matter: Option<MatterStatus>) -> Result<Posted, Refused> {
        let price_review = self.check(&d, matter)?;
        let id = self.txs.len() as TxId + 1;
        self.txs.push(Transaction {
            id,
            date: d.date,
            postings: d.postings,
            building: d.building,
            memo: d.memo,
            link: d.link,
            reverses: None,
            price_review,
        });
        Ok(Posted { id, price_review })
    }

    /// Takes back a transaction a store kept, as it was booked: its checks ran when it was
    /// posted, and a vote or authorisation that has since changed does not undo it. It must be the
    /// next in sequence and balance.
    pub fn restore(&mut self, t: Transaction) -> Result<(), Refused> {
        if t.id != self.txs.len() as TxId + 1 {
            return R::UnknownTransaction { id: t.id }.err();
        }
        let sum: i64 = t.postings.iter().map(|p| p.amount.fen()).sum();
        if sum != 0 || t.postings.len() < 2 {
            return R::Unbalanced { off_by: Money::from_fen(sum) }.err();
        }
        if let Some(r) = t.reverses {
            if self.get(r).is_none() || self.reversed_by.contains_key(&r) {
                return R::UnknownTransaction { id: r }.err();
            }
            self.reversed_by.insert(r, t.id);
        }
        self.txs.push(t);
        Ok(())
    }

    /// Undoes a transaction with one that negates every posting, on `date`.
    pub fn reverse(&mut self, id: TxId, date: Date, memo: impl Into<String>) -> Result<Posted, Refused> {
        let t = self.get(id).ok_or_else(|| R::UnknownTransaction { id }.refused())?;
        if let Some(by) = self.reversed_by(id) {
            return R::AlreadyReversed { id, by }.err();
        }
        if t.reverses.is_some() {
            return R::ReversingAReversal { id }.err();
        }
        if date < t.date {
            return R::ReversalBeforeEntry { id, date: date.to_string(), entry_date: t.date.to_string() }.err();
        }
        let rev = Transaction {
            id: self.txs.len() as TxId + 1,
            date,
            postings: t
                .postings
                .iter()
                .map(|p| Posting { account: p.account.clone(), amount: Money::from_fen(-p.amount.fen()) })
                .collect(),
            building: t.building.clone(),
            memo: memo.into(),
            link: t.link.clone(),
            reverses: Some(id),
            price_review: false,
        };
        let new = rev.id;
        self.txs.push(rev);
        self.reversed_by.insert(id, new);
        Ok(Posted { id: new, price_review: false })
    }

    /// What transactions under this link have spent in total (reversals subtract).
    fn spent_under(&self, link: &Link) -> i64 {
        self.txs.iter().filter(|t| t.link.as_ref() == Some(link)).map(|t| flows(&t.postings).0).sum()
    }

    /// What a standing authorisation has paid so far (reversals give back).
    pub fn authorisation_used(&self, id: &str) -> Money {
        let Some(a) = self.authorisations.get(id) else { return Money::ZERO };
        let link = Link::Authorisation { authorisation: id.into() };
        let fen = self
            .txs
            .iter()
            .filter(|t| t.link.as_ref() == Some(&link))
            .map(|t| {
                let (spent, fund_out) = flows(&t.postings);
                if a.pays == Pays::MaintenanceFund { fund_out } else { spent }
            })
            .sum();
        Money::from_fen(fen)
    }

    fn check_authorisation(&self, id: &str, pays: Pays, amount: Money, date: Date) -> Result<(), Refused> {
        let a = self.authorisations.get(id).ok_or_else(|| R::UnknownAuthorisation { authorisation: id.into() })?;
        if a.pays != pays {
            return R::AuthorisationOtherFund { authorisation: id.into(), pays: a.pays }.err();
        }
        if date < a.from || date > a.until {
            return R::OutsideAuthorisation {
                authorisation: id.into(),
                date: date.to_string(),
                from: a.from.to_string(),
                until: a.until.to_string(),
            }
            .err();
        }
        if amount > a.per_item {
            return R::OverAuthorisationLimit { authorisation: id.into(), amount, limit: a.per_item }.err();
        }
        let used = self.authorisation_used(id);
        if let Some(total) = a.total.filter(|t| used.fen() + amount.fen() > t.fen()) {
            return R::AuthorisationExhausted { authorisation: id.into(), amount, used, total }.err();
        }
        Ok(())
    }

    /// What the fund has paid a project so far, and how many draws (not reversed) that took.
    pub fn draw_history(&self, project: &str) -> DrawHistory {
        let mine = |t: &&Transaction| matches!(&t.link, Some(Link::Project { project: p, .. }) if p == project);
        let paid = self.txs.iter().filter(mine).map(|t| flows(&t.postings).1).sum();
        let draws = self.txs.iter().filter(mine).filter(|t| t.reverses.is_none() && self.reversed_by(t.id).is_none());
        DrawHistory { paid: Money::from_fen(paid), draws: draws.count() as u64 }
    }

    fn check_draw(&self, project: &str, matter: &str, status: MatterStatus, amount: Money) -> Result<(), Refused> {
        let w = self.works.get(project).ok_or_else(|| R::UnknownProject { project: project.into() })?;
        if w.matter != matter {
            return R::DrawMatterMismatch {
                project: project.into(),
                matter: matter.into(),
                approved_by: w.matter.clone(),
            }
            .err();
        }
        if status != MatterStatus::Passed {
            return R::MatterNotPassed { matter: matter.into(), status }.err();
        }
        let h = self.draw_history(project);
        let terms = DrawTerms { contract: w.contract, paid: h.paid, first: h.draws == 0, reviewed: w.reviewed };
        let c = check_draw(&terms, amount);
        match c.rule {
            Some(rule) => {
                R::DrawOverLimit { project: project.into(), amount, limit: c.limit, rule: rule.as_str().into() }.err()
            }
            None => Ok(()),
        }
    }

    fn dated(&self, on: Date) -> impl Iterator<Item = &Posting> {
        self.txs.iter().filter(move |t| t.date <= on).flat_map(|t| t.postings.iter())
    }

    /// An account's balance at the close of `on` (debits positive).
    pub fn balance(&self, account: &Account, on: Date) -> Money {
        Money::from_fen(self.dated(on).filter(|p| &p.account == account).map(|p| p.amount.fen()).sum())
    }

    /// A part of the fund with everything under it: the pool alone, a building with its
    /// households, or one household.
    pub fn fund_balance(&self, part: &FundPart, on: Date) -> Money {
        let under = |a: &Account| match (part, a) {
            (FundPart::Building(b), Account::Fund(FundPart::Building(x))) => x == b,
            (FundPart::Building(b), Account::Fund(FundPart::Household(u))) => u.building() == b.as_str(),
            (_, Account::Fund(x)) => x == part,
            _ => false,
        };
        Money::from_fen(self.dated(on).filter(|p| under(&p.account)).map(|p| p.amount.fen()).sum())
    }

    /// Every account's balance at the close of `on`, accounts that were never used left out.
    pub fn balances(&self, on: Date) -> BTreeMap<Account, Money> {
        let mut m: BTreeMap<Account, Money> = BTreeMap::new();
        for p in self.dated(on) {
            let e = m.entry(p.account.clone()).or_default();
            *e = Money::from_fen(e.fen() + p.amount.fen());
        }
        m
    }

    pub fn trial_balance(&self, on: Date) -> TrialBalance {
        let rows: Vec<(Account, Money)> = self.balances(on).into_iter().collect();
        let debits: i64 = rows.iter().map(|(_, m)| m.fen().max(0)).sum();
        let credits: i64 = rows.iter().map(|(_, m)| (-m.fen()).max(0)).sum();
        TrialBalance {
            on,
            rows,
            debits: Money::from_fen(debits),
            credits: Money::from_fen(credits),
            total: Money::from_fen(debits - credits),
        }
    }

    /// A balance assertion (the bank's statement): the account holds `expected` at the close of `on`.
    pub fn assert_balance(&self, account: &Account, on: Date, expected: Money) -> Result<(), Refused> {
        let actual = self.balance(account, on);
        if actual == expected {
            Ok(())
        } else {
            R::BalanceMismatch { account: account.to_string(), date: on.to_string(), expected, actual }.err()
        }
    }
}
