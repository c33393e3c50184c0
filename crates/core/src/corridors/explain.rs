//! Every building's explanation, in Chinese and English: its score and rank, its phase, and what
//! kept it from each earlier phase, with the amounts and the buildings concerned, so a building
//! leader can check it against the published schedule.
//!
//! Strict order is explained as it ran: what each earlier phase held and had left when this
//! building's turn came. Best value is explained by the final schedule: who holds each earlier
//! phase and what is left there, why swapping with a lower-scored building there does not fit,
//! and (for a compound) how much more the whole compound would wait in the best schedule that
//! moves this building earlier.

use crate::corridors::model::{Plan, Policy, Round, Schedule, Waiting};
use crate::corridors::solve::MoveCost;
use crate::corridors::words::{buildings_en, buildings_zh, ordinal, waiting, yuan};
use crate::kit::{Both, Money};
use crate::registry::BuildingNo;

/// Explanations by plan index. `strict` is strict order's schedule of the same round (the very
/// schedule when explaining strict order); `moving` is [`costs_of_moving_up`]'s answer for a
/// best-value schedule (or empty).
///
/// [`costs_of_moving_up`]: crate::corridors::costs_of_moving_up
pub fn explain(round: &Round, schedule: &Schedule, strict: &Schedule, moving: &[Option<MoveCost>]) -> Vec<Both> {
    let heads = headers(round);
    let bodies = match schedule.policy {
        Policy::Strict => strict_bodies(round),
        Policy::BestValue => best_bodies(round, schedule, strict, moving),
    };
    heads
        .into_iter()
        .zip(bodies)
        .map(|(h, b)| Both { zh: format!("{}{}", h.zh, b.zh), en: format!("{} {}", h.en, b.en) })
        .collect()
}

/// "Building 7 scored 92.50, ranked 1st of 33." with any tie named.
fn headers(round: &Round) -> Vec<Both> {
    let plans = round.plans();
    let n = plans.len();
    let ranks = round.rank_of();
    (0..n)
        .map(|i| {
            let p = &plans[i];
            let mut tied: Vec<usize> = (0..n).filter(|&j| j != i && plans[j].score == p.score).collect();
            tied.sort_by_key(|&j| ranks[j]);
            let names: Vec<&BuildingNo> = tied.iter().map(|&j| &plans[j].building).collect();
            let (tie_en, tie_zh) = if names.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" (tied on score with {}; the lower building number ranks first)", buildings_en(&names)),
                    format!("（与{}同分，楼号小者排名在前）", buildings_zh(&names)),
                )
            };
            Both {
                en: format!("Building {} scored {}, ranked {} of {n}{tie_en}.", p.building, p.score, ordinal(ranks[i])),
                zh: format!("{}号楼评分{}，在{n}栋楼中排第{}{tie_zh}。", p.building, p.score, ranks[i]),
            }
        })
        .collect()
}

fn max_budget(round: &Round) -> Money {
    round.phases().iter().map(|p| p.budget).max().unwrap_or(Money::ZERO)
}

/// The sentence for a plan no phase's budget can take, whatever the policy.
fn too_costly(plan: &Plan, round: &Round) -> Both {
    let (c, m) = (yuan(plan.cost), yuan(max_budget(round)));
    Both {
        en: format!(
            "Your plan costs {c}, more than any phase's budget (the largest is {m}), so no phase can take it: it is unscheduled."
        ),
        zh: format!("本楼方案需{c}元，超过任何一期的预算（最多{m}元），因此无法排期。"),
    }
}

/// "scored higher" when every listed building did, else "rank higher" (ties by number).
fn higher(plans: &[Plan], list: &[usize], score: crate::corridors::Score) -> (&'static str, &'static str) {
    if list.iter().all(|&j| plans[j].score > score) {
        ("scored higher", "评分更高")
    } else {
        ("rank higher", "排名更靠前")
    }
}

fn names<'a>(plans: &'a [Plan], list: &[usize]) -> Vec<&'a BuildingNo> {
    list.iter().map(|&j| &plans[j].building).collect()
}

fn places(k: u32) -> String {
    if k == 1 { "1 building".into() } else { format!("{k} buildings") }
}

/// Strict order replayed: each building's view of the phases when its turn came.
fn strict_bodies(round: &Round) -> Vec<Both> {
    let plans = round.plans();
    let phases = round.phases();
    let np = phases.len();
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); np];
    let mut left: Vec<i64> = phases.iter().map(|p| p.budget.fen()).collect();
    let mut out = vec![Both { zh: String::new(), en: String::new() }; plans.len()];
    let max_b = max_budget(round);
    for &i in round.ranked() {
        let plan = &plans[i];
        let c = plan.cost.fen();
        if plan.cost > max_b {
            out[i] = too_costly(plan, round);
            continue;
        }
        let fits = |p: usize| (held[p].len() as u32) < phases[p].capacity && c <= left[p];
        let q = (0..np).find(|&p| fits(p));
        let (mut en, mut zh) = match q {
            Some(q) => {
                (format!("Strict order puts it in phase {}.", q + 1), format!("按严格评分顺序排在第{}期。", q + 1))
            }
            None => (
                "Strict order leaves it unscheduled: when its turn came, no phase had both the money and a place."
                    .into(),
                "按严格评分顺序未能排期：轮到本楼时，没有一期同时有足够的预算和名额。".into(),
            ),
        };
        for p in 0..q.unwrap_or(np) {
            let (b, list) = (yuan(phases[p].budget), &held[p]);
            let (h_en, h_zh) = higher(plans, list, plan.score);
            let (ne, nz) = (buildings_en(&names(plans, list)), buildings_zh(&names(plans, list)));
            let (cs, ls) = (yuan(plan.cost), yuan(Money::from_fen(left[p])));
            if held[p].len() as u32 >= phases[p].capacity {
                let k = phases[p].capacity;
                en += &format!(" Phase {} takes {}; it was already full with {ne}, which {h_en}.", p + 1, places(k));
                zh += &format!("第{}期限{k}栋，已由{h_zh}的{nz}占满。", p + 1);
            } else if list.is_empty() {
                en += &format!(" Phase {}'s budget is {b} and your plan costs {cs}.", p + 1);
                zh += &format!("第{}期预算{b}元，本楼方案需{cs}元。", p + 1);
            } else {
                en += &format!(
                    " Phase {}'s {b} budget went to {ne}, which {h_en}; {ls} remained and your plan costs {cs}.",
                    p + 1
                );
                zh += &format!("第{}期预算{b}元已用于{h_zh}的{nz}；剩余{ls}元，本楼方案需{cs}元。", p + 1);
            }
        }
        if let Some(q) = q {
            let (b, cs, ls) = (yuan(phases[q].budget), yuan(plan.cost), yuan(Money::from_fen(left[q])));
            if held[q].is_empty() {
                en += &format!(" Phase {}'s {b} budget was untouched and your plan costs {cs}, so it went in.", q + 1);
                zh += &format!("第{}期预算{b}元尚未使用，本楼方案需{cs}元，因此排入。", q + 1);
            } else {
                let (ne, nz) = (buildings_en(&names(plans, &held[q])), buildings_zh(&names(plans, &held[q])));
                en += &format!(
                    " Phase {} had {ls} of its {b} budget left after {ne} and your plan costs {cs}, so it went in.",
                    q + 1
                );
                zh += &format!("第{}期在{nz}之后还剩{ls}元（预算{b}元），本楼方案需{cs}元，因此排入。", q + 1);
            }
            held[q].push(i);
            left[q] -= c;
        }
        out[i] = Both { zh, en };
    }
    out
}

/// Best value explained from the final schedule.
fn best_bodies(round: &Round, s: &Schedule, strict: &Schedule, moving: &[Option<MoveCost>]) -> Vec<Both> {
    let plans = round.plans();
    let phases = round.phases();
    let np = phases.len();
    let left: Vec<i64> = (0..np).map(|p| phases[p].budget.fen() - s.cost(round, p).fen()).collect();
    let max_b = max_budget(round);
    let phase_name = |ph: Option<u32>| match ph {
        Some(q) => (format!("phase {q}"), format!("第{q}期")),
        None => ("unscheduled".to_string(), "未排期".to_string()),
    };
    (0..plans.len())
        .map(|i| {
            let plan = &plans[i];
            if plan.cost > max_b {
                return too_costly(plan, round);
            }
            let q = s.phase_of[i].map(|q| q as usize - 1);
            let (mut en, mut zh) = match q {
                Some(q) => (format!("The best-value schedule puts it in phase {}", q + 1), format!("按总等待最少方案排在第{}期", q + 1)),
                None => ("The best-value schedule leaves it unscheduled".to_string(), "按总等待最少方案未能排期".to_string()),
            };
            let (se, sz) = phase_name(strict.phase_of[i]);
            if strict.phase_of[i] == s.phase_of[i] {
                en += ", as strict order does.";
                zh += "，与严格评分顺序相同。";
            } else {
                en += &format!(" (strict order: {se}).");
                zh += &format!("（严格评分顺序：{sz}）。");
            }
            if plan.score.hundredths() == 0 {
                en += " Its score is 0, so its phase does not change the total waiting score; it takes the earliest phase with money and a place left once the others are placed.";
                zh += "本楼评分为0，排在哪一期都不影响总等待分；其余楼排定后，它排入最早仍有预算和名额的一期。";
            }
            for p in 0..q.unwrap_or(np) {
                let (e, z) = phase_fact(round, s, &left, i, p, q);
                en += &e;
                zh += &z;
            }
            if let Some(Some(m)) = moving.get(i) {
                let (e, z) = move_sentence(s.objective, m, q.is_some());
                en += &e;
                zh += &z;
            }
            let later: Vec<usize> = round
                .ranked()
                .iter()
                .copied()
                .filter(|&j| plans[j].score > plan.score && s.phase_of[j].map_or(np, |x| x as usize - 1) > q.unwrap_or(np))
                .collect();
            if !later.is_empty() {
                let (ne, nz) = (buildings_en(&names(plans, &later)), buildings_zh(&names(plans, &later)));
                en += &format!(" Higher-scored {ne} come later or not at all; their explanations say why.");
                zh += &format!("评分更高的{nz}排得更晚或未排期，原因见各自的说明。");
            }
            Both { zh, en }
        })
        .collect()
}

/// What moving the building earlier (`scheduled`) or scheduling it at all would cost.
fn move_sentence(objective: Waiting, m: &MoveCost, scheduled: bool) -> (String, String) {
    let o = waiting(objective);
    let (u, y) = (waiting(m.found), waiting(Waiting(objective.0 + m.found.0)));
    let (what_en, what_zh) = if scheduled {
        ("moves it to an earlier phase", "若将本楼提前")
    } else {
        ("includes it", "若排入本楼")
    };
    match m.exact() {
        Some(Waiting(0)) => (
            " Another schedule with the same total would move it earlier, but only by putting a higher-ranked building later; equal totals go to the higher-ranked building.".into(),
            "另有总等待分相同的方案可让本楼提前，但要推后排名更靠前的楼；总等待分相同时排名靠前者优先。".into(),
        ),
        Some(_) => (
            format!(" The best schedule that {what_en} has a total waiting score of {y}, {u} more than this one's {o}."),
            format!("{what_zh}，最好的方案总等待分为{y}，比本方案的{o}多{u}。"),
        ),
        None if m.at_least.0 > 0 => {
            let l = waiting(m.at_least);
            (
                format!(" Any schedule that {what_en} waits at least {l} more in total; the best one found waits {u} more ({y} instead of {o})."),
                format!("{what_zh}，总等待分至少增加{l}；已找到的最好方案多{u}（总等待分{y}，本方案{o}）。"),
            )
        }
        None => (
            format!(" The best schedule found that {what_en} waits {u} more in total ({y} instead of {o}); the search stopped before proving none waits less."),
            format!("{what_zh}，已找到的最好方案总等待分多{u}（{y}，本方案{o}），搜索未能在限额内证明没有更好的方案。"),
        ),
    }
}

/// What phase `p` holds in the final schedule and why plan `i` (in phase `q`, or unscheduled)
/// is not there, including the lower-scored buildings it holds.
fn phase_fact(round: &Round, s: &Schedule, left: &[i64], i: usize, p: usize, q: Option<usize>) -> (String, String) {
    let plans = round.plans();
    let ph = round.phases()[p];
    let plan = &plans[i];
    let members = &s.phases[p];
    let (b, cs) = (yuan(ph.budget), yuan(plan.cost));
    let (ne, nz) = (buildings_en(&names(plans, members)), buildings_zh(&names(plans, members)));
    let ls = yuan(Money::from_fen(left[p]));
    let spent = yuan(s.cost(round, p));
    let n = p + 1;
    let (mut en, mut zh) = if members.len() as u32 >= ph.capacity {
        let k = ph.capacity;
        let all = if k == 1 { "its only place".to_string() } else { format!("all {k} places") };
        (format!(" Phase {n} is full: {ne} take {all}."), format!("第{n}期已满：{nz}占用全部{k}个名额。"))
    } else if members.is_empty() {
        (
            format!(" Phase {n}'s budget is {b} and your plan costs {cs}."),
            format!("第{n}期预算{b}元，本楼方案需{cs}元。"),
        )
    } else if plan.cost.fen() > left[p] {
        (
            format!(" Phase {n} holds {ne} ({spent} of its {b}); {ls} is left and your plan costs {cs}."),
            format!("第{n}期安排了{nz}（用去{spent}元，预算{b}元），余{ls}元，本楼方案需{cs}元。"),
        )
    } else {
        (
            format!(" Phase {n} holds {ne} and still has {ls} and a place left, enough for your plan."),
            format!("第{n}期安排了{nz}，尚余{ls}元和名额，足以容纳本楼。"),
        )
    };
    // lower-scored buildings in phase p: why a swap with each does not fit
    let (mut here, mut there, mut fits) = (Vec::new(), Vec::new(), Vec::new());
    for &a in members.iter().filter(|&&a| plans[a].score < plan.score) {
        let d = plan.cost.fen() - plans[a].cost.fen();
        if d > left[p] {
            here.push(a);
        } else if let Some(q) = q
            && -d > left[q]
        {
            there.push(a);
        } else {
            fits.push(a);
        }
    }
    let one = |v: &[usize]| v.len() == 1;
    if !here.is_empty() {
        let (ne, nz) = (buildings_en(&names(plans, &here)), buildings_zh(&names(plans, &here)));
        let (them, any) =
            if one(&here) { ("it costs", "its place") } else { ("they cost", "the place of any of them") };
        en +=
            &format!(" {} scored lower but {them} less: in {any} your plan would exceed phase {n}'s budget.", cap(&ne));
        let whose = if one(&here) { "其位置" } else { "其中任何一栋的位置" };
        zh += &format!("{nz}评分较低但费用较少：本楼若换入{whose}，第{n}期预算仍不够。");
    }
    if let (false, Some(q)) = (there.is_empty(), q) {
        let (ne, nz) = (buildings_en(&names(plans, &there)), buildings_zh(&names(plans, &there)));
        let cost_word = if one(&there) { "its plan costs" } else { "their plans cost" };
        en += &format!(" {} scored lower, but {cost_word} more than phase {} could take in exchange.", cap(&ne), q + 1);
        zh += &format!("{nz}评分较低，但方案费用较高，换到第{}期放不下。", q + 1);
    }
    for a in fits {
        let gain = (plan.score.hundredths() - plans[a].score.hundredths()) as i128
            * (q.map_or(round.phases().len() + 1, |q| q + 1) - (p + 1)) as i128;
        let g = waiting(Waiting(gain));
        en += &format!(
            " Swapping it with building {} would fit and lower the total waiting score by {g}.",
            plans[a].building
        );
        zh += &format!("与{}号楼对调可行，可使总等待分减少{g}。", plans[a].building);
    }
    (en, zh)
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_of_moving_reads_as_exact_tied_or_bounded() {
        let o = Waiting(60_500);
        let m = |at_least: i128, found: i128| MoveCost { at_least: Waiting(at_least), found: Waiting(found) };
        assert_eq!(
            move_sentence(o, &m(8_000, 8_000), true).0,
            " The best schedule that moves it to an earlier phase has a total waiting score of 685.00, 80.00 more than this one's 605.00."
        );
        assert!(move_sentence(o, &m(0, 0), true).0.contains("equal totals go to the higher-ranked building"));
        let (en, zh) = move_sentence(o, &m(1_000, 8_000), false);
        assert_eq!(
            en,
            " Any schedule that includes it waits at least 10.00 more in total; the best one found waits 80.00 more (685.00 instead of 605.00)."
        );
        assert_eq!(zh, "若排入本楼，总等待分至少增加10.00；已找到的最好方案多80.00（总等待分685.00，本方案605.00）。");
        assert!(move_sentence(o, &m(0, 8_000), true).0.contains("the search stopped before proving none waits less"));
    }
}
