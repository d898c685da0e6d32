//! The site's configuration (`site.toml`) and its reviewers (`reviewers.toml`).

use super::files::{parse_toml, read_text};
use super::is_slug;
use super::problems::Problems;
use crate::content::model::{Reviewer, SiteConfig};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Reads and checks `site.toml`; `None` if it cannot be read or parsed.
pub(super) fn load_config(path: &Path, problems: &mut Problems) -> Option<SiteConfig> {
    let text = problems.ok(read_text(path))?;
    let config: SiteConfig = problems.ok(parse_toml(path, &text, 1))?;
    if let Some(notice) = &config.notice {
        check_notice(path, notice, problems);
    }
    if config.title.trim().is_empty() {
        problems.error(path, None, "`title` is empty: give the site a name");
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

/// The site-wide banner is plain text on one line, short enough to read at a glance. It is always
/// escaped when shown, so markup in it would appear as typed: that is a warning.
fn check_notice(path: &Path, notice: &str, problems: &mut Problems) {
    let chars = notice.chars().count();
    if notice.trim().is_empty() {
        problems.error(
            path,
            None,
            "`notice` is empty: write the notice, or remove the line",
        );
    } else if chars > SiteConfig::MAX_NOTICE_CHARS {
        problems.error(
            path,
            None,
            format!(
                "`notice` is {chars} characters, over the limit of {}: keep the banner to a sentence or two",
                SiteConfig::MAX_NOTICE_CHARS
            ),
        );
    } else if notice.chars().any(char::is_control) {
        problems.error(
            path,
            None,
            "`notice` contains a line break or control character: write it on one line",
        );
    } else if notice.contains('<') || notice.contains('>') {
        problems.warning(
            path,
            None,
            "`notice` contains `<` or `>`: it is shown as plain text, so markup would appear as typed",
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
    let file: ReviewersFile = problems.ok(parse_toml(path, &text, 1))?;
    for (id, r) in &file.reviewers {
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
    }
    Some(file.reviewers)
}
