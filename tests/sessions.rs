//! Editors' sessions against the real server over TCP: a session lasts only as long as its account
//! (the editors file is read again when it changes), `healthpress sessions revoke` and `unlock` act
//! at once, and no browser request is ever answered with a Basic challenge (which would raise the
//! browser's own password dialog over the sign-in form).

mod common;

use common::server::{BROWSER_FORM, Server, login_request, request, sign_in, status_of};
use healthpress::web::editor::auth::hash_password;
use std::path::{Path, PathBuf};
use std::process::Command;

const PASSWORD: &str = "a long test passphrase";

fn bundled_content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// Writes an editors file with these (name, password hash) accounts.
fn write_editors(path: &Path, accounts: &[(&str, &str)]) {
    let mut text = String::from("[editors]\n");
    for (name, hash) in accounts {
        text.push_str(&format!("{name} = \"{hash}\"\n"));
    }
    // A new file put in place in one step, as an editor's save or a deployment does.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

struct Site {
    dir: tempfile::TempDir,
    server: Server,
}

impl Site {
    /// The server with these (name, password) accounts.
    fn start(accounts: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let hashes: Vec<(&str, String)> = accounts
            .iter()
            .map(|(name, password)| (*name, hash_password(password).unwrap()))
            .collect();
        let hashes: Vec<(&str, &str)> = hashes.iter().map(|(n, h)| (*n, h.as_str())).collect();
        write_editors(&dir.path().join("editors.toml"), &hashes);
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let editors = dir.path().join("editors.toml");
        let data = dir.path().join("data");
        let server = Server::start(
            &bundled_content(),
            &[
                "--editors",
                editors.to_str().unwrap(),
                "--data",
                data.to_str().unwrap(),
            ],
        );
        Site { dir, server }
    }

    fn editors(&self) -> PathBuf {
        self.dir.path().join("editors.toml")
    }

    fn send(&self, raw: &str) -> String {
        request(&self.server.addr, raw).unwrap()
    }

    fn get(&self, path: &str, headers: &str) -> String {
        self.send(&format!(
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{headers}\r\n"
        ))
    }

    fn login(&self, user: &str, password: &str) -> String {
        self.send(&login_request(user, password, None, BROWSER_FORM))
    }

    /// Signs in; returns the `Cookie:` header line of the session.
    fn sign_in(&self, user: &str, password: &str) -> String {
        sign_in(&self.server.addr, user, password)
    }

    /// The dashboard's status for this session: 200 signed in, 303 to the sign-in page.
    fn dashboard(&self, session: &str) -> u16 {
        status_of(&self.get("/editor/", session))
    }

    fn sessions_command(&self, args: &[&str]) -> (bool, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .arg("sessions")
            .args(args)
            .arg("--data")
            .arg(self.dir.path().join("data"))
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    }
}

fn has_challenge(response: &str) -> bool {
    response
        .to_ascii_lowercase()
        .contains("\r\nwww-authenticate:")
}

#[test]
fn a_session_ends_when_its_account_is_removed_or_its_password_changes() {
    let site = Site::start(&[("alice", PASSWORD), ("bob", PASSWORD)]);
    let alice = site.sign_in("alice", PASSWORD);
    let bob = site.sign_in("bob", PASSWORD);
    assert_eq!(site.dashboard(&alice), 200);
    assert_eq!(site.dashboard(&bob), 200);
    let file = std::fs::read_to_string(site.editors()).unwrap();
    let bob_hash = file
        .lines()
        .find_map(|l| l.strip_prefix("bob = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    let new_hash = hash_password("a new passphrase").unwrap();

    // Alice's password is rotated in the editors file: her session ends on the next request.
    write_editors(&site.editors(), &[("alice", &new_hash), ("bob", &bob_hash)]);
    assert_eq!(
        site.dashboard(&alice),
        303,
        "the old password's session ended"
    );
    assert_eq!(site.dashboard(&bob), 200, "bob's account did not change");
    assert_eq!(status_of(&site.login("alice", PASSWORD)), 401);
    let alice = site.sign_in("alice", "a new passphrase");
    assert_eq!(site.dashboard(&alice), 200);

    // Bob's account is removed: his session ends, and he cannot sign in again.
    write_editors(&site.editors(), &[("alice", &new_hash)]);
    assert_eq!(site.dashboard(&bob), 303);
    assert_eq!(status_of(&site.login("bob", PASSWORD)), 401);
    assert_eq!(site.dashboard(&alice), 200);
}

#[test]
fn sessions_revoke_ends_sessions_at_once() {
    let site = Site::start(&[("alice", PASSWORD), ("bob", PASSWORD)]);
    let alice_phone = site.sign_in("alice", PASSWORD);
    let alice_laptop = site.sign_in("alice", PASSWORD);
    let bob = site.sign_in("bob", PASSWORD);
    let (ok, said) = site.sessions_command(&["revoke", "--user", "alice"]);
    assert!(ok, "{said}");
    assert!(said.contains("ended 2 session(s) of `alice`"), "{said}");
    assert_eq!(site.dashboard(&alice_phone), 303);
    assert_eq!(site.dashboard(&alice_laptop), 303);
    assert_eq!(site.dashboard(&bob), 200);
    let (ok, said) = site.sessions_command(&["revoke", "--all"]);
    assert!(ok, "{said}");
    assert_eq!(site.dashboard(&bob), 303);
    let (ok, said) = site.sessions_command(&["revoke"]);
    assert!(!ok, "revoke needs --user or --all: {said}");
}

#[test]
fn sessions_unlock_clears_a_sign_in_lockout() {
    let site = Site::start(&[("alice", PASSWORD)]);
    for _ in 0..5 {
        assert_eq!(status_of(&site.login("alice", "a guess")), 401);
    }
    assert_eq!(status_of(&site.login("alice", PASSWORD)), 429, "locked");
    let (ok, said) = site.sessions_command(&["unlock", "alice"]);
    assert!(ok, "{said}");
    site.sign_in("alice", PASSWORD);
    // The lock was cleared, not lifted: five new failures lock the name again.
    for _ in 0..5 {
        assert_eq!(status_of(&site.login("alice", "a guess")), 401);
    }
    assert_eq!(status_of(&site.login("alice", PASSWORD)), 429);
}

/// The headers Chromium sends with an `EventSource` from an editor page.
const EVENT_SOURCE: &str = "Accept: text/event-stream\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Dest: empty\r\n";

#[test]
fn no_browser_request_is_answered_with_a_password_dialog() {
    let site = Site::start(&[("alice", PASSWORD)]);
    // The sign-in page opens no live-reload stream: it does not load the editor script.
    let login = site.get(
        "/editor/login",
        "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n",
    );
    assert_eq!(status_of(&login), 200);
    assert!(
        !login.contains("/static/editor"),
        "no editor script on the sign-in page"
    );
    // A stream opened without a session by a browser: refused, without a challenge.
    let stream = site.get("/editor/events", EVENT_SOURCE);
    assert_eq!(status_of(&stream), 401, "{stream}");
    assert!(!has_challenge(&stream), "{stream}");
    // A page load without a session goes to the sign-in form.
    let page = site.get(
        "/editor/",
        "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\n",
    );
    assert_eq!(status_of(&page), 303);
    assert!(!has_challenge(&page));
    // A script's POST without a session: refused, without a challenge.
    let post = site.send(
        "POST /editor/sandbox HTTP/1.0\r\nHost: 127.0.0.1\r\nSec-Fetch-Mode: cors\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b",
    );
    assert_eq!(status_of(&post), 401);
    assert!(!has_challenge(&post), "{post}");
    // A wrong password: the form again, with a clear message, and no challenge.
    let wrong = site.login("alice", "not it");
    assert_eq!(status_of(&wrong), 401);
    assert!(wrong.contains("That name and password do not match."));
    assert!(wrong.contains("<form"), "the form again");
    assert!(!has_challenge(&wrong), "{wrong}");
    // Signed in, the stream opens.
    let session = site.sign_in("alice", PASSWORD);
    let mut stream = std::net::TcpStream::connect(&site.server.addr).unwrap();
    use std::io::{Read, Write};
    stream
        .write_all(
            format!(
                "GET /editor/events HTTP/1.0\r\nHost: 127.0.0.1\r\n{EVENT_SOURCE}{session}\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.0 200")
            || String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head[..n])
    );

    // Scripts that are no browser still get the challenge, so HTTP Basic stays usable.
    let script = site.get("/editor/events", "");
    assert_eq!(status_of(&script), 401);
    assert!(has_challenge(&script), "{script}");
    let bad_basic = site.get("/editor/", "Authorization: Basic YWxpY2U6bm9wZQ==\r\n");
    assert_eq!(status_of(&bad_basic), 401);
    assert!(has_challenge(&bad_basic), "{bad_basic}");
}
