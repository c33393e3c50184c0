//! Matters, their frozen rolls, ballots, deliveries and tallies.

use crate::registry::unit_from_row;
use crate::{Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::tally::{Delivery, tally};
use gongzhi_core::{
    Ballot, Channel, Choice, MatterKind, OwnerKey, Scope, Tally, TallyInput, Unit, UnitNo,
};
use sqlx::{AssertSqlSafe, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatterStatus {
    Draft,
    Notice,
    Open,
    Closed,
}

impl MatterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MatterStatus::Draft => "draft",
            MatterStatus::Notice => "notice",
            MatterStatus::Open => "open",
            MatterStatus::Closed => "closed",
        }
    }

    fn parse(s: &str) -> Result<MatterStatus> {
        Ok(match s {
            "draft" => MatterStatus::Draft,
            "notice" => MatterStatus::Notice,
            "open" => MatterStatus::Open,
            "closed" => MatterStatus::Closed,
            _ => return Err(StoreError::Io(format!("stored status '{s}' is not valid"))),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMatter {
    pub title: String,
    pub body: String,
    pub kind: MatterKind,
    pub scope: Scope,
    pub deemed_clause: bool,
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
    pub ballots_cast: i64,
    pub created_at: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
}

const MATTER_COLS: &str = "id, title, body, kind, scope, status, deemed_clause, ballots_cast, created_at, opened_at, closed_at";

fn matter_from_row(r: &sqlx::any::AnyRow) -> Result<Matter> {
    let corrupt = |what: &str| StoreError::Io(format!("stored matter {what} is not valid"));
    Ok(Matter {
        id: r.get(0),
        title: r.get(1),
        body: r.get(2),
        kind: MatterKind::parse(&r.get::<String, _>(3)).ok_or_else(|| corrupt("kind"))?,
        scope: Scope::parse(&r.get::<String, _>(4)).ok_or_else(|| corrupt("scope"))?,
        status: MatterStatus::parse(&r.get::<String, _>(5))?,
        deemed_clause: r.get::<i64, _>(6) == 1,
        ballots_cast: r.get(7),
        created_at: r.get(8),
        opened_at: r.get(9),
        closed_at: r.get(10),
    })
}

/// A receipt an owner can find later on the published list: 16 random hex digits in groups.
fn receipt() -> String {
    let hex = uuid::Uuid::now_v7().simple().to_string();
    let r = &hex[16..];
    format!("{}-{}-{}-{}", &r[0..4], &r[4..8], &r[8..12], &r[12..16]).to_uppercase()
}

impl Store {
    pub async fn create_matter(&self, compound: &str, m: &NewMatter) -> Result<Matter> {
        if m.title.trim().is_empty() {
            return Err(StoreError::BadInput("title: a matter needs a title".into()));
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO matters (compound_id, id, title, body, kind, scope, status, deemed_clause, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8)",
        )
        .bind(compound)
        .bind(&id)
        .bind(m.title.trim())
        .bind(&m.body)
        .bind(m.kind.as_str())
        .bind(m.scope.to_string())
        .bind(m.deemed_clause as i64)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        self.matter(compound, &id).await
    }

    pub async fn matter(&self, compound: &str, id: &str) -> Result<Matter> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT {MATTER_COLS} FROM matters WHERE compound_id = $1 AND id = $2"
        )))
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("matter {id}")))?;
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

    /// Opens voting: freezes the electoral roll (the scope's units, areas and owners now) in the
    /// same transaction that changes the status.
    pub async fn open_matter(&self, compound: &str, id: &str) -> Result<Matter> {
        let m = self.matter(compound, id).await?;
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE matters SET status = 'open', opened_at = $1 WHERE compound_id = $2 AND id = $3 AND status IN ('draft', 'notice')",
        )
        .bind(now_ms())
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(format!(
                "matter {id} is {} and cannot be opened",
                m.status.as_str()
            )));
        }
        let (filter, args): (&str, Vec<&str>) = match &m.scope {
            Scope::Compound => ("", vec![]),
            Scope::Building(b) => (" AND u.building_no = $3", vec![b.as_str()]),
            Scope::Stairwell(b, s) => (
                " AND u.building_no = $3 AND u.stairwell_no = $4",
                vec![b.as_str(), s.as_str()],
            ),
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
            return Err(StoreError::BadInput(format!(
                "scope {}: no units in the register for this scope",
                m.scope
            )));
        }
        tx.commit().await?;
        self.matter(compound, id).await
    }

    /// The frozen roll of an opened matter.
    pub async fn roll(&self, compound: &str, matter: &str) -> Result<Vec<Unit>> {
        sqlx::query(
            "SELECT unit_no, building_no, stairwell_no, floor, area_e4, owner_key FROM roll_entries \
             WHERE compound_id = $1 AND matter_id = $2 ORDER BY LENGTH(building_no), building_no, stairwell_no, floor, unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| unit_from_row(r, OwnerKey::from_stored(r.get::<String, _>(5))))
        .collect()
    }

    /// Records a ballot; the database's primary key makes a second ballot for the unit a
    /// conflict, and the matter's row lock orders it against closing.
    pub async fn cast_ballot(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        choice: Choice,
        channel: Channel,
    ) -> Result<String> {
        let mut tx = self.pool.begin().await?;
        let open = sqlx::query("UPDATE matters SET ballots_cast = ballots_cast + 1 WHERE compound_id = $1 AND id = $2 AND status = 'open'")
            .bind(compound)
            .bind(matter)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if open == 0 {
            let m = self.matter(compound, matter).await?;
            return Err(StoreError::Conflict(format!(
                "matter {matter} is {}, not open for voting",
                m.status.as_str()
            )));
        }
        let on_roll: Option<i64> =
            sqlx::query_scalar("SELECT floor FROM roll_entries WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3")
                .bind(compound)
                .bind(matter)
                .bind(unit.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if on_roll.is_none() {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT floor FROM units WHERE compound_id = $1 AND unit_no = $2",
            )
            .bind(compound)
            .bind(unit.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let m = self.matter(compound, matter).await?;
            return Err(StoreError::BadInput(match exists {
                Some(_) => format!(
                    "unit {unit} is outside the scope {} of this matter",
                    m.scope
                ),
                None => format!("unit {unit} is not in the register"),
            }));
        }
        let receipt = receipt();
        sqlx::query(
            "INSERT INTO ballots (compound_id, matter_id, unit_no, choice, channel, receipt, cast_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(choice.as_str())
        .bind(channel.as_str())
        .bind(&receipt)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::on_unique(e, || format!("unit {unit} already has a ballot on this matter")))?;
        tx.commit().await?;
        Ok(receipt)
    }

    /// Records that a unit's ballot was delivered (proof: a signature, registered-mail number…).
    pub async fn record_delivery(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        proof: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO deliveries (compound_id, matter_id, unit_no, delivered_at, proof) \
             SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM roll_entries WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(now_ms())
        .bind(proof)
        .execute(&self.pool)
        .await
        .map_err(|e| crate::on_unique(e, || format!("unit {unit}'s delivery is already recorded")))
        .and_then(|r| {
            if r.rows_affected() == 1 { Ok(()) } else { Err(StoreError::BadInput(format!("unit {unit} is not on this matter's roll"))) }
        })
    }

    pub async fn ballots(
        &self,
        compound: &str,
        matter: &str,
    ) -> Result<Vec<(Ballot, Channel, String)>> {
        let rows = sqlx::query("SELECT unit_no, choice, channel, receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY unit_no")
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

    /// The count as it stands (for a closed matter, the final result).
    pub async fn tally(&self, compound: &str, matter: &str) -> Result<Tally> {
        let m = self.matter(compound, matter).await?;
        if m.status == MatterStatus::Draft || m.status == MatterStatus::Notice {
            return Err(StoreError::Conflict(format!(
                "matter {matter} has not opened: there is no roll to count yet"
            )));
        }
        let roll = self.roll(compound, matter).await?;
        let ballots: Vec<Ballot> = self
            .ballots(compound, matter)
            .await?
            .into_iter()
            .map(|b| b.0)
            .collect();
        let delivered: Option<Vec<Delivery>> = if m.deemed_clause {
            let units: Vec<String> = sqlx::query_scalar(
                "SELECT unit_no FROM deliveries WHERE compound_id = $1 AND matter_id = $2",
            )
            .bind(compound)
            .bind(matter)
            .fetch_all(&self.pool)
            .await?;
            Some(
                units
                    .iter()
                    .filter_map(|u| UnitNo::parse(u))
                    .map(|unit| Delivery { unit, row: 0 })
                    .collect(),
            )
        } else {
            None
        };
        tally(&TallyInput {
            units: &roll,
            scope: &m.scope,
            kind: m.kind,
            ballots: &ballots,
            delivered: delivered.as_deref(),
        })
        .map_err(StoreError::Tally)
    }

    /// Closes voting and publishes the tally, in one transaction.
    pub async fn close_matter(&self, compound: &str, matter: &str) -> Result<Tally> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query("UPDATE matters SET status = 'closed', closed_at = $1 WHERE compound_id = $2 AND id = $3 AND status = 'open'")
            .bind(now_ms())
            .bind(compound)
            .bind(matter)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            let m = self.matter(compound, matter).await?;
            return Err(StoreError::Conflict(format!(
                "matter {matter} is {}, only an open matter can be closed",
                m.status.as_str()
            )));
        }
        tx.commit().await?;
        self.publish_tally(compound, matter).await
    }

    /// Counts a closed matter and stores the result; idempotent, so a crash between closing and
    /// publishing is mended by calling it again (the count of a closed matter cannot change).
    pub async fn publish_tally(&self, compound: &str, matter: &str) -> Result<Tally> {
        let t = self.tally(compound, matter).await?;
        let json = serde_json::to_string(&t).map_err(|e| StoreError::Io(e.to_string()))?;
        sqlx::query(
            "INSERT INTO tallies (compound_id, matter_id, computed_at, passed, result) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (compound_id, matter_id) DO NOTHING",
        )
            .bind(compound)
            .bind(matter)
            .bind(now_ms())
            .bind(t.passed as i64)
            .bind(json)
            .execute(&self.pool)
            .await?;
        Ok(t)
    }

    /// The tally published when the matter closed, as JSON.
    pub async fn published_tally(&self, compound: &str, matter: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT result FROM tallies WHERE compound_id = $1 AND matter_id = $2",
        )
        .bind(compound)
        .bind(matter)
        .fetch_optional(&self.pool)
        .await?)
    }
}
