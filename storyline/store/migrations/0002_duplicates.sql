-- Duplicate detection: fingerprints, the persisted LSH index (band key -> article),
-- and the verdicts.
CREATE TABLE fingerprints (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id),
    body_hash   TEXT NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX fingerprints_body_hash ON fingerprints(body_hash);

CREATE TABLE lsh_bands (
    key         BLOB NOT NULL,
    article_id  TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

CREATE TABLE duplicates (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id),
    canonical   TEXT NOT NULL,
    relation    TEXT NOT NULL,
    score       REAL NOT NULL
);
CREATE INDEX duplicates_canonical ON duplicates(canonical);
