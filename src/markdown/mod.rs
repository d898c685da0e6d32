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
    let events = parse(source);
    if let Some((depth, offset)) = too_deep(&events) {
        // The sanitiser's time grows with the square of nesting depth: refuse before it runs.
        problems.push(Problem {
            offset,
            message: format!(
                "nested {depth} levels deep (the limit is {MAX_NESTING}): flatten the lists, quotes or HTML"
            ),
        });
        return (Rendered::default(), problems);
    }
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

/// Deepest nesting of lists, quotes and raw HTML elements a body may have.
pub const MAX_NESTING: usize = 100;

/// The depth and offset where `events` first nest deeper than [`MAX_NESTING`], counting Markdown
/// containers and (approximately) raw HTML elements.
fn too_deep(events: &[Spanned<'_>]) -> Option<(usize, usize)> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut markdown = 0usize;
    let mut html = 0usize;
    for (event, span) in events {
        match event {
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_),
            ) => markdown += 1,
            Event::End(
                TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition,
            ) => markdown = markdown.saturating_sub(1),
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for tag in raw.split('<').skip(1) {
                    let name: String = tag
                        .trim_start_matches('/')
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if name.is_empty() || VOID.contains(&name.as_str()) {
                        continue;
                    }
                    if tag.starts_with('/') {
                        html = html.saturating_sub(1);
                    } else if !tag.split('>').next().unwrap_or_default().ends_with('/') {
                        html += 1;
                    }
                }
            }
            _ => {}
        }
        if markdown + html > MAX_NESTING {
            return Some((markdown + html, span.start));
        }
    }
    None
}

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
    fn deep_nesting_is_refused_before_sanitising() {
        for src in [
            ">".repeat(5_000) + " x",
            "<div>".repeat(20_000),
            (0..200)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ] {
            let started = std::time::Instant::now();
            let (r, problems) = render(&src, &known);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].message.contains("levels deep"),
                "{}",
                problems[0].message
            );
            assert!(r.html.is_empty());
            assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
        let (_, problems) = render(&format!("{} fine", ">".repeat(50)), &known);
        assert!(problems.is_empty(), "50 levels are allowed");
        let (_, problems) = render(&"<p>x</p><br><img src=a.png>".repeat(500), &known);
        assert!(
            problems.is_empty(),
            "siblings and void elements do not nest"
        );
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
