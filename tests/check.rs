//! `healthpress check` and the loader's diagnostics: each invalid fixture holds one defect, and the
//! error names the file, the line where known, and the fix.

mod common;

use common::fixture;
use healthpress::content::{Diagnostic, load_site};
use std::process::Command;

/// The diagnostics for a fixture, whether or not the site as a whole could load.
fn diagnostics(name: &str) -> Vec<Diagnostic> {
    match load_site(&fixture(name)) {
        Ok(site) => site.into_diagnostics(),
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
    let errors: Vec<&Diagnostic> = site
        .diagnostics
        .iter()
        .map(|d| &**d)
        .filter(|d| d.is_error())
        .collect();
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

/// The `pemat` entries of `check --format json` for `dir`, by the end of their path.
fn pemat_entries(dir: &std::path::Path) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let (_, out) = run_check_with(dir, &["--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let list = list.as_array().expect("an array, as before").clone();
    list.into_iter().partition(|d| d.get("pemat").is_some())
}

/// The result and reason of item `item` of a `pemat` entry.
fn pemat_item(entry: &serde_json::Value, item: u64) -> (String, String) {
    let found = entry["pemat"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == item)
        .unwrap_or_else(|| panic!("no item {item} in {entry:#}"));
    assert!(!found["name"].as_str().unwrap().is_empty());
    (
        found["result"].as_str().unwrap().to_string(),
        found["reason"].as_str().unwrap().to_string(),
    )
}

/// PEMAT pre-checks in `check --format json`: one note per patient wording of the bundled content,
/// with every item judged; professional wordings have none, and the problems keep their fields.
#[test]
fn check_json_gives_pemat_pre_checks_for_bundled_patient_wordings() {
    let content = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content");
    let (pemat, problems) = pemat_entries(&content);
    for d in &problems {
        let mut keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["line", "message", "path", "severity"], "{d:#}");
    }
    assert_eq!(pemat.len(), 4, "one per patient wording: {pemat:#?}");
    assert!(pemat.iter().all(|e| {
        e["path"].as_str().unwrap().ends_with("patient.md")
            && e["severity"] == "note"
            && e["message"]
                .as_str()
                .unwrap()
                .starts_with("PEMAT pre-checks: ")
    }));
    let leg = pemat
        .iter()
        .find(|e| {
            e["path"]
                .as_str()
                .unwrap()
                .ends_with("articles/leg-cramps/patient.md")
        })
        .expect("leg cramps, working files");
    let items: Vec<u64> = leg["pemat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["item"].as_u64().unwrap())
        .collect();
    assert_eq!(items, [1, 4, 5, 6, 8, 9, 11, 20, 21, 22]);
    let expect = |item: u64, result: &str, needle: &str| {
        let (got, reason) = pemat_item(leg, item);
        assert_eq!(got, result, "item {item}: {reason}");
        assert!(reason.contains(needle), "item {item}: {reason}");
    };
    expect(1, "met", "“Leg cramps are sudden, painful tightenings");
    expect(4, "met", "explained where it is first used");
    expect(5, "met", "sentences are passive (");
    expect(6, "met", "no percentages or fractions");
    expect(
        8,
        "met",
        "the longest 131 words (at most 150 without a heading)",
    );
    expect(9, "met", "All 11 headings");
    expect(11, "met", "“The short version”");
    expect(20, "met", "sentences say what to do");
    expect(21, "met", "speak to the reader");
    expect(22, "met", "actions are in steps or lists");
    assert_eq!(leg["message"], "PEMAT pre-checks: 10 of 10 met");
    // The quinine page gives its effect as a count ("for every 4 cramps ... about 3"), not a fraction.
    let quinine = pemat
        .iter()
        .find(|e| {
            e["path"]
                .as_str()
                .unwrap()
                .ends_with("articles/quinine-for-leg-cramps/patient.md")
        })
        .unwrap();
    let (result, reason) = pemat_item(quinine, 6);
    assert_eq!(result, "met", "{reason}");
    assert_eq!(quinine["message"], "PEMAT pre-checks: 10 of 10 met");
}

/// A deliberately poor patient wording: a heading "Introduction", passive voice throughout,
/// percentages, and nothing for the reader to do.
#[test]
fn check_json_says_which_pemat_items_a_poor_patient_wording_does_not_meet() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("valid"), dir.path());
    let folder = dir.path().join("articles/poor-wording");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("article.toml"),
        "title = \"Cramps\"\nsummary = \"About cramps.\"\nupdated = 2025-07-29\n\n[review]\nstatus = \"draft\"\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("patient.md"),
        "## Introduction {#introduction}\n\n\
         Cramps were studied in 2019. Quinine was given to 40% of the people.\n\n\
         Doses were increased over time. The effect was measured by doctors.\n\n\
         ## Other\n\n\
         Cramps are caused by tired muscles in 25 percent of cases. Magnesium was tested in 1/3 of trials.\n\n\
         No difference was found. The results were published.\n",
    )
    .unwrap();
    let (pemat, _) = pemat_entries(dir.path());
    let poor = pemat
        .iter()
        .find(|e| {
            e["path"]
                .as_str()
                .unwrap()
                .ends_with("poor-wording/patient.md")
        })
        .expect("the poor wording is checked");
    let not_met = |item: u64, needles: &[&str]| {
        let (result, reason) = pemat_item(poor, item);
        assert_eq!(result, "not_met", "item {item}: {reason}");
        for n in needles {
            assert!(reason.contains(n), "item {item}: {reason}");
        }
    };
    not_met(5, &["8 of 8 sentences are passive (0% active"]);
    not_met(6, &["“40%”", "“25 percent”", "“1/3”"]);
    not_met(9, &["“Introduction”", "“Other”"]);
    not_met(11, &["No section sums up the key points"]);
    not_met(20, &["No sentence tells the reader what they can do"]);
    not_met(21, &["No actions are described", "0 of 8 sentences"]);
    let (result, reason) = pemat_item(poor, 22);
    assert_eq!(result, "not_applicable", "{reason}");
    // Met: the article's summary is shown, no listed hard word is used, the sections are short.
    for item in [1, 4, 8] {
        let (result, reason) = pemat_item(poor, item);
        assert_eq!(result, "met", "item {item}: {reason}");
    }
    assert_eq!(
        poor["message"],
        "PEMAT pre-checks: 3 of 9 met (1 not applicable)"
    );
}
