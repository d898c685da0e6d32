-- A session is valid only for the account it was started for: a fingerprint of the account's name
-- and password hash. Sessions from before this column have none, and are no longer valid.
ALTER TABLE editor_sessions ADD COLUMN account TEXT NOT NULL DEFAULT '';
CREATE INDEX editor_sessions_by_editor ON editor_sessions (editor);

-- `healthpress sessions unlock NAME`: sign-in failures for NAME counted before this time no longer
-- count.
CREATE TABLE login_unlocks (
    editor TEXT PRIMARY KEY,
    unlocked_ms BIGINT NOT NULL
);
