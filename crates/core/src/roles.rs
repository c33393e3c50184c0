//! Who may do what: every role and every guarded action in one readable place.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Owner,
    Resident,
    BuildingLeader,
    OwnerRepresentative,
    CommitteeMember,
    CommitteeDirector,
    /// Staff of the residents' committee (居委会).
    RcStaff,
    PartySecretary,
    PropertyManager,
    Volunteer,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Owner,
        Role::Resident,
        Role::BuildingLeader,
        Role::OwnerRepresentative,
        Role::CommitteeMember,
        Role::CommitteeDirector,
        Role::RcStaff,
        Role::PartySecretary,
        Role::PropertyManager,
        Role::Volunteer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Resident => "resident",
            Role::BuildingLeader => "building-leader",
            Role::OwnerRepresentative => "owner-representative",
            Role::CommitteeMember => "committee-member",
            Role::CommitteeDirector => "committee-director",
            Role::RcStaff => "rc-staff",
            Role::PartySecretary => "party-secretary",
            Role::PropertyManager => "property-manager",
            Role::Volunteer => "volunteer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Owner => "业主",
            Role::Resident => "住户",
            Role::BuildingLeader => "楼组长",
            Role::OwnerRepresentative => "业主代表",
            Role::CommitteeMember => "业委会委员",
            Role::CommitteeDirector => "业委会主任",
            Role::RcStaff => "居委会工作人员",
            Role::PartySecretary => "党支部书记",
            Role::PropertyManager => "物业经理",
            Role::Volunteer => "志愿者",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Resident => "resident",
            Role::BuildingLeader => "building leader",
            Role::OwnerRepresentative => "owner representative",
            Role::CommitteeMember => "committee member",
            Role::CommitteeDirector => "committee director",
            Role::RcStaff => "residents' committee staff",
            Role::PartySecretary => "party secretary",
            Role::PropertyManager => "property manager",
            Role::Volunteer => "volunteer",
        }
    }
}

/// An action that only some roles may take. Voting itself is not here: it depends on the unit
/// an account is bound to, not on a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Draft a matter, edit it, post its notice, open voting.
    PrepareMatter,
    /// Close voting and publish the result.
    CloseVoting,
    /// Enter a paper ballot (one of the two independent entries) or record a proxy.
    EnterBallots,
    /// Decide a paper ballot whose two entries differ.
    ResolvePaperMismatch,
    /// See which units have not voted (for door-to-door follow-up).
    FollowUpTurnout,
    /// Print one-time binding codes for units; create accounts.
    ManageAccounts,
    /// Read the audit log.
    ReadAudit,
    /// Start building projects, move them through their stages, log visits and costs (a building
    /// leader only for their own building; the web checks the building).
    EditProjects,
}

impl Action {
    /// The rule. The committee prepares; only the director closes; staff of both committees enter
    /// paper and proxy ballots; building leaders see who to visit.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::PrepareMatter => &[CommitteeMember, CommitteeDirector],
            Action::CloseVoting => &[CommitteeDirector],
            Action::EnterBallots => &[CommitteeMember, CommitteeDirector, RcStaff],
            Action::ResolvePaperMismatch => &[CommitteeDirector, RcStaff],
            Action::FollowUpTurnout => &[CommitteeMember, CommitteeDirector, RcStaff, BuildingLeader, PartySecretary],
            Action::ManageAccounts => &[CommitteeDirector, RcStaff],
            Action::ReadAudit => &[CommitteeMember, CommitteeDirector, RcStaff, PartySecretary],
            Action::EditProjects => &[CommitteeMember, CommitteeDirector, RcStaff, BuildingLeader],
        }
    }
}

/// Whether someone holding `roles` may take `action`.
pub fn may(roles: &[Role], action: Action) -> bool {
    roles.iter().any(|r| action.roles().contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_director_closes_a_vote() {
        assert!(may(&[Role::CommitteeDirector], Action::CloseVoting));
        assert!(!may(&[Role::CommitteeMember], Action::CloseVoting));
        assert!(!may(&[Role::RcStaff, Role::Owner], Action::CloseVoting));
    }

    #[test]
    fn an_owner_alone_may_take_no_guarded_action() {
        for a in [
            Action::PrepareMatter,
            Action::CloseVoting,
            Action::EnterBallots,
            Action::ResolvePaperMismatch,
            Action::FollowUpTurnout,
            Action::ManageAccounts,
            Action::ReadAudit,
            Action::EditProjects,
        ] {
            assert!(!may(&[Role::Owner, Role::Resident, Role::Volunteer], a), "{a:?}");
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
