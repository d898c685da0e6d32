//! Editor sessions, found by a hash of their token, so that every replica knows every session.

use super::{Store, StoreError, hex};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A session as stored.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub editor: String,
    pub csrf: String,
    pub expires_ms: i64,
    /// A fingerprint of the account (name and password hash) the session was started for.
    pub account: String,
}

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Saves a session under `token` (only its hash is stored).
    pub async fn save_session(
        &self,
        token: &str,
        session: &StoredSession,
    ) -> Result<(), StoreError> {
        self.run(sqlx::query(
            "INSERT INTO editor_sessions (token_hash, editor, csrf, expires_ms, account) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(token))
        .bind(&session.editor)
        .bind(&session.csrf)
        .bind(session.expires_ms)
        .bind(&session.account)
        .execute(&self.pool)
        ).await?;
        Ok(())
    }

    /// The session of `token`, if it exists and has not expired at `now_ms`.
    pub async fn session(
        &self,
        token: &str,
        now_ms: i64,
    ) -> Result<Option<StoredSession>, StoreError> {
        let row = self.run(sqlx::query(
            "SELECT editor, csrf, expires_ms, account FROM editor_sessions WHERE token_hash = $1 AND expires_ms > $2",
        )
        .bind(token_hash(token))
        .bind(now_ms)
        .fetch_optional(&self.pool)
        ).await?;
        row.map(|row| {
            Ok(StoredSession {
                editor: row.try_get("editor")?,
                csrf: row.try_get("csrf")?,
                expires_ms: row.try_get("expires_ms")?,
                account: row.try_get("account")?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| StoreError::from(e))
    }

    /// Ends the session of `token`.
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        self.run(
            sqlx::query("DELETE FROM editor_sessions WHERE token_hash = $1")
                .bind(token_hash(token))
                .execute(&self.pool),
        )
        .await?;
        Ok(())
    }

    /// Ends every session of `editor`, or every session when `editor` is `None`; returns how many.
    pub async fn end_sessions(&self, editor: Option<&str>) -> Result<u64, StoreError> {
        let done = match editor {
            Some(name) => {
                self.run(
                    sqlx::query("DELETE FROM editor_sessions WHERE editor = $1")
                        .bind(name)
                        .execute(&self.pool),
                )
                .await?
            }
            None => {
                self.run(sqlx::query("DELETE FROM editor_sessions").execute(&self.pool))
                    .await?
            }
        };
        Ok(done.rows_affected())
    }

    /// Clears the sign-in lockouts of `editor`: failures counted before now no longer count
    /// against the name (see [`Store::unlocked_at`]).
    pub async fn unlock(&self, editor: &str, now_ms: i64) -> Result<(), StoreError> {
        self.run(
            sqlx::query(
                "INSERT INTO login_unlocks (editor, unlocked_ms) VALUES ($1, $2) \
                 ON CONFLICT (editor) DO UPDATE SET unlocked_ms = $2",
            )
            .bind(editor)
            .bind(now_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(())
    }

    /// When `editor` was last unlocked by [`Store::unlock`], if ever.
    pub async fn unlocked_at(&self, editor: &str) -> Result<Option<i64>, StoreError> {
        let row = self
            .run(
                sqlx::query("SELECT unlocked_ms FROM login_unlocks WHERE editor = $1")
                    .bind(editor)
                    .fetch_optional(&self.pool),
            )
            .await?;
        row.map(|row| row.try_get("unlocked_ms"))
            .transpose()
            .map_err(StoreError::from)
    }
}
