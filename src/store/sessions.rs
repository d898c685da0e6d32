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
            "INSERT INTO editor_sessions (token_hash, editor, csrf, expires_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(token))
        .bind(&session.editor)
        .bind(&session.csrf)
        .bind(session.expires_ms)
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
            "SELECT editor, csrf, expires_ms FROM editor_sessions WHERE token_hash = $1 AND expires_ms > $2",
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
}
