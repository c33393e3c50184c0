//! Accounts, their roles and units, one-time binding codes, server-side sessions and the shared
//! login-failure counters.

use crate::audit::{append, hex};
use crate::{Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::UnitNo;
use gongzhi_core::roles::Role;
use sha2::{Digest, Sha256};
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountUnit {
    pub unit: UnitNo,
    /// `owner` or `resident`.
    pub relation: String,
    /// The one person who votes for the unit.
    pub voter: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub compound_id: String,
    pub id: String,
    pub login: String,
    pub phone: Option<String>,
    pub name: String,
    pub roles: Vec<Role>,
    pub units: Vec<AccountUnit>,
}

impl Account {
    /// Whether this account casts the vote of `unit`.
    pub fn votes_for(&self, unit: &UnitNo) -> bool {
        self.units.iter().any(|u| &u.unit == unit && u.voter && u.relation == "owner")
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Clone, Debug, Default)]
pub struct NewAccount {
    pub login: String,
    pub phone: Option<String>,
    pub name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    /// (unit, relation, voter)
    pub units: Vec<(UnitNo, &'static str, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub compound_id: String,
    pub account_id: String,
    pub csrf: String,
    pub expires_at: i64,
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// A secret of 244 random bits from the operating system, as hex.
pub fn random_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// A code short enough to type from paper: 10 characters without 0/O, 1/I/L.
fn binding_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    bytes[..10].iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect()
}

/// How long a failed-login window lasts, and how many failures it allows.
pub const LOGIN_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOGIN_MAX_FAILURES: i64 = 5;

async fn insert_account(tx: &mut sqlx::AnyConnection, compound: &str, a: &NewAccount, actor: &str) -> Result<String> {
    let login = a.login.trim();
    if login.is_empty() || login.len() > 64 {
        return Err(StoreError::BadInput("login: a login name of 1 to 64 characters is needed".into()));
    }
    if a.name.trim().is_empty() {
        return Err(StoreError::BadInput("name: the account needs a name".into()));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO accounts (compound_id, id, login, phone, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(compound)
    .bind(&id)
    .bind(login)
    .bind(a.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()))
    .bind(a.name.trim())
    .bind(&a.password_hash)
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(|e| crate::on_unique(e, || format!("login: an account with login {login} or this phone number already exists")))?;
    for r in &a.roles {
        sqlx::query("INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, $3)")
            .bind(compound)
            .bind(&id)
            .bind(r.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for (unit, relation, voter) in &a.units {
        sqlx::query(
            "INSERT INTO account_units (compound_id, account_id, unit_no, relation, voter) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(&id)
        .bind(unit.as_str())
        .bind(*relation)
        .bind(*voter as i64)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::BadInput(format!("unit {unit} is not in the register"))
            }
            _ => StoreError::Db(e),
        })?;
    }
    let roles: Vec<&str> = a.roles.iter().map(|r| r.as_str()).collect();
    append(tx, compound, actor, "account.create", login, &format!("roles={}", roles.join(","))).await?;
    Ok(id)
}

async fn redeem(
    tx: &mut sqlx::AnyConnection,
    compound: &str,
    account_id: &str,
    login: &str,
    code: &str,
) -> Result<UnitNo> {
    let code = code.trim().to_uppercase();
    let unit: Option<String> = sqlx::query_scalar(
        "UPDATE binding_codes SET used_by = $1, used_at = $2 WHERE compound_id = $3 AND code_hash = $4 AND used_by IS NULL RETURNING unit_no",
    )
    .bind(account_id)
    .bind(now_ms())
    .bind(compound)
    .bind(sha256_hex(&code))
    .fetch_optional(&mut *tx)
    .await?;
    let unit = unit.ok_or_else(|| StoreError::BadInput("code: this code is not valid or was already used".into()))?;
    let has_voter: Option<i64> =
        sqlx::query_scalar("SELECT voter FROM account_units WHERE compound_id = $1 AND unit_no = $2 AND voter = 1")
            .bind(compound)
            .bind(&unit)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO account_units (compound_id, account_id, unit_no, relation, voter) VALUES ($1, $2, $3, 'owner', $4) \
         ON CONFLICT (compound_id, account_id, unit_no) DO UPDATE SET relation = 'owner'",
    )
    .bind(compound)
    .bind(account_id)
    .bind(&unit)
    .bind(has_voter.is_none() as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, 'owner') ON CONFLICT DO NOTHING",
    )
    .bind(compound)
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    append(tx, compound, login, "binding-code.redeem", &unit, "").await?;
    UnitNo::parse(&unit).ok_or_else(|| StoreError::Io("stored unit number is not valid".into()))
}

impl Store {
    pub async fn create_account(&self, compound: &str, a: &NewAccount, actor: &str) -> Result<Account> {
        let ids = self.create_accounts(compound, std::slice::from_ref(a), actor).await?;
        self.account(compound, &ids[0]).await
    }

    /// Creates accounts in one transaction (all or none); returns their ids.
    pub async fn create_accounts(&self, compound: &str, accounts: &[NewAccount], actor: &str) -> Result<Vec<String>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(accounts.len());
        for a in accounts {
            ids.push(insert_account(&mut tx, compound, a, actor).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn account(&self, compound: &str, id: &str) -> Result<Account> {
        let r = sqlx::query("SELECT login, phone, name FROM accounts WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("account {id}")))?;
        let roles: Vec<String> = sqlx::query_scalar(
            "SELECT role FROM account_roles WHERE compound_id = $1 AND account_id = $2 ORDER BY role",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let units = sqlx::query("SELECT unit_no, relation, voter FROM account_units WHERE compound_id = $1 AND account_id = $2 ORDER BY unit_no")
            .bind(compound)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(Account {
            compound_id: compound.into(),
            id: id.into(),
            login: r.get(0),
            phone: r.get(1),
            name: r.get(2),
            roles: roles.iter().filter_map(|s| Role::parse(s)).collect(),
            units: units
                .iter()
                .filter_map(|u| {
                    Some(AccountUnit {
                        unit: UnitNo::parse(&u.get::<String, _>(0))?,
                        relation: u.get(1),
                        voter: u.get::<i64, _>(2) == 1,
                    })
                })
                .collect(),
        })
    }

    /// The account a login name or phone number belongs to, with its password hash.
    pub async fn account_for_login(&self, login: &str) -> Result<Option<(Account, String)>> {
        let r = sqlx::query("SELECT compound_id, id, password_hash FROM accounts WHERE login = $1 OR phone = $1")
            .bind(login.trim())
            .fetch_optional(&self.pool)
            .await?;
        match r {
            None => Ok(None),
            Some(r) => {
                let a = self.account(&r.get::<String, _>(0), &r.get::<String, _>(1)).await?;
                Ok(Some((a, r.get(2))))
            }
        }
    }

    /// Failed logins for `login` in the current window.
    pub async fn login_failures(&self, login: &str) -> Result<i64> {
        let window = now_ms() / LOGIN_WINDOW_MS * LOGIN_WINDOW_MS;
        let n: Option<i64> =
            sqlx::query_scalar("SELECT failures FROM login_failures WHERE login = $1 AND window_start = $2")
                .bind(login.trim())
                .bind(window)
                .fetch_optional(&self.pool)
                .await?;
        Ok(n.unwrap_or(0))
    }

    pub async fn record_login_failure(&self, login: &str) -> Result<()> {
        let window = now_ms() / LOGIN_WINDOW_MS * LOGIN_WINDOW_MS;
        sqlx::query(
            "INSERT INTO login_failures (login, window_start, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (login, window_start) DO UPDATE SET failures = login_failures.failures + 1",
        )
        .bind(login.trim())
        .bind(window)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Starts a session; returns the secret token (only its hash is stored) and the CSRF token.
    pub async fn create_session(&self, account: &Account, ttl_ms: i64) -> Result<(String, String)> {
        let token = random_token();
        let csrf = random_token();
        let now = now_ms();
        sqlx::query("INSERT INTO sessions (token_hash, compound_id, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(sha256_hex(&token))
            .bind(&account.compound_id)
            .bind(&account.id)
            .bind(&csrf)
            .bind(now)
            .bind(now + ttl_ms)
            .execute(&self.pool)
            .await?;
        Ok((token, csrf))
    }

    /// The live session a token opens, if any.
    pub async fn session(&self, token: &str) -> Result<Option<SessionRow>> {
        let r = sqlx::query(
            "SELECT compound_id, account_id, csrf, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(sha256_hex(token))
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| SessionRow { compound_id: r.get(0), account_id: r.get(1), csrf: r.get(2), expires_at: r.get(3) }))
    }

    /// The live session of a token with its account, roles and units, in one query: what every
    /// signed-in request reads first.
    pub async fn session_account(&self, token: &str) -> Result<Option<(SessionRow, Account)>> {
        let r = sqlx::query(
            "SELECT s.compound_id, s.account_id, s.csrf, s.expires_at, a.login, a.phone, a.name, \
               (SELECT string_agg(r.role, ',') FROM account_roles r \
                 WHERE r.compound_id = s.compound_id AND r.account_id = s.account_id), \
               (SELECT string_agg(u.unit_no || ':' || u.relation || ':' || CAST(u.voter AS TEXT), ',') FROM account_units u \
                 WHERE u.compound_id = s.compound_id AND u.account_id = s.account_id) \
             FROM sessions s JOIN accounts a ON a.compound_id = s.compound_id AND a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(sha256_hex(token))
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = r else { return Ok(None) };
        let session = SessionRow { compound_id: r.get(0), account_id: r.get(1), csrf: r.get(2), expires_at: r.get(3) };
        let mut roles: Vec<Role> =
            r.get::<Option<String>, _>(7).unwrap_or_default().split(',').filter_map(Role::parse).collect();
        roles.sort_by_key(|r| r.as_str());
        let mut units: Vec<AccountUnit> = r
            .get::<Option<String>, _>(8)
            .unwrap_or_default()
            .split(',')
            .filter_map(|u| {
                let mut parts = u.splitn(3, ':');
                Some(AccountUnit {
                    unit: UnitNo::parse(parts.next()?)?,
                    relation: parts.next()?.to_string(),
                    voter: parts.next()? == "1",
                })
            })
            .collect();
        units.sort_by(|a, b| a.unit.as_str().cmp(b.unit.as_str()));
        let account = Account {
            compound_id: session.compound_id.clone(),
            id: session.account_id.clone(),
            login: r.get(4),
            phone: r.get(5),
            name: r.get(6),
            roles,
            units,
        };
        Ok(Some((session, account)))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token)).execute(&self.pool).await?;
        Ok(())
    }

    /// Prints one-time codes for units (only their hashes are kept).
    pub async fn issue_binding_codes(
        &self,
        compound: &str,
        units: &[UnitNo],
        actor: &str,
    ) -> Result<Vec<(UnitNo, String)>> {
        let mut tx = self.begin_write().await?;
        let mut out = Vec::new();
        for u in units {
            let code = binding_code();
            sqlx::query("INSERT INTO binding_codes (compound_id, code_hash, unit_no, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(compound)
                .bind(sha256_hex(&code))
                .bind(u.as_str())
                .bind(actor)
                .bind(now_ms())
                .execute(&mut *tx)
                .await
                .map_err(|e| match &e {
                    sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::BadInput(format!("unit {u} is not in the register")),
                    _ => StoreError::Db(e),
                })?;
            out.push((u.clone(), code));
        }
        let list: Vec<&str> = units.iter().map(|u| u.as_str()).collect();
        append(&mut tx, compound, actor, "binding-codes.issue", &list.join(","), "").await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Binds an account to the unit a code was printed for; the first owner bound votes.
    pub async fn redeem_binding_code(&self, account: &Account, code: &str) -> Result<UnitNo> {
        let mut tx = self.begin_write().await?;
        let unit = redeem(&mut tx, &account.compound_id, &account.id, &account.login, code).await?;
        tx.commit().await?;
        Ok(unit)
    }

    /// An owner signs up with the code printed for their unit: the account is created and bound
    /// in one transaction, or not at all.
    pub async fn register_with_code(&self, code: &str, a: &NewAccount) -> Result<Account> {
        let code = code.trim().to_uppercase();
        let compound: Option<String> =
            sqlx::query_scalar("SELECT compound_id FROM binding_codes WHERE code_hash = $1 AND used_by IS NULL")
                .bind(sha256_hex(&code))
                .fetch_optional(&self.pool)
                .await?;
        let compound =
            compound.ok_or_else(|| StoreError::BadInput("code: this code is not valid or was already used".into()))?;
        let mut tx = self.begin_write().await?;
        let id = insert_account(&mut tx, &compound, a, a.login.trim()).await?;
        redeem(&mut tx, &compound, &id, a.login.trim(), &code).await?;
        tx.commit().await?;
        self.account(&compound, &id).await
    }
}
