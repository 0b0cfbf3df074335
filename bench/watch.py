"""`storyline watch` on a loopback server: F feeds of I items each, polled C times.

The first cycle finds every item new (fetch, add through the pipeline, brief the stories); every
cycle after it finds nothing changed. Printed: seconds of the first cycle and per unchanged cycle,
requests per unchanged cycle (should be one conditional GET per feed, each a 304), the resident
memory after cycles 1, 10 and C (flat: polling keeps nothing per cycle). The baseline, measured in
the same run against the same server: a plain httpx loop fetching every feed unconditionally per
cycle (no robots.txt, no store, no parsing), its seconds and requests per cycle.

Items carry real text: ECB+ documents of tests/data (CC BY 3.0), cycled, each item its own URL.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.store import Store  # noqa: E402
from storyline.watch import Source, Watcher, WatchConfig  # noqa: E402
from storyline.watch.fetch import FetchConfig  # noqa: E402
from tests.loopback import Reply, Site, conditional, rss  # noqa: E402

ECBPLUS = ROOT / "tests" / "data" / "ecbplus" / "ecbplus-tests.jsonl"


def documents() -> list[dict]:
    """ECB+ documents as (title, text), in file order."""
    found = []
    with ECBPLUS.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line)["text"]
            first, _, rest = text.partition("\n")
            found.append({"title": first[:120], "text": rest or first})
    return found


def megabytes() -> float:
    return psutil.Process().memory_info().rss / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=100)
    args = parser.parse_args(argv)
    texts = documents()
    load_before = os.getloadavg()
    with Site() as site, tempfile.TemporaryDirectory() as folder:
        site.routes["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        urls = []
        for feed in range(args.feeds):
            items = []
            for number in range(args.items):
                document = texts[(feed * args.items + number) % len(texts)]
                items.append({"link": f"{site.base}/news/{feed}/{number}", "title": document["title"],
                              "text": document["text"], "published": "2026-12-0%d" % (1 + number % 5)})
            site.routes[f"/feeds/{feed}.xml"] = conditional(rss(items, f"Feed {feed}"), "application/rss+xml",
                                                            f'"feed-{feed}"')
            urls.append(f"{site.base}/feeds/{feed}.xml")

        # The baseline: every feed fetched plainly, every cycle.
        plain_times = []
        with httpx.Client() as client:
            for _ in range(min(args.cycles, 20)):
                started = time.perf_counter()
                before = len(site.hits)
                for url in urls:
                    client.get(url).raise_for_status()
                plain_times.append(time.perf_counter() - started)
                plain_requests = len(site.hits) - before

        config = WatchConfig(fetch=FetchConfig(host_delay=0.0))
        with Store(Path(folder) / "watch.db") as store:
            watcher = Watcher(store, [Source(url, 60) for url in urls], config)
            started = time.perf_counter()
            first = watcher.cycle(every_source=True)
            first_seconds = time.perf_counter() - started
            memory = {1: megabytes()}
            times, requests, not_modified = [], [], []
            for cycle in range(2, args.cycles + 1):
                started = time.perf_counter()
                report = watcher.cycle(every_source=True)
                times.append(time.perf_counter() - started)
                requests.append(report.requests)
                not_modified.append(sum(1 for _, what in report.polled if what == "not modified"))
                if cycle in (10, args.cycles):
                    memory[cycle] = megabytes()
            watcher.close()
            articles = store.article_count()
            stories = len(store.stories())

    per_cycle = statistics.median(times) if times else float("nan")
    plain = statistics.median(plain_times)
    print(f"bench/watch.py: {args.feeds} feeds x {args.items} items on loopback, {args.cycles} cycles; load average "
          f"{load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)")
    print(f"first cycle (all new): {first_seconds:.1f} s, {first.requests} requests, {len(first.added)} articles "
          f"added ({articles} stored, {stories} stories; {len(first.skipped)} items skipped, {first.unchanged} "
          f"unchanged), {len(first.changes)} story changes, {len(first.failed)} failures")
    print("first cycle by part: " + ", ".join(f"{part} {seconds:.1f} s" for part, seconds in first.seconds.items())
          + f"; {first_seconds / max(1, len(first.added)):.2f} s per article added")
    print(f"unchanged cycle: median {per_cycle * 1000:.0f} ms (max {max(times) * 1000:.0f} ms), "
          f"requests per cycle {min(requests)}..{max(requests)} for {args.feeds} feeds, "
          f"304s per cycle {min(not_modified)}..{max(not_modified)}")
    print(f"baseline (plain httpx GET of every feed, same server): median {plain * 1000:.0f} ms per cycle, "
          f"{plain_requests} requests; ratio watcher/baseline {per_cycle / plain:.2f}")
    print("memory (RSS): " + ", ".join(f"after cycle {c}: {m:.0f} MB" for c, m in sorted(memory.items()))
          + f"; growth from cycle 10 to {args.cycles}: {memory[args.cycles] - memory[10]:+.1f} MB")
    return 0 if max(requests) == args.feeds and min(not_modified) == args.feeds else 1


if __name__ == "__main__":
    sys.exit(main())
