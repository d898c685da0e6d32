//! The reader's site, through actix-web's test service, over `tests/fixtures/valid`.

mod common;

use actix_web::test::TestRequest;
use common::{app, get, header, send, state};
use healthpress_testkit::check_page;

#[actix_web::test]
async fn home_lists_public_articles_and_offers_the_audience_choice() {
    let app = app(state("valid")).await;
    let (status, headers, body) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert_eq!(
        headers.get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    assert!(
        body.contains("<a href=\"/articles/cramp-care\">Cramp care</a>"),
        "{body}"
    );
    assert!(body.contains("What helps with cramps."));
    assert!(
        body.contains("<a class=\"topic\" href=\"/topics/muscles\">Muscles</a>"),
        "{body}"
    );
    assert!(
        body.contains("Pending topic"),
        "under_review shows when show_pending is true"
    );
    assert!(body.contains("Which best describes you?"));
    assert!(body.contains("<select name=\"audience\" id=\"audience-select\""));
    assert!(body.contains("<option value=\"patient\">Patient or caregiver</option>"));
    assert!(body.contains("Healthcare professional"));
}

#[actix_web::test]
async fn article_page_shows_title_dates_review_and_body() {
    let app = app(state("valid")).await;
    let (status, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Cramp care</h1>"));
    assert!(
        body.contains("Last updated: <time datetime=\"2025-07-29\">29 July 2025</time>"),
        "{body}"
    );
    assert!(
        body.contains("<time datetime=\"2099-07-29\">29 July 2099</time>"),
        "next review"
    );
    assert!(body.contains("Dr Ada Reviewer, MD, Neurology"));
    assert!(body.contains("Sam Checker, PharmD"));
    assert!(body.contains("href=\"/pages/editorial-policy\""));
    for step in ["Submitted", "Under review", "Approved"] {
        assert!(body.contains(step), "step {step}");
    }
    assert!(body.contains("<li class=\"step-current\" aria-current=\"step\">"));
    assert!(
        !body.to_lowercase().contains("pending"),
        "approved pages never say pending"
    );
    assert!(body.contains("<h2 id=\"when-to-get-help\">When to get help</h2>"));
    assert!(body.contains(
        "<link rel=\"canonical\" href=\"https://health.example.org/articles/cramp-care/patient\">"
    ));
}

#[actix_web::test]
async fn citations_are_numbered_and_link_to_references_in_order() {
    let app = app(state("valid")).await;
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    // patient cites beta, then alpha and gamma together, then beta again.
    let refs = body
        .split("id=\"references\"")
        .nth(1)
        .expect("a references section");
    let beta = refs.find("id=\"ref-beta\"").unwrap();
    let alpha = refs.find("id=\"ref-alpha\"").unwrap();
    let gamma = refs.find("id=\"ref-gamma\"").unwrap();
    assert!(
        beta < alpha && alpha < gamma,
        "references in order of first citation"
    );
    assert!(refs.contains("<li id=\"ref-beta\" value=\"1\">"));
    assert!(refs.contains("<li id=\"ref-gamma\" value=\"3\">"));
    assert!(
        body.contains(
            "<a href=\"#ref-beta\"><span class=\"visually-hidden\">Reference </span>1</a>"
        )
    );
    assert_eq!(
        body.matches("href=\"#ref-beta\"").count(),
        2,
        "a repeated citation reuses its number"
    );
    assert!(
        body.contains(">2</a>, <a href=\"#ref-gamma\""),
        "[@a; @b] gives two numbers"
    );
    // kind labels and links
    assert!(refs.contains(">Guideline</span>"));
    assert!(refs.contains(">Research</span>"));
    assert!(refs.contains(">Review</span>"));
    assert!(refs.contains("href=\"https://doi.org/10.1000/alpha.1\""));
    assert!(refs.contains("href=\"https://pubmed.ncbi.nlm.nih.gov/12345678/\""));
    assert!(refs.contains("href=\"https://gamma.example.org/review\""));
    assert!(refs.contains("Journal of Alpha, 2020."));
}

#[actix_web::test]
async fn professional_wording_has_its_own_title_numbers_and_disclaimer() {
    let app = app(state("valid")).await;
    let (status, _, body) = get(&app, "/articles/cramp-care/professional").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1>Cramp care for clinicians</h1>"),
        "front matter overrides the title"
    );
    assert!(
        body.contains("<li id=\"ref-alpha\" value=\"1\">"),
        "numbering is per wording"
    );
    assert!(
        !body.contains("id=\"ref-beta\""),
        "only cited references are listed"
    );
    assert!(body.contains("use your clinical judgement"));
    assert!(!body.contains("Talk to your own clinician"));
    assert!(
        body.contains("<option value=\"professional\" selected>"),
        "the current wording is marked"
    );
    let (_, _, patient) = get(&app, "/articles/cramp-care/patient").await;
    assert!(patient.contains("Talk to your own clinician"));
    assert!(patient.contains("<option value=\"patient\" selected>"));
    assert!(!patient.contains("<option value=\"professional\" selected>"));
}

#[actix_web::test]
async fn pending_article_carries_a_caution_and_missing_wording_falls_back() {
    let app = app(state("valid")).await;
    let (status, _, body) = get(&app, "/articles/pending-topic/professional").await;
    assert_eq!(status, 200);
    assert!(body.contains("<strong class=\"review-status\">Pending medical review</strong>"));
    assert!(body.contains("has not yet been approved by our reviewers"));
    assert!(body.contains("<li class=\"step-current\" aria-current=\"step\">"));
    assert!(
        body.contains("not yet written for \u{201c}Healthcare professional\u{201d}"),
        "{body}"
    );
    assert!(body.contains("Only a patient wording so far."));
    assert!(body.contains(
        "rel=\"canonical\" href=\"https://health.example.org/articles/pending-topic/patient\""
    ));
}

#[actix_web::test]
async fn draft_is_never_public() {
    let app = app(state("valid")).await;
    for path in [
        "/articles/secret-draft",
        "/articles/secret-draft/patient",
        "/articles/secret-draft/professional",
    ] {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("DRAFT-SECRET"), "{path}");
    }
    let (_, _, home) = get(&app, "/").await;
    assert!(!home.contains("DRAFT-SECRET"));
    assert!(!home.contains("secret-draft"));
}

#[actix_web::test]
async fn unknown_pages_get_a_real_404_page() {
    let app = app(state("valid")).await;
    for path in [
        "/articles/nope",
        "/articles/nope/patient",
        "/articles/cramp-care/kids",
        "/pages/nope",
        "/nothing/here",
        "/static/nope.css",
        "/articles/..%2F..%2Fsite.toml/patient",
    ] {
        let (status, headers, body) = get(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(
            headers.get("content-type").unwrap(),
            "text/html; charset=utf-8",
            "{path}"
        );
        assert!(body.contains("<h1>Page not found</h1>"), "{path}");
        assert!(
            body.contains("class=\"site-header\""),
            "same layout: {path}"
        );
    }
}

#[actix_web::test]
async fn bare_article_url_redirects_to_remembered_or_default_wording() {
    let app = app(state("valid")).await;
    let (status, headers, _) = get(&app, "/articles/cramp-care").await;
    assert_eq!(status, 302);
    assert_eq!(
        headers.get("location").unwrap(),
        "/articles/cramp-care/patient"
    );
    assert!(header(&headers, "cache-control").contains("private"));

    let req = TestRequest::get()
        .uri("/articles/cramp-care")
        .cookie(actix_web::cookie::Cookie::new("audience", "professional"));
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, 302);
    assert_eq!(
        headers.get("location").unwrap(),
        "/articles/cramp-care/professional"
    );

    let req = TestRequest::get()
        .uri("/articles/cramp-care")
        .cookie(actix_web::cookie::Cookie::new("audience", "<script>"));
    let (_, headers, _) = send(&app, req).await;
    assert_eq!(
        headers.get("location").unwrap(),
        "/articles/cramp-care/patient",
        "bad cookie ignored"
    );
}

#[actix_web::test]
async fn choosing_an_audience_sets_a_cookie_and_returns_to_the_article() {
    let app = app(state("valid")).await;
    let req = TestRequest::post().uri("/audience").set_form([
        ("audience", "professional"),
        ("next", "/articles/cramp-care"),
    ]);
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, 303);
    assert_eq!(
        headers.get("location").unwrap(),
        "/articles/cramp-care/professional"
    );
    let cookie = header(&headers, "set-cookie");
    assert!(cookie.starts_with("audience=professional"), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Secure"), "base_url is https");
    assert!(cookie.contains("Path=/"));
}

#[actix_web::test]
async fn audience_form_rejects_unknown_choices_and_foreign_redirects() {
    let app = app(state("valid")).await;
    let req = TestRequest::post()
        .uri("/audience")
        .set_form([("audience", "martian"), ("next", "/")]);
    let (status, headers, body) = send(&app, req).await;
    assert_eq!(status, 400);
    assert!(headers.get("set-cookie").is_none());
    assert!(body.contains("not one we offer"));

    for next in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "/articles/secret-draft",
        "javascript:alert(1)",
    ] {
        let req = TestRequest::post()
            .uri("/audience")
            .set_form([("audience", "patient"), ("next", next)]);
        let (status, headers, _) = send(&app, req).await;
        assert_eq!(status, 303);
        assert_eq!(
            headers.get("location").unwrap(),
            "/?audience=patient",
            "{next}: home, showing the choice"
        );
    }
    let req = TestRequest::post()
        .uri("/audience")
        .set_form([("audience", "patient"), ("next", "/pages/editorial-policy")]);
    let (_, headers, _) = send(&app, req).await;
    assert_eq!(headers.get("location").unwrap(), "/pages/editorial-policy");

    let req = TestRequest::post()
        .uri("/audience")
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload("%%%");
    let (status, _, body) = send(&app, req).await;
    assert_eq!(status, 400);
    assert!(body.contains("could not be read"));
}

#[actix_web::test]
async fn wording_pages_do_not_vary_by_cookie() {
    let app = app(state("valid")).await;
    let (_, plain_headers, plain) = get(&app, "/articles/cramp-care/patient").await;
    let req = TestRequest::get()
        .uri("/articles/cramp-care/patient")
        .cookie(actix_web::cookie::Cookie::new("audience", "professional"));
    let (_, headers, with_cookie) = send(&app, req).await;
    assert_eq!(plain, with_cookie);
    assert!(headers.get("set-cookie").is_none());
    assert!(
        plain_headers.get("vary").is_none_or(|v| !v
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("cookie"))
    );
}

#[actix_web::test]
async fn hostile_content_is_escaped_or_removed() {
    let app = app(state("valid")).await;
    let (status, _, body) = get(&app, "/articles/hostile/patient").await;
    assert_eq!(status, 200);
    check_page(&body, "/static/").unwrap_or_else(|e| panic!("hostile article: {e}\n{body}"));
    assert!(
        body.contains("<h1>&#60;script&#62;alert(&#39;title&#39;)&#60;/script&#62; Hostile</h1>"),
        "title escaped"
    );
    assert!(
        body.contains("<cite class=\"ref-title\">&#60;script&#62;"),
        "reference title escaped"
    );
    assert!(
        body.contains("&#34; onmouseover=&#34;alert(1), 2020."),
        "reference source escaped"
    );
    let (_, _, home) = get(&app, "/").await;
    check_page(&home, "/static/").unwrap_or_else(|e| panic!("home: {e}\n{home}"));
    assert!(!home.contains("<b>topic</b>"));
}

#[actix_web::test]
async fn pages_static_assets_and_health_check() {
    let app = app(state("valid")).await;
    let (status, _, body) = get(&app, "/pages/editorial-policy").await;
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Editorial policy</h1>"));
    assert!(body.contains("We write from guidelines"));

    let (_, _, home) = get(&app, "/").await;
    let css = home
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(
        css.starts_with("/static/style.") && css.len() > "/static/style.css".len(),
        "{css}"
    );
    let (status, headers, body) = get(&app, &css).await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/css"));
    assert!(header(&headers, "cache-control").contains("immutable"));
    assert!(body.contains("prefers-color-scheme"));

    let (status, _, body) = get(&app, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

#[actix_web::test]
async fn every_response_carries_security_headers() {
    let app = app(state("valid")).await;
    for path in ["/", "/articles/cramp-care/patient", "/nope"] {
        let (_, headers, _) = get(&app, path).await;
        let csp = header(&headers, "content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert!(headers.get("referrer-policy").is_some());
    }
}

#[actix_web::test]
async fn broken_articles_are_left_out_and_the_rest_is_served() {
    let state = state("mixed");
    let snapshot = state.snapshot();
    let messages: Vec<String> = snapshot
        .site
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("broken-toml/article.toml:1") && m.contains("invalid TOML")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("missing-ref/patient.md:3") && m.contains("@nosuch")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("bad-encoding/patient.md") && m.contains("UTF-8")),
        "{messages:#?}"
    );
    let app = app(state).await;
    let (status, _, _) = get(&app, "/articles/good-one/patient").await;
    assert_eq!(status, 200);
    for slug in ["broken-toml", "missing-ref", "bad-encoding"] {
        let (status, _, _) = get(&app, &format!("/articles/{slug}/patient")).await;
        assert_eq!(status, 404, "{slug}");
    }
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains("Good one"));
    assert!(!home.contains("Missing ref"));
}

/// Care cards render as cards with their urgency written out, never as raw `[!...]` markers.
#[actix_web::test]
async fn care_cards_render_with_their_urgency() {
    let app = app(state("valid")).await;
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    assert!(!body.contains("[!"), "no raw marker");
    assert!(
        body.contains("<div class=\"care-card care-emergency\">"),
        "{body}"
    );
    assert!(body.contains(
        "<h3 class=\"care-card-heading\"><span class=\"care-card-kind\">Emergency:</span> Call 999 now if:</h3>"
    ));
    assert!(body.contains("<div class=\"care-card care-non-urgent\">"));
    assert!(body.contains("<span class=\"care-card-kind\">Non-urgent advice:</span> See a GP if:"));
    let (_, _, pro) = get(&app, "/articles/cramp-care/professional").await;
    assert!(pro.contains("care-emergency"));
}

/// Choosing a wording on the home page lands on a URL of its own that shows the choice selected and
/// links each article to that wording; `/` itself depends on nothing but its URL.
#[actix_web::test]
async fn the_home_page_shows_the_choice_made_on_it() {
    let app = app(state("valid")).await;
    let req = TestRequest::post()
        .uri("/audience")
        .set_form([("audience", "professional"), ("next", "/")]);
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, 303);
    assert_eq!(header(&headers, "location"), "/?audience=professional");
    let (status, headers, body) = get(&app, "/?audience=professional").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "cache-control").starts_with("public"));
    assert!(
        body.contains("<option value=\"professional\" selected>"),
        "the choice is shown selected: {body}"
    );
    assert!(
        body.contains("href=\"/articles/cramp-care/professional\""),
        "{body}"
    );
    let (_, _, plain) = get(&app, "/").await;
    assert!(!plain.contains(" selected>"), "{plain}");
    assert!(plain.contains("href=\"/articles/cramp-care\""));
    let (_, _, unknown) = get(&app, "/?audience=nobody").await;
    assert_eq!(unknown, plain, "an unknown choice is the plain home page");
    assert!(!body.contains("healthpress | healthpress"));
}

/// Deep in an article, each section the other wording shares carries a small form to read it there:
/// it lands at the same section, with or without JavaScript.
#[actix_web::test]
async fn a_reader_switches_wording_at_the_section_they_are_reading() {
    let app = app(state("valid")).await;
    let (_, _, body) = get(&app, "/articles/cramp-care/patient").await;
    let at = body
        .find("<h2 id=\"when-to-get-help\"")
        .expect("the shared section");
    let after = &body[at..];
    let form = &after[after.find("</h2>").unwrap()..];
    assert!(
        form.trim_start_matches("</h2>")
            .trim_start()
            .starts_with("<form class=\"section-switch\" method=\"post\" action=\"/audience\">"),
        "{form}"
    );
    assert!(form.contains("name=\"section\" value=\"when-to-get-help\""));
    assert!(form.contains("Read this section for: Healthcare professional"));
    let req = TestRequest::post().uri("/audience").set_form([
        ("audience", "professional"),
        ("next", "/articles/cramp-care"),
        ("section", "when-to-get-help"),
    ]);
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, 303);
    assert_eq!(
        header(&headers, "location"),
        "/articles/cramp-care/professional#when-to-get-help"
    );
}

/// The results page says which readers' words it searched as well.
#[actix_web::test]
async fn search_says_which_readers_words_it_also_searched() {
    let bundled = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let app = app(actix_web::web::Data::new(
        healthpress::web::AppState::load(&bundled).unwrap(),
    ))
    .await;
    let (_, _, body) = get(&app, "/search?q=charley+horse&audience=patient").await;
    assert!(
        body.contains("We also searched for words with the same meaning: “leg cramp”"),
        "{body}"
    );
    assert!(body.contains("/articles/leg-cramps/patient"), "{body}");
}
