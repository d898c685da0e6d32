//! Citations: `[@key]` and `[@a; @b]` become superscript numbers linking to `#ref-{key}`,
//! numbered in order of first citation.

use super::BodyWords;
use super::{Problem, Spanned};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

const CITE_SCHEME: &str = "cite:";
/// Private-use characters bracketing a citation placeholder. A source can contain them too (written
/// as is, or as `&#xE000;`), so a placeholder also carries a random nonce the source cannot know, and
/// any other occurrence of these characters is replaced after sanitising.
pub(super) const MARK_OPEN: char = '\u{E000}';
pub(super) const MARK_CLOSE: char = '\u{E001}';

/// Chosen at random once per process.
static NONCE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use rand_core::RngCore;
    let mut bytes = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
});
const BAD_CITE_SCHEME: &str = "cite-invalid:";

/// A citation or reference key: letters, digits, `-`, `_`, `.`, `:`; starting with a letter or digit.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        && key.len() <= 100
}

/// Keys of a citation label such as `@a; @b`; `None` when the label is not a well-formed citation.
pub fn parse_citation_label(label: &str) -> Option<Vec<String>> {
    let keys: Option<Vec<String>> = label
        .split(';')
        .map(|part| {
            let key = part.trim().strip_prefix('@')?;
            is_valid_key(key).then(|| key.to_string())
        })
        .collect();
    keys.filter(|k| !k.is_empty())
}

/// The parser's broken-link hook: a label starting with `@` is a citation, carried on as a `cite:` link.
pub(super) fn resolve_broken_link<'a>(label: &str) -> Option<(CowStr<'a>, CowStr<'a>)> {
    if !label.trim_start().starts_with('@') {
        return None;
    }
    let dest = match parse_citation_label(label) {
        Some(keys) => format!("{CITE_SCHEME}{}", keys.join(" ")),
        None => format!(
            "{BAD_CITE_SCHEME}{}",
            label.replace(char::is_whitespace, " ")
        ),
    };
    Some((dest.into(), "".into()))
}

/// Replaces each citation link by its superscript numbers; returns the keys in order of first citation.
pub(super) fn number_citations<'a>(
    events: Vec<Spanned<'a>>,
    is_known_key: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) -> (Vec<Spanned<'a>>, Vec<String>) {
    let mut order: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut skipping_link_text = false;
    // Inside an image, text becomes its alt attribute: citations there are written as plain text.
    let mut image_depth = 0usize;
    for (event, span) in events {
        if skipping_link_text {
            if matches!(event, Event::End(TagEnd::Link)) {
                skipping_link_text = false;
            }
            continue;
        }
        match &event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            _ => {}
        }
        // Only links the parser could not resolve come from `[@key]`: an explicit `[t](cite:key)` stays a link.
        let Event::Start(Tag::Link {
            dest_url,
            link_type,
            ..
        }) = &event
        else {
            out.push((event, span));
            continue;
        };
        if !matches!(
            link_type,
            LinkType::ShortcutUnknown | LinkType::ReferenceUnknown | LinkType::CollapsedUnknown
        ) {
            out.push((event, span));
            continue;
        }
        if let Some(bad) = dest_url.strip_prefix(BAD_CITE_SCHEME) {
            problems.push(Problem {
                offset: span.start,
                message: format!(
                    "malformed citation `[{bad}]`: write `[@key]` or `[@key1; @key2]` with keys of letters, digits, `-`, `_`"
                ),
            });
            out.push((Event::Text(format!("[{bad}]").into()), span));
            skipping_link_text = true;
            continue;
        }
        let Some(keys) = dest_url.strip_prefix(CITE_SCHEME) else {
            out.push((event, span));
            continue;
        };
        let mut cited = Vec::new();
        for key in keys.split(' ') {
            if !is_known_key(key) {
                problems.push(Problem {
                    offset: span.start,
                    message: format!(
                        "citation `@{key}` has no reference: add a [[references]] entry with key = \"{key}\" to article.toml, or correct the key"
                    ),
                });
                continue;
            }
            let number = match order.iter().position(|k| k == key) {
                Some(i) => i + 1,
                None => {
                    order.push(key.to_string());
                    order.len()
                }
            };
            cited.push(format!("{key}={number}"));
        }
        if cited.is_empty() {
        } else if image_depth > 0 {
            let numbers: Vec<&str> = cited.iter().filter_map(|c| c.split('=').nth(1)).collect();
            out.push((
                Event::Text(format!("[{}]", numbers.join(", ")).into()),
                span.clone(),
            ));
        } else {
            // A placeholder the sanitiser passes as text; `restore_citations` turns it into markup afterwards,
            // which keeps the sanitiser's work (and cost) to the author's own HTML.
            let marker = format!("{MARK_OPEN}{}{}{MARK_CLOSE}", *NONCE, cited.join(" "));
            out.push((Event::InlineHtml(marker.into()), span.clone()));
        }
        skipping_link_text = true;
    }
    (out, order)
}

/// Reads an evidence grade written straight after a citation (`[@key]{grade="GRADE:low"}`, see
/// [`super::grades`]) into the citation's placeholder, and takes it out of the text. A malformed
/// grade is a problem, and stays visible as written.
pub(super) fn attach_grades<'a>(
    events: Vec<Spanned<'a>>,
    problems: &mut Vec<Problem>,
) -> Vec<Spanned<'a>> {
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    let mut events = events.into_iter().peekable();
    while let Some((event, span)) = events.next() {
        let is_citation = matches!(&event, Event::InlineHtml(html) if is_placeholder(html));
        out.push((event, span));
        if !is_citation || !matches!(events.peek(), Some((Event::Text(_), _))) {
            continue;
        }
        // The text after the citation, merged (smart punctuation splits it at quotes).
        let mut text = String::new();
        let mut range: Option<std::ops::Range<usize>> = None;
        while let Some((Event::Text(t), s)) = events.peek() {
            text.push_str(t);
            range = Some(match range {
                Some(r) => r.start..s.end,
                None => s.clone(),
            });
            events.next();
        }
        let range = range.unwrap_or_default();
        let rest = match super::grades::grade_prefix(&text) {
            Some((value, len)) => match super::grades::Grade::parse(value) {
                Ok(grade) => {
                    if let Some((Event::InlineHtml(html), _)) = out.last_mut() {
                        let marked = html.replacen(
                            MARK_CLOSE,
                            &format!("|{}{MARK_CLOSE}", grade.token()),
                            1,
                        );
                        *html = marked.into();
                    }
                    text[len..].to_string()
                }
                Err(why) => {
                    problems.push(Problem {
                        offset: range.start,
                        message: format!("malformed evidence grade: {why}"),
                    });
                    text
                }
            },
            None if text.starts_with("{grade") => {
                problems.push(Problem {
                    offset: range.start,
                    message: "malformed evidence grade: write it as {grade=\"GRADE:low\"} straight after the citation".into(),
                });
                text
            }
            None => text,
        };
        if !rest.is_empty() {
            out.push((Event::Text(rest.into()), range));
        }
    }
    out
}

/// The grades carried by the citation placeholders of `events`, each with the plain text of the
/// sentence its citation ends or stands in.
pub(super) fn grades_in(events: &[Spanned<'_>]) -> Vec<(super::grades::Grade, String)> {
    let mut found = Vec::new();
    let mut block = String::new();
    let mut waiting: Vec<(super::grades::Grade, usize)> = Vec::new();
    // The sentence a citation stands in, or the one it follows ("... for good. [@a]").
    let sentence = |block: &str, at: usize| -> String {
        let before = block[..at].trim_end();
        let (start, end) = if before.ends_with(['.', '?', '!']) {
            let body = &before[..before.len() - 1];
            let start = body.rfind(['.', '?', '!']).map(|i| i + 1).unwrap_or(0);
            (start, before.len())
        } else {
            let start = before.rfind(['.', '?', '!']).map(|i| i + 1).unwrap_or(0);
            let end = block[at..]
                .find(['.', '?', '!'])
                .map(|i| at + i + 1)
                .unwrap_or(block.len());
            (start, end)
        };
        let words: Vec<&str> = block[start..end].split_whitespace().collect();
        words
            .join(" ")
            .replace(" .", ".")
            .replace(" ?", "?")
            .replace(" !", "!")
    };
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => block.push_str(t),
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            Event::InlineHtml(html) if is_placeholder(html) => {
                let grade = html
                    .split(MARK_CLOSE)
                    .next()
                    .and_then(|inner| inner.split_once('|'))
                    .and_then(|(_, g)| super::grades::Grade::parse(g).ok());
                if let Some(grade) = grade {
                    waiting.push((grade, block.len()));
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
            ) => {
                for (grade, at) in waiting.drain(..) {
                    found.push((grade, sentence(&block, at)));
                }
                block.clear();
            }
            _ => {}
        }
    }
    for (grade, at) in waiting {
        found.push((grade, sentence(&block, at)));
    }
    found
}

/// `text` without citation placeholders (and without stray placeholder characters).
pub(super) fn strip_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        rest = match tail.find(MARK_CLOSE) {
            Some(end) => &tail[end + MARK_CLOSE.len_utf8()..],
            None => &tail[MARK_OPEN.len_utf8()..],
        };
    }
    out.push_str(rest);
    out.replace(MARK_CLOSE, "")
}

/// Whether inline HTML is a placeholder made by [`number_citations`] in this process.
pub(super) fn is_placeholder(html: &str) -> bool {
    html.strip_prefix(MARK_OPEN)
        .is_some_and(|rest| rest.starts_with(NONCE.as_str()))
}

/// The keys a placeholder made by [`number_citations`] cites, in order (empty for anything else).
pub(super) fn placeholder_keys(html: &str) -> Vec<&str> {
    let Some(inner) = html
        .strip_prefix(MARK_OPEN)
        .and_then(|rest| rest.strip_prefix(NONCE.as_str()))
    else {
        return Vec::new();
    };
    let inner = inner.split(MARK_CLOSE).next().unwrap_or_default();
    let inner = inner.split('|').next().unwrap_or_default();
    inner
        .split(' ')
        .filter_map(|pair| pair.split_once('=').map(|(key, _)| key))
        .collect()
}

/// Replaces each citation placeholder in sanitised HTML by its superscript links. Only placeholders
/// with this process's nonce and well-formed `key=number` pairs count; any other placeholder character
/// becomes U+FFFD. A placeholder the sanitiser kept inside a tag (an attribute value that swallowed
/// the text after it, e.g. an unclosed `title="`) becomes its plain numbers, so the page holds exactly
/// the elements the sanitiser approved. Evidence grades are written out after the numbers when
/// `show_grades`, and left out otherwise.
pub(super) fn restore_citations(html: String, show_grades: bool, words: &BodyWords<'_>) -> String {
    // Both marks start with the same byte (0xEE), which only characters U+E000 to U+EFFF start with.
    const LEAD: u8 = {
        let mut bytes = [0u8; 4];
        MARK_OPEN.encode_utf8(&mut bytes);
        bytes[0]
    };
    let lead = LEAD;
    if memchr::memchr(lead, html.as_bytes()).is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html.as_str();
    let mut markup = MarkupState::default();
    while let Some(at) = memchr::memchr(lead, rest.as_bytes()) {
        markup.advance(&rest.as_bytes()[..at]);
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let c = tail.chars().next().unwrap_or_default();
        if c != MARK_OPEN && c != MARK_CLOSE {
            out.push(c);
            rest = &tail[c.len_utf8()..];
        } else if let Some(len) = citation_links(tail, &mut out, markup.in_tag, show_grades, words)
        {
            rest = &tail[len..];
        } else {
            out.push('\u{FFFD}');
            rest = &tail[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether a point in serialised HTML is inside a tag. Sanitised and Markdown-only HTML escape `<`
/// in text and quote every attribute value with `"`, which they escape inside values; so a `<` opens
/// a tag, and a `>` outside quotes closes it.
#[derive(Default)]
struct MarkupState {
    in_tag: bool,
    in_value: bool,
}

impl MarkupState {
    fn advance(&mut self, bytes: &[u8]) {
        for at in memchr::memchr3_iter(b'<', b'>', b'"', bytes) {
            match (bytes[at], self.in_tag, self.in_value) {
                (b'<', false, _) => self.in_tag = true,
                (b'"', true, value) => self.in_value = !value,
                (b'>', true, false) => self.in_tag = false,
                _ => {}
            }
        }
    }
}

/// If `text` starts with a genuine placeholder, writes its links to `out` (or, `in_tag`, its numbers
/// as plain text) and returns its length.
fn citation_links(
    text: &str,
    out: &mut String,
    in_tag: bool,
    show_grades: bool,
    words: &BodyWords<'_>,
) -> Option<usize> {
    let inner = text.strip_prefix(MARK_OPEN)?.strip_prefix(NONCE.as_str())?;
    let end = inner.find(MARK_CLOSE)?;
    let (cited, grade) = match inner[..end].split_once('|') {
        Some((cited, grade)) => (cited, Some(super::grades::Grade::parse(grade).ok()?)),
        None => (&inner[..end], None),
    };
    let pairs: Vec<(&str, &str)> = cited
        .split(' ')
        .map(|pair| pair.split_once('='))
        .collect::<Option<_>>()?;
    if pairs.is_empty()
        || !pairs.iter().all(|(key, n)| {
            is_valid_key(key) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
    {
        return None;
    }
    let length = MARK_OPEN.len_utf8() + NONCE.len() + end + MARK_CLOSE.len_utf8();
    if in_tag {
        let numbers: Vec<&str> = pairs.iter().map(|(_, number)| *number).collect();
        out.push_str(&format!("[{}]", numbers.join(", ")));
        return Some(length);
    }
    out.push_str("<sup class=\"cite\">");
    for (i, (key, number)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!(
            "<a href=\"#ref-{key}\"><span class=\"visually-hidden\">{} </span>{number}</a>",
            words.reference
        ));
    }
    out.push_str("</sup>");
    if let Some(grade) = grade.filter(|_| show_grades) {
        out.push_str(&format!(
            " <span class=\"grade\">({})</span>",
            (words.grade)(&grade)
        ));
    }
    Some(length)
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;

    fn known(key: &str) -> bool {
        ["a", "b", "c"].contains(&key)
    }

    #[test]
    fn citations_are_numbered_in_order_of_first_use() {
        let (r, problems) = render("One [@b]. Two [@a]. Three [@b].", &known);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.citations, vec!["b", "a"]);
        let first_b = r.html.find("#ref-b").unwrap();
        let a = r.html.find("#ref-a").unwrap();
        assert!(first_b < a);
        assert!(
            r.html.contains(
                "<a href=\"#ref-b\"><span class=\"visually-hidden\">Reference </span>1</a>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<span class=\"visually-hidden\">Reference </span>2</a>")
        );
        assert_eq!(
            r.html.matches(">1</a>").count(),
            2,
            "repeated citation reuses its number"
        );
    }

    #[test]
    fn multiple_keys_give_several_numbers() {
        let (r, problems) = render("Claim [@a; @c].", &known);
        assert!(problems.is_empty());
        assert_eq!(r.citations, vec!["a", "c"]);
        assert!(r.html.contains("#ref-a"));
        assert!(r.html.contains("#ref-c"));
        assert!(r.html.contains(">1</a>, <a"), "{}", r.html);
        assert!(!r.html.contains("@a"), "label text is replaced: {}", r.html);
    }

    #[test]
    fn unknown_citation_is_a_problem_with_offset() {
        let src = "Fine.\n\nBad [@zzz] here.";
        let (r, problems) = render(src, &|k| k == "a" || k == "c");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("@zzz"));
        assert_eq!(crate::content::line_of(src, problems[0].offset), 3);
        assert!(r.citations.is_empty());
    }

    #[test]
    fn malformed_citation_is_a_problem() {
        let (_, problems) = render("Bad [@a, @b].", &known);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("malformed"));
    }

    #[test]
    fn ordinary_links_and_defined_references_are_untouched() {
        let (r, problems) = render(
            "[site](https://example.org) and [x]\n\n[x]: https://example.com",
            &known,
        );
        assert!(problems.is_empty());
        assert!(r.html.contains("href=\"https://example.org\""));
        assert!(r.html.contains("href=\"https://example.com\""));
        assert!(r.citations.is_empty());
    }

    #[test]
    fn key_syntax() {
        assert!(super::is_valid_key("smith-2020"));
        assert!(super::is_valid_key("doi:10.1000.x"));
        assert!(!super::is_valid_key(""));
        assert!(!super::is_valid_key("-x"));
        assert!(!super::is_valid_key("a\"b"));
        assert!(!super::is_valid_key("a b"));
    }
}

#[cfg(test)]
mod marker_tests {
    use crate::markdown::render;

    #[test]
    fn placeholders_in_content_cannot_forge_citations() {
        let src =
            "Forged \u{E000}x\"><script>alert(1)</script>=1\u{E001} and <b>\u{E000}y=2\u{E001}</b>";
        let (r, _) = render(src, &|_| true);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<sup"), "{}", r.html);
        assert!(!r.html.contains('\u{E000}'));
    }
}

#[cfg(test)]
mod forgery_tests {
    use crate::markdown::render;

    #[test]
    fn encoded_placeholders_cannot_forge_citations() {
        for src in [
            // Found by fuzzing: entities decode to the placeholder characters after parsing.
            "a &#xE000;x&quot;/onclick/&#xE001; b",
            "<a title=\"&#xE000;a=1&#xE001;\" href=\"https://e.org\">x</a> [@a]",
            "&#xE000;&#xE000;&#xE001;&#xE001; [@a] &#57344;a=1&#57345;",
            "\u{E000}a=1\u{E001} <b>\u{E000}a=2\u{E001}</b>",
        ] {
            let (r, _) = render(src, &|k| k == "a");
            assert!(!r.html.contains("onclick\""), "{}", r.html);
            assert!(
                !r.html.contains('\u{E000}') && !r.html.contains('\u{E001}'),
                "{}",
                r.html
            );
            assert!(
                r.html.matches("<sup").count() <= 1,
                "only real citations: {}",
                r.html
            );
            assert!(!r.html.contains("title=\"<sup"), "{}", r.html);
        }
    }

    /// An unclosed attribute swallows the text after it, citations included, up to the next quote
    /// the renderer writes (here a link's `href`): the citation stays text inside the attribute.
    #[test]
    fn citations_swallowed_by_an_attribute_stay_text() {
        for src in [
            "<div title=\"x\n\nText [@a] and [link](https://e.org) [@a]",
            "<div title=\"x\n\nText [@a]\n\n## Heading {#h}\n\nMore [@a].",
            "<span title='x\n\nText [@a] <a href=\"https://e.org\">l</a> [@a]",
        ] {
            let (r, _) = render(src, &|k| k == "a");
            let sanitised = crate::markdown::sanitise(&r.html);
            assert_eq!(
                tokens(&r.html),
                tokens(&sanitised),
                "the page is what the sanitiser approved: {}",
                r.html
            );
            assert!(
                !r.html.contains("title=\"x\n&lt;p&gt;Text <sup"),
                "{}",
                r.html
            );
        }
        // Citations after the attribute closes are links again.
        let (r, _) = render(
            "<div title=\"x\n\nText [@a] and [link](https://e.org) [@a]",
            &|k| k == "a",
        );
        assert!(r.html.contains("[1]"), "{}", r.html);
    }

    /// The elements and attributes (but `rel`, which the sanitiser adds to links) of an HTML fragment
    /// as a browser's tokenizer reads them.
    fn tokens(html: &str) -> Vec<String> {
        use html5ever::tendril::StrTendril;
        use html5ever::tokenizer::{
            BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
        };
        use std::cell::RefCell;
        struct Sink(RefCell<Vec<String>>);
        impl TokenSink for Sink {
            type Handle = ();
            fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
                if let Token::TagToken(tag) = token {
                    let attrs: Vec<String> = tag
                        .attrs
                        .iter()
                        .filter(|a| &*a.name.local != "rel")
                        .map(|a| format!("{}={}", a.name.local, a.value))
                        .collect();
                    self.0
                        .borrow_mut()
                        .push(format!("{:?} {} {attrs:?}", tag.kind, tag.name));
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from(html));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        tokenizer.sink.0.into_inner()
    }

    #[test]
    fn citations_inside_image_alt_text_stay_text() {
        let (r, problems) = render("![Chart [@a]](chart.png)", &|k| k == "a");
        assert!(problems.is_empty());
        assert!(r.html.contains("alt=\"Chart [1]\""), "{}", r.html);
    }

    #[test]
    fn explicit_cite_scheme_links_are_not_citations() {
        let (r, _) = render("[t](cite:a) and [u](cite-invalid:x)", &|k| k == "a");
        assert!(r.citations.is_empty(), "{:?}", r.citations);
        assert!(!r.html.contains("<sup"), "{}", r.html);
    }

    #[test]
    fn grades_show_beside_citations_in_words_or_not_at_all() {
        let src = "Stretching may help [@a]{grade=\"GRADE:low\"}. Statins work [@a; @c]{grade=\"ACC-AHA:1-A\"}.";
        let (r, problems) = render(src, &|k| k == "a" || k == "c");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            r.html
                .contains("</sup> <span class=\"grade\">(GRADE: low certainty)</span>."),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<span class=\"grade\">(ACC/AHA: Class I, LOE A)</span>")
        );
        assert!(
            !r.html.contains("{grade") && !r.text.contains("grade"),
            "{}",
            r.html
        );
        assert_eq!(r.grades.len(), 2);
        assert_eq!(r.grades[0].1, "Stretching may help.");
        assert_eq!(r.citations, ["a", "c"]);
        // Unseen where grades are not shown, and still known for coaching.
        let (hidden, _) = crate::markdown::render_for(src, &|k| k == "a" || k == "c", false);
        assert!(!hidden.html.contains("grade"), "{}", hidden.html);
        assert_eq!(hidden.grades.len(), 2);
        assert!(hidden.html.contains("<sup class=\"cite\">"));
    }

    #[test]
    fn malformed_grades_are_problems() {
        for src in [
            "Claim [@a]{grade=\"GRADE:medium\"}.",
            "Claim [@a]{grade=GRADE:low}.",
            "Claim [@a]{grade=\"ACC-AHA:5-A\"}.",
        ] {
            let (_, problems) = render(src, &|k| k == "a" || k == "c");
            assert!(
                problems
                    .iter()
                    .any(|p| p.message.contains("malformed evidence grade")),
                "{src}: {problems:?}"
            );
        }
    }
}
