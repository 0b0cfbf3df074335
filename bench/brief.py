"""Bench of the whole brief: faithfulness, conflicts, summary support and build time, beside a lead baseline.

For the seed story (through the real pipeline: ingest, clean, dedup, cluster, brief) and for ECB+
stories (`../shared/data/ecbplus/ecbplus-dev.jsonl`, the first N gold `story` groups with five or
more articles, one sentence per line as annotated, copies marked by storyline.dedup), each story is
briefed by `pipeline.analyse_story` (entities, timeline, quotes, claims, compare, brief) and the
bench prints, per story and in total:

- verified: the share of brief statements (summary, agreed, single-source, per-source, conflicts,
  timeline, quotes) that pass `storyline.verify` against the story's sentences (target: all);
- conflicts: the number of conflicts found;
- summary 2+: the share of summary sentences supported by two or more independent sources;
- seconds: brief build time per story.

Baseline, measured in the same run: the lead brief (the first sentence of five words or more of each
article as the summary, cited to its article), verified and scored the same way.

Run: `PYTHONPATH=. python bench/brief.py [--stories N] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.compare import ecbplus_stories  # noqa: E402
from bench.datasets import ECBPLUS, SEEDS, require  # noqa: E402
from storyline import contract, pipeline  # noqa: E402
from storyline.brief import build_brief, duplicate_map, independent_root  # noqa: E402
from storyline.records import Article, Statement, Story  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.verify import statements, verify_brief  # noqa: E402


def lead_brief(story_id: str, articles: Sequence[Article]):
    """The baseline: each article's lead sentence, cited to it, as the summary."""
    duplicate_of = duplicate_map(articles, ())
    summary = []
    for article in sorted(articles, key=lambda a: a.id):
        lead = next((s for s in article.sentences if len(s.text.split()) >= 5), None)
        if lead is not None:
            summary.append(Statement(lead.text, (lead.id,), (independent_root(article.id, duplicate_of),)))
    brief = build_brief(story_id, "lead", articles)
    return contract.brief_json(brief) | {"summary": [contract.statement_json(s) for s in summary]}


def score(brief: dict, articles: Sequence[Article]) -> dict:
    """Faithfulness and support figures of one brief JSON."""
    sentences = {s.id: s for a in articles for s in a.sentences}
    bodies = {a.id: a.body for a in articles}
    violations = verify_brief(brief, sentences.get, bodies.get)
    failing = {v.where for v in violations if not v.where.startswith("entities")}
    total = sum(1 for _ in statements(brief))
    summary = brief["summary"]
    supported = sum(1 for s in summary if len({c.rpartition(":")[0] for c in s["cites"]}) >= 2
                    and len(set(s.get("sources") or ())) >= 2)
    return {"statements": total, "verified": total - len(failing), "conflicts": len(brief["conflicts"]),
            "summary": len(summary), "summary_2plus": supported,
            "violations": [v.message() for v in violations][:5]}


def run_story(name: str, articles: Sequence[Article]) -> dict:
    story = Story(name, tuple(sorted(a.id for a in articles)), None, None, name)
    started = time.perf_counter()
    brief, _ = pipeline.analyse_story(articles, story)
    seconds = time.perf_counter() - started
    ours = score(contract.brief_json(brief), articles)
    lead = score(lead_brief(name, articles), articles)
    return {"story": name, "articles": len(articles), "seconds": round(seconds, 2), "ours": ours, "lead": lead}


def seed_story() -> dict:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "seed.db") as store:
        pipeline.add(store, sorted(str(p) for p in SEEDS.glob("0*.txt")))
        articles = list(store.iter_articles())
    return run_story("seed", articles)


def totals(rows: Sequence[dict], side: str) -> dict:
    statements_ = sum(r[side]["statements"] for r in rows)
    summary = sum(r[side]["summary"] for r in rows)
    return {"verified": round(sum(r[side]["verified"] for r in rows) / statements_, 4) if statements_ else 0.0,
            "statements": statements_, "conflicts": sum(r[side]["conflicts"] for r in rows),
            "summary_2plus": round(sum(r[side]["summary_2plus"] for r in rows) / summary, 4) if summary else 0.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=12, help="ECB+ stories to brief (default 12)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.stories:
        require(ECBPLUS)

    rows = [seed_story()]
    for story, articles, _ in ecbplus_stories(args.stories):
        rows.append(run_story(story, articles))
    ecb = [r for r in rows if r["story"] != "seed"]
    result = {"stories": rows, "seed": {"ours": totals(rows[:1], "ours"), "lead": totals(rows[:1], "lead")},
              "ecbplus": {"ours": totals(ecb, "ours"), "lead": totals(ecb, "lead")},
              "seconds_per_story": round(sum(r["seconds"] for r in rows) / len(rows), 2)}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"bench/brief.py: seed story + {len(ecb)} ECB+ stories, briefed by pipeline.analyse_story")
    for r in rows:
        o, l = r["ours"], r["lead"]
        print(f"{r['story']:12s} {r['articles']:3d} articles {r['seconds']:6.2f} s  "
              f"ours verified {o['verified']}/{o['statements']} conflicts {o['conflicts']} summary 2+ "
              f"{o['summary_2plus']}/{o['summary']}  |  lead verified {l['verified']}/{l['statements']} "
              f"summary 2+ {l['summary_2plus']}/{l['summary']}")
        for message in o["violations"]:
            print(f"    violation: {message}")
    for part in ("seed", "ecbplus"):
        for side in ("ours", "lead"):
            t = result[part][side]
            print(f"{part:8s} {side:5s} verified={t['verified']:.4f} of {t['statements']} statements  "
                  f"conflicts={t['conflicts']}  summary_2plus={t['summary_2plus']:.3f}")
    print(f"brief build time: {result['seconds_per_story']} s per story (mean)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
