//! An article's wordings: `<audience-id>.md` beside its `article.toml`, one per audience of the
//! site, with an optional `title` and `summary` in front matter; and their translations,
//! `<audience-id>.<lang>.md`, whose front matter says which source text they translate
//! (`translates`, the fingerprint of the source wording's file).

use super::LoadOptions;
use super::files::{parse_toml, read_text, split_front_matter};
use super::problems::Problems;
use crate::coach::{self, PlainWords};
use crate::content::line_of;
use crate::content::model::{AudienceType, Reference, SiteConfig, Wording};
use crate::markdown;
use crate::readability::Readability;
use serde::Deserialize;
use std::fs;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordingFront {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    translates: Option<String>,
}

/// The wordings of the article folder `dir` that load, in the order of the site's audiences.
/// `article_summary` is shown above a wording without a summary of its own (for PEMAT item 1).
pub(super) fn load_wordings(
    dir: &Path,
    config: &SiteConfig,
    article_summary: &str,
    references: &[Reference],
    words: &PlainWords,
    options: LoadOptions,
    problems: &mut Problems,
) -> (Vec<Wording>, Vec<Wording>) {
    let mut wordings = Vec::new();
    let mut translations = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.error(dir, None, format!("cannot read folder: {e}"));
            return (wordings, translations);
        }
    };
    let ids: Vec<_> = config.audiences.iter().map(|a| a.id.as_str()).collect();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "article.toml" {
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else {
            problems.warning(
                &path,
                None,
                "is not a wording (.md) or article.toml and is ignored",
            );
            continue;
        };
        let (audience, lang) = match stem.split_once('.') {
            Some((audience, lang)) => (audience, lang),
            None => (stem, config.source_language().id.as_str()),
        };
        if stem.contains('.') && !config.is_translation_language(lang) {
            let langs: Vec<_> = config
                .languages
                .iter()
                .skip(1)
                .map(|l| l.id.as_str())
                .collect();
            problems.error(
                &path,
                None,
                if langs.is_empty() {
                    format!(
                        "`{name}` is a translation into `{lang}`, but site.toml has no [[languages]] besides the source language: add one, or rename the file"
                    )
                } else {
                    format!(
                        "`{name}` is a translation into `{lang}`, which is not one of site.toml's other languages ({}): rename the file",
                        langs.join(", ")
                    )
                },
            );
            continue;
        }
        if config.audience(audience).is_none() {
            problems.error(
                &path,
                None,
                format!(
                    "`{name}` is not a wording: site.toml has no audience `{audience}` (audiences: {}); rename the file",
                    ids.join(", ")
                ),
            );
            continue;
        }
        if let Some(w) = load_wording(
            audience,
            lang,
            &path,
            config,
            article_summary,
            references,
            words,
            options,
            problems,
        ) {
            if w.lang == config.source_language().id {
                wordings.push(w);
            } else {
                translations.push(w);
            }
        }
    }
    wordings.sort_by_key(|w| config.audience_index(&w.audience));
    let language_index = |id: &str| config.languages.iter().position(|l| l.id == id);
    translations.sort_by_key(|w| (language_index(&w.lang), config.audience_index(&w.audience)));
    // Kept for as long as the site is served: no room for wordings that will never come.
    wordings.shrink_to_fit();
    translations.shrink_to_fit();
    (wordings, translations)
}

#[allow(clippy::too_many_arguments)]
fn load_wording(
    audience: &str,
    lang: &str,
    path: &Path,
    config: &SiteConfig,
    article_summary: &str,
    references: &[Reference],
    words: &PlainWords,
    options: LoadOptions,
    problems: &mut Problems,
) -> Option<Wording> {
    let text = problems.ok(read_text(path))?;
    let fm = problems.ok(split_front_matter(path, &text))?;
    let front = match fm.toml {
        Some(t) => problems.ok(parse_toml::<WordingFront>(path, t, 2))?,
        None => WordingFront {
            title: None,
            summary: None,
            translates: None,
        },
    };
    let is_source = lang == config.source_language().id;
    if is_source && front.translates.is_some() {
        problems.error(
            path,
            None,
            "`translates` is for translations (`<audience>.<lang>.md`): a source wording translates nothing; remove it",
        );
    }
    if let Some(print) = &front.translates
        && !crate::content::approval::is_fingerprint(print)
    {
        problems.error(
            path,
            None,
            format!(
                "`translates` {print:?} is not a fingerprint (`sha256:` and 64 hex digits): copy it from the editor page or from `healthpress check`"
            ),
        );
        return None;
    }
    if fm.body.trim().is_empty() {
        problems.error(
            path,
            None,
            "the wording has no text: write it, or delete the file",
        );
        return None;
    }
    let is_known = |key: &str| references.iter().any(|r| r.key == key);
    let for_clinicians = config
        .audience(audience)
        .is_some_and(|a| a.readers == AudienceType::Clinician);
    let labels = config.messages.of(lang);
    let card = |kind: markdown::CardKind| labels.get(kind.message_key());
    let grade = |g: &markdown::grades::Grade| labels.grade(g);
    let body_words = markdown::BodyWords {
        card: &card,
        grade: &grade,
        reference: labels.get("reference-word"),
    };
    let (body, rendering) = markdown::render_in(fm.body, &is_known, for_clinicians, &body_words);
    let failed = !rendering.is_empty();
    for p in rendering {
        let line = line_of(fm.body, p.offset) + fm.body_line - 1;
        problems.error(path, Some(line), p.message);
    }
    if failed {
        return None;
    }
    if !for_clinicians {
        for sentence in coach::overstated_certainty(&body) {
            problems.warning(
                path,
                None,
                format!(
                    "\"{sentence}\" cites low-certainty evidence but states its effect as certain: GRADE suggests \"may\" or \"might\" for low certainty (\"may help\", not \"will stop\")"
                ),
            );
        }
    }
    let english = lang == "en" || lang.starts_with("en-");
    let spanish = lang == "es" || lang.starts_with("es-");
    let readability = (options.readability && english).then(|| Readability::of(&body.text));
    if let Some(readability) = readability
        && let Some(max) = config.audience(audience).and_then(|a| a.max_grade)
        && readability.words > 0
        && readability.smog_grade > max
    {
        problems.warning(
            path,
            None,
            format!(
                "reads at grade {:.1} (SMOG; Flesch-Kincaid {:.1}), above this audience's target of {max}: \
                 use shorter sentences and everyday words",
                readability.smog_grade, readability.flesch_kincaid_grade
            ),
        );
    }
    let spanish_readability = (options.readability && spanish)
        .then(|| crate::readability::spanish::SpanishReadability::of(&body.text));
    if let Some(r) = &spanish_readability
        && let Some(max) = config
            .language(lang)
            .and_then(|l| l.audiences.get(audience))
            .and_then(|t| t.max_grade)
        && r.words > 0
        && r.sol_grade > max
    {
        problems.warning(
            path,
            None,
            format!(
                "reads at grade {:.1} (SOL; Fernández-Huerta {:.0}, INFLESZ {:.0}: {}), above this audience's target of {max} in `{lang}`: \
                 use shorter sentences and everyday words",
                r.sol_grade,
                r.fernandez_huerta,
                r.szigriszt_pazos,
                crate::readability::spanish::inflesz_band(r.szigriszt_pazos)
            ),
        );
    }
    // Professional wordings (no grade target, or written for clinicians) are measured, not coached;
    // coaching needs a plain-words list, which exists for English.
    let target = config
        .audience(audience)
        .filter(|a| a.readers != AudienceType::Clinician)
        .and_then(|a| a.max_grade);
    let coaching = (options.readability && english).then(|| coach::coach(&body, words, target));
    // Other languages with a word list get its hard words, for patients' wordings.
    let hard_words = match config.plain_words_by_language.get(lang) {
        Some(list) if options.readability && !english && target.is_some() => {
            coach::hard_words_in(&body, list)
        }
        _ => Vec::new(),
    };
    let summary = front.summary.filter(|s| !s.trim().is_empty());
    // Patient wordings (coached toward plain words) get their PEMAT pre-checks, once, here.
    let pemat = coaching.as_ref().filter(|c| c.is_coached()).map(|c| {
        coach::pemat::assess(
            fm.body,
            &body,
            c,
            coach::pemat::Front {
                summary: summary.as_deref().or(Some(article_summary)),
                own_summary: summary.is_some(),
            },
        )
    });
    Some(Wording {
        lang: lang.to_string(),
        file_fingerprint: crate::content::approval::text_fingerprint(text.as_bytes()),
        translates: front.translates,
        audience: audience.to_string(),
        path: path.to_path_buf(),
        title: front.title.filter(|t| !t.trim().is_empty()),
        summary,
        body,
        readability,
        spanish_readability,
        hard_words,
        coaching,
        pemat,
    })
}
