//! `gongzhi bench reminders`: N reminder emails queued in the outbox and delivered by its worker
//! to an SMTP sink on loopback, against the raw rate of sending the same emails straight to the
//! same sink with the same SMTP client and the same concurrency, in the same run. The outbox's
//! price is what it adds: the claim, the record of each attempt, the guarantee.
//!
//! The sink speaks enough SMTP for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), answers at
//! once and records when each Message-ID arrived. Latency is measured as for a burst: from the
//! moment the burst starts (all queued, or all handed to the client) to the message's arrival;
//! p99 is the time by which 99% of the recipients had their email.

use crate::bench_http::quantile;
use anyhow::{Context, ensure};
use gongzhi_store::Store;
use gongzhi_store::kit::outbox::{Channel, Outgoing, Status};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

/// Starts the sink; answers its address and the arrivals it records.
async fn sink() -> anyhow::Result<(u16, Arrivals)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let arrivals: Arrivals = Arc::default();
    let rec = arrivals.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let rec = rec.clone();
            tokio::spawn(async move {
                // answers go out at once, and every segment is acknowledged at once: lettre writes
                // a message's end in a second small write, which Nagle holds until the first is
                // acknowledged; a delayed ACK would add 40 ms to every email
                let _ = stream.set_nodelay(true);
                let quick = |s: &tokio::net::TcpStream| {
                    let _ = socket2::SockRef::from(s).set_tcp_quickack(true);
                };
                quick(&stream);
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r);
                if w.write_all(b"220 sink ESMTP\r\n").await.is_err() {
                    return;
                }
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    quick(lines.get_ref().as_ref());
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        "DATA" => {
                            if w.write_all(b"354 go on\r\n").await.is_err() {
                                return;
                            }
                            let mut id = String::new();
                            loop {
                                line.clear();
                                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                    return;
                                }
                                quick(lines.get_ref().as_ref());
                                if line == ".\r\n" {
                                    break;
                                }
                                if id.is_empty() && line.to_ascii_lowercase().starts_with("message-id:") {
                                    id = line[11..].trim().to_string();
                                }
                            }
                            rec.lock().expect("not poisoned").insert(id, Instant::now());
                            b"250 OK\r\n"
                        }
                        _ => b"250 OK\r\n",
                    };
                    if w.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((port, arrivals))
}

/// One measured burst.
struct Burst {
    what: String,
    count: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Burst {
    fn new(what: String, start: Instant, arrivals: &Arrivals, ids: &[String]) -> anyhow::Result<Burst> {
        let got = arrivals.lock().expect("not poisoned");
        let mut latencies = Vec::with_capacity(ids.len());
        for id in ids {
            let at = got.get(id).with_context(|| format!("{id} never arrived"))?;
            latencies.push(at.duration_since(start));
        }
        latencies.sort();
        let elapsed = latencies.last().copied().unwrap_or_default();
        Ok(Burst { what, count: ids.len(), elapsed, latencies })
    }

    fn rate(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The same email the worker builds, straight to the sink through a pooled lettre transport,
/// `PARALLEL` at a time as the worker sends.
async fn raw(port: u16, arrivals: &Arrivals, n: usize) -> anyhow::Result<Burst> {
    let t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(port).build();
    let ids: Vec<String> = (0..n).map(|i| format!("<raw-{i}@gongzhi>")).collect();
    let start = Instant::now();
    for chunk in ids.chunks(gongzhi_web::accounts::outbox::PARALLEL) {
        let mut sends = tokio::task::JoinSet::new();
        for id in chunk {
            let email = lettre::Message::builder()
                .message_id(Some(id.clone()))
                .from(gongzhi_web::accounts::outbox::DEFAULT_FROM.parse()?)
                .to("owner-1-101@example.org".parse()?)
                .subject("请为“在业主大会议事规则中采用电子投票”投票")
                .header(ContentType::TEXT_PLAIN)
                .body(
                    "“在业主大会议事规则中采用电子投票”的投票到 2026-12-16 24:00 截止。您家 1-101 还没有投票。"
                        .to_string(),
                )?;
            let t = t.clone();
            sends.spawn(async move { t.send(email).await });
        }
        for r in sends.join_all().await {
            r?;
        }
    }
    Burst::new("raw SMTP: the same emails straight to the sink (lettre, pooled)".into(), start, arrivals, &ids)
}

/// N reminders queued in one transaction, then delivered by one worker.
async fn outbox(label: &str, url: &str, port: u16, arrivals: &Arrivals, n: usize) -> anyhow::Result<(Duration, Burst)> {
    let store = Store::connect(url).await?;
    let c = store.create_compound(&format!("基准小区 {label}"), "", false).await?;
    let msgs: Vec<Outgoing> = (0..n)
        .map(|i| Outgoing {
            channel: Channel::Email,
            recipient: format!("owner-{i}@example.org"),
            kind: "vote.reminder".into(),
            subject: "请为“在业主大会议事规则中采用电子投票”投票".into(),
            body: format!("“在业主大会议事规则中采用电子投票”的投票到 2026-12-16 24:00 截止。您家 {i} 还没有投票。"),
            dedupe: Some(format!("bench:{i}")),
            about: None,
            due_at: 0,
            person: None,
        })
        .collect();
    let t = Instant::now();
    let ids = store.queue_messages(&c.id, &msgs).await?;
    let queued = t.elapsed();
    ensure!(ids.len() == n, "queued {} of {n}", ids.len());
    let delivery = gongzhi_web::delivery(Some(format!("127.0.0.1:{port}")), gongzhi_web::accounts::outbox::LEASE_MS);
    let mut worker = gongzhi_web::accounts::outbox::Worker::new(delivery);
    let start = Instant::now();
    let (sent, failed) = worker.deliver_once(&store, gongzhi_web::now_ms()).await?;
    ensure!(sent == n && failed == 0, "sent {sent}, failed {failed} of {n}");
    let left = store.messages(&c.id, Status::Queued, 1).await?.len();
    ensure!(left == 0, "messages left queued");
    store.close().await;
    let ids: Vec<String> = ids.iter().map(|id| format!("<{id}@gongzhi>")).collect();
    let b = Burst::new(format!("outbox on {label}: claimed, sent, each attempt recorded"), start, arrivals, &ids)?;
    Ok((queued, b))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

pub async fn run(database: Option<String>, count: usize) -> anyhow::Result<()> {
    ensure!(count > 0, "--count: at least 1");
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: a debug build; run `cargo run --release -p gongzhi -- bench reminders` for numbers worth recording"
        );
    }
    let (port, arrivals) = sink().await?;
    // warm the sink and the client, then measure
    raw(port, &arrivals, 200).await?;
    let base = raw(port, &arrivals, count).await?;
    let mut rows = vec![(None, base)];
    let dir = std::env::temp_dir().join(format!("gongzhi-bench-outbox-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let r = outbox("SQLite", &format!("sqlite://{}/gongzhi.db", dir.display()), port, &arrivals, count).await;
    let _ = std::fs::remove_dir_all(&dir);
    let (q, b) = r?;
    rows.push((Some(q), b));
    match database.or_else(|| std::env::var("TEST_DATABASE_URL").ok()) {
        Some(base) => {
            let url = gongzhi_store::kit::testing::fresh_postgres(&base).await?;
            let r = outbox("PostgreSQL", &url, port, &arrivals, count).await;
            gongzhi_store::kit::testing::drop_postgres_at(&base, &url).await;
            let (q, b) = r?;
            rows.push((Some(q), b));
        }
        None => eprintln!("no --database and no TEST_DATABASE_URL: PostgreSQL skipped"),
    }
    let raw_rate = rows[0].1.rate();
    println!("| what | emails | queued in | delivered in | rate | vs raw | p50 | p99 |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (queued, b) in &rows {
        println!(
            "| {} | {} | {} | {:.2} s | {:.0}/s | {:.2}× | {} | {} |",
            b.what,
            b.count,
            queued.map(ms).unwrap_or_else(|| "–".into()),
            b.elapsed.as_secs_f64(),
            b.rate(),
            b.rate() / raw_rate,
            ms(quantile(&b.latencies, 0.5)),
            ms(quantile(&b.latencies, 0.99)),
        );
    }
    Ok(())
}
