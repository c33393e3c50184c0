//! Accounts and who lives where, for the residents' committee and the committee director: find an
//! account, create one for a person checked in person, bind it to a unit by hand (the other way
//! besides the printed one-time codes), name the co-owner who votes, give or take offices, and
//! hand over a temporary password.

use crate::auth::{MaybeViewer, Prefs, Viewer};
use crate::error::{AppError, PageError};
use crate::i18n::{Lang, Tr};
use crate::messages::localise;
use crate::pages::{Localise, acting, chrome, need_viewer};
use crate::views::{Chrome, Message, render};
use crate::{AppState, password};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Router, routing::get, routing::post};
use gongzhi_core::UnitNo;
use gongzhi_core::roles::{Action, Role};
use gongzhi_store::accounts::{Account, Link, NewAccount};
use serde::Deserialize;

type PageResult = Result<Response, PageError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list).post(create))
        .route("/accounts/{id}", get(show))
        .route("/accounts/{id}/units", post(link))
        .route("/accounts/{id}/unlink", post(unlink))
        .route("/accounts/{id}/voter", post(voter))
        .route("/accounts/{id}/roles", post(roles))
        .route("/accounts/{id}/password", post(reset_password))
        .route("/password", get(password_page).post(change_password))
}

crate::i18n::messages! {
    accounts => "账户与房屋", "Accounts and units";
    accounts_hint => "查找账户，为当面核验过的业主或住户开户、绑定房屋，指定共有房屋的投票人，任免职务。业主也可以用打印的一次性绑定码自行绑定。",
        "Find an account; open one for an owner or resident checked in person and bind it to a unit; name who votes for a co-owned unit; give or take offices. Owners can also bind themselves with the printed one-time codes.";
    search => "查找", "Search";
    search_hint => "姓名、登录名、手机号或房号", "Name, login, phone or unit";
    no_accounts => "没有找到账户。", "No accounts found.";
    new_account => "开户（当面核验）", "Open an account (checked in person)";
    name_label => "姓名（与房产登记一致）", "Name (as in the property register)";
    phone_label => "手机号（可选）", "Phone (optional)";
    login_only => "登录名", "Login name";
    phone_short => "手机号", "Phone";
    relation => "关系", "Relation";
    relation_owner => "业主", "Owner";
    relation_resident => "住户", "Resident";
    unit_optional => "房号（可选，如 13-701）", "Unit (optional, e.g. 13-701)";
    unit_label => "房号（如 13-701）", "Unit (e.g. 13-701)";
    checked => "核验了什么", "What was checked";
    checked_hint => "写明证件种类（如：房产证、身份证），不要写证件号码。", "Name the kind of document (property certificate, identity card); do not write its number.";
    create_account => "开户", "Open the account";
    temp_password => "临时密码", "Temporary password";
    temp_password_hint => "请当面交给本人，登录后尽快修改。它只显示这一次。", "Hand it over in person; it is shown only this once.";
    bind_unit => "绑定房屋（当面核验）", "Bind a unit (checked in person)";
    bind_button => "绑定", "Bind";
    units_of => "房屋", "Units";
    votes => "投票人", "Votes";
    not_voter => "不投票", "Does not vote";
    make_voter => "指定为投票人", "Make the voter";
    unbind => "解除绑定", "Unbind";
    offices => "职务", "Offices";
    save_offices => "保存职务", "Save offices";
    own_roles => "不能修改自己的职务，请由另一位管理人员办理。", "You cannot change your own offices; another manager must.";
    reset_password => "重置密码", "Reset the password";
    reset_password_hint => "生成一个临时密码，并让此账户在所有设备上退出登录。", "Makes a temporary password and signs the account out everywhere.";
    done => "已保存。", "Saved.";
    co_owners => "同一房屋的账户", "Accounts of the same unit";
    change_password => "修改密码", "Change your password";
    must_change => "您正在使用工作人员给的临时密码，请先设一个自己的新密码。", "You signed in with a temporary password from staff: please set your own first.";
    current_password => "现在的密码", "Current password";
    new_password => "新密码（至少8位）", "New password (at least 8 characters)";
    repeat_password => "再输一次新密码", "The new password again";
    wrong_current => "现在的密码不对。", "The current password is wrong.";
    not_repeated => "两次输入的新密码不一样。", "The two new passwords differ.";
    same_password => "新密码不能和现在的密码一样。", "The new password must differ from the current one.";
    password_changed => "密码已修改。您在其他设备上的登录已退出。", "Password changed. You are signed out on other devices.";
}

pub fn role_label(t: Tr, r: Role) -> String {
    match t.0 {
        Lang::Zh => r.name_zh().to_string(),
        Lang::En => {
            let mut c = r.name_en().chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        }
    }
}

const OFFICES: [Role; 8] = [
    Role::BuildingLeader,
    Role::OwnerRepresentative,
    Role::CommitteeMember,
    Role::CommitteeDirector,
    Role::RcStaff,
    Role::PartySecretary,
    Role::PropertyManager,
    Role::Volunteer,
];

#[derive(Clone, Debug)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub login: String,
    pub phone: String,
    pub roles: String,
    pub units: Vec<UnitRow>,
}

#[derive(Clone, Debug)]
pub struct UnitRow {
    pub unit: String,
    pub relation: String,
    pub voter: bool,
    pub owner: bool,
}

fn row(t: Tr, a: &Account) -> AccountRow {
    AccountRow {
        id: a.id.clone(),
        name: a.name.clone(),
        login: a.login.clone(),
        phone: a.phone.clone().unwrap_or_default(),
        roles: a.roles.iter().map(|r| role_label(t, *r)).collect::<Vec<_>>().join("、"),
        units: a
            .units
            .iter()
            .map(|u| UnitRow {
                unit: u.unit.to_string(),
                relation: if u.relation == "owner" { t.relation_owner() } else { t.relation_resident() }.into(),
                voter: u.voter,
                owner: u.relation == "owner",
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub t: Tr,
    pub c: Chrome,
    pub q: String,
    pub accounts: Vec<AccountRow>,
    pub error: String,
}

#[derive(Clone, Debug)]
pub struct OfficeBox {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub t: Tr,
    pub c: Chrome,
    pub a: AccountRow,
    pub offices: Vec<OfficeBox>,
    pub own: bool,
    /// other accounts bound to this account's units: (unit, name, login, votes)
    pub neighbours: Vec<(String, String, String, bool)>,
    pub error: String,
    pub saved: bool,
}

fn html(s: String) -> Response {
    Html(s).into_response()
}

/// The signed-in manager for a page (GET): redirects to log in, refuses other roles.
fn manager(v: MaybeViewer, p: &Prefs, path: &str) -> Result<Result<Viewer, Redirect>, PageError> {
    match need_viewer(v, p, path) {
        Ok(v) => {
            v.require(Action::ManageAccounts).page(p)?;
            Ok(Ok(v))
        }
        Err(r) => Ok(Err(r)),
    }
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn list(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Query(q): Query<SearchQuery>) -> PageResult {
    let v = match manager(v, &p, "/accounts")? {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    accounts_page(&state, &p, &v, &q.q, String::new(), axum::http::StatusCode::OK).await
}

async fn accounts_page(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    q: &str,
    error: String,
    status: axum::http::StatusCode,
) -> PageResult {
    let t = p.t();
    let found = state.store.search_accounts(v.compound(), q, 50).await.page(p)?;
    let page = AccountsPage {
        t,
        c: chrome(state, p, Some(v), "/accounts").await,
        q: q.to_string(),
        accounts: found.iter().map(|a| row(t, a)).collect(),
        error,
    };
    Ok((status, html(render(&page))).into_response())
}

#[derive(Deserialize)]
struct CreateForm {
    csrf: String,
    name: String,
    login: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    checked: String,
}

/// A temporary password of 10 characters that are easy to read aloud and type.
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let hex = gongzhi_store::accounts::random_token();
    (0..10)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
        .map(|b| ALPHABET[(b as usize) % ALPHABET.len()] as char)
        .collect()
}

async fn hashed(pw: &str) -> Result<String, AppError> {
    let pw = pw.to_string();
    password::run_limited(move || password::hash(&pw))
        .await
        .ok_or_else(|| AppError::Internal("password hashing did not finish".into()))
}

fn parse_link(unit: &str, relation: &str, checked: &str) -> Result<Link, AppError> {
    let unit = UnitNo::parse(unit)
        .ok_or_else(|| AppError::BadInput(format!("unit: '{}' is not a unit number like 13-701", unit.trim())))?;
    Ok(Link { unit, relation: relation.trim().to_string(), checked: checked.to_string() })
}

async fn create(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Form(f): Form<CreateForm>) -> PageResult {
    let v = acting(v, &p, Action::ManageAccounts, &f.csrf)?;
    let t = p.t();
    let link =
        if f.unit.trim().is_empty() { None } else { Some(parse_link(&f.unit, &f.relation, &f.checked).page(&p)?) };
    let temp = temporary_password();
    let new = NewAccount {
        login: f.login.clone(),
        phone: Some(f.phone.clone()),
        name: f.name.clone(),
        password_hash: hashed(&temp).await.page(&p)?,
        roles: vec![],
        units: vec![],
    };
    match state.store.create_verified_account(v.compound(), &new, link.as_ref(), &v.account.login).await {
        Ok(a) => {
            let page = Message {
                t,
                c: chrome(&state, &p, Some(&v), "/accounts").await,
                heading: format!("{} · {}", a.name, a.login),
                text: format!("{}：{}　{}", t.temp_password(), temp, t.temp_password_hint()),
                back: format!("/accounts/{}", a.id),
            };
            Ok(html(render(&page)))
        }
        Err(e) if e.is_bad_input() || matches!(e, gongzhi_store::StoreError::Conflict(_)) => {
            accounts_page(
                &state,
                &p,
                &v,
                "",
                localise(p.lang, &e.to_string()),
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e).page(&p),
    }
}

#[derive(Deserialize)]
struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let v = match manager(v, &p, &format!("/accounts/{id}"))? {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    account_page(&state, &p, &v, &id, String::new(), q.saved.is_some(), axum::http::StatusCode::OK).await
}

async fn account_page(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    error: String,
    saved: bool,
    status: axum::http::StatusCode,
) -> PageResult {
    let t = p.t();
    // another compound's account is not found, as if it did not exist
    let a = state.store.account(v.compound(), id).await.page(p)?;
    let mut neighbours = Vec::new();
    for u in &a.units {
        for other in state.store.unit_accounts(v.compound(), &u.unit).await.page(p)? {
            if other.id != a.id {
                let votes = other.units.iter().any(|x| x.unit == u.unit && x.voter);
                neighbours.push((u.unit.to_string(), other.name, other.login, votes));
            }
        }
    }
    let page = AccountPage {
        t,
        c: chrome(state, p, Some(v), &format!("/accounts/{id}")).await,
        offices: OFFICES
            .iter()
            .map(|r| OfficeBox { value: r.as_str(), label: role_label(t, *r), checked: a.has(*r) })
            .collect(),
        own: a.id == v.account.id,
        a: row(t, &a),
        neighbours,
        error,
        saved,
    };
    Ok((status, html(render(&page))).into_response())
}

/// After a change: back to the account, or the account again with the refusal.
async fn outcome(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    r: Result<(), gongzhi_store::StoreError>,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/accounts/{id}?saved=1")).into_response()),
        Err(e) if e.is_bad_input() || matches!(e, gongzhi_store::StoreError::Conflict(_)) => {
            account_page(
                state,
                p,
                v,
                id,
                localise(p.lang, &e.to_string()),
                false,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e).page(p),
    }
}

#[derive(Deserialize)]
struct LinkForm {
    csrf: String,
    unit: String,
    relation: String,
    #[serde(default)]
    checked: String,
}

async fn link(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> PageResult {
    let v = acting(v, &p, Action::ManageAccounts, &f.csrf)?;
    let r = match parse_link(&f.unit, &f.relation, &f.checked) {
        Ok(l) => state.store.link_unit_by_hand(v.compound(), &id, &l, &v.account.login).await,
        Err(e) => Err(gongzhi_store::StoreError::BadInput(e.to_string())),
    };
    outcome(&state, &p, &v, &id, r).await
}

#[derive(Deserialize)]
struct UnitForm {
    csrf: String,
    unit: String,
}

fn unit_of(f: &UnitForm) -> Result<UnitNo, gongzhi_store::StoreError> {
    UnitNo::parse(&f.unit).ok_or_else(|| {
        gongzhi_store::StoreError::BadInput(format!("unit: '{}' is not a unit number like 13-701", f.unit.trim()))
    })
}

/// What a button on one of the account's units does.
enum UnitChange {
    Unbind,
    NameVoter,
}

async fn change_unit(
    state: &AppState,
    p: &Prefs,
    v: MaybeViewer,
    id: &str,
    f: &UnitForm,
    what: UnitChange,
) -> PageResult {
    let v = acting(v, p, Action::ManageAccounts, &f.csrf)?;
    let r = match (unit_of(f), what) {
        (Ok(u), UnitChange::Unbind) => state.store.unlink_unit(v.compound(), id, &u, &v.account.login).await,
        (Ok(u), UnitChange::NameVoter) => state.store.name_voter(v.compound(), &u, id, &v.account.login).await,
        (Err(e), _) => Err(e),
    };
    outcome(state, p, &v, id, r).await
}

async fn unlink(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<UnitForm>,
) -> PageResult {
    change_unit(&state, &p, v, &id, &f, UnitChange::Unbind).await
}

async fn voter(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<UnitForm>,
) -> PageResult {
    change_unit(&state, &p, v, &id, &f, UnitChange::NameVoter).await
}

async fn roles(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let csrf = f.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    let v = acting(v, &p, Action::ManageAccounts, csrf)?;
    let mut offices = Vec::new();
    for (_, value) in f.iter().filter(|(k, _)| k == "office") {
        match Role::parse(value) {
            Some(r) => offices.push(r),
            None => {
                let e = gongzhi_store::StoreError::BadInput(format!("office: '{value}' is not a role"));
                return outcome(&state, &p, &v, &id, Err(e)).await;
            }
        }
    }
    // the account must be this compound's before anything is said about it
    state.store.account(v.compound(), &id).await.page(&p)?;
    let r = state.store.set_offices(v.compound(), &id, &offices, v.actor()).await;
    outcome(&state, &p, &v, &id, r).await
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn reset_password(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    let v = acting(v, &p, Action::ManageAccounts, &f.csrf)?;
    let t = p.t();
    let a = state.store.account(v.compound(), &id).await.page(&p)?;
    let temp = temporary_password();
    let hash = hashed(&temp).await.page(&p)?;
    state.store.reset_password(v.compound(), &id, &hash, &v.account.login).await.page(&p)?;
    let page = Message {
        t,
        c: chrome(&state, &p, Some(&v), &format!("/accounts/{id}")).await,
        heading: format!("{} · {}", a.name, a.login),
        text: format!("{}：{}　{}", t.temp_password(), temp, t.temp_password_hint()),
        back: format!("/accounts/{id}"),
    };
    Ok(html(render(&page)))
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub t: Tr,
    pub c: Chrome,
    pub must_change: bool,
    pub error: String,
}

async fn password_form(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    error: String,
    status: axum::http::StatusCode,
) -> PageResult {
    let must_change = state.store.must_change_password(v.compound(), &v.account.id).await.page(p)?;
    let page = PasswordPage { t: p.t(), c: chrome(state, p, Some(v), "/password").await, must_change, error };
    Ok((status, html(render(&page))).into_response())
}

async fn password_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match need_viewer(v, &p, "/password") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    password_form(&state, &p, &v, String::new(), axum::http::StatusCode::OK).await
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

async fn change_password(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).page(&p)?;
    v.check_csrf(Some(&f.csrf)).page(&p)?;
    let t = p.t();
    let problem = if f.new.chars().count() < 8 {
        Some(t.password_short())
    } else if f.new != f.repeat {
        Some(t.not_repeated())
    } else if f.new == f.current {
        Some(t.same_password())
    } else {
        None
    };
    if let Some(msg) = problem {
        return password_form(&state, &p, &v, msg.into(), axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let stored = state.store.account_for_login(&v.account.login).await.page(&p)?.map(|(_, h)| h).unwrap_or_default();
    let current = f.current.clone();
    let ok = password::run_limited(move || password::verify(&current, &stored)).await.unwrap_or(false);
    if !ok {
        return password_form(&state, &p, &v, t.wrong_current().into(), axum::http::StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let hash = hashed(&f.new).await.page(&p)?;
    state.store.change_password(v.compound(), &v.account.id, &hash, &v.token).await.page(&p)?;
    let page = Message {
        t,
        c: chrome(&state, &p, Some(&v), "/password").await,
        heading: t.change_password().into(),
        text: t.password_changed().into(),
        back: "/".into(),
    };
    Ok(html(render(&page)))
}
