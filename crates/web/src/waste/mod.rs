//! Waste sorting duty on the web (issue 14): for owners, when and where to drop off and what goes
//! in which bin; for a volunteer on a phone, their shifts, check-in on the day, offering a shift to
//! another volunteer and answering offers; for the organiser, the roster of a period built exactly
//! (the most places filled, then the fairest load) with its gaps and who could fill them, and
//! no-shows. [`setup`]: stations, holiday changes, volunteers and a volunteer's availability;
//! [`covers`]: cover requests; [`records`]: sorting records, trends and the monthly summary;
//! [`api`]: the JSON API.

pub mod api;
pub mod covers;
pub mod records;
pub mod setup;

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::forms::Fields;
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::kit::{KitRefusal, Refusal};
use gongzhi_core::waste::policy::WasteAction;
use gongzhi_core::waste::{Bin, ShiftId, Swap, VolunteerId, WasteRefusal, gaps};
use gongzhi_store::waste::{PeriodRecord, VolunteerRecord};
use serde::Deserialize;
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    waste => "垃圾分类", "Waste sorting";
    waste_hint => "定时定点投放：在开放时段把垃圾分好类，投到就近的投放点。", "Fixed-time drop-off: sort your waste and bring it to your station in its opening windows.";
    stations => "投放点", "Drop-off stations";
    station_windows => "开放时段", "Opening windows";
    late_point => "误时投放点", "late drop-off point";
    households_served => "服务户数", "households";
    which_bin => "什么垃圾投哪个桶", "What goes in which bin";
    bin_recyclable_eg => "废纸、塑料瓶、玻璃、金属、旧衣物", "paper, plastic bottles, glass, metal, old clothes";
    bin_hazardous_eg => "废电池、废灯管、过期药品、油漆桶", "batteries, lamps, expired medicine, paint tins";
    bin_wet_eg => "剩菜剩饭、瓜皮果核、菜叶", "food scraps, peels, vegetable leaves";
    bin_dry_eg => "其他生活垃圾：餐巾纸、尘土、一次性餐具", "everything else: tissues, dust, disposable tableware";
    my_shifts => "我的值守班次", "My shifts";
    no_shifts => "您近期没有班次。", "You have no shifts coming.";
    check_in => "签到", "Check in";
    checked_in => "已签到", "checked in";
    no_show => "缺勤", "no-show";
    offer_swap => "请人代班", "Ask someone to take it";
    offer_to => "代班的志愿者", "Volunteer to take it";
    offers_to_me => "请我代班的请求", "Asked to take a shift";
    accept => "接受", "Accept";
    decline => "婉拒", "Decline";
    roster => "值守排班", "The roster";
    roster_summary => "已安排", "Places filled";
    max_load => "每人最多", "Most shifts per person";
    gaps_title => "无法安排的班次", "Shifts no roster can fill";
    could_fill => "若有空可补：", "Could fill it if available:";
    build_roster => "生成排班", "Build the roster";
    first_day => "起始日期", "First day";
    days_field => "天数", "Days";
    need_field => "每班人数", "Volunteers a shift";
    mark_no_show => "记录缺勤", "Mark a no-show";
    volunteer_field => "志愿者", "Volunteer";
    shift_field => "班次", "Shift";
    volunteers_count => "志愿者", "Volunteers";
    waste_saved => "已保存。", "Saved.";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/waste", get(page))
        .route("/waste/roster", post(roster_save))
        .route("/waste/checkins", post(checkin_save))
        .route("/waste/no-shows", post(noshow_save))
        .route("/waste/swaps", post(offer_save))
        .route("/waste/swaps/{id}", post(answer_save))
        .route("/waste/covers", post(covers::ask_save))
        .route("/waste/covers/{id}", post(covers::take_save))
        .route("/waste/availability", post(setup::availability_save))
        .route("/waste/setup", get(setup::page))
        .route("/waste/stations", post(setup::station_save))
        .route("/waste/changes", post(setup::change_save))
        .route("/waste/volunteers", post(setup::volunteer_save))
        .route("/waste/records", get(records::page).post(records::record_save))
        .route("/waste/summary", get(records::summary_page))
        .route("/waste/summary.xlsx", get(records::summary_xlsx))
}

pub(super) fn bad(detail: String) -> AppError {
    KitRefusal::FormInvalid { detail }.refused().into()
}

/// The viewer's volunteer record, if they are on the list.
pub(super) async fn me(state: &AppState, v: &Viewer) -> Result<Option<VolunteerRecord>, AppError> {
    Ok(state
        .store
        .volunteers(v.compound())
        .await?
        .into_iter()
        .find(|r| r.person_id.as_deref() == Some(v.account.id.as_str())))
}

pub(super) async fn current(state: &AppState, v: &Viewer) -> Result<PeriodRecord, AppError> {
    state.store.current_period(v.compound()).await?.ok_or_else(|| WasteRefusal::NoRoster.refused().into())
}

// ---------------------------------------------------------------------------------------------
// The writes, once for the page and the API.

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct RosterBody {
    /// YYYY-MM-DD
    first_day: String,
    /// 1–62
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    days: u32,
    /// Volunteers a shift, 1–5 (default 1).
    #[serde(default, deserialize_with = "crate::kit::forms::opt_whole_number")]
    #[schema(value_type = Option<u32>)]
    need: Option<u32>,
}

pub async fn build(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &RosterBody) -> Result<String, AppError> {
    v.acting(WasteAction::Organise, Subject::Compound, csrf)?;
    let first =
        parse_day(b.first_day.trim()).ok_or_else(|| bad(format!("first_day: {:?} is not a date", b.first_day)))?;
    Ok(state.store.build_roster(v.compound(), first, b.days, b.need.unwrap_or(1), v.actor()).await?.0)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ShiftBody {
    /// `station/2026-12-03/07:00`
    shift: String,
    /// For a no-show: the volunteer's id.
    #[serde(default)]
    volunteer: Option<String>,
}

pub async fn check_in(state: &AppState, v: &Viewer, csrf: Option<&str>, shift: &str) -> Result<(), AppError> {
    v.acting(WasteAction::TakeShifts, Subject::Compound, csrf)?;
    let me = me(state, v).await?.ok_or_else(|| AppError::from(WasteRefusal::NotAVolunteer.refused()))?;
    let p = current(state, v).await?;
    let today = day_of(crate::now_ms());
    Ok(state
        .store
        .record_attendance(v.compound(), &p, &ShiftId(shift.into()), &me.volunteer.id, "checked-in", today, v.actor())
        .await?)
}

pub async fn no_show(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    shift: &str,
    volunteer: &str,
) -> Result<(), AppError> {
    v.acting(WasteAction::Organise, Subject::Compound, csrf)?;
    let p = current(state, v).await?;
    let today = day_of(crate::now_ms());
    Ok(state
        .store
        .record_attendance(
            v.compound(),
            &p,
            &ShiftId(shift.into()),
            &VolunteerId(volunteer.into()),
            "no-show",
            today,
            v.actor(),
        )
        .await?)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct SwapBody {
    /// The shift to give away.
    shift: String,
    /// The volunteer asked to take it.
    to: String,
    /// One of theirs to take back in exchange (optional).
    #[serde(default)]
    back: Option<String>,
}

pub async fn offer(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &SwapBody) -> Result<String, AppError> {
    v.acting(WasteAction::TakeShifts, Subject::Compound, csrf)?;
    let me = me(state, v).await?.ok_or_else(|| AppError::from(WasteRefusal::NotAVolunteer.refused()))?;
    let p = current(state, v).await?;
    let sw = Swap {
        from: me.volunteer.id,
        shift: ShiftId(b.shift.trim().into()),
        to: VolunteerId(b.to.trim().into()),
        back: b.back.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| ShiftId(s.into())),
    };
    Ok(state.store.offer_swap(v.compound(), &p, &sw, v.actor()).await?)
}

pub async fn answer(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str, accept: bool) -> Result<(), AppError> {
    v.acting(WasteAction::TakeShifts, Subject::Compound, csrf)?;
    let me = me(state, v).await?.ok_or_else(|| AppError::from(WasteRefusal::NotAVolunteer.refused()))?;
    let p = current(state, v).await?;
    Ok(state.store.answer_swap(v.compound(), &p, id, &me.volunteer.id, accept, v.actor()).await?)
}

// ---------------------------------------------------------------------------------------------
// The page.

pub struct StationRow {
    pub name: String,
    pub group: String,
    pub place: String,
    pub windows: String,
    pub bins: Vec<(String, String)>,
    pub late_point: bool,
    pub households: u32,
}

pub struct MyShift {
    pub id: String,
    pub station: String,
    pub when: String,
    pub today: bool,
    pub status: String,
    /// Who could take it (free then, available, under their maxima).
    pub others: Vec<(String, String)>,
}

pub struct GapRow {
    pub shift: String,
    pub missing: u32,
    pub could: String,
}

/// A weekday of the availability grid: its label and its cells (value `1@07:00`, window, checked).
pub type GridRow = (String, Vec<(String, String, bool)>);

#[derive(Template)]
#[template(path = "waste/waste.html")]
pub struct WastePage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub stations: Vec<StationRow>,
    pub bins: Vec<(String, String, String)>,
    pub is_volunteer: bool,
    pub my_shifts: Vec<MyShift>,
    /// (swap id, from, shift)
    pub offers: Vec<(String, String, String)>,
    pub can_organise: bool,
    pub has_roster: bool,
    pub summary: String,
    pub volunteers: usize,
    pub gaps: Vec<GapRow>,
    /// (volunteer id, name) for the no-show form
    pub roster_people: Vec<(String, String)>,
    pub today: String,
    pub saved: bool,
    pub error: String,
    /// Open cover requests the viewer could take: (id, shift).
    pub covers: Vec<(String, String)>,
    /// Shifts of mine with a cover request open.
    pub asked: Vec<String>,
    /// The stations' household and pairing findings.
    pub findings: Vec<String>,
    /// Coming holiday changes: (station, day, windows or closed, note).
    pub changes: Vec<(String, String, String, String)>,
    /// My availability grid: (weekday label, [(value `1@07:00`, window, checked)]).
    pub grid: Vec<GridRow>,
    pub any_time: bool,
    /// (max, max a week, away dates)
    pub limits: (u32, String, String),
}

fn bin_label(t: &Tr, b: Bin) -> (String, String, String) {
    let eg = match b {
        Bin::Recyclable => t.bin_recyclable_eg(),
        Bin::Hazardous => t.bin_hazardous_eg(),
        Bin::Wet => t.bin_wet_eg(),
        Bin::Dry => t.bin_dry_eg(),
    };
    let lang_zh = t.waste() == "垃圾分类";
    (if lang_zh { b.zh() } else { b.en() }.to_string(), b.colour().hex().to_string(), eg.to_string())
}

async fn view(state: &AppState, p: &Prefs, v: &Viewer, saved: bool, error: String, status: StatusCode) -> Answer {
    let t = p.t();
    let stations = state.store.stations(v.compound()).await?;
    let volunteers = state.store.volunteers(v.compound()).await?;
    let me = me(state, v).await?;
    let period = state.store.current_period(v.compound()).await?;
    let today = day_of(crate::now_ms());
    let station_name = |id: &str| {
        stations.iter().find(|(s, _)| s.id.as_str() == id).map(|(s, _)| s.name.clone()).unwrap_or_else(|| id.into())
    };
    let name_of = |id: &VolunteerId| {
        volunteers
            .iter()
            .find(|r| &r.volunteer.id == id)
            .map(|r| r.volunteer.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let (mut my_shifts, mut offers, mut gap_rows, mut summary, mut people) =
        (vec![], vec![], vec![], String::new(), vec![]);
    let (mut covers, mut asked) = (vec![], vec![]);
    if let Some(p) = &period {
        summary = format!("{} {}/{} · {} {}", t.roster_summary(), p.covered, p.places, t.max_load(), p.max_load);
        let pb = state.store.waste_problem(v.compound(), p.first_day, p.days, p.need).await.ok();
        if let Some(pb) = &pb {
            covers = covers::open_for_me(state, v, p, pb).await?;
        }
        if let Some(me) = &me {
            asked = state
                .store
                .covers(v.compound(), p)
                .await?
                .into_iter()
                .filter(|c| c.status == "open" && c.from.as_ref() == Some(&me.volunteer.id))
                .map(|c| c.shift.to_string())
                .collect();
            for (shift, vs) in p.assignment.on.iter().filter(|(_, vs)| vs.contains(&me.volunteer.id)) {
                let parts: Vec<&str> = shift.as_str().split('/').collect();
                let date = parts.get(1).and_then(|d| parse_day(d));
                if date.is_some_and(|d| d < today) {
                    continue;
                }
                let status = p
                    .checkins
                    .iter()
                    .find(|(s, who, _)| s == shift && who == &me.volunteer.id)
                    .map(|(_, _, st)| if st == "checked-in" { t.checked_in() } else { t.no_show() })
                    .unwrap_or("")
                    .to_string();
                let others = pb
                    .as_ref()
                    .and_then(|pb| gongzhi_core::waste::cover_candidates(pb, &p.assignment, shift).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|o| !vs.contains(o))
                    .map(|o| (o.to_string(), name_of(&o)))
                    .collect();
                my_shifts.push(MyShift {
                    id: shift.to_string(),
                    station: station_name(parts.first().copied().unwrap_or("")),
                    when: format!("{} {}", parts.get(1).unwrap_or(&""), parts.get(2).unwrap_or(&"")),
                    today: date == Some(today),
                    status,
                    others,
                });
            }
            my_shifts.truncate(12);
            offers = p
                .swaps
                .iter()
                .filter(|s| s.status == "offered" && s.swap.to == me.volunteer.id)
                .map(|s| (s.id.clone(), name_of(&s.swap.from), s.swap.shift.to_string()))
                .collect();
        }
        if let Some(pb) = &pb {
            gap_rows = gaps(pb, &p.assignment)
                .into_iter()
                .take(50)
                .map(|g| GapRow {
                    shift: g.shift.to_string(),
                    missing: g.missing,
                    could: g.could_fill.iter().map(&name_of).collect::<Vec<_>>().join("、"),
                })
                .collect();
        }
        people = volunteers.iter().map(|r| (r.volunteer.id.to_string(), r.volunteer.name.clone())).collect();
    }
    let plain: Vec<gongzhi_core::waste::Station> = stations.iter().map(|(s, _)| s.clone()).collect();
    let findings = gongzhi_core::waste::check_stations(&plain, gongzhi_core::waste::HouseholdRule::default())
        .iter()
        .map(|x| p.lang.pick(x.zh(), x.en()))
        .collect();
    let changes = state
        .store
        .station_changes(v.compound())
        .await?
        .into_iter()
        .filter(|c| c.day >= today)
        .take(10)
        .map(|c| {
            let ws = if c.windows.is_empty() {
                t.station_closed().to_string()
            } else {
                c.windows.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("、")
            };
            (station_name(c.station.as_str()), c.day.to_string(), ws, c.note)
        })
        .collect();
    let starts: std::collections::BTreeSet<gongzhi_core::waste::Hm> =
        plain.iter().flat_map(|s| s.windows.iter().map(|w| w.start)).collect();
    let weekly = me.as_ref().and_then(|m| m.weekly.clone());
    let grid = (1..=7i8)
        .map(|d| {
            let cells = starts
                .iter()
                .map(|h| {
                    let on = weekly.as_ref().is_none_or(|w| w.contains(&(d, *h)));
                    (format!("{d}@{h}"), h.to_string(), on)
                })
                .collect();
            (setup::weekday(&t, d).to_string(), cells)
        })
        .collect();
    let limits = me.as_ref().map_or((6, String::new(), String::new()), |m| {
        (
            m.volunteer.max,
            m.volunteer.max_per_week.map(|x| x.to_string()).unwrap_or_default(),
            m.volunteer.away.iter().filter(|d| **d >= today).map(|d| d.to_string()).collect::<Vec<_>>().join(" "),
        )
    });
    let page = WastePage {
        covers,
        asked,
        findings,
        changes,
        grid,
        any_time: weekly.is_none(),
        limits,
        c: chrome(state, p, Some(v), "/waste").await,
        stations: stations
            .iter()
            .map(|(s, place)| StationRow {
                name: s.name.clone(),
                group: s.building_group.clone(),
                place: place.clone(),
                windows: s.windows.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("、"),
                bins: s
                    .bins
                    .iter()
                    .map(|b| (p.lang.pick(b.zh(), b.en()).to_string(), b.colour().hex().to_string()))
                    .collect(),
                late_point: s.late_point,
                households: s.households,
            })
            .collect(),
        bins: Bin::ALL.iter().map(|b| bin_label(&t, *b)).collect(),
        is_volunteer: me.is_some(),
        my_shifts,
        offers,
        can_organise: v.may(WasteAction::Organise, Subject::Compound),
        has_roster: period.is_some(),
        summary,
        volunteers: volunteers.len(),
        gaps: gap_rows,
        roster_people: people,
        today: today.to_string(),
        saved,
        error,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    view(&state, &p, &v, q.saved.is_some(), String::new(), StatusCode::OK).await
}

pub(super) async fn back(state: &AppState, p: &Prefs, v: &Viewer, r: Result<(), AppError>) -> Answer {
    match crate::kit::error::on_the_page(r)? {
        Ok(()) => Ok(see_other("/waste?saved=1")),
        Err(x) => view(state, p, v, false, x.say(p.lang), crate::kit::error::status_of(x.kind())).await,
    }
}

async fn roster_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = RosterBody {
        first_day: f.one("first_day").into(),
        days: f.one("days").parse().unwrap_or(0),
        need: f.one("need").parse().ok(),
    };
    let r = build(&state, &v, Some(f.one("csrf")), &b).await.map(|_| ());
    back(&state, &p, &v, r).await
}

async fn checkin_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = check_in(&state, &v, Some(f.one("csrf")), f.one("shift")).await;
    back(&state, &p, &v, r).await
}

async fn noshow_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = no_show(&state, &v, Some(f.one("csrf")), f.one("shift"), f.one("volunteer")).await;
    back(&state, &p, &v, r).await
}

async fn offer_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = SwapBody { shift: f.one("shift").into(), to: f.one("to").into(), back: Some(f.one("back").into()) };
    let r = offer(&state, &v, Some(f.one("csrf")), &b).await.map(|_| ());
    back(&state, &p, &v, r).await
}

async fn answer_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = answer(&state, &v, Some(f.one("csrf")), &id, f.one("answer") == "accept").await;
    back(&state, &p, &v, r).await
}

/// A volunteer's shifts of the current roster for their calendar feed.
pub(crate) async fn calendar_events(
    state: &AppState,
    compound: &str,
    compound_name: &str,
    person: &str,
) -> Result<Vec<gongzhi_core::kit::ical::Event>, AppError> {
    use gongzhi_core::kit::ical::{Event, When};
    let Some(me) = state.store.volunteers(compound).await?.into_iter().find(|r| r.person_id.as_deref() == Some(person))
    else {
        return Ok(vec![]);
    };
    let Some(p) = state.store.current_period(compound).await? else { return Ok(vec![]) };
    let pb = state.store.waste_problem(compound, p.first_day, p.days, p.need).await?;
    let stations = state.store.stations(compound).await?;
    Ok(pb
        .shifts()
        .iter()
        .filter(|s| p.assignment.is_on(&s.id, &me.volunteer.id))
        .map(|s| {
            let day = gongzhi_core::kit::period::start_of(s.date);
            let name =
                stations.iter().find(|(x, _)| x.id == s.station).map(|(x, _)| x.name.clone()).unwrap_or_default();
            Event {
                uid: format!("shift-{}-{}@gongzhi", p.id, s.id.as_str().replace('/', "-")),
                when: When::Span {
                    start: day + i64::from(s.start.minutes()) * 60_000,
                    end: day + i64::from(s.end.minutes()) * 60_000,
                },
                summary: format!("垃圾分类值守：{name}"),
                description: format!("{compound_name}。请准时到岗并在手机上签到。"),
                location: Some(name),
                url: Some(state.public_url("/waste")),
            }
        })
        .collect())
}
