//! Findings: rules of the committee that are not met, each named with its values, so a page can
//! list every one and explain it (an even number of seats is flagged and explained, never
//! silently fixed). They are declared like refusals, so each carries a stable code, its values
//! for the API and both wordings; a finding blocks nothing by itself.

use crate::committee::candidates::{Relation, Share, Trait};
use crate::kit::{Area, Both};

crate::refusals! {
    pub enum Finding {
        // ---- the committee: seats, term, offices (Art. 20) ----
        /// An even number of seats.
        SeatsEven { seats: u32, lower: u32, upper: u32 } = BadInput "committee.seats-even",
            zh "业委会席位为 {seats} 个，是双数；《上海市住宅物业管理规定》第二十条要求委员人数为单数，换届时须确定单数席位（如 {lower} 或 {upper} 个）。",
            en "the committee has {seats} seats, an even number; Shanghai Provisions Art. 20 requires an odd number, so the change of term must set an odd number of seats (such as {lower} or {upper})";
        /// Fewer seats than the compound's size allows.
        TooFewSeats { seats: u32, min: u32, area: Area, small_area: Area } = BadInput "committee.too-few-seats",
            zh "业委会席位为 {seats} 个，少于 {min} 个；委员应为五人以上单数，仅总面积 {small_area} 平方米以下的小区可为三人（本小区 {area} 平方米）。",
            en "the committee has {seats} seats, fewer than {min}; it needs five or more (an odd number), three only in a compound of at most {small_area} m² (this one: {area} m²)";
        /// A term outside the allowed years.
        TermOutOfRange { years: u32, min: u32, max: u32 } = BadInput "committee.term-out-of-range",
            zh "任期为 {years} 年，应为 {min} 至 {max} 年（第二十条）。",
            en "the term is {years} years; it must be {min} to {max} years (Art. 20)";
        /// More members than seats.
        MoreMembersThanSeats { members: u32, seats: u32 } = BadInput "committee.more-members-than-seats",
            zh "委员 {members} 人，多于席位 {seats} 个。",
            en "{members} members for {seats} seats";
        /// Seats without a member.
        SeatsVacant { vacant: u32, members: u32, seats: u32 } = BadInput "committee.seats-vacant",
            zh "席位 {seats} 个，委员 {members} 人，空缺 {vacant} 个：由候补委员依次递补，或由业主大会补选（第三十二条）。",
            en "{seats} seats, {members} members: {vacant} vacant, to be filled by the alternates in order or by a by-election (Art. 32)";
        /// So few members remain that the change of term must come early.
        EarlyChangeOfTermDue { members: u32, seats: u32 } = BadInput "committee.early-change-of-term-due",
            zh "委员仅余 {members} 人，未过席位 {seats} 个的半数：应由街道办事处（乡镇人民政府）组织提前换届（第三十二条）。",
            en "only {members} members remain, not more than half of {seats} seats: the sub-district office must start an early change of term (Art. 32)";
        /// No director.
        NoDirector = BadInput "committee.no-director",
            zh "业委会没有主任：主任由委员在委员中推选产生（第二十一条）。",
            en "the committee has no director; the members choose one from among themselves (Art. 21)";
        /// More than one director.
        SeveralDirectors { names: Vec<String> } = BadInput "committee.several-directors",
            zh "业委会有多名主任：{names}；主任只能一名。",
            en "the committee has several directors ({names}); it has one";
        /// A member listed twice.
        MemberTwice { name: String } = BadInput "committee.member-twice",
            zh "委员“{name}”列了两次。",
            en "member '{name}' is listed twice";
        /// An alternate who is also a member, or listed twice.
        AlternateMisplaced { name: String } = BadInput "committee.alternate-misplaced",
            zh "候补委员“{name}”同时是委员或重复列出。",
            en "alternate '{name}' is also a member or listed twice";
        /// A member without the signed written undertaking.
        UndertakingMissing { name: String } = BadInput "committee.undertaking-missing",
            zh "委员 {name} 未签署履职承诺书（第二十条）。",
            en "member {name} has not signed the written undertaking (Art. 20)";
        /// A member without a training record.
        TrainingMissing { name: String } = BadInput "committee.training-missing",
            zh "委员 {name} 没有培训记录（备案材料须含委员培训记录，第二十三条）。",
            en "member {name} has no training record (the filing includes members' training, Art. 23)";

        // ---- the change-of-term group (Art. 28) ----
        /// A group with nobody in it.
        GroupEmpty = BadInput "committee.group-empty",
            zh "换届改选小组没有成员。",
            en "the change-of-term group has no members";
        /// An even-sized group.
        GroupSizeEven { size: u32 } = BadInput "committee.group-size-even",
            zh "换届改选小组 {size} 人，应为单数（第二十八条）。",
            en "the change-of-term group has {size} members; it must be an odd number (Art. 28)";
        /// Owner representatives fewer than half.
        GroupOwnersBelowHalf { owners: u32, size: u32 } = BadInput "committee.group-owners-below-half",
            zh "换届改选小组 {size} 人中业主代表 {owners} 人，应不少于二分之一（第二十八条）。",
            en "{owners} of the change-of-term group's {size} members are owner representatives; at least half must be (Art. 28)";
        /// No leader.
        GroupLeaderMissing = BadInput "committee.group-leader-missing",
            zh "换届改选小组没有组长；组长由街道办事处（乡镇人民政府）的代表担任。",
            en "the change-of-term group has no leader; the leader comes from the sub-district office";
        /// Several leaders.
        GroupSeveralLeaders { names: Vec<String> } = BadInput "committee.group-several-leaders",
            zh "换届改选小组有多名组长：{names}。",
            en "the change-of-term group has several leaders: {names}";
        /// A leader who is not from the sub-district office.
        GroupLeaderNotFromOffice { name: String } = BadInput "committee.group-leader-not-from-office",
            zh "换届改选小组组长 {name} 不是街道办事处（乡镇人民政府）的代表（第二十八条）。",
            en "the change-of-term group's leader {name} is not from the sub-district office (Art. 28)";

        // ---- candidates: eligibility (Art. 20) ----
        /// The candidate's unit is not on the register.
        CandidateUnitUnknown { name: String, unit: String } = BadInput "committee.candidate-unit-unknown",
            zh "候选人 {name} 的房屋 {unit} 不在本小区房屋名册中。",
            en "candidate {name}: unit {unit} is not on the compound's register";
        /// The candidate does not own the unit given.
        CandidateNotOwner { name: String, unit: String, owner: String } = BadInput "committee.candidate-not-owner",
            zh "候选人 {name} 不是房屋 {unit} 的业主（业主为 {owner}）：候选人须为本小区业主。",
            en "candidate {name} does not own unit {unit} (its owner is {owner}); a candidate must be an owner of the compound";
        /// Works for the property company.
        CandidateEmployed { name: String } = BadInput "committee.candidate-employed-by-property-company",
            zh "候选人 {name} 在为本小区服务的物业服务企业任职（第二十条）。",
            en "candidate {name} works for the property company serving the compound (Art. 20)";
        /// A spouse or direct relative works for the property company.
        CandidateRelativeEmployed { name: String, relation: Relation } = BadInput "committee.candidate-relative-employed",
            zh "候选人 {name} 的{relation}在为本小区服务的物业服务企业任职（第二十条）。",
            en "candidate {name}'s {relation} works for the property company serving the compound (Art. 20)";
        /// A disqualification ground applies and is not corrected.
        CandidateDisqualified { name: String, ground: Both } = BadInput "committee.candidate-disqualified",
            zh "候选人 {name} 存在未改正的情形：{ground}（第二十条）。",
            en "candidate {name}: {ground}, not corrected (Art. 20)";
        /// A ground the compound's list does not know.
        UnknownGround { name: String, code: String } = BadInput "committee.unknown-ground",
            zh "候选人 {name} 的不得担任情形“{code}”不在本小区的情形清单中。",
            en "candidate {name}: disqualification ground '{code}' is not on the compound's list";
        /// No signed undertaking.
        CandidateUndertakingMissing { name: String } = BadInput "committee.candidate-undertaking-missing",
            zh "候选人 {name} 未签署书面履职承诺书（第二十条）。",
            en "candidate {name} has not signed the written undertaking (Art. 20)";
        /// Nominated by owners, but by too few.
        TooFewNominators { name: String, nominators: u32, min: u32 } = BadInput "committee.too-few-nominators",
            zh "候选人 {name} 由 {nominators} 名业主推荐，少于本小区规定的 {min} 名。",
            en "candidate {name} is nominated by {nominators} owners, fewer than the compound's {min}";
        /// A nominator who is not an owner.
        NominatorNotOwner { name: String, nominator: String } = BadInput "committee.nominator-not-owner",
            zh "推荐候选人 {name} 的“{nominator}”不是本小区业主。",
            en "'{nominator}', who nominates {name}, is not an owner of the compound";

        // ---- composition of a slate (2026 opinions §4) ----
        /// Fewer candidates with a trait than the rule's minimum.
        CompositionTooFew { rule: Trait, count: u32, min: u32 } = BadInput "committee.composition-too-few",
            zh "{rule}：{count} 人，少于至少 {min} 人。",
            en "{rule}: {count}, fewer than the minimum {min}";
        /// More than the maximum.
        CompositionTooMany { rule: Trait, count: u32, max: u32 } = BadInput "committee.composition-too-many",
            zh "{rule}：{count} 人，多于至多 {max} 人。",
            en "{rule}: {count}, more than the maximum {max}";
        /// A share below the minimum.
        CompositionShareTooLow { rule: Trait, count: u32, total: u32, min: Share } = BadInput "committee.composition-share-too-low",
            zh "{rule}：{total} 人中 {count} 人，低于 {min}。",
            en "{rule}: {count} of {total}, below {min}";
        /// A share above the maximum.
        CompositionShareTooHigh { rule: Trait, count: u32, total: u32, max: Share } = BadInput "committee.composition-share-too-high",
            zh "{rule}：{total} 人中 {count} 人，高于 {max}。",
            en "{rule}: {count} of {total}, above {max}";
        /// An age rule, and a candidate with no birth date.
        AgeUnknown { name: String } = BadInput "committee.age-unknown",
            zh "候选人 {name} 没有出生日期，无法核对年龄构成。",
            en "candidate {name} has no birth date, so the age rule cannot be checked";
        /// A building in no building group.
        BuildingOutsideGroups { name: String, building: String } = BadInput "committee.building-outside-groups",
            zh "候选人 {name} 所在的 {building} 号楼不属于任何片区。",
            en "candidate {name}'s building {building} is in no building group";

        // ---- committee meetings (Art. 26, 31, 32) ----
        /// No meeting on record.
        NoMeetingYet = BadInput "committee.no-meeting-yet",
            zh "业委会尚无会议记录；业委会至少每两个月召开一次会议（第二十六条）。",
            en "no committee meeting on record; the committee meets at least every 2 months (Art. 26)";
        /// The next regular meeting is overdue.
        MeetingOverdue { last: String, due: String, days: i64 } = BadInput "committee.meeting-overdue",
            zh "上次会议为 {last}，下次会议应不晚于 {due}，已逾期 {days} 天（第二十六条：至少每两个月一次）。",
            en "the last meeting was on {last}; the next was due by {due} and is {days} days overdue (Art. 26: at least every 2 months)";
        /// Six months without a meeting: a ground for an early change of term.
        IdleSixMonths { last: String } = BadInput "committee.idle-six-months",
            zh "自 {last} 以来业委会已连续六个月未开展工作（未开会），街道办事处可组织提前换届（第三十二条）。",
            en "no meeting since {last}: six consecutive months without work, a ground for an early change of term (Art. 32)";
        /// The residents' committee was not invited.
        ResidentsCommitteeNotInvited { on: String } = BadInput "committee.residents-committee-not-invited",
            zh "{on} 的会议未邀请居民委员会列席（第二十六条）。",
            en "the meeting of {on} did not invite the residents' committee (Art. 26)";
        /// A decision not posted and past its 3 days.
        DecisionNotPosted { title: String, due: String, days: i64 } = BadInput "committee.decision-not-posted",
            zh "决定“{title}”应不晚于 {due} 公告，至今未公告，已逾期 {days} 天（第二十六条：三日内公告）。",
            en "decision '{title}' was due to be posted by {due} and is {days} days overdue (Art. 26: within 3 days)";
        /// A decision posted after its 3 days.
        DecisionPostedLate { title: String, due: String, posted: String, days: i64 } = BadInput "committee.decision-posted-late",
            zh "决定“{title}”于 {posted} 公告，晚于期限 {due} {days} 天。",
            en "decision '{title}' was posted on {posted}, {days} days after its deadline {due}";
        /// A member who missed more than half of a year's meetings.
        MissedOverHalf { member: String, missed: u32, held: u32, year: i32 } = BadInput "committee.missed-over-half",
            zh "委员 {member} 在 {year} 年的 {held} 次会议中缺席 {missed} 次，超过半数：业主大会可罢免（第三十一条）。",
            en "member {member} missed {missed} of {held} meetings in {year}, more than half: the general meeting may remove them (Art. 31)";
    }
}
