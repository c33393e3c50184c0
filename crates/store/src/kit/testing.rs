//! Fresh databases for tests: a temporary SQLite file always, and a new PostgreSQL database on
//! the server named by `TEST_DATABASE_URL` when it is set (CI sets it).

use crate::{Result, Store, StoreError};
use gongzhi_core::kit::KitRefusal;
use sqlx::{AnyPool, AssertSqlSafe, Executor};
use std::future::Future;

/// The database URLs a test should run against, labelled.
pub async fn fresh_urls() -> Result<Vec<(&'static str, String)>> {
    let dir = std::env::temp_dir().join(format!("gongzhi-test-{}", uuid::Uuid::now_v7().simple()));
    let mut out = vec![("sqlite", format!("sqlite://{}/gongzhi.db", dir.display()))];
    if let Ok(base) = std::env::var("TEST_DATABASE_URL") {
        out.push(("postgres", fresh_postgres(&base).await?));
    }
    Ok(out)
}

/// Creates an empty database beside the one `base` names and returns its URL.
pub async fn fresh_postgres(base: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    let name = format!("gz_t_{}", uuid::Uuid::now_v7().simple());
    let admin = AnyPool::connect(base).await.map_err(|e| StoreError::Io(format!("TEST_DATABASE_URL {base}: {e}")))?;
    // `name` is made here of hex digits only
    admin.execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await?;
    admin.close().await;
    let (head, _) =
        base.rsplit_once('/').ok_or_else(|| KitRefusal::TestDatabaseUrl { url: base.to_string() }.refused())?;
    Ok(format!("{head}/{name}"))
}

/// Drops a database made by [`fresh_postgres`] (best effort: a failed test may leave one).
pub async fn drop_postgres(url: &str) {
    if let Ok(base) = std::env::var("TEST_DATABASE_URL") {
        drop_postgres_at(&base, url).await;
    }
}

/// Drops the database `url` names, connecting through `base`; only names made here.
pub async fn drop_postgres_at(base: &str, url: &str) {
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    if !name.starts_with("gz_t_") || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return;
    }
    if let Ok(admin) = AnyPool::connect(base).await {
        let _ = admin.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).await;
        admin.close().await;
    }
}

/// Runs `body` once on each backend with a fresh, migrated store, then cleans up.
pub async fn on_each_backend<F, Fut>(body: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    for (label, url) in fresh_urls().await.expect("test databases") {
        let store = Store::connect(&url).await.unwrap_or_else(|e| panic!("{label}: {e}"));
        eprintln!("-- on {label}");
        body(store.clone()).await;
        store.close().await;
        if label == "postgres" {
            drop_postgres(&url).await;
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            let _ = std::fs::remove_dir_all(std::path::Path::new(path).parent().unwrap());
        }
    }
}
