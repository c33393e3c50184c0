use super::*;
use crate::kit::Refusal;
use jiff::civil::date;

fn member(name: &str, office: Office) -> Member {
    Member {
        name: name.into(),
        office,
        party_member: true,
        undertaking_signed: Some(date(2021, 9, 20)),
        trained: Some(date(2021, 10, 1)),
    }
}

/// The story's committee: the director and seven others, eight seats, a five-year term.
fn story() -> Committee {
    let mut members = vec![member("主任", Office::Director), member("副主任", Office::ViceDirector)];
    members.extend((1..=6).map(|i| member(&format!("委员{i}"), Office::Member)));
    Committee { seats: 8, term_start: date(2021, 9, 20), term_years: 5, members, alternates: vec![] }
}

fn codes(f: &[F]) -> Vec<&'static str> {
    f.iter().map(|f| f.code()).collect()
}

const BIG: Area = Area::from_e4(120_000 * crate::kit::area::SCALE);

#[test]
fn the_storys_eight_seats_are_flagged_as_even_and_explained_not_fixed() {
    let c = story();
    let f = c.check(BIG, &TermRules::default());
    assert_eq!(codes(&f), vec!["committee.seats-even"]);
    assert_eq!(
        f[0].en(),
        "the committee has 8 seats, an even number; Shanghai Provisions Art. 20 requires an odd number, \
         so the change of term must set an odd number of seats (such as 7 or 9)"
    );
    assert!(f[0].zh().contains("是双数"));
    assert_eq!(c.seats, 8);
    assert_eq!(c.term_end(), date(2026, 9, 20));
}

#[test]
fn three_seats_are_allowed_up_to_ten_thousand_square_metres_inclusive() {
    let mut c = story();
    c.seats = 3;
    c.members.truncate(3);
    let rules = TermRules::default();
    assert!(c.check(Area::from_e4(10_000 * crate::kit::area::SCALE), &rules).is_empty());
    let f = c.check(Area::from_e4(10_000 * crate::kit::area::SCALE + 100), &rules);
    assert_eq!(codes(&f), vec!["committee.too-few-seats"]);
    assert_eq!(f[0].values()["min"], 5);
    assert_eq!(f[0].values()["area"], "10000.01");
}

#[test]
fn every_unmet_rule_is_listed() {
    let mut c = story();
    c.term_years = 6;
    c.members[1].office = Office::Director;
    c.members[2].undertaking_signed = None;
    c.members[3].trained = None;
    c.members.truncate(4);
    c.alternates = vec![member("委员1", Office::Member)];
    let f = c.check(BIG, &TermRules::default());
    assert_eq!(
        codes(&f),
        vec![
            "committee.seats-even",
            "committee.term-out-of-range",
            "committee.seats-vacant",
            "committee.early-change-of-term-due",
            "committee.several-directors",
            "committee.alternate-misplaced",
            "committee.undertaking-missing",
            "committee.training-missing",
        ]
    );
    assert_eq!(
        f[2].en(),
        "8 seats, 4 members: 4 vacant, to be filled by the alternates in order or by a by-election (Art. 32)"
    );
    c.members.retain(|m| m.office != Office::Director);
    assert!(codes(&c.check(BIG, &TermRules::default())).contains(&"committee.no-director"));
}

fn rest() -> RestDays {
    RestDays::shipped()
}

#[test]
fn the_timeline_counts_each_deadline_from_the_step_before_and_moves_off_holidays() {
    let end = story().term_end();
    let c =
        ChangeOfTerm { reported: Some(date(2026, 4, 20)), group_formed: Some(date(2026, 6, 25)), ..Default::default() };
    let t = timeline(end, &c, date(2026, 7, 10), PeriodRule::default(), &rest());
    let due: Vec<Date> = t.iter().map(|s| s.due).collect();
    assert_eq!(
        due,
        vec![
            // 5 months before 2026-09-20
            date(2026, 4, 20),
            // 60 days from 04-20 is 06-19, the Dragon Boat holiday (06-19..21): moved to Monday 06-22
            date(2026, 6, 22),
            // 10 days from 06-25 is Sunday 07-05: Monday 07-06
            date(2026, 7, 6),
            date(2026, 9, 20),
            date(2026, 9, 23),
            date(2026, 10, 20),
        ]
    );
    assert_eq!(t[0].status, Status::Done { on: date(2026, 4, 20), late_days: 0 });
    assert_eq!(t[1].status, Status::Done { on: date(2026, 6, 25), late_days: 3 });
    assert_eq!(t[2].status, Status::Overdue { days: 4 });
    assert_eq!(t[3].status, Status::Due { days_left: 73 });
    assert_eq!(t.iter().map(|s| s.provisional).collect::<Vec<_>>(), vec![false, false, false, false, true, true]);
    let j = serde_json::to_value(&t[2]).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"step":"handover","due":"2026-07-06","done":null,"provisional":false,"status":{"status":"overdue","days":4}})
    );
}

#[test]
fn a_late_report_moves_the_group_deadline_and_an_early_election_the_filing() {
    let end = date(2026, 9, 20);
    let nothing = timeline(end, &ChangeOfTerm::default(), date(2026, 1, 5), PeriodRule::default(), &rest());
    assert_eq!(nothing[0].status, Status::Due { days_left: 106 });
    assert!(nothing[1].provisional && nothing[2].provisional);
    let c = ChangeOfTerm { reported: Some(date(2026, 5, 11)), elected: Some(date(2026, 8, 28)), ..Default::default() };
    let t = timeline(end, &c, date(2026, 9, 1), PeriodRule::default(), &rest());
    assert_eq!(t[0].status, Status::Done { on: date(2026, 5, 11), late_days: 21 });
    assert_eq!(t[1].due, date(2026, 7, 10));
    // 3 days from Friday 08-28 is Monday 08-31; 30 days is Sunday 09-27, a Mid-Autumn rest day: 09-28
    assert_eq!((t[4].due, t[4].status), (date(2026, 8, 31), Status::Overdue { days: 1 }));
    assert_eq!(t[5].due, date(2026, 9, 28));
}

#[test]
fn while_the_group_exists_the_restricted_matters_are_refused_with_the_reason() {
    let c =
        ChangeOfTerm { group_formed: Some(date(2026, 6, 25)), elected: Some(date(2026, 9, 15)), ..Default::default() };
    let on = date(2026, 7, 10);
    let e = check_matter(MatterKind::PropertyManager, false, &c, on).unwrap_err();
    assert_eq!(e.code(), "committee.restricted-during-change-of-term");
    assert_eq!(e.kind(), crate::kit::Kind::Conflict);
    assert_eq!(
        e.en(),
        "while the change-of-term group exists, the committee may not convene the general meeting to decide \
         hiring or firing the property company (Shanghai Provisions Art. 28); matter kind: property-manager"
    );
    assert_eq!(e.values()["restricted"], "property-company");
    for k in [MatterKind::FundRaise, MatterKind::Alteration, MatterKind::OtherMajor] {
        assert!(check_matter(k, false, &c, on).is_err(), "{k}");
    }
    assert!(check_matter(MatterKind::FundUse, false, &c, on).is_ok());
    assert!(check_matter(MatterKind::CommitteeElection, false, &c, on).is_ok());
    let fees = check_matter(MatterKind::CommonPartUse, true, &c, on).unwrap_err();
    assert!(fees.zh().contains("调整物业服务收费标准"));
    // before the group and after the election: allowed
    assert!(check_matter(MatterKind::PropertyManager, false, &c, date(2026, 6, 24)).is_ok());
    assert!(check_matter(MatterKind::PropertyManager, false, &c, date(2026, 9, 15)).is_err());
    assert!(check_matter(MatterKind::PropertyManager, false, &c, date(2026, 9, 16)).is_ok());
    let restricted: Vec<MatterKind> = MatterKind::ALL.into_iter().filter(|k| restricted_during_change(*k)).collect();
    assert_eq!(
        restricted,
        vec![MatterKind::PropertyManager, MatterKind::FundRaise, MatterKind::Alteration, MatterKind::OtherMajor]
    );
}

#[test]
fn the_change_of_term_group_must_be_odd_owner_led_by_half_and_led_by_the_office() {
    let g = |name: &str, side: Side, leader: bool| GroupMember { name: name.into(), side, leader };
    let good = vec![
        g("街道", Side::SubdistrictOffice, true),
        g("居委", Side::ResidentsCommittee, false),
        g("业主1", Side::OwnerRepresentative, false),
        g("业主2", Side::OwnerRepresentative, false),
        g("业主3", Side::OwnerRepresentative, false),
    ];
    assert!(check_group(&good).is_empty());
    let bad = vec![
        g("街道", Side::SubdistrictOffice, false),
        g("居委", Side::ResidentsCommittee, false),
        g("居委2", Side::ResidentsCommittee, false),
        g("业主1", Side::OwnerRepresentative, false),
    ];
    assert_eq!(
        codes(&check_group(&bad)),
        vec!["committee.group-size-even", "committee.group-owners-below-half", "committee.group-leader-missing"]
    );
    let mut rc_led = good.clone();
    rc_led[0].leader = false;
    rc_led[1].leader = true;
    let f = check_group(&rc_led);
    assert_eq!(f[0].en(), "the change-of-term group's leader 居委 is not from the sub-district office (Art. 28)");
    assert_eq!(codes(&check_group(&[])), vec!["committee.group-empty"]);
}
