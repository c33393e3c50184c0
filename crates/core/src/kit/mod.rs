//! The shared kit every process uses: exact areas and money, Shanghai time and legal periods,
//! the two languages, and typed refusals.

pub mod area;
pub mod chart;
pub mod common;
pub mod ical;
pub mod lang;
pub mod money;
pub mod numbers;
pub mod period;
pub mod processes;
pub mod refusal;
pub mod say;
pub mod time;

pub use area::Area;
pub use common::{CellProblem, KitRefusal, cell_name};
pub use lang::Lang;
pub use money::Money;
pub use refusal::{Kind, Refusal, Refused};
pub use say::{Both, Lines, Say};

crate::say_as_display!(Area, Money, jiff::civil::Date);
