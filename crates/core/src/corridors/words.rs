//! How amounts, ranks and lists of buildings read in the explanations: money with thousands
//! separators ("300,000.00"), English ordinals, and building lists in both languages.

use crate::corridors::model::Waiting;
use crate::kit::Money;
use crate::registry::BuildingNo;

/// A list names this many buildings, then counts the rest.
const LIST_CAP: usize = 8;

/// `300000.00` → `300,000.00`.
pub fn yuan(m: Money) -> String {
    let fen = m.fen();
    let sign = if fen < 0 { "-" } else { "" };
    let v = fen.unsigned_abs();
    format!("{sign}{}.{:02}", grouped(v as u128 / 100), v % 100)
}

/// The total waiting score with thousands separators: `12,345.50`.
pub fn waiting(w: Waiting) -> String {
    let sign = if w.0 < 0 { "-" } else { "" };
    let v = w.0.unsigned_abs();
    format!("{sign}{}.{:02}", grouped(v / 100), v % 100)
}

use crate::kit::numbers::grouped;

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `building 7`, `buildings 7 and 21`, `buildings 7, 21 and 3`, `buildings 7, 21, … and 12 others`.
pub fn buildings_en(list: &[&BuildingNo]) -> String {
    match list {
        [] => "no building".into(),
        [one] => format!("building {one}"),
        _ if list.len() > LIST_CAP => {
            let shown: Vec<String> = list[..LIST_CAP].iter().map(|b| b.to_string()).collect();
            format!("buildings {} and {} others", shown.join(", "), list.len() - LIST_CAP)
        }
        _ => {
            let shown: Vec<String> = list.iter().map(|b| b.to_string()).collect();
            format!("buildings {} and {}", shown[..shown.len() - 1].join(", "), shown[shown.len() - 1])
        }
    }
}

/// `7号楼`, `7号、21号、3号楼`, `7号、21号……等20栋楼`.
pub fn buildings_zh(list: &[&BuildingNo]) -> String {
    match list {
        [] => "没有楼".into(),
        [one] => format!("{one}号楼"),
        _ if list.len() > LIST_CAP => {
            let shown: Vec<String> = list[..LIST_CAP].iter().map(|b| format!("{b}号")).collect();
            format!("{}等{}栋楼", shown.join("、"), list.len())
        }
        _ => {
            let shown: Vec<String> = list.iter().map(|b| format!("{b}号")).collect();
            format!("{}楼", shown.join("、"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_with_thousands_separators() {
        assert_eq!(yuan(Money::from_fen(30_000_000)), "300,000.00");
        assert_eq!(yuan(Money::from_fen(2_500_000)), "25,000.00");
        assert_eq!(yuan(Money::from_fen(99_999)), "999.99");
        assert_eq!(yuan(Money::from_fen(100_000_000_000)), "1,000,000,000.00");
        assert_eq!(yuan(Money::from_fen(-150_000)), "-1,500.00");
        assert_eq!(waiting(Waiting(123_456_789)), "1,234,567.89");
    }

    #[test]
    fn ranks_and_lists_read_naturally() {
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 22, 33, 101].map(ordinal).join(" "),
            "1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 33rd 101st"
        );
        let b: Vec<BuildingNo> = ["7", "21", "3"].iter().map(|s| BuildingNo::parse(s).unwrap()).collect();
        let r: Vec<&BuildingNo> = b.iter().collect();
        assert_eq!(buildings_en(&r), "buildings 7, 21 and 3");
        assert_eq!(buildings_zh(&r), "7号、21号、3号楼");
        assert_eq!(buildings_en(&r[..1]), "building 7");
        assert_eq!(buildings_zh(&r[..1]), "7号楼");
        let many: Vec<BuildingNo> = (1..=10).map(|i| BuildingNo::parse(&i.to_string()).unwrap()).collect();
        let m: Vec<&BuildingNo> = many.iter().collect();
        assert_eq!(buildings_en(&m), "buildings 1, 2, 3, 4, 5, 6, 7, 8 and 2 others");
        assert_eq!(buildings_zh(&m), "1号、2号、3号、4号、5号、6号、7号、8号等10栋楼");
    }
}
