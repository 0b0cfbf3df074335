"""Scale out: `storyline add` in one process against Dask workers, on SQLite and PostgreSQL; JSON Lines streaming.

Each run is a real `storyline add --timings` in a fresh store (a subprocess), timed from outside, its
peak resident memory summed over its process tree (driver, Dask scheduler, workers) by polling, and beside it
the peak of the tree's proportional set size (PSS: a page shared by several processes, a library's code or
what forked workers share with their fork server, counted once, where the RSS sum counts it in each):

- single process, `--workers 1`, `--workers 2` on a SQLite file: articles per second end to end, the
  seconds per stage the command prints, and whether the stories equal the single-process run's; with
  workers, the peak RSS of the command's own process (the driver) and of the largest process under it too
  (a Dask worker);
- the single process and `--workers 2` again on PostgreSQL (a throwaway server, as the tests start
  one, or --postgres-url);
- with --run, `storyline run --timings` (stories and their briefs written too) in one process and with
  the most workers, on SQLite, the same way: end to end, with the seconds of ingest, clean, dedup,
  cluster and brief;
- with --by-hand, `storyline run --scheduler` (add, then brief) on workers started by hand on loopback (`dask scheduler`,
  `dask worker --nworkers N`), without and with the nanny preload of docs/scale-out.md: the peak RSS sum,
  PSS and CPU of the worker machine's process tree, and whether the stories are the same;
- streaming: `ingest.read_inputs` over generated JSON Lines files of growing size (the ECB+ lines
  repeated, each made unique), peak RSS per size: bounded memory means it does not grow with the file;
  then (--stream-add-mb) `storyline add` of a much larger file on each backend for a fixed time.

Beside the wall time, each run's CPU time (milliseconds an article: the whole process tree, the driver,
each Dask worker), which waiting for a core does not add to: on a shared machine the steadier figure.
With --against DIR, each SQLite run is made with the code of the checkout DIR (main, say) and then with
this one's, one after the other. The baseline is the single-process run measured in the same run. On a 2-core machine shared with
other work, the speed-up of 2 workers is bounded by the cores actually free: the load average is
printed beside the figures.

Usage: PYTHONPATH=. python bench/scale_out.py [--documents 772] [--no-postgres] [--postgres-url URL]
       [--workers 1 2] [--run [--no-add]] [--by-hand] [--pickled] [--stream-mb 100 1000] [--stream-add-mb 10000 [--stream-add-seconds 300]]
       [--no-runs] [--quick] [--against ../main]
--quick reads the ECB+ documents of tests/data (a clone has no ../shared). With --stream-add-mb,
`storyline add` of a generated file of that size runs --stream-add-seconds on each backend, then is
interrupted (SIGINT, as a user would), its memory sampled: 10 GB would take days to add on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import ECBPLUS, require  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.worker_nanny import WORKER_MALLOC  # noqa: E402

QUICK = ROOT / "tests" / "data" / "ecbplus" / "ecbplus-tests.jsonl"


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now."""
    return sum(process_rss(pid))


def process_rss(pid: int) -> list[int]:
    """Resident bytes of a process and of each of its descendants now (the process first)."""
    import psutil

    try:
        root = psutil.Process(pid)
        found = [root.memory_info().rss]
        for child in root.children(recursive=True):
            try:
                found.append(child.memory_info().rss)
            except psutil.Error:
                pass
        return found
    except psutil.Error:
        return [0]


def tree_pss(pid: int) -> int:
    """Proportional set size of a process and its descendants now, summed: the memory the tree takes, each
    page it shares (a library's code, what forked workers share with the process they were forked from)
    counted once, where a sum of RSS counts it in every process that maps it."""
    import psutil

    total = 0
    try:
        for member in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += member.memory_full_info().pss
    except psutil.Error:
        pass
    return total


def timed_run(args: Sequence[str], env: dict[str, str], allowed: Sequence[int] = (0,), cwd: Path = ROOT) -> dict:
    """Run a command (a failure: an exit code not in `allowed`); return its wall seconds, the peak RSS of its
    process tree, its stderr, the peak RSS of the command's own process (the driver) and of its largest child
    process (a Dask worker, when there are workers) and CPU seconds: of the whole tree (the command and every descendant it waited for, from
    wait4), of the command's own process, and of each child process (the last sample of each)."""
    import psutil

    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(list(args), env=env, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        peak = largest_child = driver = pss = 0
        cpu: dict[int, float] = {}  # CPU seconds of each process of the tree, as last seen
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            each = process_rss(process.pid)
            peak = max(peak, sum(each))
            driver = max(driver, each[0])
            largest_child = max([largest_child, *each[1:]])
            pss = max(pss, tree_pss(process.pid))
            try:
                root = psutil.Process(process.pid)
                for member in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        times = member.cpu_times()
                        cpu[member.pid] = times.user + times.system
            except psutil.Error:
                pass
            time.sleep(0.25)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        err.seek(0)
        text = err.read().decode(errors="replace")
    if process.returncode not in allowed:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{text[-2000:]}")
    children = sorted((seconds for pid, seconds in cpu.items() if pid != process.pid), reverse=True)
    return {"seconds": elapsed, "peak": peak, "pss": pss, "stderr": text, "largest_child": largest_child, "driver_peak": driver,
            "cpu": usage.ru_utime + usage.ru_stime, "driver_cpu": cpu.get(process.pid, 0.0),
            "children_cpu": children}


def stage_seconds(stderr: str) -> dict[str, float]:
    """The seconds per stage of `--timings` ('seconds: ingest 1.2, clean 3.4, ...'; `run` prints a second
    line for the briefs)."""
    found = {}
    for line in stderr.splitlines():
        if line.startswith("seconds: "):
            for part in line[len("seconds: "):].split(", "):
                if part:
                    stage, _, value = part.rpartition(" ")
                    found[stage] = float(value)
    return found


def add_run(inputs: Path, db: str, workers: int | None, command_name: str = "add", root: Path = ROOT) -> dict:
    """One `storyline add --timings` (or `run`, its results written to a folder beside the store) into a
    fresh store, with the code of the checkout `root`; its figures and stories."""
    env = dict(os.environ, PYTHONPATH=str(root))
    command = [sys.executable, "-m", "storyline", command_name, str(inputs), "--db", db, "-q", "--timings",
               "--max-skips", str(10**9)]  # ECB+ has documents with no body: skipped, counted, not a failure
    if command_name == "run":
        command += ["--out", f"{db}.out"]
    if workers:
        command += ["--workers", str(workers)]
    load = os.getloadavg()[0]
    # `run` exits 1 when a brief does not verify: its results are written all the same, and counted here.
    done = timed_run(command, env, (0, 1) if command_name == "run" else (0,), cwd=root)
    unverified = re.search(r"^(\d+) briefs? do(?:es)? not verify", done["stderr"], re.M)
    with Store(db) as store:
        stories = {story.id: story.articles for story in store.stories()}
        articles = store.article_count()
    return {"seconds": done["seconds"], "peak": done["peak"], "pss": done["pss"], "stages": stage_seconds(done["stderr"]),
            "stories": stories, "articles": articles, "worker_peak": done["largest_child"] if workers else 0,
            "driver_peak": done["driver_peak"] if workers else 0,
            "cpu": done["cpu"], "driver_cpu": done["driver_cpu"], "children_cpu": done["children_cpu"],
            "load": (load, os.getloadavg()[0]), "unverified": int(unverified.group(1)) if unverified else 0}


def stream_peak(path: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS, documents) of reading a file through `ingest.read_inputs` in a subprocess."""
    code = ("import sys, resource; from storyline import ingest\n"
            "n = sum(1 for item in ingest.read_inputs([sys.argv[1]]) if hasattr(item, 'text'))\n"
            "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return time.perf_counter() - started, int(out[1]), int(out[0])


def generated_lines(source: Path, folder: Path, megabytes: int) -> Path:
    """A JSON Lines file of about `megabytes` MB: the source's lines repeated, each with a unique field.

    Each line is one JSON object; the field is spliced in before its closing brace (no JSON round
    trip, so that 10 GB are written in a few minutes).
    """
    lines = [line.rstrip().encode("utf-8") for line in source.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert all(line.endswith(b"}") for line in lines)
    path = folder / f"stream-{megabytes}mb.jsonl"
    written, n = 0, 0
    with open(path, "wb") as out:
        while written < megabytes * 1_000_000:
            text = lines[n % len(lines)][:-1] + b', "copy": %d}\n' % n
            out.write(text)
            written += len(text)
            n += 1
    return path


def add_stream(path: Path, db: str, seconds: float, every: float = 5.0) -> dict:
    """`storyline add` of a (large) file for `seconds`, then interrupted as a user would (SIGINT).

    The resident memory of its process tree is sampled every `every` seconds; what was stored by
    then is counted. Bounded memory shows as samples that stop growing while the input goes on.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "storyline", "add", str(path), "--db", db, "-q", "--max-skips", str(10**9)]
    samples: list[tuple[float, int]] = []
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    next_sample = started
    while process.poll() is None and time.perf_counter() - started < seconds:
        now = time.perf_counter()
        if now >= next_sample:
            samples.append((now - started, tree_rss(process.pid)))
            next_sample += every
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with Store(db) as store:
        articles = store.article_count()
    return {"samples": samples, "articles": articles, "seconds": seconds}


def report_stream(backend: str, run: dict) -> None:
    """One line per backend: articles stored in the time, RSS at each quarter of it, and its peak."""
    samples = run["samples"]
    quarters = [max((rss for t, rss in samples if t <= run["seconds"] * q / 4), default=0) for q in (1, 2, 3, 4)]
    late = [rss for t, rss in samples if t >= run["seconds"] / 2]
    print(f"{backend:<11} {run['articles']:>8} {run['articles'] / run['seconds']:>6.1f} "
          + " ".join(f"{q / 2**20:>7.0f}" for q in quarters)
          + f" {max(rss for _, rss in samples) / 2**20:>8.0f}"
          + f" {(max(late) - min(late)) / 2**20 if late else 0:>14.0f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=772, help="ECB+ documents added per run")
    parser.add_argument("--quick", action="store_true", help="read the ECB+ documents of tests/data")
    parser.add_argument("--no-postgres", action="store_true", help="leave PostgreSQL out")
    parser.add_argument("--postgres-url", default=None,
                        help="a server URL whose user may create databases (default: start a throwaway server)")
    parser.add_argument("--stream-mb", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--no-runs", action="store_true", help="leave out the add runs (only the streaming)")
    parser.add_argument("--run", action="store_true",
                        help="also time `storyline run` (stories and briefs) in one process and with the most "
                             "workers, on SQLite")
    parser.add_argument("--no-add", action="store_true", help="with --run: leave out the `add` runs")
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout (say, main's): each SQLite run is made with its code first, then "
                             "with this one's, one after the other, so that both meet the same load")
    parser.add_argument("--stream-add-mb", type=int, default=0,
                        help="also generate a file of this many MB and run `storyline add` of it on each backend")
    parser.add_argument("--by-hand", action="store_true",
                        help="`run --scheduler` on workers started by hand (`dask worker`), without and with "
                             "storyline's nanny preload")
    parser.add_argument("--pickled", action="store_true",
                        help="also measure what the workers' results cost to ship: each shard's and each features "
                             "part's pickle, bytes and milliseconds (made in this process, no Dask)")
    parser.add_argument("--stream-add-seconds", type=float, default=300,
                        help="how long each `storyline add` of --stream-add-mb runs before it is interrupted")
    args = parser.parse_args(argv)
    source = QUICK if args.quick else ECBPLUS
    require(source)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)[:args.documents]
        inputs = folder / "ecb.jsonl"
        inputs.write_text("".join(lines), encoding="utf-8")
        print(f"inputs: {len(lines)} ECB+ documents ({inputs.stat().st_size / 1e6:.1f} MB of JSON Lines)")
        if not args.no_runs and not args.no_add:
            runs: list[tuple[str, str, dict]] = []
            for count in [None, *args.workers]:
                name = f"--workers {count}" if count else "single process"
                if args.against:
                    runs.append(("sqlite", f"{name} (against)", add_run(inputs, str(folder / f"a{count}.db"), count,
                                                                      root=args.against.resolve())))
                runs.append(("sqlite", name, add_run(inputs, str(folder / f"w{count}.db"), count)))
            if not args.no_postgres:
                with postgres_server(args.postgres_url) as new_database:
                    runs.append(("postgresql", "single process", add_run(inputs, new_database(), None)))
                    runs.append(("postgresql", f"--workers {max(args.workers)}",
                                 add_run(inputs, new_database(), max(args.workers))))
            report(runs)
        if not args.no_runs and args.run:
            runs = []
            if args.against:
                runs.append(("sqlite", "run (against)", add_run(inputs, str(folder / "run-a.db"), None, "run",
                                                                root=args.against.resolve())))
            runs.append(("sqlite", "run", add_run(inputs, str(folder / "run.db"), None, "run")))
            name = f"run --workers {max(args.workers)}"
            if args.against:
                runs.append(("sqlite", f"{name} (against)", add_run(inputs, str(folder / "run-against.db"),
                                                                    max(args.workers), "run", root=args.against.resolve())))
            runs.append(("sqlite", name, add_run(inputs, str(folder / "run-workers.db"), max(args.workers), "run")))
            report(runs)
        if not args.no_runs:
            print(f"load average after: {os.getloadavg()[0]:.1f}")
        if args.by_hand:
            report_by_hand(inputs, folder, max(args.workers))
        if args.pickled:
            report_pickled(inputs)
        if args.stream_mb:
            print("\nstreaming JSON Lines through ingest (one process):")
            print(f"{'file MB':>8} {'documents':>10} {'seconds':>8} {'MB/s':>6} {'peak RSS MB':>12}")
            for megabytes in args.stream_mb:
                path = generated_lines(source, folder, megabytes)
                seconds, peak, documents = stream_peak(path)
                print(f"{path.stat().st_size / 1e6:>8.0f} {documents:>10} {seconds:>8.1f} "
                      f"{path.stat().st_size / 1e6 / seconds:>6.1f} {peak / 2**20:>12.0f}")
                path.unlink()
        if args.stream_add_mb:
            path = generated_lines(source, folder, args.stream_add_mb)
            try:
                stream_through_add(path, folder, args)
            finally:
                path.unlink()
    return 0


class TreeSampler:
    """The peak RSS sum and peak PSS of a process tree, and the CPU seconds of each of its processes as last
    seen, sampled in a thread every `every` seconds while in the `with` block."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        import threading

        self.pid, self.every = pid, every
        self.peak = self.pss = 0
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self) -> None:
        import psutil

        self.peak = max(self.peak, tree_rss(self.pid))
        self.pss = max(self.pss, tree_pss(self.pid))
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.pid)
            for member in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    times = member.cpu_times()
                    self.cpu[member.pid] = times.user + times.system

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.sample()

    def __enter__(self) -> "TreeSampler":
        self.sample()
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()


def by_hand_run(inputs: Path, folder: Path, workers: int, preload: bool) -> dict:
    """`storyline run --scheduler` of the inputs (add, then brief) on workers started by hand on loopback: a `dask scheduler` and a
    `dask worker --nworkers N --nthreads 1` as docs/scale-out.md starts them, with its nanny preload, or
    without it and with the malloc settings in the environment (as the docs said before the preload). The figures of the worker machine's process tree (the `dask worker` process, its fork server when
    preloaded, its workers) from its start (its models loaded) to the end of the run: peak RSS sum and PSS, CPU."""
    from distributed import Client

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    dask = [sys.executable, "-m", "dask"]
    address_file = folder / f"scheduler-{preload}.json"
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(address_file)], env=env, stderr=subprocess.DEVNULL)
    worker = None
    try:
        while not address_file.exists():
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        load = os.getloadavg()[0]
        command = [*dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1", "--host", "127.0.0.1",
                   "--no-dashboard"] + (["--preload-nanny", "storyline.worker_nanny"] if preload else [])
        # Without the preload, as the docs said before it: the malloc settings in the shell.
        malloc = {} if preload else {name: str(value) for name, value in WORKER_MALLOC.items()}
        started = time.perf_counter()
        worker = subprocess.Popen(command, env=env | malloc, stderr=subprocess.DEVNULL)
        with TreeSampler(worker.pid) as tree:
            with Client(address, timeout="60s") as client:
                client.wait_for_workers(workers, timeout=600)
            ready = time.perf_counter() - started
            db = str(folder / f"by-hand-{preload}.db")
            done = timed_run([sys.executable, "-m", "storyline", "run", str(inputs), "--db", db, "--out", f"{db}.out",
                              "-q", "--max-skips", str(10**9), "--scheduler", address], env, (0, 1))
        with Store(db) as store:
            stories = {story.id: story.articles for story in store.stories()}
            articles = store.article_count()
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
    return {"ready": ready, "seconds": done["seconds"], "articles": articles, "stories": stories,
            "worker_peak": tree.peak, "worker_pss": tree.pss, "worker_cpu": sum(tree.cpu.values()),
            "driver_cpu": done["cpu"], "load": (load, os.getloadavg()[0])}


def report_by_hand(inputs: Path, folder: Path, workers: int) -> None:
    """Workers started by hand without and with the nanny preload, one after the other (same code, same run)."""
    runs = [("no preload", by_hand_run(inputs, folder, workers, False)),
            ("--preload-nanny", by_hand_run(inputs, folder, workers, True))]
    print(f"\nworkers started by hand (`dask worker --nworkers {workers} --nthreads 1`, loopback), `run --scheduler`; "
          "the worker machine's process tree:")
    print(f"{'workers':<16} {'articles':>8} {'ready s':>7} {'run s':>6} {'RSS sum MB':>10} {'PSS MB':>7} "
          f"{'workers CPU ms/art':>18} {'driver':>6} {'same stories':>12} {'load':>9}")
    for name, run in runs:
        per = 1000 / max(run["articles"], 1)
        same = "yes" if run["stories"] == runs[0][1]["stories"] else "NO"
        load = "{:.1f}-{:.1f}".format(*run["load"])
        print(f"{name:<16} {run['articles']:>8} {run['ready']:>7.1f} {run['seconds']:>6.1f} "
              f"{run['worker_peak'] / 2**20:>10.0f} {run['worker_pss'] / 2**20:>7.0f} {run['worker_cpu'] * per:>18.1f} "
              f"{run['driver_cpu'] * per:>6.1f} {same:>12} {load:>9}")


def report_pickled(inputs: Path) -> None:
    """What shipping results between the driver and the workers costs: the pickle of each shard's `Prepared`
    (worker -> driver), of each part of articles sent for their placement features (driver -> worker) and of
    those features (worker -> driver), as Dask pickles a task's result; bytes, and milliseconds to dump and to
    load, per article. Made in this process over the shards `--workers` would make (no Dask, no store)."""
    import pickle

    from storyline import parallel
    from storyline.pipeline import PipelineConfig
    from storyline.records import Article

    config = PipelineConfig()
    kinds: dict[str, list[float]] = {}  # kind -> [bytes, dump seconds, load seconds, pieces]

    def weigh(kind: str, value) -> None:
        started = time.perf_counter()
        data = pickle.dumps(value, protocol=5)
        dumped = time.perf_counter()
        pickle.loads(data)
        total = kinds.setdefault(kind, [0, 0.0, 0.0, 0])
        total[0] += len(data)
        total[1] += dumped - started
        total[2] += time.perf_counter() - dumped
        total[3] += 1

    articles = []
    for shard in parallel.plan_shards([str(inputs)], config.ingest):
        if isinstance(shard, parallel.Shard):
            prepared = parallel.prepare_shard(shard, config.ingest, config.clean, config.dedup)
            weigh("shard (to the driver)", prepared)
            articles += [result for result in prepared.cleaned.values() if isinstance(result, Article)]
    for start in range(0, len(articles), parallel.FEATURE_PART):
        part = articles[start:start + parallel.FEATURE_PART]
        weigh("articles (to a worker)", part)
        weigh("features (to the driver)", parallel.features_of(part, config.cluster.representation))
    count = max(len(articles), 1)
    print(f"\npickled between the driver and the workers ({count} articles, protocol 5):")
    print(f"{'what':<25} {'pieces':>6} {'kB a piece':>10} {'kB/article':>10} {'dump ms/art':>11} {'load ms/art':>11}")
    for kind, (size, dump, load, pieces) in kinds.items():
        print(f"{kind:<25} {pieces:>6} {size / pieces / 1e3:>10.1f} {size / count / 1e3:>10.2f} "
              f"{dump * 1e3 / count:>11.3f} {load * 1e3 / count:>11.3f}")


def stream_through_add(path: Path, folder: Path, args: argparse.Namespace) -> None:
    """`storyline add` of the streamed file on each backend for `--stream-add-seconds`, its memory sampled."""
    size = path.stat().st_size / 1e6
    print(f"\n`storyline add` of the {size:.0f} MB file, interrupted after {args.stream_add_seconds:.0f} s "
          f"(load average {os.getloadavg()[0]:.1f}); resident MB of its process tree at each quarter of the time:")
    print(f"{'store':<11} {'articles':>8} {'art/s':>6} {'q1':>7} {'q2':>7} {'q3':>7} {'q4':>7} {'peak':>8} "
          f"{'2nd-half range':>14}")
    report_stream("sqlite", add_stream(path, str(folder / "stream.db"), args.stream_add_seconds))
    if not args.no_postgres:
        with postgres_server(args.postgres_url) as new_database:
            report_stream("postgresql", add_stream(path, new_database(), args.stream_add_seconds))


def report(runs: list[tuple[str, str, dict]]) -> None:
    """Print one line per run, with its ratio to the first (the single-process run on SQLite).

    Beside the wall time, the CPU time, which waiting for a core (other work on a shared machine) does
    not add to: milliseconds an article of the whole process tree, of the command's own process (the
    driver, with workers) and of each of its child processes (the Dask workers)."""
    base = runs[0][2]
    found = {stage for _, _, run in runs for stage in run["stages"]}
    stages = [stage for stage in STAGE_ORDER if stage in found] + sorted(found - set(STAGE_ORDER))
    print(f"\n{'store':<11} {'run':<19} {'articles':>8} {'s':>7} {'art/s':>6} {'x':>5} {'peak MB':>8} {'PSS MB':>7} "
          f"{'driver MB':>9} {'worker MB':>9} {'CPU ms/art':>10} {'driver':>6} {'children':>14} {'same stories':>12} {'load':>9}"
          "  seconds per stage")
    for backend, name, run in runs:
        rate = run["articles"] / run["seconds"]
        ratio = base["seconds"] / run["seconds"]
        same = "yes" if run["stories"] == base["stories"] else "NO"
        worker = f"{run['worker_peak'] / 2**20:.0f}" if run["worker_peak"] else ""
        driver = f"{run['driver_peak'] / 2**20:.0f}" if run["driver_peak"] else ""
        per = 1000 / max(run["articles"], 1)
        children = "/".join(f"{seconds * per:.0f}" for seconds in run["children_cpu"] if seconds * per >= 0.5)
        stage_text = ", ".join(f"{stage} {run['stages'][stage]:.1f}" for stage in stages if stage in run["stages"])
        if run.get("unverified"):
            stage_text += f"; {run['unverified']} briefs do not verify"
        load = "{:.1f}-{:.1f}".format(*run["load"])
        print(f"{backend:<11} {name:<19} {run['articles']:>8} {run['seconds']:>7.1f} {rate:>6.1f} {ratio:>5.2f} "
              f"{run['peak'] / 2**20:>8.0f} {run['pss'] / 2**20:>7.0f} {driver:>9} {worker:>9} {run['cpu'] * per:>10.1f} {run['driver_cpu'] * per:>6.1f} "
              f"{children:>14} {same:>12} {load:>9}  {stage_text}")


# The stages in pipeline order, as `--timings` names them (with workers, their own stages are summed
# over the workers and printed as "<stage> (workers)"). "features" (the spaCy pass of placement, in one
# process) and "features wait" (the driver waiting for the workers' features) are parts of "cluster".
STAGE_ORDER = ("ingest", "clean", "workers", "dedup+store", "cluster", "features", "features wait", "brief")


class postgres_server:
    """A database factory on a PostgreSQL server: the given one, or a throwaway one (tests/postgres.py)."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.context = None

    def __enter__(self):
        from tests import postgres

        if self.url is None:
            self.context = postgres.server()
            self.url = self.context.__enter__()
        return lambda: postgres.new_database(self.url)

    def __exit__(self, *exc_info) -> None:
        if self.context is not None:
            self.context.__exit__(*exc_info)


if __name__ == "__main__":
    sys.exit(main())
