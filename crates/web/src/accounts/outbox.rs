//! The delivery worker: claims what the outbox holds due, sends it on its channel and records the
//! answer (see [`gongzhi_store::kit::outbox`] for the guarantees).
//!
//! - in-app: delivered by recording it sent; the notice list shows sent in-app messages;
//! - email: over SMTP to the compound's relay (its TLS and credentials are compound settings) or
//!   else the server's `--smtp-relay HOST:PORT` (plain SMTP to a local relay); the outbox id is
//!   the Message-ID, so a copy resent after a crash can be dropped by the receiver;
//! - webhook: a POST to the compound's bot in its format (WeChat Work, DingTalk, or JSON signed
//!   with HMAC-SHA256), the outbox id in `Idempotency-Key`.
//!
//! A send that fails is retried with back-off and ends as a dead letter staff can see; nothing is
//! silently dropped. Nothing secret (a bot's address carries its key) reaches a log or an answer.

use base64::Engine;
use gongzhi_core::accounts::reach::{BotKind, Relay, Tls, Webhook};
use gongzhi_store::Store;
use gongzhi_store::kit::outbox::{Channel, Message};
use hmac::{Hmac, Mac};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sha2::Sha256;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Messages claimed at a time, and how long a claim holds before another worker may take it.
pub const BATCH: i64 = 100;
pub const LEASE_MS: i64 = 60_000;
/// Sends under way at once (each on its own SMTP connection from the pool, or HTTP request).
pub const PARALLEL: usize = 8;
/// How long one send may take before it counts as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// The sender when the compound has no relay of its own.
pub const DEFAULT_FROM: &str = "共治 gongzhi <noreply@example.org>";

/// The server's own ways out: the plain-SMTP relay it was started with, and how long a claim
/// holds (a test shortens it to see a crashed server's messages resent).
#[derive(Clone, Debug)]
pub struct Delivery {
    /// `HOST:PORT` of a local relay spoken to in plain SMTP (`--smtp-relay`).
    pub smtp_relay: Option<String>,
    pub lease_ms: i64,
    /// Kinds whose text is written again as they are sent, and how (a digest says how a vote
    /// stands at that moment): declared by the later processes, wired by [`crate::delivery`].
    pub rewrites: Vec<(&'static str, Rewrite)>,
}

/// Writes a message's subject and body again as it is sent; None leaves them.
pub type Rewrite = fn(Store, Message) -> Rewritten;
/// What a [`Rewrite`] answers: the new subject and body, later.
pub type Rewritten = Pin<Box<dyn Future<Output = Option<(String, String)>> + std::marker::Send>>;

impl Default for Delivery {
    fn default() -> Self {
        Delivery { smtp_relay: None, lease_ms: LEASE_MS, rewrites: vec![] }
    }
}

type Smtp = AsyncSmtpTransport<Tokio1Executor>;

/// One worker: its name (in every attempt it records), its connections kept between batches.
pub struct Worker {
    pub name: String,
    delivery: Delivery,
    /// Per compound: the relay it was built from and its pooled transport.
    smtp: HashMap<String, (Option<Relay>, Smtp)>,
    http: reqwest::Client,
}

fn relay_transport(r: &Relay) -> Result<Smtp, String> {
    let b = match r.tls {
        Tls::None => Smtp::builder_dangerous(&r.host),
        Tls::StartTls => Smtp::starttls_relay(&r.host).map_err(|e| format!("relay {}: {e}", r.host))?,
        Tls::Tls => Smtp::relay(&r.host).map_err(|e| format!("relay {}: {e}", r.host))?,
    };
    let b = b.port(r.port).timeout(Some(SEND_TIMEOUT));
    let b = match (&r.username, &r.password) {
        (Some(u), Some(p)) => b.credentials(Credentials::new(u.clone(), p.clone())),
        _ => b,
    };
    Ok(b.build())
}

/// `HOST:PORT` as a plain relay.
pub fn plain_relay(addr: &str) -> Result<Relay, String> {
    let (host, port) = addr.rsplit_once(':').ok_or_else(|| format!("--smtp-relay {addr}: give HOST:PORT"))?;
    let port = port.parse::<u16>().map_err(|_| format!("--smtp-relay {addr}: {port} is not a port"))?;
    if host.is_empty() || port == 0 {
        return Err(format!("--smtp-relay {addr}: give HOST:PORT"));
    }
    Ok(Relay {
        host: host.trim_start_matches('[').trim_end_matches(']').to_string(),
        port,
        tls: Tls::None,
        username: None,
        password: None,
        mail_from: DEFAULT_FROM.into(),
    })
}

/// The JSON a bot is sent, and the address with DingTalk's signature when it has a secret.
pub fn bot_request(w: &Webhook, m: &Message, now: i64) -> (String, String, Vec<(&'static str, String)>) {
    let text = format!("{}\n{}", m.subject, m.body);
    match w.kind {
        BotKind::WeCom => {
            (w.url.clone(), serde_json::json!({"msgtype": "text", "text": {"content": text}}).to_string(), vec![])
        }
        BotKind::DingTalk => {
            let body = serde_json::json!({"msgtype": "text", "text": {"content": text}}).to_string();
            let url = match &w.secret {
                Some(secret) => {
                    let sign =
                        base64::engine::general_purpose::STANDARD.encode(hmac(secret, &format!("{now}\n{secret}")));
                    let sep = if w.url.contains('?') { '&' } else { '?' };
                    format!("{}{sep}timestamp={now}&sign={}", w.url, percent(&sign))
                }
                None => w.url.clone(),
            };
            (url, body, vec![])
        }
        BotKind::Json => {
            let body = serde_json::json!({
                "id": m.id,
                "compound": m.compound,
                "kind": m.kind,
                "subject": m.subject,
                "body": m.body,
                "about": m.about,
                "created_at": m.created_at,
            })
            .to_string();
            let secret = w.secret.clone().unwrap_or_default();
            let sig = hex(&hmac(&secret, &format!("{now}.{body}")));
            (
                w.url.clone(),
                body,
                vec![("X-Gongzhi-Timestamp", now.to_string()), ("X-Gongzhi-Signature", format!("sha256={sig}"))],
            )
        }
    }
}

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac(key: &str, msg: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(msg.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The Message-ID of an outbox message: the same on every attempt.
pub fn message_id(m: &Message) -> String {
    format!("<{}@gongzhi>", m.id)
}

impl Worker {
    pub fn new(delivery: Delivery) -> Worker {
        let name = format!("{}-{}", std::process::id(), crate::now_ms());
        let http = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client builds");
        Worker { name, delivery, smtp: HashMap::new(), http }
    }

    /// Delivers everything due at `now`, a batch at a time; returns (sent, failed).
    pub async fn deliver_once(&mut self, store: &Store, now: i64) -> gongzhi_store::Result<(usize, usize)> {
        let (mut sent, mut failed) = (0, 0);
        loop {
            let mut batch = store.claim_messages(&self.name, BATCH, self.delivery.lease_ms, now).await?;
            if batch.is_empty() {
                return Ok((sent, failed));
            }
            for m in batch.iter_mut() {
                let Some((_, rewrite)) = self.delivery.rewrites.iter().find(|(k, _)| *k == m.kind) else { continue };
                if let Some((subject, body)) = rewrite(store.clone(), m.clone()).await
                    && store.rewrite_message(m, &self.name, &subject, &body).await?
                {
                    (m.subject, m.body) = (subject, body);
                }
            }
            let at = |now: i64| crate::now_ms().max(now);
            // in-app notices are delivered by being recorded; the rest are sent a few at a time
            let (in_app, out): (Vec<Message>, Vec<Message>) =
                batch.into_iter().partition(|m| m.channel == Channel::InApp);
            let done: Vec<(&Message, String)> = in_app.iter().map(|m| (m, "in the notice list".to_string())).collect();
            sent += store.messages_sent(&done, &self.name, at(now)).await?;
            let mut ok = Vec::new();
            for chunk in out.chunks(PARALLEL) {
                let mut sends = tokio::task::JoinSet::new();
                for (i, m) in chunk.iter().enumerate() {
                    let send = self.prepare(store, m).await;
                    sends.spawn(async move { (i, send.run().await) });
                }
                let mut outcomes: Vec<(usize, Result<String, String>)> = sends.join_all().await;
                outcomes.sort_by_key(|(i, _)| *i);
                for (i, outcome) in outcomes {
                    let m = &chunk[i];
                    match outcome {
                        Ok(answer) => ok.push((m, answer)),
                        Err(why) => {
                            if m.channel == Channel::Email {
                                // a broken connection is built again on the next attempt
                                self.smtp.remove(&m.compound);
                            }
                            // never before the round's own time, so a failure is not retried
                            // within the round
                            failed += usize::from(store.message_failed(m, &self.name, &why, at(now)).await?);
                        }
                    }
                }
            }
            sent += store.messages_sent(&ok, &self.name, at(now)).await?;
        }
    }

    /// Everything one send needs, gathered before it runs (the relay, the bot).
    async fn prepare(&mut self, store: &Store, m: &Message) -> Send {
        match m.channel {
            Channel::InApp => Send::Done("in the notice list".into()),
            Channel::Email => match self.transport(store, &m.compound).await {
                Ok((t, from)) => match email(m, &from) {
                    Ok(e) => Send::Email(t, e),
                    Err(why) => Send::Failed(why),
                },
                Err(why) => Send::Failed(why),
            },
            Channel::Webhook => match store.webhook(&m.compound, &m.recipient).await {
                Ok(Some(w)) => Send::Webhook(self.http.clone(), Box::new((w, m.clone()))),
                Ok(None) => Send::Failed(format!("the compound has no webhook named {}", m.recipient)),
                Err(e) => Send::Failed(e.to_string()),
            },
        }
    }

    async fn transport(&mut self, store: &Store, compound: &str) -> Result<(Smtp, String), String> {
        let own = store.mail_relay(compound).await.map_err(|e| e.to_string())?;
        let relay = match (&own, &self.delivery.smtp_relay) {
            (Some(r), _) => r.clone(),
            (None, Some(addr)) => plain_relay(addr)?,
            (None, None) => {
                return Err(
                    "no mail relay: set one in the compound's settings or start the server with --smtp-relay".into()
                );
            }
        };
        let from = relay.mail_from.clone();
        if let Some((built, t)) = self.smtp.get(compound)
            && built.as_ref() == Some(&relay)
        {
            return Ok((t.clone(), from));
        }
        let t = relay_transport(&relay)?;
        self.smtp.insert(compound.to_string(), (Some(relay), t.clone()));
        Ok((t, from))
    }
}

/// One send, ready to run on its own task.
enum Send {
    Done(String),
    Failed(String),
    Email(Smtp, lettre::Message),
    Webhook(reqwest::Client, Box<(Webhook, Message)>),
}

impl Send {
    async fn run(self) -> Result<String, String> {
        match self {
            Send::Done(a) => Ok(a),
            Send::Failed(why) => Err(why),
            Send::Email(t, e) => match t.send(e).await {
                Ok(r) => Ok(format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" "))),
                Err(e) => Err(format!("SMTP: {e}")),
            },
            Send::Webhook(http, b) => post(&http, &b.0, &b.1).await,
        }
    }
}

/// The email of an outbox message: its id as the Message-ID, plain UTF-8 text.
fn email(m: &Message, from: &str) -> Result<lettre::Message, String> {
    lettre::Message::builder()
        .message_id(Some(message_id(m)))
        .from(from.parse().map_err(|e| format!("sender {from}: {e}"))?)
        .to(m.recipient.parse().map_err(|e| format!("recipient: {e}"))?)
        .subject(m.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| format!("message: {e}"))
}

/// Posts a message to a bot; the answer, or why it failed, without the bot's address.
async fn post(http: &reqwest::Client, w: &Webhook, m: &Message) -> Result<String, String> {
    let (url, body, headers) = bot_request(w, m, crate::now_ms());
    let mut req = http.post(url).header("Content-Type", "application/json").header("Idempotency-Key", &m.id).body(body);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    // the address carries the bot's key: errors are told without it
    let resp = req.send().await.map_err(|e| format!("POST to {}: {}", w.name, e.without_url()))?;
    let status = resp.status();
    let text = resp.text().await.map_err(|e| format!("answer from {}: {}", w.name, e.without_url()))?;
    let short: String = text.chars().take(200).collect();
    if !status.is_success() {
        return Err(format!("HTTP {} {short}", status.as_u16()));
    }
    // the bots answer 200 with an error code of their own
    if matches!(w.kind, BotKind::WeCom | BotKind::DingTalk)
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
        && v.get("errcode").and_then(|c| c.as_i64()).is_some_and(|c| c != 0)
    {
        return Err(format!("HTTP {} {short}", status.as_u16()));
    }
    Ok(format!("HTTP {} {short}", status.as_u16()))
}

/// Runs the worker until the process ends: delivers what is due every second (at once again
/// while there is more), logging counts and failures without the messages' text.
pub async fn run(store: Store, delivery: Delivery) {
    let mut worker = Worker::new(delivery);
    loop {
        match worker.deliver_once(&store, crate::now_ms()).await {
            Ok((sent, failed)) if sent + failed > 0 => tracing::info!(sent, failed, "outbox delivered"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox delivery failed; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dingtalk_signature_is_the_documented_one() {
        // DingTalk: sign = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret)))
        let w = Webhook {
            name: "群".into(),
            kind: BotKind::DingTalk,
            url: "https://oapi.dingtalk.com/robot/send?access_token=abc".into(),
            secret: Some("SECxyz".into()),
        };
        let m = Message {
            compound: "c".into(),
            id: "m1".into(),
            channel: Channel::Webhook,
            recipient: "群".into(),
            kind: "vote.bot".into(),
            subject: "s".into(),
            body: "b".into(),
            status: gongzhi_store::kit::outbox::Status::Sending,
            attempts: 0,
            due_at: 0,
            created_at: 0,
            sent_at: None,
            last_error: None,
            read_at: None,
            about: None,
            person: None,
        };
        let (url, body, _) = bot_request(&w, &m, 1_700_000_000_000);
        let sign = base64::engine::general_purpose::STANDARD.encode(hmac("SECxyz", "1700000000000\nSECxyz"));
        assert_eq!(url, format!("{}&timestamp=1700000000000&sign={}", w.url, percent(&sign)));
        assert_eq!(body, r#"{"msgtype":"text","text":{"content":"s\nb"}}"#);
        assert!(!percent(&sign).contains('+') && !percent(&sign).contains('/'));
        assert_eq!(plain_relay("127.0.0.1:2525").unwrap().port, 2525);
        assert!(plain_relay("127.0.0.1").is_err());
    }
}
