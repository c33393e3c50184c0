//! Binding a member to units by hand after staff checked them in person, naming who votes for a
//! co-owned unit, and giving or taking offices.

use super::account_names;
use crate::kit::audit::append;
use crate::{Actor, Result, Store};
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::policy::may_grant;
use gongzhi_core::accounts::{AccountsRefusal, Relation, Role};
use gongzhi_core::registry::RegistryRefusal;
use sqlx::{AnyConnection, Row};

/// A binding of an account to a unit made by hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub unit: UnitNo,
    pub relation: Relation,
    /// What staff saw: "房产证 沪房地… 号", "身份证与租赁合同"…
    pub checked: String,
}

/// The registered owner of a unit as (kind, members in register order); None if no such unit.
pub(crate) async fn unit_owner(
    tx: &mut AnyConnection,
    compound: &str,
    unit: &UnitNo,
) -> Result<Option<(String, Vec<String>)>> {
    let r = sqlx::query(
        "SELECT o.kind, o.members FROM units u JOIN owners o ON o.compound_id = u.compound_id AND o.id = u.owner_id \
         WHERE u.compound_id = $1 AND u.unit_no = $2",
    )
    .bind(compound)
    .bind(unit.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    Ok(r.map(|r| (r.get(0), r.get::<String, _>(1).split(';').map(String::from).collect())))
}

async fn set_voter(tx: &mut AnyConnection, compound: &str, unit: &UnitNo, account_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE account_units SET voter = CASE WHEN account_id = $1 THEN 1 ELSE 0 END WHERE compound_id = $2 AND unit_no = $3",
    )
    .bind(account_id)
    .bind(compound)
    .bind(unit.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Whether a unit already has a voter other than `except`.
pub(crate) async fn has_voter(tx: &mut AnyConnection, compound: &str, unit: &UnitNo, except: &str) -> Result<bool> {
    let v: Option<i64> = sqlx::query_scalar(
        "SELECT voter FROM account_units WHERE compound_id = $1 AND unit_no = $2 AND voter = 1 AND account_id <> $3",
    )
    .bind(compound)
    .bind(unit.as_str())
    .bind(except)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(v.is_some())
}

/// Binds `account_id` to a unit as owner or resident (the relation's role comes with it); the
/// first owner bound votes for the unit.
pub(crate) async fn bind_unit(
    tx: &mut AnyConnection,
    compound: &str,
    account_id: &str,
    unit: &UnitNo,
    relation: Relation,
) -> Result<()> {
    let voter = relation == Relation::Owner && !has_voter(tx, compound, unit, account_id).await?;
    sqlx::query(
        "INSERT INTO account_units (compound_id, account_id, unit_no, relation, voter) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (compound_id, account_id, unit_no) DO UPDATE SET relation = $4, voter = $5",
    )
    .bind(compound)
    .bind(account_id)
    .bind(unit.as_str())
    .bind(relation.as_str())
    .bind(voter as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(compound)
        .bind(account_id)
        .bind(relation.as_str())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub(crate) async fn link_unit(
    tx: &mut AnyConnection,
    compound: &str,
    account_id: &str,
    l: &Link,
    actor: &str,
) -> Result<()> {
    let unit = &l.unit;
    let checked = l.checked.trim();
    if checked.is_empty() {
        return AccountsRefusal::CheckedMissing.err();
    }
    let (login, name) = account_names(tx, compound, account_id).await?;
    let Some((kind, members)) = unit_owner(tx, compound, unit).await? else {
        return RegistryRefusal::UnitNotInRegister { unit: unit.to_string() }.err();
    };
    // an owner must be the person the register names: if it is out of date, correct the register
    // first (an organisation's or the developer's representative is checked on their authorisation)
    if l.relation == Relation::Owner && kind == "person" && !members.iter().any(|m| m == name.trim()) {
        return AccountsRefusal::NotRegisteredOwner {
            unit: unit.to_string(),
            name: name.trim().into(),
            registered: members,
        }
        .err();
    }
    bind_unit(tx, compound, account_id, unit, l.relation).await?;
    // staff have checked the holder in person
    sqlx::query("UPDATE account_units SET to_check = 0 WHERE compound_id = $1 AND account_id = $2 AND unit_no = $3")
        .bind(compound)
        .bind(account_id)
        .bind(unit.as_str())
        .execute(&mut *tx)
        .await?;
    let relation = l.relation.as_str();
    append(tx, compound, actor, "account.link", &login, &format!("unit={unit} relation={relation} checked={checked}"))
        .await?;
    Ok(())
}

impl Store {
    /// Binds an account to a unit after staff checked the holder by hand (the property
    /// certificate, an identity card, a tenancy contract…); what was checked is kept in the audit.
    pub async fn link_unit_by_hand(&self, compound: &str, account_id: &str, link: &Link, actor: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        link_unit(&mut tx, compound, account_id, link, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Unbinds an account from a unit. If it voted for the unit, another owner bound to the unit
    /// (the first named in the register) votes from now on.
    pub async fn unlink_unit(&self, compound: &str, account_id: &str, unit: &UnitNo, actor: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        let removed: Option<i64> = sqlx::query_scalar(
            "DELETE FROM account_units WHERE compound_id = $1 AND account_id = $2 AND unit_no = $3 RETURNING voter",
        )
        .bind(compound)
        .bind(account_id)
        .bind(unit.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(was_voter) = removed else {
            return AccountsRefusal::NotBound { unit: unit.to_string() }.err();
        };
        if was_voter == 1 {
            let members = unit_owner(&mut tx, compound, unit).await?.map(|(_, m)| m).unwrap_or_default();
            let owners: Vec<(String, String)> = sqlx::query(
                "SELECT u.account_id, p.name FROM account_units u JOIN people p ON p.id = u.account_id \
                 WHERE u.compound_id = $1 AND u.unit_no = $2 AND u.relation = 'owner' ORDER BY p.login",
            )
            .bind(compound)
            .bind(unit.as_str())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
            let rank = |name: &str| members.iter().position(|m| m == name).unwrap_or(usize::MAX);
            if let Some((next, _)) = owners.iter().min_by_key(|(_, name)| rank(name)) {
                set_voter(&mut tx, compound, unit, next).await?;
            }
        }
        append(&mut tx, compound, actor, "account.unlink", &login, unit.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Names the co-owner who votes for a unit (as the co-owners agreed in writing).
    pub async fn name_voter(&self, compound: &str, unit: &UnitNo, account_id: &str, actor: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        let relation: Option<String> = sqlx::query_scalar(
            "SELECT relation FROM account_units WHERE compound_id = $1 AND account_id = $2 AND unit_no = $3",
        )
        .bind(compound)
        .bind(account_id)
        .bind(unit.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if relation.as_deref() != Some("owner") {
            return AccountsRefusal::VoterMustBeOwner { unit: unit.to_string() }.err();
        }
        set_voter(&mut tx, compound, unit, account_id).await?;
        append(&mut tx, compound, actor, "account.voter", &login, unit.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a member's offices (every role but owner and resident, which follow their units).
    /// Nobody changes their own; every office given or taken must be one the granter may give
    /// ([`may_grant`]: committee offices never from here); each grant and revocation is audited.
    pub async fn set_offices(
        &self,
        compound: &str,
        account_id: &str,
        offices: &[Role],
        granter: &[Role],
        actor: Actor<'_>,
    ) -> Result<()> {
        if account_id == actor.id {
            return AccountsRefusal::OwnRoles.err();
        }
        if let Some(r) = offices.iter().find(|r| matches!(r, Role::Owner | Role::Resident)) {
            return AccountsRefusal::RoleNotOffice { role: *r }.err();
        }
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        let held: Vec<Role> = sqlx::query_scalar::<_, String>(
            "SELECT role FROM account_roles WHERE compound_id = $1 AND account_id = $2 AND role NOT IN ('owner', 'resident')",
        )
        .bind(compound)
        .bind(account_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .filter_map(|r| Role::parse(r))
        .collect();
        let mut grants: Vec<Role> = offices.iter().copied().filter(|r| !held.contains(r)).collect();
        grants.sort();
        grants.dedup();
        let revokes: Vec<Role> = held.iter().copied().filter(|r| !offices.contains(r)).collect();
        if let Some(r) = grants.iter().chain(&revokes).find(|r| !may_grant(granter, **r)) {
            return AccountsRefusal::OfficeNotGrantable { office: *r }.err();
        }
        for r in &revokes {
            sqlx::query("DELETE FROM account_roles WHERE compound_id = $1 AND account_id = $2 AND role = $3")
                .bind(compound)
                .bind(account_id)
                .bind(r.as_str())
                .execute(&mut *tx)
                .await?;
            append(&mut tx, compound, actor.login, "account.revoke", &login, r.as_str()).await?;
        }
        for r in &grants {
            sqlx::query("INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, $3)")
                .bind(compound)
                .bind(account_id)
                .bind(r.as_str())
                .execute(&mut *tx)
                .await?;
            append(&mut tx, compound, actor.login, "account.grant", &login, r.as_str()).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
