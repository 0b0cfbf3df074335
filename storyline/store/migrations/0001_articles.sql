-- Documents as ingested, articles as cleaned, their sentences, and skipped inputs.
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    origin      TEXT NOT NULL,          -- JSON: kind, location, item, url
    fetched     TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    metadata    TEXT NOT NULL,          -- JSON
    text        TEXT NOT NULL
);

CREATE TABLE articles (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order
    id                  TEXT NOT NULL UNIQUE,
    document_id         TEXT NOT NULL REFERENCES documents(id),
    origin              TEXT NOT NULL,  -- JSON
    title               TEXT NOT NULL,
    outlet              TEXT NOT NULL,  -- JSON: name, domain, how, evidence
    authors             TEXT NOT NULL,  -- JSON list
    published           TEXT,
    published_inferred  INTEGER NOT NULL DEFAULT 0,
    published_evidence  TEXT NOT NULL DEFAULT '',
    language            TEXT NOT NULL DEFAULT '',
    body                TEXT NOT NULL,
    removed             TEXT NOT NULL,  -- JSON list of {kind, text}
    duplicate_of        TEXT,
    added               TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE sentences (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    n           INTEGER NOT NULL,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    paragraph   INTEGER NOT NULL,
    PRIMARY KEY (article_id, n)
) WITHOUT ROWID;

CREATE TABLE skips (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    input   TEXT NOT NULL,
    stage   TEXT NOT NULL,
    reason  TEXT NOT NULL,
    detail  TEXT NOT NULL,
    at      TEXT NOT NULL
);
