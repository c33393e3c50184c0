//! What authorises money to leave: a vote that passed, a standing authorisation of the
//! covenant within its limits, or a works contract for a draw on the fund.

use super::ser_date;
use crate::kit::{Money, Say};
use jiff::civil::Date;
use serde::Serialize;

/// What authorises a transaction.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Link {
    /// Spending approved by the owners' vote on this matter.
    Matter { matter: String },
    /// Spending under a standing authorisation of the covenant, within its limits.
    Authorisation { authorisation: String },
    /// A draw on the maintenance fund for this project, approved by this matter.
    Project { project: String, matter: String },
}

impl Link {
    /// `matter:ID`, `authorisation:ID`, `project:PID/matter:MID`.
    pub fn parse(s: &str) -> Option<Link> {
        let t = s.trim();
        let id = |x: &str| {
            let x = x.trim();
            (!x.is_empty() && !x.contains(['/', ':'])).then(|| x.to_string())
        };
        if let Some((p, m)) = t.split_once('/') {
            let project = id(p.trim().strip_prefix("project:")?)?;
            let matter = id(m.trim().strip_prefix("matter:")?)?;
            return Some(Link::Project { project, matter });
        }
        let (kind, rest) = t.split_once(':')?;
        match kind.trim() {
            "matter" => Some(Link::Matter { matter: id(rest)? }),
            "authorisation" | "authorization" => Some(Link::Authorisation { authorisation: id(rest)? }),
            _ => None,
        }
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Link::Matter { matter } => write!(f, "matter:{matter}"),
            Link::Authorisation { authorisation } => write!(f, "authorisation:{authorisation}"),
            Link::Project { project, matter } => write!(f, "project:{project}/matter:{matter}"),
        }
    }
}

/// What the voting process says of a matter a transaction cites (the caller looks it up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatterStatus {
    Passed,
    NotPassed,
    /// Still in draft, notice or voting.
    Undecided,
    /// The caller did not say.
    Unknown,
}

impl MatterStatus {
    /// The voting process's words for a matter's state.
    pub fn parse(s: &str) -> Option<MatterStatus> {
        match s.trim() {
            "passed" => Some(MatterStatus::Passed),
            "not-passed" | "failed" | "rejected" => Some(MatterStatus::NotPassed),
            "draft" | "notice" | "open" | "voting" | "undecided" => Some(MatterStatus::Undecided),
            _ => None,
        }
    }
}

impl Say for MatterStatus {
    fn say_zh(&self) -> String {
        match self {
            MatterStatus::Passed => "已通过",
            MatterStatus::NotPassed => "未通过",
            MatterStatus::Undecided => "尚未表决完毕",
            MatterStatus::Unknown => "状态未知",
        }
        .into()
    }
    fn say_en(&self) -> String {
        match self {
            MatterStatus::Passed => "passed",
            MatterStatus::NotPassed => "not passed",
            MatterStatus::Undecided => "not yet decided",
            MatterStatus::Unknown => "of unknown status",
        }
        .into()
    }
}

/// Which money a standing authorisation lets the committee spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pays {
    /// Public revenue (沪房规范〔2025〕8号 Art. 13).
    PublicRevenue,
    /// The maintenance fund (沪房规范〔2024〕7号 §6(1)); published every 6 months.
    MaintenanceFund,
}

impl Say for Pays {
    fn say_zh(&self) -> String {
        match self {
            Pays::PublicRevenue => "公共收益",
            Pays::MaintenanceFund => "维修资金",
        }
        .into()
    }
    fn say_en(&self) -> String {
        match self {
            Pays::PublicRevenue => "public revenue",
            Pays::MaintenanceFund => "the maintenance fund",
        }
        .into()
    }
}

/// A standing authorisation of the covenant: the cases, the period and the amount limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StandingAuthorisation {
    pub id: String,
    pub pays: Pays,
    /// The cases it covers, as the covenant words them.
    pub cases: String,
    /// The most one transaction may spend under it.
    pub per_item: Money,
    /// The most all transactions under it may spend together, if the covenant sets one.
    pub total: Option<Money>,
    #[serde(serialize_with = "ser_date")]
    pub from: Date,
    #[serde(serialize_with = "ser_date")]
    pub until: Date,
}

/// The works contract of a project the maintenance fund pays, and its cost review once done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorksContract {
    pub project: String,
    /// The matter whose vote approved the works.
    pub matter: String,
    pub contract: Money,
    /// The reviewed amount (审价/结算审核), once the cost review is in.
    pub reviewed: Option<Money>,
}
