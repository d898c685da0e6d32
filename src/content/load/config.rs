//! The site's configuration (`site.toml`) and its reviewers (`reviewers.toml`).

use super::files::{parse_toml, read_text};
use super::is_slug;
use super::problems::Problems;
use crate::coach::{PlainWords, PlainWordsFile};
use crate::content::model::{AudienceType, MirrorSite, Reviewer, SiteConfig};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Reads and checks `site.toml`; `None` if it cannot be read or parsed.
pub(super) fn load_config(path: &Path, problems: &mut Problems) -> Option<SiteConfig> {
    let text = problems.ok(read_text(path))?;
    let mut config: SiteConfig = problems.ok(parse_toml(path, &text, 1))?;
    if let Some(notice) = &config.notice {
        check_notice(path, "notice", notice, problems);
    }
    if let Some(emergency) = &config.emergency {
        check_notice(path, "emergency", emergency, problems);
    }
    if config.title.trim().is_empty() {
        problems.error(path, None, "`title` is empty: give the site a name");
    }
    if let Some(c) = crate::content::unsafe_char(&config.title) {
        problems.error(
            path,
            None,
            format!("`title` contains the character {c}, which cannot be shown: remove it"),
        );
    }
    match url::Url::parse(&config.base_url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => problems.error(
            path,
            None,
            format!(
                "`base_url` {:?} is not an http(s) URL: write e.g. \"https://health.example.org\"",
                config.base_url
            ),
        ),
    }
    for (key, value) in [
        (
            "recheck_sources_after_days",
            config.recheck_sources_after_days,
        ),
        ("old_guideline_years", config.old_guideline_years),
        ("feedback_retention_days", config.feedback_retention_days),
    ] {
        if value == Some(0) {
            problems.error(
                path,
                None,
                format!("`{key}` is 0: give a number above 0, or remove the line for the default"),
            );
        }
    }
    if let Some(n) = config.approvals_required
        && (n == 0 || n > super::approval::MAX_APPROVALS_REQUIRED)
    {
        problems.error(
            path,
            None,
            format!(
                "`approvals_required` is {n}: give 1 (one reviewer publishes) to {}",
                super::approval::MAX_APPROVALS_REQUIRED
            ),
        );
        config.approvals_required = None;
    }
    assume_readers(path, &mut config, problems);
    check_languages(path, &mut config, problems);
    let ids: Vec<&str> = config.languages.iter().map(|l| l.id.as_str()).collect();
    let mut found = Vec::new();
    let dir = path.parent().unwrap_or(Path::new(".")).join("messages");
    config.messages = Arc::new(crate::messages::Messages::load(&ids, &dir, &mut found));
    for p in found {
        problems.error(p.file.as_deref().unwrap_or(path), None, p.message);
    }
    let root = path.parent().unwrap_or(Path::new("."));
    for lang in config.languages.iter().skip(1) {
        let file = root.join(format!("plain-words.{}.toml", lang.id));
        let base = PlainWords::built_in_for(&lang.id);
        let words = match (base, file.exists()) {
            (Some(base), false) => base,
            (base, true) => {
                let mut words = base.map(|b| (*b).clone()).unwrap_or_default();
                if let Some(text) = problems.ok(read_text(&file))
                    && let Some(parsed) = problems.ok(parse_toml::<PlainWordsFile>(&file, &text, 1))
                {
                    words.merge(parsed, &mut |message| problems.error(&file, None, message));
                }
                Arc::new(words)
            }
            (None, false) => continue,
        };
        config
            .plain_words_by_language
            .insert(lang.id.clone(), words);
    }
    if let Some(days) = config.feedback_retention_days
        && days > SiteConfig::MAX_FEEDBACK_RETENTION_DAYS
    {
        problems.error(
            path,
            None,
            format!(
                "`feedback_retention_days` is {days}, over the limit of {}: reader feedback is kept for days or months, not decades",
                SiteConfig::MAX_FEEDBACK_RETENTION_DAYS
            ),
        );
    }
    if config.audiences.is_empty() {
        problems.error(
            path,
            None,
            "no [[audiences]]: add at least one, e.g. id = \"patient\"",
        );
    }
    let mut seen = HashSet::new();
    for a in &config.audiences {
        if !is_slug(&a.id) {
            problems.error(
                path,
                None,
                format!("audience id {:?} is not a slug: use [a-z0-9-]+", a.id),
            );
        }
        if !seen.insert(a.id.as_str()) {
            problems.error(
                path,
                None,
                format!("audience id `{}` is listed twice", a.id),
            );
        }
        if a.label.trim().is_empty() {
            problems.error(
                path,
                None,
                format!("audience `{}` has an empty `label`", a.id),
            );
        }
        if let Some(g) = a.max_grade
            && !(0.0..=30.0).contains(&g)
        {
            problems.error(
                path,
                None,
                format!(
                    "audience `{}`: `max_grade` {g} is not a reading grade between 0 and 30",
                    a.id
                ),
            );
        }
    }
    if config.audience(&config.default_audience).is_none() && !config.audiences.is_empty() {
        let ids: Vec<_> = config.audiences.iter().map(|a| a.id.as_str()).collect();
        problems.error(
            path,
            None,
            format!(
                "`default_audience` `{}` is not one of the audiences ({})",
                config.default_audience,
                ids.join(", ")
            ),
        );
    }
    Some(config)
}

/// `[[languages]]`: BCP 47 tags, each once, each with its name; English alone when there are none.
fn check_languages(path: &Path, config: &mut SiteConfig, problems: &mut Problems) {
    if config.languages.is_empty() {
        config
            .languages
            .push(crate::content::model::Language::english());
        return;
    }
    let mut seen = HashSet::new();
    let mut bad = Vec::new();
    for (i, l) in config.languages.iter().enumerate() {
        match l.id.parse::<unic_langid::LanguageIdentifier>() {
            Ok(tag) if tag.to_string() == l.id && !l.id.contains('_') => {}
            Ok(tag) => {
                problems.error(
                    path,
                    None,
                    format!(
                        "language id {:?} is not written as a BCP 47 tag is: write {:?}",
                        l.id,
                        tag.to_string()
                    ),
                );
                bad.push(i);
                continue;
            }
            Err(_) => {
                problems.error(
                    path,
                    None,
                    format!(
                        "language id {:?} is not a BCP 47 language tag: write e.g. \"en\", \"es\" or \"pt-BR\"",
                        l.id
                    ),
                );
                bad.push(i);
                continue;
            }
        }
        if !seen.insert(l.id.clone()) {
            problems.error(path, None, format!("language `{}` is listed twice", l.id));
        }
        if l.label.trim().is_empty() {
            problems.error(
                path,
                None,
                format!(
                    "language `{}` has an empty `label`: give its name in that language, e.g. \"Español\"",
                    l.id
                ),
            );
        }
        if matches!(
            l.id.as_str(),
            "articles" | "pages" | "topics" | "static" | "editor" | "a-z"
        ) {
            problems.error(
                path,
                None,
                format!(
                    "language id `{}` is also a path of the site: it cannot prefix pages",
                    l.id
                ),
            );
        }
        if let Some(notice) = &l.notice {
            check_notice(
                path,
                &format!("languages.{}.notice", l.id),
                notice,
                problems,
            );
        }
        if let Some(emergency) = &l.emergency {
            check_notice(
                path,
                &format!("languages.{}.emergency", l.id),
                emergency,
                problems,
            );
        }
        for id in l.audiences.keys() {
            if config.audiences.iter().all(|a| &a.id != id) {
                problems.error(
                    path,
                    None,
                    format!(
                        "language `{}` gives texts for audience `{id}`, which is not one of the audiences",
                        l.id
                    ),
                );
            }
        }
    }
    for i in bad.into_iter().rev() {
        config.languages.remove(i);
    }
    if config.languages.is_empty() {
        config
            .languages
            .push(crate::content::model::Language::english());
    }
}

/// The site-wide banner is plain text on one line, short enough to read at a glance. It is always
/// escaped when shown, so markup in it would appear as typed: that is a warning.
fn check_notice(path: &Path, key: &str, notice: &str, problems: &mut Problems) {
    let chars = notice.chars().count();
    if notice.trim().is_empty() {
        problems.error(
            path,
            None,
            format!("`{key}` is empty: write it, or remove the line"),
        );
    } else if chars > SiteConfig::MAX_NOTICE_CHARS {
        problems.error(
            path,
            None,
            format!(
                "`{key}` is {chars} characters, over the limit of {}: keep the banner to a sentence or two",
                SiteConfig::MAX_NOTICE_CHARS
            ),
        );
    } else if notice.chars().any(char::is_control) {
        problems.error(
            path,
            None,
            format!("`{key}` contains a line break or control character: write it on one line"),
        );
    } else if notice.contains('<') || notice.contains('>') {
        problems.warning(
            path,
            None,
            format!("`{key}` contains `<` or `>`: it is shown as plain text, so markup would appear as typed"),
        );
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewersFile {
    #[serde(default)]
    reviewers: BTreeMap<String, Reviewer>,
}

/// Reads and checks `reviewers.toml`; `None` if it cannot be read or parsed.
pub(super) fn load_reviewers(
    path: &Path,
    problems: &mut Problems,
) -> Option<BTreeMap<String, Reviewer>> {
    let text = problems.ok(read_text(path))?;
    let mut file: ReviewersFile = problems.ok(parse_toml(path, &text, 1))?;
    for (id, r) in file.reviewers.iter_mut() {
        r.id = id.clone();
    }
    for (id, r) in &file.reviewers {
        let texts = [r.role.as_deref(), r.declared_interests.as_deref()];
        if let Some(c) = texts
            .into_iter()
            .flatten()
            .find_map(crate::content::unsafe_char)
        {
            problems.error(
                path,
                None,
                format!("reviewer `{id}` has the character {c}, which cannot be shown"),
            );
        }
        if !is_slug(id) {
            problems.error(
                path,
                None,
                format!("reviewer id {id:?} is not a slug: use [a-z0-9-]+"),
            );
        }
        if r.name.trim().is_empty() {
            problems.error(path, None, format!("reviewer `{id}` has an empty `name`"));
        }
        if let Some(c) = crate::content::unsafe_char(&r.name) {
            problems.error(
                path,
                None,
                format!(
                    "reviewer `{id}`: `name` contains the character {c}, which cannot be shown"
                ),
            );
        }
    }
    Some(file.reviewers)
}

/// Who each audience's wordings are for, as told to search engines. Where `audience_type` is not
/// given, nothing is silently described as for patients: the first audience (the plainest) is
/// `patient`, the last of two or more (the most technical) `clinician`, and the rest `patient`;
/// each assumption is noted.
fn assume_readers(path: &Path, config: &mut SiteConfig, problems: &mut Problems) {
    let count = config.audiences.len();
    for (n, audience) in config.audiences.iter_mut().enumerate() {
        audience.readers = match audience.audience_type {
            Some(given) => given,
            None => {
                let (assumed, word, why) = if count >= 2 && n == count - 1 {
                    (
                        AudienceType::Clinician,
                        "clinician",
                        "the last (most technical) audience",
                    )
                } else if n == 0 {
                    (
                        AudienceType::Patient,
                        "patient",
                        "the first (plainest) audience",
                    )
                } else {
                    (
                        AudienceType::Patient,
                        "patient",
                        "an audience between the first and the last",
                    )
                };
                problems.note(
                    path,
                    None,
                    format!(
                        "audience `{}` has no `audience_type`: described to search engines as `{word}`, being {why}; write audience_type = \"patient\" or \"clinician\" to say so",
                        audience.id
                    ),
                );
                assumed
            }
        };
    }
}

/// Most groups a `synonyms.toml` may hold, terms in a group, and characters and words in a term.
pub const MAX_SYNONYM_GROUPS: usize = 2_000;
pub const MAX_SYNONYM_TERMS: usize = 12;
const MAX_SYNONYM_CHARS: usize = 60;
const MAX_SYNONYM_WORDS: usize = 4;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    #[serde(default)]
    synonyms: Vec<SynonymGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymGroup {
    terms: Vec<String>,
}

/// Reads and checks `synonyms.toml` (optional): groups of readers' words searched as one, e.g.
/// `[[synonyms]] terms = ["leg cramp", "charley horse"]`. Terms are kept in lower case; a group with
/// a problem is left out.
pub(super) fn load_synonyms(path: &Path, problems: &mut Problems) -> Vec<Vec<String>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Vec::new();
    }
    let Some(text) = problems.ok(read_text(path)) else {
        return Vec::new();
    };
    let Some(file) = problems.ok(parse_toml::<SynonymsFile>(path, &text, 1)) else {
        return Vec::new();
    };
    if file.synonyms.len() > MAX_SYNONYM_GROUPS {
        problems.error(
            path,
            None,
            format!(
                "{} [[synonyms]] groups, over the limit of {MAX_SYNONYM_GROUPS}: merge or remove some",
                file.synonyms.len()
            ),
        );
        return Vec::new();
    }
    let mut groups = Vec::with_capacity(file.synonyms.len());
    for (n, group) in file.synonyms.into_iter().enumerate() {
        let at = format!(
            "[[synonyms]] group {} ({:?})",
            n + 1,
            group.terms.first().map(String::as_str).unwrap_or("")
        );
        let mut terms: Vec<String> = Vec::with_capacity(group.terms.len());
        let mut ok = true;
        for term in &group.terms {
            let term = term
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if term.is_empty()
                || term.chars().count() > MAX_SYNONYM_CHARS
                || term.split(' ').count() > MAX_SYNONYM_WORDS
                || term.chars().any(|c| c.is_control() || c == '"')
            {
                problems.error(
                    path,
                    None,
                    format!(
                        "{at}: term {term:?} must be 1 to {MAX_SYNONYM_WORDS} words and at most {MAX_SYNONYM_CHARS} characters, without quotes"
                    ),
                );
                ok = false;
            } else if !terms.contains(&term) {
                terms.push(term);
            }
        }
        if terms.len() < 2 || terms.len() > MAX_SYNONYM_TERMS {
            problems.error(
                path,
                None,
                format!(
                    "{at}: a group needs 2 to {MAX_SYNONYM_TERMS} different terms, it has {}",
                    terms.len()
                ),
            );
            ok = false;
        }
        if ok {
            groups.push(terms);
        }
    }
    groups
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MirrorSitesFile {
    #[serde(default)]
    sites: Vec<MirrorSite>,
}

/// Reads and checks `mirror-sites.toml` (optional): the summary and mirror sites a guideline
/// reference should not point to. An entry with a problem is left out (and reported); without the
/// file, or when it does not parse, the list is empty.
pub(super) fn load_mirror_sites(path: &Path, problems: &mut Problems) -> Vec<MirrorSite> {
    if std::fs::symlink_metadata(path).is_err() {
        return Vec::new();
    }
    let Some(text) = problems.ok(read_text(path)) else {
        return Vec::new();
    };
    let Some(file) = problems.ok(parse_toml::<MirrorSitesFile>(path, &text, 1)) else {
        return Vec::new();
    };
    let mut sites: Vec<MirrorSite> = Vec::new();
    for (n, site) in file.sites.into_iter().enumerate() {
        let host = site.host.trim().to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        let valid = !host.is_empty()
            && host.len() <= 253
            && host.contains('.')
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !valid {
            problems.error(
                path,
                None,
                format!(
                    "site {}: `host` {:?} is not a host name: write it bare, e.g. \"guidelines.co.uk\" (no https://, no path)",
                    n + 1,
                    site.host
                ),
            );
        } else if sites.iter().any(|s| s.host == host) {
            problems.error(
                path,
                None,
                format!("site {}: `host` {host:?} is listed twice", n + 1),
            );
        } else {
            sites.push(MirrorSite {
                host,
                note: site.note,
            });
        }
    }
    sites
}

/// Reads and checks `plain-words.toml` (optional): hard words with plainer alternatives and the
/// site's kept terms, merged over the built-in list. An entry with a problem is left out (and
/// reported); without the file, or when it does not parse, the built-in list is used as it is.
pub(super) fn load_plain_words(path: &Path, problems: &mut Problems) -> Arc<PlainWords> {
    if std::fs::symlink_metadata(path).is_err() {
        return PlainWords::built_in();
    }
    let Some(text) = problems.ok(read_text(path)) else {
        return PlainWords::built_in();
    };
    let Some(file) = problems.ok(parse_toml::<PlainWordsFile>(path, &text, 1)) else {
        return PlainWords::built_in();
    };
    let mut words = (*PlainWords::built_in()).clone();
    words.merge(file, &mut |message| problems.error(path, None, message));
    Arc::new(words)
}
