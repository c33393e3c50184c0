//! The count of a `committee-election` matter (Civil Code Art. 278(1) item 3, (2)), exactly:
//!
//! 1. Participation: at least 2/3 of the exclusive area AND at least 2/3 of the owners returned a
//!    ballot (a blank or void ballot participates). Otherwise nobody is elected and every seat
//!    stays open.
//! 2. A candidate qualifies (`majority`) with approving area > 1/2 of the participating area AND
//!    approving owners > 1/2 of the participating owners.
//! 3. Qualifying candidates take places in ranking order (approving owners, then approving area):
//!    places 1..=seats are the seats, the next `alternates` places the alternates (候补委员).
//! 4. Candidates with the same owners and area tie. A tie that a boundary would split is not
//!    split: at the last seat none of them is elected, the seat(s) stay open (a re-vote by
//!    default) and they are listed in `tie`; they keep their places, so alternates below them
//!    start after them (whoever loses the re-vote becomes the first alternate). A tie at the last
//!    alternate place names none of them an alternate and leaves the place empty
//!    ([`ElectionResult::alternate_tie`]).
//! 5. A ballot approving more names than seats + alternates is void: it participates and
//!    approves nobody.
//!
//! Headcount as in [`crate::tally`]: one head per owner however many units; an owner's units must
//! carry the same approvals; a unit without a ballot does not participate, even when another unit
//! of its owner has one. Every threshold cross-multiplies integers; nothing is divided.

use crate::committee::refusal::CommitteeRefusal as R;
use crate::kit::{Area, Both, Lines, Refused};
use crate::registry::{OwnerKey, Unit, UnitNo};
use crate::voting::tally::Count;
use serde::Serialize;
use std::collections::HashMap;

/// One returned ballot of an election: the names it approves (empty: a blank ballot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectionBallot {
    pub unit: UnitNo,
    pub approve: Vec<String>,
    /// Where it came from (a file's row), 0 when from elsewhere.
    pub row: usize,
}

pub struct ElectionInput<'a> {
    /// The electoral roll: every unit of the compound.
    pub units: &'a [Unit],
    /// The candidates in the slate's order (the last tie-break of the ranking's display).
    pub slate: &'a [String],
    pub seats: u32,
    pub alternates: u32,
    pub ballots: &'a [ElectionBallot],
}

/// One candidate's count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CandidateCount {
    pub name: String,
    pub owners: u64,
    pub area: Area,
    /// More than half of the participating area and owners approve.
    pub majority: bool,
}

/// The result; serialises to exactly the JSON of `gongzhi elect`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ElectionResult {
    pub seats: u32,
    pub alternates_wanted: u32,
    pub eligible: Count,
    pub participating: Count,
    pub participation_met: bool,
    /// In ranking order: approving owners, then area, both descending, then slate order.
    pub candidates: Vec<CandidateCount>,
    pub elected: Vec<String>,
    /// In order: the first fills the first vacancy.
    pub alternates: Vec<String>,
    /// Tied at the last seat: none elected, the seat(s) stay open.
    pub tie: Vec<String>,
    pub open_seats: u32,
    /// Units whose ballot approved too many names, in register order.
    pub void: Vec<UnitNo>,
    /// Tied at the last alternate place: none of them an alternate, the place left empty.
    #[serde(skip)]
    pub alternate_tie: Vec<String>,
    /// Each candidate's counts and the rule, in both languages.
    #[serde(skip)]
    pub explanation: Both,
}

/// What became of a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Elected,
    /// The n-th alternate (1-based).
    Alternate(usize),
    Tie,
    AlternateTie,
    NotElected,
}

impl ElectionResult {
    pub fn outcome(&self, name: &str) -> Outcome {
        let is = |v: &[String]| v.iter().any(|n| n == name);
        if is(&self.elected) {
            Outcome::Elected
        } else if let Some(i) = self.alternates.iter().position(|n| n == name) {
            Outcome::Alternate(i + 1)
        } else if is(&self.tie) {
            Outcome::Tie
        } else if is(&self.alternate_tie) {
            Outcome::AlternateTie
        } else {
            Outcome::NotElected
        }
    }
}

/// The ballots checked against the roll and the slate, ready to count.
pub(crate) struct Checked {
    /// Per roll unit: its area (0.0001 m²), its owner's index, its ballot (sorted candidate
    /// indices) if it returned one.
    area: Vec<i64>,
    owner: Vec<u32>,
    owners: u32,
    ballot: Vec<Option<Vec<u32>>>,
    units: Vec<UnitNo>,
}

/// Refuses a bad slate: empty, or a name twice or blank.
pub(crate) fn check_slate(slate: &[String]) -> Result<(), R> {
    if slate.iter().all(|n| n.trim().is_empty()) {
        return Err(R::NoCandidates);
    }
    for (i, n) in slate.iter().enumerate() {
        if n.trim().is_empty() {
            return Err(R::NoCandidates);
        }
        if slate[..i].iter().any(|m| m.trim() == n.trim()) {
            return Err(R::CandidateTwice { name: n.trim().to_string() });
        }
    }
    Ok(())
}

/// Every error of the ballots, or the checked ballots. The slate must have passed [`check_slate`].
pub(crate) fn check(units: &[Unit], slate: &[String], ballots: &[ElectionBallot]) -> Result<Checked, Vec<R>> {
    let mut errors = Vec::new();
    if units.is_empty() {
        return Err(vec![R::NoUnits]);
    }
    let mut at: HashMap<&UnitNo, usize> = HashMap::with_capacity(units.len());
    let mut owner_idx: HashMap<&OwnerKey, u32> = HashMap::new();
    let mut owner_keys: Vec<&OwnerKey> = Vec::new();
    let mut c = Checked { area: vec![], owner: vec![], owners: 0, ballot: vec![], units: vec![] };
    for u in units {
        if at.insert(&u.no, c.area.len()).is_some() {
            errors.push(R::RollUnitTwice { unit: u.no.to_string() });
            continue;
        }
        let next = owner_keys.len() as u32;
        let o = *owner_idx.entry(&u.owner).or_insert_with(|| {
            owner_keys.push(&u.owner);
            next
        });
        c.area.push(u.area.e4());
        c.owner.push(o);
        c.units.push(u.no.clone());
    }
    c.owners = owner_keys.len() as u32;
    c.ballot = vec![None; c.area.len()];
    let index: HashMap<&str, u32> = slate.iter().enumerate().map(|(i, n)| (n.trim(), i as u32)).collect();
    let mut first_row: Vec<usize> = vec![0; c.area.len()];
    for b in ballots {
        let mut approve = Vec::with_capacity(b.approve.len());
        let mut ok = true;
        for name in &b.approve {
            let name = name.trim();
            match index.get(name) {
                Some(&i) if approve.contains(&i) => {
                    ok = false;
                    errors.push(R::NameTwiceOnBallot { row: b.row, unit: b.unit.to_string(), name: name.into() });
                }
                Some(&i) => approve.push(i),
                None => {
                    ok = false;
                    errors.push(R::NameNotOnSlate { row: b.row, unit: b.unit.to_string(), name: name.into() });
                }
            }
        }
        approve.sort_unstable();
        match at.get(&b.unit) {
            None => errors.push(R::UnknownUnit { row: b.row, unit: b.unit.to_string() }),
            Some(&u) if first_row[u] > 0 => {
                errors.push(R::UnitTwice { unit: b.unit.to_string(), first_row: first_row[u] - 1, row: b.row })
            }
            Some(&u) => {
                first_row[u] = b.row + 1;
                if ok {
                    c.ballot[u] = Some(approve);
                }
            }
        }
    }
    if errors.is_empty() {
        errors.extend(owner_conflicts(&c, &owner_keys, slate));
    }
    if errors.is_empty() { Ok(c) } else { Err(errors) }
}

/// Every owner whose units carry different approvals, each with all their units named.
fn owner_conflicts(c: &Checked, keys: &[&OwnerKey], slate: &[String]) -> Vec<R> {
    let mut first: Vec<Option<usize>> = vec![None; c.owners as usize];
    let mut split: Vec<bool> = vec![false; c.owners as usize];
    for (u, b) in c.ballot.iter().enumerate() {
        let Some(b) = b else { continue };
        let o = c.owner[u] as usize;
        match first[o] {
            None => first[o] = Some(u),
            Some(f) => split[o] |= c.ballot[f].as_ref() != Some(b),
        }
    }
    let mut out: Vec<(&OwnerKey, R)> = (0..c.owners as usize)
        .filter(|&o| split[o])
        .map(|o| {
            let units: Vec<String> = (0..c.area.len())
                .filter(|&u| c.owner[u] as usize == o)
                .filter_map(|u| {
                    let b = c.ballot[u].as_ref()?;
                    let names: Vec<&str> = b.iter().map(|&i| slate[i as usize].trim()).collect();
                    let names = if names.is_empty() { "(blank)".to_string() } else { names.join(";") };
                    Some(format!("{}: {names}", c.units[u]))
                })
                .collect();
            (keys[o], R::OwnerUnitsDiffer { owner: keys[o].to_string(), units: units.join(", ") })
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out.into_iter().map(|(_, r)| r).collect()
}

/// One refusal from several: itself when alone, else all of them, one a line.
pub(crate) fn combine(mut errors: Vec<R>) -> Refused {
    if errors.len() == 1 {
        return errors.remove(0).refused();
    }
    let lines = errors
        .iter()
        .map(|e| Both { zh: crate::kit::Refusal::zh(e), en: crate::kit::Refusal::en(e) })
        .collect::<Vec<_>>();
    R::BadBallots { count: lines.len(), lines: Lines(lines) }.refused()
}

/// Counts an election, refusing bad input as a whole (every bad ballot named).
pub fn count_election(input: &ElectionInput<'_>) -> Result<ElectionResult, Refused> {
    check_slate(input.slate)?;
    if input.seats == 0 {
        return Err(R::BadSeats { value: "0".into() }.refused());
    }
    let checked = check(input.units, input.slate, input.ballots).map_err(combine)?;
    Ok(count_checked(&checked, input.slate, input.seats, input.alternates))
}

pub(crate) fn count_checked(c: &Checked, slate: &[String], seats: u32, alternates: u32) -> ElectionResult {
    let n = slate.len();
    let limit = seats as usize + alternates as usize;
    let mut part_area = 0i64;
    let mut part_owner = vec![false; c.owners as usize];
    // per candidate: approving area, and whether each owner approves (one head per owner)
    let mut area = vec![0i64; n];
    let mut owners = vec![0u64; n];
    let mut counted_owner = vec![false; c.owners as usize];
    let mut void = Vec::new();
    for (u, b) in c.ballot.iter().enumerate() {
        let Some(b) = b else { continue };
        let o = c.owner[u] as usize;
        part_area += c.area[u];
        part_owner[o] = true;
        if b.len() > limit {
            void.push(c.units[u].clone());
            continue;
        }
        let first_of_owner = !std::mem::replace(&mut counted_owner[o], true);
        for &i in b {
            area[i as usize] += c.area[u];
            if first_of_owner {
                owners[i as usize] += 1;
            }
        }
    }
    let part_owners = part_owner.iter().filter(|&&p| p).count() as u64;
    let total_area: i64 = c.area.iter().sum();
    let total_owners = c.owners as u64;
    let participation_met =
        3 * part_area as i128 >= 2 * total_area as i128 && 3 * part_owners as i128 >= 2 * total_owners as i128;
    let majority = |i: usize| 2 * area[i] as i128 > part_area as i128 && 2 * owners[i] as i128 > part_owners as i128;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| owners[b].cmp(&owners[a]).then(area[b].cmp(&area[a])).then(a.cmp(&b)));

    let (mut elected, mut alts, mut tie, mut alt_tie) = (vec![], vec![], vec![], vec![]);
    if participation_met {
        let name = |i: usize| slate[i].trim().to_string();
        let qualifying: Vec<usize> = order.iter().copied().filter(|&i| majority(i)).collect();
        let mut start = 0;
        for group in qualifying.chunk_by(|&a, &b| owners[a] == owners[b] && area[a] == area[b]) {
            let end = start + group.len();
            let names = group.iter().map(|&i| name(i));
            if end <= seats as usize {
                elected.extend(names);
            } else if start < seats as usize {
                tie.extend(names);
            } else if end <= limit {
                alts.extend(names);
            } else if start < limit {
                alt_tie.extend(names);
            } else {
                break;
            }
            start = end;
        }
    }
    let candidates: Vec<CandidateCount> = order
        .iter()
        .map(|&i| CandidateCount {
            name: slate[i].trim().to_string(),
            owners: owners[i],
            area: Area::from_e4(area[i]),
            majority: majority(i),
        })
        .collect();
    let mut r = ElectionResult {
        seats,
        alternates_wanted: alternates,
        eligible: Count { owners: total_owners, area: Area::from_e4(total_area) },
        participating: Count { owners: part_owners, area: Area::from_e4(part_area) },
        participation_met,
        candidates,
        open_seats: seats - elected.len() as u32,
        elected,
        alternates: alts,
        tie,
        void,
        alternate_tie: alt_tie,
        explanation: Both { zh: String::new(), en: String::new() },
    };
    r.explanation = explain(&r);
    r
}

// ---------------------------------------------------------------------------------------------
// The explanation: the rule, participation, and each candidate's counts against it.

const RULE_ZH: &str = "计票规则：参与表决的业主人数和专有部分面积均须达到全体的三分之二以上，否则无人当选、全部席位空缺；\
候选人须获参与表决专有部分面积过半数且参与表决人数过半数同意，方为有效；有效候选人按同意人数、再按同意面积从高到低依次当选，\
其后依次为候补委员；最后一个席位出现同意人数与面积均相同的并列时，并列者均不当选，该席位空缺，默认重新投票，\
并列者保留名次，候补从其后起算；最后一个候补名额出现并列时，该名额空缺；同意人数超过应选名额（席位加候补）的选票无效，\
计入参与、不计入同意；空白票计入参与。一名业主无论拥有几套房屋只计一人，各套房屋的选票须一致。";

const RULE_EN: &str = "Rule: owners holding at least two thirds of the exclusive area and at least two thirds of the owners \
must take part, or nobody is elected and every seat stays open. A candidate qualifies with the approval of more than half of \
the participating area and more than half of the participating owners. Qualifying candidates take the seats by approving \
owners, then approving area; the next ones are alternates in order. Candidates tied (same owners and area) at the last seat \
are none of them elected and the seat stays open for a re-vote; they keep their places, so alternates count after them. A tie \
at the last alternate place leaves that place empty. A ballot approving more names than seats plus alternates is void: it \
takes part and approves nobody. A blank ballot takes part. An owner counts once however many units they hold, and all their \
units must carry the same approvals.";

fn explain(r: &ElectionResult) -> Both {
    let (e, p) = (&r.eligible, &r.participating);
    let need_po = (2 * e.owners).div_ceil(3);
    let need_pa = e.area.ceil_fraction(2, 3);
    let mut zh = format!(
        "{RULE_ZH}\n应选委员 {} 名、候补 {} 名。全体业主 {} 人、专有部分面积 {} 平方米；参与表决 {} 人、{} 平方米\
        （需至少 {} 人且 {} 平方米）：{}。\n",
        r.seats,
        r.alternates_wanted,
        e.owners,
        e.area,
        p.owners,
        p.area,
        need_po,
        need_pa,
        if r.participation_met { "已达到" } else { "未达到，无人当选，全部席位空缺" }
    );
    let mut en = format!(
        "{RULE_EN}\nSeats: {}, alternates wanted: {}. Eligible: {} owners, {} m²; participating: {} owners, {} m² \
        (at least {} owners and {} m² needed): {}.\n",
        r.seats,
        r.alternates_wanted,
        e.owners,
        e.area,
        p.owners,
        p.area,
        need_po,
        need_pa,
        if r.participation_met { "met" } else { "NOT met, nobody is elected and every seat stays open" }
    );
    let need_o = p.owners / 2 + 1;
    let need_a = Area::from_e4(p.area.e4() / 2 + 1);
    for c in &r.candidates {
        let (ozh, oen) = match r.outcome(&c.name) {
            Outcome::Elected => ("当选".to_string(), "ELECTED".to_string()),
            Outcome::Alternate(k) => (format!("候补第 {k} 名"), format!("alternate no. {k}")),
            Outcome::Tie => ("最后席位并列，未当选，席位空缺".into(), "tied at the last seat, not elected".into()),
            Outcome::AlternateTie => ("最后候补名额并列，未列为候补".into(), "tied at the last alternate place".into()),
            Outcome::NotElected => ("未当选".into(), "not elected".into()),
        };
        zh.push_str(&format!(
            "{}：同意 {} 人、{} 平方米（过半数需至少 {} 人且 {} 平方米）；{}；{}。\n",
            c.name,
            c.owners,
            c.area,
            need_o,
            need_a,
            if c.majority { "过半数" } else { "未过半数" },
            ozh
        ));
        en.push_str(&format!(
            "{}: approved by {} owners, {} m² (a majority needs at least {} owners and {} m²); {}; {}.\n",
            c.name,
            c.owners,
            c.area,
            need_o,
            need_a,
            if c.majority { "majority" } else { "no majority" },
            oen
        ));
    }
    if !r.void.is_empty() {
        let units: Vec<&str> = r.void.iter().map(|u| u.as_str()).collect();
        zh.push_str(&format!("无效票（同意人数超过 {} 名）：{}。\n", r.seats + r.alternates_wanted, units.join("、")));
        en.push_str(&format!(
            "Void ballots (more than {} names): {}.\n",
            r.seats + r.alternates_wanted,
            units.join(", ")
        ));
    }
    zh.push_str(&format!("空缺席位 {} 个。", r.open_seats));
    en.push_str(&format!("Open seats: {}.", r.open_seats));
    if !r.tie.is_empty() {
        zh.push_str(&format!("并列者 {} 须重新投票。", r.tie.join("、")));
        en.push_str(&format!(" A re-vote is needed between {}.", r.tie.join(", ")));
    }
    Both { zh, en }
}

impl ElectionResult {
    /// The result for a person to read: a table, then the explanation in Chinese and English.
    pub fn text(&self) -> String {
        let mut s = format!(
            "seats {}   alternates wanted {}\n  {:<14} {:>6} owners  {:>14} m²\n  {:<14} {:>6} owners  {:>14} m²\n\
             participation met: {}\n\ncandidates (ranking order):\n",
            self.seats,
            self.alternates_wanted,
            "eligible",
            self.eligible.owners,
            self.eligible.area.to_string(),
            "participating",
            self.participating.owners,
            self.participating.area.to_string(),
            if self.participation_met { "yes" } else { "no" }
        );
        for c in &self.candidates {
            let outcome = match self.outcome(&c.name) {
                Outcome::Elected => "elected".to_string(),
                Outcome::Alternate(k) => format!("alternate {k}"),
                Outcome::Tie => "tie at last seat".into(),
                Outcome::AlternateTie => "tie at last alternate place".into(),
                Outcome::NotElected => "-".into(),
            };
            s.push_str(&format!(
                "  {:<14} {:>6} owners  {:>14} m²  majority: {:<3}  {outcome}\n",
                c.name,
                c.owners,
                c.area.to_string(),
                if c.majority { "yes" } else { "no" }
            ));
        }
        let list = |v: &[String]| if v.is_empty() { "(none)".to_string() } else { v.join(", ") };
        let units: Vec<String> = self.void.iter().map(|u| u.to_string()).collect();
        s.push_str(&format!(
            "\nelected: {}\nalternates: {}\ntie: {}\nopen seats: {}\nvoid ballots: {}\n\n{}\n\n{}\n",
            list(&self.elected),
            list(&self.alternates),
            list(&self.tie),
            self.open_seats,
            list(&units),
            self.explanation.zh,
            self.explanation.en
        ));
        s
    }
}

#[cfg(test)]
mod tests;
