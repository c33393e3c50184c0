//! Quarters booked (the transfer and the top-up at the covenant's rate) and statements posted,
//! owners told and the reminder withdrawn; the half-yearly fund statements; the annual audit.

use super::{
    AuditRecord, STATEMENT_DUE, STATEMENT_OVERDUE, STATEMENT_POSTED, StatementRecord, corrupt, day, insert_tx, is_half,
    load, opt_day, owners,
};
use crate::accounts::channels::{Deadline, cancel_deadline, schedule_deadline};
use crate::kit::audit::append;
use crate::{Actor, Result, Store};
use gongzhi_core::funds::{Chart, FundsRefusal as R, Quarter, Statement, TxId};
use jiff::civil::Date;
use sqlx::Row;

impl Store {
    /// Books a quarter once it has ended: the net moved to the public-revenue sub-account and the
    /// covenant's share of it added to the maintenance fund, dated `on`. Audited.
    pub async fn book_quarter(&self, compound: &str, q: Quarter, on: Date, actor: Actor<'_>) -> Result<Statement> {
        if on <= q.last_day() {
            return R::QuarterNotOver { quarter: q.to_string(), last_day: q.last_day().to_string() }.err();
        }
        let rate = self.funds_rate(compound).await?.ok_or_else(|| R::NoRate.refused())?;
        let chart = Chart::of(&self.registry(compound).await?);
        let mut tx = self.begin_write().await?;
        let period = q.to_string();
        let booked: Option<(Option<i64>, Option<i64>)> =
            sqlx::query("SELECT transfer_tx, top_up_tx FROM funds_statements WHERE compound_id = $1 AND period = $2")
                .bind(compound)
                .bind(&period)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| (r.get(0), r.get(1)));
        if booked.is_some_and(|(a, b)| a.is_some() || b.is_some()) {
            return R::QuarterBooked { quarter: period }.err();
        }
        let mut ledger = load(&mut tx, compound, chart).await?;
        let s = Statement::of(&ledger, q, rate);
        let now = crate::now_ms();
        let mut ids = [None, None];
        for (i, d) in [s.transfer_draft(on), s.top_up_draft(on)].into_iter().enumerate() {
            let Some(d) = d else { continue };
            let p = ledger.post(d, None)?;
            let t = ledger.get(p.id).cloned().ok_or_else(|| corrupt("transaction"))?;
            insert_tx(&mut tx, compound, &t, actor.login, now).await?;
            ids[i] = Some(p.id as i64);
        }
        sqlx::query("DELETE FROM funds_statements WHERE compound_id = $1 AND period = $2")
            .bind(compound)
            .bind(&period)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO funds_statements (compound_id, period, rate, transfer_tx, top_up_tx, booked_on) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(compound)
        .bind(&period)
        .bind(rate.to_string())
        .bind(ids[0])
        .bind(ids[1])
        .bind(on.to_string())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "funds.book-quarter", &period, &format!("top_up={}", s.top_up)).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Posts a period's statement on a day (a quarter once booked, or a half-year's fund
    /// statement): the owners are told, the reminder and flag withdrawn. Audited.
    pub async fn post_funds_statement(&self, compound: &str, period: &str, on: Date, actor: Actor<'_>) -> Result<()> {
        let period = period.trim().to_ascii_uppercase();
        let is_quarter = Quarter::parse(&period).is_ok();
        if !is_quarter && !is_half(&period) {
            return R::BadPeriod { value: period }.err();
        }
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT booked_on, posted_on FROM funds_statements WHERE compound_id = $1 AND period = $2")
                .bind(compound)
                .bind(&period)
                .fetch_optional(&mut *tx)
                .await?;
        let (booked, posted): (Option<String>, Option<String>) = row.map(|r| (r.get(0), r.get(1))).unwrap_or_default();
        if let Some(p) = posted {
            return R::StatementPosted { period, on: p }.err();
        }
        if is_quarter && booked.is_none() {
            return R::QuarterNotBooked { quarter: period }.err();
        }
        sqlx::query("DELETE FROM funds_statements WHERE compound_id = $1 AND period = $2 AND booked_on IS NULL")
            .bind(compound)
            .bind(&period)
            .execute(&mut *tx)
            .await?;
        if is_quarter {
            sqlx::query(
                "UPDATE funds_statements SET posted_on = $1, posted_by = $2 WHERE compound_id = $3 AND period = $4",
            )
            .bind(on.to_string())
            .bind(actor.login)
            .bind(compound)
            .bind(&period)
            .execute(&mut *tx)
            .await?;
            cancel_deadline(&mut tx, compound, &period, STATEMENT_DUE).await?;
            cancel_deadline(&mut tx, compound, &period, STATEMENT_OVERDUE).await?;
        } else {
            sqlx::query(
                "INSERT INTO funds_statements (compound_id, period, posted_on, posted_by) VALUES ($1, $2, $3, $4)",
            )
            .bind(compound)
            .bind(&period)
            .bind(on.to_string())
            .bind(actor.login)
            .execute(&mut *tx)
            .await?;
        }
        let people = owners(&mut tx, compound).await?;
        let (what_zh, link) = if is_quarter {
            (format!("{period} 公共收益收支情况"), format!("/funds/quarters/{period}"))
        } else {
            (format!("{period} 维修资金收支情况"), "/funds/fund".to_string())
        };
        let d = Deadline {
            about: &period,
            kind: STATEMENT_POSTED,
            key: &format!("statement:{period}:posted"),
            due_at: crate::now_ms(),
            subject: format!("{what_zh}已公布"),
            body: format!("业委会已公布{what_zh}，您可以在共治中查看小区和本楼的数据：{link}"),
            people: &people,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        append(&mut tx, compound, actor.login, "funds.post-statement", &period, &on.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every statement kept, by period.
    pub async fn funds_statements(&self, compound: &str) -> Result<Vec<StatementRecord>> {
        let rows = sqlx::query(
            "SELECT period, rate, transfer_tx, top_up_tx, booked_on, posted_on, posted_by FROM funds_statements \
             WHERE compound_id = $1 ORDER BY period",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatementRecord {
                    period: r.get(0),
                    rate: r.get(1),
                    transfer_tx: r.get::<Option<i64>, _>(2).map(|i| i as TxId),
                    top_up_tx: r.get::<Option<i64>, _>(3).map(|i| i as TxId),
                    booked_on: opt_day(r.get(4))?,
                    posted_on: opt_day(r.get(5))?,
                    posted_by: r.get(6),
                })
            })
            .collect()
    }

    /// Records a year's audit: the firm appointed (its appointment posted on a day), then, when
    /// they come, the results received and posted. Audited.
    pub async fn put_funds_audit(&self, compound: &str, a: &AuditRecord, actor: Actor<'_>) -> Result<()> {
        if a.firm.trim().is_empty() {
            return R::BadField { field: "firm".into(), reason: "name the accounting firm".into() }.err();
        }
        if !(2000..=2100).contains(&a.year) {
            return R::BadField { field: "year".into(), reason: "a year between 2000 and 2100".into() }.err();
        }
        if a.results_posted_on.is_some() && a.results_received_on.is_none()
            || a.results_received_on.zip(a.results_posted_on).is_some_and(|(r, p)| p < r)
        {
            return R::BadField {
                field: "results_posted_on".into(),
                reason: "results are posted on or after the day they were received".into(),
            }
            .err();
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM funds_audits WHERE compound_id = $1 AND year = $2")
            .bind(compound)
            .bind(i64::from(a.year))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO funds_audits (compound_id, year, firm, appointment_posted_on, results_received_on, results_posted_on) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(compound)
        .bind(i64::from(a.year))
        .bind(a.firm.trim())
        .bind(a.appointment_posted_on.to_string())
        .bind(a.results_received_on.map(|d| d.to_string()))
        .bind(a.results_posted_on.map(|d| d.to_string()))
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "funds.audit", &a.year.to_string(), a.firm.trim()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn funds_audits(&self, compound: &str) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT year, firm, appointment_posted_on, results_received_on, results_posted_on FROM funds_audits \
             WHERE compound_id = $1 ORDER BY year",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRecord {
                    year: r.get::<i64, _>(0) as i16,
                    firm: r.get(1),
                    appointment_posted_on: day(&r.get::<String, _>(2))?,
                    results_received_on: opt_day(r.get(3))?,
                    results_posted_on: opt_day(r.get(4))?,
                })
            })
            .collect()
    }
}
