//! Before and after a what-if, entrance by entrance, per building and weighted by households.
//!
//! A household gains when its walk got shorter, and also when it had no open bin room within
//! reach before and has one after (an infinite walk became finite). Means are weighted by
//! households over the entrances that reach a bin room in that state, so a mean before and a
//! mean after may be over different entrances; each is exact (a sum of mm × households over a
//! count of households) until it is rounded for display.

use crate::kit::Refused;
use crate::map::dijkstra::{Nearest, nearest_bins};
use crate::map::graph::{NodeIx, WalkMap};
use crate::map::scenario::Scenario;

/// One entrance's walk to its nearest bin room, before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntranceWalk {
    pub node: NodeIx,
    pub id: String,
    pub building: String,
    pub households: u32,
    /// The nearest bin room's id before and after the changes, `None` when none can be reached.
    pub bin_before: Option<String>,
    pub bin_after: Option<String>,
    pub before_mm: Option<u64>,
    pub after_mm: Option<u64>,
}

impl EntranceWalk {
    /// Metres saved (negative when the walk got longer); `None` unless reachable both times.
    pub fn gain_mm(&self) -> Option<i64> {
        Some(self.before_mm? as i64 - self.after_mm? as i64)
    }

    /// Shorter, or newly reachable.
    pub fn gains(&self) -> bool {
        match (self.before_mm, self.after_mm) {
            (Some(b), Some(a)) => a < b,
            (None, Some(_)) => true,
            _ => false,
        }
    }
}

/// A households-weighted mean walk, held exactly: `mm_households / households` millimetres.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mean {
    pub mm_households: u128,
    pub households: u64,
}

impl Mean {
    /// The mean of the reachable walks, `None` when no household reaches a bin room.
    pub fn of(walks: impl Iterator<Item = (u32, Option<u64>)>) -> Option<Mean> {
        let mut m = Mean { mm_households: 0, households: 0 };
        for (h, d) in walks {
            if let Some(d) = d {
                m.mm_households += h as u128 * d as u128;
                m.households += h as u64;
            }
        }
        (m.households > 0).then_some(m)
    }

    /// Rounded to decimetres, half up from the exact value.
    pub fn decimetres(&self) -> i64 {
        let den = self.households as u128 * 100;
        ((2 * self.mm_households + den) / (2 * den)) as i64
    }
}

/// A what-if's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// In the order of the map's file.
    pub entrances: Vec<EntranceWalk>,
    pub households: u64,
    pub households_gaining: u64,
    pub mean_before: Option<Mean>,
    pub mean_after: Option<Mean>,
}

/// The walks on `map` before and after `scenario`, to bin rooms open at `minute` of the day (all
/// bin rooms when `None`).
pub fn what_if(map: &WalkMap, scenario: &Scenario, minute: Option<u16>) -> Result<Comparison, Refused> {
    let after = scenario.apply(map)?;
    Ok(compare(map, &after, minute))
}

/// The map as it is: every entrance's walk (before and after are the same).
pub fn walks(map: &WalkMap, minute: Option<u16>) -> Comparison {
    compare(map, map, minute)
}

/// Compares two states of one map; `after` must keep `before`'s nodes in the same places
/// (as [`Scenario::apply`] does).
pub fn compare(before: &WalkMap, after: &WalkMap, minute: Option<u16>) -> Comparison {
    let (nb, na) = (nearest_bins(before, minute), nearest_bins(after, minute));
    let bin_id = |m: &WalkMap, n: Option<Nearest>| n.map(|n| m.nodes[n.bin].id.clone());
    let entrances: Vec<EntranceWalk> = before
        .entrances()
        .map(|(i, building, households)| EntranceWalk {
            node: i,
            id: before.nodes[i].id.clone(),
            building: building.to_string(),
            households,
            bin_before: bin_id(before, nb[i]),
            bin_after: bin_id(after, na[i]),
            before_mm: nb[i].map(|n| n.mm),
            after_mm: na[i].map(|n| n.mm),
        })
        .collect();
    let households_gaining = entrances.iter().filter(|e| e.gains()).map(|e| e.households as u64).sum();
    Comparison {
        households: entrances.iter().map(|e| e.households as u64).sum(),
        households_gaining,
        mean_before: Mean::of(entrances.iter().map(|e| (e.households, e.before_mm))),
        mean_after: Mean::of(entrances.iter().map(|e| (e.households, e.after_mm))),
        entrances,
    }
}

/// One building's entrances taken together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildingWalk {
    pub building: String,
    pub entrances: usize,
    pub households: u64,
    pub households_gaining: u64,
    /// Households whose entrance reaches no bin room, before and after.
    pub unreachable_before: u64,
    pub unreachable_after: u64,
    pub mean_before: Option<Mean>,
    pub mean_after: Option<Mean>,
}

/// Per building, in the order each building first appears in the file.
pub fn by_building(c: &Comparison) -> Vec<BuildingWalk> {
    let mut order: Vec<&str> = Vec::new();
    for e in &c.entrances {
        if !order.contains(&e.building.as_str()) {
            order.push(&e.building);
        }
    }
    order
        .into_iter()
        .map(|b| {
            let es: Vec<&EntranceWalk> = c.entrances.iter().filter(|e| e.building == b).collect();
            let sum = |f: &dyn Fn(&EntranceWalk) -> bool| es.iter().filter(|e| f(e)).map(|e| e.households as u64).sum();
            BuildingWalk {
                building: b.to_string(),
                entrances: es.len(),
                households: sum(&|_| true),
                households_gaining: sum(&|e| e.gains()),
                unreachable_before: sum(&|e| e.before_mm.is_none()),
                unreachable_after: sum(&|e| e.after_mm.is_none()),
                mean_before: Mean::of(es.iter().map(|e| (e.households, e.before_mm))),
                mean_after: Mean::of(es.iter().map(|e| (e.households, e.after_mm))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(h: u32, before: Option<u64>, after: Option<u64>) -> EntranceWalk {
        EntranceWalk {
            node: 0,
            id: "e".into(),
            building: "1".into(),
            households: h,
            bin_before: None,
            bin_after: None,
            before_mm: before,
            after_mm: after,
        }
    }

    #[test]
    fn newly_reachable_gains_and_newly_cut_off_does_not() {
        assert!(walk(1, None, Some(5)).gains());
        assert!(walk(1, Some(6), Some(5)).gains());
        assert!(!walk(1, Some(5), Some(5)).gains());
        assert!(!walk(1, Some(5), None).gains());
        assert!(!walk(1, None, None).gains());
        assert_eq!(walk(1, Some(5), Some(9)).gain_mm(), Some(-4));
        assert_eq!(walk(1, None, Some(9)).gain_mm(), None);
    }

    #[test]
    fn the_mean_is_weighted_by_households_and_rounded_half_up_from_the_exact_value() {
        // (14 × 100.000 m + 7 × 50.015 m) / 21 = 83.338333… m → 83.3
        let m = Mean::of([(14, Some(100_000)), (7, Some(50_015)), (9, None)].into_iter()).unwrap();
        assert_eq!((m.households, m.decimetres()), (21, 833));
        // exactly 0.05 m goes up; a hair under does not
        assert_eq!(Mean { mm_households: 150, households: 3 }.decimetres(), 1);
        assert_eq!(Mean { mm_households: 149, households: 3 }.decimetres(), 0);
        // 2 × 12.349 m + 1 × 12.352 m = 12.35 m exactly → 12.4 (a float mean would give 12.349999…)
        assert_eq!(Mean::of([(2, Some(12_349)), (1, Some(12_352))].into_iter()).unwrap().decimetres(), 124);
        assert_eq!(Mean::of([(3, None)].into_iter()), None);
        assert_eq!(Mean::of([(0, Some(5))].into_iter()), None);
    }
}
