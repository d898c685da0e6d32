//! Signing in and out, and who is asking: sessions from the sign-in form, HTTP Basic for scripts
//! (reading only), `preview` without login; the login limiter counts every password check.

use super::auth::{self, EditorAccess};
use super::views::LoginPage;
use super::{Editor, EditorError, EditorState, editor_layout, html_page};
use crate::web::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use serde::Deserialize;

pub(super) const SESSION_COOKIE: &str = "hp_session";
const LOGIN_CSRF_COOKIE: &str = "hp_login_csrf";

/// The client address the login limiter counts against (see [`auth::client_address`]).
fn client_of(editors: &EditorState, req: &HttpRequest) -> std::net::IpAddr {
    auth::client_of_request(req, &editors.trusted_proxies)
}

/// Longest name and password accepted; longer ones fail without being hashed.
const MAX_CREDENTIAL_CHARS: usize = 1024;

/// Checks a name and password off the request thread, a few at a time, counting the attempt against
/// the client and the name before the check (see [`auth::LoginLimiter`]).
async fn check_password(
    editors: &web::Data<EditorState>,
    req: &HttpRequest,
    user: &str,
    password: &str,
) -> Result<(), EditorError> {
    let EditorAccess::Accounts(accounts) = &editors.access else {
        return Err(EditorError::Unauthorized);
    };
    let client = client_of(editors, req);
    let name = accounts.knows(user).then_some(user);
    let attempt =
        editors
            .login_limiter
            .reserve(client, name)
            .await
            .map_err(|refused| match refused {
                auth::Refused::Wait(seconds) => EditorError::TooManyAttempts(seconds),
                auth::Refused::Unavailable => EditorError::Unavailable,
            })?;
    if user.len() > MAX_CREDENTIAL_CHARS || password.len() > MAX_CREDENTIAL_CHARS {
        return Err(EditorError::Unauthorized);
    }
    let Some(slot) = editors.login_limiter.hash_slot().await else {
        attempt.cancel().await;
        return Err(EditorError::TooManyAttempts(5));
    };
    let (editors2, user2, password2) = (editors.clone(), user.to_string(), password.to_string());
    let ok = web::block(move || {
        let ok = match &editors2.access {
            EditorAccess::Accounts(accounts) => accounts.verify(&user2, &password2),
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
        attempt.succeeded().await;
        Ok(())
    } else {
        Err(EditorError::Unauthorized)
    }
}

/// Lets the request in, or answers it: 404 when the editor area is off, a sign-in redirect for a
/// browser without a session, 401 otherwise. HTTP Basic is accepted for reading (GET) only, so a
/// browser's remembered Basic credentials cannot be used to forge a change from another site.
pub(super) async fn authorize(
    state: &AppState,
    editors: &web::Data<EditorState>,
    req: &HttpRequest,
) -> Result<Editor, EditorError> {
    match &editors.access {
        EditorAccess::Off => return Err(super::not_found(state)),
        EditorAccess::Open => {
            return Ok(Editor {
                user: "preview".into(),
                csrf: editors.open_csrf.clone(),
                accounts: false,
            });
        }
        EditorAccess::Accounts(_) => {}
    }
    let session = match req.cookie(SESSION_COOKIE) {
        Some(c) => editors.live_session(c.value()).await.map_err(|e| {
            tracing::warn!("a session could not be confirmed: {e}");
            EditorError::Unavailable
        })?,
        None => None,
    };
    if let Some(session) = session {
        return Ok(Editor {
            user: session.user,
            csrf: session.csrf,
            accounts: true,
        });
    }
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let Some((user, password)) = basic_credentials(value) else {
            return Err(EditorError::Challenge);
        };
        if !reading {
            return Err(EditorError::Unauthorized);
        }
        check_password(editors, req, &user, &password)
            .await
            .map_err(|e| match e {
                EditorError::Unauthorized => EditorError::Challenge,
                other => other,
            })?;
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
        return Err(EditorError::SignIn(location));
    }
    if reading && !from_browser(req) {
        return Err(EditorError::Challenge);
    }
    Err(EditorError::Unauthorized)
}

/// Whether a request comes from a browser's page or script, or asks for HTML: browsers send
/// `Sec-Fetch-*` with every request (page loads, `fetch`, `EventSource`). Such a request is never
/// sent `WWW-Authenticate`, which would make the browser raise its own password dialog.
fn from_browser(req: &HttpRequest) -> bool {
    let headers = req.headers();
    headers.contains_key("sec-fetch-mode")
        || headers.contains_key("sec-fetch-dest")
        || headers.contains_key("sec-fetch-site")
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
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

/// The sign-in page's layout: an editor page without the live-reload script, since without a
/// session there is no stream to open.
fn login_layout(state: &AppState) -> crate::render::views::Layout {
    let mut layout = editor_layout(state, "Editor sign-in");
    layout.live_reload = None;
    layout
}

#[derive(Deserialize)]
pub(super) struct LoginQuery {
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

pub(super) async fn login_form(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, EditorError> {
    if !matches!(editors.access, EditorAccess::Accounts(_)) {
        return match editors.access {
            EditorAccess::Open => Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/editor/"))
                .finish()),
            _ => Err(super::not_found(&state)),
        };
    }
    let csrf = auth::random_token();
    let https = state.snapshot().site.config.is_https();
    let mut response = html_page(
        &LoginPage {
            layout: login_layout(&state),
            next: next_or_dashboard(query.next.as_deref()),
            csrf: csrf.clone(),
            error: None,
        },
        StatusCode::OK,
    )?;
    let cookie = Cookie::build(LOGIN_CSRF_COOKIE, csrf)
        .path("/editor")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(https)
        .finish();
    let _ = response.add_cookie(&cookie);
    Ok(response)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
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

pub(super) async fn login(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, EditorError> {
    if !matches!(editors.access, EditorAccess::Accounts(_)) {
        return Err(super::not_found(&state));
    }
    let expected = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let retry = |message: &str, status: StatusCode| {
        html_page(
            &LoginPage {
                layout: login_layout(&state),
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
    match check_password(&editors, &req, &form.username, &form.password).await {
        Ok(()) => {}
        Err(EditorError::Unauthorized) => {
            crate::metrics::metrics().signin_failures.inc();
            return retry(
                "That name and password do not match.",
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(other) => return Err(other),
    }
    let EditorAccess::Accounts(accounts) = &editors.access else {
        return Err(super::not_found(&state));
    };
    let Some(account) = accounts.account_print(&form.username) else {
        return retry(
            "That name and password do not match.",
            StatusCode::UNAUTHORIZED,
        );
    };
    let token = editors
        .sessions
        .start(&form.username, &account)
        .await
        .map_err(|e| {
            tracing::warn!("sign-in not saved: {e}");
            EditorError::Unavailable
        })?;
    let https = state.snapshot().site.config.is_https();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next_or_dashboard(form.next.as_deref())))
        .cookie(session_cookie(token, https))
        .finish())
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(super) async fn logout(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    req: HttpRequest,
    editor: Editor,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    if let Some(c) = req.cookie(SESSION_COOKIE)
        && let Err(e) = editors.sessions.end(c.value()).await
    {
        tracing::warn!("sign-out not saved: {e}");
        return Err(EditorError::Unavailable);
    }
    let https = state.snapshot().site.config.is_https();
    let mut gone = session_cookie(String::new(), https);
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .cookie(gone)
        .finish())
}
