//! The dashboard: every article with its status, problems and reading levels, the site's own
//! problems, and the sources to check.

use super::feedback::Tallies;
use super::views::{
    DashboardPage, DashboardRow, ProblemView, SourceChecks, WordingStats, status_label,
};
use super::{Editor, EditorError, EditorState, article_of, editor_layout, html_page};
use crate::content::{Date, review_queue};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub(super) async fn dashboard(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
) -> Result<HttpResponse, EditorError> {
    let tallies = Tallies::load(&editors.store).await;
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let today = Date::today();
    let mut slugs: Vec<String> = site
        .articles
        .keys()
        .chain(site.working.keys())
        .chain(site.records.keys())
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for d in &site.diagnostics {
        if let Some(slug) = article_of(site, &d.path)
            && !slugs.contains(&slug)
        {
            slugs.push(slug);
        }
    }
    slugs.sort();
    let rows = slugs
        .into_iter()
        .map(|slug| {
            let problems: Vec<_> = site
                .diagnostics
                .iter()
                .filter(|d| article_of(site, &d.path).as_deref() == Some(slug.as_str()))
                .collect();
            let errors = problems.iter().filter(|d| d.is_error()).count();
            let warnings = problems.iter().filter(|d| d.is_warning()).count();
            let record = site.records.get(&slug);
            let approval = match record {
                Some(r) if r.record.withdrawn.is_some() => Some("withdrawn"),
                Some(r) if r.changed_since_approval() => Some("changed since approval"),
                Some(_) => Some("approved copy up to date"),
                None => None,
            };
            match site.working_article(&slug) {
                Some(a) => {
                    // Working files that match their approved copy are approved, whatever they say.
                    let up_to_date = record.is_some_and(|r| {
                        r.record.withdrawn.is_none() && !r.changed_since_approval()
                    });
                    let (status, status_class) = status_label(if up_to_date {
                        crate::content::ReviewStatus::Approved
                    } else {
                        a.review.status
                    });
                    DashboardRow {
                        title: a.title.clone(),
                        status,
                        status_class,
                        updated: a.updated.in_words(),
                        next_review: a.review.next_review.map(|d| d.in_words()),
                        overdue: a.review.next_review.is_some_and(|d| d < today),
                        errors,
                        warnings,
                        approval,
                        wordings: a
                            .wordings
                            .iter()
                            .map(|w| WordingStats::of(site, w))
                            .collect(),
                        feedback: tallies
                            .as_ref()
                            .map(|t| t.of(site, &slug))
                            .unwrap_or_default(),
                        slug,
                    }
                }
                None => DashboardRow {
                    title: format!("{slug} (does not load)"),
                    status: "Not loaded",
                    status_class: "error",
                    updated: String::new(),
                    next_review: None,
                    overdue: false,
                    errors,
                    warnings,
                    approval,
                    wordings: Vec::new(),
                    feedback: Vec::new(),
                    slug,
                },
            }
        })
        .collect();
    let queue = review_queue(site, today);
    let waiting = queue.len();
    let overdue = queue.iter().filter(|entry| entry.overdue).count();
    let site_problems = state
        .reload_problems()
        .iter()
        .map(|d| ProblemView::of(d, &site.root))
        .collect();
    html_page(
        &DashboardPage {
            layout: editor_layout(&state, "Editor dashboard"),
            editor: editor.bar("dashboard"),
            rows,
            site_problems,
            today: today.in_words(),
            sources: SourceChecks::of(site, today),
            feedback_error: tallies.err(),
            waiting,
            overdue,
        },
        StatusCode::OK,
    )
}
