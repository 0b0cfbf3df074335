"""Tables of duplicate detection: fingerprints, the persisted LSH index, verdicts.

The LSH index is a table of (band key, article id): looking up a new
article's band keys returns its candidate duplicates without reading any
stored article text.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

from storyline.records import DuplicateSet


class DuplicateTables:
    """Fingerprints, LSH band keys and duplicate verdicts (mixin of `Store`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection

    def save_fingerprint(self, article_id: str, body_hash: str, data: bytes, keys: Iterable[bytes]) -> None:
        """Store an article's fingerprint and index its LSH band keys."""
        self.conn.execute("INSERT INTO fingerprints (article_id, body_hash, data) VALUES (?, ?, ?) "
                          "ON CONFLICT (article_id) DO UPDATE SET body_hash = excluded.body_hash, data = excluded.data",
                          (article_id, body_hash, data))
        self.conn.executemany("INSERT INTO lsh_bands (key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                              [(key, article_id) for key in keys])

    def fingerprints(self, article_ids: Sequence[str]) -> dict[str, bytes]:
        """The stored fingerprint bytes of some articles."""
        return {row[0]: bytes(row[1]) for row in self._rows_for(
            "SELECT article_id, data FROM fingerprints WHERE article_id IN ({marks})", article_ids)}

    def same_body(self, body_hash: str) -> list[str]:
        """Articles whose normalised body has this hash (exact duplicates)."""
        return [r[0] for r in self.conn.execute(
            "SELECT article_id FROM fingerprints WHERE body_hash = ? ORDER BY article_id", (body_hash,))]

    def lsh_candidates(self, keys: Sequence[bytes], max_articles: int | None = None) -> set[str]:
        """Articles sharing at least one index key with `keys`.

        Keys held by more than `max_articles` articles are left out (None: no cap).
        """
        found: set[str] = set()
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            if max_articles is None:
                found.update(r[0] for r in self.conn.execute(
                    f"SELECT DISTINCT article_id FROM lsh_bands WHERE key IN ({marks})", chunk))
                continue
            common = {r[0] for r in self.conn.execute(
                f"SELECT key FROM lsh_bands WHERE key IN ({marks}) GROUP BY key HAVING COUNT(*) > ?",
                [*chunk, max_articles])}
            usable = [k for k in chunk if k not in common]
            if usable:
                marks = ",".join("?" * len(usable))
                found.update(r[0] for r in self.conn.execute(
                    f"SELECT DISTINCT article_id FROM lsh_bands WHERE key IN ({marks})", usable))
        return found

    def save_duplicate(self, verdict: DuplicateSet, member: str) -> None:
        """Record that `member` duplicates `verdict.canonical`."""
        self.conn.execute(
            "INSERT INTO duplicates (article_id, canonical, relation, score) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET canonical = excluded.canonical, relation = excluded.relation, "
            "score = excluded.score",
            (member, verdict.canonical, verdict.relation, verdict.score))
        self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", (verdict.canonical, member))

    def duplicate_sets(self) -> list[DuplicateSet]:
        """Every stored duplicate set, grouped by canonical article."""
        groups: dict[tuple[str, str], list[tuple[str, float]]] = {}
        for row in self.conn.execute(
                "SELECT canonical, relation, article_id, score FROM duplicates ORDER BY canonical, article_id"):
            groups.setdefault((row[0], row[1]), []).append((row[2], row[3]))
        return [DuplicateSet(canonical, tuple(m for m, _ in members), relation,
                             min(score for _, score in members))
                for (canonical, relation), members in groups.items()]

    def repoint_duplicates(self, old_canonical: str, new_canonical: str) -> None:
        """Make every copy of `old_canonical` a copy of `new_canonical` instead."""
        self.conn.execute("UPDATE duplicates SET canonical = ? WHERE canonical = ?", (new_canonical, old_canonical))
        self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?",
                          (new_canonical, old_canonical))

    def save_displaced(self, article_id: str, twin: str) -> None:
        """Record that `article_id` displaced the stored canonical `twin` (the first one recorded wins)."""
        self.conn.execute("INSERT INTO displaced (article_id, twin) VALUES (?, ?) ON CONFLICT DO NOTHING", (article_id, twin))

    def displaced(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The copy each of these articles displaced, for those that displaced one."""
        return {row[0]: row[1] for row in self._rows_for(
            "SELECT article_id, twin FROM displaced WHERE article_id IN ({marks})", article_ids)}

    def _rows_for(self, sql: str, article_ids: Sequence[str]) -> Iterator[tuple]:
        """The rows of `sql` (its `{marks}` the placeholders of an IN list) over the ids, 500 at a time."""
        ids = list(article_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)
