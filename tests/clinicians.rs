//! For clinicians where they work. Knowledge requests by clinical code (HL7 Infobutton, URL-based):
//! only approved articles answer, in the recipient's wording, in Atom, JSON or HTML, and malformed
//! requests get a 400 in their format. The review board. Evidence grades beside citations.

mod common;

use actix_web::web;
use common::{app, copy_dir, fixture, get, header};
use healthpress::web::AppState;
use std::path::Path;

const ICD10CM: &str = "2.16.840.1.113883.6.90";
const SNOMEDCT: &str = "2.16.840.1.113883.6.96";
const RXNORM: &str = "2.16.840.1.113883.6.88";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Appends `[[codes]]` entries to an article's `article.toml`.
fn code(root: &Path, slug: &str, entries: &[(&str, &str)]) {
    let path = root.join("articles").join(slug).join("article.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (system, code) in entries {
        text.push_str(&format!(
            "\n[[codes]]\nsystem = \"{system}\"\ncode = \"{code}\"\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// The fixture with the approved article, the one under review and the draft all coded alike.
fn coded_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    // Nocturnal leg cramps: ICD-10-CM R25.2 (cramp and spasm); SNOMED CT 22298006 and RxNorm 9071
    // stand in here for any valid code of those systems.
    let codes = [
        ("icd10cm", "R25"),
        ("snomedct", "22298006"),
        ("rxnorm", "9071"),
    ];
    for slug in ["cramp-care", "pending-topic", "secret-draft"] {
        code(dir.path(), slug, &codes);
    }
    dir
}

fn request(code: &str, system: &str, extra: &str) -> String {
    format!("/infobutton?mainSearchCriteria.v.c={code}&mainSearchCriteria.v.cs={system}{extra}")
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}\n{text}"))
}

fn links(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .flat_map(|e| e.children().filter(|n| n.has_tag_name((ATOM, "link"))))
        .filter_map(|l| l.attribute("href").map(str::to_string))
        .collect()
}

#[actix_web::test]
async fn a_code_finds_the_approved_article_in_the_recipients_wording() {
    let dir = coded_site();
    let state = web::Data::new(AppState::load(dir.path()).unwrap());
    let app = app(state).await;

    // ICD-10-CM R25.2 finds the article coded with its parent R25; for the patient, the patient wording.
    let (status, headers, body) = get(
        &app,
        &request(
            "R25.2",
            ICD10CM,
            "&mainSearchCriteria.v.dn=Cramp%20and%20spasm&informationRecipient=PAT",
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(header(&headers, "content-type").starts_with("text/xml"));
    assert!(header(&headers, "cache-control").starts_with("public"));
    assert!(!headers.contains_key("set-cookie"));
    let doc = parse(&body);
    assert!(doc.root_element().has_tag_name((ATOM, "feed")));
    assert_eq!(
        links(&doc),
        ["https://health.example.org/articles/cramp-care/patient"],
        "only the approved article, never the draft or the one under review: {body}"
    );
    // The request is echoed as categories.
    let echoed: Vec<(String, String)> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ATOM, "category")))
        .map(|n| {
            (
                n.attribute("scheme").unwrap().to_string(),
                n.attribute("term").unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("mainSearchCriteria.v.c", "R25.2"),
        ("mainSearchCriteria.v.cs", ICD10CM),
        ("mainSearchCriteria.v.dn", "Cramp and spasm"),
        ("informationRecipient", "PAT"),
    ] {
        assert!(
            echoed.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} echoed: {echoed:?}"
        );
    }
    for required in ["id", "title", "updated", "author"] {
        assert!(
            doc.root_element()
                .children()
                .any(|n| n.has_tag_name((ATOM, required))),
            "the feed has <{required}>"
        );
    }
    // The entry names its reviewers and the approval date.
    assert!(
        body.contains("<contributor><name>Dr Ada Reviewer, MD, Neurology</name></contributor>"),
        "{body}"
    );
    assert!(body.contains("2025-07-29"), "{body}");

    // For a provider, the professional wording.
    let (_, _, body) = get(
        &app,
        &request("R25.2", ICD10CM, "&informationRecipient=PROV"),
    )
    .await;
    assert_eq!(
        links(&parse(&body)),
        ["https://health.example.org/articles/cramp-care/professional"]
    );
    // Without a recipient, the site's default audience.
    let (_, _, body) = get(&app, &request("r252", ICD10CM, "")).await;
    assert_eq!(
        links(&parse(&body)),
        ["https://health.example.org/articles/cramp-care/patient"]
    );

    // SNOMED CT and RxNorm requests work the same way.
    for (code, system) in [("22298006", SNOMEDCT), ("9071", RXNORM)] {
        let (status, _, body) =
            get(&app, &request(code, system, "&informationRecipient=PROV")).await;
        assert_eq!(status, 200);
        assert_eq!(
            links(&parse(&body)),
            ["https://health.example.org/articles/cramp-care/professional"],
            "{system}"
        );
    }
    // A code no approved article has: an empty feed, not an error.
    let (status, _, body) = get(&app, &request("I70.213", ICD10CM, "")).await;
    assert_eq!(status, 200);
    assert!(links(&parse(&body)).is_empty());
    // A sibling of the parent does not match.
    let (_, _, body) = get(&app, &request("R26.2", ICD10CM, "")).await;
    assert!(links(&parse(&body)).is_empty());
    // Another language: nothing is translated yet, so nothing answers.
    let (_, _, body) = get(
        &app,
        &request("R25.2", ICD10CM, "&informationRecipient.languageCode.c=es"),
    )
    .await;
    assert!(links(&parse(&body)).is_empty());
}

#[actix_web::test]
async fn json_and_html_answers() {
    let dir = coded_site();
    let state = web::Data::new(AppState::load(dir.path()).unwrap());
    let app = app(state).await;
    let (status, headers, body) = get(
        &app,
        &request(
            "R25.2",
            ICD10CM,
            "&informationRecipient=PROV&knowledgeResponseType=application/json",
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let entries = json["feed"]["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0]["link"][0]["href"],
        "https://health.example.org/articles/cramp-care/professional"
    );
    assert_eq!(entries[0]["title"]["_value"], "Cramp care for clinicians");
    let categories = json["feed"]["category"].as_array().unwrap();
    assert!(
        categories
            .iter()
            .any(|c| c["scheme"] == "mainSearchCriteria.v.c" && c["term"] == "R25.2")
    );

    // HTML: one article is a redirect to its wording.
    let (status, headers, _) = get(
        &app,
        &request(
            "R25.2",
            ICD10CM,
            "&informationRecipient=PAT&knowledgeResponseType=text/html",
        ),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(header(&headers, "location"), "/articles/cramp-care/patient");
    // None: a page that says so, with a way on.
    let (status, _, body) = get(
        &app,
        &request("I70.213", ICD10CM, "&knowledgeResponseType=text/html"),
    )
    .await;
    assert_eq!(status, 404);
    assert!(body.contains("No reviewed article"), "{body}");
}

#[actix_web::test]
async fn malformed_requests_get_a_clear_400_in_their_format() {
    let dir = coded_site();
    let state = web::Data::new(AppState::load(dir.path()).unwrap());
    let app = app(state).await;
    // A SNOMED CT id with a wrong check digit.
    let (status, headers, body) = get(&app, &request("22298007", SNOMEDCT, "")).await;
    assert_eq!(status, 400);
    assert!(header(&headers, "content-type").starts_with("text/xml"));
    parse(&body);
    assert!(body.contains("check digit"), "{body}");
    let json_bad = get(
        &app,
        &request(
            "22298007",
            SNOMEDCT,
            "&knowledgeResponseType=application/json",
        ),
    )
    .await;
    assert_eq!(json_bad.0, 400);
    let error: serde_json::Value = serde_json::from_str(&json_bad.2).unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("check digit")
    );
    for (path, says) in [
        ("/infobutton", "mainSearchCriteria.v.c"),
        (
            "/infobutton?mainSearchCriteria.v.c=R25.2",
            "mainSearchCriteria.v.cs",
        ),
        (
            &request("R25.2", "2.16.840.1.113883.6.103", "") as &str,
            "not answered here",
        ),
        (&request("25.2", ICD10CM, ""), "not an ICD-10-CM code"),
        (
            &request("R25.2", ICD10CM, "&informationRecipient=NURSE"),
            "PAT",
        ),
        (
            &request("R25.2", ICD10CM, "&knowledgeResponseType=text/plain"),
            "not offered",
        ),
        (
            &request(
                "R25.2",
                ICD10CM,
                "&informationRecipient.languageCode.c=%3Cscript%3E",
            ),
            "language tag",
        ),
        (
            &format!(
                "{}&mainSearchCriteria.v.c=R26",
                request("R25.2", ICD10CM, "")
            ),
            "more than once",
        ),
    ] {
        let (status, _, body) = get(&app, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body.contains(says), "{path}: {body}");
        assert!(!body.contains("<script>"), "{body}");
    }
    let (status, _, body) = get(
        &app,
        &request("R25.2", "bogus", "&knowledgeResponseType=text/html"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("<html"), "an HTML page: {body}");
}

#[test]
fn malformed_codes_are_check_errors_and_shared_codes_a_note() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    code(
        dir.path(),
        "cramp-care",
        &[("snomedct", "22298007"), ("loinc", "2345-6")],
    );
    code(dir.path(), "hostile", &[("icd10cm", "R25.2")]);
    code(dir.path(), "pending-topic", &[("icd10cm", "r25.2")]);
    let site = healthpress::content::load_site(dir.path()).unwrap();
    let messages: Vec<String> = site
        .diagnostics
        .iter()
        .map(|d| format!("{:?}: {}", d.severity, d.message))
        .collect();
    let has = |severity: &str, words: &str| {
        messages
            .iter()
            .any(|m| m.starts_with(severity) && m.contains(words))
    };
    assert!(
        has("Error", "22298007` fails the SNOMED CT check digit"),
        "{messages:#?}"
    );
    assert!(
        has("Error", "2345-6` fails the LOINC check digit"),
        "{messages:#?}"
    );
    assert!(
        has(
            "Note",
            "ICD-10-CM code R25.2 is given to 2 articles (hostile, pending-topic)"
        ),
        "{messages:#?}"
    );
    // An unknown system is an error naming the ones there are.
    code(dir.path(), "hostile", &[("icd9", "123")]);
    let site = healthpress::content::load_site(dir.path()).unwrap();
    assert!(
        site.diagnostics
            .iter()
            .any(|d| d.message.contains("icd9") && d.message.contains("icd10cm")),
        "{:#?}",
        site.diagnostics
    );
}

#[actix_web::test]
async fn the_review_board_lists_each_reviewers_approvals_and_declarations() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let reviewers = dir.path().join("reviewers.toml");
    let text = std::fs::read_to_string(&reviewers).unwrap().replacen(
        "credentials = \"MD, Neurology\"",
        "credentials = \"MD, Neurology\"\nrole = \"Clinical reviewer, neurology\"\nlanguages = [\"en\", \"es\"]\ndeclared_interests = \"Paid lectures for a maker of muscle relaxants (2024).\"",
        1,
    );
    std::fs::write(&reviewers, text).unwrap();
    healthpress::content::approve_article(
        dir.path(),
        "cramp-care",
        &["rev-one".to_string()],
        "First reviewed text.",
        healthpress::content::Date::today(),
        None,
    )
    .unwrap();
    let state = web::Data::new(AppState::load(dir.path()).unwrap());
    let app = app(state).await;
    let (status, _, board) = get(&app, "/reviewers").await;
    assert_eq!(status, 200);
    let one = &board[board.find("id=\"reviewer-rev-one\"").expect("rev-one")..];
    let one = &one[..one.find("</section>").unwrap()];
    assert!(one.contains("Dr Ada Reviewer") && one.contains("MD, Neurology"));
    assert!(one.contains("Clinical reviewer, neurology"));
    assert!(one.contains("English, Spanish (español)"));
    assert!(one.contains("Paid lectures for a maker of muscle relaxants (2024)."));
    assert!(
        one.contains("href=\"/articles/cramp-care/patient\"")
            && one.contains(&healthpress::content::Date::today().iso()),
        "the approval, with its date: {one}"
    );
    let two = &board[board.find("id=\"reviewer-rev-two\"").expect("rev-two")..];
    let two = &two[..two.find("</section>").unwrap()];
    assert!(two.contains("None declared"), "{two}");
    assert!(two.contains("Has not approved any article yet"), "{two}");
    // Every page links to it; the review box too; the JSON-LD names reviewers with it as their URL.
    let (_, _, page) = get(&app, "/articles/cramp-care/patient").await;
    assert!(
        page.contains("<a href=\"/reviewers\">About our reviewers"),
        "{page}"
    );
    assert!(
        page.contains("\"url\":\"https://health.example.org/reviewers#reviewer-rev-one\""),
        "{page}"
    );
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains("href=\"/reviewers\""));
}

#[actix_web::test]
async fn the_bundled_review_board_says_its_reviewers_are_fictional() {
    let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let state = web::Data::new(AppState::load(&content).unwrap());
    let app = app(state).await;
    let (status, _, board) = get(&app, "/reviewers").await;
    assert_eq!(status, 200);
    assert!(
        board.contains("The reviewers below are fictional"),
        "{board}"
    );
    assert_eq!(
        board.matches("(fictional sample reviewer)").count(),
        3,
        "each sample reviewer says so"
    );
    assert!(board.contains("Sample approvals"), "{board}");
}

#[actix_web::test]
async fn grades_show_in_professional_wordings_with_a_key_and_coach_patient_wordings() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let article = dir.path().join("articles/cramp-care");
    let edit = |file: &str, from: &str, to: &str| {
        let path = article.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "professional.md",
        "First-line care is stretching. [@alpha]",
        "First-line care is stretching. [@alpha]{grade=\"GRADE:low\"}",
    );
    edit(
        "professional.md",
        "Refer when cramps are severe. [@gamma]",
        "Refer when cramps are severe. [@gamma]{grade=\"ACC-AHA:2a-B-NR\"}",
    );
    // A patient sentence that states a low-certainty effect as certain.
    edit(
        "patient.md",
        "Stretch your calf when a cramp starts. [@beta]",
        "Stretching will stop your cramps for good. [@beta]{grade=\"GRADE:low\"}",
    );
    let site = healthpress::content::load_site(dir.path()).unwrap();
    let coached: Vec<&str> = site
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("cites low-certainty evidence"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(coached.len(), 1, "{:#?}", site.diagnostics);
    assert!(coached[0].contains("Stretching will stop your cramps for good."));
    assert!(coached[0].contains("\"may\""));
    let state = web::Data::new(AppState::load(dir.path()).unwrap());
    let app = app(state).await;
    let (_, _, professional) = get(&app, "/articles/cramp-care/professional").await;
    assert!(
        professional.contains("<span class=\"grade\">(GRADE: low certainty)</span>"),
        "{professional}"
    );
    assert!(professional.contains("<span class=\"grade\">(ACC/AHA: Class IIa, LOE B-NR)</span>"));
    assert!(!professional.contains("{grade"));
    let key = &professional[professional.find("class=\"grade-key\"").expect("a key")..];
    assert!(
        key.contains("GRADE: how certain the evidence is")
            && key.contains("ACC/AHA: class of recommendation")
    );
    let (_, _, patient) = get(&app, "/articles/cramp-care/patient").await;
    assert!(
        !patient.contains("class=\"grade") && !patient.contains("{grade"),
        "{patient}"
    );
    assert!(patient.contains("<sup class=\"cite\">"));

    // A malformed grade is an error naming what is allowed.
    edit(
        "professional.md",
        "{grade=\"GRADE:low\"}",
        "{grade=\"GRADE:somewhat\"}",
    );
    let site = healthpress::content::load_site(dir.path()).unwrap();
    assert!(
        site.diagnostics.iter().any(|d| {
            d.severity == healthpress::content::Severity::Error
                && d.message.contains("malformed evidence grade")
                && d.message.contains("very-low")
        }),
        "{:#?}",
        site.diagnostics
    );
}

#[actix_web::test]
async fn the_bundled_site_answers_knowledge_requests_for_its_approved_articles() {
    let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let state = web::Data::new(AppState::load(&content).unwrap());
    let app = app(state).await;
    let base = "http://127.0.0.1:8080";
    // Leg cramps, by ICD-10-CM, for the patient.
    let (_, _, body) = get(
        &app,
        &request("R25.2", ICD10CM, "&informationRecipient=PAT"),
    )
    .await;
    let doc = parse(&body);
    assert_eq!(
        links(&doc),
        [format!("{base}/articles/leg-cramps/patient")],
        "{body}"
    );
    assert!(
        body.contains("(fictional sample reviewer)"),
        "sample reviewers say so: {body}"
    );
    // Quinine, by RxNorm, for the clinician.
    let (_, _, body) = get(&app, &request("9071", RXNORM, "&informationRecipient=PROV")).await;
    assert_eq!(
        links(&parse(&body)),
        [format!(
            "{base}/articles/quinine-for-leg-cramps/professional"
        )]
    );
    // PAD and statins are coded but not approved: they do not answer until they are.
    for (code, system) in [("I70.213", ICD10CM), ("83367", RXNORM)] {
        let (_, _, body) = get(&app, &request(code, system, "")).await;
        assert!(links(&parse(&body)).is_empty(), "{code}: {body}");
    }
}

/// One client cannot crowd out the rest: past its allowance it gets 429 with `Retry-After`, while
/// another client (told apart through the trusted proxy) is still answered.
#[test]
fn knowledge_requests_are_limited_per_client() {
    use common::server::{Server, request, status_of};
    let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let server = Server::start(&content, &["--trusted-proxy", "127.0.0.1"]);
    let ask = |client: &str| {
        request(
            &server.addr,
            &format!(
                "GET {} HTTP/1.0\r\nHost: x\r\nX-Forwarded-For: {client}\r\n\r\n",
                request_path()
            ),
        )
        .unwrap()
    };
    let mut limited = None;
    for n in 0..200 {
        let response = ask("203.0.113.7");
        if status_of(&response) == 429 {
            limited = Some((n, response));
            break;
        }
        assert_eq!(status_of(&response), 200, "{response:.300}");
    }
    let (n, response) = limited.expect("the client is limited within 200 requests");
    assert!(n >= 100, "a burst of requests is allowed first ({n})");
    assert!(
        response.to_ascii_lowercase().contains("retry-after:"),
        "{response}"
    );
    assert_eq!(
        status_of(&ask("198.51.100.9")),
        200,
        "another client is answered"
    );
}

fn request_path() -> String {
    request("R25.2", ICD10CM, "")
}
