//! The machinery of every process's policy: a table of actions, each with the roles that may take
//! it and how far each role reaches (the whole compound, or only the building the person lives
//! in: a building leader on their own building). Each process declares its table with
//! [`policy!`](crate::policy) in its own `policy.rs`; pages and the API ask [`require`], and the
//! permission tests are generated from the same tables.

use crate::accounts::member::Member;
use crate::accounts::refusal::AccountsRefusal;
use crate::accounts::roles::Role;
use crate::kit::{Both, Refused};

/// How far a role's grant reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reach {
    /// Anything of the compound.
    Compound,
    /// Only a subject in a building where the person owns or lives in a unit.
    OwnBuilding,
}

/// One role allowed an action, and how far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub reach: Reach,
}

/// What an action is taken on, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject<'a> {
    /// The compound as a whole (a compound-wide matter or project, the register, the audit).
    Compound,
    /// One building, named by its number (a building's project, a unit of it).
    Building(&'a str),
}

/// An action of a process's policy table (implemented by [`policy!`](crate::policy)).
pub trait Act: Copy + std::fmt::Debug + PartialEq + 'static {
    /// Every action of the table, in order.
    const ALL: &'static [Self];
    /// Who may take it, and how far.
    fn grants(self) -> &'static [Grant];
    /// The action's name in code (`PrepareMatter`).
    fn key(self) -> &'static str;
    /// What it is, as a person reads it.
    fn label(self) -> Both;
}

/// Whether `m` may take `action` on `subject`.
pub fn allows<A: Act>(m: &Member, action: A, subject: Subject<'_>) -> bool {
    action.grants().iter().any(|g| {
        m.has(g.role)
            && match (g.reach, subject) {
                (Reach::Compound, _) => true,
                (Reach::OwnBuilding, Subject::Building(b)) => m.lives_in(b),
                (Reach::OwnBuilding, Subject::Compound) => false,
            }
    })
}

/// `Ok` if `m` may take `action` on `subject`, else the refusal naming the action.
pub fn require<A: Act>(m: &Member, action: A, subject: Subject<'_>) -> Result<(), Refused> {
    if allows(m, action, subject) {
        Ok(())
    } else {
        Err(AccountsRefusal::NotAllowed { action: action.label() }.refused())
    }
}

/// Whether anyone holding some role of `roles` could take `action` on some subject (a page shows
/// its link or button only then).
pub fn could<A: Act>(roles: &[Role], action: A) -> bool {
    action.grants().iter().any(|g| roles.contains(&g.role))
}

/// Declares a process's policy table: its actions, their names in both languages, and for each the
/// roles that may take it, anywhere in the compound (`Compound(Role)`) or only in their own
/// building (`OwnBuilding(Role)`).
#[macro_export]
macro_rules! policy {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $action:ident ($zh:literal, $en:literal) => [$($reach:ident($role:ident)),* $(,)?];
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[doc = $doc])* $action, )*
        }

        impl $crate::accounts::policy::Act for $name {
            const ALL: &'static [Self] = &[$(Self::$action),*];

            fn grants(self) -> &'static [$crate::accounts::policy::Grant] {
                match self {
                    $( Self::$action => &[$( $crate::accounts::policy::Grant {
                        role: $crate::accounts::roles::Role::$role,
                        reach: $crate::accounts::policy::Reach::$reach,
                    } ),*], )*
                }
            }

            fn key(self) -> &'static str {
                match self { $( Self::$action => stringify!($action), )* }
            }

            fn label(self) -> $crate::kit::Both {
                match self { $( Self::$action => $crate::kit::Both { zh: $zh.into(), en: $en.into() }, )* }
            }
        }
    };
}

crate::policy! {
    /// Who manages accounts and reads the record.
    pub enum AccountsAction {
        /// Open accounts for people checked in person, bind them to units, print binding codes,
        /// hand over temporary passwords, unlock locked accounts.
        ManageAccounts("管理账户", "manage accounts") => [Compound(CommitteeDirector), Compound(RcStaff)];
        /// Change the compound's settings: its holiday table (rest days and 调休 working days).
        ManageSettings("管理小区设置", "change the compound's settings") => [Compound(CommitteeDirector), Compound(RcStaff)];
        /// Read the hash-chained audit log.
        ReadAudit("查看审计日志", "read the audit log") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector), Compound(RcStaff), Compound(PartySecretary)];
        /// See every message the compound sent or failed to send (recipients, attempts, dead
        /// letters) and send a dead letter again.
        SeeDeliveries("查看通知投递记录", "see the delivery log and dead letters") =>
            [Compound(CommitteeDirector), Compound(RcStaff)];
        /// Set the compound's mail relay and group bots (their secrets are written, never shown).
        ManageChannels("设置邮件服务器和群机器人", "set the mail relay and group bots") =>
            [Compound(CommitteeDirector), Compound(RcStaff)];
    }
}

/// Offices (every role but owner and resident, which follow a person's units) and who may give or
/// take them on a page. Committee offices come from the committee's election, or for a compound
/// starting out from the operator's CLI (`gongzhi user add --role`), never from a page; the party
/// secretary likewise. Nobody grants an office above their own: the residents' committee's staff
/// give their own office and those below it, the director those below the committee.
pub const OFFICE_GRANTORS: &[(Role, &[Role])] = &[
    (Role::CommitteeDirector, &[]),
    (Role::CommitteeMember, &[]),
    (Role::PartySecretary, &[]),
    (Role::RcStaff, &[Role::RcStaff]),
    (Role::BuildingLeader, &[Role::RcStaff, Role::CommitteeDirector]),
    (Role::OwnerRepresentative, &[Role::RcStaff, Role::CommitteeDirector]),
    (Role::PropertyManager, &[Role::RcStaff, Role::CommitteeDirector]),
    (Role::Volunteer, &[Role::RcStaff, Role::CommitteeDirector]),
];

/// Whether someone holding `granter` may give or take `office` on a page.
pub fn may_grant(granter: &[Role], office: Role) -> bool {
    OFFICE_GRANTORS.iter().find(|(o, _)| *o == office).is_some_and(|(_, by)| by.iter().any(|r| granter.contains(r)))
}

/// The audit chain's action names this process writes (the compound's settings among them).
pub const AUDIT_ACTIONS: &[&str] = &[
    "account.channels",
    "account.create",
    "account.grant",
    "account.link",
    "account.member",
    "account.password-change",
    "account.password-reset",
    "account.revoke",
    "account.unlink",
    "account.unlock",
    "account.voter",
    "binding-code.redeem",
    "binding-codes.issue",
    "calendar.year",
    "message.retry",
    "settings.mail-relay",
    "settings.webhook-add",
    "settings.webhook-remove",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::member::{MemberUnit, Relation};
    use crate::registry::UnitNo;

    fn member(roles: &[Role], units: &[&str]) -> Member {
        Member {
            roles: roles.to_vec(),
            units: units
                .iter()
                .map(|u| MemberUnit { unit: UnitNo::parse(u).unwrap(), relation: Relation::Owner, voter: true })
                .collect(),
        }
    }

    crate::policy! {
        enum T {
            Edit("编辑", "edit") => [Compound(CommitteeMember), OwnBuilding(BuildingLeader)];
        }
    }

    #[test]
    fn a_building_leader_reaches_their_own_building_only() {
        let leader = member(&[Role::BuildingLeader, Role::Owner], &["3-101"]);
        assert!(allows(&leader, T::Edit, Subject::Building("3")));
        assert!(!allows(&leader, T::Edit, Subject::Building("20")));
        assert!(!allows(&leader, T::Edit, Subject::Compound));
        let committee = member(&[Role::CommitteeMember], &[]);
        assert!(allows(&committee, T::Edit, Subject::Compound));
        assert!(allows(&committee, T::Edit, Subject::Building("20")));
        let e = require(&member(&[Role::Owner], &["3-101"]), T::Edit, Subject::Building("3")).unwrap_err();
        assert_eq!(e.code(), "accounts.not-allowed");
        assert_eq!(e.values()["action"]["en"], "edit");
    }

    #[test]
    fn nobody_grants_a_committee_office_on_a_page() {
        for r in Role::ALL {
            assert!(!may_grant(&[r], Role::CommitteeDirector), "{r:?}");
            assert!(!may_grant(&[r], Role::CommitteeMember), "{r:?}");
        }
        assert!(may_grant(&[Role::RcStaff], Role::BuildingLeader));
        assert!(!may_grant(&[Role::BuildingLeader], Role::BuildingLeader));
        assert!(!may_grant(&[Role::Owner], Role::Volunteer));
    }

    #[test]
    fn every_office_has_a_row() {
        for r in Role::ALL.into_iter().filter(|r| !matches!(r, Role::Owner | Role::Resident)) {
            assert!(OFFICE_GRANTORS.iter().any(|(o, _)| *o == r), "{r:?}");
        }
    }
}
