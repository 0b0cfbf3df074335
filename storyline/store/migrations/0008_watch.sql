-- Story changes (what each new brief version changed since the one before) and the
-- watcher's fetch state (`storyline watch`), which survives a restart.

-- One row per brief version: the change JSON (storyline/change/v1) against the previous version.
CREATE TABLE brief_changes (
    story_id    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    previous    INTEGER,            -- the version compared against; NULL for a story's first brief
    created     TEXT NOT NULL,      -- when the version was stored (ISO 8601, UTC)
    digest      TEXT NOT NULL,      -- the one-line digest
    content     TEXT NOT NULL,      -- the change JSON
    PRIMARY KEY (story_id, version)
);
CREATE INDEX brief_changes_created ON brief_changes(created);

-- A watched source (feed, page, sitemap): its interval, validators and failures.
CREATE TABLE watch_sources (
    url             TEXT PRIMARY KEY,
    interval_seconds INTEGER NOT NULL,  -- between polls
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    last_poll       TEXT NOT NULL DEFAULT '',
    next_poll       TEXT NOT NULL DEFAULT '',
    last_status     INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,    -- polls failed in a row
    last_error      TEXT NOT NULL DEFAULT ''
);

-- An article a source listed, by canonical URL: one article seen through two feeds is one row.
-- state: pending (to fetch and add; the item is kept, so a failure or a kill loses nothing),
-- added, skipped (fetched, but not an article the pipeline kept).
CREATE TABLE watch_items (
    url         TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    item        TEXT NOT NULL,      -- JSON: what the source said of it (link, title, summary, published)
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    seen        TEXT NOT NULL,
    done        TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX watch_items_state ON watch_items(state);
