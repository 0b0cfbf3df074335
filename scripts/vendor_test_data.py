"""Copy the real data the tests read from ../shared into tests/data, verbatim, with its licences.

A clone of the repository has no ../shared (the development checkout's data folder), so the
tests read only tests/data. This script makes that folder from the full sets and says which
parts the tests use; `--check` tells whether tests/data still equals what it would write (after
../shared changed, as when ECB+ was re-converted on 2026-12-06).

Usage: python scripts/vendor_test_data.py [--check]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TARGET = REPO / "tests" / "data"

# ECB+ topics a test or a quick bench reads whole: the cluster tests (1, 3, 8; 4, 14, 20, 22, 24, 27),
# the quick benches (timeline and entities 1-3, cluster 18-23, compare and brief the first stories
# of topics 1-2), the first 40 documents of the file (topics 1-2).
ECBPLUS_TOPICS = frozenset({1, 2, 3, 4, 8, 14, 18, 19, 20, 21, 22, 23, 24, 27})
# Gold stories the brief_gold quick run briefs whole (tests/test_bench_brief_gold.py): those of its floors;
# and the documents every gold story names (tests/test_bench_entity_types_floors.py scores both halves).
BASELINE = REPO / "bench" / "baseline.json"
GOLD = REPO / "bench" / "gold"
# The holdout half's documents go to a file of their own, read only by the test that checks the holdout gold
# files against them: the tests and quick benches that read ecbplus-tests.jsonl whole never see them (that
# half is never tuned on; bench/gold/README.md). A topic vendored whole above stays whole there too.
HOLDOUT = Path("ecbplus") / "ecbplus-holdout.jsonl"
# Single documents the tests name in their code ("7_3ecbplus", quoted; a comment's mention reads nothing):
# found by reading tests/, so a new test's documents come along.
DOCUMENT_ID = re.compile(r"[\"'](\d+_\d+ecb(?:plus)?)[\"']")
# Gold stories the tests name ("26-ecbplus", quoted; tests/test_entities.py reads their lines): whole.
STORY_NAME = re.compile(r"[\"'](\d+-ecb(?:plus)?)[\"']")
# ... and one document a test finds by its text (tests/clean/test_published.py: "week beginning 17 October").
ECBPLUS_DOCUMENTS = frozenset({"30_9ecbplus"})
# Extraction benchmark pages: the first 20 by key (the quick bench, tests/test_bench_floors.py, and
# the tests that take the first few), every page a test names by its key (quoted sha256), and:
EXTRACTION_FIRST = 20
PAGE_KEY = re.compile(r"[\"']([0-9a-f]{64})(?:\.html\.gz)?[\"']")
EXTRACTION_PAGES = frozenset({
    "dfd43bc0d46e7aaa78ba10fbcb5b9fdfe78771d36cb4c7497e17fb6f69170ec5",  # a 153-character title
    "4a44ab3e4c41d56ce9b79eb07acb06aed1bc52aba68a950f06e7de7ef848400a",  # a 128-character one
    "a1fca19b884e0e946ad3fbe2a7f5031e5e3b23372702a76db302b6143c77cb31",  # 'Agence France-Presse' (test_entities)
})


def planned() -> dict[Path, bytes]:
    """Every file of tests/data that comes from ../shared (path relative to tests/data -> bytes)."""
    files: dict[Path, bytes] = {}
    seeds = SHARED / "seeds"
    for path in sorted(seeds.glob("0*.txt")) + [seeds / "EXPECTED.md"]:
        files[Path("seeds") / path.name] = path.read_bytes()

    ecbplus = SHARED / "data" / "ecbplus"
    stories = set(json.loads(BASELINE.read_text(encoding="utf-8"))["brief_gold"]["report"]["stories"])
    sources = [path.read_text(encoding="utf-8") for path in sorted((REPO / "tests").rglob("*.py"))]
    named = set(ECBPLUS_DOCUMENTS) | {match for text in sources for match in DOCUMENT_ID.findall(text)}
    stories |= {match for text in sources for match in STORY_NAME.findall(text)}
    holdout = set(json.loads((GOLD / "split.json").read_text(encoding="utf-8")).get("holdout", ()))
    for gold in sorted(GOLD.glob("*-ecb*.json")):
        if gold.stem not in holdout:
            named.update(json.loads(gold.read_text(encoding="utf-8"))["documents"])
    lines, held = [], []
    for line in (ecbplus / "ecbplus-dev.jsonl").read_bytes().splitlines(keepends=True):
        record = json.loads(line)
        if record["topic"] in ECBPLUS_TOPICS or record["story"] in stories or record["id"] in named:
            lines.append(line)
        if record["story"] in holdout:
            held.append(line)
    files[Path("ecbplus") / "ecbplus-tests.jsonl"] = b"".join(lines)
    files[HOLDOUT] = b"".join(held)
    for name in ("COPYING-CC.TXT", "LICENSEDATA.TXT"):
        files[Path("ecbplus") / name] = (ecbplus / name).read_bytes()

    extraction = SHARED / "data" / "article-extraction-benchmark"
    truth = json.loads((extraction / "ground-truth.json").read_text(encoding="utf-8"))
    quoted = {match for text in sources for match in PAGE_KEY.findall(text)} & set(truth)
    keys = sorted(set(sorted(truth)[:EXTRACTION_FIRST]) | EXTRACTION_PAGES | quoted)
    subset = {key: truth[key] for key in keys}
    files[Path("article-extraction-benchmark") / "ground-truth.json"] = \
        (json.dumps(subset, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    for key in keys:
        name = Path("html") / f"{key}.html.gz"
        files[Path("article-extraction-benchmark") / name] = (extraction / name).read_bytes()
    files[Path("article-extraction-benchmark") / "LICENSE"] = (extraction / "LICENSE").read_bytes()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when tests/data differs from ../shared")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"cannot read {SHARED}: the full data sets are not beside this repository "
              "(they are in the development checkout only); tests/data is already what the tests need",
              file=sys.stderr)
        return 3
    files = planned()
    if args.check:
        stale = [str(p) for p, data in files.items()
                 if not (TARGET / p).is_file() or (TARGET / p).read_bytes() != data]
        for path in stale:
            print(f"tests/data/{path} differs from ../shared", file=sys.stderr)
        return 1 if stale else 0
    for sub in ("seeds", "ecbplus", "article-extraction-benchmark"):
        for old in (TARGET / sub).rglob("*") if (TARGET / sub).is_dir() else ():
            if old.is_file() and old.name != "README.md" and old.relative_to(TARGET) not in files:
                old.unlink()
    for path, data in files.items():
        (TARGET / path).parent.mkdir(parents=True, exist_ok=True)
        (TARGET / path).write_bytes(data)
    print(f"wrote {len(files)} files to {TARGET} ({sum(map(len, files.values())) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
