//! Reading-level measures of plain text: Flesch-Kincaid grade, Flesch reading ease and SMOG, with the
//! published formulas. Health-literacy guidance puts patient material at grade 6 to 8 and prefers SMOG.
//!
//! Counting follows the formulas' usual conventions: a sentence ends at `.`, `!` or `?` (or at the end
//! of a block such as a heading, list item or table cell); a word is a run of letters, digits, `'` or
//! `-` containing a letter; syllables are counted from vowel groups with the common English adjustments.

pub mod spanish;

/// Counts and scores for one text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Readability {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// Words of three or more syllables.
    pub polysyllables: usize,
    pub flesch_kincaid_grade: f64,
    pub flesch_reading_ease: f64,
    pub smog_grade: f64,
}

/// Words a minute assumed for reading time.
pub const WORDS_PER_MINUTE: usize = 200;

impl Readability {
    /// Measures `text` in one pass over its bytes (this runs over every wording at load); characters
    /// outside ASCII are decoded where they occur.
    pub fn of(text: &str) -> Self {
        let mut r = Readability::default();
        let mut word = Letters::default();
        let mut words_in_sentence = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        loop {
            // ASCII letters and the other word characters, the commonest bytes, take the short way.
            while let Some(&b) = bytes.get(i) {
                match ASCII_CLASS[b as usize] {
                    LETTER => word.push_ascii(b),
                    WORD_MARK => {}
                    _ => break,
                }
                i += 1;
            }
            let (c, width) = match bytes.get(i) {
                None => (None, 0),
                Some(&b) if b.is_ascii() => (Some(b as char), 1),
                Some(_) => {
                    let c = text[i..]
                        .chars()
                        .next()
                        .unwrap_or(char::REPLACEMENT_CHARACTER);
                    (Some(c), c.len_utf8())
                }
            };
            i += width;
            if let Some(c) = c
                && is_word_char(c)
            {
                if c.is_alphabetic() {
                    word.push(c);
                }
                continue;
            }
            // Anything else ends the word being read, if any.
            if word.has_letters() {
                let s = syllables_of(word.as_slice());
                r.syllables += s;
                if s >= 3 {
                    r.polysyllables += 1;
                }
                words_in_sentence += 1;
            }
            word.clear();
            let ends_sentence = match c {
                None => true,
                // A stop ends the sentence when followed by whitespace or the end (not "2.5" or "e.g.x").
                Some('.' | '!' | '?') => bytes.get(i).is_none_or(u8::is_ascii_whitespace),
                // A blank line ends a block (heading, paragraph, list item, table cell).
                Some('\n') if bytes.get(i) == Some(&b'\n') => {
                    i += 1;
                    true
                }
                Some(_) => false,
            };
            if ends_sentence && words_in_sentence > 0 {
                r.words += words_in_sentence;
                r.sentences += 1;
                words_in_sentence = 0;
            }
            if c.is_none() {
                break;
            }
        }
        r.score();
        r
    }

    /// The three scores from the counts. With no words, all scores are zero.
    pub fn from_counts(
        sentences: usize,
        words: usize,
        syllables: usize,
        polysyllables: usize,
    ) -> Self {
        let mut r = Readability {
            sentences,
            words,
            syllables,
            polysyllables,
            ..Default::default()
        };
        r.score();
        r
    }

    fn score(&mut self) {
        if self.words == 0 || self.sentences == 0 {
            return;
        }
        let words_per_sentence = self.words as f64 / self.sentences as f64;
        let syllables_per_word = self.syllables as f64 / self.words as f64;
        self.flesch_kincaid_grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59;
        self.flesch_reading_ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word;
        self.smog_grade =
            1.0430 * (self.polysyllables as f64 * 30.0 / self.sentences as f64).sqrt() + 3.1291;
    }

    /// Minutes to read, rounded up; at least one for any text.
    pub fn reading_minutes(&self) -> usize {
        self.words
            .div_ceil(WORDS_PER_MINUTE)
            .max(usize::from(self.words > 0))
    }
}

/// Characters that make up words: letters, digits, apostrophes and hyphens. A word must contain a letter.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'
}

const OTHER: u8 = 0;
const LETTER: u8 = 1;
/// Digits, apostrophes and hyphens: part of a word, but not letters.
const WORD_MARK: u8 = 2;

/// The class of every ASCII byte (bytes from 128 up start characters outside ASCII: `OTHER` here,
/// decoded by the caller).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() || c == b'\'' || c == b'-' {
            WORD_MARK
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// A word's letters, lower-cased, in a fixed buffer (no allocation: this runs for every word). Letters
/// outside ASCII count as consonants; very long words are cut at 64 letters.
struct Letters {
    buf: [u8; 64],
    len: usize,
}

impl Default for Letters {
    fn default() -> Self {
        Letters {
            buf: [0; 64],
            len: 0,
        }
    }
}

impl Letters {
    fn push(&mut self, letter: char) {
        if self.len < self.buf.len() {
            self.buf[self.len] = if letter.is_ascii() {
                letter.to_ascii_lowercase() as u8
            } else {
                b'x'
            };
            self.len += 1;
        }
    }

    fn push_ascii(&mut self, letter: u8) {
        if self.len < self.buf.len() {
            self.buf[self.len] = letter.to_ascii_lowercase();
            self.len += 1;
        }
    }

    fn has_letters(&self) -> bool {
        self.len > 0
    }

    fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

/// Syllables in an English word, by vowel groups: a final silent `e` is dropped (but not `-le` after a
/// consonant), `-es`/`-ed` endings that add no syllable are dropped, and every word has at least one.
pub fn syllables(word: &str) -> usize {
    let mut letters = Letters::default();
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        letters.push(c);
    }
    syllables_of(letters.as_slice())
}

/// [`syllables`] of a word's lower-cased letters.
fn syllables_of(w: &[u8]) -> usize {
    let n = w.len();
    if w.is_empty() {
        return 0;
    }
    if w.len() <= 3 {
        return 1;
    }
    let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let mut count = 0;
    let mut previous_vowel = false;
    for (i, &c) in w.iter().enumerate() {
        // `y` at the start of a word is a consonant ("yes", "young").
        let vowel = is_vowel(c) && !(c == b'y' && i == 0);
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    let ends = |s: &[u8]| w.ends_with(s);
    if ends(b"e") && !ends(b"le") && !ends(b"ee") && !ends(b"ye") && count > 1 {
        count -= 1;
    } else if ends(b"le") && n > 2 && is_vowel(w[n - 3]) && count > 1 {
        // "whale", "mile": the e is silent.
        count -= 1;
    }
    if (ends(b"es") || ends(b"ed")) && n > 3 && count > 1 {
        let before = w[n - 3];
        let sounded = matches!(before, b't' | b'd') && ends(b"ed")
            || matches!(before, b's' | b'x' | b'z' | b'c' | b'g' | b'h') && ends(b"es");
        if !sounded && !is_vowel(before) {
            count -= 1;
        }
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// The formulas, checked on counts worked by hand.
    #[test]
    fn formulas_match_the_published_definitions() {
        // 100 words, 5 sentences, 130 syllables, 10 polysyllables:
        // FK = 0.39*20 + 11.8*1.3 - 15.59 = 7.8 + 15.34 - 15.59 = 7.55
        // FRE = 206.835 - 1.015*20 - 84.6*1.3 = 206.835 - 20.3 - 109.98 = 76.555
        // SMOG = 1.0430*sqrt(10*30/5) + 3.1291 = 1.0430*sqrt(60) + 3.1291 = 11.2081...
        let r = Readability::from_counts(5, 100, 130, 10);
        assert!(close(r.flesch_kincaid_grade, 7.55, 1e-9), "{r:?}");
        assert!(close(r.flesch_reading_ease, 76.555, 1e-9), "{r:?}");
        assert!(
            close(r.smog_grade, 1.0430 * 60f64.sqrt() + 3.1291, 1e-9),
            "{r:?}"
        );
        assert!(close(r.smog_grade, 11.208, 0.001));
        // SMOG's own conversion: 30 sentences with 0 polysyllables is grade 3.1291.
        assert!(close(
            Readability::from_counts(30, 300, 300, 0).smog_grade,
            3.1291,
            1e-9
        ));
    }

    /// "The cat sat on the mat.": 6 words, 6 syllables, 1 sentence, the classic worked example:
    /// FRE = 206.835 - 1.015*6 - 84.6*1 = 116.145; FK = 0.39*6 + 11.8 - 15.59 = -1.45.
    #[test]
    fn the_cat_sat_on_the_mat() {
        let r = Readability::of("The cat sat on the mat.");
        assert_eq!(
            (r.sentences, r.words, r.syllables, r.polysyllables),
            (1, 6, 6, 0)
        );
        assert!(close(r.flesch_reading_ease, 116.145, 1e-9), "{r:?}");
        assert!(close(r.flesch_kincaid_grade, -1.45, 1e-9), "{r:?}");
    }

    /// A passage counted by hand: 3 sentences, 31 words, 44 syllables, 3 polysyllables
    /// (medicine 3, exercises 4, important 3).
    /// FK = 0.39*10.333 + 11.8*1.4194 - 15.59 = 4.030 + 16.748 - 15.59 = 5.1884;
    /// FRE = 206.835 - 1.015*10.333 - 84.6*1.4194 = 206.835 - 10.488 - 120.077 = 76.2692;
    /// SMOG = 1.0430*sqrt(3*30/3) + 3.1291 = 1.0430*5.4772 + 3.1291 = 8.8418.
    #[test]
    fn passage_counted_by_hand() {
        let text = "Take this medicine twice a day. Gentle exercises help your legs in the morning. \
                    Cramps often pass within ten minutes, but it is important to see a doctor if they last.";
        let r = Readability::of(text);
        assert_eq!(
            (r.sentences, r.words, r.syllables, r.polysyllables),
            (3, 31, 44, 3),
            "{r:?}"
        );
        assert!(close(r.flesch_kincaid_grade, 5.1884, 0.0001), "{r:?}");
        assert!(close(r.flesch_reading_ease, 76.2692, 0.0001), "{r:?}");
        assert!(close(r.smog_grade, 8.8418, 0.0001), "{r:?}");
    }

    #[test]
    fn syllable_counts_of_common_words() {
        for (word, n) in [
            ("cat", 1),
            ("the", 1),
            ("stretch", 1),
            ("water", 2),
            ("doctor", 2),
            ("muscle", 2),
            ("simple", 2),
            ("table", 2),
            ("cramps", 1),
            ("walked", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("medicine", 3),
            ("exercise", 3),
            ("exercises", 4),
            ("important", 3),
            ("hydration", 3),
            ("whale", 1),
            ("yes", 1),
            ("hospital", 3),
            ("calf", 1),
            ("make", 1),
            ("free", 1),
            ("peripheral", 4),
            ("quinine", 2),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn blocks_end_sentences_and_numbers_do_not() {
        let r = Readability::of("When to get help\n\nTake 2.5 mg daily");
        assert_eq!(r.sentences, 2, "{r:?}");
        assert_eq!(
            r.words, 7,
            "\"2.5\" is not a word and does not end a sentence: {r:?}"
        );
    }

    /// The counting rules written the plain way (blocks, then sentences, then words), to check the
    /// one-pass scanner against.
    fn counted_the_plain_way(text: &str) -> (usize, usize, usize, usize) {
        let (mut sentences, mut words, mut syllable_count, mut poly) = (0, 0, 0, 0);
        for block in text.split("\n\n") {
            let mut rest = block;
            while !rest.trim().is_empty() {
                let bytes = rest.as_bytes();
                let end = (0..bytes.len())
                    .find(|&i| {
                        matches!(bytes[i], b'.' | b'!' | b'?')
                            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
                    })
                    .map_or(rest.len(), |i| i + 1);
                let (sentence, tail) = rest.split_at(end);
                rest = tail;
                let here: Vec<usize> = sentence
                    .split(|c: char| !is_word_char(c))
                    .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’' || c == '-'))
                    .filter(|w| w.chars().any(char::is_alphabetic))
                    .map(syllables)
                    .collect();
                if !here.is_empty() {
                    sentences += 1;
                    words += here.len();
                    syllable_count += here.iter().sum::<usize>();
                    poly += here.iter().filter(|&&s| s >= 3).count();
                }
            }
        }
        (sentences, words, syllable_count, poly)
    }

    #[test]
    fn one_pass_scanner_counts_as_the_rules_say() {
        let alphabet: Vec<char> = "aeiouy bcdlmnst BCDE.!?.\n\n\n  '’--0123,;:()é中\t"
            .chars()
            .collect();
        let mut next = crate::pseudo_random(0x2545_f491_4f6c_dd1du64);
        let mut texts: Vec<String> = (0..3000)
            .map(|_| {
                let len = (next() % 200) as usize;
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect();
        texts.push("The cat sat on the mat.".into());
        texts.push("When to get help\n\nTake 2.5 mg daily. It's e.g.x fine!\n\n\n- item".into());
        texts.push("a".repeat(100) + " supercalifragilistic-expialidocious ... ?! end.");
        for text in &texts {
            let r = Readability::of(text);
            assert_eq!(
                (r.sentences, r.words, r.syllables, r.polysyllables),
                counted_the_plain_way(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn empty_text_scores_zero() {
        let r = Readability::of("");
        assert_eq!(r, Readability::default());
        assert_eq!(r.reading_minutes(), 0);
        assert_eq!(
            Readability::from_counts(1, 450, 500, 0).reading_minutes(),
            3
        );
    }
}
