//! The `gongzhi` command. Exit codes: 0 success, 2 bad input (the message names the row, unit
//! or field), 1 anything else.

mod bench;
mod bench_http;
mod bench_outbox;
mod logging;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use gongzhi_core::{MatterKind, Scope, TallyInput, voting::tally::tally};
use gongzhi_store::{Store, StoreError, read_ballots, read_delivered, read_registry, read_registry_within};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "gongzhi", version, about = "共治 gongzhi: a residential compound governs itself")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tally a vote from files, with no database (Civil Code Art. 278).
    Tally {
        /// Register of units: unit,building,stairwell,floor,area,owner (房号,楼号,单元,楼层,面积,业主), CSV or .xlsx
        #[arg(long)]
        units: PathBuf,
        /// Returned ballots: unit,choice with approve|oppose|abstain (同意|反对|弃权)
        #[arg(long)]
        ballots: PathBuf,
        /// procedure-rules, covenant, committee-election, property-manager, fund-use, fund-raise,
        /// alteration, common-part-use or other-major
        #[arg(long)]
        matter: String,
        /// compound, building:B or stairwell:B/S
        #[arg(long, default_value = "compound")]
        scope: String,
        /// Units whose ballot was delivered (column unit): applies the deemed-participation clause
        #[arg(long)]
        delivered: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// The largest exclusive area one unit may have, in m²; a register row above it is refused
        /// as a mistyped area (default 10000; at most 1000000)
        #[arg(long, default_value = "10000")]
        max_unit_area: String,
    },
    /// Share a lift's cost over households by floor weights (law-and-practice §4.4–4.5).
    Share {
        /// Register of units, as for `tally` (only these units share the cost)
        #[arg(long)]
        units: PathBuf,
        /// The construction cost in yuan, e.g. 600000 or 612345.67
        #[arg(long, allow_hyphen_values = true)]
        cost: String,
        /// The subsidy's share of the cost (Shanghai: 0.4)
        #[arg(long, default_value = "0.4")]
        subsidy_rate: String,
        /// The subsidy's cap per lift in yuan (Shanghai: 280000)
        #[arg(long, default_value = "280000")]
        subsidy_cap: String,
        /// Other sources in yuan (maintenance fund, income from common property)
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        other: String,
        /// FLOOR=WEIGHT or UNIT=WEIGHT, comma-separated: 3=0.7,4=0.8,…; floors without a weight pay nothing
        #[arg(long)]
        weights: String,
        #[arg(long, default_value = "area")]
        basis: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Elect the owners' committee from approval ballots, with no database (Civil Code Art. 278;
    /// law-and-practice §2): a candidate needs more than half of the participating area and owners.
    Elect {
        /// Register of units, as for `tally`
        #[arg(long)]
        units: PathBuf,
        /// unit,approve with the approved names separated by ; or ；(empty: a blank ballot)
        #[arg(long)]
        ballots: PathBuf,
        /// The slate, names separated by ; or ；
        #[arg(long)]
        candidates: String,
        /// Seats to fill
        #[arg(long)]
        seats: String,
        /// Alternates wanted after the elected (default 0)
        #[arg(long)]
        alternates: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Plan a round of works, with no database.
    Plan {
        #[command(subcommand)]
        what: Plan,
    },
    /// Roster volunteers onto waste drop-off shifts, with no database: every coverable place
    /// covered, the heaviest load as light as it can be, the gaps named.
    Roster {
        /// volunteer,max,available (available: shift ids separated by ;, or *)
        #[arg(long)]
        volunteers: PathBuf,
        /// shift,station,date,start,end,need (times HH:MM, need ≥ 1)
        #[arg(long)]
        shifts: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// The compound's funds, with no database: a quarter of income from common property, and the
    /// rules on drawing from the maintenance fund.
    Ledger {
        #[command(subcommand)]
        what: Ledger,
    },
    /// Walking distances from each entrance to its nearest bin room, before and after new paths or
    /// opened gates, with no database.
    Walk {
        /// A GeoJSON FeatureCollection (WGS84): entrance, junction, gate and bin points; paths as lines
        #[arg(long)]
        map: PathBuf,
        /// A new path A,B[,LENGTH in metres] (else the straight-line distance); repeatable
        #[arg(long = "add-path")]
        add_path: Vec<String>,
        /// Open a closed path or gate A,B; repeatable
        #[arg(long = "open")]
        open: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Import files into a database.
    Import {
        #[command(subcommand)]
        what: Import,
    },
    /// Serve the demo compound (明辉西郊苑) from DIR/gongzhi.db, created and seeded if absent.
    Demo {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Use this database instead of DIR/gongzhi.db (sqlite://PATH or postgres://…).
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Seed and describe the demo, then exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// Send email through this relay in plain SMTP, e.g. 127.0.0.1:2525 (a local relay or
        /// a test sink). Without it, emails wait in the outbox and end as dead letters staff see.
        #[arg(long, value_name = "HOST:PORT")]
        smtp_relay: Option<String>,
    },
    /// Serve the web application and the JSON API.
    Serve {
        /// sqlite://PATH or postgres://…
        #[arg(long)]
        database: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Mark cookies Secure and send HSTS (when served behind HTTPS).
        #[arg(long)]
        secure_cookies: bool,
        /// The address owners reach the server at, printed on notices and in QR codes
        /// (default: http:// and the bound address).
        #[arg(long)]
        public_url: Option<String>,
        /// Send email through this relay in plain SMTP, e.g. 127.0.0.1:25 (the machine's own
        /// relay). A compound's own relay, with TLS and credentials, is set on its settings page
        /// and takes precedence.
        #[arg(long, value_name = "HOST:PORT")]
        smtp_relay: Option<String>,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        what: User,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        what: Audit,
    },
    /// Benchmarks, recorded in BENCHMARKS.md.
    Bench {
        #[command(subcommand)]
        what: bench::Bench,
    },
}

#[derive(Subcommand)]
enum Plan {
    /// The order in which buildings' corridors are repainted, phase by phase within each
    /// phase's budget and capacity, with every building's explanation.
    Corridors {
        /// building,cost,score (cost in yuan, score ≥ 0, at most 2 decimals each)
        #[arg(long)]
        plans: PathBuf,
        /// Number of phases
        #[arg(long)]
        phases: String,
        /// Budget in yuan: one for every phase, or one per phase separated by commas
        #[arg(long)]
        budget: String,
        /// Buildings a phase can take: one for every phase, or one per phase
        #[arg(long)]
        capacity: String,
        #[arg(long, help = gongzhi_core::corridors::Policy::HELP)]
        policy: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum Ledger {
    /// A quarter's statement of income from common property, and the top-up of the maintenance
    /// fund it owes (Shanghai: at least half of the net; the rate is the compound's rules').
    Quarter {
        /// date,account,amount,building,memo (accounts income:parking|advert|venue|other and
        /// cost:tax|labour|energy|other; amounts in yuan > 0)
        #[arg(long)]
        entries: PathBuf,
        /// e.g. 2026Q1
        #[arg(long)]
        quarter: String,
        /// The share of the net that tops up the fund, above 0.5 and at most 1
        #[arg(long)]
        rate: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Whether a draw on a works contract from the maintenance fund is allowed now (Shanghai:
    /// at most 30% first, 90% before the audit review, then the reviewed amount).
    Draw {
        /// The contract sum in yuan
        #[arg(long)]
        contract: String,
        /// Already paid out in yuan
        #[arg(long)]
        paid: String,
        /// Draws made so far (default 0)
        #[arg(long)]
        draws: Option<String>,
        /// The audited (reviewed) amount, once the review is done
        #[arg(long)]
        reviewed: Option<String>,
        /// The draw asked for in yuan
        #[arg(long)]
        amount: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum Import {
    /// A register (CSV or .xlsx), all or nothing.
    Registry {
        file: PathBuf,
        /// sqlite://PATH or postgres://…
        #[arg(long)]
        database: String,
        /// The compound to import into (created if absent); optional when the database holds one.
        #[arg(long)]
        compound: Option<String>,
        /// The largest exclusive area one unit may have, in m²; a register row above it is refused
        /// as a mistyped area (default 10000; at most 1000000)
        #[arg(long, default_value = "10000")]
        max_unit_area: String,
    },
}

#[derive(Subcommand)]
enum User {
    /// Create an account (the first administrator, staff, owners). The password is read from the
    /// first line of standard input with --password-stdin; otherwise one is generated and printed.
    Add {
        #[arg(long)]
        database: String,
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// Roles, comma-separated: owner, resident, building-leader, owner-representative,
        /// committee-member, committee-director, rc-staff, party-secretary, property-manager, volunteer
        #[arg(long, value_delimiter = ',')]
        role: Vec<String>,
        /// Units this account owns and votes for (repeatable), e.g. 13-701
        #[arg(long)]
        unit: Vec<String>,
        #[arg(long)]
        phone: Option<String>,
        /// The compound (optional when the database holds one).
        #[arg(long)]
        compound: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum Audit {
    /// Check every compound's record: the hash chain (names the first altered or missing entry),
    /// every closed vote's ballots and published result against what was sealed when it closed,
    /// and the anchors printed on result notices. Exit 1 when anything is broken.
    Verify {
        #[arg(long)]
        database: String,
        /// An anchor printed on a result notice or the lobby copy (`HASH@YYYY-MM-DD`); repeatable.
        /// A log rewritten or wiped after it was printed no longer holds it.
        #[arg(long)]
        anchor: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

/// An error in what the user gave us: exit code 2.
#[derive(Debug)]
struct BadInput(String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for BadInput {}

fn bad(msg: impl Into<String>) -> anyhow::Error {
    BadInput(msg.into()).into()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let input = e.downcast_ref::<BadInput>().is_some()
                || e.downcast_ref::<StoreError>().is_some_and(|s| s.is_bad_input())
                || e.downcast_ref::<gongzhi_core::kit::Refused>().is_some_and(|r| r.kind().is_bad_input());
            eprintln!("error: {e:#}");
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Tally { units, ballots, matter, scope, delivered, format, max_unit_area } => {
            let b = bounds(&max_unit_area)?;
            let out = tally_files(&units, &ballots, &matter, &scope, delivered.as_deref(), format, &b)?;
            println!("{out}");
            Ok(())
        }
        Command::Share { units, cost, subsidy_rate, subsidy_cap, other, weights, basis, format } => {
            println!("{}", share(&units, &cost, &subsidy_rate, &subsidy_cap, &other, &weights, &basis, format)?);
            Ok(())
        }
        Command::Elect { units, ballots, candidates, seats, alternates, format } => {
            let reg = read_registry(&units).map_err(|e| prefix(&units, e))?;
            let out = gongzhi_core::committee::elect_cli(
                &reg,
                &read_text(&ballots)?,
                &candidates,
                &seats,
                alternates.as_deref(),
            )?;
            print_out(format, &out, out.text())
        }
        Command::Plan { what: Plan::Corridors { plans, phases, budget, capacity, policy, format } } => {
            let out = gongzhi_core::corridors::plan_corridors_cli(
                &read_text(&plans)?,
                &phases,
                &budget,
                &capacity,
                policy.as_deref(),
            )?;
            print_out(format, &out, out.text())
        }
        Command::Roster { volunteers, shifts, format } => {
            let out = gongzhi_core::waste::roster_cli(&read_text(&volunteers)?, &read_text(&shifts)?)?;
            print_out(format, &out, out.text())
        }
        Command::Ledger { what: Ledger::Quarter { entries, quarter, rate, format } } => {
            let out = gongzhi_core::funds::quarter_cli(&read_text(&entries)?, &quarter, &rate)?;
            print_out(format, &out, out.text())
        }
        Command::Ledger { what: Ledger::Draw { contract, paid, draws, reviewed, amount, format } } => {
            let out = gongzhi_core::funds::draw_cli(&contract, &paid, draws.as_deref(), reviewed.as_deref(), &amount)?;
            print_out(format, &out, out.text())
        }
        Command::Walk { map, add_path, open, format } => {
            let out = gongzhi_core::map::walk_cli(&read_text(&map)?, &add_path, &open)?;
            print_out(format, &out, out.text())
        }
        Command::Import { what: Import::Registry { file, database, compound, max_unit_area } } => {
            import_registry(&file, &database, compound, &bounds(&max_unit_area)?).await
        }
        Command::Demo { data, database, bind, no_serve, smtp_relay } => {
            let url = database.unwrap_or_else(|| format!("sqlite://{}", data.join("gongzhi.db").display()));
            demo(&url, &bind, no_serve, delivery(smtp_relay)?).await
        }
        Command::Serve { database, bind, secure_cookies, public_url, smtp_relay } => {
            let store = Store::connect(&database).await?;
            serve(store, &bind, secure_cookies, public_url, delivery(smtp_relay)?).await
        }
        Command::User { what: User::Add { database, login, name, role, unit, phone, compound, password_stdin } } => {
            user_add(&database, login, name, role, unit, phone, compound, password_stdin).await
        }
        Command::Audit { what: Audit::Verify { database, anchor } } => audit_verify(&database, &anchor).await,
        Command::Bench { what } => bench::run(what).await,
    }
}

fn tally_files(
    units: &Path,
    ballots: &Path,
    matter: &str,
    scope: &str,
    delivered: Option<&Path>,
    format: Format,
    bounds: &gongzhi_core::registry::Bounds,
) -> anyhow::Result<String> {
    let kind = MatterKind::parse(matter).ok_or_else(|| {
        let kinds: Vec<&str> = MatterKind::ALL.iter().map(|k| k.as_str()).collect();
        bad(format!("--matter: unknown kind '{matter}' (one of {})", kinds.join(", ")))
    })?;
    let scope = Scope::parse(scope)
        .ok_or_else(|| bad(format!("--scope: '{scope}' is not compound, building:B or stairwell:B/S")))?;
    let reg = read_registry_within(units, bounds).map_err(|e| prefix(units, e))?;
    let ballots = read_ballots(ballots).map_err(|e| prefix(ballots, e))?;
    let delivered = delivered.map(|p| read_delivered(p).map_err(|e| prefix(p, e))).transpose()?;
    let t = tally(&TallyInput {
        units: &reg.units,
        scope: &scope,
        kind,
        ballots: &ballots,
        delivered: delivered.as_deref(),
    })
    .map_err(|errs| bad(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&t)?,
        Format::Text => t.to_string(),
    })
}

#[allow(clippy::too_many_arguments)]
fn share(
    units: &Path,
    cost: &str,
    rate: &str,
    cap: &str,
    other: &str,
    weights: &str,
    basis: &str,
    format: Format,
) -> anyhow::Result<String> {
    use gongzhi_core::Money;
    use gongzhi_core::projects::sharing::{Basis, Weights, parse_rate, plan};
    let money = |flag: &str, v: &str| Money::parse(v).map_err(|e| bad(format!("--{flag}: {e}")));
    let cost = money("cost", cost)?;
    let cap = money("subsidy-cap", cap)?;
    let other = money("other", other)?;
    let rate = parse_rate(rate).map_err(|e| bad(e.to_string()))?;
    let weights = Weights::parse(weights).map_err(|e| bad(format!("--{e}")))?;
    let basis = Basis::parse(basis).ok_or_else(|| bad(format!("--basis: '{basis}' is not area or household")))?;
    let reg = read_registry(units).map_err(|e| prefix(units, e))?;
    let p = plan(cost, rate, cap, other, &reg.units, &weights, basis).map_err(|e| bad(e.to_string()))?;
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&p)?,
        Format::Text => {
            let mut s = format!("cost {}  subsidy {}  residents {}\n", p.cost, p.subsidy, p.residents_total);
            for x in &p.shares {
                s.push_str(&format!("  {:<10} floor {:>3}  {:>12}\n", x.unit.as_str(), x.floor, x.share.to_string()));
            }
            s
        }
    })
}

/// Names the file in a file's row errors.
fn prefix(path: &Path, e: StoreError) -> anyhow::Error {
    use gongzhi_core::registry::RegistryRefusal;
    match e.refused().and_then(|r| r.downcast::<RegistryRefusal>()) {
        Some(RegistryRefusal::BadRows { rows }) => {
            bad(rows.0.iter().map(|r| format!("{}: {r}", path.display())).collect::<Vec<_>>().join("\n"))
        }
        _ => e.into(),
    }
}

/// A file given on the command line, as UTF-8 text: bounded, named in any error (exit 2).
fn read_text(path: &Path) -> anyhow::Result<String> {
    const MAX: u64 = 32 << 20;
    let file = path.display();
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("{file}: {e}")))?;
    if meta.len() > MAX {
        return Err(bad(format!("{file}: larger than {} MB", MAX >> 20)));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("{file}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| bad(format!("{file}: the file is not UTF-8 text (save it as CSV UTF-8)")))
}

/// Prints a command's answer as its JSON or its text.
fn print_out<T: serde::Serialize>(format: Format, out: &T, text: String) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(out)?),
        Format::Text => print!("{text}{}", if text.ends_with('\n') { "" } else { "\n" }),
    }
    Ok(())
}

/// `--max-unit-area` as the register's bounds.
fn bounds(max_unit_area: &str) -> anyhow::Result<gongzhi_core::registry::Bounds> {
    gongzhi_core::registry::Bounds::with_max_unit_area(max_unit_area)
        .ok_or_else(|| bad(format!("--max-unit-area: '{max_unit_area}' is not an area in m² from 0.01 to 1000000")))
}

async fn import_registry(
    file: &Path,
    database: &str,
    compound: Option<String>,
    bounds: &gongzhi_core::registry::Bounds,
) -> anyhow::Result<()> {
    let reg = read_registry_within(file, bounds).map_err(|e| prefix(file, e))?;
    let store = Store::connect(database).await?;
    let existing = store.compounds().await?;
    let c = match compound {
        Some(name) => match existing.into_iter().find(|c| c.name == name) {
            Some(c) => c,
            None => store.create_compound(&name, "", false).await?,
        },
        None => match existing.len() {
            1 => existing.into_iter().next().expect("one compound"),
            0 => {
                return Err(bad("--compound: the database holds no compound yet; name the one to create"));
            }
            _ => {
                let names: Vec<String> = existing.into_iter().map(|c| c.name).collect();
                return Err(bad(format!(
                    "--compound: the database holds several compounds ({}); name one",
                    names.join(", ")
                )));
            }
        },
    };
    let s = store.import_registry(&c.id, &reg).await?;
    println!(
        "{}: imported {} units ({} new, {} updated), {} owners ({} new), {} m² in all",
        c.name,
        reg.units.len(),
        s.units_added,
        s.units_updated,
        reg.owners.len(),
        s.owners_added,
        reg.total_area()
    );
    Ok(())
}

async fn demo(
    url: &str,
    bind: &str,
    no_serve: bool,
    delivery: gongzhi_web::accounts::outbox::Delivery,
) -> anyhow::Result<()> {
    let store = Store::connect(url).await.with_context(|| format!("opening {url}"))?;
    let hash = gongzhi_web::kit::password::hash(gongzhi_store::demo::DEMO_PASSWORD);
    let c = gongzhi_store::demo::seed(&store, &hash).await?;
    let reg = store.registry(&c.id).await?;
    println!("{} ({}) — {}", c.name, c.name_en, url.split('@').next_back().unwrap_or(url));
    println!(
        "  {} buildings, {} units, {} owners, {} m² of exclusive area",
        reg.buildings().len(),
        reg.units.len(),
        reg.owners.len(),
        reg.total_area()
    );
    let officers = store.officers(&c.id).await?;
    for role in ["committee-director", "committee-member"] {
        let names: Vec<String> =
            officers.iter().filter(|o| o.role == role).map(|o| format!("{} ({})", o.name, o.unit)).collect();
        println!("  {role}: {}", names.join(", "));
    }
    println!("  building leaders: {}", officers.iter().filter(|o| o.role == "building-leader").count());
    for m in store.matters(&c.id).await? {
        println!("\n[{}] {} — {} {} ({} ballots)", m.status.as_str(), m.title, m.kind, m.scope, m.ballots_cast);
        if m.status == gongzhi_core::MatterStatus::Closed {
            let t = store.tally(&c.id, &m.id).await?;
            println!("{}", indent(&t.explanation.zh));
        }
    }
    println!("\nLogins (password: demo): admin (committee director, owner of 8-302), staff and staff2 (residents'");
    println!(
        "  committee), manager (the property company), owner-<unit> for every other unit, e.g. owner-13-701; committee"
    );
    println!("  members and building leaders log in");
    println!("  with their unit's account, e.g. owner-2-501 (committee member), owner-13-201 (building leader).");
    if no_serve {
        return Ok(());
    }
    serve(store, bind, false, None, delivery).await
}

/// How the server's outbox worker delivers: `--smtp-relay`, checked now; the claim's lease from
/// `GONGZHI_OUTBOX_LEASE_MS` (only a crash test shortens it).
fn delivery(smtp_relay: Option<String>) -> anyhow::Result<gongzhi_web::accounts::outbox::Delivery> {
    if let Some(r) = &smtp_relay {
        gongzhi_web::accounts::outbox::plain_relay(r).map_err(bad)?;
    }
    let lease_ms = match std::env::var("GONGZHI_OUTBOX_LEASE_MS") {
        Ok(v) => v
            .parse::<i64>()
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| bad(format!("GONGZHI_OUTBOX_LEASE_MS={v}: give milliseconds")))?,
        Err(_) => gongzhi_web::accounts::outbox::LEASE_MS,
    };
    Ok(gongzhi_web::delivery(smtp_relay, lease_ms))
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests under way.
async fn serve(
    store: Store,
    bind: &str,
    secure_cookies: bool,
    public_url: Option<String>,
    delivery: gongzhi_web::accounts::outbox::Delivery,
) -> anyhow::Result<()> {
    logging::init();
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| bad(format!("--bind {bind}: {e}")))?;
    let addr = listener.local_addr()?;
    println!("serving on http://{addr}/");
    let public_base = public_url.unwrap_or_else(|| format!("http://{addr}"));
    tracing::info!(%addr, %public_base, "serving");
    let app = gongzhi_web::app(gongzhi_web::AppState { store: store.clone(), secure_cookies, public_base });
    // the outbox's delivery worker: every message queued is delivered, also after a restart
    tokio::spawn(gongzhi_web::accounts::outbox::run(store.clone(), delivery));
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    tracing::info!("stopped");
    store.close().await;
    Ok(())
}

/// Resolves on SIGTERM (how a service manager stops us) or Ctrl-C.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing the requests under way");
}

async fn one_compound(store: &Store, name: Option<String>) -> anyhow::Result<gongzhi_store::registry::Compound> {
    let all = store.compounds().await?;
    match name {
        Some(n) => {
            all.into_iter().find(|c| c.name == n).ok_or_else(|| bad(format!("--compound: no compound named {n}")))
        }
        None if all.len() == 1 => Ok(all.into_iter().next().expect("one")),
        None => Err(bad("--compound: name the compound (the database holds none or several)")),
    }
}

#[allow(clippy::too_many_arguments)]
async fn user_add(
    database: &str,
    login: String,
    name: String,
    roles: Vec<String>,
    units: Vec<String>,
    phone: Option<String>,
    compound: Option<String>,
    password_stdin: bool,
) -> anyhow::Result<()> {
    use gongzhi_core::accounts::{Relation, Role};
    let roles: Vec<Role> = roles
        .iter()
        .map(|r| Role::parse(r).ok_or_else(|| bad(format!("--role: unknown role '{r}'"))))
        .collect::<anyhow::Result<_>>()?;
    let units: Vec<gongzhi_core::UnitNo> = units
        .iter()
        .map(|u| {
            gongzhi_core::UnitNo::parse(u).ok_or_else(|| bad(format!("--unit: '{u}' is not a unit number like 13-701")))
        })
        .collect::<anyhow::Result<_>>()?;
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        if p.chars().count() < 8 {
            return Err(bad("password: at least 8 characters"));
        }
        (p, false)
    } else {
        (gongzhi_store::accounts::random_token()[..16].to_string(), true)
    };
    let store = Store::connect(database).await?;
    let c = one_compound(&store, compound).await?;
    if let Some((person, _)) = store.person_for_login(&login).await? {
        // an existing person (an officer of several compounds): a membership here, their
        // password untouched
        if !units.is_empty() {
            return Err(bad("--unit: bind an existing person's units on the accounts page"));
        }
        if store.memberships(&person).await?.iter().any(|(id, _)| *id == c.id) {
            return Err(anyhow::anyhow!("{login} is already a member of {}; the account already exists", c.name));
        }
        let a = store.add_member(&c.id, &login, &roles, "cli").await?;
        let names: Vec<&str> = a.roles().iter().map(|r| r.as_str()).collect();
        println!("added {} ({}) to {}", a.login, names.join(","), c.name);
        return Ok(());
    }
    let account = gongzhi_store::accounts::NewAccount {
        login,
        phone,
        name,
        password_hash: gongzhi_web::kit::password::hash(&password),
        roles,
        units: units.into_iter().map(|u| (u, Relation::Owner, true)).collect(),
    };
    let a = store.create_account(&c.id, &account, "cli").await?;
    println!(
        "created {} ({}) in {}",
        a.login,
        a.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>().join(","),
        c.name
    );
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

async fn audit_verify(database: &str, anchors: &[String]) -> anyhow::Result<()> {
    let store = Store::connect(database).await?;
    let mut broken = false;
    let compounds = store.compounds().await?;
    for c in &compounds {
        match store.verify_record(&c.id, &[]).await? {
            Ok(n) => println!("{}: intact, {n} entries", c.name),
            Err(b) => {
                broken = true;
                println!("{}: BROKEN: {b}", c.name);
            }
        }
    }
    // a printed anchor must still be in some compound's log
    for a in anchors {
        let mut found = None;
        for c in &compounds {
            if let Some(e) = store.find_anchor(&c.id, a).await? {
                found = Some((c.name.clone(), e.seq));
                break;
            }
        }
        match found {
            Some((name, seq)) => println!("anchor {a}: found in {name}, entry {seq}"),
            None => {
                broken = true;
                let b = gongzhi_store::kit::audit::Break::AnchorMissing { anchor: a.clone() };
                println!("anchor {a}: BROKEN: {b}");
            }
        }
    }
    if broken {
        anyhow::bail!("the audit chain is broken");
    }
    Ok(())
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}
