//! Approvals bind a review to the text reviewed. Approving an article copies its files, as they are,
//! to `approved/<slug>/` and appends a record (reviewers, date, note, a fingerprint of the files) to
//! `approved/<slug>/approvals.toml`. Readers see that copy until someone approves again, whatever
//! happens to the working files in `articles/<slug>/`. Withdrawing records a safety recall in the same
//! file: the article leaves every public surface until it is approved again.
//!
//! ```text
//! content/
//!   articles/<slug>/article.toml, <audience>.md   the working files editors change
//!   approved/<slug>/article.toml, <audience>.md   the copy readers see, byte for byte what was approved
//!   approved/<slug>/approvals.toml                 [[approvals]] date, reviewers, note, fingerprint;
//!                                                  [withdrawn] date, reason
//! ```

use super::files::{parse_toml, read_text};
use crate::content::Date;
use crate::content::model::Reviewer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The folder holding the approved copies, in a content folder.
pub const APPROVED_DIR: &str = "approved";
/// The record of approvals and withdrawals, in an approved copy's folder.
pub const RECORD_FILE: &str = "approvals.toml";
/// Why an approval of the text a reviewer was shown is refused when the files have changed since.
pub const TEXT_CHANGED: &str =
    "the text changed since you opened this page: review the new version, then approve it";
/// The longest approval note or withdrawal reason, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// One approval: who approved which text, when, and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub date: Date,
    /// Reviewer ids, from `reviewers.toml`.
    pub reviewers: Vec<String>,
    /// What changed, for readers ("What changed") and the site's change feed.
    pub note: String,
    /// [`fingerprint`] of the files approved.
    pub fingerprint: String,
}

/// A safety recall: the article is off every public surface until approved again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub date: Date,
    pub reason: String,
}

/// `approved/<slug>/approvals.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Oldest first.
    #[serde(default)]
    pub approvals: Vec<Approval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Withdrawal>,
}

impl Record {
    pub fn latest(&self) -> Option<&Approval> {
        self.approvals.last()
    }
}

/// An approval as readers see it: the reviewers resolved from `reviewers.toml`.
#[derive(Debug, Clone)]
pub struct ApprovalEntry {
    pub date: Date,
    pub reviewers: Vec<Reviewer>,
    pub note: String,
}

/// An article's record, and whether its working files still match the last approval.
#[derive(Debug, Clone)]
pub struct RecordState {
    pub record: Record,
    /// [`fingerprint`] of the working files, when they could be read.
    pub working_fingerprint: Option<String>,
}

impl RecordState {
    /// Whether the working files differ from the text last approved (or were never approved).
    pub fn changed_since_approval(&self) -> bool {
        match self.record.latest() {
            Some(last) => self.working_fingerprint.as_deref() != Some(last.fingerprint.as_str()),
            None => true,
        }
    }
}

/// The folder of `slug`'s approved copy in the content folder `root`.
pub fn approved_dir(root: &Path, slug: &str) -> PathBuf {
    root.join(APPROVED_DIR).join(slug)
}

/// The files of an article folder that make up the article: `article.toml` and the wordings
/// (`*.md`), regular files directly in `dir`, by name.
pub fn article_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || !(name == "article.toml" || name.ends_with(".md")) {
            continue;
        }
        if entry.file_type()?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// A fingerprint of an article folder's files (their names and bytes): `sha256:` and 64 hex digits.
pub fn fingerprint(dir: &Path) -> std::io::Result<String> {
    Ok(fingerprint_of(&read_article_files(dir)?))
}

/// The article files of `dir` ([`article_files`]) as (name, bytes), by name.
pub fn read_article_files(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    article_files(dir)?
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, fs::read(&path)?))
        })
        .collect()
}

/// [`fingerprint`] of files already read, as (name, bytes) in name order.
pub fn fingerprint_of(files: &[(String, Vec<u8>)]) -> String {
    let mut hash = Sha256::new();
    for (name, bytes) in files {
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A fingerprint of everything `slug` is loaded from: its working files, its approved copy and the
/// approval record. Equal stamps mean a reload of the article would change nothing.
pub fn article_stamp(root: &Path, slug: &str) -> String {
    let mut files = Vec::new();
    for (side, dir) in [
        ("working/", root.join("articles").join(slug)),
        ("approved/", approved_dir(root, slug)),
    ] {
        for (name, bytes) in read_article_files(&dir).unwrap_or_default() {
            files.push((format!("{side}{name}"), bytes));
        }
    }
    if let Ok(bytes) = fs::read(approved_dir(root, slug).join(RECORD_FILE)) {
        files.push((RECORD_FILE.to_string(), bytes));
    }
    fingerprint_of(&files)
}

/// Refuses an `approved/` folder, or `approved/<slug>`, that is a symlink (which could lead outside
/// the content folder), as the `articles/` folder is refused.
pub fn refuse_symlinks(root: &Path, slug: &str) -> Result<(), String> {
    for dir in [root.join(APPROVED_DIR), approved_dir(root, slug)] {
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{} is a symbolic link: approved copies must be real folders inside the content folder",
                dir.display()
            ));
        }
    }
    Ok(())
}

/// Reads `slug`'s record, if it has one.
pub fn read_record(root: &Path, slug: &str) -> Result<Option<Record>, crate::content::Diagnostic> {
    if let Err(message) = refuse_symlinks(root, slug) {
        return Err(crate::content::Diagnostic::error(
            approved_dir(root, slug),
            None,
            message,
        ));
    }
    let path = approved_dir(root, slug).join(RECORD_FILE);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let text = read_text(&path)?;
    let record: Record = parse_toml(&path, &text, 1)?;
    Ok(Some(record))
}

/// Checks a note or reason: not empty, one paragraph of plain text, at most [`MAX_NOTE_CHARS`].
pub fn check_note(what: &str, note: &str) -> Result<String, String> {
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.is_empty() {
        return Err(format!("the {what} is empty: say what changed and why"));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(format!(
            "the {what} is over {MAX_NOTE_CHARS} characters: keep it to a short paragraph"
        ));
    }
    if note.chars().any(char::is_control) {
        return Err(format!("the {what} contains control characters"));
    }
    if let Some(c) = crate::content::unsafe_char(&note) {
        return Err(format!(
            "the {what} contains the character {c}, which cannot be shown: remove it"
        ));
    }
    Ok(note)
}

/// A reviewer's request for changes, kept beside the approvals (`approved/<slug>/`), so it is
/// versioned with the content. Readers see no change. It stands while the working files are the
/// text it was made on; editing them (and sending the article for review again) answers it, and an
/// approval, which replaces the folder, clears it.
pub const CHANGES_FILE: &str = "changes-requested.toml";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    pub date: Date,
    /// A reviewer id of `reviewers.toml`.
    pub reviewer: String,
    pub note: String,
    /// [`fingerprint`] of the working files the reviewer read.
    pub fingerprint: String,
}

/// The change request of `slug`, if any (a file that cannot be read or parsed counts as none).
pub fn read_change_request(root: &Path, slug: &str) -> Option<ChangeRequest> {
    if refuse_symlinks(root, slug).is_err() {
        return None;
    }
    let text = fs::read_to_string(approved_dir(root, slug).join(CHANGES_FILE)).ok()?;
    toml::from_str(&text).ok()
}

/// Records that `reviewer` asks for changes to `slug`'s working files as they are now, with `note`.
/// With `expected` (the fingerprint of the files the reviewer was shown), the files must still be
/// those, else nothing is recorded and the error is [`TEXT_CHANGED`].
pub fn request_changes(
    root: &Path,
    slug: &str,
    reviewer: &str,
    known: &BTreeMap<String, Reviewer>,
    note: &str,
    date: Date,
    expected: Option<&str>,
) -> Result<ChangeRequest, String> {
    let working = reviewed_folder(root, slug, &[reviewer.to_string()], known)?;
    let note = check_note("note", note)?;
    let print = fingerprint(&working).map_err(|e| format!("{}: {e}", working.display()))?;
    if expected.is_some_and(|shown| shown != print) {
        return Err(TEXT_CHANGED.to_string());
    }
    refuse_symlinks(root, slug)?;
    let dir = approved_dir(root, slug);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let request = ChangeRequest {
        date,
        reviewer: reviewer.to_string(),
        note,
        fingerprint: print,
    };
    let text =
        toml::to_string_pretty(&request).map_err(|e| format!("cannot write the request: {e}"))?;
    let text = format!(
        "# Changes a reviewer asked for, written by `healthpress request-changes` or the editor area.\n# It stands until the working files change; an approval clears it.\n\n{text}"
    );
    write_in_one_step(&dir, CHANGES_FILE, &text)?;
    Ok(request)
}

/// Writes `record` to `dir/approvals.toml` through a temporary file, so a reader of the folder sees
/// the old record or the new one, never half of one.
fn write_record(dir: &Path, record: &Record) -> Result<(), String> {
    let text =
        toml::to_string_pretty(record).map_err(|e| format!("cannot write the record: {e}"))?;
    let text = format!(
        "# Approvals of this article's text (oldest first), written by `healthpress approve` and\n# `healthpress withdraw`. The files beside it are the approved copy readers see.\n\n{text}"
    );
    write_in_one_step(dir, RECORD_FILE, &text)
}

/// Writes `text` to `dir/name` through a temporary file, so a reader sees the old file or the new
/// one, never half of one.
fn write_in_one_step(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    fs::rename(&tmp, dir.join(name)).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("{}: {e}", dir.join(name).display())
    })
}

/// The working folder of `slug`, after the checks every review action makes: a slug, an article
/// folder, and at least one reviewer, each known to `reviewers.toml`.
fn reviewed_folder(
    root: &Path,
    slug: &str,
    reviewers: &[String],
    known: &BTreeMap<String, Reviewer>,
) -> Result<PathBuf, String> {
    if !super::is_slug(slug) {
        return Err(format!("`{slug}` is not an article slug ([a-z0-9-]+)"));
    }
    let working = root.join("articles").join(slug);
    if !working.is_dir() {
        return Err(format!("no article folder {}", working.display()));
    }
    if reviewers.is_empty() {
        return Err("name at least one reviewer (--reviewer ID)".into());
    }
    for id in reviewers {
        if !known.contains_key(id) {
            return Err(format!(
                "unknown reviewer id `{id}`: add [reviewers.{id}] to reviewers.toml or correct the id"
            ));
        }
    }
    Ok(working)
}

/// Records the approval of `slug`'s working files as they are now, by `reviewers`, with `note`:
/// copies them to `approved/<slug>/` (replacing the previous copy in one step) with the record.
/// The article must load without errors (checked by the caller, see
/// [`crate::content::approve_article`]); `reviewers` must exist. With `expected` (the fingerprint of
/// the files the reviewer was shown), the files approved must be exactly those, else nothing is
/// recorded and the error is [`TEXT_CHANGED`].
pub fn approve(
    root: &Path,
    slug: &str,
    reviewers: &[String],
    known: &BTreeMap<String, Reviewer>,
    note: &str,
    date: Date,
    expected: Option<&str>,
) -> Result<Approval, String> {
    let working = reviewed_folder(root, slug, reviewers, known)?;
    let note = check_note("note", note)?;
    let mut record = read_record(root, slug)
        .map_err(|d| d.to_string())?
        .unwrap_or_default();
    // A record dated in the future is an error `check` reports; it does not block approving today.
    if let Some(last) = record.latest()
        && date < last.date
        && last.date <= Date::today()
    {
        return Err(format!(
            "the date {} is before the last approval ({})",
            date.iso(),
            last.date.iso()
        ));
    }
    let approved_root = root.join(APPROVED_DIR);
    refuse_symlinks(root, slug)?;
    fs::create_dir_all(&approved_root).map_err(|e| format!("{}: {e}", approved_root.display()))?;
    let nonce = {
        use rand_core::RngCore;
        format!("{}-{:x}", std::process::id(), rand_core::OsRng.next_u64())
    };
    let staging = approved_root.join(format!(".{slug}.{nonce}.new"));
    fs::create_dir(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let result = (|| {
        for file in article_files(&working).map_err(|e| format!("{}: {e}", working.display()))? {
            let name = file.file_name().unwrap_or_default();
            fs::copy(&file, staging.join(name)).map_err(|e| format!("{}: {e}", file.display()))?;
        }
        let print = fingerprint(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
        let now = fingerprint(&working).map_err(|e| format!("{}: {e}", working.display()))?;
        if print != now {
            return Err(
                "the working files changed while they were being copied: approve again".to_string(),
            );
        }
        if expected.is_some_and(|shown| shown != print) {
            return Err(TEXT_CHANGED.to_string());
        }
        let approval = Approval {
            date,
            reviewers: reviewers.to_vec(),
            note,
            fingerprint: print,
        };
        record.approvals.push(approval.clone());
        record.withdrawn = None;
        write_record(&staging, &record)?;
        let target = approved_dir(root, slug);
        swap_in(&staging, &target)?;
        // A folder swapped in whole is not always seen by file watchers (a server under `--watch`):
        // writing the record again in its new place is.
        write_record(&target, &record)?;
        Ok(approval)
    })();
    if fs::metadata(&staging).is_ok() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Withdraws `slug` at once: records the recall in its record (made if there is none yet).
pub fn withdraw(root: &Path, slug: &str, reason: &str, date: Date) -> Result<Withdrawal, String> {
    if !super::is_slug(slug) {
        return Err(format!("`{slug}` is not an article slug ([a-z0-9-]+)"));
    }
    if !root.join("articles").join(slug).is_dir() && !approved_dir(root, slug).is_dir() {
        return Err(format!("no article `{slug}` in {}", root.display()));
    }
    refuse_symlinks(root, slug)?;
    let reason = check_note("reason", reason)?;
    let mut record = read_record(root, slug)
        .map_err(|d| d.to_string())?
        .unwrap_or_default();
    let withdrawal = Withdrawal { date, reason };
    record.withdrawn = Some(withdrawal.clone());
    let dir = approved_dir(root, slug);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    write_record(&dir, &record)?;
    Ok(withdrawal)
}

/// Puts the folder `staging` in the place of `target` in one step where the system allows (Linux:
/// an atomic exchange), so the approved copy is never missing; the old copy is then removed.
fn swap_in(staging: &Path, target: &Path) -> Result<(), String> {
    if fs::symlink_metadata(target).is_err() {
        return fs::rename(staging, target).map_err(|e| format!("{}: {e}", target.display()));
    }
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let a = CString::new(staging.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
        let b = CString::new(target.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        let done = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if done == 0 {
            // `staging` now holds the previous copy.
            let _ = fs::remove_dir_all(staging);
            return Ok(());
        }
    }
    let old = staging.with_extension("old");
    fs::rename(target, &old).map_err(|e| format!("{}: {e}", target.display()))?;
    fs::rename(staging, target).map_err(|e| {
        let _ = fs::rename(&old, target);
        format!("{}: {e}", target.display())
    })?;
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_covers_names_and_bytes_of_article_files_only() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("article.toml"), "a").unwrap();
        fs::write(dir.path().join("patient.md"), "b").unwrap();
        let first = fingerprint(dir.path()).unwrap();
        assert!(first.starts_with("sha256:") && first.len() == 7 + 64);
        fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        fs::write(dir.path().join(".hidden.md"), "ignored").unwrap();
        assert_eq!(fingerprint(dir.path()).unwrap(), first);
        fs::write(dir.path().join("patient.md"), "c").unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), first);
        fs::rename(dir.path().join("patient.md"), dir.path().join("carer.md")).unwrap();
        fs::write(dir.path().join("carer.md"), "b").unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), first, "names count");
    }

    #[test]
    fn notes_are_one_short_paragraph() {
        assert_eq!(
            check_note("note", "  New\n dose  table ").unwrap(),
            "New dose table"
        );
        assert!(check_note("note", " \n ").is_err());
        assert!(check_note("note", &"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
        assert!(check_note("note", "bell\u{7}").is_err());
        assert!(check_note("note", "feed\u{FFFE}breaker").is_err());
    }

    #[test]
    fn record_round_trips_through_toml() {
        let record = Record {
            approvals: vec![Approval {
                date: Date::new(2026, 11, 27).unwrap(),
                reviewers: vec!["a".into()],
                note: "First \"approved\" text".into(),
                fingerprint: "sha256:00".into(),
            }],
            withdrawn: Some(Withdrawal {
                date: Date::new(2026, 11, 28).unwrap(),
                reason: "Dose error".into(),
            }),
        };
        let text = toml::to_string_pretty(&record).unwrap();
        let back: Record = toml::from_str(&text).unwrap();
        assert_eq!(back, record);
        assert!(toml::from_str::<Record>("[[approvals]]\nwho = 1").is_err());
    }
}
