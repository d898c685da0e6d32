//! Knowledge requests by clinical code (HL7 Context-Aware Knowledge Retrieval, "Infobutton", the
//! URL-based implementation guide), as MedlinePlus Connect answers them: a record system asks for
//! material on a problem, medicine or test code, for the patient or the clinician, and gets the
//! approved articles coded with it, in the right wording. Free of web types: `src/web` parses the
//! URL into pairs and writes the answer.

use crate::content::{Article, AudienceType, Code, CodeSystem, Date, ReviewStatus, Site};
use std::collections::BTreeMap;

/// Every approved public article by its codes, built once per snapshot: (system, code without its
/// dot) to slugs, in slug order.
#[derive(Debug, Default)]
pub struct CodeIndex {
    by_code: BTreeMap<(CodeSystem, String), Vec<String>>,
}

/// The key of `code` in the index: ICD-10-CM without its dot, so parents are its prefixes.
fn key(system: CodeSystem, code: &str) -> String {
    if system == CodeSystem::Icd10cm {
        code.replace('.', "")
    } else {
        code.to_string()
    }
}

/// Whether an answer may name `article`: approved, so never a draft, pending or withdrawn one (a
/// withdrawn article is not among the site's articles at all).
fn answerable(article: &Article) -> bool {
    article.review.status == ReviewStatus::Approved
}

impl CodeIndex {
    pub fn build(site: &Site) -> CodeIndex {
        let mut by_code: BTreeMap<(CodeSystem, String), Vec<String>> = BTreeMap::new();
        for article in site.public_articles().filter(|a| answerable(a)) {
            for Code { system, code, .. } in &article.codes {
                by_code
                    .entry((*system, key(*system, code)))
                    .or_default()
                    .push(article.slug.clone());
            }
        }
        CodeIndex { by_code }
    }

    /// The slugs coded with `code` (normalised) in `system`; for ICD-10-CM also those coded with a
    /// parent of it (R25.2 finds R25), the closest first.
    pub fn find(&self, system: CodeSystem, code: &str) -> Vec<&str> {
        let wanted = key(system, code);
        let mut found: Vec<&str> = Vec::new();
        let lengths: Vec<usize> = if system == CodeSystem::Icd10cm {
            (3..=wanted.len()).rev().collect()
        } else {
            vec![wanted.len()]
        };
        for len in lengths {
            if let Some(slugs) = self.by_code.get(&(system, wanted[..len].to_string())) {
                for slug in slugs {
                    if !found.contains(&slug.as_str()) {
                        found.push(slug);
                    }
                }
            }
        }
        found
    }
}

/// Who the material is for (`informationRecipient`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// `PAT`: the patient (or a caregiver).
    Patient,
    /// `PROV`: a healthcare provider.
    Provider,
}

impl Recipient {
    pub fn code(self) -> &'static str {
        match self {
            Recipient::Patient => "PAT",
            Recipient::Provider => "PROV",
        }
    }
}

/// The answer's format (`knowledgeResponseType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `text/xml`, the default: an Atom feed.
    Atom,
    /// `application/json`: the same feed in MedlinePlus Connect's JSON form.
    Json,
    /// `text/html`: the single best wording, or a page listing several.
    Html,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Atom => "text/xml",
            Format::Json => "application/json",
            Format::Html => "text/html",
        }
    }
}

/// A knowledge request, checked.
#[derive(Debug, Clone)]
pub struct Request {
    pub system: CodeSystem,
    /// Normalised by the system's rules.
    pub code: String,
    /// `mainSearchCriteria.v.dn`, the code's name as the record system shows it.
    pub display: Option<String>,
    /// `None`: the site's default audience.
    pub recipient: Option<Recipient>,
    /// `informationRecipient.languageCode.c`, lower case.
    pub language: Option<String>,
    pub format: Format,
}

/// A request that cannot be answered: 400, with `message`, in `format`.
#[derive(Debug, Clone)]
pub struct BadRequest {
    pub format: Format,
    pub message: String,
}

/// The longest parameter value read.
const MAX_VALUE_CHARS: usize = 200;

/// Checks the request's URL parameters (`pairs`, decoded, in order). Unknown parameters are
/// ignored, as the guide allows; a parameter given twice is an error.
pub fn parse(pairs: &[(String, String)]) -> Result<Request, BadRequest> {
    let get = |name: &str| -> Result<Option<&str>, String> {
        let mut values = pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim());
        let first = values.next();
        if values.next().is_some() {
            return Err(format!("`{name}` is given more than once"));
        }
        if first.is_some_and(|v| v.chars().count() > MAX_VALUE_CHARS) {
            return Err(format!("`{name}` is too long"));
        }
        Ok(first.filter(|v| !v.is_empty()))
    };
    // The format first, so every other error is told in it.
    let format = match get("knowledgeResponseType") {
        Ok(None) => Format::Atom,
        Ok(Some(t)) => match t.to_ascii_lowercase().as_str() {
            "text/xml" | "application/xml" | "application/atom+xml" => Format::Atom,
            "application/json" => Format::Json,
            "text/html" => Format::Html,
            other => {
                return Err(BadRequest {
                    format: Format::Atom,
                    message: format!(
                        "`knowledgeResponseType` {other:?} is not offered: use text/xml, application/json or text/html"
                    ),
                });
            }
        },
        Err(message) => {
            return Err(BadRequest {
                format: Format::Atom,
                message,
            });
        }
    };
    let bad = |message: String| BadRequest { format, message };
    let code = get("mainSearchCriteria.v.c")
        .map_err(bad)?
        .ok_or_else(|| bad("`mainSearchCriteria.v.c` (the code) is missing".into()))?;
    let oid = get("mainSearchCriteria.v.cs")
        .map_err(bad)?
        .ok_or_else(|| {
            bad("`mainSearchCriteria.v.cs` (the code system's OID) is missing".into())
        })?;
    let system = CodeSystem::from_oid(oid).ok_or_else(|| {
        bad(format!(
            "code system {oid:?} is not answered here: use ICD-10-CM (2.16.840.1.113883.6.90), SNOMED CT (2.16.840.1.113883.6.96), RxNorm (2.16.840.1.113883.6.88) or LOINC (2.16.840.1.113883.6.1)"
        ))
    })?;
    let code = system.normalise(code).map_err(bad)?;
    let display = get("mainSearchCriteria.v.dn")
        .map_err(bad)?
        .map(crate::content::xml_text);
    let recipient = match get("informationRecipient").map_err(bad)? {
        None => None,
        Some(r) if r.eq_ignore_ascii_case("PAT") => Some(Recipient::Patient),
        Some(r) if r.eq_ignore_ascii_case("PROV") => Some(Recipient::Provider),
        Some(other) => {
            return Err(bad(format!(
                "`informationRecipient` {other:?} is not known: use PAT (the patient) or PROV (a healthcare provider)"
            )));
        }
    };
    let language = match get("informationRecipient.languageCode.c").map_err(bad)? {
        None => None,
        Some(tag) => {
            let ok = tag.len() <= 35
                && tag.split('-').all(|p| {
                    !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric())
                });
            if !ok {
                return Err(bad(format!(
                    "`informationRecipient.languageCode.c` {tag:?} is not a language tag (e.g. en)"
                )));
            }
            Some(tag.to_ascii_lowercase())
        }
    };
    Ok(Request {
        system,
        code,
        display,
        recipient,
        language,
        format,
    })
}

/// The language every article is written in, until the site has others.
pub const SITE_LANGUAGE: &str = "en";

/// One article in an answer.
#[derive(Debug, Clone)]
pub struct Entry {
    pub slug: String,
    pub title: String,
    /// The canonical URL of the wording for the request's recipient.
    pub url: String,
    pub audience: String,
    pub summary: String,
    /// The latest approval's date, and who approved it (sample reviewers said so).
    pub approved_on: Option<Date>,
    pub reviewers: Vec<String>,
    pub sample: bool,
    /// The codes of the article that answered the request.
    pub matched: Vec<String>,
}

/// The audience whose wordings a recipient reads.
pub fn audience_for(site: &Site, recipient: Option<Recipient>) -> &str {
    let config = &site.config;
    let wanted = match recipient {
        None => return &config.default_audience,
        Some(Recipient::Patient) => AudienceType::Patient,
        Some(Recipient::Provider) => AudienceType::Clinician,
    };
    let matching: Vec<&crate::content::Audience> = config
        .audiences
        .iter()
        .filter(|a| a.readers == wanted)
        .collect();
    // The plainest patient wording, the most technical clinician one.
    let chosen = match recipient {
        Some(Recipient::Provider) => matching.last(),
        _ => matching.first(),
    };
    chosen.map_or(&config.default_audience, |a| &a.id)
}

/// The approved articles that answer `request`, best first.
pub fn answer(site: &Site, index: &CodeIndex, request: &Request) -> Vec<Entry> {
    if request
        .language
        .as_deref()
        .is_some_and(|tag| tag.split('-').next() != Some(SITE_LANGUAGE))
    {
        return Vec::new();
    }
    let base = site.config.base();
    let audience = audience_for(site, request.recipient);
    index
        .find(request.system, &request.code)
        .into_iter()
        .filter_map(|slug| site.public_article(slug))
        .filter(|a| answerable(a))
        .filter_map(|article| {
            let wording = article.wording_for(&site.config, audience)?;
            let (approved_on, reviewers) = match article.approvals.first() {
                Some(latest) => (Some(latest.date), latest.reviewers.clone()),
                None => (
                    article.review.reviewed_on,
                    article.review.reviewed_by.clone(),
                ),
            };
            let sample = crate::content::sample_only(&reviewers);
            Some(Entry {
                slug: article.slug.clone(),
                title: article.title_for(wording).to_string(),
                url: format!("{base}/articles/{}/{}", article.slug, wording.audience),
                audience: wording.audience.clone(),
                summary: article.summary_for(wording).to_string(),
                approved_on,
                reviewers: reviewers
                    .iter()
                    .map(|r| {
                        if r.sample {
                            format!("{} (fictional sample reviewer)", r.name)
                        } else {
                            format!("{}, {}", r.name, r.credentials)
                        }
                    })
                    .collect(),
                sample,
                matched: article
                    .codes
                    .iter()
                    .filter(|c| c.answers(request.system, &request.code))
                    .map(|c| c.code.clone())
                    .collect(),
            })
        })
        .collect()
}
