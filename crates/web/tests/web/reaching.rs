//! Reaching people with real parts: opening a vote sends each owner on its roll one email, through
//! a real SMTP server, and each group bot one message, through a real HTTP receiver; an owner who
//! votes first gets none; a bot that keeps failing ends as a dead letter staff can see and send
//! again; a person's channels and quiet hours decide what goes where and when; a calendar feed
//! reads in Python's icalendar and stops when revoked.

use crate::common::*;
use crate::sinks::{Receiver, SmtpSink, python};
use axum::http::{Method, StatusCode};
use gongzhi_store::kit::outbox::{Channel, Status};
use gongzhi_store::kit::testing::on_each_demo;
use gongzhi_web::accounts::outbox::{Delivery, Worker, hmac};
use serde_json::json;
use std::collections::BTreeMap;

const DAY: i64 = 86_400_000;

/// Opens a vote of Building 12 (its notice posted long ago), as the system would.
async fn open_building_vote(a: &App, title: &str) -> String {
    let sys = gongzhi_store::Actor::SYSTEM;
    let now = gongzhi_core::time::now_ms();
    let nm = gongzhi_store::NewMatter {
        title: title.into(),
        body: "12号楼北侧加装电梯，费用按楼层分摊。".into(),
        kind: gongzhi_core::MatterKind::Alteration,
        scope: gongzhi_core::Scope::parse("building:12").unwrap(),
        deemed_clause: false,
        allow_change: false,
        window_start: Some(now - DAY),
        window_end: Some(now + 14 * DAY),
    };
    let m = a.store.create_matter(&a.compound, &nm, sys).await.unwrap();
    a.store.post_notice(&a.compound, &m.id, sys, now - 30 * DAY).await.unwrap();
    a.store.open_matter(&a.compound, &m.id, sys).await.unwrap();
    m.id
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_vote_mails_each_owner_once_and_tells_each_bot_and_stops_for_who_votes() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let sink = SmtpSink::start();
        let bots = Receiver::start().await;
        let admin = a.token("admin").await;
        // the director sets up three bots; their keys never come back
        for b in [
            json!({"name": "12号楼群", "kind": "wecom", "url": format!("{}/wecom?key=WECOMKEY123", bots.base)}),
            json!({"name": "钉钉群", "kind": "dingtalk", "url": format!("{}/ding?access_token=DINGTOKEN", bots.base), "secret": "SECding"}),
            json!({"name": "街道系统", "kind": "json", "url": format!("{}/district", bots.base), "secret": "district-secret"}),
        ] {
            let r = a.api(Method::POST, "/api/v1/settings/webhooks", Some(&admin), Some(b)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let listed = a.api(Method::GET, "/api/v1/settings/webhooks", Some(&admin), None).await.text();
        assert!(!listed.contains("WECOMKEY123") && !listed.contains("SECding") && !listed.contains("district-secret"), "{listed}");
        let page = a.page("/settings/reaching", Some(&admin)).await.text();
        assert!(page.contains("12号楼群") && !page.contains("WECOMKEY123"), "{page}");
        // a bad bot is refused naming the field
        let r = a
            .api(Method::POST, "/api/v1/settings/webhooks", Some(&admin), Some(json!({"name": "x", "kind": "json", "url": bots.base})))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("secret"), "{}", r.text());

        let title = "12号楼加装电梯";
        let id = open_building_vote(&a, title).await;
        let roll: Vec<String> = a.store.roll(&a.compound, &id).await.unwrap().iter().map(|u| u.no.to_string()).collect();
        assert!(roll.len() > 2);
        // one owner votes before anything is sent: nothing reaches them
        let first = roll[0].clone();
        let voter = a.token(&format!("owner-{first}")).await;
        let r = a
            .api(Method::POST, &format!("/api/v1/matters/{id}/ballots"), Some(&voter), Some(json!({"unit": first, "choice": "approve"})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

        let mut worker =
            Worker::new(gongzhi_web::delivery(Some(sink.addr()), gongzhi_web::accounts::outbox::LEASE_MS));
        let now = gongzhi_core::time::now_ms();
        let (sent, failed) = worker.deliver_once(&a.store, now + 1).await.unwrap();
        let owed = roll.len() - 1;
        assert_eq!(failed, 0);
        // announcements of this vote: in-app and email to each owner but the one who voted, and the three bots;
        // (the seeded votes' notices went before this test)
        let outbox: Vec<_> = a
            .store
            .delivery_log(&a.compound, Some(Status::Sent), 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.about_matter(&id))
            .collect();
        // the committee's digest, written as it was sent: one unit had voted by then
        let (leaders, outbox): (Vec<_>, Vec<_>) = outbox.into_iter().partition(|m| m.kind == "vote.leader");
        // Building 12's leader: their households to visit, in order, without the one who voted
        let leader = leaders.iter().find(|m| m.channel == Channel::InApp).expect("a list to Building 12's leader");
        assert!(leader.body.contains(&format!("本楼还有 {owed} 户没有投票")), "{}", leader.body);
        assert!(leader.body.contains("1. ") && !leader.body.contains(&format!(" {first}；")), "{}", leader.body);
        let (digests, outbox): (Vec<_>, Vec<_>) = outbox.into_iter().partition(|m| m.kind == "vote.digest");
        let director = a.store.session_account(&admin).await.unwrap().unwrap().0.account_id;
        let d = digests.iter().find(|m| m.channel == Channel::InApp && m.person.as_deref() == Some(director.as_str()));
        let d = d.unwrap_or_else(|| panic!("the director's digest: {digests:?}"));
        assert!(d.body.contains(&format!("已参与 1 户（共 {} 户）", roll.len())), "{}", d.body);
        let notices = a.api(Method::GET, "/api/v1/notices", Some(&admin), None).await.text();
        assert!(notices.contains("投票进展"), "{notices}");
        assert_eq!(outbox.len(), 2 * owed + 3, "{outbox:?}");
        assert!(sent >= outbox.len() + digests.len() + leaders.len());

        // the SMTP server got exactly one email per owner owed, with the outbox's Message-ID
        let digest_mails = digests.iter().chain(&leaders).filter(|m| m.channel == Channel::Email).count();
        let mails: Vec<_> = sink
            .wait_for(owed + digest_mails)
            .await
            .into_iter()
            .filter(|m| m["subject"].as_str().unwrap().starts_with("请为"))
            .collect();
        assert_eq!(mails.len(), owed, "{mails:?}");
        let emails: BTreeMap<String, String> = outbox
            .iter()
            .filter(|m| m.channel == Channel::Email)
            .map(|m| (m.recipient.clone(), format!("<{}@gongzhi>", m.id)))
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for m in &mails {
            let to = m["rcpt_tos"][0].as_str().unwrap().to_string();
            assert!(seen.insert(to.clone()), "{to} twice");
            assert_eq!(m["message_id"].as_str(), emails.get(&to).map(String::as_str), "{m}");
            assert!(m["subject"].as_str().unwrap().contains(title), "{m}");
            let unit = to.trim_start_matches("owner-").trim_end_matches("@example.org");
            assert!(m["text"].as_str().unwrap().contains(unit), "the email names the unit: {m}");
        }
        assert!(!seen.contains(&format!("owner-{first}@example.org")), "{first} voted first");
        let expected: std::collections::BTreeSet<String> =
            roll[1..].iter().map(|u| format!("owner-{u}@example.org")).collect();
        assert_eq!(seen, expected);
        // each attempt is on record with the relay's answer
        let one = outbox.iter().find(|m| m.channel == Channel::Email).unwrap();
        let tries = a.store.message_attempts(&a.compound, &one.id).await.unwrap();
        assert_eq!(tries.len(), 1);
        assert!(tries[0].ok && tries[0].answer.starts_with("250"), "{tries:?}");

        // each bot got one message, in its own format, with no unit numbers
        let got = bots.requests();
        assert_eq!(got.len(), 3, "{got:?}");
        let bot_ids: BTreeMap<String, String> =
            outbox.iter().filter(|m| m.channel == Channel::Webhook).map(|m| (m.recipient.clone(), m.id.clone())).collect();
        let by_path = |p: &str| got.iter().find(|r| r.uri.starts_with(p)).unwrap_or_else(|| panic!("{p}: {got:?}")).clone();
        let wecom = by_path("/wecom?key=WECOMKEY123");
        let v: serde_json::Value = serde_json::from_str(&wecom.body).unwrap();
        assert_eq!(v["msgtype"], "text");
        let text = v["text"]["content"].as_str().unwrap();
        // counted as it was sent: one unit had voted
        assert!(text.contains(&format!("还有 {owed} 户没有投票")) && text.contains("12号楼"), "{text}");
        assert!(!roll.iter().any(|u| text.contains(u.as_str())), "no unit numbers in a group: {text}");
        assert_eq!(wecom.headers["idempotency-key"].to_str().unwrap(), bot_ids["12号楼群"]);
        let ding = by_path("/ding?access_token=DINGTOKEN");
        let q: BTreeMap<String, String> = ding.uri.split('?').nth(1).unwrap().split('&')
            .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect();
        let ts = &q["timestamp"];
        use base64::Engine;
        let sign = base64::engine::general_purpose::STANDARD.encode(hmac("SECding", &format!("{ts}\nSECding")));
        let encoded: String = sign.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
        assert_eq!(q["sign"], encoded, "DingTalk's signature");
        let district = by_path("/district");
        let ts = district.headers["x-gongzhi-timestamp"].to_str().unwrap();
        let sig = district.headers["x-gongzhi-signature"].to_str().unwrap();
        assert_eq!(sig, format!("sha256={}", hex(&hmac("district-secret", &format!("{ts}.{}", district.body)))));
        let d: serde_json::Value = serde_json::from_str(&district.body).unwrap();
        assert_eq!((d["id"].as_str().unwrap(), d["kind"].as_str().unwrap()), (bot_ids["街道系统"].as_str(), "vote.bot"));

        // delivered once: nothing more on the next round
        assert_eq!(worker.deliver_once(&a.store, now + 2).await.unwrap(), (0, 0));
        assert_eq!(sink.messages().len(), owed + digest_mails);
        assert_eq!(bots.requests().len(), 3);

        // the staff's delivery log shows them; owners may not see it
        let staff = a.token("staff").await;
        let log = a.api(Method::GET, "/api/v1/deliveries?status=sent", Some(&staff), None).await.json();
        assert!(log["counts"]["sent"].as_i64().unwrap() >= (2 * owed + 3) as i64, "{log}");
        let r = a.api(Method::GET, "/api/v1/deliveries", Some(&voter), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let page = a.page("/deliveries?status=sent", Some(&staff)).await.text();
        assert!(page.contains("owner-") && page.contains("12号楼群"), "{page}");
        let r = a.api(Method::GET, "/api/v1/deliveries?status=lost", Some(&staff), None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_that_keeps_failing_is_a_dead_letter_staff_see_and_send_again_without_its_key_in_any_log() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let bots = Receiver::start().await;
        let admin = a.token("admin").await;
        let b = json!({"name": "12号楼群", "kind": "wecom", "url": format!("{}/wecom?key=TOPSECRETKEY", bots.base)});
        assert_eq!(
            a.api(Method::POST, "/api/v1/settings/webhooks", Some(&admin), Some(b)).await.status,
            StatusCode::CREATED
        );
        // no relay here: the emails fail too, and are retried alongside
        let id = open_building_vote(&a, "12号楼加装电梯").await;
        bots.fail.store(100, std::sync::atomic::Ordering::SeqCst);
        let mut worker = Worker::new(Delivery::default());
        let mut now = gongzhi_core::time::now_ms();
        // the announcement (the scheduled reminders are due later)
        let bot_id = a
            .store
            .delivery_log(&a.compound, None, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.channel == Channel::Webhook && m.about_matter(&id))
            .min_by_key(|m| m.due_at)
            .unwrap()
            .id;
        let bot_msg = || async { a.store.message(&a.compound, &bot_id).await.unwrap().unwrap() };
        for attempt in 1..=gongzhi_store::kit::outbox::MAX_ATTEMPTS {
            now += 7 * 3_600_000; // past every back-off
            worker.deliver_once(&a.store, now).await.unwrap();
            let m = bot_msg().await;
            assert_eq!(m.attempts, attempt);
        }
        let m = bot_msg().await;
        assert_eq!(m.status, Status::Dead);
        let staff = a.token("staff").await;
        let dead = a.api(Method::GET, "/api/v1/deliveries?status=dead", Some(&staff), None).await.json();
        assert!(dead["messages"].as_array().unwrap().iter().any(|x| x["id"] == m.id.as_str()), "{dead}");
        let one = a.api(Method::GET, &format!("/api/v1/deliveries/{}", m.id), Some(&staff), None).await;
        let text = one.text();
        assert_eq!(one.json()["tries"].as_array().unwrap().len(), 8, "{text}");
        assert!(text.contains("HTTP 500") && !text.contains("TOPSECRETKEY"), "{text}");
        let page = a.page("/deliveries?status=dead", Some(&staff)).await.text();
        assert!(page.contains("无法投递") && !page.contains("TOPSECRETKEY"), "{page}");
        // the bot is back: staff send it again and it arrives once
        bots.fail.store(0, std::sync::atomic::Ordering::SeqCst);
        let csrf = a.csrf(&staff).await;
        let r = a.form(&format!("/deliveries/{}/retry", m.id), Some(&staff), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        worker.deliver_once(&a.store, gongzhi_core::time::now_ms() + 1).await.unwrap();
        assert_eq!(bot_msg().await.status, Status::Sent);
        assert_eq!(bots.requests().len(), 1);
        let last = a.store.audit_entries(&a.compound).await.unwrap().pop().unwrap();
        assert_eq!(last.action, "message.retry");
        // an unreachable bot's error names the bot, not its address
        let b = json!({"name": "坏了的群", "kind": "wecom", "url": "http://127.0.0.1:9/x?key=ANOTHERSECRET"});
        assert_eq!(
            a.api(Method::POST, "/api/v1/settings/webhooks", Some(&admin), Some(b)).await.status,
            StatusCode::CREATED
        );
        let r = a.api(Method::POST, &format!("/api/v1/matters/{id}/reminders"), Some(&staff), None).await;
        assert_eq!(r.status, StatusCode::OK);
        worker.deliver_once(&a.store, gongzhi_core::time::now_ms() + 1).await.unwrap();
        let broken = a
            .store
            .delivery_log(&a.compound, Some(Status::Queued), 100_000)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.recipient == "坏了的群")
            .unwrap();
        let why = broken.last_error.unwrap();
        assert!(why.contains("坏了的群") && !why.contains("ANOTHERSECRET"), "{why}");
    })
    .await;
}

#[tokio::test]
async fn my_channels_and_quiet_hours_decide_what_goes_where_and_when() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let unit = "12-101";
        let me = a.token(&format!("owner-{unit}")).await;
        let got = a.api(Method::GET, "/api/v1/me/channels", Some(&me), None).await.json();
        assert_eq!(got["email"], format!("owner-{unit}@example.org"), "every demo owner has an address");
        assert_eq!((got["in_app"].as_bool(), got["by_email"].as_bool()), (Some(true), Some(true)));
        // refusals name the field
        for (body, field) in [
            (json!({"email": "not-an-address", "in_app": true, "by_email": true}), "email"),
            (json!({"in_app": true, "by_email": true}), "email"),
            (json!({"email": "a@b.org", "in_app": true, "by_email": true, "quiet_from": "22:00"}), "quiet_to"),
            (json!({"email": "a@b.org", "in_app": true, "by_email": true, "quiet_from": "25:00", "quiet_to": "07:00"}), "quiet_from"),
        ] {
            let r = a.api(Method::PUT, "/api/v1/me/channels", Some(&me), Some(body.clone())).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(r.text().contains(field), "{body}: {}", r.text());
        }
        // email only, never at night
        let body = json!({"email": "wang@example.org", "in_app": false, "by_email": true, "quiet_from": "00:00", "quiet_to": "23:59"});
        let r = a.api(Method::PUT, "/api/v1/me/channels", Some(&me), Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // a neighbour chooses nothing: listed for a paper notice or a visit
        let other = a.token("owner-12-102").await;
        let r = a
            .api(Method::PUT, "/api/v1/me/channels", Some(&other), Some(json!({"in_app": false, "by_email": false})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());

        let id = open_building_vote(&a, "12号楼加装电梯").await;
        let mine: Vec<_> = a
            .store
            .delivery_log(&a.compound, Some(Status::Queued), 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.about_matter(&id) && m.person.is_some())
            .collect();
        let of = |who: &str| mine.iter().filter(|m| m.subject.contains("12号楼") && m.body.contains(who)).cloned().collect::<Vec<_>>();
        let wang = of(unit);
        assert!(wang.iter().all(|m| m.channel == Channel::Email && m.recipient == "wang@example.org"), "{wang:?}");
        // the announcement waits for 23:59 in Shanghai
        let now = gongzhi_core::time::now_ms();
        let announce = wang.iter().min_by_key(|m| m.due_at).unwrap();
        let q = gongzhi_core::accounts::reach::QuietHours { from: 0, to: 23 * 60 + 59 };
        assert_eq!(gongzhi_core::time::datetime(announce.due_at)[11..], *"23:59");
        assert!(announce.due_at >= q.next_allowed(now) - 60_000 && announce.due_at > now - 1);
        assert!(of("12-102").is_empty(), "no channel, no message");
        let unreached = a.api(Method::GET, &format!("/api/v1/matters/{id}/unreached"), Some(&a.token("staff").await), None).await;
        assert_eq!(unreached.status, StatusCode::OK, "{}", unreached.text());
        let u = unreached.json();
        assert!(u.as_array().unwrap().iter().any(|x| x["unit"] == "12-102"), "{u}");
        assert!(!u.as_array().unwrap().iter().any(|x| x["unit"] == unit), "{u}");
        // the page form saves too, and shows a refusal with the field marked
        let csrf = a.csrf(&me).await;
        let r = a
            .form("/me/channels", Some(&me), &[("csrf", &csrf), ("email", "bad"), ("by_email", "on"), ("quiet_from", ""), ("quiet_to", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("aria-invalid") && r.text().contains("value=\"bad\""), "{}", r.text());
        let r = a.form("/me/channels", Some(&me), &[("csrf", &csrf), ("email", ""), ("in_app", "on")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let got = a.api(Method::GET, "/api/v1/me/channels", Some(&me), None).await.json();
        assert_eq!(got, json!({"email": null, "in_app": true, "by_email": false, "quiet_from": null, "quiet_to": null, "calendar": false}));
    })
    .await;
}

#[tokio::test]
async fn a_calendar_feed_reads_in_a_real_parser_and_stops_when_revoked() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let me = a.token("owner-13-701").await;
        assert_eq!(a.api(Method::GET, "/calendar.ics?key=nothing", None, None).await.status, StatusCode::NOT_FOUND);
        let r = a.api(Method::POST, "/api/v1/me/calendar", Some(&me), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let url = r.json()["url"].as_str().unwrap().to_string();
        let path = url.split_once("127.0.0.1:8080").unwrap().1.to_string();
        let feed = a.api(Method::GET, &path, None, None).await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(feed.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
        // Python's icalendar reads it: every event with its UID, summary and all-day dates
        let check = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
assert cal.get("VERSION") == "2.0", cal.get("VERSION")
out = []
for e in cal.walk("VEVENT"):
    assert e.get("UID") and e.get("DTSTAMP"), e
    s, t = e.decoded("DTSTART"), e.decoded("DTEND")
    assert t > s, (s, t)
    out.append({"uid": str(e.get("UID")), "summary": str(e.get("SUMMARY")), "start": s.isoformat(), "end": t.isoformat()})
print(json.dumps(out, ensure_ascii=False))
"#;
        let mut child = std::process::Command::new(python())
            .args(["-c", check])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&feed.body).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "icalendar: {}", String::from_utf8_lossy(&out.stderr));
        let events: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let evote = a.store.matter(&a.compound, &a.matter_id(EVOTE).await).await.unwrap();
        let e = events.as_array().unwrap().iter().find(|e| e["summary"].as_str().unwrap().contains(EVOTE)).expect("the open vote");
        assert_eq!(e["start"], gongzhi_core::time::date(evote.window_start.unwrap()));
        let after_end = jiff::civil::Date::strptime("%Y-%m-%d", gongzhi_core::time::date(evote.window_end.unwrap())).unwrap().tomorrow().unwrap();
        assert_eq!(e["end"], after_end.to_string(), "DTEND is the day after the last");
        // a new address revokes the old; revoking leaves none
        let page = a.page("/me/channels", Some(&me)).await.text();
        assert!(page.contains("id=\"calendar-active\"") && !page.contains(&url), "the address is shown once only");
        let r = a.api(Method::POST, "/api/v1/me/calendar", Some(&me), None).await;
        let url2 = r.json()["url"].as_str().unwrap().to_string();
        assert_ne!(url, url2);
        assert_eq!(a.api(Method::GET, &path, None, None).await.status, StatusCode::NOT_FOUND);
        let path2 = url2.split_once("127.0.0.1:8080").unwrap().1.to_string();
        assert_eq!(a.api(Method::GET, &path2, None, None).await.status, StatusCode::OK);
        assert_eq!(a.api(Method::DELETE, "/api/v1/me/calendar", Some(&me), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(a.api(Method::GET, &path2, None, None).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
