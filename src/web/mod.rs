//! The web layer: routes, handlers, page structs and the pre-rendered snapshot they serve.

pub mod assets;
pub mod editor;
pub mod export;
mod handlers;
pub mod response;
pub mod snapshot;
mod state;
pub mod views;

use actix_web::middleware::DefaultHeaders;
use actix_web::{guard, web};

pub use handlers::AUDIENCE_COOKIE;
pub use snapshot::Snapshot;
pub use state::{AppState, Options};

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
    .route("/search", get().to(handlers::search))
    .route("/articles", get().to(handlers::by_path))
    .route("/topics", get().to(handlers::by_path))
    .route("/topics/{slug}", get().to(handlers::by_path))
    .route("/sitemap.xml", get().to(handlers::by_path))
    .route("/robots.txt", get().to(handlers::by_path))
    .route("/articles/{slug}", get().to(handlers::article))
    .configure(editor::configure)
    .route("/articles/{slug}/{audience}", get().to(handlers::by_path))
    .route("/pages/{slug}", get().to(handlers::by_path))
    .route("/static/{file}", get().to(handlers::by_path))
    .default_service(web::to(handlers::not_found));
}

/// Headers on every response. `https` adds HSTS (set it when `base_url` is https).
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
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
    tracing::info!(
        target: "healthpress::request",
        %method,
        path,
        status = res.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
    );
    Ok(res)
}

/// Gives memory freed after a large one-time build (loading, rendering, indexing, compressing) back to
/// the operating system. glibc keeps freed memory in its heap otherwise, so a server's resident size
/// would stay at its start-up peak.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers from us.
    unsafe {
        libc::malloc_trim(0);
    }
}
