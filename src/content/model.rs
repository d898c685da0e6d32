//! The content model: a site of articles, each in audience wordings, with review and references.
//! Free of web types: the web layer and the command line both read it.

use super::{Date, Diagnostic};
use crate::coach::pemat::Pemat;
use crate::coach::{Coaching, PlainWords};
use crate::markdown::Rendered;
use crate::readability::Readability;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    pub default_audience: String,
    #[serde(default)]
    pub show_pending: bool,
    #[serde(default)]
    pub description: Option<String>,
    /// A short notice shown as a banner on every page, e.g. that the content is a sample.
    #[serde(default)]
    pub notice: Option<String>,
    /// A line in every page's footer, e.g. what the site is. None by default: the footer never
    /// claims a review that did not happen.
    #[serde(default)]
    pub tagline: Option<String>,
    /// Rendering for the static export (`healthpress build`), not a server: no form or box that
    /// needs one (search, the wording choice as a form, feedback, follow-up questions). Never read
    /// from `site.toml`.
    #[serde(skip)]
    pub static_export: bool,
    /// Where readers are told to turn in an emergency, on every page and wherever the site cannot
    /// answer. Default [`SiteConfig::DEFAULT_EMERGENCY`].
    #[serde(default)]
    pub emergency: Option<String>,
    /// The editor dashboard lists a reference whose `checked_on` is older than this many days, or
    /// missing. Default [`SiteConfig::DEFAULT_RECHECK_SOURCES_AFTER_DAYS`].
    #[serde(default)]
    pub recheck_sources_after_days: Option<u32>,
    /// The editor dashboard lists a guideline published more than this many years ago. Default
    /// [`SiteConfig::DEFAULT_OLD_GUIDELINE_YEARS`].
    #[serde(default)]
    pub old_guideline_years: Option<u32>,
    /// Reader feedback (answers and comments) is deleted this many days after it was sent. Default
    /// [`SiteConfig::DEFAULT_FEEDBACK_RETENTION_DAYS`].
    #[serde(default)]
    pub feedback_retention_days: Option<u32>,
    /// How many different reviewers must approve an article's text before readers see it (1 to
    /// 3, default 1). An article's `[review] approvals_required` may raise it, never lower it.
    #[serde(default)]
    pub approvals_required: Option<u8>,
    pub audiences: Vec<Audience>,
    /// The site's languages (`[[languages]]`), the source language first. When `site.toml` has
    /// none, English alone ([`Language::english`]); set when the configuration loads.
    #[serde(default)]
    pub languages: Vec<Language>,
    /// Summary and mirror sites (`mirror-sites.toml` beside `site.toml`): a `guideline` reference
    /// whose URL is on one of them is warned about. Never read from `site.toml`.
    #[serde(skip)]
    pub mirror_sites: Vec<MirrorSite>,
    /// The site's words in each language (built in, with `messages/<lang>.ftl` over them); set
    /// when the configuration loads. Never read from `site.toml`.
    #[serde(skip)]
    pub messages: std::sync::Arc<crate::messages::Messages>,
    /// Hard words with plainer ones in the other languages that have a list (the built-in one for
    /// the language, with `plain-words.<lang>.toml` over it), by language id; set when the
    /// configuration loads.
    #[serde(skip)]
    pub plain_words_by_language: BTreeMap<String, std::sync::Arc<crate::coach::PlainWords>>,
}

/// One `[[languages]]` entry: a language readers can read the site in, with the site's own texts
/// (`description`, `notice`, `emergency`, the audiences' labels and disclaimers) in that language.
/// The first is the source language: articles are written in it, and the others translate them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// A BCP 47 tag such as `en` or `es`.
    pub id: String,
    /// The language's name in that language ("English", "Español").
    pub label: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub notice: Option<String>,
    #[serde(default)]
    pub tagline: Option<String>,
    #[serde(default)]
    pub emergency: Option<String>,
    /// The audiences' `label`, `description` and `disclaimer` in this language, by audience id.
    #[serde(default)]
    pub audiences: BTreeMap<String, AudienceText>,
}

/// An audience's texts in one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceText {
    #[serde(default)]
    pub label: Option<String>,
    /// The highest reading grade for this audience's wordings in this language (SOL for Spanish).
    #[serde(default)]
    pub max_grade: Option<f64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub disclaimer: Option<String>,
}

impl Language {
    /// The language of a site whose `site.toml` names none.
    pub fn english() -> Self {
        Language {
            id: "en".to_string(),
            label: "English".to_string(),
            description: None,
            notice: None,
            tagline: None,
            emergency: None,
            audiences: BTreeMap::new(),
        }
    }
}

/// A site that summarises or copies sources rather than publishing them (`mirror-sites.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MirrorSite {
    /// A host name, lower case, without `www.`: it matches the host and every subdomain of it.
    pub host: String,
    /// What the site is, shown in the warning.
    #[serde(default)]
    pub note: Option<String>,
}

impl MirrorSite {
    /// Whether `url`'s host is this site or one of its subdomains.
    pub fn hosts(&self, url: &str) -> bool {
        let Ok(parsed) = url::Url::parse(url) else {
            return false;
        };
        let Some(host) = parsed.host_str() else {
            return false;
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        host == self.host
            || host
                .strip_suffix(self.host.as_str())
                .is_some_and(|rest| rest.ends_with('.'))
    }
}

impl SiteConfig {
    /// Sources are checked again at least once a year.
    pub const DEFAULT_RECHECK_SOURCES_AFTER_DAYS: u32 = 365;
    /// Guideline bodies commonly review their guidance about every 5 years.
    pub const DEFAULT_OLD_GUIDELINE_YEARS: u32 = 5;
    /// About six months: long enough to see what readers ask for, short enough to keep little.
    pub const DEFAULT_FEEDBACK_RETENTION_DAYS: u32 = 180;
    /// The longest retention accepted: ten years.
    pub const MAX_FEEDBACK_RETENTION_DAYS: u32 = 3650;
    /// The longest `notice`, in characters: a banner, not an article.
    pub const MAX_NOTICE_CHARS: usize = 300;

    pub const DEFAULT_EMERGENCY: &str = "In an emergency, call your local emergency number.";

    pub fn emergency(&self) -> &str {
        self.emergency.as_deref().unwrap_or(Self::DEFAULT_EMERGENCY)
    }

    pub fn approvals_required(&self) -> u8 {
        self.approvals_required.unwrap_or(1)
    }

    pub fn recheck_sources_after_days(&self) -> u32 {
        self.recheck_sources_after_days
            .unwrap_or(Self::DEFAULT_RECHECK_SOURCES_AFTER_DAYS)
    }

    pub fn feedback_retention_days(&self) -> u32 {
        self.feedback_retention_days
            .unwrap_or(Self::DEFAULT_FEEDBACK_RETENTION_DAYS)
    }

    pub fn old_guideline_years(&self) -> u32 {
        self.old_guideline_years
            .unwrap_or(Self::DEFAULT_OLD_GUIDELINE_YEARS)
    }

    /// The source language: the one articles are written in.
    pub fn source_language(&self) -> &Language {
        &self.languages[0]
    }

    pub fn language(&self, id: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.id == id)
    }

    /// Whether `id` is one of the site's languages other than the source language.
    pub fn is_translation_language(&self, id: &str) -> bool {
        self.languages.iter().skip(1).any(|l| l.id == id)
    }

    /// What a path of the site is prefixed with in `lang`: nothing in the source language, `/es`
    /// in Spanish.
    pub fn prefix(&self, lang: &str) -> String {
        if lang == self.source_language().id {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    /// `description` in `lang`, else in the source language.
    pub fn description_in(&self, lang: &str) -> Option<&str> {
        self.language(lang)
            .and_then(|l| l.description.as_deref())
            .or(self.description.as_deref())
    }

    pub fn notice_in(&self, lang: &str) -> Option<&str> {
        self.language(lang)
            .and_then(|l| l.notice.as_deref())
            .or(self.notice.as_deref())
    }

    pub fn tagline_in(&self, lang: &str) -> Option<&str> {
        self.language(lang)
            .and_then(|l| l.tagline.as_deref())
            .or(self.tagline.as_deref())
    }

    pub fn emergency_in(&self, lang: &str) -> &str {
        self.language(lang)
            .and_then(|l| l.emergency.as_deref())
            .unwrap_or_else(|| self.emergency())
    }

    /// An audience's texts in `lang`, each falling back to the source language's.
    pub fn audience_text(&self, audience: &Audience, lang: &str) -> AudienceText {
        let own = self
            .language(lang)
            .and_then(|l| l.audiences.get(&audience.id));
        AudienceText {
            label: Some(
                own.and_then(|t| t.label.clone())
                    .unwrap_or_else(|| audience.label.clone()),
            ),
            description: Some(
                own.and_then(|t| t.description.clone())
                    .unwrap_or_else(|| audience.description.clone()),
            ),
            disclaimer: own
                .and_then(|t| t.disclaimer.clone())
                .or_else(|| audience.disclaimer.clone()),
            max_grade: own.and_then(|t| t.max_grade),
        }
    }

    pub fn audience(&self, id: &str) -> Option<&Audience> {
        self.audiences.iter().find(|a| a.id == id)
    }

    pub fn audience_index(&self, id: &str) -> Option<usize> {
        self.audiences.iter().position(|a| a.id == id)
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// `base_url` without a trailing slash, ready to have a path appended.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// One `[[audiences]]` entry: a kind of reader with a wording of its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    pub id: String,
    pub label: String,
    pub description: String,
    /// Reading-grade target for this audience's wordings.
    #[serde(default)]
    pub max_grade: Option<f64>,
    /// Notice shown at the foot of every wording for this audience.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// Who the wording is for, as told to search engines: `patient` or `clinician`. When not given,
    /// the first audience is `patient` and the last (of two or more) `clinician`, and `check` notes it
    /// (see [`Audience::readers`]).
    #[serde(default)]
    pub audience_type: Option<AudienceType>,
    /// `audience_type`, or what was assumed in its place; set when the configuration loads.
    #[serde(skip)]
    pub readers: AudienceType,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AudienceType {
    #[default]
    Patient,
    Clinician,
}

/// One entry of `reviewers.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    /// The id in `reviewers.toml` (`[reviewers.ID]`), set when the file loads.
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub credentials: String,
    /// What they do for the site, e.g. "Clinical reviewer, cardiology".
    #[serde(default)]
    pub role: Option<String>,
    /// The languages they review in (BCP 47 tags such as `en`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Their declaration of interests, shown on the review board ("None declared" when empty).
    #[serde(default)]
    pub declared_interests: Option<String>,
    /// A made-up reviewer of sample content: pages say so wherever the name appears.
    #[serde(default)]
    pub sample: bool,
}

/// Whether an approval by `reviewers` is a *sample approval*: every reviewer is a made-up sample
/// (`sample = true`). Such an approval is recorded and bound to the text like any other, but shown
/// everywhere as a sample, never as a real review.
pub fn sample_only(reviewers: &[Reviewer]) -> bool {
    !reviewers.is_empty() && reviewers.iter().all(|r| r.sample)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Draft,
    Submitted,
    UnderReview,
    Approved,
}

impl ReviewStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "Draft",
            ReviewStatus::Submitted => "Submitted",
            ReviewStatus::UnderReview => "Under review",
            ReviewStatus::Approved => "Approved",
        }
    }

    /// The key of [`Self::label`] in the site's messages.
    pub fn message_key(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "status-draft",
            ReviewStatus::Submitted => "step-submitted",
            ReviewStatus::UnderReview => "step-under-review",
            ReviewStatus::Approved => "step-approved",
        }
    }

    /// The three public steps, in order.
    pub const STEPS: [ReviewStatus; 3] = [
        ReviewStatus::Submitted,
        ReviewStatus::UnderReview,
        ReviewStatus::Approved,
    ];

    fn rank(self) -> u8 {
        self as u8
    }

    /// Whether `self` is at or past `step`.
    pub fn reached(self, step: ReviewStatus) -> bool {
        self.rank() >= step.rank()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    Guideline,
    Research,
    Review,
    Other,
}

impl ReferenceKind {
    pub fn label(self) -> &'static str {
        match self {
            ReferenceKind::Guideline => "Guideline",
            ReferenceKind::Research => "Research",
            ReferenceKind::Review => "Review",
            ReferenceKind::Other => "Other",
        }
    }

    /// The key of [`Self::label`] in the site's messages.
    pub fn message_key(self) -> &'static str {
        match self {
            ReferenceKind::Guideline => "ref-guideline",
            ReferenceKind::Research => "ref-research",
            ReferenceKind::Review => "ref-review",
            ReferenceKind::Other => "ref-other",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub key: String,
    pub kind: ReferenceKind,
    pub title: String,
    pub source: String,
    pub year: i32,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub pmid: Option<String>,
    /// When an editor last checked that the source still says what the article cites it for, and is
    /// still current.
    #[serde(default)]
    pub checked_on: Option<Date>,
}

impl Reference {
    pub fn doi_url(&self) -> Option<String> {
        self.doi.as_ref().map(|d| format!("https://doi.org/{d}"))
    }

    pub fn pubmed_url(&self) -> Option<String> {
        self.pmid
            .as_ref()
            .map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"))
    }
}

#[derive(Debug, Clone)]
pub struct Review {
    pub status: ReviewStatus,
    /// Reviewers, resolved from `reviewers.toml`.
    pub reviewed_by: Vec<Reviewer>,
    pub reviewed_on: Option<Date>,
    pub next_review: Option<Date>,
    /// Ids of the reviewers asked to review it (known ids of `reviewers.toml`), in order.
    pub assigned_to: Vec<String>,
    /// When the review asked for is due.
    pub due: Option<Date>,
    /// How many different reviewers must approve this text: the site's `approvals_required`,
    /// or more where `[review] approvals_required` raises it (for high-risk articles, e.g. dosing).
    pub approvals_required: u8,
}

/// One wording of an article: the article written for one audience.
#[derive(Debug, Clone)]
pub struct Wording {
    pub audience: String,
    pub path: PathBuf,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Rendered,
    /// Reading level of the rendered text, measured once when loaded; `None` when loaded without
    /// measuring (see [`crate::content::LoadOptions`]).
    pub readability: Option<Readability>,
    /// Plain-language coaching of the rendered text, worked out once when loaded with the reading
    /// level (`None` otherwise).
    pub coaching: Option<Coaching>,
    /// For a translation written for patients, in a language with a plain-words list: its hard
    /// words, with plainer ones ([`crate::coach::hard_words_in`]).
    pub hard_words: Vec<crate::coach::HardWord>,
    /// PEMAT pre-checks ([`crate::coach::pemat`]), worked out once when loaded with the coaching, for a
    /// wording coached toward plain words (a patient wording); `None` otherwise.
    pub pemat: Option<Pemat>,
    /// Spanish reading-ease measures (Fernández-Huerta, INFLESZ, SOL), for a Spanish wording.
    pub spanish_readability: Option<crate::readability::spanish::SpanishReadability>,
    /// The language it is written in (a `[[languages]]` id).
    pub lang: String,
    /// [`crate::content::approval::text_fingerprint`] of its file, as read.
    pub file_fingerprint: String,
    /// For a translation (`<audience>.<lang>.md`): the fingerprint of the source wording it
    /// translates, from its front matter's `translates`.
    pub translates: Option<String>,
}

/// Where a translation stands against the source wording it translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslationState {
    /// It translates the source wording as it is now.
    Current,
    /// The source wording was approved again with changes since: `follows` is the date of the
    /// approval of the text it translates (when a record says), `updated` when the source
    /// changed after it.
    OutOfDate {
        follows: Option<Date>,
        updated: Option<Date>,
    },
    /// It does not say which source text it translates, or names one never approved.
    Unbound,
}

/// An article's title and summary in another language (`[translations.<lang>]` in `article.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslatedTexts {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// A sample translation, not made or checked by a professional translator: pages say so.
    #[serde(default)]
    pub sample: bool,
}

/// One wording translated into another language.
#[derive(Debug, Clone)]
pub struct Translation {
    pub wording: Wording,
    pub state: TranslationState,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub slug: String,
    pub dir: PathBuf,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub updated: Date,
    pub review: Review,
    pub references: Vec<Reference>,
    /// What the article is about in clinical code systems (`[[codes]]`), for knowledge requests
    /// from record systems.
    pub codes: Vec<crate::content::Code>,
    /// In the order of `site.toml`'s audiences.
    pub wordings: Vec<Wording>,
    /// For an approved copy (see [`crate::content::approval`]): every approval of the article's text,
    /// newest first. Empty for working files and for articles approved without a record.
    pub approvals: Vec<crate::content::approval::ApprovalEntry>,
    /// [`crate::content::approval::fingerprint`] of the files this article was loaded from, taken
    /// before they were read: what a reviewer shown this article approves.
    pub fingerprint: Option<String>,
    /// Wordings in the site's other languages, in language then audience order.
    pub translations: Vec<Translation>,
    /// Titles and summaries in the other languages, by language id.
    pub translated: BTreeMap<String, TranslatedTexts>,
}

impl Article {
    /// Empties its wordings' and translations' rendered HTML, text and sections, and the texts only
    /// checks and coaching read (each care card's text, the sentence beside each evidence grade).
    pub fn release_bodies(&mut self) {
        for wording in self
            .wordings
            .iter_mut()
            .chain(self.translations.iter_mut().map(|t| &mut t.wording))
        {
            let body = &mut wording.body;
            body.html = String::new();
            body.text = String::new();
            body.card_texts = Vec::new();
            // Ranges of the text just released, each with the references it cites.
            body.sections = Vec::new();
            for (_, sentence) in &mut body.grades {
                *sentence = String::new();
            }
        }
    }

    /// Whether readers may see this article: approved, or pending review on a site that shows pending work.
    /// Drafts never.
    pub fn is_public(&self, show_pending: bool) -> bool {
        match self.review.status {
            ReviewStatus::Approved => true,
            ReviewStatus::Submitted | ReviewStatus::UnderReview => show_pending,
            ReviewStatus::Draft => false,
        }
    }

    pub fn wording(&self, audience: &str) -> Option<&Wording> {
        self.wordings.iter().find(|w| w.audience == audience)
    }

    /// The wording for `requested`, or when the article has none for it, the nearest one: the closest in
    /// `site.toml`'s audience order (audiences are listed from plainest to most technical), the plainer on a tie.
    /// `None` only for an article without wordings, which the loader never produces.
    pub fn wording_for(&self, config: &SiteConfig, requested: &str) -> Option<&Wording> {
        if let Some(w) = self.wording(requested) {
            return Some(w);
        }
        let target = config.audience_index(requested).unwrap_or(0);
        self.wordings.iter().min_by_key(|w| {
            let i = config.audience_index(&w.audience).unwrap_or(usize::MAX / 2);
            (i.abs_diff(target), i)
        })
    }

    /// The translation of `audience`'s wording into `lang`, if the article has one.
    pub fn translation(&self, lang: &str, audience: &str) -> Option<&Translation> {
        self.translations
            .iter()
            .find(|t| t.wording.lang == lang && t.wording.audience == audience)
    }

    /// Whether readers of `lang` may see this article's translations: only an approved copy's
    /// translations are ever public (they were in the text the reviewers approved).
    pub fn translations_public(&self) -> bool {
        self.review.status == ReviewStatus::Approved && !self.approvals.is_empty()
    }

    /// The wording readers of `lang` get for `audience`: its approved translation, else `None`
    /// (they are offered the source wording).
    pub fn public_translation(&self, lang: &str, audience: &str) -> Option<&Translation> {
        self.translation(lang, audience)
            .filter(|t| self.translations_public() && t.state != TranslationState::Unbound)
    }

    /// The title in `lang`, else the source title.
    pub fn title_in(&self, lang: &str) -> &str {
        self.translated
            .get(lang)
            .and_then(|t| t.title.as_deref())
            .unwrap_or(&self.title)
    }

    pub fn summary_in(&self, lang: &str) -> &str {
        self.translated
            .get(lang)
            .and_then(|t| t.summary.as_deref())
            .unwrap_or(&self.summary)
    }

    pub fn reference(&self, key: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.key == key)
    }

    /// The references a wording cites, in order of first citation (the numbers shown in its text).
    pub fn cited_references<'a>(
        &'a self,
        wording: &'a Wording,
    ) -> impl Iterator<Item = &'a Reference> {
        wording
            .body
            .citations
            .iter()
            .filter_map(|key| self.reference(key))
    }

    pub fn title_for<'a>(&'a self, wording: &'a Wording) -> &'a str {
        wording.title.as_deref().unwrap_or(&self.title)
    }

    pub fn summary_for<'a>(&'a self, wording: &'a Wording) -> &'a str {
        wording.summary.as_deref().unwrap_or(&self.summary)
    }
}

/// A plain page such as the editorial policy.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub path: PathBuf,
    pub title: String,
    pub body: Rendered,
    /// The page in the site's other languages (`pages/<slug>.<lang>.md`), by language id.
    pub translations: BTreeMap<String, Box<Page>>,
}

impl Page {
    /// The page as readers of `lang` see it: its translation, else itself.
    pub fn in_language(&self, lang: &str) -> &Page {
        self.translations.get(lang).map(|p| &**p).unwrap_or(self)
    }

    pub fn title_in(&self, lang: &str) -> &str {
        &self.in_language(lang).title
    }
}

/// Everything loaded from a content folder.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub reviewers: BTreeMap<String, Reviewer>,
    pub pages: BTreeMap<String, Page>,
    /// Articles that loaded without errors, drafts included, by slug. Shared, so a site that changes in
    /// one article is a new map over the same other articles.
    pub articles: BTreeMap<String, Arc<Article>>,
    /// Readers' words (`synonyms.toml`): each group's terms are searched as one.
    pub synonyms: Vec<Vec<String>>,
    /// Readers' words in the other languages (`synonyms.<lang>.toml`), by language id.
    pub synonyms_by_language: BTreeMap<String, Vec<Vec<String>>>,
    /// Hard words with plainer alternatives, and terms to keep: the built-in list with the site's
    /// `plain-words.toml` merged over it.
    pub plain_words: Arc<PlainWords>,
    /// The working files of every article with an approval record, by slug (readers see the approved
    /// copy in [`Site::articles`]): for the editor area only.
    pub working: BTreeMap<String, Arc<Article>>,
    /// The approval records, by slug.
    pub records: BTreeMap<String, crate::content::approval::RecordState>,
    /// Every problem found, including those of articles left out.
    /// Shared with the snapshots before a reload, which copies the list, not every problem.
    pub diagnostics: Vec<Arc<Diagnostic>>,
}

impl Site {
    /// Readers' words in `lang`.
    pub fn synonyms_in(&self, lang: &str) -> &[Vec<String>] {
        if lang == self.config.source_language().id {
            &self.synonyms
        } else {
            self.synonyms_by_language
                .get(lang)
                .map(Vec::as_slice)
                .unwrap_or(&[])
        }
    }

    /// Articles readers may see, by slug.
    pub fn public_articles(&self) -> impl Iterator<Item = &Article> {
        let show_pending = self.config.show_pending;
        self.articles
            .values()
            .map(|a| &**a)
            .filter(move |a| a.is_public(show_pending))
    }

    /// Empties every wording's rendered HTML and text once the public pages are built from them, so a
    /// large site does not hold each body twice; the working copies of approved articles too (only
    /// the editor area reads them, and it keeps the bodies). Headings, citations and metadata stay.
    pub fn release_bodies(&mut self) {
        for article in self
            .articles
            .values_mut()
            .chain(self.working.values_mut())
            .filter_map(Arc::get_mut)
        {
            article.release_bodies();
        }
    }

    /// Its problems, no longer shared with any snapshot.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
            .into_iter()
            .map(Arc::unwrap_or_clone)
            .collect()
    }

    /// [`Self::release_bodies`] for the articles `slugs` only (those a reload has just rendered).
    pub fn release_bodies_of<'a>(&mut self, slugs: impl IntoIterator<Item = &'a String>) {
        for slug in slugs {
            for article in [self.articles.get_mut(slug), self.working.get_mut(slug)]
                .into_iter()
                .flatten()
                .filter_map(Arc::get_mut)
            {
                article.release_bodies();
            }
        }
    }

    /// The article as its working files say, for editors: the working copy where readers see an
    /// approved copy, else the article itself.
    pub fn working_article(&self, slug: &str) -> Option<&Arc<Article>> {
        self.working.get(slug).or_else(|| self.articles.get(slug))
    }

    /// The withdrawal of `slug`, if it is withdrawn.
    pub fn withdrawal(&self, slug: &str) -> Option<&crate::content::approval::Withdrawal> {
        self.records
            .get(slug)
            .and_then(|r| r.record.withdrawn.as_ref())
    }

    pub fn public_article(&self, slug: &str) -> Option<&Article> {
        self.articles
            .get(slug)
            .map(|a| &**a)
            .filter(|a| a.is_public(self.config.show_pending))
    }
}

impl Wording {
    /// The reading level: as measured when loaded, or measured now.
    pub fn readability(&self) -> Readability {
        self.readability
            .unwrap_or_else(|| Readability::of(&self.body.text))
    }
}
