"""Time expressions on real news: ECB+ dev documents with gold time mentions.

ECB+ marks every time expression of its documents (`mentions` of kind "time",
one sentence per line) and gives mentions of one time across documents the same
`instance` id. For the timeline stage's `find_time_expressions` and for the
baseline "dateparser alone" (`search_dates` on each sentence, the publication
date as RELATIVE_BASE, PREFER_DATES_FROM past), measured in the same run:
- found: share of gold mentions overlapped by an expression of the same sentence
  (all time mentions, and TIME_DATE ones: durations and clock times carry no date);
- resolved: share of the found ones whose expression has a value;
- agree: over pairs of found-and-resolved gold mentions of one `instance` in two
  documents, the share whose values are equal (the same time read the same way);
- relative correct: where one mention of an `instance` states a full date
  ("November 30, 2009"), that date is the gold value of the instance's other
  mentions that state no year ("Monday", "today", "Nov. 30"): the share of those
  resolved to exactly that day. The hard part of resolution, scored against a
  value the corpus itself fixes.
The publication date of a document is its date line near the top, a date with
few other words and no sentence (or None: the ECB documents have none, so only
their absolute dates can resolve, unless the rest of their story is dated).
`ours` reads the documents of one ECB+ story together (`find_story_time_expressions`:
an undated document counts from the day the story's dated ones give, marked
inferred); "ours, articles alone" reads each document by itself, as before.

Usage: python bench/timeline.py [--topics 1-35]
Floors: bench/baseline.json "timeline" (full run and the quick run of tests/test_bench_floors.py).
Deterministic; reads ../shared/data/ecbplus/ecbplus-dev.jsonl beside the repo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import dateparser
from dateparser.search import search_dates

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.datasets import ECBPLUS, require  # noqa: E402
from storyline.records import Article, Origin, Outlet, Published, Sentence, sentence_id  # noqa: E402
from storyline.timeline import find_story_time_expressions, find_time_expressions  # noqa: E402

BASELINE = REPO / "bench" / "baseline.json"
_FULL_DATE = {"REQUIRE_PARTS": ["day", "month", "year"], "RELATIVE_BASE": dt.datetime(2000, 1, 1)}
_DATE_LINE_WORDS = 10  # "SATURDAY, SEPTEMBER 14, 2013, 9:29 PM": a date line is short
# ... and no sentence: "Page was born on April 22, 1923, in Nashville" (4_14ecb) dates a life, not the page.
_SENTENCE_WORD = re.compile(r"\b(?!(?:posted|updated|published|modified)\b)[a-z]{4,}\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|\b)")
_FIXED = _FULL_DATE


def load(topics: range, path: Path = ECBPLUS) -> list[dict]:
    """The ECB+ dev documents of `topics` (from `path`: the full set, or the tests' subset)."""
    with path.open(encoding="utf-8") as lines:
        return [doc for doc in map(json.loads, lines) if doc["topic"] in topics]


def publication_date(lines: list[str]) -> tuple[str | None, str]:
    """The date of the date line near the top (or of a dated URL), ISO, and that line as its evidence
    (the clean stage keeps a date line so: its clock time counts); (None, "") when there is none."""
    for line in lines[:5]:
        if line.startswith("http") or len(line.split()) > _DATE_LINE_WORDS or not _YEAR.search(line) \
                or _SENTENCE_WORD.search(line):
            continue
        found = search_dates(line, languages=["en"], settings=_FIXED) or []
        dated = [d for text, d in found if _YEAR.search(text)]
        if dated:
            return dated[0].date().isoformat(), line.strip()
    match = _URL_DATE.search(lines[0]) if lines else None
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat(), f"date in the URL: {match.group(0)}"
        except ValueError:
            return None, ""
    return None, ""


def article_of(doc: dict) -> Article:
    """An Article whose sentences are the document's lines (ECB+ sentence indexes are line numbers)."""
    lines = doc["text"].split("\n")
    sentences, offset = [], 0
    for n, line in enumerate(lines):
        sentences.append(Sentence(sentence_id(doc["id"], n), n, line, offset, offset + len(line)))
        offset += len(line) + 1
    published, evidence = publication_date(lines)
    return Article(doc["id"], doc["id"], Origin("jsonl", str(ECBPLUS), doc["id"]), "", Outlet(), (),
                   Published(published, False, evidence), "en", doc["text"],
                   tuple(sentences))


def by_sentence(expressions) -> dict[int, list[tuple[int, int, str | None]]]:
    """Spans and values of the stage's expressions, by sentence number."""
    spans: dict[int, list] = defaultdict(list)
    for expression in expressions:
        spans[int(expression.sentence_id.rsplit(":", 1)[1])].append(
            (expression.start, expression.end, expression.value))
    return spans


def ours(articles: list[Article]) -> dict[str, dict[int, list[tuple[int, int, str | None]]]]:
    """The stage's spans and values per article, the articles of one ECB+ story read together (an
    undated one dated from the others: `find_story_time_expressions`)."""
    return {article_id: by_sentence(found) for article_id, found in find_story_time_expressions(articles).items()}


def dateparser_alone(article: Article, numbers: set[int]) -> dict[int, list[tuple[int, int, str | None]]]:
    """Spans and values that `search_dates` finds in the given sentences (the baseline)."""
    settings = {"PREFER_DATES_FROM": "past"}
    if article.published.value:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(article.published.value)
    spans: dict[int, list] = defaultdict(list)
    for n in numbers:
        text = article.sentences[n].text
        position = 0
        for found, value in search_dates(text, languages=["en"], settings=settings) or []:
            start = text.find(found, position)
            if start < 0:
                continue
            position = start + len(found)
            spans[n].append((start, position, value.date().isoformat()))
    return spans


def gold_spans(text: str, mention: str) -> list[tuple[int, int]]:
    """Every place a gold mention's text occurs in its sentence (spacing may differ)."""
    pattern = r"\s*".join(re.escape(part) for part in mention.split())
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def measure(docs: list[dict]) -> dict:
    """The found / resolved / agree / relative-correct figures of the stage and of the baseline over `docs`."""
    systems = {"ours": {}, "ours, articles alone": {}, "dateparser alone": {}}
    outcomes: dict[str, list] = {name: [] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    gold_days = instance_days(docs)
    articles = {doc["id"]: article_of(doc) for doc in docs}
    stories: dict[str, list[Article]] = defaultdict(list)
    for doc in docs:
        stories[doc.get("story", doc["id"])].append(articles[doc["id"]])
    started = time.perf_counter()
    in_story = {i: spans for members in stories.values() for i, spans in ours(members).items()}
    seconds["ours"] += time.perf_counter() - started
    for doc in docs:
        article = articles[doc["id"]]
        gold = [m for m in doc["mentions"] if m["kind"] == "time" and m["sentence"] < len(article.sentences)]
        predicted = {"ours": in_story[article.id]}
        started = time.perf_counter()
        predicted["ours, articles alone"] = by_sentence(find_time_expressions(article))
        seconds["ours, articles alone"] += time.perf_counter() - started
        started = time.perf_counter()
        predicted["dateparser alone"] = dateparser_alone(article, {m["sentence"] for m in gold})
        seconds["dateparser alone"] += time.perf_counter() - started
        for name in systems:
            for mention in gold:
                places = gold_spans(article.sentences[mention["sentence"]].text, mention["text"])
                hits = [v for s, e, v in predicted[name].get(mention["sentence"], [])
                        for gs, ge in places if s < ge and gs < e]
                value = next((v for v in hits if v), None)
                relative = None if _YEAR.search(mention["text"]) else gold_days.get(mention["instance"])
                outcomes[name].append((doc["id"], mention["tag"], mention["instance"], bool(hits), value, relative))
    return {name: dict(_figures(outcomes[name]), seconds=round(seconds[name], 1)) for name in systems}


def instance_days(docs: list[dict]) -> dict[str, str]:
    """The day each gold time instance denotes, where one of its mentions states it in full (and none disagrees)."""
    days: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for mention in doc["mentions"]:
            if mention["kind"] != "time" or not _YEAR.search(mention["text"]):
                continue
            parsed = dateparser.parse(mention["text"], languages=["en"], settings=_FULL_DATE)
            if parsed is not None:
                days[mention["instance"]].add(parsed.date().isoformat())
    return {instance: next(iter(values)) for instance, values in days.items() if len(values) == 1}


def _figures(outcomes: list[tuple]) -> dict:
    dates = [o for o in outcomes if o[1] == "TIME_DATE"]
    found = [o for o in outcomes if o[3]]
    resolved = [o for o in found if o[4]]
    relative = [o for o in outcomes if o[5]]
    by_instance: dict[str, list] = defaultdict(list)
    for o in resolved:
        by_instance[o[2]].append(o)
    pairs = [(a[4] == b[4]) for group in by_instance.values() for a, b in itertools.combinations(group, 2)
             if a[0] != b[0]]
    return {
        "mentions": len(outcomes),
        "found": round(len(found) / max(1, len(outcomes)), 3),
        "found TIME_DATE": round(sum(o[3] for o in dates) / max(1, len(dates)), 3),
        "resolved": round(len(resolved) / max(1, len(found)), 3),
        "resolved TIME_DATE": round(sum(1 for o in dates if o[3] and o[4]) / max(1, sum(o[3] for o in dates)), 3),
        "agree": round(sum(pairs) / max(1, len(pairs)), 3),
        "pairs": len(pairs),
        "relative correct": round(sum(o[4] == o[5] for o in relative) / max(1, len(relative)), 3),
        "relative": len(relative),
    }


def floors() -> dict:
    """The floors of bench/baseline.json "timeline"."""
    return json.loads(BASELINE.read_text(encoding="utf-8"))["timeline"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", default="1-35", help="a range of ECB+ topics, e.g. 1-5")
    args = parser.parse_args()
    require(ECBPLUS)
    first, _, last = args.topics.partition("-")
    docs = load(range(int(first), int(last or first) + 1))
    scores = measure(docs)
    print(f"{len(docs)} documents, topics {args.topics}")
    for name, figures in scores.items():
        print(f"{name:18} " + "  ".join(f"{key} {value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
