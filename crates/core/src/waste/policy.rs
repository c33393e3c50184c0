//! Who may do what in waste sorting duty. Everyone reads the stations, their windows and bins, and
//! the roster; the organisers (the residents' committee, the party secretary, the committee's
//! director) set the stations and volunteers, build the roster and mark no-shows; a volunteer
//! checks in at and swaps their own shifts, asks for cover and logs what they see at a station
//! (checked against the volunteers' list, not a role).

crate::policy! {
    pub enum WasteAction {
        /// Set stations and volunteers, build a period's roster, mark no-shows.
        Organise("组织垃圾分类值守", "organise waste-sorting duty") =>
            [Compound(RcStaff), Compound(PartySecretary), Compound(CommitteeDirector)];
        /// Check in at one's own shift, offer it to another volunteer, answer an offer.
        TakeShifts("志愿者值守", "take one's own duty shifts") => [
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
        /// Log what a supervisor saw at a station (a listed volunteer, or an organiser).
        RecordSorting("记录分类督导情况", "log sorting records") => [
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
    }
}

/// The audit chain's action names this process writes.
pub const AUDIT_ACTIONS: &[&str] = &[
    "waste.attendance",
    "waste.cover-ask",
    "waste.cover-take",
    "waste.record",
    "waste.roster",
    "waste.station",
    "waste.station-change",
    "waste.swap-accept",
    "waste.swap-decline",
    "waste.swap-offer",
    "waste.volunteer",
];
