//! Reading maps: what is accepted, and every refusal naming the feature.

use super::*;
use serde_json::json;

fn point(id: &str, kind: &str, extra: Value) -> Value {
    let mut props = json!({"id": id, "kind": kind});
    props.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.36, 31.21]}, "properties": props})
}

fn line(props: Value) -> Value {
    json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.36, 31.21], [121.361, 31.21]]}, "properties": props})
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// An entrance, a junction and a bin room joined by two paths.
fn good() -> Vec<Value> {
    vec![
        point("e1", "entrance", json!({"building": 13, "households": 14})),
        point("j1", "junction", json!({})),
        point("b1", "bin", json!({"hours": ["07:00-09:00", "18:00-20:00"]})),
        line(json!({"from": "e1", "to": "j1", "length": 12.5})),
        line(json!({"from": "j1", "to": "b1", "closed": true})),
    ]
}

fn refused(features: Vec<Value>) -> Refused {
    parse(&collection(features)).unwrap_err()
}

#[test]
fn a_good_map_reads_with_lengths_given_or_measured() {
    let m = parse(&collection(good())).unwrap();
    assert_eq!(m.nodes.len(), 3);
    assert_eq!(m.nodes[0].place, Place::Entrance { building: "13".into(), households: 14 });
    assert_eq!(m.nodes[2].place.kind(), "bin");
    assert_eq!((m.edges[0].length_mm, m.edges[0].closed), (12_500, false));
    // 0.001° of longitude at 31.21° N: 95.29 m on the ellipsoid
    assert_eq!((m.edges[1].length_mm, m.edges[1].closed), (95_294, true));
}

#[test]
fn polygons_are_ignored_and_ids_may_be_numbers_or_on_the_feature() {
    let mut fs = good();
    fs.push(json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[121.36, 31.21], [121.361, 31.21], [121.36, 31.211], [121.36, 31.21]]]}, "properties": {"name": "13号楼"}}));
    fs.push(json!({"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [121.36, 31.21, 4.0]}, "properties": {"kind": "gate"}}));
    fs.push(line(json!({"from": 7, "to": "j1", "length": 0})));
    let m = parse(&collection(fs)).unwrap();
    assert_eq!((m.nodes[3].id.as_str(), m.nodes[3].place.kind()), ("7", "gate"));
    assert_eq!(m.edges[2].length_mm, 0);
}

#[test]
fn malformed_files_are_refused_for_what_they_are() {
    let r = parse("{not json").unwrap_err();
    assert_eq!(r.code(), "map.not-json");
    let r = parse("[1, 2]").unwrap_err();
    assert_eq!(
        (r.code(), r.en().as_str()),
        (
            "map.not-a-feature-collection",
            "the map must be a GeoJSON FeatureCollection with a features array, found an array"
        )
    );
    let r = parse(r#"{"type": "Feature", "geometry": null, "properties": {}}"#).unwrap_err();
    assert!(r.en().ends_with("found an object of type Feature"), "{}", r.en());
}

#[test]
fn a_feature_without_geometry_or_properties_is_named_by_index_and_id() {
    let mut fs = good();
    fs[1] = json!({"type": "Feature", "properties": {"id": "j1", "kind": "junction"}});
    let r = refused(fs);
    assert_eq!(
        (r.code(), r.en().as_str()),
        ("map.feature-without-geometry", "features[1] (id \"j1\") has no geometry")
    );
    let mut fs = good();
    fs[3] = json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}});
    let r = refused(fs);
    assert_eq!((r.code(), r.en().as_str()), ("map.feature-without-properties", "features[3] has no properties"));
    let r = refused(vec![json!(42)]);
    assert_eq!(r.code(), "map.not-a-feature");
}

#[test]
fn bad_geometries_are_refused() {
    let mut fs = good();
    fs[0]["geometry"]["coordinates"] = json!([200.0, 31.0]);
    let r = refused(fs);
    assert_eq!(r.code(), "map.bad-geometry");
    assert_eq!(r.en(), "features[0] (id \"e1\") has a bad geometry: a Point needs [longitude, latitude]");
    let mut fs = good();
    fs[4]["geometry"]["coordinates"] = json!([[121.36, 31.21]]);
    assert_eq!(refused(fs).code(), "map.bad-geometry");
    let mut fs = good();
    fs[4]["geometry"]["type"] = json!("MultiLineString");
    assert!(refused(fs).en().contains("type MultiLineString: nodes are Points and paths LineStrings"));
}

#[test]
fn nodes_need_an_id_a_known_kind_and_a_unique_id() {
    let mut fs = good();
    fs[1]["properties"]["kind"] = json!("tree");
    let r = refused(fs);
    assert_eq!(r.code(), "map.unknown-kind");
    assert_eq!(r.en(), "features[1] (id \"j1\") has kind \"tree\"; expected entrance, junction, gate or bin");
    let mut fs = good();
    fs[1]["properties"].as_object_mut().unwrap().remove("id");
    fs.remove(4);
    fs.remove(3);
    assert_eq!(refused(fs).en(), "features[1] is a Point without an id");
    let mut fs = good();
    fs.push(point("j1", "gate", json!({})));
    let r = refused(fs);
    assert_eq!(
        (r.code(), r.en().as_str()),
        ("map.duplicate-node", "features[5] (id \"j1\") repeats the id of features[1]")
    );
    assert_eq!(r.values()["first"], 1);
}

#[test]
fn entrances_need_their_building_and_households() {
    let mut fs = good();
    fs[0]["properties"].as_object_mut().unwrap().remove("building");
    let r = refused(fs);
    assert_eq!(
        (r.code(), r.en().as_str()),
        ("map.entrance-without-building", "features[0] (id \"e1\") is an entrance without a building")
    );
    for (households, seen) in
        [(json!(null), "null"), (json!(-3), "-3"), (json!(2.5), "2.5"), (json!("many"), "\"many\"")]
    {
        let mut fs = good();
        fs[0]["properties"]["households"] = households;
        let r = refused(fs);
        assert_eq!(r.code(), "map.entrance-without-households");
        assert!(r.en().ends_with(&format!("found {seen}")), "{}", r.en());
    }
    let mut fs = good();
    fs[0]["properties"]["households"] = json!("12");
    assert!(parse(&collection(fs)).is_ok());
}

#[test]
fn bad_opening_hours_name_the_window() {
    let mut fs = good();
    fs[2]["properties"]["hours"] = json!(["07:00-09:00", "evening"]);
    let r = refused(fs);
    assert_eq!(
        (r.code(), r.en().as_str()),
        ("map.bad-opening-hours", "features[2] (id \"b1\") has opening hours \"evening\"; expected HH:MM-HH:MM")
    );
}

#[test]
fn a_bin_room_s_station_is_text_and_goes_round_the_export() {
    let mut fs = good();
    fs[2]["properties"]["station"] = json!(7);
    let r = refused(fs);
    assert_eq!((r.code(), r.en().as_str()), ("map.bad-property", "features[2] (id \"b1\") has a bad station: 7"));
    let mut fs = good();
    fs[2]["properties"]["station"] = json!(" south ");
    let m = parse(&collection(fs)).unwrap();
    let Place::Bin { station, hours } = &m.nodes[2].place else { panic!("b1 is a bin room") };
    assert_eq!((station.as_deref(), hours.len()), (Some("south"), 2));
    assert_eq!(export(&m)["features"][2]["properties"]["station"], json!("south"));
    assert_eq!(parse(&export_string(&m)).unwrap(), m);
}

#[test]
fn edges_need_both_ends_on_the_map_and_a_length_not_below_zero() {
    let mut fs = good();
    fs[3]["properties"]["to"] = json!("j9");
    let r = refused(fs);
    assert_eq!(r.code(), "map.edge-to-missing-node");
    assert_eq!(r.en(), "features[3] connects node \"j9\", which is not on the map");
    let mut fs = good();
    fs[3]["properties"].as_object_mut().unwrap().remove("from");
    assert_eq!(refused(fs).en(), "features[3] is a LineString without from");
    let mut fs = good();
    fs[3]["properties"]["length"] = json!(-1.5);
    let r = refused(fs);
    assert_eq!(
        (r.code(), r.en().as_str()),
        ("map.negative-length", "features[3] has length -1.5; expected metres ≥ 0")
    );
    let mut fs = good();
    fs[3]["properties"]["to"] = json!("e1");
    assert_eq!(refused(fs).code(), "map.edge-to-itself");
    let mut fs = good();
    fs[4]["properties"]["closed"] = json!("yes");
    assert_eq!(refused(fs).en(), "features[4] has a bad closed: \"yes\"");
    let mut fs = good();
    fs[4]["properties"]["id"] = json!("wall-7");
    fs[4]["properties"]["length"] = json!("long");
    assert_eq!(refused(fs).en(), "features[4] (id \"wall-7\") has length long; expected metres ≥ 0");
}

#[test]
fn several_bad_features_are_listed_together_in_file_order_without_echoes() {
    // the paths to the refused junction are not reported again as leading nowhere
    let mut fs = good();
    fs[3]["properties"]["length"] = json!(-2);
    fs[1]["properties"]["kind"] = json!("tree");
    let r = refused(fs);
    assert_eq!(r.code(), "map.bad-features");
    assert_eq!(
        r.en(),
        "the map has 2 problems:\nfeatures[1] (id \"j1\") has kind \"tree\"; expected entrance, junction, gate or bin\n\
         features[3] has length -2; expected metres ≥ 0"
    );
    assert_eq!(r.values()["count"], 2);
    assert!(r.zh().starts_with("地图有 2 处错误：\n要素 features[1]（id \"j1\"）的 kind “tree” 无效"), "{}", r.zh());
}

#[test]
fn an_exported_map_keeps_its_kinds_hours_lengths_and_walls() {
    let m = parse(&collection(good())).unwrap();
    let out = export(&m);
    assert_eq!(
        out["features"][2]["properties"],
        json!({"id": "b1", "kind": "bin", "hours": ["07:00-09:00", "18:00-20:00"]})
    );
    assert_eq!(
        out["features"][0]["properties"],
        json!({"id": "e1", "kind": "entrance", "building": "13", "households": 14})
    );
    assert_eq!(out["features"][4]["properties"], json!({"from": "j1", "to": "b1", "length": 95.294, "closed": true}));
    assert_eq!(parse(&export_string(&m)).unwrap(), m);
}
