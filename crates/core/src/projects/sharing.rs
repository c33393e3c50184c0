//! Sharing a cost over households (lift retrofits, law-and-practice §4.4–4.5):
//! `share ∝ weight(floor) × (area, or 1 per household)`, floors without a weight pay nothing,
//! and shares are rounded to the fen by largest remainder so that they add up exactly.

use crate::kit::Money;
use crate::registry::{Unit, UnitNo};
use serde::Serialize;
use std::collections::BTreeMap;

/// A weight, held exactly in ten-thousandths (`0.7` is 7000).
pub type Weight = i64;
const WEIGHT_SCALE: i64 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Weight × exclusive area (the Civil Code Art. 283 default is area alone: every weight 1).
    Area,
    /// Weight × 1 per household.
    Household,
}

impl Basis {
    pub fn parse(s: &str) -> Option<Basis> {
        match s.trim() {
            "area" => Some(Basis::Area),
            "household" => Some(Basis::Household),
            _ => None,
        }
    }
}

/// Weights by floor, and overrides for single units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Weights {
    pub by_floor: BTreeMap<i32, Weight>,
    pub by_unit: BTreeMap<UnitNo, Weight>,
}

pub use super::refusal::ShareError;

/// Parses a non-negative decimal with at most four decimals into ten-thousandths.
fn parse_weight(s: &str) -> Option<Weight> {
    let t = s.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 4 || int.len() > 9 {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i64 = format!("{frac:0<4}").parse().ok()?;
    Some(i * WEIGHT_SCALE + f)
}

impl Weights {
    /// `3=0.7,4=0.8,13-701=1.2`: floors or units, each with a weight of up to four decimals.
    pub fn parse(s: &str) -> Result<Weights, ShareError> {
        let mut w = Weights::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (k, v) = item.split_once('=').ok_or_else(|| ShareError::BadWeight { value: item.into() })?;
            if v.trim().starts_with('-') {
                return Err(ShareError::NegativeWeight { of: k.trim().into(), weight: v.trim().into() });
            }
            let weight = parse_weight(v).ok_or_else(|| ShareError::BadWeight { value: item.into() })?;
            if let Ok(floor) = k.trim().parse::<i32>() {
                w.by_floor.insert(floor, weight);
            } else if let Some(u) = UnitNo::parse(k) {
                w.by_unit.insert(u, weight);
            } else {
                return Err(ShareError::BadWeight { value: item.into() });
            }
        }
        Ok(w)
    }

    fn of(&self, u: &Unit) -> Weight {
        self.by_unit.get(&u.no).or_else(|| self.by_floor.get(&u.floor)).copied().unwrap_or(0)
    }
}

/// A rate in parts per million: `0.4`, `40%`.
pub fn parse_rate(s: &str) -> Result<i64, ShareError> {
    let bad = || ShareError::BadRate { value: s.trim().into() };
    let t = s.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let digits = if pct { 4 } else { 6 };
    if int.is_empty() && frac.is_empty()
        || frac.len() > digits
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
    let f: i64 = format!("{frac:0<digits$}").parse().map_err(|_| bad())?;
    let ppm = if pct { i * 10_000 + f } else { i * 1_000_000 + f };
    if ppm > 1_000_000 { Err(bad()) } else { Ok(ppm) }
}

/// `min(rate × cost, cap)`, rounded half up to the fen.
pub fn subsidy(cost: Money, rate_ppm: i64, cap: Money) -> Money {
    let raw = (cost.fen() as i128 * rate_ppm as i128 + 500_000) / 1_000_000;
    Money::from_fen((raw as i64).min(cap.fen()))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Share {
    pub unit: UnitNo,
    pub floor: i32,
    pub share: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharePlan {
    pub cost: Money,
    pub subsidy: Money,
    pub residents_total: Money,
    pub shares: Vec<Share>,
}

/// A weight (ten-thousandths) as people write it: `1.0`, `0.75`.
fn weight_text(w: Weight) -> String {
    let frac = format!("{:04}", w % WEIGHT_SCALE);
    let frac = frac.trim_end_matches('0');
    format!("{}.{}", w / WEIGHT_SCALE, if frac.is_empty() { "0" } else { frac })
}

/// One household's share explained in words, for the owner who pays it: the floor's weight, the
/// area (or one per household), the building's weighted total it is a part of, the amount.
pub fn share_in_words(
    units: &[Unit],
    weights: &Weights,
    basis: Basis,
    total: Money,
    unit: &UnitNo,
    share: Money,
) -> Option<crate::kit::Both> {
    let u = units.iter().find(|u| &u.no == unit)?;
    let w = weights.of(u);
    if w == 0 {
        return Some(crate::kit::Both {
            zh: format!("您家在 {} 楼，该楼层没有分摊系数，不分摊。", u.floor),
            en: format!("Your home is on floor {}, which has no weight: it pays nothing.", u.floor),
        });
    }
    let weighted = |x: &Unit| weights.of(x) as i128 * x.area.e4() as i128;
    let (zh, en) = match basis {
        Basis::Area => {
            let whole: i128 = units.iter().map(weighted).sum();
            // the weighted area, in m² to two decimals (weights and areas are both ten-thousandths)
            let m2 = |v: i128| crate::kit::numbers::hundredths((v + 500_000) / 1_000_000);
            (
                format!(
                    "按楼层系数和面积分摊：您家 {} 楼系数 {}、面积 {} 平方米，折合 {} 平方米，占全部 {} 平方米中的相应份额；居民合计承担 {} 元，您家分摊 {} 元（各户取整到分，合计正好等于总额）。",
                    u.floor,
                    weight_text(w),
                    u.area.readable(),
                    m2(weighted(u)),
                    m2(whole),
                    total.readable(),
                    share.readable()
                ),
                format!(
                    "Shared by floor weight and area: your home on floor {} has weight {} and {} m², counting as {} m² of the {} m² in all; the residents pay {} yuan together and your share is {} yuan (each rounded to the fen, adding up to the total exactly).",
                    u.floor,
                    weight_text(w),
                    u.area.readable(),
                    m2(weighted(u)),
                    m2(whole),
                    total.readable(),
                    share.readable()
                ),
            )
        }
        Basis::Household => {
            let whole: i128 = units.iter().map(|x| weights.of(x) as i128).sum();
            (
                format!(
                    "按楼层系数分摊，每户一份：您家 {} 楼系数 {}，全部系数合计 {}；居民合计承担 {} 元，您家分摊 {} 元（各户取整到分，合计正好等于总额）。",
                    u.floor,
                    weight_text(w),
                    weight_text(whole as i64),
                    total.readable(),
                    share.readable()
                ),
                format!(
                    "Shared by floor weight, one part per household: your home on floor {} has weight {} of {} in all; the residents pay {} yuan together and your share is {} yuan (each rounded to the fen, adding up to the total exactly).",
                    u.floor,
                    weight_text(w),
                    weight_text(whole as i64),
                    total.readable(),
                    share.readable()
                ),
            )
        }
    };
    Some(crate::kit::Both { zh, en })
}

/// Splits `total` over `units` in proportion to weight × basis, to the fen, adding up exactly.
/// Ties in the remainders go to the unit listed first.
pub fn split(total: Money, units: &[Unit], weights: &Weights, basis: Basis) -> Result<Vec<Share>, ShareError> {
    for u in weights.by_unit.keys() {
        if !units.iter().any(|x| &x.no == u) {
            return Err(ShareError::UnknownUnit { unit: u.to_string() });
        }
    }
    let parts: Vec<i128> = units
        .iter()
        .map(|u| {
            let b = match basis {
                Basis::Area => u.area.e4() as i128,
                Basis::Household => 1,
            };
            weights.of(u) as i128 * b
        })
        .collect();
    let whole: i128 = parts.iter().sum();
    let t = total.fen() as i128;
    if whole == 0 {
        if t == 0 {
            return Ok(units
                .iter()
                .map(|u| Share { unit: u.no.clone(), floor: u.floor, share: Money::ZERO })
                .collect());
        }
        return Err(ShareError::NobodyPays { amount: total.to_string() });
    }
    let mut fen: Vec<i128> = parts.iter().map(|p| t * p / whole).collect();
    let mut left = t - fen.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..units.len()).collect();
    // largest remainder first; a stable sort keeps the listed order among equals
    order.sort_by_key(|&i| std::cmp::Reverse(t * parts[i] % whole));
    for i in order {
        if left == 0 {
            break;
        }
        if parts[i] > 0 {
            fen[i] += 1;
            left -= 1;
        }
    }
    Ok(units
        .iter()
        .zip(fen)
        .map(|(u, f)| Share { unit: u.no.clone(), floor: u.floor, share: Money::from_fen(f as i64) })
        .collect())
}

/// The whole plan: the subsidy off the cost, other sources off the rest, the remainder shared.
pub fn plan(
    cost: Money,
    rate_ppm: i64,
    cap: Money,
    other: Money,
    units: &[Unit],
    weights: &Weights,
    basis: Basis,
) -> Result<SharePlan, ShareError> {
    if cost.fen() <= 0 {
        return Err(ShareError::NonPositiveCost { cost: cost.to_string() });
    }
    let subsidy = subsidy(cost, rate_ppm, cap);
    let residents = cost.fen() - subsidy.fen() - other.fen();
    if residents < 0 {
        return Err(ShareError::SourcesExceedCost {
            sources: Money::from_fen(subsidy.fen() + other.fen()).to_string(),
            cost: cost.to_string(),
        });
    }
    let residents_total = Money::from_fen(residents);
    let shares = split(residents_total, units, weights, basis)?;
    Ok(SharePlan { cost, subsidy, residents_total, shares })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Area;
    use crate::registry::{BuildingNo, OwnerKey, StairwellNo};
    use proptest::prelude::*;

    fn unit(room: &str, centi: i64) -> Unit {
        let b = BuildingNo::parse("4").unwrap();
        Unit {
            no: UnitNo::new(&b, room),
            building: b,
            stairwell: StairwellNo::parse("1").unwrap(),
            floor: room[..room.len() - 2].parse().unwrap(),
            area: Area::from_centi(centi),
            owner: OwnerKey::from_stored(room),
        }
    }

    #[test]
    fn a_share_is_explained_in_words_not_symbols() {
        let units = vec![unit("701", 8_612), unit("201", 10_000)];
        let w = Weights::parse("7=1.0,2=0.5").unwrap();
        let total = Money::parse("1000.00").unwrap();
        let shares = split(total, &units, &w, Basis::Area).unwrap();
        let me = &shares[0];
        let b = share_in_words(&units, &w, Basis::Area, total, &me.unit, me.share).unwrap();
        assert!(
            b.zh.starts_with(
                "按楼层系数和面积分摊：您家 7 楼系数 1.0、面积 86.12 平方米，折合 86.12 平方米，占全部 136.12 平方米"
            ),
            "{}",
            b.zh
        );
        assert!(b.zh.contains(&format!("您家分摊 {} 元", me.share.readable())), "{}", b.zh);
        assert!(b.en.contains("weight 1.0 and 86.12 m², counting as 86.12 m² of the 136.12 m² in all"), "{}", b.en);
        assert!(!b.zh.contains('∝') && !b.zh.contains("最大余数"));
        let none =
            share_in_words(&units, &Weights::parse("7=1").unwrap(), Basis::Area, total, &units[1].no, Money::ZERO);
        assert!(none.unwrap().zh.contains("没有分摊系数，不分摊"));
    }

    /// Six floors, two flats each.
    fn six_floors() -> Vec<Unit> {
        (1..=6).flat_map(|f| [unit(&format!("{f}01"), 7_000), unit(&format!("{f}02"), 7_000)]).collect()
    }

    #[test]
    fn xinmin_village_shares_are_reproduced() {
        // law-and-practice §4.5: floors 1–2 pay 0%, 3 10%, 4 20%, 5 30%, 6 40% of 510,000 yuan
        let w = Weights::parse("3=0.1,4=0.2,5=0.3,6=0.4").unwrap();
        let p = plan(Money::parse("510000").unwrap(), 0, Money::ZERO, Money::ZERO, &six_floors(), &w, Basis::Household)
            .unwrap();
        let by_floor: BTreeMap<i32, String> = p.shares.iter().map(|s| (s.floor, s.share.to_string())).collect();
        assert_eq!(by_floor[&1], "0.00");
        assert_eq!(by_floor[&2], "0.00");
        assert_eq!(by_floor[&3], "25500.00");
        assert_eq!(by_floor[&4], "51000.00");
        assert_eq!(by_floor[&5], "76500.00");
        assert_eq!(by_floor[&6], "102000.00");
    }

    #[test]
    fn guangzhou_coefficients_scale_shares_by_floor_and_area() {
        // 3F 0.7 … 7F 1.1, equal areas: shares stand in the ratio of the coefficients
        let units: Vec<Unit> = (1..=7).map(|f| unit(&format!("{f}01"), 8_000)).collect();
        let w = Weights::parse("3=0.7,4=0.8,5=0.9,6=1.0,7=1.1").unwrap();
        let s = split(Money::parse("450000").unwrap(), &units, &w, Basis::Area).unwrap();
        let fen: Vec<i64> = s.iter().map(|x| x.share.fen()).collect();
        assert_eq!(fen, vec![0, 0, 7_000_000, 8_000_000, 9_000_000, 10_000_000, 11_000_000]);
    }

    #[test]
    fn shanghai_subsidy_is_forty_percent_capped_at_280000() {
        let cap = Money::parse("280000").unwrap();
        let rate = parse_rate("0.4").unwrap();
        assert_eq!(subsidy(Money::parse("600000").unwrap(), rate, cap).to_string(), "240000.00");
        assert_eq!(subsidy(Money::parse("800000").unwrap(), rate, cap).to_string(), "280000.00");
        assert_eq!(parse_rate("40%").unwrap(), 400_000);
        assert!(parse_rate("1.5").is_err());
        assert!(parse_rate("-0.1").is_err());
    }

    #[test]
    fn rounding_leftovers_go_to_the_largest_remainders_and_add_up() {
        let units = vec![unit("301", 10_000), unit("302", 10_000), unit("303", 10_000)];
        let w = Weights::parse("3=1").unwrap();
        let s = split(Money::from_fen(100), &units, &w, Basis::Household).unwrap();
        assert_eq!(s.iter().map(|x| x.share.fen()).collect::<Vec<_>>(), vec![34, 33, 33]);
    }

    #[test]
    fn bad_inputs_are_named() {
        assert_eq!(
            Weights::parse("3=-0.7").unwrap_err(),
            ShareError::NegativeWeight { of: "3".into(), weight: "-0.7".into() }
        );
        assert!(matches!(Weights::parse("3:0.7"), Err(ShareError::BadWeight { .. })));
        let w = Weights::parse("3=1,9-901=2").unwrap();
        assert_eq!(
            split(Money::from_fen(100), &six_floors(), &w, Basis::Area).unwrap_err(),
            ShareError::UnknownUnit { unit: "9-901".into() }
        );
        let w = Weights::parse("3=1").unwrap();
        assert!(matches!(
            plan(Money::ZERO, 0, Money::ZERO, Money::ZERO, &six_floors(), &w, Basis::Area),
            Err(ShareError::NonPositiveCost { .. })
        ));
        let none = Weights::default();
        assert!(matches!(
            split(Money::from_fen(100), &six_floors(), &none, Basis::Area),
            Err(ShareError::NobodyPays { .. })
        ));
    }

    #[test]
    fn a_unit_override_beats_its_floor() {
        let w = Weights::parse("6=1,4-601=0").unwrap();
        let s = split(Money::from_fen(1000), &six_floors(), &w, Basis::Household).unwrap();
        let six: Vec<i64> = s.iter().filter(|x| x.floor == 6).map(|x| x.share.fen()).collect();
        assert_eq!(six, vec![0, 1000]);
    }

    proptest! {
        #[test]
        fn shares_add_up_to_the_fen(
            total in 0i64..100_000_000,
            areas in prop::collection::vec(1i64..50_000, 1..30),
            weights in prop::collection::vec(0i64..30_000, 1..8),
            by_area in any::<bool>(),
        ) {
            let units: Vec<Unit> = areas.iter().enumerate().map(|(i, a)| {
                let floor = (i % 7) + 1;
                unit(&format!("{floor}{:02}", i / 7 + 1), *a)
            }).collect();
            let mut w = Weights::default();
            for (i, x) in weights.iter().enumerate() {
                w.by_floor.insert(i as i32 + 1, *x);
            }
            let basis = if by_area { Basis::Area } else { Basis::Household };
            match split(Money::from_fen(total), &units, &w, basis) {
                Ok(s) => {
                    prop_assert_eq!(s.iter().map(|x| x.share.fen()).sum::<i64>(), total);
                    for (x, u) in s.iter().zip(&units) {
                        prop_assert!(x.share.fen() >= 0);
                        if w.of(u) == 0 { prop_assert_eq!(x.share.fen(), 0); }
                    }
                }
                Err(ShareError::NobodyPays { .. }) => prop_assert!(units.iter().all(|u| w.of(u) == 0)),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }
}
