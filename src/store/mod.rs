//! The database: reader feedback, editor sessions and rate limits. SQLite (one file under the data
//! folder) for a single server, or PostgreSQL shared by every replica. Both through `sqlx`'s `Any`
//! driver with the same SQL: `$1`-style parameters, times in milliseconds, flags as 0 or 1. The
//! migrations in `migrations/` are compiled in and applied when the store opens.
//!
//! No web types here: the web layer turns a [`StoreError`] into its answer (503 for readers).

mod feedback;
mod limits;
mod sessions;

pub use feedback::{Comment, NewFeedback, Tally};
pub use limits::Taken;
pub use sessions::StoredSession;

use sha2::{Digest, Sha256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Where the data is kept.
#[derive(Debug, Clone)]
pub enum Location {
    /// `healthpress.db` in this folder (created with the folder if missing).
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// `database` if given (a PostgreSQL URL), else SQLite under `data`.
    pub fn choose(database: Option<&str>, data: &Path) -> Result<Self, String> {
        match database {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_string()))
            }
            Some(other) => Err(format!(
                "--database {:?} is not a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE, \
                 or leave it out to keep the data in SQLite under --data",
                redact(other)
            )),
            None => Ok(Location::Sqlite(data.to_path_buf())),
        }
    }

    /// For messages: the folder, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(dir) => format!("SQLite in {}", dir.join(SQLITE_FILE).display()),
            Location::Postgres(url) => format!("PostgreSQL at {}", redact(url)),
        }
    }
}

/// The SQLite file's name in the data folder.
pub const SQLITE_FILE: &str = "healthpress.db";

/// How long a request waits for a database connection before it is told the database is unavailable.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// After the database could not be reached, how long requests are refused without trying.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);

/// Whether `e` says the database could not be reached (rather than refusing a statement).
fn is_unreachable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed
    )
}

/// The database could not do what was asked (unreachable, timed out, or refused the statement). Kept
/// data is never lost by one: the statement either happened or did not.
#[derive(Debug)]
pub struct StoreError(String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "database: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// The open store, shared by every worker (cloning shares the pool).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// A random secret of this installation, stored in the database so every replica has it; mixed
    /// into the hashes that identify clients in rate limits, so they cannot be reversed by trying
    /// every address.
    salt: Arc<str>,
    location: Arc<str>,
    /// Until when (ms since 1970) to answer "unavailable" without trying, after the database could
    /// not be reached; 0 while it answers. See [`Store::run`].
    unreachable_until: Arc<AtomicI64>,
}

impl Store {
    /// Opens (creating the SQLite folder and file if needed), applies the migrations and reads the
    /// installation's salt. The error says what to fix.
    pub async fn open(location: &Location) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let described = location.describe();
        let (url, sqlite, connections) = match location {
            Location::Sqlite(dir) => {
                create_private_dir(dir)?;
                let dir = std::fs::canonicalize(dir)
                    .map_err(|e| format!("cannot find the data folder {}: {e}", dir.display()))?;
                let path = dir.join(SQLITE_FILE);
                let Some(path) = path.to_str() else {
                    return Err(format!(
                        "the data folder {} is not a UTF-8 path: choose another with --data",
                        dir.display()
                    ));
                };
                (
                    format!("sqlite://{}?mode=rwc", percent_encode(path)),
                    true,
                    4,
                )
            }
            Location::Postgres(url) => (url.clone(), false, 8),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| format!("cannot use {described}: {e}"))?;
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // Connections are checked before use, so a database that restarted is reconnected to.
            .test_before_acquire(true)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // Readers do not wait for a writer, and a writer waits for another.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| format!("cannot open {described}: {e}"))?;
        let migrator = Migrator::new(Embedded)
            .await
            .map_err(|e| format!("cannot read the migrations: {e}"))?;
        migrator
            .run(&pool)
            .await
            .map_err(|e| format!("cannot bring {described} up to date: {e}"))?;
        let salt = Self::salt(&pool)
            .await
            .map_err(|e| format!("cannot read the settings in {described}: {e}"))?;
        Ok(Store {
            pool,
            salt: salt.into(),
            location: described.into(),
            unreachable_until: Arc::new(AtomicI64::new(0)),
        })
    }

    /// The installation's salt, made by whichever replica starts first.
    async fn salt(pool: &AnyPool) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ('client_salt', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(random_hex(32))
        .execute(pool)
        .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE name = 'client_salt'")
            .fetch_one(pool)
            .await
    }

    /// Runs one statement. After the database could not be reached, statements are refused at once
    /// for [`RETRY_EVERY`], rather than each waiting [`ACQUIRE_TIMEOUT`]; then one request tries
    /// again (the others are still refused at once meanwhile), and when it gets through, everything
    /// does. The pool reconnects by itself: connections are checked before use.
    async fn run<T>(
        &self,
        statement: impl std::future::Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, StoreError> {
        let now = now_ms();
        let until = self.unreachable_until.load(Ordering::Acquire);
        if until > now {
            return Err(StoreError(format!(
                "{} could not be reached; trying again shortly",
                self.location
            )));
        }
        let probing = until != 0;
        if probing {
            // This request tries; the others keep being refused at once until it knows.
            let trying = now + (ACQUIRE_TIMEOUT + RETRY_EVERY).as_millis() as i64;
            if self
                .unreachable_until
                .compare_exchange(until, trying, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                return Err(StoreError(format!(
                    "{} could not be reached; trying again shortly",
                    self.location
                )));
            }
        }
        match statement.await {
            Ok(value) => {
                if probing {
                    self.unreachable_until.store(0, Ordering::Release);
                    tracing::info!("{} answers again", self.location);
                }
                Ok(value)
            }
            Err(e) if is_unreachable(&e) => {
                let retry = now_ms() + RETRY_EVERY.as_millis() as i64;
                if self.unreachable_until.swap(retry, Ordering::AcqRel) == 0 {
                    tracing::error!("{} cannot be reached: {e}", self.location);
                }
                Err(e.into())
            }
            Err(e) => {
                if probing {
                    self.unreachable_until.store(0, Ordering::Release);
                }
                Err(e.into())
            }
        }
    }

    /// Where the data is, for messages (a PostgreSQL URL without its password).
    pub fn describe(&self) -> &str {
        &self.location
    }

    /// Whether the database answers now.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(sqlx::query("SELECT 1").execute(&self.pool))
            .await?;
        Ok(())
    }

    /// A hex SHA-256 of the installation's salt and `parts`: how clients are named in the database.
    pub fn hash(&self, parts: &[&str]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.salt.as_bytes());
        for part in parts {
            hasher.update([0]);
            hasher.update(part.as_bytes());
        }
        hex(&hasher.finalize())
    }

    /// Deletes what is kept no longer: feedback older than `retention_days`, expired sessions and
    /// rate-limit windows that ended more than a day ago. Returns the feedback rows deleted.
    pub async fn purge(&self, now_ms: i64, retention_days: u32) -> Result<u64, StoreError> {
        let cutoff = now_ms - i64::from(retention_days) * DAY_MS;
        let deleted = self
            .run(
                sqlx::query("DELETE FROM feedback WHERE created_ms < $1")
                    .bind(cutoff)
                    .execute(&self.pool),
            )
            .await?
            .rows_affected();
        self.run(
            sqlx::query("DELETE FROM editor_sessions WHERE expires_ms <= $1")
                .bind(now_ms)
                .execute(&self.pool),
        )
        .await?;
        self.run(
            sqlx::query("DELETE FROM rate_limits WHERE window_start_ms < $1")
                .bind(now_ms - DAY_MS)
                .execute(&self.pool),
        )
        .await?;
        Ok(deleted)
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// Creates the data folder if missing, readable by this user only (it holds readers' comments).
fn create_private_dir(dir: &Path) -> Result<(), String> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("cannot create the data folder {}: {e}", dir.display()))
}

/// Milliseconds since 1970, UTC.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// `bytes` random bytes as hex.
pub fn random_hex(bytes: usize) -> String {
    use rand_core::{OsRng, RngCore};
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A path as the SQLite URL wants it: bytes other than letters, digits and `/._-` percent-encoded.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(an unreadable URL)".to_string(),
    }
}

/// The migrations, compiled in: `migrations/NNNN_description.sql`, applied in order and recorded in
/// `_sqlx_migrations`. An applied migration must never change; add a new one instead.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "feedback sessions limits",
        include_str!("../../migrations/0001_feedback_sessions_limits.sql"),
    ),
    (
        2,
        "session accounts unlocks",
        include_str!("../../migrations/0002_session_accounts_unlocks.sql"),
    ),
];

#[derive(Debug)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> futures_util::future::BoxFuture<'static, Result<Vec<Migration>, sqlx::error::BoxDynError>>
    {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        (*description).into(),
                        MigrationType::Simple,
                        (*sql).into(),
                        false,
                    )
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_and_redaction() {
        let data = Path::new("data");
        assert!(matches!(
            Location::choose(None, data).unwrap(),
            Location::Sqlite(_)
        ));
        assert!(matches!(
            Location::choose(Some("postgresql://u@h/db"), data).unwrap(),
            Location::Postgres(_)
        ));
        let err = Location::choose(Some("mysql://u:secret@h/db"), data).unwrap_err();
        assert!(
            err.contains("not a PostgreSQL URL") && !err.contains("secret"),
            "{err}"
        );
        let described = Location::Postgres("postgres://u:secret@h:5432/db".into()).describe();
        assert!(!described.contains("secret"), "{described}");
        assert_eq!(percent_encode("/a b/c?d#"), "/a%20b/c%3Fd%23");
    }
}
