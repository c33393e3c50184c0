//! Income from common property (公共收益) and the special maintenance fund (专项维修资金),
//! kept exactly (law-and-practice §6).
//!
//! - [`account`]: the chart: where the money is and where it comes from and goes;
//! - [`authority`]: votes, standing authorisations and works contracts that let money leave;
//! - [`ledger`]: the double-entry books, the one door every transaction passes, reversals,
//!   balances, the trial balance;
//! - [`quarter`]: the quarter's statement and top-up, and `gongzhi ledger quarter`;
//! - [`fund`]: fund balances, the draw rules and `gongzhi ledger draw`, replenishment;
//! - [`deadlines`]: the statement, transfer, half-yearly and audit dates;
//! - [`import`]: committees' sheets in (all or nothing), the journal out;
//! - [`policy`]: who may do what, and the settings;
//! - [`refusal`]: every refusal with its code and both wordings.

pub mod account;
pub mod authority;
pub mod deadlines;
pub mod fund;
pub mod import;
pub mod ledger;
pub mod policy;
pub mod quarter;
pub mod refusal;

#[cfg(test)]
mod tests;

pub use account::{Account, CostKind, FundPart, Source};
pub use fund::{DrawOutput, DrawRule, DrawTerms, ReplenishRule, check_draw, draw_cli};
pub use ledger::{
    Chart, Draft, Ledger, Link, MatterStatus, Pays, Posted, Posting, StandingAuthorisation, Transaction, TrialBalance,
    TxId, WorksContract,
};
pub use quarter::{Quarter, QuarterOutput, Rate, Statement, quarter_cli};
pub use refusal::FundsRefusal;

use crate::kit::Money;
use crate::registry::BuildingNo;
use serde::Serializer;
use serde::ser::SerializeMap;

/// A civil date as `YYYY-MM-DD` (jiff is built without serde).
pub(crate) fn ser_date<S: Serializer>(d: &jiff::civil::Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// Buildings and amounts as a JSON object in the order given (natural building order).
pub(crate) fn ser_natural<S: Serializer>(v: &[(BuildingNo, Money)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(v.len()))?;
    for (b, amount) in v {
        m.serialize_entry(b.as_str(), amount)?;
    }
    m.end()
}
