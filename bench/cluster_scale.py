"""Story assignment cost as the store grows: articles/s and memory at 1,000, 10,000, 100,000 stored articles.

The stored articles are the 772 ECB+ dev documents replicated with fresh ids,
dated as a stream of news: replicas follow one another in time, never
overlapping, and each is laid out as a stream would bring its reports. Its 66
events (the gold stories of ECB+) start at evenly spaced days of the
replica's period, in a fixed shuffled order; a dated report keeps its distance
from the first dated report of its event (at most `STORY_DAYS`: later
follow-ups are clipped), and an undated report takes its event's first day
(a feed knows when it fetched an article). A replica spans
`replica_days` (810 with the shipped config: about 1 article and one new event
every 12 days), so that the copies of one event in two replicas are never within
one placement window (`window_days` either side, rounded out to whole time
buckets) of each other: a store of any size shows placement what a real stream
would, the reports of distinct events in reach, not copies of the event being
placed. (Before 2026-12-07 a replica kept ECB+'s own dates, 2004-2024, shifted
by 400 days a replica, so replicas overlapped and a probe reached the copies of
up to seven replicas; at 100k the new articles merged those copies, 0.65 merges
an article against 0.09 at 10k.) 100,000 stored articles span 130 replicas,
about 290 years: the stream is thin, but the window, not the density, decides
what placement reads.

The stories of one replica are computed once by the shipped assigner and copied
into the index of a `MemoryBook` (the in-memory twin of the store's index), so
the fill is fast; document frequencies are scaled to the number of stored
articles. Then 772 new articles (one more replica, after the stored ones) are
assigned one by one and timed. `stories/probe` (from a second, untimed pass) is
the mean number of distinct stored stories that one candidate probe of the
index reaches: with replicas apart in time it is the same at every size, so
what changes from 1k to 100k is the size of the index, not what a probe reads.

Memory is the index itself (Python objects; resident memory of the process from
/proc), and grows with the number of stored stories, as any index does.

With --store, the same assignment runs through `StoredBook` on a real SQLite
file per size, filled with the same replicated stories; with --postgres, on a
PostgreSQL database per size (a throwaway server, or --postgres-url). Beside
the wall time, the CPU time per article (this process's, and on PostgreSQL its
server process's too, which must run on this machine): on a shared machine
the wall time mostly measures the wait for a core, the CPU time the work.

Usage: PYTHONPATH=. python bench/cluster_scale.py [--sizes 1000 10000 100000] [--store] [--postgres]
Needs the feature cache of bench/cluster.py (built on first use, ~90 s).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import sys
import time
import resource
import tempfile
from dataclasses import replace
from typing import Iterator, Mapping, Sequence

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cluster import features_cached  # noqa: E402
from bench.datasets import ECBPLUS, require  # noqa: E402
from bench.plain_articles import ecbplus_articles  # noqa: E402
from storyline.cluster import ClusterConfig  # noqa: E402
from storyline.cluster.features import ArticleFeatures  # noqa: E402
from storyline.cluster.online import BUCKET_DAYS, Assigner, MemoryBook, StoryState, canonical_order  # noqa: E402
from storyline.cluster.stored import StoredBook  # noqa: E402
from storyline.records import content_id  # noqa: E402
from storyline.store import Store  # noqa: E402

# The first day of the stream (any day: only distances in time matter to placement).
STREAM_START = datetime.date(2000, 1, 1)
# A report dated more than this after the first dated report of its event is clipped to it.
STORY_DAYS = 30


def replica_days(config: ClusterConfig) -> int:
    """Days one replica spans: one placement window (rounded out to whole buckets, one more for the
    bucket a day falls in) and an event's span, so the copies of an event are never in reach of each other."""
    return (config.window_days // BUCKET_DAYS + 2) * BUCKET_DAYS + STORY_DAYS


def stream_dates(features: Sequence[ArticleFeatures], events: Mapping[str, str], days: int) -> dict[str, str]:
    """The date of each article (by id) in the first replica: its event's start day, evenly spaced over
    `days` in a fixed shuffled order, plus its distance from the event's first dated report."""
    by_event: dict[str, list[ArticleFeatures]] = {}
    for item in features:
        by_event.setdefault(events[item.article_id], []).append(item)
    order = sorted(by_event)
    random.Random(0).shuffle(order)
    dates = {}
    for slot, event in enumerate(order):
        start = STREAM_START + datetime.timedelta(days=slot * days // len(order))
        dated = [datetime.date.fromisoformat(item.published) for item in by_event[event] if item.published]
        first = min(dated, default=None)
        for item in by_event[event]:
            offset = (datetime.date.fromisoformat(item.published) - first).days if item.published else 0
            dates[item.article_id] = (start + datetime.timedelta(days=min(offset, STORY_DAYS))).isoformat()
    return dates


def shifted(date: str, replica: int, days: int) -> str:
    """A date of the first replica moved into replica `replica`'s period."""
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=days * replica)).isoformat()


def replica_features(features: Sequence[ArticleFeatures], replica: int, dates: Mapping[str, str],
                     days: int) -> list[ArticleFeatures]:
    """The articles of one replica: fresh ids, their stream dates shifted into the replica's period."""
    return [
        replace(f, article_id=content_id(f"{f.article_id}#{replica}"),
                published=shifted(dates[f.article_id], replica, days))
        for f in features
    ]


class ProbedBook(MemoryBook):
    """A `MemoryBook` that counts the distinct stories each candidate probe reaches (untimed pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.probes = 0
        self.reached = 0

    def candidates(self, terms: Sequence[str], date: str | None, window_days: int, limit: int) -> list[str]:
        reached: set[str] = set()
        for ids in self.postings_in_window(terms, date, window_days):
            reached |= ids
        self.probes += 1
        self.reached += len(reached)
        return super().candidates(terms, date, window_days, limit)


def replica_stories(base: MemoryBook, replicas: int, days: int) -> Iterator[StoryState]:
    """`replicas` copies of the stories of `base` (fresh ids, dates shifted by `days` a replica)."""
    for replica in range(replicas):
        for story in base.stories.values():
            yield StoryState(
                id=content_id(f"{story.id}#{replica}"),
                members=[content_id(f"{m}#{replica}") for m in story.members],
                counts=dict(story.counts),
                first=shifted(story.first, replica, days),
                last=shifted(story.last, replica, days),
                label=story.label,
            )


def filled_book(base: MemoryBook, replicas: int, days: int, kind: type[MemoryBook] = MemoryBook) -> MemoryBook:
    """A book holding `replicas` copies of the stories of `base`."""
    book = kind()
    book.documents = base.documents * replicas
    book.frequencies = {term: count * replicas for term, count in base.frequencies.items()}
    for story in replica_stories(base, replicas, days):
        book.save(story)
    return book


def filled_store(path: Path | str, base: MemoryBook, replicas: int, days: int) -> Store:
    """A store (a SQLite file, or a PostgreSQL URL) holding `replicas` copies of the stories of `base`, as
    `storyline add` writes them."""
    store = Store(path)
    book = StoredBook(store)
    with store.transaction():
        store.count_story_documents({t: c * replicas for t, c in base.frequencies.items()}, base.documents * replicas)
        for story in replica_stories(base, replicas, days):
            book.save(story)
    return store


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` prints them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def resident_bytes() -> int:
    """Resident memory of this process now (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def probe_reach(base: MemoryBook, replicas: int, days: int, fresh: list[ArticleFeatures],
                config: ClusterConfig) -> float:
    """The mean number of distinct stored stories a candidate probe reaches, in a second, untimed pass."""
    book = filled_book(base, replicas, days, ProbedBook)
    assigner = Assigner(book, config)
    for item in fresh:
        assigner.add(item)
    return book.reached / max(1, book.probes)


def main(argv: Sequence[str] | None = None) -> int:
    """Print assignment throughput and memory per store size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--store", action="store_true",
                        help="also time the SQLite store (a real file under --dir) at each size")
    parser.add_argument("--dir", type=Path, default=None, help="where the store files go (default: a temp dir)")
    parser.add_argument("--postgres", action="store_true",
                        help="also time a PostgreSQL store at each size (a throwaway server, as the tests start one)")
    parser.add_argument("--postgres-url", default=None,
                        help="with --postgres: a server URL whose user may create databases, instead")
    args = parser.parse_args(argv)
    require(ECBPLUS)
    articles, events, _ = ecbplus_articles()
    features = features_cached(articles)
    config = ClusterConfig()
    days = replica_days(config)
    dates = stream_dates(features, events, days)
    base = MemoryBook()
    Assigner(base, config).add_batch(replica_features(features, 0, dates, days))
    print(f"one replica: {len(features)} articles of {len(set(events.values()))} events over {days} days "
          f"({len(features) / days:.2f} articles a day), {len(base.stories)} stories; "
          f"load average {load_average()} on {os.cpu_count()} cores")
    print(f"{'stored':>8} {'stories':>8} {'articles/s':>11} {'ms/article':>11} {'stories/probe':>16} "
          f"{'index MB':>9} {'peak RSS MB':>12} {'load 1 min':>10}")
    for size in args.sizes:
        replicas = max(1, round(size / len(features)))
        before = resident_bytes()
        book = filled_book(base, replicas, days)
        index_bytes = resident_bytes() - before
        # The index is long-lived: keep the cyclic collector from rescanning it
        # on every collection (a store-backed index has no such objects).
        gc.collect()
        gc.freeze()
        fresh = canonical_order(replica_features(features, replicas, dates, days))
        assigner = Assigner(book, config)
        started = time.perf_counter()
        for item in fresh:
            assigner.add(item)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # sizes ascend: this run's peak
        gc.unfreeze()
        del book, assigner
        gc.collect()
        reach = probe_reach(base, replicas, days, fresh, config)
        print(f"{replicas * len(features):>8} {replicas * len(base.stories):>8} {len(fresh) / elapsed:>11.0f} "
              f"{1000 * elapsed / len(fresh):>11.2f} {reach:>16.1f} {index_bytes / 2**20:>9.0f} {peak / 2**20:>12.0f} {os.getloadavg()[0]:>10.2f}")
    if args.store:
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            time_store(Path(folder), base, features, dates, days, config, args.sizes)
    if args.postgres:
        from bench.scale_out import postgres_server

        with postgres_server(args.postgres_url) as new_database:
            time_store(None, base, features, dates, days, config, args.sizes, new_database)
    return 0


def time_store(folder: Path | None, base: MemoryBook, features: Sequence[ArticleFeatures], dates: Mapping[str, str],
               days: int, config: ClusterConfig, sizes: Sequence[int], new_database=None) -> None:
    """Time the same assignment through `StoredBook` on a real SQLite file per size, or on a new PostgreSQL
    database per size (`new_database` gives its URL); committed as `add` commits (`Store.transactions`)."""
    kind = "PostgreSQL" if new_database else "SQLite"
    print(f"\n{kind} store (StoredBook, short transactions as `storyline add`, load {load_average()}):")
    print(f"{'stored':>8} {'stories':>8} {'articles/s':>11} {'ms/article':>11} {'CPU ms/article':>14} {'file MB':>9} "
          f"{'fill s':>8} {'statements/article':>18} {'stories of the new':>18} {'load 1 min':>10}")
    for size in sizes:
        replicas = max(1, round(size / len(features)))
        path = new_database() if new_database else folder / f"scale-{replicas}.db"
        started = time.perf_counter()
        store = filled_store(path, base, replicas, days)
        filled = time.perf_counter() - started
        fresh = canonical_order(replica_features(features, replicas, dates, days))
        with store:
            assigner = Assigner(StoredBook(store), config)
            backend = store.conn.execute("SELECT pg_backend_pid()").fetchone()[0] if new_database else None
            statements = count_statements(store)
            cpu = cpu_seconds(backend)
            started = time.perf_counter()
            with store.transactions() as between:
                for item in fresh:
                    assigner.add(item)
                    between()
            elapsed = time.perf_counter() - started
            cpu = cpu_seconds(backend) - cpu
            executed = statements[0]
            placed = stories_digest(store, [item.article_id for item in fresh])
        if new_database:
            with Store(path) as store:
                megabytes = store.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
        else:
            megabytes = sum(p.stat().st_size for p in folder.glob(f"{path.name}*")) / 2**20
            path.unlink()
        print(f"{replicas * len(features):>8} {replicas * len(base.stories):>8} {len(fresh) / elapsed:>11.0f} "
              f"{1000 * elapsed / len(fresh):>11.2f} {1000 * cpu / len(fresh):>14.2f} {megabytes:>9.0f} {filled:>8.0f} "
              f"{executed / len(fresh):>18.1f} {placed:>18} {os.getloadavg()[0]:>10.2f}")


def cpu_seconds(backend: int | None = None) -> float:
    """CPU seconds this process has used, plus those of PostgreSQL's server process `backend` (on this
    machine, read from /proc): the work of a placement, which waiting for a core on a loaded machine
    does not add to, unlike the wall time."""
    used = time.process_time()
    if backend is not None:
        with open(f"/proc/{backend}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return used


def count_statements(store: Store) -> list[int]:
    """A counter (its one item) of the SQL statements the store runs from now on: SQLite's own count of
    what it executes (a row of executemany is one), or the statements sent to PostgreSQL. Unlike the
    time, it does not move with the load of a shared machine."""
    counted = [0]

    def count(*_) -> None:
        counted[0] += 1

    conn = store.conn
    if hasattr(conn, "set_trace_callback"):  # sqlite3
        conn.set_trace_callback(count)
    else:
        execute = conn.execute

        def counting(sql, params=()):
            count()
            return execute(sql, params)

        conn.execute = counting
    return counted


def stories_digest(store: Store, article_ids: Sequence[str]) -> str:
    """A short hash of the story (its id and members) each of these articles is in: equal digests, equal
    placements (to compare two versions of the code on the same inputs)."""
    stories = []
    for article_id in article_ids:
        story = store.get_story(store.story_of_article(article_id) or "")
        stories.append((article_id, story.id, story.articles) if story else (article_id,))
    return content_id(repr(stories))


if __name__ == "__main__":
    sys.exit(main())
