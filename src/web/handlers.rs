//! Thin handlers: extract, look up in the current snapshot, respond.

use super::AppState;
use super::response::CACHE_PRIVATE;
use super::response::Respond;
use crate::render::Snapshot;
use crate::render::views::{AskPage, SearchPage};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

/// The cookie that remembers the reader's audience.
pub const AUDIENCE_COOKIE: &str = "audience";

/// The page at `path` of the current snapshot, or the 404 page.
fn lookup(req: &HttpRequest, snapshot: &Snapshot, path: &str) -> HttpResponse {
    match snapshot.page(path) {
        Some(p) => p.respond(req, StatusCode::OK),
        None => not_found_in(req, snapshot),
    }
}

/// The 404 page; or, for the addresses of a withdrawn article, `410 Gone` with a page saying when it
/// was withdrawn (and nothing of its text).
fn not_found_in(req: &HttpRequest, snapshot: &Snapshot) -> HttpResponse {
    let slug = req
        .path()
        .strip_prefix("/articles/")
        .and_then(|rest| rest.split('/').next());
    let lang = language_of_path(req.path(), snapshot);
    let slug = slug.or_else(|| {
        req.path()
            .strip_prefix(&format!("/{lang}/articles/"))
            .and_then(|rest| rest.split('/').next())
    });
    if let Some(withdrawal) = slug.and_then(|slug| snapshot.site.withdrawal(slug)) {
        use askama::Template;
        let t = snapshot.site.config.messages.of(&lang);
        let page = snapshot.error_page_in(
            &lang,
            &t.get("withdrawn-title"),
            &t.with("withdrawn-message", &[("date", &t.date(withdrawal.date))]),
        );
        return match page.render() {
            Ok(body) => HttpResponse::Gone()
                .content_type(crate::render::HTML)
                .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
                .body(body),
            Err(_) => HttpResponse::Gone().finish(),
        };
    }
    // Under a language's prefix, the 404 page in that language.
    let config = &snapshot.site.config;
    if let Some(lang) = req
        .path()
        .strip_prefix('/')
        .and_then(|p| p.split('/').next())
        .filter(|l| config.is_translation_language(l))
        && let Some(page) =
            snapshot.page(&crate::render::stages::not_found_path(&config.prefix(lang)))
    {
        return page.respond(req, StatusCode::NOT_FOUND);
    }
    snapshot.not_found.respond(req, StatusCode::NOT_FOUND)
}

/// The language of a request's page: the first segment of its path when that is one of the
/// site's other languages (`/es/...`), else `None` for the source language. `Err` for a path
/// whose first segment is not a language the site has (a page that does not exist).
fn page_language(req: &HttpRequest, snapshot: &Snapshot) -> Result<Option<String>, ()> {
    let Some(lang) = req.match_info().get("lang") else {
        return Ok(None);
    };
    if snapshot.site.config.is_translation_language(lang) {
        Ok(Some(lang.to_string()))
    } else {
        Err(())
    }
}

/// `/`, or `/?audience=ID` (and `/es/`, `/es/?audience=ID`): the home page showing that choice,
/// its cards linking to that wording.
pub async fn home(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let snapshot = state.snapshot();
    let Ok(lang) = page_language(&req, &snapshot) else {
        return not_found_in(&req, &snapshot);
    };
    let prefix = lang.map(|l| format!("/{l}")).unwrap_or_default();
    let chosen = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, _)| name == "audience")
        .map(|(_, value)| value.into_owned());
    match chosen {
        Some(id) if snapshot.site.config.audience(&id).is_some() => lookup(
            &req,
            &snapshot,
            &format!("{prefix}{}", crate::render::stages::home_key(&id)),
        ),
        _ => lookup(&req, &snapshot, &format!("{prefix}/")),
    }
}

/// `/es`: the Spanish home page is `/es/`.
pub async fn language_root(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let snapshot = state.snapshot();
    match page_language(&req, &snapshot) {
        Ok(Some(lang)) => HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, format!("/{lang}/")))
            .finish(),
        _ => not_found_in(&req, &snapshot),
    }
}

/// Pages whose URL path is their key in the snapshot: article wordings, plain pages, assets.
pub async fn by_path(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    lookup(&req, &state.snapshot(), req.path())
}

/// `/articles/{slug}`: redirect to the wording the reader chose earlier, else the default one. The
/// redirect depends on a cookie, so it is private; the wording pages themselves never vary by cookie.
pub async fn article(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let slug = req.match_info().get("slug").unwrap_or_default().to_string();
    let snapshot = state.snapshot();
    let Ok(lang) = page_language(&req, &snapshot) else {
        return not_found_in(&req, &snapshot);
    };
    if snapshot.site.public_article(&slug).is_none() {
        return not_found_in(&req, &snapshot);
    }
    let prefix = lang.map(|l| format!("/{l}")).unwrap_or_default();
    let audience = remembered_audience(&req, &snapshot);
    HttpResponse::Found()
        .insert_header((
            header::LOCATION,
            format!("{prefix}/articles/{slug}/{audience}"),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((header::VARY, "Cookie"))
        .finish()
}

#[derive(Deserialize)]
pub struct AudienceForm {
    audience: String,
    #[serde(default)]
    next: Option<String>,
    /// The section in view when the reader switched, to open the new wording at the same place.
    #[serde(default)]
    section: Option<String>,
    /// The language of the page the form was on.
    #[serde(default)]
    lang: String,
}

/// The "Which best describes you?" form: remember the choice, then go back to what the reader was
/// reading, in the chosen wording.
/// Another site cannot post it (`Origin` / `Sec-Fetch-Site`), so it cannot switch a reader's wording.
pub async fn choose_audience(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<AudienceForm>,
) -> HttpResponse {
    let snapshot = state.snapshot();
    let config = &snapshot.site.config;
    let lang = if config.is_translation_language(&form.lang) {
        form.lang.as_str()
    } else {
        config.source_language().id.as_str()
    };
    let t = config.messages.of(lang);
    if super::origin::is_cross_site(&req, &config.base_url) {
        let mut response = bad_request_in(&snapshot, lang, &t.get("audience-cross-site"));
        *response.status_mut() = StatusCode::FORBIDDEN;
        return response;
    }
    if config.audience(&form.audience).is_none() {
        return bad_request_in(&snapshot, lang, &t.get("audience-unknown"));
    }
    let location = next_location(
        &snapshot,
        form.next.as_deref().unwrap_or("/"),
        &form.audience,
        form.section.as_deref(),
    );
    let cookie = Cookie::build(AUDIENCE_COOKIE, form.audience.clone())
        .path("/")
        .max_age(actix_web::cookie::time::Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(config.is_https())
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, CACHE_PRIVATE))
        .cookie(cookie)
        .finish()
}

/// Where to send the reader after choosing: the chosen wording of the article they came from (at the
/// same section when that wording has it), or a known public page; anything else goes home.
fn next_location(snapshot: &Snapshot, next: &str, audience: &str, section: Option<&str>) -> String {
    // A page in another language (`/es/...`) goes back to that language.
    let config = &snapshot.site.config;
    if let Some((lang, rest)) = next
        .strip_prefix('/')
        .and_then(|n| n.split_once('/'))
        .filter(|(lang, _)| config.is_translation_language(lang))
    {
        let inner = next_location(snapshot, &format!("/{rest}"), audience, section);
        return format!("/{lang}{inner}");
    }
    let parts: Vec<&str> = next.split('/').collect();
    if let ["", "articles", slug] | ["", "articles", slug, _] = parts.as_slice()
        && let Some(article) = snapshot.site.public_article(slug)
    {
        let mut location = format!("/articles/{slug}/{audience}");
        let shown = article.wording_for(&snapshot.site.config, audience);
        if let (Some(section), Some(wording)) = (section, shown)
            && wording.body.headings.iter().any(|h| h.id == section)
        {
            location.push('#');
            location.push_str(section);
        }
        return location;
    }
    if next == "/" {
        return crate::render::stages::home_key(audience);
    }
    if snapshot.page(next).is_some() {
        return next.to_string();
    }
    crate::render::stages::home_key(audience)
}

/// The language of the page at `path`: its prefix's (`/es/...`), else the source language.
pub(super) fn language_of_path(path: &str, snapshot: &Snapshot) -> String {
    let config = &snapshot.site.config;
    path.strip_prefix('/')
        .and_then(|p| p.split('/').next())
        .filter(|l| config.is_translation_language(l))
        .unwrap_or(&config.source_language().id)
        .to_string()
}

pub(super) fn bad_request(snapshot: &Snapshot, message: &str) -> HttpResponse {
    let source = snapshot.site.config.source_language().id.clone();
    bad_request_in(snapshot, &source, message)
}

/// The 400 page in `lang`, saying `message`.
pub(super) fn bad_request_in(snapshot: &Snapshot, lang: &str, message: &str) -> HttpResponse {
    use askama::Template;
    let heading = snapshot
        .site
        .config
        .messages
        .of(lang)
        .get("request-problem");
    match snapshot.error_page_in(lang, &heading, message).render() {
        Ok(body) => HttpResponse::BadRequest()
            .insert_header((header::CACHE_CONTROL, CACHE_PRIVATE))
            .content_type(crate::render::HTML)
            .body(body),
        Err(e) => {
            tracing::error!("error page failed to render: {e}");
            HttpResponse::BadRequest().finish()
        }
    }
}

/// Malformed form bodies get the site's own 400 page rather than a bare text error.
pub fn form_error(err: actix_web::error::UrlencodedError, req: &HttpRequest) -> actix_web::Error {
    use actix_web::ResponseError;
    let slow =
        matches!(&err, actix_web::error::UrlencodedError::Payload(e) if super::body::timed_out(e));
    let (status, message) = if slow {
        (
            StatusCode::REQUEST_TIMEOUT,
            "That form arrived too slowly. Please try again.",
        )
    } else if err.status_code() == StatusCode::PAYLOAD_TOO_LARGE {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "That form was too large to accept.",
        )
    } else {
        (
            err.status_code(),
            "The form could not be read. Please go back and try again.",
        )
    };
    error_response(err, req, status, message)
}

/// Malformed query strings get the site's own 400 page too.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    req: &HttpRequest,
) -> actix_web::Error {
    error_response(
        err,
        req,
        StatusCode::BAD_REQUEST,
        "That address could not be read. Please check it and try again.",
    )
}

fn error_response<E: std::fmt::Debug + std::fmt::Display + 'static>(
    err: E,
    req: &HttpRequest,
    status: StatusCode,
    message: &str,
) -> actix_web::Error {
    let mut response = match req.app_data::<web::Data<AppState>>() {
        Some(state) => bad_request(&state.snapshot(), message),
        None => HttpResponse::BadRequest().finish(),
    };
    *response.status_mut() = status;
    if status == StatusCode::REQUEST_TIMEOUT {
        // The rest of the body may still be on its way: this connection cannot be reused.
        response
            .head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
    }
    actix_web::error::InternalError::from_response(err, response).into()
}

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    audience: Option<String>,
}

/// The query and audience of `/search` or `/ask`; without a known audience, the redirect to the
/// same page in the reader's chosen one, so the page itself depends on its URL alone.
fn reader_request<'a>(
    req: &HttpRequest,
    snapshot: &'a Snapshot,
    params: &SearchParams,
) -> Result<(String, &'a crate::content::Audience), Box<HttpResponse>> {
    let config = &snapshot.site.config;
    let query: String = params
        .q
        .trim()
        .chars()
        .take(crate::search::MAX_QUERY_CHARS)
        .collect();
    if let Some(audience) = params.audience.as_deref().and_then(|a| config.audience(a)) {
        return Ok((query, audience));
    }
    let audience = remembered_audience(req, snapshot);
    let params = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &query)
        .append_pair("audience", &audience)
        .finish();
    Err(Box::new(
        HttpResponse::Found()
            .insert_header((header::LOCATION, format!("{}?{params}", req.path())))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .insert_header((header::VARY, "Cookie"))
            .finish(),
    ))
}

/// A page of `/search` or `/ask`: cacheable by URL, like the prebuilt pages.
fn searched_page(rendered: Result<String, askama::Error>) -> HttpResponse {
    match rendered {
        Ok(body) => HttpResponse::Ok()
            .content_type(crate::render::HTML)
            .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
            .body(body),
        Err(e) => {
            tracing::error!("a search page failed to render: {e}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// What HEAD of `/search` or `/ask` answers: the page's headers without running the search, and so
/// without a `Content-Length` (which would be the length of a page not made, not 0).
fn head_of_searched_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(crate::render::HTML)
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(actix_web::body::None::new())
}

/// `/search?q=...&audience=...`: results in the reader's wording, then articles found only in
/// another audience's wording.
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<SearchParams>,
) -> HttpResponse {
    use askama::Template;
    let snapshot = state.snapshot();
    let Ok(lang) = page_language(&req, &snapshot) else {
        return not_found_in(&req, &snapshot);
    };
    let lang = lang.unwrap_or_else(|| snapshot.site.config.source_language().id.clone());
    let (query, audience) = match reader_request(&req, &snapshot, &params) {
        Ok(found) => found,
        Err(redirect) => return *redirect,
    };
    if snapshot.search().is_none() {
        return search_unavailable("Search is getting ready. Please try again in a few seconds.");
    }
    // HEAD gets the headers of the results page without running the search.
    if req.method() == actix_web::http::Method::HEAD {
        return head_of_searched_page();
    }
    let (words, audience_id, in_lang) = (query.clone(), audience.id.clone(), lang.clone());
    let Some(hits) = state
        .searches
        .run(snapshot.clone(), move |index| {
            index.search_in(&words, &in_lang, &audience_id, 20)
        })
        .await
    else {
        return search_unavailable("Search is busy. Please try again in a few seconds.");
    };
    let page = SearchPage::new(
        &snapshot.site,
        &snapshot.assets,
        &lang,
        query,
        audience,
        hits,
    );
    searched_page(page.render())
}

/// Passages answering one question, at most.
const ANSWERS: usize = 3;

/// `/ask?q=...&audience=...`: the passages of approved articles, in the reader's wording, that best
/// answer a follow-up question, or a plain "no answer" pointing to the reader's own clinician.
pub async fn ask(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<SearchParams>,
) -> HttpResponse {
    use askama::Template;
    let snapshot = state.snapshot();
    let Ok(lang) = page_language(&req, &snapshot) else {
        return not_found_in(&req, &snapshot);
    };
    let lang = lang.unwrap_or_else(|| snapshot.site.config.source_language().id.clone());
    let (question, audience) = match reader_request(&req, &snapshot, &params) {
        Ok(found) => found,
        Err(redirect) => return *redirect,
    };
    if snapshot.search().is_none() {
        return search_unavailable("Answers are getting ready. Please try again in a few seconds.");
    }
    if req.method() == actix_web::http::Method::HEAD {
        return head_of_searched_page();
    }
    let passages = if question.is_empty() {
        Vec::new()
    } else {
        let (words, audience_id, in_lang) = (question.clone(), audience.id.clone(), lang.clone());
        let Some(passages) = state
            .searches
            .run(snapshot.clone(), move |index| {
                index.ask_in(&words, &in_lang, &audience_id, ANSWERS)
            })
            .await
        else {
            return search_unavailable("We are busy. Please try again in a few seconds.");
        };
        passages
    };
    let page = AskPage::new(
        &snapshot.site,
        &snapshot.assets,
        &lang,
        question,
        audience,
        passages,
    );
    searched_page(page.render())
}

fn search_unavailable(message: &'static str) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header((header::RETRY_AFTER, "5"))
        .insert_header((header::CACHE_CONTROL, CACHE_PRIVATE))
        .content_type("text/plain; charset=utf-8")
        .body(message)
}

/// The audience the reader chose earlier (cookie), else the site's default.
fn remembered_audience(req: &HttpRequest, snapshot: &Snapshot) -> String {
    let config = &snapshot.site.config;
    req.cookie(AUDIENCE_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|id| config.audience(id).is_some())
        .unwrap_or_else(|| config.default_audience.clone())
}

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body("ok")
}

pub async fn not_found(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    not_found_in(&req, &state.snapshot())
}

/// `GET /infobutton`: a knowledge request by clinical code (HL7 Infobutton, the URL-based guide),
/// answered from the approved articles only. The URL alone decides the answer, so it is cacheable.
pub async fn infobutton(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    use crate::infobutton::{self, Format};
    use crate::render::knowledge;
    if let Some(wait) = infobutton_limited(&req) {
        return HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, wait.to_string()))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "Too many knowledge requests from this address: try again in {wait} s."
            ));
    }
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .take(64)
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let request = match infobutton::parse(&pairs) {
        Ok(request) => request,
        Err(bad) => {
            let (media_type, body) =
                knowledge::bad_request(site, &snapshot.assets, bad.format, &bad.message);
            return HttpResponse::BadRequest()
                .content_type(media_type)
                .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
                .body(body);
        }
    };
    let entries = infobutton::answer(site, &snapshot.codes, &request);
    let cacheable = (header::CACHE_CONTROL, "public, max-age=300");
    let rendered = match request.format {
        Format::Atom => {
            knowledge::atom(site, &request, &entries).map(|b| ("text/xml; charset=utf-8", b))
        }
        Format::Json => Ok((
            "application/json",
            knowledge::json(site, &request, &entries),
        )),
        Format::Html if entries.len() == 1 => {
            let path = format!("/articles/{}/{}", entries[0].slug, entries[0].audience);
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, path))
                .insert_header(cacheable)
                .finish();
        }
        Format::Html => knowledge::html(site, &snapshot.assets, &request, &entries)
            .map(|b| (crate::render::HTML, b)),
    };
    match rendered {
        Ok((media_type, body)) => {
            let mut response = if request.format == Format::Html && entries.is_empty() {
                HttpResponse::NotFound()
            } else {
                HttpResponse::Ok()
            };
            response
                .content_type(media_type)
                .insert_header(cacheable)
                .body(body)
        }
        Err(e) => {
            tracing::error!("a knowledge response failed to render: {e}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// Knowledge requests one client may make: a burst of [`INFOBUTTON_BURST`], then one every
/// second. Answers are cheap (an index lookup), so this only stops one client from crowding out the
/// rest; it is per server, in memory (clients are told apart as the feedback limit tells them).
const INFOBUTTON_PER_MINUTE: u32 = 60;
const INFOBUTTON_BURST: u32 = 120;

static INFOBUTTON_LIMITER: std::sync::LazyLock<
    governor::DefaultKeyedRateLimiter<std::net::IpAddr>,
> = std::sync::LazyLock::new(|| {
    let per_minute = std::num::NonZeroU32::new(INFOBUTTON_PER_MINUTE).expect("not zero");
    let burst = std::num::NonZeroU32::new(INFOBUTTON_BURST).expect("not zero");
    governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute).allow_burst(burst))
});

/// `Some(seconds to wait)` when this request's client is over its knowledge-request limit.
fn infobutton_limited(req: &HttpRequest) -> Option<u64> {
    use governor::clock::{Clock, DefaultClock};
    let trusted = req
        .app_data::<web::Data<super::FeedbackState>>()
        .map(|f| f.trusted_proxies.clone())
        .unwrap_or_default();
    let client = super::editor::auth::client_of_request(req, &trusted);
    let limiter = &*INFOBUTTON_LIMITER;
    // Forget clients whose allowance has refilled, so the map stays as small as the busy clients.
    if limiter.len() > 10_000 {
        limiter.retain_recent();
    }
    match limiter.check_key(&client) {
        Ok(()) => None,
        Err(not_until) => {
            crate::metrics::metrics()
                .limited
                .with_label_values(&["infobutton"])
                .inc();
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Some(wait.as_secs().max(1))
        }
    }
}
