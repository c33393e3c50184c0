//! Who may do what with building projects. Every member of the compound reads every building's
//! project summary (stage, costs, savings, documents), so Building 4 learns from 13; per-unit
//! shares stay with the building's owners; visit notes, names and per-unit stances (health is
//! sensitive personal information) stay with the committee, staff and the building's leader.
//! A building leader edits their own building's projects; compound-wide ones are the committee's.

crate::policy! {
    pub enum ProjectsAction {
        /// Read the board and any project's summary, stages, costs and documents.
        ReadProjects("查看楼栋项目", "read building projects") => [
            Compound(Owner),
            Compound(Resident),
            Compound(BuildingLeader),
            Compound(OwnerRepresentative),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
            Compound(PartySecretary),
            Compound(PropertyManager),
            Compound(Volunteer),
        ];
        /// See each household's share of the cost.
        ReadShares("查看各户分摊", "see each household's share") => [
            OwnBuilding(Owner),
            OwnBuilding(BuildingLeader),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
        ];
        /// See the door-to-door log: who was visited, what they said, each unit's stance.
        ReadConsultation("查看走访记录", "see the door-to-door log") => [
            OwnBuilding(BuildingLeader),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
        ];
        /// Start a project, move its stage, log visits, costs, payments and documents.
        EditProjects("编辑楼栋项目", "edit a building project") => [
            OwnBuilding(BuildingLeader),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
        ];
    }
}

/// The audit chain's action names this process writes (its vote is voting's `matter.create`).
pub const AUDIT_ACTIONS: &[&str] = &[
    "cost.add",
    "cost.negotiate",
    "cost.pay",
    "project.attach",
    "project.costing",
    "project.create",
    "project.planned-start",
    "project.record",
    "project.scheme-notice",
    "project.stage",
    "project.visit",
];
