//! Setting up waste duty (issue 14 §1–2): the organisers' page `/waste/setup` for the stations
//! (where, which bins, windows, households served, checked against one station per 300–500
//! households), their holiday changes, and the volunteers; and a volunteer's own availability.

use super::api::{StationJson, station_json};
use super::{bad, me};
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::Refusal;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::waste::policy::WasteAction;
use gongzhi_core::waste::{
    Availability, Bin, HouseholdRule, Station, StationId, Volunteer, WasteRefusal, Window, check_stations,
};
use gongzhi_store::waste::{VolunteerRecord, parse_bin, parse_weekly, parse_windows};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    waste_setup => "投放点与志愿者", "Stations and volunteers";
    station_id => "编号", "Id";
    station_name => "名称", "Name";
    station_group => "服务楼组", "Building group";
    station_place => "位置", "Where";
    station_bins => "垃圾桶", "Bins";
    windows_hint => "如 07:00-09:00;18:00-20:00", "e.g. 07:00-09:00;18:00-20:00";
    save_station => "保存投放点", "Save the station";
    new_station => "新增投放点", "Add a station";
    station_checks => "设置检查", "Checks";
    changes_title => "节假日调整", "Holiday changes";
    change_day => "日期", "Day";
    change_windows => "当日开放时段（留空为停开）", "Windows that day (empty: closed)";
    change_note => "说明", "Note";
    save_change => "保存调整", "Save the change";
    station_closed => "停开", "closed";
    map_that_day => "当天到垃圾箱房的步行距离", "the walks to bin rooms that day";
    volunteers_title => "志愿者名单", "Volunteers";
    v_login => "账号（可空）", "Account (optional)";
    v_origin => "来源", "From";
    v_max => "本期最多班次", "Most shifts a period";
    v_week => "每周最多", "Most a week";
    v_weekly => "每周可值时段", "Free each week";
    v_all => "任何时段", "any time";
    v_away => "不在的日期（空格分隔）", "Away on (dates, space-separated)";
    v_preferred => "希望的投放点", "Preferred stations";
    save_volunteer => "保存志愿者", "Save the volunteer";
    new_volunteer => "新增志愿者", "Add a volunteer";
    origin_building_group => "楼组", "building group";
    origin_committee => "业委会", "owners' committee";
    origin_party_branch => "党支部", "party branch";
    origin_resident => "居民", "resident";
    my_availability => "我的可值时段", "When I can help";
    save_availability => "保存", "Save";
    weekday_1 => "周一", "Mon";
    weekday_2 => "周二", "Tue";
    weekday_3 => "周三", "Wed";
    weekday_4 => "周四", "Thu";
    weekday_5 => "周五", "Fri";
    weekday_6 => "周六", "Sat";
    weekday_7 => "周日", "Sun";
}

pub(super) fn weekday(t: &Tr, d: i8) -> &'static str {
    match d {
        1 => t.weekday_1(),
        2 => t.weekday_2(),
        3 => t.weekday_3(),
        4 => t.weekday_4(),
        5 => t.weekday_5(),
        6 => t.weekday_6(),
        _ => t.weekday_7(),
    }
}

pub(super) fn origin_label(t: &Tr, o: &str) -> &'static str {
    match o {
        "committee" => t.origin_committee(),
        "party-branch" => t.origin_party_branch(),
        "resident" => t.origin_resident(),
        _ => t.origin_building_group(),
    }
}

const ORIGINS: [&str; 4] = ["building-group", "committee", "party-branch", "resident"];

// ---------------------------------------------------------------------------------------------
// The writes, once for the page and the API.

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct StationBody {
    name: String,
    building_group: String,
    #[serde(default)]
    place: String,
    /// Any of recyclable, hazardous, wet, dry (wet and dry in pairs).
    bins: Vec<String>,
    /// `07:00-09:00`
    windows: Vec<String>,
    #[serde(default)]
    late_point: bool,
    /// Households served, at most 20,000.
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32, maximum = 20000)]
    households: u32,
}

fn windows_of(field: &str, ws: &[String]) -> Result<Vec<Window>, AppError> {
    parse_windows(&ws.join(";")).ok_or_else(|| bad(format!("{field}: {:?} are not windows like 07:00-09:00", ws)))
}

pub async fn save_station(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &StationBody,
) -> Result<(), AppError> {
    v.acting(WasteAction::Organise, Subject::Compound, csrf)?;
    let id = id.trim();
    if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(bad(format!("id: {id:?} should be 1–32 letters, digits or '-'")));
    }
    if b.households > 20_000 {
        return Err(bad(format!("households: {} is more than one compound's 20,000", b.households)));
    }
    let mut bins = BTreeSet::new();
    for x in &b.bins {
        bins.insert(parse_bin(x).ok_or_else(|| bad(format!("bins: {x:?} is not recyclable, hazardous, wet or dry")))?);
    }
    let st = Station {
        id: StationId::new(id),
        name: b.name.trim().into(),
        building_group: b.building_group.trim().into(),
        bins,
        windows: windows_of("windows", &b.windows)?,
        late_point: b.late_point,
        households: b.households,
    };
    // a station's own faults are refused; whether it serves too many or too few households is a
    // finding shown with the stations (a compound may decide to keep it)
    if let Some(x) =
        check_stations(std::slice::from_ref(&st), HouseholdRule { min: 0, max: u32::MAX }).into_iter().next()
    {
        return Err(x.refused().into());
    }
    Ok(state.store.put_station(v.compound(), &st, &b.place, v.actor()).await?)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ChangeBody {
    /// YYYY-MM-DD
    day: String,
    /// The windows that day, `07:00-09:00`; none: closed.
    #[serde(default)]
    windows: Vec<String>,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeJson {
    /// Places of the current roster taken off (their volunteers are told).
    taken_off: usize,
}

pub async fn save_change(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    station: &str,
    b: &ChangeBody,
) -> Result<usize, AppError> {
    v.acting(WasteAction::Organise, Subject::Compound, csrf)?;
    let day = parse_day(b.day.trim()).ok_or_else(|| bad(format!("day: {:?} is not a date", b.day)))?;
    let ws: Vec<String> = b.windows.iter().filter(|w| !w.trim().is_empty()).cloned().collect();
    let windows = windows_of("windows", &ws)?;
    Ok(state
        .store
        .put_station_change(v.compound(), &StationId::new(station), day, &windows, &b.note, v.actor())
        .await?)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct VolunteerBody {
    name: String,
    /// The volunteer's login, when they have an account (needed to see shifts on a phone).
    #[serde(default)]
    login: Option<String>,
    /// building-group, committee, party-branch or resident
    origin: String,
    #[serde(flatten)]
    availability: AvailabilityBody,
}

/// When a volunteer can help.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct AvailabilityBody {
    /// Most shifts in a period.
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    max: u32,
    /// Most shifts in one week.
    #[serde(default, deserialize_with = "crate::kit::forms::opt_whole_number")]
    #[schema(value_type = Option<u32>)]
    max_per_week: Option<u32>,
    /// `1@07:00` (ISO weekday, window start) for each free window; absent or `["*"]`: any.
    #[serde(default)]
    weekly: Option<Vec<String>>,
    /// Dates away, YYYY-MM-DD.
    #[serde(default)]
    away: Vec<String>,
    /// Station ids.
    #[serde(default)]
    preferred: Vec<String>,
}

fn availability_into(
    vol: &mut Volunteer,
    weekly: &mut Option<Vec<(i8, gongzhi_core::waste::Hm)>>,
    a: &AvailabilityBody,
) -> Result<(), AppError> {
    if a.max > 62 || a.max_per_week.is_some_and(|m| m > 14) {
        return Err(bad("max: at most 62 a period and 14 a week".into()));
    }
    vol.max = a.max;
    vol.max_per_week = a.max_per_week.filter(|m| *m > 0);
    *weekly = match &a.weekly {
        None => None,
        Some(ws) => parse_weekly(&ws.join(";"))
            .ok_or_else(|| bad(format!("weekly: {ws:?} should read like 1@07:00 (Monday, the 07:00 window)")))?,
    };
    vol.away = a
        .away
        .iter()
        .flat_map(|s| s.split([' ', ',', ';', '，']))
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_day(s.trim()).ok_or_else(|| bad(format!("away: {s:?} is not a date"))))
        .collect::<Result<_, _>>()?;
    vol.preferred = a.preferred.iter().filter(|s| !s.trim().is_empty()).map(|s| StationId::new(s.trim())).collect();
    vol.available = Availability::All;
    Ok(())
}

pub async fn save_volunteer(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &VolunteerBody,
) -> Result<(), AppError> {
    v.acting(WasteAction::Organise, Subject::Compound, csrf)?;
    let id = id.trim();
    if id.is_empty() || id.len() > 64 {
        return Err(bad("id: give the volunteer an id".into()));
    }
    if !ORIGINS.contains(&b.origin.as_str()) {
        return Err(bad(format!("origin: {:?} is not building-group, committee, party-branch or resident", b.origin)));
    }
    let person_id = match b.login.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(login) => Some(
            state
                .store
                .person_for_login(login)
                .await?
                .ok_or_else(|| bad(format!("login: there is no account {login:?}")))?
                .0,
        ),
    };
    let mut vol = Volunteer::new(id, 0);
    vol.name = b.name.trim().into();
    let mut weekly = None;
    availability_into(&mut vol, &mut weekly, &b.availability)?;
    let r = VolunteerRecord { volunteer: vol, person_id, origin: b.origin.clone(), weekly };
    Ok(state.store.put_volunteer(v.compound(), &r, v.actor()).await?)
}

/// A volunteer sets when they can help (the next roster built keeps to it).
pub async fn save_availability(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    a: &AvailabilityBody,
) -> Result<(), AppError> {
    v.acting(WasteAction::TakeShifts, Subject::Compound, csrf)?;
    let mut r = me(state, v).await?.ok_or_else(|| AppError::from(WasteRefusal::NotAVolunteer.refused()))?;
    availability_into(&mut r.volunteer, &mut r.weekly, a)?;
    Ok(state.store.put_volunteer(v.compound(), &r, v.actor()).await?)
}

// ---------------------------------------------------------------------------------------------
// The organisers' page.

pub struct StationForm {
    pub id: String,
    pub name: String,
    pub group: String,
    pub place: String,
    pub bins: Vec<(String, String, bool)>,
    pub windows: String,
    pub late_point: bool,
    pub households: u32,
}

pub struct VolunteerRow {
    pub id: String,
    pub name: String,
    pub login: String,
    pub origin: String,
    pub origin_label: String,
    pub max: u32,
    pub max_per_week: String,
    pub weekly: String,
    pub away: String,
    pub preferred: String,
}

#[derive(Template)]
#[template(path = "waste/setup.html")]
pub struct SetupPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub stations: Vec<StationForm>,
    pub blank: StationForm,
    pub findings: Vec<String>,
    /// (station name, day, windows or closed, note)
    pub changes: Vec<(String, String, String, String)>,
    pub volunteers: Vec<VolunteerRow>,
    pub origins: Vec<(String, String)>,
    pub saved: bool,
    pub error: String,
}

fn station_form(t: &Tr, s: Option<&(Station, String)>) -> StationForm {
    let lang = t.0;
    StationForm {
        id: s.map(|x| x.0.id.to_string()).unwrap_or_default(),
        name: s.map(|x| x.0.name.clone()).unwrap_or_default(),
        group: s.map(|x| x.0.building_group.clone()).unwrap_or_default(),
        place: s.map(|x| x.1.clone()).unwrap_or_default(),
        bins: Bin::ALL
            .iter()
            .map(|b| {
                let key = serde_json::to_value(b).ok().and_then(|x| x.as_str().map(String::from)).unwrap_or_default();
                (key, lang.pick(b.zh(), b.en()).to_string(), s.is_none_or(|x| x.0.bins.contains(b)))
            })
            .collect(),
        windows: s
            .map(|x| x.0.windows.iter().map(|w| format!("{}-{}", w.start, w.end)).collect::<Vec<_>>().join(";"))
            .unwrap_or_else(|| "07:00-09:00;18:00-20:00".into()),
        late_point: s.is_some_and(|x| x.0.late_point),
        households: s.map_or(0, |x| x.0.households),
    }
}

async fn view(state: &AppState, p: &Prefs, v: &Viewer, saved: bool, error: String, status: StatusCode) -> Answer {
    v.require(WasteAction::Organise, Subject::Compound)?;
    let t = p.t();
    let stations = state.store.stations(v.compound()).await?;
    let plain: Vec<Station> = stations.iter().map(|(s, _)| s.clone()).collect();
    let findings =
        check_stations(&plain, HouseholdRule::default()).iter().map(|x| p.lang.pick(x.zh(), x.en())).collect();
    let today = day_of(crate::now_ms());
    let name_of = |id: &StationId| {
        stations.iter().find(|(s, _)| &s.id == id).map(|(s, _)| s.name.clone()).unwrap_or_else(|| id.to_string())
    };
    let changes = state
        .store
        .station_changes(v.compound())
        .await?
        .into_iter()
        .filter(|c| c.day >= today)
        .map(|c| {
            let ws = if c.windows.is_empty() {
                t.station_closed().to_string()
            } else {
                c.windows.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("、")
            };
            (name_of(&c.station), c.day.to_string(), ws, c.note)
        })
        .collect();
    let logins = state.store.account_names(v.compound()).await?;
    let volunteers = state
        .store
        .volunteers(v.compound())
        .await?
        .into_iter()
        .map(|r| VolunteerRow {
            id: r.volunteer.id.to_string(),
            name: r.volunteer.name.clone(),
            login: r
                .person_id
                .as_ref()
                .and_then(|pid| logins.get(pid))
                .and_then(|n| n.rsplit_once('(').map(|(_, l)| l.trim_end_matches(')').to_string()))
                .unwrap_or_default(),
            origin_label: origin_label(&t, &r.origin).into(),
            origin: r.origin,
            max: r.volunteer.max,
            max_per_week: r.volunteer.max_per_week.map(|m| m.to_string()).unwrap_or_default(),
            weekly: match &r.weekly {
                None => "*".into(),
                Some(w) => w.iter().map(|(d, h)| format!("{d}@{h}")).collect::<Vec<_>>().join(" "),
            },
            away: r.volunteer.away.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" "),
            preferred: r.volunteer.preferred.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" "),
        })
        .collect();
    let page = SetupPage {
        c: chrome(state, p, Some(v), "/waste").await,
        stations: stations.iter().map(|s| station_form(&t, Some(s))).collect(),
        blank: station_form(&t, None),
        findings,
        changes,
        volunteers,
        origins: ORIGINS.iter().map(|o| (o.to_string(), origin_label(&t, o).to_string())).collect(),
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
    axum::extract::Query(q): axum::extract::Query<super::SavedQuery>,
) -> Answer {
    view(&state, &p, &v, q.saved.is_some(), String::new(), StatusCode::OK).await
}

async fn back(state: &AppState, p: &Prefs, v: &Viewer, r: Result<(), AppError>) -> Answer {
    match crate::kit::error::on_the_page(r)? {
        Ok(()) => Ok(see_other("/waste/setup?saved=1")),
        Err(x) => view(state, p, v, false, x.say(p.lang), crate::kit::error::status_of(x.kind())).await,
    }
}

fn listed(s: &str) -> Vec<String> {
    s.split([';', ' ', ',', '，']).map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

pub(super) async fn station_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = StationBody {
        name: f.one("name").into(),
        building_group: f.one("building_group").into(),
        place: f.one("place").into(),
        bins: f.all("bins").to_vec(),
        windows: listed(f.one("windows")),
        late_point: f.get("late_point").is_some(),
        households: f.one("households").trim().parse().unwrap_or(0),
    };
    let r = save_station(&state, &v, Some(f.one("csrf")), f.one("id"), &b).await;
    back(&state, &p, &v, r).await
}

pub(super) async fn change_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = ChangeBody { day: f.one("day").into(), windows: listed(f.one("windows")), note: f.one("note").into() };
    let r = save_change(&state, &v, Some(f.one("csrf")), f.one("station"), &b).await.map(|_| ());
    back(&state, &p, &v, r).await
}

fn availability_of(f: &Fields) -> AvailabilityBody {
    let weekly = f.all("weekly").to_vec();
    AvailabilityBody {
        max: f.one("max").trim().parse().unwrap_or(u32::MAX),
        max_per_week: f.one("max_per_week").trim().parse().ok(),
        weekly: if weekly.is_empty() || weekly.iter().any(|w| w == "*") { None } else { Some(weekly) },
        away: listed(f.one("away")),
        preferred: f.all("preferred").iter().flat_map(|s| listed(s)).collect(),
    }
}

pub(super) async fn volunteer_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let mut a = availability_of(&f);
    if f.get("weekly_text").is_some() {
        let w = listed(f.one("weekly_text"));
        a.weekly = if w.is_empty() || w.iter().any(|x| x == "*") { None } else { Some(w) };
    }
    let b = VolunteerBody {
        name: f.one("name").into(),
        login: Some(f.one("login").into()),
        origin: f.one("origin").into(),
        availability: a,
    };
    let r = save_volunteer(&state, &v, Some(f.one("csrf")), f.one("id"), &b).await;
    back(&state, &p, &v, r).await
}

pub(super) async fn availability_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = save_availability(&state, &v, Some(f.one("csrf")), &availability_of(&f)).await;
    super::back(&state, &p, &v, r).await
}

// ---------------------------------------------------------------------------------------------
// The API.

/// Add or replace a station (the organisers).
#[utoipa::path(put, path = "/api/v1/waste/stations/{id}", tag = "waste", params(("id" = String, Path)), request_body = StationBody,
    responses((status = 200, body = StationJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_station(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
    Json(b): Json<StationBody>,
) -> Answer {
    save_station(&state, &v, csrf(&h), &id, &b).await?;
    let all = state.store.stations(v.compound()).await?;
    let s = all.into_iter().find(|(s, _)| s.id.as_str() == id.trim()).ok_or_else(|| bad("id: not saved".into()))?;
    Ok(axum::Json(station_json(s)).into_response())
}

/// Set a station's windows on one day (none: closed); the current roster's shifts that no longer
/// exist are taken off and their volunteers told (the organisers).
#[utoipa::path(post, path = "/api/v1/waste/stations/{id}/changes", tag = "waste", params(("id" = String, Path)), request_body = ChangeBody,
    responses((status = 200, body = ChangeJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_change(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
    Json(b): Json<ChangeBody>,
) -> Answer {
    let taken_off = save_change(&state, &v, csrf(&h), &id, &b).await?;
    Ok(axum::Json(ChangeJson { taken_off }).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct VolunteerJson {
    id: String,
    name: String,
    /// Whether the volunteer has an account (sees shifts on a phone).
    has_account: bool,
    origin: String,
    max: u32,
    max_per_week: Option<u32>,
    /// `["1@07:00"]`, or `["*"]` for any window.
    weekly: Vec<String>,
    away: Vec<String>,
    preferred: Vec<String>,
}

/// The volunteers with their availability (the organisers).
#[utoipa::path(get, path = "/api/v1/waste/volunteers", tag = "waste",
    responses((status = 200, body = Vec<VolunteerJson>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_volunteers(State(state): State<AppState>, v: Viewer) -> Answer {
    v.require(WasteAction::Organise, Subject::Compound)?;
    let out: Vec<VolunteerJson> = state
        .store
        .volunteers(v.compound())
        .await?
        .into_iter()
        .map(|r| VolunteerJson {
            id: r.volunteer.id.to_string(),
            name: r.volunteer.name,
            has_account: r.person_id.is_some(),
            origin: r.origin,
            max: r.volunteer.max,
            max_per_week: r.volunteer.max_per_week,
            weekly: match r.weekly {
                None => vec!["*".into()],
                Some(w) => w.iter().map(|(d, h)| format!("{d}@{h}")).collect(),
            },
            away: r.volunteer.away.iter().map(|d| d.to_string()).collect(),
            preferred: r.volunteer.preferred.iter().map(|s| s.to_string()).collect(),
        })
        .collect();
    Ok(axum::Json(out).into_response())
}

/// Add or replace a volunteer (the organisers); a volunteer need not be an owner.
#[utoipa::path(put, path = "/api/v1/waste/volunteers/{id}", tag = "waste", params(("id" = String, Path)), request_body = VolunteerBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_volunteer(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
    Json(b): Json<VolunteerBody>,
) -> Answer {
    save_volunteer(&state, &v, csrf(&h), &id, &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Set when I can help (a volunteer); the next roster built keeps to it.
#[utoipa::path(put, path = "/api/v1/waste/me", tag = "waste", request_body = AvailabilityBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_me(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<AvailabilityBody>,
) -> Answer {
    save_availability(&state, &v, csrf(&h), &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
