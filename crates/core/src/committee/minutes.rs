//! The compound's other meetings (2026 opinions §16; the story's decisions were made in them):
//! building leaders' and owner representatives' meetings, the monthly joint meeting of the party
//! organisation, the residents' committee, the owners' committee and the property company, and the
//! monthly reception day. Their minutes go draft → corrected by attendees → locked; their
//! resolutions say who does what by when and are followed to an outcome every owner can read.

use crate::accounts::Role;
use crate::committee::Status;
use jiff::civil::Date;
use serde::Serialize;

/// Which of the compound's meetings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeetingKind {
    /// 楼组长会议
    BuildingLeaders,
    /// 业主代表会议
    OwnerRepresentatives,
    /// 三方（四方）月度联席会议, led by the party organisation
    Joint,
    /// 业主接待日: open to every resident
    ReceptionDay,
    Other,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 5] = [
        MeetingKind::BuildingLeaders,
        MeetingKind::OwnerRepresentatives,
        MeetingKind::Joint,
        MeetingKind::ReceptionDay,
        MeetingKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::BuildingLeaders => "building-leaders",
            MeetingKind::OwnerRepresentatives => "owner-representatives",
            MeetingKind::Joint => "joint",
            MeetingKind::ReceptionDay => "reception-day",
            MeetingKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn zh(self) -> &'static str {
        match self {
            MeetingKind::BuildingLeaders => "楼组长会议",
            MeetingKind::OwnerRepresentatives => "业主代表会议",
            MeetingKind::Joint => "党组织牵头的居委会、业委会、物业月度联席会议",
            MeetingKind::ReceptionDay => "业主接待日",
            MeetingKind::Other => "其他会议",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            MeetingKind::BuildingLeaders => "building leaders' meeting",
            MeetingKind::OwnerRepresentatives => "owner representatives' meeting",
            MeetingKind::Joint => {
                "monthly joint meeting (party organisation, residents' committee, owners' committee, property company)"
            }
            MeetingKind::ReceptionDay => "owners' reception day",
            MeetingKind::Other => "other meeting",
        }
    }

    /// Whether a person with these roles is expected at the meeting (it is in their calendar).
    /// The committee and the residents' committee's staff are at every one; a reception day is
    /// open to everyone.
    pub fn expects(self, roles: &[Role]) -> bool {
        let any = |r: &[Role]| r.iter().any(|x| roles.contains(x));
        if any(&[Role::CommitteeDirector, Role::CommitteeMember, Role::RcStaff]) {
            return true;
        }
        match self {
            MeetingKind::BuildingLeaders => any(&[Role::BuildingLeader]),
            MeetingKind::OwnerRepresentatives => any(&[Role::OwnerRepresentative]),
            MeetingKind::Joint => any(&[Role::PartySecretary, Role::PropertyManager]),
            MeetingKind::ReceptionDay => true,
            MeetingKind::Other => false,
        }
    }
}

/// Where a meeting's minutes stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MinutesStatus {
    /// Not written yet (the meeting is ahead, or just held).
    None,
    /// Written by whoever keeps the record; attendees may correct.
    Draft,
    /// Corrections were made; attendees may still correct.
    Corrected,
    /// Final: nothing changes any more.
    Locked,
}

impl MinutesStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MinutesStatus::None => "none",
            MinutesStatus::Draft => "draft",
            MinutesStatus::Corrected => "corrected",
            MinutesStatus::Locked => "locked",
        }
    }

    pub fn parse(s: &str) -> Option<MinutesStatus> {
        [MinutesStatus::None, MinutesStatus::Draft, MinutesStatus::Corrected, MinutesStatus::Locked]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            MinutesStatus::None => "尚未记录",
            MinutesStatus::Draft => "草稿，出席者可以更正",
            MinutesStatus::Corrected => "已更正，出席者仍可更正",
            MinutesStatus::Locked => "已定稿",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            MinutesStatus::None => "not written yet",
            MinutesStatus::Draft => "draft: attendees may correct it",
            MinutesStatus::Corrected => "corrected: attendees may still correct it",
            MinutesStatus::Locked => "final",
        }
    }

    /// The status after a correction by an attendee.
    pub fn after_correction(self) -> Option<MinutesStatus> {
        match self {
            MinutesStatus::Draft | MinutesStatus::Corrected => Some(MinutesStatus::Corrected),
            MinutesStatus::None | MinutesStatus::Locked => None,
        }
    }
}

/// Where a resolution stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResolutionStatus {
    Open,
    Done,
    Dropped,
}

impl ResolutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ResolutionStatus::Open => "open",
            ResolutionStatus::Done => "done",
            ResolutionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<ResolutionStatus> {
        [ResolutionStatus::Open, ResolutionStatus::Done, ResolutionStatus::Dropped]
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    pub fn zh(self) -> &'static str {
        match self {
            ResolutionStatus::Open => "进行中",
            ResolutionStatus::Done => "已完成",
            ResolutionStatus::Dropped => "已撤销",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ResolutionStatus::Open => "open",
            ResolutionStatus::Done => "done",
            ResolutionStatus::Dropped => "dropped",
        }
    }
}

/// A resolution's deadline on a day: done (or dropped) on the day of its last update, else due or
/// overdue.
pub fn resolution_deadline(due: Date, status: ResolutionStatus, closed_on: Option<Date>, today: Date) -> Status {
    match status {
        ResolutionStatus::Open => Status::of(due, None, today),
        _ => Status::of(due, closed_on.or(Some(today)), today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn minutes_are_corrected_until_locked() {
        assert_eq!(MinutesStatus::Draft.after_correction(), Some(MinutesStatus::Corrected));
        assert_eq!(MinutesStatus::Corrected.after_correction(), Some(MinutesStatus::Corrected));
        assert_eq!(MinutesStatus::Locked.after_correction(), None);
        assert_eq!(MinutesStatus::None.after_correction(), None);
    }

    #[test]
    fn the_reception_day_is_everyones_and_the_joint_meeting_the_partners() {
        assert!(MeetingKind::ReceptionDay.expects(&[Role::Owner]));
        assert!(!MeetingKind::Joint.expects(&[Role::Owner]));
        assert!(MeetingKind::Joint.expects(&[Role::PropertyManager]));
        assert!(MeetingKind::BuildingLeaders.expects(&[Role::BuildingLeader]));
        assert!(MeetingKind::Other.expects(&[Role::RcStaff]));
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn an_open_resolution_past_its_day_is_overdue_and_a_done_one_says_when() {
        let due = date(2026, 5, 10);
        assert_eq!(
            resolution_deadline(due, ResolutionStatus::Open, None, date(2026, 5, 13)),
            Status::Overdue { days: 3 }
        );
        assert_eq!(
            resolution_deadline(due, ResolutionStatus::Done, Some(date(2026, 5, 9)), date(2026, 6, 1)),
            Status::Done { on: date(2026, 5, 9), late_days: 0 }
        );
    }
}
