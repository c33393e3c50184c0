//! The map as a GeoJSON FeatureCollection (WGS84), both ways.
//!
//! Point features are nodes: properties `id`, `kind` (`entrance`|`junction`|`gate`|`bin`), for
//! entrances `building` and `households`, for bin rooms optional `hours` (`"07:00-09:00"` or a
//! list of such windows) and optional `station`, the waste-sorting station it is (the product
//! then takes that station's windows as its hours; `gongzhi walk`, with no database, reads
//! `hours`). LineString features are footpaths: `from`, `to`, optional `length` in
//! metres (else the geodesic length of the coordinates) and optional `"closed": true` for a wall
//! or a closed gate. Polygons (building outlines over a site plan) are ignored. Ids may be
//! strings or integers; `id` may also sit on the feature itself. Lengths are rounded to mm.

use crate::kit::{Both, Lines, Refusal, Refused};
use crate::map::geo::{Position, polyline_mm, to_mm};
use crate::map::graph::{NodeIx, Place, WalkMap};
use crate::map::hours::Hours;
use crate::map::refusal::{FeatureAt, MapRefusal};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// How many problems a refusal lists before it only counts them.
const LISTED: usize = 20;

/// Reads a map. One bad feature is refused with its own code; several are refused together as
/// `map.bad-features`, each on its own line (the first 20 listed, all counted).
pub fn parse(text: &str) -> Result<WalkMap, Refused> {
    let problems = match read(text) {
        Ok(map) => return Ok(map),
        Err(p) => p,
    };
    let mut problems = problems.into_iter();
    match (problems.next(), problems.len()) {
        (Some(only), 0) => Err(only.refused()),
        (Some(first), rest) => {
            let lines =
                std::iter::once(first).chain(problems).take(LISTED).map(|p| Both { zh: p.zh(), en: p.en() }).collect();
            Err(MapRefusal::BadFeatures { count: rest + 1, problems: Lines(lines) }.refused())
        }
        (None, _) => unreachable!("read fails with at least one problem"),
    }
}

/// Reads a map, or every problem found (the file's own shape first, then feature by feature).
pub fn read(text: &str) -> Result<WalkMap, Vec<MapRefusal>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| vec![MapRefusal::NotJson { detail: e.to_string() }])?;
    let features = match (&doc, doc.get("type").and_then(Value::as_str), doc.get("features")) {
        (_, Some("FeatureCollection"), Some(Value::Array(fs))) => fs,
        _ => return Err(vec![MapRefusal::NotFeatureCollection { found: describe(&doc) }]),
    };
    let mut problems = Vec::new();
    let mut map = WalkMap::new();
    let mut feature_of: Vec<usize> = Vec::new(); // node index → feature index
    let mut lines = Vec::new();
    let mut refused = HashSet::new(); // ids of Points refused for their own problem
    for (index, f) in features.iter().enumerate() {
        match read_feature(index, f) {
            Ok(Feature::Node(id, place, pos)) => match map.add_node(id.clone(), place, pos) {
                Ok(_) => feature_of.push(index),
                Err(first) => problems.push(MapRefusal::DuplicateNode {
                    feature: FeatureAt { index, id: Some(id) },
                    first: feature_of[first],
                }),
            },
            Ok(Feature::Line(at, props, line)) => lines.push((at, props, line)),
            Ok(Feature::Ignored) => {}
            Err(p) => {
                let props = f.get("properties");
                let point = f.get("geometry").and_then(|g| g.get("type")).is_some_and(|t| t == "Point");
                if point || props.and_then(|p| p.get("kind")).is_some() {
                    refused.extend(at_id(&p));
                }
                problems.push(p);
            }
        }
    }
    for (feature, props, line) in lines {
        match read_edge(&map, &refused, &feature, props, &line) {
            Ok(Some((from, to, length_mm, closed))) => {
                map.add_edge(from, to, length_mm, closed);
                map.edges.last_mut().expect("just added").line = line;
            }
            Ok(None) => {}
            Err(p) => problems.push(p),
        }
    }
    // problems in file order, whichever pass found them
    problems.sort_by_key(feature_index);
    if problems.is_empty() { Ok(map) } else { Err(problems) }
}

enum Feature<'a> {
    Node(String, Place, Position),
    Line(FeatureAt, &'a Map<String, Value>, Vec<Position>),
    Ignored,
}

fn read_feature(index: usize, f: &Value) -> Result<Feature<'_>, MapRefusal> {
    let id = f.get("properties").and_then(|p| p.get("id")).or_else(|| f.get("id")).and_then(name);
    let at = FeatureAt { index, id: id.clone() };
    let Some(obj) = f.as_object().filter(|o| o.get("type").is_none_or(|t| t == "Feature")) else {
        return Err(MapRefusal::NotAFeature { feature: at });
    };
    let geometry = match obj.get("geometry") {
        Some(g @ Value::Object(_)) => g,
        _ => return Err(MapRefusal::MissingGeometry { feature: at }),
    };
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        _ => return Err(MapRefusal::MissingProperties { feature: at }),
    };
    let bad = |detail: &str| MapRefusal::BadGeometry { feature: at.clone(), detail: detail.into() };
    let coordinates = geometry.get("coordinates");
    match geometry.get("type").and_then(Value::as_str) {
        Some("Point") => {
            let pos = coordinates.and_then(position).ok_or_else(|| bad("a Point needs [longitude, latitude]"))?;
            read_node(at, props, pos)
        }
        Some("LineString") => {
            let line: Option<Vec<Position>> =
                coordinates.and_then(Value::as_array).and_then(|a| a.iter().map(position).collect());
            match line {
                Some(line) if line.len() >= 2 => Ok(Feature::Line(at, props, line)),
                _ => Err(bad("a LineString needs at least two [longitude, latitude] positions")),
            }
        }
        Some("Polygon" | "MultiPolygon") => Ok(Feature::Ignored),
        Some(other) => Err(bad(&format!("type {other}: nodes are Points and paths LineStrings"))),
        None => Err(bad("no type")),
    }
}

fn read_node<'a>(at: FeatureAt, props: &Map<String, Value>, pos: Position) -> Result<Feature<'a>, MapRefusal> {
    let Some(id) = at.id.clone() else {
        return Err(MapRefusal::NodeWithoutId { feature: at });
    };
    let place = match props.get("kind").and_then(Value::as_str) {
        Some("entrance") => {
            let Some(building) = props.get("building").and_then(name) else {
                return Err(MapRefusal::EntranceWithoutBuilding { feature: at });
            };
            let households = props.get("households");
            let Some(households) = households.and_then(count) else {
                let value = households.map_or("nothing".into(), Value::to_string);
                return Err(MapRefusal::EntranceWithoutHouseholds { feature: at, value });
            };
            Place::Entrance { building, households }
        }
        Some("junction") => Place::Junction,
        Some("gate") => Place::Gate,
        Some("bin") => {
            let windows: Vec<&Value> = match props.get("hours") {
                None | Some(Value::Null) => vec![],
                Some(Value::Array(a)) => a.iter().collect(),
                Some(one) => vec![one],
            };
            let mut hours = Vec::new();
            for w in windows {
                match w.as_str().and_then(Hours::parse) {
                    Some(h) => hours.push(h),
                    None => return Err(MapRefusal::BadHours { feature: at, value: text_of(w) }),
                }
            }
            let station = match props.get("station") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Some(other) => {
                    return Err(MapRefusal::BadProperty {
                        feature: at,
                        field: "station".into(),
                        value: text_of(other),
                    });
                }
            };
            Place::Bin { hours, station }
        }
        _ => {
            let kind = props.get("kind").map_or("(none)".into(), text_of);
            return Err(MapRefusal::UnknownKind { feature: at, kind });
        }
    };
    Ok(Feature::Node(id, place, pos))
}

/// An edge's ends, length and flag; `Ok(None)` when an end is a node already refused (its own
/// problem is reported, not again as a missing node here).
fn read_edge(
    map: &WalkMap,
    refused: &HashSet<String>,
    at: &FeatureAt,
    props: &Map<String, Value>,
    line: &[Position],
) -> Result<Option<(NodeIx, NodeIx, u64, bool)>, MapRefusal> {
    let end = |field: &str| -> Result<Option<NodeIx>, MapRefusal> {
        let Some(node) = props.get(field).and_then(name) else {
            return Err(MapRefusal::EdgeWithoutEnd { feature: at.clone(), field: field.into() });
        };
        match map.find(&node) {
            Some(ix) => Ok(Some(ix)),
            None if refused.contains(&node) => Ok(None),
            None => Err(MapRefusal::EdgeToMissingNode { feature: at.clone(), node }),
        }
    };
    let (from, to) = (end("from")?, end("to")?);
    if let Some(f) = from
        && from == to
    {
        return Err(MapRefusal::EdgeToItself { feature: at.clone(), node: map.nodes[f].id.clone() });
    }
    let length_mm = match props.get("length") {
        None | Some(Value::Null) => polyline_mm(line),
        Some(v) => match v.as_f64() {
            Some(m) if m.is_finite() && m >= 0.0 => to_mm(m),
            _ => return Err(MapRefusal::BadLength { feature: at.clone(), value: text_of(v) }),
        },
    };
    let closed = match props.get("closed") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            return Err(MapRefusal::BadProperty { feature: at.clone(), field: "closed".into(), value: v.to_string() });
        }
    };
    Ok(from.zip(to).map(|(from, to)| (from, to, length_mm, closed)))
}

/// An id, building or node reference: a non-empty string (trimmed) or an integer.
fn name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

/// A household count: a whole number ≥ 0, as a number or as digits.
fn count(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) if !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit()) => {
            s.trim().parse().ok()
        }
        _ => None,
    }
}

fn position(v: &Value) -> Option<Position> {
    match v.as_array()?.as_slice() {
        [lon, lat, ..] => Position::new(lon.as_f64()?, lat.as_f64()?),
        _ => None,
    }
}

/// A value as a person would recognise it: strings without their quotes.
fn text_of(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

fn describe(doc: &Value) -> String {
    match doc {
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some("FeatureCollection") => "a FeatureCollection without a features array".into(),
            Some(t) => format!("an object of type {t}"),
            None => "an object without a type".into(),
        },
        Value::Array(_) => "an array".into(),
        Value::String(_) => "a string".into(),
        Value::Number(_) => "a number".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Null => "null".into(),
    }
}

/// The id of the feature a problem is about, if any.
fn at_id(p: &MapRefusal) -> Option<String> {
    p.values().get("feature").and_then(|f| f.get("id")).and_then(Value::as_str).map(str::to_string)
}

fn feature_index(p: &MapRefusal) -> usize {
    p.values().get("feature").and_then(|f| f.get("index")).and_then(Value::as_u64).unwrap_or(0) as usize
}

/// The map as a FeatureCollection that [`parse`] reads back to the same map: every edge carries
/// its exact length in metres (three decimals) so nothing is recomputed.
pub fn export(map: &WalkMap) -> Value {
    let coords = |p: &Position| json!([p.lon, p.lat]);
    let mut features = Vec::with_capacity(map.nodes.len() + map.edges.len());
    for n in &map.nodes {
        let mut props = Map::new();
        props.insert("id".into(), json!(n.id));
        props.insert("kind".into(), json!(n.place.kind()));
        match &n.place {
            Place::Entrance { building, households } => {
                props.insert("building".into(), json!(building));
                props.insert("households".into(), json!(households));
            }
            Place::Bin { hours, station } => {
                if !hours.is_empty() {
                    props.insert("hours".into(), json!(hours.iter().map(Hours::to_string).collect::<Vec<_>>()));
                }
                if let Some(s) = station {
                    props.insert("station".into(), json!(s));
                }
            }
            _ => {}
        }
        features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": coords(&n.position)}, "properties": props}));
    }
    for e in &map.edges {
        let mut props = Map::new();
        props.insert("from".into(), json!(map.nodes[e.from].id));
        props.insert("to".into(), json!(map.nodes[e.to].id));
        props.insert("length".into(), json!(e.length_mm as f64 / 1000.0));
        if e.closed {
            props.insert("closed".into(), json!(true));
        }
        let line: Vec<Value> = e.line.iter().map(coords).collect();
        features.push(
            json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": line}, "properties": props}),
        );
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// [`export`] as pretty-printed text.
pub fn export_string(map: &WalkMap) -> String {
    serde_json::to_string_pretty(&export(map)).expect("a JSON value always serialises")
}

#[cfg(test)]
#[path = "geojson_tests.rs"]
mod tests;
