//! Who may do what with the map, its what-ifs and residents' requests, and the compound's
//! settings for them, in one place.

use super::requests::Routing;

crate::policy! {
    /// What can be done with the walking map and residents' requests (诉求). The committee draws
    /// the map and tries what-ifs before it spends; everyone in the compound reads the map and
    /// submits requests; each request is handled by the body its category routes it to (the
    /// owners' committee, the property company or the residents' committee); a building leader
    /// follows their own building's requests.
    pub enum MapAction {
        /// Read the map, the walks to the bin rooms and the saved what-ifs.
        ReadMap("查看步行地图", "read the walking map") => [
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
        /// Draw or import the map and its site plan.
        DrawMap("绘制步行地图", "draw the walking map") => [Compound(CommitteeMember), Compound(CommitteeDirector)];
        /// Save a what-if and attach it to a matter or a project.
        SaveScenarios("保存方案比较", "save what-ifs") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector), Compound(RcStaff)];
        /// Submit a request and follow one's own.
        SubmitRequests("提交诉求", "submit requests") => [
            Compound(Owner),
            Compound(Resident),
            Compound(BuildingLeader),
            Compound(OwnerRepresentative),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(Volunteer),
        ];
        /// Read every request on a building (the whole compound's for those granted it there).
        ReadRequests("查看居民诉求", "read residents' requests") => [
            OwnBuilding(BuildingLeader),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
            Compound(PartySecretary),
            Compound(PropertyManager),
        ];
        /// Handle the requests routed to the owners' committee.
        HandleCommitteeRequests("办理业委会诉求", "handle the owners' committee's requests") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector)];
        /// Handle the requests routed to the property company.
        HandlePropertyRequests("办理物业诉求", "handle the property company's requests") => [Compound(PropertyManager)];
        /// Handle the requests routed to the residents' committee.
        HandleRcRequests("办理居委会诉求", "handle the residents' committee's requests") =>
            [Compound(RcStaff), Compound(PartySecretary)];
        /// Change which body each category is routed to.
        RouteRequests("设置诉求分派", "route requests by category") => [Compound(CommitteeDirector), Compound(RcStaff)];
    }
}

/// The audit actions the map and requests write.
pub const AUDIT_ACTIONS: &[&str] = &[
    "map.import",
    "map.edit",
    "map.site-plan",
    "map.scenario",
    "requests.submit",
    "requests.update",
    "requests.group",
    "requests.link",
    "requests.routing",
];

/// The compound's settings for requests: which body each category goes to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapSettings {
    pub routing: Routing,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::policy::{Subject, allows};
    use crate::accounts::{Member, MemberUnit, Relation, Role};

    fn may(roles: &[Role], action: MapAction, building: &str) -> bool {
        let unit = MemberUnit { unit: crate::UnitNo::parse("13-701").unwrap(), relation: Relation::Owner, voter: true };
        let m = Member { roles: roles.to_vec(), units: vec![unit] };
        allows(&m, action, Subject::Building(building))
    }

    #[test]
    fn owners_submit_and_read_the_map_but_handle_nothing() {
        assert!(may(&[Role::Owner], MapAction::SubmitRequests, "13"));
        assert!(may(&[Role::Owner], MapAction::ReadMap, "13"));
        assert!(!may(&[Role::Owner], MapAction::ReadRequests, "13"));
        assert!(!may(&[Role::Owner], MapAction::DrawMap, "13"));
        // a building leader follows their own building's requests, not another's
        assert!(may(&[Role::BuildingLeader], MapAction::ReadRequests, "13"));
        assert!(!may(&[Role::BuildingLeader], MapAction::ReadRequests, "12"));
        assert!(may(&[Role::PropertyManager], MapAction::HandlePropertyRequests, "12"));
        assert!(!may(&[Role::PropertyManager], MapAction::HandleCommitteeRequests, "12"));
        assert!(!may(&[Role::PropertyManager], MapAction::SubmitRequests, "12"));
    }
}
