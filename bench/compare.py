"""Bench of the claims and compare stages: the seed story and ten ECB+ stories.

Prints, per story: claims, aligned groups, agreed / single-source groups,
conflicts, seconds; beside the baseline "lead sentences of each article, no
alignment", measured in the same run.

- Seed story (`../shared/seeds`): which of EXPECTED.md section 5's agreed facts
  and conflicts were found; the baseline counts the agreed facts a reader gets
  from the articles' lead sentences alone (a fact stated in the leads of two
  or more articles).
- ECB+ stories (`../shared/data/ecbplus/ecbplus-dev.jsonl`, the first ten
  `story` groups with five or more articles): the annotators linked event
  mentions across documents (an `instance` id). An agreed group is correct
  when every pair of its claims from different articles shares an annotated
  event instance; "agreed facts" = distinct event instances shared by the
  claims of a correct agreed group. The baseline's agreed facts = event
  instances mentioned in the lead (first body) sentences of two or more
  articles.

Run: `PYTHONPATH=. python bench/compare.py [--stories N]`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from storyline import nlp
from storyline.claims import extract_claims
from storyline.compare import align_claims, find_conflicts, partition
from storyline.records import Article, Origin, Outlet, Published, Sentence, sentence_id

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
ECBPLUS = SHARED / "data" / "ecbplus" / "ecbplus-dev.jsonl"

# EXPECTED.md section 5, as (label, words every claim of the group must contain
# (any one of each alternative tuple), articles the group must reach).
SEED_AGREED = (
    ("respond decisively if Russia further invades", (("decisively",),), {"000", "001", "003", "004"}),
    ("commitment to sovereignty and territorial integrity", (("sovereignty",),), {"000", "001", "002", "004"}),
    ("about 100,000 Russian troops near the border", (("100,000",),), {"001", "002", "003", "004"}),
    ("Biden and Putin spoke for about an hour on 30 December", (("hour",),), {"000", "003"}),
    ("the call took place on Sunday", (("Sunday",),), {"000", "002", "003", "004"}),
)
SEED_CONFLICTS = (
    ("Crimea: March 2014 vs March 2021", "date", ("2014", "2021")),
    ("two days vs three days between the calls", "relative-date", ("two", "three")),
    ("respond decisively vs react decisively", "quote-wording", ("respond", "react")),
    ("cannot move on vs impossible move over", "quote-wording", ("cannot", "impossible")),
)


def seed_articles() -> list[Article]:
    """The five seed reports as articles: title line, an optional date line, one sentence list per line."""
    splitter = nlp.load(("senter",))
    articles = []
    for path in sorted(SEEDS.glob("0*.txt")):
        article_id = path.stem.split("_")[0]
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        title = lines.pop(0) if not lines[0].endswith((".", "”", '"')) and not lines[0].startswith("date ") else ""
        published = Published()
        match = re.match(r"date (\d{4}-\d\d-\d\d) ", lines[0])
        if match:
            published = Published(match.group(1), False, "date line")
            lines[0] = lines[0][match.end():]
        articles.append(article_from_paragraphs(article_id, title, lines, published, splitter))
    return articles


def article_from_paragraphs(article_id: str, title: str, paragraphs: list[str], published: Published,
                            splitter) -> Article:
    """An article whose body is the paragraphs, split into sentences with body offsets."""
    sentences: list[Sentence] = []
    offset = 0
    for p, paragraph in enumerate(paragraphs):
        for span in splitter(paragraph).sents:
            text = span.text.strip()
            if text:
                start = offset + paragraph.index(text, span.start_char)
                sentences.append(Sentence(sentence_id(article_id, len(sentences)), len(sentences), text,
                                          start, start + len(text), p))
        offset += len(paragraph) + 2
    return Article(article_id, article_id, Origin("file", article_id), title, Outlet(), (), published, "en",
                   "\n\n".join(paragraphs), tuple(sentences))


def ecbplus_stories(count: int) -> list[tuple[str, list[Article], dict[str, set[str]]]]:
    """(story, articles, sentence id -> annotated event instances) for the first `count` ECB+ stories."""
    by_story: dict[str, list[dict]] = defaultdict(list)
    with ECBPLUS.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            by_story[doc["story"]].append(doc)
    chosen = [s for s in sorted(by_story, key=story_order) if len(by_story[s]) >= 5][:count]
    out = []
    for story in chosen:
        articles, events = [], {}
        for doc in sorted(by_story[story], key=lambda d: d["id"]):
            lines = doc["text"].split("\n")
            # One sentence per line (the annotation's sentence numbers); the URL line is no sentence.
            sentences, body, offset = [], [], 0
            for n, line in enumerate(lines):
                if not line.strip() or line.startswith("http"):
                    continue
                sentences.append(Sentence(sentence_id(doc["id"], n), n, line, offset, offset + len(line), len(body)))
                body.append(line)
                offset += len(line) + 2
            articles.append(Article(doc["id"], doc["id"], Origin("jsonl", str(ECBPLUS), doc["id"]), "", Outlet(), (),
                                    Published(), "en", "\n\n".join(body), tuple(sentences)))
            for mention in doc["mentions"]:
                if mention["kind"] == "event":
                    events.setdefault(sentence_id(doc["id"], mention["sentence"]), set()).add(mention["instance"])
        out.append((story, articles, events))
    return out


def story_order(story: str) -> tuple[int, str]:
    """ECB+ stories in topic order."""
    topic, _, kind = story.partition("-")
    return int(topic), kind


def lead_sentence_ids(articles: list[Article]) -> dict[str, str]:
    """Article id -> id of its lead: the first body sentence with a verb-like length (five words or more)."""
    leads = {}
    for article in articles:
        for sentence in article.sentences:
            if len(sentence.text.split()) >= 5:
                leads[article.id] = sentence.id
                break
    return leads


def run_story(articles: list[Article]):
    """Claims, groups, conflicts and seconds for one story."""
    started = time.perf_counter()
    claims = extract_claims(articles)
    groups = align_claims(claims)
    conflicts = find_conflicts(groups)
    return claims, groups, conflicts, time.perf_counter() - started


def seed_report() -> None:
    """Figures for the seed story against EXPECTED.md section 5, and the lead baseline."""
    articles = seed_articles()
    claims, groups, conflicts, seconds = run_story(articles)
    agreed, single = partition(groups)
    print(f"seed: {len(articles)} articles, {len(claims)} claims, {len(groups)} groups, "
          f"{len(agreed)} agreed, {len(single)} single-source, {len(conflicts)} conflicts, {seconds:.1f} s")
    leads = lead_sentence_ids(articles)
    lead_text = {a.id: next(s.text for s in a.sentences if s.id == leads[a.id]) for a in articles if a.id in leads}
    found_facts = baseline_facts = 0
    for label, words, sources in SEED_AGREED:
        best = max((set(g.sources) for g in agreed
                    if all(any(w in c.text for w in alternatives) for c in g.claims for alternatives in words)),
                   key=len, default=set())
        in_leads = {a for a, text in lead_text.items() if all(any(w in text for w in alt) for alt in words)}
        found_facts += len(best) >= 2
        baseline_facts += len(in_leads) >= 2
        print(f"  agreed fact {label!r}: ours {sorted(best) or '-'} (expected {sorted(sources)}); "
              f"leads {sorted(in_leads) or '-'}")
    print(f"  agreed facts found: ours {found_facts}/{len(SEED_AGREED)}, baseline (leads) {baseline_facts}/{len(SEED_AGREED)}")
    expected_found = 0
    for label, kind, words in SEED_CONFLICTS:
        hit = [c for c in conflicts if c.kind == kind and all(w in (c.reason + " ".join(x.text for x in c.claims))
                                                            for w in words)]
        expected_found += bool(hit)
        print(f"  expected conflict {label!r}: {'found' if hit else 'MISSED'}")
    extra = [c for c in conflicts if not any(c.kind == kind and all(w in c.reason + " ".join(x.text for x in c.claims)
                                                                    for w in words)
                                             for _, kind, words in SEED_CONFLICTS)]
    print(f"  expected conflicts found: {expected_found}/{len(SEED_CONFLICTS)}; other conflicts: {len(extra)}")
    for conflict in extra:
        print(f"    other: {conflict.kind}: {conflict.reason} {[c.sentence_id for c in conflict.claims]}")
    print("  baseline (leads, no alignment): 0 conflicts by construction")


def ecbplus_report(count: int) -> None:
    """Figures for ECB+ stories with event-coreference precision, and the lead baseline."""
    totals = defaultdict(float)
    print(f"{'story':12} {'arts':>4} {'claims':>6} {'groups':>6} {'agreed':>6} {'single':>6} {'confl':>5} "
          f"{'agr.ok':>6} {'facts':>5} {'lead':>5} {'sec':>5}")
    for story, articles, events in ecbplus_stories(count):
        claims, groups, conflicts, seconds = run_story(articles)
        agreed, single = partition(groups)
        judged = correct = 0
        facts: set[str] = set()
        for group in agreed:
            pairs = [(a, b) for i, a in enumerate(group.claims) for b in group.claims[i + 1:] if a.article != b.article]
            annotated = [(a, b) for a, b in pairs if a.sentence_id in events and b.sentence_id in events]
            if not annotated:
                continue
            judged += 1
            shared = [events[a.sentence_id] & events[b.sentence_id] for a, b in annotated]
            if all(shared):
                correct += 1
                facts |= set.intersection(*shared) if len(shared) > 1 else shared[0]
        leads = lead_sentence_ids(articles)
        lead_count: dict[str, int] = defaultdict(int)
        for sid in leads.values():
            for instance in events.get(sid, ()):
                lead_count[instance] += 1
        lead_facts = sum(1 for n in lead_count.values() if n >= 2)
        print(f"{story:12} {len(articles):4d} {len(claims):6d} {len(groups):6d} {len(agreed):6d} {len(single):6d} "
              f"{len(conflicts):5d} {correct:3d}/{judged:<3d}{len(facts):5d} {lead_facts:5d} {seconds:5.1f}")
        for conflict in conflicts:
            print(f"    conflict {conflict.kind}: {conflict.reason} {[c.sentence_id for c in conflict.claims]}")
        for key, value in (("articles", len(articles)), ("claims", len(claims)), ("agreed", len(agreed)),
                           ("single", len(single)), ("conflicts", len(conflicts)), ("judged", judged),
                           ("correct", correct), ("facts", len(facts)), ("lead_facts", lead_facts),
                           ("seconds", seconds)):
            totals[key] += value
    precision = totals["correct"] / totals["judged"] if totals["judged"] else 0.0
    print(f"total: {int(totals['articles'])} articles, {int(totals['claims'])} claims, {int(totals['agreed'])} agreed, "
          f"{int(totals['single'])} single, {int(totals['conflicts'])} conflicts; agreed groups whose claims share an "
          f"annotated event: {int(totals['correct'])}/{int(totals['judged'])} ({precision:.2f}); agreed facts "
          f"(event instances): ours {int(totals['facts'])}, baseline leads {int(totals['lead_facts'])}; "
          f"{totals['seconds']:.1f} s ({totals['articles'] / max(totals['seconds'], 1e-9):.1f} articles/s)")


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10, help="how many ECB+ stories (default 10)")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed story")
    args = parser.parse_args(argv)
    if not args.no_seed:
        seed_report()
    ecbplus_report(args.stories)
    return 0


if __name__ == "__main__":
    sys.exit(main())
