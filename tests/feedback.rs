//! "Was this page helpful?": the form on every wording, what the POST accepts and refuses, what
//! editors see, retention, and the store's rate limits and sessions, with SQLite always and with
//! PostgreSQL when a server is given (see `common::pg`).

mod common;

use actix_web::test::TestRequest;
use actix_web::web;
use common::{fixture, send};
use healthpress::store::{Location, NewFeedback, Store, Taken, now_ms};
use healthpress::web::editor::EditorState;
use healthpress::web::editor::auth::{EditorAccess, LoginLimiter, Refused, Sessions};
use healthpress::web::{AppState, Options};
use std::net::IpAddr;
use std::time::Duration;

/// A fresh SQLite store in a folder of its own.
async fn sqlite() -> Store {
    Store::open(&Location::Sqlite(common::store_dir()))
        .await
        .expect("SQLite opens")
}

/// A fresh database on the PostgreSQL test server.
async fn postgres() -> Store {
    let url = common::pg::fresh_database(&common::pg::server_url()).await;
    Store::open_with_key(&Location::Postgres(url), &common::pg::client_key())
        .await
        .expect("PostgreSQL opens")
}

/// Runs the check `$check(name, store)` as two tests, `$check::sqlite` and `$check::postgres`; the
/// second is ignored, with the reason, where there is no PostgreSQL server (see `build.rs`).
macro_rules! with_every_store {
    ($check:ident) => {
        mod $check {
            #[actix_web::test]
            async fn sqlite() {
                super::$check("sqlite", super::sqlite().await).await;
            }

            #[actix_web::test]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "needs PostgreSQL: set HEALTHPRESS_TEST_DATABASE_URL (as .ci/run does), see README Tests"
            )]
            async fn postgres() {
                super::$check("postgres", super::postgres().await).await;
            }
        }
    };
}

/// The fixture site with the editor area open (as `preview` runs it) over `store`.
fn setup(store: &Store) -> (web::Data<AppState>, web::Data<EditorState>) {
    let state = AppState::open(
        &fixture("valid"),
        Options {
            keep_bodies: true,
            readability: true,
        },
    )
    .expect("the fixture loads");
    (
        web::Data::new(state),
        web::Data::new(EditorState::new(
            EditorAccess::Open,
            Vec::new(),
            store.clone(),
        )),
    )
}

fn answer(fields: &[(&str, &str)]) -> TestRequest {
    TestRequest::post()
        .uri("/feedback")
        .insert_header(("host", "127.0.0.1:8080"))
        .peer_addr("192.0.2.10:5000".parse().unwrap())
        .set_form(fields)
}

const YES: &[(&str, &str)] = &[
    ("slug", "cramp-care"),
    ("audience", "patient"),
    ("helpful", "yes"),
    ("comment", ""),
    ("website", ""),
];

/// The editor area's CSRF token in a page.
fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + 64].to_string()
}

#[actix_web::test]
async fn every_wording_has_one_form_the_same_for_every_reader() {
    let store = common::store();
    let (state, editors) = setup(&store);
    let app = common::app_with(state, editors).await;
    let (status, headers, page) = common::get(&app, "/articles/cramp-care/professional").await;
    assert_eq!(status, 200);
    assert!(page.contains("Was this page helpful?"));
    assert!(page.contains("action=\"/feedback\""));
    assert!(page.contains("name=\"slug\" value=\"cramp-care\""));
    assert!(page.contains("name=\"audience\" value=\"professional\""));
    assert!(page.contains("maxlength=\"1000\""));
    assert!(page.contains("do not include personal health details"));
    assert!(page.contains("id=\"feedback-thanks\""));
    // Still a prebuilt public page: nothing per request in it, cacheable, no cookie.
    assert!(!page.contains("name=\"csrf\""));
    assert!(headers.get("set-cookie").is_none());
    assert!(common::header(&headers, "cache-control").starts_with("public"));
    let (_, _, again) = common::get(&app, "/articles/cramp-care/professional").await;
    assert_eq!(page, again);
}

with_every_store!(feedback_is_saved_and_shown_to_editors);
async fn feedback_is_saved_and_shown_to_editors(name: &str, store: Store) {
    let (state, editors) = setup(&store);
    let app = common::app_with(state, editors).await;
    let (status, headers, _) = send(
        &app,
        answer(&[
            ("slug", "cramp-care"),
            ("audience", "patient"),
            ("helpful", "no"),
            (
                "comment",
                "=HYPERLINK(\"http://evil\") <script>alert(1)</script>",
            ),
            ("website", ""),
        ]),
    )
    .await;
    assert_eq!(status, 303, "{name}");
    assert_eq!(
        common::header(&headers, "location"),
        "/articles/cramp-care/patient#feedback-thanks"
    );
    let (status, _, _) = send(&app, answer(YES)).await;
    assert_eq!(status, 303, "{name}");
    let (status, _, _) = send(
        &app,
        answer(&[
            ("slug", "cramp-care"),
            ("audience", "professional"),
            ("helpful", "yes"),
            ("comment", "Doses were clear."),
        ]),
    )
    .await;
    assert_eq!(status, 303, "{name}");
    assert_eq!(store.count_feedback(Some("cramp-care")).await.unwrap(), 3);

    // The dashboard: helpful share and count per wording.
    let (status, _, dashboard) = common::get(&app, "/editor/").await;
    assert_eq!(status, 200, "{name}");
    assert!(
        dashboard.contains("50% (1 of 2) / 50% (1 of 2)"),
        "{name}: {dashboard}"
    );
    assert!(
        dashboard.contains("100% (1 of 1) / 100% (1 of 1)"),
        "{name}"
    );

    // The article page: comments newest first, escaped, with their wording.
    let (status, _, page) = common::get(&app, "/editor/articles/cramp-care").await;
    assert_eq!(status, 200, "{name}");
    let newest = page.find("Doses were clear.").expect("the newest comment");
    let older = page
        .find("=HYPERLINK(&#34;http://evil&#34;) &#60;script&#62;alert(1)&#60;/script&#62;")
        .or_else(|| page.find("&lt;script&gt;alert(1)&lt;/script&gt;"))
        .unwrap_or_else(|| panic!("{name}: the comment, escaped: {page}"));
    assert!(newest < older, "{name}: newest first");
    assert!(!page.contains("<script>alert(1)"), "{name}");
    assert!(page.contains("Healthcare professional") && page.contains("Patient"));

    // The CSV export keeps a formula as text.
    let (status, headers, csv) =
        common::get(&app, "/editor/articles/cramp-care/feedback.csv").await;
    assert_eq!(status, 200, "{name}");
    assert!(common::header(&headers, "content-type").starts_with("text/csv"));
    assert!(csv.starts_with("sent_utc,wording,helpful,handled,comment\r\n"));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")"),
        "{name}: {csv}"
    );
    assert_eq!(
        csv.lines().count(),
        3,
        "{name}: two comments and the header"
    );
}

with_every_store!(editors_mark_comments_handled_and_delete_them_with_their_csrf_token);
async fn editors_mark_comments_handled_and_delete_them_with_their_csrf_token(
    name: &str,
    store: Store,
) {
    let (state, editors) = setup(&store);
    let app = common::app_with(state, editors).await;
    for comment in ["first", "second"] {
        let mut fields = YES.to_vec();
        fields[3] = ("comment", comment);
        assert_eq!(send(&app, answer(&fields)).await.0, 303);
    }
    let comments = store.comments("cramp-care").await.unwrap();
    let (second, first) = (&comments[0].id, &comments[1].id);
    let (_, _, page) = common::get(&app, "/editor/articles/cramp-care").await;
    let csrf = csrf_of(&page);
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        TestRequest::post().uri(&path).set_form(fields)
    };
    // Without the token: refused, nothing changes.
    let handled = format!("/editor/articles/cramp-care/feedback/{first}/handled");
    let (status, _, _) = send(&app, post(handled.clone(), vec![("handled", "1".into())])).await;
    assert_eq!(status, 403, "{name}");
    let delete = format!("/editor/articles/cramp-care/feedback/{second}/delete");
    let (status, _, _) = send(&app, post(delete.clone(), vec![("csrf", "x".repeat(64))])).await;
    assert_eq!(status, 403, "{name}");
    assert_eq!(store.comments("cramp-care").await.unwrap().len(), 2);
    assert!(!store.comments("cramp-care").await.unwrap()[1].handled);
    // With it: done.
    let (status, headers, _) = send(
        &app,
        post(
            handled,
            vec![("csrf", csrf.clone()), ("handled", "1".into())],
        ),
    )
    .await;
    assert_eq!(status, 303, "{name}");
    assert_eq!(
        common::header(&headers, "location"),
        "/editor/articles/cramp-care#feedback"
    );
    let (status, _, _) = send(&app, post(delete, vec![("csrf", csrf.clone())])).await;
    assert_eq!(status, 303, "{name}");
    let left = store.comments("cramp-care").await.unwrap();
    assert_eq!(left.len(), 1, "{name}");
    assert_eq!(&left[0].id, first);
    assert!(left[0].handled, "{name}");
    // A slug that is not one (it would go back into the redirect) is refused.
    let (status, _, _) = send(
        &app,
        post(
            format!("/editor/articles/a%0D%0AX-Evil:%201/feedback/{first}/delete"),
            vec![("csrf", csrf.clone())],
        ),
    )
    .await;
    assert_eq!(status, 400, "{name}");
    // An id that is not one, or on another article, changes nothing.
    let (status, _, _) = send(
        &app,
        post(
            "/editor/articles/cramp-care/feedback/..%2F/delete".into(),
            vec![("csrf", csrf.clone())],
        ),
    )
    .await;
    assert!(status == 400 || status == 404, "{name}: {status}");
    let (status, _, _) = send(
        &app,
        post(
            format!("/editor/articles/hostile/feedback/{first}/delete"),
            vec![("csrf", csrf.clone())],
        ),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(store.count_feedback(None).await.unwrap(), 1, "{name}");
}

#[actix_web::test]
async fn the_honeypot_is_thanked_and_nothing_is_saved() {
    let store = common::store();
    let (state, editors) = setup(&store);
    let app = common::app_with(state, editors).await;
    let mut fields = YES.to_vec();
    fields[4] = ("website", "http://spam.example");
    let (status, headers, _) = send(&app, answer(&fields)).await;
    assert_eq!(status, 303);
    assert!(common::header(&headers, "location").ends_with("#feedback-thanks"));
    assert_eq!(store.count_feedback(None).await.unwrap(), 0);
}

#[actix_web::test]
async fn oversized_or_malformed_answers_are_refused() {
    let store = common::store();
    let (state, editors) = setup(&store);
    let app = common::app_with(state, editors).await;
    // The longest comment, in characters of several bytes, is accepted...
    let longest = "é".repeat(1000);
    let mut fields = YES.to_vec();
    fields[3] = ("comment", &longest);
    assert_eq!(send(&app, answer(&fields)).await.0, 303);
    // ...one character more is not.
    let over = format!("{longest}e");
    fields[3] = ("comment", &over);
    let (status, _, body) = send(&app, answer(&fields)).await;
    assert_eq!(status, 400);
    assert!(body.contains("longer than 1,000 characters"));
    // A body past the form limit is refused before it is read whole.
    let huge = "x".repeat(64 * 1024);
    fields[3] = ("comment", &huge);
    assert_eq!(send(&app, answer(&fields)).await.0, 413);
    // Neither yes nor no; control characters; a draft; an unknown audience or article.
    for bad in [
        vec![
            ("slug", "cramp-care"),
            ("audience", "patient"),
            ("helpful", "maybe"),
        ],
        vec![("slug", "cramp-care"), ("audience", "patient")],
        vec![
            ("slug", "cramp-care"),
            ("audience", "patient"),
            ("helpful", "yes"),
            ("comment", "a\u{0}b"),
        ],
        vec![
            ("slug", "secret-draft"),
            ("audience", "patient"),
            ("helpful", "yes"),
        ],
        vec![
            ("slug", "cramp-care"),
            ("audience", "nobody"),
            ("helpful", "yes"),
        ],
        vec![
            ("slug", "../etc"),
            ("audience", "patient"),
            ("helpful", "yes"),
        ],
        vec![
            ("slug", "no-such-article"),
            ("audience", "patient"),
            ("helpful", "yes"),
        ],
    ] {
        let (status, _, _) = send(&app, answer(&bad)).await;
        assert_eq!(status, 400, "{bad:?}");
    }
    assert_eq!(store.count_feedback(None).await.unwrap(), 1);
    assert_eq!(store.count_feedback(Some("secret-draft")).await.unwrap(), 0);
}

#[actix_web::test]
async fn answers_from_other_sites_are_refused() {
    let store = common::store();
    let (state, editors) = setup(&store);
    let app = common::app_with(state, editors).await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let (status, _, body) = send(&app, answer(YES).insert_header((name, value))).await;
        assert_eq!(status, 403, "{name}: {value}");
        assert!(body.contains("another website"));
    }
    assert_eq!(store.count_feedback(None).await.unwrap(), 0);
    // The site's own pages may post it.
    let (status, _, _) = send(
        &app,
        answer(YES).insert_header(("origin", "http://127.0.0.1:8080")),
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, _) = send(
        &app,
        answer(YES).insert_header(("sec-fetch-site", "same-origin")),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(store.count_feedback(None).await.unwrap(), 2);
}

with_every_store!(one_client_is_limited_across_every_server_on_the_store);
async fn one_client_is_limited_across_every_server_on_the_store(name: &str, store: Store) {
    use healthpress::web::feedback::FEEDBACK_PER_CLIENT;
    // Two apps over the same store, as two replicas.
    let (state_a, editors_a) = setup(&store);
    let (state_b, editors_b) = setup(&store);
    let a = common::app_with(state_a, editors_a).await;
    let b = common::app_with(state_b, editors_b).await;
    for n in 0..FEEDBACK_PER_CLIENT {
        let app_status = if n % 2 == 0 {
            send(&a, answer(YES)).await.0
        } else {
            send(&b, answer(YES)).await.0
        };
        assert_eq!(app_status, 303, "{name}: answer {n}");
    }
    let (status, headers, body) = send(&b, answer(YES)).await;
    assert_eq!(status, 429, "{name}");
    assert!(body.contains("a lot of feedback"));
    let wait: u64 = common::header(&headers, "retry-after").parse().unwrap();
    assert!(wait > 0 && wait <= 3600);
    assert_eq!(send(&a, answer(YES)).await.0, 429, "{name}");
    // Another client is not held back.
    let other = answer(YES).peer_addr("198.51.100.7:5000".parse().unwrap());
    assert_eq!(send(&a, other).await.0, 303, "{name}");
    assert_eq!(
        store.count_feedback(None).await.unwrap(),
        FEEDBACK_PER_CLIENT + 1,
        "{name}"
    );
}

with_every_store!(retention_deletes_old_feedback_only);
async fn retention_deletes_old_feedback_only(name: &str, store: Store) {
    let day = healthpress::store::DAY_MS;
    let now = now_ms();
    for (age_days, comment) in [
        (200, "old"),
        (181, "just over"),
        (179, "just under"),
        (1, "new"),
    ] {
        store
            .save_feedback(&NewFeedback {
                slug: "cramp-care",
                audience: "patient",
                helpful: true,
                comment,
                at_ms: now - age_days * day,
            })
            .await
            .unwrap();
    }
    let deleted = store.purge(now, 180).await.unwrap();
    assert_eq!(deleted, 2, "{name}");
    let left: Vec<String> = store
        .comments("cramp-care")
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.comment)
        .collect();
    assert_eq!(left, ["new", "just under"], "{name}");
    // A shorter retention from site.toml deletes more.
    assert_eq!(store.purge(now, 30).await.unwrap(), 1, "{name}");
}

#[test]
fn retention_is_read_from_site_toml_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("valid"), dir.path());
    let site = healthpress::content::load_site(dir.path()).unwrap();
    assert_eq!(site.config.feedback_retention_days(), 180);
    let config = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let with = |line: &str| {
        let at = text.find("[[audiences]]").unwrap();
        std::fs::write(&config, format!("{}{line}\n{}", &text[..at], &text[at..])).unwrap();
        healthpress::content::load_site(dir.path())
    };
    assert_eq!(
        with("feedback_retention_days = 30")
            .unwrap()
            .config
            .feedback_retention_days(),
        30
    );
    for (line, message) in [
        (
            "feedback_retention_days = 0",
            "`feedback_retention_days` is 0",
        ),
        ("feedback_retention_days = 99999", "over the limit"),
        ("feedback_retention = 30", "unknown field"),
    ] {
        let problems = match with(line) {
            Ok(site) => site.into_diagnostics(),
            Err(e) => e.diagnostics,
        };
        assert!(
            problems
                .iter()
                .any(|d| d.is_error() && d.message.contains(message)),
            "{line}: {problems:?}"
        );
    }
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

with_every_store!(the_login_limiter_holds_per_name_and_per_client);
async fn the_login_limiter_holds_per_name_and_per_client(name: &str, store: Store) {
    use healthpress::web::editor::auth::{MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_NAME};
    // Two limiters on one store, as on two replicas.
    let a = LoginLimiter::new(store.clone());
    let b = LoginLimiter::new(store.clone());
    let client = ip("10.0.0.1");
    for n in 0..MAX_FAILURES_PER_NAME {
        let limiter = if n % 2 == 0 { &a } else { &b };
        let _failed = limiter.reserve(client, Some("alice")).await.unwrap();
    }
    assert!(
        matches!(a.reserve(client, Some("alice")).await, Err(Refused::Wait(s)) if s > 0),
        "{name}"
    );
    assert!(b.reserve(client, Some("alice")).await.is_err(), "{name}");
    // Another name from the same client, and the same name from another client, still get in.
    a.reserve(client, Some("bob"))
        .await
        .unwrap()
        .succeeded()
        .await;
    b.reserve(client, Some("bob"))
        .await
        .unwrap()
        .succeeded()
        .await;
    a.reserve(ip("10.0.0.2"), Some("alice"))
        .await
        .unwrap()
        .succeeded()
        .await;
    // Successes are not failures: bob is nowhere near his limit.
    for _ in 0..MAX_FAILURES_PER_NAME - 1 {
        let _failed = a.reserve(client, Some("bob")).await.unwrap();
    }
    assert!(b.reserve(client, Some("bob")).await.is_ok(), "{name}");
    // The client's ceiling over all names.
    let other = ip("10.0.0.3");
    for n in 0..MAX_FAILURES_PER_CLIENT {
        let user = format!("name{}", n % 10);
        let _failed = a.reserve(other, Some(&user)).await.unwrap();
    }
    assert!(
        b.reserve(other, Some("someone-new")).await.is_err(),
        "{name}"
    );
    assert!(b.reserve(ip("10.0.0.9"), Some("someone-new")).await.is_ok());
}

with_every_store!(simultaneous_sign_ins_cannot_pass_the_limit);
async fn simultaneous_sign_ins_cannot_pass_the_limit(name: &str, store: Store) {
    use healthpress::web::editor::auth::MAX_FAILURES_PER_NAME;
    let limiter = std::sync::Arc::new(LoginLimiter::new(store.clone()));
    let client = ip("10.0.0.1");
    let attempts = (0..40).map(|_| {
        let limiter = limiter.clone();
        tokio::spawn(async move {
            match limiter.reserve(client, None).await {
                Ok(_failed) => 1,
                Err(Refused::Wait(_)) => 0,
                Err(Refused::Unavailable) => panic!("the store answers"),
            }
        })
    });
    let mut allowed = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        allowed += attempt.await.unwrap();
    }
    assert_eq!(allowed, MAX_FAILURES_PER_NAME, "{name}");
}

with_every_store!(a_session_started_on_one_server_is_valid_on_another);
async fn a_session_started_on_one_server_is_valid_on_another(name: &str, store: Store) {
    let a = Sessions::new(store.clone());
    let b = Sessions::new(store.clone());
    let token = a.start("alice", "account-print").await.unwrap();
    let seen = b
        .get(&token)
        .await
        .unwrap()
        .expect("the other server knows it");
    assert_eq!(seen.user, "alice", "{name}");
    assert_eq!(seen.account, "account-print", "{name}");
    assert_eq!(seen.csrf, a.get(&token).await.unwrap().unwrap().csrf);
    assert!(b.get("not-a-token").await.unwrap().is_none());
    b.end(&token).await.unwrap();
    assert!(
        a.get(&token).await.unwrap().is_none(),
        "{name}: ended everywhere"
    );
}

#[actix_web::test]
async fn rate_limit_windows_end() {
    let store = common::store();
    let window = Duration::from_secs(60);
    let t0 = now_ms();
    assert!(matches!(
        store.take("b", 1, window, t0).await.unwrap(),
        Taken::Counted { .. }
    ));
    assert_eq!(
        store.take("b", 1, window, t0 + 1000).await.unwrap(),
        Taken::Full { wait_secs: 59 }
    );
    assert!(matches!(
        store.take("b", 1, window, t0 + 60_000).await.unwrap(),
        Taken::Counted { .. }
    ));
}

#[actix_web::test]
async fn the_sqlite_folder_is_made_private_on_first_start_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new/data");
    let store = Store::open(&Location::Sqlite(data.clone())).await.unwrap();
    assert!(data.join(healthpress::store::SQLITE_FILE).is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    store
        .save_feedback(&NewFeedback {
            slug: "cramp-care",
            audience: "patient",
            helpful: false,
            comment: "kept",
            at_ms: now_ms(),
        })
        .await
        .unwrap();
    store.close().await;
    // Opened again (as after a restart): the migrations are not applied twice, the data is there.
    let again = Store::open(&Location::Sqlite(data)).await.unwrap();
    assert_eq!(again.count_feedback(None).await.unwrap(), 1);
}

#[actix_web::test]
async fn an_unreachable_database_at_start_is_a_clear_error_without_the_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://healthpress:secret-password@127.0.0.1:{port}/healthpress");
    let Err(message) =
        Store::open_with_key(&Location::Postgres(url), &common::pg::client_key()).await
    else {
        panic!("nothing listens there");
    };
    assert!(message.contains("cannot open PostgreSQL at"), "{message}");
    assert!(!message.contains("secret-password"), "{message}");
}

#[cfg(unix)]
fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[actix_web::test]
async fn the_database_and_its_wal_and_shm_are_private_in_a_folder_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Made by the operator before the first start, with the usual umask.
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let warning = healthpress::store::shared_folder_warning(&data).expect("a warning");
    assert!(warning.contains("chmod 700"), "{warning}");
    let store = Store::open(&Location::Sqlite(data.clone())).await.unwrap();
    store
        .save_feedback(&NewFeedback {
            slug: "cramp-care",
            audience: "patient",
            helpful: true,
            comment: "private",
            at_ms: now_ms(),
        })
        .await
        .unwrap();
    let db = data.join(healthpress::store::SQLITE_FILE);
    for file in [
        db.clone(),
        data.join("healthpress.db-wal"),
        data.join("healthpress.db-shm"),
        data.join(healthpress::store::CLIENT_KEY_FILE),
    ] {
        assert_eq!(mode_of(&file), 0o600, "{}", file.display());
    }
    store.close().await;

    // A database left readable by an older version is made private when it opens.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let again = Store::open(&Location::Sqlite(data.clone())).await.unwrap();
    assert_eq!(again.count_feedback(None).await.unwrap(), 1);
    assert_eq!(mode_of(&db), 0o600);
    for wal in ["healthpress.db-wal", "healthpress.db-shm"] {
        assert_eq!(mode_of(&data.join(wal)), 0o600, "{wal}");
    }
    again.close().await;
    // A private folder is not warned about.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(healthpress::store::shared_folder_warning(&data), None);
}

/// A hex SHA-256 of `salt` and then each of `parts` after a NUL, as client hashes were made.
fn salted_sha256(salt: &str, parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    for part in parts {
        hasher.update([0]);
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[actix_web::test]
async fn client_hashes_cannot_be_recomputed_from_a_copy_of_the_database() {
    use common::server::{Server, request, status_of};
    use sqlx::Row;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let server = Server::start(&content, &["--data", data.to_str().unwrap()]);
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("slug", "leg-cramps"),
            ("audience", "patient"),
            ("helpful", "yes"),
            ("comment", ""),
            ("website", ""),
        ])
        .finish();
    let response = request(
        &server.addr,
        &format!(
            "POST /feedback HTTP/1.0\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .unwrap();
    assert_eq!(status_of(&response), 303, "{response}");
    drop(server);

    // What a copy of the database (its file, and the write-ahead log the killed server left) holds:
    // every setting, and the rate-limit counters.
    let copy = tempfile::tempdir().unwrap();
    for file in ["healthpress.db", "healthpress.db-wal"] {
        if data.join(file).exists() {
            std::fs::copy(data.join(file), copy.path().join(file)).unwrap();
        }
    }
    sqlx::any::install_default_drivers();
    let url = format!(
        "sqlite://{}",
        copy.path().join(healthpress::store::SQLITE_FILE).display()
    );
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let settings: Vec<String> = sqlx::query("SELECT value FROM settings")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("value"))
        .collect();
    let buckets: Vec<String> = sqlx::query("SELECT bucket FROM rate_limits")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("bucket"))
        .collect();
    assert_eq!(buckets.len(), 1, "the answer was counted: {buckets:?}");
    // Trying the address with anything the database holds as the salt (or none) finds nothing.
    for salt in settings.iter().map(String::as_str).chain([""]) {
        let guess = salted_sha256(salt, &["feedback", "127.0.0.1"]);
        assert!(
            !buckets.contains(&guess),
            "the client address was recovered from the database with {salt:?}"
        );
    }
    let key = std::fs::read_to_string(data.join(healthpress::store::CLIENT_KEY_FILE)).unwrap();
    assert!(!settings.iter().any(|v| v.contains(key.trim())));
    // Nor does a server opened on the copy name the client as the original did.
    drop(conn);
    let reopened = Store::open(&Location::Sqlite(copy.path().to_path_buf()))
        .await
        .unwrap();
    assert!(!buckets.contains(&reopened.hash(&["feedback", "127.0.0.1"])));
    // The original folder, with its key, still does.
    let original = Store::open(&Location::Sqlite(data)).await.unwrap();
    assert!(buckets.contains(&original.hash(&["feedback", "127.0.0.1"])));
}

#[actix_web::test]
async fn postgres_without_a_client_key_or_with_a_short_one_is_refused_with_what_to_do() {
    let url = "postgres://healthpress:secret-password@127.0.0.1:1/healthpress".to_string();
    let Err(message) = Store::open(&Location::Postgres(url.clone())).await else {
        panic!("no client key was given");
    };
    assert!(message.contains("--client-key"), "{message}");
    assert!(!message.contains("secret-password"), "{message}");
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("short-key");
    std::fs::write(&short, "too short\n").unwrap();
    let Err(message) = Store::open_with_key(
        &Location::Postgres(url),
        &healthpress::store::ClientKey::File(short),
    )
    .await
    else {
        panic!("the key is too short");
    };
    assert!(message.contains("at least 32"), "{message}");
}

/// The bundled site served by the real binary, with the editor `alice` and `comments` comments on
/// `leg-cramps` (comment `i` sent `i` seconds after the first, `same_time` at a time), and the
/// `Cookie:` line of alice's session.
struct CommentsSite {
    _dir: tempfile::TempDir,
    server: common::server::Server,
    session: String,
}

const EDITOR_PASSWORD: &str = "a long test passphrase";

impl CommentsSite {
    async fn start(comments: usize, same_time: usize, text: impl Fn(usize) -> String) -> Self {
        use common::server::Server;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&Location::Sqlite(data.clone())).await.unwrap();
        let start = now_ms() - 2 * healthpress::store::DAY_MS;
        for i in 0..comments {
            store
                .save_feedback(&NewFeedback {
                    slug: "leg-cramps",
                    audience: "patient",
                    helpful: i % 2 == 0,
                    comment: &text(i),
                    at_ms: start + (i / same_time) as i64 * 1000,
                })
                .await
                .unwrap();
        }
        store.close().await;
        let hash = healthpress::web::editor::auth::hash_password(EDITOR_PASSWORD).unwrap();
        let editors = dir.path().join("editors.toml");
        std::fs::write(&editors, format!("[editors]\nalice = \"{hash}\"\n")).unwrap();
        let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
        let server = Server::start(
            &content,
            &[
                "--editors",
                editors.to_str().unwrap(),
                "--data",
                data.to_str().unwrap(),
            ],
        );
        let session = common::server::sign_in(&server.addr, "alice", EDITOR_PASSWORD);
        CommentsSite {
            _dir: dir,
            server,
            session,
        }
    }

    /// GETs `path` as alice over HTTP/1.0: status and the whole response.
    fn get(&self, path: &str) -> (u16, String) {
        let response = common::server::request(
            &self.server.addr,
            &format!(
                "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{}\r\n",
                self.session
            ),
        )
        .unwrap();
        (common::server::status_of(&response), response)
    }
}

/// How many comments a page of the article's editor view lists.
fn rows_in(page: &str) -> usize {
    page.matches("<td class=\"comment-text\">").count()
}

#[actix_web::test]
async fn editors_page_through_comments_fifty_at_a_time() {
    let site = CommentsSite::start(120, 1, |i| format!("comment {i:04}")).await;
    let (status, first) = site.get("/editor/articles/leg-cramps");
    assert_eq!(status, 200, "{first}");
    assert_eq!(rows_in(&first), 50);
    assert!(
        first.contains("Showing 1\u{2013}50 of 120 comments"),
        "{first}"
    );
    assert!(first.contains("comment 0119") && first.contains("comment 0070"));
    assert!(!first.contains("comment 0069"));
    assert!(first.contains("href=\"/editor/articles/leg-cramps?page=2#feedback\" rel=\"next\""));
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("href=\"/editor/articles/leg-cramps?page=3#feedback\""));
    assert!(first.contains("href=\"/editor/articles/leg-cramps/feedback.csv\""));

    let (status, second) = site.get("/editor/articles/leg-cramps?page=2");
    assert_eq!(status, 200);
    assert_eq!(rows_in(&second), 50);
    assert!(second.contains("Showing 51\u{2013}100 of 120 comments"));
    assert!(second.contains("comment 0069") && second.contains("comment 0020"));
    assert!(second.contains("href=\"/editor/articles/leg-cramps?page=1#feedback\" rel=\"prev\""));
    assert!(second.contains("href=\"/editor/articles/leg-cramps?page=3#feedback\" rel=\"next\""));
    assert!(second.contains("?page=2#feedback\" aria-current=\"page\""));

    let (status, third) = site.get("/editor/articles/leg-cramps?page=3");
    assert_eq!(status, 200);
    assert_eq!(rows_in(&third), 20);
    assert!(third.contains("Showing 101\u{2013}120 of 120 comments"));
    assert!(third.contains("comment 0019") && third.contains("comment 0000"));
    assert!(!third.contains("rel=\"next\""));

    // Past the last page: the last page.
    for past in ["4", "999999", "18446744073709551615"] {
        let (status, page) = site.get(&format!("/editor/articles/leg-cramps?page={past}"));
        assert_eq!(status, 200, "{past}");
        assert_eq!(rows_in(&page), 20, "{past}");
        assert!(page.contains("?page=3#feedback\" aria-current=\"page\""));
    }
    // Not a page number: a clear 400.
    for bad in ["0", "-1", "abc", "1.5", "99999999999999999999999", "%00"] {
        let (status, page) = site.get(&format!("/editor/articles/leg-cramps?page={bad}"));
        assert_eq!(status, 400, "{bad}: {page}");
        assert!(page.contains("Pages are numbered from 1"), "{bad}: {page}");
    }

    // Marking a comment handled goes back to the page it was on.
    let csrf = csrf_of(&second);
    let id = second
        .split("/editor/articles/leg-cramps/feedback/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", csrf.as_str()), ("handled", "1"), ("page", "2")])
        .finish();
    let response = common::server::request(
        &site.server.addr,
        &format!(
            "POST /editor/articles/leg-cramps/feedback/{id}/handled HTTP/1.0\r\nHost: 127.0.0.1\r\n\
             {}Origin: http://127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n{body}",
            site.session,
            body.len()
        ),
    )
    .unwrap();
    assert_eq!(common::server::status_of(&response), 303, "{response}");
    assert!(
        response
            .to_ascii_lowercase()
            .contains("location: /editor/articles/leg-cramps?page=2#feedback\r\n"),
        "{response}"
    );
}

#[actix_web::test]
async fn the_comments_csv_is_streamed_with_every_row_and_the_page_stays_small() {
    const COMMENTS: usize = 1_100;
    // Three comments share each time, so batches of the export also split comments sent at once.
    let text = |i: usize| {
        if i == 7 {
            "=HYPERLINK(\"http://evil\")".to_string()
        } else {
            format!("comment {i:04} {}", "x".repeat(900))
        }
    };
    let site = CommentsSite::start(COMMENTS, 3, text).await;

    let (status, page) = site.get("/editor/articles/leg-cramps");
    assert_eq!(status, 200);
    assert_eq!(rows_in(&page), 50);
    assert!(page.contains("Showing 1\u{2013}50 of 1,100 comments"));
    assert!(
        page.contains("?page=22#feedback\""),
        "a link to the last page"
    );
    // Every comment would be about a megabyte of page; one page of them is a fraction.
    assert!(page.len() < 300_000, "the page is {} bytes", page.len());

    let (status, csv) = site.get("/editor/articles/leg-cramps/feedback.csv");
    assert_eq!(status, 200, "{csv}");
    let (head, body) = csv.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-type: text/csv"));
    // Streamed: chunked, with no length known in advance.
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    let body = &dechunk(body);
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines[0], "sent_utc,wording,helpful,handled,comment");
    assert_eq!(lines.len(), COMMENTS + 1);
    let mut seen: Vec<usize> = lines[1..]
        .iter()
        .filter_map(|l| l.split("\"comment ").nth(1))
        .map(|rest| rest[..4].parse().unwrap())
        .collect();
    let mut times: Vec<&str> = lines[1..].iter().map(|l| &l[..22]).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    times.dedup();
    assert_eq!(times.len(), COMMENTS.div_ceil(3));
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), COMMENTS - 1, "each comment once");
    assert!(
        body.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "formulas stay text"
    );
}

/// The body of a chunked HTTP/1.1 response, which must end with its last chunk.
fn dechunk(mut chunked: &str) -> String {
    let mut body = String::new();
    loop {
        let (size, rest) = chunked.split_once("\r\n").expect("a chunk size");
        let size = usize::from_str_radix(size.trim(), 16).expect("a hex chunk size");
        if size == 0 {
            return body;
        }
        body.push_str(&rest[..size]);
        chunked = rest[size..]
            .strip_prefix("\r\n")
            .expect("a chunk ends with CRLF");
    }
}

/// Fact-check links, their comments, reviewer feeds and review claims keep to the SQL both stores
/// share: made, found, counted, withdrawn and listed the same way.
async fn fact_checks_feeds_and_claims_in_the_store(name: &str, store: Store) {
    let now = healthpress::store::now_ms();
    let link = store
        .create_fact_check_link("cramp-care", "alice", 3, now)
        .await
        .unwrap();
    let token = store.fact_check_token(&link);
    use healthpress::store::LinkState;
    assert_eq!(
        store.fact_check_state(&token, now).await.unwrap(),
        LinkState::Open(link.clone()),
        "{name}"
    );
    let later = now + 4 * 24 * 3600 * 1000;
    assert!(
        matches!(
            store.fact_check_state(&token, later).await.unwrap(),
            LinkState::Gone(_)
        ),
        "{name}"
    );
    let forged = format!("{}.{}", link.id, "0".repeat(64));
    assert_eq!(
        store.fact_check_state(&forged, now).await.unwrap(),
        LinkState::Unknown,
        "{name}"
    );
    store.count_fact_check_use(&link.id, now + 5).await.unwrap();
    store
        .save_fact_check_comment(&link, "Dr Expert", "Check the dose.", now + 6)
        .await
        .unwrap();
    let listed = store.fact_check_links("cramp-care").await.unwrap();
    assert_eq!(
        (listed[0].uses, listed[0].last_used_ms),
        (1, Some(now + 5)),
        "{name}"
    );
    let comments = store.fact_check_comments("cramp-care").await.unwrap();
    assert_eq!(comments[0].comment, "Check the dose.", "{name}");
    assert!(store.fact_check_comments("other").await.unwrap().is_empty());
    assert!(
        store
            .revoke_fact_check_link("cramp-care", &link.id, now + 7)
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_fact_check_link("cramp-care", &link.id, now + 8)
            .await
            .unwrap(),
        "once"
    );
    assert!(matches!(
        store.fact_check_state(&token, now).await.unwrap(),
        LinkState::Gone(_)
    ));

    let feed = store.new_reviewer_feed("okafor", now).await.unwrap();
    assert_eq!(
        store.reviewer_feed_owner(&feed).await.unwrap().as_deref(),
        Some("okafor")
    );
    let newer = store.new_reviewer_feed("okafor", now + 1).await.unwrap();
    assert_eq!(
        store.reviewer_feed_owner(&feed).await.unwrap(),
        None,
        "{name}: replaced"
    );
    assert_eq!(
        store.reviewer_feed_since("okafor").await.unwrap(),
        Some(now + 1)
    );
    assert!(store.revoke_reviewer_feed("okafor").await.unwrap());
    assert_eq!(store.reviewer_feed_owner(&newer).await.unwrap(), None);

    store
        .claim_review("cramp-care", "rev-one", now)
        .await
        .unwrap();
    store
        .claim_review("cramp-care", "rev-two", now + 1)
        .await
        .unwrap();
    let claims = store.review_claims().await.unwrap();
    assert_eq!(
        claims["cramp-care"],
        ("rev-two".to_string(), now + 1),
        "{name}: taken over"
    );
    store
        .release_review("cramp-care", Some("rev-one"))
        .await
        .unwrap();
    assert_eq!(
        store.review_claims().await.unwrap().len(),
        1,
        "only the reviewer's own"
    );
    store.release_review("cramp-care", None).await.unwrap();
    assert!(store.review_claims().await.unwrap().is_empty());
}
with_every_store!(fact_checks_feeds_and_claims_in_the_store);
