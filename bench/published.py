"""Publication-date inference on real news: ECB+ documents whose date line is known.

Many ECB+ documents open with the page URL, the title and a date line (the
true publication date). This script finds that line, removes it and everything
above it, runs `infer_published` on the remaining lines (one sentence each) and
prints how often the inferred date is exact, within 3 / 30 days, missing, or
AFTER the true date (an article cannot report past events after its own
publication, so this must be rare). The baseline, measured in the same run, is
"the latest date with a stated year that dateparser's `search_dates` finds in
the text". Topics 1-19 were used for development; 20-35 are held out.

Usage: python bench/published.py [--limit N]
Deterministic; reads ../shared/data/ecbplus/ecbplus-dev.jsonl beside the repo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dateparser
from dateparser.search import search_dates

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storyline.clean.published import infer_published  # noqa: E402
from storyline.time_expressions import ABSOLUTE, DAY, find_dates  # noqa: E402

ECBPLUS = REPO.parent / "shared" / "data" / "ecbplus" / "ecbplus-dev.jsonl"
DEV_TOPICS = range(1, 20)
_DATE_LINE_WORDS = 8  # a date line is short: "Posted: Thursday, July 29, 2004 2:39 pm"
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


@dataclass(frozen=True, slots=True)
class DatedDocument:
    """An ECB+ document with its true publication date and the body below the date line."""

    id: str
    topic: int
    published: dt.date
    sentences: tuple[str, ...]


def date_line(line: str) -> dt.date | None:
    """The date a line states when the line is a date line (a short line that is mostly a date)."""
    if line.startswith("http") or len(line.split()) > _DATE_LINE_WORDS or "download" in line.lower():
        return None
    mentions = [m for m in find_dates(line) if m.kind == ABSOLUTE and m.granularity == DAY]
    if len(mentions) != 1:
        return None
    parsed = dateparser.parse(mentions[0].text, languages=["en"],
                              settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                        "DATE_ORDER": "DMY" if "." in mentions[0].text else "MDY"})
    return parsed.date() if parsed else None


def dated_documents(path: Path = ECBPLUS) -> list[DatedDocument]:
    """The documents whose first lines hold a date line, with the body below it."""
    documents = []
    with open(path, encoding="utf-8") as lines:
        for raw in lines:
            record = json.loads(raw)
            text_lines = record["text"].split("\n")
            for n, line in enumerate(text_lines[:6]):
                published = date_line(line.strip())
                if published is not None:
                    body = tuple(s for s in text_lines[n + 1:] if s.strip())
                    documents.append(DatedDocument(record["id"], int(record["topic"]), published, body))
                    break
    return documents


def baseline(sentences: tuple[str, ...]) -> dt.date | None:
    """The latest date with a stated year that dateparser's search_dates finds in the text."""
    found = search_dates(" \n".join(sentences), languages=["en"],
                         settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": dt.datetime(2000, 1, 1)}) or []
    dates = [value.date() for text, value in found if _YEAR.search(text)]
    return max(dates, default=None)


def score(pairs: list[tuple[dt.date, dt.date | None]]) -> dict[str, float]:
    """Shares of documents dated exactly, within 3 / 30 days, not at all, after the truth."""
    total = len(pairs) or 1
    given = [(truth, guess) for truth, guess in pairs if guess is not None]
    return {
        "documents": len(pairs),
        "exact": sum(guess == truth for truth, guess in given) / total,
        "within_3": sum(abs((guess - truth).days) <= 3 for truth, guess in given) / total,
        "within_30": sum(abs((guess - truth).days) <= 30 for truth, guess in given) / total,
        "none": (len(pairs) - len(given)) / total,
        "after": sum(guess > truth for truth, guess in given) / total,
        "after_by_more_than_3": sum((guess - truth).days > 3 for truth, guess in given) / total,
        # of the documents given a date, the share within 3 days: how far a given date can be trusted
        "within_3_of_given": sum(abs((guess - truth).days) <= 3 for truth, guess in given) / (len(given) or 1),
    }


def run(documents: list[DatedDocument], wrong: list | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Score inference and baseline on the development and held-out topics.

    wrong: when a list, receives (document, Published) for every inexact inference.
    """
    results: dict[str, dict[str, list]] = {"dev 1-19": {"infer": [], "baseline": []},
                                           "held-out 20-35": {"infer": [], "baseline": []}}
    for document in documents:
        split = "dev 1-19" if document.topic in DEV_TOPICS else "held-out 20-35"
        inferred = infer_published(document.sentences)
        guess = inferred.value
        if wrong is not None and guess != document.published.isoformat():
            wrong.append((document, inferred))
        results[split]["infer"].append((document.published, dt.date.fromisoformat(guess) if guess else None))
        results[split]["baseline"].append((document.published, baseline(document.sentences)))
    return {split: {name: score(pairs) for name, pairs in by_method.items()} for split, by_method in results.items()}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="score only the first N dated documents")
    parser.add_argument("--show", action="store_true", help="print every wrong inference of the dev topics")
    arguments = parser.parse_args()
    started = time.perf_counter()
    documents = dated_documents()
    if arguments.limit:
        documents = documents[: arguments.limit]
    wrong: list = []
    figures = run(documents, wrong)
    print(f"bench/published.py on {ECBPLUS.name}: {len(documents)} documents with a date line "
          f"({time.perf_counter() - started:.0f} s)")
    for split, by_method in figures.items():
        for name, numbers in by_method.items():
            print(f"{split:15} {name:9} " + "  ".join(
                f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}" for key, value in numbers.items()))
    if arguments.show:
        for document, result in wrong:
            if document.topic not in DEV_TOPICS:
                continue  # held-out topics are for reporting, not for reading errors
            print(document.id, document.published, result.value, result.evidence[:220])


if __name__ == "__main__":
    main()
