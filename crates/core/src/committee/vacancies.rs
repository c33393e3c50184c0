//! Members leaving during the term (Art. 31): alternates fill the vacancies in order (2026
//! opinions §5); then a by-election when more than half of the seats are still held, an early
//! change of term when fewer than half are (Art. 32).

use crate::committee::refusal::CommitteeRefusal as R;
use crate::committee::term::{Committee, Member, Office};
use crate::kit::Refused;
use serde::Serialize;

/// What happens when exactly half of the seats are held after the alternates fill in. Art. 32
/// speaks of "more than half" (by-election) and "fewer than half" (early change); exactly half
/// is UNCONFIRMED. The default is an early change: half the seats cannot reach a quorum of more
/// than half, so such a committee cannot decide (Art. 32's "cannot function").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExactlyHalf {
    ByElection,
    #[default]
    EarlyChangeOfTerm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Every seat is held.
    None,
    /// The general meeting may elect members for the vacant seats (补选).
    ByElection { seats: u32 },
    /// The sub-district office starts an early change of term (提前换届).
    EarlyChangeOfTerm,
}

/// An alternate who took a departed member's seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replacement {
    pub alternate: String,
    pub replaces: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AfterDepartures {
    /// The members after the alternates filled in, in the committee's order, the alternates last.
    pub members: Vec<Member>,
    pub replacements: Vec<Replacement>,
    /// The alternates still waiting, in order.
    pub alternates: Vec<Member>,
    /// Seats still without a member.
    pub vacant: u32,
    /// Offices whose holder left: the members choose a new holder from among themselves.
    pub offices_vacant: Vec<Office>,
    pub action: Action,
}

/// The committee after `departed` (members or alternates) have left.
pub fn after_departures(
    c: &Committee,
    departed: &[String],
    exactly_half: ExactlyHalf,
) -> Result<AfterDepartures, Refused> {
    for (i, d) in departed.iter().enumerate() {
        if departed[..i].contains(d) {
            return R::NameTwice { name: d.clone() }.err();
        }
        if !c.members.iter().chain(&c.alternates).any(|m| &m.name == d) {
            return R::NotAMember { name: d.clone() }.err();
        }
    }
    let gone = |m: &&Member| departed.contains(&m.name);
    let left: Vec<&Member> = c.members.iter().filter(gone).collect();
    let mut members: Vec<Member> = c.members.iter().filter(|m| !gone(m)).cloned().collect();
    let mut waiting = c.alternates.iter().filter(|m| !gone(m)).cloned();
    let mut replacements = Vec::new();
    for l in &left {
        if members.len() as u32 >= c.seats {
            break;
        }
        let Some(a) = waiting.next() else { break };
        replacements.push(Replacement { alternate: a.name.clone(), replaces: l.name.clone() });
        members.push(Member { office: Office::Member, ..a });
    }
    let mut offices_vacant: Vec<Office> = left.iter().map(|m| m.office).filter(|&o| o != Office::Member).collect();
    offices_vacant.dedup();
    let n = members.len() as u32;
    let vacant = c.seats.saturating_sub(n);
    let action = if vacant == 0 {
        Action::None
    } else if 2 * n > c.seats {
        Action::ByElection { seats: vacant }
    } else if 2 * n < c.seats || exactly_half == ExactlyHalf::EarlyChangeOfTerm {
        Action::EarlyChangeOfTerm
    } else {
        Action::ByElection { seats: vacant }
    };
    Ok(AfterDepartures { members, replacements, alternates: waiting.collect(), vacant, offices_vacant, action })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn member(name: &str, office: Office) -> Member {
        Member { name: name.into(), office, party_member: true, undertaking_signed: None, trained: None }
    }

    /// Seven seats: a director, a vice-director and five members; two alternates.
    fn seven() -> Committee {
        let mut members = vec![member("D", Office::Director), member("V", Office::ViceDirector)];
        members.extend(["M1", "M2", "M3", "M4", "M5"].map(|n| member(n, Office::Member)));
        Committee {
            seats: 7,
            term_start: date(2021, 6, 15),
            term_years: 5,
            members,
            alternates: vec![member("A1", Office::Member), member("A2", Office::Member)],
        }
    }

    fn names(v: &[Member]) -> Vec<&str> {
        v.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn alternates_fill_vacancies_in_order_and_a_full_committee_needs_nothing() {
        let r = after_departures(&seven(), &["M2".into(), "D".into()], ExactlyHalf::default()).unwrap();
        assert_eq!(
            r.replacements,
            vec![
                Replacement { alternate: "A1".into(), replaces: "D".into() },
                Replacement { alternate: "A2".into(), replaces: "M2".into() },
            ]
        );
        assert_eq!(names(&r.members), vec!["V", "M1", "M3", "M4", "M5", "A1", "A2"]);
        assert_eq!(r.members[5].office, Office::Member);
        assert_eq!(r.offices_vacant, vec![Office::Director]);
        assert_eq!((r.vacant, r.action), (0, Action::None));
    }

    #[test]
    fn more_than_half_remaining_calls_a_by_election_for_the_rest() {
        // 4 leave, 2 alternates fill in: 5 of 7 seats held, 2 vacant
        let r =
            after_departures(&seven(), &["M1".into(), "M2".into(), "M3".into(), "M4".into()], ExactlyHalf::default())
                .unwrap();
        assert_eq!((r.vacant, r.action), (2, Action::ByElection { seats: 2 }));
        assert!(r.alternates.is_empty());
    }

    #[test]
    fn fewer_than_half_after_the_alternates_is_an_early_change_of_term() {
        let mut c = seven();
        c.alternates.truncate(1);
        // 5 leave, 1 alternate: 3 of 7 held, fewer than half
        let gone: Vec<String> = ["D", "M1", "M2", "M3", "M4"].map(String::from).to_vec();
        let r = after_departures(&c, &gone, ExactlyHalf::ByElection).unwrap();
        assert_eq!(r.members.len(), 3);
        assert_eq!(r.action, Action::EarlyChangeOfTerm);
        // exactly half of 8 seats: the setting decides
        let mut c = seven();
        c.seats = 8;
        c.members.push(member("M6", Office::Member));
        c.alternates.clear();
        let gone: Vec<String> = ["M1", "M2", "M3", "M4"].map(String::from).to_vec();
        assert_eq!(
            after_departures(&c, &gone, ExactlyHalf::EarlyChangeOfTerm).unwrap().action,
            Action::EarlyChangeOfTerm
        );
        assert_eq!(
            after_departures(&c, &gone, ExactlyHalf::ByElection).unwrap().action,
            Action::ByElection { seats: 4 }
        );
    }

    #[test]
    fn a_departed_alternate_leaves_the_queue_and_unknown_names_are_refused() {
        let r = after_departures(&seven(), &["A1".into(), "M5".into()], ExactlyHalf::default()).unwrap();
        assert_eq!(r.replacements, vec![Replacement { alternate: "A2".into(), replaces: "M5".into() }]);
        assert_eq!(r.action, Action::None);
        let e = after_departures(&seven(), &["X".into()], ExactlyHalf::default()).unwrap_err();
        assert_eq!((e.code(), e.en()), ("committee.not-a-member", "'X' is not a member of the committee".into()));
        let e = after_departures(&seven(), &["M1".into(), "M1".into()], ExactlyHalf::default()).unwrap_err();
        assert_eq!(e.code(), "committee.name-twice");
    }
}
