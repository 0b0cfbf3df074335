"""Story clustering quality: B-cubed P / R / F1 on ECB+ (../shared/data/ecbplus).

All 772 dev documents go through the real ingest, clean and dedup stages (as
the shipped pipeline does: the clean stage reads the URL, title and date line
and infers a publication date, marked inferred, when none is stated; a copy
found by dedup joins the story of the article it copies), then are fed as one
stream in publication order (no topic given); `--plain` uses the plain-text
adapter of bench/plain_articles.py instead. Settings are tuned on one half of the topics and scored on the other
(both directions printed; for the shipped method in two stages on the tuning
half: the main grid, then the time-factor floors and the measure contrast
with the thresholds around its choice), for the shipped method and, in the same run, for a
plain baseline: online TF-IDF cosine over words with one threshold. For
reference it also prints a TF-IDF agglomerative clustering given its best
threshold on the answers (an upper bound for that baseline, not a fair score),
and the same for sentence embeddings when the optional extra is installed.
With the extra, the shipped online method with the representation
`tfidf+minilm` (TF-IDF mixed with MiniLM cosines) is tuned and scored the
same way, so the two representations are compared held out in one run.

Usage: PYTHONPATH=. python bench/cluster.py [--write-floor] [--no-cache] [--plain]
Cleaned articles (about 50 s) and spaCy features (about 90 s) are cached in
/tmp, keyed by the data and by the source of the clean stage and features.py.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import multiprocessing
import os
import pickle
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import require
from bench.plain_articles import ECBPLUS, ecbplus_articles, ecbplus_cleaned_articles
from storyline import dedup
from storyline.cluster import ClusterConfig, cluster_features, extract_features
from storyline.cluster.embeddings import MIXED, embed_articles, representation_available
from storyline.cluster.online import canonical_order
from storyline.records import Article

BASELINE_FILE = Path(__file__).resolve().parent / "baseline.json"
CACHE = Path("/tmp/storyline-bench")
FIRST_HALF = frozenset(range(1, 18))  # topics 1-17
SECOND_HALF = frozenset(range(18, 36))  # topics 18-35
JOIN_THRESHOLDS = (0.15, 0.2, 0.25)
MERGE_THRESHOLDS = (0.3, 0.35)
CONTRAST_WEIGHTS = (0.0, 0.3)
TIME_SCALES = (30.0, 90.0)
UNDATED_FACTORS = (1.0, 0.6, 0.45)
UNDATED_PAIR_FACTORS = (1.0, 0.5)
EMBEDDING_WEIGHTS = (0.1, 0.2, 0.35)
EMBEDDING_FLOORS = (0.3, 0.5)
HEADLINE_CONTRAST_WEIGHTS = (0.0, 0.5)
WEEKDAY_CONTRAST_WEIGHTS = (0.0, 0.5)
# Second stage, around the first stage's choice on the same half: the floors of the
# time factor and the measure contrast, with the join and merge thresholds.
FOLLOW_UP_FACTORS = (0.0, 0.6)
INFERRED_DATE_FLOORS = (0.0, 0.6, 1.0)
MEASURE_CONTRAST_WEIGHTS = (0.0, 0.5)
BASELINE_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
FLOOR_MARGIN = 0.02  # room for platform noise below the measured held-out F1
QUICK_TOPICS = frozenset(range(18, 24))  # held-out topics the test suite scores (tests/test_bench_floors.py)


def b_cubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted clustering against gold labels (item -> cluster)."""
    predicted_members, gold_members = defaultdict(set), defaultdict(set)
    for item, cluster in predicted.items():
        predicted_members[cluster].add(item)
    for item, cluster in gold.items():
        gold_members[cluster].add(item)
    precision = recall = 0.0
    for item in gold:
        mine, theirs = predicted_members[predicted[item]], gold_members[gold[item]]
        shared = len(mine & theirs)
        precision += shared / len(mine)
        recall += shared / len(theirs)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _source_hash(*paths: Path) -> str:
    """A short hash of some files (data or code), so a cache is rebuilt when they change."""
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


PACKAGE = Path(__file__).resolve().parents[1] / "storyline"


def _pickled(name: str, key: str, compute: Callable[[], object], use_cache: bool):
    """`compute()`, or its result pickled in /tmp under `name` and `key` by an earlier run."""
    path = CACHE / f"cluster-{name}-{key}.pkl"
    if use_cache and path.exists():
        return pickle.loads(path.read_bytes())
    result = compute()
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(result))
    return result


def _articles_key(articles: Sequence[Article], source: Path) -> str:
    """A cache key from what the code reads of the articles and the source of that code.

    The id alone is not enough: a change to the clean stage can change an
    article's (inferred) date or sentences and keep its id.
    """
    digest = hashlib.sha256(_source_hash(source).encode())
    for article in articles:
        parts = [article.id, article.published.value or "", article.title or ""]
        digest.update("\n".join(parts + [s.text for s in article.sentences]).encode() + b"\0")
    return digest.hexdigest()[:16]


def cleaned_cached(use_cache: bool = True):
    """The ECB+ dev documents through ingest + clean, cached in /tmp by the data and the clean stage's code."""
    key = _source_hash(ECBPLUS, PACKAGE / "clean", PACKAGE / "ingest.py", PACKAGE / "time_expressions.py")
    return _pickled("cleaned", key, ecbplus_cleaned_articles, use_cache)


def features_cached(articles: Sequence[Article], use_cache: bool = True):
    """spaCy features of the articles, cached in /tmp by the hash of their ids and of features.py."""
    key = _articles_key(articles, PACKAGE / "cluster" / "features.py")
    return _pickled("features", key, lambda: extract_features(articles), use_cache)


def embeddings_cached(articles: Sequence[Article], use_cache: bool = True) -> dict[str, tuple[float, ...]]:
    """MiniLM vectors of the articles (article id -> vector), cached in /tmp like the features."""
    key = _articles_key(articles, PACKAGE / "cluster" / "embeddings.py")
    return _pickled("embeddings", key, lambda: {
        a.id: tuple(float(x) for x in v) for a, v in zip(articles, embed_articles(articles))
    }, use_cache)


def copies_of(articles: Sequence[Article]) -> dict[str, str]:
    """The dedup stage's verdicts: copy id -> the id of the article it copies (its set's canonical)."""
    return dedup.copy_map(dedup.find_duplicates(articles))


def shipped_method(features, config: ClusterConfig, twins: Mapping[str, str] | None = None) -> dict[str, str]:
    """The shipped online clustering, copies (`twins`: copy -> original) beside their original: article id -> story id."""
    return {member: story.id for story in cluster_features(features, config, twins) for member in story.articles}


def baseline_method(articles: Sequence[Article], threshold: float) -> dict[str, str]:
    """Plain baseline: online TF-IDF cosine over words, join the nearest centroid above one threshold."""
    ordered = sorted(articles, key=lambda a: (a.published.value or "9999-12-31", a.id))
    texts = [a.title + "\n" + a.body for a in ordered]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    centroids: list[np.ndarray] = []
    labels: dict[str, str] = {}
    for n, article in enumerate(ordered):
        vector = vectors[n].toarray().ravel()
        best, best_score = -1, 0.0
        for k, centroid in enumerate(centroids):
            score = float(vector @ centroid) / (np.linalg.norm(centroid) or 1.0)
            if score > best_score:
                best, best_score = k, score
        if best < 0 or best_score < threshold:
            centroids.append(vector.copy())
            best = len(centroids) - 1
        else:
            centroids[best] += vector
        labels[article.id] = f"b{best}"
    return labels


def agglomerative_best(similarity: np.ndarray, ids: Sequence[str], gold: Mapping[str, str]) -> tuple[float, float]:
    """Best F1 of average-link agglomerative clustering over thresholds chosen on the answers."""
    best = (0.0, 0.0)
    for threshold in np.arange(0.3, 0.95, 0.05):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
        ).fit_predict(1 - similarity)
        f1 = b_cubed(dict(zip(ids, map(str, labels))), gold)[2]
        best = max(best, (f1, float(threshold)))
    return best


def quick_score(config: ClusterConfig = ClusterConfig(), path: Path = ECBPLUS) -> tuple[float, float, float, int]:
    """B-cubed P / R / F1 of the shipped method on the quick held-out topics (read from `path`), and their article count."""
    chosen, gold, _ = ecbplus_cleaned_articles(QUICK_TOPICS, path)
    features = extract_features(chosen)
    scores = b_cubed(shipped_method(features, config, copies_of(chosen)), {a.id: gold[a.id] for a in chosen})
    return (*scores, len(chosen))


def tune_and_score(
    run: Callable[[Sequence, object], dict[str, str]],
    settings: Sequence,
    items_by_half: dict[str, Sequence],
    gold: Mapping[str, str],
    refine: Callable[[object], Sequence] | None = None,
) -> dict[str, tuple]:
    """For each half: pick the setting with best F1 on it, score that setting on the other half.

    With `refine`, a second stage on the same half picks the best of
    `refine(first choice)` (the first choice first, so a tie keeps it).
    The settings are scored in one process per core (forked, so the items are not copied).
    """
    results = {}
    with multiprocessing.get_context("fork").Pool(
        os.cpu_count() or 1, initializer=_share, initargs=(run, items_by_half, gold)
    ) as pool:
        for tune, score in (("1-17", "18-35"), ("18-35", "1-17")):
            tuned = _best_of(pool, tune, settings)
            if refine is not None:
                tuned = _best_of(pool, tune, [tuned, *refine(tuned)])
            scores = b_cubed(run(items_by_half[score], tuned), _gold(items_by_half[score], gold))
            results[f"tuned on {tune}, scored on {score}"] = (tuned, scores)
    return results


def _best_of(pool, half: str, settings: Sequence):
    """The setting with the best F1 on one half (the first of equals)."""
    f1s = pool.map(_f1_of, [(half, setting) for setting in settings], chunksize=4)
    return settings[max(range(len(settings)), key=lambda n: (f1s[n], -n))]


def second_stage(setting: ClusterConfig) -> list[ClusterConfig]:
    """The second stage of the grid: time-factor floors and measure contrast, with the join and merge thresholds."""
    return [
        replace(setting, follow_up_factor=fu, inferred_date_floor=fl, measure_contrast_weight=mc,
                join_threshold=j, merge_threshold=m)
        for fu in FOLLOW_UP_FACTORS for fl in INFERRED_DATE_FLOORS for mc in MEASURE_CONTRAST_WEIGHTS
        for j in JOIN_THRESHOLDS for m in MERGE_THRESHOLDS
    ]


_SHARED: dict[str, object] = {}


def _share(run, items_by_half, gold) -> None:
    """Pool initializer: what every setting is scored with."""
    _SHARED.update(run=run, items=items_by_half, gold=gold)


def _f1_of(task: tuple[str, object]) -> float:
    """B-cubed F1 of one setting on one half (in a pool worker)."""
    half, setting = task
    items = _SHARED["items"][half]
    return b_cubed(_SHARED["run"](items, setting), _gold(items, _SHARED["gold"]))[2]


def _gold(items: Sequence, gold: Mapping[str, str]) -> dict[str, str]:
    return {_id(item): gold[_id(item)] for item in items}


def _id(item) -> str:
    return item.article_id if hasattr(item, "article_id") else item.id


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures; with --write-floor record the held-out floor in bench/baseline.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-floor", action="store_true")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--plain", action="store_true", help="the plain-text adapter instead of the clean stage")
    args = parser.parse_args(argv)
    require(ECBPLUS)

    started = time.perf_counter()
    articles, gold, topic = ecbplus_articles() if args.plain else cleaned_cached(use_cache=not args.no_cache)
    stated = sum(1 for a in articles if a.published.value and not a.published.inferred)
    inferred = sum(1 for a in articles if a.published.value and a.published.inferred)
    print(f"articles: {len(articles)} via {'the plain adapter' if args.plain else 'ingest + clean'} "
          f"in {time.perf_counter() - started:.1f} s; published stated {stated}, inferred {inferred}, "
          f"unknown {len(articles) - stated - inferred}")
    started = time.perf_counter()
    features = features_cached(articles, use_cache=not args.no_cache)
    print(f"features: {len(features)} articles in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    twins = copies_of(articles)
    print(f"dedup: {len(twins)} copies of {len(set(twins.values()))} articles in {time.perf_counter() - started:.1f} s "
          f"({sum(gold[c] != gold[o] for c, o in twins.items())} across gold stories); a copy joins its original's story")
    shipped_run = functools.partial(shipped_method, twins=twins)
    halves = {
        "1-17": [f for f in features if topic[f.article_id] in FIRST_HALF],
        "18-35": [f for f in features if topic[f.article_id] in SECOND_HALF],
    }
    article_halves = {
        "1-17": [a for a in articles if topic[a.id] in FIRST_HALF],
        "18-35": [a for a in articles if topic[a.id] in SECOND_HALF],
    }
    settings = [
        replace(ClusterConfig(), join_threshold=j, merge_threshold=m, contrast_weight=c, time_scale_days=t,
                undated_factor=u, undated_pair_factor=up, headline_contrast_weight=h, weekday_contrast_weight=w)
        for j in JOIN_THRESHOLDS for m in MERGE_THRESHOLDS for c in CONTRAST_WEIGHTS for t in TIME_SCALES
        for u in UNDATED_FACTORS for up in UNDATED_PAIR_FACTORS for h in HEADLINE_CONTRAST_WEIGHTS
        for w in WEEKDAY_CONTRAST_WEIGHTS
    ]
    print(f"\nB-cubed on ECB+ dev ({len(articles)} documents, {len(set(gold.values()))} gold stories), one stream")
    shipped = tune_and_score(shipped_run, settings, halves, gold, refine=second_stage)
    baseline = tune_and_score(baseline_method, BASELINE_THRESHOLDS, article_halves, gold)
    held_out = []
    for split, (setting, (p, r, f)) in shipped.items():
        held_out.append(f)
        print(f"  shipped  {split}: P {p:.3f} R {r:.3f} F1 {f:.3f}  "
              f"(join {setting.join_threshold}, merge {setting.merge_threshold}, "
              f"contrast {setting.contrast_weight}, time scale {setting.time_scale_days:g} d, "
              f"undated factor {setting.undated_factor}, undated pair factor {setting.undated_pair_factor}, "
              f"headline contrast {setting.headline_contrast_weight}, "
              f"weekday contrast {setting.weekday_contrast_weight}, follow-up {setting.follow_up_factor}, "
              f"inferred date floor {setting.inferred_date_floor}, "
              f"measure contrast {setting.measure_contrast_weight})")
    for split, (threshold, (p, r, f)) in baseline.items():
        print(f"  baseline {split}: P {p:.3f} R {r:.3f} F1 {f:.3f}  (threshold {threshold})")

    p, r, f = b_cubed(shipped_run(features, ClusterConfig()), gold)
    print(f"  shipped defaults on all 35 topics: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    measured = {"date": time.strftime("%Y-%m-%d"), "defaults on all 35 topics": round(f, 3)}
    without = {half: b_cubed(shipped_method(items, ClusterConfig()), _gold(items, gold))[2] for half, items in halves.items()}
    measured["defaults without the dedup stage, per half"] = {half: round(f, 3) for half, f in without.items()}
    print(f"  shipped defaults without the dedup stage (every copy placed as an original): "
          f"F1 {without['1-17']:.3f} on 1-17, {without['18-35']:.3f} on 18-35")
    started = time.perf_counter()
    cluster_features(canonical_order(features), ClusterConfig(), twins)
    elapsed = time.perf_counter() - started
    print(f"  assignment throughput: {len(features) / elapsed:.0f} articles/s (features excluded)")

    available, message = representation_available()
    if available:
        started = time.perf_counter()
        vectors = embeddings_cached(articles, use_cache=not args.no_cache)
        print(f"\nMiniLM vectors: {len(vectors)} articles in {time.perf_counter() - started:.1f} s "
              f"(cached after the first run)")
        mixed = [replace(f, vector=vectors[f.article_id]) for f in features]
        mixed_halves = {half: [replace(f, vector=vectors[f.article_id]) for f in items]
                        for half, items in halves.items()}
        mixed_settings = [
            replace(ClusterConfig(), representation=MIXED, embedding_weight=w, embedding_floor=fl,
                    join_threshold=j, merge_threshold=m)
            for w in EMBEDDING_WEIGHTS for fl in EMBEDDING_FLOORS for j in JOIN_THRESHOLDS for m in MERGE_THRESHOLDS
        ]
        mixed_scores = tune_and_score(shipped_run, mixed_settings, mixed_halves, gold)
        measured[f"{MIXED} held-out"] = {k: round(v[1][2], 3) for k, v in mixed_scores.items()}
        for split, (setting, (p, r, f)) in mixed_scores.items():
            print(f"  shipped, {MIXED} {split}: P {p:.3f} R {r:.3f} F1 {f:.3f}  "
                  f"(weight {setting.embedding_weight}, floor {setting.embedding_floor}, "
                  f"join {setting.join_threshold}, merge {setting.merge_threshold})")
        started = time.perf_counter()
        cluster_features(canonical_order(mixed), replace(ClusterConfig(), representation=MIXED), twins)
        elapsed = time.perf_counter() - started
        print(f"  {MIXED} assignment throughput: {len(mixed) / elapsed:.0f} articles/s (features excluded)")
    else:
        print(f"\n{MIXED} not measured: {message}")

    ids = [a.id for a in articles]
    texts = [a.title + "\n" + a.body for a in articles]
    words = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    f1, threshold = agglomerative_best((words @ words.T).toarray(), ids, gold)
    measured["agglomerative TF-IDF, threshold chosen on the answers"] = round(f1, 3)
    print(f"\nreference, thresholds chosen on the answers (not a fair score):")
    print(f"  TF-IDF words, agglomerative average link: F1 {f1:.3f} (distance {threshold:.2f})")
    if available:
        matrix = np.array([vectors[i] for i in ids])
        f1, threshold = agglomerative_best(matrix @ matrix.T, ids, gold)
        print(f"  MiniLM embeddings, agglomerative average link: F1 {f1:.3f} (distance {threshold:.2f})")
    else:
        print(f"  embeddings: {message}")

    quick = [f for f in features if topic[f.article_id] in QUICK_TOPICS]
    qp, qr, qf = b_cubed(shipped_run(quick, ClusterConfig()), _gold(quick, gold))
    print(f"  quick held-out topics {min(QUICK_TOPICS)}-{max(QUICK_TOPICS)} ({len(quick)} articles, "
          f"the test suite's run): P {qp:.3f} R {qr:.3f} F1 {qf:.3f}")

    floor = round(min(held_out) - FLOOR_MARGIN, 3)
    quick_floor = round(qf - FLOOR_MARGIN, 3)
    print(f"\nheld-out F1 floor (worst split - {FLOOR_MARGIN}): {floor}; quick floor {quick_floor}")
    if args.write_floor:
        recorded = json.loads(BASELINE_FILE.read_text()) if BASELINE_FILE.exists() else {}
        recorded["cluster"] = {
            "description": "bench/cluster.py: B-cubed F1 of story clustering on ECB+ dev through ingest + clean, one stream, "
                           "settings tuned on the other half of the topics; floors: worst held-out split, "
                           "and the quick run of tests/test_bench_floors.py",
            "f1": floor,
            "quick": {"topics": sorted(QUICK_TOPICS), "f1": quick_floor},
            "measured": {**measured, "held-out": {k: round(v[1][2], 3) for k, v in shipped.items()},
                         "baseline held-out": {k: round(v[1][2], 3) for k, v in baseline.items()},
                         "quick": round(qf, 3)},
        }
        BASELINE_FILE.write_text(json.dumps(recorded, indent=2) + "\n")
        print(f"wrote {BASELINE_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
