//! The demo's books: every household's first contribution to the maintenance fund (2005),
//! Building 13's lift draws (2016–17, linked to its project and vote), two years of parking and
//! advert income with their costs, each quarter booked (the top-up at the covenant's 60%) and its
//! statement posted; the southern shortcut voted and paid from public revenue (38,000, in two
//! payments, below the price review's 50,000); a standing authorisation for small repairs; the half-yearly fund
//! statements and the audits. The quarter now running has its entries so far, not yet booked.

use super::AuditRecord;
use crate::{Actor, NewMatter, Result, Store, now_ms};
use gongzhi_core::funds::{Account, CostKind, Draft, FundPart, Link, Pays, Quarter, Source};
use gongzhi_core::funds::{StandingAuthorisation, WorksContract};
use gongzhi_core::kit::Money;
use gongzhi_core::kit::period::{day_of, start_of};
use gongzhi_core::registry::BuildingNo;
use gongzhi_core::{Channel, Choice, MatterKind, Scope};
use jiff::civil::{Date, date};

/// The southern shortcut's vote: closed and passed, its works paid from public revenue.
pub const SHORTCUT_TITLE: &str = "使用公共收益修建南侧便道";

const HOUR: i64 = 3_600_000;

fn yuan(s: &str) -> Money {
    Money::parse(s).expect("a demo amount")
}

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).expect("a demo date")
}

/// The books of the demo compound. `lift_matter` is Building 13's closed lift vote.
pub(crate) async fn seed_funds(store: &Store, compound: &str, lift_matter: &str) -> Result<()> {
    let sys = Actor::SYSTEM;
    let today = day_of(now_ms());
    let registry = store.registry(compound).await?;
    store.set_funds_rate(compound, "0.6", sys).await?;

    // every household's first contribution, 150 yuan a square metre, booked by building
    let mut buildings: Vec<BuildingNo> = Vec::new();
    for u in &registry.units {
        if !buildings.contains(&u.building) {
            buildings.push(u.building.clone());
        }
    }
    for b in &buildings {
        let mut d = Draft::on(date(2005, 6, 30)).building(b.clone()).memo("首期专项维修资金交存（每平方米 150 元）");
        let mut total = 0;
        for u in registry.units.iter().filter(|u| &u.building == b) {
            let fen = (u.area.e4() * 150 * 100 + 5_000) / 10_000;
            total += fen;
            d = d.debit(Account::Fund(FundPart::Household(u.no.clone())), Money::from_fen(fen));
        }
        store.post_funds(compound, d.credit(Account::Contributions, Money::from_fen(total)), sys).await?;
    }

    // Building 13's lift: the fund paid part of the works contract, in two draws
    let p13 = store.projects(compound).await?.into_iter().find(|p| p.scope.to_string() == "building:13").map(|p| p.id);
    if let Some(p13) = p13 {
        let w = WorksContract {
            project: p13.clone(),
            matter: lift_matter.into(),
            contract: yuan("555000"),
            reviewed: None,
        };
        store.add_works_contract(compound, &w, sys).await?;
        store.draw_for_project(compound, &p13, yuan("100000"), date(2016, 12, 5), "加装电梯首次支取", sys).await?;
        store.record_cost_review(compound, &p13, yuan("548000"), sys).await?;
        store.draw_for_project(compound, &p13, yuan("50000"), date(2017, 9, 20), "加装电梯审价后支取", sys).await?;
    }

    // small repairs under the covenant's standing authorisation, this year
    let this = Quarter::of(today);
    let year = this.year();
    store
        .add_funds_authorisation(
            compound,
            &StandingAuthorisation {
                id: format!("small-repairs-{year}"),
                pays: Pays::PublicRevenue,
                cases: "公共部位日常小修（单项 5,000 元以内）".into(),
                per_item: yuan("5000"),
                total: Some(yuan("30000")),
                from: date(year, 1, 1),
                until: date(year, 12, 31),
            },
            sys,
        )
        .await?;

    // two years of income and costs, each finished quarter booked and posted
    let mut quarters = vec![this];
    for _ in 0..8 {
        let q = quarters[0];
        let prev = Quarter::new(
            if q.number() == 1 { q.year() - 1 } else { q.year() },
            if q.number() == 1 { 4 } else { q.number() - 1 },
        )
        .expect("a quarter");
        quarters.insert(0, prev);
    }
    let b13 = BuildingNo::parse("13").expect("a building");
    for (k, q) in quarters.iter().enumerate() {
        for m in 0..3i8 {
            let month = date(q.year(), q.first_month() + m, 25);
            if month > today {
                continue;
            }
            let parking = Money::from_fen(3_800_000 + 50_000 * ((k as i64 + m as i64) % 4));
            let income = |d: Draft, source: Source, amount: Money| {
                d.debit(Account::Bank, amount).credit(Account::Income(source), amount)
            };
            store
                .post_funds(
                    compound,
                    income(Draft::on(month).memo(format!("{}月停车费", q.first_month() + m)), Source::Parking, parking),
                    sys,
                )
                .await?;
            let lift_ad =
                income(Draft::on(month).building(b13.clone()).memo("13号楼电梯轿厢广告"), Source::Advert, yuan("1200"));
            store.post_funds(compound, lift_ad, sys).await?;
        }
        let last = q.last_day();
        if last > today {
            continue;
        }
        let lobby = Draft::on(plus(last, -5)).memo("门厅及道闸广告").debit(Account::Bank, yuan("6000"));
        store.post_funds(compound, lobby.credit(Account::Income(Source::Advert), yuan("6000")), sys).await?;
        let interest = Draft::on(last).memo("监管账户利息").debit(Account::Bank, yuan("180.36"));
        store.post_funds(compound, interest.credit(Account::Income(Source::Other), yuan("180.36")), sys).await?;
        for (kind, amount, memo) in [
            (CostKind::Tax, "6840.00", "增值税及附加"),
            (CostKind::Labour, "9000.00", "停车管理人员工资"),
            (CostKind::Energy, "1480.50", "道闸及广告灯箱电费"),
        ] {
            let d = Draft::on(plus(last, -2)).memo(memo).debit(Account::Cost(kind), yuan(amount));
            store.post_funds(compound, d.credit(Account::Bank, yuan(amount)), sys).await?;
        }
        let booked = plus(q.next().first_day(), 7);
        if booked >= today {
            continue;
        }
        store.book_quarter(compound, *q, booked, sys).await?;
        let posted = plus(booked, 3);
        if posted < today {
            store.post_funds_statement(compound, &q.to_string(), posted, sys).await?;
        }
    }

    // the southern shortcut: voted in the quarter before last, built, paid from public revenue
    let vq = quarters[quarters.len() - 3];
    let shortcut = seed_shortcut_vote(store, compound, vq.first_day()).await?;
    let link = Link::Matter { matter: shortcut };
    for (on, amount, memo) in [
        (plus(vq.first_day(), 40), "11400", "南侧便道工程预付款（30%）"),
        (plus(vq.first_day(), 75), "26600", "南侧便道工程结算款"),
    ] {
        let d = Draft::on(on).memo(memo).link(link.clone()).debit(Account::Spending, yuan(amount));
        store.post_funds(compound, d.credit(Account::Revenue, yuan(amount)), sys).await?;
    }
    let repair = Draft::on(plus(quarters[quarters.len() - 2].first_day(), 20))
        .memo("更换3号楼单元门闭门器")
        .building(BuildingNo::parse("3").expect("a building"))
        .link(Link::Authorisation { authorisation: format!("small-repairs-{year}") })
        .debit(Account::Spending, yuan("1800"));
    if repair.date.year() == year && repair.date <= today {
        store.post_funds(compound, repair.credit(Account::Revenue, yuan("1800")), sys).await?;
    }

    // the half-yearly fund statements posted in July and January, and the audits
    for (period, on) in [(format!("{}H2", year - 1), date(year, 1, 20)), (format!("{year}H1"), date(year, 7, 15))] {
        if on < today {
            store.post_funds_statement(compound, &period, on, sys).await?;
        }
    }
    store
        .put_funds_audit(
            compound,
            &AuditRecord {
                year: year - 1,
                firm: "上海明诚会计师事务所".into(),
                appointment_posted_on: date(year - 1, 11, 16),
                results_received_on: Some(date(year, 5, 20)),
                results_posted_on: Some(date(year, 5, 21)),
            },
            sys,
        )
        .await?;
    Ok(())
}

/// The shortcut's vote, held over the first fortnight of a quarter and passed.
async fn seed_shortcut_vote(store: &Store, compound: &str, first: Date) -> Result<String> {
    let sys = Actor::SYSTEM;
    let m = store
        .create_matter(
            compound,
            &NewMatter {
                title: SHORTCUT_TITLE.into(),
                body: "业主反映垃圾箱房较远，垃圾袋被丢在路边。拟使用小区公共收益修建南侧便道，预算 3.8 万元。".into(),
                kind: MatterKind::OtherMajor,
                scope: Scope::Compound,
                deemed_clause: false,
                allow_change: false,
                window_start: Some(now_ms() - HOUR),
                window_end: Some(now_ms() + HOUR),
            },
            sys,
        )
        .await?;
    store.post_notice(compound, &m.id, sys, now_ms() - 30 * 24 * HOUR).await?;
    store.open_matter(compound, &m.id, sys).await?;
    for (i, u) in store.registry(compound).await?.units.iter().enumerate() {
        if i % 6 == 5 {
            continue;
        }
        let choice = if i % 9 == 2 { Choice::Oppose } else { Choice::Approve };
        let channel = if i % 4 == 0 { Channel::Paper } else { Channel::Online };
        store.cast_ballot(compound, &m.id, &u.no, choice, channel, sys).await?;
    }
    let open = start_of(first) + 9 * HOUR;
    crate::demo::history(store, compound, &m.id, open, open + 14 * 24 * HOUR).await?;
    sqlx::query("UPDATE matters SET created_at = $1, notice_at = $2 WHERE compound_id = $3 AND id = $4")
        .bind(open - 20 * 24 * HOUR)
        .bind(open - 10 * 24 * HOUR)
        .bind(compound)
        .bind(&m.id)
        .execute(&store.pool)
        .await?;
    store.close_matter_at(compound, &m.id, sys, open + 15 * 24 * HOUR).await?;
    Ok(m.id)
}
