//! Migrations through sqlx's migrator (a lock so two servers starting together migrate once, and
//! checksums so an applied file that changed is refused), built from the same SQL files for
//! SQLite and PostgreSQL. Databases made by the earlier runner (`schema_migrations`) are carried
//! over: what they applied is marked applied, not run again.

use crate::{Backend, Result, StoreError};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, Executor, SqlSafeStr};
use std::borrow::Cow;

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "registry and matters", include_str!("../../migrations/0001_registry_and_matters.sql")),
    (2, "accounts, ballot channels, audit", include_str!("../../migrations/0002_accounts_ballot_channels_audit.sql")),
    (3, "projects", include_str!("../../migrations/0003_projects.sql")),
    (4, "password change", include_str!("../../migrations/0004_password_change.sql")),
    (5, "periods and calendar", include_str!("../../migrations/0005_periods_and_calendar.sql")),
    (6, "people and memberships", include_str!("../../migrations/0006_people_and_memberships.sql")),
    (7, "voting window", include_str!("../../migrations/0007_voting_window.sql")),
    (8, "publish choices", include_str!("../../migrations/0008_publish_choices.sql")),
    (9, "outbox", include_str!("../../migrations/0009_outbox.sql")),
    (10, "channels", include_str!("../../migrations/0010_channels.sql")),
    (11, "committee", include_str!("../../migrations/0011_committee.sql")),
    (12, "committee meetings", include_str!("../../migrations/0012_committee_meetings.sql")),
    (13, "elections and candidates", include_str!("../../migrations/0013_elections.sql")),
    (14, "compound meetings", include_str!("../../migrations/0014_compound_meetings.sql")),
    (15, "committee settings", include_str!("../../migrations/0015_committee_settings.sql")),
    (16, "departures, group, demands", include_str!("../../migrations/0016_departures_group_demands.sql")),
    (17, "incoming term", include_str!("../../migrations/0017_incoming_term.sql")),
    (18, "corridors", include_str!("../../migrations/0018_corridors.sql")),
    (19, "waste", include_str!("../../migrations/0019_waste.sql")),
    (20, "waste records, changes, covers", include_str!("../../migrations/0020_waste_records_changes_covers.sql")),
    (21, "funds", include_str!("../../migrations/0021_funds.sql")),
    (22, "map and requests", include_str!("../../migrations/0022_map_and_requests.sql")),
];

fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, name, sql)| {
            // `BLOB` is PostgreSQL's `BYTEA`; nothing else differs
            let sql = if backend == Backend::Postgres { sql.replace(" BLOB", " BYTEA") } else { sql.to_string() };
            Migration::new(
                *version,
                Cow::Borrowed(*name),
                MigrationType::Simple,
                AssertSqlSafe(sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

fn failed(e: sqlx::migrate::MigrateError) -> StoreError {
    StoreError::Io(format!("migration failed: {e}"))
}

/// Applies the migrations not yet applied.
pub async fn run(pool: &AnyPool, backend: Backend) -> Result<()> {
    let m = migrator(backend);
    let old: std::result::Result<Option<i64>, _> =
        sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations").fetch_one(pool).await;
    if let Ok(Some(applied)) = old {
        // under the migrator's lock: marks the old runner's migrations applied without running them
        m.skip(pool, Some(applied)).await.map_err(failed)?;
        pool.execute("DROP TABLE IF EXISTS schema_migrations").await?;
    }
    m.run(pool).await.map_err(failed)
}
