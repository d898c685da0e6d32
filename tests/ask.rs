//! Follow-up questions (`/ask`) answered from reviewed text, search in readers' own words
//! (`synonyms.toml`) and across wordings, over the bundled articles.

mod common;

use actix_web::web;
use common::{app, get};
use healthpress::web::AppState;
use std::path::{Path, PathBuf};

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
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
