//! Reader feedback: one row per answer to "Was this page helpful?", with the optional comment.

use super::{Store, StoreError, random_hex};
use sqlx::Row;

/// An answer as a reader sent it, already checked by the web layer.
pub struct NewFeedback<'a> {
    pub slug: &'a str,
    pub audience: &'a str,
    pub helpful: bool,
    /// Empty when the reader wrote nothing.
    pub comment: &'a str,
    pub at_ms: i64,
}

/// Answers for one wording since a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub slug: String,
    pub audience: String,
    pub helpful: i64,
    pub total: i64,
}

/// A comment as editors see it.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: String,
    pub audience: String,
    pub helpful: bool,
    pub comment: String,
    pub created_ms: i64,
    pub handled: bool,
}

impl Store {
    /// Saves one answer; returns its id.
    pub async fn save_feedback(&self, f: &NewFeedback<'_>) -> Result<String, StoreError> {
        let id = random_hex(16);
        self.run(
            sqlx::query(
                "INSERT INTO feedback (id, slug, audience, helpful, comment, created_ms, handled) \
             VALUES ($1, $2, $3, $4, $5, $6, 0)",
            )
            .bind(&id)
            .bind(f.slug)
            .bind(f.audience)
            .bind(i64::from(f.helpful))
            .bind(f.comment)
            .bind(f.at_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(id)
    }

    /// Answers per article and wording since `since_ms`.
    pub async fn tallies(&self, since_ms: i64) -> Result<Vec<Tally>, StoreError> {
        let rows = self.run(sqlx::query(
            "SELECT slug, audience, COUNT(CASE WHEN helpful = 1 THEN 1 END) AS helpful, COUNT(*) AS total \
             FROM feedback WHERE created_ms >= $1 GROUP BY slug, audience ORDER BY slug, audience",
        )
        .bind(since_ms)
        .fetch_all(&self.pool)
        ).await?;
        rows.iter()
            .map(|row| {
                Ok(Tally {
                    slug: row.try_get("slug")?,
                    audience: row.try_get("audience")?,
                    helpful: row.try_get("helpful")?,
                    total: row.try_get("total")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Every comment on article `slug` (answers with text), newest first. For tools and tests: the
    /// editor area pages through them ([`Store::comments_page`], [`Store::comments_after`]).
    pub async fn comments(&self, slug: &str) -> Result<Vec<Comment>, StoreError> {
        let rows = self
            .run(
                sqlx::query(
                    "SELECT id, audience, helpful, comment, created_ms, handled FROM feedback \
             WHERE slug = $1 AND comment <> '' ORDER BY created_ms DESC, id",
                )
                .bind(slug)
                .fetch_all(&self.pool),
            )
            .await?;
        comments_of(&rows)
    }

    /// How many comments article `slug` has.
    pub async fn count_comments(&self, slug: &str) -> Result<i64, StoreError> {
        self.run(
            sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE slug = $1 AND comment <> ''")
                .bind(slug)
                .fetch_one(&self.pool),
        )
        .await
    }

    /// At most `limit` comments on `slug`, newest first, after skipping the `offset` newest.
    pub async fn comments_page(
        &self,
        slug: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError> {
        let rows = self
            .run(
                sqlx::query(
                    "SELECT id, audience, helpful, comment, created_ms, handled FROM feedback \
                     WHERE slug = $1 AND comment <> '' ORDER BY created_ms DESC, id \
                     LIMIT $2 OFFSET $3",
                )
                .bind(slug)
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool),
            )
            .await?;
        comments_of(&rows)
    }

    /// At most `limit` comments on `slug` in the order of [`Store::comments`], starting after the
    /// comment sent at `after.0` with id `after.1` (from the newest when `None`): one batch of a
    /// walk through every comment that holds only a batch at a time, and is not thrown off by
    /// comments sent or deleted meanwhile.
    pub async fn comments_after(
        &self,
        slug: &str,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<Comment>, StoreError> {
        let (created_ms, id) = after.unwrap_or((i64::MAX, ""));
        let rows = self
            .run(
                sqlx::query(
                    "SELECT id, audience, helpful, comment, created_ms, handled FROM feedback \
                     WHERE slug = $1 AND comment <> '' \
                       AND (created_ms < $2 OR (created_ms = $2 AND id > $3)) \
                     ORDER BY created_ms DESC, id LIMIT $4",
                )
                .bind(slug)
                .bind(created_ms)
                .bind(id)
                .bind(limit)
                .fetch_all(&self.pool),
            )
            .await?;
        comments_of(&rows)
    }

    /// Every answer to article `slug` (or every article), for counting in tests and tools.
    pub async fn count_feedback(&self, slug: Option<&str>) -> Result<i64, StoreError> {
        let count = match slug {
            Some(slug) => {
                self.run(
                    sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE slug = $1")
                        .bind(slug)
                        .fetch_one(&self.pool),
                )
                .await?
            }
            None => {
                self.run(sqlx::query_scalar("SELECT COUNT(*) FROM feedback").fetch_one(&self.pool))
                    .await?
            }
        };
        Ok(count)
    }

    /// Marks a comment on `slug` handled (or not); false when there is no such comment.
    pub async fn set_handled(
        &self,
        slug: &str,
        id: &str,
        handled: bool,
    ) -> Result<bool, StoreError> {
        let done = self
            .run(
                sqlx::query("UPDATE feedback SET handled = $1 WHERE slug = $2 AND id = $3")
                    .bind(i64::from(handled))
                    .bind(slug)
                    .bind(id)
                    .execute(&self.pool),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes an answer to `slug` at once; false when there is no such answer.
    pub async fn delete_feedback(&self, slug: &str, id: &str) -> Result<bool, StoreError> {
        let done = self
            .run(
                sqlx::query("DELETE FROM feedback WHERE slug = $1 AND id = $2")
                    .bind(slug)
                    .bind(id)
                    .execute(&self.pool),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

fn comments_of(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Comment>, StoreError> {
    rows.iter()
        .map(|row| {
            Ok(Comment {
                id: row.try_get("id")?,
                audience: row.try_get("audience")?,
                helpful: row.try_get::<i64, _>("helpful")? == 1,
                comment: row.try_get("comment")?,
                created_ms: row.try_get("created_ms")?,
                handled: row.try_get::<i64, _>("handled")? == 1,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}
