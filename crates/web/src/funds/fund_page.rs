//! The maintenance fund's page: balances per building and household, the replenishment list,
//! works contracts with their draws and the next draw's limit, the half-yearly statements and the
//! audits; the forms for draws, contracts, cost reviews and audits.

use super::due_key;
use super::pages::{Notice, due_label, yuan};
use super::{books, own_buildings};
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::{on_the_page, status_of};
use crate::kit::forms::{Fields, Path};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::funds::ReplenishRule;
use gongzhi_core::funds::deadlines::{Half, fund_statement};
use gongzhi_core::funds::fund::{fund_balances, to_replenish};
use gongzhi_core::funds::policy::FundsAction;
use gongzhi_core::kit::period::day_of;

// ---------------------------------------------------------------------------------------------
// The maintenance fund.

#[derive(Template)]
#[template(path = "funds/fund.html")]
pub struct FundPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub total: String,
    pub pool: String,
    /// (building, balance, own)
    pub buildings: Vec<(String, String, bool)>,
    /// (unit, balance, first contribution, to replenish)
    pub households: Vec<[String; 4]>,
    /// (unit, first, balance, demand)
    pub replenish: Vec<[String; 4]>,
    /// (project, matter, contract, reviewed, paid, draws, next limit, rule, project's title,
    /// matter's title)
    pub draws: Vec<[String; 10]>,
    /// (period, publish by, posted on, key)
    pub halves: Vec<[String; 4]>,
    /// (year, firm, appointment posted, results posted)
    pub audits: Vec<[String; 4]>,
    pub may_keep: bool,
    pub may_post: bool,
    pub may_books: bool,
    /// The director records contracts and reviews: (id, title) of projects and of passed matters.
    pub may_record: bool,
    pub projects: Vec<(String, String)>,
    pub matters: Vec<(String, String)>,
    pub today: String,
    pub saved: bool,
    pub error: String,
}

pub(super) async fn fund_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    saved: bool,
    error: String,
    status: StatusCode,
) -> Answer {
    v.require(FundsAction::ReadStatements, Subject::Compound)?;
    let t = p.t();
    let c = v.compound();
    let b = books(state, v).await?;
    let today = day_of(crate::now_ms());
    let all = v.may(FundsAction::ReadBooks, Subject::Compound);
    let bal = fund_balances(&b.ledger, today);
    let own: Vec<String> = own_buildings(v).iter().map(|b| b.to_string()).collect();
    let rule = ReplenishRule::default();
    let flagged = to_replenish(&b.ledger, today, &rule);
    let firsts = gongzhi_core::funds::fund::first_contributions(&b.ledger);
    let mine: Vec<String> = v.member().units.iter().map(|u| u.unit.to_string()).collect();
    let households = bal
        .households
        .iter()
        .filter(|(u, _)| mine.contains(&u.to_string()) && own.contains(&u.building().to_string()))
        .map(|(u, m)| {
            let demand = flagged.iter().find(|r| &r.household == u).map(|r| yuan(r.demand)).unwrap_or_default();
            [u.to_string(), yuan(*m), firsts.get(u).map(|f| yuan(*f)).unwrap_or_default(), demand]
        })
        .collect();
    let contracts = state.store.works_contracts(c).await?;
    let titles: std::collections::BTreeMap<String, String> =
        state.store.projects(c).await?.into_iter().map(|x| (x.id, x.title)).collect();
    let matter_titles: std::collections::BTreeMap<String, String> =
        state.store.matters(c).await?.into_iter().map(|m| (m.id, m.title)).collect();
    let draws = b
        .draws(&contracts)
        .into_iter()
        .map(|(w, paid, n, limit, rule)| {
            let title = titles.get(&w.project).cloned().unwrap_or_else(|| w.project.clone());
            let matter = matter_titles.get(&w.matter).cloned().unwrap_or_else(|| w.matter.clone());
            [
                w.project,
                w.matter,
                yuan(w.contract),
                w.reviewed.map(yuan).unwrap_or_default(),
                yuan(paid),
                n.to_string(),
                yuan(limit),
                rule.into(),
                title,
                matter,
            ]
        })
        .collect();
    let mut halves = Vec::new();
    for y in [today.year() - 1, today.year()] {
        for h in [Half::First, Half::Second] {
            let f = fund_statement(y, h);
            if f.publish_from > today {
                continue;
            }
            let period = format!("{y}H{}", if h == Half::First { 1 } else { 2 });
            let posted = b.records.iter().find(|r| r.period == period).and_then(|r| r.posted_on);
            let d = gongzhi_core::funds::deadlines::due(f.publish_by, today, posted, super::REMIND_DAYS);
            halves.push([
                period,
                f.publish_by.to_string(),
                posted.map(|d| d.to_string()).unwrap_or_else(|| due_label(t, &d)),
                due_key(&d).into(),
            ]);
        }
    }
    let audits = state
        .store
        .funds_audits(c)
        .await?
        .into_iter()
        .map(|a| {
            [
                a.year.to_string(),
                a.firm,
                a.appointment_posted_on.to_string(),
                a.results_posted_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let may_record = v.may(FundsAction::RecordAuthorities, Subject::Compound);
    let (mut projects, mut matters) = (Vec::new(), Vec::new());
    if may_record {
        projects = state.store.projects(c).await?.into_iter().map(|x| (x.id, x.title)).collect();
        for m in state.store.matters(c).await? {
            if state.store.funds_matter_status(c, &m.id).await? == gongzhi_core::funds::MatterStatus::Passed {
                matters.push((m.id, m.title));
            }
        }
    }
    let page = FundPage {
        may_record,
        projects,
        matters,
        c: chrome(state, p, Some(v), "/funds").await,
        total: yuan(bal.total),
        pool: yuan(bal.pool),
        buildings: bal
            .buildings
            .iter()
            .map(|(bn, m)| (bn.to_string(), yuan(*m), own.contains(&bn.to_string())))
            .collect(),
        households,
        replenish: if all {
            flagged.iter().map(|r| [r.household.to_string(), yuan(r.first), yuan(r.balance), yuan(r.demand)]).collect()
        } else {
            Vec::new()
        },
        draws,
        halves,
        audits,
        may_keep: v.may(FundsAction::KeepBooks, Subject::Compound),
        may_post: v.may(FundsAction::PostStatements, Subject::Compound),
        may_books: all,
        today: today.to_string(),
        saved,
        error,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

pub(super) async fn fund_page(State(state): State<AppState>, p: Prefs, v: Viewer, Query(n): Query<Notice>) -> Answer {
    fund_view(&state, &p, &v, n.saved.is_some(), String::new(), StatusCode::OK).await
}

pub(super) async fn draw_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = super::DrawBody {
        project: f.one("project").into(),
        amount: f.one("amount").into(),
        date: Some(f.one("date").into()),
        memo: f.one("memo").into(),
    };
    let r = super::draw(&state, &v, Some(f.one("csrf")), &b).await;
    match on_the_page(r)? {
        Ok(_) => Ok(see_other("/funds/fund?saved=1")),
        Err(x) => fund_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

pub(super) async fn contract_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = super::ContractBody {
        project: f.one("project").into(),
        matter: f.one("matter").into(),
        contract: f.one("contract").into(),
    };
    let r = super::contract(&state, &v, Some(f.one("csrf")), &b).await;
    match on_the_page(r)? {
        Ok(()) => Ok(see_other("/funds/fund?saved=1")),
        Err(x) => fund_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

pub(super) async fn review_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(project): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = super::review(&state, &v, Some(f.one("csrf")), &project, f.one("reviewed")).await;
    match on_the_page(r)? {
        Ok(()) => Ok(see_other("/funds/fund?saved=1")),
        Err(x) => fund_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

pub(super) async fn audit_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = super::AuditBody {
        firm: f.one("firm").into(),
        appointment_posted_on: f.one("appointment_posted_on").into(),
        results_received_on: Some(f.one("results_received_on").into()),
        results_posted_on: Some(f.one("results_posted_on").into()),
    };
    let r = super::put_audit(&state, &v, Some(f.one("csrf")), f.one("year"), &b).await;
    match on_the_page(r)? {
        Ok(()) => Ok(see_other("/funds/fund?saved=1")),
        Err(x) => fund_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}
