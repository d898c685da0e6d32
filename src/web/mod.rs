//! The web layer: routes, handlers, page structs and the pre-rendered snapshot they serve.

pub mod assets;
mod handlers;
pub mod snapshot;
pub mod views;

use actix_web::middleware::DefaultHeaders;
use actix_web::web;
use arc_swap::ArcSwap;
use std::sync::Arc;

use crate::content::load_site;
use assets::Assets;

pub use handlers::AUDIENCE_COOKIE;
pub use snapshot::Snapshot;

/// Shared by all workers: the current snapshot, swapped atomically when content reloads.
pub struct AppState {
    current: ArcSwap<Snapshot>,
}

impl AppState {
    pub fn new(snapshot: Snapshot) -> Self {
        AppState {
            current: ArcSwap::from_pointee(snapshot),
        }
    }

    /// Loads the content folder and renders the first snapshot, logging every content problem.
    pub fn load(content: &std::path::Path) -> Result<Self, String> {
        let site = load_site(content).map_err(|e| e.to_string())?;
        for d in &site.diagnostics {
            if d.is_error() {
                tracing::error!("{d}");
            } else {
                tracing::warn!("{d}");
            }
        }
        tracing::info!(
            "loaded {} article(s) from {} ({} public)",
            site.articles.len(),
            content.display(),
            site.public_articles().count()
        );
        let snapshot = Snapshot::build(Arc::new(site), Arc::new(Assets::load()))
            .map_err(|e| format!("rendering the site failed: {e}"))?;
        Ok(AppState::new(snapshot))
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    pub fn replace(&self, snapshot: Snapshot) {
        self.current.store(Arc::new(snapshot));
    }
}

/// Every route, used by the server and the tests alike.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(4 * 1024)
            .error_handler(handlers::form_error),
    )
    .route("/", web::get().to(handlers::home))
    .route("/healthz", web::get().to(handlers::healthz))
    .route("/audience", web::post().to(handlers::choose_audience))
    .route("/articles/{slug}", web::get().to(handlers::article))
    .route(
        "/articles/{slug}/{audience}",
        web::get().to(handlers::article_wording),
    )
    .route("/pages/{slug}", web::get().to(handlers::static_page))
    .route("/static/{file}", web::get().to(handlers::asset))
    .default_service(web::to(handlers::not_found));
}

/// Headers on every response.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"))
        .add(("X-Frame-Options", "DENY"))
}
