//! Expert fact checks without an account. An editor makes a link for one article (the article's
//! editor page, or `healthpress fact-check-link`): `/fact-check/{token}` shows that article's working
//! text, one wording at a time, read-only, marked as a draft for fact check and kept out of search
//! engines, with a box whose comments reach the article's editor page. The token is signed and
//! expires (see [`crate::store::FactCheckLink`]); revoked or expired links get 410. It opens nothing
//! else, works on every replica (the links are in the shared database), and each use is logged.

use super::auth::EditorAccess;
use super::{Editor, EditorError, EditorState};
use crate::render::views::{Layout, RefView};
use crate::store::{FactCheckLink, LinkState, Taken, now_ms};
use crate::web::AppState;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// The longest a link may last, in days.
pub const MAX_DAYS: u32 = 90;
/// How long a link lasts when no number of days is given.
pub const DEFAULT_DAYS: u32 = 14;
/// The longest comment, in characters.
const MAX_COMMENT_CHARS: usize = 4_000;
/// The longest name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Comments one link may send per hour.
const COMMENTS_PER_HOUR: i64 = 30;

/// The public routes, outside `/editor/` (a fact checker has no session).
pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/fact-check")
            .wrap(
                DefaultHeaders::new()
                    .add((header::CACHE_CONTROL, "no-store"))
                    .add(("x-robots-tag", "noindex, nofollow"))
                    .add((header::REFERRER_POLICY, "no-referrer")),
            )
            .app_data(
                web::FormConfig::default()
                    .limit(16 * 1024)
                    .error_handler(crate::web::handlers::form_error),
            )
            .route("/{token}", crate::web::get().to(page))
            .route("/{token}/comments", web::post().to(comment)),
    );
}

#[derive(Template)]
#[template(path = "fact_check.html")]
pub struct FactCheckPage {
    pub layout: Layout,
    pub token: String,
    pub title: String,
    /// (audience id, label) of every wording, and whether it is the one shown.
    pub wordings: Vec<(String, String, bool)>,
    pub label: String,
    /// The wording's body, sanitised HTML.
    pub body: String,
    pub references: Vec<RefView>,
    pub expires: String,
    pub sent: bool,
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    wording: Option<String>,
    #[serde(default)]
    sent: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct CommentForm {
    #[serde(default)]
    name: String,
    comment: String,
    #[serde(default)]
    wording: String,
}

/// The link of `token`, when the editor area is on and it is open; else the error page to show.
async fn open_link(
    state: &AppState,
    editors: &EditorState,
    token: &str,
) -> Result<FactCheckLink, EditorError> {
    if matches!(editors.access, EditorAccess::Off) {
        return Err(super::not_found(state));
    }
    match editors
        .store
        .fact_check_state(token, now_ms())
        .await
        .map_err(|_| EditorError::Unavailable)?
    {
        LinkState::Open(link) => Ok(link),
        LinkState::Gone(link) => {
            tracing::info!(link = %link.id, slug = %link.slug, "refused an expired or revoked fact-check link");
            Err(EditorError::Gone(
                "This fact-check link has expired or was withdrawn. Ask the editor who sent it for a new one.".into(),
            ))
        }
        LinkState::Unknown => Err(super::not_found(state)),
    }
}

fn render(
    state: &web::Data<AppState>,
    snapshot: &crate::render::Snapshot,
    link: &FactCheckLink,
    token: &str,
    wording: Option<&str>,
    sent: bool,
    error: Option<String>,
) -> Result<FactCheckPage, EditorError> {
    let site = &snapshot.site;
    let Some(article) = site.working_article(&link.slug) else {
        return Err(EditorError::Gone(
            "This article does not load at the moment: the editors are fixing it. Please try the link again later.".into(),
        ));
    };
    let chosen = wording
        .and_then(|id| article.wordings.iter().find(|w| w.audience == id))
        .or_else(|| article.wordings.first())
        .ok_or_else(|| super::not_found(state))?;
    let label = |id: &str| {
        site.config
            .audience(id)
            .map_or_else(|| id.to_string(), |a| a.label.clone())
    };
    let mut layout = Layout::new(
        site,
        &snapshot.assets,
        &format!("Fact check: {}", article.title),
        "A draft for fact check, not for patients.",
        None,
    );
    layout.audience = None;
    Ok(FactCheckPage {
        layout,
        token: token.to_string(),
        title: article.title.clone(),
        wordings: article
            .wordings
            .iter()
            .map(|w| {
                (
                    w.audience.clone(),
                    label(&w.audience),
                    w.audience == chosen.audience,
                )
            })
            .collect(),
        label: label(&chosen.audience),
        body: chosen.body.html.clone(),
        references: article
            .cited_references(chosen)
            .enumerate()
            .map(|(i, r)| RefView::new(i + 1, r, &site.config.messages.source()))
            .collect(),
        expires: super::feedback::time_in_words(link.expires_ms),
        sent,
        error,
    })
}

/// `GET /fact-check/{token}`: the article's working text, one wording at a time.
pub(super) async fn page(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    token: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, EditorError> {
    let link = open_link(&state, &editors, &token).await?;
    if let Err(e) = editors.store.count_fact_check_use(&link.id, now_ms()).await {
        tracing::warn!("cannot count a use of fact-check link {}: {e}", link.id);
    }
    tracing::info!(link = %link.id, slug = %link.slug, "fact-check link used");
    let snapshot = super::current_snapshot(&state, &editors, &link.slug).await?;
    let page = render(
        &state,
        &snapshot,
        &link,
        &token,
        query.wording.as_deref(),
        query.sent.is_some(),
        None,
    )?;
    super::html_page(&page, actix_web::http::StatusCode::OK)
}

/// Checks a comment: not empty, at most [`MAX_COMMENT_CHARS`], no characters that cannot be shown.
fn clean(text: &str, max: usize, what: &str, required: bool) -> Result<String, String> {
    let text = text.replace("\r\n", "\n").trim().to_string();
    if required && text.is_empty() {
        return Err(format!("Please write your {what} before sending it."));
    }
    if text.chars().count() > max {
        return Err(format!(
            "Your {what} is over {max} characters: please shorten it."
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
        || crate::content::unsafe_char(&text).is_some()
    {
        return Err(format!(
            "Your {what} contains characters that cannot be shown: please remove them."
        ));
    }
    Ok(text)
}

/// `POST /fact-check/{token}/comments`: saves a fact checker's comment for the article's editors.
pub(super) async fn comment(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<CommentForm>,
) -> Result<HttpResponse, EditorError> {
    let link = open_link(&state, &editors, &token).await?;
    let snapshot = state.snapshot();
    if crate::web::origin::is_cross_site(&req, &snapshot.site.config.base_url) {
        return Err(EditorError::NotAllowed(
            "That comment was sent from another website, so it was not saved.",
        ));
    }
    let checked = clean(&form.name, MAX_NAME_CHARS, "name", false).and_then(|name| {
        Ok((
            name,
            clean(&form.comment, MAX_COMMENT_CHARS, "comment", true)?,
        ))
    });
    let (name, comment) = match checked {
        Ok(both) => both,
        Err(message) => {
            let snapshot = super::current_snapshot(&state, &editors, &link.slug).await?;
            let page = render(
                &state,
                &snapshot,
                &link,
                &token,
                Some(&form.wording),
                false,
                Some(message),
            )?;
            return super::html_page(&page, actix_web::http::StatusCode::BAD_REQUEST);
        }
    };
    let store = &editors.store;
    let bucket = store.hash(&["fact-check-comments", &link.id]);
    match store
        .take(
            &bucket,
            COMMENTS_PER_HOUR,
            std::time::Duration::from_secs(3600),
            now_ms(),
        )
        .await
        .map_err(|_| EditorError::Unavailable)?
    {
        Taken::Full { .. } => {
            crate::metrics::metrics()
                .limited
                .with_label_values(&["fact-check"])
                .inc();
            return Err(EditorError::Refused(
                "This link has sent many comments in the last hour: please try again later, or write to the editor who sent it.".into(),
            ));
        }
        Taken::Counted { .. } => {}
    }
    store
        .save_fact_check_comment(&link, &name, &comment, now_ms())
        .await
        .map_err(|_| EditorError::Unavailable)?;
    tracing::info!(link = %link.id, slug = %link.slug, "fact-check comment received");
    let wording = if crate::content::is_slug(&form.wording) {
        format!("&wording={}", form.wording)
    } else {
        String::new()
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/fact-check/{}?sent=1{wording}#comment", token.as_str()),
        ))
        .finish())
}

/// A fact-check link as its article's editor page lists it.
pub struct LinkRow {
    pub id: String,
    pub created: String,
    pub created_by: String,
    pub expires: String,
    pub state: &'static str,
    pub uses: i64,
    pub last_used: Option<String>,
    pub open: bool,
}

/// A fact checker's comment on the editor page.
pub struct CommentRow {
    pub name: String,
    pub comment: String,
    pub when: String,
}

/// The fact-check part of an article's editor page.
pub struct FactCheckPanel {
    pub links: Vec<LinkRow>,
    pub comments: Vec<CommentRow>,
    /// The URL of a link just made, shown once.
    pub new_link: Option<String>,
    pub default_days: u32,
    pub max_days: u32,
}

/// The panel of `slug`, with `new_link` (a token just made) shown once.
pub(super) async fn panel(
    editors: &EditorState,
    base_url: &str,
    slug: &str,
    new_token: Option<&str>,
) -> FactCheckPanel {
    let now = now_ms();
    let links = editors
        .store
        .fact_check_links(slug)
        .await
        .unwrap_or_default();
    let comments = editors
        .store
        .fact_check_comments(slug)
        .await
        .unwrap_or_default();
    let new_link = new_token.and_then(|token| {
        let id = token.split_once('.')?.0;
        links
            .iter()
            .any(|l| l.id == id)
            .then(|| format!("{}/fact-check/{token}", base_url.trim_end_matches('/')))
    });
    FactCheckPanel {
        links: links
            .iter()
            .map(|l| {
                let open = l.revoked_ms.is_none() && l.expires_ms > now;
                LinkRow {
                    id: l.id.clone(),
                    created: super::feedback::time_in_words(l.created_ms),
                    created_by: l.created_by.clone(),
                    expires: super::feedback::time_in_words(l.expires_ms),
                    state: if l.revoked_ms.is_some() {
                        "Withdrawn"
                    } else if open {
                        "Open"
                    } else {
                        "Expired"
                    },
                    uses: l.uses,
                    last_used: l.last_used_ms.map(super::feedback::time_in_words),
                    open,
                }
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|c| CommentRow {
                name: if c.name.is_empty() {
                    "A fact checker (no name given)".into()
                } else {
                    c.name
                },
                comment: c.comment,
                when: super::feedback::time_in_words(c.created_ms),
            })
            .collect(),
        new_link,
        default_days: DEFAULT_DAYS,
        max_days: MAX_DAYS,
    }
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
    csrf: String,
    #[serde(default)]
    days: String,
}

/// The number of days asked for: 1 to [`MAX_DAYS`].
pub fn check_days(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_DAYS);
    }
    match text.parse::<u32>() {
        Ok(days) if (1..=MAX_DAYS).contains(&days) => Ok(days),
        _ => Err(format!(
            "“{text}” is not a number of days from 1 to {MAX_DAYS}."
        )),
    }
}

/// `POST /editor/articles/{slug}/fact-check-links`: makes a link and shows it once on the page.
pub(super) async fn create(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
    slug: web::Path<String>,
    form: web::Form<CreateForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    if matches!(editors.access, EditorAccess::Open) {
        return Err(EditorError::NotAllowed(
            "In preview there are no accounts, and no fact-check links: serve the site with an editors file to make one.",
        ));
    }
    if state.snapshot().site.working_article(&slug).is_none() {
        return Err(super::not_found(&state));
    }
    let days = check_days(&form.days).map_err(EditorError::Refused)?;
    let link = editors
        .store
        .create_fact_check_link(&slug, &editor.user, days, now_ms())
        .await
        .map_err(|_| EditorError::Unavailable)?;
    tracing::info!(link = %link.id, slug = %link.slug, by = %editor.user, days, "fact-check link made");
    let token = editors.store.fact_check_token(&link);
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/editor/articles/{slug}?fact_check={token}#fact-check"),
        ))
        .finish())
}

#[derive(Deserialize)]
pub(super) struct RevokeForm {
    csrf: String,
}

/// `POST /editor/articles/{slug}/fact-check-links/{id}/revoke`: the link stops working at once, on
/// every replica.
pub(super) async fn revoke(
    editors: web::Data<EditorState>,
    editor: Editor,
    path: web::Path<(String, String)>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    let (slug, id) = path.into_inner();
    let done = editors
        .store
        .revoke_fact_check_link(&slug, &id, now_ms())
        .await
        .map_err(|_| EditorError::Unavailable)?;
    if done {
        tracing::info!(link = %id, slug = %slug, by = %editor.user, "fact-check link withdrawn");
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/editor/articles/{slug}#fact-check"),
        ))
        .finish())
}
