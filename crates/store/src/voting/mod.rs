//! Voting: matters and their frozen rolls, ballots on every channel, deliveries and tallies.

pub mod ballots;
pub mod channels;
pub mod closing;
pub mod files;
pub mod matters;
pub mod reminders;
pub mod settings;

pub use matters::{Matter, NewMatter};
