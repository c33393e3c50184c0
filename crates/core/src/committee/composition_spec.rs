//! The compound's composition rules as its settings page writes them, one per line, and back.
//!
//! Building groups, one per line: `北区: 1-16` or `南区：17,18,20-33` (buildings by number, ranges
//! included).
//!
//! Rules, one per line: a trait, then a bound.
//! - traits: `party` (party members), `group:北区`, `each-group` (every group separately),
//!   `age:35-60`, `profession:律师`, `housing:商品房`;
//! - bounds: `>= 2`, `<= 3`, `2-4` (a count), `>= 1/3`, `<= 1/2` (a share of the slate);
//!   `至少` and `至多` may stand for `>=` and `<=`.
//!
//! Every line that cannot be read is named with its number and the reason.

use crate::committee::candidates::{Bound, Composition, CompositionRule, Share, Trait};
use crate::committee::refusal::CommitteeRefusal as R;
use crate::kit::Refused;
use crate::registry::BuildingNo;
use jiff::civil::Date;

fn line_error(field: &str, line: usize, text: &str, reason: &str) -> Refused {
    R::CompositionLine { field: field.into(), line, text: text.into(), reason: reason.into() }.refused()
}

fn buildings(s: &str) -> Option<Vec<BuildingNo>> {
    let mut out = Vec::new();
    for part in s.split([',', '，', '、', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if a > b || b - a > 10_000 {
                    return None;
                }
                out.extend((a..=b).filter_map(|n| BuildingNo::parse(&n.to_string())));
            }
            None => out.push(BuildingNo::parse(part)?),
        }
    }
    (!out.is_empty()).then_some(out)
}

fn share(s: &str) -> Option<Share> {
    let (n, d) = s.split_once('/')?;
    let (num, den): (u32, u32) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
    (den > 0 && num <= den).then_some(Share { num, den })
}

fn bound(s: &str) -> Option<Bound> {
    let s = s.trim();
    let (op, rest) = if let Some(r) = s.strip_prefix(">=").or_else(|| s.strip_prefix("至少")) {
        (">=", r.trim())
    } else if let Some(r) = s.strip_prefix("<=").or_else(|| s.strip_prefix("至多")) {
        ("<=", r.trim())
    } else {
        ("", s)
    };
    if rest.contains('/') {
        let x = share(rest)?;
        return match op {
            ">=" => Some(Bound::Share { min: Some(x), max: None }),
            "<=" => Some(Bound::Share { min: None, max: Some(x) }),
            _ => None,
        };
    }
    match op {
        ">=" => Some(Bound::Count { min: Some(rest.parse().ok()?), max: None }),
        "<=" => Some(Bound::Count { min: None, max: Some(rest.parse().ok()?) }),
        _ => {
            let (a, b) = rest.split_once('-')?;
            let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some(Bound::Count { min: Some(a), max: Some(b) })
        }
    }
}

fn trait_of(s: &str, groups: &[(String, Vec<BuildingNo>)]) -> Result<Trait, &'static str> {
    let (k, v) = s.split_once([':', '：']).map(|(k, v)| (k.trim(), v.trim())).unwrap_or((s.trim(), ""));
    match (k, v) {
        ("party", "") => Ok(Trait::PartyMember),
        ("each-group", "") if groups.is_empty() => Err("each-group needs building groups"),
        ("each-group", "") => Ok(Trait::EachBuildingGroup),
        ("group", g) if groups.iter().any(|(n, _)| n == g) => Ok(Trait::BuildingGroup { group: g.into() }),
        ("group", _) => Err("no building group of that name"),
        ("age", r) => {
            let (a, b) = r.split_once('-').ok_or("age needs a range like 35-60")?;
            let (from, to) = (
                a.trim().parse().map_err(|_| "age needs whole years")?,
                b.trim().parse().map_err(|_| "age needs whole years")?,
            );
            if from > to {
                return Err("the age range runs backwards");
            }
            Ok(Trait::AgeBetween { from, to })
        }
        ("profession", n) if !n.is_empty() => Ok(Trait::Profession { name: n.into() }),
        ("housing", n) if !n.is_empty() => Ok(Trait::HousingType { name: n.into() }),
        _ => Err("not party, group:NAME, each-group, age:A-B, profession:NAME or housing:NAME"),
    }
}

/// Reads the settings' two texts; `age_on` is the day ages are counted on. Empty texts: no rules.
pub fn parse_composition(groups: &str, rules: &str, age_on: Date) -> Result<Option<Composition>, Refused> {
    let mut gs: Vec<(String, Vec<BuildingNo>)> = Vec::new();
    for (i, line) in groups.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let Some((name, list)) = line.split_once([':', '：']) else {
            return Err(line_error("groups", i + 1, line, "write it as NAME: 1-16"));
        };
        let name = name.trim();
        if name.is_empty() || gs.iter().any(|(n, _)| n == name) {
            return Err(line_error("groups", i + 1, line, "the group needs a name of its own"));
        }
        let Some(bs) = buildings(list) else {
            return Err(line_error("groups", i + 1, line, "list buildings like 1-16 or 17,18,20"));
        };
        gs.push((name.into(), bs));
    }
    let mut rs = Vec::new();
    for (i, line) in rules.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let t = line.trim();
        let split = t
            .find(|c: char| c.is_whitespace())
            .ok_or_else(|| line_error("rules", i + 1, line, "write a trait and a bound, like party >= 1/2"))?;
        let (what, b) = t.split_at(split);
        let of = trait_of(what, &gs).map_err(|r| line_error("rules", i + 1, line, r))?;
        let bound = bound(b)
            .ok_or_else(|| line_error("rules", i + 1, line, "the bound is not >= N, <= N, A-B, >= P/Q or <= P/Q"))?;
        rs.push(CompositionRule { of, bound });
    }
    if gs.is_empty() && rs.is_empty() {
        return Ok(None);
    }
    Ok(Some(Composition { groups: gs, rules: rs, age_on }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn groups_and_rules_are_read_and_every_bad_line_named() {
        let c = parse_composition(
            "北区: 1-16\n南区：17,18,20-33\n",
            "party >= 1/2\neach-group 至少 2\nage:35-60 2-5\n",
            date(2026, 12, 1),
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.groups[0].1.len(), 16);
        assert_eq!(c.groups[1].1.len(), 16);
        assert_eq!(
            c.rules[0],
            CompositionRule {
                of: Trait::PartyMember,
                bound: Bound::Share { min: Some(Share { num: 1, den: 2 }), max: None }
            }
        );
        assert_eq!(c.rules[1].bound, Bound::Count { min: Some(2), max: None });
        assert_eq!(
            c.rules[2],
            CompositionRule {
                of: Trait::AgeBetween { from: 35, to: 60 },
                bound: Bound::Count { min: Some(2), max: Some(5) }
            }
        );
        assert_eq!(parse_composition("", "\n", date(2026, 12, 1)).unwrap(), None);
        for (groups, rules, field, line) in [
            ("北区 1-16", "", "groups", 1),
            ("北区: 1-x", "", "groups", 1),
            ("北区: 1-16", "party >= 1/2\ngroup:西区 >= 1", "rules", 2),
            ("", "each-group >= 1", "rules", 1),
            ("", "party lots", "rules", 1),
            ("", "party >= 3/2", "rules", 1),
        ] {
            let e = parse_composition(groups, rules, date(2026, 12, 1)).unwrap_err();
            assert_eq!(e.code(), "committee.composition-line", "{groups:?} {rules:?}");
            assert_eq!(e.values()["field"], field);
            assert_eq!(e.values()["line"], line);
        }
    }
}
