//! Reading-level measures of plain text: Flesch-Kincaid grade, Flesch reading ease and SMOG, with the
//! published formulas. Health-literacy guidance puts patient material at grade 6 to 8 and prefers SMOG.
//!
//! Counting follows the formulas' usual conventions: a sentence ends at `.`, `!` or `?` (or at the end
//! of a block such as a heading, list item or table cell); a word is a run of letters, digits, `'` or
//! `-` containing a letter; syllables are counted from vowel groups with the common English adjustments.

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
    pub fn of(text: &str) -> Self {
        let mut r = Readability::default();
        for block in text.split("\n\n") {
            for sentence in split_sentences(block) {
                let mut words_here = 0;
                for word in words(sentence) {
                    let s = syllables(word);
                    words_here += 1;
                    r.syllables += s;
                    if s >= 3 {
                        r.polysyllables += 1;
                    }
                }
                if words_here > 0 {
                    r.words += words_here;
                    r.sentences += 1;
                }
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

fn split_sentences(block: &str) -> impl Iterator<Item = &str> {
    let mut rest = block;
    std::iter::from_fn(move || {
        if rest.trim().is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut end = rest.len();
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'.' | b'!' | b'?') {
                // A stop ends the sentence when followed by whitespace or the end (not "2.5" or "e.g.x").
                let next = bytes.get(i + 1).copied();
                if next.is_none_or(|n| n.is_ascii_whitespace()) {
                    end = i + 1;
                    break;
                }
            }
        }
        let (sentence, tail) = rest.split_at(end);
        rest = tail;
        Some(sentence)
    })
}

fn words(sentence: &str) -> impl Iterator<Item = &str> {
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// Syllables in an English word, by vowel groups: a final silent `e` is dropped (but not `-le` after a
/// consonant), `-es`/`-ed` endings that add no syllable are dropped, and every word has at least one.
pub fn syllables(word: &str) -> usize {
    // The word's letters, lower-cased, in a fixed buffer (no allocation: this runs for every word).
    // Letters outside ASCII count as consonants; very long words are cut at 64 letters.
    let mut buf = [0u8; 64];
    let mut n = 0;
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if n == buf.len() {
            break;
        }
        buf[n] = if c.is_ascii() {
            c.to_ascii_lowercase() as u8
        } else {
            b'x'
        };
        n += 1;
    }
    let w = &buf[..n];
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
