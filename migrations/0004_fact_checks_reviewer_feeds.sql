-- Fact-check links: an expert outside the team reads one article's draft through a signed link that
-- expires, and may be revoked; their comments reach the article's editor page. The link's secret is
-- its signature (an HMAC under the client key, which the database does not hold).
CREATE TABLE fact_check_links (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    revoked_ms BIGINT,
    uses BIGINT NOT NULL DEFAULT 0,
    last_used_ms BIGINT
);
CREATE INDEX fact_check_links_by_article ON fact_check_links (slug, created_ms);

CREATE TABLE fact_check_comments (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX fact_check_comments_by_article ON fact_check_comments (slug, created_ms);

-- A reviewer's private feed of reviews due and articles awaiting them, found by a SHA-256 hash of
-- its secret token; one per editor account, replaced (and so revoked) when a new one is made.
CREATE TABLE reviewer_feeds (
    editor TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);

-- Who is reviewing an article, and since when: a reviewer says so on its editor page ("I am
-- reviewing this"), and the review queue shows it.
CREATE TABLE review_claims (
    slug TEXT PRIMARY KEY,
    reviewer TEXT NOT NULL,
    since_ms BIGINT NOT NULL
);
