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
