//! The funds' JSON API: amounts are decimal strings in yuan (exact to the fen), dates
//! `YYYY-MM-DD`, quarters `2026Q1`, half-years `2026H1`.

use super::{
    AuditBody, AuthorisationBody, ContractBody, DrawBody, EntryBody, QuarterView, books, due_key, own_buildings,
};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::{Json, Path, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::funds::fund::{first_contributions, fund_balances, to_replenish};
use gongzhi_core::funds::policy::FundsAction;
use gongzhi_core::funds::{Posted, ReplenishRule};
use gongzhi_core::kit::Money;
use gongzhi_core::kit::period::day_of;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_overview))
        .routes(routes!(get_quarter))
        .routes(routes!(get_transactions, post_transaction))
        .routes(routes!(post_reversal))
        .routes(routes!(post_import))
        .routes(routes!(put_rate))
        .routes(routes!(post_booking))
        .routes(routes!(post_posting))
        .routes(routes!(get_fund))
        .routes(routes!(post_draw))
        .routes(routes!(post_contract))
        .routes(routes!(put_review))
        .routes(routes!(get_mine))
        .routes(routes!(get_authorisations, post_authorisation))
        .routes(routes!(put_audit))
}

fn s(m: Money) -> String {
    m.to_string()
}

#[derive(Serialize, ToSchema)]
pub struct QuarterJson {
    quarter: String,
    income: String,
    costs: String,
    net: String,
    rate: String,
    top_up: String,
    statement_by: String,
    transfer_by: String,
    booked_on: Option<String>,
    posted_on: Option<String>,
    /// done, done-late, later, remind or overdue: the statement's state
    statement_state: String,
    /// The quarter's income by source: {"parking": "…"}
    #[schema(value_type = Object)]
    income_by_source: BTreeMap<String, String>,
    /// Its costs by kind: {"tax": "…"}
    #[schema(value_type = Object)]
    costs_by_kind: BTreeMap<String, String>,
    /// Income and costs booked to each building: {"13": {"income": "…", "costs": "…"}}
    #[schema(value_type = Object)]
    per_building: BTreeMap<String, BTreeMap<String, String>>,
}

fn quarter_json(q: &QuarterView) -> QuarterJson {
    let st = &q.statement;
    QuarterJson {
        quarter: st.quarter.to_string(),
        income: s(st.income),
        costs: s(st.costs),
        net: s(st.net),
        rate: st.rate.to_string(),
        top_up: s(st.top_up),
        statement_by: st.statement_by.to_string(),
        transfer_by: st.transfer_by.to_string(),
        booked_on: q.booked_on().map(|d| d.to_string()),
        posted_on: q.posted_on().map(|d| d.to_string()),
        statement_state: due_key(&q.statement_due).into(),
        income_by_source: st.income_by_source.iter().map(|(k, m)| (k.as_str().to_string(), s(*m))).collect(),
        costs_by_kind: st.costs_by_kind.iter().map(|(k, m)| (k.as_str().to_string(), s(*m))).collect(),
        per_building: st
            .per_building
            .iter()
            .map(|f| {
                (
                    f.building.to_string(),
                    BTreeMap::from([("income".to_string(), s(f.income)), ("costs".to_string(), s(f.costs))]),
                )
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct OverviewJson {
    /// The covenant's top-up rate, if recorded.
    rate: Option<String>,
    /// Every quarter with entries (the posted ones only, for a reader of statements), oldest first.
    quarters: Vec<QuarterJson>,
}

/// The quarters of public revenue: income, costs, net, top-up, deadlines and whether posted.
#[utoipa::path(get, path = "/api/v1/funds", tag = "funds",
    responses((status = 200, body = OverviewJson), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_overview(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<OverviewJson>, AppError> {
    v.require(FundsAction::ReadStatements, Subject::Compound)?;
    let b = books(&state, &v).await?;
    let all = v.may(FundsAction::ReadBooks, Subject::Compound);
    Ok(axum::Json(OverviewJson {
        rate: b.rate.map(|r| r.to_string()),
        quarters: b.quarters(all).iter().map(quarter_json).collect(),
    }))
}

/// One quarter's statement, compound and per building.
#[utoipa::path(get, path = "/api/v1/funds/quarters/{quarter}", tag = "funds",
    params(("quarter" = String, Path, description = "2026Q1")),
    responses((status = 200, body = QuarterJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn get_quarter(
    State(state): State<AppState>,
    v: Viewer,
    Path(q): Path<String>,
) -> Result<axum::Json<QuarterJson>, AppError> {
    let qv = super::statement_for(&state, &v, &q).await?;
    Ok(axum::Json(quarter_json(&qv)))
}

#[derive(Serialize, ToSchema)]
pub struct PostingJson {
    /// bank, cash, revenue, fund, fund:13, fund:13-701, contributions, income:…, cost:…, spending
    account: String,
    /// Debit positive, credit negative.
    amount: String,
}

#[derive(Serialize, ToSchema)]
pub struct TransactionJson {
    id: u64,
    date: String,
    memo: String,
    building: Option<String>,
    link: Option<String>,
    reverses: Option<u64>,
    reversed_by: Option<u64>,
    /// Works of 50,000 yuan or more: flagged for a price review.
    price_review: bool,
    postings: Vec<PostingJson>,
    entered_by: String,
}

/// Every transaction of the books, in order (the committee, the residents' committee).
#[utoipa::path(get, path = "/api/v1/funds/transactions", tag = "funds",
    responses((status = 200, body = Vec<TransactionJson>), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_transactions(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<Vec<TransactionJson>>, AppError> {
    v.require(FundsAction::ReadBooks, Subject::Compound)?;
    let b = books(&state, &v).await?;
    let who: BTreeMap<u64, String> =
        state.store.funds_entered(v.compound()).await?.into_iter().map(|e| (e.id, e.actor)).collect();
    Ok(axum::Json(
        b.ledger
            .transactions()
            .iter()
            .map(|t| TransactionJson {
                id: t.id,
                date: t.date.to_string(),
                memo: t.memo.clone(),
                building: t.building.as_ref().map(|b| b.to_string()),
                link: t.link.as_ref().map(|l| l.to_string()),
                reverses: t.reverses,
                reversed_by: b.ledger.reversed_by(t.id),
                price_review: t.price_review,
                postings: t
                    .postings
                    .iter()
                    .map(|p| PostingJson { account: p.account.to_string(), amount: s(p.amount) })
                    .collect(),
                entered_by: who.get(&t.id).cloned().unwrap_or_default(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PostedJson {
    id: u64,
    price_review: bool,
}

fn posted(p: Posted) -> PostedJson {
    PostedJson { id: p.id, price_review: p.price_review }
}

/// Enter a transaction: income, a cost, or spending against a passed vote or authorisation.
#[utoipa::path(post, path = "/api/v1/funds/transactions", tag = "funds", request_body = EntryBody,
    responses((status = 201, body = PostedJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_transaction(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<EntryBody>) -> Answer {
    let p = super::enter(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(posted(p))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ReversalBody {
    /// YYYY-MM-DD, on or after the entry's date; default today.
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    memo: String,
}

/// Reverse a transaction (entries are never edited).
#[utoipa::path(post, path = "/api/v1/funds/transactions/{id}/reversal", tag = "funds", request_body = ReversalBody,
    params(("id" = u32, Path, description = "the transaction's number")),
    responses((status = 201, body = PostedJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_reversal(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<u32>,
    Json(b): Json<ReversalBody>,
) -> Answer {
    let p = super::reverse(&state, &v, csrf(&h), u64::from(id), b.date.as_deref(), &b.memo).await?;
    Ok((StatusCode::CREATED, axum::Json(posted(p))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ImportBody {
    /// The committee's sheet as CSV, header first: date, account, amount, building, memo, link,
    /// counterpart (Chinese headers such as 日期、科目、金额 too).
    csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportJson {
    imported: usize,
    ids: Vec<u64>,
}

/// Import a sheet: every row or none; each refused row named.
#[utoipa::path(post, path = "/api/v1/funds/import", tag = "funds", request_body = ImportBody,
    responses((status = 201, body = ImportJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_import(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<ImportBody>) -> Answer {
    v.acting(FundsAction::KeepBooks, Subject::Compound, csrf(&h))?;
    let rows = super::pages::sheet_rows("sheet.csv", b.csv.as_bytes())?;
    let p = super::import(&state, &v, csrf(&h), &rows).await?;
    Ok((StatusCode::CREATED, axum::Json(ImportJson { imported: p.len(), ids: p.iter().map(|p| p.id).collect() }))
        .into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct RateBody {
    /// The covenant's top-up rate: above 0.5, at most 1 ("0.6" or "60%").
    rate: String,
}

/// Record the covenant's top-up rate.
#[utoipa::path(put, path = "/api/v1/funds/rate", tag = "funds", request_body = RateBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_rate(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<RateBody>) -> Answer {
    super::set_rate(&state, &v, csrf(&h), &b.rate).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema, Default)]
pub struct DateBody {
    /// YYYY-MM-DD; default today.
    #[serde(default)]
    date: Option<String>,
}

/// Book an ended quarter: the net to the public-revenue sub-account, the top-up to the fund.
#[utoipa::path(post, path = "/api/v1/funds/quarters/{quarter}/booking", tag = "funds", request_body = DateBody,
    params(("quarter" = String, Path, description = "2026Q1")),
    responses((status = 201, body = QuarterJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_booking(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(q): Path<String>,
    Json(b): Json<DateBody>,
) -> Answer {
    let st = super::book(&state, &v, csrf(&h), &q, b.date.as_deref()).await?;
    let books = books(&state, &v).await?;
    let qv = books.quarters(true).into_iter().find(|x| x.statement.quarter == st.quarter);
    let qv = qv.ok_or_else(|| AppError::Internal("a booked quarter is listed".into()))?;
    Ok((StatusCode::CREATED, axum::Json(quarter_json(&qv))).into_response())
}

/// Post a period's statement (a booked quarter, or a half-year's fund statement); owners are told.
#[utoipa::path(post, path = "/api/v1/funds/statements/{period}/posting", tag = "funds", request_body = DateBody,
    params(("period" = String, Path, description = "2026Q1 or 2026H1")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_posting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(period): Path<String>,
    Json(b): Json<DateBody>,
) -> Answer {
    super::post_statement(&state, &v, csrf(&h), &period, b.date.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct DrawsJson {
    project: String,
    matter: String,
    contract: String,
    reviewed: Option<String>,
    paid: String,
    draws: u64,
    /// The most the next draw may be.
    next_limit: String,
    /// first-draw-30, before-review-90 or reviewed-amount: the rule that sets it
    rule: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReplenishJson {
    household: String,
    first: String,
    balance: String,
    /// What brings it back to 50% of the first contribution.
    demand: String,
}

#[derive(Serialize, ToSchema)]
pub struct FundJson {
    total: String,
    /// Not yet allocated to a building (the quarterly top-ups).
    pool: String,
    /// Each building's balance: {"13": "…"}
    #[schema(value_type = Object)]
    buildings: BTreeMap<String, String>,
    contracts: Vec<DrawsJson>,
    /// Households below 30% of their first contribution (readers of the books only).
    replenish: Vec<ReplenishJson>,
}

/// The maintenance fund: balances, works contracts with their draws, replenishment.
#[utoipa::path(get, path = "/api/v1/funds/fund", tag = "funds",
    responses((status = 200, body = FundJson), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_fund(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<FundJson>, AppError> {
    v.require(FundsAction::ReadStatements, Subject::Compound)?;
    let b = books(&state, &v).await?;
    let today = day_of(crate::now_ms());
    let bal = fund_balances(&b.ledger, today);
    let contracts = state.store.works_contracts(v.compound()).await?;
    let all = v.may(FundsAction::ReadBooks, Subject::Compound);
    Ok(axum::Json(FundJson {
        total: s(bal.total),
        pool: s(bal.pool),
        buildings: bal.buildings.iter().map(|(b, m)| (b.to_string(), s(*m))).collect(),
        contracts: b
            .draws(&contracts)
            .into_iter()
            .map(|(w, paid, draws, limit, rule)| DrawsJson {
                project: w.project,
                matter: w.matter,
                contract: s(w.contract),
                reviewed: w.reviewed.map(s),
                paid: s(paid),
                draws,
                next_limit: s(limit),
                rule: rule.into(),
            })
            .collect(),
        replenish: if all {
            to_replenish(&b.ledger, today, &ReplenishRule::default())
                .into_iter()
                .map(|r| ReplenishJson {
                    household: r.household.to_string(),
                    first: s(r.first),
                    balance: s(r.balance),
                    demand: s(r.demand),
                })
                .collect()
        } else {
            Vec::new()
        },
    }))
}

/// Draw on the fund for a project's works: refused beyond 30% first, 90% before review, or the
/// reviewed amount, with the rule named.
#[utoipa::path(post, path = "/api/v1/funds/draws", tag = "funds", request_body = DrawBody,
    responses((status = 201, body = PostedJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_draw(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<DrawBody>) -> Answer {
    let p = super::draw(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(posted(p))).into_response())
}

/// Record a works contract the fund pays, with the matter that approved it.
#[utoipa::path(post, path = "/api/v1/funds/contracts", tag = "funds", request_body = ContractBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_contract(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<ContractBody>) -> Answer {
    super::contract(&state, &v, csrf(&h), &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewBody {
    /// The cost review's amount in yuan.
    reviewed: String,
}

/// Record a project's cost review.
#[utoipa::path(put, path = "/api/v1/funds/contracts/{project}/review", tag = "funds", request_body = ReviewBody,
    params(("project" = String, Path, description = "the project's id")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_review(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(project): Path<String>,
    Json(b): Json<ReviewBody>,
) -> Answer {
    super::review(&state, &v, csrf(&h), &project, &b.reviewed).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct MineJson {
    /// Each of the viewer's buildings: {"13": {"fund": "…", "quarters": {"2026Q1": {"income", "costs"}}}}
    #[schema(value_type = Object)]
    buildings: BTreeMap<String, serde_json::Value>,
    households: Vec<ReplenishJson>,
}

/// An owner's own figures: their building's posted quarters and fund, their household's balance.
#[utoipa::path(get, path = "/api/v1/funds/mine", tag = "funds",
    responses((status = 200, body = MineJson), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_mine(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<MineJson>, AppError> {
    let own = own_buildings(&v);
    if own.is_empty() {
        v.require(FundsAction::ReadOwnFigures, Subject::Compound)?;
    }
    let b = books(&state, &v).await?;
    let today = day_of(crate::now_ms());
    let bal = fund_balances(&b.ledger, today);
    let qs = b.quarters(false);
    let mut buildings = BTreeMap::new();
    for bn in &own {
        let quarters: serde_json::Map<String, serde_json::Value> = qs
            .iter()
            .map(|q| {
                let f = q.statement.per_building.iter().find(|f| &f.building == bn);
                (
                    q.statement.quarter.to_string(),
                    serde_json::json!({
                        "income": s(f.map(|f| f.income).unwrap_or(Money::ZERO)),
                        "costs": s(f.map(|f| f.costs).unwrap_or(Money::ZERO)),
                    }),
                )
            })
            .collect();
        let fund = bal.buildings.iter().find(|(x, _)| x == bn).map(|(_, m)| *m).unwrap_or(Money::ZERO);
        buildings.insert(bn.to_string(), serde_json::json!({"fund": s(fund), "quarters": quarters}));
    }
    let firsts = first_contributions(&b.ledger);
    let rule = ReplenishRule::default();
    let households = v
        .member()
        .units
        .iter()
        .filter(|u| own.iter().any(|b| b.as_str() == u.unit.building()))
        .map(|u| {
            let balance = bal.households.iter().find(|(x, _)| x == &u.unit).map(|(_, m)| *m).unwrap_or(Money::ZERO);
            let first = firsts.get(&u.unit).copied().unwrap_or(Money::ZERO);
            let demand = gongzhi_core::funds::fund::replenishment(&u.unit, first, balance, &rule)
                .map(|r| r.demand)
                .unwrap_or(Money::ZERO);
            ReplenishJson { household: u.unit.to_string(), first: s(first), balance: s(balance), demand: s(demand) }
        })
        .collect();
    Ok(axum::Json(MineJson { buildings, households }))
}

#[derive(Serialize, ToSchema)]
pub struct AuthorisationJson {
    id: String,
    /// public-revenue or maintenance-fund
    pays: String,
    cases: String,
    per_item: String,
    total: Option<String>,
    from: String,
    until: String,
    /// What items under it have spent so far (reversals give back).
    used: String,
}

/// The covenant's standing authorisations, with what each has spent.
#[utoipa::path(get, path = "/api/v1/funds/authorisations", tag = "funds",
    responses((status = 200, body = Vec<AuthorisationJson>), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_authorisations(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<Vec<AuthorisationJson>>, AppError> {
    v.require(FundsAction::ReadBooks, Subject::Compound)?;
    let b = books(&state, &v).await?;
    let list = state.store.funds_authorisations(v.compound()).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|a| AuthorisationJson {
                used: s(b.ledger.authorisation_used(&a.id)),
                pays: match a.pays {
                    gongzhi_core::funds::Pays::PublicRevenue => "public-revenue".into(),
                    gongzhi_core::funds::Pays::MaintenanceFund => "maintenance-fund".into(),
                },
                id: a.id,
                cases: a.cases,
                per_item: s(a.per_item),
                total: a.total.map(s),
                from: a.from.to_string(),
                until: a.until.to_string(),
            })
            .collect(),
    ))
}

/// Record a standing authorisation of the covenant (the director).
#[utoipa::path(post, path = "/api/v1/funds/authorisations", tag = "funds", request_body = AuthorisationBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_authorisation(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<AuthorisationBody>,
) -> Answer {
    super::authorise(&state, &v, csrf(&h), &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Record a year's audit: the firm and its appointment's posting, then the results'.
#[utoipa::path(put, path = "/api/v1/funds/audits/{year}", tag = "funds", request_body = AuditBody,
    params(("year" = String, Path, description = "the audit year, 2000–2100")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_audit(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(year): Path<String>,
    Json(b): Json<AuditBody>,
) -> Answer {
    super::put_audit(&state, &v, csrf(&h), &year, &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
