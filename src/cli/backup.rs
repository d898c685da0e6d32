//! `healthpress backup` and `healthpress restore`: a consistent copy of the SQLite store while the
//! server runs, and putting one back with the server stopped (see [`crate::store::backup_sqlite`]
//! and [`crate::store::restore_sqlite`]). PostgreSQL is refused before anything connects to it, with
//! the `pg_dump` / `pg_restore` command to use instead.

use super::StoreArgs;
use super::fail;
use crate::store::{CLIENT_KEY_FILE, Location, PG_DUMP, PG_RESTORE, redact};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct BackupArgs {
    /// The file to write: refused if it exists; made readable by this user only (it holds readers'
    /// comments).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Clone)]
pub struct RestoreArgs {
    /// The backup to put in place (a file written by `healthpress backup`).
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Move the database in place aside even when another process has it open, or it cannot be
    /// opened. Stop the server first: one still running keeps writing to the file moved aside.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// What losing the client key breaks, from what it keys (see [`crate::store::ClientKey`]).
const WITHOUT_THE_KEY: &str = "without it, the links already sent to fact checkers stop working \
    (their signatures no longer match: make new ones with `healthpress fact-check-link`), the counts \
    of the rate limits (feedback, sign-in failures, fact-check comments) start afresh, lifting any \
    lockout, and each reviewer's Atom feed gets a new id. Feedback, editor sessions and reviewer \
    feed tokens do not depend on it";

/// The client key the store in `args` uses, for messages.
fn key_path(args: &StoreArgs) -> PathBuf {
    args.client_key
        .clone()
        .unwrap_or_else(|| args.data.join(CLIENT_KEY_FILE))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

pub fn backup(args: &BackupArgs) -> ExitCode {
    match Location::choose(args.store.database.as_deref(), &args.store.data) {
        Ok(Location::Sqlite(data)) => {
            let written =
                runtime().and_then(|rt| rt.block_on(crate::store::backup_sqlite(&data, &args.out)));
            match written {
                Ok(written) => {
                    println!(
                        "wrote {} ({} bytes): {} feedback answer(s), {} editor session(s), from {}",
                        written.path.display(),
                        written.bytes,
                        written.contents.feedback,
                        written.contents.sessions,
                        data.join(crate::store::SQLITE_FILE).display()
                    );
                    println!(
                        "not in it: the client key {}. Keep a copy of that file too, but not beside \
                         the backups (a backup alone then reveals no reader's address): {WITHOUT_THE_KEY}.",
                        key_path(&args.store).display()
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => fail(&message),
            }
        }
        Ok(Location::Postgres(url)) => fail(&format!(
            "`healthpress backup` copies the SQLite database only; back up PostgreSQL ({}) with its \
             own tool, which is consistent while the servers run:\n    {PG_DUMP}\n\
             with $URL the --database URL. The client key (--client-key) is not in the database: \
             keep a copy of it too; {WITHOUT_THE_KEY}.",
            redact(&url)
        )),
        Err(message) => fail(&message),
    }
}

pub fn restore(args: &RestoreArgs) -> ExitCode {
    match Location::choose(args.store.database.as_deref(), &args.store.data) {
        Ok(Location::Sqlite(data)) => {
            let restored = runtime().and_then(|rt| {
                rt.block_on(crate::store::restore_sqlite(
                    &args.from,
                    &data,
                    args.force,
                    &args.store.key(),
                ))
            });
            match restored {
                Ok(restored) => {
                    println!(
                        "restored {} as {}: {} feedback answer(s), {} editor session(s)",
                        args.from.display(),
                        restored.database.display(),
                        restored.contents.feedback,
                        restored.contents.sessions
                    );
                    match &restored.moved_aside {
                        Some(aside) => println!(
                            "the database that was there is kept as {} (delete it once it is no longer needed)",
                            aside.display()
                        ),
                        None => println!("there was no database in {} before", data.display()),
                    }
                    let key = key_path(&args.store);
                    if restored.key_was_missing {
                        println!(
                            "{} had no client key, so a new one was made as {}: if you kept the key \
                             of the installation the backup came from, copy it over that file before \
                             starting the server; {WITHOUT_THE_KEY}.",
                            data.display(),
                            key.display()
                        );
                    } else {
                        println!(
                            "the client key {} was kept: if the backup came from another installation, \
                             copy that one's key over it before starting the server; {WITHOUT_THE_KEY}.",
                            key.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(message) => fail(&message),
            }
        }
        Ok(Location::Postgres(url)) => fail(&format!(
            "`healthpress restore` puts back SQLite backups only; restore a PostgreSQL backup ({}) \
             made with pg_dump --format=custom with its own tool, with the servers stopped:\n    \
             {PG_RESTORE}\nwith $URL the --database URL; then start a server, which applies any \
             newer migrations.",
            redact(&url)
        )),
        Err(message) => fail(&message),
    }
}
