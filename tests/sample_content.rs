//! Honest sample content and a trail of checked sources: the site-wide notice on every kind of page,
//! sample reviewers named as such, `checked_on` dates on references, and the dashboard's list of
//! sources to check.

mod common;

use actix_web::web;
use common::{copy_dir, fixture, get};
use healthpress::content::{Diagnostic, load_site};
use healthpress::web::editor::EditorState;
use healthpress::web::editor::auth::EditorAccess;
use healthpress::web::{AppState, Options};
use std::path::Path;

/// A copy of the `valid` fixture, changed by `edit` before anything loads it.
fn valid_copy(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    edit(dir.path());
    dir
}

/// Inserts `line` into the table that starts with `header` (a line of `path`).
fn insert_after(path: &Path, header: &str, line: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(header), "{header} in {}", path.display());
    std::fs::write(path, s.replacen(header, &format!("{header}\n{line}"), 1)).unwrap();
}

/// Sets `notice` in the copy's `site.toml` (before its first `[[audiences]]` table).
fn set_notice(root: &Path, notice: &str) {
    insert_after(
        &root.join("site.toml"),
        "show_pending = true",
        &format!("notice = {notice:?}"),
    );
}

fn open_state(root: &Path) -> web::Data<AppState> {
    web::Data::new(
        AppState::open(
            root,
            Options {
                keep_bodies: true,
                readability: true,
            },
        )
        .expect("loads"),
    )
}

/// The app with the editor area open, as `preview` runs it.
async fn app(
    state: web::Data<AppState>,
) -> impl actix_web::dev::Service<
    actix_http::Request,
    Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    Error = actix_web::Error,
> {
    let editors = EditorState::new(EditorAccess::Open, Vec::new(), common::store());
    common::app_with(state, web::Data::new(editors)).await
}

fn diagnostics(root: &Path) -> Vec<Diagnostic> {
    match load_site(root) {
        Ok(site) => site.into_diagnostics(),
        Err(e) => e.diagnostics,
    }
}

/// `today` moved by `days` (negative: earlier), as a TOML date.
fn day(days: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

const NOTICE: &str = "Sample <b>site</b> & \"friends\": the reviewers are fictional.";
const NOTICE_ESCAPED: &str =
    "Sample &#60;b&#62;site&#60;/b&#62; &#38; &#34;friends&#34;: the reviewers are fictional.";

#[actix_web::test]
async fn notice_is_shown_escaped_on_every_kind_of_page() {
    let dir = valid_copy(|root| set_notice(root, NOTICE));
    let app = app(open_state(dir.path())).await;
    let pages = [
        ("/", 200),
        ("/articles", 200),
        ("/topics", 200),
        ("/topics/muscles", 200),
        ("/search?q=cramp&audience=patient", 200),
        ("/pages/editorial-policy", 200),
        ("/articles/cramp-care/patient", 200),
        ("/articles/cramp-care/professional", 200),
        ("/no-such-page", 404),
        ("/articles/no-such-article/patient", 404),
        ("/editor/", 200),
        ("/editor/articles/cramp-care", 200),
        ("/editor/sandbox", 200),
    ];
    for (path, expected) in pages {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, expected, "{path}");
        let banner = body
            .split("<aside class=\"site-notice\" aria-label=\"Notice about this site\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{path}: no site notice in {body}"));
        let banner = banner.split("</aside>").next().unwrap();
        assert!(
            banner.contains(NOTICE_ESCAPED),
            "{path}: notice not escaped as expected: {banner}"
        );
        assert!(
            !body.contains("<b>site</b>"),
            "{path}: markup in the notice must not be live"
        );
    }

    // A site without a notice has no banner.
    let plain = common::app(open_state(&fixture("valid"))).await;
    for path in ["/", "/articles/cramp-care/patient", "/editor/"] {
        let (_, _, body) = get(&plain, path).await;
        assert!(!body.contains("site-notice"), "{path}");
    }
}

#[test]
fn notice_is_validated() {
    let long = "x".repeat(301);
    for (notice, needle) in [
        ("   ", "`notice` is empty"),
        (long.as_str(), "over the limit of 300"),
        ("two\nlines", "on one line"),
    ] {
        let dir = valid_copy(|root| set_notice(root, notice));
        let all = diagnostics(dir.path());
        assert!(
            all.iter().any(|d| d.is_error()
                && d.message.contains(needle)
                && d.path.ends_with("site.toml")),
            "{notice:?}: {all:#?}"
        );
    }
    let dir = valid_copy(|root| set_notice(root, NOTICE));
    let all = diagnostics(dir.path());
    assert!(
        all.iter()
            .any(|d| !d.is_error() && d.message.contains("shown as plain text")),
        "markup in the notice is a warning: {all:#?}"
    );
}

#[actix_web::test]
async fn sample_reviewers_are_named_as_such_and_left_out_of_structured_data() {
    let dir = valid_copy(|root| {
        insert_after(
            &root.join("reviewers.toml"),
            "credentials = \"MD, Neurology\"",
            "sample = true",
        )
    });
    let app = app(open_state(dir.path())).await;
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert!(
        body.contains("Dr Ada Reviewer, MD, Neurology <em class=\"sample-reviewer\">(fictional sample reviewer)</em>"),
        "{body}"
    );
    assert!(
        !body.contains("Sam Checker, PharmD <em"),
        "a real reviewer is not marked: {body}"
    );
    let json = body
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(json).unwrap();
    let names: Vec<_> = ld["reviewedBy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Sam Checker"]);
}

/// The error for `checked_on = <value>` on the first reference of `cramp-care`.
fn checked_on_problems(value: &str) -> Vec<Diagnostic> {
    let dir = valid_copy(|root| {
        insert_after(
            &root.join("articles/cramp-care/article.toml"),
            "key = \"alpha\"",
            &format!("checked_on = {value}"),
        )
    });
    diagnostics(dir.path())
        .into_iter()
        .filter(|d| d.is_error() && d.path.ends_with("cramp-care/article.toml"))
        .collect()
}

#[test]
fn checked_on_must_be_a_real_date_in_the_past() {
    assert!(checked_on_problems(&day(0)).is_empty(), "today is fine");
    assert!(
        checked_on_problems(&day(-30)).is_empty(),
        "a past date is fine"
    );

    let future = checked_on_problems(&day(2));
    assert!(
        future
            .iter()
            .any(|d| d.message.contains("reference `alpha`: `checked_on`")
                && d.message.contains("is in the future")),
        "{future:#?}"
    );

    let impossible = checked_on_problems("2025-02-30");
    assert!(
        impossible
            .iter()
            .any(|d| d.message.contains("invalid TOML") && d.line.is_some()),
        "{impossible:#?}"
    );

    let text = checked_on_problems("\"last Tuesday\"");
    assert!(
        text.iter().any(|d| d.message.contains("invalid TOML")),
        "{text:#?}"
    );

    let with_time = checked_on_problems("2025-01-01T10:00:00");
    assert!(
        with_time
            .iter()
            .any(|d| d.message.contains("no time of day")),
        "{with_time:#?}"
    );

    let before_publication = checked_on_problems("2019-06-01");
    assert!(
        before_publication
            .iter()
            .any(|d| d.message.contains("before the source's `year` 2020")),
        "{before_publication:#?}"
    );
}

/// The dashboard's rows of sources to check, as text.
fn source_rows(body: &str) -> Vec<String> {
    body.split("<tr class=\"source-check\">")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn dashboard_lists_stale_references_and_old_guidelines_but_not_fresh_ones() {
    let year = time::OffsetDateTime::now_utc().year();
    let dir = valid_copy(|root| {
        let toml = root.join("articles/cramp-care/article.toml");
        // alpha: a guideline checked two days ago, but published 10 years ago.
        let s = std::fs::read_to_string(&toml)
            .unwrap()
            .replace("year = 2020", &format!("year = {}", year - 10));
        std::fs::write(&toml, s).unwrap();
        insert_after(
            &toml,
            "key = \"alpha\"",
            &format!("checked_on = {}", day(-2)),
        );
        // beta: research last checked 400 days ago.
        insert_after(
            &toml,
            "key = \"beta\"",
            &format!("checked_on = {}", day(-400)),
        );
        // gamma: checked today.
        insert_after(
            &toml,
            "key = \"gamma\"",
            &format!("checked_on = {}", day(0)),
        );
    });
    let app = app(open_state(dir.path())).await;
    let (status, _, body) = get(&app, "/editor/").await;
    assert_eq!(status, 200);
    assert!(body.contains("Sources to check"), "{body}");
    let cramp: Vec<String> = source_rows(&body)
        .into_iter()
        .filter(|r| r.contains("href=\"/editor/articles/cramp-care\""))
        .collect();
    let with = |key: &str| -> Vec<&String> {
        cramp
            .iter()
            .filter(|r| r.contains(&format!("<code>{key}</code>")))
            .collect()
    };
    let alpha = with("alpha");
    assert_eq!(alpha.len(), 1, "{cramp:#?}");
    assert!(
        alpha[0].contains("Cramp care"),
        "names the article: {}",
        alpha[0]
    );
    assert!(
        alpha[0].contains("Alpha guideline on cramps"),
        "names the reference"
    );
    assert!(alpha[0].contains("10 years old"), "{}", alpha[0]);
    let beta = with("beta");
    assert_eq!(beta.len(), 1, "{cramp:#?}");
    assert!(beta[0].contains("Last checked"), "{}", beta[0]);
    assert!(
        with("gamma").is_empty(),
        "a fresh reference is not listed: {cramp:#?}"
    );

    // Another article's references have no `checked_on`: listed as never checked.
    assert!(
        source_rows(&body)
            .iter()
            .any(|r| r.contains("/editor/articles/pending-topic") && r.contains("Never checked")),
        "{body}"
    );
}

#[actix_web::test]
async fn source_check_thresholds_come_from_site_toml() {
    let dir = valid_copy(|root| {
        insert_after(
            &root.join("site.toml"),
            "show_pending = true",
            "recheck_sources_after_days = 1000\nold_guideline_years = 50",
        );
        let toml = root.join("articles/cramp-care/article.toml");
        insert_after(
            &toml,
            "key = \"alpha\"",
            &format!("checked_on = {}", day(-400)),
        );
    });
    let app = app(open_state(dir.path())).await;
    let (_, _, body) = get(&app, "/editor/").await;
    assert!(body.contains("not checked in the last 1000 days"), "{body}");
    assert!(
        !source_rows(&body)
            .iter()
            .any(|r| r.contains("/editor/articles/cramp-care") && r.contains("<code>alpha</code>")),
        "within the site's own recheck period and guideline age: {body}"
    );
}

/// A reference with neither a DOI, a PMID nor a URL is listed, however recently it was checked:
/// readers cannot find it.
#[actix_web::test]
async fn dashboard_lists_references_with_no_doi_pmid_or_url() {
    let dir = valid_copy(|root| {
        let toml = root.join("articles/cramp-care/article.toml");
        // gamma loses its URL; alpha (DOI) and beta (PMID) keep theirs. All checked today.
        let s = std::fs::read_to_string(&toml)
            .unwrap()
            .replace("url = \"https://gamma.example.org/review\"\n", "");
        std::fs::write(&toml, s).unwrap();
        for key in ["alpha", "beta", "gamma"] {
            insert_after(
                &toml,
                &format!("key = \"{key}\""),
                &format!("checked_on = {}", day(0)),
            );
        }
    });
    let app = app(open_state(dir.path())).await;
    let (status, _, body) = get(&app, "/editor/").await;
    assert_eq!(status, 200);
    let cramp: Vec<String> = source_rows(&body)
        .into_iter()
        .filter(|r| {
            r.contains("href=\"/editor/articles/cramp-care\"") && r.contains("No DOI, PMID or URL")
        })
        .collect();
    assert_eq!(cramp.len(), 1, "only gamma: {cramp:#?}");
    assert!(cramp[0].contains("<code>gamma</code>"), "{}", cramp[0]);
}

/// Clinician pages have a summary written for clinicians, not the patient summary.
#[actix_web::test]
async fn each_bundled_wording_has_its_own_summary() {
    let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let site = load_site(&content).unwrap();
    let state = web::Data::new(AppState::load(&content).unwrap());
    let app = common::app(state).await;
    for article in site.articles.values() {
        let professional = article
            .wording("professional")
            .expect("a professional wording");
        let own = professional
            .summary
            .as_deref()
            .unwrap_or_else(|| panic!("{}: the professional wording has no summary", article.slug));
        assert_ne!(own, article.summary);
        let (status, _, page) =
            get(&app, &format!("/articles/{}/professional", article.slug)).await;
        assert_eq!(status, 200);
        let escaped = own.replace('\'', "&#x27;").replace('"', "&quot;");
        assert!(
            page.contains(own) || page.contains(&escaped),
            "{}: the clinician page shows its own summary",
            article.slug
        );
        let patient_summary = article.summary.replace('\'', "&#x27;");
        assert!(
            !page.contains(&article.summary) && !page.contains(&patient_summary),
            "{}: the clinician page does not reuse the patient summary",
            article.slug
        );
    }
}
