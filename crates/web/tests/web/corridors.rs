//! Corridor renovation: the demo's round of 33 plans reviewed, both schedules shown with every
//! building's explanation, the best-value one adopted and part done; a new round run through the
//! API by the people the policy names, each refusal naming its field.

use crate::common::*;
use axum::http::{Method, StatusCode};
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::json;

fn yuan(s: &str) -> i64 {
    gongzhi_core::kit::Money::parse(s).unwrap().fen()
}

#[tokio::test]
async fn the_demo_round_shows_both_schedules_with_every_buildings_reason_and_its_adopted_progress() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let rounds = a.api(Method::GET, "/api/v1/corridors", Some(&owner), None).await.json();
        assert_eq!(rounds[0]["stage"], "adopted");
        let id = rounds[0]["id"].as_str().unwrap().to_string();
        let r = a.api(Method::GET, &format!("/api/v1/corridors/{id}"), Some(&owner), None).await.json();
        let plans = r["plans"].as_array().unwrap();
        assert_eq!(plans.len(), 33);
        assert!(plans.iter().all(|p| p["reviewers"].as_array().unwrap().len() == 2 && p["late"] == false));
        for policy in ["strict", "best-value"] {
            let s = &r["schedules"][policy];
            assert_eq!(s["explanations"].as_object().unwrap().len(), 33, "{policy}");
            for (ph, budget) in s["phases"].as_array().unwrap().iter().zip(r["phases"].as_array().unwrap()) {
                assert!(
                    yuan(ph["cost"].as_str().unwrap()) <= yuan(budget["budget"].as_str().unwrap()),
                    "{policy}: {ph}"
                );
                assert!(ph["buildings"].as_array().unwrap().len() as u64 <= budget["capacity"].as_u64().unwrap());
            }
        }
        let best: f64 = r["schedules"]["best-value"]["objective"].as_str().unwrap().parse().unwrap();
        let strict: f64 = r["schedules"]["strict"]["objective"].as_str().unwrap().parse().unwrap();
        assert!(best <= strict, "best value is never worse than strict: {best} vs {strict}");
        // the adopted schedule is the recommended best-value one, phase 1 accepted
        for p in plans {
            let phase = p["phase"].as_u64();
            let b = p["building"].as_str().unwrap();
            let in_best = r["schedules"]["best-value"]["phases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|ph| ph["buildings"].as_array().unwrap().iter().any(|x| x == b))
                .map(|ph| ph["phase"].as_u64().unwrap());
            assert_eq!(phase, in_best, "building {b}");
            if phase == Some(1) {
                assert_eq!(p["progress"], "accepted");
            }
        }
        assert!(r["phases"][0]["actual"].is_string());
        let page = a.page(&format!("/corridors/{id}"), Some(&owner)).await.text();
        assert!(
            page.contains("id=\"schedule-strict\"")
                && page.contains("id=\"schedule-best-value\"")
                && page.contains("id=\"why-7\""),
            "{page}"
        );
        let notice = a.page(&format!("/corridors/{id}/schedule"), Some(&owner)).await.text();
        assert!(notice.contains("<svg") && notice.contains("schedule-why"), "{notice}");
    })
    .await;
}

#[tokio::test]
async fn a_round_is_called_planned_scored_recommended_returned_then_adopted_and_followed() {
    use gongzhi_store::kit::outbox::Status;
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let staff = a.token("staff").await;
        let leader = a.token("owner-4-201").await;
        let admin = a.token("admin").await;
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let deadline = today.checked_add(jiff::Span::new().days(14)).unwrap().to_string();
        let body = json!({"title": "二期楼道", "deadline": deadline, "phases": [{"label": "一季度", "budget": "100000", "capacity": 1}, {"label": "二季度", "budget": "100000", "capacity": 1}]});
        assert_eq!(a.api(Method::POST, "/api/v1/corridors", Some(&owner), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
        let mut bad = body.clone();
        bad["phases"][1]["budget"] = json!("-5");
        let r = a.api(Method::POST, "/api/v1/corridors", Some(&staff), Some(bad)).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("phases[1].budget"), "{}", r.text());
        let r = a.api(Method::POST, "/api/v1/corridors", Some(&staff), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();

        // building 4's leader submits for building 4 only; each bad field named
        let plan = |cost: &str, sig: u32| json!({"works": ["walls", "lights"], "cost": cost, "signatures": sig});
        let uri = |b: &str| format!("/api/v1/corridors/{id}/plans/{b}");
        assert_eq!(a.api(Method::PUT, &uri("5"), Some(&leader), Some(plan("60000", 3))).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::PUT, &uri("4"), Some(&leader), Some(plan("60000", 99))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("signatures"), "{}", r.text());
        let r = a.api(Method::PUT, &uri("4"), Some(&leader), Some(json!({"works": ["roof"], "cost": "1", "signatures": 1}))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("works"), "{}", r.text());
        assert_eq!(a.api(Method::PUT, &uri("4"), Some(&leader), Some(plan("60000", 10))).await.status, StatusCode::NO_CONTENT);
        assert_eq!(a.api(Method::PUT, &uri("4"), Some(&leader), Some(plan("55000.50", 12))).await.status, StatusCode::NO_CONTENT, "revised");
        let leader12 = a.token("owner-12-201").await;
        assert_eq!(a.api(Method::PUT, &uri("12"), Some(&leader12), Some(plan("90000", 10))).await.status, StatusCode::NO_CONTENT);

        // a photo of the plan, served only as a download
        let csrf = a.csrf(&leader).await;
        let jpeg: &[u8] = b"\xff\xd8\xff\xe0fake jpeg";
        let r = a.multipart(&format!("/corridors/{id}/photos"), &leader, &[("csrf", &csrf), ("building", "5"), ("kind", "plan")], &[("photo", "a.jpg", "image/jpeg", jpeg)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "another building's plan");
        let r = a.multipart(&format!("/corridors/{id}/photos"), &leader, &[("csrf", &csrf), ("building", "4"), ("kind", "plan")], &[("photo", "corridor.html", "text/html", b"<script>alert(1)</script>")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = a.api(Method::GET, &format!("/api/v1/corridors/{id}"), Some(&owner), None).await.json();
        let url = r["plans"].as_array().unwrap().iter().find(|p| p["building"] == "4").unwrap()["photos"][0]["url"].as_str().unwrap().to_string();
        let got = a.api(Method::GET, &url, Some(&owner), None).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.headers["content-type"], "application/octet-stream", "an .html upload is a plain download");
        assert_eq!(got.headers["content-disposition"], "attachment");
        assert!(got.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));

        // scoring: five criteria, 0 to 10; a reviewer living in the building abstains
        let marks = |m: &[&str]| json!({"marks": m});
        let mu = |b: &str| format!("/api/v1/corridors/{id}/plans/{b}/marks");
        assert_eq!(a.api(Method::PUT, &mu("4"), Some(&owner), Some(marks(&["8"; 5]))).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::PUT, &mu("4"), Some(&staff), Some(marks(&["8", "8"]))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("corridors.bad-marks"), "{}", r.text());
        let r = a.api(Method::PUT, &mu("4"), Some(&staff), Some(marks(&["8", "8", "8", "8", "11"]))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(a.api(Method::PUT, &mu("4"), Some(&staff), Some(marks(&["9", "8.5", "7", "9", "6"]))).await.status, StatusCode::NO_CONTENT);
        assert_eq!(a.api(Method::PUT, &mu("12"), Some(&staff), Some(marks(&["5", "5", "5", "5", "5"]))).await.status, StatusCode::NO_CONTENT);
        let b4 = gongzhi_core::registry::BuildingNo::parse("4").unwrap();
        let err = a.store.score_corridor_plan(&a.compound, &id, &b4, ("p", "p"), &["4".into()], &[500; 5], gongzhi_store::Actor::SYSTEM).await.unwrap_err();
        assert!(matches!(&err, gongzhi_store::StoreError::Refused(r) if r.code() == "corridors.reviewer-abstains"), "{err}");
        let r = a.api(Method::GET, &format!("/api/v1/corridors/{id}"), Some(&owner), None).await.json();
        // (3·9 + 2·8.5 + 2·7 + 2·9 + 1·6) / 10 = 8.2
        let p4 = r["plans"].as_array().unwrap().iter().find(|p| p["building"] == "4").unwrap().clone();
        assert_eq!((p4["score"].as_str(), p4["revised"].as_bool(), p4["cost"].as_str()), (Some("8.20"), Some(true), Some("55000.50")));
        // building 4 scores higher and fits phase 1; 12 goes to phase 2 (one building a phase)
        assert_eq!(r["schedules"]["strict"]["phases"][0]["buildings"], json!(["4"]));
        assert_eq!(r["schedules"]["strict"]["phases"][1]["buildings"], json!(["12"]));

        // the residents' committee recommends; the director returns it, with a reason, then adopts
        let rec = format!("/api/v1/corridors/{id}/recommendation");
        assert_eq!(a.api(Method::POST, &rec, Some(&admin), Some(json!({"policy": "strict"}))).await.status, StatusCode::FORBIDDEN);
        assert_eq!(a.api(Method::POST, &rec, Some(&staff), Some(json!({"policy": "strict", "reason": "按评分"}))).await.status, StatusCode::NO_CONTENT);
        let dec = format!("/api/v1/corridors/{id}/decision");
        assert_eq!(a.api(Method::POST, &dec, Some(&staff), Some(json!({"decision": "adopt"}))).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::POST, &dec, Some(&admin), Some(json!({"decision": "return"}))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("reason"), "{}", r.text());
        assert_eq!(a.api(Method::POST, &dec, Some(&admin), Some(json!({"decision": "return", "reason": "请比较两种方案"}))).await.status, StatusCode::NO_CONTENT);
        let r = a.api(Method::GET, &format!("/api/v1/corridors/{id}"), Some(&owner), None).await.json();
        assert_eq!((r["stage"].as_str(), r["return_reason"].as_str()), (Some("returned"), Some("请比较两种方案")));
        assert_eq!(a.api(Method::POST, &rec, Some(&staff), Some(json!({"policy": "best-value"}))).await.status, StatusCode::NO_CONTENT);
        assert_eq!(a.api(Method::POST, &dec, Some(&admin), Some(json!({"decision": "adopt"}))).await.status, StatusCode::NO_CONTENT);
        let r = a.api(Method::GET, &format!("/api/v1/corridors/{id}"), Some(&owner), None).await.json();
        assert_eq!((r["stage"].as_str(), r["recommended"].as_str()), (Some("adopted"), Some("best-value")));
        // to be posted within 3 days: the keepers are reminded, withdrawn once posted
        let queued = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        assert!(queued.iter().any(|m| m.kind == "corridors.post-schedule" && m.about.as_deref() == Some(id.as_str())));
        let r = a.api(Method::POST, &format!("/api/v1/corridors/{id}/posted"), Some(&admin), Some(json!({"on": today.to_string()}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let left = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        assert!(!left.iter().any(|m| m.kind == "corridors.post-schedule" && m.about.as_deref() == Some(id.as_str())));
        // plans no longer change
        assert_eq!(a.api(Method::PUT, &uri("4"), Some(&leader), Some(plan("1", 1))).await.status, StatusCode::CONFLICT);

        // progress: staff record it, the building's leader accepts
        let pr = |b: &str| format!("/api/v1/corridors/{id}/progress/{b}");
        assert_eq!(a.api(Method::PUT, &pr("4"), Some(&leader), Some(json!({"progress": "done"}))).await.status, StatusCode::FORBIDDEN);
        assert_eq!(a.api(Method::PUT, &pr("4"), Some(&staff), Some(json!({"progress": "done"}))).await.status, StatusCode::NO_CONTENT);
        assert_eq!(a.api(Method::PUT, &pr("12"), Some(&leader), Some(json!({"progress": "accepted"}))).await.status, StatusCode::FORBIDDEN);
        assert_eq!(a.api(Method::PUT, &pr("4"), Some(&leader), Some(json!({"progress": "accepted", "note": "验收合格"}))).await.status, StatusCode::NO_CONTENT);
        let r = a.api(Method::PUT, &format!("/api/v1/corridors/{id}/phases/1/actual"), Some(&staff), Some(json!({"actual": "54000"}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = a.api(Method::GET, &format!("/api/v1/corridors/{id}"), Some(&owner), None).await.json();
        let p4 = r["plans"].as_array().unwrap().iter().find(|p| p["building"] == "4").unwrap().clone();
        assert_eq!((p4["progress"].as_str(), p4["phase"].as_u64()), (Some("accepted"), Some(1)));
        assert_eq!(r["phases"][0]["actual"], "54000.00");
    })
    .await;
}
