//! Waste sorting duty: the demo's two stations and month's roster (every rule held, checked by
//! core's independent check); a two-day roster built by the organiser; a volunteer checks in on
//! the day and swaps a shift with another, who accepts; the refusals name what is wrong.

use crate::common::*;
use axum::http::{Method, StatusCode};
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::json;

#[tokio::test]
async fn the_demo_roster_holds_every_rule_and_a_volunteer_checks_in_and_swaps() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let staff = a.token("staff").await;
        let st = a.api(Method::GET, "/api/v1/waste/stations", Some(&owner), None).await.json();
        assert_eq!(st.as_array().unwrap().len(), 2);
        assert_eq!(st[0]["bins"], json!(["recyclable", "hazardous", "wet", "dry"]));
        assert_eq!(st[0]["windows"], json!(["07:00-09:00", "18:00-20:00"]));
        // the demo's month: every constraint holds (core's own check), every place a roster can fill is filled
        let p = a.store.current_period(&a.compound).await.unwrap().unwrap();
        let pb = a.store.waste_problem(&a.compound, p.first_day, p.days, p.need).await.unwrap();
        assert_eq!(gongzhi_core::waste::violations(&pb, &p.assignment), vec![]);
        let r = a.api(Method::GET, "/api/v1/waste/roster", Some(&owner), None).await.json();
        assert_eq!(r["places"], 120, "2 stations × 2 windows × 30 days");
        let gaps = r["gaps"].as_array().unwrap();
        assert_eq!(
            r["covered"].as_u64().unwrap() + gaps.iter().map(|g| g["missing"].as_u64().unwrap()).sum::<u64>(),
            120
        );
        let page = a.page("/waste", Some(&owner)).await.text();
        assert!(page.contains("id=\"stations\"") && page.contains("湿垃圾") && !page.contains("roster-form"), "{page}");

        // the organiser builds today and tomorrow: owners may not
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let body = json!({"first_day": today.to_string(), "days": 2});
        assert_eq!(
            a.api(Method::POST, "/api/v1/waste/roster", Some(&owner), Some(body.clone())).await.status,
            StatusCode::FORBIDDEN
        );
        let r = a
            .api(Method::POST, "/api/v1/waste/roster", Some(&staff), Some(json!({"first_day": "soon", "days": 2})))
            .await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("first_day"), "{}", r.text());
        let r = a.api(Method::POST, "/api/v1/waste/roster", Some(&staff), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let r = r.json();
        let assignments = r["assignments"].as_object().unwrap().clone();
        // a volunteer on one of today's shifts checks in; not on tomorrow's
        let (shift, who) = assignments
            .iter()
            .find(|(s, _)| s.contains(&today.to_string()))
            .map(|(s, v)| (s.clone(), v[0].as_str().unwrap().to_string()))
            .expect("a shift today");
        let vol = a.token(&who).await;
        assert_eq!(
            a.api(Method::POST, "/api/v1/waste/checkins", Some(&owner), Some(json!({"shift": shift}))).await.status,
            StatusCode::NOT_FOUND,
            "not a volunteer"
        );
        let r = a.api(Method::POST, "/api/v1/waste/checkins", Some(&vol), Some(json!({"shift": shift}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        // the volunteer's shifts are in their calendar feed
        let url = a.api(Method::POST, "/api/v1/me/calendar", Some(&vol), None).await.json()["url"]
            .as_str()
            .unwrap()
            .to_string();
        let feed = a.api(Method::GET, url.split_once("127.0.0.1:8080").unwrap().1, None, None).await.text();
        assert!(feed.contains("垃圾分类值守") && feed.contains("UID:shift-"), "{feed}");
        let me = a.api(Method::GET, "/api/v1/waste/me", Some(&vol), None).await.json();
        assert!(
            me["shifts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["shift"] == shift.as_str() && s["status"] == "checked-in"),
            "{me}"
        );
        if let Some((later, _)) = assignments
            .iter()
            .find(|(s, v)| !s.contains(&today.to_string()) && v.as_array().unwrap().iter().any(|x| x == who.as_str()))
        {
            let r = a.api(Method::POST, "/api/v1/waste/checkins", Some(&vol), Some(json!({"shift": later}))).await;
            assert_eq!(r.status, StatusCode::CONFLICT);
            assert!(r.text().contains("waste.check-in-day"));
        }
        // the organiser marks a no-show on another shift
        let (s2, w2) = assignments
            .iter()
            .find(|(s, _)| **s != shift)
            .map(|(s, v)| (s.clone(), v[0].as_str().unwrap().to_string()))
            .unwrap();
        let r = a
            .api(Method::POST, "/api/v1/waste/no-shows", Some(&staff), Some(json!({"shift": s2, "volunteer": w2})))
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());

        // a swap: offered to someone free then, accepted; the roster changes
        let (give, from) = assignments
            .iter()
            .find(|(s, v)| **s != shift && v[0] != w2.as_str())
            .map(|(s, v)| (s.clone(), v[0].as_str().unwrap().to_string()))
            .unwrap();
        let p = a.store.current_period(&a.compound).await.unwrap().unwrap();
        let pb = a.store.waste_problem(&a.compound, p.first_day, p.days, p.need).await.unwrap();
        let free =
            gongzhi_core::waste::cover_candidates(&pb, &p.assignment, &gongzhi_core::waste::ShiftId(give.clone()))
                .unwrap();
        let to = free.into_iter().find(|x| x.as_str() != from).expect("someone free").to_string();
        let giver = a.token(&from).await;
        let r = a.api(Method::POST, "/api/v1/waste/swaps", Some(&giver), Some(json!({"shift": shift, "to": to}))).await;
        assert!(r.status.is_client_error(), "not theirs to give: {}", r.text());
        let r = a.api(Method::POST, "/api/v1/waste/swaps", Some(&giver), Some(json!({"shift": give, "to": to}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let swap = r.json()["id"].as_str().unwrap().to_string();
        let uri = format!("/api/v1/waste/swaps/{swap}");
        assert_eq!(
            a.api(Method::POST, &uri, Some(&giver), Some(json!({"answer": "accept"}))).await.status,
            StatusCode::FORBIDDEN,
            "only the one asked"
        );
        let taker = a.token(&to).await;
        let me = a.api(Method::GET, "/api/v1/waste/me", Some(&taker), None).await.json();
        assert!(me["offers"].as_array().unwrap().iter().any(|o| o["id"] == swap.as_str()), "{me}");
        assert_eq!(
            a.api(Method::POST, &uri, Some(&taker), Some(json!({"answer": "accept"}))).await.status,
            StatusCode::NO_CONTENT
        );
        let r = a.api(Method::GET, "/api/v1/waste/roster", Some(&owner), None).await.json();
        assert_eq!(r["assignments"][give.as_str()], json!([to]));
        assert_eq!(
            a.api(Method::POST, &uri, Some(&taker), Some(json!({"answer": "accept"}))).await.status,
            StatusCode::NOT_FOUND,
            "answered"
        );
        let p = a.store.current_period(&a.compound).await.unwrap().unwrap();
        assert_eq!(gongzhi_core::waste::violations(&pb, &p.assignment), vec![], "the swapped roster holds every rule");
    })
    .await;
}
