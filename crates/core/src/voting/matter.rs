//! Matters the owners decide (Civil Code Art. 278(1)), their thresholds, scopes and ballots.

use crate::registry::{BuildingNo, StairwellNo, Unit};
use serde::{Serialize, Serializer};
use std::fmt;

/// The nine kinds of Art. 278(1), in the article's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatterKind {
    ProcedureRules,
    Covenant,
    CommitteeElection,
    PropertyManager,
    FundUse,
    FundRaise,
    Alteration,
    CommonPartUse,
    OtherMajor,
}

/// What share of the participants must approve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Threshold {
    /// 过半数: strictly more than half of participating area and headcount.
    MoreThanHalf,
    /// 四分之三以上: at least three quarters of participating area and headcount.
    ThreeQuarters,
}

impl MatterKind {
    pub const ALL: [MatterKind; 9] = [
        MatterKind::ProcedureRules,
        MatterKind::Covenant,
        MatterKind::CommitteeElection,
        MatterKind::PropertyManager,
        MatterKind::FundUse,
        MatterKind::FundRaise,
        MatterKind::Alteration,
        MatterKind::CommonPartUse,
        MatterKind::OtherMajor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MatterKind::ProcedureRules => "procedure-rules",
            MatterKind::Covenant => "covenant",
            MatterKind::CommitteeElection => "committee-election",
            MatterKind::PropertyManager => "property-manager",
            MatterKind::FundUse => "fund-use",
            MatterKind::FundRaise => "fund-raise",
            MatterKind::Alteration => "alteration",
            MatterKind::CommonPartUse => "common-part-use",
            MatterKind::OtherMajor => "other-major",
        }
    }

    pub fn parse(s: &str) -> Option<MatterKind> {
        MatterKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Items 6, 7 and 8 of Art. 278(1) need three quarters; the rest more than half.
    pub fn threshold(self) -> Threshold {
        match self {
            MatterKind::FundRaise | MatterKind::Alteration | MatterKind::CommonPartUse => Threshold::ThreeQuarters,
            _ => Threshold::MoreThanHalf,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            MatterKind::ProcedureRules => "制定和修改业主大会议事规则",
            MatterKind::Covenant => "制定和修改管理规约",
            MatterKind::CommitteeElection => "选举业主委员会或者更换业主委员会成员",
            MatterKind::PropertyManager => "选聘和解聘物业服务企业或者其他管理人",
            MatterKind::FundUse => "使用建筑物及其附属设施的维修资金",
            MatterKind::FundRaise => "筹集建筑物及其附属设施的维修资金",
            MatterKind::Alteration => "改建、重建建筑物及其附属设施",
            MatterKind::CommonPartUse => "改变共有部分的用途或者利用共有部分从事经营活动",
            MatterKind::OtherMajor => "有关共有和共同管理权利的其他重大事项",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            MatterKind::ProcedureRules => "rules of procedure of the owners' general meeting",
            MatterKind::Covenant => "management covenant",
            MatterKind::CommitteeElection => "electing or replacing the owners' committee",
            MatterKind::PropertyManager => "hiring or dismissing the property manager",
            MatterKind::FundUse => "using the maintenance fund",
            MatterKind::FundRaise => "raising the maintenance fund",
            MatterKind::Alteration => "altering or rebuilding buildings and facilities",
            MatterKind::CommonPartUse => "changing the use of common parts or running a business on them",
            MatterKind::OtherMajor => "another major matter of co-ownership",
        }
    }
}

impl fmt::Display for MatterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for MatterKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<MatterKind, D::Error> {
        let s = String::deserialize(d)?;
        MatterKind::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not a kind of matter")))
    }
}

impl Serialize for MatterKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a matter is in its life: drafted, on notice, open for voting, closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatterStatus {
    Draft,
    Notice,
    Open,
    Closed,
}

impl MatterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MatterStatus::Draft => "draft",
            MatterStatus::Notice => "notice",
            MatterStatus::Open => "open",
            MatterStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<MatterStatus> {
        [MatterStatus::Draft, MatterStatus::Notice, MatterStatus::Open, MatterStatus::Closed]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            MatterStatus::Draft => "草稿",
            MatterStatus::Notice => "公示中",
            MatterStatus::Open => "投票中",
            MatterStatus::Closed => "已结束",
        }
    }
}

/// Whose decision it is: the whole compound, one building, or one stairwell (Shanghai Art. 69).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Compound,
    Building(BuildingNo),
    Stairwell(BuildingNo, StairwellNo),
}

impl Scope {
    /// `compound`, `building:13`, `stairwell:13/1`.
    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim();
        if s == "compound" {
            return Some(Scope::Compound);
        }
        if let Some(b) = s.strip_prefix("building:") {
            return BuildingNo::parse(b).map(Scope::Building);
        }
        let (b, w) = s.strip_prefix("stairwell:")?.split_once('/')?;
        Some(Scope::Stairwell(BuildingNo::parse(b)?, StairwellNo::parse(w).filter(|_| !w.trim().is_empty())?))
    }

    pub fn contains(&self, u: &Unit) -> bool {
        match self {
            Scope::Compound => true,
            Scope::Building(b) => &u.building == b,
            Scope::Stairwell(b, w) => &u.building == b && &u.stairwell == w,
        }
    }

    pub fn name_zh(&self) -> String {
        match self {
            Scope::Compound => "全体业主".into(),
            Scope::Building(b) => format!("{b}号楼业主"),
            Scope::Stairwell(b, w) => format!("{b}号楼{w}单元业主"),
        }
    }

    pub fn name_en(&self) -> String {
        match self {
            Scope::Compound => "all owners of the compound".into(),
            Scope::Building(b) => format!("owners of Building {b}"),
            Scope::Stairwell(b, w) => format!("owners of Building {b}, stairwell {w}"),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Compound => f.write_str("compound"),
            Scope::Building(b) => write!(f, "building:{b}"),
            Scope::Stairwell(b, w) => write!(f, "stairwell:{b}/{w}"),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scope, D::Error> {
        let s = String::deserialize(d)?;
        Scope::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not a scope")))
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    Approve,
    Oppose,
    Abstain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Approve, Choice::Oppose, Choice::Abstain];

    /// `approve|oppose|abstain`, or `同意|反对|弃权`.
    pub fn parse(s: &str) -> Option<Choice> {
        match s.trim().to_lowercase().as_str() {
            "approve" | "同意" | "赞成" => Some(Choice::Approve),
            "oppose" | "反对" | "不同意" => Some(Choice::Oppose),
            "abstain" | "弃权" => Some(Choice::Abstain),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Approve => "approve",
            Choice::Oppose => "oppose",
            Choice::Abstain => "abstain",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Choice::Approve => "同意",
            Choice::Oppose => "反对",
            Choice::Abstain => "弃权",
        }
    }
}

/// What a ballot marks: a choice on an ordinary matter, or the names it approves on a matter put
/// to the owners as a slate (an election: each ballot approves up to so many names).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Marks {
    Choice(Choice),
    /// The approved names as written (empty: a blank ballot).
    Names(Vec<String>),
}

impl From<Choice> for Marks {
    fn from(c: Choice) -> Marks {
        Marks::Choice(c)
    }
}

/// A slate ballot's approvals in the slate's order, each once: the form every ballot of a slate
/// matter is stored and compared in, so two entries or two units of one owner agree exactly when
/// they approve the same names.
pub fn slate_marks(
    slate: &[String],
    names: &[String],
    places: u32,
    online: bool,
) -> Result<Vec<String>, crate::kit::Refused> {
    use crate::voting::VotingRefusal as R;
    let wanted: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    if let Some(n) = wanted.iter().find(|n| !slate.iter().any(|s| s == *n)) {
        return R::NotOnSlate { name: n.to_string() }.err();
    }
    let marked: Vec<String> = slate.iter().filter(|s| wanted.contains(&s.as_str())).cloned().collect();
    // online the form allows no more; a paper or proxy ballot with too many names is void, and
    // counted as such
    if online && marked.len() > places as usize {
        return R::TooManyNames { approved: marked.len() as u32, places }.err();
    }
    Ok(marked)
}

/// How a ballot reached the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Online,
    Paper,
    Proxy,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::Proxy => "proxy",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s.trim() {
            "online" | "网络" => Some(Channel::Online),
            "paper" | "纸质" => Some(Channel::Paper),
            "proxy" | "委托" => Some(Channel::Proxy),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_six_to_eight_need_three_quarters_and_fund_use_does_not() {
        let three: Vec<_> = MatterKind::ALL.into_iter().filter(|k| k.threshold() == Threshold::ThreeQuarters).collect();
        assert_eq!(three, vec![MatterKind::FundRaise, MatterKind::Alteration, MatterKind::CommonPartUse]);
        assert_eq!(MatterKind::FundUse.threshold(), Threshold::MoreThanHalf);
        assert_eq!(MatterKind::CommitteeElection.threshold(), Threshold::MoreThanHalf);
    }

    #[test]
    fn scopes_round_trip() {
        for s in ["compound", "building:13", "stairwell:13/1"] {
            assert_eq!(Scope::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Scope::parse("building:13号楼").unwrap().to_string(), "building:13");
        assert!(Scope::parse("stairwell:13").is_none());
        assert!(Scope::parse("block:1").is_none());
        assert!(Scope::parse("stairwell:13/").is_none());
    }

    #[test]
    fn choices_accept_chinese() {
        assert_eq!(Choice::parse("同意"), Some(Choice::Approve));
        assert_eq!(Choice::parse("反对"), Some(Choice::Oppose));
        assert_eq!(Choice::parse("弃权"), Some(Choice::Abstain));
        assert_eq!(Choice::parse("maybe"), None);
    }
}
