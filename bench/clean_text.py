"""Bench: the plain-text cleaner on real scraped news texts (ECB+).

Reads `../shared/data/ecbplus/ecbplus-dev.jsonl` beside the repository (bench/datasets.py;
real news pages as text, one
sentence per line, many opening with the page URL, the title and a date line).
Prints, for the development topics (1-19) and the held-out topics (20-35)
separately, for `extract_plain_text` and for a naive baseline in the same run:

- gold lines kept: lines that carry a gold `mentions` entry are real article
  text; share kept in the body or as the title (lost ones listed by kind).
  Date lines (below) are left out: a gold time mention makes them "gold".
- URL lines removed: share of leading URL lines cut, and outlet domain found.
- date lines removed: leading date lines (an independent regex: one of the
  first five lines, at most 10 words, a year and a month name or a numeric
  date) cut as date-line, and `published` found with that line's year.
- title: share of documents with a title; for pages that open with a URL,
  share whose title equals a simple reference (the first of the next three
  lines that is not a date line and does not end with a period: the ECB+
  pages' layout).
- clean gold bodies (article-extraction benchmark): every line of a gold
  article body is body; share kept, and what was cut (false cuts).

Run: `PYTHONPATH=. python bench/clean_text.py [--limit N]`. Deterministic.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from bench.datasets import ECBPLUS as DATA, EXTRACTION, require
from storyline.clean.extracted import Extracted
from storyline.clean.text import extract_plain_text
from storyline.records import Outlet, Removed

DEV_TOPICS = range(1, 20)
HELD_OUT_TOPICS = range(20, 36)
BODIES = EXTRACTION / "ground-truth.json"

MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
INDEPENDENT_DATE = re.compile(
    rf"(?i)(?:\b{MONTH}\b.*\b(?:19|20)\d\d\b|\b(?:19|20)\d\d\b.*\b{MONTH}\b|\b\d{{1,2}}\s*[/.-]\s*\d{{1,2}}\s*[/.-]\s*\d{{2,4}}\b|\b(?:19|20)\d\d[-.]\d\d[-.]\d\d\b)"
)
WORD = re.compile(r"[^\W_]+")


def load(topics: range, path: Path = DATA) -> list[dict]:
    """The ECB+ documents of the given topics."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [row for row in rows if row["topic"] in topics]


def naive_baseline(text: str, title: str | None = None) -> Extracted:
    """Baseline: drop a leading URL line, take the next line as title, keep the rest."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    removed = []
    outlet = Outlet()
    if lines and lines[0].startswith("http"):
        removed.append(Removed("url", lines[0]))
        lines = lines[1:]
    found_title = lines[0] if lines else ""
    return Extracted(title=found_title, paragraphs=tuple(lines[1:]), removed=tuple(removed), outlet=outlet)


def _kept(line: str, paragraphs: tuple[str, ...]) -> bool:
    """True when a whole line of the input is a paragraph or a part of a joined one."""
    # The cleaner joins a line to the one before only when it opens in lower case.
    return any(
        line == p
        or (p.startswith(line + " ") and p[len(line) + 1 : len(line) + 2].islower())
        or (line[:1].islower() and f" {line}" in p)
        for p in paragraphs
    )


def _is_reference_date(line: str) -> bool:
    """The bench's own, independent notion of a date line."""
    return len(WORD.findall(line)) <= 10 and bool(INDEPENDENT_DATE.search(line))


def _reference_title(lines: list[str]) -> str:
    """The headline of an ECB+ page that opens with its URL (empty when none is plain)."""
    for line in lines[1:4]:
        line = line.strip()
        if not line or _is_reference_date(line):
            continue
        return "" if line.endswith(".") else line
    return ""


def measure(rows: list[dict], cleaner=extract_plain_text) -> dict:
    """Figures of one cleaner on some ECB+ documents."""
    gold = kept = 0
    lost_kinds: Counter = Counter()
    lost_examples: list[str] = []
    url_lines = url_cut = domain_found = 0
    date_lines = date_cut = date_found = 0
    title_docs = title_match = titled = 0
    started = time.perf_counter()
    for row in rows:
        text = row["text"]
        lines = text.split("\n")
        result = cleaner(text)
        removed_by_text = {r.text: r.kind for r in result.removed}
        titled += bool(result.title)
        for n in sorted({m["sentence"] for m in row["mentions"]}):
            line = lines[n].strip()
            if not line or line.startswith("http") or _is_reference_date(line):
                continue  # URL and date lines are measured below
            gold += 1
            if _kept(line, result.paragraphs) or line == result.title.strip():
                kept += 1
            else:
                kind = removed_by_text.get(line, "unknown")
                lost_kinds[kind] += 1
                lost_examples.append(f"{row['id']}:{n} [{kind}] {line[:90]}")
        first = lines[0].strip()
        if first.startswith("http"):
            url_lines += 1
            url_cut += removed_by_text.get(first) == "url"
            domain_found += bool(result.outlet.domain) and result.outlet.domain in first
            reference = _reference_title(lines)
            if reference:
                title_docs += 1
                title_match += result.title.strip() == reference
        for line in lines[:5]:
            line = line.strip()
            if _is_reference_date(line) and not line.startswith("http"):
                date_lines += 1
                date_cut += removed_by_text.get(line) == "date-line"
                value = result.published.value if result.published and result.published.value else ""
                numbers = re.findall(r"\d+", line)  # "12 / 16 / 08" holds its year in two digits
                date_found += bool(value) and (value[:4] in numbers or value[2:4] in numbers)
    seconds = time.perf_counter() - started
    share = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {
        "documents": len(rows),
        "gold_lines": gold,
        "gold_kept": share(kept, gold),
        "gold_lost_by_kind": dict(lost_kinds),
        "lost_examples": lost_examples,
        "url_lines": url_lines,
        "url_removed": share(url_cut, url_lines),
        "outlet_domain_found": share(domain_found, url_lines),
        "date_lines": date_lines,
        "date_removed": share(date_cut, date_lines),
        "published_year_found": share(date_found, date_lines),
        "title_found": share(titled, len(rows)),
        "title_matches_reference": share(title_match, title_docs),
        "documents_per_second": round(len(rows) / seconds, 1) if seconds else None,
    }


def measure_clean_bodies(limit: int = 0, cleaner=extract_plain_text, path: Path = BODIES) -> dict:
    """False cuts: the gold bodies of the article-extraction benchmark (`path`: its ground-truth.json) are all body."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    bodies = [entry["articleBody"] for _, entry in sorted(gold.items())]
    if limit:
        bodies = bodies[:limit]
    lines = in_body = in_title = 0
    cut: Counter = Counter()
    examples = []
    for body in bodies:
        result = cleaner(body)
        removed_by_text = {r.text: r.kind for r in result.removed}
        for line in body.split("\n"):
            line = line.strip()
            if not line:
                continue
            lines += 1
            if _kept(line, result.paragraphs):
                in_body += 1
            elif line == result.title:
                in_title += 1
                examples.append(f"[title] {line[:100]}")
            else:
                kind = removed_by_text.get(line, "unknown")
                cut[kind] += 1
                examples.append(f"[{kind}] {line[:100]}")
    return {
        "bodies": len(bodies),
        "lines": lines,
        "kept_in_body": round(in_body / lines, 4) if lines else None,
        "taken_as_title": in_title,
        "cut_by_kind": dict(cut),
        "cut_examples": examples,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures for dev and held-out topics, cleaner and baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="documents per split (0: all)")
    parser.add_argument("--show-lost", action="store_true", help="list the gold lines the cleaner lost")
    parser.add_argument("--split", choices=("dev", "held-out", "both"), default="both")
    args = parser.parse_args(argv)
    require(DATA, BODIES)
    splits = [("dev (topics 1-19)", DEV_TOPICS), ("held-out (topics 20-35)", HELD_OUT_TOPICS)]
    if args.split != "both":
        splits = [splits[args.split == "held-out"]]
    for name, topics in splits:
        rows = load(topics)
        if args.limit:
            rows = rows[: args.limit]
        for label, cleaner in (("extract_plain_text", extract_plain_text), ("baseline", naive_baseline)):
            figures = measure(rows, cleaner)
            examples = figures.pop("lost_examples")
            print(f"{name:24} {label:18} " + json.dumps(figures))
            if args.show_lost and cleaner is extract_plain_text:
                for example in examples:
                    print("   lost:", example)
    for label, cleaner in (("extract_plain_text", extract_plain_text), ("baseline", naive_baseline)):
        figures = measure_clean_bodies(args.limit, cleaner)
        examples = figures.pop("cut_examples")
        print(f"{'clean gold bodies':24} {label:18} " + json.dumps(figures))
        if args.show_lost and cleaner is extract_plain_text:
            for example in examples:
                print("   cut:", example)
    return 0


if __name__ == "__main__":
    sys.exit(main())
