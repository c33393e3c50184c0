//! gongzhi-core: the law and the arithmetic of a compound's self-governance.
//!
//! Pure: no I/O, no async, no database. Every function takes data and returns a result
//! with its explanation, so the web, the store and the CLI all count the same way.

pub mod corridors;
pub mod demo;
pub mod kit;
pub mod matter;
pub mod projects;
pub mod registry;
pub mod roles;
pub mod sharing;
pub mod tally;
pub mod turnout;

pub use kit::Area;
pub use kit::Money;
pub use kit::{area, money, time};
pub use matter::{Channel, Choice, MatterKind, Scope, Threshold};
pub use registry::{BuildingNo, OwnerKey, Registry, RowError, StairwellNo, Unit, UnitNo};
pub use tally::{Ballot, Tally, TallyError, TallyInput};
