//! Reader feedback for editors: the helpful share per wording on the dashboard, and under each
//! article its comments (newest first) to mark handled or delete, and a CSV export.

use super::views::{CommentView, FeedbackStat, Share};
use super::{Editor, EditorError, EditorState};
use crate::content::Site;
use crate::store::{DAY_MS, Store, Tally, now_ms};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use std::collections::HashMap;

/// Answers per (article, wording) over the last 30 and 90 days, or why they cannot be shown.
pub(super) struct Tallies {
    last30: HashMap<(String, String), Tally>,
    last90: HashMap<(String, String), Tally>,
}

impl Tallies {
    pub(super) async fn load(store: &Store) -> Result<Self, String> {
        let now = now_ms();
        let by_wording = |tallies: Vec<Tally>| {
            tallies
                .into_iter()
                .map(|t| ((t.slug.clone(), t.audience.clone()), t))
                .collect()
        };
        let last30 = store.tallies(now - 30 * DAY_MS).await;
        let last90 = store.tallies(now - 90 * DAY_MS).await;
        match (last30, last90) {
            (Ok(a), Ok(b)) => Ok(Tallies {
                last30: by_wording(a),
                last90: by_wording(b),
            }),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!("feedback figures not shown: {e}");
                Err("Reader feedback cannot be shown: the database cannot be reached.".into())
            }
        }
    }

    /// One line per audience of the site that has answers for article `slug`.
    pub(super) fn of(&self, site: &Site, slug: &str) -> Vec<FeedbackStat> {
        site.config
            .audiences
            .iter()
            .filter_map(|a| {
                let key = (slug.to_string(), a.id.clone());
                let last90 = self.last90.get(&key)?;
                Some(FeedbackStat {
                    label: a.label.clone(),
                    last30: Share::of(self.last30.get(&key)),
                    last90: Share::of(Some(last90)),
                })
            })
            .collect()
    }
}

/// The comments on `slug`, as the article page shows them, or why they cannot be shown.
pub(super) async fn comments(
    store: &Store,
    site: &Site,
    slug: &str,
) -> Result<Vec<CommentView>, String> {
    match store.comments(slug).await {
        Ok(comments) => Ok(comments
            .into_iter()
            .map(|c| CommentView::of(site, c))
            .collect()),
        Err(e) => {
            tracing::warn!("comments not shown: {e}");
            Err("Reader comments cannot be shown: the database cannot be reached. The preview still works.".into())
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ChangeForm {
    #[serde(default)]
    csrf: String,
    /// For "handled": `1` to mark it handled, `0` to mark it open again.
    #[serde(default)]
    handled: Option<String>,
}

/// An answer's id as the store makes them: 32 lower-case hex digits.
fn is_feedback_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn back_to(slug: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/editor/articles/{slug}#feedback"),
        ))
        .finish()
}

/// The article slug and comment id of a comment's address, checked.
fn comment_of(path: web::Path<(String, String)>) -> Result<(String, String), EditorError> {
    let (slug, id) = path.into_inner();
    if !crate::content::is_slug(&slug) || !is_feedback_id(&id) {
        return Err(EditorError::BadRequest("No such comment.".into()));
    }
    Ok((slug, id))
}

/// `POST /editor/articles/{slug}/feedback/{id}/handled`: marks a comment handled (or open again).
pub(super) async fn mark_handled(
    editors: web::Data<EditorState>,
    editor: Editor,
    path: web::Path<(String, String)>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    let (slug, id) = comment_of(path)?;
    let handled = match form.handled.as_deref() {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(EditorError::BadRequest("`handled` must be 1 or 0.".into())),
    };
    match editors.store.set_handled(&slug, &id, handled).await {
        Ok(true) => Ok(back_to(&slug)),
        Ok(false) => Err(EditorError::BadRequest(
            "No such comment: it may have been deleted.".into(),
        )),
        Err(e) => {
            tracing::warn!("comment not marked: {e}");
            Err(EditorError::Unavailable)
        }
    }
}

/// `POST /editor/articles/{slug}/feedback/{id}/delete`: deletes an answer and its comment at once.
pub(super) async fn delete(
    editors: web::Data<EditorState>,
    editor: Editor,
    path: web::Path<(String, String)>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, EditorError> {
    editor.check_csrf(&form.csrf)?;
    let (slug, id) = comment_of(path)?;
    match editors.store.delete_feedback(&slug, &id).await {
        // Already gone (deleted by another editor, or by retention) is what was asked.
        Ok(_) => Ok(back_to(&slug)),
        Err(e) => {
            tracing::warn!("comment not deleted: {e}");
            Err(EditorError::Unavailable)
        }
    }
}

/// `GET /editor/articles/{slug}/feedback.csv`: the comments on one article, newest first.
pub(super) async fn export_csv(
    editors: web::Data<EditorState>,
    _editor: Editor,
    slug: web::Path<String>,
) -> Result<HttpResponse, EditorError> {
    if !crate::content::is_slug(&slug) {
        return Err(EditorError::BadRequest("No such article.".into()));
    }
    let comments = editors.store.comments(&slug).await.map_err(|e| {
        tracing::warn!("comments not exported: {e}");
        EditorError::Unavailable
    })?;
    let mut csv = String::from("sent_utc,wording,helpful,handled,comment\r\n");
    for c in comments {
        let row = [
            iso_time(c.created_ms),
            c.audience,
            if c.helpful { "yes" } else { "no" }.to_string(),
            if c.handled { "yes" } else { "no" }.to_string(),
            c.comment,
        ];
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"feedback-{slug}.csv\""),
        ))
        .body(csv))
}

/// One CSV cell, always quoted. A cell that a spreadsheet would read as a formula (starting with
/// `=`, `+`, `-`, `@`, their fullwidth forms `＝` `＋` `－` `＠`, a tab or a carriage return, also
/// after invisible characters a spreadsheet may drop: zero-width spaces and joiners, U+2060,
/// a byte-order mark, spaces) gets a leading `'`, so it stays text.
pub fn csv_cell(text: &str) -> String {
    let visible = text.trim_start_matches([
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', ' ', '\u{A0}',
    ]);
    let risky = [
        '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ];
    let guarded = if visible.starts_with(risky) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// `2026-11-27T17:02:03Z`.
pub fn iso_time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// `27 November 2026, 17:02 UTC`.
pub fn time_in_words(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[day padding:none] [month repr:long] [year], [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_kept_as_text() {
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky}");
        }
        assert_eq!(csv_cell("a,b\nc"), "\"a,b\nc\"");
    }

    #[test]
    fn fullwidth_and_invisible_prefixed_formulas_are_kept_as_text() {
        for risky in [
            "＝HYPERLINK(\"x\")",
            "＋1",
            "－1",
            "＠SUM(A1)",
            "\u{200B}=1+1",
            "\u{200C}=1",
            "\u{200D}+1",
            "\u{FEFF}=1",
            "\u{2060}@x",
            "\u{200B}\u{FEFF}＝1",
            " =1",
        ] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky:?}");
        }
        assert_eq!(csv_cell("\u{200B}plain"), "\"\u{200B}plain\"");
    }

    #[test]
    fn times_and_ids() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            time_in_words(86_400_000 + 61_000),
            "2 January 1970, 00:01 UTC"
        );
        assert!(is_feedback_id(&"a1".repeat(16)));
        assert!(!is_feedback_id("A1"));
        assert!(!is_feedback_id(&"g".repeat(32)));
    }
}
