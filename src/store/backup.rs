//! Backups of the SQLite store and their restore (`healthpress backup`, `healthpress restore`).
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`): the commands refuse it and say which.
//!
//! Both work on the database file with a connection of their own, not through [`super::Store::open`]:
//! a backup must not change the live database (opening the store would apply this binary's
//! migrations under a server that may be older, and make a client key if none is there), and a
//! restore checks and migrates its copy before it takes the place of the old database.
//!
//! The client key ([`super::ClientKey`]) is not in the database, so neither command copies it.

use super::{CLIENT_KEY_FILE, Embedded, MIGRATIONS, SQLITE_FILE, create_private_dir, make_private};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection, Row};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a backup (or the database restored from one) holds, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// Readers' answers (`feedback` rows).
    pub feedback: i64,
    /// Editor sessions (`editor_sessions` rows, expired ones included until purged).
    pub sessions: i64,
}

/// A backup written by [`backup_sqlite`].
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub contents: Contents,
}

/// A restore done by [`restore_sqlite`].
#[derive(Debug, Clone)]
pub struct Restored {
    /// The database now in place.
    pub database: PathBuf,
    /// Where the database that was there before was moved (`None` when there was none).
    pub moved_aside: Option<PathBuf>,
    pub contents: Contents,
    /// Whether the data folder had no client key (one was made, see [`super::ClientKey`]).
    pub key_was_missing: bool,
}

/// The command that backs up a PostgreSQL store, for the refusal of `healthpress backup`.
pub const PG_DUMP: &str = "pg_dump --format=custom --file=FILE \"$URL\"";
/// The command that restores a PostgreSQL backup, for the refusal of `healthpress restore`.
pub const PG_RESTORE: &str = "pg_restore --clean --if-exists --dbname \"$URL\" FILE";

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Writes a consistent copy of the SQLite database in `data` to `out` with `VACUUM INTO`, while a
/// server may be writing to it: `VACUUM INTO` reads in one transaction, so the copy holds exactly
/// the answers committed before it began (in WAL mode writers are not held up meanwhile). `out` must
/// not exist (never overwritten) and is made 0600 before SQLite writes to it: it holds readers'
/// comments. Nothing in `data` is created or changed.
pub async fn backup_sqlite(data: &Path, out: &Path) -> Result<Written, String> {
    let db = data.join(SQLITE_FILE);
    if !db.is_file() {
        return Err(format!(
            "there is no database to back up at {}: give the data folder the server uses with --data",
            db.display()
        ));
    }
    if std::fs::symlink_metadata(out).is_ok() {
        return Err(format!(
            "{} already exists: a backup never replaces a file; choose a new name or move that one away",
            out.display()
        ));
    }
    let out = std::path::absolute(out)
        .map_err(|e| format!("cannot use the path {}: {e}", out.display()))?;
    let Some(out_text) = out.to_str() else {
        return Err(format!(
            "{} is not a UTF-8 path: choose another for --out",
            out.display()
        ));
    };
    // Made here, empty and 0600, so that no other user can open it while SQLite fills it (SQLite
    // writes into an empty file and keeps its permissions); `create_new` refuses one that appeared
    // since the check above.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&out) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!(
                "{} already exists: a backup never replaces a file; choose a new name or move that one away",
                out.display()
            ));
        }
        Err(e) => return Err(format!("cannot create {}: {e}", out.display())),
    }
    let written = async {
        make_private(&out)?;
        let mut conn = SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(false)
            .busy_timeout(Duration::from_secs(10))
            .connect()
            .await
            .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
        let vacuumed = sqlx::query("VACUUM INTO $1")
            .bind(out_text)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("cannot copy {} to {}: {e}", db.display(), out.display()));
        let _ = conn.close().await;
        vacuumed?;
        std::fs::File::open(&out)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("cannot write {} to disk: {e}", out.display()))?;
        make_private(&out)?;
        let contents = inspect(&out).await?;
        let bytes = std::fs::metadata(&out)
            .map_err(|e| format!("cannot read {}: {e}", out.display()))?
            .len();
        Ok(Written {
            path: out.clone(),
            bytes,
            contents,
        })
    }
    .await;
    if written.is_err() {
        // Only the file made above, which holds no complete backup.
        let _ = std::fs::remove_file(&out);
    }
    written
}

/// Opens `path` read-only, without locking it or reading a write-ahead log beside it, checks it
/// with `PRAGMA integrity_check`, checks that it is a healthpress store whose migrations this
/// program knows, and counts what it holds. The error says what is wrong with the file.
async fn inspect(path: &Path) -> Result<Contents, String> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .create_if_missing(false)
        .connect()
        .await
        .map_err(|e| format!("cannot open {} as a SQLite database: {e}", path.display()))?;
    let checked = check(&mut conn, path).await;
    let _ = conn.close().await;
    checked
}

async fn check(conn: &mut SqliteConnection, path: &Path) -> Result<Contents, String> {
    let shown = path.display();
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| format!("{shown} is not a SQLite database this program can read: {e}"))?;
    if problems != ["ok"] {
        return Err(format!(
            "{shown} is damaged (PRAGMA integrity_check): {}",
            problems.join("; ")
        ));
    }
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| format!("cannot read the tables of {shown}: {e}"))?;
    for needed in ["_sqlx_migrations", "feedback", "editor_sessions"] {
        if !tables.iter().any(|t| t == needed) {
            return Err(format!(
                "{shown} is a SQLite database but not a healthpress store (it has no `{needed}` \
                 table): give a file written by `healthpress backup`"
            ));
        }
    }
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| format!("cannot read the migrations of {shown}: {e}"))?;
    if let Some(unknown) = applied
        .iter()
        .find(|v| !MIGRATIONS.iter().any(|(known, _, _)| known == *v))
    {
        return Err(format!(
            "{shown} was written by a newer healthpress (it has migration {unknown}, which this \
             program does not know): restore it with that version or a later one"
        ));
    }
    let mut counts = [0i64; 2];
    for (count, table) in counts.iter_mut().zip(["feedback", "editor_sessions"]) {
        *count = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .and_then(|row| row.try_get::<i64, _>(0))
            .map_err(|e| format!("cannot count the {table} of {shown}: {e}"))?;
    }
    let [feedback, sessions] = counts;
    Ok(Contents { feedback, sessions })
}

/// `path` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Whether `e` is SQLite's "database is locked" (`SQLITE_BUSY`, `SQLITE_LOCKED` and their extended
/// codes).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// What [`take_over`] found about the database in place.
enum InUse {
    /// No other connection had it open; it is now one self-contained file (its write-ahead log
    /// folded in and removed), so it can be moved aside alone.
    Free,
    /// Another connection has it open (a server, or a `sqlite3` shell).
    Busy,
}

/// Checks that no other process has the database `db` open, and folds its write-ahead log into it.
///
/// How "a server is using it" is told: the server keeps SQLite in WAL mode, where every connection
/// holds a shared lock on the database file for as long as it is open, idle or not. This connection
/// asks for SQLite's exclusive locking mode and then an exclusive transaction, without waiting
/// (busy timeout 0): SQLite grants it only when no other connection, in any process, has the file
/// open, and answers "database is locked" otherwise. That is SQLite's own lock (POSIX `fcntl` locks,
/// the ones the server's connections hold), so it needs no guess from files: a `-wal` left
/// non-empty by a server that was killed does not mean a server runs (its log is folded in here, so
/// the database moved aside holds everything), and an idle server whose log happens to be empty is
/// still seen. It cannot see a server on another machine sharing the folder over a network file
/// system whose locks do not work; there, stop the server first. Holding the lock, the log is
/// checkpointed and the file switched to the rollback journal (the server switches it back to WAL
/// when it opens it), which removes the `-wal` file.
async fn take_over(db: &Path) -> Result<InUse, String> {
    let shown = db.display();
    let connected = SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false)
        .busy_timeout(Duration::ZERO)
        .locking_mode(SqliteLockingMode::Exclusive)
        .connect()
        .await;
    let mut conn = match connected {
        Ok(conn) => conn,
        Err(e) if is_busy(&e) => return Ok(InUse::Busy),
        Err(e) => return Err(format!("cannot open the database in place, {shown}: {e}")),
    };
    let result = async {
        for statement in ["BEGIN EXCLUSIVE", "COMMIT"] {
            match sqlx::query(statement).execute(&mut conn).await {
                Ok(_) => {}
                Err(e) if is_busy(&e) => return Ok(InUse::Busy),
                Err(e) => return Err(format!("cannot lock the database in place, {shown}: {e}")),
            }
        }
        match sqlx::query("PRAGMA journal_mode = DELETE")
            .fetch_one(&mut conn)
            .await
        {
            Ok(row) if row.try_get::<String, _>(0).is_ok_and(|m| m == "delete") => Ok(InUse::Free),
            Ok(_) => Ok(InUse::Busy),
            Err(e) if is_busy(&e) => Ok(InUse::Busy),
            Err(e) => Err(format!(
                "cannot fold the write-ahead log of {shown} into it: {e}"
            )),
        }
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Puts the backup `from` in place as the SQLite database of `data`, with the server stopped.
///
/// In order, stopping at the first problem with nothing in `data` changed: `from` is checked to be
/// a SQLite database (its header, then read-only: `PRAGMA integrity_check`, the healthpress tables,
/// migrations this program knows) and to have no write-ahead log beside it; it is copied into
/// `data` under a temporary name (0600) and migrated there; the database in place is checked to be
/// unused (`take_over` says how; `force` moves it aside even when it is in use or cannot be
/// opened, with its `-wal` and `-shm`). Then the old database is moved aside to
/// `healthpress.db.before-restore-<unix seconds>` (never deleted), the copy takes its name, and
/// the store is opened once with `key` (the migrations, the file's permissions, a client key if
/// the folder has none).
pub async fn restore_sqlite(
    from: &Path,
    data: &Path,
    force: bool,
    key: &super::ClientKey,
) -> Result<Restored, String> {
    let shown = from.display();
    let meta = std::fs::metadata(from).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("{shown} does not exist: give a backup file written by `healthpress backup`")
        }
        _ => format!("cannot read {shown}: {e}"),
    })?;
    if !meta.is_file() {
        return Err(format!(
            "{shown} is not a file: give a backup file written by `healthpress backup`"
        ));
    }
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut file =
            std::fs::File::open(from).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let mut read = 0;
        while read < header.len() {
            match file.read(&mut header[read..]) {
                Ok(0) => break,
                Ok(n) => read += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("cannot read {shown}: {e}")),
            }
        }
    }
    if &header != SQLITE_HEADER {
        return Err(format!(
            "{shown} is not a SQLite database (it does not start with SQLite's header): give a \
             file written by `healthpress backup`; nothing was changed"
        ));
    }
    let from_wal = with_suffix(from, "-wal");
    if std::fs::metadata(&from_wal).is_ok_and(|m| m.len() > 0) {
        return Err(format!(
            "{shown} has a write-ahead log beside it ({}): it is a database in use, or a copy of \
             one taken without its log, not a backup; make one with `healthpress backup`",
            from_wal.display()
        ));
    }
    inspect(from).await?;

    create_private_dir(data)?;
    let data = std::fs::canonicalize(data)
        .map_err(|e| format!("cannot find the data folder {}: {e}", data.display()))?;
    let db = data.join(SQLITE_FILE);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let staged = data.join(format!("{SQLITE_FILE}.restoring-{stamp}"));
    copy_private(from, &staged)?;
    let contents = match migrate_staged(&staged).await {
        Ok(contents) => contents,
        Err(e) => {
            remove_staged(&staged);
            return Err(e);
        }
    };

    let companions = [with_suffix(&db, "-wal"), with_suffix(&db, "-shm")];
    let moved_aside = if db.exists() {
        match take_over(&db).await {
            Ok(InUse::Free) => {}
            Ok(InUse::Busy) if force => tracing::warn!(
                "{} is open in another process; moving it aside anyway (--force): stop that \
                 process now, it still writes to the file moved aside",
                db.display()
            ),
            Ok(InUse::Busy) => {
                remove_staged(&staged);
                return Err(format!(
                    "{} is in use: a server (or another program) has it open. Stop the server, then \
                     restore; nothing was changed",
                    db.display()
                ));
            }
            Err(e) if force => tracing::warn!("{e}; moving it aside anyway (--force)"),
            Err(e) => {
                remove_staged(&staged);
                return Err(format!(
                    "{e}. If no server uses {}, --force moves it aside anyway; nothing was changed",
                    data.display()
                ));
            }
        }
        let aside = data.join(format!("{SQLITE_FILE}.before-restore-{stamp}"));
        if aside.exists() {
            remove_staged(&staged);
            return Err(format!(
                "{} already exists (a restore a moment ago?): try again in a second",
                aside.display()
            ));
        }
        std::fs::rename(&db, &aside).map_err(|e| {
            remove_staged(&staged);
            format!(
                "cannot move {} aside to {}: {e}",
                db.display(),
                aside.display()
            )
        })?;
        // Whatever companions are left go with it, under the names SQLite looks for beside it.
        for (companion, suffix) in companions.iter().zip(["-wal", "-shm"]) {
            if companion.exists() {
                let _ = std::fs::rename(companion, with_suffix(&aside, suffix));
            }
        }
        Some(aside)
    } else {
        // No database, but a log or index left beside its name would be read with the new one.
        for (companion, suffix) in companions.iter().zip(["-wal", "-shm"]) {
            if companion.exists() {
                let _ = std::fs::rename(
                    companion,
                    data.join(format!("{SQLITE_FILE}.before-restore-{stamp}{suffix}")),
                );
            }
        }
        None
    };
    if let Err(e) = std::fs::rename(&staged, &db) {
        if let Some(aside) = &moved_aside {
            let _ = std::fs::rename(aside, &db);
        }
        remove_staged(&staged);
        return Err(format!(
            "cannot put the backup in place as {}: {e}",
            db.display()
        ));
    }
    let key_was_missing =
        matches!(key, super::ClientKey::Generated) && !data.join(CLIENT_KEY_FILE).exists();
    let store = super::Store::open_with_key(&super::Location::Sqlite(data.clone()), key)
        .await
        .map_err(|e| format!("the backup is in place as {}, but {e}", db.display()))?;
    store.close().await;
    Ok(Restored {
        database: db,
        moved_aside,
        contents,
        key_was_missing,
    })
}

/// Copies `from` to the new file `to`, 0600, synced to disk.
fn copy_private(from: &Path, to: &Path) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut target = options
        .open(to)
        .map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let copied = std::fs::File::open(from)
        .and_then(|mut source| std::io::copy(&mut source, &mut target))
        .and_then(|_| target.sync_all());
    if let Err(e) = copied {
        let _ = std::fs::remove_file(to);
        return Err(format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            to.display()
        ));
    }
    make_private(to)
}

/// Checks the copy `staged` again and applies the migrations to it, leaving one file in the
/// rollback journal mode (no `-wal` beside it under the temporary name).
async fn migrate_staged(staged: &Path) -> Result<Contents, String> {
    let shown = staged.display();
    let mut conn = SqliteConnectOptions::new()
        .filename(staged)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await
        .map_err(|e| format!("cannot open the copy {shown}: {e}"))?;
    let migrated = async {
        let migrator = Migrator::new(Embedded)
            .await
            .map_err(|e| format!("cannot read the migrations: {e}"))?;
        migrator
            .run(&mut conn)
            .await
            .map_err(|e| format!("cannot bring the backup up to date: {e}"))?;
        check(&mut conn, staged).await
    }
    .await;
    let _ = conn.close().await;
    migrated
}

/// Removes the temporary copy made by [`restore_sqlite`] (and any companion SQLite left).
fn remove_staged(staged: &Path) {
    for path in [
        staged.to_path_buf(),
        with_suffix(staged, "-wal"),
        with_suffix(staged, "-shm"),
        with_suffix(staged, "-journal"),
    ] {
        let _ = std::fs::remove_file(path);
    }
}
