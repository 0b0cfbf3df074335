"""Table of story changes: per brief version, what it changed since the version before.

Plain SQL (no SQLite-only syntax) so that the queries carry over to another database.
"""

from __future__ import annotations

import json
from typing import Any, Iterable


class ChangeTables:
    """Story changes (mixin of `Store`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection

    def brief_created(self, story_id: str, version: int) -> str | None:
        """When a version of a story's brief was stored (ISO 8601, UTC), or None."""
        row = self.conn.execute("SELECT created FROM briefs WHERE story_id = ? AND version = ?",
                                (story_id, version)).fetchone()
        return row[0] if row else None

    def save_change(self, change: dict[str, Any]) -> None:
        """Store the change JSON of one brief version (a version already recorded keeps its row)."""
        self.conn.execute(
            "INSERT INTO brief_changes (story_id, version, previous, created, digest, content) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (story_id, version) DO NOTHING",
            (change["story"], change["version"], change["previous"], change["created"], change["digest"],
             json.dumps(change, ensure_ascii=False)))

    def stored_changes(self, since: str | None = None, story_id: str | None = None,
                       limit: int | None = None) -> list[dict[str, Any]]:
        """Change JSONs newest first: of versions stored after `since` (ISO), of one story, at most `limit`."""
        clauses, values = [], []
        if since:
            clauses.append("created > ?")
            values.append(since)
        if story_id:
            clauses.append("story_id = ?")
            values.append(story_id)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        tail = ""
        if limit is not None:
            tail = " LIMIT ?"
            values.append(limit)
        return [json.loads(row[0]) for row in self.conn.execute(
            f"SELECT content FROM brief_changes {where}ORDER BY created DESC, story_id DESC, version DESC{tail}",
            values)]

    def latest_change(self, story_id: str) -> dict[str, Any] | None:
        """The change JSON of a story's newest recorded version, or None."""
        row = self.conn.execute("SELECT content FROM brief_changes WHERE story_id = ? ORDER BY version DESC LIMIT 1",
                                (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def latest_change_heads(self, story_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The `version`, `created` and `digest` of the newest recorded change of each of these stories that
        has one (what the story list shows of it), read for all of them at once."""
        found: dict[str, dict[str, Any]] = {}
        ids = list(story_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for story_id, version, created, digest in self.conn.execute(
                    "SELECT c.story_id, c.version, c.created, c.digest FROM brief_changes c JOIN "
                    "(SELECT story_id, MAX(version) AS version FROM brief_changes "
                    f"WHERE story_id IN ({','.join('?' * len(chunk))}) GROUP BY story_id) newest "
                    "ON c.story_id = newest.story_id AND c.version = newest.version", chunk):
                found[story_id] = {"version": version, "created": created, "digest": digest}
        return found

    def latest_changes(self) -> list[dict[str, Any]]:
        """Each story's newest change JSON, newest first."""
        return [json.loads(row[0]) for row in self.conn.execute(
            "SELECT c.content FROM brief_changes c JOIN "
            "(SELECT story_id, MAX(version) AS version FROM brief_changes GROUP BY story_id) newest "
            "ON c.story_id = newest.story_id AND c.version = newest.version "
            "ORDER BY c.created DESC, c.story_id DESC")]

    def versions_without_change(self) -> list[tuple[str, int]]:
        """(story, version) of every stored brief with no change recorded (stored before changes were)."""
        return [(row[0], row[1]) for row in self.conn.execute(
            "SELECT b.story_id, b.version FROM briefs b LEFT JOIN brief_changes c "
            "ON c.story_id = b.story_id AND c.version = b.version WHERE c.story_id IS NULL "
            "ORDER BY b.story_id, b.version")]

    def version_at(self, story_id: str, when: str) -> int | None:
        """The newest version of a story's brief stored at or before `when` (ISO), or None."""
        row = self.conn.execute("SELECT MAX(version) FROM briefs WHERE story_id = ? AND created <= ?",
                                (story_id, when)).fetchone()
        return row[0] if row and row[0] is not None else None

    def stories_changed_since(self, since: str) -> list[str]:
        """The stories with a brief version stored after `since` (ISO)."""
        return [row[0] for row in self.conn.execute(
            "SELECT DISTINCT story_id FROM briefs WHERE created > ? ORDER BY story_id", (since,))]
