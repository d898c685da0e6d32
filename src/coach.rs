//! Plain-language coaching for editors: the sentences that push a wording's reading grade above its
//! audience's target (long ones, and ones with many words of three or more syllables), the words that
//! have plainer alternatives, and the reading grade of each section.
//!
//! A wording is coached once, when the content loads (see [`crate::content::Wording::coaching`]), and
//! the sandbox coaches what is pasted into it. The word list is [`PlainWords`]: the one built in
//! (`src/plain-words.toml`) with a site's own `plain-words.toml` merged over it. Medical terms that
//! must stay are not flagged once the text explains them ("liver scarring (cirrhosis)", "baclofen, a
//! muscle relaxer"), nor ever when the site lists them as kept terms. A wording without a target (a
//! professional one) is measured section by section but not coached toward plain words.
//!
//! Sentences and words follow the rules of [`crate::readability`], so the counts here add up to the
//! grades shown beside them.
//!
//! A coached wording is also given its PEMAT pre-checks ([`pemat`]): the items of AHRQ's Patient
//! Education Materials Assessment Tool a program can judge, worked out from the same sentences and
//! hard words.

pub mod pemat;

use crate::markdown::{Heading, Rendered};
use crate::readability::{Readability, syllables};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

/// The word list built into healthpress.
pub const BUILT_IN_LIST: &str = include_str!("plain-words.toml");

/// Most words a term (a hard word or a kept term) may have.
pub const MAX_TERM_WORDS: usize = 5;
/// Most characters in a term.
pub const MAX_TERM_CHARS: usize = 60;
/// Most characters in a plainer alternative.
pub const MAX_PLAIN_CHARS: usize = 80;
/// Most entries a `plain-words.toml` may hold (words and kept terms each).
pub const MAX_ENTRIES: usize = 5_000;

/// `plain-words.toml`, the built-in list's and a site's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlainWordsFile {
    /// Hard word or phrase -> what to write instead.
    #[serde(default)]
    pub words: BTreeMap<String, String>,
    /// Terms never flagged: medical terms the site's articles must use (drug names, conditions).
    #[serde(default)]
    pub kept_terms: Vec<String>,
}

/// Hard words with plainer alternatives, and terms to keep, as the coach looks them up.
#[derive(Debug, Clone, Default)]
pub struct PlainWords {
    /// Lower-case term -> plainer alternative.
    words: HashMap<String, String>,
    kept: HashSet<String>,
    /// Every form of every term, and every beginning of a term of more than one word, as the coach
    /// looks words up: one look-up a word (see [`PlainWords::reindex`]).
    index: HashMap<String, Indexed>,
    /// A Spanish list: its terms' other forms are Spanish plurals.
    spanish: bool,
}

/// What a word or words are to the coach.
#[derive(Debug, Clone, Default)]
struct Indexed {
    /// The term they are (a form of): the term, and its plainer alternative (`None`: kept).
    term: Option<(String, Option<String>)>,
    /// Whether a longer term starts with them ("in" and "in order", for "in order to").
    prefix: bool,
}

static BUILT_IN: LazyLock<Arc<PlainWords>> = LazyLock::new(|| Arc::new(parse_built_in().0));

/// The Spanish starter list built into healthpress: the commonest hard medical words in Spanish
/// with plainer ones, written for the project.
const BUILT_IN_SPANISH: &str = include_str!("plain-words.es.toml");

static BUILT_IN_ES: LazyLock<Arc<PlainWords>> =
    LazyLock::new(|| Arc::new(parse_list(BUILT_IN_SPANISH, true).0));

/// The built-in list, and the problems found in it (a test checks there are none).
fn parse_built_in() -> (PlainWords, Vec<String>) {
    parse_list(BUILT_IN_LIST, false)
}

fn parse_list(text: &str, spanish: bool) -> (PlainWords, Vec<String>) {
    let mut list = PlainWords {
        spanish,
        ..PlainWords::default()
    };
    let mut problems = Vec::new();
    match toml::from_str::<PlainWordsFile>(text) {
        Ok(file) => list.merge(file, &mut |m| problems.push(m)),
        Err(e) => problems.push(e.to_string()),
    }
    (list, problems)
}

impl PlainWords {
    /// The list built into healthpress.
    pub fn built_in() -> Arc<PlainWords> {
        BUILT_IN.clone()
    }

    /// The list built into healthpress for the language `lang`, if there is one (English and
    /// Spanish).
    pub fn built_in_for(lang: &str) -> Option<Arc<PlainWords>> {
        match lang.split('-').next().unwrap_or(lang) {
            "en" => Some(BUILT_IN.clone()),
            "es" => Some(BUILT_IN_ES.clone()),
            _ => None,
        }
    }

    /// Adds the entries of `file` over these, telling `problem` about each entry left out and why.
    pub fn merge(&mut self, file: PlainWordsFile, problem: &mut dyn FnMut(String)) {
        if file.words.len() > MAX_ENTRIES || file.kept_terms.len() > MAX_ENTRIES {
            problem(format!(
                "{} [words] and {} kept_terms, over the limit of {MAX_ENTRIES} each: remove some",
                file.words.len(),
                file.kept_terms.len()
            ));
            return;
        }
        let mut kept_here = HashSet::new();
        for term in &file.kept_terms {
            match normalise_term(term) {
                Ok(t) if !kept_here.insert(t.clone()) => {
                    problem(format!("kept term {term:?} is listed twice"));
                }
                Ok(t) => self.add_kept(t),
                Err(why) => problem(format!("kept term {term:?} {why}")),
            }
        }
        for (term, plain) in file.words {
            let term_ok = normalise_term(&term);
            let plain_ok = check_plain(&plain);
            match (term_ok, plain_ok) {
                (Err(why), _) => problem(format!("word {term:?} {why}")),
                (Ok(_), Err(why)) => problem(format!("word {term:?}: its plainer word {why}")),
                (Ok(t), Ok(_)) if kept_here.contains(&t) => problem(format!(
                    "word {term:?} is also a kept term: list it in one place only"
                )),
                (Ok(t), Ok(p)) if p.to_lowercase() == t => {
                    problem(format!("word {term:?}: its plainer word is the same word"))
                }
                (Ok(t), Ok(p)) => self.add_word(t, p),
            }
        }
        self.reindex();
    }

    /// Adds or replaces a hard word (already normalised, see [`normalise_term`]).
    fn add_word(&mut self, term: String, plain: String) {
        self.kept.remove(&term);
        self.words.insert(term, plain);
    }

    /// Adds a kept term (already normalised): it is never flagged, and a hard word of the same name
    /// is dropped.
    fn add_kept(&mut self, term: String) {
        self.words.remove(&term);
        self.kept.insert(term);
    }

    /// Builds the index from the two lists: each term as written first (so a term of its own wins
    /// over another's inflected form), then the other forms of its last word, then the beginnings
    /// of the longer terms.
    fn reindex(&mut self) {
        let mut index: HashMap<String, Indexed> = HashMap::new();
        let terms: Vec<(&String, Option<&String>)> = self
            .kept
            .iter()
            .map(|t| (t, None))
            .chain(self.words.iter().map(|(t, p)| (t, Some(p))))
            .collect();
        let entry = |term: &str, plain: Option<&String>| Indexed {
            term: Some((term.to_string(), plain.cloned())),
            prefix: false,
        };
        for (term, plain) in &terms {
            index.insert(term.to_string(), entry(term, *plain));
        }
        for (term, plain) in &terms {
            let (head, last) = match term.rsplit_once(' ') {
                Some((head, last)) => (format!("{head} "), last),
                None => (String::new(), term.as_str()),
            };
            let forms = if self.spanish {
                spanish_forms_of(last)
            } else {
                forms_of(last)
            };
            for form in forms {
                index
                    .entry(format!("{head}{form}"))
                    .or_insert_with(|| entry(term, *plain));
            }
            for (at, _) in term.match_indices(' ') {
                index.entry(term[..at].to_string()).or_default().prefix = true;
            }
        }
        self.index = index;
    }

    /// Hard words in the list.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Kept terms in the list.
    pub fn kept_len(&self) -> usize {
        self.kept.len()
    }

    /// The plainer alternative for `term` (lower case), if it is a hard word.
    pub fn plain_for(&self, term: &str) -> Option<&str> {
        self.words.get(term).map(String::as_str)
    }

    /// Whether `term` (lower case) is kept.
    pub fn is_kept(&self, term: &str) -> bool {
        self.kept.contains(term)
    }

    /// What the list says of the words `words` (lower case, one term or the beginning of one): kept,
    /// a hard word (with the entry it is a form of), or nothing; and whether a longer term starts
    /// with them.
    fn look_up(&self, words: &str) -> (Lookup<'_>, bool) {
        let found = self.index.get(words).or_else(|| {
            // "physician's" -> "physician"
            words
                .strip_suffix("'s")
                .and_then(|base| self.index.get(base))
        });
        let Some(found) = found else {
            return (Lookup::Neither, false);
        };
        let lookup = match &found.term {
            Some((_, None)) => Lookup::Kept,
            Some((term, Some(plain))) => Lookup::Hard(term, plain),
            None => Lookup::Neither,
        };
        (lookup, found.prefix)
    }
}

/// The other forms of a word the coach finds it in: "administer" -> "administers",
/// "administered", "administering"; "urinate" -> "urinated", "urinating"; "artery" -> "arteries";
/// "occur" -> "occurred", "occurring". A form that is not a word does no harm.
fn forms_of(word: &str) -> Vec<String> {
    let b = word.as_bytes();
    let n = b.len();
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let mut forms = Vec::new();
    if n < 3 || !word.bytes().all(|c| c.is_ascii_lowercase()) {
        return forms;
    }
    if word.ends_with('y') && !vowel(b[n - 2]) {
        let stem = &word[..n - 1];
        forms.extend([format!("{stem}ies"), format!("{stem}ied")]);
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        forms.push(format!("{word}es"));
    } else {
        forms.push(format!("{word}s"));
    }
    if let Some(stem) = word.strip_suffix('e') {
        forms.extend([format!("{word}d"), format!("{stem}ing")]);
    } else {
        forms.extend([format!("{word}ed"), format!("{word}ing")]);
        let last = b[n - 1];
        if !vowel(last) && !matches!(last, b'w' | b'x' | b'y') && vowel(b[n - 2]) {
            let last = last as char;
            forms.extend([format!("{word}{last}ed"), format!("{word}{last}ing")]);
        }
    }
    forms
}

/// The plural of a Spanish word, as the coach finds it: "diurético" -> "diuréticos",
/// "inflamación" -> "inflamaciones", "nariz" -> "narices", "síntoma" -> "síntomas".
fn spanish_forms_of(word: &str) -> Vec<String> {
    let Some(last) = word.chars().last() else {
        return Vec::new();
    };
    if word.chars().count() < 3 || !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let unaccent = |c: char| match c {
        'á' => 'a',
        'é' => 'e',
        'í' => 'i',
        'ó' => 'o',
        'ú' => 'u',
        c => c,
    };
    match last {
        'a' | 'e' | 'i' | 'o' | 'u' | 'á' | 'é' | 'ó' => vec![format!("{word}s")],
        's' | 'x' => Vec::new(),
        'z' => vec![format!("{}ces", &word[..word.len() - 1])],
        _ => {
            // "-ión", "-én", "-ín": the accent goes in the plural ("inflamaciones").
            let chars: Vec<char> = word.chars().collect();
            let n = chars.len();
            let stem: String = if n >= 2 && "áéíóú".contains(chars[n - 2]) {
                chars[..n - 2]
                    .iter()
                    .chain(std::iter::once(&unaccent(chars[n - 2])))
                    .chain(std::iter::once(&chars[n - 1]))
                    .collect()
            } else {
                word.to_string()
            };
            vec![format!("{stem}es")]
        }
    }
}

/// The hard words of `body` with their plainer alternatives from `list`, each with how often it
/// appears (a term the text explains where it uses it is not counted). For wordings whose language
/// the full coaching does not measure (Spanish): the words, without sentence grades.
pub fn hard_words_in(body: &Rendered, list: &PlainWords) -> Vec<HardWord> {
    let text = body.text.as_str();
    let mut scratch = Scratch::default();
    let mut notes = Vec::new();
    let mut explained: HashSet<String> = HashSet::new();
    for block in blocks_of(text, 0) {
        for sentence in sentences_of(text, block.clone()) {
            let words = words_of(text, sentence);
            let mut i = 0;
            while i < words.len() {
                let (n, lookup) = match_term(text, &words, i, list, &mut scratch);
                if let Lookup::Hard(term, plain) = lookup {
                    let range = words[i].start..words[i + n - 1].end;
                    if explained.contains(term) || explains(text, &block, &range) {
                        explained.insert(term.to_string());
                    } else {
                        notes.push(WordNote {
                            text: range,
                            term: term.to_string(),
                            plain: plain.to_string(),
                        });
                    }
                }
                i += n;
            }
        }
    }
    tally(&notes)
}

enum Lookup<'a> {
    Kept,
    Hard(&'a str, &'a str),
    Neither,
}

/// A term as the coach matches it (lower case, words separated by single spaces, `’` written `'`),
/// or why it cannot be one.
pub fn normalise_term(term: &str) -> Result<String, String> {
    let words: Vec<String> = term
        .split_whitespace()
        .map(|w| w.replace('’', "'").to_lowercase())
        .collect();
    let joined = words.join(" ");
    if words.is_empty() {
        return Err("is empty".into());
    }
    if joined.chars().count() > MAX_TERM_CHARS || words.len() > MAX_TERM_WORDS {
        return Err(format!(
            "is too long: at most {MAX_TERM_WORDS} words and {MAX_TERM_CHARS} characters"
        ));
    }
    let word_ok = |w: &str| {
        w.chars()
            .all(|c| c.is_alphanumeric() || c == '\'' || c == '-')
            && w.chars().any(char::is_alphabetic)
            && !w.starts_with(['\'', '-'])
            && !w.ends_with(['\'', '-'])
    };
    if !words.iter().all(|w| word_ok(w)) {
        return Err(
            "must be words of letters and digits (with ' or - inside a word), e.g. \"administer\" or \"prior to\""
                .into(),
        );
    }
    Ok(joined)
}

/// A plainer alternative, trimmed, or why it cannot be one.
pub fn check_plain(plain: &str) -> Result<String, String> {
    let plain = plain.trim();
    if plain.is_empty() {
        Err("is empty".into())
    } else if plain.chars().count() > MAX_PLAIN_CHARS {
        Err(format!("is over {MAX_PLAIN_CHARS} characters"))
    } else if plain.chars().any(char::is_control) {
        Err("contains a line break or control character".into())
    } else {
        Ok(plain.to_string())
    }
}

/// How far a sentence may go before it is flagged, for a target grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Sentences of more words than this are flagged: 20 for grade 8 (2.5 words per grade, between
    /// 15 and 25), the length plain-language guides ask for.
    pub words: usize,
    /// Sentences with this many words of three or more syllables are flagged: the fewest that put
    /// the sentence alone at least 4 grades above the target by SMOG (3 for grade 8).
    pub long_words: usize,
}

impl Limits {
    pub fn for_grade(target: f64) -> Self {
        let words = (target * 2.5).round().clamp(15.0, 25.0) as usize;
        let smog = |p: usize| 1.0430 * (30.0 * p as f64).sqrt() + 3.1291;
        let long_words = (2..=30).find(|&p| smog(p) > target + 4.0).unwrap_or(30);
        Limits { words, long_words }
    }
}

/// Why a sentence is flagged.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// More words than the limit.
    Long { words: usize, limit: usize },
    /// At least the limit of words of three or more syllables (not counting kept or explained
    /// terms): these words.
    LongWords { words: Vec<String> },
}

impl Reason {
    /// The reason in a few words, for editors.
    pub fn describe(&self) -> String {
        match self {
            Reason::Long { words, limit } => {
                format!("{words} words: split it, aim for {limit} or fewer")
            }
            Reason::LongWords { words } => format!(
                "{} words of three or more syllables: {}",
                words.len(),
                words.join(", ")
            ),
        }
    }
}

/// A sentence that pushes the grade up.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceNote {
    /// The sentence: a byte range of the body's text.
    pub text: Range<usize>,
    pub reasons: Vec<Reason>,
}

/// A hard word in the text, with a plainer one.
#[derive(Debug, Clone, PartialEq)]
pub struct WordNote {
    /// The word as written: a byte range of the body's text.
    pub text: Range<usize>,
    /// The list's entry that matched (e.g. "administer" for "administered").
    pub term: String,
    pub plain: String,
}

/// A hard word and how often a text uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct HardWord {
    pub term: String,
    pub plain: String,
    pub count: usize,
}

/// The coaching of one section: the text under one top-level (`##`) heading, subsections included.
#[derive(Debug, Clone, Default)]
pub struct SectionCoaching {
    /// Index of its heading in [`Rendered::headings`]; `None` for the text before the first.
    pub heading: Option<usize>,
    pub readability: Readability,
    /// Its blocks (paragraphs, list items, table cells): byte ranges of the body's text.
    pub blocks: Vec<Range<usize>>,
    /// Sentences that push the grade up, in order (none in a wording not coached).
    pub sentences: Vec<SentenceNote>,
    /// Hard words, in order (none in a wording not coached).
    pub words: Vec<WordNote>,
}

/// A wording's coaching, section by section.
#[derive(Debug, Clone, Default)]
pub struct Coaching {
    /// The grade it was coached toward; `None` when it was only measured (a professional wording).
    pub target: Option<f64>,
    pub sections: Vec<SectionCoaching>,
}

impl Coaching {
    pub fn is_coached(&self) -> bool {
        self.target.is_some()
    }

    /// Sentences flagged in the whole wording.
    pub fn flagged_sentences(&self) -> usize {
        self.sections.iter().map(|s| s.sentences.len()).sum()
    }

    /// The hard words of the whole wording, each once, in order of first use.
    pub fn hard_words(&self) -> Vec<HardWord> {
        tally(self.sections.iter().flat_map(|s| &s.words))
    }
}

impl SectionCoaching {
    /// The section's hard words, each once, in order of first use.
    pub fn hard_words(&self) -> Vec<HardWord> {
        tally(&self.words)
    }

    /// The section's text (from the body's `text`) cut into blocks of runs, flagged sentences and
    /// hard words marked, for showing. Empty when the text has been released.
    pub fn annotate(&self, text: &str) -> Vec<Block> {
        let mut blocks = Vec::new();
        for block in &self.blocks {
            if text.get(block.clone()).is_none() {
                return Vec::new();
            }
            let mut runs = Vec::new();
            let mut at = block.start;
            for note in self
                .sentences
                .iter()
                .filter(|n| n.text.start >= block.start && n.text.end <= block.end)
            {
                if note.text.start > at {
                    runs.push(self.run(text, at..note.text.start, None));
                }
                let reasons: Vec<String> = note.reasons.iter().map(Reason::describe).collect();
                runs.push(self.run(text, note.text.clone(), Some(reasons.join("; "))));
                at = note.text.end;
            }
            if at < block.end {
                runs.push(self.run(text, at..block.end, None));
            }
            blocks.push(Block { runs });
        }
        blocks
    }

    fn run(&self, text: &str, range: Range<usize>, reason: Option<String>) -> Run {
        let mut pieces = Vec::new();
        let mut at = range.start;
        for word in self
            .words
            .iter()
            .filter(|w| w.text.start >= range.start && w.text.end <= range.end)
        {
            if word.text.start > at {
                pieces.push(Piece {
                    text: text[at..word.text.start].to_string(),
                    plain: None,
                });
            }
            pieces.push(Piece {
                text: text[word.text.clone()].to_string(),
                plain: Some(word.plain.clone()),
            });
            at = word.text.end;
        }
        if at < range.end {
            pieces.push(Piece {
                text: text[at..range.end].to_string(),
                plain: None,
            });
        }
        Run { reason, pieces }
    }
}

/// One block of text (a paragraph, list item or table cell) as [`SectionCoaching::annotate`] shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub runs: Vec<Run>,
}

/// Text in a block: a flagged sentence (with its reasons) or the text between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Why the sentence is flagged; `None` for text that is not.
    pub reason: Option<String>,
    pub pieces: Vec<Piece>,
}

/// Text in a run: a hard word (with its plainer alternative) or the text around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub plain: Option<String>,
}

fn tally<'a>(notes: impl IntoIterator<Item = &'a WordNote>) -> Vec<HardWord> {
    let mut out: Vec<HardWord> = Vec::new();
    for note in notes {
        match out.iter_mut().find(|h| h.term == note.term) {
            Some(h) => h.count += 1,
            None => out.push(HardWord {
                term: note.term.clone(),
                plain: note.plain.clone(),
                count: 1,
            }),
        }
    }
    out
}

/// Coaches `body` toward the grade `target` with the word list `words`; with no target, only
/// measures each section.
pub fn coach(body: &Rendered, words: &PlainWords, target: Option<f64>) -> Coaching {
    let text = body.text.as_str();
    let limits = target.map(Limits::for_grade);
    let mut explained: HashSet<String> = HashSet::new();
    let mut sections: Vec<SectionCoaching> = Vec::new();
    let mut counts: Vec<[usize; 4]> = Vec::new();
    for section in &body.sections {
        let group = section
            .heading
            .and_then(|i| top_level_heading(&body.headings, i));
        if sections.last().is_none_or(|s| s.heading != group) {
            sections.push(SectionCoaching {
                heading: group,
                ..SectionCoaching::default()
            });
            counts.push([0; 4]);
        }
        let (Some(current), Some(count)) = (sections.last_mut(), counts.last_mut()) else {
            continue;
        };
        let Some(section_text) = text.get(section.text.clone()) else {
            continue;
        };
        for block in blocks_of(section_text, section.text.start) {
            let r = Readability::of(&text[block.clone()]);
            count[0] += r.sentences;
            count[1] += r.words;
            count[2] += r.syllables;
            count[3] += r.polysyllables;
            if let Some(limits) = limits {
                coach_block(text, block.clone(), words, limits, &mut explained, current);
            }
            current.blocks.push(block);
        }
    }
    for (section, [s, w, y, p]) in sections.iter_mut().zip(counts) {
        section.readability = Readability::from_counts(s, w, y, p);
    }
    Coaching { target, sections }
}

/// The `##` heading (shown as `<h2>`) that heading `i` falls under: itself if it is one.
fn top_level_heading(headings: &[Heading], i: usize) -> Option<usize> {
    (0..=i.min(headings.len().saturating_sub(1)))
        .rev()
        .find(|&j| headings.get(j).is_some_and(|h| h.level <= 2))
}

/// The blocks of `text` (separated by blank lines), trimmed, as ranges offset by `offset`.
fn blocks_of(text: &str, offset: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for block in text.split("\n\n") {
        let start = at + (block.len() - block.trim_start().len());
        let end = at + block.trim_end().len();
        if end > start {
            out.push(offset + start..offset + end);
        }
        at += block.len() + 2;
    }
    out
}

/// The sentences of the block `block` of `text`: a sentence ends at `.`, `!` or `?` followed by
/// whitespace, or at the end of the block (as [`Readability`] counts them).
fn sentences_of(text: &str, block: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let slice = &text[block.clone()];
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if start.is_none() && !c.is_whitespace() {
            start = Some(i);
        }
        let ends = matches!(c, '.' | '!' | '?')
            && chars
                .peek()
                .is_none_or(|&(_, next)| next.is_ascii_whitespace());
        if ends && let Some(s) = start.take() {
            out.push(block.start + s..block.start + i + 1);
        }
    }
    if let Some(s) = start {
        let end = slice.trim_end().len();
        if end > s {
            out.push(block.start + s..block.start + end);
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'
}

/// The words of `range` of `text` (runs of word characters with a letter), without leading or
/// trailing apostrophes and hyphens.
fn words_of(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<Range<usize>>| {
        let word = &slice[s..e];
        let trimmed_start = word.trim_start_matches(['\'', '’', '-']);
        let s = s + (word.len() - trimmed_start.len());
        let trimmed = trimmed_start.trim_end_matches(['\'', '’', '-']);
        if trimmed.chars().any(char::is_alphabetic) {
            out.push(range.start + s..range.start + s + trimmed.len());
        }
    };
    for (i, c) in slice.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i, &mut out);
        }
    }
    if let Some(s) = start {
        push(s, slice.len(), &mut out);
    }
    out
}

/// Whether `word` has three or more syllables (as [`Readability`] counts them). Those need three
/// groups of vowels, so at least five letters: shorter words are not counted.
fn is_long_word(word: &str) -> bool {
    word.len() >= 5 && syllables(word) >= 3
}

/// Writes `word` into `buf` lower-cased, with `’` written `'`, as terms are.
fn lower_into(buf: &mut String, word: &str) {
    buf.clear();
    for c in word.chars() {
        match c {
            '’' => buf.push('\''),
            c if c.is_ascii() => buf.push(c.to_ascii_lowercase()),
            c => buf.extend(c.to_lowercase()),
        }
    }
}

/// Room reused from word to word, so coaching a wording allocates little.
#[derive(Default)]
struct Scratch {
    word: String,
    phrase: String,
    next: String,
}

/// Flags the sentences and hard words of one block.
fn coach_block(
    text: &str,
    block: Range<usize>,
    list: &PlainWords,
    limits: Limits,
    explained: &mut HashSet<String>,
    section: &mut SectionCoaching,
) {
    let mut scratch = Scratch::default();
    for sentence in sentences_of(text, block.clone()) {
        let words = words_of(text, sentence.clone());
        let mut long_words: Vec<String> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let (n, lookup) = match_term(text, &words, i, list, &mut scratch);
            let range = words[i].start..words[i + n - 1].end;
            match lookup {
                Lookup::Kept => {}
                Lookup::Hard(term, plain) => {
                    if explained.contains(term) || explains(text, &block, &range) {
                        explained.insert(term.to_string());
                    } else {
                        section.words.push(WordNote {
                            text: range.clone(),
                            term: term.to_string(),
                            plain: plain.to_string(),
                        });
                        long_words.extend(
                            words[i..i + n]
                                .iter()
                                .map(|w| &text[w.clone()])
                                .filter(|w| is_long_word(w))
                                .map(str::to_string),
                        );
                    }
                }
                Lookup::Neither => {
                    let word = &text[range.clone()];
                    if is_long_word(word) {
                        // `scratch.word` holds the word lower-cased (see `match_term`).
                        let known = explained.contains(&scratch.word);
                        if !known && explains(text, &block, &range) {
                            explained.insert(scratch.word.clone());
                        } else if !known {
                            long_words.push(word.to_string());
                        }
                    }
                }
            }
            i += n;
        }
        let mut reasons = Vec::new();
        if words.len() > limits.words {
            reasons.push(Reason::Long {
                words: words.len(),
                limit: limits.words,
            });
        }
        if long_words.len() >= limits.long_words {
            reasons.push(Reason::LongWords { words: long_words });
        }
        if !reasons.is_empty() {
            section.sentences.push(SentenceNote {
                text: sentence,
                reasons,
            });
        }
    }
}

/// The longest term of `list` starting at word `i` (the words of a phrase separated by spaces
/// only): how many words it takes (1 when nothing matched) and what it is. Leaves word `i`
/// lower-cased in `scratch.word`.
fn match_term<'l>(
    text: &str,
    words: &[Range<usize>],
    i: usize,
    list: &'l PlainWords,
    scratch: &mut Scratch,
) -> (usize, Lookup<'l>) {
    lower_into(&mut scratch.word, &text[words[i].clone()]);
    let (lookup, mut prefix) = list.look_up(&scratch.word);
    let mut found = (1, lookup);
    if prefix {
        scratch.phrase.clear();
        scratch.phrase.push_str(&scratch.word);
    }
    let mut j = i + 1;
    while prefix && j < words.len() {
        let gap = &text[words[j - 1].end..words[j].start];
        if gap.is_empty() || !gap.bytes().all(|b| b == b' ') {
            break;
        }
        lower_into(&mut scratch.next, &text[words[j].clone()]);
        scratch.phrase.push(' ');
        scratch.phrase.push_str(&scratch.next);
        let (lookup, longer) = list.look_up(&scratch.phrase);
        if !matches!(lookup, Lookup::Neither) {
            found = (j + 1 - i, lookup);
        }
        prefix = longer;
        j += 1;
    }
    found
}

/// Whether `text` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|t| t.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether `text` ends with `suffix`, ignoring ASCII case.
fn ends_with_ignoring_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Whether the text explains the term at `range` where it uses it: "cirrhosis (scarring of the
/// liver)", "liver scarring (cirrhosis)", "baclofen, a muscle relaxer", "albumin – a protein",
/// "a condition called cirrhosis", "cirrhosis means ...".
fn explains(text: &str, block: &Range<usize>, range: &Range<usize>) -> bool {
    const AFTER: &[&str] = &[
        " (",
        "(",
        ", a ",
        ", an ",
        ", the ",
        ", which ",
        ", or ",
        ", also called",
        ", meaning",
        ", that is",
        " – ",
        " — ",
        " - ",
        " means ",
        " is a ",
        " is an ",
        " is when ",
        " is the name",
        // Spanish.
        ", un ",
        ", una ",
        ", el ",
        ", la ",
        ", que ",
        ", o sea",
        ", es decir",
        " significa ",
        " es un ",
        " es una ",
        " es cuando ",
    ];
    const BEFORE: &[&str] = &[
        "called",
        "known as",
        "named",
        "the term",
        "the word",
        "llamado",
        "llamada",
        "conocido como",
        "conocida como",
        "la palabra",
    ];
    let after = &text[range.end..block.end];
    if AFTER.iter().any(|p| starts_with_ignoring_case(after, p)) {
        return true;
    }
    let before = &text[block.start..range.start];
    let trimmed = before.trim_end();
    if trimmed.ends_with('(') {
        return true;
    }
    trimmed.len() < before.len()
        && BEFORE.iter().any(|p| {
            ends_with_ignoring_case(trimmed, p)
                && trimmed[..trimmed.len() - p.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// Words that state an effect as certain.
const CERTAIN_WORDS: &[&str] = &[
    "will",
    "stops",
    "cures",
    "prevents",
    "always",
    "definitely",
    "guarantees",
    "eliminates",
];

/// The sentences of `body` that cite low or very-low certainty evidence (GRADE) and state the
/// effect as certain ("will", "stops", "cures"), without a hedge such as "may".
pub fn overstated_certainty(body: &crate::markdown::Rendered) -> Vec<String> {
    body.grades
        .iter()
        .filter(|(grade, _)| grade.is_uncertain())
        .filter(|(_, sentence)| {
            let words: Vec<String> = sentence
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .map(str::to_lowercase)
                .collect();
            let hedged = words.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "may" | "might" | "could" | "possibly" | "probably"
                )
            });
            !hedged && words.iter().any(|w| CERTAIN_WORDS.contains(&w.as_str()))
        })
        .map(|(_, sentence)| sentence.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::render;

    fn list() -> PlainWords {
        let mut list = (*PlainWords::built_in()).clone();
        let mut problems = Vec::new();
        list.merge(
            toml::from_str("kept_terms = [\"quinine\", \"peripheral artery disease\"]").unwrap(),
            &mut |m| problems.push(m),
        );
        assert!(problems.is_empty(), "{problems:?}");
        list
    }

    fn coached(markdown: &str, target: Option<f64>) -> (Rendered, Coaching) {
        let (body, problems) = render(markdown, &|_| true);
        assert!(problems.is_empty());
        let coaching = coach(&body, &list(), target);
        (body, coaching)
    }

    fn flagged<'a>(body: &'a Rendered, c: &Coaching) -> Vec<&'a str> {
        c.sections
            .iter()
            .flat_map(|s| &s.sentences)
            .map(|n| &body.text[n.text.clone()])
            .collect()
    }

    fn hard(c: &Coaching) -> Vec<(String, String)> {
        c.hard_words()
            .into_iter()
            .map(|h| (h.term, h.plain))
            .collect()
    }

    #[test]
    fn the_built_in_list_loads_without_problems() {
        let (list, problems) = parse_built_in();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(list.len() >= 300, "{} words", list.len());
        assert_eq!(list.plain_for("administer"), Some("give"));
        assert_eq!(list.plain_for("approximately"), Some("about"));
        assert_eq!(list.plain_for("physician"), Some("doctor"));
        assert_eq!(list.plain_for("prior to"), Some("before"));
    }

    #[test]
    fn the_spanish_list_loads_and_finds_plurals_and_explained_terms() {
        let (list, problems) = parse_list(BUILT_IN_SPANISH, true);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(list.len() >= 150, "{} words", list.len());
        assert_eq!(
            list.plain_for("hipertensión"),
            Some("presión arterial alta")
        );
        assert_eq!(spanish_forms_of("inflamación"), vec!["inflamaciones"]);
        assert_eq!(spanish_forms_of("diurético"), vec!["diuréticos"]);
        assert_eq!(spanish_forms_of("nariz"), vec!["narices"]);
        let (body, _) = crate::markdown::render(
            "Tiene hipertensión. Tome los diuréticos con agua. La cirrosis (cicatrices en el hígado) también.",
            &|_| false,
        );
        let found: Vec<(String, usize)> = hard_words_in(&body, &list)
            .into_iter()
            .map(|h| (h.term, h.count))
            .collect();
        assert!(
            found.contains(&("hipertensión".to_string(), 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&("diurético".to_string(), 1)),
            "plural found: {found:?}"
        );
        assert!(
            !found.iter().any(|(t, _)| t == "cirrosis"),
            "explained where it is used: {found:?}"
        );
    }

    #[test]
    fn limits_follow_the_target() {
        assert_eq!(
            Limits::for_grade(8.0),
            Limits {
                words: 20,
                long_words: 3
            }
        );
        assert_eq!(Limits::for_grade(6.0).words, 15);
        assert_eq!(Limits::for_grade(6.0).long_words, 2);
        assert_eq!(Limits::for_grade(12.0).words, 25);
    }

    #[test]
    fn long_sentences_and_sentences_of_long_words_are_flagged_with_their_reasons() {
        let long = "You can stretch your leg and then walk around the room for a short time and then sit down and rest until the pain goes.";
        let heavy = "Medication regimens necessitate adherence.";
        let short = "Stretch your calf.";
        let (body, c) = coached(&format!("{short} {long}\n\n{heavy}"), Some(8.0));
        assert_eq!(flagged(&body, &c), vec![long, heavy]);
        let notes: Vec<_> = c.sections[0].sentences.iter().collect();
        assert_eq!(
            notes[0].reasons,
            vec![Reason::Long {
                words: 25,
                limit: 20
            }]
        );
        assert_eq!(
            notes[0].reasons[0].describe(),
            "25 words: split it, aim for 20 or fewer"
        );
        assert_eq!(
            notes[1].reasons[0].describe(),
            "4 words of three or more syllables: Medication, regimens, necessitate, adherence"
        );
    }

    #[test]
    fn hard_words_have_plainer_alternatives_in_every_form() {
        let (body, c) = coached(
            "Your physician administered it prior to surgery. Physicians know. It is approximately 10 mg.",
            Some(8.0),
        );
        assert_eq!(
            hard(&c),
            vec![
                ("physician".into(), "doctor".into()),
                ("administer".into(), "give".into()),
                ("prior to".into(), "before".into()),
                ("physicians".into(), "doctors".into()),
                ("approximately".into(), "about".into()),
            ]
        );
        let written: Vec<&str> = c.sections[0]
            .words
            .iter()
            .map(|w| &body.text[w.text.clone()])
            .collect();
        assert_eq!(
            written,
            [
                "physician",
                "administered",
                "prior to",
                "Physicians",
                "approximately"
            ]
        );
    }

    #[test]
    fn kept_and_explained_terms_are_not_flagged() {
        let (_, c) = coached(
            "Quinine is a drug. You have high blood pressure (hypertension). Hypertension is common. \
             Pain when you walk may be peripheral artery disease. Your abdomen hurts.\n\n\
             You have liver scarring (cirrhosis). Cirrhosis, cirrhosis, cirrhosis everywhere.",
            Some(8.0),
        );
        assert_eq!(hard(&c), vec![("abdomen".into(), "belly or tummy".into())]);
        assert_eq!(c.flagged_sentences(), 0, "{c:?}");
        // Not explained: flagged.
        let (_, c) = coached("Hypertension is common. Hypertension.", Some(8.0));
        assert_eq!(c.hard_words()[0].count, 2);
        // Explained after a first use: flagged before, not after.
        let (_, c) = coached(
            "Hypertension is common. Hypertension (high blood pressure) is bad. Hypertension.",
            Some(8.0),
        );
        assert_eq!(c.hard_words()[0].count, 1);
    }

    #[test]
    fn a_wording_without_a_target_is_measured_but_not_coached() {
        let text = "## Dose {#dose}\n\nAdminister approximately 10 mg prior to sleep, considering hepatic impairment, renal insufficiency, concomitant medication and the physician's assessment of the patient.";
        let (_, c) = coached(text, None);
        assert!(!c.is_coached());
        assert_eq!(c.flagged_sentences(), 0);
        assert!(c.hard_words().is_empty());
        assert_eq!(c.sections.len(), 1);
        assert_eq!(c.sections[0].readability.words, 20);
        let (_, c) = coached(text, Some(8.0));
        assert!(c.flagged_sentences() > 0 && !c.hard_words().is_empty());
    }

    #[test]
    fn sections_are_the_top_level_headings_with_their_subsections() {
        let (body, c) = coached(
            "Intro here.\n\n## Causes {#causes}\n\nOne.\n\n### More\n\nTwo.\n\n# Help\n\nThree.",
            Some(8.0),
        );
        let ids: Vec<Option<&str>> = c
            .sections
            .iter()
            .map(|s| s.heading.map(|h| body.headings[h].id.as_str()))
            .collect();
        assert_eq!(ids, [None, Some("causes"), Some("help")]);
        assert_eq!(c.sections[1].blocks.len(), 2);
        assert_eq!(c.sections[1].readability.sentences, 2);
    }

    #[test]
    fn annotation_keeps_every_character_of_the_text() {
        let alphabet: Vec<char> = "aeiou bcdlmnst.!?\n\n’'-(),é中 physician administered prior to"
            .chars()
            .collect();
        let mut next = crate::pseudo_random(0x9e37_79b9_7f4a_7c15);
        let list = list();
        for round in 0..2000 {
            let len = (next() % 300) as usize;
            let source: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let (body, _) = render(&source, &|_| true);
            let c = coach(&body, &list, Some(4.0 + (round % 6) as f64));
            for section in &c.sections {
                let shown: Vec<String> = section
                    .annotate(&body.text)
                    .iter()
                    .map(|b| {
                        b.runs
                            .iter()
                            .flat_map(|r| &r.pieces)
                            .map(|p| p.text.as_str())
                            .collect()
                    })
                    .collect();
                let blocks: Vec<&str> = section
                    .blocks
                    .iter()
                    .map(|b| &body.text[b.clone()])
                    .collect();
                assert_eq!(shown, blocks, "{source:?}");
            }
        }
    }

    #[test]
    fn annotation_marks_flagged_sentences_and_hard_words() {
        let (body, c) = coached(
            "Ask your physician. Medication regimens necessitate adherence. Rest.",
            Some(8.0),
        );
        let blocks = c.sections[0].annotate(&body.text);
        let runs = &blocks[0].runs;
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0].reason, None);
        assert_eq!(
            runs[0].pieces[1],
            Piece {
                text: "physician".into(),
                plain: Some("doctor".into())
            }
        );
        assert!(runs[1].reason.as_deref().unwrap().contains("three or more"));
        assert_eq!(runs[2].pieces[0].text, " Rest.");
    }

    #[test]
    fn a_sites_list_is_checked_and_merged_over_the_built_in_one() {
        let mut list = (*PlainWords::built_in()).clone();
        let mut problems = Vec::new();
        let file: PlainWordsFile = toml::from_str(
            "kept_terms = [\"physician\", \"Cirrhosis\", \"cirrhosis\", \"bad;term\"]\n\
             [words]\n\"ambulate\" = \"walk about\"\n\"utilise\" = \"\"\n\"a b c d e f\" = \"x\"\n\"tummy\" = \"Tummy\"\n\"physician\" = \"doc\"",
        )
        .unwrap();
        list.merge(file, &mut |m| problems.push(m));
        assert_eq!(list.plain_for("ambulate"), Some("walk about"));
        assert!(list.is_kept("physician") && list.plain_for("physician").is_none());
        assert!(list.is_kept("cirrhosis"));
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("listed twice")));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("\"bad;term\" must be words"))
        );
        assert!(problems.iter().any(|p| p.contains("plainer word is empty")));
        assert!(problems.iter().any(|p| p.contains("too long")));
        assert!(problems.iter().any(|p| p.contains("the same word")));
        assert!(problems.iter().any(|p| p.contains("also a kept term")));
        assert!(toml::from_str::<PlainWordsFile>("keep = []").is_err());
    }
}
