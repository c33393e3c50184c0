//! `gongzhi bench tally`: a million ballots across a thousand matters, tallied in process and
//! by the same double-majority rule written as SQL on PostgreSQL over the same rows.

use anyhow::{Context, bail};
use clap::Subcommand;
use gongzhi_core::voting::tally::tally;
use gongzhi_core::voting::tally::{Counts, PreparedRoll, judge};
use gongzhi_core::{
    Area, Ballot, BuildingNo, Choice, MatterKind, OwnerKey, Scope, StairwellNo, TallyInput, Threshold, Unit, UnitNo,
};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Executor, Row};
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum Bench {
    /// In-process tally against PostgreSQL's, same rows, one run.
    Tally {
        /// PostgreSQL server to compare with (a scratch database is created and dropped there);
        /// defaults to TEST_DATABASE_URL.
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value_t = 1000)]
        matters: usize,
        #[arg(long, default_value_t = 1000)]
        ballots_per_matter: usize,
    },
    /// Ballots per second over HTTP on loopback (SQLite, then PostgreSQL) against the store's own
    /// rate in the same run, and the vote page's latency at a fixed rate (see bench_http.rs).
    Http {
        /// PostgreSQL server for the second half (a scratch database is created and dropped
        /// there); defaults to TEST_DATABASE_URL; without either, PostgreSQL is skipped.
        #[arg(long)]
        database: Option<String>,
        /// Concurrent clients (keep-alive connections, or tasks for the in-process rates).
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// Ballots per measurement.
        #[arg(long, default_value_t = 4000)]
        ballots: usize,
        /// At most this long per measurement: a slower store casts fewer ballots.
        #[arg(long, default_value_t = 20)]
        phase_seconds: u64,
        /// Vote-page requests per second.
        #[arg(long, default_value_t = 200)]
        page_rate: u32,
        #[arg(long, default_value_t = 10)]
        page_seconds: u64,
    },
    /// Reminder emails queued in the outbox and delivered by its worker to an SMTP sink on
    /// loopback, against sending the same emails straight to the sink (SQLite, then PostgreSQL).
    Reminders {
        /// PostgreSQL server for the second run (a scratch database is created and dropped
        /// there); defaults to TEST_DATABASE_URL; without either, PostgreSQL is skipped.
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value_t = 10_000)]
        count: usize,
    },
}

/// One synthetic matter: its roll, its ballots and its threshold.
struct Case {
    roll: PreparedRoll,
    votes: Vec<(u32, Choice)>,
    threshold: Threshold,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Rolls a tenth larger than the ballots (some owners do not vote), every seventh unit owned by
/// the previous unit's owner, areas 50–150 m², each matter leaning its own way.
fn generate(matters: usize, per: usize) -> Vec<Case> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..matters)
        .map(|m| {
            let units = per + per / 10;
            let mut roll = PreparedRoll::default();
            let mut owner = 0u32;
            for u in 0..units {
                if u > 0 && u % 7 != 0 {
                    owner += 1;
                }
                roll.area.push(500_000 + rng.below(1_000_000) as i64);
                roll.owner.push(owner);
            }
            roll.owners = owner + 1;
            let lean = 40 + (m % 50) as u64; // percent approving
            let owner_choice: Vec<Choice> = (0..roll.owners)
                .map(|_| {
                    let r = rng.below(100);
                    if r < lean {
                        Choice::Approve
                    } else if r < lean + (100 - lean) * 2 / 3 {
                        Choice::Oppose
                    } else {
                        Choice::Abstain
                    }
                })
                .collect();
            // the voters: a random `per` of the units
            let mut idx: Vec<u32> = (0..units as u32).collect();
            for i in (1..idx.len()).rev() {
                idx.swap(i, rng.below(i as u64 + 1) as usize);
            }
            idx.truncate(per);
            let votes = idx.into_iter().map(|u| (u, owner_choice[roll.owner[u as usize] as usize])).collect();
            let threshold = if m % 3 == 0 { Threshold::ThreeQuarters } else { Threshold::MoreThanHalf };
            Case { roll, votes, threshold }
        })
        .collect()
}

/// What both sides must agree on, per matter.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    part_area: i64,
    part_owners: i64,
    yes_area: i64,
    yes_owners: i64,
    participation: bool,
    approval: bool,
}

fn in_process(cases: &[Case]) -> Vec<Outcome> {
    cases
        .iter()
        .map(|c| {
            let (counts, _): (Counts, _) = c.roll.count(&c.votes, None).expect("generated owners vote consistently");
            let (p, a) = judge(c.threshold, c.roll.total_area(), c.roll.owners as u64, &counts);
            Outcome {
                part_area: counts.part_area(),
                part_owners: counts.part_owners() as i64,
                yes_area: counts.area[0],
                yes_owners: counts.owners[0] as i64,
                participation: p,
                approval: a,
            }
        })
        .collect()
}

const SQL_TALLY: &str = "\
WITH totals AS (
    SELECT matter, SUM(area) AS area, COUNT(DISTINCT owner) AS owners FROM bench_roll GROUP BY matter
), per_owner AS (
    SELECT r.matter, r.owner, b.choice, SUM(r.area) AS area
    FROM bench_ballots b JOIN bench_roll r ON r.matter = b.matter AND r.unit = b.unit
    GROUP BY r.matter, r.owner, b.choice
), per_matter AS (
    SELECT matter, SUM(area) AS part_area, COUNT(*) AS part_owners,
           COALESCE(SUM(area) FILTER (WHERE choice = 0), 0) AS yes_area,
           COUNT(*) FILTER (WHERE choice = 0) AS yes_owners
    FROM per_owner GROUP BY matter
)
SELECT t.matter,
       CAST(p.part_area AS BIGINT), p.part_owners, CAST(p.yes_area AS BIGINT), p.yes_owners,
       (3 * p.part_area >= 2 * t.area AND 3 * p.part_owners >= 2 * t.owners) AS participation,
       CASE WHEN m.three_quarters = 1
            THEN 4 * p.yes_area >= 3 * p.part_area AND 4 * p.yes_owners >= 3 * p.part_owners
            ELSE 2 * p.yes_area > p.part_area AND 2 * p.yes_owners > p.part_owners END AS approval
FROM totals t JOIN per_matter p USING (matter) JOIN bench_matters m USING (matter)
ORDER BY t.matter";

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

pub async fn run(b: Bench) -> anyhow::Result<()> {
    let (database, matters, ballots_per_matter) = match b {
        Bench::Tally { database, matters, ballots_per_matter } => (database, matters, ballots_per_matter),
        Bench::Http { database, clients, ballots, phase_seconds, page_rate, page_seconds } => {
            return crate::bench_http::run(database, clients, ballots, phase_seconds, page_rate, page_seconds).await;
        }
        Bench::Reminders { database, count } => return crate::bench_outbox::run(database, count).await,
    };
    let base = database.or_else(|| std::env::var("TEST_DATABASE_URL").ok()).context(
        "--database: name a PostgreSQL server to compare with (or set TEST_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test",
    )?;
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: a debug build; run `cargo run --release -p gongzhi -- bench tally` for numbers worth recording"
        );
    }
    let cases = generate(matters, ballots_per_matter);
    let total: usize = cases.iter().map(|c| c.votes.len()).sum();
    eprintln!("generated {matters} matters, {total} ballots");

    // in process: best of warm runs, median reported
    let expected = in_process(&cases);
    let runs: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let r = in_process(&cases);
            let d = t.elapsed();
            assert_eq!(r.len(), matters);
            d
        })
        .collect();
    let ours = median(runs);

    // the checked path a user's tally takes: unit numbers, validation, explanation
    let checked_input: Vec<(Vec<Unit>, Vec<Ballot>, MatterKind)> = cases
        .iter()
        .map(|c| {
            let b = BuildingNo::parse("1").expect("valid");
            let s = StairwellNo::parse("1").expect("valid");
            let units: Vec<Unit> = c
                .roll
                .area
                .iter()
                .zip(&c.roll.owner)
                .enumerate()
                .map(|(i, (a, o))| Unit {
                    no: UnitNo::new(&b, &format!("{}", 100 + i)),
                    building: b.clone(),
                    stairwell: s.clone(),
                    floor: 1,
                    area: Area::from_e4(*a),
                    owner: OwnerKey::from_stored(format!("o{o}")),
                })
                .collect();
            let ballots = c
                .votes
                .iter()
                .map(|(u, ch)| Ballot { unit: units[*u as usize].no.clone(), choice: *ch, row: 0 })
                .collect();
            let kind =
                if c.threshold == Threshold::ThreeQuarters { MatterKind::Alteration } else { MatterKind::OtherMajor };
            (units, ballots, kind)
        })
        .collect();
    let t = Instant::now();
    for (units, ballots, kind) in &checked_input {
        let r = tally(&TallyInput { units, scope: &Scope::Compound, kind: *kind, ballots, delivered: None })
            .expect("valid input");
        std::hint::black_box(r);
    }
    let checked = t.elapsed();
    drop(checked_input);

    // PostgreSQL: a scratch database with the same rows
    let url = gongzhi_store::kit::testing::fresh_postgres(&base).await?;
    let result = async {
        let pool = PgPoolOptions::new().max_connections(2).connect(&url).await?;
        pool.execute(
            "CREATE TABLE bench_roll (matter BIGINT NOT NULL, unit BIGINT NOT NULL, owner BIGINT NOT NULL, area BIGINT NOT NULL, PRIMARY KEY (matter, unit));
             CREATE TABLE bench_ballots (matter BIGINT NOT NULL, unit BIGINT NOT NULL, choice BIGINT NOT NULL, PRIMARY KEY (matter, unit));
             CREATE TABLE bench_matters (matter BIGINT PRIMARY KEY, three_quarters BIGINT NOT NULL);",
        )
        .await?;
        let load = Instant::now();
        let mut roll = String::new();
        let mut ballots = String::new();
        let mut ms_rows = String::new();
        for (m, c) in cases.iter().enumerate() {
            for (u, (a, o)) in c.roll.area.iter().zip(&c.roll.owner).enumerate() {
                roll.push_str(&format!("{m},{u},{o},{a}\n"));
            }
            for (u, ch) in &c.votes {
                ballots.push_str(&format!("{m},{u},{}\n", *ch as u8));
            }
            ms_rows.push_str(&format!("{m},{}\n", (c.threshold == Threshold::ThreeQuarters) as u8));
        }
        let mut conn = pool.acquire().await?;
        for (table, data) in [("bench_roll", roll), ("bench_ballots", ballots), ("bench_matters", ms_rows)] {
            let mut copy = conn.copy_in_raw(&format!("COPY {table} FROM STDIN WITH (FORMAT csv)")).await?;
            copy.send(data.into_bytes()).await?;
            copy.finish().await?;
        }
        conn.execute("ANALYZE").await?;
        eprintln!("loaded PostgreSQL in {:.1} s", load.elapsed().as_secs_f64());
        let mut runs = Vec::new();
        let mut got = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let rows = sqlx::query(SQL_TALLY).fetch_all(&mut *conn).await?;
            runs.push(t.elapsed());
            got = rows
                .iter()
                .map(|r| Outcome {
                    part_area: r.get(1),
                    part_owners: r.get(2),
                    yes_area: r.get(3),
                    yes_owners: r.get(4),
                    participation: r.get(5),
                    approval: r.get(6),
                })
                .collect::<Vec<_>>();
        }
        drop(conn);
        pool.close().await;
        anyhow::Ok((median(runs), got))
    }
    .await;
    gongzhi_store::kit::testing::drop_postgres_at(&base, &url).await;
    let (theirs, got) = result?;
    if got != expected {
        bail!("PostgreSQL and the in-process tally disagree: the benchmark is void");
    }
    let passed = expected.iter().filter(|o| o.participation && o.approval).count();
    println!("| what | time | ratio |");
    println!("| --- | --- | --- |");
    println!("| in-process tally, {total} ballots / {matters} matters (median of 7) | {} | 1× |", ms(ours));
    println!(
        "| checked tally from unit numbers (validation, owner grouping, explanation), same ballots, one run | {} | {:.1}× |",
        ms(checked),
        checked.as_secs_f64() / ours.as_secs_f64()
    );
    println!(
        "| same double-majority tally as SQL on PostgreSQL (median of 3, warm) | {} | {:.0}× slower |",
        ms(theirs),
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
    println!(
        "\nboth agree on all {matters} matters ({passed} passed); {:.1} ns per ballot in process",
        ours.as_secs_f64() * 1e9 / total as f64
    );
    Ok(())
}
