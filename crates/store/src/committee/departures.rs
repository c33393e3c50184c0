//! Members leaving during the term: alternates take their seats in order, what remains decides a
//! by-election or an early change of term (core [`after_departures`]); the offices whose holder
//! left are filled by the members from among themselves. Also the change-of-term group's members
//! and members' demands for an extraordinary meeting.

use crate::accounts::channels::{Deadline, schedule_deadline};
use crate::committee::meetings::keepers;
use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store};
use gongzhi_core::committee::CommitteeRefusal as R;
use gongzhi_core::committee::meetings::{Roll, demand_extraordinary};
use gongzhi_core::committee::term::{GroupMember, Office, Side};
use gongzhi_core::committee::vacancies::{AfterDepartures, after_departures};
use gongzhi_core::kit::period::{parse_day, start_of};
use jiff::civil::Date;
use sqlx::Row;

/// A member who left, and when and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Departure {
    pub name: String,
    pub on: Date,
    pub reason: String,
}

/// A demand for an extraordinary meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    pub id: String,
    pub demanders: Vec<String>,
    pub reason: String,
    pub on: Date,
}

/// The kind of the reminder that members demanded an extraordinary meeting.
pub const DEMAND: &str = "committee.extraordinary-demand";

pub fn side_key(s: Side) -> &'static str {
    match s {
        Side::OwnerRepresentative => "owner-representative",
        Side::SubdistrictOffice => "subdistrict-office",
        Side::ResidentsCommittee => "residents-committee",
    }
}

pub fn parse_side(s: &str) -> Option<Side> {
    [Side::OwnerRepresentative, Side::SubdistrictOffice, Side::ResidentsCommittee]
        .into_iter()
        .find(|x| side_key(*x) == s.trim())
}

fn office_key(o: Office) -> &'static str {
    match o {
        Office::Director => "director",
        Office::ViceDirector => "vice-director",
        Office::Member => "member",
    }
}

impl Store {
    /// Records that members (or alternates) left on `on`: alternates take the seats in order in
    /// the same transaction; returns what follows (a by-election, an early change of term, the
    /// offices to fill). Audited.
    pub async fn record_departures(
        &self,
        compound: &str,
        names: &[String],
        on: Date,
        reason: &str,
        actor: Actor<'_>,
    ) -> Result<AfterDepartures> {
        let rec =
            self.committee_term(compound).await?.ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        let exactly_half = self.committee_settings(compound).await?.exactly_half;
        let after = after_departures(&rec.committee, names, exactly_half)?;
        let mut tx = self.begin_write().await?;
        for n in names {
            sqlx::query(
                "UPDATE committee_members SET left_on = $1, left_reason = $2 WHERE compound_id = $3 AND term_id = $4 \
                 AND name = $5 AND left_on IS NULL",
            )
            .bind(on.to_string())
            .bind(reason.trim())
            .bind(compound)
            .bind(&rec.id)
            .bind(n)
            .execute(&mut *tx)
            .await?;
        }
        for r in &after.replacements {
            sqlx::query(
                "UPDATE committee_members SET office = 'member', replaces = $1 WHERE compound_id = $2 AND term_id = $3 \
                 AND name = $4 AND office = 'alternate' AND left_on IS NULL",
            )
            .bind(&r.replaces)
            .bind(compound)
            .bind(&rec.id)
            .bind(&r.alternate)
            .execute(&mut *tx)
            .await?;
        }
        let what = format!(
            "left={} on={on} replaced_by={}",
            names.join(";"),
            after.replacements.iter().map(|r| r.alternate.as_str()).collect::<Vec<_>>().join(";")
        );
        append(&mut tx, compound, actor.login, "committee.departure", &rec.id, &what).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The members who left this term, in order.
    pub async fn departures(&self, compound: &str) -> Result<Vec<Departure>> {
        let Some(rec) = self.committee_term(compound).await? else { return Ok(vec![]) };
        let rows = sqlx::query(
            "SELECT name, left_on, left_reason FROM committee_members WHERE compound_id = $1 AND term_id = $2 \
             AND left_on IS NOT NULL ORDER BY left_on, seq",
        )
        .bind(compound)
        .bind(&rec.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(Departure { name: r.get(0), on: parse_day(&r.get::<String, _>(1))?, reason: r.get(2) })
            })
            .collect())
    }

    /// Gives a member an office (the members choose a director or vice-director from among
    /// themselves when its holder left); the office's earlier holder becomes a member. Audited.
    pub async fn set_office(&self, compound: &str, name: &str, office: Office, actor: Actor<'_>) -> Result<()> {
        let rec =
            self.committee_term(compound).await?.ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        if !rec.committee.members.iter().any(|m| m.name == name) {
            return R::NotAMember { name: name.into() }.err();
        }
        let mut tx = self.begin_write().await?;
        if office != Office::Member {
            sqlx::query(
                "UPDATE committee_members SET office = 'member' WHERE compound_id = $1 AND term_id = $2 AND office = $3 \
                 AND left_on IS NULL",
            )
            .bind(compound)
            .bind(&rec.id)
            .bind(office_key(office))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE committee_members SET office = $1 WHERE compound_id = $2 AND term_id = $3 AND name = $4 AND left_on IS NULL",
        )
        .bind(office_key(office))
        .bind(compound)
        .bind(&rec.id)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "committee.office", &rec.id, &format!("{name}={}", office_key(office)))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the change-of-term group's members. Audited.
    pub async fn set_change_group(&self, compound: &str, group: &[GroupMember], actor: Actor<'_>) -> Result<()> {
        let rec =
            self.committee_term(compound).await?.ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        for (i, g) in group.iter().enumerate() {
            if g.name.trim().is_empty() {
                return R::TextMissing { field: format!("group[{i}].name") }.err();
            }
            if group[..i].iter().any(|o| o.name.trim() == g.name.trim()) {
                return R::NameTwice { name: g.name.trim().into() }.err();
            }
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM change_group_members WHERE compound_id = $1 AND term_id = $2")
            .bind(compound)
            .bind(&rec.id)
            .execute(&mut *tx)
            .await?;
        for (i, g) in group.iter().enumerate() {
            sqlx::query(
                "INSERT INTO change_group_members (compound_id, term_id, seq, name, side, leader) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(compound)
            .bind(&rec.id)
            .bind(i as i64)
            .bind(g.name.trim())
            .bind(side_key(g.side))
            .bind(g.leader as i64)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, compound, actor.login, "committee.group", &rec.id, &format!("members={}", group.len())).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn change_group(&self, compound: &str) -> Result<Vec<GroupMember>> {
        let Some(rec) = self.committee_term(compound).await? else { return Ok(vec![]) };
        let rows = sqlx::query(
            "SELECT name, side, leader FROM change_group_members WHERE compound_id = $1 AND term_id = $2 ORDER BY seq",
        )
        .bind(compound)
        .bind(&rec.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(GroupMember {
                    name: r.get(0),
                    side: parse_side(&r.get::<String, _>(1))?,
                    leader: r.get::<i64, _>(2) == 1,
                })
            })
            .collect())
    }

    /// Members demand an extraordinary meeting: refused below a third of all members (core
    /// [`demand_extraordinary`]); recorded, and the director and the residents' committee are
    /// reminded at once to convene it. Audited.
    pub async fn demand_meeting(
        &self,
        compound: &str,
        demanders: &[String],
        reason: &str,
        on: Date,
        actor: Actor<'_>,
    ) -> Result<Demand> {
        let rec =
            self.committee_term(compound).await?.ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        let roll = Roll {
            members: rec.committee.members.iter().map(|m| m.name.clone()).collect(),
            seats: rec.committee.seats,
            basis: self.committee_settings(compound).await?.quorum_basis,
        };
        demand_extraordinary(&roll, demanders)?;
        if reason.trim().is_empty() {
            return R::TextMissing { field: "reason".into() }.err();
        }
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO committee_demands (compound_id, id, term_id, demanders, reason, demanded_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(compound)
        .bind(&id)
        .bind(&rec.id)
        .bind(demanders.join(";"))
        .bind(reason.trim())
        .bind(on.to_string())
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let people = keepers(&mut tx, compound).await?;
        let d = Deadline {
            about: &id,
            kind: DEMAND,
            key: &format!("demand:{id}"),
            due_at: start_of(on) + 9 * 3_600_000,
            subject: format!("{} 名委员提议召开业委会临时会议", demanders.len()),
            body: format!(
                "提议人：{}。事由：{}。请及时召开临时会议并邀请居委会列席。",
                demanders.join("、"),
                reason.trim()
            ),
            people: &people,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        append(&mut tx, compound, actor.login, "committee.demand", &id, &format!("demanders={}", demanders.len()))
            .await?;
        tx.commit().await?;
        Ok(Demand { id, demanders: demanders.to_vec(), reason: reason.trim().into(), on })
    }

    pub async fn demands(&self, compound: &str) -> Result<Vec<Demand>> {
        let rows = sqlx::query(
            "SELECT id, demanders, reason, demanded_on FROM committee_demands WHERE compound_id = $1 ORDER BY demanded_on DESC, id",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(Demand {
                    id: r.get(0),
                    demanders: r.get::<String, _>(1).split(';').map(String::from).collect(),
                    reason: r.get(2),
                    on: parse_day(&r.get::<String, _>(3))?,
                })
            })
            .collect())
    }
}
