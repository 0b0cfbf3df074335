"""Bench: cross-document entity grouping on ECB+ (dev topics), against exact-string grouping.

For each gold story (`<topic>-ecb` / `<topic>-ecbplus`) the articles of the
story go through `entities.find_entities`. A gold entity mention is matched to
an NER mention of the same sentence whose text overlaps it; over the matched
gold mentions, B-cubed precision / recall / F1 of our grouping against the
gold `instance` ids is computed, and, in the same run on the same mentions,
of the baseline that groups mentions with the exact same text. Also printed:
the share of gold entity mentions NER finds (gold includes pronouns and
common nouns, which NER never finds), and the share of the capitalised ones.

Usage: python bench/entities.py [--topics 1,2,3] [--write-floor]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.datasets import ECBPLUS, require  # noqa: E402
from storyline.entities import find_entities  # noqa: E402
from storyline.records import Article, Mention, Origin, Outlet, Published, Sentence, sentence_id  # noqa: E402

BASELINE = REPO / "bench" / "baseline.json"
# Topics of the quick run in tests/test_bench_floors.py: small enough for a few seconds.
QUICK_TOPICS = (1, 2, 3)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Result:
    ours: Score
    exact: Score
    gold_mentions: int
    found: int
    capitalised: int
    capitalised_found: int
    stories: int
    seconds: float


def load_documents(topics=None, path: Path = ECBPLUS) -> list[dict]:
    """The ECB+ dev documents (from `path`: the full set, or the tests' subset), optionally of some topics only."""
    documents = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            if topics is None or document["topic"] in topics:
                documents.append(document)
    return documents


def article_of(document: dict) -> Article:
    """An Article whose sentences are the corpus sentences (one per line), so gold indexes line up."""
    lines = document["text"].split("\n")
    sentences, offset = [], 0
    for n, line in enumerate(lines):
        sentences.append(Sentence(sentence_id(document["id"], n), n, line, offset, offset + len(line), n))
        offset += len(line) + 2
    return Article(document["id"], document["id"], Origin("jsonl", str(ECBPLUS), document["id"]), "",
                   Outlet(), (), Published(), "en", "\n\n".join(lines), tuple(sentences))


def b_cubed(items: list[tuple[str, str]]) -> Score:
    """B-cubed P/R/F1 of (gold cluster, predicted cluster) pairs, one per item."""
    if not items:
        return Score(0.0, 0.0, 0.0)
    by_gold, by_pred, by_both = defaultdict(int), defaultdict(int), defaultdict(int)
    for gold, pred in items:
        by_gold[gold] += 1
        by_pred[pred] += 1
        by_both[(gold, pred)] += 1
    precision = sum(by_both[(g, p)] / by_pred[p] for g, p in items) / len(items)
    recall = sum(by_both[(g, p)] / by_gold[g] for g, p in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(round(precision, 4), round(recall, 4), round(f1, 4))


def match(gold_text: str, sentence: str, mentions: list[tuple[Mention, str]]) -> tuple[Mention, str] | None:
    """The NER mention of the sentence that overlaps the gold mention most, if any."""
    start = sentence.find(gold_text)
    if start < 0:
        start = sentence.casefold().find(gold_text.casefold())
    best, best_overlap = None, 0
    for mention, entity in mentions:
        if start >= 0:
            overlap = min(start + len(gold_text), mention.end) - max(start, mention.start)
        else:
            overlap = len(set(gold_text.casefold().split()) & set(mention.text.casefold().split()))
        if overlap > best_overlap:
            best, best_overlap = (mention, entity), overlap
    return best


def run(topics=None, path: Path = ECBPLUS) -> Result:
    """Score our grouping and exact-string grouping on the gold stories of some topics (all when None)."""
    began = time.perf_counter()
    stories: dict[str, list[dict]] = defaultdict(list)
    for document in load_documents(topics, path):
        stories[document["story"]].append(document)
    ours, exact = [], []
    gold_total = found = capitalised = capitalised_found = 0
    for story in sorted(stories):
        documents = stories[story]
        entities = find_entities([article_of(document) for document in documents])
        by_sentence: dict[str, list[tuple[Mention, str]]] = defaultdict(list)
        for entity in entities:
            for mention in entity.mentions:
                by_sentence[mention.sentence].append((mention, entity.id))
        for document in documents:
            lines = document["text"].split("\n")
            for gold in document["mentions"]:
                if gold["kind"] != "entity":
                    continue
                gold_total += 1
                is_capitalised = gold["text"][:1].isupper()
                capitalised += is_capitalised
                n = gold["sentence"]
                if n >= len(lines):
                    continue
                hit = match(gold["text"], lines[n], by_sentence.get(sentence_id(document["id"], n), []))
                if hit is None:
                    continue
                found += 1
                capitalised_found += is_capitalised
                mention, entity = hit
                instance = f"{story}/{gold['instance']}"
                ours.append((instance, entity))
                exact.append((instance, f"{story}/{mention.text}"))
    return Result(b_cubed(ours), b_cubed(exact), gold_total, found, capitalised, capitalised_found,
                  len(stories), round(time.perf_counter() - began, 1))


def report(result: Result, label: str) -> None:
    print(f"{label}: {result.stories} gold stories, {result.seconds} s")
    print(f"  gold entity mentions found by NER: {result.found}/{result.gold_mentions} "
          f"({result.found / max(result.gold_mentions, 1):.3f}); capitalised: "
          f"{result.capitalised_found}/{result.capitalised} "
          f"({result.capitalised_found / max(result.capitalised, 1):.3f})")
    for name, score in (("storyline entities", result.ours), ("exact-string grouping", result.exact)):
        print(f"  {name:24} B-cubed P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", help="comma-separated topic numbers (default: all dev topics)")
    parser.add_argument("--write-floor", action="store_true",
                        help="write the measured F1 (minus a margin) as the floor in bench/baseline.json")
    args = parser.parse_args()
    require(ECBPLUS)
    topics = {int(t) for t in args.topics.split(",")} if args.topics else None
    full = run(topics)
    report(full, "all dev topics" if topics is None else f"topics {sorted(topics)}")
    quick = run(set(QUICK_TOPICS))
    report(quick, f"quick run, topics {list(QUICK_TOPICS)}")
    if args.write_floor:
        baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
        baseline["entities"] = {
            "description": "bench/entities.py: B-cubed F1 of entity grouping over the ECB+ dev gold entity "
                           "mentions NER finds; floors: full run and the quick run of tests/test_bench_floors.py",
            "f1": round(full.ours.f1 - 0.01, 3),
            "quick": {"topics": list(QUICK_TOPICS), "f1": round(quick.ours.f1 - 0.01, 3)},
            "measured": {
                "date": time.strftime("%Y-%m-%d"),
                "ours": vars(full.ours), "exact-string grouping": vars(full.exact),
                "quick ours": vars(quick.ours), "quick exact-string grouping": vars(quick.exact),
                "ner found": round(full.found / max(full.gold_mentions, 1), 3),
            },
        }
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
        print(f"wrote floor to {BASELINE}")


if __name__ == "__main__":
    main()
