//! Sorting records on the web (issue 14 §4): supervisors log what they see at a station; the
//! trends per station and per building over the last weeks as SVG charts; the monthly summary a
//! residents' committee sends to the street office, as a page and as an Excel workbook.

use super::{bad, me};
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, csrf};
use crate::kit::i18n::{Lang, Tr};
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::waste::policy::WasteAction;
use gongzhi_core::waste::records::{MonthSummary, parse_month, trend_chart};
use gongzhi_core::waste::{Observation, SortingRecord, StationId, WasteRefusal, month_summary, weekly_trend};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

crate::kit::i18n::messages! {
    records_title => "分类督导记录", "Sorting records";
    records_hint => "督导员记录在投放点看到的情况；按楼栋统计，帮助楼组长上门宣传。", "Supervisors log what they see at a station; counted by building so that building leaders know where to explain again.";
    record_form => "记录一条", "Log what you saw";
    r_station => "投放点", "Station";
    r_date => "日期", "Date";
    r_window => "时段", "Window";
    r_no_window => "不在开放时段", "outside the windows";
    r_building => "楼栋（如知道）", "Building (if known)";
    r_kind => "情况", "What";
    r_count => "袋数/次数", "Bags or cases";
    r_note => "备注", "Note";
    r_save => "保存记录", "Save the record";
    trend_station => "近八周各投放点情况", "The last eight weeks by station";
    trend_building => "近八周情况最多的楼栋", "The last eight weeks: the buildings with most";
    recent => "最近的记录", "Recent records";
    no_records => "还没有记录。", "No records yet.";
    summary_title => "月度汇总", "Monthly summary";
    summary_hint => "报街道的月度垃圾分类值守与督导汇总。", "The month's duty and supervision summary for the street office.";
    month_field => "月份", "Month";
    show => "查看", "Show";
    download_xlsx => "下载 Excel", "Download Excel";
    s_places => "应到班次", "Places";
    s_filled => "已排", "Filled";
    s_checked_in => "签到", "Checked in";
    s_no_shows => "缺勤", "No-shows";
    s_total => "合计", "Total";
    s_building => "楼栋", "Building";
    s_unknown => "楼栋不明", "Building not known";
    by_station => "按投放点", "By station";
    by_building => "按楼栋", "By building";
}

fn kind_label(lang: Lang, k: Observation) -> &'static str {
    lang.pick(k.zh(), k.en())
}

// ---------------------------------------------------------------------------------------------
// The write, once for the page and the API.

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct RecordBody {
    station: String,
    /// YYYY-MM-DD, not in the future.
    date: String,
    /// The window's start (`07:00`); absent: outside the windows.
    #[serde(default)]
    window: Option<String>,
    #[serde(default)]
    building: Option<String>,
    /// mis-sorted, outside-hours or roadside-bags
    kind: String,
    /// Bags or cases, 1–999.
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    count: u32,
    #[serde(default)]
    note: String,
}

pub async fn record(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &RecordBody) -> Result<String, AppError> {
    v.acting(WasteAction::RecordSorting, Subject::Compound, csrf)?;
    // a supervisor is a listed volunteer or an organiser
    if !v.may(WasteAction::Organise, Subject::Compound) && me(state, v).await?.is_none() {
        return Err(WasteRefusal::NotAVolunteer.refused().into());
    }
    let date = parse_day(b.date.trim()).ok_or_else(|| bad(format!("date: {:?} is not a date", b.date)))?;
    let kind = Observation::parse(&b.kind)
        .ok_or_else(|| bad(format!("kind: {:?} is not mis-sorted, outside-hours or roadside-bags", b.kind)))?;
    let opt = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let r = SortingRecord {
        station: StationId::new(b.station.trim()),
        date,
        window: opt(&b.window),
        building: opt(&b.building),
        kind,
        count: b.count,
    };
    Ok(state.store.record_sorting(v.compound(), &r, &b.note, day_of(crate::now_ms()), v.actor()).await?)
}

// ---------------------------------------------------------------------------------------------
// The records page.

#[derive(Template)]
#[template(path = "waste/records.html")]
pub struct RecordsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub may_record: bool,
    /// (id, name, window starts)
    pub stations: Vec<(String, String, Vec<String>)>,
    pub kinds: Vec<(String, String)>,
    pub station_chart: String,
    pub building_chart: String,
    /// (date, station, window, building, what, count, note)
    pub recent: Vec<[String; 7]>,
    pub today: String,
    pub month: String,
    pub saved: bool,
    pub error: String,
}

async fn view(state: &AppState, p: &Prefs, v: &Viewer, saved: bool, error: String, status: StatusCode) -> Answer {
    let t = p.t();
    let today = day_of(crate::now_ms());
    let from = today.checked_sub(jiff::Span::new().days(7 * 8)).unwrap_or(today);
    let stations = state.store.stations(v.compound()).await?;
    let records = state.store.sorting_records(v.compound(), from, today).await?;
    let plain: Vec<SortingRecord> = records.iter().map(|r| r.record.clone()).collect();
    let name = |id: &StationId| {
        stations.iter().find(|(s, _)| &s.id == id).map(|(s, _)| s.name.clone()).unwrap_or_else(|| id.to_string())
    };
    let (labels, by_station) = weekly_trend(&plain, today, 8, 8, &|r| Some(name(&r.station)));
    let (_, by_building) =
        weekly_trend(&plain, today, 8, 5, &|r| r.building.as_ref().map(|b| format!("{b}{}", p.lang.pick("号楼", ""))));
    let may_record = v.may(WasteAction::Organise, Subject::Compound)
        || (v.may(WasteAction::RecordSorting, Subject::Compound) && me(state, v).await?.is_some());
    let page = RecordsPage {
        c: chrome(state, p, Some(v), "/waste").await,
        may_record,
        stations: stations
            .iter()
            .map(|(s, _)| (s.id.to_string(), s.name.clone(), s.windows.iter().map(|w| w.start.to_string()).collect()))
            .collect(),
        kinds: Observation::ALL.iter().map(|k| (k.key().to_string(), kind_label(p.lang, *k).to_string())).collect(),
        station_chart: trend_chart("trend-station", t.trend_station(), &labels, &by_station),
        building_chart: trend_chart("trend-building", t.trend_building(), &labels, &by_building),
        recent: records
            .iter()
            .take(30)
            .map(|r| {
                let x = &r.record;
                [
                    x.date.to_string(),
                    name(&x.station),
                    x.window.clone().unwrap_or_else(|| t.r_no_window().into()),
                    x.building.clone().unwrap_or_default(),
                    kind_label(p.lang, x.kind).into(),
                    x.count.to_string(),
                    r.note.clone(),
                ]
            })
            .collect(),
        today: today.to_string(),
        month: format!("{:04}-{:02}", today.year(), today.month()),
        saved,
        error,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

pub(super) async fn page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<super::SavedQuery>,
) -> Answer {
    view(&state, &p, &v, q.saved.is_some(), String::new(), StatusCode::OK).await
}

pub(super) async fn record_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = RecordBody {
        station: f.one("station").into(),
        date: f.one("date").into(),
        window: Some(f.one("window").into()),
        building: Some(f.one("building").into()),
        kind: f.one("kind").into(),
        count: f.one("count").trim().parse().unwrap_or(0),
        note: f.one("note").into(),
    };
    let r = record(&state, &v, Some(f.one("csrf")), &b).await;
    match crate::kit::error::on_the_page(r)? {
        Ok(_) => Ok(see_other("/waste/records?saved=1")),
        Err(x) => view(&state, &p, &v, false, x.say(p.lang), crate::kit::error::status_of(x.kind())).await,
    }
}

// ---------------------------------------------------------------------------------------------
// The monthly summary.

#[derive(Deserialize, IntoParams)]
pub struct MonthQuery {
    /// `2026-12`; default: this month (Shanghai).
    #[serde(default)]
    month: Option<String>,
}

async fn summary_of(state: &AppState, v: &Viewer, month: Option<&str>) -> Result<MonthSummary, AppError> {
    let today = day_of(crate::now_ms());
    let first = match month.map(str::trim).filter(|m| !m.is_empty()) {
        None => today.first_of_month(),
        Some(m) => parse_month(m).ok_or_else(|| bad(format!("month: {m:?} is not a month like 2026-12")))?,
    };
    let last = first.last_of_month();
    let stations: Vec<(StationId, String)> =
        state.store.stations(v.compound()).await?.into_iter().map(|(s, _)| (s.id, s.name)).collect();
    let duty = state.store.month_duty(v.compound(), first).await?;
    let records: Vec<SortingRecord> =
        state.store.sorting_records(v.compound(), first, last).await?.into_iter().map(|r| r.record).collect();
    Ok(month_summary(first, &stations, &duty, &records))
}

#[derive(Template)]
#[template(path = "waste/summary.html")]
pub struct SummaryPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub compound: String,
    pub s: MonthSummary,
    pub kinds: Vec<String>,
}

pub(super) async fn summary_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<MonthQuery>,
) -> Answer {
    let s = summary_of(&state, &v, q.month.as_deref()).await?;
    let page = SummaryPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), "/waste").await,
        compound: state.store.compound(v.compound()).await?.name,
        kinds: Observation::ALL.iter().map(|k| kind_label(p.lang, *k).to_string()).collect(),
        s,
    };
    Ok(html(render(&page)))
}

pub(super) async fn summary_xlsx(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<MonthQuery>,
) -> Answer {
    let s = summary_of(&state, &v, q.month.as_deref()).await?;
    let name = state.store.compound(v.compound()).await?.name;
    let bytes = workbook(p.t(), &name, &s)?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    let name = format!("attachment; filename=\"waste-{}.xlsx\"", s.month);
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&name).map_err(|e| AppError::Internal(e.to_string()))?);
    Ok(r)
}

/// The summary as a workbook: one sheet by station (duty and what was seen), one by building.
pub fn workbook(t: Tr, compound: &str, s: &MonthSummary) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::Workbook;
    let x = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let kinds: Vec<&str> = Observation::ALL.iter().map(|k| kind_label(t.0, *k)).collect();
    let mut wb = Workbook::new();
    let a = wb.add_worksheet();
    a.set_name(t.by_station()).map_err(x)?;
    a.set_column_width(0, 20).map_err(x)?;
    a.write_string(0, 0, format!("{compound} {} {}", s.month, t.summary_title())).map_err(x)?;
    let head = [t.r_station(), t.s_places(), t.s_filled(), t.s_checked_in(), t.s_no_shows()];
    for (c, h) in head.iter().chain(kinds.iter()).enumerate() {
        a.write_string(2, c as u16, *h).map_err(x)?;
    }
    let mut rows: Vec<&gongzhi_core::waste::records::Line> = s.stations.iter().collect();
    rows.push(&s.total);
    for (i, l) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        let key = if l.key.is_empty() { t.s_total() } else { l.name.as_str() };
        a.write_string(r, 0, key).map_err(x)?;
        let d = &l.duty;
        for (c, n) in [d.places, d.filled, d.checked_in, d.no_shows].into_iter().chain(l.seen.0).enumerate() {
            a.write_number(r, 1 + c as u16, f64::from(n)).map_err(x)?;
        }
    }
    let b = wb.add_worksheet();
    b.set_name(t.by_building()).map_err(x)?;
    b.write_string(0, 0, t.s_building()).map_err(x)?;
    for (c, h) in kinds.iter().enumerate() {
        b.write_string(0, 1 + c as u16, *h).map_err(x)?;
    }
    let unknown = gongzhi_core::waste::records::Line {
        key: String::new(),
        name: t.s_unknown().into(),
        duty: Default::default(),
        seen: s.unknown_building,
    };
    for (i, l) in s.buildings.iter().chain(std::iter::once(&unknown)).enumerate() {
        let r = 1 + i as u32;
        b.write_string(r, 0, &l.name).map_err(x)?;
        for (c, n) in l.seen.0.iter().enumerate() {
            b.write_number(r, 1 + c as u16, f64::from(*n)).map_err(x)?;
        }
    }
    wb.save_to_buffer().map_err(x)
}

// ---------------------------------------------------------------------------------------------
// The API.

#[derive(Serialize, ToSchema)]
pub struct RecordJson {
    id: String,
    station: String,
    date: String,
    window: Option<String>,
    building: Option<String>,
    kind: String,
    count: u32,
    note: String,
}

#[derive(Deserialize, IntoParams)]
pub struct RangeQuery {
    /// YYYY-MM-DD; default 8 weeks ago.
    #[serde(default)]
    from: Option<String>,
    /// YYYY-MM-DD; default today.
    #[serde(default)]
    to: Option<String>,
}

/// The sorting records between two days, newest first (every member of the compound).
#[utoipa::path(get, path = "/api/v1/waste/records", tag = "waste", params(RangeQuery),
    responses((status = 200, body = Vec<RecordJson>), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_records(State(state): State<AppState>, v: Viewer, Query(q): Query<RangeQuery>) -> Answer {
    let today = day_of(crate::now_ms());
    let day = |f: &str, s: &Option<String>, d| match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(d),
        Some(x) => parse_day(x).ok_or_else(|| bad(format!("{f}: {x:?} is not a date"))),
    };
    let from = day("from", &q.from, today.checked_sub(jiff::Span::new().days(56)).unwrap_or(today))?;
    let to = day("to", &q.to, today)?;
    let out: Vec<RecordJson> = state
        .store
        .sorting_records(v.compound(), from, to)
        .await?
        .into_iter()
        .map(|r| RecordJson {
            id: r.id,
            station: r.record.station.to_string(),
            date: r.record.date.to_string(),
            window: r.record.window,
            building: r.record.building,
            kind: r.record.kind.key().into(),
            count: r.record.count,
            note: r.note,
        })
        .collect();
    Ok(axum::Json(out).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct RecordIdJson {
    id: String,
}

/// Log what a supervisor saw at a station (a listed volunteer or an organiser).
#[utoipa::path(post, path = "/api/v1/waste/records", tag = "waste", request_body = RecordBody,
    responses((status = 201, body = RecordIdJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_record(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<RecordBody>,
) -> Answer {
    let id = record(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(RecordIdJson { id })).into_response())
}

/// The month's summary (see [`MonthSummary`]).
#[derive(Serialize, ToSchema)]
pub struct SummaryJson {
    /// `2026-12`
    month: String,
    /// `[{key (the station id), name, duty: {places, filled, checked_in, no_shows}, seen: [mis-sorted, outside-hours, roadside-bags]}]`
    #[schema(value_type = Vec<Object>)]
    stations: serde_json::Value,
    /// As stations, per building (duty all 0), most records first.
    #[schema(value_type = Vec<Object>)]
    buildings: serde_json::Value,
    /// What was seen without a known building.
    #[schema(value_type = Vec<u32>)]
    unknown_building: serde_json::Value,
    #[schema(value_type = Object)]
    total: serde_json::Value,
}

/// The month's summary for the street office: per station the places, filled, check-ins,
/// no-shows and what was seen (counts in the order mis-sorted, outside-hours, roadside-bags);
/// per building what was seen (every member of the compound).
#[utoipa::path(get, path = "/api/v1/waste/summary", tag = "waste", params(MonthQuery),
    responses((status = 200, body = SummaryJson), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_summary(State(state): State<AppState>, v: Viewer, Query(q): Query<MonthQuery>) -> Answer {
    let s = summary_of(&state, &v, q.month.as_deref()).await?;
    fn j<T: Serialize>(x: &T) -> serde_json::Value {
        serde_json::to_value(x).unwrap_or_default()
    }
    Ok(axum::Json(SummaryJson {
        month: s.month.clone(),
        stations: j(&s.stations),
        buildings: j(&s.buildings),
        unknown_building: j(&s.unknown_building),
        total: j(&s.total),
    })
    .into_response())
}
