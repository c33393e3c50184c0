//! The walking map and residents' requests on the web (issue 16). The committee draws or imports
//! the compound's map and tries what-ifs (a new path, an opened wall, a moved bin room) before it
//! spends; everyone sees how far each building walks to its bin room. Residents submit requests
//! (诉求) that are routed, grouped, answered and followed to the meeting, the vote and the work
//! that answered them. [`pages`] and [`requests`]: the pages; [`api`]: the JSON API; the
//! functions here are the writes and reads both serve.

use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::AppError;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::period::parse_day;
use gongzhi_core::map::cli::{parse_add_path, parse_pair};
use gongzhi_core::map::hours::minute_of_day;
use gongzhi_core::map::{Change, Comparison, Hours, MapAction, MapRefusal as R, Scenario, WalkMap, what_if};
use gongzhi_store::map::{NewScenario, ScenarioRecord};
use std::collections::BTreeMap;

pub mod api;
pub mod pages;
pub mod requests;
pub mod svg;

crate::kit::i18n::messages! {
    m_map => "步行地图", "Walking map";
    m_map_hint => "每个楼门到最近垃圾箱房的步行距离。可以试着加一条路、打开一堵围墙、挪动或增设垃圾箱房，先看谁受益、受益多少，再做决定。", "How far each entrance walks to its nearest bin room. Try a new path, an opened wall, a moved or added bin room, and see who gains and by how much before deciding.";
    m_requests => "居民诉求", "Residents' requests";
    m_bin => "垃圾箱房", "Bin room";
    m_gate => "大门", "Gate";
    m_all_day => "全天开放", "open all day";
    m_closed_that_day => "当天不开放", "closed that day";
    m_day => "按某一天的投放点安排（节假日调整）", "On a particular day (the stations' holiday changes)";
    m_day_change => "当天调整", "That day's change";
    m_day_changes_hint => "这一天有投放点调整了开放时间，下面的步行距离已按当天的安排计算。", "A station opens otherwise on this day: the walks below count that day's hours.";
    m_bin_rooms => "垃圾箱房开放时间", "Bin rooms' opening hours";
    m_opening => "开放时间", "Open";
    m_hours_from => "时间依据", "Hours from";
    m_hours_drawn => "地图上标注", "as drawn on the map";
    m_station => "对应的分类投放点（开放时间以投放点为准）", "The waste-sorting station it is (its windows are the hours)";
    m_at => "按此时段开放的垃圾箱房计算", "Count the bin rooms open at";
    m_at_all => "所有垃圾箱房（不论时段）", "every bin room (any time)";
    m_building => "楼栋", "Building";
    m_households => "户数", "Households";
    m_before => "现在（米）", "Now (m)";
    m_after => "方案后（米）", "After (m)";
    m_gain => "少走（米）", "Saved (m)";
    m_gaining => "受益户数", "Households gaining";
    m_mean => "户均步行距离", "Mean walk per household";
    m_unreachable => "到不了", "unreachable";
    m_whatif => "试一试", "Try a what-if";
    m_add_path => "新修道路（起点,终点[,长度米]）", "Add a path (from,to[,metres])";
    m_open => "打开围墙或大门（两端）", "Open a wall or gate (its two ends)";
    m_move_bin => "挪动垃圾箱房（箱房,新位置）", "Move a bin room (bin,new place)";
    m_add_bin => "增设垃圾箱房（位置）", "Add a bin room (place)";
    m_compute => "计算", "Compute";
    m_result => "方案前后对比", "Before and after";
    m_summary => "受益", "gain";
    m_save => "保存方案", "Save the what-if";
    m_title => "方案名称", "Title";
    m_attach_matter => "关联表决事项", "Attach to a vote";
    m_attach_project => "关联项目", "Attach to a project";
    m_none => "不关联", "none";
    m_scenarios => "已保存的方案", "Saved what-ifs";
    m_scenario => "方案测算", "What-if";
    m_changes => "改动", "Changes";
    m_edit => "绘制与导入", "Draw and import";
    m_export => "导出 GeoJSON", "Export GeoJSON";
    m_import => "导入 GeoJSON", "Import GeoJSON";
    m_import_hint => "GeoJSON 要素集合（WGS84）：点要素含 id、kind（entrance、junction、gate、bin），楼门另含 building 和 households；线要素含 from、to，可含 length（米）和 closed。导入将替换现有地图；有错误时不做任何改动，并指出出错的要素。", "A GeoJSON FeatureCollection (WGS84): Point features with id and kind (entrance, junction, gate, bin), entrances also building and households; LineStrings with from, to, optional length (metres) and closed. Importing replaces the map; with any bad feature nothing changes and each is named.";
    m_plan => "总平面图", "Site plan";
    m_plan_hint => "上传小区总平面图（PNG、JPEG 或 WebP 图片），并填写其四边的经纬度，即可在图上描点画线。", "Upload the compound's site plan (a PNG, JPEG or WebP image) and the longitude and latitude of its edges, then draw on it.";
    m_west => "西边经度", "West (longitude)";
    m_south => "南边纬度", "South (latitude)";
    m_east => "东边经度", "East (longitude)";
    m_north => "北边纬度", "North (latitude)";
    m_upload => "上传", "Upload";
    m_place_node => "放置节点", "Place a node";
    m_place_hint => "点一下地图即可填入位置；填已有的编号则移动它。", "Tap the map to fill in the place; an id already on the map moves that node.";
    m_node_id => "编号", "Id";
    m_kind => "类型", "Kind";
    m_kind_entrance => "楼门", "Entrance";
    m_kind_junction => "路口", "Junction";
    m_kind_gate => "大门", "Gate";
    m_kind_bin => "垃圾箱房", "Bin room";
    m_hours => "开放时间（如 07:00-09:00,18:00-20:00）", "Opening hours (e.g. 07:00-09:00,18:00-20:00)";
    m_lon => "经度", "Longitude";
    m_lat => "纬度", "Latitude";
    m_connect => "连接两点", "Connect two nodes";
    m_connect_hint => "依次点两个节点即可填入两端。", "Tap two nodes to fill in the ends.";
    m_from => "起点", "From";
    m_to => "终点", "To";
    m_length => "长度（米，可不填）", "Length (metres, optional)";
    m_closed => "围墙或锁闭的门（不通行）", "A wall or locked gate (closed)";
    m_remove => "删除节点", "Remove a node";
    m_disconnect => "断开两点", "Disconnect two nodes";
    m_no_map => "还没有步行地图。", "There is no walking map yet.";
    m_nodes => "节点", "nodes";
    m_edges => "道路", "paths";
    m_legend => "图例", "Legend";
    m_added => "方案新增或打开的通道", "added or opened by the what-if";
    m_wall => "围墙或锁闭的门", "wall or locked gate";
    m_shows_map => "此方案关联的表决事项", "The vote this what-if is attached to";
}

/// A bin room's opening hours as the pages show them: `07:00-09:00, 18:00-20:00`, or open all day.
pub(crate) fn hours_text(t: crate::kit::i18n::Tr, hours: &[Hours]) -> String {
    if hours.is_empty() {
        t.m_all_day().to_string()
    } else if hours.iter().all(Hours::is_closed) {
        t.m_closed_that_day().to_string()
    } else {
        hours.iter().map(Hours::to_string).collect::<Vec<_>>().join(", ")
    }
}

fn bad(field: &str, reason: impl Into<String>) -> AppError {
    R::BadEdit { reason: format!("{field}: {}", reason.into()) }.refused().into()
}

/// A what-if as a page's query, a form or the API sends it: each change in `gongzhi walk`'s
/// option form.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct WhatIfBody {
    /// Paths to add: `A,B` or `A,B,LENGTH` (metres; else the straight geodesic).
    #[serde(default)]
    pub add_path: Vec<String>,
    /// Walls or gates to open: `A,B`.
    #[serde(default)]
    pub open: Vec<String>,
    /// Paths to close: `A,B`.
    #[serde(default)]
    pub close: Vec<String>,
    /// Bin rooms to move: `BIN,NODE`.
    #[serde(default)]
    pub move_bin: Vec<String>,
    /// Bin rooms to add: `NODE` or `NODE,HH:MM-HH:MM,…`.
    #[serde(default)]
    pub add_bin: Vec<String>,
    /// `HH:MM`: only the bin rooms open then count; empty: every bin room.
    #[serde(default)]
    pub at: Option<String>,
    /// `YYYY-MM-DD`: the waste stations open as that day's changes have them (a holiday closes
    /// one or moves its windows); empty: their usual windows.
    #[serde(default)]
    pub day: Option<String>,
}

impl WhatIfBody {
    pub fn scenario(&self) -> Result<Scenario, AppError> {
        let filled =
            |v: &Vec<String>| v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>();
        let mut changes = Vec::new();
        for a in filled(&self.add_path) {
            changes.push(parse_add_path(&a)?);
        }
        for a in filled(&self.open) {
            let (a, b) = parse_pair("--open", &a)?;
            changes.push(Change::Open { a, b });
        }
        for a in filled(&self.close) {
            let (a, b) = parse_pair("--close", &a)?;
            changes.push(Change::Close { a, b });
        }
        for a in filled(&self.move_bin) {
            let (bin, to) = parse_pair("--move-bin", &a)?;
            changes.push(Change::MoveBin { bin, to });
        }
        for a in filled(&self.add_bin) {
            let mut parts = a.split([',', '，']).map(str::trim);
            let at = parts.next().unwrap_or_default().to_string();
            let mut hours = Vec::new();
            for h in parts {
                hours.push(Hours::parse(h).ok_or_else(|| R::BadTime { value: h.into() }.refused())?);
            }
            changes.push(Change::AddBin { at, hours });
        }
        Ok(Scenario::new(changes))
    }

    pub fn minute(&self) -> Result<Option<u16>, AppError> {
        match self.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(t) => Ok(Some(minute_of_day(t).ok_or_else(|| R::BadTime { value: t.into() }.refused())?)),
        }
    }

    pub fn day(&self) -> Result<Option<jiff::civil::Date>, AppError> {
        match self.day.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(d) => Ok(Some(parse_day(d).ok_or_else(|| R::BadDay { value: d.into() }.refused())?)),
        }
    }

    /// The body of a saved scenario, to show it again.
    pub fn of(s: &Scenario, minute: Option<u16>) -> WhatIfBody {
        let mut b = WhatIfBody { at: minute.map(|m| format!("{:02}:{:02}", m / 60, m % 60)), ..Default::default() };
        for c in &s.changes {
            let text = c.to_string();
            let value = text.split_once(' ').map(|(_, v)| v.to_string()).unwrap_or_default();
            match c {
                Change::AddPath { .. } => b.add_path.push(value),
                Change::Open { .. } => b.open.push(value),
                Change::Close { .. } => b.close.push(value),
                Change::MoveBin { .. } => b.move_bin.push(value),
                Change::AddBin { .. } => b.add_bin.push(value),
            }
        }
        b
    }
}

/// The default hour of a walk on the pages: the morning drop-off (Shanghai's fixed-time
/// sorting: 07:00–09:00 and 18:00–20:00).
pub const DEFAULT_AT: &str = "07:00";

/// The map, the map after the what-if and the comparison.
pub struct Walked {
    pub map: WalkMap,
    pub after: WalkMap,
    pub scenario: Scenario,
    pub comparison: Comparison,
    pub minute: Option<u16>,
    /// The day asked for, and the bin rooms whose station's windows differ that day, with the
    /// change's note, by bin node id.
    pub day: Option<jiff::civil::Date>,
    pub day_changes: BTreeMap<String, String>,
}

pub async fn walk(state: &AppState, v: &Viewer, b: &WhatIfBody) -> Result<Walked, AppError> {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let day = b.day()?;
    let Some(stored) = state.store.walk_map_on(v.compound(), day).await? else { return Err(R::NoMap.refused().into()) };
    let map = stored.map;
    let (scenario, minute) = (b.scenario()?, b.minute()?);
    let after = scenario.apply(&map)?;
    let comparison = what_if(&map, &scenario, minute)?;
    Ok(Walked { map, after, scenario, comparison, minute, day, day_changes: stored.day_changes })
}

pub async fn import(state: &AppState, v: &Viewer, csrf: Option<&str>, geojson: &str) -> Result<WalkMap, AppError> {
    v.acting(MapAction::DrawMap, Subject::Compound, csrf)?;
    Ok(state.store.import_walk_map(v.compound(), geojson, v.actor()).await?)
}

/// One edit of the drawn map as a form or the API sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct EditBody {
    /// place, remove, connect or disconnect
    pub edit: String,
    /// place, remove: the node's id.
    #[serde(default)]
    pub id: String,
    /// place: entrance, junction, gate or bin
    #[serde(default)]
    pub kind: String,
    /// place, for an entrance: its building and households.
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub households: String,
    /// place, for a bin room: opening hours `HH:MM-HH:MM`, comma separated; empty: all day.
    #[serde(default)]
    pub hours: String,
    /// place, for a bin room: the waste-sorting station it is (its id), whose opening windows
    /// then count instead of `hours`; empty: none.
    #[serde(default)]
    pub station: String,
    /// place: WGS84 degrees, as text.
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub lat: String,
    /// connect, disconnect: the two ends.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// connect: metres, else the straight geodesic.
    #[serde(default)]
    pub length: String,
    /// connect: a wall or locked gate.
    #[serde(default)]
    pub closed: bool,
}

impl EditBody {
    pub fn edit(&self) -> Result<gongzhi_core::map::edit::Edit, AppError> {
        use gongzhi_core::map::Place;
        use gongzhi_core::map::edit::Edit;
        let id = self.id.trim().to_string();
        match self.edit.trim() {
            "place" => {
                let place = match self.kind.trim() {
                    "entrance" => {
                        let building = self.building.trim();
                        if building.is_empty() {
                            return Err(bad("building", "an entrance needs its building"));
                        }
                        let households: u32 = self
                            .households
                            .trim()
                            .parse()
                            .map_err(|_| bad("households", "a whole number of households"))?;
                        Place::Entrance { building: building.into(), households }
                    }
                    "junction" => Place::Junction,
                    "gate" => Place::Gate,
                    "bin" => {
                        let mut hours = Vec::new();
                        for h in self.hours.split([',', '，']).map(str::trim).filter(|h| !h.is_empty()) {
                            hours.push(Hours::parse(h).ok_or_else(|| R::BadTime { value: h.into() }.refused())?);
                        }
                        let station = Some(self.station.trim()).filter(|s| !s.is_empty()).map(String::from);
                        Place::Bin { hours, station }
                    }
                    _ => return Err(bad("kind", "entrance, junction, gate or bin")),
                };
                let deg = |f: &str, s: &str| s.trim().parse::<f64>().map_err(|_| bad(f, "degrees, e.g. 121.3581"));
                let position = gongzhi_core::map::Position::new(deg("lon", &self.lon)?, deg("lat", &self.lat)?)
                    .ok_or_else(|| bad("lon", "longitude within ±180 and latitude within ±90"))?;
                Ok(Edit::Place { id, place, position })
            }
            "remove" => Ok(Edit::Remove { id }),
            "connect" => {
                let length_mm = match self.length.trim() {
                    "" => None,
                    l => Some(
                        gongzhi_core::map::cli::metres_to_mm(l)
                            .ok_or_else(|| bad("length", "metres ≥ 0, e.g. 38.5"))?,
                    ),
                };
                Ok(Edit::Connect {
                    from: self.from.trim().into(),
                    to: self.to.trim().into(),
                    length_mm,
                    closed: self.closed,
                })
            }
            "disconnect" => Ok(Edit::Disconnect { from: self.from.trim().into(), to: self.to.trim().into() }),
            _ => Err(bad("edit", "place, remove, connect or disconnect")),
        }
    }
}

pub async fn edit(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &EditBody) -> Result<WalkMap, AppError> {
    v.acting(MapAction::DrawMap, Subject::Compound, csrf)?;
    let e = b.edit()?;
    Ok(state.store.edit_walk_map(v.compound(), &e, v.actor()).await?)
}

pub async fn site_plan(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    name: &str,
    bytes: &[u8],
    bounds: [&str; 4],
) -> Result<gongzhi_store::map::SitePlan, AppError> {
    v.acting(MapAction::DrawMap, Subject::Compound, csrf)?;
    let mut b = [0.0; 4];
    for (i, (s, f)) in bounds.iter().zip(["west", "south", "east", "north"]).enumerate() {
        b[i] = s.trim().parse().map_err(|_| bad(f, "degrees, e.g. 121.3581"))?;
    }
    Ok(state.store.set_site_plan(v.compound(), name, bytes, b, v.actor()).await?)
}

/// A what-if to save, attached to a matter or a project if wanted.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SaveBody {
    pub title: String,
    #[serde(flatten)]
    pub what_if: WhatIfBody,
    #[serde(default)]
    pub matter: Option<String>,
    #[serde(default)]
    pub project: Option<String>,
}

pub async fn save(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &SaveBody) -> Result<ScenarioRecord, AppError> {
    v.acting(MapAction::SaveScenarios, Subject::Compound, csrf)?;
    let some = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let n = NewScenario {
        title: b.title.trim().into(),
        scenario: b.what_if.scenario()?,
        minute: b.what_if.minute()?,
        matter: some(&b.matter),
        project: some(&b.project),
    };
    Ok(state.store.save_scenario(v.compound(), &n, v.actor()).await?)
}
