//! `healthpress backup` and `healthpress restore`: a backup taken while the real server takes
//! feedback holds every answer accepted before it began; restore checks what it is given, refuses
//! while a server holds the database, and moves the old database aside; PostgreSQL is refused with
//! the pg_dump / pg_restore commands, before anything connects.

mod common;

use common::server::{Server, request, status_of};
use healthpress::store::{Location, NewFeedback, Store, now_ms};
use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SLUG: &str = "cramp-care";

/// Runs the binary with `args`.
fn healthpress<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("HEALTHPRESS_DATA")
        .env_remove("HEALTHPRESS_DATABASE_URL")
        .env_remove("HEALTHPRESS_CLIENT_KEY_FILE")
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// The comments on [`SLUG`] in the SQLite store in `data`, opened with the library.
fn comments_in(data: &Path) -> HashSet<String> {
    block_on(async {
        let store = Store::open(&Location::Sqlite(data.to_path_buf()))
            .await
            .expect("the store opens");
        let comments = store.comments(SLUG).await.unwrap();
        store.close().await;
        comments.into_iter().map(|c| c.comment).collect()
    })
}

/// A store in `data` holding the comments `texts` on [`SLUG`].
fn store_with(data: &Path, texts: &[&str]) {
    block_on(async {
        let store = Store::open(&Location::Sqlite(data.to_path_buf()))
            .await
            .unwrap();
        for comment in texts {
            store
                .save_feedback(&NewFeedback {
                    slug: SLUG,
                    audience: "patient",
                    helpful: true,
                    comment,
                    at_ms: now_ms(),
                })
                .await
                .unwrap();
        }
        store.close().await;
    });
    // The pool's last connection folds the write-ahead log in and removes it on a thread of its
    // own: wait for that, so the folder holds one settled file.
    let deadline = Instant::now() + Duration::from_secs(10);
    while data.join("healthpress.db-wal").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// One feedback POST with `comment`, from the client address `client` (the server trusts
/// `X-Forwarded-For` from 127.0.0.1, so each address has a rate limit of its own).
fn post_feedback(addr: &str, client: &str, comment: &str) -> u16 {
    let body = common::server::form(&[
        ("slug", SLUG),
        ("audience", "patient"),
        ("helpful", "yes"),
        ("comment", comment),
        ("website", ""),
    ]);
    request(
        addr,
        &format!(
            "POST /feedback HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-For: {client}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .map_or(0, |response| status_of(&response))
}

/// One answer sent under load: its text, when its request was sent and when the answer came.
struct Sent {
    comment: String,
    started: Instant,
    answered: Instant,
    status: u16,
}

#[test]
fn a_backup_under_a_load_of_feedback_holds_every_answer_accepted_before_it_began() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&common::fixture("valid"), &content);
    let data = dir.path().join("data");
    let server = Server::start(
        &content,
        &[
            "--data",
            data.to_str().unwrap(),
            "--trusted-proxy",
            "127.0.0.1",
        ],
    );
    let stop = Arc::new(AtomicBool::new(false));
    let posters: Vec<_> = (0..4u8)
        .map(|thread| {
            let addr = server.addr.clone();
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut sent = Vec::new();
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    // A client address per answer (fewer than FEEDBACK_PER_CLIENT each), so the
                    // per-client limit refuses none; any it did refuse would not count.
                    let client = format!("10.{thread}.{}.{}", n / 250, n % 250 + 1);
                    let comment = format!("load {thread}-{n} {}", now_ms());
                    let started = Instant::now();
                    let status = post_feedback(&addr, &client, &comment);
                    sent.push(Sent {
                        comment,
                        started,
                        answered: Instant::now(),
                        status,
                    });
                }
                sent
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let out = dir.path().join("backup.db");
    let backup_began = Instant::now();
    let backup = healthpress([
        OsStr::new("backup"),
        OsStr::new("--data"),
        data.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    let backup_ended = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    let sent: Vec<Sent> = posters
        .into_iter()
        .flat_map(|p| p.join().unwrap())
        .collect();
    assert!(backup.status.success(), "{}", text(&backup));
    let said = String::from_utf8_lossy(&backup.stdout);
    assert!(
        said.contains(&out.display().to_string()) && said.contains("bytes"),
        "{said}"
    );
    assert!(said.contains("client-key"), "the key is named: {said}");
    #[cfg(unix)]
    assert_eq!(mode_of(&out), 0o600);

    let accepted: Vec<&Sent> = sent.iter().filter(|s| s.status == 303).collect();
    let before: Vec<&Sent> = accepted
        .iter()
        .copied()
        .filter(|s| s.answered < backup_began)
        .collect();
    let after: Vec<&Sent> = accepted
        .iter()
        .copied()
        .filter(|s| s.started > backup_ended)
        .collect();
    let refused = sent.iter().filter(|s| s.status != 303).count();
    assert!(
        before.len() >= 20,
        "a real load before the backup: {} accepted, {refused} not",
        before.len()
    );
    assert!(!after.is_empty(), "the load went on after the backup");
    eprintln!(
        "{} answers accepted ({} before the backup began, {} after it ended), {refused} not",
        accepted.len(),
        before.len(),
        after.len()
    );

    let restored = dir.path().join("restored");
    let restore = healthpress([
        OsStr::new("restore"),
        OsStr::new("--from"),
        out.as_os_str(),
        OsStr::new("--data"),
        restored.as_os_str(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore));
    let kept = comments_in(&restored);
    let missing: Vec<&str> = before
        .iter()
        .filter(|s| !kept.contains(&s.comment))
        .map(|s| s.comment.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} answers accepted before the backup began are missing from it: {missing:?}",
        missing.len(),
        before.len()
    );
    // A consistent copy: nothing sent after it was made, and nothing that was not accepted.
    assert!(
        after.iter().all(|s| !kept.contains(&s.comment)),
        "answers sent after the backup ended are in it"
    );
    let all_accepted: HashSet<&str> = accepted.iter().map(|s| s.comment.as_str()).collect();
    assert!(kept.iter().all(|c| all_accepted.contains(c.as_str())));

    // The live database took every accepted answer, before and after.
    drop(server);
    let live = comments_in(&data);
    assert!(accepted.iter().all(|s| live.contains(&s.comment)));
}

#[test]
fn backup_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store_with(&data, &["one"]);
    let out = dir.path().join("backup.db");
    std::fs::write(&out, "an earlier backup").unwrap();
    let output = healthpress([
        OsStr::new("backup"),
        OsStr::new("--data"),
        data.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("already exists"),
        "{}",
        text(&output)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "an earlier backup");

    // Nor writes one from a folder with no database (and makes none there).
    let empty = dir.path().join("empty");
    let output = healthpress([
        OsStr::new("backup"),
        OsStr::new("--data"),
        empty.as_os_str(),
        OsStr::new("--out"),
        dir.path().join("other.db").as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no database to back up"),
        "{}",
        text(&output)
    );
    assert!(!empty.exists() && !dir.path().join("other.db").exists());
}

#[test]
fn restore_refuses_what_is_not_a_backup_and_leaves_the_database_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store_with(&data, &["kept one", "kept two"]);
    let names = names_in(&data);
    let db = std::fs::read(data.join("healthpress.db")).unwrap();

    let text_file = dir.path().join("notes.txt");
    std::fs::write(&text_file, "this is not a database, just some notes\n").unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let other = dir.path().join("other.db");
    block_on(async {
        use sqlx::{ConnectOptions, Connection};
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&other)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::query("CREATE TABLE recipes (name TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let mut damaged = std::fs::read(dir.path().join("notes.txt")).unwrap();
    damaged.splice(0..0, b"SQLite format 3\0".iter().copied());
    damaged.resize(4096, b'x');
    let damaged_file = dir.path().join("damaged.db");
    std::fs::write(&damaged_file, damaged).unwrap();
    let missing = dir.path().join("missing.db");
    let folder = dir.path().to_path_buf();

    for (file, expected) in [
        (&text_file, "is not a SQLite database"),
        (&empty, "is not a SQLite database"),
        (&other, "not a healthpress store"),
        (&damaged_file, "database"),
        (&missing, "does not exist"),
        (&folder, "is not a file"),
    ] {
        let output = healthpress([
            OsStr::new("restore"),
            OsStr::new("--from"),
            file.as_os_str(),
            OsStr::new("--data"),
            data.as_os_str(),
        ]);
        assert!(
            !output.status.success(),
            "{}: {}",
            file.display(),
            text(&output)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(expected),
            "{}: {}",
            file.display(),
            text(&output)
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            names_in(&data),
            names,
            "nothing moved for {}",
            file.display()
        );
        assert!(std::fs::read(data.join("healthpress.db")).unwrap() == db);
    }
    let kept = comments_in(&data);
    assert!(kept.contains("kept one") && kept.contains("kept two"));
}

#[test]
fn restore_moves_the_old_database_aside_and_puts_the_backup_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    store_with(&source, &["backed up one", "backed up two"]);
    let out = dir.path().join("backup.db");
    let backup = healthpress([
        OsStr::new("backup"),
        OsStr::new("--data"),
        source.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(
        String::from_utf8_lossy(&backup.stdout).contains("2 feedback answer(s)"),
        "{}",
        text(&backup)
    );

    let data = dir.path().join("data");
    store_with(&data, &["before the restore"]);
    let key = std::fs::read(data.join("client-key")).unwrap();
    let restore = healthpress([
        OsStr::new("restore"),
        OsStr::new("--from"),
        out.as_os_str(),
        OsStr::new("--data"),
        data.as_os_str(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore));
    let said = String::from_utf8_lossy(&restore.stdout);
    assert!(said.contains("before-restore-"), "{said}");
    assert!(said.contains("client key"), "{said}");

    let restored = comments_in(&data);
    assert_eq!(
        restored,
        HashSet::from(["backed up one".to_string(), "backed up two".to_string()])
    );
    #[cfg(unix)]
    assert_eq!(mode_of(&data.join("healthpress.db")), 0o600);
    assert_eq!(
        std::fs::read(data.join("client-key")).unwrap(),
        key,
        "the key is kept"
    );
    // The old database, whole, under its new name.
    let aside: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("healthpress.db.before-restore-")
                && !name.ends_with("-wal")
                && !name.ends_with("-shm")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", names_in(&data));
    #[cfg(unix)]
    assert_eq!(mode_of(&aside[0]), 0o600);
    let look = dir.path().join("look");
    std::fs::create_dir(&look).unwrap();
    std::fs::copy(&aside[0], look.join("healthpress.db")).unwrap();
    assert_eq!(
        comments_in(&look),
        HashSet::from(["before the restore".to_string()])
    );
    // The backup itself is untouched (still a backup of two answers).
    let again = dir.path().join("again");
    let restore = healthpress([
        OsStr::new("restore"),
        OsStr::new("--from"),
        out.as_os_str(),
        OsStr::new("--data"),
        again.as_os_str(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore));
    assert!(
        String::from_utf8_lossy(&restore.stdout).contains("a new one was made"),
        "a new folder gets a key of its own, and is told so: {}",
        text(&restore)
    );
    assert_eq!(comments_in(&again).len(), 2);
}

#[test]
fn restore_refuses_while_a_server_uses_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    store_with(&source, &["from the backup"]);
    let out = dir.path().join("backup.db");
    let backup = healthpress([
        OsStr::new("backup"),
        OsStr::new("--data"),
        source.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert!(backup.status.success(), "{}", text(&backup));

    let content = dir.path().join("content");
    common::copy_dir(&common::fixture("valid"), &content);
    let data = dir.path().join("data");
    let server = Server::start(&content, &["--data", data.to_str().unwrap()]);
    assert_eq!(post_feedback(&server.addr, "", "while serving"), 303);
    let names = names_in(&data);
    let restore = healthpress([
        OsStr::new("restore"),
        OsStr::new("--from"),
        out.as_os_str(),
        OsStr::new("--data"),
        data.as_os_str(),
    ]);
    assert!(!restore.status.success(), "{}", text(&restore));
    assert!(
        String::from_utf8_lossy(&restore.stderr).contains("is in use"),
        "{}",
        text(&restore)
    );
    assert_eq!(names_in(&data), names, "nothing moved, no copy left behind");

    // Once it stops (killed here, leaving its write-ahead log), the restore goes ahead, and the
    // database moved aside holds what the log held.
    drop(server);
    let restore = healthpress([
        OsStr::new("restore"),
        OsStr::new("--from"),
        out.as_os_str(),
        OsStr::new("--data"),
        data.as_os_str(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore));
    assert_eq!(
        comments_in(&data),
        HashSet::from(["from the backup".to_string()])
    );
    let aside = names_in(&data)
        .into_iter()
        .find(|n| {
            n.starts_with("healthpress.db.before-restore-")
                && !n.contains("-wal")
                && !n.contains("-shm")
        })
        .unwrap();
    let look = dir.path().join("look");
    std::fs::create_dir(&look).unwrap();
    std::fs::copy(data.join(aside), look.join("healthpress.db")).unwrap();
    assert!(comments_in(&look).contains("while serving"));
}

#[test]
fn postgres_is_refused_with_the_pg_dump_and_pg_restore_commands_before_connecting() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!(
        "postgres://hp:secret@{}/healthpress",
        listener.local_addr().unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup.dump");
    let backup = healthpress([
        OsStr::new("backup"),
        OsStr::new("--database"),
        OsStr::new(&url),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert!(!backup.status.success(), "{}", text(&backup));
    let stderr = String::from_utf8_lossy(&backup.stderr);
    assert!(
        stderr.contains("pg_dump --format=custom --file=FILE \"$URL\""),
        "{stderr}"
    );
    assert!(stderr.contains("client key"), "{stderr}");
    assert!(
        !stderr.contains("secret"),
        "no password in messages: {stderr}"
    );
    assert!(!out.exists());

    let restore = healthpress([
        OsStr::new("restore"),
        OsStr::new("--database"),
        OsStr::new(&url),
        OsStr::new("--from"),
        out.as_os_str(),
    ]);
    assert!(!restore.status.success(), "{}", text(&restore));
    let stderr = String::from_utf8_lossy(&restore.stderr);
    assert!(
        stderr.contains("pg_restore --clean --if-exists --dbname \"$URL\" FILE"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "{stderr}");
    // Neither command connected to the database.
    assert_eq!(
        listener.accept().err().map(|e| e.kind()),
        Some(std::io::ErrorKind::WouldBlock)
    );
}
