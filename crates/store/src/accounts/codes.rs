//! One-time binding codes printed per unit: a new owner signs up with the code of their unit,
//! bound as its owner only when the register names them, otherwise as a resident for staff to
//! check. Printing a unit's codes again revokes the unused ones.

use super::links::{bind_unit, unit_owner};
use super::{Account, NewAccount, insert_account, sha256_hex};
use crate::kit::audit::append;
use crate::{Result, Store, StoreError, now_ms};
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::{AccountsRefusal, Relation};
use gongzhi_core::registry::RegistryRefusal;
use sqlx::{AnyConnection, Row};

/// A code short enough to type from paper: 10 characters without 0/O, 1/I/L.
fn binding_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    bytes[..10].iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect()
}

/// What a redeemed code bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redeemed {
    pub unit: UnitNo,
    pub relation: Relation,
}

async fn redeem(tx: &mut AnyConnection, compound: &str, account_id: &str, code: &str) -> Result<Redeemed> {
    let code = code.trim().to_uppercase();
    let unit: Option<String> = sqlx::query_scalar(
        "UPDATE binding_codes SET used_by = $1, used_at = $2 WHERE compound_id = $3 AND code_hash = $4 \
         AND used_by IS NULL AND revoked_at IS NULL RETURNING unit_no",
    )
    .bind(account_id)
    .bind(now_ms())
    .bind(compound)
    .bind(sha256_hex(&code))
    .fetch_optional(&mut *tx)
    .await?;
    let unit = unit.ok_or_else(|| AccountsRefusal::CodeInvalid.refused())?;
    let unit = UnitNo::parse(&unit).ok_or_else(|| StoreError::Io("stored unit number is not valid".into()))?;
    let (login, name) = super::account_names(tx, compound, account_id).await?;
    // the code proves the paper reached the unit, not who holds it: only a name the register gives
    // makes an owner (and voter); anyone else is a resident until staff check
    let named = match unit_owner(tx, compound, &unit).await? {
        Some((kind, members)) => kind != "person" || members.iter().any(|m| m == name.trim()),
        None => false,
    };
    let relation = if named { Relation::Owner } else { Relation::Resident };
    bind_unit(tx, compound, account_id, &unit, relation).await?;
    if !named {
        sqlx::query(
            "UPDATE account_units SET to_check = 1 WHERE compound_id = $1 AND account_id = $2 AND unit_no = $3",
        )
        .bind(compound)
        .bind(account_id)
        .bind(unit.as_str())
        .execute(&mut *tx)
        .await?;
    }
    append(tx, compound, &login, "binding-code.redeem", unit.as_str(), &format!("relation={}", relation.as_str()))
        .await?;
    Ok(Redeemed { unit, relation })
}

impl Store {
    /// Prints one-time codes for units (only their hashes are kept); the units' unused codes
    /// printed before are revoked in the same transaction.
    pub async fn issue_binding_codes(
        &self,
        compound: &str,
        units: &[UnitNo],
        actor: &str,
    ) -> Result<Vec<(UnitNo, String)>> {
        let mut tx = self.begin_write().await?;
        let mut out = Vec::new();
        let now = now_ms();
        for u in units {
            sqlx::query(
                "UPDATE binding_codes SET revoked_at = $1 WHERE compound_id = $2 AND unit_no = $3 \
                 AND used_by IS NULL AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(compound)
            .bind(u.as_str())
            .execute(&mut *tx)
            .await?;
            let code = binding_code();
            sqlx::query(
                "INSERT INTO binding_codes (compound_id, code_hash, unit_no, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(compound)
            .bind(sha256_hex(&code))
            .bind(u.as_str())
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                    RegistryRefusal::UnitNotInRegister { unit: u.to_string() }.refused().into()
                }
                _ => StoreError::Db(e),
            })?;
            out.push((u.clone(), code));
        }
        let list: Vec<&str> = units.iter().map(|u| u.as_str()).collect();
        append(&mut tx, compound, actor, "binding-codes.issue", &list.join(","), "").await?;
        tx.commit().await?;
        Ok(out)
    }

    /// How many of these units have an unused code printed before (which printing again revokes).
    pub async fn unused_codes(&self, compound: &str, units: &[UnitNo]) -> Result<usize> {
        let rows = sqlx::query(
            "SELECT unit_no FROM binding_codes WHERE compound_id = $1 AND used_by IS NULL AND revoked_at IS NULL",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().filter(|r| units.iter().any(|u| u.as_str() == r.get::<String, _>(0))).count())
    }

    /// Binds a signed-in account to the unit a code was printed for.
    pub async fn redeem_binding_code(&self, account: &Account, code: &str) -> Result<Redeemed> {
        let mut tx = self.begin_write().await?;
        let r = redeem(&mut tx, &account.compound_id, &account.id, code).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// A new person signs up with the code printed for their unit: the person, their membership
    /// and the binding in one transaction, or nothing.
    pub async fn register_with_code(&self, code: &str, a: &NewAccount) -> Result<(Account, Redeemed)> {
        let code = code.trim().to_uppercase();
        let compound: Option<String> = sqlx::query_scalar(
            "SELECT compound_id FROM binding_codes WHERE code_hash = $1 AND used_by IS NULL AND revoked_at IS NULL",
        )
        .bind(sha256_hex(&code))
        .fetch_optional(&self.pool)
        .await?;
        let compound = compound.ok_or_else(|| AccountsRefusal::CodeInvalid.refused())?;
        let mut tx = self.begin_write().await?;
        let id = insert_account(&mut tx, &compound, a, a.login.trim()).await?;
        let r = redeem(&mut tx, &compound, &id, &code).await?;
        tx.commit().await?;
        Ok((self.account(&compound, &id).await?, r))
    }

    /// Units bound by a code whose holder the register does not name: (login, name, unit).
    pub async fn bindings_to_check(&self, compound: &str) -> Result<Vec<(String, String, String)>> {
        let rows = sqlx::query(
            "SELECT p.login, p.name, u.unit_no FROM account_units u JOIN people p ON p.id = u.account_id \
             WHERE u.compound_id = $1 AND u.to_check = 1 ORDER BY u.unit_no",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }
}
