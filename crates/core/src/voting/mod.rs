//! Voting: the matters owners decide (Civil Code Art. 278), their notices, ballots on every
//! channel, the lawful tally and live turnout.

pub mod matter;
pub mod policy;
pub mod refusal;
pub mod settings;
pub mod tally;
pub mod turnout;

pub use matter::{Channel, Choice, Marks, MatterKind, MatterStatus, Scope, Threshold, slate_marks};
pub use policy::VotingAction;
pub use refusal::{TallyError, VotingRefusal};
pub use settings::VotingSettings;
