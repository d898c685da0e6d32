//! The Markdown sandbox: text rendered through the same pipeline as articles, with its problems,
//! citations, reading level and plain-language coaching; nothing is saved. `static/editor.js` posts
//! the form as the editor types and swaps in the new coaching and page; without JavaScript, the
//! Render button posts it.

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
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::Semaphore;

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

/// At most this many sandbox renders run at once (each on the blocking pool); a post waits at
/// most [`QUEUE_WAIT`] for its turn.
const RENDER_SLOTS: usize = 2;
const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How long one render (Markdown, readability, coaching) may take before the editor is told so.
/// The text itself is capped by the sandbox's form limit (512 KiB).
const RENDER_BUDGET: Duration = Duration::from_secs(5);

static SLOTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(RENDER_SLOTS)));

/// Runs `work` on the blocking thread pool, never on the async workers that answer readers: at
/// most [`RENDER_SLOTS`] at once, each within [`RENDER_BUDGET`] (a render over it goes on in the
/// background, holding its slot, so slow posts cannot pile up).
pub(super) async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, EditorError> {
    let busy = || EditorError::Refused("the sandbox is busy: try again in a moment".into());
    let slot = tokio::time::timeout(QUEUE_WAIT, SLOTS.clone().acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let job = web::block(move || {
        let _slot = slot;
        work()
    });
    match tokio::time::timeout(RENDER_BUDGET, job).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(EditorError::Render(e.to_string())),
        Err(_) => Err(EditorError::Refused(format!(
            "this text took longer than {} s to render: shorten it",
            RENDER_BUDGET.as_secs()
        ))),
    }
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
    let (rendered, problems) = markdown::render(&form.markdown, &is_known);
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
