//! A person as the rules see them in one compound: their roles and the units they are bound to.

use crate::accounts::roles::Role;
use crate::registry::UnitNo;

/// How a person is bound to a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    Owner,
    Resident,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Owner => "owner",
            Relation::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        match s.trim() {
            "owner" => Some(Relation::Owner),
            "resident" => Some(Relation::Resident),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberUnit {
    pub unit: UnitNo,
    pub relation: Relation,
    /// The one person who votes for the unit.
    pub voter: bool,
}

/// Someone's membership of one compound.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Member {
    pub roles: Vec<Role>,
    pub units: Vec<MemberUnit>,
}

impl Member {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether this person casts the vote of `unit`.
    pub fn votes_for(&self, unit: &UnitNo) -> bool {
        self.units.iter().any(|u| &u.unit == unit && u.voter && u.relation == Relation::Owner)
    }

    /// Whether this person owns or lives in a unit of building `b`.
    pub fn lives_in(&self, building: &str) -> bool {
        self.units.iter().any(|u| u.unit.building() == building)
    }

    /// The buildings this person owns or lives in, each once, in order.
    pub fn buildings(&self) -> Vec<String> {
        let mut b: Vec<String> = self.units.iter().map(|u| u.unit.building().to_string()).collect();
        b.dedup();
        b
    }
}
