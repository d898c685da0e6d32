//! The web layer: routes, handlers, the editor area and the server's state. Pages are rendered by
//! [`crate::render`]; this layer looks them up and sends them.

mod body;
mod connections;
pub mod editor;
pub mod export;
mod fast_path;
pub mod feedback;
mod handlers;
pub mod origin;
pub mod response;
mod state;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{guard, web};

pub use crate::memory::release_free_memory;
pub use crate::render::Snapshot;
pub use body::deadline as body_deadline;
pub use connections::ConnectionLimits;
pub use fast_path::PrebuiltPages;
pub use feedback::FeedbackState;
pub use handlers::AUDIENCE_COOKIE;
pub use state::{AppState, Followup, Listings, Options, SiteError};

/// GET, and HEAD answered the same way without a body.
fn get() -> actix_web::Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// Every route, used by the server and the tests alike.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(4 * 1024)
            .error_handler(handlers::form_error),
    )
    .app_data(web::QueryConfig::default().error_handler(handlers::query_error))
    .route("/", get().to(handlers::home))
    .route("/healthz", get().to(handlers::healthz))
    .route("/audience", web::post().to(handlers::choose_audience))
    .service(
        web::resource("/feedback")
            .app_data(
                web::FormConfig::default()
                    .limit(feedback::FORM_LIMIT)
                    .error_handler(handlers::form_error),
            )
            .route(web::post().to(feedback::send)),
    )
    .route("/search", get().to(handlers::search))
    .route("/ask", get().to(handlers::ask))
    .route("/infobutton", get().to(handlers::infobutton))
    .route("/articles", get().to(handlers::by_path))
    .route("/a-z/{letter}", get().to(handlers::by_path))
    .route("/topics", get().to(handlers::by_path))
    .route("/topics/{slug}", get().to(handlers::by_path))
    .route("/sitemap.xml", get().to(handlers::by_path))
    .route("/sitemaps/{file}", get().to(handlers::by_path))
    .route("/robots.txt", get().to(handlers::by_path))
    .route("/articles/{slug}", get().to(handlers::article))
    .configure(editor::configure)
    .route("/articles/{slug}/{audience}", get().to(handlers::by_path))
    .route("/pages/{slug}", get().to(handlers::by_path))
    .route("/static/{file}", get().to(handlers::by_path))
    // The site in its other languages: `/es/`, `/es/articles/...` (an unknown language is a 404).
    .route("/{lang}", get().to(handlers::language_root))
    .route("/{lang}/", get().to(handlers::home))
    .route("/{lang}/search", get().to(handlers::search))
    .route("/{lang}/ask", get().to(handlers::ask))
    .route("/{lang}/articles", get().to(handlers::by_path))
    .route("/{lang}/a-z/{letter}", get().to(handlers::by_path))
    .route("/{lang}/topics", get().to(handlers::by_path))
    .route("/{lang}/topics/{slug}", get().to(handlers::by_path))
    .route("/{lang}/articles/{slug}", get().to(handlers::article))
    .route(
        "/{lang}/articles/{slug}/{audience}",
        get().to(handlers::by_path),
    )
    .route("/{lang}/pages/{slug}", get().to(handlers::by_path))
    .default_service(web::to(handlers::not_found));
}

/// The application as the server runs it, over the live site `state`, the editor area's `editors`
/// and the reader feedback's `feedback`: every route, the security headers, one log line per request when `log_requests`, and
/// the fast path for prebuilt pages in front. The server and the tests build this same one.
pub fn app(
    state: web::Data<AppState>,
    editors: web::Data<editor::EditorState>,
    feedback: web::Data<FeedbackState>,
    https: bool,
    log_requests: bool,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .app_data(state)
        .app_data(editors)
        .app_data(feedback)
        .wrap(actix_web::middleware::from_fn(body_deadline))
        .wrap(security_headers(https))
        .wrap(actix_web::middleware::Condition::new(
            log_requests,
            actix_web::middleware::from_fn(log_request),
        ))
        .wrap(actix_web::middleware::from_fn(count_request))
        .wrap(PrebuiltPages::new(https, log_requests))
        .configure(configure)
}

/// Headers on every response. `https` adds HSTS (set it when `base_url` is https).
pub fn security_header_list(https: bool) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![
        (
            "content-security-policy",
            "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    if https {
        headers.push((
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ));
    }
    headers
        .into_iter()
        .map(|(name, value)| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        })
        .collect()
}

/// [`security_header_list`] as middleware, for responses that do not take the fast path.
pub fn security_headers(https: bool) -> DefaultHeaders {
    security_header_list(https)
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, header| headers.add(header))
}

/// One log line per request through `tracing`: method, path, status, duration.
pub async fn log_request(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let path = req.path().to_string();
    let res = next.call(req).await?;
    log_line(&method, &path, res.status(), started);
    Ok(res)
}

/// Counts every request the fast path did not answer, in the metrics (see [`crate::metrics`]).
pub async fn count_request(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let path = req.path().to_string();
    let res = next.call(req).await?;
    crate::metrics::record_request(
        &path,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
        known_size(res.response().body().size()),
    );
    Ok(res)
}

/// The bytes of a body whose size is known.
fn known_size(size: actix_web::body::BodySize) -> Option<u64> {
    match size {
        actix_web::body::BodySize::Sized(n) => Some(n),
        _ => None,
    }
}

/// The log line of one request, wherever it was answered.
fn log_line(
    method: &actix_web::http::Method,
    path: &str,
    status: actix_web::http::StatusCode,
    started: std::time::Instant,
) {
    tracing::info!(
        target: "healthpress::request",
        %method,
        path,
        status = status.as_u16(),
        micros = started.elapsed().as_micros() as u64,
    );
}
