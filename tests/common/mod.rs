//! Shared helpers for the integration tests: build the app over a fixture content folder.
#![allow(dead_code)]

pub mod pg;
pub mod server;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::{test, web};
use healthpress::store::{Location, Store};
use healthpress::web::editor::EditorState;
use healthpress::web::{AppState, FeedbackState};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn state(name: &str) -> web::Data<AppState> {
    web::Data::new(AppState::load(&fixture(name)).expect("fixture loads"))
}

/// A fresh folder for a SQLite store, under `stores-<this test binary>` in Cargo's temporary
/// folder, which is emptied when the binary first asks for one, so each run leaves only its own.
pub fn store_dir() -> PathBuf {
    static STORES: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let root = STORES.get_or_init(|| {
        let binary = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let binary = binary.split('-').next().unwrap_or("tests").to_string();
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("stores-{binary}"));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        root
    });
    tempfile::tempdir_in(root).unwrap().keep()
}

/// A fresh SQLite store (in [`store_dir`]), opened on a thread of its own so that tests that are not
/// async can have one too.
pub fn store() -> Store {
    store_in(&store_dir())
}

/// A SQLite store in `dir` (opened again by each call: one per replica sharing it).
pub fn store_in(dir: &std::path::Path) -> Store {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(Store::open(&Location::Sqlite(dir)))
            .expect("a SQLite store opens")
    })
    .join()
    .unwrap()
}

/// The reader feedback's state over `store`, with no trusted proxy.
pub fn feedback(store: Store) -> web::Data<FeedbackState> {
    web::Data::new(FeedbackState {
        store,
        trusted_proxies: Vec::new(),
    })
}

/// The app over `state`, without an editor area.
pub async fn app(
    state: web::Data<AppState>,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    app_with(state, web::Data::new(EditorState::off(store()))).await
}

/// The app over `state`, with the editor area `editors`.
pub async fn app_with(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    let https = state.snapshot().site.config.is_https();
    let feedback = feedback(editors.store.clone());
    test::init_service(healthpress::web::app(
        state, editors, feedback, https, false,
    ))
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

/// Copies a fixture folder, so a test can change files in its copy.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The value of header `name`, which must be present and visible ASCII.
pub fn header<'a>(headers: &'a actix_web::http::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap_or_else(|_| panic!("the {name} header is not text"))
}

/// The CSRF token of the first form in `page`.
pub fn csrf_in(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form with a CSRF token")
        .to_string()
}

/// Runs `healthpress check --strict` over `content`: whether it passed, and what it printed.
pub fn check_strict(content: &std::path::Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["check", "--strict", "--content"])
        .arg(content)
        .output()
        .expect("run healthpress check");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}
