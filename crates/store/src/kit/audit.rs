//! The audit log: every change of state appended with who, when and what, hash-chained per
//! compound so that an altered or missing entry is found by `gongzhi audit verify`.

use crate::{Result, Store, now_ms};
use gongzhi_core::kit::KitRefusal;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so no two entries collide.
pub fn entry_hash(prev: &str, seq: i64, at: i64, actor: &str, action: &str, subject: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), &at.to_string(), actor, action, subject, detail] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry to append.
#[derive(Clone, Debug)]
pub(crate) struct AuditNew {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Appends an entry inside the caller's transaction. The compound row's lock orders appends, so
/// two servers never write the same sequence number.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    compound: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    let entry = AuditNew { actor: actor.into(), action: action.into(), subject: subject.into(), detail: detail.into() };
    append_many(conn, compound, std::slice::from_ref(&entry)).await
}

/// Rows per INSERT statement (nine values each, well under SQLite's limit of bound values).
const INSERT_ROWS: usize = 100;

/// Appends entries in order inside the caller's transaction: one update takes their sequence
/// numbers under the compound row's lock, the rows go in by the hundred, one update moves the head.
pub(crate) async fn append_many(conn: &mut AnyConnection, compound: &str, entries: &[AuditNew]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    for e in entries {
        debug_assert!(
            gongzhi_core::audit_action_declared(&e.action),
            "audit action {} is not declared in its process's policy (AUDIT_ACTIONS)",
            e.action
        );
    }
    let row =
        sqlx::query("UPDATE compounds SET audit_seq = audit_seq + $1 WHERE id = $2 RETURNING audit_seq, audit_head")
            .bind(entries.len() as i64)
            .bind(compound)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| KitRefusal::NotFound.refused())?;
    let (last, mut prev): (i64, String) = (row.get(0), row.get(1));
    let at = now_ms();
    let mut seq = last - entries.len() as i64;
    for chunk in entries.chunks(INSERT_ROWS) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 9;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (compound_id, seq, at, actor, action, subject, detail, prev_hash, hash) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for e in chunk {
            seq += 1;
            let hash = entry_hash(&prev, seq, at, &e.actor, &e.action, &e.subject, &e.detail);
            q = q
                .bind(compound.to_string())
                .bind(seq)
                .bind(at)
                .bind(e.actor.clone())
                .bind(e.action.clone())
                .bind(e.subject.clone())
                .bind(e.detail.clone())
                .bind(std::mem::replace(&mut prev, hash.clone()))
                .bind(hash);
        }
        q.execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE compounds SET audit_head = $1 WHERE id = $2")
        .bind(&prev)
        .bind(compound)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

gongzhi_core::refusals! {
    /// Where the chain breaks, naming the first altered or missing entry.
    pub enum Break {
        Missing { seq: i64 } = Conflict "audit.entry-missing",
            zh "第 {seq} 条记录缺失。",
            en "entry {seq} is missing";
        Altered { seq: i64 } = Conflict "audit.entry-altered",
            zh "第 {seq} 条记录被改动过（哈希值与内容不符）。",
            en "entry {seq} was altered (its hash does not match its contents)";
        Relinked { seq: i64, prev: i64 } = Conflict "audit.entry-relinked",
            zh "第 {seq} 条记录没有接在第 {prev} 条之后（与上一条哈希的链接不对）。",
            en "entry {seq} does not follow entry {prev} (its link to the previous hash is wrong)";
        Truncated { last: i64, head: i64 } = Conflict "audit.entries-truncated",
            zh "第 {last} 条之后的记录缺失（链头是第 {head} 条）。",
            en "entries after {last} are missing (the chain's head is entry {head})";
        Unreadable { seq: i64 } = Conflict "audit.entry-unreadable",
            zh "第 {seq} 条记录无法读取（存储的值已被改成别的类型）。",
            en "entry {seq} cannot be read (its stored values were changed to another type)";
        BallotsChanged { matter: String } = Conflict "audit.ballots-changed",
            zh "已结束的表决“{matter}”的表决票与结束时封存的摘要不符：表决票在结束后被改动过。",
            en "the ballots of the closed vote {matter} no longer match the digest sealed when it closed: they were changed after closing";
        ResultChanged { matter: String } = Conflict "audit.result-changed",
            zh "已结束的表决“{matter}”重新计票的结果与公布的结果不符。",
            en "recounting the closed vote {matter} does not give the published result";
        AnchorMissing { anchor: String } = Conflict "audit.anchor-missing",
            zh "打印公布的锚点 {anchor} 不在审计链中：链在公布之后被重写或清空过。",
            en "the printed anchor {anchor} is not in the audit chain: it was rewritten or wiped after the anchor was posted";
    }
}

impl Store {
    /// The compound's log, in order; an entry whose stored values cannot be read (a column
    /// altered to another type) ends the list as `Err(seq)` instead of failing the whole read.
    pub async fn audit_log(&self, compound: &str) -> Result<(Vec<Entry>, Option<i64>)> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log WHERE compound_id = $1 ORDER BY seq",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let read = || -> std::result::Result<Entry, sqlx::Error> {
                Ok(Entry {
                    seq: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    subject: r.try_get(4)?,
                    detail: r.try_get(5)?,
                    prev_hash: r.try_get(6)?,
                    hash: r.try_get(7)?,
                })
            };
            match read() {
                Ok(e) => out.push(e),
                Err(_) => {
                    let seq = out.last().map_or(1, |e: &Entry| e.seq + 1);
                    return Ok((out, Some(seq)));
                }
            }
        }
        Ok((out, None))
    }

    /// The compound's log, in order, as far as it can be read.
    pub async fn audit_entries(&self, compound: &str) -> Result<Vec<Entry>> {
        Ok(self.audit_log(compound).await?.0)
    }

    /// The entry a printed anchor (`HASH@DATE`: at least 12 hex digits of an entry's hash, and its
    /// Shanghai date) names, if the log still holds it.
    pub async fn find_anchor(&self, compound: &str, anchor: &str) -> Result<Option<Entry>> {
        let Some((hash, date)) = anchor.trim().split_once('@') else { return Ok(None) };
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() < 12 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let found = self.audit_entries(compound).await?.into_iter().find(|e| e.hash.starts_with(&hash));
        Ok(found.filter(|e| gongzhi_core::time::date(e.at) == date.trim()))
    }

    /// Checks a compound's chain from the first entry to the head; returns the number of entries.
    pub async fn audit_verify(&self, compound: &str) -> Result<std::result::Result<i64, Break>> {
        let (head_seq, head): (i64, String) = {
            let r = sqlx::query("SELECT audit_seq, audit_head FROM compounds WHERE id = $1")
                .bind(compound)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| KitRefusal::NotFound.refused())?;
            (r.get(0), r.get(1))
        };
        let (entries, unreadable) = self.audit_log(compound).await?;
        if let Some(seq) = unreadable {
            return Ok(Err(Break::Unreadable { seq }));
        }
        let mut prev = String::new();
        let mut expected = 1;
        for e in &entries {
            if e.seq != expected {
                return Ok(Err(Break::Missing { seq: expected }));
            }
            if entry_hash(&e.prev_hash, e.seq, e.at, &e.actor, &e.action, &e.subject, &e.detail) != e.hash {
                return Ok(Err(Break::Altered { seq: e.seq }));
            }
            if e.prev_hash != prev {
                return Ok(Err(Break::Relinked { seq: e.seq, prev: e.seq - 1 }));
            }
            prev = e.hash.clone();
            expected += 1;
        }
        let last = expected - 1;
        if last != head_seq || prev != head {
            return Ok(Err(Break::Truncated { last, head: head_seq }));
        }
        Ok(Ok(last))
    }
}
