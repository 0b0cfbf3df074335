"""Table of article versions: the articles stored under one URL whose text changed, in order.

A version is an article row of its own; `article_versions` ties the versions of one URL together. A page
that goes back to an earlier version's text is a new version whose article is that earlier row (a revert:
nothing stored twice). The newest is current: it takes the place of the version before in its story,
copies of the old text count as copies of it, and only it is placed into a story. Plain SQL, no
SQLite-only syntax.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from storyline.urls import article_key

REVISED = "revised"  # the story history's event: an article's new version took the place of the old one
MOVED = "moved"  # the story history's event: an article's new version went to another story, the old one left


class VersionTables:
    """Versions of one article (mixin of `Store`; IN lists go through the store's `_rows_for`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection

    def current_version(self, url: str) -> str | None:
        """The id of the newest stored version of the article at a canonical URL, or None."""
        row = self.conn.execute("SELECT article_id FROM article_versions WHERE url = ? ORDER BY version DESC LIMIT 1",
                                (url,)).fetchone()
        return row[0] if row else None

    def save_version(self, article_id: str, url: str, previous: str | None, at: str) -> int:
        """Record a stored article as the newest version of `url` (after `previous`, None for the first); return
        its version number."""
        row = self.conn.execute("SELECT MAX(version) FROM article_versions WHERE url = ?", (url,)).fetchone()
        version = (row[0] or 0) + 1
        self.conn.execute("INSERT INTO article_versions (article_id, url, version, previous, added) "
                          "VALUES (?, ?, ?, ?, ?)", (article_id, url, version, previous or "", at))
        return version

    def version_urls(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The canonical URL of each of these articles that is a version of one."""
        return dict(self._rows_for("SELECT DISTINCT article_id, url FROM article_versions WHERE article_id IN ({marks})",
                                   article_ids))

    def replace_copies(self, old: str, canonical: str) -> None:
        """The copies of an old version become copies of `canonical` (its new version, or the article that
        one copies)."""
        self.conn.execute("UPDATE duplicates SET canonical = ? WHERE canonical = ?", (canonical, old))
        self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", (canonical, old))

    def later_versions(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these articles are a second or later version of their URL."""
        return {row[0] for row in self._rows_for(
            "SELECT article_id FROM article_versions WHERE version > 1 AND article_id IN ({marks})", article_ids)}

    def placed_version(self, article_id: str) -> str | None:
        """The newest earlier version of an article that is in a story (None: none is)."""
        row = self.conn.execute(
            "SELECT n.article_id FROM article_versions v JOIN article_versions n ON n.url = v.url "
            "AND n.version < v.version JOIN story_members m ON m.article_id = n.article_id "
            "WHERE v.article_id = ? ORDER BY n.version DESC LIMIT 1", (article_id,)).fetchone()
        return row[0] if row else None

    def take_place(self, old: str, new: str) -> str:
        """Put a new version in the place of an old one in its story (a `revised` event in the story's
        history); return the story. The old version stays stored, as it was."""
        story = self.conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (old,)).fetchone()[0]
        self.conn.execute("UPDATE story_members SET article_id = ? WHERE article_id = ?", (new, old))
        self.conn.execute("INSERT INTO story_history (story_id, kind, article_id, other, score) VALUES (?, ?, ?, ?, 0)",
                          (story, REVISED, new, old))
        return story

    def leave_story(self, old: str, new: str) -> str:
        """Take an old version out of its story, its new version going to another story (a `moved` event in
        the story's history); return the story. The old version stays stored, as it was."""
        story = self.conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (old,)).fetchone()[0]
        self.conn.execute("DELETE FROM story_members WHERE article_id = ?", (old,))
        self.conn.execute("UPDATE stories SET size = size - 1 WHERE id = ?", (story,))
        self.conn.execute("INSERT INTO story_history (story_id, kind, article_id, other, score) VALUES (?, ?, ?, ?, 0)",
                          (story, MOVED, new, old))
        return story

    def retire_if_empty(self, story_id: str, into: str) -> bool:
        """Retire a story that the moves of its articles left without any, as absorbed by `into` (its row and
        history kept, its id resolving to `into`); return whether it was empty."""
        if self.conn.execute("SELECT 1 FROM story_members WHERE story_id = ? LIMIT 1", (story_id,)).fetchone():
            return False
        self.retire_story(story_id, into)
        return True

    def superseded(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these articles are a version of their URL but not its newest."""
        return {row[0] for row in self._rows_for(
            "SELECT DISTINCT v.article_id FROM article_versions v WHERE v.article_id IN ({marks}) AND v.article_id <> "
            "(SELECT n.article_id FROM article_versions n WHERE n.url = v.url ORDER BY n.version DESC LIMIT 1)",
            article_ids)}

    def newest_versions(self, article_ids: Iterable[str]) -> dict[str, str]:
        """For each of these articles that has a newer version, the id of its newest one."""
        found = {}
        for article_id in sorted(set(article_ids)):
            row = self.conn.execute(
                "SELECT n.article_id FROM article_versions v JOIN article_versions n ON n.url = v.url "
                "WHERE v.article_id = ? ORDER BY n.version DESC LIMIT 1", (article_id,)).fetchone()
            if row is not None and row[0] != article_id:
                found[article_id] = row[0]
        return found

    def versions_of(self, article_id: str) -> list[dict[str, Any]]:
        """Every version of the article `article_id` is a version of, oldest first: `{article, version, added,
        url, title, published, current, reverted_to}`, `published` the version's publication date (ISO, or
        None), `current` true for the newest, `reverted_to` the number of the earlier version whose article it
        is again (None but for a revert). Empty for an article without a URL."""
        rows = self.conn.execute(
            "SELECT n.article_id, n.version, n.added, n.url, a.title, a.published FROM article_versions n "
            "JOIN articles a ON a.id = n.article_id "
            "WHERE n.url = (SELECT v.url FROM article_versions v WHERE v.article_id = ? ORDER BY v.version LIMIT 1) "
            "ORDER BY n.version", (article_id,)).fetchall()
        first: dict[str, int] = {}
        found = []
        for n, row in enumerate(rows):
            found.append({"article": row[0], "version": row[1], "added": row[2], "url": row[3], "title": row[4],
                          "published": row[5], "current": n == len(rows) - 1, "reverted_to": first.get(row[0])})
            first.setdefault(row[0], row[1])
        return found

    def _fill_article_versions(self) -> None:
        """Migration 0018's rows for what was stored before it: the newest article of each URL, version 1."""
        newest: dict[str, tuple[str, str]] = {}
        for article_id, origin, added in self.conn.execute("SELECT id, origin, added FROM articles ORDER BY seq"):
            key = article_key(json.loads(origin or "{}").get("url"))
            if key:
                newest[key] = (article_id, added)
        self.conn.executemany("INSERT INTO article_versions (article_id, url, version, previous, added) "
                              "VALUES (?, ?, 1, '', ?)",
                              [(article_id, key, added) for key, (article_id, added) in sorted(newest.items())])
