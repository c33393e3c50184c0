//! The delivery worker: claims what the outbox holds due, sends it on its channel and records the
//! answer (see [`gongzhi_store::kit::outbox`] for the guarantees). In-app notices are delivered by
//! recording them sent: the notice list shows sent in-app messages. Email and webhooks have no
//! transport yet: such a message fails with that reason, is retried with back-off and ends as a
//! dead letter staff can see, never silently dropped.

use gongzhi_store::Store;
use gongzhi_store::kit::outbox::Channel;

/// Messages claimed at a time, and how long a claim holds before another worker may take it.
pub const BATCH: i64 = 100;
pub const LEASE_MS: i64 = 60_000;

/// Delivers everything due at `now`, a batch at a time; returns (sent, failed).
pub async fn deliver_once(store: &Store, worker: &str, now: i64) -> gongzhi_store::Result<(usize, usize)> {
    let (mut sent, mut failed) = (0, 0);
    loop {
        let batch = store.claim_messages(worker, BATCH, LEASE_MS, now).await?;
        if batch.is_empty() {
            return Ok((sent, failed));
        }
        let (s, f) = deliver(store, worker, batch).await?;
        sent += s;
        failed += f;
    }
}

async fn deliver(
    store: &Store,
    worker: &str,
    batch: Vec<gongzhi_store::kit::outbox::Message>,
) -> gongzhi_store::Result<(usize, usize)> {
    let (mut sent, mut failed) = (0, 0);
    for m in batch {
        match m.channel {
            Channel::InApp => {
                if store.message_sent(&m, worker, "in the notice list", crate::now_ms()).await? {
                    sent += 1;
                }
            }
            Channel::Email | Channel::Webhook => {
                let why = format!("no {} transport is configured on this server", m.channel.as_str());
                if store.message_failed(&m, worker, &why, crate::now_ms()).await? {
                    failed += 1;
                }
            }
        }
    }
    Ok((sent, failed))
}

/// Runs the worker until the process ends: delivers what is due every second (at once again
/// while there is more), logging failures without the messages' text.
pub async fn run(store: Store) {
    let worker = format!("{}-{}", std::process::id(), crate::now_ms());
    loop {
        match deliver_once(&store, &worker, crate::now_ms()).await {
            Ok((sent, failed)) if sent + failed > 0 => tracing::info!(sent, failed, "outbox delivered"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox delivery failed; retrying"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
