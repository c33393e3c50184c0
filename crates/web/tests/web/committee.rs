//! The owners' committee: the demo's committee of the director and seven members, its even
//! number of seats flagged and explained, and its change of term as a timeline whose steps the
//! director records, each refusal naming the field.

use crate::common::*;
use axum::http::{Method, StatusCode};
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::json;

#[tokio::test]
async fn the_committee_shows_its_even_seats_and_its_change_of_term_and_the_director_records_a_step() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let page = a.page("/committee", Some(&owner)).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("<dd id=\"seats\">8</dd>"), "{text}");
        assert!(text.contains("如 7 或 9 个"), "the even seats explained: {text}");
        assert_eq!(text.matches("中共党员").count(), 5, "five party members");
        assert!(text.contains("id=\"step-report\"") && text.contains("已于"), "the report is done: {text}");
        assert!(!text.contains("action=\"/committee/steps\""), "an owner records nothing");

        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["seats"], 8);
        assert_eq!(c["members"].as_array().unwrap().len(), 8);
        assert_eq!(c["members"][0]["office"], "director");
        assert!(c["findings"].as_array().unwrap().iter().any(|f| f["code"] == "committee.seats-even"), "{c}");
        let steps = c["timeline"].as_array().unwrap();
        assert_eq!(steps.len(), 6);
        assert_eq!(steps[0]["step"], "report");
        assert!(steps[0]["done"].is_string(), "{c}");
        assert_eq!((steps[1]["step"].as_str(), steps[1]["status"]["status"].as_str()), (Some("group"), Some("due")));
        assert_eq!(steps[2]["provisional"], true, "the handover counts from the group, not formed yet");
        // the term ends in about four months
        let end = jiff::civil::Date::strptime("%Y-%m-%d", c["term_end"].as_str().unwrap()).unwrap();
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let left = (end - today).get_days();
        assert!((100..=130).contains(&left) || end > today, "{left} days left");

        // an owner may not record a step
        let today_s = today.to_string();
        let r = a
            .api(Method::POST, "/api/v1/committee/steps", Some(&owner), Some(json!({"step": "group", "on": today_s})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let d = a.token("admin").await;
        for (body, field) in [
            (json!({"step": "party", "on": today_s}), "step"),
            (json!({"step": "group", "on": "2099-01-01"}), "on"),
            (json!({"step": "group", "on": "yesterday"}), "on"),
        ] {
            let r = a.api(Method::POST, "/api/v1/committee/steps", Some(&d), Some(body.clone())).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(r.text().contains(field), "{body}: {}", r.text());
        }
        let r = a
            .api(Method::POST, "/api/v1/committee/steps", Some(&d), Some(json!({"step": "group", "on": today_s})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let c = r.json();
        assert_eq!(c["timeline"][1]["done"], today_s.as_str());
        assert_eq!(c["timeline"][2]["provisional"], false, "the handover's deadline now counts from today");
        let last = a.store.audit_entries(&a.compound).await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.detail.as_str()),
            ("committee.step", format!("group_formed={today_s}").as_str())
        );
        // the page form, for the handover
        let csrf = a.csrf(&d).await;
        let r = a.form("/committee/steps", Some(&d), &[("csrf", &csrf), ("step", "handover"), ("on", &today_s)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let text = a.page("/committee?saved=1", Some(&d)).await.text();
        assert!(text.contains("id=\"step-saved\""), "{text}");
        let r =
            a.form("/committee/steps", Some(&d), &[("csrf", &csrf), ("step", "election"), ("on", "2099-01-01")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"refused\""));
    })
    .await;
}

#[tokio::test]
async fn a_meeting_without_its_quorum_cannot_decide_and_a_decision_not_posted_in_three_days_is_flagged() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let d = a.token("admin").await;
        let c = a.api(Method::GET, "/api/v1/committee", Some(&d), None).await.json();
        let names: Vec<String> =
            c["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let ago = |n: i64| today.checked_sub(jiff::Span::new().days(n)).unwrap().to_string();
        // an owner keeps no minutes
        let owner = a.token("owner-13-701").await;
        let r = a
            .api(
                Method::POST,
                "/api/v1/committee/meetings",
                Some(&owner),
                Some(json!({"held_on": ago(0), "attendees": []})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // four of eight: recorded, but it cannot decide
        let body = json!({"held_on": ago(1), "rc_invited": true, "attendees": names[..4]});
        let r = a.api(Method::POST, "/api/v1/committee/meetings", Some(&d), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let thin = r.json()["id"].as_str().unwrap().to_string();
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/committee/meetings/{thin}/decisions"),
                Some(&d),
                Some(json!({"title": "聘请审计机构", "signed": names[..4]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert_eq!(r.json()["code"], "committee.no-quorum");
        // a stranger at the table is refused by name
        let r = a
            .api(
                Method::POST,
                "/api/v1/committee/meetings",
                Some(&d),
                Some(json!({"held_on": ago(1), "attendees": ["不是委员"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("不是委员"), "{}", r.text());
        // five of eight, ten days ago: it decides; five signatures adopt, four do not
        let body = json!({"held_on": ago(10), "rc_invited": true, "attendees": names[..5]});
        let full = a.api(Method::POST, "/api/v1/committee/meetings", Some(&d), Some(body)).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let decide = |title: &'static str, n: usize| {
            let (a, d, full, names) = (&a, &d, &full, &names);
            async move {
                let b = json!({"title": title, "body": "从公共收益中列支。", "signed": names[..n]});
                a.api(Method::POST, &format!("/api/v1/committee/meetings/{full}/decisions"), Some(d), Some(b)).await
            }
        };
        let yes = decide("修建南侧便道", 5).await;
        assert_eq!(yes.status, StatusCode::CREATED, "{}", yes.text());
        let no = decide("更换门禁", 4).await;
        assert_eq!(no.status, StatusCode::CREATED, "{}", no.text());
        let m = a.api(Method::GET, "/api/v1/committee/meetings", Some(&owner), None).await.json();
        let by_id = |m: &serde_json::Value, id: &str| {
            m["meetings"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap().clone()
        };
        let ds = &by_id(&m, &full)["decisions"];
        assert_eq!(
            (ds[0]["adopted"].as_bool(), ds[0]["agreed"].as_u64(), ds[0]["all"].as_u64()),
            (Some(true), Some(5), Some(8))
        );
        assert_eq!(ds[1]["adopted"], false, "four of eight is not more than half of all members");
        assert_eq!(by_id(&m, &thin)["quorate"], false);
        assert_eq!(by_id(&m, &full)["quorate"], true);
        let codes: Vec<&str> = m["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, vec!["committee.decision-not-posted"], "only the adopted one must be posted: {m}");
        let page = a.page("/committee/meetings", Some(&owner)).await.text();
        assert!(page.contains("未达到法定人数") && page.contains("修建南侧便道") && page.contains("已逾期"), "{page}");
        // the director and staff are reminded to post it on its last day, and of the next meeting
        use gongzhi_store::kit::outbox::Status;
        let id = ds[0]["id"].as_str().unwrap();
        let queued = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        let director = a.store.session_account(&d).await.unwrap().unwrap().0.account_id;
        let post: Vec<_> =
            queued.iter().filter(|m| m.kind == "committee.post-decision" && m.about.as_deref() == Some(id)).collect();
        assert!(
            post.iter().any(|m| m.person.as_deref() == Some(director.as_str()) && m.subject.contains("修建南侧便道")),
            "{post:?}"
        );
        let next: Vec<_> = queued.iter().filter(|m| m.kind == "committee.next-meeting").collect();
        assert!(!next.is_empty(), "the next meeting's reminder");
        let once: std::collections::HashSet<_> = next.iter().map(|m| (m.person.clone(), m.channel.as_str())).collect();
        assert_eq!(once.len(), next.len(), "one reminder a person and channel, the earlier ones withdrawn: {next:?}");
        // posted today, late: flagged as late
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/committee/decisions/{id}/posted"),
                Some(&d),
                Some(json!({"posted_on": ago(0)})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let m = a.api(Method::GET, "/api/v1/committee/meetings", Some(&d), None).await.json();
        let codes: Vec<&str> = m["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, vec!["committee.decision-posted-late"]);
        let left = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        assert!(
            !left.iter().any(|m| m.kind == "committee.post-decision" && m.about.as_deref() == Some(id)),
            "withdrawn once posted"
        );
        // the page forms
        let csrf = a.csrf(&d).await;
        let today_s = ago(0);
        let fields: Vec<(&str, &str)> =
            vec![("csrf", &csrf), ("held_on", &today_s), ("attendee", &names[0]), ("attendee", &names[1])];
        let r = a.form("/committee/meetings", Some(&d), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = a.form("/committee/meetings", Some(&d), &[("csrf", &csrf), ("held_on", "2099-01-01")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("held_on"));
    })
    .await;
}
