//! Finding and describing articles: search, topics, A to Z, structured data, sitemap, robots.txt,
//! and keeping the reader's place when switching wording.

mod common;

use actix_web::cookie::Cookie;
use actix_web::test::TestRequest;
use common::{app, get, header, send, state};

#[actix_web::test]
async fn search_finds_public_articles_in_the_readers_wording_with_highlights() {
    let app = app(state("valid")).await;
    let (status, headers, body) = get(&app, "/search?q=stretch&audience=patient").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "cache-control").starts_with("public"));
    assert!(
        body.contains("<a href=\"/articles/cramp-care/patient\">Cramp care</a>"),
        "{body}"
    );
    assert!(
        body.contains("<mark>Stretch</mark>") || body.contains("<mark>stretch</mark>"),
        "{body}"
    );
    let (_, _, pro) = get(&app, "/search?q=stretching&audience=professional").await;
    assert!(
        pro.contains("<a href=\"/articles/cramp-care/professional\">Cramp care for clinicians</a>"),
        "{pro}"
    );
    assert!(!pro.contains("/articles/cramp-care/patient\""));
}

#[actix_web::test]
async fn search_never_finds_drafts() {
    let app = app(state("valid")).await;
    for q in ["DRAFT-SECRET-BODY", "DRAFT-SECRET-TITLE", "draft"] {
        let (_, _, body) = get(&app, &format!("/search?q={q}&audience=patient")).await;
        assert!(!body.contains("secret-draft"), "{q}");
        assert!(body.contains("No articles match"), "{q}: {body}");
    }
}

#[actix_web::test]
async fn search_echoes_the_query_escaped_and_tolerates_odd_input() {
    let app = app(state("valid")).await;
    let (status, _, body) = get(
        &app,
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&audience=patient",
    )
    .await;
    assert_eq!(status, 200);
    assert!(!body.contains("<script>alert(1)"), "{body}");
    assert!(body.contains("&#60;script&#62;alert(1)"), "{body}");
    for q in [
        "%22unbalanced",
        "AND%20OR%20NOT",
        "title%3A",
        "*",
        "%E2%80%A6",
        &"a".repeat(5000),
    ] {
        let (status, _, _) = get(&app, &format!("/search?q={q}&audience=patient")).await;
        assert_eq!(status, 200, "{q}");
    }
    let (status, _, body) = get(&app, "/search?q=%FF%FE&audience=patient").await;
    assert_eq!(status, 200, "invalid UTF-8 is read leniently: {body}");
    let (status, _, body) = get(&app, "/search?audience=patient").await;
    assert_eq!(status, 200);
    assert!(body.contains("Search our articles"));
}

#[actix_web::test]
async fn search_without_audience_redirects_to_the_remembered_one() {
    let app = app(state("valid")).await;
    let (status, headers, _) = get(&app, "/search?q=cramp").await;
    assert_eq!(status, 302);
    assert_eq!(
        headers.get("location").unwrap(),
        "/search?q=cramp&audience=patient"
    );
    assert!(header(&headers, "cache-control").contains("private"));
    let req = TestRequest::get()
        .uri("/search?q=cramp")
        .cookie(Cookie::new("audience", "professional"));
    let (_, headers, _) = send(&app, req).await;
    assert_eq!(
        headers.get("location").unwrap(),
        "/search?q=cramp&audience=professional"
    );
    let (status, _, _) = get(&app, "/search?q=cramp&audience=martian").await;
    assert_eq!(status, 302, "an unknown audience is replaced");
}

#[actix_web::test]
async fn topics_and_a_to_z_list_public_articles_only() {
    let app = app(state("valid")).await;
    let (status, _, topics) = get(&app, "/topics").await;
    assert_eq!(status, 200);
    assert!(
        topics.contains("<a href=\"/topics/muscles\">Muscles</a>"),
        "{topics}"
    );
    let (status, _, muscles) = get(&app, "/topics/muscles").await;
    assert_eq!(status, 200);
    assert!(muscles.contains("<h1>Muscles</h1>"));
    assert!(muscles.contains("href=\"/articles/cramp-care\""));
    assert!(muscles.contains("href=\"/articles/pending-topic\""));
    assert!(!muscles.contains("DRAFT-SECRET"));
    let (status, _, _) = get(&app, "/topics/nothing-here").await;
    assert_eq!(status, 404);

    let (status, _, az) = get(&app, "/articles").await;
    assert_eq!(status, 200);
    assert!(az.contains("<h2 id=\"letter-c\">C</h2>"), "{az}");
    assert!(az.contains("href=\"#letter-p\""));
    assert!(az.contains("href=\"/articles/cramp-care\""));
    assert!(!az.contains("DRAFT-SECRET"));
    let c = az.find("id=\"letter-c\"").unwrap();
    let p = az.find("id=\"letter-p\"").unwrap();
    assert!(c < p, "letters in order");
}

fn json_ld(body: &str) -> serde_json::Value {
    let start = body
        .find("<script type=\"application/ld+json\">")
        .expect("json-ld")
        + 35;
    let end = start + body[start..].find("</script>").unwrap();
    serde_json::from_str(&body[start..end]).expect("valid JSON")
}

#[actix_web::test]
async fn article_pages_carry_medical_web_page_structured_data() {
    let app = app(state("valid")).await;
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    let ld = json_ld(&body);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "MedicalWebPage");
    assert_eq!(ld["name"], "Cramp care");
    assert_eq!(ld["description"], "What helps with cramps.");
    assert_eq!(ld["lastReviewed"], "2025-07-29");
    assert_eq!(ld["dateModified"], "2025-07-29");
    assert!(ld["datePublished"].is_string());
    assert_eq!(ld["reviewedBy"][0]["@type"], "Person");
    assert_eq!(ld["reviewedBy"][0]["name"], "Dr Ada Reviewer");
    assert_eq!(
        ld["reviewedBy"][0]["hasCredential"]["name"],
        "MD, Neurology"
    );
    assert_eq!(ld["citation"].as_array().unwrap().len(), 3);
    assert_eq!(ld["citation"][0]["name"], "Beta trial", "in citation order");
    assert_eq!(ld["audience"]["@type"], "Patient");
    assert_eq!(
        ld["url"],
        "https://health.example.org/articles/cramp-care/patient"
    );

    let (_, _, pro) = get(&app, "/articles/cramp-care/professional").await;
    let ld = json_ld(&pro);
    assert_eq!(ld["audience"]["@type"], "MedicalAudience");
    assert_eq!(ld["audience"]["audienceType"], "Clinician");

    assert!(body.contains("<meta property=\"og:title\" content=\"Cramp care\">"));
    assert!(body.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(body.contains("<meta property=\"og:url\" content=\"https://health.example.org/articles/cramp-care/patient\">"));

    // A hostile title cannot break out of the JSON-LD element.
    let (_, _, hostile) = get(&app, "/articles/hostile/patient").await;
    let ld = json_ld(&hostile);
    assert!(
        ld["name"].as_str().unwrap().contains("<script>"),
        "escaped in the HTML, intact in the JSON"
    );
}

#[actix_web::test]
async fn sitemap_lists_every_public_wording_and_robots_points_to_it() {
    let app = app(state("valid")).await;
    let (status, headers, xml) = get(&app, "/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("application/xml"));
    for path in [
        "/articles/cramp-care/patient",
        "/articles/cramp-care/professional",
        "/articles/pending-topic/patient",
        "/pages/editorial-policy",
    ] {
        assert!(
            xml.contains(&format!("<loc>https://health.example.org{path}</loc>")),
            "{path}: {xml}"
        );
    }
    assert!(xml.contains("<lastmod>2025-07-29</lastmod>"));
    assert!(!xml.contains("secret-draft"));
    assert!(
        !xml.contains("/articles/pending-topic/professional"),
        "a fallback page is not its own wording"
    );
    let (status, _, robots) = get(&app, "/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: https://health.example.org/sitemap.xml"));
}

#[actix_web::test]
async fn switching_wording_keeps_the_readers_section() {
    let app = app(state("valid")).await;
    let req = TestRequest::post().uri("/audience").set_form([
        ("audience", "professional"),
        ("next", "/articles/cramp-care"),
        ("section", "when-to-get-help"),
    ]);
    let (_, headers, _) = send(&app, req).await;
    assert_eq!(
        headers.get("location").unwrap(),
        "/articles/cramp-care/professional#when-to-get-help"
    );
    let req = TestRequest::post().uri("/audience").set_form([
        ("audience", "professional"),
        ("next", "/articles/cramp-care"),
        ("section", "\"><script>"),
    ]);
    let (_, headers, _) = send(&app, req).await;
    assert_eq!(
        headers.get("location").unwrap(),
        "/articles/cramp-care/professional",
        "unknown sections are dropped"
    );
    // Both wordings have the section under the same id.
    let (_, _, patient) = get(&app, "/articles/cramp-care/patient").await;
    let (_, _, pro) = get(&app, "/articles/cramp-care/professional").await;
    assert!(
        patient.contains("<h2 id=\"when-to-get-help\">")
            && pro.contains("<h2 id=\"when-to-get-help\">")
    );
    assert!(patient.contains("<input type=\"hidden\" name=\"section\" value=\"\">"));
}

#[test]
fn bundled_wordings_share_section_anchors() {
    let site = healthpress::content::load_site(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
    )
    .unwrap();
    for article in site.articles.values() {
        let [a, b] = &article.wordings[..] else {
            continue;
        };
        let shared = a
            .body
            .headings
            .iter()
            .filter(|h| b.body.headings.iter().any(|o| o.id == h.id))
            .count();
        assert!(
            shared >= 2,
            "{}: wordings share {shared} section ids",
            article.slug
        );
    }
}

/// A translated article is indexed once in each language, whether its text is copied (a site that
/// keeps its bodies for editors) or moved: the bundled leg-cramps article has Spanish wordings.
#[test]
fn translations_are_indexed_once_whether_text_is_copied_or_moved() {
    let load = || healthpress::content::load_site(std::path::Path::new("content")).unwrap();
    let keys = |docs: Vec<healthpress::search::IndexDoc>| -> Vec<(String, String, String, String)> {
        let mut keys: Vec<_> = docs
            .into_iter()
            .map(|d| {
                let section = d.section.map(|s| s.id).unwrap_or_default();
                (d.lang, d.slug, d.audience, section)
            })
            .collect();
        keys.sort();
        keys
    };
    for take_text in [false, true] {
        let docs = keys(healthpress::search::documents(&mut load(), take_text));
        let spanish = docs.iter().filter(|(lang, ..)| lang == "es").count();
        assert!(spanish > 2, "the Spanish pages and sections are indexed");
        let mut unique = docs.clone();
        unique.dedup();
        assert_eq!(
            unique, docs,
            "a document indexed twice (take_text {take_text})"
        );
    }
}

/// Search documents are the same whether wordings' text is moved into them or copied, including a
/// wording shown to two audiences (an article written for patients only), and drafts are never in them.
#[test]
fn search_documents_move_text_without_losing_any() {
    let load = || healthpress::content::load_site(&common::fixture("valid")).unwrap();
    let summary =
        |docs: Vec<healthpress::search::IndexDoc>| -> Vec<(String, String, String, bool)> {
            docs.into_iter()
                .map(|d| (d.slug, d.audience, d.body, d.section.is_some()))
                .collect()
        };
    let copied = summary(healthpress::search::documents(&mut load(), false));
    let moved = summary(healthpress::search::documents(&mut load(), true));
    assert_eq!(copied, moved);
    assert!(
        copied.iter().all(|(_, _, body, _)| !body.is_empty()),
        "{copied:?}"
    );
    let pages = |slug: &str| {
        copied
            .iter()
            .filter(|(s, _, _, section)| s == slug && !section)
            .count()
    };
    let sections = |slug: &str| {
        copied
            .iter()
            .filter(|(s, _, _, section)| s == slug && *section)
            .count()
    };
    assert_eq!(pages("hostile"), 2, "one wording, shown to both audiences");
    assert_eq!(pages("secret-draft"), 0, "drafts are not searchable");
    assert!(
        sections("cramp-care") > 2,
        "approved articles' sections answer questions"
    );
    assert_eq!(sections("secret-draft"), 0, "drafts answer nothing");
    assert!(
        pages("pending-topic") > 0,
        "pending articles are searchable on this site"
    );
    assert_eq!(
        sections("pending-topic"),
        0,
        "pending articles answer nothing"
    );
}

/// A large site serves at once and indexes for search in the background; search answers 503 with
/// Retry-After until the index is ready, then finds articles.
#[actix_web::test]
async fn large_sites_index_search_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in ["site.toml", "reviewers.toml"] {
        std::fs::copy(common::fixture("valid").join(f), root.join(f)).unwrap();
    }
    for i in 0..1_100 {
        let article = root.join(format!("articles/bulk-{i:04}"));
        std::fs::create_dir_all(&article).unwrap();
        std::fs::write(
            article.join("article.toml"),
            format!("title = \"Bulk {i}\"\nsummary = \"Bulk article.\"\nupdated = 2025-01-01\n\n[review]\nstatus = \"approved\"\nreviewed_by = [\"rev-one\"]\nreviewed_on = 2025-01-01\n"),
        )
        .unwrap();
        let word = if i == 777 { "zanzibarine" } else { "ordinary" };
        std::fs::write(
            article.join("patient.md"),
            format!("An {word} article about cramps.\n"),
        )
        .unwrap();
    }
    let state = actix_web::web::Data::new(healthpress::web::AppState::load(root).unwrap());
    let app = app(state).await;
    // A large home page lists the most recent articles and links to the rest.
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains("See all 1100 articles from A to Z"), "{home}");
    assert_eq!(home.matches("<li class=\"card\">").count(), 24);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let (status, headers, body) = get(&app, "/search?q=zanzibarine&audience=patient").await;
        if status == 503 {
            assert_eq!(headers.get("retry-after").unwrap(), "5");
            assert!(
                std::time::Instant::now() < deadline,
                "the index is built within a minute"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        }
        assert_eq!(status, 200);
        assert!(
            body.contains("href=\"/articles/bulk-0777/patient\""),
            "{body}"
        );
        assert!(body.contains("1 article matches"));
        break;
    }
}

/// Adds `count` short generated articles (`generated-0`, ...) under review to the site in `root`,
/// titled with six different first words.
fn generate_articles(root: &std::path::Path, count: usize) {
    let words = ["Ankle", "Back", "Calf", "Diet", "Elbow", "Foot"];
    for n in 0..count {
        let slug = format!("generated-{n}");
        let folder = root.join("articles").join(&slug);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("article.toml"),
            format!(
                "title = \"{} care {n}\"\nsummary = \"Short summary {n}.\"\ntopics = [\"Generated\"]\nupdated = 2025-07-29\n\n[review]\nstatus = \"under_review\"\n",
                words[n % words.len()]
            ),
        )
        .unwrap();
        std::fs::write(
            folder.join("patient.md"),
            "Rest and stretch.\n\n## When to get help {#when-to-get-help}\n\nSee a doctor if it gets worse.\n",
        )
        .unwrap();
    }
}

/// A large site keeps its search index in files of a temporary folder (removed with the index) and
/// searches it as usual; a small one keeps it in memory.
#[test]
fn a_large_sites_search_index_lives_in_files() {
    let small = healthpress::web::AppState::load(&common::fixture("valid")).unwrap();
    assert!(small.snapshot().wait_for_search().folder().is_none());

    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("valid"), dir.path());
    generate_articles(dir.path(), 1100);
    let state = healthpress::web::AppState::load(dir.path()).unwrap();
    let snapshot = state.snapshot();
    let index = snapshot.wait_for_search();
    let folder = index.folder().expect("file-backed").to_path_buf();
    assert!(folder.join("source").is_dir());
    let hits = index.search("Diet care 3", "patient", 5);
    assert!(
        hits.iter().any(|h| h.slug == "generated-3"),
        "found in the files"
    );
    drop(snapshot);
    drop(state);
    assert!(
        !folder.exists(),
        "{} is removed with the index",
        folder.display()
    );
}

/// A site of more than 500 articles gets its A to Z split by letter: `/articles` lists the letters
/// with their counts, `/a-z/{letter}` each letter's articles; a retitled article moves letter on an
/// incremental reload, and a letter left empty loses its page.
#[actix_web::test]
async fn a_large_a_to_z_is_split_by_letter_and_follows_retitled_articles() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("valid"), dir.path());
    generate_articles(dir.path(), 510);
    // One article alone under its letter.
    let lonely = dir.path().join("articles/generated-0/article.toml");
    let text = std::fs::read_to_string(&lonely).unwrap();
    std::fs::write(&lonely, text.replacen("Ankle care 0", "Zinc 0", 1)).unwrap();
    let state = actix_web::web::Data::new(healthpress::web::AppState::load(dir.path()).unwrap());
    let app = app(state.clone()).await;

    let (status, _, index) = get(&app, "/articles").await;
    assert_eq!(status, 200);
    assert!(index.contains("href=\"/a-z/b\">B</a>"), "{index}");
    assert!(
        index.contains("articles. Choose the first letter"),
        "{index}"
    );
    assert!(
        !index.contains("href=\"/articles/generated-1\""),
        "the index lists letters, not articles"
    );
    let (status, _, b) = get(&app, "/a-z/b").await;
    assert_eq!(status, 200);
    assert!(b.contains("<h1>Articles A to Z: B</h1>"), "{b}");
    assert!(b.contains("href=\"/a-z/b\" aria-current=\"page\""), "{b}");
    assert!(b.contains("href=\"/articles/generated-1\">Back care 1</a>"));
    assert!(!b.contains("Calf care"), "only B");
    let (status, _, _) = get(&app, "/a-z/z").await;
    assert_eq!(status, 200);

    // Retitled: from Z to B. Z's page goes, B's lists it.
    std::fs::write(&lonely, text.replacen("Ankle care 0", "Bandage 0", 1)).unwrap();
    let slugs = ["generated-0".to_string()].into();
    state.reload_articles(&slugs).unwrap();
    let (status, _, _) = get(&app, "/a-z/z").await;
    assert_eq!(status, 404, "a letter without articles has no page");
    let (_, _, b) = get(&app, "/a-z/b").await;
    assert!(
        b.contains("href=\"/articles/generated-0\">Bandage 0</a>"),
        "{b}"
    );
    let (_, _, index) = get(&app, "/articles").await;
    assert!(!index.contains("href=\"/a-z/z\""), "{index}");
}
