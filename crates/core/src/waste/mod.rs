//! Waste sorting duty (垃圾分类, 定时定点投放; law-and-practice §5): drop-off stations with the
//! four bins of the Shanghai Regulation, their shifts, the volunteers, and the exact, fair roster.
//!
//! - [`model`]: stations, shifts, volunteers; [`Problem`] is the consistent whole a roster is for.
//! - [`roster()`]: the roster that fills the most places, then has the smallest maximum load,
//!   then the fewest volunteers at it, then the most shifts at preferred stations; exact (see
//!   [`fair`] for how), with the gaps and who could have filled them.
//! - [`swap()`] and [`cover_candidates`]: changes between volunteers, checked against every rule.
//! - [`roster_cli`]: `gongzhi roster`'s core, from the two CSV files to the JSON and text output.

pub mod csv;
pub mod fair;
pub mod flow;
pub mod model;
pub mod network;
pub mod policy;
pub mod records;
pub mod refusal;
pub mod roster;
pub mod swap;
#[cfg(test)]
mod tests;

pub use csv::{RosterOutput, problem_from_csv, roster_cli};
pub use model::{
    Availability, Bin, Changes, Colour, Hm, HouseholdRule, Problem, Shift, ShiftId, Station, StationId, Volunteer,
    VolunteerId, Week, Window, check_stations, shifts_for, shifts_with_changes,
};
pub use records::{MonthSummary, Observation, SortingRecord, month_summary, weekly_trend};
pub use refusal::WasteRefusal;
pub use roster::{Assignment, Gap, Roster, gaps, roster, violations};
pub use swap::{Swap, cover_candidates, swap};
