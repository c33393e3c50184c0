//! Kill -9 the server while 1,000 ballots are being cast: after a restart every acknowledged
//! ballot is there with its receipt, no unit has two, the counters and the audit chain agree;
//! on SQLite with one server, and on PostgreSQL with two servers sharing the database.

use crate::bench_http::client::Conn;
use crate::bench_http::{choice_for, log_in};
use anyhow::{Context, bail, ensure};
use gongzhi_store::Store;
use serde_json::json;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Units voting in the crash runs: each casts on both open matters, 1,000 ballots in all.
const UNITS: usize = 500;
/// Acknowledgements after which the server is killed.
const KILL_AFTER: usize = 400;
/// Concurrent connections casting.
const CLIENTS: usize = 32;
/// The whole of one test, start to finish: a backstop against a hang, not a measure of speed
/// (seeding the debug build's demo and logging 500 owners in take most of it; on a slower
/// two-core machine the PostgreSQL run needed more than the 110 s it once had).
const BUDGET: Duration = Duration::from_secs(300);

pub(crate) fn scratch_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gongzhi-crash-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A `gongzhi` server in a child process; killed with SIGKILL when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
}

impl Server {
    /// Starts `gongzhi ARGS` (a command that prints `serving on http://ADDR/`), its stderr
    /// appended to `log`.
    pub(crate) fn start(args: &[&str], log: &Path) -> anyhow::Result<Server> {
        Server::start_with(args, log, &[])
    }

    /// [`Server::start`] with these environment variables set.
    pub(crate) fn start_with(args: &[&str], log: &Path, env: &[(&str, &str)]) -> anyhow::Result<Server> {
        let err = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongzhi"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .context("starting gongzhi")?;
        let out = child.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(a) = line.strip_prefix("serving on http://") {
                    let _ = tx.send(a.trim_end_matches('/').to_string());
                }
            }
        });
        let addr = tokio::task::block_in_place(|| rx.recv_timeout(Duration::from_secs(30)));
        match addr {
            Ok(a) => Ok(Server { child, addr: a.parse()? }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("gongzhi {} did not start serving within 30 s; see {}", args.join(" "), log.display())
            }
        }
    }

    /// SIGKILL (`Child::kill` on Unix), then reaps the process.
    pub(crate) fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub(crate) fn gongzhi(args: &[&str]) -> anyhow::Result<()> {
    let o = tokio::task::block_in_place(|| Command::new(env!("CARGO_BIN_EXE_gongzhi")).args(args).output())?;
    ensure!(o.status.success(), "gongzhi {}: {}", args.join(" "), String::from_utf8_lossy(&o.stderr));
    Ok(())
}

/// One ballot to cast: which of the two open matters (0: no change allowed, 1: changes
/// allowed), which unit, which choice.
#[derive(Clone, Debug)]
struct Planned {
    matter: usize,
    unit: String,
    choice: &'static str,
}

#[derive(Clone, Debug)]
enum Outcome {
    /// 201 with this receipt.
    Acked(String),
    /// Any other answer.
    Refused(u16, String),
    /// No answer (the server died): may or may not have been stored.
    Lost(String),
}

/// The demo as the servers see it: its compound, its two open compound-wide matters, the
/// units still without a ballot on either, and a token for each unit's owner.
struct Vote {
    compound: String,
    matters: [String; 2],
    plan: Vec<Planned>,
    spare: Vec<(String, &'static str)>,
    tokens: HashMap<String, String>,
    /// Ballots there before the test (the demo's own).
    before: [usize; 2],
}

impl Vote {
    fn path(&self, b: &Planned) -> String {
        format!("/api/v1/matters/{}/ballots", self.matters[b.matter])
    }

    fn auth(&self, unit: &str) -> String {
        format!("Bearer {}", self.tokens.get(unit).map(String::as_str).unwrap_or("none"))
    }
}

/// Reads the roll from the database, logs in the owners of `UNITS + spare` units through
/// `addrs` and finds the two open matters through the API.
async fn prepare(url: &str, addrs: &[SocketAddr], spare: usize) -> anyhow::Result<Vote> {
    let store = Store::connect(url).await?;
    let compound = store.compounds().await?.into_iter().next().context("the demo compound")?.id;
    let open: Vec<_> = store
        .matters(&compound)
        .await?
        .into_iter()
        .filter(|m| m.status == gongzhi_core::MatterStatus::Open && m.scope == gongzhi_core::Scope::Compound)
        .collect();
    ensure!(open.len() == 2, "the demo should have two open compound-wide matters, has {}", open.len());
    let roll = store.roll(&compound, &open[0].id).await?;
    let mut voted = HashSet::new();
    let mut before = [0; 2];
    for (i, m) in open.iter().enumerate() {
        let v = store.voted_units(&compound, &m.id).await?;
        before[i] = v.len();
        voted.extend(v);
    }
    store.close().await;
    let free: Vec<(String, &'static str)> = roll
        .iter()
        .filter(|u| !voted.contains(u.no.as_str()))
        .map(|u| (u.no.to_string(), choice_for(u.owner.as_str())))
        .collect();
    ensure!(free.len() >= UNITS + spare, "only {} units without a ballot", free.len());
    let free = &free[..UNITS + spare];

    let t = Instant::now();
    let logins: Vec<String> = free.iter().map(|(u, _)| format!("owner-{u}")).collect();
    let (by_login, _) = log_in(addrs, &logins, "demo", 8).await?;
    eprintln!("logged in {} owners in {:.1} s", logins.len(), t.elapsed().as_secs_f64());
    let tokens: HashMap<String, String> =
        by_login.into_iter().map(|(l, t)| (l.trim_start_matches("owner-").to_string(), t)).collect();

    // the matters as the API lists them; the one without changes first
    let mut c = Conn::new(addrs[0]);
    let auth = format!("Bearer {}", tokens[&free[0].0]);
    let r = c.get("/api/v1/matters", &[("authorization", &auth)]).await?;
    ensure!(r.status == 200, "GET /api/v1/matters: HTTP {} {}", r.status, r.text());
    let list = r.json()?;
    let mut api: Vec<(bool, String)> = list
        .as_array()
        .context("a list of matters")?
        .iter()
        .filter(|m| m["status"] == "open" && m["scope"] == "compound")
        .map(|m| (m["allow_change"].as_bool().unwrap_or(false), m["id"].as_str().unwrap_or_default().to_string()))
        .collect();
    api.sort();
    ensure!(api.len() == 2 && !api[0].0 && api[1].0, "expected one open matter without and one with changes: {api:?}");
    let matters = [api[0].1.clone(), api[1].1.clone()];
    let before = if open[0].id == matters[0] { before } else { [before[1], before[0]] };

    let plan = free[..UNITS]
        .iter()
        .flat_map(|(u, c)| (0..2).map(move |m| Planned { matter: m, unit: u.clone(), choice: c }))
        .collect();
    Ok(Vote { compound, matters, plan, spare: free[UNITS..].to_vec(), tokens, before })
}

/// Casts the planned ballots numbered in `todo` from one connection per entry of `workers`
/// (a server's address each). A connection that gets no answer stops (its server is taken to
/// be dead) and leaves the rest to the others. When `kill` is given, it is notified once
/// `KILL_AFTER` ballots were acknowledged.
async fn cast(
    vote: &Arc<Vote>,
    todo: Vec<usize>,
    workers: &[SocketAddr],
    kill: Option<Arc<Notify>>,
) -> HashMap<usize, Outcome> {
    let todo = Arc::new(todo);
    let next = Arc::new(AtomicUsize::new(0));
    let acks = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for &addr in workers {
        let (vote, todo, next, acks, kill) = (vote.clone(), todo.clone(), next.clone(), acks.clone(), kill.clone());
        tasks.spawn(async move {
            let mut conn = Conn::new(addr);
            let mut out = Vec::new();
            while let Some(&i) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
                let b = &vote.plan[i];
                let r = conn
                    .post_json(
                        &vote.path(b),
                        &[("authorization", &vote.auth(&b.unit))],
                        &json!({"unit": b.unit, "choice": b.choice}),
                    )
                    .await;
                match r {
                    Ok(r) if r.status == 201 => {
                        let receipt = r.json().ok().and_then(|v| v["receipt"].as_str().map(String::from));
                        out.push((i, Outcome::Acked(receipt.unwrap_or_default())));
                        if acks.fetch_add(1, Ordering::Relaxed) + 1 == KILL_AFTER
                            && let Some(k) = &kill
                        {
                            k.notify_one();
                        }
                    }
                    Ok(r) => out.push((i, Outcome::Refused(r.status, r.text()))),
                    Err(e) => {
                        out.push((i, Outcome::Lost(e.to_string())));
                        break;
                    }
                }
            }
            out
        });
    }
    let mut all = HashMap::new();
    while let Some(r) = tasks.join_next().await {
        all.extend(r.expect("a casting task panicked"));
    }
    all
}

/// The ballots stored for the vote's matters, by (matter, unit), after checking that no
/// (matter, unit) is there twice, that each matter's counter equals its ballots and that the
/// audit chain is intact.
async fn stored(url: &str, vote: &Vote) -> anyhow::Result<HashMap<(usize, String), String>> {
    let store = Store::connect(url).await?;
    let r = async {
        let twice = sqlx::query(
            "SELECT matter_id, unit_no, COUNT(*) FROM ballots WHERE compound_id = $1 \
             GROUP BY matter_id, unit_no HAVING COUNT(*) > 1",
        )
        .bind(&vote.compound)
        .fetch_all(&store.pool)
        .await?;
        ensure!(twice.is_empty(), "{} (matter, unit) pairs have more than one ballot", twice.len());
        let mut out = HashMap::new();
        for (i, m) in vote.matters.iter().enumerate() {
            let rows = sqlx::query("SELECT unit_no, receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2")
                .bind(&vote.compound)
                .bind(m)
                .fetch_all(&store.pool)
                .await?;
            let cast: i64 = sqlx::query_scalar("SELECT ballots_cast FROM matters WHERE compound_id = $1 AND id = $2")
                .bind(&vote.compound)
                .bind(m)
                .fetch_one(&store.pool)
                .await?;
            ensure!(
                cast == rows.len() as i64,
                "matter {i}: ballots_cast is {cast} but {} ballots are stored",
                rows.len()
            );
            for r in rows {
                ensure!(out.insert((i, r.get::<String, _>(0)), r.get::<String, _>(1)).is_none(), "a unit twice");
            }
        }
        match store.audit_verify(&vote.compound).await? {
            Ok(_) => {}
            Err(b) => bail!("the audit chain is broken: {b}"),
        }
        anyhow::Ok(out)
    }
    .await;
    store.close().await;
    r
}

/// What the first, interrupted run of ballots came to.
struct Counts {
    acked: usize,
    /// requests without an answer
    lost: usize,
    /// of those, stored all the same
    lost_stored: usize,
}

/// After the kill: no refusals, every acknowledged ballot stored with its receipt, and anything
/// else stored only where a request was in flight.
fn check_after_kill(
    vote: &Vote,
    outcomes: &HashMap<usize, Outcome>,
    rows: &HashMap<(usize, String), String>,
) -> anyhow::Result<Counts> {
    let (mut acked, mut lost, mut lost_stored) = (0, 0, 0);
    for (&i, o) in outcomes {
        let b = &vote.plan[i];
        let key = (b.matter, b.unit.clone());
        match o {
            Outcome::Acked(receipt) => {
                acked += 1;
                ensure!(
                    rows.get(&key) == Some(receipt),
                    "ballot of {} on matter {} was acknowledged with receipt {receipt} but the database holds {:?}",
                    b.unit,
                    b.matter,
                    rows.get(&key)
                );
            }
            Outcome::Refused(status, body) => {
                bail!("ballot of {} on matter {}: HTTP {status} {body}", b.unit, b.matter)
            }
            Outcome::Lost(e) => {
                if lost == 0 {
                    eprintln!("an unanswered request: {e}");
                }
                lost += 1;
                lost_stored += rows.contains_key(&key) as usize;
            }
        }
    }
    for (i, b) in vote.plan.iter().enumerate() {
        let key = (b.matter, b.unit.clone());
        let in_flight = matches!(outcomes.get(&i), Some(Outcome::Lost(_)));
        let ours = matches!(outcomes.get(&i), Some(Outcome::Acked(_)));
        ensure!(
            !rows.contains_key(&key) || ours || in_flight,
            "a ballot of {} on matter {} is stored that was never sent",
            b.unit,
            b.matter
        );
    }
    Ok(Counts { acked, lost, lost_stored })
}

/// Casts what was not acknowledged before the kill through `workers`, expecting 201 for a ballot
/// that is not stored, and for one that was stored without an answer: 409 on the matter that
/// allows no change, 201 with the same receipt on the other. Returns every receipt acknowledged.
async fn finish(
    vote: &Arc<Vote>,
    first: &HashMap<usize, Outcome>,
    rows: &HashMap<(usize, String), String>,
    workers: &[SocketAddr],
) -> anyhow::Result<HashMap<(usize, String), String>> {
    let mut receipts = HashMap::new();
    let mut todo = Vec::new();
    for (i, b) in vote.plan.iter().enumerate() {
        match first.get(&i) {
            Some(Outcome::Acked(r)) => {
                receipts.insert((b.matter, b.unit.clone()), r.clone());
            }
            _ => todo.push(i),
        }
    }
    let n = todo.len();
    let second = cast(vote, todo, workers, None).await;
    ensure!(second.len() == n, "{} of {n} remaining ballots were sent", second.len());
    for (i, o) in &second {
        let b = &vote.plan[*i];
        let key = (b.matter, b.unit.clone());
        match (o, rows.get(&key), b.matter) {
            (Outcome::Acked(r), None, _) => {
                receipts.insert(key, r.clone());
            }
            (Outcome::Acked(r), Some(was), 1) if r == was => {
                receipts.insert(key, r.clone());
            }
            (Outcome::Refused(409, _), Some(was), 0) => {
                receipts.insert(key, was.clone());
            }
            (o, was, _) => {
                bail!("after the restart, ballot of {} on matter {}: {o:?} (stored before: {was:?})", b.unit, b.matter)
            }
        }
    }
    Ok(receipts)
}

/// Every planned ballot is stored with the receipt its owner got, and nothing else was added.
fn check_final(
    vote: &Vote,
    receipts: &HashMap<(usize, String), String>,
    rows: &HashMap<(usize, String), String>,
    extra: [usize; 2],
) -> anyhow::Result<()> {
    ensure!(receipts.len() == vote.plan.len(), "{} of {} ballots acknowledged", receipts.len(), vote.plan.len());
    for (k, r) in receipts {
        ensure!(rows.get(k) == Some(r), "ballot {k:?}: receipt {r} acknowledged, {:?} stored", rows.get(k));
    }
    for (m, (before, extra)) in vote.before.iter().zip(extra).enumerate() {
        let n = rows.keys().filter(|(i, _)| *i == m).count();
        let want = before + UNITS + extra;
        ensure!(n == want, "matter {m}: {n} ballots stored, {want} expected");
    }
    Ok(())
}

pub(crate) fn log_tail(log: &Path) -> String {
    let s = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

async fn sqlite(dir: &Path) -> anyhow::Result<()> {
    let t = Instant::now();
    let db = dir.join("gongzhi.db");
    let url = format!("sqlite://{}", db.display());
    let log = dir.join("server.log");
    gongzhi(&["demo", "--data", dir.to_str().unwrap(), "--no-serve"])?;
    eprintln!("seeded in {:.1} s", t.elapsed().as_secs_f64());
    let serve = ["serve", "--database", url.as_str(), "--bind", "127.0.0.1:0"];
    let mut server = Server::start(&serve, &log)?;
    let vote = Arc::new(prepare(&url, &[server.addr], 0).await?);

    let kill = Arc::new(Notify::new());
    let t = Instant::now();
    let workers = vec![server.addr; CLIENTS];
    let casting = tokio::spawn({
        let (vote, kill) = (vote.clone(), kill.clone());
        async move { cast(&vote, (0..vote.plan.len()).collect(), &workers, Some(kill)).await }
    });
    tokio::time::timeout(Duration::from_secs(60), kill.notified()).await.context("no 400 acknowledgements in 60 s")?;
    let rate = KILL_AFTER as f64 / t.elapsed().as_secs_f64();
    server.kill9();
    let first = casting.await?;

    let server = Server::start(&serve, &log)?;
    let rows = stored(&url, &vote).await?;
    let Counts { acked, lost, lost_stored } = check_after_kill(&vote, &first, &rows)?;
    eprintln!(
        "SQLite: ~{rate:.0} ballots/s; killed after {acked} acknowledgements, {lost} requests unanswered \
         ({lost_stored} of them stored); all {acked} found after the restart"
    );
    ensure!(acked >= KILL_AFTER && acked < vote.plan.len(), "killed too late: {acked} acknowledged");
    ensure!(lost <= CLIENTS, "{lost} unanswered requests from {CLIENTS} connections");

    let receipts = finish(&vote, &first, &rows, &vec![server.addr; 8]).await?;
    let rows = stored(&url, &vote).await?;
    check_final(&vote, &receipts, &rows, [0, 0])?;
    eprintln!("SQLite: the restarted server took the other {} ballots", vote.plan.len() - acked);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill_9_mid_vote_loses_no_acknowledged_ballot() {
    let dir = scratch_dir("sqlite");
    let t = Instant::now();
    match tokio::time::timeout(BUDGET, sqlite(&dir)).await {
        Ok(Ok(())) => {
            eprintln!("SQLite crash test: {:.1} s", t.elapsed().as_secs_f64());
            let _ = std::fs::remove_dir_all(&dir);
        }
        Ok(Err(e)) => panic!("{e:#}\nserver log ({}):\n{}", dir.display(), log_tail(&dir.join("server.log"))),
        Err(_) => panic!("not done in {BUDGET:?}\nserver log:\n{}", log_tail(&dir.join("server.log"))),
    }
}

/// The same unit cast at once on both servers: on the matter without changes exactly one 201
/// (the other 409); on the matter with changes both 201 with one receipt.
async fn race(vote: &Vote, a: SocketAddr, b: SocketAddr) -> anyhow::Result<()> {
    for (unit, choice) in &vote.spare {
        for m in 0..2 {
            let (mut ca, mut cb) = (Conn::new(a), Conn::new(b));
            ca.connect().await?;
            cb.connect().await?;
            let path = format!("/api/v1/matters/{}/ballots", vote.matters[m]);
            let auth = vote.auth(unit);
            let h = [("authorization", auth.as_str())];
            let body = json!({"unit": unit, "choice": choice});
            let (ra, rb) = tokio::join!(ca.post_json(&path, &h, &body), cb.post_json(&path, &h, &body));
            let (ra, rb) = (ra?, rb?);
            let mut statuses = [ra.status, rb.status];
            statuses.sort();
            if m == 0 {
                ensure!(
                    statuses == [201, 409],
                    "unit {unit} on both servers at once: {statuses:?} ({} / {})",
                    ra.text(),
                    rb.text()
                );
            } else {
                ensure!(statuses == [201, 201], "unit {unit} (changes allowed) on both servers: {statuses:?}");
                ensure!(ra.json()?["receipt"] == rb.json()?["receipt"], "unit {unit}: two receipts for one ballot");
            }
        }
    }
    Ok(())
}

async fn postgres(url: &str, dir: &Path) -> anyhow::Result<()> {
    let t = Instant::now();
    let log = dir.join("server.log");
    gongzhi(&["demo", "--database", url, "--no-serve"])?;
    eprintln!("seeded in {:.1} s", t.elapsed().as_secs_f64());
    let serve = ["serve", "--database", url, "--bind", "127.0.0.1:0"];
    let mut a = Server::start(&serve, &log)?;
    let b = Server::start(&serve, &log)?;
    let vote = Arc::new(prepare(url, &[a.addr, b.addr], 8).await?);
    race(&vote, a.addr, b.addr).await?;

    let kill = Arc::new(Notify::new());
    let workers: Vec<SocketAddr> = (0..CLIENTS).map(|i| if i % 2 == 0 { a.addr } else { b.addr }).collect();
    let t = Instant::now();
    let casting = tokio::spawn({
        let (vote, kill) = (vote.clone(), kill.clone());
        async move { cast(&vote, (0..vote.plan.len()).collect(), &workers, Some(kill)).await }
    });
    tokio::time::timeout(Duration::from_secs(60), kill.notified()).await.context("no 400 acknowledgements in 60 s")?;
    a.kill9();
    let first = casting.await?;
    let rate = vote.plan.len() as f64 / t.elapsed().as_secs_f64();

    // the survivor took the rest of the queue; check before A comes back
    let rows = stored(url, &vote).await?;
    let Counts { acked, lost, lost_stored } = check_after_kill(&vote, &first, &rows)?;
    eprintln!(
        "PostgreSQL: ~{rate:.0} ballots/s over two servers; one killed after {KILL_AFTER} acknowledgements; \
         {acked} acknowledged in all (all found), {lost} unanswered ({lost_stored} of them stored)"
    );
    ensure!((1..=CLIENTS / 2).contains(&lost), "{lost} unanswered requests from the killed server's connections");
    let a = Server::start(&serve, &log)?;
    let receipts = finish(&vote, &first, &rows, &[a.addr, b.addr]).await?;
    let rows = stored(url, &vote).await?;
    let spare = vote.spare.len();
    check_final(&vote, &receipts, &rows, [spare, spare])?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_servers_kill_9_one_mid_vote() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL crash test is skipped");
        return;
    };
    let url = gongzhi_store::kit::testing::fresh_postgres(&base).await.expect("a scratch PostgreSQL database");
    let dir = scratch_dir("postgres");
    let t = Instant::now();
    let r = tokio::time::timeout(BUDGET, postgres(&url, &dir)).await;
    gongzhi_store::kit::testing::drop_postgres_at(&base, &url).await;
    match r {
        Ok(Ok(())) => {
            eprintln!("PostgreSQL crash test: {:.1} s", t.elapsed().as_secs_f64());
            let _ = std::fs::remove_dir_all(&dir);
        }
        Ok(Err(e)) => panic!("{e:#}\nserver log ({}):\n{}", dir.display(), log_tail(&dir.join("server.log"))),
        Err(_) => panic!("not done in {BUDGET:?}\nserver log:\n{}", log_tail(&dir.join("server.log"))),
    }
}
