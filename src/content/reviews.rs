//! The review queue: every article waiting for a review (submitted, under review, or approved but
//! past its `next_review`), with the reviewers asked and the date it is due, overdue ones first.

use super::{Article, Date, ReviewStatus, Site};

/// Why an article is in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Submitted or under review.
    Pending(ReviewStatus),
    /// Approved, but its `next_review` date (given) has passed.
    ReviewDue(Date),
}

/// One article in the review queue.
#[derive(Debug, Clone)]
pub struct QueueEntry<'a> {
    pub article: &'a Article,
    pub waiting: Waiting,
    /// `[review]`'s `due`; for an approved article past its review date, that date when no `due`
    /// is given.
    pub due: Option<Date>,
    /// Due before `today`.
    pub overdue: bool,
}

/// The articles of `site` waiting for a review on `today`: overdue ones first (longest overdue
/// first), then by due date, then those without a due date; by title within each. Drafts and
/// approved articles not yet due for review are left out.
pub fn review_queue(site: &Site, today: Date) -> Vec<QueueEntry<'_>> {
    let mut queue: Vec<QueueEntry<'_>> = site
        .articles
        .values()
        .filter_map(|article| {
            let review = &article.review;
            let waiting = match review.status {
                ReviewStatus::Draft => return None,
                ReviewStatus::Submitted | ReviewStatus::UnderReview => {
                    Waiting::Pending(review.status)
                }
                ReviewStatus::Approved => match review.next_review {
                    Some(next) if next < today => Waiting::ReviewDue(next),
                    _ => return None,
                },
            };
            let due = match waiting {
                Waiting::ReviewDue(next) => Some(review.due.unwrap_or(next)),
                Waiting::Pending(_) => review.due,
            };
            Some(QueueEntry {
                article,
                waiting,
                due,
                overdue: due.is_some_and(|d| d < today),
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
