//! The map's pages: `/map` (the walks, the what-if form and its before-and-after), saved
//! what-ifs, and `/map/edit` (draw over the site plan, import and export GeoJSON).

use super::svg::{Drawing, draw};
use super::{DEFAULT_AT, EditBody, SaveBody, WhatIfBody};
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::{on_the_page, status_of};
use crate::kit::forms::{Fields, Path, read_multipart};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, Prefs, html, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::map::{Comparison, MapAction, Place, by_building};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/map", get(map_page))
        .route("/map/scenarios", post(save_scenario))
        .route("/map/scenarios/{id}", get(scenario_page))
        .route("/map/edit", get(edit_page).post(edit_save))
        .route("/map/import", post(import_save))
        .route("/map/plan", get(plan_image).post(plan_save))
        .route("/map/export.geojson", get(export))
        .merge(super::requests::routes())
}

/// The what-if as the page's query sends it; no `at` at all means the morning drop-off.
fn what_if_of(query: Option<&str>) -> WhatIfBody {
    let f = Fields::parse(query.unwrap_or(""));
    let all = |k: &str| f.all(k).to_vec();
    WhatIfBody {
        add_path: all("add_path"),
        open: all("open"),
        close: all("close"),
        move_bin: all("move_bin"),
        add_bin: all("add_bin"),
        at: Some(f.get("at").map(String::from).unwrap_or_else(|| DEFAULT_AT.into())),
        day: f.get("day").map(String::from),
    }
}

/// A households-weighted mean walk in metres with one decimal; empty when none is reachable.
fn mean_text(m: Option<gongzhi_core::map::compare::Mean>) -> String {
    m.map(|m| gongzhi_core::map::Decimetres(m.decimetres()).to_string()).unwrap_or_default()
}

/// Per building: [building, households, before, after, saved, households gaining].
fn building_rows(c: &Comparison) -> Vec<[String; 6]> {
    by_building(c)
        .into_iter()
        .map(|b| {
            let gain = match (b.mean_before, b.mean_after) {
                (Some(x), Some(y)) => gongzhi_core::map::Decimetres(x.decimetres() - y.decimetres()).to_string(),
                _ => String::new(),
            };
            [
                b.building,
                b.households.to_string(),
                mean_text(b.mean_before),
                mean_text(b.mean_after),
                gain,
                b.households_gaining.to_string(),
            ]
        })
        .collect()
}

#[derive(Template)]
#[template(path = "map/map.html")]
pub struct MapPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub has_map: bool,
    pub svg: String,
    pub changed: bool,
    pub changes: Vec<String>,
    pub households: u64,
    pub gaining: u64,
    pub mean_before: String,
    pub mean_after: String,
    pub buildings: Vec<[String; 6]>,
    /// The form's values, to fill it again.
    pub q: WhatIfBody,
    pub at: String,
    pub hours: Vec<&'static str>,
    /// Node ids for the form's suggestions; closed pairs to open ("a,b").
    pub nodes: Vec<String>,
    pub walls: Vec<String>,
    /// Each bin room: its id, its opening hours, the waste-sorting station they come from
    /// (empty: as drawn on the map), and the note of that station's change on the day asked for
    /// (empty: none that day).
    pub bins: Vec<[String; 4]>,
    /// The day asked for, `YYYY-MM-DD` (empty: the stations' usual windows).
    pub day: String,
    pub day_changed: bool,
    pub scenarios: Vec<[String; 3]>,
    pub may_save: bool,
    pub may_draw: bool,
    pub may_requests: bool,
    pub matters: Vec<(String, String)>,
    pub projects: Vec<(String, String)>,
    pub error: String,
}

async fn map_view(state: &AppState, p: &Prefs, v: &Viewer, q: WhatIfBody, error: String, status: StatusCode) -> Answer {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let t = p.t();
    let c = v.compound();
    let stored = state.store.walk_map(c).await?;
    let walked = match &stored {
        Some(_) => match on_the_page(super::walk(state, v, &q).await)? {
            Ok(w) => Ok(w),
            Err(x) => Err(x),
        },
        None => Err(gongzhi_core::map::MapRefusal::NoMap.refused()),
    };
    let (walked, error, status) = match walked {
        Ok(w) => (Some(w), error, status),
        Err(x) if stored.is_some() => {
            // show the map as it is, with the refusal
            // on the day asked for if that day reads, else on a usual day
            let on = |day: Option<String>| WhatIfBody { at: q.at.clone(), day, ..Default::default() };
            let plain = match super::walk(state, v, &on(q.day.clone())).await {
                Ok(w) => Some(w),
                Err(_) => super::walk(state, v, &on(None)).await.ok(),
            };
            (plain, x.say(p.lang), status_of(x.kind()))
        }
        Err(_) => (None, error, status),
    };
    let may_save = v.may(MapAction::SaveScenarios, Subject::Compound);
    let (mut matters, mut projects) = (Vec::new(), Vec::new());
    if may_save {
        matters = state.store.matters(c).await?.into_iter().map(|m| (m.id, m.title)).collect();
        projects = state.store.projects(c).await?.into_iter().map(|x| (x.id, x.title)).collect();
    }
    let titles: std::collections::HashMap<String, String> =
        state.store.matters(c).await?.into_iter().map(|m| (m.id, m.title)).collect();
    let scenarios = state
        .store
        .scenarios(c)
        .await?
        .into_iter()
        .map(|s| [s.id, s.title, s.matter.and_then(|m| titles.get(&m).cloned()).unwrap_or_default()])
        .collect();
    let mut page = MapPage {
        t,
        c: chrome(state, p, Some(v), "/map").await,
        has_map: stored.is_some(),
        svg: String::new(),
        changed: false,
        changes: Vec::new(),
        households: 0,
        gaining: 0,
        mean_before: String::new(),
        mean_after: String::new(),
        buildings: Vec::new(),
        at: q.at.clone().unwrap_or_default(),
        day: q.day.clone().unwrap_or_default(),
        day_changed: false,
        hours: vec!["07:00", "08:00", "12:00", "18:00", "19:00", "21:00"],
        q,
        nodes: Vec::new(),
        walls: Vec::new(),
        bins: Vec::new(),
        scenarios,
        may_save,
        may_draw: v.may(MapAction::DrawMap, Subject::Compound),
        may_requests: v.may(MapAction::SubmitRequests, Subject::Compound),
        matters,
        projects,
        error,
    };
    if let Some(w) = walked {
        let plan = stored.as_ref().and_then(|s| s.plan.clone());
        page.changed = !w.scenario.changes.is_empty();
        page.svg = draw(
            &Drawing {
                map: &w.map,
                after: Some(&w.after),
                comparison: Some(&w.comparison),
                plan: plan.as_ref(),
                editing: false,
                picking: false,
            },
            t,
            t.m_map(),
        );
        page.changes = w.scenario.changes.iter().map(|c| c.to_string()).collect();
        page.day_changed = !w.day_changes.is_empty();
        page.households = w.comparison.households;
        page.gaining = w.comparison.households_gaining;
        page.mean_before = mean_text(w.comparison.mean_before);
        page.mean_after = mean_text(w.comparison.mean_after);
        page.buildings = building_rows(&w.comparison);
        page.nodes =
            w.map.nodes.iter().filter(|n| !matches!(n.place, Place::Entrance { .. })).map(|n| n.id.clone()).collect();
        let stations = stored.as_ref().map(|s| &s.stations);
        page.bins = w
            .map
            .nodes
            .iter()
            .filter_map(|n| match &n.place {
                Place::Bin { hours, .. } => {
                    let station = stations.and_then(|s| s.get(&n.id)).cloned().unwrap_or_default();
                    let change = w.day_changes.get(&n.id).map(|note| match note.trim() {
                        "" => t.m_day_change().to_string(),
                        x => x.to_string(),
                    });
                    Some([n.id.clone(), super::hours_text(t, hours), station, change.unwrap_or_default()])
                }
                _ => None,
            })
            .collect();
        let mut walls: Vec<String> = w
            .map
            .edges
            .iter()
            .filter(|e| e.closed)
            .map(|e| format!("{},{}", w.map.nodes[e.from].id, w.map.nodes[e.to].id))
            .collect();
        walls.dedup();
        page.walls = walls;
    }
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn map_page(State(state): State<AppState>, p: Prefs, v: Viewer, RawQuery(q): RawQuery) -> Answer {
    map_view(&state, &p, &v, what_if_of(q.as_deref()), String::new(), StatusCode::OK).await
}

async fn save_scenario(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let all = |k: &str| f.all(k).to_vec();
    let b = SaveBody {
        title: f.one("title").into(),
        what_if: WhatIfBody {
            add_path: all("add_path"),
            open: all("open"),
            close: all("close"),
            move_bin: all("move_bin"),
            add_bin: all("add_bin"),
            at: Some(f.one("at").into()),
            day: f.get("day").map(String::from),
        },
        matter: f.get("matter").map(String::from),
        project: f.get("project").map(String::from),
    };
    match on_the_page(super::save(&state, &v, Some(f.one("csrf")), &b).await)? {
        Ok(s) => Ok(see_other(&format!("/map/scenarios/{}", s.id))),
        Err(x) => map_view(&state, &p, &v, b.what_if, x.say(p.lang), status_of(x.kind())).await,
    }
}

#[derive(Template)]
#[template(path = "map/scenario.html")]
pub struct ScenarioPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub title: String,
    pub svg: String,
    pub changes: Vec<String>,
    pub at: String,
    pub households: u64,
    pub gaining: u64,
    pub mean_before: String,
    pub mean_after: String,
    pub buildings: Vec<[String; 6]>,
    /// (id, title) of the matter it is attached to, and of the project.
    pub matter: Option<(String, String)>,
    pub project: Option<(String, String)>,
    /// The page's query to try it again on `/map`.
    pub again: String,
}

async fn scenario_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let t = p.t();
    let c = v.compound();
    let s = state.store.scenario(c, &id).await?;
    let body = WhatIfBody::of(&s.scenario, s.minute);
    let w = super::walk(&state, &v, &body).await?;
    let plan = state.store.walk_map(c).await?.and_then(|m| m.plan);
    let svg = draw(
        &Drawing {
            map: &w.map,
            after: Some(&w.after),
            comparison: Some(&w.comparison),
            plan: plan.as_ref(),
            editing: false,
            picking: false,
        },
        t,
        &s.title,
    );
    let matter = match &s.matter {
        Some(m) => Some((m.clone(), state.store.matter(c, m).await?.title)),
        None => None,
    };
    let project = match &s.project {
        Some(x) => Some((x.clone(), state.store.project(c, x).await?.title)),
        None => None,
    };
    let mut again: Vec<String> = Vec::new();
    for (k, vs) in [
        ("add_path", &body.add_path),
        ("open", &body.open),
        ("close", &body.close),
        ("move_bin", &body.move_bin),
        ("add_bin", &body.add_bin),
    ] {
        for x in vs {
            again.push(format!("{k}={}", crate::kit::views::encode(x)));
        }
    }
    again.push(format!("at={}", crate::kit::views::encode(body.at.as_deref().unwrap_or(""))));
    let page = ScenarioPage {
        t,
        c: chrome(&state, &p, Some(&v), &format!("/map/scenarios/{id}")).await,
        title: s.title.clone(),
        svg,
        changes: w.scenario.changes.iter().map(|c| c.to_string()).collect(),
        at: body.at.clone().unwrap_or_default(),
        households: w.comparison.households,
        gaining: w.comparison.households_gaining,
        mean_before: mean_text(w.comparison.mean_before),
        mean_after: mean_text(w.comparison.mean_after),
        buildings: building_rows(&w.comparison),
        matter,
        project,
        again: again.join("&"),
    };
    Ok(html(render(&page)))
}

#[derive(Template)]
#[template(path = "map/edit.html")]
pub struct EditPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub svg: String,
    pub nodes: usize,
    pub edges: usize,
    /// (id, kind) of every node.
    pub ids: Vec<(String, String)>,
    /// The waste-sorting stations a bin room can be: (id, name).
    pub stations: Vec<(String, String)>,
    pub plan: Option<[String; 4]>,
    pub saved: bool,
    pub error: String,
}

async fn edit_view(state: &AppState, p: &Prefs, v: &Viewer, saved: bool, error: String, status: StatusCode) -> Answer {
    v.require(MapAction::DrawMap, Subject::Compound)?;
    let t = p.t();
    let stored = state.store.walk_map(v.compound()).await?;
    let map = stored.as_ref().map(|s| s.map.clone()).unwrap_or_default();
    let plan = stored.as_ref().and_then(|s| s.plan.clone());
    let page = EditPage {
        t,
        c: chrome(state, p, Some(v), "/map/edit").await,
        svg: draw(
            &Drawing { map: &map, after: None, comparison: None, plan: plan.as_ref(), editing: true, picking: false },
            t,
            t.m_edit(),
        ),
        nodes: map.nodes.len(),
        edges: map.edges.len(),
        ids: map.nodes.iter().map(|n| (n.id.clone(), n.place.kind().to_string())).collect(),
        stations: state
            .store
            .stations(v.compound())
            .await?
            .into_iter()
            .map(|(s, _)| (s.id.as_str().to_string(), s.name))
            .collect(),
        plan: plan.map(|p| p.bounds.map(|b| b.to_string())).or_else(|| bbox(&map)),
        saved,
        error,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn edit_page(State(state): State<AppState>, p: Prefs, v: Viewer, RawQuery(q): RawQuery) -> Answer {
    let saved = q.is_some_and(|q| q.contains("saved"));
    edit_view(&state, &p, &v, saved, String::new(), StatusCode::OK).await
}

async fn edit_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = EditBody {
        edit: f.one("edit").into(),
        id: f.one("id").into(),
        kind: f.one("kind").into(),
        building: f.one("building").into(),
        households: f.one("households").into(),
        hours: f.one("hours").into(),
        station: f.one("station").into(),
        lon: f.one("lon").into(),
        lat: f.one("lat").into(),
        from: f.one("from").into(),
        to: f.one("to").into(),
        length: f.one("length").into(),
        closed: f.get("closed").is_some(),
    };
    match on_the_page(super::edit(&state, &v, Some(f.one("csrf")), &b).await)? {
        Ok(_) => Ok(see_other("/map/edit?saved=1")),
        Err(x) => edit_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

async fn import_save(State(state): State<AppState>, p: Prefs, v: Viewer, mp: Multipart) -> Answer {
    let (fields, files) = read_multipart(mp).await?;
    let csrf = fields.get("csrf").map(String::as_str);
    let text = files
        .iter()
        .find(|f| f.0 == "map")
        .map(|f| String::from_utf8_lossy(&f.3).into_owned())
        .or_else(|| fields.get("geojson").cloned())
        .unwrap_or_default();
    match on_the_page(super::import(&state, &v, csrf, &text).await)? {
        Ok(_) => Ok(see_other("/map/edit?saved=1")),
        Err(x) => edit_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

async fn plan_save(State(state): State<AppState>, p: Prefs, v: Viewer, mp: Multipart) -> Answer {
    let (fields, files) = read_multipart(mp).await?;
    let csrf = fields.get("csrf").map(String::as_str);
    let f = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let (name, bytes) =
        files.iter().find(|x| x.0 == "plan").map(|x| (x.1.as_str(), x.3.as_slice())).unwrap_or(("", &[]));
    let r = super::site_plan(&state, &v, csrf, name, bytes, [f("west"), f("south"), f("east"), f("north")]).await;
    match on_the_page(r)? {
        Ok(_) => Ok(see_other("/map/edit?saved=1")),
        Err(x) => edit_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

/// The site plan image, to those who read the map; never served as anything but an image.
async fn plan_image(State(state): State<AppState>, v: Viewer) -> Answer {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let (ct, bytes) = state
        .store
        .site_plan_image(v.compound())
        .await?
        .ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
    Ok(image(&ct, bytes))
}

/// An uploaded image as a response: its type checked on upload, sniffing off, no scripts.
pub fn image(ct: &str, bytes: Vec<u8>) -> axum::response::Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    let ct = match ct {
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" => ct,
        _ => "application/octet-stream",
    };
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ct).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert("content-security-policy", HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
    r
}

async fn export(State(state): State<AppState>, v: Viewer) -> Answer {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let map = state.store.walk_map_or_refuse(v.compound()).await?;
    let mut r = gongzhi_core::map::geojson::export_string(&map).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"map.geojson\""));
    Ok(r)
}

/// The map's nodes' bounding box (west, south, east, north), to start a site plan's edges from.
fn bbox(map: &gongzhi_core::map::WalkMap) -> Option<[String; 4]> {
    let lons = map.nodes.iter().map(|n| n.position.lon);
    let lats = map.nodes.iter().map(|n| n.position.lat);
    let (w, e) = lons.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let (s, n) = lats.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    (w <= e).then(|| [w, s, e, n].map(|x| format!("{x:.6}")))
}
