//! The review queue: every article waiting for a review, with who is asked and by when, overdue
//! ones first; `?reviewer=ID` shows one reviewer's (by default the signed-in editor's: the reviewer
//! their account is linked to in the editors file, or whose id is their name), `?reviewer=`
//! everyone's. A reviewer's queue also holds every article awaiting a second reviewer that they did
//! not approve first.

use super::auth::EditorAccess;
use super::views::{ReviewRow, ReviewsPage};
use super::{Editor, EditorError, EditorState, editor_layout, html_page};
use crate::content::{Date, QueueEntry, Waiting, review_queue};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ReviewsQuery {
    #[serde(default)]
    reviewer: Option<String>,
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
    let linked = match &editors.access {
        EditorAccess::Accounts(accounts) if editor.accounts => accounts.reviewer_of(&editor.user),
        _ => None,
    };
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
    let rows = review_queue(site, today)
        .iter()
        .filter(|entry| {
            selected.is_empty()
                || entry.article.review.assigned_to.contains(&selected)
                || waits_for_another(site, entry, &selected)
        })
        .map(|entry| ReviewRow::of(site, entry))
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
        },
        status,
    )
}

/// An article awaiting a second reviewer is in the queue of every reviewer but the first.
fn waits_for_another(site: &crate::content::Site, entry: &QueueEntry<'_>, reviewer: &str) -> bool {
    matches!(entry.waiting, Waiting::AwaitingSecondReviewer(_))
        && site
            .records
            .get(&entry.article.slug)
            .and_then(|r| r.first.as_ref())
            .is_some_and(|f| !f.reviewers.iter().any(|id| id == reviewer))
}
