//! The outbox: queued with the change that caused it, claimed once, sent once, retried, dead
//! letters, lapsed claims; on both databases, and two servers on one PostgreSQL.

use gongzhi_store::Store;
use gongzhi_store::kit::outbox::{Channel, MAX_ATTEMPTS, Outgoing, Status, backoff_ms, queue};
use gongzhi_store::kit::testing::on_each_backend;
use std::collections::HashSet;

fn mail(to: &str, dedupe: Option<&str>) -> Outgoing {
    Outgoing {
        channel: Channel::Email,
        recipient: to.into(),
        kind: "vote.reminder".into(),
        subject: "请投票".into(),
        body: "在业主大会议事规则中采用电子投票：还需要您的一票。".into(),
        dedupe: dedupe.map(String::from),
        about: None,
        due_at: 0,
        person: None,
    }
}

async fn compound(store: &Store) -> String {
    store.create_compound("一个小区", "", false).await.unwrap().id
}

#[tokio::test]
async fn a_message_exists_exactly_when_the_change_that_queued_it_commits() {
    on_each_backend(|store| async move {
        let c = compound(&store).await;
        // rolled back: never queued
        let mut tx = store.begin_write().await.unwrap();
        queue(&mut tx, &c, &[mail("a@example.org", None)], 1).await.unwrap();
        drop(tx);
        assert!(store.claim_messages("w", 10, 60_000, 10).await.unwrap().is_empty());
        // committed: queued, and a second queuing with the same key queues nothing
        let ids =
            store.queue_messages(&c, &[mail("a@example.org", Some("k1")), mail("b@example.org", None)]).await.unwrap();
        assert_eq!(ids.len(), 2);
        assert!(store.queue_messages(&c, &[mail("a@example.org", Some("k1"))]).await.unwrap().is_empty());
        let queued = store.messages(&c, Status::Queued, 10).await.unwrap();
        assert_eq!(queued.len(), 2);
        assert!(queued.iter().all(|m| m.body.contains("还需要您的一票")), "kept exactly");
    })
    .await;
}

#[tokio::test]
async fn a_claimed_message_is_sent_once_and_a_failed_one_retried_until_it_is_a_dead_letter() {
    on_each_backend(|store| async move {
        let c = compound(&store).await;
        let later = Outgoing { due_at: 5_000, ..mail("later@example.org", None) };
        store.queue_messages(&c, &[mail("a@example.org", None), mail("b@example.org", None), later]).await.unwrap();
        // only what is due is claimed, and a claimed message is not claimed again while held
        let got = store.claim_messages("w1", 10, 60_000, 1_000).await.unwrap();
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|m| m.status == Status::Sending));
        assert!(store.claim_messages("w2", 10, 60_000, 1_000).await.unwrap().is_empty());
        let (a, b) = (&got[0], &got[1]);
        // sent: recorded once, never claimed again; only the holder records it
        assert!(!store.message_sent(a, "w2", "250 ok", 1_100).await.unwrap(), "not w2's claim");
        assert!(store.message_sent(a, "w1", "250 2.0.0 queued as X", 1_100).await.unwrap());
        assert!(!store.message_sent(a, "w1", "250 again", 1_200).await.unwrap(), "sent once");
        let sent = store.message(&c, &a.id).await.unwrap().unwrap();
        assert_eq!((sent.status, sent.attempts, sent.sent_at), (Status::Sent, 1, Some(1_100)));
        // failed: back off, then retried with the same id, until the last attempt
        let mut now = 1_100;
        let mut m = b.clone();
        for n in 1..=MAX_ATTEMPTS {
            assert!(store.message_failed(&m, "w1", &format!("421 try later ({n})"), now).await.unwrap());
            let after = store.message(&c, &b.id).await.unwrap().unwrap();
            assert_eq!(after.attempts, n);
            if n == MAX_ATTEMPTS {
                assert_eq!(after.status, Status::Dead);
                break;
            }
            assert_eq!((after.status, after.due_at), (Status::Queued, now + backoff_ms(n)));
            let early: Vec<String> = store
                .claim_messages("w1", 10, 60_000, after.due_at - 1)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.recipient)
                .collect();
            assert!(!early.contains(&"b@example.org".to_string()), "not before its back-off: {early:?}");
            now = after.due_at;
            let again = store.claim_messages("w1", 10, 60_000, now).await.unwrap();
            m = again.into_iter().find(|x| x.id == b.id).expect("retried with the same id");
        }
        // the dead letter is listed with every attempt and its answer
        let dead = store.messages(&c, Status::Dead, 10).await.unwrap();
        assert_eq!(dead.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), vec![b.id.as_str()]);
        assert_eq!(dead[0].last_error.as_deref(), Some("421 try later (8)"));
        let tries = store.message_attempts(&c, &b.id).await.unwrap();
        assert_eq!(tries.len() as i64, MAX_ATTEMPTS);
        assert!(tries.iter().all(|t| !t.ok) && tries[0].answer == "421 try later (1)");
        assert!(store.claim_messages("w1", 10, 60_000, i64::MAX / 2).await.unwrap().iter().all(|x| x.id != b.id));
        let ok = store.message_attempts(&c, &a.id).await.unwrap();
        assert_eq!(ok.len(), 1);
        assert!(ok[0].ok && ok[0].answer.starts_with("250"));
    })
    .await;
}

#[tokio::test]
async fn a_claim_that_lapses_when_its_worker_dies_is_taken_again_with_the_same_id() {
    on_each_backend(|store| async move {
        let c = compound(&store).await;
        store.queue_messages(&c, &[mail("a@example.org", None)]).await.unwrap();
        let first = store.claim_messages("dead-worker", 10, 30_000, 1_000).await.unwrap();
        assert_eq!(first.len(), 1);
        // the worker dies before recording; within the lease nobody takes it
        assert!(store.claim_messages("w2", 10, 30_000, 20_000).await.unwrap().is_empty());
        let again = store.claim_messages("w2", 10, 30_000, 31_001).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].id, first[0].id, "the same Message-ID, so the receiver can drop a copy");
        assert!(store.message_sent(&again[0], "w2", "250", 31_100).await.unwrap());
        // the dead worker coming back late records nothing
        assert!(!store.message_sent(&first[0], "dead-worker", "250", 31_200).await.unwrap());
        assert!(!store.message_failed(&first[0], "dead-worker", "timeout", 31_200).await.unwrap());
        assert_eq!(store.message_attempts(&c, &first[0].id).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_send_each_message_once() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else { return };
    let url = gongzhi_store::kit::testing::fresh_postgres(&base).await.unwrap();
    let (a, b) = (Store::connect(&url).await.unwrap(), Store::connect(&url).await.unwrap());
    let c = compound(&a).await;
    let msgs: Vec<Outgoing> = (0..400).map(|i| mail(&format!("owner-{i}@example.org"), None)).collect();
    a.queue_messages(&c, &msgs).await.unwrap();
    let work = |s: Store, name: &'static str| async move {
        let mut sent = Vec::new();
        loop {
            let got = s.claim_messages(name, 7, 60_000, 1_000).await.unwrap();
            if got.is_empty() {
                break;
            }
            for m in got {
                assert!(s.message_sent(&m, name, "250", 1_100).await.unwrap());
                sent.push(m.id);
            }
        }
        sent
    };
    let (x, y, z) = tokio::join!(work(a.clone(), "a1"), work(a.clone(), "a2"), work(b.clone(), "b1"));
    let all: Vec<String> = x.into_iter().chain(y).chain(z).collect();
    assert_eq!(all.len(), 400, "every message sent");
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 400, "none twice");
    assert_eq!(a.messages(&c, Status::Sent, 1_000).await.unwrap().len(), 400);
    a.close().await;
    b.close().await;
    gongzhi_store::kit::testing::drop_postgres(&url).await;
}

#[tokio::test]
async fn a_declared_deadline_reaches_each_person_on_their_channels_once_and_is_withdrawn_when_done() {
    use gongzhi_core::accounts::reach::{Channels, QuietHours};
    use gongzhi_store::accounts::channels::{Deadline, cancel_deadline, schedule_deadline};
    gongzhi_store::kit::testing::on_each_demo("x", |store| async move {
        let c = store.compounds().await.unwrap()[0].id.clone();
        let person = |login: &'static str| {
            let store = store.clone();
            async move { store.person_for_login(login).await.unwrap().unwrap().0 }
        };
        let (a, b) = (person("owner-1-101").await, person("owner-1-102").await);
        let night = QuietHours::parse("22:00", "07:00").unwrap();
        let sys = gongzhi_store::Actor::SYSTEM;
        let mailed = Channels { email: Some("a@example.org".into()), in_app: false, by_email: true, quiet: night };
        store.set_channels(&c, &a, mailed, sys).await.unwrap();
        store.set_channels(&c, &b, Channels::default(), sys).await.unwrap();
        // due at 23:00 in Shanghai on a day
        let due = gongzhi_core::time::parse_date("2027-01-14").unwrap() + 23 * 3_600_000;
        let people = vec![a.clone(), b.clone()];
        let d = Deadline {
            about: "statement-2027Q1",
            kind: "ledger.statement-due",
            key: "statement:2027Q1:reminder",
            due_at: due,
            subject: "季度收支公告明天到期".into(),
            body: "2027年第一季度公共收益收支情况应于1月15日前公告。".into(),
            people: &people,
        };
        let mut tx = store.begin_write().await.unwrap();
        assert_eq!(schedule_deadline(&mut tx, &c, &d, 1).await.unwrap(), 1, "b chose no channel");
        // declared twice (the process ran again): nothing more
        assert_eq!(schedule_deadline(&mut tx, &c, &d, 1).await.unwrap(), 1);
        tx.commit().await.unwrap();
        let queued: Vec<_> = store
            .messages(&c, Status::Queued, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.about.as_deref() == Some("statement-2027Q1"))
            .collect();
        assert_eq!(queued.len(), 1, "{queued:?}");
        let m = &queued[0];
        assert_eq!(
            (m.channel, m.recipient.as_str(), m.person.as_deref()),
            (Channel::Email, "a@example.org", Some(a.as_str()))
        );
        assert_eq!(gongzhi_core::time::datetime(m.due_at), "2027-01-15 07:00", "after a's quiet hours");
        // done before it was due: withdrawn
        let mut tx = store.begin_write().await.unwrap();
        assert_eq!(cancel_deadline(&mut tx, &c, "statement-2027Q1", "ledger.statement-due").await.unwrap(), 1);
        tx.commit().await.unwrap();
        assert_eq!(store.message(&c, &m.id).await.unwrap().unwrap().status, Status::Cancelled);
    })
    .await;
}
