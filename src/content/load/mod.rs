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

mod article;
mod config;
mod files;
mod pages;
mod problems;
mod wordings;

use super::Diagnostic;
use super::model::{Article, Site};
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
    let pages = pages::load_pages(&root.join("pages"), &mut problems);
    let synonyms = config::load_synonyms(&root.join("synonyms.toml"), &mut problems);
    let plain_words = config::load_plain_words(&root.join("plain-words.toml"), &mut problems);
    let mut articles = BTreeMap::new();
    let dirs = list_entries(&root.join("articles"), EntryKind::Dir, &mut problems);
    // Articles are independent of each other: load them on every core, then merge in slug order.
    let loaded: Vec<_> = LOADERS.install(|| {
        dirs.into_par_iter()
            .map(|(slug, dir)| {
                let mut found = Problems::new();
                let article = article::load_article(
                    &slug,
                    &dir,
                    &config,
                    &reviewers,
                    &plain_words,
                    options,
                    &mut found,
                );
                (slug, dir, article, found)
            })
            .collect()
    });
    for (slug, dir, article, found) in loaded {
        let failed = found.has_errors();
        problems.append(found);
        match article {
            Some(article) if !failed => {
                articles.insert(slug, Arc::new(article));
            }
            _ => problems.error(
                &dir,
                None,
                format!("article `{slug}` is left out until the errors above are fixed"),
            ),
        }
    }
    Ok(Site {
        root: root.to_path_buf(),
        config,
        reviewers,
        pages,
        articles,
        synonyms,
        plain_words,
        diagnostics: problems.into_vec(),
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
    let article = article::load_article(
        slug,
        &dir,
        &site.config,
        &site.reviewers,
        &site.plain_words,
        options,
        &mut problems,
    );
    match article {
        Some(article) if !problems.has_errors() => {
            ArticleReload::Loaded(Box::new(article), problems.into_vec())
        }
        _ => {
            problems.error(
                &dir,
                None,
                format!("article `{slug}` is left out until the errors above are fixed"),
            );
            ArticleReload::Failed(problems.into_vec())
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
