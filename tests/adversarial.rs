//! Adversarial content: the site keeps serving the good articles and reports the bad ones. Large or
//! odd inputs are made at test time (symlinks, thousands of files, megabyte articles) so the
//! repository stays small.

mod common;

use common::{app, copy_dir, fixture, get};
use healthpress::content::load_site;
use healthpress_testkit::check_page;
use std::path::Path;

const ARTICLE_TOML: &str = r#"title = "Stress"
summary = "A stress test."
updated = 2025-01-01

[review]
status = "approved"
reviewed_by = ["rev-one"]
reviewed_on = 2025-01-01

[[references]]
key = "a"
kind = "other"
title = "A"
source = "S"
year = 2020
"#;

fn article(root: &Path, slug: &str, toml: &str, patient: &[u8]) {
    let dir = root.join("articles").join(slug);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("article.toml"), toml).unwrap();
    std::fs::write(dir.join("patient.md"), patient).unwrap();
}

/// A copy of the valid fixture plus hostile articles.
fn hostile_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&fixture("valid"), root);
    let deep_quotes = format!("{} deep [@a]", ">".repeat(10_000));
    article(root, "deep-quotes", ARTICLE_TOML, deep_quotes.as_bytes());
    let deep_lists: String = (0..1_500)
        .map(|i| format!("{}- item [@a]\n", "  ".repeat(i)))
        .collect();
    article(root, "deep-lists", ARTICLE_TOML, deep_lists.as_bytes());
    let fairly_deep = format!("{} quoted [@a]\n\n{}", ">".repeat(60), "<div>".repeat(30));
    article(root, "fairly-deep", ARTICLE_TOML, fairly_deep.as_bytes());
    let nested_html = format!("{}x [@a]", "<div><span>".repeat(5_000));
    article(root, "nested-html", ARTICLE_TOML, nested_html.as_bytes());
    let big = format!(
        "{}\n\n[@a]",
        "A long sentence about cramps. ".repeat(34_000)
    );
    assert!(big.len() > 1_000_000);
    article(root, "one-megabyte", ARTICLE_TOML, big.as_bytes());
    let vectors = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><script>alert(2)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(3)>",
        "<a href=\"jav&#x09;ascript:alert(4)\">x</a>",
        "<a href=\"&#106;avascript:alert(5)\">x</a>",
        "<div style=\"background:url(javascript:alert(6))\">x</div>",
        "<iframe srcdoc=\"<script>alert(7)</script>\"></iframe>",
        "<object data=\"data:text/html,<script>alert(8)</script>\"></object>",
        "<form action=javascript:alert(9)><button>x</button></form>",
        "<p <script>alert(10)</script>>broken</p>",
        "<<script>script>alert(11)<</script>/script>",
        "<details open ontoggle=alert(12)>",
        "<base href=\"javascript:alert(13)//\">",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(14)\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "[click](javascript:alert(15)) ![i](data:image/svg+xml;base64,PHN2Zz4=)",
        "<!-- <script>alert(16)</script> -->",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(17)>\"></noscript>",
    ];
    let html_vectors = format!("Vectors [@a]\n\n{}", vectors.join("\n\n"));
    article(root, "html-vectors", ARTICLE_TOML, html_vectors.as_bytes());
    let hostile_toml = ARTICLE_TOML
        .replace(
            "title = \"Stress\"",
            "title = \"</title><script>alert('t')</script>\"",
        )
        .replace(
            "summary = \"A stress test.\"",
            "summary = \"\\\"><img src=x onerror=alert('s')>\"",
        )
        .replace("title = \"A\"", "title = \"<script>alert('r')</script>\"");
    article(root, "hostile-meta", &hostile_toml, b"Text [@a]");
    let bad_url = ARTICLE_TOML.replace("year = 2020", "year = 2020\nurl = \"javascript:alert(1)\"");
    article(root, "bad-url", &bad_url, b"Text [@a]");
    article(root, "bad-utf8", ARTICLE_TOML, b"Caf\xc3\x28 [@a]");
    // A symlink out of the content folder, as an article file and as an article folder.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "OUTSIDE-SECRET [@a]").unwrap();
    let linked = root.join("articles/linked-file");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::write(linked.join("article.toml"), ARTICLE_TOML).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), linked.join("patient.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("articles/linked-dir")).unwrap();
    std::mem::forget(outside);
    dir
}

#[actix_web::test]
async fn hostile_articles_are_contained_and_good_ones_still_served() {
    let dir = hostile_site();
    let site = load_site(dir.path()).expect("the site loads");
    let messages: Vec<String> = site.diagnostics.iter().map(|d| d.to_string()).collect();
    let has = |needle: &str, slug: &str| {
        messages
            .iter()
            .any(|m| m.contains(slug) && m.contains(needle))
    };
    assert!(
        has("is a symbolic link", "linked-file/patient.md"),
        "{messages:#?}"
    );
    assert!(has("is a symbolic link", "linked-dir"), "{messages:#?}");
    assert!(has("not valid UTF-8", "bad-utf8"), "{messages:#?}");
    assert!(has("not an http(s) URL", "bad-url"), "{messages:#?}");
    for slug in ["deep-quotes", "deep-lists", "nested-html"] {
        assert!(has("levels deep", slug), "{slug}: {messages:#?}");
    }
    drop(site);

    let state = actix_web::web::Data::new(healthpress::web::AppState::load(dir.path()).unwrap());
    let app = app(state).await;
    let (status, _, _) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200, "good articles are served");
    for slug in [
        "fairly-deep",
        "one-megabyte",
        "html-vectors",
        "hostile-meta",
    ] {
        let (status, _, body) = get(&app, &format!("/articles/{slug}/patient")).await;
        assert_eq!(status, 200, "{slug}");
        check_page(&body, "/static/").unwrap_or_else(|e| panic!("{slug}: {e}\n{body}"));
    }
    for slug in [
        "bad-url",
        "bad-utf8",
        "linked-file",
        "linked-dir",
        "deep-quotes",
        "deep-lists",
        "nested-html",
    ] {
        let (status, _, body) = get(&app, &format!("/articles/{slug}/patient")).await;
        assert_eq!(status, 404, "{slug}");
        assert!(!body.contains("OUTSIDE-SECRET"));
    }
    let (_, _, home) = get(&app, "/").await;
    check_page(&home, "/static/").unwrap_or_else(|e| panic!("home: {e}\n{home}"));
    assert!(!home.contains("OUTSIDE-SECRET"));
    let (_, _, search) = get(&app, "/search?q=outside&audience=patient").await;
    assert!(!search.contains("OUTSIDE-SECRET"));
}

#[test]
fn thousands_of_articles_load() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    for i in 0..2_000 {
        article(
            dir.path(),
            &format!("bulk-{i:04}"),
            ARTICLE_TOML,
            b"Short text. [@a]",
        );
    }
    // And junk that is not content at all.
    for i in 0..500 {
        std::fs::write(
            dir.path()
                .join("articles")
                .join(format!("junk file {i}.txt")),
            "x",
        )
        .unwrap();
    }
    let site = load_site(dir.path()).unwrap();
    assert!(site.articles.len() >= 2_000);
    assert!(
        site.diagnostics
            .iter()
            .any(|d| d.message.contains("unexpected entry"))
    );
}
