//! `healthpress serve` and `healthpress preview`: load the content once, render the public pages,
//! serve them; optionally watch the content folder and open the editor area.

use super::{PreviewArgs, ServeArgs, StoreArgs};
use crate::store::{ClientKey, Location, Store};
use crate::web::editor::EditorState;
use crate::web::editor::auth::{EditorAccess, Editors};
use crate::web::{AppState, ConnectionLimits, FeedbackState, Followup, Options};
use actix_web::HttpServer;
use std::net::ToSocketAddrs;
use std::process::ExitCode;
use std::time::Duration;

/// How the server runs, after the command line is read.
struct Run {
    addr: String,
    workers: usize,
    watch: bool,
    /// Seconds that requests in flight get to finish on SIGTERM/SIGINT.
    shutdown_timeout: u64,
    /// Where feedback, sessions and rate limits are kept.
    store: Location,
    /// What keys the client hashes in rate limits.
    client_key: ClientKey,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Connections each worker holds open at once.
    max_connections: usize,
    /// Connections one client address may hold, and how long unsent answers may wait.
    limits: ConnectionLimits,
    /// Where the Prometheus metrics listener is, if any.
    metrics_addr: Option<String>,
}

fn location(args: &StoreArgs) -> Result<Location, String> {
    Location::choose(args.database.as_deref(), &args.data)
}

pub fn execute(args: &ServeArgs) -> ExitCode {
    let addr = match args.address() {
        Ok(addr) => addr,
        Err(message) => return fail(&message),
    };
    let editor = match &args.editors {
        Some(path) => match Editors::load(path) {
            Ok(editors) => EditorAccess::Accounts(editors),
            Err(message) => return fail(&message),
        },
        None => EditorAccess::Off,
    };
    let store = match location(&args.store) {
        Ok(store) => store,
        Err(message) => return fail(&message),
    };
    // Only the editor area reads wordings' bodies after their pages are built; a reload under
    // `--watch` renders the articles it loads and keeps the pages of the rest.
    let keep_bodies = !matches!(editor, EditorAccess::Off);
    let options = Options {
        keep_bodies,
        readability: !matches!(editor, EditorAccess::Off),
    };
    let trusted_proxies: Vec<std::net::IpAddr> = args
        .trusted_proxies
        .iter()
        .map(|ip| ip.to_canonical())
        .collect();
    let run = Run {
        addr,
        workers: args
            .workers
            .map(usize::from)
            .unwrap_or_else(default_workers),
        watch: args.watch,
        shutdown_timeout: 30,
        store,
        client_key: args.store.key(),
        max_connections: args.max_connections as usize,
        limits: ConnectionLimits::new(
            args.max_connections_per_client as usize,
            Duration::from_secs(args.write_timeout),
            trusted_proxies.clone(),
        ),
        metrics_addr: args.metrics_addr.clone(),
        trusted_proxies,
    };
    start(&args.content.content, options, editor, run)
}

pub fn preview(args: &PreviewArgs) -> ExitCode {
    if let Err(message) = require_loopback(&args.addr) {
        return fail(&message);
    }
    let store = match location(&args.store) {
        Ok(store) => store,
        Err(message) => return fail(&message),
    };
    let run = Run {
        addr: args.addr.clone(),
        workers: 1,
        watch: true,
        shutdown_timeout: 1,
        store,
        client_key: args.store.key(),
        trusted_proxies: Vec::new(),
        max_connections: 1000,
        limits: ConnectionLimits::new(0, Duration::from_secs(30), Vec::new()),
        metrics_addr: None,
    };
    let options = Options {
        keep_bodies: true,
        readability: true,
    };
    start(&args.content.content, options, EditorAccess::Open, run)
}

/// `preview` has no login, so it only listens where no one else can reach it.
pub fn require_loopback(addr: &str) -> Result<(), String> {
    let resolved: Vec<_> = addr
        .to_socket_addrs()
        .map_err(|e| format!("cannot use address {addr:?}: {e}"))?
        .collect();
    if resolved.is_empty() || resolved.iter().any(|a| !a.ip().is_loopback()) {
        return Err(format!(
            "preview has no login, so it only listens on loopback (e.g. 127.0.0.1:8080), not {addr}; \
             to serve editors over a network use `healthpress serve --editors FILE`"
        ));
    }
    Ok(())
}

fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn fail(message: &str) -> ExitCode {
    tracing::error!("{message}");
    ExitCode::FAILURE
}

/// Changes seen by the watcher, waiting to be reloaded.
type Changes = std::sync::mpsc::Receiver<Vec<std::path::PathBuf>>;

/// Watches the content folder and reloads what changes, for as long as the server runs; first
/// reloads the files changed since `loading_since` (while the site loaded, before watching began).
fn watch_and_reload(
    state: actix_web::web::Data<AppState>,
    content: &std::path::Path,
    loading_since: std::time::SystemTime,
) {
    let (sender, changes) = std::sync::mpsc::channel();
    let missed = sender.clone();
    let _watcher = match crate::watch::watch(content, move |paths| {
        let _ = sender.send(paths.to_vec());
    }) {
        Ok(watcher) => watcher,
        Err(e) => {
            tracing::error!("cannot watch the content folder: {e}");
            return;
        }
    };
    let edited = crate::watch::changed_since(content, loading_since);
    if !edited.is_empty() {
        tracing::info!(
            "{} file(s) changed while the site loaded: reloading them",
            edited.len()
        );
        let _ = missed.send(edited);
    }
    drop(missed);
    reload_on_change(state, &changes);
}

fn start(content: &std::path::Path, options: Options, access: EditorAccess, run: Run) -> ExitCode {
    let loading_since = std::time::SystemTime::now();
    let state = match AppState::open(content, options) {
        Ok(state) => state,
        Err(e) => return fail(&e.to_string()),
    };
    // Watching starts once the site is loaded, on the reload thread, so a large site serves without
    // waiting for its folders to be registered and walked (seconds at 100,000 articles). Registering
    // thousands of folders while loading would also leave the loading's freed memory scattered (about
    // 25 MB more held at 10,000 articles). An edit made before watching began is found by its time
    // and reloaded, like any other.
    let state = actix_web::web::Data::new(state);
    if run.watch {
        let reloading = state.clone();
        let content = content.to_path_buf();
        let spawned = std::thread::Builder::new()
            .name("reload".into())
            .spawn(move || watch_and_reload(reloading, &content, loading_since));
        if let Err(e) = spawned {
            return fail(&format!("cannot start reloading: {e}"));
        }
    }
    // Pages say when an approved article is due for review: render them again each day.
    {
        let daily = state.clone();
        let spawned = std::thread::Builder::new()
            .name("daily-reload".into())
            .spawn(move || reload_each_day(&daily));
        if let Err(e) = spawned {
            return fail(&format!("cannot start the daily reload: {e}"));
        }
    }
    {
        let publishing = state.clone();
        let spawned = std::thread::Builder::new()
            .name("scheduled".into())
            .spawn(move || publish_when_due(&publishing));
        if let Err(e) = spawned {
            return fail(&format!("cannot start scheduled publishing: {e}"));
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    let store = match runtime.block_on(Store::open_with_key(&run.store, &run.client_key)) {
        Ok(store) => store,
        Err(message) => return fail(&message),
    };
    tracing::info!("keeping feedback and sessions in {}", store.describe());
    let feedback = actix_web::web::Data::new(FeedbackState {
        store: store.clone(),
        trusted_proxies: run.trusted_proxies.clone(),
    });
    let editors = actix_web::web::Data::new(EditorState::new(
        access,
        run.trusted_proxies.clone(),
        store.clone(),
    ));
    runtime.spawn(keep_tidy(state.clone(), store.clone()));
    if let Some(addr) = &run.metrics_addr {
        let metrics = runtime.block_on(async { serve_metrics(addr, state.clone(), store.clone()) });
        match metrics {
            Ok(server) => {
                runtime.spawn(server);
                tracing::info!("metrics on http://{addr}/metrics");
            }
            Err(e) => return fail(&format!("cannot serve metrics on {addr}: {e}")),
        }
    }
    let served = runtime.block_on(run_server(state, editors, feedback, &run));
    runtime.block_on(store.close());
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot serve on {}: {e}", run.addr)),
    }
}

/// The Prometheus metrics listener: `GET /metrics` (text format 0.0.4) and nothing else, on one
/// worker of its own. Each scrape reads the live site's size and pings the store.
fn serve_metrics(
    addr: &str,
    state: actix_web::web::Data<AppState>,
    store: Store,
) -> std::io::Result<actix_web::dev::Server> {
    use actix_web::{HttpResponse, web};
    let server = HttpServer::new(move || {
        let state = state.clone();
        let store = store.clone();
        actix_web::App::new()
            .route(
                "/metrics",
                web::get().to(move || {
                    let state = state.clone();
                    let store = store.clone();
                    async move {
                        let metrics = crate::metrics::metrics();
                        let (pages, bytes) = state.snapshot().page_totals();
                        metrics.pages.set(pages as i64);
                        metrics.page_bytes.set(bytes as i64);
                        metrics.store_up.set(i64::from(store.ping().await.is_ok()));
                        HttpResponse::Ok()
                            .content_type("text/plain; version=0.0.4; charset=utf-8")
                            .insert_header(("cache-control", "no-store"))
                            .body(crate::metrics::render())
                    }
                }),
            )
            .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
    })
    .workers(1)
    .disable_signals()
    .bind(addr)?
    .run();
    Ok(server)
}

/// Reloads the whole site just after each midnight (UTC), so notices that depend on the date (an
/// approved article past its review date) appear on the day.
fn reload_each_day(state: &AppState) {
    loop {
        let now = crate::content::clock::now().unix_timestamp().max(0) as u64;
        let to_midnight = 86_400 - now % 86_400 + 5;
        std::thread::sleep(Duration::from_secs(to_midnight));
        tracing::info!("reloading for the new day");
        if let Err(e) = state.reload() {
            tracing::error!("{e}");
        }
    }
}

/// Makes scheduled approvals live at their minute: sleeps until the next one is due (looking again
/// at least every 30 s, for approvals scheduled meanwhile), then reloads the articles due.
fn publish_when_due(state: &AppState) {
    use crate::content::Moment;
    loop {
        let snapshot = state.snapshot();
        let now = Moment::now();
        let scheduled: Vec<(&String, Moment)> = snapshot
            .site
            .records
            .iter()
            .filter_map(|(slug, r)| Some((slug, r.scheduled.as_ref()?.publish_at?)))
            .collect();
        let due: std::collections::BTreeSet<String> = scheduled
            .iter()
            .filter(|(_, at)| *at <= now)
            .map(|(slug, _)| (*slug).clone())
            .collect();
        if !due.is_empty() {
            tracing::info!(
                "publishing scheduled approvals: {}",
                due.iter().cloned().collect::<Vec<_>>().join(", ")
            );
            if let Err(e) = state.reload_articles(&due) {
                tracing::error!("{e}");
            }
            // An article that still does not go live (its copy has an error) is tried again later.
            if std::sync::Arc::ptr_eq(&snapshot, &state.snapshot()) {
                std::thread::sleep(Duration::from_secs(30));
            }
            continue;
        }
        let next = scheduled.iter().map(|(_, at)| *at).min();
        let wait = next.map_or(30, |at| (at.unix() - now.unix()).clamp(1, 30));
        drop(snapshot);
        std::thread::sleep(Duration::from_secs(wait as u64));
    }
}

/// Reloads for each batch of changes; batches that queued up during a reload are merged into one.
/// The changed articles' pages, home and the A to Z are made here; the other listings and the
/// search documents on a thread of their own, so the next edit shows without waiting for them
/// (seconds on a large site). Follow-ups that queued up meanwhile are done as one.
fn reload_on_change(state: actix_web::web::Data<AppState>, changes: &Changes) {
    let (followups, queued) = std::sync::mpsc::channel::<Followup>();
    let following = state.clone();
    let spawned = std::thread::Builder::new()
        .name("reload-listings".into())
        .spawn(move || {
            while let Ok(mut rest) = queued.recv() {
                while let Ok(next) = queued.try_recv() {
                    rest = rest.then(next);
                }
                if let Err(e) = following.follow_up(rest) {
                    tracing::error!("{e}");
                }
            }
        });
    if let Err(e) = &spawned {
        tracing::error!("cannot start updating listings apart: {e}");
    }
    while let Ok(mut paths) = changes.recv() {
        while let Ok(more) = changes.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        let result = match state.reload_changed_first(&paths) {
            Ok(Some(rest)) if spawned.is_ok() => followups
                .send(rest)
                .map_err(|e| e.0)
                .or_else(|rest| state.follow_up(rest)),
            Ok(Some(rest)) => state.follow_up(rest),
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            tracing::error!("{e}");
        }
    }
}

/// How often old feedback, expired sessions and ended rate-limit windows are deleted.
const TIDY_EVERY: Duration = Duration::from_secs(3600);

/// Deletes feedback past the site's retention (`feedback_retention_days`, read afresh each time, so
/// a reload applies), expired sessions and old rate-limit windows: at start, then every hour. Every
/// replica does it; the deletes do not conflict.
async fn keep_tidy(state: actix_web::web::Data<AppState>, store: Store) {
    let mut every = tokio::time::interval(TIDY_EVERY);
    loop {
        every.tick().await;
        let days = state.snapshot().site.config.feedback_retention_days();
        match store.purge(crate::store::now_ms(), days).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("deleted {n} feedback answer(s) older than {days} days"),
            Err(e) => tracing::warn!("old feedback not deleted yet: {e}"),
        }
    }
}

async fn run_server(
    state: actix_web::web::Data<AppState>,
    editors: actix_web::web::Data<EditorState>,
    feedback: actix_web::web::Data<FeedbackState>,
    run: &Run,
) -> std::io::Result<()> {
    let snapshot = state.snapshot();
    let https = snapshot.site.config.is_https();
    // Compress every page in the background, so no reader waits for it.
    std::thread::Builder::new()
        .name("precompress".into())
        .spawn(move || snapshot.precompress())?;
    // Request logging costs a little on every request: leave it out entirely when it would log nothing.
    let log_requests = tracing::enabled!(target: "healthpress::request", tracing::Level::INFO);
    run.limits.release_memory_after_closes()?;
    let server = HttpServer::new({
        let state = state.clone();
        move || {
            crate::web::app(
                state.clone(),
                editors.clone(),
                feedback.clone(),
                https,
                log_requests,
            )
        }
    })
    .workers(run.workers)
    // What one client may hold: each worker accepts at most `max_connections`; `limits` caps
    // one address's share and closes connections whose client stops reading (see
    // `web::connections`). actix-web bounds each connection's own buffers.
    .max_connections(run.max_connections)
    .on_connect({
        let limits = run.limits.clone();
        move |connection, data| limits.on_connect(connection, data)
    })
    .tcp_nodelay(true)
    // Slow or idle clients cannot hold a connection open for long.
    .client_request_timeout(Duration::from_secs(5))
    .client_disconnect_timeout(Duration::from_secs(5))
    .keep_alive(Duration::from_secs(30))
    // On SIGTERM or SIGINT, stop accepting and let requests in flight finish.
    .shutdown_timeout(run.shutdown_timeout)
    .bind(&run.addr)?;
    tracing::info!(
        "serving on http://{} with {} worker(s)",
        run.addr,
        run.workers
    );
    server.run().await?;
    tracing::info!("server stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::require_loopback;

    #[test]
    fn preview_refuses_addresses_that_are_not_loopback() {
        assert!(require_loopback("127.0.0.1:8080").is_ok());
        assert!(require_loopback("[::1]:8080").is_ok());
        assert!(require_loopback("localhost:8080").is_ok());
        let err = require_loopback("0.0.0.0:8080").unwrap_err();
        assert!(err.contains("only listens on loopback"), "{err}");
        assert!(require_loopback("192.168.1.10:8080").is_err());
        assert!(require_loopback("not an address").is_err());
    }
}
