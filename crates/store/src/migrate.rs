//! Our own small migration runner: the same SQL files on SQLite and PostgreSQL, applied in order
//! inside one transaction each, recorded in `schema_migrations`.

use crate::{Backend, Result};
use sqlx::{AnyPool, AssertSqlSafe, Executor};

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "registry and matters", include_str!("../migrations/0001_registry_and_matters.sql")),
    (2, "accounts, ballot channels, audit", include_str!("../migrations/0002_accounts_ballot_channels_audit.sql")),
    (3, "projects", include_str!("../migrations/0003_projects.sql")),
    (4, "password change", include_str!("../migrations/0004_password_change.sql")),
];

/// Applies the migrations not yet applied. `BLOB` is PostgreSQL's `BYTEA`; nothing else differs.
pub async fn run(pool: &AnyPool, backend: Backend) -> Result<()> {
    pool.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        .await?;
    for (version, name, sql) in MIGRATIONS {
        let mut tx = pool.begin().await?;
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(version)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some() {
            continue;
        }
        for stmt in statements(sql) {
            // the statements are our own embedded migration files
            let stmt = if backend == Backend::Postgres { stmt.replace(" BLOB", " BYTEA") } else { stmt };
            tx.execute(AssertSqlSafe(stmt)).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(*name)
            .bind(crate::now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Splits a file on `;` at the end of a line, dropping `--` comment lines.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let t = line.trim();
        if t.starts_with("--") || t.is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if t.ends_with(';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}
