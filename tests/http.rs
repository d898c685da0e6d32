//! Production serving: validators, compression, cache headers, assets, the static export, and that
//! no public response varies by cookie.

mod common;

use actix_web::cookie::Cookie;
use actix_web::test::TestRequest;
use common::{app, get, header, send, state};
use healthpress::web::export::{export_site, file_for};
use std::io::Read;

async fn get_with<S, B>(
    app: &S,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, actix_web::http::header::HeaderMap, Vec<u8>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut req = TestRequest::get().uri(path);
    for (k, v) in headers {
        req = req.insert_header((*k, *v));
    }
    let resp = actix_web::test::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let h = resp.headers().clone();
    (status, h, actix_web::test::read_body(resp).await.to_vec())
}

#[actix_web::test]
async fn etag_and_if_none_match_give_304() {
    let app = app(state("valid")).await;
    let (status, headers, body) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
    let etag = header(&headers, "etag").to_string();
    assert!(
        etag.starts_with('"') && etag.len() > 10,
        "strong etag: {etag}"
    );
    assert!(!body.is_empty());
    let (status, headers, body) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, 304);
    assert!(body.is_empty());
    assert_eq!(header(&headers, "etag"), etag);
    let (status, _, _) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("if-none-match", "\"other\"")],
    )
    .await;
    assert_eq!(status, 200);
    // Different pages have different tags.
    let (_, other, _) = get(&app, "/articles/cramp-care/professional").await;
    assert_ne!(header(&other, "etag"), etag);
}

#[actix_web::test]
async fn last_modified_and_if_modified_since() {
    let app = app(state("valid")).await;
    let (_, headers, _) = get(&app, "/articles/cramp-care/patient").await;
    let lm = header(&headers, "last-modified").to_string();
    assert_eq!(lm, "Tue, 29 Jul 2025 00:00:00 GMT");
    let (status, _, _) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("if-modified-since", "Wed, 30 Jul 2025 00:00:00 GMT")],
    )
    .await;
    assert_eq!(status, 304);
    let (status, _, _) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("if-modified-since", "Mon, 28 Jul 2025 00:00:00 GMT")],
    )
    .await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn gzip_is_chosen_by_accept_encoding() {
    let app = app(state("valid")).await;
    let (_, plain_headers, plain) = get_with(&app, "/articles/cramp-care/patient", &[]).await;
    assert!(plain_headers.get("content-encoding").is_none());
    assert_eq!(plain_headers.get("vary").unwrap(), "Accept-Encoding");

    let (_, headers, gz) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(headers.get("vary").unwrap(), "Accept-Encoding");
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, plain);
    assert!(gz.len() < plain.len() / 2);

    // A browser offers brotli too; pages keep one compressed copy, gzip, and it gets that.
    let (_, headers, browser) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("accept-encoding", "gzip, deflate, br, zstd")],
    )
    .await;
    assert_eq!(headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(browser, gz);
    let gz_tag = header(&headers, "etag").to_string();
    assert_ne!(
        gz_tag,
        header(&plain_headers, "etag"),
        "each encoding has its own tag"
    );
    let (status, _, _) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("accept-encoding", "gzip"), ("if-none-match", &gz_tag)],
    )
    .await;
    assert_eq!(status, 304);
    // A client that takes brotli only gets the page uncompressed, not bytes it cannot read.
    let (_, headers, br_only) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("accept-encoding", "br")],
    )
    .await;
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(br_only, plain);
}

#[actix_web::test]
async fn cache_control_is_public_for_pages_and_private_for_personal_responses() {
    let app = app(state("valid")).await;
    for path in [
        "/",
        "/articles/cramp-care/patient",
        "/pages/editorial-policy",
    ] {
        let (_, headers, _) = get(&app, path).await;
        let cc = header(&headers, "cache-control");
        assert!(
            cc.contains("public")
                && cc.contains("max-age=300")
                && cc.contains("stale-while-revalidate"),
            "{path}: {cc}"
        );
    }
    let (_, headers, _) = get(&app, "/articles/cramp-care").await;
    assert!(header(&headers, "cache-control").contains("private"));
    let req = TestRequest::post()
        .uri("/audience")
        .set_form([("audience", "patient"), ("next", "/")]);
    let (_, headers, _) = send(&app, req).await;
    assert_eq!(headers.get("cache-control").unwrap(), "private, no-store");
}

#[actix_web::test]
async fn fingerprinted_assets_are_immutable_and_linked_from_pages() {
    let app = app(state("valid")).await;
    let (_, _, home) = get(&app, "/").await;
    for (attr, ext) in [
        ("rel=\"stylesheet\" href=\"", ".css"),
        ("rel=\"icon\" href=\"", ".svg"),
    ] {
        let href = home.split(attr).nth(1).unwrap().split('"').next().unwrap();
        let hash = href
            .trim_start_matches("/static/")
            .split('.')
            .nth(1)
            .unwrap();
        assert_eq!(hash.len(), 10, "{href}");
        assert!(href.ends_with(ext));
        let (status, headers, _) = get(&app, href).await;
        assert_eq!(status, 200);
        assert_eq!(
            headers.get("cache-control").unwrap(),
            "public, max-age=31536000, immutable"
        );
    }
    let (_, headers, _) = get(&app, "/static/style.css").await;
    assert!(
        !header(&headers, "cache-control").contains("immutable"),
        "plain name is not immutable"
    );
}

#[actix_web::test]
async fn security_headers_include_hsts_for_https_sites() {
    let app = app(state("valid")).await;
    let (_, headers, _) = get(&app, "/").await;
    assert!(header(&headers, "strict-transport-security").contains("max-age="));
    assert!(headers.get("permissions-policy").is_some());
    let csp = header(&headers, "content-security-policy");
    assert!(!csp.contains("unsafe-inline"));
}

#[actix_web::test]
async fn head_is_answered_without_a_body() {
    let app = app(state("valid")).await;
    let req = TestRequest::default()
        .method(actix_web::http::Method::HEAD)
        .uri("/articles/cramp-care/patient");
    let resp = actix_web::test::call_service(&app, req.to_request()).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("etag").is_some());
}

/// No public response varies by cookie: every public page is identical with any audience cookie and
/// sets none, so a shared cache can never hand one reader's wording to another.
#[actix_web::test]
async fn no_public_response_varies_by_cookie() {
    let state = state("valid");
    let paths: Vec<String> = state
        .snapshot()
        .pages()
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    assert!(paths.len() > 5);
    let app = app(state).await;
    for path in &paths {
        let (_, plain_headers, plain) = get_with(&app, path, &[]).await;
        for audience in ["patient", "professional"] {
            let req = TestRequest::get()
                .uri(path)
                .cookie(Cookie::new("audience", audience));
            let resp = actix_web::test::call_service(&app, req.to_request()).await;
            assert!(resp.headers().get("set-cookie").is_none(), "{path}");
            let vary = resp
                .headers()
                .get("vary")
                .map(|v| v.to_str().unwrap().to_lowercase());
            assert!(!vary.unwrap_or_default().contains("cookie"), "{path}");
            let body = actix_web::test::read_body(resp).await;
            assert_eq!(body.to_vec(), plain, "{path} body varies by cookie");
        }
        let cc = header(&plain_headers, "cache-control");
        assert!(cc.starts_with("public"), "{path}: {cc}");
    }
}

#[actix_web::test]
async fn export_writes_every_public_page_as_the_server_sends_it_and_no_drafts() {
    // The export's pages are rendered for a static host; a server over the same load sends them alike.
    let state = actix_web::web::Data::new(
        healthpress::web::AppState::load_for_export(&common::fixture("valid")).unwrap(),
    );
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("site");
    let snapshot = state.snapshot();
    let mut calls = 0;
    let summary = export_site(&snapshot, &dir, &mut |_, _| calls += 1).unwrap();
    assert!(summary.files > 10);
    assert!(calls > 0, "progress is reported");
    let paths: Vec<String> = snapshot
        .pages()
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    let app = app(state.clone()).await;
    // The home page of one audience's choice (`/?audience=ID`) is the server's alone.
    for path in paths.iter().filter(|p| !p.contains('?')) {
        let file = std::fs::read(file_for(&dir, path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (status, _, body) = get_with(&app, path, &[]).await;
        assert_eq!(status, 200);
        assert_eq!(file, body, "{path}: export differs from the server's body");
    }
    assert!(dir.join("index.html").exists());
    assert!(dir.join("articles/cramp-care/patient/index.html").exists());
    assert!(
        dir.join("articles/cramp-care/patient/index.html.gz")
            .exists()
    );
    assert!(
        dir.join("articles/cramp-care/patient/index.html.br")
            .exists()
    );
    assert!(dir.join("404.html").exists());
    assert!(dir.join("pages/editorial-policy/index.html").exists());
    // Static hosts get the server's security headers, the Content-Security-Policy among them.
    let (_, headers, _) = get_with(&app, "/", &[]).await;
    let headers_file = std::fs::read_to_string(dir.join("_headers")).unwrap();
    assert!(headers_file.starts_with("/*\n"), "{headers_file}");
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
    ] {
        let line = format!("  {name}: {}\n", header(&headers, name));
        assert!(headers_file.contains(&line), "{line} in {headers_file}");
    }
    // No draft anywhere.
    assert!(!dir.join("articles/secret-draft").exists());
    for entry in walk(&dir) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("DRAFT-SECRET"),
            "{}",
            entry.display()
        );
    }
    // Nothing in the export points at a server endpoint: no form, no search box, no feedback or
    // follow-up box; the wording choice is links to the other wordings.
    for entry in walk(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(&entry).unwrap();
        for needle in [
            "<form",
            "action=\"/",
            "href=\"/search",
            "href=\"/ask",
            "/feedback\"",
        ] {
            assert!(!html.contains(needle), "{} holds {needle}", entry.display());
        }
    }
    let article =
        std::fs::read_to_string(dir.join("articles/cramp-care/patient/index.html")).unwrap();
    assert!(
        article
            .contains("<a href=\"/articles/cramp-care/professional\">Healthcare professional</a>"),
        "{article}"
    );
    // A second export replaces the first; an unrelated folder is refused.
    export_site(&snapshot, &dir, &mut |_, _| {}).unwrap();
    let other = out.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "mine").unwrap();
    assert!(export_site(&snapshot, &other, &mut |_, _| {}).is_err());
    assert!(other.join("keep.txt").exists());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[actix_web::test]
async fn every_asset_a_page_links_to_is_served() {
    let app = app(state("valid")).await;
    let (_, _, page) = get(&app, "/articles/cramp-care/patient").await;
    let mut links = Vec::new();
    for attr in ["href=\"/static/", "src=\"/static/"] {
        for part in page.split(attr).skip(1) {
            links.push(format!("/static/{}", part.split('"').next().unwrap()));
        }
    }
    assert!(links.len() >= 3, "{links:?}");
    assert!(links.iter().any(|l| l.ends_with(".js")), "{links:?}");
    for link in links {
        let (status, headers, _) = get(&app, &link).await;
        assert_eq!(status, 200, "{link}");
        assert_eq!(
            headers.get("cache-control").unwrap(),
            "public, max-age=31536000, immutable",
            "{link}"
        );
    }
}

/// After the server compresses every page and drops the uncompressed copies, every encoding still
/// gets the same page with the same validators: a client that accepts no compression (or only one
/// the server does not keep) gets the gzip copy decompressed on demand, byte for byte the page.
#[actix_web::test]
async fn compacted_pages_answer_every_encoding_the_same() {
    let state = state("valid");
    let app = app(state.clone()).await;
    let (_, before_headers, before) = get_with(&app, "/articles/cramp-care/patient", &[]).await;
    state.snapshot().precompress();
    let (status, headers, after) = get_with(&app, "/articles/cramp-care/patient", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(after, before);
    assert_eq!(headers.get("etag"), before_headers.get("etag"));
    let (_, _, gz) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("accept-encoding", "gzip")],
    )
    .await;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, before);
    assert!(
        state
            .snapshot()
            .page("/articles/cramp-care/patient")
            .is_some_and(|p| p.is_compact()),
        "the uncompressed copy is gone, so the answers above were decompressed on demand"
    );
    let (_, headers, br_only) = get_with(
        &app,
        "/articles/cramp-care/patient",
        &[("accept-encoding", "br;q=1, gzip;q=0")],
    )
    .await;
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(br_only, before);
}

/// Prebuilt pages are answered ahead of routing; they and everything the router answers carry the same
/// security headers, and only GET and HEAD take that way.
#[actix_web::test]
async fn pages_answered_ahead_of_routing_match_the_rest() {
    let app = app(state("valid")).await;
    let expected = healthpress::web::security_header_list(true);
    let cases = [
        (TestRequest::get().uri("/articles/cramp-care/patient"), 200),
        (
            TestRequest::get().uri("/articles/cramp-care/patient?utm=x"),
            200,
        ),
        (
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri("/topics"),
            200,
        ),
        (TestRequest::get().uri("/articles/cramp-care"), 302),
        (
            TestRequest::get().uri("/search?q=cramp&audience=patient"),
            200,
        ),
        (TestRequest::get().uri("/no/such/page"), 404),
        (TestRequest::post().uri("/articles/cramp-care/patient"), 404),
        (
            TestRequest::get().uri("/articles/secret-draft/patient"),
            404,
        ),
    ];
    for (req, status) in cases {
        let (got, headers, body) = send(&app, req).await;
        assert_eq!(got, status, "{body}");
        for (name, value) in &expected {
            assert_eq!(headers.get(name), Some(value), "{name} on a {status}");
        }
        if status == 404 {
            assert!(!body.contains("DRAFT-SECRET-TITLE"), "{body}");
        }
    }
}

/// With request logging on, every request gives one line through `tracing` with its method, path,
/// status and duration, whether it was answered ahead of routing or by the router.
#[actix_web::test]
async fn requests_are_logged_with_method_path_status_and_duration() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = actix_web::test::init_service(healthpress::web::app(
        state("valid"),
        actix_web::web::Data::new(healthpress::web::editor::EditorState::off(common::store())),
        common::feedback(common::store()),
        true,
        true,
    ))
    .await;
    get(&app, "/articles/cramp-care/patient").await;
    get(&app, "/no/such/page").await;
    let log = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    let requests: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("healthpress::request"))
        .collect();
    assert_eq!(requests.len(), 2, "{log}");
    for (line, (path, status)) in requests.iter().zip([
        ("/articles/cramp-care/patient", 200),
        ("/no/such/page", 404),
    ]) {
        assert!(line.contains("method=GET"), "{line}");
        assert!(line.contains(&format!("path=\"{path}\"")), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
        assert!(line.contains("micros="), "{line}");
    }
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `serve --metrics-addr` exposes Prometheus metrics on a listener of its own: what was served is
/// counted, the public listener has no `/metrics`, and `promtool check metrics` (Debian's
/// `prometheus` package, which `.ci/run` installs) accepts the output. `--log-format json` writes
/// one JSON object per line.
#[test]
fn metrics_on_their_own_listener_and_json_log_lines() {
    use std::io::{BufRead, BufReader};
    let data = tempfile::tempdir().unwrap();
    let public = format!("127.0.0.1:{}", free_port());
    let private = format!("127.0.0.1:{}", free_port());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args([
            "serve",
            "--content",
            "tests/fixtures/valid",
            "--workers",
            "1",
        ])
        .args([
            "--addr",
            &public,
            "--metrics-addr",
            &private,
            "--log-format",
            "json",
        ])
        .arg("--data")
        .arg(data.path())
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _child = Kill(child);
    let get = |addr: &str, path: &str| {
        common::server::request(addr, &format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while get(&public, "/healthz").is_err() || get(&private, "/metrics").is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    for path in [
        "/",
        "/articles/cramp-care/patient",
        "/articles/cramp-care/patient",
        "/nothing-here",
    ] {
        get(&public, path).unwrap();
    }
    assert_eq!(
        common::server::status_of(&get(&public, "/metrics").unwrap()),
        404,
        "no metrics on the public listener"
    );
    let response = get(&private, "/metrics").unwrap();
    assert_eq!(common::server::status_of(&response), 200);
    let text = &response[response.find("\r\n\r\n").unwrap() + 4..];
    let value = |line_start: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(line_start))
            .unwrap_or_else(|| panic!("no {line_start} in\n{text}"))
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(value("healthpress_http_requests_total{route=\"article\",status=\"200\"}") >= 2.0);
    assert!(value("healthpress_http_requests_total{route=\"other\",status=\"404\"}") >= 1.0);
    assert!(value("healthpress_http_request_duration_seconds_count{route=\"home\"}") >= 1.0);
    assert!(value("healthpress_http_response_bytes_total") > 1000.0);
    assert!(value("healthpress_site_pages") > 5.0);
    assert!(value("healthpress_site_page_bytes") > 10_000.0);
    assert_eq!(value("healthpress_store_up"), 1.0);
    for name in [
        "healthpress_reload_duration_seconds",
        "healthpress_search_wait_seconds",
        "healthpress_signin_failures_total",
        "healthpress_store_errors_total",
    ] {
        assert!(
            text.contains(&format!("# TYPE {name} ")),
            "{name} in\n{text}"
        );
    }

    // promtool, where installed (required by `.ci/run`).
    let promtool = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    match promtool {
        Ok(mut p) => {
            use std::io::Write;
            p.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
            let out = p.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "promtool check metrics: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Err(e) => assert!(
            std::env::var("HEALTHPRESS_PROMTOOL").as_deref() != Ok("required"),
            "promtool is required (HEALTHPRESS_PROMTOOL=required) but cannot run: {e}"
        ),
    }

    // Every log line is one JSON object; the start-up line among them.
    let mut serving = None;
    while let Ok(line) = lines.recv_timeout(std::time::Duration::from_secs(5)) {
        let object: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if object["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("serving on"))
        {
            serving = Some(object);
            break;
        }
    }
    let serving = serving.expect("the start-up line");
    assert_eq!(serving["level"], "INFO", "{serving}");
    assert!(serving["timestamp"].is_string(), "{serving}");
}
