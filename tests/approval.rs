//! Approval bound to the text: readers see only what a reviewer approved, on every public surface;
//! withdrawal; What changed and the change feed; the parity check of facts across wordings.

mod common;

use actix_web::web;
use common::server::Server;
use common::{app as app_over, copy_dir, fixture, get, header};
use healthpress::content::{Date, approval, approve_article};
use healthpress::web::AppState;
use std::path::Path;
use std::time::{Duration, Instant};

const EDIT: &str = "UNREVIEWEDEDIT";

fn copy_of_valid() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    dir
}

fn approve(root: &Path, note: &str) {
    approve_article(
        root,
        "cramp-care",
        &["rev-one".to_string()],
        note,
        Date::today(),
        None,
    )
    .expect("approves");
}

/// Runs `healthpress ARGS --content ROOT`.
fn healthpress_on(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(args)
        .arg("--content")
        .arg(root)
        .output()
        .unwrap()
}

/// Replaces `from` (which must be there) by `to` in the file at `path`.
fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Adds `EDIT` to the patient wording's working file.
fn edit_working(root: &Path) {
    replace_in(
        &root.join("articles/cramp-care/patient.md"),
        "Stretch your calf",
        &format!("{EDIT} Stretch your calf"),
    );
}

/// Makes the article's review long overdue (reviewed in 2020, due in 2021).
fn make_overdue(root: &Path) {
    let toml = root.join("articles/cramp-care/article.toml");
    replace_in(
        &toml,
        "reviewed_on = 2025-07-29",
        "reviewed_on = 2020-01-01",
    );
    replace_in(
        &toml,
        "next_review = 2099-07-29",
        "next_review = 2021-01-01",
    );
}

/// Every public surface that shows article text or lists articles.
const SURFACES: &[&str] = &[
    "/",
    "/articles",
    "/articles/cramp-care/patient",
    "/articles/cramp-care/professional",
    "/topics",
    "/sitemap.xml",
    "/changes.atom",
];

#[actix_web::test]
async fn readers_see_the_approved_text_until_it_is_approved_again() {
    let dir = copy_of_valid();
    let root = dir.path();
    approve(root, "First reviewed text.");
    edit_working(root);
    let state = web::Data::new(AppState::load(root).unwrap());
    let app = app_over(state.clone()).await;
    for path in SURFACES {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains(EDIT), "{path} shows unapproved text");
    }
    let (_, _, page) = get(&app, "/articles/cramp-care/patient").await;
    assert!(
        page.contains("<strong class=\"review-status\">Approved</strong>"),
        "{page}"
    );
    assert!(page.contains("Dr Ada Reviewer"), "{page}");
    assert!(
        page.contains("First reviewed text."),
        "What changed lists the note"
    );
    let (_, _, search) = get(&app, &format!("/search?q={EDIT}&audience=patient")).await;
    assert!(
        !search.contains("/articles/cramp-care/"),
        "search finds unapproved text: {search}"
    );
    // The export writes what readers see.
    let out = tempfile::tempdir().unwrap();
    healthpress::web::export::export_site(&state.snapshot(), out.path(), &mut |_, _| {}).unwrap();
    let exported = std::fs::read_to_string(out.path().join("articles/cramp-care/patient.html"))
        .or_else(|_| {
            std::fs::read_to_string(out.path().join("articles/cramp-care/patient/index.html"))
        })
        .expect("the exported page");
    assert!(!exported.contains(EDIT));
    // The same across a restart: a fresh load of the folder.
    let fresh = app_over(web::Data::new(AppState::load(root).unwrap())).await;
    let (_, _, page) = get(&fresh, "/articles/cramp-care/patient").await;
    assert!(!page.contains(EDIT));

    // Approving again publishes the edit, and its note joins What changed and the feed.
    approve(root, "Added a line on stretching.");
    state.reload().unwrap();
    let (_, _, page) = get(&app, "/articles/cramp-care/patient").await;
    assert!(page.contains(EDIT), "the newly approved text shows");
    let changes = &page[page.find("id=\"changes\"").expect("What changed")..];
    let newer = changes
        .find("Added a line on stretching.")
        .expect("the new note");
    let older = changes.find("First reviewed text.").expect("the old note");
    assert!(newer < older, "newest first");
    let (_, headers, feed) = get(&app, "/changes.atom").await;
    assert!(header(&headers, "content-type").starts_with("application/atom+xml"));
    assert_eq!(feed.matches("<entry>").count(), 2, "{feed}");
    assert!(feed.find("Added a line").unwrap() < feed.find("First reviewed").unwrap());
    let (_, _, search) = get(&app, &format!("/search?q={EDIT}&audience=patient")).await;
    assert!(search.contains("/articles/cramp-care/patient"), "{search}");
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

#[test]
fn the_change_feed_is_valid_atom() {
    let dir = copy_of_valid();
    approve(dir.path(), "Notes with <markup> & \"quotes\".");
    let state = AppState::load(dir.path()).unwrap();
    let feed = state.snapshot();
    let page = feed.page("/changes.atom").expect("the feed");
    let text = String::from_utf8(page.body().to_vec()).unwrap();
    let doc = atom(&text);
    assert!(!text.contains("<markup>"), "notes are escaped: {text}");
    let entry = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((ATOM, "entry")))
        .expect("an entry");
    let summary = entry
        .children()
        .find(|n| n.has_tag_name((ATOM, "summary")))
        .and_then(|n| n.text());
    assert_eq!(summary, Some("Notes with <markup> & \"quotes\"."));
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Parses `text` with a strict XML parser (well-formedness, XML 1.0 characters, namespaces) and
/// checks the elements RFC 4287 requires of a feed and of each entry.
fn atom(text: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}\n{text}"));
    let root = doc.root_element();
    assert!(
        root.has_tag_name((ATOM, "feed")),
        "the root is an Atom feed"
    );
    let has =
        |node: roxmltree::Node, name: &str| node.children().any(|n| n.has_tag_name((ATOM, name)));
    for required in ["id", "title", "updated", "author"] {
        assert!(has(root, required), "the feed lacks <{required}>");
    }
    for entry in root.children().filter(|n| n.has_tag_name((ATOM, "entry"))) {
        for required in ["id", "title", "updated", "link"] {
            assert!(has(entry, required), "an entry lacks <{required}>");
        }
        let updated = entry
            .children()
            .find(|n| n.has_tag_name((ATOM, "updated")))
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert!(updated.ends_with("T00:00:00Z"), "RFC 3339 dates: {updated}");
    }
    doc
}

#[test]
fn characters_xml_cannot_carry_never_reach_the_feed() {
    let dir = copy_of_valid();
    // Refused at the door: the command and the editor area check notes the same way.
    let refused = approve_article(
        dir.path(),
        "cramp-care",
        &["rev-one".to_string()],
        "New dose table\u{FFFE}",
        Date::today(),
        None,
    )
    .expect_err("a noncharacter in a note is refused");
    assert!(refused.message.contains("U+FFFE"), "{}", refused.message);
    // Written into the record by hand: a `check` error, and the feed stays readable.
    approve(dir.path(), "A fine note.");
    let record = dir.path().join("approved/cramp-care/approvals.toml");
    replace_in(&record, "A fine note.", "A fine\u{FFFF} note.");
    let state = AppState::load(dir.path()).unwrap();
    let snapshot = state.snapshot();
    assert!(
        snapshot
            .site
            .diagnostics
            .iter()
            .any(|d| d.message.contains("U+FFFF")),
        "check names the character"
    );
    let text = String::from_utf8(snapshot.page("/changes.atom").unwrap().body().to_vec()).unwrap();
    atom(&text);
    // A title with one is an error too, named by `check`.
    let toml = dir.path().join("articles/cramp-care/article.toml");
    let original = std::fs::read_to_string(&toml).unwrap();
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title"))
        .unwrap()
        .to_string();
    replace_in(&toml, &title_line, "title = \"Leg cramps\u{FFFE}\"");
    let state = AppState::load(dir.path()).unwrap();
    let snapshot = state.snapshot();
    assert!(
        snapshot
            .site
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`title` contains the character U+FFFE")),
    );
    let feed = snapshot.page("/changes.atom").unwrap().body().to_vec();
    atom(std::str::from_utf8(&feed).unwrap());
}

#[actix_web::test]
async fn withdrawing_takes_an_article_off_every_surface_at_once() {
    let dir = copy_of_valid();
    let root = dir.path();
    approve(root, "Reviewed.");
    approval::withdraw(root, "cramp-care", "Dose under check", Date::today()).unwrap();
    let app = app_over(web::Data::new(AppState::load(root).unwrap())).await;
    for path in [
        "/articles/cramp-care/patient",
        "/articles/cramp-care/professional",
        "/articles/cramp-care",
    ] {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, 410, "{path}");
        assert!(body.contains("This article has been withdrawn"), "{body}");
        assert!(body.contains(&Date::today().in_words()), "says when");
        for text in ["Stretch your calf", "Cramp care", "Dose under check"] {
            assert!(!body.contains(text), "{path} leaks {text:?}");
        }
    }
    for path in [
        "/",
        "/articles",
        "/sitemap.xml",
        "/changes.atom",
        "/topics/muscles",
    ] {
        let (_, _, body) = get(&app, path).await;
        assert!(!body.contains("cramp-care"), "{path} still lists it");
    }
    let (_, _, search) = get(&app, "/search?q=stretch&audience=patient").await;
    assert!(!search.contains("/articles/cramp-care"), "{search}");
    // Approving again brings it back.
    approve(root, "Dose checked.");
    let app = app_over(web::Data::new(AppState::load(root).unwrap())).await;
    let (status, _, _) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn a_broken_working_copy_leaves_the_approved_copy_live() {
    let dir = copy_of_valid();
    let root = dir.path();
    approve(root, "Reviewed.");
    std::fs::write(
        root.join("articles/cramp-care/patient.md"),
        "Broken [@no-such-reference].",
    )
    .unwrap();
    let site = healthpress::content::load_site(root).unwrap();
    assert!(
        site.diagnostics
            .iter()
            .any(|d| d.is_error() && d.message.contains("no-such-reference")),
        "check reports the working copy's error"
    );
    let app = app_over(web::Data::new(AppState::load(root).unwrap())).await;
    let (status, _, page) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Stretch your calf"),
        "the approved text stays up"
    );
    // Approving the broken text is refused.
    let refused = approve_article(
        root,
        "cramp-care",
        &["rev-one".into()],
        "x",
        Date::today(),
        None,
    )
    .expect_err("errors refuse an approval");
    assert!(
        refused.to_string().contains("no-such-reference"),
        "{refused}"
    );
}

#[actix_web::test]
async fn an_approved_copy_changed_by_hand_is_not_shown() {
    let dir = copy_of_valid();
    let root = dir.path();
    approve(root, "Reviewed.");
    replace_in(
        &root.join("approved/cramp-care/patient.md"),
        "Stretch",
        &format!("{EDIT} Stretch"),
    );
    let site = healthpress::content::load_site(root).unwrap();
    assert!(
        site.diagnostics
            .iter()
            .any(|d| d.is_error() && d.message.contains("changed by hand")),
        "{:#?}",
        site.diagnostics
    );
    let app = app_over(web::Data::new(AppState::load(root).unwrap())).await;
    let (status, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 404);
    assert!(!body.contains(EDIT));
}

#[test]
fn approve_refuses_unknown_reviewers_empty_notes_and_unknown_articles() {
    let dir = copy_of_valid();
    let root = dir.path();
    let refuse = |slug: &str, reviewer: &str, note: &str| {
        approve_article(
            root,
            slug,
            &[reviewer.to_string()],
            note,
            Date::today(),
            None,
        )
        .expect_err("refused")
        .to_string()
    };
    assert!(refuse("cramp-care", "nobody", "x").contains("unknown reviewer id `nobody`"));
    assert!(refuse("cramp-care", "rev-one", "  ").contains("note is empty"));
    assert!(refuse("no-such", "rev-one", "x").contains("no article folder"));
    assert!(refuse("../etc", "rev-one", "x").contains("not an article slug"));
    assert!(
        !root.join("approved/cramp-care").exists(),
        "nothing was written"
    );
}

#[test]
fn the_commands_record_approvals_and_withdrawals() {
    let dir = copy_of_valid();
    let root = dir.path();
    let run = |args: &[&str]| healthpress_on(root, args);
    let out = run(&[
        "approve",
        "cramp-care",
        "--reviewer",
        "rev-one",
        "--note",
        "First.",
        "--date",
        "2026-01-05",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record = std::fs::read_to_string(root.join("approved/cramp-care/approvals.toml")).unwrap();
    assert!(record.contains("date = 2026-01-05") && record.contains("reviewers = [\"rev-one\"]"));
    assert!(record.contains("fingerprint = \"sha256:"));
    for file in ["article.toml", "patient.md", "professional.md"] {
        assert_eq!(
            std::fs::read(root.join("approved/cramp-care").join(file)).unwrap(),
            std::fs::read(root.join("articles/cramp-care").join(file)).unwrap(),
            "{file} is copied byte for byte"
        );
    }
    let out = run(&[
        "approve",
        "cramp-care",
        "--reviewer",
        "ghost",
        "--note",
        "x",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown reviewer id `ghost`"));
    let out = run(&[
        "approve",
        "cramp-care",
        "--reviewer",
        "rev-one",
        "--note",
        "x",
        "--date",
        "2026-02-30",
    ]);
    assert!(!out.status.success(), "an impossible date is refused");
    let out = run(&["withdraw", "cramp-care", "--reason", "Recall"]);
    assert!(out.status.success());
    let record = std::fs::read_to_string(root.join("approved/cramp-care/approvals.toml")).unwrap();
    assert!(record.contains("[withdrawn]") && record.contains("reason = \"Recall\""));
}

/// Under `serve --watch`, an approval shows without a restart, and a withdrawal at once.
#[test]
fn approving_and_withdrawing_show_under_watch() {
    let dir = copy_of_valid();
    let root = dir.path();
    approve(root, "First.");
    edit_working(root);
    let server = Server::start(root, &["--watch"]);
    let (_, page) = server.get("/articles/cramp-care/patient");
    assert!(!page.contains(EDIT));
    let until = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(Instant::now() < deadline, "{what} did not show within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    approve(root, "Second.");
    until("the approval", &|| {
        server.get("/articles/cramp-care/patient").1.contains(EDIT)
    });
    assert!(
        server
            .get("/topics/muscles")
            .1
            .contains("/articles/cramp-care")
    );
    assert!(
        server
            .get("/sitemap.xml")
            .1
            .contains("/articles/cramp-care")
    );
    assert!(
        server
            .get("/search?q=cramp&audience=patient")
            .1
            .contains("/articles/cramp-care")
    );
    approval::withdraw(root, "cramp-care", "Recall", Date::today()).unwrap();
    until("the withdrawal", &|| {
        server.get("/articles/cramp-care/patient").0 == 410
    });
    // The topic pages, the sitemap and search follow on the server's other reload thread.
    until(
        "the withdrawal on the topic page and in the sitemap",
        &|| {
            !server
                .get("/topics/muscles")
                .1
                .contains("/articles/cramp-care")
                && !server
                    .get("/sitemap.xml")
                    .1
                    .contains("/articles/cramp-care")
        },
    );
    until("the withdrawal in search", &|| {
        let (status, found) = server.get("/search?q=cramp&audience=patient");
        status == 200 && !found.contains("/articles/cramp-care")
    });
}

#[test]
fn an_approved_article_without_a_record_is_served_with_a_warning() {
    let site = healthpress::content::load_site(&fixture("valid")).unwrap();
    assert!(site.public_article("cramp-care").is_some());
    assert!(site.diagnostics.iter().any(|d| !d.is_error()
        && d.path.ends_with("cramp-care/article.toml")
        && d.message.contains("no approval record")));
}

#[actix_web::test]
async fn an_approved_article_past_its_review_date_says_so() {
    let dir = copy_of_valid();
    make_overdue(dir.path());
    let app = app_over(web::Data::new(AppState::load(dir.path()).unwrap())).await;
    let (_, _, page) = get(&app, "/articles/cramp-care/patient").await;
    assert!(
        page.contains("Due for review since 1 January 2021"),
        "{page}"
    );
    assert!(page.contains("Stretch your calf"), "the text stays up");
}

#[test]
fn parity_check_catches_a_moved_decimal_and_a_changed_range() {
    let dir = copy_of_valid();
    let root = dir.path().join("articles/cramp-care");
    replace_in(
        &root.join("professional.md"),
        "First-line care is stretching. [@alpha]",
        "First-line care is stretching. [@alpha] If a drug is used, give 0.5 mg at night, or 200–300 mg a day. [@beta]",
    );
    replace_in(
        &root.join("patient.md"),
        "Stretch your calf when a cramp starts. [@beta]",
        "Stretch your calf when a cramp starts. [@beta] A doctor may give 5 mg at night, or 200 to 400 mg a day.",
    );
    let site = healthpress::content::load_site(dir.path()).unwrap();
    let parity: Vec<&str> = site
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("is not in professional.md"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(parity.len(), 2, "{parity:#?}");
    assert!(
        parity[0].contains("\"5 mg\"") && parity[0].contains("the introduction"),
        "{parity:?}"
    );
    assert!(parity[1].contains("\"200-400 mg/day\""), "{parity:?}");
    assert!(
        site.diagnostics.iter().all(|d| !d.is_error()),
        "warnings, not errors"
    );

    // The same figures written the same way are quiet.
    replace_in(
        &root.join("patient.md"),
        "A doctor may give 5 mg at night, or 200 to 400 mg a day.",
        "A doctor may give 0.50 mg at night, or 200 to 300 mg daily.",
    );
    let site = healthpress::content::load_site(dir.path()).unwrap();
    assert!(
        !site
            .diagnostics
            .iter()
            .any(|d| d.message.contains("is not in")),
        "{:#?}",
        site.diagnostics
    );
}

#[test]
fn parity_check_names_section_ids_missing_from_a_wording() {
    let dir = copy_of_valid();
    let root = dir.path().join("articles/cramp-care");
    replace_in(
        &root.join("patient.md"),
        "## When to get help {#when-to-get-help}",
        "## When to get help",
    );
    let site = healthpress::content::load_site(dir.path()).unwrap();
    assert!(
        site.diagnostics
            .iter()
            .any(|d| d.path.ends_with("patient.md")
                && d.message
                    .contains("has no section {#when-to-get-help}, which professional.md has")),
        "{:#?}",
        site.diagnostics
    );
}

#[test]
fn the_bundled_content_passes_the_parity_check() {
    let site = healthpress::content::load_site(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .as_path(),
    )
    .unwrap();
    let parity: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("is not in") || d.message.contains("has no section {#"))
        .collect();
    assert!(parity.is_empty(), "{parity:#?}");
}

mod editor_area {
    use super::*;
    use actix_web::cookie::Cookie;
    use actix_web::test::TestRequest;
    use common::{csrf_in, send};
    use healthpress::web::Options;
    use healthpress::web::editor::EditorState;
    use healthpress::web::editor::auth::{EditorAccess, Editors, hash_password};

    const PASSWORD: &str = "correct horse battery";

    fn setup(root: &Path) -> (web::Data<AppState>, web::Data<EditorState>) {
        let hash = hash_password(PASSWORD).unwrap();
        let editors = Editors::from_hashes(
            [
                ("alice".to_string(), hash.clone()),
                ("checker".to_string(), hash.clone()),
                ("okafor".to_string(), hash),
            ]
            .into(),
        )
        .with_reviewer("okafor", "rev-one")
        .with_reviewer("checker", "rev-two");
        let state = AppState::open(
            root,
            Options {
                keep_bodies: true,
                readability: true,
            },
        )
        .unwrap();
        (
            web::Data::new(state),
            web::Data::new(EditorState::new(
                EditorAccess::Accounts(editors),
                Vec::new(),
                common::store(),
            )),
        )
    }

    /// Signs `user` in through the form; returns the session cookie.
    async fn sign_in<S, B>(app: &S, user: &str) -> Cookie<'static>
    where
        S: actix_web::dev::Service<
                actix_http::Request,
                Response = actix_web::dev::ServiceResponse<B>,
                Error = actix_web::Error,
            >,
        B: actix_web::body::MessageBody,
    {
        let (_, headers, _) = get(app, "/editor/login").await;
        let login_cookie = header(&headers, "set-cookie").to_string();
        let (name, csrf) = login_cookie
            .split(';')
            .next()
            .unwrap()
            .split_once('=')
            .unwrap();
        let req = TestRequest::post()
            .uri("/editor/login")
            .cookie(Cookie::new(name.to_string(), csrf.to_string()))
            .set_form([
                ("username", user),
                ("password", PASSWORD),
                ("csrf", csrf),
                ("next", "/editor/"),
            ]);
        let (status, headers, _) = send(app, req).await;
        assert_eq!(status, 303, "{user} signs in");
        let cookie = header(&headers, "set-cookie").to_string();
        let (name, value) = cookie.split(';').next().unwrap().split_once('=').unwrap();
        Cookie::new(name.to_string(), value.to_string())
    }

    #[actix_web::test]
    async fn editors_see_the_diff_and_only_a_linked_reviewer_approves() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        edit_working(root);
        let (state, editors) = setup(root);
        let app = common::app_with(state.clone(), editors).await;
        let reviewer = sign_in(&app, "okafor").await;
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care")
            .cookie(reviewer.clone());
        let (status, _, page) = send(&app, req).await;
        assert_eq!(status, 200);
        assert!(page.contains("changed since approval"), "{page}");
        assert!(
            page.contains(&format!("<ins>{EDIT}</ins>")),
            "the word-level diff: {page}"
        );
        assert!(
            page.contains("action=\"/editor/articles/cramp-care/approve\""),
            "{page}"
        );
        let csrf = csrf_in(&page[page.find("approve-form").unwrap()..]);
        let fingerprint = fingerprint_in(&page);
        // The preview shows the working text, as readers would see it once approved.
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care/patient")
            .cookie(reviewer.clone());
        let (_, _, preview) = send(&app, req).await;
        assert!(preview.contains(EDIT));
        let req = TestRequest::get().uri("/editor/").cookie(reviewer.clone());
        let (_, _, dashboard) = send(&app, req).await;
        assert!(dashboard.contains("changed since approval"), "{dashboard}");

        // An unlinked account sees no Approve action, and its POST is refused.
        let alice = sign_in(&app, "alice").await;
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care")
            .cookie(alice.clone());
        let (_, _, page) = send(&app, req).await;
        assert!(!page.contains("approve-form"), "{page}");
        assert!(page.contains("Only an account linked to a reviewer can approve"));
        let alice_csrf = csrf_in(&page);
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/approve")
            .cookie(alice)
            .set_form([("csrf", alice_csrf.as_str()), ("note", "Sneaky")]);
        let (status, _, _) = send(&app, req).await;
        assert_eq!(status, 403);
        // A missing or wrong CSRF token is refused.
        for token in ["", "wrong"] {
            let req = TestRequest::post()
                .uri("/editor/articles/cramp-care/approve")
                .cookie(reviewer.clone())
                .set_form([("csrf", token), ("note", "No token")]);
            let (status, _, _) = send(&app, req).await;
            assert_eq!(status, 403, "csrf {token:?}");
        }
        let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
        assert!(!public.contains(EDIT), "nothing was approved");
        // An empty note is refused with its reason.
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/approve")
            .cookie(reviewer.clone())
            .set_form([
                ("csrf", csrf.as_str()),
                ("note", "   "),
                ("fingerprint", fingerprint.as_str()),
            ]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 422);
        assert!(body.contains("note is empty"), "{body}");

        // A form that does not say which text was reviewed approves nothing.
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/approve")
            .cookie(reviewer.clone())
            .set_form([("csrf", csrf.as_str()), ("note", "No fingerprint")]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("does not say which text you reviewed"),
            "{body}"
        );

        // The linked reviewer approves: the same as the command, then the page changes at once.
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/approve")
            .cookie(reviewer.clone())
            .set_form([
                ("csrf", csrf.as_str()),
                ("note", "Added a stretching line."),
                ("fingerprint", fingerprint.as_str()),
            ]);
        let (status, headers, _) = send(&app, req).await;
        assert_eq!(status, 303);
        assert_eq!(header(&headers, "location"), "/editor/articles/cramp-care");
        let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
        assert!(public.contains(EDIT));
        assert!(public.contains("Added a stretching line."));
        let record =
            std::fs::read_to_string(root.join("approved/cramp-care/approvals.toml")).unwrap();
        assert!(record.contains("Added a stretching line.") && record.contains("\"rev-one\""));
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care")
            .cookie(reviewer);
        let (_, _, page) = send(&app, req).await;
        assert!(page.contains("the working files are the same"), "{page}");
        // The editor page agrees with the public one.
        assert!(
            page.contains("Status: <strong>Approved</strong>"),
            "the editor page says Approved: {page}"
        );
        assert!(!page.contains("changed since approval"), "{page}");
    }

    /// An article nobody approved is never said to have "changed since approval".
    #[actix_web::test]
    async fn a_never_approved_article_has_not_changed_since_approval() {
        let dir = copy_of_valid();
        let root = dir.path();
        let (state, editors) = setup(root);
        let app = common::app_with(state.clone(), editors).await;
        let reviewer = sign_in(&app, "okafor").await;
        for uri in ["/editor/articles/cramp-care", "/editor/"] {
            let req = TestRequest::get().uri(uri).cookie(reviewer.clone());
            let (status, _, page) = send(&app, req).await;
            assert_eq!(status, 200);
            assert!(!page.contains("changed since approval"), "{uri}: {page}");
        }
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care")
            .cookie(reviewer);
        let (_, _, page) = send(&app, req).await;
        assert!(page.contains("No approval is recorded"), "{page}");
    }

    /// The fingerprint the Approve form on `page` carries.
    fn fingerprint_in(page: &str) -> String {
        let at = page
            .find("name=\"fingerprint\" value=\"")
            .expect("the Approve form carries a fingerprint");
        let rest = &page[at + "name=\"fingerprint\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// A working file changed after the reviewer opened the page is not approved: the server
    /// refuses, and a fresh page shows the new text (the server runs without `--watch`).
    #[actix_web::test]
    async fn approve_publishes_only_the_text_the_reviewer_was_shown() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        edit_working(root);
        let (state, editors) = setup(root);
        let app = common::app_with(state.clone(), editors).await;
        let reviewer = sign_in(&app, "okafor").await;
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care")
            .cookie(reviewer.clone());
        let (_, _, page) = send(&app, req).await;
        let csrf = csrf_in(&page[page.find("approve-form").unwrap()..]);
        let fingerprint = fingerprint_in(&page);
        assert!(fingerprint.starts_with("sha256:"), "{fingerprint}");

        // Another editor changes a working file after the reviewer opened the page.
        let injected = "INJECTED: take 10 times the usual dose.";
        replace_in(
            &root.join("articles/cramp-care/patient.md"),
            EDIT,
            &format!("{injected} {EDIT}"),
        );

        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/approve")
            .cookie(reviewer.clone())
            .set_form([
                ("csrf", csrf.as_str()),
                ("note", "Added a stretching line."),
                ("fingerprint", fingerprint.as_str()),
            ]);
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("the text changed since you opened this page"),
            "{body}"
        );
        let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
        assert!(!public.contains(injected) && !public.contains(EDIT));

        // Opened again, the page and the preview show the text on disk, injection included.
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care/patient")
            .cookie(reviewer.clone());
        let (_, _, preview) = send(&app, req).await;
        assert!(
            preview.contains(injected),
            "the preview is of the files on disk"
        );
        let req = TestRequest::get()
            .uri("/editor/articles/cramp-care")
            .cookie(reviewer.clone());
        let (_, _, page) = send(&app, req).await;
        assert!(page.contains("INJECTED"), "the diff shows it: {page}");
        assert_ne!(fingerprint_in(&page), fingerprint);
    }

    /// With two approvals required: the first reviewer's Approve records a first approval, the
    /// page and the queue say the article awaits a second reviewer, the first reviewer cannot
    /// approve again, and the second reviewer's Approve publishes it with both names.
    #[actix_web::test]
    async fn two_reviewers_approve_in_the_editor_area() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        replace_in(
            &root.join("site.toml"),
            "show_pending = true",
            "show_pending = true\napprovals_required = 2",
        );
        edit_working(root);
        let (state, editors) = setup(root);
        let claims = editors.store.clone();
        let app = common::app_with(state.clone(), editors).await;
        let post_approve = |cookie: Cookie<'static>, page: String, note: &'static str| {
            let csrf = csrf_in(&page[page.find("approve-form").unwrap()..]);
            let fingerprint = fingerprint_in(&page);
            TestRequest::post()
                .uri("/editor/articles/cramp-care/approve")
                .cookie(cookie)
                .set_form([
                    ("csrf", csrf.as_str()),
                    ("note", note),
                    ("fingerprint", fingerprint.as_str()),
                    ("publish_on", ""),
                ])
        };
        let page_for = |cookie: Cookie<'static>| {
            TestRequest::get()
                .uri("/editor/articles/cramp-care")
                .cookie(cookie)
        };
        let first = sign_in(&app, "okafor").await;
        let (_, _, page) = send(&app, page_for(first.clone())).await;
        assert!(
            page.contains("Give the first approval as Dr Ada Reviewer"),
            "{page}"
        );
        let (status, _, body) = send(
            &app,
            post_approve(first.clone(), page, "Added a stretching line."),
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
        assert!(!public.contains(EDIT), "one approval publishes nothing");
        let (_, _, page) = send(&app, page_for(first.clone())).await;
        assert!(page.contains("Awaiting a second reviewer"), "{page}");
        assert!(
            page.contains("You gave the first approval of this text"),
            "{page}"
        );
        assert!(
            !page.contains("approve-form"),
            "no second Approve for the same reviewer"
        );
        let second = sign_in(&app, "checker").await;
        // The second reviewer says they are reviewing it; publishing ends that.
        let (_, _, page) = send(&app, page_for(second.clone())).await;
        let csrf = csrf_in(&page[page.find("reviewing-form").unwrap()..]);
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/reviewing")
            .cookie(second.clone())
            .set_form([("csrf", csrf.as_str()), ("action", "start")]);
        assert_eq!(send(&app, req).await.0, 303);
        assert!(
            claims
                .review_claims()
                .await
                .unwrap()
                .contains_key("cramp-care")
        );
        // In the second reviewer's own queue, not assigned or not.
        let req = TestRequest::get()
            .uri("/editor/reviews")
            .cookie(second.clone());
        let (_, _, queue) = send(&app, req).await;
        assert!(queue.contains("Awaiting a second reviewer"), "{queue}");
        assert!(
            queue.contains("First approval by Dr Ada Reviewer"),
            "{queue}"
        );

        let (_, _, page) = send(&app, page_for(second.clone())).await;
        assert!(
            page.contains("Give the second approval as Sam Checker"),
            "{page}"
        );
        assert!(
            page.contains("leave it empty to keep the first reviewer’s note"),
            "{page}"
        );
        let (status, _, body) = send(&app, post_approve(second, page, "")).await;
        assert_eq!(status, 303, "{body}");
        let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
        assert!(public.contains(EDIT), "the second approval publishes");
        assert!(public.contains("Sam Checker") && public.contains("Dr Ada Reviewer"));
        assert!(public.contains("Added a stretching line."));
        assert!(
            !claims
                .review_claims()
                .await
                .unwrap()
                .contains_key("cramp-care"),
            "the review ends with the approval that publishes"
        );
    }

    /// The queue says who is reviewing what and since when; each reviewer has a private feed of
    /// reviews due soon, overdue ones, and articles awaiting their second approval.
    #[actix_web::test]
    async fn reviewers_say_what_they_review_and_get_their_reminders_in_a_private_feed() {
        let dir = copy_of_valid();
        let root = dir.path();
        let soon = time::OffsetDateTime::now_utc().date() + time::Duration::days(5);
        let soon = Date::new(soon.year(), u8::from(soon.month()), soon.day()).unwrap();
        replace_in(
            &root.join("articles/pending-topic/article.toml"),
            "assigned_to = [\"rev-two\"]\ndue = 2025-09-01",
            &format!(
                "assigned_to = [\"rev-one\", \"rev-two\"]\ndue = {}",
                soon.iso()
            ),
        );
        make_overdue(root);
        replace_in(
            &root.join("articles/cramp-care/article.toml"),
            "[review]",
            "[review]\nassigned_to = [\"rev-one\"]",
        );
        approve(root, "Reviewed in 2020.");
        replace_in(
            &root.join("site.toml"),
            "show_pending = true",
            "show_pending = true\napprovals_required = 2",
        );
        let (state, editors) = setup(root);
        let app = common::app_with(state.clone(), editors).await;
        let okafor = sign_in(&app, "okafor").await;

        // "I am reviewing this", then the queue shows it.
        let req = TestRequest::get()
            .uri("/editor/articles/pending-topic")
            .cookie(okafor.clone());
        let (_, _, page) = send(&app, req).await;
        let csrf = csrf_in(
            &page[page
                .find("reviewing-form")
                .unwrap_or_else(|| panic!("the claim form: {page}"))..],
        );
        let req = TestRequest::post()
            .uri("/editor/articles/pending-topic/reviewing")
            .cookie(okafor.clone())
            .set_form([("csrf", csrf.as_str()), ("action", "start")]);
        assert_eq!(send(&app, req).await.0, 303);
        let req = TestRequest::get()
            .uri("/editor/reviews?reviewer=")
            .cookie(okafor.clone());
        let (_, _, queue) = send(&app, req).await;
        assert!(queue.contains("Being reviewed by"), "{queue}");
        assert!(queue.contains("Dr Ada Reviewer, since"), "{queue}");

        // A private feed: made, shown once, readable without a session.
        let make_feed = |cookie: Cookie<'static>, csrf: String, action: &'static str| {
            TestRequest::post()
                .uri("/editor/reviews/feed")
                .cookie(cookie)
                .set_form([("csrf", csrf), ("action", action.to_string())])
        };
        let feed_of = |location: &str| {
            let at = location.find("feed=").expect("the new feed") + "feed=".len();
            location[at..].split('#').next().unwrap().to_string()
        };
        let req = TestRequest::get()
            .uri("/editor/reviews")
            .cookie(okafor.clone());
        let (_, _, queue) = send(&app, req).await;
        assert!(queue.contains("Make my feed address"), "{queue}");
        let csrf = csrf_in(&queue[queue.find("/editor/reviews/feed").unwrap()..]);
        let (status, headers, _) =
            send(&app, make_feed(okafor.clone(), csrf.clone(), "start")).await;
        assert_eq!(status, 303);
        let location = header(&headers, "location").to_string();
        let token = feed_of(&location);
        let req = TestRequest::get().uri(&location).cookie(okafor.clone());
        let (_, _, queue) = send(&app, req).await;
        assert!(
            queue.contains(&format!("https://health.example.org/reviewer-feed/{token}")),
            "{queue}"
        );
        let (status, headers, feed) = get(&app, &format!("/reviewer-feed/{token}")).await;
        assert_eq!(status, 200, "{feed}");
        assert!(header(&headers, "content-type").starts_with("application/atom+xml"));
        assert_eq!(header(&headers, "cache-control"), "no-store");
        let doc = roxmltree::Document::parse(&feed).expect("well-formed Atom");
        let titles: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|e| {
                e.children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .map(str::to_string)
            })
            .collect();
        assert_eq!(
            titles,
            [
                "Overdue review: Cramp care (due 1 January 2021)".to_string(),
                format!("Review due on {}: Pending topic", soon.in_words()),
            ]
        );

        // A first approval puts the article in the other reviewer's feed, not the first's.
        approve_article(
            root,
            "pending-topic",
            &["rev-one".to_string()],
            "Checked.",
            Date::today(),
            None,
        )
        .unwrap();
        state.reload().unwrap();
        let (_, _, feed) = get(&app, &format!("/reviewer-feed/{token}")).await;
        assert!(!feed.contains("Awaiting a second reviewer"), "{feed}");
        let checker = sign_in(&app, "checker").await;
        let req = TestRequest::get()
            .uri("/editor/reviews")
            .cookie(checker.clone());
        let (_, _, queue) = send(&app, req).await;
        let checker_csrf = csrf_in(&queue[queue.find("/editor/reviews/feed").unwrap()..]);
        let (_, headers, _) = send(&app, make_feed(checker.clone(), checker_csrf, "start")).await;
        let checker_token = feed_of(header(&headers, "location"));
        let (_, _, feed) = get(&app, &format!("/reviewer-feed/{checker_token}")).await;
        assert!(
            feed.contains("Awaiting a second reviewer: Pending topic"),
            "{feed}"
        );
        assert!(
            !feed.contains("Cramp care"),
            "not assigned to rev-two: {feed}"
        );

        // A new address revokes the old one; stopping revokes it too.
        let (_, headers, _) = send(&app, make_feed(okafor.clone(), csrf.clone(), "start")).await;
        let newer = feed_of(header(&headers, "location"));
        assert_eq!(get(&app, &format!("/reviewer-feed/{token}")).await.0, 404);
        assert_eq!(get(&app, &format!("/reviewer-feed/{newer}")).await.0, 200);
        send(&app, make_feed(okafor.clone(), csrf, "stop")).await;
        assert_eq!(get(&app, &format!("/reviewer-feed/{newer}")).await.0, 404);
        // An account not linked to a reviewer has no feed.
        let alice = sign_in(&app, "alice").await;
        let req = TestRequest::get()
            .uri("/editor/reviews")
            .cookie(alice.clone());
        let (_, _, queue) = send(&app, req).await;
        assert!(!queue.contains("/editor/reviews/feed"), "{queue}");
    }

    #[test]
    fn the_editors_file_links_accounts_to_reviewers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("editors.toml");
        let hash = hash_password("pw").unwrap();
        std::fs::write(
            &path,
            format!("[editors]\nsam = \"{hash}\"\nokafor = {{ hash = \"{hash}\", reviewer = \"rev-one\" }}\n"),
        )
        .unwrap();
        let editors = Editors::load(&path).unwrap();
        assert_eq!(editors.reviewer_of("okafor"), Some("rev-one".to_string()));
        assert_eq!(editors.reviewer_of("sam"), None);
        std::fs::write(
            &path,
            format!("[editors]\nokafor = {{ hash = \"{hash}\", reviewer = \"Not An Id\" }}\n"),
        )
        .unwrap();
        assert!(
            Editors::load(&path)
                .unwrap_err()
                .contains("not a reviewer id")
        );
    }

    /// A reviewer sends an article back with a note: kept beside the approvals, shown on its editor
    /// page and in the queue, never to readers; editing the working files answers it.
    #[actix_web::test]
    async fn a_reviewer_sends_an_article_back_with_a_note() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        edit_working(root);
        let (state, editors) = setup(root);
        let app = common::app_with(state.clone(), editors).await;
        let reviewer = sign_in(&app, "okafor").await;
        let page = |cookie: Cookie<'static>| {
            TestRequest::get()
                .uri("/editor/articles/cramp-care")
                .cookie(cookie)
        };
        let (_, _, body) = send(&app, page(reviewer.clone())).await;
        assert!(
            body.contains("action=\"/editor/articles/cramp-care/request-changes\""),
            "{body}"
        );
        let csrf = csrf_in(&body[body.find("request-changes-form").unwrap()..]);
        let fingerprint = fingerprint_in(&body);
        // Without the fingerprint of the text read, nothing is recorded.
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/request-changes")
            .cookie(reviewer.clone())
            .set_form([("csrf", csrf.as_str()), ("note", "Cite the dose.")]);
        assert_eq!(send(&app, req).await.0, 422);
        let note = "The new stretching line needs a source.";
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/request-changes")
            .cookie(reviewer.clone())
            .set_form([
                ("csrf", csrf.as_str()),
                ("note", note),
                ("fingerprint", fingerprint.as_str()),
            ]);
        let (status, headers, _) = send(&app, req).await;
        assert_eq!(status, 303);
        assert_eq!(header(&headers, "location"), "/editor/articles/cramp-care");
        let kept = std::fs::read_to_string(root.join("approved/cramp-care/changes-requested.toml"))
            .expect("kept beside the approvals");
        assert!(kept.contains(note) && kept.contains("rev-one"), "{kept}");
        let (_, _, body) = send(&app, page(reviewer.clone())).await;
        assert!(
            body.contains("Status: <strong>Changes requested</strong>"),
            "{body}"
        );
        assert!(
            body.contains("Changes requested.</strong> Dr Ada Reviewer asked for changes"),
            "{body}"
        );
        assert!(body.contains(note));
        let req = TestRequest::get()
            .uri("/editor/reviews?reviewer=")
            .cookie(reviewer.clone());
        let (_, _, queue) = send(&app, req).await;
        assert!(queue.contains("Changes requested"), "{queue}");
        // Readers see no change.
        let (_, _, public) = get(&app, "/articles/cramp-care/patient").await;
        assert!(!public.contains(note) && !public.contains(EDIT));
        // An unlinked account cannot send it back.
        let alice = sign_in(&app, "alice").await;
        let (_, _, alice_page) = send(&app, page(alice.clone())).await;
        assert!(!alice_page.contains("request-changes-form"));
        let req = TestRequest::post()
            .uri("/editor/articles/cramp-care/request-changes")
            .cookie(alice)
            .set_form([
                ("csrf", csrf_in(&alice_page).as_str()),
                ("note", "Sneaky"),
                ("fingerprint", fingerprint.as_str()),
            ]);
        assert_eq!(send(&app, req).await.0, 403);
        // Editing the working files answers the request: it no longer stands.
        replace_in(
            &root.join("articles/cramp-care/patient.md"),
            EDIT,
            "Stretching helps.",
        );
        let (_, _, body) = send(&app, page(reviewer)).await;
        assert!(
            !body.contains("Status: <strong>Changes requested</strong>"),
            "{body}"
        );
        assert!(body.contains("Changes were requested.</strong>"), "{body}");
    }
}

#[test]
fn check_warns_when_the_approved_text_is_due_for_review() {
    let dir = copy_of_valid();
    make_overdue(dir.path());
    approve(dir.path(), "Reviewed.");
    let (passed, text) = common::check_strict(dir.path());
    assert!(
        text.contains("was due for review on 1 January 2021"),
        "{text}"
    );
    assert!(!passed, "--strict fails");
}

/// `healthpress request-changes` records a reviewer's note beside the approvals; `check` stays
/// clean (readers see no change), drafts and unknown reviewers are refused, and an approval clears it.
#[test]
fn request_changes_from_the_command_line() {
    let dir = copy_of_valid();
    let root = dir.path();
    let run = |args: &[&str]| healthpress_on(root, args);
    let out = run(&[
        "request-changes",
        "cramp-care",
        "--reviewer",
        "rev-two",
        "--note",
        "Add the dose in mg.",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let request = approval::read_change_request(root, "cramp-care").expect("recorded");
    assert_eq!(request.reviewer, "rev-two");
    assert_eq!(request.note, "Add the dose in mg.");
    assert_eq!(
        request.fingerprint,
        approval::fingerprint(&root.join("articles/cramp-care")).unwrap()
    );
    let site = healthpress::content::load_site(root).unwrap();
    assert!(
        !site
            .diagnostics
            .iter()
            .any(|d| d.path.ends_with("changes-requested.toml")),
        "{:#?}",
        site.diagnostics
    );
    for (slug, reviewer, says) in [
        ("secret-draft", "rev-one", "is a draft"),
        ("cramp-care", "nobody", "unknown reviewer id"),
    ] {
        let out = run(&[
            "request-changes",
            slug,
            "--reviewer",
            reviewer,
            "--note",
            "x",
        ]);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{slug}"
        );
    }
    // Approving replaces the approved folder: the request is answered.
    approve(root, "Dose added.");
    assert!(approval::read_change_request(root, "cramp-care").is_none());
}

/// A second pair of eyes (`approvals_required`) and scheduled publishing (`--publish-on`).
mod second_reviewer_and_schedule {
    use super::*;
    use healthpress::content::approval::{Approved, Approving};
    use healthpress::content::{Moment, Waiting, approve_article_as, review_queue};

    fn approve_as(root: &Path, reviewer: &str, note: &str) -> Result<Approved, String> {
        approve_article(
            root,
            "cramp-care",
            &[reviewer.to_string()],
            note,
            Date::today(),
            None,
        )
        .map(|(a, _)| a)
        .map_err(|r| r.to_string())
    }

    fn require_two(root: &Path) {
        replace_in(
            &root.join("site.toml"),
            "show_pending = true",
            "show_pending = true\napprovals_required = 2",
        );
    }

    async fn patient_page(root: &Path) -> String {
        let app = app_over(web::Data::new(AppState::load(root).unwrap())).await;
        get(&app, "/articles/cramp-care/patient").await.2
    }

    #[actix_web::test]
    async fn with_two_required_the_first_approval_publishes_nothing_and_a_second_reviewer_publishes()
     {
        let dir = copy_of_valid();
        let root = dir.path();
        // Both reviewers at once (the command may name several) publish the first text.
        approve_article(
            root,
            "cramp-care",
            &["rev-one".to_string(), "rev-two".to_string()],
            "First reviewed text.",
            Date::today(),
            None,
        )
        .unwrap();
        require_two(root);
        edit_working(root);

        let first = approve_as(root, "rev-one", "Added a line on stretching.").unwrap();
        assert!(
            matches!(
                first,
                Approved::First {
                    required: 2,
                    replaced: None,
                    ..
                }
            ),
            "{first:?}"
        );
        assert!(
            !patient_page(root).await.contains(EDIT),
            "one approval publishes nothing"
        );
        let site = healthpress::content::load_site(root).unwrap();
        let queue = review_queue(&site, Date::today());
        let entry = queue
            .iter()
            .find(|e| e.article.slug == "cramp-care")
            .expect("in the queue");
        assert_eq!(
            entry.waiting,
            Waiting::AwaitingSecondReviewer(Date::today())
        );

        // The same reviewer twice is refused, and nothing changes.
        let again = approve_as(root, "rev-one", "Me again.").unwrap_err();
        assert!(
            again.contains("a different reviewer must give the second approval"),
            "{again}"
        );
        assert!(!patient_page(root).await.contains(EDIT));

        // Another reviewer, the same text: published, naming both, with the first reviewer's note.
        let second = approve_as(root, "rev-two", "").unwrap();
        let Approved::Published(approval) = second else {
            panic!("published: {second:?}")
        };
        assert_eq!(approval.reviewers, ["rev-one", "rev-two"]);
        assert_eq!(approval.note, "Added a line on stretching.");
        let page = patient_page(root).await;
        assert!(page.contains(EDIT), "the second approval publishes");
        assert!(page.contains("Dr Ada Reviewer") && page.contains("Sam Checker"));
        assert!(
            !root
                .join("approved/cramp-care")
                .join(approval::FIRST_APPROVAL_FILE)
                .exists(),
            "the first approval is used up"
        );
    }

    #[actix_web::test]
    async fn a_second_approval_of_a_different_text_publishes_nothing() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        require_two(root);
        edit_working(root);
        approve_as(root, "rev-one", "Added a line.").unwrap();
        // The text changes after the first approval: the second reviewer's approval is of another
        // text, so it only starts the count again.
        replace_in(
            &root.join("articles/cramp-care/patient.md"),
            EDIT,
            "ANOTHEREDIT",
        );
        let second = approve_as(root, "rev-two", "Another line.").unwrap();
        match &second {
            Approved::First {
                replaced: Some(old),
                ..
            } => assert_eq!(old.reviewers, ["rev-one"]),
            other => panic!("a first approval replacing rev-one's: {other:?}"),
        }
        let page = patient_page(root).await;
        assert!(
            !page.contains("ANOTHEREDIT") && !page.contains(EDIT),
            "nothing published"
        );
        // The command says so.
        let out = healthpress_on(
            root,
            &[
                "approve",
                "cramp-care",
                "--reviewer",
                "rev-two",
                "--note",
                "Again.",
            ],
        );
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && text.contains("already approved this text"),
            "{text}"
        );
    }

    #[test]
    fn an_article_may_raise_the_number_of_approvals_but_not_lower_it() {
        let dir = copy_of_valid();
        let root = dir.path();
        let toml = root.join("articles/cramp-care/article.toml");
        replace_in(&toml, "[review]", "[review]\napprovals_required = 2");
        let out = healthpress_on(
            root,
            &[
                "approve",
                "cramp-care",
                "--reviewer",
                "rev-one",
                "--note",
                "Checked.",
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(
            text.contains("recorded the first approval")
                && text.contains("nothing is published yet"),
            "{text}"
        );
        assert!(!root.join("approved/cramp-care/approvals.toml").exists());

        replace_in(&toml, "approvals_required = 2", "approvals_required = 1");
        require_two(root);
        let site = healthpress::content::load_site(root).unwrap();
        assert_eq!(
            site.working_article("cramp-care")
                .unwrap()
                .review
                .approvals_required,
            2
        );
        assert!(
            site.diagnostics
                .iter()
                .any(|d| d.message.contains("may raise it, not lower it")),
            "{:#?}",
            site.diagnostics
        );
        replace_in(&toml, "approvals_required = 1", "approvals_required = 9");
        let (ok, report) = common::check_strict(root);
        assert!(
            !ok && report.contains("`approvals_required` is 9"),
            "{report}"
        );
    }

    fn schedule(root: &Path, at: &str) -> Result<Approved, String> {
        approve_article_as(
            root,
            &Approving {
                slug: "cramp-care",
                reviewers: &["rev-one".to_string()],
                note: "Added a line on stretching.",
                date: Date::today(),
                expected: None,
                publish_at: Moment::parse(at),
            },
        )
        .map(|(a, _)| a)
        .map_err(|r| r.to_string())
    }

    /// Readers keep the approved text until the scheduled minute; a running server publishes it
    /// then (its clock set to just before, by `HEALTHPRESS_NOW`), and a build after it has it.
    #[test]
    fn a_scheduled_approval_goes_live_at_its_minute() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        edit_working(root);
        let approved = schedule(root, "2099-01-01T09:00Z").unwrap();
        assert_eq!(
            approved.approval().publish_at,
            Moment::parse("2099-01-01T09:00Z")
        );

        // Before its time: the approved text, on a server and in a build.
        let server =
            Server::start_with_env(root, &[], &[("HEALTHPRESS_NOW", "2099-01-01T08:59:57Z")]);
        let (status, page) = server.get("/articles/cramp-care/patient");
        assert_eq!(status, 200);
        assert!(!page.contains(EDIT), "not live before its time");
        let build = |now: &str| {
            let out = tempfile::tempdir().unwrap();
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
                .args(["build", "--content"])
                .arg(root)
                .arg("--out")
                .arg(out.path())
                .env("HEALTHPRESS_NOW", now)
                .output()
                .unwrap();
            assert!(
                status.status.success(),
                "{}",
                String::from_utf8_lossy(&status.stderr)
            );
            let said = String::from_utf8_lossy(&status.stderr);
            assert_eq!(
                said.contains(
                    "this export does not have them: build again after 1 January 2099 at 09:00 UTC"
                ),
                now < "2099-01-01T09:00",
                "the export says it lacks the scheduled text: {said}"
            );
            let page = std::fs::read_to_string(out.path().join("articles/cramp-care/patient.html"))
                .or_else(|_| {
                    std::fs::read_to_string(
                        out.path().join("articles/cramp-care/patient/index.html"),
                    )
                })
                .unwrap();
            page.contains(EDIT)
        };
        assert!(!build("2099-01-01T08:59Z"));

        // At its minute, the running server publishes it with no file changing.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, page) = server.get("/articles/cramp-care/patient");
            if page.contains(EDIT) {
                assert!(
                    page.contains("Added a line on stretching."),
                    "What changed lists it"
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the scheduled text never went live"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        assert!(build("2099-01-01T09:00Z"));
    }

    #[actix_web::test]
    async fn a_scheduled_approval_waits_and_withdrawing_acts_at_once() {
        let dir = copy_of_valid();
        let root = dir.path();
        approve(root, "First reviewed text.");
        edit_working(root);
        let past = schedule(root, "2020-01-01T09:00Z").unwrap_err();
        assert!(past.contains("has passed"), "{past}");
        schedule(root, "2099-01-01T09:00Z").unwrap();
        let page = patient_page(root).await;
        assert!(
            page.contains("First reviewed text.") && !page.contains(EDIT),
            "the approved text until then"
        );
        assert!(
            !page.contains("Added a line on stretching."),
            "What changed waits too"
        );
        let site = healthpress::content::load_site(root).unwrap();
        let state = &site.records["cramp-care"];
        assert!(state.scheduled_current().is_some());
        assert!(
            !review_queue(&site, Date::today())
                .iter()
                .any(|e| e.article.slug == "cramp-care"),
            "a scheduled approval waits for its time, not for a review"
        );

        // Withdrawing acts at once, and cancels the schedule.
        let out = healthpress_on(
            root,
            &["withdraw", "cramp-care", "--reason", "Dose error found."],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let app = app_over(web::Data::new(AppState::load(root).unwrap())).await;
        let (status, _, _) = get(&app, "/articles/cramp-care/patient").await;
        assert_eq!(status, 410, "withdrawn at once");
        let record = approval::read_record(root, "cramp-care").unwrap().unwrap();
        assert!(
            record.approvals.iter().all(|a| a.publish_at.is_none()),
            "{record:?}"
        );
        assert!(
            !root
                .join("approved/cramp-care")
                .join(approval::SCHEDULED_DIR)
                .exists()
        );

        // The command refuses a time that has passed, and says when a schedule goes live.
        let out = healthpress_on(
            root,
            &[
                "approve",
                "cramp-care",
                "--reviewer",
                "rev-one",
                "--note",
                "Fixed.",
                "--publish-on",
                "2099-02-01T10:30Z",
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("readers keep the previous text until 1 February 2099 at 10:30 UTC"),
            "{text}"
        );
        let (status, _, _) = get(
            &app_over(web::Data::new(AppState::load(root).unwrap())).await,
            "/articles/cramp-care/patient",
        )
        .await;
        assert_eq!(
            status, 410,
            "still withdrawn until the scheduled approval goes live"
        );
    }
}
