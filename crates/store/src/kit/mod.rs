//! The store's kit: the connection pool over SQLite or PostgreSQL, write transactions, errors,
//! the audit chain, migrations, reading tables from files, and test databases.
//!
//! Error rule: a refusal (input a person can fix, or an action the present state refuses) is
//! [`StoreError::Refused`], typed by its process (the CLI exits 2 for bad input, the web answers
//! 4xx with its code); anything else is [`StoreError::Db`] or [`StoreError::Io`] (exit 1, HTTP
//! 500, logged without user data).

pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod files;
mod migrate;
pub mod outbox;
pub mod related;
pub mod testing;

use gongzhi_core::kit::{KitRefusal, Refused};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Refused(Refused),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Io(String),
}

impl From<Refused> for StoreError {
    fn from(r: Refused) -> Self {
        StoreError::Refused(r)
    }
}

impl StoreError {
    /// Whether a person can fix this by changing their input (CLI exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, StoreError::Refused(r) if r.kind().is_bad_input())
    }

    /// The refusal, if this is one.
    pub fn refused(&self) -> Option<&Refused> {
        match self {
            StoreError::Refused(r) => Some(r),
            _ => None,
        }
    }

    /// The refusal's stable code, if this is one.
    pub fn code(&self) -> Option<&'static str> {
        self.refused().map(Refused::code)
    }
}

/// Who did it: the account id kept with a ballot, and the login written to the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub id: &'a str,
    pub login: &'a str,
}

impl Actor<'static> {
    /// The system itself (seeding, the CLI).
    pub const SYSTEM: Actor<'static> = Actor { id: "system", login: "system" };
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool with the schema in place.
#[derive(Clone, Debug)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time: writers queue here, in order, instead of sleeping in
    /// SQLite's busy handler (which makes the slowest waits long). PostgreSQL needs no queue.
    pub(crate) writer: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// Online ballots waiting for the next group commit.
    /// State a process keeps per store (the ballot queue, the cache of frozen rolls).
    slots: std::sync::Arc<Slots>,
}

/// Per-process state, each kept under its type and made on first use: the kit holds it without
/// knowing the process.
#[derive(Default)]
struct Slots(
    std::sync::Mutex<std::collections::HashMap<std::any::TypeId, std::sync::Arc<dyn std::any::Any + Send + Sync>>>,
);

impl std::fmt::Debug for Slots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Slots")
    }
}

/// A write transaction; on SQLite it holds the writers' queue and SQLite's write lock from its
/// first statement (`BEGIN IMMEDIATE`), so a read-then-write never fails on a stale snapshot.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn now_ms() -> i64 {
    gongzhi_core::time::now_ms()
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Store {
    /// Opens `sqlite://PATH` (created if absent, with its folder) or `postgres://…`, and migrates.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let file = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Io(format!("cannot create {}: {e}", dir.display())))?;
            }
            let url = if path.contains("mode=") {
                format!("sqlite://{path}")
            } else if path.contains('?') {
                format!("sqlite://{path}&mode=rwc")
            } else {
                format!("sqlite://{path}?mode=rwc")
            };
            (url, Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_string(), Backend::Postgres)
        } else {
            return KitRefusal::DatabaseUrl { url: url.to_string() }.err();
        };
        let opts = AnyPoolOptions::new().max_connections(if backend == Backend::Sqlite { 4 } else { 16 });
        let pool = opts.connect(&url).await?;
        if backend == Backend::Sqlite {
            // WAL: readers never block the writer; the mode is stored in the file itself.
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        migrate::run(&pool, backend).await?;
        let writer = (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Store { pool, backend, writer, slots: Default::default() })
    }

    /// Begins a write transaction (see [`WriteTx`]).
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let turn = match &self.writer {
            Some(m) => Some(m.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }

    /// A process's state kept with this store, made on first use.
    pub(crate) fn slot<T: Default + Send + Sync + 'static>(&self) -> std::sync::Arc<T> {
        let mut slots = self.slots.0.lock().unwrap_or_else(|p| p.into_inner());
        let any = slots.entry(std::any::TypeId::of::<T>()).or_insert_with(|| std::sync::Arc::new(T::default())).clone();
        any.downcast::<T>().expect("a slot holds the type it is kept under")
    }

    /// The same database without the ballot queue: what the queue's own writer task holds, so
    /// that the queue closes when the last handle on the store is dropped.
    pub(crate) fn writer_only(&self) -> Store {
        Store { slots: Default::default(), ..self.clone() }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Turns a unique-constraint violation into the refusal it means, anything else into a DB error.
pub(crate) fn on_unique(e: sqlx::Error, refusal: impl FnOnce() -> Refused) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Refused(refusal()),
        _ => StoreError::Db(e),
    }
}
