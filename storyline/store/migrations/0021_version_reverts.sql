-- A page may go back to the text of an earlier version (a correction withdrawn, a live page reset). That
-- earlier version becomes current again as a new version of the URL whose article is the earlier one's row:
-- nothing stored twice, nothing lost. So one article may now stand at several versions of its URL: the
-- table's key is (url, version), no longer the article.
CREATE TABLE article_versions_keyed (
    url         TEXT NOT NULL,              -- the canonical URL its versions share (storyline.urls.article_key)
    version     INTEGER NOT NULL,           -- 1 for the first stored, then 2, 3, ...
    article_id  TEXT NOT NULL,              -- the article row of this version (an earlier version's, for a revert)
    previous    TEXT NOT NULL DEFAULT '',   -- the article it replaced ('' for the first)
    added       TEXT NOT NULL,              -- when it was stored (ISO 8601, UTC)
    PRIMARY KEY (url, version)
);
INSERT INTO article_versions_keyed (url, version, article_id, previous, added)
    SELECT url, version, article_id, previous, added FROM article_versions;
DROP TABLE article_versions;
ALTER TABLE article_versions_keyed RENAME TO article_versions;
CREATE INDEX article_versions_article ON article_versions(article_id);
CREATE INDEX article_versions_previous ON article_versions(previous);
