//! People and their memberships: one person (login, phone, password) belongs to one or more
//! compounds, each membership with its roles and units. Also sessions and sign-in limits
//! ([`sessions`]), binding units by hand and offices ([`links`]), and binding codes ([`codes`]).

pub mod channels;
pub mod codes;
pub mod links;
pub mod sessions;

use crate::kit::audit::{append, hex};
use crate::{Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::{AccountsRefusal, Member, MemberUnit, Relation, Role};
use gongzhi_core::registry::RegistryRefusal;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

pub use links::Link;
pub use sessions::{LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, SessionRow};

/// A person as signed in to one compound: who they are, and their membership there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The compound of this membership.
    pub compound_id: String,
    /// The person's id (the same in every compound they belong to).
    pub id: String,
    pub login: String,
    pub phone: Option<String>,
    pub name: String,
    /// Roles and units in this compound.
    pub member: Member,
}

impl Account {
    /// Whether this account casts the vote of `unit`.
    pub fn votes_for(&self, unit: &UnitNo) -> bool {
        self.member.votes_for(unit)
    }

    pub fn has(&self, role: Role) -> bool {
        self.member.has(role)
    }

    pub fn roles(&self) -> &[Role] {
        &self.member.roles
    }

    pub fn units(&self) -> &[MemberUnit] {
        &self.member.units
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
    pub units: Vec<(UnitNo, Relation, bool)>,
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// A secret of 244 random bits from the operating system, as hex.
pub fn random_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Creates a person with their login and phone (one namespace: no login equals another's phone).
async fn insert_person(tx: &mut AnyConnection, a: &NewAccount) -> Result<String> {
    let login = a.login.trim();
    if login.is_empty() || login.chars().count() > 64 {
        return AccountsRefusal::LoginLength.err();
    }
    if a.name.trim().is_empty() {
        return AccountsRefusal::NameMissing.err();
    }
    let phone = a.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let id = new_id();
    sqlx::query(
        "INSERT INTO people (id, login, phone, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(login)
    .bind(phone)
    .bind(a.name.trim())
    .bind(&a.password_hash)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    for (handle, kind) in [(Some(login), "login"), (phone, "phone")] {
        let Some(handle) = handle else { continue };
        if kind == "phone" && handle == login {
            continue;
        }
        sqlx::query("INSERT INTO person_handles (handle, person_id, kind) VALUES ($1, $2, $3)")
            .bind(handle)
            .bind(&id)
            .bind(kind)
            .execute(&mut *tx)
            .await
            .map_err(|e| crate::on_unique(e, || AccountsRefusal::LoginTaken { login: handle.to_string() }.refused()))?;
    }
    Ok(id)
}

/// Makes `person` a member of `compound` with roles and units, in the caller's transaction.
async fn insert_membership(
    tx: &mut AnyConnection,
    compound: &str,
    person: &str,
    roles: &[Role],
    units: &[(UnitNo, Relation, bool)],
) -> Result<()> {
    sqlx::query("INSERT INTO accounts (compound_id, id, created_at) VALUES ($1, $2, $3)")
        .bind(compound)
        .bind(person)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    for r in roles {
        sqlx::query(
            "INSERT INTO account_roles (compound_id, account_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(compound)
        .bind(person)
        .bind(r.as_str())
        .execute(&mut *tx)
        .await?;
    }
    for (unit, relation, voter) in units {
        sqlx::query(
            "INSERT INTO account_units (compound_id, account_id, unit_no, relation, voter) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(person)
        .bind(unit.as_str())
        .bind(relation.as_str())
        .bind(*voter as i64)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                RegistryRefusal::UnitNotInRegister { unit: unit.to_string() }.refused().into()
            }
            _ => StoreError::Db(e),
        })?;
    }
    Ok(())
}

/// A new person and their membership of `compound`, audited; returns the person's id.
async fn insert_account(tx: &mut AnyConnection, compound: &str, a: &NewAccount, actor: &str) -> Result<String> {
    let id = insert_person(tx, a).await?;
    insert_membership(tx, compound, &id, &a.roles, &a.units).await?;
    let roles: Vec<&str> = a.roles.iter().map(|r| r.as_str()).collect();
    append(tx, compound, actor, "account.create", a.login.trim(), &format!("roles={}", roles.join(","))).await?;
    Ok(id)
}

/// Columns that load an account (`a`, the membership, joined to `p`, the person) with its roles
/// and units in one row; read by [`account_from_row`].
const ACCOUNT_COLS: &str = "a.compound_id, a.id, p.login, p.phone, p.name, \
    (SELECT string_agg(r.role, ',') FROM account_roles r WHERE r.compound_id = a.compound_id AND r.account_id = a.id), \
    (SELECT string_agg(u.unit_no || ':' || u.relation || ':' || CAST(u.voter AS TEXT), ',') FROM account_units u \
      WHERE u.compound_id = a.compound_id AND u.account_id = a.id)";

/// `FROM` for [`ACCOUNT_COLS`].
const ACCOUNT_FROM: &str = "accounts a JOIN people p ON p.id = a.id";

fn account_from_row(r: &sqlx::any::AnyRow) -> Account {
    let mut roles: Vec<Role> =
        r.get::<Option<String>, _>(5).unwrap_or_default().split(',').filter_map(Role::parse).collect();
    roles.sort_by_key(|r| r.as_str());
    let mut units: Vec<MemberUnit> = r
        .get::<Option<String>, _>(6)
        .unwrap_or_default()
        .split(',')
        .filter_map(|u| {
            let mut parts = u.splitn(3, ':');
            Some(MemberUnit {
                unit: UnitNo::parse(parts.next()?)?,
                relation: Relation::parse(parts.next()?)?,
                voter: parts.next()? == "1",
            })
        })
        .collect();
    units.sort_by(|a, b| a.unit.as_str().cmp(b.unit.as_str()));
    Account {
        compound_id: r.get(0),
        id: r.get(1),
        login: r.get(2),
        phone: r.get(3),
        name: r.get(4),
        member: Member { roles, units },
    }
}

/// The login and name of a member of `compound`, or the refusal naming the account.
pub(crate) async fn account_names(
    tx: &mut AnyConnection,
    compound: &str,
    account_id: &str,
) -> Result<(String, String)> {
    let r = sqlx::query(
        "SELECT p.login, p.name FROM accounts a JOIN people p ON p.id = a.id WHERE a.compound_id = $1 AND a.id = $2",
    )
    .bind(compound)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AccountsRefusal::AccountNotFound { account: account_id.to_string() }.refused())?;
    Ok((r.get(0), r.get(1)))
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

    /// Makes an existing person (found by login or phone) a member of `compound` with `roles`:
    /// their login and password stay as they are. Refused if they are a member already.
    pub async fn add_member(&self, compound: &str, handle: &str, roles: &[Role], actor: &str) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        let person: Option<String> = sqlx::query_scalar("SELECT person_id FROM person_handles WHERE handle = $1")
            .bind(handle.trim())
            .fetch_optional(&mut *tx)
            .await?;
        let person =
            person.ok_or_else(|| AccountsRefusal::AccountNotFound { account: handle.trim().into() }.refused())?;
        insert_membership(&mut tx, compound, &person, roles, &[]).await.map_err(|e| match e {
            StoreError::Db(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                AccountsRefusal::LoginTaken { login: handle.trim().into() }.refused().into()
            }
            e => e,
        })?;
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        append(&mut tx, compound, actor, "account.member", handle.trim(), &format!("roles={}", names.join(",")))
            .await?;
        tx.commit().await?;
        self.account(compound, &person).await
    }

    pub async fn account(&self, compound: &str, id: &str) -> Result<Account> {
        let sql = format!("SELECT {ACCOUNT_COLS} FROM {ACCOUNT_FROM} WHERE a.compound_id = $1 AND a.id = $2");
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(compound)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| AccountsRefusal::AccountNotFound { account: id.to_string() }.refused())?;
        Ok(account_from_row(&r))
    }

    /// The person a login name or phone number belongs to, with their password hash and the
    /// compounds they are a member of (by name).
    pub async fn person_for_login(&self, handle: &str) -> Result<Option<(String, String)>> {
        let r = sqlx::query(
            "SELECT p.id, p.password_hash FROM person_handles h JOIN people p ON p.id = h.person_id WHERE h.handle = $1",
        )
        .bind(handle.trim())
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| (r.get(0), r.get(1))))
    }

    /// A person's memberships: (compound id, compound name), by name.
    pub async fn memberships(&self, person: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT c.id, c.name FROM accounts a JOIN compounds c ON c.id = a.compound_id WHERE a.id = $1 ORDER BY c.name",
        )
        .bind(person)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Accounts of a compound whose login, name, phone or one of whose units contains `query`
    /// (all of them for an empty query), by login, at most `limit`.
    pub async fn search_accounts(&self, compound: &str, query: &str, limit: i64) -> Result<Vec<Account>> {
        let like = format!("%{}%", query.trim().replace(['\\', '%', '_'], ""));
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM {ACCOUNT_FROM} WHERE a.compound_id = $1 AND (p.login LIKE $2 OR p.name LIKE $2 \
             OR p.phone LIKE $2 OR EXISTS (SELECT 1 FROM account_units u WHERE u.compound_id = a.compound_id \
             AND u.account_id = a.id AND u.unit_no LIKE $2)) ORDER BY p.login LIMIT $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(compound).bind(like).bind(limit).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(account_from_row).collect())
    }

    /// The accounts bound to a unit (owners and residents).
    pub async fn unit_accounts(&self, compound: &str, unit: &UnitNo) -> Result<Vec<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLS} FROM {ACCOUNT_FROM} WHERE a.compound_id = $1 AND EXISTS (SELECT 1 FROM account_units u \
             WHERE u.compound_id = a.compound_id AND u.account_id = a.id AND u.unit_no = $2) ORDER BY p.login"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(compound).bind(unit.as_str()).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(account_from_row).collect())
    }

    /// Creates an account whose holder staff have verified by hand, bound to `link`'s unit if
    /// given, in one transaction; the password staff hand over is temporary.
    pub async fn create_verified_account(
        &self,
        compound: &str,
        a: &NewAccount,
        link: Option<&Link>,
        actor: &str,
    ) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        let id = insert_account(&mut tx, compound, a, actor).await?;
        sqlx::query("UPDATE people SET must_change_password = 1 WHERE id = $1").bind(&id).execute(&mut *tx).await?;
        if let Some(l) = link {
            links::link_unit(&mut tx, compound, &id, l, actor).await?;
        }
        tx.commit().await?;
        self.account(compound, &id).await
    }
}
