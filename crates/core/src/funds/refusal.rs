//! Why the ledger, a statement, a draw or an imported sheet was refused, as data.

use super::authority::{MatterStatus, Pays};
use crate::kit::{Lines, Money, Refused, Say};
use serde::Serialize;

crate::refusals! {
    pub enum FundsRefusal {
        /// A transaction needs a debit and a credit.
        TooFewPostings { count: usize } = BadInput "funds.too-few-postings",
            zh "一笔分录至少要有两行（借方和贷方），这里只有 {count} 行。",
            en "a transaction needs at least two postings (a debit and a credit); it has {count}";
        /// A posting of 0.00 says nothing and hides mistakes.
        ZeroPosting { account: String } = BadInput "funds.zero-posting",
            zh "科目 {account} 的金额为 0.00。",
            en "the posting to {account} is 0.00";
        /// Debits and credits differ.
        Unbalanced { off_by: Money } = BadInput "funds.unbalanced",
            zh "借贷不平衡：相差 {off_by} 元。",
            en "the postings do not sum to zero: they are off by {off_by} yuan";
        /// Not an account of the chart.
        UnknownAccount { account: String } = BadInput "funds.unknown-account",
            zh "没有科目 '{account}'（可用：income:parking|advert|venue|other、cost:tax|labour|energy|other、revenue、fund[:楼号|:房号]、bank、cash、contributions、spending）。",
            en "unknown account '{account}' (accounts: income:parking|advert|venue|other, cost:tax|labour|energy|other, revenue, fund[:building|:unit], bank, cash, contributions, spending)";
        /// A building the compound's register does not list.
        UnknownBuilding { building: String } = BadInput "funds.unknown-building",
            zh "本小区没有 {building} 号楼。",
            en "the compound has no building {building}";
        /// Spending must cite a passed vote or a standing authorisation.
        SpendingWithoutAuthority { amount: Money } = BadInput "funds.spending-without-authority",
            zh "支出 {amount} 元未注明依据：须关联已通过的表决事项或常设授权。",
            en "spending of {amount} yuan cites no authority: link it to a passed vote or a standing authorisation";
        /// The vote cited has not passed.
        MatterNotPassed { matter: String, status: MatterStatus } = Conflict "funds.matter-not-passed",
            zh "表决事项 {matter} {status}：只有已通过的表决才能授权支出。",
            en "matter {matter} is {status}: only a passed vote authorises spending";
        /// No standing authorisation has this id.
        UnknownAuthorisation { authorisation: String } = NotFound "funds.unknown-authorisation",
            zh "没有编号为 {authorisation} 的常设授权。",
            en "no standing authorisation {authorisation}";
        /// An authorisation for one fund cited for the other.
        AuthorisationOtherFund { authorisation: String, pays: Pays } = BadInput "funds.authorisation-other-fund",
            zh "常设授权 {authorisation} 只授权动用{pays}。",
            en "standing authorisation {authorisation} only covers spending from {pays}";
        /// The authorisation does not cover this date.
        OutsideAuthorisation { authorisation: String, date: String, from: String, until: String } = Conflict "funds.outside-authorisation-period",
            zh "常设授权 {authorisation} 的有效期为 {from} 至 {until}，不含 {date}。",
            en "standing authorisation {authorisation} runs from {from} to {until}, not on {date}";
        /// One item above the authorisation's per-item limit.
        OverAuthorisationLimit { authorisation: String, amount: Money, limit: Money } = Conflict "funds.over-authorisation-limit",
            zh "{amount} 元超过常设授权 {authorisation} 的单笔限额 {limit} 元，须提交业主大会表决。",
            en "{amount} yuan is over standing authorisation {authorisation}'s limit of {limit} yuan per item: it needs a vote";
        /// The authorisation's total is used up.
        AuthorisationExhausted { authorisation: String, amount: Money, used: Money, total: Money } = Conflict "funds.authorisation-exhausted",
            zh "常设授权 {authorisation} 总额 {total} 元，已用 {used} 元，不足支付 {amount} 元。",
            en "standing authorisation {authorisation} allows {total} yuan in total and {used} are used: {amount} more is over it";
        /// An authorisation id twice.
        DuplicateAuthorisation { authorisation: String } = Conflict "funds.duplicate-authorisation",
            zh "常设授权 {authorisation} 已存在。",
            en "standing authorisation {authorisation} already exists";
        /// An authorisation whose dates or limits make no sense.
        BadAuthorisation { authorisation: String } = BadInput "funds.bad-authorisation",
            zh "常设授权 {authorisation} 的期限或限额无效（须起始不晚于截止，限额大于 0）。",
            en "standing authorisation {authorisation} has bad dates or limits (from no later than until, limits above 0)";
        /// Money leaving the maintenance fund must cite the project it pays.
        DrawWithoutProject { amount: Money } = BadInput "funds.draw-without-project",
            zh "从维修资金支取 {amount} 元须关联所付工程项目（及批准它的表决事项）或维修资金常设授权。",
            en "drawing {amount} yuan from the maintenance fund must cite the project it pays (and the matter that approved it) or a fund authorisation";
        /// A project link on something that is not a draw.
        ProjectLinkNotADraw { project: String } = BadInput "funds.project-link-not-a-draw",
            zh "工程项目 {project} 的关联只用于维修资金支取；公共收益支出请关联表决事项。",
            en "a link to project {project} is for draws on the maintenance fund; public-revenue spending cites its matter";
        /// No works contract is recorded for the project.
        UnknownProject { project: String } = NotFound "funds.unknown-project",
            zh "工程项目 {project} 没有登记施工合同。",
            en "no works contract is recorded for project {project}";
        /// A works contract twice.
        DuplicateProject { project: String } = Conflict "funds.duplicate-project",
            zh "工程项目 {project} 已登记施工合同。",
            en "project {project} already has a works contract";
        /// The draw cites another matter than the one that approved the works.
        DrawMatterMismatch { project: String, matter: String, approved_by: String } = BadInput "funds.draw-matter-mismatch",
            zh "工程项目 {project} 由表决事项 {approved_by} 批准，不是 {matter}。",
            en "project {project} was approved by matter {approved_by}, not {matter}";
        /// A draw beyond the rule's limit (沪房规范〔2024〕7号 §6(4)).
        DrawOverLimit { project: String, amount: Money, limit: Money, rule: String } = Conflict "funds.draw-over-limit",
            zh "工程项目 {project} 本次支取 {amount} 元，超过可支取上限 {limit} 元（规则 {rule}）。",
            en "drawing {amount} yuan for project {project} is over the limit of {limit} yuan (rule {rule})";
        /// No transaction has this number.
        UnknownTransaction { id: u64 } = NotFound "funds.unknown-transaction",
            zh "没有第 {id} 号分录。",
            en "no transaction {id}";
        /// A transaction is reversed once.
        AlreadyReversed { id: u64, by: u64 } = Conflict "funds.already-reversed",
            zh "第 {id} 号分录已由第 {by} 号分录冲销。",
            en "transaction {id} was already reversed by transaction {by}";
        /// Reversing a reversal would re-enter an entry without its checks.
        ReversingAReversal { id: u64 } = Conflict "funds.reversing-a-reversal",
            zh "第 {id} 号分录本身是冲销分录；如需恢复，请重新录入原分录。",
            en "transaction {id} is itself a reversal; enter the original again instead";
        /// A reversal dated before the entry it reverses.
        ReversalBeforeEntry { id: u64, date: String, entry_date: String } = BadInput "funds.reversal-before-entry",
            zh "冲销日期 {date} 早于第 {id} 号分录的日期 {entry_date}。",
            en "a reversal dated {date} is before transaction {id} of {entry_date}";
        /// A balance assertion (the bank statement) does not match the books.
        BalanceMismatch { account: String, date: String, expected: Money, actual: Money } = Conflict "funds.balance-assertion-failed",
            zh "{date} 日终科目 {account} 余额应为 {expected} 元，账上为 {actual} 元。",
            en "at the close of {date} {account} should be {expected} yuan but the books say {actual}";
        /// Not a quarter like 2026Q1.
        BadQuarter { value: String } = BadInput "funds.bad-quarter",
            zh "季度 '{value}' 格式不对（例如 2026Q1）。",
            en "quarter '{value}' is not like 2026Q1";
        /// Not a decimal rate like 0.6.
        BadRate { value: String } = BadInput "funds.bad-rate",
            zh "比例 '{value}' 格式不对（例如 0.6 或 60%，最多 18 位小数）。",
            en "rate '{value}' is not a decimal like 0.6 or 60% (at most 18 decimals)";
        /// Shanghai requires more than half (以上 excluded: 超过 50%).
        RateNotAboveHalf { rate: String } = BadInput "funds.rate-not-above-half",
            zh "补充维修资金的比例须高于 50%，{rate} 不行。",
            en "the top-up rate must be above 50% (0.5); {rate} is not";
        /// More than all of the net.
        RateAboveOne { rate: String } = BadInput "funds.rate-above-one",
            zh "补充维修资金的比例不能超过 100%，{rate} 不行。",
            en "the top-up rate cannot be above 100% (1); {rate} is";
        /// A sheet with no header.
        EmptySheet = BadInput "funds.empty-sheet",
            zh "文件是空的：第 1 行应为表头。",
            en "the file is empty: row 1 must be the header";
        /// Every bad row of a sheet; nothing was imported.
        BadRows { count: usize, rows: Lines<RowProblem> } = BadInput "funds.bad-rows",
            zh "有 {count} 处错误，全部未导入：\n{rows}",
            en "{count} problem(s), nothing imported:\n{rows}";
        /// A column the sheet does not have.
        UnknownColumn { column: String, expected: String } = BadInput "funds.unknown-column",
            zh "未知的列 '{column}'（应为：{expected}）。",
            en "unknown column '{column}' (expected: {expected})";
        /// A column twice.
        DuplicateColumn { column: String } = BadInput "funds.duplicate-column",
            zh "列 '{column}' 重复。",
            en "column '{column}' appears twice";
        /// A required column missing.
        MissingColumn { column: String } = BadInput "funds.missing-column",
            zh "缺少列 '{column}'。",
            en "missing column '{column}'";
        /// More cells than the header names.
        TooManyCells { cells: usize, columns: usize } = BadInput "funds.too-many-cells",
            zh "这一行有 {cells} 格，表头只有 {columns} 列。",
            en "the row has {cells} cells but the header {columns} columns";
        /// A line the CSV reader could not read.
        UnreadableRow { reason: String } = BadInput "funds.unreadable-row",
            zh "无法读取这一行（{reason}）。",
            en "the row cannot be read ({reason})";
        /// The same account on both sides.
        SameAccount { account: String } = BadInput "funds.same-account",
            zh "科目与对方科目都是 {account}。",
            en "the account and its counterpart are both {account}";
        /// Not a date.
        BadDate { value: String } = BadInput "funds.bad-date",
            zh "日期 '{value}' 格式不对（应为 YYYY-MM-DD）。",
            en "date '{value}' is not a date YYYY-MM-DD";
        /// An account this sheet does not take.
        AccountNotInSheet { account: String, allowed: String } = BadInput "funds.account-not-in-sheet",
            zh "科目 '{account}' 不能出现在这张表里（可用：{allowed}）。",
            en "account '{account}' is not allowed in this sheet (allowed: {allowed})";
        /// Not an amount in yuan with at most two decimals.
        BadAmount { account: String, value: String } = BadInput "funds.bad-amount",
            zh "{account} 的金额 '{value}' 格式不对（以元为单位，最多两位小数）。",
            en "amount '{value}' for {account} is not an amount in yuan with at most 2 decimals";
        /// Amounts in a sheet are positive; the account says the direction.
        AmountNotPositive { account: String, amount: Money } = BadInput "funds.amount-not-positive",
            zh "{account} 的金额须大于 0，这里是 {amount}。",
            en "amount {amount} for {account} must be above 0";
        /// Larger than any compound's books hold.
        AmountTooLarge { account: String, amount: Money, max: Money } = BadInput "funds.amount-too-large",
            zh "{account} 的金额 {amount} 超过上限 {max} 元。",
            en "amount {amount} for {account} is over the largest amount the books take, {max}";
        /// Not a building number.
        BadBuilding { value: String } = BadInput "funds.bad-building",
            zh "楼号 '{value}' 格式不对（例如 13 或 13号楼）。",
            en "building '{value}' is not a building number like 13 or 13号楼";
        /// Not a link like matter:ID.
        BadLink { value: String } = BadInput "funds.bad-link",
            zh "关联 '{value}' 格式不对（matter:编号、authorisation:编号 或 project:编号/matter:编号）。",
            en "link '{value}' is not matter:ID, authorisation:ID or project:ID/matter:ID";
        /// A CLI amount that is not money.
        BadMoney { field: String, value: String } = BadInput "funds.bad-money",
            zh "{field} 的值 '{value}' 不是以元为单位、最多两位小数的金额。",
            en "{field} '{value}' is not an amount in yuan with at most 2 decimals";
        /// A CLI amount that must be above zero.
        NotPositive { field: String, amount: Money } = BadInput "funds.not-positive",
            zh "{field} 须大于 0，这里是 {amount}。",
            en "{field} must be above 0; it is {amount}";
        /// A CLI amount that cannot be negative.
        Negative { field: String, amount: Money } = BadInput "funds.negative",
            zh "{field} 不能为负数，这里是 {amount}。",
            en "{field} cannot be negative; it is {amount}";
        /// More paid than the contract.
        PaidOverContract { paid: Money, contract: Money } = BadInput "funds.paid-over-contract",
            zh "已付 {paid} 元超过合同价 {contract} 元。",
            en "paid {paid} is more than the contract price {contract}";
        /// Not a count of draws.
        BadDrawCount { value: String } = BadInput "funds.bad-draw-count",
            zh "已支取次数 '{value}' 不是非负整数。",
            en "--draws '{value}' is not a whole number 0 or more";
        /// No draws yet, but money paid.
        NoDrawsButPaid { paid: Money } = BadInput "funds.no-draws-but-paid",
            zh "已支取 0 次，却已付 {paid} 元。",
            en "--draws 0 but {paid} yuan already paid";
        /// Draws made, but nothing paid.
        DrawsButNothingPaid { draws: u64 } = BadInput "funds.draws-but-nothing-paid",
            zh "已支取 {draws} 次，已付金额却为 0。",
            en "{draws} draws made but nothing paid: each draw pays something";
        /// A setting that makes no sense.
        BadSetting { setting: String, value: String } = BadInput "funds.bad-setting",
            zh "设置 {setting} 的值 {value} 无效。",
            en "setting {setting} cannot be {value}";
        /// The covenant's top-up rate has not been recorded.
        NoRate = Conflict "funds.no-rate",
            zh "尚未登记公共收益管理规约约定的续筹比例，无法计算本季度续筹金额。",
            en "the covenant's top-up rate is not recorded yet, so the quarter's top-up cannot be computed";
        /// A quarter booked twice.
        QuarterBooked { quarter: String } = Conflict "funds.quarter-booked",
            zh "{quarter} 的净收益划转和续筹已经入账；如有差错，请冲销后重新入账。",
            en "{quarter}'s transfer and top-up are already booked; reverse them to book again";
        /// A quarter booked before it has ended.
        QuarterNotOver { quarter: String, last_day: String } = Conflict "funds.quarter-not-over",
            zh "{quarter} 到 {last_day} 才结束，结束后才能入账续筹。",
            en "{quarter} runs to {last_day}; its top-up is booked once it has ended";
        /// A statement posted before its quarter is booked.
        QuarterNotBooked { quarter: String } = Conflict "funds.quarter-not-booked",
            zh "{quarter} 的续筹尚未入账，先入账再公布。",
            en "{quarter}'s top-up is not booked yet: book it, then post the statement";
        /// A statement posted twice.
        StatementPosted { period: String, on: String } = Conflict "funds.statement-posted",
            zh "{period} 的账目已于 {on} 公布。",
            en "{period}'s statement was posted on {on}";
        /// Not a period of a statement.
        BadPeriod { value: String } = BadInput "funds.bad-period",
            zh "'{value}' 不是季度（如 2026Q1）或半年（如 2026H1）。",
            en "'{value}' is not a quarter like 2026Q1 or a half-year like 2026H1";
        /// A quarter with nothing to show this reader (not posted, or no entries).
        NoStatement { period: String } = NotFound "funds.no-statement",
            zh "{period} 没有已公布的账目。",
            en "there is no posted statement for {period}";
        /// A field of a form or request that is missing or wrong.
        BadField { field: String, reason: String } = BadInput "funds.bad-field",
            zh "{field}：{reason}",
            en "{field}: {reason}";
    }
}

/// One problem of a sheet, on its row (the header is row 1, the first data row 2): any refusal
/// above, read with its row number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub row: usize,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl RowProblem {
    pub fn new(row: usize, r: impl Into<Refused>) -> RowProblem {
        let r: Refused = r.into();
        RowProblem { row, code: r.code(), zh: r.zh(), en: r.en() }
    }
}

impl Say for RowProblem {
    fn say_zh(&self) -> String {
        format!("第 {} 行：{}", self.row, self.zh)
    }
    fn say_en(&self) -> String {
        format!("row {}: {}", self.row, self.en)
    }
}

/// All problems of a sheet as one refusal.
pub fn bad_rows(rows: Vec<RowProblem>) -> Refused {
    FundsRefusal::BadRows { count: rows.len(), rows: Lines(rows) }.refused()
}
