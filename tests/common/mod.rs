//! Shared helpers for the integration tests: build the app over a fixture content folder.
#![allow(dead_code)]

pub mod server;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::{test, web};
use healthpress::web::AppState;
use healthpress::web::editor::EditorState;
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn state(name: &str) -> web::Data<AppState> {
    web::Data::new(AppState::load(&fixture(name)).expect("fixture loads"))
}

/// The app over `state`, without an editor area.
pub async fn app(
    state: web::Data<AppState>,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    app_with(state, web::Data::new(EditorState::off())).await
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
    test::init_service(healthpress::web::app(state, editors, https, false)).await
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

/// No active content in `html`: only the site's own scripts (its external file, and JSON-LD data that
/// cannot close its element early), no script, frame, SVG, MathML, object, base, meta-refresh or style
/// element, no event-handler attribute and no `javascript:`/`data:`/`vbscript:` URL. Attribute values
/// are skipped when looking for attribute names, so escaped text cannot match.
pub fn assert_no_active_content(html: &str, what: &str) {
    let mut lower = html.to_lowercase();
    let open = "<script type=\"application/ld+json\">";
    if let Some(start) = lower.find(open) {
        let end =
            start + lower[start..].find("</script>").expect("json-ld closes") + "</script>".len();
        let json = &html[start + open.len()..end - "</script>".len()];
        assert!(!json.contains('<'), "{what}: json-ld must escape <: {json}");
        lower.replace_range(start..end, "");
    }
    let lower = lower.replacen("<script src=\"/static/wording.", "", 1);
    for element in [
        "<script",
        "<iframe",
        "<svg",
        "<math",
        "<object",
        "<embed",
        "<base",
        "<meta http-equiv",
        "<style",
    ] {
        assert!(!lower.contains(element), "{what}: {element} in {html}");
    }
    for tag in lower
        .split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
    {
        let names: String = tag.split('"').step_by(2).collect();
        assert!(
            !names.split_whitespace().any(|w| w.starts_with("on")),
            "{what}: event handler in <{tag}>"
        );
        for scheme in ["javascript:", "data:", "vbscript:"] {
            assert!(
                !tag.contains(&format!("=\"{scheme}")),
                "{what}: {scheme} URL in <{tag}>"
            );
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
