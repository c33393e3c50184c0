//! `gongzhi plan corridors`: the plans file and the options in, the schedule with every
//! building's explanation out, as JSON or as a text report.

use crate::corridors::csv::read_plans;
use crate::corridors::model::{MAX_FEN, MAX_PHASES, Phase, Policy, Round, Schedule, Waiting, building_cmp};
use crate::corridors::refusal::CorridorRefusal;
use crate::corridors::words::{waiting, yuan};
use crate::corridors::{MoveCost, best_value, costs_of_moving_up, explain, strict};
use crate::kit::{Both, Money, Refused};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One phase of the output: its number, its buildings in the order they were placed, its cost.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PhaseOut {
    pub phase: u32,
    pub buildings: Vec<String>,
    pub cost: Money,
}

/// Explanations keyed by building, in building-number order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanations(pub Vec<(String, Both)>);

impl Serialize for Explanations {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The command's answer. Serialises to exactly
/// `{"policy","phases":[{"phase","buildings","cost"}],"unscheduled","objective","explanations"}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlanOutput {
    pub policy: Policy,
    pub phases: Vec<PhaseOut>,
    pub unscheduled: Vec<String>,
    pub objective: Waiting,
    pub explanations: Explanations,
    #[serde(skip)]
    pub budgets: Vec<Money>,
    #[serde(skip)]
    pub capacities: Vec<u32>,
    #[serde(skip)]
    pub strict_objective: Waiting,
    /// Best value's proved lower bound on the objective.
    #[serde(skip)]
    pub bound: Option<Waiting>,
}

/// `gongzhi plan corridors --plans PLANS.csv --phases P --budget B[,B…] --capacity C[,C…]
/// [--policy strict|best-value]`, with the file's text and each option's raw value.
///
/// - `phases`: a whole number from 1 to 1000;
/// - `budgets`: one amount in yuan for every phase, or exactly P amounts, comma-separated
///   (no thousands separators inside an amount);
/// - `capacity`: buildings per phase, one number for every phase or exactly P;
/// - `policy`: `strict` or `best-value`; when the option is omitted (`None`), **strict**: the
///   residents' committee's transparent order.
///
/// Every refusal is bad input naming the option, the row or the column.
pub fn plan_corridors_cli(
    plans_csv: &str,
    phases: &str,
    budgets: &str,
    capacity: &str,
    policy: Option<&str>,
) -> Result<PlanOutput, Refused> {
    let np = match phases.trim().parse::<u32>() {
        Ok(p) if (1..=MAX_PHASES).contains(&p) => p as usize,
        _ => return CorridorRefusal::BadPhases { value: phases.trim().to_string() }.err(),
    };
    let budgets = per_phase(budgets, np, |s| match Money::parse(s) {
        Ok(m) if (0..=MAX_FEN).contains(&m.fen()) => Ok(m),
        _ => CorridorRefusal::BadBudget { value: s.to_string() }.err(),
    })
    .map_err(|e| e.unwrap_or_else(|given| CorridorRefusal::BudgetCount { given, phases: np }.refused()))?;
    let capacities = per_phase(capacity, np, |s| match s.parse::<u32>() {
        Ok(k) if k >= 1 => Ok(k),
        _ => CorridorRefusal::BadCapacity { value: s.to_string() }.err(),
    })
    .map_err(|e| e.unwrap_or_else(|given| CorridorRefusal::CapacityCount { given, phases: np }.refused()))?;
    let policy = match policy {
        None => Policy::default(),
        Some(p) => {
            Policy::parse(p).ok_or_else(|| CorridorRefusal::BadPolicy { value: p.trim().to_string() }.refused())?
        }
    };
    let plans = read_plans(plans_csv)?;
    let phases = budgets.iter().zip(&capacities).map(|(&budget, &capacity)| Phase { budget, capacity }).collect();
    let round = Round::new(plans, phases)?;
    Ok(plan(&round, policy))
}

/// One value for every phase or one per phase, comma-separated (also `，` and `;`). The error is
/// a refusal of a value, or the number of values when it is neither 1 nor P.
fn per_phase<T: Clone>(
    raw: &str,
    np: usize,
    parse: impl Fn(&str) -> Result<T, Refused>,
) -> Result<Vec<T>, Result<Refused, usize>> {
    let parts: Vec<&str> = raw.split([',', '，', ';']).map(str::trim).collect();
    let values = parts.iter().map(|s| parse(s)).collect::<Result<Vec<T>, Refused>>().map_err(Ok)?;
    match values.len() {
        1 => Ok(vec![values[0].clone(); np]),
        n if n == np => Ok(values),
        n => Err(Err(n)),
    }
}

/// Schedules a round by a policy, with every building's explanation.
pub fn plan(round: &Round, policy: Policy) -> PlanOutput {
    let strict_s = strict(round);
    let (schedule, moving) = match policy {
        Policy::Strict => (strict_s.clone(), Vec::new()),
        Policy::BestValue => {
            let b = best_value(round);
            let m = costs_of_moving_up(round, &b);
            (b, m)
        }
    };
    output(round, &schedule, &strict_s, &moving)
}

fn output(round: &Round, s: &Schedule, strict_s: &Schedule, moving: &[Option<MoveCost>]) -> PlanOutput {
    let plans = round.plans();
    let name = |i: usize| plans[i].building.to_string();
    let why = explain(round, s, strict_s, moving);
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by(|&a, &b| building_cmp(&plans[a].building, &plans[b].building));
    PlanOutput {
        policy: s.policy,
        phases: (0..round.phases().len())
            .map(|p| PhaseOut {
                phase: p as u32 + 1,
                buildings: s.phases[p].iter().map(|&i| name(i)).collect(),
                cost: s.cost(round, p),
            })
            .collect(),
        unscheduled: s.unscheduled(round).into_iter().map(name).collect(),
        objective: s.objective,
        explanations: Explanations(order.into_iter().map(|i| (name(i), why[i].clone())).collect()),
        budgets: round.phases().iter().map(|p| p.budget).collect(),
        capacities: round.phases().iter().map(|p| p.capacity).collect(),
        strict_objective: strict_s.objective,
        bound: s.proof.map(|p| p.bound),
    }
}

impl PlanOutput {
    /// The JSON answer, pretty-printed.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The `--format text` report: the schedule, then each building's explanation in English
    /// and Chinese.
    pub fn text(&self) -> String {
        let np = self.phases.len();
        let mut t = String::new();
        match self.policy {
            Policy::Strict => t += "Corridor renovation schedule: strict order (by score; ties by building number).\n",
            Policy::BestValue => t += "Corridor renovation schedule: best value (least total waiting score).\n",
        }
        t += &format!(
            "Total waiting score (score × phase, unscheduled counting as phase {}): {}\n",
            np + 1,
            waiting(self.objective)
        );
        if self.policy == Policy::BestValue {
            t += &format!("  strict order's: {}\n", waiting(self.strict_objective));
            match self.bound {
                Some(b) if b >= self.objective => t += "  proved optimal: no schedule waits less.\n",
                Some(b) => {
                    let gap = (self.objective.0 - b.0) as f64 / (b.0.max(1)) as f64 * 100.0;
                    t += &format!("  no schedule waits less than {} (within {gap:.3}% of it).\n", waiting(b));
                }
                None => {}
            }
        }
        for (p, ph) in self.phases.iter().enumerate() {
            t += &format!(
                "Phase {} (budget {}, {} places): {} — cost {}\n",
                ph.phase,
                yuan(self.budgets[p]),
                self.capacities[p],
                if ph.buildings.is_empty() { "none".to_string() } else { ph.buildings.join(", ") },
                yuan(ph.cost)
            );
        }
        t += &format!(
            "Unscheduled: {}\n",
            if self.unscheduled.is_empty() { "none".to_string() } else { self.unscheduled.join(", ") }
        );
        t += "\nWhy each building is where it is:\n";
        for (b, e) in &self.explanations.0 {
            t += &format!("\n{b}: {}\n   {}\n", e.en, e.zh);
        }
        t
    }
}
