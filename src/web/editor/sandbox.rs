//! The Markdown sandbox: text rendered through the same pipeline as articles, with its problems,
//! citations, reading level and plain-language coaching; nothing is saved. `static/editor.js` posts
//! the form as the editor types and swaps in the new coaching and page; without JavaScript, the
//! Render button posts it.

use super::offload::off_workers;
use super::views::{ProblemView, SandboxForm, SandboxPage, SandboxResult, WordingCoach};
use super::{Editor, EditorError, editor_layout, html_page};
use crate::coach;
use crate::content::{AudienceType, Site};
use crate::markdown;
use crate::readability::Readability;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// (value, label) pairs for a `<select>`.
type Choices = Vec<(String, String)>;

/// The sandbox's articles and audiences to choose from.
fn sandbox_choices(site: &Site) -> (Choices, Choices) {
    let articles = site
        .articles
        .values()
        .map(|a| (a.slug.clone(), a.title.clone()))
        .collect();
    let audiences = site
        .config
        .audiences
        .iter()
        .map(|a| (a.id.clone(), a.label.clone()))
        .collect();
    (articles, audiences)
}

pub(super) async fn sandbox_form(
    state: web::Data<AppState>,
    editor: Editor,
) -> Result<HttpResponse, EditorError> {
    let snapshot = state.snapshot();
    let (articles, audiences) = sandbox_choices(&snapshot.site);
    html_page(
        &SandboxPage {
            layout: editor_layout(&state, "Markdown sandbox"),
            editor: editor.bar("sandbox"),
            form: SandboxForm {
                article: articles.first().map(|a| a.0.clone()).unwrap_or_default(),
                audience: snapshot.site.config.default_audience.clone(),
                markdown: String::new(),
            },
            articles,
            audiences,
            result: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct SandboxInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    article: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    markdown: String,
}

/// Renders posted Markdown through the same pipeline as articles; saves nothing.
pub(super) async fn sandbox(
    state: web::Data<AppState>,
    editor: Editor,
    form: web::Form<SandboxInput>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    let form = form.into_inner();
    let snapshot = state.snapshot();
    let (form, result) = off_workers(move || {
        let result = sandbox_result(&snapshot.site, &form);
        (form, result)
    })
    .await?;
    let snapshot = state.snapshot();
    let (articles, audiences) = sandbox_choices(&snapshot.site);
    html_page(
        &SandboxPage {
            layout: editor_layout(&state, "Markdown sandbox"),
            editor: editor.bar("sandbox"),
            articles,
            audiences,
            result: Some(result),
            form: SandboxForm {
                article: form.article,
                audience: form.audience,
                markdown: form.markdown,
            },
        },
        StatusCode::OK,
    )
}

/// The rendering, problems, citations, reading level and coaching of one post (slow work: run it
/// through [`off_workers`]).
fn sandbox_result(site: &Site, form: &SandboxInput) -> SandboxResult {
    let article = site.articles.get(&form.article);
    let references = article.map(|a| a.references.as_slice()).unwrap_or_default();
    let is_known = |key: &str| references.iter().any(|r| r.key == key);
    let for_clinicians = site
        .config
        .audience(&form.audience)
        .is_some_and(|a| a.readers == AudienceType::Clinician);
    let (rendered, problems) = markdown::render_for(&form.markdown, &is_known, for_clinicians);
    let mut problems: Vec<ProblemView> = problems
        .into_iter()
        .map(|p| ProblemView {
            severity: "error",
            location: format!("line {}", crate::content::line_of(&form.markdown, p.offset)),
            message: p.message,
        })
        .collect();
    // The form offers only known ones; anything else is said, not silently ignored.
    if article.is_none() && !form.article.is_empty() {
        problems.push(ProblemView {
            severity: "error",
            location: "article".into(),
            message: format!(
                "there is no article {:?}: citations are checked against no references",
                form.article
            ),
        });
    }
    if site.config.audience(&form.audience).is_none() {
        problems.push(ProblemView {
            severity: "error",
            location: "audience".into(),
            message: format!(
                "there is no audience {:?}: choose one from the list (measured without a target)",
                form.audience
            ),
        });
    }
    if audience_is_plain(site, &form.audience) {
        for sentence in coach::overstated_certainty(&rendered) {
            problems.push(ProblemView {
                severity: "warning",
                location: "evidence grade".into(),
                message: format!(
                    "\"{sentence}\" cites low-certainty evidence but states its effect as certain: GRADE suggests \"may\" or \"might\" for low certainty"
                ),
            });
        }
    }
    let cited = rendered
        .citations
        .iter()
        .filter_map(|key| references.iter().find(|r| &r.key == key))
        .map(|r| format!("{} ({}, {})", r.title, r.source, r.year))
        .collect();
    let readability = Readability::of(&rendered.text);
    let audience = site.config.audience(&form.audience);
    let target = audience.and_then(|a| a.max_grade);
    // As for a saved wording: professional audiences are measured, not coached.
    let coached = audience
        .filter(|a| a.readers != AudienceType::Clinician)
        .and_then(|a| a.max_grade);
    let coaching = coach::coach(&rendered, &site.plain_words, coached);
    let coach_view = audience
        .and_then(|a| WordingCoach::of(&a.id, &a.label, &rendered, &coaching, &readability));
    SandboxResult::new(
        rendered.html,
        problems,
        cited,
        &readability,
        target,
        coach_view,
    )
}

/// Whether `audience` is one whose wordings are coached (not written for clinicians).
fn audience_is_plain(site: &Site, audience: &str) -> bool {
    site.config
        .audience(audience)
        .is_some_and(|a| a.readers != AudienceType::Clinician)
}
