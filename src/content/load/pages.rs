//! Plain pages: `pages/<slug>.md`, each with a `title` in its front matter.

use super::files::{EntryKind, list_entries, parse_toml, read_text, split_front_matter};
use super::problems::Problems;
use crate::content::line_of;
use crate::content::model::{Page, SiteConfig};
use crate::markdown;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
}

/// Every page of the folder `dir` that loads; a page with errors is left out. `<slug>.<lang>.md`
/// is the page in another of the site's languages.
pub(super) fn load_pages(
    dir: &Path,
    config: &SiteConfig,
    problems: &mut Problems,
) -> BTreeMap<String, Page> {
    let mut pages = BTreeMap::new();
    let mut translations = Vec::new();
    for (name, path) in list_entries(dir, EntryKind::MarkdownFile, problems) {
        if let Some((slug, lang)) = name.split_once('.') {
            if !config.is_translation_language(lang) {
                problems.error(
                    &path,
                    None,
                    format!(
                        "`{name}.md` is a page in `{lang}`, which is not one of site.toml's languages besides the source language: add it to [[languages]], or rename the file"
                    ),
                );
                continue;
            }
            translations.push((slug.to_string(), lang.to_string(), path));
            continue;
        }
        let slug = name;
        match load_page(&slug, &path, config.messages.source().as_ref(), problems) {
            Some(page) => {
                pages.insert(slug, page);
            }
            None => problems.error(
                &path,
                None,
                format!("page `{slug}` is left out until the errors above are fixed"),
            ),
        }
    }
    for (slug, lang, path) in translations {
        let words = config.messages.of(&lang);
        let loaded = load_page(&slug, &path, &words, problems);
        match (pages.get_mut(&slug), loaded) {
            (Some(page), Some(translated)) => {
                page.translations.insert(lang, Box::new(translated));
            }
            (None, _) => problems.error(
                &path,
                None,
                format!("a translation of page `{slug}`, but there is no `{slug}.md` to translate"),
            ),
            (Some(_), None) => problems.error(
                &path,
                None,
                format!("the `{lang}` page `{slug}` is left out until the errors above are fixed"),
            ),
        }
    }
    pages
}

fn load_page(
    slug: &str,
    path: &Path,
    words: &crate::messages::Catalog,
    problems: &mut Problems,
) -> Option<Page> {
    let text = problems.ok(read_text(path))?;
    let fm = problems.ok(split_front_matter(path, &text))?;
    let Some(front) = fm.toml else {
        problems.error(
            path,
            Some(1),
            "no front matter: start the page with `+++`, `title = \"...\"`, `+++`",
        );
        return None;
    };
    let front: PageFront = problems.ok(parse_toml(path, front, 2))?;
    if front.title.trim().is_empty() {
        problems.error(path, Some(2), "`title` is empty");
        return None;
    }
    let card = |kind: markdown::CardKind| words.get(kind.message_key());
    let grade = |g: &markdown::grades::Grade| words.grade(g);
    let body_words = markdown::BodyWords {
        card: &card,
        grade: &grade,
        reference: words.get("reference-word"),
    };
    let (body, rendering) = markdown::render_in(fm.body, &|_| false, true, &body_words);
    let mut ok = true;
    for p in rendering {
        ok = false;
        let message = if p.message.starts_with("citation") {
            "pages have no references to cite: remove the citation or move the text into an article"
                .to_string()
        } else {
            p.message
        };
        problems.error(
            path,
            Some(line_of(fm.body, p.offset) + fm.body_line - 1),
            message,
        );
    }
    ok.then(|| Page {
        slug: slug.to_string(),
        path: path.to_path_buf(),
        title: front.title,
        body,
        translations: BTreeMap::new(),
    })
}
