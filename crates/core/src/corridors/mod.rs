//! Corridor renovation (美丽楼道): each building's leader submits a corridor plan, the residents'
//! committee scores it, and the renovation is phased under each phase's budget and crew capacity.
//! Two policies, shown side by side so the committee can choose and explain:
//! - [`strict`] order (the default, [`Policy::Strict`]): buildings by descending score (ties by
//!   building number), each into the earliest phase where its cost fits the budget left and a
//!   place is left; otherwise unscheduled;
//! - [`best_value`]: the least total waiting score, Σ score × phase with an unscheduled building
//!   counting P+1, within every phase's budget and capacity; exact for a compound.
//!
//! Every building gets an explanation in Chinese and English ([`explain`]).

mod best;
mod bound;
pub mod cli;
pub mod csv;
mod explain;
mod improve;
mod inst;
mod knap;
mod lagrange;
pub mod model;
pub mod policy;
pub mod refusal;
pub mod review;
pub mod sample;
mod simplex;
mod solve;
mod strict;
pub mod words;

pub use cli::{PlanOutput, plan, plan_corridors_cli};
pub use explain::explain;
pub use model::{Phase, Plan, Policy, Round, Schedule, Score, Waiting};
pub use refusal::CorridorRefusal;
pub use solve::{MoveCost, Proof, best_value, costs_of_moving_up, strict};

#[cfg(test)]
mod tests;
