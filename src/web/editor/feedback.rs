//! Reader feedback for editors: the helpful share per wording on the dashboard, and under each
//! article its comments (newest first, [`COMMENTS_PER_PAGE`] a page) to mark handled or delete, and
//! a CSV export of all of them, streamed a batch at a time.

use super::views::{CommentView, CommentsPage, FeedbackStat, Share};
use super::{Editor, EditorError, EditorState};
use crate::content::Site;
use crate::store::{Comment, DAY_MS, Store, Tally, now_ms};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use std::collections::HashMap;

/// Comments shown on one page of an article's editor view.
pub const COMMENTS_PER_PAGE: u64 = 50;

/// Comments read from the database per batch of the CSV export: the most it holds at once.
const CSV_BATCH: i64 = 500;

/// The CSV export's first line.
const CSV_HEADER: &str = "sent_utc,wording,helpful,handled,comment\r\n";

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

/// `?page=N` on an article's editor view: which page of its comments.
#[derive(Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    page: Option<String>,
    /// A fact-check link just made, to show once (see [`super::fact_check`]).
    #[serde(default)]
    pub(super) fact_check: Option<String>,
}

impl PageQuery {
    /// The page asked for (1 when none is); anything but a whole number from 1 is a 400. A page
    /// past the last is shown as the last (see [`comments`]).
    pub(super) fn number(&self) -> Result<u64, EditorError> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(text) => page_number(text).ok_or_else(|| {
                EditorError::BadRequest(format!(
                    "No such page of comments: {text:?}. Pages are numbered from 1, as in ?page=2."
                ))
            }),
        }
    }
}

/// A page number: digits only, from 1.
fn page_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n >= 1)
}

/// Page `page` of the comments on `slug` (the last page when `page` is past it), as the article
/// page shows them, or why they cannot be shown.
pub(super) async fn comments(
    store: &Store,
    site: &Site,
    slug: &str,
    page: u64,
) -> Result<CommentsPage, String> {
    let unavailable = |e: crate::store::StoreError| {
        tracing::warn!("comments not shown: {e}");
        "Reader comments cannot be shown: the database cannot be reached. The preview still works."
            .to_string()
    };
    let total = u64::try_from(store.count_comments(slug).await.map_err(unavailable)?).unwrap_or(0);
    let pages = total.div_ceil(COMMENTS_PER_PAGE).max(1);
    let page = page.min(pages);
    let offset = (page - 1) * COMMENTS_PER_PAGE;
    let shown = store
        .comments_page(slug, offset as i64, COMMENTS_PER_PAGE as i64)
        .await
        .map_err(unavailable)?;
    Ok(CommentsPage::new(
        slug,
        shown
            .into_iter()
            .map(|c| CommentView::of(site, c))
            .collect(),
        total,
        offset,
        page,
        pages,
    ))
}

#[derive(Deserialize)]
pub(super) struct ChangeForm {
    #[serde(default)]
    csrf: String,
    /// For "handled": `1` to mark it handled, `0` to mark it open again.
    #[serde(default)]
    handled: Option<String>,
    /// The page of comments the form was on, to go back to.
    #[serde(default)]
    page: Option<String>,
}

impl ChangeForm {
    fn back_to(&self, slug: &str) -> HttpResponse {
        back_to(slug, self.page.as_deref().and_then(page_number))
    }
}

/// An answer's id as the store makes them: 32 lower-case hex digits.
fn is_feedback_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// To the article's comments again, on page `page` if it is past the first.
fn back_to(slug: &str, page: Option<u64>) -> HttpResponse {
    let location = match page {
        Some(page) if page > 1 => format!("/editor/articles/{slug}?page={page}#feedback"),
        _ => format!("/editor/articles/{slug}#feedback"),
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
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
        Ok(true) => Ok(form.back_to(&slug)),
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
        Ok(_) => Ok(form.back_to(&slug)),
        Err(e) => {
            tracing::warn!("comment not deleted: {e}");
            Err(EditorError::Unavailable)
        }
    }
}

/// `GET /editor/articles/{slug}/feedback.csv`: every comment on one article, newest first. The
/// body is streamed: [`CSV_BATCH`] comments are read at a time, each batch after the one before
/// was written, so an article with many comments costs one batch of memory, not the whole file.
/// The first batch is read before answering, so a database that cannot be reached is a 503; one
/// that fails later cuts the download short (the client sees it did not end).
pub(super) async fn export_csv(
    editors: web::Data<EditorState>,
    _editor: Editor,
    slug: web::Path<String>,
) -> Result<HttpResponse, EditorError> {
    let slug = slug.into_inner();
    if !crate::content::is_slug(&slug) {
        return Err(EditorError::BadRequest("No such article.".into()));
    }
    let first = editors
        .store
        .comments_after(&slug, None, CSV_BATCH)
        .await
        .map_err(|e| {
            tracing::warn!("comments not exported: {e}");
            EditorError::Unavailable
        })?;
    let disposition = format!("attachment; filename=\"feedback-{slug}.csv\"");
    let walk = CsvWalk {
        store: editors.store.clone(),
        slug,
        batch: first,
        header: true,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .streaming(futures_util::stream::unfold(Some(walk), CsvWalk::next)))
}

/// Where the CSV export is: the header to write, then one batch of comments after another.
struct CsvWalk {
    store: Store,
    slug: String,
    /// The comments to write next; fewer than [`CSV_BATCH`] means they are the last.
    batch: Vec<Comment>,
    header: bool,
}

impl CsvWalk {
    /// The next piece of the file, and what comes after it (`None`: the file is done).
    async fn next(
        walk: Option<CsvWalk>,
    ) -> Option<(Result<bytes::Bytes, std::io::Error>, Option<CsvWalk>)> {
        let mut walk = walk?;
        if walk.header {
            walk.header = false;
            return Some((
                Ok(bytes::Bytes::from_static(CSV_HEADER.as_bytes())),
                Some(walk),
            ));
        }
        if walk.batch.is_empty() {
            return None;
        }
        let text = csv_rows(&walk.batch);
        if walk.batch.len() < CSV_BATCH as usize {
            return Some((Ok(text.into()), None));
        }
        let after = walk.batch.last().map(|c| (c.created_ms, c.id.clone()));
        let after = after.as_ref().map(|(ms, id)| (*ms, id.as_str()));
        match walk
            .store
            .comments_after(&walk.slug, after, CSV_BATCH)
            .await
        {
            Ok(next) => {
                walk.batch = next;
                Some((Ok(text.into()), Some(walk)))
            }
            Err(e) => {
                tracing::warn!("comments export cut short: {e}");
                Some((Err(std::io::Error::other(e.to_string())), None))
            }
        }
    }
}

/// CSV lines for `comments`, each cell through [`csv_cell`].
fn csv_rows(comments: &[Comment]) -> String {
    let mut csv = String::new();
    for c in comments {
        let row = [
            iso_time(c.created_ms),
            c.audience.clone(),
            if c.helpful { "yes" } else { "no" }.to_string(),
            if c.handled { "yes" } else { "no" }.to_string(),
            c.comment.clone(),
        ];
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
    }
    csv
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

    #[test]
    fn page_numbers() {
        assert_eq!(page_number("1"), Some(1));
        assert_eq!(page_number("0042"), Some(42));
        for bad in [
            "",
            "0",
            "-1",
            "+2",
            "1.5",
            "abc",
            " 2",
            "99999999999999999999999",
        ] {
            assert_eq!(page_number(bad), None, "{bad:?}");
        }
        use super::super::views::thousands;
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
