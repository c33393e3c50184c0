//! Who may do what in a corridor round. Everyone in the compound reads the plans, the scores, the
//! schedules and every building's explanation; a building leader submits and revises their own
//! building's plan and accepts its finished work; the residents' committee opens the call, sets
//! the rubric, scores and recommends; the owners' committee adopts or returns the recommendation;
//! the committee and the residents' committee record progress and actual costs.

crate::policy! {
    pub enum CorridorsAction {
        /// Submit or revise the building's corridor plan until the deadline (later: marked late),
        /// and accept the finished work with photos.
        SubmitPlan("提交楼道方案", "submit a corridor plan") => [OwnBuilding(BuildingLeader)];
        /// Open a call for plans with its deadline, phases and rubric; recommend a schedule.
        RunRound("组织楼道方案征集", "run a corridor round") => [Compound(RcStaff)];
        /// Score plans on the rubric (a reviewer living in a building abstains on its plan).
        ScorePlans("评审楼道方案", "score corridor plans") => [Compound(RcStaff), Compound(PartySecretary)];
        /// Adopt the recommended schedule (a committee decision, posted within 3 days) or return it
        /// with a reason; record its posting.
        AdoptSchedule("决定楼道粉刷排期", "adopt the corridor schedule") => [Compound(CommitteeDirector)];
        /// Record a building's progress and each phase's actual cost.
        RecordProgress("记录施工进度", "record the works' progress") =>
            [Compound(CommitteeDirector), Compound(CommitteeMember), Compound(RcStaff)];
    }
}

/// The audit chain's action names this process writes.
pub const AUDIT_ACTIONS: &[&str] = &[
    "corridors.accept",
    "corridors.adopt",
    "corridors.actual",
    "corridors.plan",
    "corridors.posted",
    "corridors.progress",
    "corridors.recommend",
    "corridors.return",
    "corridors.round",
    "corridors.score",
];
