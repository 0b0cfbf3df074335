-- Versions of one article (issue 19): a page fetched again, or the same URL added again, whose text
-- changed. Each version is an article row of its own (its id the hash of its bytes, its sentences kept, so
-- the brief versions that cited it still resolve); this table says which URL each is a version of, in
-- which order. The newest version of a URL is the article: it takes the place of the one before in its
-- story (`story_members`), and placement, briefs and copies read it alone. An article without an http(s)
-- URL has no row: it is its own only version.
-- The articles stored before this migration get a row (version 1) for the newest article of each URL, from
-- `Store._fill_article_versions` in the migration's transaction; older ones under the same URL stay
-- articles of their own, as they were stored.
CREATE TABLE article_versions (
    article_id  TEXT PRIMARY KEY,           -- one version: an article row
    url         TEXT NOT NULL,              -- the canonical URL its versions share (storyline.urls.article_key)
    version     INTEGER NOT NULL,           -- 1 for the first stored, then 2, 3, ...
    previous    TEXT NOT NULL DEFAULT '',   -- the version it replaced ('' for the first)
    added       TEXT NOT NULL               -- when it was stored (ISO 8601, UTC)
);
CREATE UNIQUE INDEX article_versions_url ON article_versions(url, version);
CREATE INDEX article_versions_previous ON article_versions(previous);
