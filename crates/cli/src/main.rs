//! The `gongzhi` command. Exit codes: 0 success, 2 bad input (the message names the row, unit
//! or field), 1 anything else.

mod bench;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use gongzhi_core::{MatterKind, Scope, TallyInput, tally::tally};
use gongzhi_store::{Store, StoreError, read_ballots, read_delivered, read_registry};
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
    },
    /// Import files into a database.
    Import {
        #[command(subcommand)]
        what: Import,
    },
    /// Create the demo compound (明辉西郊苑) in DIR/gongzhi.db if absent, and show what it holds.
    Demo {
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Benchmarks, recorded in BENCHMARKS.md.
    Bench {
        #[command(subcommand)]
        what: bench::Bench,
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
                || e.downcast_ref::<StoreError>().is_some_and(|s| s.is_bad_input());
            eprintln!("error: {e:#}");
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Tally { units, ballots, matter, scope, delivered, format } => {
            let out = tally_files(&units, &ballots, &matter, &scope, delivered.as_deref(), format)?;
            println!("{out}");
            Ok(())
        }
        Command::Import { what: Import::Registry { file, database, compound } } => {
            import_registry(&file, &database, compound).await
        }
        Command::Demo { data } => demo(&data).await,
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
) -> anyhow::Result<String> {
    let kind = MatterKind::parse(matter).ok_or_else(|| {
        let kinds: Vec<&str> = MatterKind::ALL.iter().map(|k| k.as_str()).collect();
        bad(format!("--matter: unknown kind '{matter}' (one of {})", kinds.join(", ")))
    })?;
    let scope = Scope::parse(scope)
        .ok_or_else(|| bad(format!("--scope: '{scope}' is not compound, building:B or stairwell:B/S")))?;
    let reg = read_registry(units).map_err(|e| prefix(units, e))?;
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

/// Names the file in a file's row errors.
fn prefix(path: &Path, e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Rows(rows) => {
            bad(rows.iter().map(|r| format!("{}: {r}", path.display())).collect::<Vec<_>>().join("\n"))
        }
        other => other.into(),
    }
}

async fn import_registry(file: &Path, database: &str, compound: Option<String>) -> anyhow::Result<()> {
    let reg = read_registry(file).map_err(|e| prefix(file, e))?;
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

async fn demo(data: &Path) -> anyhow::Result<()> {
    let path = data.join("gongzhi.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.with_context(|| format!("opening {}", path.display()))?;
    let c = gongzhi_store::demo::seed(&store).await?;
    let reg = store.registry(&c.id).await?;
    println!("{} ({}) — {}", c.name, c.name_en, path.display());
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
        let t = store.tally(&c.id, &m.id).await?;
        println!("{}", indent(&t.explanation.zh));
    }
    Ok(())
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}
