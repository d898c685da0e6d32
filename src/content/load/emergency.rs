//! Emergency advice kept in every wording. A wording without the `[!EMERGENCY]` card another wording
//! has is warned about; so is a sign that a more technical wording's emergency cards name and none of
//! a plainer wording's emergency cards mention (a patient must never lose a "call now" sign the
//! clinicians' page has).
//!
//! Signs are matched loosely, by meaning rather than by words: each entry of [`SIGNS`] lists the
//! clinical and the plain ways of writing one sign ("haemoptysis", "coughing up blood"), and a
//! wording mentions the sign when its emergency cards contain any of them. Only signs in the list
//! are compared, so an item that only clinicians act on (a CK level, a test to arrange) never warns.

use super::problems::Problems;
use crate::content::model::Wording;
use crate::markdown::CardKind;

/// Emergency signs: a short name for messages, then the phrases that mention it (lower case, words
/// separated by single spaces; matched at word boundaries, so "faint" finds "faint" and "fainting"
/// but not "unfainted"... and a phrase may end in the middle of a word: "breath" finds "breathless").
const SIGNS: &[(&str, &[&str])] = &[
    (
        "coughing up blood (haemoptysis)",
        &[
            "haemoptysis",
            "hemoptysis",
            "cough up blood",
            "coughs up blood",
            "coughing up blood",
            "coughing blood",
            "cough blood",
            "blood when you vomit or cough",
            "blood when you cough",
        ],
    ),
    (
        "vomiting blood (haematemesis)",
        &[
            "haematemesis",
            "hematemesis",
            "vomit blood",
            "vomits blood",
            "vomiting blood",
            "vomiting up blood",
            "blood when you vomit",
        ],
    ),
    (
        "black stools (melaena)",
        &[
            "melaena",
            "melena",
            "black stool",
            "black poo",
            "poo is black",
            "black tarry",
        ],
    ),
    (
        "heavy or unstoppable bleeding",
        &[
            "heavy bleeding",
            "major bleeding",
            "prolonged bleeding",
            "heavy or prolonged bleeding",
            "bleeding that will not stop",
            "bleeding that won't stop",
            "bleeding that does not stop",
            "bleeding will not stop",
        ],
    ),
    (
        "a head injury",
        &[
            "head injury",
            "head injuries",
            "hit your head",
            "hit their head",
            "head trauma",
        ],
    ),
    (
        "chest pain",
        &[
            "chest pain",
            "chest pains",
            "angina",
            "pain in your chest",
            "pain in the chest",
        ],
    ),
    (
        "breathlessness or difficulty breathing",
        &[
            "breathless",
            "breathing difficult",
            "difficulty breathing",
            "dyspnoea",
            "dyspnea",
            "short of breath",
            "shortness of breath",
            "hard to breathe",
            "trouble breathing",
            "cannot breathe",
            "can't breathe",
            "respiratory distress",
        ],
    ),
    (
        "fainting (syncope)",
        &[
            "syncope",
            "faint",
            "collapse",
            "pass out",
            "passes out",
            "passed out",
            "black out",
            "blackout",
        ],
    ),
    (
        "a racing or irregular heartbeat",
        &[
            "palpitation",
            "arrhythmia",
            "tachycardia",
            "irregular heart",
            "uneven heart",
            "heart races",
            "heart racing",
            "racing heart",
            "beats unevenly",
            "heart beats fast",
            "heartbeat",
        ],
    ),
    (
        "swelling of the face, lips or tongue (angioedema)",
        &[
            "angioedema",
            "angio-oedema",
            "facial swelling",
            "face swells",
            "face swelling",
            "swollen face",
            "face, lips or tongue",
            "lips or tongue swell",
            "swelling of the face",
        ],
    ),
    (
        "dark or discoloured urine",
        &[
            "discoloured urine",
            "discolored urine",
            "dark urine",
            "cola-coloured",
            "cola coloured",
            "dark pee",
            "pee is dark",
            "brown urine",
            "myoglobinuria",
        ],
    ),
    (
        "a fever",
        &["fever", "pyrexia", "febrile", "high temperature"],
    ),
    (
        "a sudden cold or pale limb",
        &[
            "pallor",
            "pale",
            "coldness",
            "cold limb",
            "cold leg",
            "cold foot",
            "turns cold",
            "becomes cold",
        ],
    ),
    (
        "an overdose",
        &[
            "overdose",
            "too much",
            "more than the prescribed",
            "poisoning",
        ],
    ),
];

/// Lower case, with every run of characters other than letters, digits, `'` and `-` made one space,
/// and a space at each end, so that phrases can be found at word starts.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2019}' => '\'',
            '\u{2013}' | '\u{2010}' | '\u{2011}' => '-',
            c => c,
        };
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if !space {
        out.push(' ');
    }
    out
}

/// The signs of [`SIGNS`] (by index) that `text` (normalised) mentions.
fn signs_in(text: &str) -> Vec<usize> {
    SIGNS
        .iter()
        .enumerate()
        .filter(|(_, (_, phrases))| {
            phrases
                .iter()
                .any(|p| text.contains(&format!(" {}", normalise(p).trim())))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The normalised text of a wording's `[!EMERGENCY]` cards.
fn emergency_text(w: &Wording) -> String {
    let text: Vec<&str> = w
        .body
        .cards
        .iter()
        .zip(&w.body.card_texts)
        .filter(|(k, _)| **k == CardKind::Emergency)
        .map(|(_, t)| t.as_str())
        .collect();
    normalise(&text.join("\n"))
}

/// Every wording must keep the "call now" advice the others have. `wordings` are in the order of
/// `site.toml`'s audiences, plainest first.
pub(super) fn check_emergency_cards(wordings: &[Wording], problems: &mut Problems) {
    let has = |w: &Wording| w.body.cards.contains(&CardKind::Emergency);
    let Some(with) = wordings.iter().find(|w| has(w)) else {
        return;
    };
    for w in wordings.iter().filter(|w| !has(w)) {
        problems.warning(
            &w.path,
            None,
            format!(
                "has no [!EMERGENCY] care card, but the `{}` wording has one: readers of this wording must get the same emergency advice",
                with.audience
            ),
        );
    }
    // Signs: each plainer wording against every more technical one, each sign reported once.
    let texts: Vec<String> = wordings.iter().map(emergency_text).collect();
    for (i, plain) in wordings.iter().enumerate() {
        if !has(plain) {
            continue;
        }
        let mine = signs_in(&texts[i]);
        let mut reported: Vec<usize> = Vec::new();
        for (technical, text) in wordings.iter().zip(&texts).skip(i + 1) {
            for sign in signs_in(text) {
                if mine.contains(&sign) || reported.contains(&sign) {
                    continue;
                }
                reported.push(sign);
                problems.warning(
                    &plain.path,
                    None,
                    format!(
                        "the `{}` wording's emergency card names {}, which no emergency card of this wording mentions: say it here too, in this wording's words",
                        technical.audience, SIGNS[sign].0
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        signs_in(&normalise(text))
            .into_iter()
            .map(|i| SIGNS[i].0)
            .collect()
    }

    #[test]
    fn clinical_and_plain_words_name_the_same_sign() {
        assert_eq!(
            names("Leg symptoms with haemoptysis."),
            names("You cough up blood.")
        );
        assert_eq!(
            names("Syncope or palpitations"),
            names("You faint, or your heart races")
        );
        assert_eq!(
            names("Discoloured urine"),
            names("Your pee is dark, brown or cola-coloured")
        );
        assert_eq!(names("Breathlessness"), names("You are short of breath"));
    }

    #[test]
    fn phrases_match_at_word_starts_only() {
        assert!(names("a complex case").is_empty(), "no `pale` in `complex`");
        assert!(names("unfainted").is_empty());
        assert_eq!(names("fainting"), ["fainting (syncope)"]);
        assert!(names("CK above 50 × ULN").is_empty());
    }
}
