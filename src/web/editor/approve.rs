//! Approval in the editor area: what changed since the text readers see was approved (a word-level
//! diff of each file), and the Approve action for accounts linked to a reviewer, which does exactly
//! what `healthpress approve` does, then reloads the article.

use super::auth::EditorAccess;
use super::offload::off_workers;
use super::{Editor, EditorError, EditorState};
use crate::content::{Date, Moment, Site, approval, approve_article_as};
use crate::web::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

/// One file of an article compared with its approved copy.
pub struct FileDiff {
    pub name: String,
    /// Escaped HTML: unchanged words as text, removals in `<del>`, additions in `<ins>`; long
    /// unchanged runs shortened to their ends.
    pub html: String,
    pub changed: bool,
}

/// The approval part of an article's editor page.
pub struct ApprovalPanel {
    /// What readers see, in a sentence.
    pub summary: String,
    /// The working files differ from the approved copy (or nothing is approved yet).
    pub changed: bool,
    /// Some text of this article was approved before.
    pub approved_before: bool,
    pub diffs: Vec<FileDiff>,
    /// The fingerprint of the working files this page shows: the Approve form sends it back, and
    /// nothing else is approved.
    pub fingerprint: String,
    /// The signed-in account's reviewer, when it may approve this article now.
    pub approver: Option<String>,
    /// Why the Approve action is not offered, when it is not.
    pub cannot_approve: Option<String>,
    /// The latest request for changes, in a sentence, and whether it still stands (the working
    /// files are the text it was made on).
    pub change_request: Option<(String, bool)>,
    /// The signed-in account's reviewer may send the article back with a note.
    pub may_request_changes: bool,
    /// A first approval of the working files waiting for a second reviewer, in a sentence.
    pub first_approval: Option<String>,
    /// The note readers will see when a second approval keeps the first reviewer's.
    pub first_note: Option<String>,
    /// An approval waiting for its publishing time, in a sentence.
    pub scheduled: Option<String>,
    /// How many different reviewers this article's text needs.
    pub required: u8,
    /// Who said they are reviewing it and since when, and whether it is the signed-in reviewer.
    pub reviewing: Option<(String, bool)>,
    /// The signed-in account's reviewer may say they are reviewing it (or no longer are).
    pub may_claim: bool,
}

/// "another reviewer", "2 more reviewers".
pub(super) fn more_reviewers(n: usize) -> String {
    match n {
        0 | 1 => "another reviewer".to_string(),
        n => format!("{n} more reviewers"),
    }
}

/// How long one file's word diff may search for the smallest set of changes.
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// Unchanged words kept at each end of a long unchanged run.
const CONTEXT_WORDS: usize = 12;

/// A word-level diff of `old` and `new`, as escaped HTML.
fn diff_html(old: &str, new: &str) -> (String, bool) {
    // Past the deadline the diff falls back to a coarser (still correct) answer, so no text can
    // make it take long.
    let diff = TextDiff::configure()
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_words(old, new);
    let mut html = String::new();
    let mut changed = false;
    let mut equal_run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, html: &mut String, at_start: bool, at_end: bool| {
        let words: Vec<&str> = std::mem::take(run);
        let tokens = words.len();
        let keep = CONTEXT_WORDS * 2;
        if tokens > keep * 2 {
            let (head, tail) = (&words[..keep], &words[tokens - keep..]);
            if !at_start {
                html.push_str(&escape(&head.concat()));
            }
            html.push_str("<span class=\"diff-skip\"> … </span>");
            if !at_end {
                html.push_str(&escape(&tail.concat()));
            }
        } else {
            html.push_str(&escape(&words.concat()));
        }
    };
    let mut first = true;
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Equal => equal_run.push(change.value()),
            tag => {
                if !equal_run.is_empty() {
                    flush(&mut equal_run, &mut html, first, false);
                }
                first = false;
                changed = true;
                let (open, close) = if tag == ChangeTag::Delete {
                    ("<del>", "</del>")
                } else {
                    ("<ins>", "</ins>")
                };
                html.push_str(open);
                html.push_str(&escape(change.value()));
                html.push_str(close);
            }
        }
    }
    if !equal_run.is_empty() {
        flush(&mut equal_run, &mut html, first, true);
    }
    (html, changed)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The files of `working` and `approved` compared, by name (article.toml first), with the
/// fingerprint of the working files as they were read for the comparison.
fn file_diffs(working: &Path, approved: &Path) -> (Vec<FileDiff>, Option<String>) {
    let working_files = approval::read_article_files(working).ok();
    let approved_files = approval::read_article_files(approved).unwrap_or_default();
    let print = working_files.as_deref().map(approval::fingerprint_of);
    let working_files = working_files.unwrap_or_default();
    let text = |files: &[(String, Vec<u8>)], name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default()
    };
    let mut all: Vec<String> = working_files
        .iter()
        .chain(&approved_files)
        .map(|(n, _)| n.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    all.sort_by_key(|n| (n != "article.toml", n.clone()));
    let diffs = all
        .into_iter()
        .map(|name| {
            let (html, changed) =
                diff_html(&text(&approved_files, &name), &text(&working_files, &name));
            FileDiff {
                name,
                html,
                changed,
            }
        })
        .collect();
    (diffs, print)
}

/// The approval panel of `slug` for the signed-in `editor`. The word diff runs off the async
/// workers.
pub(super) async fn panel(
    site: &Site,
    editors: &EditorState,
    editor: &Editor,
    slug: &str,
) -> ApprovalPanel {
    let record = site.records.get(slug);
    let latest = record.and_then(|r| r.record.latest());
    let withdrawn = site.withdrawal(slug);
    let changed = record.is_none_or(|r| r.changed_since_approval());
    let waiting = record.and_then(|r| r.scheduled_current());
    let summary = match (withdrawn, latest) {
        (_, _) if waiting.is_some() => format!(
            "These files are approved and go live on {}. Until then readers {}.",
            waiting
                .and_then(|a| a.publish_at)
                .map(|m| m.in_words())
                .unwrap_or_default(),
            match (withdrawn, latest) {
                (Some(_), _) => "get a page saying the article was withdrawn".to_string(),
                (None, Some(last)) => format!("see the text approved on {}", last.date.in_words()),
                (None, None) => "see nothing of this article".to_string(),
            }
        ),
        (Some(w), _) => format!(
            "Withdrawn on {}: readers get a page saying so. Approving the working files brings the article back.",
            w.date.in_words()
        ),
        (None, Some(last)) if changed => format!(
            "Readers see the text approved on {}. The working files have changed since: readers will see the changes below only once they are approved.",
            last.date.in_words()
        ),
        (None, Some(last)) => format!(
            "Readers see the text approved on {}; the working files are the same.",
            last.date.in_words()
        ),
        (None, None) => {
            "No approval is recorded: nothing shows which text a reviewer approved.".to_string()
        }
    };
    let shown = site
        .working_article(slug)
        .and_then(|a| a.fingerprint.clone());
    let mut diff_failed = None;
    let (diffs, diffed) = if latest.is_some() && changed {
        let working = site.root.join("articles").join(slug);
        let approved = approval::approved_dir(&site.root, slug);
        match off_workers(move || file_diffs(&working, &approved)).await {
            Ok(diffs) => diffs,
            Err(e) => {
                diff_failed = Some(e.to_string());
                (Vec::new(), None)
            }
        }
    } else {
        (Vec::new(), shown.clone())
    };
    let reviewer = editors.reviewer_of(editor);
    let required = site
        .working_article(slug)
        .map_or(site.config.approvals_required(), |a| {
            a.review.approvals_required
        });
    let first = record.and_then(|r| r.first.as_ref());
    let names = |ids: &[String]| super::views::reviewer_names(site, ids).join(" and ");
    let first_approval = first.map(|f| {
        format!(
            "{} approved this text on {}. It needs {required} different reviewers: readers see it once {} approve{} the same text.",
            names(&f.reviewers),
            f.date.in_words(),
            more_reviewers(f.still_needed(required)),
            if f.still_needed(required) == 1 { "s" } else { "" }
        )
    });
    let scheduled = record.and_then(|r| r.scheduled.as_ref()).map(|a| {
        let current = record.is_some_and(|r| r.scheduled_current().is_some());
        format!(
            "{} approved {} on {}, to go live on {}{}",
            names(&a.reviewers),
            if current { "these files" } else { "an earlier version of these files" },
            a.date.in_words(),
            a.publish_at.map(|m| m.in_words()).unwrap_or_default(),
            if current {
                ": until then readers see the text approved before. Approving again replaces the schedule; withdrawing cancels it."
            } else {
                ". The files have changed since: that text still goes live then unless it is approved again or withdrawn."
            }
        )
    });
    let pending = site
        .working_article(slug)
        .is_some_and(|a| a.review.status != crate::content::ReviewStatus::Approved);
    let cannot_approve = if matches!(editors.access, EditorAccess::Open) {
        Some("In preview there are no accounts. A reviewer approves from the checkout with: cargo run --release -- approve SLUG --reviewer ID --note \"what changed\" (or healthpress approve ... where it is installed).".to_string())
    } else if reviewer.is_none() {
        Some("Only an account linked to a reviewer can approve (see the editors file in the README).".to_string())
    } else if site.working_article(slug).is_none() {
        Some("The working files have errors: fix them before approving.".into())
    } else if let Some(why) = diff_failed {
        Some(format!(
            "The comparison with the approved text could not be made ({why}): reload the page to review it before approving."
        ))
    } else if shown.is_none() || diffed != shown {
        Some("The working files changed while this page was being made: reload the page to review the new version.".to_string())
    } else if site
        .working_article(slug)
        .is_some_and(|a| a.review.status == crate::content::ReviewStatus::Draft)
    {
        Some("This article is a draft: it can be approved once it is sent for review (status = \"submitted\" in its article.toml).".to_string())
    } else if let (Some(f), Some(me)) = (first, &reviewer)
        && f.reviewers.contains(me)
    {
        Some(
            "You gave the first approval of this text: a different reviewer must give the second."
                .to_string(),
        )
    } else if !(changed || pending || withdrawn.is_some()) {
        Some("Nothing to approve: readers already see these files, approved.".to_string())
    } else {
        None
    };
    let change_request = approval::read_change_request(&site.root, slug).map(|r| {
        let who = site
            .reviewers
            .get(&r.reviewer)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| r.reviewer.clone());
        let active = shown.as_deref() == Some(r.fingerprint.as_str());
        let sentence = if active {
            format!(
                "{who} asked for changes on {}: {}",
                r.date.in_words(),
                r.note
            )
        } else {
            format!(
                "{who} asked for changes on {}: {} The working files have changed since.",
                r.date.in_words(),
                r.note
            )
        };
        (sentence, active)
    });
    let may_request_changes = reviewer.is_some()
        && shown.is_some()
        && site
            .working_article(slug)
            .is_some_and(|a| a.review.status != crate::content::ReviewStatus::Draft);
    let claims = editors.store.review_claims().await.unwrap_or_default();
    let reviewing = super::reminders::reviewing_label(site, &claims, slug, reviewer.as_deref());
    ApprovalPanel {
        reviewing,
        may_claim: may_request_changes,
        first_note: first.map(|f| f.note.clone()),
        first_approval,
        scheduled,
        required,
        change_request,
        may_request_changes,
        summary,
        changed,
        approved_before: latest.is_some(),
        diffs,
        fingerprint: shown.unwrap_or_default(),
        approver: reviewer.filter(|_| cannot_approve.is_none()).map(|id| {
            site.reviewers
                .get(&id)
                .map(|r| format!("{} ({id})", r.name))
                .unwrap_or_else(|| id.to_string())
        }),
        cannot_approve,
    }
}

/// The form of a review action (Approve, Send back): the note and the fingerprint of the working
/// files the reviewer was shown.
#[derive(Deserialize)]
pub(super) struct ReviewForm {
    csrf: String,
    note: String,
    #[serde(default)]
    fingerprint: String,
    /// For an approval: when the text goes live (UTC), empty for at once.
    #[serde(default)]
    publish_on: String,
}

/// The checks every review action makes before it touches the content: the form's CSRF token, an
/// account linked to a reviewer (whose id is returned), an article that loads, and the fingerprint
/// of the text the reviewer read.
fn reviewer_acting(
    state: &AppState,
    editors: &EditorState,
    editor: &Editor,
    slug: &str,
    form: &ReviewForm,
    not_linked: &'static str,
) -> Result<String, EditorError> {
    editor.check_csrf(&form.csrf)?;
    let reviewer = editors
        .reviewer_of(editor)
        .ok_or(EditorError::NotAllowed(not_linked))?;
    if state.snapshot().site.working_article(slug).is_none() {
        return Err(super::not_found(state));
    }
    if !form.fingerprint.starts_with("sha256:") {
        return Err(EditorError::Refused(
            "This form does not say which text you reviewed: reload the article's page, review it and try again.".into(),
        ));
    }
    Ok(reviewer)
}

/// `POST /editor/articles/{slug}/approve`: approves the working files as they are, as the signed-in
/// account's reviewer, then reloads the article and returns to its page.
pub(super) async fn approve(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
    slug: web::Path<String>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, EditorError> {
    let slug = slug.into_inner();
    let form = form.into_inner();
    let reviewer = reviewer_acting(
        &state,
        &editors,
        &editor,
        &slug,
        &form,
        "Only an account linked to a reviewer can approve.",
    )?;
    let publish_at = match form.publish_on.trim() {
        "" => None,
        text => Some(Moment::parse(text).ok_or_else(|| {
            EditorError::Refused(format!(
                "“{text}” is not a publishing time: write a date such as 2026-12-10, or a date and time in UTC such as 2026-12-10T09:00Z, or leave it empty to publish at once."
            ))
        })?),
    };
    let root = state.content_dir().to_path_buf();
    let slug2 = slug.clone();
    let approved = web::block(move || {
        approve_article_as(
            &root,
            &approval::Approving {
                slug: &slug2,
                reviewers: &[reviewer],
                note: &form.note,
                date: Date::today(),
                expected: Some(&form.fingerprint),
                publish_at,
            },
        )
    })
    .await
    .map_err(|e| EditorError::Render(e.to_string()))?;
    match approved {
        Err(refused) => return Err(EditorError::Refused(refused.to_string())),
        // Published (or scheduled): the review is over.
        Ok((approval::Approved::Published(_), _)) => {
            let _ = editors.store.release_review(&slug, None).await;
        }
        Ok(_) => {}
    }
    let state2 = state.clone();
    let slugs: BTreeSet<String> = [slug.clone()].into();
    web::block(move || state2.reload_articles(&slugs))
        .await
        .map_err(|e| EditorError::Render(e.to_string()))?
        .map_err(|e| EditorError::Render(e.to_string()))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/editor/articles/{slug}")))
        .finish())
}

/// `POST /editor/articles/{slug}/request-changes`: sends the article back to its editors with a
/// note, as the signed-in account's reviewer (what `healthpress request-changes` does). Readers see
/// no change.
pub(super) async fn request_changes(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
    slug: web::Path<String>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, EditorError> {
    let slug = slug.into_inner();
    let form = form.into_inner();
    let reviewer = reviewer_acting(
        &state,
        &editors,
        &editor,
        &slug,
        &form,
        "Only an account linked to a reviewer can ask for changes.",
    )?;
    let root = state.content_dir().to_path_buf();
    let slug2 = slug.clone();
    web::block(move || {
        crate::content::request_article_changes(
            &root,
            &slug2,
            &reviewer,
            &form.note,
            Date::today(),
            Some(&form.fingerprint),
        )
    })
    .await
    .map_err(|e| EditorError::Render(e.to_string()))?
    .map_err(EditorError::Refused)?;
    let _ = editors.store.release_review(&slug, None).await;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/editor/articles/{slug}")))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::diff_html;

    #[test]
    fn word_diff_marks_changes_and_escapes() {
        let (html, changed) = diff_html("Take 0.5 mg <b>daily</b>.", "Take 5 mg <b>daily</b>.");
        assert!(changed);
        assert!(
            html.contains("<del>0.5</del>") && html.contains("<ins>5</ins>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("<b>"),
            "{html}"
        );
        let (html, changed) = diff_html("same text", "same text");
        assert!(!changed);
        assert_eq!(html, "same text");
    }

    #[test]
    fn long_unchanged_runs_are_shortened() {
        let words: String = (0..200).map(|n| format!("w{n} ")).collect();
        let (html, _) = diff_html(&format!("{words}old"), &format!("{words}new"));
        assert!(html.contains("diff-skip"), "{html}");
        assert!(html.len() < words.len(), "{html}");
        assert!(html.contains("<del>old</del>") && html.contains("<ins>new</ins>"));
    }
}
