-- Briefs, versioned per story: a new version is stored only when the content changed.
CREATE TABLE briefs (
    story_id    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created     TEXT NOT NULL,
    digest      TEXT NOT NULL,      -- hash of the content without its version
    content     TEXT NOT NULL,      -- the brief's JSON (storyline/brief/v1)
    PRIMARY KEY (story_id, version)
);
