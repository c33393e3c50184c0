//! The `gongzhi` binary run as its users run it: the commands with their files and exit codes, and
//! the server killed mid-vote. One test binary, a module each.

#[allow(dead_code)]
#[path = "../../src/bench_http.rs"]
mod bench_http;

mod commands;
mod crash;
mod outbox;
mod processes;
mod walk;
