//! Reads a content folder into a [`Site`], collecting every problem as a [`Diagnostic`] instead of
//! stopping at the first. A broken article is left out; the rest of the site still loads.
//!
//! ```text
//! content/
//!   site.toml  reviewers.toml  pages/<slug>.md
//!   articles/<slug>/article.toml  articles/<slug>/<audience-id>.md
//! ```

use super::model::*;
use super::{Date, Diagnostic, line_of};
use crate::markdown::{self, is_valid_key};
use crate::readability::Readability;
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Threads that load articles. Their stacks are large because deeply nested Markdown or HTML in an
/// article nests as deeply in the parser and sanitiser.
static LOADERS: std::sync::LazyLock<rayon::ThreadPool> = std::sync::LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .stack_size(64 * 1024 * 1024)
        .thread_name(|i| format!("content-loader-{i}"))
        .build()
        .expect("a thread pool for loading content")
});

/// Content files larger than this are refused rather than read.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

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
    /// above its audience's target. Serving readers alone does not need it.
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
    let mut diagnostics = Vec::new();
    let config = load_config(&root.join("site.toml"), &mut diagnostics);
    let reviewers = load_reviewers(&root.join("reviewers.toml"), &mut diagnostics);
    let (Some(config), Some(reviewers)) = (config, reviewers) else {
        return Err(LoadError { diagnostics });
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError { diagnostics });
    }
    let pages = load_pages(&root.join("pages"), &mut diagnostics);
    let mut articles = BTreeMap::new();
    let articles_dir = root.join("articles");
    let dirs = list_entries(&articles_dir, EntryKind::Dir, &mut diagnostics);
    // Articles are independent of each other: load them on every core, then merge in slug order.
    let loaded: Vec<_> = LOADERS.install(|| {
        dirs.into_par_iter()
            .map(|(slug, dir)| {
                let mut problems = Vec::new();
                let article =
                    load_article(&slug, &dir, &config, &reviewers, options, &mut problems);
                (slug, dir, article, problems)
            })
            .collect()
    });
    for (slug, dir, article, problems) in loaded {
        let failed = problems.iter().any(Diagnostic::is_error);
        diagnostics.extend(problems);
        match article {
            Some(article) if !failed => {
                articles.insert(slug, std::sync::Arc::new(article));
            }
            _ => diagnostics.push(Diagnostic::error(
                &dir,
                None,
                format!("article `{slug}` is left out until the errors above are fixed"),
            )),
        }
    }
    Ok(Site {
        root: root.to_path_buf(),
        config,
        reviewers,
        pages,
        articles,
        diagnostics,
    })
}

/// What loading one article's folder again found (see [`reload_article`]).
pub enum ArticleReload {
    /// It loaded, with these problems (warnings only).
    Loaded(Box<Article>, Vec<Diagnostic>),
    /// Its folder is gone, or is no longer an article folder (no `article.toml`).
    Removed,
    /// It has errors, listed.
    Failed(Vec<Diagnostic>),
}

/// Loads the article `slug` of `site`'s content folder again, against `site`'s configuration and
/// reviewers, as a full load would.
pub fn reload_article(site: &Site, slug: &str, options: LoadOptions) -> ArticleReload {
    let articles_dir = site.root.join("articles");
    let dir = articles_dir.join(slug);
    let mut problems = Vec::new();
    // The same checks as listing the articles folder: no symlinks, folders only, slug names.
    if fs::symlink_metadata(&articles_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return ArticleReload::Failed(vec![Diagnostic::error(
            &articles_dir,
            None,
            "is a symbolic link: content must be regular files and folders inside the content folder",
        )]);
    }
    let Ok(meta) = fs::symlink_metadata(&dir) else {
        return ArticleReload::Removed;
    };
    if meta.file_type().is_symlink() {
        return ArticleReload::Failed(vec![Diagnostic::error(
            &dir,
            None,
            "is a symbolic link: content must be regular files and folders inside the content folder",
        )]);
    }
    if !meta.is_dir() || !is_slug(slug) {
        return ArticleReload::Removed;
    }
    let article = load_article(
        slug,
        &dir,
        &site.config,
        &site.reviewers,
        options,
        &mut problems,
    );
    match article {
        Some(article) if !problems.iter().any(Diagnostic::is_error) => {
            ArticleReload::Loaded(Box::new(article), problems)
        }
        _ => {
            problems.push(Diagnostic::error(
                &dir,
                None,
                format!("article `{slug}` is left out until the errors above are fixed"),
            ));
            ArticleReload::Failed(problems)
        }
    }
}

/// `[a-z0-9-]+`, at most 100 characters: folder names, audience and reviewer ids.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads a content file as UTF-8 text, refusing symlinks, oversized files and invalid encodings.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let meta = fs::symlink_metadata(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read file: {e}")))?;
    if meta.file_type().is_symlink() {
        return Err(Diagnostic::error(
            path,
            None,
            "is a symbolic link: content files must be regular files inside the content folder",
        ));
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(path, None, "is not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            None,
            format!(
                "is {} bytes, over the limit of {MAX_FILE_BYTES}: split it into smaller articles",
                meta.len()
            ),
        ));
    }
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = line_of(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        Diagnostic::error(
            path,
            Some(line),
            format!("is not valid UTF-8 (byte {valid}): save the file as UTF-8"),
        )
    })
}

/// Parses TOML into `T`, turning errors into a diagnostic on the right line (`first_line` is the
/// line of the file on which `text` starts).
fn parse_toml<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start) + first_line - 1);
        let message = e.message().trim().to_string();
        Diagnostic::error(path, line, format!("invalid TOML: {message}"))
    })
}

fn span_line(text: &str, span: std::ops::Range<usize>, first_line: usize) -> Option<usize> {
    Some(line_of(text, span.start) + first_line - 1)
}

/// A Markdown file split into its optional `+++` TOML front matter and its body.
struct FrontMatter<'a> {
    toml: Option<&'a str>,
    body: &'a str,
    /// 1-based line on which the body starts.
    body_line: usize,
}

fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<FrontMatter<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok(FrontMatter {
            toml: None,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body = &rest[offset + line.len()..];
            return Ok(FrontMatter {
                toml: Some(&rest[..offset]),
                body,
                body_line: line_of(text, text.len() - body.len()),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        Some(1),
        "front matter opened with `+++` is never closed: add a line `+++` after it",
    ))
}

fn load_config(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let text = read_text(path).map_err(|d| diagnostics.push(d)).ok()?;
    let config: SiteConfig = parse_toml(path, &text, 1)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    if let Some(notice) = &config.notice {
        check_notice(path, notice, diagnostics);
    }
    let mut error = |m: String| diagnostics.push(Diagnostic::error(path, None, m));
    if config.title.trim().is_empty() {
        error("`title` is empty: give the site a name".into());
    }
    match url::Url::parse(&config.base_url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => error(format!(
            "`base_url` {:?} is not an http(s) URL: write e.g. \"https://health.example.org\"",
            config.base_url
        )),
    }
    for (key, value) in [
        (
            "recheck_sources_after_days",
            config.recheck_sources_after_days,
        ),
        ("old_guideline_years", config.old_guideline_years),
    ] {
        if value == Some(0) {
            error(format!(
                "`{key}` is 0: give a number above 0, or remove the line for the default"
            ));
        }
    }
    if config.audiences.is_empty() {
        error("no [[audiences]]: add at least one, e.g. id = \"patient\"".into());
    }
    let mut seen = HashSet::new();
    for a in &config.audiences {
        if !is_slug(&a.id) {
            error(format!(
                "audience id {:?} is not a slug: use [a-z0-9-]+",
                a.id
            ));
        }
        if !seen.insert(a.id.as_str()) {
            error(format!("audience id `{}` is listed twice", a.id));
        }
        if a.label.trim().is_empty() {
            error(format!("audience `{}` has an empty `label`", a.id));
        }
        if let Some(g) = a.max_grade
            && !(0.0..=30.0).contains(&g)
        {
            error(format!(
                "audience `{}`: `max_grade` {g} is not a reading grade between 0 and 30",
                a.id
            ));
        }
    }
    if config.audience(&config.default_audience).is_none() && !config.audiences.is_empty() {
        let ids: Vec<_> = config.audiences.iter().map(|a| a.id.as_str()).collect();
        error(format!(
            "`default_audience` `{}` is not one of the audiences ({})",
            config.default_audience,
            ids.join(", ")
        ));
    }
    Some(config)
}

/// The site-wide banner is plain text on one line, short enough to read at a glance. It is always
/// escaped when shown, so markup in it would appear as typed: that is a warning.
fn check_notice(path: &Path, notice: &str, diagnostics: &mut Vec<Diagnostic>) {
    let chars = notice.chars().count();
    let problem = if notice.trim().is_empty() {
        Diagnostic::error(
            path,
            None,
            "`notice` is empty: write the notice, or remove the line",
        )
    } else if chars > SiteConfig::MAX_NOTICE_CHARS {
        Diagnostic::error(
            path,
            None,
            format!(
                "`notice` is {chars} characters, over the limit of {}: keep the banner to a sentence or two",
                SiteConfig::MAX_NOTICE_CHARS
            ),
        )
    } else if notice.chars().any(char::is_control) {
        Diagnostic::error(
            path,
            None,
            "`notice` contains a line break or control character: write it on one line",
        )
    } else if notice.contains('<') || notice.contains('>') {
        Diagnostic::warning(
            path,
            None,
            "`notice` contains `<` or `>`: it is shown as plain text, so markup would appear as typed",
        )
    } else {
        return;
    };
    diagnostics.push(problem);
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewersFile {
    #[serde(default)]
    reviewers: BTreeMap<String, Reviewer>,
}

fn load_reviewers(
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<String, Reviewer>> {
    let text = read_text(path).map_err(|d| diagnostics.push(d)).ok()?;
    let file: ReviewersFile = parse_toml(path, &text, 1)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    for (id, r) in &file.reviewers {
        if !is_slug(id) {
            diagnostics.push(Diagnostic::error(
                path,
                None,
                format!("reviewer id {id:?} is not a slug: use [a-z0-9-]+"),
            ));
        }
        if r.name.trim().is_empty() {
            diagnostics.push(Diagnostic::error(
                path,
                None,
                format!("reviewer `{id}` has an empty `name`"),
            ));
        }
    }
    Some(file.reviewers)
}

#[derive(Clone, Copy, PartialEq)]
enum EntryKind {
    Dir,
    MarkdownFile,
}

/// The entries of `dir` named by a slug, sorted; anything else is reported. Hidden files are skipped.
fn list_entries(
    dir: &Path,
    kind: EntryKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    // The folder itself, like everything in it, must not lead outside the content folder.
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        diagnostics.push(Diagnostic::error(
            dir,
            None,
            "is a symbolic link: content must be regular files and folders inside the content folder",
        ));
        return Vec::new();
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                dir,
                None,
                format!("cannot read folder: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            diagnostics.push(Diagnostic::error(
                &path,
                None,
                "file name is not UTF-8: rename it",
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_symlink() {
            diagnostics.push(Diagnostic::error(
                &path,
                None,
                "is a symbolic link: content must be regular files and folders inside the content folder",
            ));
            continue;
        }
        let slug = match kind {
            EntryKind::Dir if file_type.is_dir() => name,
            EntryKind::MarkdownFile if file_type.is_file() => match name.strip_suffix(".md") {
                Some(stem) => stem,
                None => {
                    diagnostics.push(Diagnostic::warning(
                        &path,
                        None,
                        "is not a .md file and is ignored",
                    ));
                    continue;
                }
            },
            _ => {
                diagnostics.push(Diagnostic::warning(
                    &path,
                    None,
                    "unexpected entry here; it is ignored",
                ));
                continue;
            }
        };
        if !is_slug(slug) {
            diagnostics.push(Diagnostic::error(
                &path,
                None,
                format!("name {slug:?} is not a slug: rename it using only a-z, 0-9 and -"),
            ));
            continue;
        }
        out.push((slug.to_string(), path));
    }
    out.sort();
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
}

fn load_pages(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<String, Page> {
    let mut pages = BTreeMap::new();
    for (slug, path) in list_entries(dir, EntryKind::MarkdownFile, diagnostics) {
        match load_page(&slug, &path, diagnostics) {
            Some(page) => {
                pages.insert(slug, page);
            }
            None => diagnostics.push(Diagnostic::error(
                &path,
                None,
                format!("page `{slug}` is left out until the errors above are fixed"),
            )),
        }
    }
    pages
}

fn load_page(slug: &str, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Page> {
    let text = read_text(path).map_err(|d| diagnostics.push(d)).ok()?;
    let fm = split_front_matter(path, &text)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let Some(front) = fm.toml else {
        diagnostics.push(Diagnostic::error(
            path,
            Some(1),
            "no front matter: start the page with `+++`, `title = \"...\"`, `+++`",
        ));
        return None;
    };
    let front: PageFront = parse_toml(path, front, 2)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    if front.title.trim().is_empty() {
        diagnostics.push(Diagnostic::error(path, Some(2), "`title` is empty"));
        return None;
    }
    let (body, problems) = markdown::render(fm.body, &|_| false);
    let mut ok = true;
    for p in problems {
        ok = false;
        let message = if p.message.starts_with("citation") {
            "pages have no references to cite: remove the citation or move the text into an article"
                .to_string()
        } else {
            p.message
        };
        diagnostics.push(Diagnostic::error(
            path,
            Some(line_of(fm.body, p.offset) + fm.body_line - 1),
            message,
        ));
    }
    ok.then(|| Page {
        slug: slug.to_string(),
        path: path.to_path_buf(),
        title: front.title,
        body,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFile {
    title: String,
    summary: String,
    #[serde(default)]
    topics: Vec<Spanned<String>>,
    updated: Date,
    review: ReviewFile,
    #[serde(default)]
    references: Vec<Spanned<Reference>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewFile {
    status: ReviewStatus,
    #[serde(default)]
    reviewed_by: Vec<Spanned<String>>,
    #[serde(default)]
    reviewed_on: Option<Date>,
    #[serde(default)]
    next_review: Option<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordingFront {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
}

fn load_article(
    slug: &str,
    dir: &Path,
    config: &SiteConfig,
    reviewers: &BTreeMap<String, Reviewer>,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let toml_path = dir.join("article.toml");
    if !toml_path.exists() && fs::symlink_metadata(&toml_path).is_err() {
        diagnostics.push(Diagnostic::error(
            &toml_path,
            None,
            "missing: every article folder needs an article.toml",
        ));
        return None;
    }
    let text = read_text(&toml_path)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let file: ArticleFile = parse_toml(&toml_path, &text, 1)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let line = |span: std::ops::Range<usize>| span_line(&text, span, 1);
    let mut error =
        |line: Option<usize>, m: String| diagnostics.push(Diagnostic::error(&toml_path, line, m));

    if file.title.trim().is_empty() {
        error(None, "`title` is empty".into());
    }
    if file.summary.trim().is_empty() {
        error(
            None,
            "`summary` is empty: one or two sentences saying what the article covers".into(),
        );
    }
    let mut topics = Vec::new();
    for topic in &file.topics {
        let t = topic.get_ref().trim();
        if t.is_empty() || markdown::slugify(t).is_empty() {
            error(
                line(topic.span()),
                format!("topic {t:?} needs letters or digits"),
            );
        } else if topics
            .iter()
            .any(|x: &String| markdown::slugify(x) == markdown::slugify(t))
        {
            error(line(topic.span()), format!("topic {t:?} is listed twice"));
        } else {
            topics.push(t.to_string());
        }
    }

    let mut reviewed_by = Vec::new();
    for id in &file.review.reviewed_by {
        match reviewers.get(id.get_ref()) {
            Some(r) => reviewed_by.push(r.clone()),
            None => error(
                line(id.span()),
                format!(
                    "unknown reviewer id `{}`: add [reviewers.{}] to reviewers.toml or correct the id",
                    id.get_ref(),
                    id.get_ref()
                ),
            ),
        }
    }
    let review = file.review;
    if review.status == ReviewStatus::Approved
        && (review.reviewed_by.is_empty() || review.reviewed_on.is_none())
    {
        error(
            None,
            "an approved article needs `reviewed_by` and `reviewed_on` in [review]".into(),
        );
    }
    if let (Some(on), Some(next)) = (review.reviewed_on, review.next_review)
        && next < on
    {
        error(
            None,
            format!(
                "`next_review` ({}) is before `reviewed_on` ({})",
                next.iso(),
                on.iso()
            ),
        );
    }

    let mut references: Vec<Reference> = Vec::new();
    let max_year = Date::today().year() + 1;
    for spanned in &file.references {
        let at = line(spanned.span());
        let r = spanned.get_ref();
        if !is_valid_key(&r.key) {
            error(
                at,
                format!(
                    "reference key {:?} is not valid: use letters, digits, -, _, . or :",
                    r.key
                ),
            );
        } else if references.iter().any(|x| x.key == r.key) {
            error(
                at,
                format!(
                    "reference key `{}` is used twice: keys must be unique",
                    r.key
                ),
            );
        }
        if r.title.trim().is_empty() || r.source.trim().is_empty() {
            error(
                at,
                format!("reference `{}` needs a `title` and a `source`", r.key),
            );
        }
        if !(1800..=max_year).contains(&r.year) {
            error(
                at,
                format!("reference `{}`: `year` {} is not plausible", r.key, r.year),
            );
        }
        if let Some(u) = &r.url
            && !matches!(url::Url::parse(u), Ok(p) if matches!(p.scheme(), "http" | "https"))
        {
            error(
                at,
                format!("reference `{}`: `url` {u:?} is not an http(s) URL", r.key),
            );
        }
        if let Some(doi) = &r.doi {
            let ok = doi.starts_with("10.")
                && doi.contains('/')
                && doi.chars().all(|c| {
                    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '#' | '?')
                });
            if !ok {
                error(
                    at,
                    format!(
                        "reference `{}`: `doi` {doi:?} is not a DOI: write it bare, e.g. \"10.1002/14651858.CD008496.pub3\"",
                        r.key
                    ),
                );
            }
        }
        if let Some(pmid) = &r.pmid
            && (pmid.is_empty() || pmid.len() > 9 || !pmid.bytes().all(|b| b.is_ascii_digit()))
        {
            error(
                at,
                format!("reference `{}`: `pmid` {pmid:?} must be digits only", r.key),
            );
        }
        if let Some(on) = r.checked_on {
            if on > Date::today() {
                error(
                    at,
                    format!(
                        "reference `{}`: `checked_on` {} is in the future: write the date the source was checked",
                        r.key,
                        on.iso()
                    ),
                );
            } else if on.year() < r.year {
                error(
                    at,
                    format!(
                        "reference `{}`: `checked_on` {} is before the source's `year` {}",
                        r.key,
                        on.iso(),
                        r.year
                    ),
                );
            }
        }
        references.push(r.clone());
    }

    if review.status == ReviewStatus::Approved
        && let Some(next) = review.next_review
        && next < Date::today()
    {
        diagnostics.push(Diagnostic::warning(
            &toml_path,
            None,
            format!(
                "approved, but its review was due on {}: review it and update [review]",
                next.in_words()
            ),
        ));
    }
    let errors_before = diagnostics.iter().filter(|d| d.is_error()).count();
    let wordings = load_wordings(dir, config, &references, options, diagnostics);
    if diagnostics.iter().filter(|d| d.is_error()).count() > errors_before {
        // A wording failed: the article is left out, and what follows would only echo that.
        return None;
    }
    if wordings.is_empty() {
        let files: Vec<_> = config
            .audiences
            .iter()
            .map(|a| format!("{}.md", a.id))
            .collect();
        diagnostics.push(Diagnostic::error(
            dir,
            None,
            format!("has no wordings: add one of {}", files.join(", ")),
        ));
    }
    for r in &references {
        if !wordings.iter().any(|w| w.body.citations.contains(&r.key)) {
            diagnostics.push(Diagnostic::warning(
                &toml_path,
                None,
                format!(
                    "reference `{}` is never cited: cite it as [@{}] or remove it",
                    r.key, r.key
                ),
            ));
        }
    }
    Some(Article {
        slug: slug.to_string(),
        dir: dir.to_path_buf(),
        title: file.title,
        summary: file.summary,
        topics,
        updated: file.updated,
        review: Review {
            status: review.status,
            reviewed_by,
            reviewed_on: review.reviewed_on,
            next_review: review.next_review,
        },
        references,
        wordings,
    })
}

fn load_wordings(
    dir: &Path,
    config: &SiteConfig,
    references: &[Reference],
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Wording> {
    let mut wordings = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                dir,
                None,
                format!("cannot read folder: {e}"),
            ));
            return wordings;
        }
    };
    let ids: Vec<_> = config.audiences.iter().map(|a| a.id.as_str()).collect();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "article.toml" {
            continue;
        }
        let Some(audience) = name.strip_suffix(".md") else {
            diagnostics.push(Diagnostic::warning(
                &path,
                None,
                "is not a wording (.md) or article.toml and is ignored",
            ));
            continue;
        };
        if config.audience(audience).is_none() {
            diagnostics.push(Diagnostic::error(
                &path,
                None,
                format!(
                    "`{name}` is not a wording: site.toml has no audience `{audience}` (audiences: {}); rename the file",
                    ids.join(", ")
                ),
            ));
            continue;
        }
        if let Some(w) = load_wording(audience, &path, config, references, options, diagnostics) {
            wordings.push(w);
        }
    }
    wordings.sort_by_key(|w| config.audience_index(&w.audience));
    wordings
}

fn load_wording(
    audience: &str,
    path: &Path,
    config: &SiteConfig,
    references: &[Reference],
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Wording> {
    let text = read_text(path).map_err(|d| diagnostics.push(d)).ok()?;
    let fm = split_front_matter(path, &text)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let front = match fm.toml {
        Some(t) => parse_toml::<WordingFront>(path, t, 2)
            .map_err(|d| diagnostics.push(d))
            .ok()?,
        None => WordingFront {
            title: None,
            summary: None,
        },
    };
    if fm.body.trim().is_empty() {
        diagnostics.push(Diagnostic::error(
            path,
            None,
            "the wording has no text: write it, or delete the file",
        ));
        return None;
    }
    let is_known = |key: &str| references.iter().any(|r| r.key == key);
    let (body, problems) = markdown::render(fm.body, &is_known);
    let failed = !problems.is_empty();
    for p in problems {
        let line = line_of(fm.body, p.offset) + fm.body_line - 1;
        diagnostics.push(Diagnostic::error(path, Some(line), p.message));
    }
    if failed {
        return None;
    }
    let readability = options.readability.then(|| Readability::of(&body.text));
    if let Some(readability) = readability
        && let Some(max) = config.audience(audience).and_then(|a| a.max_grade)
        && readability.words > 0
        && readability.smog_grade > max
    {
        diagnostics.push(Diagnostic::warning(
            path,
            None,
            format!(
                "reads at grade {:.1} (SMOG; Flesch-Kincaid {:.1}), above this audience's target of {max}: \
                 use shorter sentences and everyday words",
                readability.smog_grade, readability.flesch_kincaid_grade
            ),
        ));
    }
    Some(Wording {
        audience: audience.to_string(),
        path: path.to_path_buf(),
        title: front.title.filter(|t| !t.trim().is_empty()),
        summary: front.summary.filter(|s| !s.trim().is_empty()),
        body,
        readability,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_body_line() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let fm = split_front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(fm.toml, Some("title = \"x\"\n"));
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.body_line, 4);
        let none = split_front_matter(Path::new("a.md"), "Just body").unwrap();
        assert!(none.toml.is_none());
        assert!(split_front_matter(Path::new("a.md"), "+++\ntitle = 1\n").is_err());
    }

    #[test]
    fn slugs() {
        assert!(is_slug("leg-cramps-2"));
        assert!(!is_slug("Leg"));
        assert!(!is_slug("a_b"));
        assert!(!is_slug(""));
        assert!(!is_slug(".."));
    }
}
