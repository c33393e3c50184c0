//! gongzhi-core: the law and the arithmetic of a compound's self-governance.
//!
//! Pure: no I/O, no async, no database. Every function takes data and returns a result
//! with its explanation, so the web, the store and the CLI all count the same way.
//!
//! One folder per process, in the order in which they may use each other (see
//! [`kit::processes::ORDER`]): a process uses the kit and the processes before it, never one
//! after it. Each process holds its types and rules, its `policy.rs` (who may do what on which
//! subject) and its `refusal.rs` (every refusal with its code and both wordings).

#[doc(hidden)]
pub use serde;

pub mod kit;

pub mod registry;

pub mod accounts;

pub mod voting;

pub mod projects;

pub mod committee;

pub mod funds;

pub mod waste;

pub mod map;

pub mod corridors;
pub mod demo;

pub use kit::{Area, Money, area, money, time};
pub use registry::{BuildingNo, OwnerKey, Registry, RowError, StairwellNo, Unit, UnitNo};
pub use voting::matter::{Channel, Choice, MatterKind, MatterStatus, Scope, Threshold};
pub use voting::tally::{Ballot, Tally, TallyError, TallyInput};

/// The registry's audit action: an import of the register, with the file's hash.
pub const REGISTRY_AUDIT_ACTIONS: &[&str] = &["registry.import"];

/// Every audit action name any process declares; the store refuses to write an undeclared one
/// (checked in debug builds, so every test run checks every write).
pub fn audit_action_declared(action: &str) -> bool {
    [
        REGISTRY_AUDIT_ACTIONS,
        accounts::policy::AUDIT_ACTIONS,
        voting::policy::AUDIT_ACTIONS,
        projects::policy::AUDIT_ACTIONS,
        committee::policy::AUDIT_ACTIONS,
        corridors::policy::AUDIT_ACTIONS,
        waste::policy::AUDIT_ACTIONS,
        funds::policy::AUDIT_ACTIONS,
        map::policy::AUDIT_ACTIONS,
    ]
    .iter()
    .any(|list| list.contains(&action))
}

#[cfg(test)]
mod audit_names {
    #[test]
    fn each_audit_action_is_declared_once() {
        let mut seen = std::collections::HashSet::new();
        for list in [
            super::REGISTRY_AUDIT_ACTIONS,
            super::accounts::policy::AUDIT_ACTIONS,
            super::voting::policy::AUDIT_ACTIONS,
            super::projects::policy::AUDIT_ACTIONS,
            super::committee::policy::AUDIT_ACTIONS,
            super::corridors::policy::AUDIT_ACTIONS,
            super::waste::policy::AUDIT_ACTIONS,
            super::funds::policy::AUDIT_ACTIONS,
            super::map::policy::AUDIT_ACTIONS,
        ] {
            for a in list {
                assert!(seen.insert(*a), "{a} is declared twice");
                assert!(a.contains('.'), "{a} names its subject");
            }
        }
        assert!(!super::audit_action_declared("matter.vanish"));
    }
}
