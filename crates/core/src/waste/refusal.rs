//! Why waste duty refuses something: a bad row in a roster file, a swap that breaks a rule, a
//! station that serves too many households. Codes are stable (`waste.*`); API clients act on them.

use crate::kit::{Lines, Refusal, Say};
use serde::Serialize;
use serde_json::{Map, Value};

/// Which roster file a row is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Table {
    Shifts,
    Volunteers,
}

/// Where a bad value is: a file's row as a spreadsheet numbers it (header = row 1), or nowhere
/// when the value came from the API rather than a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct At {
    pub table: Table,
    pub row: Option<usize>,
}

impl At {
    pub fn row(table: Table, row: usize) -> At {
        At { table, row: Some(row) }
    }

    pub fn header(table: Table) -> At {
        At { table, row: Some(1) }
    }

    pub fn api(table: Table) -> At {
        At { table, row: None }
    }
}

/// Reads as the sentence's opening: `shifts file, row 5: ` / `班次表第 5 行：`.
impl Say for At {
    fn say_zh(&self) -> String {
        let t = match self.table {
            Table::Shifts => "班次表",
            Table::Volunteers => "志愿者表",
        };
        match self.row {
            Some(r) => format!("{t}第 {r} 行："),
            None => format!("{t}："),
        }
    }
    fn say_en(&self) -> String {
        let t = match self.table {
            Table::Shifts => "shifts file",
            Table::Volunteers => "volunteers file",
        };
        match self.row {
            Some(r) => format!("{t}, row {r}: "),
            None => format!("{t}: "),
        }
    }
}

/// One refusal inside a list of bad rows: its code, its values and both wordings.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem(pub WasteRefusal);

impl Say for Problem {
    fn say_zh(&self) -> String {
        Refusal::zh(&self.0)
    }
    fn say_en(&self) -> String {
        Refusal::en(&self.0)
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = Map::new();
        m.insert("code".into(), Value::from(self.0.code()));
        m.extend(self.0.values());
        m.serialize(s)
    }
}

crate::refusals! {
    pub enum WasteRefusal {
        /// A file without even a header row.
        EmptyFile { at: At } = BadInput "waste.empty-file",
            zh "{at}文件为空，缺少标题行。",
            en "{at}the file is empty (no header row)";
        /// A header cell that is not one of the file's columns.
        UnknownColumn { at: At, column: String, expected: String } = BadInput "waste.unknown-column",
            zh "{at}未知的列“{column}”（应为 {expected}）。",
            en "{at}unknown column '{column}' (expected {expected})";
        /// A column named twice in the header.
        DuplicateColumn { at: At, column: String } = BadInput "waste.duplicate-column",
            zh "{at}列“{column}”重复。",
            en "{at}column '{column}' appears twice";
        /// A required column missing from the header.
        MissingColumn { at: At, column: String } = BadInput "waste.missing-column",
            zh "{at}缺少列“{column}”。",
            en "{at}missing column '{column}'";
        /// The file is not readable as CSV, or a row has more cells than the header.
        BadRow { at: At, reason: String } = BadInput "waste.bad-row",
            zh "{at}无法读取：{reason}。",
            en "{at}cannot be read: {reason}";
        /// A required cell left empty.
        MissingValue { at: At, column: String } = BadInput "waste.missing-value",
            zh "{at}“{column}”为空。",
            en "{at}{column} is empty";
        /// A shift id used twice.
        DuplicateShift { at: At, shift: String, first_row: usize } = BadInput "waste.duplicate-shift",
            zh "{at}班次 {shift} 重复（第 {first_row} 行已有）。",
            en "{at}shift {shift} appears twice (already on row {first_row})";
        /// A volunteer id used twice.
        DuplicateVolunteer { at: At, volunteer: String, first_row: usize } = BadInput "waste.duplicate-volunteer",
            zh "{at}志愿者 {volunteer} 重复（第 {first_row} 行已有）。",
            en "{at}volunteer {volunteer} appears twice (already on row {first_row})";
        /// Availability naming a shift the shifts file does not have.
        UnknownShift { at: At, volunteer: String, shift: String } = BadInput "waste.unknown-shift",
            zh "{at}志愿者 {volunteer} 的可值班次 {shift} 不存在。",
            en "{at}volunteer {volunteer} is available for shift {shift}, which is not in the shifts file";
        /// A shift that ends before or when it starts.
        EndNotAfterStart { at: At, shift: String, start: String, end: String } = BadInput "waste.end-not-after-start",
            zh "{at}班次 {shift} 的结束时间 {end} 不晚于开始时间 {start}。",
            en "{at}shift {shift} ends at {end}, not after its start {start}";
        /// A shift needing no volunteer.
        NeedBelowOne { at: At, shift: String, need: String } = BadInput "waste.need-below-one",
            zh "{at}班次 {shift} 的需要人数 {need} 小于 1。",
            en "{at}shift {shift} needs {need} volunteers; at least 1 is required";
        /// A time that is not HH:MM.
        BadTime { at: At, column: String, value: String } = BadInput "waste.bad-time",
            zh "{at}{column}“{value}”不是 HH:MM 格式的时间。",
            en "{at}{column} '{value}' is not a time like 07:00";
        /// A date that is not YYYY-MM-DD.
        BadDate { at: At, value: String } = BadInput "waste.bad-date",
            zh "{at}日期“{value}”不是 YYYY-MM-DD 格式。",
            en "{at}date '{value}' is not a date like 2026-03-01";
        /// A count that is not a whole number.
        BadNumber { at: At, column: String, value: String } = BadInput "waste.bad-number",
            zh "{at}{column}“{value}”不是非负整数。",
            en "{at}{column} '{value}' is not a whole number";
        /// Several of the above, each on its own line.
        BadRows { count: usize, problems: Lines<Problem> } = BadInput "waste.bad-rows",
            zh "文件有 {count} 处错误：\n{problems}",
            en "{count} problems in the files:\n{problems}";

        /// The volunteer giving a shift away is not on it.
        NotOnShift { volunteer: String, shift: String } = Conflict "waste.not-on-shift",
            zh "志愿者 {volunteer} 不在班次 {shift} 上。",
            en "volunteer {volunteer} is not on shift {shift}";
        /// The volunteer taking a shift is already on it.
        AlreadyOnShift { volunteer: String, shift: String } = Conflict "waste.already-on-shift",
            zh "志愿者 {volunteer} 已在班次 {shift} 上。",
            en "volunteer {volunteer} is already on shift {shift}";
        /// A swap with oneself.
        SameVolunteer { volunteer: String } = BadInput "waste.same-volunteer",
            zh "不能与自己换班（{volunteer}）。",
            en "volunteer {volunteer} cannot swap with themselves";
        /// The shift is not in the volunteer's availability.
        NotAvailable { volunteer: String, shift: String } = Conflict "waste.not-available",
            zh "志愿者 {volunteer} 未登记可值班次 {shift}。",
            en "volunteer {volunteer} is not available for shift {shift}";
        /// The shift falls on a date the volunteer is away.
        Away { volunteer: String, shift: String, date: String } = Conflict "waste.away",
            zh "志愿者 {volunteer} 在 {date} 不在（班次 {shift}）。",
            en "volunteer {volunteer} is away on {date} (shift {shift})";
        /// Two shifts of one volunteer at the same time.
        Overlap { volunteer: String, shift: String, other: String } = Conflict "waste.overlap",
            zh "志愿者 {volunteer} 的班次 {shift} 与班次 {other} 时间重叠。",
            en "shift {shift} overlaps volunteer {volunteer}'s shift {other}";
        /// More shifts than the volunteer's most for the period.
        OverMax { volunteer: String, max: u32 } = Conflict "waste.over-max",
            zh "志愿者 {volunteer} 本期最多值 {max} 个班次。",
            en "volunteer {volunteer} takes at most {max} shifts in the period";
        /// More shifts in one ISO week than the volunteer's most per week.
        OverWeekMax { volunteer: String, week: String, max: u32 } = Conflict "waste.over-week-max",
            zh "志愿者 {volunteer} 每周最多值 {max} 个班次（{week} 周）。",
            en "volunteer {volunteer} takes at most {max} shifts a week (week {week})";
        /// More volunteers on a shift than it needs.
        OverNeed { shift: String, need: u32 } = Conflict "waste.over-need",
            zh "班次 {shift} 只需要 {need} 人。",
            en "shift {shift} needs only {need} volunteers";
        /// A shift id the roster does not know.
        NoSuchShift { shift: String } = NotFound "waste.no-such-shift",
            zh "没有班次 {shift}。",
            en "there is no shift {shift}";
        /// A volunteer id the roster does not know.
        NoSuchVolunteer { volunteer: String } = NotFound "waste.no-such-volunteer",
            zh "没有志愿者 {volunteer}。",
            en "there is no volunteer {volunteer}";

        /// No roster has been built yet.
        NoRoster = NotFound "waste.no-roster",
            zh "还没有排班表。",
            en "no roster has been built yet";
        /// The account is not one of the volunteers.
        NotAVolunteer = NotFound "waste.not-a-volunteer",
            zh "您不在志愿者名单上。",
            en "you are not on the volunteers' list";
        /// Check-in is on the shift's own day.
        CheckInDay { shift: String, date: String } = Conflict "waste.check-in-day",
            zh "班次 {shift} 在 {date}，只能在当天签到。",
            en "shift {shift} is on {date}: check in on the day";
        /// No such swap offer (or already answered).
        SwapUnknown { id: String } = NotFound "waste.swap-unknown",
            zh "没有待回复的换班请求 {id}。",
            en "no open swap offer {id}";
        /// Only the volunteer asked may answer a swap offer.
        SwapNotYours = Forbidden "waste.swap-not-yours",
            zh "这个换班请求不是发给您的。",
            en "this swap offer is not addressed to you";
        /// No such open cover request (or already taken).
        CoverUnknown { id: String } = NotFound "waste.cover-unknown",
            zh "没有待代班的请求 {id}（可能已有人接班）。",
            en "no open cover request {id} (someone may have taken it)";
        /// A cover request for a place the roster has filled.
        NoGap { shift: String } = Conflict "waste.no-gap",
            zh "班次 {shift} 已排满，无需找人补班。",
            en "shift {shift} is fully staffed: nobody is needed";
        /// Nobody free, available and under their maxima could take the shift.
        NoCandidates { shift: String } = Conflict "waste.no-candidates",
            zh "班次 {shift} 暂无有空且未超上限的志愿者可代班，请联系组织者。",
            en "no volunteer is free, available and under their maxima for shift {shift}; ask the organiser";
        /// A cover request for this place is already open.
        CoverOpen { shift: String } = Conflict "waste.cover-open",
            zh "班次 {shift} 已在找人代班。",
            en "a cover request for shift {shift} is already open";
        /// A station or volunteer field missing or wrong.
        BadField { field: String, reason: String } = BadInput "waste.bad-field",
            zh "{field}：{reason}。",
            en "{field}: {reason}";
        /// A station serving more households than one station should (the guide: 300–500).
        TooManyHouseholds { station: String, households: u32, max: u32 } = BadInput "waste.too-many-households",
            zh "投放点 {station} 服务 {households} 户，超过每点 {max} 户；应增设投放点。",
            en "station {station} serves {households} households, more than {max} per station; add a station";
        /// A station serving fewer households than one station should (the guide: 300–500).
        TooFewHouseholds { station: String, households: u32, min: u32 } = BadInput "waste.too-few-households",
            zh "投放点 {station} 仅服务 {households} 户，少于每点 {min} 户；可与邻近投放点合并。",
            en "station {station} serves only {households} households, fewer than {min} per station; it could be merged";
        /// Wet and dry bins must be set in pairs (Regulation Art. 26).
        WetDryNotPaired { station: String } = BadInput "waste.wet-dry-not-paired",
            zh "投放点 {station} 的湿垃圾桶和干垃圾桶应成对设置（《上海市生活垃圾管理条例》第二十六条）。",
            en "station {station} must have wet and dry bins in pairs (Regulation Art. 26)";
        /// An opening window that ends before or when it starts.
        BadWindow { station: String, start: String, end: String } = BadInput "waste.bad-window",
            zh "投放点 {station} 的开放时段 {start}–{end} 无效。",
            en "station {station} has an opening window {start}–{end} that does not end after it starts";
        /// Two opening windows of one station overlap.
        WindowsOverlap { station: String, first: String, second: String } = BadInput "waste.windows-overlap",
            zh "投放点 {station} 的开放时段 {first} 与 {second} 重叠。",
            en "station {station} has overlapping opening windows {first} and {second}";
    }
}

/// One problem as it is, several as a list of lines (each still carrying its own code).
pub fn one_or_many(mut problems: Vec<WasteRefusal>) -> Option<WasteRefusal> {
    match problems.len() {
        0 => None,
        1 => problems.pop(),
        n => Some(WasteRefusal::BadRows { count: n, problems: Lines(problems.into_iter().map(Problem).collect()) }),
    }
}
