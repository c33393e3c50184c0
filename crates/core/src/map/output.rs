//! What `gongzhi walk` prints: the JSON the issue fixes, and a readable text report.

use crate::map::compare::{BuildingWalk, Comparison, Mean, by_building};
use serde::{Serialize, Serializer};
use std::fmt;

/// Metres with one decimal, held as a whole number of decimetres so nothing drifts: serialises as
/// a JSON number with exactly one decimal (`120.0`, `-3.5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimetres(pub i64);

impl Decimetres {
    /// Millimetres rounded half away from zero (half up for walks; a loss mirrors a gain).
    pub fn from_mm(mm: i64) -> Decimetres {
        let dm = (mm.unsigned_abs() + 50) / 100;
        Decimetres(if mm < 0 { -(dm as i64) } else { dm as i64 })
    }
}

impl From<Mean> for Decimetres {
    fn from(m: Mean) -> Decimetres {
        Decimetres(m.decimetres())
    }
}

impl fmt::Display for Decimetres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", self.0.unsigned_abs() / 10, self.0.unsigned_abs() % 10)
    }
}

impl Serialize for Decimetres {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // a division of integers below 2^53 is the double nearest the decimal, and serde_json
        // prints the shortest form that reads back to it: exactly this one decimal
        s.serialize_f64(self.0 as f64 / 10.0)
    }
}

/// One entrance in `gongzhi walk`'s JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntranceOut {
    pub id: String,
    pub building: String,
    pub households: u32,
    /// The nearest bin room after the changes; null when none can be reached after them.
    pub bin: Option<String>,
    pub before: Option<Decimetres>,
    pub after: Option<Decimetres>,
    /// before − after, rounded from the exact millimetres; null unless both are reachable.
    pub gain: Option<Decimetres>,
}

/// `gongzhi walk`'s result: serialises to exactly
/// `{"entrances":[{"id","building","households","bin","before","after","gain"}],"households_gaining","mean_before","mean_after"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WalkOutput {
    pub entrances: Vec<EntranceOut>,
    pub households_gaining: u64,
    pub mean_before: Option<Decimetres>,
    pub mean_after: Option<Decimetres>,
    /// The changes as options, for the text report.
    #[serde(skip)]
    pub changes: Vec<String>,
    #[serde(skip)]
    pub comparison: Comparison,
    /// The time of day asked for (`HH:MM`), when only bin rooms open then count.
    #[serde(skip)]
    pub at: Option<String>,
}

impl WalkOutput {
    pub fn new(comparison: Comparison, changes: Vec<String>) -> WalkOutput {
        let dm = |mm: Option<u64>| mm.map(|mm| Decimetres::from_mm(mm as i64));
        WalkOutput {
            entrances: comparison
                .entrances
                .iter()
                .map(|e| EntranceOut {
                    id: e.id.clone(),
                    building: e.building.clone(),
                    households: e.households,
                    bin: e.bin_after.clone(),
                    before: dm(e.before_mm),
                    after: dm(e.after_mm),
                    gain: e.gain_mm().map(Decimetres::from_mm),
                })
                .collect(),
            households_gaining: comparison.households_gaining,
            mean_before: comparison.mean_before.map(Decimetres::from),
            mean_after: comparison.mean_after.map(Decimetres::from),
            changes,
            comparison,
            at: None,
        }
    }

    /// Per building, households-weighted.
    pub fn buildings(&self) -> Vec<BuildingWalk> {
        by_building(&self.comparison)
    }

    /// The report for `--format text`.
    pub fn text(&self) -> String {
        let m = |d: Option<Decimetres>| d.map_or("unreachable".to_string(), |d| format!("{d} m"));
        let cell = |d: Option<Decimetres>| d.map_or("—".to_string(), |d| d.to_string());
        let mut out = String::from("Walk to the nearest bin room 到最近垃圾厢房的步行距离 (metres)\n");
        if let Some(at) = &self.at {
            out += &format!("Only bin rooms open at {at} count 仅计 {at} 开放的垃圾厢房.\n");
        }
        if self.changes.is_empty() {
            out += "No changes: before and after are the map as it is.\n";
        } else {
            out += "Changes:\n";
            for c in &self.changes {
                out += &format!("  {c}\n");
            }
        }
        out += &format!(
            "\nHouseholds gaining 受益户数: {} of {}\nMean walk 平均步行 (weighted by households, reachable entrances): {} before, {} after\n",
            self.households_gaining,
            self.comparison.households,
            m(self.mean_before),
            m(self.mean_after),
        );
        out += "\nBy building 按楼:\n";
        let mut rows = vec![row(&["building", "households", "gaining", "mean before", "mean after"])];
        for b in self.buildings() {
            let mean = |x: Option<Mean>| cell(x.map(Decimetres::from));
            rows.push(row(&[
                &b.building,
                &b.households.to_string(),
                &b.households_gaining.to_string(),
                &mean(b.mean_before),
                &mean(b.mean_after),
            ]));
        }
        out += &table(&rows);
        out += "\nBy entrance 按楼门 (— = no open bin room within reach):\n";
        let mut rows = vec![row(&["entrance", "building", "households", "bin after", "before", "after", "gain"])];
        for e in &self.entrances {
            rows.push(row(&[
                &e.id,
                &e.building,
                &e.households.to_string(),
                e.bin.as_deref().unwrap_or("—"),
                &cell(e.before),
                &cell(e.after),
                &cell(e.gain),
            ]));
        }
        out + &table(&rows)
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Left-aligned columns two spaces apart (widths by characters, so Chinese ids line up roughly).
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> =
            r.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        out += line.join("  ").trim_end();
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimetres_serialise_as_numbers_with_one_decimal() {
        let s = |mm: i64| serde_json::to_string(&Decimetres::from_mm(mm)).unwrap();
        assert_eq!(s(120_000), "120.0");
        assert_eq!(s(123_449), "123.4");
        assert_eq!(s(123_450), "123.5");
        assert_eq!(s(0), "0.0");
        assert_eq!(s(49), "0.0");
        assert_eq!(s(50), "0.1");
        assert_eq!(s(-3_450), "-3.5");
        assert_eq!(s(-3_449), "-3.4");
        assert_eq!(s(9_876_543_210), "9876543.2");
        assert_eq!(serde_json::to_string(&Some(Decimetres(7))).unwrap(), "0.7");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn json_decimetres_read_as_the_integer_decimal(mm in -10_000_000_000i64..10_000_000_000) {
            let d = Decimetres::from_mm(mm);
            let expected = format!("{}{}.{}", if d.0 < 0 { "-" } else { "" }, d.0.abs() / 10, d.0.abs() % 10);
            prop_assert_eq!(serde_json::to_string(&d).unwrap(), expected.clone());
            prop_assert_eq!(d.to_string(), expected);
            // half up from the exact millimetres: |mm − 100·dm| ≤ 50, and exactly 50 only upwards
            let diff = mm - d.0 * 100;
            prop_assert!(diff.abs() <= 50 && (diff.abs() < 50 || diff.signum() == -d.0.signum()));
        }
    }
}
