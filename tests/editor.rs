//! The editor area: access control, drafts visible only there, the sandbox, and live reload that keeps
//! the last good version of a broken article.

mod common;

use actix_web::cookie::Cookie;
use actix_web::test::TestRequest;
use actix_web::web;
use base64::Engine;
use common::{copy_dir, csrf_in, fixture, get, header, send};
use healthpress::web::editor::EditorState;
use healthpress::web::editor::auth::{EditorAccess, Editors, hash_password};
use healthpress::web::{AppState, Options};
use std::sync::OnceLock;

const PASSWORD: &str = "correct horse battery";

fn editors() -> Editors {
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH
        .get_or_init(|| hash_password(PASSWORD).unwrap())
        .clone();
    Editors::from_hashes([("alice".to_string(), hash)].into())
}

/// The live site and the editor area, as the server sets them up.
#[derive(Clone)]
struct Setup {
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
}

impl std::ops::Deref for Setup {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.state
    }
}

async fn app(
    setup: Setup,
) -> impl actix_web::dev::Service<
    actix_http::Request,
    Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    Error = actix_web::Error,
> {
    common::app_with(setup.state, setup.editors).await
}

fn state_with(dir: &std::path::Path, editor: EditorAccess) -> Setup {
    let readability = !matches!(editor, EditorAccess::Off);
    let state = AppState::open(
        dir,
        Options {
            keep_bodies: true,
            readability,
        },
    )
    .expect("loads");
    Setup {
        state: web::Data::new(state),
        editors: web::Data::new(EditorState::new(editor, Vec::new(), common::store())),
    }
}

fn accounts() -> Setup {
    state_with(&fixture("valid"), EditorAccess::Accounts(editors()))
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

const EDITOR_PATHS: &[&str] = &[
    "/editor/",
    "/editor/articles/secret-draft",
    "/editor/articles/secret-draft/patient",
    "/editor/articles/cramp-care",
    "/editor/sandbox",
    "/editor/nothing",
];

#[actix_web::test]
async fn editor_area_is_absent_without_an_editors_file() {
    let app = app(state_with(&fixture("valid"), EditorAccess::Off)).await;
    for path in EDITOR_PATHS.iter().chain(&["/editor/login"]) {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("DRAFT-SECRET"), "{path}");
    }
}

#[actix_web::test]
async fn unauthenticated_requests_are_refused_without_content() {
    let app = app(accounts()).await;
    for path in EDITOR_PATHS {
        let (status, headers, body) = get(&app, path).await;
        assert_eq!(status, 303, "{path}");
        assert!(
            header(&headers, "location").starts_with("/editor/login?next="),
            "{path}"
        );
        assert!(!body.contains("DRAFT-SECRET"), "{path}");
        assert_eq!(headers.get("cache-control").unwrap(), "no-store", "{path}");
    }
    let (status, headers, _) = get(&app, "/editor/events").await;
    assert_eq!(status, 401);
    assert!(headers.get("www-authenticate").is_some());
    for path in ["/editor/sandbox", "/editor/logout"] {
        let req = TestRequest::post()
            .uri(path)
            .set_form([("csrf", "x"), ("markdown", "hi")]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 401, "{path}");
        assert!(!body.contains("DRAFT-SECRET"));
    }
}

#[actix_web::test]
async fn wrong_passwords_and_bad_headers_are_refused() {
    let app = app(accounts()).await;
    for auth in [
        basic("alice", "wrong"),
        basic("mallory", PASSWORD),
        "Basic !!!".into(),
        "Bearer x".into(),
        basic("alice", ""),
    ] {
        let req = TestRequest::get()
            .uri("/editor/articles/secret-draft/patient")
            .insert_header(("authorization", auth.clone()));
        let (status, headers, body) = send(&app, req).await;
        assert_eq!(status, 401, "{auth}");
        assert!(!body.contains("DRAFT-SECRET"), "{auth}");
        assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    }
    let req = TestRequest::get()
        .uri("/editor/")
        .cookie(Cookie::new("hp_session", "forged"));
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, 303, "an unknown session is no session");
}

#[actix_web::test]
async fn basic_auth_reads_drafts_but_cannot_post() {
    let app = app(accounts()).await;
    let auth = basic("alice", PASSWORD);
    let req = TestRequest::get()
        .uri("/editor/articles/secret-draft/patient")
        .insert_header(("authorization", auth.clone()));
    let (status, headers, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(body.contains("DRAFT-SECRET-BODY"));
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    let req = TestRequest::get()
        .uri("/editor/")
        .insert_header(("authorization", auth.clone()));
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("DRAFT-SECRET-TITLE"),
        "drafts are on the dashboard"
    );
    assert!(body.contains("Draft"));
    let req = TestRequest::post()
        .uri("/editor/sandbox")
        .insert_header(("authorization", auth))
        .set_form([("csrf", ""), ("markdown", "hi")]);
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, 401, "Basic is for reading only");
}

/// The CSRF token of the first form on `page`.
/// Signs in through the form; returns the session cookie's value.
async fn sign_in<S, B>(app: &S) -> String
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let (status, headers, body) = get(app, "/editor/login?next=/editor/sandbox").await;
    assert_eq!(status, 200);
    let csrf_cookie = header(&headers, "set-cookie").to_string();
    let csrf = csrf_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string();
    assert!(body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")));
    let req = TestRequest::post()
        .uri("/editor/login")
        .cookie(Cookie::new("hp_login_csrf", csrf.clone()))
        .set_form([
            ("username", "alice"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "/editor/sandbox"),
        ]);
    let (status, headers, _) = send(app, req).await;
    assert_eq!(status, 303);
    assert_eq!(headers.get("location").unwrap(), "/editor/sandbox");
    let cookie = header(&headers, "set-cookie").to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Secure"),
        "{cookie}"
    );
    cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

#[actix_web::test]
async fn login_form_starts_a_session_that_sees_drafts() {
    let app = app(accounts()).await;
    let session = sign_in(&app).await;
    let req = TestRequest::get()
        .uri("/editor/articles/secret-draft")
        .cookie(Cookie::new("hp_session", session.clone()));
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(body.contains("DRAFT-SECRET-TITLE"));
    assert!(
        body.contains("Status: <strong>Draft</strong> (not public)"),
        "{body}"
    );
    // Logging out ends the session.
    let req = TestRequest::get()
        .uri("/editor/")
        .cookie(Cookie::new("hp_session", session.clone()));
    let (_, _, dashboard) = send(&app, req).await;
    let csrf = csrf_in(&dashboard);
    let req = TestRequest::post()
        .uri("/editor/logout")
        .cookie(Cookie::new("hp_session", session.clone()))
        .set_form([("csrf", csrf)]);
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, 303);
    let req = TestRequest::get()
        .uri("/editor/")
        .cookie(Cookie::new("hp_session", session));
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, 303, "signed out");
}

#[actix_web::test]
async fn login_without_its_csrf_token_or_with_a_wrong_password_fails() {
    let app = app(accounts()).await;
    let req = TestRequest::post().uri("/editor/login").set_form([
        ("username", "alice"),
        ("password", PASSWORD),
        ("csrf", ""),
    ]);
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, 403);
    assert!(
        headers
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().starts_with("hp_session"))
    );
    let req = TestRequest::post()
        .uri("/editor/login")
        .cookie(Cookie::new("hp_login_csrf", "t0ken"))
        .set_form([
            ("username", "alice"),
            ("password", "nope"),
            ("csrf", "t0ken"),
        ]);
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 401);
    assert!(body.contains("That name and password do not match."));
}

#[actix_web::test]
async fn failed_logins_are_rate_limited() {
    let app = app(accounts()).await;
    for _ in 0..5 {
        let req = TestRequest::get()
            .uri("/editor/")
            .insert_header(("authorization", basic("alice", "guess")));
        let (status, _, _) = send(&app, req).await;
        assert_eq!(status, 401);
    }
    let req = TestRequest::get()
        .uri("/editor/")
        .insert_header(("authorization", basic("alice", PASSWORD)));
    let (status, headers, body) = send(&app, req).await;
    assert_eq!(status, 429, "even the right password waits: {body}");
    assert!(headers.get("retry-after").is_some());
    let req = TestRequest::post()
        .uri("/editor/login")
        .cookie(Cookie::new("hp_login_csrf", "t"))
        .set_form([("username", "alice"), ("password", PASSWORD), ("csrf", "t")]);
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, 429);
}

#[actix_web::test]
async fn sandbox_renders_through_the_same_pipeline_and_checks_csrf() {
    let app = app(accounts()).await;
    let session = sign_in(&app).await;
    let req = TestRequest::get()
        .uri("/editor/sandbox")
        .cookie(Cookie::new("hp_session", session.clone()));
    let (_, _, page) = send(&app, req).await;
    let csrf = csrf_in(&page);
    let markdown = "Stretch your calf. [@beta]\n\nBad [@nope]\n\n<script>alert(1)</script>";
    let req = TestRequest::post()
        .uri("/editor/sandbox")
        .cookie(Cookie::new("hp_session", session.clone()))
        .set_form([
            ("csrf", csrf.as_str()),
            ("article", "cramp-care"),
            ("audience", "patient"),
            ("markdown", markdown),
        ]);
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(
            "<a href=\"#ref-beta\"><span class=\"visually-hidden\">Reference </span>1</a>"
        ),
        "{body}"
    );
    assert!(body.contains("citation `@nope` has no reference"));
    assert!(body.contains("Beta trial (Beta Medicine, 2019)"));
    assert!(body.contains("Flesch-Kincaid grade"));
    assert!(!body.contains("<script>alert(1)"), "sanitised");
    let req = TestRequest::post()
        .uri("/editor/sandbox")
        .cookie(Cookie::new("hp_session", session))
        .set_form([
            ("csrf", "wrong"),
            ("article", "cramp-care"),
            ("audience", "patient"),
            ("markdown", "x"),
        ]);
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, 403);
}

#[actix_web::test]
async fn dashboard_shows_reading_levels_and_problems() {
    let state = state_with(&fixture("warnings"), EditorAccess::Open);
    let app = app(state).await;
    let (status, _, body) = get(&app, "/editor/").await;
    assert_eq!(status, 200);
    assert!(body.contains("Overdue: 1 January 2021"), "{body}");
    assert!(body.contains("0 error(s), 4 warning(s)"), "{body}");
    assert!(body.contains("above target 8"));
    assert!(body.contains("FK "));
    assert!(body.contains("SMOG "));
    assert!(body.contains("min;"));
    let (_, _, article) = get(&app, "/editor/articles/overdue").await;
    assert!(article.contains("reference `uncited` is never cited"));
    assert!(article.contains("Wordings side by side"));
}

#[actix_web::test]
async fn reload_keeps_the_last_good_version_of_a_broken_article() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let toml = dir.path().join("articles/cramp-care/article.toml");
    let original = std::fs::read_to_string(&toml).unwrap();
    let state = state_with(dir.path(), EditorAccess::Open);
    let app = app(state.clone()).await;

    // Edit: the change is served.
    std::fs::write(
        &toml,
        original.replace("title = \"Cramp care\"", "title = \"Cramp care, edited\""),
    )
    .unwrap();
    state.reload().unwrap();
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert!(body.contains("<h1>Cramp care, edited</h1>"));

    // Break: readers keep the last good version; the editor sees the error.
    std::fs::write(
        &toml,
        original.replace("title = \"Cramp care\"", "titel = \"Broken\""),
    )
    .unwrap();
    state.reload().unwrap();
    let (status, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1>Cramp care, edited</h1>"),
        "last good version stays"
    );
    let (_, _, dashboard) = get(&app, "/editor/").await;
    assert!(
        dashboard.contains("<tr class=\"row-error\">"),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("2 error(s)"),
        "the error and the article left out: {dashboard}"
    );
    let (_, _, page) = get(&app, "/editor/articles/cramp-care").await;
    assert!(page.contains("unknown field `titel`"));
    assert!(page.contains("readers still see the last good version"));

    // Fix: the new version is served.
    std::fs::write(
        &toml,
        original.replace("title = \"Cramp care\"", "title = \"Cramp care, fixed\""),
    )
    .unwrap();
    state.reload().unwrap();
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert!(body.contains("<h1>Cramp care, fixed</h1>"));

    // A broken site.toml keeps the whole site as it was.
    std::fs::write(dir.path().join("site.toml"), "title = ").unwrap();
    assert!(state.reload().is_err());
    let (status, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
    assert!(body.contains("Cramp care, fixed"));
    let (_, _, dashboard) = get(&app, "/editor/").await;
    assert!(dashboard.contains("The content folder does not load"));
    assert!(dashboard.contains("site.toml"));
}

#[actix_web::test]
async fn the_watcher_reloads_on_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let state = state_with(dir.path(), EditorAccess::Open);
    let reloading = state.clone();
    let _watcher = healthpress::watch::watch(dir.path(), move |paths| {
        reloading.reload_changed(paths).unwrap();
    })
    .unwrap();
    let mut events = state.subscribe();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(events.try_recv().is_err(), "no reload without a change");
    let toml = dir.path().join("articles/cramp-care/article.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("title = \"Cramp care\"", "title = \"Watched\""),
    )
    .unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), events.recv())
        .await
        .expect("a reload within 10 s")
        .unwrap();
    let snapshot = state.snapshot();
    let page = snapshot.page("/articles/cramp-care/patient").unwrap();
    assert!(String::from_utf8_lossy(&page.body()).contains("<h1>Watched</h1>"));
    // Reading the files to reload must not set off another reload.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let mut more = 0;
    while events.try_recv().is_ok() {
        more += 1;
    }
    assert!(more <= 1, "reloads keep firing without changes: {more}");
}

#[test]
fn hash_password_prints_a_verifiable_argon2id_hash() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .arg("hash-password")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"s3cret pass\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let editors = Editors::from_hashes([("bob".to_string(), hash)].into());
    assert!(editors.verify("bob", "s3cret pass"));
    assert!(!editors.verify("bob", "s3cret pass\n"));
}

#[test]
fn editors_file_must_hold_argon2id_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("editors.toml");
    std::fs::write(&path, "[editors]\nalice = \"plaintext\"\n").unwrap();
    let err = Editors::load(&path).unwrap_err();
    assert!(err.contains("not an argon2id PHC string"), "{err}");
    std::fs::write(
        &path,
        format!("[editors]\nalice = \"{}\"\n", hash_password("pw").unwrap()),
    )
    .unwrap();
    assert!(Editors::load(&path).is_ok());
}

#[test]
fn preview_refuses_a_public_address() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["preview", "--content"])
        .arg(fixture("valid"))
        .args(["--addr", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only listens on loopback"));
}

/// The live-reload stream: a `reload` event reaches editor pages after each content reload.
#[actix_web::test]
async fn editor_pages_hear_about_reloads() {
    use actix_web::body::MessageBody;
    let state = state_with(&fixture("valid"), EditorAccess::Open);
    let app = app(state.clone()).await;
    let (_, _, dashboard) = get(&app, "/editor/").await;
    assert!(
        dashboard.contains("/static/editor."),
        "editor pages load the live-reload script"
    );
    let resp =
        actix_web::test::call_service(&app, TestRequest::get().uri("/editor/events").to_request())
            .await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
    let mut body = Box::pin(resp.into_body());
    state.reload().unwrap();
    let chunk = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        std::future::poll_fn(|cx| body.as_mut().poll_next(cx)),
    )
    .await
    .expect("an event within 5 s")
    .expect("the stream is open");
    let Ok(chunk) = chunk else {
        panic!("the stream failed")
    };
    assert_eq!(&chunk[..], b"event: reload\ndata: changed\n\n");
}

/// Reading levels are measured when the editor area is on (its dashboard shows them) and skipped when
/// only readers are served, which saves start-up time on large sites.
#[test]
fn reading_levels_are_measured_for_the_editor_area_only() {
    let dir = fixture("valid");
    let measured = |editor| {
        let state = state_with(&dir, editor);
        let snapshot = state.snapshot();
        let wordings: Vec<_> = snapshot
            .site
            .articles
            .values()
            .flat_map(|a| a.wordings.iter())
            .map(|w| w.readability.is_some())
            .collect();
        assert!(!wordings.is_empty());
        wordings
    };
    assert!(measured(EditorAccess::Open).iter().all(|&m| m));
    assert!(measured(EditorAccess::Off).iter().all(|&m| !m));
}

/// A live-reload stream belongs to its session: signing out ends it.
#[actix_web::test]
async fn signing_out_ends_the_live_reload_stream() {
    use actix_web::body::MessageBody;
    let state = accounts();
    let app = app(state.clone()).await;
    let session = sign_in(&app).await;
    let resp = actix_web::test::call_service(
        &app,
        TestRequest::get()
            .uri("/editor/events")
            .cookie(Cookie::new("hp_session", session.clone()))
            .to_request(),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(state.editors.event_streams.count(), 1);
    let mut body = Box::pin(resp.into_body());
    let (_, _, dashboard) = send(
        &app,
        TestRequest::get()
            .uri("/editor/")
            .cookie(Cookie::new("hp_session", session.clone())),
    )
    .await;
    let req = TestRequest::post()
        .uri("/editor/logout")
        .cookie(Cookie::new("hp_session", session.clone()))
        .set_form([("csrf", csrf_in(&dashboard))]);
    assert_eq!(send(&app, req).await.0, 303);
    let end = tokio::time::timeout(std::time::Duration::from_secs(15), async {
        while let Some(chunk) = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
            assert!(chunk.is_ok());
        }
    })
    .await;
    assert!(end.is_ok(), "the stream ends with its session");
    drop(body);
    assert_eq!(state.editors.event_streams.count(), 0);
}

/// The authentication scheme's name is case-insensitive.
#[actix_web::test]
async fn basic_auth_scheme_name_is_case_insensitive() {
    let app = app(accounts()).await;
    for scheme in ["basic", "BASIC", "bAsIc"] {
        let credentials = basic("alice", PASSWORD).replacen("Basic", scheme, 1);
        let req = TestRequest::get()
            .uri("/editor/")
            .insert_header(("authorization", credentials));
        let (status, _, _) = send(&app, req).await;
        assert_eq!(status, 200, "{scheme}");
    }
    let req = TestRequest::get().uri("/editor/").insert_header((
        "authorization",
        basic("alice", PASSWORD).replacen("Basic", "Bearer", 1),
    ));
    assert_eq!(send(&app, req).await.0, 401);
}

/// Writes an article folder `slug` into the content folder `dir`: its `[review]` table and its
/// wordings (audience id, Markdown).
fn write_article(
    dir: &std::path::Path,
    slug: &str,
    title: &str,
    review: &str,
    wordings: &[(&str, &str)],
) {
    let folder = dir.join("articles").join(slug);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("article.toml"),
        format!(
            "title = {title:?}\nsummary = \"A summary.\"\nupdated = 2025-07-29\n\n[review]\n{review}\n"
        ),
    )
    .unwrap();
    for (audience, text) in wordings {
        std::fs::write(folder.join(format!("{audience}.md")), text).unwrap();
    }
}

/// Where each of `needles` first appears in `body`, failing if one does not.
fn positions(body: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            body.find(n)
                .unwrap_or_else(|| panic!("{n} is not on the page:\n{body}"))
        })
        .collect()
}

/// The content of the element that starts with `start` (up to `end`).
fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("{start} is not on the page:\n{body}"));
    let rest = &body[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The fixture content with articles in every review state: pending ones overdue, due later and
/// without a date, one approved but past its review date, a draft, and approved ones not yet due.
fn review_queue_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let text = [("patient", "Stretch your calf.")];
    write_article(
        dir.path(),
        "late-one",
        "Late <script>alert(1)</script>",
        "status = \"submitted\"\nassigned_to = [\"rev-one\"]\ndue = 2020-01-01",
        &text,
    );
    write_article(
        dir.path(),
        "later-one",
        "Later one",
        "status = \"under_review\"\nassigned_to = [\"rev-two\", \"rev-one\"]\ndue = 2099-01-01",
        &text,
    );
    write_article(
        dir.path(),
        "no-date",
        "No date",
        "status = \"submitted\"",
        &text,
    );
    write_article(
        dir.path(),
        "approved-due",
        "Approved, review due",
        "status = \"approved\"\nreviewed_by = [\"rev-one\"]\nreviewed_on = 2020-06-01\nnext_review = 2021-01-01\nassigned_to = [\"rev-two\"]",
        &text,
    );
    write_article(
        dir.path(),
        "another-draft",
        "Another draft",
        "status = \"draft\"\nassigned_to = [\"rev-one\"]\ndue = 2019-01-01",
        &text,
    );
    dir
}

#[actix_web::test]
async fn review_queue_lists_pending_articles_with_assignee_and_due_date_overdue_first() {
    let dir = review_queue_site();
    let app = app(state_with(dir.path(), EditorAccess::Open)).await;
    let (status, headers, body) = get(&app, "/editor/reviews").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&headers, "cache-control"), "no-store");
    // Overdue first, longest overdue first; then by due date; then those without a date.
    let order = positions(
        &body,
        &[
            "/editor/articles/late-one\"",
            "/editor/articles/approved-due\"",
            "/editor/articles/pending-topic\"",
            "/editor/articles/later-one\"",
            "/editor/articles/no-date\"",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{body}");
    // Drafts and approved articles not yet due are left out.
    for slug in ["secret-draft", "another-draft", "cramp-care", "hostile"] {
        assert!(
            !body.contains(&format!("/editor/articles/{slug}\"")),
            "{slug} is not waiting for review:\n{body}"
        );
    }
    assert!(body.contains("5 articles waiting"), "{body}");
    let late = between(&body, "/editor/articles/late-one\"", "</tr>");
    assert!(late.contains("Late &#60;script&#62;"), "{late}");
    assert!(late.contains("Dr Ada Reviewer"), "{late}");
    assert!(late.contains("Overdue: 1 January 2020"), "{late}");
    assert!(late.contains("Submitted"), "{late}");
    let later = between(&body, "/editor/articles/later-one\"", "</tr>");
    assert!(later.contains("Sam Checker, Dr Ada Reviewer"), "{later}");
    assert!(
        later.contains("1 January 2099") && !later.contains("Overdue"),
        "{later}"
    );
    let due = between(&body, "/editor/articles/approved-due\"", "</tr>");
    assert!(due.contains("Review due since 1 January 2021"), "{due}");
    assert!(due.contains("Overdue: 1 January 2021"), "{due}");
    assert!(due.contains("Sam Checker"), "{due}");
    let none = between(&body, "/editor/articles/no-date\"", "</tr>");
    assert!(
        none.contains("Not assigned") && none.contains("No date"),
        "{none}"
    );
    // The article page says who is asked and by when.
    let (_, _, article) = get(&app, "/editor/articles/late-one").await;
    assert!(
        article.contains("Assigned to Dr Ada Reviewer; due 1 January 2020 (overdue)"),
        "{article}"
    );
    // The queue is linked from every editor page, and summed up on the dashboard.
    let (_, _, dashboard) = get(&app, "/editor/").await;
    assert!(
        dashboard.contains("<a href=\"/editor/reviews\">5 articles waiting for review</a>, <strong class=\"overdue\">3 overdue</strong>."),
        "{dashboard}"
    );
    assert!(dashboard.contains("<a href=\"/editor/reviews\">Review queue</a>"));
    assert!(body.contains("<a href=\"/editor/reviews\" aria-current=\"page\">Review queue</a>"));

    // One reviewer's: those assigned to them, in the same order.
    let (status, _, mine) = get(&app, "/editor/reviews?reviewer=rev-two").await;
    assert_eq!(status, 200);
    let order = positions(
        &mine,
        &[
            "/editor/articles/approved-due\"",
            "/editor/articles/pending-topic\"",
            "/editor/articles/later-one\"",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{mine}");
    assert!(
        !mine.contains("/editor/articles/late-one\"")
            && !mine.contains("/editor/articles/no-date\"")
    );
    assert!(
        mine.contains("<option value=\"rev-two\" selected>"),
        "{mine}"
    );
    assert!(
        mine.contains("3 articles waiting for Sam Checker (rev-two)"),
        "{mine}"
    );
    // An id that is not a reviewer's is refused, clearly, and escaped.
    let (status, _, unknown) = get(&app, "/editor/reviews?reviewer=%3Cb%3Enobody").await;
    assert_eq!(status, 400);
    assert!(
        unknown.contains("There is no reviewer with the id “&#60;b&#62;nobody”"),
        "{unknown}"
    );
}

#[actix_web::test]
async fn review_queue_shows_the_signed_in_reviewers_own_by_default() {
    let dir = review_queue_site();
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH
        .get_or_init(|| hash_password(PASSWORD).unwrap())
        .clone();
    let accounts = Editors::from_hashes([("rev-one".to_string(), hash)].into());
    let app = app(state_with(dir.path(), EditorAccess::Accounts(accounts))).await;
    let auth = basic("rev-one", PASSWORD);
    let req = TestRequest::get()
        .uri("/editor/reviews")
        .insert_header(("authorization", auth.clone()));
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<option value=\"rev-one\" selected>"),
        "{body}"
    );
    assert!(
        body.contains("/editor/articles/late-one\"")
            && body.contains("/editor/articles/later-one\"")
    );
    assert!(
        !body.contains("/editor/articles/no-date\"")
            && !body.contains("/editor/articles/pending-topic\"")
    );
    // Everyone's, when asked.
    let req = TestRequest::get()
        .uri("/editor/reviews?reviewer=")
        .insert_header(("authorization", auth));
    let (_, _, all) = send(&app, req).await;
    assert!(
        all.contains("<option value=\"\" selected>Everyone</option>"),
        "{all}"
    );
    assert!(
        all.contains("/editor/articles/no-date\"")
            && all.contains("/editor/articles/pending-topic\"")
    );
}

/// An article whose patient and professional wordings both hold a long sentence and a listed hard
/// word, and a kept term.
fn coaching_site(plain_words: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let text = "## What to do {#what-to-do}\n\n\
        Ask your physician about it. \
        You can stretch your leg and then walk around the room for a short time and then sit down and rest until the pain goes away. \
        Quinine helps a little. Type `<script>alert(1)</script>` to test.\n\n\
        ## When to get help {#help}\n\nCall 999.\n";
    if let Some(words) = plain_words {
        std::fs::write(dir.path().join("plain-words.toml"), words).unwrap();
    }
    write_article(
        dir.path(),
        "coached",
        "Coached",
        "status = \"draft\"",
        &[
            ("patient", text),
            ("professional", &text.replace("{#help}", "{#referral}")),
        ],
    );
    dir
}

#[actix_web::test]
async fn coaching_marks_long_sentences_and_hard_words_in_patient_wordings_only() {
    let dir = coaching_site(None);
    let app = app(state_with(dir.path(), EditorAccess::Open)).await;
    let (status, _, body) = get(&app, "/editor/articles/coached").await;
    assert_eq!(status, 200);
    let patient = between(
        &body,
        "<section class=\"coach\" id=\"coach-patient\"",
        "</section>",
    );
    // The long sentence, marked, with its reason.
    assert!(
        patient.contains("<mark>You can stretch your leg and then walk around the room for a short time and then sit down and rest until the pain goes away.</mark> <span class=\"coach-reason\">(26 words: split it, aim for 20 or fewer)</span>"),
        "{patient}"
    );
    // The listed hard word, marked in the text and with its plainer word beside it.
    assert!(
        patient.contains("Ask your <span class=\"coach-word\">physician</span> about it."),
        "{patient}"
    );
    assert!(
        patient.contains("<span class=\"coach-term\">physician</span>: try “doctor”"),
        "{patient}"
    );
    // Text is escaped, never inserted as HTML.
    assert!(
        patient.contains("Type &#60;script&#62;alert(1)&#60;/script&#62; to test."),
        "{patient}"
    );
    assert!(!patient.contains("<script>"));
    // Grades per section as well as per wording.
    assert!(patient.contains("Grade "), "{patient}");
    assert_eq!(
        patient.matches("class=\"coach-grade\"").count(),
        2,
        "{patient}"
    );
    // None in the professional wording: it is measured, not coached.
    assert!(!body.contains("id=\"coach-professional\""), "{body}");
    assert_eq!(
        body.matches("<mark>").count(),
        patient.matches("<mark>").count()
    );
    assert_eq!(body.matches("class=\"coach-word\"").count(), 1);
    assert!(body.contains("not coached toward plain words (professional wording)"));
    assert!(
        body.contains("1 sentence to shorten, 1 hard word"),
        "{body}"
    );
}

#[actix_web::test]
async fn a_sites_kept_terms_and_words_are_used_for_coaching() {
    let dir = coaching_site(Some(
        "kept_terms = [\"physician\"]\n[words]\n\"quinine\" = \"a malaria medicine\"\n",
    ));
    let app = app(state_with(dir.path(), EditorAccess::Open)).await;
    let (_, _, body) = get(&app, "/editor/articles/coached").await;
    let patient = between(
        &body,
        "<section class=\"coach\" id=\"coach-patient\"",
        "</section>",
    );
    assert!(
        !patient.contains("<span class=\"coach-word\">physician</span>"),
        "{patient}"
    );
    assert!(
        patient.contains("<span class=\"coach-word\">Quinine</span>"),
        "{patient}"
    );
    assert!(
        patient.contains("<span class=\"coach-term\">quinine</span>: try “a malaria medicine”"),
        "{patient}"
    );
}

/// A patient wording's PEMAT pre-checks: listed on its editor page beside the coaching, each item
/// with its result in words and its reason, and summed up on the dashboard with a link to them;
/// none for a professional wording.
#[actix_web::test]
async fn the_article_page_lists_pemat_pre_checks_and_the_dashboard_links_to_them() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let patient = "## Introduction {#intro}\n\n\
        Cramps were studied for years. About 30% of people get them.\n\n\
        ## What to do {#what-to-do}\n\n\
        1. Stretch your calf.\n2. Rub the muscle.\n3. Walk about.\n\n\
        ## When to get help {#help}\n\nCall your doctor if the cramp lasts longer than 10 minutes.\n";
    write_article(
        dir.path(),
        "pemat-checked",
        "PEMAT checked",
        "status = \"draft\"",
        &[
            ("patient", patient),
            (
                "professional",
                "## Dosing {#dosing}\n\nIt is given at night.\n",
            ),
        ],
    );
    let app = app(state_with(dir.path(), EditorAccess::Accounts(editors()))).await;
    let session = sign_in(&app).await;
    let page = |uri: &str| {
        TestRequest::get()
            .uri(uri)
            .cookie(Cookie::new("hp_session", session.clone()))
    };
    let (status, _, body) = send(&app, page("/editor/articles/pemat-checked")).await;
    assert_eq!(status, 200);
    let pemat = between(
        &body,
        "<section class=\"pemat\" id=\"pemat-patient\" aria-labelledby=\"pemat-patient-heading\">",
        "</section>",
    );
    assert!(
        pemat.contains(
            "<h2 id=\"pemat-patient-heading\">PEMAT pre-checks: Patient or caregiver</h2>"
        ),
        "{pemat}"
    );
    // Each item: its result in words (not only a colour), its number and name, and the reason.
    assert!(
        pemat.contains("<li class=\"pemat-not_met\"><strong class=\"pemat-result\">Not met</strong> · Item 9: The material&#39;s sections have informative headers.<br><span class=\"pemat-reason\">1 heading does not say what the section holds: “Introduction”.</span></li>"),
        "{pemat}"
    );
    assert!(pemat.contains("“Introduction”"), "{pemat}");
    assert!(
        pemat.contains("<strong class=\"pemat-result\">Not met</strong> · Item 6: Numbers appearing in the material are clear and easy to understand."),
        "{pemat}"
    );
    assert!(pemat.contains("“30%”"), "{pemat}");
    assert!(
        pemat.contains("<strong class=\"pemat-result\">Met</strong> · Item 22: The material breaks down any action into manageable, explicit steps."),
        "{pemat}"
    );
    assert!(
        pemat.contains("<strong class=\"pemat-result\">Not met</strong> · Item 11: The material provides a summary."),
        "{pemat}"
    );
    assert_eq!(pemat.matches("<li class=\"pemat-").count(), 10, "{pemat}");
    // Before the coaching it sits beside, and none for the professional wording.
    let at = positions(&body, &["id=\"pemat-patient\"", "id=\"coach-patient\""]);
    assert!(at[0] < at[1]);
    assert!(!body.contains("id=\"pemat-professional\""));
    assert!(
        body.contains("<a href=\"#pemat-patient\">PEMAT pre-checks: "),
        "{body}"
    );
    // The dashboard sums it up and links to it.
    let (status, _, dashboard) = send(&app, page("/editor/")).await;
    assert_eq!(status, 200);
    assert!(
        dashboard.contains("<th scope=\"col\">PEMAT pre-checks</th>"),
        "{dashboard}"
    );
    let summary = between(
        &dashboard,
        "<a href=\"/editor/articles/pemat-checked#pemat-patient\">",
        "</a>",
    );
    assert!(
        summary.contains("Patient or caregiver: ") && summary.contains(" met"),
        "{summary}"
    );
}

#[actix_web::test]
async fn side_by_side_aligns_sections_on_their_ids_and_links_to_the_readers_page() {
    let dir = coaching_site(None);
    let app = app(state_with(dir.path(), EditorAccess::Open)).await;
    let (_, _, body) = get(&app, "/editor/articles/coached").await;
    let side = between(&body, "<section class=\"sbs\"", "</section>");
    // `what-to-do` in both wordings: one row; `help` and `referral` each have their own.
    assert_eq!(side.matches("<div class=\"sbs-row").count(), 3, "{side}");
    assert_eq!(side.matches("sbs-unshared").count(), 2, "{side}");
    assert!(
        side.contains("No section <code>#referral</code> in this wording."),
        "{side}"
    );
    for link in [
        "/editor/articles/coached/patient#what-to-do",
        "/editor/articles/coached/professional#what-to-do",
        "/editor/articles/coached/patient#help",
        "/editor/articles/coached/professional#referral",
    ] {
        assert!(
            side.contains(&format!("<a href=\"{link}\">As readers see it")),
            "{link}: {side}"
        );
    }
    // Section grades, and the wording's own heading anchors left out (they would repeat ids).
    assert!(side.contains("SMOG "), "{side}");
    assert!(!side.contains("<h2 id=\"what-to-do\""), "{side}");
    // Editor pages use the full width; readers' pages keep their column.
    assert!(body.contains("<body class=\"wide\">"));
    let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
    assert!(public.contains("<body>"));
}

#[actix_web::test]
async fn sandbox_coaches_patient_text_and_not_professional_text() {
    let state = state_with(&fixture("valid"), EditorAccess::Open);
    let app = app(state).await;
    let (_, _, page) = get(&app, "/editor/sandbox").await;
    let csrf = csrf_in(&page);
    let markdown = "Your physician will administer it. <b>bold</b>";
    for (audience, coached) in [("patient", true), ("professional", false)] {
        let req = TestRequest::post().uri("/editor/sandbox").set_form([
            ("csrf", csrf.as_str()),
            ("article", "cramp-care"),
            ("audience", audience),
            ("markdown", markdown),
        ]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 200);
        let coaching = between(&body, "<section id=\"sandbox-coaching\"", "</section>");
        assert_eq!(
            coaching.contains("<span class=\"coach-word\">physician</span>"),
            coached,
            "{audience}: {coaching}"
        );
        assert_eq!(
            coaching.contains("<span class=\"coach-term\">administer</span>: try “give”"),
            coached,
            "{audience}: {coaching}"
        );
        assert_eq!(
            coaching.contains("measured, not coached"),
            !coached,
            "{audience}: {coaching}"
        );
        // The page as readers will see it, beside the Markdown.
        let preview = between(&body, "<section id=\"sandbox-preview\"", "</section>");
        assert!(preview.contains("<b>bold</b>"), "{preview}");
        assert!(!body.contains("there is no audience"), "{body}");
        let source = between(&body, "<textarea id=\"sandbox-markdown\"", "</textarea>");
        assert!(
            source.ends_with(">Your physician will administer it. &#60;b&#62;bold&#60;/b&#62;"),
            "{source}"
        );
    }
}

/// Editor pages hold no markup from content beyond what the sanitiser lets through: the hostile
/// fixture article side by side and coached, the queue with a hostile title, and the sandbox fed
/// hostile Markdown, all pass the same HTML safety check as public pages.
#[actix_web::test]
async fn editor_pages_pass_the_html_safety_check_with_hostile_content() {
    let dir = review_queue_site();
    let app = app(state_with(dir.path(), EditorAccess::Open)).await;
    let mut pages = Vec::new();
    for path in [
        "/editor/",
        "/editor/reviews",
        "/editor/articles/hostile",
        "/editor/articles/late-one",
        "/editor/articles/cramp-care",
        "/editor/sandbox",
    ] {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, 200, "{path}");
        pages.push((path.to_string(), body));
    }
    let hostile = std::fs::read_to_string(fixture("valid/articles/hostile/patient.md")).unwrap();
    let csrf = csrf_in(&pages.last().unwrap().1);
    for audience in ["patient", "professional"] {
        let req = TestRequest::post().uri("/editor/sandbox").set_form([
            ("csrf", csrf.as_str()),
            ("article", "hostile"),
            ("audience", audience),
            ("markdown", hostile.as_str()),
        ]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 200);
        pages.push((format!("sandbox ({audience})"), body));
    }
    for (path, body) in &pages {
        healthpress_testkit::check_page(body, "/static/")
            .unwrap_or_else(|e| panic!("{path}: {e}\n{body}"));
        assert!(!body.contains("<script>alert"), "{path}");
    }
}

#[actix_web::test]
async fn sandbox_says_when_the_article_or_audience_is_unknown() {
    let app = app(state_with(&fixture("valid"), EditorAccess::Open)).await;
    let (_, _, page) = get(&app, "/editor/sandbox").await;
    let req = TestRequest::post().uri("/editor/sandbox").set_form([
        ("csrf", csrf_in(&page).as_str()),
        ("article", "<nope>"),
        ("audience", "kids"),
        ("markdown", "Hello [@alpha]."),
    ]);
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("there is no article &#34;&#60;nope&#62;&#34;"),
        "{body}"
    );
    assert!(
        body.contains("there is no audience &#34;kids&#34;"),
        "{body}"
    );
    assert!(
        body.contains("citation `@alpha` has no reference"),
        "{body}"
    );
}

/// Approved articles with an approval record wait for review once their working files change; an
/// article whose working files are the text approved does not, whatever its `status` says.
#[actix_web::test]
async fn review_queue_lists_articles_changed_since_their_approval() {
    use healthpress::content::{Date, approve_article};
    let dir = review_queue_site();
    for slug in ["cramp-care", "pending-topic"] {
        approve_article(
            dir.path(),
            slug,
            &["rev-one".to_string()],
            "Checked.",
            Date::today(),
            None,
        )
        .expect("approves");
    }
    let before = app(state_with(dir.path(), EditorAccess::Open)).await;
    let (_, _, body) = get(&before, "/editor/reviews").await;
    for slug in ["cramp-care", "pending-topic"] {
        assert!(
            !body.contains(&format!("/editor/articles/{slug}\"")),
            "{slug}'s working files are the text approved:\n{body}"
        );
    }
    let patient = dir.path().join("articles/cramp-care/patient.md");
    let text = std::fs::read_to_string(&patient).unwrap();
    std::fs::write(&patient, text.replace("Stretch", "Gently stretch")).unwrap();
    let app = app(state_with(dir.path(), EditorAccess::Open)).await;
    let (_, _, body) = get(&app, "/editor/reviews").await;
    let row = between(&body, "/editor/articles/cramp-care\"", "</tr>");
    assert!(
        row.contains(&format!(
            "Changed since its approval on {}",
            Date::today().in_words()
        )),
        "{row}"
    );
    assert!(row.contains("Approved") && row.contains("No date"), "{row}");
    assert!(!body.contains("/editor/articles/pending-topic\""), "{body}");
}

#[actix_web::test]
async fn review_queue_defaults_to_the_reviewer_an_account_is_linked_to() {
    let dir = review_queue_site();
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH
        .get_or_init(|| hash_password(PASSWORD).unwrap())
        .clone();
    let accounts =
        Editors::from_hashes([("sam".to_string(), hash)].into()).with_reviewer("sam", "rev-two");
    let app = app(state_with(dir.path(), EditorAccess::Accounts(accounts))).await;
    let req = TestRequest::get()
        .uri("/editor/reviews")
        .insert_header(("authorization", basic("sam", PASSWORD)));
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<option value=\"rev-two\" selected>"),
        "{body}"
    );
    assert!(
        body.contains("/editor/articles/later-one\"")
            && body.contains("/editor/articles/approved-due\"")
    );
    assert!(!body.contains("/editor/articles/late-one\""), "{body}");
}

/// The sandbox coaches a certain-sounding sentence that cites low-certainty evidence in a patient
/// wording, and shows the grade only where clinicians read it.
#[actix_web::test]
async fn sandbox_flags_certainty_the_evidence_does_not_have() {
    let state = state_with(&fixture("valid"), EditorAccess::Open);
    let app = app(state).await;
    let (_, _, page) = get(&app, "/editor/sandbox").await;
    let csrf = csrf_in(&page);
    let markdown = "Stretching will stop your cramps. [@alpha]{grade=\"GRADE:low\"}";
    for (audience, plain) in [("patient", true), ("professional", false)] {
        let req = TestRequest::post().uri("/editor/sandbox").set_form([
            ("csrf", csrf.as_str()),
            ("article", "cramp-care"),
            ("audience", audience),
            ("markdown", markdown),
        ]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 200);
        assert_eq!(
            body.contains("cites low-certainty evidence but states its effect as certain"),
            plain,
            "{audience}: {body}"
        );
        let preview = between(&body, "<section id=\"sandbox-preview\"", "</section>");
        assert_eq!(
            preview.contains("(GRADE: low certainty)"),
            !plain,
            "{audience}: {preview}"
        );
        assert!(!preview.contains("{grade"), "{preview}");
    }
}

/// Expert fact checks without an account: a signed, expiring link to one article's draft.
mod fact_checks {
    use super::*;

    /// A replica: its own load of the content and its own connection to the shared store.
    fn replica(store_dir: &std::path::Path) -> Setup {
        let state = AppState::open(
            &fixture("valid"),
            Options {
                keep_bodies: true,
                readability: true,
            },
        )
        .unwrap();
        Setup {
            state: web::Data::new(state),
            editors: web::Data::new(EditorState::new(
                EditorAccess::Accounts(editors()),
                Vec::new(),
                common::store_in(store_dir),
            )),
        }
    }

    fn token_in(location: &str) -> String {
        let at = location.find("fact_check=").expect("the new link") + "fact_check=".len();
        location[at..].split(['#', '&']).next().unwrap().to_string()
    }

    #[actix_web::test]
    async fn a_fact_check_link_shows_one_draft_takes_comments_and_ends_when_withdrawn() {
        let shared = common::store_dir();
        let app = app(replica(&shared)).await;
        let other = super::app(replica(&shared)).await;
        let session = sign_in(&app).await;
        let cookie = || Cookie::new("hp_session", session.clone());
        let req = TestRequest::get()
            .uri("/editor/articles/secret-draft")
            .cookie(cookie());
        let (_, _, page) = send(&app, req).await;
        assert!(page.contains("Make a fact-check link"), "{page}");
        let csrf = csrf_in(&page[page.find("fact-check-form").unwrap()..]);
        let req = TestRequest::post()
            .uri("/editor/articles/secret-draft/fact-check-links")
            .cookie(cookie())
            .set_form([("csrf", csrf.as_str()), ("days", "7")]);
        let (status, headers, _) = send(&app, req).await;
        assert_eq!(status, 303);
        let location = header(&headers, "location").to_string();
        let token = token_in(&location);
        let req = TestRequest::get().uri(&location).cookie(cookie());
        let (_, _, page) = send(&app, req).await;
        assert!(
            page.contains(&format!("https://health.example.org/fact-check/{token}")),
            "the link is shown once: {page}"
        );

        // The expert, with no session, reads the draft on any replica.
        let (status, headers, page) = get(&other, &format!("/fact-check/{token}")).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("DRAFT-SECRET-BODY"));
        assert!(page.contains("Draft for fact check, not for patients"));
        assert!(page.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
        assert_eq!(header(&headers, "x-robots-tag"), "noindex, nofollow");
        assert_eq!(header(&headers, "cache-control"), "no-store");
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
        // It opens nothing else: not the editor area, not another article, not an altered link.
        let (status, _, _) = get(&other, "/editor/articles/secret-draft").await;
        assert_ne!(status, 200);
        let mut altered = token.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == '0' { '1' } else { '0' });
        let (status, _, _) = get(&other, &format!("/fact-check/{altered}")).await;
        assert_eq!(status, 404, "a signature that does not match");
        for bad in ["x", "..", "%2e%2e", &"a".repeat(500)] {
            let (status, _, _) = get(&other, &format!("/fact-check/{bad}")).await;
            assert_eq!(status, 404, "{bad}");
        }

        // A comment reaches the article's editor page; one from another site does not.
        let req = TestRequest::post()
            .uri(&format!("/fact-check/{token}/comments"))
            .set_form([
                ("name", "Dr Pat Expert, pharmacist"),
                ("comment", "The dose in section two is for adults only."),
                ("wording", "patient"),
            ]);
        let (status, headers, _) = send(&other, req).await;
        assert_eq!(status, 303);
        assert!(header(&headers, "location").contains("sent=1"));
        let req = TestRequest::post()
            .uri(&format!("/fact-check/{token}/comments"))
            .insert_header(("origin", "https://evil.example"))
            .set_form([("comment", "Spam from elsewhere.")]);
        let (status, _, _) = send(&other, req).await;
        assert_eq!(status, 403);
        let req = TestRequest::post()
            .uri(&format!("/fact-check/{token}/comments"))
            .set_form([("comment", "   ")]);
        let (status, _, page) = send(&other, req).await;
        assert_eq!(status, 400);
        assert!(page.contains("Please write your comment"), "{page}");
        let req = TestRequest::get()
            .uri("/editor/articles/secret-draft")
            .cookie(cookie());
        let (_, _, page) = send(&app, req).await;
        assert!(page.contains("Dr Pat Expert, pharmacist"), "{page}");
        assert!(page.contains("The dose in section two is for adults only."));
        assert!(!page.contains("Spam from elsewhere."));
        assert!(page.contains("1 time, last"), "its use is counted: {page}");

        // Withdrawn on one replica: 410 on every one.
        let at = page.find("/fact-check-links/").unwrap() + "/fact-check-links/".len();
        let id = page[at..].split('/').next().unwrap().to_string();
        let csrf = csrf_in(&page[page.find("fact-check-form").unwrap()..]);
        let req = TestRequest::post()
            .uri(&format!(
                "/editor/articles/secret-draft/fact-check-links/{id}/revoke"
            ))
            .cookie(cookie())
            .set_form([("csrf", csrf.as_str())]);
        let (status, _, _) = send(&app, req).await;
        assert_eq!(status, 303);
        let (status, _, page) = get(&app, &format!("/fact-check/{token}")).await;
        assert_eq!(status, 410, "{page}");
        assert!(page.contains("expired or was withdrawn"));
        let (status, _, _) = get(&other, &format!("/fact-check/{token}")).await;
        assert_eq!(status, 410);
        let req = TestRequest::post()
            .uri(&format!("/fact-check/{token}/comments"))
            .set_form([("comment", "Too late.")]);
        let (status, _, _) = send(&other, req).await;
        assert_eq!(status, 410);
    }

    #[actix_web::test]
    async fn an_expired_fact_check_link_is_gone_and_links_need_an_editor_area() {
        let shared = common::store_dir();
        let setup = replica(&shared);
        let store = setup.editors.store.clone();
        let long_ago = healthpress::store::now_ms() - 3 * 24 * 3600 * 1000;
        let link = store
            .create_fact_check_link("cramp-care", "alice", 1, long_ago)
            .await
            .unwrap();
        let token = store.fact_check_token(&link);
        let app = app(setup).await;
        let (status, _, _) = get(&app, &format!("/fact-check/{token}")).await;
        assert_eq!(status, 410, "expired a day after it was made");

        // A server with no editor area serves no fact-check page.
        let open = store
            .create_fact_check_link("cramp-care", "alice", 5, healthpress::store::now_ms())
            .await
            .unwrap();
        let off = Setup {
            state: web::Data::new(AppState::load(&fixture("valid")).unwrap()),
            editors: web::Data::new(EditorState::new(
                EditorAccess::Off,
                Vec::new(),
                store.clone(),
            )),
        };
        let app = super::app(off).await;
        let (status, _, _) = get(
            &app,
            &format!("/fact-check/{}", store.fact_check_token(&open)),
        )
        .await;
        assert_eq!(status, 404);
    }

    /// `healthpress fact-check-link` prints a link that works, and `--revoke` withdraws it.
    #[test]
    fn the_command_makes_and_withdraws_links() {
        let content = tempfile::tempdir().unwrap();
        copy_dir(&fixture("valid"), content.path());
        let data = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
                .arg("fact-check-link")
                .args(args)
                .arg("--content")
                .arg(content.path())
                .arg("--data")
                .arg(data.path())
                .output()
                .unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr),
            )
        };
        let (ok, text) = run(&["cramp-care", "--days", "3", "--by", "alice"]);
        assert!(ok, "{text}");
        assert!(
            text.starts_with("https://health.example.org/fact-check/"),
            "{text}"
        );
        assert!(text.contains("works for 3 day(s)"), "{text}");
        let (ok, text) = run(&["cramp-care", "--days", "91"]);
        assert!(!ok && text.contains("from 1 to 90"), "{text}");
        let (ok, text) = run(&["no-such-article"]);
        assert!(
            !ok && text.contains("no article `no-such-article`"),
            "{text}"
        );
        let server = common::server::Server::start(
            content.path(),
            &[
                "--editors",
                &editors_file(content.path()),
                "--data",
                data.path().to_str().unwrap(),
            ],
        );
        let (ok, text) = run(&["cramp-care", "--days", "3"]);
        assert!(ok, "{text}");
        let url = text.lines().next().unwrap();
        let path = &url["https://health.example.org".len()..];
        let (status, page) = server.get(path);
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Draft for fact check"));
        let id = text
            .split("link id ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        let (ok, text) = run(&["cramp-care", "--revoke", id]);
        assert!(ok && text.contains("withdrew"), "{text}");
        assert_eq!(server.get(path).0, 410);
    }

    fn editors_file(dir: &std::path::Path) -> String {
        let path = dir.join("editors.toml");
        std::fs::write(
            &path,
            format!(
                "[editors]\nalice = \"{}\"\n",
                hash_password(PASSWORD).unwrap()
            ),
        )
        .unwrap();
        path.to_string_lossy().into_owned()
    }
}
