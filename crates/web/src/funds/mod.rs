//! Income from common property and the maintenance fund on the web (issue 15): the committee
//! keeps the books (by hand or from its Excel sheet), books each quarter's transfer and top-up,
//! posts the statements; owners read the posted statements and their own building's and
//! household's figures; the residents' committee reads everything. [`pages`]: the pages;
//! [`api`]: the JSON API. The writes here serve both.

use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::AppError;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::funds::deadlines::{Due, due};
use gongzhi_core::funds::fund::{DrawTerms, check_draw};
use gongzhi_core::funds::policy::FundsAction;
use gongzhi_core::funds::{
    Account, CostKind, Draft, FundsRefusal as R, Ledger, Link, Posted, Quarter, Rate, Source, Statement, TxId,
    WorksContract,
};
use gongzhi_core::kit::Money;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::registry::BuildingNo;
use gongzhi_store::funds::StatementRecord;
use jiff::civil::Date;

pub mod api;
mod fund_page;
pub mod pages;

pub use pages::routes;

/// Days before a statement's last day that the reminder shows.
pub const REMIND_DAYS: i64 = 5;

fn bad(field: &str, reason: impl Into<String>) -> AppError {
    R::BadField { field: field.into(), reason: reason.into() }.refused().into()
}

fn money(field: &str, s: &str) -> Result<Money, AppError> {
    let m = Money::parse(s.trim()).map_err(|_| bad(field, format!("{s:?} is not an amount in yuan")))?;
    if m.fen() <= 0 {
        return Err(R::NotPositive { field: field.into(), amount: m }.refused().into());
    }
    Ok(m)
}

fn date_or_today(field: &str, s: Option<&str>) -> Result<Date, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(day_of(crate::now_ms())),
        Some(s) => parse_day(s).ok_or_else(|| bad(field, format!("{s:?} is not a date YYYY-MM-DD"))),
    }
}

fn today() -> Date {
    day_of(crate::now_ms())
}

/// The kinds of entry a form offers: each income source and cost, and spending.
pub fn entry_kinds() -> Vec<Account> {
    let mut v: Vec<Account> = Source::ALL.into_iter().map(Account::Income).collect();
    v.extend(CostKind::ALL.into_iter().map(Account::Cost));
    v.push(Account::Spending);
    v
}

/// One entry as a person writes it: income into the supervised account, a cost paid from it,
/// or spending paid from the public-revenue sub-account against a vote or authorisation.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct EntryBody {
    /// YYYY-MM-DD; default today.
    #[serde(default)]
    pub date: Option<String>,
    /// income:parking|advert|venue|other, cost:tax|labour|energy|other or spending
    pub account: String,
    /// Yuan, above 0, at most two decimals, as a string ("1200.00").
    pub amount: String,
    /// The building the income or cost is booked to, when it is building-specific.
    #[serde(default)]
    pub building: Option<String>,
    #[serde(default)]
    pub memo: String,
    /// For spending: matter:ID or authorisation:ID.
    #[serde(default)]
    pub link: Option<String>,
}

pub fn entry_draft(b: &EntryBody) -> Result<Draft, AppError> {
    let account = Account::parse(b.account.trim())
        .filter(|a| entry_kinds().contains(a))
        .ok_or_else(|| bad("account", "income:parking|advert|venue|other, cost:tax|labour|energy|other or spending"))?;
    let amount = money("amount", &b.amount)?;
    let date = date_or_today("date", b.date.as_deref())?;
    let mut d = Draft::on(date).memo(b.memo.trim());
    d = match account {
        Account::Income(_) => d.debit(Account::Bank, amount).credit(account, amount),
        Account::Cost(_) => d.debit(account, amount).credit(Account::Bank, amount),
        _ => d.debit(Account::Spending, amount).credit(Account::Revenue, amount),
    };
    if let Some(s) = b.building.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        d = d
            .building(BuildingNo::parse(s).ok_or_else(|| bad("building", format!("{s:?} is not a building like 13")))?);
    }
    if let Some(s) = b.link.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        d = d.link(Link::parse(s).ok_or_else(|| bad("link", "matter:ID or authorisation:ID"))?);
    }
    Ok(d)
}

pub async fn enter(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &EntryBody) -> Result<Posted, AppError> {
    v.acting(FundsAction::KeepBooks, Subject::Compound, csrf)?;
    let d = entry_draft(b)?;
    Ok(state.store.post_funds(v.compound(), d, v.actor()).await?)
}

pub async fn reverse(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: TxId,
    date: Option<&str>,
    memo: &str,
) -> Result<Posted, AppError> {
    v.acting(FundsAction::KeepBooks, Subject::Compound, csrf)?;
    let on = date_or_today("date", date)?;
    Ok(state.store.reverse_funds(v.compound(), id, on, memo, v.actor()).await?)
}

pub async fn import(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    rows: &[Vec<String>],
) -> Result<Vec<Posted>, AppError> {
    v.acting(FundsAction::KeepBooks, Subject::Compound, csrf)?;
    Ok(state.store.import_funds(v.compound(), rows, v.actor()).await?)
}

pub async fn set_rate(state: &AppState, v: &Viewer, csrf: Option<&str>, rate: &str) -> Result<Rate, AppError> {
    v.acting(FundsAction::RecordAuthorities, Subject::Compound, csrf)?;
    Ok(state.store.set_funds_rate(v.compound(), rate, v.actor()).await?)
}

pub fn parse_quarter(s: &str) -> Result<Quarter, AppError> {
    Ok(Quarter::parse(s.trim())?)
}

pub async fn book(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    quarter: &str,
    date: Option<&str>,
) -> Result<Statement, AppError> {
    v.acting(FundsAction::KeepBooks, Subject::Compound, csrf)?;
    let q = parse_quarter(quarter)?;
    let on = date_or_today("date", date)?;
    Ok(state.store.book_quarter(v.compound(), q, on, v.actor()).await?)
}

pub async fn post_statement(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    period: &str,
    date: Option<&str>,
) -> Result<(), AppError> {
    v.acting(FundsAction::PostStatements, Subject::Compound, csrf)?;
    let on = date_or_today("date", date)?;
    Ok(state.store.post_funds_statement(v.compound(), period, on, v.actor()).await?)
}

/// A draw on the maintenance fund for a project.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DrawBody {
    /// The project id the works contract was recorded for.
    pub project: String,
    /// Yuan, above 0.
    pub amount: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub memo: String,
}

pub async fn draw(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &DrawBody) -> Result<Posted, AppError> {
    v.acting(FundsAction::KeepBooks, Subject::Compound, csrf)?;
    let amount = money("amount", &b.amount)?;
    let on = date_or_today("date", b.date.as_deref())?;
    Ok(state.store.draw_for_project(v.compound(), b.project.trim(), amount, on, &b.memo, v.actor()).await?)
}

/// A works contract the fund pays, with the matter that approved it.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ContractBody {
    pub project: String,
    pub matter: String,
    /// Yuan, above 0.
    pub contract: String,
}

pub async fn contract(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &ContractBody) -> Result<(), AppError> {
    v.acting(FundsAction::RecordAuthorities, Subject::Compound, csrf)?;
    let w = WorksContract {
        project: b.project.trim().into(),
        matter: b.matter.trim().into(),
        contract: money("contract", &b.contract)?,
        reviewed: None,
    };
    Ok(state.store.add_works_contract(v.compound(), &w, v.actor()).await?)
}

pub async fn review(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    project: &str,
    reviewed: &str,
) -> Result<(), AppError> {
    v.acting(FundsAction::RecordAuthorities, Subject::Compound, csrf)?;
    let m = money("reviewed", reviewed)?;
    Ok(state.store.record_cost_review(v.compound(), project.trim(), m, v.actor()).await?)
}

// ---------------------------------------------------------------------------------------------
// Reads.

/// A quarter as the overview shows it.
#[derive(Clone, Debug)]
pub struct QuarterView {
    pub statement: Statement,
    pub record: Option<StatementRecord>,
    /// The statement's due state (posted by the 15th).
    pub statement_due: Due,
    /// The transfer's (booked by the month's end).
    pub transfer_due: Due,
}

impl QuarterView {
    pub fn posted_on(&self) -> Option<Date> {
        self.record.as_ref().and_then(|r| r.posted_on)
    }
    pub fn booked_on(&self) -> Option<Date> {
        self.record.as_ref().and_then(|r| r.booked_on)
    }
}

/// Everything the funds pages read, once.
pub struct Books {
    pub ledger: Ledger,
    pub rate: Option<Rate>,
    pub records: Vec<StatementRecord>,
}

pub async fn books(state: &AppState, v: &Viewer) -> Result<Books, AppError> {
    let c = v.compound();
    Ok(Books {
        ledger: state.store.funds_ledger(c).await?,
        rate: state.store.funds_rate(c).await?,
        records: state.store.funds_statements(c).await?,
    })
}

impl Books {
    /// Every quarter with income or costs, and every one booked, oldest first; for a viewer who
    /// does not read the books, only the posted ones.
    pub fn quarters(&self, all: bool) -> Vec<QuarterView> {
        let mut qs: Vec<Quarter> = self
            .ledger
            .transactions()
            .iter()
            .filter(|t| t.postings.iter().any(|p| matches!(p.account, Account::Income(_) | Account::Cost(_))))
            .map(|t| Quarter::of(t.date))
            .collect();
        qs.extend(self.records.iter().filter_map(|r| Quarter::parse(&r.period).ok()));
        qs.sort();
        qs.dedup();
        let default = Rate::parse("0.51").expect("a rate");
        qs.into_iter()
            .filter_map(|q| {
                let record = self.records.iter().find(|r| r.period == q.to_string()).cloned();
                let rate = record
                    .as_ref()
                    .and_then(|r| r.rate.as_deref())
                    .and_then(|r| Rate::parse(r).ok())
                    .or(self.rate)
                    .unwrap_or(default);
                let statement = Statement::of(&self.ledger, q, rate);
                let posted = record.as_ref().and_then(|r| r.posted_on);
                let booked = record.as_ref().and_then(|r| r.booked_on);
                if !all && posted.is_none() {
                    return None;
                }
                let today = today();
                Some(QuarterView {
                    statement_due: due(statement.statement_by, today, posted, REMIND_DAYS),
                    transfer_due: due(statement.transfer_by, today, booked, REMIND_DAYS),
                    statement,
                    record,
                })
            })
            .collect()
    }

    /// Where each works contract's draws stand: (contract, paid, draws, next draw's limit, its rule).
    pub fn draws(&self, contracts: &[WorksContract]) -> Vec<(WorksContract, Money, u64, Money, &'static str)> {
        contracts
            .iter()
            .map(|w| {
                let h = self.ledger.draw_history(&w.project);
                let current = self.ledger.contract(&w.project).cloned().unwrap_or_else(|| w.clone());
                let terms = DrawTerms {
                    contract: current.contract,
                    paid: h.paid,
                    first: h.draws == 0,
                    reviewed: current.reviewed,
                };
                let c = check_draw(&terms, Money::ZERO);
                (current, h.paid, h.draws, c.limit, c.binding.as_str())
            })
            .collect()
    }
}

/// One quarter as this viewer may read it (posted, unless they read the books), or
/// `funds.no-statement`.
pub async fn statement_for(state: &AppState, v: &Viewer, quarter: &str) -> Result<QuarterView, AppError> {
    v.require(FundsAction::ReadStatements, Subject::Compound)?;
    let quarter = parse_quarter(quarter)?;
    let all = v.may(FundsAction::ReadBooks, Subject::Compound);
    books(state, v)
        .await?
        .quarters(all)
        .into_iter()
        .find(|x| x.statement.quarter == quarter)
        .ok_or_else(|| R::NoStatement { period: quarter.to_string() }.refused().into())
}

/// The buildings whose figures the viewer may read as their own.
pub fn own_buildings(v: &Viewer) -> Vec<BuildingNo> {
    let mut out: Vec<BuildingNo> = Vec::new();
    for u in &v.member().units {
        let Some(b) = BuildingNo::parse(u.unit.building()) else { continue };
        if v.may(FundsAction::ReadOwnFigures, Subject::Building(b.as_str())) && !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

pub fn due_key(d: &Due) -> &'static str {
    match d {
        Due::Done => "done",
        Due::DoneLate { .. } => "done-late",
        Due::Later { .. } => "later",
        Due::Remind { .. } => "remind",
        Due::Overdue { .. } => "overdue",
    }
}

/// A standing authorisation of the covenant (Art. 13; 沪房规范〔2024〕7号 §6(1)).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AuthorisationBody {
    /// Letters, digits and dashes, e.g. `small-repairs-2026`.
    pub id: String,
    /// public-revenue or maintenance-fund
    pub pays: String,
    /// The cases it covers, as the covenant words them.
    pub cases: String,
    /// The most one item may spend, in yuan.
    pub per_item: String,
    /// The most all items together may spend, in yuan; none: no total.
    #[serde(default)]
    pub total: Option<String>,
    /// YYYY-MM-DD
    pub from: String,
    /// YYYY-MM-DD, on or after `from`
    pub until: String,
}

pub async fn authorise(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &AuthorisationBody,
) -> Result<(), AppError> {
    v.acting(FundsAction::RecordAuthorities, Subject::Compound, csrf)?;
    let id = b.id.trim();
    if id.is_empty() || id.len() > 60 || !id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return Err(bad("id", "letters, digits and dashes, at most 60"));
    }
    let pays =
        gongzhi_store::funds::parse_pays(&b.pays).ok_or_else(|| bad("pays", "public-revenue or maintenance-fund"))?;
    let day =
        |field: &str, s: &str| parse_day(s.trim()).ok_or_else(|| bad(field, format!("{s:?} is not a date YYYY-MM-DD")));
    let total = match b.total.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => Some(money("total", t)?),
        None => None,
    };
    let a = gongzhi_core::funds::StandingAuthorisation {
        id: id.into(),
        pays,
        cases: b.cases.trim().into(),
        per_item: money("per_item", &b.per_item)?,
        total,
        from: day("from", &b.from)?,
        until: day("until", &b.until)?,
    };
    if a.cases.is_empty() {
        return Err(bad("cases", "say which cases the covenant authorises"));
    }
    Ok(state.store.add_funds_authorisation(v.compound(), &a, v.actor()).await?)
}

/// A year's audit: the firm appointed and when its appointment was posted; the results when in.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AuditBody {
    pub firm: String,
    /// YYYY-MM-DD: posted for 7 days.
    pub appointment_posted_on: String,
    #[serde(default)]
    pub results_received_on: Option<String>,
    /// YYYY-MM-DD: within 3 days of receiving them, posted for 30 days.
    #[serde(default)]
    pub results_posted_on: Option<String>,
}

pub async fn put_audit(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    year: &str,
    b: &AuditBody,
) -> Result<(), AppError> {
    v.acting(FundsAction::RecordAuthorities, Subject::Compound, csrf)?;
    let year: i16 = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| bad("year", "a year between 2000 and 2100"))?;
    let day =
        |field: &str, s: &str| parse_day(s.trim()).ok_or_else(|| bad(field, format!("{s:?} is not a date YYYY-MM-DD")));
    let opt = |field: &str, s: &Option<String>| match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => day(field, s).map(Some),
        None => Ok(None),
    };
    let a = gongzhi_store::funds::AuditRecord {
        year,
        firm: b.firm.trim().into(),
        appointment_posted_on: day("appointment_posted_on", &b.appointment_posted_on)?,
        results_received_on: opt("results_received_on", &b.results_received_on)?,
        results_posted_on: opt("results_posted_on", &b.results_posted_on)?,
    };
    Ok(state.store.put_funds_audit(v.compound(), &a, v.actor()).await?)
}
