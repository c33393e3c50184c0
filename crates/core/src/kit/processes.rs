//! The processes of a compound and the order in which they may use each other: a process may use
//! the kit and the processes before it in [`ORDER`], never one after it (the test command checks
//! every crate's sources against this list).

pub const ORDER: &[&str] = &[
    "registry",
    "accounts",
    "voting",
    "projects",
    "reach",
    "committee",
    "funds",
    "corridors",
    "waste",
    "map",
    "evidence",
    "district",
];
