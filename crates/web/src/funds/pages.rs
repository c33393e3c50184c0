//! The funds pages: the overview with the quarters, deadlines and charts; a quarter's statement
//! as posted (compound and every building); the books (entries, import, reversals, export); the
//! maintenance fund (balances, draws, replenishment, half-yearly statements, audits).

use super::{Books, QuarterView, books, due_key, own_buildings};
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::{on_the_page, status_of};
use crate::kit::forms::Path;
use crate::kit::forms::{Fields, read_multipart};
use crate::kit::i18n::{Lang, Tr};
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::funds::deadlines::Due;
use gongzhi_core::funds::fund::fund_balances;
use gongzhi_core::funds::import::journal_rows;
use gongzhi_core::funds::policy::FundsAction;
use gongzhi_core::funds::{Account, Quarter};
use gongzhi_core::kit::Money;
use gongzhi_core::kit::chart::{PALETTE, Series, line_chart};
use gongzhi_core::kit::period::day_of;
use serde::Deserialize;

crate::kit::i18n::messages! {
    funds => "公共收益与维修资金", "Common income and the fund";
    funds_hint => "小区公共收益属于全体业主，单独列账，每季度按规约比例（须高于50%）续筹维修资金，并在每季度首月15日前公布。", "Income from common property belongs to the owners, is booked apart, tops up the maintenance fund every quarter at the covenant's rate (above 50%) and is posted by the 15th of the quarter's first month.";
    f_rate => "续筹比例", "Top-up rate";
    f_rate_none => "尚未登记", "not recorded";
    f_set_rate => "登记续筹比例", "Record the rate";
    f_quarters => "各季度公共收益", "Public revenue by quarter";
    f_quarter => "季度", "Quarter";
    f_income => "收入", "Income";
    f_costs => "管理成本", "Costs";
    f_net => "净收益", "Net";
    f_top_up => "续筹维修资金", "Top-up";
    f_statement_by => "公布期限", "Post by";
    f_transfer_by => "划转期限", "Transfer by";
    f_state => "状态", "State";
    f_posted => "已公布", "Posted";
    f_booked => "已入账", "Booked";
    f_not_posted => "未公布", "Not posted";
    f_remind => "即将到期", "Due soon";
    f_overdue => "已逾期", "Overdue";
    f_late => "逾期完成", "Done late";
    f_later => "未到期", "Not due yet";
    f_days_left => "剩余天数", "days left";
    f_days_late => "逾期天数", "days late";
    f_deadlines => "待办期限", "Deadlines";
    f_no_deadlines => "没有临近或逾期的期限。", "Nothing due soon or overdue.";
    f_book => "入账划转和续筹", "Book the transfer and top-up";
    f_post => "公布", "Post";
    f_chart_quarters => "近两年公共收益（元）", "Public revenue over two years (yuan)";
    f_chart_fund => "维修资金余额（元）", "Maintenance fund balance (yuan)";
    f_own => "本楼和本户", "My building and household";
    f_building => "楼栋", "Building";
    f_building_income => "本楼收入", "Income booked to the building";
    f_building_costs => "本楼成本", "Costs booked to the building";
    f_household => "房屋", "Home";
    f_balance => "余额", "Balance";
    f_first => "首期交存", "First contribution";
    f_replenish => "须续筹", "To replenish";
    f_replenish_hint => "余额低于首期交存的30%，须续筹至50%（业主大会未决定的，90日内）。", "Below 30% of the first contribution: to be brought back to 50% (within 90 days if the general meeting does not decide).";
    f_books => "明细账", "The books";
    f_fund => "专项维修资金", "The maintenance fund";
    f_statement => "公共收益收支情况", "Public revenue statement";
    f_by_source => "按来源", "By source";
    f_by_kind => "按成本", "By cost";
    f_per_building => "各楼栋（门牌幢）", "By building";
    f_compound => "全小区", "Whole compound";
    f_print => "用浏览器打印本页，张贴在物业服务中心、公告栏和每幢楼门口。", "Print this page from the browser to post it at the reception, on the notice boards and at every building's entrance.";
    f_entry => "记一笔", "Enter a transaction";
    f_date => "日期", "Date";
    f_account => "科目", "Account";
    f_amount => "金额（元）", "Amount (yuan)";
    f_memo => "摘要", "Memo";
    f_link => "依据（支出须填：matter:表决编号 或 authorisation:授权编号）", "Authority (spending: matter:ID or authorisation:ID)";
    f_save => "记账", "Book it";
    f_import => "导入 Excel 台账", "Import the Excel sheet";
    f_import_hint => "列：日期、科目、金额、楼号、摘要、依据、对方科目；全部通过才入账，有错的行逐一列出。", "Columns: date, account, amount, building, memo, link, counterpart; all rows or none, every bad row named.";
    f_file => "文件（.xlsx 或 .csv）", "File (.xlsx or .csv)";
    f_upload => "导入", "Import";
    f_export => "导出 Excel", "Export to Excel";
    f_journal => "记账凭证", "Journal";
    f_id => "编号", "No.";
    f_postings => "分录", "Postings";
    f_price_review => "须审价", "Price review";
    f_reversed => "已冲销", "Reversed";
    f_reverse => "冲销", "Reverse";
    f_reverses => "冲销第", "reverses";
    f_saved => "已保存。", "Saved.";
    f_imported => "已导入", "Imported";
    f_fund_total => "维修资金合计", "The fund in all";
    f_pool => "未分摊（续筹）", "Not yet allocated (top-ups)";
    f_draws => "工程支取", "Draws for works";
    f_project => "项目", "Project";
    f_contract => "合同价", "Contract";
    f_reviewed => "审价金额", "Reviewed";
    f_paid => "已支取", "Paid";
    f_draw_count => "次数", "Draws";
    f_next_limit => "本次最多可支取", "This draw at most";
    f_rule => "适用规则", "Rule";
    f_draw => "支取", "Draw";
    f_half_years => "半年度维修资金收支情况（1月、7月公布）", "Half-yearly fund statements (January and July)";
    f_period => "期间", "Period";
    f_publish_by => "公布期限", "Publish by";
    f_audits => "年度审计", "Annual audits";
    f_firm => "会计师事务所", "Firm";
    f_appointed => "委托公示", "Appointment posted";
    f_results => "结果公示", "Results posted";
    f_authorisations => "规约的常设授权", "Standing authorisations";
    f_auth_id => "授权编号", "Authorisation id";
    f_pays => "资金", "Pays from";
    f_cases => "适用情形", "Cases";
    f_per_item => "单项上限（元）", "Per item at most (yuan)";
    f_total => "合计上限（元，可空）", "In all at most (yuan, optional)";
    f_from => "起", "From";
    f_until => "止", "Until";
    f_used => "已用", "Used";
    f_new_auth => "登记授权", "Record the authorisation";
    f_year => "审计年度", "Audit year";
    f_received => "收到结果", "Results received";
    f_save_audit => "保存审计信息", "Save the audit";
    f_new_contract => "登记工程合同", "Record a works contract";
    f_matter => "批准的表决", "Approving vote";
    f_record_review => "登记审价结果", "Record the cost review";
    f_no_quarters => "还没有公布的季度账目。", "No quarter's statement is posted yet.";
    f_bsuffix => "号楼", "";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/funds", get(overview))
        .route("/funds/quarters/{quarter}", get(quarter_page))
        .route("/funds/books", get(books_page))
        .route("/funds/books.xlsx", get(books_xlsx))
        .route("/funds/fund", get(super::fund_page::fund_page))
        .route("/funds/transactions", post(entry_save))
        .route("/funds/transactions/{id}/reversal", post(reverse_save))
        .route("/funds/import", post(import_save))
        .route("/funds/rate", post(rate_save))
        .route("/funds/quarters/{quarter}/booking", post(book_save))
        .route("/funds/statements/{period}/posting", post(post_save))
        .route("/funds/draws", post(super::fund_page::draw_save))
        .route("/funds/contracts", post(super::fund_page::contract_save))
        .route("/funds/contracts/{project}/review", post(super::fund_page::review_save))
        .route("/funds/authorisations", post(authorisation_save))
        .route("/funds/audits", post(super::fund_page::audit_save))
}

pub fn yuan(m: Money) -> String {
    m.to_string()
}

pub(super) fn due_label(t: Tr, d: &Due) -> String {
    match d {
        Due::Done => t.f_posted().into(),
        Due::DoneLate { days_late } => format!("{} ({} {days_late})", t.f_late(), t.f_days_late()),
        Due::Later { .. } => t.f_later().into(),
        Due::Remind { days_left } => format!("{} ({} {days_left})", t.f_remind(), t.f_days_left()),
        Due::Overdue { days_late } => format!("{} ({} {days_late})", t.f_overdue(), t.f_days_late()),
    }
}

fn account_label(lang: Lang, a: &Account) -> String {
    match lang {
        Lang::Zh => a.name_zh(),
        _ => a.to_string(),
    }
}

#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub(super) saved: Option<String>,
}

/// A quarter's row: (quarter, income, costs, net, top-up, post by, state key, state label).
type QuarterRow = [String; 8];

fn quarter_row(t: Tr, q: &QuarterView) -> QuarterRow {
    let s = &q.statement;
    [
        s.quarter.to_string(),
        yuan(s.income),
        yuan(s.costs),
        yuan(s.net),
        yuan(s.top_up),
        s.statement_by.to_string(),
        due_key(&q.statement_due).into(),
        due_label(t, &q.statement_due),
    ]
}

fn fund_series(b: &Books, quarters: &[Quarter], lang: Lang) -> Vec<Series> {
    let name = lang.pick("维修资金", "Maintenance fund");
    vec![Series {
        name: name.into(),
        colour: PALETTE[2].into(),
        values: quarters.iter().map(|q| fund_balances(&b.ledger, q.last_day()).total.fen()).collect(),
    }]
}

fn axis(f: i64) -> String {
    Money::from_fen(f).readable()
}

#[derive(Template)]
#[template(path = "funds/funds.html")]
pub struct OverviewPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub rate: String,
    pub rows: Vec<QuarterRow>,
    /// (what, period, label, key) of what is due soon or overdue
    pub deadlines: Vec<[String; 4]>,
    pub chart: String,
    pub fund_chart: String,
    /// (building, [(quarter, income, costs)], fund balance)
    pub own: Vec<(String, Vec<[String; 3]>, String)>,
    pub may_keep: bool,
    pub may_post: bool,
    pub may_rate: bool,
    pub may_books: bool,
    /// quarters ended and not yet booked
    pub to_book: Vec<String>,
    /// quarters booked and not yet posted
    pub to_post: Vec<String>,
    pub saved: bool,
    pub error: String,
}

async fn overview_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    saved: bool,
    error: String,
    status: StatusCode,
) -> Answer {
    v.require(FundsAction::ReadStatements, Subject::Compound)?;
    let t = p.t();
    let b = books(state, v).await?;
    let all = v.may(FundsAction::ReadBooks, Subject::Compound);
    let qs = b.quarters(all);
    let today = day_of(crate::now_ms());
    let mut deadlines = Vec::new();
    for q in &qs {
        if matches!(q.statement_due, Due::Remind { .. } | Due::Overdue { .. }) {
            deadlines.push([
                t.f_statement().into(),
                q.statement.quarter.to_string(),
                due_label(t, &q.statement_due),
                due_key(&q.statement_due).into(),
            ]);
        }
        if all
            && q.statement.quarter.last_day() < today
            && matches!(q.transfer_due, Due::Remind { .. } | Due::Overdue { .. })
        {
            deadlines.push([
                t.f_book().into(),
                q.statement.quarter.to_string(),
                due_label(t, &q.transfer_due),
                due_key(&q.transfer_due).into(),
            ]);
        }
    }
    let recent: Vec<&QuarterView> = qs.iter().rev().take(8).rev().collect();
    let labels: Vec<String> = recent.iter().map(|q| q.statement.quarter.to_string()).collect();
    let pick = |f: &dyn Fn(&QuarterView) -> i64| recent.iter().map(|q| f(q)).collect::<Vec<_>>();
    let series = vec![
        Series { name: t.f_income().into(), colour: PALETTE[0].into(), values: pick(&|q| q.statement.income.fen()) },
        Series { name: t.f_costs().into(), colour: PALETTE[1].into(), values: pick(&|q| q.statement.costs.fen()) },
        Series { name: t.f_top_up().into(), colour: PALETTE[2].into(), values: pick(&|q| q.statement.top_up.fen()) },
    ];
    let quarters: Vec<Quarter> = recent.iter().map(|q| q.statement.quarter).collect();
    let balances = fund_balances(&b.ledger, today);
    let own = own_buildings(v)
        .into_iter()
        .map(|bn| {
            let rows = qs
                .iter()
                .filter(|q| q.posted_on().is_some())
                .map(|q| {
                    let f = q.statement.per_building.iter().find(|f| f.building == bn);
                    [
                        q.statement.quarter.to_string(),
                        yuan(f.map(|f| f.income).unwrap_or(Money::ZERO)),
                        yuan(f.map(|f| f.costs).unwrap_or(Money::ZERO)),
                    ]
                })
                .collect();
            let fund = balances.buildings.iter().find(|(x, _)| *x == bn).map(|(_, m)| *m).unwrap_or(Money::ZERO);
            (bn.to_string(), rows, yuan(fund))
        })
        .collect();
    let page = OverviewPage {
        c: chrome(state, p, Some(v), "/funds").await,
        rate: b.rate.map(|r| r.to_string()).unwrap_or_else(|| t.f_rate_none().into()),
        rows: qs.iter().rev().map(|q| quarter_row(t, q)).collect(),
        deadlines,
        chart: line_chart("chart-quarters", t.f_chart_quarters(), &labels, &series, &axis),
        fund_chart: line_chart("chart-fund", t.f_chart_fund(), &labels, &fund_series(&b, &quarters, p.lang), &axis),
        own,
        may_keep: v.may(FundsAction::KeepBooks, Subject::Compound),
        may_post: v.may(FundsAction::PostStatements, Subject::Compound),
        may_rate: v.may(FundsAction::RecordAuthorities, Subject::Compound),
        may_books: all,
        to_book: qs
            .iter()
            .filter(|q| q.booked_on().is_none() && q.statement.quarter.last_day() < today)
            .map(|q| q.statement.quarter.to_string())
            .collect(),
        to_post: qs
            .iter()
            .filter(|q| q.booked_on().is_some() && q.posted_on().is_none())
            .map(|q| q.statement.quarter.to_string())
            .collect(),
        saved,
        error,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn overview(State(state): State<AppState>, p: Prefs, v: Viewer, Query(n): Query<Notice>) -> Answer {
    overview_view(&state, &p, &v, n.saved.is_some(), String::new(), StatusCode::OK).await
}

async fn rate_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = super::set_rate(&state, &v, Some(f.one("csrf")), f.one("rate")).await;
    back(&state, &p, &v, r.map(|_| ()), "/funds?saved=1").await
}

async fn book_save(State(state): State<AppState>, p: Prefs, v: Viewer, Path(q): Path<String>, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = super::book(&state, &v, Some(f.one("csrf")), &q, Some(f.one("date"))).await;
    back(&state, &p, &v, r.map(|_| ()), "/funds?saved=1").await
}

async fn post_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(period): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = super::post_statement(&state, &v, Some(f.one("csrf")), &period, Some(f.one("date"))).await;
    let to = if gongzhi_store::funds::is_half(&period) { "/funds/fund?saved=1" } else { "/funds?saved=1" };
    back(&state, &p, &v, r, to).await
}

/// Back to `to` when the write worked, else the overview with the refusal named.
async fn back(state: &AppState, p: &Prefs, v: &Viewer, r: Result<(), AppError>, to: &str) -> Answer {
    match on_the_page(r)? {
        Ok(()) => Ok(see_other(to)),
        Err(x) => overview_view(state, p, v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}

// ---------------------------------------------------------------------------------------------
// A quarter's statement.

#[derive(Template)]
#[template(path = "funds/quarter.html")]
pub struct QuarterPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub compound: String,
    pub row: QuarterRow,
    pub rate: String,
    pub transfer_by: String,
    pub posted_on: String,
    pub by_source: Vec<(String, String)>,
    pub by_kind: Vec<(String, String)>,
    /// (building, income, costs, own)
    pub buildings: Vec<(String, String, String, bool)>,
}

async fn quarter_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(q): Path<String>) -> Answer {
    let t = p.t();
    let qv = super::statement_for(&state, &v, &q).await?;
    let own: Vec<String> = own_buildings(&v).iter().map(|b| b.to_string()).collect();
    let s = &qv.statement;
    let page = QuarterPage {
        c: chrome(&state, &p, Some(&v), "/funds").await,
        compound: state.store.compound(v.compound()).await?.name,
        row: quarter_row(t, &qv),
        rate: s.rate.to_string(),
        transfer_by: s.transfer_by.to_string(),
        posted_on: qv.posted_on().map(|d| d.to_string()).unwrap_or_else(|| t.f_not_posted().into()),
        by_source: s
            .income_by_source
            .iter()
            .map(|(k, m)| (account_label(p.lang, &Account::Income(*k)), yuan(*m)))
            .collect(),
        by_kind: s.costs_by_kind.iter().map(|(k, m)| (account_label(p.lang, &Account::Cost(*k)), yuan(*m))).collect(),
        buildings: s
            .per_building
            .iter()
            .map(|f| (f.building.to_string(), yuan(f.income), yuan(f.costs), own.contains(&f.building.to_string())))
            .collect(),
        t,
    };
    Ok(html(render(&page)))
}

// ---------------------------------------------------------------------------------------------
// The books.

#[derive(Template)]
#[template(path = "funds/books.html")]
pub struct BooksPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub may_keep: bool,
    /// (value, label)
    pub kinds: Vec<(String, String)>,
    /// (id, date, memo, building, link, postings, price review, reversed by / reverses)
    pub journal: Vec<[String; 8]>,
    /// (id, pays, cases, per item, total, from–until, used)
    pub authorisations: Vec<[String; 7]>,
    pub may_record: bool,
    pub today: String,
    pub saved: String,
    pub error: String,
}

async fn books_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    saved: String,
    error: String,
    status: StatusCode,
) -> Answer {
    v.require(FundsAction::ReadBooks, Subject::Compound)?;
    let t = p.t();
    let b = books(state, v).await?;
    let journal = b
        .ledger
        .transactions()
        .iter()
        .rev()
        .take(200)
        .map(|x| {
            let postings: Vec<String> =
                x.postings.iter().map(|p2| format!("{} {}", account_label(p.lang, &p2.account), p2.amount)).collect();
            let state = match (x.reverses, b.ledger.reversed_by(x.id)) {
                (Some(r), _) => format!("{} {r}", t.f_reverses()),
                (_, Some(by)) => format!("{} ({by})", t.f_reversed()),
                _ => String::new(),
            };
            [
                x.id.to_string(),
                x.date.to_string(),
                x.memo.clone(),
                x.building.as_ref().map(|b| b.to_string()).unwrap_or_default(),
                x.link.as_ref().map(|l| l.to_string()).unwrap_or_default(),
                postings.join("；"),
                if x.price_review { t.f_price_review().into() } else { String::new() },
                state,
            ]
        })
        .collect();
    let authorisations = state
        .store
        .funds_authorisations(v.compound())
        .await?
        .into_iter()
        .map(|a| {
            [
                a.id.clone(),
                match a.pays {
                    gongzhi_core::funds::Pays::PublicRevenue => p.lang.pick("公共收益", "public revenue").into(),
                    gongzhi_core::funds::Pays::MaintenanceFund => p.lang.pick("维修资金", "maintenance fund").into(),
                },
                a.cases.clone(),
                yuan(a.per_item),
                a.total.map(yuan).unwrap_or_default(),
                format!("{}–{}", a.from, a.until),
                yuan(b.ledger.authorisation_used(&a.id)),
            ]
        })
        .collect();
    let page = BooksPage {
        authorisations,
        may_record: v.may(FundsAction::RecordAuthorities, Subject::Compound),
        c: chrome(state, p, Some(v), "/funds").await,
        may_keep: v.may(FundsAction::KeepBooks, Subject::Compound),
        kinds: super::entry_kinds().iter().map(|a| (a.to_string(), account_label(p.lang, a))).collect(),
        journal,
        today: day_of(crate::now_ms()).to_string(),
        saved,
        error,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn books_page(State(state): State<AppState>, p: Prefs, v: Viewer, Query(n): Query<Notice>) -> Answer {
    let saved = if n.saved.is_some() { p.t().f_saved().to_string() } else { String::new() };
    books_view(&state, &p, &v, saved, String::new(), StatusCode::OK).await
}

async fn entry_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = super::EntryBody {
        date: Some(f.one("date").into()),
        account: f.one("account").into(),
        amount: f.one("amount").into(),
        building: Some(f.one("building").into()),
        memo: f.one("memo").into(),
        link: Some(f.one("link").into()),
    };
    let r = super::enter(&state, &v, Some(f.one("csrf")), &b).await;
    match on_the_page(r)? {
        Ok(_) => Ok(see_other("/funds/books?saved=1")),
        Err(x) => books_view(&state, &p, &v, String::new(), x.say(p.lang), status_of(x.kind())).await,
    }
}

async fn reverse_save(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<u64>, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = super::reverse(&state, &v, Some(f.one("csrf")), id, Some(f.one("date")), f.one("memo")).await;
    match on_the_page(r)? {
        Ok(_) => Ok(see_other("/funds/books?saved=1")),
        Err(x) => books_view(&state, &p, &v, String::new(), x.say(p.lang), status_of(x.kind())).await,
    }
}

async fn import_save(State(state): State<AppState>, p: Prefs, v: Viewer, mp: Multipart) -> Answer {
    v.require(FundsAction::KeepBooks, Subject::Compound)?;
    let (fields, files) = read_multipart(mp).await?;
    let csrf = fields.get("csrf").map(String::as_str);
    let r = async {
        let file =
            files.iter().find(|f| f.0 == "file").ok_or_else(|| super::bad("file", "choose a .xlsx or .csv file"))?;
        let rows = sheet_rows(&file.1, &file.3)?;
        super::import(&state, &v, csrf, &rows).await
    }
    .await;
    match on_the_page(r)? {
        Ok(posted) => {
            let msg = format!("{} {}", p.t().f_imported(), posted.len());
            books_view(&state, &p, &v, msg, String::new(), StatusCode::OK).await
        }
        Err(x) => books_view(&state, &p, &v, String::new(), x.say(p.lang), status_of(x.kind())).await,
    }
}

/// An uploaded sheet's rows, header first: `.xlsx` through the store's reader, else CSV.
pub fn sheet_rows(name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    if name.to_ascii_lowercase().ends_with(".xlsx") {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("gongzhi-funds-{}-{}-{n}", std::process::id(), crate::now_ms()));
        std::fs::create_dir_all(&dir).map_err(|e| AppError::Internal(e.to_string()))?;
        let path = dir.join("sheet.xlsx");
        std::fs::write(&path, bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        let table = gongzhi_store::kit::files::read_table(&path, &|_| Ok(()));
        let _ = std::fs::remove_dir_all(&dir);
        let table = table?;
        let mut rows = vec![table.header];
        rows.extend(table.body);
        Ok(rows)
    } else {
        let text = String::from_utf8_lossy(bytes);
        Ok(gongzhi_core::funds::import::csv_rows(text.trim_start_matches('\u{feff}'))?)
    }
}

async fn books_xlsx(State(state): State<AppState>, v: Viewer) -> Answer {
    v.require(FundsAction::ReadBooks, Subject::Compound)?;
    let b = books(&state, &v).await?;
    use rust_xlsxwriter::Workbook;
    let x = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("journal").map_err(x)?;
    for (r, row) in journal_rows(&b.ledger).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // amounts stay text: exact to the fen, never a float
            ws.write_string(r as u32, c as u16, cell).map_err(x)?;
        }
    }
    let bytes = wb.save_to_buffer().map_err(x)?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"funds-journal.xlsx\""));
    Ok(r)
}

async fn authorisation_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = super::AuthorisationBody {
        id: f.one("id").into(),
        pays: f.one("pays").into(),
        cases: f.one("cases").into(),
        per_item: f.one("per_item").into(),
        total: Some(f.one("total").into()),
        from: f.one("from").into(),
        until: f.one("until").into(),
    };
    let r = super::authorise(&state, &v, Some(f.one("csrf")), &b).await;
    match on_the_page(r)? {
        Ok(()) => Ok(see_other("/funds/books?saved=1")),
        Err(x) => books_view(&state, &p, &v, String::new(), x.say(p.lang), status_of(x.kind())).await,
    }
}
