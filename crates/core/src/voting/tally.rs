//! The lawful tally of a matter (Civil Code Art. 278(2); SPC interpretation Arts. 8–9).
//!
//! - Participation: at least 2/3 of the scope's exclusive area AND of its headcount.
//! - Approval: of the participants, more than half (items 1–5, 9) or at least 3/4 (items 6–8),
//!   by area AND by headcount.
//! - Headcount is one per owner: a multi-unit owner, co-owners of a unit and the developer for
//!   all unsold units count once; their areas add up.
//! - Abstention participates and does not approve.
//! - Every comparison cross-multiplies exact integers; nothing is divided.

use crate::kit::Area;
use crate::registry::{OwnerKey, Unit, UnitNo};
use crate::voting::matter::{Choice, MatterKind, Scope, Threshold};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// One returned ballot: the unit it is for and the choice on it. `row` is where it came from
/// (a file's row number), 0 when it came from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub unit: UnitNo,
    pub choice: Choice,
    pub row: usize,
}

/// A unit whose ballot was delivered (for the deemed-participation clause).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub unit: UnitNo,
    pub row: usize,
}

pub struct TallyInput<'a> {
    /// The electoral roll: every unit of the compound (or at least of the scope).
    pub units: &'a [Unit],
    pub scope: &'a Scope,
    pub kind: MatterKind,
    pub ballots: &'a [Ballot],
    /// `Some` when the compound's rules contain the deemed-participation clause: the units whose
    /// ballot was delivered. Units delivered but not returned then follow the majority.
    pub delivered: Option<&'a [Delivery]>,
}

pub use super::refusal::{At, TallyError, UnitChoice};

/// Owners and exclusive area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Count {
    pub owners: u64,
    pub area: Area,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Explanation {
    pub zh: String,
    pub en: String,
}

/// The result with the deemed-participation clause applied, beside the strict one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Deemed {
    pub participating: Count,
    pub approve: Count,
    pub oppose: Count,
    pub abstain: Count,
    pub deemed_choice: Choice,
    pub participation_met: bool,
    pub approval_met: bool,
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Tally {
    pub matter: MatterKind,
    pub scope: Scope,
    pub threshold: Threshold,
    pub eligible: Count,
    pub participating: Count,
    pub approve: Count,
    pub oppose: Count,
    pub abstain: Count,
    pub participation_met: bool,
    pub approval_met: bool,
    pub passed: bool,
    pub explanation: Explanation,
    pub deemed: Option<Deemed>,
}

// ---------------------------------------------------------------------------------------------
// The counting kernel, on dense indices so that a million ballots take milliseconds.

/// A roll reduced to the scope: unit `i` has area `area[i]` (0.0001 m²) and owner `owner[i]`.
#[derive(Clone, Debug, Default)]
pub struct PreparedRoll {
    pub area: Vec<i64>,
    pub owner: Vec<u32>,
    pub owners: u32,
}

/// What the kernel counts: per choice (approve, oppose, abstain) area and owners.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub area: [i64; 3],
    pub owners: [u64; 3],
}

impl Counts {
    pub fn part_area(&self) -> i64 {
        self.area.iter().sum()
    }
    pub fn part_owners(&self) -> u64 {
        self.owners.iter().sum()
    }
    fn count(&self, c: Choice) -> Count {
        let i = c as usize;
        Count { owners: self.owners[i], area: Area::from_e4(self.area[i]) }
    }
    fn participating(&self) -> Count {
        Count { owners: self.part_owners(), area: Area::from_e4(self.part_area()) }
    }
}

/// The owner index and the two conflicting choices, when a multi-unit owner split their vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub owner: u32,
}

fn choice_of(code: u8) -> Choice {
    Choice::ALL[(code - 1) as usize]
}

impl PreparedRoll {
    pub fn total_area(&self) -> i64 {
        self.area.iter().sum()
    }

    /// Counts returned ballots `(unit index, choice)`; with `delivered`, also the deemed reading.
    /// The caller guarantees each unit index appears at most once in `votes`.
    pub fn count(
        &self,
        votes: &[(u32, Choice)],
        delivered: Option<&[u32]>,
    ) -> Result<(Counts, Option<(Counts, Choice)>), Conflict> {
        // 0: has not voted; 1..=3: the owner's choice + 1
        let mut owner_choice = vec![0u8; self.owners as usize];
        let mut c = Counts::default();
        for &(u, ch) in votes {
            let u = u as usize;
            let o = self.owner[u] as usize;
            let code = ch as u8 + 1;
            c.area[ch as usize] += self.area[u];
            match owner_choice[o] {
                0 => {
                    owner_choice[o] = code;
                    c.owners[ch as usize] += 1;
                }
                x if x == code => {}
                _ => return Err(Conflict { owner: o as u32 }),
            }
        }
        let Some(delivered) = delivered else {
            return Ok((c, None));
        };
        let (pa, po) = (c.part_area(), c.part_owners());
        let majority = Choice::ALL
            .into_iter()
            .find(|&ch| 2 * c.area[ch as usize] > pa && 2 * c.owners[ch as usize] > po)
            .unwrap_or(Choice::Abstain);
        let mut voted = vec![false; self.area.len()];
        for &(u, _) in votes {
            voted[u as usize] = true;
        }
        let mut d = c;
        for &u in delivered {
            let u = u as usize;
            if std::mem::replace(&mut voted[u], true) {
                continue;
            }
            let o = self.owner[u] as usize;
            // An owner who returned a ballot for another unit keeps their own choice.
            let ch = match owner_choice[o] {
                0 => {
                    owner_choice[o] = majority as u8 + 1;
                    d.owners[majority as usize] += 1;
                    majority
                }
                x => choice_of(x),
            };
            d.area[ch as usize] += self.area[u];
        }
        Ok((c, Some((d, majority))))
    }
}

/// Whether a count meets participation and approval; pure integer comparisons.
pub fn judge(threshold: Threshold, total_area: i64, total_owners: u64, c: &Counts) -> (bool, bool) {
    let (pa, po) = (c.part_area() as i128, c.part_owners() as i128);
    let (ta, to) = (total_area as i128, total_owners as i128);
    let participation = 3 * pa >= 2 * ta && 3 * po >= 2 * to;
    let (ya, yo) = (c.area[0] as i128, c.owners[0] as i128);
    let approval = po > 0
        && match threshold {
            Threshold::ThreeQuarters => 4 * ya >= 3 * pa && 4 * yo >= 3 * po,
            Threshold::MoreThanHalf => 2 * ya > pa && 2 * yo > po,
        };
    (participation, approval)
}

// ---------------------------------------------------------------------------------------------
// The checked entry point: unit numbers in, a full tally with its explanation out.

/// Tallies a matter from its roll and ballots, refusing any bad input as a whole: every error
/// found is returned, and no partial result.
pub fn tally(input: &TallyInput<'_>) -> Result<Tally, Vec<TallyError>> {
    let mut errors = Vec::new();
    let scope_s = input.scope.to_string();
    // every unit on the roll, with its index in the scope when it is inside it
    let mut all: HashMap<&UnitNo, Option<u32>> = HashMap::with_capacity(input.units.len());
    let mut roll = PreparedRoll::default();
    let mut owner_idx: HashMap<&OwnerKey, u32> = HashMap::new();
    let mut owner_keys: Vec<&OwnerKey> = Vec::new();
    let mut scope_units: Vec<&Unit> = Vec::new();
    for u in input.units {
        let inside = input.scope.contains(u);
        if all.insert(&u.no, inside.then_some(roll.area.len() as u32)).is_some() {
            errors.push(TallyError::DuplicateRollUnit { unit: u.no.to_string() });
            continue;
        }
        if inside {
            let next = owner_keys.len() as u32;
            let o = *owner_idx.entry(&u.owner).or_insert_with(|| {
                owner_keys.push(&u.owner);
                next
            });
            roll.area.push(u.area.e4());
            roll.owner.push(o);
            scope_units.push(u);
        }
    }
    roll.owners = owner_keys.len() as u32;
    if roll.area.is_empty() {
        errors.push(TallyError::EmptyScope { scope: scope_s.clone() });
    }

    let mut votes: Vec<(u32, Choice)> = Vec::with_capacity(input.ballots.len());
    // the row of each scope unit's first ballot, plus one (0: none yet)
    let mut first_row: Vec<usize> = vec![0; roll.area.len()];
    for b in input.ballots {
        match all.get(&b.unit) {
            Some(Some(i)) => {
                let seen = &mut first_row[*i as usize];
                if *seen > 0 {
                    errors.push(TallyError::DuplicateBallot {
                        unit: b.unit.to_string(),
                        row: At(b.row),
                        first_row: *seen - 1,
                    });
                } else {
                    *seen = b.row + 1;
                    votes.push((*i, b.choice));
                }
            }
            Some(None) => errors.push(TallyError::OutsideScope {
                unit: b.unit.to_string(),
                row: At(b.row),
                scope: scope_s.clone(),
            }),
            None => errors.push(TallyError::UnknownUnit { unit: b.unit.to_string(), row: At(b.row) }),
        }
    }
    let delivered: Option<Vec<u32>> = input.delivered.map(|ds| {
        ds.iter()
            .filter_map(|d| match all.get(&d.unit) {
                Some(Some(i)) => Some(*i),
                Some(None) => {
                    errors.push(TallyError::DeliveredOutsideScope {
                        unit: d.unit.to_string(),
                        row: At(d.row),
                        scope: scope_s.clone(),
                    });
                    None
                }
                None => {
                    errors.push(TallyError::UnknownDelivered { unit: d.unit.to_string(), row: At(d.row) });
                    None
                }
            })
            .collect()
    });

    let (counts, deemed) = match roll.count(&votes, delivered.as_deref()) {
        Ok(r) if errors.is_empty() => r,
        Ok(_) => return Err(errors),
        Err(_) => {
            errors.extend(owner_conflicts(&roll, &votes, &owner_keys, &scope_units));
            return Err(errors);
        }
    };
    let total_area = roll.total_area();
    let total_owners = roll.owners as u64;
    let threshold = input.kind.threshold();
    let (pm, am) = judge(threshold, total_area, total_owners, &counts);
    let eligible = Count { owners: total_owners, area: Area::from_e4(total_area) };
    let deemed = deemed.map(|(d, choice)| {
        let (dpm, dam) = judge(threshold, total_area, total_owners, &d);
        Deemed {
            participating: d.participating(),
            approve: d.count(Choice::Approve),
            oppose: d.count(Choice::Oppose),
            abstain: d.count(Choice::Abstain),
            deemed_choice: choice,
            participation_met: dpm,
            approval_met: dam,
            passed: dpm && dam,
        }
    });
    let mut t = Tally {
        matter: input.kind,
        scope: input.scope.clone(),
        threshold,
        eligible,
        participating: counts.participating(),
        approve: counts.count(Choice::Approve),
        oppose: counts.count(Choice::Oppose),
        abstain: counts.count(Choice::Abstain),
        participation_met: pm,
        approval_met: am,
        passed: pm && am,
        explanation: Explanation { zh: String::new(), en: String::new() },
        deemed,
    };
    t.explanation = explain(&t);
    Ok(t)
}

/// Every owner who split their vote, with each of their units named, not only the first clash.
fn owner_conflicts(
    roll: &PreparedRoll,
    votes: &[(u32, Choice)],
    owner_keys: &[&OwnerKey],
    units: &[&Unit],
) -> Vec<TallyError> {
    let mut per_owner: HashMap<u32, Vec<(u32, Choice)>> = HashMap::new();
    for &(u, ch) in votes {
        per_owner.entry(roll.owner[u as usize]).or_default().push((u, ch));
    }
    let mut conflicts: Vec<(u32, Vec<(u32, Choice)>)> =
        per_owner.into_iter().filter(|(_, v)| v.iter().any(|(_, c)| *c != v[0].1)).collect();
    conflicts.sort_by_key(|(o, _)| owner_keys[*o as usize]);
    conflicts
        .into_iter()
        .map(|(o, mut v)| {
            v.sort_by_key(|(u, _)| &units[*u as usize].no);
            let detail =
                v.iter().map(|(u, c)| UnitChoice { unit: units[*u as usize].no.to_string(), choice: *c }).collect();
            TallyError::OwnerConflict { owner: owner_keys[o as usize].to_string(), detail }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The explanation: what was needed, what was reached, by how much, and what more was needed.

/// Minimum owners and area that meet a share of a base.
struct Need {
    owners: u64,
    area: Area,
}

fn need_participation(e: &Count) -> Need {
    Need { owners: (2 * e.owners).div_ceil(3), area: e.area.ceil_fraction(2, 3) }
}

fn need_approval(t: Threshold, p: &Count) -> Need {
    match t {
        Threshold::ThreeQuarters => Need { owners: (3 * p.owners).div_ceil(4), area: p.area.ceil_fraction(3, 4) },
        Threshold::MoreThanHalf => Need { owners: p.owners / 2 + 1, area: Area::from_e4(p.area.e4() / 2 + 1) },
    }
}

/// A share as a percentage with two decimals, for reading only (never for deciding).
fn pct(part: i128, whole: i128) -> String {
    if whole == 0 {
        return "0.00".into();
    }
    let v = (part * 20_000 + whole) / (2 * whole);
    format!("{}.{:02}", v / 100, v % 100)
}

struct Line {
    zh: String,
    en: String,
}

/// What a line of the explanation measures: its label and its rule, in both languages.
struct Test<'a> {
    label_zh: &'a str,
    label_en: &'a str,
    rule_zh: &'a str,
    rule_en: &'a str,
}

fn gap_line(test: &Test<'_>, need: &Need, got: &Count, base: &Count, met: bool) -> Line {
    let Test { label_zh, label_en, rule_zh, rule_en } = test;
    let head_zh = format!(
        "{label_zh}：需{rule_zh}（至少 {} 人、{} 平方米）；实际 {} 人（{}%）、{} 平方米（{}%）",
        need.owners,
        need.area,
        got.owners,
        pct(got.owners as i128, base.owners as i128),
        got.area,
        pct(got.area.e4() as i128, base.area.e4() as i128)
    );
    let head_en = format!(
        "{label_en}: needs {rule_en} (at least {} owners and {} m²); reached {} owners ({}%) and {} m² ({}%)",
        need.owners,
        need.area,
        got.owners,
        pct(got.owners as i128, base.owners as i128),
        got.area,
        pct(got.area.e4() as i128, base.area.e4() as i128)
    );
    let more_o = need.owners.saturating_sub(got.owners);
    let more_a = need.area.saturating_sub(got.area);
    if met {
        let over_o = got.owners - need.owners.min(got.owners);
        let over_a = got.area.saturating_sub(need.area);
        Line {
            zh: format!("{head_zh}，已达到，超出 {over_o} 人、{over_a} 平方米。"),
            en: format!("{head_en}: met, with {over_o} owners and {over_a} m² to spare."),
        }
    } else {
        Line {
            zh: format!("{head_zh}，未达到，还差 {more_o} 人、{more_a} 平方米。"),
            en: format!("{head_en}: not met, short by {more_o} owners and {more_a} m²."),
        }
    }
}

fn rules(t: Threshold) -> (&'static str, &'static str) {
    match t {
        Threshold::ThreeQuarters => (
            "参与表决专有部分面积和参与表决人数均达四分之三以上同意",
            "at least three quarters of the participating area and of the participating owners to approve",
        ),
        Threshold::MoreThanHalf => (
            "参与表决专有部分面积和参与表决人数均过半数同意",
            "more than half of the participating area and of the participating owners to approve",
        ),
    }
}

fn explain(t: &Tally) -> Explanation {
    let (rule_zh, rule_en) = rules(t.threshold);
    let mut zh = format!(
        "表决事项属于《民法典》第二百七十八条“{}”，需{}。表决范围：{}，共 {} 人、专有部分面积 {} 平方米。\n",
        t.matter.name_zh(),
        rule_zh,
        t.scope.name_zh(),
        t.eligible.owners,
        t.eligible.area
    );
    let mut en = format!(
        "This matter is \"{}\" under Civil Code Art. 278, which needs {}. Scope: {}, {} owners with {} m² of exclusive area.\n",
        t.matter.name_en(),
        rule_en,
        t.scope.name_en(),
        t.eligible.owners,
        t.eligible.area
    );
    let reading = |part: &Count, yes: &Count, pm: bool, am: bool, zh: &mut String, en: &mut String| {
        let p = gap_line(
            &Test {
                label_zh: "参与表决",
                label_en: "Participation",
                rule_zh: "专有部分面积和人数均占三分之二以上",
                rule_en: "two thirds or more of the area and of the owners",
            },
            &need_participation(&t.eligible),
            part,
            &t.eligible,
            pm,
        );
        let (rule_zh, rule_en) = match t.threshold {
            Threshold::ThreeQuarters => {
                ("参与表决面积和人数的四分之三以上", "three quarters or more of the participating area and owners")
            }
            Threshold::MoreThanHalf => {
                ("参与表决面积和人数均过半数", "more than half of the participating area and owners")
            }
        };
        let a = gap_line(
            &Test { label_zh: "同意", label_en: "Approval", rule_zh, rule_en },
            &need_approval(t.threshold, part),
            yes,
            part,
            am,
        );
        zh.push_str(&p.zh);
        zh.push('\n');
        zh.push_str(&a.zh);
        zh.push('\n');
        en.push_str(&p.en);
        en.push('\n');
        en.push_str(&a.en);
        en.push('\n');
    };
    reading(&t.participating, &t.approve, t.participation_met, t.approval_met, &mut zh, &mut en);
    zh.push_str(&format!(
        "反对 {} 人、{} 平方米；弃权 {} 人、{} 平方米（弃权计入参与，不计入同意）。结果：{}。",
        t.oppose.owners,
        t.oppose.area,
        t.abstain.owners,
        t.abstain.area,
        if t.passed { "通过" } else { "未通过" }
    ));
    en.push_str(&format!(
        "Opposed: {} owners, {} m²; abstained: {} owners, {} m² (abstentions count as participating, not as approving). Result: {}.",
        t.oppose.owners,
        t.oppose.area,
        t.abstain.owners,
        t.abstain.area,
        if t.passed { "PASSED" } else { "NOT PASSED" }
    ));
    if let Some(d) = &t.deemed {
        let added = Count {
            owners: d.participating.owners - t.participating.owners,
            area: d.participating.area - t.participating.area,
        };
        zh.push_str(&format!(
            "\n按议事规则中的“送达即视为参与、未表决视为同意多数意见”条款：送达未返回的 {} 人、{} 平方米视为{}。按此读法：\n",
            added.owners,
            added.area,
            d.deemed_choice.name_zh()
        ));
        en.push_str(&format!(
            "\nUnder the rules' clause that a delivered ballot counts as participating and follows the majority: {} owners with {} m² delivered but not returned are deemed to {}. On that reading:\n",
            added.owners,
            added.area,
            d.deemed_choice.as_str()
        ));
        reading(&d.participating, &d.approve, d.participation_met, d.approval_met, &mut zh, &mut en);
        zh.push_str(&format!(
            "结果：{}。此条款的效力在法院有不同意见，严格读法（仅计返回的表决票）见上。",
            if d.passed { "通过" } else { "未通过" }
        ));
        en.push_str(&format!(
            "Result: {}. Courts differ on such clauses; the strict reading (returned ballots only) is given above.",
            if d.passed { "PASSED" } else { "NOT PASSED" }
        ));
    }
    Explanation { zh, en }
}

impl fmt::Display for Tally {
    /// The tally for a person to read, in Chinese then English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Count| {
            writeln!(f, "  {name:<14} {:>6} owners  {:>14} m²", c.owners, c.area.to_string())
        };
        writeln!(
            f,
            "matter: {}   scope: {}   threshold: {}",
            self.matter,
            self.scope,
            match self.threshold {
                Threshold::ThreeQuarters => "three-quarters",
                Threshold::MoreThanHalf => "more-than-half",
            }
        )?;
        row(f, "eligible", &self.eligible)?;
        row(f, "participating", &self.participating)?;
        row(f, "approve", &self.approve)?;
        row(f, "oppose", &self.oppose)?;
        row(f, "abstain", &self.abstain)?;
        let yn = |b: bool| if b { "yes" } else { "no" };
        writeln!(
            f,
            "participation met: {}   approval met: {}   PASSED: {}",
            yn(self.participation_met),
            yn(self.approval_met),
            yn(self.passed)
        )?;
        if let Some(d) = &self.deemed {
            writeln!(f, "deemed reading (delivered, not returned → {}):", d.deemed_choice.as_str())?;
            row(f, "participating", &d.participating)?;
            row(f, "approve", &d.approve)?;
            row(f, "oppose", &d.oppose)?;
            row(f, "abstain", &d.abstain)?;
            writeln!(
                f,
                "participation met: {}   approval met: {}   PASSED: {}",
                yn(d.participation_met),
                yn(d.approval_met),
                yn(d.passed)
            )?;
        }
        writeln!(f)?;
        writeln!(f, "{}", self.explanation.zh)?;
        writeln!(f)?;
        write!(f, "{}", self.explanation.en)
    }
}

#[cfg(test)]
mod tests;
