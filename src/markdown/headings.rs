//! Heading anchors: every heading gets a unique id (its `{#id}` if written, else one made from its
//! text), so sections can be linked and wordings can share anchors. Body `#` headings become `##`,
//! since the page title is the page's only `<h1>`.

use super::{Heading, RESERVED_IDS, Spanned};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// `"When to get help?"` -> `"when-to-get-help"`: ASCII letters and digits, words joined by `-`.
pub fn slugify(text: &str) -> String {
    // Letters outside ASCII are written in ASCII first ("Ärztliche" -> "arztliche", "Ж" -> "zh"), so
    // ids and topic addresses stay readable in every language (`deunicode`).
    let text = deunicode::deunicode(text);
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(80);
    slug
}

fn is_reserved(id: &str) -> bool {
    RESERVED_IDS.contains(&id) || ["ref-", "fn-", "cite-"].iter().any(|p| id.starts_with(p))
}

/// `base`, or `base-2`, `base-3`, ... : the first not yet in `used`, which it is added to.
fn unique_id(
    used: &mut HashSet<String>,
    next_suffix: &mut HashMap<String, usize>,
    base: String,
) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let n = next_suffix.entry(base.clone()).or_insert(2);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

pub(super) fn anchor_headings(events: Vec<Spanned<'_>>) -> (Vec<Spanned<'_>>, Vec<Heading>) {
    let mut out = Vec::with_capacity(events.len());
    let mut headings = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    // For each base id, the next suffix to try: a base repeated n times costs O(n) in all, not
    // O(n²) (each taken `{base}-{k}` is stepped over at most once, by its own base).
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut iter = events.into_iter();
    while let Some((event, span)) = iter.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            out.push((event, span));
            continue;
        };
        let level = if level == HeadingLevel::H1 {
            HeadingLevel::H2
        } else {
            level
        };
        let mut inner = Vec::new();
        let mut text = String::new();
        for (event, span) in iter.by_ref() {
            if let Event::End(TagEnd::Heading(_)) = event {
                break;
            }
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            inner.push((event, span));
        }
        let text = text.trim().to_string();
        let wanted = id.as_deref().map(slugify).filter(|s| !s.is_empty());
        let explicit = wanted.is_some();
        let mut base = wanted.unwrap_or_else(|| slugify(&text));
        if base.is_empty() {
            base = "section".into();
        }
        if is_reserved(&base) {
            base = format!("s-{base}");
        }
        let unique = unique_id(&mut used, &mut next_suffix, base);
        headings.push(Heading {
            level: level as u8,
            id: unique.clone(),
            text,
            explicit,
        });
        out.push((
            Event::Start(Tag::Heading {
                level,
                id: Some(unique.into()),
                classes,
                attrs,
            }),
            span.clone(),
        ));
        out.extend(inner);
        out.push((Event::End(TagEnd::Heading(level)), span));
    }
    (out, headings)
}

#[cfg(test)]
mod transliteration_tests {
    use super::slugify;

    #[test]
    fn ids_keep_letters_from_every_language() {
        assert_eq!(slugify("Ärztliche Hinweise"), "arztliche-hinweise");
        assert_eq!(slugify("Œdème pulmonaire"), "oedeme-pulmonaire");
        assert_eq!(slugify("Симптомы"), "simptomy");
        assert_eq!(slugify("When to get help"), "when-to-get-help");
        assert_eq!(slugify("¿Qué es?"), "que-es");
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;
    use crate::markdown::render;

    #[test]
    fn slugify_keeps_letters_and_digits() {
        assert_eq!(slugify("When to get help?"), "when-to-get-help");
        assert_eq!(slugify("  Vitamin B12 & you "), "vitamin-b12-you");
        assert_eq!(slugify("Ωμέγα"), "omega");
        assert_eq!(slugify("— · —"), "");
    }

    #[test]
    fn headings_get_unique_ids_and_h1_is_demoted() {
        let (r, _) = render(
            "# Intro\n\n## Intro\n\n## References\n\n### Ωμέγα\n\n### — · —",
            &|_| false,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["intro", "intro-2", "s-references", "omega", "section"]
        );
        assert!(r.html.contains("<h2 id=\"intro\">Intro</h2>"), "{}", r.html);
        assert!(!r.html.contains("<h1"));
        assert_eq!(r.headings[0].level, 2);
    }

    #[test]
    fn repeated_and_colliding_ids_stay_unique() {
        let (r, _) = render(
            "## h {#h-2}\n\n## h\n\n## h\n\n## h\n\n## h-2\n\n## h-3",
            &|_| false,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["h-2", "h", "h-3", "h-4", "h-2-2", "h-3-2"]);
    }

    #[test]
    fn explicit_heading_id_is_kept() {
        let (r, _) = render("## When to refer {#when-to-get-help}", &|_| false);
        assert_eq!(r.headings[0].id, "when-to-get-help");
        assert_eq!(r.headings[0].text, "When to refer");
        assert!(
            r.html
                .contains("<h2 id=\"when-to-get-help\">When to refer</h2>"),
            "{}",
            r.html
        );
    }
}
