"""The wrong joins and splits of story clustering on ECB+ dev, to read (bench/cluster.py scores them).

Runs the shipped defaults on one stream per cross-validation fold (as the
held-out score of bench/cluster.py does), and for each gold story that is
split or joined with another prints its articles: id, date (`~` inferred,
`-` none), headline, heaviest people / places / organisations / years, the
story each landed in and the score that joined it (`joined 0.21`, or the
merge that brought its story in).

Usage: PYTHONPATH=. python bench/cluster_errors.py [--fold K ...] [--topic T ...]
Reads the cleaned articles and features cached by bench/cluster.py.
"""

from __future__ import annotations

import argparse
import heapq
import sys
from dataclasses import replace
from collections import defaultdict
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cluster import b_cubed, cleaned_cached, copies_of, features_cached, folds_of
from storyline.cluster import ClusterConfig, place_features
from storyline.cluster.online import Assigner, MemoryBook


def run_with_history(features, config: ClusterConfig, twins):
    """The stories of one stream and the change history (article -> how it entered its story)."""
    book = MemoryBook()
    _, left = place_features(features, book, config, twins)
    Assigner(book, config).add_batch(left)
    entered: dict[str, str] = {}
    for change in book.history:
        if change.kind == "created":
            entered[change.article] = "opened"
        elif change.kind == "joined":
            entered[change.article] = (f"copy of {change.other[:8]}" if change.other
                                       else f"joined {change.score:.3f}")
    merges = [c for c in book.history if c.kind == "merged"]
    labels = {member: story.id for story in book.stories.values() for member in story.members}
    return labels, entered, merges


def heaviest(terms: dict[str, float], prefix: str, n: int = 2) -> str:
    """The n heaviest names of one kind (`prefix`) in an article's terms, comma-separated."""
    top = heapq.nlargest(n, ((w, t[2:]) for t, w in terms.items() if t.startswith(prefix)))
    return ",".join(name for _, name in top)


def describe(item, entered: str, story: str) -> str:
    """One line for an article: id, date, story, how it entered, heaviest names and years, headline."""
    terms = item.counts()
    date = item.published or "-"
    mark = "~" if item.published_inferred else " "
    return (f"    {item.article_id[:8]} {mark}{date:<10} [{story[:6]}] {entered:<16} "
            f"p:{heaviest(terms, 'p:')} g:{heaviest(terms, 'g:')} o:{heaviest(terms, 'o:', 1)} "
            f"y:{heaviest(terms, 'y:', 3)} | {item.title[:70]}")


def report(features, gold, topic, twins, config: ClusterConfig) -> None:
    """Cluster one stream and print, per topic, each gold story that is split or joined with another."""
    labels, entered, merges = run_with_history(features, config, twins)
    by_id = {f.article_id: f for f in features}
    stories_of_gold: dict[str, set[str]] = defaultdict(set)
    golds_of_story: dict[str, set[str]] = defaultdict(set)
    for article, story in labels.items():
        stories_of_gold[gold[article]].add(story)
        golds_of_story[story].add(gold[article])
    p, r, f = b_cubed(labels, {a: gold[a] for a in labels})
    print(f"  P {p:.3f} R {r:.3f} F1 {f:.3f}; merges: {len(merges)}")
    for t in sorted({topic[a] for a in labels}):
        members = [a for a in labels if topic[a] == t]
        tp, tr, tf = b_cubed({a: labels[a] for a in members}, {a: gold[a] for a in members})
        wrong = sorted({gold[a] for a in members if len(stories_of_gold[gold[a]]) > 1
                        or any(len(golds_of_story[s]) > 1 for s in stories_of_gold[gold[a]])})
        if not wrong:
            continue
        print(f"\n  topic {t}: P {tp:.3f} R {tr:.3f} F1 {tf:.3f} (within the topic)")
        for g in wrong:
            print(f"   gold {g}: {len(stories_of_gold[g])} stories")
            for a in sorted((a for a in members if gold[a] == g),
                            key=lambda a: (by_id[a].published or "9", a)):
                print(describe(by_id[a], entered.get(a, "?"), labels[a]))
    for change in merges:
        absorbed = {gold[a] for a in labels if labels[a] == change.story}
        if len(absorbed) > 1:
            print(f"  merge into {change.story[:6]} of {change.other[:6]} at {change.score:.3f}: "
                  f"gold {sorted(absorbed)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the errors of the folds (or topics) asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fold", type=int, action="append", help="fold number 1-5 (default: all)")
    parser.add_argument("--topic", type=int, action="append", help="only these topics, one stream")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE",
                        help="a ClusterConfig knob other than its default")
    args = parser.parse_args(argv)
    config = replace(ClusterConfig(), **{k: type(getattr(ClusterConfig(), k))(v)
                                         for k, v in (kv.split("=", 1) for kv in args.set)})
    articles, gold, topic = cleaned_cached()
    features = features_cached(articles)
    twins = copies_of(articles)
    folds = folds_of(topic.values())
    parts = ([frozenset(args.topic)] if args.topic
             else [folds[k - 1] for k in (args.fold or range(1, len(folds) + 1))])
    for held in parts:
        print(f"\ntopics {sorted(held)}, defaults{' but ' + ', '.join(args.set) if args.set else ''}, one stream:")
        chosen = [f for f in features if topic[f.article_id] in held]
        ids = {f.article_id for f in chosen}
        report(chosen, gold, topic, {c: o for c, o in twins.items() if c in ids}, config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
