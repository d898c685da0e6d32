//! The site's own words (navigation, review box, forms, error pages, dates) in each of its
//! languages, with Project Fluent's `fluent-bundle`.
//!
//! Each language has the built-in messages for its language (`src/messages/<lang>.ftl`, English and
//! Spanish today), with the site's `content/messages/<id>.ftl` over them. The English file is the
//! list of keys: a language missing any of them is a `check` error naming the keys, never a blank on
//! a page (at run time a missing message would show the source language's words).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::path::Path;
use std::sync::Arc;

/// The built-in messages, by primary language subtag.
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("messages/en.ftl")),
    ("es", include_str!("messages/es.ftl")),
];

/// The English messages: every key a language must have.
fn reference_keys() -> Vec<String> {
    keys_of(BUILT_IN[0].1)
}

fn keys_of(source: &str) -> Vec<String> {
    match FluentResource::try_new(source.to_string()) {
        Ok(r) | Err((r, _)) => r
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect(),
    }
}

/// One language's messages.
pub struct Catalog {
    lang: String,
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted without arguments, once: pages ask for the same words thousands of
    /// times while a site renders.
    texts: std::collections::HashMap<String, String>,
    /// The source language's messages, for a key this language lacks (never on a checked site).
    fallback: Option<Arc<Catalog>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("lang", &self.lang).finish()
    }
}

/// A problem found in a language's messages: the file (if it was the site's) and what is wrong.
#[derive(Debug)]
pub struct MessageProblem {
    pub file: Option<std::path::PathBuf>,
    pub message: String,
}

impl Catalog {
    /// The language tag these messages are in.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The message `key`, with no arguments.
    pub fn get(&self, key: &str) -> String {
        self.text(key).to_string()
    }

    /// The message `key`, with no arguments, as stored (what templates show).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.texts.get(key) {
            Some(text) => text,
            None => match &self.fallback {
                Some(source) => source.text(key),
                None => key,
            },
        }
    }

    /// The message `key` with text arguments.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            fa.set(*name, FluentValue::from(*value));
        }
        self.format(key, Some(&fa))
    }

    /// The message `key` with a number `count` (for plurals) and text arguments.
    pub fn count(&self, key: &str, count: usize, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        fa.set("count", FluentValue::from(count));
        for (name, value) in args {
            fa.set(*name, FluentValue::from(*value));
        }
        self.format(key, Some(&fa))
    }

    /// The name of the language `tag` as a sentence in this language says it ("inglés" in
    /// Spanish), from its primary subtag's `language-<id>` message; `tag` itself for a language
    /// the messages do not name.
    pub fn language_name(&self, tag: &str) -> String {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        let key = format!("language-{primary}");
        match self.text(&key) {
            name if name != key => name.to_string(),
            _ => tag.to_string(),
        }
    }

    /// "article" or "articles", for `n` of them.
    pub fn articles(&self, n: &usize) -> String {
        self.count("count-articles", *n, &[])
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        match self.bundle.get_message(key).and_then(|m| m.value()) {
            Some(pattern) => {
                let mut errors = Vec::new();
                self.bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned()
            }
            None => match &self.fallback {
                Some(source) => source.format(key, args),
                None => key.to_string(),
            },
        }
    }

    /// An evidence grade in words, as shown beside a citation ("GRADE: low certainty").
    pub fn grade(&self, grade: &crate::markdown::grades::Grade) -> String {
        use crate::markdown::grades::Grade;
        match grade {
            Grade::Certainty(c) => {
                let level = self.get(&format!("certainty-{c}"));
                self.with("grade-certainty", &[("level", &level)])
            }
            Grade::AccAha { class, level } => {
                self.with("grade-acc-aha", &[("class", class), ("level", level)])
            }
            Grade::Nice(w) => {
                let strength = self.get(&format!("nice-{w}"));
                self.with("grade-nice", &[("strength", &strength)])
            }
        }
    }

    /// What the key under the references says of each grading system in `systems`.
    pub fn grade_key(&self, systems: &[&str]) -> Vec<String> {
        systems
            .iter()
            .map(|s| match *s {
                "GRADE" => self.get("grade-key-grade"),
                "ACC/AHA" => self.get("grade-key-acc-aha"),
                _ => self.get("grade-key-nice"),
            })
            .collect()
    }

    /// A date in words: "3 May 2026", "3 de mayo de 2026".
    pub fn date(&self, date: crate::content::Date) -> String {
        let month = self.get(&format!("month-{}", date.month()));
        let day = date.day().to_string();
        let year = date.year().to_string();
        self.with(
            "date-in-words",
            &[("day", &day), ("month", &month), ("year", &year)],
        )
    }

    fn build(
        lang: &str,
        site_file: Option<(&Path, &str)>,
        fallback: Option<Arc<Catalog>>,
        problems: &mut Vec<MessageProblem>,
    ) -> Catalog {
        let tag: unic_langid::LanguageIdentifier = lang.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![tag.clone()]);
        // Pages are HTML, escaped by the templates: Unicode isolation marks would show as boxes
        // in some fonts and break copied text.
        bundle.set_use_isolating(false);
        let primary = tag.language.as_str();
        if let Some((_, text)) = BUILT_IN.iter().find(|(id, _)| *id == primary) {
            let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, _)| r);
            // Built-in files are checked by the tests below; a duplicate there is a bug.
            let _ = bundle.add_resource(resource);
        }
        if let Some((path, text)) = site_file {
            let resource = match FluentResource::try_new(text.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        let (line, _) = line_of(text, e.pos.start);
                        problems.push(MessageProblem {
                            file: Some(path.to_path_buf()),
                            message: format!(
                                "line {line}: this is not a Fluent message (`key = text`): {}",
                                e.kind
                            ),
                        });
                    }
                    r
                }
            };
            bundle.add_resource_overriding(resource);
        }
        let missing: Vec<String> = reference_keys()
            .into_iter()
            .filter(|k| bundle.get_message(k).and_then(|m| m.value()).is_none())
            .collect();
        if !missing.is_empty() {
            problems.push(MessageProblem {
                file: site_file.map(|(p, _)| p.to_path_buf()),
                message: format!(
                    "the messages for language `{lang}` lack {} key{}: {} (add them to messages/{lang}.ftl)",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
            });
        }
        let mut texts = std::collections::HashMap::new();
        for key in reference_keys() {
            if let Some(pattern) = bundle.get_message(&key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle
                    .format_pattern(pattern, None, &mut errors)
                    .into_owned();
                texts.insert(key, text);
            }
        }
        Catalog {
            lang: lang.to_string(),
            bundle,
            texts,
            fallback,
        }
    }
}

fn line_of(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    (before.matches('\n').count() + 1, 0)
}

/// Every language's messages, in the order of `site.toml`'s `[[languages]]`.
#[derive(Debug)]
pub struct Messages {
    catalogs: Vec<Arc<Catalog>>,
}

impl Messages {
    /// The messages of `languages` (the source first), each with `dir/<id>.ftl` over the built-in
    /// ones when it exists.
    pub fn load(languages: &[&str], dir: &Path, problems: &mut Vec<MessageProblem>) -> Messages {
        let mut catalogs: Vec<Arc<Catalog>> = Vec::new();
        for lang in languages {
            let path = dir.join(format!("{lang}.ftl"));
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => Some(t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    problems.push(MessageProblem {
                        file: Some(path.clone()),
                        message: format!("cannot read it: {e}"),
                    });
                    None
                }
            };
            let site_file = text.as_deref().map(|t| (path.as_path(), t));
            let fallback = catalogs.first().cloned();
            catalogs.push(Arc::new(Catalog::build(
                lang, site_file, fallback, problems,
            )));
        }
        Messages { catalogs }
    }

    /// The built-in English messages alone, for pages outside any content (tests, the editor).
    pub fn english() -> Messages {
        let mut ignored = Vec::new();
        Messages {
            catalogs: vec![Arc::new(Catalog::build("en", None, None, &mut ignored))],
        }
    }

    /// The messages of `lang`, else of the source language.
    pub fn of(&self, lang: &str) -> Arc<Catalog> {
        self.catalogs
            .iter()
            .find(|c| c.lang == lang)
            .unwrap_or(&self.catalogs[0])
            .clone()
    }

    /// The source language's messages.
    pub fn source(&self) -> Arc<Catalog> {
        self.catalogs[0].clone()
    }
}

impl Default for Messages {
    fn default() -> Self {
        Messages::english()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_has_every_key_and_parses() {
        let reference = reference_keys();
        assert!(reference.len() > 100, "{}", reference.len());
        for (lang, text) in BUILT_IN {
            assert!(
                FluentResource::try_new(text.to_string()).is_ok(),
                "{lang}.ftl does not parse"
            );
            let keys = keys_of(text);
            let missing: Vec<_> = reference.iter().filter(|k| !keys.contains(k)).collect();
            assert!(missing.is_empty(), "{lang}.ftl lacks {missing:?}");
            let extra: Vec<_> = keys.iter().filter(|k| !reference.contains(k)).collect();
            assert!(
                extra.is_empty(),
                "{lang}.ftl has keys English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn a_language_without_messages_is_an_error_naming_the_missing_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fr.ftl"), "nav-home = Accueil\n").unwrap();
        let mut problems = Vec::new();
        let messages = Messages::load(&["en", "fr"], dir.path(), &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("`fr`"),
            "{}",
            problems[0].message
        );
        assert!(
            problems[0].message.contains("nav-topics"),
            "{}",
            problems[0].message
        );
        assert!(
            !problems[0].message.contains("nav-home,"),
            "{}",
            problems[0].message
        );
        // Never a blank: the source language's words until the key is added.
        assert_eq!(messages.of("fr").get("nav-home"), "Accueil");
        assert_eq!(messages.of("fr").get("nav-topics"), "Topics");
    }

    #[test]
    fn plurals_dates_and_site_overrides() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("es.ftl"), "nav-home = Portada\n").unwrap();
        let mut problems = Vec::new();
        let m = Messages::load(&["en", "es"], dir.path(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(m.of("es").get("nav-home"), "Portada");
        assert_eq!(m.of("es").get("nav-topics"), "Temas");
        let date = crate::content::Date::parse_iso("2026-05-03").unwrap();
        assert_eq!(m.of("en").date(date), "3 May 2026");
        assert_eq!(m.of("es").date(date), "3 de mayo de 2026");
        assert_eq!(m.of("en").count("count-articles", 1, &[]), "article");
        assert_eq!(m.of("es").count("count-articles", 2, &[]), "artículos");
    }
}
