//! Reminders that reach reviewers: who is reviewing what, and since when ("I am reviewing this" on an
//! article's editor page, shown in the review queue), and each reviewer's private Atom feed of
//! reviews due within [`DUE_WITHIN_DAYS`] days, overdue ones, and articles awaiting a second reviewer,
//! at a secret URL (`/reviewer-feed/{token}`) any feed reader can subscribe to. Making a new feed
//! link revokes the old one; a reviewer can stop theirs.

use super::auth::EditorAccess;
use super::views::reviewer_names;
use super::{Editor, EditorError, EditorState};
use crate::content::{Date, QueueEntry, Site, Waiting, review_queue};
use crate::store::now_ms;
use crate::web::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// A review due within this many days is in the feed.
pub const DUE_WITHIN_DAYS: i64 = 14;

/// Whether `entry` of the review queue is for `reviewer`: assigned to them, or awaiting a second
/// reviewer whose first was someone else.
pub fn is_for(site: &Site, entry: &QueueEntry<'_>, reviewer: &str) -> bool {
    entry
        .article
        .review
        .assigned_to
        .iter()
        .any(|id| id == reviewer)
        || (matches!(entry.waiting, Waiting::AwaitingSecondReviewer(_))
            && site
                .records
                .get(&entry.article.slug)
                .and_then(|r| r.first.as_ref())
                .is_some_and(|f| !f.reviewers.iter().any(|id| id == reviewer)))
}

/// One entry of a reviewer's feed.
pub struct Reminder {
    pub slug: String,
    /// `overdue`, `due` or `second`, for the entry's id.
    pub kind: &'static str,
    /// What makes the entry new when it changes (the due date, or the first approval's date).
    pub key: String,
    pub title: String,
    pub summary: String,
}

/// `reviewer`'s reminders on `today`: overdue reviews first, then reviews due within
/// [`DUE_WITHIN_DAYS`] days, then articles awaiting their second approval.
pub fn reminders(site: &Site, reviewer: &str, today: Date) -> Vec<Reminder> {
    let mut out = Vec::new();
    for entry in review_queue(site, today) {
        if !is_for(site, &entry, reviewer) {
            continue;
        }
        let a = entry.article;
        if let Waiting::AwaitingSecondReviewer(on) = entry.waiting {
            let first = site.records.get(&a.slug).and_then(|r| r.first.as_ref());
            // Its first reviewer has done their part.
            if first.is_some_and(|f| f.reviewers.iter().any(|id| id == reviewer)) {
                continue;
            }
            let needed = first.map_or(1, |f| f.still_needed(a.review.approvals_required));
            let first = first
                .map(|f| reviewer_names(site, &f.reviewers).join(" and "))
                .unwrap_or_default();
            out.push(Reminder {
                slug: a.slug.clone(),
                kind: "second",
                key: on.iso(),
                title: format!("Awaiting a second reviewer: {}", a.title),
                summary: format!(
                    "{first} approved this text on {}. It needs the approval of {} before readers see it.",
                    on.in_words(),
                    super::approve::more_reviewers(needed)
                ),
            });
            continue;
        }
        let Some(due) = entry.due else { continue };
        let days = due.days_since(today);
        if days > DUE_WITHIN_DAYS {
            continue;
        }
        let (kind, title) = if entry.overdue {
            (
                "overdue",
                format!("Overdue review: {} (due {})", a.title, due.in_words()),
            )
        } else {
            (
                "due",
                format!("Review due on {}: {}", due.in_words(), a.title),
            )
        };
        out.push(Reminder {
            slug: a.slug.clone(),
            kind,
            key: due.iso(),
            title,
            summary: match entry.waiting {
                Waiting::ReviewDue(next) => format!(
                    "Its approved text was due for review on {}.",
                    next.in_words()
                ),
                Waiting::ChangedSinceApproval(_) => {
                    "Its text has changed since it was approved.".to_string()
                }
                Waiting::TranslationOutOfDate(_) => format!(
                    "Its translation ({}) follows an earlier version of the source text.",
                    entry.languages.join(", ")
                ),
                _ => format!("Status: {}.", a.review.status.label()),
            },
        });
    }
    out
}

#[derive(Template)]
#[template(path = "editor/reviewer.atom", escape = "html")]
struct ReviewerFeed {
    site_title: String,
    base: String,
    reviewer: String,
    days: i64,
    /// A public id of the feed (not its secret).
    feed_id: String,
    updated: String,
    entries: Vec<Reminder>,
}

/// `GET /reviewer-feed/{token}`: the private feed of the account whose token it is.
pub(super) async fn feed(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    token: web::Path<String>,
) -> Result<HttpResponse, EditorError> {
    let EditorAccess::Accounts(accounts) = &editors.access else {
        return Err(super::not_found(&state));
    };
    let owner = editors
        .store
        .reviewer_feed_owner(&token)
        .await
        .map_err(|_| EditorError::Unavailable)?;
    let Some(user) = owner else {
        return Err(super::not_found(&state));
    };
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    // An account no longer in the editors file, or no longer a reviewer, has no feed.
    let Some(reviewer) = accounts
        .reviewer_of(&user)
        .filter(|id| site.reviewers.contains_key(id))
    else {
        return Err(super::not_found(&state));
    };
    let base = site.config.base_url.trim_end_matches('/').to_string();
    let today = Date::today();
    let body = ReviewerFeed {
        site_title: crate::content::xml_text(&site.config.title),
        reviewer: reviewer_names(site, std::slice::from_ref(&reviewer)).join(""),
        base,
        days: DUE_WITHIN_DAYS,
        feed_id: editors.store.hash(&["reviewer-feed-id", &user]),
        updated: crate::web::editor::feedback::iso_time(now_ms()),
        entries: reminders(site, &reviewer, today)
            .into_iter()
            .map(|r| Reminder {
                title: crate::content::xml_text(&r.title),
                summary: crate::content::xml_text(&r.summary),
                ..r
            })
            .collect(),
    }
    .render()
    .map_err(|e| EditorError::Render(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-robots-tag", "noindex, nofollow"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(body))
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    csrf: String,
    /// `start` or `stop`.
    action: String,
}

/// `POST /editor/reviews/feed`: `start` makes a new private feed link (revoking the old one) and
/// shows it once on the queue page; `stop` revokes it.
pub(super) async fn manage_feed(
    editors: web::Data<EditorState>,
    editor: Editor,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    if editors.reviewer_of(&editor).is_none() {
        return Err(EditorError::NotAllowed(
            "Only an account linked to a reviewer has a reviews feed.",
        ));
    }
    let location = match form.action.as_str() {
        "start" => {
            let token = editors
                .store
                .new_reviewer_feed(&editor.user, now_ms())
                .await
                .map_err(|_| EditorError::Unavailable)?;
            tracing::info!(editor = %editor.user, "reviewer feed link made");
            format!("/editor/reviews?feed={token}#feed")
        }
        "stop" => {
            editors
                .store
                .revoke_reviewer_feed(&editor.user)
                .await
                .map_err(|_| EditorError::Unavailable)?;
            tracing::info!(editor = %editor.user, "reviewer feed stopped");
            "/editor/reviews#feed".to_string()
        }
        _ => return Err(EditorError::BadRequest("Unknown action.".into())),
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish())
}

/// The feed part of the queue page, for an account linked to a reviewer.
pub struct FeedPanel {
    /// Since when the account has a feed.
    pub since: Option<String>,
    /// The link just made, shown once.
    pub new_url: Option<String>,
}

pub(super) async fn feed_panel(
    editors: &EditorState,
    editor: &Editor,
    base_url: &str,
    new_token: Option<&str>,
) -> Option<FeedPanel> {
    editors.reviewer_of(editor)?;
    let since = editors
        .store
        .reviewer_feed_since(&editor.user)
        .await
        .ok()
        .flatten();
    let mut new_url = None;
    if let Some(token) = new_token
        && editors
            .store
            .reviewer_feed_owner(token)
            .await
            .ok()
            .flatten()
            .as_deref()
            == Some(editor.user.as_str())
    {
        new_url = Some(format!(
            "{}/reviewer-feed/{token}",
            base_url.trim_end_matches('/')
        ));
    }
    Some(FeedPanel {
        since: since.map(super::feedback::time_in_words),
        new_url,
    })
}

/// `POST /editor/articles/{slug}/reviewing`: `start` says the signed-in reviewer is reviewing the
/// article from now (the queue shows it), `stop` that they no longer are.
pub(super) async fn reviewing(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
    slug: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    let reviewer = editors.reviewer_of(&editor).ok_or(EditorError::NotAllowed(
        "Only an account linked to a reviewer can review.",
    ))?;
    if state.snapshot().site.working_article(&slug).is_none() {
        return Err(super::not_found(&state));
    }
    let store = &editors.store;
    match form.action.as_str() {
        "start" => store.claim_review(&slug, &reviewer, now_ms()).await,
        "stop" => store.release_review(&slug, Some(&reviewer)).await,
        _ => return Err(EditorError::BadRequest("Unknown action.".into())),
    }
    .map_err(|_| EditorError::Unavailable)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/editor/articles/{slug}#approval"),
        ))
        .finish())
}

/// Who is reviewing `slug` and since when, in words ("Dr Ada Reviewer, since 2 December 2026,
/// 10:04 UTC"), and whether it is `me`.
pub fn reviewing_label(
    site: &Site,
    claims: &std::collections::BTreeMap<String, (String, i64)>,
    slug: &str,
    me: Option<&str>,
) -> Option<(String, bool)> {
    let (reviewer, since) = claims.get(slug)?;
    Some((
        format!(
            "{}, since {}",
            reviewer_names(site, std::slice::from_ref(reviewer)).join(""),
            super::feedback::time_in_words(*since)
        ),
        me == Some(reviewer.as_str()),
    ))
}

/// The public route of the feeds (a feed reader has no session).
pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviewer-feed/{token}", crate::web::get().to(feed));
}
