//! The roster of a period: who stands at which shift, the load it puts on each volunteer, the
//! gaps no roster can fill and who could fill them if they were available; and the rules every
//! roster (solved, swapped or edited by hand) must keep.

use super::fair::{Stats, solve};
use super::model::{Problem, ShiftId, VolunteerId};
use super::refusal::WasteRefusal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Who is on each shift. Every shift of the problem has an entry, empty when nobody is on it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Assignment {
    pub on: BTreeMap<ShiftId, BTreeSet<VolunteerId>>,
}

impl Assignment {
    /// Every shift of the problem, nobody on any.
    pub fn empty(pb: &Problem) -> Assignment {
        Assignment { on: pb.shifts().iter().map(|s| (s.id.clone(), BTreeSet::new())).collect() }
    }

    pub fn from_pairs(pb: &Problem, pairs: &[(u32, u32)]) -> Assignment {
        let mut a = Assignment::empty(pb);
        for &(v, s) in pairs {
            let (v, s) = (&pb.volunteers()[v as usize].id, &pb.shifts()[s as usize].id);
            a.on.entry(s.clone()).or_default().insert(v.clone());
        }
        a
    }

    /// Per volunteer (by index), the shifts (by index) they hold; ids the problem does not
    /// know are skipped (see [`violations`]).
    pub fn held(&self, pb: &Problem) -> Vec<Vec<usize>> {
        let mut held = vec![Vec::new(); pb.volunteers().len()];
        for (s, vs) in &self.on {
            let Some(s) = pb.shift_index(s) else { continue };
            for v in vs {
                if let Some(v) = pb.volunteer_index(v) {
                    held[v].push(s);
                }
            }
        }
        held
    }

    pub fn is_on(&self, shift: &ShiftId, volunteer: &VolunteerId) -> bool {
        self.on.get(shift).is_some_and(|vs| vs.contains(volunteer))
    }
}

/// Whether volunteer `v`, holding `others`, may also take shift `s`: the rule it breaks if not.
/// With `ignore_availability`, only overlap and the maxima count (for "who could fill this").
pub fn may_add(
    pb: &Problem,
    v: usize,
    s: usize,
    others: &[usize],
    ignore_availability: bool,
) -> Result<(), WasteRefusal> {
    let person = &pb.volunteers()[v];
    let sh = &pb.shifts()[s];
    let (volunteer, shift) = (person.id.to_string(), sh.id.to_string());
    if !ignore_availability {
        if !pb.is_available(v, s) {
            return Err(WasteRefusal::NotAvailable { volunteer, shift });
        }
        if pb.is_away(v, s) {
            return Err(WasteRefusal::Away { volunteer, shift, date: sh.date.to_string() });
        }
    }
    if let Some(&o) = others.iter().find(|&&o| o != s && pb.shifts()[o].overlaps(sh)) {
        return Err(WasteRefusal::Overlap { volunteer, shift, other: pb.shifts()[o].id.to_string() });
    }
    if others.len() as u32 >= person.max {
        return Err(WasteRefusal::OverMax { volunteer, max: person.max });
    }
    if let Some(max) = person.max_per_week {
        let week = sh.week();
        if others.iter().filter(|&&o| pb.shifts()[o].week() == week).count() as u32 >= max {
            return Err(WasteRefusal::OverWeekMax { volunteer, week: week.to_string(), max });
        }
    }
    Ok(())
}

/// Every rule the assignment breaks (empty for a valid roster).
pub fn violations(pb: &Problem, a: &Assignment) -> Vec<WasteRefusal> {
    let mut out = Vec::new();
    for (s, vs) in &a.on {
        let Some(si) = pb.shift_index(s) else {
            out.push(WasteRefusal::NoSuchShift { shift: s.to_string() });
            continue;
        };
        let need = pb.shifts()[si].need;
        if vs.len() as u32 > need {
            out.push(WasteRefusal::OverNeed { shift: s.to_string(), need });
        }
        for v in vs.iter().filter(|v| pb.volunteer_index(v).is_none()) {
            out.push(WasteRefusal::NoSuchVolunteer { volunteer: v.to_string() });
        }
    }
    for (v, held) in a.held(pb).iter().enumerate() {
        // add the held shifts one by one in time order: each must fit beside the ones before it
        let mut sorted = held.clone();
        sorted.sort_by_key(|&s| (pb.shifts()[s].date, pb.shifts()[s].start, s));
        for (i, &s) in sorted.iter().enumerate() {
            if let Err(e) = may_add(pb, v, s, &sorted[..i], false) {
                out.push(e);
            }
        }
    }
    out
}

/// A shift left short, and who could fill it if they were available for it: volunteers not
/// available (or away) who are otherwise free at that time and under their maxima.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub shift: ShiftId,
    pub missing: u32,
    pub could_fill: Vec<VolunteerId>,
}

/// The gaps of an assignment: every shift with fewer volunteers than it needs.
pub fn gaps(pb: &Problem, a: &Assignment) -> Vec<Gap> {
    let held = a.held(pb);
    let mut out = Vec::new();
    for (s, sh) in pb.shifts().iter().enumerate() {
        let on = a.on.get(&sh.id).map_or(0, |vs| vs.len() as u32);
        if on >= sh.need {
            continue;
        }
        let mut could_fill: Vec<VolunteerId> = (0..pb.volunteers().len())
            .filter(|&v| !pb.may_take(v, s) && !held[v].contains(&s) && may_add(pb, v, s, &held[v], true).is_ok())
            .map(|v| pb.volunteers()[v].id.clone())
            .collect();
        could_fill.sort();
        out.push(Gap { shift: sh.id.clone(), missing: sh.need - on, could_fill });
    }
    out
}

/// An optimal roster with its objective values, in the order they were optimised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Roster {
    pub assignment: Assignment,
    /// Places filled: the most any roster fills.
    pub covered: u32,
    /// Places to fill: every shift's need added up.
    pub places: u32,
    /// The smallest maximum load among rosters with that cover.
    pub max_load: u32,
    /// The fewest volunteers at that maximum.
    pub at_max: u32,
    /// The most shifts at preferred stations after that.
    pub preferred: u32,
    pub load: BTreeMap<VolunteerId, u32>,
    /// Places no roster can fill (their number is the least possible; which shifts carry them is
    /// this roster's choice), with who could have filled them.
    pub gaps: Vec<Gap>,
    pub stats: Stats,
}

/// The exact roster for a period: most cover, then fairest load, then preferences.
pub fn roster(pb: &Problem) -> Roster {
    let sol = solve(pb);
    let assignment = Assignment::from_pairs(pb, &sol.assigned);
    let mut load: BTreeMap<VolunteerId, u32> = pb.volunteers().iter().map(|v| (v.id.clone(), 0)).collect();
    for &(v, _) in &sol.assigned {
        *load.entry(pb.volunteers()[v as usize].id.clone()).or_default() += 1;
    }
    Roster {
        gaps: gaps(pb, &assignment),
        assignment,
        covered: sol.covered,
        places: pb.places(),
        max_load: sol.max_load,
        at_max: if sol.covered == 0 { 0 } else { sol.at_max },
        preferred: sol.covered - sol.unpreferred,
        load,
        stats: sol.stats,
    }
}
