//! Refusals of voting: matters and their notices, ballots on every channel, and the tally's input.

use crate::kit::{Lines, Say};
use crate::voting::matter::{Channel, Choice, MatterStatus, Scope};

/// A row number that reads as "row 4: " before a sentence, or nothing for row 0 (not from a file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct At(pub usize);

impl Say for At {
    fn say_zh(&self) -> String {
        if self.0 > 0 { format!("第 {} 行：", self.0) } else { String::new() }
    }
    fn say_en(&self) -> String {
        if self.0 > 0 { format!("row {}: ", self.0) } else { String::new() }
    }
}

/// A unit and the choice cast for it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UnitChoice {
    pub unit: String,
    pub choice: Choice,
}

impl Say for UnitChoice {
    fn say_zh(&self) -> String {
        format!("{} {}", self.unit, self.choice.name_zh())
    }
    fn say_en(&self) -> String {
        format!("{} {}", self.unit, self.choice.as_str())
    }
}

impl Say for Choice {
    fn say_zh(&self) -> String {
        self.name_zh().into()
    }
    fn say_en(&self) -> String {
        self.as_str().into()
    }
}

impl Say for Channel {
    fn say_zh(&self) -> String {
        match self {
            Channel::Online => "网上".into(),
            Channel::Paper => "纸质".into(),
            Channel::Proxy => "委托".into(),
        }
    }
    fn say_en(&self) -> String {
        self.as_str().into()
    }
}

impl Say for MatterStatus {
    fn say_zh(&self) -> String {
        self.name_zh().into()
    }
    fn say_en(&self) -> String {
        self.as_str().into()
    }
}

impl Say for Scope {
    fn say_zh(&self) -> String {
        self.name_zh()
    }
    fn say_en(&self) -> String {
        self.to_string()
    }
}

crate::refusals! {
    /// What is wrong with a tally's input (files given to `gongzhi tally`, or a roll and its ballots).
    pub enum TallyError {
        UnknownUnit { unit: String, row: At } = BadInput "voting.tally-unknown-unit",
            zh "{row}房屋 {unit} 不在表决名册中。",
            en "{row}unit {unit} is not on the roll";
        DuplicateBallot { unit: String, row: At, first_row: usize } = BadInput "voting.tally-duplicate-ballot",
            zh "{row}房屋 {unit} 已经有表决票了（第 {first_row} 行）。",
            en "{row}unit {unit} already has a ballot (row {first_row})";
        OutsideScope { unit: String, row: At, scope: String } = BadInput "voting.tally-outside-scope",
            zh "{row}房屋 {unit} 不在表决范围（{scope}）内。",
            en "{row}unit {unit} is outside the scope {scope}";
        OwnerConflict { owner: String, detail: Vec<UnitChoice> } = BadInput "voting.tally-owner-conflict",
            zh "业主 {owner} 名下的房屋表决意见不一致：{detail}。",
            en "owner {owner} cast different choices on their units: {detail}";
        EmptyScope { scope: String } = BadInput "voting.tally-empty-scope",
            zh "表决范围 {scope} 内没有房屋。",
            en "the scope {scope} has no units";
        DuplicateRollUnit { unit: String } = BadInput "voting.tally-duplicate-roll-unit",
            zh "房屋 {unit} 在表决名册中出现了两次。",
            en "unit {unit} appears twice on the roll";
        UnknownDelivered { unit: String, row: At } = BadInput "voting.tally-unknown-delivered",
            zh "{row}已送达表决票的房屋 {unit} 不在表决名册中。",
            en "{row}delivered unit {unit} is not on the roll";
        DeliveredOutsideScope { unit: String, row: At, scope: String } = BadInput "voting.tally-delivered-outside-scope",
            zh "{row}已送达表决票的房屋 {unit} 不在表决范围（{scope}）内。",
            en "{row}delivered unit {unit} is outside the scope {scope}";
    }
}

crate::refusals! {
    /// Refusals of matters, notices and ballots.
    pub enum VotingRefusal {
        BadTally { problems: Lines<TallyError> } = BadInput "voting.bad-tally-input",
            zh "{problems}",
            en "{problems}";
        MatterNotFound { matter: String } = NotFound "voting.matter-not-found",
            zh "找不到事项 {matter}。",
            en "matter {matter} not found";
        NotOpenForVoting { matter: String, status: MatterStatus } = Conflict "voting.not-open-for-voting",
            zh "事项“{matter}”目前为“{status}”状态，不在投票期内，不能投票。",
            en "matter {matter} is {status}, not open for voting";
        OnlyDraftNotice { matter: String, status: MatterStatus } = Conflict "voting.only-a-draft-is-noticed",
            zh "事项“{matter}”目前为“{status}”状态，只有草稿才能发布公示。",
            en "matter {matter} is {status}, only a draft's notice can be posted";
        NoticeFirst { matter: String, status: MatterStatus } = Conflict "voting.notice-first",
            zh "事项“{matter}”目前为“{status}”状态：须先发布公示，才能开始投票。",
            en "matter {matter} is {status}: post its notice before voting opens";
        OnlyOpenCloses { matter: String, status: MatterStatus } = Conflict "voting.only-an-open-matter-closes",
            zh "事项“{matter}”目前为“{status}”状态，只有投票中的事项才能结束投票。",
            en "matter {matter} is {status}, only an open matter can be closed";
        NoticeStanding { matter: String, days: i64, ends: String, days_left: i64 } = Conflict "voting.notice-still-standing",
            zh "事项“{matter}”：公示须满 {days} 天（按民法典计算，至 {ends} 期满）才能开始投票，还需 {days_left} 天。",
            en "matter {matter}: the notice must stand {days} days (counted per the Civil Code, it runs until {ends}) before voting opens; {days_left} more day(s) to go";
        ChangedMeanwhile { matter: String } = Conflict "voting.changed-meanwhile",
            zh "事项“{matter}”刚刚已被他人修改，请刷新页面后重试。",
            en "matter {matter} changed meanwhile; reload it";
        NoRollYet { matter: String } = Conflict "voting.no-roll-yet",
            zh "事项“{matter}”尚未开始投票，还没有可以计票的表决名册。",
            en "matter {matter} has not opened: there is no roll to count yet";
        UnitOutsideScope { unit: String, scope: Scope } = BadInput "voting.unit-outside-scope",
            zh "房屋 {unit} 不在本事项的表决范围（{scope}）内。",
            en "unit {unit} is outside the scope {scope} of this matter";
        UnitNotInRegister { unit: String } = BadInput "voting.unit-not-in-register",
            zh "房屋 {unit} 不在小区房屋名册中。",
            en "unit {unit} is not in the register";
        UnitNotOnRoll { unit: String } = BadInput "voting.unit-not-on-roll",
            zh "房屋 {unit} 不在本事项的表决名册中。",
            en "unit {unit} is not on this matter's roll";
        AlreadyVoted { unit: String } = Conflict "voting.unit-already-voted",
            zh "房屋 {unit} 在本事项中已有表决票，不能重复投票。",
            en "unit {unit} already has a ballot on this matter";
        AlreadyVotedBy { unit: String, channel: Channel } = Conflict "voting.unit-already-voted-by",
            zh "房屋 {unit} 在本事项中已有表决票（{channel}），不能重复投票。",
            en "unit {unit} already has a ballot on this matter ({channel})";
        OwnerVotedOtherwise { unit: String, other: String, choice: Choice } = Conflict "voting.owner-voted-otherwise",
            zh "房屋 {unit}：同一业主的房屋 {other} 已表决“{choice}”；同一业主名下的房屋只能有一种表决意见。",
            en "unit {unit}: its owner's unit {other} voted {choice}; one owner's units carry one choice";
        OwnerApprovedOtherwise { unit: String, other: String } = Conflict "voting.owner-approved-otherwise",
            zh "房屋 {unit}：同一业主的房屋 {other} 的选票同意的人不同；同一业主名下的房屋只能投相同的选票。",
            en "unit {unit}: its owner's unit {other} approved other names; one owner's units carry one ballot";
        SecondEntrySamePerson { unit: String } = Conflict "voting.second-entry-same-person",
            zh "房屋 {unit}：您已录入过一次，第二次录入须由另一位工作人员完成。",
            en "unit {unit}: you made an entry already; the second entry must be made by someone else";
        EntriesDifferAwaitReview { unit: String } = Conflict "voting.entries-differ",
            zh "房屋 {unit}：两次录入不一致，正在等待复核。",
            en "unit {unit}: both entries differ and await review";
        NoMismatch { unit: String } = Conflict "voting.no-paper-mismatch",
            zh "房屋 {unit} 没有待复核的纸质表决票。",
            en "unit {unit} has no paper ballot awaiting review";
        ReviewerMadeAnEntry { unit: String } = Conflict "voting.reviewer-made-an-entry",
            zh "房屋 {unit}：复核须由两次录入都没有参与的人员进行。",
            en "unit {unit}: the review must be made by someone who made neither entry";
        EntryMadeMeanwhile { unit: String, entry: i64 } = Conflict "voting.entry-made-meanwhile",
            zh "房屋 {unit}：第 {entry} 次录入刚刚已由他人完成，请重新录入。",
            en "unit {unit}: entry {entry} was made meanwhile; enter it again";
        DeliveryRecorded { unit: String } = Conflict "voting.delivery-recorded",
            zh "房屋 {unit} 的表决票送达已经登记过。",
            en "unit {unit}'s delivery is already recorded";
        TitleMissing = BadInput "voting.title-missing",
            zh "标题（title）：请填写事项的标题。",
            en "title: a matter needs a title";
        WindowMissing { matter: String } = Conflict "voting.window-missing",
            zh "事项“{matter}”还没有投票期：请先填写投票截止日期，业主要知道投到哪天为止。",
            en "matter {matter} has no voting window: set its end first, so owners know until when they may vote";
        WindowPassed { matter: String, ended: String } = Conflict "voting.window-passed",
            zh "事项“{matter}”的投票期已于 {ended} 截止，还没开始投票：请先延长投票期并公告。",
            en "matter {matter}: its voting window ended on {ended} before voting opened; extend the window (with a notice) first";
        NoticeDaysOutOfRange { days: i64 } = BadInput "voting.notice-days-out-of-range",
            zh "公示天数 {days} 不在 1 到 60 天之间。",
            en "{days} notice days is not between 1 and 60";
        WindowStillRunning { matter: String, ends: String, voted: i64, roll: i64 } = Conflict "voting.window-still-running",
            zh "事项“{matter}”公告的投票期到 {ends} 24:00 为止，业主得到了这个承诺：在此之前只有全部房屋都已投票才能提前结束（现已投 {voted}/{roll} 户）。投票期可以延长，不能缩短。",
            en "matter {matter}: owners were promised voting until the end of {ends}; before then it closes only once every unit has voted ({voted} of {roll} so far). A window may be extended, never shortened";
        WindowEnded { matter: String, ended: String } = Conflict "voting.window-ended",
            zh "事项“{matter}”的投票期已于 {ended} 24:00 截止，不再接受表决票。",
            en "matter {matter}: voting ended at the end of {ended}; no more ballots are accepted";
        WindowNotLater { ends: String } = BadInput "voting.window-not-later",
            zh "投票截止日期（window_end）：投票期只能延长，新的截止日期必须晚于 {ends}。",
            en "window_end: a voting window may only be extended; the new end must be after {ends}";
        OnlyDraftsChange { matter: String, status: MatterStatus } = Conflict "voting.only-drafts-change",
            zh "事项“{matter}”已经{status}，只有草稿可以修改或删除。",
            en "matter {matter} is {status}: only a draft can be edited or deleted";
        WindowOrder = BadInput "voting.window-order",
            zh "投票截止日期（window_end）：截止日期必须晚于开始日期。",
            en "window_end: the voting window must end after it starts";
        EmptyScope { scope: Scope } = BadInput "voting.empty-scope",
            zh "表决范围 {scope}：名册中没有属于这个范围的房屋。",
            en "scope {scope}: no units in the register for this scope";
        ProxyNameMissing = BadInput "voting.proxy-name-missing",
            zh "受托人姓名（proxy_name）：请填写受托人的姓名。",
            en "proxy_name: name the proxy";
        AuthorisationMissing = BadInput "voting.authorisation-missing",
            zh "授权委托书（authorisation）：请附上书面委托（扫描件或照片）。",
            en "authorisation: attach the written authorisation (a scan or photo)";
        NotVoterFor { unit: String } = Forbidden "voting.not-voter-for-unit",
            zh "这个账户不能为房屋 {unit} 投票。",
            en "this account does not vote for unit {unit}";
        BadUnit { field: String, value: String } = BadInput "voting.bad-unit",
            zh "房号（{field}）：“{value}”不是有效的房号，请写成 13-701 这样的格式。",
            en "{field}: '{value}' is not a unit number like 13-701";
        NotOnSlate { name: String } = BadInput "voting.not-on-slate",
            zh "“{name}”不在本事项的候选人名单上。",
            en "'{name}' is not on this matter's slate";
        TooManyNames { approved: u32, places: u32 } = BadInput "voting.too-many-names",
            zh "一张选票最多可同意 {places} 人，这张选了 {approved} 人。",
            en "a ballot approves at most {places} names; this one approves {approved}";
        SlateNeedsNames { matter: String } = BadInput "voting.slate-needs-names",
            zh "“{matter}”是选举，请在候选人名单上勾选同意的人（approve），而不是填写同意/反对。",
            en "'{matter}' is an election: mark the names you approve (approve), not a choice";
        NoSlate { matter: String } = BadInput "voting.no-slate",
            zh "“{matter}”没有候选人名单，请填写同意、反对或弃权。",
            en "'{matter}' has no slate: give a choice";
        SlateFixed { matter: String } = Conflict "voting.slate-fixed",
            zh "“{matter}”已公示或已开始表决，候选人名单不能再改。",
            en "'{matter}' is on notice or open: its slate can no longer change";
        BadChoice { value: String } = BadInput "voting.bad-choice",
            zh "表决意见（choice）：“{value}”不是同意（approve）、反对（oppose）或弃权（abstain）。",
            en "choice: '{value}' is not approve, oppose or abstain";
        BadScope { value: String } = BadInput "voting.bad-scope",
            zh "表决范围（scope）：“{value}”的格式不对，应为 compound（全小区）、building:楼号 或 stairwell:楼号/单元号。",
            en "scope: '{value}' is not compound, building:B or stairwell:B/S";
        BadKind { value: String } = BadInput "voting.bad-kind",
            zh "事项类别（kind）：无法识别的类别“{value}”。",
            en "kind: unknown kind '{value}'";
        BadDate { field: String, value: String } = BadInput "voting.bad-date",
            zh "{field}：“{value}”不是有效日期，请写成 2026-12-01 这样的格式。",
            en "{field}: '{value}' is not a date like 2026-12-01";
        NotYetOpened = Conflict "voting.not-yet-opened",
            zh "投票尚未开始。",
            en "voting has not opened";
        ResultsAfterClose = Conflict "voting.results-after-close",
            zh "投票结束后才公布结果；在此之前可以查看参与情况。",
            en "results are published when voting closes; see /turnout meanwhile";
        DraftHasNoNotice = Conflict "voting.draft-has-no-notice",
            zh "草稿还没有公告。",
            en "a draft has no notice yet";
    }
}

impl VotingRefusal {
    /// The refusal of a tally's bad input.
    pub fn tally(problems: Vec<TallyError>) -> VotingRefusal {
        VotingRefusal::BadTally { problems: Lines(problems) }
    }
}
