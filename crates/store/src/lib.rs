//! gongzhi-store: persistence on SQLite (embedded default) or PostgreSQL, through one code path
//! (sqlx's Any driver) and one migrations folder.
//!
//! Error rule: input a person can fix is [`StoreError::BadInput`], [`StoreError::Rows`] or
//! [`StoreError::Tally`] (the CLI exits 2, the web answers 4xx); a refused action on valid input
//! is [`StoreError::Conflict`] or [`StoreError::NotFound`]; anything else is
//! [`StoreError::Db`] or [`StoreError::Io`] (exit 1, HTTP 500, logged without user data).

pub mod accounts;
pub mod audit;
mod ballots;
pub mod channels;
pub mod demo;
pub mod files;
pub mod matters;
mod migrate;
pub mod projects;
pub mod registry;
pub mod testing;

use gongzhi_core::{RowError, TallyError};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::{SystemTime, UNIX_EPOCH};

pub use files::{read_ballots, read_delivered, read_registry};
pub use matters::{Actor, Matter, MatterStatus, NewMatter};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    BadInput(String),
    #[error("{}", join(.0))]
    Rows(Vec<RowError>),
    #[error("{}", join(.0))]
    Tally(Vec<TallyError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Io(String),
}

fn join<T: std::fmt::Display>(xs: &[T]) -> String {
    xs.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("\n")
}

impl StoreError {
    /// Whether a person can fix this by changing their input (CLI exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, StoreError::BadInput(_) | StoreError::Rows(_) | StoreError::Tally(_))
    }
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
    writer: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// Online ballots waiting for the next group commit.
    ballots: std::sync::Arc<ballots::BallotQueue>,
    /// Frozen rolls already read (see [`Store::roll`]).
    rolls: std::sync::Arc<std::sync::Mutex<Rolls>>,
}

type Rolls = std::collections::HashMap<(String, String), std::sync::Arc<Vec<gongzhi_core::Unit>>>;

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
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
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
            return Err(StoreError::BadInput(format!("database URL '{url}' must start with sqlite:// or postgres://")));
        };
        let opts = AnyPoolOptions::new().max_connections(if backend == Backend::Sqlite { 4 } else { 16 });
        let pool = opts.connect(&url).await?;
        if backend == Backend::Sqlite {
            // WAL: readers never block the writer; the mode is stored in the file itself.
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        migrate::run(&pool, backend).await?;
        let writer = (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Store { pool, backend, writer, ballots: Default::default(), rolls: Default::default() })
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

    /// The same database without the ballot queue: what the queue's own writer task holds, so
    /// that the queue closes when the last handle on the store is dropped.
    fn writer_only(&self) -> Store {
        Store { ballots: Default::default(), ..self.clone() }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Turns a unique-constraint violation into a clear conflict, anything else into a DB error.
pub(crate) fn on_unique(e: sqlx::Error, msg: impl FnOnce() -> String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(msg()),
        _ => StoreError::Db(e),
    }
}
