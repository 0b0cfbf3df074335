"""Fixtures of the timeline tests: the seed story's articles and ECB+ documents as articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.records import Article, Origin, Outlet, Published, Sentence, sentence_id
from storyline.store import Store
from tests.conftest import ECBPLUS


@pytest.fixture(scope="session")
def seed_articles(seed_store) -> dict[str, Article]:
    """The five cleaned seed articles by file prefix ("000" .. "004")."""
    with Store(seed_store) as store:
        articles = list(store.iter_articles())
    return {Path(a.origin.location).name[:3]: a for a in articles}


def ecbplus_article(doc_id: str, published: str | None = None) -> Article:
    """An ECB+ dev document as an article whose sentences are its lines, with the given publication date."""
    with ECBPLUS.open(encoding="utf-8") as lines:
        doc = next(d for d in map(json.loads, lines) if d["id"] == doc_id)
    sentences, offset = [], 0
    for n, line in enumerate(doc["text"].split("\n")):
        sentences.append(Sentence(sentence_id(doc_id, n), n, line, offset, offset + len(line)))
        offset += len(line) + 1
    return Article(doc_id, doc_id, Origin("jsonl", str(ECBPLUS), doc_id), "", Outlet(), (),
                   Published(published, False, "date line" if published else ""), "en", doc["text"],
                   tuple(sentences))
