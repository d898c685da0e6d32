//! Markdown to safe HTML: one parser dialect, small event passes (citations, headings, footnotes),
//! then an allow-list sanitiser over the result.

mod cards;
mod citations;
pub mod grades;
mod headings;
mod sanitise;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

pub use cards::CardKind;
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
    /// Whether the author wrote the id (`{#id}`), marking corresponding sections across wordings.
    pub explicit: bool,
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
    /// The care cards and callouts, in order.
    pub cards: Vec<CardKind>,
    /// The text of each card in [`Rendered::cards`] below its heading, one line per paragraph or
    /// list item (no markup, no citation numbers).
    pub card_texts: Vec<String>,
    /// The text cut at every heading, sections without text left out.
    pub sections: Vec<Section>,
    /// The evidence grades given beside citations, in order, with the plain text of the sentence
    /// each stands in (for coaching: an uncertain effect written as certain).
    pub grades: Vec<(grades::Grade, String)>,
}

impl Rendered {
    /// The text of `section` (empty once the text has been released).
    pub fn section_text(&self, section: &Section) -> &str {
        self.text.get(section.text.clone()).unwrap_or_default()
    }
}

/// One section of a rendered body: the text under one heading (or before the first), for answering
/// readers' questions with whole passages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Index into [`Rendered::headings`]; `None` for the text before the first heading.
    pub heading: Option<usize>,
    /// The section's text: a byte range of [`Rendered::text`], without the heading itself.
    pub text: Range<usize>,
    /// Keys of the references the section cites, in order of first citation.
    pub citations: Vec<String>,
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
    "changes",
    "changes-heading",
    "review-heading",
    "references-heading",
    "follow-up",
    "follow-up-q",
    "follow-up-hint",
    "audience-select",
    "audience-hint",
];

/// Renders `source`. `is_known_key` says whether a citation key has a reference; unknown keys are
/// reported as problems (with their offsets) and left as plain text.
pub fn render(source: &str, is_known_key: &dyn Fn(&str) -> bool) -> (Rendered, Vec<Problem>) {
    render_for(source, is_known_key, true)
}

/// [`render`], with evidence grades written beside their citations only when `show_grades` (for
/// professional wordings; patient wordings carry them unseen, for coaching).
pub fn render_for(
    source: &str,
    is_known_key: &dyn Fn(&str) -> bool,
    show_grades: bool,
) -> (Rendered, Vec<Problem>) {
    render_in(source, is_known_key, show_grades, &BodyWords::english())
}

/// The words a body's own markup says, in the wording's language: care cards' kinds, evidence
/// grades, and "Reference" before a citation's number (for screen readers).
pub struct BodyWords<'a> {
    pub card: &'a dyn Fn(cards::CardKind) -> String,
    pub grade: &'a dyn Fn(&grades::Grade) -> String,
    pub reference: String,
}

impl BodyWords<'static> {
    pub fn english() -> Self {
        BodyWords {
            card: &|kind| kind.label().to_string(),
            grade: &|grade| grade.words(),
            reference: "Reference".to_string(),
        }
    }
}

/// [`render_for`], with the body's own words in the wording's language.
pub fn render_in(
    source: &str,
    is_known_key: &dyn Fn(&str) -> bool,
    show_grades: bool,
    words: &BodyWords<'_>,
) -> (Rendered, Vec<Problem>) {
    let card_label = words.card;
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
    let events = citations::attach_grades(events, &mut problems);
    let grades = citations::grades_in(&events);
    let (events, cards, card_texts) = cards::care_cards(events, &mut problems, card_label);
    let (events, headings) = headings::anchor_headings(events);
    let events = normalise(events);
    let text = plain_text(&events);
    let cited = citations_by_section(&events);
    // NUL characters, which HTML parsers drop or replace, also take the sanitiser's way.
    let markdown_only =
        !source.contains('\0') && sanitise::is_markdown_only(events.iter().map(|(e, _)| e));
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter().map(|(e, _)| e));
    let (html, text) = if markdown_only {
        (sanitise::with_link_rel(raw), text)
    } else {
        // Raw HTML can hide text from readers (the sanitiser drops a `<script>`'s text; an unclosed
        // attribute swallows what follows): index and measure only what the page shows.
        let html = sanitise(&raw);
        let text = visible_text(&html);
        (html, text)
    };
    let sections = split_sections(&text, &headings, cited);
    let mut html = citations::restore_citations(html, show_grades, words);
    // Kept until the pages are made: no spare capacity (on a large site, gigabytes of it).
    html.shrink_to_fit();
    let mut text = text;
    text.shrink_to_fit();
    // The lists stay with the article after its text is released: no spare capacity either.
    let mut headings = headings;
    headings.shrink_to_fit();
    let (mut citations, mut cards, mut grades) = (citations, cards, grades);
    citations.shrink_to_fit();
    cards.shrink_to_fit();
    grades.shrink_to_fit();
    let rendered = Rendered {
        html,
        citations,
        headings,
        text,
        cards,
        card_texts,
        sections,
        grades,
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

/// Makes the events say only what the sanitiser would keep, the same whichever way the HTML is then
/// made safe: footnote labels become ids prefixed so they cannot collide with heading or reference ids,
/// and table alignment and code languages (written as `style` and `class`, which the allow-list drops)
/// are left out.
fn normalise(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
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
                Event::Start(Tag::Table(alignments)) => Event::Start(Tag::Table(
                    alignments.iter().map(|_| Alignment::None).collect(),
                )),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced("".into())))
                }
                other => other,
            };
            (event, span)
        })
        .collect()
}

/// The text nodes of sanitised HTML, as [`plain_text`] lays them out (blocks separated by blank lines,
/// line breaks as spaces), without citation placeholders.
fn visible_text(html: &str) -> String {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;
    const BLOCKS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "td",
        "th",
        "blockquote",
        "pre",
        "div",
        "dd",
        "dt",
        "figcaption",
        "caption",
    ];
    struct Sink(RefCell<String>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut text = self.0.borrow_mut();
            match token {
                Token::CharacterTokens(chars) => {
                    text.extend(chars.chars().map(|c| if c == '\n' { ' ' } else { c }));
                }
                Token::TagToken(tag) if &*tag.name == "br" => text.push(' '),
                Token::TagToken(tag)
                    if tag.kind == TagKind::EndTag
                        && BLOCKS.contains(&&*tag.name)
                        && !text.ends_with("\n\n") =>
                {
                    text.push_str("\n\n");
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Sink(RefCell::new(String::new())), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let text = citations::strip_placeholders(&tokenizer.sink.0.into_inner());
    let blocks: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect();
    blocks.join("\n\n")
}

/// The citation keys cited in each section: the first entry before any heading, then one per heading.
fn citations_by_section(events: &[Spanned<'_>]) -> Vec<Vec<String>> {
    let mut sections = vec![Vec::new()];
    for (event, _) in events {
        match event {
            Event::Start(Tag::Heading { .. }) => sections.push(Vec::new()),
            Event::InlineHtml(html) if citations::is_placeholder(html) => {
                let keys = sections.last_mut().expect("never empty");
                for key in citations::placeholder_keys(html) {
                    if !keys.iter().any(|k| k == key) {
                        keys.push(key.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    sections
}

/// Cuts `text` (blocks separated by blank lines, headings among them) at each of `headings`, found in
/// order. `cited` holds the citation keys before the first heading and under each heading.
fn split_sections(text: &str, headings: &[Heading], mut cited: Vec<Vec<String>>) -> Vec<Section> {
    let mut take_cited = |n: usize| cited.get_mut(n).map(std::mem::take).unwrap_or_default();
    let mut sections = vec![Section {
        heading: None,
        text: 0..0,
        citations: take_cited(0),
    }];
    let mut next = 0;
    let mut at = 0;
    for block in text.split("\n\n") {
        let start = at;
        let end = at + block.len();
        at = end + 2;
        if headings
            .get(next)
            .is_some_and(|h| h.text.trim() == block.trim())
        {
            next += 1;
            sections.push(Section {
                heading: Some(next - 1),
                text: end..end,
                citations: take_cited(next),
            });
            continue;
        }
        let section = sections.last_mut().expect("never empty");
        if section.text.is_empty() {
            section.text = start..end;
        } else {
            section.text.end = end;
        }
    }
    sections.retain(|s| !text[s.text.clone()].trim().is_empty());
    sections
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
    fn sections_cut_the_text_at_headings_with_their_citations() {
        let src = "Intro cites [@a].\n\n## Causes {#causes}\n\nOne [@b].\n\n- two\n\n## Empty\n\n### Treatment\n\nRest [@a; @c].";
        let (r, problems) = render(src, &known);
        assert!(problems.is_empty());
        let got: Vec<(Option<&str>, &str, Vec<String>)> = r
            .sections
            .iter()
            .map(|s| {
                (
                    s.heading.map(|h| r.headings[h].id.as_str()),
                    r.section_text(s),
                    s.citations.clone(),
                )
            })
            .collect();
        let keys = |k: &[&str]| k.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            vec![
                (None, "Intro cites .", keys(&["a"])),
                (Some("causes"), "One .\n\ntwo", keys(&["b"])),
                (Some("treatment"), "Rest .", keys(&["a", "c"])),
            ]
        );
        // Raw HTML bodies are cut the same way, on the text readers see.
        let (r, _) = render(
            "<p>Shown</p>\n\n## Next\n\n<script>hidden</script>\n\nAfter [@a].",
            &known,
        );
        let texts: Vec<&str> = r.sections.iter().map(|s| r.section_text(s)).collect();
        assert_eq!(texts, vec!["Shown", "After ."]);
    }

    #[test]
    fn text_the_sanitiser_removes_is_not_the_bodys_text() {
        for src in [
            "Visible <script>zzhidden</script> words [@a].",
            "Visible words [@a].\n\n<div title=\"x\n\nzzhidden [link](https://e.org) tail",
            "Visible words [@a].\n\n<style>\nzzhidden\n</style>",
        ] {
            let (r, _) = render(src, &known);
            assert!(r.text.contains("Visible"), "{src}: {}", r.text);
            assert!(!r.text.contains("zzhidden"), "{src}: {}", r.text);
            assert!(!r.html.contains(">zzhidden"), "{}", r.html);
            assert!(!r.text.contains('\u{E000}'), "{}", r.text);
        }
        let (r, _) = render("<p>One <b>two</b></p>\n\nThree [@a]\nfour.", &known);
        assert_eq!(r.text, "One two\n\nThree  four.");
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

    /// The HTML pulldown-cmark writes for `source` before it is made safe, and whether it is Markdown only.
    fn unsanitised(source: &str) -> (String, bool) {
        let (events, _) = citations::number_citations(parse(source), &known, &mut Vec::new());
        let (events, _) = headings::anchor_headings(events);
        let events = normalise(events);
        let markdown_only =
            !source.contains('\0') && sanitise::is_markdown_only(events.iter().map(|(e, _)| e));
        let mut raw = String::new();
        pulldown_cmark::html::push_html(&mut raw, events.into_iter().map(|(e, _)| e));
        (raw, markdown_only)
    }

    /// An HTML fragment as an HTML tokenizer reads it: tags with their attributes decoded and sorted,
    /// and text decoded, so that two ways of serialising the same markup compare equal.
    fn tokens_of(html: &str) -> Vec<String> {
        use html5ever::tendril::StrTendril;
        use html5ever::tokenizer::{
            BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
        };
        use std::cell::RefCell;
        #[derive(Default)]
        struct Sink(RefCell<Vec<String>>);
        impl Sink {
            fn text(&self, text: &str) {
                let mut tokens = self.0.borrow_mut();
                match tokens.last_mut() {
                    Some(last) if last.starts_with('"') => last.push_str(text),
                    _ => tokens.push(format!("\"{text}")),
                }
            }
        }
        impl TokenSink for Sink {
            type Handle = ();
            fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
                match token {
                    Token::TagToken(tag) => {
                        let mut attrs: Vec<String> = tag
                            .attrs
                            .iter()
                            .map(|a| format!("{}={:?}", a.name.local, a.value.to_string()))
                            .collect();
                        attrs.sort();
                        let slash = if tag.kind == TagKind::EndTag { "/" } else { "" };
                        let tag = format!("<{slash}{} {}>", tag.name, attrs.join(" "));
                        self.0.borrow_mut().push(tag);
                    }
                    Token::CharacterTokens(text) => self.text(&text),
                    Token::NullCharacterToken => self.text("\0"),
                    Token::CommentToken(c) => self.0.borrow_mut().push(format!("<!--{c}-->")),
                    _ => {}
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(Sink::default(), Default::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.0.take()
    }

    /// Bodies in Markdown only skip the sanitiser: on thousands of generated bodies, what they get is
    /// the document the sanitiser itself would have made, and bodies with anything it would change
    /// (raw HTML, a `javascript:` link, a heading class) go through it.
    #[test]
    fn markdown_only_bodies_get_what_the_sanitiser_would_make() {
        let pieces = [
            "# Title {#custom}\n\n",
            "## Head *em* and `code`\n\n",
            "## Classy {.warn}\n\n",
            "## In French {lang=fr}\n\n",
            "Plain & \"double\" 'single' <angle> text. ",
            "**bold** _em_ ~~gone~~ ",
            "[link](https://example.org/a?b=1&c=2 \"Title & 'q' <x>\") ",
            "[local](/articles/x#y) [frag](#section) [proto](//other.example/x) ",
            "[js](javascript:alert(1)) ",
            "[JS](JaVaScRiPt:alert(1)) ",
            "[data](data:text/html,x) ",
            "[spaced](<java script:x>) [ctrl](java&#9;script:x) ",
            "[vb](vbscript:x) [ftp](ftp://x.example/) [tel](tel:+441234567) ",
            "[mail](mailto:a@b.example) <https://auto.example/p?q=1> <a@b.example> ",
            "![alt *text* & more](https://img.example/i.png \"t\") ",
            "![bad](data:image/png;base64,AAA) ",
            "Cited.[@a] Twice [@a; @b]. Unknown [@zz]. ",
            "Footnote.[^n] ",
            "\n\n[^n]: The note, *emphasised*.\n\n",
            "\n\n| a | b |\n|:--|--:|\n| 1 & 2 | <3 |\n\n",
            "\n\n```rust\nfn x() { \"<b>\" }\n```\n\n",
            "\n\n    indented <code>\n\n",
            "\n\n> quoted\n> more\n\n",
            "\n\n- item\n- second [x](https://x.example)\n\n",
            "\n\n3. three\n4. four\n\n",
            "\n\n---\n\n",
            "Hard  \nbreak ",
            "&amp; &lt; &#xE000; &nbsp; &copy; ",
            "\u{E000}forged\u{E001} ",
            "<b>raw</b> ",
            "<script>alert(1)</script> ",
            "\n\n<div onclick=x>\nblock\n</div>\n\n",
            "<!-- comment --> ",
            "[ref][r] \n\n[r]: https://ref.example/ \"T\"\n\n",
            "Unicode é 中 — ‘smart’ ",
            "line\r\nwith crlf ",
            "nul\0byte ",
        ];
        let mut next = crate::pseudo_random(0x9e37_79b9_7f4a_7c15u64);
        let (mut plain, mut sanitised) = (0, 0);
        for _ in 0..3000 {
            let source: String = (0..1 + next() % 10)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let (rendered, _) = render(&source, &known);
            let (raw, markdown_only) = unsanitised(&source);
            let expected =
                citations::restore_citations(sanitise(&raw), true, &BodyWords::english());
            assert_eq!(
                tokens_of(&rendered.html),
                tokens_of(&expected),
                "{source:?}"
            );
            if markdown_only {
                plain += 1;
                // And the sanitiser would change nothing in what such a body gets.
                let html = sanitise::with_link_rel(raw);
                assert_eq!(tokens_of(&sanitise(&html)), tokens_of(&html), "{source:?}");
            } else {
                sanitised += 1;
            }
        }
        assert!(
            plain > 300 && sanitised > 300,
            "{plain} plain, {sanitised} sanitised"
        );
    }

    #[test]
    fn only_markdown_skips_the_sanitiser() {
        for (source, markdown_only) in [
            (
                "Text with [a link](https://example.org) and a note.[^n]\n\n[^n]: Note.",
                true,
            ),
            ("Cited.[@a]", true),
            ("[x](/relative) [y](#frag) [z](mailto:a@b.example)", true),
            ("<b>bold</b>", false),
            ("<div>\nblock\n</div>", false),
            ("[x](javascript:alert(1))", false),
            ("[x](data:text/html,x)", false),
            ("![x](vbscript:x)", false),
            ("## Heading {.class}", false),
        ] {
            assert_eq!(unsanitised(source).1, markdown_only, "{source}");
        }
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
