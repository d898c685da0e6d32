//! Fact-check links and their comments, reviewers' private feeds, and who is reviewing what, in
//! the database every replica shares.
//!
//! A fact-check link is `/fact-check/{id}.{signature}`: `id` is random, and the signature an HMAC
//! (under the client key, [`Store::hash`]) of the id, the article and the expiry, so a link cannot
//! be guessed or altered to reach another article, and the database alone cannot forge one.

use super::{Store, StoreError, hex, random_hex};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A fact-check link as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactCheckLink {
    pub id: String,
    pub slug: String,
    pub created_by: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub revoked_ms: Option<i64>,
    pub uses: i64,
    pub last_used_ms: Option<i64>,
}

/// What a link's token gives at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// A link that works: the article it shows.
    Open(FactCheckLink),
    /// A real link, expired or revoked.
    Gone(FactCheckLink),
    /// No such link (unknown id, or a signature that does not match).
    Unknown,
}

/// A fact checker's comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactCheckComment {
    pub name: String,
    pub comment: String,
    pub created_ms: i64,
    /// The link it came through.
    pub link_id: String,
}

fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

impl Store {
    fn link_signature(&self, id: &str, slug: &str, expires_ms: i64) -> String {
        self.hash(&["fact-check", id, slug, &expires_ms.to_string()])
    }

    /// The token of `link`, for its URL: `{id}.{signature}`.
    pub fn fact_check_token(&self, link: &FactCheckLink) -> String {
        format!(
            "{}.{}",
            link.id,
            self.link_signature(&link.id, &link.slug, link.expires_ms)
        )
    }

    /// Makes a link to `slug` for `days` days, by `created_by`.
    pub async fn create_fact_check_link(
        &self,
        slug: &str,
        created_by: &str,
        days: u32,
        now_ms: i64,
    ) -> Result<FactCheckLink, StoreError> {
        let link = FactCheckLink {
            id: random_hex(16),
            slug: slug.to_string(),
            created_by: created_by.to_string(),
            created_ms: now_ms,
            expires_ms: now_ms + i64::from(days) * super::DAY_MS,
            revoked_ms: None,
            uses: 0,
            last_used_ms: None,
        };
        self.run(
            sqlx::query(
                "INSERT INTO fact_check_links (id, slug, created_by, created_ms, expires_ms, uses) \
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(&link.id)
            .bind(&link.slug)
            .bind(&link.created_by)
            .bind(link.created_ms)
            .bind(link.expires_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(link)
    }

    async fn fact_check_link(&self, id: &str) -> Result<Option<FactCheckLink>, StoreError> {
        let row = self
            .run(
                sqlx::query(
                    "SELECT id, slug, created_by, created_ms, expires_ms, revoked_ms, uses, last_used_ms \
                     FROM fact_check_links WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool),
            )
            .await?;
        row.map(|r| link_of(&r))
            .transpose()
            .map_err(StoreError::from)
    }

    /// What `token` gives at `now_ms`, without counting a use.
    pub async fn fact_check_state(
        &self,
        token: &str,
        now_ms: i64,
    ) -> Result<LinkState, StoreError> {
        let Some((id, signature)) = token.split_once('.') else {
            return Ok(LinkState::Unknown);
        };
        let plausible = |s: &str, len: usize| {
            s.len() == len
                && s.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        };
        if !plausible(id, 32) || !plausible(signature, 64) {
            return Ok(LinkState::Unknown);
        }
        let Some(link) = self.fact_check_link(id).await? else {
            return Ok(LinkState::Unknown);
        };
        let expected = self.link_signature(&link.id, &link.slug, link.expires_ms);
        let same = expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Ok(LinkState::Unknown);
        }
        if link.revoked_ms.is_some() || link.expires_ms <= now_ms {
            return Ok(LinkState::Gone(link));
        }
        Ok(LinkState::Open(link))
    }

    /// Counts a use of the link `id` at `now_ms`.
    pub async fn count_fact_check_use(&self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        self.run(
            sqlx::query(
                "UPDATE fact_check_links SET uses = uses + 1, last_used_ms = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(now_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(())
    }

    /// Revokes the link `id` of `slug`; whether there was such a link still open.
    pub async fn revoke_fact_check_link(
        &self,
        slug: &str,
        id: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = self
            .run(
                sqlx::query(
                    "UPDATE fact_check_links SET revoked_ms = $3 \
                     WHERE id = $1 AND slug = $2 AND revoked_ms IS NULL",
                )
                .bind(id)
                .bind(slug)
                .bind(now_ms)
                .execute(&self.pool),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The links made for `slug`, newest first (at most 50).
    pub async fn fact_check_links(&self, slug: &str) -> Result<Vec<FactCheckLink>, StoreError> {
        let rows = self
            .run(
                sqlx::query(
                    "SELECT id, slug, created_by, created_ms, expires_ms, revoked_ms, uses, last_used_ms \
                     FROM fact_check_links WHERE slug = $1 ORDER BY created_ms DESC, id LIMIT 50",
                )
                .bind(slug)
                .fetch_all(&self.pool),
            )
            .await?;
        rows.iter()
            .map(link_of)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Saves a fact checker's comment on the article of `link`.
    pub async fn save_fact_check_comment(
        &self,
        link: &FactCheckLink,
        name: &str,
        comment: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.run(
            sqlx::query(
                "INSERT INTO fact_check_comments (id, link_id, slug, name, comment, created_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(random_hex(16))
            .bind(&link.id)
            .bind(&link.slug)
            .bind(name)
            .bind(comment)
            .bind(now_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(())
    }

    /// The fact checkers' comments on `slug`, newest first (at most 100).
    pub async fn fact_check_comments(
        &self,
        slug: &str,
    ) -> Result<Vec<FactCheckComment>, StoreError> {
        let rows = self
            .run(
                sqlx::query(
                    "SELECT link_id, name, comment, created_ms FROM fact_check_comments \
                     WHERE slug = $1 ORDER BY created_ms DESC, id LIMIT 100",
                )
                .bind(slug)
                .fetch_all(&self.pool),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(FactCheckComment {
                    link_id: r.try_get("link_id")?,
                    name: r.try_get("name")?,
                    comment: r.try_get("comment")?,
                    created_ms: r.try_get("created_ms")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Makes a new private feed token for the editor account `editor`, replacing (and so revoking)
    /// any earlier one. Only its hash is stored.
    pub async fn new_reviewer_feed(&self, editor: &str, now_ms: i64) -> Result<String, StoreError> {
        let token = random_hex(32);
        self.run(
            sqlx::query("DELETE FROM reviewer_feeds WHERE editor = $1")
                .bind(editor)
                .execute(&self.pool),
        )
        .await?;
        self.run(
            sqlx::query(
                "INSERT INTO reviewer_feeds (editor, token_hash, created_ms) VALUES ($1, $2, $3)",
            )
            .bind(editor)
            .bind(sha256_hex(&token))
            .bind(now_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(token)
    }

    /// Revokes the private feed of `editor`; whether there was one.
    pub async fn revoke_reviewer_feed(&self, editor: &str) -> Result<bool, StoreError> {
        let done = self
            .run(
                sqlx::query("DELETE FROM reviewer_feeds WHERE editor = $1")
                    .bind(editor)
                    .execute(&self.pool),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Since when `editor` has a private feed, if they have one.
    pub async fn reviewer_feed_since(&self, editor: &str) -> Result<Option<i64>, StoreError> {
        let row = self
            .run(
                sqlx::query_scalar::<_, i64>(
                    "SELECT created_ms FROM reviewer_feeds WHERE editor = $1",
                )
                .bind(editor)
                .fetch_optional(&self.pool),
            )
            .await?;
        Ok(row)
    }

    /// The editor account whose private feed `token` is.
    pub async fn reviewer_feed_owner(&self, token: &str) -> Result<Option<String>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = self
            .run(
                sqlx::query_scalar::<_, String>(
                    "SELECT editor FROM reviewer_feeds WHERE token_hash = $1",
                )
                .bind(sha256_hex(&token.to_ascii_lowercase()))
                .fetch_optional(&self.pool),
            )
            .await?;
        Ok(row)
    }
}

impl Store {
    /// Records that `reviewer` is reviewing `slug` from `now_ms` (taking it over from anyone else).
    pub async fn claim_review(
        &self,
        slug: &str,
        reviewer: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.release_review(slug, None).await?;
        self.run(
            sqlx::query("INSERT INTO review_claims (slug, reviewer, since_ms) VALUES ($1, $2, $3)")
                .bind(slug)
                .bind(reviewer)
                .bind(now_ms)
                .execute(&self.pool),
        )
        .await?;
        Ok(())
    }

    /// Ends the review of `slug`: `reviewer`'s only, or anyone's with `None`.
    pub async fn release_review(
        &self,
        slug: &str,
        reviewer: Option<&str>,
    ) -> Result<(), StoreError> {
        match reviewer {
            Some(id) => {
                self.run(
                    sqlx::query("DELETE FROM review_claims WHERE slug = $1 AND reviewer = $2")
                        .bind(slug)
                        .bind(id)
                        .execute(&self.pool),
                )
                .await?
            }
            None => {
                self.run(
                    sqlx::query("DELETE FROM review_claims WHERE slug = $1")
                        .bind(slug)
                        .execute(&self.pool),
                )
                .await?
            }
        };
        Ok(())
    }

    /// Who is reviewing what: slug to (reviewer id, since).
    pub async fn review_claims(
        &self,
    ) -> Result<std::collections::BTreeMap<String, (String, i64)>, StoreError> {
        let rows = self
            .run(
                sqlx::query("SELECT slug, reviewer, since_ms FROM review_claims")
                    .fetch_all(&self.pool),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("slug")?,
                    (r.try_get("reviewer")?, r.try_get("since_ms")?),
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

fn link_of(r: &sqlx::any::AnyRow) -> Result<FactCheckLink, sqlx::Error> {
    Ok(FactCheckLink {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        created_by: r.try_get("created_by")?,
        created_ms: r.try_get("created_ms")?,
        expires_ms: r.try_get("expires_ms")?,
        revoked_ms: r.try_get("revoked_ms")?,
        uses: r.try_get("uses")?,
        last_used_ms: r.try_get("last_used_ms")?,
    })
}
