//! The roster against brute force and an independent max flow, on random instances; and the
//! chained-overlap cases the flow alone would get wrong.

use super::fair::max_cover_bound;
use super::model::{Availability, Hm, Problem, Shift, ShiftId, StationId, Volunteer};
use super::roster::{Assignment, Roster, may_add, roster, violations};
use super::swap::cover_candidates;
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap, VecDeque};

fn shift(id: &str, station: &str, date: &str, start: &str, end: &str, need: u32) -> Shift {
    Shift {
        id: ShiftId::new(id),
        station: StationId::new(station),
        date: date.parse().unwrap(),
        start: Hm::parse(start).unwrap(),
        end: Hm::parse(end).unwrap(),
        need,
    }
}

fn only(id: &str, max: u32, shifts: &[&str]) -> Volunteer {
    let mut v = Volunteer::new(id, max);
    v.available = Availability::Only(shifts.iter().map(|s| ShiftId::new(*s)).collect());
    v
}

fn ids(r: &Roster, s: &str) -> Vec<String> {
    r.assignment.on[&ShiftId::new(s)].iter().map(|v| v.to_string()).collect()
}

/// (cover, max load, volunteers at it, preferred), the objective in the roster's terms.
type Objective = (u32, u32, u32, u32);

fn objective(pb: &Problem, held: &[Vec<usize>]) -> Objective {
    let cover = held.iter().map(|h| h.len() as u32).sum();
    let max = held.iter().map(|h| h.len() as u32).max().unwrap_or(0);
    let at = if cover == 0 { 0 } else { held.iter().filter(|h| h.len() as u32 == max).count() as u32 };
    let pref = held.iter().enumerate().map(|(v, h)| h.iter().filter(|&&s| pb.prefers(v, s)).count() as u32).sum();
    (cover, max, at, pref)
}

/// Better in the lexicographic order: more cover, then lower max, then fewer at it, then more
/// preferred.
fn better(a: Objective, b: Objective) -> bool {
    (std::cmp::Reverse(a.0), a.1, a.2, std::cmp::Reverse(a.3))
        < (std::cmp::Reverse(b.0), b.1, b.2, std::cmp::Reverse(b.3))
}

/// The best objective over every feasible roster, by enumerating each shift's set of volunteers.
fn brute_force(pb: &Problem) -> Objective {
    fn go(pb: &Problem, s: usize, held: &mut Vec<Vec<usize>>, best: &mut Objective) {
        if s == pb.shifts().len() {
            let o = objective(pb, held);
            if better(o, *best) {
                *best = o;
            }
            return;
        }
        let need = pb.shifts()[s].need as usize;
        let can: Vec<usize> =
            (0..pb.volunteers().len()).filter(|&v| may_add(pb, v, s, &held[v], false).is_ok()).collect();
        // every subset of `can` with at most `need` members
        for mask in 0u32..1 << can.len() {
            if mask.count_ones() as usize > need {
                continue;
            }
            let chosen: Vec<usize> = (0..can.len()).filter(|i| mask >> i & 1 == 1).map(|i| can[i]).collect();
            for &v in &chosen {
                held[v].push(s);
            }
            go(pb, s + 1, held, best);
            for &v in &chosen {
                held[v].pop();
            }
        }
    }
    let mut best = (0, u32::MAX, u32::MAX, 0);
    go(pb, 0, &mut vec![Vec::new(); pb.volunteers().len()], &mut best);
    best
}

/// Everything a solved roster must satisfy, whatever the instance.
fn check_roster(pb: &Problem, r: &Roster) -> Result<(), TestCaseError> {
    prop_assert!(violations(pb, &r.assignment).is_empty(), "{:?}", violations(pb, &r.assignment));
    prop_assert_eq!(r.assignment.on.len(), pb.shifts().len());
    let held = r.assignment.held(pb);
    prop_assert_eq!(objective(pb, &held), (r.covered, r.max_load, r.at_max, r.preferred));
    prop_assert_eq!(r.places, pb.places());
    prop_assert_eq!(r.gaps.iter().map(|g| g.missing).sum::<u32>(), r.places - r.covered);
    prop_assert!(r.covered as i64 <= max_cover_bound(pb).0);
    for (v, h) in held.iter().enumerate() {
        prop_assert_eq!(r.load[&pb.volunteers()[v].id], h.len() as u32);
    }
    for g in &r.gaps {
        // cover is the most possible, so nobody available could still step in
        prop_assert!(cover_candidates(pb, &r.assignment, &g.shift).unwrap().is_empty());
        let s = pb.shift_index(&g.shift).unwrap();
        for id in &g.could_fill {
            let v = pb.volunteer_index(id).unwrap();
            prop_assert!(!pb.may_take(v, s));
            prop_assert!(may_add(pb, v, s, &held[v], true).is_ok());
        }
    }
    Ok(())
}

const DATES: [&str; 3] = ["2026-03-02", "2026-03-03", "2026-03-09"];

/// Small instances with free start times and lengths, so overlaps chain; `days` are the dates'
/// indices to draw from (one day: chains nearly always).
fn small(days: Vec<usize>, shifts: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Problem> {
    let shift = (0usize..2, prop::sample::select(days), 0u16..8, prop::sample::select(vec![60u16, 90, 120]), 1u32..=2);
    let vol = (
        0u32..=3,
        prop::option::of(1u32..=2),
        prop::option::weighted(0.5, 0u32..64),
        prop::option::weighted(0.3, 0usize..3),
        0u8..4,
    );
    (prop::collection::vec(shift, shifts), prop::collection::vec(vol, 1..=5)).prop_map(|(ss, vs)| {
        let shifts: Vec<Shift> = ss
            .iter()
            .enumerate()
            .map(|(i, &(st, d, start, len, need))| {
                let start = 7 * 60 + start * 30;
                Shift {
                    id: ShiftId(format!("S{i}")),
                    station: StationId::new(["a", "b"][st]),
                    date: DATES[d].parse().unwrap(),
                    start: Hm::new(start / 60, start % 60).unwrap(),
                    end: Hm::new((start + len) / 60, (start + len) % 60).unwrap(),
                    need,
                }
            })
            .collect();
        let vols = vs
            .iter()
            .enumerate()
            .map(|(i, &(max, week, mask, away, pref))| {
                let mut v = Volunteer::new(format!("v{i}"), max);
                v.max_per_week = week;
                if let Some(m) = mask {
                    v.available = Availability::Only(
                        (0..shifts.len()).filter(|s| m >> s & 1 == 1).map(|s| shifts[s].id.clone()).collect(),
                    );
                }
                if let Some(d) = away {
                    v.away.insert(DATES[d].parse().unwrap());
                }
                for (bit, st) in ["a", "b"].iter().enumerate() {
                    if pref >> bit & 1 == 1 {
                        v.preferred.insert(StationId::new(*st));
                    }
                }
                v
            })
            .collect();
        Problem::new(shifts, vols).unwrap()
    })
}

/// A week of three stations sharing a morning and an evening window: overlaps are cliques.
fn fixed_windows() -> impl Strategy<Value = Problem> {
    let vol = (0u32..=5, prop::option::of(1u32..=3), prop::collection::vec(any::<bool>(), 42), 0u8..8);
    (prop::collection::vec(1u32..=2, 42), prop::collection::vec(vol, 1..=12)).prop_map(|(needs, vs)| {
        let mut shifts = Vec::new();
        for day in 0..7 {
            let date = format!("2026-03-{:02}", 5 + day);
            for (w, (a, b)) in [("07:00", "09:00"), ("18:00", "20:00")].iter().enumerate() {
                for st in ["a", "b", "c"] {
                    let i = shifts.len();
                    shifts.push(shift(&format!("{st}{day}{w}"), st, &date, a, b, needs[i]));
                }
            }
        }
        let vols = vs
            .iter()
            .enumerate()
            .map(|(i, (max, week, avail, pref))| {
                let mut v = Volunteer::new(format!("v{i}"), *max);
                v.max_per_week = *week;
                v.available = Availability::Only(
                    shifts.iter().zip(avail).filter(|(_, a)| **a).map(|(s, _)| s.id.clone()).collect(),
                );
                v.preferred = ["a", "b", "c"]
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| pref >> b & 1 == 1)
                    .map(|(_, s)| StationId::new(*s))
                    .collect();
                v
            })
            .collect();
        Problem::new(shifts, vols).unwrap()
    })
}

/// Max cover by Edmonds–Karp on a network built here, not by `network`: one node per
/// (volunteer, date, window) for "one window at a time", one per (volunteer, week).
fn independent_max_cover(pb: &Problem) -> i64 {
    let mut cap: Vec<HashMap<usize, i64>> = vec![HashMap::new(); 2];
    let mut node: HashMap<String, usize> = HashMap::new();
    let mut id = |key: String, cap: &mut Vec<HashMap<usize, i64>>| {
        *node.entry(key).or_insert_with(|| {
            cap.push(HashMap::new());
            cap.len() - 1
        })
    };
    let add = |cap: &mut Vec<HashMap<usize, i64>>, u: usize, v: usize, c: i64| {
        *cap[u].entry(v).or_default() += c;
        cap[v].entry(u).or_default();
    };
    for (s, sh) in pb.shifts().iter().enumerate() {
        let n = id(format!("s{s}"), &mut cap);
        add(&mut cap, n, 1, sh.need as i64);
    }
    for (v, person) in pb.volunteers().iter().enumerate() {
        let vn = id(format!("v{v}"), &mut cap);
        add(&mut cap, 0, vn, person.max as i64);
        for s in 0..pb.shifts().len() {
            if !pb.may_take(v, s) {
                continue;
            }
            let sh = &pb.shifts()[s];
            let wk = id(format!("v{v}w{}", sh.week()), &mut cap);
            if !cap[vn].contains_key(&wk) {
                add(&mut cap, vn, wk, person.max_per_week.map_or(i64::MAX / 4, |w| w as i64));
            }
            let slot = id(format!("v{v}d{}t{}", sh.date, sh.start), &mut cap);
            if !cap[wk].contains_key(&slot) {
                add(&mut cap, wk, slot, 1);
            }
            let sn = id(format!("s{s}"), &mut cap);
            add(&mut cap, slot, sn, 1);
        }
    }
    let mut total = 0;
    loop {
        let mut prev = vec![usize::MAX; cap.len()];
        prev[0] = 0;
        let mut q = VecDeque::from([0]);
        while let Some(u) = q.pop_front() {
            for (&v, &c) in &cap[u] {
                if c > 0 && prev[v] == usize::MAX {
                    prev[v] = u;
                    q.push_back(v);
                }
            }
        }
        if prev[1] == usize::MAX {
            return total;
        }
        let mut v = 1;
        while v != 0 {
            let u = prev[v];
            *cap[u].get_mut(&v).unwrap() -= 1;
            *cap[v].get_mut(&u).unwrap() += 1;
            v = u;
        }
        total += 1;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_roster_is_as_good_as_any_brute_force_roster(pb in small(vec![0, 0, 1, 2], 1..=6)) {
        let r = roster(&pb);
        check_roster(&pb, &r)?;
        prop_assert_eq!((r.covered, r.max_load, r.at_max, r.preferred), brute_force(&pb));
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn chained_overlaps_on_one_day_are_solved_exactly(pb in small(vec![0], 4..=6)) {
        let r = roster(&pb);
        check_roster(&pb, &r)?;
        prop_assert_eq!((r.covered, r.max_load, r.at_max, r.preferred), brute_force(&pb));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn cover_equals_an_independent_max_flow_when_windows_are_shared(pb in fixed_windows()) {
        let r = roster(&pb);
        check_roster(&pb, &r)?;
        prop_assert_eq!(r.stats.chains, 0);
        prop_assert_eq!(r.covered as i64, independent_max_cover(&pb));
        prop_assert_eq!(r.covered as i64, max_cover_bound(&pb).0);
    }
}

#[test]
fn chained_overlaps_let_one_volunteer_take_both_ends_of_the_chain() {
    // 07:00–09:00 and 10:00–12:00 both overlap 08:30–10:30 but not each other
    let shifts = vec![
        shift("A", "north", "2026-03-02", "07:00", "09:00", 1),
        shift("B", "south", "2026-03-02", "08:30", "10:30", 1),
        shift("C", "late", "2026-03-02", "10:00", "12:00", 1),
    ];
    let pb = Problem::new(shifts, vec![Volunteer::new("v1", 3)]).unwrap();
    let r = roster(&pb);
    assert_eq!((r.covered, r.max_load), (2, 2));
    assert_eq!((ids(&r, "A"), ids(&r, "B"), ids(&r, "C")), (vec!["v1".to_string()], vec![], vec!["v1".to_string()]));
    assert_eq!(r.stats.chains, 1);
    assert!(violations(&pb, &r.assignment).is_empty());
}

#[test]
fn a_relaxed_flow_that_doubles_up_on_a_chain_is_cut_down_to_the_true_optimum() {
    // chain A–B–C (A and C back to back); v2 can only do A. The relaxation lets v1 take B and C
    // (a clique each) beside v2 on A: 3 places. No roster fills 3; branch and bound proves 2.
    let shifts = vec![
        shift("A", "north", "2026-03-02", "07:00", "09:00", 1),
        shift("B", "south", "2026-03-02", "08:00", "10:00", 1),
        shift("C", "north", "2026-03-02", "09:00", "11:00", 1),
    ];
    let vols = vec![only("v1", 3, &["B", "C"]), only("v2", 1, &["A"])];
    let pb = Problem::new(shifts, vols).unwrap();
    assert_eq!(max_cover_bound(&pb).0, 2, "B–C alone is a clique: the flow is exact here");
    let vols = vec![only("v1", 3, &["A", "B", "C"]), only("v2", 1, &["A"])];
    let pb = Problem::new(pb.shifts().to_vec(), vols).unwrap();
    assert_eq!(max_cover_bound(&pb).0, 3);
    let r = roster(&pb);
    assert_eq!((r.covered, r.max_load, r.at_max), (2, 1, 2), "v2 on A and v1 on one of B, C");
    assert!(r.stats.nodes > 0);
    assert!(violations(&pb, &r.assignment).is_empty());
    let open: BTreeSet<String> = r.gaps.iter().map(|g| g.shift.to_string()).collect();
    assert_eq!(open.len(), 1);
}

#[test]
fn a_chain_that_cuts_and_repair_cannot_settle_is_branched() {
    // only 07:00–09:00 and 09:30–10:30 fit together; v1 must take both for a third place
    let shifts = vec![
        shift("S0", "a", "2026-03-02", "08:30", "10:00", 1),
        shift("S1", "b", "2026-03-02", "08:00", "10:00", 1),
        shift("S2", "a", "2026-03-02", "09:30", "10:30", 1),
        shift("S3", "a", "2026-03-02", "07:00", "09:00", 1),
    ];
    let mut v0 = only("v0", 2, &["S0", "S1", "S3"]);
    v0.max_per_week = Some(2);
    let pb = Problem::new(shifts, vec![v0, Volunteer::new("v1", 2)]).unwrap();
    let r = roster(&pb);
    assert_eq!((r.covered, r.max_load, r.at_max), (3, 2, 1));
    assert_eq!((ids(&r, "S2"), ids(&r, "S3")), (vec!["v1".to_string()], vec!["v1".to_string()]));
    assert!(violations(&pb, &r.assignment).is_empty());
}

#[test]
fn a_month_of_doubled_chains_is_settled_by_cuts_not_by_branching_every_day() {
    // each day: A 07–09, B 08–10, C 09–11; a day's own volunteer can do only A. The relaxation
    // gives the shared volunteer B and C every day (90 places); the truth is 2 a day.
    let mut shifts = Vec::new();
    let mut vols = vec![Volunteer::new("shared", 60)];
    for d in 1..=30 {
        let date = format!("2026-03-{d:02}");
        for (x, a, b) in [("A", "07:00", "09:00"), ("B", "08:00", "10:00"), ("C", "09:00", "11:00")] {
            shifts.push(shift(&format!("{x}{d}"), "n", &date, a, b, 1));
        }
        vols.push(only(&format!("day{d}"), 1, &[&format!("A{d}")]));
    }
    let pb = Problem::new(shifts, vols).unwrap();
    assert_eq!(max_cover_bound(&pb).0, 90);
    let r = roster(&pb);
    assert_eq!((r.covered, r.max_load, r.at_max), (60, 30, 1));
    assert!(r.stats.nodes < 100, "{:?}", r.stats);
    assert!(violations(&pb, &r.assignment).is_empty());
}

#[test]
fn the_fairest_roster_spreads_the_load_then_honours_preferences() {
    // four morning shifts on four days; a could do all, b and c two each
    let shifts: Vec<Shift> = (2..6)
        .map(|d| shift(&format!("S{d}"), ["n", "s"][d % 2], &format!("2026-03-0{d}"), "07:00", "09:00", 1))
        .collect();
    let mut a = Volunteer::new("a", 4);
    a.preferred.insert(StationId::new("n"));
    let mut b = only("b", 2, &["S2", "S3"]);
    b.preferred.insert(StationId::new("s"));
    let c = only("c", 2, &["S4", "S5"]);
    let pb = Problem::new(shifts, vec![a, b, c]).unwrap();
    let r = roster(&pb);
    // cover 4 with max load 2 is forced (b, c can do only two each); with a at 1 we get only one
    // at 2: a takes one, b and c split the rest, and a's is at a northern station (S2 or S4)
    assert_eq!((r.covered, r.max_load, r.at_max), (4, 2, 1));
    assert_eq!(r.load.values().copied().collect::<Vec<_>>().iter().sum::<u32>(), 4);
    assert_eq!(r.preferred, brute_force(&pb).3);
    let a_shift = r.assignment.on.iter().find(|(_, vs)| vs.iter().any(|v| v.as_str() == "a")).unwrap().0;
    assert!(["S2", "S4"].contains(&a_shift.as_str()), "{a_shift}");
}

#[test]
fn the_fewest_volunteers_carry_the_maximum_load() {
    // four mornings, three volunteers free for all: max load 2 is forced, but only one need carry it
    let shifts: Vec<Shift> =
        (2..6).map(|d| shift(&format!("S{d}"), "n", &format!("2026-03-0{d}"), "07:00", "09:00", 1)).collect();
    let vols = ["a", "b", "c"].iter().map(|v| Volunteer::new(*v, 4)).collect();
    let pb = Problem::new(shifts, vols).unwrap();
    let r = roster(&pb);
    assert_eq!((r.covered, r.max_load, r.at_max), (4, 2, 1));
    let mut loads: Vec<u32> = r.load.values().copied().collect();
    loads.sort();
    assert_eq!(loads, [1, 1, 2]);
}

#[test]
fn a_weekly_maximum_spreads_shifts_across_weeks() {
    let shifts = vec![
        shift("M1", "n", "2026-03-02", "07:00", "09:00", 1),
        shift("M2", "n", "2026-03-03", "07:00", "09:00", 1),
        shift("M3", "n", "2026-03-09", "07:00", "09:00", 1),
    ];
    let mut v = Volunteer::new("v", 3);
    v.max_per_week = Some(1);
    let pb = Problem::new(shifts, vec![v]).unwrap();
    let r = roster(&pb);
    assert_eq!(r.covered, 2);
    assert_eq!(ids(&r, "M3"), ["v"]);
}

#[test]
fn gaps_name_who_could_fill_them_if_they_were_available() {
    let shifts = vec![
        shift("S1", "n", "2026-03-02", "07:00", "09:00", 2),
        shift("S2", "n", "2026-03-02", "18:00", "20:00", 1),
        shift("S3", "s", "2026-03-02", "08:00", "10:00", 1),
    ];
    let mut away = Volunteer::new("away", 2);
    away.away.insert("2026-03-02".parse().unwrap());
    let vols = vec![
        only("evening", 1, &["S2"]), // at their max once on S2
        only("other", 3, &["S3"]),   // on S3, which overlaps S1
        away,                        // away that day, otherwise free
        only("free", 3, &[]),
        only("zero", 0, &[]),
    ];
    let pb = Problem::new(shifts, vols).unwrap();
    let r = roster(&pb);
    assert_eq!((r.covered, ids(&r, "S2"), ids(&r, "S3")), (2, vec!["evening".into()], vec!["other".into()]));
    assert_eq!(r.gaps.len(), 1);
    let g = &r.gaps[0];
    assert_eq!((g.shift.as_str(), g.missing), ("S1", 2));
    let names: Vec<&str> = g.could_fill.iter().map(|v| v.as_str()).collect();
    assert_eq!(names, ["away", "free"]);
}

#[test]
fn an_empty_roster_is_valid_and_names_every_gap() {
    let shifts = vec![shift("S1", "n", "2026-03-02", "07:00", "09:00", 2)];
    let pb = Problem::new(shifts, vec![only("v", 2, &[])]).unwrap();
    let r = roster(&pb);
    assert_eq!((r.covered, r.places, r.max_load, r.at_max), (0, 2, 0, 0));
    assert_eq!(r.gaps[0].could_fill.len(), 1);
    assert_eq!(Assignment::empty(&pb), r.assignment);
}
