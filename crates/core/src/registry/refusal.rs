//! Refusals of the register: bad rows of a file, and the compound and its buildings.

use crate::kit::area::AreaError;
use crate::kit::{Lines, Say};

crate::refusals! {
    /// What is wrong with one cell or row of a register or ballot file.
    pub enum RowProblem {
        BuildingMissing = BadInput "registry.building-missing",
            zh "缺少楼号。",
            en "building is missing";
        BuildingFormat { value: String } = BadInput "registry.building-format",
            zh "楼号“{value}”的格式无法识别（应写成 13 或 13号楼）。",
            en "unknown building format '{value}' (expected e.g. 13 or 13号楼)";
        StairwellFormat { value: String } = BadInput "registry.stairwell-format",
            zh "单元“{value}”的格式无法识别（应写成 1 或 1单元）。",
            en "unknown stairwell format '{value}' (expected e.g. 1 or 1单元)";
        UnitNotInBuilding { value: String, building: String } = BadInput "registry.unit-not-in-building",
            zh "房号“{value}”不属于 {building} 号楼。",
            en "unit '{value}' is not in building {building}";
        UnitMissing = BadInput "registry.unit-missing",
            zh "缺少房号。",
            en "unit is missing";
        UnitFormat { value: String } = BadInput "registry.unit-format",
            zh "房号“{value}”的格式无法识别（应写成 701 或 13-701）。",
            en "unknown unit format '{value}' (expected e.g. 701 or 13-701)";
        FloorMissing = BadInput "registry.floor-missing",
            zh "缺少楼层，也无法从房号看出楼层。",
            en "floor is missing and cannot be read from the unit number";
        FloorRange { value: String } = BadInput "registry.floor-range",
            zh "楼层“{value}”不是 -10 到 200 之间的整数。",
            en "floor '{value}' is not a whole number from -10 to 200";
        OwnerMissing = BadInput "registry.owner-missing",
            zh "缺少业主。",
            en "owner is missing";
        DuplicateUnit { unit: String, first_row: usize } = BadInput "registry.duplicate-unit",
            zh "房号 {unit} 重复：第 {first_row} 行已经有了。",
            en "duplicate unit {unit}: already on row {first_row}";
        OwnerIdConflict { id: String, first_name: String, first_row: usize, name: String } = BadInput "registry.owner-id-conflict",
            zh "业主编号 {id} 在第 {first_row} 行是“{first_name}”，这里却是“{name}”。",
            en "owner id {id} is '{first_name}' on row {first_row} but '{name}' here";
        NoUnits = BadInput "registry.no-units",
            zh "文件中没有任何房屋。",
            en "the file has no units";
        Area { problem: AreaError } = BadInput "registry.bad-area",
            zh "{problem}",
            en "{problem}";
        MissingColumn { column: String, zh_name: String } = BadInput "registry.missing-column",
            zh "缺少“{zh_name}”列（{column}）。",
            en "missing column '{column}' ({zh_name})";
        NotAUnitNumber { value: String } = BadInput "registry.not-a-unit-number",
            zh "“{value}”不是有效的房号，请写成 13-701 这样的格式。",
            en "'{value}' is not a unit number like 13-701";
        Cell { problem: crate::kit::CellProblem } = BadInput "registry.bad-cell",
            zh "{problem}",
            en "{problem}";
        DuplicateColumn { column: String, first: i64, again: i64 } = BadInput "registry.duplicate-column",
            zh "“{column}”列出现了两次（第 {first} 列和第 {again} 列），不知道该用哪一列。",
            en "column '{column}' appears twice (columns {first} and {again}); which one is meant is unclear";
        UnknownColumn { column: String, known: String } = BadInput "registry.unknown-column",
            zh "“{column}”不是这种表格的列（可用的列：{known}）；不需要的列请删除，或把列名改成“备注”。",
            en "'{column}' is not a column of this table (the columns are: {known}); delete it, or name it 备注 (note) to keep it out of the import";
        AreaAboveBound { value: String, max: String } = BadInput "registry.area-above-bound",
            zh "专有部分面积 {value} ㎡ 超过一套房屋可能的上限 {max} ㎡（上限可以调整：--max-unit-area）。",
            en "area {value} m² is more than a flat can be ({max} m²; the bound is a setting: --max-unit-area)";
        AreaTotalOverflow = BadInput "registry.area-total-overflow",
            zh "加上这一行后，总面积超出了可以精确计算的范围。",
            en "adding this row takes the total area past what can be counted exactly";
        UnknownChoice { value: String } = BadInput "registry.unknown-choice",
            zh "无法识别的表决意见“{value}”（应为 同意、反对、弃权，或 approve、oppose、abstain）。",
            en "unknown choice '{value}' (approve, oppose, abstain / 同意, 反对, 弃权)";
    }
}

/// One bad row (or the header, row 0) of a file: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// Row number in the file, the header being row 1; 0 for the header itself.
    pub row: usize,
    pub unit: Option<String>,
    pub field: &'static str,
    pub problem: RowProblem,
}

impl Say for RowError {
    fn say_zh(&self) -> String {
        let field = field_zh(self.field);
        let what = self.problem.say_zh();
        match (&self.unit, self.row) {
            (_, 0) => format!("表头：{what}"),
            (Some(u), r) => format!("第 {r} 行（房号 {u}），{field}：{what}"),
            (None, r) => format!("第 {r} 行，{field}：{what}"),
        }
    }

    fn say_en(&self) -> String {
        let what = self.problem.say_en();
        match (&self.unit, self.row) {
            (_, 0) => format!("header: {what}"),
            (Some(u), r) => format!("row {r} (unit {u}), {}: {what}", self.field),
            (None, r) => format!("row {r}, {}: {what}", self.field),
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say_en())
    }
}

impl serde::Serialize for RowError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("row", &self.row)?;
        m.serialize_entry("unit", &self.unit)?;
        m.serialize_entry("field", self.field)?;
        m.serialize_entry("code", crate::kit::refusal::Refusal::code(&self.problem))?;
        m.serialize_entry("detail", &self.say_en())?;
        m.end()
    }
}

/// A file's column or a form's field as a person knows it, with the key beside it.
pub fn field_zh(field: &str) -> String {
    const FIELDS: &[(&str, &str)] = &[
        ("unit", "房号"),
        ("building", "楼号"),
        ("stairwell", "单元"),
        ("floor", "楼层"),
        ("area", "专有部分面积"),
        ("owner", "业主"),
        ("owner_id", "业主编号"),
        ("choice", "表决意见"),
        ("header", "表头"),
        ("approve", "同意的候选人"),
    ];
    match FIELDS.iter().find(|(k, _)| *k == field) {
        Some((k, zh)) => format!("{zh}（{k}）"),
        None => field.to_string(),
    }
}

crate::refusals! {
    /// Refusals of the register and the compound.
    pub enum RegistryRefusal {
        BadRows { rows: Lines<RowError> } = BadInput "registry.bad-rows",
            zh "{rows}",
            en "{rows}";
        EmptyFile { file: String } = BadInput "registry.empty-file",
            zh "{file}：文件是空的。",
            en "{file}: the file is empty";
        CompoundExists { name: String } = Conflict "registry.compound-exists",
            zh "名为 {name} 的小区已经存在。",
            en "a compound named {name} already exists";
        CompoundNotFound { compound: String } = NotFound "registry.compound-not-found",
            zh "找不到小区 {compound}。",
            en "compound {compound} not found";
        UnitNotInRegister { unit: String } = BadInput "registry.unit-not-in-register",
            zh "房屋 {unit} 不在小区房屋名册中。",
            en "unit {unit} is not in the register";
        BadUnit { field: String, value: String } = BadInput "registry.bad-unit",
            zh "房号（{field}）：“{value}”不是有效的房号，请写成 13-701 这样的格式。",
            en "{field}: '{value}' is not a unit number like 13-701";
        NoUnitsInBuilding { building: String } = BadInput "registry.no-units-in-building",
            zh "楼号（building）：楼号“{building}”下没有任何房屋。",
            en "building: no units in building '{building}'";
        ScopeNotInCompound { scope: String } = BadInput "registry.scope-not-in-compound",
            zh "范围（scope）：本小区没有“{scope}”这个楼栋或单元。",
            en "scope: the compound has no {scope}";
    }
}

impl RegistryRefusal {
    /// The refusal of a file's bad rows.
    pub fn rows(rows: Vec<RowError>) -> RegistryRefusal {
        RegistryRefusal::BadRows { rows: Lines(rows) }
    }
}
