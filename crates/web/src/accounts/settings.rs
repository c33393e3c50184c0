//! The compound's holiday table, one year at a time: the State Council's rest days and the weekend
//! days made working days (调休), as shipped or as the compound's staff entered them. Every legal
//! period of every process is counted with it.

use super::chrome::chrome;
use super::viewer::Viewer;
use crate::AppState;
use crate::kit::error::Problem;
use crate::kit::forms::Path;
use crate::kit::forms::{Form, Json, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use gongzhi_core::accounts::AccountsRefusal;
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::kit::KitRefusal;
use gongzhi_core::kit::period::{CalendarDay, DayKind, parse_day, parse_table};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    calendar => "节假日与调休", "Holidays and working weekends";
    calendar_hint => "法定期间（公示、通知、限期）都按这张表计算：期间最后一天是休息日的，顺延到下一个工作日（《民法典》第二百零三条）。每行一天或一段：日期[..日期] rest|work 名称。清空后保存，恢复为随软件提供的国务院安排。",
        "Every legal period (notices, deadlines) is counted with this table: a last day on a rest day moves to the next working day (Civil Code Art. 203). One day or range a line: DATE[..DATE] rest|work NAME. Save it empty to return to the State Council's table shipped with the software.";
    calendar_year => "年份", "Year";
    calendar_own => "本小区自行录入", "Entered by this compound";
    calendar_shipped => "随软件提供（国务院通知）", "Shipped (State Council notice)";
    calendar_unknown => "这一年还没有节假日安排：只把周末当作休息日。请在国务院通知发布后录入。", "No holiday table for this year yet: only weekends count as rest days. Enter it once the State Council publishes it.";
    save => "保存", "Save";
}

#[derive(Template)]
#[template(path = "accounts/calendar.html")]
pub struct CalendarPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub year: i16,
    pub lines: String,
    pub own: bool,
    pub known: bool,
    pub error: String,
}

/// The year's entries as the form shows them, and whether they are the compound's own.
async fn year_table(state: &AppState, compound: &str, year: i16) -> Result<(Vec<CalendarDay>, bool), AppError> {
    let own: Vec<CalendarDay> =
        state.store.own_calendar_days(compound).await?.into_iter().filter(|d| d.day.year() == year).collect();
    if !own.is_empty() {
        return Ok((own, true));
    }
    let shipped = gongzhi_core::kit::period::shipped_days().into_iter().filter(|d| d.day.year() == year).collect();
    Ok((shipped, false))
}

fn lines(days: &[CalendarDay]) -> String {
    days.iter().map(|d| format!("{} {} {}", d.day, d.kind.as_str(), d.name)).collect::<Vec<_>>().join("\n")
}

/// The days of `text` for `year`, or the refusal naming the line.
fn parse_year(text: &str, year: i16) -> Result<Vec<CalendarDay>, AppError> {
    let days = parse_table(text).map_err(|(line, _)| {
        let bad = text.lines().nth(line - 1).unwrap_or("").trim().to_string();
        AccountsRefusal::BadCalendarLine { line, text: bad }.refused()
    })?;
    if let Some(d) = days.iter().find(|d| d.day.year() != year) {
        let line = text.lines().position(|l| l.contains(&d.day.to_string())).map_or(0, |i| i + 1);
        return AccountsRefusal::CalendarYearMismatch { line, year: year.into() }.err();
    }
    Ok(days)
}

#[derive(Deserialize)]
pub(super) struct YearQuery {
    year: Option<i16>,
}

pub(super) async fn calendar_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Answer {
    v.require(AccountsAction::ManageSettings, Subject::Compound)?;
    let year = q.year.unwrap_or_else(|| gongzhi_core::kit::period::day_of(crate::now_ms()).year());
    let (days, own) = year_table(&state, v.compound(), year).await?;
    let c = chrome(&state, &p, Some(&v), "/settings/calendar").await;
    let known = !days.is_empty();
    Ok(html(render(&CalendarPage { t: p.t(), c, year, lines: lines(&days), own, known, error: String::new() })))
}

#[derive(Deserialize)]
pub(super) struct CalendarForm {
    csrf: String,
    year: i16,
    #[serde(default)]
    lines: String,
}

pub(super) async fn calendar_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Form(f): Form<CalendarForm>,
) -> Answer {
    v.acting(AccountsAction::ManageSettings, Subject::Compound, Some(&f.csrf))?;
    match parse_year(&f.lines, f.year) {
        Ok(days) => {
            state.store.set_calendar_year(v.compound(), f.year, &days, &v.account.login).await?;
            Ok(see_other(&format!("/settings/calendar?year={}", f.year)))
        }
        Err(AppError::Refused(r)) => {
            let c = chrome(&state, &p, Some(&v), "/settings/calendar").await;
            let page = CalendarPage {
                t: p.t(),
                c,
                year: f.year,
                lines: f.lines.clone(),
                own: true,
                known: true,
                error: r.say(p.lang),
            };
            let mut answer = html(render(&page));
            *answer.status_mut() = crate::kit::error::status_of(r.kind());
            Ok(answer)
        }
        Err(e) => Err(e),
    }
}

/// One day of the holiday table.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarDayJson {
    /// `YYYY-MM-DD`
    day: String,
    /// `rest` (a holiday) or `work` (a weekend day worked, 调休)
    kind: String,
    #[serde(default)]
    name: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarYearJson {
    /// The year of the path.
    #[schema(minimum = 1900, maximum = 2199)]
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    year: i16,
    /// The compound entered this year itself (else it is the table shipped with the software).
    #[serde(default)]
    own: bool,
    days: Vec<CalendarDayJson>,
}

/// The years a holiday table can be kept for; any other is not there (404).
fn known_year(year: i16) -> Result<(), AppError> {
    if (1900..=2199).contains(&year) { Ok(()) } else { Err(KitRefusal::NotFound.refused().into()) }
}

/// A year of the compound's holiday table (directors and residents'-committee staff).
#[utoipa::path(get, path = "/api/v1/calendar/{year}", tag = "settings", params(("year" = i16, Path, minimum = 1900, maximum = 2199)),
    responses((status = 200, body = CalendarYearJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_year(
    State(state): State<AppState>,
    v: Viewer,
    Path(year): Path<i16>,
) -> Result<axum::Json<CalendarYearJson>, AppError> {
    v.require(AccountsAction::ManageSettings, Subject::Compound)?;
    known_year(year)?;
    let (days, own) = year_table(&state, v.compound(), year).await?;
    let days = days
        .into_iter()
        .map(|d| CalendarDayJson { day: d.day.to_string(), kind: d.kind.as_str().into(), name: d.name })
        .collect();
    Ok(axum::Json(CalendarYearJson { year, own, days }))
}

/// Replace a year of the compound's holiday table; an empty list returns it to the shipped one.
#[utoipa::path(put, path = "/api/v1/calendar/{year}", tag = "settings", params(("year" = i16, Path, minimum = 1900, maximum = 2199)),
    request_body = CalendarYearJson,
    responses((status = 200, body = CalendarYearJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_year(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(year): Path<i16>,
    Json(body): Json<CalendarYearJson>,
) -> Result<axum::Json<CalendarYearJson>, AppError> {
    v.acting(AccountsAction::ManageSettings, Subject::Compound, csrf(&h))?;
    known_year(year)?;
    if body.year != year {
        let detail = format!("year: the body is for {} but the address for {year}", body.year);
        return Err(KitRefusal::FormInvalid { detail }.refused().into());
    }
    let mut days = Vec::new();
    for (i, d) in body.days.iter().enumerate() {
        let bad = || AccountsRefusal::BadCalendarLine { line: i + 1, text: format!("{} {}", d.day, d.kind) }.refused();
        let day = parse_day(&d.day).ok_or_else(bad)?;
        let kind = DayKind::parse(&d.kind).ok_or_else(bad)?;
        if day.year() != year {
            return AccountsRefusal::CalendarYearMismatch { line: i + 1, year: year.into() }.err();
        }
        days.push(CalendarDay { day, kind, name: d.name.clone() });
    }
    state.store.set_calendar_year(v.compound(), year, &days, &v.account.login).await?;
    get_year(State(state), v, Path(year)).await
}
