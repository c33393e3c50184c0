use super::*;
use crate::kit::Money;
use crate::registry::BuildingNo;
use proptest::prelude::*;

pub(crate) fn round(plans: &[(&str, i64, i64)], phases: &[(i64, u32)]) -> Round {
    Round::new(
        plans
            .iter()
            .map(|&(b, cost, score)| Plan {
                building: BuildingNo::parse(b).unwrap(),
                cost: Money::from_fen(cost),
                score: Score::from_hundredths(score),
            })
            .collect(),
        phases.iter().map(|&(b, k)| Phase { budget: Money::from_fen(b), capacity: k }).collect(),
    )
    .unwrap()
}

/// Every assignment of the plans to phases 1..=P or none, the feasible ones' least objective and
/// the lexicographically first (in rank order) that reaches it.
pub(crate) fn brute_force(r: &Round) -> (Waiting, Vec<Option<u32>>) {
    brute_force_where(r, |_| true).unwrap()
}

/// The least objective (and lexicographically first assignment reaching it) among feasible
/// assignments that `keep` accepts (phases by plan index).
pub(crate) fn brute_force_where(
    r: &Round,
    keep: impl Fn(&[Option<u32>]) -> bool,
) -> Option<(Waiting, Vec<Option<u32>>)> {
    let n = r.plans().len();
    let np = r.phases().len() as u32;
    let ranked = r.ranked().to_vec();
    let mut best: Option<(Waiting, Vec<u32>)> = None;
    let mut a = vec![0u32; n]; // by rank: 0..np-1 phases, np none
    loop {
        let mut cost = vec![0i64; np as usize];
        let mut count = vec![0u32; np as usize];
        for (k, &p) in a.iter().enumerate() {
            if p < np {
                cost[p as usize] += r.plans()[ranked[k]].cost.fen();
                count[p as usize] += 1;
            }
        }
        let ok = (0..np as usize).all(|p| cost[p] <= r.phases()[p].budget.fen() && count[p] <= r.phases()[p].capacity);
        if ok && keep(&to_phase_of(r, &a)) {
            let phase_of = to_phase_of(r, &a);
            let w = r.waiting(&phase_of);
            if best.as_ref().is_none_or(|(bw, _)| w < *bw) {
                best = Some((w, a.clone()));
            }
        }
        // next assignment in lexicographic order (rank 0 most significant)
        let mut k = n;
        loop {
            if k == 0 {
                return best.map(|(w, a)| (w, to_phase_of(r, &a)));
            }
            k -= 1;
            if a[k] < np {
                a[k] += 1;
                break;
            }
            a[k] = 0;
        }
    }
}

fn to_phase_of(r: &Round, a: &[u32]) -> Vec<Option<u32>> {
    let np = r.phases().len() as u32;
    let mut out = vec![None; a.len()];
    for (k, &i) in r.ranked().iter().enumerate() {
        out[i] = (a[k] < np).then_some(a[k] + 1);
    }
    out
}

pub(crate) fn respects_budgets_and_capacities(r: &Round, s: &Schedule) -> bool {
    (0..r.phases().len()).all(|p| {
        let members: Vec<usize> = (0..r.plans().len()).filter(|&i| s.phase_of[i] == Some(p as u32 + 1)).collect();
        members.len() as u32 <= r.phases()[p].capacity
            && members.iter().map(|&i| r.plans()[i].cost.fen()).sum::<i64>() <= r.phases()[p].budget.fen()
            && s.phases[p].len() == members.len()
    })
}

fn arb_round(max_plans: usize, max_phases: usize) -> impl Strategy<Value = Round> {
    (
        prop::collection::vec((1i64..10, 0i64..40), (max_plans / 2).max(1)..=max_plans),
        prop::collection::vec((3i64..12, 1u32..4), 1..=max_phases),
    )
        .prop_map(|(plans, phases)| {
            let names: Vec<String> = (1..=plans.len()).map(|i| (i * 3 % 17 + 1).to_string()).collect();
            let mut seen = std::collections::HashSet::new();
            let plans: Vec<(String, i64, i64)> = plans
                .into_iter()
                .zip(names)
                .filter(|(_, b)| seen.insert(b.clone()))
                .map(|((c, s), b)| (b, c * 100_000, s * 250))
                .collect();
            let refs: Vec<(&str, i64, i64)> = plans.iter().map(|(b, c, s)| (b.as_str(), *c, *s)).collect();
            let phases: Vec<(i64, u32)> = phases.into_iter().map(|(b, k)| (b * 100_000, k)).collect();
            round(&refs, &phases)
        })
}

/// Replays a schedule in rank order: every building went to the earliest phase with money and a
/// place left after the higher-ranked ones, or was unscheduled because none had both.
fn is_strict_greedy(r: &Round, s: &Schedule) -> bool {
    let np = r.phases().len();
    let mut left: Vec<i64> = r.phases().iter().map(|p| p.budget.fen()).collect();
    let mut room: Vec<u32> = r.phases().iter().map(|p| p.capacity).collect();
    for &i in r.ranked() {
        let c = r.plans()[i].cost.fen();
        let first_fit = (0..np).find(|&p| room[p] > 0 && c <= left[p]);
        if first_fit.map(|p| p as u32 + 1) != s.phase_of[i] {
            return false;
        }
        if let Some(p) = first_fit {
            left[p] -= c;
            room[p] -= 1;
        }
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn both_policies_respect_every_budget_and_capacity(r in arb_round(12, 4)) {
        let (s, b) = (strict(&r), best_value(&r));
        prop_assert!(respects_budgets_and_capacities(&r, &s));
        prop_assert!(respects_budgets_and_capacities(&r, &b));
        prop_assert_eq!(s.objective, r.waiting(&s.phase_of));
        prop_assert_eq!(b.objective, r.waiting(&b.phase_of));
    }

    #[test]
    fn strict_order_never_skips_a_phase_a_building_fitted_when_considered(r in arb_round(12, 4)) {
        prop_assert!(is_strict_greedy(&r, &strict(&r)));
    }

    #[test]
    fn best_value_is_never_worse_than_strict_and_is_proved(r in arb_round(16, 4)) {
        let (s, b) = (strict(&r), best_value(&r));
        prop_assert!(b.objective <= s.objective);
        prop_assert!(b.proved(), "{:?}", b.proof);
        // when strict order is already best, best value is the same schedule
        if b.objective == s.objective {
            prop_assert_eq!(&b.phase_of, &s.phase_of);
        }
    }

    #[test]
    fn best_value_equals_brute_force_with_its_tie_break(r in arb_round(7, 3)) {
        let (w, phase_of) = brute_force(&r);
        let b = best_value(&r);
        prop_assert_eq!(b.objective, w);
        prop_assert!(b.proved());
        prop_assert_eq!(b.phase_of, phase_of);
    }

    #[test]
    fn the_cost_of_moving_a_building_earlier_equals_brute_force(r in arb_round(6, 3)) {
        let b = best_value(&r);
        let moving = costs_of_moving_up(&r, &b);
        for i in 0..r.plans().len() {
            let q = b.phase_of[i].unwrap_or(r.phases().len() as u32 + 1);
            let earlier = brute_force_where(&r, |a| a[i].is_some_and(|p| p < q)).map(|(w, _)| Waiting(w.0 - b.objective.0));
            if q == 1 || r.plans()[i].score.hundredths() == 0 {
                prop_assert_eq!(moving[i], None);
            } else {
                prop_assert_eq!(moving[i].and_then(|m| m.exact()), earlier, "plan {}", i);
            }
        }
    }

    #[test]
    fn the_search_alone_finds_the_tie_break_optimum_from_any_floor(r in arb_round(7, 3)) {
        let (w, phase_of) = brute_force(&r);
        let inst = crate::corridors::inst::Inst::new(&r);
        let value = (inst.all_waiting() - w.0) as i64;
        for pi in [vec![0; inst.n], crate::corridors::lagrange::prices(&inst, &vec![inst.np; inst.n], 50)] {
            for floor in [0, value] {
                let f = crate::corridors::best::search(&inst, &pi, floor, u64::MAX);
                let (a, v) = f.best.expect("the floor is reachable");
                prop_assert!(f.finished);
                prop_assert_eq!((v, f.bound), (value, value));
                prop_assert_eq!(inst.phase_of(&r, &a), phase_of.clone());
            }
        }
    }
}

const YUAN: i64 = 100;

#[test]
fn strict_explains_the_budget_that_went_to_higher_scored_buildings() {
    let r = round(
        &[
            ("7", 100_000 * YUAN, 9500),
            ("21", 95_000 * YUAN, 9000),
            ("3", 80_000 * YUAN, 8500),
            ("5", 60_000 * YUAN, 8000),
        ],
        &[(300_000 * YUAN, 4), (300_000 * YUAN, 4)],
    );
    let out = plan(&r, Policy::Strict);
    assert_eq!(out.phases[0].buildings, ["7", "21", "3"]);
    assert_eq!(out.phases[1].buildings, ["5"]);
    let five = &out.explanations.0.iter().find(|(b, _)| b == "5").unwrap().1;
    assert_eq!(
        five.en,
        "Building 5 scored 80.00, ranked 4th of 4. Strict order puts it in phase 2. Phase 1's 300,000.00 budget went to \
         buildings 7, 21 and 3, which scored higher; 25,000.00 remained and your plan costs 60,000.00. Phase 2's \
         300,000.00 budget was untouched and your plan costs 60,000.00, so it went in."
    );
    assert_eq!(
        five.zh,
        "5号楼评分80.00，在4栋楼中排第4。按严格评分顺序排在第2期。第1期预算300,000.00元已用于评分更高的7号、21号、3号楼；\
         剩余25,000.00元，本楼方案需60,000.00元。第2期预算300,000.00元尚未使用，本楼方案需60,000.00元，因此排入。"
    );
    let three = &out.explanations.0.iter().find(|(b, _)| b == "3").unwrap().1;
    assert!(three.en.contains("Phase 1 had 105,000.00 of its 300,000.00 budget left after buildings 7 and 21 and your plan costs 80,000.00, so it went in."), "{}", three.en);
}

#[test]
fn strict_explains_a_full_phase_and_a_plan_beyond_every_budget() {
    let r = round(
        &[
            ("7", 10_000 * YUAN, 9500),
            ("21", 10_000 * YUAN, 9000),
            ("3", 10_000 * YUAN, 8500),
            ("12", 10_000 * YUAN, 8500),
            ("8", 500_000 * YUAN, 9900),
        ],
        &[(300_000 * YUAN, 3), (200_000 * YUAN, 3)],
    );
    let out = plan(&r, Policy::Strict);
    assert_eq!(
        (out.phases[0].buildings.clone(), out.phases[1].buildings.clone()),
        (vec!["7".to_string(), "21".into(), "3".into()], vec!["12".to_string()])
    );
    assert_eq!(out.unscheduled, ["8"]);
    let e = |b: &str| out.explanations.0.iter().find(|(x, _)| x == b).unwrap().1.clone();
    assert!(
        e("12").en.contains("ranked 5th of 5 (tied on score with building 3; the lower building number ranks first)"),
        "{}",
        e("12").en
    );
    assert!(
        e("12")
            .en
            .contains("Phase 1 takes 3 buildings; it was already full with buildings 7, 21 and 3, which rank higher."),
        "{}",
        e("12").en
    );
    assert!(e("12").zh.contains("第1期限3栋，已由排名更靠前的7号、21号、3号楼占满。"), "{}", e("12").zh);
    assert!(e("8").en.ends_with("Your plan costs 500,000.00, more than any phase's budget (the largest is 300,000.00), so no phase can take it: it is unscheduled."), "{}", e("8").en);
    assert!(e("8").zh.ends_with("本楼方案需500,000.00元，超过任何一期的预算（最多300,000.00元），因此无法排期。"));
    assert!(e("7").en.starts_with("Building 7 scored 95.00, ranked 2nd of 5. Strict order puts it in phase 1."));
}

#[test]
fn the_story_round_of_33_buildings_is_solved_exactly_with_its_proof() {
    // 33 buildings, 4 quarters of 300,000 yuan, a crew for 4 buildings a quarter
    let r = sample::sample_round(2018, 33, 4, 300_000, 4);
    let (s, b) = (strict(&r), best_value(&r));
    let proof = b.proof.unwrap();
    assert!(proof.exact);
    assert_eq!(proof.bound, b.objective, "bound == objective: proved optimal");
    assert!(b.objective < s.objective, "best {} strict {}", b.objective, s.objective);
    assert!(respects_budgets_and_capacities(&r, &b));
    assert_eq!((s.objective.to_string(), b.objective.to_string()), ("8512.66".to_string(), "8266.36".to_string()));
}

const WORKED: &str = "building,cost,score\n7,250000,95\n21,150000,90\n3,150000,85\n5,140000,80\n";

#[test]
fn best_value_puts_two_cheaper_plans_before_the_top_score_and_says_what_moving_it_would_cost() {
    let s = plan_corridors_cli(WORKED, "2", "300000", "2", None).unwrap();
    let b = plan_corridors_cli(WORKED, "2", "300000", "2", Some("best-value")).unwrap();
    assert_eq!(s.policy, Policy::Strict, "strict is the default");
    assert_eq!(
        (s.phases[0].buildings.clone(), s.phases[1].buildings.clone()),
        (vec!["7".to_string()], vec!["21".to_string(), "3".into()])
    );
    assert_eq!((s.objective.to_string(), b.objective.to_string()), ("685.00".to_string(), "605.00".to_string()));
    assert_eq!(
        (b.phases[0].buildings.clone(), b.phases[1].buildings.clone()),
        (vec!["21".to_string(), "3".into()], vec!["7".to_string()])
    );
    assert_eq!(b.unscheduled, ["5"]);
    let seven = &b.explanations.0.iter().find(|(k, _)| k == "7").unwrap().1;
    assert_eq!(
        seven.en,
        "Building 7 scored 95.00, ranked 1st of 4. The best-value schedule puts it in phase 2 (strict order: phase 1). \
         Phase 1 is full: buildings 21 and 3 take all 2 places. Buildings 21 and 3 scored lower but they cost less: in \
         the place of any of them your plan would exceed phase 1's budget. The best schedule that moves it to an \
         earlier phase has a total waiting score of 685.00, 80.00 more than this one's 605.00."
    );
    assert_eq!(
        seven.zh,
        "7号楼评分95.00，在4栋楼中排第1。按总等待最少方案排在第2期（严格评分顺序：第1期）。第1期已满：21号、3号楼占用全部2个名额。\
         21号、3号楼评分较低但费用较少：本楼若换入其中任何一栋的位置，第1期预算仍不够。若将本楼提前，最好的方案总等待分为685.00，比本方案的605.00多80.00。"
    );
    let five = &b.explanations.0.iter().find(|(k, _)| k == "5").unwrap().1;
    assert!(
        five.en.contains(
            "The best schedule that includes it has a total waiting score of 615.00, 10.00 more than this one's 605.00."
        ),
        "{}",
        five.en
    );
    let t = b.text();
    assert!(t.contains("Total waiting score (score × phase, unscheduled counting as phase 3): 605.00"), "{t}");
    assert!(t.contains("strict order's: 685.00") && t.contains("proved optimal"), "{t}");
    assert!(t.contains("Phase 1 (budget 300,000.00, 2 places): 21, 3 — cost 300,000.00"), "{t}");
}

#[test]
fn the_json_has_exactly_the_issues_shape() {
    let out = plan_corridors_cli(WORKED, "3", "300000,300000,100000", "2", Some("best-value")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&out.json()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, ["explanations", "objective", "phases", "policy", "unscheduled"]);
    assert_eq!(v["policy"], "best-value");
    assert_eq!(v["phases"].as_array().unwrap().len(), 3, "every phase is listed, even an empty one");
    assert_eq!(v["phases"][0], serde_json::json!({"phase": 1, "buildings": ["21", "3"], "cost": "300000.00"}));
    assert_eq!(v["phases"][2]["buildings"], serde_json::json!([]));
    assert_eq!(v["phases"][2]["cost"], "0.00");
    assert!(v["objective"].is_string());
    let ex = v["explanations"].as_object().unwrap();
    assert_eq!(ex.len(), 4);
    for b in ["3", "5", "7", "21"] {
        let e = ex[b].as_object().unwrap();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["en", "zh"]);
        assert!(e["en"].as_str().unwrap().starts_with(&format!("Building {b} scored")));
    }
    assert_eq!(
        serde_json::to_value(plan_corridors_cli(WORKED, "1", "0", "1", None).unwrap()).unwrap()["unscheduled"],
        serde_json::json!(["7", "21", "3", "5"])
    );
}

#[test]
fn options_are_refused_by_name() {
    let code = |p: &str, b: &str, c: &str, pol: Option<&str>| plan_corridors_cli(WORKED, p, b, c, pol).unwrap_err();
    let e = code("3", "300000,200000", "2", None);
    assert_eq!(e.code(), "corridors.budget-count");
    assert!(e.en().starts_with("--budget must give 1 amount (every phase) or 3 (one per phase)"), "{}", e.en());
    assert!(e.en().ends_with("not 2"));
    assert_eq!(code("0", "1", "1", None).code(), "corridors.bad-phases");
    assert_eq!(code("two", "1", "1", None).en(), "--phases must be a whole number from 1 to 1000, not 'two'");
    assert_eq!(code("2", "-5", "1", None).code(), "corridors.bad-budget");
    assert_eq!(code("2", "1.234", "1", None).code(), "corridors.bad-budget");
    assert_eq!(code("2", "100", "0", None).code(), "corridors.bad-capacity");
    assert_eq!(code("2", "100", "1,2,3", None).code(), "corridors.capacity-count");
    assert_eq!(code("2", "100", "1", Some("fastest")).code(), "corridors.bad-policy");
    let rows = plan_corridors_cli("building,cost,score\n7,1,1\n7,2,2\n", "1", "100", "1", None).unwrap_err();
    assert_eq!(rows.code(), "corridors.bad-rows");
    assert!(rows.kind().is_bad_input());
    assert_eq!(rows.en(), "the plans file has bad rows:\nrow 3: building 7 appears twice (first on row 2)");
    // per-phase capacities are taken as given
    let out = plan_corridors_cli(WORKED, "2", "300000", "1,3", None).unwrap();
    assert_eq!(out.capacities, [1, 3]);
}

#[test]
fn edge_rounds_schedule_without_fuss() {
    // no plans at all
    let out = plan_corridors_cli("building,cost,score\n", "2", "100", "1", Some("best-value")).unwrap();
    assert_eq!((out.phases.len(), out.unscheduled.len(), out.objective), (2, 0, Waiting(0)));
    // every score zero: nothing changes the total, strict order's placement is kept
    let r = round(&[("1", 100, 0), ("2", 100, 0), ("3", 100, 0)], &[(200, 1), (200, 1)]);
    let b = best_value(&r);
    assert_eq!(b.phase_of, vec![Some(1), Some(2), None]);
    assert_eq!((b.objective, b.proved()), (Waiting(0), true));
    // a free plan and a plan that no budget can take
    let r = round(&[("1", 0, 5000), ("2", 10_000, 9000)], &[(0, 3)]);
    let (s, b) = (strict(&r), best_value(&r));
    assert_eq!((s.phase_of.clone(), b.phase_of.clone()), (vec![Some(1), None], vec![Some(1), None]));
    assert_eq!(b.objective, Waiting(5000 + 9000 * 2));
}

#[test]
fn a_round_refuses_what_cannot_be_scheduled() {
    let plan = |b: &str, cost: i64| Plan {
        building: BuildingNo::parse(b).unwrap(),
        cost: Money::from_fen(cost),
        score: Score::from_hundredths(1),
    };
    let phase = Phase { budget: Money::from_fen(100), capacity: 1 };
    let code = |plans, phases| Round::new(plans, phases).unwrap_err().code();
    assert_eq!(code(vec![plan("7", 1), plan("7号楼", 2)], vec![phase]), "corridors.duplicate-plan");
    assert_eq!(code(vec![plan("7", -1)], vec![phase]), "corridors.bad-plan");
    assert_eq!(code(vec![plan("7", 1)], vec![]), "corridors.bad-phases");
    assert_eq!(code(vec![plan("7", 1)], vec![Phase { capacity: 0, ..phase }]), "corridors.bad-capacity");
    let e = Round::new(vec![plan("7", 1), plan("7号楼", 2)], vec![phase]).unwrap_err();
    assert_eq!(e.en(), "building 7 has two plans (plan 1 and plan 2)");
}
