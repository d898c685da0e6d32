//! `healthpress serve`: load the content once, render the public pages, serve them.

use super::ServeArgs;
use crate::web::{self, AppState};
use actix_web::{App, HttpServer, middleware};
use std::process::ExitCode;

pub fn execute(args: &ServeArgs) -> ExitCode {
    let state = match AppState::load(&args.content.content) {
        Ok(state) => state,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::FAILURE;
        }
    };
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
    match runtime.block_on(run_server(state, &args.addr)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("server failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run_server(state: AppState, addr: &str) -> std::io::Result<()> {
    let state = actix_web::web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(web::security_headers())
            .wrap(middleware::Logger::new("%r %s %Dms").log_target("healthpress::request"))
            .configure(web::configure)
    })
    .bind(addr)?;
    tracing::info!("serving on http://{addr}");
    server.run().await
}
