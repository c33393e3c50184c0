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

/// The demo compound seeded once per test process, kept as a template each test copies.
struct Templates {
    sqlite_dir: std::path::PathBuf,
    postgres: Option<(String, String)>,
}

static TEMPLATES: tokio::sync::OnceCell<Templates> = tokio::sync::OnceCell::const_new();
/// PostgreSQL copies a template only while nobody else uses it: one copy at a time.
static COPYING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn templates(password_hash: &str) -> Templates {
    let sqlite_dir = std::env::temp_dir().join(format!("gongzhi-tpl-{}", uuid::Uuid::now_v7().simple()));
    let url = format!("sqlite://{}/gongzhi.db", sqlite_dir.display());
    let store = Store::connect(&url).await.expect("the SQLite template");
    crate::demo::seed(&store, password_hash).await.expect("the demo seeds");
    // everything into the main file, so a copy of it is the whole database
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&store.pool).await.expect("checkpoint");
    store.close().await;
    let postgres = match std::env::var("TEST_DATABASE_URL") {
        Ok(base) => {
            let admin = AnyPool::connect(&base).await.expect("TEST_DATABASE_URL");
            // templates of earlier runs (test binaries run one after another)
            let old: Vec<String> =
                sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'gz_t_tpl_%'")
                    .fetch_all(&admin)
                    .await
                    .unwrap_or_default();
            for name in old.iter().filter(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
                let _ = admin.execute(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).await;
            }
            let name = format!("gz_t_tpl_{}", uuid::Uuid::now_v7().simple());
            admin.execute(AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("the PostgreSQL template");
            admin.close().await;
            let (head, _) = base.rsplit_once('/').expect("a database name in TEST_DATABASE_URL");
            let store = Store::connect(&format!("{head}/{name}")).await.expect("the PostgreSQL template");
            crate::demo::seed(&store, password_hash).await.expect("the demo seeds");
            store.close().await;
            Some((base, name))
        }
        Err(_) => None,
    };
    Templates { sqlite_dir, postgres }
}

/// Runs `body` once on each backend with its own copy of the demo compound, seeded once per test
/// process (`password_hash` is every demo account's): a copied SQLite file, and a PostgreSQL
/// database made with `CREATE DATABASE … TEMPLATE`.
pub async fn on_each_demo<F, Fut>(password_hash: &str, body: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let t = TEMPLATES.get_or_init(|| templates(password_hash)).await;
    let dir = std::env::temp_dir().join(format!("gongzhi-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("a test folder");
    std::fs::copy(t.sqlite_dir.join("gongzhi.db"), dir.join("gongzhi.db")).expect("a copy of the template");
    let mut runs = vec![("sqlite", format!("sqlite://{}/gongzhi.db", dir.display()))];
    if let Some((base, template)) = &t.postgres {
        let name = format!("gz_t_{}", uuid::Uuid::now_v7().simple());
        let _turn = COPYING.lock().await;
        let admin = AnyPool::connect(base).await.expect("TEST_DATABASE_URL");
        admin
            .execute(AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE {template}")))
            .await
            .expect("a copy of the PostgreSQL template");
        admin.close().await;
        let (head, _) = base.rsplit_once('/').expect("a database name");
        runs.push(("postgres", format!("{head}/{name}")));
    }
    for (label, url) in runs {
        let store = Store::connect(&url).await.unwrap_or_else(|e| panic!("{label}: {e}"));
        eprintln!("-- on {label}, the demo");
        body(store.clone()).await;
        store.close().await;
        if label == "postgres" {
            drop_postgres(&url).await;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
