-- The copies a later canonical article displaced: an article that became the canonical one of a
-- stored copy joins the copy's story when it is placed. Kept in the store, so that an add killed
-- between storing and placing leaves the next add the same map (issue 17, item 8).
CREATE TABLE displaced (
    article_id  TEXT PRIMARY KEY,       -- the new canonical article
    twin        TEXT NOT NULL           -- the stored article it displaced (now its copy)
);
