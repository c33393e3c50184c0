//! Matters, their frozen rolls, ballots, deliveries and tallies.

use crate::kit::audit::append;
use crate::registry::unit_from_row;
use crate::{Actor, Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::MatterStatus;
use gongzhi_core::voting::{Marks, VotingRefusal};
use gongzhi_core::{Ballot, Channel, Choice, MatterKind, OwnerKey, Scope, Unit, UnitNo};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMatter {
    pub title: String,
    pub body: String,
    pub kind: MatterKind,
    pub scope: Scope,
    pub deemed_clause: bool,
    /// Whether an owner may change their online ballot before closing.
    pub allow_change: bool,
    /// The planned voting window (UTC milliseconds), shown on the notice.
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matter {
    pub id: String,
    pub title: String,
    pub body: String,
    pub kind: MatterKind,
    pub scope: Scope,
    pub status: MatterStatus,
    pub deemed_clause: bool,
    pub allow_change: bool,
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    pub notice_at: Option<i64>,
    /// The end first announced, when the window has since been extended.
    pub first_window_end: Option<i64>,
    pub window_extended_at: Option<i64>,
    /// How many names a ballot may approve when the matter is put as a slate (0: a choice).
    pub slate_places: u32,
    pub ballots_cast: i64,
    pub created_at: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
}

const MATTER_COLS: &str = "id, title, body, kind, scope, status, deemed_clause, ballots_cast, created_at, opened_at, \
                           closed_at, allow_change, window_start, window_end, notice_at, first_window_end, \
                           window_extended_at, slate_places";

fn matter_from_row(r: &sqlx::any::AnyRow) -> Result<Matter> {
    let corrupt = |what: &str| StoreError::Io(format!("stored matter {what} is not valid"));
    Ok(Matter {
        id: r.get(0),
        title: r.get(1),
        body: r.get(2),
        kind: MatterKind::parse(&r.get::<String, _>(3)).ok_or_else(|| corrupt("kind"))?,
        scope: Scope::parse(&r.get::<String, _>(4)).ok_or_else(|| corrupt("scope"))?,
        status: MatterStatus::parse(&r.get::<String, _>(5)).ok_or_else(|| corrupt("status"))?,
        deemed_clause: r.get::<i64, _>(6) == 1,
        ballots_cast: r.get(7),
        created_at: r.get(8),
        opened_at: r.get(9),
        closed_at: r.get(10),
        allow_change: r.get::<i64, _>(11) == 1,
        window_start: r.get(12),
        window_end: r.get(13),
        notice_at: r.get(14),
        first_window_end: r.get(15),
        window_extended_at: r.get(16),
        slate_places: r.get::<i64, _>(17) as u32,
    })
}

/// A receipt an owner can find later on the published list: 16 random hex digits in groups.
pub(crate) fn receipt() -> String {
    let hex = uuid::Uuid::now_v7().simple().to_string();
    let r = &hex[16..];
    format!("{}-{}-{}-{}", &r[0..4], &r[4..8], &r[8..12], &r[12..16]).to_uppercase()
}

/// Frozen rolls already read (see [`Store::roll`]), by (compound, matter).
#[derive(Default)]
struct RollCache(std::sync::Mutex<Rolls>);

/// The frozen rolls read so far, by (compound, matter).
type Rolls = std::collections::HashMap<(String, String), Arc<Vec<Unit>>>;

/// How many frozen rolls a server keeps in memory (a compound has a few open matters at a time).
const ROLLS_KEPT: usize = 256;

/// Refuses a unit that is not on the matter's roll, saying whether it is outside the scope or
/// not in the register at all.
pub(crate) async fn check_on_roll(conn: &mut AnyConnection, compound: &str, matter: &str, unit: &UnitNo) -> Result<()> {
    let on_roll: Option<i64> =
        sqlx::query_scalar("SELECT floor FROM roll_entries WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3")
            .bind(compound)
            .bind(matter)
            .bind(unit.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    if on_roll.is_some() {
        return Ok(());
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT floor FROM units WHERE compound_id = $1 AND unit_no = $2")
        .bind(compound)
        .bind(unit.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let scope: Option<String> = sqlx::query_scalar("SELECT scope FROM matters WHERE compound_id = $1 AND id = $2")
        .bind(compound)
        .bind(matter)
        .fetch_optional(&mut *conn)
        .await?;
    let unit = unit.to_string();
    match (exists, scope.as_deref().and_then(Scope::parse)) {
        (Some(_), Some(scope)) => VotingRefusal::UnitOutsideScope { unit, scope }.err(),
        _ => VotingRefusal::UnitNotInRegister { unit }.err(),
    }
}

/// A slate matter's names in the slate's order.
pub(crate) async fn slate_of(conn: &mut AnyConnection, compound: &str, matter: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM matter_slates WHERE compound_id = $1 AND matter_id = $2 ORDER BY position")
        .bind(compound)
        .bind(matter)
        .fetch_all(&mut *conn)
        .await?)
}

/// Puts a draft matter to the owners as a slate of `names`, each ballot approving up to `places`
/// of them (replacing any slate it had), inside the caller's transaction.
pub(crate) async fn set_slate(
    conn: &mut AnyConnection,
    compound: &str,
    matter: &str,
    names: &[String],
    places: u32,
) -> Result<()> {
    let row = sqlx::query("SELECT status, title FROM matters WHERE compound_id = $1 AND id = $2")
        .bind(compound)
        .bind(matter)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return VotingRefusal::MatterNotFound { matter: matter.into() }.err() };
    if row.get::<String, _>(0) != "draft" {
        return VotingRefusal::SlateFixed { matter: row.get(1) }.err();
    }
    sqlx::query("DELETE FROM matter_slates WHERE compound_id = $1 AND matter_id = $2")
        .bind(compound)
        .bind(matter)
        .execute(&mut *conn)
        .await?;
    for (i, name) in names.iter().enumerate() {
        sqlx::query("INSERT INTO matter_slates (compound_id, matter_id, position, name) VALUES ($1, $2, $3, $4)")
            .bind(compound)
            .bind(matter)
            .bind(i as i64)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE matters SET slate_places = $1 WHERE compound_id = $2 AND id = $3")
        .bind(i64::from(places))
        .bind(compound)
        .bind(matter)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Inserts a draft matter inside the caller's transaction; returns its id.
pub(crate) async fn insert_matter(conn: &mut AnyConnection, compound: &str, m: &NewMatter) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO matters (compound_id, id, title, body, kind, scope, status, deemed_clause, allow_change, \
         window_start, window_end, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11)",
    )
    .bind(compound)
    .bind(&id)
    .bind(m.title.trim())
    .bind(&m.body)
    .bind(m.kind.as_str())
    .bind(m.scope.to_string())
    .bind(m.deemed_clause as i64)
    .bind(m.allow_change as i64)
    .bind(m.window_start)
    .bind(m.window_end)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

impl Store {
    /// Refuses a scope that names a building or stairwell the compound does not have.
    pub async fn check_scope(&self, compound: &str, scope: &Scope) -> Result<()> {
        let (filter, args): (&str, Vec<&str>) = match scope {
            Scope::Compound => return Ok(()),
            Scope::Building(b) => (" AND building_no = $2", vec![b.as_str()]),
            Scope::Stairwell(b, s) => (" AND building_no = $2 AND stairwell_no = $3", vec![b.as_str(), s.as_str()]),
        };
        // `filter` is one of two constant strings; values are bound
        let sql = format!("SELECT COUNT(*) FROM units WHERE compound_id = $1{filter}");
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)).bind(compound);
        for a in args {
            q = q.bind(a);
        }
        if q.fetch_one(&self.pool).await? == 0 {
            return gongzhi_core::registry::RegistryRefusal::ScopeNotInCompound { scope: scope.to_string() }.err();
        }
        Ok(())
    }

    pub async fn create_matter(&self, compound: &str, m: &NewMatter, actor: Actor<'_>) -> Result<Matter> {
        if m.title.trim().is_empty() {
            return VotingRefusal::TitleMissing.err();
        }
        if let (Some(a), Some(b)) = (m.window_start, m.window_end)
            && b <= a
        {
            return VotingRefusal::WindowOrder.err();
        }
        self.check_scope(compound, &m.scope).await?;
        let mut tx = self.begin_write().await?;
        let id = insert_matter(&mut tx, compound, m).await?;
        append(&mut tx, compound, actor.login, "matter.create", &id, &format!("kind={} scope={}", m.kind, m.scope))
            .await?;
        tx.commit().await?;
        self.matter(compound, &id).await
    }

    /// Rewrites a draft (nothing is promised to anyone before its notice is posted).
    pub async fn update_draft(&self, compound: &str, id: &str, m: &NewMatter, actor: Actor<'_>) -> Result<Matter> {
        if m.title.trim().is_empty() {
            return VotingRefusal::TitleMissing.err();
        }
        if let (Some(a), Some(b)) = (m.window_start, m.window_end)
            && b <= a
        {
            return VotingRefusal::WindowOrder.err();
        }
        self.check_scope(compound, &m.scope).await?;
        let was = self.matter(compound, id).await?;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE matters SET title = $1, body = $2, kind = $3, scope = $4, deemed_clause = $5, allow_change = $6, \
             window_start = $7, window_end = $8 WHERE compound_id = $9 AND id = $10 AND status = 'draft'",
        )
        .bind(m.title.trim())
        .bind(&m.body)
        .bind(m.kind.as_str())
        .bind(m.scope.to_string())
        .bind(m.deemed_clause as i64)
        .bind(m.allow_change as i64)
        .bind(m.window_start)
        .bind(m.window_end)
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return VotingRefusal::OnlyDraftsChange { matter: was.title, status: was.status }.err();
        }
        append(&mut tx, compound, actor.login, "matter.edit", id, &format!("kind={} scope={}", m.kind, m.scope))
            .await?;
        tx.commit().await?;
        self.matter(compound, id).await
    }

    /// Deletes a draft and its attachments; a posted matter is on the record and stays.
    pub async fn delete_draft(&self, compound: &str, id: &str, actor: Actor<'_>) -> Result<()> {
        let was = self.matter(compound, id).await?;
        if was.status != MatterStatus::Draft {
            return VotingRefusal::OnlyDraftsChange { matter: was.title, status: was.status }.err();
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM attachments WHERE compound_id = $1 AND matter_id = $2")
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let gone = sqlx::query("DELETE FROM matters WHERE compound_id = $1 AND id = $2 AND status = 'draft'")
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return VotingRefusal::ChangedMeanwhile { matter: was.title }.err();
        }
        append(&mut tx, compound, actor.login, "matter.delete", id, &was.title).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn matter(&self, compound: &str, id: &str) -> Result<Matter> {
        let r =
            sqlx::query(AssertSqlSafe(format!("SELECT {MATTER_COLS} FROM matters WHERE compound_id = $1 AND id = $2")))
                .bind(compound)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| VotingRefusal::MatterNotFound { matter: id.to_string() }.refused())?;
        matter_from_row(&r)
    }

    pub async fn matters(&self, compound: &str) -> Result<Vec<Matter>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {MATTER_COLS} FROM matters WHERE compound_id = $1 ORDER BY created_at, id"
        )))
        .bind(compound)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(matter_from_row)
        .collect()
    }

    /// Moves the end of a matter's voting window to `new_end` (UTC ms, the last moment of its last
    /// day). A draft's window is still being written and may change either way; once the notice
    /// is posted the window is a promise and may only be extended. The first announced end is
    /// kept, and the extension is in the audit chain.
    pub async fn extend_window(&self, compound: &str, id: &str, new_end: i64, actor: Actor<'_>) -> Result<Matter> {
        let m = self.matter(compound, id).await?;
        match m.status {
            MatterStatus::Closed => {
                return VotingRefusal::OnlyOpenCloses { matter: m.title, status: m.status }.err();
            }
            MatterStatus::Draft => {}
            MatterStatus::Notice | MatterStatus::Open => {
                if let Some(end) = m.window_end
                    && new_end <= end
                {
                    return VotingRefusal::WindowNotLater { ends: gongzhi_core::time::date(end) }.err();
                }
            }
        }
        if let Some(start) = m.window_start
            && new_end <= start
        {
            return VotingRefusal::WindowOrder.err();
        }
        let extended = m.status != MatterStatus::Draft && m.window_end.is_some();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE matters SET window_end = $1, \
             first_window_end = CASE WHEN $2 = 1 THEN COALESCE(first_window_end, window_end) ELSE first_window_end END, \
             window_extended_at = CASE WHEN $2 = 1 THEN $3 ELSE window_extended_at END \
             WHERE compound_id = $4 AND id = $5 AND status = $6",
        )
        .bind(new_end)
        .bind(extended as i64)
        .bind(now_ms())
        .bind(compound)
        .bind(id)
        .bind(m.status.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return VotingRefusal::ChangedMeanwhile { matter: m.title }.err();
        }
        let from = m.window_end.map(gongzhi_core::time::date).unwrap_or_default();
        let mut detail = format!("from={from} to={}", gongzhi_core::time::date(new_end));
        if m.status == MatterStatus::Open {
            // the scheduled reminders follow the new end
            let n = super::reminders::schedule_vote_reminders(
                &mut tx,
                compound,
                id,
                &m.title,
                Some(new_end),
                now_ms(),
                false,
            )
            .await?;
            detail.push_str(&format!(" reminders={n}"));
        }
        append(&mut tx, compound, actor.login, if extended { "matter.extend" } else { "matter.window" }, id, &detail)
            .await?;
        tx.commit().await?;
        self.matter(compound, id).await
    }

    /// Posts the matter's public notice (公示) as of `at`; voting may open once it has stood for
    /// the compound's `notice_days`.
    pub async fn post_notice(&self, compound: &str, id: &str, actor: Actor<'_>, at: i64) -> Result<Matter> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE matters SET status = 'notice', notice_at = $1 WHERE compound_id = $2 AND id = $3 AND status = 'draft'",
        )
        .bind(at)
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let m = self.matter(compound, id).await?;
            return VotingRefusal::OnlyDraftNotice { matter: m.title, status: m.status }.err();
        }
        append(&mut tx, compound, actor.login, "matter.notice", id, "").await?;
        tx.commit().await?;
        self.matter(compound, id).await
    }

    /// Opens voting once the notice has stood long enough: freezes the electoral roll (the
    /// scope's units, areas and owners now) in the same transaction that changes the status.
    pub async fn open_matter(&self, compound: &str, id: &str, actor: Actor<'_>) -> Result<Matter> {
        self.open_matter_at(compound, id, actor, now_ms()).await
    }

    /// [`Store::open_matter`] as of `now` (UTC ms): the notice period is counted against it.
    pub async fn open_matter_at(&self, compound: &str, id: &str, actor: Actor<'_>, now: i64) -> Result<Matter> {
        let m = self.matter(compound, id).await?;
        match (m.status, self.notice_period(compound, &m).await?) {
            (MatterStatus::Notice, Some(p)) if p.has_run(now) => {}
            (MatterStatus::Notice, Some(p)) => {
                return VotingRefusal::NoticeStanding {
                    matter: m.title,
                    days: i64::from(self.voting_settings(compound).await?.notice_days),
                    ends: format!("{} 24:00", p.last_day),
                    days_left: p.days_left(now),
                }
                .err();
            }
            (s, _) => return VotingRefusal::NoticeFirst { matter: m.title, status: s }.err(),
        }
        match m.window_end {
            None => return VotingRefusal::WindowMissing { matter: m.title }.err(),
            Some(end) if end < now => {
                return VotingRefusal::WindowPassed { matter: m.title, ended: gongzhi_core::time::date(end) }.err();
            }
            Some(_) => {}
        }
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE matters SET status = 'open', opened_at = $1 WHERE compound_id = $2 AND id = $3 AND status = 'notice'",
        )
        .bind(now)
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return VotingRefusal::ChangedMeanwhile { matter: m.title.clone() }.err();
        }
        let (filter, args): (&str, Vec<&str>) = match &m.scope {
            Scope::Compound => ("", vec![]),
            Scope::Building(b) => (" AND u.building_no = $3", vec![b.as_str()]),
            Scope::Stairwell(b, s) => (" AND u.building_no = $3 AND u.stairwell_no = $4", vec![b.as_str(), s.as_str()]),
        };
        let sql = format!(
            "INSERT INTO roll_entries (compound_id, matter_id, unit_no, building_no, stairwell_no, floor, area_e4, owner_key, owner_name) \
             SELECT u.compound_id, $2, u.unit_no, u.building_no, u.stairwell_no, u.floor, u.area_e4, o.owner_key, o.name \
             FROM units u JOIN owners o ON o.compound_id = u.compound_id AND o.id = u.owner_id \
             WHERE u.compound_id = $1{filter}"
        );
        // `filter` is one of three constant strings; values are bound
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(compound).bind(id);
        for a in args {
            q = q.bind(a);
        }
        let n = q.execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return VotingRefusal::EmptyScope { scope: m.scope.clone() }.err();
        }
        // the news that voting has opened, then reminders 7, 3 and 1 days before the window
        // ends, to whoever has not voted by then
        let reminders =
            super::reminders::schedule_vote_reminders(&mut tx, compound, id, &m.title, m.window_end, now, true).await?;
        append(&mut tx, compound, actor.login, "matter.open", id, &format!("roll_units={n} reminders={reminders}"))
            .await?;
        tx.commit().await?;
        if self.backend == crate::Backend::Postgres {
            // Voting starts now, before autovacuum has looked at the new roll: without statistics
            // PostgreSQL plans a ballot's look-ups as scans of the roll (0.5 ms instead of 0.05).
            // Only a hint to the planner: the matter is open whether or not it succeeds.
            let _ = sqlx::query("ANALYZE roll_entries").execute(&self.pool).await;
        }
        self.matter(compound, id).await
    }

    /// The frozen roll of an opened matter (empty before it opens). A frozen roll never changes,
    /// so once read it is kept in memory: every server reads the same rows, and nothing another
    /// server needs lives only here.
    pub async fn roll(&self, compound: &str, matter: &str) -> Result<Arc<Vec<Unit>>> {
        let key = (compound.to_string(), matter.to_string());
        let cache = self.slot::<RollCache>();
        if let Some(r) = cache.0.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(r.clone());
        }
        let roll: Vec<Unit> = sqlx::query(
            "SELECT unit_no, building_no, stairwell_no, floor, area_e4, owner_key FROM roll_entries \
             WHERE compound_id = $1 AND matter_id = $2 ORDER BY LENGTH(building_no), building_no, stairwell_no, floor, unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| unit_from_row(r, OwnerKey::from_stored(r.get::<String, _>(5))))
        .collect::<Result<_>>()?;
        let roll = Arc::new(roll);
        // the roll is written in the transaction that opens the matter: rows seen mean it is frozen
        if !roll.is_empty() {
            let mut rolls = cache.0.lock().unwrap_or_else(|p| p.into_inner());
            if rolls.len() >= ROLLS_KEPT {
                rolls.clear();
            }
            rolls.insert(key, roll.clone());
        }
        Ok(roll)
    }

    /// The roll's owner names by unit (for the published roll and the follow-up list).
    pub async fn roll_names(&self, compound: &str, matter: &str) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT unit_no, owner_name FROM roll_entries WHERE compound_id = $1 AND matter_id = $2")
                .bind(compound)
                .bind(matter)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Records an online, paper or proxy ballot in one transaction with its audit entry; a
    /// second ballot for the unit is a conflict unless the matter allows an owner to change an
    /// online ballot, in which case the choice is replaced and the receipt kept.
    pub async fn cast_ballot(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        marks: impl Into<Marks>,
        channel: Channel,
        actor: Actor<'_>,
    ) -> Result<String> {
        let marks = marks.into();
        let ballot = crate::voting::ballots::BallotIn::new(compound, matter, unit, marks.clone(), channel, actor);
        match self.slot::<crate::voting::ballots::BallotQueue>().submit(self, ballot).await {
            Err(StoreError::Refused(r))
                if channel == Channel::Online
                    && matches!(r.downcast::<VotingRefusal>(), Some(VotingRefusal::AlreadyVoted { .. })) =>
            {
                // a matter that allows it lets the owner change their own online ballot
                let Marks::Choice(choice) = marks else { return Err(StoreError::Refused(r)) };
                match self.change_ballot(compound, matter, unit, choice, actor).await? {
                    Some(receipt) => Ok(receipt),
                    None => Err(StoreError::Refused(r)),
                }
            }
            other => other,
        }
    }

    /// Replaces an owner's own online ballot if the matter allows changes; None if it does not.
    async fn change_ballot(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        choice: Choice,
        actor: Actor<'_>,
    ) -> Result<Option<String>> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE ballots SET choice = $1, cast_at = $2 WHERE compound_id = $3 AND matter_id = $4 AND unit_no = $5 \
             AND channel = 'online' AND entered_by = $6 \
             AND EXISTS (SELECT 1 FROM matters m WHERE m.compound_id = $3 AND m.id = $4 AND m.status = 'open' AND m.allow_change = 1)",
        )
        .bind(choice.as_str())
        .bind(now_ms())
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(actor.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        let receipt: String = sqlx::query_scalar(
            "SELECT receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            compound,
            actor.login,
            "ballot.change",
            &format!("{matter}/{unit}"),
            &format!("receipt={receipt}"),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(receipt))
    }

    /// Records that a unit's ballot was delivered (proof: a signature, registered-mail number…).
    pub async fn record_delivery(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        proof: &str,
        actor: Actor<'_>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        check_on_roll(&mut tx, compound, matter, unit).await?;
        sqlx::query(
            "INSERT INTO deliveries (compound_id, matter_id, unit_no, delivered_at, proof) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(now_ms())
        .bind(proof)
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::on_unique(e, || VotingRefusal::DeliveryRecorded { unit: unit.to_string() }.refused()))?;
        append(&mut tx, compound, actor.login, "ballot.delivered", &format!("{matter}/{unit}"), proof).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn ballots(&self, compound: &str, matter: &str) -> Result<Vec<(Ballot, Channel, String)>> {
        let rows = sqlx::query(
            "SELECT unit_no, choice, channel, receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let bad = || StoreError::Io("stored ballot is not valid".into());
                Ok((
                    Ballot {
                        unit: UnitNo::parse(&r.get::<String, _>(0)).ok_or_else(bad)?,
                        choice: Choice::parse(&r.get::<String, _>(1)).ok_or_else(bad)?,
                        row: 0,
                    },
                    Channel::parse(&r.get::<String, _>(2)).ok_or_else(bad)?,
                    r.get(3),
                ))
            })
            .collect()
    }

    /// The units that have a ballot, without their choices (for turnout before closing).
    pub async fn voted_units(&self, compound: &str, matter: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT unit_no FROM ballots WHERE compound_id = $1 AND matter_id = $2")
            .bind(compound)
            .bind(matter)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Every receipt issued for a matter, sorted, so an owner can find theirs.
    pub async fn receipts(&self, compound: &str, matter: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY receipt")
            .bind(compound)
            .bind(matter)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The receipt of a unit's ballot, if it has one.
    /// A slate matter's names in order (empty for a matter given a choice).
    pub async fn slate(&self, compound: &str, matter: &str) -> Result<Vec<String>> {
        let mut conn = self.pool.acquire().await?;
        slate_of(&mut conn, compound, matter).await
    }

    /// Every ballot of a slate matter: the unit and the names it approves, in the slate's order
    /// (empty: a blank ballot). Only once the matter has closed: before, nobody sees a choice.
    pub async fn slate_ballots(&self, compound: &str, matter: &str) -> Result<Vec<(UnitNo, Vec<String>)>> {
        let rows = sqlx::query(
            "SELECT b.unit_no, b.approvals FROM ballots b JOIN matters m ON m.compound_id = b.compound_id AND m.id = b.matter_id \
             WHERE b.compound_id = $1 AND b.matter_id = $2 AND m.status = 'closed' ORDER BY b.unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let unit: String = r.get(0);
                let approvals: String = r.get(1);
                let unit =
                    UnitNo::parse(&unit).ok_or_else(|| StoreError::Io(format!("stored unit {unit} is not valid")))?;
                let names = approvals.split(';').filter(|n| !n.is_empty()).map(String::from).collect();
                Ok((unit, names))
            })
            .collect()
    }

    pub async fn receipt_for(&self, compound: &str, matter: &str, unit: &UnitNo) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3")
            .bind(compound)
            .bind(matter)
            .bind(unit.as_str())
            .fetch_optional(&self.pool)
            .await?)
    }
}
