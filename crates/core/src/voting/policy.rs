//! Who may do what in voting. Casting a ballot is not here: it depends on the unit a person is
//! bound to as its voter ([`Member::votes_for`](crate::accounts::Member::votes_for)), not on a role.

crate::policy! {
    pub enum VotingAction {
        /// Draft a matter, edit or delete a draft, see drafts, post the notice, open voting.
        PrepareMatter("准备表决事项", "prepare a matter") => [Compound(CommitteeMember), Compound(CommitteeDirector)];
        /// Close voting and publish the result; extend a voting window.
        CloseVoting("结束投票", "close voting") => [Compound(CommitteeDirector)];
        /// Change the compound's voting settings (the notice days, counting periods, whether
        /// choices are published), as its rules of procedure say.
        ChangeVotingSettings("修改表决设置", "change the voting settings") => [Compound(CommitteeDirector)];
        /// See each unit's choice in a closed vote (an owner always sees their own unit's).
        SeeChoices("查看每户的表决意见", "see each unit's choice") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector)];
        /// Remind, now, every voter on the roll who has not voted (the committee and staff).
        RemindVoters("提醒未投票业主", "remind those who have not voted") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector), Compound(RcStaff)];
        /// Enter a paper ballot (one of the two independent entries) or record a proxy.
        EnterBallots("录入纸质和委托表决票", "enter paper and proxy ballots") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector), Compound(RcStaff)];
        /// Decide a paper ballot whose two entries differ.
        ResolvePaperMismatch("复核纸质表决票", "decide a paper ballot's mismatch") =>
            [Compound(CommitteeDirector), Compound(RcStaff)];
        /// See which units have not voted, for door-to-door follow-up (a building leader: their
        /// own building's).
        FollowUpTurnout("查看待走访名单", "see who has not voted") => [
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
            Compound(PartySecretary),
            OwnBuilding(BuildingLeader),
        ];
    }
}

/// The audit chain's action names this process writes.
pub const AUDIT_ACTIONS: &[&str] = &[
    "ballot.cast",
    "ballot.change",
    "ballot.delivered",
    "matter.attach",
    "matter.close",
    "matter.create",
    "matter.delete",
    "matter.edit",
    "matter.extend",
    "matter.notice",
    "matter.open",
    "matter.remind",
    "matter.window",
    "paper.entry",
    "paper.resolve",
    "proxy.record",
    "settings.voting",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::policy::{Subject, allows};
    use crate::accounts::{Member, Role};

    fn with(roles: &[Role]) -> Member {
        Member { roles: roles.to_vec(), units: vec![] }
    }

    #[test]
    fn only_the_director_closes_a_vote() {
        assert!(allows(&with(&[Role::CommitteeDirector]), VotingAction::CloseVoting, Subject::Compound));
        assert!(!allows(&with(&[Role::CommitteeMember]), VotingAction::CloseVoting, Subject::Compound));
        assert!(!allows(&with(&[Role::RcStaff, Role::Owner]), VotingAction::CloseVoting, Subject::Compound));
    }

    #[test]
    fn an_owner_alone_may_take_no_guarded_action() {
        use crate::accounts::policy::Act;
        for a in VotingAction::ALL {
            let m = with(&[Role::Owner, Role::Resident, Role::Volunteer]);
            assert!(!allows(&m, *a, Subject::Compound), "{a:?}");
        }
    }
}
