//! The real server, as replicas on one PostgreSQL and through a database outage: sessions and
//! feedback shared between two `serve` processes, one stopped while the other carries on, and the
//! database stopped and started under a running server (these need PostgreSQL: see `common::pg`);
//! and old feedback deleted by the server itself, with SQLite.

mod common;

use common::server::{Server, form, request, status_of};
use healthpress::store::{Location, Store};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";

fn bundled_content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn editors_file(dir: &std::path::Path) -> PathBuf {
    let hash = healthpress::web::editor::auth::hash_password(PASSWORD).unwrap();
    let path = dir.join("editors.toml");
    std::fs::write(&path, format!("[editors]\nalice = \"{hash}\"\n")).unwrap();
    path
}

fn post(addr: &str, path: &str, headers: &str, body: &str) -> String {
    request(
        addr,
        &format!(
            "POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{headers}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .unwrap()
}

fn get(addr: &str, path: &str, headers: &str) -> String {
    request(
        addr,
        &format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{headers}\r\n"),
    )
    .unwrap()
}

/// Signs alice in; returns the `Cookie:` header line of her session.
fn sign_in(addr: &str) -> String {
    common::server::sign_in(addr, "alice", PASSWORD)
}

fn feedback(addr: &str, comment: &str) -> String {
    post(
        addr,
        "/feedback",
        "Origin: http://127.0.0.1\r\n",
        &form(&[
            ("slug", "leg-cramps"),
            ("audience", "patient"),
            ("helpful", "no"),
            ("comment", comment),
            ("website", ""),
        ]),
    )
}

async fn comments(url: &str) -> Vec<String> {
    let store = Store::open_with_key(
        &Location::Postgres(url.to_string()),
        &common::pg::client_key(),
    )
    .await
    .unwrap();
    let comments = store
        .comments("leg-cramps")
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.comment)
        .collect();
    store.close().await;
    comments
}

#[actix_web::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set HEALTHPRESS_TEST_DATABASE_URL (as .ci/run does), see README Tests"
)]
async fn two_replicas_share_sessions_and_feedback_and_one_carries_on_alone() {
    let url = common::pg::fresh_database(&common::pg::server_url()).await;
    let dir = tempfile::tempdir().unwrap();
    let editors = editors_file(dir.path());
    let key = common::pg::client_key_file();
    let args = [
        "--editors",
        editors.to_str().unwrap(),
        "--database",
        url.as_str(),
        "--client-key",
        key.to_str().unwrap(),
    ];
    let a = Server::start(&bundled_content(), &args);
    let b = Server::start(&bundled_content(), &args);

    // Signed in on A, the same cookie works on B, for reading and for changes.
    let session = sign_in(&a.addr);
    let dashboard = get(&b.addr, "/editor/", &session);
    assert_eq!(status_of(&dashboard), 200, "{dashboard}");
    assert!(dashboard.contains("Sign out alice"));
    let without = get(&b.addr, "/editor/", "");
    assert_eq!(status_of(&without), 303);

    // One answer to each replica: each appears once, on both.
    assert_eq!(status_of(&feedback(&a.addr, "sent to A")), 303);
    assert_eq!(status_of(&feedback(&b.addr, "sent to B")), 303);
    let mut seen = comments(&url).await;
    seen.sort();
    assert_eq!(seen, ["sent to A", "sent to B"]);
    for replica in [&a, &b] {
        let page = get(&replica.addr, "/editor/articles/leg-cramps", &session);
        assert_eq!(status_of(&page), 200);
        assert_eq!(page.matches("sent to A").count(), 1);
        assert_eq!(page.matches("sent to B").count(), 1);
    }

    // Signing out on B ends the session on A too.
    let other = sign_in(&b.addr);
    let csrf_page = get(&a.addr, "/editor/", &other);
    let at = csrf_page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = &csrf_page[at..at + 64];
    let out = post(&b.addr, "/editor/logout", &other, &form(&[("csrf", csrf)]));
    assert_eq!(status_of(&out), 303);
    assert_eq!(status_of(&get(&a.addr, "/editor/", &other)), 303);

    // A stops; B carries on serving readers and editors.
    drop(a);
    assert_eq!(
        status_of(&get(&b.addr, "/articles/leg-cramps/patient", "")),
        200
    );
    assert_eq!(status_of(&get(&b.addr, "/editor/", &session)), 200);
    assert_eq!(status_of(&feedback(&b.addr, "after A stopped")), 303);
    assert_eq!(comments(&url).await.len(), 3);
}

#[actix_web::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set HEALTHPRESS_TEST_DATABASE_URL (as .ci/run does), see README Tests"
)]
async fn the_database_stopped_mid_run_loses_nothing_and_comes_back() {
    let cluster = common::pg::Cluster::start();
    let dir = tempfile::tempdir().unwrap();
    let editors = editors_file(dir.path());
    let key = common::pg::client_key_file();
    let server = Server::start(
        &bundled_content(),
        &[
            "--editors",
            editors.to_str().unwrap(),
            "--database",
            cluster.url.as_str(),
            "--client-key",
            key.to_str().unwrap(),
        ],
    );
    let session = sign_in(&server.addr);
    assert_eq!(status_of(&feedback(&server.addr, "before the outage")), 303);
    // A second session, signed out before the outage.
    let signed_out = sign_in(&server.addr);
    let page = get(&server.addr, "/editor/", &signed_out);
    let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let signed_out_csrf = page[at..at + 64].to_string();
    let out = post(
        &server.addr,
        "/editor/logout",
        &signed_out,
        &form(&[("csrf", &signed_out_csrf)]),
    );
    assert_eq!(status_of(&out), 303);
    assert_eq!(status_of(&get(&server.addr, "/editor/", &signed_out)), 303);

    cluster.stop();
    let refused = feedback(&server.addr, "during the outage");
    assert_eq!(status_of(&refused), 503, "{refused}");
    assert!(refused.contains("We could not save that, please try later."));
    assert!(refused.to_ascii_lowercase().contains("retry-after: 60"));
    // Readers are served.
    assert_eq!(
        status_of(&get(&server.addr, "/articles/leg-cramps/patient", "")),
        200
    );
    assert_eq!(status_of(&get(&server.addr, "/", "")), 200);
    // A session the database cannot confirm is not honoured (it may have been signed out or
    // revoked on another replica), and the server says why at once rather than waiting for it.
    let asked = Instant::now();
    let preview = get(
        &server.addr,
        "/editor/articles/leg-cramps/patient",
        &session,
    );
    assert_eq!(status_of(&preview), 503, "{preview}");
    assert!(preview.contains("cannot be reached"), "{preview}");
    assert!(
        asked.elapsed() < Duration::from_millis(1500),
        "a preview waited {:?} for the database",
        asked.elapsed()
    );
    // The session signed out before the outage cannot approve during it.
    let approve = post(
        &server.addr,
        "/editor/articles/leg-cramps/approve",
        &signed_out,
        &form(&[("csrf", &signed_out_csrf), ("note", "During the outage")]),
    );
    assert_ne!(status_of(&approve), 303, "{approve}");
    assert_eq!(status_of(&get(&server.addr, "/editor/", &signed_out)), 503);
    // A sign-in cannot be counted by the limiter, so none is let in.
    let sign_in = post(
        &server.addr,
        "/editor/login",
        "Cookie: hp_login_csrf=t\r\n",
        &form(&[("username", "alice"), ("password", PASSWORD), ("csrf", "t")]),
    );
    assert_eq!(status_of(&sign_in), 503, "{sign_in}");

    // The database comes back: the same server saves again, without a restart.
    cluster.restart();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let response = feedback(&server.addr, "after the outage");
        if status_of(&response) == 303 {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery: {response}");
        std::thread::sleep(Duration::from_millis(500));
    }
    let mut seen = comments(&cluster.url).await;
    seen.sort();
    assert_eq!(seen, ["after the outage", "before the outage"]);
    assert_eq!(status_of(&get(&server.addr, "/editor/", &session)), 200);
}

#[actix_web::test]
async fn the_server_deletes_feedback_past_the_sites_retention() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&bundled_content(), &content);
    let config = content.join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("feedback_retention_days = 180"));
    std::fs::write(
        &config,
        text.replace(
            "feedback_retention_days = 180",
            "feedback_retention_days = 30",
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    let store = Store::open(&Location::Sqlite(data.clone())).await.unwrap();
    let now = healthpress::store::now_ms();
    for (days, comment) in [(40, "40 days old"), (10, "10 days old")] {
        store
            .save_feedback(&healthpress::store::NewFeedback {
                slug: "leg-cramps",
                audience: "patient",
                helpful: true,
                comment,
                at_ms: now - days * healthpress::store::DAY_MS,
            })
            .await
            .unwrap();
    }
    let _server = Server::start(&content, &["--data", data.to_str().unwrap()]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left: Vec<String> = store
            .comments("leg-cramps")
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.comment)
            .collect();
        if left.len() == 1 {
            assert_eq!(left, ["10 days old"]);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "old feedback not deleted: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
