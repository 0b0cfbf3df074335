-- The robots.txt of each host the watcher fetched from, kept across restarts (it is read again
-- once it is older than the watcher's robots_ttl, a day by default).
CREATE TABLE watch_robots (
    origin      TEXT PRIMARY KEY,   -- scheme://host[:port]
    found       INTEGER NOT NULL,   -- 1: a robots.txt (body); 0: none (4xx): everything is allowed
    body        TEXT NOT NULL DEFAULT '',
    fetched     TEXT NOT NULL       -- when it was read (ISO 8601, UTC)
);
