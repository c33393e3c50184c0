//! The server's log: one line a request (with its id), errors with the request id, on stderr.
//! `GONGZHI_LOG` sets the levels (`info` by default, e.g. `warn,gongzhi_web=debug`);
//! `GONGZHI_LOG_FORMAT=json` writes JSON lines for a log collector.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

pub fn init() {
    let targets: Targets = std::env::var("GONGZHI_LOG")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| "info".parse().expect("a valid default filter"));
    let json = std::env::var("GONGZHI_LOG_FORMAT").is_ok_and(|f| f == "json");
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_target(false);
    let registry = tracing_subscriber::registry().with(targets);
    // a second call (the demo's server after its seeding) keeps the first subscriber
    let _ = if json { registry.with(fmt.json()).try_init() } else { registry.with(fmt).try_init() };
}
