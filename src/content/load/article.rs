//! One article folder: `article.toml` (title, topics, review, references), then its wordings.

use super::LoadOptions;
use super::files::{parse_toml, read_text, span_line};
use super::problems::Problems;
use super::wordings::load_wordings;
use crate::coach::PlainWords;
use crate::content::model::{
    Article, MirrorSite, Reference, ReferenceKind, Review, ReviewStatus, Reviewer, SiteConfig,
    TranslatedTexts, Translation, TranslationState,
};
use crate::content::{Code, CodeSystem, Date};
use crate::markdown::{self, is_valid_key};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use toml::Spanned;

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
    #[serde(default)]
    codes: Vec<Spanned<CodeFile>>,
    /// Title and summary in the site's other languages, by language id.
    #[serde(default)]
    translations: BTreeMap<String, TranslatedTexts>,
}

/// One `[[codes]]` entry: what the article is about, in a clinical code system.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    system: CodeSystem,
    code: String,
    #[serde(default)]
    display: Option<String>,
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
    #[serde(default)]
    assigned_to: Vec<Spanned<String>>,
    #[serde(default)]
    due: Option<Date>,
    #[serde(default)]
    approvals_required: Option<Spanned<u8>>,
}

/// Loads the article folder `dir`; `None` if it cannot be used. It may also come back with errors
/// recorded in `problems`, which leave it out as well.
pub(super) fn load_article(
    slug: &str,
    dir: &Path,
    config: &SiteConfig,
    reviewers: &BTreeMap<String, Reviewer>,
    words: &PlainWords,
    options: LoadOptions,
    problems: &mut Problems,
) -> Option<Article> {
    let toml_path = dir.join("article.toml");
    if !toml_path.exists() && fs::symlink_metadata(&toml_path).is_err() {
        problems.error(
            &toml_path,
            None,
            "missing: every article folder needs an article.toml",
        );
        return None;
    }
    let text = problems.ok(read_text(&toml_path))?;
    let file: ArticleFile = problems.ok(parse_toml(&toml_path, &text, 1))?;
    let line = |span: std::ops::Range<usize>| span_line(&text, span, 1);

    if file.title.trim().is_empty() {
        problems.error(&toml_path, None, "`title` is empty");
    }
    for (field, text) in [("title", &file.title), ("summary", &file.summary)] {
        if let Some(c) = crate::content::unsafe_char(text) {
            problems.error(
                &toml_path,
                None,
                format!("`{field}` contains the character {c}, which cannot be shown: remove it"),
            );
        }
    }
    if file.summary.trim().is_empty() {
        problems.error(
            &toml_path,
            None,
            "`summary` is empty: one or two sentences saying what the article covers",
        );
    }
    let mut topics = Vec::new();
    for topic in &file.topics {
        let t = topic.get_ref().trim();
        if t.is_empty() || markdown::slugify(t).is_empty() {
            problems.error(
                &toml_path,
                line(topic.span()),
                format!("topic {t:?} needs letters or digits"),
            );
        } else if topics
            .iter()
            .any(|x: &String| markdown::slugify(x) == markdown::slugify(t))
        {
            problems.error(
                &toml_path,
                line(topic.span()),
                format!("topic {t:?} is listed twice"),
            );
        } else {
            topics.push(t.to_string());
        }
    }

    let review = file.review;
    let reviewed_by = check_review(&toml_path, &review, reviewers, &line, problems);
    let mut assigned_to = check_assignees(&toml_path, &review, reviewers, &line, problems);
    // One meaning of "assigned": an article in review without `assigned_to` is assigned to the
    // reviewers its public page says are reviewing it ("Being reviewed by").
    if assigned_to.is_empty()
        && matches!(
            review.status,
            ReviewStatus::Submitted | ReviewStatus::UnderReview
        )
    {
        for id in &review.reviewed_by {
            let id = id.get_ref();
            if reviewers.contains_key(id) && !assigned_to.contains(id) {
                assigned_to.push(id.clone());
            }
        }
    }
    let approvals_required = check_approvals_required(&toml_path, &review, config, &line, problems);
    let references = check_references(&toml_path, &file.references, &line, problems);
    let codes = check_codes(&toml_path, &file.codes, &line, problems);
    check_mirror_sites(
        &toml_path,
        &file.references,
        &config.mirror_sites,
        &line,
        problems,
    );

    if review.status == ReviewStatus::Approved
        && let Some(next) = review.next_review
        && next < Date::today()
    {
        problems.warning(
            &toml_path,
            None,
            format!(
                "approved, but its review was due on {}: review it and update [review]",
                next.in_words()
            ),
        );
    }
    for (lang, texts) in &file.translations {
        if !config.is_translation_language(lang) {
            problems.error(
                &toml_path,
                None,
                format!(
                    "[translations.{lang}]: `{lang}` is not one of site.toml's languages other than the source language"
                ),
            );
        }
        for (field, text) in [("title", &texts.title), ("summary", &texts.summary)] {
            if let Some(text) = text {
                if text.trim().is_empty() {
                    problems.error(
                        &toml_path,
                        None,
                        format!(
                            "[translations.{lang}] `{field}` is empty: write it, or remove the line"
                        ),
                    );
                } else if let Some(c) = crate::content::unsafe_char(text) {
                    problems.error(
                        &toml_path,
                        None,
                        format!("[translations.{lang}] `{field}` contains the character {c}, which cannot be shown: remove it"),
                    );
                }
            }
        }
    }
    let errors_before = problems.errors();
    let (wordings, translated) = load_wordings(
        dir,
        config,
        &file.summary,
        &references,
        words,
        options,
        problems,
    );
    if problems.errors() > errors_before {
        // A wording failed: the article is left out, and what follows would only echo that.
        return None;
    }
    if wordings.is_empty() {
        let files: Vec<_> = config
            .audiences
            .iter()
            .map(|a| format!("{}.md", a.id))
            .collect();
        problems.error(
            dir,
            None,
            format!("has no wordings: add one of {}", files.join(", ")),
        );
    }
    for t in &translated {
        if wordings.iter().all(|w| w.audience != t.audience) {
            problems.error(
                &t.path,
                None,
                format!(
                    "translates the `{}` wording, but the article has no `{}.md`: write the source wording first",
                    t.audience, t.audience
                ),
            );
        }
    }
    super::emergency::check_emergency_cards(&wordings, problems);
    super::parity::check_parity(&wordings, problems);
    for t in &translated {
        if let Some(source) = wordings.iter().find(|w| w.audience == t.audience) {
            super::parity::check_translation_parity(source, t, problems);
        }
    }
    for r in &references {
        if !wordings.iter().any(|w| w.body.citations.contains(&r.key)) {
            problems.warning(
                &toml_path,
                None,
                format!(
                    "reference `{}` is never cited: cite it as [@{}] or remove it",
                    r.key, r.key
                ),
            );
        }
    }
    let (mut topics, mut references, mut codes) = (topics, references, codes);
    topics.shrink_to_fit();
    references.shrink_to_fit();
    codes.shrink_to_fit();
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
            assigned_to,
            due: review.due,
            approvals_required,
        },
        references,
        codes,
        wordings,
        approvals: Vec::new(),
        fingerprint: None,
        translations: translated
            .into_iter()
            .map(|wording| Translation {
                wording,
                state: TranslationState::Unbound,
            })
            .collect(),
        translated: file.translations,
    })
}

/// Works out where each translation of `article` stands: against its own source wordings, and
/// against the approvals of `history` (date and source fingerprints, newest first).
pub(super) fn settle_translations<'a>(
    article: &mut Article,
    history: impl Iterator<Item = (Date, &'a BTreeMap<String, String>)> + Clone,
) {
    let sources: BTreeMap<String, String> = article
        .wordings
        .iter()
        .map(|w| (w.audience.clone(), w.file_fingerprint.clone()))
        .collect();
    for t in &mut article.translations {
        let audience = &t.wording.audience;
        t.state = match &t.wording.translates {
            None => TranslationState::Unbound,
            Some(print) if sources.get(audience) == Some(print) => TranslationState::Current,
            Some(print) => {
                // Newest first: the approval of the text it follows, and the first after it that
                // changed that wording.
                let approvals: Vec<(Date, Option<&String>)> = history
                    .clone()
                    .map(|(date, sources)| (date, sources.get(audience)))
                    .collect();
                match approvals.iter().position(|(_, p)| *p == Some(print)) {
                    Some(at) => TranslationState::OutOfDate {
                        follows: Some(approvals[at].0),
                        updated: approvals[..at]
                            .iter()
                            .rev()
                            .find(|(_, p)| *p != Some(print))
                            .map(|(date, _)| *date),
                    },
                    None => TranslationState::Unbound,
                }
            }
        };
    }
}

/// Warnings about `article`'s translations: unbound ones (readers never see them) and ones out of
/// date (readers see them, marked). `public` is the copy readers see, `None` for working files.
pub(super) fn note_translations(
    article: &Article,
    config: &SiteConfig,
    readers_see: bool,
    problems: &mut Problems,
) {
    let source = &config.source_language().label;
    for t in &article.translations {
        let w = &t.wording;
        let name = w
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let current = article
            .wording(&w.audience)
            .map(|s| s.file_fingerprint.as_str())
            .unwrap_or("");
        match &t.state {
            TranslationState::Current => {}
            TranslationState::Unbound if readers_see => {}
            TranslationState::OutOfDate { .. } if !readers_see && !article.approvals.is_empty() => {}
            TranslationState::Unbound => problems.warning(
                &w.path,
                None,
                match &w.translates {
                    None => format!(
                        "`{name}` does not say which {source} text it translates, so readers never see it: once the {source} `{}.md` it translates is approved, add `translates = \"{current}\"` to its front matter (the fingerprint of that file as it is now)",
                        w.audience
                    ),
                    Some(print) => format!(
                        "`{name}` translates {print}, which is neither the {source} `{}.md` as it is now nor one that was approved, so readers never see it: translate the {source} text as it is now and set `translates = \"{current}\"`",
                        w.audience
                    ),
                },
            ),
            TranslationState::OutOfDate { follows, updated } => problems.warning(
                &w.path,
                None,
                format!(
                    "translation out of date: `{name}` follows the {source} text of {}, and the {source} `{}.md` was changed{}{}: update the translation, set `translates = \"{current}\"` and approve it",
                    follows.map(|d| d.in_words()).unwrap_or_else(|| "an earlier approval".into()),
                    w.audience,
                    if readers_see { " and approved" } else { "" },
                    updated.map(|d| format!(" on {}", d.in_words())).unwrap_or_default(),
                ),
            ),
        }
    }
}

/// Checks `[review]`: known reviewers (returned, in order), the dates an approval needs, and dates
/// in order.
fn check_review(
    toml_path: &Path,
    review: &ReviewFile,
    reviewers: &BTreeMap<String, Reviewer>,
    line: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    problems: &mut Problems,
) -> Vec<Reviewer> {
    let mut reviewed_by = Vec::new();
    for id in &review.reviewed_by {
        match reviewers.get(id.get_ref()) {
            Some(r) => reviewed_by.push(r.clone()),
            None => problems.error(
                toml_path,
                line(id.span()),
                format!(
                    "unknown reviewer id `{}`: add [reviewers.{}] to reviewers.toml or correct the id",
                    id.get_ref(),
                    id.get_ref()
                ),
            ),
        }
    }
    if review.status == ReviewStatus::Approved
        && (review.reviewed_by.is_empty() || review.reviewed_on.is_none())
    {
        problems.error(
            toml_path,
            None,
            "an approved article needs `reviewed_by` and `reviewed_on` in [review]",
        );
    }
    if let (Some(on), Some(next)) = (review.reviewed_on, review.next_review)
        && next < on
    {
        problems.error(
            toml_path,
            None,
            format!(
                "`next_review` ({}) is before `reviewed_on` ({})",
                next.iso(),
                on.iso()
            ),
        );
    }
    reviewed_by
}

/// Checks `[review]`'s `approvals_required`: it may raise the site's, up to
/// [`approval::MAX_APPROVALS_REQUIRED`], never lower it. Returns the number that applies.
fn check_approvals_required(
    path: &Path,
    review: &ReviewFile,
    config: &SiteConfig,
    line: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    problems: &mut Problems,
) -> u8 {
    let site = config.approvals_required();
    let Some(asked) = &review.approvals_required else {
        return site;
    };
    let n = *asked.get_ref();
    let at = line(asked.span());
    if n == 0 || n > super::approval::MAX_APPROVALS_REQUIRED {
        problems.error(
            path,
            at,
            format!(
                "`approvals_required` is {n}: give 1 to {}",
                super::approval::MAX_APPROVALS_REQUIRED
            ),
        );
        return site;
    }
    if n < site {
        problems.warning(
            path,
            at,
            format!(
                "`approvals_required` is {n}, below the site's {site}: an article may raise it, not lower it, so {site} apply"
            ),
        );
    }
    n.max(site)
}

/// Checks `[review]`'s `assigned_to`: known reviewer ids, each once. Returns the ids, in order.
fn check_assignees(
    toml_path: &Path,
    review: &ReviewFile,
    reviewers: &BTreeMap<String, Reviewer>,
    line: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    problems: &mut Problems,
) -> Vec<String> {
    let mut assigned: Vec<String> = Vec::new();
    for id in &review.assigned_to {
        let at = line(id.span());
        let id = id.get_ref();
        if !reviewers.contains_key(id) {
            problems.error(
                toml_path,
                at,
                format!(
                    "`assigned_to` names unknown reviewer id `{id}`: add [reviewers.{id}] to reviewers.toml or correct the id"
                ),
            );
        } else if assigned.contains(id) {
            problems.error(
                toml_path,
                at,
                format!("`assigned_to` names reviewer `{id}` twice"),
            );
        } else {
            assigned.push(id.clone());
        }
    }
    assigned
}

/// A `guideline` reference should point to the guideline itself, not to a site listed in
/// `mirror-sites.toml` that summarises or copies it.
fn check_mirror_sites(
    toml_path: &Path,
    entries: &[Spanned<Reference>],
    sites: &[MirrorSite],
    line: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    problems: &mut Problems,
) {
    for spanned in entries {
        let r = spanned.get_ref();
        let Some(url) = &r.url else { continue };
        if r.kind != ReferenceKind::Guideline {
            continue;
        }
        if let Some(site) = sites.iter().find(|s| s.hosts(url)) {
            let what = site
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            problems.warning(
                toml_path,
                line(spanned.span()),
                format!(
                    "reference `{}` is a `guideline`, but its URL is on {}, a summary or mirror site listed in mirror-sites.toml{what}: cite the guideline from its publisher, or give the summary another `kind`",
                    r.key, site.host
                ),
            );
        }
    }
}

/// Checks each `[[references]]` entry (key, title and source, year, URL, DOI, PMID, date checked)
/// and returns them all, in order.
fn check_references(
    toml_path: &Path,
    entries: &[Spanned<Reference>],
    line: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    problems: &mut Problems,
) -> Vec<Reference> {
    let mut references: Vec<Reference> = Vec::new();
    let max_year = Date::today().year() + 1;
    for spanned in entries {
        let at = line(spanned.span());
        let r = spanned.get_ref();
        let mut error = |m: String| problems.error(toml_path, at, m);
        if !is_valid_key(&r.key) {
            error(format!(
                "reference key {:?} is not valid: use letters, digits, -, _, . or :",
                r.key
            ));
        } else if references.iter().any(|x| x.key == r.key) {
            error(format!(
                "reference key `{}` is used twice: keys must be unique",
                r.key
            ));
        }
        if r.title.trim().is_empty() || r.source.trim().is_empty() {
            error(format!(
                "reference `{}` needs a `title` and a `source`",
                r.key
            ));
        }
        if !(1800..=max_year).contains(&r.year) {
            error(format!(
                "reference `{}`: `year` {} is not plausible",
                r.key, r.year
            ));
        }
        if let Some(u) = &r.url
            && !matches!(url::Url::parse(u), Ok(p) if matches!(p.scheme(), "http" | "https"))
        {
            error(format!(
                "reference `{}`: `url` {u:?} is not an http(s) URL",
                r.key
            ));
        }
        if let Some(doi) = &r.doi {
            let ok = doi.starts_with("10.")
                && doi.contains('/')
                && doi.chars().all(|c| {
                    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '#' | '?')
                });
            if !ok {
                error(format!(
                    "reference `{}`: `doi` {doi:?} is not a DOI: write it bare, e.g. \"10.1002/14651858.CD008496.pub3\"",
                    r.key
                ));
            }
        }
        if let Some(pmid) = &r.pmid
            && (pmid.is_empty() || pmid.len() > 9 || !pmid.bytes().all(|b| b.is_ascii_digit()))
        {
            error(format!(
                "reference `{}`: `pmid` {pmid:?} must be digits only",
                r.key
            ));
        }
        if let Some(on) = r.checked_on {
            if on > Date::today() {
                error(format!(
                    "reference `{}`: `checked_on` {} is in the future: write the date the source was checked",
                    r.key,
                    on.iso()
                ));
            } else if on.year() < r.year {
                error(format!(
                    "reference `{}`: `checked_on` {} is before the source's `year` {}",
                    r.key,
                    on.iso(),
                    r.year
                ));
            }
        }
        references.push(r.clone());
    }
    references
}

/// The `[[codes]]` of an article, each checked by its system's rules; a malformed or repeated code
/// is an error.
fn check_codes(
    path: &Path,
    codes: &[Spanned<CodeFile>],
    line: &dyn Fn(std::ops::Range<usize>) -> Option<usize>,
    problems: &mut Problems,
) -> Vec<Code> {
    let mut out: Vec<Code> = Vec::new();
    for entry in codes {
        let c = entry.get_ref();
        match c.system.normalise(&c.code) {
            Ok(code) => {
                if out.iter().any(|o| o.system == c.system && o.code == code) {
                    problems.error(
                        path,
                        line(entry.span()),
                        format!("{} code {code} is listed twice", c.system.name()),
                    );
                    continue;
                }
                let display = c
                    .display
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string);
                if let Some(ch) = display.as_deref().and_then(crate::content::unsafe_char) {
                    problems.error(
                        path,
                        line(entry.span()),
                        format!("the `display` of {code} contains the character {ch}"),
                    );
                }
                out.push(Code {
                    system: c.system,
                    code,
                    display,
                });
            }
            Err(why) => problems.error(path, line(entry.span()), format!("[[codes]]: {why}")),
        }
    }
    out
}
