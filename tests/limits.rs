//! Request limits and faults against the real server binary over TCP: long URLs and headers, large
//! bodies, path traversal, slow clients, shutdown with requests in flight, and reloads under load.

mod common;

use common::server::{Server, request, status_of};
use common::{copy_dir, fixture};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn path_traversal_never_reaches_files() {
    let server = Server::start(&fixture("valid"), &[]);
    let paths = [
        "/../../etc/passwd",
        "/static/../../../etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/static/..%252f..%252fCargo.toml",
        "/pages/..%2f..%2fsite.toml",
        "/pages/%2e%2e%2fsite",
        "/articles/..%2fsecret-draft/patient",
        "/articles/secret-draft%2fpatient",
        "/articles/cramp-care/..%2f..%2f..%2fsite.toml",
        "/topics/..%2f..%2fsite.toml",
        "/editor/..%2f..%2fsite.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/static/....//....//etc/passwd",
        "/articles/cramp-care/patient%00.html",
    ];
    for path in paths {
        let (status, body) = server.get(path);
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        for secret in ["root:", "base_url", "[package]", "DRAFT-SECRET"] {
            assert!(!body.contains(secret), "{path} leaked {secret}");
        }
    }
    assert_eq!(server.get("/articles/cramp-care/patient").0, 200);
}

#[test]
fn oversized_urls_headers_and_bodies_are_refused() {
    let server = Server::start(&fixture("valid"), &[]);
    let long_path = format!("/{}", "a".repeat(70_000));
    let (status, _) = server.get(&long_path);
    assert!(matches!(status, 400 | 414 | 0), "long URL: {status}");
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(200_000)
    );
    let response = request(&server.addr, &huge_header).unwrap_or_default();
    assert!(
        response.is_empty() || matches!(status_of(&response), 400 | 431),
        "huge header: {response:.100}"
    );
    let many_headers: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let response = request(
        &server.addr,
        &format!("GET / HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n"),
    )
    .unwrap_or_default();
    assert!(
        response.is_empty() || matches!(status_of(&response), 400 | 431),
        "too many headers: {response:.100}"
    );
    let body = format!("audience=patient&next={}", "a".repeat(10_000));
    let raw = format!(
        "POST /audience HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = request(&server.addr, &raw).unwrap();
    assert_eq!(status_of(&response), 413, "{response:.200}");
    // Still serving normally.
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn slow_clients_are_cut_off_and_do_not_starve_readers() {
    // All from one address: lift the per-address cap (tests/connections.rs tests it) to see the
    // request timeout alone.
    let server = Server::start(&fixture("valid"), &["--max-connections-per-client", "0"]);
    // Many connections that send half a request and stall.
    let mut slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    let (status, _) = server.get("/articles/cramp-care/patient");
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "readers are served while slow clients wait"
    );
    // The server closes the stalled connections after its request timeout (5 s).
    let stalled = slow.first_mut().unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut buf = Vec::new();
    let closed_at = Instant::now();
    let _ = stalled.read_to_end(&mut buf);
    assert!(
        closed_at.elapsed() < Duration::from_secs(12),
        "stalled connection closed by the server"
    );
    let text = String::from_utf8_lossy(&buf);
    assert!(text.is_empty() || text.contains("408"), "{text}");
}

#[test]
fn sigterm_lets_requests_in_flight_finish() {
    // A page large enough that the server is still writing it when the signal arrives.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let big = format!(
        "{}\n\nEND-OF-ARTICLE [@alpha] [@beta] [@gamma]",
        "Stretch the calf gently. ".repeat(120_000)
    );
    std::fs::write(dir.path().join("articles/cramp-care/patient.md"), big).unwrap();
    let mut server = Server::start(dir.path(), &[]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
        .write_all(
            b"GET /articles/cramp-care/patient HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut first = [0u8; 1024];
    stream.read_exact(&mut first).unwrap();
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(300));
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let mut whole = first.to_vec();
    whole.extend(rest);
    let text = String::from_utf8_lossy(&whole);
    assert!(text.starts_with("HTTP/1.1 200"), "{:.100}", text);
    assert!(
        text.contains("END-OF-ARTICLE"),
        "the response in flight completed"
    );
    assert!(text.trim_end().ends_with("</html>"));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            assert!(code.success(), "clean exit: {code}");
            break;
        }
        assert!(Instant::now() < deadline, "the server stops after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reloading while readers fetch: every response is whole, never an error, and from one version: the
/// wording's title (front matter) and body come from the same file, replaced atomically, so a page
/// mixing two versions would mean a half-updated article was served.
#[test]
fn reloads_under_load_serve_no_errors_and_no_half_updated_article() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let md = dir.path().join("articles/cramp-care/patient.md");
    let original_md = std::fs::read_to_string(&md).unwrap();
    let write_version = |v: usize| {
        let tmp = dir.path().join(".next-version");
        std::fs::write(
            &tmp,
            format!("+++\ntitle = \"Version {v}\"\n+++\nBody of version {v}.\n\n{original_md}"),
        )
        .unwrap();
        std::fs::rename(&tmp, &md).unwrap();
    };
    write_version(0);
    let server = Server::start(dir.path(), &["--watch"]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let addr = server.addr.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut seen = std::collections::BTreeSet::new();
                let mut count = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let response =
                        request(&addr, "GET /articles/cramp-care/patient HTTP/1.0\r\n\r\n")
                            .unwrap();
                    assert_eq!(status_of(&response), 200, "{response:.200}");
                    assert!(response.trim_end().ends_with("</html>"), "a whole page");
                    let title = response
                        .split("<h1>Version ")
                        .nth(1)
                        .unwrap()
                        .split('<')
                        .next()
                        .unwrap()
                        .to_string();
                    let body = response
                        .split("Body of version ")
                        .nth(1)
                        .unwrap()
                        .split('.')
                        .next()
                        .unwrap()
                        .to_string();
                    assert_eq!(title, body, "one version per page");
                    seen.insert(title);
                    count += 1;
                }
                (count, seen)
            })
        })
        .collect();
    for v in 1..=10 {
        write_version(v);
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut total = 0;
    let mut versions = std::collections::BTreeSet::new();
    for r in readers {
        let (count, seen) = r.join().expect("no reader saw an error");
        total += count;
        versions.extend(seen);
    }
    assert!(total > 100, "{total} requests");
    assert!(
        versions.len() > 2,
        "reloads happened during the load: {versions:?}"
    );
    assert!(
        versions.contains("10"),
        "the last version is served: {versions:?}"
    );
}
