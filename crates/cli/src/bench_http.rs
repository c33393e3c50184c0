//! `gongzhi bench http`: ballots per second over HTTP on loopback from many keep-alive clients,
//! on SQLite and on PostgreSQL, next to the store's own rate measured in the same run, and the
//! vote page's latency at a fixed request rate.
//!
//! The small HTTP/1.1 client in [`client`] (keep-alive; Content-Length or chunked bodies), the
//! login helper and [`choice_for`] are shared with the crash test (`tests/crash.rs` includes this
//! file), so this file uses nothing of the binary's own.

use anyhow::{Context, ensure};
use client::Conn;
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};
use gongzhi_store::{Actor, NewMatter, Store};
use serde_json::json;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A minimal HTTP/1.1 client over one TCP connection, enough for benchmarks and tests against
/// our own server on loopback: one request at a time, keep-alive, bodies framed by
/// Content-Length or chunked encoding, every exchange bounded in time ([`client::TIMEOUT`] unless
/// set otherwise).
#[path = "http_client.rs"]
pub mod client;

/// A choice that depends only on the owner, so an owner of several units votes one way with all
/// of them (the store refuses split choices).
pub fn choice_for(owner_key: &str) -> &'static str {
    let h = owner_key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    ["approve", "approve", "oppose", "abstain"][(h % 4) as usize]
}

/// The `p` quantile (0..=1) of sorted latencies, nearest rank.
pub fn quantile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Logs each login in once with `password` over the API, `concurrency` connections at a time
/// spread over `addrs`; answers the tokens by login and every login's latency.
pub async fn log_in(
    addrs: &[SocketAddr],
    logins: &[String],
    password: &str,
    concurrency: usize,
) -> anyhow::Result<(HashMap<String, String>, Vec<Duration>)> {
    ensure!(!addrs.is_empty(), "no server to log in to");
    let logins = Arc::new(logins.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..concurrency.max(1) {
        let (logins, next, password) = (logins.clone(), next.clone(), password.to_string());
        let mut conn = Conn::new(addrs[w % addrs.len()]);
        tasks.spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(login) = logins.get(i) else { break };
                let t = Instant::now();
                let r = conn
                    .post_json("/api/v1/session", &[], &json!({"login": login, "password": password}))
                    .await
                    .with_context(|| format!("logging in {login} at {}", conn.addr()))?;
                let took = t.elapsed();
                ensure!(r.status == 200, "logging in {login}: HTTP {} {}", r.status, r.text());
                let token = r.json()?["token"].as_str().context("the login answer has no token")?.to_string();
                out.push((login.clone(), token, took));
            }
            anyhow::Ok(out)
        });
    }
    let (mut tokens, mut lat) = (HashMap::new(), Vec::new());
    while let Some(r) = tasks.join_next().await {
        for (login, token, took) in r.context("a login task panicked")?? {
            tokens.insert(login, token);
            lat.push(took);
        }
    }
    Ok((tokens, lat))
}

/// One measured phase: how many, how long in all, and every operation's latency, sorted.
struct Phase {
    count: usize,
    elapsed: Duration,
    lat: Vec<Duration>,
}

impl Phase {
    fn new(count: usize, elapsed: Duration, mut lat: Vec<Duration>) -> Phase {
        lat.sort();
        Phase { count, elapsed, lat }
    }

    fn rate(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64()
    }

    fn p(&self, q: f64) -> Duration {
        quantile(&self.lat, q)
    }
}

/// Runs up to `n` operations from `clients` concurrent workers, each owning a state (a
/// connection, or nothing) that it threads through its operations; records every operation's
/// latency. No operation starts after `limit` (so a slow store still ends the run in time).
async fn drive<S, F, Fut>(
    clients: usize,
    n: usize,
    limit: Duration,
    state: impl Fn() -> S,
    op: F,
) -> anyhow::Result<Phase>
where
    S: Send + 'static,
    F: Fn(S, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<S>> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + limit;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (op, next, mut s) = (op.clone(), next.clone(), state());
        tasks.spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n || Instant::now() > deadline {
                    break;
                }
                let t = Instant::now();
                s = op(s, i).await?;
                lat.push(t.elapsed());
            }
            anyhow::Ok(lat)
        });
    }
    let mut lat = Vec::with_capacity(n);
    while let Some(r) = tasks.join_next().await {
        lat.extend(r.context("a client task panicked")??);
    }
    Ok(Phase::new(lat.len(), start.elapsed(), lat))
}

/// Opens `n` compound-wide matters for the benchmark (notice posted long enough ago).
async fn open_matters(store: &Store, compound: &str, n: usize, tag: &str) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for i in 0..n {
        let m = store
            .create_matter(
                compound,
                &NewMatter {
                    title: format!("bench {tag} {i}"),
                    body: String::new(),
                    kind: MatterKind::OtherMajor,
                    scope: Scope::Compound,
                    deemed_clause: false,
                    allow_change: false,
                    window_start: None,
                    window_end: None,
                },
                Actor::SYSTEM,
            )
            .await?;
        store.post_notice(compound, &m.id, Actor::SYSTEM, gongzhi_web::now_ms() - 30 * 86_400_000).await?;
        store.open_matter(compound, &m.id, Actor::SYSTEM).await?;
        ids.push(m.id);
    }
    Ok(ids)
}

async fn count_ballots(store: &Store, compound: &str, matters: &[String]) -> anyhow::Result<usize> {
    let mut n = 0;
    for m in matters {
        let c: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ballots WHERE compound_id = $1 AND matter_id = $2")
            .bind(compound)
            .bind(m)
            .fetch_one(&store.pool)
            .await?;
        n += c as usize;
    }
    Ok(n)
}

struct Measured {
    label: &'static str,
    plain: Phase,
    raw: Phase,
    http: Phase,
    login: Phase,
    page: Phase,
}

const LOGIN_CLIENTS: usize = 8;
/// A ballot slower than this fails the run.
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);

/// Seeds the demo into `url` and measures everything on it.
async fn measure(
    label: &'static str,
    url: &str,
    clients: usize,
    ballots: usize,
    limit: Duration,
    page_rate: u32,
    page_seconds: u64,
) -> anyhow::Result<Measured> {
    let t = Instant::now();
    let store = Store::connect(url).await.with_context(|| format!("opening {url}"))?;
    let hash = gongzhi_web::kit::password::hash(gongzhi_store::demo::DEMO_PASSWORD);
    let c = gongzhi_store::demo::seed(&store, &hash).await?;
    let per = store.registry(&c.id).await?.units.len();
    let n_matters = ballots.div_ceil(per);
    let plain_m = open_matters(&store, &c.id, n_matters, "plain").await?;
    let raw_m = open_matters(&store, &c.id, n_matters, "store").await?;
    let http_m = open_matters(&store, &c.id, n_matters, "http").await?;
    let units: Arc<Vec<(UnitNo, &'static str)>> = Arc::new(
        store.roll(&c.id, &plain_m[0]).await?.iter().map(|u| (u.no.clone(), choice_for(u.owner.as_str()))).collect(),
    );
    ensure!(units.len() == per, "the roll has {} units, the register {per}", units.len());
    // ballot i: matter i / units, unit i % units, so concurrent ballots share a matter as in a real vote
    let job = move |i: usize| (i / per, i % per);
    eprintln!("{label}: seeded and opened {} matters in {:.1} s", 3 * n_matters, t.elapsed().as_secs_f64());
    let compound: Arc<str> = c.id.clone().into();

    // 1. plain INSERTs: one statement, one transaction per ballot, nothing else
    let plain = {
        let (store, compound, units, ms) = (store.clone(), compound.clone(), units.clone(), Arc::new(plain_m.clone()));
        drive(
            clients,
            ballots,
            limit,
            || (),
            move |(), i| {
                let (store, compound, units, ms) = (store.clone(), compound.clone(), units.clone(), ms.clone());
                async move {
                    let (m, u) = job(i);
                    sqlx::query(
                        "INSERT INTO ballots (compound_id, matter_id, unit_no, choice, channel, receipt, cast_at, entered_by) \
                         VALUES ($1, $2, $3, $4, 'online', $5, $6, 'bench')",
                    )
                    .bind(&*compound)
                    .bind(&ms[m])
                    .bind(units[u].0.as_str())
                    .bind(units[u].1)
                    .bind(format!("PLAIN-{i:08}"))
                    .bind(gongzhi_web::now_ms())
                    .execute(&store.pool)
                    .await?;
                    Ok(())
                }
            },
        )
        .await?
    };
    eprintln!("{label}: plain INSERT {:.0}/s", plain.rate());

    // 2. the store's own path, in process: what the HTTP handler calls
    let raw = {
        let (store, compound, units, ms) = (store.clone(), compound.clone(), units.clone(), Arc::new(raw_m.clone()));
        drive(
            clients,
            ballots,
            limit,
            || (),
            move |(), i| {
                let (store, compound, units, ms) = (store.clone(), compound.clone(), units.clone(), ms.clone());
                async move {
                    let (m, u) = job(i);
                    let choice = Choice::parse(units[u].1).expect("a valid choice");
                    store.cast_ballot(&compound, &ms[m], &units[u].0, choice, Channel::Online, Actor::SYSTEM).await?;
                    Ok(())
                }
            },
        )
        .await?
    };
    eprintln!("{label}: Store::cast_ballot {:.0}/s", raw.rate());

    // 3. the same over HTTP, the server in this process on loopback
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = gongzhi_web::app(gongzhi_web::AppState::new(store.clone()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let result = async {
        let logins: Vec<String> = units.iter().take(ballots.min(per)).map(|(u, _)| format!("owner-{u}")).collect();
        let t = Instant::now();
        let (tokens, login_lat) =
            log_in(&[addr], &logins, gongzhi_store::demo::DEMO_PASSWORD, LOGIN_CLIENTS.min(clients)).await?;
        let login = Phase::new(logins.len(), t.elapsed(), login_lat);
        eprintln!("{label}: logged in {} owners in {:.1} s", logins.len(), t.elapsed().as_secs_f64());
        let auth: Arc<Vec<String>> = Arc::new(
            units
                .iter()
                .map(|(u, _)| tokens.get(&format!("owner-{u}")).map(|t| format!("Bearer {t}")).unwrap_or_default())
                .collect(),
        );
        let paths: Arc<Vec<String>> = Arc::new(http_m.iter().map(|m| format!("/api/v1/matters/{m}/ballots")).collect());
        let http = {
            let units = units.clone();
            drive(
                clients,
                ballots,
                limit,
                || Conn::new(addr).with_timeout(HTTP_TIMEOUT),
                move |mut conn, i| {
                    let (units, auth, paths) = (units.clone(), auth.clone(), paths.clone());
                    async move {
                        let (m, u) = job(i);
                        let r = conn
                            .post_json(
                                &paths[m],
                                &[("authorization", &auth[u])],
                                &json!({"unit": units[u].0.as_str(), "choice": units[u].1}),
                            )
                            .await
                            .with_context(|| format!("casting {} on {}", units[u].0, paths[m]))?;
                        ensure!(
                            r.status == 201,
                            "casting {} on {}: HTTP {} {}",
                            units[u].0,
                            paths[m],
                            r.status,
                            r.text()
                        );
                        Ok(conn)
                    }
                },
            )
            .await?
        };
        eprintln!("{label}: HTTP {:.0} ballots/s", http.rate());
        for (what, ms, n) in
            [("plain", &plain_m, plain.count), ("store", &raw_m, raw.count), ("http", &http_m, http.count)]
        {
            let stored = count_ballots(&store, &c.id, ms).await?;
            ensure!(stored == n, "{what}: {n} ballots acknowledged but {stored} stored: the benchmark is void");
        }

        // 4. the vote page at a fixed rate
        let evote = store
            .matters(&c.id)
            .await?
            .into_iter()
            .find(|m| m.title == gongzhi_store::demo::EVOTE_TITLE)
            .context("the demo's open matter")?;
        let cookies: Vec<String> = tokens.values().map(|t| format!("gz_session={t}")).collect();
        let page =
            paced(addr, &format!("/matters/{}", evote.id), &evote.title, cookies, page_rate, page_seconds).await?;
        eprintln!("{label}: vote page p99 {}", ms(page.p(0.99)));
        anyhow::Ok((login, http, page))
    }
    .await;
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    store.close().await;
    let (login, http, page) = result?;
    Ok(Measured { label, plain, raw, http, login, page })
}

/// GETs `path` at `rate` per second for `seconds`, each request from the cookie next in turn;
/// latency runs from the moment a request was due (so a server falling behind shows).
async fn paced(
    addr: SocketAddr,
    path: &str,
    expect: &str,
    cookies: Vec<String>,
    rate: u32,
    seconds: u64,
) -> anyhow::Result<Phase> {
    ensure!(rate > 0 && !cookies.is_empty(), "nothing to request");
    let mut warm = Conn::new(addr);
    for c in cookies.iter().take(20) {
        let r = warm.get(path, &[("cookie", c)]).await?;
        ensure!(r.status == 200 && r.text().contains(expect), "GET {path}: HTTP {} (not the vote page)", r.status);
    }
    let idle = Arc::new(Mutex::new(vec![warm]));
    let cookies = Arc::new(cookies);
    let path: Arc<str> = path.into();
    let n = rate as usize * seconds as usize;
    let period = Duration::from_secs(1) / rate;
    let start = Instant::now() + Duration::from_millis(20);
    let mut tick = tokio::time::interval_at(start.into(), period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = tokio::task::JoinSet::new();
    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        tick.tick().await;
        while let Some(r) = tasks.try_join_next() {
            lat.push(r.context("a page request panicked")??);
        }
        ensure!(
            tasks.len() < 1000,
            "more than 1000 page requests outstanding: the server cannot keep up with {rate}/s"
        );
        let due = start + period * i as u32;
        let (idle, cookies, path) = (idle.clone(), cookies.clone(), path.clone());
        tasks.spawn(async move {
            let mut conn = idle.lock().expect("not poisoned").pop().unwrap_or_else(|| Conn::new(addr));
            let r = conn.get(&path, &[("cookie", &cookies[i % cookies.len()])]).await?;
            let took = due.elapsed();
            ensure!(r.status == 200, "GET {path}: HTTP {}", r.status);
            idle.lock().expect("not poisoned").push(conn);
            anyhow::Ok(took)
        });
    }
    while let Some(r) = tasks.join_next().await {
        lat.push(r.context("a page request panicked")??);
    }
    Ok(Phase::new(n, start.elapsed(), lat))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

pub async fn run(
    database: Option<String>,
    clients: usize,
    ballots: usize,
    phase_seconds: u64,
    page_rate: u32,
    page_seconds: u64,
) -> anyhow::Result<()> {
    let limit = Duration::from_secs(phase_seconds);
    ensure!(clients > 0 && ballots > 0 && phase_seconds > 0, "--clients, --ballots, --phase-seconds: at least 1");
    ensure!(page_rate > 0 && page_seconds > 0, "--page-rate and --page-seconds: at least 1");
    let base = database.or_else(|| std::env::var("TEST_DATABASE_URL").ok());
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: a debug build; run `cargo run --release -p gongzhi -- bench http` for numbers worth recording"
        );
    }
    let mut all = Vec::new();
    let dir = std::env::temp_dir().join(format!("gongzhi-bench-http-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/gongzhi.db", dir.display());
    let r = measure("SQLite", &url, clients, ballots, limit, page_rate, page_seconds).await;
    let _ = std::fs::remove_dir_all(&dir);
    all.push(r?);
    match base {
        Some(base) => {
            let url = gongzhi_store::kit::testing::fresh_postgres(&base).await?;
            let r = measure("PostgreSQL", &url, clients, ballots, limit, page_rate, page_seconds).await;
            gongzhi_store::kit::testing::drop_postgres_at(&base, &url).await;
            all.push(r?);
        }
        None => eprintln!("no --database and no TEST_DATABASE_URL: PostgreSQL skipped"),
    }

    println!("| store | what | count | time | rate | p50 | p99 |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for m in &all {
        let row = |what: String, p: &Phase, rate: String| {
            println!(
                "| {} | {what} | {} | {:.2} s | {rate} | {} | {} |",
                m.label,
                p.count,
                p.elapsed.as_secs_f64(),
                ms(p.p(0.5)),
                ms(p.p(0.99))
            )
        };
        row(
            format!("plain INSERT into ballots, one per transaction, {clients} tasks"),
            &m.plain,
            format!("{:.0}/s", m.plain.rate()),
        );
        row(
            format!("`Store::cast_ballot` in process, {clients} tasks (raw)"),
            &m.raw,
            format!("{:.0}/s", m.raw.rate()),
        );
        row(
            format!("POST /api/v1/matters/{{id}}/ballots, {clients} keep-alive clients"),
            &m.http,
            format!("{:.0}/s ({:.0}% of raw)", m.http.rate(), 100.0 * m.http.rate() / m.raw.rate()),
        );
        row(
            format!("POST /api/v1/session (Argon2id), {} clients", LOGIN_CLIENTS.min(clients)),
            &m.login,
            format!("{:.0}/s", m.login.rate()),
        );
        row(
            format!("GET /matters/{{id}} (vote page) paced at {page_rate}/s"),
            &m.page,
            format!("{:.0}/s", m.page.rate()),
        );
    }
    println!();
    for m in &all {
        let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
        let (rate, p99, page) = (m.http.rate(), m.http.p(0.99), m.page.p(0.99));
        let ballots_target = if m.label == "SQLite" {
            format!(
                "; target ≥ 2000 ballots/s {} and p99 < 50 ms {}",
                verdict(rate >= 2000.0),
                verdict(p99 < Duration::from_millis(50))
            )
        } else {
            String::new()
        };
        println!(
            "{}: HTTP/raw {:.2} ({rate:.0} vs {:.0} ballots/s), ballot p99 {}{ballots_target}; vote page p99 {} at {page_rate}/s, target < 20 ms {}",
            m.label,
            rate / m.raw.rate(),
            m.raw.rate(),
            ms(p99),
            ms(page),
            verdict(page < Duration::from_millis(20) && page_rate >= 200)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let xs: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&xs, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&xs, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&xs, 1.0), Duration::from_millis(100));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn an_owner_keeps_one_choice() {
        assert_eq!(choice_for("o1"), choice_for("o1"));
        let kinds: std::collections::HashSet<_> = (0..50).map(|i| choice_for(&format!("o{i}"))).collect();
        assert_eq!(kinds.len(), 3);
    }

    #[tokio::test]
    async fn the_client_reads_length_and_chunked_bodies_on_one_connection() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let mut seen = Vec::new();
            let answers: [&[u8]; 2] = [
                b"HTTP/1.1 201 Created\r\ncontent-length: 5\r\n\r\nhello",
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            ];
            for a in answers {
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = s.read(&mut buf).await.unwrap();
                    seen.extend_from_slice(&buf[..n]);
                }
                let end = seen.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                let head = String::from_utf8_lossy(&seen[..end]).to_string();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .map(|v| v.trim().parse().unwrap())
                    .unwrap_or(0);
                while seen.len() < end + len {
                    let n = s.read(&mut buf).await.unwrap();
                    seen.extend_from_slice(&buf[..n]);
                }
                seen.drain(..end + len);
                s.write_all(a).await.unwrap();
            }
        });
        let mut c = Conn::new(addr);
        let r = c.post_json("/x", &[], &json!({"a": 1})).await.unwrap();
        assert_eq!((r.status, r.text().as_str()), (201, "hello"));
        let r = c.get("/y", &[]).await.unwrap();
        assert_eq!((r.status, r.text().as_str()), (200, "abcde"));
    }
}
