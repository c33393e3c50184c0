use super::*;
use crate::committee::elect::elect_cli;
use crate::registry::{BuildingNo, Registry, StairwellNo};
use proptest::prelude::*;

/// Unit `1-<room>` of `area` whole m², owned by `owner`.
fn unit(room: u32, area: i64, owner: &str) -> Unit {
    let building = BuildingNo::parse("1").unwrap();
    Unit {
        no: UnitNo::new(&building, &room.to_string()),
        building,
        stairwell: StairwellNo::parse("1").unwrap(),
        floor: (room / 100) as i32,
        area: Area::from_e4(area * crate::kit::area::SCALE),
        owner: OwnerKey::from_stored(owner),
    }
}

/// `n` owners, one unit of 100 m² each: 101, 201, …
fn equal(n: u32) -> Vec<Unit> {
    (1..=n).map(|i| unit(i * 100 + 1, 100, &format!("o{i}"))).collect()
}

fn ballot(room: u32, names: &str) -> ElectionBallot {
    ElectionBallot { unit: UnitNo::parse(&format!("1-{room}")).unwrap(), approve: split(names), row: 0 }
}

fn split(names: &str) -> Vec<String> {
    names.split(';').filter(|n| !n.is_empty()).map(String::from).collect()
}

fn slate(names: &str) -> Vec<String> {
    split(names)
}

fn count(units: &[Unit], slate: &[String], seats: u32, alternates: u32, ballots: &[ElectionBallot]) -> ElectionResult {
    count_election(&ElectionInput { units, slate, seats, alternates, ballots }).unwrap()
}

#[test]
fn participation_of_exactly_two_thirds_is_met_and_one_unit_short_is_not() {
    let units = equal(6);
    let s = slate("A;B");
    let four: Vec<_> = (1..=4).map(|i| ballot(i * 100 + 1, "A")).collect();
    let r = count(&units, &s, 1, 0, &four);
    assert!(r.participation_met);
    assert_eq!(r.participating, Count { owners: 4, area: Area::from_e4(4_000_000) });
    assert_eq!(r.elected, vec!["A"]);
    let r = count(&units, &s, 1, 0, &four[..3]);
    assert!(!r.participation_met);
    assert!(r.elected.is_empty() && r.alternates.is_empty() && r.tie.is_empty());
    assert_eq!(r.open_seats, 1);
    // A still has the approval of everyone who took part: reported, but nobody is elected
    assert!(r.candidates[0].majority);
    assert!(r.explanation.en.contains("NOT met, nobody is elected and every seat stays open"), "{}", r.explanation.en);
}

#[test]
fn two_thirds_of_the_owners_with_less_than_two_thirds_of_the_area_is_not_met() {
    // three owners; the two who vote hold 199.99 of 300.00 m²
    let mut units = equal(3);
    units[0].area = Area::from_e4(999_900);
    units[2].area = Area::from_e4(1_000_100);
    let r = count(&units, &slate("A"), 1, 0, &[ballot(101, "A"), ballot(201, "A")]);
    assert!(!r.participation_met);
    units[0].area = Area::from_e4(1_000_000);
    units[2].area = Area::from_e4(1_000_000);
    assert!(count(&units, &slate("A"), 1, 0, &[ballot(101, "A"), ballot(201, "A")]).participation_met);
}

#[test]
fn exactly_half_of_the_participants_is_not_a_majority() {
    let units = equal(4);
    let s = slate("A;B");
    let b = [ballot(101, "A;B"), ballot(201, "A;B"), ballot(301, "B"), ballot(401, "B")];
    let r = count(&units, &s, 2, 0, &b);
    assert_eq!(
        r.candidates[0],
        CandidateCount { name: "B".into(), owners: 4, area: Area::from_e4(4_000_000), majority: true }
    );
    assert_eq!(
        r.candidates[1],
        CandidateCount { name: "A".into(), owners: 2, area: Area::from_e4(2_000_000), majority: false }
    );
    assert_eq!((r.elected.clone(), r.open_seats), (vec!["B".to_string()], 1));
    // a majority of owners (3 of 4) with exactly half of the area still fails
    let mut units = equal(4);
    units[3].area = Area::from_e4(3_000_000);
    let b = [ballot(101, "A"), ballot(201, "A"), ballot(301, "A"), ballot(401, "")];
    let r = count(&units, &slate("A"), 1, 0, &b);
    assert_eq!((r.candidates[0].owners, r.candidates[0].area.to_string()), (3, "300.00".into()));
    assert_eq!(r.participating.area.to_string(), "600.00");
    assert!(!r.candidates[0].majority);
    assert!(r.elected.is_empty());
}

/// Seven owners of 100 m²: A 6 approvals, B and C 5 each (a tie), D 4; no ballot names more
/// than three.
fn seven_with_a_tie() -> (Vec<Unit>, Vec<ElectionBallot>) {
    let b = [
        ballot(101, "A;B;C"),
        ballot(201, "A;B;C"),
        ballot(301, "A;B;D"),
        ballot(401, "A;C;D"),
        ballot(501, "A;B;C"),
        ballot(601, "A;B;D"),
        ballot(701, "C;D"),
    ];
    (equal(7), b.to_vec())
}

#[test]
fn a_tie_at_the_last_seat_elects_neither_and_leaves_the_seat_open() {
    let (units, b) = seven_with_a_tie();
    let s = slate("A;B;C;D");
    let r = count(&units, &s, 2, 1, &b);
    assert_eq!(r.elected, vec!["A"]);
    assert_eq!(r.tie, vec!["B", "C"]);
    assert_eq!(r.open_seats, 1);
    // B and C keep places 2 and 3, so the one alternate place is theirs after the re-vote
    assert!(r.alternates.is_empty());
    let r = count(&units, &s, 2, 2, &b);
    assert_eq!((r.tie.clone(), r.alternates.clone()), (vec!["B".into(), "C".into()], vec!["D".to_string()]));
    assert!(r.explanation.zh.contains("并列者 B、C 须重新投票"), "{}", r.explanation.zh);
    assert!(r.explanation.en.contains("B: approved by 5 owners, 500.00 m² (a majority needs at least 4 owners and 350.0001 m²); majority; tied at the last seat, not elected."), "{}", r.explanation.en);
    // with three seats the tie is inside the seats: both are elected
    let r = count(&units, &s, 3, 0, &b);
    assert_eq!((r.elected.clone(), r.open_seats), (vec!["A".into(), "B".into(), "C".into()], 0));
}

#[test]
fn a_tie_at_the_last_alternate_place_leaves_it_empty() {
    let (units, b) = seven_with_a_tie();
    let r = count(&units, &slate("A;B;C;D"), 1, 2, &b);
    assert_eq!(r.elected, vec!["A"]);
    assert_eq!(r.alternates, vec!["B", "C"]);
    let b2: Vec<_> = b
        .iter()
        .map(|x| ElectionBallot { approve: x.approve.iter().take(2).cloned().collect(), ..x.clone() })
        .collect();
    // A;B / A;B / A;B / A;C / A;B / A;B / C;D → A 6, B 5, C 2 (no majority): alternates empty
    let r = count(&units, &slate("A;B;C;D"), 1, 1, &b2);
    assert_eq!((r.elected.clone(), r.alternates.clone()), (vec!["A".to_string()], vec!["B".to_string()]));
    let tied = [ballot(101, "A;B"), ballot(201, "A;C"), ballot(301, "A;B"), ballot(401, "A;C"), ballot(501, "B;C")];
    let r = count(&equal(5), &slate("A;B;C"), 1, 1, &tied);
    assert_eq!((r.elected.clone(), r.alternates.clone()), (vec!["A".to_string()], vec![]));
    assert_eq!(r.alternate_tie, vec!["B", "C"]);
    assert_eq!(r.outcome("B"), Outcome::AlternateTie);
    assert_eq!(r.open_seats, 0);
}

#[test]
fn a_qualifying_candidate_beyond_the_last_alternate_place_is_simply_not_elected() {
    let mut b = vec![];
    for (i, names) in ["A;B", "A;B", "A;B", "A;B", "A;C", "A;C", "A;C", "B;C", "B;C"].iter().enumerate() {
        b.push(ballot((i as u32 + 1) * 100 + 1, names));
    }
    let r = count(&equal(9), &slate("A;B;C"), 1, 1, &b);
    let counts: Vec<(u64, bool)> = r.candidates.iter().map(|c| (c.owners, c.majority)).collect();
    assert_eq!(counts, vec![(7, true), (6, true), (5, true)]);
    assert_eq!((r.elected.clone(), r.alternates.clone()), (vec!["A".to_string()], vec!["B".to_string()]));
    assert!(r.tie.is_empty() && r.alternate_tie.is_empty());
    assert_eq!(r.outcome("C"), Outcome::NotElected);
}

#[test]
fn equal_owners_are_ranked_by_area() {
    let mut units = equal(5);
    units[0].area = Area::from_e4(1_200_000);
    let b = [ballot(101, "B"), ballot(201, "A"), ballot(301, "A;B"), ballot(401, "A;B"), ballot(501, "A;B")];
    let r = count(&units, &slate("A;B"), 1, 1, &b);
    assert_eq!(r.candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["B", "A"]);
    assert_eq!((r.elected.clone(), r.alternates.clone()), (vec!["B".to_string()], vec!["A".to_string()]));
}

#[test]
fn a_ballot_naming_too_many_is_void_but_takes_part_and_a_blank_takes_part() {
    let units = equal(4);
    let b = [ballot(101, "A;B;C"), ballot(201, ""), ballot(301, "A"), ballot(401, "A;B")];
    let r = count(&units, &slate("A;B;C"), 1, 1, &b);
    assert_eq!(r.void, vec![UnitNo::parse("1-101").unwrap()]);
    assert_eq!(r.participating.owners, 4);
    assert_eq!(
        r.candidates[0],
        CandidateCount { name: "A".into(), owners: 2, area: Area::from_e4(2_000_000), majority: false }
    );
    assert!(r.elected.is_empty());
    assert_eq!(r.open_seats, 1);
}

#[test]
fn an_owner_of_several_units_counts_once_and_a_unit_without_a_ballot_does_not_take_part() {
    let units = vec![
        unit(101, 100, "big"),
        unit(102, 100, "big"),
        unit(103, 100, "big"),
        unit(201, 100, "b"),
        unit(301, 100, "c"),
    ];
    let b = [ballot(101, "A"), ballot(102, "A"), ballot(201, "B"), ballot(301, "B")];
    let r = count(&units, &slate("A;B"), 1, 0, &b);
    assert_eq!(r.eligible, Count { owners: 3, area: Area::from_e4(5_000_000) });
    assert_eq!(r.participating, Count { owners: 3, area: Area::from_e4(4_000_000) });
    let a = r.candidates.iter().find(|c| c.name == "A").unwrap();
    assert_eq!((a.owners, a.area.to_string()), (1, "200.00".into()));
    // B: 2 of 3 owners but exactly half the area (200 of 400): no majority; A: 1 owner
    assert!(r.elected.is_empty());
}

#[test]
fn an_owners_units_carrying_different_approvals_are_refused_naming_the_owner_and_units() {
    let units = vec![unit(101, 100, "张三"), unit(102, 80, "张三"), unit(201, 100, "b")];
    let b = [ballot(101, "A"), ballot(102, "A;B"), ballot(201, "")];
    let e =
        count_election(&ElectionInput { units: &units, slate: &slate("A;B"), seats: 1, alternates: 1, ballots: &b })
            .unwrap_err();
    assert_eq!(e.code(), "committee.owner-units-differ");
    assert_eq!(e.en(), "owner 张三's units carry different approvals (an owner is one voter): 1-101: A, 1-102: A;B");
}

fn registry(rows: &[(&str, &str, &str)]) -> Registry {
    let raw: Vec<crate::registry::RawRow> = rows
        .iter()
        .enumerate()
        .map(|(i, (u, a, o))| crate::registry::RawRow {
            row: i + 2,
            unit: (*u).into(),
            building: u.split('-').next().unwrap().into(),
            stairwell: "1".into(),
            floor: String::new(),
            area: (*a).into(),
            owner: (*o).into(),
            owner_id: String::new(),
        })
        .collect();
    Registry::from_rows(&raw).unwrap()
}

fn worked_example_registry() -> Registry {
    registry(&[
        ("13-701", "85.52", "张三"),
        ("13-702", "72.10", "张三"),
        ("13-601", "90.00", "李四"),
        ("13-602", "88.40", "王五"),
        ("8-302", "101.25", "赵六"),
        ("8-303", "66.70", "钱七"),
    ])
}

#[test]
fn the_cli_counts_a_worked_example_to_exactly_the_json_of_the_issue() {
    let csv =
        "\u{feff}unit,approve\n13-701,陈 ； 林\n13-702,陈;林\n13-601,陈;周\n13-602, 林 \n8-302,陈;林;周;吴\n8-303,\n";
    let r = elect_cli(&worked_example_registry(), csv, "陈；林;周;吴", "1", Some("1")).unwrap();
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(
        j,
        serde_json::json!({
            "seats": 1,
            "alternates_wanted": 1,
            "eligible": {"owners": 5, "area": "503.97"},
            "participating": {"owners": 5, "area": "503.97"},
            "participation_met": true,
            "candidates": [
                {"name": "陈", "owners": 2, "area": "247.62", "majority": false},
                {"name": "林", "owners": 2, "area": "246.02", "majority": false},
                {"name": "周", "owners": 1, "area": "90.00", "majority": false},
                {"name": "吴", "owners": 0, "area": "0.00", "majority": false}
            ],
            "elected": [],
            "alternates": [],
            "tie": [],
            "open_seats": 1,
            "void": ["8-302"]
        })
    );
    let csv2 = "unit,approve\n13-701,陈;林\n13-702,陈;林\n13-601,陈;周\n13-602,林;陈\n8-302,陈\n8-303,林\n";
    let r = elect_cli(&worked_example_registry(), csv2, "陈；林;周;吴", "1", Some("1")).unwrap();
    assert_eq!((r.elected.clone(), r.alternates.clone()), (vec!["陈".to_string()], vec!["林".to_string()]));
    assert!(
        r.text().contains("陈                   4 owners          437.27 m²  majority: yes  elected"),
        "{}",
        r.text()
    );
}

fn cli_err(csv: &str, candidates: &str, seats: &str) -> crate::kit::Refused {
    elect_cli(&worked_example_registry(), csv, candidates, seats, None).unwrap_err()
}

#[test]
fn the_cli_names_the_row_the_unit_and_the_name_of_each_bad_ballot() {
    let e = cli_err("unit,approve\n13-701,陈\n13-601,王\n", "陈;林", "1");
    assert_eq!(
        (e.code(), e.en()),
        ("committee.name-not-on-slate", "ballots row 3 (unit 13-601): '王' is not on the slate".into())
    );
    let e = cli_err("unit,approve\n13-701,陈\n9-101,陈\n", "陈;林", "1");
    assert_eq!(e.en(), "ballots row 3: unit 9-101 is not on the register");
    let e = cli_err("unit,approve\n13-701,陈\n\n13号楼701室,陈\n", "陈;林", "1");
    assert_eq!((e.code(), e.en()), ("committee.unit-twice", "unit 13-701 has two ballots: rows 2 and 4".into()));
    let e = cli_err("unit,approve\n13-701,陈\n13-702,林\n", "陈;林", "1");
    assert_eq!(e.en(), "owner 张三's units carry different approvals (an owner is one voter): 13-701: 陈, 13-702: 林");
    let e = cli_err("unit,approve\nx,陈\n13-601,王\n9-101,\n", "陈;林", "1");
    assert_eq!(e.code(), "committee.bad-ballots");
    assert_eq!(
        e.en(),
        "3 errors in the ballots:\nballots row 2: 'x' is not a unit number like 13-701\n\
         ballots row 3 (unit 13-601): '王' is not on the slate\nballots row 4: unit 9-101 is not on the register"
    );
    assert_eq!(e.values()["count"], 3);
}

#[test]
fn the_cli_refuses_bad_headers_slates_and_seats() {
    let e = cli_err("unit,approve,note\n", "陈", "1");
    assert_eq!(e.en(), "ballots header: unknown column 'note' (expected exactly unit,approve)");
    let e = cli_err("unit,unit\n", "陈", "1");
    assert_eq!(
        e.en(),
        "2 errors in the ballots:\nballots header: column 'unit' appears twice\nballots header: missing column 'approve'"
    );
    assert_eq!(cli_err("", "陈", "1").code(), "committee.ballots-empty");
    assert_eq!(cli_err("unit,approve\n", "陈；陈", "1").en(), "--candidates: '陈' is on the slate twice");
    assert_eq!(cli_err("unit,approve\n", " ; ；", "1").code(), "committee.no-candidates");
    assert_eq!(cli_err("unit,approve\n", "陈", "0").en(), "--seats: '0' is not a whole number of at least 1");
    assert_eq!(cli_err("unit,approve\n", "陈", "two").code(), "committee.bad-seats");
    let e = elect_cli(&worked_example_registry(), "unit,approve\n", "陈", "1", Some("-1")).unwrap_err();
    assert_eq!(e.code(), "committee.bad-alternates");
    assert_eq!(cli_err("unit,approve\n13-701,陈;陈\n", "陈", "1").code(), "committee.name-twice-on-ballot");
    assert_eq!(
        cli_err("unit,approve\n13-701,陈,x\n", "陈", "1").en(),
        "ballots row 2: a value outside the unit and approve columns (3 cells)"
    );
    // an empty spreadsheet column is ignored, a value under it is not
    let r = elect_cli(&worked_example_registry(), "unit,,approve,\n13-701,,陈,\n", "陈", "1", None).unwrap();
    assert_eq!(r.participating.owners, 1);
    assert_eq!(cli_err("unit,,approve\n13-701,x,陈\n", "陈", "1").code(), "committee.extra-cells");
    // an approve,unit header in the other order is fine, and no ballot at all elects nobody
    let r = elect_cli(&worked_example_registry(), "approve,unit\n", "陈", "1", None).unwrap();
    assert_eq!((r.participation_met, r.open_seats), (false, 1));
}

// ---------------------------------------------------------------------------------------------
// Properties, and a brute-force re-count by an independent implementation.

/// A small random election: units with owners and areas, a slate, seats, alternates, ballots.
#[derive(Clone, Debug)]
struct Instance {
    units: Vec<Unit>,
    slate: Vec<String>,
    seats: u32,
    alternates: u32,
    /// Per owner index: their approvals as a mask over the slate, or None (no ballot).
    approvals: Vec<Option<u32>>,
    /// Units of a voting owner left without a ballot.
    skip: Vec<bool>,
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

fn instance(seed: u64) -> Instance {
    let mut s = seed | 1;
    let mut r = |n: u64| xorshift(&mut s) % n;
    let owners = 1 + r(6) as usize;
    let n_units = owners + r(4) as usize;
    let units: Vec<Unit> = (0..n_units)
        .map(|i| {
            let o = if i < owners { i } else { r(owners as u64) as usize };
            unit(100 + i as u32, 1 + r(3) as i64, &format!("o{o}"))
        })
        .collect();
    let n_cand = 1 + r(5) as usize;
    let (seats, alternates) = (1 + r(3) as u32, r(3) as u32);
    let limit = (seats + alternates) as usize;
    // mostly valid ballots, so that places beyond the last one are reached; some void ones
    let approvals = (0..owners)
        .map(|_| {
            let voted = r(5) > 0;
            let mask = match r(4) {
                0 => r(1 << n_cand) as u32,
                _ => (0..limit).fold(0u32, |m, _| m | 1 << r(n_cand as u64)),
            };
            voted.then_some(mask)
        })
        .collect();
    let skip = (0..n_units).map(|i| i >= owners && r(4) == 0).collect();
    Instance {
        units,
        slate: (0..n_cand).map(|i| ((b'A' + i as u8) as char).to_string()).collect(),
        seats,
        alternates,
        approvals,
        skip,
    }
}

fn owner_of(u: &Unit) -> usize {
    u.owner.as_str()[1..].parse().unwrap()
}

impl Instance {
    fn ballots(&self) -> Vec<ElectionBallot> {
        self.units
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.skip[*i])
            .filter_map(|(_, u)| {
                let mask = self.approvals[owner_of(u)]?;
                let approve =
                    (0..self.slate.len()).filter(|c| mask >> c & 1 == 1).map(|c| self.slate[c].clone()).collect();
                Some(ElectionBallot { unit: u.no.clone(), approve, row: 0 })
            })
            .collect()
    }

    fn count(&self) -> ElectionResult {
        count(&self.units, &self.slate, self.seats, self.alternates, &self.ballots())
    }
}

/// The oracle's answer: participation met, per candidate (owners, area, majority) in slate
/// order, then elected, alternates, tie and alternate tie.
type Recount = (bool, Vec<(u64, i64, bool)>, Vec<String>, Vec<String>, Vec<String>, Vec<String>);

/// The rule written again from its text, per candidate in closed form: `better` qualifying
/// candidates rank strictly above it and its tie group ends at `end`; no sequential walk.
fn oracle(inst: &Instance) -> Recount {
    let ballots = inst.ballots();
    let n = inst.slate.len();
    let limit = (inst.seats + inst.alternates) as usize;
    let area_of = |b: &ElectionBallot| inst.units.iter().find(|u| u.no == b.unit).unwrap().area.e4();
    let owner = |b: &ElectionBallot| owner_of(inst.units.iter().find(|u| u.no == b.unit).unwrap());
    let mut voters: Vec<usize> = ballots.iter().map(owner).collect();
    voters.sort();
    voters.dedup();
    let part_area: i64 = ballots.iter().map(area_of).sum();
    let total_area: i64 = inst.units.iter().map(|u| u.area.e4()).sum();
    let mut all_owners: Vec<usize> = inst.units.iter().map(owner_of).collect();
    all_owners.sort();
    all_owners.dedup();
    let met = 3 * part_area >= 2 * total_area && 3 * voters.len() >= 2 * all_owners.len();
    let valid = |b: &&ElectionBallot| b.approve.len() <= limit;
    let counts: Vec<(u64, i64, bool)> = (0..n)
        .map(|c| {
            let name = &inst.slate[c];
            let mut approving: Vec<usize> =
                ballots.iter().filter(valid).filter(|b| b.approve.contains(name)).map(owner).collect();
            approving.sort();
            approving.dedup();
            let area: i64 = ballots.iter().filter(valid).filter(|b| b.approve.contains(name)).map(area_of).sum();
            let o = approving.len() as u64;
            (o, area, 2 * area > part_area && 2 * o > voters.len() as u64)
        })
        .collect();
    let (mut el, mut alt, mut tie, mut alt_tie) = (vec![], vec![], vec![], vec![]);
    if met {
        for c in (0..n).filter(|&c| counts[c].2) {
            let key = (counts[c].0, counts[c].1);
            let q = (0..n).filter(|&d| counts[d].2);
            let better = q.clone().filter(|&d| (counts[d].0, counts[d].1) > key).count();
            let end = better + q.filter(|&d| (counts[d].0, counts[d].1) == key).count();
            let s = inst.seats as usize;
            let name = inst.slate[c].clone();
            if end <= s {
                el.push((better, c, name));
            } else if better < s {
                tie.push((better, c, name));
            } else if end <= limit {
                alt.push((better, c, name));
            } else if better < limit {
                alt_tie.push((better, c, name));
            }
        }
    }
    let names = |mut v: Vec<(usize, usize, String)>| {
        v.sort();
        v.into_iter().map(|x| x.2).collect::<Vec<_>>()
    };
    (met, counts, names(el), names(alt), names(tie), names(alt_tie))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_brute_force_recount_agrees(seed in any::<u64>()) {
        let inst = instance(seed);
        let r = inst.count();
        let (met, counts, el, alt, tie, alt_tie) = oracle(&inst);
        prop_assert_eq!(r.participation_met, met);
        for c in &r.candidates {
            let i = inst.slate.iter().position(|n| n == &c.name).unwrap();
            prop_assert_eq!((c.owners, c.area.e4(), c.majority), counts[i]);
        }
        prop_assert_eq!(&r.elected, &el);
        prop_assert_eq!(&r.alternates, &alt);
        prop_assert_eq!(&r.tie, &tie);
        prop_assert_eq!(&r.alternate_tie, &alt_tie);
        prop_assert!(r.elected.len() as u32 <= r.seats);
        prop_assert!(r.alternates.len() as u32 <= r.alternates_wanted);
        prop_assert_eq!(r.open_seats, r.seats - r.elected.len() as u32);
    }

    #[test]
    fn permuting_the_ballots_changes_nothing(seed in any::<u64>(), shift in any::<u64>()) {
        let inst = instance(seed);
        let mut b = inst.ballots();
        let base = count(&inst.units, &inst.slate, inst.seats, inst.alternates, &b);
        let mut s = shift | 1;
        for i in (1..b.len()).rev() {
            b.swap(i, (xorshift(&mut s) % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(count(&inst.units, &inst.slate, inst.seats, inst.alternates, &b), base);
    }

    #[test]
    fn an_added_approval_never_unseats_the_candidate_who_received_it(seed in any::<u64>(), pick in any::<u64>()) {
        let inst = instance(seed);
        let before = inst.count();
        let voters: Vec<usize> = (0..inst.approvals.len()).filter(|&o| inst.approvals[o].is_some()).collect();
        prop_assume!(!voters.is_empty());
        let o = voters[(pick % voters.len() as u64) as usize];
        let c = ((pick >> 8) % inst.slate.len() as u64) as usize;
        let mask = inst.approvals[o].unwrap();
        prop_assume!(mask >> c & 1 == 0);
        let mut more = inst.clone();
        more.approvals[o] = Some(mask | 1 << c);
        let after = more.count();
        let name = &inst.slate[c];
        if before.elected.contains(name) {
            prop_assert!(after.elected.contains(name), "{} unseated: {:?} → {:?}", name, before.elected, after.elected);
            prop_assert!(!after.alternates.contains(name));
        }
    }
}

#[test]
fn the_reports_worked_example_elects_one_and_names_an_alternate() {
    let csv = "unit,approve\n13-701,陈;林\n13-702,陈;林\n13-601,陈;周\n13-602,林;陈\n8-302,陈;林;周;吴\n8-303,林\n";
    let r = elect_cli(&worked_example_registry(), csv, "陈；林;周;吴", "1", Some("1")).unwrap();
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"seats":1,"alternates_wanted":1,"eligible":{"owners":5,"area":"503.97"},"participating":{"owners":5,"area":"503.97"},"participation_met":true,"candidates":[{"name":"陈","owners":3,"area":"336.02","majority":true},{"name":"林","owners":3,"area":"312.72","majority":true},{"name":"周","owners":1,"area":"90.00","majority":false},{"name":"吴","owners":0,"area":"0.00","majority":false}],"elected":["陈"],"alternates":["林"],"tie":[],"open_seats":0,"void":["8-302"]}"#
    );
    assert!(
        r.explanation
            .zh
            .contains("陈：同意 3 人、336.02 平方米（过半数需至少 3 人且 251.9851 平方米）；过半数；当选。")
    );
    assert!(r.text().contains("  林                   3 owners          312.72 m²  majority: yes  alternate 1\n"));
}
