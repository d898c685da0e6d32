//! Clinical codes on articles (`[[codes]]` in `article.toml`): the code systems a record system
//! asks a knowledge service about (HL7 Infobutton), each checked by its own rules.
//!
//! The check digits are computed by the `verhoeff` (SNOMED CT) and `luhn` (LOINC) crates.

use serde::Deserialize;

/// A code system an article may be coded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeSystem {
    /// ICD-10-CM, the US clinical modification of ICD-10 (problems, diagnoses).
    Icd10cm,
    /// SNOMED CT (problems, findings, substances).
    Snomedct,
    /// RxNorm (medicines).
    Rxnorm,
    /// LOINC (tests and observations).
    Loinc,
}

impl CodeSystem {
    pub const ALL: [CodeSystem; 4] = [
        CodeSystem::Icd10cm,
        CodeSystem::Snomedct,
        CodeSystem::Rxnorm,
        CodeSystem::Loinc,
    ];

    /// The id used in `article.toml`: `icd10cm`, `snomedct`, `rxnorm`, `loinc`.
    pub fn id(self) -> &'static str {
        match self {
            CodeSystem::Icd10cm => "icd10cm",
            CodeSystem::Snomedct => "snomedct",
            CodeSystem::Rxnorm => "rxnorm",
            CodeSystem::Loinc => "loinc",
        }
    }

    /// The system's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            CodeSystem::Icd10cm => "ICD-10-CM",
            CodeSystem::Snomedct => "SNOMED CT",
            CodeSystem::Rxnorm => "RxNorm",
            CodeSystem::Loinc => "LOINC",
        }
    }

    /// The HL7 OID that names the system in a knowledge request (`mainSearchCriteria.v.cs`).
    pub fn oid(self) -> &'static str {
        match self {
            CodeSystem::Icd10cm => "2.16.840.1.113883.6.90",
            CodeSystem::Snomedct => "2.16.840.1.113883.6.96",
            CodeSystem::Rxnorm => "2.16.840.1.113883.6.88",
            CodeSystem::Loinc => "2.16.840.1.113883.6.1",
        }
    }

    pub fn from_oid(oid: &str) -> Option<CodeSystem> {
        CodeSystem::ALL.into_iter().find(|s| s.oid() == oid.trim())
    }

    /// `code` checked by this system's rules, in its usual written form (ICD-10-CM upper case with
    /// its dot); the error says what is wrong, for an editor or a record system.
    pub fn normalise(self, code: &str) -> Result<String, String> {
        let code = code.trim();
        if code.is_empty() {
            return Err(format!("an empty {} code", self.name()));
        }
        if code.len() > 32 {
            return Err(format!("{} codes are shorter than that", self.name()));
        }
        match self {
            CodeSystem::Icd10cm => icd10cm(code),
            CodeSystem::Snomedct => snomedct(code),
            CodeSystem::Rxnorm => rxnorm(code),
            CodeSystem::Loinc => loinc(code),
        }
    }
}

/// ICD-10-CM: a letter, a digit, a letter or digit (the category), then optionally a dot and one to
/// four letters or digits. Written upper case with the dot after the category.
fn icd10cm(code: &str) -> Result<String, String> {
    let bare: String = code.chars().filter(|&c| c != '.').collect::<String>();
    let dots = code.matches('.').count();
    let shape_ok = bare.is_ascii()
        && (3..=7).contains(&bare.len())
        && bare.chars().all(|c| c.is_ascii_alphanumeric())
        && bare.as_bytes()[0].is_ascii_alphabetic()
        && bare.as_bytes()[1].is_ascii_digit()
        && (dots == 0 || (dots == 1 && code.find('.') == Some(3) && bare.len() > 3));
    if !shape_ok {
        return Err(format!(
            "`{code}` is not an ICD-10-CM code (a letter, a digit, a letter or digit, then optionally a dot and up to 4 more, e.g. R25.2)"
        ));
    }
    let bare = bare.to_ascii_uppercase();
    Ok(if bare.len() > 3 {
        format!("{}.{}", &bare[..3], &bare[3..])
    } else {
        bare
    })
}

/// SNOMED CT concept ids: 6 to 18 digits, no leading zero; the two digits before the last are the
/// partition, `00` or `10` for a concept; the last is a Verhoeff check digit.
fn snomedct(code: &str) -> Result<String, String> {
    if !code.bytes().all(|b| b.is_ascii_digit()) || !(6..=18).contains(&code.len()) {
        return Err(format!(
            "`{code}` is not a SNOMED CT identifier (6 to 18 digits)"
        ));
    }
    if code.starts_with('0') {
        return Err(format!(
            "`{code}`: SNOMED CT identifiers have no leading zero"
        ));
    }
    let partition = &code[code.len() - 3..code.len() - 1];
    if partition != "00" && partition != "10" {
        return Err(format!(
            "`{code}` is not a SNOMED CT concept id (its partition is {partition}; concepts have 00 or 10)"
        ));
    }
    if !verhoeff::Verhoeff::validate_verhoeff_check_digit(code) {
        return Err(format!(
            "`{code}` fails the SNOMED CT check digit (Verhoeff): a digit is wrong or two are swapped"
        ));
    }
    Ok(code.to_string())
}

/// RxNorm concept ids (RxCUI): a positive whole number.
fn rxnorm(code: &str) -> Result<String, String> {
    if !code.bytes().all(|b| b.is_ascii_digit()) || code.starts_with('0') || code.len() > 10 {
        return Err(format!(
            "`{code}` is not an RxNorm RxCUI (a positive whole number, e.g. 9071)"
        ));
    }
    Ok(code.to_string())
}

/// LOINC codes: up to 7 digits, a hyphen and a mod-10 (Luhn) check digit, e.g. 2345-7.
fn loinc(code: &str) -> Result<String, String> {
    let shape = code.split_once('-').filter(|(number, check)| {
        !number.is_empty()
            && number.len() <= 7
            && number.bytes().all(|b| b.is_ascii_digit())
            && check.len() == 1
            && check.bytes().all(|b| b.is_ascii_digit())
    });
    let Some((number, check)) = shape else {
        return Err(format!(
            "`{code}` is not a LOINC code (digits, a hyphen and a check digit, e.g. 2345-7)"
        ));
    };
    if !luhn::valid(&format!("{number}{check}")) {
        return Err(format!(
            "`{code}` fails the LOINC check digit (mod 10): a digit is wrong or two are swapped"
        ));
    }
    Ok(code.to_string())
}

/// A code an article is about, checked when content loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub system: CodeSystem,
    /// In the system's usual written form ([`CodeSystem::normalise`]).
    pub code: String,
    /// The code's name in the code system, when given.
    pub display: Option<String>,
}

impl Code {
    /// Whether a request for `requested` (already normalised, in this code's system) finds this
    /// code: the same code, or for ICD-10-CM a code below this one (R25.2 finds an article coded
    /// R25), as MedlinePlus Connect answers.
    pub fn answers(&self, system: CodeSystem, requested: &str) -> bool {
        if system != self.system {
            return false;
        }
        if system == CodeSystem::Icd10cm {
            let ours = self.code.replace('.', "");
            let theirs = requested.replace('.', "");
            return theirs.starts_with(&ours);
        }
        self.code == requested
    }
}

#[cfg(test)]
mod tests {
    use super::CodeSystem::*;

    #[test]
    fn icd10cm_codes_are_checked_and_written_with_their_dot() {
        assert_eq!(Icd10cm.normalise("r252").unwrap(), "R25.2");
        assert_eq!(Icd10cm.normalise("R25.2").unwrap(), "R25.2");
        assert_eq!(Icd10cm.normalise("R25").unwrap(), "R25");
        assert_eq!(Icd10cm.normalise("I70.213").unwrap(), "I70.213");
        for bad in [
            "25.2",
            "R2",
            "R25.",
            "R2.52",
            "R25.22222",
            "RR5.2",
            "R25-2",
            "R25..2",
        ] {
            assert!(Icd10cm.normalise(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn snomed_ct_ids_need_a_concept_partition_and_their_check_digit() {
        // 22298006 is myocardial infarction; 73211009 diabetes mellitus.
        assert!(Snomedct.normalise("22298006").is_ok());
        assert!(Snomedct.normalise("73211009").is_ok());
        let wrong_digit = Snomedct.normalise("22298007").unwrap_err();
        assert!(wrong_digit.contains("check digit"), "{wrong_digit}");
        let swapped = Snomedct.normalise("22928006").unwrap_err();
        assert!(swapped.contains("check digit"), "{swapped}");
        assert!(Snomedct.normalise("12345").is_err(), "too short");
        assert!(Snomedct.normalise("022298006").is_err(), "leading zero");
        assert!(Snomedct.normalise("2229801x").is_err());
        // A description id (partition 01) is not a concept.
        assert!(
            Snomedct
                .normalise("22298016")
                .unwrap_err()
                .contains("partition")
        );
    }

    #[test]
    fn rxnorm_and_loinc_codes_are_checked() {
        assert!(Rxnorm.normalise("9071").is_ok());
        for bad in ["0", "09071", "-1", "9071a", ""] {
            assert!(Rxnorm.normalise(bad).is_err(), "{bad}");
        }
        assert!(Loinc.normalise("2345-7").is_ok());
        assert!(Loinc.normalise("718-7").is_ok());
        assert!(
            Loinc
                .normalise("2345-6")
                .unwrap_err()
                .contains("check digit")
        );
        for bad in ["2345", "2345-", "-7", "23a5-7", "2345-77"] {
            assert!(Loinc.normalise(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn icd10cm_requests_find_their_parent_codes() {
        let code = super::Code {
            system: Icd10cm,
            code: "R25".into(),
            display: None,
        };
        assert!(code.answers(Icd10cm, "R25.2"));
        assert!(code.answers(Icd10cm, "R25"));
        assert!(!code.answers(Icd10cm, "R2"));
        assert!(!code.answers(Icd10cm, "R26.2"));
        assert!(!code.answers(Snomedct, "R25"));
    }
}
