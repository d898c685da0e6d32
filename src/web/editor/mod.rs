//! The editor area (`/editor/`): dashboard, article previews with drafts, a Markdown sandbox, and
//! live reload. Every response is `Cache-Control: no-store`; without access, no content is sent.

pub mod auth;
pub mod events;
mod views;

use super::AppState;
use super::response::CACHE_PRIVATE;
use super::response::Respond;
use crate::content::{Date, Site};
use crate::markdown;
use crate::readability::Readability;
use crate::render::views::{ArticlePage, Layout};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::DefaultHeaders;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use auth::EditorAccess;
use base64::Engine;
use serde::Deserialize;
use std::path::Path;
use views::*;

const SESSION_COOKIE: &str = "hp_session";
const LOGIN_CSRF_COOKIE: &str = "hp_login_csrf";
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
            .route("", web::get().to(dashboard))
            .route("/", web::get().to(dashboard))
            .route("/login", web::get().to(login_form))
            .route("/login", web::post().to(login))
            .route("/logout", web::post().to(logout))
            .route("/events", web::get().to(events::events))
            .service(
                web::resource("/sandbox")
                    .app_data(
                        web::FormConfig::default()
                            .limit(SANDBOX_LIMIT)
                            .error_handler(super::handlers::form_error),
                    )
                    .route(web::get().to(sandbox_form))
                    .route(web::post().to(sandbox)),
            )
            .route("/articles/{slug}", web::get().to(article))
            .route("/articles/{slug}/{audience}", web::get().to(wording))
            .default_service(web::to(not_found)),
    );
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
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        let base_url = match state.editor {
            EditorAccess::Accounts(_) => Some(state.snapshot().site.config.base_url.clone()),
            _ => None,
        };
        if !matches!(state.editor, EditorAccess::Off)
            && !super::origin::host_allowed(req.request(), base_url.as_deref())
        {
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
    let allowed = match req.app_data::<web::Data<AppState>>() {
        Some(state) => match &state.editor {
            EditorAccess::Open => true,
            EditorAccess::Accounts(_) => req
                .cookie(SESSION_COOKIE)
                .is_some_and(|c| state.sessions.get(c.value()).is_some()),
            EditorAccess::Off => {
                let response = not_found_response(state, req.request());
                return Ok(req.into_response(response).map_into_right_body());
            }
        },
        None => false,
    };
    if allowed {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let mut response = unauthorized();
    response
        .head_mut()
        .set_connection_type(actix_web::http::ConnectionType::Close);
    Ok(req.into_response(response).map_into_right_body())
}

/// Someone allowed in.
struct Editor {
    user: String,
    csrf: String,
    accounts: bool,
}

impl Editor {
    fn bar(&self) -> EditorBar {
        EditorBar {
            user: self.user.clone(),
            csrf: self.csrf.clone(),
            accounts: self.accounts,
        }
    }
}

fn not_found_response(state: &AppState, req: &HttpRequest) -> HttpResponse {
    let snapshot = state.snapshot();
    let mut response = snapshot.not_found.respond(req, StatusCode::NOT_FOUND);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(CACHE_PRIVATE),
    );
    response
}

async fn not_found(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    match authorize(&state, &req).await {
        Ok(_) => not_found_response(&state, &req),
        Err(response) => response,
    }
}

/// The client address the login limiter counts against (see [`auth::client_address`]).
fn client_of(state: &AppState, req: &HttpRequest) -> std::net::IpAddr {
    auth::client_address(
        req.peer_addr().map(|a| a.ip()),
        req.headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok()),
        &state.trusted_proxies,
    )
}

/// Longest name and password accepted; longer ones fail without being hashed.
const MAX_CREDENTIAL_CHARS: usize = 1024;

fn too_many_attempts(seconds: u64) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, seconds.to_string()))
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "Too many failed sign-in attempts. Try again in {} minute(s).",
            seconds.div_ceil(60)
        ))
}

fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((
            header::WWW_AUTHENTICATE,
            "Basic realm=\"healthpress editors\", charset=\"UTF-8\"",
        ))
        .content_type("text/plain; charset=utf-8")
        .body("Sign in to use the editor area.")
}

/// Checks a name and password off the request thread, a few at a time, counting the attempt against
/// the client and the name before the check (see [`auth::LoginLimiter`]).
async fn check_password(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    user: &str,
    password: &str,
) -> Result<(), HttpResponse> {
    let EditorAccess::Accounts(editors) = &state.editor else {
        return Err(unauthorized());
    };
    let client = client_of(state, req);
    let name = editors.knows(user).then_some(user);
    let attempt = state
        .login_limiter
        .reserve(client, name)
        .map_err(too_many_attempts)?;
    if user.len() > MAX_CREDENTIAL_CHARS || password.len() > MAX_CREDENTIAL_CHARS {
        return Err(unauthorized());
    }
    let Some(slot) = state.login_limiter.hash_slot().await else {
        attempt.cancel();
        return Err(too_many_attempts(5));
    };
    let (state2, user2, password2) = (state.clone(), user.to_string(), password.to_string());
    let ok = web::block(move || {
        let ok = match &state2.editor {
            EditorAccess::Accounts(editors) => editors.verify(&user2, &password2),
            _ => false,
        };
        drop(slot);
        // Each check takes about 19 MiB; give it back rather than keep it in this thread's heap.
        crate::memory::release_free_memory();
        ok
    })
    .await
    .unwrap_or(false);
    if ok {
        attempt.succeeded();
        Ok(())
    } else {
        Err(unauthorized())
    }
}

/// Lets the request in, or answers it: 404 when the editor area is off, a sign-in redirect for a
/// browser without a session, 401 otherwise. HTTP Basic is accepted for reading (GET) only, so a
/// browser's remembered Basic credentials cannot be used to forge a change from another site.
async fn authorize(state: &web::Data<AppState>, req: &HttpRequest) -> Result<Editor, HttpResponse> {
    match &state.editor {
        EditorAccess::Off => return Err(not_found_response(state, req)),
        EditorAccess::Open => {
            return Ok(Editor {
                user: "preview".into(),
                csrf: state.open_csrf.clone(),
                accounts: false,
            });
        }
        EditorAccess::Accounts(_) => {}
    }
    if let Some(session) = req
        .cookie(SESSION_COOKIE)
        .and_then(|c| state.sessions.get(c.value()))
    {
        return Ok(Editor {
            user: session.user,
            csrf: session.csrf,
            accounts: true,
        });
    }
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let Some((user, password)) = basic_credentials(value) else {
            return Err(unauthorized());
        };
        if !reading {
            return Err(unauthorized());
        }
        check_password(state, req, &user, &password).await?;
        return Ok(Editor {
            user,
            csrf: String::new(),
            accounts: true,
        });
    }
    if reading && req.path() != "/editor/events" {
        let location = match safe_next(Some(req.path())) {
            Some(path) => {
                let next = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &path)
                    .finish();
                format!("/editor/login?{next}")
            }
            None => "/editor/login".to_string(),
        };
        return Err(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish());
    }
    Err(unauthorized())
}

/// [`authorize`] for a request that changes something: it must also carry the editor's CSRF token.
async fn authorize_change(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    csrf: &str,
) -> Result<Editor, HttpResponse> {
    let editor = authorize(state, req).await?;
    if !auth::same_token(&editor.csrf, csrf) {
        return Err(HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("The form expired; reload the page and try again."));
    }
    Ok(editor)
}

fn basic_credentials(value: &header::HeaderValue) -> Option<(String, String)> {
    // The scheme name is case-insensitive (RFC 9110, section 11.1).
    let (scheme, encoded) = value.to_str().ok()?.trim_start().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

fn html_page(template: &impl Template, status: StatusCode) -> HttpResponse {
    match template.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type(crate::render::HTML)
            .body(body),
        Err(e) => {
            tracing::error!("editor page failed to render: {e}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

fn editor_layout(state: &AppState, title: &str) -> Layout {
    let snapshot = state.snapshot();
    let mut layout = Layout::new(&snapshot.site, &snapshot.assets, title, title, None);
    layout.live_reload = Some(snapshot.assets.url("editor.js"));
    layout
}

/// The slug of the article a diagnostic is about, if any.
fn article_of(site: &Site, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(site.root.join("articles")).ok()?;
    Some(
        rel.components()
            .next()?
            .as_os_str()
            .to_string_lossy()
            .into_owned(),
    )
}

async fn dashboard(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let editor = match authorize(&state, &req).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let today = Date::today();
    let mut slugs: Vec<String> = site.articles.keys().cloned().collect();
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
            let warnings = problems.len() - errors;
            match site.articles.get(&slug) {
                Some(a) => {
                    let (status, status_class) = status_label(a.review.status);
                    DashboardRow {
                        title: a.title.clone(),
                        status,
                        status_class,
                        updated: a.updated.in_words(),
                        next_review: a.review.next_review.map(|d| d.in_words()),
                        overdue: a.review.next_review.is_some_and(|d| d < today),
                        errors,
                        warnings,
                        wordings: a
                            .wordings
                            .iter()
                            .map(|w| WordingStats::of(site, w))
                            .collect(),
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
                    wordings: Vec::new(),
                    slug,
                },
            }
        })
        .collect();
    let site_problems = state
        .reload_problems()
        .iter()
        .map(|d| ProblemView::of(d, &site.root))
        .collect();
    html_page(
        &DashboardPage {
            layout: editor_layout(&state, "Editor dashboard"),
            editor: editor.bar(),
            rows,
            site_problems,
            today: today.in_words(),
            sources: SourceChecks::of(site, today),
        },
        StatusCode::OK,
    )
}

async fn article(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    let editor = match authorize(&state, &req).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let problems: Vec<ProblemView> = site
        .diagnostics
        .iter()
        .filter(|d| article_of(site, &d.path).as_deref() == Some(slug.as_str()))
        .map(|d| ProblemView::of(d, &site.root))
        .collect();
    let Some(a) = site.articles.get(slug.as_str()) else {
        if problems.is_empty() {
            return not_found_response(&state, &req);
        }
        let view = EditorArticle {
            slug: slug.clone(),
            title: format!("{slug} (does not load)"),
            status: "Not loaded",
            status_class: "error",
            public: false,
            problems,
            wordings: Vec::new(),
            sections: Vec::new(),
        };
        return html_page(
            &EditorArticlePage {
                layout: editor_layout(&state, &view.title),
                editor: editor.bar(),
                view,
            },
            StatusCode::OK,
        );
    };
    let (status, status_class) = status_label(a.review.status);
    let view = EditorArticle {
        slug: a.slug.clone(),
        title: a.title.clone(),
        status,
        status_class,
        public: a.is_public(site.config.show_pending),
        problems,
        wordings: a
            .wordings
            .iter()
            .map(|w| WordingStats::of(site, w))
            .collect(),
        sections: side_by_side(a),
    };
    html_page(
        &EditorArticlePage {
            layout: editor_layout(&state, &a.title),
            editor: editor.bar(),
            view,
        },
        StatusCode::OK,
    )
}

/// A wording exactly as readers would get it, drafts included.
async fn wording(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    if let Err(r) = authorize(&state, &req).await {
        return r;
    }
    let (slug, audience) = path.into_inner();
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let (Some(a), Some(requested)) = (site.articles.get(&slug), site.config.audience(&audience))
    else {
        return not_found_response(&state, &req);
    };
    let Some(w) = a.wording_for(&site.config, &audience) else {
        return not_found_response(&state, &req);
    };
    let mut page = ArticlePage::new(site, &snapshot.assets, a, requested, w);
    page.layout.live_reload = Some(snapshot.assets.url("editor.js"));
    html_page(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Longest `next` path followed after signing in.
const MAX_NEXT_LEN: usize = 300;

/// `next` when it is a path inside the editor area that can go in a `Location` header as it is:
/// visible ASCII only (no control characters, spaces or CR/LF), no `//` or `\\`, short.
fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?;
    (n.starts_with("/editor/")
        && !n.contains("//")
        && !n.contains('\\')
        && n.len() <= MAX_NEXT_LEN
        && n.bytes().all(|b| b.is_ascii_graphic()))
    .then(|| n.to_string())
}

/// [`safe_next`], or the dashboard.
fn next_or_dashboard(next: Option<&str>) -> String {
    safe_next(next).unwrap_or_else(|| "/editor/".to_string())
}

async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    if !matches!(state.editor, EditorAccess::Accounts(_)) {
        return match state.editor {
            EditorAccess::Open => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/editor/"))
                .finish(),
            _ => not_found_response(&state, &req),
        };
    }
    let csrf = auth::random_token();
    let https = state.snapshot().site.config.is_https();
    let mut response = html_page(
        &LoginPage {
            layout: editor_layout(&state, "Editor sign-in"),
            next: next_or_dashboard(query.next.as_deref()),
            csrf: csrf.clone(),
            error: None,
        },
        StatusCode::OK,
    );
    let cookie = Cookie::build(LOGIN_CSRF_COOKIE, csrf)
        .path("/editor")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https)
        .finish();
    let _ = response.add_cookie(&cookie);
    response
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    csrf: String,
}

fn session_cookie(value: String, https: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/editor")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https)
        .finish()
}

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    if !matches!(state.editor, EditorAccess::Accounts(_)) {
        return not_found_response(&state, &req);
    }
    let expected = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let retry = |message: &str, status: StatusCode| {
        html_page(
            &LoginPage {
                layout: editor_layout(&state, "Editor sign-in"),
                next: next_or_dashboard(form.next.as_deref()),
                csrf: expected.clone(),
                error: Some(message.to_string()),
            },
            status,
        )
    };
    if expected.is_empty() || !auth::same_token(&expected, &form.csrf) {
        return retry(
            "Your sign-in form expired. Please try again.",
            StatusCode::FORBIDDEN,
        );
    }
    // Checked before the password, so a bad `next` never leaves a session without its cookie.
    if form
        .next
        .as_deref()
        .is_some_and(|n| !n.is_empty() && safe_next(Some(n)).is_none())
    {
        return retry(
            "That sign-in link is not valid. Please sign in again.",
            StatusCode::BAD_REQUEST,
        );
    }
    if let Err(response) = check_password(&state, &req, &form.username, &form.password).await {
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            return response;
        }
        return retry(
            "That name and password do not match.",
            StatusCode::UNAUTHORIZED,
        );
    }
    let token = state.sessions.start(&form.username);
    let https = state.snapshot().site.config.is_https();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next_or_dashboard(form.next.as_deref())))
        .cookie(session_cookie(token, https))
        .finish()
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    if let Err(r) = authorize_change(&state, &req, &form.csrf).await {
        return r;
    }
    if let Some(c) = req.cookie(SESSION_COOKIE) {
        state.sessions.end(c.value());
    }
    let https = state.snapshot().site.config.is_https();
    let mut gone = session_cookie(String::new(), https);
    gone.make_removal();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .cookie(gone)
        .finish()
}

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

async fn sandbox_form(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let editor = match authorize(&state, &req).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let snapshot = state.snapshot();
    let (articles, audiences) = sandbox_choices(&snapshot.site);
    html_page(
        &SandboxPage {
            layout: editor_layout(&state, "Markdown sandbox"),
            editor: editor.bar(),
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
struct SandboxInput {
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
async fn sandbox(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SandboxInput>,
) -> HttpResponse {
    let editor = match authorize_change(&state, &req, &form.csrf).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let article = site.articles.get(&form.article);
    let references = article.map(|a| a.references.as_slice()).unwrap_or_default();
    let is_known = |key: &str| references.iter().any(|r| r.key == key);
    let (rendered, problems) = markdown::render(&form.markdown, &is_known);
    let problems = problems
        .into_iter()
        .map(|p| ProblemView {
            severity: "error",
            location: format!("line {}", crate::content::line_of(&form.markdown, p.offset)),
            message: p.message,
        })
        .collect();
    let cited = rendered
        .citations
        .iter()
        .filter_map(|key| references.iter().find(|r| &r.key == key))
        .map(|r| format!("{} ({}, {})", r.title, r.source, r.year))
        .collect();
    let readability = Readability::of(&rendered.text);
    let target = site
        .config
        .audience(&form.audience)
        .and_then(|a| a.max_grade);
    let (articles, audiences) = sandbox_choices(site);
    html_page(
        &SandboxPage {
            layout: editor_layout(&state, "Markdown sandbox"),
            editor: editor.bar(),
            articles,
            audiences,
            result: Some(SandboxResult::new(
                rendered.html,
                problems,
                cited,
                &readability,
                target,
            )),
            form: SandboxForm {
                article: form.article.clone(),
                audience: form.audience.clone(),
                markdown: form.markdown.clone(),
            },
        },
        StatusCode::OK,
    )
}
