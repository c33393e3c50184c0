//! The committee's settings as the compound stored them (defaults when it never did).

use crate::kit::audit::append;
use crate::{Actor, Result, Store};
use gongzhi_core::committee::meetings::QuorumBasis;
use gongzhi_core::committee::policy::{CommitteeSettings, SettingsText};
use gongzhi_core::committee::vacancies::ExactlyHalf;
use gongzhi_core::kit::period::day_of;
use sqlx::Row;

fn exactly_half_str(e: ExactlyHalf) -> &'static str {
    match e {
        ExactlyHalf::ByElection => "by-election",
        ExactlyHalf::EarlyChangeOfTerm => "early-change-of-term",
    }
}

fn quorum_str(q: QuorumBasis) -> &'static str {
    match q {
        QuorumBasis::Seats => "seats",
        QuorumBasis::MembersInOffice => "members-in-office",
    }
}

pub fn parse_exactly_half(s: &str) -> Option<ExactlyHalf> {
    [ExactlyHalf::ByElection, ExactlyHalf::EarlyChangeOfTerm].into_iter().find(|e| exactly_half_str(*e) == s.trim())
}

pub fn parse_quorum_basis(s: &str) -> Option<QuorumBasis> {
    [QuorumBasis::Seats, QuorumBasis::MembersInOffice].into_iter().find(|q| quorum_str(*q) == s.trim())
}

pub fn exactly_half_key(e: ExactlyHalf) -> &'static str {
    exactly_half_str(e)
}

pub fn quorum_basis_key(q: QuorumBasis) -> &'static str {
    quorum_str(q)
}

impl Store {
    /// The compound's committee settings as stored texts (the defaults if never set).
    pub async fn committee_settings_text(&self, compound: &str) -> Result<SettingsText> {
        let row = sqlx::query(
            "SELECT min_owner_nominators, exactly_half, quorum_basis, extra_grounds, building_groups, composition_rules \
             FROM committee_settings WHERE compound_id = $1",
        )
        .bind(compound)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => SettingsText::defaults(),
            Some(r) => SettingsText {
                min_owner_nominators: r.get::<i64, _>(0) as u32,
                exactly_half: parse_exactly_half(&r.get::<String, _>(1)).unwrap_or_default(),
                quorum_basis: parse_quorum_basis(&r.get::<String, _>(2)).unwrap_or_default(),
                extra_grounds: r.get(3),
                building_groups: r.get(4),
                composition_rules: r.get(5),
            },
        })
    }

    /// The compound's committee settings, ages counted today.
    pub async fn committee_settings(&self, compound: &str) -> Result<CommitteeSettings> {
        let text = self.committee_settings_text(compound).await?;
        let mut s = text.settings(day_of(crate::now_ms()))?;
        s.periods = self.voting_settings(compound).await?.periods;
        Ok(s)
    }

    /// Stores the settings once every line reads. Audited.
    pub async fn set_committee_settings(&self, compound: &str, s: &SettingsText, actor: Actor<'_>) -> Result<()> {
        s.settings(day_of(crate::now_ms()))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO committee_settings (compound_id, min_owner_nominators, exactly_half, quorum_basis, extra_grounds, \
             building_groups, composition_rules, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (compound_id) DO UPDATE SET min_owner_nominators = excluded.min_owner_nominators, \
             exactly_half = excluded.exactly_half, quorum_basis = excluded.quorum_basis, extra_grounds = excluded.extra_grounds, \
             building_groups = excluded.building_groups, composition_rules = excluded.composition_rules, updated_at = excluded.updated_at",
        )
        .bind(compound)
        .bind(i64::from(s.min_owner_nominators))
        .bind(exactly_half_str(s.exactly_half))
        .bind(quorum_str(s.quorum_basis))
        .bind(s.extra_grounds.trim())
        .bind(s.building_groups.trim())
        .bind(s.composition_rules.trim())
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let what = format!(
            "min_owner_nominators={} exactly_half={} quorum_basis={}",
            s.min_owner_nominators,
            exactly_half_str(s.exactly_half),
            quorum_str(s.quorum_basis)
        );
        append(&mut tx, compound, actor.login, "committee.settings", compound, &what).await?;
        tx.commit().await?;
        Ok(())
    }
}
