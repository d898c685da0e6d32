//! `healthpress serve`: load the content once, render the public pages, serve them.

use super::ServeArgs;
use crate::web::{self, AppState};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer};
use std::process::ExitCode;
use std::time::Duration;

pub fn execute(args: &ServeArgs) -> ExitCode {
    let addr = match args.address() {
        Ok(addr) => addr,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let state = match AppState::load(&args.content.content) {
        Ok(state) => state,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let workers = args
        .workers
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run_server(state, &addr, workers)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("cannot serve on {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run_server(state: AppState, addr: &str, workers: usize) -> std::io::Result<()> {
    let state = actix_web::web::Data::new(state);
    // Compress every page in the background, so no reader waits for it.
    let snapshot = state.snapshot();
    let https = snapshot.site.config.is_https();
    // Request logging costs a little on every request: leave it out entirely when it would log nothing.
    let log_requests = tracing::enabled!(target: "healthpress::request", tracing::Level::INFO);
    std::thread::spawn(move || snapshot.precompress());
    let server = HttpServer::new({
        let state = state.clone();
        move || {
            App::new()
                .app_data(state.clone())
                .wrap(web::security_headers(https))
                .wrap(Condition::new(log_requests, from_fn(web::log_request)))
                .configure(web::configure)
        }
    })
    .workers(workers)
    .tcp_nodelay(true)
    // Slow or idle clients cannot hold a connection open for long.
    .client_request_timeout(Duration::from_secs(10))
    .client_disconnect_timeout(Duration::from_secs(5))
    .keep_alive(Duration::from_secs(30))
    // On SIGTERM or SIGINT, stop accepting and let requests in flight finish.
    .shutdown_timeout(30)
    .bind(addr)?;
    tracing::info!("serving on http://{addr} with {workers} worker(s)");
    server.run().await?;
    tracing::info!("server stopped");
    Ok(())
}
