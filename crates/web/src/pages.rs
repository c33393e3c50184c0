//! The pages: server-rendered HTML that works without JavaScript; forms carry the CSRF token.

use crate::auth::{
    MaybeViewer, PRE_CSRF_COOKIE, Prefs, Viewer, clear_session_cookie, constant_eq, cookie, session_cookie,
};
use crate::error::{AppError, PageError};
use crate::i18n::{Lang, Tr};
use crate::views::*;
use crate::{AppState, authenticate};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Router, routing::get, routing::post};
use gongzhi_core::roles::Action;
use gongzhi_core::turnout::{Turnout, turnout};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, Threshold, UnitNo, time};
use gongzhi_store::accounts::random_token;
use gongzhi_store::channels::PaperOutcome;
use gongzhi_store::{Matter, MatterStatus, NewMatter};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

type PageResult = Result<Response, PageError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/prefs", get(prefs))
        .route("/matters", post(create_matter))
        .route("/matters/new", get(new_matter))
        .route("/matters/{id}", get(matter_page))
        .route("/matters/{id}/vote", post(vote))
        .route("/matters/{id}/notice", get(notice_page).post(post_notice))
        .route("/matters/{id}/open", post(open_voting))
        .route("/matters/{id}/close", post(close_voting))
        .route("/matters/{id}/turnout", get(turnout_page))
        .route("/matters/{id}/ballots", get(ballots_page))
        .route("/matters/{id}/receipts", get(receipts_page))
        .route("/matters/{id}/roll", get(roll_page))
        .route("/matters/{id}/export.xlsx", get(export_xlsx))
        .route("/matters/{id}/paper", get(paper_page).post(paper_submit))
        .route("/matters/{id}/paper/resolve", post(paper_resolve))
        .route("/matters/{id}/proxy", post(proxy_submit))
        .route("/bind", get(bind_page).post(bind_submit))
        .route("/register", get(register_page).post(register_submit))
        .route("/codes", get(codes_page).post(codes_submit))
        .route("/audit", get(audit_page))
        .route("/attachments/{id}", get(attachment))
}

/// Wraps an error with the viewer's language.
pub(crate) trait Localise<T> {
    fn page(self, p: &Prefs) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> Localise<T> for Result<T, E> {
    fn page(self, p: &Prefs) -> Result<T, PageError> {
        self.map_err(|e| PageError { err: e.into(), lang: p.lang })
    }
}

pub(crate) fn need_viewer(v: MaybeViewer, _p: &Prefs, path: &str) -> Result<Viewer, Redirect> {
    v.0.ok_or_else(|| Redirect::to(&format!("/login?next={}", encode(path))))
}

/// A signed-in viewer who may take `action` and presented the form's CSRF token.
pub(crate) fn acting(v: MaybeViewer, p: &Prefs, action: Action, csrf: &str) -> Result<Viewer, PageError> {
    let v = v.0.ok_or(AppError::Unauthorized).page(p)?;
    v.require(action).page(p)?;
    v.check_csrf(Some(csrf)).page(p)?;
    Ok(v)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A local path to go back to: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

pub(crate) async fn chrome(state: &AppState, p: &Prefs, v: Option<&Viewer>, path: &str) -> Chrome {
    let compound = match v {
        Some(v) => state.store.compound(v.compound()).await.map(|c| c.name).unwrap_or_default(),
        None => String::new(),
    };
    Chrome {
        lang: LangCode(Some(p.lang)),
        large: p.large,
        viewer: v.map(|v| v.account.name.clone()).unwrap_or_default(),
        csrf: v.map(|v| v.csrf.clone()).unwrap_or_default(),
        compound,
        path: encode(path),
        other_lang: if p.lang == Lang::Zh { "en" } else { "zh" },
    }
}

fn html(s: String) -> Response {
    Html(s).into_response()
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub fn status_label(t: Tr, s: MatterStatus) -> &'static str {
    match s {
        MatterStatus::Draft => t.status_draft(),
        MatterStatus::Notice => t.status_notice(),
        MatterStatus::Open => t.status_open(),
        MatterStatus::Closed => t.status_closed(),
    }
}

fn kind_label(t: Tr, k: MatterKind) -> &'static str {
    if t.0 == Lang::Zh { k.name_zh() } else { k.name_en() }
}

fn scope_label(t: Tr, s: &Scope) -> String {
    if t.0 == Lang::Zh { s.name_zh() } else { s.name_en() }
}

fn threshold_label(t: Tr, th: Threshold) -> &'static str {
    match (t.0, th) {
        (Lang::Zh, Threshold::ThreeQuarters) => {
            "参与表决的面积和人数均达三分之二以上；同意的面积和人数均达参与部分的四分之三以上"
        }
        (Lang::Zh, Threshold::MoreThanHalf) => {
            "参与表决的面积和人数均达三分之二以上；同意的面积和人数均超过参与部分的一半"
        }
        (Lang::En, Threshold::ThreeQuarters) => {
            "two thirds of the area and owners take part; three quarters of the participating area and owners approve"
        }
        (Lang::En, Threshold::MoreThanHalf) => {
            "two thirds of the area and owners take part; more than half of the participating area and owners approve"
        }
    }
}

fn matter_row(t: Tr, m: &Matter) -> MatterRow {
    MatterRow {
        id: m.id.clone(),
        title: m.title.clone(),
        status: m.status.as_str().into(),
        status_label: status_label(t, m.status),
        kind_label: kind_label(t, m.kind),
        scope_label: scope_label(t, &m.scope),
        ballots_cast: m.ballots_cast,
    }
}

fn window(m: &Matter) -> String {
    match (m.window_start, m.window_end) {
        (Some(a), Some(b)) => format!("{} – {}", time::date(a), time::date(b)),
        (Some(a), None) => format!("{} –", time::date(a)),
        (None, Some(b)) => format!("– {}", time::date(b)),
        (None, None) => String::new(),
    }
}

fn pct(part: i64, whole: i64) -> (String, u32) {
    if whole <= 0 {
        return ("0.00".into(), 0);
    }
    let v = (part as i128 * 10_000 + whole as i128 / 2) / whole as i128;
    (format!("{}.{:02}", v / 100, v % 100), (v / 100).clamp(0, 100) as u32)
}

fn gauges(t: Tr, tu: &Turnout) -> Vec<Gauge> {
    let (ap, aw) = pct(tu.participating_area.e4(), tu.eligible_area.e4());
    let (hp, hw) = pct(tu.participating_owners as i64, tu.eligible_owners as i64);
    vec![
        Gauge {
            label: t.by_area(),
            reached: format!("{} {}", tu.participating_area, t.sqm()),
            needed: format!("{} {}", tu.needed_area, t.sqm()),
            total: format!("{} {}", tu.eligible_area, t.sqm()),
            missing: if tu.missing_area.e4() == 0 { "0".into() } else { format!("{} {}", tu.missing_area, t.sqm()) },
            percent: ap,
            width: aw,
        },
        Gauge {
            label: t.by_headcount(),
            reached: format!("{} {}", tu.participating_owners, t.owners_unit()),
            needed: format!("{} {}", tu.needed_owners, t.owners_unit()),
            total: format!("{} {}", tu.eligible_owners, t.owners_unit()),
            missing: if tu.missing_owners == 0 {
                "0".into()
            } else {
                format!("{} {}", tu.missing_owners, t.owners_unit())
            },
            percent: hp,
            width: hw,
        },
    ]
}

/// A matter the viewer may see: drafts only to those who prepare matters.
async fn visible_matter(state: &AppState, v: &Viewer, id: &str) -> Result<Matter, AppError> {
    let m = state.store.matter(v.compound(), id).await?;
    if m.status == MatterStatus::Draft && !v.may(Action::PrepareMatter) {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

async fn live_turnout(
    state: &AppState,
    compound: &str,
    m: &Matter,
) -> Result<(std::sync::Arc<Vec<gongzhi_core::Unit>>, Turnout), AppError> {
    let roll = state.store.roll(compound, &m.id).await?;
    let voted = state.store.voted_units(compound, &m.id).await?;
    let voted: Vec<UnitNo> = voted.iter().filter_map(|u| UnitNo::parse(u)).collect();
    let set: HashSet<&UnitNo> = voted.iter().collect();
    let tu = turnout(&roll, &set);
    Ok((roll, tu))
}

fn explanation(t: Tr, e: &gongzhi_core::tally::Explanation) -> String {
    if t.0 == Lang::Zh { e.zh.clone() } else { e.en.clone() }
}

// ------------------------------------------------------------------------------------------------

async fn home(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let t = p.t();
    let c = chrome(&state, &p, v.0.as_ref(), "/").await;
    let Some(v) = v.0 else {
        return Ok(html(render(&Home {
            t,
            c,
            signed_in: false,
            matters: vec![],
            can_prepare: false,
            can_manage: false,
            can_audit: false,
            units: vec![],
        })));
    };
    let mut ms = state.store.matters(v.compound()).await.page(&p)?;
    ms.retain(|m| m.status != MatterStatus::Draft || v.may(Action::PrepareMatter));
    let order = |s: MatterStatus| match s {
        MatterStatus::Open => 0,
        MatterStatus::Notice => 1,
        MatterStatus::Draft => 2,
        MatterStatus::Closed => 3,
    };
    ms.sort_by_key(|m| (order(m.status), std::cmp::Reverse(m.created_at)));
    Ok(html(render(&Home {
        t,
        c,
        signed_in: true,
        matters: ms.iter().map(|m| matter_row(t, m)).collect(),
        can_prepare: v.may(Action::PrepareMatter),
        can_manage: v.may(Action::ManageAccounts),
        can_audit: v.may(Action::ReadAudit),
        units: v.account.units.iter().map(|u| u.unit.to_string()).collect(),
    })))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    login_form(&state, &p, &headers, String::new(), String::new(), safe_next(q.next.as_deref()), StatusCode::OK).await
}

fn pre_csrf(headers: &HeaderMap) -> String {
    cookie(headers, PRE_CSRF_COOKIE).map(String::from).unwrap_or_else(random_token)
}

fn with_pre_csrf(mut r: Response, pre: &str) -> Response {
    let c = format!("{PRE_CSRF_COOKIE}={pre}; Path=/; HttpOnly; SameSite=Strict");
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    r
}

fn with_session(mut r: Response, token: &str, secure: bool) -> Response {
    let c = session_cookie(token, secure);
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    r
}

async fn login_form(
    state: &AppState,
    p: &Prefs,
    headers: &HeaderMap,
    error: String,
    login: String,
    next: String,
    status: StatusCode,
) -> Response {
    let pre = pre_csrf(headers);
    let page = Login { t: p.t(), c: chrome(state, p, None, "/login").await, pre_csrf: pre.clone(), error, login, next };
    with_pre_csrf((status, Html(render(&page))).into_response(), &pre)
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    login: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    if !cookie(&headers, PRE_CSRF_COOKIE).is_some_and(|c| constant_eq(c, &f.csrf)) {
        return PageError { err: AppError::Csrf, lang: p.lang }.into_response();
    }
    match authenticate(&state, &f.login, &f.password).await {
        Ok(account) => match state.store.create_session(&account, crate::auth::SESSION_TTL_MS).await {
            Ok((token, _)) => {
                // a temporary password from staff is replaced before anything else
                let to = match state.store.must_change_password(&account.compound_id, &account.id).await {
                    Ok(true) => "/password".to_string(),
                    _ => next,
                };
                with_session(Redirect::to(&to).into_response(), &token, state.secure_cookies)
            }
            Err(e) => PageError { err: e.into(), lang: p.lang }.into_response(),
        },
        Err(AppError::TooMany(_)) => {
            login_form(&state, &p, &headers, p.t().too_many().into(), f.login, next, StatusCode::TOO_MANY_REQUESTS)
                .await
        }
        Err(AppError::Unauthorized) => {
            login_form(&state, &p, &headers, p.t().login_failed().into(), f.login, next, StatusCode::UNAUTHORIZED).await
        }
        Err(e) => PageError { err: e, lang: p.lang }.into_response(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Form(f): Form<CsrfForm>) -> PageResult {
    if let Some(v) = v.0 {
        v.check_csrf(Some(&f.csrf)).page(&p)?;
        state.store.end_session(&v.token).await.page(&p)?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&clear_session_cookie()).expect("ascii cookie"));
    Ok(r)
}

#[derive(Deserialize)]
struct PrefsQuery {
    lang: Option<String>,
    large: Option<String>,
    next: Option<String>,
}

async fn prefs(Query(q): Query<PrefsQuery>) -> Response {
    let mut r = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    if let Some(l) = q.lang.as_deref().and_then(Lang::parse) {
        let c = format!("gz_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", l.short());
        r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    }
    if let Some(large) = q.large.as_deref() {
        let c = format!("gz_large={}; Path=/; Max-Age=31536000; SameSite=Lax", if large == "1" { "1" } else { "0" });
        r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    }
    r
}

async fn matter_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let path = format!("/matters/{id}");
    let v = match need_viewer(v, &p, &path) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    let t = p.t();
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    let compound = v.compound();
    let attachments = state.store.attachments(compound, &id).await.page(&p)?;
    let (mut gauges_v, mut met, mut vote_units) = (vec![], false, vec![]);
    if matches!(m.status, MatterStatus::Open | MatterStatus::Closed) {
        let (roll, tu) = live_turnout(&state, compound, &m).await.page(&p)?;
        gauges_v = gauges(t, &tu);
        met = tu.met;
        if m.status == MatterStatus::Open {
            let on_roll: HashSet<&UnitNo> = roll.iter().map(|u| &u.no).collect();
            for u in v.account.units.iter().filter(|u| v.account.votes_for(&u.unit) && on_roll.contains(&u.unit)) {
                let receipt = state.store.receipt_for(compound, &id, &u.unit).await.page(&p)?;
                vote_units.push(VoteUnit {
                    unit: u.unit.to_string(),
                    can_vote: receipt.is_none() || m.allow_change,
                    receipt: receipt.unwrap_or_default(),
                });
            }
        }
    }
    let (passed, expl) = if m.status == MatterStatus::Closed {
        let tally = state.store.tally(compound, &id).await.page(&p)?;
        (Some(tally.passed), explanation(t, &tally.explanation))
    } else {
        (None, String::new())
    };
    let (project_id, my_shares) = match state.store.project_for_matter(compound, &id).await.page(&p)? {
        Some(pr) => {
            let mine: HashSet<&UnitNo> = v.account.units.iter().map(|u| &u.unit).collect();
            let shares = match state.store.share_plan(compound, &pr).await {
                Ok(plan) => plan
                    .shares
                    .into_iter()
                    .filter(|s| mine.contains(&s.unit))
                    .map(|s| (s.unit.to_string(), s.share.to_string()))
                    .collect(),
                Err(_) => vec![],
            };
            (pr.id, shares)
        }
        None => (String::new(), vec![]),
    };
    let page = MatterPage {
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        project_id,
        my_shares,
        m: matter_row(t, &m),
        body: m.body.clone(),
        threshold_label: threshold_label(t, m.kind.threshold()),
        window: window(&m),
        notice_at: m.notice_at.map(time::date).unwrap_or_default(),
        opened_at: m.opened_at.map(time::datetime).unwrap_or_default(),
        closed_at: m.closed_at.map(time::datetime).unwrap_or_default(),
        deemed_clause: m.deemed_clause,
        allow_change: m.allow_change,
        attachments,
        vote_units,
        gauges: gauges_v,
        participation_met: met,
        passed,
        explanation: expl,
        deemed_explained: m.deemed_clause,
        can_prepare: v.may(Action::PrepareMatter),
        can_close: v.may(Action::CloseVoting),
        can_enter: v.may(Action::EnterBallots),
        can_follow_up: v.may(Action::FollowUpTurnout),
    };
    Ok(html(render(&page)))
}

#[derive(Deserialize)]
struct VoteForm {
    csrf: String,
    unit: String,
    choice: String,
}

fn parse_unit(s: &str) -> Result<UnitNo, AppError> {
    UnitNo::parse(s).ok_or_else(|| AppError::BadInput(format!("unit: '{s}' is not a unit number like 13-701")))
}

fn parse_choice(s: &str) -> Result<Choice, AppError> {
    Choice::parse(s).ok_or_else(|| AppError::BadInput(format!("choice: '{s}' is not approve, oppose or abstain")))
}

async fn vote(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<VoteForm>,
) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    v.check_csrf(Some(&f.csrf)).page(&p)?;
    let unit = parse_unit(&f.unit).page(&p)?;
    let choice = parse_choice(&f.choice).page(&p)?;
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    if !v.account.votes_for(&unit) {
        return Err(AppError::Forbidden(format!("this account does not vote for unit {unit}"))).page(&p);
    }
    let receipt =
        state.store.cast_ballot(v.compound(), &id, &unit, choice, Channel::Online, v.actor()).await.page(&p)?;
    let page = Voted {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &format!("/matters/{id}")).await,
        matter_id: id,
        title: m.title,
        unit: unit.to_string(),
        receipt,
    };
    Ok(html(render(&page)))
}

async fn new_matter(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match need_viewer(v, &p, "/matters/new") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    v.require(Action::PrepareMatter).page(&p)?;
    let t = p.t();
    let reg = state.store.registry(v.compound()).await.page(&p)?;
    let page = NewMatterPage {
        t,
        c: chrome(&state, &p, Some(&v), "/matters/new").await,
        kinds: MatterKind::ALL.iter().map(|k| (k.as_str(), kind_label(t, *k))).collect(),
        buildings: reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect(),
    };
    Ok(html(render(&page)))
}

/// A multipart form's text fields and files.
pub(crate) async fn read_multipart(
    mut mp: Multipart,
) -> Result<(HashMap<String, String>, Vec<(String, String, String, Vec<u8>)>), AppError> {
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    while let Some(f) = mp.next_field().await.map_err(|e| AppError::BadInput(format!("form: {e}")))? {
        let name = f.name().unwrap_or("").to_string();
        match f.file_name().map(String::from) {
            Some(file_name) => {
                let ct = f.content_type().unwrap_or("application/octet-stream").to_string();
                let bytes = f.bytes().await.map_err(|e| AppError::BadInput(format!("{name}: {e}")))?;
                if !file_name.is_empty() && !bytes.is_empty() {
                    files.push((name, file_name, ct, bytes.to_vec()));
                }
            }
            None => {
                let text = f.text().await.map_err(|e| AppError::BadInput(format!("{name}: {e}")))?;
                fields.insert(name, text);
            }
        }
    }
    Ok((fields, files))
}

pub fn parse_new_matter(f: &HashMap<String, String>) -> Result<NewMatter, AppError> {
    let get = |k: &str| f.get(k).map(|s| s.trim()).unwrap_or("");
    let kind = MatterKind::parse(get("kind"))
        .ok_or_else(|| AppError::BadInput(format!("kind: unknown kind '{}'", get("kind"))))?;
    let scope = Scope::parse(get("scope")).ok_or_else(|| {
        AppError::BadInput(format!("scope: '{}' is not compound, building:B or stairwell:B/S", get("scope")))
    })?;
    let date = |k: &str| -> Result<Option<i64>, AppError> {
        match get(k) {
            "" => Ok(None),
            s => time::parse_date(s)
                .map(Some)
                .ok_or_else(|| AppError::BadInput(format!("{k}: '{s}' is not a date like 2026-12-01"))),
        }
    };
    Ok(NewMatter {
        title: get("title").to_string(),
        body: get("body").to_string(),
        kind,
        scope,
        deemed_clause: get("deemed_clause") == "1",
        allow_change: get("allow_change") == "1",
        window_start: date("window_start")?,
        // the window ends at the end of its last day
        window_end: date("window_end")?.map(|d| d + 86_400_000 - 1),
    })
}

async fn create_matter(State(state): State<AppState>, p: Prefs, v: MaybeViewer, mp: Multipart) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    v.require(Action::PrepareMatter).page(&p)?;
    let (fields, files) = read_multipart(mp).await.page(&p)?;
    v.check_csrf(fields.get("csrf").map(String::as_str)).page(&p)?;
    let nm = parse_new_matter(&fields).page(&p)?;
    let m = state.store.create_matter(v.compound(), &nm, v.actor()).await.page(&p)?;
    for (_, name, ct, bytes) in files {
        state.store.attach(v.compound(), &m.id, &name, &ct, &bytes, v.actor()).await.page(&p)?;
    }
    Ok(see_other(&format!("/matters/{}", m.id)))
}

async fn post_notice(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    let v = acting(v, &p, Action::PrepareMatter, &f.csrf)?;
    state.store.post_notice(v.compound(), &id, v.actor(), crate::now_ms()).await.page(&p)?;
    Ok(see_other(&format!("/matters/{id}")))
}

async fn open_voting(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    let v = acting(v, &p, Action::PrepareMatter, &f.csrf)?;
    state.store.open_matter(v.compound(), &id, v.actor()).await.page(&p)?;
    Ok(see_other(&format!("/matters/{id}")))
}

async fn close_voting(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    let v = acting(v, &p, Action::CloseVoting, &f.csrf)?;
    state.store.close_matter(v.compound(), &id, v.actor()).await.page(&p)?;
    Ok(see_other(&format!("/matters/{id}/notice")))
}

async fn turnout_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let path = format!("/matters/{id}/turnout");
    let v = match need_viewer(v, &p, &path) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    v.require(Action::FollowUpTurnout).page(&p)?;
    let t = p.t();
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    if !matches!(m.status, MatterStatus::Open | MatterStatus::Closed) {
        return Err(AppError::Conflict("voting has not opened".into())).page(&p);
    }
    let (_, tu) = live_turnout(&state, v.compound(), &m).await.page(&p)?;
    let names: HashMap<String, String> =
        state.store.roll_names(v.compound(), &id).await.page(&p)?.into_iter().collect();
    let rows = tu
        .to_visit
        .iter()
        .map(|x| VisitRow {
            priority: x.priority,
            within: x.priority <= tu.visits_to_threshold,
            building: x.building.clone(),
            floor: x.floor,
            units: x.units.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(" "),
            owner: names.get(x.units[0].as_str()).cloned().unwrap_or_default(),
            area: x.area.to_string(),
        })
        .collect();
    let page = TurnoutPage {
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        gauges: gauges(t, &tu),
        visits_needed: tu.visits_to_threshold,
        rows,
        printed: time::datetime(crate::now_ms()),
    };
    Ok(html(render(&page)))
}

fn choice_label(t: Tr, c: Choice) -> &'static str {
    match c {
        Choice::Approve => t.approve(),
        Choice::Oppose => t.oppose(),
        Choice::Abstain => t.abstain(),
    }
}

fn channel_label(t: Tr, c: Channel) -> &'static str {
    match c {
        Channel::Online => t.channel_online(),
        Channel::Paper => t.channel_paper(),
        Channel::Proxy => t.channel_proxy(),
    }
}

async fn ballots_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let path = format!("/matters/{id}/ballots");
    let v = match need_viewer(v, &p, &path) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    let t = p.t();
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    if m.status != MatterStatus::Closed {
        return Err(AppError::Conflict(t.results_after_close().into())).page(&p);
    }
    let rows = state
        .store
        .ballots(v.compound(), &id)
        .await
        .page(&p)?
        .into_iter()
        .map(|(b, ch, _)| BallotRow {
            unit: b.unit.to_string(),
            choice: choice_label(t, b.choice),
            channel: channel_label(t, ch),
        })
        .collect();
    let page = BallotsPage { t, c: chrome(&state, &p, Some(&v), &path).await, matter_id: id, title: m.title, rows };
    Ok(html(render(&page)))
}

async fn receipts_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let path = format!("/matters/{id}/receipts");
    let v = match need_viewer(v, &p, &path) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    let receipts = state.store.receipts(v.compound(), &id).await.page(&p)?;
    let page = ReceiptsPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        receipts,
    };
    Ok(html(render(&page)))
}

async fn roll_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let path = format!("/matters/{id}/roll");
    let v = match need_viewer(v, &p, &path) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    let (roll, tu) = live_turnout(&state, v.compound(), &m).await.page(&p)?;
    let rows = roll
        .iter()
        .map(|u| RollRow {
            unit: u.no.to_string(),
            building: u.building.to_string(),
            stairwell: u.stairwell.to_string(),
            floor: u.floor,
            area: u.area.to_string(),
        })
        .collect();
    let page = RollPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        owners: tu.eligible_owners,
        area: tu.eligible_area.to_string(),
        rows,
    };
    Ok(html(render(&page)))
}

async fn notice_page(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let path = format!("/matters/{id}/notice");
    let v = match need_viewer(v, &p, &path) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    let t = p.t();
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    if m.status == MatterStatus::Draft {
        return Err(AppError::Conflict("a draft has no notice yet".into())).page(&p);
    }
    let (passed, expl, date) = if m.status == MatterStatus::Closed {
        let tally = state.store.tally(v.compound(), &id).await.page(&p)?;
        (Some(tally.passed), explanation(t, &tally.explanation), m.closed_at)
    } else {
        (None, String::new(), m.notice_at)
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let page = NoticePage {
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        heading: if passed.is_some() { t.result_notice() } else { t.vote_notice() },
        title: m.title.clone(),
        kind_label: kind_label(t, m.kind),
        scope_label: scope_label(t, &m.scope),
        threshold_label: threshold_label(t, m.kind.threshold()),
        body: m.body.clone(),
        window: window(&m),
        passed,
        explanation: expl,
        date: date.map(time::date).unwrap_or_default(),
        url: format!("http://{host}/matters/{id}"),
        back: format!("/matters/{id}"),
    };
    Ok(html(render(&page)))
}

async fn export_xlsx(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    let t = p.t();
    let m = visible_matter(&state, &v, &id).await.page(&p)?;
    if m.status != MatterStatus::Closed {
        return Err(AppError::Conflict(t.results_after_close().into())).page(&p);
    }
    let tally = state.store.tally(v.compound(), &id).await.page(&p)?;
    let ballots = state.store.ballots(v.compound(), &id).await.page(&p)?;
    let bytes = crate::export::result_workbook(t, &m, &tally, &ballots).page(&p)?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"result.xlsx\""));
    Ok(r)
}

async fn paper_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    outcome: String,
    outcome_ok: bool,
) -> PageResult {
    let t = p.t();
    let m = visible_matter(state, v, id).await.page(p)?;
    let mismatches = state
        .store
        .paper_mismatches(v.compound(), id)
        .await
        .page(p)?
        .into_iter()
        .map(|(a, b)| (a.unit, choice_label(t, a.choice), choice_label(t, b.choice)))
        .collect();
    let page = PaperPage {
        t,
        c: chrome(state, p, Some(v), &format!("/matters/{id}/paper")).await,
        matter_id: id.to_string(),
        title: m.title,
        outcome,
        outcome_ok,
        mismatches,
        can_resolve: v.may(Action::ResolvePaperMismatch),
    };
    Ok(html(render(&page)))
}

async fn paper_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let v = match need_viewer(v, &p, &format!("/matters/{id}/paper")) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    v.require(Action::EnterBallots).page(&p)?;
    paper_view(&state, &p, &v, &id, String::new(), false).await
}

async fn paper_submit(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<VoteForm>,
) -> PageResult {
    let v = acting(v, &p, Action::EnterBallots, &f.csrf)?;
    let t = p.t();
    let unit = parse_unit(&f.unit).page(&p)?;
    let choice = parse_choice(&f.choice).page(&p)?;
    let outcome = state.store.enter_paper_ballot(v.compound(), &id, &unit, choice, v.actor()).await.page(&p)?;
    let (msg, ok) = match outcome {
        PaperOutcome::AwaitingSecondEntry => (format!("{unit}: {}", t.first_entry_saved()), false),
        PaperOutcome::Counted { receipt } => (format!("{unit}: {} {} {receipt}", t.counted(), t.receipt()), true),
        PaperOutcome::Mismatch => (format!("{unit}: {}", t.mismatch_held()), false),
    };
    paper_view(&state, &p, &v, &id, msg, ok).await
}

async fn paper_resolve(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<VoteForm>,
) -> PageResult {
    let v = acting(v, &p, Action::ResolvePaperMismatch, &f.csrf)?;
    let unit = parse_unit(&f.unit).page(&p)?;
    let choice = parse_choice(&f.choice).page(&p)?;
    let receipt = state.store.resolve_paper_mismatch(v.compound(), &id, &unit, choice, v.actor()).await.page(&p)?;
    paper_view(&state, &p, &v, &id, format!("{unit}: {} {} {receipt}", p.t().counted(), p.t().receipt()), true).await
}

async fn proxy_submit(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    mp: Multipart,
) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    v.require(Action::EnterBallots).page(&p)?;
    let (fields, files) = read_multipart(mp).await.page(&p)?;
    v.check_csrf(fields.get("csrf").map(String::as_str)).page(&p)?;
    let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let unit = parse_unit(get("unit")).page(&p)?;
    let choice = parse_choice(get("choice")).page(&p)?;
    let doc = files.iter().find(|f| f.0 == "authorisation");
    let (name, ct, bytes) = doc.map(|d| (d.1.as_str(), d.2.as_str(), d.3.as_slice())).unwrap_or(("", "", &[]));
    let receipt = state
        .store
        .record_proxy(v.compound(), &id, &unit, get("proxy_name"), choice, (name, ct, bytes), v.actor())
        .await
        .page(&p)?;
    paper_view(&state, &p, &v, &id, format!("{unit}: {} · {} {receipt}", p.t().proxy(), p.t().receipt()), true).await
}

async fn register_page(State(state): State<AppState>, p: Prefs, headers: HeaderMap) -> Response {
    register_form(&state, &p, &headers, String::new(), &RegisterForm::default(), StatusCode::OK).await
}

async fn register_form(
    state: &AppState,
    p: &Prefs,
    headers: &HeaderMap,
    error: String,
    f: &RegisterForm,
    status: StatusCode,
) -> Response {
    let pre = pre_csrf(headers);
    let page = RegisterPage {
        t: p.t(),
        c: chrome(state, p, None, "/register").await,
        pre_csrf: pre.clone(),
        error,
        name: f.name.clone(),
        login: f.login.clone(),
        phone: f.phone.clone(),
    };
    with_pre_csrf((status, Html(render(&page))).into_response(), &pre)
}

#[derive(Deserialize, Default)]
struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
}

async fn register_submit(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    Form(f): Form<RegisterForm>,
) -> Response {
    if !cookie(&headers, PRE_CSRF_COOKIE).is_some_and(|c| constant_eq(c, &f.csrf)) {
        return PageError { err: AppError::Csrf, lang: p.lang }.into_response();
    }
    if f.password.chars().count() < 8 {
        return register_form(
            &state,
            &p,
            &headers,
            p.t().password_short().into(),
            &f,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let pw = f.password.clone();
    let hash = crate::password::run_limited(move || crate::password::hash(&pw)).await.unwrap_or_default();
    let account = gongzhi_store::accounts::NewAccount {
        login: f.login.clone(),
        phone: Some(f.phone.clone()),
        name: f.name.clone(),
        password_hash: hash,
        roles: vec![],
        units: vec![],
    };
    match state.store.register_with_code(&f.code, &account).await {
        Ok(a) => match state.store.create_session(&a, crate::auth::SESSION_TTL_MS).await {
            Ok((token, _)) => with_session(Redirect::to("/").into_response(), &token, state.secure_cookies),
            Err(e) => PageError { err: e.into(), lang: p.lang }.into_response(),
        },
        Err(e) if e.is_bad_input() || matches!(e, gongzhi_store::StoreError::Conflict(_)) => {
            let msg = crate::messages::localise(p.lang, &e.to_string());
            register_form(&state, &p, &headers, msg, &f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => PageError { err: e.into(), lang: p.lang }.into_response(),
    }
}

async fn bind_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match need_viewer(v, &p, "/bind") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    Ok(html(render(&BindPage { t: p.t(), c: chrome(&state, &p, Some(&v), "/bind").await, error: String::new() })))
}

#[derive(Deserialize)]
struct BindForm {
    csrf: String,
    code: String,
}

async fn bind_submit(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Form(f): Form<BindForm>) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    v.check_csrf(Some(&f.csrf)).page(&p)?;
    match state.store.redeem_binding_code(&v.account, &f.code).await {
        Ok(unit) => Ok(html(render(&Message {
            t: p.t(),
            c: chrome(&state, &p, Some(&v), "/bind").await,
            heading: p.t().bound().into(),
            text: unit.to_string(),
            back: "/".into(),
        }))),
        Err(e @ gongzhi_store::StoreError::BadInput(_)) => {
            let error = crate::messages::localise(p.lang, &e.to_string());
            let page = BindPage { t: p.t(), c: chrome(&state, &p, Some(&v), "/bind").await, error };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
        }
        Err(e) => Err(e).page(&p),
    }
}

async fn codes_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match need_viewer(v, &p, "/codes") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    v.require(Action::ManageAccounts).page(&p)?;
    let reg = state.store.registry(v.compound()).await.page(&p)?;
    let page = CodesPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), "/codes").await,
        buildings: reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect(),
        codes: vec![],
    };
    Ok(html(render(&page)))
}

#[derive(Deserialize)]
struct CodesForm {
    csrf: String,
    building: String,
}

async fn codes_submit(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Form(f): Form<CodesForm>) -> PageResult {
    let v = acting(v, &p, Action::ManageAccounts, &f.csrf)?;
    let reg = state.store.registry(v.compound()).await.page(&p)?;
    let units: Vec<UnitNo> =
        reg.units.iter().filter(|u| u.building.as_str() == f.building.trim()).map(|u| u.no.clone()).collect();
    if units.is_empty() {
        return Err(AppError::BadInput(format!("building: no units in building '{}'", f.building))).page(&p);
    }
    let codes = state.store.issue_binding_codes(v.compound(), &units, &v.account.login).await.page(&p)?;
    let page = CodesPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), "/codes").await,
        buildings: vec![],
        codes: codes.into_iter().map(|(u, c)| (u.to_string(), c)).collect(),
    };
    Ok(html(render(&page)))
}

async fn audit_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match need_viewer(v, &p, "/audit") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    v.require(Action::ReadAudit).page(&p)?;
    let t = p.t();
    let verdict = state.store.audit_verify(v.compound()).await.page(&p)?;
    let (intact, status) = match verdict {
        Ok(n) => (true, format!("{} ({n})", t.chain_ok())),
        Err(b) => (false, format!("{}{}", t.chain_broken(), crate::messages::localise(p.lang, &b.to_string()))),
    };
    let mut rows: Vec<_> = state
        .store
        .audit_entries(v.compound())
        .await
        .page(&p)?
        .into_iter()
        .map(|e| (e.seq, time::datetime(e.at), e.actor, e.action, format!("{} {}", e.subject, e.detail)))
        .collect();
    rows.reverse();
    rows.truncate(500);
    Ok(html(render(&AuditPage { t, c: chrome(&state, &p, Some(&v), "/audit").await, status, intact, rows })))
}

async fn attachment(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    let a = state.store.attachment(v.compound(), &id).await.page(&p)?;
    match (&a.matter_id, &a.project_id) {
        // a matter's documents are public to the compound, unless the matter is still a draft
        (Some(m), _) => {
            visible_matter(&state, &v, m).await.page(&p)?;
        }
        // a project's: to those who see the project in full
        (None, Some(project)) => {
            let pr = state.store.project(v.compound(), project).await.page(&p)?;
            if !crate::projects::access(&state, &v, &pr.scope).await.page(&p)?.full {
                return Err(AppError::Forbidden("only the building's owners see its project's documents".into()))
                    .page(&p);
            }
        }
        // a proxy's authorisation: only those who enter ballots
        (None, None) => v.require(Action::EnterBallots).page(&p)?,
    }
    let mut r = a.bytes.into_response();
    let h = r.headers_mut();
    let ct = HeaderValue::from_str(&a.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, ct);
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    Ok(r)
}
