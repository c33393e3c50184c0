//! Real peers for the reaching-people tests: an SMTP server (Python's aiosmtpd, from the venv the
//! test command installs) that writes what it accepts to a folder, and an HTTP receiver for
//! webhooks that records every request.
#![allow(dead_code)]

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The Python with aiosmtpd and icalendar: `GONGZHI_TEST_PYTHON`, else the venv `scripts/test`
/// makes in `target/test-venv`.
pub fn python() -> PathBuf {
    if let Ok(p) = std::env::var("GONGZHI_TEST_PYTHON") {
        return p.into();
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let p = root.join("target/test-venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run scripts/test-venv (scripts/test does) to install aiosmtpd and icalendar",
        p.display()
    );
    p
}

pub fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts").join(name)
}

/// A real SMTP server on loopback; stopped when dropped.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let dir = std::env::temp_dir().join(format!("gongzhi-smtp-{}-{}", std::process::id(), uuid()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(python())
            .arg(script("smtp-sink.py"))
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the SMTP sink starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("the SMTP sink printed {line:?}"));
        SmtpSink { child, port, dir }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every message it has accepted, in arrival order.
    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()).collect()
    }

    /// Waits (up to 20 s) until it holds at least `n` messages.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn uuid() -> String {
    format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

/// One request a receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub uri: String,
    pub headers: HeaderMap,
    pub body: String,
}

/// An HTTP server on loopback recording every request; answers as the bots do
/// (`{"errcode":0}`), or 500 to the first `fail` requests.
pub struct Receiver {
    pub base: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    pub fail: Arc<AtomicUsize>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let fail = Arc::new(AtomicUsize::new(0));
        let (g, f) = (got.clone(), fail.clone());
        let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let (g, f) = (g.clone(), f.clone());
            async move {
                if f.load(Ordering::SeqCst) > 0 {
                    f.fetch_sub(1, Ordering::SeqCst);
                    return (StatusCode::INTERNAL_SERVER_ERROR, "down".to_string());
                }
                g.lock().unwrap().push(Received {
                    uri: uri.to_string(),
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                (StatusCode::OK, r#"{"errcode":0,"errmsg":"ok"}"#.to_string())
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { base, got, fail }
    }

    pub fn requests(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}
