//! gongzhi-store: persistence on SQLite (embedded default) or PostgreSQL, through one code path
//! (sqlx's Any driver) and one migrations folder. One folder per process, as in core.

pub mod kit;

pub mod registry;

pub mod accounts;

pub mod voting;

pub mod projects;

pub mod committee;
pub mod corridors;
pub mod funds;
pub mod map;
pub mod waste;

pub mod demo;

mod record;

pub use kit::{Actor, Backend, Result, Store, StoreError, WriteTx};
pub(crate) use kit::{new_id, now_ms, on_unique};
pub use registry::files::{read_registry, read_registry_within};
pub use voting::files::{read_ballots, read_delivered};
pub use voting::matters::{Matter, NewMatter};
