//! The web application through its real router (`app(state)`), on SQLite and, when
//! TEST_DATABASE_URL is set, on PostgreSQL: one test binary, a module per process. Each test gets
//! its own copy of the demo compound, seeded once per run into a template. Refusals are tested as
//! carefully as successes, by their codes.

mod committee;
mod common;
mod corridors;
mod funds;
mod map;
mod waste;

mod accounts;
mod kit;
mod permissions;
mod projects;
mod reaching;
mod sinks;
mod voting;
