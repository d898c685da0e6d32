//! The review queue: every article waiting for a review (submitted, under review, approved but
//! changed since its approval, approved but past its `next_review`, or approved by a first reviewer
//! and waiting for a second), with the reviewers asked and
//! the date it is due, overdue ones first. Read from the working files, as editors see them.

use super::{Article, Date, ReviewStatus, Site};

/// Why an article is in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Submitted or under review.
    Pending(ReviewStatus),
    /// Approved, but its working files are no longer the text approved (on this date, if any).
    ChangedSinceApproval(Option<Date>),
    /// Approved, but its `next_review` date (given) has passed.
    ReviewDue(Date),
    /// Approved by a first reviewer (on this date), waiting for a second one.
    AwaitingSecondReviewer(Date),
    /// Approved and unchanged, but a translation follows an earlier source text: the source was
    /// approved again with changes (on this date, when known). [`QueueEntry::languages`] says which.
    TranslationOutOfDate(Option<Date>),
}

/// One article in the review queue.
#[derive(Debug, Clone)]
pub struct QueueEntry<'a> {
    /// The article as its working files say.
    pub article: &'a Article,
    pub waiting: Waiting,
    /// `[review]`'s `due`; for an approved article past its review date, that date when no `due`
    /// is given.
    pub due: Option<Date>,
    /// Due before `today`.
    pub overdue: bool,
    /// The languages whose translations are out of date ([`Waiting::TranslationOutOfDate`]).
    pub languages: Vec<String>,
}

/// The articles of `site` waiting for a review on `today`: overdue ones first (longest overdue
/// first), then by due date, then those without a due date; by title within each. Drafts, and
/// approved articles that are unchanged and not yet due for review, are left out. Working files that
/// match their approved copy count as approved, whatever their `status` says.
pub fn review_queue(site: &Site, today: Date) -> Vec<QueueEntry<'_>> {
    let slugs: std::collections::BTreeSet<&String> =
        site.articles.keys().chain(site.working.keys()).collect();
    let mut queue: Vec<QueueEntry<'_>> = slugs
        .into_iter()
        .filter_map(|slug| {
            let article = &**site.working_article(slug)?;
            let review = &article.review;
            let state = site.records.get(slug);
            if let Some(first) = state.and_then(|r| r.first.as_ref()) {
                return Some(QueueEntry {
                    article,
                    waiting: Waiting::AwaitingSecondReviewer(first.date),
                    due: review.due,
                    overdue: review.due.is_some_and(|d| d < today),
                    languages: Vec::new(),
                });
            }
            // Approved and waiting for its publishing time: nothing to review.
            if state.is_some_and(|r| r.scheduled_current().is_some()) {
                return None;
            }
            let record = state.filter(|r| r.record.withdrawn.is_none());
            let changed = record.is_some_and(|r| r.changed_since_approval());
            let status = if record.is_some() && !changed {
                ReviewStatus::Approved
            } else {
                review.status
            };
            let waiting = match status {
                ReviewStatus::Draft => return None,
                ReviewStatus::Submitted | ReviewStatus::UnderReview => Waiting::Pending(status),
                ReviewStatus::Approved if changed => Waiting::ChangedSinceApproval(
                    record.and_then(|r| r.record.latest()).map(|a| a.date),
                ),
                ReviewStatus::Approved => match review.next_review {
                    Some(next) if next < today => Waiting::ReviewDue(next),
                    _ => match out_of_date(article) {
                        Some(updated) => Waiting::TranslationOutOfDate(updated),
                        None => return None,
                    },
                },
            };
            let due = match waiting {
                Waiting::ReviewDue(next) => Some(review.due.unwrap_or(next)),
                _ => review.due,
            };
            Some(QueueEntry {
                article,
                waiting,
                due,
                overdue: due.is_some_and(|d| d < today),
                languages: out_of_date_languages(article),
            })
        })
        .collect();
    queue.sort_by(|a, b| {
        (
            !a.overdue,
            a.due.is_none(),
            a.due,
            &a.article.title,
            &a.article.slug,
        )
            .cmp(&(
                !b.overdue,
                b.due.is_none(),
                b.due,
                &b.article.title,
                &b.article.slug,
            ))
    });
    queue
}

/// The languages whose translations of `article` follow an earlier source text.
fn out_of_date_languages(article: &Article) -> Vec<String> {
    let mut languages: Vec<String> = Vec::new();
    for t in &article.translations {
        if matches!(t.state, super::TranslationState::OutOfDate { .. })
            && !languages.contains(&t.wording.lang)
        {
            languages.push(t.wording.lang.clone());
        }
    }
    languages
}

/// When some translation of `article` is out of date: `Some` of the date its source changed.
fn out_of_date(article: &Article) -> Option<Option<Date>> {
    article
        .translations
        .iter()
        .filter_map(|t| match t.state {
            super::TranslationState::OutOfDate { updated, .. } => Some(updated),
            _ => None,
        })
        .max()
}
