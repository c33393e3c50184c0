//! Accounts and who lives where, for the residents' committee and the committee director: find an
//! account, create one for a person checked in person, bind it to a unit by hand (the other way
//! besides the printed one-time codes), name the co-owner who votes, give or take offices, and
//! hand over a temporary password.

use super::signin::check_current_password;
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::forms::Path;
use crate::kit::forms::{Fields, Form};
use crate::kit::i18n::{Lang, Tr};
use crate::kit::password;
use crate::kit::views::{Chrome, Message};
use crate::kit::{Answer, AppError, Prefs, html, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::policy::{AccountsAction, Subject, may_grant};
use gongzhi_core::accounts::{AccountsRefusal, Relation, Role};
use gongzhi_core::registry::RegistryRefusal;
use gongzhi_store::StoreError;
use gongzhi_store::accounts::{Account, Link, NewAccount};
use serde::Deserialize;

crate::kit::i18n::messages! {
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
    not_grantable => "（业委会职务由选举产生；只能授予不高于自己的职务）", "(committee offices come from the election; nobody gives an office above their own)";
    locked_for => "登录已锁定", "Sign-in locked";
    minutes => "分钟", "minutes";
    unlock => "解除登录锁定", "Unlock sign-in";
    to_check => "待核验的绑定（注册姓名与名册不符，暂按住户绑定）", "Bindings to check (the name differs from the register; bound as a resident for now)";
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
        roles: a.roles().iter().map(|r| role_label(t, *r)).collect::<Vec<_>>().join("、"),
        units: a
            .units()
            .iter()
            .map(|u| UnitRow {
                unit: u.unit.to_string(),
                relation: match u.relation {
                    Relation::Owner => t.relation_owner(),
                    Relation::Resident => t.relation_resident(),
                }
                .into(),
                voter: u.voter,
                owner: u.relation == Relation::Owner,
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "accounts/accounts.html")]
pub struct AccountsPage {
    pub t: Tr,
    pub c: Chrome,
    pub q: String,
    pub accounts: Vec<AccountRow>,
    pub error: String,
    /// (login, name, unit) bound by a code under a name the register does not give
    pub to_check: Vec<(String, String, String)>,
}

#[derive(Clone, Debug)]
pub struct OfficeBox {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
    /// The viewer may give or take it.
    pub grantable: bool,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
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
    /// Minutes left of a sign-in lock, if locked.
    pub locked: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub(super) async fn list(State(state): State<AppState>, p: Prefs, v: Viewer, Query(q): Query<SearchQuery>) -> Answer {
    v.require(AccountsAction::ManageAccounts, Subject::Compound)?;
    accounts_page(&state, &p, &v, &q.q, String::new(), axum::http::StatusCode::OK).await
}

pub(super) async fn accounts_page(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    q: &str,
    error: String,
    status: axum::http::StatusCode,
) -> Answer {
    let t = p.t();
    let found = state.store.search_accounts(v.compound(), q, 50).await?;
    let to_check = state.store.bindings_to_check(v.compound()).await?;
    let page = AccountsPage {
        t,
        c: chrome(state, p, Some(v), "/accounts").await,
        q: q.to_string(),
        accounts: found.iter().map(|a| row(t, a)).collect(),
        error,
        to_check,
    };
    Ok((status, html(render(&page))).into_response())
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
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

pub(super) async fn hashed(pw: &str) -> Result<String, AppError> {
    let pw = pw.to_string();
    password::run_limited(move || password::hash(&pw))
        .await
        .ok_or_else(|| AppError::Internal("password hashing did not finish".into()))
}

fn parse_unit(unit: &str) -> Result<UnitNo, StoreError> {
    UnitNo::parse(unit)
        .ok_or_else(|| RegistryRefusal::BadUnit { field: "unit".into(), value: unit.trim().into() }.refused().into())
}

fn parse_link(unit: &str, relation: &str, checked: &str) -> Result<Link, StoreError> {
    let unit = parse_unit(unit)?;
    let relation = Relation::parse(relation)
        .ok_or_else(|| AccountsRefusal::BadRelation { value: relation.trim().into() }.refused())?;
    Ok(Link { unit, relation, checked: checked.to_string() })
}

pub(super) async fn create(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<CreateForm>) -> Answer {
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, Some(&f.csrf))?;
    let t = p.t();
    let link = if f.unit.trim().is_empty() { None } else { Some(parse_link(&f.unit, &f.relation, &f.checked)?) };
    let temp = temporary_password();
    let new = NewAccount {
        login: f.login.clone(),
        phone: Some(f.phone.clone()),
        name: f.name.clone(),
        password_hash: hashed(&temp).await?,
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
        Err(StoreError::Refused(r)) => {
            let status = crate::kit::error::status_of(r.kind());
            accounts_page(&state, &p, &v, "", r.say(p.lang), status).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Answer {
    v.require(AccountsAction::ManageAccounts, Subject::Compound)?;
    account_page(&state, &p, &v, &id, String::new(), q.saved.is_some(), axum::http::StatusCode::OK).await
}

pub(super) async fn account_page(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    error: String,
    saved: bool,
    status: axum::http::StatusCode,
) -> Answer {
    let t = p.t();
    // another compound's account is not found, as if it did not exist
    let a = state.store.account(v.compound(), id).await?;
    let mut neighbours = Vec::new();
    for u in a.units() {
        for other in state.store.unit_accounts(v.compound(), &u.unit).await? {
            if other.id != a.id {
                let votes = other.units().iter().any(|x| x.unit == u.unit && x.voter);
                neighbours.push((u.unit.to_string(), other.name, other.login, votes));
            }
        }
    }
    let locked = state.store.locked_for(&a.id).await?;
    let page = AccountPage {
        t,
        c: chrome(state, p, Some(v), &format!("/accounts/{id}")).await,
        offices: OFFICES
            .iter()
            .map(|r| OfficeBox {
                value: r.as_str(),
                label: role_label(t, *r),
                checked: a.has(*r),
                grantable: may_grant(v.account.roles(), *r),
            })
            .collect(),
        locked,
        own: a.id == v.account.id,
        a: row(t, &a),
        neighbours,
        error,
        saved,
    };
    Ok((status, html(render(&page))).into_response())
}

/// After a change: back to the account, or the account again with the refusal.
pub(super) async fn outcome(state: &AppState, p: &Prefs, v: &Viewer, id: &str, r: Result<(), StoreError>) -> Answer {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/accounts/{id}?saved=1")).into_response()),
        // a refusal about another compound's account is not found: it is not shown
        Err(StoreError::Refused(r)) if r.kind() != gongzhi_core::kit::Kind::NotFound => {
            let status = crate::kit::error::status_of(r.kind());
            account_page(state, p, v, id, r.say(p.lang), false, status).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct LinkForm {
    csrf: String,
    unit: String,
    relation: String,
    #[serde(default)]
    checked: String,
}

pub(super) async fn link(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> Answer {
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, Some(&f.csrf))?;
    let r = match parse_link(&f.unit, &f.relation, &f.checked) {
        Ok(l) => state.store.link_unit_by_hand(v.compound(), &id, &l, &v.account.login).await,
        Err(e) => Err(e),
    };
    outcome(&state, &p, &v, &id, r).await
}

#[derive(Deserialize)]
pub(super) struct UnitForm {
    csrf: String,
    unit: String,
}

fn unit_of(f: &UnitForm) -> Result<UnitNo, StoreError> {
    parse_unit(&f.unit)
}

/// What a button on one of the account's units does.
enum UnitChange {
    Unbind,
    NameVoter,
}

async fn change_unit(state: &AppState, p: &Prefs, v: Viewer, id: &str, f: &UnitForm, what: UnitChange) -> Answer {
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, Some(&f.csrf))?;
    let r = match (unit_of(f), what) {
        (Ok(u), UnitChange::Unbind) => state.store.unlink_unit(v.compound(), id, &u, &v.account.login).await,
        (Ok(u), UnitChange::NameVoter) => state.store.name_voter(v.compound(), &u, id, &v.account.login).await,
        (Err(e), _) => Err(e),
    };
    outcome(state, p, &v, id, r).await
}

pub(super) async fn unlink(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<UnitForm>,
) -> Answer {
    change_unit(&state, &p, v, &id, &f, UnitChange::Unbind).await
}

pub(super) async fn voter(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<UnitForm>,
) -> Answer {
    change_unit(&state, &p, v, &id, &f, UnitChange::NameVoter).await
}

pub(super) async fn roles(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, f.get("csrf"))?;
    let mut offices = Vec::new();
    for value in f.all("office") {
        match Role::parse(value) {
            Some(r) => offices.push(r),
            None => {
                let e = AccountsRefusal::UnknownOffice { value: value.clone() }.refused().into();
                return outcome(&state, &p, &v, &id, Err(e)).await;
            }
        }
    }
    // the account must be this compound's before anything is said about it
    state.store.account(v.compound(), &id).await?;
    let r = state.store.set_offices(v.compound(), &id, &offices, v.account.roles(), v.actor()).await;
    outcome(&state, &p, &v, &id, r).await
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

/// Staff unlock a member's sign-in after too many failed attempts.
pub(super) async fn unlock(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, Some(&f.csrf))?;
    let r = state.store.unlock(v.compound(), &id, &v.account.login).await;
    outcome(&state, &p, &v, &id, r).await
}

pub(super) async fn reset_password(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, Some(&f.csrf))?;
    let t = p.t();
    let a = state.store.account(v.compound(), &id).await?;
    let temp = temporary_password();
    let hash = hashed(&temp).await?;
    state.store.reset_password(v.compound(), &id, &hash, &v.account.login).await?;
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
#[template(path = "accounts/password.html")]
pub struct PasswordPage {
    pub t: Tr,
    pub c: Chrome,
    pub must_change: bool,
    pub error: String,
}

pub(super) async fn password_form(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    error: String,
    status: axum::http::StatusCode,
) -> Answer {
    let must_change = v.must_change_password;
    let page = PasswordPage { t: p.t(), c: chrome(state, p, Some(v), "/password").await, must_change, error };
    Ok((status, html(render(&page))).into_response())
}

pub(super) async fn password_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    password_form(&state, &p, &v, String::new(), axum::http::StatusCode::OK).await
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Form(f): Form<PasswordForm>,
) -> Answer {
    v.check_csrf(Some(&f.csrf))?;
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
    match check_current_password(&state, &v.account.id, &f.current).await {
        Ok(()) => {}
        Err(AppError::Refused(r)) => {
            let status = crate::kit::error::status_of(r.kind());
            return password_form(&state, &p, &v, r.say(p.lang), status).await;
        }
        Err(e) => return Err(e),
    }
    let hash = hashed(&f.new).await?;
    state.store.change_password(v.compound(), &v.account.id, &hash, &v.token).await?;
    let page = Message {
        t,
        c: chrome(&state, &p, Some(&v), "/password").await,
        heading: t.change_password().into(),
        text: t.password_changed().into(),
        back: "/".into(),
    };
    Ok(html(render(&page)))
}
