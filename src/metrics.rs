//! Prometheus metrics of a running server, served on their own listener (`serve --metrics-addr`),
//! never on the public one: requests by route kind and status, latency, bytes sent, reloads, the
//! live site's pages and bytes, search and follow-up waits and refusals, sign-in failures and
//! limiter refusals, feedback accepted and refused, store errors and whether the store answers.
//!
//! The metrics are process-wide (one registry, [`metrics`]), as Prometheus expects of a process;
//! recording one is a few atomic operations.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};
use std::sync::OnceLock;

/// Every metric, registered in [`Metrics::registry`].
pub struct Metrics {
    pub registry: Registry,
    /// `route` (a kind, from [`route_kind`]) and `status` (the HTTP status code).
    pub requests: IntCounterVec,
    /// Seconds from the request reaching the application to its response being ready, by `route`.
    pub latency: HistogramVec,
    /// Response body bytes whose size was known when sent.
    pub bytes_sent: IntCounter,
    /// Reloads of the content, by `kind` (`full` or `articles`).
    pub reloads: IntCounterVec,
    pub reload_failures: IntCounter,
    pub reload_seconds: Histogram,
    /// The live site: prebuilt pages, and their bytes (all encodings).
    pub pages: IntGauge,
    pub page_bytes: IntGauge,
    /// Seconds a search or follow-up question waited for a slot.
    pub search_wait: Histogram,
    /// Searches and follow-up questions refused (busy, or over their time).
    pub search_refused: IntCounter,
    pub signin_failures: IntCounter,
    /// Requests refused by a limiter, by `limiter` (`sign-in`, `feedback`, `infobutton`,
    /// `fact-check`).
    pub limited: IntCounterVec,
    /// Reader feedback, by `outcome` (`accepted`, `refused`).
    pub feedback: IntCounterVec,
    /// Statements the store failed.
    pub store_errors: IntCounter,
    /// 1 when the store answered the last scrape's ping, else 0.
    pub store_up: IntGauge,
}

fn build() -> Result<Metrics, prometheus::Error> {
    let registry = Registry::new_custom(Some("healthpress".into()), None)?;
    let requests = IntCounterVec::new(
        Opts::new(
            "http_requests_total",
            "HTTP requests answered, by route kind and status.",
        ),
        &["route", "status"],
    )?;
    let latency = HistogramVec::new(
        HistogramOpts::new(
            "http_request_duration_seconds",
            "Time from a request reaching the application to its response, by route kind.",
        )
        .buckets(vec![
            0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1.0, 2.5, 5.0,
        ]),
        &["route"],
    )?;
    let bytes_sent = IntCounter::new(
        "http_response_bytes_total",
        "Response body bytes sent (bodies of known size).",
    )?;
    let reloads = IntCounterVec::new(
        Opts::new("reloads_total", "Reloads of the content, by kind."),
        &["kind"],
    )?;
    let reload_failures = IntCounter::new("reload_failures_total", "Reloads that failed.")?;
    let reload_seconds = Histogram::with_opts(
        HistogramOpts::new("reload_duration_seconds", "How long reloads took.").buckets(vec![
            0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
        ]),
    )?;
    let pages = IntGauge::new("site_pages", "Prebuilt pages in the live site.")?;
    let page_bytes = IntGauge::new(
        "site_page_bytes",
        "Bytes of the live site's prebuilt pages, every encoding.",
    )?;
    let search_wait = Histogram::with_opts(
        HistogramOpts::new(
            "search_wait_seconds",
            "Time searches and follow-up questions waited for a search slot.",
        )
        .buckets(vec![0.000_1, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0]),
    )?;
    let search_refused = IntCounter::new(
        "search_refused_total",
        "Searches and follow-up questions refused: busy, or over their time.",
    )?;
    let signin_failures = IntCounter::new(
        "signin_failures_total",
        "Sign-ins refused for a wrong name or password.",
    )?;
    let limited = IntCounterVec::new(
        Opts::new(
            "limiter_refusals_total",
            "Requests refused by a rate limiter, by limiter.",
        ),
        &["limiter"],
    )?;
    let feedback = IntCounterVec::new(
        Opts::new("feedback_total", "Reader feedback answers, by outcome."),
        &["outcome"],
    )?;
    let store_errors = IntCounter::new("store_errors_total", "Statements the store failed.")?;
    let store_up = IntGauge::new(
        "store_up",
        "1 when the store answered the last scrape's ping, else 0.",
    )?;
    registry.register(Box::new(requests.clone()))?;
    registry.register(Box::new(latency.clone()))?;
    registry.register(Box::new(bytes_sent.clone()))?;
    registry.register(Box::new(reloads.clone()))?;
    registry.register(Box::new(reload_failures.clone()))?;
    registry.register(Box::new(reload_seconds.clone()))?;
    registry.register(Box::new(pages.clone()))?;
    registry.register(Box::new(page_bytes.clone()))?;
    registry.register(Box::new(search_wait.clone()))?;
    registry.register(Box::new(search_refused.clone()))?;
    registry.register(Box::new(signin_failures.clone()))?;
    registry.register(Box::new(limited.clone()))?;
    registry.register(Box::new(feedback.clone()))?;
    registry.register(Box::new(store_errors.clone()))?;
    registry.register(Box::new(store_up.clone()))?;
    Ok(Metrics {
        registry,
        requests,
        latency,
        bytes_sent,
        reloads,
        reload_failures,
        reload_seconds,
        pages,
        page_bytes,
        search_wait,
        search_refused,
        signin_failures,
        limited,
        feedback,
        store_errors,
        store_up,
    })
}

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| build().expect("the metrics' names and labels are valid"))
}

/// The kind of route a path is, for the `route` label: a small, fixed set, so no request can add
/// labels.
pub fn route_kind(path: &str) -> &'static str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "" => "home",
        "articles" if path.trim_end_matches('/') == "/articles" => "a-to-z",
        "articles" => "article",
        "topics" => "topic",
        "pages" => "page",
        "static" => "static",
        "search" => "search",
        "ask" => "ask",
        "feedback" => "feedback",
        "audience" => "audience",
        "infobutton" => "infobutton",
        "editor" => "editor",
        "fact-check" => "fact-check",
        "reviewer-feed" => "reviewer-feed",
        "reviewers" => "reviewers",
        "healthz" => "health",
        "sitemap.xml" | "robots.txt" | "changes.atom" => "feed",
        _ => "other",
    }
}

/// Counts one answered request.
pub fn record_request(path: &str, status: u16, seconds: f64, body_bytes: Option<u64>) {
    let m = metrics();
    let route = route_kind(path);
    let owned;
    let status = match status {
        200 => "200",
        303 => "303",
        304 => "304",
        404 => "404",
        other => {
            owned = other.to_string();
            owned.as_str()
        }
    };
    m.requests.with_label_values(&[route, status]).inc();
    m.latency.with_label_values(&[route]).observe(seconds);
    if let Some(n) = body_bytes {
        m.bytes_sent.inc_by(n);
    }
}

/// The metrics in Prometheus's text format.
pub fn render() -> String {
    let mut out = Vec::new();
    let families = metrics().registry.gather();
    if TextEncoder::new().encode(&families, &mut out).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_a_fixed_set_of_kinds() {
        assert_eq!(route_kind("/"), "home");
        assert_eq!(route_kind("/articles"), "a-to-z");
        assert_eq!(route_kind("/articles/leg-cramps/patient"), "article");
        assert_eq!(route_kind("/editor/articles/x"), "editor");
        assert_eq!(route_kind("/whatever/the/client/sends"), "other");
        assert_eq!(route_kind("/%2e%2e"), "other");
    }

    #[test]
    fn recorded_requests_appear_in_the_text_format() {
        record_request("/search", 200, 0.002, Some(1234));
        let text = render();
        assert!(
            text.contains("healthpress_http_requests_total{route=\"search\",status=\"200\"}"),
            "{text}"
        );
        assert!(text.contains("healthpress_http_request_duration_seconds_bucket{route=\"search\""));
        assert!(text.contains("# TYPE healthpress_store_up gauge"));
    }
}
