//! The register of a compound: buildings, stairwells, floors, units and their owners.
//!
//! Parse, don't validate: a [`Registry`] can only be built from rows that are all valid, and
//! a file with any bad row yields every bad row with its number and reason.

use crate::kit::Area;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

pub mod refusal;
pub use refusal::{RegistryRefusal, RowError, RowProblem};

macro_rules! label {
    ($name:ident) => {
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

label!(BuildingNo);
label!(StairwellNo);
label!(UnitNo);
label!(OwnerKey);

fn is_label(s: &str) -> bool {
    !s.is_empty() && s.len() <= 16 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

impl BuildingNo {
    /// `13`, `13号楼`, `13号`, `13幢`, `13栋`, `13号楼`, `B13`? no: letters and digits only.
    pub fn parse(s: &str) -> Option<BuildingNo> {
        let t = s.trim();
        let t = ["号楼", "号幢", "幢", "栋", "号", "楼"].iter().find_map(|suf| t.strip_suffix(suf)).unwrap_or(t).trim();
        is_label(t).then(|| BuildingNo(t.to_ascii_uppercase()))
    }
}

impl StairwellNo {
    /// `1`, `1单元`, `1号门洞`, `1号`; empty means the building's only stairwell, `1`.
    pub fn parse(s: &str) -> Option<StairwellNo> {
        let t = s.trim();
        if t.is_empty() {
            return Some(StairwellNo("1".into()));
        }
        let t = ["号门洞", "门洞", "单元", "号"].iter().find_map(|suf| t.strip_suffix(suf)).unwrap_or(t).trim();
        is_label(t).then(|| StairwellNo(t.to_ascii_uppercase()))
    }
}

impl UnitNo {
    pub fn new(building: &BuildingNo, room: &str) -> UnitNo {
        UnitNo(format!("{}-{}", building.0, room))
    }

    /// A full unit number: `13-701` or `13号楼701室` (also `13幢701`, `13栋701室`).
    pub fn parse(s: &str) -> Option<UnitNo> {
        let (b, r) = split_building_room(s)?;
        Some(UnitNo::new(&BuildingNo::parse(b)?, &room(r)?))
    }

    pub fn building(&self) -> &str {
        self.0.split_once('-').map(|(b, _)| b).unwrap_or("")
    }

    pub fn room(&self) -> &str {
        self.0.split_once('-').map(|(_, r)| r).unwrap_or(&self.0)
    }
}

fn split_building_room(s: &str) -> Option<(&str, &str)> {
    let t = s.trim();
    if let Some((b, r)) = t.split_once('-') {
        return Some((b, r));
    }
    for sep in ["号楼", "幢", "栋", "号"] {
        if let Some(i) = t.find(sep) {
            let (b, r) = t.split_at(i + sep.len());
            return Some((b, r));
        }
    }
    None
}

fn room(s: &str) -> Option<String> {
    let t = s.trim().trim_end_matches('室').trim();
    is_label(t).then(|| t.to_ascii_uppercase())
}

impl OwnerKey {
    /// The one key all of the developer's units share, so it counts once.
    pub fn developer() -> OwnerKey {
        OwnerKey("developer".into())
    }

    pub fn from_stored(s: impl Into<String>) -> OwnerKey {
        OwnerKey(s.into())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerKind {
    Person,
    Organisation,
    Developer,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Person => "person",
            OwnerKind::Organisation => "organisation",
            OwnerKind::Developer => "developer",
        }
    }

    pub fn parse(s: &str) -> Option<OwnerKind> {
        match s {
            "person" => Some(OwnerKind::Person),
            "organisation" => Some(OwnerKind::Organisation),
            "developer" => Some(OwnerKind::Developer),
            _ => None,
        }
    }
}

/// An owner of one or more units: a person, an organisation, co-owners acting as one, or the
/// developer for all unsold units. Counts once in the headcount however many units it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub key: OwnerKey,
    /// The name as shown: co-owners joined with `、`.
    pub name: String,
    pub kind: OwnerKind,
    /// Co-owners of the same units, in the order the register lists them; the first votes.
    pub members: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub no: UnitNo,
    pub building: BuildingNo,
    pub stairwell: StairwellNo,
    pub floor: i32,
    pub area: Area,
    pub owner: OwnerKey,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Registry {
    pub units: Vec<Unit>,
    pub owners: Vec<Owner>,
}

impl Registry {
    pub fn owner(&self, key: &OwnerKey) -> Option<&Owner> {
        self.owners.iter().find(|o| &o.key == key)
    }

    pub fn total_area(&self) -> Area {
        self.units.iter().map(|u| u.area).sum()
    }

    /// Buildings in natural order (`2` before `10`) with their unit counts.
    pub fn buildings(&self) -> Vec<(BuildingNo, usize)> {
        let mut m: BTreeMap<(usize, BuildingNo), usize> = BTreeMap::new();
        for u in &self.units {
            *m.entry((u.building.0.len(), u.building.clone())).or_default() += 1;
        }
        m.into_iter().map(|((_, b), n)| (b, n)).collect()
    }
}

/// One row of a register file, as text, with its row number in the file (header = row 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawRow {
    pub row: usize,
    pub unit: String,
    pub building: String,
    pub stairwell: String,
    pub floor: String,
    pub area: String,
    pub owner: String,
    /// Optional `owner_id` column, for registers that tell apart two owners of the same name.
    pub owner_id: String,
}

/// Column names accepted in a register file, English first, then Chinese.
pub const COLUMNS: [(&str, &[&str]); 7] = [
    ("unit", &["unit", "房号", "室号", "户号"]),
    ("building", &["building", "楼号", "幢号", "楼栋"]),
    ("stairwell", &["stairwell", "单元", "门洞", "单元号"]),
    ("floor", &["floor", "楼层", "层"]),
    ("area", &["area", "面积", "专有部分面积", "建筑面积"]),
    ("owner", &["owner", "业主", "业主姓名", "业主名称"]),
    ("owner_id", &["owner_id", "业主编号"]),
];

/// Columns a clerk keeps beside the register that the import leaves out, by name.
pub const IGNORED_COLUMNS: [&str; 6] = ["备注", "note", "notes", "remark", "remarks", "说明"];

/// Where each column is in a header; every column but `owner_id` is required.
#[derive(Clone, Copy, Debug)]
pub struct ColumnMap {
    idx: [Option<usize>; 7],
}

impl ColumnMap {
    pub fn from_header<S: AsRef<str>>(header: &[S]) -> Result<ColumnMap, Vec<RowError>> {
        let mut idx = [None; 7];
        let mut errors = Vec::new();
        let header_err = |field: &'static str, problem| RowError { row: 0, unit: None, field, problem };
        for (i, h) in header.iter().enumerate() {
            let h = h.as_ref().trim().trim_start_matches('\u{feff}').trim().to_lowercase();
            if h.is_empty() || IGNORED_COLUMNS.contains(&h.as_str()) {
                continue;
            }
            match COLUMNS.iter().position(|(_, names)| names.contains(&h.as_str())) {
                Some(c) => match idx[c] {
                    Some(first) => errors.push(header_err(
                        COLUMNS[c].0,
                        RowProblem::DuplicateColumn { column: h, first: first as i64 + 1, again: i as i64 + 1 },
                    )),
                    None => idx[c] = Some(i),
                },
                None => errors.push(header_err(
                    "header",
                    RowProblem::UnknownColumn {
                        column: h,
                        known: COLUMNS
                            .iter()
                            .map(|(n, names)| format!("{n} ({})", names[1]))
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                )),
            }
        }
        let missing: Vec<RowError> = COLUMNS
            .iter()
            .enumerate()
            .filter(|(c, (name, _))| idx[*c].is_none() && *name != "owner_id" && *name != "floor")
            .map(|(_, (name, names))| RowError {
                row: 0,
                unit: None,
                field: name,
                problem: RowProblem::MissingColumn { column: name.to_string(), zh_name: names[1].to_string() },
            })
            .collect();
        errors.extend(missing);
        if errors.is_empty() { Ok(ColumnMap { idx }) } else { Err(errors) }
    }

    /// The register column at position `i` of the header, if it is one.
    pub fn column_at(&self, i: usize) -> Option<&'static str> {
        self.idx.iter().position(|x| *x == Some(i)).map(|c| COLUMNS[c].0)
    }

    /// Picks a row's fields out of its cells.
    pub fn row<S: AsRef<str>>(&self, row: usize, cells: &[S]) -> RawRow {
        let get = |c: usize| {
            self.idx[c].and_then(|i| cells.get(i)).map(|s| s.as_ref().trim().to_string()).unwrap_or_default()
        };
        RawRow {
            row,
            unit: get(0),
            building: get(1),
            stairwell: get(2),
            floor: get(3),
            area: get(4),
            owner: get(5),
            owner_id: get(6),
        }
    }
}

fn owner_kind(name: &str) -> OwnerKind {
    let lower = name.to_lowercase();
    if lower == "developer" || name.starts_with("开发商") || name.starts_with("建设单位") {
        OwnerKind::Developer
    } else if ["公司", "有限", "集团", "中心", "委员会", "合作社", "事务所", "研究所"].iter().any(|w| name.contains(w))
    {
        OwnerKind::Organisation
    } else {
        OwnerKind::Person
    }
}

fn split_members(name: &str) -> Vec<String> {
    name.split([';', '；', '、']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// What a register may hold: a unit's exclusive area is bounded by what a flat can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub max_unit_area: Area,
}

impl Bounds {
    /// 10,000 m²: larger than any flat or shop in a residential compound, small enough that no
    /// sum of a compound's units can overflow.
    pub const DEFAULT_MAX_UNIT_AREA_M2: i64 = 10_000;
    /// The setting itself is bounded, so that 200,000 rows of the largest area still sum exactly.
    pub const LARGEST_MAX_UNIT_AREA_M2: i64 = 1_000_000;

    /// The bound from a setting in m²; None when it is not a positive number within the largest.
    pub fn with_max_unit_area(s: &str) -> Option<Bounds> {
        let a = Area::parse_positive(s).ok()?;
        (a <= Area::from_e4(Self::LARGEST_MAX_UNIT_AREA_M2 * crate::kit::area::SCALE))
            .then_some(Bounds { max_unit_area: a })
    }
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds { max_unit_area: Area::from_e4(Self::DEFAULT_MAX_UNIT_AREA_M2 * crate::kit::area::SCALE) }
    }
}

impl Registry {
    /// Builds a registry from rows within the default bounds; all-or-nothing: any bad row gives
    /// the full list of errors.
    pub fn from_rows(rows: &[RawRow]) -> Result<Registry, Vec<RowError>> {
        Registry::from_rows_within(rows, &Bounds::default())
    }

    /// Builds a registry from rows, each area within `bounds`; the total is summed checked.
    pub fn from_rows_within(rows: &[RawRow], bounds: &Bounds) -> Result<Registry, Vec<RowError>> {
        let mut total: i64 = 0;
        let mut errors = Vec::new();
        let mut units: Vec<Unit> = Vec::with_capacity(rows.len());
        let mut seen: HashMap<UnitNo, usize> = HashMap::new();
        let mut owners: Vec<Owner> = Vec::new();
        let mut owner_at: HashMap<OwnerKey, (usize, usize)> = HashMap::new();

        for r in rows {
            let err = |field: &'static str, problem: RowProblem| RowError {
                row: r.row,
                unit: (!r.unit.is_empty()).then(|| r.unit.clone()),
                field,
                problem,
            };
            let before = errors.len();
            let building = BuildingNo::parse(&r.building);
            if building.is_none() {
                errors.push(err(
                    "building",
                    if r.building.is_empty() {
                        RowProblem::BuildingMissing
                    } else {
                        RowProblem::BuildingFormat { value: r.building.clone() }
                    },
                ));
            }
            let stairwell = StairwellNo::parse(&r.stairwell);
            if stairwell.is_none() {
                errors.push(err("stairwell", RowProblem::StairwellFormat { value: r.stairwell.clone() }));
            }
            let room_part = match split_building_room(&r.unit) {
                Some((b, rm)) => {
                    if let (Some(ub), Some(b0)) = (BuildingNo::parse(b), &building)
                        && &ub != b0
                    {
                        errors.push(err(
                            "unit",
                            RowProblem::UnitNotInBuilding { value: r.unit.clone(), building: b0.to_string() },
                        ));
                    }
                    rm
                }
                None => r.unit.as_str(),
            };
            let room_no = room(room_part);
            if room_no.is_none() {
                errors.push(err(
                    "unit",
                    if r.unit.is_empty() {
                        RowProblem::UnitMissing
                    } else {
                        RowProblem::UnitFormat { value: r.unit.clone() }
                    },
                ));
            }
            let floor = if r.floor.is_empty() {
                room_no.as_deref().and_then(floor_from_room)
            } else {
                r.floor
                    .trim_end_matches(['层', '楼', 'F', 'f'])
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|f| (-10..=200).contains(f))
            };
            if floor.is_none() {
                errors.push(err(
                    "floor",
                    if r.floor.is_empty() {
                        RowProblem::FloorMissing
                    } else {
                        RowProblem::FloorRange { value: r.floor.clone() }
                    },
                ));
            }
            let area = match Area::parse_positive(&r.area) {
                Ok(a) if a > bounds.max_unit_area => {
                    errors.push(err(
                        "area",
                        RowProblem::AreaAboveBound { value: a.to_string(), max: bounds.max_unit_area.to_string() },
                    ));
                    None
                }
                Ok(a) => match total.checked_add(a.e4()) {
                    Some(t) => {
                        total = t;
                        Some(a)
                    }
                    None => {
                        errors.push(err("area", RowProblem::AreaTotalOverflow));
                        None
                    }
                },
                Err(e) => {
                    errors.push(err("area", RowProblem::Area { problem: e }));
                    None
                }
            };
            let members = split_members(&r.owner);
            if members.is_empty() {
                errors.push(err("owner", RowProblem::OwnerMissing));
            }
            if errors.len() > before {
                continue;
            }
            let (building, stairwell, room_no, floor, area) =
                (building.unwrap(), stairwell.unwrap(), room_no.unwrap(), floor.unwrap(), area.unwrap());
            let no = UnitNo::new(&building, &room_no);
            if let Some(first) = seen.get(&no) {
                errors.push(err("unit", RowProblem::DuplicateUnit { unit: no.to_string(), first_row: *first }));
                continue;
            }
            seen.insert(no.clone(), r.row);

            let name = members.join("、");
            let kind = owner_kind(&members[0]);
            let key = if kind == OwnerKind::Developer {
                OwnerKey::developer()
            } else if !r.owner_id.is_empty() {
                OwnerKey(format!("id:{}", r.owner_id))
            } else {
                let mut sorted = members.clone();
                sorted.sort();
                OwnerKey(sorted.join(";"))
            };
            match owner_at.get(&key) {
                Some((i, first_row)) => {
                    if kind != OwnerKind::Developer && owners[*i].name != name {
                        errors.push(err(
                            "owner",
                            RowProblem::OwnerIdConflict {
                                id: r.owner_id.clone(),
                                first_name: owners[*i].name.clone(),
                                first_row: *first_row,
                                name: name.clone(),
                            },
                        ));
                        continue;
                    }
                }
                None => {
                    owner_at.insert(key.clone(), (owners.len(), r.row));
                    owners.push(Owner {
                        key: key.clone(),
                        name: if kind == OwnerKind::Developer { members[0].clone() } else { name },
                        kind,
                        members,
                    });
                }
            }
            units.push(Unit { no, building, stairwell, floor, area, owner: key });
        }
        if rows.is_empty() {
            errors.push(RowError { row: 0, unit: None, field: "unit", problem: RowProblem::NoUnits });
        }
        if errors.is_empty() { Ok(Registry { units, owners }) } else { Err(errors) }
    }
}

/// `701` → 7, `1203` → 12, `05` → none: the floor is all but the last two digits.
fn floor_from_room(room: &str) -> Option<i32> {
    if room.len() >= 3 && room.bytes().all(|b| b.is_ascii_digit()) { room[..room.len() - 2].parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, unit: &str, b: &str, s: &str, f: &str, a: &str, o: &str) -> RawRow {
        RawRow {
            row: n,
            unit: unit.into(),
            building: b.into(),
            stairwell: s.into(),
            floor: f.into(),
            area: a.into(),
            owner: o.into(),
            owner_id: String::new(),
        }
    }

    #[test]
    fn unit_numbers_normalise_from_chinese_forms() {
        assert_eq!(UnitNo::parse("13号楼701室").unwrap().as_str(), "13-701");
        assert_eq!(UnitNo::parse("13-701").unwrap().as_str(), "13-701");
        assert_eq!(UnitNo::parse("13幢701").unwrap().as_str(), "13-701");
        assert!(UnitNo::parse("701").is_none());
        assert_eq!(BuildingNo::parse("13号楼").unwrap().as_str(), "13");
        assert!(BuildingNo::parse("十三号楼").is_none());
        assert_eq!(StairwellNo::parse("2单元").unwrap().as_str(), "2");
    }

    #[test]
    fn multi_unit_owner_and_developer_get_one_key_each() {
        let reg = Registry::from_rows(&[
            row(2, "701", "13号楼", "1", "7", "80.5", "张三"),
            row(3, "702", "13", "1", "", "70", "张三"),
            row(4, "601", "13", "1", "6", "60", "开发商"),
            row(5, "602", "13", "1", "6", "60", "developer"),
            row(6, "501", "13", "1", "5", "60", "李四；王五"),
        ])
        .unwrap();
        assert_eq!(reg.units.len(), 5);
        assert_eq!(reg.owners.len(), 3);
        assert_eq!(reg.units[1].floor, 7);
        assert_eq!(reg.units[0].owner, reg.units[1].owner);
        assert_eq!(reg.units[2].owner, OwnerKey::developer());
        assert_eq!(reg.units[3].owner, OwnerKey::developer());
        let co = reg.owner(&reg.units[4].owner).unwrap();
        assert_eq!(co.members, vec!["李四", "王五"]);
        assert_eq!(co.name, "李四、王五");
        assert_eq!(reg.total_area().to_string(), "330.50");
    }

    #[test]
    fn every_bad_row_is_listed_with_its_number_and_reason() {
        let errs = Registry::from_rows(&[
            row(2, "701", "13", "1", "7", "80", "张三"),
            row(3, "701", "13", "1", "7", "80", "李四"),
            row(4, "702", "13", "1", "7", "", "王五"),
            row(5, "703", "13", "1", "7", "-5", "赵六"),
            row(6, "704", "十三号楼", "1", "7", "50", "钱七"),
            row(7, "705", "13", "1", "7", "50", ""),
        ])
        .unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(msgs[0].starts_with("row 3 (unit 701), unit: duplicate unit 13-701: already on row 2"), "{msgs:?}");
        assert!(msgs[1].contains("row 4") && msgs[1].contains("area is missing"));
        assert!(msgs[2].contains("row 5") && msgs[2].contains("not a positive number"));
        assert!(msgs[3].contains("row 6") && msgs[3].contains("unknown building format '十三号楼'"));
        assert!(msgs[4].contains("row 7") && msgs[4].contains("owner is missing"));
    }

    #[test]
    fn the_total_area_is_summed_checked_even_past_the_bound() {
        let bounds = Bounds { max_unit_area: Area::from_e4(i64::MAX) };
        let rows: Vec<RawRow> = (1..=1000)
            .map(|i| RawRow {
                row: i + 1,
                unit: format!("{i}01"),
                building: "1".into(),
                stairwell: "1".into(),
                floor: "1".into(),
                area: "999999999999".into(),
                owner: format!("业主{i}"),
                owner_id: String::new(),
            })
            .collect();
        let e = Registry::from_rows_within(&rows, &bounds).unwrap_err();
        assert_eq!(e[0].problem, RowProblem::AreaTotalOverflow);
        assert_eq!(e[0].row, 924, "the first row whose area takes the total past i64");
        assert!(Registry::from_rows(&rows[..3]).unwrap_err().iter().all(|e| e.field == "area"));
    }

    #[test]
    fn header_accepts_chinese_names_and_names_missing_columns() {
        let m = ColumnMap::from_header(&["房号", "楼号", "单元", "楼层", "面积", "业主"]).unwrap();
        let r = m.row(2, &["701", "13", "1", "7", "80", "张三"]);
        assert_eq!(r.area, "80");
        assert_eq!(r.owner, "张三");
        let e = ColumnMap::from_header(&["unit", "building", "stairwell", "floor", "owner"]).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].to_string(), "header: missing column 'area' (面积)");
    }
}
