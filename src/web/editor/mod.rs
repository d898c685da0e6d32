//! The editor area (`/editor/`): dashboard, article previews with drafts, a Markdown sandbox, and
//! live reload. Every response is `Cache-Control: no-store`; without access, no content is sent.
//!
//! One file per concern: [`auth`] (accounts, passwords, sessions, the login limiter), `session`
//! (signing in and out, who is asking), `dashboard`, `preview` (articles and wordings as readers will
//! see them, side by side and coached), `reviews` (the review queue), `sandbox`, [`events`] (live
//! reload), `views` (the page structs). Handlers take an
//! [`Editor`], the extractor that lets a request in, and return [`EditorError`] for everything else.

mod approve;
pub mod auth;
mod dashboard;
pub mod events;
pub mod fact_check;
pub mod feedback;
mod offload;
mod preview;
pub mod reminders;
mod reviews;
mod sandbox;
mod session;
mod views;

use super::AppState;
use super::response::CACHE_PRIVATE;
use crate::content::Site;
use crate::render::page::Prebuilt;
use crate::render::views::Layout;
use crate::store::Store;
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::DefaultHeaders;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use auth::EditorAccess;
use futures_util::future::LocalBoxFuture;
use session::SESSION_COOKIE;
use std::path::Path;
use std::sync::Arc;
use views::EditorBar;
/// Sandbox text can be a whole wording; only a signed-in editor's request gets this far.
const SANDBOX_LIMIT: usize = 512 * 1024;
/// Every other editor form (sign-in, sign-out) is small.
const FORM_LIMIT: usize = 4 * 1024;

/// The editor routes, under `/editor`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/editor")
            .wrap(
                DefaultHeaders::new()
                    .add((header::CACHE_CONTROL, "no-store"))
                    .add((header::VARY, "Cookie, Authorization")),
            )
            .wrap(actix_web::middleware::from_fn(editor_gate))
            .app_data(
                web::FormConfig::default()
                    .limit(FORM_LIMIT)
                    .error_handler(super::handlers::form_error),
            )
            .route("", super::get().to(dashboard::dashboard))
            .route("/", super::get().to(dashboard::dashboard))
            .route("/login", super::get().to(session::login_form))
            .route("/login", web::post().to(session::login))
            .route("/logout", web::post().to(session::logout))
            .route("/events", super::get().to(events::events))
            .route("/reviews", super::get().to(reviews::reviews))
            .route("/reviews/feed", web::post().to(reminders::manage_feed))
            .route(
                "/articles/{slug}/reviewing",
                web::post().to(reminders::reviewing),
            )
            .service(
                web::resource("/sandbox")
                    .app_data(
                        web::FormConfig::default()
                            .limit(SANDBOX_LIMIT)
                            .error_handler(super::handlers::form_error),
                    )
                    .route(super::get().to(sandbox::sandbox_form))
                    .route(web::post().to(sandbox::sandbox)),
            )
            .route("/articles/{slug}", super::get().to(preview::article))
            .route("/articles/{slug}/approve", web::post().to(approve::approve))
            .route(
                "/articles/{slug}/fact-check-links",
                web::post().to(fact_check::create),
            )
            .route(
                "/articles/{slug}/fact-check-links/{id}/revoke",
                web::post().to(fact_check::revoke),
            )
            .route(
                "/articles/{slug}/request-changes",
                web::post().to(approve::request_changes),
            )
            .route(
                "/articles/{slug}/feedback.csv",
                super::get().to(feedback::export_csv),
            )
            .route(
                "/articles/{slug}/feedback/{id}/handled",
                web::post().to(feedback::mark_handled),
            )
            .route(
                "/articles/{slug}/feedback/{id}/delete",
                web::post().to(feedback::delete),
            )
            .route(
                "/articles/{slug}/{audience}",
                super::get().to(preview::wording),
            )
            .default_service(web::to(unknown)),
    );
    fact_check::configure(cfg);
    reminders::configure(cfg);
}

/// Middleware in front of every editor route:
/// - the `Host` must be one of this server's names (loopback names in `preview`; those and the host of
///   `base_url` in `serve`), else 421, so a web page that rebinds its own domain to this server's
///   address cannot read drafts or tokens;
/// - a request that changes something (anything but GET and HEAD) other than signing in is answered
///   before its body is read unless it comes with a live session (or from `preview`), so anonymous
///   clients cannot make the server read or hold editor-sized bodies.
async fn editor_gate(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let (Some(state), Some(editors)) = (
        req.app_data::<web::Data<AppState>>().cloned(),
        req.app_data::<web::Data<EditorState>>().cloned(),
    ) else {
        let response = EditorError::Unauthorized.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    };
    {
        let base_url = match editors.access {
            EditorAccess::Accounts(_) => Some(state.snapshot().site.config.base_url.clone()),
            _ => None,
        };
        if editors.is_on() && !super::origin::host_allowed(req.request(), base_url.as_deref()) {
            let response = HttpResponse::MisdirectedRequest()
                .content_type("text/plain; charset=utf-8")
                .body("This server does not answer for that host name.");
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if reading || req.path() == "/editor/login" {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let allowed = match &editors.access {
        EditorAccess::Open => true,
        EditorAccess::Accounts(_) => match req.cookie(SESSION_COOKIE) {
            Some(c) => match editors.live_session(c.value()).await {
                Ok(session) => session.is_some(),
                Err(e) => {
                    tracing::warn!("a session could not be confirmed: {e}");
                    let response = EditorError::Unavailable.error_response();
                    return Ok(req.into_response(response).map_into_right_body());
                }
            },
            None => false,
        },
        EditorAccess::Off => {
            let response = not_found(&state).error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    };
    if allowed {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let mut response = EditorError::Unauthorized.error_response();
    response
        .head_mut()
        .set_connection_type(actix_web::http::ConnectionType::Close);
    Ok(req.into_response(response).map_into_right_body())
}

/// The editor area's own state: who may come in, their sessions, the login limiter (both kept in
/// the store), the store for reader feedback, and the live-reload streams. Registered beside
/// [`AppState`], which it never holds nor is held by.
pub struct EditorState {
    pub access: EditorAccess,
    pub sessions: auth::Sessions,
    pub login_limiter: auth::LoginLimiter,
    pub store: Store,
    pub event_streams: events::EventStreams,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// A token for CSRF in the open (preview) editor area, where there are no sessions.
    pub open_csrf: String,
    /// The fingerprint of the files each article was last reloaded for by [`current_snapshot`].
    reloaded_for: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl EditorState {
    /// The reviewer id the signed-in account `editor` is linked to in the editors file, if any.
    pub(super) fn reviewer_of(&self, editor: &Editor) -> Option<String> {
        match &self.access {
            auth::EditorAccess::Accounts(accounts) if editor.accounts => {
                accounts.reviewer_of(&editor.user)
            }
            _ => None,
        }
    }

    pub fn new(access: EditorAccess, trusted_proxies: Vec<std::net::IpAddr>, store: Store) -> Self {
        EditorState {
            access,
            sessions: auth::Sessions::new(store.clone()),
            login_limiter: auth::LoginLimiter::new(store.clone()),
            store,
            event_streams: events::EventStreams::default(),
            trusted_proxies,
            open_csrf: auth::random_token(),
            reloaded_for: Default::default(),
        }
    }

    /// No editor area (404 everywhere under `/editor/`).
    pub fn off(store: Store) -> Self {
        Self::new(EditorAccess::Off, Vec::new(), store)
    }

    /// The session of `token` if it is live: in the store, and for an account that still exists
    /// with the same password in the editors file. An error when the store cannot confirm it.
    pub async fn live_session(
        &self,
        token: &str,
    ) -> Result<Option<auth::Session>, crate::store::StoreError> {
        let EditorAccess::Accounts(accounts) = &self.access else {
            return Ok(None);
        };
        let Some(session) = self.sessions.get(token).await? else {
            return Ok(None);
        };
        match accounts.account_print(&session.user) {
            Some(print) if auth::same_token(&print, &session.account) => Ok(Some(session)),
            _ => {
                // The account was removed or its password changed: the session ends for good.
                if let Err(e) = self.sessions.end(token).await {
                    tracing::warn!("an ended account's session stays in the store: {e}");
                }
                Ok(None)
            }
        }
    }

    /// Whether the editor area exists at all.
    pub fn is_on(&self) -> bool {
        !matches!(self.access, EditorAccess::Off)
    }
}

/// Someone allowed in: a signed-in editor, a script with HTTP Basic (reading only), or `preview`.
/// As an extractor, it answers every other request itself: 404 without an editor area, a sign-in
/// redirect for a browser without a session, 401 otherwise.
pub struct Editor {
    user: String,
    csrf: String,
    accounts: bool,
}

impl Editor {
    /// The navigation bar, with `current` (see [`EditorBar::current`]) marked.
    fn bar(&self, current: &'static str) -> EditorBar {
        EditorBar {
            user: self.user.clone(),
            csrf: self.csrf.clone(),
            accounts: self.accounts,
            current,
        }
    }

    /// For a request that changes something: the form must carry this editor's CSRF token.
    fn check_csrf(&self, csrf: &str) -> Result<(), EditorError> {
        if auth::same_token(&self.csrf, csrf) {
            Ok(())
        } else {
            Err(EditorError::FormExpired)
        }
    }
}

impl FromRequest for Editor {
    type Error = EditorError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (Some(state), Some(editors)) = (
                req.app_data::<web::Data<AppState>>().cloned(),
                req.app_data::<web::Data<EditorState>>().cloned(),
            ) else {
                return Err(EditorError::Unauthorized);
            };
            session::authorize(&state, &editors, &req).await
        })
    }
}

/// Why an editor request is answered without its page.
#[derive(Debug)]
pub enum EditorError {
    /// No such page (or no editor area): the site's 404 page.
    NotFound(Arc<Prebuilt>),
    /// A browser without a session: to the sign-in page, which returns to `location`'s `next`.
    SignIn(String),
    /// No or wrong credentials: 401 without a challenge, so a browser never raises its own password
    /// dialog over a page (see [`EditorError::Challenge`]).
    Unauthorized,
    /// No or wrong credentials from a client that offered HTTP Basic, or that is no browser and asked
    /// for no HTML: 401 with `WWW-Authenticate: Basic`.
    Challenge,
    /// Too many failed sign-ins: wait this many seconds.
    TooManyAttempts(u64),
    /// A change without the editor's CSRF token.
    FormExpired,
    /// A page failed to render.
    Render(String),
    /// Signed in, but this account may not do that.
    NotAllowed(&'static str),
    /// A change was refused, with the reason (e.g. an approval of files with errors).
    Refused(String),
    /// The database cannot be reached (signing in, saving a change to feedback).
    Unavailable,
    /// A bad request, with the message for the editor.
    BadRequest(String),
    /// Something that was there is no more (an expired fact-check link), with the message.
    Gone(String),
}

impl std::fmt::Display for EditorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditorError::NotFound(_) => f.write_str("not found"),
            EditorError::SignIn(_) => f.write_str("sign in first"),
            EditorError::Unauthorized | EditorError::Challenge => f.write_str("unauthorized"),
            EditorError::TooManyAttempts(s) => write!(f, "too many attempts; wait {s} s"),
            EditorError::FormExpired => f.write_str("the form's CSRF token does not match"),
            EditorError::Render(e) => write!(f, "editor page failed to render: {e}"),
            EditorError::NotAllowed(why) => f.write_str(why),
            EditorError::Refused(why) => f.write_str(why),
            EditorError::Unavailable => f.write_str("the database cannot be reached"),
            EditorError::BadRequest(m) | EditorError::Gone(m) => f.write_str(m),
        }
    }
}

impl ResponseError for EditorError {
    fn status_code(&self) -> StatusCode {
        match self {
            EditorError::NotFound(_) => StatusCode::NOT_FOUND,
            EditorError::SignIn(_) => StatusCode::SEE_OTHER,
            EditorError::Unauthorized | EditorError::Challenge => StatusCode::UNAUTHORIZED,
            EditorError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            EditorError::FormExpired => StatusCode::FORBIDDEN,
            EditorError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
            EditorError::NotAllowed(_) => StatusCode::FORBIDDEN,
            EditorError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            EditorError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            EditorError::BadRequest(_) => StatusCode::BAD_REQUEST,
            EditorError::Gone(_) => StatusCode::GONE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let text = |status: StatusCode, body: String| {
            HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(body)
        };
        match self {
            EditorError::NotFound(page) => HttpResponse::NotFound()
                .content_type(crate::render::HTML)
                .insert_header((header::CACHE_CONTROL, CACHE_PRIVATE))
                .body(page.body()),
            EditorError::SignIn(location) => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location.as_str()))
                .finish(),
            EditorError::Unauthorized => text(
                StatusCode::UNAUTHORIZED,
                "Sign in to use the editor area: /editor/login".into(),
            ),
            EditorError::Challenge => {
                let mut response = text(
                    StatusCode::UNAUTHORIZED,
                    "Sign in to use the editor area.".into(),
                );
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static(
                        "Basic realm=\"healthpress editors\", charset=\"UTF-8\"",
                    ),
                );
                response
            }
            EditorError::TooManyAttempts(seconds) => {
                let mut response = text(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many failed sign-in attempts. Try again in {} minute(s).",
                        seconds.div_ceil(60)
                    ),
                );
                if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            EditorError::FormExpired => text(
                StatusCode::FORBIDDEN,
                "The form expired; reload the page and try again.".into(),
            ),
            EditorError::Render(e) => {
                tracing::error!("editor page failed to render: {e}");
                HttpResponse::InternalServerError().finish()
            }
            EditorError::NotAllowed(why) => text(StatusCode::FORBIDDEN, (*why).to_string()),
            EditorError::Refused(why) => text(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{why}\n\nGo back, fix the problem and try again."),
            ),
            EditorError::Unavailable => {
                let mut response = text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The database cannot be reached right now, so that could not be done. \
                     Previews still work. Please try again in a minute."
                        .into(),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
                response
            }
            EditorError::BadRequest(message) => text(StatusCode::BAD_REQUEST, message.clone()),
            EditorError::Gone(message) => text(StatusCode::GONE, message.clone()),
        }
    }
}

/// The 404 page of the current snapshot.
fn not_found(state: &AppState) -> EditorError {
    EditorError::NotFound(state.snapshot().not_found.clone())
}

/// Any other path under `/editor/`: 404, once let in.
async fn unknown(state: web::Data<AppState>, _editor: Editor) -> Result<HttpResponse, EditorError> {
    Err(not_found(&state))
}

fn html_page(template: &impl Template, status: StatusCode) -> Result<HttpResponse, EditorError> {
    let body = template
        .render()
        .map_err(|e| EditorError::Render(e.to_string()))?;
    Ok(HttpResponse::build(status)
        .content_type(crate::render::HTML)
        .body(body))
}

fn editor_layout(state: &AppState, title: &str) -> Layout {
    let snapshot = state.snapshot();
    let mut layout = Layout::new(&snapshot.site, &snapshot.assets, title, title, None);
    layout.live_reload = Some(snapshot.assets.url("editor.js"));
    layout.wide = true;
    layout
}

/// The snapshot with `slug` as its working files are now. When the files on disk are not the ones
/// the snapshot was loaded from (a server without `--watch`, or an edit the watcher has not reloaded
/// yet), the article is reloaded first, so previews, diffs and the Approve form's fingerprint all
/// come from one load of the text on disk. A folder whose files do not load is reloaded once per
/// change, not on every request.
async fn current_snapshot(
    state: &web::Data<AppState>,
    editors: &EditorState,
    slug: &str,
) -> Result<Arc<super::Snapshot>, EditorError> {
    let snapshot = state.snapshot();
    if !crate::content::is_slug(slug) {
        return Ok(snapshot);
    }
    let dir = snapshot.site.root.join("articles").join(slug);
    let loaded = snapshot
        .site
        .working_article(slug)
        .and_then(|a| a.fingerprint.clone());
    let on_disk = web::block(move || crate::content::approval::fingerprint(&dir).ok())
        .await
        .ok()
        .flatten();
    if on_disk.is_none() || on_disk == loaded {
        return Ok(snapshot);
    }
    {
        let mut tried = editors
            .reloaded_for
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if tried.get(slug) == on_disk.as_ref() {
            return Ok(snapshot);
        }
        if tried.len() > 1000 {
            tried.clear();
        }
        tried.insert(slug.to_string(), on_disk.clone().unwrap_or_default());
    }
    let (state2, slugs) = (state.clone(), [slug.to_string()].into());
    web::block(move || state2.reload_articles(&slugs))
        .await
        .map_err(|e| EditorError::Render(e.to_string()))?
        .map_err(|e| EditorError::Render(e.to_string()))?;
    Ok(state.snapshot())
}

/// The slug of the article a diagnostic is about (its working files or its approved copy), if any.
fn article_of(site: &Site, path: &Path) -> Option<String> {
    let rel = path
        .strip_prefix(site.root.join("articles"))
        .or_else(|_| path.strip_prefix(site.root.join(crate::content::approval::APPROVED_DIR)))
        .ok()?;
    Some(
        rel.components()
            .next()?
            .as_os_str()
            .to_string_lossy()
            .into_owned(),
    )
}
