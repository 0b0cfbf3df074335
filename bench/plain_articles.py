"""Build `Article` records from the plain texts of ECB+ and the seed story (bench and test adapter).

Stands in for the clean stage until it is on main: one sentence per line; an
ECB+ text that opens with its URL has its title on the next line and often a
date line after it (parsed with dateparser for `published`); a seed text may
open with "date YYYY-MM-DD". Swap `articles_from_texts` for
`storyline.clean.clean_documents` when that lands; nothing else changes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import dateparser

from bench.datasets import ECBPLUS, SEEDS
from storyline.records import Article, Origin, Outlet, Published, Sentence, content_id, sentence_id

DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2]|[a-z]{3})[/-]?(0[1-9]|[12]\d|3[01])(?:[/_-]|$)"
)
DATE_SETTINGS = {"REQUIRE_PARTS": ["year", "month"], "PREFER_DATES_FROM": "past"}


def article_from_text(text: str, location: str) -> Article:
    """One Article from a plain text with one sentence per line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    url, title, published = "", "", Published()
    if lines and lines[0].startswith("http"):
        url = lines.pop(0)
        if lines:
            title = lines.pop(0)
        for position, line in enumerate(lines[:2]):
            if len(line) < 60 and any(ch.isdigit() for ch in line):
                found = dateparser.parse(line, languages=["en"], settings=DATE_SETTINGS)
                if found:
                    published = Published(found.date().isoformat(), False, line)
                    lines.pop(position)
                    break
        if published.value is None:
            published = _date_in_url(url)
    elif lines:
        prefix = DATE_PREFIX.match(lines[0])
        if prefix:
            published = Published(prefix.group(1), False, prefix.group(0).strip())
            lines[0] = lines[0][prefix.end():]
        elif len(lines) > 1 and len(lines[0]) < 120 and not lines[0].endswith("."):
            title = lines.pop(0)
    article_id = content_id(text)
    sentences, offset = [], 0
    for n, line in enumerate(lines):
        sentences.append(Sentence(sentence_id(article_id, n), n, line, offset, offset + len(line)))
        offset += len(line) + 1
    return Article(
        id=article_id,
        document_id=article_id,
        origin=Origin("file", location, url=url),
        title=title,
        outlet=Outlet(),
        authors=(),
        published=published,
        language="en",
        body="\n".join(lines),
        sentences=tuple(sentences),
    )


def _date_in_url(url: str) -> Published:
    """A date written in an article's URL path (/2013/05/03/, /20130503/, /2013/may/03/)."""
    found = URL_DATE.search(url.lower())
    if not found:
        return Published()
    text = "-".join(found.groups())
    parsed = dateparser.parse(text, languages=["en"], settings={"DATE_ORDER": "YMD"})
    return Published(parsed.date().isoformat(), False, found.group(0)) if parsed else Published()


def ecbplus_articles(path: Path = ECBPLUS) -> tuple[list[Article], dict[str, str], dict[str, int]]:
    """The ECB+ dev documents (772 in the full set) as Articles, with gold story and topic per article id."""
    articles, story, topic = [], {}, {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            article = article_from_text(record["text"], f"ecbplus#{record['id']}")
            articles.append(article)
            story[article.id] = record["story"]
            topic[article.id] = record["topic"]
    return articles, story, topic


def seed_articles() -> list[Article]:
    """The five seed reports as Articles."""
    return [
        article_from_text(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(SEEDS.glob("*.txt"))
    ]


def ecbplus_cleaned_articles(topics=None, path: Path = ECBPLUS) -> tuple[list[Article], dict[str, str], dict[str, int]]:
    """The ECB+ dev documents (of some topics, or all; from `path`) through the real ingest and clean stages.

    Returns the articles with gold story and topic per article id.

    What the shipped pipeline does with a plain-text file: the clean stage
    reads the URL, title and date line, and infers a publication date
    (marked inferred) from the text when none is stated. Documents the clean
    stage skips are left out (none were, 2026-11).
    """
    from storyline import clean, ingest
    from storyline.records import Origin

    documents, story, topic = [], {}, {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if topics is not None and record["topic"] not in topics:
                continue
            name = record["id"].replace("/", "_") + ".txt"
            document = next(ingest.read_bytes(record["text"].encode(), Origin("file", name), filename=name))
            documents.append(document)
            story[document.id] = record["story"]
            topic[document.id] = record["topic"]
    articles = [a for a in clean.clean_documents(documents) if isinstance(a, Article)]
    return articles, {a.id: story[a.document_id] for a in articles}, {a.id: topic[a.document_id] for a in articles}
