//! The walking map and residents' requests: the demo's map and its what-ifs agree with a plain
//! Dijkstra written here over the exported GeoJSON; the committee draws, imports (all or nothing)
//! and exports; a what-if saved on a vote shows on the vote's page; a resident's request with a
//! photo is routed, answered (the submitter told), refused an impossible move, grouped with alike
//! ones and followed to the meeting and the vote; the story's request reads to everyone.

use crate::common::*;
use axum::http::{Method, StatusCode, header};
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::{Value, json};
use std::collections::{BinaryHeap, HashMap};

/// A one-pixel PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1,
    0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Every entrance's walk in millimetres to the nearest bin room open at `minute` (all when
/// `None`), by a Dijkstra from each entrance over the GeoJSON's open LineStrings, plus the
/// `extra` paths (node ids and millimetres) and with the `opened` pairs open.
fn plain_walks(
    map: &Value,
    minute: Option<u32>,
    extra: &[(&str, &str, u64)],
    opened: &[(&str, &str)],
) -> HashMap<String, Option<u64>> {
    let feats = map["features"].as_array().unwrap();
    let mut adj: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    let mut bins = Vec::new();
    let mut entrances = Vec::new();
    for f in feats {
        let p = &f["properties"];
        match f["geometry"]["type"].as_str().unwrap() {
            "Point" => {
                let id = p["id"].as_str().unwrap().to_string();
                adj.entry(id.clone()).or_default();
                match p["kind"].as_str().unwrap() {
                    "entrance" => entrances.push(id),
                    "bin" => {
                        let open = match (minute, p["hours"].as_array()) {
                            (None, _) | (_, None) => true,
                            (Some(m), Some(hs)) => hs.iter().any(|h| {
                                let h = h.as_str().unwrap();
                                let t = |s: &str| s[..2].parse::<u32>().unwrap() * 60 + s[3..5].parse::<u32>().unwrap();
                                t(&h[..5]) <= m && m < t(&h[6..])
                            }),
                        };
                        if open {
                            bins.push(id);
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                let (a, b) = (p["from"].as_str().unwrap().to_string(), p["to"].as_str().unwrap().to_string());
                let is_open = !p["closed"].as_bool().unwrap_or(false)
                    || opened.iter().any(|(x, y)| (a == *x && b == *y) || (a == *y && b == *x));
                if is_open {
                    let mm = (p["length"].as_f64().unwrap() * 1000.0).round() as u64;
                    adj.get_mut(&a).unwrap().push((b.clone(), mm));
                    adj.get_mut(&b).unwrap().push((a, mm));
                }
            }
        }
    }
    for (a, b, mm) in extra {
        adj.get_mut(*a).unwrap().push((b.to_string(), *mm));
        adj.get_mut(*b).unwrap().push((a.to_string(), *mm));
    }
    let mut out = HashMap::new();
    for e in entrances {
        let mut dist: HashMap<String, u64> = HashMap::from([(e.clone(), 0)]);
        let mut heap = BinaryHeap::from([std::cmp::Reverse((0u64, e.clone()))]);
        let mut found = None;
        while let Some(std::cmp::Reverse((d, v))) = heap.pop() {
            if dist.get(&v).is_some_and(|x| *x < d) {
                continue;
            }
            if bins.contains(&v) {
                found = Some(d);
                break;
            }
            for (w, l) in &adj[&v] {
                let nd = d + l;
                if dist.get(w).is_none_or(|x| nd < *x) {
                    dist.insert(w.clone(), nd);
                    heap.push(std::cmp::Reverse((nd, w.clone())));
                }
            }
        }
        out.insert(e, found);
    }
    out
}

/// Millimetres as the API's metres with one decimal (half up).
fn dm(mm: Option<u64>) -> Value {
    match mm {
        Some(mm) => json!(((mm + 50) / 100) as f64 / 10.0),
        None => Value::Null,
    }
}

#[tokio::test]
async fn the_demo_walks_and_what_ifs_agree_with_a_plain_dijkstra() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let map = a.api(Method::GET, "/api/v1/map", Some(&owner), None).await;
        assert_eq!(map.status, StatusCode::OK);
        assert_eq!(map.headers[header::CONTENT_TYPE], "application/geo+json");
        let map = map.json();
        let buildings: std::collections::BTreeSet<String> = map["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["kind"] == "entrance")
            .map(|f| f["properties"]["building"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(buildings.len(), 33);

        // the shortcut's length: the straight geodesic between its ends, as the API's changes say
        let body = json!({"add_path": ["south-gap,bin-south"], "open": ["wall-inside,car-park"], "at": "07:00"});
        let w = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(body)).await;
        assert_eq!(w.status, StatusCode::OK, "{}", w.text());
        let w = w.json();
        assert_eq!(w["changes"], json!(["--add-path south-gap,bin-south", "--open wall-inside,car-park"]));
        let shortcut =
            a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(json!({"at": "07:00"}))).await.json();
        let before = plain_walks(&map, Some(7 * 60), &[], &[]);
        // the shortcut's length from core's geodesic (the one length the GeoJSON does not hold)
        let pos = |id: &str| {
            let f = map["features"].as_array().unwrap().iter().find(|f| f["properties"]["id"] == id).unwrap();
            let c = &f["geometry"]["coordinates"];
            gongzhi_core::map::Position::new(c[0].as_f64().unwrap(), c[1].as_f64().unwrap()).unwrap()
        };
        let len = gongzhi_core::map::geo::to_mm(gongzhi_core::map::geo::geodesic_m(pos("south-gap"), pos("bin-south")));
        let after = plain_walks(&map, Some(7 * 60), &[("south-gap", "bin-south", len)], &[("wall-inside", "car-park")]);
        let mut gaining = 0;
        for e in w["entrances"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap();
            assert_eq!(e["before"], dm(before[id]), "{id} before");
            assert_eq!(e["after"], dm(after[id]), "{id} after");
            if after[id] < before[id] || (before[id].is_none() && after[id].is_some()) {
                gaining += e["households"].as_u64().unwrap();
            }
            assert!(after[id] <= before[id] || before[id].is_none(), "a path never lengthens a walk: {id}");
        }
        assert_eq!(w["households_gaining"], gaining);
        assert!(gaining > 100, "the story helps south and north: {gaining}");
        assert_eq!(shortcut["households_gaining"], 0, "no change, no gain");
        assert_eq!(shortcut["mean_before"], w["mean_before"]);
        let b3 = w["buildings"].as_array().unwrap().iter().find(|b| b["building"] == "3").unwrap();
        assert!(b3["mean_after"].as_f64() < b3["mean_before"].as_f64(), "{b3}");

        // a body that is not an object is refused, not read as an empty what-if
        let r = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(json!([]))).await;
        assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("kit.body-invalid")));
        // a bad what-if names the option and the node
        let r = a
            .api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(json!({"add_path": ["nowhere,bin-south"]})))
            .await;
        assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("map.unknown-node")));

        // the page: the SVG and the table beside it, the what-if's gain
        let (session, _) = a.session("owner-13-701").await;
        let page = a.page("/map?add_path=south-gap%2Cbin-south&at=07%3A00", Some(&session)).await.text();
        assert!(page.contains("<svg") && page.contains("id=\"walk-buildings\"") && page.contains("class=\"added\""));
        assert!(
            page.contains("id=\"households-gaining\"") && !page.contains("id=\"save-scenario\""),
            "owners save none"
        );

        // the story's what-if is attached to the shortcut's vote, whose page shows it
        let matter = a.matter_id(gongzhi_store::demo::SHORTCUT_TITLE).await;
        let list = a.api(Method::GET, "/api/v1/map/scenarios", Some(&owner), None).await.json();
        let s = list.as_array().unwrap().iter().find(|s| s["matter"] == matter.as_str()).unwrap();
        assert_eq!(s["changes"], json!(["--add-path south-gap,bin-south"]));
        let one = a
            .api(Method::GET, &format!("/api/v1/map/scenarios/{}", s["id"].as_str().unwrap()), Some(&owner), None)
            .await
            .json();
        assert!(one["walk"]["households_gaining"].as_u64().unwrap() > 0, "{one}");
        let page = a.page(&format!("/matters/{matter}"), Some(&session)).await.text();
        assert!(page.contains(&format!("/map/scenarios/{}", s["id"].as_str().unwrap())), "the vote shows its map");
        let page = a.page(&format!("/map/scenarios/{}", s["id"].as_str().unwrap()), Some(&session)).await.text();
        assert!(page.contains("<svg") && page.contains(&format!("/matters/{matter}")));

        // owners neither save nor draw
        let r = a
            .api(
                Method::POST,
                "/api/v1/map/scenarios",
                Some(&owner),
                Some(json!({"title": "x", "add_path": ["south-gap,bin-south"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::PUT, "/api/v1/map", Some(&owner), Some(map.clone())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_bin_room_that_is_a_waste_station_opens_when_the_station_does() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let staff = a.token("staff").await;
        let bin = |map: &Value, id: &str| {
            map["features"].as_array().unwrap().iter().find(|f| f["properties"]["id"] == id).unwrap()["properties"]
                .clone()
        };
        let map = a.api(Method::GET, "/api/v1/map", Some(&owner), None).await.json();
        assert_eq!(bin(&map, "bin-south")["station"], "south");
        assert_eq!(bin(&map, "bin-south")["hours"], json!(["07:00-09:00", "18:00-20:00"]));
        let at7 = json!({"at": "07:00"});
        let before = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(at7.clone())).await.json();

        // the organiser moves the southern station to evenings only: the map follows at 07:00
        let south = json!({"name": "南区投放点", "building_group": "南区（17–33号楼）", "place": "24号楼东侧",
            "bins": ["recyclable", "hazardous", "wet", "dry"], "windows": ["18:00-20:00"], "households": 600});
        let r = a.api(Method::PUT, "/api/v1/waste/stations/south", Some(&staff), Some(south)).await;
        assert!(r.status.is_success(), "{}", r.text());
        let map = a.api(Method::GET, "/api/v1/map", Some(&owner), None).await.json();
        assert_eq!(bin(&map, "bin-south")["hours"], json!(["18:00-20:00"]));
        assert_eq!(bin(&map, "bin-west")["hours"], json!(["07:00-09:00", "18:00-20:00"]), "drawn hours kept");
        let after = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(at7)).await.json();
        let now = plain_walks(&map, Some(7 * 60), &[], &[]);
        let mut longer = 0;
        for (e0, e1) in before["entrances"].as_array().unwrap().iter().zip(after["entrances"].as_array().unwrap()) {
            let id = e1["id"].as_str().unwrap();
            assert_eq!(e1["before"], dm(now[id]), "{id} as a plain Dijkstra over the map as exported");
            assert_ne!(e1["bin"], "bin-south", "{id}: the southern bin room is shut at 07:00");
            if e1["before"].as_f64() > e0["before"].as_f64() {
                longer += 1;
            }
        }
        assert!(longer > 0, "the southern households walk further in the morning");

        // the page says where each bin room's hours come from
        let (session, _) = a.session("owner-13-701").await;
        let page = a.page("/map?at=07%3A00", Some(&session)).await.text();
        let table = &page[page.find("id=\"bin-rooms\"").expect("the bin rooms' table")..];
        let row = &table[table.find(">bin-south<").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("18:00-20:00") && row.contains("南区投放点"), "{row}");

        // the committee draws a new bin room as the northern station: it keeps that station's hours
        let (session, csrf) = a.session("owner-2-501").await;
        let page = a.page("/map/edit", Some(&session)).await.text();
        assert!(page.contains("id=\"p-station\"") && page.contains("北区投放点"));
        let fields = [
            ("csrf", csrf.as_str()),
            ("edit", "place"),
            ("id", "bin-new"),
            ("kind", "bin"),
            ("hours", "10:00-11:00"),
            ("station", "north"),
            ("lon", "121.3590"),
            ("lat", "31.2095"),
        ];
        let r = a.form("/map/edit", Some(&session), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let map = a.api(Method::GET, "/api/v1/map", Some(&owner), None).await.json();
        assert_eq!(bin(&map, "bin-new")["station"], "north");
        assert_eq!(bin(&map, "bin-new")["hours"], json!(["07:00-09:00", "18:00-20:00"]));
    })
    .await;
}

#[tokio::test]
async fn a_station_s_holiday_change_counts_on_its_day_only() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let staff = a.token("staff").await;
        // the southern station (the southern bin room) shuts on New Year's Day and opens late on the 2nd
        for (day, windows, note) in
            [("2027-01-01", json!([]), "元旦休息"), ("2027-01-02", json!(["08:00-10:00"]), "推迟开放")]
        {
            let body = json!({"day": day, "windows": windows, "note": note});
            let r = a.api(Method::POST, "/api/v1/waste/stations/south/changes", Some(&staff), Some(body)).await;
            assert!(r.status.is_success(), "{}", r.text());
        }
        let walk = |at: &str, day: Option<&str>| json!({"at": at, "day": day});
        let usual = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("07:00", None))).await.json();
        let to_south =
            |w: &Value| w["entrances"].as_array().unwrap().iter().filter(|e| e["bin"] == "bin-south").count();
        assert!(to_south(&usual) > 0, "southern entrances walk to the southern bin room on a usual morning");
        assert_eq!((usual["day"].clone(), usual["station_changes"].clone()), (Value::Null, json!([])));

        // the map without the southern bin room, walked by the plain Dijkstra
        let mut shut = a.api(Method::GET, "/api/v1/map", Some(&owner), None).await.json();
        for f in shut["features"].as_array_mut().unwrap() {
            if f["properties"]["id"] == "bin-south" {
                f["properties"]["kind"] = json!("junction");
            }
        }
        let plain = plain_walks(&shut, Some(7 * 60), &[], &[]);
        let holiday =
            a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("07:00", Some("2027-01-01")))).await;
        assert_eq!(holiday.status, StatusCode::OK, "{}", holiday.text());
        let holiday = holiday.json();
        assert_eq!(holiday["day"], "2027-01-01");
        assert_eq!(holiday["station_changes"], json!([{"bin": "bin-south", "hours": [], "note": "元旦休息"}]));
        let mut further = 0;
        for (u, h) in usual["entrances"].as_array().unwrap().iter().zip(holiday["entrances"].as_array().unwrap()) {
            let id = h["id"].as_str().unwrap();
            assert_eq!(h["before"], dm(plain[id]), "{id} as a plain Dijkstra without the southern bin room");
            if u["bin"] == "bin-south" {
                assert!(h["before"].as_f64() > u["before"].as_f64(), "{id} walks further on the holiday");
                further += 1;
            }
        }
        assert_eq!(further, to_south(&usual));
        // counting every bin room whatever the hour, a station shut all day still does not count
        let any = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("", Some("2027-01-01")))).await;
        assert_eq!(to_south(&any.json()), 0);
        // on the 2nd it opens at 08:00: shut at 07:00, open at 08:30; the 3rd is a usual day
        let late =
            a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("07:00", Some("2027-01-02")))).await;
        let late = late.json();
        assert_eq!(late["station_changes"][0]["hours"], json!(["08:00-10:00"]));
        assert_eq!(to_south(&late), 0);
        let r = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("08:30", Some("2027-01-02")))).await;
        assert!(to_south(&r.json()) > 0);
        let r = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("07:00", Some("2027-01-03")))).await;
        assert_eq!(r.json()["entrances"], usual["entrances"], "a day without changes is a usual day");
        // a day that is not a date is refused by name
        let r = a.api(Method::POST, "/api/v1/map/walks", Some(&owner), Some(walk("07:00", Some("2027-13-01")))).await;
        assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("map.bad-day")));

        // the page counts that day and says why, beside the bin room
        let (session, _) = a.session("owner-13-701").await;
        let page = a.page("/map?at=07%3A00&day=2027-01-01", Some(&session)).await.text();
        assert!(page.contains("id=\"day-changes\"") && page.contains("value=\"2027-01-01\""));
        let table = &page[page.find("id=\"bin-rooms\"").expect("the bin rooms' table")..];
        let row = &table[table.find(">bin-south<").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("当天不开放") && row.contains("元旦休息"), "{row}");
        let usual_page = a.page("/map?at=07%3A00", Some(&session)).await.text();
        assert!(!usual_page.contains("id=\"day-changes\"") && !usual_page.contains("元旦休息"));
        let bad = a.page("/map?at=07%3A00&day=tomorrow", Some(&session)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().contains("tomorrow") && bad.text().contains("id=\"bin-rooms\""), "the map still shows");
    })
    .await;
}

#[tokio::test]
async fn the_committee_draws_imports_all_or_nothing_and_saves_a_what_if_on_a_vote() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let member = a.token("owner-2-501").await;
        let map = a.api(Method::GET, "/api/v1/map", Some(&member), None).await.json();
        let n = map["features"].as_array().unwrap().len();

        // a file with an edge to a missing node changes nothing and names the feature
        let mut bad = map.clone();
        bad["features"].as_array_mut().unwrap().push(json!({"type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[121.358, 31.209], [121.359, 31.209]]},
            "properties": {"from": "south-gap", "to": "ghost"}}));
        let r = a.api(Method::PUT, "/api/v1/map", Some(&member), Some(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["code"], "map.edge-to-missing-node", "{}", r.text());
        assert!(r.json()["detail"].as_str().unwrap().contains(&format!("features[{n}]")), "{}", r.text());
        let same = a.api(Method::GET, "/api/v1/map", Some(&member), None).await.json();
        assert_eq!(same["features"].as_array().unwrap().len(), n, "nothing changed");

        // drawing: a new bin room by the main gate, joined to it; the west walks shorten
        let before = a.api(Method::POST, "/api/v1/map/walks", Some(&member), Some(json!({}))).await.json();
        let place = json!({"edit": "place", "id": "bin-gate", "kind": "bin", "lon": "121.35795", "lat": "31.20999"});
        let r = a.api(Method::POST, "/api/v1/map/edits", Some(&member), Some(place)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = a
            .api(
                Method::POST,
                "/api/v1/map/edits",
                Some(&member),
                Some(json!({"edit": "connect", "from": "bin-gate", "to": "gate-main", "length": "5"})),
            )
            .await;
        assert_eq!(r.json()["edges"], 135, "{}", r.text());
        let after = a.api(Method::POST, "/api/v1/map/walks", Some(&member), Some(json!({}))).await.json();
        assert!(after["mean_before"].as_f64() < before["mean_before"].as_f64(), "{after}");
        let r = a
            .api(
                Method::POST,
                "/api/v1/map/edits",
                Some(&member),
                Some(json!({"edit": "connect", "from": "bin-gate", "to": "nowhere"})),
            )
            .await;
        assert_eq!(r.json()["code"], "map.bad-edit");

        // the page's forms draw too (a junction placed where the map was tapped, then removed)
        let (session, csrf) = a.session("owner-2-501").await;
        let r = a
            .form(
                "/map/edit",
                Some(&session),
                &[
                    ("csrf", &csrf),
                    ("edit", "place"),
                    ("id", "tap-1"),
                    ("kind", "junction"),
                    ("lon", "121.3590"),
                    ("lat", "31.2095"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = a.page("/map/edit", Some(&session)).await.text();
        assert!(page.contains("data-id=\"tap-1\"") && page.contains("/static/map-edit.js"));
        let r = a.form("/map/edit", Some(&session), &[("csrf", &csrf), ("edit", "remove"), ("id", "tap-1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = a.form("/map/edit", Some(&session), &[("edit", "remove"), ("id", "bin-gate")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "no form token, no change");

        // the site plan: an image, served as one with no scripts; an SVG is refused
        let fields = [
            ("csrf", csrf.as_str()),
            ("west", "121.3575"),
            ("south", "31.2080"),
            ("east", "121.3625"),
            ("north", "31.2120"),
        ];
        let r = a.multipart("/map/plan", &session, &fields, &[("plan", "plan.png", "image/png", PNG)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let img = a.page("/map/plan", Some(&session)).await;
        assert_eq!((img.headers[header::CONTENT_TYPE].to_str().unwrap(), img.body.as_slice()), ("image/png", PNG));
        assert!(img.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
        assert!(a.page("/map/edit", Some(&session)).await.text().contains("href=\"/map/plan\""));
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>";
        let r = a.multipart("/map/plan", &session, &fields, &[("plan", "plan.png", "image/png", svg)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // export and import back: the same map
        let exported = a.page("/map/export.geojson", Some(&session)).await;
        assert_eq!(exported.headers[header::CONTENT_TYPE], "application/geo+json");
        let text = exported.text();
        let r = a
            .multipart(
                "/map/import",
                &session,
                &[("csrf", &csrf)],
                &[("map", "map.geojson", "application/geo+json", text.as_bytes())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(a.page("/map/export.geojson", Some(&session)).await.text(), text);

        // a what-if saved on the open wall vote, from the page
        let path = a.matter_id(gongzhi_store::demo::PATH_TITLE).await;
        let r = a
            .form(
                "/map/scenarios",
                Some(&session),
                &[
                    ("csrf", &csrf),
                    ("title", "北墙开门并在门口设箱房"),
                    ("open", "wall-inside,car-park"),
                    ("add_bin", "car-park"),
                    ("at", "07:00"),
                    ("matter", &path),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = a.page(&to, Some(&session)).await.text();
        assert!(page.contains("--add-bin car-park") && page.contains("北墙开门并在门口设箱房"));
        assert!(a.page(&format!("/matters/{path}"), Some(&session)).await.text().contains(&to));
        // a what-if naming a node not on the map is not saved
        let r = a
            .api(
                Method::POST,
                "/api/v1/map/scenarios",
                Some(&member),
                Some(json!({"title": "x", "add_path": ["ghost,car-park"]})),
            )
            .await;
        assert_eq!(r.json()["code"], "map.unknown-node");
    })
    .await;
}

#[tokio::test]
async fn a_request_with_a_photo_is_routed_answered_grouped_and_followed() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let (session, csrf) = a.session("owner-13-701").await;
        // the form: a map to tap the place on, whose places carry their ids (and an entrance its
        // building), and none is a tab stop
        let form = a.page("/requests", Some(&session)).await.text();
        let figure = &form[form.find("id=\"pick-map\"").expect("the map to tap")..];
        let figure = &figure[..figure.find("</figure>").unwrap()];
        assert!(figure.contains(r#"data-id="bin-south""#) && figure.contains(r#"data-building="12""#));
        assert!(!figure.contains("tabindex") && form.contains("/static/map-pick.js"));
        let fields = [
            ("csrf", csrf.as_str()),
            ("category", "repairs"),
            ("title", "楼道扶手松动"),
            ("text", "三楼扶手晃动，老人上下楼不安全。"),
            ("building", "13"),
            ("node", ""),
        ];
        let r = a.multipart("/requests", &session, &fields, &[("photo", "rail.png", "image/png", PNG)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = r.headers[header::LOCATION].to_str().unwrap().to_string();
        let id = page.trim_start_matches("/requests/").to_string();
        let owner = a.token("owner-13-701").await;
        let got = a.api(Method::GET, &format!("/api/v1/requests/{id}"), Some(&owner), None).await.json();
        assert_eq!((got["handler"].as_str(), got["status"].as_str()), (Some("property-company"), Some("received")));
        assert_eq!((got["has_photo"].as_bool(), got["building"].as_str()), (Some(true), Some("13")));
        let photo = a.page(&format!("{page}/photo"), Some(&session)).await;
        assert_eq!(
            (photo.status, photo.headers[header::CONTENT_TYPE].to_str().unwrap()),
            (StatusCode::OK, "image/png")
        );
        // another owner does not see it; the building's leader does
        let (other, _) = a.session("owner-12-701").await;
        assert_eq!(a.page(&page, Some(&other)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(a.page(&format!("{page}/photo"), Some(&other)).await.status, StatusCode::NOT_FOUND);
        let (leader, _) = a.session("owner-13-201").await;
        assert!(a.page(&page, Some(&leader)).await.text().contains("id=\"request-text\""));

        // the committee does not handle the property company's requests; its manager does
        let member = a.token("owner-2-501").await;
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/requests/{id}/moves"),
                Some(&member),
                Some(json!({"status": "accepted"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let manager = a.token("manager").await;
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/requests/{id}/moves"),
                Some(&manager),
                Some(json!({"status": "declined"})),
            )
            .await;
        assert_eq!(r.json()["code"], "map.request-decline-without-reason");
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/requests/{id}/moves"),
                Some(&manager),
                Some(json!({"status": "accepted", "note": "明天上午派维修工。"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = r.json();
        assert!(r["first_response_at"].is_i64());
        assert_eq!(r["events"].as_array().unwrap().last().unwrap()["note"], "明天上午派维修工。");
        // the submitter is told, and reads the reply on the page
        let person = a.store.person_for_login("owner-13-701").await.unwrap().unwrap().0;
        let queued = a.store.messages(&a.compound, gongzhi_store::kit::outbox::Status::Queued, 100_000).await.unwrap();
        assert!(
            queued.iter().any(|m| m.recipient == person
                && m.subject.contains("楼道扶手松动")
                && m.body.contains("明天上午派维修工")),
            "told"
        );
        assert!(a.page(&page, Some(&session)).await.text().contains("明天上午派维修工。"));
        for (to, want) in
            [("answered", StatusCode::OK), ("closed", StatusCode::OK), ("in-progress", StatusCode::CONFLICT)]
        {
            let r = a
                .api(
                    Method::POST,
                    &format!("/api/v1/requests/{id}/moves"),
                    Some(&manager),
                    Some(json!({"status": to, "note": "已修好。"})),
                )
                .await;
            assert_eq!(r.status, want, "{to}: {}", r.text());
        }
        let times = a.api(Method::GET, "/api/v1/requests/stats", Some(&manager), None).await.json();
        let row = times
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["handler"] == "property-company" && x["category"] == "repairs")
            .unwrap();
        assert!(row["requests"].as_u64().unwrap() >= 2 && row["median_hours"].is_i64(), "{row}");
        // the median time to close, as the requests' own times give it
        let listed = a.api(Method::GET, "/api/v1/requests", Some(&manager), None).await.json();
        let mut closes: Vec<i64> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["handler"] == "property-company" && x["category"] == "repairs")
            .filter_map(|x| Some(x["closed_at"].as_i64()? - x["submitted_at"].as_i64().unwrap()))
            .collect();
        closes.sort();
        assert!(!closes.is_empty(), "the request just closed");
        let n = closes.len();
        let mid = if n % 2 == 1 { closes[n / 2] } else { (closes[n / 2 - 1] + closes[n / 2] + 1) / 2 };
        assert_eq!(row["closed"].as_u64(), Some(n as u64), "{row}");
        assert_eq!(row["median_close_hours"].as_i64(), Some((2 * mid + 3_600_000) / 7_200_000), "{row}");
        assert!(a.page("/requests/stats", Some(&a.session("owner-2-501").await.0)).await.text().contains("<svg"));

        // alike requests group: the same complaint joins the northern households' open group
        let north = a.api(Method::GET, "/api/v1/requests", Some(&member), None).await.json();
        let lead = north
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["title"] == "垃圾箱房太远" && r["status"] == "in-progress" && r["group_of"].is_null())
            .unwrap()
            .clone();
        let (s2, c2) = a.session("owner-31-701").await;
        let fields = [
            ("csrf", c2.as_str()),
            ("category", "bin-room"),
            ("title", "垃圾箱房 太远！"),
            ("text", "北边太远了"),
            ("building", "31"),
        ];
        let r = a.multipart("/requests", &s2, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let mine = r.headers[header::LOCATION].to_str().unwrap().trim_start_matches("/requests/").to_string();
        let t2 = a.token("owner-31-701").await;
        let got = a.api(Method::GET, &format!("/api/v1/requests/{mine}"), Some(&t2), None).await.json();
        assert_eq!(got["group_of"], lead["id"], "{got}");
        assert_eq!((got["status"].as_str(), got["matter"].as_str()), (Some("in-progress"), lead["matter"].as_str()));
        assert_eq!(got["households"].as_u64(), Some(lead["households"].as_u64().unwrap() + 1));
        // the handler moves the group: every member moves and is told
        let director = a.token("admin").await;
        let lead_id = lead["id"].as_str().unwrap();
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/requests/{lead_id}/moves"),
                Some(&director),
                Some(json!({"note": "表决将于本月底结束。"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let got = a.api(Method::GET, &format!("/api/v1/requests/{mine}"), Some(&t2), None).await.json();
        assert_eq!(got["events"].as_array().unwrap().last().unwrap()["note"], "表决将于本月底结束。");
        // taken out of the group it stands alone, its status kept
        let r = a
            .api(Method::POST, &format!("/api/v1/requests/{mine}/group"), Some(&director), Some(json!({"into": null})))
            .await;
        assert_eq!(r.json()["group_of"], Value::Null, "{}", r.text());
        // to group it again by hand, the handler is offered the alike concerns first
        let (ds, _) = a.session("admin").await;
        let page = a.page(&format!("/requests/{mine}"), Some(&ds)).await.text();
        let select = &page[page.find("id=\"gr-into\"").expect("the group select")..];
        let select = &select[..select.find("</select>").unwrap()];
        let options: Vec<(&str, &str)> = select
            .split("<option value=\"")
            .skip(1)
            .map(|o| (&o[..o.find('"').unwrap()], &o[o.find('>').unwrap() + 1..o.find("</option>").unwrap()]))
            .collect();
        assert!(options.iter().any(|(id, _)| id == &lead_id), "{select}");
        let alike = options.iter().take_while(|(_, l)| l.contains("同类")).count();
        assert!(alike >= 1 && options[..alike].iter().any(|(id, _)| id == &lead_id), "{select}");
        assert!(options[alike..].iter().all(|(_, l)| !l.contains("同类")), "the alike come first: {select}");

        // put on a meeting's agenda: accepted, and the meeting's page links to it
        let (s3, c3) = a.session("owner-7-701").await;
        let fields = [
            ("csrf", c3.as_str()),
            ("category", "paths"),
            ("title", "夜间照明不足"),
            ("text", "东侧道路路灯坏了"),
            ("building", "7"),
        ];
        let r = a.multipart("/requests", &s3, &fields, &[]).await;
        let lamp = r.headers[header::LOCATION].to_str().unwrap().trim_start_matches("/requests/").to_string();
        let meeting = a.store.compound_meetings(&a.compound).await.unwrap().last().unwrap().id.clone();
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/requests/{lamp}/links"),
                Some(&director),
                Some(json!({"meeting": meeting})),
            )
            .await;
        assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("accepted")), "{}", r.text());
        let (ds, _) = a.session("admin").await;
        assert!(a.page(&format!("/meetings/{meeting}"), Some(&ds)).await.text().contains(&format!("/requests/{lamp}")));

        // routing is a setting: bin rooms to the residents' committee from now on
        let staff = a.token("staff").await;
        let r = a
            .api(
                Method::PUT,
                "/api/v1/requests/routing",
                Some(&staff),
                Some(json!({"routing": "bin-room = residents-committee"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = a
            .api(Method::PUT, "/api/v1/requests/routing", Some(&staff), Some(json!({"routing": "bins = nobody"})))
            .await;
        assert_eq!(r.json()["code"], "map.routing-line");
        let r = a
            .api(
                Method::POST,
                "/api/v1/requests",
                Some(&t2),
                Some(json!({"category": "bin-room", "title": "垃圾箱房开放时间太短"})),
            )
            .await;
        assert_eq!((r.status, r.json()["handler"].as_str()), (StatusCode::CREATED, Some("residents-committee")));
        // a photo sent after, once, and only an image
        let rid = r.json()["id"].as_str().unwrap().to_string();
        let put = |body: &'static [u8]| {
            let req = axum::http::Request::builder()
                .method(Method::PUT)
                .uri(format!("/api/v1/requests/{rid}/photo"))
                .header(header::AUTHORIZATION, format!("Bearer {t2}"))
                .header(header::CONTENT_TYPE, "image/png")
                .body(axum::body::Body::from(body))
                .unwrap();
            a.send(req)
        };
        assert_eq!(put(b"<html>").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(put(PNG).await.status, StatusCode::NO_CONTENT);
        assert_eq!(put(PNG).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        // a request without a title or with an unknown category is refused, naming the field
        let r = a
            .api(Method::POST, "/api/v1/requests", Some(&t2), Some(json!({"category": "bin-room", "title": " "})))
            .await;
        assert_eq!(r.json()["code"], "map.request-title-missing");
        let r =
            a.api(Method::POST, "/api/v1/requests", Some(&t2), Some(json!({"category": "ufo", "title": "x"}))).await;
        assert_eq!(r.json()["values"]["field"], "category");
        let r = a
            .api(
                Method::POST,
                "/api/v1/requests",
                Some(&t2),
                Some(json!({"category": "other", "title": "x", "building": "99"})),
            )
            .await;
        assert_eq!(r.json()["code"], "map.request-bad-place");
    })
    .await;
}

#[tokio::test]
async fn the_story_request_is_followed_from_the_complaint_to_the_finished_path() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let director = a.token("admin").await;
        let all = a.api(Method::GET, "/api/v1/requests", Some(&director), None).await.json();
        let lead = all
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["title"] == "垃圾箱房太远" && r["status"] == "closed" && r["group_of"].is_null())
            .unwrap()
            .clone();
        assert_eq!(lead["households"], 12);
        let shortcut = a.matter_id(gongzhi_store::demo::SHORTCUT_TITLE).await;
        assert_eq!(lead["matter"], shortcut.as_str());
        assert!(lead["meeting"].is_string());
        assert_eq!(lead["spent"], "38000.00", "the two payments linked to the vote");
        assert!(lead["outcome"].as_str().unwrap().contains("38,000.00"));
        // to an owner who did not raise it: its public face, without who wrote what
        let id = lead["id"].as_str().unwrap();
        let public = a.api(Method::GET, &format!("/api/v1/requests/{id}"), Some(&owner), None).await.json();
        assert_eq!((public["text"].clone(), public["unit"].clone()), (Value::Null, Value::Null));
        assert_eq!(public["status"], "closed");
        let (session, _) = a.session("owner-13-701").await;
        let page = a.page(&format!("/requests/{id}"), Some(&session)).await.text();
        for mark in [
            "id=\"request-meeting\"",
            "id=\"request-matter\"",
            "request-scenario",
            "id=\"request-spent\"",
            "id=\"public-note\"",
        ] {
            assert!(page.contains(mark), "{mark}");
        }
        assert!(!page.contains("id=\"request-text\"") && !page.contains("id=\"move-form\""));
        // the vote's page links back to the requests it answered, the meeting's too
        let m = a.page(&format!("/matters/{shortcut}"), Some(&session)).await.text();
        assert!(m.contains(&format!("/requests/{id}")) && m.contains("（12）"), "the vote names the 12 households");
        let meeting = lead["meeting"].as_str().unwrap();
        assert!(
            a.page(&format!("/meetings/{meeting}"), Some(&session)).await.text().contains(&format!("/requests/{id}"))
        );
        // the list shows it among the requests taken up in the open
        assert!(a.page("/requests", Some(&session)).await.text().contains(&format!("/requests/{id}")));
        // response times per handler: the three handlers all have requests in the demo
        let times = a.api(Method::GET, "/api/v1/requests/stats", Some(&director), None).await.json();
        for h in ["owners-committee", "property-company", "residents-committee"] {
            assert!(times.as_array().unwrap().iter().any(|x| x["handler"] == h && x["category"].is_null()), "{h}");
        }
        assert_eq!(
            a.api(Method::GET, "/api/v1/requests/stats", Some(&owner), None).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}
