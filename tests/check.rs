//! `healthpress check` and the loader's diagnostics: each invalid fixture holds one defect, and the
//! error names the file, the line where known, and the fix.

mod common;

use common::fixture;
use healthpress::content::{Diagnostic, load_site};
use std::process::Command;

/// The diagnostics for a fixture, whether or not the site as a whole could load.
fn diagnostics(name: &str) -> Vec<Diagnostic> {
    match load_site(&fixture(name)) {
        Ok(site) => site.diagnostics,
        Err(e) => e.diagnostics,
    }
}

/// Asserts that exactly one error message mentions every one of `needles`, in `file` at `line`.
fn assert_error(name: &str, file: &str, line: Option<usize>, needles: &[&str]) {
    let all = diagnostics(&format!("invalid/{name}"));
    let found: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.is_error() && needles.iter().all(|n| d.message.contains(n)))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{name}: expected one error with {needles:?}, got {all:#?}"
    );
    let d = found[0];
    assert!(
        d.path.ends_with(file),
        "{name}: {} should end with {file}",
        d.path.display()
    );
    assert_eq!(d.line, line, "{name}: line");
    assert!(
        all.iter().all(|d| d.is_error()),
        "{name}: no follow-on warnings for an article that failed: {all:#?}"
    );
}

#[test]
fn bad_toml_is_reported_with_its_line() {
    assert_error(
        "bad-toml",
        "cramp-care/article.toml",
        Some(2),
        &["invalid TOML"],
    );
}

#[test]
fn unknown_key_is_an_error() {
    assert_error(
        "unknown-key",
        "cramp-care/article.toml",
        Some(1),
        &["unknown field `titel`", "`title`"],
    );
}

#[test]
fn unknown_citation_is_an_error() {
    assert_error(
        "missing-reference",
        "cramp-care/patient.md",
        Some(7),
        &["`@delta` has no reference", "key = \"delta\""],
    );
}

#[test]
fn unknown_reviewer_is_an_error() {
    assert_error(
        "unknown-reviewer",
        "cramp-care/article.toml",
        Some(8),
        &["unknown reviewer id `dr-nobody`", "reviewers.toml"],
    );
}

#[test]
fn unknown_assignee_is_an_error() {
    assert_error(
        "unknown-assignee",
        "cramp-care/article.toml",
        Some(11),
        &[
            "`assigned_to` names unknown reviewer id `dr-nobody`",
            "reviewers.toml",
        ],
    );
}

#[test]
fn unknown_audience_file_is_an_error() {
    assert_error(
        "unknown-audience-file",
        "cramp-care/kids.md",
        None,
        &["no audience `kids`", "patient, professional"],
    );
}

#[test]
fn folder_that_is_not_a_slug_is_an_error() {
    assert_error(
        "bad-slug",
        "articles/Cramp_Care",
        None,
        &["not a slug", "a-z, 0-9 and -"],
    );
}

#[test]
fn file_that_is_not_utf8_is_an_error() {
    assert_error(
        "not-utf8",
        "cramp-care/patient.md",
        Some(1),
        &["not valid UTF-8", "save the file as UTF-8"],
    );
}

#[test]
fn impossible_date_is_an_error() {
    assert_error(
        "impossible-date",
        "cramp-care/article.toml",
        Some(4),
        &["invalid date"],
    );
}

#[test]
fn unknown_wording_front_matter_key_is_an_error() {
    assert_error(
        "bad-wording-front-matter",
        "cramp-care/patient.md",
        Some(3),
        &["unknown field `colour`"],
    );
}

#[test]
fn reference_url_must_be_http() {
    assert_error(
        "bad-reference-url",
        "cramp-care/article.toml",
        Some(28),
        &["`url`", "not an http(s) URL"],
    );
}

#[test]
fn unusable_site_toml_stops_loading_with_a_clear_error() {
    let err = load_site(&fixture("invalid/bad-site-toml")).expect_err("site.toml error is fatal");
    assert!(
        err.diagnostics.iter().any(|d| d.path.ends_with("site.toml")
            && d.message.contains("`default_audience` `children`"))
    );
}

fn run_check(dir: &std::path::Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["check", "--content"])
        .arg(dir)
        .output()
        .expect("run healthpress check");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_prints_every_problem_at_once_and_exits_1() {
    let (code, out) = run_check(&fixture("mixed"));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("broken-toml/article.toml:1: error: invalid TOML"),
        "{out}"
    );
    assert!(
        out.contains("missing-ref/patient.md:3: error: citation `@nosuch` has no reference"),
        "{out}"
    );
    assert!(out.contains("bad-encoding/patient.md:1: error:"), "{out}");
    assert!(out.contains("1 article(s) loaded, 6 error(s)"), "{out}");
}

#[test]
fn check_exits_0_on_valid_content() {
    let (code, out) = run_check(&fixture("valid"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 error(s)"));
}

#[test]
fn check_passes_on_the_bundled_content() {
    let (code, out) = run_check(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert_eq!(code, 0, "{out}");
    let site =
        load_site(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap();
    assert!(
        site.public_articles().count() >= 4,
        "the bundled articles all load"
    );
    assert!(site.pages.contains_key("editorial-policy"));
}

#[test]
fn check_fails_on_a_missing_content_folder() {
    let (code, out) = run_check(std::path::Path::new("/nonexistent/healthpress-content"));
    assert_eq!(code, 1);
    assert!(out.contains("site.toml"), "{out}");
}

fn run_check_with(dir: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["check", "--content"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("run healthpress check");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = fixture("warnings");
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: approved, but its review was due on 1 January 2021"),
        "{out}"
    );
    assert!(out.contains("patient.md: warning: reads at grade"), "{out}");
    assert!(out.contains("above this audience's target of 8"), "{out}");
    assert!(
        out.contains("warning: reference `uncited` is never cited"),
        "{out}"
    );
    assert!(
        out.contains("warning: approved, but with no approval record"),
        "{out}"
    );
    assert!(out.contains("0 error(s), 4 warning(s)"), "{out}");
    let (code, _) = run_check_with(&dir, &["--strict"]);
    assert_eq!(code, 1, "--strict fails on warnings");
}

#[test]
fn check_prints_json_for_machines() {
    let (code, out) = run_check_with(&fixture("mixed"), &["--format", "json"]);
    assert_eq!(code, 1);
    let list: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let list = list.as_array().unwrap();
    assert_eq!(
        list.iter().filter(|d| d["severity"] == "error").count(),
        6,
        "{out}"
    );
    let missing = list
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("@nosuch"))
        .expect("the missing reference");
    assert!(
        missing["path"]
            .as_str()
            .unwrap()
            .ends_with("missing-ref/patient.md")
    );
    assert_eq!(missing["line"], 3);
}

/// Care cards: an unknown `[!WORD]` is an error naming the allowed ones, and a wording without the
/// emergency card another wording has is warned about.
#[test]
fn care_card_markers_are_checked_and_emergency_advice_kept_in_every_wording() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("valid"), dir.path());
    let professional = dir.path().join("articles/cramp-care/professional.md");
    let text = std::fs::read_to_string(&professional).unwrap();
    let cut = text
        .find("> [!EMERGENCY]")
        .expect("the fixture has an emergency card");
    std::fs::write(&professional, &text[..cut]).unwrap();
    let (_, out) = run_check(dir.path());
    assert!(
        out.contains("cramp-care/professional.md: warning: has no [!EMERGENCY] care card, but the `patient` wording has one"),
        "{out}"
    );
    let patient = dir.path().join("articles/cramp-care/patient.md");
    let text = std::fs::read_to_string(&patient).unwrap();
    std::fs::write(&patient, text.replace("[!NON-URGENT]", "[!SOON]")).unwrap();
    let (code, out) = run_check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: unknown callout `[!SOON]`: use one of [!NON-URGENT], [!URGENT], [!EMERGENCY], [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], [!CAUTION]"), "{out}");
    let (_, out) = run_check(&fixture("valid"));
    assert!(
        !out.contains("[!EMERGENCY]"),
        "the fixture keeps its cards in both wordings: {out}"
    );
}

#[test]
fn plain_words_file_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("valid"), dir.path());
    let path = dir.path().join("plain-words.toml");
    std::fs::write(&path, "kept = [\"quinine\"]\n").unwrap();
    let site = load_site(dir.path()).expect("the site still loads");
    let errors: Vec<&Diagnostic> = site.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].path.ends_with("plain-words.toml"));
    assert!(
        errors[0].message.contains("unknown field `kept`"),
        "{errors:#?}"
    );
    assert!(errors[0].message.contains("kept_terms"), "{errors:#?}");
    assert_eq!(
        site.plain_words.plain_for("physician"),
        Some("doctor"),
        "the built-in list stays"
    );

    std::fs::write(
        &path,
        "kept_terms = [\"quinine\", \"two  words\", \"<b>\"]\n[words]\n\"ambulate\" = \"walk about\"\n\"lower\" = \"\"\n",
    )
    .unwrap();
    let site = load_site(dir.path()).expect("the site still loads");
    let messages: Vec<&str> = site
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("kept term \"<b>\" must be words"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("word \"lower\": its plainer word is empty"))
    );
    assert!(site.plain_words.is_kept("quinine"));
    assert!(site.plain_words.is_kept("two words"));
    assert_eq!(site.plain_words.plain_for("ambulate"), Some("walk about"));
}

/// A `guideline` reference whose URL is on a site listed in `mirror-sites.toml` is warned about;
/// the same URL on a reference of another kind, or a site not listed, is not.
#[test]
fn guideline_on_a_mirror_site_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("valid"), dir.path());
    let toml = dir.path().join("articles/cramp-care/article.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.replace(
        "doi = \"10.1000/alpha.1\"",
        "url = \"https://www.guidelines.co.uk/cramps/alpha-summary.article\"",
    );
    let text = text.replace(
        "url = \"https://gamma.example.org/review\"",
        "url = \"https://summaries.guidelines.co.uk/gamma\"",
    );
    std::fs::write(&toml, text).unwrap();
    // Without the list, nothing is said.
    let (code, out) = run_check(dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("mirror"), "{out}");
    std::fs::write(
        dir.path().join("mirror-sites.toml"),
        "[[sites]]\nhost = \"www.guidelines.co.uk\"\nnote = \"summaries of guidelines\"\n",
    )
    .unwrap();
    let (code, out) = run_check(dir.path());
    assert_eq!(code, 0, "a warning, not an error: {out}");
    assert!(
        out.contains("cramp-care/article.toml:12: warning: reference `alpha` is a `guideline`, but its URL is on guidelines.co.uk, a summary or mirror site listed in mirror-sites.toml (summaries of guidelines)"),
        "{out}"
    );
    assert!(
        !out.contains("reference `gamma` is a `guideline`"),
        "a review may be a summary: {out}"
    );
    let (code, _) = run_check_with(dir.path(), &["--strict"]);
    assert_eq!(code, 1, "--strict fails on it");
    // A malformed entry is an error naming the file and the entry.
    std::fs::write(
        dir.path().join("mirror-sites.toml"),
        "[[sites]]\nhost = \"https://guidelines.co.uk/x\"\n",
    )
    .unwrap();
    let (code, out) = run_check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("mirror-sites.toml: error: site 1: `host` \"https://guidelines.co.uk/x\" is not a host name"),
        "{out}"
    );
}

/// An emergency sign that the professional wording's emergency card names and no emergency card of
/// the patient wording mentions is warned about, matched by meaning (clinical words in one, plain
/// words in the other), and never the other way round.
#[test]
fn emergency_sign_missing_from_the_patient_wording_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("valid"), dir.path());
    let professional = dir.path().join("articles/cramp-care/professional.md");
    let text = std::fs::read_to_string(&professional).unwrap();
    let text = text.replace(
        "> - acute limb ischaemia (pale, cold, pulseless limb)",
        "> - acute limb ischaemia (pallor, coldness, pulseless limb)\n> - suspected pulmonary embolism: breathlessness or haemoptysis\n> - CK above 50 times the upper limit of normal",
    );
    std::fs::write(&professional, text).unwrap();
    let (code, out) = run_check(dir.path());
    assert_eq!(code, 0, "a warning, not an error: {out}");
    assert!(
        out.contains("cramp-care/patient.md: warning: the `professional` wording's emergency card names coughing up blood (haemoptysis), which no emergency card of this wording mentions"),
        "{out}"
    );
    // "pallor, coldness" and "breathlessness" are in the patient card in plain words; a CK level
    // is no sign for patients.
    assert_eq!(
        out.matches("wording's emergency card names").count(),
        1,
        "only the missing sign: {out}"
    );
    // Said in plain words, it is found.
    let patient = dir.path().join("articles/cramp-care/patient.md");
    let text = std::fs::read_to_string(&patient).unwrap();
    std::fs::write(
        &patient,
        text.replace(
            "> - you are short of breath",
            "> - you are short of breath or cough up blood",
        ),
    )
    .unwrap();
    let (_, out) = run_check(dir.path());
    assert!(!out.contains("emergency card names"), "{out}");
    // A sign only the patient wording has is not a slip.
    std::fs::write(
        &patient,
        std::fs::read_to_string(&patient)
            .unwrap()
            .replace("or cough up blood", "or cough up blood, or you faint"),
    )
    .unwrap();
    let (_, out) = run_check(dir.path());
    assert!(!out.contains("emergency card names"), "{out}");
}
