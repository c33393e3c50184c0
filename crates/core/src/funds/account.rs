//! The chart of accounts of a compound's books (law-and-practice §6).
//!
//! Where the money is, as the Shanghai rules keep it:
//! - `bank`: the property company's supervised account (监管账户), into which all public income
//!   goes and from which management costs are paid (沪房规范〔2025〕8号 Art. 6);
//! - `revenue`: the general meeting's public-revenue sub-account (公共收益子账户), which receives
//!   each quarter's net by the end of the next quarter's first month (Art. 9) and pays spending;
//! - `fund`, `fund:13`, `fund:13-701`: the maintenance-fund sub-account (专项维修资金), booked by
//!   building and by household (按幢立账、按户核算, Provisions Art. 66); `fund` alone holds what
//!   is not yet allocated (a quarter's top-up before it is shared out);
//! - `cash`: petty cash.
//!
//! Where it comes from and goes: `income:<source>` (Art. 3), `cost:<kind>` (Art. 2: tax, labour,
//! energy, other), `contributions` (owners' payments into the fund), `spending` (works and running
//! costs paid from public revenue or the fund).
//!
//! Signs as in hledger and Beancount: a debit is positive, a credit negative; every transaction
//! sums to zero. Income and contributions therefore carry negative balances; reports show them
//! the right way up with [`Account::natural`].

use crate::kit::Money;
use crate::registry::{BuildingNo, UnitNo};
use serde::{Serialize, Serializer};
use std::fmt;

/// Where public income comes from (沪房规范〔2025〕8号 Art. 3, grouped as committees book it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Parking,
    /// Adverts outdoors and in lift cars, lobbies and corridors.
    Advert,
    /// Common land, buildings and sports or culture facilities let out.
    Venue,
    /// Penalties, damages, residual value, interest.
    Other,
}

/// Management costs deducted from public income (Art. 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostKind {
    Tax,
    Labour,
    Energy,
    Other,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Parking, Source::Advert, Source::Venue, Source::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Parking => "parking",
            Source::Advert => "advert",
            Source::Venue => "venue",
            Source::Other => "other",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Source::Parking => "停车收入",
            Source::Advert => "广告收入",
            Source::Venue => "场地收入",
            Source::Other => "其他收入",
        }
    }
}

impl CostKind {
    pub const ALL: [CostKind; 4] = [CostKind::Tax, CostKind::Labour, CostKind::Energy, CostKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            CostKind::Tax => "tax",
            CostKind::Labour => "labour",
            CostKind::Energy => "energy",
            CostKind::Other => "other",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CostKind::Tax => "税费",
            CostKind::Labour => "人工成本",
            CostKind::Energy => "能耗成本",
            CostKind::Other => "其他成本",
        }
    }
}

/// A part of the maintenance fund.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FundPart {
    /// Not yet allocated to a building or household.
    Pool,
    Building(BuildingNo),
    Household(UnitNo),
}

/// An account of the chart.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    Bank,
    Cash,
    Revenue,
    Fund(FundPart),
    Contributions,
    Income(Source),
    Cost(CostKind),
    Spending,
}

/// The side an account's balance normally sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Money held: debit balances.
    Asset,
    /// Income and owners' contributions: credit balances.
    Source,
    /// Costs and spending: debit balances.
    Use,
}

impl Account {
    pub fn class(&self) -> Class {
        match self {
            Account::Bank | Account::Cash | Account::Revenue | Account::Fund(_) => Class::Asset,
            Account::Contributions | Account::Income(_) => Class::Source,
            Account::Cost(_) | Account::Spending => Class::Use,
        }
    }

    /// A balance the right way up: income and contributions as positive amounts.
    pub fn natural(&self, balance: Money) -> Money {
        match self.class() {
            Class::Source => Money::from_fen(-balance.fen()),
            _ => balance,
        }
    }

    pub fn is_fund(&self) -> bool {
        matches!(self, Account::Fund(_))
    }

    /// The building a fund account belongs to (a household's through its unit number).
    pub fn building(&self) -> Option<BuildingNo> {
        match self {
            Account::Fund(FundPart::Building(b)) => Some(b.clone()),
            Account::Fund(FundPart::Household(u)) => BuildingNo::parse(u.building()),
            _ => None,
        }
    }

    /// `income:parking`, `cost:tax`, `fund:13`, `fund:13-701`, `revenue`…; None if it is none.
    pub fn parse(s: &str) -> Option<Account> {
        let t = s.trim().to_ascii_lowercase();
        let (head, tail) = match t.split_once(':') {
            Some((h, r)) => (h.trim(), Some(r.trim())),
            None => (t.as_str(), None),
        };
        match (head, tail) {
            ("bank", None) => Some(Account::Bank),
            ("cash", None) => Some(Account::Cash),
            ("revenue", None) => Some(Account::Revenue),
            ("contributions", None) => Some(Account::Contributions),
            ("spending", None) => Some(Account::Spending),
            ("fund", None) => Some(Account::Fund(FundPart::Pool)),
            ("fund", Some(r)) => match UnitNo::parse(r) {
                Some(u) => Some(Account::Fund(FundPart::Household(u))),
                None => BuildingNo::parse(r).map(|b| Account::Fund(FundPart::Building(b))),
            },
            ("income", Some(r)) => Source::ALL.into_iter().find(|x| x.as_str() == r).map(Account::Income),
            ("cost", Some(r)) => CostKind::ALL.into_iter().find(|x| x.as_str() == r).map(Account::Cost),
            _ => None,
        }
    }

    /// The account's name in Chinese, for statements.
    pub fn name_zh(&self) -> String {
        match self {
            Account::Bank => "监管账户".into(),
            Account::Cash => "现金".into(),
            Account::Revenue => "公共收益子账户".into(),
            Account::Fund(FundPart::Pool) => "维修资金（未分摊）".into(),
            Account::Fund(FundPart::Building(b)) => format!("维修资金 {b}号楼"),
            Account::Fund(FundPart::Household(u)) => format!("维修资金 {u}"),
            Account::Contributions => "业主交存维修资金".into(),
            Account::Income(s) => s.name_zh().into(),
            Account::Cost(c) => c.name_zh().into(),
            Account::Spending => "支出".into(),
        }
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::Bank => f.write_str("bank"),
            Account::Cash => f.write_str("cash"),
            Account::Revenue => f.write_str("revenue"),
            Account::Fund(FundPart::Pool) => f.write_str("fund"),
            Account::Fund(FundPart::Building(b)) => write!(f, "fund:{b}"),
            Account::Fund(FundPart::Household(u)) => write!(f, "fund:{u}"),
            Account::Contributions => f.write_str("contributions"),
            Account::Income(s) => write!(f, "income:{}", s.as_str()),
            Account::Cost(c) => write!(f, "cost:{}", c.as_str()),
            Account::Spending => f.write_str("spending"),
        }
    }
}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::say_as_display!(Account);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_read_and_print_the_same_names() {
        for s in [
            "bank",
            "cash",
            "revenue",
            "fund",
            "fund:13",
            "fund:13-701",
            "contributions",
            "income:parking",
            "income:advert",
            "income:venue",
            "income:other",
            "cost:tax",
            "cost:labour",
            "cost:energy",
            "cost:other",
            "spending",
        ] {
            assert_eq!(Account::parse(s).map(|a| a.to_string()).as_deref(), Some(s));
        }
        assert_eq!(Account::parse(" Income:Parking ").unwrap(), Account::Income(Source::Parking));
        assert_eq!(Account::parse("fund:13号楼").unwrap().to_string(), "fund:13");
        assert_eq!(Account::parse("fund:13号楼701室").unwrap().to_string(), "fund:13-701");
        assert_eq!(Account::parse("income:rent"), None);
        assert_eq!(Account::parse("cost"), None);
        assert_eq!(Account::parse("bank:x"), None);
    }

    #[test]
    fn a_household_account_belongs_to_its_building() {
        let a = Account::parse("fund:13-701").unwrap();
        assert_eq!(a.building().unwrap().as_str(), "13");
        assert_eq!(a.class(), Class::Asset);
        assert_eq!(Account::Income(Source::Advert).natural(Money::from_fen(-500)), Money::from_fen(500));
        assert_eq!(Account::Spending.natural(Money::from_fen(500)), Money::from_fen(500));
    }
}
