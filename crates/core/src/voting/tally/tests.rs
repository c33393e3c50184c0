use super::*;
use crate::registry::{BuildingNo, StairwellNo};
use proptest::prelude::*;

/// A unit `b-room` in stairwell `s` with `area` in hundredths of a m², owned by `owner`.
fn unit(b: &str, s: &str, room: &str, area_centi: i64, owner: &str) -> Unit {
    let building = BuildingNo::parse(b).unwrap();
    Unit {
        no: UnitNo::new(&building, room),
        building,
        stairwell: StairwellNo::parse(s).unwrap(),
        floor: room[..room.len() - 2].parse().unwrap(),
        area: Area::from_centi(area_centi),
        owner: OwnerKey::from_stored(owner),
    }
}

fn ballot(u: &str, c: Choice) -> Ballot {
    Ballot { unit: UnitNo::parse(u).unwrap(), choice: c, row: 0 }
}

fn run(units: &[Unit], kind: MatterKind, scope: &str, ballots: &[Ballot]) -> Result<Tally, Vec<TallyError>> {
    let scope = Scope::parse(scope).unwrap();
    tally(&TallyInput { units, scope: &scope, kind, ballots, delivered: None })
}

use Choice::{Abstain, Approve, Oppose};

/// Three owners of 100.00 m² each in one building.
fn three() -> Vec<Unit> {
    vec![unit("1", "1", "101", 10_000, "a"), unit("1", "1", "201", 10_000, "b"), unit("1", "1", "301", 10_000, "c")]
}

#[test]
fn participation_exactly_two_thirds_is_met() {
    let t = run(&three(), MatterKind::OtherMajor, "compound", &[ballot("1-101", Approve), ballot("1-201", Approve)])
        .unwrap();
    assert_eq!(t.participating, Count { owners: 2, area: Area::from_centi(20_000) });
    assert!(t.participation_met);
    assert!(t.passed);
}

#[test]
fn participation_one_cent_below_two_thirds_fails() {
    // 300.00 m² in all; the two voters hold 199.99 m², one cent short of 200.00.
    let units =
        vec![unit("1", "1", "101", 10_000, "a"), unit("1", "1", "201", 9_999, "b"), unit("1", "1", "301", 10_001, "c")];
    let t =
        run(&units, MatterKind::OtherMajor, "compound", &[ballot("1-101", Approve), ballot("1-201", Approve)]).unwrap();
    assert!(!t.participation_met);
    assert!(t.approval_met);
    assert!(!t.passed);
    assert!(t.explanation.zh.contains("还差 0 人、0.01 平方米"), "{}", t.explanation.zh);
    assert!(t.explanation.en.contains("short by 0 owners and 0.01 m²"), "{}", t.explanation.en);
}

/// Four owners; three approve with `yes` (hundredths of m²) between them, one opposes with `no`.
fn quarters(yes: [i64; 3], no: i64) -> Tally {
    let units = vec![
        unit("1", "1", "101", yes[0], "a"),
        unit("1", "1", "201", yes[1], "b"),
        unit("1", "1", "301", yes[2], "c"),
        unit("1", "1", "401", no, "d"),
    ];
    let b = [ballot("1-101", Approve), ballot("1-201", Approve), ballot("1-301", Approve), ballot("1-401", Oppose)];
    run(&units, MatterKind::Alteration, "building:1", &b).unwrap()
}

#[test]
fn three_quarters_reached_exactly_to_the_cent_passes() {
    let t = quarters([10_000, 10_000, 10_000], 10_000);
    assert_eq!(t.threshold, Threshold::ThreeQuarters);
    assert!(t.approval_met && t.passed);
    assert!(t.explanation.zh.contains("已达到，超出 0 人、0.00 平方米"), "{}", t.explanation.zh);
}

#[test]
fn three_quarters_missed_by_one_cent_fails() {
    let t = quarters([10_000, 10_000, 9_999], 10_001);
    assert_eq!(t.approve.area.to_string(), "299.99");
    assert!(t.participation_met);
    assert!(!t.approval_met);
    assert!(!t.passed);
    assert!(t.explanation.zh.contains("还差 0 人、0.01 平方米"), "{}", t.explanation.zh);
}

#[test]
fn exactly_half_is_not_more_than_half() {
    let units = vec![unit("1", "1", "101", 10_000, "a"), unit("1", "1", "201", 10_000, "b")];
    let t = run(&units, MatterKind::FundUse, "compound", &[ballot("1-101", Approve), ballot("1-201", Oppose)]).unwrap();
    assert!(t.participation_met);
    assert!(!t.approval_met, "1 of 2 is not 过半数");
    // one cent more than half by area, but heads still 1 of 2
    let units = vec![unit("1", "1", "101", 10_001, "a"), unit("1", "1", "201", 10_000, "b")];
    let t = run(&units, MatterKind::FundUse, "compound", &[ballot("1-101", Approve), ballot("1-201", Oppose)]).unwrap();
    assert!(!t.approval_met, "area alone is not enough: headcount is 1 of 2");
}

#[test]
fn more_than_half_by_one_cent_and_one_head_passes() {
    let units = vec![
        unit("1", "1", "101", 10_001, "a"),
        unit("1", "1", "201", 5_000, "b"),
        unit("1", "1", "301", 5_001, "c"),
        unit("1", "1", "401", 10_000, "d"),
    ];
    // a, b and c approve: 200.02 of 300.02 m² and 3 of 4 owners
    let b = [ballot("1-101", Approve), ballot("1-201", Approve), ballot("1-301", Approve), ballot("1-401", Oppose)];
    let t = run(&units, MatterKind::FundUse, "compound", &b).unwrap();
    assert!(t.approval_met && t.passed);
    let b = [ballot("1-101", Approve), ballot("1-201", Oppose), ballot("1-301", Approve), ballot("1-401", Oppose)];
    let t = run(&units, MatterKind::FundUse, "compound", &b).unwrap();
    assert_eq!(t.approve.area.to_string(), "150.02");
    assert_eq!(t.participating.area.to_string(), "300.02");
    assert!(!t.approval_met, "150.02 of 300.02 and 2 of 4 owners is not more than half");
}

#[test]
fn owner_with_fifteen_flats_counts_once() {
    let mut units: Vec<Unit> = (1..=15).map(|i| unit("2", "1", &format!("{}01", i), 8_000, "investor")).collect();
    units.push(unit("2", "1", "1602", 8_000, "x"));
    units.push(unit("2", "1", "1702", 8_000, "y"));
    let mut b: Vec<Ballot> = (1..=15).map(|i| ballot(&format!("2-{}01", i), Approve)).collect();
    b.push(ballot("2-1602", Oppose));
    b.push(ballot("2-1702", Oppose));
    let t = run(&units, MatterKind::PropertyManager, "compound", &b).unwrap();
    assert_eq!(t.eligible.owners, 3);
    assert_eq!(t.approve, Count { owners: 1, area: Area::from_centi(120_000) });
    assert_eq!(t.oppose.owners, 2);
    assert!(!t.approval_met, "15 flats' area is not 15 heads");
}

#[test]
fn developer_units_count_once_and_abstention_participates_without_approving() {
    let units = vec![
        unit("3", "1", "101", 10_000, "developer"),
        unit("3", "1", "102", 10_000, "developer"),
        unit("3", "1", "201", 10_000, "a"),
        unit("3", "1", "202", 10_000, "b"),
    ];
    let b = [ballot("3-101", Abstain), ballot("3-102", Abstain), ballot("3-201", Approve), ballot("3-202", Approve)];
    let t = run(&units, MatterKind::Covenant, "compound", &b).unwrap();
    assert_eq!(t.eligible.owners, 3);
    assert_eq!(t.abstain, Count { owners: 1, area: Area::from_centi(20_000) });
    assert_eq!(t.participating.owners, 3);
    // heads 2 of 3 approve, but area 200 of 400 is not more than half
    assert!(!t.approval_met);
}

#[test]
fn scoped_vote_counts_only_the_scope() {
    let units = vec![
        unit("13", "1", "101", 10_000, "a"),
        unit("13", "1", "201", 10_000, "b"),
        unit("13", "2", "103", 10_000, "c"),
        unit("12", "1", "101", 10_000, "d"),
    ];
    let t =
        run(&units, MatterKind::Alteration, "stairwell:13/1", &[ballot("13-101", Approve), ballot("13-201", Approve)])
            .unwrap();
    assert_eq!(t.eligible, Count { owners: 2, area: Area::from_centi(20_000) });
    assert!(t.passed);
    let t = run(&units, MatterKind::Alteration, "building:13", &[ballot("13-101", Approve), ballot("13-201", Approve)])
        .unwrap();
    assert_eq!(t.eligible.owners, 3);
    assert!(t.passed);
    let e = run(&units, MatterKind::Alteration, "building:13", &[ballot("12-101", Approve)]).unwrap_err();
    assert_eq!(e, vec![TallyError::OutsideScope { unit: "12-101".into(), row: At(0), scope: "building:13".into() }]);
}

#[test]
fn bad_ballots_are_all_named() {
    let units = vec![
        unit("1", "1", "101", 10_000, "a"),
        unit("1", "1", "201", 10_000, "a"),
        unit("1", "1", "301", 10_000, "b"),
    ];
    let b = vec![
        Ballot { unit: UnitNo::parse("1-101").unwrap(), choice: Approve, row: 2 },
        Ballot { unit: UnitNo::parse("1-201").unwrap(), choice: Oppose, row: 3 },
        Ballot { unit: UnitNo::parse("1-301").unwrap(), choice: Oppose, row: 4 },
        Ballot { unit: UnitNo::parse("1-301").unwrap(), choice: Approve, row: 5 },
        Ballot { unit: UnitNo::parse("9-901").unwrap(), choice: Approve, row: 6 },
    ];
    let e = run(&units, MatterKind::OtherMajor, "compound", &b).unwrap_err();
    let msgs: Vec<String> = e.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        msgs,
        vec![
            "row 5: unit 1-301 already has a ballot (row 4)",
            "row 6: unit 9-901 is not on the roll",
            "owner a cast different choices on their units: 1-101 approve, 1-201 oppose",
        ]
    );
    let e = run(&units, MatterKind::OtherMajor, "building:7", &[]).unwrap_err();
    assert_eq!(e[0].to_string(), "the scope building:7 has no units");
}

fn deemed_run(units: &[Unit], kind: MatterKind, ballots: &[Ballot], delivered: &[&str]) -> Tally {
    let d: Vec<Delivery> = delivered.iter().map(|u| Delivery { unit: UnitNo::parse(u).unwrap(), row: 0 }).collect();
    let scope = Scope::Compound;
    tally(&TallyInput { units, scope: &scope, kind, ballots, delivered: Some(&d) }).unwrap()
}

#[test]
fn deemed_clause_lifts_participation_and_follows_the_majority() {
    // six owners of 100 m²; three return (two approve); two more were delivered, one never was
    let units: Vec<Unit> = (1..=6).map(|i| unit("1", "1", &format!("{i}01"), 10_000, &format!("o{i}"))).collect();
    let b = [ballot("1-101", Approve), ballot("1-201", Approve), ballot("1-301", Oppose)];
    let t = deemed_run(&units, MatterKind::OtherMajor, &b, &["1-101", "1-201", "1-301", "1-401", "1-501"]);
    assert!(!t.participation_met, "strict: 3 of 6 is below two thirds");
    assert!(!t.passed);
    let d = t.deemed.as_ref().unwrap();
    assert_eq!(d.deemed_choice, Approve);
    assert_eq!(d.participating.owners, 5);
    assert_eq!(d.approve, Count { owners: 4, area: Area::from_centi(40_000) });
    assert!(d.participation_met && d.approval_met && d.passed);
    assert!(t.explanation.zh.contains("视为同意"), "{}", t.explanation.zh);
}

#[test]
fn deemed_clause_without_a_double_majority_deems_abstention() {
    // approve holds most heads, oppose most area: no choice has both, so the deemed abstain
    let units = vec![
        unit("1", "1", "101", 5_000, "a"),
        unit("1", "1", "201", 5_000, "b"),
        unit("1", "1", "301", 30_000, "c"),
        unit("1", "1", "401", 10_000, "d"),
    ];
    let b = [ballot("1-101", Approve), ballot("1-201", Approve), ballot("1-301", Oppose)];
    let t = deemed_run(&units, MatterKind::OtherMajor, &b, &["1-401"]);
    let d = t.deemed.unwrap();
    assert_eq!(d.deemed_choice, Abstain);
    assert_eq!(d.abstain, Count { owners: 1, area: Area::from_centi(10_000) });
    assert!(!d.approval_met);
}

#[test]
fn deemed_unit_of_an_owner_who_voted_keeps_their_choice() {
    let units = vec![
        unit("1", "1", "101", 10_000, "a"),
        unit("1", "1", "102", 10_000, "a"),
        unit("1", "1", "201", 10_000, "b"),
        unit("1", "1", "301", 10_000, "c"),
    ];
    let b = [ballot("1-101", Oppose), ballot("1-201", Approve), ballot("1-301", Approve)];
    let t = deemed_run(&units, MatterKind::OtherMajor, &b, &["1-102"]);
    let d = t.deemed.unwrap();
    assert_eq!(d.deemed_choice, Approve);
    assert_eq!(d.oppose, Count { owners: 1, area: Area::from_centi(20_000) });
    assert_eq!(d.approve.owners, 2);
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let t = run(&three(), MatterKind::Alteration, "building:1", &[ballot("1-101", Approve), ballot("1-201", Abstain)])
        .unwrap();
    let text = serde_json::to_string(&t).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    keys.sort_by_key(|k| text.find(&format!("\"{k}\":")).unwrap());
    assert_eq!(
        keys,
        vec![
            "matter",
            "scope",
            "threshold",
            "eligible",
            "participating",
            "approve",
            "oppose",
            "abstain",
            "participation_met",
            "approval_met",
            "passed",
            "explanation",
            "deemed"
        ]
    );
    assert_eq!(v["matter"], "alteration");
    assert_eq!(v["scope"], "building:1");
    assert_eq!(v["threshold"], "three-quarters");
    assert_eq!(v["eligible"], serde_json::json!({"owners": 3, "area": "300.00"}));
    assert_eq!(v["abstain"], serde_json::json!({"owners": 1, "area": "100.00"}));
    assert_eq!(v["deemed"], serde_json::Value::Null);
    assert!(v["explanation"]["zh"].as_str().unwrap().contains("未通过"));
}

// ---------------------------------------------------------------------------------------------
// Properties

#[derive(Clone, Debug)]
struct Case {
    units: Vec<Unit>,
    ballots: Vec<Ballot>,
    kind: MatterKind,
}

/// Up to 12 units over up to 6 owners, each owner casting one choice on some of their units.
fn case() -> impl Strategy<Value = Case> {
    (1usize..12, 1u32..6, 0usize..9).prop_flat_map(|(n, owners, k)| {
        (
            prop::collection::vec((1i64..50_000, 0..owners), n),
            prop::collection::vec(prop::option::of(0usize..3), owners as usize),
            prop::collection::vec(any::<bool>(), n),
            Just(MatterKind::ALL[k]),
        )
            .prop_map(|(us, owner_choice, vote, kind)| {
                let units: Vec<Unit> = us
                    .iter()
                    .enumerate()
                    .map(|(i, (a, o))| unit("1", "1", &format!("{}01", i + 1), *a, &format!("o{o}")))
                    .collect();
                let ballots = units
                    .iter()
                    .zip(&vote)
                    .filter_map(|(u, v)| {
                        let o: usize = u.owner.as_str()[1..].parse().unwrap();
                        owner_choice[o].filter(|_| *v).map(|c| Ballot {
                            unit: u.no.clone(),
                            choice: Choice::ALL[c],
                            row: 0,
                        })
                    })
                    .collect();
                Case { units, ballots, kind }
            })
    })
}

fn strip(mut t: Tally) -> Tally {
    t.explanation = Explanation { zh: String::new(), en: String::new() };
    t
}

proptest! {
    #[test]
    fn adding_an_approving_ballot_never_turns_a_pass_into_a_fail(c in case()) {
        let before = run(&c.units, c.kind, "compound", &c.ballots).unwrap();
        let voted: std::collections::HashSet<&UnitNo> = c.ballots.iter().map(|b| &b.unit).collect();
        for u in &c.units {
            if voted.contains(&u.no) { continue; }
            // an owner who has not voted otherwise may approve with this unit
            let clash = c.ballots.iter().any(|b| b.choice != Approve && c.units.iter().any(|x| x.no == b.unit && x.owner == u.owner));
            if clash { continue; }
            let mut more = c.ballots.clone();
            more.push(Ballot { unit: u.no.clone(), choice: Approve, row: 0 });
            let after = run(&c.units, c.kind, "compound", &more).unwrap();
            prop_assert!(!before.passed || after.passed, "adding {} turned a pass into a fail", u.no);
        }
    }

    #[test]
    fn permuting_the_input_changes_nothing(c in case(), seed in any::<u64>()) {
        let before = run(&c.units, c.kind, "compound", &c.ballots).unwrap();
        let mut units = c.units.clone();
        let mut ballots = c.ballots.clone();
        let mut s = seed | 1;
        let mut next = |n: usize| { s ^= s << 13; s ^= s >> 7; s ^= s << 17; (s % n as u64) as usize };
        for i in (1..units.len()).rev() { let j = next(i + 1); units.swap(i, j); }
        for i in (1..ballots.len()).rev() { let j = next(i + 1); ballots.swap(i, j); }
        let after = run(&units, c.kind, "compound", &ballots).unwrap();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn splitting_an_owners_units_between_two_owners_changes_only_headcount(c in case(), pick in 0usize..12) {
        let before = run(&c.units, c.kind, "compound", &c.ballots).unwrap();
        let target = c.units[pick % c.units.len()].owner.clone();
        let mut units = c.units.clone();
        let mut flip = false;
        for u in units.iter_mut().filter(|u| u.owner == target) {
            if flip { u.owner = OwnerKey::from_stored("split-off"); }
            flip = !flip;
        }
        let after = run(&units, c.kind, "compound", &c.ballots).unwrap();
        prop_assert_eq!(before.eligible.area, after.eligible.area);
        for (x, y) in [(&before.participating, &after.participating), (&before.approve, &after.approve), (&before.oppose, &after.oppose), (&before.abstain, &after.abstain)] {
            prop_assert_eq!(x.area, y.area);
            prop_assert!(y.owners == x.owners || y.owners == x.owners + 1);
        }
        let split = units.iter().filter(|u| u.owner.as_str() == "split-off").count() > 0;
        prop_assert_eq!(after.eligible.owners, before.eligible.owners + split as u64);
    }

    #[test]
    fn kernel_agrees_with_a_direct_count(c in case()) {
        let t = strip(run(&c.units, c.kind, "compound", &c.ballots).unwrap());
        // count by hand: per owner the set of units with ballots
        let mut owners: std::collections::BTreeMap<&str, Choice> = Default::default();
        let mut area = [0i64; 3];
        for b in &c.ballots {
            let u = c.units.iter().find(|u| u.no == b.unit).unwrap();
            owners.insert(u.owner.as_str(), b.choice);
            area[b.choice as usize] += u.area.e4();
        }
        for ch in Choice::ALL {
            let n = owners.values().filter(|x| **x == ch).count() as u64;
            let got = match ch { Approve => t.approve, Oppose => t.oppose, Abstain => t.abstain };
            prop_assert_eq!(got, Count { owners: n, area: Area::from_e4(area[ch as usize]) });
        }
    }
}
