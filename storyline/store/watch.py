"""Tables of `storyline watch`: the sources it polls and the articles they listed.

A source keeps its validators (ETag, Last-Modified), when it was polled and is due, and its
failures in a row. An article a source listed is a row keyed by its canonical URL, so the same
article listed by two feeds is one row; it stays `pending` until it is added (or given up), so a
watcher killed mid-poll finds it again on restart. Listed again with something else to say (its
text, title or date), it is pending again. Plain SQL, no SQLite-only syntax.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

PENDING, ADDED, SKIPPED = "pending", "added", "skipped"


class WatchTables:
    """Watched sources and the items they listed (mixin of `Store`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection

    def register_source(self, url: str, interval: int) -> None:
        """Watch a source every `interval` seconds (a known source keeps its state, takes the new interval)."""
        self.conn.execute(
            "INSERT INTO watch_sources (url, interval_seconds) VALUES (?, ?) "
            "ON CONFLICT (url) DO UPDATE SET interval_seconds = excluded.interval_seconds", (url, interval))

    def watch_source(self, url: str) -> dict[str, Any] | None:
        """A watched source's state: url, interval_seconds, etag, last_modified, last_poll, next_poll,
        last_status, failures, last_error."""
        row = self.conn.execute("SELECT * FROM watch_sources WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def record_poll(self, url: str, *, at: str, next_poll: str, status: int, etag: str | None = None,
                    last_modified: str | None = None, error: str = "") -> None:
        """Record one poll of a source: validators kept unless new ones are given; failures counted in a row."""
        self.conn.execute(
            "UPDATE watch_sources SET last_poll = ?, next_poll = ?, last_status = ?, "
            "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
            "failures = CASE WHEN ? = '' THEN 0 ELSE failures + 1 END, last_error = ? WHERE url = ?",
            (at, next_poll, status, etag, last_modified, error, error, url))

    def new_watch_items(self, source: str, items: Iterable[tuple[str, dict[str, Any]]],
                        seen: str) -> tuple[list[str], list[str]]:
        """Record the items a source lists (canonical URL, what it said); return the URLs not known before,
        and those known whose item says something else now (its text, title or date changed: a new
        version of the article, perhaps): these are pending again, to be fetched and added once more."""
        fresh: list[str] = []
        changed: list[str] = []
        for url, item in items:
            if url in fresh or url in changed:
                continue
            said = json.dumps(item, ensure_ascii=False)
            known = self.conn.execute("SELECT item FROM watch_items WHERE url = ?", (url,)).fetchone()
            if known is None:
                self.conn.execute(
                    "INSERT INTO watch_items (url, source, item, state, seen) VALUES (?, ?, ?, ?, ?)",
                    (url, source, said, PENDING, seen))
                fresh.append(url)
            elif json.loads(known[0]) != json.loads(said):
                self.conn.execute(
                    "UPDATE watch_items SET source = ?, item = ?, state = ?, attempts = 0, seen = ?, done = '', "
                    "detail = '' WHERE url = ?", (source, said, PENDING, seen, url))
                changed.append(url)
        return fresh, changed

    def pending_watch_items(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Items waiting to be fetched and added, oldest first: url, source, item (dict), attempts."""
        return [{"url": row[0], "source": row[1], "item": json.loads(row[2]), "attempts": row[3]}
                for row in self.conn.execute(
                    "SELECT url, source, item, attempts FROM watch_items WHERE state = ? ORDER BY seen, url LIMIT ?",
                    (PENDING, limit))]

    def finish_watch_item(self, url: str, state: str, at: str, detail: str = "") -> None:
        """An item is added (or skipped, with why): it is not fetched again."""
        self.conn.execute("UPDATE watch_items SET state = ?, done = ?, detail = ? WHERE url = ?",
                          (state, at, detail, url))

    def retry_watch_item(self, url: str, detail: str) -> None:
        """An item could not be fetched this time: it stays pending, one attempt more."""
        self.conn.execute("UPDATE watch_items SET attempts = attempts + 1, detail = ? WHERE url = ?", (detail, url))

    def robots_txt(self, origin: str) -> tuple[str | None, str] | None:
        """A host's stored robots.txt (None: it has none) and when it was read (ISO); None if never read."""
        row = self.conn.execute("SELECT found, body, fetched FROM watch_robots WHERE origin = ?", (origin,)).fetchone()
        return (row[1] if row[0] else None, row[2]) if row else None

    def save_robots_txt(self, origin: str, body: str | None, fetched: str) -> None:
        """Keep a host's robots.txt as read at `fetched` (ISO; `body` None: it has none)."""
        self.conn.execute(
            "INSERT INTO watch_robots (origin, found, body, fetched) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (origin) DO UPDATE SET found = excluded.found, body = excluded.body, "
            "fetched = excluded.fetched", (origin, int(body is not None), body or "", fetched))

    def watch_item_counts(self) -> dict[str, int]:
        """How many items are in each state."""
        return {row[0]: row[1] for row in self.conn.execute(
            "SELECT state, COUNT(*) FROM watch_items GROUP BY state")}
