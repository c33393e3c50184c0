//! Accounts: the people, their roles and units in a compound, and the machinery with which every
//! process's policy says who may do what on which subject.

pub mod member;
pub mod policy;
pub mod reach;
pub mod refusal;
pub mod roles;

pub use member::{Member, MemberUnit, Relation};
pub use policy::{Grant, Reach, Subject};
pub use refusal::AccountsRefusal;
pub use roles::Role;
