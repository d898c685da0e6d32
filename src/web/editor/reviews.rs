//! The review queue: every article waiting for a review, with who is asked and by when, overdue
//! ones first; `?reviewer=ID` shows one reviewer's (by default the signed-in editor's: the reviewer
//! their account is linked to in the editors file, or whose id is their name), `?reviewer=`
//! everyone's. A reviewer's queue also holds every article awaiting a second reviewer that they did
//! not approve first.

use super::views::{ReviewRow, ReviewsPage};
use super::{Editor, EditorError, EditorState, editor_layout, html_page};
use crate::content::{Date, review_queue};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ReviewsQuery {
    #[serde(default)]
    reviewer: Option<String>,
    /// A feed link just made, to show once.
    #[serde(default)]
    feed: Option<String>,
}

pub(super) async fn reviews(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
    query: web::Query<ReviewsQuery>,
) -> Result<HttpResponse, EditorError> {
    let snapshot = state.snapshot();
    let site = &snapshot.site;
    let today = Date::today();
    let linked = editors.reviewer_of(&editor);
    let own = linked
        .as_deref()
        .filter(|id| site.reviewers.contains_key(*id))
        .or_else(|| {
            site.reviewers
                .contains_key(&editor.user)
                .then_some(editor.user.as_str())
        });
    let asked = match &query.reviewer {
        Some(id) => id.trim().to_string(),
        None => own.unwrap_or_default().to_string(),
    };
    let (selected, unknown) = if asked.is_empty() || site.reviewers.contains_key(&asked) {
        (asked, None)
    } else {
        (String::new(), Some(asked))
    };
    let claims = editors.store.review_claims().await.unwrap_or_default();
    let feed = super::reminders::feed_panel(
        &editors,
        &editor,
        &site.config.base_url,
        query.feed.as_deref(),
    )
    .await;
    let rows = review_queue(site, today)
        .iter()
        .filter(|entry| selected.is_empty() || super::reminders::is_for(site, entry, &selected))
        .map(|entry| {
            let mut row = ReviewRow::of(site, entry);
            row.reviewing = super::reminders::reviewing_label(site, &claims, &row.slug, None)
                .map(|(label, _)| label);
            row
        })
        .collect();
    let reviewers: Vec<(String, String)> = site
        .reviewers
        .iter()
        .map(|(id, r)| (id.clone(), format!("{} ({id})", r.name)))
        .collect();
    let selected_label = reviewers
        .iter()
        .find(|(id, _)| *id == selected)
        .map(|(_, label)| label.clone());
    let status = if unknown.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    html_page(
        &ReviewsPage {
            layout: editor_layout(&state, "Review queue"),
            editor: editor.bar("reviews"),
            rows,
            reviewers,
            selected,
            selected_label,
            unknown,
            today: today.in_words(),
            feed,
        },
        status,
    )
}
