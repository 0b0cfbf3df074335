"""Shared fixtures: a real SQLite store holding the seed story."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import pipeline
from storyline.records import Brief, BriefConflict, BriefSource, Statement
from storyline.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
SEED_FILES = sorted(str(p) for p in SEEDS.glob("0*.txt"))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """A store file holding the five seed articles (read-only for tests: copy it to change it)."""
    path = tmp_path_factory.mktemp("seed") / "s.db"
    with Store(path) as store:
        pipeline.add(store, SEED_FILES)
    return path


def sentences_with(store: Store, needle: str):
    return [s for a in store.iter_articles() for s in a.sentences if needle in s.text]


def seed_brief_record(store: Store) -> Brief:
    """A brief made of real stored sentences: the warning every outlet reports, and a real conflict."""
    articles = list(store.iter_articles())
    warning = sentences_with(store, "decisively")
    assert len({s.id.rpartition(":")[0] for s in warning}) >= 4
    first = warning[0]
    start = first.text.find("will respond decisively")
    statement_text = first.text[start:start + len("will respond decisively if Russia further invades Ukraine")] \
        if start >= 0 else first.text
    supporting = [first] + [s for s in warning[1:] if "invade" in s.text]
    crimea_2014 = sentences_with(store, "March 2014")[0]
    crimea_2021 = sentences_with(store, "March 2021")[0]
    brief = Brief(
        story="seedstory", version=1, label="seed",
        sources=tuple(BriefSource(a.outlet.name or f"source {i}", a.id, a.outlet.name, a.title,
                                  a.published.value, a.published.inferred)
                      for i, a in enumerate(articles, start=1)),
        summary=(Statement(statement_text, tuple(s.id for s in supporting),
                           tuple(sorted({s.id.rpartition(":")[0] for s in supporting}))),),
        conflicts=(BriefConflict("date", (Statement(crimea_2014.text, (crimea_2014.id,)),
                                          Statement(crimea_2021.text, (crimea_2021.id,))),
                                 "March 2014 vs March 2021"),))
    return brief


