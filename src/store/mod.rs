//! The database: reader feedback, editor sessions and rate limits. SQLite (one file under the data
//! folder) for a single server, or PostgreSQL shared by every replica. Both through `sqlx`'s `Any`
//! driver with the same SQL: `$1`-style parameters, times in milliseconds, flags as 0 or 1. The
//! migrations in `migrations/` are compiled in and applied when the store opens.
//!
//! No web types here: the web layer turns a [`StoreError`] into its answer (503 for readers).

mod backup;
mod fact_checks;
mod feedback;
mod limits;
mod sessions;

pub use backup::{Contents, PG_DUMP, PG_RESTORE, Restored, Written, backup_sqlite, restore_sqlite};
pub use fact_checks::{FactCheckComment, FactCheckLink, LinkState};
pub use feedback::{Comment, NewFeedback, Tally};
pub use limits::Taken;
pub use sessions::StoredSession;

use hmac::{Hmac, Mac};
use sha2::Sha256;
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
    /// HMAC-SHA256 keyed with the installation's client key (see [`ClientKey`]), which is never in
    /// the database: the hashes that name clients in rate limits cannot be recomputed, so not
    /// reversed by trying every address, from a copy of the database.
    client_key: Arc<Hmac<Sha256>>,
    location: Arc<str>,
    /// Until when (ms since 1970) to answer "unavailable" without trying, after the database could
    /// not be reached; 0 while it answers. See [`Store::run`].
    unreachable_until: Arc<AtomicI64>,
}

impl Store {
    /// [`Store::open_with_key`] with [`ClientKey::Generated`]: for SQLite (PostgreSQL refuses it).
    pub async fn open(location: &Location) -> Result<Store, String> {
        Self::open_with_key(location, &ClientKey::Generated).await
    }

    /// Opens (creating the SQLite folder and file if needed, readable by this user only), applies
    /// the migrations and reads the client key. The error says what to fix.
    pub async fn open_with_key(location: &Location, key: &ClientKey) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let described = location.describe();
        let (url, sqlite, connections) = match location {
            Location::Sqlite(dir) => {
                create_private_dir(dir)?;
                let dir = std::fs::canonicalize(dir)
                    .map_err(|e| format!("cannot find the data folder {}: {e}", dir.display()))?;
                if let Some(warning) = shared_folder_warning(&dir) {
                    tracing::warn!("{warning}");
                }
                let path = dir.join(SQLITE_FILE);
                // Made (or made again) 0600 before SQLite opens it: SQLite gives the -wal and -shm
                // files it creates the database file's permissions. Ones left by an older version
                // or a crash are made private too.
                create_private_file(&path)?;
                for companion in sqlite_companions(&path) {
                    make_private(&companion)?;
                }
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
        let secret = key.read(location)?;
        let client_key = Hmac::<Sha256>::new_from_slice(&secret)
            .map_err(|e| format!("cannot use the client key: {e}"))?;
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
        if let Location::Sqlite(dir) = location {
            let path = std::fs::canonicalize(dir)
                .map_err(|e| format!("cannot find the data folder {}: {e}", dir.display()))?
                .join(SQLITE_FILE);
            for companion in sqlite_companions(&path) {
                make_private(&companion)?;
            }
        }
        Ok(Store {
            pool,
            client_key: Arc::new(client_key),
            location: described.into(),
            unreachable_until: Arc::new(AtomicI64::new(0)),
        })
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
                crate::metrics::metrics().store_errors.inc();
                let retry = now_ms() + RETRY_EVERY.as_millis() as i64;
                if self.unreachable_until.swap(retry, Ordering::AcqRel) == 0 {
                    tracing::error!("{} cannot be reached: {e}", self.location);
                }
                Err(e.into())
            }
            Err(e) => {
                crate::metrics::metrics().store_errors.inc();
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

    /// A hex HMAC-SHA256 of `parts` (each after a NUL) under the client key: how clients are named
    /// in the database. Without the key, which the database does not hold, it cannot be recomputed.
    pub fn hash(&self, parts: &[&str]) -> String {
        let mut mac = (*self.client_key).clone();
        for part in parts {
            mac.update(&[0]);
            mac.update(part.as_bytes());
        }
        hex(&mac.finalize().into_bytes())
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

/// Where the secret that keys the client hashes ([`Store::hash`]) comes from. It is kept out of the
/// database on purpose: the hashes name client addresses, and there are few enough IPv4 addresses
/// to try them all, so a copy of the database (a backup, a dump, a replica's disk) must not be
/// enough to recompute them.
///
/// With SQLite it is made on first start, in the data folder beside the database but not in it, so
/// a copy of `healthpress.db` alone reveals no address. PostgreSQL replicas must all use one key
/// (the limits are shared), and there is no file they share, so the operator gives it to each; a
/// key derived per replica would split every limit into one per replica, and a key kept in the
/// database would be copied with it, so the server refuses to start on PostgreSQL without one.
#[derive(Debug, Clone)]
pub enum ClientKey {
    /// `client-key` in the SQLite data folder, made (0600, 32 random bytes) if missing. Refused for
    /// PostgreSQL.
    Generated,
    /// A file the operator keeps outside the database (`--client-key FILE`,
    /// `HEALTHPRESS_CLIENT_KEY_FILE`): at least 32 bytes, surrounding whitespace ignored.
    File(PathBuf),
}

/// The file name of the generated client key in the SQLite data folder.
pub const CLIENT_KEY_FILE: &str = "client-key";

/// The shortest client key accepted, in bytes.
const MIN_KEY_BYTES: usize = 32;

impl ClientKey {
    /// `file` if given, else [`ClientKey::Generated`].
    pub fn choose(file: Option<&Path>) -> Self {
        match file {
            Some(path) => ClientKey::File(path.to_path_buf()),
            None => ClientKey::Generated,
        }
    }

    /// The secret bytes, made first if need be. The error says what to fix.
    fn read(&self, location: &Location) -> Result<Vec<u8>, String> {
        match (self, location) {
            (ClientKey::File(path), _) => read_key_file(path),
            (ClientKey::Generated, Location::Sqlite(dir)) => {
                let path = dir.join(CLIENT_KEY_FILE);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(&path) {
                    Ok(mut file) => {
                        use std::io::Write;
                        file.write_all(format!("{}\n", random_hex(32)).as_bytes())
                            .and_then(|()| file.sync_all())
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
                }
                read_key_file(&path)
            }
            (ClientKey::Generated, Location::Postgres(_)) => Err(
                "PostgreSQL needs a client key shared by every replica and kept out of the database: \
                 make one with `openssl rand -hex 32 > client-key; chmod 600 client-key`, copy it to \
                 every replica and give it with --client-key FILE (or HEALTHPRESS_CLIENT_KEY_FILE)"
                    .to_string(),
            ),
        }
    }
}

/// The key in `path`, checked to be long enough; a warning when others may read it.
fn read_key_file(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the client key {}: {e}", path.display()))?;
    let key = bytes.trim_ascii();
    if key.len() < MIN_KEY_BYTES {
        return Err(format!(
            "the client key {} holds {} bytes; it needs at least {MIN_KEY_BYTES} random ones: \
             `openssl rand -hex 32 > {}`",
            path.display(),
            key.len(),
            path.display()
        ));
    }
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                "the client key {} can be read by other users (mode {mode:03o}): `chmod 600 {}`",
                path.display(),
                path.display()
            );
        }
    }
    Ok(key.to_vec())
}

/// A warning when other users may read or write the data folder `dir` (it holds readers' comments
/// and the client key), as a folder made before this server (`mkdir data`, mode 0755) is.
pub fn shared_folder_warning(dir: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).ok()?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Some(format!(
                "the data folder {} can be read or written by other users (mode {mode:03o}); \
                 it holds readers' comments: `chmod 700 {}`",
                dir.display(),
                dir.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    None
}

/// The `-wal` and `-shm` files SQLite keeps beside `db` in WAL mode.
fn sqlite_companions(db: &Path) -> [PathBuf; 2] {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    [wal.into(), shm.into()]
}

/// Creates `path` if missing, 0600 whatever the umask, and makes an existing one 0600.
fn create_private_file(path: &Path) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    make_private(path)
}

/// Makes `path`, if it exists, readable and writable by this user only.
fn make_private(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o777 != 0o600 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| format!("cannot make {} private: {e}", path.display()))?;
            }
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

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
    (
        3,
        "client key out of the database",
        include_str!("../../migrations/0003_client_key_out_of_the_database.sql"),
    ),
    (
        4,
        "fact checks reviewer feeds review claims",
        include_str!("../../migrations/0004_fact_checks_reviewer_feeds.sql"),
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
