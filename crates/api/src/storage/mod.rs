//! Storage on PostgreSQL or SQLite through one diesel connection type. Backend-specific SQL
//! stays in the module that needs it and branches on [`DbConnection`]'s variant.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod bankid_orders;
pub mod catalogue;
pub mod centres;
pub mod certificates;
pub mod codes;
pub mod idempotency;
pub mod login_challenges;
pub mod outbox;
pub mod prepared;
pub mod profile;
pub mod schema;
pub mod seed;
pub mod sessions;
mod sqlite_file;
pub mod throttle;

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::Semaphore;

use self::sqlite_file::SqliteFile;
use crate::config::Secret;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Milliseconds a SQLite connection waits for another writer before it fails.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// One connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    /// Runs `job` in a transaction that writes, committing when it returns `Ok`.
    ///
    /// On SQLite the transaction starts with `BEGIN IMMEDIATE`, which takes the write lock at
    /// once and waits for it up to the busy timeout. A plain `BEGIN` defers the lock to the
    /// first write. A transaction that has read by then fails at once with "database is
    /// locked" while another connection holds the lock, because SQLite does not call the busy
    /// handler for that upgrade, where waiting could deadlock. Inside an open transaction, and
    /// on PostgreSQL, this is diesel's `transaction`.
    #[expect(
        clippy::disallowed_methods,
        reason = "the deferred `transaction` is right where no lock upgrade can happen"
    )]
    pub fn write_transaction<T, E, F>(&mut self, job: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        let Self::Sqlite(sqlite) = self else {
            return self.transaction(job);
        };
        let depth =
            AnsiTransactionManager::transaction_manager_status_mut(sqlite).transaction_depth()?;
        if depth.is_some() {
            return self.transaction(job);
        }

        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
        // The rest follows diesel's `TransactionManager::transaction`.
        match job(self) {
            Ok(value) => {
                <Self as Connection>::TransactionManager::commit_transaction(self)?;
                Ok(value)
            }
            Err(job_error) => {
                match <Self as Connection>::TransactionManager::rollback_transaction(self) {
                    Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(job_error),
                    Err(rollback_error) => Err(rollback_error.into()),
                }
            }
        }
    }
}

impl std::fmt::Debug for DbConnection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Postgresql(_) => "DbConnection::Postgresql",
            Self::Sqlite(_) => "DbConnection::Sqlite",
        })
    }
}

/// How long a pooled connection counts as working after a successful ping. A ping per
/// checkout would add a database round trip to every job.
const PING_INTERVAL: Duration = Duration::from_secs(1);

/// A pooled connection and the time of its last successful ping.
#[derive(Debug)]
pub struct CheckedConnection {
    connection: DbConnection,
    pinged_at: Instant,
}

impl Deref for CheckedConnection {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.connection
    }
}

impl DerefMut for CheckedConnection {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.connection
    }
}

/// The database engine behind a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgresql,
    Sqlite,
}

/// A storage failure, before the HTTP layer decides what the caller receives.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No connection could be had in time: the database is down or overloaded.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("unsupported database URL; expected sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("database task was cancelled")]
    Cancelled,
}

/// Opens connections of the backend the URL names. diesel's derived `establish` tries each
/// backend in turn, which would make a mistyped PostgreSQL URL create a SQLite file; this
/// manager picks the backend from the URL scheme alone.
#[derive(Debug, Clone)]
struct ConnectionManager {
    backend: Backend,
    target: Secret,
    /// How long a PostgreSQL statement waits for a row or table lock before it fails.
    lock_timeout: Duration,
    /// The SQLite database file, for a SQLite URL.
    sqlite_file: Option<Arc<SqliteFile>>,
}

impl ConnectionManager {
    fn new(url: &Secret) -> Result<Self, StorageError> {
        let url = url.expose();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self {
                backend: Backend::Postgresql,
                target: Secret::new(url),
                lock_timeout: Duration::ZERO,
                sqlite_file: None,
            });
        }
        match url.strip_prefix("sqlite://") {
            Some(path) if !path.is_empty() => Ok(Self {
                backend: Backend::Sqlite,
                target: Secret::new(path),
                lock_timeout: Duration::ZERO,
                sqlite_file: Some(Arc::new(SqliteFile::new(path))),
            }),
            _ => Err(StorageError::UnsupportedUrl),
        }
    }

    fn check_sqlite_file(&self) -> Result<(), r2d2::Error> {
        match &self.sqlite_file {
            Some(file) => file.check().map_err(bad_connection),
            None => Ok(()),
        }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = CheckedConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<CheckedConnection, r2d2::Error> {
        let connection = self.open()?;
        Ok(CheckedConnection {
            connection,
            pinged_at: Instant::now(),
        })
    }

    /// Pings a connection whose last successful ping is more than a second old, so a
    /// connection that the database closed is replaced before a request gets it. Within that
    /// second the first job on such a connection fails, and `has_broken` then drops it.
    fn is_valid(&self, checked: &mut CheckedConnection) -> Result<(), r2d2::Error> {
        if checked.pinged_at.elapsed() < PING_INTERVAL {
            return Ok(());
        }
        diesel::sql_query("SELECT 1")
            .execute(&mut checked.connection)
            .map_err(r2d2::Error::QueryError)?;
        checked.pinged_at = Instant::now();
        Ok(())
    }

    /// Drops a connection returned while its thread panics, or after diesel found it broken,
    /// such as when the database closed it. The next job then gets a working connection or
    /// a new one, and never inherits an open transaction.
    fn has_broken(&self, checked: &mut CheckedConnection) -> bool {
        std::thread::panicking()
            || <<DbConnection as Connection>::TransactionManager as TransactionManager<
                DbConnection,
            >>::is_broken_transaction_manager(&mut checked.connection)
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgresql => {
                let mut connection = PgConnection::establish(self.target.expose())
                    .map_err(r2d2::Error::ConnectionError)?;
                // A lock held elsewhere, such as by a stalled transaction, would otherwise
                // hold the request and its pooled connection without limit.
                let lock_timeout_ms = self.lock_timeout.as_millis().max(1);
                connection
                    .batch_execute(&format!("SET lock_timeout = {lock_timeout_ms}"))
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Postgresql(connection))
            }
            Backend::Sqlite => {
                // Opening a deleted database's path would create a new, empty file there.
                self.check_sqlite_file()?;
                let mut connection = SqliteConnection::establish(self.target.expose())
                    .map_err(r2d2::Error::ConnectionError)?;
                connection
                    .batch_execute(&format!(
                        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                         PRAGMA journal_mode = WAL;
                         PRAGMA synchronous = NORMAL;
                         PRAGMA foreign_keys = ON;"
                    ))
                    .map_err(r2d2::Error::QueryError)?;
                if let Some(file) = &self.sqlite_file {
                    file.record_opened().map_err(bad_connection)?;
                }
                Ok(DbConnection::Sqlite(connection))
            }
        }
    }
}

fn bad_connection(error: StorageError) -> r2d2::Error {
    r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(error.to_string()))
}

type Pool = r2d2::Pool<ConnectionManager>;

/// The connection pool plus a bound on how many blocking database jobs run at once, so a
/// flood of requests queues here instead of occupying every blocking thread.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    backend: Backend,
    sqlite_file: Option<Arc<SqliteFile>>,
    permits: Arc<Semaphore>,
    /// How long a job waits for its turn before the caller receives "unavailable".
    wait_limit: Duration,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Database")
            .field("backend", &self.backend)
            .field("state", &self.pool.state())
            .finish()
    }
}

impl Database {
    /// Creates the pool. It opens no connection yet, so the server can start while the
    /// database is down and report that on `/readyz`.
    pub fn connect(url: &Secret, pool_size: u32, timeout: Duration) -> Result<Self, StorageError> {
        let mut manager = ConnectionManager::new(url)?;
        manager.lock_timeout = timeout;
        let backend = manager.backend;
        let sqlite_file = manager.sqlite_file.clone();
        // SQLite runs one writer at a time, and write transactions wait for the write lock
        // (see `DbConnection::write_transaction`). One connection per process runs the
        // server's own jobs one after another, so they never wait for each other's locks.
        let pool_size = match backend {
            Backend::Sqlite => {
                create_parent_directory(manager.target.expose())?;
                1
            }
            Backend::Postgresql => pool_size,
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(0))
            .connection_timeout(timeout)
            // A checked-out connection is pinged when its last ping is more than a second old
            // (see `is_valid`).
            .test_on_check_out(true)
            // Each failed request is logged where it fails. The pool's own line per failed
            // connection attempt would flood the log while the database is down.
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        let permits = Arc::new(Semaphore::new(pool_size as usize));
        Ok(Self {
            pool,
            backend,
            sqlite_file,
            permits,
            wait_limit: timeout,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `job` with a pooled connection on the blocking thread pool. On SQLite it fails
    /// with [`StorageError::Unavailable`] once the database file has been deleted or replaced,
    /// because what the job wrote would be lost.
    pub async fn run<T, E, F>(&self, job: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        // While the database is down, every job waits its full connection timeout, so the
        // wait for a permit has a time limit too.
        let _permit = tokio::time::timeout(self.wait_limit, self.permits.acquire())
            .await
            .map_err(|_| {
                StorageError::Unavailable("timed out waiting for a database connection".into())
            })?
            .map_err(|_| StorageError::Cancelled)?;
        let pool = self.pool.clone();
        let sqlite_file = self.sqlite_file.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            if let Some(file) = &sqlite_file {
                file.check()?;
            }
            let mut connection = pool
                .get()
                .map_err(|error| StorageError::Unavailable(error.to_string()))?;
            job(&mut connection)
        })
        .await;
        outcome.map_err(|_| StorageError::Cancelled)?
    }

    /// Applies every pending migration of the connection's backend.
    pub async fn migrate(&self) -> Result<Vec<String>, StorageError> {
        let lock_timeout_ms = self.wait_limit.as_millis().max(1);
        self.run(move |connection| {
            let applied = match connection {
                DbConnection::Postgresql(pg) => {
                    // Migrations may wait for another node's migrations, however long those
                    // take, so the pool's lock timeout is lifted for them.
                    pg.batch_execute("SET lock_timeout = 0")?;
                    let applied = pg
                        .run_pending_migrations(POSTGRES_MIGRATIONS)
                        .map(|versions| versions.iter().map(ToString::to_string).collect());
                    pg.batch_execute(&format!("SET lock_timeout = {lock_timeout_ms}"))?;
                    applied
                }
                DbConnection::Sqlite(sqlite) => sqlite
                    .run_pending_migrations(SQLITE_MIGRATIONS)
                    .map(|versions| versions.iter().map(ToString::to_string).collect()),
            }
            .map_err(|error| StorageError::Migration(error.to_string()))?;
            Ok(applied)
        })
        .await
    }

    /// Checks that a connection can be had and that it runs a trivial query, and on SQLite
    /// that the database file is still the one opened.
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.run(|connection| {
            diesel::sql_query("SELECT 1").execute(connection)?;
            Ok(())
        })
        .await
    }
}

fn create_parent_directory(path: &str) -> Result<(), StorageError> {
    let parent = std::path::Path::new(path).parent();
    match parent {
        Some(directory) if !directory.as_os_str().is_empty() => std::fs::create_dir_all(directory)
            .map_err(|error| {
                StorageError::Unavailable(format!("cannot create {}: {error}", directory.display()))
            }),
        _ => Ok(()),
    }
}
