//! Regression tests for attacks on the running server: each one reproduces an attack over TCP
//! against the real binary (or through the app where no socket is needed) and checks the defence.

mod common;

use common::server::{Server, login_request, request, status_of};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn bundled_content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// A quoted phrase of common words with a huge slop: exponentially slow before queries were parsed
/// as words and phrases only.
const COSTLY_SEARCH: &str = "\"the and of to a in is or for with your it can be that are\"~1000";

fn search_path(q: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    format!("/search?q={q}&audience=patient")
}

#[test]
fn costly_searches_do_not_stall_the_site() {
    let server = Server::start(&bundled_content(), &[]);
    let attackers: Vec<_> = (0..6)
        .map(|_| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                let response = request(
                    &addr,
                    &format!(
                        "GET {} HTTP/1.0\r\nHost: x\r\n\r\n",
                        search_path(COSTLY_SEARCH)
                    ),
                )
                .unwrap();
                (status_of(&response), started.elapsed())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(server.get("/healthz").0, 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/healthz answers while costly searches run: {:?}",
            started.elapsed()
        );
        let (status, _) = server.get("/articles/leg-cramps/patient");
        assert_eq!(status, 200);
    }
    for attacker in attackers {
        let (status, took) = attacker.join().unwrap();
        assert!(
            status == 200 || status == 503,
            "a costly search is answered or refused as busy, got {status}"
        );
        assert!(took < Duration::from_secs(5), "search took {took:?}");
    }
    // A reader's ordinary phrase search still finds the article.
    let (status, body) = server.get(&search_path("\"leg cramps\""));
    assert_eq!(status, 200);
    assert!(
        body.contains("/articles/leg-cramps/patient"),
        "{body:.2000}"
    );
}

#[test]
fn head_of_a_search_does_not_search() {
    let server = Server::start(&bundled_content(), &[]);
    let started = Instant::now();
    let response = request(
        &server.addr,
        &format!(
            "HEAD {} HTTP/1.0\r\nHost: x\r\n\r\n",
            search_path(COSTLY_SEARCH)
        ),
    )
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(status_of(&response), 200, "{response}");
    assert!(response.to_lowercase().contains("content-type: text/html"));
    let (_, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(body.is_empty(), "HEAD has no body: {body:.200}");
}

const PASSWORD: &str = "correct horse battery";

/// An editors file for alice and bob (both with [`PASSWORD`]) in `dir`.
fn editors_file(dir: &std::path::Path) -> PathBuf {
    let hash = healthpress::web::editor::auth::hash_password(PASSWORD).unwrap();
    let path = dir.join("editors.toml");
    std::fs::write(
        &path,
        format!("[editors]\nalice = \"{hash}\"\nbob = \"{hash}\"\n"),
    )
    .unwrap();
    path
}

/// The server over the bundled content with the editors file of [`editors_file`], and `extra`
/// arguments; the folder holding the editors file lives as long as the returned guard.
fn editor_server(extra: &[&str]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let editors = editors_file(dir.path());
    let mut args = vec!["--editors", editors.to_str().unwrap()];
    args.extend_from_slice(extra);
    let server = Server::start(&bundled_content(), &args);
    (dir, server)
}

fn login_status(server: &Server, user: &str, password: &str, forwarded_for: Option<&str>) -> u16 {
    let extra = forwarded_for
        .map(|ip| format!("X-Forwarded-For: {ip}\r\n"))
        .unwrap_or_default();
    status_of(&request(&server.addr, &login_request(user, password, None, &extra)).unwrap())
}

#[test]
fn a_locked_name_does_not_lock_out_other_editors_or_clients() {
    let (_dir, server) = editor_server(&["--trusted-proxy", "127.0.0.1"]);
    // Straight from a client: five wrong passwords for alice lock alice, from this client only.
    for _ in 0..5 {
        assert_eq!(login_status(&server, "alice", "guess", None), 401);
    }
    assert_eq!(login_status(&server, "alice", PASSWORD, None), 429);
    assert_eq!(login_status(&server, "bob", PASSWORD, None), 303);
    // Behind the trusted proxy, clients are told apart by X-Forwarded-For.
    for _ in 0..5 {
        assert_eq!(
            login_status(&server, "bob", "guess", Some("203.0.113.5")),
            401
        );
    }
    assert_eq!(
        login_status(&server, "bob", PASSWORD, Some("203.0.113.5")),
        429
    );
    assert_eq!(
        login_status(&server, "bob", PASSWORD, Some("203.0.113.6")),
        303
    );
    assert_eq!(
        login_status(&server, "alice", PASSWORD, Some("203.0.113.6")),
        303
    );
}

#[test]
fn every_forwarded_for_line_is_read_and_ports_are_parsed() {
    let (_dir, server) = editor_server(&["--trusted-proxy", "127.0.0.1"]);
    let status = |lines: &[&str], password: &str| {
        let extra: String = lines
            .iter()
            .map(|l| format!("X-Forwarded-For: {l}\r\n"))
            .collect();
        status_of(
            &request(
                &server.addr,
                &login_request("alice", password, None, &extra),
            )
            .unwrap(),
        )
    };
    // A client rotating a forged first line: the proxy's line (last) names it every time.
    for n in 0..5 {
        let forged = format!("198.51.100.{n}");
        assert_eq!(status(&[&forged, "203.0.113.5"], "guess"), 401);
    }
    assert_eq!(status(&["198.51.100.77", "203.0.113.5"], PASSWORD), 429);
    // Entries with ports are clients of their own, not all bucketed as the proxy.
    for port in [1000, 1001, 1002, 1003, 1004] {
        let hop = format!("203.0.113.7:{port}");
        assert_eq!(status(&[&hop], "guess"), 401);
    }
    assert_eq!(status(&["203.0.113.7:2000"], PASSWORD), 429);
    assert_eq!(status(&["[2001:db8::1]:80"], PASSWORD), 303);
    assert_eq!(status(&["203.0.113.8:1000"], PASSWORD), 303);
}

#[test]
fn an_untrusted_peer_cannot_pick_its_address_with_forwarded_for() {
    let (_dir, server) = editor_server(&[]);
    for n in 0..5 {
        let forged = format!("198.51.100.{n}");
        assert_eq!(login_status(&server, "alice", "guess", Some(&forged)), 401);
    }
    assert_eq!(
        login_status(&server, "alice", PASSWORD, Some("198.51.100.99")),
        429
    );
}

fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn simultaneous_wrong_logins_are_all_counted_and_hashed_a_few_at_a_time() {
    let (_dir, server) = editor_server(&["--trusted-proxy", "127.0.0.1"]);
    let attempts = |forwarded: Vec<String>| -> Vec<u16> {
        let threads: Vec<_> = forwarded
            .into_iter()
            .map(|ip| {
                let addr = server.addr.clone();
                std::thread::spawn(move || {
                    let raw = login_request(
                        "alice",
                        "guess",
                        None,
                        &format!("X-Forwarded-For: {ip}\r\n"),
                    );
                    status_of(&request(&addr, &raw).unwrap_or_default())
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    };
    // 100 at once from one client: exactly five are checked.
    let statuses = attempts(vec!["203.0.113.1".to_string(); 100]);
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 5);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 95);
    // 40 at once from 40 clients: all are checked, a few at a time, so memory stays small
    // (argon2 takes about 19 MiB a check; 40 at once took 750 MiB).
    let statuses = attempts((0..40).map(|n| format!("198.51.100.{n}")).collect());
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let peak = peak_memory_kib(server.child.id());
    assert!(peak < 300 * 1024, "peak resident memory {peak} KiB");
}

#[test]
fn slow_bodies_are_cut_off_and_anonymous_editor_posts_are_refused_before_their_body() {
    use std::io::{Read, Write};
    let (_dir, server) = editor_server(&[]);
    // One byte every two seconds: cut off by the body deadline.
    let mut slow = std::net::TcpStream::connect(&server.addr).unwrap();
    slow.write_all(
        b"POST /audience HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
          Content-Length: 100\r\n\r\n",
    )
    .unwrap();
    let started = Instant::now();
    let mut answered = Vec::new();
    slow.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    while started.elapsed() < Duration::from_secs(20) {
        if slow.write_all(b"a").is_err() {
            break;
        }
        let mut buf = [0u8; 4096];
        match slow.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answered.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if !answered.is_empty() {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answered);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "slow body cut off: {:?}",
        started.elapsed()
    );
    assert!(text.is_empty() || status_of(&text) == 408, "{text:.300}");
    // An anonymous sandbox post is refused at once, without waiting for its (never sent) body.
    let mut half = std::net::TcpStream::connect(&server.addr).unwrap();
    half.write_all(
        b"POST /editor/sandbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
          Content-Length: 500000\r\n\r\nmarkdown=",
    )
    .unwrap();
    half.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let mut buf = [0u8; 4096];
    let n = half.read(&mut buf).expect("answered before the body");
    assert_eq!(status_of(&String::from_utf8_lossy(&buf[..n])), 401);
    // The sign-in form is small: a large one is refused.
    let big = login_request("alice", &"x".repeat(10_000), None, "");
    assert_eq!(status_of(&request(&server.addr, &big).unwrap()), 413);
    assert_eq!(server.get("/healthz").0, 200);
}

fn get_with_host(server: &Server, path: &str, host: &str) -> u16 {
    status_of(
        &request(
            &server.addr,
            &format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n"),
        )
        .unwrap(),
    )
}

#[test]
fn preview_answers_only_loopback_host_names() {
    let server = Server::start_command("preview", &bundled_content(), &[]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    assert_eq!(get_with_host(&server, "/editor/", "attacker.example"), 421);
    assert_eq!(
        get_with_host(&server, "/editor/", &format!("attacker.example:{port}")),
        421
    );
    assert_eq!(
        get_with_host(&server, "/editor/", &format!("127.0.0.1:{port}")),
        200
    );
    assert_eq!(
        get_with_host(&server, "/editor/", &format!("localhost:{port}")),
        200
    );
    // Public pages are the same for every host.
    assert_eq!(get_with_host(&server, "/", "attacker.example"), 200);
}

#[test]
fn serve_answers_the_editor_area_only_for_its_own_host() {
    let (_dir, server) = editor_server(&[]);
    // The bundled base_url is http://127.0.0.1:8080.
    assert_eq!(
        get_with_host(&server, "/editor/login", "attacker.example"),
        421
    );
    assert_eq!(get_with_host(&server, "/editor/login", "127.0.0.1"), 200);
}

#[test]
fn live_reload_streams_are_capped_per_session() {
    use healthpress::web::editor::events::MAX_STREAMS_PER_SESSION;
    let server = Server::start_command("preview", &bundled_content(), &[]);
    let mut open = Vec::new();
    for _ in 0..MAX_STREAMS_PER_SESSION {
        let (status, stream) = open_event_stream(&server);
        assert_eq!(status, 200);
        open.push(stream);
    }
    assert_eq!(get_with_host(&server, "/editor/events", "127.0.0.1"), 429);
    // Closing one frees its place.
    drop(open.pop());
    let deadline = Instant::now() + Duration::from_secs(30);
    while open_event_stream(&server).0 != 200 {
        assert!(Instant::now() < deadline, "a closed stream frees its place");
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Opens `/editor/events` and reads the head of the answer: its status, and the connection, which
/// stays open while the stream lasts.
fn open_event_stream(server: &Server) -> (u16, std::net::TcpStream) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    stream
        .write_all(b"GET /editor/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).unwrap_or(0);
    (status_of(&String::from_utf8_lossy(&buf[..n])), stream)
}

#[test]
fn a_login_next_with_control_characters_is_refused_before_the_password_check() {
    let (_dir, server) = editor_server(&[]);
    for next in [
        "/editor/\r\nSet-Cookie: x=y",
        "/editor/\u{7f}",
        "/editor/a b",
    ] {
        let raw = login_request("alice", PASSWORD, Some(next), "");
        let response = request(&server.addr, &raw).unwrap();
        assert_eq!(status_of(&response), 400, "{next:?}: {response:.300}");
        assert!(!response.contains("hp_session"), "{response:.500}");
    }
    let raw = login_request("alice", PASSWORD, Some("/editor/articles/leg-cramps"), "");
    let response = request(&server.addr, &raw).unwrap();
    assert_eq!(status_of(&response), 303);
    assert!(response.contains("location: /editor/articles/leg-cramps"));
    // A long path is not copied into the sign-in redirect.
    let long = format!("/editor/{}", "a".repeat(5000));
    let response = request(
        &server.addr,
        &format!("GET {long} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"),
    )
    .unwrap();
    assert_eq!(status_of(&response), 303);
    assert!(
        response.contains("location: /editor/login\r\n"),
        "{response:.300}"
    );
}

#[actix_web::test]
async fn another_site_cannot_switch_a_readers_wording() {
    use actix_web::test::TestRequest;
    let app = common::app(common::state("valid")).await;
    let form = [
        ("audience", "professional"),
        ("next", "/articles/cramp-care/patient"),
    ];
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
    ] {
        let req = headers
            .iter()
            .fold(TestRequest::post().uri("/audience"), |r, h| {
                r.insert_header(*h)
            })
            .set_form(form);
        let (status, response_headers, _) = common::send(&app, req).await;
        assert_eq!(status, 403, "{headers:?}");
        assert!(response_headers.get("set-cookie").is_none(), "{headers:?}");
    }
    // The site's own form, from a browser or without JavaScript and without these headers.
    for headers in [
        vec![("sec-fetch-site", "same-origin")],
        vec![("origin", "https://health.example.org")],
        vec![],
    ] {
        let req = headers
            .iter()
            .fold(TestRequest::post().uri("/audience"), |r, h| {
                r.insert_header(*h)
            })
            .set_form(form);
        let (status, response_headers, _) = common::send(&app, req).await;
        assert_eq!(status, 303, "{headers:?}");
        assert!(
            common::header(&response_headers, "set-cookie").starts_with("audience=professional")
        );
    }
}

#[test]
fn symlinked_articles_and_pages_folders_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("valid"), outside.path());
    for folder in ["articles", "pages"] {
        let site = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture("valid"), site.path());
        std::fs::remove_dir_all(site.path().join(folder)).unwrap();
        std::os::unix::fs::symlink(outside.path().join(folder), site.path().join(folder)).unwrap();
        let loaded = healthpress::content::load_site(site.path()).expect("site loads");
        let problem = loaded
            .diagnostics
            .iter()
            .find(|d| d.is_error() && d.path.ends_with(folder))
            .unwrap_or_else(|| panic!("{folder}: {:?}", loaded.diagnostics));
        assert!(problem.message.contains("symbolic link"), "{problem}");
        match folder {
            "articles" => assert!(loaded.articles.is_empty()),
            _ => assert!(loaded.pages.is_empty()),
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(["check", "--content"])
            .arg(site.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{folder}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("symbolic link"));
    }
}

#[actix_web::test]
async fn search_indexes_only_what_readers_see() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("valid"), dir.path());
    let wording = dir.path().join("articles/cramp-care/patient.md");
    let mut text = std::fs::read_to_string(&wording).unwrap();
    text.push_str(
        "\nAlso <script>zzscripttext</script> here.\n\n<div title=\"x\n\nzzswallowed [more](https://e.org)\n",
    );
    std::fs::write(&wording, text).unwrap();
    let state =
        actix_web::web::Data::new(healthpress::web::AppState::load(dir.path()).expect("loads"));
    let app = common::app(state).await;
    let (_, _, page) = common::get(&app, "/articles/cramp-care/patient").await;
    assert!(!page.contains(">zzscripttext"));
    for word in ["zzscripttext", "zzswallowed"] {
        let (status, _, body) =
            common::get(&app, &format!("/search?q={word}&audience=patient")).await;
        assert_eq!(status, 200);
        assert!(body.contains("No articles match"), "{word}: {body:.3000}");
    }
    let (_, _, body) = common::get(&app, "/search?q=stretch&audience=patient").await;
    assert!(body.contains("/articles/cramp-care/patient"));
}

#[test]
fn a_body_that_pauses_too_long_is_cut_off() {
    use std::io::{Read, Write};
    let server = Server::start(&bundled_content(), &[]);
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    stream
        .write_all(
            b"POST /audience HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 100\r\n\r\naudience=",
        )
        .unwrap();
    // Then nothing: the gap limit (5 s) ends it well before the whole-body limit (10 s).
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let started = Instant::now();
    let mut answer = [0u8; 1024];
    let n = stream.read(&mut answer).unwrap_or(0);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(9),
        "cut off after the gap limit: {took:?}"
    );
    let text = String::from_utf8_lossy(&answer[..n]);
    assert_eq!(status_of(&text), 408, "{text:.300}");
}

#[test]
fn head_answers_as_get_does_without_a_misleading_length() {
    let (_dir, server) = editor_server(&[]);
    // Search may still be getting ready: wait until GET answers 200.
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.get("/search?q=cramp&audience=patient").0 != 200 {
        assert!(Instant::now() < deadline, "search did not get ready");
        std::thread::sleep(Duration::from_millis(100));
    }
    for path in [
        "/search?q=cramp&audience=patient",
        "/ask?q=cramp&audience=patient",
    ] {
        let head = request(
            &server.addr,
            &format!("HEAD {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"),
        )
        .unwrap();
        assert_eq!(status_of(&head), 200, "{head}");
        let head = head.to_ascii_lowercase();
        assert!(!head.contains("content-length: 0\r\n"), "{path}: {head}");
        let (_, get) = server.get(path);
        let get_length = get
            .to_ascii_lowercase()
            .lines()
            .find_map(|l| l.strip_prefix("content-length: ").map(str::to_string));
        if let Some(length) = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
        {
            assert_eq!(Some(length.to_string()), get_length, "{path}");
        }
    }
    let get = request(
        &server.addr,
        "GET /editor/login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .unwrap();
    assert_eq!(status_of(&get), 200, "{get:.300}");
    let head = request(
        &server.addr,
        "HEAD /editor/login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .unwrap();
    assert_eq!(status_of(&head), 200, "{head}");
    assert!(
        head.ends_with("\r\n\r\n"),
        "a HEAD answer has no body: {head}"
    );
}

/// The word diff of an approved article against working files rewritten from end to end: before,
/// it ran on the async worker for minutes, and readers on that worker waited.
#[test]
fn a_huge_word_diff_does_not_stall_readers() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&bundled_content(), &content);
    // Every word new: the worst case for a diff that looks for the fewest changes.
    let mut words = String::from("## The short version {#summary}\n\n");
    for n in 0..40_000u32 {
        words.push_str(&format!("w{} ", n.wrapping_mul(2_654_435_761) % 1_000_003));
        if n % 20 == 19 {
            words.push_str("stop.\n\n");
        }
    }
    std::fs::write(content.join("articles/leg-cramps/patient.md"), words).unwrap();
    let editors = editors_file(dir.path());
    let server = Server::start(&content, &["--editors", editors.to_str().unwrap()]);
    let session = common::server::sign_in(&server.addr, "alice", PASSWORD);
    let addr = server.addr.clone();
    let editor = std::thread::spawn(move || {
        let started = Instant::now();
        let response = request(
            &addr,
            &format!(
                "GET /editor/articles/leg-cramps HTTP/1.0\r\nHost: 127.0.0.1\r\n{session}\r\n"
            ),
        )
        .unwrap();
        (response, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..6 {
        let started = Instant::now();
        assert_eq!(server.get("/healthz").0, 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/healthz answers while a diff runs: {:?}",
            started.elapsed()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (response, took) = editor.join().unwrap();
    assert_eq!(status_of(&response), 200, "{response:.500}");
    assert!(
        took < Duration::from_secs(10),
        "the editor page took {took:?}"
    );
    assert!(
        response.contains("What changed since the approved text"),
        "the diff is shown: {response:.2000}"
    );
}
