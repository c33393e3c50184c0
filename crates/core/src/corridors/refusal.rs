//! Why a corridor schedule cannot be made from what was given: each refusal names the argument,
//! the row or the building a person must correct.

use crate::kit::{Lines, Say};
use serde::Serialize;

crate::refusals! {
    pub enum CorridorRefusal {
        /// `--phases` is not a whole number from 1 to 1000.
        BadPhases { value: String } = BadInput "corridors.bad-phases",
            zh "--phases 应为 1 至 1000 的整数，收到“{value}”。",
            en "--phases must be a whole number from 1 to 1000, not '{value}'";
        /// `--capacity` is not a whole number ≥ 1.
        BadCapacity { value: String } = BadInput "corridors.bad-capacity",
            zh "--capacity（每期可施工楼栋数）应为不小于 1 的整数，收到“{value}”。",
            en "--capacity (buildings per phase) must be a whole number of at least 1, not '{value}'";
        /// A `--budget` amount is not a sum in yuan ≥ 0 with at most two decimals.
        BadBudget { value: String } = BadInput "corridors.bad-budget",
            zh "--budget 的金额应为不小于 0、最多两位小数的元数，收到“{value}”。",
            en "--budget amounts must be yuan ≥ 0 with at most 2 decimals, not '{value}'";
        /// `--budget` has neither one amount nor one per phase.
        BudgetCount { given: usize, phases: usize } = BadInput "corridors.budget-count",
            zh "--budget 应给出 1 个金额（各期相同）或 {phases} 个金额（每期一个），以逗号分隔、金额内不写千位分隔符，收到 {given} 个。",
            en "--budget must give 1 amount (every phase) or {phases} (one per phase), separated by commas and written without thousands separators, not {given}";
        /// `--capacity` has neither one number nor one per phase.
        CapacityCount { given: usize, phases: usize } = BadInput "corridors.capacity-count",
            zh "--capacity 应给出 1 个数（各期相同）或 {phases} 个数（每期一个），收到 {given} 个。",
            en "--capacity must give 1 number (every phase) or {phases} (one per phase), not {given}";
        /// `--policy` is neither `strict` nor `best-value`.
        BadPolicy { value: String } = BadInput "corridors.bad-policy",
            zh "--policy 应为 strict（严格按评分）或 best-value（总等待最少），收到“{value}”。",
            en "--policy must be strict or best-value, not '{value}'";
        /// The plans file has no header row.
        EmptyFile = BadInput "corridors.empty-file",
            zh "方案文件为空：第 1 行应为表头 building,cost,score（楼号,费用,评分）。",
            en "the plans file is empty: row 1 must be the header building,cost,score";
        /// A column the plans file must have is missing.
        MissingColumn { column: String } = BadInput "corridors.missing-column",
            zh "方案文件第 1 行缺少“{column}”列（表头应为 building,cost,score）。",
            en "row 1 of the plans file has no '{column}' column (the header is building,cost,score)";
        /// The header names a column the plans file does not have.
        UnknownColumn { column: String } = BadInput "corridors.unknown-column",
            zh "方案文件第 1 行有未知的列“{column}”（表头应为 building,cost,score）。",
            en "row 1 of the plans file has an unknown column '{column}' (the header is building,cost,score)";
        /// The header names a column twice.
        DuplicateColumn { column: String } = BadInput "corridors.duplicate-column",
            zh "方案文件第 1 行的“{column}”列出现了两次。",
            en "row 1 of the plans file has the column '{column}' twice";
        /// The file cannot be read as CSV at a row.
        UnreadableRow { row: usize, reason: String } = BadInput "corridors.unreadable-row",
            zh "方案文件第 {row} 行无法读取：{reason}。",
            en "row {row} of the plans file cannot be read: {reason}";
        /// Rows of the plans file that are wrong, each with its row number and reason.
        BadRows { rows: Lines<RowProblem> } = BadInput "corridors.bad-rows",
            zh "方案文件有错误的行：\n{rows}",
            en "the plans file has bad rows:\n{rows}";
        /// A plan given to the solver directly has a cost or score out of range.
        BadPlan { building: String } = BadInput "corridors.bad-plan",
            zh "{building}号楼的方案费用或评分超出范围（均应不小于 0）。",
            en "building {building}'s plan has a cost or score out of range (both must be ≥ 0)";
        /// More plans than a round takes.
        TooManyPlans { count: usize, max: usize } = BadInput "corridors.too-many-plans",
            zh "方案共 {count} 份，超过上限 {max} 份。",
            en "there are {count} plans, more than the {max} a round takes";
        /// No such round.
        RoundUnknown { id: String } = NotFound "corridors.round-unknown",
            zh "没有编号为 {id} 的楼道方案征集。",
            en "no corridor round {id}";
        /// A round's title, notice or phases missing or wrong.
        BadRound { field: String, reason: String } = BadInput "corridors.bad-round",
            zh "{field}：{reason}。",
            en "{field}: {reason}";
        /// Plans are taken only while the call is open.
        CallClosed { title: String } = Conflict "corridors.call-closed",
            zh "“{title}”已提出排期建议或已决定，不再接收或修改方案与评分。",
            en "'{title}' has a recommendation or a decision: plans and scores no longer change";
        /// A plan field missing or wrong.
        BadPlanField { field: String, reason: String } = BadInput "corridors.bad-plan-field",
            zh "{field}：{reason}。",
            en "{field}: {reason}";
        /// No plan for the building in the round.
        NoPlan { building: String } = NotFound "corridors.no-plan",
            zh "{building}号楼没有提交方案。",
            en "building {building} has no plan in this round";
        /// A reviewer living in the building abstains on its plan.
        ReviewerAbstains { building: String } = Forbidden "corridors.reviewer-abstains",
            zh "您住在{building}号楼，应回避对该楼方案的评分。",
            en "you live in building {building}: you abstain on its plan";
        /// Marks are not one per criterion, each from 0 to 10 with two decimals.
        BadMarks { reason: String } = BadInput "corridors.bad-marks",
            zh "评分（marks）：{reason}。",
            en "marks: {reason}";
        /// A step out of order (recommend before plans, adopt before a recommendation…).
        WrongStage { title: String, status: String, wanted: String } = Conflict "corridors.wrong-stage",
            zh "“{title}”现为 {status}，此操作需在 {wanted} 时进行。",
            en "'{title}' is {status}; this needs it to be {wanted}";
        /// Two plans given to the solver directly are for the same building.
        DuplicatePlan { building: String, first: usize, again: usize } = BadInput "corridors.duplicate-plan",
            zh "{building}号楼有两份方案（第 {first} 份和第 {again} 份）。",
            en "building {building} has two plans (plan {first} and plan {again})";
    }
}

/// What is wrong with one row of the plans file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "problem")]
pub enum Problem {
    /// The building cell is empty.
    MissingBuilding,
    /// The building cell is not a building number such as `13` or `13号楼`.
    BadBuilding { value: String },
    /// A cell beyond the header's columns holds something.
    ExtraCell { value: String },
    /// The building already has a plan on an earlier row.
    DuplicateBuilding { building: String, first_row: usize },
    /// The cost cell is empty.
    MissingCost,
    /// The cost cell is negative.
    NegativeCost { value: String },
    /// The cost cell is not yuan with at most two decimals.
    MalformedCost { value: String },
    /// The score cell is empty.
    MissingScore,
    /// The score cell is negative.
    NegativeScore { value: String },
    /// The score cell is not a number with at most two decimals.
    MalformedScore { value: String },
}

/// One bad row: its number as a spreadsheet shows it (the header is row 1) and its problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub row: usize,
    #[serde(flatten)]
    pub problem: Problem,
}

impl Say for RowProblem {
    fn say_zh(&self) -> String {
        let r = self.row;
        match &self.problem {
            Problem::MissingBuilding => format!("第 {r} 行：缺少楼号"),
            Problem::BadBuilding { value } => format!("第 {r} 行：楼号“{value}”无法识别（例如 13 或 13号楼）"),
            Problem::DuplicateBuilding { building, first_row } => {
                format!("第 {r} 行：{building}号楼重复（第 {first_row} 行已有其方案）")
            }
            Problem::ExtraCell { value } => format!("第 {r} 行：表头之外的单元格有内容“{value}”"),
            Problem::MissingCost => format!("第 {r} 行：缺少费用"),
            Problem::MissingScore => format!("第 {r} 行：缺少评分"),
            Problem::NegativeCost { value } => format!("第 {r} 行：费用“{value}”为负数"),
            Problem::MalformedCost { value } => format!("第 {r} 行：费用“{value}”应为最多两位小数的元数"),
            Problem::NegativeScore { value } => format!("第 {r} 行：评分“{value}”为负数"),
            Problem::MalformedScore { value } => {
                format!("第 {r} 行：评分“{value}”应为不小于 0、最多两位小数的数")
            }
        }
    }

    fn say_en(&self) -> String {
        let r = self.row;
        match &self.problem {
            Problem::MissingBuilding => format!("row {r}: the building is missing"),
            Problem::BadBuilding { value } => {
                format!("row {r}: building '{value}' is not a building number (e.g. 13 or 13号楼)")
            }
            Problem::DuplicateBuilding { building, first_row } => {
                format!("row {r}: building {building} appears twice (first on row {first_row})")
            }
            Problem::ExtraCell { value } => format!("row {r}: a cell beyond the header's columns holds '{value}'"),
            Problem::MissingCost => format!("row {r}: the cost is missing"),
            Problem::MissingScore => format!("row {r}: the score is missing"),
            Problem::NegativeCost { value } => format!("row {r}: cost '{value}' is negative"),
            Problem::MalformedCost { value } => {
                format!("row {r}: cost '{value}' is not yuan with at most 2 decimals")
            }
            Problem::NegativeScore { value } => format!("row {r}: score '{value}' is negative"),
            Problem::MalformedScore { value } => {
                format!("row {r}: score '{value}' is not a number ≥ 0 with at most 2 decimals")
            }
        }
    }
}
