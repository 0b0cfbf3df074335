"""Bench: relative dates, quote speakers and copies on the hand-made gold stories, beside baselines.

For each gold story of `bench/gold/` (schema in bench/gold/SCHEMA.md; one half of `split.json`, or
both) the story's ECB+ documents go through the real pipeline (`pipeline.add`: ingest, clean, dedup
into a fresh SQLite store), then the analysis stages run on the stored articles:
`timeline.find_time_expressions`, `entities.find_entities` and `quotes.find_quotes`. Gold evidence is
located in the stored sentences as bench/brief_gold.py does (`Locator`). Figures, per half, ours
beside a baseline measured in the same run on the same articles:

- dates: share of the gold `time_mentions` ("last week", "Saturday", "two days after the quake")
  for which an expression of ours inside the gold phrase has the gold value (the same day, month,
  year or range). Baseline: dateparser alone (`search_dates` on the sentence, the article's
  publication date, stated or inferred, as RELATIVE_BASE, PREFER_DATES_FROM past).
- speakers: over the variants of the gold `quotes` that have a speaker (one quote in one document),
  the share where a quote of ours holds the variant's phrase ("quote found") and has a speaker
  ("speaker found"; over the variants found as quotes, "speaker of found quotes", the issue's
  target: >= 0.9; the other variants are indirect speech), and the share whose speaker is the gold one
  ("speaker right": the gold name's last word is a word of our speaker's name or of one of its
  entity's forms). Baseline: the person named nearest the quote in its sentence, outside the quote
  (else in the sentence before).
- copies: gold `copies` and `versions` pairs (every pair of a listed group; a version is one outlet's
  report at two moments, one source) that the stored duplicate sets join, and gold `rewrites` pairs
  (a later report adding new facts: a new source) that they keep apart.
  Baseline: the exact normalised-body hash (`dedup.normalise`) alone.

A gold item whose phrase cannot be located (its line was cleaned away) counts as missed and is
listed with `--list`.

Floors: `--write-floor` writes both halves' figures less a margin under the "analysis_gold" key of
bench/baseline.json (and no other key); tests/test_bench_analysis_gold.py fails when a figure of
the report half drops below its floor.

Usage: PYTHONPATH=. python bench/analysis_gold.py [--half tune|report|both] [--stories a,b] [--list]
[--write-floor]
Data: bench/gold/ and ../shared/data/ecbplus/ecbplus-dev.jsonl beside the repository (tests read
tests/data's subset, which holds every gold document).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from dateparser.search import search_dates

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import gold_store  # noqa: E402
from bench.brief_gold import Locator, StoryRun, load_documents, load_gold, load_split  # noqa: E402
from bench.datasets import ECBPLUS, require  # noqa: E402
from storyline import dedup, name_keys  # noqa: E402
from storyline.entities import find_entities  # noqa: E402
from storyline.quotes import find_quotes  # noqa: E402
from storyline.records import Article, Sentence  # noqa: E402
from storyline.timeline import find_story_time_expressions, interval  # noqa: E402
from storyline.verify import squash  # noqa: E402

BASELINE = REPO / "bench" / "baseline.json"
MARGIN = 0.02  # floors sit this far under the measured figures
FIGURES = ("dates", "quote found", "speaker found", "speaker right", "copies met", "rewrites kept")
# Why a gold time mention is missed: no expression in its phrase; expressions, none resolved (nothing
# to count from); a value holding the gold one or inside it (a week for a day, a month for a week); a
# value elsewhere (counted from the wrong day or event).
DATE_MISSES = ("not found", "no anchor", "wrong granularity", "wrong anchor")
# Speaker found over the gold variants the stage finds as quotes (the issue's "quotes that have a
# speaker": the rest of the gold variants are indirect speech or marks the cleaner lost).
SPEAKER_OF_FOUND = "speaker of found quotes"
SHOWN = FIGURES[:3] + (SPEAKER_OF_FOUND,) + FIGURES[3:]
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Tally:
    """Right / all counts of each figure, and the misses (for --list)."""

    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    misses: dict[str, list[str]] = field(default_factory=lambda: {figure: [] for figure in FIGURES})
    date_misses: Counter = field(default_factory=Counter)  # why a gold time mention was missed (DATE_MISSES)

    def count(self, figure: str, ok: bool, why: str = "") -> None:
        self.total[figure] += 1
        self.right[figure] += ok
        if not ok:
            self.misses[figure].append(why)

    def add(self, other: Tally) -> None:
        for figure in FIGURES:
            self.right[figure] += other.right[figure]
            self.total[figure] += other.total[figure]
            self.misses[figure] += other.misses[figure]
        self.date_misses += other.date_misses

    def share(self, figure: str) -> float | None:
        if figure == SPEAKER_OF_FOUND:
            found = self.right["quote found"]
            return round(self.right["speaker found"] / found, 3) if found else None
        return round(self.right[figure] / self.total[figure], 3) if self.total[figure] else None

    def count_of(self, figure: str) -> str:
        if figure == SPEAKER_OF_FOUND:
            return f"{self.right['speaker found']}/{self.right['quote found']}"
        return f"{self.right[figure]}/{self.total[figure]}"


# --- the story through the pipeline


def stored_story(story: str, documents: Sequence[dict]) -> tuple[StoryRun, dict[str, Article]]:
    """The story's documents added to a fresh store; the run (for `Locator`) and document id -> article.

    A document with the same bytes as another is stored once: it maps to that article (`gold_store`).
    """
    started = time.perf_counter()
    with gold_store.stored_story(documents, prefix="analysis_gold_") as stored:
        articles, by_doc = stored.articles, stored.by_doc
    run = StoryRun(story, [d["id"] for d in documents], articles, {}, {}, {}, time.perf_counter() - started,
                   stored.skipped)
    return run, by_doc


# --- dates


def phrase_spans(sentence: Sentence, phrase: str) -> list[tuple[int, int]]:
    """Where a gold phrase lies in a sentence (spacing and case free); the whole sentence when cut."""
    pattern = r"\s*".join(re.escape(part) for part in phrase.split())
    spans = [m.span() for m in re.finditer(pattern, sentence.text, re.IGNORECASE)]
    return spans or [(0, len(sentence.text))]


def same_value(ours: str | None, gold: str) -> bool:
    """Whether two values denote the same day, month, year or range."""
    if not ours:
        return False
    if ours == gold:
        return True
    try:
        return interval(ours) == interval(gold)
    except ValueError:
        return False


def dateparser_values(article: Article, sentence: Sentence) -> list[tuple[int, int, str]]:
    """The baseline: dateparser's `search_dates` on the sentence against the publication date."""
    settings = {"PREFER_DATES_FROM": "past"}
    if article.published.value:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(article.published.value[:10])
    found, position = [], 0
    for text, value in search_dates(sentence.text, languages=["en"], settings=settings) or []:
        start = sentence.text.find(text, position)
        if start >= 0:
            position = start + len(text)
            found.append((start, position, value.date().isoformat()))
    return found


def score_dates(gold: dict, locator: Locator, by_doc: dict[str, Article], tallies: dict[str, Tally]) -> None:
    expressions: dict[str, list[tuple[int, int, str | None]]] = {}
    articles = list({a.id: a for a in by_doc.values()}.values())
    for found in find_story_time_expressions(articles).values():
        for expression in found:
            expressions.setdefault(expression.sentence_id, []).append(
                (expression.start, expression.end, expression.value))
    for mention in gold.get("time_mentions", ()):
        located = locator.locate(mention)
        label = f"{mention['doc']}: {mention['phrase']!r} = {mention['value']} ({mention.get('anchor', '')})"
        article = by_doc.get(mention["doc"])
        sentences = [s for s in article.sentences if s.id in located.sentences] if article else []
        values = {"ours": [], "baseline": []}
        for sentence in sentences:
            spans = phrase_spans(sentence, mention["phrase"]) if len(sentences) == 1 else [(0, len(sentence.text))]
            inside = [(s, e, v) for s, e, v in expressions.get(sentence.id, ())
                      if any(s < pe and ps < e for ps, pe in spans)]
            values["ours"] += [v for _, _, v in inside]
            values["baseline"] += [v for s, e, v in dateparser_values(article, sentence)
                                   if any(s < pe and ps < e for ps, pe in spans)]
        undated_story = not any(a.published.value for a in by_doc.values())
        for side, found in values.items():
            ok = any(same_value(v, mention["value"]) for v in found)
            why = f"{label} -> {found or located.reason or 'no expression'}"
            tallies[side].count("dates", ok, why)
            if not ok:
                tallies[side].date_misses[date_miss(found, mention["value"])] += 1
                tallies[side].date_misses["of them in a story with no dated article"] += undated_story


def date_miss(found: Sequence[str | None], gold: str) -> str:
    """Why no value of `found` is the gold one: one of DATE_MISSES."""
    values = [v for v in found if v]
    if not found:
        return DATE_MISSES[0]
    if not values:
        return DATE_MISSES[1]
    first, last = interval(gold)
    spans = [interval(v) for v in values]
    if any(a <= first and last <= b or first <= a and b <= last for a, b in spans):
        return DATE_MISSES[2]
    return DATE_MISSES[3]


# --- quote speakers


def name_words(text: str) -> set[str]:
    return {name_keys.joined_key(word) for word in _WORD.findall(text or "")}


def speaker_matches(gold_name: str, names: Sequence[str]) -> bool:
    """Whether the gold speaker's last name word is a word of one of our names for the speaker."""
    words = _WORD.findall(gold_name)
    if not words:
        return False
    last = name_keys.joined_key(words[-1])
    return any(last in name_words(name) for name in names)


def nearest_person(article: Article, sentence_index: int, quote_span: tuple[int, int],
                   people: dict[str, list[tuple[int, int, object]]]) -> object | None:
    """The baseline speaker: the person mention nearest the quote outside it, else in the sentence before."""
    sentence = article.sentences[sentence_index]
    start, end = quote_span[0] - sentence.start, quote_span[1] - sentence.start
    outside = [(min(abs(s - end), abs(e - start)), entity) for s, e, entity in people.get(sentence.id, ())
               if e <= start or s >= end]
    if outside:
        return min(outside, key=lambda item: item[0])[1]
    if sentence_index > 0:
        before = people.get(article.sentences[sentence_index - 1].id, ())
        if before:
            return max(before, key=lambda item: item[0])[2]
    return None


def score_quotes(gold: dict, locator: Locator, by_doc: dict[str, Article], tallies: dict[str, Tally]) -> None:
    articles = sorted({a.id: a for a in by_doc.values()}.values(), key=lambda a: a.id)
    entities = find_entities(articles)
    forms = {e.id: [e.name, *(f.text for f in e.forms)] for e in entities}
    people: dict[str, list] = {}
    for entity in entities:
        if entity.type == "PERSON":
            for mention in entity.mentions:
                people.setdefault(mention.sentence, []).append((mention.start, mention.end, entity))
    ours = [q for group in find_quotes(articles, entities) for q in group.variants]
    for item in gold.get("quotes", ()):
        if not item.get("speaker"):
            continue
        for variant in item["variants"]:
            located = locator.locate(variant)
            article = by_doc.get(variant["doc"])
            label = f"{variant['doc']}: {variant['phrase'][:60]!r} by {item['speaker']}"
            wanted = squash(variant["phrase"])
            holding = [q for q in ours if article is not None and q.article == article.id
                       and set(q.sentence_ids) & located.sentences
                       and (wanted in squash(q.text) or (squash(q.text) and squash(q.text) in wanted))]
            quote = max(holding, key=lambda q: len(q.text)) if holding else None
            names = [quote.speaker_name, *forms.get(quote.speaker, ())] if quote else []
            tallies["ours"].count("quote found", quote is not None, f"{label}: {located.reason or 'no quote'}")
            tallies["ours"].count("speaker found", bool(quote and quote.speaker_name),
                                  f"{label}: {'no quote' if quote is None else 'no speaker'}")
            tallies["ours"].count("speaker right", speaker_matches(item["speaker"], names),
                                  f"{label}: got {quote.speaker_name if quote else None!r}")
            # The baseline reads the same quote (ours, or the phrase itself when we found none).
            person = None
            if article is not None and located.sentences:
                index = next(i for i, s in enumerate(article.sentences) if s.id in located.sentences)
                start = article.body.find(quote.text) if quote else -1
                span = (start, start + len(quote.text)) if start >= 0 else _phrase_in_body(article, index, variant)
                person = nearest_person(article, index, span, people)
            for figure in ("quote found",):
                tallies["baseline"].count(figure, quote is not None, label)
            tallies["baseline"].count("speaker found", person is not None, label)
            tallies["baseline"].count("speaker right", person is not None and speaker_matches(
                item["speaker"], forms.get(person.id, ())), f"{label}: got {getattr(person, 'name', None)!r}")


def _phrase_in_body(article: Article, index: int, variant: dict) -> tuple[int, int]:
    sentence = article.sentences[index]
    start, end = phrase_spans(sentence, variant["phrase"])[0]
    return sentence.start + start, sentence.start + end


# --- copies


def score_copies(gold: dict, by_doc: dict[str, Article], tallies: dict[str, Tally]) -> None:
    def root(article: Article) -> str:
        return article.duplicate_of or article.id

    def body_key(article: Article) -> str:
        return dedup.normalise(article.body)

    # Versions of one report are one source: joined like copies (bench/gold/SCHEMA.md).
    for kind, figure, want_joined in (("copies", "copies met", True), ("versions", "copies met", True),
                                      ("rewrites", "rewrites kept", False)):
        for item in gold.get(kind, ()):
            for a, b in itertools.combinations(item["docs"], 2):
                first, second = by_doc.get(a), by_doc.get(b)
                if first is None or second is None:
                    continue
                label = f"{a} / {b} ({item.get('why', '')[:70]})"
                ours = root(first) == root(second)
                baseline = body_key(first) == body_key(second)
                tallies["ours"].count(figure, ours == want_joined, label)
                tallies["baseline"].count(figure, baseline == want_joined, label)


# --- runs


def run_half(stories: Sequence[str], path: Path = ECBPLUS, on_story=None) -> dict[str, Tally]:
    """Both sides' tallies over the given gold stories."""
    golds, missing = load_gold(stories)
    if missing:
        raise SystemExit(f"gold stories missing: {', '.join(missing)}")
    documents = load_documents(golds, path)
    totals = {"ours": Tally(), "baseline": Tally()}
    for story in stories:
        started = time.perf_counter()
        run, by_doc = stored_story(story, documents[story])
        locator = Locator(run, documents[story])
        tallies = {"ours": Tally(), "baseline": Tally()}
        score_dates(golds[story], locator, by_doc, tallies)
        score_quotes(golds[story], locator, by_doc, tallies)
        score_copies(golds[story], by_doc, tallies)
        for side in totals:
            totals[side].add(tallies[side])
        if on_story:
            on_story(story, tallies, time.perf_counter() - started)
    return totals


def line(name: str, tally: Tally) -> str:
    return f"  {name:9}" + "  ".join(f"{figure} {tally.share(figure)} ({tally.count_of(figure)})" for figure in SHOWN)


def write_floors(measured: dict[str, dict[str, Tally]]) -> None:
    data = json.loads(BASELINE.read_text(encoding="utf-8"))
    entry = {"description": "bench/analysis_gold.py: gold time mentions resolved to their value, gold quote "
                            "variants found with a speaker / the right speaker, gold copies joined and rewrites "
                            "kept apart by the stored duplicate sets; floors = measured less "
                            f"{MARGIN} (tests/test_bench_analysis_gold.py checks the report half)",
             "measured": dt.date.today().isoformat()}
    for half, sides in measured.items():
        entry[half] = {figure: max(0.0, round(sides["ours"].share(figure) - MARGIN, 3))
                       for figure in SHOWN if sides["ours"].share(figure) is not None}
        entry[half]["stories"] = load_split()[half]
    data["analysis_gold"] = entry
    BASELINE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "report", "both"), default="tune")
    parser.add_argument("--stories", help="comma-separated gold stories instead of a half")
    parser.add_argument("--list", action="store_true", help="list the misses of ours")
    parser.add_argument("--write-floor", action="store_true", help="write both halves' floors to baseline.json")
    args = parser.parse_args(argv)
    require(ECBPLUS)
    split = load_split()
    halves = {"stories": args.stories.split(",")} if args.stories else {
        half: split[half] for half in (("tune", "report") if args.half == "both" or args.write_floor else (args.half,))}
    measured = {}
    for half, stories in halves.items():
        def progress(story, tallies, seconds):
            print(f"{story:11} {seconds:5.1f}s" + line("", tallies["ours"])[11:], flush=True)

        sides = run_half(stories, on_story=progress)
        measured[half] = sides
        print(f"{half} ({len(stories)} stories):")
        for side, tally in sides.items():
            print(line(side, tally))
        misses = sides["ours"].date_misses
        print("  date misses of ours: " + ", ".join(f"{why} {misses[why]}" for why in DATE_MISSES)
              + f" (in stories with no dated article: {misses['of them in a story with no dated article']})")
        if args.list:
            for figure in FIGURES:
                for miss in sides["ours"].misses[figure]:
                    print(f"    miss {figure}: {miss}")
    if args.write_floor:
        write_floors(measured)
        print(f"floors written to {BASELINE.relative_to(REPO)} 'analysis_gold'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
