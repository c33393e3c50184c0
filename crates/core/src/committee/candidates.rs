//! Candidates for the committee: how they are nominated (Art. 21; 2026 opinions §4), whether
//! each may stand (Art. 20), and whether a slate meets the composition the compound sets
//! (building groups, age, profession, housing type, share of party members). Every unmet rule
//! is a [`Finding`] naming the candidate or the rule.

use crate::committee::finding::Finding as F;
use crate::kit::{Both, Say};
use crate::registry::{BuildingNo, Registry, UnitNo};
use jiff::civil::Date;
use serde::{Serialize, Serializer};

/// How a candidate came onto the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Nomination {
    /// Self-nomination (自荐).
    SelfNominated,
    /// Nominated by owners (业主推荐); the nominators' owner keys.
    ByOwners { nominators: Vec<String> },
    /// Recommended by the party organisation from its reserve pool (储备库).
    ReservePool,
}

/// A relative whose work for the property company bars a candidate: the spouse and the direct
/// relatives (直系亲属).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Spouse,
    Parent,
    Child,
    Grandparent,
    Grandchild,
}

impl Say for Relation {
    fn say_zh(&self) -> String {
        match self {
            Relation::Spouse => "配偶",
            Relation::Parent => "父母",
            Relation::Child => "子女",
            Relation::Grandparent => "祖父母或外祖父母",
            Relation::Grandchild => "孙子女或外孙子女",
        }
        .into()
    }
    fn say_en(&self) -> String {
        match self {
            Relation::Spouse => "spouse",
            Relation::Parent => "parent",
            Relation::Child => "child",
            Relation::Grandparent => "grandparent",
            Relation::Grandchild => "grandchild",
        }
        .into()
    }
}

/// A ground on which an owner may not serve while it remains uncorrected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ground {
    pub code: String,
    pub text: Both,
}

/// The six grounds of Art. 20 as amended in 2023 (the 2020 text's arrears of fees were dropped).
/// The general meeting may add more: the list is a setting.
pub fn default_grounds() -> Vec<Ground> {
    [
        ("structure", "损坏房屋承重结构", "damaging the main or load-bearing structure"),
        ("illegal-construction", "违法搭建", "illegal construction"),
        ("appearance", "破坏房屋外貌", "damaging the building's appearance"),
        ("change-of-use", "擅自改变物业使用性质", "changing the use of the property without authorisation"),
        ("illegal-letting", "违法出租房屋", "illegal letting"),
        (
            "refusing-decisions",
            "拒不执行业主大会或者业主委员会的决定",
            "refusing to carry out decisions of the general meeting or the committee",
        ),
    ]
    .into_iter()
    .map(|(code, zh, en)| Ground { code: code.into(), text: Both { zh: zh.into(), en: en.into() } })
    .collect()
}

/// The compound's eligibility settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EligibilityRules {
    pub grounds: Vec<Ground>,
    /// Owners needed to nominate a candidate jointly (联名推荐). UNCONFIRMED: Shanghai's model
    /// nomination method was not retrieved; the default asks for one.
    pub min_owner_nominators: u32,
}

impl Default for EligibilityRules {
    fn default() -> Self {
        EligibilityRules { grounds: default_grounds(), min_owner_nominators: 1 }
    }
}

/// A candidate and what the checks need to know about them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    /// The unit the candidate owns (alone or as a co-owner).
    pub unit: UnitNo,
    pub nomination: Nomination,
    pub works_for_property_company: bool,
    pub relatives_at_property_company: Vec<Relation>,
    /// Codes of the grounds that apply to them and are not corrected.
    pub uncorrected: Vec<String>,
    pub undertaking_signed: bool,
    pub party_member: bool,
    pub birth: Option<Date>,
    pub profession: String,
    pub housing_type: String,
}

/// Every reason the candidate may not stand, or none.
pub fn eligibility(c: &Candidate, registry: &Registry, rules: &EligibilityRules) -> Vec<F> {
    let mut out = Vec::new();
    let name = || c.name.trim().to_string();
    match registry.units.iter().find(|u| u.no == c.unit) {
        None => out.push(F::CandidateUnitUnknown { name: name(), unit: c.unit.to_string() }),
        Some(u) => {
            let owner = registry.owner(&u.owner);
            if !owner.is_some_and(|o| o.members.iter().any(|m| m.trim() == c.name.trim())) {
                let owner = owner.map_or_else(|| u.owner.to_string(), |o| o.name.clone());
                out.push(F::CandidateNotOwner { name: name(), unit: c.unit.to_string(), owner });
            }
        }
    }
    if let Nomination::ByOwners { nominators } = &c.nomination {
        for n in nominators {
            if !registry.units.iter().any(|u| u.owner.as_str() == n) {
                out.push(F::NominatorNotOwner { name: name(), nominator: n.clone() });
            }
        }
        if (nominators.len() as u32) < rules.min_owner_nominators {
            out.push(F::TooFewNominators {
                name: name(),
                nominators: nominators.len() as u32,
                min: rules.min_owner_nominators,
            });
        }
    }
    if c.works_for_property_company {
        out.push(F::CandidateEmployed { name: name() });
    }
    for r in &c.relatives_at_property_company {
        out.push(F::CandidateRelativeEmployed { name: name(), relation: *r });
    }
    for code in &c.uncorrected {
        match rules.grounds.iter().find(|g| &g.code == code) {
            Some(g) => out.push(F::CandidateDisqualified { name: name(), ground: g.text.clone() }),
            None => out.push(F::UnknownGround { name: name(), code: code.clone() }),
        }
    }
    if !c.undertaking_signed {
        out.push(F::CandidateUndertakingMissing { name: name() });
    }
    out
}

/// A share such as 1/3, compared by cross-multiplying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub num: u32,
    pub den: u32,
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}/{}", self.num, self.den))
    }
}

impl Say for Share {
    fn say_zh(&self) -> String {
        format!("{}/{}", self.num, self.den)
    }
    fn say_en(&self) -> String {
        self.say_zh()
    }
}

/// What a composition rule counts among the candidates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "trait", rename_all = "kebab-case")]
pub enum Trait {
    /// Living in the named building group (片区).
    BuildingGroup {
        group: String,
    },
    /// The rule applies to every building group separately (spread across the compound).
    EachBuildingGroup,
    /// Aged `from` to `to` years (both included) on the composition's reference day.
    AgeBetween {
        from: u32,
        to: u32,
    },
    Profession {
        name: String,
    },
    HousingType {
        name: String,
    },
    PartyMember,
}

impl Say for Trait {
    fn say_zh(&self) -> String {
        match self {
            Trait::BuildingGroup { group } => format!("片区“{group}”的候选人"),
            Trait::EachBuildingGroup => "每个片区的候选人".into(),
            Trait::AgeBetween { from, to } => format!("{from}至{to}岁的候选人"),
            Trait::Profession { name } => format!("职业为“{name}”的候选人"),
            Trait::HousingType { name } => format!("房屋类型为“{name}”的候选人"),
            Trait::PartyMember => "中共党员候选人".into(),
        }
    }
    fn say_en(&self) -> String {
        match self {
            Trait::BuildingGroup { group } => format!("candidates from building group '{group}'"),
            Trait::EachBuildingGroup => "candidates from each building group".into(),
            Trait::AgeBetween { from, to } => format!("candidates aged {from} to {to}"),
            Trait::Profession { name } => format!("candidates whose profession is '{name}'"),
            Trait::HousingType { name } => format!("candidates in housing of type '{name}'"),
            Trait::PartyMember => "party members".into(),
        }
    }
}

/// How many must have the trait: a count or a share of the slate, each end optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    Count { min: Option<u32>, max: Option<u32> },
    Share { min: Option<Share>, max: Option<Share> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompositionRule {
    pub of: Trait,
    pub bound: Bound,
}

/// The compound's composition settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composition {
    /// Building groups (片区) and their buildings.
    pub groups: Vec<(String, Vec<BuildingNo>)>,
    pub rules: Vec<CompositionRule>,
    /// The day ages are counted on (the election day).
    pub age_on: Date,
}

/// Full years of age on `on`, by the calendar (jiff), or None without a birth date.
fn age(birth: Option<Date>, on: Date) -> Option<u32> {
    let span = birth?.until((jiff::Unit::Year, on)).ok()?;
    u32::try_from(span.get_years()).ok()
}

/// Every composition rule the slate does not meet, and every candidate a rule cannot place.
pub fn check_composition(slate: &[Candidate], comp: &Composition) -> Vec<F> {
    let mut out = Vec::new();
    let group_of = |c: &Candidate| {
        let b = BuildingNo::parse(c.unit.building())?;
        comp.groups.iter().find(|(_, bs)| bs.contains(&b)).map(|(g, _)| g.as_str())
    };
    let uses = |f: fn(&Trait) -> bool| comp.rules.iter().any(|r| f(&r.of));
    if uses(|t| matches!(t, Trait::BuildingGroup { .. } | Trait::EachBuildingGroup)) {
        for c in slate.iter().filter(|c| group_of(c).is_none()) {
            out.push(F::BuildingOutsideGroups { name: c.name.clone(), building: c.unit.building().into() });
        }
    }
    if uses(|t| matches!(t, Trait::AgeBetween { .. })) {
        for c in slate.iter().filter(|c| c.birth.is_none()) {
            out.push(F::AgeUnknown { name: c.name.clone() });
        }
    }
    let has = |t: &Trait, c: &Candidate| match t {
        Trait::BuildingGroup { group } => group_of(c) == Some(group.as_str()),
        Trait::EachBuildingGroup => false,
        Trait::AgeBetween { from, to } => age(c.birth, comp.age_on).is_some_and(|a| (*from..=*to).contains(&a)),
        Trait::Profession { name } => c.profession.trim() == name.trim(),
        Trait::HousingType { name } => c.housing_type.trim() == name.trim(),
        Trait::PartyMember => c.party_member,
    };
    let total = slate.len() as u32;
    for rule in &comp.rules {
        let traits: Vec<Trait> = match &rule.of {
            Trait::EachBuildingGroup => {
                comp.groups.iter().map(|(g, _)| Trait::BuildingGroup { group: g.clone() }).collect()
            }
            t => vec![t.clone()],
        };
        for t in traits {
            let count = slate.iter().filter(|c| has(&t, c)).count() as u32;
            match rule.bound {
                Bound::Count { min, max } => {
                    if let Some(min) = min.filter(|&m| count < m) {
                        out.push(F::CompositionTooFew { rule: t.clone(), count, min });
                    }
                    if let Some(max) = max.filter(|&m| count > m) {
                        out.push(F::CompositionTooMany { rule: t, count, max });
                    }
                }
                Bound::Share { min, max } => {
                    // 以上/以下 include the boundary: count/total >= num/den, cross-multiplied
                    let (c, n) = (u64::from(count), u64::from(total));
                    if let Some(min) = min.filter(|s| c * u64::from(s.den) < u64::from(s.num) * n) {
                        out.push(F::CompositionShareTooLow { rule: t.clone(), count, total, min });
                    }
                    if let Some(max) = max.filter(|s| c * u64::from(s.den) > u64::from(s.num) * n) {
                        out.push(F::CompositionShareTooHigh { rule: t, count, total, max });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Refusal;
    use crate::registry::RawRow;
    use jiff::civil::date;

    fn registry() -> Registry {
        let row = |n: usize, unit: &str, b: &str, owner: &str| RawRow {
            row: n,
            unit: unit.into(),
            building: b.into(),
            stairwell: "1".into(),
            floor: String::new(),
            area: "80".into(),
            owner: owner.into(),
            owner_id: String::new(),
        };
        Registry::from_rows(&[
            row(2, "701", "13", "张三"),
            row(3, "302", "8", "李四；王五"),
            row(4, "101", "2", "赵六"),
            row(5, "201", "2", "开发商"),
        ])
        .unwrap()
    }

    fn candidate(name: &str, unit: &str) -> Candidate {
        Candidate {
            name: name.into(),
            unit: UnitNo::parse(unit).unwrap(),
            nomination: Nomination::SelfNominated,
            works_for_property_company: false,
            relatives_at_property_company: vec![],
            uncorrected: vec![],
            undertaking_signed: true,
            party_member: false,
            birth: Some(date(1970, 5, 1)),
            profession: "教师".into(),
            housing_type: "商品房".into(),
        }
    }

    fn codes(f: &[F]) -> Vec<&'static str> {
        f.iter().map(|f| f.code()).collect()
    }

    #[test]
    fn an_owner_or_co_owner_with_nothing_against_them_is_eligible() {
        let (reg, rules) = (registry(), EligibilityRules::default());
        assert!(eligibility(&candidate("张三", "13-701"), &reg, &rules).is_empty());
        assert!(eligibility(&candidate("王五", "8-302"), &reg, &rules).is_empty());
    }

    #[test]
    fn every_failure_is_named_not_only_the_first() {
        let mut c = candidate("钱七", "13-701");
        c.works_for_property_company = true;
        c.relatives_at_property_company = vec![Relation::Spouse];
        c.uncorrected = vec!["illegal-letting".into(), "arrears".into()];
        c.undertaking_signed = false;
        c.nomination = Nomination::ByOwners { nominators: vec!["张三".into(), "孙八".into()] };
        let rules = EligibilityRules { min_owner_nominators: 3, ..EligibilityRules::default() };
        let f = eligibility(&c, &registry(), &rules);
        assert_eq!(
            codes(&f),
            vec![
                "committee.candidate-not-owner",
                "committee.nominator-not-owner",
                "committee.too-few-nominators",
                "committee.candidate-employed-by-property-company",
                "committee.candidate-relative-employed",
                "committee.candidate-disqualified",
                "committee.unknown-ground",
                "committee.candidate-undertaking-missing",
            ]
        );
        assert_eq!(
            f[0].en(),
            "candidate 钱七 does not own unit 13-701 (its owner is 张三); a candidate must be an owner of the compound"
        );
        assert_eq!(f[4].zh(), "候选人 钱七 的配偶在为本小区服务的物业服务企业任职（第二十条）。");
        assert_eq!(f[5].en(), "candidate 钱七: illegal letting, not corrected (Art. 20)");
        assert_eq!(f[6].values()["code"], "arrears");
        let f = eligibility(&candidate("某", "9-101"), &registry(), &rules);
        assert_eq!(codes(&f), vec!["committee.candidate-unit-unknown"]);
    }

    #[test]
    fn the_2023_text_has_six_grounds_and_arrears_is_not_one() {
        let g = default_grounds();
        assert_eq!(g.len(), 6);
        assert!(g.iter().all(|g| !g.code.contains("arrear")));
        assert_eq!(g[5].text.en, "refusing to carry out decisions of the general meeting or the committee");
    }

    fn comp(rules: Vec<CompositionRule>) -> Composition {
        let b = |s: &str| BuildingNo::parse(s).unwrap();
        Composition {
            groups: vec![("北区".into(), vec![b("13"), b("8")]), ("南区".into(), vec![b("2")])],
            rules,
            age_on: date(2026, 6, 1),
        }
    }

    #[test]
    fn composition_rules_name_each_unmet_rule_and_group() {
        let mut slate = vec![candidate("张三", "13-701"), candidate("李四", "8-302"), candidate("王五", "8-302")];
        slate[0].party_member = true;
        slate[1].birth = Some(date(1996, 6, 2)); // 29 on 2026-06-01, one day short of 30
        slate[2].birth = None;
        let rules = vec![
            CompositionRule { of: Trait::EachBuildingGroup, bound: Bound::Count { min: Some(1), max: Some(2) } },
            CompositionRule {
                of: Trait::PartyMember,
                bound: Bound::Share { min: Some(Share { num: 1, den: 2 }), max: None },
            },
            CompositionRule {
                of: Trait::AgeBetween { from: 18, to: 29 },
                bound: Bound::Count { min: Some(1), max: None },
            },
            CompositionRule {
                of: Trait::Profession { name: "教师".into() },
                bound: Bound::Count { min: None, max: Some(1) },
            },
        ];
        let f = check_composition(&slate, &comp(rules));
        assert_eq!(
            codes(&f),
            vec![
                "committee.age-unknown",
                "committee.composition-too-many",
                "committee.composition-too-few",
                "committee.composition-share-too-low",
                "committee.composition-too-many",
            ]
        );
        assert_eq!(f[1].en(), "candidates from building group '北区': 3, more than the maximum 2");
        assert_eq!(f[2].zh(), "片区“南区”的候选人：0 人，少于至少 1 人。");
        assert_eq!(f[3].en(), "party members: 1 of 3, below 1/2");
        assert_eq!(f[3].values()["min"], "1/2");
    }

    #[test]
    fn a_share_exactly_at_the_minimum_is_met_and_age_counts_whole_years() {
        let mut slate = vec![candidate("张三", "13-701"), candidate("李四", "8-302"), candidate("赵六", "2-101")];
        slate[0].party_member = true;
        slate[1].birth = Some(date(1996, 6, 1)); // 30 on the day
        let third = Share { num: 1, den: 3 };
        let rules = vec![
            CompositionRule { of: Trait::PartyMember, bound: Bound::Share { min: Some(third), max: Some(third) } },
            CompositionRule {
                of: Trait::AgeBetween { from: 30, to: 30 },
                bound: Bound::Count { min: Some(1), max: Some(1) },
            },
        ];
        assert!(check_composition(&slate, &comp(rules)).is_empty());
    }
}
