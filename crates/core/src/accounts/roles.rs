//! The roles a person can hold in a compound.

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

impl crate::kit::Say for Role {
    fn say_zh(&self) -> String {
        self.name_zh().into()
    }
    fn say_en(&self) -> String {
        self.name_en().into()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
