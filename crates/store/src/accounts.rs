//! Accounts, their roles and units, one-time binding codes, server-side sessions and the shared
//! login-failure counters.

use crate::audit::{append, hex};
use crate::matters::Actor;
use crate::{Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::UnitNo;
use gongzhi_core::roles::Role;
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Row};

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

/// Columns that load an account with its roles and units in one row (`a` is the accounts table);
/// read by [`account_from_row`].
const ACCOUNT_COLS: &str = "a.compound_id, a.id, a.login, a.phone, a.name, \
    (SELECT string_agg(r.role, ',') FROM account_roles r WHERE r.compound_id = a.compound_id AND r.account_id = a.id), \
    (SELECT string_agg(u.unit_no || ':' || u.relation || ':' || CAST(u.voter AS TEXT), ',') FROM account_units u \
      WHERE u.compound_id = a.compound_id AND u.account_id = a.id)";

fn account_from_row(r: &sqlx::any::AnyRow) -> Account {
    let mut roles: Vec<Role> =
        r.get::<Option<String>, _>(5).unwrap_or_default().split(',').filter_map(Role::parse).collect();
    roles.sort_by_key(|r| r.as_str());
    let mut units: Vec<AccountUnit> = r
        .get::<Option<String>, _>(6)
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
    Account { compound_id: r.get(0), id: r.get(1), login: r.get(2), phone: r.get(3), name: r.get(4), roles, units }
}

/// A binding of an account to a unit made by hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub unit: UnitNo,
    /// `owner` or `resident`.
    pub relation: String,
    /// What staff saw: "房产证 沪房地… 号", "身份证与租赁合同"…
    pub checked: String,
}

async fn account_names(tx: &mut sqlx::AnyConnection, compound: &str, account_id: &str) -> Result<(String, String)> {
    let r = sqlx::query("SELECT login, name FROM accounts WHERE compound_id = $1 AND id = $2")
        .bind(compound)
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("account {account_id}")))?;
    Ok((r.get(0), r.get(1)))
}

/// The registered owner of a unit as (kind, members in register order); None if no such unit.
async fn unit_owner(
    tx: &mut sqlx::AnyConnection,
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

async fn set_voter(tx: &mut sqlx::AnyConnection, compound: &str, unit: &UnitNo, account_id: &str) -> Result<()> {
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

async fn link_unit(
    tx: &mut sqlx::AnyConnection,
    compound: &str,
    account_id: &str,
    l: &Link,
    actor: &str,
) -> Result<()> {
    let unit = &l.unit;
    let relation = match l.relation.as_str() {
        "owner" | "resident" => l.relation.as_str(),
        other => return Err(StoreError::BadInput(format!("relation: '{other}' is not owner or resident"))),
    };
    let checked = l.checked.trim();
    if checked.is_empty() {
        return Err(StoreError::BadInput(
            "checked: say what was checked (the property certificate, an identity card, a tenancy contract…)".into(),
        ));
    }
    let (login, name) = account_names(tx, compound, account_id).await?;
    let Some((kind, members)) = unit_owner(tx, compound, unit).await? else {
        return Err(StoreError::BadInput(format!("unit {unit} is not in the register")));
    };
    // an owner must be the person the register names: if it is out of date, correct the register
    // first (an organisation's or the developer's representative is checked on their authorisation)
    if relation == "owner" && kind == "person" && !members.iter().any(|m| m == name.trim()) {
        return Err(StoreError::Conflict(format!(
            "unit {unit}: {} is not a registered owner (the register names {}); correct the register first",
            name.trim(),
            members.join("、")
        )));
    }
    let has_voter: Option<i64> = sqlx::query_scalar(
        "SELECT voter FROM account_units WHERE compound_id = $1 AND unit_no = $2 AND voter = 1 AND account_id <> $3",
    )
    .bind(compound)
    .bind(unit.as_str())
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let voter = relation == "owner" && has_voter.is_none();
    sqlx::query(
        "INSERT INTO account_units (compound_id, account_id, unit_no, relation, voter) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (compound_id, account_id, unit_no) DO UPDATE SET relation = $4, voter = $5",
    )
    .bind(compound)
    .bind(account_id)
    .bind(unit.as_str())
    .bind(relation)
    .bind(voter as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(compound)
        .bind(account_id)
        .bind(relation)
        .execute(&mut *tx)
        .await?;
    append(tx, compound, actor, "account.link", &login, &format!("unit={unit} relation={relation} checked={checked}"))
        .await?;
    Ok(())
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
        let sql = format!(
            "SELECT {ACCOUNT_COLS}, s.csrf, s.expires_at FROM sessions s \
             JOIN accounts a ON a.compound_id = s.compound_id AND a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let r =
            sqlx::query(AssertSqlSafe(sql)).bind(sha256_hex(token)).bind(now_ms()).fetch_optional(&self.pool).await?;
        let Some(r) = r else { return Ok(None) };
        let account = account_from_row(&r);
        let session = SessionRow {
            compound_id: account.compound_id.clone(),
            account_id: account.id.clone(),
            csrf: r.get(7),
            expires_at: r.get(8),
        };
        Ok(Some((session, account)))
    }

    /// Accounts of a compound whose login, name, phone or one of whose units contains `query`
    /// (all of them for an empty query), by login, at most `limit`.
    pub async fn search_accounts(&self, compound: &str, query: &str, limit: i64) -> Result<Vec<Account>> {
        let like = format!("%{}%", query.trim().replace(['\\', '%', '_'], ""));
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM accounts a WHERE a.compound_id = $1 AND (a.login LIKE $2 OR a.name LIKE $2 \
             OR a.phone LIKE $2 OR EXISTS (SELECT 1 FROM account_units u WHERE u.compound_id = a.compound_id \
             AND u.account_id = a.id AND u.unit_no LIKE $2)) ORDER BY a.login LIMIT $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(compound).bind(like).bind(limit).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(account_from_row).collect())
    }

    /// The accounts bound to a unit (owners and residents).
    pub async fn unit_accounts(&self, compound: &str, unit: &UnitNo) -> Result<Vec<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM accounts a WHERE a.compound_id = $1 AND EXISTS (SELECT 1 FROM account_units u \
             WHERE u.compound_id = a.compound_id AND u.account_id = a.id AND u.unit_no = $2) ORDER BY a.login"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(compound).bind(unit.as_str()).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(account_from_row).collect())
    }

    /// Creates an account whose holder staff have verified by hand, bound to `link`'s unit if
    /// given, in one transaction.
    pub async fn create_verified_account(
        &self,
        compound: &str,
        a: &NewAccount,
        link: Option<&Link>,
        actor: &str,
    ) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        let id = insert_account(&mut tx, compound, a, actor).await?;
        // the password staff hand over is temporary
        sqlx::query("UPDATE accounts SET must_change_password = 1 WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        if let Some(l) = link {
            link_unit(&mut tx, compound, &id, l, actor).await?;
        }
        tx.commit().await?;
        self.account(compound, &id).await
    }

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
            return Err(StoreError::Conflict(format!("unit {unit}: this account is not bound to it")));
        };
        if was_voter == 1 {
            let members = unit_owner(&mut tx, compound, unit).await?.map(|(_, m)| m).unwrap_or_default();
            let owners: Vec<(String, String)> = sqlx::query(
                "SELECT a.id, a.name FROM account_units u JOIN accounts a ON a.compound_id = u.compound_id AND a.id = u.account_id \
                 WHERE u.compound_id = $1 AND u.unit_no = $2 AND u.relation = 'owner' ORDER BY a.login",
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
            return Err(StoreError::Conflict(format!("unit {unit}: only an owner bound to the unit can vote for it")));
        }
        set_voter(&mut tx, compound, unit, account_id).await?;
        append(&mut tx, compound, actor, "account.voter", &login, unit.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets an account's offices (every role but owner and resident, which follow its units).
    /// Nobody changes their own roles: another manager must.
    pub async fn set_offices(
        &self,
        compound: &str,
        account_id: &str,
        offices: &[Role],
        actor: Actor<'_>,
    ) -> Result<()> {
        if account_id == actor.id {
            return Err(StoreError::Conflict("roles: nobody changes their own roles; ask another manager".into()));
        }
        if let Some(r) = offices.iter().find(|r| matches!(r, Role::Owner | Role::Resident)) {
            return Err(StoreError::BadInput(format!(
                "roles: {} follows the units an account is bound to, it is not an office",
                r.as_str()
            )));
        }
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        sqlx::query(
            "DELETE FROM account_roles WHERE compound_id = $1 AND account_id = $2 AND role NOT IN ('owner', 'resident')",
        )
        .bind(compound)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        let mut names: Vec<&str> = offices.iter().map(|r| r.as_str()).collect();
        names.sort();
        names.dedup();
        for r in &names {
            sqlx::query("INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, $3)")
                .bind(compound)
                .bind(account_id)
                .bind(*r)
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, compound, actor.login, "account.roles", &login, &format!("offices={}", names.join(",")))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the account signs in with a temporary password it must replace first.
    pub async fn must_change_password(&self, compound: &str, account_id: &str) -> Result<bool> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT must_change_password FROM accounts WHERE compound_id = $1 AND id = $2")
                .bind(compound)
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(v == Some(1))
    }

    /// The account holder replaces their own password: every other session of the account ends,
    /// the one in use (`keep_token`) stays.
    pub async fn change_password(
        &self,
        compound: &str,
        account_id: &str,
        password_hash: &str,
        keep_token: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, must_change_password = 0 WHERE compound_id = $2 AND id = $3",
        )
        .bind(password_hash)
        .bind(compound)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE compound_id = $1 AND account_id = $2 AND token_hash <> $3")
            .bind(compound)
            .bind(account_id)
            .bind(sha256_hex(keep_token))
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, &login, "account.password-change", &login, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an account's password (a temporary one staff hand over) and ends its sessions.
    pub async fn reset_password(
        &self,
        compound: &str,
        account_id: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, must_change_password = 1 WHERE compound_id = $2 AND id = $3",
        )
        .bind(password_hash)
        .bind(compound)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE compound_id = $1 AND account_id = $2")
            .bind(compound)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        // the password itself is never logged
        append(&mut tx, compound, actor, "account.password-reset", &login, "").await?;
        tx.commit().await?;
        Ok(())
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
