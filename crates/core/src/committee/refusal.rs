//! Why the committee's processes refuse something: each with its code and both wordings.

use crate::committee::term::Restricted;
use crate::kit::{Both, Lines};

crate::refusals! {
    pub enum CommitteeRefusal {
        // ---- the election: its slate, seats and ballots ----
        /// The slate names nobody.
        NoCandidates = BadInput "committee.no-candidates",
            zh "候选人名单为空：请列出候选人，以“;”或“；”分隔。",
            en "--candidates: the slate is empty; list the candidates separated by ';' or '；'";
        /// A name twice on the slate.
        CandidateTwice { name: String } = BadInput "committee.candidate-twice",
            zh "候选人“{name}”在名单中出现两次。",
            en "--candidates: '{name}' is on the slate twice";
        /// Seats is not a whole number of at least 1.
        BadSeats { value: String } = BadInput "committee.bad-seats",
            zh "应选席位“{value}”不是不小于 1 的整数。",
            en "--seats: '{value}' is not a whole number of at least 1";
        /// Alternates is not a whole number.
        BadAlternates { value: String } = BadInput "committee.bad-alternates",
            zh "候补名额“{value}”不是不小于 0 的整数。",
            en "--alternates: '{value}' is not a whole number of 0 or more";
        /// The roll has no units.
        NoUnits = BadInput "committee.no-units",
            zh "房屋名册中没有房屋，无法计票。",
            en "the register has no units to count";
        /// A unit twice on the roll.
        RollUnitTwice { unit: String } = BadInput "committee.roll-unit-twice",
            zh "房屋 {unit} 在名册中出现两次。",
            en "unit {unit} is on the register twice";
        /// The ballots file has no header.
        BallotsEmpty = BadInput "committee.ballots-empty",
            zh "选票文件为空：第一行应为表头 unit,approve。",
            en "the ballots file is empty: its first row must be the header unit,approve";
        /// The ballots file cannot be read as CSV.
        BallotsUnreadable { row: usize, reason: String } = BadInput "committee.ballots-unreadable",
            zh "选票文件第 {row} 行无法读取：{reason}。",
            en "ballots row {row}: cannot be read: {reason}";
        /// A column the ballots file does not have.
        UnknownColumn { column: String } = BadInput "committee.unknown-column",
            zh "选票文件表头有未知列“{column}”（只应有 unit 和 approve）。",
            en "ballots header: unknown column '{column}' (expected exactly unit,approve)";
        /// A column twice in the header.
        DuplicateColumn { column: String } = BadInput "committee.duplicate-column",
            zh "选票文件表头中列“{column}”出现两次。",
            en "ballots header: column '{column}' appears twice";
        /// A required column is missing.
        MissingColumn { column: String } = BadInput "committee.missing-column",
            zh "选票文件表头缺少列“{column}”。",
            en "ballots header: missing column '{column}'";
        /// A row with a value outside the two columns.
        ExtraCells { row: usize, cells: usize } = BadInput "committee.extra-cells",
            zh "选票文件第 {row} 行在 unit、approve 两列之外还有内容（共 {cells} 个单元格）。",
            en "ballots row {row}: a value outside the unit and approve columns ({cells} cells)";
        /// A unit number that cannot be read.
        BadUnitNumber { row: usize, value: String } = BadInput "committee.bad-unit-number",
            zh "选票文件第 {row} 行：“{value}”不是房号（如 13-701）。",
            en "ballots row {row}: '{value}' is not a unit number like 13-701";
        /// An approved name that is not on the slate.
        NameNotOnSlate { row: usize, unit: String, name: String } = BadInput "committee.name-not-on-slate",
            zh "选票文件第 {row} 行（房屋 {unit}）：“{name}”不在候选人名单中。",
            en "ballots row {row} (unit {unit}): '{name}' is not on the slate";
        /// The same name twice on one ballot.
        NameTwiceOnBallot { row: usize, unit: String, name: String } = BadInput "committee.name-twice-on-ballot",
            zh "选票文件第 {row} 行（房屋 {unit}）：“{name}”写了两次。",
            en "ballots row {row} (unit {unit}): '{name}' is approved twice";
        /// A ballot for a unit not on the roll.
        UnknownUnit { row: usize, unit: String } = BadInput "committee.unknown-unit",
            zh "选票文件第 {row} 行：房屋 {unit} 不在房屋名册中。",
            en "ballots row {row}: unit {unit} is not on the register";
        /// Two ballots for one unit.
        UnitTwice { unit: String, first_row: usize, row: usize } = BadInput "committee.unit-twice",
            zh "房屋 {unit} 有两张选票：第 {first_row} 行和第 {row} 行。",
            en "unit {unit} has two ballots: rows {first_row} and {row}";
        /// One owner's units carry different approvals.
        OwnerUnitsDiffer { owner: String, units: String } = BadInput "committee.owner-units-differ",
            zh "业主 {owner} 的各套房屋选票不一致（一名业主只能投一种意见）：{units}。",
            en "owner {owner}'s units carry different approvals (an owner is one voter): {units}";
        /// Several of the above at once, each on its own line.
        BadBallots { count: usize, lines: Lines<Both> } = BadInput "committee.bad-ballots",
            zh "选票有 {count} 处错误：\n{lines}",
            en "{count} errors in the ballots:\n{lines}";

        // ---- candidates and the election matter ----
        /// A nomination without the candidate's name.
        CandidateNameMissing = BadInput "committee.candidate-name-missing",
            zh "候选人姓名（name）：请填写候选人的姓名。",
            en "name: give the candidate's name";
        /// The same owner nominated twice (and not withdrawn).
        CandidateNominatedTwice { name: String, unit: String } = Conflict "committee.candidate-nominated-twice",
            zh "{name}（{unit}）已在候选人名单上。",
            en "{name} ({unit}) is already a candidate";
        /// A candidate that does not exist or was withdrawn.
        CandidateUnknown { id: String } = NotFound "committee.candidate-unknown",
            zh "没有编号为 {id} 的候选人（或已撤回）。",
            en "no candidate {id} (or withdrawn)";
        /// A candidate on the slate who may not stand, with every reason.
        CandidateIneligible { name: String, reasons: Lines<Both> } = Conflict "committee.candidate-ineligible",
            zh "候选人 {name} 不符合条件，不能列入选票：\n{reasons}",
            en "candidate {name} may not stand and cannot be on the ballot:\n{reasons}";
        /// Seats that today's rules do not allow.
        ElectionSeats { seats: u32, reasons: Lines<Both> } = BadInput "committee.election-seats",
            zh "应选 {seats} 席不符合规定：\n{reasons}",
            en "{seats} seats are not allowed:\n{reasons}";
        /// Fewer candidates than seats.
        SlateTooShort { candidates: u32, seats: u32 } = BadInput "committee.slate-too-short",
            zh "候选人 {candidates} 名，少于应选席位 {seats} 个。",
            en "{candidates} candidates for {seats} seats: the slate must have at least as many candidates as seats";
        /// A matter that is not a committee election.
        NotAnElection { matter: String } = NotFound "committee.not-an-election",
            zh "事项 {matter} 不是业委会选举。",
            en "matter {matter} is not a committee election";
        /// The incoming committee was recorded already.
        AlreadySeated = Conflict "committee.already-seated",
            zh "本次换届选出的业委会已经记录。",
            en "the committee elected at this change of term is recorded already";
        /// Nobody was elected: there is no committee to seat.
        NobodyElected = Conflict "committee.nobody-elected",
            zh "本次选举无人当选，须重新选举。",
            en "nobody was elected: the election must be held again";
        /// The result asked for before the vote closed.
        ElectionNotClosed { matter: String } = Conflict "committee.election-not-closed",
            zh "“{matter}”尚未结束投票，结果在投票结束后计算并公布。",
            en "'{matter}' has not closed: its result is counted when voting closes";

        /// A line of the composition settings that cannot be read.
        CompositionLine { field: String, line: usize, text: String, reason: String } = BadInput "committee.composition-line",
            zh "组成规则（{field}）第 {line} 行“{text}”无法读取：{reason}。",
            en "{field} line {line} '{text}': {reason}";

        /// Owners needed to nominate jointly must be at least one.
        BadNominators = BadInput "committee.bad-nominators",
            zh "联名推荐所需业主人数（min_owner_nominators）至少为 1。",
            en "min_owner_nominators: at least 1";
        /// The slate breaks a composition rule the compound set.
        CompositionUnmet { reasons: Lines<Both> } = Conflict "committee.composition-unmet",
            zh "候选人名单不符合本小区的组成规则：\n{reasons}",
            en "the slate does not meet the compound's composition rules:\n{reasons}";

        // ---- the compound's meetings ----
        /// No such meeting.
        MeetingUnknown { id: String } = NotFound "committee.meeting-unknown",
            zh "没有编号为 {id} 的会议。",
            en "no meeting {id}";
        /// A meeting without a title.
        MeetingTitleMissing = BadInput "committee.meeting-title-missing",
            zh "会议名称（title）：请填写会议名称。",
            en "title: give the meeting a title";
        /// A meeting that ends before it starts.
        MeetingEndsBeforeStart = BadInput "committee.meeting-ends-before-start",
            zh "结束时间（ends_at）：不能早于开始时间。",
            en "ends_at: the meeting cannot end before it starts";
        /// Locked minutes change no more.
        MinutesLocked { title: String } = Conflict "committee.minutes-locked",
            zh "“{title}”的会议纪要已定稿，不能再修改或更正。",
            en "the minutes of '{title}' are final and change no more";
        /// A correction before any minutes were written.
        MinutesNotWritten { title: String } = Conflict "committee.minutes-not-written",
            zh "“{title}”还没有会议纪要，无从更正。",
            en "'{title}' has no minutes to correct yet";
        /// Only those who attended correct the minutes.
        NotAnAttendee { name: String, title: String } = Forbidden "committee.not-an-attendee",
            zh "{name} 不在“{title}”的出席名单中：只有出席者可以更正会议纪要。",
            en "{name} is not on the attendance list of '{title}': only attendees correct its minutes";
        /// An empty correction, resolution or note.
        TextMissing { field: String } = BadInput "committee.text-missing",
            zh "{field}：请填写内容。",
            en "{field}: write something";
        /// No such resolution.
        ResolutionUnknown { id: String } = NotFound "committee.resolution-unknown",
            zh "没有编号为 {id} 的决议事项。",
            en "no resolution {id}";
        /// A link to a matter or project that does not exist.
        LinkUnknown { field: String, id: String } = BadInput "committee.link-unknown",
            zh "{field}：没有编号为 {id} 的表决事项或项目。",
            en "{field}: no matter or project {id}";

        // ---- the change of term ----
        /// A matter the general meeting may not decide while the change-of-term group exists.
        RestrictedDuringChangeOfTerm { matter: String, restricted: Restricted } = Conflict "committee.restricted-during-change-of-term",
            zh "换届改选小组成立后至新一届业委会选出前，业委会不得组织业主大会决定{restricted}（《上海市住宅物业管理规定》第二十八条）；事项类型：{matter}。",
            en "while the change-of-term group exists, the committee may not convene the general meeting to decide {restricted} (Shanghai Provisions Art. 28); matter kind: {matter}";
        /// A name that is not a member (or alternate) of the committee.
        NotAMember { name: String } = BadInput "committee.not-a-member",
            zh "“{name}”不是本届业委会委员。",
            en "'{name}' is not a member of the committee";
        /// A name twice in one list (departures, attendance, signatures).
        NameTwice { name: String } = BadInput "committee.name-twice",
            zh "“{name}”在名单中出现两次。",
            en "'{name}' appears twice in the list";

        // ---- committee meetings ----
        /// The committee has no members to meet.
        NoMembers = BadInput "committee.no-members",
            zh "业委会没有委员。",
            en "the committee has no members";
        /// Fewer than the quorum attended in person.
        NoQuorum { present: u32, all: u32, needed: u32 } = Conflict "committee.no-quorum",
            zh "出席委员 {present} 人，未过全体委员 {all} 人的半数（至少需 {needed} 人），会议不得作出决定（第二十六条）。",
            en "{present} members present, not more than half of all {all} members (at least {needed} needed): the meeting cannot decide (Art. 26)";
        /// A member represented by someone else.
        NoProxies { member: String, proxy: String } = BadInput "committee.no-proxies",
            zh "委员 {member} 委托 {proxy} 出席：业委会会议不得委托出席（第二十六条）。",
            en "member {member} sent {proxy} as a proxy: committee meetings allow no proxies (Art. 26)";
        /// A signature from a member who did not attend.
        SignedWithoutAttending { name: String } = BadInput "committee.signed-without-attending",
            zh "委员 {name} 未出席会议，不能在决定上签字同意。",
            en "member {name} did not attend and cannot sign the decision";
        /// Too few members demand an extraordinary meeting.
        DemandBelowThird { demanders: u32, all: u32, needed: u32 } = Conflict "committee.demand-below-third",
            zh "提议召开临时会议的委员 {demanders} 人，不足全体委员 {all} 人的三分之一（至少需 {needed} 人）。",
            en "{demanders} members demand an extraordinary meeting, fewer than a third of all {all} members (at least {needed} needed)";
    }
}
