"""Tables of the cluster stage: stories, members, history, profiles, term index.

A live story has a profile (summed term counts) and postings (term, date
bucket) in the inverted index; looking up a new article's rarest terms in a
time window returns its candidate stories without reading the others. A story
absorbed by a merge keeps its row (`merged_into` names the survivor) and its
history, so every article and event stays traceable.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from array import array
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

import orjson

from storyline.records import Story

UNDATED_BUCKET = -1
CHUNK = 500


class StoryTables:
    """Stories and their index (mixin of `Store`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection
    dialect: Any  # dialect.SqliteDialect or dialect.PostgresDialect

    def story_document_count(self) -> int:
        """How many articles have been counted into the term frequencies."""
        row = self.conn.execute("SELECT value FROM story_counters WHERE name = 'documents'").fetchone()
        return row[0] if row else 0

    def story_term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequency of each known term."""
        found: dict[str, int] = {}
        wanted = list(terms)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for term, documents in self.conn.execute(
                    f"SELECT term, documents FROM story_term_frequencies WHERE term IN ({marks})", chunk):
                found[term] = documents
        return found

    def count_story_document(self, terms: Iterable[str]) -> None:
        """Add one article's terms to the frequencies."""
        self.count_story_documents(Counter(iter(terms)), 1)  # iter: a mapping counts its keys once each

    def count_story_documents(self, frequencies: Mapping[str, int], documents: int) -> None:
        """Add the term frequencies of `documents` articles at once (a bulk load)."""
        self.dialect.insert_many(
            self.conn, "INSERT INTO story_term_frequencies (term, documents) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET documents = story_term_frequencies.documents + excluded.documents",
            list(frequencies.items()))
        self.conn.execute(
            "INSERT INTO story_counters (name, value) VALUES ('documents', ?) "
            "ON CONFLICT(name) DO UPDATE SET value = story_counters.value + excluded.value", (documents,))

    def story_candidates(self, terms: Sequence[str], buckets: Sequence[int] | None, limit: int) -> list[str]:
        """The `limit` live stories sharing most terms, in a window of consecutive date buckets (and the undated
        one; every bucket when None).

        Each term's postings in the window are read as one range of the index,
        not one lookup per bucket: a lookup per (term, bucket) pair went down
        the index 600 times a probe, and deeper as the store grew.
        """
        if not terms:
            return []
        term_marks = ",".join("?" * len(terms))
        if buckets is None:
            hits = f"SELECT story_id FROM story_postings WHERE term IN ({term_marks})"
            params: list[Any] = list(terms)
        else:
            hits = (f"SELECT story_id FROM story_postings WHERE term IN ({term_marks}) AND bucket BETWEEN ? AND ? "
                    f"UNION ALL SELECT story_id FROM story_postings WHERE term IN ({term_marks}) AND bucket = ?")
            # Above the undated bucket, which the second part reads (a date's bucket is never below it).
            params = [*terms, max(min(buckets), UNDATED_BUCKET + 1), max(buckets), *terms, UNDATED_BUCKET]
        sql = f"SELECT story_id, COUNT(*) AS hits FROM ({hits}) AS hit GROUP BY story_id ORDER BY hits DESC, story_id LIMIT ?"
        params.append(limit)
        return [row[0] for row in self.conn.execute(sql, params)]

    def story_profile(self, story_id: str) -> dict[str, Any]:
        """One live story: label, first and last dates, members in order, term counts, embedding centroid."""
        row = self.conn.execute(
            "SELECT s.label, s.first_seen, s.last_seen, s.centroid, p.terms FROM stories s "
            "LEFT JOIN story_profiles p ON p.story_id = s.id WHERE s.id = ?", (story_id,)).fetchone()
        if row is None:
            raise KeyError(story_id)
        members = [r[0] for r in self.conn.execute(
            "SELECT article_id FROM story_members WHERE story_id = ? ORDER BY position", (story_id,))]
        # In term order, as the rows of a profile were read before migration 0017 (a sum over the terms
        # then adds in the same order, to the last bit).
        counts = dict(sorted(json.loads(row[4]).items())) if row[4] else {}
        return {"id": story_id, "label": row[0], "first": row[1], "last": row[2],
                "members": members, "counts": counts, "centroid": _floats(row[3])}

    def save_story_profile(self, story_id: str, label: str, first: str | None, last: str | None,
                           members: Sequence[str], counts: Mapping[str, float], buckets: Sequence[int],
                           centroid: Sequence[float] | None = None) -> None:
        """Write a live story's row, members, profile, centroid and postings (replacing the old ones)."""
        self._write_story_row(story_id, label, first, last, len(members), centroid)
        self._write_members(story_id, members, 0)
        self._write_profile(story_id, counts)
        self.conn.execute("DELETE FROM story_postings WHERE story_id = ?", (story_id,))
        self._write_postings(story_id, counts, buckets)

    def update_story_profile(self, story_id: str, label: str, first: str | None, last: str | None,
                             members: Sequence[str], stored_members: int, counts: Mapping[str, float],
                             stored_terms: Iterable[str], buckets: Sequence[int], stored_buckets: Sequence[int],
                             centroid: Sequence[float] | None = None) -> None:
        """Write a live story that the store already holds: `save_story_profile`'s result for a fraction
        of its writes.

        The caller says what the store holds: the first `stored_members` of
        `members`, the terms `stored_terms` indexed under `stored_buckets`.
        The profile is one row, written whole; the postings follow the
        terms, and when the buckets changed, only those under a bucket left
        or reached are written.
        """
        self._write_story_row(story_id, label, first, last, len(members), centroid)
        self._write_members(story_id, members, stored_members)
        self._write_profile(story_id, counts)
        stored = set(stored_terms)
        dropped = sorted(stored - set(counts))
        for start in range(0, len(dropped), CHUNK):
            chunk = dropped[start:start + CHUNK]
            # Under every bucket: a store written before end-bucket indexing holds span postings.
            self.conn.execute(f"DELETE FROM story_postings WHERE story_id = ? AND term IN ({','.join('?' * len(chunk))})",
                              (story_id, *chunk))
        added = [term for term in counts if term not in stored]
        self._write_postings(story_id, added, buckets)
        if tuple(buckets) != tuple(stored_buckets):
            # Only the postings under a bucket the story left or reached change: a span only widens, so a
            # bucket it reaches holds none of its postings yet (those of a span-indexed store lie inside).
            self.conn.execute(
                f"DELETE FROM story_postings WHERE story_id = ? AND bucket NOT IN ({','.join('?' * len(buckets))})",
                (story_id, *buckets))
            kept = sorted(stored - set(dropped))
            self._write_postings(story_id, kept, [bucket for bucket in buckets if bucket not in stored_buckets])

    def _write_profile(self, story_id: str, counts: Mapping[str, float]) -> None:
        """Write a live story's profile (term -> weight) as one row."""
        self.conn.execute(
            "INSERT INTO story_profiles (story_id, terms) VALUES (?, ?) "
            "ON CONFLICT(story_id) DO UPDATE SET terms = excluded.terms",
            (story_id, json.dumps(counts, ensure_ascii=False, separators=(",", ":"), allow_nan=False)))

    def _fill_story_profiles(self) -> None:
        """Migration 0017: the profiles stored as a row per term (`story_terms`) moved into `story_profiles`,
        a chunk of stories at a time; then `story_terms` goes."""
        stories = [row[0] for row in self.conn.execute("SELECT DISTINCT story_id FROM story_terms ORDER BY story_id")]
        for start in range(0, len(stories), CHUNK):
            chunk = stories[start:start + CHUNK]
            profiles: dict[str, dict[str, float]] = {story_id: {} for story_id in chunk}
            for story_id, term, weight in self.conn.execute(
                    f"SELECT story_id, term, weight FROM story_terms WHERE story_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY story_id, term", chunk):
                profiles[story_id][term] = weight
            for story_id, counts in profiles.items():
                self._write_profile(story_id, counts)
        self.conn.execute("DROP TABLE story_terms")

    def _fill_story_search(self) -> None:
        """Migration 0022: the search keys of what was stored before it (story labels, entity names,
        articles' outlets)."""
        self.conn.executemany("UPDATE stories SET label_key = ? WHERE id = ?",
                              [(search_key(label or ""), story_id)
                               for story_id, label in self.conn.execute("SELECT id, label FROM stories").fetchall()])
        self.conn.executemany(
            "UPDATE story_entity_names SET text_key = ? WHERE story_id = ? AND entity = ? AND n = ?",
            [(search_key(text), story_id, entity, n) for story_id, entity, n, text in self.conn.execute(
                "SELECT story_id, entity, n, text FROM story_entity_names").fetchall()])
        self._fill_outlet_columns()
        self._fill_entity_lists()

    def _write_story_row(self, story_id: str, label: str, first: str | None, last: str | None, size: int,
                         centroid: Sequence[float] | None) -> None:
        """Insert or update a live story's row."""
        self.conn.execute(
            "INSERT INTO stories (id, label, first_seen, last_seen, size, centroid, label_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET label = excluded.label, first_seen = excluded.first_seen, "
            "last_seen = excluded.last_seen, size = excluded.size, centroid = excluded.centroid, "
            "label_key = excluded.label_key, merged_into = NULL",
            (story_id, label, first, last, size, _blob(centroid), search_key(label or "")))

    def _write_members(self, story_id: str, members: Sequence[str], start: int) -> None:
        """Put `members[start:]` in a story at their positions (an article moved by a merge changes story)."""
        self.dialect.insert_many(
            self.conn, "INSERT INTO story_members (article_id, story_id, position) VALUES (?, ?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, position = excluded.position",
            [(article_id, story_id, n) for n, article_id in enumerate(members) if n >= start])

    def _write_postings(self, story_id: str, terms: Iterable[str], buckets: Sequence[int]) -> None:
        """Index a story under each of `terms` in each of its `buckets`."""
        self.dialect.insert_many(self.conn, "INSERT INTO story_postings (term, bucket, story_id) VALUES (?, ?, ?)",
                                 [(term, bucket, story_id) for term in terms for bucket in buckets])

    def retire_story(self, story_id: str, merged_into: str) -> None:
        """Mark a story absorbed by a merge; drop its profile and postings, keep row and history."""
        self.conn.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (merged_into, story_id))
        self.conn.execute("DELETE FROM story_profiles WHERE story_id = ?", (story_id,))
        self.conn.execute("DELETE FROM story_postings WHERE story_id = ?", (story_id,))

    def append_story_history(self, story_id: str, kind: str, article_id: str, other: str, score: float) -> None:
        """Record one event (created, joined, merged) of a story."""
        self.conn.execute(
            "INSERT INTO story_history (story_id, kind, article_id, other, score) VALUES (?, ?, ?, ?, ?)",
            (story_id, kind, article_id, other, score))

    def stories(self) -> list[Story]:
        """Every live story (label, members in order, time span, outlets), largest first."""
        rows = self.conn.execute(
            "SELECT id FROM stories WHERE merged_into IS NULL ORDER BY size DESC, id").fetchall()
        return [self._story(row[0]) for row in rows]

    def story_list(self, since: str | None = None, until: str | None = None, outlet: str | None = None,
                   entity: str | None = None, order: str = "recent", limit: int = 100,
                   offset: int = 0) -> tuple[list[str], int]:
        """One page of the live stories passing the filters, in `order` (a key of `STORY_ORDERS`): their
        ids, and how many stories pass in all.

        A story passes `since` / `until` (ISO dates) when its time span overlaps them (an undated story
        passes neither); `outlet` when it is part of the name (else domain) of one of its articles'
        outlets; `entity` when it is part of the story's label or of an entity's name or spelling in the
        story's newest brief. Outlet and entity match ignoring case, in every script (`search_key`).
        """
        where, params = ["s.merged_into IS NULL"], []
        if since:
            where.append("substr(coalesce(nullif(s.last_seen, ''), nullif(s.first_seen, ''), ''), 1, 10) >= ?")
            params.append(since[:10])
        if until:
            where.append("substr(coalesce(nullif(s.first_seen, ''), nullif(s.last_seen, ''), '9999'), 1, 10) <= ?")
            params.append(until[:10])
        if outlet:
            where.append("EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.id = m.article_id "
                         "WHERE m.story_id = s.id AND a.outlet_key LIKE ? ESCAPE '\\')")
            params.append(_containing(outlet))
        if entity:
            where.append("(s.label_key LIKE ? ESCAPE '\\' OR s.id IN (SELECT e.story_id FROM story_entity_names e "
                         "WHERE e.text_key LIKE ? ESCAPE '\\'))")
            params.extend([_containing(entity)] * 2)
        passing = " AND ".join(where)
        total = self.conn.execute(f"SELECT COUNT(*) FROM stories s WHERE {passing}", params).fetchone()[0]
        rows = self.conn.execute(f"SELECT s.id FROM stories s WHERE {passing} ORDER BY {STORY_ORDERS[order]} "
                                 "LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return [row[0] for row in rows], total

    def story_list_rows(self, story_ids: Sequence[str], briefs: bool = True) -> dict[str, dict[str, Any]]:
        """What the story list shows of each of these stories, read for all of them at once (four queries a
        chunk of stories, not six a story): by id, its `label`, `first_seen`, `last_seen`, `articles` (in
        order), `outlets` (`Story.outlets`), `domains` (`story_domains`), `first_seen_inferred` and
        `last_seen_inferred` (`day_inferred`) and, with `briefs`, of its newest brief the `brief_version`
        (None without a brief) and `entities` (`story_entities`, read as one row a story)."""
        rows: dict[str, dict[str, Any]] = {}
        ids = list(story_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for story_id, label, first, last in self.conn.execute(
                    f"SELECT id, label, first_seen, last_seen FROM stories WHERE id IN ({marks})", chunk):
                rows[story_id] = {"label": label, "first_seen": first, "last_seen": last, "articles": [],
                                  "outlets": {}, "domains": set(), "dates": []}
            for story_id, article_id, outlet, domain, published, inferred in self.conn.execute(
                    "SELECT m.story_id, m.article_id, a.outlet, a.outlet_domain, a.published, a.published_inferred "
                    f"FROM story_members m LEFT JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({marks}) "
                    "ORDER BY m.story_id, m.position", chunk):
                row = rows[story_id]
                row["articles"].append(article_id)
                if outlet:
                    data = orjson.loads(outlet)  # a row per article: orjson reads it 3-4x faster than json
                    name = data.get("name") or data.get("domain")
                    if name:
                        row["outlets"][name] = None
                if domain:
                    row["domains"].add(domain)
                if published:
                    row["dates"].append((published, bool(inferred)))
            if briefs:
                for story_id, version in self.conn.execute(
                        f"SELECT story_id, MAX(version) FROM briefs WHERE story_id IN ({marks}) GROUP BY story_id",
                        chunk):
                    rows[story_id]["brief_version"] = version
        listed = self.story_entity_lists(rows) if briefs else {}
        for story_id, row in rows.items():
            row["outlets"] = sorted(row["outlets"])
            row["domains"] = sorted(row["domains"])
            dates = row.pop("dates")
            for end in ("first_seen", "last_seen"):  # as `day_inferred`: every member of that day inferred
                flags = [inferred for day, inferred in dates if day == row[end]] if row[end] else []
                row[f"{end}_inferred"] = bool(flags) and all(flags)
            if briefs:
                row.setdefault("brief_version", None)
                row["entities"] = listed.get(story_id, [])
        return rows

    def story_domains(self, story_id: str) -> list[str]:
        """The outlet domains of a story's articles, sorted, each once."""
        return [row[0] for row in self.conn.execute(
            "SELECT DISTINCT a.outlet_domain FROM story_members m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = ? AND a.outlet_domain <> '' ORDER BY a.outlet_domain", (story_id,))]

    def get_story(self, story_id: str) -> Story | None:
        """One story; a story absorbed by a merge resolves to the story that absorbed it."""
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                return None
            if row[0] is None:
                return self._story(story_id)
            story_id = row[0]
        return None

    def day_inferred(self, story_id: str, day: str | None) -> bool:
        """Whether a day of a story's span rests only on publication dates inferred from the text: every
        member published that day has its date inferred."""
        if not day:
            return False
        row = self.conn.execute(
            "SELECT COUNT(*), MIN(a.published_inferred) FROM story_members m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = ? AND a.published = ?", (story_id, day)).fetchone()
        return bool(row[0]) and bool(row[1])

    def story_ids_starting(self, prefix: str) -> list[str]:
        """The ids of the live stories whose id starts with `prefix` (none for an empty prefix), in id order."""
        if not prefix:
            return []
        rows = self.conn.execute("SELECT id FROM stories WHERE merged_into IS NULL AND substr(id, 1, ?) = ? ORDER BY id",
                                 (len(prefix), prefix)).fetchall()
        return [row[0] for row in rows]

    def find_story(self, story_id: str) -> tuple[Story | None, list[str]]:
        """(the story, []) for a story id (a merged story's gives the story it went into) or a unique id
        prefix; (None, the ids the prefix matches) otherwise: none, or several."""
        story = self.get_story(story_id)
        if story is not None:
            return story, []
        candidates = self.story_ids_starting(story_id)
        if len(candidates) == 1:
            return self.get_story(candidates[0]), []
        return None, candidates

    def story_of_article(self, article_id: str) -> str | None:
        """The live story an article belongs to."""
        row = self.conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def stories_of_article(self, article_id: str) -> list[str]:
        """Every story an article has belonged to: the live one first, then those merged away."""
        current = self.story_of_article(article_id)
        if current is None:
            return []
        found = [current]
        for (story_id,) in self.conn.execute(
                "SELECT story_id FROM story_history WHERE article_id = ? ORDER BY seq", (article_id,)).fetchall():
            while story_id is not None and story_id not in found:  # follow the merges to the live story
                found.append(story_id)
                row = self.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
                story_id = row[0] if row else None
        return found

    def _story(self, story_id: str) -> Story:
        """Build the record of one live story."""
        label, first, last = self.conn.execute(
            "SELECT label, first_seen, last_seen FROM stories WHERE id = ?", (story_id,)).fetchone()
        members, outlets = [], {}
        for article_id, outlet in self.conn.execute(
                "SELECT m.article_id, a.outlet FROM story_members m LEFT JOIN articles a ON a.id = m.article_id "
                "WHERE m.story_id = ? ORDER BY m.position", (story_id,)):
            members.append(article_id)
            if outlet:
                data = json.loads(outlet)
                name = data.get("name") or data.get("domain")
                if name:
                    outlets[name] = None
        return Story(story_id, tuple(members), first, last, label, tuple(sorted(outlets)))

    def story_history(self, story_id: str) -> list[dict[str, Any]]:
        """Events of a story and of every story merged into it, oldest first."""
        ids, frontier = {story_id}, [story_id]
        while frontier:
            current = frontier.pop()
            for (absorbed,) in self.conn.execute("SELECT id FROM stories WHERE merged_into = ?", (current,)):
                if absorbed not in ids:
                    ids.add(absorbed)
                    frontier.append(absorbed)
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT seq, story_id, kind, article_id, other, score FROM story_history "
            f"WHERE story_id IN ({marks}) ORDER BY seq", sorted(ids)).fetchall()
        return [{"story": r[1], "kind": r[2], "article": r[3], "other": r[4], "score": r[5]} for r in rows]

    def unclustered_articles(self) -> list[tuple[str, str | None]]:
        """(id, published) of every stored article that belongs to no story yet."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT a.id, a.published FROM articles a "
            "WHERE NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id)")]

    def clustered(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these articles already belong to a story."""
        found: set[str] = set()
        ids = list(article_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT article_id FROM story_members WHERE article_id IN ({marks})", chunk))
        return found


# The orders of `story_list`: the story whose brief changed last first (the newest `brief_changes` row of
# each story, through its index; stories with no change last, by their latest day), latest first, largest
# first, newest start first, by label. Undated stories come last in the orders by date; ties go to the
# larger story, then by id.
STORY_ORDERS = {
    "updated": "(SELECT MAX(c.created) FROM brief_changes c WHERE c.story_id = s.id) DESC NULLS LAST, "
               "s.last_seen DESC NULLS LAST, s.size DESC, s.id",
    "recent": "s.last_seen DESC NULLS LAST, s.size DESC, s.id",
    "size": "s.size DESC, s.last_seen DESC NULLS LAST, s.id",
    "first_seen": "s.first_seen DESC NULLS LAST, s.size DESC, s.id",
    "label": "s.label_key, s.size DESC, s.id",
}


def search_key(text: str) -> str:
    """A text as the story list's filters compare it (the stored `*_key` columns, and what is typed):
    its NFKC form case-folded (`str.casefold`: the capitals of every script, "ß" as "ss"), then NFKC
    again, so "Поризкова", "ПОРИЗКОВА" and "поризкова", or a composed and a decomposed "É", are one key."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _containing(text: str) -> str:
    """A LIKE pattern (escape character backslash) matching any search key that contains `text`'s."""
    escaped = search_key(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _blob(values: Sequence[float] | None) -> bytes | None:
    """A vector as little-endian float32 bytes (None stays NULL)."""
    return _little_endian(array("f", values)).tobytes() if values else None


def _floats(blob: bytes | None) -> list[float] | None:
    """The vector stored by `_blob`."""
    return _little_endian(array("f", blob)).tolist() if blob else None


def _little_endian(packed: array) -> array:
    """Swap a float32 array's bytes on a big-endian machine (the stored order is little-endian)."""
    if sys.byteorder == "big":
        packed.byteswap()
    return packed
