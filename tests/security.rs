//! Regression tests for attacks on the running server: each one reproduces an attack over TCP
//! against the real binary (or through the app where no socket is needed) and checks the defence.

mod common;

use common::server::{Server, request, status_of};
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
