"""How much the order of the undated reports moves story clustering, and a rule's gain over orders.

The canonical order places every dated report first, by date, then the undated
ones by article id: a hash, so for undated reports one arbitrary order among
many. The first undated report of an event decides whether its event joins a
dated story or opens its own, and the others follow it, so the order decides
too. bench/cluster.py scores the id order only; this bench renames the undated
reports (a new id is a hash of a seed and the old id, which is another equally
arbitrary order), scores the shipped defaults held out on each fold of
bench/cluster.py, one stream per fold, for each of N orders (order 0: the real
ids), and beside them each variant given with --set, with its gain per fold
averaged over the orders. A gain smaller than the spread over orders is an
order's luck, not a rule's. With --signals, every signal of bench/cluster.py
is scored off too, and its gain (on minus off) per fold averaged over the
orders is judged by bench/cluster.py's rule: it stays when it helps on most of
the folds where it acts and costs at most 0.005 on any.

Usage: PYTHONPATH=. python bench/cluster_orders.py [--orders N] [--base KNOB=VALUE,...] [--signals] [--set KNOB=VALUE[,KNOB=VALUE] ...]
Reads the cleaned articles and features cached by bench/cluster.py.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cluster import (SIGNAL_NOISE, SIGNALS, WORST_COST, b_cubed, cleaned_cached, copies_of, features_cached,
                           folds_of, shipped_method)
from bench.datasets import require
from bench.plain_articles import ECBPLUS
from storyline.cluster import ClusterConfig

ORDERS = 8


def config_of(spec: str) -> ClusterConfig:
    """The defaults with some knobs set: `KNOB=VALUE[,KNOB=VALUE]` ('' is the defaults)."""
    changes = {}
    for part in filter(None, spec.split(",")):
        knob, value = part.split("=", 1)
        default = getattr(ClusterConfig(), knob)
        changes[knob] = value == "True" if isinstance(default, bool) else type(default)(value)
    return replace(ClusterConfig(), **changes)


def renamed(order: int, article_id: str) -> str:
    """An undated report's id in order `order` (0: its own id)."""
    return article_id if order == 0 else hashlib.sha256(f"{order}:{article_id}".encode()).hexdigest()[:16]


def _score(task: tuple[str, int, int]) -> tuple[str, int, int, float]:
    """Held-out B-cubed F1 of one fold, one stream, in one order of the undated reports, for a variant
    (a --set spec, or a signal's name: the defaults with it off)."""
    spec, order, fold = task
    names = {f.article_id: renamed(order, f.article_id) if f.published is None else f.article_id
             for f in _FEATURES if _TOPIC[f.article_id] in _FOLDS[fold]}
    chosen = [replace(f, article_id=names[f.article_id]) for f in _FEATURES if f.article_id in names]
    twins = {names[c]: names[o] for c, o in _TWINS.items() if c in names and o in names}
    config = SIGNALS[spec](config_of(_BASE)) if spec in SIGNALS else config_of(f"{_BASE},{spec}")
    labels = shipped_method(chosen, config, twins)
    truth = {new: _GOLD[old] for old, new in names.items()}
    return spec, order, fold, b_cubed(labels, truth)[2]


_FEATURES: Sequence = ()
_TOPIC: Mapping[str, int] = {}
_GOLD: Mapping[str, str] = {}
_TWINS: Mapping[str, str] = {}
_FOLDS: Sequence[frozenset[int]] = ()
_BASE = ""  # --base: the setting every variant and signal is measured against


def main(argv: Sequence[str] | None = None) -> int:
    """Print each fold over orders of the undated reports, for the defaults and each variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=ORDERS, help=f"orders of the undated reports (default {ORDERS})")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE[,KNOB=VALUE]",
                        help="a variant: ClusterConfig knobs other than their defaults (repeat for more variants)")
    parser.add_argument("--base", default="", metavar="KNOB=VALUE[,KNOB=VALUE]",
                        help="measure against the defaults with these knobs set, not the defaults themselves")
    parser.add_argument("--signals", action="store_true",
                        help="score each signal of bench/cluster.py off, and judge its gain over orders")
    args = parser.parse_args(argv)
    require(ECBPLUS)
    global _FEATURES, _TOPIC, _GOLD, _TWINS, _FOLDS, _BASE
    _BASE = args.base
    articles, _GOLD, _TOPIC = cleaned_cached()
    _FEATURES = features_cached(articles)
    _TWINS = copies_of(articles)
    _FOLDS = folds_of(_TOPIC.values())
    undated = sum(1 for f in _FEATURES if f.published is None)
    signals = list(SIGNALS) if args.signals else []
    specs = ["", *args.set, *signals]
    print(f"{len(_FEATURES)} articles ({undated} undated), {len(_FOLDS)} folds of bench/cluster.py, one stream per "
          f"fold, shipped defaults untuned; {args.orders} orders of the undated reports (order 0: their ids)")
    started = time.perf_counter()
    tasks = [(spec, order, fold) for spec in specs for order in range(args.orders) for fold in range(len(_FOLDS))]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        scores = {(s, o, k): f for s, o, k, f in pool.map(_score, tasks, chunksize=1)}
    folds = range(len(_FOLDS))
    orders = range(args.orders)

    def per_fold(spec: str) -> list[float]:
        return [statistics.mean(scores[spec, o, k] for o in orders) for k in folds]

    def means(spec: str) -> list[float]:
        return [statistics.mean(scores[spec, o, k] for k in folds) for o in orders]

    base = per_fold("")
    for spec in specs[:len(specs) - len(signals)]:
        fold_means, order_means = per_fold(spec), means(spec)
        print(f"\n{spec or 'defaults' + (' but ' + _BASE if _BASE else '')}:")
        print("  id order, per fold:      " + " ".join(f"{scores[spec, 0, k]:.3f}" for k in folds)
              + f"  mean {order_means[0]:.4f}")
        print(f"  over {args.orders} orders, per fold: " + " ".join(f"{f:.3f}" for f in fold_means)
              + f"  mean {statistics.mean(order_means):.4f} (sd over orders {statistics.pstdev(order_means):.4f}, "
              f"from {min(order_means):.4f} to {max(order_means):.4f}), worst fold {min(fold_means):.3f}")
        print("  each fold from order to order: "
              + " ".join(f"{min(scores[spec, o, k] for o in orders):.3f}-{max(scores[spec, o, k] for o in orders):.3f}"
                         for k in folds))
        if spec:
            print("  gain per fold over the defaults, mean over orders: "
                  + " ".join(f"{f - b:+.3f}" for f, b in zip(fold_means, base))
                  + f"  (id order: " + " ".join(f"{scores[spec, 0, k] - scores['', 0, k]:+.3f}" for k in folds) + ")")
    if signals:
        print(f"\neach signal's gain per fold (defaults minus the defaults with it off), mean over {args.orders} "
              f"orders (id order in brackets); it stays when it gains over {SIGNAL_NOISE} on most folds where it "
              f"acts and costs at most {WORST_COST} on any:")
    for name in signals:
        gains = [b - f for f, b in zip(per_fold(name), base)]
        helps = sum(g > SIGNAL_NOISE for g in gains)
        acts = sum(abs(g) > SIGNAL_NOISE for g in gains)
        stays = helps > acts / 2 and min(gains) >= -WORST_COST
        print(f"  {name:<22} " + " ".join(f"{g:+.4f}" for g in gains)
              + f"  mean {statistics.mean(gains):+.4f}  {'stays' if stays else 'OUT'}  ("
              + " ".join(f"{scores['', 0, k] - scores[name, 0, k]:+.3f}" for k in folds) + ")")
    print(f"\n{len(tasks)} streams in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
