"""Shared fixtures: a real SQLite store holding the seed story; a real PostgreSQL server; store targets of both."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import pipeline
from storyline.claims import extract_claims
from storyline.clean import clean_documents
from storyline.entities import find_entities
from storyline.records import Article, Brief, BriefConflict, BriefSource, Document, Origin, Statement, content_id
from storyline.store import Store

# The real data the tests read, all in the repository (tests/data/README.md says what and whence):
DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"  # the seed story: five reports and EXPECTED.md
SEED_FILES = sorted(str(p) for p in SEEDS.glob("0*.txt"))
ECBPLUS = DATA / "ecbplus" / "ecbplus-tests.jsonl"  # the ECB+ dev documents the tests use
ECBPLUS_HOLDOUT = DATA / "ecbplus" / "ecbplus-holdout.jsonl"  # the holdout gold half's documents (one test reads them)
EXTRACTION = DATA / "article-extraction-benchmark"  # ground-truth.json and html/<sha256>.html.gz
EXTRACTION_PAGES = EXTRACTION / "html"
# Two benchmark pages with long titles (153 and 128 characters), for tests of cut labels.
LONG_TITLED = [EXTRACTION_PAGES / "dfd43bc0d46e7aaa78ba10fbcb5b9fdfe78771d36cb4c7497e17fb6f69170ec5.html.gz",
               EXTRACTION_PAGES / "4a44ab3e4c41d56ce9b79eb07acb06aed1bc52aba68a950f06e7de7ef848400a.html.gz"]
# Two benchmark pages in Russian, for filters that ignore case beyond ASCII: one names people with Cyrillic
# capitals ("Поризкова", "Джонни Депп"), the other has a Cyrillic capital in its title ("Скайрим ...").
CYRILLIC_PAGES = [EXTRACTION_PAGES / "c82b3d1d540bbbd6081bdfb78b4c068c583aa766bcaaefe7ad16d24e5413a829.html.gz",
                  EXTRACTION_PAGES / "c4a3637c6696f238cf9fe1c7fbb17bbb6731a71d4f5fe399b9b4fc3294a96a6b.html.gz"]


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a real PostgreSQL server started for this test session (tests/postgres.py)."""
    from tests import postgres

    with postgres.server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty PostgreSQL database on the session's server."""
    from tests import postgres

    return postgres.new_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """A new, empty store on each backend: a SQLite file path, then a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("postgres_url")


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


# --- the seed story as the pipeline stores it, and its claims (tests of claims and compare)


@pytest.fixture(scope="session")
def seed_articles(seed_store):
    """The five stored seed articles, in file order."""
    with Store(seed_store) as store:
        articles = list(store.iter_articles())
    return tuple(sorted(articles, key=lambda a: Path(a.origin.location).name))


@pytest.fixture(scope="session")
def seed_ids(seed_articles):
    """File prefix ("000" .. "004", as EXPECTED.md names them) -> stored article id."""
    return {Path(a.origin.location).name[:3]: a.id for a in seed_articles}


@pytest.fixture(scope="session")
def seed_claims(seed_articles):
    """Claims of the seed story (parsed once per test run)."""
    return tuple(extract_claims(seed_articles))


@pytest.fixture(scope="session")
def claims_of(seed_claims, seed_ids):
    """claims_of("003", needle): the claims of one seed article whose text contains `needle`."""
    def find(label: str, needle: str):
        return [c for c in seed_claims if c.article == seed_ids[label] and needle in c.text]
    return find


@pytest.fixture(scope="session")
def seed_entities(seed_articles):
    """The entities of the seed story."""
    return find_entities(seed_articles)


def articles_from_texts(texts: dict[str, str]) -> list[Article]:
    """Clean plain texts (file name -> text) into articles, as ingest + clean do for files."""
    documents = [Document(content_id(text), Origin("file", name), "", "text/plain", text)
                 for name, text in sorted(texts.items())]
    articles = list(clean_documents(documents))
    assert all(isinstance(article, Article) for article in articles)
    return articles


# A report dated only by inference, from the date its URL holds: the opening of ECB+ 13_8ecbplus
# (Anchorage Daily News, CC BY 3.0 via ECB+) as scraped without its date line.
URL_DATED_REPORT = (
    "http://www.adn.com/2012/08/07/2576122/unoccupied-palmer-dairy-warehouse.html\n"
    "Fire destroys historic Mat Maid dairy building in Palmer\n"
    "The Matanuska Maid Block Building, one of the oldest buildings in Palmer, burned to the ground in a "
    "spectacular fire Tuesday morning.\n"
    "The wooden structure at 325 E. Dahlia Ave. was known as the “Old Mat Maid Warehouse.”\n"
    "A 911 caller reported the fire at 3:33 a.m.\n")


# --- one developing story in three polls: ECB+ reports of the Athens bank firebombing of 5 May 2010,
# each with the day it is published on. The second poll brings a later report of more injured (12 -> 18).
ATHENS_POLLS = ((("8_10ecbplus", "2010-05-05"), ("8_3ecbplus", "2010-05-05")),
                (("8_8ecbplus", "2010-05-06"),),
                (("8_7ecbplus", "2010-05-06"), ("8_9ecbplus", "2010-05-06")))


def ecbplus_report(document_id: str) -> dict:
    """One ECB+ document as its outlet published it: URL, title and text (its first lines are URL and title)."""
    import json

    with ECBPLUS.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["id"] == document_id:
                url, title, text = row["text"].split("\n", 2)
                return {"url": url, "title": title, "text": text}
    raise KeyError(document_id)
