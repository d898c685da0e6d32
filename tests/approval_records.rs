//! Approval records and folders that must not publish: drafts, records edited by hand to name no
//! reviewer, an unknown one or a future date, and symlinked approved folders.

mod common;

use common::{copy_dir, fixture};
use healthpress::content::{Date, approval, approve_article, load_site};
use std::path::Path;

fn copy_of_valid() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    dir
}

fn approve(root: &Path, slug: &str) -> Result<approval::Approval, String> {
    approve_article(
        root,
        slug,
        &["rev-one".to_string()],
        "Checked.",
        Date::today(),
        None,
    )
    .map(|(a, _)| a.approval().clone())
    .map_err(|r| r.to_string())
}

#[test]
fn a_draft_is_not_approved_until_it_is_sent_for_review() {
    let dir = copy_of_valid();
    let refused = approve(dir.path(), "secret-draft").expect_err("a draft is refused");
    assert!(refused.contains("is a draft"), "{refused}");
    assert!(!approval::approved_dir(dir.path(), "secret-draft").exists());
    let toml = dir.path().join("articles/secret-draft/article.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("status = \"draft\"", "status = \"submitted\""),
    )
    .unwrap();
    approve(dir.path(), "secret-draft").expect("submitted, it can be approved");
}

/// `cramp-care` approved, then its record rewritten by `edit`; returns what `check` says of it.
fn hand_edited(edit: impl Fn(&str) -> String) -> (bool, Vec<String>) {
    let dir = copy_of_valid();
    approve(dir.path(), "cramp-care").unwrap();
    let record = approval::approved_dir(dir.path(), "cramp-care").join(approval::RECORD_FILE);
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, edit(&text)).unwrap();
    let site = load_site(dir.path()).expect("the site loads");
    let errors = site
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    // Approving again is not blocked by the bad record.
    approve(dir.path(), "cramp-care").expect("approving again works");
    (site.public_article("cramp-care").is_some(), errors)
}

#[test]
fn a_hand_edited_record_that_cannot_say_who_approved_is_an_error_and_not_shown() {
    let (shown, errors) = hand_edited(|t| t.replace("reviewers = [\"rev-one\"]", "reviewers = []"));
    assert!(!shown);
    assert!(
        errors.iter().any(|e| e.contains("names no reviewer")),
        "{errors:?}"
    );

    let (shown, errors) = hand_edited(|t| t.replace("\"rev-one\"", "\"nobody\""));
    assert!(!shown);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("unknown reviewer id `nobody`")),
        "{errors:?}"
    );

    let today = Date::today().iso();
    let (shown, errors) =
        hand_edited(|t| t.replace(&format!("date = {today}"), "date = 2999-01-01"));
    assert!(!shown);
    assert!(
        errors.iter().any(|e| e.contains("in the future")),
        "{errors:?}"
    );
}

#[test]
fn symlinked_approved_folders_are_refused() {
    // approved/<slug> pointing outside the content folder.
    let dir = copy_of_valid();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(approval::APPROVED_DIR)).unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        approval::approved_dir(dir.path(), "cramp-care"),
    )
    .unwrap();
    let refused = approve(dir.path(), "cramp-care").expect_err("refused");
    assert!(refused.contains("symbolic link"), "{refused}");
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written through it"
    );
    let site = load_site(dir.path()).unwrap();
    assert!(
        site.diagnostics
            .iter()
            .any(|d| d.is_error() && d.message.contains("symbolic link"))
    );
    assert!(site.public_article("cramp-care").is_none());

    // approved/ itself a link.
    let dir = copy_of_valid();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(approval::APPROVED_DIR)).unwrap();
    let refused = approve(dir.path(), "cramp-care").expect_err("refused");
    assert!(refused.contains("symbolic link"), "{refused}");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
