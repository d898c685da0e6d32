//! Care cards and callouts: a block quote whose first line is a marker such as `> [!EMERGENCY]`
//! becomes a card with a heading, the way health publishers show when to get help by urgency.
//!
//! ```markdown
//! > [!EMERGENCY]
//! > Call 999 or go to A&E now if:
//! > - you have chest pain
//! ```
//!
//! The rest of the marker's paragraph (here "Call 999 or go to A&E now if:") is the card's heading;
//! without one, the card is headed by its kind ("Emergency"). The kind is also said before the heading
//! to screen readers ("Emergency: Call 999 ...") and shown in print, where colour may be lost.
//! GitHub's `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` and `[!CAUTION]` are plain callouts.
//! An unknown `[!WORD]` is a problem naming the allowed ones.

use super::{Problem, Spanned};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The kinds of card, from care cards by urgency to GitHub's callouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    NonUrgent,
    Urgent,
    Emergency,
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CardKind {
    pub const ALL: [CardKind; 8] = [
        CardKind::NonUrgent,
        CardKind::Urgent,
        CardKind::Emergency,
        CardKind::Note,
        CardKind::Tip,
        CardKind::Important,
        CardKind::Warning,
        CardKind::Caution,
    ];

    /// The marker word, as authors write it: `NON-URGENT`, `URGENT`, ...
    pub fn marker(self) -> &'static str {
        match self {
            CardKind::NonUrgent => "NON-URGENT",
            CardKind::Urgent => "URGENT",
            CardKind::Emergency => "EMERGENCY",
            CardKind::Note => "NOTE",
            CardKind::Tip => "TIP",
            CardKind::Important => "IMPORTANT",
            CardKind::Warning => "WARNING",
            CardKind::Caution => "CAUTION",
        }
    }

    /// What the card is, said to screen readers before its heading and shown in print.
    pub fn label(self) -> &'static str {
        match self {
            CardKind::NonUrgent => "Non-urgent advice",
            CardKind::Urgent => "Urgent advice",
            CardKind::Emergency => "Emergency",
            CardKind::Note => "Note",
            CardKind::Tip => "Tip",
            CardKind::Important => "Important",
            CardKind::Warning => "Warning",
            CardKind::Caution => "Caution",
        }
    }

    /// The key of [`Self::label`] in the site's messages (`card-urgent`).
    pub fn message_key(self) -> &'static str {
        match self {
            CardKind::NonUrgent => "card-non-urgent",
            CardKind::Urgent => "card-urgent",
            CardKind::Emergency => "card-emergency",
            CardKind::Note => "card-note",
            CardKind::Tip => "card-tip",
            CardKind::Important => "card-important",
            CardKind::Warning => "card-warning",
            CardKind::Caution => "card-caution",
        }
    }

    /// The card's class, after `care-card`.
    pub fn class(self) -> &'static str {
        match self {
            CardKind::NonUrgent => "care-non-urgent",
            CardKind::Urgent => "care-urgent",
            CardKind::Emergency => "care-emergency",
            CardKind::Note => "care-note",
            CardKind::Tip => "care-tip",
            CardKind::Important => "care-important",
            CardKind::Warning => "care-warning",
            CardKind::Caution => "care-caution",
        }
    }

    fn from_marker(word: &str) -> Option<CardKind> {
        CardKind::ALL
            .into_iter()
            .find(|k| k.marker().eq_ignore_ascii_case(word))
    }
}

/// The classes the sanitiser keeps on a card's `<div>`.
pub(super) fn div_classes() -> impl Iterator<Item = &'static str> {
    ["care-card"]
        .into_iter()
        .chain(CardKind::ALL.into_iter().map(CardKind::class))
}

/// A `[!WORD]` marker at the start of `text`: the word and the marker's length.
fn marker(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("[!")?;
    let end = rest.find(']')?;
    let word = &rest[..end];
    (!word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
        .then_some((word, end + 3))
}

/// Turns marked block quotes into cards; returns the kinds of card made, in order, and each card's
/// text below its heading (one line per paragraph or list item), for checks that compare the advice
/// of different wordings.
pub(super) fn care_cards<'a>(
    events: Vec<Spanned<'a>>,
    problems: &mut Vec<Problem>,
    label: &dyn Fn(CardKind) -> String,
) -> (Vec<Spanned<'a>>, Vec<CardKind>, Vec<String>) {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut kinds = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    // For each open block quote: whether it became a card.
    let mut quotes: Vec<bool> = Vec::new();
    // The cards open around the current event (indexes into `kinds`), innermost last.
    let mut open: Vec<usize> = Vec::new();
    // The level of the last heading before the card: the card's heading is one level below it, so
    // screen-reader users meet it in the page's outline (`<h2>` before any heading, under the title).
    let mut section_level = 1usize;
    let mut i = 0;
    while i < events.len() {
        let (event, span) = &events[i];
        if let Event::Start(Tag::Heading { level, .. }) = event {
            section_level = *level as usize;
        }
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                match card_at(&events, i, problems) {
                    Some((kind, heading_events, resume)) => {
                        kinds.push(kind);
                        texts.push(String::new());
                        open.push(kinds.len() - 1);
                        quotes.push(true);
                        out.push((
                            Event::Html(
                                format!("<div class=\"care-card {}\">\n", kind.class()).into(),
                            ),
                            span.clone(),
                        ));
                        let level = (section_level + 1).min(6);
                        out.push((
                            Event::Html(
                                format!(
                                    "<h{level} class=\"care-card-heading\"><span class=\"care-card-kind\">{}</span> ",
                                    if heading_events.is_empty() {
                                        label(kind)
                                    } else {
                                        format!("{}:", label(kind))
                                    }
                                )
                                .into(),
                            ),
                            span.clone(),
                        ));
                        out.extend(heading_events);
                        out.push((Event::Html(format!("</h{level}>\n").into()), span.clone()));
                        i = resume;
                        continue;
                    }
                    None => quotes.push(false),
                }
                out.push(events[i].clone());
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if quotes.pop() == Some(true) {
                    open.pop();
                    out.push((Event::Html("</div>\n".into()), span.clone()));
                } else {
                    out.push(events[i].clone());
                }
            }
            _ => {
                if let Some(&card) = open.last() {
                    let text = &mut texts[card];
                    match event {
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        Event::End(TagEnd::Paragraph | TagEnd::Item) => text.push('\n'),
                        _ => {}
                    }
                }
                out.push(events[i].clone())
            }
        }
        i += 1;
    }
    (out, kinds, texts)
}

type Card<'a> = (CardKind, Vec<Spanned<'a>>, usize);

/// If the block quote starting at `events[start]` opens with a marker: its kind, the events of its
/// heading (what follows the marker in its first paragraph) and where the events after that
/// paragraph start. An unknown marker is reported and the quote left as it is.
fn card_at<'a>(
    events: &[Spanned<'a>],
    start: usize,
    problems: &mut Vec<Problem>,
) -> Option<Card<'a>> {
    let (Event::Start(Tag::Paragraph), _) = events.get(start + 1)? else {
        return None;
    };
    // The paragraph's leading text, which the parser may have split at `[` and `]`.
    let mut text = String::new();
    let mut j = start + 2;
    while let Some((Event::Text(t), _)) = events.get(j) {
        text.push_str(t);
        j += 1;
        if text.contains(']') {
            break;
        }
    }
    let (word, len) = marker(&text)?;
    let Some(kind) = CardKind::from_marker(word) else {
        let allowed: Vec<String> = CardKind::ALL
            .iter()
            .map(|k| format!("[!{}]", k.marker()))
            .collect();
        problems.push(Problem {
            offset: events[start].1.start,
            message: format!(
                "unknown callout `[!{word}]`: use one of {}",
                allowed.join(", ")
            ),
        });
        return None;
    };
    let mut heading: Vec<Spanned<'a>> = Vec::new();
    let rest = text[len..].trim_start();
    if !rest.is_empty() {
        heading.push((
            Event::Text(CowStr::from(rest.to_string())),
            events[j - 1].1.clone(),
        ));
    }
    // The rest of the first paragraph, without the line break after the marker.
    let mut depth = 0usize;
    while let Some((event, span)) = events.get(j) {
        match event {
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                return Some((kind, trim_breaks(heading), j + 1));
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        heading.push((event.clone(), span.clone()));
        j += 1;
    }
    None
}

/// Drops line breaks and leading spaces at either end of a heading.
fn trim_breaks(mut events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let is_break = |e: &Spanned<'_>| matches!(e.0, Event::SoftBreak | Event::HardBreak);
    loop {
        match events.first_mut() {
            Some(first) if is_break(first) => {
                events.remove(0);
            }
            Some((Event::Text(text), _)) if text.starts_with(char::is_whitespace) => {
                let trimmed = text.trim_start().to_string();
                if trimmed.is_empty() {
                    events.remove(0);
                } else {
                    events[0].0 = Event::Text(trimmed.into());
                }
            }
            _ => break,
        }
    }
    while events.last().is_some_and(is_break) {
        events.pop();
    }
    events
}

#[cfg(test)]
mod tests {
    use super::CardKind;
    use crate::markdown::render;

    fn known(key: &str) -> bool {
        key == "a"
    }

    #[test]
    fn a_marked_quote_becomes_a_card_with_its_heading() {
        let (r, problems) = render(
            "Intro.\n\n> [!EMERGENCY]\n> Call 999 now if:\n>\n> - you have *chest pain* [@a]\n\nAfter.",
            &known,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.cards, vec![CardKind::Emergency]);
        assert!(
            r.html.contains("<div class=\"care-card care-emergency\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "<h2 class=\"care-card-heading\"><span class=\"care-card-kind\">Emergency:</span> Call 999 now if:</h2>"
            ),
            "before any heading, a card is headed one level below the title: {}",
            r.html
        );
        let (r2, _) = render(
            "## When to get help\n\n> [!URGENT]\n> Ask for an urgent appointment if:\n>\n> - it spreads\n\n### More\n\n> [!NOTE]\n> A note",
            &known,
        );
        assert!(
            r2.html.contains("<h3 class=\"care-card-heading\"><span class=\"care-card-kind\">Urgent advice:</span> Ask for an urgent appointment if:</h3>"),
            "one level below its section's heading: {}",
            r2.html
        );
        assert!(
            r2.html.contains("<h4 class=\"care-card-heading\"><span class=\"care-card-kind\">Note:</span> A note</h4>"),
            "{}",
            r2.html
        );
        assert!(r.html.contains("<em>chest pain</em>"));
        assert!(
            r.html.contains("#ref-a"),
            "citations still work: {}",
            r.html
        );
        assert!(!r.html.contains("[!"), "{}", r.html);
        assert!(!r.html.contains("<blockquote"), "{}", r.html);
        assert!(r.text.contains("Call 999 now if:"));
        assert!(!r.text.contains("[!EMERGENCY]"));
    }

    #[test]
    fn every_kind_and_case_and_a_heading_on_the_marker_line() {
        for kind in CardKind::ALL {
            let src = format!(
                "> [!{}] See a GP if:\n> - it lasts",
                kind.marker().to_lowercase()
            );
            let (r, problems) = render(&src, &known);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(r.cards, vec![kind]);
            assert!(r.html.contains(kind.class()), "{}", r.html);
            assert!(r.html.contains("</span> See a GP if:</h2>"), "{}", r.html);
        }
        // Without a heading, the kind is the heading.
        let (r, _) = render("> [!TIP]\n>\n> Drink water.", &known);
        assert!(
            r.html
                .contains("<span class=\"care-card-kind\">Tip</span> </h2>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn unknown_markers_are_problems_and_plain_quotes_stay_quotes() {
        let (r, problems) = render("> [!URGNET]\n> See a GP.", &known);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("unknown callout `[!URGNET]`"));
        assert!(problems[0].message.contains("[!NON-URGENT]"));
        assert!(r.cards.is_empty());
        let (r, problems) = render("> A quote [!NOTE] here.\n\n> [link]", &known);
        assert!(problems.is_empty());
        assert!(r.cards.is_empty());
        assert_eq!(r.html.matches("<blockquote>").count(), 2, "{}", r.html);
    }

    #[test]
    fn nested_quotes_close_the_right_element() {
        let (r, _) = render("> [!WARNING]\n> Careful:\n>\n> > quoted\n>\n> end", &known);
        assert_eq!(r.html.matches("<div class=\"care-card").count(), 1);
        assert_eq!(r.html.matches("</div>").count(), 1, "{}", r.html);
        assert_eq!(r.html.matches("<blockquote>").count(), 1);
        assert_eq!(r.html.matches("</blockquote>").count(), 1);
        assert!(r.html.trim_end().ends_with("</div>"), "{}", r.html);
    }
}
