//! Shared helpers for the integration tests: build the app over a fixture content folder.
#![allow(dead_code)]

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::{App, test, web};
use healthpress::web::{AppState, configure, security_headers};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn state(name: &str) -> web::Data<AppState> {
    web::Data::new(AppState::load(&fixture(name)).expect("fixture loads"))
}

pub async fn app(
    state: web::Data<AppState>,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    let https = state.snapshot().site.config.is_https();
    test::init_service(
        App::new()
            .app_data(state)
            .wrap(security_headers(https))
            .configure(configure),
    )
    .await
}

/// GETs `path`; returns status, headers and body text.
pub async fn get<S, B>(app: &S, path: &str) -> (u16, actix_web::http::header::HeaderMap, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(app, test::TestRequest::get().uri(path)).await
}

pub async fn send<S, B>(
    app: &S,
    req: test::TestRequest,
) -> (u16, actix_web::http::header::HeaderMap, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = test::read_body(resp).await;
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}
