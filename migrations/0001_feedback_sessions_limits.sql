-- Reader feedback, editor sessions, rate limits and this installation's settings. Written in the SQL
-- that SQLite and PostgreSQL share: times are milliseconds since 1970 (UTC), flags are 0 or 1.

CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    audience TEXT NOT NULL,
    helpful BIGINT NOT NULL,
    comment TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    handled BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX feedback_by_article ON feedback (slug, created_ms);
CREATE INDEX feedback_by_age ON feedback (created_ms);

-- Sessions are found by a SHA-256 hash of their token: the token itself is only in the editor's cookie.
CREATE TABLE editor_sessions (
    token_hash TEXT PRIMARY KEY,
    editor TEXT NOT NULL,
    csrf TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX editor_sessions_by_expiry ON editor_sessions (expires_ms);

-- One counter per bucket (a salted hash of what is counted: a client, or a client and a name) and
-- window; the window starts with the bucket's first hit.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_window ON rate_limits (window_start_ms);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
