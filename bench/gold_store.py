"""One gold story's ECB+ documents through the real pipeline into a fresh SQLite store.

Shared by bench/brief_gold.py and bench/analysis_gold.py: each document's text is written to a file
named for its id, `pipeline.add` runs ingest, clean, dedup and cluster over the files, and the
stored articles are read back. A document with the same bytes as another is stored once; it maps
to that article and is listed as skipped ("the same bytes as <twin>").
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from storyline import pipeline
from storyline.records import Article
from storyline.store import Store


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A gold story in its store: the open store, its articles, and where each document went."""

    store: Store
    articles: list[Article]  # sorted by id
    by_doc: dict[str, Article]  # document id -> its article (a same-bytes twin -> the stored one)
    skipped: dict[str, str]  # document id -> why the pipeline stored no article of its own


@contextmanager
def stored_story(documents: Sequence[dict], prefix: str = "gold_") -> Iterator[StoredStory]:
    """The documents ({id, text}) added to a fresh store in a temporary folder, open while in the block."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp)
        paths = []
        for doc in sorted(documents, key=lambda d: d["id"]):
            path = folder / f"{doc['id'].replace('/', '_')}.txt"
            path.write_text(doc["text"], encoding="utf-8")
            paths.append(str(path))
        with Store(folder / "story.db") as store:
            report = pipeline.add(store, paths)
            skipped = {Path(skip.input).stem: f"skipped by {skip.stage}: {skip.reason.value} ({skip.detail})"
                       for skip in report.skipped}
            articles = sorted(store.iter_articles(), key=lambda a: a.id)
            by_doc = {Path(a.origin.location).stem: a for a in articles}
            stored = set(by_doc)
            for doc in documents:  # the same bytes as another input: one document, one article
                if doc["id"] in stored or doc["id"] in skipped:
                    continue
                twin = next((d["id"] for d in documents if d["id"] in stored and d["text"] == doc["text"]), None)
                skipped[doc["id"]] = f"the same bytes as {twin or '?'}"
                if twin is not None:
                    by_doc[doc["id"]] = by_doc[twin]
            yield StoredStory(store, articles, by_doc, skipped)
