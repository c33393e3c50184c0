//! Live turnout: participation against the thresholds, without revealing any choice, and the
//! door-to-door list ordered so that the fewest visits reach the thresholds.

use crate::kit::Area;
use crate::registry::{OwnerKey, Unit, UnitNo};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Turnout {
    pub eligible_owners: u64,
    pub eligible_area: Area,
    pub participating_owners: u64,
    pub participating_area: Area,
    /// The least owners and area that meet two thirds.
    pub needed_owners: u64,
    pub needed_area: Area,
    /// What is still missing (0 when met).
    pub missing_owners: u64,
    pub missing_area: Area,
    pub met: bool,
    /// Owners who have not voted, in visiting order: the first `visits_to_threshold` of them
    /// reach both thresholds (if they all vote).
    pub to_visit: Vec<Visit>,
    pub visits_to_threshold: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Visit {
    /// 1 = visit first.
    pub priority: usize,
    pub owner: OwnerKey,
    pub units: Vec<UnitNo>,
    pub building: String,
    pub floor: i32,
    pub area: Area,
}

/// Turnout of `roll` (a matter's frozen roll) given the units that returned a ballot.
pub fn turnout(roll: &[Unit], voted: &HashSet<&UnitNo>) -> Turnout {
    let mut owners: BTreeMap<&OwnerKey, (bool, Area, Vec<&Unit>)> = BTreeMap::new();
    let mut part_area = Area::ZERO;
    for u in roll {
        let e = owners.entry(&u.owner).or_insert((false, Area::ZERO, Vec::new()));
        if voted.contains(&u.no) {
            e.0 = true;
            part_area += u.area;
        } else {
            e.1 += u.area;
            e.2.push(u);
        }
    }
    let eligible_area: Area = roll.iter().map(|u| u.area).sum();
    let eligible_owners = owners.len() as u64;
    let participating_owners = owners.values().filter(|o| o.0).count() as u64;
    let needed_owners = (2 * eligible_owners).div_ceil(3);
    let needed_area = eligible_area.ceil_fraction(2, 3);
    let missing_owners = needed_owners.saturating_sub(participating_owners);
    let missing_area = needed_area.saturating_sub(part_area);

    // Visiting an owner brings one head (if they have not voted) and their unvoted area. Heads
    // are equal, so the largest areas first reach both thresholds in the fewest visits.
    let mut pending: Vec<(&OwnerKey, bool, Area, Vec<&Unit>)> =
        owners.into_iter().filter(|(_, o)| !o.2.is_empty()).map(|(k, (v, a, us))| (k, v, a, us)).collect();
    // While heads are missing, owners who have not voted at all come first.
    let heads_first = missing_owners > 0;
    pending.sort_by(|a, b| {
        let new_head = |x: &(&OwnerKey, bool, Area, Vec<&Unit>)| heads_first && !x.1;
        new_head(b).cmp(&new_head(a)).then(b.2.cmp(&a.2)).then_with(|| a.3[0].no.cmp(&b.3[0].no))
    });
    let (mut heads, mut area, mut visits) = (0u64, Area::ZERO, 0usize);
    let mut reached = missing_owners == 0 && missing_area == Area::ZERO;
    let to_visit = pending
        .into_iter()
        .enumerate()
        .map(|(i, (k, voted_already, a, us))| {
            if !reached {
                heads += !voted_already as u64;
                area += a;
                visits = i + 1;
                reached = heads >= missing_owners && area >= missing_area;
            }
            Visit {
                priority: i + 1,
                owner: k.clone(),
                units: us.iter().map(|u| u.no.clone()).collect(),
                building: us[0].building.to_string(),
                floor: us[0].floor,
                area: a,
            }
        })
        .collect();
    Turnout {
        eligible_owners,
        eligible_area,
        participating_owners,
        participating_area: part_area,
        needed_owners,
        needed_area,
        missing_owners,
        missing_area,
        met: missing_owners == 0 && missing_area == Area::ZERO,
        to_visit,
        visits_to_threshold: if reached { visits } else { 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{BuildingNo, StairwellNo};

    fn unit(room: &str, centi: i64, owner: &str) -> Unit {
        let b = BuildingNo::parse("1").unwrap();
        Unit {
            no: UnitNo::new(&b, room),
            building: b,
            stairwell: StairwellNo::parse("1").unwrap(),
            floor: room[..1].parse().unwrap(),
            area: Area::from_centi(centi),
            owner: OwnerKey::from_stored(owner),
        }
    }

    #[test]
    fn largest_owners_first_reach_the_threshold_in_fewest_visits() {
        let roll = vec![
            unit("101", 5_000, "a"),
            unit("201", 20_000, "b"),
            unit("301", 5_000, "c"),
            unit("401", 5_000, "d"),
            unit("501", 5_000, "e"),
        ];
        let none = HashSet::new();
        let t = turnout(&roll, &none);
        assert_eq!((t.needed_owners, t.needed_area.to_string()), (4, "266.6667".to_string()));
        assert_eq!(t.to_visit[0].owner.as_str(), "b");
        // heads decide here: four of five owners must vote
        assert_eq!(t.visits_to_threshold, 4);
        let b = UnitNo::parse("1-201").unwrap();
        let voted: HashSet<&UnitNo> = [&b].into_iter().collect();
        let t = turnout(&roll, &voted);
        assert_eq!(t.participating_owners, 1);
        assert_eq!(t.missing_owners, 3);
        assert_eq!(t.visits_to_threshold, 3);
        assert!(t.to_visit.iter().all(|v| v.owner.as_str() != "b"));
    }

    #[test]
    fn an_owner_who_voted_for_one_unit_still_brings_area_for_another() {
        let roll = vec![
            unit("101", 10_000, "a"),
            unit("102", 90_000, "a"),
            unit("201", 10_000, "b"),
            unit("301", 10_000, "c"),
        ];
        let a = UnitNo::parse("1-101").unwrap();
        let b = UnitNo::parse("1-201").unwrap();
        let voted: HashSet<&UnitNo> = [&a, &b].into_iter().collect();
        let t = turnout(&roll, &voted);
        assert_eq!(t.participating_owners, 2);
        assert_eq!(t.missing_owners, 0);
        assert!(!t.met, "area: 200 of 1200 m²");
        assert_eq!(t.to_visit[0].units, vec![UnitNo::parse("1-102").unwrap()]);
        assert_eq!(t.visits_to_threshold, 1);
    }
}
