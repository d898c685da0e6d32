//! PEMAT pre-checks: the items of AHRQ's Patient Education Materials Assessment Tool for printable
//! materials (PEMAT-P) that a program can judge from a patient wording's text, each Met, Not met or
//! Not applicable, with a one-sentence reason naming what was found.
//!
//! Source of the items, their numbers and wording: Shoemaker SJ, Wolf MS, Brach C. *The Patient
//! Education Materials Assessment Tool (PEMAT) and User's Guide.* Rockville, MD: Agency for
//! Healthcare Research and Quality; November 2013 (updated August 2014). AHRQ Publication No.
//! 14-0002-EF. <https://www.ahrq.gov/pemat/>; the items' pages, e.g.
//! <http://www.ahrq.gov/professionals/prevention-chronic-care/improve/self-mgmt/pemat/pemat4.html>
//! (items 3 and 4), `pemat6.html` (item 8), `pemat9.html` (items 20 to 22).
//!
//! These are pre-checks, not a PEMAT rating: a person rates the material, and rates the items no
//! program can judge (the README lists them). The heuristics here, with their thresholds:
//!
//! - **1, purpose evident**: the page shows a summary under its title (the wording's front-matter
//!   `summary`, else the article's).
//! - **4, medical terms defined**: no word the coaching flags (a hard word of `plain-words.toml`, see
//!   [`crate::coach`]) is used without being explained where it is first used.
//! - **5, active voice**: at least [`ACTIVE_SHARE`] (80%) of sentences are active by [`is_passive`]
//!   (healthpress's threshold: the guide leaves it to the rater).
//! - **6, numbers clear**: no percentage (`%`, "percent", "per cent") or fraction ("1/3", "½", "one
//!   third"); counts such as "1 in 3" are fine. Not applicable when the text has no numbers.
//! - **8, short sections**: no section runs more than [`MAX_SECTION_WORDS`] (150) words without a
//!   heading. Not applicable to very short material (two blocks or fewer, as the guide's "two or
//!   fewer paragraphs").
//! - **9, informative headers**: no heading is a generic one ([`is_generic_heading`]: "Introduction",
//!   "Other", "More", "Section 2" …), and a material that is not very short has headings.
//! - **11, summary**: a section headed as a summary ("The short version", "Key points", "Summary",
//!   "In short" …, or `{#summary}`), or the wording's own front-matter `summary`.
//! - **20, at least one action**: a sentence tells the reader to do something: it starts with an
//!   instruction verb ("Call …", "Do not stop …"), maybe after "Then" or "Please", an opening clause
//!   ("If it hurts, call …") or a short label ("Emergency: Call …"), or says what "you should / can /
//!   need to" do.
//! - **21, addresses the reader**: there are actions, at most 20% of them are put indirectly
//!   ("patients should …", "should be taken"), and at least [`READER_SHARE`] (one in five) of all
//!   sentences speak to the reader ("you", "your", or an instruction).
//! - **22, actions in steps**: with [`SEVERAL_ACTIONS`] (3) or more actions, at least one is a list
//!   item (a step or bullet) and no paragraph holds more than [`MAX_ACTIONS_IN_PARAGRAPH`] (3) of
//!   them. Not applicable without actions.
//!
//! Computed once when a wording loads, beside its coaching ([`crate::content::Wording::pemat`]).

use super::{Coaching, sentences_of, words_of};
use crate::markdown::{Heading, Rendered};
use crate::readability::Readability;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The share of sentences that must be active for item 5.
pub const ACTIVE_SHARE: f64 = 0.8;
/// The most words a section may run without a heading, for item 8.
pub const MAX_SECTION_WORDS: usize = 150;
/// Material of this many blocks (paragraphs, list items) or fewer is "very short" (items 8, 9, 11).
pub const VERY_SHORT_BLOCKS: usize = 2;
/// The share of sentences that must speak to the reader for item 21.
pub const READER_SHARE: f64 = 0.2;
/// From this many actions, item 22 asks for steps or a list.
pub const SEVERAL_ACTIONS: usize = 3;
/// The most actions one paragraph may hold for item 22.
pub const MAX_ACTIONS_IN_PARAGRAPH: usize = 3;

/// One item's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Met,
    NotMet,
    NotApplicable,
}

impl Outcome {
    /// As `check --format json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::NotApplicable => "not_applicable",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Met => "Met",
            Outcome::NotMet => "Not met",
            Outcome::NotApplicable => "Not applicable",
        }
    }
}

/// One PEMAT item, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The item's number in the PEMAT.
    pub item: u8,
    /// The item as the PEMAT words it.
    pub name: &'static str,
    pub outcome: Outcome,
    /// What was found, in one sentence.
    pub reason: String,
}

/// The PEMAT pre-checks of one wording, in item order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pemat {
    pub checks: Vec<Check>,
}

impl Pemat {
    /// The check of item `item`.
    pub fn item(&self, item: u8) -> Option<&Check> {
        self.checks.iter().find(|c| c.item == item)
    }

    pub fn met(&self) -> usize {
        self.count(Outcome::Met)
    }

    /// Items that apply (met or not).
    pub fn applicable(&self) -> usize {
        self.checks.len() - self.count(Outcome::NotApplicable)
    }

    fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }

    /// "8 of 9 met", with the items not applicable when there are any.
    pub fn summary(&self) -> String {
        let na = self.count(Outcome::NotApplicable);
        let mut s = format!("{} of {} met", self.met(), self.applicable());
        if na > 0 {
            s.push_str(&format!(" ({na} not applicable)"));
        }
        s
    }
}

/// The item names, as the PEMAT words them.
pub const ITEM_1: &str = "The material makes its purpose completely evident";
pub const ITEM_4: &str = "Medical terms are used only to familiarize audience with the terms. When used, medical terms are defined";
pub const ITEM_5: &str = "The material uses the active voice";
pub const ITEM_6: &str = "Numbers appearing in the material are clear and easy to understand";
pub const ITEM_8: &str = "The material breaks or \"chunks\" information into short sections";
pub const ITEM_9: &str = "The material's sections have informative headers";
pub const ITEM_11: &str = "The material provides a summary";
pub const ITEM_20: &str = "The material clearly identifies at least one action the user can take";
pub const ITEM_21: &str = "The material addresses the user directly when describing actions";
pub const ITEM_22: &str = "The material breaks down any action into manageable, explicit steps";

/// What the checks read of a wording besides its text and coaching.
#[derive(Debug, Clone, Copy, Default)]
pub struct Front<'a> {
    /// The summary the page shows under the title: the wording's own, else the article's.
    pub summary: Option<&'a str>,
    /// Whether that summary is the wording's own (front matter), written for its readers.
    pub own_summary: bool,
}

/// One sentence as the checks see it.
struct Sentence<'t> {
    text: &'t str,
    /// Index of its block in the wording's blocks.
    block: usize,
    passive: bool,
    action: Option<Action>,
    to_reader: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// An instruction or a "you should / you can" sentence.
    Direct,
    /// "Patients should …", "should be taken": an action not put to the reader.
    Indirect,
}

/// The PEMAT pre-checks of a patient wording: its Markdown `source` (for its lists), its rendered
/// `body` (text not yet released), its `coaching` and what its page shows above the text.
pub fn assess(source: &str, body: &Rendered, coaching: &Coaching, front: Front<'_>) -> Pemat {
    let text = body.text.as_str();
    let blocks: Vec<Range<usize>> = coaching
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter().cloned())
        .filter(|b| text.get(b.clone()).is_some())
        .collect();
    let list_items = list_item_keys(source);
    let in_list: Vec<bool> = blocks
        .iter()
        .map(|b| list_items.contains(&key_of(&text[b.clone()])))
        .collect();
    let mut sentences = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        for range in sentences_of(text, block.clone()) {
            let words: Vec<String> = words_of(text, range.clone())
                .into_iter()
                .map(|w| text[w].replace('’', "'").to_lowercase())
                .collect();
            if words.is_empty() {
                continue;
            }
            let action = action_in(&text[range.clone()]);
            let to_reader = action == Some(Action::Direct)
                || words.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "you"
                            | "your"
                            | "yours"
                            | "yourself"
                            | "you're"
                            | "you'll"
                            | "you've"
                            | "you'd"
                    )
                });
            sentences.push(Sentence {
                text: &text[range],
                block: i,
                passive: is_passive(&words),
                action,
                to_reader,
            });
        }
    }
    let very_short = blocks.len() <= VERY_SHORT_BLOCKS;
    let mut checks = vec![
        purpose(front),
        medical_terms(coaching),
        active_voice(&sentences),
        numbers(text, &blocks),
        short_sections(body, very_short),
        informative_headers(&body.headings, very_short),
        summary(&body.headings, front, very_short),
    ];
    checks.extend(actions(&sentences, &in_list));
    Pemat { checks }
}

fn check(item: u8, name: &'static str, outcome: Outcome, reason: String) -> Check {
    Check {
        item,
        name,
        outcome,
        reason,
    }
}

/// `text` in quotes, cut to about `max` characters at a word.
fn quote(text: &str, max: usize) -> String {
    let text = text.trim().trim_end_matches('.');
    if text.chars().count() <= max {
        return format!("“{text}”");
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("“{}…”", cut.trim_end_matches([',', ';', ':', ' ']))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn percent(part: usize, whole: usize) -> usize {
    if whole == 0 {
        0
    } else {
        ((part as f64 / whole as f64) * 100.0).floor() as usize
    }
}

fn purpose(front: Front<'_>) -> Check {
    match front.summary.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => check(
            1,
            ITEM_1,
            Outcome::Met,
            format!(
                "The page opens with a summary saying what it is about: {}.",
                quote(s, 90)
            ),
        ),
        None => check(
            1,
            ITEM_1,
            Outcome::NotMet,
            "There is no summary under the title to say what the material is for.".into(),
        ),
    }
}

fn medical_terms(coaching: &Coaching) -> Check {
    let hard = coaching.hard_words();
    if hard.is_empty() {
        return check(
            4,
            ITEM_4,
            Outcome::Met,
            "Every hard or medical word the coaching knows is explained where it is first used, or not used.".into(),
        );
    }
    let named: Vec<String> = hard
        .iter()
        .take(5)
        .map(|h| format!("“{}” (try “{}”)", h.term, h.plain))
        .collect();
    let more = if hard.len() > 5 {
        format!(" and {} more", hard.len() - 5)
    } else {
        String::new()
    };
    check(
        4,
        ITEM_4,
        Outcome::NotMet,
        format!(
            "{} not explained where first used: {}{more}.",
            plural(hard.len(), "hard word is", "hard words are"),
            named.join(", ")
        ),
    )
}

fn active_voice(sentences: &[Sentence<'_>]) -> Check {
    let total = sentences.len();
    if total == 0 {
        return check(
            5,
            ITEM_5,
            Outcome::NotApplicable,
            "The text has no sentences.".into(),
        );
    }
    let passive: Vec<&Sentence<'_>> = sentences.iter().filter(|s| s.passive).collect();
    let active = total - passive.len();
    let share = active as f64 / total as f64;
    let example = passive
        .first()
        .map(|s| format!(", e.g. {}", quote(s.text, 70)))
        .unwrap_or_default();
    let reason = format!(
        "{} of {total} sentences {} passive ({}% active, at least {}% needed){example}.",
        passive.len(),
        if passive.len() == 1 { "is" } else { "are" },
        percent(active, total),
        (ACTIVE_SHARE * 100.0) as usize
    );
    let outcome = if share >= ACTIVE_SHARE {
        Outcome::Met
    } else {
        Outcome::NotMet
    };
    check(5, ITEM_5, outcome, reason)
}

/// The percentages and fractions written in `text`: "25%", "25 percent", "per cent", "1/3", "½",
/// "one third", "two thirds", "a quarter", "three quarters". A date such as 2/12/2026 is not a
/// fraction.
pub fn unclear_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let b = text.as_bytes();
    let digits_before = |mut at: usize| {
        while at > 0 && (b[at - 1].is_ascii_digit() || b[at - 1] == b'.') {
            at -= 1;
        }
        at
    };
    let digits_after = |mut at: usize| {
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        at
    };
    for (i, c) in text.char_indices() {
        if c == '%' {
            let mut start = i;
            if start > 0 && b[start - 1] == b' ' {
                start -= 1;
            }
            let start = match digits_before(start) {
                s if s < start => s,
                _ => i,
            };
            found.push(text[start..=i].trim().to_string());
        } else if matches!(c, '\u{00BC}'..='\u{00BE}' | '\u{2150}'..='\u{215E}') {
            found.push(c.to_string());
        } else if c == '/' {
            let start = digits_before(i);
            let end = digits_after(i + 1);
            let whole = start < i && end > i + 1;
            let date = (start > 0 && b[start - 1] == b'/') || b.get(end) == Some(&b'/');
            if whole && !date {
                found.push(text[start..end].to_string());
            }
        }
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| words[p]);
        match *w {
            "percent" | "percentage" | "percentages" => match prev {
                Some(n) if n.chars().all(|c| c.is_ascii_digit()) => found.push(format!("{n} {w}")),
                _ => found.push((*w).to_string()),
            },
            "cent" if prev == Some("per") => match i.checked_sub(2).map(|p| words[p]) {
                Some(n) if n.chars().all(|c| c.is_ascii_digit()) => {
                    found.push(format!("{n} per cent"))
                }
                _ => found.push("per cent".into()),
            },
            "third" | "thirds" | "quarter" | "quarters" | "fifth" | "fifths"
                if prev.is_some_and(|p| matches!(p, "a" | "one" | "two" | "three" | "four")) =>
            {
                found.push(format!("{} {w}", prev.unwrap_or_default()));
            }
            "two-thirds" | "one-third" | "three-quarters" | "one-quarter" => {
                found.push((*w).to_string())
            }
            _ => {}
        }
    }
    found
}

fn numbers(text: &str, blocks: &[Range<usize>]) -> Check {
    let mut unclear = Vec::new();
    let mut has_numbers = false;
    for block in blocks {
        let t = &text[block.clone()];
        has_numbers |= t.bytes().any(|b| b.is_ascii_digit());
        unclear.extend(unclear_numbers(t));
    }
    if unclear.is_empty() && !has_numbers {
        return check(
            6,
            ITEM_6,
            Outcome::NotApplicable,
            "The text has no numbers.".into(),
        );
    }
    if unclear.is_empty() {
        return check(
            6,
            ITEM_6,
            Outcome::Met,
            "Numbers are written as whole numbers or counts (\"1 in 3\"), with no percentages or fractions.".into(),
        );
    }
    let mut seen = HashSet::new();
    let named: Vec<String> = unclear
        .iter()
        .filter(|u| seen.insert(u.as_str()))
        .take(5)
        .map(|u| format!("“{u}”"))
        .collect();
    check(
        6,
        ITEM_6,
        Outcome::NotMet,
        format!(
            "{} to work out: {} (write counts such as \"1 in 4\" instead).",
            plural(
                unclear.len(),
                "percentage or fraction asks the reader",
                "percentages or fractions ask the reader"
            ),
            named.join(", ")
        ),
    )
}

fn heading_name(headings: &[Heading], index: Option<usize>) -> String {
    match index.and_then(|i| headings.get(i)) {
        Some(h) => format!("“{}”", h.text.trim()),
        None => "The text before the first heading".into(),
    }
}

fn short_sections(body: &Rendered, very_short: bool) -> Check {
    if very_short {
        return check(
            8,
            ITEM_8,
            Outcome::NotApplicable,
            format!("Very short material ({VERY_SHORT_BLOCKS} paragraphs or fewer)."),
        );
    }
    // Each care card is a boxed chunk under a heading of its own: its words are not counted in the
    // section around it, and count as a chunk of their own. A card is found by its first line, which
    // is a block of the text (looked up, in order, so this stays linear in the text's length).
    let mut blocks_at: HashMap<&str, Vec<usize>> = HashMap::new();
    for section in &body.sections {
        let mut at = section.text.start;
        for block in body.section_text(section).split("\n\n") {
            blocks_at.entry(block.trim()).or_default().push(at);
            at += block.len() + 2;
        }
    }
    let mut in_cards = vec![0usize; body.sections.len()];
    let mut cards: Vec<(usize, &str)> = Vec::new();
    let mut cursor = 0;
    for card in &body.card_texts {
        let first = card
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default();
        let words = Readability::of(card).words;
        cards.push((words, first));
        let Some(starts) = blocks_at.get(first).filter(|_| !first.is_empty()) else {
            continue;
        };
        let Some(&at) = starts.get(starts.partition_point(|&s| s < cursor)) else {
            continue;
        };
        cursor = at;
        let section = body.sections.partition_point(|s| s.text.end <= at);
        if let Some(n) = in_cards.get_mut(section) {
            *n += words;
        }
    }
    let mut chunks: Vec<(String, usize)> = body
        .sections
        .iter()
        .zip(&in_cards)
        .map(|(s, in_cards)| {
            let words = Readability::of(body.section_text(s))
                .words
                .saturating_sub(*in_cards);
            (heading_name(&body.headings, s.heading), words)
        })
        .collect();
    chunks.extend(
        cards
            .iter()
            .map(|(words, first)| (format!("The care card {}", quote(first, 40)), *words)),
    );
    let long: Vec<&(String, usize)> = chunks
        .iter()
        .filter(|(_, words)| *words > MAX_SECTION_WORDS)
        .collect();
    if long.is_empty() {
        let longest = chunks.iter().map(|(_, w)| *w).max().unwrap_or(0);
        return check(
            8,
            ITEM_8,
            Outcome::Met,
            format!(
                "{}{}, the longest {longest} words (at most {MAX_SECTION_WORDS} without a heading).",
                plural(body.sections.len(), "section", "sections"),
                match cards.len() {
                    0 => String::new(),
                    n => format!(" and {}", plural(n, "care card", "care cards")),
                },
            ),
        );
    }
    let named: Vec<String> = long
        .iter()
        .map(|(name, words)| format!("{name} ({words} words)"))
        .collect();
    check(
        8,
        ITEM_8,
        Outcome::NotMet,
        format!(
            "{} more than {MAX_SECTION_WORDS} words without a heading or subheading: {}.",
            plural(long.len(), "section runs", "sections run"),
            named.join(", ")
        ),
    )
}

/// Whether a heading says nothing of what its section holds: "Introduction", "Overview", "Other",
/// "More", "More information", "Information", "Miscellaneous", "Details", "Background", "General",
/// "Notes", "Section 2", "Part II", "Chapter 3", or only a number.
/// A heading's words, lower case, without a leading "the", "a" or "an".
fn heading_words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut words: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if matches!(words.first().map(String::as_str), Some("the" | "a" | "an")) {
        words.remove(0);
    }
    words
}

pub fn is_generic_heading(text: &str) -> bool {
    const GENERIC: &[&str] = &[
        "introduction",
        "intro",
        "overview",
        "other",
        "others",
        "other information",
        "other info",
        "other things",
        "more",
        "more information",
        "more info",
        "more details",
        "information",
        "info",
        "miscellaneous",
        "misc",
        "details",
        "detail",
        "general",
        "general information",
        "background",
        "notes",
        "note",
        "additional information",
        "further information",
        "extra",
        "extras",
        "contents",
        "content",
        "text",
        "section",
        "part",
        "chapter",
        "topic",
        "faq",
        "faqs",
        "misc information",
    ];
    let words = heading_words(text);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let words: &[&str] = &words;
    if words.is_empty() {
        return true;
    }
    let numbered = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit())
            || w.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
            || (w.len() == 1 && w.chars().all(|c| c.is_ascii_lowercase()))
    };
    if words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit())) {
        return true;
    }
    if matches!(
        words[0],
        "section" | "part" | "chapter" | "topic" | "page" | "step"
    ) && words.len() == 2
        && numbered(words[1])
    {
        return true;
    }
    GENERIC.contains(&words.join(" ").as_str())
}

fn informative_headers(headings: &[Heading], very_short: bool) -> Check {
    if very_short {
        return check(
            9,
            ITEM_9,
            Outcome::NotApplicable,
            format!("Very short material ({VERY_SHORT_BLOCKS} paragraphs or fewer)."),
        );
    }
    if headings.is_empty() {
        return check(
            9,
            ITEM_9,
            Outcome::NotMet,
            "The material has no headings: add ones that say what each part is about.".into(),
        );
    }
    let generic: Vec<String> = headings
        .iter()
        .filter(|h| is_generic_heading(&h.text))
        .map(|h| format!("“{}”", h.text.trim()))
        .collect();
    if generic.is_empty() {
        check(
            9,
            ITEM_9,
            Outcome::Met,
            format!(
                "All {} say what their section is about.",
                plural(headings.len(), "heading", "headings")
            ),
        )
    } else {
        check(
            9,
            ITEM_9,
            Outcome::NotMet,
            format!(
                "{} not say what the section holds: {}.",
                plural(generic.len(), "heading does", "headings do"),
                generic.join(", ")
            ),
        )
    }
}

/// Whether a heading (text, id) heads a summary of key points.
pub fn is_summary_heading(text: &str, id: &str) -> bool {
    const SUMMARY: &[&str] = &[
        "summary",
        "key points",
        "key facts",
        "key messages",
        "key takeaways",
        "takeaways",
        "main points",
        "in short",
        "in brief",
        "in summary",
        "short version",
        "at a glance",
        "quick facts",
        "points to remember",
        "things to remember",
        "what you need to know",
        "bottom line",
        "tl dr",
    ];
    SUMMARY.contains(&heading_words(text).join(" ").as_str())
        || matches!(id, "summary" | "key-points" | "in-short" | "in-brief")
}

fn summary(headings: &[Heading], front: Front<'_>, very_short: bool) -> Check {
    if very_short {
        return check(
            11,
            ITEM_11,
            Outcome::NotApplicable,
            format!("Very short material ({VERY_SHORT_BLOCKS} paragraphs or fewer)."),
        );
    }
    if let Some(h) = headings.iter().find(|h| is_summary_heading(&h.text, &h.id)) {
        return check(
            11,
            ITEM_11,
            Outcome::Met,
            format!("The section “{}” sums up the key points.", h.text.trim()),
        );
    }
    if front.own_summary {
        return check(
            11,
            ITEM_11,
            Outcome::Met,
            "No summary section, but the wording's own front-matter summary is shown at the top."
                .into(),
        );
    }
    check(
        11,
        ITEM_11,
        Outcome::NotMet,
        "No section sums up the key points (e.g. a heading \"Key points\" or \"The short version\")."
            .into(),
    )
}

fn actions(sentences: &[Sentence<'_>], in_list: &[bool]) -> Vec<Check> {
    let acts: Vec<&Sentence<'_>> = sentences.iter().filter(|s| s.action.is_some()).collect();
    let indirect: Vec<&&Sentence<'_>> = acts
        .iter()
        .filter(|s| s.action == Some(Action::Indirect))
        .collect();
    let total = sentences.len();
    let to_reader = sentences.iter().filter(|s| s.to_reader).count();
    let mut out = Vec::new();
    // 20
    out.push(match acts.first() {
        None => check(
            20,
            ITEM_20,
            Outcome::NotMet,
            "No sentence tells the reader what they can do (e.g. \"Call your doctor if …\", \"You can …\")."
                .into(),
        ),
        Some(first) => check(
            20,
            ITEM_20,
            Outcome::Met,
            format!(
                "{} what to do, e.g. {}.",
                plural(acts.len(), "sentence says", "sentences say"),
                quote(first.text, 70)
            ),
        ),
    });
    // 21
    let share = percent(to_reader, total);
    let reader = format!(
        "{to_reader} of {total} sentences ({share}%) speak to the reader (\"you\", \"your\" or an instruction)"
    );
    out.push(if acts.is_empty() {
        check(
            21,
            ITEM_21,
            Outcome::NotMet,
            format!("No actions are described; {reader}."),
        )
    } else if indirect.len() as f64 > acts.len() as f64 * 0.2 {
        check(
            21,
            ITEM_21,
            Outcome::NotMet,
            format!(
                "{} of {} actions are not put to the reader, e.g. {}; {reader}.",
                indirect.len(),
                acts.len(),
                quote(indirect[0].text, 60)
            ),
        )
    } else if (to_reader as f64) < total as f64 * READER_SHARE {
        check(
            21,
            ITEM_21,
            Outcome::NotMet,
            format!(
                "Only {reader}: at least {}% should.",
                (READER_SHARE * 100.0) as usize
            ),
        )
    } else {
        check(21, ITEM_21, Outcome::Met, format!("{reader}."))
    });
    // 22
    out.push(if acts.is_empty() {
        check(
            22,
            ITEM_22,
            Outcome::NotApplicable,
            "No actions to break into steps.".into(),
        )
    } else if acts.len() < SEVERAL_ACTIONS {
        check(
            22,
            ITEM_22,
            Outcome::Met,
            format!(
                "{}: short enough without steps.",
                plural(acts.len(), "action", "actions")
            ),
        )
    } else {
        let listed = acts
            .iter()
            .filter(|s| in_list.get(s.block).copied().unwrap_or(false))
            .count();
        // Sentences come in block order: count each paragraph's actions as a run.
        let mut per_paragraph: Vec<(usize, usize)> = Vec::new();
        for s in acts
            .iter()
            .filter(|s| !in_list.get(s.block).copied().unwrap_or(false))
        {
            match per_paragraph.last_mut() {
                Some((b, n)) if *b == s.block => *n += 1,
                _ => per_paragraph.push((s.block, 1)),
            }
        }
        let crowded = per_paragraph
            .iter()
            .find(|(_, n)| *n > MAX_ACTIONS_IN_PARAGRAPH);
        if listed == 0 {
            check(
                22,
                ITEM_22,
                Outcome::NotMet,
                format!(
                    "{} actions, none of them in numbered steps or a list.",
                    acts.len()
                ),
            )
        } else if let Some(&(block, n)) = crowded {
            let first = acts
                .iter()
                .find(|s| s.block == block)
                .map(|s| quote(s.text, 50))
                .unwrap_or_default();
            check(
                22,
                ITEM_22,
                Outcome::NotMet,
                format!(
                    "One paragraph holds {n} actions (more than {MAX_ACTIONS_IN_PARAGRAPH}), starting {first}: make them steps."
                ),
            )
        } else {
            check(
                22,
                ITEM_22,
                Outcome::Met,
                format!(
                    "{listed} of {} actions are in steps or lists, and no paragraph holds more than {MAX_ACTIONS_IN_PARAGRAPH}.",
                    acts.len()
                ),
            )
        }
    });
    out
}

/// Forms of "be" that start a passive ("is given", "was not found", "have been shown").
const BE: &[&str] = &[
    "am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't",
];

/// Words that may stand between "be" and its participle ("is not given", "are often used").
const BETWEEN: &[&str] = &[
    "not",
    "never",
    "often",
    "usually",
    "also",
    "only",
    "then",
    "still",
    "always",
    "sometimes",
    "mostly",
    "rarely",
    "generally",
    "commonly",
    "just",
    "already",
    "now",
    "being",
    "been",
    "first",
    "widely",
    "once",
    "all",
];

/// Common irregular past participles.
const IRREGULAR: &[&str] = &[
    "given",
    "taken",
    "known",
    "seen",
    "done",
    "made",
    "found",
    "told",
    "shown",
    "written",
    "kept",
    "held",
    "left",
    "brought",
    "thought",
    "meant",
    "sent",
    "spent",
    "built",
    "broken",
    "chosen",
    "driven",
    "eaten",
    "fallen",
    "forgotten",
    "gotten",
    "hidden",
    "drawn",
    "grown",
    "thrown",
    "begun",
    "sold",
    "bought",
    "caught",
    "taught",
    "fed",
    "understood",
    "withdrawn",
    "forbidden",
    "spoken",
    "worn",
    "torn",
    "beaten",
    "bitten",
    "bound",
    "dealt",
    "felt",
    "heard",
    "laid",
    "led",
    "paid",
    "put",
    "said",
    "set",
    "cut",
    "shut",
    "struck",
    "stuck",
    "undergone",
    "overtaken",
    "ridden",
    "shaken",
    "stolen",
    "sworn",
    "woken",
    "won",
    "got",
];

/// Words ending in "-ed" that, after "be", are adjectives ("is tired", "are worried") or not verbs.
const NOT_PARTICIPLES: &[&str] = &[
    "tired",
    "worried",
    "scared",
    "frightened",
    "interested",
    "pleased",
    "concerned",
    "confused",
    "married",
    "bored",
    "excited",
    "surprised",
    "embarrassed",
    "ashamed",
    "relaxed",
    "stressed",
    "depressed",
    "supposed",
    "related",
    "aged",
    "advanced",
    "detailed",
    "experienced",
    "qualified",
    "skilled",
    "prepared",
    "hundred",
    "indeed",
    "naked",
    "wicked",
    "sacred",
    "beloved",
    "ragged",
    "exhausted",
    "overweight",
    "dehydrated",
    "pregnant",
];

fn is_participle(word: &str) -> bool {
    if IRREGULAR.contains(&word) {
        return true;
    }
    word.len() >= 5
        && word.ends_with("ed")
        && !word.starts_with("un")
        && word.chars().all(|c| c.is_ascii_lowercase())
        && !NOT_PARTICIPLES.contains(&word)
}

/// Whether a sentence (its words, lower case) is in the passive voice: a form of "be" ("is", "are",
/// "was", "were", "be", "been", "being", "isn't" …) followed, directly or past one or two words such
/// as "not", "often" or "also", by a past participle: a regular "-ed" form of five letters or more,
/// or one of the common irregular ones ("given", "taken", "known", "shown", "made" …). Adjectives
/// after "be" ("is tired", "are worried", "is related") and words starting "un-" ("is untreated")
/// are not counted; nor is the "get" passive ("get seen").
///
/// Written by hand: no well-kept Rust library detects the passive voice (this needs no part-of-speech
/// tagger, and errs on the side of missing a passive rather than inventing one).
pub fn is_passive(words: &[String]) -> bool {
    for (i, w) in words.iter().enumerate() {
        if !BE.contains(&w.as_str()) {
            continue;
        }
        let mut j = i + 1;
        let mut skipped = 0;
        while let Some(next) = words.get(j) {
            if is_participle(next) {
                return true;
            }
            if skipped < 2 && BETWEEN.contains(&next.as_str()) {
                skipped += 1;
                j += 1;
                continue;
            }
            break;
        }
    }
    false
}

/// Verbs that start an instruction ("Call …", "Take …", "Stop …").
const IMPERATIVES: &[&str] = &[
    "call",
    "phone",
    "ring",
    "take",
    "stop",
    "ask",
    "tell",
    "see",
    "get",
    "go",
    "keep",
    "make",
    "try",
    "stretch",
    "rub",
    "massage",
    "stand",
    "walk",
    "eat",
    "drink",
    "avoid",
    "use",
    "check",
    "book",
    "talk",
    "speak",
    "read",
    "look",
    "wash",
    "wear",
    "rest",
    "sit",
    "lie",
    "put",
    "give",
    "bring",
    "write",
    "find",
    "choose",
    "start",
    "follow",
    "learn",
    "visit",
    "contact",
    "seek",
    "do",
    "don't",
    "let",
    "show",
    "store",
    "throw",
    "wait",
    "watch",
    "limit",
    "cut",
    "quit",
    "plan",
    "record",
    "remember",
    "mention",
    "carry",
    "raise",
    "lift",
    "move",
    "bend",
    "hold",
    "breathe",
    "sleep",
    "apply",
    "measure",
    "weigh",
    "discuss",
    "report",
    "return",
    "consider",
    "aim",
    "join",
    "share",
    "increase",
    "reduce",
    "lower",
    "switch",
    "swap",
    "pull",
    "push",
    "press",
    "elevate",
    "be",
    "never",
    "note",
    "protect",
    "dry",
    "moisturise",
    "moisturize",
    "trim",
    "cover",
    "warm",
    "cool",
    "test",
    "write",
    "list",
    "bring",
    "prepare",
    "arrange",
    "exercise",
    "build",
    "set",
    "come",
];

/// Words that may open a sentence before its instruction ("Then call …", "Please ask …").
const OPENERS: &[&str] = &[
    "then", "also", "please", "always", "now", "just", "first", "next", "finally", "so", "and",
    "but", "instead", "again",
];

/// Words that open a clause before the instruction, after a comma ("If it hurts, call …").
const SUBORDINATE: &[&str] = &[
    "if",
    "when",
    "during",
    "before",
    "after",
    "while",
    "once",
    "until",
    "for",
    "to",
    "in",
    "at",
    "each",
    "every",
    "with",
    "whenever",
    "unless",
    "instead",
    "otherwise",
    "meanwhile",
    "as",
    "whatever",
    "whether",
    "on",
    "from",
    "within",
];

/// "You" phrases that tell the reader what they can do.
const YOU_PHRASES: &[&[&str]] = &[
    &["you", "should"],
    &["you", "can"],
    &["you", "could"],
    &["you", "must"],
    &["you", "need", "to"],
    &["you", "may", "want"],
    &["you", "might", "want"],
    &["you", "may", "need"],
    &["you", "will", "need"],
    &["you", "have", "to"],
    &["you", "ought"],
    &["it's", "best", "to"],
    &["it", "is", "best", "to"],
];

/// Phrases that put an action to someone other than the reader.
const INDIRECT_PHRASES: &[&[&str]] = &[
    &["patients", "should"],
    &["patients", "must"],
    &["patients", "need", "to"],
    &["people", "should"],
    &["people", "must"],
    &["the", "patient", "should"],
    &["users", "should"],
    &["should", "be", "taken"],
    &["should", "be", "given"],
    &["should", "be", "used"],
    &["should", "be", "avoided"],
    &["should", "be", "stopped"],
    &["must", "be", "taken"],
    &["is", "recommended"],
    &["are", "recommended"],
    &["are", "advised"],
    &["is", "advised"],
];

fn contains_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len()
        && words
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

fn is_instruction_at(words: &[String], mut i: usize) -> bool {
    let mut openers = 0;
    while let Some(w) = words.get(i) {
        if openers < 2 && OPENERS.contains(&w.as_str()) && i + 1 < words.len() {
            openers += 1;
            i += 1;
            continue;
        }
        return IMPERATIVES.contains(&w.as_str());
    }
    false
}

/// Whether a sentence (its words, lower case) asks the reader to act, and how: directly when it is
/// an instruction (it starts, maybe after "Then" or "Please", or after an opening clause such as
/// "If it hurts," with a verb of [`IMPERATIVES`]: "Call your doctor", "Do not stop", "Ask a
/// pharmacist") or says what "you should / can / need to" do; indirectly when it says what "patients
/// should" do or what "should be taken". A heuristic: "Rest is good" reads as an instruction.
fn action_of(words: &[String]) -> Option<Action> {
    if is_instruction_at(words, 0) || YOU_PHRASES.iter().any(|p| contains_phrase(words, p)) {
        return Some(Action::Direct);
    }
    INDIRECT_PHRASES
        .iter()
        .any(|p| contains_phrase(words, p))
        .then_some(Action::Indirect)
}

/// [`action_of`] for a sentence as written: also an instruction after an opening clause and its comma
/// ("If it hurts, call …"), or after a short label and its colon ("Emergency: Call …", as care cards
/// begin).
fn action_in(sentence: &str) -> Option<Action> {
    let lower = sentence.replace('’', "'").to_lowercase();
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let words = split(&lower);
    if let Some(a) = action_of(&words) {
        return Some(a);
    }
    if words
        .first()
        .is_some_and(|w| SUBORDINATE.contains(&w.as_str()))
        && let Some((_, rest)) = lower.split_once(',')
        && is_instruction_at(&split(rest), 0)
    {
        return Some(Action::Direct);
    }
    // A label before a colon ("Emergency: Call …", "Urgent advice: Call …", "Tip: drink …").
    if let Some((label, rest)) = lower.split_once(':')
        && (1..=3).contains(&split(label).len())
        && is_instruction_at(&split(rest), 0)
    {
        return Some(Action::Direct);
    }
    None
}

/// The key a list item's text is matched on: its first letters and digits, lower case, citations
/// (`[@key]`) left out, as in the rendered text.
fn key_of(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("[@") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find(']').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .take(60)
        .collect()
}

/// The keys ([`key_of`]) of the list items of a Markdown source.
fn list_item_keys(source: &str) -> HashSet<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut keys = HashSet::new();
    let mut stack: Vec<String> = Vec::new();
    for event in Parser::new_ext(source, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Item) => stack.push(String::new()),
            Event::End(TagEnd::Item) => {
                if let Some(item) = stack.pop() {
                    let key = key_of(&item);
                    if !key.is_empty() {
                        keys.insert(key);
                    }
                }
            }
            Event::Start(Tag::List(_)) => {
                // A nested list starts a new item: what the outer one said so far is its own block.
                if let Some(top) = stack.last_mut() {
                    let key = key_of(top);
                    if !key.is_empty() {
                        keys.insert(key);
                    }
                    top.clear();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(top) = stack.last_mut() {
                    top.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(top) = stack.last_mut() {
                    top.push(' ');
                }
            }
            _ => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::{PlainWords, coach};
    use crate::markdown::render;

    fn words(s: &str) -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(|w| w.replace('’', "'").to_lowercase())
            .collect()
    }

    fn assess_text(markdown: &str) -> Pemat {
        let (body, problems) = render(markdown, &|_| true);
        assert!(problems.is_empty(), "{problems:?}");
        let coaching = coach(&body, &PlainWords::built_in(), Some(8.0));
        assess(
            markdown,
            &body,
            &coaching,
            Front {
                summary: Some("What to do about cramps."),
                own_summary: false,
            },
        )
    }

    fn outcome(p: &Pemat, item: u8) -> Outcome {
        p.item(item).unwrap().outcome
    }

    #[test]
    fn pemat_care_cards_are_chunks_of_their_own() {
        let item = "you feel your leg go cold and pale and numb all at once";
        let items: String = (0..8).map(|_| format!("> - {item}\n")).collect();
        let intro = "You can walk a little further each day. ".repeat(8);
        let source = format!(
            "## Walking\n\n{intro}\n\n## When to get help\n\n{intro}\n\n> [!EMERGENCY]\n> Call emergency services now if:\n>\n{items}\n\nAsk us."
        );
        let p = assess_text(&source);
        let c = p.item(8).unwrap();
        assert_eq!(c.outcome, Outcome::Met, "{}", c.reason);
        assert!(c.reason.contains("and 1 care card"), "{}", c.reason);
        let long: String = (0..14).map(|_| format!("> - {item}\n")).collect();
        let p = assess_text(&source.replace(&items, &long));
        let c = p.item(8).unwrap();
        assert_eq!(c.outcome, Outcome::NotMet, "{}", c.reason);
        assert!(c.reason.contains("The care card “you feel"), "{}", c.reason);
        assert!(!c.reason.contains("When to get help"), "{}", c.reason);
    }

    #[test]
    fn pemat_never_panics_on_odd_text() {
        let alphabet: Vec<char> = "ae iou.%/1 2½-'’\n\n#[@]()is given you call Introduction 中é,"
            .chars()
            .collect();
        let mut next = crate::pseudo_random(0x5eed_0f9e_3a00);
        for _ in 0..1500 {
            let len = (next() % 200) as usize;
            let source: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let (body, _) = render(&source, &|_| true);
            let coaching = coach(&body, &PlainWords::built_in(), Some(8.0));
            let p = assess(&source, &body, &coaching, Front::default());
            assert_eq!(p.checks.len(), 10, "{source:?}");
            assert!(p.checks.iter().all(|c| !c.reason.is_empty()), "{source:?}");
        }
    }

    #[test]
    fn pemat_passive_sentences_are_found() {
        for passive in [
            "Quinine was once given to many people.",
            "The dose is not increased.",
            "It has been shown to help.",
            "Other causes must be ruled out first.",
            "Baclofen is licensed for stiff muscles.",
            "This is called peripheral artery disease.",
            "The pills are often taken at night.",
            "Medicine should be taken at mealtimes.",
        ] {
            assert!(is_passive(&words(passive)), "{passive}");
        }
        for active in [
            "Stretch the muscle.",
            "You are tired.",
            "I am worried about it.",
            "Your leg is red and swollen.",
            "It is most often in the calf.",
            "A cramp is a muscle that tightens hard.",
            "The risk is related to the dose.",
            "Cramps are more common if you are pregnant.",
            "The pain is untreated.",
            "Get seen the same day.",
            "They needed help.",
        ] {
            assert!(!is_passive(&words(active)), "{active}");
        }
    }

    #[test]
    fn pemat_generic_headings_are_named() {
        for generic in [
            "Introduction",
            "Other",
            "More",
            "More information",
            "Information",
            "Overview",
            "Miscellaneous",
            "Details",
            "Section 2",
            "Part II",
            "The Introduction:",
            "3",
        ] {
            assert!(is_generic_heading(generic), "{generic}");
        }
        for informative in [
            "What leg cramps are",
            "When to get help",
            "More about quinine",
            "Other causes of leg pain",
            "Tests",
            "The short version",
            "Step 1: stretch",
        ] {
            assert!(!is_generic_heading(informative), "{informative}");
        }
        let p = assess_text(
            "## Introduction\n\nStretch your calf.\n\n## Other\n\nWalk about.\n\n## When to get help\n\nCall us.",
        );
        let check = p.item(9).unwrap();
        assert_eq!(check.outcome, Outcome::NotMet);
        assert!(
            check.reason.contains("“Introduction”") && check.reason.contains("“Other”"),
            "{}",
            check.reason
        );
        assert!(
            !check.reason.contains("When to get help"),
            "{}",
            check.reason
        );
    }

    #[test]
    fn pemat_percentages_and_fractions_are_flagged_and_counts_are_not() {
        assert_eq!(
            unclear_numbers(
                "About 25% of people, 10 percent, 5 per cent, 1/3 of them, ½ a dose, two thirds."
            ),
            ["25%", "1/3", "½", "10 percent", "5 per cent", "two thirds"]
        );
        assert!(unclear_numbers("Up to 6 in 10 adults. Take 10 mg a day on 2/12/2026.").is_empty());
        let p = assess_text(
            "You can stretch. 1 in 3 people get cramps.\n\nMore text here.\n\nAnd more.",
        );
        assert_eq!(outcome(&p, 6), Outcome::Met);
        let p = assess_text("You can stretch. 30% of people get cramps.\n\nMore.\n\nMore again.");
        assert_eq!(outcome(&p, 6), Outcome::NotMet);
        assert!(p.item(6).unwrap().reason.contains("“30%”"));
        let p = assess_text("You can stretch your calf.");
        assert_eq!(outcome(&p, 6), Outcome::NotApplicable);
    }

    #[test]
    fn pemat_actions_are_found_directly_put_and_listed() {
        for direct in [
            "Call your doctor.",
            "Do not stop a medicine on your own.",
            "Then ask a pharmacist.",
            "If the aches are mild, keep taking your statin.",
            "During a cramp, stretch the muscle.",
            "You should rest.",
            "You can find it at your drugstore.",
            "Emergency: Call emergency services now if:",
            "Urgent advice: Call your liver team now if:",
        ] {
            assert_eq!(action_in(direct), Some(Action::Direct), "{direct}");
        }
        for indirect in [
            "Patients should arrange a ride home.",
            "Medicine should be taken at mealtimes.",
        ] {
            assert_eq!(action_in(indirect), Some(Action::Indirect), "{indirect}");
        }
        for none in [
            "Physical activity increases your chances of a longer life.",
            "Most cramps last a few seconds.",
            "In the UK, a doctor may still offer it.",
        ] {
            assert_eq!(action_in(none), None, "{none}");
        }
        // Steps: met; the same actions in one paragraph: not met.
        let p = assess_text(
            "## During a cramp\n\n1. Stretch the muscle.\n2. Rub it.\n3. Stand up and walk.\n4. Rest.",
        );
        assert_eq!(outcome(&p, 20), Outcome::Met);
        assert_eq!(outcome(&p, 21), Outcome::Met);
        assert_eq!(outcome(&p, 22), Outcome::Met, "{p:?}");
        let p = assess_text(
            "## During a cramp\n\nStretch the muscle. Rub it. Stand up and walk. Rest.\n\nIt helps.\n\nIt does.",
        );
        assert_eq!(outcome(&p, 22), Outcome::NotMet);
        assert!(
            p.item(22)
                .unwrap()
                .reason
                .contains("none of them in numbered steps or a list")
        );
        // No actions: 20 and 21 not met, 22 not applicable.
        let p = assess_text("## Cramps\n\nCramps are common.\n\nThey hurt.\n\nThey pass.");
        assert_eq!(outcome(&p, 20), Outcome::NotMet);
        assert_eq!(outcome(&p, 21), Outcome::NotMet);
        assert_eq!(outcome(&p, 22), Outcome::NotApplicable);
        // Indirect actions: 20 met, 21 not.
        let p = assess_text(
            "## Cramps\n\nPatients should stretch.\n\nPatients should rest.\n\nThey pass.",
        );
        assert_eq!(outcome(&p, 20), Outcome::Met);
        assert_eq!(outcome(&p, 21), Outcome::NotMet);
        assert!(
            p.item(21)
                .unwrap()
                .reason
                .contains("2 of 2 actions are not put to the reader")
        );
    }

    #[test]
    fn pemat_active_voice_reason_counts_sentences() {
        let p = assess_text(
            "## Cramps\n\nQuinine was given to many. Doses were increased. Stretch your calf. Walk about. Rest.",
        );
        let c = p.item(5).unwrap();
        assert_eq!(c.outcome, Outcome::NotMet);
        assert!(
            c.reason
                .starts_with("2 of 5 sentences are passive (60% active"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn pemat_sections_summary_and_terms() {
        let long = "You can walk a little further each day. ".repeat(20);
        let p = assess_text(&format!(
            "## Key points\n\n- Walk.\n\n## Walking\n\n{long}\n\n## Help\n\nAsk your physician."
        ));
        assert_eq!(outcome(&p, 11), Outcome::Met);
        assert_eq!(outcome(&p, 8), Outcome::NotMet);
        assert!(
            p.item(8).unwrap().reason.contains("“Walking” (160 words)"),
            "{:?}",
            p.item(8)
        );
        assert_eq!(outcome(&p, 4), Outcome::NotMet);
        assert!(
            p.item(4)
                .unwrap()
                .reason
                .contains("“physician” (try “doctor”)")
        );
        assert_eq!(p.checks.len(), 10);
        assert_eq!(
            p.checks.iter().map(|c| c.item).collect::<Vec<_>>(),
            [1, 4, 5, 6, 8, 9, 11, 20, 21, 22]
        );
        let p = assess_text("Stretch your calf.");
        assert_eq!(outcome(&p, 8), Outcome::NotApplicable);
        assert_eq!(outcome(&p, 11), Outcome::NotApplicable);
        assert!(p.summary().contains("not applicable"), "{}", p.summary());
    }
}
