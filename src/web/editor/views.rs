//! Page structs of the editor area.

use crate::content::{
    Article, Date, Diagnostic, ReviewStatus, Site, SourceConcern, Wording, source_alerts,
};
use crate::readability::Readability;
use crate::render::views::Layout;
use askama::Template;
use std::path::Path;

/// The bar at the top of every editor page.
pub struct EditorBar {
    pub user: String,
    pub csrf: String,
    /// Signed in with an account (so there is a sign-out button), rather than open preview mode.
    pub accounts: bool,
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
}

impl WordingStats {
    pub fn of(site: &Site, wording: &Wording) -> Self {
        let audience = site.config.audience(&wording.audience);
        WordingStats {
            audience: wording.audience.clone(),
            label: audience.map_or(wording.audience.clone(), |a| a.label.clone()),
            level: ReadingLevel::of(&wording.readability(), audience.and_then(|a| a.max_grade)),
        }
    }
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
}

pub struct SectionRow {
    pub id: String,
    pub cells: Vec<String>,
}

pub struct EditorArticle {
    pub slug: String,
    pub title: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub public: bool,
    pub problems: Vec<ProblemView>,
    pub wordings: Vec<WordingStats>,
    pub sections: Vec<SectionRow>,
    /// What readers see against the working files, and the Approve action.
    pub approval: Option<super::approve::ApprovalPanel>,
    /// Readers' comments, newest first, or why they cannot be shown.
    pub comments: Result<Vec<CommentView>, String>,
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
}

impl SandboxResult {
    pub fn new(
        html: String,
        problems: Vec<ProblemView>,
        references: Vec<String>,
        r: &Readability,
        target: Option<f64>,
    ) -> Self {
        SandboxResult {
            html,
            problems,
            references,
            level: ReadingLevel::of(r, target),
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

/// A wording's HTML cut at its `<h2>` headings: (section id, HTML). Text before the first heading is
/// the section `intro`.
pub fn sections(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut id = "intro".to_string();
    while let Some(at) = rest.find("<h2 id=\"") {
        let (before, after) = rest.split_at(at);
        if !before.trim().is_empty() {
            out.push((id.clone(), before.to_string()));
        }
        let id_start = "<h2 id=\"".len();
        id = after[id_start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string();
        // Keep the heading with its section.
        let next = after[id_start..]
            .find("<h2 id=\"")
            .map(|n| n + id_start)
            .unwrap_or(after.len());
        out.push((id.clone(), after[..next].to_string()));
        rest = &after[next..];
        id = "more".to_string();
    }
    if !rest.trim().is_empty() {
        out.push((id, rest.to_string()));
    }
    out
}

/// Rows of sections across wordings, matched by heading id, in the order they first appear.
pub fn side_by_side(article: &Article) -> Vec<SectionRow> {
    let cut: Vec<Vec<(String, String)>> = article
        .wordings
        .iter()
        .map(|w| sections(&w.body.html))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    for wording in &cut {
        for (id, _) in wording {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    ids.into_iter()
        .map(|id| SectionRow {
            cells: cut
                .iter()
                .map(|w| {
                    w.iter()
                        .find(|(i, _)| *i == id)
                        .map(|(_, html)| html.clone())
                        .unwrap_or_default()
                })
                .collect(),
            id,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sections;

    #[test]
    fn html_is_cut_at_h2_headings() {
        let html = "<p>Intro</p><h2 id=\"a\">A</h2><p>one</p><h2 id=\"b\">B</h2><p>two</p>";
        let s = sections(html);
        let ids: Vec<_> = s.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, ["intro", "a", "b"]);
        assert_eq!(s[1].1, "<h2 id=\"a\">A</h2><p>one</p>");
        assert_eq!(s[2].1, "<h2 id=\"b\">B</h2><p>two</p>");
    }
}
