//! Page structs of the editor area.

use crate::coach::pemat::Pemat;
use crate::coach::{self, Coaching, HardWord};
use crate::content::{
    Article, Date, Diagnostic, QueueEntry, ReviewStatus, Site, SourceConcern, Waiting, Wording,
    source_alerts,
};
use crate::markdown::Rendered;
use crate::readability::Readability;
use crate::render::views::Layout;
use askama::Template;
use std::ops::Range;
use std::path::Path;

/// The bar at the top of every editor page.
pub struct EditorBar {
    pub user: String,
    pub csrf: String,
    /// Signed in with an account (so there is a sign-out button), rather than open preview mode.
    pub accounts: bool,
    /// The page of the editor area this is (`dashboard`, `reviews`, `sandbox`, `article`), marked
    /// in the navigation.
    pub current: &'static str,
}

#[derive(Clone)]
pub struct ProblemView {
    pub severity: &'static str,
    pub location: String,
    pub message: String,
}

impl ProblemView {
    pub fn of(d: &Diagnostic, root: &Path) -> Self {
        let path = d
            .path
            .strip_prefix(root)
            .unwrap_or(&d.path)
            .display()
            .to_string();
        ProblemView {
            severity: d.severity.as_str(),
            location: match d.line {
                Some(line) => format!("{path}:{line}"),
                None => path,
            },
            message: d.message.clone(),
        }
    }
}

/// A reading level as editor pages show it, against the audience's target grade (SMOG), if any.
pub struct ReadingLevel {
    pub words: usize,
    pub minutes: usize,
    /// Flesch-Kincaid grade, one decimal.
    pub fk: String,
    /// SMOG grade, one decimal.
    pub smog: String,
    /// Flesch reading ease, whole number.
    pub ease: String,
    pub target: Option<String>,
    pub over_target: bool,
}

impl ReadingLevel {
    pub fn of(r: &Readability, target: Option<f64>) -> Self {
        ReadingLevel {
            words: r.words,
            minutes: r.reading_minutes(),
            fk: format!("{:.1}", r.flesch_kincaid_grade),
            smog: format!("{:.1}", r.smog_grade),
            ease: format!("{:.0}", r.flesch_reading_ease),
            target: target.map(|t| format!("{t}")),
            over_target: target.is_some_and(|t| r.words > 0 && r.smog_grade > t),
        }
    }
}

pub struct WordingStats {
    pub audience: String,
    pub label: String,
    pub level: ReadingLevel,
    /// What coaching found, in a few words.
    pub coaching: Option<String>,
    /// Whether it was coached toward plain words (rather than only measured).
    pub coached: bool,
    /// Its PEMAT pre-checks in a few words ("9 of 10 met"), for a patient wording.
    pub pemat: Option<String>,
}

impl WordingStats {
    pub fn of(site: &Site, wording: &Wording) -> Self {
        let audience = site.config.audience(&wording.audience);
        WordingStats {
            audience: wording.audience.clone(),
            label: audience.map_or(wording.audience.clone(), |a| a.label.clone()),
            level: ReadingLevel::of(&wording.readability(), audience.and_then(|a| a.max_grade)),
            coaching: wording.coaching.as_ref().map(|c| {
                if c.is_coached() {
                    let sentences = c.flagged_sentences();
                    let words = c.hard_words().len();
                    format!(
                        "{sentences} sentence{} to shorten, {words} hard word{}",
                        if sentences == 1 { "" } else { "s" },
                        if words == 1 { "" } else { "s" }
                    )
                } else {
                    "not coached toward plain words (professional wording)".to_string()
                }
            }),
            coached: wording.coaching.as_ref().is_some_and(Coaching::is_coached),
            pemat: wording.pemat.as_ref().map(Pemat::summary),
        }
    }
}

/// The status an editor page shows for `slug`: "Approved" when readers see an approved copy and
/// the working files are that text (whatever `status` their article.toml still says), as the public
/// page does; else the working files' status.
pub fn article_status(
    site: &Site,
    slug: &str,
    working: ReviewStatus,
) -> (&'static str, &'static str) {
    if changes_requested(site, slug) {
        return ("Changes requested", "changes-requested");
    }
    if let Some(label) = approval_stage(site, slug) {
        return label;
    }
    match site.records.get(slug) {
        Some(r)
            if r.record.latest().is_some()
                && r.record.withdrawn.is_none()
                && !r.changed_since_approval() =>
        {
            status_label(ReviewStatus::Approved)
        }
        _ => status_label(working),
    }
}

/// "Awaiting a second reviewer" while a first approval of the working files waits for another
/// reviewer; "Scheduled" while an approval of them waits for its publishing time.
pub fn approval_stage(site: &Site, slug: &str) -> Option<(&'static str, &'static str)> {
    let state = site.records.get(slug)?;
    if state.first.is_some() {
        Some(("Awaiting a second reviewer", "awaiting-second"))
    } else if state.scheduled_current().is_some() {
        Some(("Scheduled", "scheduled"))
    } else {
        None
    }
}

/// Whether a reviewer's request for changes stands for `slug`: its working files are still the
/// text the request was made on.
pub fn changes_requested(site: &Site, slug: &str) -> bool {
    let Some(request) = crate::content::approval::read_change_request(&site.root, slug) else {
        return false;
    };
    site.working_article(slug)
        .and_then(|a| a.fingerprint.as_deref())
        .is_some_and(|print| print == request.fingerprint)
}

pub fn status_label(status: ReviewStatus) -> (&'static str, &'static str) {
    let class = match status {
        ReviewStatus::Draft => "draft",
        ReviewStatus::Submitted => "submitted",
        ReviewStatus::UnderReview => "under-review",
        ReviewStatus::Approved => "approved",
    };
    (status.label(), class)
}

/// A helpful share: "80% of 10".
pub struct Share {
    pub helpful: i64,
    pub total: i64,
    pub percent: i64,
}

impl Share {
    pub fn of(tally: Option<&crate::store::Tally>) -> Self {
        let (helpful, total) = tally.map_or((0, 0), |t| (t.helpful, t.total));
        Share {
            helpful,
            total,
            percent: if total > 0 {
                (helpful * 100 + total / 2) / total
            } else {
                0
            },
        }
    }
}

/// Answers to "Was this page helpful?" for one wording.
pub struct FeedbackStat {
    pub label: String,
    pub last30: Share,
    pub last90: Share,
}

/// A reader's comment as the article page lists it.
pub struct CommentView {
    pub id: String,
    pub wording: String,
    pub helpful: bool,
    pub text: String,
    pub sent: String,
    pub sent_iso: String,
    pub handled: bool,
}

impl CommentView {
    pub fn of(site: &Site, c: crate::store::Comment) -> Self {
        CommentView {
            wording: site
                .config
                .audience(&c.audience)
                .map_or(c.audience.clone(), |a| a.label.clone()),
            sent: super::feedback::time_in_words(c.created_ms),
            sent_iso: super::feedback::iso_time(c.created_ms),
            id: c.id,
            helpful: c.helpful,
            text: c.comment,
            handled: c.handled,
        }
    }
}

/// One page of an article's comments, with where it is among them.
pub struct CommentsPage {
    pub comments: Vec<CommentView>,
    /// "Showing 51–100 of 1,234".
    pub showing: String,
    pub page: u64,
    pub pages: u64,
    /// The page numbers to link: the first, the last, and two either side of this one.
    pub links: Vec<PageLink>,
    /// `/editor/articles/{slug}`, which `?page=N` follows.
    pub base: String,
}

/// A page number in the comments' page links.
pub struct PageLink {
    pub number: u64,
    pub current: bool,
    /// Whether numbers were left out before this one (shown as an ellipsis).
    pub gap_before: bool,
}

impl CommentsPage {
    /// Page `page` of `pages`, holding `comments` from the `offset`-th (0-based) of `total`.
    pub fn new(
        slug: &str,
        comments: Vec<CommentView>,
        total: u64,
        offset: u64,
        page: u64,
        pages: u64,
    ) -> Self {
        let showing = if comments.is_empty() {
            format!("Showing none of {}", thousands(total))
        } else {
            format!(
                "Showing {}\u{2013}{} of {}",
                thousands(offset + 1),
                thousands(offset + comments.len() as u64),
                thousands(total)
            )
        };
        let mut numbers: Vec<u64> = [1, pages]
            .into_iter()
            .chain(page.saturating_sub(2).max(1)..=(page + 2).min(pages))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::with_capacity(numbers.len());
        let mut previous = 0;
        for number in numbers {
            links.push(PageLink {
                number,
                current: number == page,
                gap_before: number > previous + 1,
            });
            previous = number;
        }
        CommentsPage {
            comments,
            showing,
            page,
            pages,
            links,
            base: format!("/editor/articles/{slug}"),
        }
    }

    /// The page of newer comments, if this is not the first.
    pub fn newer(&self) -> Option<u64> {
        (self.page > 1).then(|| self.page - 1)
    }

    /// The page of older comments, if this is not the last.
    pub fn older(&self) -> Option<u64> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub struct DashboardRow {
    pub slug: String,
    pub title: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub updated: String,
    pub next_review: Option<String>,
    pub overdue: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Where the article stands against its approval record, if it has one.
    pub approval: Option<&'static str>,
    pub wordings: Vec<WordingStats>,
    pub feedback: Vec<FeedbackStat>,
}

impl DashboardRow {
    /// Whether a wording has PEMAT pre-checks (a patient wording that loaded).
    pub fn has_pemat(&self) -> bool {
        self.wordings.iter().any(|w| w.pemat.is_some())
    }
}

/// A reference to look at again, for the dashboard's "Sources to check" table.
pub struct SourceRow {
    pub slug: String,
    pub article_title: String,
    pub key: String,
    pub title: String,
    pub year: i32,
    pub reason: String,
}

/// The dashboard's list of sources to check, with the thresholds that produced it.
pub struct SourceChecks {
    pub rows: Vec<SourceRow>,
    pub recheck_days: u32,
    pub old_years: u32,
}

impl SourceChecks {
    pub fn of(site: &Site, today: Date) -> Self {
        let rows = source_alerts(site, today)
            .into_iter()
            .map(|a| SourceRow {
                reason: match a.concern {
                    SourceConcern::NeverChecked => {
                        "Never checked: no `checked_on` date".to_string()
                    }
                    SourceConcern::CheckedLongAgo(on) => {
                        format!("Last checked {}", on.in_words())
                    }
                    SourceConcern::NoLocator => "No DOI, PMID or URL: add one you have checked opens this source, so readers can find it".to_string(),
                    SourceConcern::OldGuideline { years } => {
                        format!(
                            "Guideline from {} ({years} years old): is there a newer edition?",
                            a.year
                        )
                    }
                },
                slug: a.slug,
                article_title: a.article_title,
                key: a.key,
                title: a.title,
                year: a.year,
            })
            .collect();
        SourceChecks {
            rows,
            recheck_days: site.config.recheck_sources_after_days(),
            old_years: site.config.old_guideline_years(),
        }
    }
}

#[derive(Template)]
#[template(path = "editor/dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub editor: EditorBar,
    pub rows: Vec<DashboardRow>,
    pub site_problems: Vec<ProblemView>,
    pub today: String,
    pub sources: SourceChecks,
    /// Why reader feedback is not shown, when the database cannot be reached.
    pub feedback_error: Option<String>,
    /// Articles in the review queue, and how many of them are overdue.
    pub waiting: usize,
    pub overdue: usize,
}

/// One wording's column in the side-by-side view.
pub struct Column {
    pub label: String,
}

/// One section of one wording in the side-by-side view.
pub struct SectionCell {
    /// The section's heading as text (the cell shows it, without the wording's own anchor).
    pub heading: String,
    /// Its `{#id}`; `None` for the text before the first heading.
    pub id: Option<String>,
    /// Its sanitised HTML without the heading, each table in a region that scrolls sideways.
    pub html: String,
    /// Its reading level, when measured.
    pub level: Option<ReadingLevel>,
    /// The wording as readers see it, at this section.
    pub href: String,
}

/// A wording's place in one row: its section with the row's id, if it has one.
pub struct Cell {
    pub label: String,
    pub section: Option<SectionCell>,
}

/// One row of the side-by-side view: the sections of every wording that share an id.
pub struct SectionRow {
    /// The shared `{#id}`; `None` for the text before the first heading.
    pub id: Option<String>,
    /// In how many wordings the section is found.
    pub found_in: usize,
    pub cells: Vec<Cell>,
}

/// The wordings section by section, and the columns they are shown in.
pub struct SideBySide {
    pub columns: Vec<Column>,
    pub rows: Vec<SectionRow>,
}

/// One wording's plain-language coaching, as the article page and the sandbox show it.
pub struct WordingCoach {
    pub audience: String,
    pub label: String,
    pub level: ReadingLevel,
    /// Sentences flagged in the whole wording.
    pub flagged: usize,
    /// Hard words in the whole wording.
    pub hard_words: Vec<HardWord>,
    pub sections: Vec<CoachSection>,
    /// Its PEMAT pre-checks, for a saved patient wording (the sandbox shows none).
    pub pemat: Option<PematView>,
}

/// A wording's PEMAT pre-checks, as the article page lists them.
pub struct PematView {
    /// "9 of 10 met".
    pub summary: String,
    pub items: Vec<PematItem>,
}

/// One PEMAT item on the article page.
pub struct PematItem {
    pub item: u8,
    pub name: &'static str,
    /// "Met", "Not met" or "Not applicable".
    pub result: &'static str,
    /// `met`, `not_met` or `not_applicable`, for the class.
    pub class: &'static str,
    pub reason: String,
}

impl PematView {
    pub fn of(pemat: &Pemat) -> Self {
        PematView {
            summary: pemat.summary(),
            items: pemat
                .checks
                .iter()
                .map(|c| PematItem {
                    item: c.item,
                    name: c.name,
                    result: c.outcome.label(),
                    class: c.outcome.as_str(),
                    reason: c.reason.clone(),
                })
                .collect(),
        }
    }
}

/// One section's coaching: its text with the flagged sentences and hard words marked.
pub struct CoachSection {
    pub heading: String,
    pub id: Option<String>,
    pub level: ReadingLevel,
    pub blocks: Vec<coach::Block>,
    pub hard_words: Vec<HardWord>,
    pub flagged: usize,
}

impl WordingCoach {
    /// The coaching of `body` as `audience` (id and label) reads it; `None` when it was only
    /// measured (a professional wording).
    pub fn of(
        audience: &str,
        label: &str,
        body: &Rendered,
        coaching: &Coaching,
        readability: &Readability,
    ) -> Option<Self> {
        let target = coaching.target?;
        let sections = coaching
            .sections
            .iter()
            .map(|s| CoachSection {
                heading: heading_text(body, s.heading),
                id: s
                    .heading
                    .and_then(|h| body.headings.get(h))
                    .map(|h| h.id.clone()),
                level: ReadingLevel::of(&s.readability, Some(target)),
                blocks: s.annotate(&body.text),
                hard_words: s.hard_words(),
                flagged: s.sentences.len(),
            })
            .collect();
        Some(WordingCoach {
            audience: audience.to_string(),
            label: label.to_string(),
            level: ReadingLevel::of(readability, Some(target)),
            flagged: coaching.flagged_sentences(),
            hard_words: coaching.hard_words(),
            sections,
            pemat: None,
        })
    }

    /// A wording's coaching, if it was coached.
    pub fn of_wording(site: &Site, wording: &Wording) -> Option<Self> {
        let label = site
            .config
            .audience(&wording.audience)
            .map_or(wording.audience.as_str(), |a| a.label.as_str());
        let mut coach = Self::of(
            &wording.audience,
            label,
            &wording.body,
            wording.coaching.as_ref()?,
            &wording.readability(),
        )?;
        coach.pemat = wording.pemat.as_ref().map(PematView::of);
        Some(coach)
    }
}

/// The text of the heading `index` of `body`, or what the text before the first heading is called.
fn heading_text(body: &Rendered, index: Option<usize>) -> String {
    index.and_then(|h| body.headings.get(h)).map_or_else(
        || "Before the first heading".to_string(),
        |h| h.text.clone(),
    )
}

pub struct EditorArticle {
    pub slug: String,
    pub title: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub public: bool,
    pub problems: Vec<ProblemView>,
    /// Who is asked to review it, and by when.
    pub assignment: Option<String>,
    pub wordings: Vec<WordingStats>,
    pub side: SideBySide,
    /// The coached wordings' coaching.
    pub coaching: Vec<WordingCoach>,
    /// What readers see against the working files, and the Approve action.
    pub approval: Option<super::approve::ApprovalPanel>,
    /// A page of readers' comments, newest first, or why they cannot be shown.
    pub comments: Result<CommentsPage, String>,
    /// Fact-check links and the comments that came through them (not in preview, which has no
    /// accounts).
    pub fact_check: Option<super::fact_check::FactCheckPanel>,
    /// The article's translations: where each stands against its source, and its reading level.
    pub translations: Vec<TranslationRow>,
    /// Each translation beside its source wording: (heading, columns).
    pub translation_sides: Vec<(String, SideBySide)>,
}

/// One translation on the editor's page of an article.
pub struct TranslationRow {
    /// "Patient or caregiver in Español".
    pub label: String,
    /// The translation's file name.
    pub file: String,
    /// Its language.
    pub lang: String,
    /// Where it stands: "Follows the current source text", "Out of date: ...", "Not bound: ...".
    pub state: String,
    pub out_of_date: bool,
    /// What its `translates` should say to follow the source wording as it is now.
    pub source_print: String,
    /// Its reading level in its language's measures, if measured.
    pub level: Option<String>,
    /// Its hard words with plainer ones, for a patients' translation in a language with a word
    /// list: "hipertensión: presión arterial alta (2)".
    pub hard_words: Vec<String>,
}

impl TranslationRow {
    pub fn of(site: &Site, article: &Article, t: &crate::content::Translation) -> Self {
        use crate::content::TranslationState;
        let w = &t.wording;
        let audience = site
            .config
            .audience(&w.audience)
            .map_or(w.audience.clone(), |a| a.label.clone());
        let language = site
            .config
            .language(&w.lang)
            .map_or(w.lang.clone(), |l| l.label.clone());
        let source = &site.config.source_language().label;
        TranslationRow {
            lang: w.lang.clone(),
            label: format!("{audience} in {language}"),
            file: w
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            state: match &t.state {
                TranslationState::Current => format!("Follows the current {source} text"),
                TranslationState::OutOfDate { follows, updated } => format!(
                    "Out of date: follows the {source} text of {}; the {source} text changed{}",
                    follows.map_or("an earlier approval".to_string(), |d| d.in_words()),
                    updated
                        .map(|d| format!(" on {}", d.in_words()))
                        .unwrap_or_default()
                ),
                TranslationState::Unbound => format!(
                    "Not shown to readers: it does not name an approved {source} text it translates"
                ),
            },
            out_of_date: t.state != TranslationState::Current,
            source_print: article
                .wording(&w.audience)
                .map(|s| s.file_fingerprint.clone())
                .unwrap_or_default(),
            hard_words: w
                .hard_words
                .iter()
                .map(|h| format!("{}: {} ({})", h.term, h.plain, h.count))
                .collect(),
            level: w.spanish_readability.as_ref().map(|r| {
                format!(
                    "{} words; Fernández-Huerta {:.0}, INFLESZ {:.0} ({}), SOL grade {:.1}",
                    r.words,
                    r.fernandez_huerta,
                    r.szigriszt_pazos,
                    crate::readability::spanish::inflesz_band(r.szigriszt_pazos),
                    r.sol_grade
                )
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "editor/article.html")]
pub struct EditorArticlePage {
    pub layout: Layout,
    pub editor: EditorBar,
    pub view: EditorArticle,
}

pub struct SandboxForm {
    pub article: String,
    pub audience: String,
    pub markdown: String,
}

pub struct SandboxResult {
    pub html: String,
    pub problems: Vec<ProblemView>,
    pub references: Vec<String>,
    pub level: ReadingLevel,
    /// Coaching, for an audience with a plain-language target.
    pub coach: Option<WordingCoach>,
}

impl SandboxResult {
    pub fn new(
        html: String,
        problems: Vec<ProblemView>,
        references: Vec<String>,
        r: &Readability,
        target: Option<f64>,
        coach: Option<WordingCoach>,
    ) -> Self {
        SandboxResult {
            html,
            problems,
            references,
            level: ReadingLevel::of(r, target),
            coach,
        }
    }
}

#[derive(Template)]
#[template(path = "editor/sandbox.html")]
pub struct SandboxPage {
    pub layout: Layout,
    pub editor: EditorBar,
    /// (slug, title)
    pub articles: Vec<(String, String)>,
    /// (id, label)
    pub audiences: Vec<(String, String)>,
    pub form: SandboxForm,
    pub result: Option<SandboxResult>,
}

#[derive(Template)]
#[template(path = "editor/login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub next: String,
    pub csrf: String,
    pub error: Option<String>,
}

/// A wording's HTML cut at its `<h2>` headings: (heading id, HTML), the heading kept with its
/// section. Text before the first heading has no id.
pub fn sections(html: &str) -> Vec<(Option<String>, String)> {
    const OPEN: &str = "<h2 id=\"";
    let mut out = Vec::new();
    let mut rest = html;
    let mut id: Option<String> = None;
    loop {
        let next = rest.find(OPEN).unwrap_or(rest.len());
        let (section, after) = rest.split_at(next);
        if !section.trim().is_empty() {
            out.push((id.take(), section.to_string()));
        }
        if after.is_empty() {
            break;
        }
        id = after[OPEN.len()..].split('"').next().map(str::to_string);
        // The next search starts past this heading's opening, so the heading stays with its text.
        let skip = OPEN.len();
        let more = after[skip..].find(OPEN).map_or(after.len(), |n| n + skip);
        let (this, tail) = after.split_at(more);
        out.push((id.take(), this.to_string()));
        rest = tail;
    }
    out
}

/// Section keys of several wordings merged into one order that keeps each wording's own order
/// where they agree: a section one wording has and another lacks comes after the section it
/// follows in its own wording.
fn merged_order(lists: &[Vec<Option<String>>]) -> Vec<Option<String>> {
    let mut order: Vec<Option<String>> = Vec::new();
    for list in lists {
        let mut insert_at = 0;
        for key in list {
            match order.iter().position(|k| k == key) {
                Some(at) => insert_at = insert_at.max(at + 1),
                None => {
                    order.insert(insert_at, key.clone());
                    insert_at += 1;
                }
            }
        }
    }
    order
}

/// The tags of `html` (sanitised HTML, as the Markdown pipeline writes it), as byte ranges: `<`
/// starts a tag only outside one, and a tag ends at the first `>` outside its attribute values, which
/// are always in double quotes (a `"` inside one is written `&quot;`). Text never holds a bare `<`;
/// HTML allows one in an attribute value, so finding a tag's name in the string is not enough.
fn tags(html: &str) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        let mut quoted = false;
        i += 1;
        while i < bytes.len() && (quoted || bytes[i] != b'>') {
            quoted ^= bytes[i] == b'"';
            i += 1;
        }
        i = (i + 1).min(bytes.len());
        out.push(start..i);
    }
    out
}

/// Whether the tag `tag` (its text, from `<` to `>`) is named `name` (lower case, with a leading `/`
/// for an end tag).
fn is_tag(tag: &str, name: &str) -> bool {
    tag.get(1..=name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && tag[1 + name.len()..]
            .chars()
            .next()
            .is_some_and(|c| c == '>' || c == '/' || c.is_ascii_whitespace())
}

/// `html` without its leading `<h2>` heading, if it starts with one.
fn without_heading(html: &str) -> &str {
    if !html.starts_with("<h2") {
        return html;
    }
    match tags(html)
        .into_iter()
        .find(|t| is_tag(&html[t.clone()], "/h2"))
    {
        Some(end) => &html[end.end..],
        None => html,
    }
}

/// Puts each table of `html` in a region that scrolls sideways within its cell, so a wide table
/// never widens the column; `count` numbers the regions on the page (their names must differ).
fn scrolling_tables(html: &str, count: &mut usize) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut at = 0;
    for tag in tags(html) {
        let text = &html[tag.clone()];
        if is_tag(text, "table") {
            *count += 1;
            out.push_str(&html[at..tag.start]);
            out.push_str(&format!(
                "<div class=\"cell-table\" tabindex=\"0\" role=\"region\" aria-label=\"Table {count} (scrolls sideways)\">"
            ));
            at = tag.start;
        } else if is_tag(text, "/table") {
            out.push_str(&html[at..tag.end]);
            out.push_str("</div>");
            at = tag.end;
        }
    }
    out.push_str(&html[at..]);
    out
}

/// The wordings of `article` side by side: one row per section id, in an order that keeps every
/// wording's own order; a section no other wording shares has a row of its own.
pub fn side_by_side(site: &Site, article: &Article) -> SideBySide {
    side_by_side_of(site, article, article.wordings.iter().collect(), &mut 0)
}

/// Each translation of `article` beside its source wording, aligned by section as the wordings are:
/// (a heading, the two columns).
pub fn translations_side_by_side(site: &Site, article: &Article) -> Vec<(String, SideBySide)> {
    // Tables scroll in regions named "Table N": numbered on from the wordings' side by side, as
    // one page holds both.
    let mut tables = article
        .wordings
        .iter()
        .map(|w| w.body.html.matches("<table").count())
        .sum::<usize>();
    article
        .translations
        .iter()
        .filter_map(|t| {
            let source = article.wording(&t.wording.audience)?;
            let language = site
                .config
                .language(&t.wording.lang)
                .map_or(t.wording.lang.clone(), |l| l.label.clone());
            let audience = site
                .config
                .audience(&t.wording.audience)
                .map_or(t.wording.audience.clone(), |a| a.label.clone());
            Some((
                format!(
                    "{audience}: {} and {language} side by side",
                    site.config.source_language().label
                ),
                side_by_side_of(site, article, vec![source, &t.wording], &mut tables),
            ))
        })
        .collect()
}

fn side_by_side_of(
    site: &Site,
    article: &Article,
    wordings: Vec<&Wording>,
    tables: &mut usize,
) -> SideBySide {
    let columns: Vec<Column> = wordings
        .iter()
        .map(|w| {
            let audience = site
                .config
                .audience(&w.audience)
                .map_or(w.audience.clone(), |a| a.label.clone());
            Column {
                label: match site.config.language(&w.lang) {
                    Some(l) if wordings.iter().any(|o| o.lang != w.lang) => {
                        format!("{audience} ({})", l.label)
                    }
                    _ => audience,
                },
            }
        })
        .collect();
    let cut: Vec<Vec<(Option<String>, String)>> =
        wordings.iter().map(|w| sections(&w.body.html)).collect();
    let keys: Vec<Vec<Option<String>>> = cut
        .iter()
        .map(|w| w.iter().map(|(id, _)| id.clone()).collect())
        .collect();
    let rows = merged_order(&keys)
        .into_iter()
        .map(|id| {
            let cells: Vec<Cell> = wordings
                .iter()
                .copied()
                .zip(&cut)
                .zip(&columns)
                .map(|((wording, sections), column)| Cell {
                    label: column.label.clone(),
                    section: sections.iter().find(|(i, _)| *i == id).map(|(_, html)| {
                        section_cell(site, article, wording, id.as_deref(), html, tables)
                    }),
                })
                .collect();
            SectionRow {
                found_in: cells.iter().filter(|c| c.section.is_some()).count(),
                id,
                cells,
            }
        })
        .collect();
    SideBySide { columns, rows }
}

fn section_cell(
    site: &Site,
    article: &Article,
    wording: &Wording,
    id: Option<&str>,
    html: &str,
    tables: &mut usize,
) -> SectionCell {
    let body = &wording.body;
    let heading = id.and_then(|id| body.headings.iter().position(|h| h.id == id));
    let target = site
        .config
        .audience(&wording.audience)
        .and_then(|a| a.max_grade);
    let level = wording.coaching.as_ref().and_then(|c| {
        c.sections
            .iter()
            .find(|s| s.heading == heading)
            .map(|s| ReadingLevel::of(&s.readability, target))
    });
    let mut href = format!("/editor/articles/{}/{}", article.slug, wording.audience);
    if let Some(id) = id {
        href.push('#');
        href.push_str(id);
    }
    SectionCell {
        heading: heading_text(body, heading),
        id: id.map(str::to_string),
        html: scrolling_tables(without_heading(html), tables),
        level,
        href,
    }
}

/// How an article's review stands for editors: who is asked and by when.
pub fn assignment(site: &Site, article: &Article, today: Date) -> Option<String> {
    let review = &article.review;
    if review.assigned_to.is_empty() && review.due.is_none() {
        return None;
    }
    let mut out = String::new();
    if !review.assigned_to.is_empty() {
        out.push_str("Assigned to ");
        out.push_str(&reviewer_names(site, &review.assigned_to).join(", "));
    }
    if let Some(due) = review.due {
        out.push_str(if out.is_empty() { "Due " } else { "; due " });
        out.push_str(&due.in_words());
        if due < today {
            out.push_str(" (overdue)");
        }
    }
    Some(out)
}

/// The names of the reviewers `ids` (each known to the site; an unknown one is shown by its id).
pub fn reviewer_names(site: &Site, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            site.reviewers.get(id).map_or_else(
                || id.clone(),
                |r| {
                    if r.sample {
                        format!("{} (fictional sample reviewer)", r.name)
                    } else {
                        r.name.clone()
                    }
                },
            )
        })
        .collect()
}

/// One article in the review queue.
pub struct ReviewRow {
    pub slug: String,
    pub title: String,
    pub status: &'static str,
    pub status_class: &'static str,
    /// Why it is waiting, when it is not simply its status.
    pub note: Option<String>,
    pub assigned: Vec<String>,
    pub due: Option<String>,
    pub overdue: bool,
    /// Who said they are reviewing it, and since when.
    pub reviewing: Option<String>,
}

impl ReviewRow {
    pub fn of(site: &Site, entry: &QueueEntry<'_>) -> Self {
        let a = entry.article;
        let (status, status_class) = if changes_requested(site, &a.slug) {
            ("Changes requested", "changes-requested")
        } else if let Some(stage) = approval_stage(site, &a.slug) {
            stage
        } else {
            status_label(a.review.status)
        };
        ReviewRow {
            slug: a.slug.clone(),
            title: a.title.clone(),
            status,
            status_class,
            note: match entry.waiting {
                Waiting::ReviewDue(next) => Some(format!("Review due since {}", next.in_words())),
                Waiting::ChangedSinceApproval(Some(on)) => {
                    Some(format!("Changed since its approval on {}", on.in_words()))
                }
                Waiting::ChangedSinceApproval(None) => Some("Changed since approval".into()),
                Waiting::TranslationOutOfDate(on) => Some(format!(
                    "Translation out of date ({}): the source text changed{}; translate the change and approve again",
                    entry.languages.join(", "),
                    on.map(|d| format!(" and was approved on {}", d.in_words()))
                        .unwrap_or_default()
                )),
                Waiting::Pending(_) => None,
                Waiting::AwaitingSecondReviewer(on) => {
                    let first = site.records.get(&a.slug).and_then(|r| r.first.as_ref());
                    let who = first.map(|f| reviewer_names(site, &f.reviewers).join(" and "));
                    let needed = first.map_or(1, |f| f.still_needed(a.review.approvals_required));
                    Some(format!(
                        "First approval by {} on {}: {} must approve the same text",
                        who.unwrap_or_else(|| "a reviewer".into()),
                        on.in_words(),
                        super::approve::more_reviewers(needed)
                    ))
                }
            },
            assigned: reviewer_names(site, &a.review.assigned_to),
            due: entry.due.map(|d| d.in_words()),
            overdue: entry.overdue,
            reviewing: None,
        }
    }
}

#[derive(Template)]
#[template(path = "editor/reviews.html")]
pub struct ReviewsPage {
    pub layout: Layout,
    pub editor: EditorBar,
    pub rows: Vec<ReviewRow>,
    /// (id, label) of every reviewer, for the filter.
    pub reviewers: Vec<(String, String)>,
    /// The reviewer whose reviews are shown; empty for everyone's.
    pub selected: String,
    /// The label of the selected reviewer.
    pub selected_label: Option<String>,
    /// A `reviewer` that is not a reviewer id.
    pub unknown: Option<String>,
    pub today: String,
    /// The signed-in reviewer's private feed.
    pub feed: Option<super::reminders::FeedPanel>,
}

#[cfg(test)]
mod tests {
    use super::{merged_order, scrolling_tables, sections, without_heading};

    #[test]
    fn sections_keep_each_wordings_order() {
        let key = |k: &str| (k != "-").then(|| k.to_string());
        let list = |ks: &[&str]| ks.iter().map(|k| key(k)).collect::<Vec<_>>();
        let merged = merged_order(&[
            list(&["-", "a", "b", "d"]),
            list(&["-", "x", "a", "c", "d"]),
        ]);
        assert_eq!(merged, list(&["-", "x", "a", "c", "b", "d"]));
    }

    #[test]
    fn tables_scroll_in_numbered_regions_and_headings_come_off() {
        let mut n = 0;
        let html = scrolling_tables(
            "<p>a</p><table><tr><td>1</td></tr></table><table></table>",
            &mut n,
        );
        assert_eq!(n, 2);
        assert_eq!(
            html,
            "<p>a</p><div class=\"cell-table\" tabindex=\"0\" role=\"region\" aria-label=\"Table 1 (scrolls sideways)\"><table><tr><td>1</td></tr></table></div>\
             <div class=\"cell-table\" tabindex=\"0\" role=\"region\" aria-label=\"Table 2 (scrolls sideways)\"><table></table></div>"
        );
        assert_eq!(without_heading("<h2 id=\"a\">A</h2><p>x</p>"), "<p>x</p>");
        assert_eq!(without_heading("<p>x</p>"), "<p>x</p>");
    }

    /// HTML allows a bare `<` in an attribute value: what looks like a tag there must not be taken
    /// for one, or the markup added around it would break out of the attribute.
    #[test]
    fn tags_inside_attribute_values_are_not_tags() {
        let html = "<h2 id=\"a\">A</h2>\n<p><img alt=\"</h2><img src=x onerror=alert(1)>\"> <img alt=\"<table onmouseover=alert(2) x\"></p>\n<table><tbody><tr><td>b</td></tr></tbody></table>\n";
        let cut = without_heading(html);
        assert!(cut.starts_with("\n<p><img alt=\"</h2>"), "{cut}");
        let mut n = 0;
        let wrapped = scrolling_tables(cut, &mut n);
        assert_eq!(n, 1, "{wrapped}");
        assert!(
            wrapped.contains("<img alt=\"<table onmouseover=alert(2) x\"></p>\n<div class=\"cell-table\" tabindex=\"0\" role=\"region\" aria-label=\"Table 1 (scrolls sideways)\"><table><tbody>"),
            "{wrapped}"
        );
        assert!(wrapped.ends_with("</table></div>\n"), "{wrapped}");
        // The pipeline's own output escapes it anyway.
        let (body, _) = crate::markdown::render("<img alt='<table x'>", &|_| true);
        assert!(!body.html.contains("alt=\"<"), "{}", body.html);
    }

    #[test]
    fn html_is_cut_at_h2_headings() {
        let html = "<p>Intro</p><h2 id=\"a\">A</h2><p>one</p><h2 id=\"b\">B</h2><p>two</p>";
        let s = sections(html);
        let ids: Vec<_> = s.iter().map(|(i, _)| i.as_deref()).collect();
        assert_eq!(ids, [None, Some("a"), Some("b")]);
        assert_eq!(s[1].1, "<h2 id=\"a\">A</h2><p>one</p>");
        assert_eq!(s[2].1, "<h2 id=\"b\">B</h2><p>two</p>");
    }
}
