//! The demo compound, 明辉西郊苑, as the news report tells it; deterministic, so tests and
//! screenshots stay stable.

use crate::registry::{RawRow, Registry, UnitNo};
use crate::voting::matter::Choice;
use crate::voting::tally::Ballot;
use std::collections::HashSet;

pub const NAME: &str = "明辉西郊苑";
pub const NAME_EN: &str = "Minghui Xijiao Garden";
pub const BUILDINGS: u32 = 33;
pub const FLOORS: u32 = 7;
pub const DEVELOPER: &str = "开发商（上海明辉置业有限公司）";

/// A person with an office in the compound, identified by a unit they own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Officer {
    /// `committee-director`, `committee-member` or `building-leader`.
    pub role: &'static str,
    pub name: String,
    pub unit: UnitNo,
}

#[derive(Clone, Debug)]
pub struct Demo {
    pub registry: Registry,
    pub officers: Vec<Officer>,
    /// Building 13's lift vote (kind `alteration`, scope `building:13`), closed.
    pub lift_ballots: Vec<Ballot>,
}

/// SplitMix64: a tiny seeded generator, enough for stable demo names.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗",
    "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡",
    "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "沈", "姚", "卢", "钟", "姜", "崔", "谭", "陆",
    "范", "汪", "金",
];
const GIVEN: &[&str] = &[
    "桂英", "秀兰", "建国", "国强", "丽华", "志强", "美玲", "海燕", "卫东", "建华", "玉珍", "伟民", "红梅", "德明",
    "淑芬", "文斌", "凤英", "金宝", "永康", "雪芳", "春生", "惠芳", "宝根", "佩华", "敏", "静", "磊", "勇", "芳", "军",
    "洁", "杰", "慧", "斌", "琳", "浩", "婷", "晨", "怡", "昊", "梓涵", "子轩", "雨桐", "思远", "嘉怡", "佳琪", "明杰",
    "伟", "霞", "平",
];

/// Stairwells per building: Buildings 4, 12 and 13 (the lift buildings) have one, the others
/// alternate between one and two.
pub fn stairwells(building: u32) -> u32 {
    if [4, 12, 13].contains(&building) || building % 2 == 1 { 1 } else { 2 }
}

/// Builds the demo compound.
pub fn demo() -> Demo {
    let mut rng = Rng(0x6f6e_677a_6869);
    let mut used = HashSet::from(["陈桂英".to_string()]);
    let mut name = |rng: &mut Rng| loop {
        let n = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
        if used.insert(n.clone()) {
            return n;
        }
    };
    let mut rows = Vec::new();
    let mut previous_owner = String::new();
    let mut investor = String::new();
    for b in 1..=BUILDINGS {
        for s in 1..=stairwells(b) {
            for f in 1..=FLOORS {
                for flat in 1..=2 {
                    let pos = (s - 1) * 2 + flat;
                    let room = format!("{f}{pos:02}");
                    // two plans (72.35 and 86.12 m²), a little different in every building
                    let base: i64 = if flat == 1 { 723_500 } else { 861_200 };
                    let e4 = base + (b as i64 % 5) * 1_300 + (f as i64 % 2) * 25;
                    let area = format!("{}.{:04}", e4 / 10_000, e4 % 10_000);
                    let n = rows.len();
                    let owner = if b == 13 && room == "701" {
                        "陈桂英".to_string()
                    } else if (b == 33 && f >= 6) || (b == 32 && room == "702") {
                        DEVELOPER.to_string()
                    } else if b == 5 && room == "102" {
                        previous_owner.clone() // 5-101's owner also holds 5-102
                    } else if (b == 21 || b == 22) && room == "301" {
                        investor.clone() // one owner of three flats: 20-301, 21-301, 22-301
                    } else if n % 9 == 4 {
                        format!("{};{}", name(&mut rng), name(&mut rng))
                    } else {
                        name(&mut rng)
                    };
                    if b == 20 && room == "301" {
                        investor = owner.clone();
                    }
                    previous_owner = owner.clone();
                    rows.push(RawRow {
                        row: n + 2,
                        unit: room,
                        building: format!("{b}号楼"),
                        stairwell: s.to_string(),
                        floor: f.to_string(),
                        area,
                        owner,
                        owner_id: String::new(),
                    });
                }
            }
        }
    }
    let registry = Registry::from_rows(&rows).expect("the demo register is valid");

    let person = |unit: &str| {
        let no = UnitNo::parse(unit).unwrap();
        let u = registry.units.iter().find(|u| u.no == no).unwrap();
        let o = registry.owner(&u.owner).unwrap();
        Officer { role: "", name: o.members[0].clone(), unit: no }
    };
    let mut officers = vec![Officer { role: "committee-director", ..person("8-302") }];
    for u in ["2-501", "6-203", "11-402", "15-101", "19-602", "24-303", "29-201"] {
        officers.push(Officer { role: "committee-member", ..person(u) });
    }
    for b in 1..=BUILDINGS {
        // the leader lives on the second floor (a Chinese owner who is not the developer)
        officers.push(Officer { role: "building-leader", ..person(&format!("{b}-201")) });
    }

    // Building 13's lift: 14 households, 13 approved, 1 opposed (the ground floor's view).
    let lift_ballots = registry
        .units
        .iter()
        .filter(|u| u.building.as_str() == "13")
        .map(|u| Ballot {
            unit: u.no.clone(),
            choice: if u.no.room() == "102" { Choice::Oppose } else { Choice::Approve },
            row: 0,
        })
        .collect();
    Demo { registry, officers, lift_ballots }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::OwnerKey;
    use crate::voting::matter::{MatterKind, Scope};
    use crate::voting::tally::{TallyInput, tally};

    #[test]
    fn demo_is_the_compound_of_the_story() {
        let d = demo();
        assert_eq!(d.registry.buildings().len(), 33);
        assert!(d.registry.units.iter().any(|u| u.no.as_str() == "13-701"));
        assert!(d.registry.units.iter().all(|u| (1..=7).contains(&u.floor)));
        let dev: Vec<_> = d.registry.units.iter().filter(|u| u.owner == OwnerKey::developer()).collect();
        assert_eq!(dev.len(), 5);
        let investor = &d.registry.units.iter().find(|u| u.no.as_str() == "20-301").unwrap().owner;
        assert_eq!(d.registry.units.iter().filter(|u| &u.owner == investor).count(), 3);
        assert!(d.registry.owners.iter().any(|o| o.members.len() == 2));
        assert_eq!(d.officers.iter().filter(|o| o.role == "committee-member").count(), 7);
        assert_eq!(d.officers.iter().filter(|o| o.role == "building-leader").count(), 33);
    }

    #[test]
    fn demo_is_deterministic() {
        assert_eq!(demo().registry, demo().registry);
    }

    #[test]
    fn building_13_lift_passed_with_about_92_percent() {
        let d = demo();
        let scope = Scope::parse("building:13").unwrap();
        let t = tally(&TallyInput {
            units: &d.registry.units,
            scope: &scope,
            kind: MatterKind::Alteration,
            ballots: &d.lift_ballots,
            delivered: None,
        })
        .unwrap();
        assert!(t.passed);
        assert_eq!((t.approve.owners, t.participating.owners), (13, 14));
        // 13 of 14 owners is 92.86%
        assert!(t.explanation.zh.contains("13 人（92.86%）"), "{}", t.explanation.zh);
    }
}
