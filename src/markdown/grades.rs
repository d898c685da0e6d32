//! Evidence grades beside citations: `[@key]{grade="GRADE:low"}`, `{grade="ACC-AHA:1-A"}`,
//! `{grade="NICE:consider"}`. A grade says how strong the evidence (or recommendation) behind a
//! claim is, in one of three systems; professional wordings show it beside the citation numbers.

/// A checked grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grade {
    /// GRADE certainty of evidence: `high`, `moderate`, `low`, `very-low`.
    Certainty(&'static str),
    /// ACC/AHA class of recommendation (`1`, `2a`, `2b`, `3`) and level of evidence (`A`, `B-R`,
    /// `B-NR`, `C-LD`, `C-EO`).
    AccAha {
        class: &'static str,
        level: &'static str,
    },
    /// NICE's wording of a recommendation: `offer` or `consider`.
    Nice(&'static str),
}

const CERTAINTY: [&str; 4] = ["high", "moderate", "low", "very-low"];
const CLASSES: [(&str, &str); 8] = [
    ("1", "I"),
    ("i", "I"),
    ("2a", "IIa"),
    ("iia", "IIa"),
    ("2b", "IIb"),
    ("iib", "IIb"),
    ("3", "III"),
    ("iii", "III"),
];
const LEVELS: [&str; 5] = ["A", "B-R", "B-NR", "C-LD", "C-EO"];

impl Grade {
    /// Parses the value of `grade="..."`; the error says what is allowed.
    pub fn parse(value: &str) -> Result<Grade, String> {
        let Some((system, grade)) = value.split_once(':') else {
            return Err(format!(
                "grade {value:?} names no system: write GRADE:low, ACC-AHA:1-A or NICE:consider"
            ));
        };
        match system.to_ascii_uppercase().as_str() {
            "GRADE" => {
                let g = grade.to_ascii_lowercase().replace(' ', "-");
                CERTAINTY
                    .into_iter()
                    .find(|c| *c == g)
                    .map(Grade::Certainty)
                    .ok_or_else(|| {
                        format!("GRADE certainty {grade:?} is not high, moderate, low or very-low")
                    })
            }
            "ACC-AHA" => {
                let (class, level) = grade.split_once('-').ok_or_else(|| {
                    format!(
                        "ACC/AHA grade {grade:?} needs a class and a level, e.g. 1-A or 2a-B-NR"
                    )
                })?;
                let class = CLASSES
                    .into_iter()
                    .find(|(token, _)| token.eq_ignore_ascii_case(class))
                    .map(|(_, name)| name)
                    .ok_or_else(|| format!("ACC/AHA class {class:?} is not 1, 2a, 2b or 3"))?;
                let level = LEVELS
                    .into_iter()
                    .find(|l| l.eq_ignore_ascii_case(level))
                    .ok_or_else(|| {
                        format!(
                            "ACC/AHA level of evidence {level:?} is not A, B-R, B-NR, C-LD or C-EO"
                        )
                    })?;
                Ok(Grade::AccAha { class, level })
            }
            "NICE" => match grade.to_ascii_lowercase().as_str() {
                "offer" => Ok(Grade::Nice("offer")),
                "consider" => Ok(Grade::Nice("consider")),
                _ => Err(format!("NICE grade {grade:?} is not offer or consider")),
            },
            _ => Err(format!(
                "grade system {system:?} is not known: use GRADE, ACC-AHA or NICE"
            )),
        }
    }

    /// The grade as carried inside a citation placeholder (no spaces, no `|`).
    pub fn token(&self) -> String {
        match self {
            Grade::Certainty(c) => format!("GRADE:{c}"),
            Grade::AccAha { class, level } => format!("ACC-AHA:{class}-{level}"),
            Grade::Nice(w) => format!("NICE:{w}"),
        }
    }

    /// The grade written out, as readers (and screen readers) get it.
    pub fn words(&self) -> String {
        match self {
            Grade::Certainty(c) => format!("GRADE: {} certainty", c.replace('-', " ")),
            Grade::AccAha { class, level } => format!("ACC/AHA: Class {class}, LOE {level}"),
            Grade::Nice(w) => format!("NICE: {w}"),
        }
    }

    /// The system's name, for the key under the references.
    pub fn system(&self) -> &'static str {
        match self {
            Grade::Certainty(_) => "GRADE",
            Grade::AccAha { .. } => "ACC/AHA",
            Grade::Nice(_) => "NICE",
        }
    }

    /// Low or very low certainty: an effect that may well differ from what was found.
    pub fn is_uncertain(&self) -> bool {
        matches!(self, Grade::Certainty("low" | "very-low"))
    }
}

/// If `text` starts with `{grade="..."}` (straight or curly quotes, as smart punctuation writes
/// them), the value and the length of that prefix in bytes.
pub fn grade_prefix(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("{grade=")?;
    let open = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '“' | '”'))?;
    let rest = &rest[open.len_utf8()..];
    let end = rest.find(['"', '“', '”'])?;
    let value = &rest[..end];
    let close = rest[end..].chars().next()?;
    let after = rest[end + close.len_utf8()..].strip_prefix('}')?;
    if value.len() > 40 || value.contains(['{', '}', '\n']) {
        return None;
    }
    Some((value, text.len() - after.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_in_three_systems() {
        assert_eq!(
            Grade::parse("GRADE:low").unwrap().words(),
            "GRADE: low certainty"
        );
        assert_eq!(
            Grade::parse("GRADE:very-low").unwrap().words(),
            "GRADE: very low certainty"
        );
        assert_eq!(
            Grade::parse("ACC-AHA:1-A").unwrap().words(),
            "ACC/AHA: Class I, LOE A"
        );
        assert_eq!(
            Grade::parse("ACC-AHA:2b-C-LD").unwrap().words(),
            "ACC/AHA: Class IIb, LOE C-LD"
        );
        assert_eq!(
            Grade::parse("NICE:consider").unwrap().words(),
            "NICE: consider"
        );
        for bad in [
            "low",
            "GRADE:medium",
            "ACC-AHA:4-A",
            "ACC-AHA:1",
            "ACC-AHA:1-D",
            "NICE:must",
            "OXFORD:1a",
        ] {
            assert!(Grade::parse(bad).is_err(), "{bad}");
        }
        assert!(Grade::parse("GRADE:low").unwrap().is_uncertain());
        assert!(!Grade::parse("GRADE:moderate").unwrap().is_uncertain());
    }

    #[test]
    fn the_prefix_is_read_with_either_quotes() {
        assert_eq!(
            grade_prefix("{grade=\"GRADE:low\"}. Next"),
            Some(("GRADE:low", 19))
        );
        let curly = "{grade=“GRADE:low”} rest";
        let (value, len) = grade_prefix(curly).unwrap();
        assert_eq!(value, "GRADE:low");
        assert_eq!(&curly[len..], " rest");
        assert_eq!(grade_prefix("{grade=GRADE:low}"), None);
        assert_eq!(grade_prefix(" {grade=\"GRADE:low\"}"), None);
    }
}
