//! Rate limits shared by every replica: a counter per bucket and window. Taking a hit is one atomic
//! statement (the database orders simultaneous ones), so simultaneous requests cannot pass a limit;
//! a hit over the limit is given back at once, and a hit can be given back later (a correct password).

use super::{Store, StoreError};
use sqlx::Row;
use std::time::Duration;

/// The outcome of [`Store::take`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Counted; the window it was counted in, for [`Store::give_back`].
    Counted { window_start_ms: i64 },
    /// The bucket is full: wait this many seconds (at least 1).
    Full { wait_secs: u64 },
}

impl Store {
    /// Counts one hit in `bucket`, whose window (started by its first hit) lasts `window` and holds
    /// `limit` hits; a hit that does not fit is not counted.
    pub async fn take(
        &self,
        bucket: &str,
        limit: i64,
        window: Duration,
        now_ms: i64,
    ) -> Result<Taken, StoreError> {
        self.take_since(bucket, limit, window, now_ms, i64::MIN)
            .await
    }

    /// [`Store::take`], where a window that started at or before `reset_ms` counts as ended (a
    /// lockout cleared by `healthpress sessions unlock`).
    pub async fn take_since(
        &self,
        bucket: &str,
        limit: i64,
        window: Duration,
        now_ms: i64,
        reset_ms: i64,
    ) -> Result<Taken, StoreError> {
        let window_ms = window.as_millis() as i64;
        let row = self.run(sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start_ms, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
               hits = CASE WHEN rate_limits.window_start_ms <= $3 THEN 1 ELSE rate_limits.hits + 1 END, \
               window_start_ms = CASE WHEN rate_limits.window_start_ms <= $3 THEN $2 ELSE rate_limits.window_start_ms END \
             RETURNING window_start_ms, hits",
        )
        .bind(bucket)
        .bind(now_ms)
        .bind((now_ms - window_ms).max(reset_ms))
        .fetch_one(&self.pool)
        ).await?;
        let window_start_ms: i64 = row.try_get("window_start_ms")?;
        let hits: i64 = row.try_get("hits")?;
        if hits <= limit {
            return Ok(Taken::Counted { window_start_ms });
        }
        self.give_back(bucket, window_start_ms).await?;
        let left_ms = (window_start_ms + window_ms - now_ms).max(1000);
        Ok(Taken::Full {
            wait_secs: (left_ms as u64).div_ceil(1000),
        })
    }

    /// Takes back one hit counted in `bucket`'s window that started at `window_start_ms` (nothing if
    /// that window has ended since).
    pub async fn give_back(&self, bucket: &str, window_start_ms: i64) -> Result<(), StoreError> {
        self.run(
            sqlx::query(
                "UPDATE rate_limits SET hits = hits - 1 \
             WHERE bucket = $1 AND window_start_ms = $2 AND hits > 0",
            )
            .bind(bucket)
            .bind(window_start_ms)
            .execute(&self.pool),
        )
        .await?;
        Ok(())
    }
}
