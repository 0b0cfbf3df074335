"""Bench of the claims and compare stages: the seed story and ECB+ stories, beside a lead-sentence baseline.

Per story it prints the conflicts found (each one, to inspect for false
conflicts) and the share of agreed statements backed by two or more
independent sources, beside the baseline measured in the same run: the lead
sentence of each article, cited to its article (what a reader gets without
alignment: every statement has one source, no conflict is ever found).

- Seed story (`tests/data/seeds`, through the real pipeline: ingest, clean,
  dedup into a fresh store): claims -> compare -> brief. A cited sentence
  backs a statement when it passes storyline.verify's check (the text is cut
  from the first cited sentence; every other shares a third of its content
  words). Also EXPECTED.md section 5 and 6 items, scored by
  bench/seed_checklist.py on our brief and on the lead brief, and the four
  expected conflicts.
- ECB+ stories (`../shared/data/ecbplus/ecbplus-dev.jsonl` beside the repository, the first N
  `story` groups with five or more articles; one sentence per line, as
  annotated; copies found by storyline.dedup count once): a cited sentence
  backs a statement when it shares an annotated event instance with the
  statement's own sentence (the annotators linked event mentions across
  documents). "facts" = distinct event instances of backed agreed statements;
  the baseline's = instances in the leads of two or more articles.

Run: `PYTHONPATH=. python bench/compare.py [--stories N] [--no-seed] [--json]`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import ECBPLUS, SEEDS, require  # noqa: E402
from storyline import contract, dedup, pipeline  # noqa: E402
from storyline.brief import build_brief  # noqa: E402
from storyline.claims import extract_claims  # noqa: E402
from storyline.compare import UPDATE_KINDS, compare, copies_of  # noqa: E402
from storyline.records import independent_root  # noqa: E402
from storyline.records import Article, Origin, Outlet, Published, Sentence, sentence_id  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.verify import shares_content, supported  # noqa: E402

# EXPECTED.md section 5 conflicts: (label, kind, words the reason or the cited claims hold).
SEED_CONFLICTS = (
    ("Crimea: March 2014 vs March 2021", "date", ("2014", "2021")),
    ("two days vs three days between the calls", "relative-date", ("two days", "three days")),
    ("respond decisively vs react decisively", "quote-wording", ("respond", "react")),
    ("cannot move on vs impossible move over", "quote-wording", ("cannot", "impossible")),
)


@dataclass
class StoryFigures:
    """What one story gives, ours beside the lead baseline."""

    story: str
    articles: int
    independent: int
    claims: int
    groups: int
    agreed: int
    single: int
    conflicts: list[str]
    statements: int  # agreed statements of the brief (judged ones, for ECB+)
    backed: int  # ... backed by 2+ independent sources
    lead_statements: int
    lead_backed: int
    seconds: float
    facts: int = 0
    lead_facts: int = 0
    extra: dict = field(default_factory=dict)

    def share(self) -> float:
        return self.backed / self.statements if self.statements else 0.0

    def lead_share(self) -> float:
        return self.lead_backed / self.lead_statements if self.lead_statements else 0.0


def load_bench(name: str):
    """Import bench/<name>.py (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def lead_sentences(articles: Sequence[Article]) -> list[Sentence]:
    """The lead of each article: its first sentence of five words or more."""
    leads = []
    for article in articles:
        lead = next((s for s in article.sentences if len(s.text.split()) >= 5), None)
        if lead is not None:
            leads.append(lead)
    return leads


Backs = Callable[[str, str, str], bool]  # (statement text, its own sentence id, a cited sentence id)


def backers(text: str, cites: Sequence[str], copies: dict[str, str], backs: Backs) -> set[str]:
    """Independent sources among a statement's citations whose sentence backs it (the first cite is its own)."""
    return {independent_root(cite.rpartition(":")[0], copies) for cite in cites if backs(text, cites[0], cite)}


def run_story(name: str, articles: Sequence[Article], backs: Backs) -> tuple[StoryFigures, dict]:
    """Claims, compare and brief for one story; support counted with `backs`."""
    started = time.perf_counter()
    claims = extract_claims(articles)
    groups, conflicts = compare(claims, articles)
    brief = build_brief(name, name, articles, groups=groups, conflicts=conflicts)
    seconds = time.perf_counter() - started
    copies = copies_of(articles)
    statements = [s for s in brief.agreed if backs(s.text, s.cites[0], s.cites[0])]
    backed = sum(len(backers(s.text, s.cites, copies, backs)) >= 2 for s in statements)
    leads = [s for s in lead_sentences(articles) if backs(s.text, s.id, s.id)]
    lead_backed = sum(len(backers(s.text, [s.id], copies, backs)) >= 2 for s in leads)  # one cite: never 2
    figures = StoryFigures(
        name, len(articles), len({independent_root(a.id, copies) for a in articles}), len(claims), len(groups),
        sum(g.kind == "agreed" for g in groups), sum(g.kind == "single" for g in groups),
        # Candidates for updates (compare.UPDATE_KINDS) are no disagreement: the brief makes them updates or drops them.
        [f"{c.kind}: {c.reason} {[x.sentence_id for x in c.claims]}" for c in conflicts if c.kind not in UPDATE_KINDS],
        len(statements), backed, len(leads), lead_backed, seconds)
    return figures, contract.brief_json(brief)


def seed_run() -> tuple[StoryFigures, dict]:
    """The seed story through the pipeline, compare and brief; EXPECTED.md items beside the lead brief."""
    checklist = load_bench("seed_checklist")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "seed.db") as store:
        pipeline.add(store, sorted(str(p) for p in SEEDS.glob("0*.txt")))
        articles = sorted(store.iter_articles(), key=lambda a: a.id)
    text_of = {s.id: s.text for a in articles for s in a.sentences}

    def backs(text: str, own: str, cite: str) -> bool:
        return cite in text_of and (supported(text, [text_of[cite]]) or shares_content(text, text_of[cite]))

    figures, brief = run_story("seed", articles, backs)
    arts = checklist.by_file(articles)
    label = {a.id: prefix for prefix, a in arts.items()}
    lead = checklist.lead_brief(articles)
    items = {"facts": checklist.fact_items(brief, arts), "summary": checklist.summary_items(brief, arts)}
    lead_items = {"facts": checklist.fact_items(lead, arts), "summary": checklist.summary_items(lead, arts)}
    expected = []
    for name, kind, words in SEED_CONFLICTS:
        hit = any(c["kind"] == kind and all(w in c["reason"] + " ".join(x["text"] for x in c["claims"]) for w in words)
                  for c in (*brief["conflicts"], *brief.get("wording", ())))  # quotes worded otherwise: `wording`
        expected.append((name, hit))
    figures.extra = {"items": items, "lead_items": lead_items, "expected_conflicts": expected,
                     "labels": label}
    return figures, brief


def ecbplus_stories(count: int, path: Path = ECBPLUS) -> list[tuple[str, list[Article], dict[str, set[str]]]]:
    """(story, articles, sentence id -> annotated event instances) for the first `count` ECB+ stories of `path`."""
    by_story: dict[str, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            by_story[doc["story"]].append(doc)
    chosen = [s for s in sorted(by_story, key=story_order) if len(by_story[s]) >= 5][:count]
    out = []
    for story in chosen:
        articles, events = [], {}
        for doc in sorted(by_story[story], key=lambda d: d["id"]):
            # One sentence per line (the annotation's sentence numbers); the URL line is no sentence.
            sentences, body, offset = [], [], 0
            for n, line in enumerate(doc["text"].split("\n")):
                if not line.strip() or line.startswith("http"):
                    continue
                sentences.append(Sentence(sentence_id(doc["id"], n), n, line, offset, offset + len(line), len(body)))
                body.append(line)
                offset += len(line) + 2
            articles.append(Article(doc["id"], doc["id"], Origin("jsonl", str(path), doc["id"]), "", Outlet(), (),
                                    Published(), "en", "\n\n".join(body), tuple(sentences)))
            for mention in doc["mentions"]:
                if mention["kind"] == "event":
                    events.setdefault(sentence_id(doc["id"], mention["sentence"]), set()).add(mention["instance"])
        # Copies of one report count once: the dedup stage marks them, as the pipeline does.
        verdicts = dedup.copy_map(dedup.find_duplicates(articles))
        articles = [replace(a, duplicate_of=verdicts.get(a.id)) for a in articles]
        out.append((story, articles, events))
    return out


def story_order(story: str) -> tuple[int, str]:
    """ECB+ stories in topic order."""
    topic, _, kind = story.partition("-")
    return int(topic), kind


def ecbplus_run(count: int, path: Path = ECBPLUS) -> list[StoryFigures]:
    """Figures for the first `count` ECB+ stories of `path`."""
    results = []
    for story, articles, events in ecbplus_stories(count, path):
        def backs(text: str, own: str, cite: str) -> bool:
            # The statement's own sentence (its first cite) names the events it states.
            return bool(events.get(own, set()) & events.get(cite, set()))

        figures, brief = run_story(story, articles, backs)
        copies = copies_of(articles)
        facts: set[str] = set()
        for statement in brief["agreed"]:
            own_cite = statement["cites"][0]
            for cite in statement["cites"][1:]:
                if independent_root(cite.rpartition(":")[0], copies) \
                        != independent_root(own_cite.rpartition(":")[0], copies):
                    facts |= events.get(own_cite, set()) & events.get(cite, set())
        lead_count: dict[str, int] = defaultdict(int)
        for lead in lead_sentences(articles):
            for instance in events.get(lead.id, ()):
                lead_count[instance] += 1
        figures.facts = len(facts)
        figures.lead_facts = sum(1 for n in lead_count.values() if n >= 2)
        results.append(figures)
    return results


def print_story(f: StoryFigures) -> None:
    print(f"{f.story:11} {f.articles:4d} {f.independent:4d} {f.claims:6d} {f.agreed:6d} {f.single:6d} "
          f"{len(f.conflicts):5d} {f.backed:4d}/{f.statements:<4d} {f.lead_backed:3d}/{f.lead_statements:<3d} "
          f"{f.facts:5d} {f.lead_facts:5d} {f.seconds:5.1f}")
    for conflict in f.conflicts:
        print(f"    conflict {conflict}")


HEADER = (f"{'story':11} {'arts':>4} {'ind.':>4} {'claims':>6} {'agreed':>6} {'single':>6} {'confl':>5} "
          f"{'ours 2+src':>9} {'lead 2+':>7} {'facts':>5} {'lead':>5} {'sec':>5}")


def totals(stories: Sequence[StoryFigures]) -> dict:
    """Summed figures of several stories."""
    statements = sum(f.statements for f in stories)
    backed = sum(f.backed for f in stories)
    leads = sum(f.lead_statements for f in stories)
    seconds = sum(f.seconds for f in stories)
    articles = sum(f.articles for f in stories)
    return {"stories": len(stories), "articles": articles, "claims": sum(f.claims for f in stories),
            "conflicts": sum(len(f.conflicts) for f in stories),
            "agreed_backed_share": round(backed / statements, 3) if statements else 0.0,
            "agreed_statements": statements, "agreed_backed": backed,
            "lead_backed_share": round(sum(f.lead_backed for f in stories) / leads, 3) if leads else 0.0,
            "lead_statements": leads, "facts": sum(f.facts for f in stories),
            "lead_facts": sum(f.lead_facts for f in stories), "seconds": round(seconds, 1),
            "articles_per_second": round(articles / seconds, 1) if seconds else 0.0}


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10, help="how many ECB+ stories (default 10)")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed story")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.stories:
        require(ECBPLUS)
    result: dict = {}
    if not args.no_seed:
        seed, _ = seed_run()
        coverage = {k: round(sum(ok for _, ok in v) / len(v), 3) for k, v in seed.extra["items"].items()}
        lead_coverage = {k: round(sum(ok for _, ok in v) / len(v), 3) for k, v in seed.extra["lead_items"].items()}
        found = sum(ok for _, ok in seed.extra["expected_conflicts"])
        result["seed"] = {"conflicts": len(seed.conflicts), "expected_conflicts_found": found,
                          "other_conflicts": len(seed.conflicts) - found,
                          "agreed_backed_share": round(seed.share(), 3), "agreed_statements": seed.statements,
                          "lead_backed_share": round(seed.lead_share(), 3), "checklist": coverage,
                          "lead_checklist": lead_coverage, "seconds": round(seed.seconds, 1)}
        if not args.json:
            print("seed story (EXPECTED.md sections 5 and 6):")
            print(HEADER)
            print_story(seed)
            for section, items in seed.extra["items"].items():
                lead_items = dict(seed.extra["lead_items"][section])
                for item, ok in items:
                    print(f"  [{'x' if ok else ' '}] {section}: {item}   (lead brief: {'x' if lead_items[item] else '-'})")
            for name, ok in seed.extra["expected_conflicts"]:
                print(f"  [{'x' if ok else ' '}] expected conflict: {name}")
            print(f"  seed: checklist facts {coverage['facts']:.0%} summary {coverage['summary']:.0%} "
                  f"(lead brief {lead_coverage['facts']:.0%} / {lead_coverage['summary']:.0%}); "
                  f"conflicts {len(seed.conflicts)} ({found}/{len(SEED_CONFLICTS)} expected found); agreed statements "
                  f"backed by 2+ independent sources {seed.backed}/{seed.statements} ({seed.share():.2f}), "
                  f"lead baseline {seed.lead_backed}/{seed.lead_statements} ({seed.lead_share():.2f})")
    if args.stories:
        if not args.json:
            print(f"\nECB+ stories (ecbplus-dev, first {args.stories} with 5+ articles):")
            print(HEADER)
        stories = []
        for figures in ecbplus_run(args.stories):
            stories.append(figures)
            if not args.json:
                print_story(figures)
        result["ecbplus"] = totals(stories)
        if not args.json:
            t = result["ecbplus"]
            print(f"ECB+ total: {t['stories']} stories, {t['articles']} articles, {t['claims']} claims, "
                  f"{t['conflicts']} conflicts (listed above: candidates to inspect); agreed statements backed by "
                  f"2+ independent sources (annotated events): ours {t['agreed_backed']}/{t['agreed_statements']} "
                  f"({t['agreed_backed_share']:.2f}), lead baseline 0/{t['lead_statements']} "
                  f"({t['lead_backed_share']:.2f}); agreed facts (event instances) ours {t['facts']}, "
                  f"leads {t['lead_facts']}; {t['seconds']} s ({t['articles_per_second']} articles/s)")
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
