//! Spanish reading-level measures of plain text: Fernández Huerta's readability, Szigriszt Pazos's
//! perspicuity (read on the INFLESZ scale) and the SOL grade (a Spanish SMOG), with the published
//! formulas.
//!
//! Sentences and words are counted exactly as in [`super::Readability::of`]: a sentence ends at `.`,
//! `!` or `?` followed by whitespace or the end, or at a blank line; a word is a run of letters,
//! digits, `'` or `-` containing a letter. The Spanish opening marks `¿` and `¡` end nothing.
//! Syllables follow the rules of Spanish syllabification (see [`syllables`]).

use super::is_word_char;

/// Counts and scores for one Spanish text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpanishReadability {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// Words of three or more syllables.
    pub polysyllables: usize,
    /// Fernández Huerta's readability (lecturabilidad), 0 to 100, higher is easier.
    pub fernandez_huerta: f64,
    /// Szigriszt Pazos's perspicuity, the score the INFLESZ scale reads ([`inflesz_band`]).
    pub szigriszt_pazos: f64,
    /// The SOL grade: the Spanish SMOG, in (US) school grades.
    pub sol_grade: f64,
}

impl SpanishReadability {
    /// Measures `text` in one pass over its characters.
    pub fn of(text: &str) -> Self {
        let mut r = SpanishReadability::default();
        let mut word: Vec<char> = Vec::with_capacity(32);
        let mut words_in_sentence = 0;
        let mut chars = text.chars().peekable();
        loop {
            let c = chars.next();
            if let Some(c) = c
                && is_word_char(c)
            {
                if c.is_alphabetic() {
                    word.extend(c.to_lowercase());
                }
                continue;
            }
            // Anything else ends the word being read, if any.
            if !word.is_empty() {
                let s = syllables_of(&word);
                r.syllables += s;
                if s >= 3 {
                    r.polysyllables += 1;
                }
                words_in_sentence += 1;
            }
            word.clear();
            let ends_sentence = match c {
                None => true,
                // A stop ends the sentence when followed by whitespace or the end (not "2.5").
                Some('.' | '!' | '?') => chars.peek().is_none_or(|n| n.is_ascii_whitespace()),
                // A blank line ends a block (heading, paragraph, list item, table cell).
                Some('\n') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    true
                }
                // Everything else, `¿` and `¡` included, ends no sentence.
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

    /// The three scores from the counts. With no words or no sentences, all scores are zero.
    pub fn from_counts(
        sentences: usize,
        words: usize,
        syllables: usize,
        polysyllables: usize,
    ) -> Self {
        let mut r = SpanishReadability {
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
        self.fernandez_huerta = fernandez_huerta(100.0 * syllables_per_word, words_per_sentence);
        self.szigriszt_pazos = szigriszt_pazos(syllables_per_word, words_per_sentence);
        self.sol_grade = sol_grade(self.polysyllables as f64 * 30.0 / self.sentences as f64);
    }
}

/// Fernández Huerta's readability (lecturabilidad), from Fernández Huerta J (1959), "Medidas sencillas
/// de lecturabilidad", *Consigna* (214): 29-32, an adaptation of Flesch's reading ease to Spanish:
///
/// `L = 206.84 − 0.60 P − 1.02 F`
///
/// where `P` is syllables per 100 words and `F` is **words per sentence** (mean sentence length).
///
/// The formula is usually quoted with `F` = sentences per 100 words. Gwillim Law ("Error in the
/// Fernandez Huerta Readability Formula", LINGUIST List 22.2332, 2011) pointed out that, read that
/// way, shorter sentences score harder, the reverse of Flesch's formula that it adapts. legible.es,
/// citing Law, gives the corrected form with `F` the mean sentence length in words, as in Flesch; it
/// is the one used here, as by textstat (`206.84 − 60 × syllables/word − 1.02 × words/sentence`, the
/// same thing). The original 1959 article was not available to check.
fn fernandez_huerta(syllables_per_100_words: f64, words_per_sentence: f64) -> f64 {
    206.84 - 0.60 * syllables_per_100_words - 1.02 * words_per_sentence
}

/// Szigriszt Pazos's perspicuity (índice de perspicuidad), from Szigriszt Pazos F (1993),
/// *Sistemas predictivos de legibilidad del mensaje escrito: fórmula de perspicuidad*, doctoral thesis
/// (as cited by legible.es; the thesis itself was not available to check):
///
/// `IP = 206.835 − 62.3 × (syllables / words) − (words / sentences)`
///
/// legible.es, textstat's `szigriszt_pazos` and Readability Studio all give it so; Readability Studio
/// notes that the intercept was printed as 207 in short and that Barrio-Cantalejo et al. (2008, see
/// [`inflesz_band`]) took it as Flesch's 206.835.
fn szigriszt_pazos(syllables_per_word: f64, words_per_sentence: f64) -> f64 {
    206.835 - 62.3 * syllables_per_word - words_per_sentence
}

/// The SOL grade, from Contreras A, García-Alonso R, Echenique M, Daye-Contreras F (1999), "The SOL
/// formulas for converting SMOG readability scores between health education materials written in
/// Spanish, English, and French", *Journal of Health Communication* 4(1): 21-29. SOL takes the SMOG
/// grade of the Spanish text (polysyllables being words of three or more syllables) and converts it
/// to the grade of the equivalent English text:
///
/// `SOL = −2.51 + 0.74 × SMOG`, with `SMOG = 1.0430 × √(polysyllables × 30 / sentences) + 3.1291`
///
/// (McLaughlin's SMOG over a sample normalised to 30 sentences, as in [`super::Readability`]).
/// The conversion's coefficients are as implemented in Readability Studio (`sol_spanish`); the
/// original article was not available to check them against.
fn sol_grade(polysyllables_in_30_sentences: f64) -> f64 {
    let smog = 1.0430 * polysyllables_in_30_sentences.sqrt() + 3.1291;
    -2.51 + 0.74 * smog
}

/// The band of the INFLESZ scale for a Szigriszt Pazos perspicuity score, from Barrio-Cantalejo IM,
/// Simón-Lorda P, Melguizo M, Escalona I, Marijuán MI, Hernando P (2008), "Validación de la Escala
/// INFLESZ para evaluar la legibilidad de los textos dirigidos a pacientes", *Anales del Sistema
/// Sanitario de Navarra* 31(2): 135-152. The published cut-offs:
///
/// | score    | band           |
/// |----------|----------------|
/// | < 40     | muy difícil    |
/// | 40 – 55  | algo difícil   |
/// | 55 – 65  | normal         |
/// | 65 – 80  | bastante fácil |
/// | > 80     | muy fácil      |
///
/// The published ranges share their end points; a score on one (40, 55, 65, 80) falls in the harder
/// band, as Readability Studio reads them. Patient material should score "normal" or easier (55 up).
pub fn inflesz_band(score: f64) -> &'static str {
    if score <= 40.0 {
        "muy difícil"
    } else if score <= 55.0 {
        "algo difícil"
    } else if score <= 65.0 {
        "normal"
    } else if score <= 80.0 {
        "bastante fácil"
    } else {
        "muy fácil"
    }
}

/// Syllables in a Spanish word, by the rules of Spanish syllabification: every syllable has one
/// vowel nucleus. The strong vowels are a, e, o (and á, é, ó); the weak are i, u, ü. Weak + strong,
/// strong + weak and weak + weak vowels together are one syllable (diphthongs, triphthongs: "pierna",
/// "ciudad", "buey"); two strong vowels are a hiatus, two syllables ("aéreo"); an accented weak vowel
/// (í, ú) beside a strong vowel breaks the diphthong ("día", "país", "oído"). The u of "qu", and of
/// "gu" before e or i, is silent ("quinina", "guerra"); "güe", "güi" sound it ("pingüino"). A "y" is a
/// vowel only at the end of a word or before a consonant ("hoy", "muy", "Uruguay"), a consonant at
/// the start of a word or before a vowel ("yo", "mayo"). An "h" counts as a consonant. Every word with
/// letters has at least one syllable.
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    syllables_of(&letters)
}

/// How a letter sounds in its place.
#[derive(Clone, Copy, PartialEq)]
enum Sound {
    Consonant,
    Strong,
    Weak,
    /// í or ú: a weak vowel that forms no diphthong with a strong one.
    AccentedWeak,
}

/// [`syllables`] of a word's lower-cased letters.
fn syllables_of(w: &[char]) -> usize {
    if w.is_empty() {
        return 0;
    }
    let is_vowel_letter = |c: char| "aeiouáéíóúüy".contains(c);
    let sound = |i: usize| -> Sound {
        let c = w[i];
        let previous = i.checked_sub(1).map(|p| w[p]);
        let next = w.get(i + 1).copied();
        match c {
            'a' | 'e' | 'o' | 'á' | 'é' | 'ó' => Sound::Strong,
            'í' | 'ú' => Sound::AccentedWeak,
            'i' | 'ü' => Sound::Weak,
            'u' => {
                let silent = previous == Some('q')
                    || previous == Some('g') && matches!(next, Some('e' | 'i' | 'é' | 'í'));
                if silent {
                    Sound::Consonant
                } else {
                    Sound::Weak
                }
            }
            'y' => {
                let before_vowel = next.is_some_and(|n| is_vowel_letter(n) && n != 'y');
                if (i > 0 || w.len() == 1) && !before_vowel {
                    Sound::Weak
                } else {
                    Sound::Consonant
                }
            }
            _ => Sound::Consonant,
        }
    };
    let mut count = 0;
    let mut previous = Sound::Consonant;
    for i in 0..w.len() {
        let s = sound(i);
        let new_nucleus = match (previous, s) {
            (_, Sound::Consonant) => false,
            (Sound::Consonant, _) => true,
            // Two strong vowels, or an accented weak one beside a strong one: a hiatus.
            (Sound::Strong, Sound::Strong)
            | (Sound::Strong, Sound::AccentedWeak)
            | (Sound::AccentedWeak, Sound::Strong) => true,
            // Otherwise the vowels join in one diphthong or triphthong.
            _ => false,
        };
        if new_nucleus {
            count += 1;
        }
        previous = s;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn syllable_counts_of_spanish_words() {
        for (word, n) in [
            ("calambre", 3),
            ("pierna", 2),
            ("músculo", 3),
            ("noche", 2),
            ("medicamento", 5),
            ("quinina", 3),
            ("guerra", 2),
            ("pingüino", 3),
            ("día", 2),
            ("país", 2),
            ("ciudad", 2),
            ("hoy", 1),
            ("muy", 1),
            ("aéreo", 4),
            ("oído", 3),
            ("trombosis", 3),
            ("pantorrilla", 4),
            ("huevo", 2),
            ("buey", 1),
            ("Uruguay", 3),
            ("río", 2),
            ("y", 1),
            ("yo", 1),
            ("mayo", 2),
            ("rey", 1),
            ("agua", 2),
            ("guitarra", 3),
            ("cigüeña", 3),
            ("querer", 2),
            ("poeta", 3),
            ("leer", 2),
            ("tenía", 3),
            ("farmacéutico", 5),
            ("Médico", 3),
            ("dolor", 2),
            ("bien", 1),
            ("huir", 1),
            ("náuseas", 3),
            ("ácido", 3),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
        assert_eq!(syllables(""), 0);
        assert_eq!(syllables("123"), 0);
    }

    /// A passage counted by hand: 2 sentences, 10 words, 19 syllables, 1 polysyllable.
    /// "El(1) dolor(2) de(1) la(1) pierna(2) pasa(2) pronto(2). Tome(2) el(1) medicamento(5)."
    /// FH = 206.84 − 0.60×190 − 1.02×5 = 206.84 − 114 − 5.1 = 87.74;
    /// IP = 206.835 − 62.3×1.9 − 5 = 206.835 − 118.37 − 5 = 83.465;
    /// SMOG = 1.0430×√(1×30/2) + 3.1291 = 1.0430×3.872983 + 3.1291 = 7.168621;
    /// SOL = −2.51 + 0.74×7.168621 = 2.794780.
    #[test]
    fn passage_counted_by_hand() {
        let r = SpanishReadability::of("El dolor de la pierna pasa pronto. Tome el medicamento.");
        assert_eq!(
            (r.sentences, r.words, r.syllables, r.polysyllables),
            (2, 10, 19, 1),
            "{r:?}"
        );
        assert!(close(r.fernandez_huerta, 87.74, 1e-9), "{r:?}");
        assert!(close(r.szigriszt_pazos, 83.465, 1e-9), "{r:?}");
        assert!(close(r.sol_grade, 2.794780, 1e-5), "{r:?}");
        assert_eq!(inflesz_band(r.szigriszt_pazos), "muy fácil");
    }

    /// The formulas on round counts: 100 words, 5 sentences, 200 syllables, 6 polysyllables.
    /// FH = 206.84 − 120 − 20.4 = 66.44; IP = 206.835 − 124.6 − 20 = 62.235;
    /// SOL = −2.51 + 0.74×(1.0430×√36 + 3.1291) = −2.51 + 0.74×9.3871 = 4.436454.
    #[test]
    fn formulas_match_the_published_definitions() {
        let r = SpanishReadability::from_counts(5, 100, 200, 6);
        assert!(close(r.fernandez_huerta, 66.44, 1e-9), "{r:?}");
        assert!(close(r.szigriszt_pazos, 62.235, 1e-9), "{r:?}");
        assert!(close(r.sol_grade, 4.436454, 1e-9), "{r:?}");
    }

    #[test]
    fn inflesz_cut_offs() {
        for (score, band) in [
            (-10.0, "muy difícil"),
            (39.9, "muy difícil"),
            (40.0, "muy difícil"),
            (40.1, "algo difícil"),
            (55.0, "algo difícil"),
            (55.1, "normal"),
            (65.0, "normal"),
            (65.1, "bastante fácil"),
            (80.0, "bastante fácil"),
            (80.1, "muy fácil"),
            (120.0, "muy fácil"),
        ] {
            assert_eq!(inflesz_band(score), band, "{score}");
        }
    }

    #[test]
    fn empty_text_scores_zero() {
        for text in ["", "   \n\n ", "¿?", "2.5 10"] {
            let r = SpanishReadability::of(text);
            assert_eq!(r, SpanishReadability::default(), "{text:?}");
        }
        let r = SpanishReadability::from_counts(0, 0, 0, 0);
        assert!(
            !r.fernandez_huerta.is_nan() && !r.szigriszt_pazos.is_nan() && !r.sol_grade.is_nan()
        );
    }

    #[test]
    fn opening_marks_end_nothing_and_counting_matches_english() {
        let r =
            SpanishReadability::of("¿Le duele la pierna? ¡Llame al médico!\n\nCuándo pedir ayuda");
        assert_eq!((r.sentences, r.words), (3, 10), "{r:?}");
        let text = "Take 2.5 mg daily. It's e.g.x fine!\n\n\n- item ¿qué? ¡sí! día-noche";
        let english = super::super::Readability::of(text);
        let spanish = SpanishReadability::of(text);
        assert_eq!(
            (spanish.sentences, spanish.words),
            (english.sentences, english.words)
        );
    }

    #[test]
    fn patient_text_is_easier_than_clinical_text() {
        let easy = SpanishReadability::of(
            "Estire el músculo. Camine un poco. Si el dolor no se va, llame al médico.",
        );
        let dense = SpanishReadability::of(
            "La administración concomitante de medicamentos antiinflamatorios no esteroideos \
             incrementa significativamente la probabilidad de complicaciones gastrointestinales \
             hemorrágicas en pacientes anticoagulados.",
        );
        assert!(
            easy.fernandez_huerta > dense.fernandez_huerta,
            "{easy:?} {dense:?}"
        );
        assert!(
            easy.szigriszt_pazos > dense.szigriszt_pazos,
            "{easy:?} {dense:?}"
        );
        assert!(easy.sol_grade < dense.sol_grade, "{easy:?} {dense:?}");
        assert_eq!(inflesz_band(dense.szigriszt_pazos), "muy difícil");
        assert!(
            inflesz_band(easy.szigriszt_pazos).contains("fácil"),
            "{easy:?}"
        );
    }
}
