"""Table of briefs: every version of every story's brief."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any, Iterable

import orjson

from storyline.store.stories import CHUNK, search_key

# SQLite integers are signed 64-bit: binding a larger Python int raises OverflowError.
SQLITE_MIN_INTEGER, SQLITE_MAX_INTEGER = -(2 ** 63), 2 ** 63 - 1


def digest(content: dict[str, Any]) -> str:
    """A hash of a brief's content, leaving out its version."""
    stable = {k: v for k, v in content.items() if k != "version"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class BriefTables:
    """Versioned briefs (mixin of `Store`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection

    def latest_brief(self, story_id: str) -> dict[str, Any] | None:
        """The newest stored brief JSON of a story, or None."""
        row = self.conn.execute("SELECT content FROM briefs WHERE story_id = ? ORDER BY version DESC LIMIT 1",
                                (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def brief_version(self, story_id: str, version: int) -> dict[str, Any] | None:
        """One stored version of a story's brief, or None (also for a number SQLite cannot hold)."""
        if not SQLITE_MIN_INTEGER <= version <= SQLITE_MAX_INTEGER:
            return None
        row = self.conn.execute("SELECT content FROM briefs WHERE story_id = ? AND version = ?",
                                (story_id, version)).fetchone()
        return json.loads(row[0]) if row else None

    def next_brief_version(self, story_id: str) -> int:
        """The version number a new brief of this story would get."""
        row = self.conn.execute("SELECT MAX(version) FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
        return (row[0] or 0) + 1

    def save_brief(self, content: dict[str, Any]) -> tuple[int, bool]:
        """Store a brief JSON unless it equals the latest version; return (version, stored?)."""
        story_id = content["story"]
        latest = self.conn.execute(
            "SELECT version, digest FROM briefs WHERE story_id = ? ORDER BY version DESC LIMIT 1",
            (story_id,)).fetchone()
        new_digest = digest(content)
        if latest and latest[1] == new_digest:
            return latest[0], False
        version = (latest[0] if latest else 0) + 1
        content = dict(content, version=version)
        self.conn.execute("INSERT INTO briefs (story_id, version, created, digest, content) VALUES (?, ?, ?, ?, ?)",
                          (story_id, version, datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                           new_digest, json.dumps(content, ensure_ascii=False)))
        self._write_entity_names(story_id, content.get("entities") or ())
        return version, True

    def _write_entity_names(self, story_id: str, entities: Iterable[dict[str, Any]]) -> None:
        """Keep the entity names and spellings of a story's newest brief, with their search keys, for the
        story list."""
        rows = _entity_name_rows(story_id, entities)
        self.conn.execute("DELETE FROM story_entity_names WHERE story_id = ?", (story_id,))
        self.conn.executemany(
            "INSERT INTO story_entity_names (story_id, entity, n, text, text_key) VALUES (?, ?, ?, ?, ?)",
            [(*row, search_key(row[3])) for row in rows])
        self._write_entity_list(story_id, rows)

    def _write_entity_list(self, story_id: str, rows: Iterable[tuple[str, int, int, str]]) -> None:
        """Keep a story's entity names (`_entity_name_rows`, in order) as the JSON list the story list answers."""
        self.conn.execute(
            "INSERT INTO story_entity_lists (story_id, entities) VALUES (?, ?) "
            "ON CONFLICT(story_id) DO UPDATE SET entities = excluded.entities",
            (story_id, json.dumps(_named(rows), ensure_ascii=False, separators=(",", ":"))))

    def _fill_entity_lists(self) -> None:
        """Migration 0022: the JSON list of each story's entity names stored before it."""
        rows: dict[str, list[tuple[str, int, int, str]]] = {}
        for row in self.conn.execute(
                "SELECT story_id, entity, n, text FROM story_entity_names ORDER BY story_id, entity, n").fetchall():
            rows.setdefault(row[0], []).append(tuple(row))
        for story_id, names in rows.items():
            self._write_entity_list(story_id, names)

    def _fill_entity_names(self) -> None:
        """Keep the entity names of each story's newest brief stored before migration 0012 (as 0012 left
        the table: migration 0022 adds their search keys)."""
        for story_id, content in self.conn.execute(
                "SELECT b.story_id, b.content FROM briefs b JOIN "
                "(SELECT story_id, MAX(version) AS version FROM briefs GROUP BY story_id) newest "
                "ON b.story_id = newest.story_id AND b.version = newest.version").fetchall():
            self.conn.executemany("INSERT INTO story_entity_names (story_id, entity, n, text) VALUES (?, ?, ?, ?)",
                                  _entity_name_rows(story_id, json.loads(content).get("entities") or ()))

    def story_entities(self, story_id: str) -> list[dict[str, Any]]:
        """The entities of a story's newest brief: each name with its spellings, in the brief's order."""
        return _named(self.conn.execute("SELECT story_id, entity, n, text FROM story_entity_names WHERE story_id = ? "
                                        "ORDER BY entity, n", (story_id,)).fetchall())

    def story_entity_lists(self, story_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """`story_entities` of each of these stories that has a brief, read as one row a story."""
        found: dict[str, list[dict[str, Any]]] = {}
        ids = list(story_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for story_id, entities in self.conn.execute(
                    f"SELECT story_id, entities FROM story_entity_lists WHERE story_id IN ({','.join('?' * len(chunk))})",
                    chunk):
                found[story_id] = orjson.loads(entities)  # a page's worth of lists: orjson reads them 3-4x faster
        return found

    def brief_versions(self, story_id: str) -> list[tuple[int, str]]:
        """(version, created) of every stored brief of a story."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT version, created FROM briefs WHERE story_id = ? ORDER BY version", (story_id,))]


def _entity_name_rows(story_id: str, entities: Iterable[dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    """(story, entity, n, text) of each entity's name (n = 0) and spellings (n = 1, 2, ...), in the brief's order."""
    return [(story_id, i, n, text or "") for i, entity in enumerate(entities)
            for n, text in enumerate([entity.get("name"), *(form.get("text") for form in entity.get("forms") or ())])]


def _named(rows: Iterable[tuple[str, int, int, str]]) -> list[dict[str, Any]]:
    """Entity name rows (story, entity, n, text; in entity and n order) as `[{"name", "forms"}]`."""
    entities: dict[int, dict[str, Any]] = {}
    for _, entity, n, text in rows:
        if n == 0:
            entities[entity] = {"name": text, "forms": []}
        elif entity in entities:
            entities[entity]["forms"].append(text)
    return list(entities.values())
