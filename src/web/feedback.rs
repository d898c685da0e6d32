//! `POST /feedback`: "Was this page helpful?" under every article wording. The form is the same for
//! every reader (no token, no cookie), so article pages stay prebuilt and cacheable; what keeps other
//! sites and robots out is the same-origin check, a honeypot field, size limits and a per-client
//! rate limit kept in the database, so that every replica counts together.

use super::AppState;
use super::response::CACHE_PRIVATE;
use crate::store::{NewFeedback, Store, Taken, now_ms};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use std::net::IpAddr;
use std::time::Duration;

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;
/// The largest form body: a comment of the longest, in four-byte characters, percent-encoded.
pub const FORM_LIMIT: usize = 16 * 1024;
/// Answers accepted from one client within [`FEEDBACK_WINDOW`], over all pages.
pub const FEEDBACK_PER_CLIENT: i64 = 20;
pub const FEEDBACK_WINDOW: Duration = Duration::from_secs(3600);

/// What the feedback form needs: the store, and whom to believe about a client's address.
pub struct FeedbackState {
    pub store: Store,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`).
    pub trusted_proxies: Vec<IpAddr>,
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    helpful: String,
    #[serde(default)]
    comment: String,
    /// The honeypot: hidden from people, filled in by robots that fill in every field.
    #[serde(default)]
    website: String,
    /// The language of the page the form was on (one of the site's other languages, or empty).
    #[serde(default)]
    lang: String,
}

/// Why an answer was not saved, with the reader's message (a message key, in `lang`).
fn refuse(
    snapshot: &crate::render::Snapshot,
    lang: &str,
    status: StatusCode,
    key: &str,
) -> HttpResponse {
    let message = snapshot.site.config.messages.of(lang).get(key);
    let metrics = crate::metrics::metrics();
    metrics.feedback.with_label_values(&["refused"]).inc();
    if status == StatusCode::TOO_MANY_REQUESTS {
        metrics.limited.with_label_values(&["feedback"]).inc();
    }
    let mut response = super::handlers::bad_request_in(snapshot, lang, &message);
    *response.status_mut() = status;
    response
}

/// Checks and saves one answer, then sends the reader back to the same wording, at the thank-you.
pub async fn send(
    state: web::Data<AppState>,
    feedback: web::Data<FeedbackState>,
    req: HttpRequest,
    form: web::Form<FeedbackForm>,
) -> HttpResponse {
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let lang = if site.config.is_translation_language(&form.lang) {
        form.lang.clone()
    } else {
        site.config.source_language().id.clone()
    };
    let lang = lang.as_str();
    if super::origin::is_cross_site(&req, &site.config.base_url) {
        return refuse(
            &snapshot,
            lang,
            StatusCode::FORBIDDEN,
            "feedback-cross-site",
        );
    }
    let page = format!(
        "{}/articles/{}/{}",
        site.config.prefix(lang),
        form.slug,
        form.audience
    );
    let public = crate::content::is_slug(&form.slug)
        && site.config.audience(&form.audience).is_some()
        && site.public_article(&form.slug).is_some()
        && snapshot.page(&page).is_some();
    if !public {
        return refuse(
            &snapshot,
            lang,
            StatusCode::BAD_REQUEST,
            "feedback-not-here",
        );
    }
    let helpful = match form.helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return refuse(&snapshot, lang, StatusCode::BAD_REQUEST, "feedback-choose");
        }
    };
    let comment = match clean_comment(&form.comment) {
        Ok(comment) => comment,
        Err(key) => return refuse(&snapshot, lang, StatusCode::BAD_REQUEST, key),
    };
    let back = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{page}#feedback-thanks")))
        .insert_header((header::CACHE_CONTROL, CACHE_PRIVATE))
        .finish();
    if !form.website.is_empty() {
        // A robot: thanked like anyone else, so it learns nothing, and nothing is saved.
        return back;
    }
    let client = super::editor::auth::client_of_request(&req, &feedback.trusted_proxies);
    let store = &feedback.store;
    let bucket = store.hash(&["feedback", &client.to_string()]);
    let now = now_ms();
    let saved = match store
        .take(&bucket, FEEDBACK_PER_CLIENT, FEEDBACK_WINDOW, now)
        .await
    {
        Ok(Taken::Full { wait_secs }) => {
            let mut response = refuse(
                &snapshot,
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                "feedback-too-many",
            );
            if let Ok(value) = header::HeaderValue::from_str(&wait_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Ok(Taken::Counted { .. }) => {
            store
                .save_feedback(&NewFeedback {
                    slug: &form.slug,
                    audience: &form.audience,
                    helpful,
                    comment: &comment,
                    at_ms: now,
                })
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => {
            crate::metrics::metrics()
                .feedback
                .with_label_values(&["accepted"])
                .inc();
            back
        }
        Err(e) => {
            tracing::warn!("feedback not saved: {e}");
            let mut response = refuse(
                &snapshot,
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                "feedback-not-saved",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
            response
        }
    }
}

/// The comment as stored: trimmed, line breaks as `\n`; refused (with the key of the reader's
/// message) when too long or holding control characters other than line breaks and tabs.
fn clean_comment(comment: &str) -> Result<String, &'static str> {
    let comment = comment.replace("\r\n", "\n").replace('\r', "\n");
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err("feedback-too-long");
    }
    if comment
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("feedback-bad-characters");
    }
    Ok(comment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_trimmed_and_checked() {
        assert_eq!(clean_comment("  a\r\nb \r").unwrap(), "a\nb");
        assert_eq!(clean_comment("").unwrap(), "");
        let longest = "é".repeat(MAX_COMMENT_CHARS);
        assert_eq!(clean_comment(&longest).unwrap(), longest);
        assert!(clean_comment(&format!("{longest}x")).is_err());
        assert!(clean_comment("a\u{0}b").is_err());
        assert!(clean_comment("a\u{1b}[31m").is_err());
        assert_eq!(clean_comment("a\tb").unwrap(), "a\tb");
    }
}
