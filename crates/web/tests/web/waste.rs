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
        assert_eq!(r["places"], 119, "2 stations × 2 windows × 30 days, less the demo's north evening closed");
        let gaps = r["gaps"].as_array().unwrap();
        assert_eq!(
            r["covered"].as_u64().unwrap() + gaps.iter().map(|g| g["missing"].as_u64().unwrap()).sum::<u64>(),
            119
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

/// The shift ids of a roster's assignments on `day` at `station`, with who is on each.
fn on_day(roster: &serde_json::Value, station: &str, day: &str) -> Vec<(String, Vec<String>)> {
    roster["assignments"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(s, _)| s.starts_with(&format!("{station}/{day}")))
        .map(|(s, v)| (s.clone(), v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()))
        .collect()
}

#[tokio::test]
async fn the_organiser_changes_a_day_and_volunteers_cover_record_and_set_their_availability() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let staff = a.token("staff").await;
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let day = |n: i64| today.checked_add(jiff::Span::new().days(n)).unwrap().to_string();

        // stations: the organiser adds one; its faults are refused by field; owners may not
        let east = json!({"name": "东侧临时点", "building_group": "东区", "bins": ["wet", "dry"],
            "windows": ["07:00-09:00"], "households": 400});
        assert_eq!(
            a.api(Method::PUT, "/api/v1/waste/stations/east", Some(&owner), Some(east.clone())).await.status,
            StatusCode::FORBIDDEN
        );
        let mut glass = east.clone();
        glass["bins"] = json!(["glass"]);
        let r = a.api(Method::PUT, "/api/v1/waste/stations/east", Some(&staff), Some(glass)).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("bins"), "{}", r.text());
        let mut unpaired = east.clone();
        unpaired["bins"] = json!(["wet"]);
        let r = a.api(Method::PUT, "/api/v1/waste/stations/east", Some(&staff), Some(unpaired)).await;
        assert!(r.text().contains("waste.wet-dry-not-paired"), "{}", r.text());
        let mut huge = east.clone();
        huge["households"] = json!(2_147_483_648u64);
        let r = a.api(Method::PUT, "/api/v1/waste/stations/east", Some(&staff), Some(huge)).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("households"), "{}", r.text());
        let r = a.api(Method::PUT, "/api/v1/waste/stations/east", Some(&staff), Some(east)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["windows"], json!(["07:00-09:00"]));
        let st = a.api(Method::GET, "/api/v1/waste/stations", Some(&owner), None).await.json();
        assert_eq!(st.as_array().unwrap().len(), 3);

        // a holiday change closes the south station on one day: its places leave the roster and
        // the roster still holds every rule
        let before = a.api(Method::GET, "/api/v1/waste/roster", Some(&owner), None).await.json();
        assert_eq!(before["places"], 149, "119 of the demo's stations and 30 mornings of the new one");
        let d6 = day(6);
        let on: usize = on_day(&before, "south", &d6).iter().map(|(_, v)| v.len()).sum();
        assert!(on > 0, "the demo's roster has south places on {d6}");
        let r = a
            .api(
                Method::POST,
                "/api/v1/waste/stations/south/changes",
                Some(&staff),
                Some(json!({"day": d6, "windows": [], "note": "节日停开"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["taken_off"], on);
        let after = a.api(Method::GET, "/api/v1/waste/roster", Some(&owner), None).await.json();
        assert_eq!(after["places"], 147);
        assert!(on_day(&after, "south", &d6).is_empty(), "{after}");
        let p = a.store.current_period(&a.compound).await.unwrap().unwrap();
        let pb = a.store.waste_problem(&a.compound, p.first_day, p.days, p.need).await.unwrap();
        assert_eq!(gongzhi_core::waste::violations(&pb, &p.assignment), vec![]);
        let r = a
            .api(Method::POST, "/api/v1/waste/stations/south/changes", Some(&staff), Some(json!({"day": "soon"})))
            .await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("day"), "{}", r.text());

        // a cover request: sent to everyone free; the first to take it gets it, the second is told
        let (shift, from) = on_day(&after, "north", &day(5))
            .into_iter()
            .find_map(|(s, v)| v.into_iter().find(|x| x != "admin").map(|x| (s, x)))
            .expect("a north shift in five days");
        let candidates =
            gongzhi_core::waste::cover_candidates(&pb, &p.assignment, &gongzhi_core::waste::ShiftId(shift.clone()))
                .unwrap();
        assert!(candidates.len() >= 2, "two could cover {shift}: {candidates:?}");
        let asker = a.token(&from).await;
        let r = a.api(Method::POST, "/api/v1/waste/covers", Some(&owner), Some(json!({"shift": shift}))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "not theirs, not an organiser: {}", r.text());
        let r = a.api(Method::POST, "/api/v1/waste/covers", Some(&asker), Some(json!({"shift": shift}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let r = r.json();
        assert_eq!(r["asked"], candidates.len());
        let cover = r["id"].as_str().unwrap().to_string();
        let r = a.api(Method::POST, "/api/v1/waste/covers", Some(&asker), Some(json!({"shift": shift}))).await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("waste.cover-open"), "{}", r.text());
        let first = a.token(candidates[0].as_str()).await;
        let second = a.token(candidates[1].as_str()).await;
        let seen = a.api(Method::GET, "/api/v1/waste/covers", Some(&second), None).await.json();
        assert!(seen.as_array().unwrap().iter().any(|c| c["id"] == cover.as_str() && c["for_me"] == true), "{seen}");
        let uri = format!("/api/v1/waste/covers/{cover}");
        assert_eq!(a.api(Method::POST, &uri, Some(&first), None).await.status, StatusCode::NO_CONTENT);
        let r = a.api(Method::POST, &uri, Some(&second), None).await;
        assert!(r.status == StatusCode::NOT_FOUND && r.text().contains("waste.cover-unknown"), "{}", r.text());
        let now = a.api(Method::GET, "/api/v1/waste/roster", Some(&owner), None).await.json();
        let vs = now["assignments"][shift.as_str()].as_array().unwrap().clone();
        assert!(vs.iter().any(|x| x == candidates[0].as_str()) && !vs.iter().any(|x| x == from.as_str()), "{vs:?}");
        let p = a.store.current_period(&a.compound).await.unwrap().unwrap();
        assert_eq!(gongzhi_core::waste::violations(&pb, &p.assignment), vec![], "the covered roster holds every rule");

        // sorting records: a volunteer logs what they saw; its faults are named by field
        let month = today.to_string()[..7].to_string();
        let sum = |s: &serde_json::Value, part: &str, key: &str| {
            s[part].as_array().unwrap().iter().find(|l| l["key"] == key).map_or(0, |l| l["seen"][0].as_u64().unwrap())
        };
        let s0 = a.api(Method::GET, "/api/v1/waste/summary", Some(&owner), None).await.json();
        assert_eq!(s0["month"], month.as_str());
        let rec = json!({"station": "north", "date": today.to_string(), "window": "07:00", "building": "5",
            "kind": "mis-sorted", "count": 3});
        let r = a.api(Method::POST, "/api/v1/waste/records", Some(&owner), Some(rec.clone())).await;
        assert!(r.text().contains("waste.not-a-volunteer"), "an owner who is not a supervisor: {}", r.text());
        for (field, value, needle) in [
            ("station", json!("west"), "station"),
            ("date", json!(day(1)), "date"),
            ("window", json!("12:00"), "window"),
            ("building", json!("99"), "building"),
            ("count", json!(0), "count"),
            ("kind", json!("litter"), "kind"),
        ] {
            let mut bad = rec.clone();
            bad[field] = value;
            let r = a.api(Method::POST, "/api/v1/waste/records", Some(&asker), Some(bad)).await;
            assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains(needle), "{field}: {}", r.text());
        }
        let r = a.api(Method::POST, "/api/v1/waste/records", Some(&asker), Some(rec)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let list = a.api(Method::GET, "/api/v1/waste/records", Some(&owner), None).await.json();
        assert!(list.as_array().unwrap().iter().any(|x| x["id"] == id.as_str() && x["count"] == 3), "{list}");
        let s1 = a.api(Method::GET, "/api/v1/waste/summary", Some(&owner), None).await.json();
        assert_eq!(sum(&s1, "stations", "north"), sum(&s0, "stations", "north") + 3);
        assert_eq!(sum(&s1, "buildings", "5"), sum(&s0, "buildings", "5") + 3);
        // last month's summary: the demo's roster there was checked in, with some no-shows
        let last = today.first_of_month().checked_sub(jiff::Span::new().days(1)).unwrap().to_string()[..7].to_string();
        let s = a.api(Method::GET, &format!("/api/v1/waste/summary?month={last}"), Some(&owner), None).await.json();
        let duty = &s["total"]["duty"];
        assert!(duty["places"].as_u64().unwrap() > 0 && duty["checked_in"].as_u64().unwrap() > 0, "{s}");
        assert!(
            duty["checked_in"].as_u64().unwrap() + duty["no_shows"].as_u64().unwrap()
                <= duty["filled"].as_u64().unwrap()
        );
        let r = a.api(Method::GET, "/api/v1/waste/summary?month=2026-13", Some(&owner), None).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("month"), "{}", r.text());
        // the pages: charts as SVG, the summary as a table and as a workbook
        let (sess, _) = a.session("owner-13-701").await;
        let page = a.page("/waste/records", Some(&sess)).await.text();
        assert!(page.contains("<svg") && page.contains("北区投放点"), "{page}");
        let page = a.page(&format!("/waste/summary?month={last}"), Some(&sess)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("summary.xlsx"), "{}", page.text());
        assert_eq!(a.page("/waste/setup", Some(&sess)).await.status, StatusCode::FORBIDDEN, "owners do not organise");
        let (staff_sess, _) = a.session("staff").await;
        let page = a.page("/waste/setup", Some(&staff_sess)).await;
        assert_eq!(page.status, StatusCode::OK, "a page read needs no form token");
        assert!(
            page.text().contains("id=\"volunteer-table\"") && page.text().contains("东侧临时点"),
            "{}",
            page.text()
        );
        let x = a.page(&format!("/waste/summary.xlsx?month={last}"), Some(&sess)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.body.starts_with(b"PK"), "an xlsx is a zip");
        assert!(x.headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().contains(".xlsx"));

        // a volunteer sets their availability; the organiser sees it; a resident without an account is added
        let r = a
            .api(
                Method::PUT,
                "/api/v1/waste/me",
                Some(&asker),
                Some(json!({"max": 3, "weekly": ["1@07:00", "6@18:00"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let r =
            a.api(Method::PUT, "/api/v1/waste/me", Some(&asker), Some(json!({"max": 3, "weekly": ["Monday"]}))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("weekly"), "{}", r.text());
        let r = a.api(Method::PUT, "/api/v1/waste/me", Some(&owner), Some(json!({"max": 3}))).await;
        assert!(r.text().contains("waste.not-a-volunteer"), "{}", r.text());
        assert_eq!(
            a.api(Method::GET, "/api/v1/waste/volunteers", Some(&owner), None).await.status,
            StatusCode::FORBIDDEN
        );
        let r = a
            .api(
                Method::PUT,
                "/api/v1/waste/volunteers/resident-1",
                Some(&staff),
                Some(json!({"name": "张阿姨", "origin": "resident", "max": 4, "away": [day(2)]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let vs = a.api(Method::GET, "/api/v1/waste/volunteers", Some(&staff), None).await.json();
        let me = vs.as_array().unwrap().iter().find(|v| v["id"] == from.as_str()).unwrap();
        assert_eq!(me["weekly"], json!(["1@07:00", "6@18:00"]));
        assert_eq!(me["max"], 3);
        assert!(me["has_account"].as_bool().unwrap(), "the account stays linked");
        let res = vs.as_array().unwrap().iter().find(|v| v["id"] == "resident-1").unwrap();
        assert_eq!((res["has_account"].clone(), res["away"].clone()), (json!(false), json!([day(2)])));
        assert_eq!(vs.as_array().unwrap().len(), 41);
    })
    .await;
}
