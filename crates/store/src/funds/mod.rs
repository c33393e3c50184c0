//! Income from common property and the maintenance fund (issue 15): the books as core
//! [`Ledger`] keeps them, stored as transactions and postings that are never edited (a mistake
//! is reversed), each write checked by core at its one door and audited; the covenant's rate;
//! standing authorisations and works contracts; quarters booked (transfer and top-up) and
//! statements posted with a reminder before the 15th and a flag after; the annual audit's dates.
//! [`demo`]: two years of the demo compound's books.

use crate::accounts::channels::{Deadline, schedule_deadline};
use crate::kit::audit::append;
use crate::{Actor, Result, Store, StoreError};
use gongzhi_core::funds::import::{Sheet, read_entries};
use gongzhi_core::funds::ledger::LedgerSettings;
use gongzhi_core::funds::{
    Account, Chart, Draft, FundPart, FundsRefusal as R, Ledger, Link, MatterStatus, Pays, Posted, Posting, Quarter,
    Rate, StandingAuthorisation, Transaction, TxId, WorksContract,
};
use gongzhi_core::kit::Money;
use gongzhi_core::kit::period::{parse_day, start_of};
use gongzhi_core::registry::BuildingNo;
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};

pub(crate) mod demo;
mod statements;

/// The kind of the reminder that a quarter's statement is due on the 15th.
pub const STATEMENT_DUE: &str = "funds.statement-due";
/// The kind of the flag that it is overdue.
pub const STATEMENT_OVERDUE: &str = "funds.statement-overdue";
/// The kind of the notice to owners that a statement is posted.
pub const STATEMENT_POSTED: &str = "funds.statement-posted";

/// Who entered a transaction, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entered {
    pub id: TxId,
    pub actor: String,
    pub at: i64,
}

/// A period's statement as kept: `2026Q1` (booked, then posted) or `2026H1` (posted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementRecord {
    pub period: String,
    pub rate: Option<String>,
    pub transfer_tx: Option<TxId>,
    pub top_up_tx: Option<TxId>,
    pub booked_on: Option<Date>,
    pub posted_on: Option<Date>,
    pub posted_by: Option<String>,
}

/// A year's audit: the firm appointed and its notice, the results received and posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub year: i16,
    pub firm: String,
    pub appointment_posted_on: Date,
    pub results_received_on: Option<Date>,
    pub results_posted_on: Option<Date>,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Io(format!("stored funds {what} is not valid"))
}

fn day(s: &str) -> Result<Date> {
    parse_day(s).ok_or_else(|| corrupt("date"))
}

fn opt_day(s: Option<String>) -> Result<Option<Date>> {
    s.map(|s| day(&s)).transpose()
}

fn pays_key(p: Pays) -> &'static str {
    match p {
        Pays::PublicRevenue => "public-revenue",
        Pays::MaintenanceFund => "maintenance-fund",
    }
}

pub fn parse_pays(s: &str) -> Option<Pays> {
    match s.trim() {
        "public-revenue" => Some(Pays::PublicRevenue),
        "maintenance-fund" => Some(Pays::MaintenanceFund),
        _ => None,
    }
}

/// 09:00 in Shanghai on a day.
fn morning(d: Date) -> i64 {
    start_of(d) + 9 * 3_600_000
}

/// The books' keepers: the committee's director and members.
async fn bookkeepers(conn: &mut AnyConnection, compound: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT account_id FROM account_roles WHERE compound_id = $1 \
         AND role IN ('committee-director', 'committee-member') ORDER BY account_id",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?)
}

/// The owners, who are told when a statement is posted.
async fn owners(conn: &mut AnyConnection, compound: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT account_id FROM account_roles WHERE compound_id = $1 AND role = 'owner' ORDER BY account_id",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?)
}

async fn insert_tx(conn: &mut AnyConnection, compound: &str, t: &Transaction, actor: &str, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO funds_transactions (compound_id, id, day, building, memo, link, reverses, price_review, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(compound)
    .bind(t.id as i64)
    .bind(t.date.to_string())
    .bind(t.building.as_ref().map(|b| b.to_string()))
    .bind(&t.memo)
    .bind(t.link.as_ref().map(|l| l.to_string()))
    .bind(t.reverses.map(|r| r as i64))
    .bind(i64::from(t.price_review))
    .bind(actor)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    for (seq, p) in t.postings.iter().enumerate() {
        sqlx::query("INSERT INTO funds_postings (compound_id, tx_id, seq, account, fen) VALUES ($1, $2, $3, $4, $5)")
            .bind(compound)
            .bind(t.id as i64)
            .bind(seq as i64)
            .bind(p.account.to_string())
            .bind(p.amount.fen())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Schedules, once, the reminder before a quarter's statement is due and the flag after it.
async fn schedule_statement(conn: &mut AnyConnection, compound: &str, q: Quarter, remind_days: i64) -> Result<()> {
    let by = gongzhi_core::funds::deadlines::statement_by(q);
    // an old quarter entered late is flagged on the page, not by a message per entry
    if by < gongzhi_core::kit::period::day_of(crate::now_ms()) {
        return Ok(());
    }
    let people = bookkeepers(conn, compound).await?;
    let period = q.to_string();
    let remind = by.checked_sub(jiff::Span::new().days(remind_days - 1)).unwrap_or(by);
    let after = by.tomorrow().unwrap_or(by);
    for (kind, key, at, subject, body) in [
        (
            STATEMENT_DUE,
            format!("statement:{period}:reminder"),
            morning(remind),
            format!("{period} 公共收益收支情况须在 {by} 前公布"),
            format!(
                "按《上海市住宅小区公共收益管理办法》第十四条，{period} 的公共收益收支情况须在 {by} 前在物业服务中心、公告栏和每幢楼门口公布。请在共治中入账续筹并公布。"
            ),
        ),
        (
            STATEMENT_OVERDUE,
            format!("statement:{period}:overdue"),
            morning(after),
            format!("{period} 公共收益收支情况已逾期未公布"),
            format!("{period} 的公共收益收支情况应在 {by} 前公布，至今尚未公布。请尽快公布。"),
        ),
    ] {
        let d = Deadline { about: &period, kind, key: &key, due_at: at, subject, body, people: &people };
        schedule_deadline(conn, compound, &d, crate::now_ms()).await?;
    }
    Ok(())
}

impl Store {
    /// The covenant's top-up rate, if recorded.
    pub async fn funds_rate(&self, compound: &str) -> Result<Option<Rate>> {
        let r: Option<String> = sqlx::query_scalar("SELECT rate FROM funds_settings WHERE compound_id = $1")
            .bind(compound)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Rate::parse(&r).map_err(|_| corrupt("rate"))).transpose()
    }

    /// Records the covenant's top-up rate (above one half, at most one). Audited.
    pub async fn set_funds_rate(&self, compound: &str, rate: &str, actor: Actor<'_>) -> Result<Rate> {
        let r = Rate::parse(rate)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM funds_settings WHERE compound_id = $1").bind(compound).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO funds_settings (compound_id, rate) VALUES ($1, $2)")
            .bind(compound)
            .bind(r.to_string())
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "funds.rate", compound, &r.to_string()).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// The compound's books: every authorisation, contract and transaction as booked.
    pub async fn funds_ledger(&self, compound: &str) -> Result<Ledger> {
        let chart = Chart::of(&self.registry(compound).await?);
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, compound, chart).await
    }

    /// Who entered each transaction, and when.
    pub async fn funds_entered(&self, compound: &str) -> Result<Vec<Entered>> {
        let rows = sqlx::query("SELECT id, actor, at FROM funds_transactions WHERE compound_id = $1 ORDER BY id")
            .bind(compound)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| Entered { id: r.get::<i64, _>(0) as TxId, actor: r.get(1), at: r.get(2) }).collect())
    }

    /// What the voting process says of a matter a transaction cites.
    pub async fn funds_matter_status(&self, compound: &str, matter: &str) -> Result<MatterStatus> {
        let mut conn = self.pool.acquire().await?;
        matter_status(&mut conn, compound, matter).await
    }

    /// Books a transaction, checked by the ledger's rules (a passed vote, an authorisation within
    /// its limits, a draw within 30%/90%/the reviewed amount). Audited.
    pub async fn post_funds(&self, compound: &str, d: Draft, actor: Actor<'_>) -> Result<Posted> {
        let chart = Chart::of(&self.registry(compound).await?);
        let mut tx = self.begin_write().await?;
        let mut ledger = load(&mut tx, compound, chart).await?;
        let status = match &d.link {
            Some(Link::Matter { matter } | Link::Project { matter, .. }) => {
                Some(matter_status(&mut tx, compound, matter).await?)
            }
            _ => None,
        };
        let posted = ledger.post(d, status)?;
        let t = ledger.get(posted.id).cloned().ok_or_else(|| corrupt("transaction"))?;
        insert_tx(&mut tx, compound, &t, actor.login, crate::now_ms()).await?;
        if t.postings.iter().any(|p| matches!(p.account, Account::Income(_) | Account::Cost(_))) {
            schedule_statement(&mut tx, compound, Quarter::of(t.date), 5).await?;
        }
        append(&mut tx, compound, actor.login, "funds.post", &t.id.to_string(), &summary(&t)).await?;
        tx.commit().await?;
        Ok(posted)
    }

    /// Reverses a transaction on a date with one that negates every posting. Audited.
    pub async fn reverse_funds(
        &self,
        compound: &str,
        id: TxId,
        on: Date,
        memo: &str,
        actor: Actor<'_>,
    ) -> Result<Posted> {
        let chart = Chart::of(&self.registry(compound).await?);
        let mut tx = self.begin_write().await?;
        let mut ledger = load(&mut tx, compound, chart).await?;
        let memo = if memo.trim().is_empty() { format!("冲销第 {id} 笔") } else { memo.trim().to_string() };
        let posted = ledger.reverse(id, on, memo)?;
        let t = ledger.get(posted.id).cloned().ok_or_else(|| corrupt("transaction"))?;
        insert_tx(&mut tx, compound, &t, actor.login, crate::now_ms()).await?;
        // a reversed transfer or top-up leaves its quarter to be booked again
        sqlx::query("UPDATE funds_statements SET transfer_tx = NULL WHERE compound_id = $1 AND transfer_tx = $2")
            .bind(compound)
            .bind(id as i64)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE funds_statements SET top_up_tx = NULL WHERE compound_id = $1 AND top_up_tx = $2")
            .bind(compound)
            .bind(id as i64)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE funds_statements SET booked_on = NULL WHERE compound_id = $1 AND transfer_tx IS NULL \
             AND top_up_tx IS NULL AND posted_on IS NULL",
        )
        .bind(compound)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "funds.reverse", &t.id.to_string(), &format!("reverses={id}")).await?;
        tx.commit().await?;
        Ok(posted)
    }

    /// Imports a committee's sheet (header first): all rows or none, every refused row named.
    /// Audited as one entry.
    pub async fn import_funds(&self, compound: &str, rows: &[Vec<String>], actor: Actor<'_>) -> Result<Vec<Posted>> {
        let entries = read_entries(rows, Sheet::Committee)?;
        let chart = Chart::of(&self.registry(compound).await?);
        let mut tx = self.begin_write().await?;
        let mut ledger = load(&mut tx, compound, chart).await?;
        let before = ledger.transactions().len();
        let mut statuses = std::collections::BTreeMap::new();
        for e in &entries {
            if let Some(Link::Matter { matter } | Link::Project { matter, .. }) = &e.link
                && !statuses.contains_key(matter)
            {
                statuses.insert(matter.clone(), matter_status(&mut tx, compound, matter).await?);
            }
        }
        let posted = gongzhi_core::funds::import::import(&mut ledger, &entries, |m| statuses.get(m).copied())?;
        let now = crate::now_ms();
        let mut quarters = std::collections::BTreeSet::new();
        for t in &ledger.transactions()[before..] {
            insert_tx(&mut tx, compound, t, actor.login, now).await?;
            if t.postings.iter().any(|p| matches!(p.account, Account::Income(_) | Account::Cost(_))) {
                quarters.insert(Quarter::of(t.date));
            }
        }
        for q in quarters {
            schedule_statement(&mut tx, compound, q, 5).await?;
        }
        append(&mut tx, compound, actor.login, "funds.import", compound, &format!("rows={}", posted.len())).await?;
        tx.commit().await?;
        Ok(posted)
    }

    /// Records a standing authorisation of the covenant. Audited.
    pub async fn add_funds_authorisation(
        &self,
        compound: &str,
        a: &StandingAuthorisation,
        actor: Actor<'_>,
    ) -> Result<()> {
        if a.id.trim().is_empty() || a.id.contains(['/', ':']) {
            return R::BadField { field: "id".into(), reason: "an id without / or :".into() }.err();
        }
        let mut ledger = self.funds_ledger(compound).await?;
        ledger.authorise(a.clone())?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO funds_authorisations (compound_id, id, pays, cases, per_item, total, from_day, until_day) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(compound)
        .bind(&a.id)
        .bind(pays_key(a.pays))
        .bind(&a.cases)
        .bind(a.per_item.fen())
        .bind(a.total.map(|t| t.fen()))
        .bind(a.from.to_string())
        .bind(a.until.to_string())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "funds.authorisation", &a.id, &a.per_item.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn funds_authorisations(&self, compound: &str) -> Result<Vec<StandingAuthorisation>> {
        let mut conn = self.pool.acquire().await?;
        authorisations(&mut conn, compound).await
    }

    /// Records the works contract of a project the fund pays, and the matter that approved it.
    /// Audited.
    pub async fn add_works_contract(&self, compound: &str, w: &WorksContract, actor: Actor<'_>) -> Result<()> {
        if w.project.trim().is_empty() || w.matter.trim().is_empty() {
            return R::BadField { field: "project/matter".into(), reason: "name the project and its matter".into() }
                .err();
        }
        let mut ledger = self.funds_ledger(compound).await?;
        ledger.record_contract(w.clone())?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO funds_contracts (compound_id, project, matter, contract, reviewed) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(&w.project)
        .bind(&w.matter)
        .bind(w.contract.fen())
        .bind(w.reviewed.map(|r| r.fen()))
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "funds.contract", &w.project, &w.contract.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a project's cost review: from now on its draws total at most this. Audited.
    pub async fn record_cost_review(
        &self,
        compound: &str,
        project: &str,
        reviewed: Money,
        actor: Actor<'_>,
    ) -> Result<()> {
        let mut ledger = self.funds_ledger(compound).await?;
        ledger.record_review(project, reviewed)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE funds_contracts SET reviewed = $1 WHERE compound_id = $2 AND project = $3")
            .bind(reviewed.fen())
            .bind(compound)
            .bind(project)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "funds.review", project, &reviewed.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn works_contracts(&self, compound: &str) -> Result<Vec<WorksContract>> {
        let mut conn = self.pool.acquire().await?;
        contracts(&mut conn, compound).await
    }
}

impl Store {
    /// Draws for a project from the fund: from its building's households in proportion to their
    /// areas (按户核算; the leftover fen to the largest remainders), or from the unallocated pool
    /// when the project is compound-wide; linked to the project and the matter that approved it,
    /// and refused beyond the first-draw 30%, the 90% before review and the reviewed amount.
    pub async fn draw_for_project(
        &self,
        compound: &str,
        project: &str,
        amount: Money,
        on: Date,
        memo: &str,
        actor: Actor<'_>,
    ) -> Result<Posted> {
        if amount.fen() <= 0 {
            return R::NotPositive { field: "amount".into(), amount }.err();
        }
        let w = self
            .works_contracts(compound)
            .await?
            .into_iter()
            .find(|w| w.project == project)
            .ok_or_else(|| R::UnknownProject { project: project.into() }.refused())?;
        let building = match self.project(compound, project).await.ok().map(|p| p.scope) {
            Some(gongzhi_core::Scope::Building(b) | gongzhi_core::Scope::Stairwell(b, _)) => Some(b),
            _ => None,
        };
        let from = match &building {
            Some(b) => by_area(&self.registry(compound).await?, b, amount),
            None => vec![(FundPart::Pool, amount)],
        };
        let mut d = gongzhi_core::funds::fund::draw_draft(on, project, &w.matter, &from).memo(memo.trim());
        if let Some(b) = building {
            d = d.building(b);
        }
        self.post_funds(compound, d, actor).await
    }
}

/// `amount` split over a building's households by area, exactly: shares add up to the fen.
pub fn by_area(
    registry: &gongzhi_core::registry::Registry,
    building: &BuildingNo,
    amount: Money,
) -> Vec<(FundPart, Money)> {
    let units: Vec<_> = registry.units.iter().filter(|u| &u.building == building).collect();
    let total: i128 = units.iter().map(|u| i128::from(u.area.e4())).sum();
    if total == 0 {
        return vec![(FundPart::Building(building.clone()), amount)];
    }
    let fen = i128::from(amount.fen());
    let mut shares: Vec<(usize, i64, i128)> = units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let exact = fen * i128::from(u.area.e4());
            (i, (exact / total) as i64, exact % total)
        })
        .collect();
    let mut left = amount.fen() - shares.iter().map(|s| s.1).sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].2.cmp(&shares[*a].2).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i].1 += 1;
        left -= 1;
    }
    shares.into_iter().map(|(i, f, _)| (FundPart::Household(units[i].no.clone()), Money::from_fen(f))).collect()
}

/// `2026H1` or `2026H2`.
pub fn is_half(s: &str) -> bool {
    let s = s.trim();
    s.len() == 6 && s[..4].bytes().all(|b| b.is_ascii_digit()) && matches!(&s[4..], "H1" | "H2")
}

fn summary(t: &Transaction) -> String {
    let link = t.link.as_ref().map(|l| format!(" link={l}")).unwrap_or_default();
    let parts: Vec<String> = t.postings.iter().map(|p| format!("{}={}", p.account, p.amount)).collect();
    format!("{} {}{link}", t.date, parts.join(" "))
}

async fn matter_status(conn: &mut AnyConnection, compound: &str, matter: &str) -> Result<MatterStatus> {
    let row = sqlx::query(
        "SELECT m.status, t.passed FROM matters m LEFT JOIN tallies t ON t.compound_id = m.compound_id \
         AND t.matter_id = m.id WHERE m.compound_id = $1 AND m.id = $2",
    )
    .bind(compound)
    .bind(matter)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        None => MatterStatus::Unknown,
        Some(r) => match (r.get::<String, _>(0).as_str(), r.get::<Option<i64>, _>(1)) {
            ("closed", Some(1)) => MatterStatus::Passed,
            ("closed", _) => MatterStatus::NotPassed,
            _ => MatterStatus::Undecided,
        },
    })
}

async fn authorisations(conn: &mut AnyConnection, compound: &str) -> Result<Vec<StandingAuthorisation>> {
    let rows = sqlx::query(
        "SELECT id, pays, cases, per_item, total, from_day, until_day FROM funds_authorisations \
         WHERE compound_id = $1 ORDER BY id",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StandingAuthorisation {
                id: r.get(0),
                pays: parse_pays(&r.get::<String, _>(1)).ok_or_else(|| corrupt("authorisation"))?,
                cases: r.get(2),
                per_item: Money::from_fen(r.get(3)),
                total: r.get::<Option<i64>, _>(4).map(Money::from_fen),
                from: day(&r.get::<String, _>(5))?,
                until: day(&r.get::<String, _>(6))?,
            })
        })
        .collect()
}

async fn contracts(conn: &mut AnyConnection, compound: &str) -> Result<Vec<WorksContract>> {
    let rows = sqlx::query(
        "SELECT project, matter, contract, reviewed FROM funds_contracts WHERE compound_id = $1 ORDER BY project",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| WorksContract {
            project: r.get(0),
            matter: r.get(1),
            contract: Money::from_fen(r.get(2)),
            reviewed: r.get::<Option<i64>, _>(3).map(Money::from_fen),
        })
        .collect())
}

/// The books from a connection (inside a write transaction, so that what is checked is what is
/// stored).
async fn load(conn: &mut AnyConnection, compound: &str, chart: Chart) -> Result<Ledger> {
    let mut ledger = Ledger::with_settings(chart, LedgerSettings::default());
    for a in authorisations(conn, compound).await? {
        ledger.authorise(a).map_err(|_| corrupt("authorisation"))?;
    }
    for w in contracts(conn, compound).await? {
        let reviewed = w.reviewed;
        let project = w.project.clone();
        ledger.record_contract(WorksContract { reviewed: None, ..w }).map_err(|_| corrupt("contract"))?;
        if let Some(r) = reviewed {
            ledger.record_review(&project, r).map_err(|_| corrupt("cost review"))?;
        }
    }
    let txs = sqlx::query(
        "SELECT id, day, building, memo, link, reverses, price_review FROM funds_transactions \
         WHERE compound_id = $1 ORDER BY id",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?;
    let postings =
        sqlx::query("SELECT tx_id, account, fen FROM funds_postings WHERE compound_id = $1 ORDER BY tx_id, seq")
            .bind(compound)
            .fetch_all(&mut *conn)
            .await?;
    let mut ps = postings.iter().peekable();
    for r in &txs {
        let id = r.get::<i64, _>(0);
        let mut mine = Vec::new();
        while let Some(p) = ps.next_if(|p| p.get::<i64, _>(0) == id) {
            mine.push(Posting {
                account: Account::parse(&p.get::<String, _>(1)).ok_or_else(|| corrupt("account"))?,
                amount: Money::from_fen(p.get(2)),
            });
        }
        let t = Transaction {
            id: id as TxId,
            date: day(&r.get::<String, _>(1))?,
            postings: mine,
            building: r
                .get::<Option<String>, _>(2)
                .map(|b| BuildingNo::parse(&b).ok_or_else(|| corrupt("building")))
                .transpose()?,
            memo: r.get(3),
            link: r.get::<Option<String>, _>(4).map(|l| Link::parse(&l).ok_or_else(|| corrupt("link"))).transpose()?,
            reverses: r.get::<Option<i64>, _>(5).map(|x| x as TxId),
            price_review: r.get::<i64, _>(6) == 1,
        };
        ledger.restore(t).map_err(|_| corrupt("transaction"))?;
    }
    Ok(ledger)
}
