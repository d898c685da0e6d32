//! Follow-up questions (`/ask`) answered from reviewed text, search in readers' own words
//! (`synonyms.toml`) and across wordings, over the bundled articles.

mod common;

use actix_web::web;
use common::{app, copy_dir, get, header};
use healthpress::web::AppState;
use std::path::{Path, PathBuf};

fn bundled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// A copy of the bundled content with every article approved, as a site that has finished review.
fn approved_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content"),
        dir.path(),
    );
    for entry in std::fs::read_dir(dir.path().join("articles")).unwrap() {
        let toml = entry.unwrap().path().join("article.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        let text = text.replace(
            "status = \"under_review\"",
            "status = \"approved\"\nreviewed_on = 2026-11-27",
        );
        std::fs::write(&toml, text).unwrap();
    }
    dir
}

/// Real questions a patient might ask about the bundled articles, with the sections that answer
/// them (`slug#section`; any of those listed counts).
const QUESTIONS: &[(&str, &[&str])] = &[
    (
        "What should I do when I get a leg cramp at night?",
        &["leg-cramps#during-a-cramp"],
    ),
    (
        "How can I stop cramps coming back?",
        &["leg-cramps#prevention"],
    ),
    (
        "Can I take quinine for my cramps?",
        &[
            "leg-cramps#quinine",
            "quinine-for-leg-cramps#summary",
            "quinine-for-leg-cramps#does-it-work",
        ],
    ),
    (
        "Is tonic water good for cramps?",
        &["quinine-for-leg-cramps#tonic-water"],
    ),
    (
        "Who should not take quinine?",
        &["quinine-for-leg-cramps#who-should-not"],
    ),
    (
        "Does quinine work for leg cramps?",
        &["quinine-for-leg-cramps#does-it-work"],
    ),
    (
        "Why do doctors avoid quinine?",
        &["quinine-for-leg-cramps#risks"],
    ),
    (
        "I already take quinine, what should I do?",
        &["quinine-for-leg-cramps#already-taking"],
    ),
    (
        "What can I try instead of quinine?",
        &["quinine-for-leg-cramps#instead"],
    ),
    (
        "Does magnesium help leg cramps?",
        &["leg-cramps#prevention", "leg-cramps#medicines"],
    ),
    (
        "When should I see a doctor about leg cramps?",
        &["leg-cramps#when-to-get-help"],
    ),
    (
        "Could my leg cramps be something else?",
        &["leg-cramps#something-else"],
    ),
    (
        "Why does my leg hurt when I walk?",
        &["pad-claudication#what-it-is", "pad-claudication#summary"],
    ),
    (
        "How does walking exercise help claudication?",
        &["pad-claudication#exercise"],
    ),
    (
        "Should I stop smoking if I have PAD?",
        &["pad-claudication#smoking"],
    ),
    (
        "What medicines are used for peripheral arterial disease?",
        &["pad-claudication#medicines"],
    ),
    (
        "How should I look after my feet?",
        &["pad-claudication#foot-care"],
    ),
    (
        "Do I need a stent or bypass?",
        &["pad-claudication#procedures"],
    ),
    (
        "What tests check for poor circulation in the legs?",
        &["pad-claudication#tests"],
    ),
    (
        "Are my muscle aches caused by my statin?",
        &[
            "statins-and-muscle-symptoms#how-common",
            "statins-and-muscle-symptoms#summary",
        ],
    ),
    (
        "What should I do if my muscles ache on a statin?",
        &["statins-and-muscle-symptoms#what-to-do"],
    ),
    (
        "Can statins cause serious muscle damage?",
        &["statins-and-muscle-symptoms#rare-harm"],
    ),
    (
        "When should I get help for muscle pain on statins?",
        &["statins-and-muscle-symptoms#when-to-get-help"],
    ),
    (
        "What helps a charley horse?",
        &[
            "leg-cramps#during-a-cramp",
            "leg-cramps#summary",
            "leg-cramps#prevention",
        ],
    ),
    (
        "Should I keep taking my blood thinner?",
        &["pad-claudication#medicines"],
    ),
];

/// Questions the bundled articles do not answer.
const UNANSWERED: &[&str] = &[
    // The patient wording of the quinine article does not mention pregnancy.
    "Is it safe to take quinine when pregnant?",
    "What is the weather tomorrow?",
    "How do I renew my passport?",
    "Can I take ibuprofen for a headache?",
];

#[test]
fn follow_up_questions_find_the_section_that_answers_them() {
    let content = approved_copy();
    let state = AppState::load(content.path()).expect("content loads");
    let snapshot = state.snapshot();
    let index = snapshot.wait_for_search();
    let mut first = 0;
    let mut in_three = 0;
    let mut report = String::new();
    for (question, expected) in QUESTIONS {
        let passages = index.ask(question, "patient", 3);
        let found: Vec<String> = passages
            .iter()
            .map(|p| format!("{}#{}", p.slug, p.section))
            .collect();
        let coverage: Vec<String> = passages
            .iter()
            .map(|p| format!("{:.2}", p.coverage))
            .collect();
        let top = found
            .first()
            .is_some_and(|f| expected.contains(&f.as_str()));
        let any = found.iter().any(|f| expected.contains(&f.as_str()));
        first += usize::from(top);
        in_three += usize::from(any);
        report.push_str(&format!(
            "{} {question:?} -> {found:?} {coverage:?} (expected {expected:?})\n",
            if top {
                "hit "
            } else if any {
                "top3"
            } else {
                "MISS"
            }
        ));
    }
    println!("{report}");
    println!(
        "first passage right: {first}/{n}; among the three: {in_three}/{n}",
        n = QUESTIONS.len()
    );
    assert!(
        first * 10 >= QUESTIONS.len() * 8,
        "the first passage should answer at least 80% of the questions:\n{report}"
    );
    assert!(
        in_three * 10 >= QUESTIONS.len() * 9,
        "one of the three passages should answer at least 90% of the questions:\n{report}"
    );
    for question in UNANSWERED {
        let passages = index.ask(question, "patient", 3);
        assert!(passages.is_empty(), "{question:?} -> {passages:?}");
    }
}

fn load(dir: &Path) -> web::Data<AppState> {
    web::Data::new(AppState::load(dir).expect("content loads"))
}

#[actix_web::test]
async fn ask_answers_with_passages_their_links_and_references() {
    let content = approved_copy();
    let app = app(load(content.path())).await;
    let (status, headers, body) = get(
        &app,
        "/ask?q=Is+tonic+water+good+for+cramps%3F&audience=patient",
    )
    .await;
    assert_eq!(status, 200);
    assert!(header(&headers, "cache-control").starts_with("public"));
    assert!(
        body.contains("href=\"/articles/quinine-for-leg-cramps/patient#tonic-water\""),
        "{body}"
    );
    assert!(body.contains("not advice about you"), "{body}");
    // The passage shows the references its section cites, linked to the article's list.
    let answers = &body[body.find("class=\"answer-list\"").expect("answers")..];
    assert!(answers.contains("This passage cites:"), "{answers}");
    assert!(
        answers.contains("href=\"/articles/quinine-for-leg-cramps/patient#ref-"),
        "{answers}"
    );
    // In the professional wording, answers link to professional pages.
    let (_, _, body) = get(&app, "/ask?q=quinine+tonic+water&audience=professional").await;
    assert!(
        body.contains("/articles/quinine-for-leg-cramps/professional#"),
        "{body}"
    );
    assert!(!body.contains("/patient#"), "{body}");
}

#[actix_web::test]
async fn ask_says_plainly_when_nothing_answers_and_escapes_the_question() {
    let content = approved_copy();
    let app = app(load(content.path())).await;
    let (status, _, body) = get(
        &app,
        "/ask?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+passport+renewal&audience=patient",
    )
    .await;
    assert_eq!(status, 200);
    assert!(!body.contains("<script>alert(1)"), "{body}");
    assert!(body.contains("&#60;script&#62;alert(1)"), "{body}");
    assert!(body.contains("could not find a passage"), "{body}");
    assert!(
        body.contains("ask your doctor, nurse or pharmacist"),
        "{body}"
    );
    assert!(body.contains("class=\"emergency-line\""), "{body}");
    assert!(!body.contains("class=\"answer-list\""), "{body}");
    // Without an audience, the reader's choice (or the default) is filled in.
    let (status, headers, _) = get(&app, "/ask?q=cramp").await;
    assert_eq!(status, 302);
    assert_eq!(
        header(&headers, "location"),
        "/ask?q=cramp&audience=patient"
    );
}

#[actix_web::test]
async fn ask_never_answers_from_pending_or_draft_articles() {
    // Two bundled articles are still under review: shown to readers, but never answered from.
    let bundled = app(load(&bundled())).await;
    for q in [
        "walking+pain+in+my+calf+claudication+cilostazol",
        "statin+muscle+aches+should+I+stop+my+statin",
    ] {
        let (_, _, body) = get(&bundled, &format!("/ask?q={q}&audience=patient")).await;
        assert!(
            !body.contains("/articles/pad-claudication/")
                && !body.contains("/articles/statins-and-muscle-symptoms/"),
            "{q}: {body}"
        );
    }
    let (_, _, page) = get(&bundled, "/search?q=statin&audience=patient").await;
    assert!(
        page.contains("/articles/statins-and-muscle-symptoms/patient"),
        "still searchable"
    );

    let fixture = app_of_fixture().await;
    for q in [
        "DRAFT-SECRET-BODY",
        "draft secret body",
        "patient wording so far",
    ] {
        let path = format!("/ask?q={}&audience=patient", q.replace(' ', "+"));
        let (status, _, body) = get(&fixture, &path).await;
        assert_eq!(status, 200);
        assert!(!body.contains("class=\"answer-list\""), "{q}: {body}");
        assert!(
            !body.contains("secret-draft") && !body.contains("pending-topic"),
            "{q}: {body}"
        );
    }
    // An approved fixture article does answer.
    let (_, _, body) = get(&fixture, "/ask?q=cramps+awake+nights&audience=patient").await;
    assert!(
        body.contains("/articles/cramp-care/patient#when-to-get-help"),
        "{body}"
    );
}

async fn app_of_fixture() -> impl actix_web::dev::Service<
    actix_http::Request,
    Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    Error = actix_web::Error,
> {
    app(common::state("valid")).await
}

#[actix_web::test]
async fn article_pages_offer_the_follow_up_box() {
    let app = app_of_fixture().await;
    for audience in ["patient", "professional"] {
        let (_, _, body) = get(&app, &format!("/articles/cramp-care/{audience}")).await;
        let form = &body[body
            .find("<form class=\"follow-up\"")
            .expect("follow-up form")..];
        let form = &form[..form.find("</form>").unwrap()];
        assert!(form.contains("action=\"/ask\""), "{form}");
        assert!(form.contains("name=\"q\""), "{form}");
        assert!(
            form.contains(&format!("name=\"audience\" value=\"{audience}\"")),
            "{form}"
        );
        assert!(form.contains("Have a follow-up question?"), "{form}");
    }
}

#[actix_web::test]
async fn readers_words_find_articles_through_synonyms() {
    let with = app(load(&bundled())).await;
    let (_, _, body) = get(&with, "/search?q=charley+horse&audience=patient").await;
    assert!(body.contains("/articles/leg-cramps/patient"), "{body}");
    let (_, _, body) = get(&with, "/search?q=%22water+pills%22&audience=patient").await;
    assert!(body.contains("/articles/leg-cramps/patient"), "{body}");
    // Without the synonyms file, the same words find nothing: no article says "charley horse".
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&bundled(), dir.path());
    std::fs::remove_file(dir.path().join("synonyms.toml")).unwrap();
    let without = app(load(dir.path())).await;
    let (_, _, body) = get(&without, "/search?q=charley+horse&audience=patient").await;
    assert!(!body.contains("/articles/leg-cramps/patient"), "{body}");
}

#[test]
fn synonyms_file_is_checked_like_every_other() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&bundled(), dir.path());
    let file = dir.path().join("synonyms.toml");
    for (text, needle) in [
        (
            "[[synonyms]]\nterm = [\"a\", \"b\"]\n",
            "unknown field `term`",
        ),
        (
            "[[synonyms]]\nterms = [\"only one\"]\n",
            "2 to 12 different terms",
        ),
        (
            "[[synonyms]]\nterms = [\"a\", \"\"]\n",
            "must be 1 to 4 words",
        ),
        (
            "[[synonyms]]\nterms = [\"one two three four five\", \"b\"]\n",
            "must be 1 to 4 words",
        ),
        ("[synonym]\n", "unknown field `synonym`"),
    ] {
        std::fs::write(&file, text).unwrap();
        let site = healthpress::content::load_site(dir.path()).expect("loads");
        assert!(
            site.diagnostics.iter().any(|d| d.is_error()
                && d.path.ends_with("synonyms.toml")
                && d.message.contains(needle)),
            "{text}: {:#?}",
            site.diagnostics
        );
    }
    std::fs::write(
        &file,
        "[[synonyms]]\nterms = [\"Leg  Cramp\", \"charley horse\"]\n",
    )
    .unwrap();
    let site = healthpress::content::load_site(dir.path()).expect("loads");
    assert_eq!(
        site.synonyms,
        vec![vec!["leg cramp".to_string(), "charley horse".to_string()]]
    );
}

#[actix_web::test]
async fn search_lists_articles_found_only_in_another_wording() {
    let app = app(load(&bundled())).await;
    // Only the professional wording of the statins article names atorvastatin.
    let (_, _, body) = get(&app, "/search?q=atorvastatin&audience=patient").await;
    let results = &body[body.find("class=\"results\"").expect("results")..];
    assert!(
        results.contains("href=\"/articles/statins-and-muscle-symptoms/professional\""),
        "{results}"
    );
    assert!(
        results.contains("Found in the Healthcare professional version"),
        "{results}"
    );
    // Found in the reader's own wording: linked there, not marked.
    let (_, _, body) = get(&app, "/search?q=stretch&audience=patient").await;
    let results = &body[body.find("class=\"results\"").expect("results")..];
    assert!(
        results.contains("href=\"/articles/leg-cramps/patient\""),
        "{results}"
    );
    assert!(
        !results.contains("/articles/leg-cramps/professional"),
        "{results}"
    );
}

#[actix_web::test]
async fn structured_data_audience_defaults_by_position_and_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&common::fixture("valid"), dir.path());
    let site_toml = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(
        &site_toml,
        text.replace("audience_type = \"patient\"\n", "")
            .replace("audience_type = \"clinician\"\n", ""),
    )
    .unwrap();
    let site = healthpress::content::load_site(dir.path()).unwrap();
    let notes: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.severity == healthpress::content::Severity::Note)
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(notes[0].message.contains("`patient`") && notes[0].message.contains("as `patient`"));
    assert!(
        notes[1].message.contains("`professional`") && notes[1].message.contains("as `clinician`")
    );
    let app = app(load(dir.path())).await;
    let (_, _, patient) = get(&app, "/articles/cramp-care/patient").await;
    assert!(
        patient.contains("\"audience\":{\"@type\":\"Patient\"}"),
        "{patient}"
    );
    let (_, _, professional) = get(&app, "/articles/cramp-care/professional").await;
    assert!(
        professional.contains(
            "\"audience\":{\"@type\":\"MedicalAudience\",\"audienceType\":\"Clinician\"}"
        ),
        "{professional}"
    );
    // `check` prints the assumption as a note (notes never count for --strict).
    let (_, text) = common::check_strict(dir.path());
    assert!(
        text.contains("note: audience `professional` has no `audience_type`"),
        "{text}"
    );
}

/// The bundled site shows the whole product: its sample-approved articles answer a follow-up
/// question with the right section, and say the approval is a sample.
#[actix_web::test]
async fn the_bundled_site_answers_a_leg_cramps_question_from_its_sample_approvals() {
    let bundled = app(load(&bundled())).await;
    let (status, _, body) = get(
        &bundled,
        "/ask?q=how+can+I+stop+leg+cramps+coming+back&audience=patient",
    )
    .await;
    assert_eq!(status, 200);
    let first = body
        .find("class=\"answer-list\"")
        .map(|at| &body[at..])
        .expect("an answer");
    let href = first
        .split("<h3><a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert_eq!(href, "/articles/leg-cramps/patient#prevention", "{body}");
    assert!(
        body.contains("sample articles approved by fictional reviewers"),
        "the caution says the approval is a sample: {body}"
    );
    assert!(!body.contains("checked by our reviewers"), "{body}");
    let (_, _, page) = get(&bundled, "/articles/leg-cramps/patient").await;
    assert!(page.contains("Approved (sample approval by fictional reviewers)"));
    assert!(
        page.contains("Sample approval by Dr Amara Okafor, Priya Raman (fictional reviewers).")
    );
    assert!(
        !page.contains("reviewed by clinicians"),
        "the footer claims no review"
    );
    assert!(
        !page.contains("\"lastReviewed\""),
        "JSON-LD claims no review"
    );
    let (_, _, feed) = get(&bundled, "/changes.atom").await;
    assert!(feed.contains("<name>Dr Amara Okafor (fictional sample reviewer), Priya Raman (fictional sample reviewer)</name>"), "{feed}");
    assert!(
        feed.contains("(sample approval by fictional reviewers,"),
        "{feed}"
    );
}
