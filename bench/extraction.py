"""Bench: main-text extraction F1 on the article-extraction benchmark.

Reads `../shared/data/article-extraction-benchmark` beside the repository (181 real
news pages, gzipped HTML, and `ground-truth.json` with each page's URL and gold body);
a clone has only the 24 pages of `tests/data` and the bench says so (bench/datasets.py).
Prints, in one run, F1 / precision / recall and pages per second of
(a) plain `trafilatura.extract()` with its defaults, the baseline, and
(b) our clean stage (`clean_documents` on text/html Documents, prediction =
`article.body`), plus the process's peak memory.

The metric is the benchmark's own (its `evaluate.py`): per page, the
multisets of shingles of 4 consecutive `\\w+` tokens of gold and prediction
give tp / fp / fn, normalised to sum to 1; precision and recall are averaged
over pages and F1 is computed from the two averages.

Usage: python bench/extraction.py [--limit N] [--json] [--check]
(--check exits 1 when our F1 falls below its floor in bench/baseline.json, or
below plain trafilatura's in the same run.)
Deterministic for a given data set (timings aside).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.datasets import EXTRACTION as DATA, require  # noqa: E402

BASELINE = Path(__file__).resolve().parent / "baseline.json"
SHINGLE_TOKENS = 4
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its key, URL, raw HTML bytes and gold body."""

    key: str
    url: str
    html: bytes
    gold: str


@dataclass(frozen=True, slots=True)
class Score:
    """Extraction quality and speed of one extractor over the pages."""

    name: str
    f1: float
    precision: float
    recall: float
    pages_per_second: float
    pages: int


def load_pages(data: Path = DATA, limit: int | None = None) -> list[Page]:
    """Return the benchmark pages in a stable order (sorted by key), the first `limit` if given."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    return [
        Page(key, truth[key].get("url", ""), gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()),
             truth[key].get("articleBody", ""))
        for key in keys
    ]


def shingle_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Return the page's (tp, fp, fn) over 4-token shingles, normalised to sum to 1."""
    gold_shingles = _shingles(gold)
    predicted_shingles = _shingles(predicted)
    tp = sum((gold_shingles & predicted_shingles).values())
    fp = sum((predicted_shingles - gold_shingles).values())
    fn = sum((gold_shingles - predicted_shingles).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    """Count the shingles of a text; a text under 4 tokens is one short shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        shingle
        for shingle in (tuple(tokens[i : i + SHINGLE_TOKENS]) for i in range(max(1, len(tokens) - SHINGLE_TOKENS + 1)))
        if shingle
    )


def score(name: str, counts: Sequence[tuple[float, float, float]], seconds: float) -> Score:
    """Return averaged precision and recall, and F1 from the averages, as the benchmark does."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(name, f1, precision, recall, len(counts) / seconds if seconds else 0.0, len(counts))


def _precision(tp: float, fp: float, fn: float) -> float:
    """Precision of one page (1 when both sides are empty)."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    """Recall of one page (1 when both sides are empty)."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def run_extractor(name: str, extract: Callable[[Sequence[Page]], list[str]], pages: Sequence[Page]) -> Score:
    """Time one extractor over all pages and score its bodies."""
    started = time.perf_counter()
    bodies = extract(pages)
    seconds = time.perf_counter() - started
    return score(name, [shingle_counts(page.gold, body) for page, body in zip(pages, bodies)], seconds)


def plain_trafilatura(pages: Sequence[Page]) -> list[str]:
    """Bodies by `trafilatura.extract()` with its defaults, given the raw bytes (the baseline)."""
    import trafilatura

    return [trafilatura.extract(page.html, url=page.url) or "" for page in pages]


def decode(html: bytes) -> str:
    """Decode a page as ingest would: UTF-8, else the encoding charset-normalizer finds."""
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(html).best()
        return str(best) if best is not None else html.decode("utf-8", errors="replace")


def clean_stage(pages: Sequence[Page]) -> list[str]:
    """Bodies by our clean stage on text/html Documents (a skipped page gives '')."""
    from storyline.clean import clean_documents
    from storyline.records import Article, Document, Origin, content_id

    documents = [
        Document(
            id=content_id(page.html),
            origin=Origin("file", f"{page.key}.html", url=page.url),
            fetched="",
            media_type="text/html",
            text=decode(page.html),
            metadata={"url": page.url},
        )
        for page in pages
    ]
    return [result.body if isinstance(result, Article) else "" for result in clean_documents(documents)]


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    """Run both extractors on the benchmark and print their scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages (sorted by key)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON on stdout")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when our F1 is below its floor in bench/baseline.json or below plain trafilatura")
    args = parser.parse_args(argv)

    require(DATA)
    pages = load_pages(limit=args.limit)
    # Load spaCy before timing: model loading is a one-off cost, not a per-page one.
    from storyline import nlp

    nlp.load(("senter",))
    scores = [
        run_extractor("trafilatura.extract (defaults)", plain_trafilatura, pages),
        run_extractor("storyline clean stage", clean_stage, pages),
    ]
    memory = peak_memory_mb()
    if args.json:
        print(json.dumps({"scores": [dataclasses.asdict(s) for s in scores], "peak_memory_mb": memory}, indent=2))
    else:
        print(f"article-extraction benchmark: {len(pages)} pages from {DATA}")
        for s in scores:
            print(f"{s.name:<32} F1 {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}  {s.pages_per_second:6.1f} pages/s")
        print(f"peak memory (whole process): {memory:.0f} MB")
    if args.check:
        return check(scores[1], scores[0], args.limit)
    return 0


def floor(limit: int | None) -> float | None:
    """Return the F1 floor bench/baseline.json sets for a run over `limit` pages (None: no floor set)."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))["extraction"]
    if limit is None:
        return baseline["f1"]
    quick = baseline.get("quick", {})
    return quick.get("f1") if quick.get("limit") == limit else None


def check(ours: Score, plain: Score, limit: int | None) -> int:
    """Print whether our F1 holds its floor and beats plain trafilatura; return the exit code."""
    minimum = floor(limit)
    failures = []
    if minimum is not None and ours.f1 < minimum:
        failures.append(f"F1 {ours.f1:.3f} is below its floor {minimum:.3f}")
    if ours.f1 < plain.f1:
        failures.append(f"F1 {ours.f1:.3f} is below plain trafilatura's {plain.f1:.3f}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
