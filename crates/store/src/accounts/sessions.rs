//! Server-side sessions (the cookie or bearer token is stored only as its SHA-256), passwords,
//! and sign-in limits shared by every server: an attempt is reserved in the database before its
//! password is checked, so no number of parallel guesses gets past the limit.

use super::{ACCOUNT_COLS, Account, account_from_row, account_names, random_token, sha256_hex};
use crate::kit::audit::append;
use crate::{Result, Store, now_ms};
use gongzhi_core::accounts::AccountsRefusal;
use sqlx::{AssertSqlSafe, Row};

/// How long a sign-in window lasts, and how many attempts it allows per person.
pub const LOGIN_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOGIN_MAX_FAILURES: i64 = 5;
/// Attempts allowed per source address per window (a building's shared connection may hold
/// many people signing in).
pub const LOGIN_MAX_PER_ADDRESS: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub compound_id: String,
    pub account_id: String,
    pub csrf: String,
    pub expires_at: i64,
}

/// A reserved sign-in attempt: release it when the password was right.
#[derive(Clone, Debug)]
pub struct Attempt {
    keys: Vec<String>,
    window: i64,
}

impl Store {
    /// Reserves one attempt for each key (`person:ID`, `handle:TEXT`, `addr:IP`) within its limit,
    /// atomically; `Err(minutes)` when any limit is reached (nothing stays reserved then).
    pub async fn reserve_attempt(&self, keys: &[(String, i64)]) -> Result<Result<Attempt, i64>> {
        let now = now_ms();
        let window = now / LOGIN_WINDOW_MS * LOGIN_WINDOW_MS;
        let minutes = (window + LOGIN_WINDOW_MS - now + 59_999) / 60_000;
        let mut tx = self.begin_write().await?;
        for (key, max) in keys {
            let n: Option<i64> = sqlx::query_scalar(
                "INSERT INTO login_attempts (limit_key, window_start, attempts) VALUES ($1, $2, 1) \
                 ON CONFLICT (limit_key, window_start) DO UPDATE SET attempts = login_attempts.attempts + 1 \
                 WHERE login_attempts.attempts < $3 RETURNING attempts",
            )
            .bind(key)
            .bind(window)
            .bind(*max)
            .fetch_optional(&mut *tx)
            .await?;
            if n.is_none() {
                // the transaction is dropped: the other keys' reservations go with it
                return Ok(Err(minutes));
            }
        }
        tx.commit().await?;
        Ok(Ok(Attempt { keys: keys.iter().map(|(k, _)| k.clone()).collect(), window }))
    }

    /// Gives a reserved attempt back (the password was right): only failures count.
    pub async fn release_attempt(&self, a: &Attempt) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for key in &a.keys {
            sqlx::query(
                "UPDATE login_attempts SET attempts = attempts - 1 WHERE limit_key = $1 AND window_start = $2 AND attempts > 0",
            )
            .bind(key)
            .bind(a.window)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Minutes until a person's sign-in lock ends, if they are locked now.
    pub async fn locked_for(&self, person: &str) -> Result<Option<i64>> {
        let now = now_ms();
        let window = now / LOGIN_WINDOW_MS * LOGIN_WINDOW_MS;
        let n: Option<i64> =
            sqlx::query_scalar("SELECT attempts FROM login_attempts WHERE limit_key = $1 AND window_start = $2")
                .bind(format!("person:{person}"))
                .bind(window)
                .fetch_optional(&self.pool)
                .await?;
        Ok((n.unwrap_or(0) >= LOGIN_MAX_FAILURES).then(|| (window + LOGIN_WINDOW_MS - now + 59_999) / 60_000))
    }

    /// Staff unlock a member's sign-in (audited).
    pub async fn unlock(&self, compound: &str, account_id: &str, actor: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        sqlx::query("DELETE FROM login_attempts WHERE limit_key = $1")
            .bind(format!("person:{account_id}"))
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor, "account.unlock", &login, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session in the account's compound; returns the secret token (only its hash is
    /// stored) and the CSRF token.
    pub async fn create_session(&self, account: &Account, ttl_ms: i64) -> Result<(String, String)> {
        self.open_session(&account.compound_id, &account.id, ttl_ms).await
    }

    /// Starts a session of `person` in `compound`, where they must be a member.
    pub async fn open_session(&self, compound: &str, person: &str, ttl_ms: i64) -> Result<(String, String)> {
        let token = random_token();
        let csrf = random_token();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, compound_id, account_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(sha256_hex(&token))
        .bind(compound)
        .bind(person)
        .bind(&csrf)
        .bind(now)
        .bind(now + ttl_ms)
        .execute(&self.pool)
        .await?;
        Ok((token, csrf))
    }

    /// Moves a session to another compound the person belongs to.
    pub async fn switch_compound(&self, token: &str, compound: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE sessions SET compound_id = $1 WHERE token_hash = $2 AND EXISTS \
             (SELECT 1 FROM accounts a WHERE a.compound_id = $1 AND a.id = sessions.account_id)",
        )
        .bind(compound)
        .bind(sha256_hex(token))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
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
    /// signed-in request reads first. The last value says whether the password is temporary.
    pub async fn session_account(&self, token: &str) -> Result<Option<(SessionRow, Account, bool)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLS}, s.csrf, s.expires_at, p.must_change_password FROM sessions s \
             JOIN accounts a ON a.compound_id = s.compound_id AND a.id = s.account_id JOIN people p ON p.id = a.id \
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
        Ok(Some((session, account, r.get::<i64, _>(9) == 1)))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token)).execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the person signs in with a temporary password they must replace first.
    pub async fn must_change_password(&self, person: &str) -> Result<bool> {
        let v: Option<i64> = sqlx::query_scalar("SELECT must_change_password FROM people WHERE id = $1")
            .bind(person)
            .fetch_optional(&self.pool)
            .await?;
        Ok(v == Some(1))
    }

    /// A person's password hash (for checking the current password before a change).
    pub async fn password_hash(&self, person: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT password_hash FROM people WHERE id = $1")
            .bind(person)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The account holder replaces their own password: every other session of the person ends,
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
        sqlx::query("UPDATE people SET password_hash = $1, must_change_password = 0 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(account_id)
            .bind(sha256_hex(keep_token))
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, &login, "account.password-change", &login, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a member's password with a temporary one staff hand over, and ends their sessions.
    pub async fn reset_password(
        &self,
        compound: &str,
        account_id: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (login, _) = account_names(&mut tx, compound, account_id).await?;
        let compounds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
        // one compound's staff never take over a person's access to another compound
        if compounds > 1 {
            return AccountsRefusal::MemberElsewhere { login }.err();
        }
        sqlx::query("UPDATE people SET password_hash = $1, must_change_password = 1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
        // the password itself is never logged
        append(&mut tx, compound, actor, "account.password-reset", &login, "").await?;
        tx.commit().await?;
        Ok(())
    }
}
