"""Dask for the parallel stages: the work that needs no store runs on Dask workers.

`storyline add --workers N` starts a local Dask cluster (N worker processes);
`--scheduler tcp://HOST:8786` uses a running one, whose workers may be on
other machines. The workers run, over shards of the inputs:

- ingest, clean and dedup fingerprints (`prepare_shard`): a shard is a few
  whole inputs (files, URLs) or a byte range of a JSON Lines file, read
  where the worker is (the same path must reach every worker: a shared
  folder, or a URL);
- the per-article NLP of placement (`features_of`): the spaCy pass that
  turns an article into the terms stories compare;
- the analysis of a story for its brief (`brief_stories`).

The driver (the process the command runs in) does all that touches the
store, in the order a single process would: it regroups the workers'
results into the batches `pipeline.add` makes, in input order, checks each
against the duplicate index and stores it, then places the new articles in
publication order. The stories are therefore those of a single-process run
on the same inputs (tests/test_parallel.py). What stays serial, and why:
dedup-and-store (a copy must see every article stored before it) and
placement (each article's story depends on every placement before it).

At most `window` shards are in flight at once, so the driver's memory stays
bounded whatever the size of the inputs.
"""

from __future__ import annotations

import asyncio
import codecs
import collections
import contextlib
import io
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from storyline import clean, cluster, dedup, ingest, worker_nanny
from storyline.errors import EnvironmentProblem
from storyline.records import Article, Document, Origin, Skipped, Story

if TYPE_CHECKING:
    from storyline.pipeline import PipelineConfig

# About 256 kB of input per shard: some 50 JSON Lines articles or a few HTML pages,
# enough to batch spaCy, small enough that every worker gets work from a few MB of input.
SHARD_BYTES = 256_000
# Files grouped in one shard at most (a folder of many small pages).
SHARD_FILES = 64
# The malloc settings of the local cluster's worker processes (`worker_nanny.WORKER_MALLOC`: Dask's own made every
# array of a spaCy batch a fresh mmap).
WORKER_MALLOC = worker_nanny.WORKER_MALLOC
# Run by each local worker process as it starts (Dask's worker preload, given as the text of a script): Ctrl-C at
# a terminal interrupts the whole process group, and a worker that took it died mid-task with a traceback. This
# process stops them itself (`Workers.close`).
def quiet_interrupt(signum: int, frame: Any) -> None:
    """SIGINT while workers run (`Workers.__enter__`): logging off, then the KeyboardInterrupt Python raises
    by default."""
    logging.disable(logging.CRITICAL)
    raise KeyboardInterrupt


WORKER_IGNORES_SIGINT = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
# Dask's periodic work in the processes of the local cluster (the driver runs its scheduler and nannies), which
# costs CPU whether or not anybody looks. Idle for 30 s, two workers took 0.42 to 0.62 s of CPU each with
# Dask's settings and 0.09 to 0.10 with these (the driver 0.58 to 0.80 s against 0.26; docs/bench.md): the
# event loop's health check every 200 ms, not 20, and a worker's memory against its limit every second, not
# every 100 ms.
LOCAL_CLUSTER_CONFIG = {"distributed.admin.tick.interval": "200ms",
                        "distributed.worker.memory.monitor-interval": "1s"}
# What only the dashboard shows, which is served only where bokeh is installed: the statistical profiler, which
# samples every 10 ms, and the system monitor's plots (every 500 ms).
DASHBOARD_CONFIG = {"distributed.worker.profile.enabled": False,
                    "distributed.admin.system-monitor.interval": "2s"}
# The local cluster's workers are forked from a fork server that has loaded what they run (`forked_workers`).
FORKED = {"distributed.worker.multiprocessing-method": "forkserver"}
# Articles per task of placement features: enough for a few spaCy batches, small enough that two workers
# share a chunk of placement (256 articles).
FEATURE_PART = 32


@dataclass(frozen=True, slots=True)
class Shard:
    """Inputs one worker reads: whole `inputs`, or `length` bytes of the JSON Lines file `path` from
    byte `start` (its line `first_line`), or `documents` the driver read itself (stdin)."""

    inputs: tuple[str, ...] = ()
    path: str = ""
    start: int = 0
    length: int = 0
    first_line: int = 1
    documents: tuple[Document | Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a worker made of one shard: the ingest items in order, the clean result of each document
    (by document id), the fingerprints of the articles (by article id) and the seconds per stage."""

    items: tuple[Document | Skipped, ...]
    cleaned: Mapping[str, Article | Skipped]
    fingerprints: Mapping[str, bytes]
    seconds: Mapping[str, float]


def plan_shards(inputs: Iterable[str], config: ingest.IngestConfig = ingest.IngestConfig(),
                shard_bytes: int = SHARD_BYTES) -> Iterator[Shard | Skipped]:
    """Split the inputs into shards, in the order `ingest.read_inputs` reads them.

    Small files are grouped; an uncompressed JSON Lines file larger than a
    shard is cut into line-aligned byte ranges; stdin is read here. An input
    `expand_inputs` skips comes out as that Skipped, in its place.
    """
    group: list[str] = []
    size = 0
    for item in ingest.expand_inputs(inputs, config.follow_symlinks):
        if isinstance(item, Skipped) or item == "-":
            if group:
                yield Shard(inputs=tuple(group))
                group, size = [], 0
            if isinstance(item, Skipped):
                yield item
            else:
                yield from stdin_shards(config)
            continue
        path = Path(item)
        length = path.stat().st_size if path.is_file() else 0
        if length > shard_bytes and splittable_json_lines(path):
            if group:
                yield Shard(inputs=tuple(group))
                group, size = [], 0
            yield from line_ranges(path, shard_bytes)
            continue
        group.append(item)
        size += length
        if size >= shard_bytes or len(group) >= SHARD_FILES:
            yield Shard(inputs=tuple(group))
            group, size = [], 0
    if group:
        yield Shard(inputs=tuple(group))


def stdin_shards(config: ingest.IngestConfig, size: int = 64) -> Iterator[Shard]:
    """stdin read by the driver (workers cannot read it), its documents in shards of `size`."""
    items: list[Document | Skipped] = []
    for item in ingest.read_stream(sys.stdin.buffer, Origin("stdin", "-"), config):
        items.append(item)
        if len(items) >= size:
            yield Shard(documents=tuple(items))
            items = []
    if items:
        yield Shard(documents=tuple(items))


def splittable_json_lines(path: Path) -> bool:
    """Whether a file can be cut into line ranges: JSON Lines, not gzipped, that `ingest` streams."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return head[:2] != ingest.GZIP_MAGIC and ingest.looks_like_json_lines(path)


def line_ranges(path: Path, shard_bytes: int) -> Iterator[Shard]:
    """Line-aligned byte ranges of about `shard_bytes` of a file, each with the number of its first line.

    Reads the file once, a block at a time, counting newlines (fast, and in bounded memory).
    """
    start, line = 0, 1
    with open(path, "rb") as handle:
        while True:
            handle.seek(start + shard_bytes)
            rest = handle.readline()  # to the end of the line the cut falls in
            end = start + shard_bytes + len(rest)
            handle.seek(start)
            lines = count_newlines(handle, end - start)
            if end >= path.stat().st_size or not rest:
                yield Shard(path=str(path), start=start, length=path.stat().st_size - start, first_line=line)
                return
            yield Shard(path=str(path), start=start, length=end - start, first_line=line)
            start, line = end, line + lines


def count_newlines(handle: io.BufferedIOBase, length: int) -> int:
    """The newlines in the next `length` bytes of a file."""
    count = 0
    while length > 0:
        block = handle.read(min(length, 1 << 20))
        if not block:
            break
        count += block.count(b"\n")
        length -= len(block)
    return count


def read_shard(shard: Shard, config: ingest.IngestConfig) -> Iterator[Document | Skipped]:
    """The ingest items of a shard, as `ingest.read_inputs` gives them for those inputs or lines."""
    if shard.documents:
        yield from shard.documents
    elif shard.inputs:
        yield from ingest.read_inputs(shard.inputs, config)
    else:
        origin = Origin("file", shard.path)
        with open(shard.path, "rb") as handle:
            handle.seek(shard.start)
            bom = shard.start == 0 and handle.peek(3)[:3] == codecs.BOM_UTF8
            yield from ingest.read_json_lines(handle, origin, config, first_line=shard.first_line,
                                              length=shard.length, encoding="utf-8-sig" if bom else "utf-8")


def prepare_shard(shard: Shard, ingest_config: ingest.IngestConfig, clean_config: clean.CleanConfig,
                  dedup_config: dedup.DedupConfig) -> Prepared:
    """Ingest, clean and fingerprint one shard (runs on a worker; reads no store).

    Takes the configurations of its stages, not the pipeline's: unpickling a `PipelineConfig` imports
    `storyline.pipeline` and every stage of the briefs (scikit-learn, jinja2: some 35 MB a worker).
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    items = tuple(read_shard(shard, ingest_config))
    seconds["ingest"] = time.perf_counter() - started
    started = time.perf_counter()
    documents = list({item.id: item for item in items if isinstance(item, Document)}.values())
    cleaned = {doc.id: result for doc, result in zip(documents, clean.clean_documents(documents, clean_config))}
    seconds["clean"] = time.perf_counter() - started
    started = time.perf_counter()
    fingerprints = {result.id: dedup.fingerprint(result, dedup_config).to_bytes()
                    for result in cleaned.values() if isinstance(result, Article)}
    seconds["fingerprints"] = time.perf_counter() - started
    return Prepared(items, cleaned, fingerprints, seconds)


def features_of(articles: Sequence[Article], representation: str
                ) -> tuple[dict[str, cluster.ArticleFeatures], float]:
    """The placement features of articles, by id, and the seconds they took (runs on a worker: the spaCy
    pass of placement)."""
    started = time.perf_counter()
    found = {item.article_id: item for item in cluster.extract_features(articles, representation=representation)}
    return found, time.perf_counter() - started


# Local clusters of this process open now, whose workers the fork server forked (`forked_workers`).
_FORKING = [0]


def forked_workers(briefs: bool = False) -> None:
    """Have the local cluster fork its workers from multiprocessing's fork server, which imports
    `storyline.worker_start` first (the stages of `add` and their models), or `storyline.worker_briefs` for a
    cluster that `briefs` too (every stage, and what a first brief loads), not spawn each anew.

    Called before Dask is imported: the server starts now, in the environment of the workers
    (`worker_nanny.LOCAL_ENVIRON`: the malloc settings, one BLAS thread), and loads their models while this
    process starts the cluster (`worker_nanny.start_fork_server`). One fork server serves every local cluster
    of this process (what it loaded is that of the first cluster open); the last to close stops it
    (`release_fork_server`).
    """
    # Unless running: `storyline.cli` starts it first.
    worker_nanny.start_fork_server(worker_nanny.stages_module(briefs))
    _FORKING[0] += 1


def release_fork_server() -> None:
    """A local cluster closed (its workers gone): the last one stops the fork server and waits for it. Its
    memory (the models it loaded) is freed, and the CPU time of the server and of the workers it forked and
    waited for is counted in this process's children, as a spawned worker's is. Through multiprocessing's
    own stop (a private method: where it is missing, the server stops when this process exits)."""
    from multiprocessing import forkserver

    _FORKING[0] -= 1
    if _FORKING[0] == 0:
        with contextlib.suppress(AttributeError, OSError, ChildProcessError):
            forkserver._forkserver._stop()


def dashboard_served() -> bool:
    """Whether Dask serves its dashboard here: it needs bokeh, which storyline does not install."""
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Workers:
    """A Dask client: a local cluster of `workers` processes, or the cluster at `scheduler`.

    `briefs`: the local workers will analyse stories for their briefs too, and start with that loaded.
    """

    workers: int | None = None
    scheduler: str | None = None
    briefs: bool = False
    window: int = 0  # tasks in flight at once (0: four per worker)
    shard_bytes: int = SHARD_BYTES
    client: Any = field(init=False, default=None)
    cluster: Any = field(init=False, default=None)
    stage_seconds: dict[str, float] = field(init=False, default_factory=dict)  # summed over the workers
    waited: float = field(init=False, default=0.0)  # seconds this process waited for placement features
    forked: bool = field(init=False, default=False)  # a local cluster, its workers forked (`forked_workers`)
    previous_sigint: Any = field(init=False, default=None)  # the SIGINT handler before `__enter__`

    def __post_init__(self) -> None:
        if not self.scheduler:  # the fork server loads the workers' models while Dask is imported and started
            forked_workers(self.briefs)
            self.forked = True
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # a dependency: only a broken install lacks it
            raise EnvironmentProblem(f"Dask is not installed ({exc}); run: pip install -e .") from exc
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="30s")
            else:
                import dask

                settings = {f"distributed.nanny.pre-spawn-environ.{name}": value
                            for name, value in worker_nanny.LOCAL_ENVIRON.items()} | LOCAL_CLUSTER_CONFIG | FORKED
                if not dashboard_served():
                    settings |= DASHBOARD_CONFIG
                with dask.config.set(settings):
                    # Dask sets its own list of the server's imports at its first use; ours stays (a server
                    # started again after a crash imports it too).
                    worker_nanny.fork_server_preload(worker_nanny.stages_module(self.briefs))
                    self.cluster = LocalCluster(n_workers=self.workers or 1, threads_per_worker=1, processes=True,
                                                dashboard_address="127.0.0.1:0", host="127.0.0.1",
                                                preload=[WORKER_IGNORES_SIGINT])
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise EnvironmentProblem(f"cannot reach the Dask scheduler {self.scheduler or '(local)'}: {exc}") from exc
        except BaseException:
            self.close()
            raise
        if not self.window:
            count = len(self.client.scheduler_info().get("workers", {})) or (self.workers or 1)
            self.window = 4 * count

    @property
    def dashboard(self) -> str | None:
        """The link to the Dask dashboard, None when it is not served (bokeh is not installed)."""
        return self.client.dashboard_link if dashboard_served() else None

    def close(self, interrupted: bool = False) -> None:
        """Close the client, and the local cluster with its workers.

        `interrupted` (Ctrl-C): the local workers are stopped at once, their tasks dropped, where a
        graceful close waits up to 4 s for a worker's running task and then kills it, with a warning.
        The workers hold nothing of the store: all that touches it is in this process.
        """
        if interrupted and self.cluster is not None:
            logging.getLogger("distributed").setLevel(logging.ERROR)  # no warning for each worker killed here
            with contextlib.suppress(Exception):
                self.cluster.sync(self._stop_workers)
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self.forked:  # every worker of this cluster is gone now
            self.forked = False
            release_fork_server()
        if self.previous_sigint is not None:
            signal.signal(signal.SIGINT, self.previous_sigint)
            self.previous_sigint = None
        if interrupted:
            logging.disable(logging.NOTSET)

    async def _stop_workers(self) -> None:
        """Close every nanny of the local cluster, its worker killed: at once, not after a graceful try
        that cancels the running task with a warning."""
        nannies = list(self.cluster.workers.values())
        # Each close is scheduled before the kills, so it runs (and marks its nanny closing: no restart) before
        # the callback of a worker's death; the kills come before any close runs, so no worker is asked to stop
        # gracefully first (it would cancel its task, with a warning, before it died).
        closing = [asyncio.ensure_future(nanny.close(timeout=0.5, reason="interrupted")) for nanny in nannies]
        for nanny in nannies:
            if nanny.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(nanny.pid, signal.SIGKILL)
        await asyncio.gather(*closing, return_exceptions=True)

    def __enter__(self) -> "Workers":
        # Ctrl-C while the workers run: the user gets one line (`cli.interruptible`); what the cluster's
        # teardown logs from then on (an error in a callback Dask's `sync` leaves on its loop, a lost
        # connection) is no news, so logging is off from the signal until the workers are closed.
        if threading.current_thread() is threading.main_thread():
            self.previous_sigint = signal.signal(signal.SIGINT, quiet_interrupt)
        return self

    def __exit__(self, kind, *exc_info) -> None:
        self.close(interrupted=kind is not None and issubclass(kind, KeyboardInterrupt))

    def in_order(self, function: Callable, items: Iterable, *args) -> Iterator:
        """`function(item, *args)` for each item on the workers, results in the order of the items,
        with at most `window` tasks in flight (an item that is a Skipped passes through as it is)."""
        pending: collections.deque = collections.deque()
        for item in items:
            pending.append(item if isinstance(item, Skipped) else self.client.submit(function, item, *args,
                                                                                     pure=False))
            if len(pending) >= self.window:
                yield self._result(pending.popleft())
        while pending:
            yield self._result(pending.popleft())

    @staticmethod
    def _result(item):
        return item if isinstance(item, Skipped) else item.result()

    def prepared_batches(self, inputs: Sequence[str], config: "PipelineConfig"
                         ) -> Iterator[tuple[list[Document | Skipped], dict[str, Article | Skipped], dict[str, bytes]]]:
        """The batches `pipeline.add` reads (`config.batch_size` ingest items, in input order), each with
        the workers' clean result per document and fingerprint per article."""
        batch: list[Document | Skipped] = []
        cleaned: dict[str, Article | Skipped] = {}
        fingerprints: dict[str, bytes] = {}
        for result in self.in_order(prepare_shard, plan_shards(inputs, config.ingest, self.shard_bytes), config.ingest,
                                    config.clean, config.dedup):
            if isinstance(result, Skipped):
                result = Prepared((result,), {}, {}, {})
            for stage, seconds in result.seconds.items():
                self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
            for item in result.items:
                batch.append(item)
                if isinstance(item, Document):
                    cleaned[item.id] = result.cleaned[item.id]
                    found = cleaned[item.id]
                    if isinstance(found, Article) and found.id in result.fingerprints:
                        fingerprints[found.id] = result.fingerprints[found.id]
                if len(batch) == config.batch_size:
                    yield batch, cleaned, fingerprints
                    batch, cleaned, fingerprints = [], {}, {}
        if batch:
            yield batch, cleaned, fingerprints

    def featured_chunks(self, chunks: Iterable[Sequence[str]], read: Callable[[Sequence[str]], list[Article]],
                        representation: str) -> Iterator[tuple[list[Article], dict[str, cluster.ArticleFeatures]]]:
        """Each chunk of article ids read (`read`), with its placement features, in order.

        A chunk's features are extracted in parts of `FEATURE_PART` articles, each a task of its own, so
        that every worker has some (a chunk of 256 articles was one task: with two workers, placement
        waited for one worker to extract 256 articles, then another 256, while the other idled), and the
        parts of the next chunks are under way, `window` parts ahead, while this process places one.
        The workers' seconds go to `stage_seconds["features"]`, the wait for them to `waited`.
        """
        pending: collections.deque = collections.deque()  # (articles, their parts' futures), oldest first
        for chunk in chunks:
            articles = read(chunk)
            pending.append((articles, [self.client.submit(features_of, articles[start:start + FEATURE_PART],
                                                          representation, pure=False)
                                       for start in range(0, len(articles), FEATURE_PART)]))
            if sum(len(parts) for _, parts in pending) - len(pending[0][1]) >= self.window:
                yield self._featured(*pending.popleft())
        while pending:
            yield self._featured(*pending.popleft())

    def _featured(self, articles: list[Article], parts: Sequence) -> tuple[list[Article], dict[str, cluster.ArticleFeatures]]:
        """A chunk's articles with the features of all its parts."""
        features: dict[str, cluster.ArticleFeatures] = {}
        started = time.perf_counter()
        for part in parts:
            found, seconds = part.result()
            features.update(found)
            self.stage_seconds["features"] = self.stage_seconds.get("features", 0.0) + seconds
        self.waited += time.perf_counter() - started
        return articles, features

    def analysed(self, jobs: Iterable[tuple[Sequence[Article], Story, int]], config: "PipelineConfig") -> Iterator:
        """`pipeline.analyse_story_once` of each (articles, story, version) on the workers, in order."""
        from storyline.pipeline import analyse_story_once

        pending: collections.deque = collections.deque()
        for articles, story, version in jobs:
            pending.append(self.client.submit(analyse_story_once, list(articles), story, config, version, pure=False))
            if len(pending) >= self.window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
