//! Markdown to safe HTML: one parser dialect, small event passes (citations, headings, footnotes),
//! then an allow-list sanitiser over the result.

mod citations;
mod headings;
mod sanitise;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

pub use citations::{is_valid_key, parse_citation_label};
pub use headings::slugify;
pub use sanitise::sanitise;

/// The one Markdown dialect every caller parses.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A section heading of a rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The result of rendering one Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Sanitised HTML, safe to insert into a page.
    pub html: String,
    /// Citation keys in order of first citation; a key's number is its position plus one.
    pub citations: Vec<String>,
    pub headings: Vec<Heading>,
    /// The prose as plain text (no markup, no citation numbers), paragraphs separated by blank lines.
    pub text: String,
}

/// A problem in the Markdown source, at a byte offset of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// Ids the page layout uses around a body; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "references",
    "review",
    "audience",
    "audience-choice",
    "disclaimer",
    "footnotes",
    "site-nav",
];

/// Renders `source`. `is_known_key` says whether a citation key has a reference; unknown keys are
/// reported as problems (with their offsets) and left as plain text.
pub fn render(source: &str, is_known_key: &dyn Fn(&str) -> bool) -> (Rendered, Vec<Problem>) {
    let mut problems = Vec::new();
    // Citation placeholders are the pipeline's own: any in the source become U+FFFD (same length, so
    // offsets still point at the right lines).
    let cleaned;
    let source = if source.contains([citations::MARK_OPEN, citations::MARK_CLOSE]) {
        cleaned = source.replace([citations::MARK_OPEN, citations::MARK_CLOSE], "\u{FFFD}");
        cleaned.as_str()
    } else {
        source
    };
    let events = parse(source);
    let (events, citations) = citations::number_citations(events, is_known_key, &mut problems);
    let (events, headings) = headings::anchor_headings(events);
    let events = footnote_ids(events);
    let text = plain_text(&events);
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events.iter().map(|(e, _)| e.clone()));
    let rendered = Rendered {
        html: citations::restore_citations(&sanitise(&raw)),
        citations,
        headings,
        text,
    };
    (rendered, problems)
}

type Spanned<'a> = (Event<'a>, Range<usize>);

fn parse(source: &str) -> Vec<Spanned<'_>> {
    let callback =
        |link: pulldown_cmark::BrokenLink<'_>| citations::resolve_broken_link(&link.reference);
    Parser::new_with_broken_link_callback(source, options(), Some(callback))
        .into_offset_iter()
        .collect()
}

/// Footnote labels become ids as written; prefix them so they cannot collide with heading or reference ids.
fn footnote_ids(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    events
        .into_iter()
        .map(|(event, span)| {
            let event = match event {
                Event::FootnoteReference(label) => {
                    Event::FootnoteReference(format!("fn-{}", slugify(&label)).into())
                }
                Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(
                    Tag::FootnoteDefinition(format!("fn-{}", slugify(&label)).into()),
                ),
                other => other,
            };
            (event, span)
        })
        .collect()
}

/// The readable prose: text and code, blocks separated by blank lines; citation markers are already gone.
fn plain_text(events: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) if !text.ends_with("\n\n") => text.push_str("\n\n"),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(key: &str) -> bool {
        ["a", "b", "c"].contains(&key)
    }

    #[test]
    fn plain_text_has_no_markup_or_citation_numbers() {
        let (r, _) = render("## Head\n\nSome *bold* text. [@a]\n\n- one\n- two", &known);
        assert_eq!(r.text, "Head\n\nSome bold text. \n\none\n\ntwo");
    }

    #[test]
    fn tables_strikethrough_and_footnotes_render() {
        let src = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\nNote.[^n]\n\n[^n]: The note.";
        let (r, problems) = render(src, &known);
        assert!(problems.is_empty());
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"), "{}", r.html);
        assert!(r.html.contains("href=\"#fn-n\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-n\""), "{}", r.html);
    }
}
