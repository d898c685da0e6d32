//! Browser checks: starts the real server over `tests/fixtures/valid` (and one over the bundled `content`), and
//! `preview` (the editor area) over both, and runs the Node suite in `tests/browser/` (axe-core accessibility, the
//! audience choice by mouse and keyboard, citations, phone layout, the editor's workspace, screenshots) in the system
//! Chromium through playwright-core.
//!
//! Needs Chromium (`/usr/bin/chromium`, or `HEALTHPRESS_CHROMIUM`), Node on the PATH and
//! `npm ci --prefix tests/browser`. When Chromium or the packages are missing at build time, `build.rs`
//! leaves the test ignored and `cargo test` says why; `HEALTHPRESS_BROWSER_TESTS=required` makes it
//! run (and fail if anything is missing).

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// The whole Node suite takes about half a minute here; this only stops a hung browser from hanging `cargo test`.
const SUITE_TIMEOUT: Duration = Duration::from_secs(600);
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// Kills the child process (the server, or a hung Node) when dropped, so a failing assertion leaves nothing behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What is missing for the browser tests, if anything.
fn missing_prerequisite(chromium: &Path, node_modules: &Path) -> Option<String> {
    if !chromium.is_file() {
        return Some(format!(
            "no Chromium at {} (apt-get install chromium, or set HEALTHPRESS_CHROMIUM)",
            chromium.display()
        ));
    }
    if !node_modules.is_dir() {
        return Some(format!(
            "{} is missing (run `npm ci --prefix tests/browser`)",
            node_modules.display()
        ));
    }
    match Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => None,
        _ => Some("`node` is not on the PATH (install Node.js 20 or later)".to_string()),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a free local port")
        .port()
}

/// True once `GET /healthz` answers 200.
fn healthy(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200")
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| format!("(cannot read {}: {e})", path.display()))
}

/// The last `n` lines of a log: the server logs every request, and its end is what explains a failure.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Starts `healthpress serve` over `content` on a free port and waits until it answers.
fn start_server(root: &Path, content: &str, log_path: &Path) -> (SocketAddr, KillOnDrop) {
    start(root, "serve", content, log_path, &[])
}

/// The account names and password the journeys sign in with.
const JOURNEY_EDITOR: &str = "alice";
const JOURNEY_REVIEWER: &str = "okafor";
/// Linked to the sample reviewer `praman`: the second reviewer of an article that needs two.
const JOURNEY_SECOND_REVIEWER: &str = "raman";
const JOURNEY_PASSWORD: &str = "journeys are walked with a long passphrase";

/// `serve --editors FILE --watch` over a fresh copy of the bundled content (the reviewer's journey
/// approves an article), with an editor and an account linked to the sample reviewer `aokafor`.
fn start_journey_server(
    root: &Path,
    work: &Path,
    log_path: &Path,
) -> (SocketAddr, KillOnDrop, tempfile::TempDir) {
    let copy = tempfile::tempdir_in(work).expect("a folder for the journeys' content");
    let content = copy.path().join("content");
    std::fs::create_dir(&content).unwrap();
    copy_dir(&root.join("content"), &content);
    // An edit waiting for review, so the editor's journey meets a diff against the approved text.
    let working = content.join("articles/leg-cramps/patient.md");
    let text = std::fs::read_to_string(&working).unwrap();
    std::fs::write(&working, format!("{text}\nAn edit waiting for review.\n")).unwrap();
    // The quinine article needs two reviewers (`approvals_required = 2`): an edit for them to approve.
    let working = content.join("articles/quinine-for-leg-cramps/patient.md");
    let text = std::fs::read_to_string(&working).unwrap();
    std::fs::write(&working, format!("{text}\nAn edit for two reviewers.\n")).unwrap();
    let hash = healthpress::web::editor::auth::hash_password(JOURNEY_PASSWORD).unwrap();
    let editors = copy.path().join("editors.toml");
    std::fs::write(
        &editors,
        format!(
            "[editors]\n{JOURNEY_EDITOR} = \"{hash}\"\n{JOURNEY_REVIEWER} = {{ hash = \"{hash}\", reviewer = \"aokafor\" }}\n{JOURNEY_SECOND_REVIEWER} = {{ hash = \"{hash}\", reviewer = \"praman\" }}\n"
        ),
    )
    .unwrap();
    let (addr, server) = start(
        root,
        "serve",
        content.to_str().unwrap(),
        log_path,
        &["--editors", editors.to_str().unwrap(), "--watch"],
    );
    (addr, server, copy)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Starts `healthpress preview` (the editor area without login, loopback only) over `content`.
fn start_preview(root: &Path, content: &str, log_path: &Path) -> (SocketAddr, KillOnDrop) {
    start(root, "preview", content, log_path, &[])
}

/// Starts `healthpress <command>` over `content` on a free port and waits until it answers.
fn start(
    root: &Path,
    command: &str,
    content: &str,
    log_path: &Path,
    extra: &[&str],
) -> (SocketAddr, KillOnDrop) {
    // A fresh store each run, so earlier runs' feedback and rate limits do not count.
    let data = log_path.with_extension("data");
    let _ = std::fs::remove_dir_all(&data);
    let port = free_port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let log = File::create(log_path).expect("create the server log");
    let server = Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .current_dir(root)
        .args([command, "--content", content, "--addr"])
        .arg(addr.to_string())
        .arg("--data")
        .arg(&data)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone the server log handle"))
        .stderr(log)
        .spawn()
        .expect("start the healthpress server");
    let mut server = KillOnDrop(server);
    let started = Instant::now();
    while !healthy(addr) {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!(
                "the server over {content} exited ({status}) before answering /healthz:\n{}",
                read_log(log_path)
            );
        }
        if started.elapsed() > STARTUP_TIMEOUT {
            panic!(
                "the server over {content} did not answer /healthz on {addr} within {STARTUP_TIMEOUT:?}:\n{}",
                read_log(log_path)
            );
        }
        sleep(Duration::from_millis(100));
    }
    (addr, server)
}

#[test]
#[cfg_attr(
    all(
        not(browser_tests),
        browser_missing = "chromium",
        browser_missing = "packages"
    ),
    ignore = "needs Chromium and the suite's Node packages: apt-get install chromium, then npm ci --prefix tests/browser"
)]
#[cfg_attr(
    all(
        not(browser_tests),
        browser_missing = "chromium",
        not(browser_missing = "packages")
    ),
    ignore = "needs Chromium: apt-get install chromium (or set HEALTHPRESS_CHROMIUM)"
)]
#[cfg_attr(
    all(
        not(browser_tests),
        not(browser_missing = "chromium"),
        browser_missing = "packages"
    ),
    ignore = "needs the suite's Node packages: npm ci --prefix tests/browser"
)]
#[cfg_attr(
    all(not(browser_tests), browser_missing = "release"),
    ignore = "the browser suite runs in the test profile: cargo test, without --release"
)]
fn browser_suite() {
    let root = manifest_dir();
    let chromium = std::env::var_os("HEALTHPRESS_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM));
    let node_modules = root.join("tests/browser/node_modules");
    if let Some(reason) = missing_prerequisite(&chromium, &node_modules) {
        if std::env::var("HEALTHPRESS_BROWSER_TESTS").as_deref() == Ok("required") {
            panic!(
                "browser tests are required (HEALTHPRESS_BROWSER_TESTS=required) but cannot run: {reason}"
            );
        }
        // Written to the real stderr rather than with eprintln!, which the test harness captures and hides for a
        // passing test: a skip should be seen.
        let _ = writeln!(std::io::stderr(), "browser tests skipped: {reason}");
        return;
    }

    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let server_log = tmp.join("browser-server.log");
    let node_log = tmp.join("browser-node.log");

    // The fixture content for most checks; the bundled articles for the first-screen layout.
    let (addr, server) = start_server(&root, "tests/fixtures/valid", &server_log);
    let bundled_log = tmp.join("browser-server-bundled.log");
    let (bundled_addr, bundled) = start_server(&root, "content", &bundled_log);
    // The editor area, as `preview` opens it on an editor's machine: over the bundled articles (real
    // wordings side by side) and over the fixture (a draft, an assigned and overdue review).
    let editor_log = tmp.join("browser-server-editor.log");
    let (editor_addr, editor) = start_preview(&root, "content", &editor_log);
    let editor_fixture_log = tmp.join("browser-server-editor-fixture.log");
    let (editor_fixture_addr, editor_fixture) =
        start_preview(&root, "tests/fixtures/valid", &editor_fixture_log);

    // People's paths, against `serve` with an editors file and real sign-in.
    let journey_log = tmp.join("browser-server-journeys.log");
    let (journey_addr, journeys, _journey_content) =
        start_journey_server(&root, &tmp, &journey_log);

    let log = File::create(&node_log).expect("create the node log");
    let node = Command::new("node")
        .current_dir(&root)
        .args([
            "--test",
            "--test-reporter=spec",
            "--test-concurrency=1",
            "tests/browser/run.mjs",
            "tests/browser/journeys.mjs",
        ])
        .env("HEALTHPRESS_JOURNEY_URL", format!("http://{journey_addr}"))
        .env("HEALTHPRESS_JOURNEY_EDITOR", JOURNEY_EDITOR)
        .env("HEALTHPRESS_JOURNEY_REVIEWER", JOURNEY_REVIEWER)
        .env(
            "HEALTHPRESS_JOURNEY_SECOND_REVIEWER",
            JOURNEY_SECOND_REVIEWER,
        )
        .env("HEALTHPRESS_JOURNEY_PASSWORD", JOURNEY_PASSWORD)
        .env("HEALTHPRESS_URL", format!("http://{addr}"))
        .env("HEALTHPRESS_BUNDLED_URL", format!("http://{bundled_addr}"))
        .env("HEALTHPRESS_EDITOR_URL", format!("http://{editor_addr}"))
        .env(
            "HEALTHPRESS_EDITOR_FIXTURE_URL",
            format!("http://{editor_fixture_addr}"),
        )
        .env("HEALTHPRESS_CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone the node log handle"))
        .stderr(log)
        .spawn()
        .expect("start node");
    let mut node = KillOnDrop(node);

    let started = Instant::now();
    let status = loop {
        if let Some(status) = node.0.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > SUITE_TIMEOUT {
            break None;
        }
        sleep(Duration::from_millis(200));
    };
    drop(node);
    drop(server);
    drop(bundled);
    drop(editor);
    drop(editor_fixture);
    drop(journeys);

    let output = read_log(&node_log);
    match status {
        Some(status) if status.success() => eprintln!("{output}"),
        Some(status) => panic!(
            "browser suite failed ({status}); node's output:\n{output}\n\
             --- last lines of the server log ({}) ---\n{}",
            server_log.display(),
            tail(&read_log(&server_log), 40)
        ),
        None => panic!(
            "browser suite timed out after {SUITE_TIMEOUT:?}; node's output so far:\n{output}"
        ),
    }
}
