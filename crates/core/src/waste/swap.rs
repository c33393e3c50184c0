//! Changes to a published roster between volunteers: a swap (one gives a shift to another,
//! perhaps taking one of theirs back) and a cover request (who could take this shift now).
//! Both keep every rule a solved roster keeps, and a refusal names the rule a change would break.

use super::model::{Problem, ShiftId, VolunteerId};
use super::refusal::WasteRefusal;
use super::roster::{Assignment, may_add};
use serde::Serialize;

/// `from` gives `shift` to `to`; with `back`, `to` gives `back` to `from` in return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Swap {
    pub from: VolunteerId,
    pub shift: ShiftId,
    pub to: VolunteerId,
    pub back: Option<ShiftId>,
}

fn volunteer(pb: &Problem, id: &VolunteerId) -> Result<usize, WasteRefusal> {
    pb.volunteer_index(id).ok_or_else(|| WasteRefusal::NoSuchVolunteer { volunteer: id.to_string() })
}

fn shift(pb: &Problem, id: &ShiftId) -> Result<usize, WasteRefusal> {
    pb.shift_index(id).ok_or_else(|| WasteRefusal::NoSuchShift { shift: id.to_string() })
}

fn on(a: &Assignment, s: &ShiftId, v: &VolunteerId) -> Result<(), WasteRefusal> {
    if a.is_on(s, v) {
        Ok(())
    } else {
        Err(WasteRefusal::NotOnShift { volunteer: v.to_string(), shift: s.to_string() })
    }
}

fn off(a: &Assignment, s: &ShiftId, v: &VolunteerId) -> Result<(), WasteRefusal> {
    if a.is_on(s, v) {
        Err(WasteRefusal::AlreadyOnShift { volunteer: v.to_string(), shift: s.to_string() })
    } else {
        Ok(())
    }
}

/// The roster after the swap, or the first rule it would break.
pub fn swap(pb: &Problem, a: &Assignment, sw: &Swap) -> Result<Assignment, WasteRefusal> {
    let (f, t) = (volunteer(pb, &sw.from)?, volunteer(pb, &sw.to)?);
    let x = shift(pb, &sw.shift)?;
    let y = sw.back.as_ref().map(|b| shift(pb, b)).transpose()?;
    if f == t {
        return Err(WasteRefusal::SameVolunteer { volunteer: sw.from.to_string() });
    }
    on(a, &sw.shift, &sw.from)?;
    off(a, &sw.shift, &sw.to)?;
    if let Some(back) = &sw.back {
        on(a, back, &sw.to)?;
        off(a, back, &sw.from)?;
    }
    let held = a.held(pb);
    let to_keeps: Vec<usize> = held[t].iter().copied().filter(|&s| Some(s) != y).collect();
    may_add(pb, t, x, &to_keeps, false)?;
    if let Some(y) = y {
        let from_keeps: Vec<usize> = held[f].iter().copied().filter(|&s| s != x).collect();
        may_add(pb, f, y, &from_keeps, false)?;
    }
    let mut next = a.clone();
    let move_to = |n: &mut Assignment, s: &ShiftId, out: &VolunteerId, into: &VolunteerId| {
        let vs = n.on.entry(s.clone()).or_default();
        vs.remove(out);
        vs.insert(into.clone());
    };
    move_to(&mut next, &sw.shift, &sw.from, &sw.to);
    if let Some(back) = &sw.back {
        move_to(&mut next, back, &sw.to, &sw.from);
    }
    Ok(next)
}

/// Who could take `shift` now on top of what they hold: available, not away, not on it already,
/// no overlapping shift, under both maxima. Sorted by id. (Whether a place is open is the
/// caller's question: a cover request is usually made by someone about to give it up.)
pub fn cover_candidates(pb: &Problem, a: &Assignment, shift_id: &ShiftId) -> Result<Vec<VolunteerId>, WasteRefusal> {
    let s = shift(pb, shift_id)?;
    let held = a.held(pb);
    let mut out: Vec<VolunteerId> = (0..pb.volunteers().len())
        .filter(|&v| !held[v].contains(&s) && may_add(pb, v, s, &held[v], false).is_ok())
        .map(|v| pb.volunteers()[v].id.clone())
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Refusal;
    use crate::waste::model::{Availability, Hm, Shift, StationId, Volunteer};
    use std::collections::BTreeSet;

    fn shift(id: &str, date: &str, start: &str, end: &str) -> Shift {
        Shift {
            id: ShiftId::new(id),
            station: StationId::new("north"),
            date: date.parse().unwrap(),
            start: Hm::parse(start).unwrap(),
            end: Hm::parse(end).unwrap(),
            need: 1,
        }
    }

    fn only(v: &mut Volunteer, ids: &[&str]) {
        v.available = Availability::Only(ids.iter().map(|s| ShiftId::new(*s)).collect());
    }

    /// a holds X (Mon morning) and W (Mon evening); b holds Y (Tue morning); c is away on Monday.
    fn world() -> (Problem, Assignment) {
        let shifts = vec![
            shift("X", "2026-03-02", "07:00", "09:00"),
            shift("W", "2026-03-02", "18:00", "20:00"),
            shift("Y", "2026-03-03", "07:00", "09:00"),
            shift("Z", "2026-03-02", "08:00", "10:00"),
        ];
        let a = Volunteer::new("a", 2);
        let mut b = Volunteer::new("b", 2);
        only(&mut b, &["X", "Y", "Z"]);
        let mut c = Volunteer::new("c", 1);
        c.away.insert("2026-03-02".parse().unwrap());
        let mut d = Volunteer::new("d", 3);
        d.max_per_week = Some(1);
        let pb = Problem::new(shifts, vec![a, b, c, d]).unwrap();
        let mut asg = Assignment::empty(&pb);
        for (s, v) in [("X", "a"), ("W", "a"), ("Y", "b"), ("Z", "d")] {
            asg.on.get_mut(&ShiftId::new(s)).unwrap().insert(VolunteerId::new(v));
        }
        (pb, asg)
    }

    fn sw(from: &str, shift: &str, to: &str, back: Option<&str>) -> Swap {
        Swap {
            from: VolunteerId::new(from),
            shift: ShiftId::new(shift),
            to: VolunteerId::new(to),
            back: back.map(ShiftId::new),
        }
    }

    fn code(pb: &Problem, a: &Assignment, s: Swap) -> &'static str {
        swap(pb, a, &s).unwrap_err().code()
    }

    #[test]
    fn a_swap_moves_both_shifts_and_keeps_every_rule() {
        let (pb, a) = world();
        let next = swap(&pb, &a, &sw("a", "X", "b", Some("Y"))).unwrap();
        assert!(next.is_on(&ShiftId::new("X"), &VolunteerId::new("b")));
        assert!(next.is_on(&ShiftId::new("Y"), &VolunteerId::new("a")));
        assert!(!next.is_on(&ShiftId::new("X"), &VolunteerId::new("a")));
        assert!(super::super::roster::violations(&pb, &next).is_empty());
        let given = swap(&pb, &a, &sw("a", "W", "b", None)).unwrap_err();
        assert_eq!(given, WasteRefusal::NotAvailable { volunteer: "b".into(), shift: "W".into() });
    }

    #[test]
    fn swaps_are_refused_with_the_rule_they_break() {
        let (pb, a) = world();
        assert_eq!(code(&pb, &a, sw("b", "X", "a", None)), "waste.not-on-shift");
        assert_eq!(code(&pb, &a, sw("a", "X", "a", None)), "waste.same-volunteer");
        let mut both = a.clone();
        both.on.get_mut(&ShiftId::new("X")).unwrap().insert(VolunteerId::new("b"));
        assert_eq!(code(&pb, &both, sw("a", "X", "b", None)), "waste.already-on-shift");
        assert_eq!(code(&pb, &a, sw("b", "Y", "a", Some("Z"))), "waste.not-on-shift");
        assert_eq!(code(&pb, &a, sw("a", "W", "b", None)), "waste.not-available");
        assert_eq!(code(&pb, &a, sw("a", "X", "c", None)), "waste.away");
        // d holds Z (08:00–10:00), which overlaps X (07:00–09:00)
        let e = swap(&pb, &a, &sw("a", "X", "d", None)).unwrap_err();
        assert_eq!(e, WasteRefusal::Overlap { volunteer: "d".into(), shift: "X".into(), other: "Z".into() });
        // d takes at most one shift a week and holds Z already
        let e = swap(&pb, &a, &sw("a", "W", "d", None)).unwrap_err();
        assert_eq!(e.en(), "volunteer d takes at most 1 shifts a week (week 2026-W10)");
        // b holds Z (08:00–10:00) as well as Y
        let mut full = a.clone();
        full.on.get_mut(&ShiftId::new("Z")).unwrap().clear();
        full.on.get_mut(&ShiftId::new("Z")).unwrap().insert(VolunteerId::new("b"));
        let e = swap(&pb, &full, &sw("a", "X", "b", None)).unwrap_err();
        assert_eq!(e, WasteRefusal::Overlap { volunteer: "b".into(), shift: "X".into(), other: "Z".into() });
        assert_eq!(code(&pb, &a, sw("a", "X", "nobody", None)), "waste.no-such-volunteer");
        assert_eq!(code(&pb, &a, sw("a", "Q", "b", None)), "waste.no-such-shift");
    }

    #[test]
    fn a_volunteer_at_their_max_takes_a_shift_only_by_giving_one_back() {
        let (pb, mut a) = world();
        // b holds Y and V: 2 of 2
        a.on.get_mut(&ShiftId::new("Z")).unwrap().clear();
        let extra = shift("V", "2026-03-04", "07:00", "09:00");
        let mut shifts = pb.shifts().to_vec();
        shifts.push(extra);
        let mut vols = pb.volunteers().to_vec();
        only(&mut vols[1], &["X", "Y", "V"]);
        let pb = Problem::new(shifts, vols).unwrap();
        a.on.insert(ShiftId::new("V"), BTreeSet::from([VolunteerId::new("b")]));
        assert_eq!(
            swap(&pb, &a, &sw("a", "X", "b", None)).unwrap_err(),
            WasteRefusal::OverMax { volunteer: "b".into(), max: 2 }
        );
        assert!(swap(&pb, &a, &sw("a", "X", "b", Some("Y"))).is_ok());
    }

    #[test]
    fn cover_candidates_are_those_free_to_take_it_now() {
        let (pb, a) = world();
        // for W (Mon evening): b is not available, c is away, d is at the weekly max, a holds it
        assert!(cover_candidates(&pb, &a, &ShiftId::new("W")).unwrap().is_empty());
        // for Y (Tue morning): a is at max, b holds it, c is free (0 of 1), d is at the weekly max
        let ids: Vec<String> =
            cover_candidates(&pb, &a, &ShiftId::new("Y")).unwrap().iter().map(|v| v.to_string()).collect();
        assert_eq!(ids, ["c"]);
        assert_eq!(cover_candidates(&pb, &a, &ShiftId::new("nope")).unwrap_err().code(), "waste.no-such-shift");
    }
}
