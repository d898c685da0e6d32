//! Parity of facts across wordings. Wordings of one article say the same thing in different words,
//! so a quantity (a dose, a duration, a percentage) in one wording that the most technical wording
//! does not contain is almost always a slip: a decimal point moved, a range changed. So is a section
//! id (`{#id}`, which marks corresponding sections) that some wordings have and others do not.
//!
//! Quantities are found by a small scanner rather than a general parser: a number or a range of
//! numbers followed by a unit from [`UNITS`], written in a normal form so that "0.50 mg", "0.5mg" and
//! "0.5 milligrams" compare equal.

use super::problems::Problems;
use crate::content::model::Wording;
use crate::markdown::Rendered;
use std::collections::BTreeSet;

/// Units a quantity may have, each with its normal form. Longer spellings come first, so the
/// longest one matches.
const UNITS: &[(&str, &str)] = &[
    // Spanish spellings, for translations: "0,5 miligramos", "3 veces al día".
    ("veces al día", "times a day"),
    ("veces a la semana", "times a week"),
    ("microgramos", "mcg"),
    ("miligramos", "mg"),
    ("mililitros", "ml"),
    ("kilogramos", "kg"),
    ("gramos", "g"),
    ("unidades", "units"),
    ("por ciento", "%"),
    ("horas", "h"),
    ("hora", "h"),
    ("minutos", "min"),
    ("días", "day"),
    ("día", "day"),
    ("semanas", "week"),
    ("semana", "week"),
    ("meses", "month"),
    ("mes", "month"),
    ("años", "year"),
    ("año", "year"),
    ("times a day", "times a day"),
    ("times daily", "times a day"),
    ("times a week", "times a week"),
    ("times weekly", "times a week"),
    ("micrograms", "mcg"),
    ("microgram", "mcg"),
    ("milligrams", "mg"),
    ("milligram", "mg"),
    ("millilitres", "ml"),
    ("millilitre", "ml"),
    ("milliliters", "ml"),
    ("milliliter", "ml"),
    ("mmol/l", "mmol/l"),
    ("mmol", "mmol"),
    ("mg/kg", "mg/kg"),
    ("kilograms", "kg"),
    ("grams", "g"),
    ("gram", "g"),
    ("units", "units"),
    ("unit", "units"),
    ("percent", "%"),
    ("hours", "h"),
    ("hour", "h"),
    ("hrs", "h"),
    ("minutes", "min"),
    ("minute", "min"),
    ("mins", "min"),
    ("min", "min"),
    ("days", "day"),
    ("day", "day"),
    ("weeks", "week"),
    ("week", "week"),
    ("months", "month"),
    ("month", "month"),
    ("years", "year"),
    ("year", "year"),
    ("mcg", "mcg"),
    ("µg", "mcg"),
    ("mg", "mg"),
    ("ml", "ml"),
    ("kg", "kg"),
    ("iu", "units"),
    ("g", "g"),
    ("h", "h"),
    ("%", "%"),
];

/// Rates after a unit, with their normal form.
const RATES: &[(&str, &str)] = &[
    ("al día", "/day"),
    ("por día", "/day"),
    ("a la semana", "/week"),
    ("por semana", "/week"),
    ("/day", "/day"),
    ("a day", "/day"),
    ("per day", "/day"),
    ("each day", "/day"),
    ("daily", "/day"),
    ("/week", "/week"),
    ("a week", "/week"),
    ("per week", "/week"),
    ("each week", "/week"),
    ("weekly", "/week"),
];

/// Whether `text` (lower case) starts at `at`.
fn starts_with(chars: &[char], at: usize, text: &str) -> bool {
    let len = text.chars().count();
    chars.len() >= at + len
        && chars[at..at + len]
            .iter()
            .flat_map(|c| c.to_lowercase())
            .eq(text.chars())
}

/// The quantities in `text`, in normal form ("0.5-1 mg", "3 times a day"), in order of appearance.
pub fn quantities(text: &str) -> Vec<String> {
    quantities_at(text).into_iter().map(|(_, q)| q).collect()
}

/// The quantities in `text` with the byte offsets where they start.
fn quantities_at(text: &str) -> Vec<(usize, String)> {
    let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let (first, mut at) = number(&chars, i);
        let mut value = first.clone();
        // A range: "200-300", "200 – 300", "2 to 3".
        let mut j = skip_spaces(&chars, at);
        let separator = if matches!(chars.get(j), Some('-' | '–' | '—')) {
            Some(j + 1)
        } else if word_at(&chars, j, "to") {
            Some(j + 2)
        } else if word_at(&chars, j, "a") {
            // Spanish: "20 a 40 g".
            Some(j + 1)
        } else {
            None
        };
        if let Some(after) = separator {
            let k = skip_spaces(&chars, after);
            if chars.get(k).is_some_and(char::is_ascii_digit) {
                let (second, end) = number(&chars, k);
                value = format!("{first}-{second}");
                at = end;
                j = skip_spaces(&chars, at);
            }
        }
        if let Some((unit, mut end)) = unit_at(&chars, j) {
            // A rate: "10 mg a day", "10 mg/day", "10 mg daily" are one quantity.
            let mut rate = "";
            if !matches!(
                unit,
                "h" | "min" | "day" | "week" | "month" | "year" | "times a day" | "times a week"
            ) {
                for (suffix, per) in RATES {
                    let k = if suffix.starts_with('/') {
                        end
                    } else {
                        skip_spaces(&chars, end)
                    };
                    if word_at(&chars, k, suffix)
                        || (suffix.starts_with('/') && starts_with(&chars, k, suffix))
                    {
                        rate = per;
                        end = k + suffix.chars().count();
                        break;
                    }
                }
            }
            found.push((offsets[i], format!("{value} {unit}{rate}")));
            i = end;
        } else {
            i = at.max(i + 1);
        }
    }
    found
}

/// The number starting at `start` in normal form (thousands separators dropped, trailing decimal
/// zeros dropped), and where it ends.
fn number(chars: &[char], start: usize) -> (String, usize) {
    let mut end = start;
    let mut digits = String::new();
    while end < chars.len() {
        let c = chars[end];
        if c.is_ascii_digit() {
            digits.push(c);
        } else if (c == '.' || c == ',') && chars.get(end + 1).is_some_and(char::is_ascii_digit) {
            // "1,000" is a thousands separator when three digits follow; "0,5" and "1.5" are decimals.
            let three = (1..=3).all(|n| chars.get(end + n).is_some_and(char::is_ascii_digit))
                && !chars.get(end + 4).is_some_and(char::is_ascii_digit);
            if c == ',' && three {
                end += 1;
                continue;
            }
            digits.push('.');
        } else {
            break;
        }
        end += 1;
    }
    if digits.contains('.') {
        while digits.ends_with('0') {
            digits.pop();
        }
        if digits.ends_with('.') {
            digits.pop();
        }
    }
    (digits, end)
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while chars
        .get(at)
        .is_some_and(|c| *c == ' ' || *c == '\u{a0}' || *c == '\u{202f}')
    {
        at += 1;
    }
    at
}

/// Whether `word` (lower case) starts at `at`, as a whole word.
fn word_at(chars: &[char], at: usize, word: &str) -> bool {
    let len = word.chars().count();
    chars.len() >= at + len
        && chars[at..at + len]
            .iter()
            .flat_map(|c| c.to_lowercase())
            .eq(word.chars())
        && !chars.get(at + len).is_some_and(|c| c.is_alphanumeric())
}

/// The unit starting at `at` in normal form, and where it ends.
fn unit_at(chars: &[char], at: usize) -> Option<(&'static str, usize)> {
    UNITS.iter().find_map(|(spelling, normal)| {
        let len = spelling.chars().count();
        let matches = chars.len() >= at + len
            && chars[at..at + len]
                .iter()
                .flat_map(|c| c.to_lowercase())
                .eq(spelling.chars())
            && (spelling.ends_with('%')
                || !chars.get(at + len).is_some_and(|c| c.is_alphanumeric()));
        matches.then_some((*normal, at + len))
    })
}

/// The id of the section of `body` holding byte `offset` of its text ("the introduction" before the
/// first heading).
fn section_of(body: &Rendered, offset: usize) -> String {
    body.sections
        .iter()
        .find(|s| s.text.contains(&offset) || s.text.end == offset)
        .and_then(|s| s.heading)
        .and_then(|h| body.headings.get(h))
        .map(|h| format!("section #{}", h.id))
        .unwrap_or_else(|| "the introduction".to_string())
}

/// Warns about every quantity in a wording that the most technical wording (the last in the site's
/// audience order) does not contain, and about explicit section ids missing from some wordings.
pub fn check_parity(wordings: &[Wording], problems: &mut Problems) {
    let Some(technical) = wordings.last() else {
        return;
    };
    if wordings.len() < 2 {
        return;
    }
    let reference: BTreeSet<String> = quantities(&technical.body.text).into_iter().collect();
    // A quantity written without its rate ("up by 10 mg") matches the same quantity with one
    // ("10 mg/day"); different rates ("/day" against "/week") do not match.
    let strip = |q: &str| -> Option<String> {
        q.strip_suffix("/day")
            .or_else(|| q.strip_suffix("/week"))
            .map(str::to_string)
    };
    let without_rate: BTreeSet<String> = reference.iter().filter_map(|q| strip(q)).collect();
    let known = |q: &str| reference.contains(q) || (strip(q).is_none() && without_rate.contains(q));
    for wording in &wordings[..wordings.len() - 1] {
        let mut reported = BTreeSet::new();
        for (start, quantity) in quantities_at(&wording.body.text) {
            if known(&quantity) || !reported.insert(quantity.clone()) {
                continue;
            }
            problems.warning(
                &wording.path,
                None,
                format!(
                    "{}: \"{quantity}\" is not in {}: check the figure against the source, or add it there",
                    section_of(&wording.body, start),
                    file_name(technical)
                ),
            );
        }
    }
    let all: Vec<BTreeSet<String>> = wordings.iter().map(explicit_ids).collect();
    for (n, ids) in all.iter().enumerate() {
        for id in ids {
            for (m, other) in wordings.iter().enumerate() {
                if m != n && !all[m].contains(id) {
                    problems.warning(
                        &other.path,
                        None,
                        format!(
                            "has no section {{#{id}}}, which {} has: give the corresponding section the same id, so readers switching wording land in the same place",
                            file_name(&wordings[n])
                        ),
                    );
                }
            }
        }
    }
}

/// Warns about every quantity in `translation` that its source wording does not have in the same
/// section (a decimal point moved in translation: "0,5 mg" for "5 mg"), every quantity of the
/// source the translation lacks, and section ids one has and the other lacks.
pub fn check_translation_parity(source: &Wording, translation: &Wording, problems: &mut Problems) {
    let by_section = |w: &Wording| -> std::collections::BTreeMap<String, Vec<String>> {
        let mut map: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (start, q) in quantities_at(&w.body.text) {
            map.entry(section_of(&w.body, start)).or_default().push(q);
        }
        map
    };
    let theirs = by_section(source);
    let ours = by_section(translation);
    // Every number of the source, by section: "55 años" translates "aged 55", which has no unit.
    let mut source_numbers: std::collections::BTreeMap<String, BTreeSet<String>> =
        Default::default();
    {
        let text = &source.body.text;
        let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit()
                && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'))
            {
                let (value, end) = number(&chars, i);
                source_numbers
                    .entry(section_of(&source.body, offsets[i]))
                    .or_default()
                    .insert(value);
                i = end.max(i + 1);
            } else {
                i += 1;
            }
        }
    }
    // Shown as the translation writes numbers: a decimal comma in Spanish.
    let comma = translation.lang == "es" || translation.lang.starts_with("es-");
    let shown = |q: &str| {
        if comma {
            q.replacen('.', ",", 1)
        } else {
            q.to_string()
        }
    };
    let (source_name, name) = (file_name(source), file_name(translation));
    for (section, quantities) in &ours {
        let there = theirs.get(section).cloned().unwrap_or_default();
        let numbers = source_numbers.get(section).cloned().unwrap_or_default();
        let mut reported = BTreeSet::new();
        for q in quantities {
            let value = q.split(' ').next().unwrap_or_default();
            let bare = there.is_empty() || !value.contains('-');
            if there.contains(q)
                || (bare && value.split('-').all(|n| numbers.contains(n)))
                || !reported.insert(q.clone())
            {
                continue;
            }
            problems.warning(
                &translation.path,
                None,
                format!(
                    "{section}: \"{}\" is not in the source wording {source_name}, which has {} there: check the translation against the source",
                    shown(q),
                    if there.is_empty() {
                        "no quantity".to_string()
                    } else {
                        there.join(", ")
                    }
                ),
            );
        }
    }
    for (section, quantities) in &theirs {
        let here = ours.get(section).cloned().unwrap_or_default();
        let mut reported = BTreeSet::new();
        for q in quantities {
            if here.contains(q) || !reported.insert(q.clone()) {
                continue;
            }
            problems.warning(
                &translation.path,
                None,
                format!(
                    "{section}: the source wording {source_name} says \"{q}\", which {name} does not: translate it with the same figure"
                ),
            );
        }
    }
    let (a, b) = (explicit_ids(source), explicit_ids(translation));
    for id in a.difference(&b) {
        problems.warning(
            &translation.path,
            None,
            format!("has no section {{#{id}}}, which {source_name} has: keep the source's section ids in the translation"),
        );
    }
    for id in b.difference(&a) {
        problems.warning(
            &translation.path,
            None,
            format!("has a section {{#{id}}} that {source_name} does not have: keep the source's section ids"),
        );
    }
}

/// The section ids a wording's author gave (`{#id}`), which mark corresponding sections.
fn explicit_ids(w: &Wording) -> BTreeSet<String> {
    w.body
        .headings
        .iter()
        .filter(|h| h.explicit)
        .map(|h| h.id.clone())
        .collect()
}

fn file_name(w: &Wording) -> String {
    w.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::quantities;

    #[test]
    fn quantities_are_found_in_normal_form() {
        assert_eq!(
            quantities("Take 200–300 mg at night, or 0.50 milligrams; 3 times daily for 6 weeks."),
            vec!["200-300 mg", "0.5 mg", "3 times a day", "6 week"]
        );
        assert_eq!(
            quantities("10 mg a day, 10 mg/day, 10 mg daily; 20 to 40 g a week; 5 days a week"),
            vec![
                "10 mg/day",
                "10 mg/day",
                "10 mg/day",
                "20-40 g/week",
                "5 day"
            ]
        );
        assert_eq!(
            quantities("1,000 units and 0,5 mL; 10% of people; 2 to 4 hours"),
            vec!["1000 units", "0.5 ml", "10 %", "2-4 h"]
        );
        // Numbers without units, and units inside words, are not quantities.
        assert!(quantities("6 in 10 adults aged 55 and over; 2 grammes? B12 version 2").is_empty());
        assert_eq!(quantities("a 5mg tablet, 5 mgs"), vec!["5 mg"]);
    }
}
