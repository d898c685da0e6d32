//! Approvals bind a review to the text reviewed. Approving an article copies its files, as they are,
//! to `approved/<slug>/` and appends a record (reviewers, date, note, a fingerprint of the files) to
//! `approved/<slug>/approvals.toml`. Readers see that copy until someone approves again, whatever
//! happens to the working files in `articles/<slug>/`. Withdrawing records a safety recall in the same
//! file: the article leaves every public surface until it is approved again.
//!
//!
//! Where a site or an article asks for two approvals (`approvals_required`), the first reviewer's
//! approval is kept in `approved/<slug>/first-approval.toml` without publishing anything; another
//! reviewer approving the same text publishes it, and the record names both. An approval may be
//! scheduled (`publish_at`): its copy waits in `approved/<slug>/scheduled/` and readers keep the
//! previous text until that minute, by the site's [`clock`](crate::content::clock).
//!
//! ```text
//! content/
//!   articles/<slug>/article.toml, <audience>.md   the working files editors change
//!   approved/<slug>/article.toml, <audience>.md   the copy readers see, byte for byte what was approved
//!   approved/<slug>/approvals.toml                 [[approvals]] date, reviewers, note, fingerprint,
//!                                                  publish_at; [withdrawn] date, reason, until
//!   approved/<slug>/first-approval.toml            a first approval waiting for a second reviewer
//!   approved/<slug>/scheduled/                     the copy of an approval scheduled for later
//!   approved/<slug>/changes-requested.toml         a reviewer's request for changes
//! ```

use super::files::{parse_toml, read_text};
use crate::content::model::Reviewer;
use crate::content::{Date, Moment};
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
/// A first approval waiting for a second reviewer, in an approved copy's folder.
pub const FIRST_APPROVAL_FILE: &str = "first-approval.toml";
/// The folder, in an approved copy's folder, of the copy of an approval scheduled for later.
pub const SCHEDULED_DIR: &str = "scheduled";
/// The most approvals a site or an article may ask for.
pub const MAX_APPROVALS_REQUIRED: u8 = 3;
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
    /// When the approved text goes live, for an approval scheduled for later (its copy waits in
    /// [`SCHEDULED_DIR`] until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_at: Option<Moment>,
    /// [`text_fingerprint`] of each source wording approved, by audience: a translation names one
    /// of these (`translates`) to say which approved text it follows.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, String>,
}

impl Approval {
    /// How many more different reviewers must approve this text, as a first approval, before
    /// readers see it, when `required` are needed.
    pub fn still_needed(&self, required: u8) -> usize {
        usize::from(required).saturating_sub(self.reviewers.len())
    }

    /// Whether this approval's text is live at `now` (it was not scheduled, or its time has come).
    pub fn is_live(&self, now: Moment) -> bool {
        self.publish_at.is_none_or(|at| at <= now)
    }
}

/// A safety recall: the article is off every public surface until approved again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub date: Date,
    pub reason: String,
    /// Set when an approval was scheduled after the recall: the recall ends when it goes live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Moment>,
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

    /// The record as it stands at `now`: approvals scheduled for later left out, and a recall
    /// that ends when a scheduled approval goes live ended if it has. With the approval still
    /// waiting for its time, if any.
    pub fn as_of(&self, now: Moment) -> (Record, Option<Approval>) {
        let (live, waiting): (Vec<Approval>, Vec<Approval>) =
            self.approvals.iter().cloned().partition(|a| a.is_live(now));
        let withdrawn = self
            .withdrawn
            .clone()
            .filter(|w| w.until.is_none_or(|until| now < until));
        (
            Record {
                approvals: live,
                withdrawn,
            },
            waiting.into_iter().last(),
        )
    }
}

/// An approval as readers see it: the reviewers resolved from `reviewers.toml`.
#[derive(Debug, Clone)]
pub struct ApprovalEntry {
    pub date: Date,
    pub reviewers: Vec<Reviewer>,
    pub note: String,
    /// [`Approval::sources`].
    pub sources: BTreeMap<String, String>,
}

/// An article's record as it stands when loaded, and whether its working files still match the
/// last approval.
#[derive(Debug, Clone, Default)]
pub struct RecordState {
    /// The record as readers see it when loaded ([`Record::as_of`]).
    pub record: Record,
    /// An approval recorded but scheduled for later.
    pub scheduled: Option<Approval>,
    /// A first approval of the working files as they are, waiting for a second reviewer.
    pub first: Option<Approval>,
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

    /// The approval scheduled for later, when it is of the working files as they are.
    pub fn scheduled_current(&self) -> Option<&Approval> {
        self.scheduled
            .as_ref()
            .filter(|a| self.working_fingerprint.as_deref() == Some(a.fingerprint.as_str()))
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

/// A fingerprint of one file's bytes, as a translation's `translates` names the source wording
/// it translates: `sha256:` and 64 hex digits.
pub fn text_fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Whether `text` has the form of a fingerprint: `sha256:` and 64 lower-case hex digits.
pub fn is_fingerprint(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The [`text_fingerprint`] of each source wording in `files` (an article folder's files, as
/// [`read_article_files`] gives them), by audience: what an approval records, so a translation
/// can say which approved source text it follows.
pub fn source_fingerprints(files: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    files
        .iter()
        .filter_map(|(name, bytes)| {
            let audience = name.strip_suffix(".md")?;
            (!audience.contains('.')).then(|| (audience.to_string(), text_fingerprint(bytes)))
        })
        .collect()
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
    for (name, bytes) in
        read_article_files(&approved_dir(root, slug).join(SCHEDULED_DIR)).unwrap_or_default()
    {
        files.push((format!("scheduled/{name}"), bytes));
    }
    for name in [RECORD_FILE, FIRST_APPROVAL_FILE] {
        if let Ok(bytes) = fs::read(approved_dir(root, slug).join(name)) {
            files.push((name.to_string(), bytes));
        }
    }
    // A scheduled approval going live changes the article with no file changing.
    if let Ok(Some(record)) = read_record(root, slug) {
        let now = Moment::now();
        let live = record.approvals.iter().filter(|a| a.is_live(now)).count();
        let recalled = record.as_of(now).0.withdrawn.is_some();
        files.push((format!("live {live} {recalled}"), Vec::new()));
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

/// What an approval did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approved {
    /// The text is approved by as many reviewers as it needs: readers see it now, or at its
    /// `publish_at`. The approval names every reviewer, the first reviewer first.
    Published(Approval),
    /// A first approval, kept in [`FIRST_APPROVAL_FILE`]: nothing is published until another
    /// reviewer approves the same text. `replaced` is an earlier first approval, of a text that has
    /// changed since, which this one replaces.
    First {
        approval: Approval,
        required: u8,
        replaced: Option<Approval>,
    },
}

impl Approved {
    /// The approval recorded.
    pub fn approval(&self) -> &Approval {
        match self {
            Approved::Published(a) | Approved::First { approval: a, .. } => a,
        }
    }
}

/// The first approval of `slug` waiting for a second reviewer, if any (a file that cannot be read
/// or parsed counts as none).
pub fn read_first_approval(root: &Path, slug: &str) -> Option<Approval> {
    if refuse_symlinks(root, slug).is_err() {
        return None;
    }
    let text = fs::read_to_string(approved_dir(root, slug).join(FIRST_APPROVAL_FILE)).ok()?;
    toml::from_str(&text).ok()
}

/// What [`approve`] is asked to do: who approves which article, with what note, and when it goes
/// live.
pub struct Approving<'a> {
    pub slug: &'a str,
    /// Reviewer ids approving now (the command may name several; the editor area names the
    /// signed-in reviewer).
    pub reviewers: &'a [String],
    /// What changed, for readers. May be empty for a second approval: the first reviewer's note
    /// is kept.
    pub note: &'a str,
    pub date: Date,
    /// The fingerprint of the files the reviewer was shown: the files approved must be exactly
    /// those, else nothing is recorded and the error is [`TEXT_CHANGED`].
    pub expected: Option<&'a str>,
    /// When the text goes live; `None` for at once. Must be later than now.
    pub publish_at: Option<Moment>,
}

/// Records an approval of `slug`'s working files as they are now. With enough reviewers (this
/// approval's and a first approval of the same text), copies them to `approved/<slug>/`
/// (replacing the previous copy in one step) with the record, or, scheduled, to
/// `approved/<slug>/scheduled/`; else keeps a first approval. The article must load without errors
/// (checked by the caller, see [`crate::content::approve_article`]); the reviewers must exist.
/// `required` is how many different reviewers must approve the same text before it is published.
pub fn approve(
    root: &Path,
    known: &BTreeMap<String, Reviewer>,
    asked: &Approving<'_>,
    required: u8,
) -> Result<Approved, String> {
    let slug = asked.slug;
    let date = asked.date;
    let working = reviewed_folder(root, slug, asked.reviewers, known)?;
    let now = Moment::now();
    if let Some(at) = asked.publish_at
        && at <= now
    {
        return Err(format!(
            "{} has passed (it is {} now): approve without a publishing time to publish at once",
            at.in_words(),
            now.in_words()
        ));
    }
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
    refuse_symlinks(root, slug)?;
    let files = read_article_files(&working).map_err(|e| format!("{}: {e}", working.display()))?;
    let print = fingerprint_of(&files);
    let sources = source_fingerprints(&files);
    if asked.expected.is_some_and(|shown| shown != print) {
        return Err(TEXT_CHANGED.to_string());
    }
    let first = read_first_approval(root, slug);
    let (first, stale) = match first {
        Some(f) if f.fingerprint == print => (Some(f), None),
        other => (None, other),
    };
    let mut reviewers: Vec<String> = Vec::new();
    for id in first
        .iter()
        .flat_map(|f| &f.reviewers)
        .chain(asked.reviewers)
    {
        if !reviewers.contains(id) {
            reviewers.push(id.clone());
        }
    }
    if let Some(f) = &first
        && reviewers.len() == f.reviewers.len()
    {
        return Err(format!(
            "{} already approved this text on {}: a different reviewer must give the second approval",
            f.reviewers.join(" and "),
            f.date.in_words()
        ));
    }
    let note = match &first {
        Some(f) if asked.note.trim().is_empty() => f.note.clone(),
        _ => check_note("note", asked.note)?,
    };
    let publish_at = asked
        .publish_at
        .or(first.as_ref().and_then(|f| f.publish_at))
        .filter(|at| *at > now);
    let approval = Approval {
        date,
        reviewers,
        note,
        fingerprint: print.clone(),
        publish_at,
        sources,
    };
    let dir = approved_dir(root, slug);
    if approval.reviewers.len() < usize::from(required) {
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let text = toml::to_string_pretty(&approval)
            .map_err(|e| format!("cannot write the approval: {e}"))?;
        let text = format!(
            "# The first approval of this text, waiting for a second reviewer. Written by `healthpress\n# approve` or the editor area; nothing is published until another reviewer approves the same text.\n\n{text}"
        );
        write_in_one_step(&dir, FIRST_APPROVAL_FILE, &text)?;
        return Ok(Approved::First {
            approval,
            required,
            replaced: stale,
        });
    }
    // Approvals scheduled for later that never went live are replaced by this one.
    record.approvals.retain(|a| a.is_live(now));
    let approved_root = root.join(APPROVED_DIR);
    fs::create_dir_all(&approved_root).map_err(|e| format!("{}: {e}", approved_root.display()))?;
    record.approvals.push(approval.clone());
    match publish_at {
        None => {
            record.withdrawn = None;
            let staging = copy_to_staging(&approved_root, slug, &working, &print)?;
            let result = (|| {
                write_record(&staging, &record)?;
                swap_in(&staging, &dir)?;
                // A folder swapped in whole is not always seen by file watchers (a server under
                // `--watch`): writing the record again in its new place is.
                write_record(&dir, &record)
            })();
            if fs::metadata(&staging).is_ok() {
                let _ = fs::remove_dir_all(&staging);
            }
            result?;
        }
        Some(at) => {
            settle_scheduled(root, slug, now)?;
            fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let staging = copy_to_staging(&dir, slug, &working, &print)?;
            let result = swap_in(&staging, &dir.join(SCHEDULED_DIR));
            if fs::metadata(&staging).is_ok() {
                let _ = fs::remove_dir_all(&staging);
            }
            result?;
            if let Some(w) = &mut record.withdrawn {
                w.until = Some(at);
            }
            write_record(&dir, &record)?;
            let _ = fs::remove_file(dir.join(FIRST_APPROVAL_FILE));
        }
    }
    Ok(Approved::Published(approval))
}

/// A new folder in `parent` holding a copy of the article files of `working`, which must still
/// have the fingerprint `print`.
fn copy_to_staging(
    parent: &Path,
    slug: &str,
    working: &Path,
    print: &str,
) -> Result<PathBuf, String> {
    let nonce = {
        use rand_core::RngCore;
        format!("{}-{:x}", std::process::id(), rand_core::OsRng.next_u64())
    };
    let staging = parent.join(format!(".{slug}.{nonce}.new"));
    fs::create_dir(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let copied = (|| {
        for file in article_files(working).map_err(|e| format!("{}: {e}", working.display()))? {
            let name = file.file_name().unwrap_or_default();
            fs::copy(&file, staging.join(name)).map_err(|e| format!("{}: {e}", file.display()))?;
        }
        let copy = fingerprint(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
        if copy != print {
            return Err(
                "the working files changed while they were being copied: approve again".to_string(),
            );
        }
        Ok(())
    })();
    if let Err(e) = copied {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok(staging)
}

/// Before a new scheduled copy takes the place of [`SCHEDULED_DIR`]: a scheduled copy that has
/// gone live becomes the approved copy (with the record, in one step); one still waiting is
/// dropped (its approval is left out of the record by the caller).
fn settle_scheduled(root: &Path, slug: &str, now: Moment) -> Result<(), String> {
    let dir = approved_dir(root, slug);
    let scheduled = dir.join(SCHEDULED_DIR);
    if fs::symlink_metadata(&scheduled).is_err() {
        return Ok(());
    }
    let record = read_record(root, slug)
        .map_err(|d| d.to_string())?
        .unwrap_or_default();
    let live = record.as_of(now).0;
    let print = fingerprint(&scheduled).ok();
    if let Some(latest) = live.latest()
        && latest.publish_at.is_some()
        && print.as_deref() == Some(latest.fingerprint.as_str())
    {
        let parent = root.join(APPROVED_DIR);
        let staging = copy_to_staging(&parent, slug, &scheduled, &latest.fingerprint)?;
        let result = (|| {
            for name in [RECORD_FILE, CHANGES_FILE, FIRST_APPROVAL_FILE] {
                if dir.join(name).is_file() {
                    fs::copy(dir.join(name), staging.join(name))
                        .map_err(|e| format!("{}: {e}", dir.join(name).display()))?;
                }
            }
            swap_in(&staging, &dir)
        })();
        if fs::metadata(&staging).is_ok() {
            let _ = fs::remove_dir_all(&staging);
        }
        return result;
    }
    fs::remove_dir_all(&scheduled).map_err(|e| format!("{}: {e}", scheduled.display()))
}

/// Withdraws `slug` at once: records the recall in its record (made if there is none yet). An
/// approval scheduled for later is cancelled with it.
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
    let now = Moment::now();
    let withdrawal = Withdrawal {
        date,
        reason,
        until: None,
    };
    let dir = approved_dir(root, slug);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if record.approvals.iter().any(|a| !a.is_live(now)) {
        settle_scheduled(root, slug, now)?;
        record.approvals.retain(|a| a.is_live(now));
    }
    record.withdrawn = Some(withdrawal.clone());
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
                publish_at: Moment::parse("2026-11-28T09:00Z"),
                sources: BTreeMap::from([("patient".into(), "sha256:11".into())]),
            }],
            withdrawn: Some(Withdrawal {
                date: Date::new(2026, 11, 28).unwrap(),
                reason: "Dose error".into(),
                until: None,
            }),
        };
        let text = toml::to_string_pretty(&record).unwrap();
        let back: Record = toml::from_str(&text).unwrap();
        assert_eq!(back, record);
        assert!(toml::from_str::<Record>("[[approvals]]\nwho = 1").is_err());
    }
}
