-- Stories (stage: cluster): profiles, members, history, and the term index
-- that finds candidate stories for a new article without reading them all.
CREATE TABLE stories (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL DEFAULT '',
    first_seen  TEXT,
    last_seen   TEXT,
    size        INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT
);
CREATE INDEX stories_merged_into ON stories(merged_into);

CREATE TABLE story_members (
    article_id  TEXT PRIMARY KEY,
    story_id    TEXT NOT NULL,
    position    INTEGER NOT NULL
);
CREATE INDEX story_members_story ON story_members(story_id, position);

CREATE TABLE story_history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    article_id  TEXT NOT NULL DEFAULT '',
    other       TEXT NOT NULL DEFAULT '',
    score       REAL NOT NULL DEFAULT 0
);
CREATE INDEX story_history_story ON story_history(story_id);

-- The profile of a live story: summed damped term counts (capped to its top terms).
CREATE TABLE story_terms (
    story_id    TEXT NOT NULL,
    term        TEXT NOT NULL,
    weight      REAL NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;

-- The inverted index: term and date bucket (-1 = undated) -> live story.
CREATE TABLE story_postings (
    term        TEXT NOT NULL,
    bucket      INTEGER NOT NULL,
    story_id    TEXT NOT NULL,
    PRIMARY KEY (term, bucket, story_id)
) WITHOUT ROWID;
CREATE INDEX story_postings_story ON story_postings(story_id);

-- Document frequencies of terms over every clustered article (for TF-IDF).
CREATE TABLE story_term_frequencies (
    term        TEXT PRIMARY KEY,
    documents   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE story_counters (
    name        TEXT PRIMARY KEY,
    value       INTEGER NOT NULL
);
