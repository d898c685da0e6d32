//! Reads a content folder into a [`Site`], collecting every problem as a [`Diagnostic`] instead of
//! stopping at the first. A broken article is left out; the rest of the site still loads.
//!
//! ```text
//! content/
//!   site.toml  reviewers.toml  pages/<slug>.md
//!   articles/<slug>/article.toml  articles/<slug>/<audience-id>.md
//! ```
//!
//! One module per kind of file: `files` (reading, listing, TOML, front matter), `config` (`site.toml`,
//! `reviewers.toml`), `pages`, `article` (`article.toml`: review and references) and `wordings`;
//! `problems` collects the diagnostics.

pub mod approval;
mod article;
mod config;
mod emergency;
mod files;
mod pages;
mod parity;
mod problems;
mod wordings;

use super::Diagnostic;
use super::model::{Article, Site};
use crate::coach::PlainWords;
use files::{EntryKind, SYMLINK_REFUSED, list_entries};
use problems::Problems;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::Path;
use std::sync::Arc;

/// Threads that load articles. Their stacks are large because deeply nested Markdown or HTML in an
/// article nests as deeply in the parser and sanitiser.
static LOADERS: std::sync::LazyLock<rayon::ThreadPool> = std::sync::LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .stack_size(64 * 1024 * 1024)
        .thread_name(|i| format!("content-loader-{i}"))
        .build()
        .expect("a thread pool for loading content")
});

/// The site could not be loaded at all: `site.toml` or `reviewers.toml` is missing or invalid.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the content folder could not be loaded:")?;
        for d in &self.diagnostics {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// What to work out while loading, beyond what the public site needs.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Measure each wording's reading level (for `check` and the editor area), and warn where it is
    /// above its audience's target; coach it toward plain language (see [`crate::coach`]). Serving
    /// readers alone does not need it.
    pub readability: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { readability: true }
    }
}

/// Loads the content folder at `root`, with every measure.
pub fn load_site(root: &Path) -> Result<Site, LoadError> {
    load_site_with(root, LoadOptions::default())
}

/// Loads the content folder at `root`.
pub fn load_site_with(root: &Path, options: LoadOptions) -> Result<Site, LoadError> {
    let mut problems = Problems::new();
    let config = config::load_config(&root.join("site.toml"), &mut problems);
    let reviewers = config::load_reviewers(&root.join("reviewers.toml"), &mut problems);
    let (Some(config), Some(reviewers)) = (config, reviewers) else {
        return Err(LoadError {
            diagnostics: problems.into_vec(),
        });
    };
    if problems.has_errors() {
        return Err(LoadError {
            diagnostics: problems.into_vec(),
        });
    }
    let pages = pages::load_pages(&root.join("pages"), &config, &mut problems);
    let synonyms = config::load_synonyms(&root.join("synonyms.toml"), &mut problems);
    let synonyms_by_language = config
        .languages
        .iter()
        .skip(1)
        .map(|l| {
            let path = root.join(format!("synonyms.{}.toml", l.id));
            let groups = if path.exists() {
                config::load_synonyms(&path, &mut problems)
            } else {
                Vec::new()
            };
            (l.id.clone(), groups)
        })
        .collect();
    let plain_words = config::load_plain_words(&root.join("plain-words.toml"), &mut problems);
    let mut config = config;
    config.mirror_sites = config::load_mirror_sites(&root.join("mirror-sites.toml"), &mut problems);
    let mut articles = BTreeMap::new();
    let dirs = list_entries(&root.join("articles"), EntryKind::Dir, &mut problems);
    // Articles are independent of each other: load them on every core, then merge in slug order.
    let loaded: Vec<_> = LOADERS.install(|| {
        dirs.into_par_iter()
            .map(|(slug, dir)| {
                let mut found = Problems::new();
                let folder = load_folder(
                    root,
                    &slug,
                    &dir,
                    &config,
                    &reviewers,
                    &plain_words,
                    options,
                    &mut found,
                );
                (slug, dir, folder, found)
            })
            .collect()
    });
    let mut working = BTreeMap::new();
    let mut records = BTreeMap::new();
    for (slug, dir, folder, found) in loaded {
        let failed = found.has_errors();
        problems.append(found);
        if folder.public.is_none() && folder.record.is_none() && failed {
            problems.error(
                &dir,
                None,
                format!("article `{slug}` is left out until the errors above are fixed"),
            );
        }
        if let Some(article) = folder.public {
            articles.insert(slug.clone(), Arc::new(article));
        }
        if let Some(article) = folder.working {
            working.insert(slug.clone(), Arc::new(article));
        }
        if let Some(record) = folder.record {
            records.insert(slug, record);
        }
    }
    check_orphan_copies(root, &articles_dir_slugs(root), &mut problems);
    note_shared_codes(root, &articles, &working, &mut problems);
    Ok(Site {
        root: root.to_path_buf(),
        config,
        reviewers,
        pages,
        articles,
        synonyms,
        synonyms_by_language,
        plain_words,
        working,
        records,
        diagnostics: problems.into_vec().into_iter().map(Arc::new).collect(),
    })
}

/// A note for each clinical code given to more than one article: a knowledge request for it gets
/// all of them, which may be meant (a topic and a medicine) or a slip.
fn note_shared_codes(
    root: &Path,
    articles: &BTreeMap<String, Arc<Article>>,
    working: &BTreeMap<String, Arc<Article>>,
    problems: &mut Problems,
) {
    let mut by_code: BTreeMap<(crate::content::CodeSystem, &str), Vec<&str>> = BTreeMap::new();
    for (slug, article) in articles {
        let article = working.get(slug).unwrap_or(article);
        for code in &article.codes {
            by_code
                .entry((code.system, code.code.as_str()))
                .or_default()
                .push(slug);
        }
    }
    for ((system, code), slugs) in by_code {
        if slugs.len() > 1 {
            problems.note(
                root.join("articles"),
                None,
                format!(
                    "{} code {code} is given to {} articles ({}): a knowledge request for it lists them all",
                    system.name(),
                    slugs.len(),
                    slugs.join(", ")
                ),
            );
        }
    }
}

/// What one article folder gives, with its approved copy and record (see [`approval`]).
pub struct Folder {
    /// What readers see (drafts included, as [`Site::articles`]): the approved copy where there is a
    /// record, else the working files.
    pub public: Option<Article>,
    /// The working files, where readers see an approved copy (or the article is withdrawn).
    pub working: Option<Article>,
    pub record: Option<approval::RecordState>,
}

/// Loads the article `slug` of the content folder `root`: its working files in `dir`, and its
/// approved copy where it has an approval record. A broken working copy never takes down the
/// approved copy readers see; a withdrawn article gives readers nothing.
#[allow(clippy::too_many_arguments)]
fn load_folder(
    root: &Path,
    slug: &str,
    dir: &Path,
    config: &crate::content::SiteConfig,
    reviewers: &BTreeMap<String, crate::content::Reviewer>,
    words: &PlainWords,
    options: LoadOptions,
    problems: &mut Problems,
) -> Folder {
    let mut found = Problems::new();
    // Taken before the files are read: a file changed while loading makes the fingerprint older than
    // the text, so approving what was shown is refused rather than approving unseen text.
    let working_fingerprint = approval::fingerprint(dir).ok();
    let working = article::load_article(slug, dir, config, reviewers, words, options, &mut found);
    let working_failed = found.has_errors();
    problems.append(found);
    let working = working.filter(|_| !working_failed).map(|mut article| {
        article.fingerprint = working_fingerprint.clone();
        article
    });
    let record = approval::read_record(root, slug);
    let working = working.map(|mut article| {
        let history: Vec<(crate::content::Date, BTreeMap<String, String>)> = match &record {
            Ok(Some(r)) => r
                .approvals
                .iter()
                .rev()
                .map(|a| (a.date, a.sources.clone()))
                .collect(),
            _ => Vec::new(),
        };
        article::settle_translations(&mut article, history.iter().map(|(d, s)| (*d, s)));
        article::note_translations(&article, config, false, problems);
        article
    });
    let record = match record {
        Ok(record) => record,
        Err(d) => {
            problems.push(d);
            problems.error(
                approval::approved_dir(root, slug),
                None,
                format!(
                    "article `{slug}` is off the public site until its approval record is fixed"
                ),
            );
            return Folder {
                public: None,
                working,
                record: None,
            };
        }
    };
    let first = approval::read_first_approval(root, slug)
        .filter(|f| working_fingerprint.as_deref() == Some(f.fingerprint.as_str()));
    let record = record.or_else(|| first.as_ref().map(|_| approval::Record::default()));
    let Some(record) = record else {
        if let Some(article) = &working
            && article.review.status == crate::content::ReviewStatus::Approved
        {
            problems.warning(
                dir.join("article.toml"),
                None,
                format!(
                    "approved, but with no approval record: nothing shows which text was approved. Record it with `healthpress approve {slug} --reviewer ID --note \"...\"`"
                ),
            );
        }
        return Folder {
            public: working,
            working: None,
            record: None,
        };
    };
    let (record, scheduled) = record.as_of(crate::content::Moment::now());
    let state = approval::RecordState {
        working_fingerprint,
        record,
        scheduled,
        first,
    };
    if state.record.withdrawn.is_some() {
        return Folder {
            public: None,
            working,
            record: Some(state),
        };
    }
    let Some(latest) = state.record.latest().cloned() else {
        // Approved for later, and never before: readers see nothing of it until then.
        if state.scheduled.is_some() {
            return Folder {
                public: None,
                working,
                record: Some(state),
            };
        }
        // A record without approvals (and not withdrawn): the working files, as without a record.
        return Folder {
            public: working,
            working: None,
            record: Some(state),
        };
    };
    // A scheduled approval that has gone live has its copy in `scheduled/` until it is settled.
    let mut copy = approval::approved_dir(root, slug);
    let scheduled_copy = copy.join(approval::SCHEDULED_DIR);
    if latest.publish_at.is_some()
        && approval::fingerprint(&scheduled_copy).is_ok_and(|p| p == latest.fingerprint)
    {
        copy = scheduled_copy;
    }
    // The working files are the approved text (the usual case): the copy is not read again.
    let same = working
        .as_ref()
        .filter(|_| state.working_fingerprint.as_deref() == Some(latest.fingerprint.as_str()));
    let public = approved_copy(
        slug,
        &copy,
        &latest,
        &state.record,
        same,
        config,
        reviewers,
        words,
        options,
        problems,
    );
    Folder {
        public,
        working,
        record: Some(state),
    }
}

/// The approved copy in `copy`, as approved by `latest`: refused (with an error) when its files are
/// not the ones approved. `same` is the article as loaded from its working files when those are the
/// very files approved (same fingerprint): the copy's files are then checked but not parsed again.
#[allow(clippy::too_many_arguments)]
fn approved_copy(
    slug: &str,
    copy: &Path,
    latest: &approval::Approval,
    record: &approval::Record,
    same: Option<&Article>,
    config: &crate::content::SiteConfig,
    reviewers: &BTreeMap<String, crate::content::Reviewer>,
    words: &PlainWords,
    options: LoadOptions,
    problems: &mut Problems,
) -> Option<Article> {
    // A hand-edited record that names no reviewer, an unknown one, or a date still to come cannot
    // say who approved the text: the copy is off the public site until the record is fixed.
    let mut invalid = false;
    let today = crate::content::Date::today();
    for entry in &record.approvals {
        let mut refuse = |why: String| {
            invalid = true;
            problems.error(
                copy.join(approval::RECORD_FILE),
                None,
                format!(
                    "{why}: `{slug}` is off the public site until its approval record is fixed"
                ),
            );
        };
        if entry.reviewers.is_empty() {
            refuse(format!(
                "the approval of {} names no reviewer",
                entry.date.iso()
            ));
        }
        for id in &entry.reviewers {
            if !reviewers.contains_key(id) {
                refuse(format!(
                    "unknown reviewer id `{id}` in the approval of {} (add [reviewers.{id}] to reviewers.toml)",
                    entry.date.iso()
                ));
            }
        }
        if entry.date > today {
            refuse(format!(
                "the approval dated {} is in the future",
                entry.date.iso()
            ));
        }
        if let Some(c) = crate::content::unsafe_char(&entry.note) {
            refuse(format!(
                "the note of the approval of {} contains the character {c}, which cannot be shown",
                entry.date.iso()
            ));
        }
    }
    if invalid {
        return None;
    }
    match approval::fingerprint(copy) {
        Ok(print) if print == latest.fingerprint => {}
        Ok(_) => {
            problems.error(
                copy,
                None,
                format!(
                    "the approved copy of `{slug}` is not the text approved on {} (its files were changed by hand): it is off the public site until it is approved again with `healthpress approve`",
                    latest.date.iso()
                ),
            );
            return None;
        }
        Err(e) => {
            problems.error(copy, None, format!("cannot read the approved copy: {e}"));
            return None;
        }
    }
    let mut article = match same {
        Some(working) => {
            let mut article = working.clone();
            article.fingerprint = None;
            article
        }
        None => {
            let mut found = Problems::new();
            let article =
                article::load_article(slug, copy, config, reviewers, words, options, &mut found);
            // Its warnings are the working files' warnings of the day it was approved: only
            // errors count.
            let errors: Vec<Diagnostic> = found
                .into_vec()
                .into_iter()
                .filter(|d| d.is_error())
                .collect();
            let failed = !errors.is_empty();
            for e in errors {
                problems.push(e);
            }
            article.filter(|_| !failed)?
        }
    };
    let resolve = |ids: &[String]| -> Vec<crate::content::Reviewer> {
        ids.iter()
            .filter_map(|id| reviewers.get(id).cloned())
            .collect()
    };
    if let Some(next) = article.review.next_review
        && next < crate::content::Date::today()
    {
        problems.warning(
            copy.join(approval::RECORD_FILE),
            None,
            format!(
                "the approved text of `{slug}` was due for review on {}: review it and approve again",
                next.in_words()
            ),
        );
    }
    article.review.status = crate::content::ReviewStatus::Approved;
    article.review.reviewed_by = resolve(&latest.reviewers);
    article.review.reviewed_on = Some(latest.date);
    article.approvals = record
        .approvals
        .iter()
        .rev()
        .map(|a| approval::ApprovalEntry {
            date: a.date,
            reviewers: resolve(&a.reviewers),
            note: a.note.clone(),
            sources: a.sources.clone(),
        })
        .collect();
    let history: Vec<(crate::content::Date, BTreeMap<String, String>)> = article
        .approvals
        .iter()
        .map(|a| (a.date, a.sources.clone()))
        .collect();
    article::settle_translations(&mut article, history.iter().map(|(d, s)| (*d, s)));
    article::note_translations(&article, config, true, problems);
    Some(article)
}

/// Slugs of the folders in `root/articles`.
fn articles_dir_slugs(root: &Path) -> std::collections::BTreeSet<String> {
    fs::read_dir(root.join("articles"))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An approved copy whose article folder is gone is never shown: say so.
fn check_orphan_copies(
    root: &Path,
    slugs: &std::collections::BTreeSet<String>,
    problems: &mut Problems,
) {
    let Ok(entries) = fs::read_dir(root.join(approval::APPROVED_DIR)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || slugs.contains(&name) {
            continue;
        }
        problems.warning(
            entry.path(),
            None,
            format!("an approved copy with no article folder `articles/{name}`: it is not shown; remove it, or restore the article"),
        );
    }
}

/// What loading one article's folder again found (see [`reload_article`]).
pub enum ArticleReload {
    /// It loaded (readers' version, working copy or record), with these problems.
    Loaded(Box<Folder>, Vec<Diagnostic>),
    /// Its folder is gone, or is no longer an article folder (no `article.toml`).
    Removed,
    /// It has errors, listed, and nothing to show.
    Failed(Vec<Diagnostic>),
}

/// Loads the article `slug` of `site`'s content folder again (working files, approved copy and
/// record), against `site`'s configuration and reviewers, as a full load would.
pub fn reload_article(site: &Site, slug: &str, options: LoadOptions) -> ArticleReload {
    let articles_dir = site.root.join("articles");
    let dir = articles_dir.join(slug);
    // The same checks as listing the articles folder: no symlinks, folders only, slug names.
    if fs::symlink_metadata(&articles_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return ArticleReload::Failed(vec![Diagnostic::error(
            &articles_dir,
            None,
            SYMLINK_REFUSED,
        )]);
    }
    let Ok(meta) = fs::symlink_metadata(&dir) else {
        return ArticleReload::Removed;
    };
    if meta.file_type().is_symlink() {
        return ArticleReload::Failed(vec![Diagnostic::error(&dir, None, SYMLINK_REFUSED)]);
    }
    if !meta.is_dir() || !is_slug(slug) {
        return ArticleReload::Removed;
    }
    let mut problems = Problems::new();
    let folder = load_folder(
        &site.root,
        slug,
        &dir,
        &site.config,
        &site.reviewers,
        &site.plain_words,
        options,
        &mut problems,
    );
    if folder.public.is_none() && folder.record.is_none() {
        if !problems.has_errors() {
            return ArticleReload::Removed;
        }
        problems.error(
            &dir,
            None,
            format!("article `{slug}` is left out until the errors above are fixed"),
        );
        return ArticleReload::Failed(problems.into_vec());
    }
    ArticleReload::Loaded(Box::new(folder), problems.into_vec())
}

/// Why an approval was refused: a message, and the problems that stand in its way.
#[derive(Debug)]
pub struct Refused {
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        f.write_str(&self.message)
    }
}

/// Records that the reviewer `reviewer_id` asks for changes to `slug`'s working files (see
/// [`approval::request_changes`]): refused for an unknown article or reviewer, a draft (nothing was
/// sent for review) or, with `expected`, files that changed since the reviewer read them.
pub fn request_article_changes(
    root: &Path,
    slug: &str,
    reviewer_id: &str,
    note: &str,
    date: crate::content::Date,
    expected: Option<&str>,
) -> Result<approval::ChangeRequest, String> {
    if !is_slug(slug) {
        return Err(format!("`{slug}` is not an article slug ([a-z0-9-]+)"));
    }
    let mut problems = Problems::new();
    let reviewers = config::load_reviewers(&root.join("reviewers.toml"), &mut problems)
        .filter(|_| !problems.has_errors())
        .ok_or("reviewers.toml does not load: fix it first")?;
    let toml_path = root.join("articles").join(slug).join("article.toml");
    let draft = fs::read_to_string(&toml_path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| {
            t.get("review")
                .and_then(|r| r.get("status"))
                .and_then(|s| s.as_str())
                .map(|s| s == "draft")
        })
        .unwrap_or(false);
    if draft {
        return Err(format!(
            "`{slug}` is a draft: nothing was sent for review, so there is nothing to send back"
        ));
    }
    approval::request_changes(root, slug, reviewer_id, &reviewers, note, date, expected)
}

/// Approves the working files of `slug` in the content folder `root` as they are now, to publish
/// at once (see [`approve_article_as`]).
pub fn approve_article(
    root: &Path,
    slug: &str,
    reviewer_ids: &[String],
    note: &str,
    date: crate::content::Date,
    expected: Option<&str>,
) -> Result<(approval::Approved, Vec<Diagnostic>), Refused> {
    approve_article_as(
        root,
        &approval::Approving {
            slug,
            reviewers: reviewer_ids,
            note,
            date,
            expected,
            publish_at: None,
        },
    )
}

/// Records an approval of an article's working files as they are now (see
/// [`approval::approve`]), after checking them as `check` would against `site.toml` and
/// `reviewers.toml`: any error refuses. The article needs as many reviewers as the site's or its
/// own `approvals_required` says. Returns what the approval did and the files' warnings.
pub fn approve_article_as(
    root: &Path,
    asked: &approval::Approving<'_>,
) -> Result<(approval::Approved, Vec<Diagnostic>), Refused> {
    let slug = asked.slug;
    let refused = |message: String, diagnostics: Vec<Diagnostic>| Refused {
        message,
        diagnostics,
    };
    if !is_slug(slug) {
        return Err(refused(
            format!("`{slug}` is not an article slug ([a-z0-9-]+)"),
            Vec::new(),
        ));
    }
    let mut problems = Problems::new();
    let config = config::load_config(&root.join("site.toml"), &mut problems);
    let reviewers = config::load_reviewers(&root.join("reviewers.toml"), &mut problems);
    let (Some(config), Some(reviewers)) = (config, reviewers) else {
        return Err(refused(
            "the site's configuration does not load".into(),
            problems.into_vec(),
        ));
    };
    if problems.has_errors() {
        return Err(refused(
            "the site's configuration has errors".into(),
            problems.into_vec(),
        ));
    }
    let mut config = config;
    // Warnings only in the article's checks, so a bad entry here does not refuse the approval.
    config.mirror_sites =
        config::load_mirror_sites(&root.join("mirror-sites.toml"), &mut Problems::new());
    let dir = root.join("articles").join(slug);
    if !dir.is_dir() {
        return Err(refused(
            format!("no article folder {}", dir.display()),
            Vec::new(),
        ));
    }
    let mut found = Problems::new();
    let article = article::load_article(
        slug,
        &dir,
        &config,
        &reviewers,
        &PlainWords::built_in(),
        LoadOptions::default(),
        &mut found,
    );
    if article.is_none() || found.has_errors() {
        return Err(refused(
            format!("`{slug}` has errors: fix them before approving"),
            found
                .into_vec()
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect(),
        ));
    }
    if article
        .as_ref()
        .is_some_and(|a| a.review.status == crate::content::ReviewStatus::Draft)
    {
        return Err(refused(
            format!(
                "`{slug}` is a draft: send it for review first (status = \"submitted\" in its article.toml), then approve it"
            ),
            Vec::new(),
        ));
    }
    let required = article
        .as_ref()
        .map_or(config.approvals_required(), |a| a.review.approvals_required);
    let approval = approval::approve(root, &reviewers, asked, required)
        .map_err(|message| refused(message, Vec::new()))?;
    Ok((approval, found.into_vec()))
}

/// `[a-z0-9-]+`, at most 100 characters: folder names, audience and reviewer ids.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("leg-cramps-2"));
        assert!(!is_slug("Leg"));
        assert!(!is_slug("a_b"));
        assert!(!is_slug(""));
        assert!(!is_slug(".."));
    }
}
