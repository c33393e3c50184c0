//! The outbox across crashes, with real servers and a real SMTP server (Python's aiosmtpd):
//! 3,000 emails queued, the server killed with SIGKILL while it delivers, restarted; every email
//! arrives, and the only copies are of messages in flight at the kill, each with its original
//! Message-ID. On PostgreSQL, two servers on one database deliver each email exactly once.

use crate::crash::{Server, gongzhi, log_tail, scratch_dir};
use anyhow::{Context, ensure};
use gongzhi_store::Store;
use gongzhi_store::kit::outbox::{Channel, Outgoing};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EMAILS: usize = 3_000;
/// Emails the sink must hold before the kill.
const KILL_AFTER: usize = 500;
/// How long a dead server's claims hold (the default is a minute).
const LEASE_MS: &str = "1500";
/// Messages a worker claims at a time: at most this many are in flight at a kill.
const BATCH: usize = gongzhi_web::accounts::outbox::BATCH as usize;

struct Sink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Sink {
    fn start(dir: &Path) -> anyhow::Result<Sink> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let python = std::env::var("GONGZHI_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root.join("target/test-venv/bin/python"));
        ensure!(python.exists(), "{} is missing: run scripts/test-venv", python.display());
        let dir = dir.join("mail");
        let mut child = Command::new(python)
            .arg(root.join("scripts/smtp-sink.py"))
            .arg(&dir)
            .stdout(Stdio::piped())
            .spawn()
            .context("the SMTP sink")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("piped")?).read_line(&mut line)?;
        Ok(Sink { child, port: line.trim().parse().context("the sink's port")?, dir })
    }

    /// Message-ID → copies received.
    fn received(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for e in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            if e.path().extension().is_some_and(|x| x == "json") {
                let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
                *out.entry(v["message_id"].as_str().unwrap_or("").to_string()).or_insert(0) += 1;
            }
        }
        out
    }

    async fn wait_for(&self, distinct: usize, within: Duration) -> BTreeMap<String, usize> {
        let t = Instant::now();
        loop {
            let r = self.received();
            if r.len() >= distinct || t.elapsed() > within {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Queues the emails directly, as a process would in its transaction; returns their Message-IDs.
async fn queue(url: &str) -> anyhow::Result<BTreeSet<String>> {
    let store = Store::connect(url).await?;
    let compound = store.compounds().await?.into_iter().next().context("the demo")?.id;
    let msgs: Vec<Outgoing> = (0..EMAILS)
        .map(|i| Outgoing {
            channel: Channel::Email,
            recipient: format!("owner-{i}@example.org"),
            kind: "test.crash".into(),
            subject: format!("第 {i} 封"),
            body: "请投票。".into(),
            dedupe: None,
            about: None,
            due_at: 0,
            person: None,
        })
        .collect();
    let ids = store.queue_messages(&compound, &msgs).await?;
    store.close().await;
    Ok(ids.into_iter().map(|id| format!("<{id}@gongzhi>")).collect())
}

async fn sqlite(dir: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}", dir.join("gongzhi.db").display());
    gongzhi(&["demo", "--data", dir.to_str().unwrap(), "--no-serve"])?;
    let ids = queue(&url).await?;
    let sink = Sink::start(dir)?;
    let relay = format!("127.0.0.1:{}", sink.port);
    let serve = ["serve", "--database", url.as_str(), "--bind", "127.0.0.1:0", "--smtp-relay", relay.as_str()];
    let log = dir.join("server.log");
    let env = [("GONGZHI_OUTBOX_LEASE_MS", LEASE_MS)];
    let mut server = Server::start_with(&serve, &log, &env)?;
    sink.wait_for(KILL_AFTER, Duration::from_secs(60)).await;
    server.kill9();
    // what reached the sink before the kill, once it has written the last of it
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = sink.received();
    ensure!(before.len() >= KILL_AFTER && before.len() < EMAILS, "killed after {} of {EMAILS}", before.len());
    let _server = Server::start_with(&serve, &log, &env)?;
    let after = sink.wait_for(EMAILS, Duration::from_secs(90)).await;
    let got: BTreeSet<String> = after.keys().cloned().collect();
    ensure!(
        got == ids,
        "{} of {EMAILS} arrived, {} unknown",
        got.intersection(&ids).count(),
        got.difference(&ids).count()
    );
    let copies: Vec<(&String, &usize)> = after.iter().filter(|(_, n)| **n > 1).collect();
    ensure!(copies.iter().all(|(_, n)| **n == 2), "a message arrived three times: {copies:?}");
    ensure!(copies.len() <= BATCH, "{} copies: more than the {BATCH} in flight at the kill", copies.len());
    // a copy is of a message sent before the kill and not recorded sent
    ensure!(copies.iter().all(|(id, _)| before.contains_key(*id)), "a copy of a message not sent before the kill");
    eprintln!(
        "SQLite: killed after {} emails; all {EMAILS} delivered after the restart, {} sent twice with their Message-ID",
        before.len(),
        copies.len()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_while_mailing_loses_no_email_and_a_copy_carries_its_message_id() {
    let dir = scratch_dir("outbox-sqlite");
    match tokio::time::timeout(Duration::from_secs(150), sqlite(&dir)).await {
        Ok(Ok(())) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Ok(Err(e)) => panic!("{e:#}\nserver log:\n{}", log_tail(&dir.join("server.log"))),
        Err(_) => panic!("not done in time\nserver log:\n{}", log_tail(&dir.join("server.log"))),
    }
}

async fn postgres(url: &str, dir: &Path) -> anyhow::Result<()> {
    gongzhi(&["demo", "--database", url, "--no-serve"])?;
    let ids = queue(url).await?;
    let sink = Sink::start(dir)?;
    let relay = format!("127.0.0.1:{}", sink.port);
    let serve = ["serve", "--database", url, "--bind", "127.0.0.1:0", "--smtp-relay", relay.as_str()];
    let log = dir.join("server.log");
    let _a = Server::start(&serve, &log)?;
    let _b = Server::start(&serve, &log)?;
    let after = sink.wait_for(EMAILS, Duration::from_secs(90)).await;
    // let any stray second copy arrive before counting
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = if after.len() == EMAILS { sink.received() } else { after };
    let got: BTreeSet<String> = after.keys().cloned().collect();
    ensure!(got == ids, "{} of {EMAILS} arrived", got.intersection(&ids).count());
    let twice = after.values().filter(|n| **n > 1).count();
    ensure!(twice == 0, "{twice} emails delivered twice by two servers");
    let store = Store::connect(url).await?;
    let compound = store.compounds().await?.into_iter().next().context("the demo")?.id;
    let log = store.delivery_log(&compound, Some(gongzhi_store::kit::outbox::Status::Sent), 100_000).await?;
    let workers: BTreeSet<String> = {
        let mut w = BTreeSet::new();
        for m in log.iter().filter(|m| m.kind == "test.crash").take(400) {
            for a in store.message_attempts(&compound, &m.id).await? {
                w.insert(a.worker);
            }
        }
        w
    };
    store.close().await;
    eprintln!("PostgreSQL: {EMAILS} emails, each once, by {} workers", workers.len());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_mail_each_message_once() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL outbox test is skipped");
        return;
    };
    let url = gongzhi_store::kit::testing::fresh_postgres(&base).await.expect("a scratch PostgreSQL database");
    let dir = scratch_dir("outbox-postgres");
    let r = tokio::time::timeout(Duration::from_secs(150), postgres(&url, &dir)).await;
    gongzhi_store::kit::testing::drop_postgres_at(&base, &url).await;
    match r {
        Ok(Ok(())) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Ok(Err(e)) => panic!("{e:#}\nserver log:\n{}", log_tail(&dir.join("server.log"))),
        Err(_) => panic!("not done in time\nserver log:\n{}", log_tail(&dir.join("server.log"))),
    }
}
