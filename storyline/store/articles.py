"""Tables of documents, articles, sentences and skipped inputs."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Sequence

from storyline.records import (
    Article, Document, Origin, Outlet, Published, Removed, Sentence, Skipped,
)
from storyline.store.stories import search_key


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class ArticleTables:
    """Documents, articles with their sentences, and skips (mixin of `Store`)."""

    conn: Any  # sqlite3.Connection or dialect.PostgresConnection

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this id is stored."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row is not None

    def known_documents(self, ids: Iterable[str]) -> set[str]:
        """The subset of `ids` already stored as documents."""
        ids = list(ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
        return found

    def save_document(self, doc: Document) -> bool:
        """Store a document; return False when it was already there (a no-op)."""
        cursor = self.conn.execute(
            "INSERT INTO documents (id, origin, fetched, media_type, metadata, text) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (doc.id, _dumps(asdict(doc.origin)), doc.fetched, doc.media_type,
             _dumps(dict(doc.metadata)), doc.text))
        return cursor.rowcount == 1

    def save_article(self, article: Article) -> bool:
        """Store an article and its sentences; return False when it was already there."""
        cursor = self.conn.execute(
            "INSERT INTO articles (id, document_id, origin, title, outlet, authors, published, "
            "published_inferred, published_evidence, language, body, removed, duplicate_of, added, "
            "outlet_key, outlet_domain) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (article.id, article.document_id, _dumps(asdict(article.origin)), article.title,
             _dumps(asdict(article.outlet)), _dumps(list(article.authors)), article.published.value,
             int(article.published.inferred), article.published.evidence, article.language,
             article.body, _dumps([asdict(r) for r in article.removed]), article.duplicate_of, _now(),
             *outlet_columns(asdict(article.outlet))))
        if cursor.rowcount != 1:
            return False
        self.conn.executemany(
            'INSERT INTO sentences (article_id, n, text, start, "end", paragraph) VALUES (?, ?, ?, ?, ?, ?)',
            [(article.id, s.n, s.text, s.start, s.end, s.paragraph) for s in article.sentences])
        return True

    def _fill_outlet_columns(self) -> None:
        """Give the articles stored before migration 0012 their outlet columns (see `outlet_columns`)."""
        rows = self.conn.execute("SELECT id, outlet FROM articles").fetchall()
        self.conn.executemany("UPDATE articles SET outlet_key = ?, outlet_domain = ? WHERE id = ?",
                              [(*outlet_columns(json.loads(outlet or "{}")), article_id) for article_id, outlet in rows])

    def set_duplicate_of(self, article_id: str, canonical: str | None) -> None:
        """Record which article this one duplicates (None: it is canonical)."""
        self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", (canonical, article_id))

    def record_skip(self, skip: Skipped) -> None:
        """Keep a skipped input, so later runs and the UI can count them (once per input, stage and reason)."""
        self.conn.execute("INSERT INTO skips (input, stage, reason, detail, at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (input, stage, reason) DO UPDATE SET detail = excluded.detail, at = excluded.at",
                          (skip.input, skip.stage, skip.reason.value, skip.detail, _now()))

    def skip_counts(self) -> dict[str, int]:
        """How many inputs were skipped, by reason."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT reason, COUNT(*) FROM skips GROUP BY reason")}

    def article_count(self) -> int:
        """How many articles are stored."""
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def get_article(self, article_id: str) -> Article | None:
        """One article by id (or by a unique id prefix), or None."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and 4 <= len(article_id) < 16:
            rows = self.conn.execute("SELECT * FROM articles WHERE id LIKE ? LIMIT 2",
                                     (article_id + "%",)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return self._article(row) if row is not None else None

    def article_body(self, article_id: str) -> str | None:
        """The body text of a stored article, or None (what `verify` checks entity forms against)."""
        article = self.get_article(article_id)
        return article.body if article is not None else None

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """The stored articles among `ids`, in the order given."""
        by_id: dict[str, Article] = {}
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
                by_id[row["id"]] = self._article(row)
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(self, *, after_seq: int = 0) -> Iterator[Article]:
        """Every stored article in arrival order."""
        rows = self.conn.execute("SELECT * FROM articles WHERE seq > ? ORDER BY seq", (after_seq,)).fetchall()
        for row in rows:
            yield self._article(row)

    def get_sentence(self, sentence_id: str) -> Sentence | None:
        """One stored sentence by its id `<article>:<n>`."""
        article_id, _, n = sentence_id.rpartition(":")
        if not n.isdigit():
            return None
        row = self.conn.execute('SELECT * FROM sentences WHERE article_id = ? AND n = ?',
                                (article_id, int(n))).fetchone()
        if row is None:
            return None
        return Sentence(sentence_id, row["n"], row["text"], row["start"], row["end"], row["paragraph"])

    def _article(self, row) -> Article:
        sentences = tuple(
            Sentence(f"{row['id']}:{s['n']}", s["n"], s["text"], s["start"], s["end"], s["paragraph"])
            for s in self.conn.execute(
                'SELECT n, text, start, "end", paragraph FROM sentences WHERE article_id = ? ORDER BY n',
                (row["id"],)))
        return Article(
            id=row["id"],
            document_id=row["document_id"],
            origin=Origin(**json.loads(row["origin"])),
            title=row["title"],
            outlet=Outlet(**json.loads(row["outlet"])),
            authors=tuple(json.loads(row["authors"])),
            published=Published(row["published"], bool(row["published_inferred"]), row["published_evidence"]),
            language=row["language"],
            body=row["body"],
            sentences=sentences,
            removed=tuple(Removed(**r) for r in json.loads(row["removed"])),
            duplicate_of=row["duplicate_of"],
        )


def outlet_columns(outlet: dict[str, Any]) -> tuple[str, str]:
    """The story list's columns of an article's outlet: the search key of the outlet a story lists (its
    name, else its domain), to filter on; its domain ('' for none)."""
    return search_key(outlet.get("name") or outlet.get("domain") or ""), outlet.get("domain") or ""
